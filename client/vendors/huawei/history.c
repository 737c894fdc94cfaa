/* The CC-Management call history: one page of queryCallDetailRecord, every record of any range
 * (7-day windows, offset paging, the paging guard), and the recordings behind getRecordingAddress.
 * Facts: docs/vendors/huawei.md (call history, recordings). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/range.h"
#include "internal.h"
#include "retry.h"
#include "json_get.h"
#include "page_guard.h"

#define CDR_PATH "/apiaccess/CC-Management/v1/mobileAgent/queryCallDetailRecord"
#define RECORDING_PATH "/apiaccess/CC-Management/v1/mobileAgent/getRecordingAddress"

/* The longest window one query takes: its end second is sent to its last millisecond, so seven
 * days less a second keeps endTime - startTime within the page's seven days. */
#define WINDOW_SPAN (CDR_HUAWEI_HISTORY_MAX_SPAN - 1)

static cdr_error check_query(const struct cdr_huawei_history *h,
                             const struct cdr_huawei_history_filter *f, int64_t offset,
                             int64_t limit, struct cdr_error_info *err)
{
    if (f->start_time == CDR_TIME_NONE || f->end_time == CDR_TIME_NONE)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "the history needs a start and an end");
    if (h->unchecked)
        return CDR_OK;
    if (f->start_time > f->end_time)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "start time after end time");
    if (f->end_time - f->start_time > WINDOW_SPAN)
        return cdr_error_set(err, CDR_ERR_RANGE_TOO_LARGE,
                             "range longer than 7 days: use cdr_huawei_history_fetch_all to split "
                             "it");
    if (offset < 0 || limit < 1 || limit > CDR_HUAWEI_HISTORY_MAX_LIMIT)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "offset must be >= 0 and limit 1..100");
    if (f->caller && strlen(f->caller) > 32)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "the caller has at most 32 digits");
    return CDR_OK;
}

cdr_error cdr_huawei_history_query(struct cdr_huawei_history *h,
                                   const struct cdr_huawei_history_filter *filter, int64_t offset,
                                   int64_t limit, struct cdr_huawei_history_page *out,
                                   struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (!h || !filter)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing history client or filter");
    cdr_error rc = check_query(h, filter, offset, limit, err);
    if (rc != CDR_OK)
        return rc;
    /* Pages of limit records are what a server counting pages skips by. */
    int64_t sent = h->offset == CDR_HUAWEI_OFFSET_PAGES && limit > 0 ? offset / limit : offset;
    char *body = cdr__huawei_history_body(filter, sent, limit);
    if (!body)
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    struct cdr_http_response resp;
    rc = cdr__huawei_fabric_post(h, CDR_PATH, body, &resp, err);
    free(body);
    if (rc != CDR_OK)
        return rc;
    rc = cdr_huawei_parse_history(resp.body, resp.body_len, resp.status, out, err);
    cdr_http_response_free(&resp);
    return rc;
}

/* ---- every record of a range ----------------------------------------------------------------- */

struct fetch {
    struct cdr_huawei_history *h;
    struct cdr_huawei_history_filter window;
    int64_t limit;
    cdr_record_fn on_record;
    cdr_progress_fn on_progress;
    void *user;
    struct cdr_progress progress;
    struct cdr__page_guard guard;
    bool stop;
};

/* One window, page after page until its total: false on an error (err filled) or a stop. */
static cdr_error fetch_window(struct fetch *f, bool first, struct cdr_error_info *err)
{
    cdr__page_guard_begin_run(&f->guard);
    int64_t offset = 0, total = -1;
    f->progress.page = 0;
    f->progress.pages = -1;
    for (;;) {
        struct cdr_huawei_history_page p;
        cdr_error rc = cdr_huawei_history_query(f->h, &f->window, offset, f->limit, &p, err);
        if (rc != CDR_OK)
            return rc;
        /* "No data found" states no total: an empty page, judged against the run's total. */
        if (!p.no_data)
            total = p.total;
        struct cdr__page_seen seen = {.asked_page = offset,
                                      .asked_size = f->limit,
                                      .echoed_page = -1,
                                      .echoed_size = -1,
                                      .total = p.no_data ? -1 : p.total,
                                      .count = p.record_count};
        rc = cdr__page_guard_page(&f->guard, &seen, err);
        for (size_t i = 0; rc == CDR_OK && i < p.record_count && !f->stop; i++) {
            const struct cdr_record *r = &p.records[i];
            /* Windows share their boundary second: its records may come in both. */
            bool boundary = !first && r->start_time == f->window.start_time;
            bool is_new;
            rc = cdr__page_guard_record(&f->guard, r->id, boundary, &is_new, err);
            if (rc == CDR_OK && is_new) {
                f->progress.records_seen++;
                f->stop = f->on_record(f->user, r) != 0;
            }
        }
        offset += (int64_t)p.record_count;
        bool last = p.record_count < (size_t)f->limit || total < 0 || offset >= total;
        cdr_huawei_history_page_free(&p);
        if (rc != CDR_OK || f->stop)
            return rc;
        f->progress.page++;
        f->progress.pages = total < 0 ? 0 : total / f->limit + (total % f->limit != 0);
        /* A window's total is the whole query's only when there is one window. */
        f->progress.total = f->progress.window_count > 1 ? -1 : total < 0 ? 0 : total;
        if (f->on_progress)
            f->on_progress(f->user, &f->progress);
        if (last)
            return cdr__page_guard_end_run(&f->guard, err);
    }
}

cdr_error cdr_huawei_history_fetch_all(struct cdr_huawei_history *h,
                                       const struct cdr_huawei_history_filter *filter,
                                       int64_t limit, cdr_record_fn on_record,
                                       cdr_progress_fn on_progress, void *user,
                                       struct cdr_error_info *err)
{
    if (!h || !filter || !on_record)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client, filter or callback");
    if (filter->start_time == CDR_TIME_NONE || filter->end_time == CDR_TIME_NONE ||
        filter->start_time > filter->end_time)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                             "the history needs a start and an end, in order");
    if (limit == 0)
        limit = CDR_HUAWEI_HISTORY_MAX_LIMIT;
    size_t n = cdr_split_range(filter->start_time, filter->end_time, WINDOW_SPAN, NULL, 0);
    struct cdr_window *windows = calloc(n, sizeof(*windows));
    if (!windows)
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    cdr_split_range(filter->start_time, filter->end_time, WINDOW_SPAN, windows, n);
    struct fetch f = {h, *filter, limit, on_record, on_progress, user, {0}, {0}, false};
    f.progress.window_count = n;
    f.progress.total = -1;
    cdr__page_guard_init(&f.guard);
    cdr_error rc = CDR_OK;
    for (size_t w = 0; w < n && rc == CDR_OK && !f.stop; w++) {
        f.window.start_time = windows[w].start;
        f.window.end_time = windows[w].end;
        f.progress.window = w + 1;
        rc = fetch_window(&f, w == 0, err);
    }
    cdr__page_guard_free(&f.guard);
    free(windows);
    return rc;
}

/* ---- recordings ------------------------------------------------------------------------------ */

cdr_error cdr_huawei_recording_url(struct cdr_huawei_history *h, const char *call_serial_no,
                                   char **url, struct cdr_error_info *err)
{
    *url = NULL;
    if (!h || !call_serial_no || !call_serial_no[0])
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client or call serial number");
    char *body = cdr__huawei_serial_body(call_serial_no);
    if (!body)
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    struct cdr_http_response resp;
    cdr_error rc = cdr__huawei_fabric_post(h, RECORDING_PATH, body, &resp, err);
    free(body);
    if (rc != CDR_OK)
        return rc;
    rc = resp.status == 200 ? cdr__huawei_parse_recording(resp.body, resp.body_len, url, err)
                            : cdr__huawei_gateway_error(&resp, "getRecordingAddress", err);
    cdr_http_response_free(&resp);
    return rc;
}

/* An object store's refusal (S3-style XML): its <Code>, kept as the vendor code. */
static cdr_error store_error(const struct cdr_http_response *resp, struct cdr_error_info *err)
{
    char code[64] = "";
    const char *open = resp->body ? strstr(resp->body, "<Code>") : NULL;
    const char *close = open ? strstr(open, "</Code>") : NULL;
    if (open && close && close - open - 6 < (long)sizeof(code))
        snprintf(code, sizeof(code), "%.*s", (int)(close - open - 6), open + 6);
    cdr_error kind = resp->status == 403   ? CDR_ERR_AUTH
                     : resp->status == 404 ? CDR_ERR_NOT_FOUND
                                           : CDR_ERR_HTTP;
    char message[96];
    snprintf(message, sizeof(message), "the recording's URL was refused (HTTP %ld)", resp->status);
    return cdr_error_set_vendor(err, kind, resp->status, code, message);
}

/* GETs the URL; on CDR_OK the bytes went to write. */
static cdr_error download_url(struct cdr_huawei_history *h, const char *url,
                              cdr_huawei_write_fn write, void *user, struct cdr_error_info *err)
{
    struct cdr_http_request req = {"GET", url, NULL, 0, NULL, 0, true};
    struct cdr_http_response resp;
    cdr_error rc = cdr__retry_send(h->http, &req, &resp, err);
    if (rc != CDR_OK)
        return rc;
    rc = resp.status == 200 ? cdr__huawei_write_all(resp.body, resp.body_len, write, user, err)
                            : store_error(&resp, err);
    cdr_http_response_free(&resp);
    return rc;
}

cdr_error cdr_huawei_recording_download(struct cdr_huawei_history *h, const char *call_serial_no,
                                        cdr_huawei_write_fn write, void *user,
                                        struct cdr_error_info *err)
{
    if (!write)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing write callback");
    cdr_error rc = CDR_OK;
    /* A URL lives five minutes: one that expired on the way is asked for again, once. */
    for (int attempt = 0; attempt < 2; attempt++) {
        char *url;
        if ((rc = cdr_huawei_recording_url(h, call_serial_no, &url, err)) != CDR_OK)
            return rc;
        rc = download_url(h, url, write, user, err);
        free(url);
        if (rc != CDR_ERR_AUTH)
            break;
    }
    return rc;
}
