/* The mock's HTTP layer (mockserver/http_mhd.c) in-process on an ephemeral loopback port, serving
 * a small test application instead of the vendors: its routes set the response's struct
 * mock_delivery (delay, reset, truncate, dribble) and a long poll's retry_after_ms, and report what
 * reached them (parameters, headers, what was too large). With a single worker thread, a request
 * answered at once while others wait proves that waiting holds no worker. Also: the header
 * deadline for idle, trickling and kept-alive connections, the limits and their boundaries, the
 * Date header from the application's clock, and a stop with connections still waiting. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "cdrsim/buf.h"
#include "cdrsim/timefmt.h"
#include "clock.h"
#include "config.h"
#include "http.h"
#include "testutil.h"

#define CLOCK "2021-09-01T04:00:00Z"
#define HEADER_TIMEOUT_MS 400
#define IDLE_TIMEOUT_S 3
#define MAX_BODY 4096
/* What "at once" means on a loaded two-core machine running sanitizers. */
#define PROMPT_MS (TEST_UNDER_TSAN ? 1500 : 600)

/* ---- the application --------------------------------------------------------------------- */

struct app_state {
    atomic_int calls;     /* handler calls, every route */
    atomic_int poll_runs; /* handler calls of /poll */
};

static int query_int(const struct mock_request *req, const char *name, int fallback)
{
    const char *v = mock_request_query(req, name);
    return v ? atoi(v) : fallback;
}

static const char *too_large_name(enum mock_too_large what)
{
    switch (what) {
    case MOCK_FITS:
        return "fits";
    case MOCK_BODY_TOO_LARGE:
        return "body";
    case MOCK_URL_TOO_LONG:
        return "url";
    case MOCK_HEADERS_TOO_LARGE:
        return "headers";
    }
    return "?";
}

/* /echo: what arrived. {"too_large","query":[[name,value]...],"headers":N,"body":N} */
static void echo(const struct mock_request *req, struct mock_response *resp)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "{\"too_large\":\"%s\",\"path\":", too_large_name(req->too_large));
    cdr_buf_json_string(&b, req->path);
    cdr_buf_puts(&b, ",\"query\":[");
    for (size_t i = 0; i < req->query_count; i++) {
        cdr_buf_puts(&b, i ? ",[" : "[");
        cdr_buf_json_string(&b, req->query[i].name);
        cdr_buf_puts(&b, ",");
        cdr_buf_json_string(&b, req->query[i].value);
        cdr_buf_puts(&b, "]");
    }
    cdr_buf_printf(&b, "],\"headers\":%zu,\"body\":%zu,\"remote\":", req->header_count,
                   req->body_len);
    cdr_buf_json_string(&b, req->remote_addr);
    cdr_buf_puts(&b, "}");
    size_t len = b.len;
    mock_response_take_body(resp, 200, "application/json", cdr_buf_steal(&b), len);
}

/* size bytes of a pattern a reader can check: byte i is 'a' + i % 26. */
static void pattern_body(struct mock_response *resp, size_t size)
{
    char *body = malloc(size + 1);
    for (size_t i = 0; i < size; i++)
        body[i] = (char)('a' + i % 26);
    body[size] = '\0';
    mock_response_take_body(resp, 200, "text/plain", body, size);
}

static void handle(void *ctx, const struct mock_request *req, struct mock_response *resp)
{
    struct app_state *app = ctx;
    atomic_fetch_add(&app->calls, 1);
    resp->vendor = "test";
    if (strcmp(req->path, "/echo") == 0) {
        echo(req, resp);
    } else if (strcmp(req->path, "/deliver") == 0) {
        pattern_body(resp, (size_t)query_int(req, "size", 100));
        resp->delivery.delay_ms = query_int(req, "delay", 0);
        resp->delivery.reset = query_int(req, "reset", 0) != 0;
        resp->delivery.truncate_bytes = (size_t)query_int(req, "truncate", 0);
        resp->delivery.dribble_bytes = (size_t)query_int(req, "dribble", 0);
        resp->delivery.dribble_interval_ms = query_int(req, "interval", 0);
    } else if (strcmp(req->path, "/poll") == 0) {
        /* Waits `times` steps of `step` ms, as a long poll with nothing to say does. */
        atomic_fetch_add(&app->poll_runs, 1);
        int step = query_int(req, "step", 100), times = query_int(req, "times", 1);
        if (resp->poll.waited_ms < (int64_t)step * times) {
            resp->retry_after_ms = step;
            return;
        }
        char body[64];
        snprintf(body, sizeof(body), "{\"waited_ms\":%lld}", (long long)resp->poll.waited_ms);
        mock_response_json(resp, 200, body);
    } else if (strcmp(req->path, "/dated") == 0) {
        mock_response_json(resp, 200, "{}");
        mock_response_add_header(resp, "Date", "Mon, 02 Jan 2006 15:04:05 GMT");
    } else {
        mock_response_json(resp, 200, "{\"fast\":true}");
    }
}

/* ---- the fixture ------------------------------------------------------------------------- */

struct fixture {
    struct mock_config cfg;
    struct mock_clock clock;
    struct app_state app;
    struct mock_http_app http_app;
    struct mock_http *http;
    unsigned port;
    char base[64];
};

static int64_t now_ms(void)
{
    return mock_monotonic_us() / 1000;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static void start_layer(struct fixture *fx)
{
    char err[256];
    fx->http = mock_http_start(&fx->http_app, &fx->cfg, -1, err, sizeof(err));
    if (!fx->http)
        fail_msg("the HTTP layer did not start: %s", err);
    fx->port = mock_http_port(fx->http);
    snprintf(fx->base, sizeof(fx->base), "http://127.0.0.1:%u", fx->port);
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    mock_config_init(&fx->cfg);
    fx->cfg.port = 0;
    fx->cfg.http.threads = 1; /* one worker: anything that held it would stall the rest */
    fx->cfg.http.header_timeout_ms = HEADER_TIMEOUT_MS;
    fx->cfg.connection_timeout_s = IDLE_TIMEOUT_S;
    fx->cfg.max_body_bytes = MAX_BODY;
    int64_t clock_ms;
    assert_true(cdr_time_parse_rfc3339_ms(CLOCK, &clock_ms));
    mock_clock_init_frozen(&fx->clock, clock_ms);
    fx->http_app = (struct mock_http_app){.handle = handle, .ctx = &fx->app, .clock = &fx->clock};
    start_layer(fx);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    mock_http_stop(fx->http);
    mock_clock_destroy(&fx->clock);
    mock_config_free(&fx->cfg);
    free(fx);
    return 0;
}

/* ---- plain sockets ----------------------------------------------------------------------- */

static int connect_to(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0)
        fail_msg("connect: %s", strerror(errno));
    return fd;
}

static void send_text(int fd, const char *text)
{
    size_t len = strlen(text);
    assert_int_equal(send(fd, text, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* What a connection received until the server closed it (or timeout_ms passed). */
struct received {
    char *data; /* NUL-terminated */
    size_t len;
    bool closed;       /* the server closed (EOF or reset) */
    int64_t closed_ms; /* when, from the call */
    int reads;         /* separate arrivals of data */
    int64_t spread_ms; /* from the first byte to the last */
};

static struct received read_until_close(int fd, int timeout_ms)
{
    struct received r = {0};
    struct cdr_buf b;
    cdr_buf_init(&b);
    int64_t start = now_ms(), first = -1, last = -1;
    for (;;) {
        int left = (int)(start + timeout_ms - now_ms());
        if (left <= 0)
            break;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, left) <= 0)
            continue;
        char chunk[65536];
        ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
        if (n <= 0) {
            r.closed = true;
            r.closed_ms = now_ms() - start;
            break;
        }
        cdr_buf_append(&b, chunk, (size_t)n);
        r.reads++;
        last = now_ms();
        if (first < 0)
            first = last;
    }
    cdr_buf_puts(&b, "");
    r.len = b.len;
    r.data = cdr_buf_steal(&b);
    r.spread_ms = first < 0 ? 0 : last - first;
    return r;
}

/* The body after the header block; NULL when there is none. */
static const char *body_of(const char *response)
{
    const char *end = strstr(response, "\r\n\r\n");
    return end ? end + 4 : NULL;
}

/* An answer announcing `announced` body bytes, of which the pattern's first `sent` arrived. */
static void expect_pattern_body(const struct received *r, size_t announced, size_t sent)
{
    char length[64];
    snprintf(length, sizeof(length), "Content-Length: %zu\r\n", announced);
    test_assert_prefix(r->data, "HTTP/1.1 200 OK\r\n");
    assert_non_null(strstr(r->data, length));
    const char *body = body_of(r->data);
    assert_non_null(body);
    assert_int_equal(r->len - (size_t)(body - r->data), sent);
    for (size_t i = 0; i < sent; i++)
        assert_int_equal(body[i], 'a' + i % 26);
}

/* ---- requests from other threads --------------------------------------------------------- */

struct timed_request {
    pthread_t thread;
    char url[256];
    bool ok;
    long status;
    int64_t took_ms;
    char body[256];
};

static void *run_timed(void *arg)
{
    struct timed_request *t = arg;
    struct test_http_reply r;
    char error[256];
    int64_t start = now_ms();
    t->ok = test_http_try("GET", t->url, NULL, NULL, 0, &r, error, sizeof(error));
    t->took_ms = now_ms() - start;
    if (t->ok) {
        t->status = r.status;
        snprintf(t->body, sizeof(t->body), "%s", r.body);
        test_http_reply_free(&r);
    }
    return NULL;
}

static void start_timed(struct timed_request *t, const char *base, const char *path)
{
    snprintf(t->url, sizeof(t->url), "%s%s", base, path);
    assert_int_equal(pthread_create(&t->thread, NULL, run_timed, t), 0);
}

/* A plain request answered promptly while others wait. */
static void expect_prompt_answer(const struct fixture *fx)
{
    char url[128];
    snprintf(url, sizeof(url), "%s/fast", fx->base);
    int64_t start = now_ms();
    struct test_http_reply r = test_http("GET", url, NULL, NULL, 0);
    int64_t took = now_ms() - start;
    assert_int_equal(r.status, 200);
    test_http_reply_free(&r);
    if (took > PROMPT_MS)
        fail_msg("a plain request took %lld ms while others waited", (long long)took);
}

/* ---- delivery -------------------------------------------------------------------------------- */

static void test_delay_answers_late_and_holds_no_worker(void **state)
{
    struct fixture *fx = *state;
    struct timed_request slow = {0};
    start_timed(&slow, fx->base, "/deliver?delay=800&size=50");
    while (atomic_load(&fx->app.calls) == 0)
        sleep_ms(5);
    expect_prompt_answer(fx);
    pthread_join(slow.thread, NULL);
    assert_true(slow.ok);
    assert_int_equal(slow.status, 200);
    assert_string_equal(slow.body, "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwx");
    assert_in_range(slow.took_ms, 790, 800 + 5000);
}

static void test_reset_answers_nothing(void **state)
{
    struct fixture *fx = *state;
    int fd = connect_to(fx->port);
    send_text(fd, "GET /deliver?reset=1 HTTP/1.1\r\nHost: t\r\n\r\n");
    struct received r = read_until_close(fd, 5000);
    close(fd);
    assert_true(r.closed);
    assert_int_equal(r.len, 0);
    free(r.data);
    /* Through an HTTP client: an error, not an answer. */
    char url[128], error[256];
    snprintf(url, sizeof(url), "%s/deliver?reset=1", fx->base);
    struct test_http_reply reply;
    assert_false(test_http_try("GET", url, NULL, NULL, 0, &reply, error, sizeof(error)));
    expect_prompt_answer(fx);
}

static void test_truncate_promises_all_and_sends_part(void **state)
{
    struct fixture *fx = *state;
    int fd = connect_to(fx->port);
    send_text(fd, "GET /deliver?truncate=100&size=1000 HTTP/1.1\r\nHost: t\r\n\r\n");
    struct received r = read_until_close(fd, 5000);
    close(fd);
    assert_true(r.closed);
    expect_pattern_body(&r, 1000, 100);
    free(r.data);
}

static void test_dribble_paces_the_body_and_holds_no_worker(void **state)
{
    struct fixture *fx = *state;
    int fd = connect_to(fx->port);
    send_text(fd, "GET /deliver?dribble=10&interval=150&size=60 HTTP/1.1\r\nHost: t\r\n"
                  "Connection: close\r\n\r\n");
    while (atomic_load(&fx->app.calls) == 0)
        sleep_ms(5);
    expect_prompt_answer(fx);
    struct received r = read_until_close(fd, 10000);
    close(fd);
    assert_true(r.closed);
    expect_pattern_body(&r, 60, 60);
    /* Six chunks, five pauses of 150 ms between them. */
    assert_true(r.reads >= 4);
    assert_in_range(r.spread_ms, 5 * 150 - 50, 5 * 150 + 5000);
    free(r.data);
}

static void test_dribble_and_truncate_together(void **state)
{
    struct fixture *fx = *state;
    int fd = connect_to(fx->port);
    send_text(fd, "GET /deliver?dribble=7&interval=50&truncate=30&size=500 HTTP/1.1\r\n"
                  "Host: t\r\n\r\n");
    struct received r = read_until_close(fd, 10000);
    close(fd);
    assert_true(r.closed);
    expect_pattern_body(&r, 500, 30);
    free(r.data);
}

/* ---- long polls ------------------------------------------------------------------------------ */

#define POLLERS 40

static void test_long_polls_wait_suspended(void **state)
{
    struct fixture *fx = *state;
    struct timed_request *polls = calloc(POLLERS, sizeof(*polls));
    assert_non_null(polls);
    for (int i = 0; i < POLLERS; i++)
        start_timed(&polls[i], fx->base, "/poll?times=6&step=100");
    while (atomic_load(&fx->app.poll_runs) < POLLERS)
        sleep_ms(5);
    /* Forty polls wait on one worker, and it still answers at once. */
    expect_prompt_answer(fx);
    for (int i = 0; i < POLLERS; i++) {
        pthread_join(polls[i].thread, NULL);
        assert_true(polls[i].ok);
        assert_int_equal(polls[i].status, 200);
        /* The handler saw every wait it asked for, in its poll bookkeeping. */
        assert_string_equal(polls[i].body, "{\"waited_ms\":600}");
        assert_in_range(polls[i].took_ms, 590, 600 + 8000);
    }
    /* Each poll ran its handler once, then once per 100 ms step. */
    assert_int_equal(atomic_load(&fx->app.poll_runs), POLLERS * 7);
    free(polls);
}

/* ---- the header deadline -------------------------------------------------------------------- */

static void test_idle_connection_cut_at_the_header_deadline(void **state)
{
    struct fixture *fx = *state;
    int fd = connect_to(fx->port);
    struct received r = read_until_close(fd, 5000);
    close(fd);
    assert_true(r.closed);
    assert_int_equal(r.len, 0);
    /* Well before the idle timeout, which would close it too. */
    assert_in_range(r.closed_ms, HEADER_TIMEOUT_MS - 50, HEADER_TIMEOUT_MS + 1500);
    free(r.data);
}

struct trickle {
    pthread_t thread;
    int fd;
    atomic_bool stop;
    int sent;
};

/* One header byte every 50 ms: never idle long enough for the idle timeout. */
static void *trickle_bytes(void *arg)
{
    struct trickle *t = arg;
    static const char line[] = "X-Slow: yes\r\n";
    while (!atomic_load(&t->stop)) {
        if (send(t->fd, &line[t->sent % (sizeof(line) - 1)], 1, MSG_NOSIGNAL) != 1)
            break;
        t->sent++;
        sleep_ms(50);
    }
    return NULL;
}

static void test_trickled_headers_cut_at_the_deadline(void **state)
{
    struct fixture *fx = *state;
    struct trickle t = {.fd = connect_to(fx->port)};
    send_text(t.fd, "GET /echo HTTP/1.1\r\nHost: t\r\n");
    pthread_create(&t.thread, NULL, trickle_bytes, &t);
    struct received r = read_until_close(t.fd, 8000);
    atomic_store(&t.stop, true);
    pthread_join(t.thread, NULL);
    close(t.fd);
    assert_true(r.closed);
    assert_int_equal(r.len, 0);
    assert_in_range(r.closed_ms, HEADER_TIMEOUT_MS - 50, HEADER_TIMEOUT_MS + 2000);
    assert_true(t.sent >= 3);
    free(r.data);
}

static void test_slow_but_timely_headers_are_answered(void **state)
{
    struct fixture *fx = *state;
    int fd = connect_to(fx->port);
    send_text(fd, "GET /echo HTTP/1.1\r\n");
    sleep_ms(HEADER_TIMEOUT_MS / 4);
    send_text(fd, "Host: t\r\nConnection: close\r\n\r\n");
    struct received r = read_until_close(fd, 5000);
    close(fd);
    test_assert_prefix(r.data, "HTTP/1.1 200 OK\r\n");
    free(r.data);
}

static void test_kept_alive_connection_owes_headers_within_the_idle_timeout(void **state)
{
    struct fixture *fx = *state;
    struct trickle t = {.fd = connect_to(fx->port)};
    send_text(t.fd, "GET /fast HTTP/1.1\r\nHost: t\r\n\r\n");
    char answer[1024];
    struct pollfd p = {.fd = t.fd, .events = POLLIN};
    assert_int_equal(poll(&p, 1, 5000), 1);
    assert_true(recv(t.fd, answer, sizeof(answer), 0) > 0);
    /* The next request trickles in past the header deadline of a new connection: the kept-alive
     * one has the idle timeout, then is cut however busy it keeps the socket. */
    int64_t start = now_ms();
    send_text(t.fd, "GET /echo HTTP/1.1\r\n");
    pthread_create(&t.thread, NULL, trickle_bytes, &t);
    struct received r = read_until_close(t.fd, 12000);
    int64_t closed_after = now_ms() - start;
    atomic_store(&t.stop, true);
    pthread_join(t.thread, NULL);
    close(t.fd);
    assert_true(r.closed);
    assert_int_equal(r.len, 0);
    assert_in_range(closed_after, IDLE_TIMEOUT_S * 1000 - 100, IDLE_TIMEOUT_S * 1000 + 4000);
    free(r.data);
}

/* ---- limits ---------------------------------------------------------------------------------- */

/* One request written by hand; the parsed /echo answer (or the raw text when not JSON). */
static cJSON *echo_raw(const struct fixture *fx, const char *request, char **raw)
{
    int fd = connect_to(fx->port);
    size_t len = strlen(request);
    assert_int_equal(send(fd, request, len, MSG_NOSIGNAL), (ssize_t)len);
    struct received r = read_until_close(fd, 5000);
    close(fd);
    const char *body = body_of(r.data);
    cJSON *json = body ? cJSON_Parse(body) : NULL;
    if (raw)
        *raw = r.data;
    else
        free(r.data);
    return json;
}

/* A request whose target is exactly target_len bytes and whose header fields, besides Host and
 * Connection, number extra_fields and together with those two total header_bytes ("Name: value"
 * plus CRLF each). */
static char *shaped_request(size_t target_len, size_t extra_fields, size_t header_bytes)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "GET /echo?p=");
    while (b.len < 4 + target_len)
        cdr_buf_puts(&b, "x");
    cdr_buf_puts(&b, " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n");
    size_t used = strlen("Host: t\r\n") + strlen("Connection: close\r\n");
    for (size_t i = 0; i < extra_fields; i++) {
        char name[32];
        snprintf(name, sizeof(name), "X-%04zu", i % 10000);
        size_t fixed = strlen(name) + 4; /* ": " and CRLF */
        size_t left = header_bytes - used - (extra_fields - i - 1) * (fixed + 1);
        size_t value = i + 1 == extra_fields ? left - fixed : 1;
        cdr_buf_printf(&b, "%s: ", name);
        for (size_t k = 0; k < value; k++)
            cdr_buf_puts(&b, "v");
        cdr_buf_puts(&b, "\r\n");
        used += fixed + value;
    }
    cdr_buf_puts(&b, "\r\n");
    return cdr_buf_steal(&b);
}

/* The /echo answer to shaped_request(target, fields, bytes); caller deletes. */
static cJSON *echo_shaped(const struct fixture *fx, size_t target, size_t fields, size_t bytes)
{
    char *request = shaped_request(target, fields, bytes);
    char *raw = NULL;
    cJSON *json = echo_raw(fx, request, &raw);
    free(request);
    if (!json)
        fail_msg("no JSON answer for a target of %zu, %zu fields, %zu header bytes: %.300s", target,
                 fields, bytes, raw);
    free(raw);
    return json;
}

static const char *too_large_of(const struct fixture *fx, size_t target, size_t fields,
                                size_t bytes)
{
    cJSON *json = echo_shaped(fx, target, fields, bytes);
    static char kind[16];
    snprintf(kind, sizeof(kind), "%s", json_str_at(json, "too_large"));
    cJSON_Delete(json);
    return kind;
}

static void test_limits_and_their_boundaries(void **state)
{
    struct fixture *fx = *state;
    const size_t url = fx->cfg.http.max_url_bytes, bytes = fx->cfg.http.max_header_bytes;
    const size_t fields = fx->cfg.http.max_header_fields;
    assert_string_equal(too_large_of(fx, url, 10, 1000), "fits");
    assert_string_equal(too_large_of(fx, url + 1, 10, 1000), "url");
    assert_string_equal(too_large_of(fx, 100, fields - 2, bytes), "fits");
    assert_string_equal(too_large_of(fx, 100, fields - 2, bytes + 1), "headers");
    assert_string_equal(too_large_of(fx, 100, fields - 1, 2000), "headers");
    /* Both at their limits at once still fits what libmicrohttpd holds per connection. */
    assert_string_equal(too_large_of(fx, url, fields - 2, bytes), "fits");
    /* A URL twice the limit: still our answer, not the library's. */
    assert_string_equal(too_large_of(fx, 2 * url, 10, 1000), "url");
    /* The query of a URL too long is not parsed; with headers too large it still is. */
    cJSON *json = echo_shaped(fx, url + 1, 10, 1000);
    assert_int_equal(cJSON_GetArraySize(json_at(json, "query")), 0);
    cJSON_Delete(json);
    json = echo_shaped(fx, 100, fields - 1, 2000);
    assert_int_equal(cJSON_GetArraySize(json_at(json, "query")), 1);
    assert_string_equal(json_str_at(json, "query.0.0"), "p");
    cJSON_Delete(json);
}

static void test_a_thousand_query_parameters_arrive(void **state)
{
    struct fixture *fx = *state;
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "GET /echo?");
    for (int i = 0; i < 1000; i++)
        cdr_buf_printf(&b, "%sa[]=%d", i ? "&" : "", i % 10);
    cdr_buf_puts(&b, "&q=%E4%BA%91+x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    assert_true(b.len < fx->cfg.http.max_url_bytes);
    cJSON *json = echo_raw(fx, b.data, NULL);
    cdr_buf_free(&b);
    assert_non_null(json);
    assert_string_equal(json_str_at(json, "too_large"), "fits");
    const cJSON *query = json_at(json, "query");
    assert_int_equal(cJSON_GetArraySize(query), 1001);
    assert_string_equal(json_str_at(json, "query.999.0"), "a[]");
    assert_string_equal(json_str_at(json, "query.999.1"), "9");
    assert_string_equal(json_str_at(json, "query.1000.1"), "\xe4\xba\x91 x");
    assert_string_equal(json_str_at(json, "remote"), "127.0.0.1");
    cJSON_Delete(json);
}

static void test_body_over_the_limit(void **state)
{
    struct fixture *fx = *state;
    char url[128];
    snprintf(url, sizeof(url), "%s/echo", fx->base);
    char *body = calloc(1, MAX_BODY + 2);
    memset(body, 'b', MAX_BODY + 1);
    struct test_http_reply r = test_http("POST", url, NULL, body, MAX_BODY);
    assert_string_equal(json_str_at(r.json, "too_large"), "fits");
    assert_int_equal(json_int_at(r.json, "body"), MAX_BODY);
    test_http_reply_free(&r);
    r = test_http("POST", url, NULL, body, MAX_BODY + 1);
    assert_string_equal(json_str_at(r.json, "too_large"), "body");
    test_http_reply_free(&r);
    free(body);
}

/* ---- the Date header ------------------------------------------------------------------------ */

static void test_date_follows_the_application_clock(void **state)
{
    struct fixture *fx = *state;
    char url[128], date[64];
    snprintf(url, sizeof(url), "%s/fast", fx->base);
    struct test_http_reply r = test_http("GET", url, NULL, NULL, 0);
    assert_true(test_http_reply_header(&r, "Date", date, sizeof(date)));
    assert_string_equal(date, "Wed, 01 Sep 2021 04:00:00 GMT");
    test_http_reply_free(&r);
    int64_t later;
    assert_true(cdr_time_parse_rfc3339_ms("2030-02-03T05:06:07Z", &later));
    mock_clock_set_ms(&fx->clock, later);
    r = test_http("GET", url, NULL, NULL, 0);
    assert_true(test_http_reply_header(&r, "Date", date, sizeof(date)));
    assert_string_equal(date, "Sun, 03 Feb 2030 05:06:07 GMT");
    test_http_reply_free(&r);
    /* A handler's own Date is the only one. */
    snprintf(url, sizeof(url), "%s/dated", fx->base);
    r = test_http("GET", url, NULL, NULL, 0);
    const char *first = strstr(r.headers, "Date: ");
    assert_non_null(first);
    assert_null(strstr(first + 1, "Date: "));
    assert_true(test_http_reply_header(&r, "Date", date, sizeof(date)));
    assert_string_equal(date, "Mon, 02 Jan 2006 15:04:05 GMT");
    test_http_reply_free(&r);
}

/* ---- stopping ------------------------------------------------------------------------------- */

static void test_stop_with_connections_waiting(void **state)
{
    struct fixture *fx = *state;
    int delayed = connect_to(fx->port), polling = connect_to(fx->port),
        dribbled = connect_to(fx->port);
    send_text(delayed, "GET /deliver?delay=20000 HTTP/1.1\r\nHost: t\r\n\r\n");
    send_text(polling, "GET /poll?times=200&step=100 HTTP/1.1\r\nHost: t\r\n\r\n");
    send_text(dribbled, "GET /deliver?dribble=1&interval=10000&size=5 HTTP/1.1\r\nHost: t\r\n\r\n");
    while (atomic_load(&fx->app.calls) < 3)
        sleep_ms(5);
    sleep_ms(50);
    int64_t start = now_ms();
    mock_http_stop(fx->http);
    fx->http = NULL;
    int64_t took = now_ms() - start;
    if (took > 3000)
        fail_msg("stopping with waiting connections took %lld ms", (long long)took);
    int fds[] = {delayed, polling, dribbled};
    for (size_t i = 0; i < 3; i++) {
        struct received r = read_until_close(fds[i], 3000);
        assert_true(r.closed);
        free(r.data);
        close(fds[i]);
    }
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_delay_answers_late_and_holds_no_worker),
        T(test_reset_answers_nothing),
        T(test_truncate_promises_all_and_sends_part),
        T(test_dribble_paces_the_body_and_holds_no_worker),
        T(test_dribble_and_truncate_together),
        T(test_long_polls_wait_suspended),
        T(test_idle_connection_cut_at_the_header_deadline),
        T(test_trickled_headers_cut_at_the_deadline),
        T(test_slow_but_timely_headers_are_answered),
        T(test_kept_alive_connection_owes_headers_within_the_idle_timeout),
        T(test_limits_and_their_boundaries),
        T(test_a_thousand_query_parameters_arrive),
        T(test_body_over_the_limit),
        T(test_date_follows_the_application_clock),
        T(test_stop_with_connections_waiting),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
