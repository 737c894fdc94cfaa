/* Unit tests of libcdrsim's vendor-independent core: time parsing and formatting, range
 * splitting, the normalized record's JSON form, the byte buffer and error names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/buf.h"
#include "cdrsim/error.h"
#include "cdrsim/range.h"
#include "cdrsim/record.h"
#include "cdrsim/timefmt.h"
#include "testutil.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define DAY 86400LL
#define SPAN_93 (93 * DAY)

/* Unix seconds of a UTC civil time by counting days one at a time, in both directions from 1970,
 * so it shares nothing with the code under test (china_time only counts forward). */
static int64_t utc_time(int y, int mo, int d, int h, int mi, int s)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
#define LEAP(yy) (((yy) % 4 == 0 && (yy) % 100 != 0) || (yy) % 400 == 0)
    int64_t days = 0;
    for (int year = 1970; year < y; year++)
        days += 365 + LEAP(year);
    for (int year = y; year < 1970; year++)
        days -= 365 + LEAP(year);
    for (int month = 1; month < mo; month++)
        days += mdays[month - 1] + (month == 2 && LEAP(y));
#undef LEAP
    days += d - 1;
    return days * DAY + h * 3600 + mi * 60 + s;
}

/* ---- parsing --------------------------------------------------------------------------------- */

static void test_parse_local_valid(void **state)
{
    (void)state;
    int64_t t = 0;
    assert_true(cdr_time_parse_local("2025-01-03 16:10:39", CDR_CHINA_OFFSET_SECONDS, &t));
    assert_int_equal(t, china_time(2025, 1, 3, 16, 10, 39));
    assert_int_equal(t, utc_time(2025, 1, 3, 8, 10, 39));

    assert_true(cdr_time_parse_local("1970-01-01 00:00:00", 0, &t));
    assert_int_equal(t, 0);
    assert_true(cdr_time_parse_local("1970-01-01 08:00:00", CDR_CHINA_OFFSET_SECONDS, &t));
    assert_int_equal(t, 0);
    /* West of UTC: local 19:00 on Dec 31 is already the next day in UTC. */
    assert_true(cdr_time_parse_local("1969-12-31 19:00:00", -5 * 3600, &t));
    assert_int_equal(t, 0);
    assert_true(cdr_time_parse_local("2024-02-29 23:59:59", 0, &t));
    assert_int_equal(t, utc_time(2024, 2, 29, 23, 59, 59));
    assert_true(cdr_time_parse_local("2000-02-29 00:00:00", 0, &t));
    assert_int_equal(t, utc_time(2000, 2, 29, 0, 0, 0));
    assert_true(cdr_time_parse_local("1900-03-01 12:00:00", 0, &t));
    assert_int_equal(t, utc_time(1900, 3, 1, 12, 0, 0));
    assert_true(cdr_time_parse_local("9999-12-31 23:59:59", 0, &t));
    assert_int_equal(t, utc_time(9999, 12, 31, 23, 59, 59));
    assert_true(cdr_time_parse_local("0001-01-01 00:00:00", 0, &t));
    assert_int_equal(t, -62135596800LL);
}

static void test_parse_local_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2025-02-29 00:00:00", /* 2025 is not a leap year */
        "1900-02-29 00:00:00", /* nor is 1900 */
        "2025-13-01 00:00:00",
        "2025-00-01 00:00:00",
        "2025-01-00 00:00:00",
        "2025-01-32 00:00:00",
        "2025-04-31 00:00:00",
        "2025-01-03 24:00:00",
        "2025-01-03 23:60:00",
        "2025-01-03 23:59:60",
        "2025-01-03T16:10:39", /* ISO form is not the local form */
        "2025-01-03 16:10:39Z",
        "2025-01-03 16:10:39 ",
        "2025-01-03 16:10:39+08:00",
        " 2025-01-03 16:10:39",
        "2025-01-03 16:10:3",
        "2025-01-03 16:10",
        "2025-01-03",
        "",
        "2025/01/03 16:10:39",
        "2025-01-03 16-10-39",
        "25-01-03 16:10:39xx",
        "2025-1-3 16:10:39xx",
        "2025-01-03 16:1a:39",
        "+025-01-03 16:10:39",
        "not a time at all!!",
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        int64_t t = 12345;
        if (cdr_time_parse_local(bad[i], 0, &t))
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(t, 12345); /* untouched on failure */
    }
    int64_t t = 12345;
    assert_false(cdr_time_parse_local(NULL, 0, &t));
    assert_int_equal(t, 12345);
}

static void test_parse_iso8601_valid(void **state)
{
    (void)state;
    const int64_t want = utc_time(2025, 1, 3, 8, 10, 39);
    static const char *const same_instant[] = {
        "2025-01-03T16:10:39+08:00",
        "2025-01-03T16:10:39+0800",
        "2025-01-03T08:10:39Z",
        "2025-01-03T08:10:39z",
        "2025-01-03t08:10:39Z",
        "2025-01-03T08:10:39+00:00",
        "2025-01-03T08:10:39-00:00",
        "2025-01-03T03:10:39-05:00",
        "2025-01-03T03:10:39-0500",
        "2025-01-03T13:40:39+05:30",
        "2025-01-02T22:10:39-10:00",
        "2025-01-03T08:10:39.999Z", /* fractions are truncated, never rounded */
        "2025-01-03T08:10:39.0Z",
        "2025-01-03T08:10:39,5Z",
        "2025-01-03T16:10:39.123456789+08:00",
        "2025-01-03T16:10:39", /* no zone: the default offset */
        "2025-01-03T16:10:39.5",
    };
    for (size_t i = 0; i < ARRAY_LEN(same_instant); i++) {
        int64_t t = 0;
        if (!cdr_time_parse_iso8601(same_instant[i], CDR_CHINA_OFFSET_SECONDS, &t))
            fail_msg("rejected \"%s\"", same_instant[i]);
        if (t != want)
            fail_msg("\"%s\" -> %lld, want %lld", same_instant[i], (long long)t, (long long)want);
    }
    int64_t t = 0;
    assert_true(cdr_time_parse_iso8601("2025-01-03T08:10:39", 0, &t));
    assert_int_equal(t, want);
    assert_true(cdr_time_parse_iso8601("2025-01-03T08:10:39", -3600, &t));
    assert_int_equal(t, want + 3600);
    assert_true(cdr_time_parse_iso8601("2024-02-29T00:00:00Z", 0, &t));
    assert_int_equal(t, utc_time(2024, 2, 29, 0, 0, 0));
    assert_true(cdr_time_parse_iso8601("1969-12-31T23:59:59Z", 0, &t));
    assert_int_equal(t, -1);
    assert_true(cdr_time_parse_iso8601("2025-01-01T00:00:00+23:59", 0, &t));
    assert_int_equal(t, utc_time(2024, 12, 31, 0, 1, 0));
}

static void test_parse_iso8601_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2025-02-29T00:00:00Z",
        "2025-13-01T00:00:00Z",
        "2025-01-03T24:00:00Z",
        "2025-01-03T23:60:00Z",
        "2025-01-03T23:59:60Z",
        "2025-01-00T00:00:00Z",
        "2025-06-31T00:00:00Z",
        "2025-01-03 08:10:39Z", /* space is the local form, which has no zone */
        "2025-01-03X08:10:39Z",
        "2025-01-03T08:10:39ZZ",
        "2025-01-03T08:10:39Z ",
        "2025-01-03T08:10:39+08:00x",
        "2025-01-03T08:10:39+08:00:00",
        "2025-01-03T08:10:39+08",
        "2025-01-03T08:10:39+8:00",
        "2025-01-03T08:10:39+08:0",
        "2025-01-03T08:10:39+080",
        "2025-01-03T08:10:39+",
        "2025-01-03T08:10:39-",
        "2025-01-03T08:10:39+24:00",
        "2025-01-03T08:10:39+08:60",
        "2025-01-03T08:10:39.",
        "2025-01-03T08:10:39.Z",
        "2025-01-03T08:10:39.12a",
        "2025-01-03T08:10:39 UTC",
        "2025-01-03T08:10",
        "2025-01-03T08:10:3",
        "2025-01-03",
        "2025",
        "",
        "T",
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        int64_t t = 777;
        if (cdr_time_parse_iso8601(bad[i], 0, &t))
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(t, 777);
    }
    int64_t t = 777;
    assert_false(cdr_time_parse_iso8601(NULL, 0, &t));
    assert_int_equal(t, 777);
}

static void test_parse_any(void **state)
{
    (void)state;
    const int64_t want = china_time(2025, 1, 8, 0, 0, 0);
    int64_t t = 0;
    assert_true(cdr_time_parse_any("2025-01-08 00:00:00", CDR_CHINA_OFFSET_SECONDS, &t));
    assert_int_equal(t, want);
    t = 0;
    assert_true(cdr_time_parse_any("2025-01-08T00:00:00+08:00", 0, &t));
    assert_int_equal(t, want);
    t = 0;
    assert_true(cdr_time_parse_any("2025-01-07T16:00:00Z", CDR_CHINA_OFFSET_SECONDS, &t));
    assert_int_equal(t, want);
    t = 0;
    assert_true(cdr_time_parse_any("2025-01-08T00:00:00", CDR_CHINA_OFFSET_SECONDS, &t));
    assert_int_equal(t, want);
    t = 0;
    assert_true(cdr_time_parse_any("2025-01-08T00:00:00.75+0800", 0, &t));
    assert_int_equal(t, want);

    static const char *const bad[] = {"2025-02-29 00:00:00",
                                      "2025-02-29T00:00:00Z",
                                      "2025-13-01 00:00:00",
                                      "2025-01-08 24:00:00",
                                      "2025-01-08 00:00:00+08:00",
                                      "2025-01-08 00:00:00x",
                                      "2025-01-08T00:00:00Zx",
                                      "2025-01-08",
                                      "",
                                      "yesterday"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        t = 99;
        if (cdr_time_parse_any(bad[i], 0, &t))
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(t, 99);
    }
    t = 99;
    assert_false(cdr_time_parse_any(NULL, 0, &t));
    assert_int_equal(t, 99);
}

/* ---- formatting ------------------------------------------------------------------------------ */

static void test_format_known_values(void **state)
{
    (void)state;
    char out[CDR_RFC3339_LEN + 1];
    cdr_time_format_rfc3339(0, out);
    assert_string_equal(out, "1970-01-01T00:00:00Z");
    cdr_time_format_rfc3339(-1, out);
    assert_string_equal(out, "1969-12-31T23:59:59Z");
    cdr_time_format_rfc3339(-DAY, out);
    assert_string_equal(out, "1969-12-31T00:00:00Z");
    cdr_time_format_rfc3339(-DAY - 1, out);
    assert_string_equal(out, "1969-12-30T23:59:59Z");
    cdr_time_format_rfc3339(china_time(2025, 1, 3, 16, 10, 39), out);
    assert_string_equal(out, "2025-01-03T08:10:39Z");
    cdr_time_format_rfc3339(utc_time(2024, 2, 29, 12, 34, 56), out);
    assert_string_equal(out, "2024-02-29T12:34:56Z");
    cdr_time_format_rfc3339(utc_time(2000, 2, 29, 0, 0, 0), out);
    assert_string_equal(out, "2000-02-29T00:00:00Z");
    cdr_time_format_rfc3339(utc_time(1900, 2, 28, 23, 59, 59) + 1, out);
    assert_string_equal(out, "1900-03-01T00:00:00Z");
    cdr_time_format_rfc3339(utc_time(1600, 2, 29, 1, 2, 3), out);
    assert_string_equal(out, "1600-02-29T01:02:03Z");
    cdr_time_format_rfc3339(utc_time(1969, 7, 20, 20, 17, 40), out);
    assert_string_equal(out, "1969-07-20T20:17:40Z");
    cdr_time_format_rfc3339(-62135596800LL, out);
    assert_string_equal(out, "0001-01-01T00:00:00Z");
    cdr_time_format_rfc3339(253402300799LL, out);
    assert_string_equal(out, "9999-12-31T23:59:59Z");

    char local[CDR_LOCAL_TIME_LEN + 1];
    cdr_time_format_local(china_time(2025, 1, 3, 16, 10, 39), CDR_CHINA_OFFSET_SECONDS, local);
    assert_string_equal(local, "2025-01-03 16:10:39");
    cdr_time_format_local(0, CDR_CHINA_OFFSET_SECONDS, local);
    assert_string_equal(local, "1970-01-01 08:00:00");
    cdr_time_format_local(0, -3600, local);
    assert_string_equal(local, "1969-12-31 23:00:00");
    cdr_time_format_local(utc_time(2024, 2, 28, 16, 0, 0), CDR_CHINA_OFFSET_SECONDS, local);
    assert_string_equal(local, "2024-02-29 00:00:00");
    cdr_time_format_local(utc_time(2023, 2, 28, 16, 0, 0), CDR_CHINA_OFFSET_SECONDS, local);
    assert_string_equal(local, "2023-03-01 00:00:00");
}

static void test_format_round_trips(void **state)
{
    (void)state;
    /* A stride coprime with a day walks every time of day and every date from 1600 to 2400,
     * including all leap days and the centuries that are not leap years. */
    const int64_t from = utc_time(1600, 1, 1, 0, 0, 0), to = utc_time(2400, 12, 31, 23, 59, 59);
    const int64_t stride = DAY + 3607;
    size_t checked = 0, leap_days = 0;
    for (int64_t t = from; t <= to; t += stride) {
        char rfc[CDR_RFC3339_LEN + 1], local[CDR_LOCAL_TIME_LEN + 1];
        int64_t back = 0;
        cdr_time_format_rfc3339(t, rfc);
        assert_int_equal(strlen(rfc), CDR_RFC3339_LEN);
        if (!cdr_time_parse_iso8601(rfc, 12345, &back) || back != t)
            fail_msg("rfc3339 %lld -> %s -> %lld", (long long)t, rfc, (long long)back);
        cdr_time_format_local(t, CDR_CHINA_OFFSET_SECONDS, local);
        assert_int_equal(strlen(local), CDR_LOCAL_TIME_LEN);
        if (!cdr_time_parse_local(local, CDR_CHINA_OFFSET_SECONDS, &back) || back != t)
            fail_msg("local %lld -> %s -> %lld", (long long)t, local, (long long)back);
        cdr_time_format_local(t, -7 * 3600 - 1800, local);
        if (!cdr_time_parse_any(local, -7 * 3600 - 1800, &back) || back != t)
            fail_msg("local-0730 %lld -> %s -> %lld", (long long)t, local, (long long)back);
        if (memcmp(rfc + 4, "-02-29", 6) == 0)
            leap_days++;
        checked++;
    }
    assert_true(checked > 250000);
    assert_true(leap_days > 100);

    /* The formatter and an independent day count agree on each side of the epoch. */
    static const int dates[][6] = {
        {1601, 1, 1, 0, 0, 0},     {1899, 12, 31, 23, 59, 59}, {1904, 2, 29, 6, 7, 8},
        {1960, 2, 29, 12, 0, 0},   {1969, 12, 31, 23, 59, 59}, {1970, 1, 1, 0, 0, 1},
        {1972, 2, 29, 23, 59, 59}, {2000, 2, 29, 0, 0, 0},     {2024, 2, 29, 8, 0, 0},
        {2100, 2, 28, 23, 59, 59}, {2100, 3, 1, 0, 0, 0},      {2038, 1, 19, 3, 14, 8},
    };
    for (size_t i = 0; i < ARRAY_LEN(dates); i++) {
        const int *d = dates[i];
        char want[64], got[CDR_RFC3339_LEN + 1];
        snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02dZ", d[0], d[1], d[2], d[3], d[4],
                 d[5]);
        cdr_time_format_rfc3339(utc_time(d[0], d[1], d[2], d[3], d[4], d[5]), got);
        assert_string_equal(got, want);
        int64_t back = 0;
        assert_true(cdr_time_parse_iso8601(want, 0, &back));
        assert_int_equal(back, utc_time(d[0], d[1], d[2], d[3], d[4], d[5]));
    }
}

static void test_days_from_civil(void **state)
{
    (void)state;
    assert_int_equal(cdr_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(cdr_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(cdr_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(cdr_days_from_civil(2024, 2, 29) * DAY, utc_time(2024, 2, 29, 0, 0, 0));
    assert_int_equal(cdr_days_from_civil(1600, 2, 29) * DAY, utc_time(1600, 2, 29, 0, 0, 0));
}

/* ---- range splitting ------------------------------------------------------------------------- */

static void assert_window(const struct cdr_window *w, int64_t start, int64_t end)
{
    assert_int_equal(w->start, start);
    assert_int_equal(w->end, end);
}

static void test_split_exact_93_days(void **state)
{
    (void)state;
    const int64_t s = china_time(2025, 1, 1, 0, 0, 0);
    struct cdr_window w[4];
    memset(w, 0, sizeof(w));
    assert_int_equal(cdr_split_range(s, s + SPAN_93, SPAN_93, NULL, 0), 1);
    assert_int_equal(cdr_split_range(s, s + SPAN_93, SPAN_93, w, ARRAY_LEN(w)), 1);
    assert_window(&w[0], s, s + SPAN_93);
}

static void test_split_93_days_plus_one_second(void **state)
{
    (void)state;
    const int64_t s = china_time(2025, 1, 1, 0, 0, 0);
    struct cdr_window w[4];
    memset(w, 0, sizeof(w));
    assert_int_equal(cdr_split_range(s, s + SPAN_93 + 1, SPAN_93, w, ARRAY_LEN(w)), 2);
    assert_window(&w[0], s, s + SPAN_93);
    assert_window(&w[1], s + SPAN_93, s + SPAN_93 + 1); /* the boundary second is shared */
}

static void test_split_186_days(void **state)
{
    (void)state;
    const int64_t s = china_time(2024, 9, 1, 0, 0, 0);
    struct cdr_window w[4];
    memset(w, 0, sizeof(w));
    assert_int_equal(cdr_split_range(s, s + 2 * SPAN_93, SPAN_93, w, ARRAY_LEN(w)), 2);
    assert_window(&w[0], s, s + SPAN_93);
    assert_window(&w[1], s + SPAN_93, s + 2 * SPAN_93);
    assert_int_equal(cdr_split_range(s, s + 2 * SPAN_93 + 1, SPAN_93, w, ARRAY_LEN(w)), 3);
    assert_window(&w[2], s + 2 * SPAN_93, s + 2 * SPAN_93 + 1);
}

static void test_split_degenerate(void **state)
{
    (void)state;
    struct cdr_window w[2] = {{-7, -7}, {-7, -7}};
    assert_int_equal(cdr_split_range(1000, 1000, SPAN_93, w, 2), 1);
    assert_window(&w[0], 1000, 1000);
    assert_window(&w[1], -7, -7);

    struct cdr_window z = {-7, -7};
    assert_int_equal(cdr_split_range(1001, 1000, SPAN_93, &z, 1), 0);
    assert_window(&z, -7, -7);
    assert_int_equal(cdr_split_range(0, 10, 0, &z, 1), 0);
    assert_int_equal(cdr_split_range(0, 10, -5, &z, 1), 0);
    assert_window(&z, -7, -7);

    /* Negative instants (before 1970) split like any other. */
    assert_int_equal(cdr_split_range(-25, -5, 10, w, 2), 2);
    assert_window(&w[0], -25, -15);
    assert_window(&w[1], -15, -5);
}

static void test_split_cap_smaller_than_needed(void **state)
{
    (void)state;
    struct cdr_window w[5];
    for (size_t i = 0; i < ARRAY_LEN(w); i++)
        w[i] = (struct cdr_window){-1, -1};
    /* 0..35 in spans of 10 needs 4 windows; only 2 slots are offered. */
    assert_int_equal(cdr_split_range(0, 35, 10, w, 2), 4);
    assert_window(&w[0], 0, 10);
    assert_window(&w[1], 10, 20);
    for (size_t i = 2; i < ARRAY_LEN(w); i++)
        assert_window(&w[i], -1, -1);
    assert_int_equal(cdr_split_range(0, 35, 10, NULL, 0), 4);
    assert_int_equal(cdr_split_range(0, 35, 10, w, ARRAY_LEN(w)), 4);
    assert_window(&w[2], 20, 30);
    assert_window(&w[3], 30, 35);
    assert_window(&w[4], -1, -1);
}

static void test_split_covers_range(void **state)
{
    (void)state;
    static const int64_t spans[] = {1, 2, 7, 3600, SPAN_93};
    static const int64_t starts[] = {-3 * SPAN_93 - 17, -1, 0, 1735660800};
    for (size_t si = 0; si < ARRAY_LEN(spans); si++) {
        const int64_t span = spans[si];
        for (size_t st = 0; st < ARRAY_LEN(starts); st++) {
            /* Lengths around the multiples of the span are where off-by-one errors live. */
            for (int64_t k = 0; k <= 4; k++) {
                for (int64_t delta = -1; delta <= 1; delta++) {
                    const int64_t len = k * span + delta;
                    if (len < 0)
                        continue;
                    const int64_t s = starts[st], e = s + len;
                    const size_t need = cdr_split_range(s, e, span, NULL, 0);
                    const size_t want = len == 0 ? 1 : (size_t)((len + span - 1) / span);
                    assert_int_equal(need, want);
                    struct cdr_window w[8];
                    assert_true(need <= ARRAY_LEN(w));
                    assert_int_equal(cdr_split_range(s, e, span, w, ARRAY_LEN(w)), need);
                    assert_int_equal(w[0].start, s);
                    assert_int_equal(w[need - 1].end, e);
                    for (size_t i = 0; i < need; i++) {
                        assert_true(w[i].start <= w[i].end);
                        assert_true(w[i].end - w[i].start <= span);
                        if (i + 1 < need) {
                            assert_int_equal(w[i].end, w[i + 1].start);
                            assert_int_equal(w[i].end - w[i].start, span);
                        }
                    }
                }
            }
        }
    }
}

/* ---- the normalized record's JSON ------------------------------------------------------------ */

static void test_record_json_full(void **state)
{
    (void)state;
    struct cdr_record r;
    cdr_record_init(&r);
    r.vendor = "itnio";
    r.id = strdup("50180345");
    r.call_id = strdup("25010316113064799");
    r.direction = CDR_DIRECTION_OUTBOUND;
    r.caller = strdup("8613200000003");
    r.callee = strdup("8613242926514");
    r.agent = strdup("seatName");
    r.group = strdup("tele-basic-test");
    r.start_time = china_time(2025, 1, 3, 16, 10, 39);
    r.answer_time = china_time(2025, 1, 3, 16, 10, 43);
    r.end_time = china_time(2025, 1, 3, 16, 11, 30);
    r.ring_seconds = 4;
    r.talk_seconds = 47;
    r.hangup_by = CDR_HANGUP_AGENT;
    assert_int_equal(cdr_record_add_recording_url(&r, "a/1.wav"), 0);
    assert_int_equal(cdr_record_add_recording_url(&r, "b/2.wav"), 0);
    r.raw_json = strdup("{\"keyId\":50180345}");

    static const char base[] =
        "{\"vendor\":\"itnio\",\"id\":\"50180345\",\"call_id\":\"25010316113064799\","
        "\"direction\":\"outbound\",\"caller\":\"8613200000003\",\"callee\":\"8613242926514\","
        "\"agent\":\"seatName\",\"group\":\"tele-basic-test\","
        "\"start_time\":\"2025-01-03T08:10:39Z\",\"answer_time\":\"2025-01-03T08:10:43Z\","
        "\"end_time\":\"2025-01-03T08:11:30Z\",\"ring_seconds\":4,\"talk_seconds\":47,"
        "\"hangup_by\":\"agent\",\"recording_urls\":[\"a/1.wav\",\"b/2.wav\"]";
    char *json = cdr_record_to_json(&r, 0);
    assert_non_null(json);
    char *want = test_format("%s}", base);
    assert_string_equal(json, want);
    free(want);
    free(json);

    json = cdr_record_to_json(&r, 1);
    want = test_format("%s,\"raw\":{\"keyId\":50180345}}", base);
    assert_string_equal(json, want);
    free(want);
    free(json);

    cdr_record_free(&r);
    /* Freed records are back to the empty state, so a double free is harmless. */
    assert_null(r.id);
    assert_null(r.recording_urls);
    assert_int_equal(r.recording_url_count, 0);
    assert_int_equal(r.start_time, CDR_TIME_NONE);
    assert_int_equal(r.ring_seconds, CDR_SECONDS_NONE);
    cdr_record_free(&r);
}

static void test_record_json_nulls(void **state)
{
    (void)state;
    struct cdr_record r;
    cdr_record_init(&r);
    r.vendor = "itnio";
    r.id = strdup("7");
    r.direction = CDR_DIRECTION_INBOUND;
    r.hangup_by = CDR_HANGUP_CUSTOMER;
    r.start_time = 0; /* the epoch is a time, not an absent one */
    r.talk_seconds = 0;
    char *json = cdr_record_to_json(&r, 0);
    assert_string_equal(json, "{\"vendor\":\"itnio\",\"id\":\"7\",\"call_id\":null,"
                              "\"direction\":\"inbound\",\"caller\":null,\"callee\":null,"
                              "\"agent\":null,\"group\":null,"
                              "\"start_time\":\"1970-01-01T00:00:00Z\",\"answer_time\":null,"
                              "\"end_time\":null,\"ring_seconds\":null,\"talk_seconds\":0,"
                              "\"hangup_by\":\"customer\",\"recording_urls\":[]}");
    free(json);
    /* No raw object kept: "raw" is null rather than missing, so the key set is stable. */
    json = cdr_record_to_json(&r, 1);
    cJSON *doc = cJSON_Parse(json);
    assert_non_null(doc);
    assert_true(cJSON_IsNull(json_at(doc, "raw")));
    cJSON_Delete(doc);
    free(json);
    cdr_record_free(&r);

    /* A record fresh from init: every optional member null, enums "unknown". */
    cdr_record_init(&r);
    json = cdr_record_to_json(&r, 0);
    assert_string_equal(json, "{\"vendor\":null,\"id\":null,\"call_id\":null,"
                              "\"direction\":\"unknown\",\"caller\":null,\"callee\":null,"
                              "\"agent\":null,\"group\":null,\"start_time\":null,"
                              "\"answer_time\":null,\"end_time\":null,\"ring_seconds\":null,"
                              "\"talk_seconds\":null,\"hangup_by\":\"unknown\","
                              "\"recording_urls\":[]}");
    free(json);
    cdr_record_free(&r);
}

static void test_record_json_escaping(void **state)
{
    (void)state;
    struct cdr_record r;
    cdr_record_init(&r);
    r.vendor = "itnio";
    r.id = strdup("q\"uote");
    r.caller = strdup("back\\slash/solidus");
    r.callee = strdup("nl\ncr\rtab\tbs\bff\fnul\x01 us\x1f del\x7f");
    r.agent = strdup("张三 Zoë 📞");
    r.group = strdup("");
    r.direction = CDR_DIRECTION_INTERNAL;
    r.hangup_by = CDR_HANGUP_SYSTEM;
    assert_int_equal(cdr_record_add_recording_url(&r, "https://x/a b?c=\"d\""), 0);
    char *json = cdr_record_to_json(&r, 0);
    assert_string_equal(json,
                        "{\"vendor\":\"itnio\",\"id\":\"q\\\"uote\",\"call_id\":null,"
                        "\"direction\":\"internal\",\"caller\":\"back\\\\slash/solidus\","
                        "\"callee\":\"nl\\ncr\\rtab\\tbs\\bff\\fnul\\u0001 us\\u001f "
                        "del\x7f\",\"agent\":\"张三 Zoë 📞\",\"group\":\"\","
                        "\"start_time\":null,\"answer_time\":null,\"end_time\":null,"
                        "\"ring_seconds\":null,\"talk_seconds\":null,\"hangup_by\":\"system\","
                        "\"recording_urls\":[\"https://x/a b?c=\\\"d\\\"\"]}");
    /* And a JSON parser gets every original byte back. */
    cJSON *doc = cJSON_Parse(json);
    assert_non_null(doc);
    assert_string_equal(json_str_at(doc, "id"), r.id);
    assert_string_equal(json_str_at(doc, "caller"), r.caller);
    assert_string_equal(json_str_at(doc, "callee"), r.callee);
    assert_string_equal(json_str_at(doc, "agent"), r.agent);
    assert_string_equal(json_str_at(doc, "recording_urls.0"), r.recording_urls[0]);
    cJSON_Delete(doc);
    free(json);
    cdr_record_free(&r);
}

static void test_record_enum_names(void **state)
{
    (void)state;
    assert_string_equal(cdr_direction_name(CDR_DIRECTION_UNKNOWN), "unknown");
    assert_string_equal(cdr_direction_name(CDR_DIRECTION_INBOUND), "inbound");
    assert_string_equal(cdr_direction_name(CDR_DIRECTION_OUTBOUND), "outbound");
    assert_string_equal(cdr_direction_name(CDR_DIRECTION_INTERNAL), "internal");
    assert_string_equal(cdr_direction_name((enum cdr_direction)42), "unknown");
    assert_string_equal(cdr_hangup_by_name(CDR_HANGUP_UNKNOWN), "unknown");
    assert_string_equal(cdr_hangup_by_name(CDR_HANGUP_CUSTOMER), "customer");
    assert_string_equal(cdr_hangup_by_name(CDR_HANGUP_AGENT), "agent");
    assert_string_equal(cdr_hangup_by_name(CDR_HANGUP_SYSTEM), "system");
    assert_string_equal(cdr_hangup_by_name((enum cdr_hangup_by)42), "unknown");
}

/* ---- cdr_buf --------------------------------------------------------------------------------- */

static void test_buf_growth(void **state)
{
    (void)state;
    struct cdr_buf b;
    cdr_buf_init(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    for (int i = 0; i < 100000; i++) {
        char c = (char)('a' + i % 26);
        assert_true(cdr_buf_append(&b, &c, 1));
    }
    assert_int_equal(b.len, 100000);
    assert_true(b.cap > b.len);
    assert_int_equal(b.data[b.len], '\0');
    assert_int_equal(strlen(b.data), 100000);
    for (size_t i = 0; i < b.len; i++)
        if (b.data[i] != (char)('a' + i % 26))
            fail_msg("byte %zu is %c", i, b.data[i]);
    assert_false(b.failed);

    /* Embedded NUL bytes are data like any other. */
    assert_true(cdr_buf_append(&b, "x\0y", 3));
    assert_int_equal(b.len, 100003);
    assert_memory_equal(b.data + 100000, "x\0y", 4);
    assert_true(cdr_buf_append(&b, NULL, 0));
    assert_int_equal(b.len, 100003);
    cdr_buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);

    assert_true(cdr_buf_reserve(&b, 5000));
    assert_true(b.cap >= 5001);
    assert_int_equal(b.len, 0);
    const size_t cap = b.cap;
    assert_true(cdr_buf_puts(&b, "hello"));
    assert_int_equal(b.cap, cap); /* reserved room is used without reallocating */
    assert_string_equal(b.data, "hello");
    cdr_buf_free(&b);
}

static void test_buf_printf(void **state)
{
    (void)state;
    struct cdr_buf b;
    cdr_buf_init(&b);
    assert_true(cdr_buf_printf(&b, "%s=%d;", "a", 1));
    assert_true(cdr_buf_printf(&b, "%lld", -9007199254740993LL));
    assert_string_equal(b.data, "a=1;-9007199254740993");
    assert_int_equal(b.len, strlen("a=1;-9007199254740993"));
    /* Longer than the first allocation: printf must grow, not truncate. */
    char big[3000];
    memset(big, 'z', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_true(cdr_buf_printf(&b, "[%s]", big));
    assert_int_equal(b.len, 21 + 2 + 2999);
    assert_int_equal(b.data[21], '[');
    assert_int_equal(b.data[b.len - 1], ']');
    assert_int_equal(b.data[b.len], '\0');
    assert_true(cdr_buf_printf(&b, "%s", ""));
    assert_int_equal(b.len, 21 + 2 + 2999);
    cdr_buf_free(&b);

    cdr_buf_init(&b);
    assert_true(cdr_buf_printf(&b, "%s", ""));
    assert_non_null(b.data);
    assert_string_equal(b.data, "");
    cdr_buf_free(&b);
}

static void test_buf_json_string(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"", "\"\""},
        {"plain", "\"plain\""},
        {"a\"b", "\"a\\\"b\""},
        {"a\\b", "\"a\\\\b\""},
        {"\n\r\t", "\"\\n\\r\\t\""},
        {"\x01\x1f\b\f", "\"\\u0001\\u001f\\b\\f\""},
        {" /~\x7f", "\" /~\x7f\""},
        {"日本語 ünïcødé 🎧", "\"日本語 ünïcødé 🎧\""},
        {"\xff\xfe", "\"\xff\xfe\""}, /* bytes are passed through, not validated */
        {"\"\"\\\\", "\"\\\"\\\"\\\\\\\\\""},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct cdr_buf b;
        cdr_buf_init(&b);
        assert_true(cdr_buf_json_string(&b, cases[i].in));
        assert_string_equal(b.data, cases[i].out);
        assert_int_equal(b.len, strlen(cases[i].out));
        cdr_buf_free(&b);
    }
    struct cdr_buf b;
    cdr_buf_init(&b);
    assert_true(cdr_buf_puts(&b, "["));
    assert_true(cdr_buf_json_string(&b, NULL));
    assert_true(cdr_buf_puts(&b, ","));
    assert_true(cdr_buf_json_string(&b, "x"));
    assert_true(cdr_buf_puts(&b, "]"));
    assert_string_equal(b.data, "[null,\"x\"]");
    cdr_buf_free(&b);

    /* Every control character survives a round trip through a real JSON parser. */
    char all[32];
    for (int c = 1; c < 32; c++)
        all[c - 1] = (char)c;
    all[31] = '\0';
    cdr_buf_init(&b);
    assert_true(cdr_buf_json_string(&b, all));
    cJSON *s = cJSON_Parse(b.data);
    assert_true(cJSON_IsString(s));
    assert_string_equal(s->valuestring, all);
    cJSON_Delete(s);
    cdr_buf_free(&b);
}

static void test_buf_steal(void **state)
{
    (void)state;
    struct cdr_buf b;
    cdr_buf_init(&b);
    char *s = cdr_buf_steal(&b);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);

    assert_true(cdr_buf_puts(&b, "owned"));
    s = cdr_buf_steal(&b);
    assert_string_equal(s, "owned");
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    assert_true(cdr_buf_puts(&b, "again")); /* usable after a steal */
    assert_string_equal(b.data, "again");
    free(s);
    cdr_buf_free(&b);
}

static void test_buf_failure_is_sticky(void **state)
{
    (void)state;
    struct cdr_buf b;
    cdr_buf_init(&b);
    assert_true(cdr_buf_puts(&b, "abc"));
    assert_false(cdr_buf_reserve(&b, SIZE_MAX)); /* cannot fit: overflows size_t */
    assert_true(b.failed);
    assert_false(cdr_buf_puts(&b, "def"));
    assert_false(cdr_buf_printf(&b, "%d", 1));
    assert_false(cdr_buf_json_string(&b, "x"));
    assert_int_equal(b.len, 3);
    assert_string_equal(b.data, "abc");
    assert_null(cdr_buf_steal(&b)); /* and frees what it had */
    assert_null(b.data);
    assert_false(b.failed);
}

/* ---- errors ---------------------------------------------------------------------------------- */

static void test_error_names(void **state)
{
    (void)state;
    static const struct {
        cdr_error code;
        const char *name;
    } want[] = {
        {CDR_OK, "ok"},
        {CDR_ERR_INVALID_ARGUMENT, "invalid_argument"},
        {CDR_ERR_NO_MEMORY, "no_memory"},
        {CDR_ERR_TRANSPORT, "transport"},
        {CDR_ERR_TIMEOUT, "timeout"},
        {CDR_ERR_HTTP, "http"},
        {CDR_ERR_AUTH, "auth"},
        {CDR_ERR_TIMESTAMP, "timestamp"},
        {CDR_ERR_RANGE_TOO_LARGE, "range_too_large"},
        {CDR_ERR_PARAMETER, "parameter"},
        {CDR_ERR_NOT_FOUND, "not_found"},
        {CDR_ERR_RATE_LIMITED, "rate_limited"},
        {CDR_ERR_MALFORMED_RESPONSE, "malformed_response"},
        {CDR_ERR_VENDOR, "vendor"},
    };
    assert_int_equal(ARRAY_LEN(want), CDR_ERR_VENDOR + 1);
    for (size_t i = 0; i < ARRAY_LEN(want); i++) {
        assert_int_equal(want[i].code, (cdr_error)i); /* the table walks every code in order */
        assert_string_equal(cdr_error_name(want[i].code), want[i].name);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(cdr_error_name(want[i].code), cdr_error_name(want[j].code));
    }
    assert_string_equal(cdr_error_name((cdr_error)(CDR_ERR_VENDOR + 1)), "unknown");
    assert_string_equal(cdr_error_name((cdr_error)-1), "unknown");
}

static void test_error_set(void **state)
{
    (void)state;
    struct cdr_error_info info;
    memset(&info, 0x5a, sizeof(info));
    assert_int_equal(cdr_error_set(&info, CDR_ERR_PARAMETER, "bad %s %d", "size", 101),
                     CDR_ERR_PARAMETER);
    assert_int_equal(info.code, CDR_ERR_PARAMETER);
    assert_int_equal(info.http_status, 0);
    assert_string_equal(info.vendor_code, "");
    assert_string_equal(info.message, "bad size 101");
    assert_int_equal(cdr_error_set(NULL, CDR_ERR_TIMEOUT, "x"), CDR_ERR_TIMEOUT);

    assert_int_equal(cdr_error_set_vendor(&info, CDR_ERR_RANGE_TOO_LARGE, 200, "-76", "too long"),
                     CDR_ERR_RANGE_TOO_LARGE);
    assert_int_equal(info.code, CDR_ERR_RANGE_TOO_LARGE);
    assert_int_equal(info.http_status, 200);
    assert_string_equal(info.vendor_code, "-76");
    assert_string_equal(info.message, "too long");
    assert_int_equal(cdr_error_set_vendor(&info, CDR_ERR_VENDOR, 0, NULL, NULL), CDR_ERR_VENDOR);
    assert_string_equal(info.vendor_code, "");
    assert_string_equal(info.message, "");

    /* Over-long texts are cut to fit, still NUL-terminated. */
    char long_text[2000];
    memset(long_text, 'm', sizeof(long_text) - 1);
    long_text[sizeof(long_text) - 1] = '\0';
    cdr_error_set_vendor(&info, CDR_ERR_VENDOR, 200, long_text, long_text);
    assert_int_equal(strlen(info.vendor_code), sizeof(info.vendor_code) - 1);
    assert_int_equal(strlen(info.message), sizeof(info.message) - 1);

    cdr_error_clear(&info);
    assert_int_equal(info.code, CDR_OK);
    assert_string_equal(info.message, "");
    cdr_error_clear(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_local_valid),
        cmocka_unit_test(test_parse_local_invalid),
        cmocka_unit_test(test_parse_iso8601_valid),
        cmocka_unit_test(test_parse_iso8601_invalid),
        cmocka_unit_test(test_parse_any),
        cmocka_unit_test(test_format_known_values),
        cmocka_unit_test(test_format_round_trips),
        cmocka_unit_test(test_days_from_civil),
        cmocka_unit_test(test_split_exact_93_days),
        cmocka_unit_test(test_split_93_days_plus_one_second),
        cmocka_unit_test(test_split_186_days),
        cmocka_unit_test(test_split_degenerate),
        cmocka_unit_test(test_split_cap_smaller_than_needed),
        cmocka_unit_test(test_split_covers_range),
        cmocka_unit_test(test_record_json_full),
        cmocka_unit_test(test_record_json_nulls),
        cmocka_unit_test(test_record_json_escaping),
        cmocka_unit_test(test_record_enum_names),
        cmocka_unit_test(test_buf_growth),
        cmocka_unit_test(test_buf_printf),
        cmocka_unit_test(test_buf_json_string),
        cmocka_unit_test(test_buf_steal),
        cmocka_unit_test(test_buf_failure_is_sticky),
        cmocka_unit_test(test_error_names),
        cmocka_unit_test(test_error_set),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
