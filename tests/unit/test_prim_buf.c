/* The byte buffer's XML text escaping (prim/buf.c), the one the mock's XML answers and the JUnit
 * report share: markup characters, the control characters XML 1.0 allows and refuses, and UTF-8
 * that is not a character XML can carry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/buf.h"
#include "testutil.h"

#ifndef ARRAY_LEN
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#endif

static void assert_xml_len(const char *text, size_t len, const char *want)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    assert_true(cdr_buf_xml_text_len(&b, text, len));
    assert_string_equal(b.data, want);
    assert_int_equal(b.len, strlen(want));
    cdr_buf_free(&b);
}

static void test_xml_markup_characters(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"&", "&amp;"},
        {"<", "&lt;"},
        {">", "&gt;"},
        {"\"", "&quot;"},
        {"'", "&apos;"},
        {"a&b<c>\"d'e", "a&amp;b&lt;c&gt;&quot;d&apos;e"},
        {"&amp;", "&amp;amp;"},
        {"plain text", "plain text"},
        {"", ""},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        assert_xml_len(cases[i].text, strlen(cases[i].text), cases[i].want);
}

static void test_xml_control_characters(void **state)
{
    (void)state;
    /* XML 1.0 Char: #x9 | #xA | #xD | [#x20-...]; every other C0 byte becomes '?'. DEL is a
     * character XML 1.0 allows. */
    for (unsigned c = 1; c < 0x20; c++) {
        char in[4] = {'a', (char)c, 'b', '\0'};
        char want[4] = {'a', (char)c, 'b', '\0'};
        if (c != '\t' && c != '\n' && c != '\r')
            want[1] = '?';
        assert_xml_len(in, 3, want);
    }
    assert_xml_len("a\x7f"
                   "b",
                   3,
                   "a\x7f"
                   "b");
    /* A NUL inside the given length is a control character like the others. */
    assert_xml_len("a\0b", 3, "a?b");
}

static void test_xml_utf8(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        /* valid: 2, 3 and 4 bytes, the highest code point, U+FFFD */
        {"\xc3\xa9t\xc3\xa9", "\xc3\xa9t\xc3\xa9"},
        {"\xe5\x91\xbc\xe5\x8f\xab", "\xe5\x91\xbc\xe5\x8f\xab"},
        {"\xf0\x9f\x93\x9e", "\xf0\x9f\x93\x9e"},
        {"\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf"},
        {"\xef\xbf\xbd", "\xef\xbf\xbd"},
        /* a lone continuation byte, a lead byte without its continuation */
        {"a\x80z", "a?z"},
        {"a\xc3z", "a?z"},
        {"a\xe5\x91z", "a??z"},
        /* cut at the end of the text */
        {"a\xe5\x91", "a??"},
        /* overlong forms, bytes UTF-8 never uses, beyond U+10FFFF */
        {"\xc0\xbc", "??"},
        {"\xe0\x80\xbc", "???"},
        {"\xf0\x80\x80\xbc", "????"},
        {"\xfe\xff", "??"},
        {"\xf4\x90\x80\x80", "????"},
        /* an encoded surrogate, and the two non-characters XML 1.0 excludes */
        {"\xed\xa0\x80", "???"},
        {"\xef\xbf\xbe", "???"},
        {"\xef\xbf\xbf", "???"},
        /* a bad byte does not swallow the markup after it */
        {"\xc3<", "?&lt;"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        assert_xml_len(cases[i].text, strlen(cases[i].text), cases[i].want);
}

static void test_xml_length_and_null(void **state)
{
    (void)state;
    /* Only len bytes are read: the rest of the string is not there for the escaper. */
    assert_xml_len("ab&cd", 3, "ab&amp;");
    assert_xml_len("ab&cd", 0, "");

    struct cdr_buf b;
    cdr_buf_init(&b);
    assert_true(cdr_buf_puts(&b, "<A>"));
    assert_true(cdr_buf_xml_text(&b, NULL));
    assert_true(cdr_buf_xml_text(&b, "x&y"));
    assert_true(cdr_buf_puts(&b, "</A>"));
    assert_string_equal(b.data, "<A>x&amp;y</A>");
    cdr_buf_free(&b);

    /* A buffer that already failed stays failed. */
    cdr_buf_init(&b);
    b.failed = true;
    assert_false(cdr_buf_xml_text(&b, "x"));
    assert_false(cdr_buf_xml_text(&b, NULL));
    assert_null(b.data);
    cdr_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xml_markup_characters),
        cmocka_unit_test(test_xml_control_characters),
        cmocka_unit_test(test_xml_utf8),
        cmocka_unit_test(test_xml_length_and_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
