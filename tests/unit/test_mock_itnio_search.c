/* The ITNIO record query's combined filters and number search over generated records, checked
 * against a plain scan of the mock's own dump: totals and pages (first, second, deep) for several
 * windows; then the same after records are added at run time (a search asked before the insert
 * must see the new records: its cached answer is dropped), and after a reset. Then the number
 * search alone, whose needles of 3 digits or more the gram index answers: random pieces of the
 * records' numbers and random digits, 1 to 13 long, and the company lines (whole and in part), in
 * windows that begin and end on records' own start times, alone and with callType, first and last
 * pages, before and after an insert and a reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "itnio_requests.h"
#include "rng.h"
#include "testutil.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
/* 2026-03-01T00:00:00Z: the generated records lie in the year before. */
#define NOW_S 1772323200LL
#define RECORDS 6000

static const char *const json_type[] = {"Content-Type: application/json", NULL};

/* What a query asks, as the test reads a record. */
struct want {
    const char *params;     /* the filter members of the query's params */
    int64_t call_type;      /* 0: any */
    int64_t hangup_reasons; /* bit r: reason r wanted; 0: any */
    const char *label;      /* any of the record's labels */
    const char *number;     /* substring of caller, called or encryptCalled */
    const char *seat;
    const char *ccode; /* the code before "(" */
};

static const struct want wants[] = {
    {"\"callType\":[2],\"labelNames\":[\"vip\"]", 2, 0, "vip", NULL, NULL, NULL},
    {"\"callType\":[3],\"hangupReason\":[0,7]", 3, (1 << 0) | (1 << 7), NULL, NULL, NULL, NULL},
    {"\"seatNameList\":[\"bob.li\"],\"ccode\":[\"63\"]", 0, 0, NULL, NULL, "bob.li", "63"},
    {"\"seatNameList\":[\"bob.li\"],\"callType\":[2],\"labelNames\":[\"callback\"]", 2, 0,
     "callback", NULL, "bob.li", NULL},
    {"\"calledOrCaller\":\"8613\"", 0, 0, NULL, "8613", NULL, NULL},
    {"\"calledOrCaller\":\"555\"", 0, 0, NULL, "555", NULL, NULL},
    {"\"calledOrCaller\":\"20000000\"", 0, 0, NULL, "20000000", NULL, NULL},
    {"\"calledOrCaller\":\"8613\",\"callType\":[2]", 2, 0, NULL, "8613", NULL, NULL},
    {"\"calledOrCaller\":\"13\",\"ccode\":[\"86\"],\"labelNames\":[\"vip\"]", 0, 0, "vip", "13",
     NULL, "86"},
    {"\"calledOrCaller\":\"86139\",\"seatNameList\":[\"bob.li\"]", 0, 0, NULL, "86139", "bob.li",
     NULL},
};

static const struct {
    const char *from, *to;
} windows[] = {
    {"2025-12-01 00:00:00", "2026-03-01 08:00:00"},
    {"2025-06-01 00:00:00", "2025-08-31 23:59:59"},
    {"2025-10-10 00:00:00", "2025-10-11 00:00:00"},
};

static const char *text_or_null(const cJSON *r, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool has_label(const cJSON *r, const char *label)
{
    const cJSON *l;
    cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(r, "labelNameList")) {
        if (cJSON_IsString(l) && strcmp(l->valuestring, label) == 0)
            return true;
    }
    return false;
}

static bool matches(const struct want *w, const cJSON *r)
{
    if (w->call_type && json_int_at(r, "callType") != w->call_type)
        return false;
    if (w->hangup_reasons && !(w->hangup_reasons >> json_int_at(r, "hangupReason") & 1))
        return false;
    if (w->label && !has_label(r, w->label))
        return false;
    if (w->seat && strcmp(json_str_at(r, "seatName"), w->seat) != 0)
        return false;
    if (w->ccode) {
        const char *c = json_str_at(r, "ccode");
        size_t n = strlen(w->ccode);
        if (strncmp(c, w->ccode, n) != 0 || c[n] != '(')
            return false;
    }
    if (w->number) {
        static const char *const parties[] = {"caller", "called", "encryptCalled"};
        bool found = false;
        for (size_t i = 0; i < ARRAY_LEN(parties) && !found; i++) {
            const char *v = text_or_null(r, parties[i]);
            found = v && strstr(v, w->number);
        }
        if (!found)
            return false;
    }
    return true;
}

/* The keyIds a scan of the records finds in the window, newest call first. */
struct ids {
    int64_t *v;
    size_t n;
};

static int newest_first(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    int c = strcmp(json_str_at(y, "callStartTime"), json_str_at(x, "callStartTime"));
    if (c)
        return c;
    int64_t kx = json_int_at(x, "keyId"), ky = json_int_at(y, "keyId");
    return (ky > kx) - (ky < kx);
}

static struct ids scan(const cJSON *records, const struct want *w, const char *from, const char *to)
{
    size_t cap = (size_t)cJSON_GetArraySize(records) + 1, n = 0;
    const cJSON **hits = calloc(cap, sizeof(*hits));
    assert_non_null(hits);
    const cJSON *r;
    cJSON_ArrayForEach(r, records) {
        const char *at = json_str_at(r, "callStartTime");
        if (strcmp(at, from) >= 0 && strcmp(at, to) <= 0 && matches(w, r))
            hits[n++] = r;
    }
    qsort(hits, n, sizeof(*hits), newest_first);
    struct ids out = {calloc(n + 1, sizeof(int64_t)), n};
    assert_non_null(out.v);
    for (size_t i = 0; i < n; i++)
        out.v[i] = json_int_at(hits[i], "keyId");
    free(hits);
    return out;
}

static cJSON *dump(struct test_mock *m)
{
    struct test_reply r = test_mock_call(m, "GET", "/__cdrsim/itnio/records", NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    cJSON *records = cJSON_Duplicate(r.json, true);
    test_reply_free(&r);
    assert_true(cJSON_IsArray(records));
    return records;
}

/* Asks one page and checks its total and keyIds against the scan. */
static void check_page(struct test_mock *m, const struct want *w, const char *from, const char *to,
                       const struct ids *expected, int64_t current, int64_t size)
{
    char *body = test_format("{\"current\":%lld,\"size\":%lld,\"params\":{\"startTime\":\"%s\","
                             "\"endTime\":\"%s\",%s}}",
                             (long long)current, (long long)size, from, to, w->params);
    struct test_reply r = post_at(m, NOW_S, ITNIO_RECORDS, body);
    if (json_int_at(r.json, "status") != 0)
        fail_msg("%s: %s", body, r.body);
    assert_int_equal(json_int_at(r.json, "data.total"), (int64_t)expected->n);
    const cJSON *records = json_at(r.json, "data.records");
    size_t skip = (size_t)((current - 1) * size);
    size_t want_n = skip >= expected->n                 ? 0
                    : expected->n - skip < (size_t)size ? expected->n - skip
                                                        : (size_t)size;
    assert_int_equal(cJSON_GetArraySize(records), (int)want_n);
    size_t i = 0;
    const cJSON *rec;
    cJSON_ArrayForEach(rec, records) {
        assert_int_equal(json_int_at(rec, "keyId"), expected->v[skip + i]);
        i++;
    }
    test_reply_free(&r);
    free(body);
}

/* Every query of wants over every window, pages 1, 2, the last and past it, as the scan says. */
static size_t check_all(struct test_mock *m, const cJSON *records)
{
    size_t seen = 0;
    for (size_t k = 0; k < ARRAY_LEN(windows); k++) {
        for (size_t i = 0; i < ARRAY_LEN(wants); i++) {
            struct ids expected = scan(records, &wants[i], windows[k].from, windows[k].to);
            int64_t last = (int64_t)(expected.n + 6) / 7;
            const int64_t pages[][2] = {
                {1, 20}, {2, 20}, {last ? last : 1, 7}, {last + 1, 7}, {3, 100}};
            for (size_t p = 0; p < ARRAY_LEN(pages); p++)
                check_page(m, &wants[i], windows[k].from, windows[k].to, &expected, pages[p][0],
                           pages[p][1]);
            seen += expected.n;
            free(expected.v);
        }
    }
    return seen;
}

/* Copies of some records, moved into the first window with new keyIds and a caller holding 555
 * and 8613, as inbound vip calls of bob.li. */
static cJSON *newcomers(const cJSON *records)
{
    cJSON *out = cJSON_CreateArray();
    assert_non_null(out);
    for (int i = 0; i < 12; i++) {
        cJSON *r = cJSON_Duplicate(cJSON_GetArrayItem(records, i * 37), true);
        assert_non_null(r);
        char when[32], caller[32];
        snprintf(when, sizeof(when), "2026-01-%02d 10:00:00", 5 + i);
        snprintf(caller, sizeof(caller), "86139555%04d", i);
        static const char *const keys[] = {"callStartTime", "caller", "seatName"};
        const char *values[] = {when, caller, "bob.li"};
        for (size_t k = 0; k < ARRAY_LEN(keys); k++)
            assert_true(
                cJSON_ReplaceItemInObjectCaseSensitive(r, keys[k], cJSON_CreateString(values[k])));
        assert_true(
            cJSON_ReplaceItemInObjectCaseSensitive(r, "keyId", cJSON_CreateNumber(90000000 + i)));
        assert_true(cJSON_ReplaceItemInObjectCaseSensitive(r, "callType", cJSON_CreateNumber(2)));
        cJSON *labels = cJSON_CreateArray();
        assert_true(cJSON_AddItemToArray(labels, cJSON_CreateString("vip")));
        assert_true(cJSON_ReplaceItemInObjectCaseSensitive(r, "labelNameList", labels));
        assert_true(cJSON_AddItemToArray(out, r));
    }
    return out;
}

static void test_search_after_insert_and_reset(void **state)
{
    (void)state;
    struct test_mock m;
    test_mock_start_generated(&m, FIXTURES_DIR, NOW_S * 1000, NULL, "itnio", RECORDS, 3);
    cJSON *records = dump(&m);
    size_t before = check_all(&m, records);
    assert_true(before > 1000); /* the queries find enough to page through */

    /* Records added at run time: every index, column and cached search sees them. */
    cJSON *added = newcomers(records);
    char *body = cJSON_PrintUnformatted(added);
    struct test_reply r =
        test_mock_call(&m, "POST", "/__cdrsim/itnio/records", json_type, body, strlen(body));
    free(body);
    assert_int_equal(r.status, 201);
    assert_int_equal(json_int_at(r.json, "added"), 12);
    test_reply_free(&r);
    cJSON *grown = dump(&m);
    assert_int_equal(cJSON_GetArraySize(grown), RECORDS + 12);
    size_t after = check_all(&m, grown);
    /* Each newcomer is a vip inbound call of bob.li whose caller holds 555, 8613 and 13 in the
     * first window: found by the number searches and the combinations with them. */
    assert_true(after >= before + 12 * 6);
    struct ids mine = scan(grown, &wants[5], windows[0].from, windows[0].to);
    size_t newcomers_found = 0;
    for (size_t i = 0; i < mine.n; i++)
        newcomers_found += mine.v[i] >= 90000000;
    assert_int_equal(newcomers_found, 12);
    free(mine.v);

    /* A reset brings back the generated records only. */
    r = test_mock_call(&m, "POST", "/__cdrsim/reset", NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    assert_int_equal(check_all(&m, records), before);

    cJSON_Delete(added);
    cJSON_Delete(grown);
    cJSON_Delete(records);
    test_mock_stop(&m);
}

/* Every number the records carry (caller, called, encryptCalled; repeats kept). */
struct numbers {
    const char *v[3 * (RECORDS + 100)];
    size_t n;
};

static void collect_numbers(const cJSON *records, struct numbers *out)
{
    static const char *const parties[] = {"caller", "called", "encryptCalled"};
    out->n = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, records) {
        for (size_t i = 0; i < ARRAY_LEN(parties); i++) {
            const char *v = text_or_null(r, parties[i]);
            if (v && *v && out->n < ARRAY_LEN(out->v))
                out->v[out->n++] = v;
        }
    }
}

/* A piece of len characters of a random number (when one is long enough), or random digits. */
static void random_needle(const struct numbers *nums, struct mock_rng *rng, size_t len, bool piece,
                          char *out)
{
    for (int tries = 0; piece && tries < 50; tries++) {
        const char *v = nums->v[mock_rng_below(rng, nums->n)];
        size_t n = strlen(v);
        if (n >= len) {
            memcpy(out, v + mock_rng_below(rng, n - len + 1), len);
            out[len] = '\0';
            return;
        }
    }
    for (size_t k = 0; k < len; k++)
        out[k] = (char)('0' + mock_rng_below(rng, 10));
    out[len] = '\0';
}

/* Windows from one record's start time to a later one's (at most ~70 days on), so records lie on
 * both edges; and one second holding just the records that start in it. */
static void edge_window(const cJSON *records, struct mock_rng *rng, int kind, char *from, char *to)
{
    int count = cJSON_GetArraySize(records);
    int a = (int)mock_rng_below(rng, (uint64_t)count);
    int b = kind == 0 ? a : a + (int)mock_rng_below(rng, 1100);
    b = b >= count ? count - 1 : b;
    snprintf(from, 20, "%s", json_str_at(cJSON_GetArrayItem(records, a), "callStartTime"));
    snprintf(to, 20, "%s", json_str_at(cJSON_GetArrayItem(records, b), "callStartTime"));
}

/* One needle in one window, alone or with callType [2]: the first and last pages as the scan
 * says; returns how many the scan found. */
static size_t check_needle(struct test_mock *m, const cJSON *records, const char *needle,
                           const char *from, const char *to, bool call_type)
{
    char params[96];
    snprintf(params, sizeof(params), "\"calledOrCaller\":\"%s\"%s", needle,
             call_type ? ",\"callType\":[2]" : "");
    struct want w = {params, call_type ? 2 : 0, 0, NULL, needle, NULL, NULL};
    struct ids expected = scan(records, &w, from, to);
    int64_t last = (int64_t)(expected.n + 19) / 20;
    check_page(m, &w, from, to, &expected, 1, 20);
    check_page(m, &w, from, to, &expected, last > 1 ? last : 2, 20);
    free(expected.v);
    return expected.n;
}

/* Random needles of every length 1..13 in random edge windows (3 digits, answered by the grams
 * around them, more often), then the company lines (numbers on many records, which the index
 * keeps whole): whole, their first 10 and last 9 digits, and a line no record has; checked as
 * check_all does. Returns how many matches the scan found in all. */
static size_t check_needles(struct test_mock *m, const cJSON *records, uint64_t seed)
{
    struct numbers *nums = malloc(sizeof(*nums));
    assert_non_null(nums);
    collect_numbers(records, nums);
    assert_true(nums->n > 1000);
    struct mock_rng rng;
    mock_rng_seed(&rng, seed);
    size_t seen = 0;
    for (size_t len = 1; len <= 13; len++) {
        for (int round = 0; round < (len == 3 ? 24 : 6); round++) {
            char needle[16], from[20], to[20];
            random_needle(nums, &rng, len, round % 3 != 2, needle);
            edge_window(records, &rng, round % 3, from, to);
            seen += check_needle(m, records, needle, from, to, round % 2);
        }
    }
    size_t lines = 0;
    for (size_t i = 0; i < nums->n && lines < 12; i++) {
        const char *line = nums->v[(i * 7919) % nums->n];
        if (!strstr(line, "2000000"))
            continue;
        char from[20], to[20], head[16];
        snprintf(head, sizeof(head), "%.10s", line);
        const char *needles[] = {line, head, line + strlen(line) - 9};
        for (size_t k = 0; k < ARRAY_LEN(needles); k++) {
            edge_window(records, &rng, 1 + (int)(k % 2), from, to);
            seen += check_needle(m, records, needles[k], from, to, lines % 2);
        }
        lines++;
    }
    assert_int_equal(lines, 12);
    assert_int_equal(
        check_needle(m, records, "8620000000099", windows[0].from, windows[0].to, false), 0);
    free(nums);
    return seen;
}

static void test_number_index_after_insert_and_reset(void **state)
{
    (void)state;
    struct test_mock m;
    test_mock_start_generated(&m, FIXTURES_DIR, NOW_S * 1000, NULL, "itnio", RECORDS, 5);
    cJSON *records = dump(&m);
    size_t before = check_needles(&m, records, 21);
    assert_true(before > 1000); /* short needles find many, long ones few */

    cJSON *added = newcomers(records);
    char *body = cJSON_PrintUnformatted(added);
    struct test_reply r =
        test_mock_call(&m, "POST", "/__cdrsim/itnio/records", json_type, body, strlen(body));
    free(body);
    assert_int_equal(r.status, 201);
    test_reply_free(&r);
    cJSON *grown = dump(&m);
    check_needles(&m, grown, 22);
    /* The newcomers' callers (86139555NNNN) are found by their whole number and its middle. */
    struct want whole = {
        "\"calledOrCaller\":\"861395550007\"", 0, 0, NULL, "861395550007", NULL, NULL};
    struct want middle = {"\"calledOrCaller\":\"3955500\"", 0, 0, NULL, "3955500", NULL, NULL};
    struct ids one = scan(grown, &whole, windows[0].from, windows[0].to);
    struct ids ten = scan(grown, &middle, windows[0].from, windows[0].to);
    assert_int_equal(one.n, 1);
    assert_true(ten.n >= 10);
    check_page(&m, &whole, windows[0].from, windows[0].to, &one, 1, 20);
    check_page(&m, &middle, windows[0].from, windows[0].to, &ten, 1, 20);
    free(one.v);
    free(ten.v);

    r = test_mock_call(&m, "POST", "/__cdrsim/reset", NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    assert_int_equal(check_needles(&m, records, 21), before);

    cJSON_Delete(added);
    cJSON_Delete(grown);
    cJSON_Delete(records);
    test_mock_stop(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_search_after_insert_and_reset),
        cmocka_unit_test(test_number_index_after_insert_and_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
