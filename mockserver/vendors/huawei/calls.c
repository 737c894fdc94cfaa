/* Call objects in the vendor's shape, and the calldata queries: callinfo (current call, or the
 * last one), callinfobycallid and holdlist. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

const char *huawei_reason_text(int64_t reason)
{
    static const char *const texts[] = {
        [0] = "Normal reason", /* as the seed example prints it; the table says "Common access or
                                  transfer." */
        [1] = "The call is transferred due to overflow.",
        [2] = "The call is transferred due to timeout.",
        [3] = "The call is transferred when no one is on duty.",
        [4] = "The call is transferred when queuing is cancelled.",
        [5] = "The call is transferred when an agent does not answer for a long time.",
        [6] = "The suspended call is resumed.",
        [7] = "The held call is connected.",
        [8] = "Three-party help is initiated.",
        [9] = "The call is unheld.",
        [10] = "The three-party call is initiated.",
        [11] = "The call is released by the party who sends the internal help request.",
        [12] = "The call is intercepted.",
        [13] = "The call is picked up.",
        [14] = "Called number analysis is not configured for a call.",
        [15] = "The user releases the call.",
        [16] = "The agent releases the call.",
        [17] = "The call is transferred out.",
        [18] = "The call is held.",
        [19] = "Internal processing error.",
        [20] = "The called party is busy.",
        [21] = "The line is busy.",
        [22] = "The phone is powered off.",
        [23] = "The phone is out of service.",
        [24] = "The number is invalid.",
        [25] = "No resource is available on the ACD.",
        [26] = "The user does not answer the call.",
        [27] = "The called party rejects the call.",
        [28] = "The connected call is transferred to a queue.",
        [29] = "The three-party call is transferred to a queue.",
        [30] = "The connected call times out when being transferred to a queue.",
        [31] = "The three-party call times out when being transferred to a queue.",
        [34] = "The failed network call queues due to timeout, overflow, or busy.",
        [35] = "The network call queues at the original call center.",
        [36] = "The queuing call is rerouted.",
        [37] = "The call enters the CDN through the inbound route.",
        [38] = "The call enters the CDN from agent consultation.",
        [39] = "The CDN returns the routing result.",
        [40] = "CDN routing times out.",
        [41] = "The agent cancels the call during consultation.",
        [42] = "The call enters the PGR from a timeout CDN route.",
        [43] = "The call enters the PGR from a normal CDN route.",
        [44] = "The call enters the PGR through the inbound route.",
        [45] = "The call enters the PGR from agent consultation.",
        [46] = "The CDN reroutes the call because the agent is unreachable.",
        [47] = "The call queues in multiple queues.",
        [48] = "The call in the master queue is answered from the slave queue.",
        [50] = "The agent rejects the call.",
        [51] = "A user call joins a conference.",
        [52] =
            "The conference chairperson proactively releases the conference, or the conference is "
            "released due to a CSS exception.",
        [53] = "The participant is removed from the conference.",
        [54] = "The call is transferred when the call completion rate is lower than the threshold.",
        [88] = "The user hangs up after the agent answers the call.",
        [89] = "The user hooks on after the agent answers the call.",
    };
    if (reason < 0 || reason >= (int64_t)(sizeof(texts) / sizeof(texts[0])) || !texts[reason])
        return "";
    return texts[reason];
}

static cJSON *instant(int64_t ms)
{
    return ms == HUAWEI_NONE ? cJSON_CreateNull() : cJSON_CreateNumber((double)ms);
}

static bool add(cJSON *obj, const char *key, cJSON *item)
{
    return item && cJSON_AddItemToObject(obj, key, item);
}

cJSON *huawei_call_object(const struct huawei_call_spec *c)
{
    cJSON *o = cJSON_CreateObject(), *t = cJSON_CreateObject();
    bool ok = o && t && add(o, "callfeature", cJSON_CreateNumber((double)c->callfeature)) &&
              add(o, "callid", cJSON_CreateString(c->callid)) &&
              add(o, "caller", cJSON_CreateString(c->caller)) &&
              add(o, "called", cJSON_CreateString(c->called)) &&
              add(o, "callskill", cJSON_CreateString(c->callskill)) &&
              add(o, "callskillid", cJSON_CreateNumber((double)c->callskillid)) &&
              add(o, "orgicallednum", cJSON_CreateString(c->orgicallednum)) &&
              add(o, "calldata", cJSON_CreateString(c->calldata)) &&
              add(o, "begintime", instant(c->begintime)) &&
              add(o, "endtime", instant(c->endtime)) &&
              add(o, "userPriority", cJSON_CreateNumber((double)c->user_priority)) &&
              add(o, "trunkNo", cJSON_CreateNumber((double)c->trunk_no)) &&
              add(o, "logontimes", cJSON_CreateNumber((double)c->logontimes)) &&
              add(o, "mediaType", cJSON_CreateNumber((double)c->media_type)) &&
              add(o, "mediaAbility", cJSON_CreateNumber((double)c->media_ability)) &&
              add(o, "waitTime", cJSON_CreateNumber((double)c->wait_time));
    if (ok && cJSON_AddItemToObject(o, "trace", t)) {
        t = cJSON_GetObjectItemCaseSensitive(o, "trace");
        ok = add(t, "waitBeginTime", instant(c->wait_begin)) &&
             add(t, "waitEndTime", instant(c->wait_end)) &&
             add(t, "answerBeginTime", instant(c->answer_begin)) &&
             add(t, "answerEndTime", instant(c->answer_end)) &&
             add(t, "talkBeginTime", instant(c->talk_begin)) &&
             add(t, "talkEndTime", instant(c->talk_end)) &&
             add(t, "deviceNo", cJSON_CreateNumber((double)c->device_no)) &&
             add(t, "deviceType", cJSON_CreateNumber((double)c->device_type)) &&
             add(t, "callDirectMode", cJSON_CreateString(c->direct_mode)) &&
             add(t, "enterReason", cJSON_CreateNumber((double)c->enter_reason)) &&
             add(t, "enterReasonDesc", cJSON_CreateString(huawei_reason_text(c->enter_reason))) &&
             add(t, "leaveReason", instant(c->leave_reason)) &&
             add(t, "leaveReasonDesc",
                 c->leave_reason == HUAWEI_NONE
                     ? cJSON_CreateNull()
                     : cJSON_CreateString(huawei_reason_text(c->leave_reason))) &&
             add(t, "vdnId", cJSON_CreateNumber((double)c->vdn_id));
    } else {
        cJSON_Delete(t);
        ok = false;
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

char *huawei_render_last_call(const cJSON *obj, bool full)
{
    if (full)
        return cJSON_PrintUnformatted(obj);
    /* "Information about the last call cannot be queried" for these five, says the seed page. */
    static const char *const blank[] = {"waitEndTime", "answerEndTime", "talkEndTime",
                                        "leaveReason", "leaveReasonDesc"};
    cJSON *copy = cJSON_Duplicate(obj, true);
    cJSON *trace = cJSON_GetObjectItemCaseSensitive(copy, "trace");
    bool ok = copy != NULL;
    for (size_t i = 0; ok && cJSON_IsObject(trace) && i < sizeof(blank) / sizeof(blank[0]); i++) {
        cJSON *null = cJSON_CreateNull();
        ok = null && (cJSON_GetObjectItemCaseSensitive(trace, blank[i])
                          ? cJSON_ReplaceItemInObjectCaseSensitive(trace, blank[i], null)
                          : cJSON_AddItemToObject(trace, blank[i], null));
        if (!ok)
            cJSON_Delete(null);
    }
    char *json = ok ? cJSON_PrintUnformatted(copy) : NULL;
    cJSON_Delete(copy);
    return json;
}

/* ---- live calls ------------------------------------------------------------------------------ */

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

static const struct huawei_call *find_live(const struct huawei_agent *agent, const char *callid)
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
    return find_live(agent, callid) || huawei_find_record(st, agent->id, callid) != SIZE_MAX;
}

/* ---- the queries
 * --------------------------------------------------------------------------------- */

/* Answers the error and returns false unless the request may go on. */
static bool authorized(struct huawei_state *st, const struct mock_env *env,
                       const struct mock_request *req, struct huawei_agent *agent,
                       struct mock_response *resp)
{
    const char *failure = huawei_authorize(st, agent, req, mock_clock_now_ms(env->clock));
    if (failure)
        huawei_error(resp, failure);
    return failure == NULL;
}

void huawei_callinfo(struct huawei_state *st, const struct mock_env *env,
                     const struct mock_request *req, struct huawei_agent *agent,
                     struct mock_response *resp)
{
    if (!authorized(st, env, req, agent, resp))
        return;
    const char *flag_text = mock_request_query(req, "isNoContainLastCall");
    bool flag = false;
    if (flag_text && *flag_text) {
        if (strcasecmp(flag_text, "true") == 0)
            flag = true;
        else if (strcasecmp(flag_text, "false") != 0) {
            huawei_error(resp, HUAWEI_PARAMETER);
            return;
        }
    }
    if (agent->current) {
        huawei_result(resp, agent->current->json);
        return;
    }
    bool want_last = st->lastcall_doc ? flag : !flag;
    const char *last = NULL;
    if (want_last && agent->ended.count)
        last = agent->ended.items[agent->ended.count - 1]->last_json;
    else if (want_last && agent->history_last != SIZE_MAX)
        last = ((const struct huawei_record_attrs *)st->records.entries[agent->history_last].attrs)
                   ->last_json;
    huawei_result(resp, last);
}

void huawei_call_by_id(struct huawei_state *st, const struct mock_env *env,
                       const struct mock_request *req, struct huawei_agent *agent,
                       const char *callid, struct mock_response *resp)
{
    if (!authorized(st, env, req, agent, resp))
        return;
    const struct huawei_call *live = find_live(agent, callid);
    if (live) {
        huawei_result(resp, live->json);
        return;
    }
    size_t i = huawei_find_record(st, agent->id, callid);
    if (i != SIZE_MAX)
        huawei_result(resp, st->records.entries[i].json);
    else if (st->unknown_callid_error)
        huawei_error(resp, HUAWEI_PARAMETER);
    else
        huawei_result(resp, NULL);
}

void huawei_holdlist(struct huawei_state *st, const struct mock_env *env,
                     const struct mock_request *req, struct huawei_agent *agent,
                     struct mock_response *resp)
{
    if (!authorized(st, env, req, agent, resp))
        return;
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{\"message\":\"\",\"retcode\":\"0\",\"result\":[");
    for (size_t i = 0; i < agent->held.count; i++) {
        cdr_buf_puts(&b, i ? "," : "");
        cdr_buf_puts(&b, agent->held.items[i]->json);
    }
    cdr_buf_puts(&b, "]}");
    huawei_send(resp, &b);
}
