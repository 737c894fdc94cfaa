/* Unit tests of the ITNIO client: signing, response parsing and normalization, status mapping,
 * request bodies, and the argument checks that must fail before anything is sent. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdrsim/buf.h"
#include "cdrsim/itnio.h"
#include "cdrsim/record.h"
#include "cdrsim/sign.h"
#include "cdrsim/timefmt.h"
#include "testutil.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define DAY 86400LL
#define SEED_RESPONSE FIXTURES_DIR "/itnio/examples/record_query_response.json"

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    char *data = NULL;
    size_t used = 0, cap = 0;
    for (;;) {
        if (used + 4096 > cap) {
            cap = cap ? cap * 2 : 8192;
            data = realloc(data, cap);
            assert_non_null(data);
        }
        size_t got = fread(data + used, 1, cap - used - 1, f);
        used += got;
        if (got == 0)
            break;
    }
    fclose(f);
    data[used] = '\0';
    *len = used;
    return data;
}

static cJSON *load_seed(void)
{
    size_t len;
    char *text = read_file(SEED_RESPONSE, &len);
    cJSON *doc = cJSON_ParseWithLength(text, len);
    free(text);
    assert_non_null(doc);
    return doc;
}

/* The seed response with `key` of its record replaced by value (NULL removes the key). */
static char *seed_with_record_field(const char *key, cJSON *value)
{
    cJSON *doc = load_seed();
    cJSON *rec = (cJSON *)json_at(doc, "data.records.0");
    assert_non_null(rec);
    if (value)
        cJSON_ReplaceItemInObjectCaseSensitive(rec, key, value);
    else
        cJSON_DeleteItemFromObjectCaseSensitive(rec, key);
    char *text = cJSON_PrintUnformatted(doc);
    assert_non_null(text);
    cJSON_Delete(doc);
    return text;
}

/* The seed response with a top-level or data member replaced (NULL removes it). */
static char *seed_with(const char *parent, const char *key, cJSON *value)
{
    cJSON *doc = load_seed();
    cJSON *obj = parent ? (cJSON *)json_at(doc, parent) : doc;
    assert_non_null(obj);
    if (value)
        cJSON_ReplaceItemInObjectCaseSensitive(obj, key, value);
    else
        cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
    char *text = cJSON_PrintUnformatted(doc);
    assert_non_null(text);
    cJSON_Delete(doc);
    return text;
}

static void assert_page_empty(const struct cdr_itnio_page *p)
{
    assert_null(p->records);
    assert_int_equal(p->record_count, 0);
    assert_int_equal(p->total, 0);
    assert_int_equal(p->pages, 0);
}

/* Normalizes a single record object, failing the test on error. */
static void normalize_ok(const char *json, struct cdr_record *out)
{
    struct cdr_error_info err;
    cdr_error rc = cdr_itnio_normalize_json(json, strlen(json), out, &err);
    if (rc != CDR_OK)
        fail_msg("normalize %s: %s (%s)", json, cdr_error_name(rc), err.message);
}

/* ---- signing --------------------------------------------------------------------------------- */

static void test_sign_vector(void **state)
{
    (void)state;
    char *sign = cdr_itnio_sign("bDqJFiq9", "7bz1lzh9", 1630468800);
    assert_non_null(sign);
    assert_string_equal(sign, "05d7a50893e22a5c4bb3216ae3396c7c");
    free(sign);

    /* The three strings are joined without separators, timestamp in decimal. */
    sign = cdr_itnio_sign("k", "s", 0);
    char *want = cdr_md5_hex("ks0", 3);
    assert_string_equal(sign, want);
    free(sign);
    free(want);
    sign = cdr_itnio_sign("", "", 1700000000123LL);
    want = cdr_md5_hex("1700000000123", 13);
    assert_string_equal(sign, want);
    assert_int_equal(strlen(sign), CDR_MD5_HEX_LEN);
    free(sign);
    free(want);
}

/* ---- the seed's example response ------------------------------------------------------------- */

static void test_parse_seed_example(void **state)
{
    (void)state;
    size_t len;
    char *body = read_file(SEED_RESPONSE, &len);
    struct cdr_itnio_page page;
    struct cdr_error_info err;
    assert_int_equal(cdr_itnio_parse_page(body, len, &page, &err), CDR_OK);
    assert_int_equal(page.total, 1);
    assert_int_equal(page.size, 50);
    assert_int_equal(page.current, 1);
    assert_int_equal(page.pages, 1);
    assert_int_equal(page.record_count, 1);

    const struct cdr_record *r = &page.records[0];
    assert_string_equal(r->vendor, "itnio");
    assert_string_equal(r->id, "50180345");
    assert_string_equal(r->call_id, "25010316113064799");
    assert_int_equal(r->direction, CDR_DIRECTION_OUTBOUND);
    assert_string_equal(r->caller, "8613200000003");
    assert_string_equal(r->callee, "8613242926514"); /* "called" is null: the encrypted form */
    assert_string_equal(r->agent, "seatName");
    assert_string_equal(r->group, "tele-basic-test");
    char t[CDR_RFC3339_LEN + 1];
    cdr_time_format_rfc3339(r->start_time, t);
    assert_string_equal(t, "2025-01-03T08:10:39Z");
    assert_int_equal(r->start_time, china_time(2025, 1, 3, 16, 10, 39));
    cdr_time_format_rfc3339(r->answer_time, t);
    assert_string_equal(t, "2025-01-03T08:10:43Z");
    cdr_time_format_rfc3339(r->end_time, t);
    assert_string_equal(t, "2025-01-03T08:11:30Z");
    assert_int_equal(r->ring_seconds, 4);
    assert_int_equal(r->talk_seconds, 47);
    assert_int_equal(r->hangup_by, CDR_HANGUP_AGENT);
    assert_int_equal(r->recording_url_count, 1);
    assert_string_equal(r->recording_urls[0], "agent-call-record-250103/25010316113064799.wav");

    cJSON *raw = cJSON_Parse(r->raw_json);
    assert_non_null(raw);
    assert_null(strchr(r->raw_json, '\n')); /* compact */
    cJSON *doc = cJSON_ParseWithLength(body, len);
    assert_true(cJSON_Compare(raw, json_at(doc, "data.records.0"), 1));
    cJSON_Delete(raw);
    cJSON_Delete(doc);

    /* The CLI's line for this record, byte for byte. */
    char *line = cdr_record_to_json(r, 0);
    assert_string_equal(
        line, "{\"vendor\":\"itnio\",\"id\":\"50180345\",\"call_id\":\"25010316113064799\","
              "\"direction\":\"outbound\",\"caller\":\"8613200000003\","
              "\"callee\":\"8613242926514\",\"agent\":\"seatName\",\"group\":\"tele-basic-test\","
              "\"start_time\":\"2025-01-03T08:10:39Z\",\"answer_time\":\"2025-01-03T08:10:43Z\","
              "\"end_time\":\"2025-01-03T08:11:30Z\",\"ring_seconds\":4,\"talk_seconds\":47,"
              "\"hangup_by\":\"agent\","
              "\"recording_urls\":[\"agent-call-record-250103/25010316113064799.wav\"]}");
    free(line);

    cdr_itnio_page_free(&page);
    assert_null(page.records);
    assert_int_equal(page.record_count, 0);
    cdr_itnio_page_free(&page);
    cdr_itnio_page_free(NULL);
    free(body);
}

static void test_parse_status_as_string(void **state)
{
    (void)state;
    char *body = seed_with(NULL, "status", cJSON_CreateString("0"));
    assert_non_null(strstr(body, "\"status\":\"0\""));
    struct cdr_itnio_page page;
    assert_int_equal(cdr_itnio_parse_page(body, strlen(body), &page, NULL), CDR_OK);
    assert_int_equal(page.record_count, 1);
    assert_string_equal(page.records[0].id, "50180345");
    cdr_itnio_page_free(&page);
    free(body);
}

/* ---- status codes ---------------------------------------------------------------------------- */

static const struct {
    long status;
    cdr_error code;
    const char *reason;
} status_table[] = {
    {-1, CDR_ERR_AUTH, "Authentication error"},
    {-2, CDR_ERR_AUTH, "IP restricted"},
    {-16, CDR_ERR_TIMESTAMP, "Timestamp expires"},
    {-18, CDR_ERR_VENDOR, "Port program unusual"},
    {-20, CDR_ERR_VENDOR, "Data existing"},
    {-22, CDR_ERR_PARAMETER, "Parameter exception"},
    {-23, CDR_ERR_RATE_LIMITED, "Data caps"},
    {-76, CDR_ERR_RANGE_TOO_LARGE, "The search time interval cannot be greater than 93 days!"},
    {-99, CDR_ERR_VENDOR, "something new \"quoted\" 中文"},
    {7, CDR_ERR_VENDOR, "positive but not zero"},
};

static void test_status_error_table(void **state)
{
    (void)state;
    assert_int_equal(cdr_itnio_status_error(0), CDR_OK);
    for (size_t i = 0; i < ARRAY_LEN(status_table); i++)
        assert_int_equal(cdr_itnio_status_error(status_table[i].status), status_table[i].code);
}

static void check_error_body(long status, int as_string, cdr_error want, const char *reason)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    if (as_string)
        cdr_buf_printf(&b, "{\"status\":\"%ld\",\"reason\":", status);
    else
        cdr_buf_printf(&b, "{\"status\":%ld,\"reason\":", status);
    cdr_buf_json_string(&b, reason);
    cdr_buf_puts(&b, ",\"data\":null}");
    char *body = cdr_buf_steal(&b);
    struct cdr_itnio_page page;
    memset(&page, 0x5a, sizeof(page));
    struct cdr_error_info err;
    cdr_error rc = cdr_itnio_parse_page(body, strlen(body), &page, &err);
    if (rc != want)
        fail_msg("%s -> %s, want %s", body, cdr_error_name(rc), cdr_error_name(want));
    assert_int_equal(err.code, want);
    char code[24];
    snprintf(code, sizeof(code), "%ld", status);
    assert_string_equal(err.vendor_code, code);
    assert_string_equal(err.message, reason);
    assert_page_empty(&page);
    free(body);
}

static void test_status_codes_as_numbers(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(status_table); i++)
        check_error_body(status_table[i].status, 0, status_table[i].code, status_table[i].reason);
}

static void test_status_codes_as_strings(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(status_table); i++)
        check_error_body(status_table[i].status, 1, status_table[i].code, status_table[i].reason);
}

static void test_status_error_without_reason(void **state)
{
    (void)state;
    static const char body[] = "{\"status\":-76}";
    struct cdr_itnio_page page;
    struct cdr_error_info err;
    assert_int_equal(cdr_itnio_parse_page(body, strlen(body), &page, &err),
                     CDR_ERR_RANGE_TOO_LARGE);
    assert_string_equal(err.vendor_code, "-76");
    assert_string_equal(err.message, "");
    assert_page_empty(&page);
    /* A vendor error wins over a body that would otherwise be malformed. */
    static const char odd[] = "{\"status\":\"-16\",\"reason\":\"Timestamp expires\",\"data\":[1]}";
    assert_int_equal(cdr_itnio_parse_page(odd, strlen(odd), &page, &err), CDR_ERR_TIMESTAMP);
    assert_string_equal(err.vendor_code, "-16");
    assert_string_equal(err.message, "Timestamp expires");
}

/* ---- normalization --------------------------------------------------------------------------- */

static void test_normalize_call_type(void **state)
{
    (void)state;
    static const struct {
        const char *value;
        enum cdr_direction want;
    } cases[] = {
        {"1", CDR_DIRECTION_OUTBOUND},     {"3", CDR_DIRECTION_OUTBOUND},
        {"2", CDR_DIRECTION_INBOUND},      {"\"2\"", CDR_DIRECTION_INBOUND},
        {"\"3\"", CDR_DIRECTION_OUTBOUND}, {"0", CDR_DIRECTION_UNKNOWN},
        {"4", CDR_DIRECTION_UNKNOWN},      {"-1", CDR_DIRECTION_UNKNOWN},
        {"2.5", CDR_DIRECTION_UNKNOWN},    {"null", CDR_DIRECTION_UNKNOWN},
        {"\"x\"", CDR_DIRECTION_UNKNOWN},  {"true", CDR_DIRECTION_UNKNOWN},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *json = test_format("{\"keyId\":1,\"callType\":%s}", cases[i].value);
        struct cdr_record r;
        normalize_ok(json, &r);
        if (r.direction != cases[i].want)
            fail_msg("callType %s -> %s", cases[i].value, cdr_direction_name(r.direction));
        cdr_record_free(&r);
        free(json);
    }
    struct cdr_record r;
    normalize_ok("{\"keyId\":1}", &r);
    assert_int_equal(r.direction, CDR_DIRECTION_UNKNOWN);
    cdr_record_free(&r);
}

static void test_normalize_hanging_direction(void **state)
{
    (void)state;
    static const struct {
        const char *value;
        enum cdr_hangup_by want;
    } cases[] = {
        {"0", CDR_HANGUP_CUSTOMER},     {"1", CDR_HANGUP_AGENT},      {"3", CDR_HANGUP_SYSTEM},
        {"\"0\"", CDR_HANGUP_CUSTOMER}, {"\"1\"", CDR_HANGUP_AGENT},  {"\"3\"", CDR_HANGUP_SYSTEM},
        {"2", CDR_HANGUP_UNKNOWN},      {"4", CDR_HANGUP_UNKNOWN},    {"-1", CDR_HANGUP_UNKNOWN},
        {"null", CDR_HANGUP_UNKNOWN},   {"\"\"", CDR_HANGUP_UNKNOWN}, {"[1]", CDR_HANGUP_UNKNOWN},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *json = test_format("{\"keyId\":1,\"hangingDirection\":%s}", cases[i].value);
        struct cdr_record r;
        normalize_ok(json, &r);
        if (r.hangup_by != cases[i].want)
            fail_msg("hangingDirection %s -> %s", cases[i].value, cdr_hangup_by_name(r.hangup_by));
        cdr_record_free(&r);
        free(json);
    }
}

static void test_normalize_recording_urls(void **state)
{
    (void)state;
    struct cdr_record r;
    normalize_ok("{\"keyId\":1,\"voiceUrl\":\"one.wav\",\"voiceUrlList\":[]}", &r);
    assert_int_equal(r.recording_url_count, 1);
    assert_string_equal(r.recording_urls[0], "one.wav");
    cdr_record_free(&r);

    normalize_ok("{\"keyId\":1,\"voiceUrl\":\"one.wav\",\"voiceUrlList\":null}", &r);
    assert_int_equal(r.recording_url_count, 1);
    assert_string_equal(r.recording_urls[0], "one.wav");
    cdr_record_free(&r);

    normalize_ok("{\"keyId\":1,\"voiceUrl\":\"one.wav\"}", &r);
    assert_int_equal(r.recording_url_count, 1);
    assert_string_equal(r.recording_urls[0], "one.wav");
    cdr_record_free(&r);

    /* When the list has entries it is the whole truth: voiceUrl is not added again. */
    normalize_ok("{\"keyId\":1,\"voiceUrl\":\"a.wav\",\"voiceUrlList\":[\"a.wav\",\"b.wav\"]}", &r);
    assert_int_equal(r.recording_url_count, 2);
    assert_string_equal(r.recording_urls[0], "a.wav");
    assert_string_equal(r.recording_urls[1], "b.wav");
    cdr_record_free(&r);

    /* Empty and non-string entries are skipped. */
    normalize_ok("{\"keyId\":1,\"voiceUrlList\":[\"\",null,3,\"c.wav\"]}", &r);
    assert_int_equal(r.recording_url_count, 1);
    assert_string_equal(r.recording_urls[0], "c.wav");
    cdr_record_free(&r);

    normalize_ok("{\"keyId\":1,\"voiceUrl\":\"\",\"voiceUrlList\":[]}", &r);
    assert_int_equal(r.recording_url_count, 0);
    assert_null(r.recording_urls);
    cdr_record_free(&r);

    normalize_ok("{\"keyId\":1,\"voiceUrl\":null,\"voiceUrlList\":\"x.wav\"}", &r);
    assert_int_equal(r.recording_url_count, 0);
    cdr_record_free(&r);
}

static void test_normalize_numbers_as_strings(void **state)
{
    (void)state;
    struct cdr_record r;
    normalize_ok("{\"keyId\":\"50180345\",\"callSessionId\":25010316113064799,"
                 "\"callDuration\":\"47\",\"ringDuration\":\"4\",\"caller\":8613200000003}",
                 &r);
    assert_string_equal(r.id, "50180345");
    assert_string_equal(r.caller, "8613200000003");
    assert_int_equal(r.talk_seconds, 47);
    assert_int_equal(r.ring_seconds, 4);
    assert_non_null(r.call_id);
    cdr_record_free(&r);

    /* Durations that are not non-negative integers are absent, not zero. */
    normalize_ok("{\"keyId\":1,\"callDuration\":-1,\"ringDuration\":\"4.5\"}", &r);
    assert_int_equal(r.talk_seconds, CDR_SECONDS_NONE);
    assert_int_equal(r.ring_seconds, CDR_SECONDS_NONE);
    cdr_record_free(&r);
    normalize_ok("{\"keyId\":1,\"callDuration\":null,\"ringDuration\":\"\"}", &r);
    assert_int_equal(r.talk_seconds, CDR_SECONDS_NONE);
    assert_int_equal(r.ring_seconds, CDR_SECONDS_NONE);
    cdr_record_free(&r);
    normalize_ok("{\"keyId\":1,\"callDuration\":0,\"ringDuration\":\"0\"}", &r);
    assert_int_equal(r.talk_seconds, 0);
    assert_int_equal(r.ring_seconds, 0);
    cdr_record_free(&r);

    /* Paging fields as strings. */
    char *body = seed_with("data", "total", cJSON_CreateString("120"));
    cJSON *doc = cJSON_Parse(body);
    free(body);
    cJSON *data = (cJSON *)json_at(doc, "data");
    cJSON_ReplaceItemInObjectCaseSensitive(data, "size", cJSON_CreateString("50"));
    cJSON_ReplaceItemInObjectCaseSensitive(data, "current", cJSON_CreateString("2"));
    cJSON_ReplaceItemInObjectCaseSensitive(data, "pages", cJSON_CreateString("3"));
    body = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    struct cdr_itnio_page page;
    assert_int_equal(cdr_itnio_parse_page(body, strlen(body), &page, NULL), CDR_OK);
    assert_int_equal(page.total, 120);
    assert_int_equal(page.size, 50);
    assert_int_equal(page.current, 2);
    assert_int_equal(page.pages, 3);
    assert_int_equal(page.record_count, 1);
    cdr_itnio_page_free(&page);
    free(body);
}

static void test_normalize_callee_and_times(void **state)
{
    (void)state;
    struct cdr_record r;
    normalize_ok("{\"keyId\":1,\"called\":\"8613800000000\",\"encryptCalled\":\"861380****000\"}",
                 &r);
    assert_string_equal(r.callee, "8613800000000");
    cdr_record_free(&r);
    normalize_ok("{\"keyId\":1,\"called\":\"\",\"encryptCalled\":\"861380****000\"}", &r);
    assert_string_equal(r.callee, "861380****000");
    cdr_record_free(&r);
    normalize_ok("{\"keyId\":1,\"called\":null}", &r);
    assert_null(r.callee);
    assert_null(r.caller);
    assert_null(r.agent);
    assert_null(r.group);
    assert_null(r.call_id);
    cdr_record_free(&r);

    /* Unanswered call: no answer time; ISO 8601 with an offset is accepted too. */
    normalize_ok("{\"keyId\":1,\"callStartTime\":\"2025-01-03T16:10:39+08:00\","
                 "\"calledAnswerTime\":null,\"calledHangupTime\":\"\"}",
                 &r);
    assert_int_equal(r.start_time, china_time(2025, 1, 3, 16, 10, 39));
    assert_int_equal(r.answer_time, CDR_TIME_NONE);
    assert_int_equal(r.end_time, CDR_TIME_NONE);
    cdr_record_free(&r);
    normalize_ok("{\"keyId\":1}", &r);
    assert_int_equal(r.start_time, CDR_TIME_NONE);
    assert_string_equal(r.raw_json, "{\"keyId\":1}");
    cdr_record_free(&r);
}

/* ---- malformed responses --------------------------------------------------------------------- */

static void expect_malformed(const char *body, size_t len, const char *what)
{
    struct cdr_itnio_page page;
    memset(&page, 0x5a, sizeof(page));
    struct cdr_error_info err;
    memset(&err, 0, sizeof(err));
    cdr_error rc = cdr_itnio_parse_page(body, len, &page, &err);
    if (rc != CDR_ERR_MALFORMED_RESPONSE)
        fail_msg("%s: %s, want malformed_response", what, cdr_error_name(rc));
    assert_int_equal(err.code, CDR_ERR_MALFORMED_RESPONSE);
    assert_string_not_equal(err.message, "");
    assert_page_empty(&page);
}

static void expect_malformed_text(const char *body, const char *what)
{
    expect_malformed(body, strlen(body), what);
}

static void expect_malformed_owned(char *body, const char *what)
{
    expect_malformed(body, strlen(body), what);
    free(body);
}

static void test_malformed_envelopes(void **state)
{
    (void)state;
    expect_malformed_text("not json", "text");
    expect_malformed_text("", "empty");
    expect_malformed(NULL, 0, "NULL");
    expect_malformed_text("[]", "array");
    expect_malformed_text("[{\"status\":0}]", "array of envelope");
    expect_malformed_text("0", "number");
    expect_malformed_text("\"status\"", "string");
    expect_malformed_text("null", "null");
    expect_malformed_text("{}", "empty object");
    expect_malformed_text("{\"status\":0} trailing", "trailing garbage");
    expect_malformed_owned(seed_with(NULL, "status", NULL), "missing status");
    expect_malformed_owned(seed_with(NULL, "status", cJSON_CreateTrue()), "status true");
    expect_malformed_owned(seed_with(NULL, "status", cJSON_CreateFalse()), "status false");
    expect_malformed_owned(seed_with(NULL, "status", cJSON_CreateNull()), "status null");
    expect_malformed_owned(seed_with(NULL, "status", cJSON_CreateString("")), "status empty");
    expect_malformed_owned(seed_with(NULL, "status", cJSON_CreateString("ok")), "status text");
    expect_malformed_owned(seed_with(NULL, "status", cJSON_CreateString("0x")), "status 0x");
    expect_malformed_owned(seed_with(NULL, "status", cJSON_CreateNumber(0.5)), "status 0.5");
    expect_malformed_owned(seed_with(NULL, "status", cJSON_CreateArray()), "status []");
    expect_malformed_owned(seed_with(NULL, "data", cJSON_CreateNull()), "data null");
    expect_malformed_owned(seed_with(NULL, "data", NULL), "data missing");
    expect_malformed_owned(seed_with(NULL, "data", cJSON_CreateArray()), "data array");
    expect_malformed_owned(seed_with(NULL, "data", cJSON_CreateString("{}")), "data string");
    expect_malformed_owned(seed_with("data", "records", cJSON_CreateObject()), "records object");
    expect_malformed_owned(seed_with("data", "records", cJSON_CreateNull()), "records null");
    expect_malformed_owned(seed_with("data", "records", NULL), "records missing");
    expect_malformed_owned(seed_with("data", "records", cJSON_CreateString("[]")), "records text");
    expect_malformed_owned(seed_with("data", "total", NULL), "total missing");
    expect_malformed_owned(seed_with("data", "pages", cJSON_CreateString("many")), "pages text");
    expect_malformed_owned(seed_with("data", "total", cJSON_CreateNumber(-1)), "total negative");
    expect_malformed_owned(seed_with("data", "size", cJSON_CreateNumber(1.5)), "size 1.5");
}

static void test_malformed_records(void **state)
{
    (void)state;
    expect_malformed_owned(seed_with_record_field("keyId", NULL), "record without keyId");
    expect_malformed_owned(seed_with_record_field("keyId", cJSON_CreateNull()), "keyId null");
    expect_malformed_owned(seed_with_record_field("keyId", cJSON_CreateObject()), "keyId object");
    expect_malformed_owned(
        seed_with_record_field("callStartTime", cJSON_CreateString("not a time")),
        "callStartTime not a time");
    expect_malformed_owned(
        seed_with_record_field("calledAnswerTime", cJSON_CreateString("2025-02-30 00:00:00")),
        "calledAnswerTime impossible date");
    expect_malformed_owned(
        seed_with_record_field("calledHangupTime", cJSON_CreateNumber(1735891890)),
        "calledHangupTime number");
    expect_malformed_owned(
        seed_with_record_field("callStartTime", cJSON_CreateString("2025-01-03 16:10:39.5")),
        "local time with a fraction");

    /* Records that are not objects, alone and after a good record (which must then be freed). */
    static const char *const not_objects[] = {"1", "\"x\"", "null", "[]", "true"};
    for (size_t i = 0; i < ARRAY_LEN(not_objects); i++) {
        for (int after_good = 0; after_good <= 1; after_good++) {
            cJSON *doc = load_seed();
            cJSON *records = (cJSON *)json_at(doc, "data.records");
            cJSON *bad = cJSON_Parse(not_objects[i]);
            assert_non_null(bad);
            if (after_good)
                cJSON_AddItemToArray(records, bad);
            else
                cJSON_ReplaceItemInArray(records, 0, bad);
            char *body = cJSON_PrintUnformatted(doc);
            cJSON_Delete(doc);
            expect_malformed_owned(body, not_objects[i]);
        }
    }
    /* A bad record deep in a page: the good ones before it are released. */
    cJSON *doc = load_seed();
    cJSON *records = (cJSON *)json_at(doc, "data.records");
    for (int i = 0; i < 5; i++)
        cJSON_AddItemToArray(records, cJSON_Duplicate(cJSON_GetArrayItem(records, 0), 1));
    cJSON *broken = cJSON_Duplicate(cJSON_GetArrayItem(records, 0), 1);
    cJSON_ReplaceItemInObjectCaseSensitive(broken, "calledHangupTime", cJSON_CreateString("soon"));
    cJSON_AddItemToArray(records, broken);
    char *body = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    struct cdr_itnio_page page;
    struct cdr_error_info err;
    assert_int_equal(cdr_itnio_parse_page(body, strlen(body), &page, &err),
                     CDR_ERR_MALFORMED_RESPONSE);
    assert_non_null(strstr(err.message, "calledHangupTime"));
    assert_non_null(strstr(err.message, "50180345"));
    assert_page_empty(&page);
    free(body);

    /* The single-record entry point rejects the same things. */
    struct cdr_record r;
    assert_int_equal(cdr_itnio_normalize_json("{\"keyId\":", 9, &r, &err),
                     CDR_ERR_MALFORMED_RESPONSE);
    assert_null(r.id);
    assert_int_equal(cdr_itnio_normalize_json("[1]", 3, &r, &err), CDR_ERR_MALFORMED_RESPONSE);
    assert_null(r.id);
    assert_int_equal(cdr_itnio_normalize_json("{\"caller\":\"1\"}", 14, &r, &err),
                     CDR_ERR_MALFORMED_RESPONSE);
    assert_null(r.caller);
}

static void test_every_truncation_fails(void **state)
{
    (void)state;
    size_t n;
    char *full = read_file(SEED_RESPONSE, &n);
    /* Dropping only trailing whitespace leaves a complete document; every shorter prefix cuts
     * into the JSON itself. */
    size_t doc_len = n;
    while (doc_len > 0 && strchr(" \t\r\n", full[doc_len - 1]))
        doc_len--;
    assert_true(doc_len > 1000);
    for (size_t len = doc_len; len <= n; len++) {
        struct cdr_itnio_page page;
        assert_int_equal(cdr_itnio_parse_page(full, len, &page, NULL), CDR_OK);
        assert_int_equal(page.record_count, 1);
        cdr_itnio_page_free(&page);
    }
    for (size_t len = 0; len < doc_len; len++) {
        /* An exact-size copy without a terminator, so reading past len is caught by ASan. */
        char *prefix = malloc(len ? len : 1);
        assert_non_null(prefix);
        memcpy(prefix, full, len);
        struct cdr_itnio_page page;
        memset(&page, 0x5a, sizeof(page));
        struct cdr_error_info err;
        cdr_error rc = cdr_itnio_parse_page(prefix, len, &page, &err);
        if (rc == CDR_OK)
            fail_msg("prefix of %zu bytes parsed", len);
        assert_int_equal(rc, CDR_ERR_MALFORMED_RESPONSE);
        assert_page_empty(&page);
        free(prefix);
    }
    free(full);
}

static void test_trailing_bytes(void **state)
{
    (void)state;
    size_t n;
    char *full = read_file(SEED_RESPONSE, &n);
    static const char *const tails[] = {"x", "}", "{\"status\":-1}", "\n\n0", "\0"};
    static const size_t tail_len[] = {1, 1, 13, 3, 1};
    for (size_t i = 0; i < ARRAY_LEN(tails); i++) {
        char *body = malloc(n + tail_len[i]);
        assert_non_null(body);
        memcpy(body, full, n);
        memcpy(body + n, tails[i], tail_len[i]);
        expect_malformed(body, n + tail_len[i], "seed response with trailing bytes");
        free(body);
    }
    /* Whitespace after the document is not garbage. */
    char *spaced = test_format("%s \t\r\n ", full);
    struct cdr_itnio_page page;
    assert_int_equal(cdr_itnio_parse_page(spaced, strlen(spaced), &page, NULL), CDR_OK);
    assert_int_equal(page.record_count, 1);
    cdr_itnio_page_free(&page);
    free(spaced);
    free(full);

    struct cdr_record r;
    struct cdr_error_info err;
    assert_int_equal(cdr_itnio_normalize_json("{\"keyId\":1}{\"keyId\":2}", 22, &r, &err),
                     CDR_ERR_MALFORMED_RESPONSE);
    assert_null(r.id);
    assert_int_equal(cdr_itnio_normalize_json("{\"keyId\":1}\n", 12, &r, &err), CDR_OK);
    assert_string_equal(r.id, "1");
    cdr_record_free(&r);
}

/* ---- request bodies -------------------------------------------------------------------------- */

static void test_query_body_minimal(void **state)
{
    (void)state;
    struct cdr_itnio_filter f;
    memset(&f, 0, sizeof(f));
    f.start_time = china_time(2025, 1, 8, 0, 0, 0);
    f.end_time = china_time(2025, 1, 9, 0, 0, 0);
    char *body = cdr_itnio_query_body(&f, 1, 50);
    assert_non_null(body);
    cJSON *doc = cJSON_Parse(body);
    assert_non_null(doc);
    assert_int_equal(json_int_at(doc, "current"), 1);
    assert_int_equal(json_int_at(doc, "size"), 50);
    assert_string_equal(json_str_at(doc, "params.startTime"), "2025-01-08 00:00:00");
    assert_string_equal(json_str_at(doc, "params.endTime"), "2025-01-09 00:00:00");
    assert_int_equal(cJSON_GetArraySize(json_at(doc, "params")), 2);
    assert_int_equal(cJSON_GetArraySize(doc), 3);
    cJSON_Delete(doc);
    free(body);

    /* UTC instants are written as China wall-clock time. */
    f.start_time = 0;
    f.end_time = 1735660800; /* 2024-12-31T16:00:00Z */
    /* Lists with entries but a zero count are not sent. */
    static const int call_types[] = {1};
    f.call_types = call_types;
    f.call_type_count = 0;
    body = cdr_itnio_query_body(&f, 7, 100);
    doc = cJSON_Parse(body);
    assert_string_equal(json_str_at(doc, "params.startTime"), "1970-01-01 08:00:00");
    assert_string_equal(json_str_at(doc, "params.endTime"), "2025-01-01 00:00:00");
    assert_int_equal(json_int_at(doc, "current"), 7);
    assert_int_equal(json_int_at(doc, "size"), 100);
    assert_null(json_at(doc, "params.callType"));
    assert_int_equal(cJSON_GetArraySize(json_at(doc, "params")), 2);
    cJSON_Delete(doc);
    free(body);
}

static void assert_int_list(const cJSON *doc, const char *path, const int64_t *want, size_t n)
{
    const cJSON *list = json_at(doc, path);
    if (!cJSON_IsArray(list))
        fail_msg("%s is not an array", path);
    assert_int_equal(cJSON_GetArraySize(list), n);
    for (size_t i = 0; i < n; i++) {
        const cJSON *item = cJSON_GetArrayItem(list, (int)i);
        assert_true(cJSON_IsNumber(item));
        assert_int_equal((int64_t)item->valuedouble, want[i]);
    }
}

static void assert_string_list(const cJSON *doc, const char *path, const char *const *want,
                               size_t n)
{
    const cJSON *list = json_at(doc, path);
    if (!cJSON_IsArray(list))
        fail_msg("%s is not an array", path);
    assert_int_equal(cJSON_GetArraySize(list), n);
    for (size_t i = 0; i < n; i++) {
        const cJSON *item = cJSON_GetArrayItem(list, (int)i);
        assert_true(cJSON_IsString(item));
        assert_string_equal(item->valuestring, want[i]);
    }
}

static void test_query_body_all_filters(void **state)
{
    (void)state;
    static const int64_t seat_ids[] = {1, 42, 9007199254740991LL};
    static const char *const seat_names[] = {"alice", "bob \"the\" agent", "王五"};
    static const int call_types[] = {1, 2, 3};
    static const int hangup_reasons[] = {0, 9};
    static const char *const ccodes[] = {"86(China)"};
    static const int hanging[] = {0, 3};
    static const char *const labels[] = {"vip", "back\\slash", "tab\there", "ctl\x01"};
    struct cdr_itnio_filter f;
    memset(&f, 0, sizeof(f));
    f.start_time = china_time(2025, 1, 1, 0, 0, 0);
    f.end_time = china_time(2025, 3, 31, 23, 59, 59);
    f.has_voice_group_id = true;
    f.voice_group_id = 0; /* zero is a real group id, sent because the flag is set */
    f.sip_group_name = "tele-\"basic\"-test";
    f.seat_ids = seat_ids;
    f.seat_id_count = ARRAY_LEN(seat_ids);
    f.seat_names = seat_names;
    f.seat_name_count = ARRAY_LEN(seat_names);
    f.call_types = call_types;
    f.call_type_count = ARRAY_LEN(call_types);
    f.hangup_reasons = hangup_reasons;
    f.hangup_reason_count = ARRAY_LEN(hangup_reasons);
    f.called_or_caller = "86132\n";
    f.ccodes = ccodes;
    f.ccode_count = ARRAY_LEN(ccodes);
    f.hanging_directions = hanging;
    f.hanging_direction_count = ARRAY_LEN(hanging);
    f.label_names = labels;
    f.label_name_count = ARRAY_LEN(labels);

    char *body = cdr_itnio_query_body(&f, 3, 25);
    cJSON *doc = cJSON_Parse(body);
    if (!doc)
        fail_msg("not JSON: %s", body);
    assert_string_equal(json_str_at(doc, "params.startTime"), "2025-01-01 00:00:00");
    assert_string_equal(json_str_at(doc, "params.endTime"), "2025-03-31 23:59:59");
    assert_int_equal(json_int_at(doc, "params.voiceGroupId"), 0);
    assert_string_equal(json_str_at(doc, "params.sipGroupName"), "tele-\"basic\"-test");
    assert_string_equal(json_str_at(doc, "params.calledOrCaller"), "86132\n");
    assert_int_list(doc, "params.seatId", seat_ids, ARRAY_LEN(seat_ids));
    assert_string_list(doc, "params.seatNameList", seat_names, ARRAY_LEN(seat_names));
    assert_int_list(doc, "params.callType", (const int64_t[]){1, 2, 3}, 3);
    assert_int_list(doc, "params.hangupReason", (const int64_t[]){0, 9}, 2);
    assert_string_list(doc, "params.ccode", ccodes, ARRAY_LEN(ccodes));
    assert_int_list(doc, "params.hangingDirection", (const int64_t[]){0, 3}, 2);
    assert_string_list(doc, "params.labelNames", labels, ARRAY_LEN(labels));
    assert_int_equal(cJSON_GetArraySize(json_at(doc, "params")), 12);
    /* The exact large seat id survives: it is written as an integer, not a double. */
    assert_non_null(strstr(body, "9007199254740991"));
    cJSON_Delete(doc);
    free(body);

    /* Each filter alone: only that one appears. */
    struct cdr_itnio_filter one;
    memset(&one, 0, sizeof(one));
    one.end_time = DAY;
    one.hanging_directions = hanging;
    one.hanging_direction_count = 1;
    body = cdr_itnio_query_body(&one, 1, 1);
    doc = cJSON_Parse(body);
    assert_int_equal(cJSON_GetArraySize(json_at(doc, "params")), 3);
    assert_int_list(doc, "params.hangingDirection", (const int64_t[]){0}, 1);
    assert_null(json_at(doc, "params.voiceGroupId"));
    assert_null(json_at(doc, "params.sipGroupName"));
    cJSON_Delete(doc);
    free(body);
}

/* ---- client argument checks ------------------------------------------------------------------ */

/* A listening socket nobody answers on: if the client connected, the test would see it. */
struct trap {
    int fd;
    char url[64];
    int clock_calls;
};

static int64_t trap_clock(void *user)
{
    struct trap *t = user;
    t->clock_calls++;
    return 1735660800;
}

static void trap_open(struct trap *t)
{
    memset(t, 0, sizeof(*t));
    t->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(t->fd >= 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(t->fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    assert_int_equal(listen(t->fd, 8), 0);
    socklen_t alen = sizeof(addr);
    assert_int_equal(getsockname(t->fd, (struct sockaddr *)&addr, &alen), 0);
    snprintf(t->url, sizeof(t->url), "http://127.0.0.1:%u/", (unsigned)ntohs(addr.sin_port));
    fcntl(t->fd, F_SETFL, O_NONBLOCK);
}

static void trap_assert_untouched(struct trap *t)
{
    int c = accept(t->fd, NULL, NULL);
    if (c >= 0) {
        close(c);
        fail_msg("the client connected");
    }
    assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
    assert_int_equal(t->clock_calls, 0); /* nothing was even signed */
}

static struct cdr_itnio_client *trap_client(struct trap *t)
{
    struct cdr_itnio_options o;
    cdr_itnio_options_default(&o);
    o.base_url = t->url;
    o.api_key = "bDqJFiq9";
    o.api_secret = "7bz1lzh9";
    o.clock = trap_clock;
    o.clock_user = t;
    o.http.max_retries = 0;
    o.http.timeout_ms = 300;
    o.http.connect_timeout_ms = 300;
    struct cdr_error_info err;
    struct cdr_itnio_client *c = cdr_itnio_client_new(&o, &err);
    assert_non_null(c);
    return c;
}

static int count_record(void *user, const struct cdr_record *rec)
{
    (void)rec;
    (*(int *)user)++;
    return 0;
}

static void expect_query_page(struct cdr_itnio_client *c, int64_t start, int64_t end,
                              int64_t current, int64_t size, cdr_error want)
{
    struct cdr_itnio_filter f;
    memset(&f, 0, sizeof(f));
    f.start_time = start;
    f.end_time = end;
    struct cdr_itnio_page page;
    memset(&page, 0x5a, sizeof(page));
    struct cdr_error_info err;
    cdr_error rc = cdr_itnio_query_page(c, &f, current, size, &page, &err);
    if (rc != want)
        fail_msg("query_page [%lld,%lld] current %lld size %lld: %s (%s), want %s",
                 (long long)start, (long long)end, (long long)current, (long long)size,
                 cdr_error_name(rc), err.message, cdr_error_name(want));
    assert_int_equal(err.code, want);
    assert_page_empty(&page);
}

static void expect_fetch_all(struct cdr_itnio_client *c, int64_t start, int64_t end, int64_t size,
                             cdr_error want)
{
    struct cdr_itnio_filter f;
    memset(&f, 0, sizeof(f));
    f.start_time = start;
    f.end_time = end;
    int seen = 0;
    struct cdr_error_info err;
    cdr_error rc = cdr_itnio_fetch_all(c, &f, size, count_record, NULL, &seen, &err);
    if (rc != want)
        fail_msg("fetch_all size %lld: %s (%s), want %s", (long long)size, cdr_error_name(rc),
                 err.message, cdr_error_name(want));
    assert_int_equal(seen, 0);
}

static void test_query_page_argument_checks(void **state)
{
    (void)state;
    struct trap t;
    trap_open(&t);
    struct cdr_itnio_client *c = trap_client(&t);
    const int64_t s = china_time(2025, 1, 1, 0, 0, 0);
    const int64_t max = CDR_ITNIO_MAX_RANGE_SECONDS;
    expect_query_page(c, s, s + max + 1, 1, 50, CDR_ERR_RANGE_TOO_LARGE);
    expect_query_page(c, s, s + 200 * DAY, 1, 50, CDR_ERR_RANGE_TOO_LARGE);
    expect_query_page(c, s + 1, s, 1, 50, CDR_ERR_INVALID_ARGUMENT);
    expect_query_page(c, s, s + DAY, 1, 0, CDR_ERR_INVALID_ARGUMENT);
    expect_query_page(c, s, s + DAY, 1, 101, CDR_ERR_INVALID_ARGUMENT);
    expect_query_page(c, s, s + DAY, 1, -1, CDR_ERR_INVALID_ARGUMENT);
    expect_query_page(c, s, s + DAY, 0, 50, CDR_ERR_INVALID_ARGUMENT);
    expect_query_page(c, s, s + max, 0, 100, CDR_ERR_INVALID_ARGUMENT);

    struct cdr_itnio_page page;
    struct cdr_error_info err;
    assert_int_equal(cdr_itnio_query_page(c, NULL, 1, 50, &page, &err), CDR_ERR_INVALID_ARGUMENT);
    struct cdr_itnio_filter f = {.start_time = s, .end_time = s + DAY};
    assert_int_equal(cdr_itnio_query_page(NULL, &f, 1, 50, &page, &err), CDR_ERR_INVALID_ARGUMENT);

    struct cdr_itnio_list_page lp;
    assert_int_equal(cdr_itnio_query_groups(c, NULL, 1, 0, &lp, &err), CDR_ERR_INVALID_ARGUMENT);
    assert_int_equal(cdr_itnio_query_groups(c, NULL, 0, 10, &lp, &err), CDR_ERR_INVALID_ARGUMENT);
    struct cdr_itnio_seat_filter sf;
    cdr_itnio_seat_filter_init(&sf);
    sf.start_time = s;
    sf.end_time = s + DAY;
    assert_int_equal(cdr_itnio_query_seats(c, &sf, 1, 101, &lp, &err), CDR_ERR_INVALID_ARGUMENT);
    assert_int_equal(lp.count, 0);
    assert_null(lp.seats);
    /* The statistics window: 32 days at most, in order, both ends or neither. */
    sf.end_time = s + CDR_ITNIO_MAX_SEAT_RANGE_SECONDS + 1;
    assert_int_equal(cdr_itnio_query_seats(c, &sf, 1, 10, &lp, &err), CDR_ERR_RANGE_TOO_LARGE);
    sf.end_time = s - 1;
    assert_int_equal(cdr_itnio_query_seats(c, &sf, 1, 10, &lp, &err), CDR_ERR_INVALID_ARGUMENT);
    sf.end_time = CDR_TIME_NONE;
    assert_int_equal(cdr_itnio_query_seats(c, &sf, 1, 10, &lp, &err), CDR_ERR_INVALID_ARGUMENT);
    assert_int_equal(cdr_itnio_query_seats(c, NULL, 1, 10, &lp, &err), CDR_ERR_INVALID_ARGUMENT);

    trap_assert_untouched(&t);
    cdr_itnio_client_free(c);
    close(t.fd);
}

static void test_fetch_all_argument_checks(void **state)
{
    (void)state;
    struct trap t;
    trap_open(&t);
    struct cdr_itnio_client *c = trap_client(&t);
    const int64_t s = china_time(2025, 1, 1, 0, 0, 0);
    expect_fetch_all(c, s + 1, s, 50, CDR_ERR_INVALID_ARGUMENT);
    expect_fetch_all(c, s, s + DAY, 0, CDR_ERR_INVALID_ARGUMENT);
    expect_fetch_all(c, s, s + DAY, 101, CDR_ERR_INVALID_ARGUMENT);
    expect_fetch_all(c, s, s + 400 * DAY, 0, CDR_ERR_INVALID_ARGUMENT);

    struct cdr_itnio_filter f = {.start_time = s, .end_time = s + DAY};
    struct cdr_error_info err;
    assert_int_equal(cdr_itnio_fetch_all(c, &f, 50, NULL, NULL, NULL, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    assert_int_equal(cdr_itnio_fetch_all(c, NULL, 50, count_record, NULL, NULL, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    assert_int_equal(cdr_itnio_fetch_all(NULL, &f, 50, count_record, NULL, NULL, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    trap_assert_untouched(&t);
    cdr_itnio_client_free(c);
    close(t.fd);
}

static void test_client_new_requires_everything(void **state)
{
    (void)state;
    struct cdr_itnio_options o;
    cdr_itnio_options_default(&o);
    assert_null(o.base_url);
    assert_null(o.clock);
    assert_int_equal(o.http.max_retries, 2);
    assert_int_equal(o.http.timeout_ms, 30000);

    struct cdr_error_info err;
    o.base_url = "http://127.0.0.1:1";
    o.api_secret = "7bz1lzh9";
    memset(&err, 0, sizeof(err));
    assert_null(cdr_itnio_client_new(&o, &err));
    assert_int_equal(err.code, CDR_ERR_INVALID_ARGUMENT);

    o.api_key = "bDqJFiq9";
    o.api_secret = NULL;
    memset(&err, 0, sizeof(err));
    assert_null(cdr_itnio_client_new(&o, &err));
    assert_int_equal(err.code, CDR_ERR_INVALID_ARGUMENT);

    o.api_secret = "7bz1lzh9";
    o.base_url = NULL;
    memset(&err, 0, sizeof(err));
    assert_null(cdr_itnio_client_new(&o, &err));
    assert_int_equal(err.code, CDR_ERR_INVALID_ARGUMENT);

    memset(&err, 0, sizeof(err));
    assert_null(cdr_itnio_client_new(NULL, &err));
    assert_int_equal(err.code, CDR_ERR_INVALID_ARGUMENT);
    assert_null(cdr_itnio_client_new(NULL, NULL));

    o.base_url = "http://127.0.0.1:1///";
    struct cdr_itnio_client *c = cdr_itnio_client_new(&o, &err);
    assert_non_null(c);
    cdr_itnio_client_free(c);
    cdr_itnio_client_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_vector),
        cmocka_unit_test(test_parse_seed_example),
        cmocka_unit_test(test_parse_status_as_string),
        cmocka_unit_test(test_status_error_table),
        cmocka_unit_test(test_status_codes_as_numbers),
        cmocka_unit_test(test_status_codes_as_strings),
        cmocka_unit_test(test_status_error_without_reason),
        cmocka_unit_test(test_normalize_call_type),
        cmocka_unit_test(test_normalize_hanging_direction),
        cmocka_unit_test(test_normalize_recording_urls),
        cmocka_unit_test(test_normalize_numbers_as_strings),
        cmocka_unit_test(test_normalize_callee_and_times),
        cmocka_unit_test(test_malformed_envelopes),
        cmocka_unit_test(test_malformed_records),
        cmocka_unit_test(test_every_truncation_fails),
        cmocka_unit_test(test_trailing_bytes),
        cmocka_unit_test(test_query_body_minimal),
        cmocka_unit_test(test_query_body_all_filters),
        cmocka_unit_test(test_query_page_argument_checks),
        cmocka_unit_test(test_fetch_all_argument_checks),
        cmocka_unit_test(test_client_new_requires_everything),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
