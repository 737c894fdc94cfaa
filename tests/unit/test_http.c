/* Tests of the libcurl transport against a small libmicrohttpd server living in this file, whose
 * answers each test scripts: failures before success, delays, oversized bodies, chosen headers.
 * Timeouts and backoffs are kept in the tens of milliseconds so the whole file runs in seconds. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdrsim/buf.h"
#include "cdrsim/http.h"
#include "testutil.h"

#define MAX_SEEN 16

struct server {
    struct MHD_Daemon *daemon;
    char url[64]; /* "http://127.0.0.1:PORT" */
    pthread_mutex_t lock;

    /* Behaviour, set by the test before it sends. */
    int fail_count;                      /* answer fail_status to the first fail_count requests */
    unsigned fail_status;                /* 503 unless set */
    long delay_ms;                       /* sleep before answering */
    size_t body_size;                    /* > 0: answer that many bytes instead of "answer N" */
    const char *const *response_headers; /* name, value pairs, NULL-terminated */

    /* Observations. */
    int requests;
    int connections;
    int connection_of[MAX_SEEN]; /* which connection (1-based) carried request i */
    char method[MAX_SEEN][16];
    char path[MAX_SEEN][128];
    char *headers[MAX_SEEN]; /* "Name: value\n" lines as received */
    char *body[MAX_SEEN];
    size_t body_len[MAX_SEEN];
};

/* Per-request state: the upload collected across handler calls. */
struct upload {
    struct cdr_buf body;
};

static void notify_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                              enum MHD_ConnectionNotificationCode toe)
{
    (void)conn;
    struct server *s = cls;
    if (toe != MHD_CONNECTION_NOTIFY_STARTED)
        return;
    pthread_mutex_lock(&s->lock);
    /* The connection's serial number rides in the pointer itself: nothing to free. */
    *socket_context = (void *)(intptr_t)++s->connections;
    pthread_mutex_unlock(&s->lock);
}

static void request_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                              enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    struct upload *u = *con_cls;
    if (u) {
        cdr_buf_free(&u->body);
        free(u);
        *con_cls = NULL;
    }
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    (void)kind;
    cdr_buf_printf(cls, "%s: %s\n", key, value ? value : "");
    return MHD_YES;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
    (void)version;
    struct server *s = cls;
    struct upload *u = *con_cls;
    if (!u) {
        u = calloc(1, sizeof(*u));
        if (!u)
            return MHD_NO;
        *con_cls = u;
        return MHD_YES;
    }
    if (*upload_data_size) {
        cdr_buf_append(&u->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }

    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    struct cdr_buf headers;
    cdr_buf_init(&headers);
    cdr_buf_puts(&headers, "");
    MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_header, &headers);

    pthread_mutex_lock(&s->lock);
    int n = s->requests++;
    if (n < MAX_SEEN) {
        s->connection_of[n] = info ? (int)(intptr_t)info->socket_context : -1;
        snprintf(s->method[n], sizeof(s->method[n]), "%s", method);
        snprintf(s->path[n], sizeof(s->path[n]), "%s", url);
        s->headers[n] = cdr_buf_steal(&headers);
        s->body_len[n] = u->body.len;
        s->body[n] = cdr_buf_steal(&u->body);
    }
    unsigned status = n < s->fail_count ? s->fail_status : MHD_HTTP_OK;
    long delay = s->delay_ms;
    size_t body_size = s->body_size;
    const char *const *extra = s->response_headers;
    pthread_mutex_unlock(&s->lock);
    cdr_buf_free(&headers);

    if (delay > 0)
        sleep_ms(delay);
    char text[32];
    char *big = NULL;
    struct MHD_Response *resp;
    if (body_size) {
        big = malloc(body_size);
        if (!big)
            return MHD_NO;
        memset(big, 'b', body_size);
        resp = MHD_create_response_from_buffer(body_size, big, MHD_RESPMEM_MUST_FREE);
    } else {
        int len = snprintf(text, sizeof(text), "answer %d", n + 1);
        resp = MHD_create_response_from_buffer((size_t)len, text, MHD_RESPMEM_MUST_COPY);
    }
    if (!resp) {
        free(big);
        return MHD_NO;
    }
    for (size_t i = 0; extra && extra[i]; i += 2)
        MHD_add_response_header(resp, extra[i], extra[i + 1]);
    enum MHD_Result rc = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return rc;
}

static int server_setup(void **state)
{
    struct server *s = calloc(1, sizeof(*s));
    assert_non_null(s);
    pthread_mutex_init(&s->lock, NULL);
    s->fail_status = MHD_HTTP_SERVICE_UNAVAILABLE;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    s->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, handle, s,
        MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_NOTIFY_COMPLETED, request_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, notify_connection, s, MHD_OPTION_END);
    assert_non_null(s->daemon);
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    assert_non_null(info);
    assert_true(info->port > 0);
    snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%u", (unsigned)info->port);
    *state = s;
    return 0;
}

static int server_teardown(void **state)
{
    struct server *s = *state;
    MHD_stop_daemon(s->daemon);
    for (int i = 0; i < MAX_SEEN; i++) {
        free(s->headers[i]);
        free(s->body[i]);
    }
    pthread_mutex_destroy(&s->lock);
    free(s);
    return 0;
}

/* Reads an observation under the lock: the server thread writes them. */
static int server_requests(struct server *s)
{
    pthread_mutex_lock(&s->lock);
    int n = s->requests;
    pthread_mutex_unlock(&s->lock);
    return n;
}

static int server_connections(struct server *s)
{
    pthread_mutex_lock(&s->lock);
    int n = s->connections;
    pthread_mutex_unlock(&s->lock);
    return n;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static struct cdr_http *client(long backoff_ms, int max_retries)
{
    struct cdr_http_options o;
    cdr_http_options_default(&o);
    o.connect_timeout_ms = 2000;
    o.timeout_ms = 3000;
    o.retry_backoff_ms = backoff_ms;
    o.max_retries = max_retries;
    struct cdr_error_info err;
    struct cdr_http *http = cdr_http_new(&o, &err);
    assert_non_null(http);
    return http;
}

static struct cdr_http_request get_request(const char *url)
{
    struct cdr_http_request req = {.method = "GET", .url = url, .idempotent = true};
    return req;
}

/* ---- options --------------------------------------------------------------------------------- */

static void test_options_default(void **state)
{
    (void)state;
    struct cdr_http_options o;
    memset(&o, 0x5a, sizeof(o));
    cdr_http_options_default(&o);
    assert_int_equal(o.connect_timeout_ms, 5000);
    assert_int_equal(o.timeout_ms, 30000);
    assert_int_equal(o.max_retries, 2);
    assert_int_equal(o.retry_backoff_ms, 200);
    assert_int_equal(o.max_response_bytes, 64u * 1024 * 1024);
    assert_false(o.insecure);
    assert_null(o.ca_file);
    assert_false(o.cookies);

    struct cdr_http *http = cdr_http_new(NULL, NULL);
    assert_non_null(http);
    struct cdr_http_response resp;
    struct cdr_error_info err;
    struct cdr_http_request no_url = {.method = "GET"};
    assert_int_equal(cdr_http_send(http, &no_url, &resp, &err), CDR_ERR_INVALID_ARGUMENT);
    assert_int_equal(err.code, CDR_ERR_INVALID_ARGUMENT);
    assert_int_equal(cdr_http_send(http, NULL, &resp, &err), CDR_ERR_INVALID_ARGUMENT);
    cdr_http_free(http);
    cdr_http_free(NULL);
    cdr_http_response_free(NULL);
}

/* ---- retries --------------------------------------------------------------------------------- */

static void test_retry_503_then_200(void **state)
{
    struct server *s = *state;
    s->fail_count = 2;
    struct cdr_http *http = client(30, 2);
    struct cdr_http_request req = get_request(s->url);
    struct cdr_http_response resp;
    struct cdr_error_info err;
    long t0 = now_ms();
    assert_int_equal(cdr_http_send(http, &req, &resp, &err), CDR_OK);
    long elapsed = now_ms() - t0;
    assert_int_equal(resp.status, 200);
    assert_int_equal(resp.attempts, 3);
    assert_string_equal(resp.body, "answer 3");
    assert_int_equal(resp.body_len, 8);
    assert_int_equal(server_requests(s), 3);
    assert_true(elapsed >= 30 + 60); /* the first pause, then twice that */
    /* The 503s were complete answers: the retries ride the same connection. */
    assert_int_equal(server_connections(s), 1);
    cdr_http_response_free(&resp);
    assert_null(resp.body);
    assert_int_equal(resp.status, 0);
    cdr_http_free(http);
}

static void test_retry_exhausted_returns_last_answer(void **state)
{
    struct server *s = *state;
    s->fail_count = 3;
    struct cdr_http *http = client(10, 2);
    struct cdr_http_request req = get_request(s->url);
    struct cdr_http_response resp;
    struct cdr_error_info err;
    assert_int_equal(cdr_http_send(http, &req, &resp, &err), CDR_OK);
    assert_int_equal(resp.status, 503);
    assert_int_equal(resp.attempts, 3);
    assert_string_equal(resp.body, "answer 3");
    assert_int_equal(server_requests(s), 3);
    cdr_http_response_free(&resp);

    /* max_retries 0: one attempt only, even for an idempotent request. */
    struct cdr_http *once = client(10, 0);
    assert_int_equal(cdr_http_send(once, &req, &resp, &err), CDR_OK);
    assert_int_equal(resp.status, 200); /* the fourth answer: the script ran out of failures */
    assert_int_equal(resp.attempts, 1);
    assert_int_equal(server_requests(s), 4);
    cdr_http_response_free(&resp);
    cdr_http_free(once);
    cdr_http_free(http);
}

static void test_no_retry_when_not_idempotent(void **state)
{
    struct server *s = *state;
    s->fail_count = 5;
    struct cdr_http *http = client(200, 2);
    struct cdr_http_request req = {.method = "POST", .url = s->url, .body = "{}", .body_len = 2};
    struct cdr_http_response resp;
    struct cdr_error_info err;
    assert_int_equal(cdr_http_send(http, &req, &resp, &err), CDR_OK);
    assert_int_equal(resp.status, 503);
    assert_int_equal(resp.attempts, 1);
    assert_string_equal(resp.body, "answer 1");
    assert_int_equal(server_requests(s), 1);
    cdr_http_response_free(&resp);
    cdr_http_free(http);
}

static void test_no_retry_on_4xx(void **state)
{
    struct server *s = *state;
    s->fail_count = 1;
    s->fail_status = 429;
    struct cdr_http *http = client(10, 2);
    struct cdr_http_request req = get_request(s->url);
    struct cdr_http_response resp;
    assert_int_equal(cdr_http_send(http, &req, &resp, NULL), CDR_OK);
    assert_int_equal(resp.status, 429);
    assert_int_equal(resp.attempts, 1);
    assert_int_equal(server_requests(s), 1);
    cdr_http_response_free(&resp);
    cdr_http_free(http);
}

static void test_connection_refused(void **state)
{
    (void)state;
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%u/v3/cc/record/query", test_free_port());
    struct cdr_http_response resp;
    struct cdr_error_info err;

    /* Backoffs 40 + 80 ms: three attempts take at least 120 ms, and a fourth would add 160. */
    struct cdr_http *http = client(40, 2);
    struct cdr_http_request req = get_request(url);
    long t0 = now_ms();
    assert_int_equal(cdr_http_send(http, &req, &resp, &err), CDR_ERR_TRANSPORT);
    long elapsed = now_ms() - t0;
    assert_int_equal(err.code, CDR_ERR_TRANSPORT);
    assert_int_equal(err.http_status, 0);
    assert_non_null(strstr(err.message, url));
    assert_true(elapsed >= 40 + 80);
    assert_null(resp.body);
    assert_int_equal(resp.attempts, 3); /* counted, not timed: machines under load are slow */
    cdr_http_free(http);

    http = client(40, 3);
    t0 = now_ms();
    assert_int_equal(cdr_http_send(http, &req, &resp, &err), CDR_ERR_TRANSPORT);
    elapsed = now_ms() - t0;
    assert_true(elapsed >= 40 + 80 + 160);
    assert_int_equal(resp.attempts, 4);

    cdr_http_free(http);

    /* Not idempotent: one attempt only. */
    http = client(300, 3);
    struct cdr_http_request post = {.method = "POST", .url = url, .body = "x", .body_len = 1};
    assert_int_equal(cdr_http_send(http, &post, &resp, &err), CDR_ERR_TRANSPORT);
    assert_int_equal(resp.attempts, 1);
    cdr_http_free(http);
}

/* ---- limits ---------------------------------------------------------------------------------- */

static void test_timeout(void **state)
{
    struct server *s = *state;
    s->delay_ms = 700;
    struct cdr_http_options o;
    cdr_http_options_default(&o);
    o.timeout_ms = 150;
    o.max_retries = 0;
    struct cdr_http *http = cdr_http_new(&o, NULL);
    assert_non_null(http);
    struct cdr_http_request req = get_request(s->url);
    struct cdr_http_response resp;
    struct cdr_error_info err;
    long t0 = now_ms();
    assert_int_equal(cdr_http_send(http, &req, &resp, &err), CDR_ERR_TIMEOUT);
    long elapsed = now_ms() - t0;
    assert_int_equal(err.code, CDR_ERR_TIMEOUT);
    assert_true(elapsed >= 140);
    assert_true(elapsed < 700);
    assert_null(resp.body);
    cdr_http_free(http);
}

static void test_oversized_body(void **state)
{
    struct server *s = *state;
    struct cdr_http_options o;
    cdr_http_options_default(&o);
    o.max_response_bytes = 4096;
    o.retry_backoff_ms = 1;
    struct cdr_http *http = cdr_http_new(&o, NULL);
    struct cdr_http_request req = get_request(s->url);
    struct cdr_http_response resp;
    struct cdr_error_info err;

    s->body_size = 200000;
    assert_int_equal(cdr_http_send(http, &req, &resp, &err), CDR_ERR_MALFORMED_RESPONSE);
    assert_int_equal(err.code, CDR_ERR_MALFORMED_RESPONSE);
    assert_non_null(strstr(err.message, "4096"));
    assert_null(resp.body);
    assert_int_equal(server_requests(s), 1); /* a body too large is not retried */

    /* The limit itself is allowed; one byte more is not. */
    s->body_size = 4096;
    assert_int_equal(cdr_http_send(http, &req, &resp, &err), CDR_OK);
    assert_int_equal(resp.body_len, 4096);
    assert_int_equal(strlen(resp.body), 4096);
    assert_int_equal(resp.body[0], 'b');
    cdr_http_response_free(&resp);
    s->body_size = 4097;
    assert_int_equal(cdr_http_send(http, &req, &resp, &err), CDR_ERR_MALFORMED_RESPONSE);
    cdr_http_free(http);
}

/* ---- headers, methods, bodies ---------------------------------------------------------------- */

static void test_response_headers(void **state)
{
    struct server *s = *state;
    static const char *const headers[] = {
        "X-Dup",        "first", "X-Mixed-Case", "Value With Spaces", "x-dup", "second",
        "X-Cdr-Vendor", "-76",   NULL,
    };
    s->response_headers = headers;
    struct cdr_http *http = client(10, 0);
    struct cdr_http_request req = get_request(s->url);
    struct cdr_http_response resp;
    assert_int_equal(cdr_http_send(http, &req, &resp, NULL), CDR_OK);
    assert_int_equal(resp.status, 200);
    assert_true(resp.header_count >= 4);
    assert_string_equal(cdr_http_response_header(&resp, "X-Dup"), "second");
    assert_string_equal(cdr_http_response_header(&resp, "x-dup"), "second");
    assert_string_equal(cdr_http_response_header(&resp, "X-DUP"), "second");
    assert_string_equal(cdr_http_response_header(&resp, "x-mixed-case"), "Value With Spaces");
    assert_string_equal(cdr_http_response_header(&resp, "X-CDR-VENDOR"), "-76");
    assert_string_equal(cdr_http_response_header(&resp, "content-length"), "8");
    assert_null(cdr_http_response_header(&resp, "X-Absent"));
    assert_null(cdr_http_response_header(&resp, "X-Du"));
    /* The status line is not a header. */
    for (size_t i = 0; i < resp.header_count; i++) {
        assert_null(strchr(resp.headers[i].name, ':'));
        assert_null(strchr(resp.headers[i].value, '\r'));
        assert_null(strchr(resp.headers[i].value, '\n'));
        assert_true(strncmp(resp.headers[i].name, "HTTP/", 5) != 0);
    }
    cdr_http_response_free(&resp);
    assert_int_equal(resp.header_count, 0);
    assert_null(resp.headers);

    /* Only the final answer's headers are kept across retries. */
    static const char *const none[] = {NULL};
    s->response_headers = none;
    cdr_http_free(http);
    http = client(1, 2);
    s->fail_count = server_requests(s) + 1;
    s->response_headers = headers;
    assert_int_equal(cdr_http_send(http, &req, &resp, NULL), CDR_OK);
    assert_int_equal(resp.attempts, 2);
    assert_string_equal(cdr_http_response_header(&resp, "x-dup"), "second");
    size_t dups = 0;
    for (size_t i = 0; i < resp.header_count; i++)
        dups += strcasecmp(resp.headers[i].name, "X-Dup") == 0;
    assert_int_equal(dups, 2);
    cdr_http_response_free(&resp);
    cdr_http_free(http);
}

static void test_connection_reuse(void **state)
{
    struct server *s = *state;
    struct cdr_http *http = client(10, 0);
    char url[96];
    struct cdr_http_response resp;
    for (int i = 0; i < 4; i++) {
        snprintf(url, sizeof(url), "%s/page/%d", s->url, i);
        struct cdr_http_request req = get_request(url);
        if (i % 2) {
            req.method = "POST";
            req.body = "{\"current\":1}";
            req.body_len = strlen(req.body);
        }
        assert_int_equal(cdr_http_send(http, &req, &resp, NULL), CDR_OK);
        assert_int_equal(resp.status, 200);
        cdr_http_response_free(&resp);
    }
    assert_int_equal(server_requests(s), 4);
    assert_int_equal(server_connections(s), 1);
    pthread_mutex_lock(&s->lock);
    for (int i = 0; i < 4; i++)
        assert_int_equal(s->connection_of[i], 1);
    assert_string_equal(s->path[2], "/page/2");
    pthread_mutex_unlock(&s->lock);

    /* A second handle has its own connection. */
    struct cdr_http *other = client(10, 0);
    struct cdr_http_request req = get_request(s->url);
    assert_int_equal(cdr_http_send(other, &req, &resp, NULL), CDR_OK);
    cdr_http_response_free(&resp);
    assert_int_equal(server_connections(s), 2);
    cdr_http_free(other);
    cdr_http_free(http);
}

static void test_post_body_and_headers(void **state)
{
    struct server *s = *state;
    /* Over 1 MiB, where curl would ask for 100-continue by itself, and with bytes a text API
     * would mangle. */
    const size_t len = 1536 * 1024;
    char *body = malloc(len);
    assert_non_null(body);
    for (size_t i = 0; i < len; i++)
        body[i] = (char)(i * 7 + i / 251);
    body[10] = '\0';
    static const char *const headers[] = {
        "Content-Type: application/json;charset=UTF-8",
        "Api-Key: bDqJFiq9",
        "Timestamp: 1630468800",
        "Sign: 05d7a50893e22a5c4bb3216ae3396c7c",
        "X-Spaces: a  b\tc",
    };
    char url[96];
    snprintf(url, sizeof(url), "%s/v3/cc/record/query?x=1", s->url);
    struct cdr_http_request req = {
        .method = "POST",
        .url = url,
        .headers = headers,
        .header_count = 5,
        .body = body,
        .body_len = len,
        .idempotent = true,
    };
    struct cdr_http *http = client(10, 0);
    struct cdr_http_response resp;
    struct cdr_error_info err;
    assert_int_equal(cdr_http_send(http, &req, &resp, &err), CDR_OK);
    assert_int_equal(resp.status, 200);
    cdr_http_response_free(&resp);

    pthread_mutex_lock(&s->lock);
    assert_string_equal(s->method[0], "POST");
    assert_string_equal(s->path[0], "/v3/cc/record/query");
    assert_int_equal(s->body_len[0], len);
    assert_memory_equal(s->body[0], body, len);
    const char *h = s->headers[0];
    assert_non_null(strstr(h, "Content-Type: application/json;charset=UTF-8\n"));
    assert_non_null(strstr(h, "Api-Key: bDqJFiq9\n"));
    assert_non_null(strstr(h, "Timestamp: 1630468800\n"));
    assert_non_null(strstr(h, "Sign: 05d7a50893e22a5c4bb3216ae3396c7c\n"));
    assert_non_null(strstr(h, "X-Spaces: a  b\tc\n"));
    assert_non_null(strstr(h, "Content-Length: 1572864\n"));
    assert_null(strstr(h, "Expect:")); /* no 100-continue round trip */
    pthread_mutex_unlock(&s->lock);

    /* An empty POST still sends a zero-length body. */
    struct cdr_http_request empty = {.method = "POST", .url = s->url};
    assert_int_equal(cdr_http_send(http, &empty, &resp, &err), CDR_OK);
    cdr_http_response_free(&resp);
    pthread_mutex_lock(&s->lock);
    assert_string_equal(s->method[1], "POST");
    assert_int_equal(s->body_len[1], 0);
    assert_non_null(strstr(s->headers[1], "Content-Length: 0\n"));
    /* Headers of one request do not leak into the next. */
    assert_null(strstr(s->headers[1], "Api-Key"));
    pthread_mutex_unlock(&s->lock);
    free(body);
    cdr_http_free(http);
}

static void test_methods(void **state)
{
    struct server *s = *state;
    struct cdr_http *http = client(10, 0);
    static const struct {
        const char *method;
        const char *body;
    } cases[] = {
        {"PUT", "{\"now\":\"2025-01-03T08:10:39Z\"}"},
        {"DELETE", NULL},
        {"GET", NULL},
        {"PUT", NULL},
        {"DELETE", "{\"id\":1}"},
        {NULL, NULL}, /* defaults to GET */
    };
    const size_t n = sizeof(cases) / sizeof(cases[0]);
    for (size_t i = 0; i < n; i++) {
        struct cdr_http_request req = {
            .method = cases[i].method,
            .url = s->url,
            .body = cases[i].body,
            .body_len = cases[i].body ? strlen(cases[i].body) : 0,
            .idempotent = true,
        };
        struct cdr_http_response resp;
        assert_int_equal(cdr_http_send(http, &req, &resp, NULL), CDR_OK);
        assert_int_equal(resp.status, 200);
        cdr_http_response_free(&resp);
    }
    pthread_mutex_lock(&s->lock);
    assert_int_equal(s->requests, (int)n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(s->method[i], cases[i].method ? cases[i].method : "GET");
        const char *want = cases[i].body ? cases[i].body : "";
        assert_int_equal(s->body_len[i], strlen(want));
        assert_string_equal(s->body[i], want);
    }
    pthread_mutex_unlock(&s->lock);
    cdr_http_free(http);
}

struct seen {
    int calls;
    long status;
    char method[8];
    char body[64];
    char request_body[16];
};

static void observe(void *user, const struct cdr_http_exchange *x)
{
    struct seen *seen = user;
    seen->calls++;
    seen->status = x->status;
    snprintf(seen->method, sizeof(seen->method), "%s", x->method);
    snprintf(seen->body, sizeof(seen->body), "%.*s", (int)x->body_len, x->body);
    snprintf(seen->request_body, sizeof(seen->request_body), "%.*s", (int)x->request_body_len,
             x->request_body);
}

/* The observer sees the final answer only, once per send, retries included. */
static void test_observer_sees_final_answer(void **state)
{
    struct server *s = *state;
    s->fail_count = 1;
    struct seen seen = {0};
    struct cdr_http_options o;
    cdr_http_options_default(&o);
    o.retry_backoff_ms = 1;
    o.observer = observe;
    o.observer_user = &seen;
    struct cdr_http *http = cdr_http_new(&o, NULL);
    assert_non_null(http);
    struct cdr_http_request req = {
        .method = "POST", .url = s->url, .body = "{\"q\":1}", .body_len = 7, .idempotent = true};
    struct cdr_http_response resp;
    assert_int_equal(cdr_http_send(http, &req, &resp, NULL), CDR_OK);
    assert_int_equal(seen.calls, 1);
    assert_int_equal(seen.status, 200);
    assert_string_equal(seen.method, "POST");
    assert_string_equal(seen.body, "answer 2");
    assert_string_equal(seen.request_body, "{\"q\":1}");
    cdr_http_response_free(&resp);
    cdr_http_free(http);
}

/* ---- waits ----------------------------------------------------------------------------------- */

struct waits {
    int count;
    long ms[4];
    bool server_asked[4];
    cdr_error why[4];
    long why_status[4];
};

static void on_wait(void *user, const struct cdr_http_wait *w)
{
    struct waits *seen = user;
    assert_true(seen->count < 4);
    seen->ms[seen->count] = w->wait_ms;
    seen->server_asked[seen->count] = w->server_asked;
    seen->why[seen->count] = w->why->code;
    seen->why_status[seen->count] = w->why->http_status;
    seen->count++;
}

/* A 503 with Retry-After is retried after the wait it names, told to on_wait first; without one,
 * after the backoff. */
static void test_retry_after_on_503(void **state)
{
    struct server *s = *state;
    static const char *const headers[] = {"Retry-After", "1", NULL};
    s->fail_count = 1;
    s->response_headers = headers;
    struct waits seen = {0};
    struct cdr_http_options o;
    cdr_http_options_default(&o);
    o.retry_backoff_ms = 10;
    o.on_wait = on_wait;
    o.wait_user = &seen;
    struct cdr_http *http = cdr_http_new(&o, NULL);
    assert_non_null(http);
    struct cdr_http_request req = get_request(s->url);
    struct cdr_http_response resp;
    long t0 = now_ms();
    assert_int_equal(cdr_http_send(http, &req, &resp, NULL), CDR_OK);
    assert_true(now_ms() - t0 >= 1000);
    assert_int_equal(resp.status, 200);
    assert_int_equal(resp.attempts, 2);
    assert_int_equal(seen.count, 1);
    assert_int_equal(seen.ms[0], 1000);
    assert_true(seen.server_asked[0]);
    assert_int_equal(seen.why[0], CDR_ERR_HTTP);
    assert_int_equal(seen.why_status[0], 503);
    assert_int_equal(cdr_http_retry_after_ms(&resp), 1000);
    cdr_http_response_free(&resp);

    /* A Retry-After beyond the longest wait: the 503 is the answer, at once. */
    static const char *const far[] = {"Retry-After", "120", NULL};
    s->fail_count = server_requests(s) + 1;
    s->response_headers = far;
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(cdr_http_send(http, &req, &resp, NULL), CDR_OK);
    assert_int_equal(resp.status, 503);
    assert_int_equal(resp.attempts, 1);
    assert_int_equal(seen.count, 0);
    cdr_http_response_free(&resp);
    cdr_http_free(http);

    /* A connection refused waits the backoff. */
    o.max_retries = 1;
    http = cdr_http_new(&o, NULL);
    memset(&seen, 0, sizeof(seen));
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%u/", test_free_port());
    req = get_request(url);
    assert_int_equal(cdr_http_send(http, &req, &resp, NULL), CDR_ERR_TRANSPORT);
    assert_int_equal(seen.count, 1);
    assert_int_equal(seen.ms[0], 10);
    assert_false(seen.server_asked[0]);
    assert_int_equal(seen.why[0], CDR_ERR_TRANSPORT);
    cdr_http_free(http);
}

/* Retry-After read the two ways RFC 9110 allows. */
static void test_retry_after_forms(void **state)
{
    (void)state;
    struct cdr_http_header h[2];
    struct cdr_http_response resp = {.headers = h};
    static const struct {
        const char *value, *date;
        long want;
    } cases[] = {
        {"120", NULL, 120000},
        {"0", NULL, 0},
        {"Wed, 21 Oct 2015 07:28:05 GMT", "Wed, 21 Oct 2015 07:28:00 GMT", 5000},
        {"Wednesday, 21-Oct-15 07:28:10 GMT", "Wed, 21 Oct 2015 07:28:00 GMT", 10000},
        {"Wed Oct 21 07:29:00 2015", "Wed, 21 Oct 2015 07:28:00 GMT", 60000},
        /* In the past, or no Date and a date long gone: no wait at all. */
        {"Wed, 21 Oct 2015 07:27:00 GMT", "Wed, 21 Oct 2015 07:28:00 GMT", 0},
        {"Wed, 21 Oct 2015 07:27:00 GMT", NULL, 0},
        {"99999999999999999999", NULL, LONG_MAX},
        {"soon", NULL, -1},
        {"-5", NULL, -1},
        {"", NULL, -1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        h[0] = (struct cdr_http_header){"retry-after", (char *)cases[i].value};
        h[1] = (struct cdr_http_header){"Date", (char *)cases[i].date};
        resp.header_count = cases[i].date ? 2 : 1;
        long got = cdr_http_retry_after_ms(&resp);
        if (got != cases[i].want)
            fail_msg("Retry-After \"%s\" (Date %s): %ld ms, expected %ld", cases[i].value,
                     cases[i].date ? cases[i].date : "none", got, cases[i].want);
    }
    resp.header_count = 0;
    assert_int_equal(cdr_http_retry_after_ms(&resp), -1);
    assert_int_equal(cdr_http_retry_after_ms(NULL), -1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, server_setup, server_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_default),
        T(test_retry_503_then_200),
        T(test_retry_exhausted_returns_last_answer),
        T(test_no_retry_when_not_idempotent),
        T(test_no_retry_on_4xx),
        cmocka_unit_test(test_connection_refused),
        T(test_timeout),
        T(test_oversized_body),
        T(test_response_headers),
        T(test_connection_reuse),
        T(test_post_body_and_headers),
        T(test_methods),
        T(test_observer_sees_final_answer),
        T(test_retry_after_on_503),
        cmocka_unit_test(test_retry_after_forms),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
