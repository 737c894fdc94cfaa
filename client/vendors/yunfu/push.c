/* Yunfu's call-result callback ("呼入成功回调数据",
 * https://docs.longlonglong.cn/api/回调/呼入成功回调数据.html): a batch {"count", "data": [...]}
 * whose records differ from the record list's: bill and duration in SECONDS where the list counts
 * milliseconds, the callee and hang-up time inside number_data, the script group as an object.
 * Each record is put in the list's shape (seconds made milliseconds) and goes through the list's
 * own normalizer, so a pushed record and a pulled one of the same call normalize alike. */
#include <stdint.h>
#include <stdio.h>

#include "internal.h"
#include "push_shape.h"

static const struct cdr__push_member envelope[] = {
    {"count", CDR__PUSH_INT, true},
    {NULL, CDR__PUSH_STRING, false},
};

static const struct cdr__push_member members[] = {
    {"callid", CDR__PUSH_TEXT, true},
    {"id", CDR__PUSH_TEXT, false},
    {"calldate", CDR__PUSH_STRING, false},
    {"answerdate", CDR__PUSH_STRING, false},
    {"bill", CDR__PUSH_INT, false},
    {"duration", CDR__PUSH_INT, false},
    {"customer_id", CDR__PUSH_STRING, false},
    {"master_user_id", CDR__PUSH_STRING, false},
    {"user_id", CDR__PUSH_STRING, false},
    {"type", CDR__PUSH_INT, false},
    {"intention_results", CDR__PUSH_INT, false},
    {"rounds", CDR__PUSH_INT, false},
    {"number_data", CDR__PUSH_OBJECT, false},
    {"group", CDR__PUSH_OBJECT, false},
    {"task", CDR__PUSH_OBJECT, false},
    {"user", CDR__PUSH_OBJECT, false},
    {"level", CDR__PUSH_OBJECT, false},
    {NULL, CDR__PUSH_STRING, false},
};

static const struct cdr__push_member number_data[] = {
    {"number", CDR__PUSH_TEXT, false},
    {"hangupdate", CDR__PUSH_STRING, false},
    {NULL, CDR__PUSH_STRING, false},
};

static const struct cdr__push_member group[] = {
    {"id", CDR__PUSH_TEXT, false},
    {NULL, CDR__PUSH_STRING, false},
};

/* A copy of from[key] as to[as] (nothing when from has none); false when out of memory. */
static bool copy_member(cJSON *to, const char *as, const cJSON *from, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(from, key);
    if (!item)
        return true;
    cJSON *copy = cdr__json_duplicate(item);
    cJSON_DeleteItemFromObjectCaseSensitive(to, as);
    if (copy && cJSON_AddItemToObject(to, as, copy))
        return true;
    cJSON_Delete(copy);
    return false;
}

/* r[key] in seconds made milliseconds, as the list sends it. An absent, null or "" value stays;
 * a negative one stays too (the list's normalizer reads it as no duration). */
static cdr_error to_millis(cJSON *r, const char *key, const char *where, struct cdr_error_info *err)
{
    int64_t s;
    if (!cdr__json_get_int(r, key, &s) || s < 0)
        return CDR_OK;
    if (s > INT64_MAX / 1000)
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                             "%s.%s is %lld seconds, more than any call lasts", where, key,
                             (long long)s);
    cJSON_DeleteItemFromObjectCaseSensitive(r, key);
    if (!cJSON_AddNumberToObject(r, key, (double)(s * 1000)))
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    return CDR_OK;
}

/* One callback record checked and put in the list's shape (*shaped: caller deletes). */
static cdr_error list_shape(const cJSON *pushed, const char *where, cJSON **shaped,
                            struct cdr_error_info *err)
{
    char inner[64];
    const cJSON *numbers = cJSON_GetObjectItemCaseSensitive(pushed, "number_data");
    const cJSON *script_group = cJSON_GetObjectItemCaseSensitive(pushed, "group");
    cdr_error rc = cdr__push_check(pushed, members, where, err);
    if (rc == CDR_OK && cJSON_IsObject(numbers)) {
        snprintf(inner, sizeof(inner), "%s.number_data", where);
        rc = cdr__push_check(numbers, number_data, inner, err);
    }
    if (rc == CDR_OK && cJSON_IsObject(script_group)) {
        snprintf(inner, sizeof(inner), "%s.group", where);
        rc = cdr__push_check(script_group, group, inner, err);
    }
    if (rc != CDR_OK)
        return rc;
    cJSON *r = *shaped = cdr__json_duplicate(pushed);
    /* The list's own id is not in the callback: callid, "the record_id" its table says, stands
     * in unless a sender adds one. */
    bool ok = r && (cJSON_GetObjectItemCaseSensitive(r, "id") || copy_member(r, "id", r, "callid"));
    ok = ok && copy_member(r, "callee", numbers, "number") &&
         copy_member(r, "hangupdate", numbers, "hangupdate") &&
         copy_member(r, "group_id", script_group, "id");
    if (!ok)
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    if ((rc = to_millis(r, "bill", where, err)) != CDR_OK)
        return rc;
    return to_millis(r, "duration", where, err);
}

cdr_error cdr_yunfu_parse_push(const char *body, size_t len, struct cdr_push *out,
                               struct cdr_error_info *err)
{
    *out = (struct cdr_push){0};
    cJSON *root = cdr__push_open(body, len, err);
    if (!root)
        return err ? err->code : CDR_ERR_MALFORMED_RESPONSE;
    cdr_error rc = cdr__push_check(root, envelope, "push body", err);
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
    int64_t count = 0;
    if (rc == CDR_OK && !cJSON_IsArray(data))
        rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "push body's data is %s, not an array",
                           !data                ? "missing"
                           : cJSON_IsNull(data) ? "null"
                                                : "not an array");
    if (rc == CDR_OK && cdr__json_get_int(root, "count", &count) &&
        count != cJSON_GetArraySize(data))
        rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                           "push body's count is %lld but data holds %d records", (long long)count,
                           cJSON_GetArraySize(data));
    if (rc == CDR_OK && !cdr__push_reserve(out, (size_t)count))
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    const cJSON *pushed;
    const cJSON *records = rc == CDR_OK ? data : NULL;
    int i = 0;
    cJSON_ArrayForEach(pushed, records) {
        char where[24];
        snprintf(where, sizeof(where), "data[%d]", i++);
        cJSON *shaped = NULL;
        rc = list_shape(pushed, where, &shaped, err);
        if (rc == CDR_OK)
            rc = cdr__push_take(out, shaped, pushed, cdr__yunfu_normalize, err);
        cJSON_Delete(shaped);
        if (rc != CDR_OK)
            break;
    }
    cJSON_Delete(root);
    if (rc != CDR_OK)
        cdr_push_free(out);
    return rc;
}
