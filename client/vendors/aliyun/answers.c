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

static int64_t millis(const cJSON *obj, const char *key)
{
    int64_t v;
    return cdr__json_get_int(obj, key, &v) ? v : CDR_TIME_NONE;
}

/* Reads one answer: the success check, the RequestId, then the action's own members; on failure
 * out is released and the HTTP status noted. */
static cdr_error read_answer(const char *body, size_t len, long http_status, char request_id[64],
                             cdr_error (*read)(const cJSON *root, void *out,
                                               struct cdr_error_info *err),
                             void (*release)(void *out), void *out, struct cdr_error_info *err)
{
    cJSON *root;
    request_id[0] = '\0';
    cdr_error rc = cdr__aliyun_parse_root(body, len, http_status, &root, err);
    if (rc == CDR_OK) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "RequestId");
        if (cJSON_IsString(id))
            snprintf(request_id, 64, "%s", id->valuestring);
        rc = read(root, out, err);
    }
    cJSON_Delete(root);
    if (rc != CDR_OK)
        release(out);
    return cdr__aliyun_with_status(rc, http_status, err);
}

/* Data as a list of objects (an array; one object an XML-to-JSON bridge made of a one-element
 * list; absent or null: none) into *items, size bytes an entry, each read by read_entry (false:
 * out of memory). *count counts the entries read, also on failure, for the caller's release. */
static cdr_error read_list(const cJSON *root, size_t size, void **items, size_t *count,
                           bool (*read_entry)(const cJSON *e, void *item), const char *what,
                           struct cdr_error_info *err)
{
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "Data");
    bool single = cJSON_IsObject(data), none = !data || cJSON_IsNull(data);
    if (!single && !none && !cJSON_IsArray(data))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "Data is not a list of %s", what);
    size_t n = single ? 1 : none ? 0 : (size_t)cJSON_GetArraySize(data);
    if (n && !(*items = calloc(n, size)))
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const cJSON *e = single ? data : cJSON_GetArrayItem(data, (int)i);
        if (!cJSON_IsObject(e))
            return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "Data[%zu] is not an object", i);
        ++*count;
        if (!read_entry(e, (char *)*items + i * size))
            return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    }
    return CDR_OK;
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

static bool read_recording(const cJSON *e, void *item)
{
    struct cdr_aliyun_recording *r = item;
    bool ok = true;
    r->connection_id = cdr__json_dup_text(e, "ConnectionId", &ok);
    r->call_id = cdr__json_dup_text(e, "CallId", &ok);
    r->start_ms = millis(e, "StartTime");
    r->end_ms = millis(e, "EndTime");
    r->url = cdr__json_dup_text(e, "Url", &ok);
    return ok;
}

static cdr_error read_recordings(const cJSON *root, void *out, struct cdr_error_info *err)
{
    struct cdr_aliyun_recordings *list = out;
    void *items = NULL;
    cdr_error rc = read_list(root, sizeof(*list->items), &items, &list->count, read_recording,
                             "recordings", err);
    list->items = items;
    return rc;
}

static void release_recordings(void *out)
{
    cdr_aliyun_recordings_free(out);
}

cdr_error cdr_aliyun_parse_recordings(const char *body, size_t len, long http_status,
                                      struct cdr_aliyun_recordings *out, struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    return read_answer(body, len, http_status, out->request_id, read_recordings, release_recordings,
                       out, err);
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

/* DescribeRecordData answers flat; the others inside Data. */
static cdr_error read_link(const cJSON *root, void *out, struct cdr_error_info *err)
{
    struct cdr_aliyun_record_link *link = out;
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "Data");
    if (data && !cJSON_IsObject(data) && !cJSON_IsNull(data))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "Data is not an object");
    const cJSON *from = cJSON_IsObject(data) ? data : root;
    bool ok = true;
    link->acid = cdr__json_dup_text(from, "Acid", &ok);
    link->oss_link = cdr__json_dup_text(from, "OssLink", &ok);
    link->agent_id = cdr__json_dup_text(from, "AgentId", &ok);
    return ok ? CDR_OK : cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
}

static void release_link(void *out)
{
    cdr_aliyun_record_link_free(out);
}

cdr_error cdr_aliyun_parse_record_link(const char *body, size_t len, long http_status,
                                       struct cdr_aliyun_record_link *out,
                                       struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    return read_answer(body, len, http_status, out->request_id, read_link, release_link, out, err);
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

static bool read_message(const cJSON *e, void *item)
{
    struct cdr_aliyun_message *m = item;
    int64_t sender;
    bool ok = true;
    m->sender_type =
        cdr__json_get_int(e, "SenderType", &sender) && sender > 0 && sender < 100 ? (int)sender : 0;
    m->acid = cdr__json_dup_text(e, "Acid", &ok);
    m->start_ms = millis(e, "StartTime");
    m->end_ms = millis(e, "EndTime");
    m->mid = cdr__json_dup_text(e, "Mid", &ok);
    m->content = cdr__json_dup_text(e, "Content", &ok);
    return ok;
}

static cdr_error read_messages(const cJSON *root, void *out, struct cdr_error_info *err)
{
    struct cdr_aliyun_messages *list = out;
    void *items = NULL;
    cdr_error rc =
        read_list(root, sizeof(*list->items), &items, &list->count, read_message, "messages", err);
    list->items = items;
    return rc;
}

static void release_messages(void *out)
{
    cdr_aliyun_messages_free(out);
}

cdr_error cdr_aliyun_parse_messages(const char *body, size_t len, long http_status,
                                    struct cdr_aliyun_messages *out, struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    return read_answer(body, len, http_status, out->request_id, read_messages, release_messages,
                       out, err);
}
