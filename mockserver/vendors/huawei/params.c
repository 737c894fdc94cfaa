/* Reading a request the way the gateway does: the agent ID in the path, the sign-in JSON body,
 * and callinfo's isNoContainLastCall. Each says only whether the input is valid; the caller
 * answers with the retcode of its endpoint (100-001 for a sign-in, 000-002 elsewhere). */
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
    /* A raw NUL is not JSON (control characters must be escaped); cJSON would read up to it. */
    cJSON *body = memchr(req->body, '\0', req->body_len)
                      ? NULL
                      : cJSON_ParseWithLength(req->body, req->body_len);
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
