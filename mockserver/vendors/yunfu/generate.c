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

struct regions {
    cJSON *root;
    const cJSON *provinces, *cities;
};

/* What one call is about: the task, and who was called. */
struct callee {
    char number[16];
    const char *name, *company;
    char customer_id[37];
    int gender, operator_id;
    const cJSON *province, *city;
};

struct slot {
    size_t task;
    size_t customer; /* SIZE_MAX: a customer made up for this call */
};

static const cJSON *region_by_id(const cJSON *list, int64_t id)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, list) {
        const cJSON *rid = cJSON_GetObjectItemCaseSensitive(r, "id");
        if (cJSON_IsNumber(rid) && (int64_t)rid->valuedouble == id)
            return r;
    }
    return NULL;
}

static int64_t id_of(const cJSON *region)
{
    return (int64_t)cJSON_GetObjectItemCaseSensitive(region, "id")->valuedouble;
}

static bool load_regions(struct regions *rg, const char *dir, char *err, size_t err_len)
{
    rg->root = mock_load_json(dir, "regions.json", err, err_len);
    rg->provinces = cJSON_GetObjectItemCaseSensitive(rg->root, "provinces");
    rg->cities = cJSON_GetObjectItemCaseSensitive(rg->root, "cities");
    if (!rg->root)
        return false;
    bool ok = cJSON_GetArraySize(rg->provinces) > 0 && cJSON_GetArraySize(rg->cities) > 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, (ok ? rg->cities : NULL)) {
        const cJSON *pid = cJSON_GetObjectItemCaseSensitive(c, "pid");
        ok = ok && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(c, "id")) &&
             cJSON_IsNumber(pid) && region_by_id(rg->provinces, (int64_t)pid->valuedouble);
    }
    cJSON_ArrayForEach(c, (ok ? rg->provinces : NULL))
        ok = ok && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(c, "id"));
    if (!ok)
        snprintf(err, err_len,
                 "regions.json: needs non-empty \"provinces\" and \"cities\" with integer ids, "
                 "each city's pid a province");
    return ok;
}

static void pick_callee(struct mock_rng *rng, const struct regions *rg,
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
        c->city = region_by_id(rg->cities, k->city_id);
        c->province = region_by_id(rg->provinces, k->province_id);
        if (c->city && c->province)
            return;
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
    c->city = cJSON_GetArrayItem(
        rg->cities, (int)mock_rng_below(rng, (uint64_t)cJSON_GetArraySize(rg->cities)));
    c->province = region_by_id(
        rg->provinces, (int64_t)cJSON_GetObjectItemCaseSensitive(c->city, "pid")->valuedouble);
}

/* ---- JSON helpers ---------------------------------------------------------------------------- */

static void add_text(cJSON *obj, const char *key, const char *text)
{
    cJSON_AddItemToObject(obj, key, text ? cJSON_CreateString(text) : cJSON_CreateNull());
}

static void add_int(cJSON *obj, const char *key, int64_t v)
{
    cJSON_AddNumberToObject(obj, key, (double)v);
}

/* A wall-clock time of the vendor (UTC+8) from Unix milliseconds; ms < 0 writes null. */
static void add_time_ms(cJSON *obj, const char *key, int64_t ms)
{
    if (ms < 0) {
        cJSON_AddNullToObject(obj, key);
        return;
    }
    char text[20];
    cdr_time_format_local(ms / 1000, CDR_CHINA_OFFSET_SECONDS, text);
    cJSON_AddStringToObject(obj, key, text);
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

static cJSON *row_base(const struct call *c, struct mock_rng *rng, const char *notify)
{
    cJSON *row = cJSON_CreateObject();
    char id[37];
    mock_rng_uuid(rng, id);
    add_text(row, "id", id);
    add_text(row, "record_id", c->id);
    add_text(row, "task_id", c->task->id);
    add_text(row, "notify", notify);
    add_text(row, "callid", c->callid);
    add_int(row, "error_code", 0);
    return row;
}

static void row_tail(cJSON *row, const struct call *c, int64_t score, int64_t sequence,
                     int64_t at_ms, bool recognised)
{
    add_int(row, "score", score);
    add_int(row, "sequence", sequence);
    add_time_ms(row, "created_at", at_ms);
    add_time_ms(row, "updated_at", at_ms);
    cJSON_AddItemToObject(row, "bridge_status",
                          recognised ? cJSON_CreateNumber(0) : cJSON_CreateNull());
    add_text(row, "user_id", c->user_id);
    add_int(row, "is_regular", 0);
    cJSON_AddNullToObject(row, "expression");
    cJSON_AddItemToObject(row, "tags", cJSON_CreateArray());
}

static void add_upstream_nulls(cJSON *row)
{
    add_int(row, "playback_after_action", 0);
    static const char *const keys[] = {"upstream_answer_action", "upstream_answer_content",
                                       "upstream_answer_text", "upstream_answer_id"};
    for (size_t i = 0; i < 4; i++)
        cJSON_AddNullToObject(row, keys[i]);
}

/* What the customer said, as speech recognition reported it. */
static cJSON *asr_row(const struct call *c, struct mock_rng *rng, const char *text, int64_t index,
                      int64_t played_ms, int64_t record_ms, int64_t sequence, int64_t at_ms)
{
    cJSON *row = row_base(c, rng, "asrprogress_notify");
    add_text(row, "asrtype", "aliyunv2");
    add_text(row, "callee", c->who.number);
    add_int(row, "gender", 0);
    add_int(row, "asr_elapse", mock_rng_range(rng, 300, 900));
    add_int(row, "record_ms", record_ms);
    cJSON_AddNumberToObject(row, "volume_gain",
                            (double)mock_rng_range(rng, 2000000, 9000000) / 1e6);
    add_text(row, "question", text);
    cJSON_AddNullToObject(row, "split_question");
    add_int(row, "question_index", index);
    add_int(row, "speak_ms", 0);
    add_int(row, "play_ms", played_ms);
    static const char *const nulls[] = {"keyword",        "answer_id",  "answer_text",
                                        "answer_content", "word_class", "answer_action"};
    for (size_t i = 0; i < 6; i++)
        cJSON_AddNullToObject(row, nulls[i]);
    add_upstream_nulls(row);
    row_tail(row, c, 0, sequence, at_ms, true);
    return row;
}

/* What the AI played in answer; the opening line is an "enter" row with an empty question and
 * keyword, as the detail page's example opens. */
static cJSON *playback_row(const struct call *c, struct mock_rng *rng, int answer,
                           const char *question, int64_t sequence, int64_t at_ms)
{
    const struct answer *a = &answers[answer];
    bool enter = answer == OPENING;
    cJSON *row = row_base(c, rng, enter ? "enter" : "playback_result");
    cJSON_AddNullToObject(row, "asrtype");
    add_text(row, "callee", c->who.number);
    static const char *const nulls[] = {"gender", "asr_elapse", "record_ms", "volume_gain"};
    for (size_t i = 0; i < 4; i++)
        cJSON_AddNullToObject(row, nulls[i]);
    add_text(row, "question", enter ? "" : question);
    cJSON_AddNullToObject(row, "split_question");
    add_int(row, "question_index", 0);
    add_int(row, "speak_ms", 0);
    add_int(row, "play_ms", 0);
    add_text(row, "keyword", enter ? "" : a->keyword);
    char answer_id[64], label[96];
    snprintf(label, sizeof(label), "answer/%lld/%d", (long long)c->task->group_id, answer);
    stable_uuid(label, answer_id);
    add_text(row, "answer_id", answer_id);
    add_text(row, "answer_text", a->text);
    add_text(row, "answer_content", a->content);
    add_text(row, "word_class", a->word_class);
    cJSON_AddItemToObject(row, "answer_action",
                          answer == OPENING ? cJSON_CreateNull() : cJSON_CreateNumber(a->action));
    add_upstream_nulls(row);
    row_tail(row, c, a->score, sequence, at_ms, false);
    return row;
}

/* How long the AI takes to say an answer: about a quarter second per character. */
static int64_t play_length_ms(struct mock_rng *rng, int answer)
{
    size_t bytes = strlen(answers[answer].content);
    return (int64_t)(bytes / 3) * 230 + mock_rng_range(rng, 200, 900);
}

static int by_row_id(const void *x, const void *y)
{
    const cJSON *a = *(const cJSON *const *)x, *b = *(const cJSON *const *)y;
    return strcmp(cJSON_GetObjectItemCaseSensitive(a, "id")->valuestring,
                  cJSON_GetObjectItemCaseSensitive(b, "id")->valuestring);
}

/* Plays the dialogue from the answer on and fills the call's timings, score and outcome. Rows come
 * back in the database's order, by id, as the seed example shows them. */
static cJSON *dialogue(struct call *c, struct mock_rng *rng)
{
    cJSON *rows[32];
    size_t n = 0;
    int64_t cursor = c->answer_ms, sequence = 1;
    int64_t played = play_length_ms(rng, OPENING);
    rows[n++] = playback_row(c, rng, OPENING, NULL, sequence++, cursor);
    cursor += played;
    int64_t planned = mock_rng_range(rng, 0, 6);
    c->disposition = 2;
    c->score = 0;
    for (c->rounds = 0; c->rounds < planned && n + 2 <= 32;) {
        const struct utterance *u = &utterances[mock_rng_below(rng, UTTERANCE_COUNT)];
        int64_t record_ms = mock_rng_range(rng, 600, 3000);
        cursor += record_ms;
        c->rounds++;
        rows[n++] = asr_row(c, rng, u->text, c->rounds, played, record_ms, sequence++, cursor);
        const struct answer *a = &answers[u->answer];
        cursor += mock_rng_range(rng, 300, 900);
        rows[n++] = playback_row(c, rng, u->answer, u->text, sequence++, cursor);
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
    qsort(rows, n, sizeof(rows[0]), by_row_id);
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(list, rows[i]);
    return list;
}

/* ---- one record ------------------------------------------------------------------------------ */

static int intention_of(int64_t score)
{
    return score >= 800 ? 1 : score >= 500 ? 2 : score >= 300 ? 3 : score >= 100 ? 4 : 5;
}

static void add_customer_lists(cJSON *r, const struct call *c, struct mock_rng *rng, bool answered,
                               int intention)
{
    cJSON *tags = cJSON_CreateArray(), *groups = cJSON_CreateArray();
    if (answered && intention <= 2) {
        cJSON_AddItemToArray(tags, cJSON_CreateString("有意向"));
        if (mock_rng_below(rng, 2))
            cJSON_AddItemToArray(tags, cJSON_CreateString("需回访"));
        cJSON_AddItemToArray(groups, cJSON_CreateString("意向分类"));
    }
    cJSON_AddItemToObject(r, "tags", tags);
    cJSON_AddItemToObject(r, "tag_groups", groups);
    add_text(r, "operator_name", carriers[c->who.operator_id].name);
    char extra[24];
    snprintf(extra, sizeof(extra), "crm-%06llu", (unsigned long long)mock_rng_below(rng, 1000000));
    add_text(r, "extra", mock_rng_below(rng, 100) < 15 ? extra : NULL);
    add_text(r, "name", c->who.name);
    add_text(r, "company", c->who.company);
    cJSON_AddItemToObject(r, "send_wechat_data", cJSON_CreateArray());
    cJSON *components = cJSON_CreateArray();
    if (answered && mock_rng_below(rng, 100) < 30) {
        cJSON *wechat = cJSON_CreateObject();
        char id[37];
        mock_rng_uuid(rng, id);
        add_text(wechat, "id", id);
        add_text(wechat, "name", "微信");
        add_text(wechat, "type", "text");
        add_text(wechat, "value", c->who.number);
        cJSON_AddItemToArray(components, wechat);
    }
    cJSON_AddItemToObject(r, "components", components);
}

static cJSON *one_record(struct mock_rng *rng, const struct yunfu_state *st,
                         const struct regions *rg, const struct slot *slot, int64_t start)
{
    struct call c;
    memset(&c, 0, sizeof(c));
    c.task = &st->tasks[slot->task];
    c.user_id = st->accounts[c.task->account].id;
    pick_callee(rng, rg, c.task, slot->customer, &c.who);
    mock_rng_uuid(rng, c.id);
    mock_rng_uuid(rng, c.callid);
    c.call_ms = start * 1000 + (int64_t)mock_rng_below(rng, 1000);
    c.answer_ms = c.hangup_ms = c.bridge_call_ms = c.bridge_answer_ms = -1;
    bool answered = mock_rng_below(rng, 100) < 62;
    cJSON *details;
    const char *cause = "NORMAL_CLEARING";
    if (answered) {
        c.answer_ms = c.call_ms + mock_rng_range(rng, 1500, 20000);
        details = dialogue(&c, rng);
    } else {
        c.hangup_ms = c.call_ms + mock_rng_range(rng, 5000, 60000);
        unsigned w[FAILURE_COUNT];
        for (size_t i = 0; i < FAILURE_COUNT; i++)
            w[i] = failures[i].weight;
        cause = failures[mock_rng_weighted(rng, w, FAILURE_COUNT)].cause;
        details = cJSON_CreateArray();
    }
    int intention = answered ? intention_of(c.score) : 0;

    cJSON *r = cJSON_CreateObject();
    add_customer_lists(r, &c, rng, answered, intention);
    add_text(r, "id", c.id);
    add_text(r, "task_id", c.task->id);
    add_int(r, "group_id", c.task->group_id);
    add_text(r, "callid", c.callid);
    add_int(r, "score", c.score);
    add_text(r, "callee", c.who.number);
    add_text(r, "caller_number", c.task->caller_number);
    add_int(r, "duration", c.hangup_ms - c.call_ms);
    add_int(r, "error_code", 0);
    add_int(r, "gender", c.who.gender);
    char level_id[37], label[96];
    snprintf(label, sizeof(label), "level/%s/%d", c.user_id, intention);
    stable_uuid(label, level_id);
    add_text(r, "level_id", answered ? level_id : NULL);
    add_time_ms(r, "calldate", c.call_ms);
    add_int(r, "bill", answered ? c.hangup_ms - c.answer_ms : 0);
    add_text(r, "hangupcause", cause);
    add_time_ms(r, "hangupdate", c.hangup_ms);
    add_time_ms(r, "answerdate", c.answer_ms);
    char bridge_id[37];
    if (c.bridge_call_ms >= 0) {
        mock_rng_uuid(rng, bridge_id);
        snprintf(c.bridge_number, sizeof(c.bridge_number), "139%08llu",
                 (unsigned long long)mock_rng_below(rng, 100000000ULL));
    }
    add_text(r, "bridge_callid", c.bridge_call_ms >= 0 ? bridge_id : NULL);
    add_text(r, "bridge_number", c.bridge_call_ms >= 0 ? c.bridge_number : NULL);
    add_time_ms(r, "bridge_calldate", c.bridge_call_ms);
    add_time_ms(r, "bridge_answerdate", c.bridge_answer_ms);
    cJSON_AddItemToObject(r, "hangup_disposition",
                          answered ? cJSON_CreateNumber(c.disposition) : cJSON_CreateNull());
    int64_t read_ms = mock_rng_below(rng, 100) < 35
                          ? c.hangup_ms + mock_rng_range(rng, 60000, 20LL * 86400000)
                          : -1;
    add_time_ms(r, "created_at", answered ? c.answer_ms + 3000 : c.hangup_ms);
    add_time_ms(r, "updated_at",
                read_ms >= 0 ? read_ms : c.hangup_ms + mock_rng_range(rng, 1000, 120000));
    add_int(r, "rounds", c.rounds);
    char level_name[32];
    snprintf(level_name, sizeof(level_name), "%c类客户()", 'A' + intention - 1);
    add_text(r, "level_name", answered ? level_name : NULL);
    add_time_ms(r, "read_at", read_ms);
    add_int(r, "province_id", id_of(c.who.province));
    add_int(r, "city_id", id_of(c.who.city));
    add_int(r, "operator", c.who.operator_id);
    add_text(r, "customer_id", c.who.customer_id);
    add_text(r, "user_id", c.user_id);
    add_time_ms(r, "processed_at",
                read_ms >= 0 && mock_rng_below(rng, 4) == 0 ? read_ms + 600000 : -1);
    add_time_ms(r, "number_created_at", c.call_ms - mock_rng_range(rng, 3600000, 120LL * 86400000));
    cJSON_AddItemToObject(r, "intention_results",
                          answered ? cJSON_CreateNumber(intention) : cJSON_CreateNull());
    cJSON_AddNullToObject(r, "level");
    static const char *const genders[] = {"未知", "女", "男"};
    add_text(r, "gender_str", genders[c.who.gender >= 0 && c.who.gender <= 2 ? c.who.gender : 0]);
    add_text(r, "hangup_disposition_str", !answered ? NULL : c.disposition == 1 ? "AI" : "客户");
    cJSON_AddItemToObject(r, "details", details);
    cJSON_AddItemToObject(r, "province", cJSON_Duplicate(c.who.province, true));
    cJSON_AddItemToObject(r, "city", cJSON_Duplicate(c.who.city, true));
    return r;
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

bool yunfu_generate_records(const struct yunfu_state *st, const char *dir, int64_t n, uint64_t seed,
                            int64_t anchor, yunfu_record_sink sink, void *sink_arg, char *err,
                            size_t err_len)
{
    if (n == 0)
        return true;
    struct regions rg;
    if (!load_regions(&rg, dir, err, err_len)) {
        cJSON_Delete(rg.root);
        return false;
    }
    struct mock_rng rng;
    mock_rng_seed(&rng, mock_rng_derive(seed, "yunfu"));
    struct slot *slots = plan_calls(st, &rng, n, err, err_len);
    const int64_t span = 365LL * 86400;
    int64_t *starts =
        slots ? mock_rng_sorted_instants(&rng, n, anchor - span, (uint64_t)span) : NULL;
    bool ok = starts != NULL;
    if (slots && !starts)
        snprintf(err, err_len, "out of memory");
    /* One record at a time: a million records never exist as one JSON tree. */
    for (int64_t i = 0; ok && i < n; i++) {
        cJSON *r = one_record(&rng, st, &rg, &slots[i], starts[i]);
        ok = r ? sink(sink_arg, r, err, err_len) : false;
        if (!r)
            snprintf(err, err_len, "out of memory");
        cJSON_Delete(r);
    }
    free(starts);
    free(slots);
    cJSON_Delete(rg.root);
    return ok;
}
