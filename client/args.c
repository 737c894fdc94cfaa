/* struct cdr_args, and reading its text values as a vendor's fields: parsing by kind, the bounds a
 * command line keeps, and filling the vendor's typed filter through the offsets in its table. */
#include <errno.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/timefmt.h"
#include "vendor_ops.h"

struct entry {
    char *name;
    char *value;
};

struct cdr_args {
    struct entry *entries;
    size_t count;
};

struct cdr_args *cdr_args_new(void)
{
    return calloc(1, sizeof(struct cdr_args));
}

void cdr_args_free(struct cdr_args *args)
{
    if (!args)
        return;
    for (size_t i = 0; i < args->count; i++) {
        free(args->entries[i].name);
        free(args->entries[i].value);
    }
    free(args->entries);
    free(args);
}

cdr_error cdr_args_add(struct cdr_args *args, const char *name, const char *value)
{
    if (!args || !name)
        return CDR_ERR_INVALID_ARGUMENT;
    struct entry *grown = realloc(args->entries, (args->count + 1) * sizeof(*grown));
    if (!grown)
        return CDR_ERR_NO_MEMORY;
    args->entries = grown;
    char *n = strdup(name), *v = strdup(value ? value : "");
    if (!n || !v) {
        free(n);
        free(v);
        return CDR_ERR_NO_MEMORY;
    }
    grown[args->count++] = (struct entry){n, v};
    return CDR_OK;
}

cdr_error cdr_args_set(struct cdr_args *args, const char *name, const char *value)
{
    if (!args || !name)
        return CDR_ERR_INVALID_ARGUMENT;
    size_t kept = 0;
    for (size_t i = 0; i < args->count; i++) {
        if (strcmp(args->entries[i].name, name) == 0) {
            free(args->entries[i].name);
            free(args->entries[i].value);
        } else {
            args->entries[kept++] = args->entries[i];
        }
    }
    args->count = kept;
    return value ? cdr_args_add(args, name, value) : CDR_OK;
}

const char *cdr_args_value(const struct cdr_args *args, const char *name, size_t i)
{
    for (size_t k = 0; args && k < args->count; k++)
        if (strcmp(args->entries[k].name, name) == 0 && i-- == 0)
            return args->entries[k].value;
    return NULL;
}

size_t cdr_args_count(const struct cdr_args *args, const char *name)
{
    size_t n = 0;
    for (size_t k = 0; args && k < args->count; k++)
        n += strcmp(args->entries[k].name, name) == 0;
    return n;
}

const char *cdr_args_get(const struct cdr_args *args, const char *name)
{
    size_t n = cdr_args_count(args, name);
    return n ? cdr_args_value(args, name, n - 1) : NULL;
}

bool cdr_args_entry(const struct cdr_args *args, size_t i, const char **name, const char **value)
{
    if (!args || i >= args->count)
        return false;
    *name = args->entries[i].name;
    *value = args->entries[i].value;
    return true;
}

/* ---- one value ------------------------------------------------------------------------------- */

static bool parse_int(const char *text, int64_t *out)
{
    if (!text || !*text)
        return false;
    errno = 0;
    char *end;
    long long v = strtoll(text, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static bool parse_time(const char *text, int64_t *out)
{
    int64_t t;
    if (cdr_time_parse_any(text, CDR_CHINA_OFFSET_SECONDS, out))
        return true;
    /* Unix seconds up to 9999-12-31T23:59:59Z, so milliseconds never overflow. */
    if (!parse_int(text, &t) || t < 0 || t > INT64_C(253402300799))
        return false;
    *out = t;
    return true;
}

static int name_index(const char *const *names, const char *text)
{
    for (int i = 0; names && names[i]; i++)
        if (strcmp(names[i], text) == 0)
            return i;
    return -1;
}

/* A parsed value: an integer (INT, TIME, FLAG, CHOICE, INT lists) or a range. */
struct value {
    int64_t n;
    int64_t max; /* RANGE_LIST: the range's upper end (n is its lower one) */
};

static cdr_error fail(const struct cdr_field *f, struct cdr_error_info *err, const char *text,
                      const char *why)
{
    return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "%s: \"%s\" %s", f->name, text, why);
}

static cdr_error parse_value(const struct cdr_field *f, const char *text, struct value *out,
                             struct cdr_error_info *err)
{
    int i;
    switch (f->kind) {
    case CDR_VALUE_STRING:
    case CDR_VALUE_STRING_LIST:
        return CDR_OK;
    case CDR_VALUE_INT:
    case CDR_VALUE_INT64_LIST:
        return parse_int(text, &out->n) ? CDR_OK : fail(f, err, text, "is not an integer");
    case CDR_VALUE_INT_LIST:
        if ((i = name_index(f->names, text)) >= 0) {
            out->n = f->min + i;
            return CDR_OK;
        }
        if (!parse_int(text, &out->n))
            return fail(f, err, text, "is not an integer");
        if (out->n < INT32_MIN || out->n > INT32_MAX)
            return fail(f, err, text, "does not fit an int");
        return CDR_OK;
    case CDR_VALUE_TIME:
        if (!parse_time(text, &out->n))
            return fail(f, err, text,
                        "is not a time: times take RFC 3339, \"YYYY-MM-DD HH:MM:SS\" (UTC+8) or "
                        "Unix seconds");
        out->n *= f->flags & CDR_FIELD_MILLIS ? 1000 : 1;
        return CDR_OK;
    case CDR_VALUE_FLAG:
        if (!*text || strcmp(text, "true") == 0 || strcmp(text, "1") == 0)
            out->n = 1;
        else if (strcmp(text, "false") == 0 || strcmp(text, "0") == 0)
            out->n = 0;
        else
            return fail(f, err, text, "is neither true nor false");
        return CDR_OK;
    case CDR_VALUE_CHOICE:
        if ((i = name_index(f->names, text)) < 0) {
            char list[160] = "";
            for (int k = 0; f->names && f->names[k]; k++)
                snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", k ? ", " : "",
                         f->names[k]);
            return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "%s: \"%s\" is not one of %s",
                                 f->name, text, list);
        }
        out->n = i;
        return CDR_OK;
    case CDR_VALUE_RANGE_LIST: {
        const char *colon = strchr(text, ':');
        char low[32];
        size_t n = colon ? (size_t)(colon - text) : 0;
        if (!colon || n == 0 || n >= sizeof(low))
            return fail(f, err, text, "is not MIN:MAX");
        memcpy(low, text, n);
        low[n] = '\0';
        if (!parse_int(low, &out->n) || !parse_int(colon + 1, &out->max))
            return fail(f, err, text, "is not MIN:MAX");
        return CDR_OK;
    }
    }
    return fail(f, err, text, "has a kind this library does not know");
}

static bool is_list(enum cdr_value_kind kind)
{
    return kind == CDR_VALUE_STRING_LIST || kind == CDR_VALUE_INT_LIST ||
           kind == CDR_VALUE_INT64_LIST || kind == CDR_VALUE_RANGE_LIST;
}

/* What a command line keeps besides the syntax: the field's bounds, a range in order. */
static cdr_error check_bounds(const struct cdr_field *f, const char *text, const struct value *v,
                              struct cdr_error_info *err)
{
    bool bounded =
        (f->min || f->max) && (f->kind == CDR_VALUE_INT || f->kind == CDR_VALUE_INT_LIST ||
                               f->kind == CDR_VALUE_INT64_LIST || f->kind == CDR_VALUE_RANGE_LIST);
    bool range = f->kind == CDR_VALUE_RANGE_LIST;
    if (bounded &&
        (v->n < f->min || v->n > f->max || (range && (v->max < f->min || v->max > f->max))))
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "%s: \"%s\" is outside %lld..%lld",
                             f->name, text, (long long)f->min, (long long)f->max);
    if (range && v->n > v->max)
        return fail(f, err, text, "has its minimum above its maximum");
    return CDR_OK;
}

const struct cdr_field *cdr_vendor_field(const struct cdr_vendor *v, const char *name)
{
    for (size_t i = 0; v && name && i < v->field_count; i++)
        if (strcmp(v->fields[i].name, name) == 0)
            return &v->fields[i];
    return NULL;
}

cdr_error cdr_vendor_check_args(const struct cdr_vendor *v, const struct cdr_args *args,
                                const struct cdr_field **bad, struct cdr_error_info *err)
{
    const struct cdr_field *ignored;
    bad = bad ? bad : &ignored;
    *bad = NULL;
    const char *name, *text;
    for (size_t i = 0; cdr_args_entry(args, i, &name, &text); i++) {
        const struct cdr_field *f = *bad = cdr_vendor_field(v, name);
        if (!f)
            return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "%s: not an argument of %s", name,
                                 v->id);
        struct value value = {0, 0};
        cdr_error rc = parse_value(f, text, &value, err);
        if (rc == CDR_OK)
            rc = check_bounds(f, text, &value, err);
        if (rc != CDR_OK)
            return rc;
    }
    for (size_t i = 0; i < v->field_count; i++) {
        *bad = &v->fields[i];
        if ((v->fields[i].flags & CDR_FIELD_REQUIRED) && !cdr_args_get(args, v->fields[i].name))
            return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "%s: required", v->fields[i].name);
    }
    *bad = NULL;
    return v->ops && v->ops->check ? v->ops->check(args, bad, err) : CDR_OK;
}

/* ---- the typed filter ------------------------------------------------------------------------ */

static size_t element_size(enum cdr_value_kind kind)
{
    switch (kind) {
    case CDR_VALUE_STRING_LIST:
        return sizeof(const char *);
    case CDR_VALUE_INT_LIST:
        return sizeof(int);
    case CDR_VALUE_INT64_LIST:
        return sizeof(int64_t);
    case CDR_VALUE_RANGE_LIST:
        return 2 * sizeof(int64_t);
    default:
        return 0;
    }
}

static size_t aligned(size_t n)
{
    size_t a = alignof(max_align_t);
    return (n + a - 1) / a * a;
}

/* An integer into a member of size bytes (bool, int or int64_t); false when it does not fit. */
static bool store_int(void *member, size_t size, int64_t n)
{
    if (size == sizeof(int64_t)) {
        memcpy(member, &n, size);
        return true;
    }
    if (size == sizeof(int) && n >= INT32_MIN && n <= INT32_MAX) {
        int small = (int)n;
        memcpy(member, &small, size);
        return true;
    }
    if (size == sizeof(bool) && (n == 0 || n == 1)) {
        bool flag = n != 0;
        memcpy(member, &flag, size);
        return true;
    }
    return false;
}

static cdr_error fill_list(const struct cdr_field *f, const struct cdr_args *args, char *filter,
                           unsigned char **next, struct cdr_error_info *err)
{
    size_t n = cdr_args_count(args, f->name);
    unsigned char *items = *next;
    *next += aligned(n * element_size(f->kind));
    for (size_t i = 0; i < n; i++) {
        const char *text = cdr_args_value(args, f->name, i);
        struct value v = {0, 0};
        cdr_error rc = parse_value(f, text, &v, err);
        if (rc != CDR_OK)
            return rc;
        if (f->kind == CDR_VALUE_STRING_LIST)
            ((const char **)(void *)items)[i] = text;
        else if (f->kind == CDR_VALUE_INT_LIST)
            ((int *)(void *)items)[i] = (int)v.n;
        else if (f->kind == CDR_VALUE_INT64_LIST)
            ((int64_t *)(void *)items)[i] = v.n;
        else
            memcpy(items + i * 2 * sizeof(int64_t), &v, 2 * sizeof(int64_t));
    }
    const void *list = n ? items : NULL;
    memcpy(filter + f->offset, &list, sizeof(list));
    memcpy(filter + f->aux, &n, sizeof(n));
    return CDR_OK;
}

static cdr_error fill_one(const struct cdr_field *f, const struct cdr_args *args, char *filter,
                          struct cdr_error_info *err)
{
    const char *text = cdr_args_get(args, f->name);
    if (!text)
        return CDR_OK;
    if (f->kind == CDR_VALUE_STRING) {
        memcpy(filter + f->offset, &text, sizeof(text));
    } else {
        struct value v = {0, 0};
        cdr_error rc = parse_value(f, text, &v, err);
        if (rc != CDR_OK)
            return rc;
        if (!store_int(filter + f->offset, f->size, v.n))
            return fail(f, err, text, "does not fit");
    }
    bool has = true;
    if (f->aux != CDR_NO_MEMBER)
        memcpy(filter + f->aux, &has, sizeof(has));
    return CDR_OK;
}

cdr_error cdr_vendor_fill_filter(const struct cdr_vendor *v, const struct cdr_args *args,
                                 void *filter, void **lists, struct cdr_error_info *err)
{
    *lists = NULL;
    size_t bytes = 0;
    for (size_t i = 0; i < v->field_count; i++)
        if (v->fields[i].offset != CDR_NO_MEMBER && is_list(v->fields[i].kind))
            bytes +=
                aligned(cdr_args_count(args, v->fields[i].name) * element_size(v->fields[i].kind));
    unsigned char *block = bytes ? calloc(1, bytes) : NULL;
    if (bytes && !block)
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    unsigned char *next = block;
    cdr_error rc = CDR_OK;
    for (size_t i = 0; i < v->field_count && rc == CDR_OK; i++) {
        const struct cdr_field *f = &v->fields[i];
        if (f->offset == CDR_NO_MEMBER)
            continue;
        rc = is_list(f->kind) ? fill_list(f, args, filter, &next, err)
                              : fill_one(f, args, filter, err);
    }
    if (rc != CDR_OK) {
        free(block);
        return rc;
    }
    *lists = block;
    return CDR_OK;
}

/* ---- for vendor code ------------------------------------------------------------------------- */

bool cdr__args_flag(const struct cdr_args *args, const char *name)
{
    const char *text = cdr_args_get(args, name);
    return text && strcmp(text, "false") != 0 && strcmp(text, "0") != 0;
}

cdr_error cdr__args_int(const struct cdr_vendor *v, const struct cdr_args *args, const char *name,
                        int64_t fallback, int64_t *out, struct cdr_error_info *err)
{
    const struct cdr_field *f = cdr_vendor_field(v, name);
    const char *text = cdr_args_get(args, name);
    *out = fallback;
    if (!f || !text)
        return CDR_OK;
    struct value value = {fallback, 0};
    cdr_error rc = parse_value(f, text, &value, err);
    if (rc == CDR_OK)
        *out = value.n;
    return rc;
}
