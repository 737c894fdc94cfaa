/* The routes of the simulated Huawei CEC, each prefix a product of its own:
 * - /agentgateway/resource/: the AgentGateway's session (onlineagent), event poll (agentevent),
 *   calldata queries and recordfile download, each as {root}/{agentid}[/{tail}[/{callid}]]. A path
 *   no route names is the servlet container's 404; a known path with another method is its 405.
 *   The agent ID is checked here, once, and the agent's handler runs under the state's lock.
 * - /apigovernance/ and /apiaccess/: the API Fabric's token and the CC-Management calls, each a
 *   fixed path; anything else there is the API gateway's 404 (APIGW.0101), for any method, as an
 *   API gateway matches method and path together.
 * - /aicc-obs/record/: the object store the recording URLs point at. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

bool huawei_owns_path(const char *path)
{
    static const char *const prefixes[] = {"/agentgateway/", "/apigovernance/", "/apiaccess/",
                                           HUAWEI_OBS_PREFIX};
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
        if (strncmp(path, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

enum route_id {
    R_SIGN_IN,
    R_FORCE,
    R_LOGOUT,
    R_UPDATE_GUID,
    R_HANDSHAKE,
    R_POLL,
    R_CALLINFO,
    R_BY_CALLID,
    R_HOLDLIST,
    R_RECORDFILE
};

struct route {
    enum route_id id;
    const char *root; /* first segment after the prefix; the agent ID follows it */
    const char *tail; /* segment after the agent ID, NULL for none */
    const char *method;
    bool takes_callid; /* one more segment: the call ID */
};

static const struct route routes[] = {
    {R_SIGN_IN, "onlineagent", NULL, "PUT", false},
    {R_FORCE, "onlineagent", "forcelogin", "PUT", false},
    {R_LOGOUT, "onlineagent", "logout", "DELETE", false},
    {R_UPDATE_GUID, "onlineagent", "updateGuid", "PUT", false},
    {R_HANDSHAKE, "onlineagent", "handshake", "POST", false},
    {R_POLL, "agentevent", NULL, "GET", false},
    {R_CALLINFO, "calldata", "callinfo", "GET", false},
    {R_BY_CALLID, "calldata", "callinfobycallid", "GET", true},
    {R_HOLDLIST, "calldata", "holdlist", "GET", false},
    {R_RECORDFILE, "recordfile", NULL, "GET", false},
};

/* The API Fabric's fixed paths, all POST. */
static const struct {
    const char *path;
    void (*run)(struct huawei_state *st, const struct mock_env *env, const struct mock_request *req,
                struct mock_response *resp);
} fabric[] = {
    {HUAWEI_FABRIC_TOKEN, huawei_token},
    {HUAWEI_FABRIC_CDR, huawei_query_history},
    {HUAWEI_FABRIC_RECORDING, huawei_recording_address},
};

/* The API Fabric route for the request, or NULL after answering the gateway's 404. */
static void (*fabric_route(const struct mock_env *env, const struct mock_request *req,
                           struct mock_response *resp))(struct huawei_state *,
                                                        const struct mock_env *,
                                                        const struct mock_request *,
                                                        struct mock_response *)
{
    for (size_t i = 0; i < sizeof(fabric) / sizeof(fabric[0]); i++)
        if (strcmp(req->path, fabric[i].path) == 0 && strcmp(req->method, "POST") == 0)
            return fabric[i].run;
    huawei_reply_gateway(env, resp, 404, "APIGW.0101",
                         "The API does not exist or has not been published in the environment");
    return NULL;
}

void huawei_route_list(void (*each)(void *ctx, const char *method, const char *path), void *ctx)
{
    char path[256];
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        const struct route *r = &routes[i];
        snprintf(path, sizeof(path), "%s%s/{agentid}%s%s%s", HUAWEI_PREFIX, r->root,
                 r->tail ? "/" : "", r->tail ? r->tail : "", r->takes_callid ? "/{callid}" : "");
        each(ctx, r->method, path);
    }
    for (size_t i = 0; i < sizeof(fabric) / sizeof(fabric[0]); i++)
        each(ctx, "POST", fabric[i].path);
    each(ctx, "GET", HUAWEI_OBS_PREFIX "{file}");
    huawei_admin_route_list(each, ctx);
}

static bool is_gateway(const char *path)
{
    return strncmp(path, "/agentgateway/", strlen("/agentgateway/")) == 0;
}

/* Splits rest at '/' into at most max segments (pointers into copy); -1 when there are more or
 * one is empty. */
static int split(char *copy, char **segs, int max)
{
    int n = 0;
    for (char *p = copy;;) {
        char *slash = strchr(p, '/');
        if (n == max || (slash ? slash == p : !*p))
            return -1;
        segs[n++] = p;
        if (!slash)
            return n;
        *slash = '\0';
        p = slash + 1;
    }
}

static const struct route *match(const char *path, char *copy, size_t copy_len, char **segs,
                                 int *nseg)
{
    const char *rest = path + strlen(HUAWEI_PREFIX);
    if (strncmp(path, HUAWEI_PREFIX, strlen(HUAWEI_PREFIX)) != 0 || strlen(rest) >= copy_len)
        return NULL;
    memcpy(copy, rest, strlen(rest) + 1);
    *nseg = split(copy, segs, 4);
    if (*nseg < 2)
        return NULL;
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        const struct route *r = &routes[i];
        int want = 2 + (r->tail != NULL) + r->takes_callid;
        if (*nseg == want && strcmp(segs[0], r->root) == 0 &&
            (!r->tail || strcmp(segs[2], r->tail) == 0))
            return r;
    }
    return NULL;
}

/* The servlet container's answers, before the gateway's code sees the request: 404 for a path no
 * route names, 405 (with Allow) for another method. true when it answered. */
static bool container_refuses(const struct route *r, const struct mock_request *req,
                              struct mock_response *resp)
{
    if (!r) {
        huawei_reply_status(resp, 404);
        return true;
    }
    /* A path that names other routes too (onlineagent/{id} is PUT only, but the same root serves
     * DELETE .../logout) is still one resource: a wrong method is 405, not 404. */
    if (strcmp(req->method, r->method) != 0) {
        huawei_reply_status(resp, 405);
        mock_response_add_header(resp, "Allow", r->method);
        return true;
    }
    return false;
}

void huawei_handle(void *state, const struct mock_env *env, const struct mock_request *req,
                   struct mock_response *resp)
{
    struct huawei_state *st = state;
    char copy[512];
    char *segs[4];
    int nseg = 0;
    if (strncmp(req->path, HUAWEI_OBS_PREFIX, strlen(HUAWEI_OBS_PREFIX)) == 0) {
        huawei_recording_object(st, env, req, resp);
        return;
    }
    if (!is_gateway(req->path)) {
        void (*run)(struct huawei_state *, const struct mock_env *, const struct mock_request *,
                    struct mock_response *) = fabric_route(env, req, resp);
        if (run)
            run(st, env, req, resp);
        return;
    }
    const struct route *r = match(req->path, copy, sizeof(copy), segs, &nseg);
    if (container_refuses(r, req, resp))
        return;
    int64_t agentid;
    if (!huawei_parse_agentid(st, segs[1], &agentid)) {
        huawei_reply_error(st, resp, HUAWEI_PARAMETER);
        return;
    }
    pthread_mutex_lock(&st->lock);
    struct huawei_agent *agent = huawei_find_agent(st, agentid);
    switch (r->id) {
    case R_SIGN_IN:
        huawei_sign_in(st, env, req, agent, false, resp);
        break;
    case R_FORCE:
        huawei_sign_in(st, env, req, agent, true, resp);
        break;
    case R_LOGOUT:
        huawei_sign_out(st, env, req, agent, resp);
        break;
    case R_UPDATE_GUID:
        huawei_update_guid(st, env, req, agent, resp);
        break;
    case R_HANDSHAKE:
        huawei_handshake(st, env, req, agent, resp);
        break;
    case R_POLL:
        huawei_poll(st, env, req, agent, resp);
        break;
    case R_CALLINFO:
        huawei_callinfo(st, env, req, agent, resp);
        break;
    case R_BY_CALLID:
        huawei_call_by_id(st, env, req, agent, segs[3], resp);
        break;
    case R_HOLDLIST:
        huawei_holdlist(st, env, req, agent, resp);
        break;
    case R_RECORDFILE:
        huawei_recordfile(st, env, req, agent, resp);
        break;
    }
    pthread_mutex_unlock(&st->lock);
}

void huawei_oversized(void *state, const struct mock_env *env, const struct mock_request *req,
                      struct mock_response *resp)
{
    char copy[512];
    char *segs[4];
    int nseg;
    if (strncmp(req->path, HUAWEI_OBS_PREFIX, strlen(HUAWEI_OBS_PREFIX)) == 0) {
        huawei_reply_obs_error(env, resp, 400, "EntityTooLarge",
                               "Your proposed upload exceeds the maximum allowed object size.");
        return;
    }
    if (!is_gateway(req->path)) {
        /* The API gateway refuses the body before any service sees it. */
        if (fabric_route(env, req, resp))
            huawei_reply_gateway(env, resp, 413, "APIGW.0201",
                                 "Bad request: the request body is too large");
        return;
    }
    const struct route *r = match(req->path, copy, sizeof(copy), segs, &nseg);
    /* The container routes first: only a request that reaches a handler meets the size limit. */
    if (container_refuses(r, req, resp))
        return;
    bool sign_in = r->id == R_SIGN_IN || r->id == R_FORCE;
    huawei_reply_error(state, resp, sign_in ? HUAWEI_SIGNIN_PARAMETER : HUAWEI_PARAMETER);
}
