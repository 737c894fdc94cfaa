/* The ITNIO simulator against what the vendor's pages say beyond the record query's own page: the
 * agent query's statistics window and fields, empty filters, the -2 and -23 codes, request bodies
 * read as a Jackson-bound service reads them, and each endpoint's status type. Expected values
 * come from the fixture files read here, never from the mock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "itnio_requests.h"
#include "server.h"
#include "testutil.h"

#define NOW_S 1746057600LL /* 2025-05-01T00:00:00Z, after every fixture record */
#define NOW_MS (NOW_S * 1000)
#define FROM "2025-01-01 00:00:00"
#define TO "2025-03-31 23:59:59"
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const char PARAM_ERROR[] =
    "{\"status\":-22,\"reason\":\"Parameter exception\",\"data\":null}";
static const char PARAM_ERROR_S[] =
    "{\"status\":\"-22\",\"reason\":\"Parameter exception\",\"data\":null}";

static struct test_mock *start(void **state, const char *const *variants)
{
    return test_mock_fixture_start(state, FIXTURES_DIR, NOW_MS, variants);
}

static struct test_reply post(struct test_mock *m, const char *path, const char *body)
{
    return post_at(m, NOW_S, path, body);
}

static void assert_body(const struct test_reply *r, const char *expected)
{
    assert_int_equal(r->status, 200);
    assert_string_equal(r->body, expected);
}

/* The envelope's status, as its JSON text ("0" for a number, "\"0\"" for a string). */
static char *status_text(const struct test_reply *r)
{
    if (!r->json)
        fail_msg("not JSON: %s", r->body);
    char *text = cJSON_PrintUnformatted(json_at(r->json, "status"));
    assert_non_null(text);
    return text;
}

static void assert_status(const struct test_reply *r, const char *want)
{
    char *got = status_text(r);
    if (strcmp(got, want) != 0)
        fail_msg("status %s, expected %s: %s", got, want, r->body);
    free(got);
}

static char *record_body(const char *extra)
{
    return test_format("{\"current\":1,\"size\":100,\"params\":{\"startTime\":\"" FROM
                       "\",\"endTime\":\"" TO "\"%s%s}}",
                       extra && *extra ? "," : "", extra ? extra : "");
}

static int64_t record_total(struct test_mock *m, const char *extra)
{
    char *body = record_body(extra);
    struct test_reply r = post(m, ITNIO_RECORDS, body);
    free(body);
    assert_status(&r, "0");
    int64_t total = json_int_at(r.json, "data.total");
    test_reply_free(&r);
    return total;
}

static char *seat_body(const char *params)
{
    return test_format("{\"current\":1,\"size\":100,\"params\":{%s}}", params);
}

static struct test_reply seat_query(struct test_mock *m, const char *params)
{
    char *body = seat_body(params);
    struct test_reply r = post(m, ITNIO_SEATS, body);
    free(body);
    return r;
}

/* ---- item 1: the agent query ----------------------------------------------------------------- */

static void test_seat_window_required(void **state)
{
    struct test_mock *m = start(state, NULL);
    static const char *const refused[] = {
        "",
        "\"strTime\":\"2025-01-01 00:00:00\"",
        "\"endTime\":\"2025-01-31 00:00:00\"",
        "\"strTime\":\"\",\"endTime\":\"\"",
        "\"strTime\":\"2025-01-01 00:00:00\",\"endTime\":\"2025-02-02 00:00:01\"",
        "\"strTime\":\"2025-02-01 00:00:00\",\"endTime\":\"2025-01-01 00:00:00\"",
        "\"strTime\":\"yesterday\",\"endTime\":\"2025-01-31 00:00:00\"",
        "\"strTime\":20250101,\"endTime\":\"2025-01-31 00:00:00\"",
    };
    for (size_t i = 0; i < ARRAY_LEN(refused); i++) {
        struct test_reply r = seat_query(m, refused[i]);
        if (strcmp(r.body, PARAM_ERROR_S) != 0)
            fail_msg("params {%s}: %s", refused[i], r.body);
        test_reply_free(&r);
    }
    /* Exactly 32 days is allowed, in either of the record query's time forms. */
    static const char *const accepted[] = {
        "\"strTime\":\"2025-01-01 00:00:00\",\"endTime\":\"2025-02-02 00:00:00\"",
        "\"strTime\":\"2025-01-01T00:00:00+08:00\",\"endTime\":\"2025-02-02T00:00:00+08:00\"",
    };
    for (size_t i = 0; i < ARRAY_LEN(accepted); i++) {
        struct test_reply r = seat_query(m, accepted[i]);
        assert_status(&r, "\"0\"");
        assert_non_null(json_at(r.json, "data.records.0.num"));
        test_reply_free(&r);
    }
    /* Without "params" at all there is no window either. */
    struct test_reply r = post(m, ITNIO_SEATS, "{\"current\":1,\"size\":10}");
    assert_body(&r, PARAM_ERROR_S);
    test_reply_free(&r);
}

static void test_seat_window_optional_variant(void **state)
{
    static const char *const variants[] = {"itnio.seat_window=optional", NULL};
    struct test_mock *m = start(state, variants);
    struct test_reply r = post(m, ITNIO_SEATS, "{\"current\":1,\"size\":100}");
    assert_status(&r, "\"0\"");
    /* The older page has no window and no statistics. */
    const cJSON *s;
    cJSON_ArrayForEach(s, json_at(r.json, "data.records")) {
        assert_null(cJSON_GetObjectItemCaseSensitive(s, "num"));
        assert_null(cJSON_GetObjectItemCaseSensitive(s, "connectRate"));
    }
    test_reply_free(&r);
    /* A window given is still checked. */
    r = seat_query(m, "\"strTime\":\"2025-01-01 00:00:00\",\"endTime\":\"2025-03-01 00:00:00\"");
    assert_body(&r, PARAM_ERROR_S);
    test_reply_free(&r);
}

/* Calls and connected calls of an agent in [from, to], counted from records.json. */
static void count_fixture_calls(const cJSON *records, const char *name, const char *from,
                                const char *to, int64_t *calls, int64_t *connected)
{
    *calls = *connected = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, records) {
        const cJSON *seat = cJSON_GetObjectItemCaseSensitive(r, "seatName");
        const char *start = json_str_at(r, "callStartTime");
        if (!cJSON_IsString(seat) || strcmp(seat->valuestring, name) != 0 ||
            strcmp(start, from) < 0 || strcmp(start, to) > 0)
            continue;
        (*calls)++;
        *connected += cJSON_IsString(cJSON_GetObjectItemCaseSensitive(r, "calledAnswerTime"));
    }
}

static void check_statistics(struct test_mock *m, const cJSON *records, bool fraction)
{
    const char *from = "2025-01-10 00:00:00", *to = "2025-02-10 00:00:00";
    char *params = test_format("\"strTime\":\"%s\",\"endTime\":\"%s\"", from, to);
    struct test_reply r = seat_query(m, params);
    free(params);
    assert_status(&r, "\"0\"");
    int64_t busy = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, json_at(r.json, "data.records")) {
        int64_t calls, connected;
        count_fixture_calls(records, json_str_at(s, "name"), from, to, &calls, &connected);
        assert_int_equal(json_int_at(s, "num"), calls);
        assert_int_equal(json_int_at(s, "connectNum"), connected);
        double ratio = calls ? (double)connected / (double)calls : 0.0;
        char *want = fraction ? test_format("%.2f", ratio) : test_format("%.2f%%", ratio * 100.0);
        assert_string_equal(json_str_at(s, "connectRate"), want);
        free(want);
        busy += calls > 0;
    }
    assert_in_range(busy, 2, 100); /* the window holds calls of several agents */
    test_reply_free(&r);
}

static void test_seat_statistics(void **state)
{
    cJSON *records = test_load_json(FIXTURES_DIR "/itnio/records.json");
    check_statistics(start(state, NULL), records, false);
    test_mock_fixture_stop(state);
    static const char *const variants[] = {"itnio.connect_rate=fraction", NULL};
    check_statistics(start(state, variants), records, true);
    cJSON_Delete(records);
}

/* Every record field the current pages document, in the table's order, statistics last. */
static void test_seat_record_fields(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r = seat_query(m, "\"strTime\":\"" FROM "\",\"endTime\":\"2025-02-01 "
                                        "00:00:00\",\"name\":\"carol\"");
    assert_status(&r, "\"0\"");
    assert_int_equal(json_int_at(r.json, "data.total"), 1);
    static const char *const fields[] = {"keyId",        "empNo",      "petName",    "name",
                                         "appId",        "deleteFlag", "enable",     "priority",
                                         "voiceGroupId", "groupName",  "account",    "password",
                                         "createTime",   "updateTime", "displayNum", "ccode",
                                         "status",       "num",        "connectNum", "connectRate"};
    const cJSON *member = json_at(r.json, "data.records.0")->child;
    for (size_t i = 0; i < ARRAY_LEN(fields); i++, member = member->next) {
        if (!member)
            fail_msg("the record ends before %s", fields[i]);
        assert_string_equal(member->string, fields[i]);
    }
    assert_null(member);
    test_reply_free(&r);
}

static void test_seat_filters_empty_and_typed(void **state)
{
    struct test_mock *m = start(state, NULL);
    const char *window = "\"strTime\":\"" FROM "\",\"endTime\":\"2025-02-01 00:00:00\"";
    char *all = test_format("%s", window);
    struct test_reply r = seat_query(m, all);
    int64_t total = json_int_at(r.json, "data.total");
    test_reply_free(&r);
    free(all);
    static const char *const unset[] = {"\"name\":\"\"", "\"enable\":\"\"", "\"status\":null",
                                        "\"voiceGroupId\":\"\""};
    for (size_t i = 0; i < ARRAY_LEN(unset); i++) {
        char *params = test_format("%s,%s", window, unset[i]);
        r = seat_query(m, params);
        assert_status(&r, "\"0\"");
        if (json_int_at(r.json, "data.total") != total)
            fail_msg("%s filtered: total %lld of %lld", unset[i],
                     (long long)json_int_at(r.json, "data.total"), (long long)total);
        test_reply_free(&r);
        free(params);
    }
    /* status 4 (after-call work) and 5 (break) are documented filters too. */
    for (int status = 4; status <= 5; status++) {
        char *params = test_format("%s,\"status\":%d", window, status);
        r = seat_query(m, params);
        assert_int_equal(json_int_at(r.json, "data.total"), 1);
        assert_int_equal(json_int_at(r.json, "data.records.0.status"), status);
        test_reply_free(&r);
        free(params);
    }
}

/* ---- item 2: empty filters ------------------------------------------------------------------- */

static void test_empty_filters_are_no_filter(void **state)
{
    static const char every_empty[] =
        "\"sipGroupName\":\"\",\"calledOrCaller\":\"\",\"ccode\":[\"\"],\"labelNames\":[\"\"],"
        "\"seatNameList\":[\"\"],\"voiceGroupId\":\"\",\"seatId\":[],\"callType\":[\"\"]";
    struct test_mock *m = start(state, NULL);
    int64_t all = record_total(m, NULL);
    assert_in_range(all, 10, INT64_MAX);
    static const char *const empty[] = {
        "\"sipGroupName\":\"\"",   "\"calledOrCaller\":\"\"", "\"ccode\":[\"\"]",
        "\"labelNames\":[\"\"]",   "\"seatNameList\":[\"\"]", "\"voiceGroupId\":\"\"",
        "\"seatId\":[\"\"]",       "\"callType\":[\"\"]",     "\"hangupReason\":[null]",
        "\"hangingDirection\":[]", "\"ccode\":[\"\",\"\"]",   every_empty};
    for (size_t i = 0; i < ARRAY_LEN(empty); i++) {
        int64_t total = record_total(m, empty[i]);
        if (total != all)
            fail_msg("%s: total %lld, unfiltered %lld", empty[i], (long long)total, (long long)all);
    }
    /* An empty item beside real ones changes nothing. */
    assert_int_equal(record_total(m, "\"ccode\":[\"\",\"86\"]"),
                     record_total(m, "\"ccode\":[\"86\"]"));
    assert_int_equal(record_total(m, "\"labelNames\":[\"vip\",\"\"]"),
                     record_total(m, "\"labelNames\":[\"vip\"]"));
    /* The group query's name too. */
    struct test_reply r = post(m, ITNIO_GROUPS, "{\"params\":{\"groupName\":\"\"}}");
    struct test_reply plain = post(m, ITNIO_GROUPS, "{}");
    assert_int_equal(json_int_at(r.json, "data.total"), json_int_at(plain.json, "data.total"));
    test_reply_free(&r);
    test_reply_free(&plain);
}

/* ---- item 3: -2 and -23 ---------------------------------------------------------------------- */

static void test_ip_allowlist(void **state)
{
    /* The in-process requests come from 127.0.0.1. */
    static const char *const outside[] = {"itnio.ip_allowlist=10.0.0.0/8,192.168.1.7", NULL};
    struct test_mock *m = start(state, outside);
    struct test_reply r = post(m, ITNIO_RECORDS, "{}");
    assert_body(&r, "{\"status\":-2,\"reason\":\"Restricted IP access\",\"data\":null}");
    assert_string_equal(r.vendor_code, "-2");
    test_reply_free(&r);
    r = post(m, ITNIO_GROUPS, "{}");
    assert_body(&r, "{\"status\":\"-2\",\"reason\":\"Restricted IP access\",\"data\":null}");
    test_reply_free(&r);
    r = get_at(m, NOW_S, ITNIO_SETTINGS "?voiceGroupId=12");
    assert_status(&r, "-2");
    test_reply_free(&r);
    /* A request that does not authenticate is refused as such first (inferred order). */
    r = post_at(m, NOW_S - 7200, ITNIO_RECORDS, "{}");
    assert_status(&r, "-16");
    test_reply_free(&r);
    test_mock_fixture_stop(state);

    static const char *const inside[] = {"itnio.ip_allowlist=10.1.2.3, 127.0.0.0/8, ::1", NULL};
    m = start(state, inside);
    char *body = record_body(NULL);
    r = post(m, ITNIO_RECORDS, body);
    free(body);
    assert_status(&r, "0");
    test_reply_free(&r);
    test_mock_fixture_stop(state);

    static const char *const exact[] = {"itnio.ip_allowlist=127.0.0.1/32", NULL};
    m = start(state, exact);
    r = post(m, ITNIO_GROUPS, "{}");
    assert_status(&r, "\"0\"");
    test_reply_free(&r);
}

/* A variant value the mock must refuse before it serves anything. */
static void assert_variant_refused(const char *variant)
{
    struct mock_config cfg;
    mock_config_init(&cfg);
    cfg.data_dir = strdup(FIXTURES_DIR);
    cfg.log_format = MOCK_LOG_OFF;
    assert_true(mock_config_add_variant(&cfg, variant));
    char err[512] = "";
    struct mock_server *s = mock_server_new(&cfg, err, sizeof(err));
    if (s) {
        mock_server_free(s);
        mock_config_free(&cfg);
        fail_msg("%s accepted", variant);
    }
    char *prefix = test_format("--variant %s: expected ", variant);
    if (strncmp(err, prefix, strlen(prefix)) != 0)
        fail_msg("%s: \"%s\"", variant, err);
    free(prefix);
    mock_config_free(&cfg);
}

static void test_limit_variants_validated(void **state)
{
    (void)state;
    static const char *const bad[] = {"itnio.ip_allowlist=",
                                      "itnio.ip_allowlist=300.1.1.1",
                                      "itnio.ip_allowlist=10.0.0.0/33",
                                      "itnio.ip_allowlist=::1/129",
                                      "itnio.ip_allowlist=10.0.0.1,,",
                                      "itnio.query_quota=0/minute",
                                      "itnio.query_quota=5/week",
                                      "itnio.query_quota=5/0s",
                                      "itnio.query_quota=5",
                                      "itnio.query_quota=x/day",
                                      "itnio.recording_url_ttl=0",
                                      "itnio.seat_window=maybe",
                                      "itnio.status_type=both"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++)
        assert_variant_refused(bad[i]);
}

static void test_query_quota(void **state)
{
    static const char *const variants[] = {"itnio.query_quota=3/minute", NULL};
    struct test_mock *m = start(state, variants);
    const int64_t minute_start = NOW_S - NOW_S % 60;
    mock_clock_set_ms(&m->server->clock, minute_start * 1000);
    /* A refused signature does not count. */
    struct auth wrong;
    auth_init_text(&wrong, ITNIO_KEY, "not-the-secret", "1746057600");
    struct test_reply r = post_with(m, ITNIO_GROUPS, wrong.list, "{}");
    assert_status(&r, "\"-1\"");
    test_reply_free(&r);
    /* Every endpoint counts, whatever the parameters. */
    for (int i = 0; i < 3; i++) {
        r = post_at(m, minute_start, i == 1 ? ITNIO_GROUPS : ITNIO_RECORDS, "{}");
        assert_int_not_equal(atoi(r.vendor_code), -23);
        test_reply_free(&r);
    }
    r = post_at(m, minute_start, ITNIO_RECORDS, "{}");
    assert_body(&r, "{\"status\":-23,\"reason\":\"Data caps\",\"data\":null}");
    assert_string_equal(r.vendor_code, "-23");
    test_reply_free(&r);
    r = get_at(m, minute_start, ITNIO_RECORDING_URL "?recordingFileId=x&sourceType=sip");
    assert_body(&r, "{\"status\":\"-23\",\"reason\":\"Data caps\",\"data\":null}");
    test_reply_free(&r);
    /* The quota is per key: the second tenant still has its own. */
    struct auth other;
    auth_init_text(&other, "cdrsimQA", "qa-secret-2f9c", "1746057600");
    r = post_with(m, ITNIO_GROUPS, other.list, "{}");
    assert_status(&r, "\"0\"");
    test_reply_free(&r);
    /* The next period on the mock's clock starts afresh. */
    mock_clock_set_ms(&m->server->clock, (minute_start + 60) * 1000);
    r = post_at(m, minute_start + 60, ITNIO_GROUPS, "{}");
    assert_status(&r, "\"0\"");
    test_reply_free(&r);
}

static void test_query_quota_seconds_period(void **state)
{
    static const char *const variants[] = {"itnio.query_quota=1/10s", NULL};
    struct test_mock *m = start(state, variants);
    const int64_t t = NOW_S - NOW_S % 10;
    mock_clock_set_ms(&m->server->clock, t * 1000);
    struct test_reply r = post_at(m, t, ITNIO_GROUPS, "{}");
    assert_status(&r, "\"0\"");
    test_reply_free(&r);
    mock_clock_set_ms(&m->server->clock, (t + 9) * 1000);
    r = post_at(m, t + 9, ITNIO_GROUPS, "{}");
    assert_status(&r, "\"-23\"");
    test_reply_free(&r);
    mock_clock_set_ms(&m->server->clock, (t + 10) * 1000);
    r = post_at(m, t + 10, ITNIO_GROUPS, "{}");
    assert_status(&r, "\"0\"");
    test_reply_free(&r);
}

/* ---- item 4: bodies as Jackson reads them ---------------------------------------------------- */

static void test_jackson_refuses_malformed(void **state)
{
    struct test_mock *m = start(state, NULL);
    char *good = record_body(NULL);
    static const char *const tails[] = {"garbage", "{}", "{\"current\":2}", "]", "\x01", ","};
    for (size_t i = 0; i < ARRAY_LEN(tails); i++) {
        char *body = test_format("%s%s", good, tails[i]);
        struct test_reply r = post(m, ITNIO_RECORDS, body);
        if (strcmp(r.body, PARAM_ERROR) != 0)
            fail_msg("trailing %s: %s", tails[i], r.body);
        test_reply_free(&r);
        free(body);
    }
    /* Whitespace after the value is fine. */
    char *body = test_format("%s \r\n\t", good);
    struct test_reply r = post(m, ITNIO_RECORDS, body);
    assert_status(&r, "0");
    test_reply_free(&r);
    free(body);
    /* Raw control characters inside a string; escaped ones are fine. */
    static const char *const raw[] = {"a\tb", "a\nb", "a\rb", "\x1f"};
    for (size_t i = 0; i < ARRAY_LEN(raw); i++) {
        char *extra = test_format("\"sipGroupName\":\"%s\"", raw[i]);
        body = record_body(extra);
        r = post(m, ITNIO_RECORDS, body);
        if (strcmp(r.body, PARAM_ERROR) != 0)
            fail_msg("raw control character %d in a string: %s", raw[i][1] ? raw[i][1] : raw[i][0],
                     r.body);
        test_reply_free(&r);
        free(body);
        free(extra);
    }
    body = record_body("\"sipGroupName\":\"a\\tb\\n\\u0001\"");
    r = post(m, ITNIO_RECORDS, body);
    assert_status(&r, "0");
    assert_int_equal(json_int_at(r.json, "data.total"), 0);
    test_reply_free(&r);
    free(body);
    /* A list whose wrong-typed item comes after good ones is refused whole (it once left the
     * filter counting items it no longer had). */
    static const char *const mixed[] = {
        "\"ccode\":[\"a\",\"b\",2]", "\"seatNameList\":[\"a\",true]", "\"labelNames\":[\"vip\",{}]",
        "\"callType\":[1,\"x\"]", "\"seatId\":[7,[]]"};
    for (size_t i = 0; i < ARRAY_LEN(mixed); i++) {
        body = record_body(mixed[i]);
        r = post(m, ITNIO_RECORDS, body);
        if (strcmp(r.body, PARAM_ERROR) != 0)
            fail_msg("%s: %s", mixed[i], r.body);
        test_reply_free(&r);
        free(body);
    }
    /* Whitespace between tokens is no control character inside a string. */
    r = post(m, ITNIO_GROUPS, "{\n\t\"current\":\t1\r\n}");
    assert_status(&r, "\"0\"");
    test_reply_free(&r);
    free(good);
}

static void test_jackson_trailing_ignored_variant(void **state)
{
    static const char *const variants[] = {"itnio.json_trailing=ignore", NULL};
    struct test_mock *m = start(state, variants);
    char *good = record_body(NULL);
    char *body = test_format("%s{\"current\":2}garbage", good);
    struct test_reply r = post(m, ITNIO_RECORDS, body);
    assert_status(&r, "0");
    assert_int_equal(json_int_at(r.json, "data.current"), 1);
    test_reply_free(&r);
    /* A control character in a string stays an error. */
    r = post(m, ITNIO_RECORDS, "{\"current\":1,\"params\":{\"startTime\":\"\t\"}}");
    assert_body(&r, PARAM_ERROR);
    test_reply_free(&r);
    free(body);
    free(good);
}

static void test_jackson_last_duplicate_wins(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r = post(m, ITNIO_GROUPS, "{\"current\":1,\"size\":100,\"size\":1}");
    assert_status(&r, "\"0\"");
    assert_int_equal(json_int_at(r.json, "data.size"), 1);
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "data.records")), 1);
    test_reply_free(&r);
    /* A bad value overwritten by a good one is fine; the other way round it is not. */
    r = post(m, ITNIO_GROUPS, "{\"size\":\"x\",\"size\":2}");
    assert_status(&r, "\"0\"");
    test_reply_free(&r);
    r = post(m, ITNIO_GROUPS, "{\"size\":2,\"size\":\"x\"}");
    assert_body(&r, PARAM_ERROR_S);
    test_reply_free(&r);
    /* Inside params, at any depth. */
    int64_t incoming = record_total(m, "\"callType\":[2]");
    assert_int_equal(record_total(m, "\"callType\":[3],\"callType\":[2]"), incoming);
    char *body =
        test_format("{\"params\":{\"startTime\":\"nonsense\"},\"params\":{\"startTime\":\"" FROM
                    "\",\"endTime\":\"" TO "\",\"callType\":[2]},\"current\":1,\"size\":1}");
    r = post(m, ITNIO_RECORDS, body);
    assert_status(&r, "0");
    assert_int_equal(json_int_at(r.json, "data.total"), incoming);
    test_reply_free(&r);
    free(body);
    body = test_format("{\"params\":{\"startTime\":\"" FROM "\",\"endTime\":\"" TO
                       "\"},\"params\":{\"startTime\":\"nonsense\"}}");
    r = post(m, ITNIO_RECORDS, body);
    assert_body(&r, PARAM_ERROR);
    test_reply_free(&r);
    free(body);
}

static void test_jackson_java_int_range(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r = post(m, ITNIO_GROUPS, "{\"current\":2147483647,\"size\":100}");
    assert_status(&r, "\"0\"");
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "data.records")), 0);
    test_reply_free(&r);
    static const char *const bad[] = {"{\"current\":2147483648}", "{\"current\":-2147483649}",
                                      "{\"size\":4294967297}",    "{\"current\":1e10}",
                                      "{\"current\":1.5}",        "{\"size\":\"10\"}"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        r = post(m, ITNIO_GROUPS, bad[i]);
        if (strcmp(r.body, PARAM_ERROR_S) != 0)
            fail_msg("%s: %s", bad[i], r.body);
        test_reply_free(&r);
    }
    static const char *const bad_params[] = {"\"voiceGroupId\":2147483648",
                                             "\"seatId\":[5000011,2147483648]",
                                             "\"callType\":[-2147483649]"};
    for (size_t i = 0; i < ARRAY_LEN(bad_params); i++) {
        char *body = record_body(bad_params[i]);
        r = post(m, ITNIO_RECORDS, body);
        if (strcmp(r.body, PARAM_ERROR) != 0)
            fail_msg("%s: %s", bad_params[i], r.body);
        test_reply_free(&r);
        free(body);
    }
}

/* ---- item 5: status types per endpoint ------------------------------------------------------- */

struct endpoint {
    const char *method, *path, *body;
    bool string_by_default;
};

static const struct endpoint endpoints[] = {
    {"POST", ITNIO_RECORDS, "{\"params\":{\"startTime\":\"" FROM "\",\"endTime\":\"" TO "\"}}",
     false},
    {"POST", ITNIO_GROUPS, "{}", true},
    {"POST", ITNIO_SEATS,
     "{\"params\":{\"strTime\":\"" FROM "\",\"endTime\":\"2025-01-31 00:00:00\"}}", true},
    {"GET", ITNIO_SETTINGS "?voiceGroupId=12", NULL, false},
    {"GET",
     ITNIO_RECORDING_URL "?sourceType=sip&recordingFileId=agent-call-record-250103/"
                         "25010316113064799.wav",
     NULL, true},
};

/* Each endpoint's success and its parameter error with the status typed as expected. */
static void check_status_types(struct test_mock *m, int mode /* 0 per endpoint, 1 number, 2
                                                                string */)
{
    for (size_t i = 0; i < ARRAY_LEN(endpoints); i++) {
        const struct endpoint *e = &endpoints[i];
        bool string = mode == 2 || (mode == 0 && e->string_by_default);
        struct test_reply r = e->body ? post(m, e->path, e->body) : get_at(m, NOW_S, e->path);
        assert_status(&r, string ? "\"0\"" : "0");
        test_reply_free(&r);
        /* The same endpoint's error. */
        if (e->body) {
            r = post(m, e->path, "{\"size\":0}");
        } else {
            char *bad = test_format("%.*s?x=1", (int)strcspn(e->path, "?"), e->path);
            r = get_at(m, NOW_S, bad);
            free(bad);
        }
        assert_status(&r, string ? "\"-22\"" : "-22");
        test_reply_free(&r);
    }
}

static void test_status_type_per_endpoint(void **state)
{
    check_status_types(start(state, NULL), 0);
    test_mock_fixture_stop(state);
    static const char *const number[] = {"itnio.status_type=number", NULL};
    check_status_types(start(state, number), 1);
    test_mock_fixture_stop(state);
    static const char *const string[] = {"itnio.status_type=string", NULL};
    check_status_types(start(state, string), 2);
}

/* ---- what the access log and the error texts say --------------------------------------------- */

static void test_framework_answers_have_a_log_code(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r = test_mock_call(m, "POST", "/v3/cc/nothing", NULL, "{}", 2);
    assert_int_equal(r.status, 404);
    assert_string_equal(r.vendor_code, "404");
    test_reply_free(&r);
    r = test_mock_call(m, "GET", ITNIO_RECORDS, NULL, NULL, 0);
    assert_int_equal(r.status, 405);
    assert_string_equal(r.vendor_code, "405");
    test_reply_free(&r);
    r = test_mock_call(m, "POST", ITNIO_SETTINGS, NULL, "{}", 2);
    assert_int_equal(r.status, 405);
    assert_string_equal(r.vendor_code, "405");
    test_reply_free(&r);
}

static void test_timestamp_reason_is_the_pages_example(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r = post_at(m, NOW_S + 3600, ITNIO_GROUPS, "{}");
    /* https://itniotech.com/api/account: { "status":"-16", "reason":"timestamp expires" } */
    assert_body(&r, "{\"status\":\"-16\",\"reason\":\"timestamp expires\",\"data\":null}");
    test_reply_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name)                                                                                    \
    cmocka_unit_test_setup_teardown(name, test_mock_fixture_setup, test_mock_fixture_teardown)
        T(test_seat_window_required),
        T(test_seat_window_optional_variant),
        T(test_seat_statistics),
        T(test_seat_record_fields),
        T(test_seat_filters_empty_and_typed),
        T(test_empty_filters_are_no_filter),
        T(test_ip_allowlist),
        cmocka_unit_test(test_limit_variants_validated),
        T(test_query_quota),
        T(test_query_quota_seconds_period),
        T(test_jackson_refuses_malformed),
        T(test_jackson_trailing_ignored_variant),
        T(test_jackson_last_duplicate_wins),
        T(test_jackson_java_int_range),
        T(test_status_type_per_endpoint),
        T(test_framework_answers_have_a_log_code),
        T(test_timestamp_reason_is_the_pages_example),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
