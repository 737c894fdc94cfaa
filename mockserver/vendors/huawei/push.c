/* Huawei's release (hang-up) callback of a bidirectional call (docs/vendors/huawei.md §10,
 * https://support.huaweicloud.com/intl/en-us/api-cec/cec_07_1319.html): one JSON object per call,
 * every value a string, no signature. It goes for the calls the CC-Management history keeps (an
 * agent's outbound task call that ended, dataset.c), whether it ended through the admin endpoints
 * or was added through /__cdrsim/huawei/records, and carries that history record's values: the
 * same callSerialNo, so a receiver can match the callback with queryCallDetailRecord. Inferred
 * (the page gives names and types only): times as epoch milliseconds in text, talkingTime absent
 * when the customer never answered, recordfile and locationId empty for a call without talk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "json_type.h"

/* A number as the callback sends every value: as text. */
static void put_number(cJSON *o, const char *name, int64_t value)
{
    char text[24];
    snprintf(text, sizeof(text), "%lld", (long long)value);
    cJSON_AddStringToObject(o, name, text);
}

/* The call's place in the dataset, which its history record's serial number is made of: the
 * store entry's order for an added call; for a call ended through the admin endpoints (never in
 * the store) a number of its callid. */
static uint64_t dataset_place(const struct huawei_state *st, const cJSON *call)
{
    const cJSON *trace = cJSON_GetObjectItemCaseSensitive(call, "trace");
    const char *callid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(call, "callid"));
    const cJSON *device = cJSON_GetObjectItemCaseSensitive(trace, "deviceNo");
    size_t i = callid && cJSON_IsNumber(device)
                   ? huawei_find_record(st, cdr__json_int64(device, 0), callid)
                   : SIZE_MAX;
    if (i != SIZE_MAX)
        return st->records.entries[i].order;
    return callid ? huawei_text_hash(callid) : 0;
}

static char *huawei_push_render(const void *state, const cJSON *records)
{
    const struct huawei_state *st = state;
    const cJSON *call = cJSON_GetArrayItem(records, 0); /* batch 1: one call */
    struct huawei_cdr_spec c;
    struct huawei_cdr_text text;
    if (!cJSON_IsObject(call) || !huawei_cdr_of_call(st, call, dataset_place(st, call), &c, &text))
        return NULL; /* not a bidirectional call: no release callback */
    const char *callid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(call, "callid"));
    char file[HUAWEI_RECORD_FILE_SIZE] = "", record_id[64];
    bool recorded = callid && huawei_record_file_name(call, callid, file, sizeof(file), record_id,
                                                      sizeof(record_id));
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "callSerialNo", c.serial);
    cJSON_AddStringToObject(o, "serviceNo", text.agent_id);
    cJSON_AddStringToObject(o, "called", c.called);
    cJSON_AddStringToObject(o, "caller", c.caller);
    cJSON_AddStringToObject(o, "callerPresent", c.caller_present);
    cJSON_AddStringToObject(o, "callData", c.call_data ? c.call_data : "");
    put_number(o, "createCallTime", c.start_ms);
    put_number(o, "alertingTime", c.alerting_ms);
    if (c.talking_ms != HUAWEI_NONE)
        put_number(o, "talkingTime", c.talking_ms);
    put_number(o, "releaseTime", c.end_ms);
    put_number(o, "talkDuration", c.talk_s);
    cJSON_AddStringToObject(o, "recordfile", recorded ? file : "");
    cJSON_AddStringToObject(o, "locationId", recorded ? "0" : "");
    put_number(o, "releaseReason", c.reason_code);
    put_number(o, "agentAlertingTime", c.agent_alerting_ms);
    put_number(o, "agentTalkingTime", c.agent_talking_ms);
    put_number(o, "agentReleaseTime", c.end_ms);
    put_number(o, "agentTalkDuration", c.agent_talk_s);
    char *body = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return body;
}

/* The page documents no reply and no retries: any 2xx is success, and a failed callback is tried
 * again every 5 minutes, at most 3 times (inferred and configurable: "push_retries": 0 gives the
 * reading "no retries"). */
const struct mock_vendor_push huawei_push = {
    .render = huawei_push_render,
    .batch = 1,
    .content_type = "application/json",
    .retry_seconds = 5 * 60,
    .retries = 3,
    .schedule_inferred = true,
};
