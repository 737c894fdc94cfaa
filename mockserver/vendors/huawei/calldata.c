/* The calldata queries, for the agent that asks and with its Guid: callinfo (the current call, or
 * the last one depending on isNoContainLastCall), callinfobycallid and holdlist. A call is the
 * agent's when it is one of its live calls (calls.c: current, held, or ended and still in the
 * agent's ring) or a history record whose trace names its device (dataset.c). Facts:
 * docs/vendors/huawei.md (call data). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void huawei_callinfo(struct huawei_state *st, const struct mock_env *env,
                     const struct mock_request *req, struct huawei_agent *agent,
                     struct mock_response *resp)
{
    if (!huawei_authorized(st, agent, req, mock_clock_now_ms(env->clock), resp))
        return;
    bool flag;
    if (!huawei_parse_last_call_flag(req, &flag)) {
        huawei_reply_error(st, resp, HUAWEI_PARAMETER);
        return;
    }
    if (agent->current) {
        huawei_reply_result(resp, agent->current->json);
        return;
    }
    bool want_last = st->lastcall_doc ? flag : !flag;
    const char *last = NULL;
    const struct huawei_call *ended = huawei_last_ended(agent);
    if (want_last && ended)
        last = ended->last_json;
    else if (want_last)
        last = agent->last_json;
    huawei_reply_result(resp, last);
}

void huawei_call_by_id(struct huawei_state *st, const struct mock_env *env,
                       const struct mock_request *req, struct huawei_agent *agent,
                       const char *callid, struct mock_response *resp)
{
    if (!huawei_authorized(st, agent, req, mock_clock_now_ms(env->clock), resp))
        return;
    const struct huawei_call *live = huawei_find_call(agent, callid);
    if (live) {
        huawei_reply_result(resp, live->json);
        return;
    }
    size_t i = huawei_find_record(st, agent->id, callid);
    if (i != SIZE_MAX) {
        struct cdr_buf b;
        cdr_buf_init(&b);
        huawei_reply_begin(&b);
        mock_store_append_json(&st->records, &st->records.entries[i], &b);
        huawei_reply_finish(resp, &b);
    } else if (st->unknown_callid_error)
        huawei_reply_error(st, resp, HUAWEI_PARAMETER);
    else
        huawei_reply_result(resp, NULL);
}

void huawei_holdlist(struct huawei_state *st, const struct mock_env *env,
                     const struct mock_request *req, struct huawei_agent *agent,
                     struct mock_response *resp)
{
    if (!huawei_authorized(st, agent, req, mock_clock_now_ms(env->clock), resp))
        return;
    struct cdr_buf b;
    cdr_buf_init(&b);
    huawei_reply_begin(&b);
    cdr_buf_puts(&b, "[");
    for (size_t i = 0; i < agent->held.count; i++) {
        cdr_buf_puts(&b, i ? "," : "");
        cdr_buf_puts(&b, agent->held.items[i]->json);
    }
    cdr_buf_puts(&b, "]");
    huawei_reply_finish(resp, &b);
}
