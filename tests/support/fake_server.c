#include "fake_server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cdrsim/buf.h"

struct fake_server {
    struct MHD_Daemon *daemon;
    char url[64];
    fake_answer_fn answer;
    void *user;
    pthread_mutex_t lock;
    int requests;
    char **seen; /* one text per request */
    size_t seen_count;
};

/* The upload of one request, collected across handler calls. */
struct upload {
    struct cdr_buf body;
};

static enum MHD_Result add_line(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    cdr_buf_printf(cls, "%s%s%s\n", key, kind == MHD_HEADER_KIND ? ": " : "=", value ? value : "");
    return MHD_YES;
}

const char *fake_request_arg(const struct fake_request *req, const char *name, char *out,
                             size_t out_len)
{
    size_t n = strlen(name);
    for (const char *line = req->args; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len > n && strncmp(line, name, n) == 0 && line[n] == '=') {
            snprintf(out, out_len, "%.*s", (int)(len - n - 1), line + n + 1);
            return out;
        }
        line += len + (end != NULL);
    }
    return NULL;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

static void remember(struct fake_server *s, const struct fake_request *req)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "%s %s\n%s%s", req->method, req->path, req->args, req->headers);
    cdr_buf_append(&b, req->body, req->body_len);
    char *text = cdr_buf_steal(&b);
    char **grown = realloc(s->seen, (s->seen_count + 1) * sizeof(*grown));
    if (!text || !grown) {
        free(text);
        free(grown ? grown : s->seen);
        s->seen = NULL;
        s->seen_count = 0;
        return;
    }
    s->seen = grown;
    s->seen[s->seen_count++] = text;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
    (void)version;
    struct fake_server *s = cls;
    struct upload *u = *con_cls;
    if (!u) {
        if (!(u = calloc(1, sizeof(*u))))
            return MHD_NO;
        *con_cls = u;
        return MHD_YES;
    }
    if (*upload_data_size) {
        cdr_buf_append(&u->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    struct cdr_buf args, headers;
    cdr_buf_init(&args);
    cdr_buf_init(&headers);
    cdr_buf_puts(&args, "");
    cdr_buf_puts(&headers, "");
    cdr_buf_puts(&u->body, "");
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_line, &args);
    MHD_get_connection_values(conn, MHD_HEADER_KIND, add_line, &headers);
    struct fake_reply reply = {.status = 200, .content_type = "application/json"};
    pthread_mutex_lock(&s->lock);
    struct fake_request req = {s->requests++, method,       url,        args.data,
                               headers.data,  u->body.data, u->body.len};
    remember(s, &req);
    s->answer(s->user, &req, &reply);
    pthread_mutex_unlock(&s->lock);
    cdr_buf_free(&args);
    cdr_buf_free(&headers);

    if (reply.delay_ms > 0)
        sleep_ms(reply.delay_ms);
    if (reply.drop) {
        free(reply.body);
        return MHD_NO;
    }
    size_t len = reply.body ? strlen(reply.body) : 0;
    struct MHD_Response *r = MHD_create_response_from_buffer(len, reply.body ? reply.body : "",
                                                             reply.body ? MHD_RESPMEM_MUST_FREE
                                                                        : MHD_RESPMEM_PERSISTENT);
    if (!r) {
        free(reply.body);
        return MHD_NO;
    }
    if (reply.content_type)
        MHD_add_response_header(r, "Content-Type", reply.content_type);
    for (size_t i = 0; i + 1 < 2 * FAKE_MAX_HEADERS && reply.headers[i]; i += 2)
        MHD_add_response_header(r, reply.headers[i], reply.headers[i + 1]);
    enum MHD_Result ret = MHD_queue_response(conn, reply.status, r);
    MHD_destroy_response(r);
    return ret;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
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

struct fake_server *fake_server_start(fake_answer_fn answer, void *user)
{
    struct fake_server *s = calloc(1, sizeof(*s));
    assert_non_null(s);
    s->answer = answer;
    s->user = user;
    pthread_mutex_init(&s->lock, NULL);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    s->daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD, 0,
                                 NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR, &addr,
                                 MHD_OPTION_NOTIFY_COMPLETED, completed, s, MHD_OPTION_END);
    assert_non_null(s->daemon);
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    assert_non_null(info);
    snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%u", (unsigned)info->port);
    return s;
}

void fake_server_stop(struct fake_server *s)
{
    if (!s)
        return;
    MHD_stop_daemon(s->daemon);
    for (size_t i = 0; i < s->seen_count; i++)
        free(s->seen[i]);
    free(s->seen);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

const char *fake_server_url(const struct fake_server *s)
{
    return s->url;
}

int fake_server_requests(struct fake_server *s)
{
    pthread_mutex_lock(&s->lock);
    int n = s->requests;
    pthread_mutex_unlock(&s->lock);
    return n;
}

char *fake_server_seen(struct fake_server *s, int i)
{
    pthread_mutex_lock(&s->lock);
    char *copy = i >= 0 && (size_t)i < s->seen_count ? strdup(s->seen[i]) : NULL;
    pthread_mutex_unlock(&s->lock);
    return copy;
}
