/* Yunfu's call-result callback (呼入成功回调数据, docs/vendors/yunfu.md §7,
 * https://docs.longlonglong.cn/api/回调/呼入成功回调数据.html): a batch {"count": n, "data": [...]}
 * of the calls that entered the store together. The callback's calls are not the list's records:
 * bill and duration are SECONDS where the list answers milliseconds (an integration sharing one
 * parser for both is off by a factor of 1000), number_data carries the carrier's name where the
 * list has a number, and the task, account, script group and level travel as objects with names.
 * Inferred (the page shows only the payload): one callback per group of calls that entered
 * together, every call pushed (not only answered inbound ones), milliseconds cut down to whole
 * seconds, tag ids derived from the tag names, the script group named after its id. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../jsonval.h"
#include "internal.h"

/* The list's milliseconds as the callback's whole seconds (inferred: cut, not rounded). */
static void seconds(cJSON *into, const char *name, const cJSON *record)
{
    int64_t ms;
    if (mock_jv_int(record, name, &ms) == MOCK_JV_OK)
        cJSON_AddNumberToObject(into, name, (double)(ms / 1000));
    else
        mock_jv_copy(into, name, record, name);
}

static void named(cJSON *into, const char *member, cJSON *id, const char *name)
{
    cJSON *o = cJSON_AddObjectToObject(into, member);
    cJSON_AddItemToObject(o, "id", id);
    if (name)
        cJSON_AddStringToObject(o, "name", name);
    else
        cJSON_AddNullToObject(o, "name");
}

/* A region object's name ({"city": "上海", ...}), or null. */
static void region_name(cJSON *into, const char *name, const cJSON *record, const char *key)
{
    const cJSON *region = cJSON_GetObjectItemCaseSensitive(record, key);
    mock_jv_copy(into, name, region, "city");
    if (!cJSON_GetObjectItemCaseSensitive(into, name))
        cJSON_AddNullToObject(into, name);
}

static void number_data(cJSON *into, const cJSON *record)
{
    cJSON *n = cJSON_AddObjectToObject(into, "number_data");
    mock_jv_copy(n, "number", record, "callee");
    mock_jv_copy(n, "hangupdate", record, "hangupdate");
    region_name(n, "province", record, "province");
    region_name(n, "city", record, "city");
    /* the carrier's name: the list's operator_name, not its number */
    mock_jv_copy(n, "operator", record, "operator_name");
}

/* A stable UUID-shaped id for a tag name (the list names tags without ids). */
static void tag_id(const char *name, char out[37])
{
    uint64_t h1 = 14695981039346656037ULL, h2 = 1099511628211ULL;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h1 = (h1 ^ *p) * 1099511628211ULL;
        h2 = (h2 ^ *p) * 14029467366897019727ULL + 1;
    }
    snprintf(out, 37, "%08" PRIx64 "-%04" PRIx64 "-4%03" PRIx64 "-8%03" PRIx64 "-%012" PRIx64,
             h1 >> 32, (h1 >> 16) & 0xffff, h1 & 0xfff, (h2 >> 52) & 0xfff,
             h2 & (uint64_t)0xffffffffffff);
}

static void tags(cJSON *into, const cJSON *record)
{
    cJSON *list = cJSON_AddArrayToObject(into, "tags");
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(record, "tags")) {
        if (!cJSON_IsString(t))
            continue;
        char id[37];
        tag_id(t->valuestring, id);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "tag_id", id);
        cJSON_AddStringToObject(o, "name", t->valuestring);
        cJSON_AddItemToArray(list, o);
    }
}

/* One entry of data[] for a list record; NULL when the record names no task of the mock. */
static cJSON *call(const struct yunfu_state *st, const cJSON *record)
{
    const char *task_id = NULL, *level_id = NULL;
    mock_jv_string(record, "task_id", &task_id);
    const struct yunfu_task *task = yunfu_find_task(st, task_id);
    if (!task)
        return NULL;
    const struct yunfu_account *user = &st->accounts[task->account];
    const struct yunfu_account *master =
        user->parent == SIZE_MAX ? user : &st->accounts[user->parent];
    cJSON *c = cJSON_CreateObject();
    mock_jv_copy(c, "calldate", record, "calldate");
    mock_jv_copy(c, "answerdate", record, "answerdate");
    seconds(c, "bill", record);
    seconds(c, "duration", record);
    /* the page calls callid "the record_id"; the list's id is another value (inferred) */
    mock_jv_copy(c, "callid", record, "callid");
    mock_jv_copy(c, "customer_id", record, "customer_id");
    cJSON_AddStringToObject(c, "master_user_id", master->id);
    cJSON_AddStringToObject(c, "user_id", user->id);
    cJSON_AddNumberToObject(c, "type", user == master ? 4 : 8); /* 4 main, 8 sub-account */
    mock_jv_copy(c, "intention_results", record, "intention_results");
    mock_jv_copy(c, "rounds", record, "rounds");
    mock_jv_copy(c, "score", record, "score");
    number_data(c, record);
    char group[32];
    snprintf(group, sizeof(group), "话术组%" PRId64, task->group_id);
    named(c, "group", cJSON_CreateNumber((double)task->group_id), group);
    named(c, "task", cJSON_CreateString(task->id), task->name);
    named(c, "user", cJSON_CreateString(user->id), user->name);
    if (mock_jv_string(record, "level_id", &level_id) == MOCK_JV_OK) {
        cJSON *level = cJSON_AddObjectToObject(c, "level");
        cJSON_AddStringToObject(level, "level_id", level_id);
        mock_jv_copy(level, "level_name", record, "level_name");
    } else {
        cJSON_AddNullToObject(c, "level");
    }
    tags(c, record);
    return c;
}

static char *yunfu_push_render(const void *state, const cJSON *records)
{
    const struct yunfu_state *st = state;
    cJSON *body = cJSON_CreateObject();
    cJSON *data = cJSON_CreateArray();
    int count = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, records) {
        cJSON *c = cJSON_IsObject(r) ? call(st, r) : NULL;
        if (c) {
            cJSON_AddItemToArray(data, c);
            count++;
        }
    }
    cJSON_AddNumberToObject(body, "count", count);
    cJSON_AddItemToObject(body, "data", data);
    char *text = count ? cJSON_PrintUnformatted(body) : NULL;
    cJSON_Delete(body);
    return text;
}

/* The page documents no reply, retries or signature: any 2xx is success, and a failed callback
 * is tried again every 5 minutes, at most 3 times (inferred and configurable: "push_retries": 0
 * gives the reading "no retries"). */
const struct mock_vendor_push yunfu_push = {
    .render = yunfu_push_render,
    .batch = 0,
    .content_type = "application/json",
    .retry_seconds = 5 * 60,
    .retries = 3,
    .schedule_inferred = true,
};
