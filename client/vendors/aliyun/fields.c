/* What HotlineSessionQuery's arguments are: the AccessKey, the tenant, how requests are signed
 * and sent, and every filter of the API's page, each with its RPC parameter and its member of
 * struct cdr_aliyun_filter. The parameters are built by walking this table: a new filter is a row
 * here and its member. */
#include <stdint.h>

#include "internal.h"

#define AT(member) CDR__AT(struct cdr_aliyun_filter, member)
#define HAS(member, has) CDR__HAS(struct cdr_aliyun_filter, member, has)
#define LIST(member, count) CDR__LIST(struct cdr_aliyun_filter, member, count)
/* The plain filters: a string, or a list of them (Name.1, Name.2, ...). */
#define TEXT(name, parameter, text, member)                                                        \
    {                                                                                              \
        name, CDR_VALUE_STRING, CDR_ROLE_FILTER, .param = parameter, .help = text, AT(member)      \
    }
#define TEXTS(name, parameter, text, member)                                                       \
    {                                                                                              \
        name, CDR_VALUE_STRING_LIST, CDR_ROLE_FILTER, .param = parameter, .help = text,            \
                                                      LIST(member, member##_count)                 \
    }

static const char *const methods[] = {"POST", "GET", NULL};

const struct cdr_field cdr__aliyun_fields[] = {
    {"access_key_id", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL, CDR_FIELD_REQUIRED, .metavar = "ID",
     .wire = "AccessKeyId (V2), Authorization Credential= (V3)", .help = "the AccessKey's id",
     CDR__BY_NAME},
    {"access_key_secret", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL,
     CDR_FIELD_REQUIRED | CDR_FIELD_SECRET, .metavar = "SECRET",
     .wire = "not sent; signs every request", .help = "the AccessKey's secret", CDR__BY_NAME},
    {"security_token", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL, CDR_FIELD_SECRET, .metavar = "TOKEN",
     .wire = "SecurityToken (V2), header x-acs-security-token (V3)",
     .help = "an STS token, with a temporary AccessKey", CDR__BY_NAME},
    {"instance_id", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL, CDR_FIELD_REQUIRED,
     .param = "InstanceId", .metavar = "ID", .help = "the contact center instance (the tenant)",
     AT(instance_id)},
    {"v2", CDR_VALUE_FLAG, CDR_ROLE_OPTION, .wire = "the Signature parameter, HMAC-SHA1",
     .help = "sign with signature V2 instead of V3 (ACS3-HMAC-SHA256)", CDR__BY_NAME},
    {"method", CDR_VALUE_CHOICE, CDR_ROLE_OPTION, .names = methods, .metavar = "GET|POST",
     .wire = "the HTTP method (V2 GET: parameters in the query, POST: a form body)",
     .help = "POST (the official SDKs' choice, the default) or GET", CDR__BY_NAME},
    {"from", CDR_VALUE_TIME, CDR_ROLE_FILTER, CDR_FIELD_MILLIS, .param = "QueryStartTime",
     .wire = "epoch milliseconds", .help = "calls created at or after T", AT(start_ms)},
    {"to", CDR_VALUE_TIME, CDR_ROLE_FILTER, CDR_FIELD_MILLIS, .param = "QueryEndTime",
     .wire = "epoch milliseconds", .help = "calls created at or before T", AT(end_ms)},
    TEXT("id", "Id", "the record's id", id),
    TEXT("acid", "Acid", "the call's id", acid),
    {"call_type", CDR_VALUE_INT, CDR_ROLE_FILTER, .param = "CallType", .min = INT32_MIN,
     .max = INT32_MAX, .help = "1 outbound, 2 inbound, 3 transfer", HAS(call_type, has_call_type)},
    TEXT("calling_number", "CallingNumber", "the calling number", calling_number),
    TEXT("called_number", "CalledNumber", "the called number", called_number),
    {"group_id", CDR_VALUE_INT, CDR_ROLE_FILTER, .param = "GroupId", .help = "the skill group's id",
     HAS(group_id, has_group_id)},
    TEXT("group_name", "GroupName", "the skill group's name", group_name),
    TEXT("member_id", "MemberId", "the customer's id", member_id),
    TEXT("member_name", "MemberName", "the customer's name", member_name),
    TEXT("servicer_id", "ServicerId", "the agent's id", servicer_id),
    TEXT("servicer_name", "ServicerName", "the agent's name", servicer_name),
    TEXT("call_result", "CallResult", "the call's result", call_result),
    TEXTS("acid_list", "AcidList", "a call's id", acid_list),
    {"call_type_list", CDR_VALUE_INT_LIST, CDR_ROLE_FILTER, .param = "CallTypeList",
     .min = INT32_MIN, .max = INT32_MAX, .help = "a call type",
     LIST(call_type_list, call_type_list_count)},
    {"group_id_list", CDR_VALUE_INT64_LIST, CDR_ROLE_FILTER, .param = "GroupIdList",
     .help = "a skill group's id", LIST(group_id_list, group_id_list_count)},
    TEXTS("calling_number_list", "CallingNumberList", "a calling number", calling_number_list),
    TEXTS("called_number_list", "CalledNumberList", "a called number", called_number_list),
    TEXTS("member_id_list", "MemberIdList", "a customer's id", member_id_list),
    TEXTS("servicer_id_list", "ServicerIdList", "an agent's id", servicer_id_list),
    TEXTS("call_result_list", "CallResultList", "a call result", call_result_list),
    {NULL, CDR_VALUE_STRING, CDR_ROLE_FILTER, CDR__BY_NAME},
};
