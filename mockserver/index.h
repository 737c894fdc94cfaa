/* A per-field index over a store: the records grouped by the value one filter field has (its
 * key), each group a sorted list of store positions. A filter on that field selects keys (the
 * vendor tests its filter against one record of each key), and then:
 *   - the matches in a time window are counted by two binary searches per selected key;
 *   - a page (newest first, after skipping any number of matches) is found by a binary search on
 *     the store position, then read off the lists: no scan of the window, however deep the page.
 * Every record has exactly one key per field (a list-valued field is keyed by the whole list), so
 * the selected lists never overlap. Positions change when records are sorted in: the vendor
 * rebuilds its indexes after each batch (the store is read-only while queries run).
 *
 * Filters on several fields are combined two ways, whichever costs less:
 *   - walking the most selective field's records and testing the others on each through their
 *     code columns (every position's key number: one load and one table look-up, no record);
 *   - window bitmaps (struct mock_index_bits): each field's picked records ORed into one bit per
 *     position of the window, the fields ANDed, the matches counted with popcount and a page
 *     found by counting words from the top. A key holding at least 1/32 of the records keeps a
 *     bitmap over the whole store, so ORing it costs a word per 64 positions; a rarer key's list
 *     is shorter than such a bitmap and its positions are set one by one. */
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
    uint64_t *bits; /* a key with many records: bit p set for each of them; NULL otherwise */
};

struct mock_index {
    struct mock_index_key *keys;
    size_t key_count;
    uint32_t *slots; /* open-addressing table of key numbers + 1 (0: empty), while building */
    size_t slot_count;
    /* Each store position's key number (the code column); NULL when the field has more keys
     * than a code holds (then callers test the record itself). */
    uint16_t *codes;
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

/* The first place in positions[0 .. count) (ascending) holding a position >= p: count if none. */
size_t mock_index_first_at(const uint32_t *positions, size_t count, size_t p);

/* The key number of the record at a store position (index->codes must be set). */
static inline size_t mock_index_code(const struct mock_index *index, size_t position)
{
    return index->codes[position];
}

/* A set of the store positions in a window [lo, hi): bit i of word k stands for position
 * base + 64 * k + i. */
struct mock_index_bits {
    size_t lo, hi;
    size_t base; /* lo rounded down to a multiple of 64 */
    size_t words;
    uint64_t *w; /* owned */
};

/* Every position of [lo, hi) in the set (all) or none; false when out of memory. */
bool mock_index_bits_init(struct mock_index_bits *bits, size_t lo, size_t hi, bool all);
void mock_index_bits_free(struct mock_index_bits *bits);
static inline void mock_index_bits_set(struct mock_index_bits *bits, size_t position)
{
    size_t i = position - bits->base;
    bits->w[i / 64] |= (uint64_t)1 << (i % 64);
}
/* Keeps in bits only the records of the picked keys; scratch has the window of bits. */
void mock_index_bits_and_pick(struct mock_index_bits *bits, const struct mock_index_pick *pick,
                              struct mock_index_bits *scratch);
/* Keeps in bits only what other (the same window) holds too. */
void mock_index_bits_and(struct mock_index_bits *bits, const struct mock_index_bits *other);
size_t mock_index_bits_count(const struct mock_index_bits *bits);
/* As mock_index_page, over the positions in the set. */
size_t mock_index_bits_page(const struct mock_index_bits *bits, size_t skip, size_t take,
                            size_t *out);

#endif
