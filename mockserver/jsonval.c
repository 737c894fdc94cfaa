#include "jsonval.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

static bool integral(const cJSON *item, int64_t *out)
{
    if (!cJSON_IsNumber(item))
        return false;
    double v = item->valuedouble;
    /* 2^53: beyond it a double no longer names one integer. */
    if (!isfinite(v) || v != floor(v) || fabs(v) > 9007199254740992.0)
        return false;
    *out = (int64_t)v;
    return true;
}

enum mock_jv_result mock_jv_int(const cJSON *obj, const char *key, int64_t *out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item || cJSON_IsNull(item))
        return MOCK_JV_ABSENT;
    return integral(item, out) ? MOCK_JV_OK : MOCK_JV_WRONG_TYPE;
}

enum mock_jv_result mock_jv_string(const cJSON *obj, const char *key, const char **out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item || cJSON_IsNull(item))
        return MOCK_JV_ABSENT;
    if (!cJSON_IsString(item))
        return MOCK_JV_WRONG_TYPE;
    *out = item->valuestring;
    return MOCK_JV_OK;
}

/* The array under key and its length: absent (or null), not an array, or OK. */
static enum mock_jv_result array_at(const cJSON *obj, const char *key, const cJSON **item,
                                    size_t *n)
{
    *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!*item || cJSON_IsNull(*item))
        return MOCK_JV_ABSENT;
    if (!cJSON_IsArray(*item))
        return MOCK_JV_WRONG_TYPE;
    *n = (size_t)cJSON_GetArraySize(*item);
    return MOCK_JV_OK;
}

enum mock_jv_result mock_jv_int_list(const cJSON *obj, const char *key, int64_t **out,
                                     size_t *count)
{
    *out = NULL;
    *count = 0;
    const cJSON *item;
    size_t n = 0;
    enum mock_jv_result r = array_at(obj, key, &item, &n);
    if (r != MOCK_JV_OK || n == 0)
        return r;
    int64_t *values = malloc(n * sizeof(*values));
    if (!values)
        return MOCK_JV_WRONG_TYPE;
    const cJSON *e;
    size_t i = 0;
    cJSON_ArrayForEach(e, item) {
        if (!integral(e, &values[i++])) {
            free(values);
            return MOCK_JV_WRONG_TYPE;
        }
    }
    *out = values;
    *count = n;
    return MOCK_JV_OK;
}

enum mock_jv_result mock_jv_string_list(const cJSON *obj, const char *key, const char ***out,
                                        size_t *count)
{
    *out = NULL;
    *count = 0;
    const cJSON *item;
    size_t n = 0;
    enum mock_jv_result r = array_at(obj, key, &item, &n);
    if (r != MOCK_JV_OK || n == 0)
        return r;
    const char **values = malloc(n * sizeof(*values));
    if (!values)
        return MOCK_JV_WRONG_TYPE;
    const cJSON *e;
    size_t i = 0;
    cJSON_ArrayForEach(e, item) {
        if (!cJSON_IsString(e)) {
            free(values);
            return MOCK_JV_WRONG_TYPE;
        }
        values[i++] = e->valuestring;
    }
    *out = values;
    *count = n;
    return MOCK_JV_OK;
}

void mock_jv_copy(cJSON *into, const char *name, const cJSON *from, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, key);
    if (v)
        cJSON_AddItemToObject(into, name, cJSON_Duplicate(v, true));
}
