/* The canonical-JSON scanner (json_canon.c): text it accepts is exactly what cJSON prints again
 * for it, so a fixture kept as written serves the same bytes a parse-and-print served; text
 * written any other way is refused and left to cJSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <cmocka.h>

#include "json_canon.h"
#include "rng.h"
#include "testutil.h"

/* What cJSON prints again for text, or NULL when it does not parse. Caller frees. */
static char *reprinted(const char *text)
{
    cJSON *v = cJSON_Parse(text);
    char *out = v ? cJSON_PrintUnformatted(v) : NULL;
    cJSON_Delete(v);
    return out;
}

/* Accepted exactly when cJSON would print the same text again (never accepted otherwise). */
static void check(const char *text, bool want_canonical)
{
    char *again = reprinted(text);
    size_t len = mock_json_canonical_len(text, strlen(text));
    if (want_canonical) {
        assert_non_null(again);
        assert_string_equal(again, text);
        assert_int_equal(len, strlen(text));
    } else {
        assert_int_equal(len, 0);
    }
    free(again);
}

static void test_values(void **state)
{
    (void)state;
    static const char *const canonical[] = {"{}",
                                            "[]",
                                            "null",
                                            "true",
                                            "false",
                                            "0",
                                            "-1",
                                            "2147483647",
                                            "-2147483648",
                                            "123456789012345",
                                            "7.500697",
                                            "6.87153",
                                            "-0.5",
                                            "0.0001",
                                            "0.1234",
                                            "12345678.9012345",
                                            "\"\"",
                                            "\"a\\\"b\\\\c\\n\\t\\r\\b\\f\"",
                                            "\"中文/x\"",
                                            "{\"a\":[1,{\"b\":null}],\"c\":\"d\"}",
                                            "[[[]],{},\"\\\\\"]",
                                            "{\"a\":1,\"a\":2}"};
    for (size_t i = 0; i < sizeof(canonical) / sizeof(canonical[0]); i++)
        check(canonical[i], true);
    static const char *const other[] = {"{ }",
                                        "[1, 2]",
                                        "{\"a\": 1}",
                                        "-0",
                                        "1.0",
                                        "1.50",
                                        "1e3",
                                        "1E3",
                                        "0.00001",
                                        "01",
                                        "1234567890123456",
                                        "0.1234567890123456",
                                        "\"\\/\"",
                                        "\"\\u0041\"",
                                        "\"a\tb\"",
                                        "[1,]",
                                        "{\"a\"}",
                                        "\"unterminated",
                                        "nul",
                                        "+1",
                                        ".5",
                                        "1.",
                                        "[1 2]",
                                        ""};
    for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
        check(other[i], false);
}

/* Random decimals of every shape: whatever the scanner accepts, cJSON prints back unchanged. */
static void test_numbers_against_cjson(void **state)
{
    (void)state;
    struct mock_rng rng;
    mock_rng_seed(&rng, 42);
    size_t accepted = 0;
    for (int i = 0; i < 20000; i++) {
        char text[64];
        int int_digits = (int)mock_rng_range(&rng, 1, 17),
            frac_digits = (int)mock_rng_range(&rng, 0, 8);
        size_t n = 0;
        if (mock_rng_below(&rng, 4) == 0)
            text[n++] = '-';
        for (int d = 0; d < int_digits; d++)
            text[n++] = (char)('0' + mock_rng_below(&rng, d == 0 && int_digits > 1 ? 3 : 10));
        if (frac_digits) {
            text[n++] = '.';
            for (int d = 0; d < frac_digits; d++)
                text[n++] = (char)('0' + mock_rng_below(&rng, 10));
        }
        text[n] = '\0';
        if (mock_json_canonical_len(text, n) == 0)
            continue;
        accepted++;
        char *again = reprinted(text);
        assert_non_null(again);
        assert_string_equal(again, text);
        free(again);
    }
    assert_in_range(accepted, 1000, 20000);
}

static void test_elements_and_members(void **state)
{
    (void)state;
    const char *file =
        "[\n{\"id\":\"a\",\"details\":[1,{\"x\":\"]\"}],\"n\":2},\n{\"id\":\"b\"}\n]\n";
    struct mock_json_text *spans = NULL;
    size_t count = 0;
    assert_true(mock_json_canonical_elements(file, strlen(file), &spans, &count));
    assert_int_equal(count, 2);
    assert_int_equal(spans[1].len, strlen("{\"id\":\"b\"}"));
    assert_memory_equal(spans[1].text, "{\"id\":\"b\"}", spans[1].len);
    const char *at = NULL;
    struct mock_json_member m;
    const char *keys[] = {"id", "details", "n"}, *values[] = {"\"a\"", "[1,{\"x\":\"]\"}]", "2"};
    for (size_t i = 0; i < 3; i++) {
        assert_true(mock_json_next_member(spans[0], &at, NULL, &m));
        assert_int_equal(m.key.len, strlen(keys[i]));
        assert_memory_equal(m.key.text, keys[i], m.key.len);
        assert_int_equal(m.value.len, strlen(values[i]));
        assert_memory_equal(m.value.text, values[i], m.value.len);
    }
    assert_false(mock_json_next_member(spans[0], &at, NULL, &m));
    at = NULL; /* stopping at a member: where its value starts, no length, no more members */
    assert_true(mock_json_next_member(spans[0], &at, "details", &m));
    assert_true(mock_json_next_member(spans[0], &at, "details", &m));
    assert_int_equal(m.value.text - spans[0].text, strlen("{\"id\":\"a\",\"details\":"));
    assert_int_equal(m.value.len, 0);
    assert_false(mock_json_next_member(spans[0], &at, "details", &m));
    free(spans);

    assert_true(mock_json_canonical_elements(" [ ] ", 5, &spans, &count));
    assert_int_equal(count, 0);
    free(spans);
    static const char *const refused[] = {"[{\"a\": 1}]", "[1,]", "[1] x", "{}", "[1 2]", "[", ""};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        assert_false(mock_json_canonical_elements(refused[i], strlen(refused[i]), &spans, &count));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_numbers_against_cjson),
        cmocka_unit_test(test_elements_and_members),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
