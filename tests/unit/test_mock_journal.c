/* The request journal: the ring and its matchers on their own, the redaction of secrets, and the
 * journal of an in-process mock read through /__cdrsim/requests as a test suite would: every
 * vendor's requests with the vendor's own auth verdict, and not one secret anywhere in it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/sign.h"
#include "journal.h"
#include "redact.h"
#include "server.h"
#include "testutil.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
/* 2025-05-01T00:00:00Z */
#define NOW_S 1746057600LL
#define NOW_MS (NOW_S * 1000)
#define ITNIO_KEY "bDqJFiq9"
#define ITNIO_SECRET "7bz1lzh9"
#define ITNIO_QUERY                                                                                \
    "{\"current\":1,\"size\":2,\"params\":{\"startTime\":\"2025-01-01 00:00:00\","                 \
    "\"endTime\":\"2025-02-01 00:00:00\"}}"

static const char *const json_type[] = {"Content-Type: application/json", NULL};

/* ---- the ring on its own --------------------------------------------------------------------- */

static const char *const *const no_vendor_names[] = {mock_redact_core_names, NULL};

/* One request answered with status and code, recorded as the server records it. */
static void record(struct mock_journal *j, const char *vendor, const char *method, const char *path,
                   const char *body, int status, const char *code, int auth)
{
    struct mock_kv headers[] = {{"Content-Type", "application/json"}};
    struct mock_request req = {.method = method,
                               .path = path,
                               .headers = headers,
                               .header_count = 1,
                               .body = body,
                               .body_len = body ? strlen(body) : 0,
                               .remote_addr = "127.0.0.1"};
    struct mock_response resp;
    mock_response_init(&resp);
    resp.status = status;
    resp.vendor = vendor;
    mock_response_code(&resp, "%s", code);
    if (auth >= 0)
        mock_auth_report(&resp.auth, auth == 1, "verdict %d", auth);
    struct mock_journal_input in = {&req, &resp, NOW_MS, 1.5, no_vendor_names};
    mock_journal_record(j, &in);
    mock_response_free(&resp);
}

static cJSON *list(struct mock_journal *j, const struct mock_journal_match *m, size_t limit)
{
    char *text = mock_journal_list(j, m, limit);
    assert_non_null(text);
    cJSON *json = cJSON_Parse(text);
    if (!json)
        fail_msg("the journal's answer is not JSON: %s", text);
    free(text);
    return json;
}

/* The seq of each listed entry, "5,4,3". */
static void expect_seqs(const cJSON *answer, const char *want)
{
    char got[256] = "";
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(answer, "requests")) {
        size_t n = strlen(got);
        snprintf(got + n, sizeof(got) - n, "%s%lld", n ? "," : "",
                 (long long)json_int_at(e, "seq"));
    }
    assert_string_equal(got, want);
}

static void test_ring_keeps_the_newest(void **state)
{
    (void)state;
    struct mock_journal *j = mock_journal_new(3);
    assert_non_null(j);
    for (int i = 0; i < 5; i++)
        record(j, "itnio", "POST", "/v3/cc/record/query", "{}", 200, "0", 1);
    struct mock_journal_match m;
    mock_journal_match_init(&m);
    cJSON *all = list(j, &m, 100);
    assert_int_equal(json_int_at(all, "total"), 3);
    assert_int_equal(json_int_at(all, "capacity"), 3);
    expect_seqs(all, "5,4,3");
    cJSON_Delete(all);

    cJSON *one = list(j, &m, 1);
    assert_int_equal(json_int_at(one, "total"), 3); /* total counts past the limit */
    expect_seqs(one, "5");
    cJSON_Delete(one);

    m.since = 3;
    cJSON *newer = list(j, &m, 100);
    expect_seqs(newer, "5,4");
    cJSON_Delete(newer);

    mock_journal_clear(j);
    mock_journal_match_init(&m);
    assert_int_equal(mock_journal_count(j, &m), 0);
    record(j, "itnio", "POST", "/v3/cc/record/query", "{}", 200, "0", 1);
    cJSON *after = list(j, &m, 100);
    expect_seqs(after, "6"); /* numbering goes on after a clear */
    cJSON_Delete(after);
    mock_journal_free(j);
}

static void test_matchers(void **state)
{
    (void)state;
    struct mock_journal *j = mock_journal_new(100);
    record(j, "itnio", "POST", "/v3/cc/record/query", "{\"current\":1}", 200, "0", 1);
    record(j, "itnio", "POST", "/v3/cc/record/query", "{\"current\":2}", 200, "-1", 0);
    record(j, "itnio", "POST", "/v3/cc/seat/query", "{}", 200, "-22", 1);
    record(j, "yunfu", "GET", "/agent-api/token", NULL, 401, "", 0);
    record(j, NULL, "GET", "/nothing", NULL, 404, "", -1);
    static const struct {
        const char *vendor, *method, *path, *code, *body;
        int status, auth_ok;
        size_t count;
    } cases[] = {
        {NULL, NULL, NULL, NULL, NULL, 0, -1, 5},
        {"itnio", NULL, NULL, NULL, NULL, 0, -1, 3},
        {"yunfu", "GET", NULL, NULL, NULL, 0, -1, 1},
        {NULL, "POST", "/v3/cc/*/query", NULL, NULL, 0, -1, 3},
        {NULL, NULL, "/v3/cc/record/query", NULL, NULL, 0, -1, 2},
        {NULL, NULL, "/v3/*", "-1", NULL, 0, -1, 1},
        {NULL, NULL, NULL, NULL, NULL, 401, -1, 1},
        {NULL, NULL, NULL, NULL, NULL, 0, 0, 2},
        {NULL, NULL, NULL, NULL, NULL, 0, 1, 2},
        {"itnio", NULL, NULL, NULL, "\"current\":2", 0, -1, 1},
        {"huawei", NULL, NULL, NULL, NULL, 0, -1, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct mock_journal_match m;
        mock_journal_match_init(&m);
        m.vendor = cases[i].vendor;
        m.method = cases[i].method;
        m.path = cases[i].path;
        m.vendor_code = cases[i].code;
        m.body_contains = cases[i].body;
        m.status = cases[i].status;
        m.auth_ok = cases[i].auth_ok;
        size_t n = mock_journal_count(j, &m);
        if (n != cases[i].count)
            fail_msg("case %zu: %zu entries match, expected %zu", i, n, cases[i].count);
    }
    mock_journal_free(j);
}

/* Bytes that are not UTF-8 (a hostile path, a binary body) still make valid JSON, and a body is
 * kept up to the limit and says it was cut. */
static void test_entries_are_always_json(void **state)
{
    (void)state;
    struct mock_journal *j = mock_journal_new(4);
    size_t big = MOCK_JOURNAL_BODY_LIMIT + 100;
    char *body = malloc(big + 1);
    assert_non_null(body);
    memset(body, 'x', big);
    body[big] = '\0';
    body[10] = '\xff';
    record(j, "itnio", "POST", "/v3/\xc3\x28\x01\"x", body, 200, "0", 1);
    free(body);
    struct mock_journal_match m;
    mock_journal_match_init(&m);
    cJSON *answer = list(j, &m, 10);
    const cJSON *e = json_at(answer, "requests.0");
    assert_string_equal(json_str_at(e, "path"), "/v3/\xef\xbf\xbd(\x01\"x");
    assert_int_equal(strlen(json_str_at(e, "body")), MOCK_JOURNAL_BODY_LIMIT + 2); /* U+FFFD */
    assert_int_equal(json_int_at(e, "body_bytes"), big);
    assert_true(cJSON_IsTrue(json_at(e, "body_truncated")));
    cJSON_Delete(answer);
    mock_journal_free(j);
}

/* ---- redaction --------------------------------------------------------------------------------
 */

static void expect_absent(const char *text, const char *secret)
{
    if (strstr(text, secret))
        fail_msg("\"%s\" appears in: %s", secret, text);
}

static void test_redaction_by_name_and_value(void **state)
{
    (void)state;
    static const char *const vendor_names[] = {"Sign", "Signature", "SecurityToken", "Guid", NULL};
    const char *const *const names[] = {mock_redact_core_names, vendor_names, NULL};
    struct mock_kv headers[] = {
        {"Sign", "0123456789abcdef"},
        {"authorization", "ACS3-HMAC-SHA256 Credential=k,SignedHeaders=host,Signature=feedbeef99"},
        {"Cookie", "JSESSIONID=ABCDEF123456; theme=dark"},
        {"Api-Key", "public-key"},
    };
    struct mock_kv query[] = {{"Signature", "sig/with+chars="}, {"PageSize", "5"}};
    const char body[] =
        "{\"agent\":{\"password\":\"hunter22\",\"token\":[1,2]},\"SecurityToken\":12345678,"
        "\"x\":\"keep\"}";
    struct mock_request req = {.method = "POST",
                               .path = "/p/hunter22",
                               .query = query,
                               .query_count = 2,
                               .headers = headers,
                               .header_count = 4,
                               .body = body,
                               .body_len = strlen(body),
                               .remote_addr = "127.0.0.1"};
    struct mock_response resp;
    mock_response_init(&resp);
    resp.status = 400;
    resp.vendor = "aliyun";
    /* A reason quoting a string to sign: the secret inside, percent-encoded twice. */
    mock_auth_report(&resp.auth, false, "string to sign GET&%%2F&Signature%%3D%s",
                     "sig%252Fwith%252Bchars%253D");
    struct mock_journal *j = mock_journal_new(2);
    struct mock_journal_input in = {&req, &resp, NOW_MS, 0.5, names};
    mock_journal_record(j, &in);
    mock_response_free(&resp);
    struct mock_journal_match m;
    mock_journal_match_init(&m);
    char *text = mock_journal_list(j, &m, 10);
    assert_non_null(text);
    static const char *const secrets[] = {"0123456789abcdef", "feedbeef99", "ABCDEF123456",
                                          "sig/with+chars=",  "hunter22",   "12345678",
                                          "sig%252Fwith"};
    for (size_t i = 0; i < ARRAY_LEN(secrets); i++)
        expect_absent(text, secrets[i]);
    cJSON *answer = cJSON_Parse(text);
    const cJSON *e = json_at(answer, "requests.0");
    assert_string_equal(json_str_at(e, "headers.0.1"), MOCK_REDACTED);
    assert_string_equal(json_str_at(e, "headers.3.1"), "public-key"); /* not a secret */
    assert_string_equal(json_str_at(e, "query.0.1"), MOCK_REDACTED);
    assert_string_equal(json_str_at(e, "query.1.1"), "5");
    assert_string_equal(json_str_at(e, "path"), "/p/" MOCK_REDACTED);
    assert_string_equal(json_str_at(e, "body"),
                        "{\"agent\":{\"password\":\"[redacted]\",\"token\":\"[redacted]\"},"
                        "\"SecurityToken\":\"[redacted]\",\"x\":\"keep\"}");
    assert_false(cJSON_IsTrue(json_at(e, "auth.ok")));
    cJSON_Delete(answer);
    free(text);
    mock_journal_free(j);
}

/* A form body (Alibaba's V2 POST) by name, and a malformed JSON body still by key. */
static void test_redaction_of_form_and_broken_json(void **state)
{
    (void)state;
    struct mock_redactor r;
    static const char *const vendor_names[] = {"Signature", NULL};
    const char *const *const names[] = {mock_redact_core_names, vendor_names, NULL};
    const char form[] = "Action=HotlineSessionQuery&Signature=abc%2Bdef%3D&PageSize=5";
    struct mock_request req = {
        .method = "POST", .path = "/", .body = form, .body_len = strlen(form)};
    mock_redactor_init(&r, names, &req);
    size_t n;
    char *out = mock_redact_body(&r, form, strlen(form), &n);
    assert_string_equal(out, "Action=HotlineSessionQuery&Signature=[redacted]&PageSize=5");
    free(out);
    char reason[] = "the signature was abc+def= and no other";
    out = mock_redact_scrub(&r, reason, strlen(reason), &n);
    assert_string_equal(out, "the signature was [redacted] and no other");
    free(out);
    mock_redactor_free(&r);

    const char broken[] = "{\"password\": \"s3cr3t-pass\", \"phonenum\": 70291,,, trailing";
    req.body = broken;
    req.body_len = strlen(broken);
    mock_redactor_init(&r, names, &req);
    out = mock_redact_body(&r, broken, strlen(broken), &n);
    assert_string_equal(out, "{\"password\": \"[redacted]\", \"phonenum\": 70291,,, trailing");
    free(out);
    mock_redactor_free(&r);
}

/* ---- the journal of a running mock ----------------------------------------------------------- */

static struct test_reply itnio_query(struct test_mock *m, const char *secret, int64_t at)
{
    char ts[32], sign_h[64], ts_h[48];
    snprintf(ts, sizeof(ts), "%lld", (long long)at);
    char *text = test_format("%s%s%s", ITNIO_KEY, secret, ts);
    char *sign = cdr_md5_hex(text, strlen(text));
    snprintf(sign_h, sizeof(sign_h), "Sign: %s", sign);
    snprintf(ts_h, sizeof(ts_h), "Timestamp: %s", ts);
    const char *const headers[] = {"Content-Type: application/json", "Api-Key: " ITNIO_KEY, ts_h,
                                   sign_h, NULL};
    struct test_reply r =
        test_mock_call(m, "POST", "/v3/cc/record/query", headers, ITNIO_QUERY, strlen(ITNIO_QUERY));
    free(sign);
    free(text);
    return r;
}

static char *itnio_sign(const char *secret, int64_t at)
{
    char *text = test_format("%s%s%lld", ITNIO_KEY, secret, (long long)at);
    char *sign = cdr_md5_hex(text, strlen(text));
    free(text);
    return sign;
}

/* The whole journal as the admin API gives it (caller frees). */
static struct test_reply journal(struct test_mock *m, const char *query)
{
    char *path = test_format("/__cdrsim/requests%s", query ? query : "?limit=100000");
    struct test_reply r = test_mock_call(m, "GET", path, NULL, NULL, 0);
    free(path);
    assert_int_equal(r.status, 200);
    assert_non_null(r.json);
    return r;
}

static int64_t count(struct test_mock *m, const char *matcher)
{
    struct test_reply r =
        test_mock_call(m, "POST", "/__cdrsim/requests/count", json_type, matcher, strlen(matcher));
    if (r.status != 200)
        fail_msg("count %s: HTTP %d %s", matcher, r.status, r.body);
    int64_t n = json_int_at(r.json, "count");
    test_reply_free(&r);
    return n;
}

/* The issue's own check: two ITNIO queries, one with a wrong secret, give two entries with the
 * vendor's verdicts; the matcher finds the refused one; no secret appears; DELETE clears. */
static void test_itnio_queries_and_their_verdicts(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, NOW_MS, NULL);
    struct test_reply ok = itnio_query(m, ITNIO_SECRET, NOW_S);
    assert_int_equal(json_int_at(ok.json, "status"), 0);
    test_reply_free(&ok);
    struct test_reply refused = itnio_query(m, "wrongsecret9", NOW_S);
    assert_int_equal(json_int_at(refused.json, "status"), -1);
    test_reply_free(&refused);

    struct test_reply r = journal(m, NULL);
    assert_int_equal(json_int_at(r.json, "total"), 2); /* admin calls are not journaled */
    const cJSON *newest = json_at(r.json, "requests.0"), *oldest = json_at(r.json, "requests.1");
    assert_true(json_int_at(newest, "seq") > json_int_at(oldest, "seq"));
    assert_string_equal(json_str_at(newest, "vendor"), "itnio");
    assert_string_equal(json_str_at(newest, "method"), "POST");
    assert_string_equal(json_str_at(newest, "path"), "/v3/cc/record/query");
    assert_string_equal(json_str_at(newest, "time"), "2025-05-01T00:00:00.000Z");
    assert_int_equal(json_int_at(newest, "status"), 200);
    assert_string_equal(json_str_at(newest, "vendor_code"), "-1");
    assert_string_equal(json_str_at(newest, "body"), ITNIO_QUERY);
    assert_true(cJSON_IsFalse(json_at(newest, "auth.ok")));
    test_assert_prefix(json_str_at(newest, "auth.reason"), "wrong Sign");
    assert_true(cJSON_IsFalse(json_at(newest, "faulted")));
    assert_true(cJSON_IsNumber(json_at(newest, "latency_ms")));
    assert_true(cJSON_IsTrue(json_at(oldest, "auth.ok")));
    assert_string_equal(json_str_at(oldest, "vendor_code"), "0");
    assert_string_equal(json_str_at(oldest, "auth.reason"), "signed by Api-Key " ITNIO_KEY);

    char *good_sign = itnio_sign(ITNIO_SECRET, NOW_S),
         *bad_sign = itnio_sign("wrongsecret9", NOW_S);
    const char *const secrets[] = {ITNIO_SECRET, "wrongsecret9", good_sign, bad_sign};
    for (size_t i = 0; i < ARRAY_LEN(secrets); i++)
        expect_absent(r.body, secrets[i]);
    free(good_sign);
    free(bad_sign);
    test_reply_free(&r);

    assert_int_equal(count(m, "{\"vendor\":\"itnio\",\"auth_ok\":false}"), 1);
    assert_int_equal(count(m, "{\"vendor\":\"itnio\",\"auth_ok\":true,\"status\":200}"), 1);
    assert_int_equal(count(m, "{\"path\":\"/v3/*\",\"vendor_code\":-1}"), 1);
    assert_int_equal(count(m, "{\"body_contains\":\"2025-01-01\"}"), 2);
    assert_int_equal(count(m, "{}"), 2);

    r = test_mock_call(m, "DELETE", "/__cdrsim/requests", NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    r = journal(m, NULL);
    assert_int_equal(json_int_at(r.json, "total"), 0);
    test_reply_free(&r);
}

static void test_auth_reasons_say_why(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, NOW_MS, NULL);
    struct test_reply q = itnio_query(m, ITNIO_SECRET, NOW_S - 3600);
    assert_int_equal(json_int_at(q.json, "status"), -16);
    test_reply_free(&q);
    const char *const yunfu_h[] = {"Authorization: Bearer no-such-token", NULL};
    q = test_mock_call(m, "GET", "/agent-api/token", yunfu_h, NULL, 0);
    assert_int_equal(q.status, 401);
    test_reply_free(&q);
    const char signin[] = "{\"password\":\"not-the-password\",\"phonenum\":\"70291\",\"status\":4}";
    q = test_mock_call(m, "PUT", "/agentgateway/resource/onlineagent/291", json_type, signin,
                       strlen(signin));
    assert_string_equal(json_str_at(q.json, "retcode"), "100-004");
    test_reply_free(&q);
    q = aliyun_call(m, &(struct aliyun_request){.now = NOW_S, .secret = "not-the-secret"});
    assert_int_equal(q.status, 400);
    test_reply_free(&q);
    q = test_mock_call(m, "GET", "/nothing/here", NULL, NULL, 0);
    assert_int_equal(q.status, 404);
    test_reply_free(&q);

    struct test_reply r = journal(m, NULL);
    assert_int_equal(json_int_at(r.json, "total"), 5);
    /* Newest first: the unknown path, Alibaba, Huawei, Yunfu, ITNIO. */
    assert_true(cJSON_IsNull(json_at(r.json, "requests.0.vendor")));
    assert_true(cJSON_IsNull(json_at(r.json, "requests.0.auth")));
    test_assert_prefix(json_str_at(r.json, "requests.1.auth.reason"),
                       "SignatureDoesNotMatch: the server's string to sign is GET&%2F&");
    assert_string_equal(json_str_at(r.json, "requests.2.auth.reason"),
                        "wrong password for agent 291");
    assert_string_equal(json_str_at(r.json, "requests.3.auth.reason"), "unknown Bearer token");
    assert_string_equal(json_str_at(r.json, "requests.4.auth.reason"),
                        "stale Timestamp: 1746054000 is 3600 s behind the mock's clock "
                        "(1746057600); the window is 1800 s");
    for (int i = 1; i < 5; i++) {
        char path[32];
        snprintf(path, sizeof(path), "requests.%d.auth.ok", i);
        assert_true(cJSON_IsFalse(json_at(r.json, path)));
    }
    expect_absent(r.body, "not-the-password");
    expect_absent(r.body, "no-such-token");
    test_reply_free(&r);
}

/* Huawei's CC-Management side: the AK/SK exchange and the Bearer token, each with its verdict,
 * and neither secret in the journal. */
static void test_huawei_history_verdicts(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, NOW_MS, NULL);
    const char wrong[] = "{\"app_key\":\"cdrsim-demo-ak\",\"app_secret\":\"not-the-sk\"}";
    struct test_reply q = test_mock_call(m, "POST", "/apigovernance/api/oauth/tokenByAkSk",
                                         json_type, wrong, strlen(wrong));
    assert_int_not_equal(q.status, 200);
    test_reply_free(&q);
    const char right[] = "{\"app_key\":\"cdrsim-demo-ak\",\"app_secret\":\"cdrsim-demo-sk\"}";
    q = test_mock_call(m, "POST", "/apigovernance/api/oauth/tokenByAkSk", json_type, right,
                       strlen(right));
    assert_int_equal(q.status, 200);
    test_reply_free(&q);
    const char *const bearer[] = {"Content-Type: application/json",
                                  "Authorization: Bearer not-a-token", NULL};
    q = test_mock_call(m, "POST", "/apiaccess/CC-Management/v1/mobileAgent/queryCallDetailRecord",
                       bearer, "{}", 2);
    assert_int_not_equal(q.status, 200);
    test_reply_free(&q);

    struct test_reply r = journal(m, NULL);
    assert_int_equal(json_int_at(r.json, "total"), 3);
    /* Newest first: the history query, the good exchange, the bad one. */
    test_assert_prefix(json_str_at(r.json, "requests.0.auth.reason"), "no AccessToken this mock");
    assert_true(cJSON_IsFalse(json_at(r.json, "requests.0.auth.ok")));
    assert_string_equal(json_str_at(r.json, "requests.1.auth.reason"),
                        "app_key cdrsim-demo-ak and its app_secret");
    assert_true(cJSON_IsTrue(json_at(r.json, "requests.1.auth.ok")));
    assert_string_equal(json_str_at(r.json, "requests.2.auth.reason"),
                        "unknown app_key or wrong app_secret");
    assert_true(cJSON_IsFalse(json_at(r.json, "requests.2.auth.ok")));
    expect_absent(r.body, "not-the-sk");
    expect_absent(r.body, "cdrsim-demo-sk");
    expect_absent(r.body, "not-a-token");
    test_reply_free(&r);
}

/* Every vendor's secrets, sent correctly, and none of them in the journal. */
static void test_no_vendor_secret_reaches_the_journal(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, NOW_MS, NULL);
    /* Yunfu: the Bearer token. */
    const char *const yunfu_h[] = {"Authorization: Bearer "
                                   "demo-yunfu-token",
                                   NULL};
    struct test_reply r = test_mock_call(m, "GET", "/agent-api/token", yunfu_h, NULL, 0);
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    /* Huawei: the password at sign-in, then the Guid and the session cookie. */
    const char signin[] = "{\"password\":\"demo-pass-291\",\"phonenum\":\"70291\",\"status\":4}";
    r = test_mock_call(m, "PUT", "/agentgateway/resource/onlineagent/291", json_type, signin,
                       strlen(signin));
    char guid[96], cookie[128], guid_h[128], cookie_h[160];
    assert_true(test_reply_header(&r, "Guid", guid, sizeof(guid)));
    assert_true(test_reply_header(&r, "Set-Cookie", cookie, sizeof(cookie)));
    cookie[strcspn(cookie, ";")] = '\0';
    test_reply_free(&r);
    snprintf(guid_h, sizeof(guid_h), "Guid: %s", guid);
    snprintf(cookie_h, sizeof(cookie_h), "Cookie: %s", cookie);
    const char *const huawei_h[] = {guid_h, cookie_h, NULL};
    r = test_mock_call(m, "GET", "/agentgateway/resource/calldata/291/callinfo", huawei_h, NULL, 0);
    assert_string_equal(json_str_at(r.json, "retcode"), "0");
    test_reply_free(&r);
    /* Alibaba: V2 in the query, V2 in a form body with an STS token, V3 in Authorization. */
    struct aliyun_built v2, form, v3;
    aliyun_build(&(struct aliyun_request){.now = NOW_S}, &v2);
    char *sts_token = aliyun_fixture_token("STS.NUcdrsimDemoTemporaryKey");
    char *sts_param = test_format("SecurityToken=%s", sts_token);
    aliyun_build(&(struct aliyun_request){.now = NOW_S,
                                          .method = "POST",
                                          .form_body = true,
                                          .key_id = "STS.NUcdrsimDemoTemporaryKey",
                                          .secret = "cdrsim-sts-demo-secret",
                                          .params = (const char *const[]){sts_param, NULL}},
                 &form);
    aliyun_build(&(struct aliyun_request){.now = NOW_S, .v3 = true, .method = "POST"}, &v3);
    struct aliyun_built *calls[] = {&v2, &form, &v3};
    const char *methods[] = {"GET", "POST", "POST"};
    for (size_t i = 0; i < 3; i++) {
        struct aliyun_built *b = calls[i];
        r = test_mock_call(m, methods[i], b->path, (const char *const *)b->headers, b->body,
                           b->body ? strlen(b->body) : 0);
        if (r.status != 200)
            fail_msg("Alibaba call %zu: HTTP %d %s", i, r.status, r.body);
        test_reply_free(&r);
    }

    r = journal(m, NULL);
    assert_int_equal(json_int_at(r.json, "total"), 6);
    const cJSON *e;
    cJSON_ArrayForEach(e, json_at(r.json, "requests")) {
        if (!cJSON_IsTrue(json_at(e, "auth.ok")))
            fail_msg("%s %s: the vendor's check did not admit it", json_str_at(e, "method"),
                     json_str_at(e, "path"));
    }
    expect_absent(r.body, "demo-yunfu-token");
    expect_absent(r.body, "demo-pass-291");
    expect_absent(r.body, guid);
    expect_absent(r.body, strchr(cookie, '=') + 1);
    expect_absent(r.body, "testsecret");
    expect_absent(r.body, sts_token);
    expect_absent(r.body, "cdrsim-sts-demo-secret");
    /* The signatures themselves, as sent. */
    for (size_t i = 0; i < 3; i++) {
        const char *where = i == 1 ? calls[i]->body : calls[i]->path;
        for (size_t h = 0; i == 2 && calls[i]->headers[h]; h++)
            if (strncmp(calls[i]->headers[h], "Authorization: ", 15) == 0)
                where = strstr(calls[i]->headers[h], "Signature=");
        const char *sig = strstr(where, "Signature=");
        assert_non_null(sig);
        char value[128];
        snprintf(value, sizeof(value), "%.*s", (int)strcspn(sig + 10, "&,"), sig + 10);
        expect_absent(r.body, value);
    }
    test_reply_free(&r);
    for (size_t i = 0; i < 3; i++)
        aliyun_built_free(calls[i]);
    free(sts_param);
    free(sts_token);
}

static void test_journal_filters_over_http(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, NOW_MS, NULL);
    struct test_reply q = itnio_query(m, ITNIO_SECRET, NOW_S);
    test_reply_free(&q);
    q = test_mock_call(m, "GET", "/agent-api/token", NULL, NULL, 0);
    test_reply_free(&q);

    struct test_reply r = journal(m, "?vendor=yunfu&status=401&auth_ok=false");
    assert_int_equal(json_int_at(r.json, "total"), 1);
    assert_string_equal(json_str_at(r.json, "requests.0.auth.reason"),
                        "no Authorization: Bearer token");
    test_reply_free(&r);
    r = journal(m, "?method=POST&path=/v3/cc/*&limit=0");
    assert_int_equal(json_int_at(r.json, "total"), 1);
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "requests")), 0);
    test_reply_free(&r);

    static const struct {
        const char *path, *error;
    } bad[] = {
        {"/__cdrsim/requests?colour=red",
         "unknown filter \"colour\": the journal matches on vendor, method, path, status, "
         "vendor_code, auth_ok, body_contains, since"},
        {"/__cdrsim/requests?status=ok", "status: expected an HTTP status, got \"ok\""},
        {"/__cdrsim/requests?auth_ok=yes", "auth_ok: expected true or false, got \"yes\""},
        {"/__cdrsim/requests?limit=-1", "limit: expected a count, got \"-1\""},
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        r = test_mock_call(m, "GET", bad[i].path, NULL, NULL, 0);
        assert_int_equal(r.status, 400);
        assert_string_equal(json_str_at(r.json, "error"), bad[i].error);
        test_reply_free(&r);
    }
    r = test_mock_call(m, "POST", "/__cdrsim/requests/count", json_type, "[1]", 3);
    assert_int_equal(r.status, 400);
    test_reply_free(&r);
    r = test_mock_call(m, "POST", "/__cdrsim/requests/count", json_type, "{\"auth_ok\":[true]}",
                       18);
    assert_int_equal(r.status, 400);
    assert_string_equal(json_str_at(r.json, "error"),
                        "auth_ok: expected a string, a number or a boolean");
    test_reply_free(&r);
    r = test_mock_call(m, "PUT", "/__cdrsim/requests", json_type, "{}", 2);
    assert_int_equal(r.status, 405);
    test_reply_free(&r);
}

static void test_journal_off(void **state)
{
    (void)state;
    struct test_mock m;
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, NULL);
    /* --journal 0 in-process: a server made from a config without a journal. */
    struct mock_config *cfg = m.config;
    mock_server_free(m.server);
    cfg->journal_capacity = 0;
    char err[256];
    m.server = mock_server_new(cfg, err, sizeof(err));
    assert_non_null(m.server);
    struct test_reply q = itnio_query(&m, ITNIO_SECRET, NOW_S);
    test_reply_free(&q);
    struct test_reply r = journal(&m, NULL);
    assert_string_equal(r.body, "{\"total\":0,\"capacity\":0,\"requests\":[]}");
    test_reply_free(&r);
    assert_int_equal(count(&m, "{}"), 0);
    test_mock_stop(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ring_keeps_the_newest),
        cmocka_unit_test(test_matchers),
        cmocka_unit_test(test_entries_are_always_json),
        cmocka_unit_test(test_redaction_by_name_and_value),
        cmocka_unit_test(test_redaction_of_form_and_broken_json),
        cmocka_unit_test_setup_teardown(test_itnio_queries_and_their_verdicts,
                                        test_mock_fixture_setup, test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_huawei_history_verdicts, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_auth_reasons_say_why, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_no_vendor_secret_reaches_the_journal,
                                        test_mock_fixture_setup, test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_journal_filters_over_http, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test(test_journal_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
