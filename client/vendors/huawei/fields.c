/* What Huawei CEC's arguments are: the agent's credentials and the AgentGateway session's options;
 * the app's AK/SK and the CC-Management history's filters, each with its member of the JSON body
 * (all strings) and of struct cdr_huawei_history_filter. The body is built by walking this table:
 * a new filter is a row here and its member. */
#include <stdint.h>

#include "internal.h"

#define AT(member) CDR__AT(struct cdr_huawei_history_filter, member)
#define HAS(member, has) CDR__HAS(struct cdr_huawei_history_filter, member, has)

static const char *const lastcall_names[] = {"auto", "doc", "name", NULL};
static const char *const offset_names[] = {"records", "pages", NULL};

const struct cdr_field cdr__huawei_fields[] = {
    {"agent_id", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL, .metavar = "N",
     .wire = "path onlineagent/{agent_id}, agentevent/{agent_id}, calldata/{agent_id}/...",
     .help = "the agent's ID, 1 to 9 digits (the AgentGateway)", CDR__BY_NAME},
    {"password", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL, CDR_FIELD_SECRET, .metavar = "P",
     .wire = "sign-in body: password", .help = "the agent's password", CDR__BY_NAME},
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
    {"app_key", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL, .metavar = "AK",
     .wire = "tokenByAkSk body: app_key; header X-APP-Key",
     .help = "the app's key for the call history (API Fabric)", CDR__BY_NAME},
    {"app_secret", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL, CDR_FIELD_SECRET, .metavar = "SK",
     .wire = "tokenByAkSk body: app_secret", .help = "the app's secret", CDR__BY_NAME},
    {"fabric_url", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL, .metavar = "URL",
     .wire = "https://{domain} of /apiaccess/...",
     .help = "where the call history is, when not at --base-url (service.besclouds.com)",
     CDR__BY_NAME},
    {"token_url", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL, .metavar = "URL",
     .wire = "https://{domain}[:28070] of /apigovernance/api/oauth/tokenByAkSk",
     .help = "where tokens are issued, when not where the history is", CDR__BY_NAME},
    {"token_lifetime", CDR_VALUE_INT, CDR_ROLE_OPTION, .min = 1, .max = 3600, .metavar = "S",
     .wire = "header X-Token-Expire",
     .help = "seconds a token lives (the server's default: none sent)", CDR__BY_NAME},
    {"offset_unit", CDR_VALUE_CHOICE, CDR_ROLE_OPTION, .names = offset_names,
     .wire = "queryCallDetailRecord body: offset",
     .help = "what the server's offset counts: records (default) or pages", CDR__BY_NAME},
    {"from", CDR_VALUE_TIME, CDR_ROLE_FILTER, .param = "startTime", .wire = "epoch milliseconds",
     .help = "history calls that started at or after T", AT(start_time)},
    {"to", CDR_VALUE_TIME, CDR_ROLE_FILTER, .param = "endTime",
     .wire = "epoch milliseconds, the second's last one",
     .help = "history calls that started at or before T", AT(end_time)},
    {"caller", CDR_VALUE_STRING, CDR_ROLE_FILTER, .param = "caller", .metavar = "NUMBER",
     .help = "the calling number (at most 32 digits)", AT(caller)},
    {"task_type", CDR_VALUE_INT, CDR_ROLE_FILTER, .param = "taskType", .min = 0, .max = 4,
     .help = "0 all but ITA bidirectional calls, 1 CEC bidirectional, 2 anonymous outbound, "
             "3 voice notification, 4 ITA bidirectional",
     HAS(task_type, has_task_type)},
    {NULL, CDR_VALUE_STRING, CDR_ROLE_OPTION, CDR__BY_NAME},
};
