/* Yunfu agent-api client: request URLs in PHP's bracket syntax, Bearer-authenticated GETs, paging
 * through a task's records, one call's detail, the token's validity. Parsing: yunfu_parse.c. */
#include "cdrsim/yunfu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "cdrsim/sign.h"
#include "cdrsim/timefmt.h"
#include "json_get.h"

struct cdr_yunfu_client {
    struct cdr_http *http;
    char *base_url;
    char *auth_header; /* "Authorization: Bearer <token>" */
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

/* ---- URLs ------------------------------------------------------------------------------------ */

static void put_encoded(struct cdr_buf *b, const char *text)
{
    char *enc = cdr_percent_encode(text, strlen(text));
    if (!enc)
        b->failed = true;
    else
        cdr_buf_puts(b, enc);
    free(enc);
}

char *cdr_yunfu_list_path(const char *user_id, const char *task_id)
{
    if (!task_id)
        return NULL;
    struct cdr_buf b;
    cdr_buf_init(&b);
    if (user_id) {
        cdr_buf_puts(&b, "/agent-api/user/");
        put_encoded(&b, user_id);
    } else {
        cdr_buf_puts(&b, "/agent-api"); /* the retired form: the system's default cloud node */
    }
    cdr_buf_puts(&b, "/task/");
    put_encoded(&b, task_id);
    cdr_buf_puts(&b, "/record");
    return cdr_buf_steal(&b);
}

/* name=value with both percent-encoded, so "levels[0][]" travels as "levels%5B0%5D%5B%5D". */
static void put_param(struct cdr_buf *b, const char *name, const char *value)
{
    if (b->len)
        cdr_buf_puts(b, "&");
    put_encoded(b, name);
    cdr_buf_puts(b, "=");
    put_encoded(b, value);
}

static void put_int_param(struct cdr_buf *b, const char *name, int64_t value)
{
    char text[24];
    snprintf(text, sizeof(text), "%lld", (long long)value);
    put_param(b, name, text);
}

static void put_time_param(struct cdr_buf *b, const char *name, int64_t t)
{
    char text[CDR_LOCAL_TIME_LEN + 1];
    cdr_time_format_local(t, CDR_CHINA_OFFSET_SECONDS, text); /* the vendor's wall clock, UTC+8 */
    put_param(b, name, text);
}

char *cdr_yunfu_list_query(const struct cdr_yunfu_filter *f, int64_t page, int64_t per_page)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "");
    put_int_param(&b, "page", page);
    if (per_page > 0)
        put_int_param(&b, "per_page", per_page);
    if (f && f->keyword)
        put_param(&b, "keyword", f->keyword);
    if (f && f->start_time != CDR_TIME_NONE)
        put_time_param(&b, "start_at", f->start_time);
    if (f && f->end_time != CDR_TIME_NONE)
        put_time_param(&b, "end_at", f->end_time);
    for (size_t i = 0; f && i < f->level_count; i++) {
        char name[48];
        snprintf(name, sizeof(name), "levels[%zu][]", i);
        put_int_param(&b, name, f->levels[i].min);
        put_int_param(&b, name, f->levels[i].max);
    }
    for (size_t i = 0; f && i < f->intention_tag_count; i++)
        put_int_param(&b, "intention_tags[]", f->intention_tags[i]);
    if (f && f->hangup_from != CDR_TIME_NONE && f->hangup_to != CDR_TIME_NONE) {
        put_time_param(&b, "hangup_date[]", f->hangup_from);
        put_time_param(&b, "hangup_date[]", f->hangup_to);
    }
    if (f && f->sub_user_id)
        put_param(&b, "sub_user_id", f->sub_user_id);
    return cdr_buf_steal(&b);
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
    c->base_url = json_base_url(opts->base_url);
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

/* GETs base_url + path [+ "?" + query]; on CDR_OK resp holds whatever HTTP answer arrived (the
 * parsers map the status). */
static cdr_error get(struct cdr_yunfu_client *c, const char *path, const char *query,
                     struct cdr_http_response *resp, struct cdr_error_info *err)
{
    struct cdr_buf url;
    cdr_buf_init(&url);
    cdr_buf_printf(&url, "%s%s%s%s", c->base_url, path, query && query[0] ? "?" : "",
                   query ? query : "");
    if (url.failed) {
        cdr_buf_free(&url);
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    }
    /* Accept: application/json makes Laravel answer its own errors as JSON rather than HTML. */
    const char *headers[] = {c->auth_header, "Accept: application/json",
                             "Content-Type: application/json"};
    struct cdr_http_request req = {"GET", url.data, headers, 3, NULL, 0, true};
    cdr_error rc = cdr_http_send(c->http, &req, resp, err);
    cdr_buf_free(&url);
    return rc;
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
    cdr_error rc;
    struct cdr_http_response resp;
    if (!path || !query) {
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    } else if ((rc = get(c, path, query, &resp, err)) == CDR_OK) {
        rc = cdr_yunfu_parse_page(resp.body, resp.body_len, resp.status, out, err);
        cdr_http_response_free(&resp);
    }
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

/* Checks one page against what the server promised; CDR_OK or a malformed-response error. */
static cdr_error check_page(const struct cdr_yunfu_page *p, int64_t page, int64_t total,
                            int64_t seen, struct cdr_error_info *err)
{
    if (p->current_page != page)
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "asked for page %lld, got page %lld",
                             (long long)page, (long long)p->current_page);
    if ((int64_t)p->record_count > total - seen)
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "more records than the total of %lld",
                             (long long)total);
    if (p->record_count == 0 && page < p->last_page)
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "page %lld of %lld is empty",
                             (long long)page, (long long)p->last_page);
    return CDR_OK;
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
    struct cdr_yunfu_progress progress = {0, 1, 0, 0};
    cdr_error rc = CDR_OK;
    bool stop = false;
    for (int64_t page = 1; page <= progress.last_page && rc == CDR_OK && !stop; page++) {
        struct cdr_yunfu_page p;
        if ((rc = cdr_yunfu_list_page(c, user_id, task_id, &f, page, per_page, &p, err)) != CDR_OK)
            break;
        if (page == 1) {
            progress.total = p.total;
            /* Newest first: calls made while paging would push older ones onto later pages. */
            if (f.end_time == CDR_TIME_NONE)
                f.end_time = newest_call(&p);
        }
        rc = check_page(&p, page, progress.total, progress.records_seen, err);
        for (size_t i = 0; rc == CDR_OK && i < p.record_count && !stop; i++) {
            progress.records_seen++;
            stop = on_record(user, &p.records[i]) != 0;
        }
        progress.page = page;
        progress.last_page = p.last_page;
        cdr_yunfu_page_free(&p);
        if (on_progress && rc == CDR_OK)
            on_progress(user, &progress);
    }
    return rc;
}

/* ---- one call, the token --------------------------------------------------------------------- */

cdr_error cdr_yunfu_get_detail(struct cdr_yunfu_client *c, const char *user_id, const char *task_id,
                               const char *record_id, const char *sub_user_id,
                               struct cdr_yunfu_detail *out, struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (!c || !user_id || !task_id || !record_id)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                             "missing client, user, task or record id");
    struct cdr_buf path, query;
    cdr_buf_init(&path);
    cdr_buf_init(&query);
    cdr_buf_puts(&path, "/agent-api/user/");
    put_encoded(&path, user_id);
    cdr_buf_puts(&path, "/task/");
    put_encoded(&path, task_id);
    cdr_buf_puts(&path, "/detail/");
    put_encoded(&path, record_id);
    cdr_buf_puts(&query, "");
    if (sub_user_id)
        put_param(&query, "sub_user_id", sub_user_id);
    cdr_error rc;
    struct cdr_http_response resp;
    if (path.failed || query.failed) {
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    } else if ((rc = get(c, path.data, query.data, &resp, err)) == CDR_OK) {
        rc = cdr_yunfu_parse_detail(resp.body, resp.body_len, resp.status, out, err);
        cdr_http_response_free(&resp);
    }
    cdr_buf_free(&path);
    cdr_buf_free(&query);
    return rc;
}

cdr_error cdr_yunfu_token_info(struct cdr_yunfu_client *c, struct cdr_yunfu_token_info *out,
                               struct cdr_error_info *err)
{
    if (!c || !out)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client or output");
    struct cdr_http_response resp;
    cdr_error rc = get(c, "/agent-api/token", NULL, &resp, err);
    if (rc != CDR_OK)
        return rc;
    rc = cdr_yunfu_parse_token(resp.body, resp.body_len, resp.status, out, err);
    cdr_http_response_free(&resp);
    return rc;
}
