/* POST /v3/cc/record/query: list filters, MyBatis-Plus paging, newest call first. The filter
 * semantics and the ordering are inferred; docs/vendors/itnio.md section 3.
 *
 * How a page is found: without filters the window's size is the total and the page is read off
 * the store by position. With filters on one indexed field, the index counts and pages directly
 * (filters.c). With several, the records of the most selective indexed field are walked and
 * tested against the rest; the number search alone scans the window. */
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "internal.h"

enum { PAGE_MAX = 100 };

struct page {
    const struct itnio_record_filter *f;
    const struct mock_store *store;
    size_t skip, size;
    size_t total;
    size_t picked[PAGE_MAX];
    size_t npicked;
};

static void consider(struct page *pg, size_t position)
{
    if (!itnio_filters_match(pg->f, pg->store->entries[position].attrs))
        return;
    if (pg->total >= pg->skip && pg->total - pg->skip < pg->size)
        pg->picked[pg->npicked++] = position;
    pg->total++;
}

static bool visit(void *ctx, size_t position)
{
    consider(ctx, position);
    return true;
}

/* The active indexed field whose selection has the fewest records in [lo, hi), its keys in
 * *pick (keys: room for every key of every index); false when no indexed field is active. */
static bool narrowest(const struct itnio_state *st, const struct itnio_record_filter *f, size_t lo,
                      size_t hi, const struct mock_index_key **keys, struct mock_index_pick *pick,
                      size_t *fields)
{
    bool any = false;
    size_t best = SIZE_MAX;
    *fields = 0;
    for (int field = 0; field < ITNIO_FIELD_COUNT; field++) {
        if (!itnio_filters_active(f, field))
            continue;
        ++*fields;
        const struct mock_index_key **mine = keys + (any ? pick->count : 0);
        struct mock_index_pick p = {mine, itnio_filters_pick(st, f, field, mine)};
        size_t n = mock_index_count(&p, lo, hi);
        if (!any || n < best) {
            if (any) /* keep the better one's keys at the front */
                memmove(keys, mine, p.count * sizeof(*keys));
            *pick = (struct mock_index_pick){keys, p.count};
            best = n;
            any = true;
        }
    }
    return any;
}

static size_t key_total(const struct itnio_state *st)
{
    size_t n = 0;
    for (int field = 0; field < ITNIO_FIELD_COUNT; field++)
        n += st->indexes[field].key_count;
    return n;
}

static void find_page(const struct itnio_state *st, const struct itnio_record_filter *f, size_t lo,
                      size_t hi, struct page *pg)
{
    bool number = f->number != NULL, indexed_filter = false;
    for (int field = 0; field < ITNIO_FIELD_COUNT; field++)
        indexed_filter = indexed_filter || itnio_filters_active(f, field);
    if (!number && !indexed_filter) { /* the window's size is the count */
        pg->total = hi - lo;
        for (size_t i = pg->skip; i < pg->total && pg->npicked < pg->size; i++)
            pg->picked[pg->npicked++] = hi - 1 - i;
        return;
    }
    size_t fields = 0;
    const struct mock_index_key **keys =
        st->indexed && indexed_filter ? malloc(key_total(st) * sizeof(*keys)) : NULL;
    struct mock_index_pick pick;
    if (keys && narrowest(st, f, lo, hi, keys, &pick, &fields)) {
        if (fields == 1 && !number) {
            pg->total = mock_index_count(&pick, lo, hi);
            pg->npicked = mock_index_page(&pick, lo, hi, pg->skip, pg->size, pg->picked);
        } else {
            mock_index_walk(&pick, lo, hi, visit, pg);
        }
    } else { /* the number search alone (or no indexes): every record of the window */
        for (size_t i = hi; i > lo; i--)
            consider(pg, i - 1);
    }
    free(keys);
}

void itnio_records_query(const struct itnio_call *call, struct mock_response *resp)
{
    const struct itnio_state *st = call->st;
    struct itnio_paging paging;
    struct itnio_record_filter f;
    int status = itnio_params_record_query(call->body, &paging, &f);
    if (status != ITNIO_OK) {
        itnio_reply_status(resp, call->status_string, status, NULL);
        return;
    }
    int64_t current = paging.current, size = paging.size;
    const struct mock_store *store = &st->records;
    size_t lo = mock_store_lower_bound(store, f.start);
    size_t hi = st->v.range_end_exclusive ? mock_store_lower_bound(store, f.end)
                                          : mock_store_upper_bound(store, f.end);
    if (hi < lo)
        hi = lo;
    struct page pg = {.f = &f, .store = store, .size = (size_t)size};
    pg.skip = (size_t)((current - 1) * size); /* current is a Java int, size at most 100 */
    find_page(st, &f, lo, hi, &pg);
    itnio_params_free_record_filter(&f);
    int64_t total = (int64_t)pg.total;
    int64_t pages = total / size + (total % size != 0);
    struct cdr_buf b;
    size_t bytes = 0;
    for (size_t i = 0; i < pg.npicked; i++) {
        const struct mock_store_entry *e = &store->entries[pg.picked[i]];
        bytes += e->json ? e->json_len + 1 : 1200;
    }
    itnio_reply_begin_success(&b, call->status_string, bytes + 128);
    cdr_buf_puts(&b, "{\"total\":");
    cdr_buf_int(&b, total);
    cdr_buf_puts(&b, ",\"size\":");
    cdr_buf_int(&b, size);
    cdr_buf_puts(&b, ",\"current\":");
    cdr_buf_int(&b, current);
    cdr_buf_puts(&b, ",\"searchCount\":true,\"pages\":");
    cdr_buf_int(&b, pages);
    cdr_buf_puts(&b, ",\"records\":[");
    for (size_t i = 0; i < pg.npicked; i++) {
        if (i)
            cdr_buf_append(&b, ",", 1);
        mock_store_append_json(store, &store->entries[pg.picked[i]], &b);
    }
    cdr_buf_puts(&b, "]}");
    itnio_reply_finish_success(resp, call->status_string, &b);
}
