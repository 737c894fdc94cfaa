/* The Huawei AgentGateway session: sign in, carry the Guid on every request and follow it when
 * the gateway hands over a new one (Set-GUID: JSESSIONID=<guid>, on any answer), keep cookies,
 * poll events, refresh, sign out, and query call information. */
#include "cdrsim/huawei.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cdrsim/buf.h"
#include "cdrsim/sign.h"
#include "huawei_internal.h"
#include "json_get.h"

#define GUID_MAX 256

struct cdr_huawei_session {
    struct cdr_http *http;
    char *base; /* base URL + "/agentgateway/resource" */
    char agent_id[16];
    char *password;
    char *phone;
    int status;
    enum cdr_huawei_lastcall_flag lastcall_flag;
    char guid[GUID_MAX];
};

void cdr_huawei_options_default(struct cdr_huawei_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->status = 4;
    opts->lastcall_flag = CDR_HUAWEI_LASTCALL_AUTO;
    cdr_http_options_default(&opts->http);
    opts->http.cookies = true;
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

const char *cdr_huawei_guid(const struct cdr_huawei_session *s)
{
    return s ? s->guid : "";
}

static bool digits(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    return n > 0 && n <= max && strspn(s, "0123456789") == n;
}

struct cdr_huawei_session *cdr_huawei_session_new(const struct cdr_huawei_options *opts,
                                                  struct cdr_error_info *err)
{
    if (!opts || !opts->base_url || !opts->password || !opts->phone) {
        cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                      "base URL, agent ID, password and phone are required");
        return NULL;
    }
    /* The agent ID goes into the URL path: digits only, nothing that could change the path. */
    if (!digits(opts->agent_id, 9)) {
        cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "the agent ID must be 1 to 9 decimal digits");
        return NULL;
    }
    if (opts->status < 3 || opts->status > 5) {
        cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                      "status must be 3 (busy), 4 (idle) or 5 (wrap-up)");
        return NULL;
    }
    struct cdr_huawei_session *s = calloc(1, sizeof(*s));
    if (!s) {
        cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        return NULL;
    }
    size_t n = strlen(opts->base_url);
    while (n > 0 && opts->base_url[n - 1] == '/')
        n--;
    struct cdr_buf base;
    cdr_buf_init(&base);
    cdr_buf_printf(&base, "%.*s/agentgateway/resource", (int)n, opts->base_url);
    s->base = cdr_buf_steal(&base);
    snprintf(s->agent_id, sizeof(s->agent_id), "%s", opts->agent_id);
    s->password = strdup(opts->password);
    s->phone = strdup(opts->phone);
    s->status = opts->status;
    s->lastcall_flag = opts->lastcall_flag;
    if (!s->base || !s->password || !s->phone) {
        cdr_huawei_session_free(s);
        cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        return NULL;
    }
    struct cdr_http_options http = opts->http;
    http.cookies = true;
    s->http = cdr_http_new(&http, err);
    if (!s->http) {
        cdr_huawei_session_free(s);
        return NULL;
    }
    return s;
}

void cdr_huawei_session_free(struct cdr_huawei_session *s)
{
    if (!s)
        return;
    cdr_http_free(s->http);
    free(s->base);
    free(s->password);
    free(s->phone);
    free(s);
}

/* ---- one exchange ---------------------------------------------------------------------------- */

/* Takes a Guid from "Guid: <guid>" or "Set-GUID: JSESSIONID=<guid>[; ...]". Refuses what could
 * not go back into a header line. */
static bool take_guid(struct cdr_huawei_session *s, const char *value)
{
    if (strncasecmp(value, "JSESSIONID=", 11) == 0)
        value += 11;
    size_t n = strcspn(value, "; \t");
    if (n == 0 || n >= sizeof(s->guid))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)value[i] < 0x21 || value[i] == 0x7f)
            return false;
    memcpy(s->guid, value, n);
    s->guid[n] = '\0';
    return true;
}

static cdr_error http_status_error(long status)
{
    return status == 401 || status == 403 ? CDR_ERR_AUTH
           : status == 404                ? CDR_ERR_NOT_FOUND
           : status == 429                ? CDR_ERR_RATE_LIMITED
                                          : CDR_ERR_HTTP;
}

/* Sends one request under the session's Guid and parses the envelope; on CDR_OK *root is the
 * answer (caller deletes). With take_guid_header, the answer's Guid header (sign-in) is taken. */
static cdr_error exchange(struct cdr_huawei_session *s, const char *method, const char *path,
                          const char *body, bool idempotent, bool take_guid_header, cJSON **root,
                          struct cdr_error_info *err)
{
    *root = NULL;
    struct cdr_buf url, guid;
    cdr_buf_init(&url);
    cdr_buf_init(&guid);
    cdr_buf_printf(&url, "%s%s", s->base, path);
    cdr_buf_printf(&guid, "Guid: %s", s->guid);
    if (url.failed || guid.failed) {
        cdr_buf_free(&url);
        cdr_buf_free(&guid);
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    }
    const char *headers[] = {"Content-Type: application/json; charset=UTF-8", guid.data};
    struct cdr_http_request req = {
        method, url.data, headers, s->guid[0] ? 2 : 1, body, body ? strlen(body) : 0, idempotent};
    struct cdr_http_response resp;
    cdr_error rc = cdr_http_send(s->http, &req, &resp, err);
    cdr_buf_free(&url);
    cdr_buf_free(&guid);
    if (rc != CDR_OK)
        return rc;
    const char *handed = take_guid_header ? cdr_http_response_header(&resp, "Guid") : NULL;
    if (handed)
        take_guid(s, handed);
    /* The gateway's Guid handover; taken from any answer, errors included. */
    const char *set_guid = cdr_http_response_header(&resp, "Set-GUID");
    if (set_guid && !handed)
        take_guid(s, set_guid);
    if (resp.status != 200) {
        rc = cdr_error_set(err, http_status_error(resp.status), "HTTP %ld from %s %s", resp.status,
                           method, path);
    } else {
        rc = huawei_parse_envelope(resp.body, resp.body_len, root, err);
    }
    if (err && rc != CDR_OK)
        err->http_status = resp.status;
    cdr_http_response_free(&resp);
    return rc;
}

/* ---- session --------------------------------------------------------------------------------- */

static void copy_text(const cJSON *obj, const char *key, char *out, size_t len)
{
    bool ok = true;
    char *text = json_dup_text(obj, key, &ok);
    snprintf(out, len, "%s", text ? text : "");
    free(text);
}

static void read_login(const cJSON *root, struct cdr_huawei_login *login)
{
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(root, "result");
    memset(login, 0, sizeof(*login));
    copy_text(r, "workno", login->workno, sizeof(login->workno));
    copy_text(r, "mediatype", login->media_type, sizeof(login->media_type));
    copy_text(r, "serverName", login->server_name, sizeof(login->server_name));
    copy_text(r, "timeRemaining", login->time_remaining, sizeof(login->time_remaining));
    if (!json_get_int(r, "vdnid", &login->vdnid))
        login->vdnid = -1;
    if (!json_get_int(r, "loginTime", &login->login_time_ms))
        login->login_time_ms = -1;
    const cJSON *force = cJSON_GetObjectItemCaseSensitive(r, "isForceChange");
    login->force_change =
        cJSON_IsTrue(force) || (cJSON_IsString(force) && strcmp(force->valuestring, "true") == 0);
}

cdr_error cdr_huawei_sign_in(struct cdr_huawei_session *s, bool force,
                             struct cdr_huawei_login *login, struct cdr_error_info *err)
{
    if (!s)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing session");
    struct cdr_buf body, path;
    cdr_buf_init(&body);
    cdr_buf_init(&path);
    cdr_buf_puts(&body, "{\"password\":");
    cdr_buf_json_string(&body, s->password);
    cdr_buf_puts(&body, ",\"phonenum\":");
    cdr_buf_json_string(&body, s->phone);
    cdr_buf_printf(
        &body,
        ",\"status\":%d,\"autoanswer\":true,\"autoenteridle\":true,\"releasephone\":true,"
        "\"agenttype\":4}",
        s->status);
    cdr_buf_printf(&path, "/onlineagent/%s%s", s->agent_id, force ? "/forcelogin" : "");
    cdr_error rc;
    cJSON *root = NULL;
    char before[GUID_MAX];
    memcpy(before, s->guid, sizeof(before));
    if (body.failed || path.failed) {
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    } else {
        s->guid[0] = '\0'; /* only a Guid from this answer counts */
        rc = exchange(s, "PUT", path.data, body.data, false, true, &root, err);
    }
    if (rc == CDR_OK && !s->guid[0])
        rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "sign-in answer without a Guid header");
    if (rc != CDR_OK) /* a refused sign-in (100-002) leaves a running session as it was */
        memcpy(s->guid, before, sizeof(before));
    if (rc == CDR_OK && login)
        read_login(root, login);
    cJSON_Delete(root);
    cdr_buf_free(&body);
    cdr_buf_free(&path);
    return rc;
}

/* An exchange whose answer is only checked, not read. */
static cdr_error simple(struct cdr_huawei_session *s, const char *method, const char *tail,
                        bool idempotent, cJSON **root, struct cdr_error_info *err)
{
    if (root)
        *root = NULL;
    if (!s)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing session");
    char path[128];
    snprintf(path, sizeof(path), tail, s->agent_id);
    cJSON *answer = NULL;
    cdr_error rc = exchange(s, method, path, NULL, idempotent, false, &answer, err);
    if (root)
        *root = answer;
    else
        cJSON_Delete(answer);
    return rc;
}

cdr_error cdr_huawei_sign_out(struct cdr_huawei_session *s, struct cdr_error_info *err)
{
    /* Not retried: a repeated sign-out meets 100-008. */
    cdr_error rc = simple(s, "DELETE", "/onlineagent/%s/logout", false, NULL, err);
    if (rc == CDR_OK)
        s->guid[0] = '\0';
    return rc;
}

cdr_error cdr_huawei_refresh_guid(struct cdr_huawei_session *s, struct cdr_error_info *err)
{
    cJSON *root;
    cdr_error rc = simple(s, "PUT", "/onlineagent/%s/updateGuid", false, &root, err);
    if (rc != CDR_OK)
        return rc;
    const cJSON *guid =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "result"), "guid");
    if (!cJSON_IsString(guid) || !take_guid(s, guid->valuestring))
        rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                           "updateGuid answer without a usable result.guid");
    cJSON_Delete(root);
    return rc;
}

cdr_error cdr_huawei_poll_event(struct cdr_huawei_session *s, struct cdr_huawei_event *out,
                                struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    cJSON *root;
    cdr_error rc = simple(s, "GET", "/agentevent/%s", true, &root, err);
    if (rc != CDR_OK)
        return rc;
    const cJSON *event = cJSON_GetObjectItemCaseSensitive(root, "event");
    if (event && !cJSON_IsNull(event)) {
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(event, "eventType");
        const cJSON *content = cJSON_GetObjectItemCaseSensitive(event, "content");
        bool ok = true;
        if (!cJSON_IsObject(event) || !cJSON_IsString(type) || !type->valuestring[0]) {
            rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "event without an eventType");
        } else {
            out->type = strdup(type->valuestring);
            out->work_no = json_dup_text(event, "workNo", &ok);
            out->content_json = content ? cJSON_PrintUnformatted(content) : strdup("null");
            if (!ok || !out->type || !out->content_json)
                rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        }
        if (rc != CDR_OK)
            cdr_huawei_event_free(out);
    }
    cJSON_Delete(root);
    return rc;
}

/* ---- call information ------------------------------------------------------------------------ */

/* GET a calldata path and take its one call, if any. */
static cdr_error one_call(struct cdr_huawei_session *s, const char *path, struct cdr_record *out,
                          bool *found, struct cdr_error_info *err)
{
    cJSON *root;
    struct cdr_record *recs;
    size_t count = 0;
    cdr_error rc = exchange(s, "GET", path, NULL, true, false, &root, err);
    if (rc == CDR_OK)
        rc = huawei_result_calls(root, &recs, &count, err);
    cJSON_Delete(root);
    if (rc != CDR_OK)
        return rc;
    if (count > 1) {
        cdr_huawei_records_free(recs, count);
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "a list where one call was expected");
    }
    *found = count == 1;
    if (*found)
        *out = recs[0];
    free(recs);
    return CDR_OK;
}

static cdr_error call_info_flag(struct cdr_huawei_session *s, bool flag, struct cdr_record *out,
                                bool *found, struct cdr_error_info *err)
{
    char path[96];
    snprintf(path, sizeof(path), "/calldata/%s/callinfo?isNoContainLastCall=%s", s->agent_id,
             flag ? "true" : "false");
    return one_call(s, path, out, found, err);
}

cdr_error cdr_huawei_call_info(struct cdr_huawei_session *s, bool include_last_call,
                               struct cdr_record *out, bool *found, struct cdr_error_info *err)
{
    cdr_record_init(out);
    *found = false;
    if (!s)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing session");
    /* The flag value that asks for the last call under the configured meaning; AUTO starts with
     * the documented one. */
    bool last_flag = s->lastcall_flag != CDR_HUAWEI_LASTCALL_NAME;
    cdr_error rc = call_info_flag(s, include_last_call ? last_flag : !last_flag, out, found, err);
    if (rc == CDR_OK && include_last_call && !*found &&
        s->lastcall_flag == CDR_HUAWEI_LASTCALL_AUTO)
        rc = call_info_flag(s, !last_flag, out, found,
                            err); /* the server reads the flag the other way */
    /* Only the current call was asked for, but a server with the other meaning sent the last one:
     * an ended call is not current. */
    if (rc == CDR_OK && *found && !include_last_call && out->end_time != CDR_TIME_NONE) {
        cdr_record_free(out);
        *found = false;
    }
    return rc;
}

cdr_error cdr_huawei_call_by_id(struct cdr_huawei_session *s, const char *callid,
                                struct cdr_record *out, bool *found, struct cdr_error_info *err)
{
    cdr_record_init(out);
    *found = false;
    if (!s || !callid || !*callid)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing session or call ID");
    /* Servlet containers refuse an encoded slash in a path; no call ID of the gateway has one. */
    if (strchr(callid, '/'))
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "a call ID cannot contain '/'");
    char *segment = cdr_percent_encode(callid, strlen(callid));
    struct cdr_buf path;
    cdr_buf_init(&path);
    cdr_buf_printf(&path, "/calldata/%s/callinfobycallid/%s", s->agent_id, segment ? segment : "");
    cdr_error rc = segment && !path.failed ? one_call(s, path.data, out, found, err)
                                           : cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    free(segment);
    cdr_buf_free(&path);
    return rc;
}

cdr_error cdr_huawei_hold_list(struct cdr_huawei_session *s, struct cdr_record **recs,
                               size_t *count, struct cdr_error_info *err)
{
    *recs = NULL;
    *count = 0;
    cJSON *root;
    cdr_error rc = simple(s, "GET", "/calldata/%s/holdlist", true, &root, err);
    if (rc == CDR_OK)
        rc = huawei_result_calls(root, recs, count, err);
    cJSON_Delete(root);
    return rc;
}
