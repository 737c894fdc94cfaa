/* Yunfu agent-api client: Bearer-authenticated GETs, paging through a task's records, one call's
 * detail (user_id NULL: the retired path), the token's validity. */
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "internal.h"
#include "json_get.h"
#include "page_guard.h"
#include "retry.h"

struct cdr_yunfu_client {
    struct cdr_http *http;
    char *base_url;
    char *auth_header; /* "Authorization: Bearer <token>" */
    bool skip_raw;
};

void cdr_yunfu_options_default(struct cdr_yunfu_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    cdr_http_options_default(&opts->http);
}

void cdr_yunfu_filter_init(struct cdr_yunfu_filter *f)
{
    memset(f, 0, sizeof(*f));
    f->start_time = f->end_time = f->hangup_from = f->hangup_to = CDR_TIME_NONE;
}

/* ---- client ---------------------------------------------------------------------------------- */

static bool header_safe(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return false;
    return true;
}

struct cdr_yunfu_client *cdr_yunfu_client_new(const struct cdr_yunfu_options *opts,
                                              struct cdr_error_info *err)
{
    if (!opts || !opts->base_url || !opts->token || !opts->token[0]) {
        cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "base URL and token are required");
        return NULL;
    }
    if (!header_safe(opts->token)) {
        cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "the token contains control characters");
        return NULL;
    }
    struct cdr_yunfu_client *c = calloc(1, sizeof(*c));
    if (!c) {
        cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        return NULL;
    }
    c->skip_raw = opts->skip_raw;
    c->base_url = cdr__json_base_url(opts->base_url);
    struct cdr_buf auth;
    cdr_buf_init(&auth);
    cdr_buf_printf(&auth, "Authorization: Bearer %s", opts->token);
    c->auth_header = cdr_buf_steal(&auth);
    if (!c->base_url || !c->auth_header) {
        cdr_yunfu_client_free(c);
        cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        return NULL;
    }
    if (!(c->http = cdr_http_new(&opts->http, err))) {
        cdr_yunfu_client_free(c);
        return NULL;
    }
    return c;
}

void cdr_yunfu_client_free(struct cdr_yunfu_client *c)
{
    if (!c)
        return;
    cdr_http_free(c->http);
    free(c->base_url);
    free(c->auth_header);
    free(c);
}

cdr_error cdr__yunfu_get(struct cdr_yunfu_client *c, const char *path, const char *query,
                         const char *url, struct cdr_http_response *resp,
                         struct cdr_error_info *err)
{
    struct cdr_buf full;
    cdr_buf_init(&full);
    if (url)
        cdr_buf_puts(&full, url);
    else
        cdr_buf_printf(&full, "%s%s%s%s", c->base_url, path, query && query[0] ? "?" : "",
                       query ? query : "");
    if (full.failed) {
        cdr_buf_free(&full);
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    }
    /* Accept: application/json makes Laravel answer its own errors as JSON rather than HTML. A
     * whole URL (a play link) carries its own signature: the token is not sent along. */
    const char *headers[] = {"Accept: application/json", "Content-Type: application/json",
                             c->auth_header};
    struct cdr_http_request req = {"GET", full.data, headers, url ? 2 : 3, NULL, 0, true};
    cdr_error rc = cdr_http_send(c->http, &req, resp, err);
    cdr_buf_free(&full);
    return rc;
}

cdr_error cdr__yunfu_get_taken(struct cdr_yunfu_client *c, const char *path, const char *query,
                               const char *url, cdr__yunfu_take_fn take, void *ctx,
                               struct cdr_error_info *err)
{
    struct cdr__retry retry;
    cdr__retry_init(&retry, cdr__http_options(c->http));
    for (;;) {
        struct cdr_http_response resp;
        cdr_error rc = cdr__yunfu_get(c, path, query, url, &resp, err);
        if (rc == CDR_OK) {
            rc = take(ctx, &resp, err);
            cdr_http_response_free(&resp);
        }
        if (rc != CDR_ERR_RATE_LIMITED ||
            !cdr__retry_pause(&retry, cdr__http_last_retry_after_ms(c->http), rc, err))
            return rc;
    }
}

struct parsing {
    cdr__yunfu_parse_fn parse;
    void *out;
};

static cdr_error take_parsed(void *ctx, const struct cdr_http_response *resp,
                             struct cdr_error_info *err)
{
    const struct parsing *p = ctx;
    return p->parse(resp->body, resp->body_len, resp->status, p->out, err);
}

cdr_error cdr__yunfu_get_parsed(struct cdr_yunfu_client *c, const char *path, const char *query,
                                cdr__yunfu_parse_fn parse, void *out, struct cdr_error_info *err)
{
    struct parsing p = {parse, out};
    return cdr__yunfu_get_taken(c, path, query, NULL, take_parsed, &p, err);
}

static cdr_error parse_page(const char *body, size_t len, long http_status, void *out,
                            struct cdr_error_info *err)
{
    return cdr_yunfu_parse_page(body, len, http_status, out, err);
}

static cdr_error parse_page_without_raw(const char *body, size_t len, long http_status, void *out,
                                        struct cdr_error_info *err)
{
    return cdr__yunfu_parse_page(body, len, http_status, false, out, err);
}

static cdr_error parse_detail(const char *body, size_t len, long http_status, void *out,
                              struct cdr_error_info *err)
{
    return cdr_yunfu_parse_detail(body, len, http_status, out, err);
}

static cdr_error parse_token(const char *body, size_t len, long http_status, void *out,
                             struct cdr_error_info *err)
{
    return cdr_yunfu_parse_token(body, len, http_status, out, err);
}

cdr_error cdr_yunfu_list_page(struct cdr_yunfu_client *c, const char *user_id, const char *task_id,
                              const struct cdr_yunfu_filter *filter, int64_t page, int64_t per_page,
                              struct cdr_yunfu_page *out, struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (!c || !task_id)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client or task id");
    if (page < 1)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "page must be >= 1");
    if (filter && (filter->hangup_from == CDR_TIME_NONE) != (filter->hangup_to == CDR_TIME_NONE))
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "a hang-up range needs both ends");
    char *path = cdr_yunfu_list_path(user_id, task_id);
    char *query = cdr_yunfu_list_query(filter, page, per_page);
    cdr_error rc =
        !path || !query
            ? cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory")
            : cdr__yunfu_get_parsed(c, path, query,
                                    c->skip_raw ? parse_page_without_raw : parse_page, out, err);
    free(path);
    free(query);
    return rc;
}

/* ---- a whole task ---------------------------------------------------------------------------- */

static int64_t newest_call(const struct cdr_yunfu_page *p)
{
    int64_t newest = CDR_TIME_NONE;
    for (size_t i = 0; i < p->record_count; i++)
        if (p->records[i].start_time != CDR_TIME_NONE && p->records[i].start_time > newest)
            newest = p->records[i].start_time;
    return newest;
}

/* Whether the page runs newest call first, as the mock's default: its first call is the newest.
 * The order is not documented; an oldest-first server's first page holds the oldest calls, and
 * pinning the range to them would cut the rest off. A single call tells nothing. */
static bool newest_first(const struct cdr_yunfu_page *p)
{
    int64_t previous = CDR_TIME_NONE;
    size_t dated = 0;
    for (size_t i = 0; i < p->record_count; i++) {
        int64_t t = p->records[i].start_time;
        if (t == CDR_TIME_NONE)
            continue;
        if (dated++ && t > previous)
            return false;
        previous = t;
    }
    return dated >= 2 || (dated == 1 && p->total <= 1);
}

cdr_error cdr_yunfu_fetch_all(struct cdr_yunfu_client *c, const char *user_id, const char *task_id,
                              const struct cdr_yunfu_filter *filter, int64_t per_page,
                              cdr_record_fn on_record, cdr_yunfu_progress_fn on_progress,
                              void *user, struct cdr_error_info *err)
{
    if (!c || !task_id || !on_record)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client, task id or callback");
    struct cdr_yunfu_filter f;
    if (filter)
        f = *filter;
    else
        cdr_yunfu_filter_init(&f);
    struct cdr__page_guard guard;
    cdr__page_guard_init(&guard);
    struct cdr__page_sink sink = {on_record, user, 0, false};
    struct cdr_yunfu_progress progress = {0, 1, 0, 0};
    cdr_error rc = CDR_OK;
    for (int64_t page = 1; page <= progress.last_page && rc == CDR_OK && !sink.stopped; page++) {
        struct cdr_yunfu_page p;
        if ((rc = cdr_yunfu_list_page(c, user_id, task_id, &f, page, per_page, &p, err)) != CDR_OK)
            break;
        if (page == 1) {
            progress.total = p.total;
            /* Newest first: calls made while paging would push older ones onto later pages. */
            if (f.end_time == CDR_TIME_NONE && newest_first(&p))
                f.end_time = newest_call(&p);
        }
        /* Without per_page the server picks the size: nothing to compare. */
        const struct cdr__page_seen seen = {
            page,           per_page > 0 ? per_page : -1,
            p.current_page, per_page > 0 && p.per_page > 0 ? p.per_page : -1,
            p.total,        p.record_count,
            p.last_page};
        rc = cdr__page_guard_page(&guard, &seen, err);
        if (rc == CDR_OK)
            rc = cdr__page_guard_deliver(&guard, p.records, p.record_count, NULL, NULL, &sink, err);
        progress.page = page;
        progress.last_page = p.last_page;
        progress.records_seen = sink.delivered;
        cdr_yunfu_page_free(&p);
        if (on_progress && rc == CDR_OK)
            on_progress(user, &progress);
    }
    if (rc == CDR_OK && !sink.stopped)
        rc = cdr__page_guard_end_run(&guard, err);
    cdr__page_guard_free(&guard);
    return rc;
}

/* ---- one call, the token --------------------------------------------------------------------- */

cdr_error cdr_yunfu_get_detail(struct cdr_yunfu_client *c, const char *user_id, const char *task_id,
                               const char *record_id, const char *sub_user_id,
                               struct cdr_yunfu_detail *out, struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (!c || !task_id || !record_id)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client, task or record id");
    char *path = cdr__yunfu_task_path(user_id, task_id, "detail", record_id, NULL);
    char *query = cdr__yunfu_detail_query(sub_user_id);
    cdr_error rc = !path || !query ? cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory")
                                   : cdr__yunfu_get_parsed(c, path, query, parse_detail, out, err);
    free(path);
    free(query);
    return rc;
}

cdr_error cdr_yunfu_get_token_info(struct cdr_yunfu_client *c, struct cdr_yunfu_token_info *out,
                                   struct cdr_error_info *err)
{
    if (!c || !out)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client or output");
    return cdr__yunfu_get_parsed(c, "/agent-api/token", NULL, parse_token, out, err);
}
