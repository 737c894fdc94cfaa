#include "store.h"

#include <stdint.h>
#include <stdlib.h>

#include "cdrsim/buf.h"

void mock_store_init(struct mock_store *store, void (*free_attrs)(void *attrs))
{
    store->entries = NULL;
    store->count = store->cap = 0;
    store->free_attrs = free_attrs;
    store->render = NULL;
    store->render_ctx = NULL;
    store->kept = NULL;
    store->kept_count = 0;
}

bool mock_store_keep_text(struct mock_store *store, struct mock_file_text *file)
{
    struct mock_file_text *grown =
        realloc(store->kept, (store->kept_count + 1) * sizeof(*store->kept));
    if (!grown) {
        mock_file_release(file);
        return false;
    }
    store->kept = grown;
    store->kept[store->kept_count++] = *file;
    *file = (struct mock_file_text){0};
    return true;
}

void mock_store_release_json(const struct mock_store *store, char *json)
{
    for (size_t i = 0; json && i < store->kept_count; i++) {
        const struct mock_file_text *k = &store->kept[i];
        if ((uintptr_t)json >= (uintptr_t)k->text && (uintptr_t)json < (uintptr_t)k->text + k->len)
            return;
    }
    free(json);
}

bool mock_store_add(struct mock_store *store, int64_t start, uint64_t order, char *json,
                    size_t json_len, void *attrs)
{
    if (store->count == store->cap) {
        size_t cap = store->cap ? store->cap * 2 : 1024;
        struct mock_store_entry *grown = realloc(store->entries, cap * sizeof(*grown));
        if (!grown) {
            mock_store_release_json(store, json);
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
    size_t i = 1; /* generators add records in order already: a look is cheaper than a sort */
    while (i < store->count && by_start(&store->entries[i - 1], &store->entries[i]) <= 0)
        i++;
    if (i < store->count)
        qsort(store->entries, store->count, sizeof(*store->entries), by_start);
}

void mock_store_merge_tail(struct mock_store *store, size_t from)
{
    size_t n = store->count;
    if (from >= n)
        return;
    qsort(store->entries + from, n - from, sizeof(*store->entries), by_start);
    if (from == 0 || by_start(&store->entries[from - 1], &store->entries[from]) <= 0)
        return; /* the new ones all come last: nothing to merge */
    struct mock_store_entry *merged = malloc(n * sizeof(*merged));
    if (!merged) { /* the slower way needs no memory of its own */
        mock_store_sort(store);
        return;
    }
    size_t a = 0, b = from, out = 0;
    while (a < from && b < n)
        merged[out++] = by_start(&store->entries[b], &store->entries[a]) < 0 ? store->entries[b++]
                                                                             : store->entries[a++];
    while (a < from)
        merged[out++] = store->entries[a++];
    while (b < n)
        merged[out++] = store->entries[b++];
    free(store->entries);
    store->entries = merged;
    store->cap = n;
}

void mock_store_truncate(struct mock_store *store, size_t count)
{
    while (store->count > count) {
        struct mock_store_entry *e = &store->entries[--store->count];
        mock_store_release_json(store, e->json);
        if (store->free_attrs)
            store->free_attrs(e->attrs);
    }
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

bool mock_store_append_json(const struct mock_store *store, const struct mock_store_entry *entry,
                            struct cdr_buf *out)
{
    if (entry->json)
        return cdr_buf_append(out, entry->json, entry->json_len);
    return store->render && store->render(store->render_ctx, entry, out);
}

char *mock_store_dump(const struct mock_store *store)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "[");
    for (size_t i = 0; i < store->count; i++) {
        cdr_buf_puts(&b, i ? ",\n" : "\n");
        if (!mock_store_append_json(store, &store->entries[i], &b)) {
            cdr_buf_free(&b);
            return NULL;
        }
    }
    cdr_buf_puts(&b, "\n]");
    return cdr_buf_steal(&b);
}

void mock_store_free(struct mock_store *store)
{
    mock_store_truncate(store, 0);
    free(store->entries);
    for (size_t i = 0; i < store->kept_count; i++)
        mock_file_release(&store->kept[i]);
    free(store->kept);
    mock_store_render *render = store->render;
    const void *ctx = store->render_ctx;
    mock_store_init(store, store->free_attrs);
    store->render = render; /* the vendor's way of rendering outlives a clear */
    store->render_ctx = ctx;
}
