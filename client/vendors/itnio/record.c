/* One ITNIO call record into the normalized record. */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "cdrsim/timefmt.h"
#include "internal.h"
#include "json_get.h"
#include "json_tokens.h"

/* Adds one URL (string token i); false when it cannot be one (*bad names the member) or memory ran
 * out (!*ok). */
static bool add_recording_url(struct cdr_record *out, const struct cdr__jdoc *doc, size_t i,
                              const char *member, const char **bad, bool *ok)
{
    if (cdr__jdoc_at(doc, i)->nul) {
        *bad = member;
        return false;
    }
    char *url = malloc((size_t)cdr__jdoc_at(doc, i)->len + 1);
    if (!url || (cdr__jdoc_decode(doc, i, url), cdr__record_take_recording_url(out, url))) {
        free(url);
        *ok = false;
        return false;
    }
    return true;
}

cdr_error cdr__itnio_normalize(const cJSON *r, struct cdr_record *out, struct cdr_error_info *err)
{
    /* A pushed record, already parsed exactly: printed exactly and read back as tokens, so one
     * normalizer serves pages and pushes. */
    char *text = cdr__json_print(r);
    if (!text) {
        cdr_record_init(out);
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    }
    cdr_error rc = cdr_itnio_normalize_json(text, strlen(text), out, err);
    free(text);
    return rc;
}

/* The members a record is read from, found in one walk of its members. */
enum member {
    KEY_ID,
    CALL_SESSION_ID,
    CALLER,
    CALLED,
    ENCRYPT_CALLED,
    SEAT_NAME,
    SIP_GROUP_NAME,
    CALL_TYPE,
    HANGING_DIRECTION,
    RING_DURATION,
    CALL_DURATION,
    CALL_START_TIME,
    CALLED_ANSWER_TIME,
    CALLED_HANGUP_TIME,
    VOICE_URL_LIST,
    VOICE_URL,
    MEMBER_COUNT
};

static const char *const member_names[MEMBER_COUNT] = {
    "keyId",        "callSessionId", "caller",           "called",           "encryptCalled",
    "seatName",     "sipGroupName",  "callType",         "hangingDirection", "ringDuration",
    "callDuration", "callStartTime", "calledAnswerTime", "calledHangupTime", "voiceUrlList",
    "voiceUrl"};

cdr_error cdr__itnio_normalize_record(const struct cdr__jdoc *doc, size_t r, bool keep_raw,
                                      struct cdr_record *out, struct cdr_error_info *err)
{
    cdr_record_init(out);
    out->vendor = "itnio";
    if (!cdr__jdoc_is(doc, r, CDR__JOBJECT))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "record is not an object");
    size_t at[MEMBER_COUNT];
    cdr__jdoc_members(doc, r, member_names, MEMBER_COUNT, at);
    bool ok = true;
    out->id = cdr__jdoc_text_at(doc, at[KEY_ID], &out->len.id, &ok);
    if (!out->id && ok) {
        cdr_record_free(out);
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "record without keyId");
    }
    out->call_id = cdr__jdoc_text_at(doc, at[CALL_SESSION_ID], &out->len.call_id, &ok);
    out->caller = cdr__jdoc_text_at(doc, at[CALLER], &out->len.caller, &ok);
    out->callee = cdr__jdoc_text_at(doc, at[CALLED], &out->len.callee, &ok);
    if (!out->callee || out->len.callee == 0) { /* number encryption on: only the masked form */
        free(out->callee);
        out->callee = cdr__jdoc_text_at(doc, at[ENCRYPT_CALLED], &out->len.callee, &ok);
    }
    out->agent = cdr__jdoc_text_at(doc, at[SEAT_NAME], &out->len.agent, &ok);
    out->group = cdr__jdoc_text_at(doc, at[SIP_GROUP_NAME], &out->len.group, &ok);

    int64_t v;
    if (cdr__jdoc_as_int(doc, at[CALL_TYPE], &v))
        out->direction = v == 2               ? CDR_DIRECTION_INBOUND
                         : (v == 1 || v == 3) ? CDR_DIRECTION_OUTBOUND /* 1: dialer call to agent */
                                              : CDR_DIRECTION_UNKNOWN;
    if (cdr__jdoc_as_int(doc, at[HANGING_DIRECTION], &v))
        out->hangup_by = v == 0   ? CDR_HANGUP_CUSTOMER
                         : v == 1 ? CDR_HANGUP_AGENT
                         : v == 3 ? CDR_HANGUP_SYSTEM /* "none": the network ended the call */
                                  : CDR_HANGUP_UNKNOWN;
    if (cdr__jdoc_as_int(doc, at[RING_DURATION], &v) && v >= 0)
        out->ring_seconds = v;
    if (cdr__jdoc_as_int(doc, at[CALL_DURATION], &v) && v >= 0)
        out->talk_seconds = v;

    const char *bad_time = NULL;
    if (!cdr__jdoc_time_at(doc, at[CALL_START_TIME], CDR_CHINA_OFFSET_SECONDS, &out->start_time))
        bad_time = "callStartTime";
    else if (!cdr__jdoc_time_at(doc, at[CALLED_ANSWER_TIME], CDR_CHINA_OFFSET_SECONDS,
                                &out->answer_time))
        bad_time = "calledAnswerTime";
    else if (!cdr__jdoc_time_at(doc, at[CALLED_HANGUP_TIME], CDR_CHINA_OFFSET_SECONDS,
                                &out->end_time))
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

    size_t list = at[VOICE_URL_LIST];
    size_t single = at[VOICE_URL];
    const char *bad_url = NULL;
    if (list && cdr__jdoc_is(doc, list, CDR__JARRAY)) {
        size_t url = list + 1;
        for (uint32_t k = 0; k < cdr__jdoc_at(doc, list)->count;
             k++, url = cdr__jdoc_at(doc, url)->end)
            if (cdr__jdoc_nonempty_string(doc, url) &&
                !add_recording_url(out, doc, url, "voiceUrlList", &bad_url, &ok))
                break;
    }
    if (!bad_url && ok && out->recording_url_count == 0 && cdr__jdoc_nonempty_string(doc, single))
        add_recording_url(out, doc, single, "voiceUrl", &bad_url, &ok);
    if (bad_url) {
        cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                      "record %s: %s holds a NUL byte, which no URL can", out->id, bad_url);
        cdr_record_free(out);
        return CDR_ERR_MALFORMED_RESPONSE;
    }

    if (keep_raw && ok) {
        struct cdr_buf b;
        cdr_buf_init(&b);
        cdr__jdoc_print(&b, doc, r, NULL);
        out->raw_json = cdr_buf_steal(&b);
    }
    if (!ok || (keep_raw && !out->raw_json)) {
        cdr_record_free(out);
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    }
    return CDR_OK;
}

cdr_error cdr_itnio_normalize_json(const char *record_json, size_t len, struct cdr_record *out,
                                   struct cdr_error_info *err)
{
    struct cdr__jdoc doc;
    cdr_error rc = cdr__jdoc_parse(&doc, record_json, len, "record", err);
    if (rc != CDR_OK) {
        cdr_record_init(out);
        return rc;
    }
    rc = cdr__itnio_normalize_record(&doc, 0, true, out, err);
    cdr__jdoc_free(&doc);
    return rc;
}
