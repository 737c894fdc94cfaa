/* The 4-digit gram index (grams.h). */
#include "grams.h"

#include <stdlib.h>
#include <string.h>

/* A number is common when its rarest gram is held by at least 1/COMMON_SHARE of the positions
 * (and COMMON_LEAST of them): a customer's number has a gram few others hold, a company line
 * every gram of a line thousands of records carry. */
enum { COMMON_SHARE = 256, COMMON_LEAST = 8, COMMON_SLOTS = 2 * MOCK_GRAMS_COMMON_MAX };

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
    free(g->ends);
    free(g->postings);
    free(g->bits);
    free(g->bitmaps);
    free(g->shorts);
    for (size_t i = 0; i < g->common_count; i++)
        free(g->common[i].positions);
    free(g->common);
    free(g->common_slots);
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

/* Appends p to an ascending list unless it is its last already; false when out of memory. */
static bool append(uint32_t **list, size_t *n, size_t *cap, uint32_t p)
{
    if (*n && (*list)[*n - 1] == p)
        return true;
    if (*n == *cap) {
        size_t grown_cap = *cap ? *cap * 2 : 16;
        uint32_t *grown = realloc(*list, grown_cap * sizeof(*grown));
        if (!grown)
            return false;
        *list = grown;
        *cap = grown_cap;
    }
    (*list)[(*n)++] = p;
    return true;
}

static uint64_t text_hash(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return h;
}

/* Notes that position p holds the common number text[at .. at + len): 1 when noted, 0 when it
 * is not kept (too long, or past the table's room: its grams are then indexed like any other
 * number's), -1 when out of memory. */
static int note_common(struct mock_grams *g, const char *text, size_t at, size_t len, uint32_t p)
{
    struct mock_grams_common *c;
    if (len >= sizeof(c->text))
        return 0;
    size_t slot = text_hash(text + at, len) % COMMON_SLOTS;
    for (; g->common_slots[slot]; slot = (slot + 1) % COMMON_SLOTS) {
        c = &g->common[g->common_slots[slot] - 1];
        if (c->len == len && memcmp(c->text, text + at, len) == 0)
            return append(&c->positions, &c->count, &c->cap, p) ? 1 : -1;
    }
    if (g->common_count == MOCK_GRAMS_COMMON_MAX)
        return 0;
    /* Kept apart from the column: a search reads every common number, and the column's copies lie
     * far apart. */
    c = &g->common[g->common_count];
    *c = (struct mock_grams_common){.len = (uint32_t)len};
    memcpy(c->text, text + at, len);
    g->common_slots[slot] = (uint32_t)++g->common_count;
    return append(&c->positions, &c->count, &c->cap, p) ? 1 : -1;
}

/* One number of position p's text, text[at .. at + len): whether it holds a short run; a common
 * number is noted with its positions, any other one's grams go into the lists and bitmaps. */
static bool fill_number(struct mock_grams *g, const char *text, size_t at, size_t len, uint32_t p,
                        uint32_t *seen, bool *short_run)
{
    size_t rarest = SIZE_MAX, run = 0;
    for (size_t k = 0; k <= len; k++) {
        if (k < len && is_digit(text[at + k])) {
            run++;
            continue;
        }
        *short_run = *short_run || (run && run < MOCK_GRAMS_LEN);
        run = 0;
    }
    struct gram_walk w = {text + at, len, 0, 0, 0};
    for (unsigned gram; next_gram(&w, &gram);)
        if (g->holders[gram] < rarest)
            rarest = g->holders[gram];
    if (rarest != SIZE_MAX && rarest >= g->count / COMMON_SHARE && rarest >= COMMON_LEAST) {
        int noted = note_common(g, text, at, len, p);
        if (noted != 0)
            return noted > 0;
    }
    w = (struct gram_walk){text + at, len, 0, 0, 0};
    for (unsigned gram; next_gram(&w, &gram);) {
        if (seen[gram] == p)
            continue;
        seen[gram] = p;
        if (g->bits[gram])
            g->bits[gram][p / 64] |= (uint64_t)1 << (p % 64);
        else
            g->postings[g->ends[gram]++] = p;
    }
    return true;
}

static bool fill(struct mock_grams *g, const char *text, const uint32_t *offsets, size_t count,
                 uint32_t *seen)
{
    for (size_t i = 0; i < count; i++) {
        bool short_run = false;
        for (size_t at = offsets[i], end = offsets[i + 1]; at < end;) {
            const char *nul = memchr(text + at, '\0', end - at);
            size_t len = nul ? (size_t)(nul - text) - at : end - at;
            if (!fill_number(g, text, at, len, (uint32_t)i, seen, &short_run))
                return false;
            at += len + 1;
        }
        if (short_run && !append(&g->shorts, &g->short_count, &g->short_cap, (uint32_t)i))
            return false;
    }
    return true;
}

bool mock_grams_build(struct mock_grams *g, const char *text, const uint32_t *offsets, size_t count)
{
    reset(g);
    if (count >= UINT32_MAX)
        return false;
    uint32_t *seen = malloc(MOCK_GRAMS_COUNT * sizeof(*seen));
    g->ends = malloc(MOCK_GRAMS_COUNT * sizeof(*g->ends));
    g->holders = calloc(MOCK_GRAMS_COUNT, sizeof(*g->holders));
    g->starts = malloc((MOCK_GRAMS_COUNT + 1) * sizeof(*g->starts));
    g->bits = calloc(MOCK_GRAMS_COUNT, sizeof(*g->bits));
    g->common = malloc(MOCK_GRAMS_COMMON_MAX * sizeof(*g->common));
    g->common_slots = calloc(COMMON_SLOTS, sizeof(*g->common_slots));
    bool ok = seen && g->ends && g->holders && g->starts && g->bits && g->common && g->common_slots;
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
        memcpy(g->ends, g->starts, MOCK_GRAMS_COUNT * sizeof(*g->ends));
        g->count = count;
        ok = fill(g, text, offsets, count, seen);
        g->built = ok;
    }
    free(seen);
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
    return g->built && n >= MOCK_GRAMS_SHORTEST;
}

/* The first index of a gram's list holding a position >= p. */
static size_t list_at(const struct mock_grams *g, unsigned gram, size_t p)
{
    size_t from = g->starts[gram];
    return from + mock_index_first_at(g->postings + from, g->ends[gram] - from, p);
}

static bool has_bit(const uint64_t *bits, size_t p)
{
    return bits[p / 64] >> (p % 64) & 1;
}

/* Whether hay[0 .. n) holds needle[0 .. len): a few dozen bytes, where memmem's set-up (a
 * 256-byte table per call) costs more than the search. */
static bool contains(const char *hay, size_t n, const char *needle, size_t len)
{
    for (const char *p = hay, *last = hay + n - len; n >= len && p <= last; p++) {
        p = memchr(p, needle[0], (size_t)(last - p) + 1);
        if (!p)
            return false;
        if (memcmp(p, needle, len) == 0)
            return true;
    }
    return false;
}

static bool holds(const char *text, const uint32_t *offsets, size_t p, const char *needle,
                  size_t len)
{
    return contains(text + offsets[p], offsets[p + 1] - offsets[p], needle, len);
}

/* Sets in out the window's positions of an ascending list. */
static void set_listed(const uint32_t *list, size_t n, struct mock_index_bits *out)
{
    for (size_t i = mock_index_first_at(list, n, out->lo); i < n && list[i] < out->hi; i++)
        mock_index_bits_set(out, list[i]);
}

/* Clears the bits of out outside its window [lo, hi) (the first and last words' ends). */
static void clip(struct mock_index_bits *out)
{
    out->w[0] &= ~(uint64_t)0 << (out->lo % 64);
    if (out->hi % 64)
        out->w[out->words - 1] &= ~(~(uint64_t)0 << (out->hi % 64));
}

/* Sets in out the window's positions holding a common number that contains the needle: the
 * index holds no grams of those numbers. */
static void add_common(const struct mock_grams *g, const char *needle, struct mock_index_bits *out)
{
    size_t len = strlen(needle);
    for (size_t i = 0; i < g->common_count; i++) {
        const struct mock_grams_common *c = &g->common[i];
        if (contains(c->text, c->len, needle, len))
            set_listed(c->positions, c->count, out);
    }
}

/* MOCK_GRAMS_SHORTEST digits: the grams holding them first or last, and the short runs. */
static void find_short(const struct mock_grams *g, const char *text, const uint32_t *offsets,
                       const char *needle, struct mock_index_bits *out)
{
    unsigned value = 0;
    for (size_t k = 0; k < MOCK_GRAMS_SHORTEST; k++)
        value = value * 10 + (unsigned)(needle[k] - '0');
    for (unsigned d = 0; d < 10; d++) {
        unsigned grams[2] = {value * 10 + d, d * (MOCK_GRAMS_COUNT / 10) + value};
        for (size_t k = 0; k < 2; k++) {
            unsigned gram = grams[k];
            if (g->bits[gram]) {
                const uint64_t *from = g->bits[gram] + out->base / 64;
                for (size_t i = 0; i < out->words; i++)
                    out->w[i] |= from[i];
            } else {
                set_listed(g->postings + g->starts[gram], g->ends[gram] - g->starts[gram], out);
            }
        }
    }
    clip(out);
    size_t from = mock_index_first_at(g->shorts, g->short_count, out->lo);
    for (size_t i = from; i < g->short_count && g->shorts[i] < out->hi; i++)
        if (holds(text, offsets, g->shorts[i], needle, MOCK_GRAMS_SHORTEST))
            mock_index_bits_set(out, g->shorts[i]);
}

/* Candidates from the needle's rarest listed gram, tested on its common grams' bits and text. */
static void find_listed(const struct mock_grams *g, const char *text, const uint32_t *offsets,
                        const char *needle, const unsigned *dense_grams, size_t dense_count,
                        size_t from, size_t to, struct mock_index_bits *out)
{
    size_t len = strlen(needle);
    bool whole = len == MOCK_GRAMS_LEN; /* a gram's holders are the needle's */
    for (size_t i = from; i < to; i++) {
        size_t p = g->postings[i];
        bool pass = true;
        for (size_t k = 0; k < dense_count && pass; k++)
            pass = has_bit(g->bits[dense_grams[k]], p);
        if (pass && (whole || holds(text, offsets, p, needle, len)))
            mock_index_bits_set(out, p);
    }
}

/* Every gram of the needle keeps a bitmap: the window's bits of all of them, then each candidate's
 * text. */
static void find_dense(const struct mock_grams *g, const char *text, const uint32_t *offsets,
                       const char *needle, const unsigned *dense_grams, size_t dense_count,
                       struct mock_index_bits *out)
{
    size_t len = strlen(needle);
    memset(out->w, 0xff, out->words * sizeof(*out->w));
    clip(out);
    for (size_t k = 0; k < dense_count; k++) {
        const uint64_t *from = g->bits[dense_grams[k]] + out->base / 64;
        for (size_t i = 0; i < out->words; i++)
            out->w[i] &= from[i];
    }
    if (len == MOCK_GRAMS_LEN)
        return;
    for (size_t i = 0; i < out->words; i++) {
        for (uint64_t w = out->w[i]; w; w &= w - 1) {
            size_t p = out->base + 64 * i + (size_t)__builtin_ctzll(w);
            if (!holds(text, offsets, p, needle, len))
                out->w[i] &= ~((uint64_t)1 << (p % 64));
        }
    }
}

size_t mock_grams_find(const struct mock_grams *g, const char *text, const uint32_t *offsets,
                       const char *needle, struct mock_index_bits *out)
{
    size_t lo = out->lo, hi = out->hi, len = strlen(needle);
    if (lo >= hi || hi > g->count)
        return 0; /* an empty window (or one past the texts indexed) */
    if (len < MOCK_GRAMS_LEN) {
        find_short(g, text, offsets, needle, out);
        add_common(g, needle, out);
        return mock_index_bits_count(out);
    }
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
            bool again = false; /* "0000" four times over is one bitmap */
            for (size_t k = 0; k < dense_count && !again; k++)
                again = dense_grams[k] == gram;
            if (!again && dense_count < sizeof(dense_grams) / sizeof(*dense_grams))
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
    if (listed)
        find_listed(g, text, offsets, needle, dense_grams, dense_count, rarest_from, rarest_to,
                    out);
    else
        find_dense(g, text, offsets, needle, dense_grams, dense_count, out);
    add_common(g, needle, out);
    return mock_index_bits_count(out);
}
