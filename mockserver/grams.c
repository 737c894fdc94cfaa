/* The 4-digit gram index (grams.h). */
#define _GNU_SOURCE /* memmem */
#include "grams.h"

#include <stdlib.h>
#include <string.h>

static inline bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The grams of text[0 .. len) in turn (repeats included): a gram's number is its digits read as a
 * decimal number. */
struct gram_walk {
    const char *text;
    size_t len, at;
    unsigned run, value;
};

static bool next_gram(struct gram_walk *w, unsigned *gram)
{
    while (w->at < w->len) {
        char c = w->text[w->at++];
        if (!is_digit(c)) {
            w->run = 0;
            continue;
        }
        w->value = w->value % (MOCK_GRAMS_COUNT / 10) * 10 + (unsigned)(c - '0');
        if (++w->run >= MOCK_GRAMS_LEN) {
            *gram = w->value;
            return true;
        }
    }
    return false;
}

/* A gram this common keeps a bitmap: count / 8 bytes, no more than its list's 4 bytes each. */
static bool dense(size_t holders, size_t count)
{
    return holders && holders >= count / 32;
}

static void reset(struct mock_grams *g)
{
    free(g->holders);
    free(g->starts);
    free(g->postings);
    free(g->bits);
    free(g->bitmaps);
    memset(g, 0, sizeof(*g));
}

/* Counts each gram's holders (a text holding a gram twice counts once: seen[] remembers the last
 * position that held it). */
static void count_holders(struct mock_grams *g, const char *text, const uint32_t *offsets,
                          size_t count, uint32_t *seen)
{
    for (size_t i = 0; i < count; i++) {
        struct gram_walk w = {text + offsets[i], offsets[i + 1] - offsets[i], 0, 0, 0};
        for (unsigned gram; next_gram(&w, &gram);) {
            if (seen[gram] != (uint32_t)i) {
                seen[gram] = (uint32_t)i;
                g->holders[gram]++;
            }
        }
    }
}

static void fill(struct mock_grams *g, const char *text, const uint32_t *offsets, size_t count,
                 uint32_t *seen, uint32_t *next)
{
    for (size_t i = 0; i < count; i++) {
        struct gram_walk w = {text + offsets[i], offsets[i + 1] - offsets[i], 0, 0, 0};
        for (unsigned gram; next_gram(&w, &gram);) {
            if (seen[gram] != (uint32_t)i) {
                seen[gram] = (uint32_t)i;
                if (g->bits[gram])
                    g->bits[gram][i / 64] |= (uint64_t)1 << (i % 64);
                else
                    g->postings[next[gram]++] = (uint32_t)i;
            }
        }
    }
}

bool mock_grams_build(struct mock_grams *g, const char *text, const uint32_t *offsets, size_t count)
{
    reset(g);
    if (count >= UINT32_MAX)
        return false;
    uint32_t *seen = malloc(MOCK_GRAMS_COUNT * sizeof(*seen));
    uint32_t *next = malloc(MOCK_GRAMS_COUNT * sizeof(*next));
    g->holders = calloc(MOCK_GRAMS_COUNT, sizeof(*g->holders));
    g->starts = malloc((MOCK_GRAMS_COUNT + 1) * sizeof(*g->starts));
    g->bits = calloc(MOCK_GRAMS_COUNT, sizeof(*g->bits));
    bool ok = seen && next && g->holders && g->starts && g->bits;
    if (ok) {
        memset(seen, 0xff, MOCK_GRAMS_COUNT * sizeof(*seen));
        count_holders(g, text, offsets, count, seen);
        size_t listed = 0, bitmaps = 0, words = (count + 63) / 64;
        for (size_t k = 0; k < MOCK_GRAMS_COUNT; k++) {
            g->starts[k] = (uint32_t)listed;
            if (dense(g->holders[k], count))
                bitmaps++;
            else
                listed += g->holders[k];
        }
        g->starts[MOCK_GRAMS_COUNT] = (uint32_t)listed;
        ok = listed <= UINT32_MAX;
        g->postings = ok ? malloc((listed ? listed : 1) * sizeof(*g->postings)) : NULL;
        size_t bitmap_words = bitmaps * words > 0 ? bitmaps * words : 1;
        g->bitmaps = ok ? calloc(bitmap_words, sizeof(*g->bitmaps)) : NULL;
        ok = g->postings && g->bitmaps;
        for (size_t k = 0, b = 0; ok && k < MOCK_GRAMS_COUNT; k++)
            if (dense(g->holders[k], count))
                g->bits[k] = g->bitmaps + words * b++;
    }
    if (ok) {
        memset(seen, 0xff, MOCK_GRAMS_COUNT * sizeof(*seen));
        memcpy(next, g->starts, MOCK_GRAMS_COUNT * sizeof(*next));
        fill(g, text, offsets, count, seen, next);
        g->count = count;
        g->built = true;
    }
    free(seen);
    free(next);
    if (!ok)
        reset(g);
    return ok;
}

void mock_grams_free(struct mock_grams *g)
{
    reset(g);
}

bool mock_grams_ready(const struct mock_grams *g, const char *needle)
{
    size_t n = 0;
    for (; needle[n]; n++)
        if (!is_digit(needle[n]))
            return false;
    return g->built && n >= MOCK_GRAMS_LEN;
}

/* The first index of a gram's list holding a position >= p. */
static size_t list_at(const struct mock_grams *g, unsigned gram, size_t p)
{
    size_t from = g->starts[gram];
    return from + mock_index_first_at(g->postings + from, g->starts[gram + 1] - from, p);
}

static bool has_bit(const uint64_t *bits, size_t p)
{
    return bits[p / 64] >> (p % 64) & 1;
}

size_t mock_grams_find(const struct mock_grams *g, const char *text, const uint32_t *offsets,
                       const char *needle, struct mock_index_bits *out)
{
    size_t lo = out->lo, hi = out->hi, len = strlen(needle);
    if (lo >= hi || hi > g->count)
        return 0; /* an empty window (or one past the texts indexed) */
    /* The needle's grams: those with bitmaps apart, and the one whose list has the fewest
     * positions in the window. */
    unsigned dense_grams[64];
    size_t dense_count = 0, rarest_from = 0, rarest_to = 0;
    bool listed = false;
    struct gram_walk walk = {needle, len, 0, 0, 0};
    for (unsigned gram; next_gram(&walk, &gram);) {
        if (g->holders[gram] == 0)
            return 0; /* no text holds this part of the needle */
        if (g->bits[gram]) {
            if (dense_count < sizeof(dense_grams) / sizeof(*dense_grams))
                dense_grams[dense_count++] = gram;
        } else {
            size_t from = list_at(g, gram, lo), to = list_at(g, gram, hi);
            if (!listed || to - from < rarest_to - rarest_from) {
                rarest_from = from;
                rarest_to = to;
                listed = true;
            }
        }
    }
    bool whole = len == MOCK_GRAMS_LEN; /* a gram's holders are the needle's */
    size_t found = 0;
    if (listed) {
        for (size_t i = rarest_from; i < rarest_to; i++) {
            size_t p = g->postings[i];
            bool pass = true;
            for (size_t k = 0; k < dense_count && pass; k++)
                pass = has_bit(g->bits[dense_grams[k]], p);
            if (pass && !whole)
                pass = memmem(text + offsets[p], offsets[p + 1] - offsets[p], needle, len) != NULL;
            if (pass) {
                mock_index_bits_set(out, p);
                found++;
            }
        }
        return found;
    }
    /* Every gram is common: the window's bits of all of them, then each candidate's text. */
    memset(out->w, 0xff, out->words * sizeof(*out->w));
    out->w[0] &= ~(uint64_t)0 << (lo % 64);
    if (hi % 64)
        out->w[(hi - 1) / 64 - out->base / 64] &= ~(~(uint64_t)0 << (hi % 64));
    for (size_t k = 0; k < dense_count; k++) {
        const uint64_t *from = g->bits[dense_grams[k]] + out->base / 64;
        for (size_t i = 0; i < out->words; i++)
            out->w[i] &= from[i];
    }
    if (whole)
        return mock_index_bits_count(out);
    for (size_t i = 0; i < out->words; i++) {
        for (uint64_t w = out->w[i]; w; w &= w - 1) {
            size_t p = out->base + 64 * i + (size_t)__builtin_ctzll(w);
            if (memmem(text + offsets[p], offsets[p + 1] - offsets[p], needle, len))
                found++;
            else
                out->w[i] &= ~((uint64_t)1 << (p % 64));
        }
    }
    return found;
}
