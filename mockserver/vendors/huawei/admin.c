/* /__cdrsim/huawei/...: drive the agents' calls the way a switch would, and look at a session.
 *   GET    /agents                      every agent's view
 *   GET    /agents/{id}                 session, Guids, pending events, calls
 *   POST   /agents/{id}/calls           start a call (JSON: the call's fields, all optional)
 *   DELETE /agents/{id}/calls/current   end it ({"released_by":"customer"|"agent"}); it becomes
 *                                       the last call, kept in the agent's ring of ended calls
 *   POST   /agents/{id}/hold            put the current call on hold
 *   GET    /agents/{id}/hold            the held calls
 *   POST   /agents/{id}/events          queue an event ({"eventType":"...","content":...})
 * A call that changes tells a signed-in agent with its events (events.c), as the switch would; a
 * call that ends is announced to the record listener (a bidirectional call's release callback,
 * push.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../jsonval.h"
#include "internal.h"

/* ---- views ----------------------------------------------------------------------------------- */

static void put_ms(struct cdr_buf *b, const char *key, int64_t ms, bool present)
{
    if (present)
        cdr_buf_printf(b, ",\"%s\":%lld", key, (long long)ms);
    else
        cdr_buf_printf(b, ",\"%s\":null", key);
}

static void agent_view(const struct huawei_state *st, const struct huawei_agent *a,
                       struct cdr_buf *b)
{
    static const char *const sessions[] = {"never_signed_in", "signed_in", "signed_out"};
    bool in = a->session == HUAWEI_SIGNED_IN;
    cdr_buf_printf(b, "{\"agentid\":\"%s\",\"session\":\"%s\",\"phonenum\":", a->workno,
                   sessions[a->session]);
    cdr_buf_json_string(b, a->phonenum);
    cdr_buf_puts(b, ",\"guid\":");
    cdr_buf_json_string(b, in ? a->guid : NULL);
    put_ms(b, "guid_issued_ms", a->guid_issued_ms, in);
    cdr_buf_puts(b, ",\"previous_guid\":");
    cdr_buf_json_string(b, in && a->prev_guid[0] ? a->prev_guid : NULL);
    put_ms(b, "previous_guid_expires_ms", a->prev_guid_expires_ms, in && a->prev_guid[0]);
    put_ms(b, "login_ms", a->login_ms, in);
    put_ms(b, "last_poll_ms", a->last_poll_ms, in);
    cdr_buf_printf(b, ",\"pending_events\":%zu,\"cookie\":", a->event_count);
    cdr_buf_json_string(b, a->cookie_seen);
    cdr_buf_printf(b, ",\"current_call\":%s,\"held_calls\":[",
                   a->current ? a->current->json : "null");
    for (size_t i = 0; i < a->held.count; i++)
        cdr_buf_printf(b, "%s%s", i ? "," : "", a->held.items[i]->json);
    const struct huawei_call *last = huawei_last_ended(a);
    cdr_buf_printf(b, "],\"remembered_calls\":%zu,\"last_call\":", huawei_ended_count(a));
    if (last)
        cdr_buf_puts(b, last->json);
    else if (a->history_last != SIZE_MAX)
        mock_store_append_json(&st->records, &st->records.entries[a->history_last], b);
    else
        cdr_buf_puts(b, "null");
    cdr_buf_puts(b, "}");
}

/* ---- dispatch -------------------------------------------------------------------------------- */

static bool is(const struct mock_request *req, const char *method)
{
    return strcmp(req->method, method) == 0;
}

/* One admin request about one agent, under the state's lock. */
struct action {
    const struct mock_env *env;
    struct huawei_state *st;
    struct huawei_agent *agent;
    const cJSON *body; /* NULL when there is none or it is not JSON */
    bool has_body;
    int64_t now;
};

static void view_agent(const struct action *a, struct mock_response *resp)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    agent_view(a->st, a->agent, &b);
    huawei_reply_admin_json(resp, 200, &b);
}

static void start_action(const struct action *a, struct mock_response *resp)
{
    /* No body: the callinfo page's example call. */
    cJSON *empty = a->has_body ? NULL : cJSON_CreateObject();
    int status = 500;
    const char *why =
        a->has_body || empty
            ? huawei_start_call(a->st, a->agent, a->has_body ? a->body : empty, a->now, &status)
            : "out of memory";
    cJSON_Delete(empty);
    if (why) {
        huawei_reply_admin_error(resp, status, why);
        return;
    }
    huawei_events_call_started(a->st, a->agent, a->agent->current, a->now);
    mock_response_json(resp, 201, a->agent->current->json);
}

/* The current call leaves the agent's device: held, or released and kept in the agent's ring. */
static void move_current(const struct action *a, bool hold, bool by_customer,
                         struct mock_response *resp)
{
    struct huawei_call *call = a->agent->current;
    if (!call) {
        huawei_reply_admin_error(resp, 404, "the agent has no current call");
        return;
    }
    if (hold && a->agent->held.count >= HUAWEI_MAX_HELD) {
        huawei_reply_admin_error(resp, 409, "the agent holds as many calls as a phone can");
        return;
    }
    /* The agent / the user releases the call; 18: the call is held. */
    int64_t reason = hold ? 18 : by_customer ? 15 : 16;
    bool ok = huawei_call_leave_device(a->st, call, hold ? "KEEP_DIRECT" : "RELEASE_DIRECT", reason,
                                       hold ? HUAWEI_NONE : a->now) &&
              (hold ? huawei_hold_current(a->agent) : huawei_end_current(a->st, a->agent));
    if (!ok) {
        huawei_reply_admin_error(resp, 500, "out of memory");
        return;
    }
    if (hold) {
        huawei_events_call_held(a->st, a->agent, call, a->now);
    } else {
        huawei_events_call_released(a->st, a->agent, call, by_customer, a->now);
        /* an ended call is a record: a bidirectional one is pushed (push.c) */
        cJSON *ended = cJSON_CreateArray();
        if (ended && cJSON_AddItemReferenceToArray(ended, call->obj))
            mock_env_records_entered(a->env, &huawei_sim, a->st, ended);
        cJSON_Delete(ended);
    }
    mock_response_json(resp, 200, call->json);
}

static void end_action(const struct action *a, struct mock_response *resp)
{
    const char *by = "customer";
    if (a->has_body && (!cJSON_IsObject(a->body) ||
                        mock_jv_string(a->body, "released_by", &by) == MOCK_JV_WRONG_TYPE ||
                        (strcmp(by, "customer") != 0 && strcmp(by, "agent") != 0))) {
        huawei_reply_admin_error(resp, 400,
                                 "expected {\"released_by\":\"customer\"|\"agent\"} or no body");
        return;
    }
    move_current(a, false, strcmp(by, "customer") == 0, resp);
}

static void hold_action(const struct action *a, struct mock_response *resp)
{
    move_current(a, true, false, resp);
}

static void list_held(const struct action *a, struct mock_response *resp)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "[");
    for (size_t i = 0; i < a->agent->held.count; i++)
        cdr_buf_printf(&b, "%s%s", i ? "," : "", a->agent->held.items[i]->json);
    cdr_buf_puts(&b, "]");
    huawei_reply_admin_json(resp, 200, &b);
}

static void queue_event(const struct action *a, struct mock_response *resp)
{
    const char *type;
    if (!cJSON_IsObject(a->body) || mock_jv_string(a->body, "eventType", &type) != MOCK_JV_OK ||
        !*type) {
        huawei_reply_admin_error(resp, 400,
                                 "expected {\"eventType\":\"...\",\"content\":any JSON}");
        return;
    }
    if (a->agent->session != HUAWEI_SIGNED_IN) {
        huawei_reply_admin_error(resp, 409, "the agent is not signed in");
        return;
    }
    const cJSON *content = cJSON_GetObjectItemCaseSensitive(a->body, "content");
    char *content_json = content ? cJSON_PrintUnformatted(content) : NULL;
    huawei_push_event(a->st, a->agent, type, content_json, a->now);
    free(content_json);
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "{\"pending_events\":%zu}", a->agent->event_count);
    huawei_reply_admin_json(resp, 200, &b);
}

static const struct {
    const char *path; /* after /agents/{id} */
    const char *method;
    void (*run)(const struct action *a, struct mock_response *resp);
} actions[] = {
    {"", "GET", view_agent},
    {"/calls", "POST", start_action},
    {"/calls/current", "DELETE", end_action},
    {"/hold", "POST", hold_action},
    {"/hold", "GET", list_held},
    {"/events", "POST", queue_event},
};

void huawei_admin_route_list(void (*each)(void *ctx, const char *method, const char *path),
                             void *ctx)
{
    each(ctx, "GET", "/__cdrsim/huawei/agents");
    for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
        char path[128];
        snprintf(path, sizeof(path), "/__cdrsim/huawei/agents/{agentid}%s", actions[i].path);
        each(ctx, actions[i].method, path);
    }
}

static void agent_action(struct huawei_state *st, const struct mock_env *env,
                         struct huawei_agent *agent, const char *path,
                         const struct mock_request *req, struct mock_response *resp)
{
    for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
        if (strcmp(actions[i].path, path) != 0 || !is(req, actions[i].method))
            continue;
        struct action a = {env, st, agent, NULL, req->body_len > 0, mock_clock_now_ms(env->clock)};
        huawei_expire(agent, a.now);
        cJSON *body = a.has_body ? cJSON_ParseWithLength(req->body, req->body_len) : NULL;
        a.body = body;
        actions[i].run(&a, resp);
        cJSON_Delete(body);
        return;
    }
    huawei_reply_admin_error(resp, 404, "unknown huawei admin endpoint");
}

void huawei_admin(void *state, const struct mock_env *env, const char *subpath,
                  const struct mock_request *req, struct mock_response *resp)
{
    struct huawei_state *st = state;
    if (req->too_large == MOCK_BODY_TOO_LARGE) {
        huawei_reply_admin_error(resp, 413, "body over the size limit");
        return;
    }
    const char *prefix = "/agents";
    if (strncmp(subpath, prefix, strlen(prefix)) != 0) {
        huawei_reply_admin_error(resp, 404, "unknown huawei admin endpoint");
        return;
    }
    const char *rest = subpath + strlen(prefix);
    pthread_mutex_lock(&st->lock);
    if (*rest == '\0' && is(req, "GET")) {
        int64_t now = mock_clock_now_ms(env->clock);
        struct cdr_buf b;
        cdr_buf_init(&b);
        cdr_buf_puts(&b, "[");
        for (size_t i = 0; i < st->agent_count; i++) {
            huawei_expire(&st->agents[i], now);
            cdr_buf_puts(&b, i ? "," : "");
            agent_view(st, &st->agents[i], &b);
        }
        cdr_buf_puts(&b, "]");
        huawei_reply_admin_json(resp, 200, &b);
    } else if (*rest == '/') {
        size_t digits = strspn(rest + 1, "0123456789");
        int64_t id = digits && digits <= 9 ? strtoll(rest + 1, NULL, 10) : -1;
        struct huawei_agent *agent = huawei_find_agent(st, id);
        if (agent)
            agent_action(st, env, agent, rest + 1 + digits, req, resp);
        else
            huawei_reply_admin_error(resp, 404, "no such agent");
    } else {
        huawei_reply_admin_error(resp, 404, "unknown huawei admin endpoint");
    }
    pthread_mutex_unlock(&st->lock);
}
