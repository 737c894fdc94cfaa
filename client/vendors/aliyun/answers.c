/* Reading the recording and transcript actions' answers, each of which writes itself differently
 * (docs/vendors/aliyun.md, recordings): ListHotlineRecord a Code "Success" and a Data list whose
 * ids are strings on one page and numbers on another, GetRecordUrl no Code at all, GetRecordData a
 * numeric Code 200, DescribeRecordData everything flat with a Code "200", GetHotlineMessageLog a
 * list of utterances. Times are epoch milliseconds, as numbers or digit strings. */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "json_get.h"

static void keep_request_id(const cJSON *root, char out[64])
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "RequestId");
    out[0] = '\0';
    if (cJSON_IsString(id))
        snprintf(out, 64, "%s", id->valuestring);
}

static int64_t millis(const cJSON *obj, const char *key)
{
    int64_t v;
    return cdr__json_get_int(obj, key, &v) ? v : CDR_TIME_NONE;
}

/* Data as a list: an array, one object an XML-to-JSON bridge made of a one-element list, or
 * nothing (absent or null: no entries). *n its entries; false when Data is something else. */
static bool data_list(const cJSON *root, const cJSON **data, size_t *n)
{
    *data = cJSON_GetObjectItemCaseSensitive(root, "Data");
    if (!*data || cJSON_IsNull(*data)) {
        *n = 0;
        return true;
    }
    if (cJSON_IsObject(*data)) {
        *n = 1;
        return true;
    }
    *n = cJSON_IsArray(*data) ? (size_t)cJSON_GetArraySize(*data) : 0;
    return cJSON_IsArray(*data);
}

/* The i-th entry of what data_list found. */
static const cJSON *entry_at(const cJSON *data, size_t i)
{
    return cJSON_IsObject(data) ? data : cJSON_GetArrayItem(data, (int)i);
}

/* ---- ListHotlineRecord ----------------------------------------------------------------------- */

void cdr_aliyun_recordings_free(struct cdr_aliyun_recordings *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].connection_id);
        free(list->items[i].call_id);
        free(list->items[i].url);
    }
    free(list->items);
    memset(list, 0, sizeof(*list));
}

static cdr_error read_recordings(const cJSON *root, struct cdr_aliyun_recordings *out,
                                 struct cdr_error_info *err)
{
    const cJSON *data;
    size_t n;
    if (!data_list(root, &data, &n))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "Data is not a list of recordings");
    if (n && !(out->items = calloc(n, sizeof(*out->items))))
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        const cJSON *e = entry_at(data, i);
        if (!cJSON_IsObject(e))
            return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "Data[%zu] is not an object", i);
        struct cdr_aliyun_recording *r = &out->items[out->count++];
        r->connection_id = cdr__json_dup_text(e, "ConnectionId", &ok);
        r->call_id = cdr__json_dup_text(e, "CallId", &ok);
        r->start_ms = millis(e, "StartTime");
        r->end_ms = millis(e, "EndTime");
        r->url = cdr__json_dup_text(e, "Url", &ok);
    }
    return ok ? CDR_OK : cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
}

cdr_error cdr_aliyun_parse_recordings(const char *body, size_t len, long http_status,
                                      struct cdr_aliyun_recordings *out, struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    cJSON *root;
    cdr_error rc = cdr__aliyun_parse_root(body, len, http_status, &root, err);
    if (rc == CDR_OK) {
        keep_request_id(root, out->request_id);
        rc = read_recordings(root, out, err);
    }
    cJSON_Delete(root);
    if (rc != CDR_OK)
        cdr_aliyun_recordings_free(out);
    return cdr__aliyun_with_status(rc, http_status, err);
}

/* ---- GetRecordUrl, GetRecordData, DescribeRecordData ----------------------------------------- */

void cdr_aliyun_record_link_free(struct cdr_aliyun_record_link *link)
{
    if (!link)
        return;
    free(link->acid);
    free(link->oss_link);
    free(link->agent_id);
    memset(link, 0, sizeof(*link));
}

cdr_error cdr_aliyun_parse_record_link(const char *body, size_t len, long http_status,
                                       struct cdr_aliyun_record_link *out,
                                       struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    cJSON *root;
    cdr_error rc = cdr__aliyun_parse_root(body, len, http_status, &root, err);
    if (rc == CDR_OK) {
        keep_request_id(root, out->request_id);
        /* DescribeRecordData answers flat; the others inside Data. */
        const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "Data");
        const cJSON *from = cJSON_IsObject(data) ? data : root;
        bool ok = true;
        if (data && !cJSON_IsObject(data) && !cJSON_IsNull(data))
            rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "Data is not an object");
        out->acid = cdr__json_dup_text(from, "Acid", &ok);
        out->oss_link = cdr__json_dup_text(from, "OssLink", &ok);
        out->agent_id = cdr__json_dup_text(from, "AgentId", &ok);
        if (rc == CDR_OK && !ok)
            rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    }
    cJSON_Delete(root);
    if (rc != CDR_OK)
        cdr_aliyun_record_link_free(out);
    return cdr__aliyun_with_status(rc, http_status, err);
}

/* ---- GetHotlineMessageLog -------------------------------------------------------------------- */

void cdr_aliyun_messages_free(struct cdr_aliyun_messages *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].acid);
        free(list->items[i].mid);
        free(list->items[i].content);
    }
    free(list->items);
    memset(list, 0, sizeof(*list));
}

static cdr_error read_messages(const cJSON *root, struct cdr_aliyun_messages *out,
                               struct cdr_error_info *err)
{
    const cJSON *data;
    size_t n;
    if (!data_list(root, &data, &n))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "Data is not a list of messages");
    if (n && !(out->items = calloc(n, sizeof(*out->items))))
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        const cJSON *e = entry_at(data, i);
        if (!cJSON_IsObject(e))
            return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "Data[%zu] is not an object", i);
        struct cdr_aliyun_message *m = &out->items[out->count++];
        int64_t sender;
        m->sender_type = cdr__json_get_int(e, "SenderType", &sender) && sender > 0 && sender < 100
                             ? (int)sender
                             : 0;
        m->acid = cdr__json_dup_text(e, "Acid", &ok);
        m->start_ms = millis(e, "StartTime");
        m->end_ms = millis(e, "EndTime");
        m->mid = cdr__json_dup_text(e, "Mid", &ok);
        m->content = cdr__json_dup_text(e, "Content", &ok);
    }
    return ok ? CDR_OK : cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
}

cdr_error cdr_aliyun_parse_messages(const char *body, size_t len, long http_status,
                                    struct cdr_aliyun_messages *out, struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    cJSON *root;
    cdr_error rc = cdr__aliyun_parse_root(body, len, http_status, &root, err);
    if (rc == CDR_OK) {
        keep_request_id(root, out->request_id);
        rc = read_messages(root, out, err);
    }
    cJSON_Delete(root);
    if (rc != CDR_OK)
        cdr_aliyun_messages_free(out);
    return cdr__aliyun_with_status(rc, http_status, err);
}
