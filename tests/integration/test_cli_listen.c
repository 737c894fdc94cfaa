/* cdrsim-client listen on loopback: the real mock pushing to it (a first delivery failed on
 * purpose, the retry after the mock's clock moves 30 minutes, the record printed as fetch prints
 * it), and deliveries sent by hand (a batch, a chunked body, a body that does not parse, a GET). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "push_hook.h"
#include "testutil.h"

#define CLOCK "2025-05-01T00:00:00Z"
#define ARRIVAL_MS (TEST_UNDER_TSAN ? 5000 : 2000)
#define QUIET_MS 1200

static const char *const json_type[] = {"Content-Type: application/json", NULL};

/* A running `cdrsim-client listen`: its stdout read through a pipe, stderr into a file. */
struct listener {
    pid_t pid;
    int out;
    char out_text[16384];
    size_t out_len;
    char err_path[64];
    int port;
};

/* Reads what stdout has within ms (-1: until it closes); true when it closed. */
static bool read_out(struct listener *l, int ms)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long waited = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        int left = ms < 0 ? 60000 : ms - (int)waited;
        if (left <= 0)
            return false;
        struct pollfd p = {l->out, POLLIN, 0};
        if (poll(&p, 1, left) <= 0)
            return false;
        ssize_t n = read(l->out, l->out_text + l->out_len, sizeof(l->out_text) - 1 - l->out_len);
        if (n <= 0)
            return true;
        l->out_len += (size_t)n;
        l->out_text[l->out_len] = '\0';
    }
}

/* Starts listen VENDOR --port 0 plus args and reads the port from its first line. */
static void listener_start(struct listener *l, const char *vendor, const char *const *args)
{
    *l = (struct listener){0};
    snprintf(l->err_path, sizeof(l->err_path), "/tmp/cdrsim-listen-XXXXXX");
    int err_fd = mkstemp(l->err_path);
    assert_true(err_fd >= 0);
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    const char *argv[32] = {CDRSIM_CLIENT_BIN, "listen", vendor, "--port", "0"};
    size_t n = 5;
    for (size_t i = 0; args && args[i] && n < 31; i++)
        argv[n++] = args[i];
    l->pid = fork();
    assert_true(l->pid >= 0);
    if (l->pid == 0) {
        dup2(pipefd[1], 1);
        dup2(err_fd, 2);
        close(pipefd[0]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(pipefd[1]);
    close(err_fd);
    l->out = pipefd[0];
    while (!strchr(l->out_text, '\n'))
        if (read_out(l, 30000))
            fail_msg("listen exited before printing its port");
    l->port = atoi(l->out_text);
    assert_in_range(l->port, 1, 65535);
    /* what follows the port line is records */
    size_t first = (size_t)(strchr(l->out_text, '\n') - l->out_text) + 1;
    memmove(l->out_text, l->out_text + first, l->out_len - first + 1);
    l->out_len -= first;
}

/* Waits for the listener to exit by itself; its exit status. */
static int listener_wait(struct listener *l)
{
    read_out(l, -1);
    int status = 0;
    for (int i = 0; i < 600 && waitpid(l->pid, &status, WNOHANG) == 0; i++) {
        struct timespec ts = {0, 50000000};
        nanosleep(&ts, NULL);
    }
    if (waitpid(l->pid, &status, WNOHANG) == 0) {
        kill(l->pid, SIGKILL);
        waitpid(l->pid, &status, 0);
        fail_msg("listen did not exit after its --count");
    }
    l->pid = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *listener_stderr(const struct listener *l)
{
    return test_read_file(l->err_path, NULL);
}

static void listener_free(struct listener *l)
{
    if (l->pid > 0) {
        kill(l->pid, SIGKILL);
        waitpid(l->pid, NULL, 0);
    }
    if (l->out > 0)
        close(l->out);
    if (l->err_path[0])
        unlink(l->err_path);
}

static struct test_http_reply post(const struct listener *l, const char *body)
{
    char *url = test_format("http://127.0.0.1:%d/hook", l->port);
    struct test_http_reply r = test_http("POST", url, json_type, body, strlen(body));
    free(url);
    return r;
}

struct fixture {
    struct mock_process mock;
    struct listener listener;
};

static int setup(void **state)
{
    *state = calloc(1, sizeof(struct fixture));
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    int rc = 0;
    listener_free(&f->listener);
    if (f->mock.pid > 0)
        rc = mock_process_stop(&f->mock) == 0 ? 0 : -1;
    free(f);
    return rc;
}

/* The first ITNIO fixture record under a fresh keyId, hung up by the system. */
static char *itnio_record(void)
{
    char *path = test_format("%s/itnio/records.json", FIXTURES_DIR);
    cJSON *fixtures = test_load_json(path);
    free(path);
    cJSON *rec = cJSON_DetachItemFromArray(fixtures, 0);
    cJSON_Delete(fixtures);
    cJSON_ReplaceItemInObjectCaseSensitive(rec, "keyId", cJSON_CreateNumber(800000101));
    cJSON_ReplaceItemInObjectCaseSensitive(rec, "hangingDirection", cJSON_CreateNumber(3));
    cJSON *list = cJSON_CreateArray();
    cJSON_AddItemToArray(list, rec);
    char *body = cJSON_PrintUnformatted(list);
    cJSON_Delete(list);
    return body;
}

static void test_itnio_push_failed_once_then_retried(void **state)
{
    struct fixture *f = *state;
    mock_process_start(&f->mock, (const char *const[]){"--clock", CLOCK, NULL});
    listener_start(&f->listener, "itnio",
                   (const char *const[]){"--count", "1", "--fail-first", "1", NULL});
    char *target = test_format("{\"url\":\"http://127.0.0.1:%d/itnio\"}", f->listener.port);
    struct test_http_reply r = push_admin(&f->mock, "PUT", "/__cdrsim/itnio/push", target);
    free(target);
    assert_int_equal(r.status, 200);
    test_http_reply_free(&r);
    char *record = itnio_record();
    r = push_admin(&f->mock, "POST", "/__cdrsim/itnio/records", record);
    free(record);
    assert_int_equal(r.status, 201);
    test_http_reply_free(&r);

    /* the first delivery is answered 500 and prints nothing; nothing more until the clock moves */
    read_out(&f->listener, QUIET_MS);
    assert_string_equal(f->listener.out_text, "");
    r = push_admin(&f->mock, "GET", "/__cdrsim/itnio/push", NULL);
    assert_int_equal(json_int_at(r.json, "pending.0.last_status"), 500);
    test_http_reply_free(&r);
    push_advance(&f->mock, 1800);

    assert_int_equal(listener_wait(&f->listener), 0);
    assert_int_equal(test_count_lines(f->listener.out_text), 1);
    cJSON *line = cJSON_Parse(f->listener.out_text);
    assert_non_null(line);
    assert_string_equal(json_str_at(line, "vendor"), "itnio");
    assert_string_equal(json_str_at(line, "id"), "24050300125193699");
    assert_string_equal(json_str_at(line, "call_id"), "24050300125193699");
    assert_string_equal(json_str_at(line, "agent"), "dave.chen");
    assert_string_equal(json_str_at(line, "group"), "sales-outbound");
    assert_string_equal(json_str_at(line, "callee"), "118781066546");
    assert_string_equal(json_str_at(line, "start_time"), "2024-05-02T15:51:37Z");
    assert_string_equal(json_str_at(line, "end_time"), "2024-05-02T16:12:51Z");
    assert_int_equal(json_int_at(line, "talk_seconds"), 1258);
    assert_string_equal(json_str_at(line, "hangup_by"), "system");
    cJSON_Delete(line);
    char *err = listener_stderr(&f->listener);
    assert_non_null(strstr(err, "delivery 1 answered 500 (--fail-first 1)"));
    free(err);

    /* the mock saw the retry answered 200: its worker files the answer just after the listener has
     * sent it, so the test looks again for up to 5 s before comparing */
    r = push_admin(&f->mock, "GET", "/__cdrsim/itnio/push", NULL);
    for (int tries = 0; tries < 50 && json_int_at(r.json, "delivered") != 1; tries++) {
        test_http_reply_free(&r);
        push_sleep_ms(100);
        r = push_admin(&f->mock, "GET", "/__cdrsim/itnio/push", NULL);
    }
    assert_int_equal(json_int_at(r.json, "delivered"), 1);
    assert_int_equal(json_int_at(r.json, "attempts.0.status"), 200);
    test_http_reply_free(&r);
}

static void test_bad_bodies_refused_then_a_batch(void **state)
{
    struct fixture *f = *state;
    listener_start(&f->listener, "yunfu", (const char *const[]){"--count", "2", "--raw", NULL});
    struct test_http_reply r = post(&f->listener, "{\"count\":3,\"data\":[]}");
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "count is 3 but data holds 0 records"));
    test_http_reply_free(&r);
    r = post(&f->listener, "{\"count\":1,\"data\":[{\"callid\":\"x\"");
    assert_int_equal(r.status, 400);
    test_http_reply_free(&r);
    char *url = test_format("http://127.0.0.1:%d/", f->listener.port);
    r = test_http("GET", url, NULL, NULL, 0);
    free(url);
    assert_int_equal(r.status, 405);
    test_http_reply_free(&r);

    r = post(&f->listener, "{\"count\":2,\"data\":[{\"callid\":\"a\",\"bill\":43,\"calldate\":"
                           "\"2025-09-25 21:39:55\",\"answerdate\":\"2025-09-25 21:39:55\"},"
                           "{\"callid\":\"b\",\"duration\":9}]}");
    assert_int_equal(r.status, 200);
    test_http_reply_free(&r);
    assert_int_equal(listener_wait(&f->listener), 0);
    assert_int_equal(test_count_lines(f->listener.out_text), 2);
    char *second = strchr(f->listener.out_text, '\n') + 1;
    cJSON *a = cJSON_ParseWithLength(f->listener.out_text, (size_t)(second - f->listener.out_text));
    cJSON *b = cJSON_Parse(second);
    assert_string_equal(json_str_at(a, "id"), "a");
    assert_int_equal(json_int_at(a, "talk_seconds"), 43); /* seconds, as pushed */
    assert_int_equal(json_int_at(a, "raw.bill"), 43);     /* --raw: the pushed object */
    assert_string_equal(json_str_at(b, "id"), "b");
    assert_int_equal(json_int_at(b, "ring_seconds"), 9);
    cJSON_Delete(a);
    cJSON_Delete(b);
    char *err = listener_stderr(&f->listener);
    assert_non_null(strstr(err, "listen yunfu: malformed_response: push body's count is 3"));
    assert_non_null(strstr(err, "push body ends early"));
    free(err);
}

/* Sends text on a fresh connection to the listener and returns the answer's status. */
static int raw_request(const struct listener *l, const char *text)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)l->port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(send(fd, text, strlen(text), 0), (ssize_t)strlen(text));
    char reply[1024] = "";
    size_t got = 0;
    ssize_t n;
    while (got < sizeof(reply) - 1 && (n = read(fd, reply + got, sizeof(reply) - 1 - got)) > 0)
        got += (size_t)n;
    close(fd);
    int status = 0;
    /* a 100 Continue may come first */
    const char *last = strstr(reply, "HTTP/1.1 100 Continue\r\n\r\n") == reply ? reply + 25 : reply;
    sscanf(last, "HTTP/1.1 %d", &status);
    return status;
}

static void test_chunked_and_expect_continue(void **state)
{
    struct fixture *f = *state;
    listener_start(&f->listener, "huawei", (const char *const[]){"--count", "2", NULL});
    assert_int_equal(raw_request(&f->listener,
                                 "POST / HTTP/1.1\r\nHost: x\r\n"
                                 "Transfer-Encoding: chunked\r\n\r\n"
                                 "5\r\n{\"cal\r\n"
                                 "43;ext=1\r\nlSerialNo\":\"A1\",\"serviceNo\":\"101\","
                                 "\"called\":\"2\",\"releaseReason\":\"0\"}\r\n"
                                 "0\r\n\r\n"),
                     200);
    assert_int_equal(raw_request(&f->listener, "POST /x HTTP/1.1\r\nHost: x\r\n"
                                               "Transfer-Encoding: chunked\r\n\r\nzz\r\n"),
                     400);
    assert_int_equal(raw_request(&f->listener, "POST /x HTTP/1.1\r\nHost: x\r\n\r\n"), 411);
    assert_int_equal(raw_request(&f->listener, "POST /x HTTP/1.1\r\nHost: x\r\n"
                                               "Content-Length: 99999999999\r\n\r\n"),
                     413);
    assert_int_equal(raw_request(&f->listener,
                                 "POST /x HTTP/1.1\r\nHost: x\r\n"
                                 "Expect: 100-continue\r\nContent-Length: 48\r\n\r\n"
                                 "{\"callSerialNo\":\"A2\",\"serviceNo\":1,\"called\":"
                                 "\"3\"}"),
                     200);
    assert_int_equal(listener_wait(&f->listener), 0);
    assert_int_equal(test_count_lines(f->listener.out_text), 2);
    assert_non_null(strstr(f->listener.out_text, "\"id\":\"A1\""));
    assert_non_null(strstr(f->listener.out_text, "\"hangup_by\":\"customer\""));
    assert_non_null(strstr(f->listener.out_text, "\"id\":\"A2\""));
}

static void test_usage(void **state)
{
    (void)state;
    char *out = NULL, *err = NULL;
    int rc = run_command(
        (const char *const[]){CDRSIM_CLIENT_BIN, "listen", "aliyun", "--port", "0", NULL}, NULL,
        &out, &err);
    assert_int_equal(rc, 2);
    assert_non_null(strstr(err, "aliyun does not push records"));
    free(out);
    free(err);
    rc = run_command((const char *const[]){CDRSIM_CLIENT_BIN, "listen", "itnio", NULL}, NULL, &out,
                     &err);
    assert_int_equal(rc, 2);
    assert_non_null(strstr(err, "--port is required"));
    free(out);
    free(err);
    rc = run_command(
        (const char *const[]){CDRSIM_CLIENT_BIN, "listen", "itnio", "--port", "70000", NULL}, NULL,
        &out, &err);
    assert_int_equal(rc, 2);
    free(out);
    free(err);
    rc = run_command((const char *const[]){CDRSIM_CLIENT_BIN, "listen", "itnio", "--port", "0",
                                           "--bind", "localhost", NULL},
                     NULL, &out, &err);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(err, "--bind localhost: not a numeric IP address"));
    free(out);
    free(err);
    rc = run_command((const char *const[]){CDRSIM_CLIENT_BIN, "listen", "yunfu", "--help", NULL},
                     NULL, &out, &err);
    assert_int_equal(rc, 0);
    test_assert_prefix(out, "usage: cdrsim-client listen yunfu --port N");
    free(out);
    free(err);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_itnio_push_failed_once_then_retried, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_bodies_refused_then_a_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chunked_and_expect_continue, setup, teardown),
        cmocka_unit_test(test_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
