/* Live calls: the call objects the admin endpoints and the built-in scenario start, hold and end
 * on an agent's device, each kept in its two renderings (as it is, and as the "last call"). The
 * call history of the fixtures is dataset.c's; a callid is unique per agent across both. */
#include <stdlib.h>
#include <string.h>

#include "../../fileio.h"
#include "../../jsonval.h"
#include "internal.h"

#define MAX_DURATION_S (7 * 86400)

bool huawei_call_render(const struct huawei_state *st, struct huawei_call *call)
{
    char *json = cJSON_PrintUnformatted(call->obj);
    char *last = json ? huawei_render_last_call(call->obj, st->lastcall_trace_full) : NULL;
    if (!last) {
        free(json);
        return false;
    }
    free(call->json);
    free(call->last_json);
    call->json = json;
    call->last_json = last;
    return true;
}

struct huawei_call *huawei_call_new(const struct huawei_state *st, cJSON *obj)
{
    struct huawei_call *call = calloc(1, sizeof(*call));
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(obj, "callid");
    if (!call || !cJSON_IsString(id)) {
        free(call);
        cJSON_Delete(obj);
        return NULL;
    }
    call->obj = obj;
    snprintf(call->callid, sizeof(call->callid), "%s", id->valuestring);
    if (!huawei_call_render(st, call)) {
        huawei_call_free(call);
        return NULL;
    }
    return call;
}

void huawei_call_free(struct huawei_call *call)
{
    if (!call)
        return;
    cJSON_Delete(call->obj);
    free(call->json);
    free(call->last_json);
    free(call);
}

bool huawei_call_list_add(struct huawei_call_list *list, struct huawei_call *call)
{
    struct huawei_call **grown = realloc(list->items, (list->count + 1) * sizeof(*grown));
    if (!grown)
        return false;
    list->items = grown;
    grown[list->count++] = call;
    return true;
}

void huawei_call_list_free(struct huawei_call_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        huawei_call_free(list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

const struct huawei_call *huawei_find_call(const struct huawei_agent *agent, const char *callid)
{
    if (agent->current && strcmp(agent->current->callid, callid) == 0)
        return agent->current;
    const struct huawei_call_list *lists[] = {&agent->held, &agent->ended};
    for (size_t l = 0; l < 2; l++)
        for (size_t i = 0; i < lists[l]->count; i++)
            if (strcmp(lists[l]->items[i]->callid, callid) == 0)
                return lists[l]->items[i];
    return NULL;
}

bool huawei_callid_taken(const struct huawei_state *st, const struct huawei_agent *agent,
                         const char *callid)
{
    return huawei_find_call(agent, callid) || huawei_find_record(st, agent->id, callid) != SIZE_MAX;
}

/* ---- starting a call from fields ------------------------------------------------------------- */

/* caller and called are typed int in the docs and strings in every example: take either. */
static enum mock_jv_result number_text(const cJSON *body, const char *key, char *out, size_t len)
{
    int64_t n;
    const char *text;
    enum mock_jv_result r = mock_jv_int(body, key, &n);
    if (r == MOCK_JV_OK)
        snprintf(out, len, "%lld", (long long)n);
    else if ((r = mock_jv_string(body, key, &text)) == MOCK_JV_OK)
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

static bool in_range(enum mock_jv_result r, int64_t v, int64_t lo, int64_t hi)
{
    return r != MOCK_JV_OK || (v >= lo && v <= hi);
}

/* Reads the admin fields over the callinfo page example's values. NULL when fine, else why not. */
static const char *read_fields(const cJSON *body, struct huawei_call_spec *c, char *caller,
                               char *called, size_t number_len, int64_t *ring_s, int64_t *talk_s)
{
    /* The callinfo page's example call, field for field, is the default. */
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
    enum mock_jv_result r[16];
    size_t n = 0;
    r[n++] = mock_jv_int(body, "callfeature", &c->callfeature);
    r[n++] = mock_jv_string(body, "callid", &c->callid);
    r[n++] = number_text(body, "caller", caller, number_len);
    r[n++] = number_text(body, "called", called, number_len);
    r[n++] = mock_jv_string(body, "callskill", &c->callskill);
    r[n++] = mock_jv_int(body, "callskillid", &c->callskillid);
    r[n++] = mock_jv_string(body, "orgicallednum", &c->orgicallednum);
    r[n++] = mock_jv_string(body, "calldata", &c->calldata);
    r[n++] = mock_jv_int(body, "userPriority", &c->user_priority);
    r[n++] = mock_jv_int(body, "trunkNo", &c->trunk_no);
    r[n++] = mock_jv_int(body, "logontimes", &c->logontimes);
    r[n++] = mock_jv_int(body, "mediaType", &c->media_type);
    r[n++] = mock_jv_int(body, "mediaAbility", &c->media_ability);
    enum mock_jv_result wait = r[n++] = mock_jv_int(body, "waitTime", &c->wait_time);
    enum mock_jv_result enter = r[n++] = mock_jv_int(body, "enterReason", &c->enter_reason);
    enum mock_jv_result ring = mock_jv_int(body, "ring_seconds", ring_s);
    enum mock_jv_result talk = mock_jv_int(body, "talk_seconds", talk_s);
    for (size_t i = 0; i < n; i++)
        if (r[i] == MOCK_JV_WRONG_TYPE)
            return "a call field has the wrong type (caller/called: string or integer; callid, "
                   "callskill, "
                   "orgicallednum, calldata: string; the rest: integer)";
    if (ring == MOCK_JV_WRONG_TYPE || talk == MOCK_JV_WRONG_TYPE ||
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

const char *huawei_start_call(struct huawei_state *st, struct huawei_agent *agent,
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

bool huawei_call_leave_device(const struct huawei_state *st, struct huawei_call *call,
                              const char *mode, int64_t reason, int64_t end_ms)
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
            mock_jv_int(entry, "agentid", &id) == MOCK_JV_OK ? huawei_find_agent(st, id) : NULL;
        int status;
        const char *why =
            agent ? huawei_start_call(st, agent, cJSON_GetObjectItemCaseSensitive(entry, "call"),
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
