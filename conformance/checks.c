/* Invariant checks a suite step can name ("check": "pagination"). They hold for any dataset, so
 * they run against a live vendor as well as against the mock. */
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "expect.h"
#include "runner.h"
#include "json_type.h"

#define MAX_PAGES 2000 /* a check that would need more wants a narrower range */

static int64_t step_int(const cJSON *step, const char *key, int64_t fallback)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(step, key);
    return cdr__json_int64(v, fallback);
}

static bool ok_or_fail(struct conform_step_ctx *ctx, const struct conform_result *r,
                       const char *what)
{
    if (r->error == CDR_OK)
        return true;
    conform_step_fail(ctx, "%s failed: %s: %s%s%s", what, cdr_error_name(r->error), r->info.message,
                      r->info.vendor_code[0] ? ", vendor code " : "", r->info.vendor_code);
    return false;
}

static int by_id(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted copies of the ids (borrowed strings); the first duplicate, if any, in *dup. */
static const char **sorted_ids(const struct conform_result *r, const char **dup)
{
    const char **ids = calloc(r->count ? r->count : 1, sizeof(*ids));
    if (!ids)
        return NULL;
    for (size_t i = 0; i < r->count; i++)
        ids[i] = r->records[i].id ? r->records[i].id : "";
    qsort(ids, r->count, sizeof(*ids), by_id);
    *dup = NULL;
    for (size_t i = 1; i < r->count && !*dup; i++)
        if (strcmp(ids[i - 1], ids[i]) == 0)
            *dup = ids[i];
    return ids;
}

static bool has_id(const char **sorted, size_t n, const char *id)
{
    if (!id)
        id = "";
    return bsearch(&id, sorted, n, sizeof(*sorted), by_id) != NULL;
}

/* A page that says which page it is and how large pages are (drivers report -1 when the vendor
 * does not tell) must say what was asked: a server echoing another page has served another one. */
static void check_echo(struct conform_step_ctx *ctx, const struct conform_result *r, int64_t page,
                       int64_t size)
{
    if (r->page >= 0 && r->page != page)
        conform_step_fail(ctx, "page %lld answered as page %lld", (long long)page,
                          (long long)r->page);
    if (r->size >= 0 && r->size != size)
        conform_step_fail(ctx, "page %lld answered with page size %lld, asked for %lld",
                          (long long)page, (long long)r->size, (long long)size);
}

/* Pages add up to total, none repeats a record, page sizes are exact, every page echoes the page
 * and size asked for, the order is stable, and the page after the last is empty. */
static void check_pagination(struct conform_step_ctx *ctx, const cJSON *step, const cJSON *args)
{
    int64_t size = step_int(step, "size", 7);
    if (size < 1) {
        conform_step_fail(ctx, "a pagination check needs a page size of at least 1");
        return;
    }
    struct conform_result first;
    conform_step_page(ctx, args, 1, size, &first);
    if (!ok_or_fail(ctx, &first, "page 1"))
        goto out_first;
    if (!first.paged) {
        conform_step_fail(ctx, "the driver reported no paging information");
        goto out_first;
    }
    int64_t total = first.total, pages = first.pages;
    int64_t want_pages = total / size + (total % size != 0);
    if (pages != want_pages)
        conform_step_fail(ctx, "pages is %lld for total %lld and size %lld, expected %lld",
                          (long long)pages, (long long)total, (long long)size,
                          (long long)want_pages);
    if (pages > MAX_PAGES) {
        conform_step_fail(ctx, "%lld pages: narrow the range for this check", (long long)pages);
        goto out_first;
    }
    struct conform_result all;
    conform_result_init(&all);
    for (int64_t p = 1; p <= pages && !ctx->failed; p++) {
        struct conform_result page;
        if (p == 1)
            page = first, conform_result_init(&first);
        else
            conform_step_page(ctx, args, p, size, &page);
        char what[32];
        snprintf(what, sizeof(what), "page %lld", (long long)p);
        if (ok_or_fail(ctx, &page, what)) {
            int64_t want = p < pages ? size : total - (pages - 1) * size;
            if ((int64_t)page.count != want)
                conform_step_fail(ctx, "page %lld of %lld has %zu records, expected %lld",
                                  (long long)p, (long long)pages, page.count, (long long)want);
            if (page.total != total)
                conform_step_fail(ctx, "page %lld says total %lld, page 1 said %lld", (long long)p,
                                  (long long)page.total, (long long)total);
            check_echo(ctx, &page, p, size);
            for (size_t i = 0; i < page.count; i++)
                conform_result_add(&all, &page.records[i]);
        }
        conform_result_free(&page);
    }
    if (!ctx->failed) {
        const char *dup;
        const char **ids = sorted_ids(&all, &dup);
        if (dup)
            conform_step_fail(ctx, "record %s appears on more than one page", dup);
        if ((int64_t)all.count != total)
            conform_step_fail(ctx, "the pages hold %zu records, total says %lld", all.count,
                              (long long)total);
        free(ids);
    }
    if (!ctx->failed && pages > 0) {
        struct conform_result again;
        conform_step_page(ctx, args, 1, size, &again);
        if (ok_or_fail(ctx, &again, "page 1 again")) {
            for (size_t i = 0; i < again.count && i < all.count; i++)
                if (strcmp(again.records[i].id ? again.records[i].id : "",
                           all.records[i].id ? all.records[i].id : "") != 0) {
                    conform_step_fail(
                        ctx, "page 1 changed order between two reads: position %zu was %s, now %s",
                        i + 1, all.records[i].id, again.records[i].id);
                    break;
                }
        }
        conform_result_free(&again);
    }
    if (!ctx->failed) {
        struct conform_result past;
        conform_step_page(ctx, args, pages + 1, size, &past);
        if (ok_or_fail(ctx, &past, "the page after the last")) {
            if (past.count != 0)
                conform_step_fail(ctx, "page %lld (after the last) has %zu records, expected none",
                                  (long long)pages + 1, past.count);
            check_echo(ctx, &past, pages + 1, size);
        }
        conform_result_free(&past);
    }
    conform_result_free(&all);
out_first:
    conform_result_free(&first);
}

/* A filter narrows: its records are a subset of the unfiltered ones and each satisfies "where";
 * with "exact", every unfiltered record satisfying "where" is in the filtered set too. */
static void check_filter(struct conform_step_ctx *ctx, const cJSON *step, const cJSON *args)
{
    const cJSON *filter = cJSON_GetObjectItemCaseSensitive(step, "filter");
    const cJSON *where = cJSON_GetObjectItemCaseSensitive(step, "where");
    if (!cJSON_IsObject(filter) || !cJSON_IsObject(where)) {
        conform_step_fail(ctx, "a filter check needs \"filter\" and \"where\" objects");
        return;
    }
    cJSON *narrow = cJSON_Duplicate(args, true);
    const cJSON *f;
    cJSON_ArrayForEach(f, filter) {
        cJSON_DeleteItemFromObjectCaseSensitive(narrow, f->string);
        cJSON_AddItemToObject(narrow, f->string, cJSON_Duplicate(f, true));
    }
    struct conform_result base, filtered;
    conform_step_all(ctx, args, &base);
    conform_step_all(ctx, narrow, &filtered);
    cJSON_Delete(narrow);
    if (ok_or_fail(ctx, &base, "the unfiltered query") &&
        ok_or_fail(ctx, &filtered, "the filtered query")) {
        const char *dup;
        const char **base_ids = sorted_ids(&base, &dup);
        const char **kept = sorted_ids(&filtered, &dup);
        for (size_t i = 0; base_ids && i < filtered.count && !ctx->failed; i++) {
            struct cdr_buf why;
            cdr_buf_init(&why);
            if (!has_id(base_ids, base.count, filtered.records[i].id))
                conform_step_fail(ctx, "filtered record %s is not among the unfiltered ones",
                                  filtered.records[i].id);
            else if (!conform_predicate(where, &filtered.records[i], &why))
                conform_step_fail(ctx, "the filter let through %s", why.data);
            cdr_buf_free(&why);
        }
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(step, "exact")))
            for (size_t i = 0; kept && i < base.count && !ctx->failed; i++) {
                struct cdr_buf why;
                cdr_buf_init(&why);
                if (conform_predicate(where, &base.records[i], &why) &&
                    !has_id(kept, filtered.count, base.records[i].id))
                    conform_step_fail(ctx, "record %s matches the filter but was not returned",
                                      base.records[i].id);
                cdr_buf_free(&why);
            }
        int64_t min = step_int(step, "min_matches", 1);
        if (!ctx->failed && (int64_t)filtered.count < min)
            conform_step_fail(
                ctx,
                "the filter returned %zu records; the check needs at least %lld to mean anything",
                filtered.count, (long long)min);
        free(base_ids);
        free(kept);
    }
    conform_result_free(&base);
    conform_result_free(&filtered);
}

/* Window splitting: a range longer than one query may span comes back whole, once each, and equals
 * its two halves fetched separately. */
static void check_windows(struct conform_step_ctx *ctx, const cJSON *step, const cJSON *args)
{
    (void)step;
    int64_t from = cdr__json_int64(cJSON_GetObjectItemCaseSensitive(args, "from"), 0);
    int64_t to = cdr__json_int64(cJSON_GetObjectItemCaseSensitive(args, "to"), 0);
    const struct cdr_vendor *v = cdr_vendor_find(ctx->senv->driver->vendor);
    int64_t limit = v ? v->paging.max_range : 0;
    if (limit > 0 && to - from <= limit) {
        conform_step_fail(ctx, "the range is not longer than one query may span (%lld s)",
                          (long long)limit);
        return;
    }
    struct conform_result whole, left, right;
    conform_step_all(ctx, args, &whole);
    int64_t mid = from + (to - from) / 2;
    cJSON *a = cJSON_Duplicate(args, true), *b = cJSON_Duplicate(args, true);
    cJSON_DeleteItemFromObjectCaseSensitive(a, "to");
    cJSON_AddNumberToObject(a, "to", (double)mid);
    cJSON_DeleteItemFromObjectCaseSensitive(b, "from");
    cJSON_AddNumberToObject(b, "from", (double)(mid + 1));
    conform_step_all(ctx, a, &left);
    conform_step_all(ctx, b, &right);
    cJSON_Delete(a);
    cJSON_Delete(b);
    if (ok_or_fail(ctx, &whole, "the whole range") && ok_or_fail(ctx, &left, "the first half") &&
        ok_or_fail(ctx, &right, "the second half")) {
        const char *dup;
        const char **ids = sorted_ids(&whole, &dup);
        if (dup)
            conform_step_fail(ctx, "record %s was delivered twice", dup);
        for (size_t i = 0; i < whole.count && !ctx->failed; i++)
            if (whole.records[i].start_time < from || whole.records[i].start_time > to)
                conform_step_fail(ctx, "record %s starts outside the range", whole.records[i].id);
        if (!ctx->failed && whole.count != left.count + right.count)
            conform_step_fail(ctx, "the whole range has %zu records, its halves %zu + %zu",
                              whole.count, left.count, right.count);
        for (size_t i = 0; ids && i < left.count && !ctx->failed; i++)
            if (!has_id(ids, whole.count, left.records[i].id))
                conform_step_fail(ctx, "record %s of the first half is missing from the whole",
                                  left.records[i].id);
        for (size_t i = 0; ids && i < right.count && !ctx->failed; i++)
            if (!has_id(ids, whole.count, right.records[i].id))
                conform_step_fail(ctx, "record %s of the second half is missing from the whole",
                                  right.records[i].id);
        int64_t min_windows = limit > 0 ? (to - from + limit - 1) / limit : 1;
        if (!ctx->failed && whole.windows >= 0 && whole.windows < min_windows)
            conform_step_fail(ctx, "%lld windows for a range needing at least %lld",
                              (long long)whole.windows, (long long)min_windows);
        free(ids);
    }
    conform_result_free(&whole);
    conform_result_free(&left);
    conform_result_free(&right);
}

/* Every record parses into a sane normalized record. The records come from the range query, or
 * from the call named by "source" for vendors whose records arrive another way (a session's
 * current call, a list of held calls). */
static void check_normalize(struct conform_step_ctx *ctx, const cJSON *step, const cJSON *args)
{
    const cJSON *source = cJSON_GetObjectItemCaseSensitive(step, "source");
    struct conform_result r;
    conform_step_call(ctx, cJSON_IsString(source) ? source->valuestring : "all", step, args, &r);
    if (ok_or_fail(ctx, &r, "the query")) {
        if ((int64_t)r.count < step_int(step, "min_records", 1))
            conform_step_fail(ctx, "%zu records: too few to check normalization", r.count);
        for (size_t i = 0; i < r.count && !ctx->failed; i++) {
            const struct cdr_record *x = &r.records[i];
            const char *id = x->id ? x->id : "?";
            if (!x->id || !x->id[0])
                conform_step_fail(ctx, "record %zu has no id", i);
            else if (!x->vendor || strcmp(x->vendor, ctx->senv->driver->vendor) != 0)
                conform_step_fail(ctx, "record %s names vendor %s", id,
                                  x->vendor ? x->vendor : "(none)");
            else if (x->start_time == CDR_TIME_NONE)
                conform_step_fail(ctx, "record %s has no start time", id);
            else if (x->answer_time != CDR_TIME_NONE && x->answer_time < x->start_time)
                conform_step_fail(ctx, "record %s is answered before it starts", id);
            else if (x->end_time != CDR_TIME_NONE && x->end_time < x->start_time)
                conform_step_fail(ctx, "record %s ends before it starts", id);
            else if (x->ring_seconds < CDR_SECONDS_NONE || x->talk_seconds < CDR_SECONDS_NONE)
                conform_step_fail(ctx, "record %s has a negative duration", id);
            else if (!x->raw_json)
                conform_step_fail(ctx, "record %s lost the vendor's own fields", id);
        }
    }
    conform_result_free(&r);
}

conform_check_fn conform_check_find(const char *name)
{
    static const struct {
        const char *name;
        conform_check_fn fn;
    } checks[] = {{"pagination", check_pagination},
                  {"filter", check_filter},
                  {"windows", check_windows},
                  {"normalize", check_normalize}};
    for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
        if (strcmp(checks[i].name, name) == 0)
            return checks[i].fn;
    return NULL;
}
