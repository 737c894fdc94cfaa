/* What ITNIO's arguments are: the credentials and the filters of /v3/cc/record/query, each with
 * its parameter in the body's "params" and its member of struct cdr_itnio_filter. The request
 * body is built by walking this table: a new filter is a row here and its member. */
#include "internal.h"

#define AT(member) CDR__AT(struct cdr_itnio_filter, member)
#define HAS(member, has) CDR__HAS(struct cdr_itnio_filter, member, has)
#define LIST(member, count) CDR__LIST(struct cdr_itnio_filter, member, count)

const struct cdr_field cdr__itnio_fields[] = {
    {"api_key", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL, CDR_FIELD_REQUIRED, .metavar = "KEY",
     .wire = "header Api-Key", .help = "the account's API key", CDR__BY_NAME},
    {"api_secret", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL, CDR_FIELD_REQUIRED | CDR_FIELD_SECRET,
     .metavar = "SECRET", .wire = "not sent; signs header Sign = MD5(key + secret + Timestamp)",
     .help = "the account's API secret", CDR__BY_NAME},
    {"from", CDR_VALUE_TIME, CDR_ROLE_FILTER, CDR_FIELD_REQUIRED, .param = "startTime",
     .wire = "China wall clock", .help = "calls that started at or after T", AT(start_time)},
    {"to", CDR_VALUE_TIME, CDR_ROLE_FILTER, CDR_FIELD_REQUIRED, .param = "endTime",
     .wire = "China wall clock", .help = "calls that started at or before T", AT(end_time)},
    {"voice_group_id", CDR_VALUE_INT, CDR_ROLE_FILTER, .param = "voiceGroupId",
     .help = "the agent group's id (see groups)", HAS(voice_group_id, has_voice_group_id)},
    {"sip_group_name", CDR_VALUE_STRING, CDR_ROLE_FILTER, .param = "sipGroupName",
     .help = "the agent group's name", AT(sip_group_name)},
    {"seat_id", CDR_VALUE_INT64_LIST, CDR_ROLE_FILTER, .param = "seatId", .help = "an agent's id",
     LIST(seat_ids, seat_id_count)},
    {"seat_name", CDR_VALUE_STRING_LIST, CDR_ROLE_FILTER, .param = "seatNameList",
     .help = "an agent's name", LIST(seat_names, seat_name_count)},
    {"call_type", CDR_VALUE_INT_LIST, CDR_ROLE_FILTER, .param = "callType", .min = 0, .max = 1000,
     .help = "1 group call to an agent, 2 inbound, 3 outbound", LIST(call_types, call_type_count)},
    {"hangup_reason", CDR_VALUE_INT_LIST, CDR_ROLE_FILTER, .param = "hangupReason", .min = 0,
     .max = 1000, .help = "the vendor's hang-up reason code",
     LIST(hangup_reasons, hangup_reason_count)},
    {"called_or_caller", CDR_VALUE_STRING, CDR_ROLE_FILTER, .param = "calledOrCaller",
     .help = "a number that called or was called", AT(called_or_caller)},
    {"ccode", CDR_VALUE_STRING_LIST, CDR_ROLE_FILTER, .param = "ccode",
     .help = "a country calling code (\"86\")", LIST(ccodes, ccode_count)},
    {"hanging_direction", CDR_VALUE_INT_LIST, CDR_ROLE_FILTER, .param = "hangingDirection",
     .min = 0, .max = 1000, .help = "who hung up: 0 customer, 1 agent, 3 neither",
     LIST(hanging_directions, hanging_direction_count)},
    {"label", CDR_VALUE_STRING_LIST, CDR_ROLE_FILTER, .param = "labelNames",
     .help = "a label given to the call", LIST(label_names, label_name_count)},
    {NULL, CDR_VALUE_STRING, CDR_ROLE_FILTER, CDR__BY_NAME},
};
