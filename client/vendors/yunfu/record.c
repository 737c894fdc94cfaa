/* One Yunfu call record into the normalized record (see cdrsim/yunfu.h for the mapping). */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "cdrsim/timefmt.h"
#include "internal.h"
#include "json_get.h"

/* Milliseconds to whole seconds, half up; absent or negative -> CDR_SECONDS_NONE. */
static int64_t ms_to_seconds(const cJSON *r, const char *key)
{
    int64_t ms;
    return cdr__json_get_int(r, key, &ms) && ms >= 0 ? (ms + 500) / 1000 : CDR_SECONDS_NONE;
}

static cdr_error fail_record(struct cdr_record *out, const char *why, struct cdr_error_info *err)
{
    char id[64];
    snprintf(id, sizeof(id), "%s", out->id ? out->id : "?");
    cdr_record_free(out);
    return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "record %s: %s", id, why);
}

cdr_error cdr__yunfu_normalize(const cJSON *r, struct cdr_record *out, struct cdr_error_info *err)
{
    return cdr__yunfu_normalize_record(r, true, out, err);
}

cdr_error cdr__yunfu_normalize_record(const cJSON *r, bool keep_raw, struct cdr_record *out,
                                      struct cdr_error_info *err)
{
    cdr_record_init(out);
    out->vendor = "yunfu";
    if (!cJSON_IsObject(r))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "record is not an object");
    bool ok = true;
    out->id = cdr__json_text(r, "id", &out->len.id, &ok);
    if (!out->id && ok)
        return fail_record(out, "no id", err);
    out->direction = CDR_DIRECTION_OUTBOUND; /* an AI outbound dialer: there are no inbound calls */
    out->call_id = cdr__json_text(r, "callid", &out->len.call_id, &ok);
    out->caller = cdr__json_text(r, "caller_number", &out->len.caller, &ok);
    out->callee = cdr__json_text(r, "callee", &out->len.callee, &ok);
    out->group = cdr__json_text(r, "group_id", &out->len.group, &ok);
    out->agent = cdr__json_text(r, "bridge_number", &out->len.agent, &ok);
    if (out->agent && out->len.agent == 0) {
        free(out->agent);
        out->agent = NULL;
    }
    if (!cdr__json_get_time(r, "calldate", CDR_CHINA_OFFSET_SECONDS, &out->start_time))
        return fail_record(out, "calldate is not a time", err);
    if (!cdr__json_get_time(r, "answerdate", CDR_CHINA_OFFSET_SECONDS, &out->answer_time))
        return fail_record(out, "answerdate is not a time", err);
    if (!cdr__json_get_time(r, "hangupdate", CDR_CHINA_OFFSET_SECONDS, &out->end_time))
        return fail_record(out, "hangupdate is not a time", err);
    bool answered = out->answer_time != CDR_TIME_NONE;
    out->talk_seconds = ms_to_seconds(r, "bill");
    if (answered && out->start_time != CDR_TIME_NONE && out->answer_time >= out->start_time)
        out->ring_seconds = out->answer_time - out->start_time;
    else if (!answered)
        out->ring_seconds = ms_to_seconds(r, "duration"); /* never answered: it rang throughout */
    int64_t side;
    if (cdr__json_get_int(r, "hangup_disposition", &side) && (side == 1 || side == 2))
        out->hangup_by = side == 1 ? CDR_HANGUP_AGENT : CDR_HANGUP_CUSTOMER;
    else
        out->hangup_by = answered ? CDR_HANGUP_UNKNOWN : CDR_HANGUP_SYSTEM;
    if (keep_raw)
        out->raw_json = cdr__json_print(r);
    if (!ok || (keep_raw && !out->raw_json)) {
        cdr_record_free(out);
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    }
    return CDR_OK;
}

cdr_error cdr_yunfu_normalize_json(const char *record_json, size_t len, struct cdr_record *out,
                                   struct cdr_error_info *err)
{
    return cdr__json_normalize_text(record_json, len, cdr__yunfu_normalize, "record", out, err);
}
