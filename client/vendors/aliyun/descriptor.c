/* Alibaba Cloud AICCS as a descriptor: its fields (fields.c), HotlineSessionQuery's paging, the
 * generic calls over the typed client, and the named calls of the recording and transcript
 * actions (the typed API: cdr_aliyun_list_hotline_record, ..., cdr_aliyun_download). */
#include <stdint.h>
#include <stdlib.h>

#include "internal.h"
#include "private.h"

/* A record's audio takes two calls: "recordings" for a record (cdr_aliyun_record_recordings: its
 * Acid in the client's instance, ListHotlineRecord), then "download" for each link. */
static const struct cdr_call calls[] = {
    {"recordings", CDR_ANSWER_JSON,
     "ListHotlineRecord: the recordings (connections) of a session, each with a signed link"},
    {"record_url", CDR_ANSWER_JSON, "GetRecordUrl: a dual-call, IVR or smart call's link"},
    {"record_data", CDR_ANSWER_JSON, "GetRecordData: a session's recording link"},
    {"describe_record", CDR_ANSWER_JSON,
     "DescribeRecordData: a session's link and agent, read as an account"},
    {"messages", CDR_ANSWER_JSON, "GetHotlineMessageLog: a session's ASR transcript"},
    {"download", CDR_ANSWER_NONE,
     "GET a recording link, the audio written as it arrives (cdr_aliyun_download)"},
};

static void *aliyun_open(const struct cdr_client_options *opts, const struct cdr_args *args,
                         struct cdr_error_info *err)
{
    int64_t method;
    if (cdr__args_int(&cdr__aliyun_vendor, args, "method", 0, &method, err) != CDR_OK)
        return NULL;
    struct cdr_aliyun_options o;
    cdr_aliyun_options_default(&o);
    o.base_url = opts->base_url;
    o.access_key_id = cdr_args_get(args, "access_key_id");
    o.access_key_secret = cdr_args_get(args, "access_key_secret");
    o.security_token = cdr_args_get(args, "security_token");
    o.instance_id = cdr_args_get(args, "instance_id");
    o.signing = cdr__args_flag(args, "v2") ? CDR_ALIYUN_SIGN_V2 : CDR_ALIYUN_SIGN_V3;
    o.use_get = method == 1;
    o.http = opts->http;
    o.clock = opts->clock;
    o.clock_user = opts->clock_user;
    o.nonce = opts->nonce;
    o.nonce_user = opts->nonce_user;
    o.skip_raw = opts->skip_raw;
    return cdr_aliyun_client_new(&o, err);
}

static void aliyun_close(void *handle)
{
    cdr_aliyun_client_free(handle);
}

static cdr_error read_filter(const struct cdr_args *args, struct cdr_aliyun_filter *f, void **lists,
                             struct cdr_error_info *err)
{
    cdr_aliyun_filter_init(f);
    return cdr_vendor_fill_filter(&cdr__aliyun_vendor, args, f, lists, err);
}

/* pages counts by the size asked for (0: the size the server says it used), as the client's own
 * paging does. */
static void take_page(struct cdr_aliyun_page *p, int64_t size, struct cdr_page *out)
{
    int64_t per = size > 0 ? size : p->page_size;
    out->records = p->records;
    out->record_count = p->record_count;
    out->total = p->total_count;
    out->page = p->page_number;
    out->size = p->page_size;
    out->pages = per > 0 ? p->total_count / per + (p->total_count % per != 0) : -1;
    out->paging_json = p->paging_json;
    *p = (struct cdr_aliyun_page){0};
}

static cdr_error aliyun_page(void *handle, const struct cdr_args *args, int64_t page, int64_t size,
                             struct cdr_page *out, struct cdr_error_info *err)
{
    struct cdr_aliyun_filter f;
    void *lists;
    cdr_error rc = read_filter(args, &f, &lists, err);
    struct cdr_aliyun_page p;
    if (rc == CDR_OK && (rc = cdr_aliyun_query_page(handle, &f, page, size, &p, err)) == CDR_OK)
        take_page(&p, size, out);
    free(lists);
    return rc;
}

static void relay_progress(void *relay, const struct cdr_aliyun_progress *p)
{
    struct cdr_progress g = {0, 0, p->page, p->pages, p->total_count, p->records_seen};
    cdr__relay_progress(relay, &g);
}

static cdr_error aliyun_fetch_all(void *handle, const struct cdr_args *args, int64_t page_size,
                                  cdr_record_fn on_record, cdr_progress_fn on_progress, void *user,
                                  struct cdr_error_info *err)
{
    struct cdr_aliyun_filter f;
    void *lists;
    cdr_error rc = read_filter(args, &f, &lists, err);
    struct cdr__relay relay = {on_record, on_progress, user};
    if (rc == CDR_OK)
        rc = cdr_aliyun_fetch_all(handle, &f, page_size, cdr__relay_record, relay_progress, &relay,
                                  err);
    free(lists);
    return rc;
}

static cdr_error aliyun_parse(const char *body, size_t len, long http_status, struct cdr_page *out,
                              struct cdr_error_info *err)
{
    struct cdr_aliyun_page p;
    cdr_error rc = cdr_aliyun_parse_page(body, len, http_status, &p, err);
    if (rc == CDR_OK)
        take_page(&p, 0, out);
    return rc;
}

/* Recording `index` of a session: its links (the record's own, else ListHotlineRecord for its
 * Acid), then the link's audio as it arrives. */
static cdr_error aliyun_download(void *handle, const struct cdr_record *rec, size_t index,
                                 cdr_write_fn write, void *user, struct cdr_download *out,
                                 struct cdr_error_info *err)
{
    struct cdr_aliyun_recordings list = {0};
    cdr_error rc = cdr_aliyun_record_recordings(handle, rec, &list, err);
    if (rc != CDR_OK)
        return rc;
    if (list.count == 0) {
        rc = cdr_error_set(err, CDR_ERR_NOT_FOUND, "session %s has no recording",
                           rec->id ? rec->id : "?");
    } else if (index >= list.count) {
        rc = cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "session %s has %zu recordings, not %zu",
                           rec->id ? rec->id : "?", list.count, index + 1);
    } else if (!list.items[index].url) {
        rc = cdr_error_set(err, CDR_ERR_NOT_FOUND, "recording %zu of session %s has no link",
                           index + 1, rec->id ? rec->id : "?");
    } else {
        uint64_t bytes = 0;
        rc = cdr_aliyun_download(handle, list.items[index].url, write, user, &bytes, err);
        out->bytes = (int64_t)bytes;
        /* OSS links end in the object's name, whose suffix names the audio's format. */
        cdr__recording_extension(list.items[index].url, "", out->extension);
    }
    cdr_aliyun_recordings_free(&list);
    return rc;
}

static const struct cdr_vendor_ops ops = {
    .open = aliyun_open,
    .close = aliyun_close,
    .page = aliyun_page,
    .fetch_all = aliyun_fetch_all,
    .parse = aliyun_parse,
    .download = aliyun_download,
};

/* Signature V2's nonce and STS token, and V3's nonce header should it travel as a parameter
 * (Signature itself is a generic name). */
static const char *const secret_names[] = {"SignatureNonce", "SecurityToken",
                                           "x-acs-signature-nonce", NULL};

const struct cdr_vendor cdr__aliyun_vendor = {
    .id = "aliyun",
    .title = "Alibaba Cloud AICCS (HotlineSessionQuery, recordings, transcripts; 2019-10-15)",
    .url = "https://aiccs.aliyuncs.com",
    .fields = cdr__aliyun_fields,
    .filter_wire = "RPC parameters, lists as Name.1, Name.2, ...",
    .paging = {.paged = true,
               .page_param = "PageNo",
               .size_param = "PageSize",
               .server_size = CDR_ALIYUN_DEFAULT_PAGE_SIZE,
               .fetch_size = 100,
               .max_size = INT32_MAX,
               .max_range = 0},
    .calls = calls,
    .call_count = sizeof(calls) / sizeof(calls[0]),
    .ops = &ops,
    .secret_names = secret_names,
};

struct cdr_aliyun_client *cdr_aliyun_client_of(struct cdr_client *client)
{
    return cdr__client_handle(client, &cdr__aliyun_vendor);
}
