/* Calls in the vendor's shape: the call object of the callinfo page (fields, their order, the
 * trace and its reason texts), and a deterministic call history made of such objects, consistent
 * with themselves (a call the agent did not answer has no talk times; leave reasons fit the call
 * type; the callid starts with the call's begin second as the gateway's do). Facts:
 * docs/vendors/huawei.md (call data). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- the call object ------------------------------------------------------------------------- */

const char *huawei_reason_text(int64_t reason)
{
    static const char *const texts[] = {
        [0] = "Normal reason", /* as the page's example prints it; the table says "Common access or
                                  transfer." */
        [1] = "The call is transferred due to overflow.",
        [2] = "The call is transferred due to timeout.",
        [3] = "The call is transferred when no one is on duty.",
        [4] = "The call is transferred when queuing is cancelled.",
        [5] = "The call is transferred when an agent does not answer for a long time.",
        [6] = "The suspended call is resumed.",
        [7] = "The held call is connected.",
        [8] = "Three-party help is initiated.",
        [9] = "The call is unheld.",
        [10] = "The three-party call is initiated.",
        [11] = "The call is released by the party who sends the internal help request.",
        [12] = "The call is intercepted.",
        [13] = "The call is picked up.",
        [14] = "Called number analysis is not configured for a call.",
        [15] = "The user releases the call.",
        [16] = "The agent releases the call.",
        [17] = "The call is transferred out.",
        [18] = "The call is held.",
        [19] = "Internal processing error.",
        [20] = "The called party is busy.",
        [21] = "The line is busy.",
        [22] = "The phone is powered off.",
        [23] = "The phone is out of service.",
        [24] = "The number is invalid.",
        [25] = "No resource is available on the ACD.",
        [26] = "The user does not answer the call.",
        [27] = "The called party rejects the call.",
        [28] = "The connected call is transferred to a queue.",
        [29] = "The three-party call is transferred to a queue.",
        [30] = "The connected call times out when being transferred to a queue.",
        [31] = "The three-party call times out when being transferred to a queue.",
        [34] = "The failed network call queues due to timeout, overflow, or busy.",
        [35] = "The network call queues at the original call center.",
        [36] = "The queuing call is rerouted.",
        [37] = "The call enters the CDN through the inbound route.",
        [38] = "The call enters the CDN from agent consultation.",
        [39] = "The CDN returns the routing result.",
        [40] = "CDN routing times out.",
        [41] = "The agent cancels the call during consultation.",
        [42] = "The call enters the PGR from a timeout CDN route.",
        [43] = "The call enters the PGR from a normal CDN route.",
        [44] = "The call enters the PGR through the inbound route.",
        [45] = "The call enters the PGR from agent consultation.",
        [46] = "The CDN reroutes the call because the agent is unreachable.",
        [47] = "The call queues in multiple queues.",
        [48] = "The call in the master queue is answered from the slave queue.",
        [50] = "The agent rejects the call.",
        [51] = "A user call joins a conference.",
        [52] =
            "The conference chairperson proactively releases the conference, or the conference is "
            "released due to a CSS exception.",
        [53] = "The participant is removed from the conference.",
        [54] = "The call is transferred when the call completion rate is lower than the threshold.",
        [88] = "The user hangs up after the agent answers the call.",
        [89] = "The user hooks on after the agent answers the call.",
    };
    if (reason < 0 || reason >= (int64_t)(sizeof(texts) / sizeof(texts[0])) || !texts[reason])
        return "";
    return texts[reason];
}

/* Appends without printf: every generated record a page or a dump shows is written here. */
static void put(struct cdr_buf *b, const char *text)
{
    cdr_buf_append(b, text, strlen(text));
}

/* A string as cJSON_PrintUnformatted writes one (cdr_buf_json_string uses its escapes), so a
 * record written here is byte for byte what the cJSON tree this file used to build printed. */
static void put_string(struct cdr_buf *b, const char *text)
{
    cdr_buf_json_string(b, text);
}

/* ,"name": then an integer, as a number or (strings) as its text. */
static void put_int(struct cdr_buf *b, const char *name, int64_t v, bool strings)
{
    put(b, name);
    if (strings)
        cdr_buf_append(b, "\"", 1);
    cdr_buf_int(b, v);
    if (strings)
        cdr_buf_append(b, "\"", 1);
}

static void put_instant(struct cdr_buf *b, const char *name, int64_t ms)
{
    if (ms == HUAWEI_NONE) {
        put(b, name);
        put(b, "null");
    } else {
        put_int(b, name, ms, false);
    }
}

static void put_text(struct cdr_buf *b, const char *name, const char *text)
{
    put(b, name);
    put_string(b, text);
}

bool huawei_call_write(const struct huawei_call_spec *c, struct cdr_buf *b)
{
    put_int(b, "{\"callfeature\":", c->callfeature, false);
    put_text(b, ",\"callid\":", c->callid);
    put_text(b, ",\"caller\":", c->caller);
    put_text(b, ",\"called\":", c->called);
    put_text(b, ",\"callskill\":", c->callskill);
    put_int(b, ",\"callskillid\":", c->callskillid, false);
    put_text(b, ",\"orgicallednum\":", c->orgicallednum);
    put_text(b, ",\"calldata\":", c->calldata);
    put_instant(b, ",\"begintime\":", c->begintime);
    put_instant(b, ",\"endtime\":", c->endtime);
    put_int(b, ",\"userPriority\":", c->user_priority, false);
    put_int(b, ",\"trunkNo\":", c->trunk_no, false);
    put_int(b, ",\"logontimes\":", c->logontimes, false);
    put_int(b, ",\"mediaType\":", c->media_type, false);
    put_int(b, ",\"mediaAbility\":", c->media_ability, false);
    put_int(b, ",\"waitTime\":", c->wait_time, false);
    put_instant(b, ",\"trace\":{\"waitBeginTime\":", c->wait_begin);
    put_instant(b, ",\"waitEndTime\":", c->wait_end);
    put_instant(b, ",\"answerBeginTime\":", c->answer_begin);
    put_instant(b, ",\"answerEndTime\":", c->answer_end);
    put_instant(b, ",\"talkBeginTime\":", c->talk_begin);
    put_instant(b, ",\"talkEndTime\":", c->talk_end);
    put_int(b, ",\"deviceNo\":", c->device_no, false);
    put_int(b, ",\"deviceType\":", c->device_type, false);
    put_text(b, ",\"callDirectMode\":", c->direct_mode);
    put_int(b, ",\"enterReason\":", c->enter_reason, false);
    put_text(b, ",\"enterReasonDesc\":", huawei_reason_text(c->enter_reason));
    put_instant(b, ",\"leaveReason\":", c->leave_reason);
    if (c->leave_reason == HUAWEI_NONE)
        put(b, ",\"leaveReasonDesc\":null");
    else
        put_text(b, ",\"leaveReasonDesc\":", huawei_reason_text(c->leave_reason));
    put_int(b, ",\"vdnId\":", c->vdn_id, false);
    return cdr_buf_puts(b, "}}");
}

cJSON *huawei_call_object(const struct huawei_call_spec *c)
{
    /* Live calls change field by field (hold, end): they keep the tree of the written text. */
    struct cdr_buf b;
    cdr_buf_init(&b);
    cJSON *obj = huawei_call_write(c, &b) ? cJSON_ParseWithLength(b.data, b.len) : NULL;
    cdr_buf_free(&b);
    return obj;
}

/* ---- the CC-Management history record ------------------------------------------------------- */

bool huawei_cdr_write(const struct huawei_cdr_spec *c, bool strings, struct cdr_buf *b)
{
    /* The members in the order of the queryCallDetailRecord example; the customer's talk start
     * is absent when the customer never answered. */
    put_int(b, "{\"releaseTime\":", c->end_ms, strings);
    put_text(b, ",\"called\":", c->called);
    put_text(b, ",\"callerPresent\":", c->caller_present);
    put_int(b, ",\"agentAlertingTime\":", c->agent_alerting_ms, strings);
    put_text(b, ",\"agentPresent\":", c->agent_present);
    if (c->talking_ms != HUAWEI_NONE)
        put_int(b, ",\"talkingTime\":", c->talking_ms, strings);
    put_int(b, ",\"alertingTime\":", c->alerting_ms, strings);
    put_text(b, ",\"caller\":", c->caller);
    put_int(b, ",\"agentTalkingTime\":", c->agent_talking_ms, strings);
    put_int(b, ",\"agentReleaseTime\":", c->end_ms, strings);
    put_int(b, ",\"agentTalkDuration\":", c->agent_talk_s, strings);
    put_text(b, ",\"callSerialNo\":", c->serial);
    put_int(b, ",\"startTime\":", c->start_ms, strings);
    put_int(b, ",\"endTime\":", c->end_ms, strings);
    put_int(b, ",\"talkDuration\":", c->talk_s, strings);
    put_int(b, ",\"state\":", c->state, strings);
    put_int(b, ",\"reasonCode\":", c->reason_code, strings);
    if (c->call_data && *c->call_data)
        put_text(b, ",\"callData\":", c->call_data);
    return cdr_buf_puts(b, "}");
}

/* ---- generated history ----------------------------------------------------------------------- */

struct feature {
    int64_t callfeature;
    unsigned weight;
    int64_t media_type;
    enum { INBOUND, OUTBOUND, INTERNAL } kind;
};

static const struct feature features[] = {
    {0, 48, 5, INBOUND},   {7, 20, 5, OUTBOUND},  {40, 2, 5, OUTBOUND}, {41, 2, 5, OUTBOUND},
    {43, 8, 15, OUTBOUND}, {44, 5, 16, OUTBOUND}, {45, 3, 4, OUTBOUND}, {6, 6, 5, INTERNAL},
    {51, 4, 5, INTERNAL},  {52, 1, 5, INTERNAL},  {53, 1, 5, INTERNAL},
};
#define FEATURE_COUNT (sizeof(features) / sizeof(features[0]))

struct skill {
    const char *name;
    int64_t id;
};
static const struct skill inbound_skills[] = {
    {"voice", 20011}, {"after-sales", 20012}, {"billing", 20013}, {"vip", 20014}};
static const struct skill outbound_skill = {"outbound", 20020};
static const char *const access_codes[] = {"60015", "60016", "60017"};

/* A leave reason with its relative weight. */
struct outcome {
    int64_t reason;
    unsigned weight;
};
static const struct outcome answered_outcomes[] = {{15, 45}, {16, 40}, {88, 5}, {17, 10}};
static const struct outcome missed_inbound[] = {{5, 50}, {15, 50}};
static const struct outcome missed_outbound[] = {{26, 55}, {20, 25}, {22, 10}, {24, 10}};

static int64_t pick_outcome(struct mock_rng *rng, const struct outcome *o, size_t n)
{
    unsigned w[8];
    for (size_t i = 0; i < n; i++)
        w[i] = o[i].weight;
    return o[mock_rng_weighted(rng, w, n)].reason;
}

/* "1", a digit 3..9, nine digits: written by hand, this runs for most generated calls. */
static void mobile(struct mock_rng *rng, char *out)
{
    /* One draw per statement, in the order the datasets published so far were drawn in (the
     * order gcc evaluated the arguments of the snprintf this replaced): the order must no longer
     * depend on the compiler. */
    uint64_t rest = mock_rng_below(rng, 1000000000ULL);
    uint64_t second = (uint64_t)mock_rng_range(rng, 3, 9);
    out[0] = '1';
    out[1] = (char)('0' + second);
    for (int i = 10; i >= 2; i--, rest /= 10)
        out[i] = (char)('0' + rest % 10);
    out[11] = '\0';
}

/* Decimal digits of v at out, NUL-terminated; returns the end. */
static char *put_digits(char *out, uint64_t v)
{
    char digits[24], *p = digits + sizeof(digits);
    do
        *--p = (char)('0' + v % 10);
    while (v /= 10);
    size_t n = (size_t)(digits + sizeof(digits) - p);
    memcpy(out, p, n);
    out[n] = '\0';
    return out + n;
}

void huawei_generate_again(const struct huawei_agent *agents, size_t agent_count, uint64_t replay,
                           uint64_t seq, int64_t start_s, struct huawei_generated *g)
{
    struct mock_rng state = {replay}, *rng = &state;
    size_t who = (size_t)mock_rng_below(rng, agent_count);
    const struct huawei_agent *agent = &agents[who];
    unsigned fw[FEATURE_COUNT];
    for (size_t i = 0; i < FEATURE_COUNT; i++)
        fw[i] = features[i].weight;
    const struct feature *f = &features[mock_rng_weighted(rng, fw, FEATURE_COUNT)];
    char *caller = g->caller, *called = g->called;
    g->spec = (struct huawei_call_spec){.callfeature = f->callfeature,
                                        .media_type = f->media_type,
                                        .media_ability = 1,
                                        .orgicallednum = "",
                                        .calldata = "",
                                        .device_no = agent->id,
                                        .device_type = 2,
                                        .vdn_id = agent->vdnid,
                                        .direct_mode = "RELEASE_DIRECT"};
    struct huawei_call_spec *c = &g->spec;
    const struct skill *skill = &outbound_skill;
    unsigned answer_pct = 70;
    if (f->kind == INBOUND) {
        skill = &inbound_skills[mock_rng_below(rng, 4)];
        mobile(rng, caller);
        snprintf(called, sizeof(g->called), "%s", access_codes[mock_rng_below(rng, 3)]);
        c->orgicallednum = mock_rng_below(rng, 3) == 0 ? "4008001234" : "";
        c->wait_time =
            mock_rng_below(rng, 4) ? mock_rng_range(rng, 0, 15) : mock_rng_range(rng, 16, 120);
        c->user_priority = mock_rng_below(rng, 10) == 0 ? mock_rng_range(rng, 1, 3) : 0;
        c->enter_reason = mock_rng_below(rng, 20) == 0 ? 1 : 0; /* now and then an overflow */
        answer_pct = 88;
    } else if (f->kind == OUTBOUND) {
        snprintf(caller, sizeof(g->caller), "%s", access_codes[mock_rng_below(rng, 3)]);
        mobile(rng, called);
    } else {
        /* Another agent's phone, or an extension of the same VDN when the agent is alone. */
        size_t n = agent_count;
        const struct huawei_agent *other =
            n > 1 ? &agents[(who + 1 + mock_rng_below(rng, n - 1)) % n] : NULL;
        skill = &inbound_skills[0];
        snprintf(caller, sizeof(g->caller), "%s", agent->phonenum);
        if (other)
            snprintf(called, sizeof(g->called), "%s", other->phonenum);
        else
            snprintf(called, sizeof(g->called), "7%04llu",
                     (unsigned long long)mock_rng_below(rng, 10000));
        answer_pct = 92;
    }
    c->callskill = skill->name;
    c->callskillid = skill->id;
    c->caller = caller;
    c->called = called;
    c->trunk_no = f->kind == INTERNAL ? 65535 : mock_rng_range(rng, 1, 120);
    c->logontimes = mock_rng_range(rng, 600, 28800);
    c->calldata = f->callfeature == 43 || f->callfeature == 44 ? "campaign=spring-renewal" : "";

    bool answered = mock_rng_below(rng, 100) < answer_pct;
    int64_t ring = mock_rng_range(rng, 2, answered ? 15 : 40);
    int64_t talk = !answered                     ? 0
                   : mock_rng_below(rng, 10) < 7 ? mock_rng_range(rng, 10, 180)
                                                 : mock_rng_range(rng, 181, 1500);
    c->begintime = start_s * 1000 + (int64_t)mock_rng_below(rng, 1000);
    c->wait_begin = c->begintime - c->wait_time * 1000;
    c->wait_end = c->answer_begin = c->begintime;
    c->answer_end = c->begintime + ring * 1000;
    c->talk_begin = answered ? c->answer_end : HUAWEI_NONE;
    c->talk_end = answered ? c->talk_begin + talk * 1000 : HUAWEI_NONE;
    c->endtime = answered ? c->talk_end : c->answer_end;
    if (answered)
        c->leave_reason = pick_outcome(rng, answered_outcomes, 4);
    else if (f->kind == INBOUND)
        c->leave_reason = pick_outcome(rng, missed_inbound, 2);
    else
        c->leave_reason = pick_outcome(rng, missed_outbound, 4);
    if (c->leave_reason == 17)
        c->direct_mode = "NORMAL_DIRECT"; /* transferred on: the device was left normally */
    /* The gateway's form: "<begin second>-<sequence>". */
    char *p = g->callid;
    int64_t begin_s = c->begintime / 1000;
    if (begin_s < 0) {
        *p++ = '-';
        begin_s = -begin_s;
    }
    p = put_digits(p, (uint64_t)begin_s);
    *p++ = '-';
    put_digits(p, seq);
    c->callid = g->callid;
    g->replay = replay;
    g->seq = seq;
    g->start_s = start_s;
    g->next_state = state.state;
}

bool huawei_generate_records(const struct huawei_agent *agents, size_t agent_count, int64_t n,
                             uint64_t seed, int64_t anchor, huawei_call_sink *sink, void *ctx,
                             char *err, size_t err_len)
{
    if (n == 0)
        return true;
    if (agent_count == 0) {
        snprintf(err, err_len, "cannot generate calls without agents in agents.json");
        return false;
    }
    struct mock_rng rng;
    mock_rng_seed(&rng, mock_rng_derive(seed, "huawei"));
    /* Start times first, sorted, so call sequence numbers grow with time as the gateway's do.
     * The last hour is left out: every generated call has ended by the anchor. */
    const int64_t span = 365LL * 86400;
    int64_t *starts = mock_rng_sorted_instants(&rng, n, anchor - span, (uint64_t)(span - 3600));
    if (!starts) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    bool ok = true;
    struct huawei_generated g;
    for (int64_t i = 0; i < n && ok; i++) {
        huawei_generate_again(agents, agent_count, rng.state, 100 + (uint64_t)i, starts[i], &g);
        /* Each call's draws advance the stream: step past them as drawing did. */
        rng.state = g.next_state;
        ok = sink(ctx, &g, err, err_len);
    }
    free(starts);
    return ok;
}
