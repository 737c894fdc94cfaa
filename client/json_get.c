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
    return cdr__json_parse_answer(text, len, "response", NULL);
}

cJSON *cdr__json_parse_cjson(const char *text, size_t len)
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

/* Whether text is an optional '-' and decimal digits, nothing else. */
static bool integer_literal(const char *text)
{
    const char *p = text + (*text == '-');
    return *p && strspn(p, "0123456789") == strlen(p);
}

bool cdr__json_as_int(const cJSON *item, int64_t *out)
{
    const char *text = cdr__json_number_text(item);
    if (text && integer_literal(text)) {
        errno = 0;
        long long v = strtoll(text, NULL, 10);
        if (errno)
            return false;
        *out = v;
        return true;
    }
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
        if (errno || *end || cdr__json_string_len(item) != strlen(item->valuestring))
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

char *cdr__json_text(const cJSON *obj, const char *key, size_t *len, bool *ok)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    const char *number = cdr__json_number_text(item);
    char *copy = NULL;
    size_t n = 0;
    if (cJSON_IsString(item)) {
        n = cdr__json_string_len(item);
        if ((copy = malloc(n + 1))) {
            memcpy(copy, item->valuestring, n);
            copy[n] = '\0';
        }
    } else if (number && integer_literal(number)) {
        copy = strdup(number); /* every digit, beyond what a double holds */
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
    else if (!cJSON_IsString(item))
        n = strlen(copy);
    if (len)
        *len = copy ? n : 0;
    return copy;
}

char *cdr__json_dup_text(const cJSON *obj, const char *key, bool *ok)
{
    return cdr__json_text(obj, key, NULL, ok);
}

bool cdr__json_get_time(const cJSON *obj, const char *key, int offset_seconds, int64_t *out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = CDR_TIME_NONE;
    if (!item || cJSON_IsNull(item) || (cJSON_IsString(item) && !item->valuestring[0]))
        return true;
    if (!cJSON_IsString(item) || cdr__json_string_len(item) != strlen(item->valuestring))
        return false; /* a NUL would hide whatever follows it */
    return cdr_time_parse_any(item->valuestring, offset_seconds, out);
}

cdr_error cdr__json_normalize_text(const char *text, size_t len, cdr__json_normalizer_fn normalize,
                                   const char *what, struct cdr_record *out,
                                   struct cdr_error_info *err)
{
    cJSON *obj = cdr__json_parse_answer(text, len, what, err);
    if (!obj) {
        cdr_record_init(out);
        return err ? err->code : CDR_ERR_MALFORMED_RESPONSE;
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
