#include "json_get.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/record.h"
#include "cdrsim/timefmt.h"

cJSON *cdr__json_parse_exact(const char *text, size_t len)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (!root)
        return NULL;
    for (const char *p = end; p < text + len; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
            cJSON_Delete(root);
            return NULL;
        }
    }
    return root;
}

bool cdr__json_as_int(const cJSON *item, int64_t *out)
{
    if (cJSON_IsNumber(item)) {
        double v = item->valuedouble;
        if (!isfinite(v) || v != floor(v) || v < -9.0e15 || v > 9.0e15)
            return false;
        *out = (int64_t)v;
        return true;
    }
    if (cJSON_IsString(item) && item->valuestring[0]) {
        errno = 0;
        char *end;
        long long v = strtoll(item->valuestring, &end, 10);
        if (errno || *end)
            return false;
        *out = v;
        return true;
    }
    return false;
}

bool cdr__json_get_int(const cJSON *obj, const char *key, int64_t *out)
{
    return cdr__json_as_int(cJSON_GetObjectItemCaseSensitive(obj, key), out);
}

char *cdr__json_dup_text(const cJSON *obj, const char *key, bool *ok)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    char *copy = NULL;
    if (cJSON_IsString(item)) {
        copy = strdup(item->valuestring);
    } else if (cJSON_IsNumber(item)) {
        char text[32];
        double v = item->valuedouble;
        if (v == floor(v) && v > -9.0e15 && v < 9.0e15)
            snprintf(text, sizeof(text), "%lld", (long long)v);
        else
            snprintf(text, sizeof(text), "%.17g", v);
        copy = strdup(text);
    } else {
        return NULL;
    }
    if (!copy)
        *ok = false;
    return copy;
}

bool cdr__json_get_time(const cJSON *obj, const char *key, int offset_seconds, int64_t *out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = CDR_TIME_NONE;
    if (!item || cJSON_IsNull(item) || (cJSON_IsString(item) && !item->valuestring[0]))
        return true;
    if (!cJSON_IsString(item))
        return false;
    return cdr_time_parse_any(item->valuestring, offset_seconds, out);
}

cdr_error cdr__json_normalize_text(const char *text, size_t len, cdr__json_normalizer_fn normalize,
                                   const char *what, struct cdr_record *out,
                                   struct cdr_error_info *err)
{
    cJSON *obj = text ? cdr__json_parse_exact(text, len) : NULL;
    if (!obj) {
        cdr_record_init(out);
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "%s is not JSON", what);
    }
    cdr_error rc = normalize(obj, out, err);
    cJSON_Delete(obj);
    return rc;
}

char *cdr__json_base_url(const char *url)
{
    size_t n = strlen(url);
    while (n > 0 && url[n - 1] == '/')
        n--;
    return strndup(url, n);
}

char *cdr__json_print_without(const cJSON *obj, const char *skip)
{
    cJSON *copy = cJSON_CreateObject();
    bool ok = copy != NULL;
    const cJSON *item;
    cJSON_ArrayForEach(item, (ok ? obj : NULL)) {
        /* References: the members are printed, never copied or freed. */
        if (!skip || !item->string || strcmp(item->string, skip) != 0)
            ok = ok && cJSON_AddItemReferenceToObject(copy, item->string, (cJSON *)item);
    }
    char *text = ok ? cJSON_PrintUnformatted(copy) : NULL;
    cJSON_Delete(copy);
    return text;
}
