/* The query parameters checked as the vendor's Laravel form requests would, with Laravel 9's
 * default English messages. The rules (inferred; the vendor documents only the types): record list:
 *   page, per_page      nullable|integer|min:1
 *   keyword             nullable|string
 *   start_at, end_at    nullable|date_format:Y-m-d H:i:s
 *   levels              nullable|array;  levels.* array|size:2;  levels.*.* integer|min:0;
 *                       levels.*.0 lte:levels.*.1      (min:0 and lte dropped: score_range=lenient)
 *   intention_tags      nullable|array;  intention_tags.* integer|in:1,2,3,4,5
 *                                                      (in: dropped: intention_tags=lenient)
 *   hangup_date         nullable|array|size:2;  hangup_date.* date_format:Y-m-d H:i:s
 *   sub_user_id         nullable|string
 *   task list:          page, per_page as above; name nullable|string;
 *                       status nullable|in:1,2,3, or an array with status.* in:1,2,3 (in: compares
 *                       as PHP's loose ==: "02" is 2); sub_user_id
 *   batch play URLs:    recordIds required|array|max:30;  recordIds.* string;  sub_user_id
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

static bool php_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* How Laravel names a field in its messages: str_replace('_', ' ', Str::snake($field)). Str::snake
 * capitalises each word, drops the white space, puts '_' before every capital letter that follows
 * a character and lower-cases it all ("recordIds" -> "record ids"); an all-lower-case name stays.
 */
static void put_attribute(struct cdr_buf *b, const char *field)
{
    bool lower = *field != '\0';
    for (const char *p = field; *p; p++)
        lower = lower && *p >= 'a' && *p <= 'z';
    bool word_start = true, first = true;
    for (const char *p = field; *p; p++) {
        char c = *p;
        if (!lower && php_space(c)) {
            word_start = true;
            continue;
        }
        bool upper = !lower && ((c >= 'A' && c <= 'Z') || (word_start && c >= 'a' && c <= 'z'));
        if (upper && !first)
            cdr_buf_append(b, " ", 1);
        if (!lower && c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        cdr_buf_append(b, c == '_' ? " " : &c, 1);
        word_start = first = false;
    }
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
        put_attribute(&b, field);
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

static void read_paging(const struct yunfu_php_value *query, int64_t *page_out,
                        int64_t *per_page_out, const char **per_page_text, struct yunfu_errors *e)
{
    const struct yunfu_php_value *page = given(query, "page"), *per_page = given(query, "per_page");
    *page_out = 1;
    *per_page_out = YUNFU_DEFAULT_PER_PAGE;
    if (page && !integer_field(page, "page", 1, page_out, e))
        *page_out = 1;
    /* Laravel's paginator echoes the per_page it was handed: the request's string. */
    if (per_page && integer_field(per_page, "per_page", 1, per_page_out, e))
        *per_page_text = per_page->string;
    else
        *per_page_out = YUNFU_DEFAULT_PER_PAGE;
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

/* One [min, max] pair; false (errors recorded) when it is not two integers >= 0 in order (or, on
 * a lenient server, any two integers: a reversed range then matches nothing). */
static bool read_range(const struct yunfu_php_value *range, const char *field, bool lenient,
                       struct yunfu_range *out, struct yunfu_errors *e)
{
    int64_t bound[2] = {0, 0};
    bool ok = true;
    for (size_t j = 0; j < range->count; j++) {
        char inner[192];
        snprintf(inner, sizeof(inner), "%s.%.64s", field, range->items[j].key);
        int64_t v;
        bool good = integer_field(&range->items[j], inner, lenient ? INT64_MIN : 0, &v, e);
        if (good && j < 2)
            bound[j] = v;
        ok = ok && good;
    }
    if (!ok || range->count != 2)
        return false;
    if (bound[0] > bound[1] && !lenient) {
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

static void read_levels(const struct yunfu_php_value *query, bool lenient,
                        struct yunfu_list_params *p, struct yunfu_errors *e)
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
            read_range(range, field, lenient, &p->levels[p->level_count], e))
            p->level_count++;
    }
}

static void read_intentions(const struct yunfu_php_value *query, bool lenient,
                            struct yunfu_list_params *p, struct yunfu_errors *e)
{
    const struct yunfu_php_value *tags = given_array(query, "intention_tags", e);
    if (!tags)
        return;
    p->intention_filter = tags->count > 0;
    for (size_t i = 0; i < tags->count; i++) {
        char field[96];
        snprintf(field, sizeof(field), "intention_tags.%.64s", tags->items[i].key);
        int64_t v;
        if (!integer_field(&tags->items[i], field, INT64_MIN, &v, e))
            continue;
        if (v >= 1 && v <= 5)
            p->intentions |= 1u << v;
        else if (!lenient) /* a lenient server lets it pass; it matches no call */
            error_add(e, field, "The selected :attribute is invalid.");
    }
}

void yunfu_read_list_params(const struct yunfu_state *st, const struct yunfu_php_value *query,
                            struct yunfu_list_params *p, struct yunfu_errors *e)
{
    memset(p, 0, sizeof(*p));
    p->start_at = p->end_at = p->hangup_from = p->hangup_to = YUNFU_NO_VALUE;
    read_paging(query, &p->page, &p->per_page, &p->per_page_text, e);
    p->keyword = string_field(query, "keyword", e);
    /* start_at, end_at, then levels and intention_tags, then hangup_date: the rules' order. */
    const struct yunfu_php_value *start = given(query, "start_at"), *end = given(query, "end_at");
    if (start && !date_field(start, "start_at", &p->start_at, e))
        p->start_at = YUNFU_NO_VALUE;
    if (end && !date_field(end, "end_at", &p->end_at, e))
        p->end_at = YUNFU_NO_VALUE;
    read_levels(query, st->lenient_levels, p, e);
    read_intentions(query, st->lenient_intentions, p, e);
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

/* ---- the task list --------------------------------------------------------------------------- */

/* Whether text is a PHP numeric string (sign, digits, a fraction, an exponent) equal to n:
 * Laravel's in: rule compares loosely, so "02", "2.0" and "2e0" are 2. */
static bool loosely_equals(const char *text, int n)
{
    if (!*text || text[strspn(text, "0123456789+-.eE")])
        return false;
    char *end;
    double v = strtod(text, &end);
    return !*end && v == n;
}

/* One status value: 1, 2 or 3. */
static bool status_value(const struct yunfu_php_value *v, const char *field, unsigned *statuses,
                         struct yunfu_errors *e)
{
    for (int n = 1; v->kind == YUNFU_PHP_STRING && n <= 3; n++)
        if (loosely_equals(v->string, n)) {
            *statuses |= 1u << n;
            return true;
        }
    error_add(e, field, "The selected :attribute is invalid.");
    return false;
}

void yunfu_read_task_params(const struct yunfu_php_value *query, struct yunfu_task_params *p,
                            struct yunfu_errors *e)
{
    memset(p, 0, sizeof(*p));
    read_paging(query, &p->page, &p->per_page, &p->per_page_text, e);
    p->name = string_field(query, "name", e);
    const struct yunfu_php_value *status = given(query, "status");
    if (status && status->kind == YUNFU_PHP_ARRAY) {
        for (size_t i = 0; i < status->count; i++) {
            char field[96];
            snprintf(field, sizeof(field), "status.%.64s", status->items[i].key);
            status_value(&status->items[i], field, &p->statuses, e);
        }
    } else if (status) {
        status_value(status, "status", &p->statuses, e);
    }
    p->sub_user_id = string_field(query, "sub_user_id", e);
}

/* ---- the batch of play URLs ------------------------------------------------------------------ */

void yunfu_read_batch_params(const struct yunfu_php_value *query, const char ***ids, size_t *count,
                             const char **sub_user_id, struct yunfu_errors *e)
{
    *ids = NULL;
    *count = 0;
    const struct yunfu_php_value *list = given(query, "recordIds");
    if (!list || (list->kind == YUNFU_PHP_ARRAY && list->count == 0)) {
        error_add(e, "recordIds", "The :attribute field is required.");
    } else if (list->kind != YUNFU_PHP_ARRAY) {
        error_add(e, "recordIds", "The :attribute must be an array.");
    } else if (list->count > YUNFU_MAX_BATCH) {
        error_add(e, "recordIds", "The :attribute must not have more than %d items.",
                  YUNFU_MAX_BATCH);
    } else if (!(*ids = calloc(list->count, sizeof(**ids)))) {
        e->failed = true;
    } else {
        for (size_t i = 0; i < list->count; i++) {
            const struct yunfu_php_value *v = &list->items[i];
            char field[96];
            snprintf(field, sizeof(field), "recordIds.%.64s", v->key);
            if (v->kind != YUNFU_PHP_STRING)
                error_add(e, field, "The :attribute must be a string.");
            else
                (*ids)[(*count)++] = v->string;
        }
    }
    *sub_user_id = string_field(query, "sub_user_id", e);
}
