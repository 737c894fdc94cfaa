/* ITNIO's cc-http push ("Call Center Reports are Proactively Pushed", docs/vendors/itnio.md):
 * one JSON object per call record, POSTed as application/json;charset=UTF-8 with no signature,
 * retried every 30 minutes at most 3 times after a failure. The pushed object names some fields
 * differently from the record query: agentName/agentGroupName for seatName/sipGroupName,
 * answerTime/callEndTime for calledAnswerTime/calledHangupTime, labels (an array) for
 * labelNameList, ccode and ccodeName split from the query's "1(USA)". hangingDirection keeps its
 * number; the push's table reads 3 as "system hung up". */
#include <stdlib.h>
#include <string.h>

#include "../../jsonval.h"
#include "internal.h"

/* The query's ccode "1(USA)" is the push's ccode "1" and ccodeName "USA"; a plain code stays. */
static void country(cJSON *into, const cJSON *record)
{
    const char *ccode = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(record, "ccode"));
    const char *region = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(record, "region"));
    const char *open = ccode ? strchr(ccode, '(') : NULL;
    size_t close = open ? strlen(open) : 0;
    if (open && close >= 2 && open[close - 1] == ')') {
        char code[32], name[96];
        snprintf(code, sizeof(code), "%.*s", (int)(open - ccode), ccode);
        snprintf(name, sizeof(name), "%.*s", (int)(close - 2), open + 1);
        cJSON_AddStringToObject(into, "ccode", code);
        cJSON_AddStringToObject(into, "ccodeName", name);
        return;
    }
    mock_jv_copy(into, "ccode", record, "ccode");
    if (region)
        cJSON_AddStringToObject(into, "ccodeName", region);
    else
        cJSON_AddNullToObject(into, "ccodeName");
}

/* The pushed list of tag names: labelNameList, else labelName's JSON text, else none. */
static void labels(cJSON *into, const cJSON *record)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(record, "labelNameList");
    if (cJSON_IsArray(list)) {
        cJSON_AddItemToObject(into, "labels", cJSON_Duplicate(list, true));
        return;
    }
    const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(record, "labelName"));
    cJSON *parsed = text ? cJSON_Parse(text) : NULL;
    if (!cJSON_IsArray(parsed)) {
        cJSON_Delete(parsed);
        parsed = cJSON_CreateArray();
    }
    cJSON_AddItemToObject(into, "labels", parsed);
}

/* One record per delivery (batch 1): the records array holds one. */
static char *itnio_push_render(const void *state, const cJSON *records)
{
    (void)state;
    const cJSON *record = cJSON_GetArrayItem(records, 0);
    if (!cJSON_IsObject(record))
        return NULL;
    cJSON *o = cJSON_CreateObject();
    mock_jv_copy(o, "callId", record, "callId");
    mock_jv_copy(o, "callSessionId", record, "callSessionId");
    /* the query masks the callee into encryptCalled when number masking is on */
    const cJSON *called = cJSON_GetObjectItemCaseSensitive(record, "called");
    mock_jv_copy(o, "called", record, cJSON_IsString(called) ? "called" : "encryptCalled");
    mock_jv_copy(o, "caller", record, "caller");
    mock_jv_copy(o, "calledInfo", record, "calledInfo");
    country(o, record);
    mock_jv_copy(o, "agentName", record, "seatName");
    mock_jv_copy(o, "agentGroupName", record, "sipGroupName");
    mock_jv_copy(o, "callDuration", record, "callDuration");
    mock_jv_copy(o, "callType", record, "callType");
    mock_jv_copy(o, "hangupCode", record, "hangupCode");
    mock_jv_copy(o, "hangupReason", record, "hangupReason");
    mock_jv_copy(o, "hangingDirection", record, "hangingDirection");
    labels(o, record);
    mock_jv_copy(o, "remark", record, "remark");
    mock_jv_copy(o, "callStartTime", record, "callStartTime");
    mock_jv_copy(o, "answerTime", record, "calledAnswerTime");
    mock_jv_copy(o, "callEndTime", record, "calledHangupTime");
    mock_jv_copy(o, "voiceUrl", record, "voiceUrl");
    char *body = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return body;
}

/* "every 30 minutes, at most 3 times" is read as three retries after the first attempt
 * (inferred: the documents leave open whether the first counts; --config "push_retries": 2 gives
 * the other reading). */
const struct mock_vendor_push itnio_push = {
    .render = itnio_push_render,
    .batch = 1,
    .content_type = "application/json;charset=UTF-8",
    .retry_seconds = 30 * 60,
    .retries = 3,
    .schedule_inferred = false,
};
