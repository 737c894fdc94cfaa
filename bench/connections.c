/* Holds thousands of connections to a server at once and measures how promptly it still answers
 * other clients. Three kinds of held connection:
 *   idle   connects and sends nothing
 *   slow   sends a request line, then one header line per second, never finishing
 *   poll   sends a long-poll request, and again on the same connection whenever it is answered
 * Meanwhile a probe thread sends each probe request on a fresh connection every 100 ms and times
 * the whole answer. At the end: per kind, how many connections the server closed and when (the
 * header deadline), poll answers received, and the probes' latency percentiles.
 * Usage: cdrsim-bench-connections PORT SECONDS IDLE SLOW POLLS POLL_REQUEST PROBE_REQUEST...
 * (requests are raw HTTP text; the driver, bench/connections.sh, builds them) */
#define _GNU_SOURCE /* memmem */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum kind { IDLE, SLOW, POLL, KINDS };
static const char *const kind_names[KINDS] = {"idle", "slow", "poll"};

struct held {
    int fd;
    enum kind kind;
    bool closed;
    int64_t closed_ms; /* since the start */
    size_t got;        /* bytes of the current answer */
};

struct probe_stats {
    int64_t *latency_us;
    size_t count;
    size_t cap;
    size_t failures;
};

struct run {
    unsigned port;
    int64_t start_ms;
    int64_t end_ms;
    const char *poll_request;
    const char *const *probes;
    size_t probe_count;
    struct probe_stats *stats; /* one per probe */
    atomic_bool done;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int connect_to(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static bool send_all(int fd, const char *text)
{
    size_t len = strlen(text);
    while (len) {
        ssize_t n = send(fd, text, len, MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        text += n;
        len -= (size_t)n;
    }
    return true;
}

/* Whether buf[0..len) holds a whole answer: headers and Content-Length bytes of body. */
static bool answer_complete(const char *buf, size_t len)
{
    const char *end = memmem(buf, len, "\r\n\r\n", 4);
    if (!end)
        return false;
    const char *cl = memmem(buf, (size_t)(end - buf), "Content-Length: ", 16);
    size_t body = cl ? strtoul(cl + 16, NULL, 10) : 0;
    return len >= (size_t)(end + 4 - buf) + body;
}

/* One probe on a fresh connection: microseconds to the whole answer, or -1. */
static int64_t probe_once(unsigned port, const char *request)
{
    int64_t start = now_us();
    int fd = connect_to(port);
    if (fd < 0)
        return -1;
    char buf[1 << 16];
    size_t len = 0;
    bool ok = send_all(fd, request);
    while (ok && !answer_complete(buf, len)) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 10000) != 1) {
            ok = false;
            break;
        }
        ssize_t n = recv(fd, buf + len, sizeof(buf) - len, 0);
        if (n <= 0)
            ok = false;
        else
            len += (size_t)n;
        if (len == sizeof(buf))
            len = 0; /* a large answer: only its end matters here */
    }
    close(fd);
    return ok ? now_us() - start : -1;
}

static void *probe_loop(void *arg)
{
    struct run *run = arg;
    while (!atomic_load(&run->done)) {
        for (size_t i = 0; i < run->probe_count; i++) {
            int64_t us = probe_once(run->port, run->probes[i]);
            struct probe_stats *s = &run->stats[i];
            if (us < 0) {
                s->failures++;
                continue;
            }
            if (s->count == s->cap) {
                s->cap = s->cap ? 2 * s->cap : 256;
                s->latency_us = realloc(s->latency_us, s->cap * sizeof(*s->latency_us));
            }
            s->latency_us[s->count++] = us;
        }
        struct timespec pause = {0, 100 * 1000000L};
        nanosleep(&pause, NULL);
    }
    return NULL;
}

static int compare(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static double percentile_ms(const struct probe_stats *s, double p)
{
    if (!s->count)
        return 0;
    size_t i = (size_t)(p * (double)(s->count - 1) + 0.5);
    return (double)s->latency_us[i] / 1000.0;
}

static void raise_fd_limit(void)
{
    struct rlimit lim;
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0) {
        lim.rlim_cur = lim.rlim_max;
        setrlimit(RLIMIT_NOFILE, &lim);
    }
}

int main(int argc, char **argv)
{
    if (argc < 8) {
        fprintf(stderr, "usage: cdrsim-bench-connections PORT SECONDS IDLE SLOW POLLS "
                        "POLL_REQUEST PROBE_REQUEST...\n");
        return 2;
    }
    raise_fd_limit();
    struct run run = {
        .port = (unsigned)atoi(argv[1]),
        .poll_request = argv[6],
        .probes = (const char *const *)argv + 7,
        .probe_count = (size_t)(argc - 7),
    };
    int seconds = atoi(argv[2]);
    size_t counts[KINDS] = {(size_t)atol(argv[3]), (size_t)atol(argv[4]), (size_t)atol(argv[5])};
    size_t total = counts[IDLE] + counts[SLOW] + counts[POLL];
    struct held *held = calloc(total, sizeof(*held));
    run.stats = calloc(run.probe_count, sizeof(*run.stats));
    int ep = epoll_create1(0);
    if (!held || !run.stats || ep < 0)
        return 1;
    run.start_ms = now_ms();
    size_t n = 0, refused = 0;
    for (enum kind k = IDLE; k < KINDS; k++)
        for (size_t i = 0; i < counts[k]; i++) {
            int fd = connect_to(run.port);
            if (fd < 0) {
                refused++;
                continue;
            }
            held[n] = (struct held){.fd = fd, .kind = k};
            if (k == SLOW)
                send_all(fd, "GET /__cdrsim/health HTTP/1.1\r\nHost: bench\r\n");
            else if (k == POLL)
                send_all(fd, run.poll_request);
            struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = &held[n]};
            epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
            n++;
        }
    int64_t connected_ms = now_ms() - run.start_ms;
    printf("opened %zu connections in %lld ms (%zu refused)\n", n, (long long)connected_ms,
           refused);
    fflush(stdout);
    pthread_t prober;
    pthread_create(&prober, NULL, probe_loop, &run);
    size_t poll_answers = 0;
    int64_t end = now_ms() + (int64_t)seconds * 1000, next_slow = now_ms() + 1000;
    char buf[1 << 16];
    while (now_ms() < end) {
        struct epoll_event events[256];
        int ready = epoll_wait(ep, events, 256, 100);
        for (int e = 0; e < ready; e++) {
            struct held *h = events[e].data.ptr;
            ssize_t got = recv(h->fd, buf, sizeof(buf), MSG_DONTWAIT);
            if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
                h->closed = true;
                h->closed_ms = now_ms() - run.start_ms;
                epoll_ctl(ep, EPOLL_CTL_DEL, h->fd, NULL);
                continue;
            }
            if (got > 0 && h->kind == POLL) {
                /* A long poll answered (they are small): ask again on the same connection. */
                h->got += (size_t)got;
                if (answer_complete(buf, (size_t)got)) {
                    poll_answers++;
                    h->got = 0;
                    send_all(h->fd, run.poll_request);
                }
            }
        }
        if (now_ms() >= next_slow) {
            for (size_t i = 0; i < n; i++)
                if (held[i].kind == SLOW && !held[i].closed)
                    send_all(held[i].fd, "X-Slow: 1\r\n");
            next_slow += 1000;
        }
    }
    atomic_store(&run.done, true);
    pthread_join(prober, NULL);
    for (enum kind k = IDLE; k < KINDS; k++) {
        size_t opened = 0, closed = 0;
        int64_t first = -1, last = -1;
        for (size_t i = 0; i < n; i++) {
            if (held[i].kind != k)
                continue;
            opened++;
            if (!held[i].closed)
                continue;
            closed++;
            if (first < 0 || held[i].closed_ms < first)
                first = held[i].closed_ms;
            if (held[i].closed_ms > last)
                last = held[i].closed_ms;
        }
        printf("%-5s %6zu held, %6zu closed by the server", kind_names[k], opened, closed);
        if (closed)
            printf(" (between %.1f s and %.1f s)", (double)first / 1000, (double)last / 1000);
        if (k == POLL)
            printf(", %zu poll answers", poll_answers);
        printf("\n");
    }
    for (size_t i = 0; i < run.probe_count; i++) {
        struct probe_stats *s = &run.stats[i];
        qsort(s->latency_us, s->count, sizeof(*s->latency_us), compare);
        char first_line[128];
        snprintf(first_line, sizeof(first_line), "%.*s", (int)strcspn(run.probes[i], "\r"),
                 run.probes[i]);
        printf("probe %-40.40s %4zu answers, %zu failed: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
               first_line, s->count, s->failures, percentile_ms(s, 0.5), percentile_ms(s, 0.99),
               percentile_ms(s, 1.0));
        free(s->latency_us);
    }
    for (size_t i = 0; i < n; i++)
        close(held[i].fd);
    free(held);
    free(run.stats);
    close(ep);
    return 0;
}
