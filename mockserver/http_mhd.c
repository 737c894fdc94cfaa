/* libmicrohttpd glue. Threading: MHD's internal epoll loop in a pool of worker threads, one
 * connection never tied to one thread. Waiting is done by suspending the connection
 * (MHD_suspend_connection) and letting the timer thread resume it, so a worker is only ever busy
 * computing. Three things per connection outlive single callbacks:
 *   struct conn      the TCP connection (MHD's socket context): its header deadline
 *   struct exchange  one request on it (MHD's client context): the raw query, the body, the
 *                    response while it waits to be sent, the wake-up timer
 *   struct paced     a body sent truncated or in dribbles (the MHD response's reader closure) */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cdrsim/buf.h"
#include "fileio.h"
#include "http.h"
#include "http_date.h"
#include "log.h"
#include "mhd_lib.h"
#include "timer.h"

/* TLS 1.0 and 1.1 are deprecated (RFC 8996): like the vendors' own front ends, 1.2 at least. */
#define DEFAULT_TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"
/* libmicrohttpd keeps a pending-connection queue of this length (the kernel may cap it), so a
 * burst of thousands of connects is accepted rather than refused. */
#define LISTEN_BACKLOG 4096
/* What libmicrohttpd stores per header field in its connection pool. */
#define MHD_BYTES_PER_FIELD 64

struct exchange;

struct mock_http {
    const struct mock_mhd_lib *mhd;
    struct MHD_Daemon *daemon;
    struct mock_http_app app;
    size_t max_body;
    size_t max_url;
    size_t max_header_bytes;
    size_t max_header_fields;
    int64_t header_timeout_us;
    int64_t idle_timeout_us;
    struct mock_log *log;
    struct mock_timer *timer;
    /* Guards stopping and the list of suspended exchanges, so that a stop can resume every one
     * of them (libmicrohttpd must not be stopped with a connection suspended) and none is
     * suspended after it. Never held while a handler runs. */
    pthread_mutex_t lock;
    bool stopping;
    struct exchange *suspended;
    char *tls_cert; /* PEM text; MHD keeps pointers to it for the daemon's lifetime */
    char *tls_key;
    char *tls_priorities;
};

/* The header deadline is kept lazily: workers only store when the headers are due (an atomic,
 * no lock), and the timer entry, armed for the whole life of the connection, checks it when it
 * fires and re-arms itself. The entry is never later than the deadline: it is re-armed at most
 * one idle timeout ahead, and a new deadline is never nearer than that. */
struct conn {
    struct mock_http *http;
    int fd;
    char remote_addr[INET6_ADDRSTRLEN]; /* the client's, formatted once per connection */
    _Atomic int64_t headers_due_us;     /* 0 while no request headers are owed */
    struct mock_timer_entry check;
};

enum exchange_phase {
    PHASE_HEADERS, /* created at the request line; the access handler not yet called */
    PHASE_BODY,    /* the body streams in */
    PHASE_POLLING, /* suspended; the handler runs again when woken */
    PHASE_DELAYED, /* suspended; the response is sent when woken */
    PHASE_ANSWERED,
};

struct kv_list {
    struct mock_kv *items;
    size_t count;
    size_t cap;
    size_t bytes; /* "Name: value\r\n" of every item */
    bool failed;
};

struct exchange {
    struct mock_http *http;
    struct MHD_Connection *connection;
    enum exchange_phase phase;
    int64_t start_us;
    size_t target_len; /* the request target as received: path and query, escaped */
    char *raw_query;   /* after '?', as received; NULL when there is none */
    struct mock_query query;
    struct kv_list headers;
    struct cdr_buf body;
    enum mock_too_large too_large;
    const char *remote_addr; /* the connection's, or own_addr */
    char own_addr[INET6_ADDRSTRLEN];
    struct mock_request req;
    struct mock_response resp;
    struct mock_timer_entry wake;
    /* In http->suspended while suspended (under http->lock). */
    bool suspended;
    bool ever_suspended; /* only the worker owning the request writes it */
    struct exchange *prev, *next;
};

struct paced {
    struct exchange *ex; /* valid whenever MHD calls the reader */
    char *body;
    size_t len;
    size_t send;  /* bytes to send before closing the connection: len, or fewer to truncate */
    size_t chunk; /* bytes per dribble, 0 = as fast as the socket takes them */
    int64_t interval_us;
    int64_t next_us;
};

/* ---- suspending and resuming --------------------------------------------------------------- */

/* Takes ex off the suspended list; false when it was not on it. Under http->lock. */
static bool unlist_suspended(struct mock_http *http, struct exchange *ex)
{
    if (!ex->suspended)
        return false;
    ex->suspended = false;
    if (ex->prev)
        ex->prev->next = ex->next;
    else
        http->suspended = ex->next;
    if (ex->next)
        ex->next->prev = ex->prev;
    return true;
}

static void wake_up(struct mock_timer_entry *entry)
{
    struct exchange *ex = (struct exchange *)((char *)entry - offsetof(struct exchange, wake));
    struct mock_http *http = ex->http;
    pthread_mutex_lock(&http->lock);
    if (unlist_suspended(http, ex))
        http->mhd->resume_connection(ex->connection);
    pthread_mutex_unlock(&http->lock);
}

/* Parks the exchange's connection until due_us. false when the server is stopping (the caller
 * then ends the connection). Called from the access handler or the content reader only. */
static bool suspend_until(struct exchange *ex, int64_t due_us)
{
    struct mock_http *http = ex->http;
    pthread_mutex_lock(&http->lock);
    if (http->stopping) {
        pthread_mutex_unlock(&http->lock);
        return false;
    }
    http->mhd->suspend_connection(ex->connection);
    ex->suspended = true;
    ex->ever_suspended = true;
    ex->prev = NULL;
    ex->next = http->suspended;
    if (ex->next)
        ex->next->prev = ex;
    http->suspended = ex;
    pthread_mutex_unlock(&http->lock);
    /* After the suspension, so the wake-up can never come before it. Should the timer be out
     * of memory, wake at once: an early answer beats a connection parked for ever. */
    if (!mock_timer_schedule(http->timer, &ex->wake, due_us))
        wake_up(&ex->wake);
    return true;
}

static bool suspend_for_ms(struct exchange *ex, int ms)
{
    return suspend_until(ex, mock_monotonic_us() + (int64_t)ms * 1000);
}

static void client_address(const struct mock_http *http, struct MHD_Connection *connection,
                           char *out, size_t out_len)
{
    out[0] = '\0';
    const union MHD_ConnectionInfo *info =
        http->mhd->get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr)
        return;
    const struct sockaddr *sa = info->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)out_len);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)out_len);
}

/* ---- the header deadline ------------------------------------------------------------------- */

/* A connection that has not delivered its request headers by their deadline is cut. shutdown()
 * rather than close(): the descriptor stays libmicrohttpd's, which sees the end of the stream
 * and closes it in its own thread. The fd cannot have been reused: NOTIFY_CLOSED cancels this
 * entry (waiting for a running callback) before libmicrohttpd closes the fd. */
static void check_deadline(struct mock_timer_entry *entry)
{
    struct conn *c = (struct conn *)((char *)entry - offsetof(struct conn, check));
    int64_t due = atomic_load(&c->headers_due_us);
    int64_t now = mock_monotonic_us();
    if (due && due <= now)
        shutdown(c->fd, SHUT_RDWR);
    else
        mock_timer_schedule(c->http->timer, entry, due ? due : now + c->http->idle_timeout_us);
}

static void on_connection(void *cls, struct MHD_Connection *connection, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct mock_http *http = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *info =
            http->mhd->get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
        struct conn *c = calloc(1, sizeof(*c));
        if (!c || !info) { /* served without a header deadline; the idle timeout still holds */
            free(c);
            return;
        }
        c->http = http;
        c->fd = info->connect_fd;
        client_address(http, connection, c->remote_addr, sizeof(c->remote_addr));
        c->check.fire = check_deadline;
        int64_t due = mock_monotonic_us() + http->header_timeout_us;
        atomic_init(&c->headers_due_us, due);
        mock_timer_schedule(http->timer, &c->check, due);
        *socket_context = c;
    } else if (*socket_context) {
        struct conn *c = *socket_context;
        mock_timer_cancel(http->timer, &c->check);
        free(c);
        *socket_context = NULL;
    }
}

static struct conn *conn_of(const struct mock_http *http, struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        http->mhd->get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}

/* ---- reading the request ------------------------------------------------------------------- */

/* Called by libmicrohttpd with the request line's target, before it splits off and parses the
 * query. The query is kept here and parsed by mock_query_parse instead: libmicrohttpd stores
 * every parameter in the connection's fixed memory pool, and a few hundred of them overflow it
 * (the connection was then dropped without an answer). Ending the target's query part right
 * after the '?' leaves libmicrohttpd nothing to parse; the path before it is untouched. */
static void *on_request_line(void *cls, const char *uri, struct MHD_Connection *connection)
{
    struct exchange *ex = calloc(1, sizeof(*ex));
    if (!ex)
        return NULL;
    ex->http = cls;
    ex->connection = connection;
    ex->wake.fire = wake_up;
    mock_response_init(&ex->resp);
    ex->target_len = strlen(uri);
    char *mark = strchr(uri, '?');
    if (mark) {
        ex->raw_query = strdup(mark + 1);
        if (!ex->raw_query) {
            free(ex);
            return NULL;
        }
        /* uri points into the connection's read buffer, which libmicrohttpd edits in place
         * itself; see above for why. */
        mark[1] = '\0';
    }
    return ex;
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    (void)kind;
    struct kv_list *list = cls;
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 16;
        struct mock_kv *grown = realloc(list->items, cap * sizeof(*grown));
        if (!grown) {
            list->failed = true;
            return MHD_NO;
        }
        list->items = grown;
        list->cap = cap;
    }
    value = value ? value : "";
    list->items[list->count++] = (struct mock_kv){key, value};
    list->bytes += strlen(key) + strlen(value) + 4;
    return MHD_YES;
}

/* The headers are complete: the deadline is met, the limits can be judged. false when out of
 * memory. */
static bool headers_arrived(struct exchange *ex, struct MHD_Connection *connection)
{
    struct mock_http *http = ex->http;
    struct conn *c = conn_of(ex->http, connection);
    if (c)
        atomic_store(&c->headers_due_us, 0);
    ex->start_us = mock_monotonic_us();
    ex->http->mhd->get_connection_values(connection, MHD_HEADER_KIND, collect_header, &ex->headers);
    if (ex->headers.failed)
        return false;
    if (ex->target_len > http->max_url) {
        ex->too_large = MOCK_URL_TOO_LONG; /* and its query is not even parsed */
    } else {
        if (ex->headers.bytes > http->max_header_bytes ||
            ex->headers.count > http->max_header_fields)
            ex->too_large = MOCK_HEADERS_TOO_LARGE;
        if (ex->raw_query && !mock_query_parse(ex->raw_query, strlen(ex->raw_query), &ex->query))
            return false;
    }
    ex->remote_addr = c ? c->remote_addr : ex->own_addr;
    if (!c)
        client_address(ex->http, connection, ex->own_addr, sizeof(ex->own_addr));
    return true;
}

/* Past the limit the rest of the body is read and dropped, so the client still gets the vendor's
 * answer instead of a reset connection, and memory stays bounded. */
static bool take_body(struct exchange *ex, const char *data, size_t len)
{
    if (ex->too_large != MOCK_FITS)
        return true;
    if (ex->body.len + len > ex->http->max_body) {
        ex->too_large = MOCK_BODY_TOO_LARGE;
        return true;
    }
    return cdr_buf_append(&ex->body, data, len);
}

/* ---- answering ----------------------------------------------------------------------------- */

static ssize_t paced_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct paced *p = cls;
    if (pos >= p->send) /* only reached when truncating: close without the rest */
        return MHD_CONTENT_READER_END_WITH_ERROR;
    if (p->chunk && pos > 0) {
        if (mock_monotonic_us() < p->next_us)
            return suspend_until(p->ex, p->next_us) ? 0 : MHD_CONTENT_READER_END_WITH_ERROR;
    }
    size_t n = p->send - (size_t)pos;
    if (p->chunk && n > p->chunk)
        n = p->chunk;
    if (n > max)
        n = max;
    memcpy(buf, p->body + pos, n);
    p->next_us = mock_monotonic_us() + p->interval_us;
    return (ssize_t)n;
}

static void paced_free(void *cls)
{
    struct paced *p = cls;
    free(p->body);
    free(p);
}

/* A response whose body MHD pulls through paced_read: the full Content-Length is announced
 * whatever is then sent. Takes resp's body. */
static struct MHD_Response *paced_response(struct exchange *ex, struct mock_response *resp)
{
    const struct mock_delivery *d = &resp->delivery;
    struct paced *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    p->ex = ex;
    p->len = resp->body_len;
    p->send = d->truncate_bytes && d->truncate_bytes < p->len ? d->truncate_bytes : p->len;
    p->chunk = d->dribble_bytes;
    p->interval_us = (int64_t)(d->dribble_interval_ms > 0 ? d->dribble_interval_ms : 0) * 1000;
    size_t block = p->chunk ? p->chunk : 64 * 1024;
    struct MHD_Response *r =
        ex->http->mhd->create_response_from_callback(p->len, block, paced_read, p, paced_free);
    if (!r) {
        free(p);
        return NULL;
    }
    p->body = resp->body;
    resp->body = NULL;
    return r;
}

/* Ends the connection with a TCP reset rather than an orderly close: no answer, as a crashed or
 * cut-off server gives. */
static enum MHD_Result reset_connection(const struct mock_http *http,
                                        struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        http->mhd->get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (info) {
        struct linger now = {.l_onoff = 1, .l_linger = 0};
        setsockopt(info->connect_fd, SOL_SOCKET, SO_LINGER, &now, sizeof(now));
    }
    return MHD_NO;
}

static void log_exchange(struct exchange *ex)
{
    mock_log_request(ex->http->log, &ex->req, &ex->resp, mock_monotonic_us() - ex->start_us);
}

static enum MHD_Result answer(struct exchange *ex)
{
    const struct mock_mhd_lib *mhd = ex->http->mhd;
    struct mock_response *resp = &ex->resp;
    ex->phase = PHASE_ANSWERED;
    log_exchange(ex);
    if (resp->delivery.reset)
        return reset_connection(ex->http, ex->connection);
    struct MHD_Response *r;
    if (resp->delivery.truncate_bytes || resp->delivery.dribble_bytes) {
        r = paced_response(ex, resp);
    } else {
        r = mhd->create_response_from_buffer_with_free_callback(
            resp->body_len, resp->body ? resp->body : (void *)"", resp->body ? free : NULL);
        if (r)
            resp->body = NULL; /* MHD frees it now */
    }
    if (!r)
        return MHD_NO;
    if (resp->content_type)
        mhd->add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type);
    bool dated = false;
    for (size_t i = 0; i < resp->header_count; i++) {
        mhd->add_response_header(r, resp->headers[i].name, resp->headers[i].value);
        dated |= strcasecmp(resp->headers[i].name, MHD_HTTP_HEADER_DATE) == 0;
    }
    if (!dated) {
        char date[MOCK_HTTP_DATE_LEN + 1];
        mock_http_date(mock_clock_now(ex->http->app.clock), date);
        mhd->add_response_header(r, MHD_HTTP_HEADER_DATE, date);
    }
    enum MHD_Result ret = mhd->queue_response(ex->connection, (unsigned)resp->status, r);
    mhd->destroy_response(r);
    return ret;
}

/* After the handler: wait (long poll, delay) or answer. */
static enum MHD_Result proceed(struct exchange *ex)
{
    struct mock_response *resp = &ex->resp;
    if (resp->retry_after_ms > 0) {
        ex->phase = PHASE_POLLING;
        return suspend_for_ms(ex, mock_response_retry(resp)) ? MHD_YES : MHD_NO;
    }
    if (resp->delivery.delay_ms > 0 && ex->phase != PHASE_DELAYED) {
        ex->phase = PHASE_DELAYED;
        return suspend_for_ms(ex, resp->delivery.delay_ms) ? MHD_YES : MHD_NO;
    }
    return answer(ex);
}

static enum MHD_Result run_handler(struct exchange *ex)
{
    ex->http->app.handle(ex->http->app.ctx, &ex->req, &ex->resp);
    return proceed(ex);
}

static void build_request(struct exchange *ex, const char *url, const char *method)
{
    ex->req = (struct mock_request){
        .method = method,
        .path = url,
        .query = ex->query.items,
        .query_count = ex->query.count,
        .headers = ex->headers.items,
        .header_count = ex->headers.count,
        .body = ex->body.data ? ex->body.data : "",
        .body_len = ex->body.len,
        .too_large = ex->too_large,
        .remote_addr = ex->remote_addr,
    };
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *connection, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)cls;
    (void)version;
    struct exchange *ex = *con_cls;
    if (!ex) /* on_request_line was out of memory */
        return MHD_NO;
    switch (ex->phase) {
    case PHASE_HEADERS:
        ex->phase = PHASE_BODY;
        return headers_arrived(ex, connection) ? MHD_YES : MHD_NO;
    case PHASE_BODY:
        if (*upload_data_size) {
            bool ok = take_body(ex, upload_data, *upload_data_size);
            *upload_data_size = 0;
            return ok ? MHD_YES : MHD_NO;
        }
        build_request(ex, url, method);
        return run_handler(ex);
    case PHASE_POLLING:
        return run_handler(ex);
    case PHASE_DELAYED:
        return answer(ex);
    case PHASE_ANSWERED:
        break;
    }
    return MHD_NO;
}

static void on_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct mock_http *http = cls;
    struct exchange *ex = *con_cls;
    *con_cls = NULL;
    if (ex) {
        if (ex->ever_suspended) {
            mock_timer_cancel(http->timer, &ex->wake);
            /* Never on the list by now (libmicrohttpd ends no suspended request): defensive. */
            pthread_mutex_lock(&http->lock);
            unlist_suspended(http, ex);
            pthread_mutex_unlock(&http->lock);
        }
        free(ex->raw_query);
        mock_query_free(&ex->query);
        free(ex->headers.items);
        cdr_buf_free(&ex->body);
        mock_response_free(&ex->resp);
        free(ex);
    }
    /* A kept-alive connection owes its next request's headers within the idle timeout, however
     * it trickles them (libmicrohttpd's own timeout restarts at every byte). */
    struct conn *c = toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? conn_of(http, connection) : NULL;
    if (c)
        atomic_store(&c->headers_due_us, mock_monotonic_us() + http->idle_timeout_us);
}

/* ---- starting and stopping ----------------------------------------------------------------- */

static void free_http(struct mock_http *http)
{
    mock_timer_stop(http->timer);
    mock_log_close(http->log);
    pthread_mutex_destroy(&http->lock);
    free(http->tls_cert);
    free(http->tls_key);
    free(http->tls_priorities);
    free(http);
}

static bool socket_address(const struct mock_config *cfg, struct sockaddr_storage *out,
                           unsigned *flags, char *err, size_t err_len)
{
    const char *bind = cfg->bind ? cfg->bind : "127.0.0.1";
    memset(out, 0, sizeof(*out));
    struct sockaddr_in *a4 = (struct sockaddr_in *)out;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)out;
    if (inet_pton(AF_INET, bind, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)cfg->port);
        return true;
    }
    if (inet_pton(AF_INET6, bind, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)cfg->port);
        *flags |= MHD_USE_IPv6;
        return true;
    }
    snprintf(err, err_len, "--bind %s: not an IPv4 or IPv6 address", bind);
    return false;
}

static bool load_tls(struct mock_http *http, const struct mock_config *cfg, char *err,
                     size_t err_len)
{
    if (!cfg->tls_cert_file && !cfg->tls_key_file)
        return true;
    if (!cfg->tls_cert_file || !cfg->tls_key_file) {
        snprintf(err, err_len, "--tls-cert and --tls-key go together");
        return false;
    }
    http->tls_cert = mock_read_file(cfg->tls_cert_file, NULL, err, err_len);
    http->tls_key = http->tls_cert ? mock_read_file(cfg->tls_key_file, NULL, err, err_len) : NULL;
    http->tls_priorities =
        strdup(cfg->http.tls_priorities ? cfg->http.tls_priorities : DEFAULT_TLS_PRIORITIES);
    if (http->tls_key && !http->tls_priorities)
        snprintf(err, err_len, "out of memory");
    return http->tls_key && http->tls_priorities;
}

/* libmicrohttpd's per-connection memory must hold the request line and the headers up to our own
 * limits, its record of each field and the response's headers, so that requests over those limits
 * still reach the vendor's own answer instead of libmicrohttpd's HTML page. Not more: it clears the
 * whole of it after every request (for the default limits it is its own default, 32 KiB). */
static size_t pool_size(const struct mock_config *cfg)
{
    size_t size = cfg->http.max_url_bytes + cfg->http.max_header_bytes +
                  (size_t)cfg->http.max_header_fields * MHD_BYTES_PER_FIELD + 8 * 1024;
    size = (size + 4095) / 4096 * 4096;
    return size < 32 * 1024 ? 32 * 1024 : size;
}

static unsigned worker_count(const struct mock_config *cfg)
{
    if (cfg->http.threads)
        return cfg->http.threads;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 0 ? (unsigned)cores : 1;
}

void mock_http_prepare(void)
{
    mock_mhd_preload();
}

struct mock_http *mock_http_start(const struct mock_http_app *app, const struct mock_config *cfg,
                                  int log_fd, char *err, size_t err_len)
{
    struct mock_http *http = calloc(1, sizeof(*http));
    if (!http) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&http->lock, NULL);
    http->app = *app;
    http->mhd = mock_mhd_lib(err, err_len);
    http->max_body = cfg->max_body_bytes;
    http->max_url = cfg->http.max_url_bytes;
    http->max_header_bytes = cfg->http.max_header_bytes;
    http->max_header_fields = cfg->http.max_header_fields;
    http->header_timeout_us = (int64_t)cfg->http.header_timeout_ms * 1000;
    http->idle_timeout_us = (int64_t)cfg->connection_timeout_s * 1000000;
    http->log = mock_log_open(log_fd, cfg->log_format);
    http->timer = http->mhd ? mock_timer_start(err, err_len) : NULL;
    struct sockaddr_storage addr;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_SUPPRESS_DATE_NO_CLOCK | MHD_USE_TURBO;
    if (!http->timer || !socket_address(cfg, &addr, &flags, err, err_len) ||
        !load_tls(http, cfg, err, err_len)) {
        free_http(http);
        return NULL;
    }
    if (http->tls_cert)
        flags |= MHD_USE_TLS;
    struct MHD_OptionItem tls[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, http->tls_cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, http->tls_key},
        {MHD_OPTION_HTTPS_PRIORITIES, 0, http->tls_priorities},
        {MHD_OPTION_END, 0, NULL},
    };
    http->daemon = http->mhd->start_daemon(
        flags, 0, NULL, NULL, on_request, http, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, worker_count(cfg), MHD_OPTION_CONNECTION_LIMIT,
        cfg->http.max_connections, MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)LISTEN_BACKLOG,
        MHD_OPTION_CONNECTION_TIMEOUT, cfg->connection_timeout_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool_size(cfg), MHD_OPTION_URI_LOG_CALLBACK,
        on_request_line, http, MHD_OPTION_NOTIFY_COMPLETED, on_completed, http,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, http, MHD_OPTION_ARRAY,
        http->tls_cert ? tls : tls + 3, MHD_OPTION_END);
    if (!http->daemon) {
        snprintf(err, err_len, "cannot listen on %s:%d%s", cfg->bind ? cfg->bind : "127.0.0.1",
                 cfg->port,
                 http->tls_cert ? " (check the TLS certificate, key and --tls-priorities)"
                                : " (address in use?)");
        free_http(http);
        return NULL;
    }
    return http;
}

unsigned mock_http_port(const struct mock_http *http)
{
    const union MHD_DaemonInfo *info =
        http->mhd->get_daemon_info(http->daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

void mock_http_stop(struct mock_http *http)
{
    if (!http)
        return;
    /* libmicrohttpd must not stop with a connection suspended: wake every waiting one (each then
     * finds stopping set and ends its connection) and let no other one wait. */
    pthread_mutex_lock(&http->lock);
    http->stopping = true;
    for (struct exchange *ex = http->suspended; ex; ex = ex->next) {
        ex->suspended = false;
        http->mhd->resume_connection(ex->connection);
    }
    http->suspended = NULL;
    pthread_mutex_unlock(&http->lock);
    http->mhd->stop_daemon(http->daemon);
    free_http(http);
}
