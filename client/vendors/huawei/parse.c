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

cdr_error cdr__huawei_parse_envelope(const char *body, size_t len, cJSON **root,
                                     struct cdr_error_info *err)
{
    *root = cdr__json_parse_exact(body, len);
    if (!cJSON_IsObject(*root)) {
        cJSON_Delete(*root);
        *root = NULL;
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "response is not a JSON object");
    }
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(*root, "retcode");
    char number[32];
    const char *retcode = cJSON_IsString(code) ? code->valuestring : NULL;
    int64_t n;
    if (!retcode && cdr__json_as_int(code, &n)) { /* "retcode" is a string; tolerate a number */
        snprintf(number, sizeof(number), "%lld", (long long)n);
        retcode = number;
    }
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
    if (ok && out->type && out->content_json)
        return CDR_OK;
    cdr_huawei_event_free(out);
    return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
}
