/* The 4-digit gram index (grams.c) checked against memmem over every text of the window: random
 * needles of 3 to 13 digits (pieces of the texts and random digits), random windows and windows
 * on 64-position boundaries, over texts shaped like phone numbers (a few common lines, so some
 * grams keep bitmaps and the lines are common numbers, and random tails, so other grams keep
 * lists), with non-digits between digits (short runs) and texts without any number. Also which
 * needles the index answers, and 3 digits in runs of exactly 3. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "grams.h"
#include "rng.h"
#include "testutil.h"

enum { TEXTS = 5000, TEXT_MAX = 64 };

struct column {
    char text[TEXTS * TEXT_MAX];
    uint32_t offsets[TEXTS + 1];
};

/* One number: a common line (one of 30), or a prefix and random digits, sometimes with a '+' or
 * a '-' inside. */
static char *number(struct mock_rng *rng, char *p)
{
    static const char *const prefixes[] = {"8613", "8615", "63917", "1415", "97150"};
    if (mock_rng_below(rng, 3) == 0)
        return p + sprintf(p, "86200000%05llu", (unsigned long long)mock_rng_below(rng, 30));
    if (mock_rng_below(rng, 10) == 0)
        *p++ = '+';
    p += sprintf(p, "%s", prefixes[mock_rng_below(rng, 5)]);
    for (uint64_t i = 0, n = mock_rng_range(rng, 3, 9); i < n; i++) {
        if (mock_rng_below(rng, 40) == 0)
            *p++ = '-';
        *p++ = (char)('0' + mock_rng_below(rng, 10));
    }
    return p;
}

/* Each text holds 0 to 3 numbers, a NUL after each. */
static void fill(struct column *c, uint64_t seed)
{
    struct mock_rng rng;
    mock_rng_seed(&rng, seed);
    char *p = c->text;
    for (size_t i = 0; i < TEXTS; i++) {
        c->offsets[i] = (uint32_t)(p - c->text);
        for (uint64_t k = 0, n = mock_rng_below(&rng, 4); k < n; k++) {
            p = number(&rng, p);
            *p++ = '\0';
        }
    }
    c->offsets[TEXTS] = (uint32_t)(p - c->text);
}

/* A needle of len digits: from a random text's digits when there are enough, else random. */
static void pick_needle(const struct column *c, struct mock_rng *rng, size_t len, char *out)
{
    size_t i = mock_rng_below(rng, TEXTS), from = c->offsets[i], to = c->offsets[i + 1];
    if (mock_rng_below(rng, 4) != 0 && to - from > len) {
        size_t at = from + mock_rng_below(rng, to - from - len);
        bool digits = true;
        for (size_t k = 0; k < len; k++)
            digits = digits && c->text[at + k] >= '0' && c->text[at + k] <= '9';
        if (digits) {
            memcpy(out, c->text + at, len);
            out[len] = '\0';
            return;
        }
    }
    for (size_t k = 0; k < len; k++)
        out[k] = (char)('0' + mock_rng_below(rng, 10));
    out[len] = '\0';
}

/* Compares the index's answer for one needle and window with memmem on each text. */
static size_t check(const struct mock_grams *g, const struct column *c, const char *needle,
                    size_t lo, size_t hi)
{
    struct mock_index_bits bits;
    assert_true(mock_index_bits_init(&bits, lo, hi, false));
    size_t found = mock_grams_find(g, c->text, c->offsets, needle, &bits);
    size_t expect = 0;
    for (size_t p = lo; p < hi; p++) {
        bool holds = memmem(c->text + c->offsets[p], c->offsets[p + 1] - c->offsets[p], needle,
                            strlen(needle)) != NULL;
        size_t i = p - bits.base;
        bool set = bits.w[i / 64] >> (i % 64) & 1;
        if (holds != set)
            fail_msg("needle %s, window [%zu, %zu): position %zu holds it: %d, index: %d", needle,
                     lo, hi, p, holds, set);
        expect += holds;
    }
    assert_int_equal(found, expect);
    assert_int_equal(mock_index_bits_count(&bits), expect);
    mock_index_bits_free(&bits);
    return expect;
}

static void test_grams_agree_with_memmem(void **state)
{
    (void)state;
    struct column *c = malloc(sizeof(*c));
    assert_non_null(c);
    fill(c, 3);
    struct mock_grams g = {0};
    assert_true(mock_grams_build(&g, c->text, c->offsets, TEXTS));
    size_t bitmaps = 0, lists = 0;
    for (size_t k = 0; k < MOCK_GRAMS_COUNT; k++) {
        bitmaps += g.bits[k] != NULL;
        lists += g.bits[k] == NULL && g.holders[k] != 0;
    }
    assert_true(bitmaps >= 10); /* both kinds are exercised */
    assert_true(lists >= 1000);
    assert_in_range(g.common_count, 30, MOCK_GRAMS_COMMON_MAX); /* the 30 lines at least */
    assert_in_range(g.short_count, 50, TEXTS);                  /* '-' inside a tail */

    struct mock_rng rng;
    mock_rng_seed(&rng, 9);
    size_t hits = 0, empty = 0;
    for (int round = 0; round < 3000; round++) {
        char needle[16];
        pick_needle(c, &rng, (size_t)mock_rng_range(&rng, MOCK_GRAMS_SHORTEST, 13), needle);
        assert_true(mock_grams_ready(&g, needle));
        size_t lo, hi;
        switch (round % 4) {
        case 0: /* the whole column */
            lo = 0;
            hi = TEXTS;
            break;
        case 1: /* 64-position boundaries */
            lo = 64 * mock_rng_below(&rng, TEXTS / 64);
            hi = lo + 64 * mock_rng_range(&rng, 0, 10);
            hi = hi > TEXTS ? TEXTS : hi;
            break;
        default:
            lo = mock_rng_below(&rng, TEXTS + 1);
            hi = lo + mock_rng_below(&rng, TEXTS + 1 - lo);
        }
        size_t n = check(&g, c, needle, lo, hi);
        hits += n;
        empty += n == 0;
    }
    assert_true(hits > 10000); /* many needles are found, many times */
    assert_true(empty > 300);  /* and many are not */

    /* Rebuilt over fewer texts: the old answers are gone. */
    assert_true(mock_grams_build(&g, c->text, c->offsets, 100));
    assert_int_equal(g.count, 100);
    check(&g, c, "8620", 0, 100);
    struct mock_index_bits past;
    assert_true(mock_index_bits_init(&past, 50, 200, false));
    assert_int_equal(mock_grams_find(&g, c->text, c->offsets, "8620", &past), 0);
    mock_index_bits_free(&past);
    mock_grams_free(&g);
    assert_false(mock_grams_ready(&g, "86200"));
    free(c);
}

/* The positions [0, count) holding needle are the bits of want. */
static void expect_found(const struct mock_grams *g, const char *text, const uint32_t *offsets,
                         size_t count, const char *needle, uint64_t want)
{
    struct mock_index_bits bits;
    assert_true(mock_index_bits_init(&bits, 0, count, false));
    assert_int_equal(mock_grams_find(g, text, offsets, needle, &bits), __builtin_popcountll(want));
    assert_int_equal(bits.w[0], want);
    mock_index_bits_free(&bits);
}

static void test_grams_answer_only_long_digit_needles(void **state)
{
    (void)state;
    static char text[] = "8613912345678\0+86-1391\0"
                         "12-139\0"
                         "913\0";
    uint32_t offsets[] = {0, 14, 23, 30, (uint32_t)sizeof(text) - 1};
    struct mock_grams g = {0};
    assert_false(mock_grams_ready(&g, "1391")); /* not built */
    assert_true(mock_grams_build(&g, text, offsets, 4));
    assert_true(mock_grams_ready(&g, "1391"));
    assert_true(mock_grams_ready(&g, "8613912345678"));
    assert_true(mock_grams_ready(&g, "139"));
    assert_false(mock_grams_ready(&g, "13"));
    assert_false(mock_grams_ready(&g, ""));
    assert_false(mock_grams_ready(&g, "+861"));
    assert_false(mock_grams_ready(&g, "86-1391"));
    assert_false(mock_grams_ready(&g, "1391 "));
    /* "139" in runs of 4 or more (the first two), of exactly 3 (the third), and not at all. */
    assert_int_equal(g.short_count, 3);
    expect_found(&g, text, offsets, 4, "139", 7);
    expect_found(&g, text, offsets, 4, "913", 8);
    expect_found(&g, text, offsets, 4, "555", 0);
    /* "1391" is in both texts; the second's "86-1391" is not a run of "861391". */
    expect_found(&g, text, offsets, 2, "1391", 3);
    expect_found(&g, text, offsets, 2, "861391", 1);
    expect_found(&g, text, offsets, 2, "56789", 0);
    mock_grams_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grams_agree_with_memmem),
        cmocka_unit_test(test_grams_answer_only_long_digit_needles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
