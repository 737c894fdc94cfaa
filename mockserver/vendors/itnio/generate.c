/* Deterministic ITNIO call records in the vendor's exact shape (field order and types of the
 * example record on https://itniotech.com/api/call/queryRecord), consistent with themselves: an
 * unanswered call has no answer time, no talk time and no recording; hang-up reasons fit the call
 * type. Drawing a record's values and writing its text are separate steps: the dataset keeps only
 * the generator's state before each record (8 bytes) and its filter fields, and draws the record
 * again when a page shows it. The text is written directly, the way cJSON_PrintUnformatted wrote
 * the tree this generator used to build. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/timefmt.h"
#include "internal.h"

/* The calledInfo member as JSON text: a string holding a JSON object, escaped. */
static const char called_info_json[] =
    "\"{\\\"calledInfo1\\\":null,\\\"calledInfo5\\\":null,\\\"calledInfo10\\\":null,"
    "\\\"calledInfo4\\\":null,\\\"calledInfo3\\\":null,\\\"calledInfo2\\\":null,"
    "\\\"calledInfo9\\\":null,\\\"calledInfo8\\\":null,\\\"calledInfo7\\\":null,"
    "\\\"calledInfo6\\\":null}\"";

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

/* A record's labels are labels[first] and then labels[(first + 2) % 5], as many as it has
 * (not const: the attrs' label list points here). */
static const char *label_runs[5][2] = {{"intention-high", "callback"},
                                       {"intention-low", "complaint"},
                                       {"callback", "vip"},
                                       {"complaint", "intention-high"},
                                       {"vip", "intention-low"}};

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

/* Writes v as `digits` digits, zero-padded (v < 10^digits); returns the end. printf took a tenth
 * of a large dataset's load for the numbers alone. */
static char *put_padded(char *out, unsigned long long v, int digits)
{
    for (int i = digits - 1; i >= 0; i--, v /= 10)
        out[i] = (char)('0' + v % 10);
    out[digits] = '\0';
    return out + digits;
}

/* out has room for a prefix of at most 3 digits, 2 and 9 more. */
static void phone(struct mock_rng *rng, const char *prefix, char *out)
{
    static const char *const mobile[] = {"13", "15", "17", "18", "19"};
    /* One draw per statement: C leaves the order of argument evaluation to the compiler, and the
     * same seed must give the same records whatever built the mock. */
    const char *head = mobile[mock_rng_below(rng, 5)];
    unsigned long long tail = mock_rng_below(rng, 1000000000ULL);
    put_padded(stpcpy(stpcpy(out, prefix), head), tail, 9);
}

/* "yyMMddHHmmss" of a UTC+8 wall clock time, then `digits` digits of n, zero-padded. */
static void stamp_id(int64_t t, uint64_t n, int digits, char *out)
{
    char text[20]; /* "2025-01-03 16:11:30" */
    cdr_time_format_local(t, CDR_CHINA_OFFSET_SECONDS, text);
    static const int at[] = {2, 5, 8, 11, 14, 17};
    for (int i = 0; i < 6; i++) {
        *out++ = text[at[i]];
        *out++ = text[at[i] + 1];
    }
    for (int i = digits - 1; i >= 0; i--, n /= 10)
        out[i] = (char)('0' + n % 10);
    out[digits] = '\0';
}

void itnio_generate_again(const struct itnio_roster *roster, uint64_t replay, int64_t key_id,
                          int64_t start, struct itnio_generated *g)
{
    struct mock_rng state = {replay}, *rng = &state;
    g->replay = replay;
    g->key_id = key_id;
    g->start = start;
    g->seat = &roster->seats[mock_rng_below(rng, roster->seat_count)];
    g->group = NULL;
    for (size_t i = 0; i < roster->group_count; i++)
        if (roster->groups[i].id == g->seat->group_id)
            g->group = &roster->groups[i];
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
    if (answered) {
        g->reason = call_type == 2 ? 9 : call_type == 1 ? 3 : 1;
        g->direction = (int)mock_rng_below(rng, 2); /* 0 customer, 1 agent */
        g->sip = "200";
        g->error = "sucess call(200)"; /* sic: the vendor's own spelling */
    } else if (call_type == 2) {
        g->reason = 8;
        g->direction = 3;
        g->sip = "487";
        g->error = "incoming call not answered(487)";
    } else if (call_type == 1) {
        g->reason = 2;
        g->direction = 3;
        g->sip = "487";
        g->error = "transfer ringing hang up(487)";
    } else {
        unsigned fw[5];
        for (size_t i = 0; i < 5; i++)
            fw[i] = outbound_failures[i].weight;
        const struct failure *f = &outbound_failures[mock_rng_weighted(rng, fw, 5)];
        g->reason = f->reason;
        g->direction = 3;
        g->sip = f->sip;
        g->error = f->text;
    }
    g->call_type = call_type;
    g->answered = answered;
    g->ccode = c->ccode;
    g->region = c->region;
    g->ring = ring;
    g->talk = talk;

    phone(rng, c->prefix, g->customer);
    put_padded(stpcpy(stpcpy(g->company, c->prefix), "2000000"), mock_rng_below(rng, 20), 4);
    stamp_id(start + ring + talk, mock_rng_below(rng, 100000), 5, g->session);
    stamp_id(start - 1, mock_rng_below(rng, 1000000000ULL), 9, g->call_id);
    char *url = stpcpy(g->url, "agent-call-record-"); /* "...-%.6s/%s.wav" */
    memcpy(url, g->session, 6);
    strcpy(stpcpy(stpcpy(url + 6, "/"), g->session), ".wav");
    g->encrypted = mock_rng_below(rng, 10) < 6;
    int64_t edited = (int64_t)mock_rng_below(rng, 2);
    int64_t later = (int64_t)mock_rng_below(rng, 86400);
    g->updated = edited * later;
    g->label_count = answered ? mock_rng_below(rng, 3) : 0;
    g->labels = label_runs[mock_rng_below(rng, 5)];
    g->remark = mock_rng_below(rng, 5) == 0;
    g->voicemail = !answered && !mock_rng_below(rng, 2);
    g->next_state = state.state;
}

/* Appends without printf: these run for every record a page shows. */
static void put(struct cdr_buf *b, const char *text)
{
    cdr_buf_append(b, text, strlen(text));
}

/* A string known to need no escaping (digits, fixed texts), quoted. */
static void put_plain(struct cdr_buf *b, const char *text)
{
    cdr_buf_append(b, "\"", 1);
    put(b, text);
    cdr_buf_append(b, "\"", 1);
}

static void put_time(struct cdr_buf *b, int64_t t)
{
    char text[22] = "\"";
    cdr_time_format_local(t, CDR_CHINA_OFFSET_SECONDS, text + 1);
    text[20] = '"';
    cdr_buf_append(b, text, 21);
}

bool itnio_generate_render(const struct itnio_generated *g, struct cdr_buf *b)
{
    bool inbound = g->call_type == 2;
    const char *callee = inbound ? g->company : g->customer;
    int64_t hangup_at = g->start + g->ring + g->talk;
    put(b, "{\"keyId\":");
    cdr_buf_int(b, g->key_id);
    put(b, ",\"callSessionId\":");
    put_plain(b, g->session);
    put(b, ",\"called\":");
    if (g->encrypted)
        put(b, "null");
    else
        put_plain(b, callee);
    put(b, ",\"encryptCalled\":");
    put_plain(b, callee);
    put(b, ",\"calledInfo\":");
    cdr_buf_append(b, called_info_json, sizeof(called_info_json) - 1);
    put(b, ",\"caller\":");
    put_plain(b, inbound ? g->customer : g->company);
    put(b, ",\"region\":");
    if (g->region)
        put_plain(b, g->region);
    else
        put(b, "null");
    put(b, ",\"seatName\":");
    cdr_buf_json_string(b, g->seat->name);
    put(b, ",\"sipGroupName\":");
    cdr_buf_json_string(b, g->group ? g->group->name : "");
    put(b, ",\"voiceGroupId\":");
    cdr_buf_int(b, g->seat->group_id);
    put(b, ",\"callDuration\":");
    cdr_buf_int(b, g->talk);
    put(b, ",\"callType\":");
    cdr_buf_int(b, g->call_type);
    put(b, ",\"hangupReason\":");
    cdr_buf_int(b, g->reason);
    put(b, ",\"hangupCode\":");
    put_plain(b, g->sip);
    put(b, ",\"callStartTime\":");
    put_time(b, g->start);
    put(b, ",\"calledAnswerTime\":");
    if (g->answered)
        put_time(b, g->start + g->ring);
    else
        put(b, "null");
    put(b, ",\"calledHangupTime\":");
    put_time(b, hangup_at);
    if (g->answered) {
        put(b, ",\"voiceUrl\":");
        put_plain(b, g->url);
        put(b, ",\"voiceUrlList\":[");
        put_plain(b, g->url);
        put(b, "]");
    } else {
        put(b, ",\"voiceUrl\":null,\"voiceUrlList\":[]");
    }
    put(b, ",\"createTime\":");
    put_time(b, hangup_at);
    put(b, ",\"updateTime\":");
    put_time(b, hangup_at + g->updated);
    put(b, ",\"ccode\":");
    put_plain(b, g->ccode);
    put(b, ",\"hangingDirection\":");
    cdr_buf_int(b, g->direction);
    put(b, ",\"labelName\":\"[");
    for (size_t i = 0; i < g->label_count; i++) {
        put(b, i ? ",\\\"" : "\\\"");
        put(b, g->labels[i]);
        put(b, "\\\"");
    }
    put(b, "]\",\"labelNameList\":[");
    for (size_t i = 0; i < g->label_count; i++) {
        put(b, i ? ",\"" : "\"");
        put(b, g->labels[i]);
        put(b, "\"");
    }
    put(b, "],\"remark\":");
    put_plain(b, g->remark ? "follow up next week" : "");
    put(b, ",\"callId\":");
    put_plain(b, g->call_id);
    put(b, ",\"brandId\":101,\"brandName\":\"ITNIO\",\"errorReason\":");
    put_plain(b, g->error);
    put(b, ",\"ringDuration\":");
    cdr_buf_int(b, g->ring);
    return cdr_buf_puts(b, g->voicemail ? ",\"mediaDetected\":\"voicemail\"}"
                                        : ",\"mediaDetected\":null}");
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
    struct itnio_generated g;
    for (int64_t i = 0; i < n && ok; i++) {
        itnio_generate_again(roster, rng.state, 51000001 + i, starts[i], &g);
        /* Each record's draws advance the stream: step past them as drawing did. */
        rng.state = g.next_state;
        ok = sink(ctx, &g, err, err_len);
    }
    free(starts);
    return ok;
}
