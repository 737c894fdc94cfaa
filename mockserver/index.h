/* A per-field index over a store: the records grouped by the value one filter field has (its
 * key), each group a sorted list of store positions. A filter on that field selects keys (the
 * vendor tests its filter against one record of each key), and then:
 *   - the matches in a time window are counted by two binary searches per selected key;
 *   - a page (newest first, after skipping any number of matches) is found by a binary search on
 *     the store position, then read off the lists: no scan of the window, however deep the page.
 * Every record has exactly one key per field (a list-valued field is keyed by the whole list), so
 * the selected lists never overlap. Positions change when records are sorted in: the vendor
 * rebuilds its indexes after each batch (the store is read-only while queries run). */
#ifndef MOCK_INDEX_H
#define MOCK_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* The field's value of a record's attrs: a hash, and whether two attrs have the same value. */
typedef uint64_t mock_index_hash(const void *attrs);
typedef bool mock_index_same(const void *a, const void *b);

struct mock_index_key {
    const void *example; /* the attrs of one record with this key: what filters are tested on */
    uint32_t *positions; /* ascending store positions */
    size_t count;
    size_t cap;
};

struct mock_index {
    struct mock_index_key *keys;
    size_t key_count;
    uint32_t *slots; /* open-addressing table of key numbers + 1 (0: empty), while building */
    size_t slot_count;
};

/* A filter's selection: some keys of one index. */
struct mock_index_pick {
    const struct mock_index_key **keys;
    size_t count;
};

void mock_index_init(struct mock_index *index);
/* Indexes every entry of the store (after it was sorted); false when out of memory (the index
 * is then empty, and the caller falls back to scanning). */
bool mock_index_build(struct mock_index *index, const struct mock_store *store,
                      mock_index_hash *hash, mock_index_same *same);
void mock_index_free(struct mock_index *index);

/* How many of the picked keys' records lie at store positions [lo, hi). */
size_t mock_index_count(const struct mock_index_pick *pick, size_t lo, size_t hi);
/* The store positions of the picked records in [lo, hi), newest (highest) first, after skipping
 * `skip` of them: at most `take` into out; returns how many. */
size_t mock_index_page(const struct mock_index_pick *pick, size_t lo, size_t hi, size_t skip,
                       size_t take, size_t *out);
/* Visits the picked records in [lo, hi) newest first until visit returns false. Visiting costs
 * one step per picked record: for combining a pick with other filters. */
void mock_index_walk(const struct mock_index_pick *pick, size_t lo, size_t hi,
                     bool (*visit)(void *ctx, size_t position), void *ctx);

#endif
