/* GET agentevent/{agentid}: the event long poll. With an event pending it answers at once; with
 * none it asks the HTTP layer to call again (retry_after_ms) until the poll length has passed,
 * then answers {"message":"","retcode":"0"}. Under dynamic auth the answer is where a rotated
 * Guid is handed over, in Set-GUID. Facts: docs/vendors/huawei.md (sessions and authentication). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void huawei_poll(struct huawei_state *st, const struct mock_env *env,
                 const struct mock_request *req, struct huawei_agent *agent,
                 struct mock_response *resp)
{
    int64_t now = mock_clock_now_ms(env->clock);
    bool retry = resp->poll.started;
    if (!retry)
        resp->poll.started_ms = now;
    /* A waiting poll is polling: a clock moved forward meanwhile must not sign the agent out.
     * Only for the session the poll belongs to; the Guid is checked properly just below. */
    const char *sent = mock_request_header(req, "Guid");
    if (retry && agent && agent->session == HUAWEI_SIGNED_IN && sent &&
        (strcmp(sent, agent->guid) == 0 ||
         (agent->prev_guid[0] && strcmp(sent, agent->prev_guid) == 0)))
        agent->last_poll_ms = now;
    const char *failure = huawei_authorize(st, agent, req, now);
    if (failure) {
        huawei_reply_error(st, resp, failure);
        return;
    }
    agent->last_poll_ms = now;
    char *event = huawei_pop_event(agent);
    /* Measured on the mock's clock, but never longer than the waits already slept: a frozen or
     * rewound clock cannot hold a connection open past the poll length. */
    int64_t waited = now - resp->poll.started_ms;
    if (resp->poll.waited_ms > waited)
        waited = resp->poll.waited_ms;
    if (!event && waited < st->poll_ms) {
        int64_t left = st->poll_ms - waited;
        resp->retry_after_ms = (int)(left < HUAWEI_POLL_STEP_MS ? left : HUAWEI_POLL_STEP_MS);
        return;
    }
    huawei_reply_event(resp, event);
    huawei_hand_over_guid(st, env, req, agent, now, resp);
    free(event);
}
