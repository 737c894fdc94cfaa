/* A minimal HTTP/1.1 POST over sockets for push delivery (http_post.h). Only the status line of
 * the answer matters: the vendors whose pushes the mock imitates judge a delivery by its status. */
#include "http_post.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct target {
    char host[256];
    char port[8];
    const char *path; /* into the URL; "" means "/" */
};

static bool parse_url(const char *url, struct target *t, char *err, size_t err_len)
{
    static const char scheme[] = "http://";
    if (!url || strncmp(url, scheme, sizeof(scheme) - 1) != 0) {
        snprintf(err, err_len, "only http:// URLs can be pushed to");
        return false;
    }
    const char *host = url + sizeof(scheme) - 1, *host_end;
    if (*host == '[') {
        host++;
        host_end = strchr(host, ']');
        if (!host_end) {
            snprintf(err, err_len, "unclosed '[' in the URL's host");
            return false;
        }
    } else {
        host_end = host + strcspn(host, ":/?#");
    }
    size_t host_len = (size_t)(host_end - host);
    if (host_len == 0 || host_len >= sizeof(t->host)) {
        snprintf(err, err_len, "the URL has no host (or one too long)");
        return false;
    }
    memcpy(t->host, host, host_len);
    t->host[host_len] = '\0';
    const char *rest = host_end + (*host_end == ']');
    strcpy(t->port, "80");
    if (*rest == ':') {
        char *end;
        long port = strtol(rest + 1, &end, 10);
        if (end == rest + 1 || port < 1 || port > 65535 || (*end && *end != '/')) {
            snprintf(err, err_len, "the URL's port is not 1..65535");
            return false;
        }
        snprintf(t->port, sizeof(t->port), "%ld", port);
        rest = end;
    }
    if (*rest && *rest != '/') {
        snprintf(err, err_len, "expected '/' after the URL's host");
        return false;
    }
    if (strpbrk(rest, " \r\n")) {
        snprintf(err, err_len, "the URL's path holds a space or a line break");
        return false;
    }
    t->path = rest;
    return true;
}

bool mock_http_post_url_ok(const char *url, char *err, size_t err_len)
{
    struct target t;
    return parse_url(url, &t, err, err_len);
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until fd is ready for events or the deadline passes; false on timeout. */
static bool wait_ready(int fd, short events, long long deadline)
{
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0)
            return false;
        struct pollfd p = {.fd = fd, .events = events};
        int n = poll(&p, 1, (int)left);
        if (n > 0)
            return true;
        if (n == 0 || errno != EINTR)
            return false;
    }
}

static int connect_within(const struct target *t, int timeout_ms, char *err, size_t err_len)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *list;
    int rc = getaddrinfo(t->host, t->port, &hints, &list);
    if (rc != 0) {
        snprintf(err, err_len, "cannot resolve %s: %s", t->host, gai_strerror(rc));
        return -1;
    }
    int fd = -1;
    long long deadline = now_ms() + timeout_ms;
    snprintf(err, err_len, "cannot connect to %s:%s", t->host, t->port);
    for (struct addrinfo *a = list; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0)
            continue;
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
            break;
        int so_error = errno;
        if (so_error == EINPROGRESS) {
            socklen_t len = sizeof(so_error);
            if (!wait_ready(fd, POLLOUT, deadline))
                so_error = ETIMEDOUT;
            else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0)
                so_error = errno;
        }
        if (so_error != 0) {
            snprintf(err, err_len, "cannot connect to %s:%s: %s", t->host, t->port,
                     strerror(so_error));
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(list);
    return fd;
}

static bool send_all(int fd, const char *data, size_t len, long long deadline)
{
    while (len > 0) {
        if (!wait_ready(fd, POLLOUT, deadline))
            return false;
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            return false;
        data += n;
        len -= (size_t)n;
    }
    return true;
}

/* Reads until the status line is complete; its status, or -1. */
static int read_status(int fd, long long deadline, char *err, size_t err_len)
{
    char line[256];
    size_t have = 0;
    while (have < sizeof(line) - 1 && !memchr(line, '\n', have)) {
        if (!wait_ready(fd, POLLIN, deadline)) {
            snprintf(err, err_len, "no answer in time");
            return -1;
        }
        ssize_t n = recv(fd, line + have, sizeof(line) - 1 - have, 0);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            break;
        have += (size_t)n;
    }
    line[have] = '\0';
    int status = 0, minor = 0;
    char after = 0;
    if (sscanf(line, "HTTP/1.%d %3d%c", &minor, &status, &after) < 2 || status < 100 ||
        status > 599) {
        snprintf(err, err_len,
                 have ? "the answer is not HTTP" : "connection closed without answer");
        return -1;
    }
    return status;
}

int mock_http_post(const char *url, const char *content_type, const char *body, size_t body_len,
                   int timeout_ms, char *err, size_t err_len)
{
    struct target t;
    if (!parse_url(url, &t, err, err_len))
        return -1;
    int fd = connect_within(&t, timeout_ms, err, err_len);
    if (fd < 0)
        return -1;
    bool v6 = strchr(t.host, ':') != NULL;
    char head[1024];
    int head_len = snprintf(head, sizeof(head),
                            "POST %s HTTP/1.1\r\nHost: %s%s%s:%s\r\nContent-Type: %s\r\n"
                            "Content-Length: %zu\r\nConnection: close\r\n"
                            "User-Agent: cdrsim-mock\r\n\r\n",
                            *t.path ? t.path : "/", v6 ? "[" : "", t.host, v6 ? "]" : "", t.port,
                            content_type, body_len);
    int status = -1;
    long long deadline = now_ms() + timeout_ms;
    if (head_len <= 0 || (size_t)head_len >= sizeof(head))
        snprintf(err, err_len, "the URL is too long");
    else if (!send_all(fd, head, (size_t)head_len, deadline) ||
             !send_all(fd, body, body_len, deadline))
        snprintf(err, err_len, "sending failed or timed out");
    else
        status = read_status(fd, deadline, err, err_len);
    close(fd);
    return status;
}
