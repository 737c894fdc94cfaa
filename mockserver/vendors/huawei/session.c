/* The agent session: sign in (plain and forced), sign out, the Guid every later request carries,
 * its rotation and expiry, auto sign-out of an agent that stops polling, and the event queue the
 * poll drains. Expiry is evaluated lazily against the mock's clock on each request. Facts:
 * docs/vendors/huawei.md (sessions and authentication). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

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

const char *huawei_authorize(const struct huawei_state *st, struct huawei_agent *agent,
                             const struct mock_request *req, int64_t now_ms)
{
    if (agent)
        huawei_expire(agent, now_ms);
    return huawei_check_guid(st, agent, req, now_ms);
}

bool huawei_authorized(const struct huawei_state *st, struct huawei_agent *agent,
                       const struct mock_request *req, int64_t now_ms, struct mock_response *resp)
{
    const char *failure = huawei_authorize(st, agent, req, now_ms);
    if (failure)
        huawei_reply_error(st, resp, failure);
    return failure == NULL;
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

void huawei_hand_over_guid(const struct huawei_state *st, const struct mock_env *env,
                           const struct mock_request *req, struct huawei_agent *agent,
                           int64_t now_ms, struct mock_response *resp)
{
    if (!st->dynamic_auth)
        return;
    bool rotated = false;
    if (now_ms - agent->guid_issued_ms >= HUAWEI_GUID_INTERVAL_MS) {
        huawei_rotate_guid(st, env, agent, now_ms);
        rotated = true;
    }
    /* Also when the client still sends the previous Guid: it may have missed the last handover. */
    const char *sent = mock_request_header(req, "Guid");
    if (rotated || !sent || strcmp(sent, agent->guid) != 0)
        huawei_reply_set_guid(resp, agent->guid);
}

/* ---- events ---------------------------------------------------------------------------------- */

void huawei_push_event(const struct huawei_state *st, struct huawei_agent *agent, const char *type,
                       const char *content, int64_t now_ms)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{\"eventType\":");
    cdr_buf_json_string(&b, type);
    cdr_buf_printf(&b, ",\"workNo\":\"%s\",\"content\":%s", agent->workno,
                   content ? content : "null");
    /* The current Chinese event pages stamp each event; the older ones do not. */
    if (st->event_gen_time)
        cdr_buf_printf(&b, ",\"eventGenTime\":%lld", (long long)now_ms);
    cdr_buf_puts(&b, "}");
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

static void add_session_headers(const struct huawei_state *st, const struct mock_env *env,
                                const struct huawei_agent *agent, struct mock_response *resp)
{
    mock_response_add_header(resp, "Guid", agent->guid);
    huawei_reply_set_guid(resp, agent->guid);
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
    const char *password = NULL, *phone = NULL;
    int64_t status = 4;
    const char *failure = NULL;
    cJSON *body = huawei_parse_sign_in(req, &password, &phone, &status);
    if (!body)
        failure = HUAWEI_SIGNIN_PARAMETER;
    else if (!huawei_password_matches(req, agent, password))
        failure = HUAWEI_WRONG_PASSWORD;
    int64_t now = mock_clock_now_ms(env->clock);
    if (!failure) {
        huawei_expire(agent, now);
        if (!force && agent->session == HUAWEI_SIGNED_IN)
            failure = HUAWEI_ALREADY_IN;
    }
    if (failure) {
        cJSON_Delete(body);
        huawei_reply_error(st, resp, failure);
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
    huawei_push_event(st, agent, "AgentOther_InService", NULL, now);

    struct cdr_buf b;
    cdr_buf_init(&b);
    huawei_reply_begin(&b);
    cdr_buf_printf(&b, "{\"vdnid\":%lld,\"workno\":\"%s\",\"mediatype\":", (long long)agent->vdnid,
                   agent->workno);
    cdr_buf_json_string(&b, agent->mediatype);
    cdr_buf_printf(&b,
                   ",\"loginTime\":\"%lld\",\"isForceChange\":\"false\",\"serverName\":"
                   "\"AgentGateway\",\"timeRemaining\":",
                   (long long)now);
    cdr_buf_json_string(&b, agent->time_remaining);
    cdr_buf_puts(&b, "}");
    huawei_reply_finish(resp, &b);
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
        huawei_reply_error(st, resp, HUAWEI_ALREADY_OUT);
        return;
    }
    const char *failure = huawei_authorize(st, agent, req, now);
    /* "When an agent is in talking or answering state, the agent will not be signed out": the
     * answer it then gets is unpublished (see huawei.signout_in_call). */
    bool in_call = !failure && agent->current;
    if (in_call && strcmp(st->signout_in_call, HUAWEI_SIGNOUT_ALLOWED) != 0) {
        if (strcmp(st->signout_in_call, HUAWEI_SIGNOUT_KEPT) == 0)
            huawei_reply_success(resp, "{}");
        else
            huawei_reply_error(st, resp, st->signout_in_call);
        return;
    }
    if (failure) {
        huawei_reply_error(st, resp, failure);
        return;
    }
    agent->session = HUAWEI_SIGNED_OUT;
    huawei_clear_session(agent);
    huawei_reply_success(resp, "{}");
}

void huawei_update_guid(struct huawei_state *st, const struct mock_env *env,
                        const struct mock_request *req, struct huawei_agent *agent,
                        struct mock_response *resp)
{
    int64_t now = mock_clock_now_ms(env->clock);
    if (!huawei_authorized(st, agent, req, now, resp))
        return;
    huawei_rotate_guid(st, env, agent, now);
    char result[HUAWEI_GUID_SIZE + 16];
    snprintf(result, sizeof(result), "{\"guid\":\"%s\"}", agent->guid);
    huawei_reply_success(resp, result);
}

/* ---- the handshake --------------------------------------------------------------------------- */

/* service_token: at most 50 characters and "no special characters" (letters and digits). */
static bool valid_service_token(const char *token)
{
    size_t n = strlen(token);
    if (n > 50)
        return false;
    for (const char *p = token; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            return false;
    return true;
}

void huawei_handshake(struct huawei_state *st, const struct mock_env *env,
                      const struct mock_request *req, struct huawei_agent *agent,
                      struct mock_response *resp)
{
    int64_t now = mock_clock_now_ms(env->clock);
    const char *failure = huawei_authorize(st, agent, req, now);
    const char *token = mock_request_header(req, "service_token");
    if (!failure && token && !valid_service_token(token))
        failure = HUAWEI_SIGNIN_PARAMETER;
    if (failure) {
        huawei_reply_error(st, resp, failure);
        return;
    }
    /* A heartbeat keeps the session as a poll does. */
    agent->last_poll_ms = now;
    huawei_reply_handshake(resp);
    /* Dynamic auth hands over the Guid on the heartbeat's answer, as on a poll's. */
    huawei_hand_over_guid(st, env, req, agent, now, resp);
}
