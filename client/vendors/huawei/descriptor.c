/* Huawei AgentGateway as a descriptor: its fields (fields.c) and its calls. A session has no
 * range query, so the generic calls are the client (a session, not signed in yet) and parsing a
 * saved calldata answer. */
#include <stdlib.h>

#include "internal.h"

static const struct cdr_call calls[] = {
    {"sign_in", CDR_ANSWER_NONE, "PUT onlineagent/{agent_id}[/forcelogin]: the session's Guid"},
    {"sign_out", CDR_ANSWER_NONE, "DELETE onlineagent/{agent_id}/logout"},
    {"poll", CDR_ANSWER_JSON, "GET agentevent/{agent_id}: the next event, if any"},
    {"refresh_guid", CDR_ANSWER_NONE, "PUT onlineagent/{agent_id}/updateGuid"},
    {"callinfo", CDR_ANSWER_RECORDS, "GET calldata/{agent_id}/callinfo: the current or last call"},
    {"call_by_id", CDR_ANSWER_RECORDS, "GET calldata/{agent_id}/callinfobycallid/{callid}"},
    {"holdlist", CDR_ANSWER_RECORDS, "GET calldata/{agent_id}/holdlist: the held calls"},
};

static void *huawei_open(const struct cdr_client_options *opts, const struct cdr_args *args,
                         struct cdr_error_info *err)
{
    const struct cdr_vendor *v = &cdr__huawei_vendor;
    struct cdr_huawei_options o;
    cdr_huawei_options_default(&o);
    int64_t status, flag;
    if (cdr__args_int(v, args, "status", o.status, &status, err) != CDR_OK ||
        cdr__args_int(v, args, "lastcall_flag", o.lastcall_flag, &flag, err) != CDR_OK)
        return NULL;
    o.base_url = opts->base_url;
    o.agent_id = cdr_args_get(args, "agent_id");
    o.password = cdr_args_get(args, "password");
    /* Without a phone number the agent ID stands in: many deployments number softphones so. */
    o.phone = cdr_args_get(args, "phone") ? cdr_args_get(args, "phone") : o.agent_id;
    o.status = (int)status;
    o.lastcall_flag = (enum cdr_huawei_lastcall_flag)flag;
    o.http = opts->http; /* the session keeps cookies whatever these say */
    return cdr_huawei_session_new(&o, err);
}

static void huawei_close(void *handle)
{
    cdr_huawei_session_free(handle);
}

static cdr_error huawei_parse(const char *body, size_t len, long http_status, struct cdr_page *out,
                              struct cdr_error_info *err)
{
    (void)http_status; /* every answer is HTTP 200; the retcode says what happened */
    return cdr_huawei_parse_calls(body, len, &out->records, &out->record_count, err);
}

static const struct cdr_vendor_ops ops = {
    .open = huawei_open,
    .close = huawei_close,
    .parse = huawei_parse,
};

const struct cdr_vendor cdr__huawei_vendor = {
    .id = "huawei",
    .title = "Huawei CEC AgentGateway",
    .url = "https://ip:port",
    .fields = cdr__huawei_fields,
    .paging = {.paged = false},
    .calls = calls,
    .call_count = sizeof(calls) / sizeof(calls[0]),
    .ops = &ops,
};

struct cdr_huawei_session *cdr_huawei_session_of(struct cdr_client *client)
{
    return cdr__client_handle(client, &cdr__huawei_vendor);
}
