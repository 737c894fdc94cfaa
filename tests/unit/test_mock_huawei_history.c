/* The Huawei simulator in-process, its API Fabric half: tokenByAkSk, the Bearer check,
 * queryCallDetailRecord (window, filters, paging, retCodes, variants), the history's consistency
 * with the agents' calls (fixture and generator), getRecordingAddress and the URL it hands out,
 * and the AgentGateway's recordfile download. Expected values come from the fixtures read here or
 * from the vendor's pages, never from the mock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "server.h"
#include "testutil.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define SECOND 1000LL
#define DAY (86400 * SECOND)
#define TOKEN "/apigovernance/api/oauth/tokenByAkSk"
#define CDR "/apiaccess/CC-Management/v1/mobileAgent/queryCallDetailRecord"
#define RECORDING "/apiaccess/CC-Management/v1/mobileAgent/getRecordingAddress"
#define DEMO_APP "{\"app_key\":\"cdrsim-demo-ak\",\"app_secret\":\"cdrsim-demo-sk\"}"
#define EXAMPLE_SERIAL "1037058396471308289"
#define EXAMPLE_START 1621576992000LL

static int64_t t0_ms(void)
{
    return china_time(2025, 5, 1, 8, 0, 0) * SECOND; /* 2025-05-01T00:00:00Z */
}

static struct test_mock *start(void **state, const char *const *variants)
{
    return test_mock_fixture_start(state, FIXTURES_DIR, t0_ms(), variants);
}

static void advance(struct test_mock *m, int64_t ms)
{
    mock_clock_advance_ms(&m->server->clock, ms);
}

/* ---- requests -------------------------------------------------------------------------------- */

static struct test_reply post(struct test_mock *m, const char *path, const char *const *headers,
                              const char *body)
{
    return test_mock_call(m, "POST", path, headers, body, body ? strlen(body) : 0);
}

/* A token for the demo app (lifetime header when expire is not NULL); fails the test otherwise. */
static char *token(struct test_mock *m, const char *expire)
{
    char header[64];
    snprintf(header, sizeof(header), "X-Token-Expire: %s", expire ? expire : "");
    const char *const headers[] = {"Content-Type: application/json", expire ? header : NULL, NULL};
    struct test_reply r = post(m, TOKEN, headers, DEMO_APP);
    assert_int_equal(r.status, 200);
    char *t = strdup(json_str_at(r.json, "AccessToken"));
    test_reply_free(&r);
    return t;
}

/* A CC-Management call with "Authorization: Bearer <t>". */
static struct test_reply fabric(struct test_mock *m, const char *path, const char *t,
                                const char *body)
{
    char auth[640];
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", t);
    const char *const headers[] = {auth, "Content-Type: application/json", "Host: cdr.example:8443",
                                   NULL};
    return post(m, path, headers, body);
}

/* queryCallDetailRecord over [from, to] (epoch ms) with more body members (",\"k\":\"v\"..."). */
static struct test_reply query(struct test_mock *m, const char *t, int64_t from, int64_t to,
                               const char *more)
{
    char *body = test_format("{\"startTime\":\"%lld\",\"endTime\":\"%lld\"%s}", (long long)from,
                             (long long)to, more ? more : "");
    struct test_reply r = fabric(m, CDR, t, body);
    free(body);
    return r;
}

static void expect_gateway_error(const struct test_reply *r, int status, const char *code)
{
    if (r->status != status)
        fail_msg("HTTP %d, expected %d: %s", r->status, status, r->body);
    assert_string_equal(json_str_at(r->json, "error_code"), code);
    assert_true(cJSON_IsString(json_at(r->json, "error_msg")));
    assert_int_equal(strlen(json_str_at(r->json, "request_id")), 32);
    assert_null(json_at(r->json, "retCode")); /* the gateway's object, not the service's */
}

static void expect_retcode(const struct test_reply *r, const char *retcode)
{
    assert_int_equal(r->status, 200);
    if (!r->json || !cJSON_IsString(json_at(r->json, "retCode")))
        fail_msg("no string retCode: %s", r->body);
    assert_string_equal(json_str_at(r->json, "retCode"), retcode);
    assert_true(cJSON_IsString(json_at(r->json, "retMsg")));
    if (strcmp(retcode, "0") != 0)
        assert_null(json_at(r->json, "result"));
}

/* ---- the fixture's calls, read independently --------------------------------------------------
 */

/* An agent's outbound call of records.json as the history should hold it. */
struct outbound {
    int64_t begin, end, talk_begin, talk_end;
    char called[32], caller[32], agent_phone[32];
    int64_t feature;
};

static const char *phone_of(int64_t agent)
{
    static const struct {
        int64_t id;
        const char *phone;
    } phones[] = {{291, "70291"},  {292, "70292"},  {293, "70293"},
                  {1001, "71001"}, {2005, "72005"}, {65001, "76501"}};
    for (size_t i = 0; i < ARRAY_LEN(phones); i++)
        if (phones[i].id == agent)
            return phones[i].phone;
    return NULL;
}

static size_t fixture_outbound(struct outbound *out, size_t cap)
{
    cJSON *recs = test_load_json(FIXTURES_DIR "/huawei/records.json");
    size_t n = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, recs) {
        int64_t feature = json_int_at(r, "callfeature");
        bool outbound = feature == 7 || (feature >= 40 && feature <= 45 && feature != 42);
        if (!outbound || json_int_at(r, "trace.deviceType") != 2 ||
            !cJSON_IsNumber(json_at(r, "endtime")))
            continue;
        assert_true(n < cap);
        struct outbound *o = &out[n++];
        o->feature = feature;
        o->begin = json_int_at(r, "begintime");
        o->end = json_int_at(r, "endtime");
        const cJSON *tb = json_at(r, "trace.talkBeginTime"), *te = json_at(r, "trace.talkEndTime");
        o->talk_begin = cJSON_IsNumber(tb) ? (int64_t)tb->valuedouble : -1;
        o->talk_end = cJSON_IsNumber(te) ? (int64_t)te->valuedouble : -1;
        snprintf(o->called, sizeof(o->called), "%s", json_str_at(r, "called"));
        snprintf(o->caller, sizeof(o->caller), "%s", json_str_at(r, "caller"));
        snprintf(o->agent_phone, sizeof(o->agent_phone), "%s",
                 phone_of(json_int_at(r, "trace.deviceNo")));
    }
    cJSON_Delete(recs);
    return n;
}

/* Every record of the whole history, through 7-day windows from `from` on, 100 at a time. */
static cJSON *whole_history(struct test_mock *m, const char *t, int64_t from, int64_t to,
                            const char *more)
{
    cJSON *all = cJSON_CreateArray();
    for (int64_t a = from; a <= to; a += 7 * DAY) {
        int64_t b = a + 7 * DAY - 1 < to ? a + 7 * DAY - 1 : to;
        for (int64_t offset = 0;; offset += 100) {
            char *extra = test_format(",\"offset\":\"%lld\",\"limit\":\"100\"%s", (long long)offset,
                                      more ? more : "");
            struct test_reply r = query(m, t, a, b, extra);
            free(extra);
            if (strcmp(json_str_at(r.json, "retCode"), "1") == 0) {
                test_reply_free(&r);
                break;
            }
            expect_retcode(&r, "0");
            const cJSON *rec;
            cJSON_ArrayForEach(rec, json_at(r.json, "result.callInfo"))
                cJSON_AddItemToArray(all, cJSON_Duplicate(rec, true));
            bool last = cJSON_GetArraySize(json_at(r.json, "result.callInfo")) < 100;
            test_reply_free(&r);
            if (last)
                break;
        }
    }
    return all;
}

/* ---- tokenByAkSk ----------------------------------------------------------------------------- */

static void test_token_answer(void **state)
{
    struct test_mock *m = start(state, NULL);
    const char *const headers[] = {"Content-Type: application/json", "X-Token-Expire: 900", NULL};
    struct test_reply r = post(m, TOKEN, headers, DEMO_APP);
    assert_int_equal(r.status, 200);
    /* The page's example: every value a string, in this order; CreateTime epoch seconds. */
    static const char *const keys[] = {"AccessToken", "ApplyType", "CreateTime", "Expires",
                                       "Scope",       "AppKey",    "UserID"};
    const cJSON *item = r.json ? r.json->child : NULL;
    for (size_t i = 0; i < ARRAY_LEN(keys); i++, item = item->next) {
        assert_non_null(item);
        assert_string_equal(item->string, keys[i]);
        assert_true(cJSON_IsString(item));
    }
    assert_null(item);
    assert_string_equal(json_str_at(r.json, "ApplyType"), "Bearer");
    char create[24];
    snprintf(create, sizeof(create), "%lld", (long long)(t0_ms() / 1000));
    assert_string_equal(json_str_at(r.json, "CreateTime"), create);
    assert_string_equal(json_str_at(r.json, "Expires"), "900");
    assert_string_equal(json_str_at(r.json, "AppKey"), "cdrsim-demo-ak");
    assert_string_equal(json_str_at(r.json, "UserID"), "Anonymous");
    test_reply_free(&r);

    /* No header: 600 s (the pages' example value, the mock's default); over 3600: capped. */
    static const struct {
        const char *header, *expires;
    } lifetimes[] = {{NULL, "600"},
                     {"X-Token-Expire: 3600", "3600"},
                     {"X-Token-Expire: 86400", "3600"},
                     {"X-Token-Expire: 1", "1"}};
    for (size_t i = 0; i < ARRAY_LEN(lifetimes); i++) {
        const char *const h[] = {"Content-Type: application/json", lifetimes[i].header, NULL};
        r = post(m, TOKEN, h, DEMO_APP);
        assert_string_equal(json_str_at(r.json, "Expires"), lifetimes[i].expires);
        test_reply_free(&r);
    }
}

static void test_token_refusals(void **state)
{
    struct test_mock *m = start(state, NULL);
    static const char *const wrong[] = {
        "{\"app_key\":\"cdrsim-demo-ak\",\"app_secret\":\"nope\"}",
        "{\"app_key\":\"nobody\",\"app_secret\":\"cdrsim-demo-sk\"}",
        "{\"app_key\":\"cdrsim-demo-ak\"}",
        "{\"app_key\":\"cdrsim-demo-ak\",\"app_secret\":5}",
        "{\"app_key\":\"cdrsim-qa-ak\",\"app_secret\":\"cdrsim-demo-sk\"}", /* another app's */
        "{}",
    };
    for (size_t i = 0; i < ARRAY_LEN(wrong); i++) {
        struct test_reply r = post(m, TOKEN, NULL, wrong[i]);
        expect_gateway_error(&r, 401, "APIGW.0301");
        test_reply_free(&r);
    }
    static const char *const unreadable[] = {"", "not json", "[1]", "{\"app_key\":"};
    for (size_t i = 0; i < ARRAY_LEN(unreadable); i++) {
        struct test_reply r = post(m, TOKEN, NULL, unreadable[i]);
        expect_gateway_error(&r, 400, "APIGW.0201");
        test_reply_free(&r);
    }
    static const char *const bad_expire[] = {"X-Token-Expire: 0", "X-Token-Expire: -5",
                                             "X-Token-Expire: ten", "X-Token-Expire: 1e3"};
    for (size_t i = 0; i < ARRAY_LEN(bad_expire); i++) {
        const char *const h[] = {bad_expire[i], NULL};
        struct test_reply r = post(m, TOKEN, h, DEMO_APP);
        expect_gateway_error(&r, 400, "APIGW.0201");
        test_reply_free(&r);
    }
    /* The API gateway matches method and path together: anything else is its 404. */
    struct test_reply r = test_mock_call(m, "GET", TOKEN, NULL, NULL, 0);
    expect_gateway_error(&r, 404, "APIGW.0101");
    test_reply_free(&r);
    r = post(m, "/apiaccess/CC-Management/v1/mobileAgent/nothing", NULL, "{}");
    expect_gateway_error(&r, 404, "APIGW.0101");
    test_reply_free(&r);
    r = test_mock_call_oversized(m, "POST", CDR, NULL);
    expect_gateway_error(&r, 413, "APIGW.0201");
    test_reply_free(&r);
    r = test_mock_call_oversized(m, "PUT", CDR, NULL);
    expect_gateway_error(&r, 404, "APIGW.0101");
    test_reply_free(&r);
}

static void test_token_failure_variant(void **state)
{
    const char *const variants[] = {"huawei.token_failure=403", NULL};
    struct test_mock *m = start(state, variants);
    struct test_reply r = post(m, TOKEN, NULL, "{\"app_key\":\"x\",\"app_secret\":\"y\"}");
    expect_gateway_error(&r, 403, "APIGW.0301");
    test_reply_free(&r);
    r = query(m, "forged", t0_ms() - DAY, t0_ms(), NULL);
    expect_gateway_error(&r, 403, "APIGW.0301");
    test_reply_free(&r);
}

/* ---- the Bearer token ------------------------------------------------------------------------ */

static void test_bearer_checked_on_every_call(void **state)
{
    struct test_mock *m = start(state, NULL);
    char *t = token(m, "60");
    static const char *const paths[] = {CDR, RECORDING};
    const char *body = "{\"startTime\":\"0\",\"endTime\":\"1\",\"callSerialNo\":\"1\"}";
    for (size_t i = 0; i < ARRAY_LEN(paths); i++) {
        struct test_reply r = post(m, paths[i], NULL, body); /* no Authorization */
        expect_gateway_error(&r, 401, "APIGW.0301");
        test_reply_free(&r);
        const char *const lower[] = {"Authorization: bearer x", NULL};
        r = post(m, paths[i], lower, body);
        expect_gateway_error(&r, 401, "APIGW.0301");
        test_reply_free(&r);
        /* One character changed: no longer ours. */
        char *tampered = strdup(t);
        tampered[0] = tampered[0] == '6' ? '7' : '6';
        r = fabric(m, paths[i], tampered, body);
        expect_gateway_error(&r, 401, "APIGW.0301");
        test_reply_free(&r);
        free(tampered);
        r = fabric(m, paths[i], t, body); /* accepted: the body is what fails, if anything */
        assert_int_not_equal(r.status, 401);
        test_reply_free(&r);
    }
    /* X-APP-Key, when sent, names the token's app. */
    char auth[640];
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", t);
    const char *const right[] = {auth, "X-APP-Key: cdrsim-demo-ak", NULL};
    struct test_reply r = post(m, CDR, right, "{\"startTime\":\"0\",\"endTime\":\"1\"}");
    expect_retcode(&r, "1");
    test_reply_free(&r);
    const char *const other[] = {auth, "X-APP-Key: cdrsim-qa-ak", NULL};
    r = post(m, CDR, other, "{\"startTime\":\"0\",\"endTime\":\"1\"}");
    expect_gateway_error(&r, 401, "APIGW.0301");
    test_reply_free(&r);
    /* Expiry on the mock's clock: 60 s. */
    advance(m, 59 * SECOND);
    r = fabric(m, CDR, t, "{\"startTime\":\"0\",\"endTime\":\"1\"}");
    expect_retcode(&r, "1");
    test_reply_free(&r);
    advance(m, SECOND);
    r = fabric(m, CDR, t, "{\"startTime\":\"0\",\"endTime\":\"1\"}");
    expect_gateway_error(&r, 401, "APIGW.0307");
    test_reply_free(&r);
    free(t);
    /* A reset forgets every token. */
    t = token(m, NULL);
    r = test_mock_call(m, "POST", "/__cdrsim/reset", NULL, NULL, 0);
    test_reply_free(&r);
    r = fabric(m, CDR, t, "{\"startTime\":\"0\",\"endTime\":\"1\"}");
    expect_gateway_error(&r, 401, "APIGW.0301");
    test_reply_free(&r);
    free(t);
}

/* ---- queryCallDetailRecord ------------------------------------------------------------------- */

static void test_documented_example_record(void **state)
{
    struct test_mock *m = start(state, NULL);
    char *t = token(m, NULL);
    struct test_reply r = query(m, t, EXAMPLE_START, EXAMPLE_START, NULL);
    /* The page's example answer, byte for byte (its total aside). */
    cJSON *page = test_load_json(FIXTURES_DIR "/huawei/examples/history_response.json");
    cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(page, "result"),
                                           "total", cJSON_CreateNumber(1));
    char *want = cJSON_PrintUnformatted(page);
    assert_string_equal(r.body, want);
    free(want);
    cJSON_Delete(page);
    test_reply_free(&r);
    free(t);
}

static void test_history_matches_the_agents_calls(void **state)
{
    struct test_mock *m = start(state, NULL);
    char *t = token(m, NULL);
    static struct outbound calls[400];
    size_t n = fixture_outbound(calls, ARRAY_LEN(calls));
    assert_true(n > 100);
    /* Every taskType but ITA's (4): the agents' calls of types 1 and 2 (the page's example is
     * years older than the window). */
    cJSON *all = whole_history(m, t, t0_ms() - 400 * DAY, t0_ms(), ",\"taskType\":\"0\"");
    cJSON *ita = whole_history(m, t, t0_ms() - 400 * DAY, t0_ms(), ",\"taskType\":\"4\"");
    size_t want_all = 0, want_ita = 0;
    for (size_t i = 0; i < n; i++) {
        if (calls[i].feature == 45)
            want_ita++;
        else
            want_all++;
    }
    assert_int_equal(cJSON_GetArraySize(all), want_all);
    assert_int_equal(cJSON_GetArraySize(ita), want_ita);
    assert_true(want_ita > 0);
    /* Each call is there once: same instants, numbers and agent, durations from them. */
    for (size_t i = 0; i < n; i++) {
        const cJSON *list = calls[i].feature == 45 ? ita : all, *rec, *hit = NULL;
        cJSON_ArrayForEach(rec, list) {
            if (json_int_at(rec, "startTime") == calls[i].begin) {
                assert_null(hit);
                hit = rec;
            }
        }
        if (!hit)
            fail_msg("the call begun at %lld is not in the history", (long long)calls[i].begin);
        assert_int_equal(json_int_at(hit, "endTime"), calls[i].end);
        assert_int_equal(json_int_at(hit, "releaseTime"), calls[i].end);
        assert_string_equal(json_str_at(hit, "called"), calls[i].called);
        assert_string_equal(json_str_at(hit, "callerPresent"), calls[i].caller);
        assert_string_equal(json_str_at(hit, "caller"), calls[i].agent_phone);
        assert_int_equal(json_int_at(hit, "state"), 3);
        if (calls[i].talk_begin >= 0) {
            assert_int_equal(json_int_at(hit, "talkingTime"), calls[i].talk_begin);
            assert_int_equal(json_int_at(hit, "talkDuration"),
                             (calls[i].talk_end - calls[i].talk_begin) / 1000);
        } else {
            assert_null(json_at(hit, "talkingTime"));
            assert_int_equal(json_int_at(hit, "talkDuration"), 0);
        }
        assert_int_equal(json_int_at(hit, "agentTalkDuration"),
                         (calls[i].end - calls[i].begin) / 1000);
        size_t digits = strspn(json_str_at(hit, "callSerialNo"), "0123456789");
        assert_int_equal(digits, strlen(json_str_at(hit, "callSerialNo")));
        assert_true(digits >= 18 && digits <= 19);
    }
    cJSON_Delete(all);
    cJSON_Delete(ita);
    free(t);
}

static void test_generated_history(void **state)
{
    struct test_mock_fixture *fx = *state;
    test_mock_start_generated(&fx->mock, FIXTURES_DIR, t0_ms(), NULL, "huawei", 2000, 11);
    fx->started = true;
    struct test_mock *m = &fx->mock;
    /* The generated calls: every outbound one of an agent is in the history, ITA's aside. */
    char *dump = mock_server_dump(m->server, "huawei");
    cJSON *calls = cJSON_Parse(dump);
    free(dump);
    size_t want = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, calls) {
        int64_t f = json_int_at(c, "callfeature");
        want += f == 7 || f == 40 || f == 41 || f == 43 || f == 44;
    }
    cJSON_Delete(calls);
    char *t = token(m, NULL);
    cJSON *all = whole_history(m, t, t0_ms() - 366 * DAY, t0_ms(), NULL);
    assert_int_equal(cJSON_GetArraySize(all), want);
    assert_true(want > 500);
    /* Oldest first, by default. */
    int64_t prev = 0;
    const cJSON *rec;
    cJSON_ArrayForEach(rec, all) {
        assert_true(json_int_at(rec, "startTime") >= prev);
        prev = json_int_at(rec, "startTime");
    }
    cJSON_Delete(all);
    free(t);
}

static void test_paging_and_filters(void **state)
{
    struct test_mock *m = start(state, NULL);
    char *t = token(m, NULL);
    /* April 1 to 7, 2025 (China time), a week of the fixture's history. */
    int64_t from = china_time(2025, 4, 1, 0, 0, 0) * SECOND, to = from + 7 * DAY;
    struct test_reply whole = query(m, t, from, to, NULL);
    expect_retcode(&whole, "0");
    int64_t total = json_int_at(whole.json, "result.total");
    assert_true(total >= 3);
    assert_int_equal(cJSON_GetArraySize(json_at(whole.json, "result.callInfo")), total);
    /* Pages of one: offset counts records. */
    for (int64_t i = 0; i < total; i++) {
        char *more = test_format(",\"offset\":\"%lld\",\"limit\":\"1\"", (long long)i);
        struct test_reply r = query(m, t, from, to, more);
        free(more);
        expect_retcode(&r, "0");
        assert_int_equal(json_int_at(r.json, "result.total"), total);
        assert_int_equal(cJSON_GetArraySize(json_at(r.json, "result.callInfo")), 1);
        char path[64];
        snprintf(path, sizeof(path), "result.callInfo.%lld.callSerialNo", (long long)i);
        assert_string_equal(json_str_at(r.json, "result.callInfo.0.callSerialNo"),
                            json_str_at(whole.json, path));
        test_reply_free(&r);
    }
    /* Past the end: "no data found". Numbers are taken for strings (a Java String member). */
    char *more = test_format(",\"offset\":%lld,\"limit\":1", (long long)total);
    struct test_reply r = query(m, t, from, to, more);
    free(more);
    expect_retcode(&r, "1");
    test_reply_free(&r);
    /* The window is inclusive at both ends, to the millisecond. */
    int64_t first = json_int_at(whole.json, "result.callInfo.0.startTime");
    r = query(m, t, first, first, NULL);
    expect_retcode(&r, "0");
    assert_int_equal(json_int_at(r.json, "result.total"), 1);
    test_reply_free(&r);
    r = query(m, t, first + 1, first + 1, NULL);
    expect_retcode(&r, "1");
    test_reply_free(&r);
    /* caller: exact; the first record's agent phone keeps its records only. */
    const char *caller = json_str_at(whole.json, "result.callInfo.0.caller");
    more = test_format(",\"caller\":\"%s\"", caller);
    r = query(m, t, from, to, more);
    free(more);
    expect_retcode(&r, "0");
    const cJSON *rec;
    int64_t kept = 0;
    cJSON_ArrayForEach(rec, json_at(r.json, "result.callInfo")) {
        assert_string_equal(json_str_at(rec, "caller"), caller);
        kept++;
    }
    int64_t want = 0;
    cJSON_ArrayForEach(rec, json_at(whole.json, "result.callInfo"))
        want += strcmp(json_str_at(rec, "caller"), caller) == 0;
    assert_int_equal(kept, want);
    test_reply_free(&r);
    r = query(m, t, from, to, ",\"caller\":\"\",\"taskType\":\"\",\"offset\":\"\",\"limit\":\"\"");
    expect_retcode(&r, "0"); /* empty members are the defaults */
    assert_int_equal(json_int_at(r.json, "result.total"), total);
    test_reply_free(&r);
    test_reply_free(&whole);
    free(t);
}

static void test_retcodes(void **state)
{
    struct test_mock *m = start(state, NULL);
    char *t = token(m, NULL);
    static const struct {
        const char *body, *retcode;
    } cases[] = {
        /* "2": the start and end times: missing, not epoch ms, reversed, over seven days. */
        {"{\"endTime\":\"1745000000000\"}", "2"},
        {"{\"startTime\":\"1745000000000\"}", "2"},
        {"{\"startTime\":\"2025-04-01\",\"endTime\":\"1745000000000\"}", "2"},
        {"{\"startTime\":\"1745000000000\",\"endTime\":\"17450000000x0\"}", "2"},
        {"{\"startTime\":\"-1\",\"endTime\":\"1745000000000\"}", "2"},
        {"{\"startTime\":\"1745000000001\",\"endTime\":\"1745000000000\"}", "2"},
        {"{\"startTime\":\"1745000000000\",\"endTime\":\"1745604800001\"}", "2"},
        {"{\"startTime\":true,\"endTime\":\"1745000000000\"}", "2"},
        /* "4": offset and limit. */
        {"{\"startTime\":\"1745000000000\",\"endTime\":\"1745000000000\",\"offset\":\"-1\"}", "4"},
        {"{\"startTime\":\"1745000000000\",\"endTime\":\"1745000000000\",\"offset\":\"a\"}", "4"},
        {"{\"startTime\":\"1745000000000\",\"endTime\":\"1745000000000\",\"limit\":\"0\"}", "4"},
        {"{\"startTime\":\"1745000000000\",\"endTime\":\"1745000000000\",\"limit\":\"101\"}", "4"},
        {"{\"startTime\":\"1745000000000\",\"endTime\":\"1745000000000\",\"limit\":[1]}", "4"},
        /* "12": a caller that cannot be a number. */
        {"{\"startTime\":\"1745000000000\",\"endTime\":\"1745000000000\",\"caller\":\"abc\"}",
         "12"},
        {"{\"startTime\":\"1745000000000\",\"endTime\":\"1745000000000\",\"caller\":"
         "\"123456789012345678901234567890123\"}",
         "12"},
        /* Exactly seven days and the largest limit are fine ("1": nothing there, in 2019). */
        {"{\"startTime\":\"1562786332000\",\"endTime\":\"1563391132000\",\"limit\":\"100\"}", "1"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct test_reply r = fabric(m, CDR, t, cases[i].body);
        if (!r.json || !cJSON_IsString(json_at(r.json, "retCode")) ||
            strcmp(json_str_at(r.json, "retCode"), cases[i].retcode) != 0)
            fail_msg("%s: %s, expected retCode %s", cases[i].body, r.body, cases[i].retcode);
        expect_retcode(&r, cases[i].retcode);
        test_reply_free(&r);
    }
    /* What has no retCode of its own is a bad request. */
    static const char *const bad[] = {
        "", "[]", "not json",
        "{\"startTime\":\"1745000000000\",\"endTime\":\"1745000000000\",\"taskType\":\"5\"}",
        "{\"startTime\":\"1745000000000\",\"endTime\":\"1745000000000\",\"taskType\":\"x\"}"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        struct test_reply r = fabric(m, CDR, t, bad[i]);
        expect_gateway_error(&r, 400, "APIGW.0201");
        test_reply_free(&r);
    }
    free(t);
}

static void test_history_variants(void **state)
{
    int64_t from = china_time(2025, 4, 1, 0, 0, 0) * SECOND, to = from + 7 * DAY;
    {
        const char *const v[] = {"huawei.history_order=newest", "huawei.history_types=strings",
                                 NULL};
        struct test_mock *m = start(state, v);
        char *t = token(m, NULL);
        struct test_reply r = query(m, t, from, to, NULL);
        expect_retcode(&r, "0");
        const cJSON *list = json_at(r.json, "result.callInfo");
        int n = cJSON_GetArraySize(list);
        assert_true(n >= 2);
        /* Newest first; every value a string, as the page's table types them. */
        assert_true(strcmp(json_str_at(list, "0.startTime"), json_str_at(list, "1.startTime")) > 0);
        const cJSON *member;
        cJSON_ArrayForEach(member, cJSON_GetArrayItem(list, 0))
            assert_true(cJSON_IsString(member));
        assert_true(cJSON_IsNumber(json_at(r.json, "result.total"))); /* "number" in the table */
        test_reply_free(&r);
        free(t);
        test_mock_fixture_stop(state);
    }
    {
        const char *const v[] = {"huawei.history_empty=empty", "huawei.history_offset=pages",
                                 "huawei.history_max_limit=0", NULL};
        struct test_mock *m = start(state, v);
        char *t = token(m, NULL);
        struct test_reply r = query(m, t, 0, 1, NULL);
        assert_string_equal(r.body, "{\"result\":{\"total\":0,\"callInfo\":[]},\"retCode\":\"0\","
                                    "\"retMsg\":\"Query call detail record successfully\"}");
        test_reply_free(&r);
        struct test_reply whole = query(m, t, from, to, NULL);
        r = query(m, t, from, to, ",\"offset\":\"1\",\"limit\":\"2\""); /* the second page of 2 */
        assert_string_equal(json_str_at(r.json, "result.callInfo.0.callSerialNo"),
                            json_str_at(whole.json, "result.callInfo.2.callSerialNo"));
        test_reply_free(&r);
        r = query(m, t, from, to, ",\"limit\":\"5000\"");
        expect_retcode(&r, "0");
        test_reply_free(&r);
        test_reply_free(&whole);
        free(t);
    }
}

/* ---- recordings ------------------------------------------------------------------------------ */

/* A WAV file of the mock's audio: G.711 A-law (format 6), 8 kHz mono, this many seconds. */
static void expect_alaw_wav(const struct test_reply *r, int64_t seconds)
{
    assert_true(r->body_len > 58);
    const unsigned char *b = (const unsigned char *)r->body;
    assert_int_equal(memcmp(b, "RIFF", 4), 0);
    assert_int_equal(memcmp(b + 8, "WAVE", 4), 0);
    assert_int_equal(b[20] | b[21] << 8, 6);
    assert_int_equal(r->body_len, 58 + (size_t)seconds * 8000);
}

/* The history record with this serial (the page's example, for one). */
static struct test_reply recording_address(struct test_mock *m, const char *t, const char *serial)
{
    char *body = test_format("{\"callSerialNo\":\"%s\"}", serial);
    struct test_reply r = fabric(m, RECORDING, t, body);
    free(body);
    return r;
}

static void test_recording_address_and_url(void **state)
{
    struct test_mock *m = start(state, NULL);
    char *t = token(m, "3600");
    struct test_reply r = recording_address(m, t, EXAMPLE_SERIAL);
    assert_int_equal(r.status, 200);
    /* A numeric retCode, the example's order. */
    assert_true(cJSON_IsNumber(json_at(r.json, "retCode")));
    assert_int_equal(json_int_at(r.json, "retCode"), 0);
    assert_string_equal(r.json->child->string, "retMsg");
    const char *url = json_str_at(r.json, "result.url");
    assert_true(strlen(url) <= 200);
    /* On the host the client reached. */
    test_assert_prefix(url, "http://cdr.example:8443/aicc-obs/record/" EXAMPLE_SERIAL ".wav?");
    char *path = strdup(url + strlen("http://cdr.example:8443"));
    test_reply_free(&r);
    /* The example talked 26 s: the mock's audio stops at 10. */
    r = test_mock_call(m, "GET", path, NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    expect_alaw_wav(&r, 10);
    test_reply_free(&r);
    /* Five minutes on the mock's clock, then the store refuses it as OBS does. */
    advance(m, 5 * 60 * SECOND - 1000);
    r = test_mock_call(m, "GET", path, NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    advance(m, 1000);
    r = test_mock_call(m, "GET", path, NULL, NULL, 0);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body, "<Code>AccessDenied</Code>"));
    assert_non_null(strstr(r.body, "<Message>Request has expired.</Message>"));
    test_reply_free(&r);
    /* Tampered, or without its query: refused too. */
    char *forged = strdup(path);
    char *sig = strstr(forged, "Signature=") + strlen("Signature=");
    sig[0] = sig[0] == 'a' ? 'b' : 'a';
    r = test_mock_call(m, "GET", forged, NULL, NULL, 0);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body, "<Code>SignatureDoesNotMatch</Code>"));
    test_reply_free(&r);
    free(forged);
    r = test_mock_call(m, "GET", "/aicc-obs/record/" EXAMPLE_SERIAL ".wav", NULL, NULL, 0);
    assert_int_equal(r.status, 403);
    test_reply_free(&r);
    r = test_mock_call(m, "GET", "/aicc-obs/record/../x", NULL, NULL, 0);
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(r.body, "<Code>NoSuchKey</Code>"));
    test_reply_free(&r);
    r = test_mock_call(m, "DELETE", path, NULL, NULL, 0);
    assert_int_equal(r.status, 405);
    test_reply_free(&r);
    free(path);
    free(t);
}

static void test_recording_address_failures(void **state)
{
    struct test_mock *m = start(state, NULL);
    char *t = token(m, NULL);
    /* An answered and an unanswered call of the fixture's history. */
    static struct outbound calls[400];
    size_t n = fixture_outbound(calls, ARRAY_LEN(calls));
    int64_t unanswered = -1;
    for (size_t i = 0; i < n && unanswered < 0; i++)
        if (calls[i].talk_begin < 0 && calls[i].feature != 45)
            unanswered = calls[i].begin;
    assert_true(unanswered > 0);
    struct test_reply q = query(m, t, unanswered, unanswered, NULL);
    char serial[32];
    snprintf(serial, sizeof(serial), "%s", json_str_at(q.json, "result.callInfo.0.callSerialNo"));
    test_reply_free(&q);
    static const struct {
        const char *serial;
        int retcode;
    } cases[] = {
        {"1", 5},                                                    /* no such record */
        {"123456789012345678901234567890123456789012345678901", 12}, /* over 50 characters */
        {NULL, 11}, /* the unanswered call: nothing was recorded */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct test_reply r = recording_address(m, t, cases[i].serial ? cases[i].serial : serial);
        assert_int_equal(r.status, 200);
        assert_int_equal(json_int_at(r.json, "retCode"), cases[i].retcode);
        assert_null(json_at(r.json, "result"));
        test_reply_free(&r);
    }
    static const char *const bad[] = {"", "{}", "{\"callSerialNo\":\"\"}", "{\"callSerialNo\":[]}"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        struct test_reply r = fabric(m, RECORDING, t, bad[i]);
        expect_gateway_error(&r, 400, "APIGW.0201");
        test_reply_free(&r);
    }
    free(t);
}

/* ---- recordfile ------------------------------------------------------------------------------ */

static void sign_in(struct test_mock *m, const char *agent, char guid[96])
{
    char path[96], body[128];
    snprintf(path, sizeof(path), "/agentgateway/resource/onlineagent/%s", agent);
    snprintf(body, sizeof(body), "{\"password\":\"demo-pass-%s\",\"phonenum\":\"70000\"}", agent);
    struct test_reply r = test_mock_call(m, "PUT", path, NULL, body, strlen(body));
    assert_true(test_reply_header(&r, "Guid", guid, 96));
    test_reply_free(&r);
}

static struct test_reply recordfile(struct test_mock *m, const char *agent, const char *guid,
                                    const char *query)
{
    char header[128];
    char *path = test_format("/agentgateway/resource/recordfile/%s%s", agent, query);
    snprintf(header, sizeof(header), "Guid: %s", guid);
    struct test_reply r =
        test_mock_call(m, "GET", path, (const char *const[]){header, NULL}, NULL, 0);
    free(path);
    return r;
}

static void expect_gateway_retcode(const struct test_reply *r, const char *retcode)
{
    assert_int_equal(r->status, 200);
    assert_non_null(r->json);
    assert_string_equal(json_str_at(r->json, "retcode"), retcode);
}

static void test_recordfile_download(void **state)
{
    struct test_mock *m = start(state, NULL);
    char guid[96];
    sign_in(m, "292", guid);
    /* A call that has talked 4 s; its AgentMediaEvent_Record names the file. */
    static const char call[] = "{\"callid\":\"rec-1\",\"talk_seconds\":4}";
    struct test_reply r =
        test_mock_call(m, "POST", "/__cdrsim/huawei/agents/292/calls", NULL, call, strlen(call));
    assert_int_equal(r.status, 201);
    test_reply_free(&r);
    const char *file = "Y:/1/0/20250501/20011/rec-1.V3"; /* talk began 07:59:56 China time */
    char *query = test_format("?recordId=%s&filetype=1&locationId=0", file);
    r = recordfile(m, "292", guid, query);
    assert_int_equal(r.status, 200);
    expect_alaw_wav(&r, 4);
    test_reply_free(&r);
    free(query);
    /* The page's failure body, for a file the agent has not got. */
    static const char *const refused[] = {
        "?recordId=Y:/1/0/20250501/20011/rec-2.V3",            /* no such call */
        "?recordId=Y:/1/0/20250502/20011/rec-1.V3",            /* not its file name */
        "?recordId=Y:/1/0/20250501/20011/rec-1.V3&filetype=2", /* no IVR recordings */
        "?recordId=C:/whatever.V3",
    };
    for (size_t i = 0; i < ARRAY_LEN(refused); i++) {
        r = recordfile(m, "292", guid, refused[i]);
        if (strcmp(r.body, "{\"retcode\":\"000-003\",\"message\":\"no right to invite resource\","
                           "\"result\":\"\"}") != 0)
            fail_msg("%s: %s", refused[i], r.body);
        test_reply_free(&r);
    }
    static const char *const bad[] = {"", "?recordId=", "?recordId=x&filetype=3",
                                      "?recordId=x&locationId=north"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        r = recordfile(m, "292", guid, bad[i]);
        expect_gateway_retcode(&r, "000-002");
        test_reply_free(&r);
    }
    r = recordfile(m, "292", "wrong", "?recordId=Y:/1/0/20250501/20011/rec-1.V3");
    expect_gateway_retcode(&r, "000-003");
    test_reply_free(&r);
    r = recordfile(m, "293", guid, "?recordId=Y:/1/0/20250501/20011/rec-1.V3");
    expect_gateway_retcode(&r, "100-006");
    test_reply_free(&r);
    /* Not recorded: no file. Ended and remembered: still there. */
    r = test_mock_call(m, "POST", "/__cdrsim/huawei/agents/292/hold", NULL, NULL, 0);
    test_reply_free(&r);
    static const char quiet[] = "{\"callid\":\"quiet\",\"recorded\":false,\"talk_seconds\":3}";
    r = test_mock_call(m, "POST", "/__cdrsim/huawei/agents/292/calls", NULL, quiet, strlen(quiet));
    assert_int_equal(r.status, 201);
    test_reply_free(&r);
    r = recordfile(m, "292", guid, "?recordId=Y:/1/0/20250501/20011/quiet.V3");
    expect_gateway_retcode(&r, "000-003");
    test_reply_free(&r);
    r = recordfile(m, "292", guid, "?recordId=Y:/1/0/20250501/20011/rec-1.V3");
    assert_int_equal(r.status, 200); /* held */
    test_reply_free(&r);
}

static void test_recordfile_of_a_history_call(void **state)
{
    struct test_mock *m = start(state, NULL);
    char guid[96];
    sign_in(m, "291", guid);
    /* 291's newest call in records.json: talked from 2025-04-22 10:31:00 China time, skill 20020
     * (the file's folders: VDN 1, that day, the skill). */
    struct test_reply r =
        recordfile(m, "291", guid, "?recordId=Y:/1/0/20250422/20020/1745289057-452.V3");
    assert_int_equal(r.status, 200);
    expect_alaw_wav(&r, 10); /* 179 s of talk, the audio capped */
    test_reply_free(&r);
    /* Another agent's call is not 291's file. */
    sign_in(m, "2005", guid);
    r = recordfile(m, "2005", guid, "?recordId=Y:/1/0/20250422/20020/1745289057-452.V3");
    expect_gateway_retcode(&r, "000-003");
    test_reply_free(&r);
    /* The seed page's example call never talked (talk begins and ends at one instant). */
    r = recordfile(m, "2005", guid, "?recordId=Y:/214/0/20210713/20011/1476838963-224.V3");
    expect_gateway_retcode(&r, "000-003");
    test_reply_free(&r);
}

/* The recordfile page prints its own failure body; error_body=ours, our reading for the pages that
 * print none, does not replace it. */
static void test_recordfile_body_under_error_body_ours(void **state)
{
    const char *const variants[] = {"huawei.error_body=ours", NULL};
    struct test_mock *m = start(state, variants);
    char guid[96];
    sign_in(m, "291", guid);
    struct test_reply r = recordfile(m, "291", guid, "?recordId=Y:/1/0/20250501/20011/none.V3");
    assert_string_equal(r.body, "{\"retcode\":\"000-003\",\"message\":\"no right to invite "
                                "resource\",\"result\":\"\"}");
    test_reply_free(&r);
    r = recordfile(m, "291", "wrong", "?recordId=Y:/1/0/20250501/20011/none.V3");
    assert_string_equal(r.body, "{\"retcode\":\"000-003\",\"message\":\"no right to invite "
                                "resource\",\"result\":\"\"}");
    test_reply_free(&r);
    r = recordfile(m, "291", guid, "?recordId=");
    assert_string_equal(r.body, "{\"retcode\":\"000-002\",\"message\":\"The URL parameter or "
                                "interface parameter is invalid.\",\"result\":\"\"}");
    test_reply_free(&r);
    /* Elsewhere the variant holds. */
    r = test_mock_call(m, "GET", "/agentgateway/resource/calldata/291/callinfo",
                       (const char *const[]){"Guid: wrong", NULL}, NULL, 0);
    assert_string_equal(r.body,
                        "{\"message\":\"No permission, or the agent authentication has expired.\","
                        "\"retcode\":\"000-003\",\"result\":null}");
    test_reply_free(&r);
}

/* ---- records added and cleared at run time --------------------------------------------------- */

/* An outbound call of agent 291 (phone 70291) the fixtures do not have, in the callinfo page's
 * shape: it rings at begin, talks from begin + 5 s for 60 s. */
#define ADDED_BEGIN 1746000000000LL /* 2025-04-30T08:00:00Z */
#define ADDED_CALL(callid, device)                                                                 \
    "{\"callfeature\":7,\"callid\":\"" callid                                                      \
    "\",\"caller\":\"60016\",\"called\":\"13900001111\","                                          \
    "\"callskill\":\"outbound\",\"callskillid\":20020,\"orgicallednum\":\"\",\"calldata\":\"\","   \
    "\"begintime\":1746000000000,\"endtime\":1746000065000,\"userPriority\":0,\"trunkNo\":36,"     \
    "\"logontimes\":1,\"mediaType\":5,\"mediaAbility\":1,\"waitTime\":0,\"trace\":{"               \
    "\"waitBeginTime\":1746000000000,\"waitEndTime\":1746000000000,"                               \
    "\"answerBeginTime\":1746000000000,\"answerEndTime\":1746000005000,"                           \
    "\"talkBeginTime\":1746000005000,\"talkEndTime\":1746000065000,\"deviceNo\":" device ","       \
    "\"deviceType\":2,\"callDirectMode\":\"RELEASE_DIRECT\",\"enterReason\":0,"                    \
    "\"enterReasonDesc\":\"Normal reason\",\"leaveReason\":16,"                                    \
    "\"leaveReasonDesc\":\"The agent releases the call.\",\"vdnId\":1}}"

/* An admin call that must answer status. */
static void expect_admin(struct test_mock *m, const char *method, const char *path,
                         const char *body, int status)
{
    static const char *const json_type[] = {"Content-Type: application/json", NULL};
    struct test_reply r =
        test_mock_call(m, method, path, body ? json_type : NULL, body, body ? strlen(body) : 0);
    if (r.status != status)
        fail_msg("%s %s: HTTP %d, expected %d: %s", method, path, r.status, status, r.body);
    test_reply_free(&r);
}

/* The retCode of queryCallDetailRecord over [from, to]. */
static void expect_window_retcode(struct test_mock *m, const char *t, int64_t from, int64_t to,
                                  const char *retcode)
{
    struct test_reply r = query(m, t, from, to, NULL);
    expect_retcode(&r, retcode);
    test_reply_free(&r);
}

static void test_added_calls_join_the_history(void **state)
{
    struct test_mock *m = start(state, NULL);
    char *t = token(m, "3600");
    expect_window_retcode(m, t, ADDED_BEGIN, ADDED_BEGIN, "1");

    /* A batch with a call of no agent is refused whole: nothing joins the history. */
    expect_admin(
        m, "POST", "/__cdrsim/huawei/records",
        "[" ADDED_CALL("cdrsim-added-1", "291") "," ADDED_CALL("cdrsim-added-2", "4242") "]", 400);
    expect_window_retcode(m, t, ADDED_BEGIN, ADDED_BEGIN, "1");

    expect_admin(m, "POST", "/__cdrsim/huawei/records", "[" ADDED_CALL("cdrsim-added-1", "291") "]",
                 201);
    /* The next query finds it, as the history derives it from a loaded call. */
    struct test_reply r = query(m, t, ADDED_BEGIN, ADDED_BEGIN, NULL);
    expect_retcode(&r, "0");
    assert_int_equal(json_int_at(r.json, "result.total"), 1);
    const cJSON *hit = json_at(r.json, "result.callInfo.0");
    assert_non_null(hit);
    assert_int_equal(json_int_at(hit, "startTime"), ADDED_BEGIN);
    assert_int_equal(json_int_at(hit, "endTime"), ADDED_BEGIN + 65 * SECOND);
    assert_int_equal(json_int_at(hit, "talkDuration"), 60);
    assert_string_equal(json_str_at(hit, "caller"), "70291");
    assert_string_equal(json_str_at(hit, "called"), "13900001111");
    char *serial = strdup(json_str_at(hit, "callSerialNo"));
    test_reply_free(&r);
    /* Within a wider window too, in startTime order among the fixtures' calls. */
    cJSON *week = whole_history(m, t, ADDED_BEGIN - DAY, ADDED_BEGIN + DAY, NULL);
    bool found = false;
    int64_t previous = INT64_MIN;
    const cJSON *rec;
    cJSON_ArrayForEach(rec, week) {
        int64_t start_ms = json_int_at(rec, "startTime");
        assert_true(start_ms >= previous);
        previous = start_ms;
        found = found || strcmp(json_str_at(rec, "callSerialNo"), serial) == 0;
    }
    assert_true(found);
    cJSON_Delete(week);
    /* And its callSerialNo is indexed: it has a recording address. */
    r = recording_address(m, t, serial);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_int_at(r.json, "retCode"), 0);
    test_reply_free(&r);

    /* Clearing the calls empties the history, the documented example too; a reset restores it. */
    expect_admin(m, "DELETE", "/__cdrsim/huawei/records", NULL, 200);
    expect_window_retcode(m, t, ADDED_BEGIN, ADDED_BEGIN, "1");
    expect_window_retcode(m, t, EXAMPLE_START, EXAMPLE_START, "1");
    r = recording_address(m, t, serial);
    assert_int_equal(r.status, 200);
    assert_int_not_equal(json_int_at(r.json, "retCode"), 0);
    test_reply_free(&r);
    expect_admin(m, "POST", "/__cdrsim/reset", NULL, 200);
    free(t);
    t = token(m, NULL); /* the reset forgot the tokens it handed out */
    expect_window_retcode(m, t, EXAMPLE_START, EXAMPLE_START, "0");
    expect_window_retcode(m, t, ADDED_BEGIN, ADDED_BEGIN, "1");
    free(serial);
    free(t);
}

int main(void)
{
#define T(fn)                                                                                      \
    cmocka_unit_test_setup_teardown(fn, test_mock_fixture_setup, test_mock_fixture_teardown)
    const struct CMUnitTest tests[] = {
        T(test_token_answer),
        T(test_token_refusals),
        T(test_token_failure_variant),
        T(test_bearer_checked_on_every_call),
        T(test_documented_example_record),
        T(test_history_matches_the_agents_calls),
        T(test_generated_history),
        T(test_paging_and_filters),
        T(test_retcodes),
        T(test_history_variants),
        T(test_recording_address_and_url),
        T(test_recording_address_failures),
        T(test_recordfile_download),
        T(test_recordfile_of_a_history_call),
        T(test_recordfile_body_under_error_body_ours),
        T(test_added_calls_join_the_history),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
