/* The client against each vendor's documented server-side failures, injected by the real mock's
 * fault rules: a read that meets one is asked again (ITNIO -18, Huawei 100-007 on a query, Yunfu's
 * HTTP 500, Alibaba's SystemError and a connection reset that libcurl answers by sending the
 * signed request again, which the gateway refuses as a replayed nonce) and the fetch loses
 * nothing; an operation that meets one (a Huawei sign-in) is not asked again. The journal counts
 * what was sent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "cdrsim/huawei.h"
#include "cdrsim/vendor.h"
#include "fake_server.h"
#include "testutil.h"

#define CLOCK "2025-05-01T00:00:00Z"
#define CLOCK_S 1746057600LL

static const char *const json_type[] = {"Content-Type: application/json", NULL};

static struct test_http_reply admin(const struct mock_process *p, const char *method,
                                    const char *path, const char *body)
{
    char *url = test_format("%s%s", p->base_url, path);
    struct test_http_reply r = test_http(method, url, json_type, body, body ? strlen(body) : 0);
    free(url);
    return r;
}

static void add_fault(const struct mock_process *p, const char *spec)
{
    struct test_http_reply r = admin(p, "POST", "/__cdrsim/faults", spec);
    if (r.status != 201)
        fail_msg("POST /__cdrsim/faults %s answered %ld: %s", spec, r.status, r.body);
    test_http_reply_free(&r);
}

/* How many journal entries match a count matcher. */
static int64_t journal_count(const struct mock_process *p, const char *matcher)
{
    struct test_http_reply r = admin(p, "POST", "/__cdrsim/requests/count", matcher);
    assert_int_equal(r.status, 200);
    int64_t n = json_int_at(r.json, "count");
    test_http_reply_free(&r);
    return n;
}

static time_t started;

/* The mock's clock: it started at CLOCK and runs in real time. */
static int64_t mock_clock(void *user)
{
    (void)user;
    return CLOCK_S + (int64_t)(time(NULL) - started);
}

static struct mock_process *start(void **state)
{
    struct mock_process *p = *state;
    started = time(NULL);
    mock_process_start(p, (const char *const[]){"--clock", CLOCK, NULL});
    return p;
}

static int count_record(void *user, const struct cdr_record *rec)
{
    (void)rec;
    ++*(size_t *)user;
    return 0;
}

/* A generic client of vendor with name=value credentials (NULL-terminated pairs) and retries. */
static struct cdr_client *client_of(const struct mock_process *p, const char *vendor,
                                    int max_retries, struct cdr_args *args,
                                    const char *const *pairs)
{
    for (const char *const *kv = pairs; *kv; kv += 2)
        assert_int_equal(cdr_args_set(args, kv[0], kv[1]), CDR_OK);
    struct cdr_client_options o;
    cdr_client_options_default(&o);
    o.base_url = p->base_url;
    o.http.max_retries = max_retries;
    o.http.retry_backoff_ms = 10;
    o.clock = mock_clock;
    struct cdr_error_info err;
    struct cdr_client *c = cdr_client_new(cdr_vendor_find(vendor), &o, args, &err);
    if (!c)
        fail_msg("cdr_client_new(%s): %s", vendor, err.message);
    return c;
}

/* Every record of the vendor's range through one fetch; the result code, the count in *n. */
static cdr_error fetch(const struct mock_process *p, const char *vendor, int max_retries,
                       const char *const *pairs, size_t *n, struct cdr_error_info *err)
{
    struct cdr_args *args = cdr_args_new();
    struct cdr_client *c = client_of(p, vendor, max_retries, args, pairs);
    *n = 0;
    cdr_error rc = cdr_client_fetch_all(c, args, 20, count_record, NULL, n, err);
    cdr_client_free(c);
    cdr_args_free(args);
    return rc;
}

static const char *const itnio_args[] = {"api_key",    "bDqJFiq9",
                                         "api_secret", "7bz1lzh9",
                                         "from",       "2025-01-01T00:00:00+08:00",
                                         "to",         "2025-03-31T23:59:59+08:00",
                                         NULL};

static void test_itnio_minus_18_is_asked_again(void **state)
{
    const struct mock_process *p = start(state);
    struct cdr_error_info err;
    size_t n;
    /* Without retries the failure is the caller's, with the vendor's code. */
    add_fault(p, "{\"vendor\":\"itnio\",\"path\":\"/v3/cc/record/query\",\"kind\":\"vendor_error\","
                 "\"after\":1,\"times\":1}");
    assert_int_equal(fetch(p, "itnio", 0, itnio_args, &n, &err), CDR_ERR_VENDOR);
    assert_string_equal(err.vendor_code, "-18");

    add_fault(p, "{\"vendor\":\"itnio\",\"path\":\"/v3/cc/record/query\",\"kind\":\"vendor_error\","
                 "\"after\":1,\"times\":1}");
    int64_t before = journal_count(p, "{\"vendor\":\"itnio\"}");
    if (fetch(p, "itnio", 1, itnio_args, &n, &err) != CDR_OK)
        fail_msg("fetch through one -18: %s", err.message);
    assert_int_equal(n, 144);
    /* 8 pages of 20 and the empty page after the last (ITNIO's end is asked one second later),
     * plus the one asked twice. */
    int64_t sent = journal_count(p, "{\"vendor\":\"itnio\"}") - before;
    assert_int_equal(journal_count(p, "{\"vendor\":\"itnio\",\"vendor_code\":\"-18\"}"), 2);
    if (sent < 9)
        fail_msg("%lld requests for 144 records in pages of 20", (long long)sent);
}

static void test_huawei_query_asked_again_after_100_007_sign_in_not(void **state)
{
    const struct mock_process *p = start(state);
    struct cdr_huawei_options o;
    cdr_huawei_options_default(&o);
    o.base_url = p->base_url;
    o.agent_id = "292";
    o.password = "demo-pass-292";
    o.phone = "70292";
    o.http.retry_backoff_ms = 10;
    struct cdr_error_info err;
    struct cdr_huawei_session *s = cdr_huawei_session_new(&o, &err);
    assert_non_null(s);

    /* A sign-in is an operation: it may have taken effect, so it is not asked again. */
    add_fault(p, "{\"vendor\":\"huawei\",\"path\":\"/agentgateway/*\",\"method\":\"PUT\","
                 "\"kind\":\"vendor_error\",\"times\":1}");
    assert_int_equal(cdr_huawei_sign_in(s, false, NULL, &err), CDR_ERR_VENDOR);
    assert_string_equal(err.vendor_code, "100-007");
    assert_int_equal(journal_count(p, "{\"vendor\":\"huawei\",\"method\":\"PUT\"}"), 1);
    if (cdr_huawei_sign_in(s, false, NULL, &err) != CDR_OK)
        fail_msg("sign-in after the fault: %s", err.message);

    /* A query is asked again and answers. */
    add_fault(p, "{\"vendor\":\"huawei\",\"path\":\"/agentgateway/*\",\"method\":\"GET\","
                 "\"kind\":\"vendor_error\",\"times\":1}");
    struct cdr_record rec;
    bool found = false;
    if (cdr_huawei_call_by_id(s, "1745859264-459", &rec, &found, &err) != CDR_OK)
        fail_msg("call by id through one 100-007: %s", err.message);
    assert_true(found);
    assert_string_equal(rec.id, "1745859264-459");
    cdr_record_free(&rec);
    assert_int_equal(journal_count(p, "{\"vendor\":\"huawei\",\"vendor_code\":\"100-007\"}"), 2);
    assert_int_equal(cdr_huawei_sign_out(s, &err), CDR_OK);
    cdr_huawei_session_free(s);
}

static const char *const yunfu_args[] = {"token",   "demo-yunfu-token",
                                         "user_id", "4d99d91c-f5d9-49da-88da-758977cc58a9",
                                         "task_id", "287e19c4-1966-49d6-8f02-b53ef11c0a55",
                                         "from",    "2022-01-01T00:00:00+08:00",
                                         "to",      "2022-09-30T23:59:59+08:00",
                                         NULL};

static void test_yunfu_server_error_is_asked_again(void **state)
{
    struct mock_process *p = *state;
    started = time(NULL);
    mock_process_start(p, (const char *const[]){"--clock", "2022-10-20T00:00:00Z", NULL});
    add_fault(p, "{\"vendor\":\"yunfu\",\"path\":\"/agent-api/user/*\",\"kind\":\"vendor_error\","
                 "\"after\":1,\"times\":1}");
    struct cdr_error_info err;
    size_t n;
    if (fetch(p, "yunfu", 1, yunfu_args, &n, &err) != CDR_OK)
        fail_msg("fetch through one HTTP 500: %s", err.message);
    assert_int_equal(n, 52);
    assert_int_equal(journal_count(p, "{\"vendor\":\"yunfu\",\"status\":500}"), 1);
}

static const char *const aliyun_args[] = {"access_key_id",
                                          "testid",
                                          "access_key_secret",
                                          "testsecret",
                                          "instance_id",
                                          "ccc_xp_pre-cn-demo001",
                                          "from",
                                          "2025-01-01T00:00:00+08:00",
                                          "to",
                                          "2025-03-31T23:59:59+08:00",
                                          NULL};

static void test_aliyun_system_error_and_reset_are_asked_again(void **state)
{
    const struct mock_process *p = start(state);
    struct cdr_error_info err;
    size_t n;
    add_fault(p, "{\"vendor\":\"aliyun\",\"path\":\"/\",\"kind\":\"vendor_error\",\"after\":1,"
                 "\"times\":1}");
    if (fetch(p, "aliyun", 1, aliyun_args, &n, &err) != CDR_OK)
        fail_msg("fetch through one SystemError: %s", err.message);
    assert_int_equal(n, 106);

    /* The reset comes after the gateway took the nonce; whether libcurl sends the same signed
     * request again on a fresh connection (a replay: SignatureNonceUsed) or reports the reset,
     * the client signs afresh and the fetch is whole. */
    add_fault(p, "{\"vendor\":\"aliyun\",\"path\":\"/\",\"kind\":\"reset\",\"after\":1,"
                 "\"times\":1}");
    if (fetch(p, "aliyun", 1, aliyun_args, &n, &err) != CDR_OK)
        fail_msg("fetch through one reset: %s", err.message);
    assert_int_equal(n, 106);
    struct test_http_reply r = admin(p, "GET", "/__cdrsim/faults", NULL);
    assert_int_equal(json_int_at(r.json, "0.fired"), 1);
    assert_int_equal(json_int_at(r.json, "1.fired"), 1);
    test_http_reply_free(&r);
}

/* ---- Alibaba's replayed nonce, on a server of the test's own ----------------------------------
 */

/* Refuses the first request as a replay, then answers one page; keeps every SignatureNonce. */
struct replay {
    char nonces[4][64];
};

static void replay_once(void *user, const struct fake_request *req, struct fake_reply *reply)
{
    struct replay *r = user;
    char nonce[64] = "";
    const char *form = strstr(req->body, "SignatureNonce=");
    const char *header = strstr(req->headers, "x-acs-signature-nonce: ");
    if (header)
        sscanf(header + strlen("x-acs-signature-nonce: "), "%63[^\r\n]", nonce);
    else if (form)
        sscanf(form + strlen("SignatureNonce="), "%63[^&]", nonce);
    if (req->index < 4)
        snprintf(r->nonces[req->index], sizeof(r->nonces[0]), "%s", nonce);
    if (req->index == 0) {
        reply->status = 400;
        reply->body = strdup("{\"RequestId\":\"r\",\"HostId\":\"h\",\"Code\":"
                             "\"SignatureNonceUsed\",\"Message\":\"Specified signature nonce was "
                             "used already.\"}");
        return;
    }
    reply->body = strdup("{\"RequestId\":\"r\",\"Code\":\"Success\",\"Success\":true,\"Data\":{"
                         "\"PageSize\":10,\"PageNumber\":1,\"TotalCount\":1,"
                         "\"CallDetailRecord\":[{\"Id\":\"a1\"}]}}");
}

static void fixed_nonce(void *user, char out[64])
{
    (void)user;
    snprintf(out, 64, "%s", "the-same-nonce-every-time");
}

static void
test_aliyun_replayed_nonce_is_signed_afresh_unless_the_nonce_is_the_callers(void **state)
{
    (void)state;
    for (int own = 0; own < 2; own++) {
        struct replay seen = {0};
        struct fake_server *server = fake_server_start(replay_once, &seen);
        struct cdr_args *args = cdr_args_new();
        for (const char *const *kv = aliyun_args; kv[0] && strcmp(kv[0], "from") != 0; kv += 2)
            assert_int_equal(cdr_args_set(args, kv[0], kv[1]), CDR_OK);
        struct cdr_client_options o;
        cdr_client_options_default(&o);
        o.base_url = fake_server_url(server);
        o.http.max_retries = 2;
        o.http.retry_backoff_ms = 10;
        if (own)
            o.nonce = fixed_nonce;
        struct cdr_error_info err;
        struct cdr_client *c = cdr_client_new(cdr_vendor_find("aliyun"), &o, args, &err);
        assert_non_null(c);
        struct cdr_page page;
        cdr_error rc = cdr_client_page(c, args, 1, 10, &page, &err);
        if (own) {
            /* The caller's nonce may repeat on purpose: the refusal is the answer. */
            assert_int_equal(rc, CDR_ERR_AUTH);
            assert_string_equal(err.vendor_code, "SignatureNonceUsed");
            assert_int_equal(fake_server_requests(server), 1);
        } else {
            if (rc != CDR_OK)
                fail_msg("page after a replayed nonce: %s", err.message);
            assert_int_equal(page.record_count, 1);
            cdr_page_free(&page);
            assert_int_equal(fake_server_requests(server), 2);
            assert_string_not_equal(seen.nonces[0], "");
            assert_string_not_equal(seen.nonces[0], seen.nonces[1]);
        }
        cdr_client_free(c);
        cdr_args_free(args);
        fake_server_stop(server);
    }
}

int main(void)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 1;
#define WITH_MOCK(test)                                                                            \
    cmocka_unit_test_setup_teardown(test, mock_process_setup, mock_process_teardown)
    const struct CMUnitTest tests[] = {
        WITH_MOCK(test_itnio_minus_18_is_asked_again),
        WITH_MOCK(test_huawei_query_asked_again_after_100_007_sign_in_not),
        WITH_MOCK(test_yunfu_server_error_is_asked_again),
        WITH_MOCK(test_aliyun_system_error_and_reset_are_asked_again),
        cmocka_unit_test(
            test_aliyun_replayed_nonce_is_signed_afresh_unless_the_nonce_is_the_callers),
    };
    int failures = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failures;
}
