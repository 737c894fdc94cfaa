/* The record list's query parameters checked as the vendor's Laravel form request would, with
 * Laravel 9's default English messages. The rules (inferred; the vendor documents only the types):
 *   page, per_page      nullable|integer|min:1
 *   keyword             nullable|string
 *   start_at, end_at    nullable|date_format:Y-m-d H:i:s
 *   levels              nullable|array;  levels.* array|size:2;  levels.*.* integer|min:0;
 *                       levels.*.0 lte:levels.*.1
 *   intention_tags      nullable|array;  intention_tags.* integer|in:1,2,3,4,5
 *   hangup_date         nullable|array|size:2;  hangup_date.* date_format:Y-m-d H:i:s
 *   sub_user_id         nullable|string
 * Each field reports its first failing rule only (the rules bail), in the order above. The failures
 * collect in Laravel's error bag (struct yunfu_errors), which reply.c renders as the 422 body. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/timefmt.h"
#include "internal.h"

#define DATE_FORMAT "Y-m-d H:i:s"

/* ---- Laravel's error bag --------------------------------------------------------------------- */

static bool error_has(const struct yunfu_errors *e, const char *field)
{
    for (size_t i = 0; i < e->count; i++)
        if (strcmp(e->items[i].field, field) == 0)
            return true;
    return false;
}

/* Records one failure of field unless it already failed (the rules bail). The message is Laravel's
 * template, printf-formatted, with ":attribute" standing for the field's name in words. */
static void error_add(struct yunfu_errors *e, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void error_add(struct yunfu_errors *e, const char *field, const char *fmt, ...)
{
    if (e->failed || error_has(e, field))
        return;
    char text[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    struct cdr_buf b;
    cdr_buf_init(&b);
    const char *at = strstr(text, ":attribute");
    cdr_buf_append(&b, text, at ? (size_t)(at - text) : strlen(text));
    if (at) {
        /* Laravel names a field in its messages by replacing underscores with spaces. */
        for (const char *p = field; *p; p++)
            cdr_buf_append(&b, *p == '_' ? " " : p, 1);
        cdr_buf_puts(&b, at + strlen(":attribute"));
    }
    struct yunfu_error *grown = realloc(e->items, (e->count + 1) * sizeof(*grown));
    char *name = strdup(field);
    if (!grown || !name || b.failed) {
        if (grown)
            e->items = grown;
        free(name);
        cdr_buf_free(&b);
        e->failed = true;
        return;
    }
    e->items = grown;
    grown[e->count].field = name;
    grown[e->count].message = cdr_buf_steal(&b);
    e->count++;
}

void yunfu_errors_free(struct yunfu_errors *e)
{
    for (size_t i = 0; i < e->count; i++) {
        free(e->items[i].field);
        free(e->items[i].message);
    }
    free(e->items);
    memset(e, 0, sizeof(*e));
}

/* ---- the rules ------------------------------------------------------------------------------- */

static const struct yunfu_php_value *given(const struct yunfu_php_value *query, const char *field)
{
    const struct yunfu_php_value *v = yunfu_php_get(query, field);
    return v && v->kind != YUNFU_PHP_NULL ? v : NULL;
}

/* An integer >= min; false when absent or invalid (then the error is recorded). */
static bool integer_field(const struct yunfu_php_value *v, const char *field, int64_t min,
                          int64_t *out, struct yunfu_errors *e)
{
    if (!v || v->kind != YUNFU_PHP_STRING || !yunfu_php_int(v->string, out)) {
        error_add(e, field, "The :attribute must be an integer.");
        return false;
    }
    if (*out < min) {
        error_add(e, field, "The :attribute must be at least %lld.", (long long)min);
        return false;
    }
    return true;
}

static bool date_field(const struct yunfu_php_value *v, const char *field, int64_t *out,
                       struct yunfu_errors *e)
{
    if (v && v->kind == YUNFU_PHP_STRING &&
        cdr_time_parse_local(v->string, CDR_CHINA_OFFSET_SECONDS, out))
        return true;
    error_add(e, field, "The :attribute does not match the format " DATE_FORMAT ".");
    return false;
}

static const char *string_field(const struct yunfu_php_value *query, const char *field,
                                struct yunfu_errors *e)
{
    const struct yunfu_php_value *v = given(query, field);
    if (v && v->kind != YUNFU_PHP_STRING) {
        error_add(e, field, "The :attribute must be a string.");
        return NULL;
    }
    return v ? v->string : NULL;
}

/* The field's array; NULL when it is absent, or not an array (then the error is recorded). */
static const struct yunfu_php_value *given_array(const struct yunfu_php_value *query,
                                                 const char *field, struct yunfu_errors *e)
{
    const struct yunfu_php_value *v = given(query, field);
    if (v && v->kind != YUNFU_PHP_ARRAY) {
        error_add(e, field, "The :attribute must be an array.");
        return NULL;
    }
    return v;
}

static void read_paging(const struct yunfu_php_value *query, struct yunfu_list_params *p,
                        struct yunfu_errors *e)
{
    const struct yunfu_php_value *page = given(query, "page"), *per_page = given(query, "per_page");
    if (page)
        integer_field(page, "page", 1, &p->page, e);
    /* Laravel's paginator echoes the per_page it was handed: the request's string. */
    if (per_page && integer_field(per_page, "per_page", 1, &p->per_page, e))
        p->per_page_text = per_page->string;
}

static void read_hangup(const struct yunfu_php_value *query, struct yunfu_list_params *p,
                        struct yunfu_errors *e)
{
    const struct yunfu_php_value *hangup = given_array(query, "hangup_date", e);
    if (!hangup)
        return;
    if (hangup->count != 2) {
        error_add(e, "hangup_date", "The :attribute must contain 2 items.");
        return;
    }
    int64_t t[2];
    bool ok = true;
    for (size_t i = 0; i < 2; i++) {
        char field[96];
        snprintf(field, sizeof(field), "hangup_date.%.64s", hangup->items[i].key);
        ok = date_field(&hangup->items[i], field, &t[i], e) && ok;
    }
    if (ok) {
        p->hangup_from = t[0];
        p->hangup_to = t[1];
    }
}

/* One [min, max] pair; false (errors recorded) when it is not two integers >= 0 in order. */
static bool read_range(const struct yunfu_php_value *range, const char *field,
                       struct yunfu_range *out, struct yunfu_errors *e)
{
    int64_t bound[2] = {0, 0};
    bool ok = true;
    for (size_t j = 0; j < range->count; j++) {
        char inner[192];
        snprintf(inner, sizeof(inner), "%s.%.64s", field, range->items[j].key);
        int64_t v;
        bool good = integer_field(&range->items[j], inner, 0, &v, e);
        if (good && j < 2)
            bound[j] = v;
        ok = ok && good;
    }
    if (!ok || range->count != 2)
        return false;
    if (bound[0] > bound[1]) {
        char first[192];
        snprintf(first, sizeof(first), "%s.%.64s", field, range->items[0].key);
        error_add(e, first, "The :attribute must be less than or equal to %lld.",
                  (long long)bound[1]);
        return false;
    }
    out->min = bound[0];
    out->max = bound[1];
    return true;
}

static void read_levels(const struct yunfu_php_value *query, struct yunfu_list_params *p,
                        struct yunfu_errors *e)
{
    const struct yunfu_php_value *levels = given_array(query, "levels", e);
    if (!levels)
        return;
    /* levels.* first, then levels.*.*: the order Laravel expands the wildcard rules in. */
    char field[96];
    for (size_t i = 0; i < levels->count; i++) {
        const struct yunfu_php_value *range = &levels->items[i];
        snprintf(field, sizeof(field), "levels.%.64s", range->key);
        if (range->kind != YUNFU_PHP_ARRAY)
            error_add(e, field, "The :attribute must be an array.");
        else if (range->count != 2)
            error_add(e, field, "The :attribute must contain 2 items.");
    }
    p->levels = levels->count ? calloc(levels->count, sizeof(*p->levels)) : NULL;
    if (levels->count && !p->levels) {
        e->failed = true;
        return;
    }
    for (size_t i = 0; i < levels->count; i++) {
        const struct yunfu_php_value *range = &levels->items[i];
        snprintf(field, sizeof(field), "levels.%.64s", range->key);
        if (range->kind == YUNFU_PHP_ARRAY &&
            read_range(range, field, &p->levels[p->level_count], e))
            p->level_count++;
    }
}

static void read_intentions(const struct yunfu_php_value *query, struct yunfu_list_params *p,
                            struct yunfu_errors *e)
{
    const struct yunfu_php_value *tags = given_array(query, "intention_tags", e);
    if (!tags)
        return;
    for (size_t i = 0; i < tags->count; i++) {
        char field[96];
        snprintf(field, sizeof(field), "intention_tags.%.64s", tags->items[i].key);
        int64_t v;
        if (!integer_field(&tags->items[i], field, INT64_MIN, &v, e))
            continue;
        if (v < 1 || v > 5)
            error_add(e, field, "The selected :attribute is invalid.");
        else
            p->intentions |= 1u << v;
    }
}

void yunfu_read_list_params(const struct yunfu_php_value *query, struct yunfu_list_params *p,
                            struct yunfu_errors *e)
{
    memset(p, 0, sizeof(*p));
    p->page = 1;
    p->per_page = YUNFU_DEFAULT_PER_PAGE;
    p->start_at = p->end_at = p->hangup_from = p->hangup_to = YUNFU_NO_VALUE;
    read_paging(query, p, e);
    p->keyword = string_field(query, "keyword", e);
    /* start_at, end_at, then levels and intention_tags, then hangup_date: the rules' order. */
    const struct yunfu_php_value *start = given(query, "start_at"), *end = given(query, "end_at");
    if (start && !date_field(start, "start_at", &p->start_at, e))
        p->start_at = YUNFU_NO_VALUE;
    if (end && !date_field(end, "end_at", &p->end_at, e))
        p->end_at = YUNFU_NO_VALUE;
    read_levels(query, p, e);
    read_intentions(query, p, e);
    read_hangup(query, p, e);
    p->sub_user_id = string_field(query, "sub_user_id", e);
}

void yunfu_list_params_free(struct yunfu_list_params *p)
{
    free(p->levels);
    p->levels = NULL;
    p->level_count = 0;
}

void yunfu_read_sub_user(const struct yunfu_php_value *query, const char **sub_user_id,
                         struct yunfu_errors *e)
{
    *sub_user_id = string_field(query, "sub_user_id", e);
}
