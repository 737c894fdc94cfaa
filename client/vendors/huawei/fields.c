/* What the Huawei AgentGateway's arguments are: the agent's credentials and the session's options.
 * The gateway has no record query, so no filters. */
#include "internal.h"

static const char *const lastcall_names[] = {"auto", "doc", "name", NULL};

const struct cdr_field cdr__huawei_fields[] = {
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
    {NULL, CDR_VALUE_STRING, CDR_ROLE_OPTION, CDR__BY_NAME},
};
