/* The mock's JSON reader (json_read.c): every token kind and every malformed input; text it calls
 * canonical is exactly what cJSON prints again for it, so a fixture kept as written serves the
 * same bytes a parse-and-print served, and text written any other way is left to cJSON; members
 * read from the text as cJSON items read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <cmocka.h>

#include "json_read.h"
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
    size_t len = mock_json_canonical_len(text, strlen(text), MOCK_JSON_PRINTED);
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
        if (mock_json_canonical_len(text, n, MOCK_JSON_PRINTED) == 0)
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
    assert_true(
        mock_json_canonical_elements(file, strlen(file), MOCK_JSON_PRINTED, &spans, &count));
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

    assert_true(mock_json_canonical_elements(" [ ] ", 5, MOCK_JSON_PRINTED, &spans, &count));
    assert_int_equal(count, 0);
    free(spans);
    static const char *const refused[] = {"[{\"a\": 1}]", "[1,]", "[1] x", "{}", "[1 2]", "[", ""};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        assert_false(mock_json_canonical_elements(refused[i], strlen(refused[i]), MOCK_JSON_PRINTED,
                                                  &spans, &count));
}

/* A reader over text (a NUL-terminated literal) in form. */
static struct mock_json_reader reader(const char *text, unsigned form)
{
    return mock_json_reader(text, strlen(text), form);
}

/* How far the value at the start of text reads (0: not JSON) and whether it is canonical. */
static size_t value_len(const char *text, unsigned form, bool *canonical)
{
    struct mock_json_reader r = reader(text, form);
    bool ok = mock_json_value(&r, 0);
    *canonical = r.canonical;
    return ok ? (size_t)(r.p - text) : 0;
}

static void test_tokens(void **state)
{
    (void)state;
    struct mock_json_reader r = reader("\"a\\\"b\\u00e9c\"x", MOCK_JSON_PRINTED);
    struct mock_json_text chars;
    bool escaped = false, integer, canonical;
    int64_t v = 0;
    assert_true(mock_json_string(&r, &chars, &escaped));
    assert_int_equal(chars.len, strlen("a\\\"b\\u00e9c"));
    assert_memory_equal(chars.text, "a\\\"b\\u00e9c", chars.len); /* raw: escapes not undone */
    assert_true(escaped);
    assert_false(r.canonical); /* cJSON writes the é itself */
    assert_int_equal(*r.p, 'x');
    r = reader("\"caf\xc3\xa9 \xff\"", MOCK_JSON_PLAIN); /* bytes above 0x7f are not checked */
    assert_true(mock_json_string(&r, &chars, &escaped));
    assert_false(escaped);
    assert_true(r.canonical);
    r = reader("\"a\\nb\"", MOCK_JSON_PLAIN); /* an escape cJSON writes, in a form without them */
    assert_true(mock_json_string(&r, NULL, NULL));
    assert_false(r.canonical);
    r = reader("\"a\\nb\"", MOCK_JSON_ESCAPES);
    assert_true(mock_json_string(&r, NULL, NULL));
    assert_true(r.canonical);

    r = reader("-123456789012345,", MOCK_JSON_PLAIN);
    assert_true(mock_json_number(&r, &integer, &v));
    assert_true(integer);
    assert_int_equal(v, -123456789012345);
    assert_int_equal(*r.p, ',');
    static const char *const not_integers[] = {
        "1234567890123456", "99999999999999999999999", "-0", "1.0", "1.5", "1e3", "1E+3", "2e-1"};
    for (size_t i = 0; i < sizeof(not_integers) / sizeof(not_integers[0]); i++) {
        r = reader(not_integers[i], MOCK_JSON_PRINTED);
        assert_true(mock_json_number(&r, &integer, &v));
        assert_false(integer);
        assert_int_equal(r.p - not_integers[i], strlen(not_integers[i]));
    }
    r = reader("2.5", MOCK_JSON_PLAIN); /* a fraction cJSON prints back, in a form without them */
    assert_true(mock_json_number(&r, &integer, &v));
    assert_false(r.canonical);
    r = reader("2.5", MOCK_JSON_FRACTIONS);
    assert_true(mock_json_number(&r, &integer, &v));
    assert_true(r.canonical);

    static const char *const values[] = {"true", "false", "null", "[]",
                                         "{}",   "\"\"",  "0",    "[1,\"a\",{\"b\":[null]}]"};
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        assert_int_equal(value_len(values[i], MOCK_JSON_PLAIN, &canonical), strlen(values[i]));
        assert_true(canonical);
    }
    /* whitespace anywhere is JSON but not canonical; also right after an opening bracket */
    static const char *const spaced[] = {"[ 1]",       "{ \"a\":1}", "[1 ]",   "{\"a\" :1}",
                                         "{\"a\": 1}", "[1,\t2]",    "[\r\n]", "[[ [1]]]"};
    for (size_t i = 0; i < sizeof(spaced) / sizeof(spaced[0]); i++) {
        assert_int_equal(value_len(spaced[i], MOCK_JSON_PRINTED, &canonical), strlen(spaced[i]));
        assert_false(canonical);
    }
}

static void test_malformed(void **state)
{
    (void)state;
    bool canonical;
    static const char *const bad[] = {
        "",         "\"open", "\"a\\", "\"a\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"a\tb\"",
        "[1",       "[1,",    "[1,]",  "[,1]",     "{\"a\"}",   "{\"a\":}",    "{a:1}",
        "{\"a\":1", "{1:2}",  "[1 2]", "tru",      "nul",       "falsy",       "-",
        "+1",       ".5",     "1.",    "1.e3",     "1e",        "1e+",         "01",
        "-01",      "]",      "}",     ",",        ":",         "\x01",        "\xef\xbb\xbf[]"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (value_len(bad[i], MOCK_JSON_PRINTED, &canonical) != 0 &&
            value_len(bad[i], MOCK_JSON_PRINTED, &canonical) == strlen(bad[i]))
            fail_msg("read as a whole value: %s", bad[i]);
    /* truncated: no prefix of a value is one, except where a number may end */
    const char *whole = "{\"k\":[\"a\\u00e9\\n\",-1.5e+3,true,null,{\"z\":{}}]}";
    for (size_t n = 0; n < strlen(whole); n++) {
        struct mock_json_reader r = mock_json_reader(whole, n, MOCK_JSON_PRINTED);
        assert_false(mock_json_value(&r, 0));
    }
    /* a NUL inside the text's length is a control character in a string, and no token outside */
    static const char nul_string[] = "\"a\0b\"", nul_array[] = "[1,\0]";
    struct mock_json_reader r = mock_json_reader(nul_string, sizeof(nul_string) - 1, 0);
    assert_false(mock_json_value(&r, 0));
    r = mock_json_reader(nul_array, sizeof(nul_array) - 1, 0);
    assert_false(mock_json_value(&r, 0));
    /* bad UTF-8 is passed as bytes, as cJSON does: canonical when nothing else is */
    assert_int_equal(mock_json_canonical_len("[\"\xc3\x28\xff\"]", 7, MOCK_JSON_PLAIN), 7);
}

/* Nesting up to cJSON's own limit: deeper is not read (cJSON would not parse it either). */
static void test_deep_nesting(void **state)
{
    (void)state;
    size_t depth = MOCK_JSON_MAX_DEPTH;
    char *text = malloc(2 * depth + 2);
    assert_non_null(text);
    memset(text, '[', depth);
    memset(text + depth, ']', depth);
    text[2 * depth] = '\0';
    assert_int_equal(mock_json_canonical_len(text, 2 * depth, MOCK_JSON_PLAIN), 2 * depth);
    cJSON *parsed = cJSON_Parse(text);
    assert_non_null(parsed);
    cJSON_Delete(parsed);
    memmove(text + 1, text, 2 * depth);
    text[0] = '[';
    text[2 * depth + 1] = ']';
    assert_int_equal(mock_json_canonical_len(text, 2 * depth + 2, MOCK_JSON_PLAIN), 0);
    assert_null(cJSON_ParseWithLength(text, 2 * depth + 2));
    free(text);
}

/* Every element, printed by cJSON from its own parse, is the element's bytes. */
static void assert_elements_print_back(const char *text)
{
    struct mock_json_text *spans;
    size_t n;
    assert_true(mock_json_canonical_elements(text, strlen(text), MOCK_JSON_PLAIN, &spans, &n));
    cJSON *whole = cJSON_Parse(text);
    assert_non_null(whole);
    assert_int_equal(n, (size_t)cJSON_GetArraySize(whole));
    for (size_t i = 0; i < n; i++) {
        char *printed = cJSON_PrintUnformatted(cJSON_GetArrayItem(whole, (int)i));
        char *own = strndup(spans[i].text, spans[i].len);
        assert_string_equal(own, printed);
        free(own);
        free(printed);
    }
    cJSON_Delete(whole);
    free(spans);
}

static void test_plain_arrays_are_taken(void **state)
{
    (void)state;
    assert_elements_print_back("[]");
    assert_elements_print_back(" [ ] \n");
    assert_elements_print_back(
        "[\n{\"a\":1,\"b\":\"x\"},\n{\"a\":-2,\"c\":[1,2,{}],\"d\":null}\n]\n");
    assert_elements_print_back("[0,-1,999999999999999,true,false,null,\"\",[],{},\"caf\xc3\xa9\"]");
    assert_elements_print_back("[{\"t\":{\"u\":{\"v\":[[1]]}},\"w\":1714586172469}]");
}

static void test_anything_plain_form_leaves_is_refused(void **state)
{
    (void)state;
    static const char *const refused[] = {
        "",
        "{}",                  /* no array */
        "[1,]",                /* not JSON */
        "[1 2]",               /* not JSON */
        "[1] x",               /* trailing text */
        "[{\"a\": 1}]",        /* space inside an element */
        "[{\"a\":\"x\\ny\"}]", /* an escape */
        "[{\"a\":\"\\/\"}]",   /* an escape cJSON drops */
        "[\"a\tb\"]",          /* a raw control character */
        "[1.5]",               /* a fraction */
        "[1e3]",               /* an exponent */
        "[-0]",                /* printed as 0 */
        "[007]",               /* leading zeros */
        "[1000000000000000]",  /* 16 digits: printed as 1e+15 */
        "[tru]",               /* a broken literal */
        "\xef\xbb\xbf[1]",     /* a byte-order mark */
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        struct mock_json_text *spans = (void *)1;
        size_t n = 7;
        bool taken = mock_json_canonical_elements(refused[i], strlen(refused[i]), MOCK_JSON_PLAIN,
                                                  &spans, &n);
        if (taken)
            fail_msg("taken: %s", refused[i]);
        assert_null(spans);
        assert_int_equal(n, 0);
    }
    static const char nul[] = "[{\"a\":1}\0]"; /* a NUL inside the length */
    struct mock_json_text *none;
    size_t count;
    assert_false(
        mock_json_canonical_elements(nul, sizeof(nul) - 1, MOCK_JSON_PLAIN, &none, &count));
}

/* One member's value through mock_json_members. */
static bool member(struct mock_json_text obj, const char *key, struct mock_json_text *value)
{
    return mock_json_members(obj, &key, 1, value) == 1;
}

static void test_members_read_as_cjson_items(void **state)
{
    (void)state;
    const char *text = "[{\"id\":\"c-1\",\"n\":-42,\"z\":null,\"s\":7,\"id\":\"again\","
                       "\"o\":{\"k\":[1,{\"id\":2}],\"m\":3},\"f\":1.5,\"q\":\"x\"}]";
    struct mock_json_text *spans, v, inner, o;
    size_t n;
    int64_t i;
    assert_true(mock_json_canonical_elements(text, strlen(text), MOCK_JSON_PRINTED, &spans, &n));
    assert_int_equal(n, 1);
    assert_true(member(spans[0], "id", &v)); /* the first of two, as cJSON finds */
    assert_int_equal(mock_json_text_string(v, &inner), MOCK_JV_OK);
    assert_int_equal(inner.len, 3);
    assert_memory_equal(inner.text, "c-1", 3);
    assert_true(member(spans[0], "n", &v));
    assert_int_equal(mock_json_text_int(v, &i), MOCK_JV_OK);
    assert_int_equal(i, -42);
    assert_true(member(spans[0], "z", &v));
    assert_int_equal(mock_json_text_int(v, &i), MOCK_JV_ABSENT);
    assert_int_equal(mock_json_text_string(v, &inner), MOCK_JV_ABSENT);
    assert_true(member(spans[0], "s", &v));
    assert_int_equal(mock_json_text_string(v, &inner), MOCK_JV_WRONG_TYPE);
    assert_true(member(spans[0], "f", &v)); /* a fraction is no integer */
    assert_int_equal(mock_json_text_int(v, &i), MOCK_JV_WRONG_TYPE);
    assert_true(member(spans[0], "q", &v)); /* after a nested object */
    assert_int_equal(mock_json_text_string(v, &inner), MOCK_JV_OK);
    assert_memory_equal(inner.text, "x", 1);
    assert_int_equal(mock_json_text_int(v, &i), MOCK_JV_WRONG_TYPE);
    assert_false(member(spans[0], "k", &v)); /* nested members are not the object's */
    assert_true(member(spans[0], "o", &o));
    assert_int_equal(mock_json_text_int(o, &i), MOCK_JV_WRONG_TYPE);
    assert_true(member(o, "m", &v));
    assert_int_equal(mock_json_text_int(v, &i), MOCK_JV_OK);
    assert_int_equal(i, 3);
    static const char *const keys[] = {"q", "missing", "n"};
    struct mock_json_text values[3];
    assert_int_equal(mock_json_members(spans[0], keys, 3, values), 2);
    assert_null(values[1].text);
    assert_memory_equal(values[0].text, "\"x\"", 3);
    assert_memory_equal(values[2].text, "-42", 3);
    assert_int_equal(mock_json_members((struct mock_json_text){"{}", 2}, keys, 3, values), 0);
    free(spans);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_numbers_against_cjson),
        cmocka_unit_test(test_elements_and_members),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_plain_arrays_are_taken),
        cmocka_unit_test(test_anything_plain_form_leaves_is_refused),
        cmocka_unit_test(test_members_read_as_cjson_items),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
