/* Huawei AgentGateway as data: the agent's credentials, the session's options and its calls. A
 * session has no range query, so the generic calls are the client (a session, not signed in yet)
 * and parsing a saved calldata answer. */
#include <stdlib.h>

#include "internal.h"
#include "vendor_ops.h"

static const char *const lastcall_names[] = {"auto", "doc", "name", NULL};

static const struct cdr_field fields[] = {
    {"agent_id", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL, CDR_FIELD_REQUIRED, .metavar = "N",
     .wire = "path onlineagent/{agent_id}, agentevent/{agent_id}, calldata/{agent_id}/...",
     .help = "the agent's ID, 1 to 9 digits", CDR__BY_NAME},
    {"password", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL, CDR_FIELD_REQUIRED | CDR_FIELD_SECRET,
     .metavar = "P", .wire = "sign-in body: password", .help = "the agent's password",
     CDR__BY_NAME},
    {"phone", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL, .metavar = "N",
     .wire = "sign-in body: phonenum",
     .help = "the phone the agent signs in with (default: the agent ID)", CDR__BY_NAME},
    {"status", CDR_VALUE_INT, CDR_ROLE_OPTION, .min = 3, .max = 5, .metavar = "3|4|5",
     .wire = "sign-in body: status",
     .help = "the state after sign-in: 3 busy, 4 idle (default), 5 wrap-up", CDR__BY_NAME},
    {"lastcall_flag", CDR_VALUE_CHOICE, CDR_ROLE_OPTION, .names = lastcall_names,
     .wire = "calldata/{agent_id}/callinfo?isNoContainLastCall=",
     .help =
         "what isNoContainLastCall=true means: auto (try both), doc (the docs: include the last "
         "call), name (leave it out)",
     CDR__BY_NAME},
};

static const struct cdr_call calls[] = {
    {"sign_in", CDR_ANSWER_NONE, "PUT onlineagent/{agent_id}[/forcelogin]: the session's Guid"},
    {"sign_out", CDR_ANSWER_NONE, "DELETE onlineagent/{agent_id}/logout"},
    {"poll", CDR_ANSWER_JSON, "GET agentevent/{agent_id}: the next event, if any"},
    {"refresh_guid", CDR_ANSWER_NONE, "PUT onlineagent/{agent_id}/updateGuid"},
    {"callinfo", CDR_ANSWER_RECORDS, "GET calldata/{agent_id}/callinfo: the current or last call"},
    {"call_by_id", CDR_ANSWER_RECORDS, "GET calldata/{agent_id}/callinfobycallid/{callid}"},
    {"holdlist", CDR_ANSWER_RECORDS, "GET calldata/{agent_id}/holdlist: the held calls"},
};

extern const struct cdr_vendor cdr__huawei_vendor;

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
    .fields = fields,
    .field_count = sizeof(fields) / sizeof(fields[0]),
    .paging = {.paged = false},
    .calls = calls,
    .call_count = sizeof(calls) / sizeof(calls[0]),
    .ops = &ops,
};

struct cdr_huawei_session *cdr_huawei_session_of(struct cdr_client *client)
{
    return cdr__client_handle(client, &cdr__huawei_vendor);
}
