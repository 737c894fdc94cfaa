/* JSON as ITNIO's Java service reads it. Its page objects are MyBatis-Plus pages serialised by
 * Jackson (docs/vendors/itnio.md section 1), so request bodies are read by Jackson too: a raw
 * control character inside a string is a syntax error (ALLOW_UNQUOTED_CONTROL_CHARS is off by
 * default), of duplicate members the last one wins (each overwrites the field), an Integer outside
 * a Java int fails to bind, and an empty string bound to an Integer becomes null. Content after the
 * first value is refused by default (the reading the issue tracker settled on); stock Jackson
 * ignores it (FAIL_ON_TRAILING_TOKENS is off by default), the itnio.json_trailing variant. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Whether a raw byte below 0x20 sits inside a string literal of text. */
static bool control_in_string(const char *text, size_t len)
{
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (!in_string) {
            in_string = c == '"';
        } else if (c == '\\') {
            i++; /* the escaped character, whatever it is, belongs to the escape */
        } else if (c == '"') {
            in_string = false;
        } else if (c < 0x20) {
            return true;
        }
    }
    return false;
}

static bool only_whitespace(const char *p, const char *end)
{
    for (; p < end; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            return false;
    return true;
}

/* Removes every member an object repeats but its last occurrence, at every depth. Hashes keep a
 * body of many members linear. false when out of memory. */
static bool keep_last_members(cJSON *node)
{
    if (!cJSON_IsObject(node) && !cJSON_IsArray(node))
        return true;
    size_t n = 0;
    for (cJSON *c = node->child; c; c = c->next)
        n++;
    if (cJSON_IsObject(node) && n > 1) {
        cJSON **members = malloc(n * sizeof(*members));
        size_t cap = 4;
        while (cap < 2 * n)
            cap *= 2;
        const char **seen = calloc(cap, sizeof(*seen));
        if (!members || !seen) {
            free(members);
            free(seen);
            return false;
        }
        size_t i = 0;
        for (cJSON *c = node->child; c; c = c->next)
            members[i++] = c;
        while (i-- > 0) { /* last first: the one that stays */
            const char *key = members[i]->string ? members[i]->string : "";
            size_t slot = (size_t)itnio_key_hash(key) & (cap - 1);
            while (seen[slot] && strcmp(seen[slot], key) != 0)
                slot = (slot + 1) & (cap - 1);
            if (seen[slot])
                cJSON_Delete(cJSON_DetachItemViaPointer(node, members[i]));
            else
                seen[slot] = key;
        }
        free(members);
        free(seen);
    }
    for (cJSON *c = node->child; c; c = c->next)
        if (!keep_last_members(c))
            return false;
    return true;
}

cJSON *itnio_jackson_parse(const char *text, size_t len, bool trailing_ignored)
{
    if (!text || control_in_string(text, len))
        return NULL;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (!root)
        return NULL;
    if ((!trailing_ignored && !only_whitespace(end, text + len)) || !keep_last_members(root)) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

bool itnio_jackson_java_int(double v)
{
    return isfinite(v) && v == floor(v) && v >= -2147483648.0 && v <= 2147483647.0;
}

/* What Jackson makes of one value bound to an Integer. */
static enum mock_jv_result integer_of(const cJSON *item, int64_t *out)
{
    if (!item || cJSON_IsNull(item) || (cJSON_IsString(item) && !item->valuestring[0]))
        return MOCK_JV_ABSENT;
    if (!cJSON_IsNumber(item) || !itnio_jackson_java_int(item->valuedouble))
        return MOCK_JV_WRONG_TYPE;
    *out = (int64_t)item->valuedouble;
    return MOCK_JV_OK;
}

enum mock_jv_result itnio_jackson_int(const cJSON *obj, const char *key, int64_t *out)
{
    return integer_of(cJSON_GetObjectItemCaseSensitive(obj, key), out);
}

/* The list member, or NULL with *r set when it is absent or not a list. */
static const cJSON *list_member(const cJSON *obj, const char *key, enum mock_jv_result *r)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    *r = !item || cJSON_IsNull(item) ? MOCK_JV_ABSENT
         : cJSON_IsArray(item)       ? MOCK_JV_OK
                                     : MOCK_JV_WRONG_TYPE;
    return *r == MOCK_JV_OK ? item : NULL;
}

enum mock_jv_result itnio_jackson_int_list(const cJSON *obj, const char *key, int64_t **out,
                                           size_t *count)
{
    *out = NULL;
    *count = 0;
    enum mock_jv_result r;
    const cJSON *list = list_member(obj, key, &r);
    size_t n = list ? (size_t)cJSON_GetArraySize(list) : 0;
    if (!n)
        return r;
    int64_t *values = malloc(n * sizeof(*values));
    if (!values)
        return MOCK_JV_WRONG_TYPE;
    const cJSON *e;
    cJSON_ArrayForEach(e, list) {
        int64_t v;
        enum mock_jv_result one = integer_of(e, &v);
        if (one == MOCK_JV_WRONG_TYPE) {
            free(values);
            *count = 0; /* the values read so far went with the list */
            return MOCK_JV_WRONG_TYPE;
        }
        if (one == MOCK_JV_OK)
            values[(*count)++] = v;
    }
    if (!*count)
        free(values);
    else
        *out = values;
    return MOCK_JV_OK;
}

enum mock_jv_result itnio_jackson_string_list(const cJSON *obj, const char *key, const char ***out,
                                              size_t *count)
{
    *out = NULL;
    *count = 0;
    enum mock_jv_result r;
    const cJSON *list = list_member(obj, key, &r);
    size_t n = list ? (size_t)cJSON_GetArraySize(list) : 0;
    if (!n)
        return r;
    const char **values = malloc(n * sizeof(*values));
    if (!values)
        return MOCK_JV_WRONG_TYPE;
    const cJSON *e;
    cJSON_ArrayForEach(e, list) {
        if (cJSON_IsNull(e))
            continue;
        if (!cJSON_IsString(e)) {
            free(values);
            *count = 0; /* the values read so far went with the list */
            return MOCK_JV_WRONG_TYPE;
        }
        values[(*count)++] = e->valuestring;
    }
    if (!*count)
        free(values);
    else
        *out = values;
    return MOCK_JV_OK;
}
