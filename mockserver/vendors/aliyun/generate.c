/* Deterministic CallDetailRecords in the vendor's shape: the field order and types of the page's
 * example, and the page's notes on what each scenario lacks (no ring or queue times and no skill
 * group on outbound calls, no talk time when nobody answered, no agent before one was assigned,
 * transfer fields only on transfers). Absent fields are left out, as the service's JSON does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../rng.h"
#include "cdrsim/timefmt.h"
#include "internal.h"

struct group {
    int64_t id;
    const char *name;
};

static const struct group groups[] = {
    {123456, "自动化技能组"}, {100201, "售前咨询"}, {100202, "售后服务"},
    {100203, "会员专线"},     {100204, "投诉处理"},
};

struct agent {
    const char *id;
    const char *name;
    size_t group;
};

static const struct agent agents[] = {
    {"555555", "刘测试", 0}, {"600101", "张伟", 1}, {"600102", "王芳", 1}, {"600103", "李娜", 2},
    {"600104", "陈静", 2},   {"600105", "杨洋", 3}, {"600106", "赵磊", 3}, {"600107", "周敏", 4},
    {"600108", "吴强", 4},   {"600109", "孙丽", 0},
};

static const char *const hotlines[] = {"057177880001", "057177880002", "4008109988"};
static const char *const trunks[] = {"18611110001", "18611110002", "057177880000"};
static const char *const member_names[] = {"钱先生", "郑女士", "冯先生", "何女士", "许先生"};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define CUSTOMERS 80

/* The record being built: every field the page lists, NULL/-1 when the scenario has none. */
struct call {
    const char *call_result;
    const char *trunk;
    const struct agent *agent;
    int64_t created, in_queue, out_queue, ring_start, ring_end, pick_up, hang_up;
    const char *calling, *called;
    int evaluation_level, evaluation_score;
    const char *passive_transfer_id, *active_transfer_id, *passive_transfer_type;
    int hang_up_role; /* 0 = unknown */
    const char *member_id, *member_name;
    char acid[16];
    int call_type;
    const struct group *group;
    char id[32];
};

static void add_time(cJSON *r, const char *key, int64_t t)
{
    if (t < 0)
        return;
    char text[20];
    cdr_time_format_local(t, CDR_CHINA_OFFSET_SECONDS, text);
    cJSON_AddStringToObject(r, key, text);
}

static void add_text(cJSON *r, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(r, key, value);
}

static void add_seconds(cJSON *r, const char *key, int64_t from, int64_t to)
{
    if (from >= 0 && to >= from)
        cJSON_AddNumberToObject(r, key, (double)(to - from));
}

/* Field order of the page's example. */
static cJSON *to_json(const struct call *c)
{
    cJSON *r = cJSON_CreateObject();
    if (!r)
        return NULL;
    char role[2] = {(char)('0' + c->hang_up_role), '\0'};
    add_text(r, "CallResult", c->call_result);
    add_text(r, "TrunkCall", c->trunk);
    add_text(r, "ServicerName", c->agent ? c->agent->name : NULL);
    add_time(r, "OutQueueTime", c->out_queue);
    add_seconds(r, "CallContinueTime", c->pick_up, c->hang_up);
    add_time(r, "CreateTime", c->created);
    add_time(r, "PickUpTime", c->pick_up);
    add_seconds(r, "RingContinueTime", c->ring_start, c->ring_end);
    add_text(r, "CalledNumber", c->called);
    add_text(r, "ServicerId", c->agent ? c->agent->id : NULL);
    add_time(r, "HangUpTime", c->hang_up);
    if (c->evaluation_level)
        cJSON_AddNumberToObject(r, "EvaluationLevel", c->evaluation_level);
    add_text(r, "PassiveTransferId", c->passive_transfer_id);
    add_text(r, "ActiveTransferId", c->active_transfer_id);
    add_text(r, "HangUpRole", c->hang_up_role ? role : NULL);
    add_text(r, "PassiveTransferIdType", c->passive_transfer_type);
    add_text(r, "MemberName", c->member_name);
    if (c->evaluation_score)
        cJSON_AddNumberToObject(r, "EvaluationScore", c->evaluation_score);
    add_text(r, "Acid", c->acid);
    add_time(r, "RingStartTime", c->ring_start);
    cJSON_AddNumberToObject(r, "CallType", c->call_type);
    add_text(r, "GroupName", c->group ? c->group->name : NULL);
    if (c->group)
        cJSON_AddNumberToObject(r, "GroupId", (double)c->group->id);
    add_time(r, "RingEndTime", c->ring_end);
    add_time(r, "InQueueTime", c->in_queue);
    add_text(r, "CallingNumber", c->calling);
    add_text(r, "MemberId", c->member_id);
    add_seconds(r, "QueueUpContinueTime", c->in_queue,
                c->out_queue >= 0 ? c->out_queue : c->hang_up);
    add_text(r, "Id", c->id);
    return r;
}

static void evaluate(struct mock_rng *rng, struct call *c)
{
    if (mock_rng_below(rng, 10) >= 6)
        return;
    c->evaluation_level = mock_rng_below(rng, 10) < 7 ? 5 : 3;
    static const unsigned weights[] = {1, 1, 2, 4, 6};
    c->evaluation_score = 1 + (int)mock_rng_weighted(rng, weights, (size_t)c->evaluation_level);
}

/* Customer calls in: IVR, queue, ringing an agent, talk. */
static void inbound(struct mock_rng *rng, struct call *c, const char *customer, bool answered)
{
    c->call_type = 2;
    c->calling = customer;
    c->called = hotlines[mock_rng_below(rng, ARRAY_LEN(hotlines))];
    unsigned weights[] = {75, 10, 8, 7}; /* answered, left the queue, not picked up, IVR only */
    size_t outcome = answered ? 0 : mock_rng_weighted(rng, weights, ARRAY_LEN(weights));
    int64_t t = c->created;
    if (outcome == 3) {
        bool by_user = mock_rng_below(rng, 3) != 0;
        c->call_result = by_user ? "userHangup" : "sysHangup";
        c->hang_up = t + mock_rng_range(rng, 3, 60);
        c->hang_up_role = by_user ? 2 : 1;
        return;
    }
    c->agent = &agents[mock_rng_below(rng, ARRAY_LEN(agents))];
    c->group = &groups[c->agent->group];
    c->in_queue = t;
    if (outcome == 1) {
        static const char *const lost[] = {"touchInQueue", "touchInLoss", "touchRouteError"};
        c->call_result = lost[mock_rng_below(rng, ARRAY_LEN(lost))];
        c->agent = NULL; /* nobody was assigned */
        c->hang_up = t + mock_rng_range(rng, 5, 180);
        c->hang_up_role = 2;
        return;
    }
    c->out_queue = c->ring_start = t + mock_rng_range(rng, 0, 45);
    if (outcome == 2) {
        c->call_result = mock_rng_below(rng, 2) ? "TouchRingCallLoss" : "dailing";
        c->ring_end = c->hang_up = c->ring_start + mock_rng_range(rng, 5, 30);
        c->hang_up_role = mock_rng_below(rng, 2) ? 2 : 1;
        return;
    }
    c->call_result = "normal";
    c->ring_end = c->pick_up = c->ring_start + mock_rng_range(rng, 2, 20);
    c->hang_up = c->pick_up + (mock_rng_below(rng, 10) < 7 ? mock_rng_range(rng, 10, 240)
                                                           : mock_rng_range(rng, 241, 1800));
    c->hang_up_role = mock_rng_below(rng, 20) == 0 ? 0 : mock_rng_below(rng, 2) ? 2 : 3;
    evaluate(rng, c);
}

/* An agent dials out: no ringing, queue or skill group recorded. */
static void outbound(struct mock_rng *rng, struct call *c, const char *customer)
{
    c->call_type = 1;
    c->agent = &agents[mock_rng_below(rng, ARRAY_LEN(agents))];
    c->calling = hotlines[mock_rng_below(rng, ARRAY_LEN(hotlines))];
    c->called = customer;
    if (mock_rng_below(rng, 100) < 65) {
        c->call_result = "normal";
        c->pick_up = c->created + mock_rng_range(rng, 4, 25);
        c->hang_up = c->pick_up + mock_rng_range(rng, 8, 900);
        c->hang_up_role = mock_rng_below(rng, 2) ? 2 : 3;
    } else {
        c->call_result = "dailing";
        c->hang_up = c->created + mock_rng_range(rng, 5, 45);
        c->hang_up_role = 3;
    }
}

/* An answered inbound call handed on to another agent or to a phone number. */
static void transfer(struct mock_rng *rng, struct call *c, const char *customer)
{
    inbound(rng, c, customer, true); /* only answered calls are transferred */
    c->call_type = 3;
    c->call_result = mock_rng_below(rng, 2) ? "transferAgent" : "normal";
    c->active_transfer_id = c->agent->id;
    if (mock_rng_below(rng, 3)) {
        /* Any agent but the one handing over. */
        size_t from = (size_t)(c->agent - agents);
        const struct agent *to =
            &agents[(from + 1 + mock_rng_below(rng, ARRAY_LEN(agents) - 1)) % ARRAY_LEN(agents)];
        c->passive_transfer_id = to->id;
        c->passive_transfer_type = "1";
    } else {
        c->passive_transfer_id = trunks[mock_rng_below(rng, ARRAY_LEN(trunks))];
        c->passive_transfer_type = "2";
    }
}

static cJSON *one_record(struct mock_rng *rng, int64_t start, char customers[][12],
                         char member_ids[][8])
{
    struct call c;
    memset(&c, 0, sizeof(c));
    c.created = start;
    c.in_queue = c.out_queue = c.ring_start = c.ring_end = c.pick_up = c.hang_up = -1;
    c.trunk = trunks[mock_rng_below(rng, ARRAY_LEN(trunks))];
    size_t who = (size_t)mock_rng_below(rng, CUSTOMERS);
    const char *customer = customers[who];
    c.member_id = member_ids[who];
    c.member_name = who % 4 ? "匿名会员" : member_names[who / 4 % ARRAY_LEN(member_names)];
    snprintf(c.acid, sizeof(c.acid), "%llu",
             (unsigned long long)mock_rng_range(rng, 1000000000LL, 9999999999LL));
    char hex[24];
    mock_rng_hex(rng, hex, 23, 0);
    snprintf(c.id, sizeof(c.id), "acc%s", hex);
    unsigned weights[] = {30, 60, 10}; /* outbound, inbound, transfer */
    switch (mock_rng_weighted(rng, weights, 3)) {
    case 0:
        outbound(rng, &c, customer);
        break;
    case 1:
        inbound(rng, &c, customer, false);
        break;
    default:
        transfer(rng, &c, customer);
        break;
    }
    return to_json(&c);
}

bool aliyun_generate_records(int64_t n, uint64_t seed, int64_t anchor,
                             bool (*emit)(void *user, const cJSON *record, char *err,
                                          size_t err_len),
                             void *user, char *err, size_t err_len)
{
    if (n == 0)
        return true;
    struct mock_rng rng;
    mock_rng_seed(&rng, mock_rng_derive(seed, "aliyun"));
    /* A fixed pool of callers, so number and member filters find more than one call. */
    char customers[CUSTOMERS][12], member_ids[CUSTOMERS][8];
    static const char prefixes[] = "35789";
    for (size_t i = 0; i < CUSTOMERS; i++) {
        /* One draw per statement: argument evaluation order is the compiler's choice. This order
         * is the one the committed fixtures were generated with. */
        unsigned long long rest = mock_rng_below(&rng, 1000000000ULL);
        char second = prefixes[mock_rng_below(&rng, 5)];
        snprintf(customers[i], sizeof(customers[i]), "1%c%09llu", second, rest);
        snprintf(member_ids[i], sizeof(member_ids[i]), "%07llu",
                 (unsigned long long)mock_rng_range(&rng, 1000000, 9999999));
    }
    const int64_t span = 365LL * 86400;
    int64_t *starts = mock_rng_sorted_instants(&rng, n, anchor - span, (uint64_t)span);
    if (!starts) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    bool ok = true;
    /* One record at a time: a million records never exist as one JSON tree. */
    for (int64_t i = 0; i < n && ok; i++) {
        cJSON *r = one_record(&rng, starts[i], customers, member_ids);
        ok = r ? emit(user, r, err, err_len) : false;
        if (!r)
            snprintf(err, err_len, "out of memory");
        cJSON_Delete(r);
    }
    free(starts);
    return ok;
}
