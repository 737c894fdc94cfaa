/* The ITNIO simulator driven in-process through mock_server_handle, exactly as the HTTP layer
 * drives it. Expected record sets are computed from the fixture files by this file's own
 * reading of them, never by asking the mock, so a wrong filter or window shows as a difference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cdrsim/sign.h"
#include "itnio_requests.h"
#include "server.h"
#include "testutil.h"

#define KEY ITNIO_KEY
#define SECRET ITNIO_SECRET
#define RECORDS ITNIO_RECORDS
#define GROUPS ITNIO_GROUPS
#define SEATS ITNIO_SEATS
#define SEED_KEY_ID 50180345

/* 2025-05-01T00:00:00Z: after the last fixture record, so no window depends on the clock. */
#define NOW_S 1746057600LL
#define NOW_MS (NOW_S * 1000)

/* The window most filter tests use: 89 days holding the seed record. */
#define FROM "2025-01-01 00:00:00"
#define TO "2025-03-31 23:59:59"

/* The agent query's call-statistics window: required, at most 32 days. */
#define SEAT_WINDOW "\"strTime\":\"2025-01-01 00:00:00\",\"endTime\":\"2025-02-01 12:12:12\""

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* NULL-safe start of a walk over an array's or object's children. */
static const cJSON *first_child(const cJSON *item)
{
    return item ? item->child : NULL;
}

static const char PARAM_ERROR[] =
    "{\"status\":-22,\"reason\":\"Parameter exception\",\"data\":null}";
static const char AUTH_ERROR[] =
    "{\"status\":-1,\"reason\":\"Authentication error\",\"data\":null}";
static const char TS_ERROR[] = "{\"status\":-16,\"reason\":\"timestamp expires\",\"data\":null}";
/* The group and agent queries' examples send status as a string: so do their errors. */
static const char PARAM_ERROR_S[] =
    "{\"status\":\"-22\",\"reason\":\"Parameter exception\",\"data\":null}";
static const char AUTH_ERROR_S[] =
    "{\"status\":\"-1\",\"reason\":\"Authentication error\",\"data\":null}";
static const char TS_ERROR_S[] =
    "{\"status\":\"-16\",\"reason\":\"timestamp expires\",\"data\":null}";
static const char RANGE_ERROR[] = "{\"status\":-76,\"reason\":\"The search time interval cannot be "
                                  "greater than 93 days!\",\"data\":null}";

struct world {
    struct test_mock mock;
    cJSON *records; /* fixtures/itnio/records.json, read by the test itself */
    cJSON *seats;
    cJSON *groups;
};

/* ---- fixtures ------------------------------------------------------------------------------- */

static cJSON *read_fixture(const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/itnio/%s", FIXTURES_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    char *text = NULL;
    size_t len = 0, cap = 0;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            text = realloc(text, cap);
            assert_non_null(text);
        }
        memcpy(text + len, chunk, n);
        len += n;
    }
    fclose(f);
    assert_non_null(text);
    text[len] = '\0';
    cJSON *json = cJSON_Parse(text);
    free(text);
    if (!json)
        fail_msg("%s is not JSON", path);
    return json;
}

static int world_setup(void **state)
{
    struct world *w = calloc(1, sizeof(*w));
    assert_non_null(w);
    test_mock_start(&w->mock, FIXTURES_DIR, NOW_MS, NULL);
    w->records = read_fixture("records.json");
    w->seats = read_fixture("seats.json");
    w->groups = read_fixture("groups.json");
    assert_true(cJSON_IsArray(w->records) && cJSON_IsArray(w->seats) && cJSON_IsArray(w->groups));
    *state = w;
    return 0;
}

static int world_teardown(void **state)
{
    struct world *w = *state;
    test_mock_stop(&w->mock);
    cJSON_Delete(w->records);
    cJSON_Delete(w->seats);
    cJSON_Delete(w->groups);
    free(w);
    return 0;
}

static const cJSON *fixture_record(const struct world *w, int64_t key_id)
{
    const cJSON *r;
    for (r = first_child(w->records); r; r = r->next) {
        if (json_int_at(r, "keyId") == key_id)
            return r;
    }
    fail_msg("keyId %lld is not in records.json", (long long)key_id);
    return NULL;
}

static const char *str_or_null(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* ---- requests ------------------------------------------------------------------------------- */

static struct test_reply post(struct world *w, const char *path, const char *body)
{
    return post_at(&w->mock, NOW_S, path, body);
}

/* {"current":..,"size":..,"params":{"startTime":..,"endTime":..[,extra]}} (caller frees). */
static char *record_body(int64_t current, int64_t size, const char *from, const char *to,
                         const char *extra)
{
    return test_format(
        "{\"current\":%lld,\"size\":%lld,\"params\":{\"startTime\":\"%s\",\"endTime\":\"%s\"%s%s}}",
        (long long)current, (long long)size, from, to, extra && *extra ? "," : "",
        extra ? extra : "");
}

static struct test_reply query(struct world *w, int64_t current, int64_t size, const char *from,
                               const char *to, const char *extra)
{
    char *body = record_body(current, size, from, to, extra);
    struct test_reply r = post(w, RECORDS, body);
    free(body);
    return r;
}

static void assert_success(const struct test_reply *r)
{
    assert_int_equal(r->status, 200);
    if (!r->json)
        fail_msg("not JSON: %s", r->body);
    const cJSON *status = json_at(r->json, "status");
    if (!cJSON_IsNumber(status) || status->valuedouble != 0)
        fail_msg("expected status 0: %s", r->body);
    assert_string_equal(json_str_at(r->json, "reason"), "success");
    assert_string_equal(r->vendor_code, "0");
}

/* A success of the group and agent queries, whose status is the string "0". */
static void assert_list_success(const struct test_reply *r)
{
    assert_int_equal(r->status, 200);
    if (!r->json)
        fail_msg("not JSON: %s", r->body);
    const cJSON *status = json_at(r->json, "status");
    if (!cJSON_IsString(status) || strcmp(status->valuestring, "0") != 0)
        fail_msg("expected status \"0\": %s", r->body);
    assert_string_equal(json_str_at(r->json, "reason"), "success");
    assert_string_equal(r->vendor_code, "0");
}

static void assert_body(const struct test_reply *r, const char *expected)
{
    assert_int_equal(r->status, 200);
    assert_string_equal(r->body, expected);
}

/* ---- id lists ------------------------------------------------------------------------------- */

struct ids {
    int64_t *v;
    size_t n, cap;
};

static void ids_push(struct ids *l, int64_t v)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = realloc(l->v, l->cap * sizeof(*l->v));
        assert_non_null(l->v);
    }
    l->v[l->n++] = v;
}

static bool ids_has(const struct ids *l, int64_t v)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i] == v)
            return true;
    return false;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Same members, each once: duplicates in actual would hide a lost record otherwise. */
static void assert_same_ids(struct ids *expected, struct ids *actual)
{
    qsort(expected->v, expected->n, sizeof(int64_t), cmp_i64);
    qsort(actual->v, actual->n, sizeof(int64_t), cmp_i64);
    for (size_t i = 1; i < actual->n; i++)
        if (actual->v[i] == actual->v[i - 1])
            fail_msg("keyId %lld returned twice", (long long)actual->v[i]);
    assert_int_equal(actual->n, expected->n);
    for (size_t i = 0; i < expected->n; i++)
        if (expected->v[i] != actual->v[i])
            fail_msg("record sets differ at %zu: expected keyId %lld, got %lld", i,
                     (long long)expected->v[i], (long long)actual->v[i]);
}

/* ---- independent expectations from records.json --------------------------------------------- */

typedef bool (*record_pred)(const struct world *w, const cJSON *rec, const void *arg);

/* "YYYY-MM-DD HH:MM:SS" compares correctly as text, so the window needs no time parsing. */
static struct ids expected_ids(const struct world *w, const char *from, const char *to,
                               record_pred pred, const void *arg)
{
    struct ids out = {0};
    const cJSON *r;
    for (r = first_child(w->records); r; r = r->next) {
        const char *start = json_str_at(r, "callStartTime");
        if (strcmp(start, from) >= 0 && strcmp(start, to) <= 0 && (!pred || pred(w, r, arg)))
            ids_push(&out, json_int_at(r, "keyId"));
    }
    return out;
}

/* Every page of a query: checks each page's envelope and order, returns all keyIds in order. */
static struct ids fetch_all(struct world *w, const char *from, const char *to, const char *extra,
                            int64_t size, int64_t *total_out)
{
    struct ids out = {0};
    int64_t total = -1, pages = 1;
    char prev[32] = "";
    for (int64_t current = 1; current <= pages; current++) {
        struct test_reply r = query(w, current, size, from, to, extra);
        assert_success(&r);
        if (total < 0) {
            total = json_int_at(r.json, "data.total");
            pages = json_int_at(r.json, "data.pages");
        }
        assert_int_equal(json_int_at(r.json, "data.total"), total);
        assert_int_equal(json_int_at(r.json, "data.pages"), pages);
        assert_int_equal(json_int_at(r.json, "data.size"), size);
        assert_int_equal(json_int_at(r.json, "data.current"), current);
        int64_t left = total - (current - 1) * size;
        const cJSON *records = json_at(r.json, "data.records");
        assert_true(cJSON_IsArray(records));
        assert_int_equal(cJSON_GetArraySize(records), left < size ? left : size);
        const cJSON *rec;
        for (rec = first_child(records); rec; rec = rec->next) {
            const char *start = json_str_at(rec, "callStartTime");
            if (prev[0] && strcmp(prev, start) < 0)
                fail_msg("not newest first: %s before %s", prev, start);
            snprintf(prev, sizeof(prev), "%s", start);
            ids_push(&out, json_int_at(rec, "keyId"));
        }
        test_reply_free(&r);
    }
    if (total == 0)
        assert_int_equal(pages, 0);
    *total_out = total;
    return out;
}

/* The filter `extra` over [FROM, TO] returns exactly the fixture records pred accepts; the filter
 * must select something and leave something out, or the test would prove nothing. */
static void check_filter(struct world *w, const char *extra, record_pred pred, const void *arg)
{
    struct ids all = expected_ids(w, FROM, TO, NULL, NULL);
    struct ids expected = expected_ids(w, FROM, TO, pred, arg);
    if (expected.n == 0 || expected.n >= all.n)
        fail_msg("filter %s selects %zu of %zu records: not a useful check", extra, expected.n,
                 all.n);
    int64_t total;
    struct ids actual = fetch_all(w, FROM, TO, extra, 100, &total);
    assert_int_equal(total, (int64_t)expected.n);
    assert_same_ids(&expected, &actual);
    free(all.v);
    free(expected.v);
    free(actual.v);
}

/* ---- authentication -------------------------------------------------------------------------- */

static const char AUTH_BODY[] =
    "{\"current\":1,\"size\":10,\"params\":{\"startTime\":\"" FROM "\",\"endTime\":\"" TO "\"}}";

static void expect_auth_body(struct world *w, const char *const *headers, const char *expected)
{
    struct test_reply r = post_with(&w->mock, RECORDS, headers, AUTH_BODY);
    assert_body(&r, expected);
    test_reply_free(&r);
}

static void test_auth_valid_request_succeeds(void **state)
{
    struct world *w = *state;
    struct test_reply r = post(w, RECORDS, AUTH_BODY);
    assert_success(&r);
    struct ids expected = expected_ids(w, FROM, TO, NULL, NULL);
    assert_int_equal(json_int_at(r.json, "data.total"), (int64_t)expected.n);
    free(expected.v);
    test_reply_free(&r);
}

static void test_auth_missing_api_key(void **state)
{
    struct auth a;
    auth_init(&a, NOW_S);
    const char *headers[] = {a.ts, a.sign, NULL};
    expect_auth_body(*state, headers, AUTH_ERROR);
}

static void test_auth_missing_timestamp(void **state)
{
    struct auth a;
    auth_init(&a, NOW_S);
    const char *headers[] = {a.key, a.sign, NULL};
    expect_auth_body(*state, headers, AUTH_ERROR);
}

static void test_auth_missing_sign(void **state)
{
    struct auth a;
    auth_init(&a, NOW_S);
    const char *headers[] = {a.key, a.ts, NULL};
    expect_auth_body(*state, headers, AUTH_ERROR);
}

static void test_auth_unknown_key(void **state)
{
    struct auth a;
    char ts[32];
    snprintf(ts, sizeof(ts), "%lld", NOW_S);
    /* Correctly signed with a secret the mock has never heard of. */
    auth_init_text(&a, "nosuchKy", SECRET, ts);
    expect_auth_body(*state, a.list, AUTH_ERROR);
}

static void test_auth_wrong_sign(void **state)
{
    struct auth a;
    char ts[32];
    snprintf(ts, sizeof(ts), "%lld", NOW_S);
    /* The second tenant's secret with the first tenant's key. */
    auth_init_text(&a, KEY, "qa-secret-2f9c", ts);
    expect_auth_body(*state, a.list, AUTH_ERROR);
    /* One flipped digit of a correct Sign. */
    auth_init(&a, NOW_S);
    char *last = a.sign + strlen(a.sign) - 1;
    *last = *last == '0' ? '1' : '0';
    expect_auth_body(*state, a.list, AUTH_ERROR);
}

static void test_auth_second_tenant(void **state)
{
    struct world *w = *state;
    struct auth a;
    char ts[32];
    snprintf(ts, sizeof(ts), "%lld", NOW_S);
    auth_init_text(&a, "cdrsimQA", "qa-secret-2f9c", ts);
    struct test_reply r = post_with(&w->mock, RECORDS, a.list, AUTH_BODY);
    assert_success(&r);
    test_reply_free(&r);
}

static void test_auth_sign_upper_case(void **state)
{
    struct world *w = *state;
    struct auth a;
    auth_init(&a, NOW_S);
    for (char *p = a.sign + strlen("Sign: "); *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    struct test_reply r = post_with(&w->mock, RECORDS, a.list, AUTH_BODY);
    assert_success(&r);
    test_reply_free(&r);
}

static void test_auth_timestamp_not_a_number(void **state)
{
    /* Signed correctly over the very text sent, so only the number check can reject them. */
    static const char *const stamps[] = {"abc",          "",          "12a", "-1746057600",
                                         "1746057600.0", "0x68129c80"};
    for (size_t i = 0; i < ARRAY_LEN(stamps); i++) {
        struct auth a;
        auth_init_text(&a, KEY, SECRET, stamps[i]);
        struct test_reply r =
            post_with(&((struct world *)*state)->mock, RECORDS, a.list, AUTH_BODY);
        if (strcmp(r.body, TS_ERROR) != 0)
            fail_msg("Timestamp \"%s\": %s", stamps[i], r.body);
        assert_int_equal(r.status, 200);
        assert_string_equal(r.vendor_code, "-16");
        test_reply_free(&r);
    }
}

static void test_auth_timestamp_milliseconds(void **state)
{
    struct auth a;
    auth_init(&a, NOW_MS);
    expect_auth_body(*state, a.list, TS_ERROR);
}

static void test_auth_timestamp_window_edges(void **state)
{
    struct world *w = *state;
    static const int64_t accepted[] = {-1800, -1, 0, 1, 1800};
    static const int64_t rejected[] = {-1801, 1801, -86400, 86400};
    for (size_t i = 0; i < ARRAY_LEN(accepted); i++) {
        struct test_reply r = post_at(&w->mock, NOW_S + accepted[i], RECORDS, AUTH_BODY);
        if (!r.json || json_int_at(r.json, "status") != 0)
            fail_msg("skew %lld s: %s", (long long)accepted[i], r.body);
        test_reply_free(&r);
    }
    for (size_t i = 0; i < ARRAY_LEN(rejected); i++) {
        struct test_reply r = post_at(&w->mock, NOW_S + rejected[i], RECORDS, AUTH_BODY);
        if (strcmp(r.body, TS_ERROR) != 0)
            fail_msg("skew %lld s: %s", (long long)rejected[i], r.body);
        test_reply_free(&r);
    }
}

static void test_auth_timestamp_window_disabled(void **state)
{
    (void)state;
    static const char *const variants[] = {"itnio.timestamp_window=0", NULL};
    struct test_mock m;
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, variants);
    /* Years away from the clock in both directions, and the millisecond form. */
    static const int64_t stamps[] = {1630468800, NOW_S + 10 * 365 * 86400LL, NOW_MS};
    for (size_t i = 0; i < ARRAY_LEN(stamps); i++) {
        struct test_reply r = post_at(&m, stamps[i], RECORDS, AUTH_BODY);
        assert_success(&r);
        test_reply_free(&r);
    }
    /* Only the window is off: a stamp that is not a number still fails, a bad Sign still fails. */
    struct auth a;
    auth_init_text(&a, KEY, SECRET, "abc");
    struct test_reply r = post_with(&m, RECORDS, a.list, AUTH_BODY);
    assert_body(&r, TS_ERROR);
    test_reply_free(&r);
    auth_init_text(&a, KEY, "wrong", "1630468800");
    r = post_with(&m, RECORDS, a.list, AUTH_BODY);
    assert_body(&r, AUTH_ERROR);
    test_reply_free(&r);
    test_mock_stop(&m);
}

/* ---- the golden check ----------------------------------------------------------------------- */

/* The seed page's request, headers and body verbatim from the examples fixture. */
struct golden {
    cJSON *example;
    char *lines[8];
    const char *headers[9];
    char *body;
    const char *path;
};

static void golden_load(struct golden *g)
{
    memset(g, 0, sizeof(*g));
    g->example = read_fixture("examples/record_query_request.json");
    g->path = json_str_at(g->example, "path");
    const cJSON *h;
    size_t n = 0;
    for (h = first_child(json_at(g->example, "headers")); h; h = h->next) {
        assert_true(n < ARRAY_LEN(g->lines) && cJSON_IsString(h));
        g->lines[n] = test_format("%s: %s", h->string, h->valuestring);
        g->headers[n] = g->lines[n];
        n++;
    }
    g->headers[n] = NULL;
    g->body = cJSON_PrintUnformatted(json_at(g->example, "body"));
    assert_non_null(g->body);
}

static void golden_free(struct golden *g)
{
    for (size_t i = 0; g->lines[i]; i++)
        free(g->lines[i]);
    free(g->body);
    cJSON_Delete(g->example);
}

static bool in_group(const struct world *w, const cJSON *rec, const void *arg);

static void test_golden_seed_request(void **state)
{
    struct world *w = *state;
    struct golden g;
    golden_load(&g);
    /* The example's exact credentials and stamp, so the check really is the seed's request. */
    assert_string_equal(json_str_at(g.example, "headers.Api-Key"), "bDqJFiq9");
    assert_string_equal(json_str_at(g.example, "headers.Timestamp"), "1630468800");
    assert_string_equal(json_str_at(g.example, "headers.Sign"), "05d7a50893e22a5c4bb3216ae3396c7c");
    assert_string_equal(json_str_at(g.example, "body.params.startTime"), "2025-01-08 00:00:00");
    assert_string_equal(json_str_at(g.example, "body.params.endTime"), "2025-01-09 00:00:00");
    assert_int_equal(json_int_at(g.example, "body.params.voiceGroupId"), 12);
    assert_string_equal(g.path, RECORDS);

    struct test_mock m;
    test_mock_start(&m, FIXTURES_DIR, 1630468800000LL, NULL); /* 2021-09-01T04:00:00Z */
    struct test_reply r = post_with(&m, g.path, g.headers, g.body);
    assert_success(&r);
    int64_t group = 12;
    struct ids expected =
        expected_ids(w, "2025-01-08 00:00:00", "2025-01-09 00:00:00", in_group, &group);
    assert_int_equal(json_int_at(r.json, "data.total"), (int64_t)expected.n);
    assert_int_equal(json_int_at(r.json, "data.size"), 50);
    assert_int_equal(json_int_at(r.json, "data.current"), 1);
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "data.records")), (int)expected.n);
    free(expected.v);
    test_reply_free(&r);
    test_mock_stop(&m);

    /* The same bytes years later: the stamp is far outside the half-hour window. */
    test_mock_start(&m, FIXTURES_DIR, (int64_t)time(NULL) * 1000, NULL);
    r = post_with(&m, g.path, g.headers, g.body);
    assert_body(&r, TS_ERROR);
    test_reply_free(&r);
    test_mock_stop(&m);
    golden_free(&g);
}

/* ---- parameter errors (-22) ----------------------------------------------------------------- */

static void expect_param_error(struct world *w, const char *body)
{
    struct test_reply r = post(w, RECORDS, body);
    if (strcmp(r.body, PARAM_ERROR) != 0)
        fail_msg("body %s answered %s", body, r.body);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.vendor_code, "-22");
    test_reply_free(&r);
}

#define WINDOW "\"startTime\":\"" FROM "\",\"endTime\":\"" TO "\""
#define PARAM_ERROR_TEST(name, body)                                                               \
    static void test_param_##name(void **state)                                                    \
    {                                                                                              \
        expect_param_error(*state, body);                                                          \
    }

PARAM_ERROR_TEST(malformed_json, "{\"current\":1,\"size\":10,\"params\":{" WINDOW "}")
PARAM_ERROR_TEST(empty_body, "")
PARAM_ERROR_TEST(body_array, "[{\"current\":1,\"size\":10,\"params\":{" WINDOW "}}]")
PARAM_ERROR_TEST(body_string, "\"current\"")
PARAM_ERROR_TEST(current_string, "{\"current\":\"1\",\"size\":10,\"params\":{" WINDOW "}}")
PARAM_ERROR_TEST(size_string, "{\"current\":1,\"size\":\"10\",\"params\":{" WINDOW "}}")
PARAM_ERROR_TEST(size_fraction, "{\"current\":1,\"size\":10.5,\"params\":{" WINDOW "}}")
PARAM_ERROR_TEST(size_zero, "{\"current\":1,\"size\":0,\"params\":{" WINDOW "}}")
PARAM_ERROR_TEST(size_101, "{\"current\":1,\"size\":101,\"params\":{" WINDOW "}}")
PARAM_ERROR_TEST(current_zero, "{\"current\":0,\"size\":10,\"params\":{" WINDOW "}}")
PARAM_ERROR_TEST(current_negative, "{\"current\":-1,\"size\":10,\"params\":{" WINDOW "}}")
PARAM_ERROR_TEST(params_missing, "{\"current\":1,\"size\":10}")
PARAM_ERROR_TEST(params_null, "{\"current\":1,\"size\":10,\"params\":null}")
PARAM_ERROR_TEST(params_not_object,
                 "{\"current\":1,\"size\":10,\"params\":[\"" FROM "\",\"" TO "\"]}")
PARAM_ERROR_TEST(start_missing, "{\"current\":1,\"size\":10,\"params\":{\"endTime\":\"" TO "\"}}")
PARAM_ERROR_TEST(end_missing, "{\"current\":1,\"size\":10,\"params\":{\"startTime\":\"" FROM "\"}}")
PARAM_ERROR_TEST(start_number,
                 "{\"current\":1,\"size\":10,\"params\":{\"startTime\":1735660800,\"endTime\":\"" TO
                 "\"}}")
PARAM_ERROR_TEST(date_month_13,
                 "{\"current\":1,\"size\":10,\"params\":{\"startTime\":\"2025-13-01 00:00:00\","
                 "\"endTime\":\"" TO "\"}}")
PARAM_ERROR_TEST(date_feb_30,
                 "{\"current\":1,\"size\":10,\"params\":{\"startTime\":\"2025-02-30 00:00:00\","
                 "\"endTime\":\"" TO "\"}}")
PARAM_ERROR_TEST(date_feb_29_common_year,
                 "{\"current\":1,\"size\":10,\"params\":{\"startTime\":\"" FROM
                 "\",\"endTime\":\"2025-02-29 00:00:00\"}}")
PARAM_ERROR_TEST(
    date_word,
    "{\"current\":1,\"size\":10,\"params\":{\"startTime\":\"yesterday\",\"endTime\":\"" TO "\"}}")
PARAM_ERROR_TEST(date_trailing_text, "{\"current\":1,\"size\":10,\"params\":{\"startTime\":\"" FROM
                                     "x\",\"endTime\":\"" TO "\"}}")
PARAM_ERROR_TEST(start_after_end, "{\"current\":1,\"size\":10,\"params\":{\"startTime\":\"" TO
                                  "\",\"endTime\":\"" FROM "\"}}")
PARAM_ERROR_TEST(list_as_scalar,
                 "{\"current\":1,\"size\":10,\"params\":{" WINDOW ",\"callType\":3}}")
PARAM_ERROR_TEST(list_wrong_element,
                 "{\"current\":1,\"size\":10,\"params\":{" WINDOW ",\"callType\":[\"3\"]}}")
PARAM_ERROR_TEST(string_list_wrong_element,
                 "{\"current\":1,\"size\":10,\"params\":{" WINDOW ",\"ccode\":[86]}}")
PARAM_ERROR_TEST(group_id_as_string,
                 "{\"current\":1,\"size\":10,\"params\":{" WINDOW ",\"voiceGroupId\":\"12\"}}")

static void test_param_oversized_body(void **state)
{
    struct world *w = *state;
    struct auth a;
    auth_init(&a, NOW_S);
    struct test_reply r = test_mock_call_oversized(&w->mock, "POST", RECORDS, a.list);
    assert_body(&r, PARAM_ERROR);
    assert_string_equal(r.vendor_code, "-22");
    test_reply_free(&r);
}

/* Routing comes before the body: an oversized body on a wrong method or path still gets the
 * framework's 405/404, not the parameter error. */
static void test_oversized_body_still_routed(void **state)
{
    struct world *w = *state;
    struct auth a;
    auth_init(&a, NOW_S);
    struct test_reply r = test_mock_call_oversized(&w->mock, "GET", RECORDS, a.list);
    assert_int_equal(r.status, 405);
    assert_string_equal(json_str_at(r.json, "error"), "Method Not Allowed");
    test_reply_free(&r);
    r = test_mock_call_oversized(&w->mock, "POST", "/v3/cc/record/nothing", a.list);
    assert_int_equal(r.status, 404);
    assert_string_equal(json_str_at(r.json, "path"), "/v3/cc/record/nothing");
    test_reply_free(&r);
}

/* ---- the 93-day limit ----------------------------------------------------------------------- */

static void test_range_93_days(void **state)
{
    struct world *w = *state;
    /* 2025-01-01 + 93 days = 2025-04-04, by the helper's own calendar. */
    assert_int_equal(china_time(2025, 4, 4, 0, 0, 0) - china_time(2025, 1, 1, 0, 0, 0), 93 * 86400);
    struct test_reply r = query(w, 1, 10, "2025-01-01 00:00:00", "2025-04-04 00:00:01", NULL);
    assert_body(&r, RANGE_ERROR);
    assert_string_equal(r.vendor_code, "-76");
    test_reply_free(&r);

    r = query(w, 1, 10, "2025-01-01 00:00:00", "2025-04-04 00:00:00", NULL);
    assert_success(&r);
    struct ids expected = expected_ids(w, "2025-01-01 00:00:00", "2025-04-04 00:00:00", NULL, NULL);
    assert_int_equal(json_int_at(r.json, "data.total"), (int64_t)expected.n);
    free(expected.v);
    test_reply_free(&r);

    /* The same limit measured across an offset: 93 days + 1 s in ISO form. */
    r = query(w, 1, 10, "2024-12-31T16:00:00Z", "2025-04-04T00:00:01+08:00", NULL);
    assert_body(&r, RANGE_ERROR);
    test_reply_free(&r);
}

/* ---- date forms ----------------------------------------------------------------------------- */

static void test_dates_both_forms_select_the_same_record(void **state)
{
    struct world *w = *state;
    static const char *const forms[][2] = {
        {"2025-01-03 16:10:39", "2025-01-03 16:10:39"},
        {"2025-01-03T08:10:39Z", "2025-01-03T08:10:39Z"},
        {"2025-01-03T16:10:39+08:00", "2025-01-03T16:10:39+08:00"},
        {"2025-01-03 16:10:39", "2025-01-03T08:10:39Z"},
        {"2025-01-03T03:10:39-05:00", "2025-01-03T16:10:39+08:00"},
    };
    for (size_t i = 0; i < ARRAY_LEN(forms); i++) {
        struct test_reply r = query(w, 1, 10, forms[i][0], forms[i][1], NULL);
        assert_success(&r);
        if (json_int_at(r.json, "data.total") != 1)
            fail_msg("%s .. %s: %s", forms[i][0], forms[i][1], r.body);
        assert_int_equal(json_int_at(r.json, "data.records.0.keyId"), SEED_KEY_ID);
        test_reply_free(&r);
    }
    /* A wider window: both forms agree on every record, not only on one instant. */
    int64_t wall_total, iso_total;
    struct ids wall =
        fetch_all(w, "2025-01-01 00:00:00", "2025-01-31 23:59:59", NULL, 100, &wall_total);
    struct ids iso =
        fetch_all(w, "2024-12-31T16:00:00Z", "2025-01-31T15:59:59Z", NULL, 100, &iso_total);
    assert_int_equal(wall_total, iso_total);
    struct ids expected = expected_ids(w, "2025-01-01 00:00:00", "2025-01-31 23:59:59", NULL, NULL);
    assert_same_ids(&expected, &wall);
    assert_same_ids(&expected, &iso);
    free(wall.v);
    free(iso.v);
    free(expected.v);
}

/* ---- paging --------------------------------------------------------------------------------- */

#define PAGE_FROM "2024-11-01 00:00:00"
#define PAGE_TO "2025-01-31 23:59:59"

static void test_paging_math(void **state)
{
    struct world *w = *state;
    struct ids expected = expected_ids(w, PAGE_FROM, PAGE_TO, NULL, NULL);
    int64_t total = (int64_t)expected.n;
    assert_in_range(total, 21, INT64_MAX);
    static const int64_t sizes[] = {7, 10, 25, 100};
    for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
        int64_t size = sizes[i];
        int64_t pages = (total + size - 1) / size;
        struct test_reply r = query(w, 1, size, PAGE_FROM, PAGE_TO, NULL);
        assert_success(&r);
        assert_int_equal(json_int_at(r.json, "data.total"), total);
        assert_int_equal(json_int_at(r.json, "data.size"), size);
        assert_int_equal(json_int_at(r.json, "data.current"), 1);
        assert_int_equal(json_int_at(r.json, "data.pages"), pages);
        assert_true(cJSON_IsTrue(json_at(r.json, "data.searchCount")));
        assert_int_equal(cJSON_GetArraySize(json_at(r.json, "data.records")),
                         size < total ? size : total);
        test_reply_free(&r);

        r = query(w, pages, size, PAGE_FROM, PAGE_TO, NULL);
        assert_success(&r);
        assert_int_equal(cJSON_GetArraySize(json_at(r.json, "data.records")),
                         total - (pages - 1) * size);
        test_reply_free(&r);
    }
    free(expected.v);
}

static void test_paging_concatenation_is_the_window(void **state)
{
    struct world *w = *state;
    struct ids expected = expected_ids(w, PAGE_FROM, PAGE_TO, NULL, NULL);
    int64_t total;
    /* fetch_all checks every page's size, envelope and newest-first order across pages. */
    struct ids actual = fetch_all(w, PAGE_FROM, PAGE_TO, NULL, 7, &total);
    assert_int_equal(total, (int64_t)expected.n);
    assert_same_ids(&expected, &actual);
    free(actual.v);
    free(expected.v);
}

static void test_paging_newest_first(void **state)
{
    struct world *w = *state;
    /* The window's newest record by the fixture's own strings leads the first page. */
    const char *newest = NULL;
    int64_t newest_id = 0;
    const cJSON *rec;
    for (rec = first_child(w->records); rec; rec = rec->next) {
        const char *start = json_str_at(rec, "callStartTime");
        if (strcmp(start, PAGE_FROM) >= 0 && strcmp(start, PAGE_TO) <= 0 &&
            (!newest || strcmp(start, newest) > 0)) {
            newest = start;
            newest_id = json_int_at(rec, "keyId");
        }
    }
    assert_non_null(newest);
    struct test_reply r = query(w, 1, 100, PAGE_FROM, PAGE_TO, NULL);
    assert_success(&r);
    assert_int_equal(json_int_at(r.json, "data.records.0.keyId"), newest_id);
    const cJSON *records = json_at(r.json, "data.records");
    for (int i = 1; i < cJSON_GetArraySize(records); i++) {
        const char *a = json_str_at(cJSON_GetArrayItem(records, i - 1), "callStartTime");
        const char *b = json_str_at(cJSON_GetArrayItem(records, i), "callStartTime");
        if (strcmp(a, b) < 0)
            fail_msg("record %d (%s) is older than record %d (%s)", i - 1, a, i, b);
    }
    test_reply_free(&r);
}

static void test_paging_past_the_end(void **state)
{
    struct world *w = *state;
    struct ids expected = expected_ids(w, PAGE_FROM, PAGE_TO, NULL, NULL);
    int64_t total = (int64_t)expected.n, pages = (total + 9) / 10;
    static const int64_t beyond[] = {1, 2, 1000};
    for (size_t i = 0; i < ARRAY_LEN(beyond); i++) {
        int64_t current = pages + beyond[i];
        struct test_reply r = query(w, current, 10, PAGE_FROM, PAGE_TO, NULL);
        assert_success(&r);
        assert_int_equal(json_int_at(r.json, "data.total"), total);
        assert_int_equal(json_int_at(r.json, "data.pages"), pages);
        assert_int_equal(json_int_at(r.json, "data.current"), current);
        assert_int_equal(json_int_at(r.json, "data.size"), 10);
        const cJSON *records = json_at(r.json, "data.records");
        assert_true(cJSON_IsArray(records));
        assert_int_equal(cJSON_GetArraySize(records), 0);
        test_reply_free(&r);
    }
    /* Past the end of a filtered window too: the filtered count is kept. */
    struct test_reply r = query(w, 50, 10, PAGE_FROM, PAGE_TO, "\"callType\":[3]");
    assert_success(&r);
    assert_in_range(json_int_at(r.json, "data.total"), 1, INT64_MAX);
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "data.records")), 0);
    free(expected.v);
    test_reply_free(&r);
}

static void test_paging_empty_window(void **state)
{
    struct world *w = *state;
    struct ids expected = expected_ids(w, "2024-01-01 00:00:00", "2024-02-01 00:00:00", NULL, NULL);
    assert_int_equal(expected.n, 0);
    free(expected.v);
    struct test_reply r = query(w, 1, 10, "2024-01-01 00:00:00", "2024-02-01 00:00:00", NULL);
    assert_success(&r);
    assert_string_equal(
        r.body,
        "{\"status\":0,\"reason\":\"success\",\"data\":{\"total\":0,\"size\":10,\"current\":1,"
        "\"searchCount\":true,\"pages\":0,\"records\":[]}}");
    test_reply_free(&r);
}

static void test_paging_defaults(void **state)
{
    struct world *w = *state;
    /* Inferred from sibling pages: current 1 and size 25 when absent. */
    struct test_reply r = post(w, RECORDS, "{\"params\":{" WINDOW "}}");
    assert_success(&r);
    struct ids expected = expected_ids(w, FROM, TO, NULL, NULL);
    assert_int_equal(json_int_at(r.json, "data.current"), 1);
    assert_int_equal(json_int_at(r.json, "data.size"), 25);
    assert_int_equal(json_int_at(r.json, "data.total"), (int64_t)expected.n);
    assert_int_equal(json_int_at(r.json, "data.pages"), ((int64_t)expected.n + 24) / 25);
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "data.records")), 25);
    free(expected.v);
    test_reply_free(&r);
}

/* ---- filters -------------------------------------------------------------------------------- */

/* The group a record belongs to: its voiceGroupId, or (the seed record has none) the id of the
 * group named by its sipGroupName in groups.json. */
static bool in_group(const struct world *w, const cJSON *rec, const void *arg)
{
    int64_t want = *(const int64_t *)arg;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "voiceGroupId");
    if (cJSON_IsNumber(id))
        return (int64_t)id->valuedouble == want;
    const char *name = str_or_null(rec, "sipGroupName");
    const cJSON *g;
    for (g = first_child(w->groups); g; g = g->next) {
        if (name && strcmp(json_str_at(g, "groupName"), name) == 0)
            return json_int_at(g, "voiceGroupId") == want;
    }
    return false;
}

struct field_strings {
    const char *field;
    const char *const *values; /* NULL-terminated */
};

static bool string_field_in(const struct world *w, const cJSON *rec, const void *arg)
{
    (void)w;
    const struct field_strings *f = arg;
    const char *v = str_or_null(rec, f->field);
    for (size_t i = 0; v && f->values[i]; i++)
        if (strcmp(v, f->values[i]) == 0)
            return true;
    return false;
}

struct field_ints {
    const char *field;
    const int64_t *values;
    size_t count;
};

static bool int_field_in(const struct world *w, const cJSON *rec, const void *arg)
{
    (void)w;
    const struct field_ints *f = arg;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, f->field);
    for (size_t i = 0; cJSON_IsNumber(v) && i < f->count; i++)
        if ((int64_t)v->valuedouble == f->values[i])
            return true;
    return false;
}

static void test_filter_voice_group_id(void **state)
{
    struct world *w = *state;
    int64_t group = 12;
    check_filter(w, "\"voiceGroupId\":12", in_group, &group);
    /* The seed record carries no voiceGroupId; it is found through its group's name. */
    assert_null(cJSON_GetObjectItemCaseSensitive(fixture_record(w, SEED_KEY_ID), "voiceGroupId"));
    int64_t total;
    struct ids got = fetch_all(w, FROM, TO, "\"voiceGroupId\":12", 100, &total);
    assert_true(ids_has(&got, SEED_KEY_ID));
    free(got.v);
    got = fetch_all(w, FROM, TO, "\"voiceGroupId\":1000037", 100, &total);
    assert_false(ids_has(&got, SEED_KEY_ID));
    free(got.v);
    group = 1000037;
    check_filter(w, "\"voiceGroupId\":1000037", in_group, &group);
    /* A group that does not exist matches nothing. */
    struct test_reply r = query(w, 1, 10, FROM, TO, "\"voiceGroupId\":999");
    assert_success(&r);
    assert_int_equal(json_int_at(r.json, "data.total"), 0);
    test_reply_free(&r);
}

static void test_filter_sip_group_name(void **state)
{
    static const char *const names[] = {"tele-basic-test", NULL};
    struct field_strings f = {"sipGroupName", names};
    check_filter(*state, "\"sipGroupName\":\"tele-basic-test\"", string_field_in, &f);
    static const char *const names2[] = {"collections", NULL};
    struct field_strings f2 = {"sipGroupName", names2};
    check_filter(*state, "\"sipGroupName\":\"collections\"", string_field_in, &f2);
}

static void test_filter_seat_id(void **state)
{
    struct world *w = *state;
    /* seats.json maps keyIds to names; records name their agent only by seatName. */
    static const int64_t wanted[] = {5000012, 5000019};
    const char *names[ARRAY_LEN(wanted) + 1] = {0};
    size_t n = 0;
    const cJSON *s;
    for (s = first_child(w->seats); s; s = s->next) {
        for (size_t i = 0; i < ARRAY_LEN(wanted); i++)
            if (json_int_at(s, "keyId") == wanted[i])
                names[n++] = json_str_at(s, "name");
    }
    assert_int_equal(n, ARRAY_LEN(wanted));
    struct field_strings f = {"seatName", names};
    check_filter(w, "\"seatId\":[5000012,5000019]", string_field_in, &f);
    /* The seed record's agent "seatName" is keyId 5000011. */
    int64_t total;
    struct ids got = fetch_all(w, FROM, TO, "\"seatId\":[5000011]", 100, &total);
    assert_true(ids_has(&got, SEED_KEY_ID));
    free(got.v);
}

static void test_filter_seat_name_list(void **state)
{
    static const char *const names[] = {"bob.li", "grace.sun", "nobody", NULL};
    struct field_strings f = {"seatName", names};
    check_filter(*state, "\"seatNameList\":[\"bob.li\",\"grace.sun\",\"nobody\"]", string_field_in,
                 &f);
}

static void test_filter_call_type(void **state)
{
    static const int64_t types[] = {2, 3};
    struct field_ints f = {"callType", types, 2};
    check_filter(*state, "\"callType\":[2,3]", int_field_in, &f);
    static const int64_t one[] = {1};
    struct field_ints f1 = {"callType", one, 1};
    check_filter(*state, "\"callType\":[1]", int_field_in, &f1);
}

static void test_filter_hangup_reason(void **state)
{
    static const int64_t reasons[] = {0, 7, 8};
    struct field_ints f = {"hangupReason", reasons, 3};
    check_filter(*state, "\"hangupReason\":[0,7,8]", int_field_in, &f);
}

static bool number_contains(const struct world *w, const cJSON *rec, const void *arg)
{
    (void)w;
    static const char *const fields[] = {"caller", "called", "encryptCalled"};
    for (size_t i = 0; i < ARRAY_LEN(fields); i++) {
        const char *v = str_or_null(rec, fields[i]);
        if (v && strstr(v, arg))
            return true;
    }
    return false;
}

static void test_filter_called_or_caller(void **state)
{
    struct world *w = *state;
    check_filter(w, "\"calledOrCaller\":\"20000000000\"", number_contains, "20000000000");
    /* The seed record's callee exists only as encryptCalled ("called" is null). */
    const cJSON *seed = fixture_record(w, SEED_KEY_ID);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(seed, "called")));
    check_filter(w, "\"calledOrCaller\":\"3242926514\"", number_contains, "3242926514");
    int64_t total;
    struct ids got = fetch_all(w, FROM, TO, "\"calledOrCaller\":\"3242926514\"", 100, &total);
    assert_true(ids_has(&got, SEED_KEY_ID));
    free(got.v);
    /* An empty search box is no filter. */
    struct ids all = expected_ids(w, FROM, TO, NULL, NULL);
    got = fetch_all(w, FROM, TO, "\"calledOrCaller\":\"\"", 100, &total);
    assert_same_ids(&all, &got);
    free(got.v);
    free(all.v);
}

static void test_filter_ccode(void **state)
{
    struct world *w = *state;
    /* Records carry "86(China)": the bare code and the full text select the same records. */
    static const char *const china[] = {"86(China)", NULL};
    struct field_strings f = {"ccode", china};
    check_filter(w, "\"ccode\":[\"86\"]", string_field_in, &f);
    check_filter(w, "\"ccode\":[\"86(China)\"]", string_field_in, &f);
    static const char *const two[] = {"63(Philippines)", "1(USA)", NULL};
    struct field_strings f2 = {"ccode", two};
    check_filter(w, "\"ccode\":[\"63\",\"1(USA)\"]", string_field_in, &f2);
    /* A prefix of the code is not the code. */
    struct test_reply r = query(w, 1, 10, FROM, TO, "\"ccode\":[\"8\"]");
    assert_success(&r);
    assert_int_equal(json_int_at(r.json, "data.total"), 0);
    test_reply_free(&r);
}

static void test_filter_hanging_direction(void **state)
{
    static const int64_t dirs[] = {0, 3};
    struct field_ints f = {"hangingDirection", dirs, 2};
    check_filter(*state, "\"hangingDirection\":[0,3]", int_field_in, &f);
}

static bool any_label_in(const struct world *w, const cJSON *rec, const void *arg)
{
    (void)w;
    const char *const *wanted = arg;
    const cJSON *l;
    for (l = first_child(cJSON_GetObjectItemCaseSensitive(rec, "labelNameList")); l; l = l->next) {
        for (size_t i = 0; cJSON_IsString(l) && wanted[i]; i++)
            if (strcmp(l->valuestring, wanted[i]) == 0)
                return true;
    }
    return false;
}

static void test_filter_label_names(void **state)
{
    static const char *const labels[] = {"vip", "callback", NULL};
    check_filter(*state, "\"labelNames\":[\"vip\",\"callback\"]", any_label_in, labels);
}

static void test_filter_empty_lists_are_no_filter(void **state)
{
    struct world *w = *state;
    struct ids all = expected_ids(w, FROM, TO, NULL, NULL);
    int64_t total;
    struct ids got = fetch_all(
        w, FROM, TO,
        "\"seatId\":[],\"seatNameList\":[],\"callType\":[],\"hangupReason\":[],\"ccode\":[],"
        "\"hangingDirection\":[],\"labelNames\":[]",
        100, &total);
    assert_int_equal(total, (int64_t)all.n);
    assert_same_ids(&all, &got);
    free(got.v);
    /* JSON null is as good as absent. */
    got = fetch_all(w, FROM, TO, "\"callType\":null,\"voiceGroupId\":null,\"sipGroupName\":null",
                    100, &total);
    assert_same_ids(&all, &got);
    free(got.v);
    free(all.v);
}

struct combo {
    struct field_ints type, direction;
    struct field_strings ccode;
    int64_t group;
};

static bool combo_match(const struct world *w, const cJSON *rec, const void *arg)
{
    const struct combo *c = arg;
    return int_field_in(w, rec, &c->type) && int_field_in(w, rec, &c->direction) &&
           string_field_in(w, rec, &c->ccode) && in_group(w, rec, &c->group);
}

static void test_filter_combination(void **state)
{
    static const int64_t types[] = {2, 3};
    static const int64_t dirs[] = {1};
    static const char *const china[] = {"86(China)", NULL};
    struct combo c = {
        {"callType", types, 2}, {"hangingDirection", dirs, 1}, {"ccode", china}, 1000041};
    check_filter(
        *state,
        "\"callType\":[2,3],\"hangingDirection\":[1],\"ccode\":[\"86\"],\"voiceGroupId\":1000041",
        combo_match, &c);
}

/* ---- the seed record ------------------------------------------------------------------------ */

static void test_seed_record_verbatim(void **state)
{
    struct world *w = *state;
    const cJSON *fixture = fixture_record(w, SEED_KEY_ID);
    struct test_reply r = query(w, 1, 10, "2025-01-03 16:10:39", "2025-01-03 16:10:39", NULL);
    assert_success(&r);
    assert_int_equal(json_int_at(r.json, "data.total"), 1);
    const cJSON *served = json_at(r.json, "data.records.0");
    assert_non_null(served);
    assert_true(cJSON_Compare(served, fixture, true));
    /* Field order too: the served bytes contain the fixture object printed compactly. */
    char *compact = cJSON_PrintUnformatted(fixture);
    assert_non_null(compact);
    assert_non_null(strstr(r.body, compact));
    free(compact);
    /* The facts the seed page prints, in case the fixture itself drifted. */
    assert_string_equal(json_str_at(served, "callSessionId"), "25010316113064799");
    assert_string_equal(json_str_at(served, "encryptCalled"), "8613242926514");
    assert_string_equal(json_str_at(served, "ccode"), "86(China)");
    assert_string_equal(json_str_at(served, "errorReason"), "sucess call(200)");
    assert_int_equal(json_int_at(served, "callDuration"), 47);
    assert_true(cJSON_IsNull(json_at(served, "mediaDetected")));
    test_reply_free(&r);
}

/* ---- variants ------------------------------------------------------------------------------- */

static void test_variant_status_string(void **state)
{
    (void)state;
    static const char *const variants[] = {"itnio.status_type=string", NULL};
    struct test_mock m;
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, variants);
    struct test_reply r = post_at(&m, NOW_S, RECORDS, AUTH_BODY);
    assert_int_equal(r.status, 200);
    assert_non_null(r.json);
    assert_string_equal(json_str_at(r.json, "status"), "0");
    assert_string_equal(json_str_at(r.json, "reason"), "success");
    static const char prefix[] = "{\"status\":\"0\",\"reason\":\"success\",\"data\":{";
    assert_int_equal(strncmp(r.body, prefix, strlen(prefix)), 0);
    test_reply_free(&r);

    r = post_at(&m, NOW_S, RECORDS, "{");
    assert_body(&r, "{\"status\":\"-22\",\"reason\":\"Parameter exception\",\"data\":null}");
    test_reply_free(&r);
    r = post_at(&m, NOW_S + 7200, RECORDS, AUTH_BODY);
    assert_body(&r, TS_ERROR_S);
    test_reply_free(&r);
    r = post_at(&m, NOW_S, GROUPS, "{}");
    assert_string_equal(json_str_at(r.json, "status"), "0");
    test_reply_free(&r);
    test_mock_stop(&m);
}

static void test_variant_range_end(void **state)
{
    struct world *w = *state;
    /* endTime is exactly the seed record's callStartTime. */
    const char *from = "2025-01-03 00:00:00", *to = "2025-01-03 16:10:39";
    struct ids inclusive = expected_ids(w, from, to, NULL, NULL);
    assert_true(ids_has(&inclusive, SEED_KEY_ID));
    struct test_reply r = query(w, 1, 100, from, to, NULL);
    assert_success(&r);
    assert_int_equal(json_int_at(r.json, "data.total"), (int64_t)inclusive.n);
    assert_int_equal(json_int_at(r.json, "data.records.0.keyId"), SEED_KEY_ID);
    test_reply_free(&r);

    static const char *const variants[] = {"itnio.range_end=exclusive", NULL};
    struct test_mock m;
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, variants);
    char *body = record_body(1, 100, from, to, NULL);
    r = post_at(&m, NOW_S, RECORDS, body);
    free(body);
    assert_success(&r);
    assert_int_equal(json_int_at(r.json, "data.total"), (int64_t)inclusive.n - 1);
    const cJSON *rec;
    for (rec = first_child(json_at(r.json, "data.records")); rec; rec = rec->next) {
        assert_int_not_equal(json_int_at(rec, "keyId"), SEED_KEY_ID);
    }
    test_reply_free(&r);
    /* A start stamped exactly at startTime stays in. */
    body = record_body(1, 100, to, "2025-01-03 23:59:59", NULL);
    r = post_at(&m, NOW_S, RECORDS, body);
    free(body);
    assert_success(&r);
    struct ids later = expected_ids(w, to, "2025-01-03 23:59:59", NULL, NULL);
    assert_int_equal(json_int_at(r.json, "data.total"), (int64_t)later.n);
    int64_t last = (int64_t)later.n - 1;
    char path[64];
    snprintf(path, sizeof(path), "data.records.%lld.keyId", (long long)last);
    assert_int_equal(json_int_at(r.json, path), SEED_KEY_ID);
    test_reply_free(&r);
    free(later.v);
    free(inclusive.v);
    test_mock_stop(&m);
}

/* ---- groups and agents ---------------------------------------------------------------------- */

static void test_groups_auth(void **state)
{
    struct world *w = *state;
    struct auth a;
    auth_init_text(&a, KEY, "wrong", "1746057600");
    struct test_reply r = post_with(&w->mock, GROUPS, a.list, "{}");
    assert_body(&r, AUTH_ERROR_S);
    test_reply_free(&r);
    r = post_with(&w->mock, SEATS, a.list, "{}");
    assert_body(&r, AUTH_ERROR_S);
    test_reply_free(&r);
    r = post_at(&w->mock, NOW_S - 3600, GROUPS, "{}");
    assert_body(&r, TS_ERROR_S);
    test_reply_free(&r);
    r = post_at(&w->mock, NOW_S - 3600, SEATS, "{}");
    assert_body(&r, TS_ERROR_S);
    test_reply_free(&r);
}

static void test_groups_paging_and_name(void **state)
{
    struct world *w = *state;
    int64_t n = cJSON_GetArraySize(w->groups);
    struct test_reply r = post(w, GROUPS, "{\"current\":1,\"size\":3}");
    assert_list_success(&r);
    assert_int_equal(json_int_at(r.json, "data.total"), n);
    assert_int_equal(json_int_at(r.json, "data.pages"), (n + 2) / 3);
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "data.records")), 3);
    test_reply_free(&r);
    r = post(w, GROUPS, "{\"current\":2,\"size\":3}");
    assert_list_success(&r);
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "data.records")), n - 3);
    test_reply_free(&r);
    r = post(w, GROUPS, "{\"current\":3,\"size\":3}");
    assert_list_success(&r);
    assert_int_equal(json_int_at(r.json, "data.total"), n);
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "data.records")), 0);
    test_reply_free(&r);

    /* groupName is a substring search; count the fixture's matches independently. */
    static const char *const needles[] = {"sales", "-", "tele-basic-test", "nothing-like-it"};
    for (size_t i = 0; i < ARRAY_LEN(needles); i++) {
        int64_t expected = 0;
        const cJSON *g;
        for (g = first_child(w->groups); g; g = g->next) {
            expected += strstr(json_str_at(g, "groupName"), needles[i]) != NULL;
        }
        char *body = test_format("{\"current\":1,\"size\":100,\"params\":{\"groupName\":\"%s\"}}",
                                 needles[i]);
        r = post(w, GROUPS, body);
        free(body);
        assert_list_success(&r);
        assert_int_equal(json_int_at(r.json, "data.total"), expected);
        for (g = first_child(json_at(r.json, "data.records")); g; g = g->next) {
            assert_non_null(strstr(json_str_at(g, "groupName"), needles[i]));
        }
        test_reply_free(&r);
    }
    r = post(w, GROUPS, "{\"params\":{\"groupName\":12}}");
    assert_body(&r, PARAM_ERROR_S);
    test_reply_free(&r);
    r = post(w, GROUPS, "{\"size\":0}");
    assert_body(&r, PARAM_ERROR_S);
    test_reply_free(&r);
}

static void test_groups_count_seats(void **state)
{
    struct world *w = *state;
    struct test_reply r = post(w, GROUPS, "{\"current\":1,\"size\":100}");
    assert_list_success(&r);
    const cJSON *g;
    int seen = 0;
    for (g = first_child(json_at(r.json, "data.records")); g; g = g->next) {
        int64_t id = json_int_at(g, "voiceGroupId"), expected = 0;
        const cJSON *s;
        for (s = first_child(w->seats); s; s = s->next) {
            expected += json_int_at(s, "voiceGroupId") == id;
        }
        if (json_int_at(g, "countSeat") != expected)
            fail_msg("group %lld: countSeat %lld, seats.json has %lld", (long long)id,
                     (long long)json_int_at(g, "countSeat"), (long long)expected);
        assert_in_range(expected, 1, INT64_MAX);
        seen++;
    }
    assert_int_equal(seen, cJSON_GetArraySize(w->groups));
    test_reply_free(&r);
}

static int64_t count_seats(const struct world *w, const char *field, int64_t value,
                           const char *name)
{
    int64_t n = 0;
    const cJSON *s;
    for (s = first_child(w->seats); s; s = s->next) {
        if (field && json_int_at(s, field) == value)
            n++;
        else if (name && strstr(json_str_at(s, "name"), name))
            n++;
    }
    return n;
}

static void test_seats_filters_and_paging(void **state)
{
    struct world *w = *state;
    int64_t n = cJSON_GetArraySize(w->seats);
    struct test_reply r = post(w, SEATS, "{\"current\":3,\"size\":4,\"params\":{" SEAT_WINDOW "}}");
    assert_list_success(&r);
    assert_int_equal(json_int_at(r.json, "data.total"), n);
    assert_int_equal(json_int_at(r.json, "data.pages"), (n + 3) / 4);
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "data.records")), n - 8);
    test_reply_free(&r);

    static const struct {
        const char *params;
        const char *field;
        int64_t value;
        const char *name;
    } cases[] = {
        {"{\"enable\":1," SEAT_WINDOW "}", "enable", 1, NULL},
        {"{\"enable\":0," SEAT_WINDOW "}", "enable", 0, NULL},
        {"{\"voiceGroupId\":1000041," SEAT_WINDOW "}", "voiceGroupId", 1000041, NULL},
        {"{\"voiceGroupId\":12," SEAT_WINDOW "}", "voiceGroupId", 12, NULL},
        {"{\"status\":2," SEAT_WINDOW "}", "status", 2, NULL},
        {"{\"name\":\"li\"," SEAT_WINDOW "}", NULL, 0, "li"},
        {"{\"name\":\"seatName\"," SEAT_WINDOW "}", NULL, 0, "seatName"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        int64_t expected = count_seats(w, cases[i].field, cases[i].value, cases[i].name);
        assert_in_range(expected, 1, INT64_MAX);
        char *body = test_format("{\"current\":1,\"size\":100,\"params\":%s}", cases[i].params);
        r = post(w, SEATS, body);
        free(body);
        assert_list_success(&r);
        if (json_int_at(r.json, "data.total") != expected)
            fail_msg("seat filter %s: total %lld, expected %lld", cases[i].params,
                     (long long)json_int_at(r.json, "data.total"), (long long)expected);
        const cJSON *s;
        for (s = first_child(json_at(r.json, "data.records")); s; s = s->next) {
            if (cases[i].field)
                assert_int_equal(json_int_at(s, cases[i].field), cases[i].value);
            else
                assert_non_null(strstr(json_str_at(s, "name"), cases[i].name));
        }
        test_reply_free(&r);
    }
    /* Filters combine. */
    r = post(w, SEATS,
             "{\"params\":{\"voiceGroupId\":1000037,\"enable\":0,\"status\":1," SEAT_WINDOW "}}");
    assert_list_success(&r);
    assert_int_equal(json_int_at(r.json, "data.total"), 1);
    assert_string_equal(json_str_at(r.json, "data.records.0.name"), "carol.zhang");
    test_reply_free(&r);
    r = post(w, SEATS, "{\"params\":{\"enable\":\"1\"," SEAT_WINDOW "}}");
    assert_body(&r, PARAM_ERROR_S);
    test_reply_free(&r);
}

static bool list_has_string(const cJSON *list, const char *field, const char *value)
{
    const cJSON *e;
    for (e = first_child(list); e; e = e->next) {
        if (value && strcmp(json_str_at(e, field), value) == 0)
            return true;
    }
    return false;
}

static void test_roster_agrees_with_records(void **state)
{
    struct world *w = *state;
    struct test_reply groups = post(w, GROUPS, "{\"current\":1,\"size\":100}");
    struct test_reply seats =
        post(w, SEATS, "{\"current\":1,\"size\":100,\"params\":{" SEAT_WINDOW "}}");
    assert_list_success(&groups);
    assert_list_success(&seats);
    const cJSON *group_list = json_at(groups.json, "data.records");
    const cJSON *seat_list = json_at(seats.json, "data.records");
    assert_int_equal(cJSON_GetArraySize(group_list), cJSON_GetArraySize(w->groups));
    assert_int_equal(cJSON_GetArraySize(seat_list), cJSON_GetArraySize(w->seats));
    const cJSON *rec;
    for (rec = first_child(w->records); rec; rec = rec->next) {
        const char *group = str_or_null(rec, "sipGroupName");
        const char *seat = str_or_null(rec, "seatName");
        if (!list_has_string(group_list, "groupName", group))
            fail_msg("record %lld: group %s is not in the group query",
                     (long long)json_int_at(rec, "keyId"), group ? group : "(null)");
        if (!list_has_string(seat_list, "name", seat))
            fail_msg("record %lld: agent %s is not in the seat query",
                     (long long)json_int_at(rec, "keyId"), seat ? seat : "(null)");
    }
    /* Each agent's groupName is the name of the group its voiceGroupId points at. */
    const cJSON *s;
    for (s = first_child(seat_list); s; s = s->next) {
        const cJSON *g;
        bool found = false;
        for (g = first_child(group_list); g; g = g->next) {
            if (json_int_at(g, "voiceGroupId") == json_int_at(s, "voiceGroupId")) {
                assert_string_equal(json_str_at(s, "groupName"), json_str_at(g, "groupName"));
                found = true;
            }
        }
        assert_true(found);
    }
    test_reply_free(&groups);
    test_reply_free(&seats);
}

/* ---- routing -------------------------------------------------------------------------------- */

static void test_routing_wrong_method(void **state)
{
    struct world *w = *state;
    struct auth a;
    auth_init(&a, NOW_S);
    struct test_reply r = test_mock_call(&w->mock, "GET", RECORDS, a.list, NULL, 0);
    assert_int_equal(r.status, 405);
    assert_string_equal(r.body,
                        "{\"timestamp\":\"2025-05-01T00:00:00.000Z\",\"status\":405,"
                        "\"error\":\"Method Not Allowed\",\"path\":\"/v3/cc/record/query\"}");
    test_reply_free(&r);
}

static void test_routing_unknown_vendor_path(void **state)
{
    struct world *w = *state;
    struct test_reply r = post(w, "/v3/cc/record/list", AUTH_BODY);
    assert_int_equal(r.status, 404);
    assert_string_equal(r.body, "{\"timestamp\":\"2025-05-01T00:00:00.000Z\",\"status\":404,"
                                "\"error\":\"Not Found\",\"path\":\"/v3/cc/record/list\"}");
    test_reply_free(&r);
}

static void test_routing_no_vendor(void **state)
{
    struct world *w = *state;
    /* "/" belongs to the RPC-style vendor (aliyun). */
    static const char *const paths[] = {"/v2/cc/record/query", "/api/records", "/index.html"};
    for (size_t i = 0; i < ARRAY_LEN(paths); i++) {
        struct test_reply r = post(w, paths[i], AUTH_BODY);
        assert_int_equal(r.status, 404);
        assert_string_equal(r.body, "{\"error\":\"no simulated vendor serves this path\"}");
        test_reply_free(&r);
    }
}

/* ---- generated data ------------------------------------------------------------------------- */

/* Not on a second boundary, so an anchor taken from a clock reading instead of the clock's start
 * would drift between runs. */
#define GEN_CLOCK_MS 1746057600999LL
#define GEN_N 400

static char *generated_dump(uint64_t seed, int64_t n)
{
    struct test_mock m;
    test_mock_start_generated(&m, FIXTURES_DIR, GEN_CLOCK_MS, NULL, "itnio", n, seed);
    char *dump = mock_server_dump(m.server, "itnio");
    assert_non_null(dump);
    test_mock_stop(&m);
    return dump;
}

static void test_generated_deterministic(void **state)
{
    (void)state;
    char *a = generated_dump(42, GEN_N);
    char *b = generated_dump(42, GEN_N);
    char *c = generated_dump(43, GEN_N);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    free(a);
    free(b);
    free(c);
}

static int64_t wall_seconds(const char *text)
{
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (!text || sscanf(text, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6)
        fail_msg("not a wall time: %s", text ? text : "(null)");
    return china_time(y, mo, d, h, mi, s);
}

static void test_generated_shape_and_consistency(void **state)
{
    struct world *w = *state;
    char *dump = generated_dump(7, GEN_N);
    cJSON *records = cJSON_Parse(dump);
    free(dump);
    assert_true(cJSON_IsArray(records));
    assert_int_equal(cJSON_GetArraySize(records), GEN_N);
    const cJSON *seed = fixture_record(w, SEED_KEY_ID);
    const int64_t clock_s = GEN_CLOCK_MS / 1000;
    const cJSON *r;
    int answered = 0, unanswered = 0;
    for (r = first_child(records); r; r = r->next) {
        int64_t id = json_int_at(r, "keyId");
        /* The seed record's fields, with the same JSON types wherever the seed has a value. */
        const cJSON *field;
        for (field = first_child(seed); field; field = field->next) {
            const cJSON *mine = cJSON_GetObjectItemCaseSensitive(r, field->string);
            if (!mine)
                fail_msg("record %lld lacks %s", (long long)id, field->string);
            if (!cJSON_IsNull(field) && !cJSON_IsNull(mine) &&
                (field->type & 0xff) != (mine->type & 0xff))
                fail_msg("record %lld: %s has another type than the seed's", (long long)id,
                         field->string);
        }
        int64_t start = wall_seconds(json_str_at(r, "callStartTime"));
        if (start < clock_s - 365 * 86400LL || start > clock_s)
            fail_msg("record %lld starts at %s, outside the year before the clock", (long long)id,
                     json_str_at(r, "callStartTime"));
        const cJSON *answer = json_at(r, "calledAnswerTime");
        if (cJSON_IsNull(answer)) {
            unanswered++;
            assert_int_equal(json_int_at(r, "callDuration"), 0);
            assert_true(cJSON_IsNull(json_at(r, "voiceUrl")));
            assert_int_equal(cJSON_GetArraySize(json_at(r, "voiceUrlList")), 0);
            assert_int_equal(json_int_at(r, "hangingDirection"), 3);
        } else {
            answered++;
            int64_t at = wall_seconds(json_str_at(r, "calledAnswerTime"));
            int64_t end = wall_seconds(json_str_at(r, "calledHangupTime"));
            assert_int_equal(at - start, json_int_at(r, "ringDuration"));
            assert_int_equal(end - at, json_int_at(r, "callDuration"));
            assert_string_equal(json_str_at(r, "voiceUrlList.0"), json_str_at(r, "voiceUrl"));
            assert_string_equal(json_str_at(r, "hangupCode"), "200");
        }
        /* The agent and the group agree with the roster. */
        const cJSON *s;
        bool agent_found = false;
        for (s = first_child(w->seats); s; s = s->next) {
            if (strcmp(json_str_at(s, "name"), json_str_at(r, "seatName")) == 0) {
                agent_found = true;
                assert_int_equal(json_int_at(s, "voiceGroupId"), json_int_at(r, "voiceGroupId"));
            }
        }
        assert_true(agent_found);
        int64_t group = json_int_at(r, "voiceGroupId");
        assert_true(in_group(w, r, &group));
        const cJSON *g;
        for (g = first_child(w->groups); g; g = g->next) {
            if (json_int_at(g, "voiceGroupId") == group)
                assert_string_equal(json_str_at(g, "groupName"), json_str_at(r, "sipGroupName"));
        }
    }
    assert_in_range(answered, 1, INT64_MAX);
    assert_in_range(unanswered, 1, INT64_MAX);
    cJSON_Delete(records);
}

static void test_generated_served(void **state)
{
    (void)state;
    struct test_mock m;
    test_mock_start_generated(&m, FIXTURES_DIR, GEN_CLOCK_MS, NULL, "itnio", GEN_N, 5);
    char *dump = mock_server_dump(m.server, "itnio");
    cJSON *records = cJSON_Parse(dump);
    free(dump);
    assert_int_equal(cJSON_GetArraySize(records), GEN_N);
    /* The last 90 days before the clock, counted from the dump by text comparison. */
    const char *from = "2025-01-31 08:00:00", *to = "2025-05-01 08:00:00";
    int64_t expected = 0;
    const cJSON *r;
    for (r = first_child(records); r; r = r->next) {
        const char *start = json_str_at(r, "callStartTime");
        expected += strcmp(start, from) >= 0 && strcmp(start, to) <= 0;
    }
    assert_in_range(expected, 1, GEN_N - 1);
    char *body = record_body(1, 100, from, to, NULL);
    struct test_reply reply = post_at(&m, GEN_CLOCK_MS / 1000, RECORDS, body);
    free(body);
    assert_success(&reply);
    assert_int_equal(json_int_at(reply.json, "data.total"), expected);
    test_reply_free(&reply);
    /* The fixture records are replaced, not added to. */
    body = record_body(1, 10, "2025-01-03 16:10:39", "2025-01-03 16:10:39", NULL);
    reply = post_at(&m, GEN_CLOCK_MS / 1000, RECORDS, body);
    free(body);
    assert_success(&reply);
    const cJSON *rec;
    for (rec = first_child(json_at(reply.json, "data.records")); rec; rec = rec->next) {
        assert_int_not_equal(json_int_at(rec, "keyId"), SEED_KEY_ID);
    }
    test_reply_free(&reply);
    cJSON_Delete(records);
    test_mock_stop(&m);
}

/* "YYYY-MM-DD HH:MM:SS" in UTC+8 through libc, not through the mock's formatter. */
static void china_text(int64_t t, char out[20])
{
    time_t local = (time_t)(t + 8 * 3600);
    struct tm tm;
    assert_non_null(gmtime_r(&local, &tm));
    assert_int_equal(strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm), 19);
}

static int64_t generated_total(struct test_mock *m, int64_t from, int64_t to)
{
    char a[20], b[20];
    china_text(from, a);
    china_text(to, b);
    char *body = record_body(1, 1, a, b, NULL);
    struct test_reply r = post_at(m, GEN_CLOCK_MS / 1000, RECORDS, body);
    free(body);
    assert_success(&r);
    int64_t total = json_int_at(r.json, "data.total");
    test_reply_free(&r);
    return total;
}

/* Enough records that every hour of the year holds some: a generator that strays past either end
 * of the year before the clock shows up in the windows just outside it. */
static void test_generated_window_bounds(void **state)
{
    (void)state;
    const int64_t n = 50000, clock_s = GEN_CLOCK_MS / 1000, year = 365 * 86400LL,
                  step = 93 * 86400LL;
    struct test_mock m;
    test_mock_start_generated(&m, FIXTURES_DIR, GEN_CLOCK_MS, NULL, "itnio", n, 11);
    assert_int_equal(generated_total(&m, clock_s + 1, clock_s + step), 0);
    assert_int_equal(generated_total(&m, clock_s - year - step, clock_s - year - 1), 0);
    int64_t sum = 0;
    for (int64_t from = clock_s - year; from <= clock_s; from += step) {
        int64_t to = from + step - 1 < clock_s ? from + step - 1 : clock_s;
        sum += generated_total(&m, from, to);
    }
    assert_int_equal(sum, n);
    test_mock_stop(&m);
}

static void test_generated_zero_records(void **state)
{
    (void)state;
    char *dump = generated_dump(1, 0);
    cJSON *records = cJSON_Parse(dump);
    free(dump);
    assert_true(cJSON_IsArray(records));
    assert_int_equal(cJSON_GetArraySize(records), 0);
    cJSON_Delete(records);
}

/* ---- robustness ----------------------------------------------------------------------------- */

static void test_recovers_after_bad_input(void **state)
{
    struct world *w = *state;
    struct auth a;
    auth_init(&a, NOW_S);
    struct test_reply r = post(w, RECORDS, "{\"current\":1,\"size\":10,\"params\":{\"startTime\":");
    assert_body(&r, PARAM_ERROR);
    test_reply_free(&r);
    r = test_mock_call_oversized(&w->mock, "POST", RECORDS, a.list);
    assert_body(&r, PARAM_ERROR);
    test_reply_free(&r);
    static const char binary[] = "{\"current\":1\0,\"size\":10}";
    r = test_mock_call(&w->mock, "POST", RECORDS, a.list, binary, sizeof(binary) - 1);
    assert_body(&r, PARAM_ERROR);
    test_reply_free(&r);

    struct ids expected = expected_ids(w, "2025-01-03 00:00:00", "2025-01-03 23:59:59", NULL, NULL);
    int64_t total;
    struct ids got = fetch_all(w, "2025-01-03 00:00:00", "2025-01-03 23:59:59", NULL, 100, &total);
    assert_int_equal(total, (int64_t)expected.n);
    assert_true(ids_has(&got, SEED_KEY_ID));
    assert_same_ids(&expected, &got);
    free(expected.v);
    free(got.v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auth_valid_request_succeeds),
        cmocka_unit_test(test_auth_missing_api_key),
        cmocka_unit_test(test_auth_missing_timestamp),
        cmocka_unit_test(test_auth_missing_sign),
        cmocka_unit_test(test_auth_unknown_key),
        cmocka_unit_test(test_auth_wrong_sign),
        cmocka_unit_test(test_auth_second_tenant),
        cmocka_unit_test(test_auth_sign_upper_case),
        cmocka_unit_test(test_auth_timestamp_not_a_number),
        cmocka_unit_test(test_auth_timestamp_milliseconds),
        cmocka_unit_test(test_auth_timestamp_window_edges),
        cmocka_unit_test(test_auth_timestamp_window_disabled),
        cmocka_unit_test(test_golden_seed_request),
        cmocka_unit_test(test_param_malformed_json),
        cmocka_unit_test(test_param_empty_body),
        cmocka_unit_test(test_param_body_array),
        cmocka_unit_test(test_param_body_string),
        cmocka_unit_test(test_param_current_string),
        cmocka_unit_test(test_param_size_string),
        cmocka_unit_test(test_param_size_fraction),
        cmocka_unit_test(test_param_size_zero),
        cmocka_unit_test(test_param_size_101),
        cmocka_unit_test(test_param_current_zero),
        cmocka_unit_test(test_param_current_negative),
        cmocka_unit_test(test_param_params_missing),
        cmocka_unit_test(test_param_params_null),
        cmocka_unit_test(test_param_params_not_object),
        cmocka_unit_test(test_param_start_missing),
        cmocka_unit_test(test_param_end_missing),
        cmocka_unit_test(test_param_start_number),
        cmocka_unit_test(test_param_date_month_13),
        cmocka_unit_test(test_param_date_feb_30),
        cmocka_unit_test(test_param_date_feb_29_common_year),
        cmocka_unit_test(test_param_date_word),
        cmocka_unit_test(test_param_date_trailing_text),
        cmocka_unit_test(test_param_start_after_end),
        cmocka_unit_test(test_param_list_as_scalar),
        cmocka_unit_test(test_param_list_wrong_element),
        cmocka_unit_test(test_param_string_list_wrong_element),
        cmocka_unit_test(test_param_group_id_as_string),
        cmocka_unit_test(test_param_oversized_body),
        cmocka_unit_test(test_oversized_body_still_routed),
        cmocka_unit_test(test_range_93_days),
        cmocka_unit_test(test_dates_both_forms_select_the_same_record),
        cmocka_unit_test(test_paging_math),
        cmocka_unit_test(test_paging_concatenation_is_the_window),
        cmocka_unit_test(test_paging_newest_first),
        cmocka_unit_test(test_paging_past_the_end),
        cmocka_unit_test(test_paging_empty_window),
        cmocka_unit_test(test_paging_defaults),
        cmocka_unit_test(test_filter_voice_group_id),
        cmocka_unit_test(test_filter_sip_group_name),
        cmocka_unit_test(test_filter_seat_id),
        cmocka_unit_test(test_filter_seat_name_list),
        cmocka_unit_test(test_filter_call_type),
        cmocka_unit_test(test_filter_hangup_reason),
        cmocka_unit_test(test_filter_called_or_caller),
        cmocka_unit_test(test_filter_ccode),
        cmocka_unit_test(test_filter_hanging_direction),
        cmocka_unit_test(test_filter_label_names),
        cmocka_unit_test(test_filter_empty_lists_are_no_filter),
        cmocka_unit_test(test_filter_combination),
        cmocka_unit_test(test_seed_record_verbatim),
        cmocka_unit_test(test_variant_status_string),
        cmocka_unit_test(test_variant_range_end),
        cmocka_unit_test(test_groups_auth),
        cmocka_unit_test(test_groups_paging_and_name),
        cmocka_unit_test(test_groups_count_seats),
        cmocka_unit_test(test_seats_filters_and_paging),
        cmocka_unit_test(test_roster_agrees_with_records),
        cmocka_unit_test(test_routing_wrong_method),
        cmocka_unit_test(test_routing_unknown_vendor_path),
        cmocka_unit_test(test_routing_no_vendor),
        cmocka_unit_test(test_generated_deterministic),
        cmocka_unit_test(test_generated_shape_and_consistency),
        cmocka_unit_test(test_generated_served),
        cmocka_unit_test(test_generated_window_bounds),
        cmocka_unit_test(test_generated_zero_records),
        cmocka_unit_test(test_recovers_after_bad_input),
    };
    return cmocka_run_group_tests(tests, world_setup, world_teardown);
}
