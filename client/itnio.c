#include "cdrsim/itnio.h"

#include <cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cdrsim/buf.h"
#include "cdrsim/range.h"
#include "cdrsim/sign.h"
#include "cdrsim/timefmt.h"
#include "json_get.h"

struct cdr_itnio_client {
    struct cdr_http *http;
    char *base_url;
    char *api_key;
    char *api_secret;
    cdr_clock_fn clock;
    void *clock_user;
    bool unchecked;
};

void cdr_itnio_options_default(struct cdr_itnio_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    cdr_http_options_default(&opts->http);
}

char *cdr_itnio_sign(const char *api_key, const char *api_secret, int64_t timestamp)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "%s%s%" PRId64, api_key, api_secret, timestamp);
    char *sign = b.failed ? NULL : cdr_md5_hex(b.data, b.len);
    cdr_buf_free(&b);
    return sign;
}

cdr_error cdr_itnio_status_error(long status)
{
    switch (status) {
    case 0:
        return CDR_OK;
    case -1:
    case -2:
        return CDR_ERR_AUTH; /* -2 is the IP allow-list: still a credential problem */
    case -16:
        return CDR_ERR_TIMESTAMP;
    case -22:
        return CDR_ERR_PARAMETER;
    case -23:
        return CDR_ERR_RATE_LIMITED; /* "data caps": a quota was reached */
    case -76:
        return CDR_ERR_RANGE_TOO_LARGE;
    default:
        return CDR_ERR_VENDOR; /* -18 system exception, -20 data exists, anything new */
    }
}

/* ---- request bodies ------------------------------------------------------------------------ */

static void put_int_list(struct cdr_buf *b, const char *key, const int64_t *ints, const int *small,
                         size_t n)
{
    if (n == 0)
        return;
    cdr_buf_printf(b, ",\"%s\":[", key);
    for (size_t i = 0; i < n; i++)
        cdr_buf_printf(b, "%s%lld", i ? "," : "", ints ? (long long)ints[i] : (long long)small[i]);
    cdr_buf_puts(b, "]");
}

static void put_string_list(struct cdr_buf *b, const char *key, const char *const *items, size_t n)
{
    if (n == 0)
        return;
    cdr_buf_printf(b, ",\"%s\":[", key);
    for (size_t i = 0; i < n; i++) {
        if (i)
            cdr_buf_puts(b, ",");
        cdr_buf_json_string(b, items[i]);
    }
    cdr_buf_puts(b, "]");
}

char *cdr_itnio_query_body(const struct cdr_itnio_filter *f, int64_t current, int64_t size)
{
    char start[CDR_LOCAL_TIME_LEN + 1], end[CDR_LOCAL_TIME_LEN + 1];
    /* The vendor's own examples send China wall-clock time; that form works on every deployment. */
    cdr_time_format_local(f->start_time, CDR_CHINA_OFFSET_SECONDS, start);
    cdr_time_format_local(f->end_time, CDR_CHINA_OFFSET_SECONDS, end);
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(
        &b, "{\"current\":%lld,\"size\":%lld,\"params\":{\"startTime\":\"%s\",\"endTime\":\"%s\"",
        (long long)current, (long long)size, start, end);
    if (f->has_voice_group_id)
        cdr_buf_printf(&b, ",\"voiceGroupId\":%lld", (long long)f->voice_group_id);
    if (f->sip_group_name) {
        cdr_buf_puts(&b, ",\"sipGroupName\":");
        cdr_buf_json_string(&b, f->sip_group_name);
    }
    put_int_list(&b, "seatId", f->seat_ids, NULL, f->seat_id_count);
    put_string_list(&b, "seatNameList", f->seat_names, f->seat_name_count);
    put_int_list(&b, "callType", NULL, f->call_types, f->call_type_count);
    put_int_list(&b, "hangupReason", NULL, f->hangup_reasons, f->hangup_reason_count);
    if (f->called_or_caller) {
        cdr_buf_puts(&b, ",\"calledOrCaller\":");
        cdr_buf_json_string(&b, f->called_or_caller);
    }
    put_string_list(&b, "ccode", f->ccodes, f->ccode_count);
    put_int_list(&b, "hangingDirection", NULL, f->hanging_directions, f->hanging_direction_count);
    put_string_list(&b, "labelNames", f->label_names, f->label_name_count);
    cdr_buf_puts(&b, "}}");
    return cdr_buf_steal(&b);
}

/* ---- response parsing ---------------------------------------------------------------------- */

static cdr_error normalize(const cJSON *r, struct cdr_record *out, struct cdr_error_info *err)
{
    cdr_record_init(out);
    out->vendor = "itnio";
    if (!cJSON_IsObject(r))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "record is not an object");
    bool ok = true;
    out->id = json_dup_text(r, "keyId", &ok);
    if (!out->id && ok) {
        cdr_record_free(out);
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "record without keyId");
    }
    out->call_id = json_dup_text(r, "callSessionId", &ok);
    out->caller = json_dup_text(r, "caller", &ok);
    out->callee = json_dup_text(r, "called", &ok);
    if (!out->callee || !out->callee[0]) { /* number encryption on: only the masked form is sent */
        free(out->callee);
        out->callee = json_dup_text(r, "encryptCalled", &ok);
    }
    out->agent = json_dup_text(r, "seatName", &ok);
    out->group = json_dup_text(r, "sipGroupName", &ok);

    int64_t v;
    if (json_get_int(r, "callType", &v))
        out->direction = v == 2               ? CDR_DIRECTION_INBOUND
                         : (v == 1 || v == 3) ? CDR_DIRECTION_OUTBOUND /* 1: dialer call to agent */
                                              : CDR_DIRECTION_UNKNOWN;
    if (json_get_int(r, "hangingDirection", &v))
        out->hangup_by = v == 0   ? CDR_HANGUP_CUSTOMER
                         : v == 1 ? CDR_HANGUP_AGENT
                         : v == 3 ? CDR_HANGUP_SYSTEM /* "none": the network ended the call */
                                  : CDR_HANGUP_UNKNOWN;
    if (json_get_int(r, "ringDuration", &v) && v >= 0)
        out->ring_seconds = v;
    if (json_get_int(r, "callDuration", &v) && v >= 0)
        out->talk_seconds = v;

    const char *bad_time = NULL;
    if (!json_get_time(r, "callStartTime", CDR_CHINA_OFFSET_SECONDS, &out->start_time))
        bad_time = "callStartTime";
    else if (!json_get_time(r, "calledAnswerTime", CDR_CHINA_OFFSET_SECONDS, &out->answer_time))
        bad_time = "calledAnswerTime";
    else if (!json_get_time(r, "calledHangupTime", CDR_CHINA_OFFSET_SECONDS, &out->end_time))
        bad_time = "calledHangupTime";
    if (bad_time) {
        char *id = out->id;
        out->id = NULL;
        cdr_record_free(out);
        cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "record %s: %s is not a time", id ? id : "?",
                      bad_time);
        free(id);
        return CDR_ERR_MALFORMED_RESPONSE;
    }

    const cJSON *list = cJSON_GetObjectItemCaseSensitive(r, "voiceUrlList");
    const cJSON *url;
    cJSON_ArrayForEach(url, (cJSON_IsArray(list) ? list : NULL))
        if (cJSON_IsString(url) && url->valuestring[0] &&
            cdr_record_add_recording_url(out, url->valuestring))
            ok = false;
    const cJSON *single = cJSON_GetObjectItemCaseSensitive(r, "voiceUrl");
    if (out->recording_url_count == 0 && cJSON_IsString(single) && single->valuestring[0] &&
        cdr_record_add_recording_url(out, single->valuestring))
        ok = false;

    out->raw_json = cJSON_PrintUnformatted(r);
    if (!ok || !out->raw_json) {
        cdr_record_free(out);
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    }
    return CDR_OK;
}

cdr_error cdr_itnio_normalize_json(const char *record_json, size_t len, struct cdr_record *out,
                                   struct cdr_error_info *err)
{
    return json_normalize_text(record_json, len, normalize, "record", out, err);
}

/* Reads the envelope's status (number or string, as the vendor sends either) and maps errors.
 * Returns CDR_OK only for status 0. */
static cdr_error check_status(const cJSON *root, struct cdr_error_info *err)
{
    if (!cJSON_IsObject(root))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "response is not a JSON object");
    int64_t status;
    if (!json_get_int(root, "status", &status))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "response without a numeric status");
    if (status == 0)
        return CDR_OK;
    const cJSON *reason = cJSON_GetObjectItemCaseSensitive(root, "reason");
    char code[24];
    snprintf(code, sizeof(code), "%lld", (long long)status);
    return cdr_error_set_vendor(err, cdr_itnio_status_error((long)status), 0, code,
                                cJSON_IsString(reason) ? reason->valuestring : "");
}

struct page_head {
    int64_t total, size, current, pages;
    const cJSON *records;
};

static cdr_error read_page_head(const cJSON *root, struct page_head *h, struct cdr_error_info *err)
{
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
    if (!cJSON_IsObject(data))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "success without a data object");
    if (!json_get_int(data, "total", &h->total) || !json_get_int(data, "size", &h->size) ||
        !json_get_int(data, "current", &h->current) || !json_get_int(data, "pages", &h->pages))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                             "data lacks integer total/size/current/pages");
    if (h->total < 0 || h->pages < 0 || h->size < 0 || h->current < 0)
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "negative paging values");
    h->records = cJSON_GetObjectItemCaseSensitive(data, "records");
    if (!cJSON_IsArray(h->records))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "data.records is not an array");
    return CDR_OK;
}

void cdr_itnio_page_free(struct cdr_itnio_page *page)
{
    if (!page)
        return;
    for (size_t i = 0; i < page->record_count; i++)
        cdr_record_free(&page->records[i]);
    free(page->records);
    memset(page, 0, sizeof(*page));
}

cdr_error cdr_itnio_parse_page(const char *body, size_t len, struct cdr_itnio_page *out,
                               struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    cJSON *root = json_parse_exact(body, len);
    if (!root)
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "response is not JSON");
    struct page_head h;
    cdr_error rc = check_status(root, err);
    if (rc == CDR_OK)
        rc = read_page_head(root, &h, err);
    if (rc == CDR_OK) {
        out->total = h.total;
        out->size = h.size;
        out->current = h.current;
        out->pages = h.pages;
        size_t n = (size_t)cJSON_GetArraySize(h.records);
        out->records = n ? calloc(n, sizeof(*out->records)) : NULL;
        if (n && !out->records)
            rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        const cJSON *r;
        cJSON_ArrayForEach(r, (rc == CDR_OK ? h.records : NULL)) {
            rc = normalize(r, &out->records[out->record_count], err);
            if (rc != CDR_OK)
                break;
            out->record_count++;
        }
    }
    cJSON_Delete(root);
    if (rc != CDR_OK)
        cdr_itnio_page_free(out);
    return rc;
}

/* ---- client -------------------------------------------------------------------------------- */

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
    c->base_url = json_base_url(opts->base_url);
    c->api_key = strdup(opts->api_key);
    c->api_secret = strdup(opts->api_secret);
    c->clock = opts->clock ? opts->clock : wall_clock;
    c->clock_user = opts->clock_user;
    c->unchecked = opts->unchecked;
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

/* POSTs a signed body; on CDR_OK resp holds an HTTP 200 answer. */
static cdr_error post_signed(struct cdr_itnio_client *c, const char *path, const char *body,
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
        struct cdr_http_request req = {"POST", url.data, headers, 4, body, strlen(body), true};
        rc = cdr_http_send(c->http, &req, resp, err);
        if (rc == CDR_OK && resp->status != 200) {
            long st = resp->status;
            cdr_error code = st == 401 || st == 403 ? CDR_ERR_AUTH
                             : st == 404            ? CDR_ERR_NOT_FOUND
                             : st == 429            ? CDR_ERR_RATE_LIMITED
                                                    : CDR_ERR_HTTP;
            cdr_error_set(err, code, "HTTP %ld from %s", st, path);
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
    struct cdr_http_response resp;
    rc = post_signed(c, "/v3/cc/record/query", body, &resp, err);
    free(body);
    if (rc != CDR_OK)
        return rc;
    rc = cdr_itnio_parse_page(resp.body, resp.body_len, out, err);
    if (err && rc != CDR_OK && err->http_status == 0)
        err->http_status = resp.status;
    cdr_http_response_free(&resp);
    return rc;
}

/* ---- fetching a whole range ------------------------------------------------------------------ */

/* Ids of records stamped exactly on a window boundary: the next window may return them again. */
struct id_set {
    char **ids;
    size_t count;
};

static bool id_set_has(const struct id_set *s, const char *id)
{
    for (size_t i = 0; i < s->count; i++)
        if (strcmp(s->ids[i], id) == 0)
            return true;
    return false;
}

static bool id_set_add(struct id_set *s, const char *id)
{
    char **grown = realloc(s->ids, (s->count + 1) * sizeof(*grown));
    if (!grown)
        return false;
    s->ids = grown;
    if (!(grown[s->count] = strdup(id)))
        return false;
    s->count++;
    return true;
}

static void id_set_clear(struct id_set *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->ids[i]);
    free(s->ids);
    s->ids = NULL;
    s->count = 0;
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

    struct id_set seen_at_start = {0}, seen_at_end = {0};
    struct cdr_itnio_progress progress = {0, nwin, 0, 0, 0};
    cdr_error rc = CDR_OK;
    bool stop = false;
    for (size_t w = 0; w < nwin && rc == CDR_OK && !stop; w++) {
        struct cdr_itnio_filter f = *filter;
        f.start_time = windows[w].start;
        f.end_time = windows[w].end;
        id_set_clear(&seen_at_start);
        seen_at_start = seen_at_end;
        memset(&seen_at_end, 0, sizeof(seen_at_end));
        int64_t pages = 1;
        for (int64_t page = 1; page <= pages && rc == CDR_OK && !stop; page++) {
            struct cdr_itnio_page p;
            rc = cdr_itnio_query_page(c, &f, page, page_size, &p, err);
            if (rc != CDR_OK)
                break;
            pages = p.pages;
            for (size_t i = 0; i < p.record_count && !stop; i++) {
                const struct cdr_record *r = &p.records[i];
                if (r->start_time == f.start_time && id_set_has(&seen_at_start, r->id))
                    continue;
                if (r->start_time == asked_end)
                    continue;
                if (r->start_time == f.end_time && w + 1 < nwin &&
                    !id_set_add(&seen_at_end, r->id)) {
                    rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
                    break;
                }
                progress.records_seen++;
                stop = on_record(user, r) != 0;
            }
            /* A server that promises more pages but sends an empty one would loop forever. */
            bool empty_early = p.record_count == 0 && page < pages;
            cdr_itnio_page_free(&p);
            progress.window = w + 1;
            progress.page = page;
            progress.pages = pages;
            if (on_progress && rc == CDR_OK)
                on_progress(user, &progress);
            if (empty_early && rc == CDR_OK)
                rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "page %lld of %lld is empty",
                                   (long long)page, (long long)pages);
        }
    }
    id_set_clear(&seen_at_start);
    id_set_clear(&seen_at_end);
    free(windows);
    return rc;
}

/* ---- agent groups and agents ----------------------------------------------------------------- */

void cdr_itnio_list_page_free(struct cdr_itnio_list_page *page)
{
    if (!page)
        return;
    for (size_t i = 0; page->groups && i < page->count; i++) {
        free(page->groups[i].group_name);
        free(page->groups[i].app_name);
    }
    for (size_t i = 0; page->seats && i < page->count; i++) {
        free(page->seats[i].emp_no);
        free(page->seats[i].name);
        free(page->seats[i].group_name);
    }
    free(page->groups);
    free(page->seats);
    memset(page, 0, sizeof(*page));
}

static int64_t int_or(const cJSON *obj, const char *key, int64_t fallback)
{
    int64_t v;
    return json_get_int(obj, key, &v) ? v : fallback;
}

static bool read_group(const cJSON *r, struct cdr_itnio_group *g)
{
    bool ok = true;
    g->voice_group_id = int_or(r, "voiceGroupId", -1);
    g->group_name = json_dup_text(r, "groupName", &ok);
    g->app_name = json_dup_text(r, "appName", &ok);
    g->callin_strategy = int_or(r, "callinStrategy", -1);
    g->count_seat = int_or(r, "countSeat", -1);
    return ok;
}

static bool read_seat(const cJSON *r, struct cdr_itnio_seat *s)
{
    bool ok = true;
    s->key_id = int_or(r, "keyId", -1);
    s->emp_no = json_dup_text(r, "empNo", &ok);
    s->name = json_dup_text(r, "name", &ok);
    s->voice_group_id = int_or(r, "voiceGroupId", -1);
    s->group_name = json_dup_text(r, "groupName", &ok);
    s->enable = int_or(r, "enable", -1);
    s->status = int_or(r, "status", -1);
    return ok;
}

static cdr_error query_list(struct cdr_itnio_client *c, const char *path, const char *body,
                            bool groups, struct cdr_itnio_list_page *out,
                            struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    struct cdr_http_response resp;
    cdr_error rc = post_signed(c, path, body, &resp, err);
    if (rc != CDR_OK)
        return rc;
    cJSON *root = json_parse_exact(resp.body, resp.body_len);
    cdr_http_response_free(&resp);
    if (!root)
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "response is not JSON");
    struct page_head h;
    rc = check_status(root, err);
    if (rc == CDR_OK)
        rc = read_page_head(root, &h, err);
    if (rc == CDR_OK) {
        out->total = h.total;
        out->size = h.size;
        out->current = h.current;
        out->pages = h.pages;
        size_t n = (size_t)cJSON_GetArraySize(h.records);
        if (groups)
            out->groups = calloc(n ? n : 1, sizeof(*out->groups));
        else
            out->seats = calloc(n ? n : 1, sizeof(*out->seats));
        if (!out->groups && !out->seats)
            rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        const cJSON *r;
        cJSON_ArrayForEach(r, (rc == CDR_OK ? h.records : NULL)) {
            if (!cJSON_IsObject(r)) {
                rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "list entry is not an object");
                break;
            }
            bool ok = groups ? read_group(r, &out->groups[out->count])
                             : read_seat(r, &out->seats[out->count]);
            out->count++;
            if (!ok) {
                rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
                break;
            }
        }
    }
    cJSON_Delete(root);
    if (rc != CDR_OK)
        cdr_itnio_list_page_free(out);
    return rc;
}

static cdr_error check_paging(int64_t current, int64_t size, struct cdr_error_info *err)
{
    if (current < 1 || size < 1 || size > CDR_ITNIO_MAX_PAGE_SIZE)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "page must be >= 1 and size 1..100");
    return CDR_OK;
}

cdr_error cdr_itnio_query_groups(struct cdr_itnio_client *c, const char *group_name,
                                 int64_t current, int64_t size, struct cdr_itnio_list_page *out,
                                 struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (check_paging(current, size, err) != CDR_OK)
        return CDR_ERR_INVALID_ARGUMENT;
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "{\"current\":%lld,\"size\":%lld,\"params\":{", (long long)current,
                   (long long)size);
    if (group_name) {
        cdr_buf_puts(&b, "\"groupName\":");
        cdr_buf_json_string(&b, group_name);
    }
    cdr_buf_puts(&b, "}}");
    char *body = cdr_buf_steal(&b);
    if (!body)
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    cdr_error rc = query_list(c, "/v3/cc/seatGroup/query", body, true, out, err);
    free(body);
    return rc;
}

cdr_error cdr_itnio_query_seats(struct cdr_itnio_client *c, int64_t voice_group_id,
                                const char *name, int64_t current, int64_t size,
                                struct cdr_itnio_list_page *out, struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (check_paging(current, size, err) != CDR_OK)
        return CDR_ERR_INVALID_ARGUMENT;
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "{\"current\":%lld,\"size\":%lld,\"params\":{", (long long)current,
                   (long long)size);
    const char *sep = "";
    if (voice_group_id >= 0) {
        cdr_buf_printf(&b, "\"voiceGroupId\":%lld", (long long)voice_group_id);
        sep = ",";
    }
    if (name) {
        cdr_buf_printf(&b, "%s\"name\":", sep);
        cdr_buf_json_string(&b, name);
    }
    cdr_buf_puts(&b, "}}");
    char *body = cdr_buf_steal(&b);
    if (!body)
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    cdr_error rc = query_list(c, "/v3/cc/seat/query", body, false, out, err);
    free(body);
    return rc;
}
