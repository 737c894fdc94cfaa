/* Per-field indexes over a store (index.c), checked against a plain scan of the same records:
 * counts in a window, pages newest first at every depth, and walks, for random windows and random
 * selections of values. Also the arena the compact records live in (arena.c) and the store's
 * renderer of entries kept without text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "index.h"
#include "rng.h"
#include "store.h"
#include "testutil.h"

enum { RECORDS = 3000, VALUES = 7 };

struct attrs {
    int value;
};

static uint64_t hash_value(const void *attrs)
{
    return (uint64_t)((const struct attrs *)attrs)->value * 0x9E3779B97F4A7C15ULL;
}

static bool same_value(const void *a, const void *b)
{
    return ((const struct attrs *)a)->value == ((const struct attrs *)b)->value;
}

static bool render_value(const void *ctx, const struct mock_store_entry *e, struct cdr_buf *out)
{
    assert_ptr_equal(ctx, (const void *)&render_value);
    char text[48];
    snprintf(text, sizeof(text), "{\"at\":%lld,\"v\":%d}", (long long)e->start,
             ((const struct attrs *)e->attrs)->value);
    return cdr_buf_puts(out, text);
}

/* RECORDS records with starts in [0, 1000) (many equal), values 0..VALUES-1, from the arena. */
static void fill(struct mock_store *store, struct mock_arena *arena, uint64_t seed)
{
    struct mock_rng rng;
    mock_rng_seed(&rng, seed);
    mock_store_init(store, NULL);
    for (uint64_t i = 0; i < RECORDS; i++) {
        struct attrs *a = mock_arena_alloc(arena, sizeof(*a));
        assert_non_null(a);
        a->value = (int)mock_rng_below(&rng, VALUES);
        assert_true(mock_store_add(store, mock_rng_range(&rng, 0, 999), i, NULL, 0, a));
    }
    mock_store_sort(store);
}

static bool wanted(const struct mock_store *store, size_t position, const bool *selected)
{
    return selected[((const struct attrs *)store->entries[position].attrs)->value];
}

struct walked {
    size_t positions[RECORDS];
    size_t n;
};

static bool note(void *ctx, size_t position)
{
    struct walked *w = ctx;
    w->positions[w->n++] = position;
    return true;
}

static void test_index_agrees_with_a_scan(void **state)
{
    (void)state;
    struct mock_arena arena;
    mock_arena_init(&arena);
    struct mock_store store;
    fill(&store, &arena, 11);
    struct mock_index index;
    mock_index_init(&index);
    assert_true(mock_index_build(&index, &store, hash_value, same_value));
    assert_int_equal(index.key_count, VALUES);
    for (size_t k = 0; k < index.key_count; k++) /* each holds about 1/7: a bitmap each */
        assert_non_null(index.keys[k].bits);
    size_t listed = 0;
    for (size_t k = 0; k < index.key_count; k++) {
        listed += index.keys[k].count;
        for (size_t i = 1; i < index.keys[k].count; i++)
            assert_true(index.keys[k].positions[i - 1] < index.keys[k].positions[i]);
    }
    assert_int_equal(listed, RECORDS);

    struct mock_rng rng;
    mock_rng_seed(&rng, 5);
    for (int round = 0; round < 400; round++) {
        bool selected[VALUES] = {false};
        const struct mock_index_key *keys[VALUES];
        struct mock_index_pick pick = {keys, 0};
        for (size_t k = 0; k < index.key_count; k++)
            if (mock_rng_below(&rng, 3) == 0) {
                keys[pick.count++] = &index.keys[k];
                selected[((const struct attrs *)index.keys[k].example)->value] = true;
            }
        size_t lo = mock_store_lower_bound(&store, mock_rng_range(&rng, 0, 999));
        size_t hi = mock_store_upper_bound(&store, mock_rng_range(&rng, 0, 999));
        if (hi < lo)
            hi = lo;
        size_t expect[RECORDS], n = 0;
        for (size_t i = hi; i > lo; i--)
            if (wanted(&store, i - 1, selected))
                expect[n++] = i - 1;
        assert_int_equal(mock_index_count(&pick, lo, hi), n);

        size_t take = (size_t)mock_rng_range(&rng, 1, 100);
        size_t skip = (size_t)mock_rng_below(&rng, n + 10);
        size_t page[100];
        size_t got = mock_index_page(&pick, lo, hi, skip, take, page);
        size_t want = skip >= n ? 0 : (n - skip < take ? n - skip : take);
        assert_int_equal(got, want);
        for (size_t i = 0; i < got; i++)
            assert_int_equal(page[i], expect[skip + i]);

        struct walked *w = calloc(1, sizeof(*w));
        assert_non_null(w);
        mock_index_walk(&pick, lo, hi, note, w);
        assert_int_equal(w->n, n);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(w->positions[i], expect[i]);
        free(w);

        /* The code column names each record's key. */
        for (size_t i = lo; i < hi; i++)
            assert_int_equal(
                ((const struct attrs *)index.keys[mock_index_code(&index, i)].example)->value,
                ((const struct attrs *)store.entries[i].attrs)->value);
        /* The same selection as window bits: through the keys' bitmaps, and through their lists
         * (as a key too rare for a bitmap is read). */
        struct mock_index_key listed_keys[VALUES];
        const struct mock_index_key *listed_ptrs[VALUES];
        for (size_t k = 0; k < pick.count; k++) {
            listed_keys[k] = *pick.keys[k];
            listed_keys[k].bits = NULL;
            listed_ptrs[k] = &listed_keys[k];
        }
        struct mock_index_pick by_list = {listed_ptrs, pick.count};
        const struct mock_index_pick *ways[] = {&pick, &by_list};
        for (size_t way = 0; way < 2; way++) {
            struct mock_index_bits bits, scratch;
            assert_true(mock_index_bits_init(&bits, lo, hi, true));
            assert_true(mock_index_bits_init(&scratch, lo, hi, false));
            assert_int_equal(mock_index_bits_count(&bits), hi - lo);
            mock_index_bits_and_pick(&bits, ways[way], &scratch);
            assert_int_equal(mock_index_bits_count(&bits), n);
            got = mock_index_bits_page(&bits, skip, take, page);
            assert_int_equal(got, want);
            for (size_t i = 0; i < got; i++)
                assert_int_equal(page[i], expect[skip + i]);
            mock_index_bits_free(&scratch);
            mock_index_bits_free(&bits);
        }
    }
    mock_index_free(&index);
    mock_store_free(&store);
    mock_arena_free(&arena);
}

static void test_rebuilt_after_records_are_sorted_in(void **state)
{
    (void)state;
    struct mock_arena arena;
    mock_arena_init(&arena);
    struct mock_store store;
    fill(&store, &arena, 3);
    struct mock_index index;
    mock_index_init(&index);
    assert_true(mock_index_build(&index, &store, hash_value, same_value));
    size_t from = store.count;
    static struct attrs late = {VALUES}; /* a value no record had */
    assert_true(mock_store_add(&store, 500, RECORDS, NULL, 0, &late));
    mock_store_merge_tail(&store, from);
    assert_true(mock_index_build(&index, &store, hash_value, same_value));
    assert_int_equal(index.key_count, VALUES + 1);
    const struct mock_index_key *keys[1] = {NULL};
    for (size_t k = 0; k < index.key_count; k++)
        if (index.keys[k].example == &late)
            keys[0] = &index.keys[k];
    assert_non_null(keys[0]);
    struct mock_index_pick pick = {keys, 1};
    size_t page[1];
    assert_int_equal(mock_index_page(&pick, 0, store.count, 0, 1, page), 1);
    assert_ptr_equal(store.entries[page[0]].attrs, &late);
    assert_int_equal(store.entries[page[0]].start, 500);
    mock_index_free(&index);
    mock_store_free(&store);
    mock_arena_free(&arena);
}

static void test_arena_keeps_what_it_gives(void **state)
{
    (void)state;
    struct mock_arena arena;
    mock_arena_init(&arena);
    char *texts[5000];
    for (int i = 0; i < 5000; i++) {
        char text[32];
        int len = snprintf(text, sizeof(text), "record-%d", i);
        texts[i] = mock_arena_strndup(&arena, text, (size_t)len);
        assert_non_null(texts[i]);
        uint64_t *aligned = mock_arena_alloc(&arena, sizeof(*aligned) * (size_t)(i % 7 + 1));
        assert_non_null(aligned);
        assert_int_equal((uintptr_t)aligned % _Alignof(max_align_t), 0);
        aligned[0] = (uint64_t)i; /* written over a string would show below */
    }
    void *big = mock_arena_alloc(&arena, 3u << 20); /* larger than a block */
    assert_non_null(big);
    memset(big, 0xab, 3u << 20);
    for (int i = 0; i < 5000; i++) {
        char text[32];
        snprintf(text, sizeof(text), "record-%d", i);
        assert_string_equal(texts[i], text);
    }
    mock_arena_free(&arena);
    mock_arena_free(&arena); /* freeing twice is harmless */
}

static void test_store_renders_entries_without_text(void **state)
{
    (void)state;
    struct mock_store store;
    mock_store_init(&store, NULL);
    store.render = render_value;
    store.render_ctx = (const void *)&render_value;
    static struct attrs a = {4}, b = {2};
    char *ready = strdup("{\"ready\":true}");
    assert_non_null(ready);
    assert_true(mock_store_add(&store, 20, 2, NULL, 0, &a));
    assert_true(mock_store_add(&store, 10, 1, ready, strlen(ready), &b));
    mock_store_sort(&store);
    char *dump = mock_store_dump(&store);
    assert_non_null(dump);
    assert_string_equal(dump, "[\n{\"ready\":true},\n{\"at\":20,\"v\":4}\n]");
    free(dump);
    mock_store_free(&store);
    assert_ptr_equal(store.render, render_value); /* a clear keeps the vendor's renderer */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_index_agrees_with_a_scan),
        cmocka_unit_test(test_rebuilt_after_records_are_sorted_in),
        cmocka_unit_test(test_arena_keeps_what_it_gives),
        cmocka_unit_test(test_store_renders_entries_without_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
