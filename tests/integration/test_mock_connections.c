/* The real cdrsim-mock holding many connections: 1,500 idle sockets (past the ~1017 that used to
 * lock every client out) while health and a vendor query still answer at once; Huawei long polls
 * waiting on a single worker thread while it answers others; and TLS: 1.0 and 1.1 refused by
 * default, 1.2 and 1.3 accepted, --tls-priorities opening the old versions again. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "testutil.h"

#define IDLE_SOCKETS 1500
#define PROMPT_MS (TEST_UNDER_TSAN ? 3000 : 1000)
#define HUAWEI "/agentgateway/resource/"
#define POLLS 20

struct fixture {
    struct mock_process mock;
    struct test_tls tls;
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    if (fx->mock.pid > 0)
        assert_int_equal(mock_process_stop(&fx->mock), 0);
    test_tls_remove(&fx->tls);
    free(fx);
    return 0;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A GET answered within PROMPT_MS with that status. */
static void expect_prompt(const char *base, const char *path, const char *const *headers,
                          long status)
{
    char url[256];
    snprintf(url, sizeof(url), "%s%s", base, path);
    int64_t start = now_ms();
    struct test_http_reply r = test_http("GET", url, headers, NULL, 0);
    int64_t took = now_ms() - start;
    assert_int_equal(r.status, status);
    test_http_reply_free(&r);
    if (took > PROMPT_MS)
        fail_msg("GET %s took %lld ms", path, (long long)took);
}

static void test_many_idle_sockets_lock_nobody_out(void **state)
{
    struct fixture *fx = *state;
    /* This process holds the sockets' client ends. */
    struct rlimit lim;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &lim), 0);
    if (lim.rlim_max != RLIM_INFINITY && lim.rlim_max < IDLE_SOCKETS + 100)
        fail_msg("the open-file hard limit (%llu) is below what this test needs (%d)",
                 (unsigned long long)lim.rlim_max, IDLE_SOCKETS + 100);
    lim.rlim_cur = lim.rlim_max;
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &lim), 0);
    mock_process_start(&fx->mock, NULL);
    int *fds = malloc(IDLE_SOCKETS * sizeof(*fds));
    assert_non_null(fds);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)fx->mock.port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int i = 0; i < IDLE_SOCKETS; i++) {
        fds[i] = socket(AF_INET, SOCK_STREAM, 0);
        assert_true(fds[i] >= 0);
        if (connect(fds[i], (struct sockaddr *)&a, sizeof(a)) != 0)
            fail_msg("connection %d: %s", i, strerror(errno));
    }
    /* Give the workers time to accept every one of them. */
    struct timespec settle = {0, 300 * 1000000L};
    nanosleep(&settle, NULL);
    expect_prompt(fx->mock.base_url, "/__cdrsim/health", NULL, 200);
    /* A vendor's route too (a GET: the 405 of ITNIO's framework). */
    expect_prompt(fx->mock.base_url, "/v3/cc/record/query", NULL, 405);
    /* The idle sockets are still open: the mock dropped none to make room. */
    int open = 0;
    for (int i = 0; i < IDLE_SOCKETS; i++) {
        char byte;
        ssize_t n = recv(fds[i], &byte, 1, MSG_DONTWAIT);
        open += n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
    assert_int_equal(open, IDLE_SOCKETS);
    for (int i = 0; i < IDLE_SOCKETS; i++)
        close(fds[i]);
    free(fds);
}

struct poller {
    pthread_t thread;
    char url[256];
    char guid_header[160];
    bool ok;
    long status;
    char error[256];
};

static void *poll_once(void *arg)
{
    struct poller *p = arg;
    const char *const headers[] = {p->guid_header, NULL};
    struct test_http_reply r;
    p->ok = test_http_try("GET", p->url, headers, NULL, 0, &r, p->error, sizeof(p->error));
    if (p->ok) {
        p->status = r.status;
        test_http_reply_free(&r);
    }
    return NULL;
}

static void test_huawei_polls_wait_without_a_worker(void **state)
{
    struct fixture *fx = *state;
    mock_process_start(&fx->mock, (const char *const[]){"--threads", "1", "--variant",
                                                        "huawei.poll_seconds=3", NULL});
    char url[256], guid[128];
    snprintf(url, sizeof(url), "%s" HUAWEI "onlineagent/291", fx->mock.base_url);
    const char *const json[] = {"Content-Type: application/json", NULL};
    const char *body = "{\"password\":\"demo-pass-291\",\"phonenum\":\"70291\"}";
    struct test_http_reply r = test_http("PUT", url, json, body, strlen(body));
    assert_int_equal(r.status, 200);
    assert_true(test_http_reply_header(&r, "Guid", guid, sizeof(guid)));
    test_http_reply_free(&r);
    struct poller *polls = calloc(POLLS, sizeof(*polls));
    assert_non_null(polls);
    for (int i = 0; i < POLLS; i++) {
        snprintf(polls[i].url, sizeof(polls[i].url), "%s" HUAWEI "agentevent/291",
                 fx->mock.base_url);
        snprintf(polls[i].guid_header, sizeof(polls[i].guid_header), "Guid: %s", guid);
        assert_int_equal(pthread_create(&polls[i].thread, NULL, poll_once, &polls[i]), 0);
    }
    /* The first poll takes the sign-in event; the others wait their 3 s on the one worker. */
    struct timespec settle = {0, 500 * 1000000L};
    nanosleep(&settle, NULL);
    expect_prompt(fx->mock.base_url, "/__cdrsim/health", NULL, 200);
    const char *guid_header[] = {polls[0].guid_header, NULL};
    expect_prompt(fx->mock.base_url, HUAWEI "calldata/291/callinfo", guid_header, 200);
    for (int i = 0; i < POLLS; i++) {
        pthread_join(polls[i].thread, NULL);
        if (!polls[i].ok)
            fail_msg("poll %d: %s", i, polls[i].error);
        assert_int_equal(polls[i].status, 200);
    }
    free(polls);
}

/* Whether openssl s_client completes a handshake with the mock at that protocol version. */
static bool handshake(unsigned port, const char *version)
{
    char connect[32];
    snprintf(connect, sizeof(connect), "127.0.0.1:%u", port);
    /* SECLEVEL=0: OpenSSL's own policy would refuse TLS 1.0/1.1 before the server could. */
    const char *const argv[] = {
        "/usr/bin/env",        "openssl", "s_client", "-connect", connect, version, "-cipher",
        "DEFAULT:@SECLEVEL=0", NULL};
    char *out = NULL, *err = NULL;
    int status = run_command(argv, "", &out, &err);
    bool done = status == 0 && out && strstr(out, "Cipher is ") && !strstr(out, "Cipher is (NONE)");
    free(out);
    free(err);
    return done;
}

static void test_tls_versions(void **state)
{
    struct fixture *fx = *state;
    test_tls_make(&fx->tls);
    mock_process_start(&fx->mock, (const char *const[]){"--tls-cert", fx->tls.cert, "--tls-key",
                                                        fx->tls.key, NULL});
    assert_false(handshake(fx->mock.port, "-tls1"));
    assert_false(handshake(fx->mock.port, "-tls1_1"));
    assert_true(handshake(fx->mock.port, "-tls1_2"));
    assert_true(handshake(fx->mock.port, "-tls1_3"));
    assert_int_equal(mock_process_stop(&fx->mock), 0);
    memset(&fx->mock, 0, sizeof(fx->mock));
    /* The same client does complete TLS 1.0 where the server allows it. */
    mock_process_start(&fx->mock, (const char *const[]){"--tls-cert", fx->tls.cert, "--tls-key",
                                                        fx->tls.key, "--tls-priorities",
                                                        "NORMAL:+VERS-TLS1.1:+VERS-TLS1.0", NULL});
    assert_true(handshake(fx->mock.port, "-tls1"));
    assert_true(handshake(fx->mock.port, "-tls1_1"));
}

static void test_bad_tls_priorities_refused_at_start(void **state)
{
    struct fixture *fx = *state;
    test_tls_make(&fx->tls);
    const char *const argv[] = {CDRSIM_MOCK_BIN,  "--port",    "0",         "--tls-cert",
                                fx->tls.cert,     "--tls-key", fx->tls.key, "--tls-priorities",
                                "NOT-A-PRIORITY", NULL};
    char *out = NULL, *err = NULL;
    int status = run_command(argv, NULL, &out, &err);
    assert_int_equal(status, 1);
    assert_non_null(strstr(err, "--tls-priorities"));
    free(out);
    free(err);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_many_idle_sockets_lock_nobody_out),
        T(test_huawei_polls_wait_without_a_worker),
        T(test_tls_versions),
        T(test_bad_tls_priorities_refused_at_start),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
