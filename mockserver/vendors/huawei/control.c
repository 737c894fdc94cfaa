/* Huawei's side of the control plane. The gateway has no call-record list: an agent sees its
 * current call, a call by id and, with isNoContainLastCall, its last call. So the "records" of
 * /__cdrsim/huawei/records are the call history of the agents (what callinfobycallid and the
 * last call answer from): call objects in the callinfo page's shape, each belonging to the agent
 * its trace names (deviceType 2, deviceNo the agent ID). Added ones are rendered by dataset.c as
 * loaded ones are, and an agent's outbound call joins the CC-Management history as a loaded one
 * does, for the next queryCallDetailRecord. Clearing also forgets the calls ended through the admin
 * endpoints, so no last call remains, and empties the CC-Management history (the documented
 * examples too: a test sees only the calls it adds; a reset brings them back). The Guid, the
 * JSESSIONID cookie and the recording URLs' Signature are the journal's secrets. */
#include <stdlib.h>
#include <string.h>

#include "../../batch.h"
#include "../../jsonval.h"
#include "internal.h"

/* The recording URLs' Signature too (Authorization and app_secret are the core's). */
static const char *const huawei_secret_names[] = {"Guid", "Signature", NULL};

/* The agent a call object belongs to; NULL with err naming the field. */
static struct huawei_agent *owner(const struct huawei_state *st, const cJSON *r, size_t n,
                                  char *err, size_t err_len)
{
    const cJSON *trace = cJSON_GetObjectItemCaseSensitive(r, "trace");
    int64_t type, device;
    if (mock_jv_int(trace, "deviceType", &type) != MOCK_JV_OK || type != 2) {
        snprintf(err, err_len,
                 "records[%zu].trace.deviceType: expected 2 (an agent's device): a call is the "
                 "history of the agent it reached",
                 n);
        return NULL;
    }
    struct huawei_agent *agent = mock_jv_int(trace, "deviceNo", &device) == MOCK_JV_OK
                                     ? huawei_find_agent(st, device)
                                     : NULL;
    if (!agent)
        snprintf(err, err_len,
                 "records[%zu].trace.deviceNo: not an agent of this gateway (agents.json or "
                 "--config huawei.agents)",
                 n);
    return agent;
}

static const char *callid_of(const cJSON *r)
{
    const char *callid = NULL;
    mock_jv_string(r, "callid", &callid);
    return callid;
}

/* What the history needs of a call beyond its schema, checked before any is added (the callid
 * index stays valid only until the first one is); false with err naming the field. */
static bool fits(const struct huawei_state *st, const cJSON *records, const cJSON *r, size_t n,
                 char *err, size_t err_len)
{
    const char *callid = callid_of(r);
    int64_t begin;
    if (!callid || !*callid || strlen(callid) >= HUAWEI_CALLID_SIZE) {
        snprintf(err, err_len, "records[%zu].callid: expected a string of 1..%d characters", n,
                 HUAWEI_CALLID_SIZE - 1);
        return false;
    }
    if (mock_jv_int(r, "begintime", &begin) != MOCK_JV_OK) {
        snprintf(err, err_len, "records[%zu].begintime: expected epoch milliseconds", n);
        return false;
    }
    struct huawei_agent *agent = owner(st, r, n, err, err_len);
    if (!agent)
        return false;
    bool taken = huawei_callid_taken(st, agent, callid);
    for (const cJSON *e = records->child; !taken && e != r; e = e->next) {
        const char *other = callid_of(e);
        taken = other && strcmp(other, callid) == 0 && owner(st, e, 0, err, err_len) == agent;
    }
    if (taken)
        snprintf(err, err_len, "records[%zu].callid: agent %s already has a call %.64s", n,
                 agent->workno, callid);
    return !taken;
}

static bool ingest(void *state, const cJSON *record, char *err, size_t err_len)
{
    return huawei_ingest_record(state, record, err, err_len);
}

static bool huawei_records_add(void *state, const cJSON *records, char *err, size_t err_len)
{
    struct huawei_state *st = state;
    size_t n = 0;
    for (const cJSON *r = records->child; r; r = r->next, n++)
        if (!fits(st, records, r, n, err, err_len))
            return false;
    /* An outbound call of an agent also makes a CC-Management record (dataset.c): those of a
     * batch refused midway go again, and the new ones are sorted and indexed in. */
    size_t history_before = st->history.count;
    if (!mock_batch_add(&st->records, st, records, NULL, ingest, err, err_len)) {
        mock_store_truncate(&st->history, history_before);
        return false;
    }
    return huawei_index_records(st, err, err_len) && huawei_index_history(st, err, err_len);
}

static void huawei_records_clear(void *state)
{
    struct huawei_state *st = state;
    char err[64];
    /* No request runs (the core holds the gate), but the agents' calls are the lock's. */
    pthread_mutex_lock(&st->lock);
    for (size_t i = 0; i < st->agent_count; i++)
        huawei_forget_ended(&st->agents[i]);
    pthread_mutex_unlock(&st->lock);
    huawei_dataset_clear(st);
    /* The documented examples go too, so a test sees only what it adds (a reset restores them).
     * Empty indexes: only memory can fail. */
    huawei_index_records(st, err, sizeof(err));
    huawei_index_history(st, err, sizeof(err));
}

static size_t huawei_records_count(void *state)
{
    return ((const struct huawei_state *)state)->records.count;
}

/* The gateway's retcodes (docs/vendors/huawei.md, retcodes), HTTP 200 with the code in the body;
 * 100-007, an internal error of the operation, is the server's own failure. */
static bool huawei_server_error(void *state, const struct mock_env *env,
                                const struct mock_request *req, const char *code,
                                struct mock_response *resp)
{
    (void)env;
    (void)req;
    static const char *const documented[] = {
        HUAWEI_PARAMETER,     HUAWEI_NO_PERMISSION,  HUAWEI_SIGNIN_PARAMETER,
        HUAWEI_ALREADY_IN,    HUAWEI_WRONG_PASSWORD, HUAWEI_SIGNOUT_REFUSED,
        HUAWEI_NOT_SIGNED_IN, HUAWEI_INTERNAL,       HUAWEI_ALREADY_OUT,
    };
    const char *retcode = code ? NULL : HUAWEI_INTERNAL;
    for (size_t i = 0; code && i < sizeof(documented) / sizeof(*documented); i++)
        if (strcmp(documented[i], code) == 0)
            retcode = documented[i];
    if (retcode)
        huawei_reply_error(state, resp, retcode);
    return retcode != NULL;
}

const struct mock_vendor_control huawei_control = {
    .record_schema = "call",
    .secret_names = huawei_secret_names,
    .records_add = huawei_records_add,
    .records_clear = huawei_records_clear,
    .records_count = huawei_records_count,
    .server_error = huawei_server_error,
};
