/* The control plane of the real cdrsim-mock over HTTP, as a CI job uses it: the request journal
 * behind two ITNIO queries, a test's own records, a variant changed at run time, a web page's
 * request refused, the --journal, --admin, --admin-token and --seed flags, and the warning of a
 * mock bound beyond loopback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "cdrsim/itnio.h"
#include "testutil.h"

#define CLOCK "2025-05-01T00:00:00Z"
#define CLOCK_S 1746057600LL
#define ITNIO_KEY "bDqJFiq9"
#define ITNIO_SECRET "7bz1lzh9"
#define WRONG_SECRET "not-7bz1lzh9"
#define ITNIO_QUERY                                                                                \
    "{\"current\":1,\"size\":10,\"params\":{\"startTime\":\"2025-01-01 00:00:00\","                \
    "\"endTime\":\"2025-03-31 23:59:59\"}}"

static const char *const json_type[] = {"Content-Type: application/json", NULL};

static struct mock_process *start(void **state, const char *const *args)
{
    struct mock_process *p = *state;
    mock_process_start(p, args);
    return p;
}

static struct test_http_reply call(const struct mock_process *p, const char *method,
                                   const char *path, const char *const *headers, const char *body)
{
    char *url = test_format("%s%s", p->base_url, path);
    struct test_http_reply r = test_http(method, url, headers, body, body ? strlen(body) : 0);
    free(url);
    return r;
}

static struct test_http_reply admin(const struct mock_process *p, const char *method,
                                    const char *path, const char *body)
{
    return call(p, method, path, json_type, body);
}

/* A signed ITNIO record query, stamped with the mock's start (its clock barely moves). */
static struct test_http_reply itnio_query(const struct mock_process *p, const char *secret,
                                          char **sign_out)
{
    char *sign = cdr_itnio_sign(ITNIO_KEY, secret, CLOCK_S);
    char sign_h[64];
    snprintf(sign_h, sizeof(sign_h), "Sign: %s", sign);
    const char *const headers[] = {"Content-Type: application/json;charset=UTF-8",
                                   "Api-Key: " ITNIO_KEY, "Timestamp: 1746057600", sign_h, NULL};
    struct test_http_reply r = call(p, "POST", "/v3/cc/record/query", headers, ITNIO_QUERY);
    *sign_out = sign;
    return r;
}

static void expect_absent(const char *text, const char *secret)
{
    if (strstr(text, secret))
        fail_msg("\"%s\" appears in the journal: %s", secret, text);
}

/* ---- the journal ----------------------------------------------------------------------------- */

static void test_journal_of_two_itnio_queries(void **state)
{
    const struct mock_process *p = start(state, (const char *const[]){"--clock", CLOCK, NULL});
    char *good_sign, *bad_sign;
    struct test_http_reply r = itnio_query(p, ITNIO_SECRET, &good_sign);
    assert_int_equal(json_int_at(r.json, "status"), 0);
    test_http_reply_free(&r);
    r = itnio_query(p, WRONG_SECRET, &bad_sign);
    assert_int_equal(json_int_at(r.json, "status"), -1);
    test_http_reply_free(&r);

    r = admin(p, "GET", "/__cdrsim/requests", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_int_at(r.json, "total"), 2);
    assert_true(cJSON_IsTrue(json_at(r.json, "requests.1.auth.ok")));
    assert_true(cJSON_IsFalse(json_at(r.json, "requests.0.auth.ok")));
    test_assert_prefix(json_str_at(r.json, "requests.0.auth.reason"), "wrong Sign");
    assert_string_equal(json_str_at(r.json, "requests.0.remote"), "127.0.0.1");
    assert_true(json_at(r.json, "requests.0.latency_ms")->valuedouble > 0);
    const char *const secrets[] = {ITNIO_SECRET, WRONG_SECRET, good_sign, bad_sign};
    for (size_t i = 0; i < 4; i++)
        expect_absent(r.body, secrets[i]);
    test_http_reply_free(&r);
    free(good_sign);
    free(bad_sign);

    r = admin(p, "POST", "/__cdrsim/requests/count", "{\"vendor\":\"itnio\",\"auth_ok\":false}");
    assert_int_equal(r.status, 200);
    assert_int_equal(json_int_at(r.json, "count"), 1);
    test_http_reply_free(&r);
    r = admin(p, "DELETE", "/__cdrsim/requests", NULL);
    assert_int_equal(r.status, 200);
    test_http_reply_free(&r);
    r = admin(p, "GET", "/__cdrsim/requests?vendor=itnio", NULL);
    assert_int_equal(json_int_at(r.json, "total"), 0);
    test_http_reply_free(&r);
}

static void test_journal_flag(void **state)
{
    const struct mock_process *p =
        start(state, (const char *const[]){"--clock", CLOCK, "--journal", "1", NULL});
    char *sign;
    for (int i = 0; i < 3; i++) {
        struct test_http_reply r = itnio_query(p, ITNIO_SECRET, &sign);
        free(sign);
        test_http_reply_free(&r);
    }
    struct test_http_reply r = admin(p, "GET", "/__cdrsim/requests", NULL);
    assert_int_equal(json_int_at(r.json, "total"), 1);
    assert_int_equal(json_int_at(r.json, "capacity"), 1);
    assert_int_equal(json_int_at(r.json, "requests.0.seq"), 3);
    test_http_reply_free(&r);

    const char *const bad[] = {CDRSIM_MOCK_BIN, "--journal", "-1", NULL};
    char *out = NULL, *err = NULL;
    assert_int_equal(run_command(bad, NULL, &out, &err), 2);
    assert_string_equal(err, "cdrsim-mock: --journal takes 0..10000000 requests\n");
    free(out);
    free(err);
}

/* ---- records, variants, the guard ------------------------------------------------------------ */

static void test_records_variants_and_a_web_page(void **state)
{
    const struct mock_process *p = start(state, (const char *const[]){"--clock", CLOCK, NULL});
    struct test_http_reply r = admin(p, "DELETE", "/__cdrsim/itnio/records", NULL);
    assert_int_equal(json_int_at(r.json, "deleted"), 561);
    test_http_reply_free(&r);

    char *path = test_format("%s/itnio/records.json", FIXTURES_DIR);
    cJSON *fixtures = test_load_json(path);
    free(path);
    cJSON *two = cJSON_CreateArray();
    for (int i = 0; i < 2; i++) {
        cJSON *rec = cJSON_Duplicate(cJSON_GetArrayItem(fixtures, i), true);
        cJSON_ReplaceItemInObjectCaseSensitive(rec, "keyId", cJSON_CreateNumber(800000001 + i));
        cJSON_ReplaceItemInObjectCaseSensitive(
            rec, "callStartTime",
            cJSON_CreateString(i ? "2025-02-10 10:00:00" : "2025-02-09 10:00:00"));
        cJSON_AddItemToArray(two, rec);
    }
    cJSON_Delete(fixtures);
    char *body = cJSON_PrintUnformatted(two);
    cJSON_Delete(two);
    r = admin(p, "POST", "/__cdrsim/itnio/records", body);
    free(body);
    assert_int_equal(r.status, 201);
    test_http_reply_free(&r);
    r = admin(p, "POST", "/__cdrsim/itnio/records", "[{\"keyId\":\"x\"}]");
    assert_int_equal(r.status, 400);
    assert_string_equal(json_str_at(r.json, "error"),
                        "records[0].keyId: expected integer, got string");
    test_http_reply_free(&r);

    r = admin(p, "PUT", "/__cdrsim/variants", "{\"itnio.status_type\":\"string\"}");
    assert_int_equal(r.status, 200);
    test_http_reply_free(&r);
    char *sign;
    r = itnio_query(p, ITNIO_SECRET, &sign);
    free(sign);
    assert_string_equal(json_str_at(r.json, "status"), "0");
    assert_int_equal(json_int_at(r.json, "data.total"), 2);
    assert_int_equal(json_int_at(r.json, "data.records.0.keyId"), 800000002);
    assert_int_equal(json_int_at(r.json, "data.records.1.keyId"), 800000001);
    test_http_reply_free(&r);

    /* What a web page could send: refused, and nothing changes. */
    const char *const page[] = {"Origin: https://evil.example", "Content-Type: text/plain", NULL};
    r = call(p, "POST", "/__cdrsim/reset", page, "");
    assert_int_equal(r.status, 403);
    test_http_reply_free(&r);
    r = call(p, "PUT", "/__cdrsim/clock", page, "{\"advance_seconds\":86400}");
    assert_int_equal(r.status, 403);
    test_http_reply_free(&r);
    r = admin(p, "GET", "/__cdrsim/clock", NULL);
    assert_true(json_int_at(r.json, "epoch_ms") < (CLOCK_S + 3600) * 1000);
    test_http_reply_free(&r);
    r = admin(p, "GET", "/__cdrsim/itnio/records/count", NULL);
    assert_int_equal(json_int_at(r.json, "count"), 2);
    test_http_reply_free(&r);

    /* The reset from a script: configured data and variants again. */
    r = admin(p, "POST", "/__cdrsim/reset", NULL);
    assert_int_equal(r.status, 200);
    test_http_reply_free(&r);
    r = itnio_query(p, ITNIO_SECRET, &sign);
    free(sign);
    assert_int_equal(json_int_at(r.json, "status"), 0);
    assert_true(json_int_at(r.json, "data.total") > 2);
    test_http_reply_free(&r);
}

static void test_admin_token(void **state)
{
    const struct mock_process *p =
        start(state, (const char *const[]){"--admin-token", "tok-123456", NULL});
    struct test_http_reply r = call(p, "GET", "/__cdrsim/health", NULL, NULL);
    assert_int_equal(r.status, 401);
    test_http_reply_free(&r);
    const char *const bearer[] = {"Authorization: Bearer tok-123456", NULL};
    r = call(p, "GET", "/__cdrsim/health", bearer, NULL);
    assert_int_equal(r.status, 200);
    test_http_reply_free(&r);
}

static void test_admin_off(void **state)
{
    const struct mock_process *p = start(state, (const char *const[]){"--admin", "off", NULL});
    struct test_http_reply r = call(p, "GET", "/__cdrsim/health", NULL, NULL);
    assert_int_equal(r.status, 404);
    test_http_reply_free(&r);
    r = admin(p, "POST", "/__cdrsim/reset", NULL);
    assert_int_equal(r.status, 404);
    test_http_reply_free(&r);
}

/* ---- ids and the bind warning ---------------------------------------------------------------- */

/* The Guid a fresh mock gives the first sign-in of agent 292. */
static void first_guid(void **state, const char *const *args, char guid[128])
{
    struct mock_process *p = start(state, args);
    const char body[] = "{\"password\":\"demo-pass-292\",\"phonenum\":\"70292\",\"status\":4}";
    struct test_http_reply r =
        call(p, "PUT", "/agentgateway/resource/onlineagent/292", json_type, body);
    assert_int_equal(r.status, 200);
    assert_true(test_http_reply_header(&r, "Guid", guid, 128));
    test_http_reply_free(&r);
    assert_int_equal(mock_process_stop(p), 0);
}

static void test_ids_differ_unless_seeded(void **state)
{
    char a[128], b[128];
    first_guid(state, NULL, a);
    first_guid(state, NULL, b);
    if (strcmp(a, b) == 0)
        fail_msg("two fresh mocks handed out the same first Guid %s", a);
    const char *const seeded[] = {"--seed", "3", NULL};
    first_guid(state, seeded, a);
    first_guid(state, seeded, b);
    assert_string_equal(a, b);
}

/* The warning comes before the mock listens: a TLS file that cannot be read stops it right after,
 * so the test needs no network beyond loopback. */
static char *warning_for(const char *bind, const char *token)
{
    const char *argv[16] = {CDRSIM_MOCK_BIN,
                            "--bind",
                            bind,
                            "--port",
                            "0",
                            "--tls-cert",
                            "/nonexistent/cert.pem",
                            "--tls-key",
                            "/nonexistent/key.pem"};
    size_t n = 9;
    if (token) {
        argv[n++] = "--admin-token";
        argv[n++] = token;
    }
    argv[n] = NULL;
    char *out = NULL, *err = NULL;
    assert_int_equal(run_command(argv, NULL, &out, &err), 1);
    free(out);
    return err;
}

static void test_exposed_bind_warns(void **state)
{
    (void)state;
    char *err = warning_for("0.0.0.0", NULL);
    test_assert_prefix(err, "cdrsim-mock: warning: binding 0.0.0.0, not loopback: anyone who can "
                            "reach it can use the admin API under /__cdrsim/");
    free(err);
    err = warning_for("0.0.0.0", "tok-123456");
    test_assert_prefix(err, "cdrsim-mock: warning: binding 0.0.0.0, not loopback: the admin API "
                            "under /__cdrsim/ is reachable from other machines");
    free(err);
    err = warning_for("127.0.0.1", NULL);
    assert_null(strstr(err, "warning"));
    free(err);
}

int main(void)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 1;
#define WITH_MOCK(test)                                                                            \
    cmocka_unit_test_setup_teardown(test, mock_process_setup, mock_process_teardown)
    const struct CMUnitTest tests[] = {
        WITH_MOCK(test_journal_of_two_itnio_queries),
        WITH_MOCK(test_journal_flag),
        WITH_MOCK(test_records_variants_and_a_web_page),
        WITH_MOCK(test_admin_token),
        WITH_MOCK(test_admin_off),
        WITH_MOCK(test_ids_differ_unless_seeded),
        cmocka_unit_test(test_exposed_bind_warns),
    };
    int failures = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failures;
}
