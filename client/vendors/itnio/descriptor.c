/* ITNIO as a descriptor: its fields (fields.c), paging and named calls, and the generic calls
 * over the typed client. */
#include <stdlib.h>

#include "internal.h"

static const struct cdr_call calls[] = {
    {"groups", CDR_ANSWER_JSON, "agent groups, /v3/cc/seatGroup/query"},
    {"seats", CDR_ANSWER_JSON,
     "agents and their call statistics over from..to (strTime/endTime), /v3/cc/seat/query"},
    {"group_settings", CDR_ANSWER_JSON,
     "an agent group's basic settings, /v3/cc/seatGroup/basicSettingResp"},
    {"recording_url", CDR_ANSWER_JSON,
     "a link to a recording id or key, valid until expireTime, /voice/getRecordingFileUrl"},
    {"download", CDR_ANSWER_FILE,
     "a record's recording: its key resolved with /voice/getRecordingFileUrl, then fetched"},
};

/* The agent statistics window spans at most 32 days ("与结束时间相差32天",
 * https://itniotech.cn/api/call/querySeat); the record query's 93 days are paging.max_range. */
static const struct cdr_call_range call_ranges[] = {
    {"seats", CDR_ITNIO_MAX_SEAT_RANGE_SECONDS},
    {NULL, 0},
};

static void *itnio_open(const struct cdr_client_options *opts, const struct cdr_args *args,
                        struct cdr_error_info *err)
{
    struct cdr_itnio_options o;
    cdr_itnio_options_default(&o);
    o.base_url = opts->base_url;
    o.api_key = cdr_args_get(args, "api_key");
    o.api_secret = cdr_args_get(args, "api_secret");
    o.http = opts->http;
    o.clock = opts->clock;
    o.clock_user = opts->clock_user;
    o.unchecked = opts->unchecked;
    o.skip_raw = opts->skip_raw;
    return cdr_itnio_client_new(&o, err);
}

static void itnio_close(void *handle)
{
    cdr_itnio_client_free(handle);
}

/* The typed filter from args; *lists owns its list members (free() it). */
static cdr_error read_filter(const struct cdr_args *args, struct cdr_itnio_filter *f, void **lists,
                             struct cdr_error_info *err)
{
    *f = (struct cdr_itnio_filter){0};
    return cdr_vendor_fill_filter(&cdr__itnio_vendor, args, f, lists, err);
}

static void take_page(struct cdr_itnio_page *p, struct cdr_page *out)
{
    out->records = p->records;
    out->record_count = p->record_count;
    out->total = p->total;
    out->pages = p->pages;
    out->page = p->current;
    out->size = p->size;
    out->paging_json = p->paging_json;
    *p = (struct cdr_itnio_page){0};
}

static cdr_error itnio_page(void *handle, const struct cdr_args *args, int64_t page, int64_t size,
                            struct cdr_page *out, struct cdr_error_info *err)
{
    struct cdr_itnio_filter f;
    void *lists;
    cdr_error rc = read_filter(args, &f, &lists, err);
    struct cdr_itnio_page p;
    if (rc == CDR_OK && (rc = cdr_itnio_query_page(handle, &f, page, size, &p, err)) == CDR_OK)
        take_page(&p, out);
    free(lists);
    return rc;
}

static void relay_progress(void *relay, const struct cdr_itnio_progress *p)
{
    /* Each window has a total of its own, not the query's. */
    struct cdr_progress g = {p->window, p->window_count, p->page, p->pages, -1, p->records_seen};
    cdr__relay_progress(relay, &g);
}

static cdr_error itnio_fetch_all(void *handle, const struct cdr_args *args, int64_t page_size,
                                 cdr_record_fn on_record, cdr_progress_fn on_progress, void *user,
                                 struct cdr_error_info *err)
{
    struct cdr_itnio_filter f;
    void *lists;
    cdr_error rc = read_filter(args, &f, &lists, err);
    struct cdr__relay relay = {on_record, on_progress, user};
    if (rc == CDR_OK)
        rc = cdr_itnio_fetch_all(handle, &f, page_size, cdr__relay_record, relay_progress, &relay,
                                 err);
    free(lists);
    return rc;
}

static cdr_error itnio_parse(const char *body, size_t len, long http_status, struct cdr_page *out,
                             struct cdr_error_info *err)
{
    (void)http_status; /* every ITNIO answer is HTTP 200; the envelope says what happened */
    struct cdr_itnio_page p;
    cdr_error rc = cdr_itnio_parse_page(body, len, &p, err);
    if (rc == CDR_OK)
        take_page(&p, out);
    return rc;
}

/* A record's recording as it carries it: an object key (resolved to a link first) or a URL. */
static cdr_error itnio_download(void *handle, const struct cdr_record *rec, size_t index,
                                cdr_write_fn write, void *user, struct cdr_download *out,
                                struct cdr_error_info *err)
{
    /* The record lists none: an unanswered call, nothing recorded. */
    if (rec->recording_url_count == 0)
        return cdr_error_set(err, CDR_ERR_NOT_FOUND, "record %s has no recording",
                             rec->id ? rec->id : "?");
    return cdr_itnio_download(handle, rec->recording_urls[index], write, user, out, err);
}

/* "every 30 minutes, at most 3 times" after a failed push; what counts as a success is not
 * documented: any HTTP 200 (inferred), the body unread. */
static const struct cdr_push_reply push_reply = {
    .status = 200,
    .content_type = "text/plain; charset=utf-8",
    .body = "OK\n",
    .source = "https://www.itniotech.cn/api/voice/pushVoiceCenterReport/",
};

static const struct cdr_vendor_ops ops = {
    .open = itnio_open,
    .close = itnio_close,
    .page = itnio_page,
    .fetch_all = itnio_fetch_all,
    .parse = itnio_parse,
    .download = itnio_download,
    .parse_push = cdr_itnio_parse_push,
    .push_reply = &push_reply,
};

/* The Sign header's value, should it ever travel as a parameter. */
static const char *const secret_names[] = {"Sign", NULL};

const struct cdr_vendor cdr__itnio_vendor = {
    .id = "itnio",
    .title = "ITNIO call center",
    .url = "https://api.itniotech.com",
    .fields = cdr__itnio_fields,
    .filter_wire = "members of the JSON body's params",
    .paging = {.paged = true,
               .page_param = "current (JSON body)",
               .size_param = "size (JSON body)",
               .server_size = 0, /* undocumented */
               .fetch_size = CDR_ITNIO_MAX_PAGE_SIZE,
               .max_size = CDR_ITNIO_MAX_PAGE_SIZE,
               .max_range = CDR_ITNIO_MAX_RANGE_SECONDS},
    .calls = calls,
    .call_count = sizeof(calls) / sizeof(calls[0]),
    .call_ranges = call_ranges,
    .ops = &ops,
    .secret_names = secret_names,
};

struct cdr_itnio_client *cdr_itnio_client_of(struct cdr_client *client)
{
    return cdr__client_handle(client, &cdr__itnio_vendor);
}
