/* libcdrsim's Huawei parsing without a server: the seed page's example to the normalized record,
 * callfeature and leave-reason mapping, tolerant field types, the envelope and its retcodes,
 * hostile and truncated answers, and the session's argument checks. */
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
