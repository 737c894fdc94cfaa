/* ITNIO's cc-http push ("Call Center Reports are Proactively Pushed",
 * https://www.itniotech.cn/api/voice/pushVoiceCenterReport/): one JSON object per call record.
 * It names some members differently from the record query (agentName for seatName, answerTime
 * and callEndTime for calledAnswerTime and calledHangupTime, labels for labelNameList) and has no
 * keyId: renamed into the query's shape, it goes through the query's own normalizer, and its id is
 * callSessionId, "the unique record id" the push's table names. */
#include <stdlib.h>

#include "internal.h"
#include "push_shape.h"

static const struct cdr__push_member members[] = {
    {"callSessionId", CDR__PUSH_TEXT, true},     {"callId", CDR__PUSH_TEXT, false},
    {"called", CDR__PUSH_STRING, false},         {"caller", CDR__PUSH_STRING, false},
    {"calledInfo", CDR__PUSH_STRING, false},     {"ccode", CDR__PUSH_TEXT, false},
    {"ccodeName", CDR__PUSH_STRING, false},      {"agentName", CDR__PUSH_STRING, false},
    {"agentGroupName", CDR__PUSH_STRING, false}, {"agentAccount", CDR__PUSH_STRING, false},
    {"callDuration", CDR__PUSH_INT, false},      {"callType", CDR__PUSH_INT, false},
    {"hangupCode", CDR__PUSH_TEXT, false},       {"hangupReason", CDR__PUSH_INT, false},
    {"hangingDirection", CDR__PUSH_INT, false},  {"labels", CDR__PUSH_STRING_LIST, false},
    {"remark", CDR__PUSH_STRING, false},         {"callStartTime", CDR__PUSH_STRING, false},
    {"answerTime", CDR__PUSH_STRING, false},     {"callEndTime", CDR__PUSH_STRING, false},
    {"voiceUrl", CDR__PUSH_STRING, false},       {NULL, CDR__PUSH_STRING, false},
};

/* The pushed object in the record query's shape; NULL when out of memory. */
static cJSON *query_shape(const cJSON *pushed)
{
    cJSON *r = cdr__json_duplicate(pushed);
    if (!r)
        return NULL;
    if (!cJSON_GetObjectItemCaseSensitive(r, "keyId")) {
        cJSON *id = cdr__json_duplicate(cJSON_GetObjectItemCaseSensitive(r, "callSessionId"));
        if (!id || !cJSON_AddItemToObject(r, "keyId", id)) {
            cJSON_Delete(id);
            cJSON_Delete(r);
            return NULL;
        }
    }
    cdr__push_rename(r, "agentName", "seatName");
    cdr__push_rename(r, "agentGroupName", "sipGroupName");
    cdr__push_rename(r, "answerTime", "calledAnswerTime");
    cdr__push_rename(r, "callEndTime", "calledHangupTime");
    cdr__push_rename(r, "labels", "labelNameList");
    return r;
}

cdr_error cdr_itnio_parse_push(const char *body, size_t len, struct cdr_push *out,
                               struct cdr_error_info *err)
{
    *out = (struct cdr_push){0};
    cJSON *root = cdr__push_open(body, len, err);
    if (!root)
        return err ? err->code : CDR_ERR_MALFORMED_RESPONSE;
    cdr_error rc;
    cJSON *shaped = NULL;
    if (cJSON_IsArray(root))
        rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                           "push body is an array: ITNIO pushes one record object per request");
    else if ((rc = cdr__push_check(root, members, "record", err)) != CDR_OK)
        ;
    else if (!(shaped = query_shape(root)) || !cdr__push_reserve(out, 1))
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    else
        rc = cdr__push_take(out, shaped, root, cdr__itnio_normalize, err);
    cJSON_Delete(shaped);
    cJSON_Delete(root);
    if (rc != CDR_OK)
        cdr_push_free(out);
    return rc;
}
