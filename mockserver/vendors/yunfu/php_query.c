/* How PHP turns a query string into $_GET ("levels[0][]=0&levels[0][]=100" is a nested array),
 * followed by the two Laravel middlewares every request passes: TrimStrings and
 * ConvertEmptyStringsToNull. The validation rules then see exactly what the vendor's code sees. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define PHP_MAX_NESTING 64 /* max_input_nesting_level: deeper variables are dropped */
#define PHP_MAX_VARS 1000  /* max_input_vars: later variables are ignored */

bool yunfu_php_int(const char *text, int64_t *out)
{
    const char *p = text;
    if (*p == '+' || *p == '-')
        p++;
    if (*p < '0' || *p > '9' || (*p == '0' && p[1] != '\0'))
        return false;
    for (const char *d = p; *d; d++)
        if (*d < '0' || *d > '9')
            return false;
    errno = 0;
    char *end;
    long long v = strtoll(text, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

void yunfu_php_free(struct yunfu_php_value *v)
{
    for (size_t i = 0; i < v->count; i++)
        yunfu_php_free(&v->items[i]);
    free(v->items);
    free(v->key);
    free(v->string);
    memset(v, 0, sizeof(*v));
}

const struct yunfu_php_value *yunfu_php_get(const struct yunfu_php_value *array, const char *key)
{
    if (!array || array->kind != YUNFU_PHP_ARRAY)
        return NULL;
    for (size_t i = 0; i < array->count; i++)
        if (strcmp(array->items[i].key, key) == 0)
            return &array->items[i];
    return NULL;
}

static void make_array(struct yunfu_php_value *v)
{
    if (v->kind == YUNFU_PHP_ARRAY)
        return;
    free(v->string);
    v->string = NULL;
    v->kind = YUNFU_PHP_ARRAY;
    v->next_index = 0;
}

/* The child of array under key (created empty when missing); NULL when out of memory. */
static struct yunfu_php_value *child(struct yunfu_php_value *array, const char *key, size_t key_len)
{
    char text[24];
    if (!key) { /* "[]": the next integer key */
        snprintf(text, sizeof(text), "%lld", (long long)array->next_index);
        key = text;
        key_len = strlen(text);
    }
    for (size_t i = 0; i < array->count; i++)
        if (strlen(array->items[i].key) == key_len &&
            memcmp(array->items[i].key, key, key_len) == 0)
            return &array->items[i];
    if (array->count == array->cap) {
        size_t cap = array->cap ? array->cap * 2 : 4;
        struct yunfu_php_value *grown = realloc(array->items, cap * sizeof(*grown));
        if (!grown)
            return NULL;
        array->items = grown;
        array->cap = cap;
    }
    struct yunfu_php_value *v = &array->items[array->count];
    memset(v, 0, sizeof(*v));
    if (!(v->key = strndup(key, key_len)))
        return NULL;
    array->count++;
    int64_t n;
    /* Integer-looking keys are integers in PHP and move the append position past them. */
    if (yunfu_php_int(v->key, &n) && v->key[0] != '+' && strcmp(v->key, "-0") != 0 &&
        n >= array->next_index && n < INT64_MAX)
        array->next_index = n + 1;
    return v;
}

/* TrimStrings, then ConvertEmptyStringsToNull. */
static bool set_scalar(struct yunfu_php_value *v, const char *value)
{
    static const char space[] = " \t\n\r\v";
    size_t start = strspn(value, space), len = strlen(value + start);
    while (len && strchr(space, value[start + len - 1]))
        len--;
    for (size_t i = 0; i < v->count; i++)
        yunfu_php_free(&v->items[i]);
    free(v->items);
    free(v->string);
    v->items = NULL;
    v->count = v->cap = 0;
    v->string = NULL;
    v->kind = len ? YUNFU_PHP_STRING : YUNFU_PHP_NULL;
    if (len && !(v->string = strndup(value + start, len)))
        return false;
    return true;
}

/* Splits "base[a][][b]" into the base name and bracket segments; a segment is NULL for "[]".
 * Returns the number of segments, or -1 when PHP would drop the variable. */
static int split_name(const char *name, char *base, size_t base_cap, const char **seg,
                      size_t *seg_len)
{
    size_t first = strcspn(name, "["), blen = first;
    const char *p = name + blen;
    /* An opening bracket never closed is part of the name, written as '_'. */
    if (*p == '[' && !strchr(p, ']')) {
        blen = strlen(name);
        p = name + blen;
    }
    if (first == 0 || blen >= base_cap)
        return -1;
    memcpy(base, name, blen);
    base[blen] = '\0';
    for (size_t c = 0; c < first; c++)
        if (base[c] == '.' || base[c] == ' ')
            base[c] = '_';
    if (blen > first)
        base[first] = '_';
    int n = 0;
    while (*p == '[') {
        const char *close = strchr(p, ']');
        if (!close)
            break; /* PHP ignores the rest */
        if (n == PHP_MAX_NESTING)
            return -1;
        seg[n] = close == p + 1 ? NULL : p + 1;
        seg_len[n] = (size_t)(close - p - 1);
        n++;
        p = close + 1;
    }
    return n;
}

bool yunfu_php_parse(const struct mock_kv *pairs, size_t count, struct yunfu_php_value *root)
{
    memset(root, 0, sizeof(*root));
    root->kind = YUNFU_PHP_ARRAY;
    if (!(root->key = strdup("")))
        return false;
    const char *seg[PHP_MAX_NESTING];
    size_t seg_len[PHP_MAX_NESTING];
    char base[1024];
    for (size_t i = 0; i < count && i < PHP_MAX_VARS; i++) {
        int n = split_name(pairs[i].name, base, sizeof(base), seg, seg_len);
        if (n < 0)
            continue;
        struct yunfu_php_value *v = child(root, base, strlen(base));
        for (int k = 0; v && k < n; k++) {
            make_array(v);
            v = child(v, seg[k], seg_len[k]);
        }
        if (!v || !set_scalar(v, pairs[i].value ? pairs[i].value : ""))
            return false;
    }
    return true;
}
