/* A substring index over a text column (one text per store position, e.g. a record's phone
 * numbers with a NUL after each): for every 4-digit string (a gram), which positions' texts hold
 * it. A search for MOCK_GRAMS_LEN or more digits then looks only at the positions holding its
 * rarest gram, instead of the whole window:
 *   - exactly MOCK_GRAMS_LEN digits: the gram's positions are the answer (counted by two binary
 *     searches, or by popcount over the window for a gram of many positions);
 *   - more: the rarest gram's positions in the window are the candidates; each is tested on the
 *     bits of the grams kept as bitmaps, then its text is searched (memmem), so the answer is
 *     exactly what a pass over the window's texts finds.
 * A gram held by at least 1/32 of the positions keeps a bitmap over every position (never more
 * memory than its list would take); the rest keep ascending 32-bit positions, all the lists in
 * one array. Digits only: a needle with any other character is not indexed (the caller scans).
 * Read-only once built, so any number of threads may search; the owner rebuilds it whenever the
 * positions change. */
#ifndef MOCK_GRAMS_H
#define MOCK_GRAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "index.h"

#define MOCK_GRAMS_LEN 4
#define MOCK_GRAMS_COUNT 10000 /* 10^MOCK_GRAMS_LEN */

struct mock_grams {
    size_t count;       /* positions indexed */
    uint32_t *holders;  /* per gram: how many positions' texts hold it */
    uint32_t *starts;   /* per gram: where its list begins in postings (MOCK_GRAMS_COUNT + 1) */
    uint32_t *postings; /* the lists of the grams without a bitmap, ascending positions */
    uint64_t **bits;    /* per gram: its bitmap over every position, or NULL */
    uint64_t *bitmaps;  /* the memory every bitmap lives in */
    bool built;
};

/* Indexes count texts: position i's text is text[offsets[i] .. offsets[i + 1]). false when out
 * of memory (the index is then empty: mock_grams_ready answers false). */
bool mock_grams_build(struct mock_grams *grams, const char *text, const uint32_t *offsets,
                      size_t count);
void mock_grams_free(struct mock_grams *grams);
/* Whether mock_grams_find can answer needle: the index is built and needle is MOCK_GRAMS_LEN or
 * more digits and nothing else. */
bool mock_grams_ready(const struct mock_grams *grams, const char *needle);
/* Sets in bits (a window of positions, empty on entry) every position whose text holds needle
 * (mock_grams_ready must say yes; text and offsets as built); returns how many. */
size_t mock_grams_find(const struct mock_grams *grams, const char *text, const uint32_t *offsets,
                       const char *needle, struct mock_index_bits *bits);

#endif
