/* One HTTP/1.1 request in, one response out, over plain sockets (http_receive.h). */
#define _GNU_SOURCE /* strcasestr, memmem */
#include "http_receive.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

int http_receive_listen(const char *bind_addr, int port, int *bound, char *err, size_t err_len)
{
    struct addrinfo hints = {0}, *ai = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
    char service[8];
    snprintf(service, sizeof(service), "%d", port);
    int rc = getaddrinfo(bind_addr, service, &hints, &ai);
    if (rc != 0) {
        snprintf(err, err_len, "--bind %s: not a numeric IP address (%s)", bind_addr,
                 gai_strerror(rc));
        return -1;
    }
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 16) != 0) {
        snprintf(err, err_len, "cannot listen on %s port %d: %s", bind_addr, port, strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        return -1;
    }
    freeaddrinfo(ai);
    struct sockaddr_storage addr;
    socklen_t len = sizeof(addr);
    getsockname(fd, (struct sockaddr *)&addr, &len);
    *bound = ntohs(addr.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&addr)->sin6_port
                                              : ((struct sockaddr_in *)&addr)->sin_port);
    return fd;
}

void http_receive_request_free(struct http_receive_request *req)
{
    free(req->body);
    req->body = NULL;
    req->body_len = 0;
}

/* What has been read of a connection, and the socket to read more from. */
struct conn {
    int fd;
    char *buf;
    size_t len, cap;
};

/* Appends what the socket has next (waiting at most HTTP_RECEIVE_IDLE_MS): > 0 bytes read, 0 the
 * peer closed, -1 an error, -2 the wait ran out. */
static long fill(struct conn *c, size_t limit)
{
    if (c->len + 4096 + 1 > c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8192;
        if (cap > limit + 4096 + 1)
            cap = limit + 4096 + 1;
        char *grown = cap > c->cap ? realloc(c->buf, cap) : NULL;
        if (!grown)
            return -1;
        c->buf = grown;
        c->cap = cap;
    }
    struct pollfd p = {c->fd, POLLIN, 0};
    int ready = poll(&p, 1, HTTP_RECEIVE_IDLE_MS);
    if (ready == 0)
        return -2;
    if (ready < 0)
        return -1;
    ssize_t n = recv(c->fd, c->buf + c->len, c->cap - c->len - 1, 0);
    if (n > 0) {
        c->len += (size_t)n;
        c->buf[c->len] = '\0';
    }
    return n;
}

/* The value of header name in head (lines after the request line), trimmed, copied into out;
 * false when absent. */
static bool header(const char *head, const char *name, char *out, size_t out_len)
{
    size_t n = strlen(name);
    for (const char *line = strstr(head, "\r\n"); line && line[2];
         line = strstr(line + 2, "\r\n")) {
        const char *h = line + 2;
        if (strncasecmp(h, name, n) == 0 && h[n] == ':') {
            const char *v = h + n + 1;
            while (*v == ' ' || *v == '\t')
                v++;
            size_t vlen = strcspn(v, "\r\n");
            while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
                vlen--;
            snprintf(out, out_len, "%.*s", (int)vlen, v);
            return true;
        }
    }
    return false;
}

static int fail(char *err, size_t err_len, int status, const char *why)
{
    snprintf(err, err_len, "%s", why);
    return status;
}

/* The status for a fill() that brought nothing: -1 for a peer gone, 408 for a silent one. */
static int stalled(long n, char *err, size_t err_len)
{
    return n == -2 ? fail(err, err_len, 408, "the sender went silent mid-request") : -1;
}

/* Decodes a chunked body in place from c->buf + start, reading more as needed; the body's length
 * into *out_len, or an error status. */
static int read_chunked(struct conn *c, size_t start, size_t *out_len, char *err, size_t err_len)
{
    size_t at = start, body = start;
    for (;;) {
        char *eol;
        while (!(eol = memmem(c->buf + at, c->len - at, "\r\n", 2))) {
            if (c->len - at > 64)
                return fail(err, err_len, 400, "a chunk size line is not hexadecimal");
            long n = fill(c, HTTP_RECEIVE_MAX_HEAD + HTTP_RECEIVE_MAX_BODY);
            if (n <= 0)
                return stalled(n, err, err_len);
        }
        char *end;
        errno = 0;
        unsigned long long size = strtoull(c->buf + at, &end, 16);
        if (end == c->buf + at || errno || (*end != '\r' && *end != ';'))
            return fail(err, err_len, 400, "a chunk size line is not hexadecimal");
        if (size > HTTP_RECEIVE_MAX_BODY || body - start + size > HTTP_RECEIVE_MAX_BODY)
            return fail(err, err_len, 413, "the body is larger than 16 MiB");
        size_t data = (size_t)(eol - c->buf) + 2;
        if (size == 0) { /* trailers are not read: the connection closes after the answer */
            *out_len = body - start;
            return 0;
        }
        while (c->len < data + size + 2) {
            long n = fill(c, HTTP_RECEIVE_MAX_HEAD + HTTP_RECEIVE_MAX_BODY);
            if (n <= 0)
                return stalled(n, err, err_len);
        }
        if (memcmp(c->buf + data + size, "\r\n", 2) != 0)
            return fail(err, err_len, 400, "a chunk does not end with CRLF");
        memmove(c->buf + body, c->buf + data, size);
        body += size;
        /* what followed the chunk moves down behind the decoded bytes */
        size_t rest = c->len - (data + size + 2);
        memmove(c->buf + body, c->buf + data + size + 2, rest);
        c->len = body + rest;
        at = body;
    }
}

/* The request line and headers of c, read: where the body starts, or an error status. */
static int read_head(struct conn *c, struct http_receive_request *req, size_t *body_at, char *err,
                     size_t err_len)
{
    char *end;
    while (!(end = c->len ? strstr(c->buf, "\r\n\r\n") : NULL)) {
        if (c->len >= HTTP_RECEIVE_MAX_HEAD)
            return fail(err, err_len, 431, "the request line and headers exceed 64 KiB");
        long n = fill(c, HTTP_RECEIVE_MAX_HEAD);
        if (n <= 0)
            return c->len && n == 0 ? fail(err, err_len, 400, "the request ends in its headers")
                                    : stalled(n, err, err_len);
        if (memchr(c->buf, '\0', c->len))
            return fail(err, err_len, 400, "a NUL byte in the request's headers");
    }
    end[2] = '\0'; /* the head ends with its last header line's CRLF */
    *body_at = (size_t)(end - c->buf) + 4;
    char version[16];
    if (sscanf(c->buf, "%15s %1023s %15s", req->method, req->path, version) != 3 ||
        strncmp(version, "HTTP/1.", 7) != 0)
        return fail(err, err_len, 400, "not an HTTP/1.x request line");
    return 0;
}

int http_receive_read(int fd, struct http_receive_request *req, char *err, size_t err_len)
{
    *req = (struct http_receive_request){0};
    struct conn c = {fd, NULL, 0, 0};
    size_t body_at;
    int status = read_head(&c, req, &body_at, err, err_len);
    char value[64];
    size_t body_len = 0;
    if (status == 0 && header(c.buf, "Expect", value, sizeof(value)) &&
        strcasecmp(value, "100-continue") == 0) {
        static const char go_on[] = "HTTP/1.1 100 Continue\r\n\r\n";
        send(fd, go_on, sizeof(go_on) - 1, MSG_NOSIGNAL);
    }
    bool chunked = status == 0 && header(c.buf, "Transfer-Encoding", value, sizeof(value));
    if (chunked && strcasecmp(value, "chunked") != 0)
        status = fail(err, err_len, 501, "a transfer coding other than chunked");
    if (status == 0 && chunked) {
        memmove(c.buf, c.buf + body_at, c.len - body_at);
        c.len -= body_at;
        status = read_chunked(&c, 0, &body_len, err, err_len);
    } else if (status == 0 && header(c.buf, "Content-Length", value, sizeof(value))) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(value, &end, 10);
        if (!value[0] || *end || errno || value[0] == '-')
            status = fail(err, err_len, 400, "Content-Length is not a number");
        else if (n > HTTP_RECEIVE_MAX_BODY)
            status = fail(err, err_len, 413, "the body is larger than 16 MiB");
        body_len = (size_t)n;
        while (status == 0 && c.len - body_at < body_len) {
            long got = fill(&c, body_at + body_len);
            if (got <= 0)
                status = got == 0 ? fail(err, err_len, 400, "the body ends before Content-Length")
                                  : stalled(got, err, err_len);
        }
        if (status == 0) {
            memmove(c.buf, c.buf + body_at, body_len);
            c.len = body_len;
        }
    } else if (status == 0 && strcmp(req->method, "POST") == 0) {
        status = fail(err, err_len, 411, "a POST without Content-Length or chunked coding");
    } else if (status == 0) {
        c.len = 0;
    }
    if (status != 0) {
        free(c.buf);
        return status;
    }
    if (!c.buf && !(c.buf = malloc(1))) {
        return fail(err, err_len, 413, "out of memory");
    }
    c.buf[body_len] = '\0';
    req->body = c.buf;
    req->body_len = body_len;
    return 0;
}

static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    default:
        return "Status";
    }
}

bool http_receive_reply(int fd, int status, const char *content_type, const char *body)
{
    char head[256];
    size_t len = strlen(body);
    int n = snprintf(head, sizeof(head),
                     "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n",
                     status, reason(status), content_type, len);
    if (n < 0 || (size_t)n >= sizeof(head))
        return false;
    struct {
        const char *p;
        size_t len;
    } parts[] = {{head, (size_t)n}, {body, len}};
    for (size_t i = 0; i < 2; i++)
        for (size_t sent = 0; sent < parts[i].len;) {
            ssize_t w = send(fd, parts[i].p + sent, parts[i].len - sent, MSG_NOSIGNAL);
            if (w <= 0)
                return false;
            sent += (size_t)w;
        }
    return true;
}
