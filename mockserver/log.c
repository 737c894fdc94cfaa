#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cdrsim/buf.h"
#include "cdrsim/timefmt.h"
#include "clock.h"

/* How long the writer lets lines gather after the first one: bounds both the delay of a line
 * and the number of write(2) calls (at most one per interval). */
#define GATHER_NS (5 * 1000 * 1000)
/* Past this much unwritten text, workers wait for the writer (a stalled disk must not grow the
 * mock without bound). */
#define MAX_PENDING (8u << 20)

struct mock_log {
    int fd;
    enum mock_log_format format;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t ready; /* pending went from empty to not */
    pthread_cond_t room;  /* the writer took pending */
    struct cdr_buf pending;
    bool stop;
};

static void write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        data += n;
        len -= (size_t)n;
    }
}

static void *writer(void *arg)
{
    struct mock_log *log = arg;
    struct cdr_buf taken;
    cdr_buf_init(&taken);
    pthread_mutex_lock(&log->lock);
    for (;;) {
        while (log->pending.len == 0 && !log->stop)
            pthread_cond_wait(&log->ready, &log->lock);
        if (log->pending.len == 0) /* stopping, and everything is written */
            break;
        if (!log->stop) {
            pthread_mutex_unlock(&log->lock);
            struct timespec gather = {0, GATHER_NS};
            nanosleep(&gather, NULL);
            pthread_mutex_lock(&log->lock);
        }
        struct cdr_buf swap = log->pending;
        log->pending = taken;
        log->pending.len = 0;
        taken = swap;
        pthread_cond_broadcast(&log->room);
        pthread_mutex_unlock(&log->lock);
        write_all(log->fd, taken.data, taken.len);
        pthread_mutex_lock(&log->lock);
    }
    pthread_mutex_unlock(&log->lock);
    cdr_buf_free(&taken);
    return NULL;
}

struct mock_log *mock_log_open(int fd, enum mock_log_format format)
{
    if (fd < 0 || format == MOCK_LOG_OFF)
        return NULL;
    struct mock_log *log = calloc(1, sizeof(*log));
    if (!log)
        return NULL;
    log->fd = fd;
    log->format = format;
    cdr_buf_init(&log->pending);
    pthread_mutex_init(&log->lock, NULL);
    pthread_cond_init(&log->ready, NULL);
    pthread_cond_init(&log->room, NULL);
    if (pthread_create(&log->thread, NULL, writer, log) != 0) {
        pthread_cond_destroy(&log->ready);
        pthread_cond_destroy(&log->room);
        pthread_mutex_destroy(&log->lock);
        free(log);
        return NULL;
    }
    return log;
}

void mock_log_close(struct mock_log *log)
{
    if (!log)
        return;
    pthread_mutex_lock(&log->lock);
    log->stop = true;
    pthread_cond_signal(&log->ready);
    pthread_mutex_unlock(&log->lock);
    pthread_join(log->thread, NULL);
    cdr_buf_free(&log->pending);
    pthread_cond_destroy(&log->ready);
    pthread_cond_destroy(&log->room);
    pthread_mutex_destroy(&log->lock);
    free(log);
}

/* Request paths are attacker-controlled: control bytes would forge extra log lines. */
static void put_printable(struct cdr_buf *b, const char *text)
{
    const char *run = text;
    for (const unsigned char *p = (const unsigned char *)text;; p++) {
        if (*p && *p >= 0x20 && *p != 0x7f)
            continue;
        cdr_buf_append(b, run, (size_t)((const char *)p - run));
        if (!*p)
            return;
        cdr_buf_append(b, "?", 1);
        run = (const char *)p + 1;
    }
}

/* Digits of value, right-aligned in text[0..size); returns where they start. At least min_digits
 * digits (leading zeros). */
static char *digits(char *text, size_t size, uint64_t value, int min_digits)
{
    char *p = text + size;
    for (int n = 0; value || n < min_digits; n++, value /= 10)
        *--p = (char)('0' + value % 10);
    return p;
}

/* "12.345": milliseconds with three decimals, without printf's locale and float formatting. */
static void put_latency(struct cdr_buf *b, int64_t us)
{
    char text[32];
    uint64_t u = us > 0 ? (uint64_t)us : 0;
    char *frac = digits(text + 16, 16, u % 1000, 3);
    char *whole = digits(text, 15, u / 1000, 1);
    cdr_buf_append(b, whole, (size_t)(text + 15 - whole));
    cdr_buf_append(b, ".", 1);
    cdr_buf_append(b, frac, (size_t)(text + 32 - frac));
}

static void put_int(struct cdr_buf *b, int value)
{
    char text[16];
    uint64_t u = value < 0 ? (uint64_t)(-(int64_t)value) : (uint64_t)value;
    char *p = digits(text, sizeof(text), u, 1);
    if (value < 0)
        *--p = '-';
    cdr_buf_append(b, p, (size_t)(text + sizeof(text) - p));
}

static void format_line(struct cdr_buf *b, enum mock_log_format format,
                        const struct mock_request *req, const struct mock_response *resp,
                        int64_t latency_us)
{
    char ts[CDR_RFC3339_MS_LEN + 1];
    cdr_time_format_rfc3339_ms(mock_wall_clock_ms(), ts);
    const char *vendor = resp->vendor ? resp->vendor : "-";
    if (format == MOCK_LOG_JSON) {
        cdr_buf_puts(b, "{\"ts\":\"");
        cdr_buf_puts(b, ts);
        cdr_buf_puts(b, "\",\"method\":");
        cdr_buf_json_string(b, req->method);
        cdr_buf_puts(b, ",\"path\":");
        cdr_buf_json_string(b, req->path);
        cdr_buf_puts(b, ",\"vendor\":");
        cdr_buf_json_string(b, vendor);
        cdr_buf_puts(b, ",\"status\":");
        put_int(b, resp->status);
        cdr_buf_puts(b, ",\"vendor_code\":");
        cdr_buf_json_string(b, resp->vendor_code);
        cdr_buf_puts(b, ",\"latency_ms\":");
        put_latency(b, latency_us);
        cdr_buf_puts(b, "}\n");
    } else {
        cdr_buf_puts(b, ts);
        cdr_buf_puts(b, " ");
        put_printable(b, req->method);
        cdr_buf_puts(b, " ");
        put_printable(b, req->path);
        cdr_buf_puts(b, " vendor=");
        put_printable(b, vendor);
        cdr_buf_puts(b, " status=");
        put_int(b, resp->status);
        cdr_buf_puts(b, " code=");
        put_printable(b, resp->vendor_code[0] ? resp->vendor_code : "-");
        cdr_buf_puts(b, " latency_ms=");
        put_latency(b, latency_us);
        cdr_buf_puts(b, "\n");
    }
}

void mock_log_request(struct mock_log *log, const struct mock_request *req,
                      const struct mock_response *resp, int64_t latency_us)
{
    if (!log)
        return;
    struct cdr_buf line;
    cdr_buf_init(&line);
    format_line(&line, log->format, req, resp, latency_us);
    if (!line.failed) {
        pthread_mutex_lock(&log->lock);
        while (log->pending.len > MAX_PENDING && !log->stop)
            pthread_cond_wait(&log->room, &log->lock);
        if (log->pending.len == 0)
            pthread_cond_signal(&log->ready);
        cdr_buf_append(&log->pending, line.data, line.len);
        log->pending.failed = false; /* a line lost to memory must not stop the log */
        pthread_mutex_unlock(&log->lock);
    }
    cdr_buf_free(&line);
}
