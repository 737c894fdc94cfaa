/* One Alibaba Cloud CallDetailRecord into the normalized record. */
#include <cJSON.h>
#include <stdio.h>

#include "cdrsim/timefmt.h"
#include "internal.h"
#include "json_get.h"

static int64_t seconds_between(int64_t from, int64_t to)
{
    return from != CDR_TIME_NONE && to != CDR_TIME_NONE && to >= from ? to - from
                                                                      : CDR_SECONDS_NONE;
}

static cdr_error bad_time(struct cdr_record *out, const char *field, struct cdr_error_info *err)
{
    cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "record %s: %s is not a time",
                  out->id ? out->id : "?", field);
    cdr_record_free(out);
    return CDR_ERR_MALFORMED_RESPONSE;
}

cdr_error cdr__aliyun_normalize(const cJSON *r, struct cdr_record *out, struct cdr_error_info *err)
{
    return cdr__aliyun_normalize_record(r, true, out, err);
}

cdr_error cdr__aliyun_normalize_record(const cJSON *r, bool keep_raw, struct cdr_record *out,
                                       struct cdr_error_info *err)
{
    cdr_record_init(out);
    out->vendor = "aliyun";
    if (!cJSON_IsObject(r))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "CallDetailRecord is not an object");
    bool ok = true;
    out->id = cdr__json_text(r, "Id", &out->len.id, &ok);
    if (!out->id && ok)
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "CallDetailRecord without Id");
    out->call_id = cdr__json_text(r, "Acid", &out->len.call_id, &ok);
    out->caller = cdr__json_text(r, "CallingNumber", &out->len.caller, &ok);
    out->callee = cdr__json_text(r, "CalledNumber", &out->len.callee, &ok);
    out->agent = cdr__json_text(r, "ServicerName", &out->len.agent, &ok);
    if (!out->agent) /* inbound calls before an agent is assigned have neither */
        out->agent = cdr__json_text(r, "ServicerId", &out->len.agent, &ok);
    out->group = cdr__json_text(r, "GroupName", &out->len.group, &ok);
    if (!out->group)
        out->group = cdr__json_text(r, "GroupId", &out->len.group, &ok);

    int64_t v;
    if (cdr__json_get_int(r, "CallType", &v))
        out->direction = v == 1   ? CDR_DIRECTION_OUTBOUND
                         : v == 2 ? CDR_DIRECTION_INBOUND
                         : v == 3 ? CDR_DIRECTION_INTERNAL /* handed on inside the contact center */
                                  : CDR_DIRECTION_UNKNOWN;
    if (cdr__json_get_int(r, "HangUpRole",
                          &v)) /* "null" (unknown) is not a number and stays unknown */
        out->hangup_by = v == 1   ? CDR_HANGUP_SYSTEM
                         : v == 2 ? CDR_HANGUP_CUSTOMER
                         : v == 3 ? CDR_HANGUP_AGENT
                                  : CDR_HANGUP_UNKNOWN;

    if (!cdr__json_get_time(r, "CreateTime", CDR_CHINA_OFFSET_SECONDS, &out->start_time))
        return bad_time(out, "CreateTime", err);
    if (!cdr__json_get_time(r, "PickUpTime", CDR_CHINA_OFFSET_SECONDS, &out->answer_time))
        return bad_time(out, "PickUpTime", err);
    if (!cdr__json_get_time(r, "HangUpTime", CDR_CHINA_OFFSET_SECONDS, &out->end_time))
        return bad_time(out, "HangUpTime", err);
    int64_t ring_start, ring_end;
    if (!cdr__json_get_time(r, "RingStartTime", CDR_CHINA_OFFSET_SECONDS, &ring_start))
        return bad_time(out, "RingStartTime", err);
    if (!cdr__json_get_time(r, "RingEndTime", CDR_CHINA_OFFSET_SECONDS, &ring_end))
        return bad_time(out, "RingEndTime", err);

    /* The vendor's own durations win; the page leaves them out when there were none, so fall back
     * on the instants, and an unanswered call that ended talked for zero seconds. */
    if (cdr__json_get_int(r, "RingContinueTime", &v) && v >= 0)
        out->ring_seconds = v;
    else
        out->ring_seconds = seconds_between(ring_start, ring_end);
    if (cdr__json_get_int(r, "CallContinueTime", &v) && v >= 0)
        out->talk_seconds = v;
    else if (out->answer_time != CDR_TIME_NONE)
        out->talk_seconds = seconds_between(out->answer_time, out->end_time);
    else if (out->end_time != CDR_TIME_NONE)
        out->talk_seconds = 0;

    if (keep_raw && ok)
        out->raw_json = cdr__json_print(r);
    if (!ok || (keep_raw && !out->raw_json)) {
        cdr_record_free(out);
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    }
    return CDR_OK;
}

cdr_error cdr_aliyun_normalize_json(const char *record_json, size_t len, struct cdr_record *out,
                                    struct cdr_error_info *err)
{
    return cdr__json_normalize_text(record_json, len, cdr__aliyun_normalize, "record", out, err);
}
