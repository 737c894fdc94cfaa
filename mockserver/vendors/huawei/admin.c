/* /__cdrsim/huawei/...: drive the agents' calls the way a switch would, and look at a session.
 *   GET    /agents                      every agent's view
 *   GET    /agents/{id}                 session, Guids, pending events, calls
 *   POST   /agents/{id}/calls           start a call (JSON: the call's fields, all optional)
 *   DELETE /agents/{id}/calls/current   end it ({"released_by":"customer"|"agent"}); it becomes
 *                                       the last call
 *   POST   /agents/{id}/hold            put the current call on hold
 *   GET    /agents/{id}/hold            the held calls
 *   POST   /agents/{id}/events          queue an event ({"eventType":"...","content":...})
 * The built-in scenario (fixtures' scenario.json) starts calls the same way at load. */
#include <stdlib.h>
#include <string.h>

#include "../../fileio.h"
#include "../../jsonval.h"
#include "internal.h"

#define MAX_DURATION_S (7 * 86400)

/* ---- starting and ending calls --------------------------------------------------------------- */

/* caller and called are typed int in the docs and strings in every example: take either. */
static enum jv_result number_text(const cJSON *body, const char *key, char *out, size_t len)
{
    int64_t n;
    const char *text;
    enum jv_result r = jv_int(body, key, &n);
    if (r == JV_OK)
        snprintf(out, len, "%lld", (long long)n);
    else if ((r = jv_string(body, key, &text)) == JV_OK)
        snprintf(out, len, "%s", text);
    return r;
}

static bool known_key(const char *key)
{
    static const char *const keys[] = {
        "callfeature",   "callid",   "caller",       "called",       "callskill",    "callskillid",
        "orgicallednum", "calldata", "userPriority", "trunkNo",      "logontimes",   "mediaType",
        "mediaAbility",  "waitTime", "enterReason",  "ring_seconds", "talk_seconds",
    };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strcmp(keys[i], key) == 0)
            return true;
    return false;
}

static bool in_range(enum jv_result r, int64_t v, int64_t lo, int64_t hi)
{
    return r != JV_OK || (v >= lo && v <= hi);
}

/* Reads the admin fields over the seed example's values. NULL when fine, else why not. */
static const char *read_fields(const cJSON *body, struct huawei_call_spec *c, char *caller,
                               char *called, size_t number_len, int64_t *ring_s, int64_t *talk_s)
{
    /* The seed page's example call, field for field, is the default. */
    *c = (struct huawei_call_spec){.callfeature = 0,
                                   .callid = NULL,
                                   .caller = caller,
                                   .called = called,
                                   .callskill = "voice",
                                   .orgicallednum = "",
                                   .calldata = "",
                                   .callskillid = 20011,
                                   .user_priority = 0,
                                   .trunk_no = 65535,
                                   .logontimes = 0,
                                   .media_type = 5,
                                   .media_ability = 1,
                                   .wait_time = 0,
                                   .device_type = 2,
                                   .direct_mode = "NORMAL_DIRECT",
                                   .enter_reason = 0};
    snprintf(caller, number_len, "70004");
    snprintf(called, number_len, "60015");
    *ring_s = *talk_s = 0;
    if (!cJSON_IsObject(body))
        return "expected a JSON object of call fields";
    const cJSON *item;
    cJSON_ArrayForEach(item, body) {
        if (!known_key(item->string))
            return "unknown call field (allowed: the callinfo fields callfeature..waitTime, "
                   "enterReason, "
                   "ring_seconds, talk_seconds)";
    }
    enum jv_result r[16];
    size_t n = 0;
    r[n++] = jv_int(body, "callfeature", &c->callfeature);
    r[n++] = jv_string(body, "callid", &c->callid);
    r[n++] = number_text(body, "caller", caller, number_len);
    r[n++] = number_text(body, "called", called, number_len);
    r[n++] = jv_string(body, "callskill", &c->callskill);
    r[n++] = jv_int(body, "callskillid", &c->callskillid);
    r[n++] = jv_string(body, "orgicallednum", &c->orgicallednum);
    r[n++] = jv_string(body, "calldata", &c->calldata);
    r[n++] = jv_int(body, "userPriority", &c->user_priority);
    r[n++] = jv_int(body, "trunkNo", &c->trunk_no);
    r[n++] = jv_int(body, "logontimes", &c->logontimes);
    r[n++] = jv_int(body, "mediaType", &c->media_type);
    r[n++] = jv_int(body, "mediaAbility", &c->media_ability);
    enum jv_result wait = r[n++] = jv_int(body, "waitTime", &c->wait_time);
    enum jv_result enter = r[n++] = jv_int(body, "enterReason", &c->enter_reason);
    enum jv_result ring = jv_int(body, "ring_seconds", ring_s);
    enum jv_result talk = jv_int(body, "talk_seconds", talk_s);
    for (size_t i = 0; i < n; i++)
        if (r[i] == JV_WRONG_TYPE)
            return "a call field has the wrong type (caller/called: string or integer; callid, "
                   "callskill, "
                   "orgicallednum, calldata: string; the rest: integer)";
    if (ring == JV_WRONG_TYPE || talk == JV_WRONG_TYPE ||
        !in_range(ring, *ring_s, 0, MAX_DURATION_S) ||
        !in_range(talk, *talk_s, 0, MAX_DURATION_S) ||
        !in_range(wait, c->wait_time, 0, MAX_DURATION_S))
        return "ring_seconds, talk_seconds and waitTime are integers from 0 to 604800";
    if (!in_range(enter, c->enter_reason, 0, 89))
        return "enterReason is a reason code from 0 to 89";
    if (c->callid &&
        (!*c->callid || strlen(c->callid) >= HUAWEI_CALLID_SIZE || strchr(c->callid, '/')))
        return "callid must be 1 to 63 characters without '/'";
    return NULL;
}

/* Starts a call for the agent, talking since talk_seconds before now_ms. NULL when started,
 * else why not; *status is the HTTP status to answer. */
static const char *start_call(struct huawei_state *st, struct huawei_agent *agent,
                              const cJSON *body, int64_t now_ms, int *status)
{
    struct huawei_call_spec c;
    char caller[64], called[64], callid[HUAWEI_CALLID_SIZE];
    int64_t ring_s, talk_s;
    *status = 400;
    const char *why = read_fields(body, &c, caller, called, sizeof(caller), &ring_s, &talk_s);
    if (why)
        return why;
    *status = 409;
    if (agent->current)
        return "the agent already has a current call: end it or put it on hold first";
    if (c.callid && huawei_callid_taken(st, agent, c.callid))
        return "the agent already has a call with this callid";
    /* Timeline on the agent's device: queue, then ringing, then talk until now. */
    c.talk_begin = now_ms - talk_s * 1000;
    c.answer_begin = c.talk_begin - ring_s * 1000;
    c.answer_end = c.talk_begin;
    c.wait_end = c.answer_begin;
    c.wait_begin = c.wait_end - c.wait_time * 1000;
    c.begintime = c.answer_begin;
    c.endtime = c.talk_end = HUAWEI_NONE;
    c.leave_reason = HUAWEI_NONE;
    c.device_no = agent->id;
    c.vdn_id = agent->vdnid;
    if (!c.callid) { /* the gateway's form: the call's start in seconds, a sequence number */
        do
            snprintf(callid, sizeof(callid), "%lld-%llu", (long long)(c.begintime / 1000),
                     (unsigned long long)++st->call_seq);
        while (huawei_callid_taken(st, agent, callid));
        c.callid = callid;
    }
    *status = 500;
    cJSON *obj = huawei_call_object(&c);
    struct huawei_call *call = obj ? huawei_call_new(st, obj) : NULL;
    if (!call)
        return "out of memory";
    agent->current = call;
    *status = 201;
    return NULL;
}

static bool set_item(cJSON *obj, const char *key, cJSON *item)
{
    if (!item)
        return false;
    if (cJSON_GetObjectItemCaseSensitive(obj, key))
        return cJSON_ReplaceItemInObjectCaseSensitive(obj, key, item);
    return cJSON_AddItemToObject(obj, key, item);
}

/* The current call leaves the agent's device: ended (released) or put on hold. */
static bool leave_device(const struct huawei_state *st, struct huawei_call *call, const char *mode,
                         int64_t reason, int64_t end_ms)
{
    cJSON *trace = cJSON_GetObjectItemCaseSensitive(call->obj, "trace");
    bool ok = cJSON_IsObject(trace) &&
              set_item(trace, "callDirectMode", cJSON_CreateString(mode)) &&
              set_item(trace, "leaveReason", cJSON_CreateNumber((double)reason)) &&
              set_item(trace, "leaveReasonDesc", cJSON_CreateString(huawei_reason_text(reason)));
    if (ok && end_ms != HUAWEI_NONE)
        ok = set_item(trace, "talkEndTime", cJSON_CreateNumber((double)end_ms)) &&
             set_item(call->obj, "endtime", cJSON_CreateNumber((double)end_ms));
    return ok && huawei_call_render(st, call);
}

/* {"callid":..,"caller":..,"called":..,"feature":..}: what a call event carries. */
static char *call_event_content(const struct huawei_call *call)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    const char *keys[] = {"caller", "called"};
    cdr_buf_puts(&b, "{\"callid\":");
    cdr_buf_json_string(&b, call->callid);
    for (size_t i = 0; i < 2; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(call->obj, keys[i]);
        cdr_buf_printf(&b, ",\"%s\":", keys[i]);
        cdr_buf_json_string(&b, cJSON_IsString(v) ? v->valuestring : NULL);
    }
    const cJSON *feature = cJSON_GetObjectItemCaseSensitive(call->obj, "callfeature");
    cdr_buf_printf(&b, ",\"feature\":%lld}",
                   cJSON_IsNumber(feature) ? (long long)feature->valuedouble : 0LL);
    return cdr_buf_steal(&b);
}

static void call_event(struct huawei_agent *agent, const char *type, const struct huawei_call *call)
{
    if (agent->session != HUAWEI_SIGNED_IN)
        return; /* nobody to tell: a sign-in starts with an empty queue */
    char *content = call_event_content(call);
    if (content)
        huawei_push_event(agent, type, content);
    free(content);
}

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
    cdr_buf_puts(b, "],\"last_call\":");
    if (a->ended.count)
        cdr_buf_puts(b, a->ended.items[a->ended.count - 1]->json);
    else if (a->history_last != SIZE_MAX)
        cdr_buf_puts(b, st->records.entries[a->history_last].json);
    else
        cdr_buf_puts(b, "null");
    cdr_buf_puts(b, "}");
}

static void send_buf(struct mock_response *resp, int status, struct cdr_buf *b)
{
    if (b->failed) {
        cdr_buf_free(b);
        huawei_admin_error(resp, 500, "out of memory");
        return;
    }
    size_t len = b->len;
    mock_response_take_body(resp, status, "application/json;charset=UTF-8", cdr_buf_steal(b), len);
}

/* ---- dispatch -------------------------------------------------------------------------------- */

static bool is(const struct mock_request *req, const char *method)
{
    return strcmp(req->method, method) == 0;
}

/* One admin request about one agent, under the state's lock. */
struct action {
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
    send_buf(resp, 200, &b);
}

static void start_action(const struct action *a, struct mock_response *resp)
{
    /* No body: the seed page's example call. */
    cJSON *empty = a->has_body ? NULL : cJSON_CreateObject();
    int status = 500;
    const char *why =
        a->has_body || empty
            ? start_call(a->st, a->agent, a->has_body ? a->body : empty, a->now, &status)
            : "out of memory";
    cJSON_Delete(empty);
    if (why) {
        huawei_admin_error(resp, status, why);
        return;
    }
    call_event(a->agent, "AgentEvent_Talking", a->agent->current);
    mock_response_json(resp, 201, a->agent->current->json);
}

/* The current call leaves the agent for a list (ended or held), with its event. */
static void move_current(const struct action *a, struct huawei_call_list *to, const char *mode,
                         int64_t reason, int64_t end_ms, const char *event,
                         struct mock_response *resp)
{
    struct huawei_call *call = a->agent->current;
    if (!call) {
        huawei_admin_error(resp, 404, "the agent has no current call");
    } else if (!leave_device(a->st, call, mode, reason, end_ms) ||
               !huawei_call_list_add(to, call)) {
        huawei_admin_error(resp, 500, "out of memory");
    } else {
        a->agent->current = NULL;
        call_event(a->agent, event, call);
        mock_response_json(resp, 200, call->json);
    }
}

static void end_action(const struct action *a, struct mock_response *resp)
{
    const char *by = "customer";
    if (a->has_body &&
        (!cJSON_IsObject(a->body) || jv_string(a->body, "released_by", &by) == JV_WRONG_TYPE ||
         (strcmp(by, "customer") != 0 && strcmp(by, "agent") != 0))) {
        huawei_admin_error(resp, 400,
                           "expected {\"released_by\":\"customer\"|\"agent\"} or no body");
        return;
    }
    int64_t reason =
        strcmp(by, "agent") == 0 ? 16 : 15; /* the agent / the user releases the call */
    move_current(a, &a->agent->ended, "RELEASE_DIRECT", reason, a->now, "AgentEvent_Call_Release",
                 resp);
}

static void hold_action(const struct action *a, struct mock_response *resp)
{
    move_current(a, &a->agent->held, "KEEP_DIRECT", 18, HUAWEI_NONE, "AgentEvent_Hold", resp);
}

static void list_held(const struct action *a, struct mock_response *resp)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "[");
    for (size_t i = 0; i < a->agent->held.count; i++)
        cdr_buf_printf(&b, "%s%s", i ? "," : "", a->agent->held.items[i]->json);
    cdr_buf_puts(&b, "]");
    send_buf(resp, 200, &b);
}

static void queue_event(const struct action *a, struct mock_response *resp)
{
    const char *type;
    if (!cJSON_IsObject(a->body) || jv_string(a->body, "eventType", &type) != JV_OK || !*type) {
        huawei_admin_error(resp, 400, "expected {\"eventType\":\"...\",\"content\":any JSON}");
        return;
    }
    if (a->agent->session != HUAWEI_SIGNED_IN) {
        huawei_admin_error(resp, 409, "the agent is not signed in");
        return;
    }
    const cJSON *content = cJSON_GetObjectItemCaseSensitive(a->body, "content");
    char *content_json = content ? cJSON_PrintUnformatted(content) : NULL;
    huawei_push_event(a->agent, type, content_json);
    free(content_json);
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "{\"pending_events\":%zu}", a->agent->event_count);
    send_buf(resp, 200, &b);
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

static void agent_action(struct huawei_state *st, const struct mock_env *env,
                         struct huawei_agent *agent, const char *path,
                         const struct mock_request *req, struct mock_response *resp)
{
    for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
        if (strcmp(actions[i].path, path) != 0 || !is(req, actions[i].method))
            continue;
        struct action a = {st, agent, NULL, req->body_len > 0, mock_clock_now_ms(env->clock)};
        huawei_expire(agent, a.now);
        cJSON *body = a.has_body ? cJSON_ParseWithLength(req->body, req->body_len) : NULL;
        a.body = body;
        actions[i].run(&a, resp);
        cJSON_Delete(body);
        return;
    }
    huawei_admin_error(resp, 404, "unknown huawei admin endpoint");
}

void huawei_admin(void *state, const struct mock_env *env, const char *subpath,
                  const struct mock_request *req, struct mock_response *resp)
{
    struct huawei_state *st = state;
    if (req->body_too_large) {
        huawei_admin_error(resp, 413, "body over the size limit");
        return;
    }
    const char *prefix = "/agents";
    if (strncmp(subpath, prefix, strlen(prefix)) != 0) {
        huawei_admin_error(resp, 404, "unknown huawei admin endpoint");
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
        send_buf(resp, 200, &b);
    } else if (*rest == '/') {
        size_t digits = strspn(rest + 1, "0123456789");
        int64_t id = digits && digits <= 9 ? strtoll(rest + 1, NULL, 10) : -1;
        struct huawei_agent *agent = huawei_find_agent(st, id);
        if (agent)
            agent_action(st, env, agent, rest + 1 + digits, req, resp);
        else
            huawei_admin_error(resp, 404, "no such agent");
    } else {
        huawei_admin_error(resp, 404, "unknown huawei admin endpoint");
    }
    pthread_mutex_unlock(&st->lock);
}

/* ---- the built-in scenario ------------------------------------------------------------------- */

bool huawei_apply_scenario(struct huawei_state *st, const char *dir, int64_t anchor_ms, char *err,
                           size_t err_len)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/scenario.json", dir);
    FILE *probe = fopen(path, "rb");
    if (!probe)
        return true; /* optional: a dataset without a scenario starts with every agent idle */
    fclose(probe);
    cJSON *calls = mock_load_json(dir, "scenario.json", err, err_len);
    if (!calls)
        return false;
    bool ok = cJSON_IsArray(calls);
    if (!ok)
        snprintf(err, err_len,
                 "scenario.json must be an array of {\"agentid\": N, \"call\": {...}}");
    const cJSON *entry;
    cJSON_ArrayForEach(entry, (ok ? calls : NULL)) {
        int64_t id;
        struct huawei_agent *agent =
            jv_int(entry, "agentid", &id) == JV_OK ? huawei_find_agent(st, id) : NULL;
        int status;
        const char *why =
            agent ? start_call(st, agent, cJSON_GetObjectItemCaseSensitive(entry, "call"),
                               anchor_ms, &status)
                  : "agentid must be an agent of agents.json";
        if (why) {
            snprintf(err, err_len, "scenario.json: %s", why);
            ok = false;
            break;
        }
    }
    cJSON_Delete(calls);
    return ok;
}
