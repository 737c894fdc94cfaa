/* What every command of cdrsim-client shares: reading input, printing records and errors,
 * transport options, integers, progress. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cdrsim/buf.h"
#include "cdrsim/http.h"
#include "cli.h"

char *cli_read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cdrsim-client: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    struct cdr_buf b;
    cdr_buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        cdr_buf_append(&b, chunk, n);
    bool read_error = ferror(f);
    if (f != stdin)
        fclose(f);
    if (read_error || b.failed) {
        fprintf(stderr, "cdrsim-client: cannot read %s\n", path);
        cdr_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return cdr_buf_steal(&b);
}

/* rec as a JSON line on stdout, written from line (emptied first, its memory kept). */
static bool print_record_in(struct cdr_buf *line, const struct cdr_record *rec, bool include_raw)
{
    line->len = 0;
    line->failed = false;
    return cdr_buf_reserve(line, 1024) && cdr_record_append_json(line, rec, include_raw) &&
           cdr_buf_append(line, "\n", 1) && fwrite(line->data, 1, line->len, stdout) == line->len;
}

bool cli_print_record(const struct cdr_record *rec, bool include_raw)
{
    struct cdr_buf line;
    cdr_buf_init(&line);
    bool ok = print_record_in(&line, rec, include_raw);
    cdr_buf_free(&line);
    return ok;
}

int cli_print_records(const struct cdr_record *records, size_t count, bool include_raw)
{
    for (size_t i = 0; i < count; i++)
        if (!cli_print_record(&records[i], include_raw))
            return CLI_FAILED;
    return CLI_OK;
}

#define BATCH_BYTES (64 * 1024)

/* The records gathered in the sink's line out to stdout. */
static bool write_batch(struct cli_record_sink *sink)
{
    struct cdr_buf *b = &sink->line;
    bool ok = !b->failed && fwrite(b->data, 1, b->len, stdout) == b->len;
    b->len = 0;
    return ok;
}

int cli_sink_record(void *user, const struct cdr_record *rec)
{
    struct cli_record_sink *sink = user;
    if (sink->batch) {
        struct cdr_buf *b = &sink->line;
        if (!cdr_record_append_json(b, rec, sink->raw) || !cdr_buf_append(b, "\n", 1) ||
            (b->len >= BATCH_BYTES && !write_batch(sink))) {
            sink->write_failed = true;
            return 1;
        }
        return 0;
    }
    if (!print_record_in(&sink->line, rec, sink->raw)) {
        sink->write_failed = true;
        return 1;
    }
    return 0;
}

int cli_fetch_status(const char *what, cdr_error rc, const struct cdr_error_info *err,
                     struct cli_record_sink *sink)
{
    if (sink->batch && sink->line.len && !sink->write_failed && !write_batch(sink))
        sink->write_failed = true;
    cdr_buf_free(&sink->line);
    if (rc != CDR_OK) {
        cli_print_error(what, rc, err);
        return CLI_FAILED;
    }
    if (sink->write_failed || fflush(stdout) != 0) {
        fprintf(stderr, "cdrsim-client: %s: cannot write to stdout\n", what);
        return CLI_FAILED;
    }
    return CLI_OK;
}

void cli_print_error(const char *what, cdr_error code, const struct cdr_error_info *err)
{
    fprintf(stderr, "cdrsim-client: %s: %s", what, cdr_error_name(code));
    if (err && err->message[0]) {
        /* Vendor texts may hold line breaks (a signature's string to sign does): keep the
         * reason on one line. */
        fputs(": ", stderr);
        for (const char *p = err->message; *p; p++) {
            if (*p == '\n')
                fputs("\\n", stderr);
            else
                fputc(*p == '\r' || *p == '\t' ? ' ' : *p, stderr);
        }
    }
    if (err && err->vendor_code[0])
        fprintf(stderr, " (vendor code %s", err->vendor_code);
    if (err && err->http_status)
        fprintf(stderr, "%sHTTP %ld)", err->vendor_code[0] ? ", " : " (", err->http_status);
    else if (err && err->vendor_code[0])
        fputs(")", stderr);
    fputc('\n', stderr);
}

bool cli_parse_int(const char *text, int64_t min, int64_t max, int64_t *out)
{
    if (!text || !*text)
        return false;
    errno = 0;
    char *end;
    long long v = strtoll(text, &end, 10);
    if (errno || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

const char *cli_arg_or_env(const char *arg, const char *env_name)
{
    if (arg)
        return arg;
    const char *v = getenv(env_name);
    return v && *v ? v : NULL;
}

void cli_progress_init(struct cli_progress *p, const char *what, bool asked)
{
    memset(p, 0, sizeof(*p));
    p->what = what;
    p->in_place = isatty(STDERR_FILENO);
    p->on = asked || p->in_place;
}

static void show(struct cli_progress *p, const char *text)
{
    if (p->in_place)
        fprintf(stderr, "\r\033[K%s", text);
    else
        fprintf(stderr, "%s\n", text);
    fflush(stderr);
}

void cli_progress_step(struct cli_progress *p, const char *fmt, ...)
{
    if (!p->on)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->step, sizeof(p->step), fmt, ap);
    va_end(ap);
    p->step_count++;
    show(p, p->step);
}

void cli_progress_wait(void *progress, const struct cdr_http_wait *wait)
{
    struct cli_progress *p = progress;
    if (!p->on)
        return;
    const struct cdr_error_info *why = wait->why;
    /* "rate_limited (Throttling.User, HTTP 400)": the code, and what the server said it was. */
    char reason[96];
    int n = snprintf(reason, sizeof(reason), "%s", cdr_error_name(why->code));
    const char *open = " (";
    if (why->vendor_code[0]) {
        n += snprintf(reason + n, sizeof(reason) - (size_t)n, "%s%s", open, why->vendor_code);
        open = ", ";
    }
    if (why->http_status)
        n += snprintf(reason + n, sizeof(reason) - (size_t)n, "%sHTTP %ld", open, why->http_status);
    if (why->vendor_code[0] || why->http_status)
        snprintf(reason + n, sizeof(reason) - (size_t)n, ")");
    char text[384];
    snprintf(text, sizeof(text), "%s%s%s, waiting %.1f s (%s) before retry %d of %d",
             p->step[0] ? p->step : p->what, p->step[0] ? "; " : ": ", reason,
             (double)wait->wait_ms / 1000.0, wait->server_asked ? "Retry-After" : "backoff",
             wait->retry, wait->max_retries);
    show(p, text);
}

void cli_progress_done(struct cli_progress *p)
{
    if (p->on && p->in_place)
        fputs("\r\033[K", stderr);
}

bool cli_http_option(int opt, const char *arg, struct cdr_http_options *http, bool *ok)
{
    int64_t n = 0; /* read only when parsed, but gcc -O3 cannot tell */
    switch (opt) {
    case CLI_OPT_TIMEOUT:
        /* A value that does not parse leaves the option as it was (n is unset then). */
        *ok = cli_parse_int(arg, 1, 3600000, &n);
        if (*ok)
            http->timeout_ms = (long)n;
        return true;
    case CLI_OPT_RETRIES:
        *ok = cli_parse_int(arg, 0, 10, &n);
        if (*ok)
            http->max_retries = (int)n;
        return true;
    case CLI_OPT_MAX_WAIT:
        *ok = cli_parse_int(arg, 0, 3600000, &n);
        http->max_wait_ms = (long)n;
        return true;
    case CLI_OPT_INSECURE:
        http->insecure = true;
        return true;
    case CLI_OPT_CA_FILE:
        http->ca_file = arg;
        return true;
    default:
        return false;
    }
}
