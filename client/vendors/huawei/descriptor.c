/* Huawei CEC as a descriptor: its fields (fields.c) and its calls. A generic client holds an
 * AgentGateway session (with the agent's credentials: not signed in yet) and a CC-Management
 * history client (with the app's AK/SK), either or both; the range calls (one page, every record)
 * are the history's, parsing takes a saved calldata or history answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "json_get.h"

static const struct cdr_call calls[] = {
    {"sign_in", CDR_ANSWER_NONE, "PUT onlineagent/{agent_id}[/forcelogin]: the session's Guid"},
    {"sign_out", CDR_ANSWER_NONE, "DELETE onlineagent/{agent_id}/logout"},
    {"poll", CDR_ANSWER_JSON, "GET agentevent/{agent_id}: the next event, if any"},
    {"handshake", CDR_ANSWER_NONE, "POST onlineagent/{agent_id}/handshake: push mode's heartbeat"},
    {"refresh_guid", CDR_ANSWER_NONE, "PUT onlineagent/{agent_id}/updateGuid"},
    {"callinfo", CDR_ANSWER_RECORDS, "GET calldata/{agent_id}/callinfo: the current or last call"},
    {"call_by_id", CDR_ANSWER_RECORDS, "GET calldata/{agent_id}/callinfobycallid/{callid}"},
    {"holdlist", CDR_ANSWER_RECORDS, "GET calldata/{agent_id}/holdlist: the held calls"},
    {"recordfile", CDR_ANSWER_JSON,
     "GET recordfile/{agent_id}?recordId=: a recording an AgentMediaEvent_Record named"},
    {"token", CDR_ANSWER_JSON, "POST tokenByAkSk: the API Fabric's AccessToken"},
    {"recording", CDR_ANSWER_JSON,
     "POST getRecordingAddress, then its URL: a history record's recording"},
};

/* Each credential set comes whole: the agent's ID with its password, the app's key with its
 * secret; one of them at least. */
static cdr_error huawei_check(const struct cdr_args *args, const struct cdr_field **bad,
                              struct cdr_error_info *err)
{
    const struct cdr_vendor *v = &cdr__huawei_vendor;
    static const char *const pairs[][2] = {{"agent_id", "password"}, {"app_key", "app_secret"}};
    bool any = false;
    for (size_t i = 0; i < 2; i++) {
        bool a = cdr_args_get(args, pairs[i][0]) != NULL, b = cdr_args_get(args, pairs[i][1]);
        if (a != b) {
            const char *missing = a ? pairs[i][1] : pairs[i][0];
            *bad = cdr_vendor_field(v, missing);
            return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "%s: required with %s", missing,
                                 a ? pairs[i][0] : pairs[i][1]);
        }
        any = any || a;
    }
    if (!any) {
        *bad = cdr_vendor_field(v, "agent_id");
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                             "agent_id: required (with password) for the AgentGateway, or "
                             "app_key and app_secret for the call history");
    }
    return CDR_OK;
}

static void huawei_close(void *handle)
{
    struct cdr__huawei_handle *h = handle;
    if (!h)
        return;
    cdr_huawei_session_free(h->session);
    cdr_huawei_history_free(h->history);
    free(h);
}

static struct cdr_huawei_session *open_session(const struct cdr_client_options *opts,
                                               const struct cdr_args *args,
                                               struct cdr_error_info *err)
{
    const struct cdr_vendor *v = &cdr__huawei_vendor;
    struct cdr_huawei_options o;
    cdr_huawei_options_default(&o);
    int64_t status, flag;
    if (cdr__args_int(v, args, "status", o.status, &status, err) != CDR_OK ||
        cdr__args_int(v, args, "lastcall_flag", o.lastcall_flag, &flag, err) != CDR_OK)
        return NULL;
    o.base_url = opts->base_url;
    o.agent_id = cdr_args_get(args, "agent_id");
    o.password = cdr_args_get(args, "password");
    /* Without a phone number the agent ID stands in: many deployments number softphones so. */
    o.phone = cdr_args_get(args, "phone") ? cdr_args_get(args, "phone") : o.agent_id;
    o.status = (int)status;
    o.lastcall_flag = (enum cdr_huawei_lastcall_flag)flag;
    o.unchecked = opts->unchecked;
    o.http = opts->http; /* the session keeps cookies whatever these say */
    return cdr_huawei_session_new(&o, err);
}

static struct cdr_huawei_history *open_history(const struct cdr_client_options *opts,
                                               const struct cdr_args *args,
                                               struct cdr_error_info *err)
{
    const struct cdr_vendor *v = &cdr__huawei_vendor;
    struct cdr_huawei_history_options o;
    cdr_huawei_history_options_default(&o);
    int64_t lifetime, unit;
    if (cdr__args_int(v, args, "token_lifetime", 0, &lifetime, err) != CDR_OK ||
        cdr__args_int(v, args, "offset_unit", CDR_HUAWEI_OFFSET_RECORDS, &unit, err) != CDR_OK)
        return NULL;
    o.base_url =
        cdr_args_get(args, "fabric_url") ? cdr_args_get(args, "fabric_url") : opts->base_url;
    o.token_url = cdr_args_get(args, "token_url");
    o.app_key = cdr_args_get(args, "app_key");
    o.app_secret = cdr_args_get(args, "app_secret");
    o.token_lifetime = lifetime;
    o.offset = (enum cdr_huawei_offset)unit;
    o.unchecked = opts->unchecked;
    o.clock = opts->clock;
    o.clock_user = opts->clock_user;
    o.http = opts->http;
    return cdr_huawei_history_new(&o, err);
}

static void *huawei_open(const struct cdr_client_options *opts, const struct cdr_args *args,
                         struct cdr_error_info *err)
{
    struct cdr__huawei_handle *h = calloc(1, sizeof(*h));
    if (!h) {
        cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        return NULL;
    }
    /* A client opens what its credentials make whole: a live target may give one set only. */
    bool agent = cdr_args_get(args, "agent_id") && cdr_args_get(args, "password");
    bool app = cdr_args_get(args, "app_key") && cdr_args_get(args, "app_secret");
    /* Neither: the session, so that its own error names what is missing. */
    if (((agent || !app) && !(h->session = open_session(opts, args, err))) ||
        (app && !(h->history = open_history(opts, args, err)))) {
        huawei_close(h);
        return NULL;
    }
    return h;
}

/* The history client, or NULL after saying why not. */
static struct cdr_huawei_history *history_of(void *handle, struct cdr_error_info *err)
{
    struct cdr__huawei_handle *h = handle;
    if (!h->history)
        cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                      "app_key: the call history needs the app's key and secret");
    return h->history;
}

static cdr_error read_filter(const struct cdr_args *args, struct cdr_huawei_history_filter *f,
                             struct cdr_error_info *err)
{
    cdr_huawei_history_filter_init(f);
    void *lists = NULL; /* the history has no list filters */
    cdr_error rc = cdr_vendor_fill_filter(&cdr__huawei_vendor, args, f, &lists, err);
    free(lists);
    return rc;
}

static cdr_error huawei_page(void *handle, const struct cdr_args *args, int64_t page, int64_t size,
                             struct cdr_page *out, struct cdr_error_info *err)
{
    struct cdr_huawei_history *h = history_of(handle, err);
    struct cdr_huawei_history_filter f;
    if (!h)
        return CDR_ERR_INVALID_ARGUMENT;
    cdr_error rc = read_filter(args, &f, err);
    if (rc != CDR_OK)
        return rc;
    if (size <= 0)
        size = CDR_HUAWEI_HISTORY_MAX_LIMIT; /* the service's default page */
    struct cdr_huawei_history_page p;
    if ((rc = cdr_huawei_history_query(h, &f, (page - 1) * size, size, &p, err)) != CDR_OK)
        return rc;
    out->records = p.records;
    out->record_count = p.record_count;
    out->total = p.total;
    out->pages = p.total / size + (p.total % size != 0);
    out->paging_json = p.raw_json; /* {"total": n}, or NULL for "no data" */
    return CDR_OK;
}

static cdr_error huawei_fetch_all(void *handle, const struct cdr_args *args, int64_t page_size,
                                  cdr_record_fn on_record, cdr_progress_fn on_progress, void *user,
                                  struct cdr_error_info *err)
{
    struct cdr_huawei_history *h = history_of(handle, err);
    struct cdr_huawei_history_filter f;
    if (!h)
        return CDR_ERR_INVALID_ARGUMENT;
    cdr_error rc = read_filter(args, &f, err);
    return rc == CDR_OK
               ? cdr_huawei_history_fetch_all(h, &f, page_size, on_record, on_progress, user, err)
               : rc;
}

/* A saved answer: the history's ({"retCode", "result": {"callInfo"}}) or a calldata one. */
static cdr_error huawei_parse(const char *body, size_t len, long http_status, struct cdr_page *out,
                              struct cdr_error_info *err)
{
    cJSON *root = cdr__json_parse_exact(body, len);
    bool history = cJSON_GetObjectItemCaseSensitive(root, "retCode") != NULL ||
                   (http_status && http_status != 200);
    cJSON_Delete(root);
    if (!history)
        return cdr_huawei_parse_calls(body, len, &out->records, &out->record_count, err);
    struct cdr_huawei_history_page p;
    cdr_error rc = cdr_huawei_parse_history(body, len, http_status, &p, err);
    if (rc == CDR_OK) {
        out->records = p.records;
        out->record_count = p.record_count;
        out->total = p.total;
        out->paging_json = p.raw_json;
    }
    return rc;
}

static cdr_error huawei_download(void *handle, const struct cdr_record *rec, size_t index,
                                 cdr_write_fn write, void *user, struct cdr_download *out,
                                 struct cdr_error_info *err);

/* The release callback's page documents no reply: any 2xx (inferred), the body unread. */
static const struct cdr_push_reply push_reply = {
    .status = 200,
    .content_type = "text/plain; charset=utf-8",
    .body = "OK\n",
    .source = "https://support.huaweicloud.com/intl/en-us/api-cec/cec_07_1319.html",
};

static const struct cdr_vendor_ops ops = {
    .check = huawei_check,
    .open = huawei_open,
    .close = huawei_close,
    .page = huawei_page,
    .fetch_all = huawei_fetch_all,
    .parse = huawei_parse,
    .download = huawei_download,
    .parse_push = cdr_huawei_parse_push,
    .push_reply = &push_reply,
};

const struct cdr_vendor cdr__huawei_vendor = {
    .id = "huawei",
    .title = "Huawei CEC (AgentGateway, CC-Management call history)",
    .url = "https://ip:port",
    .fields = cdr__huawei_fields,
    .filter_wire = "members of queryCallDetailRecord's JSON body, every value a string",
    .paging = {.paged = true,
               .page_param = "offset (JSON body): records skipped, (page - 1) x size",
               .size_param = "limit (JSON body)",
               .server_size = 100,
               .fetch_size = CDR_HUAWEI_HISTORY_MAX_LIMIT,
               .max_size = CDR_HUAWEI_HISTORY_MAX_LIMIT,
               .max_range = CDR_HUAWEI_HISTORY_MAX_SPAN - 1},
    .calls = calls,
    .call_count = sizeof(calls) / sizeof(calls[0]),
    .ops = &ops,
};

struct cdr_huawei_session *cdr_huawei_session_of(struct cdr_client *client)
{
    struct cdr__huawei_handle *h = cdr__client_handle(client, &cdr__huawei_vendor);
    return h ? h->session : NULL;
}

struct cdr_huawei_history *cdr_huawei_history_of(struct cdr_client *client)
{
    struct cdr__huawei_handle *h = cdr__client_handle(client, &cdr__huawei_vendor);
    return h ? h->history : NULL;
}

/* Counts what a download wrote on its way to the caller's writer. */
struct counting_writer {
    cdr_write_fn write;
    void *user;
    int64_t bytes;
};

static int count_bytes(void *user, const void *data, size_t len)
{
    struct counting_writer *c = user;
    c->bytes += (int64_t)len;
    return c->write(c->user, data, len);
}

/* A history record carries its callSerialNo; a call object of the AgentGateway does not. */
static cdr_error huawei_download(void *handle, const struct cdr_record *rec, size_t index,
                                 cdr_write_fn write, void *user, struct cdr_download *out,
                                 struct cdr_error_info *err)
{
    struct cdr__huawei_handle *h = handle;
    if (index > 0)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                             "a huawei call has one recording, not %zu", index + 1);
    cJSON *raw = rec->raw_json ? cJSON_Parse(rec->raw_json) : NULL;
    bool ok = true;
    char *serial = cdr__json_dup_text(raw, "callSerialNo", &ok);
    cJSON_Delete(raw);
    struct counting_writer counted = {write, user, 0};
    cdr_error rc;
    if (!ok)
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    else if (!serial)
        rc = cdr_error_set(err, CDR_ERR_NOT_FOUND,
                           "the record names no recording (an AgentGateway call's file comes "
                           "with AgentMediaEvent_Record: cdr_huawei_recordfile)");
    else if (!h->history)
        rc = cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                           "app_key: recordings need the app's key and secret");
    else
        rc = cdr_huawei_recording_download(h->history, serial, count_bytes, &counted, err);
    /* retCode 11 (the UAP had no file) for a call nobody answered: nothing was recorded. */
    if (rc == CDR_ERR_VENDOR && err && strcmp(err->vendor_code, "11") == 0 &&
        rec->talk_seconds <= 0)
        rc = cdr_error_set(err, CDR_ERR_NOT_FOUND, "call %s was not answered: no recording",
                           serial ? serial : "?");
    free(serial);
    if (out) {
        out->bytes = counted.bytes;
        /* The recording store serves WAV files (<callSerialNo>.wav). */
        snprintf(out->extension, sizeof(out->extension), ".wav");
    }
    return rc;
}

cdr_error cdr_huawei_download_record(struct cdr_client *client, const struct cdr_record *rec,
                                     cdr_huawei_write_fn write, void *user,
                                     struct cdr_error_info *err)
{
    struct cdr__huawei_handle *h = cdr__client_handle(client, &cdr__huawei_vendor);
    if (!h || !rec || !write)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                             "a huawei client, a record and a write callback are required");
    return huawei_download(h, rec, 0, write, user, NULL, err);
}
