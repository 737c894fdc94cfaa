#include "index.h"

#include <stdlib.h>
#include <string.h>

enum { DENSE_SHARE = 32 }; /* a key with 1/32 of the records or more keeps a bitmap */

void mock_index_init(struct mock_index *index)
{
    *index = (struct mock_index){0};
}

void mock_index_free(struct mock_index *index)
{
    for (size_t i = 0; i < index->key_count; i++) {
        free(index->keys[i].positions);
        free(index->keys[i].bits);
    }
    free(index->keys);
    free(index->slots);
    free(index->codes);
    mock_index_init(index);
}

static bool push(struct mock_index_key *key, uint32_t position)
{
    if (key->count == key->cap) {
        size_t cap = key->cap ? key->cap * 2 : 16;
        uint32_t *grown = realloc(key->positions, cap * sizeof(*grown));
        if (!grown)
            return false;
        key->positions = grown;
        key->cap = cap;
    }
    key->positions[key->count++] = position;
    return true;
}

/* The key number of attrs' value, adding a key for a value not seen yet; SIZE_MAX when out of
 * memory. The table is kept at most half full. */
static size_t key_of(struct mock_index *index, const void *attrs, mock_index_hash *hash,
                     mock_index_same *same)
{
    if ((index->key_count + 1) * 2 > index->slot_count) {
        size_t n = index->slot_count ? index->slot_count * 2 : 64;
        uint32_t *slots = calloc(n, sizeof(*slots));
        struct mock_index_key *keys = realloc(index->keys, n / 2 * sizeof(*keys));
        if (keys)
            index->keys = keys;
        if (!slots || !keys) {
            free(slots);
            return SIZE_MAX;
        }
        for (size_t k = 0; k < index->key_count; k++) {
            size_t s = hash(index->keys[k].example) & (n - 1);
            while (slots[s])
                s = (s + 1) & (n - 1);
            slots[s] = (uint32_t)k + 1;
        }
        free(index->slots);
        index->slots = slots;
        index->slot_count = n;
    }
    size_t s = hash(attrs) & (index->slot_count - 1);
    for (; index->slots[s]; s = (s + 1) & (index->slot_count - 1))
        if (same(index->keys[index->slots[s] - 1].example, attrs))
            return index->slots[s] - 1;
    index->keys[index->key_count] = (struct mock_index_key){attrs, NULL, 0, 0, NULL};
    index->slots[s] = (uint32_t)++index->key_count;
    return index->key_count - 1;
}

bool mock_index_build(struct mock_index *index, const struct mock_store *store,
                      mock_index_hash *hash, mock_index_same *same)
{
    mock_index_free(index);
    if (store->count > UINT32_MAX)
        return false;
    index->codes = malloc((store->count ? store->count : 1) * sizeof(*index->codes));
    for (size_t i = 0; i < store->count; i++) {
        size_t k = key_of(index, store->entries[i].attrs, hash, same);
        if (k == SIZE_MAX || !push(&index->keys[k], (uint32_t)i) || !index->codes) {
            mock_index_free(index);
            return false;
        }
        index->codes[i] = (uint16_t)k;
    }
    if (index->key_count > (size_t)UINT16_MAX + 1) { /* codes would wrap: callers test records */
        free(index->codes);
        index->codes = NULL;
    }
    free(index->slots); /* only building looks values up */
    index->slots = NULL;
    index->slot_count = 0;
    size_t words = (store->count + 63) / 64;
    for (size_t k = 0; k < index->key_count; k++) {
        struct mock_index_key *key = &index->keys[k];
        if (key->count * DENSE_SHARE < store->count)
            continue;
        if (!(key->bits = calloc(words, sizeof(*key->bits)))) {
            mock_index_free(index);
            return false;
        }
        for (size_t i = 0; i < key->count; i++)
            key->bits[key->positions[i] / 64] |= (uint64_t)1 << (key->positions[i] % 64);
    }
    return true;
}

size_t mock_index_first_at(const uint32_t *positions, size_t count, size_t p)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (positions[mid] < p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The first place in a key's list holding a position >= p. */
static size_t first_at(const struct mock_index_key *key, size_t p)
{
    return mock_index_first_at(key->positions, key->count, p);
}

size_t mock_index_count(const struct mock_index_pick *pick, size_t lo, size_t hi)
{
    size_t n = 0;
    for (size_t k = 0; k < pick->count && lo < hi; k++)
        n += first_at(pick->keys[k], hi) - first_at(pick->keys[k], lo);
    return n;
}

/* Visits the picked records at positions [lo, below) newest first, at most `take` of them, with
 * one cursor per key; returns how many were visited. */
static size_t descend(const struct mock_index_pick *pick, size_t lo, size_t below, size_t take,
                      bool (*visit)(void *ctx, size_t position), void *ctx)
{
    size_t few[16], *cursor = pick->count <= 16 ? few : malloc(pick->count * sizeof(*cursor));
    if (!cursor)
        return 0;
    size_t floor_at[16],
        *floors = pick->count <= 16 ? floor_at : malloc(pick->count * sizeof(*floors));
    if (!floors) {
        if (cursor != few)
            free(cursor);
        return 0;
    }
    for (size_t k = 0; k < pick->count; k++) {
        cursor[k] = first_at(pick->keys[k], below); /* positions[cursor - 1] is the next one */
        floors[k] = first_at(pick->keys[k], lo);
    }
    size_t n = 0;
    while (n < take) {
        size_t best = SIZE_MAX, from = 0;
        for (size_t k = 0; k < pick->count; k++)
            if (cursor[k] > floors[k] &&
                (best == SIZE_MAX || pick->keys[k]->positions[cursor[k] - 1] > best)) {
                best = pick->keys[k]->positions[cursor[k] - 1];
                from = k;
            }
        if (best == SIZE_MAX)
            break;
        cursor[from]--;
        n++;
        if (!visit(ctx, best))
            break;
    }
    if (cursor != few)
        free(cursor);
    if (floors != floor_at)
        free(floors);
    return n;
}

struct collect {
    size_t *out;
    size_t n;
};

static bool collect_one(void *ctx, size_t position)
{
    struct collect *c = ctx;
    c->out[c->n++] = position;
    return true;
}

size_t mock_index_page(const struct mock_index_pick *pick, size_t lo, size_t hi, size_t skip,
                       size_t take, size_t *out)
{
    if (lo >= hi || take == 0 || mock_index_count(pick, lo, hi) <= skip)
        return 0;
    /* The lowest position t with at most `skip` matches in [t, hi): the page starts below it. */
    size_t a = lo, b = hi;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (mock_index_count(pick, mid, hi) <= skip)
            b = mid;
        else
            a = mid + 1;
    }
    struct collect c = {out, 0};
    descend(pick, lo, a, take, collect_one, &c);
    return c.n;
}

void mock_index_walk(const struct mock_index_pick *pick, size_t lo, size_t hi,
                     bool (*visit)(void *ctx, size_t position), void *ctx)
{
    if (lo < hi)
        descend(pick, lo, hi, SIZE_MAX, visit, ctx);
}

/* ---- window bitmaps ---- */

/* Without -mpopcnt (the x86-64 baseline) __builtin_popcountll is a library call: this is faster. */
static inline size_t ones(uint64_t w)
{
    w -= (w >> 1) & 0x5555555555555555ULL;
    w = (w & 0x3333333333333333ULL) + ((w >> 2) & 0x3333333333333333ULL);
    w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
    return (size_t)((w * 0x0101010101010101ULL) >> 56);
}

bool mock_index_bits_init(struct mock_index_bits *bits, size_t lo, size_t hi, bool all)
{
    if (hi < lo)
        hi = lo;
    bits->lo = lo;
    bits->hi = hi;
    bits->base = lo / 64 * 64;
    bits->words = hi > lo ? (hi - 1) / 64 - lo / 64 + 1 : 0;
    bits->w = calloc(bits->words ? bits->words : 1, sizeof(*bits->w));
    if (!bits->w)
        return false;
    if (all && bits->words) {
        memset(bits->w, 0xff, bits->words * sizeof(*bits->w));
        bits->w[0] &= ~(uint64_t)0 << (lo % 64);
        if (hi % 64)
            bits->w[bits->words - 1] &= ~(~(uint64_t)0 << (hi % 64));
    }
    return true;
}

void mock_index_bits_free(struct mock_index_bits *bits)
{
    free(bits->w);
    bits->w = NULL;
    bits->words = 0;
}

/* ORs one key's records in the window into bits (which may then hold bits outside the window,
 * for a key with a bitmap: the caller ANDs with a set that does not). */
static void or_key(struct mock_index_bits *bits, const struct mock_index_key *key)
{
    if (key->bits) {
        const uint64_t *from = key->bits + bits->base / 64;
        for (size_t i = 0; i < bits->words; i++)
            bits->w[i] |= from[i];
        return;
    }
    for (size_t i = first_at(key, bits->lo); i < key->count && key->positions[i] < bits->hi; i++)
        mock_index_bits_set(bits, key->positions[i]);
}

void mock_index_bits_and_pick(struct mock_index_bits *bits, const struct mock_index_pick *pick,
                              struct mock_index_bits *scratch)
{
    if (pick->count == 1 && pick->keys[0]->bits) { /* one key's bitmap: no scratch needed */
        const uint64_t *from = pick->keys[0]->bits + bits->base / 64;
        for (size_t i = 0; i < bits->words; i++)
            bits->w[i] &= from[i];
        return;
    }
    memset(scratch->w, 0, scratch->words * sizeof(*scratch->w));
    for (size_t k = 0; k < pick->count; k++)
        or_key(scratch, pick->keys[k]);
    mock_index_bits_and(bits, scratch);
}

void mock_index_bits_and(struct mock_index_bits *bits, const struct mock_index_bits *other)
{
    for (size_t i = 0; i < bits->words; i++)
        bits->w[i] &= other->w[i];
}

size_t mock_index_bits_count(const struct mock_index_bits *bits)
{
    size_t n = 0;
    for (size_t i = 0; i < bits->words; i++)
        n += ones(bits->w[i]);
    return n;
}

size_t mock_index_bits_page(const struct mock_index_bits *bits, size_t skip, size_t take,
                            size_t *out)
{
    size_t n = 0;
    for (size_t i = bits->words; i > 0 && n < take; i--) {
        uint64_t w = bits->w[i - 1];
        size_t here = ones(w);
        if (skip >= here) { /* the whole word lies above the page */
            skip -= here;
            continue;
        }
        while (w && n < take) {
            int top = 63 - __builtin_clzll(w);
            w &= ~((uint64_t)1 << top);
            if (skip)
                skip--;
            else
                out[n++] = bits->base + 64 * (i - 1) + (size_t)top;
        }
    }
    return n;
}
