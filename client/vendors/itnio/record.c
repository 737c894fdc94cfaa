/* One ITNIO call record into the normalized record. */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/timefmt.h"
#include "internal.h"
#include "json_get.h"

/* Adds one URL; false when it cannot be one (*bad names the member) or memory ran out (!*ok). */
static bool add_recording_url(struct cdr_record *out, const cJSON *url, const char *member,
                              const char **bad, bool *ok)
{
    if (cdr__json_string_len(url) != strlen(url->valuestring)) {
        *bad = member;
        return false;
    }
    if (cdr_record_add_recording_url(out, url->valuestring)) {
        *ok = false;
        return false;
    }
    return true;
}

cdr_error cdr__itnio_normalize(const cJSON *r, struct cdr_record *out, struct cdr_error_info *err)
{
    return cdr__itnio_normalize_record(r, true, out, err);
}

cdr_error cdr__itnio_normalize_record(const cJSON *r, bool keep_raw, struct cdr_record *out,
                                      struct cdr_error_info *err)
{
    cdr_record_init(out);
    out->vendor = "itnio";
    if (!cJSON_IsObject(r))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "record is not an object");
    bool ok = true;
    out->id = cdr__json_text(r, "keyId", &out->len.id, &ok);
    if (!out->id && ok) {
        cdr_record_free(out);
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "record without keyId");
    }
    out->call_id = cdr__json_text(r, "callSessionId", &out->len.call_id, &ok);
    out->caller = cdr__json_text(r, "caller", &out->len.caller, &ok);
    out->callee = cdr__json_text(r, "called", &out->len.callee, &ok);
    if (!out->callee || out->len.callee == 0) { /* number encryption on: only the masked form */
        free(out->callee);
        out->callee = cdr__json_text(r, "encryptCalled", &out->len.callee, &ok);
    }
    out->agent = cdr__json_text(r, "seatName", &out->len.agent, &ok);
    out->group = cdr__json_text(r, "sipGroupName", &out->len.group, &ok);

    int64_t v;
    if (cdr__json_get_int(r, "callType", &v))
        out->direction = v == 2               ? CDR_DIRECTION_INBOUND
                         : (v == 1 || v == 3) ? CDR_DIRECTION_OUTBOUND /* 1: dialer call to agent */
                                              : CDR_DIRECTION_UNKNOWN;
    if (cdr__json_get_int(r, "hangingDirection", &v))
        out->hangup_by = v == 0   ? CDR_HANGUP_CUSTOMER
                         : v == 1 ? CDR_HANGUP_AGENT
                         : v == 3 ? CDR_HANGUP_SYSTEM /* "none": the network ended the call */
                                  : CDR_HANGUP_UNKNOWN;
    if (cdr__json_get_int(r, "ringDuration", &v) && v >= 0)
        out->ring_seconds = v;
    if (cdr__json_get_int(r, "callDuration", &v) && v >= 0)
        out->talk_seconds = v;

    const char *bad_time = NULL;
    if (!cdr__json_get_time(r, "callStartTime", CDR_CHINA_OFFSET_SECONDS, &out->start_time))
        bad_time = "callStartTime";
    else if (!cdr__json_get_time(r, "calledAnswerTime", CDR_CHINA_OFFSET_SECONDS,
                                 &out->answer_time))
        bad_time = "calledAnswerTime";
    else if (!cdr__json_get_time(r, "calledHangupTime", CDR_CHINA_OFFSET_SECONDS, &out->end_time))
        bad_time = "calledHangupTime";
    if (bad_time) {
        char *id = out->id;
        out->id = NULL;
        cdr_record_free(out);
        cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "record %s: %s is not a time", id ? id : "?",
                      bad_time);
        free(id);
        return CDR_ERR_MALFORMED_RESPONSE;
    }

    const cJSON *list = cJSON_GetObjectItemCaseSensitive(r, "voiceUrlList");
    const cJSON *single = cJSON_GetObjectItemCaseSensitive(r, "voiceUrl");
    const cJSON *url;
    const char *bad_url = NULL;
    cJSON_ArrayForEach(url, (cJSON_IsArray(list) ? list : NULL))
        if (cJSON_IsString(url) && url->valuestring[0] &&
            !add_recording_url(out, url, "voiceUrlList", &bad_url, &ok))
            break;
    if (!bad_url && out->recording_url_count == 0 && cJSON_IsString(single) &&
        single->valuestring[0])
        add_recording_url(out, single, "voiceUrl", &bad_url, &ok);
    if (bad_url) {
        cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                      "record %s: %s holds a NUL byte, which no URL can", out->id, bad_url);
        cdr_record_free(out);
        return CDR_ERR_MALFORMED_RESPONSE;
    }

    if (keep_raw)
        out->raw_json = cdr__json_print(r);
    if (!ok || (keep_raw && !out->raw_json)) {
        cdr_record_free(out);
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    }
    return CDR_OK;
}

cdr_error cdr_itnio_normalize_json(const char *record_json, size_t len, struct cdr_record *out,
                                   struct cdr_error_info *err)
{
    return cdr__json_normalize_text(record_json, len, cdr__itnio_normalize, "record", out, err);
}
