/* The Huawei AgentGateway session: sign in, carry the Guid on every request and follow it when
 * the gateway hands over a new one (Set-GUID: JSESSIONID=<guid>, on any answer), keep cookies,
 * poll events, refresh and sign out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cdrsim/buf.h"
#include "internal.h"
#include "retry.h"

void cdr_huawei_options_default(struct cdr_huawei_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->status = 4;
    opts->lastcall_flag = CDR_HUAWEI_LASTCALL_AUTO;
    cdr_http_options_default(&opts->http);
    opts->http.cookies = true;
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
    s->unchecked = opts->unchecked;
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

cdr_error cdr__huawei_send(struct cdr_huawei_session *s, const char *method, const char *path,
                           const char *body, const char *extra_header, bool idempotent,
                           bool take_guid_header, struct cdr_http_response *resp,
                           struct cdr_error_info *err)
{
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
    const char *headers[3] = {"Content-Type: application/json; charset=UTF-8"};
    size_t n = 1;
    if (extra_header)
        headers[n++] = extra_header;
    if (s->guid[0])
        headers[n++] = guid.data;
    struct cdr_http_request req = {method,    url.data, headers, n, body, body ? strlen(body) : 0,
                                   idempotent};
    cdr_error rc = cdr_http_send(s->http, &req, resp, err);
    cdr_buf_free(&url);
    cdr_buf_free(&guid);
    if (rc != CDR_OK)
        return rc;
    const char *handed = take_guid_header ? cdr_http_response_header(resp, "Guid") : NULL;
    if (handed)
        take_guid(s, handed);
    /* The gateway's Guid handover; taken from any answer, errors included. */
    const char *set_guid = cdr_http_response_header(resp, "Set-GUID");
    if (set_guid && !handed)
        take_guid(s, set_guid);
    return CDR_OK;
}

/* An answer that must be the gateway's envelope: *root on CDR_OK (caller deletes); resp freed. */
static cdr_error envelope_of(struct cdr_http_response *resp, const char *method, const char *path,
                             cJSON **root, struct cdr_error_info *err)
{
    cdr_error rc;
    if (resp->status != 200) {
        rc = cdr_error_set(err, http_status_error(resp->status), "HTTP %ld from %s %s",
                           resp->status, method, path);
    } else {
        rc = cdr__huawei_parse_envelope(resp->body, resp->body_len, root, err);
    }
    if (err && rc != CDR_OK)
        err->http_status = resp->status;
    cdr_http_response_free(resp);
    return rc;
}

cdr_error cdr__huawei_exchange(struct cdr_huawei_session *s, const char *method, const char *path,
                               const char *body, bool idempotent, bool take_guid_header,
                               cJSON **root, struct cdr_error_info *err)
{
    struct cdr__retry retry;
    cdr__retry_init(&retry, cdr__http_options(s->http));
    if (!idempotent)
        retry.max_retries = 0;
    /* The retcode decides a retry, so it is read even when the caller wants no details. */
    struct cdr_error_info local;
    struct cdr_error_info *e = err ? err : &local;
    for (;;) {
        *root = NULL;
        struct cdr_http_response resp;
        cdr_error rc =
            cdr__huawei_send(s, method, path, body, NULL, idempotent, take_guid_header, &resp, e);
        if (rc == CDR_OK)
            rc = envelope_of(&resp, method, path, root, e);
        /* 100-007, "internal error during the agent operation", is the gateway's own failure: a
         * query is asked again. An operation (sign-in, sign-out, a Guid's renewal) is not: it may
         * have taken effect, and a second one would meet 100-002 or 100-008. */
        if (rc != CDR_ERR_VENDOR || strcmp(e->vendor_code, CDR__HUAWEI_INTERNAL_ERROR) != 0 ||
            !cdr__retry_pause(&retry, -1, rc, e))
            return rc;
        cJSON_Delete(*root);
    }
}

/* ---- session --------------------------------------------------------------------------------- */

cdr_error cdr_huawei_sign_in(struct cdr_huawei_session *s, bool force,
                             struct cdr_huawei_login *login, struct cdr_error_info *err)
{
    if (!s)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing session");
    char *body = cdr__huawei_sign_in_body(s->password, s->phone, s->status);
    struct cdr_buf path;
    cdr_buf_init(&path);
    cdr_buf_printf(&path, "/onlineagent/%s%s", s->agent_id, force ? "/forcelogin" : "");
    cdr_error rc;
    cJSON *root = NULL;
    char before[CDR__HUAWEI_GUID_MAX];
    memcpy(before, s->guid, sizeof(before));
    if (!body || path.failed) {
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    } else {
        s->guid[0] = '\0'; /* only a Guid from this answer counts */
        rc = cdr__huawei_exchange(s, "PUT", path.data, body, false, true, &root, err);
    }
    if (rc == CDR_OK && !s->guid[0])
        rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "sign-in answer without a Guid header");
    if (rc != CDR_OK) /* a refused sign-in (100-002) leaves a running session as it was */
        memcpy(s->guid, before, sizeof(before));
    if (rc == CDR_OK && login)
        cdr__huawei_read_login(root, login);
    cJSON_Delete(root);
    free(body);
    cdr_buf_free(&path);
    return rc;
}

cdr_error cdr__huawei_simple(struct cdr_huawei_session *s, const char *method, const char *tail,
                             bool idempotent, cJSON **root, struct cdr_error_info *err)
{
    if (root)
        *root = NULL;
    if (!s)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing session");
    char path[128];
    snprintf(path, sizeof(path), tail, s->agent_id);
    cJSON *answer = NULL;
    cdr_error rc = cdr__huawei_exchange(s, method, path, NULL, idempotent, false, &answer, err);
    if (root)
        *root = answer;
    else
        cJSON_Delete(answer);
    return rc;
}

cdr_error cdr_huawei_sign_out(struct cdr_huawei_session *s, struct cdr_error_info *err)
{
    /* Not retried: a repeated sign-out meets 100-008. */
    cdr_error rc = cdr__huawei_simple(s, "DELETE", "/onlineagent/%s/logout", false, NULL, err);
    if (rc == CDR_OK)
        s->guid[0] = '\0';
    return rc;
}

cdr_error cdr_huawei_refresh_guid(struct cdr_huawei_session *s, struct cdr_error_info *err)
{
    cJSON *root;
    cdr_error rc = cdr__huawei_simple(s, "PUT", "/onlineagent/%s/updateGuid", false, &root, err);
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
    cdr_error rc = cdr__huawei_simple(s, "GET", "/agentevent/%s", true, &root, err);
    if (rc != CDR_OK)
        return rc;
    rc = cdr__huawei_read_event(root, out, err);
    cJSON_Delete(root);
    return rc;
}

cdr_error cdr_huawei_handshake(struct cdr_huawei_session *s, const char *service_token,
                               struct cdr_error_info *err)
{
    if (!s)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing session");
    /* The token travels in a header: only what the gateway takes, letters and digits (unchecked:
     * anything a header line can carry, to see the gateway's own check). */
    size_t n = service_token ? strlen(service_token) : 0;
    bool takes = n > 0 && n <= 50 &&
                 strspn(service_token,
                        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == n;
    bool fits = n > 0 && n <= 200 && strcspn(service_token, "\r\n") == n;
    if (service_token && !(s->unchecked ? fits : takes))
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                             "a service token is 1 to 50 letters and digits");
    char path[64], header[240];
    snprintf(path, sizeof(path), "/onlineagent/%s/handshake", s->agent_id);
    snprintf(header, sizeof(header), "service_token: %s", service_token ? service_token : "");
    struct cdr_http_response resp;
    cJSON *root = NULL;
    /* Not retried: a heartbeat that went unanswered is followed by the next one. */
    cdr_error rc = cdr__huawei_send(s, "POST", path, NULL, service_token ? header : NULL, false,
                                    false, &resp, err);
    if (rc == CDR_OK)
        rc = envelope_of(&resp, "POST", path, &root, err);
    cJSON_Delete(root);
    return rc;
}
