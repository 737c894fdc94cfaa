/* How PHP turns a query string into $_GET ("levels[0][]=0&levels[0][]=100" is a nested array),
 * followed by the two Laravel middlewares every request passes: TrimStrings and
 * ConvertEmptyStringsToNull. The validation rules then see exactly what the vendor's code sees. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define PHP_MAX_NESTING 64 /* max_input_nesting_level: a deeper name drops its whole variable */
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

/* Removes the item at index i of array (PHP's zend_symtable_str_del on the top-level name). */
static void remove_item(struct yunfu_php_value *array, size_t i)
{
    yunfu_php_free(&array->items[i]);
    memmove(&array->items[i], &array->items[i + 1], (array->count - i - 1) * sizeof(*array->items));
    array->count--;
}

static bool starts_with(const char *text, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && strncmp(text, prefix, n) == 0;
}

/* A name that only PHP's mangling made start with a cookie prefix is refused (the fix of
 * CVE-2022-31629): the key as mangled against the raw name after its leading spaces. */
static bool forbidden_name(const char *key, size_t key_len, const char *raw)
{
    static const char *const prefixes[] = {"__Host-", "__Secure-"};
    for (size_t i = 0; i < 2; i++)
        if (starts_with(key, key_len, prefixes[i]) &&
            strncmp(raw, prefixes[i], strlen(prefixes[i])))
            return true;
    return false;
}

/* The C locale's isspace, which PHP uses for the one character it skips after '['. */
static bool php_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

enum outcome { STORED, DROPPED, OUT_OF_MEMORY };

/* The child of array under key (NULL: append) turned into an array, as PHP's walk down a bracket
 * level does: an existing scalar is replaced by an empty array. */
static struct yunfu_php_value *descend(struct yunfu_php_value *array, const char *key, size_t len)
{
    struct yunfu_php_value *v = child(array, key, len);
    if (v)
        make_array(v);
    return v;
}

/* One variable of the query, as php_register_variable_ex (main/php_variables.c) files it. */
static enum outcome register_variable(struct yunfu_php_value *root, const char *name,
                                      const char *value)
{
    while (*name == ' ') /* leading spaces of a name are ignored */
        name++;
    const char *raw = name;
    char *copy = strdup(name); /* cut up by the walk */
    if (!copy)
        return OUT_OF_MEMORY;
    char *var = copy, *p = var, *ip = NULL;
    /* Spaces and dots become '_' up to the first '[' only. */
    for (; *p; p++) {
        if (*p == ' ' || *p == '.') {
            *p = '_';
        } else if (*p == '[') {
            ip = p;
            *p = '\0';
            break;
        }
    }
    size_t var_len = (size_t)(p - var);
    enum outcome result = DROPPED;
    if (var_len == 0)
        goto done;
    struct yunfu_php_value *table = root;
    char *index = var; /* NULL: the next integer key */
    size_t index_len = var_len;
    for (int level = 1; ip; level++) {
        if (level > PHP_MAX_NESTING) { /* the whole top-level variable goes */
            for (size_t i = 0; i < root->count; i++)
                if (strlen(root->items[i].key) == var_len &&
                    memcmp(root->items[i].key, var, var_len) == 0) {
                    remove_item(root, i);
                    break;
                }
            goto done;
        }
        char *index_s = ++ip, *close = NULL;
        if (php_space(*ip))
            ip++;
        if (*ip == ']') {
            index_s = NULL;
            close = ip;
        } else if (!(close = strchr(ip, ']'))) {
            /* An opening bracket never closed: written as '_', the rest of the name kept as is
             * (this extends only the top-level name, whose end was that bracket). */
            index_s[-1] = '_';
            index_len = index ? strlen(index) : 0;
            break;
        }
        *close = '\0';
        size_t new_len = index_s ? (size_t)(close - index_s) : 0;
        if (index && forbidden_name(index, index_len, raw))
            goto done;
        if (!(table = descend(table, index, index_len))) {
            result = OUT_OF_MEMORY;
            goto done;
        }
        index = index_s;
        index_len = new_len;
        ip = close[1] == '[' ? close + 1 : NULL;
    }
    if (index && forbidden_name(index, index_len, raw))
        goto done;
    struct yunfu_php_value *v = child(table, index, index_len);
    result = v && set_scalar(v, value) ? STORED : OUT_OF_MEMORY;
done:
    free(copy);
    return result;
}

bool yunfu_php_parse(const struct mock_kv *pairs, size_t count, struct yunfu_php_value *root)
{
    memset(root, 0, sizeof(*root));
    root->kind = YUNFU_PHP_ARRAY;
    if (!(root->key = strdup("")))
        return false;
    for (size_t i = 0; i < count && i < PHP_MAX_VARS; i++)
        if (register_variable(root, pairs[i].name, pairs[i].value ? pairs[i].value : "") ==
            OUT_OF_MEMORY)
            return false;
    return true;
}
