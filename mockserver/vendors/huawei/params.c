/* Reading a request the way the service does: the agent ID in the path, the sign-in JSON body,
 * callinfo's isNoContainLastCall (each says only whether the input is valid; the caller answers
 * with the retcode of its endpoint: 100-001 for a sign-in, 000-002 elsewhere); the CC-Management
 * bodies, whose members are all strings (docs/vendors/huawei.md, call history), and the token's
 * X-Token-Expire header. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../jsonval.h"
#include "internal.h"

bool huawei_parse_agentid(const struct huawei_state *st, const char *text, int64_t *out)
{
    int64_t v = 0;
    /* An agent ID is a work number, not an integer's spelling: "0291" names no agent unless the
     * variant says the gateway parses it as a number. */
    if (!st->agentid_strip_zeros && text[0] == '0')
        return false;
    while (st->agentid_strip_zeros && text[0] == '0' && text[1])
        text++;
    if (!*text || strlen(text) > 9)
        return false;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (*p - '0');
    }
    *out = v;
    return v >= HUAWEI_MIN_AGENTID && v <= st->max_agentid;
}

cJSON *huawei_json_body(const struct mock_request *req)
{
    cJSON *body = memchr(req->body, '\0', req->body_len)
                      ? NULL
                      : cJSON_ParseWithLength(req->body, req->body_len);
    if (!cJSON_IsObject(body)) {
        cJSON_Delete(body);
        return NULL;
    }
    return body;
}

static bool optional_bool(const cJSON *body, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(body, key);
    return !item || cJSON_IsNull(item) || cJSON_IsBool(item);
}

static bool all_digits(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* agenttype: absent, or 4 (PC + phone, the default) or 11 (PC + phone video), the two the sign-in
 * page lists. */
static bool valid_agenttype(const cJSON *body)
{
    int64_t agenttype;
    enum mock_jv_result r = mock_jv_int(body, "agenttype", &agenttype);
    return r == MOCK_JV_ABSENT || (r == MOCK_JV_OK && (agenttype == 4 || agenttype == 11));
}

static bool valid_sign_in(const cJSON *body, const char **password, const char **phone,
                          int64_t *status)
{
    enum mock_jv_result has_status = mock_jv_int(body, "status", status);
    if (has_status == MOCK_JV_ABSENT)
        *status = 4;
    return cJSON_IsObject(body) && mock_jv_string(body, "password", password) == MOCK_JV_OK &&
           **password && strlen(*password) <= HUAWEI_MAX_PASSWORD &&
           mock_jv_string(body, "phonenum", phone) == MOCK_JV_OK && all_digits(*phone, 24) &&
           has_status != MOCK_JV_WRONG_TYPE && *status >= 3 && *status <= 5 &&
           valid_agenttype(body) && optional_bool(body, "autoanswer") &&
           optional_bool(body, "autoenteridle") && optional_bool(body, "releasephone");
}

cJSON *huawei_parse_sign_in(const struct mock_request *req, const char **password,
                            const char **phone, int64_t *status)
{
    cJSON *body = huawei_json_body(req);
    if (!valid_sign_in(body, password, phone, status)) {
        cJSON_Delete(body);
        return NULL;
    }
    return body;
}

bool huawei_parse_last_call_flag(const struct mock_request *req, bool *flag)
{
    const char *text = mock_request_query(req, "isNoContainLastCall");
    *flag = false;
    if (!text || !*text)
        return true;
    if (strcasecmp(text, "true") == 0)
        *flag = true;
    else if (strcasecmp(text, "false") != 0)
        return false;
    return true;
}

/* ---- the CC-Management bodies ---------------------------------------------------------------- */

/* A member as a Java String member reads it: text as it is, a JSON number as its text (Jackson
 * coerces scalars). absent: *text NULL, true; an object, array or boolean: false. */
static bool string_member(const cJSON *body, const char *key, char *buf, size_t len,
                          const char **text)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, key);
    *text = NULL;
    if (!v || cJSON_IsNull(v))
        return true;
    if (cJSON_IsString(v)) {
        *text = v->valuestring;
        return true;
    }
    if (!cJSON_IsNumber(v))
        return false;
    double d = v->valuedouble;
    if (fabs(d) < 9007199254740992.0 && d == floor(d)) /* 2^53: whole numbers print whole */
        snprintf(buf, len, "%lld", (long long)d);
    else
        snprintf(buf, len, "%.17g", d);
    *text = buf;
    return true;
}

/* Decimal digits only, at most max of them, into *out. */
static bool digits_value(const char *text, size_t max, int64_t *out)
{
    size_t n = strlen(text);
    if (!n || n > max || strspn(text, "0123456789") != n)
        return false;
    int64_t v = 0;
    for (const char *p = text; *p; p++)
        v = v * 10 + (*p - '0');
    *out = v;
    return true;
}

/* startTime/endTime: epoch ms, in order, at most seven days apart. */
static bool read_window(const cJSON *body, struct huawei_history_query *q)
{
    char a[40], b[40];
    const char *start, *end;
    return string_member(body, "startTime", a, sizeof(a), &start) && start &&
           string_member(body, "endTime", b, sizeof(b), &end) && end &&
           digits_value(start, 15, &q->start_ms) && digits_value(end, 15, &q->end_ms) &&
           q->start_ms <= q->end_ms && q->end_ms - q->start_ms <= HUAWEI_HISTORY_MAX_SPAN_MS;
}

/* offset (default 0) and limit (default 100, at least 1, at most the variant's cap). */
static bool read_paging(const struct huawei_state *st, const cJSON *body,
                        struct huawei_history_query *q)
{
    char a[40], b[40];
    const char *offset, *limit;
    q->offset = 0;
    q->limit = 100;
    return string_member(body, "offset", a, sizeof(a), &offset) &&
           string_member(body, "limit", b, sizeof(b), &limit) &&
           (!offset || !*offset || digits_value(offset, 9, &q->offset)) &&
           (!limit || !*limit || digits_value(limit, 9, &q->limit)) && q->limit >= 1 &&
           (!st->history_max_limit || q->limit <= st->history_max_limit);
}

enum huawei_body_verdict huawei_parse_history_query(const struct huawei_state *st,
                                                    const struct mock_request *req,
                                                    struct huawei_history_query *q,
                                                    const char **retcode)
{
    memset(q, 0, sizeof(*q));
    cJSON *body = huawei_json_body(req);
    if (!body)
        return HUAWEI_BODY_BAD_REQUEST;
    char buf[40];
    const char *caller, *task;
    enum huawei_body_verdict verdict = HUAWEI_BODY_RETCODE;
    if (!read_window(body, q)) {
        *retcode = "2";
    } else if (!read_paging(st, body, q)) {
        *retcode = "4";
    } else if (!string_member(body, "caller", buf, sizeof(buf), &caller) ||
               (caller && *caller &&
                (strlen(caller) > 32 || strspn(caller, "+0123456789") != strlen(caller)))) {
        *retcode = "12"; /* "the caller number cannot be used" */
    } else {
        snprintf(q->caller, sizeof(q->caller), "%s", caller ? caller : "");
        int64_t type = 0;
        /* taskType has no retCode of its own: a value outside 0..4 is a bad request. */
        verdict = string_member(body, "taskType", buf, sizeof(buf), &task) &&
                          (!task || !*task || (digits_value(task, 1, &type) && type <= 4))
                      ? HUAWEI_BODY_OK
                      : HUAWEI_BODY_BAD_REQUEST;
        q->task_type = (int)type;
    }
    cJSON_Delete(body);
    return verdict;
}

enum huawei_body_verdict huawei_parse_serial(const struct mock_request *req, char *serial,
                                             size_t len, int *retcode)
{
    cJSON *body = huawei_json_body(req);
    char buf[40];
    const char *text = NULL;
    enum huawei_body_verdict verdict = HUAWEI_BODY_BAD_REQUEST;
    if (body && string_member(body, "callSerialNo", buf, sizeof(buf), &text) && text && *text) {
        if (strlen(text) > 50) {
            *retcode = 12; /* "the call SN cannot exceed 50 characters" */
            verdict = HUAWEI_BODY_RETCODE;
        } else {
            snprintf(serial, len, "%s", text);
            verdict = HUAWEI_BODY_OK;
        }
    }
    cJSON_Delete(body);
    return verdict;
}

bool huawei_parse_token_expire(const struct huawei_state *st, const struct mock_request *req,
                               int64_t *seconds)
{
    const char *text = mock_request_header(req, "X-Token-Expire");
    *seconds = st->token_default_s;
    if (!text)
        return true;
    int64_t v;
    if (!digits_value(text, 9, &v) || v < 1)
        return false;
    *seconds = v > HUAWEI_TOKEN_MAX_S ? HUAWEI_TOKEN_MAX_S : v;
    return true;
}
