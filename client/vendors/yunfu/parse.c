/* Yunfu responses: the vendor's {"code","status","message",…} envelope, Laravel's own error bodies,
 * record list pages, call details and the token's validity. */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/timefmt.h"
#include "internal.h"
#include "json_get.h"

cdr_error cdr_yunfu_code_error(long code)
{
    switch (code) {
    case 200:
        return CDR_OK;
    case 1002: /* the account has no cloud node */
    case 5002: /* the task does not exist for that account */
    case 5003: /* (inferred) the record does not exist */
    case 5004: /* (inferred) the call has no recording */
        return CDR_ERR_NOT_FOUND;
    case 401:
        return CDR_ERR_AUTH;
    case 422:
        return CDR_ERR_PARAMETER;
    case 429:
        return CDR_ERR_RATE_LIMITED;
    default:
        return CDR_ERR_VENDOR;
    }
}

static cdr_error status_error(long status)
{
    switch (status) {
    case 401:
    case 403:
        return CDR_ERR_AUTH;
    case 404:
        return CDR_ERR_NOT_FOUND; /* a retired route, or a record the framework did not find */
    case 413:                     /* body refused before the application saw it */
    case 422:
        return CDR_ERR_PARAMETER; /* Laravel validation */
    case 429:
        return CDR_ERR_RATE_LIMITED;
    default:
        return CDR_ERR_HTTP;
    }
}

/* Every error of a response names the HTTP status it came with (0 for a saved body). */
cdr_error cdr__yunfu_with_status(cdr_error rc, long http_status, struct cdr_error_info *err)
{
    if (rc != CDR_OK && err && err->http_status == 0)
        err->http_status = http_status;
    return rc;
}

/* *root is the envelope of a success (HTTP 200, code 200), owned by the caller; otherwise the
 * mapped error is returned with err filled. An HTTP status of 0 means unknown (a saved body) and
 * is read as 200. */
cdr_error cdr__yunfu_open_envelope(const char *body, size_t len, long http_status, cJSON **out,
                                   struct cdr_error_info *err)
{
    *out = NULL;
    struct cdr_error_info unread; /* why the body is not JSON, if it is not */
    cJSON *root = cdr__json_parse_answer(body, len, "response", &unread);
    const cJSON *message = cJSON_GetObjectItemCaseSensitive(root, "message");
    const char *text = cJSON_IsString(message) ? message->valuestring : NULL;
    int64_t code;
    bool has_code = cJSON_IsObject(root) && cdr__json_get_int(root, "code", &code);
    char code_text[24] = "";
    if (has_code)
        snprintf(code_text, sizeof(code_text), "%lld", (long long)code);
    if (http_status != 200 && http_status != 0) {
        char fallback[48];
        snprintf(fallback, sizeof(fallback), "HTTP %ld", http_status);
        /* Laravel says why in "message" (empty for a refused body); an envelope also has a code. */
        cdr_error rc = cdr_error_set_vendor(err, status_error(http_status), http_status, code_text,
                                            text && text[0] ? text : fallback);
        cJSON_Delete(root);
        return rc;
    }
    cdr_error rc;
    if (!root) {
        rc = cdr_error_set(err, unread.code, "%s", unread.message);
    } else if (!cJSON_IsObject(root)) {
        rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "response is not a JSON object");
    } else if (!has_code) {
        rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "response without a numeric code");
    } else if (code != 200) {
        rc = cdr_error_set_vendor(err, cdr_yunfu_code_error((long)code), http_status, code_text,
                                  text ? text : "");
    } else {
        *out = root;
        return CDR_OK;
    }
    cJSON_Delete(root);
    return cdr__yunfu_with_status(rc, http_status, err);
}

/* ---- the list -------------------------------------------------------------------------------- */

void cdr_yunfu_page_free(struct cdr_yunfu_page *page)
{
    if (!page)
        return;
    cdr__records_free(page->records, page->record_count);
    free(page->paging_json);
    memset(page, 0, sizeof(*page));
}

cdr_error cdr__yunfu_read_meta(const cJSON *root, bool *has_pages, int64_t *total,
                               int64_t *last_page, int64_t *current_page, int64_t *per_page,
                               char **paging_json, struct cdr_error_info *err)
{
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(root, "meta");
    if (!cJSON_IsObject(meta))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "success without a meta object");
    if (!cdr__json_get_int(meta, "total", total) ||
        !cdr__json_get_int(meta, "last_page", last_page) ||
        !cdr__json_get_int(meta, "current_page", current_page))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                             "meta lacks integer total/last_page/current_page");
    if (!cdr__json_get_int(meta, "per_page", per_page)) /* "1" in the vendor's example */
        *per_page = 0;
    const cJSON *has = cJSON_GetObjectItemCaseSensitive(meta, "has_pages");
    int64_t flag;
    *has_pages = cJSON_IsTrue(has) || (cdr__json_as_int(has, &flag) && flag != 0);
    if (*total < 0 || *last_page < 0 || *current_page < 0 || *per_page < 0)
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "negative paging values");
    if (!(*paging_json = cdr__json_print(meta)))
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    return CDR_OK;
}

cdr_error cdr_yunfu_parse_page(const char *body, size_t len, long http_status,
                               struct cdr_yunfu_page *out, struct cdr_error_info *err)
{
    return cdr__yunfu_parse_page(body, len, http_status, true, out, err);
}

cdr_error cdr__yunfu_parse_page(const char *body, size_t len, long http_status, bool keep_raw,
                                struct cdr_yunfu_page *out, struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    cJSON *root;
    cdr_error rc = cdr__yunfu_open_envelope(body, len, http_status, &root, err);
    if (rc != CDR_OK)
        return rc;
    rc = CDR__YUNFU_READ_META(root, out, err);
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
    if (rc == CDR_OK && !cJSON_IsArray(data))
        rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "data is not an array");
    size_t n = rc == CDR_OK ? (size_t)cJSON_GetArraySize(data) : 0;
    if (n && !(out->records = calloc(n, sizeof(*out->records))))
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    const cJSON *r;
    cJSON_ArrayForEach(r, (rc == CDR_OK ? data : NULL)) {
        rc = cdr__yunfu_normalize_record(r, keep_raw, &out->records[out->record_count], err);
        if (rc != CDR_OK)
            break;
        out->record_count++;
    }
    cJSON_Delete(root);
    if (rc != CDR_OK)
        cdr_yunfu_page_free(out);
    return cdr__yunfu_with_status(rc, http_status, err);
}

/* ---- one call -------------------------------------------------------------------------------- */

static void utterance_free(struct cdr_yunfu_utterance *u)
{
    free(u->id);
    free(u->notify);
    free(u->question);
    free(u->answer_text);
    free(u->answer_content);
    free(u->raw_json);
}

void cdr_yunfu_detail_free(struct cdr_yunfu_detail *detail)
{
    if (!detail)
        return;
    if (detail->has_record)
        cdr_record_free(&detail->record);
    for (size_t i = 0; i < detail->utterance_count; i++)
        utterance_free(&detail->utterances[i]);
    free(detail->utterances);
    memset(detail, 0, sizeof(*detail));
}

static cdr_error read_rows(const cJSON *rows, struct cdr_yunfu_detail *out,
                           struct cdr_error_info *err)
{
    if (!rows || cJSON_IsNull(rows))
        return CDR_OK;
    if (!cJSON_IsArray(rows))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "details is not an array");
    size_t n = (size_t)cJSON_GetArraySize(rows);
    if (n && !(out->utterances = calloc(n, sizeof(*out->utterances))))
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    const cJSON *row;
    cJSON_ArrayForEach(row, rows) {
        if (!cJSON_IsObject(row))
            return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "a details row is not an object");
        struct cdr_yunfu_utterance *u = &out->utterances[out->utterance_count++];
        bool ok = true;
        u->id = cdr__json_dup_text(row, "id", &ok);
        u->notify = cdr__json_dup_text(row, "notify", &ok);
        u->question = cdr__json_dup_text(row, "question", &ok);
        u->answer_text = cdr__json_dup_text(row, "answer_text", &ok);
        u->answer_content = cdr__json_dup_text(row, "answer_content", &ok);
        if (!cdr__json_get_int(row, "sequence", &u->sequence))
            u->sequence = -1;
        if (!cdr__json_get_time(row, "created_at", CDR_CHINA_OFFSET_SECONDS, &u->time))
            u->time = CDR_TIME_NONE; /* a row's stamp is informative only */
        if (!(u->raw_json = cdr__json_print(row)))
            ok = false;
        if (!ok)
            return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    }
    /* The list's details come by id (the documented detail by sequence); a transcript reads by
     * sequence. Insertion sort is stable and a call has a few dozen rows. */
    for (size_t i = 1; i < out->utterance_count; i++) {
        struct cdr_yunfu_utterance u = out->utterances[i];
        size_t j = i;
        for (; j > 0 && out->utterances[j - 1].sequence > u.sequence; j--)
            out->utterances[j] = out->utterances[j - 1];
        out->utterances[j] = u;
    }
    return CDR_OK;
}

static bool looks_like_record(const cJSON *item)
{
    return cJSON_IsObject(item) && cJSON_GetObjectItemCaseSensitive(item, "calldate");
}

cdr_error cdr_yunfu_parse_detail(const char *body, size_t len, long http_status,
                                 struct cdr_yunfu_detail *out, struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    cJSON *root;
    cdr_error rc = cdr__yunfu_open_envelope(body, len, http_status, &root, err);
    if (rc != CDR_OK)
        return rc;
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
    const cJSON *record = NULL, *rows = NULL;
    const cJSON *documented = cJSON_GetObjectItemCaseSensitive(data, "records");
    if (cJSON_IsObject(data) && cJSON_IsArray(documented)) {
        rows = documented; /* {"records": [rows]}: the vendor's example */
    } else if (looks_like_record(data)) {
        record = data;
        rows = cJSON_GetObjectItemCaseSensitive(data, "details");
    } else if (cJSON_IsObject(data) &&
               looks_like_record(cJSON_GetObjectItemCaseSensitive(data, "record"))) {
        record = cJSON_GetObjectItemCaseSensitive(data, "record");
        rows = cJSON_GetObjectItemCaseSensitive(data, "details");
        if (!rows)
            rows = cJSON_GetObjectItemCaseSensitive(record, "details");
    } else if (cJSON_IsArray(data) && cJSON_GetArraySize(data) == 1 &&
               looks_like_record(data->child)) {
        record = data->child;
        rows = cJSON_GetObjectItemCaseSensitive(record, "details");
    } else if (cJSON_IsArray(data)) {
        rows = data;
    }
    if (!record && !rows)
        rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                           "data is neither a call record nor its details");
    if (rc == CDR_OK && record && (rc = cdr__yunfu_normalize(record, &out->record, err)) == CDR_OK)
        out->has_record = true;
    if (rc == CDR_OK)
        rc = read_rows(rows, out, err);
    cJSON_Delete(root);
    if (rc != CDR_OK)
        cdr_yunfu_detail_free(out);
    return cdr__yunfu_with_status(rc, http_status, err);
}

/* ---- the token ------------------------------------------------------------------------------- */

cdr_error cdr_yunfu_parse_token(const char *body, size_t len, long http_status,
                                struct cdr_yunfu_token_info *out, struct cdr_error_info *err)
{
    out->expires_at = CDR_TIME_NONE;
    out->expires_in = -1;
    cJSON *root;
    cdr_error rc = cdr__yunfu_open_envelope(body, len, http_status, &root, err);
    if (rc != CDR_OK)
        return rc;
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
    if (cJSON_IsObject(data)) {
        if (!cdr__json_get_time(data, "expires_at", CDR_CHINA_OFFSET_SECONDS, &out->expires_at))
            rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "data.expires_at is not a time");
        if (!cdr__json_get_int(data, "expires_in", &out->expires_in))
            out->expires_in = -1;
    }
    cJSON_Delete(root);
    return cdr__yunfu_with_status(rc, http_status, err);
}
