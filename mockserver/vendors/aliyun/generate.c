/* Deterministic CallDetailRecords in the vendor's shape: the field order and types of the page's
 * example, and the page's notes on what each scenario lacks (no ring or queue times and no skill
 * group on outbound calls, no talk time when nobody answered, no agent before one was assigned,
 * transfer fields only on transfers). Absent fields are left out, as the service's JSON does.
 * A record is drawn into a struct and its JSON text written directly from it: no tree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../rng.h"
#include "cdrsim/timefmt.h"
#include "internal.h"

static const struct aliyun_group groups[] = {
    {123456, "自动化技能组"}, {100201, "售前咨询"}, {100202, "售后服务"},
    {100203, "会员专线"},     {100204, "投诉处理"},
};

static const struct aliyun_agent agents[] = {
    {"555555", "刘测试", 0}, {"600101", "张伟", 1}, {"600102", "王芳", 1}, {"600103", "李娜", 2},
    {"600104", "陈静", 2},   {"600105", "杨洋", 3}, {"600106", "赵磊", 3}, {"600107", "周敏", 4},
    {"600108", "吴强", 4},   {"600109", "孙丽", 0},
};

static const char *const hotlines[] = {"057177880001", "057177880002", "4008109988"};
static const char *const trunks[] = {"18611110001", "18611110002", "057177880000"};
static const char *const member_names[] = {"钱先生", "郑女士", "冯先生", "何女士", "许先生"};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define CUSTOMERS 80

/* Appends without printf: these run for every generated record. */
static void put(struct cdr_buf *b, const char *text)
{
    cdr_buf_append(b, text, strlen(text));
}

/* ,"key":"value" for a value known to need no escaping (the tables' texts, digits, ids). */
static void put_text(struct cdr_buf *b, const char *key, const char *value)
{
    if (!value)
        return;
    put(b, key);
    put(b, value);
    cdr_buf_append(b, "\"", 1);
}

static void put_time(struct cdr_buf *b, const char *key, int64_t t)
{
    if (t < 0)
        return;
    char text[20];
    cdr_time_format_local(t, CDR_CHINA_OFFSET_SECONDS, text);
    put(b, key);
    cdr_buf_append(b, text, 19);
    cdr_buf_append(b, "\"", 1);
}

static void put_int(struct cdr_buf *b, const char *key, int64_t v)
{
    put(b, key);
    cdr_buf_int(b, v);
}

static void put_seconds(struct cdr_buf *b, const char *key, int64_t from, int64_t to)
{
    if (from >= 0 && to >= from)
        put_int(b, key, to - from);
}

/* The field order of the page's example; byte for byte what cJSON_PrintUnformatted wrote for
 * the tree this generator used to build. The first member (CallResult) is always there. */
bool aliyun_generate_render(const struct aliyun_generated *c, struct cdr_buf *b)
{
    char role[2] = {(char)('0' + c->hang_up_role), '\0'};
    put(b, "{\"CallResult\":\"");
    put(b, c->call_result);
    cdr_buf_append(b, "\"", 1);
    put_text(b, ",\"TrunkCall\":\"", c->trunk);
    put_text(b, ",\"ServicerName\":\"", c->agent ? c->agent->name : NULL);
    put_time(b, ",\"OutQueueTime\":\"", c->out_queue);
    put_seconds(b, ",\"CallContinueTime\":", c->pick_up, c->hang_up);
    put_time(b, ",\"CreateTime\":\"", c->created);
    put_time(b, ",\"PickUpTime\":\"", c->pick_up);
    put_seconds(b, ",\"RingContinueTime\":", c->ring_start, c->ring_end);
    put_text(b, ",\"CalledNumber\":\"", c->called);
    put_text(b, ",\"ServicerId\":\"", c->agent ? c->agent->id : NULL);
    put_time(b, ",\"HangUpTime\":\"", c->hang_up);
    if (c->evaluation_level)
        put_int(b, ",\"EvaluationLevel\":", c->evaluation_level);
    put_text(b, ",\"PassiveTransferId\":\"", c->passive_transfer_id);
    put_text(b, ",\"ActiveTransferId\":\"", c->active_transfer_id);
    put_text(b, ",\"HangUpRole\":\"", c->hang_up_role ? role : NULL);
    put_text(b, ",\"PassiveTransferIdType\":\"", c->passive_transfer_type);
    put_text(b, ",\"MemberName\":\"", c->member_name);
    if (c->evaluation_score)
        put_int(b, ",\"EvaluationScore\":", c->evaluation_score);
    put_text(b, ",\"Acid\":\"", c->acid);
    put_time(b, ",\"RingStartTime\":\"", c->ring_start);
    put_int(b, ",\"CallType\":", c->call_type);
    put_text(b, ",\"GroupName\":\"", c->group ? c->group->name : NULL);
    if (c->group)
        put_int(b, ",\"GroupId\":", c->group->id);
    put_time(b, ",\"RingEndTime\":\"", c->ring_end);
    put_time(b, ",\"InQueueTime\":\"", c->in_queue);
    put_text(b, ",\"CallingNumber\":\"", c->calling);
    put_text(b, ",\"MemberId\":\"", c->member_id);
    put_seconds(b, ",\"QueueUpContinueTime\":", c->in_queue,
                c->out_queue >= 0 ? c->out_queue : c->hang_up);
    put_text(b, ",\"Id\":\"", c->id);
    return cdr_buf_append(b, "}", 1);
}

static void evaluate(struct mock_rng *rng, struct aliyun_generated *c)
{
    if (mock_rng_below(rng, 10) >= 6)
        return;
    c->evaluation_level = mock_rng_below(rng, 10) < 7 ? 5 : 3;
    static const unsigned weights[] = {1, 1, 2, 4, 6};
    c->evaluation_score = 1 + (int)mock_rng_weighted(rng, weights, (size_t)c->evaluation_level);
}

/* Customer calls in: IVR, queue, ringing an agent, talk. */
static void inbound(struct mock_rng *rng, struct aliyun_generated *c, const char *customer,
                    bool answered)
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
static void outbound(struct mock_rng *rng, struct aliyun_generated *c, const char *customer)
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
static void transfer(struct mock_rng *rng, struct aliyun_generated *c, const char *customer)
{
    inbound(rng, c, customer, true); /* only answered calls are transferred */
    c->call_type = 3;
    c->call_result = mock_rng_below(rng, 2) ? "transferAgent" : "normal";
    c->active_transfer_id = c->agent->id;
    if (mock_rng_below(rng, 3)) {
        /* Any agent but the one handing over. */
        size_t from = (size_t)(c->agent - agents);
        const struct aliyun_agent *to =
            &agents[(from + 1 + mock_rng_below(rng, ARRAY_LEN(agents) - 1)) % ARRAY_LEN(agents)];
        c->passive_transfer_id = to->id;
        c->passive_transfer_type = "1";
    } else {
        c->passive_transfer_id = trunks[mock_rng_below(rng, ARRAY_LEN(trunks))];
        c->passive_transfer_type = "2";
    }
}

static void one_record(struct mock_rng *rng, int64_t start, const char customers[][12],
                       const char member_ids[][8], struct aliyun_generated *out)
{
    struct aliyun_generated c;
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
    *out = c;
}

bool aliyun_generate_records(int64_t n, uint64_t seed, int64_t anchor, aliyun_generated_sink *emit,
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
    struct aliyun_generated g;
    for (int64_t i = 0; i < n && ok; i++) {
        one_record(&rng, starts[i], (const char(*)[12])customers, (const char(*)[8])member_ids, &g);
        ok = emit(user, &g, err, err_len);
    }
    free(starts);
    return ok;
}
