/* The compact-array check that lets fixtures keep their own bytes (mockserver/json_span.h): what
 * it takes (exactly what cJSON_PrintUnformatted writes back unchanged) and what it leaves to the
 * parse-and-print path, and reading members straight from an element. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <cJSON.h>

#include "json_span.h"

/* Every element, printed by cJSON from its own parse, is the element's bytes. */
static void assert_elements_print_back(const char *text)
{
    struct mock_json_span *spans;
    size_t n;
    assert_true(mock_json_compact_array(text, strlen(text), &spans, &n));
    cJSON *whole = cJSON_Parse(text);
    assert_non_null(whole);
    assert_int_equal(n, (size_t)cJSON_GetArraySize(whole));
    for (size_t i = 0; i < n; i++) {
        char *printed = cJSON_PrintUnformatted(cJSON_GetArrayItem(whole, (int)i));
        char *own = strndup(spans[i].at, spans[i].len);
        assert_string_equal(own, printed);
        free(own);
        free(printed);
    }
    cJSON_Delete(whole);
    free(spans);
}

static void test_compact_arrays_are_taken(void **state)
{
    (void)state;
    assert_elements_print_back("[]");
    assert_elements_print_back(" [ ] \n");
    assert_elements_print_back(
        "[\n{\"a\":1,\"b\":\"x\"},\n{\"a\":-2,\"c\":[1,2,{}],\"d\":null}\n]\n");
    assert_elements_print_back("[0,-1,999999999999999,true,false,null,\"\",[],{},\"caf\xc3\xa9\"]");
    assert_elements_print_back("[{\"t\":{\"u\":{\"v\":[[1]]}},\"w\":1714586172469}]");
}

static void test_anything_cjson_would_rewrite_is_refused(void **state)
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
        struct mock_json_span *spans = (void *)1;
        size_t n = 7;
        bool taken = mock_json_compact_array(refused[i], strlen(refused[i]), &spans, &n);
        if (taken)
            fail_msg("taken: %s", refused[i]);
        assert_null(spans);
        assert_int_equal(n, 0);
    }
    static const char nul[] = "[{\"a\":1}\0]"; /* a NUL inside the length */
    struct mock_json_span *none;
    size_t count;
    assert_false(mock_json_compact_array(nul, sizeof(nul) - 1, &none, &count));
    char deep[200];
    memset(deep, '[', 100);
    memset(deep + 100, ']', 100);
    struct mock_json_span *spans;
    size_t n;
    assert_false(mock_json_compact_array(deep, sizeof(deep), &spans, &n)); /* 100 deep */
}

static void test_members_read_as_cjson_items(void **state)
{
    (void)state;
    const char *text = "[{\"id\":\"c-1\",\"n\":-42,\"z\":null,\"s\":7,\"id\":\"again\","
                       "\"o\":{\"k\":[1,{\"id\":2}],\"m\":3},\"q\":\"x\"}]";
    struct mock_json_span *spans, v, inner, o;
    size_t n;
    int64_t i;
    assert_true(mock_json_compact_array(text, strlen(text), &spans, &n));
    assert_int_equal(n, 1);
    assert_true(mock_json_member(spans[0], "id", &v)); /* the first of two, as cJSON finds */
    assert_int_equal(mock_json_span_string(v, &inner), MOCK_JV_OK);
    assert_int_equal(inner.len, 3);
    assert_memory_equal(inner.at, "c-1", 3);
    assert_true(mock_json_member(spans[0], "n", &v));
    assert_int_equal(mock_json_span_int(v, &i), MOCK_JV_OK);
    assert_int_equal(i, -42);
    assert_true(mock_json_member(spans[0], "z", &v));
    assert_int_equal(mock_json_span_int(v, &i), MOCK_JV_ABSENT);
    assert_int_equal(mock_json_span_string(v, &inner), MOCK_JV_ABSENT);
    assert_true(mock_json_member(spans[0], "s", &v));
    assert_int_equal(mock_json_span_string(v, &inner), MOCK_JV_WRONG_TYPE);
    assert_true(mock_json_member(spans[0], "q", &v)); /* after a nested object */
    assert_int_equal(mock_json_span_string(v, &inner), MOCK_JV_OK);
    assert_memory_equal(inner.at, "x", 1);
    assert_false(mock_json_member(spans[0], "k", &v)); /* nested members are not the object's */
    assert_true(mock_json_member(spans[0], "o", &o));
    assert_int_equal(mock_json_span_int(o, &i), MOCK_JV_WRONG_TYPE);
    assert_true(mock_json_member(o, "m", &v));
    assert_int_equal(mock_json_span_int(v, &i), MOCK_JV_OK);
    assert_int_equal(i, 3);
    static const char *const keys[] = {"q", "missing", "n"};
    struct mock_json_span values[3];
    assert_int_equal(mock_json_members(spans[0], keys, 3, values), 2);
    assert_null(values[1].at);
    assert_memory_equal(values[0].at, "\"x\"", 3);
    assert_memory_equal(values[2].at, "-42", 3);
    free(spans);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compact_arrays_are_taken),
        cmocka_unit_test(test_anything_cjson_would_rewrite_is_refused),
        cmocka_unit_test(test_members_read_as_cjson_items),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
