/* One Huawei call object (callinfo, callinfobycallid, holdlist) into the normalized record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "json_get.h"

static enum cdr_direction direction_of(int64_t callfeature)
{
    if (callfeature == 0)
        return CDR_DIRECTION_INBOUND;
    if (callfeature == 7 || (callfeature >= 40 && callfeature <= 45))
        return CDR_DIRECTION_OUTBOUND; /* plain, reserved, pre-occupied, predicted, previewed,
                                          callback */
    if (callfeature == 6 || (callfeature >= 51 && callfeature <= 53))
        return CDR_DIRECTION_INTERNAL; /* internal call, consultation, conference */
    return CDR_DIRECTION_UNKNOWN;
}

/* The trace's leave reason: who ended the call at the agent's device. */
static enum cdr_hangup_by hangup_of(int64_t reason)
{
    switch (reason) {
    case 15: /* the user releases the call */
    case 88: /* the user hangs up after the agent answers */
    case 89: /* the user hooks on after the agent answers */
        return CDR_HANGUP_CUSTOMER;
    case 16: /* the agent releases the call */
    case 41: /* the agent cancels during consultation */
    case 50: /* the agent rejects the call */
        return CDR_HANGUP_AGENT;
    default:
        /* 19..27: internal error, busy, line busy, powered off, out of service, invalid number,
         * no ACD resource, no answer, rejected: the network ended it. */
        return reason >= 19 && reason <= 27 ? CDR_HANGUP_SYSTEM : CDR_HANGUP_UNKNOWN;
    }
}

/* An epoch-millisecond member; CDR_TIME_NONE when absent, null or "". Numbers and numeric
 * strings are taken; false for anything else. */
static bool get_ms(const cJSON *obj, const char *key, int64_t *ms)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    *ms = CDR_TIME_NONE;
    if (!item || cJSON_IsNull(item) || (cJSON_IsString(item) && !item->valuestring[0]))
        return true;
    return cdr__json_as_int(item, ms);
}

static int64_t seconds(int64_t ms)
{
    if (ms == CDR_TIME_NONE)
        return CDR_TIME_NONE;
    return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

/* Whole seconds from a to b, both present and in order; CDR_SECONDS_NONE otherwise. */
static int64_t span(int64_t a_ms, int64_t b_ms)
{
    if (a_ms == CDR_TIME_NONE || b_ms == CDR_TIME_NONE || b_ms < a_ms)
        return CDR_SECONDS_NONE;
    return (b_ms - a_ms) / 1000;
}

cdr_error cdr__huawei_normalize(const cJSON *c, struct cdr_record *out, struct cdr_error_info *err)
{
    cdr_record_init(out);
    out->vendor = "huawei";
    if (!cJSON_IsObject(c))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "call is not an object");
    bool ok = true;
    out->id = cdr__json_dup_text(c, "callid", &ok);
    if (ok && (!out->id || !out->id[0])) {
        cdr_record_free(out);
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "call without a callid");
    }
    out->call_id = out->id ? strdup(out->id) : NULL;
    ok = ok && out->call_id;
    out->caller = cdr__json_dup_text(c, "caller", &ok);
    out->callee = cdr__json_dup_text(c, "called", &ok);
    out->group = cdr__json_dup_text(c, "callskill", &ok);
    const cJSON *trace = cJSON_GetObjectItemCaseSensitive(c, "trace");
    if (trace && !cJSON_IsObject(trace) && !cJSON_IsNull(trace)) {
        cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "trace is not an object (call %s)",
                      out->id ? out->id : "?");
        cdr_record_free(out);
        return CDR_ERR_MALFORMED_RESPONSE;
    }
    int64_t v, device_type;
    if (cdr__json_get_int(trace, "deviceType", &device_type) && device_type == 2 &&
        cdr__json_get_int(trace, "deviceNo", &v)) {
        char agent[24];
        snprintf(agent, sizeof(agent), "%lld", (long long)v);
        ok = ok && (out->agent = strdup(agent));
    }
    if (cdr__json_get_int(c, "callfeature", &v))
        out->direction = direction_of(v);
    if (cdr__json_get_int(trace, "leaveReason", &v))
        out->hangup_by = hangup_of(v);

    int64_t begin, end, answer_begin, talk_begin, talk_end;
    const char *bad = !get_ms(c, "begintime", &begin)                    ? "begintime"
                      : !get_ms(c, "endtime", &end)                      ? "endtime"
                      : !get_ms(trace, "answerBeginTime", &answer_begin) ? "trace.answerBeginTime"
                      : !get_ms(trace, "talkBeginTime", &talk_begin)     ? "trace.talkBeginTime"
                      : !get_ms(trace, "talkEndTime", &talk_end)         ? "trace.talkEndTime"
                                                                         : NULL;
    if (bad) {
        cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "%s is not epoch milliseconds (call %s)",
                      bad, out->id ? out->id : "?");
        cdr_record_free(out);
        return CDR_ERR_MALFORMED_RESPONSE;
    }
    out->start_time = seconds(begin);
    out->answer_time = seconds(talk_begin);
    out->end_time = seconds(end);
    /* Ringing at the agent's device lasts until talk begins, or until the end when it never did. */
    out->ring_seconds = span(answer_begin, talk_begin != CDR_TIME_NONE ? talk_begin : end);
    if (talk_begin != CDR_TIME_NONE)
        out->talk_seconds = span(talk_begin, talk_end != CDR_TIME_NONE ? talk_end : end);
    else if (end != CDR_TIME_NONE)
        out->talk_seconds = 0; /* ended without talk */

    out->raw_json = cJSON_PrintUnformatted(c);
    if (!ok || !out->raw_json) {
        cdr_record_free(out);
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    }
    return CDR_OK;
}

cdr_error cdr_huawei_normalize_json(const char *call_json, size_t len, struct cdr_record *out,
                                    struct cdr_error_info *err)
{
    return cdr__json_normalize_text(call_json, len, cdr__huawei_normalize, "call", out, err);
}

/* ---- a CC-Management history record ---------------------------------------------------------- */

/* reasonCode: who ended a bidirectional call, the agent being its caller. */
static enum cdr_hangup_by hangup_of_reason_code(int64_t code)
{
    switch (code) {
    case 0:
        return CDR_HANGUP_CUSTOMER; /* the callee hung up */
    case 1:
        return CDR_HANGUP_AGENT; /* the caller hung up */
    case 2:                      /* the caller's leg failed */
    case 3:                      /* the callee's leg failed */
    case 4:                      /* the caller did not answer */
    case 5:                      /* the callee did not answer */
    case 6:                      /* the call could not start */
        return CDR_HANGUP_SYSTEM;
    default:
        return CDR_HANGUP_UNKNOWN;
    }
}

cdr_error cdr__huawei_history_normalize(const cJSON *r, struct cdr_record *out,
                                        struct cdr_error_info *err)
{
    cdr_record_init(out);
    out->vendor = "huawei";
    if (!cJSON_IsObject(r))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "history record is not an object");
    bool ok = true;
    out->id = cdr__json_dup_text(r, "callSerialNo", &ok);
    if (ok && (!out->id || !out->id[0])) {
        cdr_record_free(out);
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                             "history record without callSerialNo");
    }
    out->call_id = out->id ? strdup(out->id) : NULL;
    ok = ok && out->call_id;
    out->direction = CDR_DIRECTION_OUTBOUND; /* a bidirectional call: the platform calls out */
    out->caller = cdr__json_dup_text(r, "caller", &ok);
    out->callee = cdr__json_dup_text(r, "called", &ok);
    int64_t v;
    if (cdr__json_get_int(r, "reasonCode", &v))
        out->hangup_by = hangup_of_reason_code(v);

    /* The table types times as strings, the example sends numbers: either is epoch ms. */
    int64_t start, end, alerting, talking, talk;
    const char *bad = !get_ms(r, "startTime", &start)         ? "startTime"
                      : !get_ms(r, "endTime", &end)           ? "endTime"
                      : !get_ms(r, "alertingTime", &alerting) ? "alertingTime"
                      : !get_ms(r, "talkingTime", &talking)   ? "talkingTime"
                                                              : NULL;
    const cJSON *duration = cJSON_GetObjectItemCaseSensitive(r, "talkDuration");
    bool no_duration = !duration || cJSON_IsNull(duration) ||
                       (cJSON_IsString(duration) && !duration->valuestring[0]);
    if (!bad && !no_duration && !cdr__json_as_int(duration, &talk))
        bad = "talkDuration";
    if (bad) {
        cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "%s is not a number (record %s)", bad,
                      out->id ? out->id : "?");
        cdr_record_free(out);
        return CDR_ERR_MALFORMED_RESPONSE;
    }
    if (end == CDR_TIME_NONE && !get_ms(r, "releaseTime", &end))
        end = CDR_TIME_NONE;
    out->start_time = seconds(start);
    out->answer_time = seconds(talking);
    out->end_time = seconds(end);
    /* The customer rings from alerting until talk, or until the end when nobody answered. */
    out->ring_seconds = span(alerting, talking != CDR_TIME_NONE ? talking : end);
    if (!no_duration && talk >= 0)
        out->talk_seconds = talk;
    else if (talking != CDR_TIME_NONE)
        out->talk_seconds = span(talking, end);
    else if (end != CDR_TIME_NONE)
        out->talk_seconds = 0;

    out->raw_json = cJSON_PrintUnformatted(r);
    if (!ok || !out->raw_json) {
        cdr_record_free(out);
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    }
    return CDR_OK;
}

cdr_error cdr_huawei_history_normalize_json(const char *record_json, size_t len,
                                            struct cdr_record *out, struct cdr_error_info *err)
{
    return cdr__json_normalize_text(record_json, len, cdr__huawei_history_normalize,
                                    "history record", out, err);
}
