/* Huawei's release (hang-up) callback of bidirectional calls
 * (https://support.huaweicloud.com/intl/en-us/api-cec/cec_07_1319.html): one object of string-typed
 * members POSTed to the customer's URL when a call ends. It is the call the CC-Management history
 * lists later, under other names for two members (createCallTime for startTime, releaseReason for
 * reasonCode, same codes), so it goes through the history's normalizer. Its times are epoch
 * milliseconds as strings; numbers are taken too, as the history's example sends them. */
#include "internal.h"
#include "push_shape.h"

static const struct cdr__push_member members[] = {
    {"callSerialNo", CDR__PUSH_TEXT, true},
    {"serviceNo", CDR__PUSH_TEXT, true},
    {"called", CDR__PUSH_TEXT, true},
    {"caller", CDR__PUSH_TEXT, false},
    {"callerPresent", CDR__PUSH_TEXT, false},
    {"callData", CDR__PUSH_STRING, false},
    {"createCallTime", CDR__PUSH_INT, false},
    {"alertingTime", CDR__PUSH_INT, false},
    {"talkingTime", CDR__PUSH_INT, false},
    {"releaseTime", CDR__PUSH_INT, false},
    {"talkDuration", CDR__PUSH_INT, false},
    {"recordfile", CDR__PUSH_STRING, false},
    {"locationId", CDR__PUSH_TEXT, false},
    {"releaseReason", CDR__PUSH_INT, false},
    {"agentAlertingTime", CDR__PUSH_INT, false},
    {"agentTalkingTime", CDR__PUSH_INT, false},
    {"agentReleaseTime", CDR__PUSH_INT, false},
    {"agentTalkDuration", CDR__PUSH_INT, false},
    {NULL, CDR__PUSH_STRING, false},
};

cdr_error cdr_huawei_parse_push(const char *body, size_t len, struct cdr_push *out,
                                struct cdr_error_info *err)
{
    *out = (struct cdr_push){0};
    cJSON *root = cdr__push_open(body, len, err);
    if (!root)
        return err ? err->code : CDR_ERR_MALFORMED_RESPONSE;
    cJSON *shaped = NULL;
    cdr_error rc = cdr__push_check(root, members, "release callback", err);
    if (rc == CDR_OK && (!(shaped = cdr__json_duplicate(root)) || !cdr__push_reserve(out, 1)))
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    if (rc == CDR_OK) {
        cdr__push_rename(shaped, "createCallTime", "startTime");
        cdr__push_rename(shaped, "releaseReason", "reasonCode");
        rc = cdr__push_take(out, shaped, root, cdr__huawei_history_normalize, err);
    }
    cJSON_Delete(shaped);
    cJSON_Delete(root);
    if (rc != CDR_OK)
        cdr_push_free(out);
    return rc;
}
