/* The JSON Schema type name both schema readers compare "type" against, and the whole number of a
 * JSON number held inside int64_t (prim/json_type.c). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "json_type.h"
#include "testutil.h"

#ifndef ARRAY_LEN
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#endif

static void test_json_type_parsed(void **state)
{
    (void)state;
    static const struct {
        const char *json, *want;
    } cases[] = {
        {"null", "null"},
        {"true", "boolean"},
        {"false", "boolean"},
        {"\"1\"", "string"},
        {"[]", "array"},
        {"{}", "object"},
        {"0", "integer"},
        {"-7", "integer"},
        {"3.0", "integer"},
        {"1e3", "integer"},
        {"0.5", "number"},
        {"-1.25", "number"},
        /* past 2^53 every double is whole: still an integer */
        {"9007199254740993", "integer"},
        {"-1e300", "integer"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        cJSON *v = cJSON_Parse(cases[i].json);
        assert_non_null(v);
        assert_string_equal(cdr__json_type(v), cases[i].want);
        cJSON_Delete(v);
    }
}

static void test_json_type_not_json(void **state)
{
    (void)state;
    cJSON *inf = cJSON_CreateNumber(INFINITY), *nan = cJSON_CreateNumber(NAN);
    assert_string_equal(cdr__json_type(inf), "number");
    assert_string_equal(cdr__json_type(nan), "number");
    cJSON_Delete(inf);
    cJSON_Delete(nan);
    cJSON *raw = cJSON_CreateRaw("1");
    assert_string_equal(cdr__json_type(raw), "invalid");
    cJSON_Delete(raw);
    assert_string_equal(cdr__json_type(NULL), "invalid");
}

/* Whole numbers come out whole; past the range they are held at its ends, never cast (undefined
 * behaviour, which UBSan stops on). */
static void test_json_int64(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        int64_t want;
    } cases[] = {
        {"0", 0},
        {"-7", -7},
        {"3.9", 3},
        {"-3.9", -3},
        {"1562786332000", 1562786332000LL},
        {"9007199254740993", 9007199254740992LL},
        {"9223372036854774784", 9223372036854774784LL}, /* the last double below 2^63 */
        {"9223372036854775808", INT64_MAX},
        {"200099999999999999999999999", INT64_MAX},
        {"-9223372036854775808", INT64_MIN},
        {"-1e300", INT64_MIN},
        {"\"12\"", -1}, /* not a number: the fallback */
        {"null", -1},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        cJSON *v = cJSON_Parse(cases[i].json);
        assert_non_null(v);
        int64_t got = cdr__json_int64(v, -1);
        if (got != cases[i].want)
            fail_msg("%s: got %lld, want %lld", cases[i].json, (long long)got,
                     (long long)cases[i].want);
        cJSON_Delete(v);
    }
    assert_int_equal(cdr__int64_of_double(NAN), 0);
    assert_true(cdr__int64_of_double(INFINITY) == INT64_MAX);
    assert_true(cdr__int64_of_double(-INFINITY) == INT64_MIN);
    assert_true(cdr__json_int64(NULL, 42) == 42);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_type_parsed),
        cmocka_unit_test(test_json_type_not_json),
        cmocka_unit_test(test_json_int64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
