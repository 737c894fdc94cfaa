/* Huawei AgentGateway answers: the {message, retcode, result} envelope and its retcodes, the calls
 * of a calldata answer, the sign-in result and a polled event. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "json_get.h"

cdr_error cdr_huawei_retcode_error(const char *retcode)
{
    static const struct {
        const char *code;
        cdr_error error;
    } map[] = {
        {"0", CDR_OK},
        {"000-002", CDR_ERR_PARAMETER}, /* URL or interface parameter invalid */
        {"000-003", CDR_ERR_AUTH},      /* no permission: missing, wrong or expired Guid */
        {"100-001", CDR_ERR_PARAMETER}, /* sign-in parameter empty or invalid */
        {"100-004", CDR_ERR_AUTH},      /* wrong user name or password */
        {"100-006", CDR_ERR_AUTH},      /* not signed in: the session is gone */
    };
    for (size_t i = 0; retcode && i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(map[i].code, retcode) == 0)
            return map[i].error;
    /* 100-002 (already signed in: sign in with force), 100-007, 100-008 (already out), new ones. */
    return CDR_ERR_VENDOR;
}

/* A return code as text: a string as it is, an integral number written out (pages type their
 * codes as strings, and getRecordingAddress's as a number); NULL for anything else. */
static const char *code_text(const cJSON *code, char buf[24])
{
    int64_t n;
    if (cJSON_IsString(code))
        return code->valuestring;
    if (!cdr__json_as_int(code, &n))
        return NULL;
    snprintf(buf, 24, "%lld", (long long)n);
    return buf;
}

cdr_error cdr__huawei_parse_envelope(const char *body, size_t len, cJSON **root,
                                     struct cdr_error_info *err)
{
    *root = cdr__json_parse_exact(body, len);
    if (!cJSON_IsObject(*root)) {
        cJSON_Delete(*root);
        *root = NULL;
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "response is not a JSON object");
    }
    char number[24];
    /* "retcode" is a string; a number is tolerated. */
    const char *retcode = code_text(cJSON_GetObjectItemCaseSensitive(*root, "retcode"), number);
    cdr_error rc = CDR_OK;
    if (!retcode || !*retcode) {
        rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "response without a retcode");
    } else if (strcmp(retcode, "0") != 0) {
        const cJSON *message = cJSON_GetObjectItemCaseSensitive(*root, "message");
        rc = cdr_error_set_vendor(err, cdr_huawei_retcode_error(retcode), 200, retcode,
                                  cJSON_IsString(message) ? message->valuestring : "");
    }
    if (rc != CDR_OK) {
        cJSON_Delete(*root);
        *root = NULL;
    }
    return rc;
}

void cdr_huawei_records_free(struct cdr_record *recs, size_t count)
{
    cdr__records_free(recs, count);
}

cdr_error cdr__huawei_result_calls(const cJSON *root, struct cdr_record **recs, size_t *count,
                                   struct cdr_error_info *err)
{
    *recs = NULL;
    *count = 0;
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(root, "result");
    if (!result)
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "success without a result");
    if (cJSON_IsNull(result))
        return CDR_OK;
    bool list = cJSON_IsArray(result);
    if (!list && !cJSON_IsObject(result))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                             "result is neither a call, a list of calls nor null");
    size_t n = list ? (size_t)cJSON_GetArraySize(result) : 1;
    if (n == 0)
        return CDR_OK;
    *recs = calloc(n, sizeof(**recs));
    if (!*recs)
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    cdr_error rc = CDR_OK;
    const cJSON *c = list ? result->child : result;
    for (; c && *count < n && rc == CDR_OK; c = list ? c->next : NULL) {
        rc = cdr__huawei_normalize(c, &(*recs)[*count], err);
        if (rc == CDR_OK)
            ++*count;
    }
    if (rc != CDR_OK) {
        cdr_huawei_records_free(*recs, *count);
        *recs = NULL;
        *count = 0;
    }
    return rc;
}

cdr_error cdr_huawei_parse_calls(const char *body, size_t len, struct cdr_record **recs,
                                 size_t *count, struct cdr_error_info *err)
{
    *recs = NULL;
    *count = 0;
    cJSON *root;
    cdr_error rc = cdr__huawei_parse_envelope(body, len, &root, err);
    if (rc == CDR_OK)
        rc = cdr__huawei_result_calls(root, recs, count, err);
    cJSON_Delete(root);
    return rc;
}

/* ---- session answers ------------------------------------------------------------------------- */

static void copy_text(const cJSON *obj, const char *key, char *out, size_t len)
{
    bool ok = true;
    char *text = cdr__json_dup_text(obj, key, &ok);
    snprintf(out, len, "%s", text ? text : "");
    free(text);
}

void cdr__huawei_read_login(const cJSON *root, struct cdr_huawei_login *login)
{
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(root, "result");
    memset(login, 0, sizeof(*login));
    copy_text(r, "workno", login->workno, sizeof(login->workno));
    copy_text(r, "mediatype", login->media_type, sizeof(login->media_type));
    copy_text(r, "serverName", login->server_name, sizeof(login->server_name));
    copy_text(r, "timeRemaining", login->time_remaining, sizeof(login->time_remaining));
    if (!cdr__json_get_int(r, "vdnid", &login->vdnid))
        login->vdnid = -1;
    if (!cdr__json_get_int(r, "loginTime", &login->login_time_ms))
        login->login_time_ms = -1;
    const cJSON *force = cJSON_GetObjectItemCaseSensitive(r, "isForceChange");
    login->force_change =
        cJSON_IsTrue(force) || (cJSON_IsString(force) && strcmp(force->valuestring, "true") == 0);
}

void cdr_huawei_event_free(struct cdr_huawei_event *event)
{
    if (!event)
        return;
    free(event->type);
    free(event->work_no);
    free(event->content_json);
    memset(event, 0, sizeof(*event));
}

cdr_error cdr__huawei_read_event(const cJSON *root, struct cdr_huawei_event *out,
                                 struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    const cJSON *event = cJSON_GetObjectItemCaseSensitive(root, "event");
    if (!event || cJSON_IsNull(event))
        return CDR_OK;
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(event, "eventType");
    const cJSON *content = cJSON_GetObjectItemCaseSensitive(event, "content");
    if (!cJSON_IsObject(event) || !cJSON_IsString(type) || !type->valuestring[0])
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "event without an eventType");
    bool ok = true;
    out->type = strdup(type->valuestring);
    out->work_no = cdr__json_dup_text(event, "workNo", &ok);
    out->content_json = content ? cJSON_PrintUnformatted(content) : strdup("null");
    if (!cdr__json_get_int(event, "eventGenTime", &out->gen_time_ms))
        out->gen_time_ms = -1;
    if (ok && out->type && out->content_json)
        return CDR_OK;
    cdr_huawei_event_free(out);
    return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
}

/* ---- the API Fabric -------------------------------------------------------------------------- */

cdr_error cdr__huawei_gateway_error(const struct cdr_http_response *resp, const char *what,
                                    struct cdr_error_info *err)
{
    long st = resp->status;
    cdr_error code = st == 400 || st == 413   ? CDR_ERR_PARAMETER
                     : st == 401 || st == 403 ? CDR_ERR_AUTH
                     : st == 404              ? CDR_ERR_NOT_FOUND
                     : st == 429              ? CDR_ERR_RATE_LIMITED
                                              : CDR_ERR_HTTP;
    /* {"error_code","error_msg"} when the gateway sent its object. */
    cJSON *root = cdr__json_parse_exact(resp->body, resp->body_len);
    const cJSON *ec = cJSON_GetObjectItemCaseSensitive(root, "error_code");
    const cJSON *em = cJSON_GetObjectItemCaseSensitive(root, "error_msg");
    if (cJSON_IsString(ec))
        cdr_error_set_vendor(err, code, st, ec->valuestring,
                             cJSON_IsString(em) ? em->valuestring : "");
    else
        cdr_error_set(err, code, "HTTP %ld from %s", st, what);
    if (err)
        err->http_status = st;
    cJSON_Delete(root);
    return code;
}

void cdr_huawei_token_free(struct cdr_huawei_token *t)
{
    if (!t)
        return;
    free(t->access_token);
    free(t->apply_type);
    free(t->scope);
    free(t->app_key);
    free(t->user_id);
    memset(t, 0, sizeof(*t));
}

cdr_error cdr__huawei_parse_token(const char *body, size_t len, struct cdr_huawei_token *out,
                                  struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    cJSON *root = cdr__json_parse_exact(body, len);
    bool ok = true;
    out->access_token = cdr__json_dup_text(root, "AccessToken", &ok);
    out->apply_type = cdr__json_dup_text(root, "ApplyType", &ok);
    out->scope = cdr__json_dup_text(root, "Scope", &ok);
    out->app_key = cdr__json_dup_text(root, "AppKey", &ok);
    out->user_id = cdr__json_dup_text(root, "UserID", &ok);
    /* Strings in the example; numbers taken too. */
    if (!cdr__json_get_int(root, "CreateTime", &out->create_time))
        out->create_time = -1;
    bool has_expires = cdr__json_get_int(root, "Expires", &out->expires_in);
    cJSON_Delete(root);
    cdr_error rc = CDR_OK;
    if (!ok)
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    else if (!out->access_token || !out->access_token[0])
        rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "token answer without AccessToken");
    else if (!has_expires || out->expires_in < 1)
        rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                           "token answer without a positive Expires");
    if (rc != CDR_OK)
        cdr_huawei_token_free(out);
    return rc;
}

cdr_error cdr__huawei_parse_recording(const char *body, size_t len, char **url,
                                      struct cdr_error_info *err)
{
    *url = NULL;
    cJSON *root = cdr__json_parse_exact(body, len);
    char number[24];
    /* A number on the page; a string taken too. */
    const char *retcode = code_text(cJSON_GetObjectItemCaseSensitive(root, "retCode"), number);
    if (!cJSON_IsObject(root) || !retcode || !*retcode) {
        cJSON_Delete(root);
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                             "getRecordingAddress answer without a retCode");
    }
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(root, "retMsg");
    const cJSON *u =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "result"), "url");
    cdr_error rc = CDR_OK;
    if (strcmp(retcode, "0") != 0) {
        /* 5: no such history record; 12: a serial number over 50 characters. */
        rc = cdr_error_set_vendor(err,
                                  strcmp(retcode, "5") == 0    ? CDR_ERR_NOT_FOUND
                                  : strcmp(retcode, "12") == 0 ? CDR_ERR_PARAMETER
                                                               : CDR_ERR_VENDOR,
                                  200, retcode, cJSON_IsString(msg) ? msg->valuestring : "");
    } else if (!cJSON_IsString(u) || !u->valuestring[0]) {
        rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "recording address without result.url");
    } else if (!(*url = strdup(u->valuestring))) {
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    }
    cJSON_Delete(root);
    return rc;
}

/* ---- queryCallDetailRecord ------------------------------------------------------------------- */

void cdr_huawei_history_page_free(struct cdr_huawei_history_page *page)
{
    if (!page)
        return;
    cdr__records_free(page->records, page->record_count);
    free(page->raw_json);
    memset(page, 0, sizeof(*page));
}

/* The records of result.callInfo into out. */
static cdr_error history_records(const cJSON *result, struct cdr_huawei_history_page *out,
                                 struct cdr_error_info *err)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(result, "callInfo");
    if (list && !cJSON_IsNull(list) && !cJSON_IsArray(list))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "callInfo is not a list");
    size_t n = (size_t)cJSON_GetArraySize(list);
    if (n && !(out->records = calloc(n, sizeof(*out->records))))
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    const cJSON *r;
    cJSON_ArrayForEach(r, list) {
        cdr_error rc = cdr__huawei_history_normalize(r, &out->records[out->record_count], err);
        if (rc != CDR_OK)
            return rc;
        out->record_count++;
    }
    return CDR_OK;
}

cdr_error cdr_huawei_parse_history(const char *body, size_t len, long http_status,
                                   struct cdr_huawei_history_page *out, struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (http_status && http_status != 200) {
        struct cdr_http_response resp = {
            .status = http_status, .body = (char *)body, .body_len = len};
        return cdr__huawei_gateway_error(&resp, "queryCallDetailRecord", err);
    }
    cJSON *root = cdr__json_parse_exact(body, len);
    char number[24];
    /* A string on the page; a number taken too. */
    const char *retcode = code_text(cJSON_GetObjectItemCaseSensitive(root, "retCode"), number);
    cdr_error rc = CDR_OK;
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(root, "result");
    if (!cJSON_IsObject(root) || !retcode || !*retcode) {
        rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                           "queryCallDetailRecord answer without a retCode");
    } else if (strcmp(retcode, "1") == 0) {
        out->no_data = true; /* "no data found": an empty page, not a failure */
    } else if (strcmp(retcode, "0") != 0) {
        const cJSON *msg = cJSON_GetObjectItemCaseSensitive(root, "retMsg");
        bool parameter =
            strcmp(retcode, "2") == 0 || strcmp(retcode, "4") == 0 || strcmp(retcode, "12") == 0;
        rc = cdr_error_set_vendor(err, parameter ? CDR_ERR_PARAMETER : CDR_ERR_VENDOR, 200, retcode,
                                  cJSON_IsString(msg) ? msg->valuestring : "");
    } else if (!cJSON_IsObject(result) || !cdr__json_get_int(result, "total", &out->total) ||
               out->total < 0) {
        rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                           "queryCallDetailRecord success without result.total");
    } else if ((rc = history_records(result, out, err)) == CDR_OK &&
               !(out->raw_json = cdr__json_print_without(result, "callInfo"))) {
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    }
    cJSON_Delete(root);
    if (rc != CDR_OK)
        cdr_huawei_history_page_free(out);
    return rc;
}
