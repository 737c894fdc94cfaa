/* The ITNIO client: signed requests over one connection, a page of records, a whole range split
 * into windows of at most 93 days, and the agent-group and agent queries. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cdrsim/buf.h"
#include "cdrsim/range.h"
#include "internal.h"
#include "json_get.h"
#include "page_guard.h"
#include "retry.h"

void cdr_itnio_options_default(struct cdr_itnio_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    cdr_http_options_default(&opts->http);
}

static int64_t wall_clock(void *user)
{
    (void)user;
    return (int64_t)time(NULL);
}

struct cdr_itnio_client *cdr_itnio_client_new(const struct cdr_itnio_options *opts,
                                              struct cdr_error_info *err)
{
    if (!opts || !opts->base_url || !opts->api_key || !opts->api_secret) {
        cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                      "base URL, API key and API secret are required");
        return NULL;
    }
    struct cdr_itnio_client *c = calloc(1, sizeof(*c));
    if (!c) {
        cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        return NULL;
    }
    c->base_url = cdr__json_base_url(opts->base_url);
    c->api_key = strdup(opts->api_key);
    c->api_secret = strdup(opts->api_secret);
    c->clock = opts->clock ? opts->clock : wall_clock;
    c->clock_user = opts->clock_user;
    c->unchecked = opts->unchecked;
    c->skip_raw = opts->skip_raw;
    if (!c->base_url || !c->api_key || !c->api_secret) {
        cdr_itnio_client_free(c);
        cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        return NULL;
    }
    c->http = cdr_http_new(&opts->http, err);
    if (!c->http) {
        cdr_itnio_client_free(c);
        return NULL;
    }
    return c;
}

void cdr_itnio_client_free(struct cdr_itnio_client *c)
{
    if (!c)
        return;
    cdr_http_free(c->http);
    free(c->base_url);
    free(c->api_key);
    free(c->api_secret);
    free(c);
}

cdr_error cdr__itnio_send(struct cdr_itnio_client *c, const char *path, const char *body,
                          struct cdr_http_response *resp, struct cdr_error_info *err)
{
    int64_t ts = c->clock(c->clock_user);
    char *sign = cdr_itnio_sign(c->api_key, c->api_secret, ts);
    struct cdr_buf url, key_h, ts_h, sign_h;
    cdr_buf_init(&url);
    cdr_buf_init(&key_h);
    cdr_buf_init(&ts_h);
    cdr_buf_init(&sign_h);
    cdr_buf_printf(&url, "%s%s", c->base_url, path);
    cdr_buf_printf(&key_h, "Api-Key: %s", c->api_key);
    cdr_buf_printf(&ts_h, "Timestamp: %" PRId64, ts);
    cdr_buf_printf(&sign_h, "Sign: %s", sign ? sign : "");
    cdr_error rc;
    if (!sign || url.failed || key_h.failed || ts_h.failed || sign_h.failed) {
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    } else {
        const char *headers[] = {"Content-Type: application/json;charset=UTF-8", key_h.data,
                                 ts_h.data, sign_h.data};
        /* Every ITNIO endpoint used here is a read: safe to retry despite being a POST. */
        struct cdr_http_request req = {body ? "POST" : "GET",   url.data, headers, 4, body,
                                       body ? strlen(body) : 0, true};
        rc = cdr_http_send(c->http, &req, resp, err);
        if (rc == CDR_OK && resp->status != 200) {
            long st = resp->status;
            cdr_error code = st == 401 || st == 403 ? CDR_ERR_AUTH
                             : st == 404            ? CDR_ERR_NOT_FOUND
                             : st == 429            ? CDR_ERR_RATE_LIMITED
                                                    : CDR_ERR_HTTP;
            cdr_error_set(err, code, "HTTP %ld from %.*s", st, (int)strcspn(path, "?"), path);
            if (err)
                err->http_status = st;
            cdr_http_response_free(resp);
            rc = code;
        }
    }
    free(sign);
    cdr_buf_free(&url);
    cdr_buf_free(&key_h);
    cdr_buf_free(&ts_h);
    cdr_buf_free(&sign_h);
    return rc;
}

cdr_error cdr__itnio_query(struct cdr_itnio_client *c, const char *path, const char *body,
                           cdr__itnio_parse_fn parse, void *out, struct cdr_error_info *err)
{
    struct cdr__retry retry;
    cdr__retry_init(&retry, cdr__http_options(c->http));
    /* The vendor's code decides a retry, so it is read even when the caller wants no details. */
    struct cdr_error_info local;
    struct cdr_error_info *e = err ? err : &local;
    for (;;) {
        struct cdr_http_response resp;
        cdr_error rc = cdr__itnio_send(c, path, body, &resp, e);
        if (rc == CDR_OK) {
            /* cdr__itnio_send refuses every status but 200: a failure here is the answer's. */
            if ((rc = parse(resp.body, resp.body_len, out, e)) != CDR_OK && e->http_status == 0)
                e->http_status = 200;
            cdr_http_response_free(&resp);
        }
        /* -23 (a quota) and -18 (the vendor's "system exception", a server-side failure) are
         * asked again; every ITNIO call here is a read, safe to repeat. */
        bool again = rc == CDR_ERR_RATE_LIMITED || cdr__itnio_status_transient(rc, e->vendor_code);
        if (!again || !cdr__retry_pause(&retry, cdr__http_last_retry_after_ms(c->http), rc, e))
            return rc;
    }
}

static cdr_error parse_records(const char *body, size_t len, void *out, struct cdr_error_info *err)
{
    return cdr__itnio_parse_page(body, len, true, out, err);
}

static cdr_error parse_records_without_raw(const char *body, size_t len, void *out,
                                           struct cdr_error_info *err)
{
    return cdr__itnio_parse_page(body, len, false, out, err);
}

static cdr_error parse_groups(const char *body, size_t len, void *out, struct cdr_error_info *err)
{
    return cdr__itnio_parse_list(body, len, true, out, err);
}

static cdr_error parse_seats(const char *body, size_t len, void *out, struct cdr_error_info *err)
{
    return cdr__itnio_parse_list(body, len, false, out, err);
}

static cdr_error check_range(const struct cdr_itnio_filter *f, struct cdr_error_info *err)
{
    if (f->start_time > f->end_time)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "start time after end time");
    if (f->end_time - f->start_time > CDR_ITNIO_MAX_RANGE_SECONDS)
        return cdr_error_set(err, CDR_ERR_RANGE_TOO_LARGE,
                             "range longer than 93 days: use cdr_itnio_fetch_all to split it");
    return CDR_OK;
}

cdr_error cdr_itnio_query_page(struct cdr_itnio_client *c, const struct cdr_itnio_filter *filter,
                               int64_t current, int64_t size, struct cdr_itnio_page *out,
                               struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (!c || !filter)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client or filter");
    cdr_error rc = CDR_OK;
    if (!c->unchecked) {
        if (current < 1 || size < 1 || size > CDR_ITNIO_MAX_PAGE_SIZE)
            return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                                 "page must be >= 1 and size 1..100");
        if ((rc = check_range(filter, err)) != CDR_OK)
            return rc;
    }
    char *body = cdr_itnio_query_body(filter, current, size);
    if (!body)
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    rc = cdr__itnio_query(c, "/v3/cc/record/query", body,
                          c->skip_raw ? parse_records_without_raw : parse_records, out, err);
    free(body);
    return rc;
}

/* ---- fetching a whole range ------------------------------------------------------------------ */

/* What one window's records are to the fetch: past the end the user asked for, on the second the
 * window shares with the one before it, or ordinary. */
struct window_edges {
    int64_t start;     /* the window's first second */
    bool shares_start; /* the window before it ends on that second */
    int64_t past_end;  /* the second after the user's end, asked for only to catch its records */
};

static enum cdr__page_mark mark_record(void *user, const struct cdr_record *r)
{
    const struct window_edges *e = user;
    if (r->start_time == e->past_end)
        return CDR__PAGE_OUTSIDE;
    return e->shares_start && r->start_time == e->start ? CDR__PAGE_BOUNDARY : CDR__PAGE_RECORD;
}

/* Pages through one window, its records checked by the guard (a run of its own: each window has
 * its own total) and delivered to the sink. */
static cdr_error fetch_window(struct cdr_itnio_client *c, const struct cdr_itnio_filter *f,
                              int64_t page_size, const struct window_edges *edges,
                              struct cdr__page_guard *guard, struct cdr__page_sink *sink,
                              cdr_itnio_progress_fn on_progress,
                              struct cdr_itnio_progress *progress, struct cdr_error_info *err)
{
    cdr__page_guard_begin_run(guard);
    cdr_error rc = CDR_OK;
    int64_t pages = 1;
    for (int64_t page = 1; page <= pages && rc == CDR_OK && !sink->stopped; page++) {
        struct cdr_itnio_page p;
        if ((rc = cdr_itnio_query_page(c, f, page, page_size, &p, err)) != CDR_OK)
            break;
        pages = p.pages;
        const struct cdr__page_seen seen = {page,    page_size,      p.current, p.size,
                                            p.total, p.record_count, p.pages};
        rc = cdr__page_guard_page(guard, &seen, err);
        if (rc == CDR_OK)
            rc = cdr__page_guard_deliver(guard, p.records, p.record_count, mark_record,
                                         (void *)edges, sink, err);
        cdr_itnio_page_free(&p);
        progress->page = page;
        progress->pages = pages;
        progress->records_seen = sink->delivered;
        if (on_progress && rc == CDR_OK)
            on_progress(sink->user, progress);
    }
    if (rc == CDR_OK && !sink->stopped)
        rc = cdr__page_guard_end_run(guard, err);
    return rc;
}

cdr_error cdr_itnio_fetch_all(struct cdr_itnio_client *c, const struct cdr_itnio_filter *filter,
                              int64_t page_size, cdr_record_fn on_record,
                              cdr_itnio_progress_fn on_progress, void *user,
                              struct cdr_error_info *err)
{
    if (!c || !filter || !on_record)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client, filter or callback");
    if (filter->start_time > filter->end_time)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "start time after end time");
    /* One second past the end is asked for too, and its records dropped: a server that treats
     * endTime as exclusive then still returns the records stamped exactly at the end. */
    int64_t asked_end = filter->end_time + 1;
    size_t nwin =
        cdr_split_range(filter->start_time, asked_end, CDR_ITNIO_MAX_RANGE_SECONDS, NULL, 0);
    struct cdr_window *windows = calloc(nwin, sizeof(*windows));
    if (!windows)
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    cdr_split_range(filter->start_time, asked_end, CDR_ITNIO_MAX_RANGE_SECONDS, windows, nwin);

    /* One guard for the whole fetch: an id is delivered once across every page and window. */
    struct cdr__page_guard guard;
    cdr__page_guard_init(&guard);
    struct cdr__page_sink sink = {on_record, user, 0, false};
    struct cdr_itnio_progress progress = {0, nwin, 0, 0, 0};
    cdr_error rc = CDR_OK;
    for (size_t w = 0; w < nwin && rc == CDR_OK && !sink.stopped; w++) {
        struct cdr_itnio_filter f = *filter;
        f.start_time = windows[w].start;
        f.end_time = windows[w].end;
        const struct window_edges edges = {f.start_time, w > 0, asked_end};
        progress.window = w + 1;
        rc = fetch_window(c, &f, page_size, &edges, &guard, &sink, on_progress, &progress, err);
    }
    cdr__page_guard_free(&guard);
    free(windows);
    return rc;
}

/* ---- agent groups and agents ----------------------------------------------------------------- */

static cdr_error check_paging(int64_t current, int64_t size, struct cdr_error_info *err)
{
    if (current < 1 || size < 1 || size > CDR_ITNIO_MAX_PAGE_SIZE)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "page must be >= 1 and size 1..100");
    return CDR_OK;
}

/* POSTs a list query's body (taking it; NULL means out of memory) and parses the answer. */
static cdr_error query_list(struct cdr_itnio_client *c, const char *path, char *body, bool groups,
                            struct cdr_itnio_list_page *out, struct cdr_error_info *err)
{
    if (!body)
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    cdr_error rc = cdr__itnio_query(c, path, body, groups ? parse_groups : parse_seats, out, err);
    free(body);
    return rc;
}

cdr_error cdr_itnio_query_groups(struct cdr_itnio_client *c, const char *group_name,
                                 int64_t current, int64_t size, struct cdr_itnio_list_page *out,
                                 struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (!c)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client");
    if (check_paging(current, size, err) != CDR_OK)
        return CDR_ERR_INVALID_ARGUMENT;
    return query_list(c, "/v3/cc/seatGroup/query",
                      cdr__itnio_groups_body(group_name, current, size), true, out, err);
}

void cdr_itnio_seat_filter_init(struct cdr_itnio_seat_filter *f)
{
    f->start_time = f->end_time = CDR_TIME_NONE;
    f->voice_group_id = f->enable = f->status = -1;
    f->name = NULL;
}

/* The statistics window: both ends or neither, in order, at most 32 days. */
static cdr_error check_seat_window(const struct cdr_itnio_seat_filter *f,
                                   struct cdr_error_info *err)
{
    bool has_start = f->start_time != CDR_TIME_NONE, has_end = f->end_time != CDR_TIME_NONE;
    if (has_start != has_end)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                             "the statistics window needs both ends (strTime and endTime)");
    if (has_start && f->start_time > f->end_time)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "start time after end time");
    if (has_start && f->end_time - f->start_time > CDR_ITNIO_MAX_SEAT_RANGE_SECONDS)
        return cdr_error_set(err, CDR_ERR_RANGE_TOO_LARGE,
                             "the agent statistics window spans at most 32 days");
    return CDR_OK;
}

cdr_error cdr_itnio_query_seats(struct cdr_itnio_client *c,
                                const struct cdr_itnio_seat_filter *filter, int64_t current,
                                int64_t size, struct cdr_itnio_list_page *out,
                                struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (!c || !filter)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client or filter");
    if (!c->unchecked) {
        cdr_error rc = check_paging(current, size, err);
        if (rc == CDR_OK)
            rc = check_seat_window(filter, err);
        if (rc != CDR_OK)
            return rc;
    }
    return query_list(c, "/v3/cc/seat/query", cdr__itnio_seats_body(filter, current, size), false,
                      out, err);
}
