/* A batch of records added to a store all or nothing (batch.c): a record the vendor's check
 * refuses, or one its loader cannot take, leaves the store exactly as it was (same entries, same
 * order, the batch's own entries freed) with the error naming records[N]; a good batch lands at
 * the store's tail in the batch's order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "batch.h"
#include "testutil.h"

#define NONE SIZE_MAX

/* A vendor as the batch sees it: its store, which record its check or its loader refuses, what
 * the check was told, and how many attrs the store freed. */
struct vendor {
    struct mock_store store;
    size_t refuse_fit, refuse_ingest;
    size_t fits_calls, ingest_calls;
    size_t first_new_seen;
    size_t freed;
};

struct attrs {
    size_t *freed;
};

static void free_attrs(void *p)
{
    struct attrs *a = p;
    (*a->freed)++;
    free(a);
}

static void add_entry(struct vendor *v, int64_t start, uint64_t order, const char *json)
{
    struct attrs *a = malloc(sizeof(*a));
    char *copy = strdup(json);
    assert_non_null(a);
    assert_non_null(copy);
    a->freed = &v->freed;
    assert_true(mock_store_add(&v->store, start, order, copy, strlen(copy), a));
}

static bool fits(const void *state, const cJSON *record, size_t index, size_t first_new, char *err,
                 size_t err_len)
{
    struct vendor *v = (struct vendor *)state;
    (void)record;
    v->fits_calls++;
    v->first_new_seen = first_new;
    /* The records the batch took so far are in the store already, for duplicate checks. */
    assert_int_equal(v->store.count, first_new + index);
    if (index != v->refuse_fit)
        return true;
    snprintf(err, err_len, "records[%zu].n: refused by the vendor", index);
    return false;
}

static bool ingest(void *state, const cJSON *record, char *err, size_t err_len)
{
    struct vendor *v = state;
    size_t index = v->ingest_calls++;
    if (index == v->refuse_ingest) {
        snprintf(err, err_len, "no room for call %d", cJSON_GetArrayItem(record, 0)->valueint);
        return false;
    }
    char *json = cJSON_PrintUnformatted(record);
    assert_non_null(json);
    add_entry(v, 1000 + (int64_t)index, 100 + index, json);
    free(json);
    return true;
}

/* A store of three sorted entries, as loaded. */
static void vendor_init(struct vendor *v)
{
    *v = (struct vendor){.refuse_fit = NONE, .refuse_ingest = NONE};
    mock_store_init(&v->store, free_attrs);
    add_entry(v, 10, 1, "{\"loaded\":1}");
    add_entry(v, 20, 2, "{\"loaded\":2}");
    add_entry(v, 30, 3, "{\"loaded\":3}");
    mock_store_sort(&v->store);
}

/* Records [[0],[1],...,[n-1]]. */
static cJSON *batch_of(int n)
{
    cJSON *records = cJSON_CreateArray();
    for (int i = 0; i < n; i++) {
        cJSON *r = cJSON_CreateArray();
        cJSON_AddItemToArray(r, cJSON_CreateNumber(i));
        cJSON_AddItemToArray(records, r);
    }
    return records;
}

/* The store as text: every entry's start, order and JSON, in store order. */
static char *store_text(const struct mock_store *s)
{
    char *text = test_format("%zu:", s->count);
    for (size_t i = 0; i < s->count; i++) {
        char *more = test_format("%s (%lld,%llu,%.*s)", text, (long long)s->entries[i].start,
                                 (unsigned long long)s->entries[i].order,
                                 (int)s->entries[i].json_len, s->entries[i].json);
        free(text);
        text = more;
    }
    return text;
}

/* Adds a batch of five whose record `bad` is refused (by the check or the loader) and expects
 * the store untouched, the error and the batch's own entries freed. */
static void expect_refused(size_t bad, bool by_loader, const char *error)
{
    struct vendor v;
    vendor_init(&v);
    if (by_loader)
        v.refuse_ingest = bad;
    else
        v.refuse_fit = bad;
    char *before = store_text(&v.store);
    cJSON *records = batch_of(5);
    char err[256] = "";
    assert_false(mock_batch_add(&v.store, &v, records, fits, ingest, err, sizeof(err)));
    assert_string_equal(err, error);
    char *after = store_text(&v.store);
    assert_string_equal(after, before);
    assert_int_equal(v.freed, bad); /* the ones the batch had taken, gone */
    assert_int_equal(v.ingest_calls, by_loader ? bad + 1 : bad);
    assert_int_equal(v.first_new_seen, 3);
    free(before);
    free(after);
    cJSON_Delete(records);
    mock_store_free(&v.store);
    assert_int_equal(v.freed, bad + 3);
}

static void test_refused_by_the_check(void **state)
{
    (void)state;
    expect_refused(0, false, "records[0].n: refused by the vendor");
    expect_refused(3, false, "records[3].n: refused by the vendor");
    expect_refused(4, false, "records[4].n: refused by the vendor");
}

static void test_refused_by_the_loader(void **state)
{
    (void)state;
    expect_refused(0, true, "records[0]: no room for call 0");
    expect_refused(2, true, "records[2]: no room for call 2");
    expect_refused(4, true, "records[4]: no room for call 4");
}

/* A vendor that checks the whole batch itself passes no check: only the loader can refuse. */
static void test_without_a_check(void **state)
{
    (void)state;
    struct vendor v;
    vendor_init(&v);
    v.refuse_ingest = 1;
    char *before = store_text(&v.store);
    cJSON *records = batch_of(3);
    char err[256] = "";
    assert_false(mock_batch_add(&v.store, &v, records, NULL, ingest, err, sizeof(err)));
    assert_string_equal(err, "records[1]: no room for call 1");
    char *after = store_text(&v.store);
    assert_string_equal(after, before);
    assert_int_equal(v.fits_calls, 0);
    free(after);
    v.refuse_ingest = NONE;
    v.ingest_calls = 0;
    assert_true(mock_batch_add(&v.store, &v, records, NULL, ingest, err, sizeof(err)));
    assert_int_equal(v.store.count, 6);
    free(before);
    cJSON_Delete(records);
    mock_store_free(&v.store);
    assert_int_equal(v.freed, 1 + 6);
}

static void test_good_batch_lands_at_the_tail(void **state)
{
    (void)state;
    struct vendor v;
    vendor_init(&v);
    cJSON *records = batch_of(4);
    char err[256] = "untouched";
    assert_true(mock_batch_add(&v.store, &v, records, fits, ingest, err, sizeof(err)));
    assert_string_equal(err, "untouched");
    assert_int_equal(v.fits_calls, 4);
    assert_int_equal(v.first_new_seen, 3);
    char *text = store_text(&v.store);
    assert_string_equal(text,
                        "7: (10,1,{\"loaded\":1}) (20,2,{\"loaded\":2}) (30,3,{\"loaded\":3}) "
                        "(1000,100,[0]) (1001,101,[1]) (1002,102,[2]) (1003,103,[3])");
    free(text);
    assert_int_equal(v.freed, 0);
    /* An empty batch is a batch: nothing added, nothing refused. */
    cJSON *none = cJSON_CreateArray();
    assert_true(mock_batch_add(&v.store, &v, none, fits, ingest, err, sizeof(err)));
    assert_int_equal(v.store.count, 7);
    cJSON_Delete(none);
    cJSON_Delete(records);
    mock_store_free(&v.store);
    assert_int_equal(v.freed, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refused_by_the_check),
        cmocka_unit_test(test_refused_by_the_loader),
        cmocka_unit_test(test_without_a_check),
        cmocka_unit_test(test_good_batch_lands_at_the_tail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
