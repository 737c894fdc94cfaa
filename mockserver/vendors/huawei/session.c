/* The agent session: sign in (plain and forced), sign out, the Guid every later request carries,
 * its rotation and expiry, auto sign-out of an agent that stops polling, and the event queue the
 * poll drains. Expiry is evaluated lazily against the mock's clock on each request. */
#include <stdlib.h>
#include <string.h>

#include "../../jsonval.h"
#include "internal.h"

static int by_id(const void *key, const void *item)
{
    int64_t id = *(const int64_t *)key, other = ((const struct huawei_agent *)item)->id;
    return (id > other) - (id < other);
}

struct huawei_agent *huawei_find_agent(const struct huawei_state *st, int64_t id)
{
    if (!st->agent_count)
        return NULL;
    return bsearch(&id, st->agents, st->agent_count, sizeof(*st->agents), by_id);
}

void huawei_clear_session(struct huawei_agent *agent)
{
    char *event;
    while ((event = huawei_pop_event(agent)))
        free(event);
    free(agent->cookie_seen);
    agent->cookie_seen = NULL;
    agent->guid[0] = agent->prev_guid[0] = '\0';
    agent->guid_issued_ms = agent->prev_guid_expires_ms = 0;
}

void huawei_expire(struct huawei_agent *agent, int64_t now_ms)
{
    if (agent->session == HUAWEI_SIGNED_IN &&
        now_ms - agent->last_poll_ms >= HUAWEI_IDLE_SIGNOUT_MS) {
        agent->session = HUAWEI_SIGNED_OUT;
        huawei_clear_session(agent);
    }
}

static void note_cookie(struct huawei_agent *agent, const struct mock_request *req)
{
    const char *cookie = mock_request_header(req, "Cookie");
    if (!cookie || (agent->cookie_seen && strcmp(agent->cookie_seen, cookie) == 0))
        return;
    free(agent->cookie_seen);
    agent->cookie_seen = strndup(cookie, 256); /* a view for tests, not a store for hostile input */
}

const char *huawei_authorize(const struct huawei_state *st, struct huawei_agent *agent,
                             const struct mock_request *req, int64_t now_ms)
{
    if (!agent)
        return HUAWEI_NOT_SIGNED_IN;
    huawei_expire(agent, now_ms);
    if (agent->session != HUAWEI_SIGNED_IN)
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

void huawei_rotate_guid(const struct huawei_state *st, const struct mock_env *env,
                        struct huawei_agent *agent, int64_t now_ms)
{
    if (agent->guid[0]) {
        memcpy(agent->prev_guid, agent->guid, sizeof(agent->prev_guid));
        agent->prev_guid_expires_ms = st->dynamic_auth
                                          ? agent->guid_issued_ms + HUAWEI_GUID_TIMEOUT_MS
                                          : now_ms + HUAWEI_GUID_TIMEOUT_MS;
    }
    char uuid[37];
    mock_shared_rng_uuid(env->rng, uuid);
    snprintf(agent->guid, sizeof(agent->guid), "%s.AgentGateway0", uuid);
    agent->guid_issued_ms = now_ms;
}

/* ---- events ---------------------------------------------------------------------------------- */

void huawei_push_event(struct huawei_agent *agent, const char *type, const char *content)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{\"eventType\":");
    cdr_buf_json_string(&b, type);
    cdr_buf_printf(&b, ",\"workNo\":\"%s\",\"content\":%s}", agent->workno,
                   content ? content : "null");
    char *event = cdr_buf_steal(&b);
    if (!event)
        return; /* out of memory: the event is lost, as a full queue would lose it */
    if (agent->event_count == HUAWEI_MAX_EVENTS) {
        free(huawei_pop_event(agent));
    }
    agent->events[(agent->event_head + agent->event_count) % HUAWEI_MAX_EVENTS] = event;
    agent->event_count++;
}

char *huawei_pop_event(struct huawei_agent *agent)
{
    if (!agent->event_count)
        return NULL;
    char *event = agent->events[agent->event_head];
    agent->events[agent->event_head] = NULL;
    agent->event_head = (agent->event_head + 1) % HUAWEI_MAX_EVENTS;
    agent->event_count--;
    return event;
}

/* ---- sign in / out --------------------------------------------------------------------------- */

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

/* The sign-in body: password and phone number are required, the rest typed when present. */
static bool valid_sign_in(const cJSON *body, const char **password, const char **phone,
                          int64_t *status)
{
    int64_t agenttype;
    enum jv_result has_status = jv_int(body, "status", status);
    if (has_status == JV_ABSENT)
        *status = 4;
    return cJSON_IsObject(body) && jv_string(body, "password", password) == JV_OK && **password &&
           jv_string(body, "phonenum", phone) == JV_OK && all_digits(*phone, 24) &&
           has_status != JV_WRONG_TYPE && *status >= 3 && *status <= 5 &&
           jv_int(body, "agenttype", &agenttype) != JV_WRONG_TYPE &&
           optional_bool(body, "autoanswer") && optional_bool(body, "autoenteridle") &&
           optional_bool(body, "releasephone");
}

static void add_session_headers(const struct huawei_state *st, const struct mock_env *env,
                                const struct huawei_agent *agent, struct mock_response *resp)
{
    char value[HUAWEI_GUID_SIZE + 16];
    mock_response_add_header(resp, "Guid", agent->guid);
    snprintf(value, sizeof(value), "JSESSIONID=%s", agent->guid);
    mock_response_add_header(resp, "Set-GUID", value);
    if (st->session_cookie) {
        char id[33], cookie[96];
        mock_shared_rng_hex(env->rng, id, 32, 1);
        snprintf(cookie, sizeof(cookie), "JSESSIONID=%s; Path=/agentgateway; HttpOnly", id);
        mock_response_add_header(resp, "Set-Cookie", cookie);
    }
}

void huawei_sign_in(struct huawei_state *st, const struct mock_env *env,
                    const struct mock_request *req, struct huawei_agent *agent, bool force,
                    struct mock_response *resp)
{
    /* A raw NUL is not JSON (control characters must be escaped); cJSON would read up to it. */
    cJSON *body = memchr(req->body, '\0', req->body_len)
                      ? NULL
                      : cJSON_ParseWithLength(req->body, req->body_len);
    const char *password = NULL, *phone = NULL;
    int64_t status = 4;
    const char *failure = NULL;
    if (!valid_sign_in(body, &password, &phone, &status))
        failure = HUAWEI_SIGNIN_PARAMETER;
    else if (!agent || strcmp(agent->password, password) != 0)
        failure = HUAWEI_WRONG_PASSWORD;
    int64_t now = mock_clock_now_ms(env->clock);
    if (!failure) {
        huawei_expire(agent, now);
        if (!force && agent->session == HUAWEI_SIGNED_IN)
            failure = HUAWEI_ALREADY_IN;
    }
    if (failure) {
        cJSON_Delete(body);
        huawei_error(resp, failure);
        return;
    }
    /* A forced sign-in ends the other session: its Guid is refused from now on. */
    huawei_clear_session(agent);
    agent->session = HUAWEI_SIGNED_IN;
    agent->status = status;
    snprintf(agent->phone_in_use, sizeof(agent->phone_in_use), "%s", phone);
    agent->login_ms = agent->last_poll_ms = now;
    huawei_rotate_guid(st, env, agent, now);
    cJSON_Delete(body);
    huawei_push_event(agent, "AgentOther_InService", NULL);

    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b,
                   "{\"message\":\"\",\"retcode\":\"0\",\"result\":{\"vdnid\":%lld,\"workno\":\"%"
                   "s\",\"mediatype\":",
                   (long long)agent->vdnid, agent->workno);
    cdr_buf_json_string(&b, agent->mediatype);
    cdr_buf_printf(&b,
                   ",\"loginTime\":\"%lld\",\"isForceChange\":\"false\",\"serverName\":"
                   "\"AgentGateway\",\"timeRemaining\":",
                   (long long)now);
    cdr_buf_json_string(&b, agent->time_remaining);
    cdr_buf_puts(&b, "}}");
    huawei_send(resp, &b);
    add_session_headers(st, env, agent, resp);
}

void huawei_sign_out(struct huawei_state *st, const struct mock_env *env,
                     const struct mock_request *req, struct huawei_agent *agent,
                     struct mock_response *resp)
{
    int64_t now = mock_clock_now_ms(env->clock);
    if (agent)
        huawei_expire(agent, now);
    /* Before the Guid is looked at: an agent that is out says so, whatever it sends. */
    if (agent && agent->session == HUAWEI_SIGNED_OUT) {
        huawei_error(resp, HUAWEI_ALREADY_OUT);
        return;
    }
    const char *failure = huawei_authorize(st, agent, req, now);
    if (failure) {
        huawei_error(resp, failure);
        return;
    }
    agent->session = HUAWEI_SIGNED_OUT;
    huawei_clear_session(agent);
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{\"result\":{},\"message\":\"success\",\"retcode\":\"0\"}");
    huawei_send(resp, &b);
}

void huawei_update_guid(struct huawei_state *st, const struct mock_env *env,
                        const struct mock_request *req, struct huawei_agent *agent,
                        struct mock_response *resp)
{
    int64_t now = mock_clock_now_ms(env->clock);
    const char *failure = huawei_authorize(st, agent, req, now);
    if (failure) {
        huawei_error(resp, failure);
        return;
    }
    huawei_rotate_guid(st, env, agent, now);
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "{\"result\":{\"guid\":\"%s\"},\"message\":\"success\",\"retcode\":\"0\"}",
                   agent->guid);
    huawei_send(resp, &b);
}
