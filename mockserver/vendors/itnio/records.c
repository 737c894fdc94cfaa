/* POST /v3/cc/record/query: list filters, MyBatis-Plus paging, newest call first. The filter
 * semantics and the ordering are inferred; docs/vendors/itnio.md section 3.
 *
 * How a page is found: without filters the window's size is the total and the page is read off
 * the store by position. With filters on one indexed field, the index counts and pages directly
 * (filters.c). Otherwise, when the most selective field has fewer records in the window than the
 * window has 64-bit words, they are walked and the other filters tested on each (a code column
 * look-up per field, no record read); else the filters become window bitmaps (the number search's
 * from numbers.c, cached) ANDed together, counted and paged by bits (../../index.h). */
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

/* One active indexed field's selection and how many records of the window it holds. */
struct field_pick {
    enum itnio_field field;
    struct mock_index_pick pick;
    size_t n;
};

struct selection {
    struct field_pick fields[ITNIO_FIELD_COUNT];
    size_t count;
    size_t narrowest; /* which of fields has the fewest records */
    const struct mock_index_key **keys;
    unsigned char *wanted; /* per field, per key number: whether the filter picked it */
};

static size_t key_total(const struct itnio_state *st)
{
    size_t n = 0;
    for (int field = 0; field < ITNIO_FIELD_COUNT; field++)
        n += st->indexes[field].key_count;
    return n;
}

/* Every active indexed field's keys; false when out of memory. */
static bool select_fields(const struct itnio_state *st, const struct itnio_record_filter *f,
                          size_t lo, size_t hi, struct selection *sel)
{
    size_t total = key_total(st);
    sel->count = sel->narrowest = 0;
    sel->keys = malloc((total ? total : 1) * sizeof(*sel->keys));
    sel->wanted = calloc(total ? total : 1, 1);
    if (!sel->keys || !sel->wanted)
        return false;
    size_t used = 0;
    for (int field = 0; field < ITNIO_FIELD_COUNT; field++) {
        if (!itnio_filters_active(f, field))
            continue;
        struct field_pick *fp = &sel->fields[sel->count];
        fp->field = field;
        fp->pick.keys = sel->keys + used;
        fp->pick.count = itnio_filters_pick(st, f, field, sel->keys + used);
        fp->n = mock_index_count(&fp->pick, lo, hi);
        for (size_t k = 0; k < fp->pick.count; k++)
            sel->wanted[used + (size_t)(fp->pick.keys[k] - st->indexes[field].keys)] = 1;
        used += st->indexes[field].key_count;
        if (fp->n < sel->fields[sel->narrowest].n)
            sel->narrowest = sel->count;
        sel->count++;
    }
    return true;
}

static void free_selection(struct selection *sel)
{
    free(sel->keys);
    free(sel->wanted);
}

/* Walking the narrowest field's records: the other fields are tested through their code
 * columns, the number on the record. */
struct walk {
    struct page *pg;
    const struct itnio_state *st;
    const struct selection *sel;
};

static bool walk_one(void *ctx, size_t position)
{
    struct walk *w = ctx;
    const struct selection *sel = w->sel;
    const struct itnio_attrs *a = w->st->records.entries[position].attrs;
    for (size_t i = 0; i < sel->count; i++) {
        if (i == sel->narrowest)
            continue;
        const struct field_pick *fp = &sel->fields[i];
        const struct mock_index *index = &w->st->indexes[fp->field];
        bool pass = index->codes ? sel->wanted[(size_t)(fp->pick.keys - sel->keys) +
                                               mock_index_code(index, position)]
                                 : itnio_filters_test(w->pg->f, fp->field, a);
        if (!pass)
            return true;
    }
    if (!itnio_filters_number(w->pg->f, a))
        return true;
    struct page *pg = w->pg;
    if (pg->total >= pg->skip && pg->total - pg->skip < pg->size)
        pg->picked[pg->npicked++] = position;
    pg->total++;
    return true;
}

/* The window's matches as bits: the number search's (cached) answer or the whole window, ANDed
 * with each field's picked records; total and page by counting bits. false when out of memory. */
static bool by_bits(const struct itnio_state *st, const struct itnio_record_filter *f, size_t lo,
                    size_t hi, const struct selection *sel, struct page *pg)
{
    struct itnio_number_hit *hit = f->number ? itnio_numbers_find(st, f->number, lo, hi) : NULL;
    if (f->number && !hit)
        return false;
    if (hit && sel->count == 0) { /* the number alone: its answer is the page's */
        const struct mock_index_bits *bits = itnio_numbers_bits(hit);
        pg->total = itnio_numbers_matches(hit);
        pg->npicked = mock_index_bits_page(bits, pg->skip, pg->size, pg->picked);
        itnio_numbers_release(st, hit);
        return true;
    }
    struct mock_index_bits bits, scratch;
    bool ok = mock_index_bits_init(&bits, lo, hi, !hit);
    ok = ok && mock_index_bits_init(&scratch, lo, hi, false);
    if (ok) {
        if (hit)
            memcpy(bits.w, itnio_numbers_bits(hit)->w, bits.words * sizeof(*bits.w));
        for (size_t i = 0; i < sel->count; i++)
            mock_index_bits_and_pick(&bits, &sel->fields[i].pick, &scratch);
        pg->total = mock_index_bits_count(&bits);
        pg->npicked = mock_index_bits_page(&bits, pg->skip, pg->size, pg->picked);
        mock_index_bits_free(&scratch);
    }
    mock_index_bits_free(&bits);
    itnio_numbers_release(st, hit);
    return ok;
}

static void scan(size_t lo, size_t hi, struct page *pg)
{
    pg->total = pg->npicked = 0;
    for (size_t i = hi; i > lo; i--)
        consider(pg, i - 1);
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
    struct selection sel = {0};
    if (!st->indexed || lo >= hi || !select_fields(st, f, lo, hi, &sel)) {
        free_selection(&sel);
        scan(lo, hi, pg); /* no indexes (out of memory): every record of the window */
        return;
    }
    size_t words = (hi - 1) / 64 - lo / 64 + 1;
    if (sel.count == 1 && !number) {
        const struct mock_index_pick *pick = &sel.fields[0].pick;
        pg->total = sel.fields[0].n;
        pg->npicked = mock_index_page(pick, lo, hi, pg->skip, pg->size, pg->picked);
    } else if (sel.count && sel.fields[sel.narrowest].n <= words) {
        /* Few candidates: walking them costs less than a pass over the window's words. */
        struct walk w = {pg, st, &sel};
        mock_index_walk(&sel.fields[sel.narrowest].pick, lo, hi, walk_one, &w);
    } else if (!by_bits(st, f, lo, hi, &sel, pg)) {
        scan(lo, hi, pg);
    }
    free_selection(&sel);
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
