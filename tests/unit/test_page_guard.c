/* The paging guard: each rule a misbehaving server can break ends the fetch with
 * CDR_ERR_MALFORMED_RESPONSE and a message naming the rule; a well-behaved sequence passes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../client/page_guard.h"

static struct cdr__page_seen page(int64_t asked, int64_t size, int64_t echoed, int64_t total,
                                  size_t count)
{
    return (struct cdr__page_seen){asked, size, echoed, -1, total, count, 0};
}

static void expect_rule(cdr_error rc, const struct cdr_error_info *err, const char *rule)
{
    assert_int_equal(rc, CDR_ERR_MALFORMED_RESPONSE);
    assert_int_equal(err->code, CDR_ERR_MALFORMED_RESPONSE);
    if (!strstr(err->message, rule))
        fail_msg("message \"%s\" does not name the rule \"%s\"", err->message, rule);
}

static void test_good_sequence_passes(void **state)
{
    (void)state;
    struct cdr__page_guard g;
    struct cdr_error_info err;
    bool is_new;
    cdr__page_guard_init(&g);
    struct cdr__page_seen p1 = page(1, 2, 1, 3, 2), p2 = page(2, 2, 2, 3, 1),
                          p3 = page(3, 2, 3, 3, 0);
    assert_int_equal(cdr__page_guard_page(&g, &p1, &err), CDR_OK);
    assert_int_equal(cdr__page_guard_record(&g, "a", false, &is_new, &err), CDR_OK);
    assert_true(is_new);
    assert_int_equal(cdr__page_guard_record(&g, "b", false, &is_new, &err), CDR_OK);
    assert_int_equal(cdr__page_guard_page(&g, &p2, &err), CDR_OK);
    assert_int_equal(cdr__page_guard_record(&g, "c", false, &is_new, &err), CDR_OK);
    /* The page after the last is empty, as it should be. */
    assert_int_equal(cdr__page_guard_page(&g, &p3, &err), CDR_OK);
    assert_int_equal(cdr__page_guard_end_run(&g, &err), CDR_OK);
    cdr__page_guard_free(&g);
}

static void test_page_echo(void **state)
{
    (void)state;
    struct cdr__page_guard g;
    struct cdr_error_info err;
    cdr__page_guard_init(&g);
    struct cdr__page_seen p = page(2, 10, 1, 30, 10);
    expect_rule(cdr__page_guard_page(&g, &p, &err), &err, "page echo");
    assert_non_null(strstr(err.message, "asked for page 2, the answer is page 1"));
    cdr__page_guard_free(&g);
}

static void test_size_echo_and_oversized_page(void **state)
{
    (void)state;
    struct cdr__page_guard g;
    struct cdr_error_info err;
    cdr__page_guard_init(&g);
    struct cdr__page_seen p = {1, 10, 1, 20, 30, 10, 0};
    expect_rule(cdr__page_guard_page(&g, &p, &err), &err, "size echo");
    struct cdr__page_seen big = page(1, 10, -1, 30, 11);
    expect_rule(cdr__page_guard_page(&g, &big, &err), &err, "page size");
    cdr__page_guard_free(&g);
}

static void test_empty_page_before_the_last(void **state)
{
    (void)state;
    struct cdr__page_guard g;
    struct cdr_error_info err;
    cdr__page_guard_init(&g);
    struct cdr__page_seen p1 = page(1, 5, 1, 12, 5), p2 = page(2, 5, 2, 12, 0);
    assert_int_equal(cdr__page_guard_page(&g, &p1, &err), CDR_OK);
    expect_rule(cdr__page_guard_page(&g, &p2, &err), &err, "empty page before the last");
    assert_non_null(strstr(err.message, "after 5 of 12"));
    cdr__page_guard_free(&g);
}

static void test_sum_against_total(void **state)
{
    (void)state;
    struct cdr__page_guard g;
    struct cdr_error_info err;
    cdr__page_guard_init(&g);
    /* A server that says 9999 and whose page count ends the paging early: the run ends short. */
    struct cdr__page_seen p1 = page(1, 5, 1, 9999, 5);
    assert_int_equal(cdr__page_guard_page(&g, &p1, &err), CDR_OK);
    assert_false(cdr__page_guard_complete(&g));
    expect_rule(cdr__page_guard_end_run(&g, &err), &err, "sum against total");
    assert_non_null(strstr(err.message, "held 5 records, the total said 9999"));
    /* More records than the total is caught on the page itself. */
    cdr__page_guard_begin_run(&g);
    struct cdr__page_seen p2 = page(1, 5, 1, 2, 3);
    expect_rule(cdr__page_guard_page(&g, &p2, &err), &err, "sum against total");
    /* So is a short page that leaves the total unreached: the next page number would skip what
     * this one left out. */
    cdr__page_guard_begin_run(&g);
    struct cdr__page_seen p3 = page(1, 100, 1, 9999, 66);
    expect_rule(cdr__page_guard_page(&g, &p3, &err), &err, "sum against total");
    assert_non_null(strstr(err.message, "page 1 holds 66 records, fewer than the 100 asked for, "
                                        "yet only 66 of the total of 9999 have arrived"));
    /* A short last page is the normal end. */
    cdr__page_guard_begin_run(&g);
    struct cdr__page_seen p4 = page(1, 100, 1, 166, 100), p5 = page(2, 100, 2, 166, 66);
    assert_int_equal(cdr__page_guard_page(&g, &p4, &err), CDR_OK);
    assert_int_equal(cdr__page_guard_page(&g, &p5, &err), CDR_OK);
    assert_true(cdr__page_guard_complete(&g));
    assert_int_equal(cdr__page_guard_end_run(&g, &err), CDR_OK);
    cdr__page_guard_free(&g);
}

static void test_empty_page_while_more_are_announced(void **state)
{
    (void)state;
    struct cdr__page_guard g;
    struct cdr_error_info err;
    cdr__page_guard_init(&g);
    /* A total of 0 is met, but the answer still says page 7 is the last. */
    struct cdr__page_seen p = page(2, 10, 2, 0, 0);
    p.last_page = 7;
    expect_rule(cdr__page_guard_page(&g, &p, &err), &err, "empty page before the last");
    assert_non_null(strstr(err.message, "page 2 is empty, the answer says the last is page 7"));
    /* The empty page of an empty result is the last one. */
    cdr__page_guard_begin_run(&g);
    struct cdr__page_seen only = page(1, 10, 1, 0, 0);
    only.last_page = 1;
    assert_int_equal(cdr__page_guard_page(&g, &only, &err), CDR_OK);
    assert_int_equal(cdr__page_guard_end_run(&g, &err), CDR_OK);
    cdr__page_guard_free(&g);
}

/* What a fetch sees of records as it hands them on. */
struct delivered {
    char ids[8][16];
    int count;
    int stop_after;
};

static int collect(void *user, const struct cdr_record *rec)
{
    struct delivered *d = user;
    snprintf(d->ids[d->count++], sizeof(d->ids[0]), "%s", rec->id);
    return d->stop_after && d->count >= d->stop_after;
}

static enum cdr__page_mark mark_by_id(void *user, const struct cdr_record *rec)
{
    (void)user;
    return rec->id[0] == 'b'   ? CDR__PAGE_BOUNDARY
           : rec->id[0] == 'x' ? CDR__PAGE_OUTSIDE
                               : CDR__PAGE_RECORD;
}

static void records(struct cdr_record *out, const char *const *ids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cdr_record_init(&out[i]);
        out[i].id = (char *)ids[i];
    }
}

static void test_deliver_checks_the_whole_page_first(void **state)
{
    (void)state;
    struct cdr__page_guard g;
    struct cdr_error_info err;
    cdr__page_guard_init(&g);
    struct delivered d = {.count = 0};
    struct cdr__page_sink sink = {collect, &d, 0, false};
    struct cdr_record page1[3], page2[4];
    records(page1, (const char *const[]){"a1", "b1", "x1"}, 3);
    assert_int_equal(cdr__page_guard_deliver(&g, page1, 3, mark_by_id, NULL, &sink, &err), CDR_OK);
    /* The record past the edge is never delivered. */
    assert_int_equal(d.count, 2);
    assert_string_equal(d.ids[1], "b1");
    /* A repeat on the shared boundary is skipped; an ordinary repeat fails the page before any of
     * its records is delivered. */
    records(page2, (const char *const[]){"b1", "a2", "a1", "a3"}, 4);
    expect_rule(cdr__page_guard_deliver(&g, page2, 4, mark_by_id, NULL, &sink, &err), &err,
                "no id twice");
    assert_non_null(strstr(err.message, "record a1 came a second time"));
    assert_int_equal(d.count, 2);
    assert_int_equal(sink.delivered, 2);
    cdr__page_guard_free(&g);

    /* Stopping early: nothing after the record that asked to stop. */
    cdr__page_guard_init(&g);
    struct delivered e = {.count = 0, .stop_after = 2};
    struct cdr__page_sink early = {collect, &e, 0, false};
    records(page2, (const char *const[]){"a1", "a2", "a3", "a4"}, 4);
    assert_int_equal(cdr__page_guard_deliver(&g, page2, 4, NULL, NULL, &early, &err), CDR_OK);
    assert_true(early.stopped);
    assert_int_equal(e.count, 2);
    cdr__page_guard_free(&g);
}

static void test_repeated_id(void **state)
{
    (void)state;
    struct cdr__page_guard g;
    struct cdr_error_info err;
    bool is_new;
    cdr__page_guard_init(&g);
    assert_int_equal(cdr__page_guard_record(&g, "50180345", false, &is_new, &err), CDR_OK);
    expect_rule(cdr__page_guard_record(&g, "50180345", false, &is_new, &err), &err, "no id twice");
    assert_false(is_new);
    /* On a shared window boundary the repeat is expected: skipped, not an error. */
    assert_int_equal(cdr__page_guard_record(&g, "50180345", true, &is_new, &err), CDR_OK);
    assert_false(is_new);
    assert_int_equal(cdr__page_guard_record(&g, NULL, false, &is_new, &err), CDR_OK);
    assert_true(is_new);
    cdr__page_guard_free(&g);
}

/* Ids are compared by every byte: two that differ only after a NUL are two ids. */
static void test_ids_with_a_nul(void **state)
{
    (void)state;
    struct cdr__page_guard g;
    struct cdr_error_info err;
    bool is_new;
    cdr__page_guard_init(&g);
    assert_int_equal(cdr__page_guard_record_bytes(&g, "a\0b", 3, false, &is_new, &err), CDR_OK);
    assert_int_equal(cdr__page_guard_record_bytes(&g, "a\0c", 3, false, &is_new, &err), CDR_OK);
    assert_true(is_new);
    assert_int_equal(cdr__page_guard_record(&g, "a", false, &is_new, &err), CDR_OK);
    assert_true(is_new);
    expect_rule(cdr__page_guard_record_bytes(&g, "a\0c", 3, false, &is_new, &err), &err,
                "no id twice: record a\\u0000c came a second time");
    cdr__page_guard_free(&g);
}

static void test_many_ids_across_runs(void **state)
{
    (void)state;
    struct cdr__page_guard g;
    struct cdr_error_info err;
    bool is_new;
    char id[32];
    cdr__page_guard_init(&g);
    for (int run = 0; run < 3; run++) {
        cdr__page_guard_begin_run(&g);
        for (int i = 0; i < 20000; i++) {
            snprintf(id, sizeof(id), "%d-%d", run, i);
            assert_int_equal(cdr__page_guard_record(&g, id, false, &is_new, &err), CDR_OK);
            assert_true(is_new);
        }
    }
    assert_int_equal(g.id_count, 60000);
    snprintf(id, sizeof(id), "%d-%d", 0, 12345);
    expect_rule(cdr__page_guard_record(&g, id, false, &is_new, &err), &err, "no id twice");
    cdr__page_guard_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_sequence_passes),
        cmocka_unit_test(test_page_echo),
        cmocka_unit_test(test_size_echo_and_oversized_page),
        cmocka_unit_test(test_empty_page_before_the_last),
        cmocka_unit_test(test_sum_against_total),
        cmocka_unit_test(test_empty_page_while_more_are_announced),
        cmocka_unit_test(test_deliver_checks_the_whole_page_first),
        cmocka_unit_test(test_repeated_id),
        cmocka_unit_test(test_ids_with_a_nul),
        cmocka_unit_test(test_many_ids_across_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
