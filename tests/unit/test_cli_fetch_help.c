/* Every option `cdrsim-client fetch VENDOR` accepts is in `fetch VENDOR --help`: the getopt_long
 * table is generated from the vendor's descriptor and its own options, while a few entries of the
 * table and of the help (base URL, paging, output, transport) are written by hand in two places,
 * so this walks the real table of every vendor against the real help text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/vendor.h"
#include "cli.h"

/* The options a table walk found, and how many its help lacks. */
struct walk {
    const char *vendor;
    const char *help;
    size_t options;
    size_t missing;
};

/* Whether text holds "--name" as a whole option (not the start of a longer one). */
static bool mentions(const char *text, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = strstr(text, "--"); p; p = strstr(p + 2, "--")) {
        if (strncmp(p + 2, name, len) != 0)
            continue;
        char next = p[2 + len];
        if (!(next >= 'a' && next <= 'z') && !(next >= '0' && next <= '9') && next != '-')
            return true;
    }
    return false;
}

static void check_option(const char *name, void *user)
{
    struct walk *w = user;
    w->options++;
    if (!mentions(w->help, name)) {
        print_error("fetch %s accepts --%s, which its --help does not list\n", w->vendor, name);
        w->missing++;
    }
}

/* The help of fetch V, as `cdrsim-client fetch V --help` prints it, into *text (caller frees).
 * An out-parameter rather than a return value: gcc -O2 takes the pointer open_memstream fills
 * for one into the callee's local and warns (-Wdangling-pointer) where the caller uses it. */
static void fetch_help(const struct cdr_vendor *v, char **text)
{
    size_t len = 0;
    *text = NULL;
    FILE *out = open_memstream(text, &len);
    assert_non_null(out);
    cli_fetch_help(v, out);
    assert_int_equal(fclose(out), 0);
}

static void test_every_fetch_option_is_in_its_help(void **state)
{
    (void)state;
    size_t vendors = 0;
    for (const struct cdr_vendor *const *v = cdr_vendors(); *v; v++, vendors++) {
        char *help;
        fetch_help(*v, &help);
        struct walk w = {(*v)->id, help, 0, 0};
        assert_true(cli_fetch_each_option(*v, check_option, &w));
        /* base URL, credentials, raw, progress, help and the five transport options at least */
        assert_in_range(w.options, 10, 200);
        assert_int_equal(w.missing, 0);
        free(help);
    }
    assert_int_equal(vendors, 4);
}

/* The walk itself notices a missing option: a help without --timeout-ms fails it. */
static void test_the_walk_catches_a_missing_option(void **state)
{
    (void)state;
    const struct cdr_vendor *v = cdr_vendor_find("itnio");
    assert_non_null(v);
    char *help;
    fetch_help(v, &help);
    for (char *p = strstr(help, "--timeout-ms"); p; p = strstr(p, "--timeout-ms"))
        memcpy(p, "--XXXXXXX-ms", 12);
    struct walk w = {v->id, help, 0, 0};
    assert_true(cli_fetch_each_option(v, check_option, &w));
    assert_int_equal(w.missing, 1);
    free(help);
}

static void test_mentions_whole_options_only(void **state)
{
    (void)state;
    assert_true(mentions("  --record-id R  one call", "record-id"));
    assert_false(mentions("  --record-id R  one call", "record"));
    assert_true(mentions("[--raw]", "raw"));
    assert_false(mentions("--rawer", "raw"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_fetch_option_is_in_its_help),
        cmocka_unit_test(test_the_walk_catches_a_missing_option),
        cmocka_unit_test(test_mentions_whole_options_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
