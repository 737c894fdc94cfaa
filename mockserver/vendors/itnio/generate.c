/* Deterministic ITNIO call records in the vendor's exact shape (field order and types of the
 * example record on https://itniotech.com/api/call/queryRecord), consistent with themselves: an
 * unanswered call has no answer time, no talk time and no recording; hang-up reasons fit the call
 * type. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/timefmt.h"
#include "internal.h"

static const char called_info[] =
    "{\"calledInfo1\":null,\"calledInfo5\":null,\"calledInfo10\":null,\"calledInfo4\":null,"
    "\"calledInfo3\":null,\"calledInfo2\":null,\"calledInfo9\":null,\"calledInfo8\":null,"
    "\"calledInfo7\":null,\"calledInfo6\":null}";

struct country {
    const char *ccode;
    const char *prefix;
    const char *region;
    unsigned weight;
};

static const struct country countries[] = {
    {"86(China)", "86", NULL, 70},
    {"63(Philippines)", "63", "Philippines", 10},
    {"62(Indonesia)", "62", "Indonesia", 8},
    {"1(USA)", "1", "United States", 7},
    {"971(UAE)", "971", "United Arab Emirates", 5},
};

static const char *const labels[] = {"intention-high", "intention-low", "callback", "complaint",
                                     "vip"};

/* Unanswered outcomes: hangupReason, SIP code, errorReason. */
struct failure {
    int reason;
    const char *sip;
    const char *text;
    unsigned weight;
};
static const struct failure outbound_failures[] = {
    {0, "480", "no answer(480)", 55},          {7, "486", "busy here(486)", 20},
    {4, "500", "call failed(500)", 10},        {5, "404", "number not exist(404)", 8},
    {6, "503", "not in service area(503)", 7},
};

static cJSON *add(cJSON *obj, const char *key, cJSON *item)
{
    cJSON_AddItemToObject(obj, key, item);
    return item;
}

static void add_time(cJSON *obj, const char *key, int64_t t)
{
    char text[20];
    cdr_time_format_local(t, CDR_CHINA_OFFSET_SECONDS, text);
    cJSON_AddStringToObject(obj, key, text);
}

static void phone(struct mock_rng *rng, const char *prefix, char *out, size_t len)
{
    static const char *const mobile[] = {"13", "15", "17", "18", "19"};
    /* One draw per statement: C leaves the order of argument evaluation to the compiler, and the
     * same seed must give the same records whatever built the mock. */
    const char *head = mobile[mock_rng_below(rng, 5)];
    unsigned long long tail = mock_rng_below(rng, 1000000000ULL);
    snprintf(out, len, "%s%s%09llu", prefix, head, tail);
}

static cJSON *one_record(const struct itnio_roster *roster, struct mock_rng *rng, int64_t key_id,
                         int64_t start)
{
    const struct itnio_seat *seat = &roster->seats[mock_rng_below(rng, roster->seat_count)];
    const struct itnio_group *group = NULL;
    for (size_t i = 0; i < roster->group_count; i++)
        if (roster->groups[i].id == seat->group_id)
            group = &roster->groups[i];
    unsigned cw[] = {3, 20, 45, 35}; /* call types 1..3 (index 0 unused) */
    int call_type = (int)mock_rng_weighted(rng, cw + 1, 3) + 1;
    bool answered = mock_rng_below(rng, 100) < (call_type == 2 ? 82u : 64u);
    unsigned country_weights[5];
    for (size_t i = 0; i < 5; i++)
        country_weights[i] = countries[i].weight;
    const struct country *c = &countries[mock_rng_weighted(rng, country_weights, 5)];

    int64_t ring = mock_rng_range(rng, 2, answered ? 18 : 40);
    int64_t talk = answered ? (mock_rng_below(rng, 10) < 7 ? mock_rng_range(rng, 8, 180)
                                                           : mock_rng_range(rng, 181, 1500))
                            : 0;
    int64_t answer_at = start + ring, hangup_at = start + ring + talk;

    int reason, direction;
    const char *sip, *error;
    if (answered) {
        reason = call_type == 2 ? 9 : call_type == 1 ? 3 : 1;
        direction = (int)mock_rng_below(rng, 2); /* 0 customer, 1 agent */
        sip = "200";
        error = "sucess call(200)"; /* sic: the vendor's own spelling */
    } else if (call_type == 2) {
        reason = 8;
        direction = 3;
        sip = "487";
        error = "incoming call not answered(487)";
    } else if (call_type == 1) {
        reason = 2;
        direction = 3;
        sip = "487";
        error = "transfer ringing hang up(487)";
    } else {
        unsigned fw[5];
        for (size_t i = 0; i < 5; i++)
            fw[i] = outbound_failures[i].weight;
        const struct failure *f = &outbound_failures[mock_rng_weighted(rng, fw, 5)];
        reason = f->reason;
        direction = 3;
        sip = f->sip;
        error = f->text;
    }

    char customer[24], company[24], session[32], call_id[32], url[96], stamp[20];
    phone(rng, c->prefix, customer, sizeof(customer));
    snprintf(company, sizeof(company), "%s2000000%04llu", c->prefix,
             (unsigned long long)mock_rng_below(rng, 20));
    cdr_time_format_local(hangup_at, CDR_CHINA_OFFSET_SECONDS, stamp); /* "2025-01-03 16:11:30" */
    snprintf(session, sizeof(session), "%.2s%.2s%.2s%.2s%.2s%.2s%05llu", stamp + 2, stamp + 5,
             stamp + 8, stamp + 11, stamp + 14, stamp + 17,
             (unsigned long long)mock_rng_below(rng, 100000));
    cdr_time_format_local(start - 1, CDR_CHINA_OFFSET_SECONDS, stamp);
    snprintf(call_id, sizeof(call_id), "%.2s%.2s%.2s%.2s%.2s%.2s%09llu", stamp + 2, stamp + 5,
             stamp + 8, stamp + 11, stamp + 14, stamp + 17,
             (unsigned long long)mock_rng_below(rng, 1000000000ULL));
    snprintf(url, sizeof(url), "agent-call-record-%.6s/%s.wav", session, session);
    bool inbound = call_type == 2;
    bool encrypted = mock_rng_below(rng, 10) < 6;

    cJSON *r = cJSON_CreateObject();
    if (!r)
        return NULL;
    cJSON_AddNumberToObject(r, "keyId", (double)key_id);
    cJSON_AddStringToObject(r, "callSessionId", session);
    const char *callee = inbound ? company : customer;
    add(r, "called", encrypted ? cJSON_CreateNull() : cJSON_CreateString(callee));
    cJSON_AddStringToObject(r, "encryptCalled", callee);
    cJSON_AddStringToObject(r, "calledInfo", called_info);
    cJSON_AddStringToObject(r, "caller", inbound ? customer : company);
    add(r, "region", c->region ? cJSON_CreateString(c->region) : cJSON_CreateNull());
    cJSON_AddStringToObject(r, "seatName", seat->name);
    cJSON_AddStringToObject(r, "sipGroupName", group ? group->name : "");
    cJSON_AddNumberToObject(r, "voiceGroupId", (double)seat->group_id);
    cJSON_AddNumberToObject(r, "callDuration", (double)talk);
    cJSON_AddNumberToObject(r, "callType", call_type);
    cJSON_AddNumberToObject(r, "hangupReason", reason);
    cJSON_AddStringToObject(r, "hangupCode", sip);
    add_time(r, "callStartTime", start);
    if (answered)
        add_time(r, "calledAnswerTime", answer_at);
    else
        cJSON_AddNullToObject(r, "calledAnswerTime");
    add_time(r, "calledHangupTime", hangup_at);
    cJSON *urls = cJSON_CreateArray();
    if (answered) {
        cJSON_AddStringToObject(r, "voiceUrl", url);
        cJSON_AddItemToArray(urls, cJSON_CreateString(url));
    } else {
        cJSON_AddNullToObject(r, "voiceUrl");
    }
    add(r, "voiceUrlList", urls);
    add_time(r, "createTime", hangup_at);
    int64_t edited = (int64_t)mock_rng_below(rng, 2);
    int64_t later = (int64_t)mock_rng_below(rng, 86400);
    add_time(r, "updateTime", hangup_at + edited * later);
    cJSON_AddStringToObject(r, "ccode", c->ccode);
    cJSON_AddNumberToObject(r, "hangingDirection", direction);
    cJSON *label_list = cJSON_CreateArray();
    char label_text[160] = "[";
    size_t nlabels = answered ? mock_rng_below(rng, 3) : 0;
    size_t first = mock_rng_below(rng, 5);
    for (size_t i = 0; i < nlabels; i++) {
        const char *l = labels[(first + i * 2) % 5];
        cJSON_AddItemToArray(label_list, cJSON_CreateString(l));
        size_t used = strlen(label_text);
        snprintf(label_text + used, sizeof(label_text) - used, "%s\"%s\"", i ? "," : "", l);
    }
    strcat(label_text, "]");
    cJSON_AddStringToObject(r, "labelName", label_text);
    add(r, "labelNameList", label_list);
    cJSON_AddStringToObject(r, "remark", mock_rng_below(rng, 5) == 0 ? "follow up next week" : "");
    cJSON_AddStringToObject(r, "callId", call_id);
    cJSON_AddNumberToObject(r, "brandId", 101);
    cJSON_AddStringToObject(r, "brandName", "ITNIO");
    cJSON_AddStringToObject(r, "errorReason", error);
    cJSON_AddNumberToObject(r, "ringDuration", (double)ring);
    add(r, "mediaDetected",
        answered || mock_rng_below(rng, 2) ? cJSON_CreateNull() : cJSON_CreateString("voicemail"));
    return r;
}

bool itnio_generate_records(const struct itnio_roster *roster, int64_t n, uint64_t seed,
                            int64_t anchor, itnio_record_sink *sink, void *ctx, char *err,
                            size_t err_len)
{
    if (n == 0)
        return true;
    if (roster->seat_count == 0) {
        snprintf(err, err_len, "cannot generate records without agents in seats.json");
        return false;
    }
    struct mock_rng rng;
    mock_rng_seed(&rng, mock_rng_derive(seed, "itnio"));
    /* Start times first, sorted, so keyIds grow with time as a database sequence would. */
    const int64_t span = 365LL * 86400;
    int64_t *starts = mock_rng_sorted_instants(&rng, n, anchor - span, (uint64_t)span);
    if (!starts) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    bool ok = true;
    /* One record at a time: a million records never exist as one JSON tree. */
    for (int64_t i = 0; i < n && ok; i++) {
        cJSON *r = one_record(roster, &rng, 51000001 + i, starts[i]);
        ok = r ? sink(ctx, r, err, err_len) : false;
        if (!r)
            snprintf(err, err_len, "out of memory");
        cJSON_Delete(r);
    }
    free(starts);
    return ok;
}
