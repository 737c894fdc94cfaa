/* Rate limits in the client: an answer a vendor layer maps to rate_limited (Yunfu's HTTP 429,
 * Alibaba Cloud's Throttling.User, ITNIO's -23) is asked again after the wait its Retry-After
 * names (seconds or an HTTP date) or a bounded exponential backoff, within max_retries, each wait
 * told to on_wait first; cdrsim-client --progress shows it. Servers of the test's own refuse a
 * set number of times, then answer; the Alibaba case also runs against the mock's own throttle. */
#include <cJSON.h>
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

#include "cdrsim/aliyun.h"
#include "cdrsim/itnio.h"
#include "cdrsim/vendor.h"
#include "cdrsim/yunfu.h"
#include "fake_server.h"
#include "testutil.h"

/* ---- a server that refuses, then answers ------------------------------------------------------
 */

enum vendor { YUNFU, ALIYUN, ITNIO };

struct script {
    enum vendor vendor;
    int refusals;             /* how many requests are refused before the first answer */
    const char *retry_after;  /* the refusal's Retry-After, or NULL */
    bool date_in_2s;          /* Retry-After: an HTTP date 2 s after the refusal's Date */
    char date[64], later[64]; /* the headers' texts, which must outlive the callback */
};

static void http_date(time_t t, char out[64])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 64, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static void refuse(struct script *s, struct fake_reply *reply)
{
    switch (s->vendor) {
    case YUNFU:
        reply->status = 429;
        reply->body = strdup("{\"message\":\"Too Many Attempts.\"}");
        break;
    case ALIYUN:
        reply->status = 400;
        reply->body = strdup("{\"RequestId\":\"r\",\"HostId\":\"h\",\"Code\":\"Throttling.User\","
                             "\"Message\":\"Request was denied due to user flow control.\"}");
        break;
    case ITNIO:
        reply->body = strdup("{\"status\":-23,\"reason\":\"data caps\",\"data\":null}");
        break;
    }
    size_t h = 0;
    if (s->date_in_2s) {
        /* A Date far from this machine's clock: the wait is measured from it, not from now. */
        time_t sent = 1700000000;
        http_date(sent, s->date);
        http_date(sent + 2, s->later);
        reply->headers[h++] = "Date";
        reply->headers[h++] = s->date;
        reply->headers[h++] = "Retry-After";
        reply->headers[h++] = s->later;
    } else if (s->retry_after) {
        reply->headers[h++] = "Retry-After";
        reply->headers[h++] = s->retry_after;
    }
}

static void answer(const struct script *s, struct fake_reply *reply)
{
    switch (s->vendor) {
    case YUNFU:
        reply->body = strdup("{\"code\":200,\"status\":\"success\",\"message\":\"ok\",\"meta\":{"
                             "\"has_pages\":false,\"total\":1,\"last_page\":1,\"current_page\":1,"
                             "\"per_page\":\"10\"},\"data\":[{\"id\":\"y1\",\"calldate\":"
                             "\"2022-09-29 15:09:00\"}]}");
        break;
    case ALIYUN:
        reply->body = strdup("{\"RequestId\":\"r\",\"Code\":\"Success\",\"Success\":true,\"Data\":{"
                             "\"PageSize\":10,\"PageNumber\":1,\"TotalCount\":1,"
                             "\"CallDetailRecord\":[{\"Id\":\"a1\"}]}}");
        break;
    case ITNIO:
        reply->body = strdup("{\"status\":0,\"reason\":\"success\",\"data\":{\"total\":1,\"size\":"
                             "10,\"current\":1,\"pages\":1,\"records\":[{\"keyId\":1}]}}");
        break;
    }
}

static void scripted(void *user, const struct fake_request *req, struct fake_reply *reply)
{
    struct script *s = user;
    if (req->index < s->refusals)
        refuse(s, reply);
    else
        answer(s, reply);
}

/* ---- running a fetch and watching its waits ----------------------------------------------------
 */

struct waits {
    int count;
    long ms[8];
    bool server_asked[8];
    int retry[8], max_retries[8];
    cdr_error why[8];
    char vendor_code[8][48];
};

static void on_wait(void *user, const struct cdr_http_wait *w)
{
    struct waits *s = user;
    assert_true(s->count < 8);
    s->ms[s->count] = w->wait_ms;
    s->server_asked[s->count] = w->server_asked;
    s->retry[s->count] = w->retry;
    s->max_retries[s->count] = w->max_retries;
    s->why[s->count] = w->why->code;
    snprintf(s->vendor_code[s->count], sizeof(s->vendor_code[0]), "%s", w->why->vendor_code);
    s->count++;
}

static int count_record(void *user, const struct cdr_record *rec)
{
    (void)rec;
    ++*(int *)user;
    return 0;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

struct outcome {
    cdr_error rc;
    struct cdr_error_info err;
    int records;
    long elapsed_ms;
};

/* Every record of the vendor's query through the generic client, retries and waits as given. */
static struct outcome fetch(const char *vendor, const char *base_url, int retries, long backoff_ms,
                            long max_wait_ms, struct waits *waits)
{
    const struct cdr_vendor *v = cdr_vendor_find(vendor);
    struct cdr_args *args = cdr_args_new();
    assert_non_null(args);
    const char *const creds[][2] = {
        {"api_key", "k"},     {"api_secret", "s"},     {"from", "1735689600"},
        {"to", "1735776000"}, {"token", "t"},          {"user_id", "u"},
        {"task_id", "t"},     {"access_key_id", "id"}, {"access_key_secret", "secret"},
        {"instance_id", "i"}};
    for (size_t i = 0; i < sizeof(creds) / sizeof(creds[0]); i++)
        if (cdr_vendor_field(v, creds[i][0]))
            assert_int_equal(cdr_args_add(args, creds[i][0], creds[i][1]), CDR_OK);
    struct cdr_client_options opts;
    cdr_client_options_default(&opts);
    opts.base_url = base_url;
    opts.http.max_retries = retries;
    opts.http.retry_backoff_ms = backoff_ms;
    opts.http.max_wait_ms = max_wait_ms;
    opts.http.on_wait = on_wait;
    opts.http.wait_user = waits;
    struct outcome o = {0};
    struct cdr_client *c = cdr_client_new(v, &opts, args, &o.err);
    assert_non_null(c);
    long t0 = now_ms();
    o.rc = cdr_client_fetch_all(c, args, 10, count_record, NULL, &o.records, &o.err);
    o.elapsed_ms = now_ms() - t0;
    cdr_client_free(c);
    cdr_args_free(args);
    return o;
}

static void expect_ok(const struct outcome *o)
{
    if (o->rc != CDR_OK)
        fail_msg("%s: %s", cdr_error_name(o->rc), o->err.message);
    assert_int_equal(o->records, 1);
}

/* ---- Retry-After -------------------------------------------------------------------------------
 */

static void yunfu_429_waits_the_seconds_retry_after_names(void **state)
{
    (void)state;
    struct script s = {YUNFU, 1, "1", false, "", ""};
    struct fake_server *server = fake_server_start(scripted, &s);
    struct waits w = {0};
    struct outcome o = fetch("yunfu", fake_server_url(server), 2, 50, 60000, &w);
    expect_ok(&o);
    assert_int_equal(fake_server_requests(server), 2);
    assert_int_equal(w.count, 1);
    assert_int_equal(w.ms[0], 1000);
    assert_true(w.server_asked[0]);
    assert_int_equal(w.retry[0], 1);
    assert_int_equal(w.max_retries[0], 2);
    assert_int_equal(w.why[0], CDR_ERR_RATE_LIMITED);
    assert_true(o.elapsed_ms >= 1000);
    fake_server_stop(server);
}

static void an_http_date_is_measured_from_the_answers_date(void **state)
{
    (void)state;
    struct script s = {YUNFU, 1, NULL, true, "", ""};
    struct fake_server *server = fake_server_start(scripted, &s);
    struct waits w = {0};
    struct outcome o = fetch("yunfu", fake_server_url(server), 2, 50, 60000, &w);
    expect_ok(&o);
    assert_int_equal(w.count, 1);
    assert_int_equal(w.ms[0], 2000);
    assert_true(w.server_asked[0]);
    assert_true(o.elapsed_ms >= 2000);
    fake_server_stop(server);
}

static void a_retry_after_beyond_the_longest_wait_fails_at_once(void **state)
{
    (void)state;
    struct script s = {YUNFU, 1, "3600", false, "", ""};
    struct fake_server *server = fake_server_start(scripted, &s);
    struct waits w = {0};
    struct outcome o = fetch("yunfu", fake_server_url(server), 2, 50, 60000, &w);
    assert_int_equal(o.rc, CDR_ERR_RATE_LIMITED);
    assert_int_equal(o.err.http_status, 429);
    assert_string_equal(o.err.message,
                        "Too Many Attempts. (the server asks to wait 3600 s before a "
                        "retry, longer than the 60 s this client waits)");
    assert_int_equal(w.count, 0);
    assert_int_equal(fake_server_requests(server), 1);
    assert_true(o.elapsed_ms < 3000);
    fake_server_stop(server);
}

static void retries_run_out(void **state)
{
    (void)state;
    struct script s = {YUNFU, 100, "0", false, "", ""};
    struct fake_server *server = fake_server_start(scripted, &s);
    struct waits w = {0};
    struct outcome o = fetch("yunfu", fake_server_url(server), 3, 50, 60000, &w);
    assert_int_equal(o.rc, CDR_ERR_RATE_LIMITED);
    assert_string_equal(o.err.message, "Too Many Attempts.");
    assert_int_equal(fake_server_requests(server), 4);
    assert_int_equal(w.count, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(w.ms[i], 0); /* Retry-After: 0 */
        assert_int_equal(w.retry[i], i + 1);
    }
    fake_server_stop(server);

    /* No retries: the first refusal is the answer. */
    s.refusals = 1;
    server = fake_server_start(scripted, &s);
    memset(&w, 0, sizeof(w));
    o = fetch("yunfu", fake_server_url(server), 0, 50, 60000, &w);
    assert_int_equal(o.rc, CDR_ERR_RATE_LIMITED);
    assert_int_equal(w.count, 0);
    assert_int_equal(fake_server_requests(server), 1);
    fake_server_stop(server);
}

/* ---- backoff -----------------------------------------------------------------------------------
 */

static void aliyun_throttling_backs_off_exponentially(void **state)
{
    (void)state;
    struct script s = {ALIYUN, 3, NULL, false, "", ""};
    struct fake_server *server = fake_server_start(scripted, &s);
    struct waits w = {0};
    struct outcome o = fetch("aliyun", fake_server_url(server), 4, 40, 100, &w);
    expect_ok(&o);
    assert_int_equal(fake_server_requests(server), 4);
    assert_int_equal(w.count, 3);
    /* 40, 80, then the longest wait: the backoff is bounded. */
    const long want[] = {40, 80, 100};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(w.ms[i], want[i]);
        assert_false(w.server_asked[i]);
        assert_int_equal(w.why[i], CDR_ERR_RATE_LIMITED);
        assert_string_equal(w.vendor_code[i], "Throttling.User");
    }
    assert_true(o.elapsed_ms >= 220);
    fake_server_stop(server);
}

static void aliyun_throttling_honours_retry_after(void **state)
{
    (void)state;
    struct script s = {ALIYUN, 1, "1", false, "", ""};
    struct fake_server *server = fake_server_start(scripted, &s);
    struct waits w = {0};
    struct outcome o = fetch("aliyun", fake_server_url(server), 2, 40, 60000, &w);
    expect_ok(&o);
    assert_int_equal(w.count, 1);
    assert_int_equal(w.ms[0], 1000);
    assert_true(w.server_asked[0]);
    fake_server_stop(server);
}

static void itnio_data_caps_backs_off(void **state)
{
    (void)state;
    struct script s = {ITNIO, 2, NULL, false, "", ""};
    struct fake_server *server = fake_server_start(scripted, &s);
    struct waits w = {0};
    struct outcome o = fetch("itnio", fake_server_url(server), 2, 30, 60000, &w);
    expect_ok(&o);
    assert_int_equal(fake_server_requests(server), 3);
    assert_int_equal(w.count, 2);
    assert_int_equal(w.ms[0], 30);
    assert_int_equal(w.ms[1], 60);
    assert_string_equal(w.vendor_code[0], "-23");
    fake_server_stop(server);
}

/* ---- the command line -------------------------------------------------------------------------
 */

static void progress_line_shows_the_wait(void **state)
{
    (void)state;
    struct script s = {YUNFU, 1, "1", false, "", ""};
    struct fake_server *server = fake_server_start(scripted, &s);
    struct test_cli_run r = test_cli(
        NULL, (const char *const[]){"fetch", "yunfu", "--base-url", fake_server_url(server),
                                    "--token", "t", "--user-id", "u", "--task-id", "t",
                                    "--page-size", "10", "--progress", NULL});
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_int_equal(test_count_lines(r.out), 1);
    assert_string_equal(r.err, "yunfu: rate_limited (HTTP 429), waiting 1.0 s (Retry-After) before "
                               "retry 1 of 2\n"
                               "yunfu: page 1/1, 1 of 1 records\n");
    test_cli_run_free(&r);

    /* Without --progress and with stderr not a terminal, nothing but the records. */
    r = test_cli(NULL, (const char *const[]){"fetch", "yunfu", "--base-url",
                                             fake_server_url(server), "--token", "t", "--user-id",
                                             "u", "--task-id", "t", "--page-size", "10", NULL});
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    test_cli_run_free(&r);
    fake_server_stop(server);
}

static void command_line_limits(void **state)
{
    (void)state;
    struct script s = {YUNFU, 1, "5", false, "", ""};
    struct fake_server *server = fake_server_start(scripted, &s);
    struct test_cli_run r =
        test_cli(NULL, (const char *const[]){"fetch", "yunfu", "--base-url",
                                             fake_server_url(server), "--token", "t", "--user-id",
                                             "u", "--task-id", "t", "--max-wait-ms", "2000", NULL});
    assert_int_equal(r.status, 1);
    assert_string_equal(r.err, "cdrsim-client: fetch yunfu: rate_limited: Too Many Attempts. (the "
                               "server asks to wait 5 s before a retry, longer than the 2 s this "
                               "client waits) (HTTP 429)\n");
    test_cli_run_free(&r);
    r = test_cli(NULL, (const char *const[]){"fetch", "yunfu", "--base-url",
                                             fake_server_url(server), "--token", "t", "--user-id",
                                             "u", "--task-id", "t", "--max-wait-ms", "-1", NULL});
    assert_int_equal(r.status, 2);
    test_assert_prefix(r.err, "cdrsim-client: --max-wait-ms: \"-1\" is out of range\n");
    test_cli_run_free(&r);
    fake_server_stop(server);
}

/* The mock's own flow control (2 calls a second): a whole fetch of 4 pages completes, waiting. */
static void aliyun_mock_throttle_is_waited_out(void **state)
{
    struct mock_process *mock = *state;
    mock_process_start(mock, (const char *const[]){"--variant", "aliyun.throttle=2", NULL});
    struct test_cli_run r = test_cli(
        NULL, (const char *const[]){"fetch", "aliyun", "--base-url", mock->base_url,
                                    "--access-key-id", "testid", "--access-key-secret",
                                    "testsecret", "--instance-id", "ccc_xp_pre-cn-demo001",
                                    "--page-size", "100", "--retries", "6", "--progress", NULL});
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_int_equal(test_count_lines(r.out), 361);
    assert_non_null(strstr(r.err, "aliyun: page 4/4, 361 of 361 records\n"));
    /* Four pages at two a second: at least one refusal was waited out. */
    assert_non_null(strstr(r.err, "rate_limited (Throttling.User, HTTP 400), waiting "));
    test_cli_run_free(&r);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(yunfu_429_waits_the_seconds_retry_after_names),
        cmocka_unit_test(an_http_date_is_measured_from_the_answers_date),
        cmocka_unit_test(a_retry_after_beyond_the_longest_wait_fails_at_once),
        cmocka_unit_test(retries_run_out),
        cmocka_unit_test(aliyun_throttling_backs_off_exponentially),
        cmocka_unit_test(aliyun_throttling_honours_retry_after),
        cmocka_unit_test(itnio_data_caps_backs_off),
        cmocka_unit_test(progress_line_shows_the_wait),
        cmocka_unit_test(command_line_limits),
        cmocka_unit_test_setup_teardown(aliyun_mock_throttle_is_waited_out, mock_process_setup,
                                        mock_process_teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
