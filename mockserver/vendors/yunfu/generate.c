/* Deterministic Yunfu call records in the vendor's exact shape (field order and types of the seed
 * page's example), consistent with themselves: an AI dialogue of alternating speech-recognition and
 * playback rows whose timings add up to the call's bill (talk) and duration (dial-to-hang-up),
 * a score that is the sum of the answers' scores, an intention derived from it, and who hung up
 * from how the dialogue ended. Unanswered calls have no answer time, no dialogue and no score. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../fileio.h"
#include "../../rng.h"
#include "cdrsim/timefmt.h"
#include "internal.h"
#include "json_type.h"

/* One answer of the speech script: what the AI plays when the customer's words hit its keywords. */
struct answer {
    const char *text;
    const char *content;
    const char *keyword;
    const char *word_class;
    int action; /* 0 continue, 2 hang up, 3 transfer to a person */
    int score;
};

enum { OPENING, POSITIVE, PRICE, ADDRESS, BUSY, REFUSE, HANG_UP, FALLBACK, TRANSFER, ANSWER_COUNT };

static const struct answer answers[ANSWER_COUNT] = {
    [OPENING] =
        {"开场白",
         "您好,打扰您一分钟,我们最近推出了周末双人同行一人免单的活动,请问您有兴趣了解一下吗?", NULL,
         NULL, 0, 0},
    [POSITIVE] = {"肯定回答",
                  "好的,那我简单给您介绍一下,活动期间新客首单立减五十元,周末还有双人同行一人免单。",
                  "好的,可以,方便,你说", "1", 0, 300},
    [PRICE] = {"询问价格",
               "价格方面您放心,单人场次六十八元起,新客首单立减五十元,具体可以到店咨询。",
               "多少钱,价格,贵不贵", "1", 0, 200},
    [ADDRESS] = {"地址询问", "我们店在市中心万达广场三楼,地铁口出来就到,停车也很方便。",
                 "在哪,地址,位置", "1", 0, 200},
    [BUSY] = {"在忙", "不好意思打扰您了,那我稍后加您微信发一下活动详情,您有空再看可以吗?",
              "在忙,没空,开会", "1", 0, 50},
    [REFUSE] = {"拒绝", "好的,那就不打扰您了,祝您生活愉快,再见。", "不需要,不用了,没兴趣", "1", 2,
                0},
    [HANG_UP] = {"结束语挂断", "结束语挂断结束语挂断结束语挂断", "挂了,挂了吧", "1", 2, 1000},
    [FALLBACK] = {"未识别兜底", "不好意思,刚才没有听清楚,您是说有兴趣了解一下吗?", NULL, "2", 0, 0},
    [TRANSFER] = {"转人工", "好的,这就为您转接人工客服,请稍等。", "人工,转人工,真人", "1", 3, 500},
};

struct utterance {
    const char *text;
    int answer;
};

static const struct utterance utterances[] = {
    {"好的,你说吧。", POSITIVE}, {"可以,方便的。", POSITIVE}, {"嗯,你说。", POSITIVE},
    {"多少钱啊?", PRICE},        {"贵不贵?", PRICE},          {"你们在哪里?", ADDRESS},
    {"地址在哪?", ADDRESS},      {"我现在在忙。", BUSY},      {"在开会,晚点说。", BUSY},
    {"不需要,谢谢。", REFUSE},   {"没兴趣。", REFUSE},        {"挂了吧。", HANG_UP},
    {"喂?喂?", FALLBACK},        {"嗯。", FALLBACK},          {"有没有人工?", TRANSFER},
};
#define UTTERANCE_COUNT (sizeof(utterances) / sizeof(utterances[0]))

struct person {
    const char *name;
    int gender; /* 0 unknown, 1 female, 2 male */
};
static const struct person people[] = {
    {"张伟", 2}, {"王芳", 1}, {"李娜", 1}, {"刘洋", 2}, {"陈静", 1}, {"杨帆", 2},
    {"赵磊", 2}, {"黄丽", 1}, {"周杰", 2}, {"吴敏", 1}, {"徐强", 2}, {"孙悦", 1},
    {"马超", 2}, {"朱琳", 1}, {"", 0},     {"", 0},
};
static const char *const companies[] = {"",
                                        "",
                                        "诡事屋剧本推理社",
                                        "蚌埠市一品装饰工程有限公司",
                                        "合肥星辰教育咨询有限公司",
                                        "杭州云栖网络科技有限公司",
                                        "个体经营"};

struct carrier {
    const char *name;
    const char *const *prefixes;
    size_t prefix_count;
};
static const char *const telecom[] = {"133", "153", "173", "177", "180", "181", "189"};
static const char *const unicom[] = {"130", "131", "132", "155", "156", "185", "186"};
static const char *const mobile[] = {"134", "135", "136", "137", "138", "139", "150", "151",
                                     "152", "157", "158", "159", "182", "183", "187", "188"};
static const struct carrier carriers[4] = {
    {"", NULL, 0},
    {"电信", telecom, 7},
    {"联通", unicom, 7},
    {"移动", mobile, 16}, /* operator 1..3 */
};

struct failure {
    const char *cause;
    unsigned weight;
};
static const struct failure failures[] = {
    {"NO_ANSWER", 45},     {"USER_BUSY", 20},         {"NO_USER_RESPONSE", 10},
    {"CALL_REJECTED", 10}, {"UNALLOCATED_NUMBER", 8}, {"NORMAL_TEMPORARY_FAILURE", 7},
};
#define FAILURE_COUNT (sizeof(failures) / sizeof(failures[0]))

/* ---- regions --------------------------------------------------------------------------------- */

static const cJSON *region_by_id(const cJSON *list, int64_t id)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, list) {
        const cJSON *rid = cJSON_GetObjectItemCaseSensitive(r, "id");
        if (cJSON_IsNumber(rid) && cdr__json_int64(rid, 0) == id)
            return r;
    }
    return NULL;
}

/* The index of the first region of that id, or SIZE_MAX. */
static size_t find_region(const struct yunfu_region *list, size_t count, int64_t id)
{
    for (size_t i = 0; i < count; i++)
        if (list[i].id == id)
            return i;
    return SIZE_MAX;
}

static bool copy_regions(const cJSON *list, const cJSON *provinces, struct yunfu_region **out,
                         size_t *count)
{
    size_t n = (size_t)cJSON_GetArraySize(list);
    if (!(*out = calloc(n, sizeof(**out))))
        return false;
    const cJSON *r;
    cJSON_ArrayForEach(r, list) {
        struct yunfu_region *g = &(*out)[(*count)++];
        g->id = cdr__json_int64(cJSON_GetObjectItemCaseSensitive(r, "id"), 0);
        if (provinces) {
            const cJSON *pid = cJSON_GetObjectItemCaseSensitive(r, "pid");
            const cJSON *p = region_by_id(provinces, cdr__json_int64(pid, 0)), *q;
            cJSON_ArrayForEach(q, provinces) {
                if (q == p)
                    break;
                g->province++;
            }
        }
        if (!(g->json = cJSON_PrintUnformatted(r)))
            return false;
        g->json_len = strlen(g->json);
    }
    return true;
}

bool yunfu_regions_load(struct yunfu_regions *rg, const char *dir, char *err, size_t err_len)
{
    *rg = (struct yunfu_regions){0};
    cJSON *root = mock_load_json(dir, "regions.json", err, err_len);
    if (!root)
        return false;
    const cJSON *provinces = cJSON_GetObjectItemCaseSensitive(root, "provinces");
    const cJSON *cities = cJSON_GetObjectItemCaseSensitive(root, "cities");
    bool ok = cJSON_GetArraySize(provinces) > 0 && cJSON_GetArraySize(cities) > 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, (ok ? cities : NULL)) {
        const cJSON *pid = cJSON_GetObjectItemCaseSensitive(c, "pid");
        ok = ok && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(c, "id")) &&
             cJSON_IsNumber(pid) && region_by_id(provinces, cdr__json_int64(pid, 0));
    }
    cJSON_ArrayForEach(c, (ok ? provinces : NULL))
        ok = ok && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(c, "id"));
    if (!ok)
        snprintf(err, err_len,
                 "regions.json: needs non-empty \"provinces\" and \"cities\" with integer ids, "
                 "each city's pid a province");
    else if (!copy_regions(provinces, NULL, &rg->provinces, &rg->province_count) ||
             !copy_regions(cities, provinces, &rg->cities, &rg->city_count)) {
        snprintf(err, err_len, "out of memory");
        ok = false;
    }
    cJSON_Delete(root);
    return ok;
}

void yunfu_regions_free(struct yunfu_regions *rg)
{
    for (size_t i = 0; i < rg->province_count; i++)
        free(rg->provinces[i].json);
    for (size_t i = 0; i < rg->city_count; i++)
        free(rg->cities[i].json);
    free(rg->provinces);
    free(rg->cities);
    *rg = (struct yunfu_regions){0};
}

/* ---- who is called --------------------------------------------------------------------------- */

/* What one call is about: the task, and who was called. */
struct callee {
    char number[16];
    const char *name, *company;
    char customer_id[37];
    int gender, operator_id;
    const struct yunfu_region *province, *city;
};

struct slot {
    size_t task;
    size_t customer; /* SIZE_MAX: a customer made up for this call */
};

static void pick_callee(struct mock_rng *rng, const struct yunfu_regions *rg,
                        const struct yunfu_task *task, size_t customer, struct callee *c)
{
    if (customer != SIZE_MAX) {
        const struct yunfu_customer *k = &task->customers[customer];
        snprintf(c->number, sizeof(c->number), "%s", k->callee);
        c->name = k->name;
        c->company = k->company;
        snprintf(c->customer_id, sizeof(c->customer_id), "%s", k->customer_id);
        c->gender = (int)k->gender;
        c->operator_id = k->operator_id >= 1 && k->operator_id <= 3 ? (int)k->operator_id : 1;
        size_t city = find_region(rg->cities, rg->city_count, k->city_id);
        size_t province = find_region(rg->provinces, rg->province_count, k->province_id);
        if (city != SIZE_MAX && province != SIZE_MAX) {
            c->city = &rg->cities[city];
            c->province = &rg->provinces[province];
            return;
        }
    } else {
        const struct person *p = &people[mock_rng_below(rng, sizeof(people) / sizeof(people[0]))];
        c->name = p->name;
        c->gender = p->gender;
        c->company = companies[mock_rng_below(rng, sizeof(companies) / sizeof(companies[0]))];
        mock_rng_uuid(rng, c->customer_id);
        c->operator_id = (int)mock_rng_range(rng, 1, 3);
        const struct carrier *op = &carriers[c->operator_id];
        /* One draw per statement: the order of draws inside one call's arguments is up to the
         * compiler, and the same seed must give the same records everywhere. */
        unsigned long long subscriber = mock_rng_below(rng, 100000000ULL);
        const char *prefix = op->prefixes[mock_rng_below(rng, op->prefix_count)];
        snprintf(c->number, sizeof(c->number), "%s%08llu", prefix, subscriber);
    }
    c->city = &rg->cities[mock_rng_below(rng, rg->city_count)];
    c->province = &rg->provinces[c->city->province];
}

/* ---- JSON text, written as cJSON_PrintUnformatted writes a tree ------------------------------ */

/* Every writer does nothing when b is NULL: loading draws each record without keeping its text. */

static void put(struct cdr_buf *b, const char *text)
{
    if (b)
        cdr_buf_puts(b, text);
}

/* A string with cJSON's escapes (\b and \f short, other controls \u00xx), or null. */
static void put_str(struct cdr_buf *b, const char *text)
{
    if (b)
        cdr_buf_json_string(b, text); /* cJSON's escapes; NULL is null */
}

/* A number as cJSON prints a double holding the integer v. */
static void put_int(struct cdr_buf *b, int64_t v)
{
    if (!b)
        return;
    if (v > -1000000000000000LL && v < 1000000000000000LL) /* %1.15g writes these digit for digit */
        cdr_buf_int(b, v);
    else
        cdr_buf_printf(b, "%1.15g", (double)v);
}

/* A wall-clock time of the vendor (UTC+8) from Unix milliseconds; ms < 0 writes null. */
static void put_time(struct cdr_buf *b, int64_t ms)
{
    if (!b)
        return;
    if (ms < 0) {
        cdr_buf_append(b, "null", 4);
        return;
    }
    char text[20];
    cdr_time_format_local(ms / 1000, CDR_CHINA_OFFSET_SECONDS, text);
    cdr_buf_append(b, "\"", 1);
    cdr_buf_append(b, text, 19);
    cdr_buf_append(b, "\"", 1);
}

/* millionths / 1e6 as cJSON prints that double (%1.15g: the decimal digits, trailing zeros cut). */
static void put_millionths(struct cdr_buf *b, int64_t millionths)
{
    if (!b)
        return;
    cdr_buf_int(b, millionths / 1000000);
    int64_t frac = millionths % 1000000;
    if (!frac)
        return;
    char digits[8] = ".000000";
    for (int i = 6; i >= 1; i--, frac /= 10)
        digits[i] = (char)('0' + frac % 10);
    size_t len = 7;
    while (digits[len - 1] == '0')
        len--;
    cdr_buf_append(b, digits, len);
}

/* A uuid that is the same for the same label: script answers and quality levels are configuration
 * of an account, not of a call. */
static void stable_uuid(const char *label, char out[37])
{
    struct mock_rng rng;
    mock_rng_seed(&rng, mock_rng_derive(0x79756e6675ULL, label));
    mock_rng_uuid(&rng, out);
}

/* ---- the dialogue ---------------------------------------------------------------------------- */

struct call {
    const struct yunfu_task *task;
    const char *user_id;
    struct callee who;
    char id[37], callid[37];
    int64_t call_ms, answer_ms, hangup_ms; /* answer_ms < 0: not answered */
    int64_t rounds, score;
    int disposition;                          /* 1 AI, 2 customer, 0 nobody (not answered) */
    int64_t bridge_call_ms, bridge_answer_ms; /* < 0: no transfer / not answered */
    char bridge_number[16];
};

/* One row of the dialogue, kept until the rows are sorted by id. */
struct row {
    char id[37];
    int answer;           /* what the AI played; -1: what the customer said (a recognition row) */
    const char *question; /* the customer's words (a recognition row, or the answer's cue) */
    int64_t index, played_ms, record_ms, elapse_ms, volume, sequence, at_ms;
};

static void row_head(struct cdr_buf *b, const struct call *c, const struct row *r,
                     const char *notify)
{
    put(b, "{\"id\":");
    put_str(b, r->id);
    put(b, ",\"record_id\":");
    put_str(b, c->id);
    put(b, ",\"task_id\":");
    put_str(b, c->task->id);
    put(b, ",\"notify\":");
    put_str(b, notify);
    put(b, ",\"callid\":");
    put_str(b, c->callid);
    put(b, ",\"error_code\":0");
}

static void row_tail(struct cdr_buf *b, const struct call *c, const struct row *r, int64_t score,
                     bool recognised)
{
    put(b, ",\"playback_after_action\":0,\"upstream_answer_action\":null,"
           "\"upstream_answer_content\":null,\"upstream_answer_text\":null,"
           "\"upstream_answer_id\":null,\"score\":");
    put_int(b, score);
    put(b, ",\"sequence\":");
    put_int(b, r->sequence);
    put(b, ",\"created_at\":");
    put_time(b, r->at_ms);
    put(b, ",\"updated_at\":");
    put_time(b, r->at_ms);
    put(b,
        recognised ? ",\"bridge_status\":0,\"user_id\":" : ",\"bridge_status\":null,\"user_id\":");
    put_str(b, c->user_id);
    put(b, ",\"is_regular\":0,\"expression\":null,\"tags\":[]}");
}

/* What the customer said, as speech recognition reported it. */
static void write_asr_row(struct cdr_buf *b, const struct call *c, const struct row *r)
{
    row_head(b, c, r, "asrprogress_notify");
    put(b, ",\"asrtype\":\"aliyunv2\",\"callee\":");
    put_str(b, c->who.number);
    put(b, ",\"gender\":0,\"asr_elapse\":");
    put_int(b, r->elapse_ms);
    put(b, ",\"record_ms\":");
    put_int(b, r->record_ms);
    put(b, ",\"volume_gain\":");
    put_millionths(b, r->volume);
    put(b, ",\"question\":");
    put_str(b, r->question);
    put(b, ",\"split_question\":null,\"question_index\":");
    put_int(b, r->index);
    put(b, ",\"speak_ms\":0,\"play_ms\":");
    put_int(b, r->played_ms);
    put(b, ",\"keyword\":null,\"answer_id\":null,\"answer_text\":null,\"answer_content\":null,"
           "\"word_class\":null,\"answer_action\":null");
    row_tail(b, c, r, 0, true);
}

/* What the AI played in answer; the opening line is an "enter" row with an empty question and
 * keyword, as the detail page's example opens. */
static void write_playback_row(struct cdr_buf *b, const struct call *c, const struct row *r)
{
    const struct answer *a = &answers[r->answer];
    bool enter = r->answer == OPENING;
    row_head(b, c, r, enter ? "enter" : "playback_result");
    put(b, ",\"asrtype\":null,\"callee\":");
    put_str(b, c->who.number);
    put(b, ",\"gender\":null,\"asr_elapse\":null,\"record_ms\":null,\"volume_gain\":null,"
           "\"question\":");
    put_str(b, enter ? "" : r->question);
    put(b, ",\"split_question\":null,\"question_index\":0,\"speak_ms\":0,\"play_ms\":0,"
           "\"keyword\":");
    put_str(b, enter ? "" : a->keyword);
    char answer_id[37], label[96];
    snprintf(label, sizeof(label), "answer/%lld/%d", (long long)c->task->group_id, r->answer);
    stable_uuid(label, answer_id);
    put(b, ",\"answer_id\":");
    put_str(b, answer_id);
    put(b, ",\"answer_text\":");
    put_str(b, a->text);
    put(b, ",\"answer_content\":");
    put_str(b, a->content);
    put(b, ",\"word_class\":");
    put_str(b, a->word_class);
    put(b, ",\"answer_action\":");
    if (enter)
        put(b, "null");
    else
        put_int(b, a->action);
    row_tail(b, c, r, a->score, false);
}

/* How long the AI takes to say an answer: about a quarter second per character. */
static int64_t play_length_ms(struct mock_rng *rng, int answer)
{
    size_t bytes = strlen(answers[answer].content);
    return (int64_t)(bytes / 3) * 230 + mock_rng_range(rng, 200, 900);
}

static int by_row_id(const void *x, const void *y)
{
    return strcmp(((const struct row *)x)->id, ((const struct row *)y)->id);
}

enum { MAX_ROWS = 32 };

/* Plays the dialogue from the answer on and fills the call's timings, score and outcome and the
 * rows (how many: the return value). */
static size_t dialogue(struct call *c, struct mock_rng *rng, struct row *rows)
{
    size_t n = 0;
    int64_t cursor = c->answer_ms, sequence = 1;
    int64_t played = play_length_ms(rng, OPENING);
    rows[n] = (struct row){.answer = OPENING, .sequence = sequence++, .at_ms = cursor};
    mock_rng_uuid(rng, rows[n++].id);
    cursor += played;
    int64_t planned = mock_rng_range(rng, 0, 6);
    c->disposition = 2;
    c->score = 0;
    for (c->rounds = 0; c->rounds < planned && n + 2 <= MAX_ROWS;) {
        const struct utterance *u = &utterances[mock_rng_below(rng, UTTERANCE_COUNT)];
        int64_t record_ms = mock_rng_range(rng, 600, 3000);
        cursor += record_ms;
        c->rounds++;
        struct row *asr = &rows[n++];
        *asr = (struct row){.answer = -1,
                            .question = u->text,
                            .index = c->rounds,
                            .played_ms = played,
                            .record_ms = record_ms,
                            .sequence = sequence++,
                            .at_ms = cursor};
        mock_rng_uuid(rng, asr->id);
        asr->elapse_ms = mock_rng_range(rng, 300, 900);
        asr->volume = mock_rng_range(rng, 2000000, 9000000);
        const struct answer *a = &answers[u->answer];
        cursor += mock_rng_range(rng, 300, 900);
        rows[n] = (struct row){
            .answer = u->answer, .question = u->text, .sequence = sequence++, .at_ms = cursor};
        mock_rng_uuid(rng, rows[n++].id);
        c->score += a->score;
        played = play_length_ms(rng, u->answer);
        cursor += played;
        if (a->action == 2) {
            c->disposition = 1;
            break;
        }
        if (a->action == 3) {
            c->bridge_call_ms = cursor;
            c->bridge_answer_ms =
                mock_rng_below(rng, 5) ? cursor + mock_rng_range(rng, 3000, 15000) : -1;
            cursor =
                (c->bridge_answer_ms >= 0 ? c->bridge_answer_ms + mock_rng_range(rng, 20000, 300000)
                                          : cursor + 15000);
            break;
        }
    }
    c->hangup_ms = cursor + mock_rng_range(rng, 300, 1500);
    return n;
}

/* ---- one record ------------------------------------------------------------------------------ */

static int intention_of(int64_t score)
{
    return score >= 800 ? 1 : score >= 500 ? 2 : score >= 300 ? 3 : score >= 100 ? 4 : 5;
}

/* The record's first members: tags, groups, carrier, CRM extra, name, company, components. */
static void write_customer_lists(struct cdr_buf *b, const struct call *c, struct mock_rng *rng,
                                 bool answered, int intention)
{
    put(b, "{\"tags\":[");
    if (answered && intention <= 2) {
        put(b, "\"有意向\"");
        if (mock_rng_below(rng, 2))
            put(b, ",\"需回访\"");
        put(b, "],\"tag_groups\":[\"意向分类\"]");
    } else {
        put(b, "],\"tag_groups\":[]");
    }
    put(b, ",\"operator_name\":");
    put_str(b, carriers[c->who.operator_id].name);
    char extra[24];
    snprintf(extra, sizeof(extra), "crm-%06llu", (unsigned long long)mock_rng_below(rng, 1000000));
    bool has_extra = mock_rng_below(rng, 100) < 15;
    put(b, ",\"extra\":");
    put_str(b, has_extra ? extra : NULL);
    put(b, ",\"name\":");
    put_str(b, c->who.name);
    put(b, ",\"company\":");
    put_str(b, c->who.company);
    put(b, ",\"send_wechat_data\":[],\"components\":[");
    if (answered && mock_rng_below(rng, 100) < 30) {
        char id[37];
        mock_rng_uuid(rng, id);
        put(b, "{\"id\":");
        put_str(b, id);
        put(b, ",\"name\":\"微信\",\"type\":\"text\",\"value\":");
        put_str(b, c->who.number);
        put(b, "}");
    }
    put(b, "]");
}

static void put_member(struct cdr_buf *b, const char *key, const char *text)
{
    put(b, key);
    put_str(b, text);
}

static void put_member_int(struct cdr_buf *b, const char *key, int64_t v)
{
    put(b, key);
    put_int(b, v);
}

static void put_member_time(struct cdr_buf *b, const char *key, int64_t ms)
{
    put(b, key);
    put_time(b, ms);
}

/* Draws one record from rng and writes it to b (nothing when b is NULL); g gets its filter
 * fields, *details_off and *details_len (when b is given) where its "details" array lies in b. */
static void one_record(struct mock_rng *rng, const struct yunfu_state *st, size_t task,
                       size_t customer, int64_t start, struct cdr_buf *b, struct yunfu_generated *g,
                       size_t *details_off, size_t *details_len)
{
    struct call c;
    memset(&c, 0, sizeof(c));
    c.task = &st->tasks[task];
    c.user_id = st->accounts[c.task->account].id;
    pick_callee(rng, &st->regions, c.task, customer, &c.who);
    mock_rng_uuid(rng, c.id);
    mock_rng_uuid(rng, c.callid);
    c.call_ms = start * 1000 + (int64_t)mock_rng_below(rng, 1000);
    c.answer_ms = c.hangup_ms = c.bridge_call_ms = c.bridge_answer_ms = -1;
    bool answered = mock_rng_below(rng, 100) < 62;
    struct row rows[MAX_ROWS];
    size_t row_count = 0;
    const char *cause = "NORMAL_CLEARING";
    if (answered) {
        c.answer_ms = c.call_ms + mock_rng_range(rng, 1500, 20000);
        row_count = dialogue(&c, rng, rows);
    } else {
        c.hangup_ms = c.call_ms + mock_rng_range(rng, 5000, 60000);
        unsigned w[FAILURE_COUNT];
        for (size_t i = 0; i < FAILURE_COUNT; i++)
            w[i] = failures[i].weight;
        cause = failures[mock_rng_weighted(rng, w, FAILURE_COUNT)].cause;
    }
    int intention = answered ? intention_of(c.score) : 0;

    write_customer_lists(b, &c, rng, answered, intention);
    put_member(b, ",\"id\":", c.id);
    put_member(b, ",\"task_id\":", c.task->id);
    put_member_int(b, ",\"group_id\":", c.task->group_id);
    put_member(b, ",\"callid\":", c.callid);
    put_member_int(b, ",\"score\":", c.score);
    put_member(b, ",\"callee\":", c.who.number);
    put_member(b, ",\"caller_number\":", c.task->caller_number);
    put_member_int(b, ",\"duration\":", c.hangup_ms - c.call_ms);
    put_member_int(b, ",\"error_code\":", 0);
    put_member_int(b, ",\"gender\":", c.who.gender);
    char level_id[37], label[96];
    if (b && answered) {
        snprintf(label, sizeof(label), "level/%s/%d", c.user_id, intention);
        stable_uuid(label, level_id);
    }
    put_member(b, ",\"level_id\":", answered ? level_id : NULL);
    put_member_time(b, ",\"calldate\":", c.call_ms);
    put_member_int(b, ",\"bill\":", answered ? c.hangup_ms - c.answer_ms : 0);
    put_member(b, ",\"hangupcause\":", cause);
    put_member_time(b, ",\"hangupdate\":", c.hangup_ms);
    put_member_time(b, ",\"answerdate\":", c.answer_ms);
    char bridge_id[37];
    if (c.bridge_call_ms >= 0) {
        mock_rng_uuid(rng, bridge_id);
        snprintf(c.bridge_number, sizeof(c.bridge_number), "139%08llu",
                 (unsigned long long)mock_rng_below(rng, 100000000ULL));
    }
    put_member(b, ",\"bridge_callid\":", c.bridge_call_ms >= 0 ? bridge_id : NULL);
    put_member(b, ",\"bridge_number\":", c.bridge_call_ms >= 0 ? c.bridge_number : NULL);
    put_member_time(b, ",\"bridge_calldate\":", c.bridge_call_ms);
    put_member_time(b, ",\"bridge_answerdate\":", c.bridge_answer_ms);
    put(b, ",\"hangup_disposition\":");
    if (answered)
        put_int(b, c.disposition);
    else
        put(b, "null");
    int64_t read_ms = mock_rng_below(rng, 100) < 35
                          ? c.hangup_ms + mock_rng_range(rng, 60000, 20LL * 86400000)
                          : -1;
    put_member_time(b, ",\"created_at\":", answered ? c.answer_ms + 3000 : c.hangup_ms);
    int64_t updated_ms = read_ms >= 0 ? read_ms : c.hangup_ms + mock_rng_range(rng, 1000, 120000);
    put_member_time(b, ",\"updated_at\":", updated_ms);
    put_member_int(b, ",\"rounds\":", c.rounds);
    char level_name[32];
    snprintf(level_name, sizeof(level_name), "%c类客户()", 'A' + intention - 1);
    put_member(b, ",\"level_name\":", answered ? level_name : NULL);
    put_member_time(b, ",\"read_at\":", read_ms);
    put_member_int(b, ",\"province_id\":", c.who.province->id);
    put_member_int(b, ",\"city_id\":", c.who.city->id);
    put_member_int(b, ",\"operator\":", c.who.operator_id);
    put_member(b, ",\"customer_id\":", c.who.customer_id);
    put_member(b, ",\"user_id\":", c.user_id);
    int64_t processed_ms = read_ms >= 0 && mock_rng_below(rng, 4) == 0 ? read_ms + 600000 : -1;
    put_member_time(b, ",\"processed_at\":", processed_ms);
    int64_t number_ms = c.call_ms - mock_rng_range(rng, 3600000, 120LL * 86400000);
    put_member_time(b, ",\"number_created_at\":", number_ms);
    put(b, ",\"intention_results\":");
    if (answered)
        put_int(b, intention);
    else
        put(b, "null");
    static const char *const genders[] = {"未知", "女", "男"};
    put_member(b, ",\"level\":null,\"gender_str\":",
               genders[c.who.gender >= 0 && c.who.gender <= 2 ? c.who.gender : 0]);
    put_member(b, ",\"hangup_disposition_str\":",
               !answered            ? NULL
               : c.disposition == 1 ? "AI"
                                    : "客户");
    put(b, ",\"details\":");
    if (b) {
        /* Rows come in the database's order, by id, as the seed example shows them. */
        qsort(rows, row_count, sizeof(rows[0]), by_row_id);
        *details_off = b->len;
        put(b, "[");
        for (size_t i = 0; i < row_count; i++) {
            if (i)
                put(b, ",");
            if (rows[i].answer < 0)
                write_asr_row(b, &c, &rows[i]);
            else
                write_playback_row(b, &c, &rows[i]);
        }
        put(b, "]");
        *details_len = b->len - *details_off;
        put(b, ",\"province\":");
        cdr_buf_append(b, c.who.province->json, c.who.province->json_len);
        put(b, ",\"city\":");
        cdr_buf_append(b, c.who.city->json, c.who.city->json_len);
        put(b, "}");
    }
    if (g) {
        memcpy(g->id, c.id, sizeof(g->id));
        memcpy(g->callee, c.who.number, sizeof(g->callee));
        g->score = c.score;
        g->intention = answered ? intention : YUNFU_NO_VALUE;
        g->hangup = c.hangup_ms / 1000;
        g->bill = answered ? c.hangup_ms - c.answer_ms : 0;
    }
}

bool yunfu_generate_render(const struct yunfu_state *st, uint64_t replay, size_t task,
                           size_t customer, int64_t start, struct cdr_buf *out, size_t *details_off,
                           size_t *details_len)
{
    struct mock_rng rng = {replay};
    one_record(&rng, st, task, customer, start, out, NULL, details_off, details_len);
    return !out->failed;
}

/* ---- the dataset ----------------------------------------------------------------------------- */

/* Which task and customer each of the n calls is for: every listed customer's calls first, the rest
 * spread evenly over the tasks that take generated calls, then shuffled so the listed customers'
 * calls fall anywhere in the year. NULL with err filled. */
static struct slot *plan_calls(const struct yunfu_state *st, struct mock_rng *rng, int64_t n,
                               char *err, size_t err_len)
{
    size_t *open = malloc((st->task_count ? st->task_count : 1) * sizeof(*open)), open_count = 0;
    struct slot *slots = malloc((size_t)n * sizeof(*slots));
    if (!open || !slots) {
        free(open);
        free(slots);
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    for (size_t t = 0; t < st->task_count; t++)
        if (st->tasks[t].generate)
            open[open_count++] = t;
    if (open_count == 0) {
        free(open);
        free(slots);
        snprintf(err, err_len,
                 "cannot generate records: no task in tasks.json takes generated calls");
        return NULL;
    }
    int64_t used = 0;
    for (size_t i = 0; i < open_count; i++) {
        const struct yunfu_task *t = &st->tasks[open[i]];
        for (size_t k = 0; k < t->customer_count; k++)
            for (int64_t call = 0; call < t->customers[k].calls && used < n; call++)
                slots[used++] = (struct slot){open[i], k};
    }
    for (; used < n; used++)
        slots[used] = (struct slot){open[mock_rng_below(rng, open_count)], SIZE_MAX};
    for (int64_t i = n - 1; i > 0; i--) {
        size_t j = (size_t)mock_rng_below(rng, (uint64_t)i + 1);
        struct slot tmp = slots[i];
        slots[i] = slots[j];
        slots[j] = tmp;
    }
    free(open);
    return slots;
}

bool yunfu_generate_records(const struct yunfu_state *st, int64_t n, uint64_t seed, int64_t anchor,
                            yunfu_record_sink sink, void *sink_arg, char *err, size_t err_len)
{
    if (n == 0)
        return true;
    struct mock_rng rng;
    mock_rng_seed(&rng, mock_rng_derive(seed, "yunfu"));
    struct slot *slots = plan_calls(st, &rng, n, err, err_len);
    const int64_t span = 365LL * 86400;
    int64_t *starts =
        slots ? mock_rng_sorted_instants(&rng, n, anchor - span, (uint64_t)span) : NULL;
    bool ok = starts != NULL;
    if (slots && !starts)
        snprintf(err, err_len, "out of memory");
    /* Only the draws: a page writes a record's text when it shows it. */
    for (int64_t i = 0; ok && i < n; i++) {
        struct yunfu_generated g = {.replay = rng.state,
                                    .task = slots[i].task,
                                    .customer = slots[i].customer,
                                    .start = starts[i]};
        one_record(&rng, st, g.task, g.customer, g.start, NULL, &g, NULL, NULL);
        ok = sink(sink_arg, &g, err, err_len);
    }
    free(starts);
    free(slots);
    return ok;
}
