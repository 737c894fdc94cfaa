/* A substring index over a text column (one text per store position: a record's phone numbers,
 * a NUL after each, so each NUL-ended piece of a text is one number), for needles of digits:
 *   - for every 4-digit string (a gram), which positions' texts hold it. A gram held by at least
 *     1/32 of the positions keeps a bitmap over every position (never more memory than its list
 *     would take); the rest keep ascending 32-bit positions, all the lists in one array;
 *   - the positions whose texts hold a run of 1 to 3 digits (a number too short for a gram, or
 *     digits between other characters): few in real data;
 *   - the common numbers: whole numbers (pieces) whose rarest gram is held by many positions (a
 *     company's line, on thousands of records), each with its positions. Their grams are left
 *     out of the lists and bitmaps above, which thereby hold the other numbers only.
 * A search looks only at what these name, instead of the whole window:
 *   - exactly MOCK_GRAMS_LEN digits: the gram's positions (counted by two binary searches, or by
 *     popcount over the window for a gram of many positions);
 *   - more: the rarest gram's positions in the window are the candidates (or, when every gram of
 *     the needle keeps a bitmap, the window's bits of all of them ANDed); each is tested on the
 *     bits of the grams kept as bitmaps, then its text is searched;
 *   - MOCK_GRAMS_LEN - 1 digits ("abc"): an occurrence in a run of 4 digits or more lies inside
 *     a gram "abcX" or "Xabc", so the union of those 20 grams' positions, plus the positions with
 *     short runs whose texts hold it;
 *   - and in every case the positions of each common number that contains the needle;
 * so the answer is exactly what a pass over the window's texts finds. Fewer digits, or any other
 * character, are not indexed (the caller scans). Read-only once built, so any number of threads
 * may search; the owner rebuilds it whenever the positions change. */
#ifndef MOCK_GRAMS_H
#define MOCK_GRAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "index.h"

#define MOCK_GRAMS_LEN 4
#define MOCK_GRAMS_COUNT 10000                   /* 10^MOCK_GRAMS_LEN */
#define MOCK_GRAMS_SHORTEST (MOCK_GRAMS_LEN - 1) /* the shortest needle answered */
#define MOCK_GRAMS_COMMON_MAX 4096 /* common numbers kept (a bound on a search's look at them) */

/* A whole number held by many positions. */
struct mock_grams_common {
    char text[24]; /* its text (a longer number is not kept as common) */
    uint32_t len;
    uint32_t *positions; /* ascending, each once */
    size_t count, cap;
};

struct mock_grams {
    size_t count;       /* positions indexed */
    uint32_t *holders;  /* per gram: how many positions' texts hold it */
    uint32_t *starts;   /* per gram: where its list begins in postings (MOCK_GRAMS_COUNT + 1) */
    uint32_t *ends;     /* per gram: where it ends (before the next one's start: common numbers'
                           grams are counted in holders but not listed) */
    uint32_t *postings; /* the lists of the grams without a bitmap, ascending positions */
    uint64_t **bits;    /* per gram: its bitmap over every position, or NULL */
    uint64_t *bitmaps;  /* the memory every bitmap lives in */
    uint32_t *shorts;   /* positions whose texts hold a run of fewer than MOCK_GRAMS_LEN digits */
    size_t short_count, short_cap;
    struct mock_grams_common *common; /* at most MOCK_GRAMS_COMMON_MAX, in first-seen order */
    size_t common_count;
    uint32_t *common_slots; /* open addressing: 1 + index into common, or 0 */
    bool built;
};

/* Indexes count texts: position i's text is text[offsets[i] .. offsets[i + 1]). false when out
 * of memory (the index is then empty: mock_grams_ready answers false). */
bool mock_grams_build(struct mock_grams *grams, const char *text, const uint32_t *offsets,
                      size_t count);
void mock_grams_free(struct mock_grams *grams);
/* Whether mock_grams_find can answer needle: the index is built and needle is
 * MOCK_GRAMS_SHORTEST or more digits and nothing else. */
bool mock_grams_ready(const struct mock_grams *grams, const char *needle);
/* Sets in bits (a window of positions, empty on entry) every position whose text holds needle
 * (mock_grams_ready must say yes; text and offsets as built); returns how many. */
size_t mock_grams_find(const struct mock_grams *grams, const char *text, const uint32_t *offsets,
                       const char *needle, struct mock_index_bits *bits);

#endif
