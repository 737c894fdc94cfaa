/* The shared time primitives (prim/time.c), as the mock uses them: the vendors' wall-clock form,
 * ISO 8601 with and without a required zone, to the millisecond, and formatting back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cdrsim/timefmt.h"
#include "testutil.h"

#ifndef ARRAY_LEN
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#endif

static void test_time_wall_valid(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int y, mo, d, h, mi, s;
    } cases[] = {
        {"2025-01-03 16:10:39", 2025, 1, 3, 16, 10, 39},
        {"2024-02-29 12:00:00", 2024, 2, 29, 12, 0, 0},
        {"2000-02-29 00:00:00", 2000, 2, 29, 0, 0, 0},
        {"2025-12-31 23:59:59", 2025, 12, 31, 23, 59, 59},
        {"2025-01-01 00:00:00", 2025, 1, 1, 0, 0, 0},
        {"1970-01-01 08:00:00", 1970, 1, 1, 8, 0, 0},
        {"2025-04-30 07:59:59", 2025, 4, 30, 7, 59, 59},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        int64_t t = -1;
        if (!cdr_time_parse_local(cases[i].text, CDR_CHINA_OFFSET_SECONDS, &t))
            fail_msg("%s rejected", cases[i].text);
        assert_int_equal(t, china_time(cases[i].y, cases[i].mo, cases[i].d, cases[i].h, cases[i].mi,
                                       cases[i].s));
        assert_true(cdr_time_parse_local(cases[i].text, 0, &t));
        assert_int_equal(t, china_time(cases[i].y, cases[i].mo, cases[i].d, cases[i].h, cases[i].mi,
                                       cases[i].s) +
                                8 * 3600);
        char back[20];
        cdr_time_format_local(t, 0, back);
        assert_string_equal(back, cases[i].text);
    }
    int64_t t;
    assert_true(cdr_time_parse_local("2024-02-29 12:00:00", CDR_CHINA_OFFSET_SECONDS, &t));
    assert_int_equal(t, 1709179200);
}

static void test_time_wall_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "2025-02-29 00:00:00", /* not a leap year */
        "1900-02-29 00:00:00", /* divisible by 100, not by 400 */
        "2100-02-29 00:00:00",
        "2025-02-30 00:00:00",
        "2025-04-31 00:00:00",
        "2025-13-01 00:00:00",
        "2025-00-10 00:00:00",
        "2025-01-00 00:00:00",
        "2025-01-32 00:00:00",
        "2025-01-01 24:00:00",
        "2025-01-01 23:60:00",
        "2025-01-01 23:59:60",
        "2025-1-01 00:00:00",
        "2025-01-01 0:00:00",
        "2025-01-01T00:00:00",
        "2025-01-01 00:00:00 ",
        " 2025-01-01 00:00:00",
        "2025-01-01 00:00:00Z",
        "2025/01/01 00:00:00",
        "2025-01-01 00-00-00",
        "yesterday",
        "2025-01-01",
        "+025-01-01 00:00:00",
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        int64_t t = 12345;
        if (cdr_time_parse_local(bad[i], CDR_CHINA_OFFSET_SECONDS, &t))
            fail_msg("\"%s\" accepted as %lld", bad[i], (long long)t);
        assert_int_equal(t, 12345);
    }
    int64_t t;
    assert_false(cdr_time_parse_local(NULL, 0, &t));
}

static void test_time_iso(void **state)
{
    (void)state;
    const int64_t seed = 1735891839; /* 2025-01-03T08:10:39Z */
    static const struct {
        const char *text;
        int64_t delta;
    } ok[] = {
        {"2025-01-03T08:10:39Z", 0},      {"2025-01-03t08:10:39z", 0},
        {"2025-01-03T16:10:39+08:00", 0}, {"2025-01-03T16:10:39+0800", 0},
        {"2025-01-03T03:10:39-05:00", 0}, {"2025-01-03T13:40:39+05:30", 0},
        {"2025-01-03T08:10:39.999Z", 0},  {"2025-01-03T08:10:39.5+00:00", 0},
        {"2025-01-03T16:10:39", 0},       {"2025-01-03T08:10:40.000001Z", 1},
    };
    for (size_t i = 0; i < ARRAY_LEN(ok); i++) {
        int64_t t = 0;
        if (!cdr_time_parse_iso8601(ok[i].text, CDR_CHINA_OFFSET_SECONDS, &t))
            fail_msg("%s rejected", ok[i].text);
        if (t != seed + ok[i].delta)
            fail_msg("%s parsed as %lld", ok[i].text, (long long)t);
    }
    /* Without a zone the default offset applies. */
    int64_t t;
    assert_true(cdr_time_parse_iso8601("2025-01-03T08:10:39", 0, &t));
    assert_int_equal(t, seed);
    assert_true(cdr_time_parse_iso8601("2024-02-29T00:00:00Z", 0, &t));
    assert_int_equal(t, 1709164800);
    static const char *const bad[] = {
        "2025-01-03 08:10:39Z",      "2025-01-03T08:10:39+8:00",   "2025-01-03T08:10:39+24:00",
        "2025-01-03T08:10:39+08:60", "2025-01-03T08:10:39+08",     "2025-01-03T08:10:39Z ",
        "2025-01-03T08:10:39.Z",     "2025-01-03T08:10:39ZZ",      "2025-02-29T00:00:00Z",
        "2025-01-03T08:10Z",         "2025-01-03T08:10:39+08:00x", "",
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        t = 777;
        if (cdr_time_parse_iso8601(bad[i], CDR_CHINA_OFFSET_SECONDS, &t))
            fail_msg("\"%s\" accepted as %lld", bad[i], (long long)t);
        assert_int_equal(t, 777);
    }
}

static void test_time_rfc3339_ms(void **state)
{
    (void)state;
    int64_t ms;
    assert_true(cdr_time_parse_rfc3339_ms("2021-09-01T04:00:00Z", &ms));
    assert_int_equal(ms, 1630468800000LL);
    assert_true(cdr_time_parse_rfc3339_ms("2021-09-01T04:00:00.123Z", &ms));
    assert_int_equal(ms, 1630468800123LL);
    assert_true(cdr_time_parse_rfc3339_ms("2021-09-01T04:00:00.1Z", &ms));
    assert_int_equal(ms, 1630468800100LL);
    assert_true(cdr_time_parse_rfc3339_ms("2021-09-01T04:00:00.1239Z", &ms));
    assert_int_equal(ms, 1630468800123LL);
    assert_true(cdr_time_parse_rfc3339_ms("2021-09-01T12:00:00.5+08:00", &ms));
    assert_int_equal(ms, 1630468800500LL);
    assert_true(cdr_time_parse_rfc3339_ms("2000-02-29T23:59:59.999Z", &ms));
    assert_int_equal(ms, (951782400LL + 86399) * 1000 + 999);
    ms = 5;
    assert_false(cdr_time_parse_rfc3339_ms("2021-09-01T04:00:00", &ms));
    assert_false(cdr_time_parse_rfc3339_ms("2021-09-01T04:00:00.123", &ms));
    assert_false(cdr_time_parse_rfc3339_ms("2021-09-01 04:00:00", &ms));
    assert_false(cdr_time_parse_rfc3339_ms("2023-02-29T00:00:00Z", &ms));
    assert_int_equal(ms, 5);
}

static void test_time_format(void **state)
{
    (void)state;
    char wall[20], rfc[25];
    cdr_time_format_local(1735891839, CDR_CHINA_OFFSET_SECONDS, wall);
    assert_string_equal(wall, "2025-01-03 16:10:39");
    cdr_time_format_local(1735891839, 0, wall);
    assert_string_equal(wall, "2025-01-03 08:10:39");
    cdr_time_format_local(951782400 + 86399 - 8 * 3600, CDR_CHINA_OFFSET_SECONDS, wall);
    assert_string_equal(wall, "2000-02-29 23:59:59");
    cdr_time_format_rfc3339_ms(1630468800123LL, rfc);
    assert_string_equal(rfc, "2021-09-01T04:00:00.123Z");
    cdr_time_format_rfc3339((1630468800123LL) / 1000, rfc);
    assert_string_equal(rfc, "2021-09-01T04:00:00Z");
    cdr_time_format_rfc3339_ms(1630468800007LL, rfc);
    assert_string_equal(rfc, "2021-09-01T04:00:00.007Z");
    cdr_time_format_rfc3339_ms(-1, rfc);
    assert_string_equal(rfc, "1969-12-31T23:59:59.999Z");
    /* Round trip through the parser. */
    int64_t ms;
    cdr_time_format_rfc3339_ms(1893553445678LL, rfc);
    assert_true(cdr_time_parse_rfc3339_ms(rfc, &ms));
    assert_int_equal(ms, 1893553445678LL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_wall_valid), cmocka_unit_test(test_time_wall_invalid),
        cmocka_unit_test(test_time_iso),        cmocka_unit_test(test_time_rfc3339_ms),
        cmocka_unit_test(test_time_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
