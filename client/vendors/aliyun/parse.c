/* Reading Alibaba Cloud answers: whether one is a success (the AICCS actions each write their
 * Code differently), the HotlineSessionQuery page, and the error documents (JSON, or XML when a
 * server ignored Format=JSON) mapped to cdr_error codes. */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "internal.h"
#include "json_get.h"

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

cdr_error cdr_aliyun_code_error(const char *code, long http_status)
{
    static const char *const auth[] = {
        "SignatureDoesNotMatch",
        "IncompleteSignature",
        "InvalidAccessKeyId.NotFound",
        "InvalidAccessKeyId.Inactive",
        "InvalidSignatureMethod",
        "InvalidSignatureVersion",
        /* A nonce the server has seen is a replay: the request's authentication is refused. */
        "SignatureNonceUsed",
        "InvalidSecurityToken.Expired",
        "InvalidSecurityToken.Malformed",
        "InvalidSecurityToken.MismatchWithAccessKey",
        /* Missing parts of the credentials themselves, not of the query. */
        "MissingSecurityToken",
        "MissingSignature",
        "Forbidden.RAM",
        "Forbidden.AccessKeyDisabled",
    };
    if (code && (strcmp(code, "Success") == 0 || strcmp(code, "success") == 0 ||
                 strcmp(code, "OK") == 0 || strcmp(code, "200") == 0))
        return CDR_OK;
    for (size_t i = 0; code && i < sizeof(auth) / sizeof(auth[0]); i++)
        if (strcmp(code, auth[i]) == 0)
            return CDR_ERR_AUTH;
    if (code && starts_with(code, "InvalidTimeStamp."))
        return CDR_ERR_TIMESTAMP;
    if (code && (starts_with(code, "Missing") || starts_with(code, "InvalidParameter") ||
                 strcmp(code, "InvalidVersion") == 0))
        return CDR_ERR_PARAMETER;
    if (code && starts_with(code, "Throttling"))
        return CDR_ERR_RATE_LIMITED;
    if (code && (strcmp(code, "NoTenantFound") == 0 || strcmp(code, "InvalidAction.NotFound") == 0))
        return CDR_ERR_NOT_FOUND;
    /* DescribeRecordData's own two. */
    if (code && strcmp(code, "Permission.NotAuthorized") == 0)
        return CDR_ERR_AUTH;
    if (code && strcmp(code, "Parameter.Error") == 0)
        return CDR_ERR_PARAMETER;
    /* Alibaba Cloud names a parameter whose value it refuses Invalid<Parameter> ("Specified
     * parameter RecordType is not valid.": InvalidRecordType from GetRecordUrl), with HTTP 400; the
     * Invalid* codes of credentials, timestamps and actions are read above. */
    if (code && (strcmp(code, "InvalidRecordType") == 0 ||
                 (http_status == 400 && starts_with(code, "Invalid"))))
        return CDR_ERR_PARAMETER;
    switch (http_status) {
    case 401:
    case 403:
        return CDR_ERR_AUTH;
    case 404:
        return CDR_ERR_NOT_FOUND;
    case 429:
        return CDR_ERR_RATE_LIMITED;
    default:
        return CDR_ERR_VENDOR;
    }
}

/* ---- XML error documents --------------------------------------------------------------------- */

static const char *find_bounded(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

/* The text of the first <name>...</name>, entities and CDATA decoded; NULL when absent or out
 * of memory (*ok false). */
static char *xml_text(const char *body, size_t len, const char *name, bool *ok)
{
    char open[64], close[64];
    snprintf(open, sizeof(open), "<%s>", name);
    snprintf(close, sizeof(close), "</%s>", name);
    const char *start = find_bounded(body, len, open);
    if (!start)
        return NULL;
    start += strlen(open);
    const char *end = find_bounded(start, len - (size_t)(start - body), close);
    if (!end)
        return NULL;
    static const struct {
        const char *entity;
        char c;
    } entities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "");
    for (const char *p = start; p < end;) {
        size_t left = (size_t)(end - p);
        if (left >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
            const char *stop = find_bounded(p + 9, left - 9, "]]>");
            const char *to = stop ? stop : end;
            cdr_buf_append(&b, p + 9, (size_t)(to - p - 9));
            p = stop ? stop + 3 : end;
            continue;
        }
        size_t k = 0, n = sizeof(entities) / sizeof(entities[0]);
        while (k < n && (left < strlen(entities[k].entity) ||
                         memcmp(p, entities[k].entity, strlen(entities[k].entity)) != 0))
            k++;
        cdr_buf_append(&b, k < n ? &entities[k].c : p, 1);
        p += k < n ? strlen(entities[k].entity) : 1;
    }
    char *text = cdr_buf_steal(&b);
    *ok = *ok && text;
    return text;
}

static cdr_error parse_xml(const char *body, size_t len, long http_status,
                           struct cdr_error_info *err)
{
    bool ok = true;
    char *code = xml_text(body, len, "Code", &ok);
    char *message = xml_text(body, len, "Message", &ok);
    cdr_error rc;
    if (!ok)
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    else if (!code)
        rc = cdr_error_set(err, http_status >= 400 ? CDR_ERR_HTTP : CDR_ERR_MALFORMED_RESPONSE,
                           "XML answer without a Code (HTTP %ld)", http_status);
    else if (cdr_aliyun_code_error(code, http_status) == CDR_OK)
        rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                           "the answer is XML; this client reads JSON (Format=JSON)");
    else
        rc = cdr_error_set_vendor(err, cdr_aliyun_code_error(code, http_status), http_status, code,
                                  message);
    free(code);
    free(message);
    return rc;
}

/* ---- the page -------------------------------------------------------------------------------- */

void cdr_aliyun_page_free(struct cdr_aliyun_page *page)
{
    if (!page)
        return;
    cdr__records_free(page->records, page->record_count);
    free(page->paging_json);
    memset(page, 0, sizeof(*page));
}

/* The Code member as text: a string as it is, a number (GetRecordData's 200) by its digits; ""
 * when absent. false when Code is some other type. */
static bool code_text(const cJSON *code, char out[48])
{
    out[0] = '\0';
    if (!code)
        return true;
    if (cJSON_IsString(code)) {
        snprintf(out, 48, "%s", code->valuestring);
        return true;
    }
    int64_t v;
    if (cdr__json_as_int(code, &v)) {
        snprintf(out, 48, "%lld", (long long)v);
        return true;
    }
    return false;
}

cdr_error cdr__aliyun_check_code(const cJSON *root, long http_status, struct cdr_error_info *err)
{
    const cJSON *message = cJSON_GetObjectItemCaseSensitive(root, "Message");
    const cJSON *success = cJSON_GetObjectItemCaseSensitive(root, "Success");
    const char *message_text = cJSON_IsString(message) ? message->valuestring : "";
    char code[48];
    if (!code_text(cJSON_GetObjectItemCaseSensitive(root, "Code"), code))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "Code is neither text nor a number");
    if (!code[0] && (http_status >= 400 || cJSON_IsFalse(success)))
        return cdr_error_set(err, http_status >= 400 ? CDR_ERR_HTTP : CDR_ERR_VENDOR,
                             "HTTP %ld without an error Code", http_status);
    cdr_error rc = code[0] ? cdr_aliyun_code_error(code, http_status) : CDR_OK;
    if (rc != CDR_OK || cJSON_IsFalse(success) || http_status >= 400)
        return cdr_error_set_vendor(err, rc == CDR_OK ? CDR_ERR_VENDOR : rc, http_status, code,
                                    message_text);
    return CDR_OK;
}

static cdr_error read_records(const cJSON *list, bool keep_raw, struct cdr_aliyun_page *out,
                              struct cdr_error_info *err)
{
    /* XML-to-JSON bridges turn a one-element list into an object, and an empty one into nothing. */
    if (!list || cJSON_IsNull(list))
        return CDR_OK;
    if (!cJSON_IsArray(list) && !cJSON_IsObject(list))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                             "Data.CallDetailRecord is not a list");
    bool single = cJSON_IsObject(list);
    size_t n = single ? 1 : (size_t)cJSON_GetArraySize(list);
    if (n == 0)
        return CDR_OK;
    if (!(out->records = calloc(n, sizeof(*out->records))))
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    if (single)
        return cdr__aliyun_normalize_record(list, keep_raw, &out->records[out->record_count++],
                                            err);
    const cJSON *r;
    cJSON_ArrayForEach(r, list) {
        cdr_error rc =
            cdr__aliyun_normalize_record(r, keep_raw, &out->records[out->record_count], err);
        if (rc != CDR_OK)
            return rc;
        out->record_count++;
    }
    return CDR_OK;
}

static cdr_error read_page(const cJSON *root, bool keep_raw, struct cdr_aliyun_page *out,
                           struct cdr_error_info *err)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "RequestId");
    if (cJSON_IsString(id))
        snprintf(out->request_id, sizeof(out->request_id), "%s", id->valuestring);
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "Data");
    if (!cJSON_IsObject(data))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "success without a Data object");
    if (!cdr__json_get_int(data, "PageSize", &out->page_size) ||
        !cdr__json_get_int(data, "PageNumber", &out->page_number) ||
        !cdr__json_get_int(data, "TotalCount", &out->total_count))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                             "Data lacks integer PageSize/PageNumber/TotalCount");
    if (out->page_size < 0 || out->page_number < 0 || out->total_count < 0)
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "negative paging values");
    if (!(out->paging_json = cdr__json_print_without(data, "CallDetailRecord")))
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    return read_records(cJSON_GetObjectItemCaseSensitive(data, "CallDetailRecord"), keep_raw, out,
                        err);
}

cdr_error cdr__aliyun_parse_root(const char *body, size_t len, long http_status, cJSON **root,
                                 struct cdr_error_info *err)
{
    *root = NULL;
    if (!body)
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "empty response");
    size_t skip = 0;
    while (skip < len && strchr(" \t\r\n", body[skip]) && body[skip])
        skip++;
    struct cdr_error_info unread; /* why the body is not JSON, if it is not */
    cdr_error rc = CDR_OK;
    if (skip < len && body[skip] == '<') {
        rc = parse_xml(body + skip, len - skip, http_status, err);
    } else if (!cJSON_IsObject(*root = cdr__json_parse_answer(body, len, "response", &unread))) {
        rc = http_status >= 400
                 ? cdr_error_set(err, CDR_ERR_HTTP, "HTTP %ld with a body that is not the vendor's",
                                 http_status)
             : *root
                 ? cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "response is not a JSON object")
                 : cdr_error_set(err, unread.code, "%s", unread.message);
        cJSON_Delete(*root);
        *root = NULL;
    } else {
        rc = cdr__aliyun_check_code(*root, http_status, err);
    }
    return cdr__aliyun_with_status(rc, http_status, err);
}

cdr_error cdr__aliyun_with_status(cdr_error rc, long http_status, struct cdr_error_info *err)
{
    if (rc != CDR_OK && err && err->http_status == 0)
        err->http_status = http_status;
    return rc;
}

cdr_error cdr_aliyun_parse_page(const char *body, size_t len, long http_status,
                                struct cdr_aliyun_page *out, struct cdr_error_info *err)
{
    return cdr__aliyun_parse_page(body, len, http_status, true, out, err);
}

cdr_error cdr__aliyun_parse_page(const char *body, size_t len, long http_status, bool keep_raw,
                                 struct cdr_aliyun_page *out, struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    cJSON *root;
    cdr_error rc = cdr__aliyun_parse_root(body, len, http_status, &root, err);
    if (rc == CDR_OK)
        rc = read_page(root, keep_raw, out, err);
    cJSON_Delete(root);
    if (rc != CDR_OK)
        cdr_aliyun_page_free(out);
    return cdr__aliyun_with_status(rc, http_status, err);
}
