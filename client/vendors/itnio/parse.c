/* ITNIO answers: the {"status","reason","data"} envelope (status as number or string), its codes
 * as cdr_error, record pages and the agent-group and agent lists. */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "cdrsim/buf.h"
#include "json_get.h"
#include "json_tokens.h"

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

bool cdr__itnio_status_transient(cdr_error rc, const char *vendor_code)
{
    return rc == CDR_ERR_VENDOR && vendor_code && strcmp(vendor_code, "-18") == 0;
}

/* Reads the envelope's status (number or string, as the vendor sends either) and maps errors.
 * Returns CDR_OK only for status 0. */
static cdr_error check_status(const cJSON *root, struct cdr_error_info *err)
{
    if (!cJSON_IsObject(root))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "response is not a JSON object");
    int64_t status;
    if (!cdr__json_get_int(root, "status", &status))
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
    const cJSON *data;
    const cJSON *records;
};

static cdr_error read_page_head(const cJSON *data, struct page_head *h, struct cdr_error_info *err)
{
    if (!cdr__json_get_int(data, "total", &h->total) ||
        !cdr__json_get_int(data, "size", &h->size) ||
        !cdr__json_get_int(data, "current", &h->current) ||
        !cdr__json_get_int(data, "pages", &h->pages))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                             "data lacks integer total/size/current/pages");
    if (h->total < 0 || h->pages < 0 || h->size < 0 || h->current < 0)
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "negative paging values");
    h->data = data;
    h->records = cJSON_GetObjectItemCaseSensitive(data, "records");
    if (!cJSON_IsArray(h->records))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "data.records is not an array");
    return CDR_OK;
}

/* The list's paging numbers, as every ITNIO list page has them. */
static void copy_head(const struct page_head *h, int64_t *total, int64_t *size, int64_t *current,
                      int64_t *pages)
{
    *total = h->total;
    *size = h->size;
    *current = h->current;
    *pages = h->pages;
}

cdr_error cdr__itnio_open_answer(const char *body, size_t len, cJSON **root,
                                 struct cdr_error_info *err)
{
    if (!(*root = cdr__json_parse_answer(body, len, "response", err)))
        return err ? err->code : CDR_ERR_MALFORMED_RESPONSE;
    cdr_error rc = check_status(*root, err);
    if (rc != CDR_OK) {
        cJSON_Delete(*root);
        *root = NULL;
    }
    return rc;
}

cdr_error cdr__itnio_open_data(const char *body, size_t len, cJSON **root, const cJSON **data,
                               struct cdr_error_info *err)
{
    *data = NULL;
    cdr_error rc = cdr__itnio_open_answer(body, len, root, err);
    if (rc != CDR_OK)
        return rc;
    *data = cJSON_GetObjectItemCaseSensitive(*root, "data");
    if (cJSON_IsObject(*data))
        return CDR_OK;
    cJSON_Delete(*root);
    *root = NULL;
    *data = NULL;
    return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "success without a data object");
}

/* The envelope of a successful page: *root owned by the caller on CDR_OK. */
static cdr_error open_page(const char *body, size_t len, cJSON **root, struct page_head *h,
                           struct cdr_error_info *err)
{
    const cJSON *data;
    cdr_error rc = cdr__itnio_open_data(body, len, root, &data, err);
    if (rc == CDR_OK && (rc = read_page_head(data, h, err)) != CDR_OK) {
        cJSON_Delete(*root);
        *root = NULL;
    }
    return rc;
}

void cdr_itnio_page_free(struct cdr_itnio_page *page)
{
    if (!page)
        return;
    cdr__records_free(page->records, page->record_count);
    free(page->paging_json);
    memset(page, 0, sizeof(*page));
}

cdr_error cdr_itnio_parse_page(const char *body, size_t len, struct cdr_itnio_page *out,
                               struct cdr_error_info *err)
{
    return cdr__itnio_parse_page(body, len, true, out, err);
}

/* check_status and read_page_head over a page read as tokens: the record pages, read without a
 * tree. The same rules and messages. */
static cdr_error check_page_status(const struct cdr__jdoc *doc, struct cdr_error_info *err)
{
    if (!cdr__jdoc_is(doc, 0, CDR__JOBJECT))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "response is not a JSON object");
    int64_t status;
    if (!cdr__jdoc_get_int(doc, 0, "status", &status))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "response without a numeric status");
    if (status == 0)
        return CDR_OK;
    size_t reason = cdr__jdoc_member(doc, 0, "reason");
    char *text = NULL;
    if (reason && cdr__jdoc_is(doc, reason, CDR__JSTRING) &&
        (text = malloc((size_t)cdr__jdoc_at(doc, reason)->len + 1)))
        cdr__jdoc_decode(doc, reason, text);
    char code[24];
    snprintf(code, sizeof(code), "%lld", (long long)status);
    cdr_error rc =
        cdr_error_set_vendor(err, cdr_itnio_status_error((long)status), 0, code, text ? text : "");
    free(text);
    return rc;
}

static cdr_error read_token_head(const struct cdr__jdoc *doc, int64_t *head, size_t *data,
                                 size_t *records, struct cdr_error_info *err)
{
    cdr_error rc = check_page_status(doc, err);
    if (rc != CDR_OK)
        return rc;
    *data = cdr__jdoc_member(doc, 0, "data");
    if (!*data || !cdr__jdoc_is(doc, *data, CDR__JOBJECT))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "success without a data object");
    static const char *const names[] = {"total", "size", "current", "pages"};
    for (size_t i = 0; i < 4; i++)
        if (!cdr__jdoc_get_int(doc, *data, names[i], &head[i]))
            return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                                 "data lacks integer total/size/current/pages");
    for (size_t i = 0; i < 4; i++)
        if (head[i] < 0)
            return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "negative paging values");
    *records = cdr__jdoc_member(doc, *data, "records");
    if (!*records || !cdr__jdoc_is(doc, *records, CDR__JARRAY))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "data.records is not an array");
    return CDR_OK;
}

cdr_error cdr__itnio_parse_page(const char *body, size_t len, bool keep_raw,
                                struct cdr_itnio_page *out, struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    struct cdr__jdoc doc;
    cdr_error rc = cdr__jdoc_parse(&doc, body, len, "response", err);
    if (rc != CDR_OK)
        return rc;
    int64_t head[4];
    size_t data = 0, records = 0;
    if ((rc = read_token_head(&doc, head, &data, &records, err)) != CDR_OK) {
        cdr__jdoc_free(&doc);
        return rc;
    }
    out->total = head[0];
    out->size = head[1];
    out->current = head[2];
    out->pages = head[3];
    size_t n = cdr__jdoc_at(&doc, records)->count;
    out->records = n ? calloc(n, sizeof(*out->records)) : NULL;
    struct cdr_buf paging;
    cdr_buf_init(&paging);
    cdr__jdoc_print(&paging, &doc, data, "records");
    out->paging_json = cdr_buf_steal(&paging);
    if ((n && !out->records) || !out->paging_json)
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    size_t r = records + 1;
    for (size_t k = 0; k < n && rc == CDR_OK; k++, r = cdr__jdoc_at(&doc, r)->end) {
        rc = cdr__itnio_normalize_record(&doc, r, keep_raw, &out->records[out->record_count], err);
        if (rc == CDR_OK)
            out->record_count++;
    }
    cdr__jdoc_free(&doc);
    if (rc != CDR_OK)
        cdr_itnio_page_free(out);
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
        struct cdr_itnio_seat *s = &page->seats[i];
        char *strings[] = {s->emp_no,      s->name,    s->group_name,  s->pet_name,
                           s->app_id,      s->account, s->create_time, s->update_time,
                           s->display_num, s->ccode,   s->connect_rate};
        for (size_t k = 0; k < sizeof(strings) / sizeof(strings[0]); k++)
            free(strings[k]);
    }
    free(page->groups);
    free(page->seats);
    memset(page, 0, sizeof(*page));
}

static int64_t int_or(const cJSON *obj, const char *key, int64_t fallback)
{
    int64_t v;
    return cdr__json_get_int(obj, key, &v) ? v : fallback;
}

static bool read_group(const cJSON *r, struct cdr_itnio_group *g)
{
    bool ok = true;
    g->voice_group_id = int_or(r, "voiceGroupId", -1);
    g->group_name = cdr__json_dup_text(r, "groupName", &ok);
    g->app_name = cdr__json_dup_text(r, "appName", &ok);
    g->callin_strategy = int_or(r, "callinStrategy", -1);
    g->count_seat = int_or(r, "countSeat", -1);
    return ok;
}

static bool read_seat(const cJSON *r, struct cdr_itnio_seat *s)
{
    bool ok = true;
    s->key_id = int_or(r, "keyId", -1);
    s->emp_no = cdr__json_dup_text(r, "empNo", &ok);
    s->name = cdr__json_dup_text(r, "name", &ok);
    s->voice_group_id = int_or(r, "voiceGroupId", -1);
    s->group_name = cdr__json_dup_text(r, "groupName", &ok);
    s->enable = int_or(r, "enable", -1);
    s->status = int_or(r, "status", -1);
    s->pet_name = cdr__json_dup_text(r, "petName", &ok);
    s->app_id = cdr__json_dup_text(r, "appId", &ok);
    s->delete_flag = int_or(r, "deleteFlag", -1);
    s->priority = int_or(r, "priority", -1);
    s->account = cdr__json_dup_text(r, "account", &ok);
    s->create_time = cdr__json_dup_text(r, "createTime", &ok);
    s->update_time = cdr__json_dup_text(r, "updateTime", &ok);
    s->display_num = cdr__json_dup_text(r, "displayNum", &ok);
    s->ccode = cdr__json_dup_text(r, "ccode", &ok);
    s->num = int_or(r, "num", -1);
    s->connect_num = int_or(r, "connectNum", -1);
    s->connect_rate = cdr__json_dup_text(r, "connectRate", &ok);
    return ok;
}

cdr_error cdr__itnio_parse_list(const char *body, size_t len, bool groups,
                                struct cdr_itnio_list_page *out, struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    cJSON *root;
    struct page_head h;
    cdr_error rc = open_page(body, len, &root, &h, err);
    if (rc != CDR_OK)
        return rc;
    copy_head(&h, &out->total, &out->size, &out->current, &out->pages);
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
    cJSON_Delete(root);
    if (rc != CDR_OK)
        cdr_itnio_list_page_free(out);
    return rc;
}
