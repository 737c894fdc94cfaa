/* The real cdrsim-mock answering what goes past the HTTP layer's limits the way each vendor would:
 * a URL over 8 KiB or headers over 8 KiB / 100 fields get ITNIO's -22 status body, Yunfu's
 * Laravel 414/431, Huawei's parameter retcodes and Alibaba's InvalidParameter in the format the
 * request asked for; the admin API and unknown paths answer in the core's JSON. A thousand query
 * parameters are answered, not dropped. The Date header follows the mock's clock on every
 * vendor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "cdrsim/buf.h"
#include "testutil.h"
#include "yunfu_model.h"

#define ITNIO_LIST "/v3/cc/record/query"
#define YUNFU_LIST "/agent-api/user/" YUNFU_SEED_USER "/task/" YUNFU_SEED_TASK "/record"
#define HUAWEI_BASE "/agentgateway/resource/"
#define HUAWEI_CALLINFO HUAWEI_BASE "calldata/291/callinfo"
#define HUAWEI_SIGN_IN HUAWEI_BASE "onlineagent/291"
#define URL_LIMIT 8192

static int setup(void **state)
{
    struct mock_process *p = calloc(1, sizeof(*p));
    assert_non_null(p);
    mock_process_start(p, (const char *const[]){"--clock", "2021-09-01T04:00:00Z", NULL});
    *state = p;
    return 0;
}

static int teardown(void **state)
{
    struct mock_process *p = *state;
    assert_int_equal(mock_process_stop(p), 0);
    free(p);
    return 0;
}

/* base + path + "?" (or "&" when path has a query) + filler up to a target of target_len. */
static char *long_url(const struct mock_process *p, const char *path, size_t target_len)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, p->base_url);
    size_t base_len = b.len;
    cdr_buf_puts(&b, path);
    cdr_buf_puts(&b, strchr(path, '?') ? "&x=" : "?x=");
    while (b.len - base_len < target_len)
        cdr_buf_puts(&b, "y");
    return cdr_buf_steal(&b);
}

/* 120 small header fields: over the count limit, well under the size limit. */
static const char *const *many_headers(void)
{
    static char storage[120][24];
    static const char *list[121];
    for (int i = 0; i < 120; i++) {
        snprintf(storage[i], sizeof(storage[i]), "X-Field-%03d: v", i);
        list[i] = storage[i];
    }
    list[120] = NULL;
    return list;
}

static struct test_http_reply send_long_url(const struct mock_process *p, const char *method,
                                            const char *path, const char *const *headers)
{
    char *url = long_url(p, path, URL_LIMIT + 100);
    struct test_http_reply r = test_http(method, url, headers, NULL, 0);
    free(url);
    return r;
}

static struct test_http_reply send_many_headers(const struct mock_process *p, const char *method,
                                                const char *path)
{
    char url[512];
    snprintf(url, sizeof(url), "%s%s", p->base_url, path);
    return test_http(method, url, many_headers(), NULL, 0);
}

static void test_itnio_status_body(void **state)
{
    const struct mock_process *p = *state;
    struct test_http_reply r = send_long_url(p, "POST", ITNIO_LIST, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_int_at(r.json, "status"), -22);
    assert_string_equal(json_str_at(r.json, "reason"), "Parameter exception");
    test_http_reply_free(&r);
    r = send_many_headers(p, "POST", ITNIO_LIST);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_int_at(r.json, "status"), -22);
    test_http_reply_free(&r);
}

static void test_yunfu_laravel_answers(void **state)
{
    const struct mock_process *p = *state;
    const char *const auth[] = {"Authorization: Bearer demo-yunfu-token", NULL};
    struct test_http_reply r = send_long_url(p, "GET", YUNFU_LIST, auth);
    assert_int_equal(r.status, 414);
    assert_string_equal(r.body, "{\"message\":\"\"}");
    test_http_reply_free(&r);
    r = send_many_headers(p, "GET", YUNFU_LIST);
    assert_int_equal(r.status, 431);
    assert_string_equal(r.body, "{\"message\":\"\"}");
    test_http_reply_free(&r);
}

static void test_huawei_retcodes(void **state)
{
    const struct mock_process *p = *state;
    struct test_http_reply r = send_long_url(p, "GET", HUAWEI_CALLINFO, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_str_at(r.json, "retcode"), "000-002");
    test_http_reply_free(&r);
    r = send_many_headers(p, "PUT", HUAWEI_SIGN_IN);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_str_at(r.json, "retcode"), "100-001");
    test_http_reply_free(&r);
}

static void test_aliyun_errors_in_the_asked_format(void **state)
{
    const struct mock_process *p = *state;
    /* A URL too long is not parsed, so its Format is unknown: the API's default, XML. */
    struct test_http_reply r = send_long_url(p, "POST", "/?Format=JSON", NULL);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "<Code>InvalidParameter</Code>"));
    assert_non_null(strstr(r.body, "<Message>The request URL is too long.</Message>"));
    test_http_reply_free(&r);
    r = send_many_headers(p, "POST", "/?Format=JSON");
    assert_int_equal(r.status, 400);
    assert_string_equal(json_str_at(r.json, "Code"), "InvalidParameter");
    assert_string_equal(json_str_at(r.json, "Message"), "The request headers are too large.");
    test_http_reply_free(&r);
}

static void test_core_answers(void **state)
{
    const struct mock_process *p = *state;
    struct test_http_reply r = send_long_url(p, "GET", "/__cdrsim/health", NULL);
    assert_int_equal(r.status, 414);
    assert_non_null(json_str_at(r.json, "error"));
    test_http_reply_free(&r);
    r = send_many_headers(p, "POST", "/__cdrsim/reset");
    assert_int_equal(r.status, 431);
    assert_non_null(json_str_at(r.json, "error"));
    test_http_reply_free(&r);
    r = send_long_url(p, "GET", "/nobody/serves/this", NULL);
    assert_int_equal(r.status, 404);
    test_http_reply_free(&r);
}

/* Every vendor's route with a thousand parameters (where libmicrohttpd used to drop the
 * connection after about 450): an answer in the vendor's shape. */
static void test_a_thousand_parameters_are_answered(void **state)
{
    const struct mock_process *p = *state;
    static const struct {
        const char *method;
        const char *path;
        const char *member; /* present in the vendor's answer */
    } routes[] = {
        {"POST", ITNIO_LIST, "status"},
        {"GET", YUNFU_LIST, "message"},
        {"GET", HUAWEI_CALLINFO, "retcode"},
        {"GET", "/", "Code"},
    };
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        struct cdr_buf url;
        cdr_buf_init(&url);
        cdr_buf_printf(&url, "%s%s?Format=JSON", p->base_url, routes[i].path);
        for (int k = 0; k < 1000; k++)
            cdr_buf_printf(&url, "&a[]=%d", k % 10);
        struct test_http_reply r = test_http(routes[i].method, url.data, NULL, NULL, 0);
        cdr_buf_free(&url);
        if (!r.json || !cJSON_GetObjectItemCaseSensitive(r.json, routes[i].member))
            fail_msg("%s %s: HTTP %ld %.300s", routes[i].method, routes[i].path, r.status, r.body);
        test_http_reply_free(&r);
    }
}

static void test_date_follows_the_mock_clock(void **state)
{
    const struct mock_process *p = *state;
    const char *paths[] = {"/__cdrsim/health", ITNIO_LIST, YUNFU_LIST, HUAWEI_CALLINFO, "/"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        char url[512], date[64];
        snprintf(url, sizeof(url), "%s%s", p->base_url, paths[i]);
        struct test_http_reply r = test_http("GET", url, NULL, NULL, 0);
        assert_true(test_http_reply_header(&r, "Date", date, sizeof(date)));
        /* The clock started at 04:00:00 and runs: a few seconds at most have passed. */
        test_assert_prefix(date, "Wed, 01 Sep 2021 04:0");
        test_http_reply_free(&r);
    }
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
#define T(f) cmocka_unit_test(f)
    const struct CMUnitTest tests[] = {
        T(test_itnio_status_body),
        T(test_yunfu_laravel_answers),
        T(test_huawei_retcodes),
        T(test_aliyun_errors_in_the_asked_format),
        T(test_core_answers),
        T(test_a_thousand_parameters_are_answered),
        T(test_date_follows_the_mock_clock),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown); /* one mock for every test */
    curl_global_cleanup();
    return failed;
}
