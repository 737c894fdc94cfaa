#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "cdrsim/buf.h"
#include "fileio.h"
#include "http.h"
#include "log.h"

struct mock_http {
    struct MHD_Daemon *daemon;
    struct mock_server *server;
    size_t max_body;
    enum mock_log_format log_format;
    FILE *log;
    char *tls_cert; /* PEM text; MHD keeps pointers to it for the daemon's lifetime */
    char *tls_key;
};

/* Per-connection state while a request's body streams in. */
struct exchange {
    struct cdr_buf body;
    bool too_large;
    int64_t start_us;
};

struct kv_list {
    struct mock_kv *items;
    size_t count;
    size_t cap;
    bool failed;
};

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
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
    list->items[list->count++] = (struct mock_kv){key, value ? value : ""};
    return MHD_YES;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static enum MHD_Result send_response(struct MHD_Connection *conn, struct mock_response *resp)
{
    struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback(
        resp->body_len, resp->body ? resp->body : (void *)"", resp->body ? free : NULL);
    if (!r)
        return MHD_NO;
    resp->body = NULL; /* MHD frees it now */
    if (resp->content_type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type);
    for (size_t i = 0; i < resp->header_count; i++)
        MHD_add_response_header(r, resp->headers[i].name, resp->headers[i].value);
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)resp->status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    struct mock_http *http = cls;
    struct exchange *ex = *con_cls;
    if (!ex) {
        ex = calloc(1, sizeof(*ex));
        if (!ex)
            return MHD_NO;
        ex->start_us = mock_monotonic_us();
        *con_cls = ex;
        return MHD_YES;
    }
    if (*upload_data_size) {
        /* Past the limit the rest is read and dropped, so the client still gets the vendor's
         * answer instead of a reset connection, and memory stays bounded. */
        if (!ex->too_large) {
            if (ex->body.len + *upload_data_size > http->max_body)
                ex->too_large = true;
            else if (!cdr_buf_append(&ex->body, upload_data, *upload_data_size))
                return MHD_NO;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }

    struct kv_list headers = {0}, query = {0};
    MHD_get_connection_values(conn, MHD_HEADER_KIND, collect, &headers);
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect, &query);
    char addr[INET6_ADDRSTRLEN] = "";
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info && info->client_addr) {
        const struct sockaddr *sa = info->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, addr,
                      sizeof(addr));
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, addr,
                      sizeof(addr));
    }
    struct mock_request req = {
        .method = method,
        .path = url,
        .query = query.items,
        .query_count = query.count,
        .headers = headers.items,
        .header_count = headers.count,
        .body = ex->body.data ? ex->body.data : "",
        .body_len = ex->body.len,
        .body_too_large = ex->too_large,
        .remote_addr = addr,
    };
    struct mock_response resp;
    mock_response_init(&resp);
    if (headers.failed || query.failed) {
        mock_response_json(&resp, 500, "{\"error\":\"out of memory\"}");
    } else {
        for (;;) {
            mock_server_handle(http->server, &req, &resp);
            if (resp.retry_after_ms <= 0)
                break;
            sleep_ms(mock_response_retry(&resp));
        }
    }
    enum MHD_Result ret = send_response(conn, &resp);
    mock_log_request(http->log, http->log_format, &req, &resp,
                     (double)(mock_monotonic_us() - ex->start_us) / 1000.0);
    mock_response_free(&resp);
    free(headers.items);
    free(query.items);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    struct exchange *ex = *con_cls;
    if (ex) {
        cdr_buf_free(&ex->body);
        free(ex);
        *con_cls = NULL;
    }
}

static void free_http(struct mock_http *http)
{
    free(http->tls_cert);
    free(http->tls_key);
    free(http);
}

struct mock_http *mock_http_start(struct mock_server *server, const struct mock_config *cfg,
                                  FILE *log, char *err, size_t err_len)
{
    struct mock_http *http = calloc(1, sizeof(*http));
    if (!http) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    http->server = server;
    http->max_body = cfg->max_body_bytes;
    http->log_format = cfg->log_format;
    http->log = log;

    const char *bind = cfg->bind ? cfg->bind : "127.0.0.1";
    struct sockaddr_in a4 = {0};
    struct sockaddr_in6 a6 = {0};
    struct sockaddr *addr;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION;
    if (inet_pton(AF_INET, bind, &a4.sin_addr) == 1) {
        a4.sin_family = AF_INET;
        a4.sin_port = htons((uint16_t)cfg->port);
        addr = (struct sockaddr *)&a4;
    } else if (inet_pton(AF_INET6, bind, &a6.sin6_addr) == 1) {
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons((uint16_t)cfg->port);
        addr = (struct sockaddr *)&a6;
        flags |= MHD_USE_IPv6;
    } else {
        snprintf(err, err_len, "--bind %s: not an IPv4 or IPv6 address", bind);
        free_http(http);
        return NULL;
    }
    if (cfg->tls_cert_file || cfg->tls_key_file) {
        if (!cfg->tls_cert_file || !cfg->tls_key_file) {
            snprintf(err, err_len, "--tls-cert and --tls-key go together");
            free_http(http);
            return NULL;
        }
        http->tls_cert = mock_read_file(cfg->tls_cert_file, NULL, err, err_len);
        http->tls_key =
            http->tls_cert ? mock_read_file(cfg->tls_key_file, NULL, err, err_len) : NULL;
        if (!http->tls_key) {
            free_http(http);
            return NULL;
        }
        flags |= MHD_USE_TLS;
    }
    if (http->tls_cert)
        http->daemon = MHD_start_daemon(
            flags, 0, NULL, NULL, on_request, http, MHD_OPTION_SOCK_ADDR, addr,
            MHD_OPTION_CONNECTION_TIMEOUT, cfg->connection_timeout_s, MHD_OPTION_NOTIFY_COMPLETED,
            on_completed, http, MHD_OPTION_HTTPS_MEM_CERT, http->tls_cert, MHD_OPTION_HTTPS_MEM_KEY,
            http->tls_key, MHD_OPTION_END);
    else
        http->daemon =
            MHD_start_daemon(flags, 0, NULL, NULL, on_request, http, MHD_OPTION_SOCK_ADDR, addr,
                             MHD_OPTION_CONNECTION_TIMEOUT, cfg->connection_timeout_s,
                             MHD_OPTION_NOTIFY_COMPLETED, on_completed, http, MHD_OPTION_END);
    if (!http->daemon) {
        snprintf(err, err_len, "cannot listen on %s:%d%s", bind, cfg->port,
                 http->tls_cert ? " (check the TLS certificate and key)" : " (address in use?)");
        free_http(http);
        return NULL;
    }
    return http;
}

unsigned mock_http_port(const struct mock_http *http)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(http->daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

void mock_http_stop(struct mock_http *http)
{
    if (!http)
        return;
    MHD_stop_daemon(http->daemon);
    free_http(http);
}
