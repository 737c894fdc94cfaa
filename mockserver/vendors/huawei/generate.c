/* Deterministic call history in the vendor's shape: the seed page's fields and trace, consistent
 * with themselves (a call the agent did not answer has no talk times; leave reasons fit the call
 * type; the callid starts with the call's begin second as the gateway's do). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

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

static void mobile(struct mock_rng *rng, char *out, size_t len)
{
    snprintf(out, len, "1%llu%09llu", (unsigned long long)mock_rng_range(rng, 3, 9),
             (unsigned long long)mock_rng_below(rng, 1000000000ULL));
}

static cJSON *one_call(const struct huawei_state *st, struct mock_rng *rng, uint64_t seq,
                       int64_t start_s)
{
    size_t who = (size_t)mock_rng_below(rng, st->agent_count);
    const struct huawei_agent *agent = &st->agents[who];
    unsigned fw[FEATURE_COUNT];
    for (size_t i = 0; i < FEATURE_COUNT; i++)
        fw[i] = features[i].weight;
    const struct feature *f = &features[mock_rng_weighted(rng, fw, FEATURE_COUNT)];
    char caller[32], called[32], callid[HUAWEI_CALLID_SIZE];
    struct huawei_call_spec c = {.callfeature = f->callfeature,
                                 .media_type = f->media_type,
                                 .media_ability = 1,
                                 .orgicallednum = "",
                                 .calldata = "",
                                 .device_no = agent->id,
                                 .device_type = 2,
                                 .vdn_id = agent->vdnid,
                                 .direct_mode = "RELEASE_DIRECT"};
    const struct skill *skill = &outbound_skill;
    unsigned answer_pct = 70;
    if (f->kind == INBOUND) {
        skill = &inbound_skills[mock_rng_below(rng, 4)];
        mobile(rng, caller, sizeof(caller));
        snprintf(called, sizeof(called), "%s", access_codes[mock_rng_below(rng, 3)]);
        c.orgicallednum = mock_rng_below(rng, 3) == 0 ? "4008001234" : "";
        c.wait_time =
            mock_rng_below(rng, 4) ? mock_rng_range(rng, 0, 15) : mock_rng_range(rng, 16, 120);
        c.user_priority = mock_rng_below(rng, 10) == 0 ? mock_rng_range(rng, 1, 3) : 0;
        c.enter_reason = mock_rng_below(rng, 20) == 0 ? 1 : 0; /* now and then an overflow */
        answer_pct = 88;
    } else if (f->kind == OUTBOUND) {
        snprintf(caller, sizeof(caller), "%s", access_codes[mock_rng_below(rng, 3)]);
        mobile(rng, called, sizeof(called));
    } else {
        /* Another agent's phone, or an extension of the same VDN when the agent is alone. */
        size_t n = st->agent_count;
        const struct huawei_agent *other =
            n > 1 ? &st->agents[(who + 1 + mock_rng_below(rng, n - 1)) % n] : NULL;
        skill = &inbound_skills[0];
        snprintf(caller, sizeof(caller), "%s", agent->phonenum);
        if (other)
            snprintf(called, sizeof(called), "%s", other->phonenum);
        else
            snprintf(called, sizeof(called), "7%04llu",
                     (unsigned long long)mock_rng_below(rng, 10000));
        answer_pct = 92;
    }
    c.callskill = skill->name;
    c.callskillid = skill->id;
    c.caller = caller;
    c.called = called;
    c.trunk_no = f->kind == INTERNAL ? 65535 : mock_rng_range(rng, 1, 120);
    c.logontimes = mock_rng_range(rng, 600, 28800);
    c.calldata = f->callfeature == 43 || f->callfeature == 44 ? "campaign=spring-renewal" : "";

    bool answered = mock_rng_below(rng, 100) < answer_pct;
    int64_t ring = mock_rng_range(rng, 2, answered ? 15 : 40);
    int64_t talk = !answered                     ? 0
                   : mock_rng_below(rng, 10) < 7 ? mock_rng_range(rng, 10, 180)
                                                 : mock_rng_range(rng, 181, 1500);
    c.begintime = start_s * 1000 + (int64_t)mock_rng_below(rng, 1000);
    c.wait_begin = c.begintime - c.wait_time * 1000;
    c.wait_end = c.answer_begin = c.begintime;
    c.answer_end = c.begintime + ring * 1000;
    c.talk_begin = answered ? c.answer_end : HUAWEI_NONE;
    c.talk_end = answered ? c.talk_begin + talk * 1000 : HUAWEI_NONE;
    c.endtime = answered ? c.talk_end : c.answer_end;
    if (answered)
        c.leave_reason = pick_outcome(rng, answered_outcomes, 4);
    else if (f->kind == INBOUND)
        c.leave_reason = pick_outcome(rng, missed_inbound, 2);
    else
        c.leave_reason = pick_outcome(rng, missed_outbound, 4);
    if (c.leave_reason == 17)
        c.direct_mode = "NORMAL_DIRECT"; /* transferred on: the device was left normally */
    snprintf(callid, sizeof(callid), "%lld-%llu", (long long)(c.begintime / 1000),
             (unsigned long long)seq);
    c.callid = callid;
    return huawei_call_object(&c);
}

bool huawei_generate_records(struct huawei_state *st, int64_t n, uint64_t seed, int64_t anchor,
                             char *err, size_t err_len)
{
    if (n == 0)
        return true;
    if (st->agent_count == 0) {
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
    for (int64_t i = 0; i < n && ok; i++) {
        cJSON *call = one_call(st, &rng, 100 + (uint64_t)i, starts[i]);
        ok = call ? huawei_ingest_record(st, call, err, err_len) : false;
        if (!call)
            snprintf(err, err_len, "out of memory");
        cJSON_Delete(call);
    }
    free(starts);
    return ok;
}
