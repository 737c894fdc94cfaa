/* Step expectations: what a call's result must look like, written declaratively in the suite. */
#include <stdlib.h>
#include <string.h>

#include "cdrsim/timefmt.h"
#include "expect.h"
#include "json_type.h"

cJSON *conform_field(const struct cdr_record *r, const char *field)
{
    if (strncmp(field, "raw.", 4) == 0) {
        cJSON *raw = r->raw_json ? cJSON_Parse(r->raw_json) : NULL;
        const cJSON *cur = conform_entry_field(raw, field + 4);
        cJSON *copy = cur ? cJSON_Duplicate(cur, true) : NULL;
        cJSON_Delete(raw);
        return copy;
    }
    const struct {
        const char *name;
        const char *value;
    } strings[] = {{"vendor", r->vendor},
                   {"id", r->id},
                   {"call_id", r->call_id},
                   {"direction", cdr_direction_name(r->direction)},
                   {"caller", r->caller},
                   {"callee", r->callee},
                   {"agent", r->agent},
                   {"group", r->group},
                   {"hangup_by", cdr_hangup_by_name(r->hangup_by)}};
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        if (strcmp(field, strings[i].name) == 0)
            return strings[i].value ? cJSON_CreateString(strings[i].value) : cJSON_CreateNull();
    const struct {
        const char *name;
        int64_t value;
        bool is_time;
    } numbers[] = {{"start_time", r->start_time, true},
                   {"answer_time", r->answer_time, true},
                   {"end_time", r->end_time, true},
                   {"ring_seconds", r->ring_seconds, false},
                   {"talk_seconds", r->talk_seconds, false}};
    for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
        if (strcmp(field, numbers[i].name) != 0)
            continue;
        if (numbers[i].is_time) {
            if (numbers[i].value == CDR_TIME_NONE)
                return cJSON_CreateNull();
            char text[CDR_RFC3339_LEN + 1];
            cdr_time_format_rfc3339(numbers[i].value, text);
            return cJSON_CreateString(text);
        }
        return numbers[i].value < 0 ? cJSON_CreateNull()
                                    : cJSON_CreateNumber((double)numbers[i].value);
    }
    if (strcmp(field, "recording_urls") == 0) {
        cJSON *list = cJSON_CreateArray();
        for (size_t i = 0; list && i < r->recording_url_count; i++)
            cJSON_AddItemToArray(list, cJSON_CreateString(r->recording_urls[i]));
        return list;
    }
    return NULL;
}

/* Numbers and numeric strings compare equal when their text is the same ("2" and 2): vendors
 * switch between the two, and that is drift's business, not a predicate's. */
static bool loosely_equal(const cJSON *a, const cJSON *b)
{
    if (cJSON_Compare(a, b, true))
        return true;
    char *x = cJSON_IsString(a) ? strdup(a->valuestring) : cJSON_PrintUnformatted(a);
    char *y = cJSON_IsString(b) ? strdup(b->valuestring) : cJSON_PrintUnformatted(b);
    bool same = x && y && (cJSON_IsNumber(a) || cJSON_IsNumber(b)) && strcmp(x, y) == 0;
    free(x);
    free(y);
    return same;
}

/* A number, or a string that is all number ("2"), as a double. */
static bool numeric(const cJSON *v, double *out)
{
    if (cJSON_IsNumber(v)) {
        *out = v->valuedouble;
        return true;
    }
    if (!cJSON_IsString(v) || !v->valuestring[0])
        return false;
    char *end;
    *out = strtod(v->valuestring, &end);
    return *end == '\0';
}

/* -1, 0 or 1 as a is below, equal to or above b; 2 when they cannot be ordered. Numbers compare
 * by value (a numeric string against a number too, as in loosely_equal), strings by their bytes,
 * which puts "2022-09-29 15:09:13" and RFC 3339 UTC times in time order. */
static int order_of(const cJSON *a, const cJSON *b)
{
    double x, y;
    if ((cJSON_IsNumber(a) || cJSON_IsNumber(b)) && numeric(a, &x) && numeric(b, &y))
        return (x > y) - (x < y);
    if (cJSON_IsString(a) && cJSON_IsString(b)) {
        int c = strcmp(a->valuestring, b->valuestring);
        return (c > 0) - (c < 0);
    }
    return 2;
}

/* Inside the inclusive bounds given (either may be absent). */
static bool within(const cJSON *value, const cJSON *min, const cJSON *max)
{
    int lo = min ? order_of(value, min) : 0, hi = max ? order_of(value, max) : 0;
    return (lo == 0 || lo == 1) && (hi == 0 || hi == -1);
}

/* Whether value (owned, NULL when absent) satisfies where; on false, why names who and the value.
 */
static bool judge(const cJSON *where, cJSON *value, const char *who, struct cdr_buf *why)
{
    const cJSON *field = cJSON_GetObjectItemCaseSensitive(where, "field");
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(where, "in");
    const cJSON *equals = cJSON_GetObjectItemCaseSensitive(where, "equals");
    const cJSON *contains = cJSON_GetObjectItemCaseSensitive(where, "contains");
    const cJSON *not_null = cJSON_GetObjectItemCaseSensitive(where, "not_null");
    const cJSON *min = cJSON_GetObjectItemCaseSensitive(where, "min");
    const cJSON *max = cJSON_GetObjectItemCaseSensitive(where, "max");
    bool ok = true;
    if (in) {
        ok = false;
        const cJSON *e;
        cJSON_ArrayForEach(e, in)
            ok = ok || (value && loosely_equal(e, value));
        /* A list-valued field matches when any element is in the list (labels, tags). */
        const cJSON *elem;
        cJSON_ArrayForEach(elem, (cJSON_IsArray(value) ? value : NULL))
            cJSON_ArrayForEach(e, in)
                ok = ok || loosely_equal(e, elem);
    }
    if (ok && equals)
        ok = value && loosely_equal(equals, value);
    if (ok && cJSON_IsString(contains))
        ok = cJSON_IsString(value) && strstr(value->valuestring, contains->valuestring);
    if (ok && cJSON_IsTrue(not_null))
        ok = value && !cJSON_IsNull(value);
    if (ok && (min || max))
        ok = value && within(value, min, max);
    if (!ok) {
        char *seen = value ? cJSON_PrintUnformatted(value) : NULL;
        char *rule = cJSON_PrintUnformatted(where);
        cdr_buf_printf(why, "%s: %s is %s, expected %s", who, field->valuestring,
                       seen ? seen : "absent", rule ? rule : "?");
        free(seen);
        free(rule);
    }
    cJSON_Delete(value);
    return ok;
}

bool conform_predicate(const cJSON *where, const struct cdr_record *r, struct cdr_buf *why)
{
    const cJSON *field = cJSON_GetObjectItemCaseSensitive(where, "field");
    if (!cJSON_IsString(field)) {
        cdr_buf_puts(why, "predicate without a \"field\"");
        return false;
    }
    char who[160];
    snprintf(who, sizeof(who), "record %s", r->id ? r->id : "?");
    return judge(where, conform_field(r, field->valuestring), who, why);
}

const cJSON *conform_entry_field(const cJSON *entry, const char *path)
{
    const cJSON *cur = entry;
    char key[128];
    for (const char *p = path; cur && *p;) {
        size_t len = strcspn(p, ".");
        snprintf(key, sizeof(key), "%.*s", (int)len, p);
        cur = cJSON_GetObjectItemCaseSensitive(cur, key);
        p += len + (p[len] == '.');
    }
    return cur;
}

bool conform_entry_predicate(const cJSON *where, const cJSON *entry, size_t index,
                             struct cdr_buf *why)
{
    const cJSON *field = cJSON_GetObjectItemCaseSensitive(where, "field");
    if (!cJSON_IsString(field)) {
        cdr_buf_puts(why, "predicate without a \"field\"");
        return false;
    }
    const cJSON *value = conform_entry_field(entry, field->valuestring);
    char who[32];
    snprintf(who, sizeof(who), "entry %zu", index + 1);
    return judge(where, value ? cJSON_Duplicate(value, true) : NULL, who, why);
}

static void fail(struct conform_expect_ctx *c, const char *fmt, const char *a, const char *b)
{
    c->failed = true;
    cdr_buf_printf(c->messages, "%s: ", c->label);
    cdr_buf_printf(c->messages, fmt, a, b);
    cdr_buf_puts(c->messages, "\n");
}

/* A failure whose text holds suite content (member names, ids): never used as a format. */
static void fail_text(struct conform_expect_ctx *c, const struct cdr_buf *text)
{
    fail(c, "%s%s", text->data ? text->data : "", "");
}

static void expect_int(struct conform_expect_ctx *c, const cJSON *expect, const char *key,
                       int64_t actual, int cmp /* 0 equal, 1 min, -1 max */)
{
    const cJSON *want = cJSON_GetObjectItemCaseSensitive(expect, key);
    if (!cJSON_IsNumber(want))
        return;
    int64_t w = cdr__json_int64(want, 0);
    bool ok = cmp == 0 ? actual == w : cmp > 0 ? actual >= w : actual <= w;
    if (!ok) {
        char a[32], b[48];
        snprintf(a, sizeof(a), "%lld", (long long)actual);
        snprintf(b, sizeof(b), "%s%lld",
                 cmp == 0  ? ""
                 : cmp > 0 ? "at least "
                           : "at most ",
                 (long long)w);
        char what[64];
        snprintf(what, sizeof(what), "%s is %%s, expected %%s", key);
        fail(c, what, a, b);
    }
}

/* "paging": {"per_page": "1", "has_pages": true}: each member exactly as the vendor sent it,
 * type included, so a number where the vendor documents a string is a failure here. */
static void expect_paging(struct conform_expect_ctx *c, const cJSON *want,
                          const struct conform_result *r)
{
    if (!r->paging) {
        fail(c, "expected paging metadata, the call reported none%s%s", "", "");
        return;
    }
    const cJSON *m;
    cJSON_ArrayForEach(m, want) {
        const cJSON *seen = cJSON_GetObjectItemCaseSensitive(r->paging, m->string);
        if (seen && cJSON_Compare(seen, m, true))
            continue;
        char *seen_text = seen ? cJSON_PrintUnformatted(seen) : NULL;
        char *want_text = cJSON_PrintUnformatted(m);
        struct cdr_buf what;
        cdr_buf_init(&what);
        cdr_buf_printf(&what, "paging.%s is %s, expected %s", m->string,
                       seen_text ? seen_text : "absent", want_text ? want_text : "?");
        fail_text(c, &what);
        cdr_buf_free(&what);
        free(seen_text);
        free(want_text);
    }
}

/* "order": "newest_first" | "oldest_first", by start time; records without one are not judged. */
static void expect_order(struct conform_expect_ctx *c, const char *order,
                         const struct conform_result *r)
{
    bool newest = strcmp(order, "newest_first") == 0;
    if (!newest && strcmp(order, "oldest_first") != 0) {
        fail(c, "\"order\" must be %s or %s", "newest_first", "oldest_first");
        return;
    }
    const struct cdr_record *prev = NULL;
    for (size_t i = 0; i < r->count; i++) {
        const struct cdr_record *cur = &r->records[i];
        if (cur->start_time == CDR_TIME_NONE)
            continue;
        if (prev &&
            (newest ? cur->start_time > prev->start_time : cur->start_time < prev->start_time)) {
            char a[CDR_RFC3339_LEN + 1], b[CDR_RFC3339_LEN + 1];
            cdr_time_format_rfc3339(prev->start_time, a);
            cdr_time_format_rfc3339(cur->start_time, b);
            struct cdr_buf what;
            cdr_buf_init(&what);
            cdr_buf_printf(&what, "records are not %s: %s (%s) comes before %s (%s)",
                           newest ? "newest first" : "oldest first", prev->id ? prev->id : "?", a,
                           cur->id ? cur->id : "?", b);
            fail_text(c, &what);
            cdr_buf_free(&what);
            return; /* one example is enough to read */
        }
        prev = cur;
    }
}

/* The entries of a view: an array's items, or the one object. */
static const cJSON *first_entry(const cJSON *view)
{
    return cJSON_IsArray(view) ? view->child : view;
}

/* "entries": a predicate every entry of the view satisfies. */
static void expect_entries(struct conform_expect_ctx *c, const cJSON *where,
                           const struct conform_result *r)
{
    size_t i = 0;
    for (const cJSON *e = first_entry(r->view); e; e = cJSON_IsArray(r->view) ? e->next : NULL) {
        struct cdr_buf why;
        cdr_buf_init(&why);
        bool ok = conform_entry_predicate(where, e, i++, &why);
        if (!ok)
            fail_text(c, &why);
        cdr_buf_free(&why);
        if (!ok)
            return; /* one example is enough to read */
    }
}

/* "entry": {"match": {path: value}, "fields": {path: value}}: the first entry with every match
 * has every field, values compared exactly. */
static void expect_entry(struct conform_expect_ctx *c, const cJSON *want,
                         const struct conform_result *r)
{
    const cJSON *match = cJSON_GetObjectItemCaseSensitive(want, "match");
    const cJSON *found = NULL;
    for (const cJSON *e = first_entry(r->view); e && !found;
         e = cJSON_IsArray(r->view) ? e->next : NULL) {
        bool all = true;
        const cJSON *m;
        cJSON_ArrayForEach(m, match) {
            const cJSON *v = conform_entry_field(e, m->string);
            all = all && v && cJSON_Compare(v, m, true);
        }
        found = all ? e : NULL;
    }
    char *match_text = cJSON_PrintUnformatted(match);
    struct cdr_buf what;
    cdr_buf_init(&what);
    if (!found) {
        cdr_buf_printf(&what, "no entry matches %s", match_text ? match_text : "{}");
        fail_text(c, &what);
    }
    const cJSON *f;
    cJSON_ArrayForEach(f, (found ? cJSON_GetObjectItemCaseSensitive(want, "fields") : NULL)) {
        const cJSON *v = conform_entry_field(found, f->string);
        if (v && cJSON_Compare(v, f, true))
            continue;
        char *seen = v ? cJSON_PrintUnformatted(v) : NULL;
        char *expected = cJSON_PrintUnformatted(f);
        cdr_buf_free(&what);
        cdr_buf_printf(&what, "entry %s: %s is %s, expected %s", match_text ? match_text : "{}",
                       f->string, seen ? seen : "absent", expected ? expected : "?");
        fail_text(c, &what);
        free(seen);
        free(expected);
    }
    cdr_buf_free(&what);
    free(match_text);
}

/* "ascending": the view's entries in order of that field (numbers by value, strings by bytes). */
static void expect_ascending(struct conform_expect_ctx *c, const char *path,
                             const struct conform_result *r)
{
    const cJSON *prev = NULL;
    size_t i = 0;
    for (const cJSON *e = first_entry(r->view); e; e = cJSON_IsArray(r->view) ? e->next : NULL) {
        const cJSON *v = conform_entry_field(e, path);
        i++;
        if (prev && v && order_of(prev, v) == 1) {
            char *a = cJSON_PrintUnformatted(prev), *b = cJSON_PrintUnformatted(v);
            struct cdr_buf what;
            cdr_buf_init(&what);
            cdr_buf_printf(&what, "entries are not in ascending %s: entry %zu has %s after %s",
                           path, i, b ? b : "?", a ? a : "?");
            fail_text(c, &what);
            cdr_buf_free(&what);
            free(a);
            free(b);
            return;
        }
        prev = v ? v : prev;
    }
}

void conform_expect(struct conform_expect_ctx *c, const cJSON *expect,
                    const struct conform_result *r)
{
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(expect, "error");
    const char *want_error = cJSON_IsString(error) ? error->valuestring : "ok";
    if (strcmp(cdr_error_name(r->error), want_error) != 0) {
        char got[700];
        snprintf(got, sizeof(got), "%s%s%s%s%s", cdr_error_name(r->error),
                 r->info.message[0] ? " (" : "", r->info.message,
                 r->info.vendor_code[0] ? ", vendor code " : "", r->info.vendor_code);
        if (r->info.message[0])
            strncat(got, ")", sizeof(got) - strlen(got) - 1);
        if (r->error == CDR_OK)
            fail(c, "expected the call to fail with %s, but it succeeded%s", want_error, "");
        else if (strcmp(want_error, "ok") == 0)
            fail(c, "expected success, got %s%s", got, "");
        else
            fail(c, "expected %s, got %s", want_error, got);
        return; /* nothing else about the result means anything now */
    }
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(expect, "vendor_code");
    if (cJSON_IsString(code) && strcmp(code->valuestring, r->info.vendor_code) != 0)
        fail(c, "expected vendor code %s, got \"%s\"", code->valuestring, r->info.vendor_code);
    expect_int(c, expect, "http_status", r->info.http_status, 0);
    int64_t count = (int64_t)conform_result_count(r);
    expect_int(c, expect, "count", count, 0);
    expect_int(c, expect, "count_min", count, 1);
    expect_int(c, expect, "count_max", count, -1);
    if (r->paged) {
        expect_int(c, expect, "total", r->total, 0);
        expect_int(c, expect, "total_min", r->total, 1);
        expect_int(c, expect, "pages", r->pages, 0);
        /* What the answer says it is: the page number and page size it echoes. */
        expect_int(c, expect, "page", r->page, 0);
        expect_int(c, expect, "size", r->size, 0);
    }
    expect_int(c, expect, "windows", r->windows, 0);
    const cJSON *paging = cJSON_GetObjectItemCaseSensitive(expect, "paging");
    if (cJSON_IsObject(paging))
        expect_paging(c, paging, r);
    const cJSON *order = cJSON_GetObjectItemCaseSensitive(expect, "order");
    if (cJSON_IsString(order))
        expect_order(c, order->valuestring, r);
    const cJSON *entries = cJSON_GetObjectItemCaseSensitive(expect, "entries");
    if (cJSON_IsObject(entries))
        expect_entries(c, entries, r);
    const cJSON *entry = cJSON_GetObjectItemCaseSensitive(expect, "entry");
    if (cJSON_IsObject(entry))
        expect_entry(c, entry, r);
    const cJSON *ascending = cJSON_GetObjectItemCaseSensitive(expect, "ascending");
    if (cJSON_IsString(ascending))
        expect_ascending(c, ascending->valuestring, r);
    const cJSON *where = cJSON_GetObjectItemCaseSensitive(expect, "records");
    for (size_t i = 0; where && i < r->count; i++) {
        struct cdr_buf why;
        cdr_buf_init(&why);
        if (!conform_predicate(where, &r->records[i], &why)) {
            fail(c, "%s%s", why.data ? why.data : "predicate failed", "");
            cdr_buf_free(&why);
            break; /* one example is enough to read */
        }
        cdr_buf_free(&why);
    }
    const cJSON *record = cJSON_GetObjectItemCaseSensitive(expect, "record");
    if (cJSON_IsObject(record)) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(record, "id");
        const struct cdr_record *found = NULL;
        for (size_t i = 0; cJSON_IsString(id) && i < r->count && !found; i++)
            if (r->records[i].id && strcmp(r->records[i].id, id->valuestring) == 0)
                found = &r->records[i];
        if (!found) {
            fail(c, "record %s not returned%s", cJSON_IsString(id) ? id->valuestring : "?", "");
            return;
        }
        const cJSON *f;
        cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(record, "fields")) {
            cJSON *value = conform_field(found, f->string);
            if (!value || !cJSON_Compare(value, f, true)) {
                char *seen = value ? cJSON_PrintUnformatted(value) : NULL;
                char *want = cJSON_PrintUnformatted(f);
                /* Ids and field names come from the suite: never part of a format. */
                struct cdr_buf what;
                cdr_buf_init(&what);
                cdr_buf_printf(&what, "record %s: %s is %s, expected %s", id->valuestring,
                               f->string, seen ? seen : "absent", want ? want : "?");
                fail_text(c, &what);
                cdr_buf_free(&what);
                free(seen);
                free(want);
            }
            cJSON_Delete(value);
        }
    }
}
