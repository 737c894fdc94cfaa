/* Yunfu as a descriptor: its fields (fields.c), paging and named calls, the rule across fields
 * (an account or the legacy path), and the generic calls over the typed client. */
#include <stdlib.h>

#include "internal.h"

static const struct cdr_call calls[] = {
    {"detail", CDR_ANSWER_RECORDS, "one call with its dialogue rows, .../detail/{record_id}"},
    {"token", CDR_ANSWER_JSON, "the token's expiry, /agent-api/token"},
};

/* The list needs an account, unless it asks for the retired path, which has none. */
static cdr_error yunfu_check(const struct cdr_args *args, const struct cdr_field **bad,
                             struct cdr_error_info *err)
{
    const struct cdr_vendor *v = &cdr__yunfu_vendor;
    bool legacy = cdr__args_flag(args, "legacy"), user = cdr_args_get(args, "user_id") != NULL;
    if (legacy == user) {
        *bad = cdr_vendor_field(v, "user_id");
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "user_id: %s",
                             user ? "not with legacy, which has no account"
                                  : "required unless legacy");
    }
    return CDR_OK;
}

static void *yunfu_open(const struct cdr_client_options *opts, const struct cdr_args *args,
                        struct cdr_error_info *err)
{
    struct cdr_yunfu_options o;
    cdr_yunfu_options_default(&o);
    o.base_url = opts->base_url;
    o.token = cdr_args_get(args, "token");
    o.http = opts->http;
    return cdr_yunfu_client_new(&o, err);
}

static void yunfu_close(void *handle)
{
    cdr_yunfu_client_free(handle);
}

/* The list's account (NULL: the legacy path), task and filter; *lists owns the filter's lists. */
struct list_query {
    const char *user_id;
    const char *task_id;
    struct cdr_yunfu_filter filter;
    void *lists;
};

static cdr_error read_query(const struct cdr_args *args, struct list_query *q,
                            struct cdr_error_info *err)
{
    q->user_id = cdr__args_flag(args, "legacy") ? NULL : cdr_args_get(args, "user_id");
    q->task_id = cdr_args_get(args, "task_id");
    q->lists = NULL;
    cdr_yunfu_filter_init(&q->filter);
    if (!q->user_id && !cdr__args_flag(args, "legacy"))
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "user_id: required unless legacy");
    return cdr_vendor_fill_filter(&cdr__yunfu_vendor, args, &q->filter, &q->lists, err);
}

static void take_page(struct cdr_yunfu_page *p, struct cdr_page *out)
{
    out->records = p->records;
    out->record_count = p->record_count;
    out->total = p->total;
    /* Laravel's last_page is never below 1: an empty result is one empty page there and no page
     * at all here. */
    out->pages = p->total == 0 && p->last_page == 1 ? 0 : p->last_page;
    out->page = p->current_page;
    out->size = p->per_page;
    out->paging_json = p->paging_json;
    *p = (struct cdr_yunfu_page){0};
}

static cdr_error yunfu_page(void *handle, const struct cdr_args *args, int64_t page, int64_t size,
                            struct cdr_page *out, struct cdr_error_info *err)
{
    struct list_query q;
    cdr_error rc = read_query(args, &q, err);
    struct cdr_yunfu_page p;
    if (rc == CDR_OK && (rc = cdr_yunfu_list_page(handle, q.user_id, q.task_id, &q.filter, page,
                                                  size, &p, err)) == CDR_OK)
        take_page(&p, out);
    free(q.lists);
    return rc;
}

static void relay_progress(void *relay, const struct cdr_yunfu_progress *p)
{
    struct cdr_progress g = {0, 0, p->page, p->last_page, p->total, p->records_seen};
    cdr__relay_progress(relay, &g);
}

static cdr_error yunfu_fetch_all(void *handle, const struct cdr_args *args, int64_t page_size,
                                 cdr_record_fn on_record, cdr_progress_fn on_progress, void *user,
                                 struct cdr_error_info *err)
{
    struct list_query q;
    cdr_error rc = read_query(args, &q, err);
    struct cdr__relay relay = {on_record, on_progress, user};
    if (rc == CDR_OK)
        rc = cdr_yunfu_fetch_all(handle, q.user_id, q.task_id, &q.filter, page_size,
                                 cdr__relay_record, relay_progress, &relay, err);
    free(q.lists);
    return rc;
}

/* A list page, or else one call's detail: its record, when it came with one. */
static cdr_error yunfu_parse(const char *body, size_t len, long http_status, struct cdr_page *out,
                             struct cdr_error_info *err)
{
    struct cdr_yunfu_page p;
    cdr_error rc = cdr_yunfu_parse_page(body, len, http_status, &p, err);
    if (rc == CDR_OK) {
        take_page(&p, out);
        return rc;
    }
    struct cdr_yunfu_detail d;
    if (rc != CDR_ERR_MALFORMED_RESPONSE ||
        cdr_yunfu_parse_detail(body, len, http_status, &d, NULL) != CDR_OK)
        return rc;
    if (d.has_record && !(out->records = calloc(1, sizeof(*out->records)))) {
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    } else if (d.has_record) {
        out->records[0] = d.record;
        out->record_count = 1;
        d.has_record = false;
        rc = CDR_OK;
    }
    cdr_yunfu_detail_free(&d);
    return rc;
}

static const struct cdr_vendor_ops ops = {
    .check = yunfu_check,
    .open = yunfu_open,
    .close = yunfu_close,
    .page = yunfu_page,
    .fetch_all = yunfu_fetch_all,
    .parse = yunfu_parse,
};

const struct cdr_vendor cdr__yunfu_vendor = {
    .id = "yunfu",
    .title = "Yunfu AI contact center (agent-api)",
    .url = "https://ai.api.longlonglong.cn",
    .fields = cdr__yunfu_fields,
    .filter_wire = "query parameters, PHP bracket syntax",
    .paging = {.paged = true,
               .page_param = "page (query)",
               .size_param = "per_page (query; none sent for a size of 0)",
               .server_size = CDR_YUNFU_DEFAULT_PER_PAGE,
               .fetch_size = 100,
               .max_size = 100000,
               .max_range = 0},
    .calls = calls,
    .call_count = sizeof(calls) / sizeof(calls[0]),
    .ops = &ops,
};

struct cdr_yunfu_client *cdr_yunfu_client_of(struct cdr_client *client)
{
    return cdr__client_handle(client, &cdr__yunfu_vendor);
}
