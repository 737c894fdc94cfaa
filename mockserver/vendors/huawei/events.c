/* The events a call sends its agent as the switch moves it, with the content each event page
 * documents (docs/vendors/huawei.md, events): a started call rings (AgentEvent_Ringing), talks
 * (AgentEvent_Talking) and, recorded, announces its file (AgentMediaEvent_Record); a held call
 * sends AgentEvent_Hold; a release sends AgentEvent_Call_Release (the bare call id),
 * AgentEvent_Customer_Release when the customer hung up, AgentOther_PhoneRelease and
 * AgentState_Ready. Only a signed-in agent is told: a sign-in starts with an empty queue. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "json_type.h"

/* A member of the call object as the events' string: text as it is, a number in decimal. */
static void put_text(struct cdr_buf *b, const struct huawei_call *call, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(call->obj, key);
    if (cJSON_IsString(v)) {
        cdr_buf_json_string(b, v->valuestring);
    } else if (cJSON_IsNumber(v)) {
        cdr_buf_printf(b, "\"%lld\"", (long long)cdr__json_int64(v, 0));
    } else {
        cdr_buf_puts(b, "\"\"");
    }
}

/* Ringing (with the transfer members) or Talking: the members in the order of each page's
 * example, every value a string. */
static char *call_content(const struct huawei_call *call, bool ringing)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{\"caller\":");
    put_text(&b, call, "caller");
    if (ringing)
        cdr_buf_puts(&b, ",\"transfer\":\"no\"");
    cdr_buf_puts(&b, ",\"callid\":");
    cdr_buf_json_string(&b, call->callid);
    if (ringing)
        cdr_buf_puts(&b, ",\"transfrom\":\"\"");
    cdr_buf_puts(&b, ",\"called\":");
    put_text(&b, call, "called");
    if (!ringing) {
        cdr_buf_puts(&b, ",\"feature\":");
        put_text(&b, call, "callfeature");
    }
    cdr_buf_puts(&b, ",\"type\":\"main\",\"mediaAbility\":");
    put_text(&b, call, "mediaAbility");
    if (ringing) {
        cdr_buf_puts(&b, ",\"feature\":");
        put_text(&b, call, "callfeature");
    }
    cdr_buf_puts(&b, "}");
    return cdr_buf_steal(&b);
}

/* AgentMediaEvent_Record: where the call's recording is, as recordfile takes it. */
static char *record_content(const struct huawei_call *call)
{
    char file[HUAWEI_RECORD_FILE_SIZE], record_id[64];
    if (!huawei_record_file_name(call->obj, call->callid, file, sizeof(file), record_id,
                                 sizeof(record_id)))
        return NULL;
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "{\"taskId\":%lld,\"caller\":", (long long)call->record_task);
    put_text(&b, call, "caller");
    cdr_buf_puts(&b, ",\"recordID\":");
    cdr_buf_json_string(&b, record_id);
    cdr_buf_puts(&b, ",\"called\":");
    put_text(&b, call, "called");
    cdr_buf_puts(&b, ",\"locationId\":\"0\",\"fileName\":");
    cdr_buf_json_string(&b, file);
    cdr_buf_puts(&b, ",\"fileMediaType\":\"1\",\"callId\":");
    cdr_buf_json_string(&b, call->callid);
    cdr_buf_puts(&b, "}");
    return cdr_buf_steal(&b);
}

/* Queues one event whose content (JSON text, NULL for null) the caller built; takes content. */
static void tell(const struct huawei_state *st, struct huawei_agent *agent, const char *type,
                 char *content, int64_t now_ms)
{
    huawei_push_event(st, agent, type, content, now_ms);
    free(content);
}

void huawei_events_call_started(const struct huawei_state *st, struct huawei_agent *agent,
                                const struct huawei_call *call, int64_t now_ms)
{
    if (agent->session != HUAWEI_SIGNED_IN)
        return;
    tell(st, agent, "AgentEvent_Ringing", call_content(call, true), now_ms);
    tell(st, agent, "AgentEvent_Talking", call_content(call, false), now_ms);
    char *record = call->recorded ? record_content(call) : NULL;
    if (record) /* out of memory: the event is lost, as a full queue would lose it */
        tell(st, agent, "AgentMediaEvent_Record", record, now_ms);
}

void huawei_events_call_held(const struct huawei_state *st, struct huawei_agent *agent,
                             const struct huawei_call *call, int64_t now_ms)
{
    if (agent->session != HUAWEI_SIGNED_IN)
        return;
    /* The hold events the pages show (AgentEvent_linkagePhoneHold) carry {"callId": ...}. */
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{\"callId\":");
    cdr_buf_json_string(&b, call->callid);
    cdr_buf_puts(&b, "}");
    tell(st, agent, "AgentEvent_Hold", cdr_buf_steal(&b), now_ms);
}

void huawei_events_call_released(const struct huawei_state *st, struct huawei_agent *agent,
                                 const struct huawei_call *call, bool by_customer, int64_t now_ms)
{
    if (agent->session != HUAWEI_SIGNED_IN)
        return;
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_json_string(&b, call->callid);
    tell(st, agent, "AgentEvent_Call_Release", cdr_buf_steal(&b), now_ms);
    if (by_customer) {
        /* The customer: the caller of an inbound call, the called party otherwise. */
        const cJSON *feature = cJSON_GetObjectItemCaseSensitive(call->obj, "callfeature");
        bool inbound = cJSON_IsNumber(feature) && feature->valuedouble == 0;
        cdr_buf_init(&b);
        cdr_buf_puts(&b, "{\"callid\":");
        cdr_buf_json_string(&b, call->callid);
        cdr_buf_puts(&b, ",\"number\":");
        put_text(&b, call, inbound ? "caller" : "called");
        cdr_buf_puts(&b, "}");
        tell(st, agent, "AgentEvent_Customer_Release", cdr_buf_steal(&b), now_ms);
    }
    /* phoneState: 3 the platform hung the phone up, 2 the agent did. */
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "{\"phoneState\":%d}", by_customer ? 3 : 2);
    tell(st, agent, "AgentOther_PhoneRelease", cdr_buf_steal(&b), now_ms);
    tell(st, agent, "AgentState_Ready", NULL, now_ms);
}
