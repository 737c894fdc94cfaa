#include "store.h"

#include <stdlib.h>

#include "cdrsim/buf.h"

void mock_store_init(struct mock_store *store, void (*free_attrs)(void *attrs))
{
    store->entries = NULL;
    store->count = store->cap = 0;
    store->free_attrs = free_attrs;
}

bool mock_store_add(struct mock_store *store, int64_t start, uint64_t order, char *json,
                    size_t json_len, void *attrs)
{
    if (store->count == store->cap) {
        size_t cap = store->cap ? store->cap * 2 : 1024;
        struct mock_store_entry *grown = realloc(store->entries, cap * sizeof(*grown));
        if (!grown) {
            free(json);
            if (store->free_attrs)
                store->free_attrs(attrs);
            return false;
        }
        store->entries = grown;
        store->cap = cap;
    }
    store->entries[store->count++] = (struct mock_store_entry){start, order, json, json_len, attrs};
    return true;
}

static int by_start(const void *a, const void *b)
{
    const struct mock_store_entry *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

void mock_store_sort(struct mock_store *store)
{
    if (store->count > 1)
        qsort(store->entries, store->count, sizeof(*store->entries), by_start);
}

size_t mock_store_lower_bound(const struct mock_store *store, int64_t t)
{
    size_t lo = 0, hi = store->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (store->entries[mid].start < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t mock_store_upper_bound(const struct mock_store *store, int64_t t)
{
    size_t lo = 0, hi = store->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (store->entries[mid].start <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

char *mock_store_dump(const struct mock_store *store)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "[");
    for (size_t i = 0; i < store->count; i++) {
        cdr_buf_puts(&b, i ? ",\n" : "\n");
        cdr_buf_append(&b, store->entries[i].json, store->entries[i].json_len);
    }
    cdr_buf_puts(&b, "\n]");
    return cdr_buf_steal(&b);
}

void mock_store_free(struct mock_store *store)
{
    for (size_t i = 0; i < store->count; i++) {
        free(store->entries[i].json);
        if (store->free_attrs)
            store->free_attrs(store->entries[i].attrs);
    }
    free(store->entries);
    mock_store_init(store, store->free_attrs);
}
