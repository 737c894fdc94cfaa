/* Who may call: the agent's password at sign-in, then the Guid header on every later request.
 * Under AUTHMODE 1 the sign-in Guid holds for the whole session; under AUTHMODE 2 each Guid is
 * refused GUIDTIMEOUT after issue, and the one it replaced keeps working until its own expiry
 * (docs/vendors/huawei.md, sessions and authentication). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

bool huawei_password_matches(const struct mock_request *req, const struct huawei_agent *agent,
                             const char *password)
{
    bool ok = agent && strcmp(agent->password, password) == 0;
    if (!agent)
        mock_request_auth(req, false, "no such agent");
    else
        mock_request_auth(req, ok, ok ? "password of agent %s" : "wrong password for agent %s",
                          agent->workno);
    return ok;
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
    if (!agent || agent->session != HUAWEI_SIGNED_IN) {
        if (agent)
            mock_request_auth(req, false, "agent %s is not signed in", agent->workno);
        else
            mock_request_auth(req, false, "no such agent");
        return HUAWEI_NOT_SIGNED_IN;
    }
    note_cookie(agent, req);
    const char *guid = mock_request_header(req, "Guid");
    if (!guid || !*guid) {
        mock_request_auth(req, false, "missing Guid header");
        return HUAWEI_NO_PERMISSION;
    }
    /* Static auth never expires a Guid; dynamic auth refuses each GUIDTIMEOUT after issue. */
    long long age_s = (long long)(now_ms - agent->guid_issued_ms) / 1000;
    if (strcmp(guid, agent->guid) == 0) {
        bool fresh = !st->dynamic_auth || now_ms < agent->guid_issued_ms + HUAWEI_GUID_TIMEOUT_MS;
        if (fresh)
            mock_request_auth(req, true, "the session's current Guid, issued %lld s ago", age_s);
        else
            mock_request_auth(req, false,
                              "expired Guid: issued %lld s ago, refused %d s after issue "
                              "(AUTHMODE 2); a poll hands out the next one",
                              age_s, HUAWEI_GUID_TIMEOUT_MS / 1000);
        return fresh ? NULL : HUAWEI_NO_PERMISSION;
    }
    if (agent->prev_guid[0] && strcmp(guid, agent->prev_guid) == 0) {
        bool fresh = now_ms < agent->prev_guid_expires_ms;
        long long left_s = (long long)(agent->prev_guid_expires_ms - now_ms) / 1000;
        mock_request_auth(req, fresh,
                          fresh ? "the session's previous Guid, accepted %lld s more"
                                : "expired Guid: the session's previous one, refused for %lld s",
                          fresh ? left_s : -left_s);
        return fresh ? NULL : HUAWEI_NO_PERMISSION;
    }
    mock_request_auth(req, false,
                      "unknown Guid: neither the current nor the previous one of agent %s's "
                      "session (another session's, or one from before a sign-in)",
                      agent->workno);
    return HUAWEI_NO_PERMISSION;
}
