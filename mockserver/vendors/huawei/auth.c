/* Who may call: the agent's password at sign-in, then the Guid header on every later request.
 * Under AUTHMODE 1 the sign-in Guid holds for the whole session; under AUTHMODE 2 each Guid is
 * refused GUIDTIMEOUT after issue, and the one it replaced keeps working until its own expiry
 * (docs/vendors/huawei.md, sessions and authentication). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

bool huawei_password_matches(const struct huawei_agent *agent, const char *password)
{
    return agent && strcmp(agent->password, password) == 0;
}

static void note_cookie(struct huawei_agent *agent, const struct mock_request *req)
{
    const char *cookie = mock_request_header(req, "Cookie");
    if (!cookie || (agent->cookie_seen && strcmp(agent->cookie_seen, cookie) == 0))
        return;
    free(agent->cookie_seen);
    agent->cookie_seen = strndup(cookie, 256); /* a view for tests, not a store for hostile input */
}

const char *huawei_check_guid(const struct huawei_state *st, struct huawei_agent *agent,
                              const struct mock_request *req, int64_t now_ms)
{
    if (!agent || agent->session != HUAWEI_SIGNED_IN)
        return HUAWEI_NOT_SIGNED_IN;
    note_cookie(agent, req);
    const char *guid = mock_request_header(req, "Guid");
    if (!guid || !*guid)
        return HUAWEI_NO_PERMISSION;
    /* Static auth never expires a Guid; dynamic auth refuses each GUIDTIMEOUT after issue. */
    if (strcmp(guid, agent->guid) == 0 &&
        (!st->dynamic_auth || now_ms < agent->guid_issued_ms + HUAWEI_GUID_TIMEOUT_MS))
        return NULL;
    if (agent->prev_guid[0] && strcmp(guid, agent->prev_guid) == 0 &&
        now_ms < agent->prev_guid_expires_ms)
        return NULL;
    return HUAWEI_NO_PERMISSION;
}
