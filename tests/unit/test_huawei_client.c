/* libcdrsim's Huawei parsing without a server: the seed page's example to the normalized record,
 * callfeature and leave-reason mapping, tolerant field types, the envelope and its retcodes,
 * hostile and truncated answers, and the session's argument checks; the CC-Management history's
 * record, answers and retCodes, and the descriptor's rule for the two credential sets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/buf.h"
#include "cdrsim/huawei.h"
#include "testutil.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static void normalize_ok(const char *json, struct cdr_record *rec)
{
    struct cdr_error_info err;
    cdr_error rc = cdr_huawei_normalize_json(json, strlen(json), rec, &err);
    if (rc != CDR_OK)
        fail_msg("%s: %s", json, err.message);
}

static void expect_malformed(const char *json, const char *why)
{
    struct cdr_record rec;
    struct cdr_error_info err;
    assert_int_equal(cdr_huawei_normalize_json(json, strlen(json), &rec, &err),
                     CDR_ERR_MALFORMED_RESPONSE);
    assert_int_equal(err.code, CDR_ERR_MALFORMED_RESPONSE);
    if (why && !strstr(err.message, why))
        fail_msg("%s: message '%s' does not name %s", json, err.message, why);
    assert_null(rec.id);
    assert_null(rec.raw_json);
}

/* ---- the seed page's example ----------------------------------------------------------------- */

static void test_seed_example_normalized(void **state)
{
    (void)state;
    size_t len;
    char *body = test_read_file(FIXTURES_DIR "/huawei/examples/callinfo_response.json", &len);
    struct cdr_record *recs;
    size_t count;
    struct cdr_error_info err;
    assert_int_equal(cdr_huawei_parse_calls(body, len, &recs, &count, &err), CDR_OK);
    assert_int_equal(count, 1);
    /* begintime 1476838963000 is 2016-10-19T01:02:43Z; talkBeginTime 1626179227000 is
     * 2021-07-13T12:27:07Z. The call is up (endtime null); the trace's talk ended as it began. */
    char *line = cdr_record_to_json(&recs[0], 0);
    assert_string_equal(
        line,
        "{\"vendor\":\"huawei\",\"id\":\"1476838963-224\",\"call_id\":\"1476838963-224\","
        "\"direction\":\"inbound\",\"caller\":\"70004\",\"callee\":\"60015\",\"agent\":\"2005\","
        "\"group\":\"voice\",\"start_time\":\"2016-10-19T01:02:43Z\","
        "\"answer_time\":\"2021-07-13T12:27:07Z\",\"end_time\":null,\"ring_seconds\":0,"
        "\"talk_seconds\":0,\"hangup_by\":\"unknown\",\"recording_urls\":[]}");
    free(line);
    assert_int_equal(recs[0].start_time, 1476838963);
    assert_int_equal(recs[0].start_time, china_time(2016, 10, 19, 9, 2, 43));
    /* raw keeps the vendor's object, every field of it. */
    cJSON *raw = cJSON_Parse(recs[0].raw_json), *root = cJSON_Parse(body);
    assert_true(cJSON_Compare(raw, json_at(root, "result"), true));
    cJSON_Delete(raw);
    cJSON_Delete(root);
    cdr_huawei_records_free(recs, count);
    free(body);
}

/* ---- mapping --------------------------------------------------------------------------------- */

static void test_callfeature_to_direction(void **state)
{
    (void)state;
    static const struct {
        const char *feature;
        enum cdr_direction direction;
    } cases[] = {
        {"0", CDR_DIRECTION_INBOUND},      {"7", CDR_DIRECTION_OUTBOUND},
        {"40", CDR_DIRECTION_OUTBOUND},    {"41", CDR_DIRECTION_OUTBOUND},
        {"42", CDR_DIRECTION_OUTBOUND},    {"43", CDR_DIRECTION_OUTBOUND},
        {"44", CDR_DIRECTION_OUTBOUND},    {"45", CDR_DIRECTION_OUTBOUND},
        {"6", CDR_DIRECTION_INTERNAL},     {"51", CDR_DIRECTION_INTERNAL},
        {"52", CDR_DIRECTION_INTERNAL},    {"53", CDR_DIRECTION_INTERNAL},
        {"1", CDR_DIRECTION_UNKNOWN},      {"39", CDR_DIRECTION_UNKNOWN},
        {"46", CDR_DIRECTION_UNKNOWN},     {"50", CDR_DIRECTION_UNKNOWN},
        {"54", CDR_DIRECTION_UNKNOWN},     {"-1", CDR_DIRECTION_UNKNOWN},
        {"\"7\"", CDR_DIRECTION_OUTBOUND}, {"null", CDR_DIRECTION_UNKNOWN},
        {"7.5", CDR_DIRECTION_UNKNOWN},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *json = test_format("{\"callid\":\"c\",\"callfeature\":%s}", cases[i].feature);
        struct cdr_record rec;
        normalize_ok(json, &rec);
        if (rec.direction != cases[i].direction)
            fail_msg("callfeature %s: %s", cases[i].feature, cdr_direction_name(rec.direction));
        cdr_record_free(&rec);
        free(json);
    }
}

static void test_leave_reason_to_hangup(void **state)
{
    (void)state;
    static const struct {
        int reason;
        enum cdr_hangup_by by;
    } cases[] = {
        {15, CDR_HANGUP_CUSTOMER}, {88, CDR_HANGUP_CUSTOMER}, {89, CDR_HANGUP_CUSTOMER},
        {16, CDR_HANGUP_AGENT},    {41, CDR_HANGUP_AGENT},    {50, CDR_HANGUP_AGENT},
        {20, CDR_HANGUP_SYSTEM},   {26, CDR_HANGUP_SYSTEM},   {19, CDR_HANGUP_SYSTEM},
        {27, CDR_HANGUP_SYSTEM},   {0, CDR_HANGUP_UNKNOWN},   {17, CDR_HANGUP_UNKNOWN},
        {28, CDR_HANGUP_UNKNOWN},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *json =
            test_format("{\"callid\":\"c\",\"trace\":{\"leaveReason\":%d}}", cases[i].reason);
        struct cdr_record rec;
        normalize_ok(json, &rec);
        if (rec.hangup_by != cases[i].by)
            fail_msg("leaveReason %d: %s", cases[i].reason, cdr_hangup_by_name(rec.hangup_by));
        cdr_record_free(&rec);
        free(json);
    }
}

static void test_tolerant_types(void **state)
{
    (void)state;
    struct cdr_record rec;
    /* caller/called typed int in the table: numbers are taken as their digits; times may come as
     * numeric strings; a callid as a number. */
    normalize_ok(
        "{\"callid\":1476838963,\"caller\":70004,\"called\":60015,\"begintime\":\"1476838963000\","
        "\"endtime\":\"\",\"trace\":{\"deviceNo\":\"2005\",\"deviceType\":\"2\"}}",
        &rec);
    assert_string_equal(rec.id, "1476838963");
    assert_string_equal(rec.caller, "70004");
    assert_string_equal(rec.callee, "60015");
    assert_string_equal(rec.agent, "2005");
    assert_int_equal(rec.start_time, 1476838963);
    assert_int_equal(rec.end_time, CDR_TIME_NONE);
    assert_int_equal(rec.talk_seconds, CDR_SECONDS_NONE); /* up, never talked: nothing to say yet */
    cdr_record_free(&rec);
    /* Not an agent device: no agent. Milliseconds before 1970 floor to the earlier second. */
    normalize_ok(
        "{\"callid\":\"c\",\"begintime\":-1500,\"trace\":{\"deviceNo\":2005,\"deviceType\":1}}",
        &rec);
    assert_null(rec.agent);
    assert_int_equal(rec.start_time, -2);
    cdr_record_free(&rec);
    /* No trace at all: only the top level. */
    normalize_ok("{\"callid\":\"c\",\"begintime\":1000,\"endtime\":61999}", &rec);
    assert_int_equal(rec.start_time, 1);
    assert_int_equal(rec.end_time, 61);
    assert_int_equal(rec.ring_seconds, CDR_SECONDS_NONE);
    assert_int_equal(rec.talk_seconds, 0); /* ended without talk */
    cdr_record_free(&rec);
}

static void test_ring_and_talk(void **state)
{
    (void)state;
    struct cdr_record rec;
    /* Answered and ended: ring until talk, talk until talkEndTime. */
    normalize_ok("{\"callid\":\"a\",\"begintime\":100000,\"endtime\":190000,\"trace\":{"
                 "\"answerBeginTime\":100000,"
                 "\"answerEndTime\":105000,\"talkBeginTime\":105000,\"talkEndTime\":190000}}",
                 &rec);
    assert_int_equal(rec.answer_time, 105);
    assert_int_equal(rec.ring_seconds, 5);
    assert_int_equal(rec.talk_seconds, 85);
    cdr_record_free(&rec);
    /* The last-call form: talkEndTime null, endtime kept. */
    normalize_ok("{\"callid\":\"a\",\"begintime\":100000,\"endtime\":190000,\"trace\":{"
                 "\"answerBeginTime\":100000,"
                 "\"answerEndTime\":null,\"talkBeginTime\":105000,\"talkEndTime\":null}}",
                 &rec);
    assert_int_equal(rec.talk_seconds, 85);
    cdr_record_free(&rec);
    /* Never answered: rang until the end, no talk. */
    normalize_ok("{\"callid\":\"a\",\"begintime\":100000,\"endtime\":130000,\"trace\":{"
                 "\"answerBeginTime\":100000,"
                 "\"talkBeginTime\":null}}",
                 &rec);
    assert_int_equal(rec.answer_time, CDR_TIME_NONE);
    assert_int_equal(rec.ring_seconds, 30);
    assert_int_equal(rec.talk_seconds, 0);
    cdr_record_free(&rec);
    /* Still talking: no end, no talk length. Times out of order give no span. */
    normalize_ok("{\"callid\":\"a\",\"begintime\":100000,\"endtime\":null,\"trace\":{"
                 "\"answerBeginTime\":100000,"
                 "\"talkBeginTime\":104000,\"talkEndTime\":null}}",
                 &rec);
    assert_int_equal(rec.ring_seconds, 4);
    assert_int_equal(rec.talk_seconds, CDR_SECONDS_NONE);
    cdr_record_free(&rec);
    normalize_ok("{\"callid\":\"a\",\"trace\":{\"answerBeginTime\":104000,\"talkBeginTime\":100000,"
                 "\"talkEndTime\":90000}}",
                 &rec);
    assert_int_equal(rec.ring_seconds, CDR_SECONDS_NONE);
    assert_int_equal(rec.talk_seconds, CDR_SECONDS_NONE);
    cdr_record_free(&rec);
}

static void test_malformed_calls(void **state)
{
    (void)state;
    expect_malformed("", "not JSON");
    expect_malformed("[]", "not an object");
    expect_malformed("\"x\"", "not an object");
    expect_malformed("{}", "callid");
    expect_malformed("{\"callid\":\"\"}", "callid");
    expect_malformed("{\"callid\":null}", "callid");
    expect_malformed("{\"callid\":\"c\",\"begintime\":\"soon\"}", "begintime");
    expect_malformed("{\"callid\":\"c\",\"begintime\":true}", "begintime");
    expect_malformed("{\"callid\":\"c\",\"begintime\":1.5}", "begintime");
    expect_malformed("{\"callid\":\"c\",\"begintime\":1e300}", "begintime");
    expect_malformed("{\"callid\":\"c\",\"endtime\":{}}", "endtime");
    expect_malformed("{\"callid\":\"c\",\"trace\":[]}", "trace");
    expect_malformed("{\"callid\":\"c\",\"trace\":{\"talkBeginTime\":\"x\"}}", "talkBeginTime");
    expect_malformed("{\"callid\":\"c\",\"trace\":{\"talkEndTime\":[1]}}", "talkEndTime");
    expect_malformed("{\"callid\":\"c\",\"trace\":{\"answerBeginTime\":\"12a\"}}",
                     "answerBeginTime");
}

/* ---- the envelope ---------------------------------------------------------------------------- */

static void test_retcode_mapping(void **state)
{
    (void)state;
    static const struct {
        const char *retcode;
        cdr_error error;
    } cases[] = {
        {"0", CDR_OK},
        {"000-002", CDR_ERR_PARAMETER},
        {"000-003", CDR_ERR_AUTH},
        {"100-001", CDR_ERR_PARAMETER},
        {"100-002", CDR_ERR_VENDOR},
        {"100-004", CDR_ERR_AUTH},
        {"100-006", CDR_ERR_AUTH},
        {"100-007", CDR_ERR_VENDOR},
        {"100-008", CDR_ERR_VENDOR},
        {"999-999", CDR_ERR_VENDOR},
        {"", CDR_ERR_VENDOR},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        assert_int_equal(cdr_huawei_retcode_error(cases[i].retcode), cases[i].error);
    assert_int_equal(cdr_huawei_retcode_error(NULL), CDR_ERR_VENDOR);
}

static void test_envelope_errors_keep_the_vendor_words(void **state)
{
    (void)state;
    static const char body[] =
        "{\"message\":\"The agent has not signed in.\",\"retcode\":\"100-006\",\"result\":null}";
    struct cdr_record *recs = (struct cdr_record *)1;
    size_t count = 99;
    struct cdr_error_info err;
    assert_int_equal(cdr_huawei_parse_calls(body, strlen(body), &recs, &count, &err), CDR_ERR_AUTH);
    assert_null(recs);
    assert_int_equal(count, 0);
    assert_int_equal(err.code, CDR_ERR_AUTH);
    assert_string_equal(err.vendor_code, "100-006");
    assert_string_equal(err.message, "The agent has not signed in.");
    assert_int_equal(err.http_status, 200);
    /* A retcode sent as a number, an error without a message. */
    static const char numeric[] = "{\"retcode\":0,\"result\":null}";
    assert_int_equal(cdr_huawei_parse_calls(numeric, strlen(numeric), &recs, &count, &err), CDR_OK);
    assert_int_equal(count, 0);
    static const char bare[] = "{\"retcode\":\"000-002\"}";
    assert_int_equal(cdr_huawei_parse_calls(bare, strlen(bare), &recs, &count, &err),
                     CDR_ERR_PARAMETER);
    assert_string_equal(err.vendor_code, "000-002");
    assert_string_equal(err.message, "");
}

static void test_envelope_results(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        cdr_error rc;
        size_t count;
    } cases[] = {
        {"{\"message\":\"\",\"retcode\":\"0\",\"result\":null}", CDR_OK, 0},
        {"{\"message\":\"\",\"retcode\":\"0\",\"result\":[]}", CDR_OK, 0},
        {"{\"message\":\"\",\"retcode\":\"0\",\"result\":{\"callid\":\"a\"}}", CDR_OK, 1},
        {"{\"message\":\"\",\"retcode\":\"0\",\"result\":[{\"callid\":\"a\"},{\"callid\":\"b\"}]}",
         CDR_OK, 2},
        {"{\"message\":\"\",\"retcode\":\"0\",\"result\":[{\"callid\":\"a\"},7]}",
         CDR_ERR_MALFORMED_RESPONSE, 0},
        {"{\"message\":\"\",\"retcode\":\"0\",\"result\":[{\"callid\":\"a\"},null]}",
         CDR_ERR_MALFORMED_RESPONSE, 0},
        {"{\"message\":\"\",\"retcode\":\"0\",\"result\":\"none\"}", CDR_ERR_MALFORMED_RESPONSE, 0},
        {"{\"message\":\"\",\"retcode\":\"0\"}", CDR_ERR_MALFORMED_RESPONSE, 0},
        {"{\"message\":\"\",\"result\":null}", CDR_ERR_MALFORMED_RESPONSE, 0},
        {"{\"message\":\"\",\"retcode\":\"\",\"result\":null}", CDR_ERR_MALFORMED_RESPONSE, 0},
        {"{\"message\":\"\",\"retcode\":true,\"result\":null}", CDR_ERR_MALFORMED_RESPONSE, 0},
        {"[]", CDR_ERR_MALFORMED_RESPONSE, 0},
        {"null", CDR_ERR_MALFORMED_RESPONSE, 0},
        {"<html>502 Bad Gateway</html>", CDR_ERR_MALFORMED_RESPONSE, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct cdr_record *recs;
        size_t count;
        struct cdr_error_info err;
        cdr_error rc =
            cdr_huawei_parse_calls(cases[i].body, strlen(cases[i].body), &recs, &count, &err);
        if (rc != cases[i].rc || count != cases[i].count)
            fail_msg("%s: %s, %zu records", cases[i].body, cdr_error_name(rc), count);
        if (count == 2) {
            assert_string_equal(recs[0].id, "a");
            assert_string_equal(recs[1].id, "b");
        }
        cdr_huawei_records_free(recs, count);
    }
}

static void test_truncated_and_hostile_answers(void **state)
{
    (void)state;
    size_t len;
    char *body = test_read_file(FIXTURES_DIR "/huawei/examples/callinfo_response.json", &len);
    /* Every cut of the example short of its closing brace is refused, none crashes or leaks. */
    size_t last_brace = len;
    while (last_brace > 0 && body[last_brace - 1] != '}')
        last_brace--;
    for (size_t cut = 0; cut + 1 < last_brace; cut++) {
        struct cdr_record *recs;
        size_t count;
        struct cdr_error_info err;
        cdr_error rc = cdr_huawei_parse_calls(body, cut, &recs, &count, &err);
        if (rc != CDR_ERR_MALFORMED_RESPONSE)
            fail_msg("cut at %zu: %s", cut, cdr_error_name(rc));
        assert_null(recs);
    }
    free(body);
    /* Deep nesting, huge numbers, long strings. */
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{\"retcode\":\"0\",\"result\":{\"callid\":\"deep\",\"calldata\":");
    for (int i = 0; i < 5000; i++)
        cdr_buf_puts(&b, "[");
    for (int i = 0; i < 5000; i++)
        cdr_buf_puts(&b, "]");
    cdr_buf_puts(&b, "}}");
    struct cdr_record *recs;
    size_t count;
    struct cdr_error_info err;
    cdr_error rc = cdr_huawei_parse_calls(b.data, b.len, &recs, &count, &err);
    assert_int_equal(rc, CDR_ERR_MALFORMED_RESPONSE); /* past cJSON's nesting limit */
    cdr_buf_free(&b);
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{\"retcode\":\"0\",\"result\":{\"callid\":\"");
    for (int i = 0; i < 100000; i++)
        cdr_buf_puts(&b, "x");
    cdr_buf_puts(&b, "\",\"begintime\":99999999999999999999}}");
    rc = cdr_huawei_parse_calls(b.data, b.len, &recs, &count, &err);
    assert_int_equal(rc, CDR_ERR_MALFORMED_RESPONSE);
    assert_non_null(strstr(err.message, "begintime"));
    cdr_buf_free(&b);
}

/* ---- the session's arguments ----------------------------------------------------------------- */

static void test_session_arguments(void **state)
{
    (void)state;
    static const char *const bad_ids[] = {"", "29a", "1234567890", "291/logout", "-291", " 291"};
    struct cdr_huawei_options opts;
    struct cdr_error_info err;
    for (size_t i = 0; i < ARRAY_LEN(bad_ids); i++) {
        cdr_huawei_options_default(&opts);
        opts.base_url = "http://127.0.0.1:1";
        opts.agent_id = bad_ids[i];
        opts.password = "p";
        opts.phone = "70291";
        assert_null(cdr_huawei_session_new(&opts, &err));
        assert_int_equal(err.code, CDR_ERR_INVALID_ARGUMENT);
    }
    cdr_huawei_options_default(&opts);
    assert_int_equal(opts.status, 4);
    assert_true(opts.http.cookies);
    assert_int_equal(opts.lastcall_flag, CDR_HUAWEI_LASTCALL_AUTO);
    opts.base_url = "http://127.0.0.1:1/";
    opts.agent_id = "291";
    opts.phone = "70291";
    assert_null(cdr_huawei_session_new(&opts, &err)); /* no password */
    assert_int_equal(err.code, CDR_ERR_INVALID_ARGUMENT);
    opts.password = "p";
    opts.status = 6;
    assert_null(cdr_huawei_session_new(&opts, &err));
    assert_int_equal(err.code, CDR_ERR_INVALID_ARGUMENT);
    opts.status = 5;
    struct cdr_huawei_session *s = cdr_huawei_session_new(&opts, &err);
    assert_non_null(s);
    assert_string_equal(cdr_huawei_guid(s), "");
    /* Nothing listens on port 1: a transport error, and still no Guid. */
    assert_int_equal(cdr_huawei_sign_in(s, false, NULL, &err), CDR_ERR_TRANSPORT);
    assert_string_equal(cdr_huawei_guid(s), "");
    struct cdr_record rec;
    bool found = true;
    assert_int_equal(cdr_huawei_call_by_id(s, "", &rec, &found, &err), CDR_ERR_INVALID_ARGUMENT);
    assert_false(found);
    assert_int_equal(cdr_huawei_call_by_id(s, "1476838963-224/../holdlist", &rec, &found, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    cdr_huawei_session_free(s);
    cdr_huawei_session_free(NULL);
    assert_int_equal(cdr_huawei_sign_out(NULL, &err), CDR_ERR_INVALID_ARGUMENT);
}

/* ---- the CC-Management history --------------------------------------------------------------- */

static const char example_line[] =
    "{\"vendor\":\"huawei\",\"id\":\"1037058396471308289\",\"call_id\":\"1037058396471308289\","
    "\"direction\":\"outbound\",\"caller\":\"88889050\",\"callee\":\"88889060\",\"agent\":null,"
    "\"group\":null,\"start_time\":\"2021-05-21T06:03:12Z\",\"answer_time\":\"2021-05-21T06:03:"
    "15Z\","
    "\"end_time\":\"2021-05-21T06:03:42Z\",\"ring_seconds\":1,\"talk_seconds\":26,"
    "\"hangup_by\":\"agent\",\"recording_urls\":[]}";

static void test_history_example(void **state)
{
    (void)state;
    size_t len;
    char *body = test_read_file(FIXTURES_DIR "/huawei/examples/history_response.json", &len);
    struct cdr_huawei_history_page p;
    struct cdr_error_info err;
    assert_int_equal(cdr_huawei_parse_history(body, len, 200, &p, &err), CDR_OK);
    assert_int_equal(p.total, 11);
    assert_false(p.no_data);
    assert_int_equal(p.record_count, 1);
    assert_string_equal(p.raw_json, "{\"total\":11}");
    /* The customer rang 1 s before talking; reasonCode 1: the caller (the agent) hung up. */
    char *line = cdr_record_to_json(&p.records[0], 0);
    assert_string_equal(line, example_line);
    free(line);
    cdr_huawei_history_page_free(&p);
    /* The table's types (every value a string) read the same. */
    cJSON *root = cJSON_Parse(body);
    cJSON *rec = cJSON_GetArrayItem(json_at(root, "result.callInfo"), 0), *m;
    cJSON *texts = cJSON_CreateObject();
    cJSON_ArrayForEach(m, rec) {
        char number[32];
        snprintf(number, sizeof(number), "%.0f", m->valuedouble);
        cJSON_AddItemToObject(texts, m->string,
                              cJSON_IsNumber(m) ? cJSON_CreateString(number)
                                                : cJSON_Duplicate(m, true));
    }
    char *text = cJSON_PrintUnformatted(texts);
    struct cdr_record r;
    assert_int_equal(cdr_huawei_history_normalize_json(text, strlen(text), &r, &err), CDR_OK);
    line = cdr_record_to_json(&r, 0);
    assert_string_equal(line, example_line);
    free(line);
    cdr_record_free(&r);
    free(text);
    cJSON_Delete(texts);
    cJSON_Delete(root);
    free(body);
}

static void test_history_records(void **state)
{
    (void)state;
    static const struct {
        const char *json, *hangup;
        int64_t answer, ring, talk;
    } cases[] = {
        /* Unanswered: no talkingTime; the customer rang until the release; callee no answer. */
        {"{\"callSerialNo\":\"9\",\"startTime\":1000000,\"alertingTime\":1000000,"
         "\"releaseTime\":1030000,\"endTime\":1030000,\"talkDuration\":0,\"reasonCode\":5}",
         "system", CDR_TIME_NONE, 30, 0},
        /* No talkDuration: from the instants. The callee hung up. */
        {"{\"callSerialNo\":\"9\",\"startTime\":\"1000000\",\"alertingTime\":\"1002000\","
         "\"talkingTime\":\"1004000\",\"endTime\":\"1064000\",\"reasonCode\":\"0\"}",
         "customer", 1004, 2, 60},
        /* endTime missing: releaseTime stands in; an unknown reason. */
        {"{\"callSerialNo\":\"9\",\"startTime\":1000000,\"alertingTime\":1000000,"
         "\"talkingTime\":1001000,\"releaseTime\":1011000,\"talkDuration\":\"\","
         "\"reasonCode\":77}",
         "unknown", 1001, 1, 10},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct cdr_record r;
        struct cdr_error_info err;
        if (cdr_huawei_history_normalize_json(cases[i].json, strlen(cases[i].json), &r, &err) !=
            CDR_OK)
            fail_msg("%s: %s", cases[i].json, err.message);
        assert_string_equal(cdr_hangup_by_name(r.hangup_by), cases[i].hangup);
        assert_int_equal(r.direction, CDR_DIRECTION_OUTBOUND);
        assert_int_equal(r.answer_time, cases[i].answer);
        assert_int_equal(r.ring_seconds, cases[i].ring);
        assert_int_equal(r.talk_seconds, cases[i].talk);
        assert_int_equal(r.start_time, 1000);
        cdr_record_free(&r);
    }
    static const char *const bad[] = {
        "{\"startTime\":1}",
        "{\"callSerialNo\":\"\"}",
        "{\"callSerialNo\":\"9\",\"startTime\":\"yesterday\"}",
        "{\"callSerialNo\":\"9\",\"startTime\":1,\"talkDuration\":\"long\"}",
        "[]",
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        struct cdr_record r;
        struct cdr_error_info err;
        assert_int_equal(cdr_huawei_history_normalize_json(bad[i], strlen(bad[i]), &r, &err),
                         CDR_ERR_MALFORMED_RESPONSE);
        assert_null(r.id);
    }
}

static void test_history_answers(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        long status;
        cdr_error rc;
        const char *vendor_code;
        size_t records;
        bool no_data;
    } cases[] = {
        {"{\"retCode\":\"1\",\"retMsg\":\"No data found\"}", 200, CDR_OK, "", 0, true},
        {"{\"result\":{\"total\":0,\"callInfo\":[]},\"retCode\":\"0\"}", 200, CDR_OK, "", 0, false},
        {"{\"result\":{\"total\":\"1\",\"callInfo\":[{\"callSerialNo\":\"5\",\"startTime\":1}]},"
         "\"retCode\":0}",
         200, CDR_OK, "", 1, false},
        {"{\"retCode\":\"2\",\"retMsg\":\"time\"}", 200, CDR_ERR_PARAMETER, "2", 0, false},
        {"{\"retCode\":\"4\",\"retMsg\":\"paging\"}", 200, CDR_ERR_PARAMETER, "4", 0, false},
        {"{\"retCode\":\"12\",\"retMsg\":\"caller\"}", 200, CDR_ERR_PARAMETER, "12", 0, false},
        {"{\"retCode\":\"99\",\"retMsg\":\"new\"}", 200, CDR_ERR_VENDOR, "99", 0, false},
        {"{\"error_code\":\"APIGW.0307\",\"error_msg\":\"The token must be updated\"}", 401,
         CDR_ERR_AUTH, "APIGW.0307", 0, false},
        {"{\"error_code\":\"APIGW.0201\",\"error_msg\":\"Bad request\"}", 400, CDR_ERR_PARAMETER,
         "APIGW.0201", 0, false},
        {"<html>gateway</html>", 502, CDR_ERR_HTTP, "", 0, false},
        {"{\"retMsg\":\"no code\"}", 200, CDR_ERR_MALFORMED_RESPONSE, "", 0, false},
        {"{\"retCode\":\"0\"}", 200, CDR_ERR_MALFORMED_RESPONSE, "", 0, false},
        {"{\"retCode\":\"0\",\"result\":{\"total\":-1}}", 200, CDR_ERR_MALFORMED_RESPONSE, "", 0,
         false},
        {"{\"retCode\":\"0\",\"result\":{\"total\":1,\"callInfo\":{}}}", 200,
         CDR_ERR_MALFORMED_RESPONSE, "", 0, false},
        {"{\"retCode\":\"0\"} trailing", 200, CDR_ERR_MALFORMED_RESPONSE, "", 0, false},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct cdr_huawei_history_page p;
        struct cdr_error_info err;
        cdr_error_clear(&err);
        cdr_error rc = cdr_huawei_parse_history(cases[i].body, strlen(cases[i].body),
                                                cases[i].status, &p, &err);
        if (rc != cases[i].rc)
            fail_msg("%s: %s, expected %s (%s)", cases[i].body, cdr_error_name(rc),
                     cdr_error_name(cases[i].rc), err.message);
        if (rc != CDR_OK)
            assert_string_equal(err.vendor_code, cases[i].vendor_code);
        assert_int_equal(p.record_count, cases[i].records);
        assert_int_equal(p.no_data, cases[i].no_data);
        cdr_huawei_history_page_free(&p);
    }
    /* Through the descriptor: a saved history answer, or a calldata one. */
    const struct cdr_vendor *v = cdr_vendor_find("huawei");
    size_t len;
    char *body = test_read_file(FIXTURES_DIR "/huawei/examples/history_response.json", &len);
    struct cdr_page page;
    struct cdr_error_info err;
    assert_int_equal(cdr_vendor_parse(v, body, len, 200, &page, &err), CDR_OK);
    assert_int_equal(page.record_count, 1);
    assert_string_equal(page.records[0].id, "1037058396471308289");
    assert_int_equal(page.total, 11);
    cdr_page_free(&page);
    free(body);
    body = test_read_file(FIXTURES_DIR "/huawei/examples/callinfo_response.json", &len);
    assert_int_equal(cdr_vendor_parse(v, body, len, 200, &page, &err), CDR_OK);
    assert_string_equal(page.records[0].id, "1476838963-224");
    cdr_page_free(&page);
    free(body);
}

static void test_credential_sets(void **state)
{
    (void)state;
    const struct cdr_vendor *v = cdr_vendor_find("huawei");
    static const struct {
        const char *const args[4];
        bool ok;
        const char *bad;
    } cases[] = {
        {{"agent_id=291", "password=p", NULL}, true, NULL},
        {{"app_key=ak", "app_secret=sk", NULL}, true, NULL},
        {{"agent_id=291", "password=p", "app_key=ak", "app_secret=sk"}, true, NULL},
        {{"agent_id=291", NULL}, false, "password"},
        {{"password=p", NULL}, false, "agent_id"},
        {{"app_key=ak", NULL}, false, "app_secret"},
        {{"agent_id=291", "password=p", "app_secret=sk", NULL}, false, "app_key"},
        {{NULL}, false, "agent_id"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct cdr_args *a = cdr_args_new();
        for (size_t k = 0; k < 4 && cases[i].args[k]; k++) {
            char name[32];
            const char *eq = strchr(cases[i].args[k], '=');
            snprintf(name, sizeof(name), "%.*s", (int)(eq - cases[i].args[k]), cases[i].args[k]);
            assert_int_equal(cdr_args_add(a, name, eq + 1), CDR_OK);
        }
        const struct cdr_field *bad = NULL;
        struct cdr_error_info err;
        cdr_error rc = cdr_vendor_check_args(v, a, &bad, &err);
        assert_int_equal(rc, cases[i].ok ? CDR_OK : CDR_ERR_INVALID_ARGUMENT);
        if (!cases[i].ok) {
            assert_non_null(bad);
            assert_string_equal(bad->name, cases[i].bad);
            test_assert_prefix(err.message, cases[i].bad);
        }
        cdr_args_free(a);
    }
}

static void test_history_arguments(void **state)
{
    (void)state;
    struct cdr_huawei_history_options o;
    cdr_huawei_history_options_default(&o);
    struct cdr_error_info err;
    assert_null(cdr_huawei_history_new(&o, &err));
    assert_int_equal(err.code, CDR_ERR_INVALID_ARGUMENT);
    o.base_url = "http://127.0.0.1:1";
    o.app_key = "ak";
    o.app_secret = "sk";
    o.token_lifetime = 3601;
    assert_null(cdr_huawei_history_new(&o, &err));
    o.token_lifetime = 0;
    o.app_key = "a\r\nX-Injected: 1";
    assert_null(cdr_huawei_history_new(&o, &err));
    o.app_key = "ak";
    struct cdr_huawei_history *h = cdr_huawei_history_new(&o, &err);
    assert_non_null(h);
    /* Refused before anything is sent: no window, a window over 7 days, a bad limit. */
    struct cdr_huawei_history_filter f;
    cdr_huawei_history_filter_init(&f);
    struct cdr_huawei_history_page p;
    assert_int_equal(cdr_huawei_history_query(h, &f, 0, 10, &p, &err), CDR_ERR_INVALID_ARGUMENT);
    f.start_time = 1700000000;
    f.end_time = f.start_time + 7 * 86400;
    assert_int_equal(cdr_huawei_history_query(h, &f, 0, 10, &p, &err), CDR_ERR_RANGE_TOO_LARGE);
    f.end_time = f.start_time + 7 * 86400 - 1; /* to its last millisecond: exactly seven days */
    assert_int_equal(cdr_huawei_history_query(h, &f, 0, 101, &p, &err), CDR_ERR_INVALID_ARGUMENT);
    assert_int_equal(cdr_huawei_history_query(h, &f, -1, 10, &p, &err), CDR_ERR_INVALID_ARGUMENT);
    f.end_time = f.start_time - 1;
    assert_int_equal(cdr_huawei_history_fetch_all(h, &f, 0, NULL, NULL, NULL, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    cdr_huawei_history_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_example_normalized),
        cmocka_unit_test(test_callfeature_to_direction),
        cmocka_unit_test(test_leave_reason_to_hangup),
        cmocka_unit_test(test_tolerant_types),
        cmocka_unit_test(test_ring_and_talk),
        cmocka_unit_test(test_malformed_calls),
        cmocka_unit_test(test_retcode_mapping),
        cmocka_unit_test(test_envelope_errors_keep_the_vendor_words),
        cmocka_unit_test(test_envelope_results),
        cmocka_unit_test(test_truncated_and_hostile_answers),
        cmocka_unit_test(test_session_arguments),
        cmocka_unit_test(test_history_example),
        cmocka_unit_test(test_history_records),
        cmocka_unit_test(test_history_answers),
        cmocka_unit_test(test_credential_sets),
        cmocka_unit_test(test_history_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
