/* A vendor's fields read from text (parsing by kind, the bounds a command line keeps, the typed
 * filter filled through the offsets in the vendor's table) and read back from a typed filter (so
 * a vendor's request is built from its table rather than one hand-written line per filter). */
#include <errno.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/timefmt.h"
#include "vendor_ops.h"

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
    for (const struct cdr_field *f = v && name ? v->fields : NULL; f && f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
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
    for (const struct cdr_field *f = v->fields; f->name; f++) {
        bool given = cdr_args_get(args, f->name) != NULL;
        *bad = f;
        if ((f->flags & CDR_FIELD_REQUIRED) && !given)
            return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "%s: required", f->name);
        /* A pair: both or neither, the message naming the one missing. */
        const struct cdr_field *partner = f + 1;
        if ((f->flags & CDR_FIELD_PAIRED) && partner->name &&
            given != (cdr_args_get(args, partner->name) != NULL)) {
            *bad = given ? partner : f;
            return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "%s: required with %s",
                                 (*bad)->name, given ? f->name : partner->name);
        }
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
    for (const struct cdr_field *f = v->fields; f->name; f++)
        if (f->offset != CDR_NO_MEMBER && is_list(f->kind))
            bytes += aligned(cdr_args_count(args, f->name) * element_size(f->kind));
    unsigned char *block = bytes ? calloc(1, bytes) : NULL;
    if (bytes && !block)
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    unsigned char *next = block;
    cdr_error rc = CDR_OK;
    for (const struct cdr_field *f = v->fields; f->name && rc == CDR_OK; f++) {
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

/* ---- reading a typed filter back ------------------------------------------------------------- */

static const char *at(const void *filter, size_t offset)
{
    return (const char *)filter + offset;
}

int64_t cdr__field_int(const struct cdr_field *f, const void *filter)
{
    const char *p = at(filter, f->offset);
    if (f->size == sizeof(int64_t)) {
        int64_t v;
        memcpy(&v, p, sizeof(v));
        return v;
    }
    if (f->size == sizeof(int)) {
        int v;
        memcpy(&v, p, sizeof(v));
        return v;
    }
    bool flag;
    memcpy(&flag, p, sizeof(flag));
    return flag;
}

const char *cdr__field_text(const struct cdr_field *f, const void *filter)
{
    const char *text;
    memcpy(&text, at(filter, f->offset), sizeof(text));
    return text;
}

size_t cdr__field_count(const struct cdr_field *f, const void *filter)
{
    size_t n;
    memcpy(&n, at(filter, f->aux), sizeof(n));
    return n;
}

/* The list member's items. */
static const void *items(const struct cdr_field *f, const void *filter)
{
    const void *list;
    memcpy(&list, at(filter, f->offset), sizeof(list));
    return list;
}

int64_t cdr__field_int_at(const struct cdr_field *f, const void *filter, size_t i)
{
    const void *list = items(f, filter);
    if (f->kind == CDR_VALUE_INT_LIST)
        return ((const int *)list)[i];
    return ((const int64_t *)list)[i]; /* INT64_LIST, and RANGE_LIST's ends: min, max, min, ... */
}

const char *cdr__field_text_at(const struct cdr_field *f, const void *filter, size_t i)
{
    return ((const char *const *)items(f, filter))[i];
}

static bool is_set(const struct cdr_field *f, const void *filter)
{
    if (f->offset == CDR_NO_MEMBER)
        return false;
    if (is_list(f->kind))
        return cdr__field_count(f, filter) > 0;
    if (f->kind == CDR_VALUE_STRING)
        return cdr__field_text(f, filter) != NULL;
    if (f->aux != CDR_NO_MEMBER) {
        bool has;
        memcpy(&has, at(filter, f->aux), sizeof(has));
        return has;
    }
    return f->kind != CDR_VALUE_TIME || cdr__field_int(f, filter) != CDR_TIME_NONE;
}

bool cdr__field_sent(const struct cdr_field *fields, const struct cdr_field *f, const void *filter)
{
    if (!f->param || !is_set(f, filter))
        return false;
    if ((f->flags & CDR_FIELD_PAIRED) && f[1].name)
        return is_set(f + 1, filter);
    if (f > fields && (f[-1].flags & CDR_FIELD_PAIRED))
        return is_set(f - 1, filter);
    return true;
}
