/* The real cdrsim-mock on an ephemeral loopback port, driven by libcdrsim and by plain libcurl.
 * Expected results come from reading fixtures/itnio/records.json directly, never from the mock or
 * the client, so a shared mistake in both cannot hide. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "cdrsim/buf.h"
#include "cdrsim/itnio.h"
#include "testutil.h"

#define DAY 86400LL
#define WINDOW (93 * DAY)
#define MAX_MOCKS 3

/* Just after the dataset's last record (2025-04-29), so requests stamped "now" are accepted. */
#define MOCK_CLOCK "2025-05-01T00:00:00Z"
/* The instant the seed page's example Timestamp (1630468800) was taken. */
#define SEED_CLOCK "2021-09-01T04:00:00Z"
#define SEED_SIGN "05d7a50893e22a5c4bb3216ae3396c7c"
#define SEED_TIMESTAMP "1630468800"
#define DEMO_KEY "bDqJFiq9"
#define DEMO_SECRET "7bz1lzh9"

static int64_t mock_clock_epoch(void)
{
    return china_time(2025, 5, 1, 8, 0, 0);
}

/* ---- per-test state: whatever a failed assertion leaves running is cleaned up in teardown ---- */

struct fixture {
    struct mock_process mocks[MAX_MOCKS];
    char tmpdir[64];
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    *state = fx;
    return 0;
}

static void remove_tree(const char *dir)
{
    static const char *const files[] = {"credentials.json", "groups.json", "seats.json",
                                        "records.json"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char *path = test_format("%s/itnio/%s", dir, files[i]);
        unlink(path);
        free(path);
    }
    char *sub = test_format("%s/itnio", dir);
    rmdir(sub);
    free(sub);
    rmdir(dir);
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    for (size_t i = 0; i < MAX_MOCKS; i++)
        if (fx->mocks[i].pid > 0)
            mock_process_stop(&fx->mocks[i]);
    if (fx->tmpdir[0])
        remove_tree(fx->tmpdir);
    free(fx);
    return 0;
}

/* ---- the dataset, read independently ------------------------------------------------------- */

/* "YYYY-MM-DD HH:MM:SS" in UTC+8, the form the dataset uses, so strings compare as instants. */
static void wall_time(int64_t t, char out[20])
{
    time_t shifted = (time_t)(t + 8 * 3600);
    struct tm tm;
    assert_non_null(gmtime_r(&shifted, &tm));
    assert_int_equal(strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm), 19);
}

/* Ids of records.json whose callStartTime lies in [from, to] (both inclusive). */
static struct test_ids dataset_ids(const cJSON *records, int64_t from, int64_t to)
{
    char lo[20], hi[20];
    wall_time(from, lo);
    wall_time(to, hi);
    struct test_ids out = {0};
    const cJSON *r;
    cJSON_ArrayForEach(r, records) {
        const char *start = json_str_at(r, "callStartTime");
        assert_int_equal(strlen(start), 19);
        if (strcmp(start, lo) < 0 || strcmp(start, hi) > 0)
            continue;
        char id[32];
        snprintf(id, sizeof(id), "%lld", (long long)json_int_at(r, "keyId"));
        test_ids_add(&out, id);
    }
    return out;
}

/* Same sets, and no id delivered twice. Sorts both lists. */
static void assert_same_ids(struct test_ids *got, struct test_ids *want)
{
    test_ids_sort(got);
    test_ids_sort(want);
    for (size_t i = 1; i < got->count; i++)
        if (strcmp(got->items[i - 1], got->items[i]) == 0)
            fail_msg("record %s delivered twice", got->items[i]);
    test_ids_assert_equal(want, got);
}

/* ---- libcdrsim client ---------------------------------------------------------------------- */

static int64_t fixed_clock(void *user)
{
    return *(const int64_t *)user;
}

static struct cdr_itnio_client *new_client(const char *base_url, const char *secret,
                                           const int64_t *now)
{
    struct cdr_itnio_options opts;
    cdr_itnio_options_default(&opts);
    opts.base_url = base_url;
    opts.api_key = DEMO_KEY;
    opts.api_secret = secret;
    opts.clock = fixed_clock;
    opts.clock_user = (void *)now;
    struct cdr_error_info err;
    struct cdr_itnio_client *c = cdr_itnio_client_new(&opts, &err);
    if (!c)
        fail_msg("cdr_itnio_client_new: %s", err.message);
    return c;
}

struct collected {
    struct test_ids ids;
    int64_t from, to;
    size_t outside_range;
    size_t window_count;
    size_t last_window;
    int64_t records_seen;
    size_t progress_calls;
    int64_t seed_start; /* start_time of the seed page's record 50180345, if delivered */
};

static int on_record(void *user, const struct cdr_record *rec)
{
    struct collected *c = user;
    test_ids_add(&c->ids, rec->id);
    if (rec->start_time < c->from || rec->start_time > c->to)
        c->outside_range++;
    if (strcmp(rec->id, "50180345") == 0)
        c->seed_start = rec->start_time;
    return 0;
}

static void on_progress(void *user, const struct cdr_itnio_progress *p)
{
    struct collected *c = user;
    c->window_count = p->window_count;
    c->last_window = p->window;
    c->records_seen = p->records_seen;
    c->progress_calls++;
}

static void fetch(const char *base_url, const int64_t *now, int64_t from, int64_t to,
                  int64_t page_size, struct collected *out)
{
    memset(out, 0, sizeof(*out));
    out->from = from;
    out->to = to;
    out->seed_start = CDR_TIME_NONE;
    struct cdr_itnio_client *c = new_client(base_url, DEMO_SECRET, now);
    struct cdr_itnio_filter f = {.start_time = from, .end_time = to};
    struct cdr_error_info err = {0};
    cdr_error rc = cdr_itnio_fetch_all(c, &f, page_size, on_record, on_progress, out, &err);
    cdr_itnio_client_free(c);
    if (rc != CDR_OK)
        fail_msg("fetch_all: %s: %s (vendor code %s)", cdr_error_name(rc), err.message,
                 err.vendor_code);
}

/* ---- plain HTTP, for what the client library would hide ------------------------------------- */

/* The seed page's example request, as fixtures/itnio/examples/record_query_request.json
 * records it: header lines and the compact body. */
struct seed_example {
    char *headers[8];
    char *body;
};

static void seed_example_load(struct seed_example *ex)
{
    memset(ex, 0, sizeof(*ex));
    cJSON *file = test_load_json(FIXTURES_DIR "/itnio/examples/record_query_request.json");
    /* The file must still say what the seed page says, or the golden test checks nothing. */
    assert_string_equal(json_str_at(file, "method"), "POST");
    assert_string_equal(json_str_at(file, "path"), "/v3/cc/record/query");
    assert_string_equal(json_str_at(file, "headers.Content-Type"),
                        "application/json;charset=UTF-8");
    assert_string_equal(json_str_at(file, "headers.Sign"), SEED_SIGN);
    assert_string_equal(json_str_at(file, "headers.Timestamp"), SEED_TIMESTAMP);
    assert_string_equal(json_str_at(file, "headers.Api-Key"), DEMO_KEY);
    assert_string_equal(json_str_at(file, "body.params.startTime"), "2025-01-08 00:00:00");
    assert_string_equal(json_str_at(file, "body.params.endTime"), "2025-01-09 00:00:00");
    assert_int_equal(json_int_at(file, "body.params.voiceGroupId"), 12);
    assert_int_equal(json_int_at(file, "body.current"), 1);
    assert_int_equal(json_int_at(file, "body.size"), 50);
    size_t n = 0;
    const cJSON *h;
    cJSON_ArrayForEach(h, json_at(file, "headers")) {
        assert_true(n < 7 && cJSON_IsString(h));
        ex->headers[n++] = test_format("%s: %s", h->string, h->valuestring);
    }
    assert_int_equal(n, 4);
    ex->body = cJSON_PrintUnformatted(json_at(file, "body"));
    assert_non_null(ex->body);
    cJSON_Delete(file);
}

static void seed_example_free(struct seed_example *ex)
{
    for (size_t i = 0; ex->headers[i]; i++)
        free(ex->headers[i]);
    free(ex->body);
    memset(ex, 0, sizeof(*ex));
}

/* POST /v3/cc/record/query with the seed page's exact headers and the given body (NULL: the
 * seed's own body). */
static struct test_http_reply seed_request(const char *base_url, const char *body)
{
    struct seed_example ex;
    seed_example_load(&ex);
    if (!body)
        body = ex.body;
    char *url = test_format("%s/v3/cc/record/query", base_url);
    struct test_http_reply r =
        test_http("POST", url, (const char *const *)ex.headers, body, strlen(body));
    free(url);
    seed_example_free(&ex);
    return r;
}

/* A request signed with the demo pair at `ts`, as a caller following the vendor's page would. */
static struct test_http_reply signed_request(const char *base_url, int64_t ts, const char *body,
                                             size_t len)
{
    char *sign = cdr_itnio_sign(DEMO_KEY, DEMO_SECRET, ts);
    assert_non_null(sign);
    char *sign_h = test_format("Sign: %s", sign);
    char *ts_h = test_format("Timestamp: %lld", (long long)ts);
    const char *const headers[] = {"Content-Type: application/json;charset=UTF-8", sign_h, ts_h,
                                   "Api-Key: " DEMO_KEY, NULL};
    char *url = test_format("%s/v3/cc/record/query", base_url);
    struct test_http_reply r = test_http("POST", url, headers, body, len);
    free(url);
    free(sign_h);
    free(ts_h);
    free(sign);
    return r;
}

static void assert_vendor_status(const struct test_http_reply *r, int64_t status)
{
    assert_int_equal(r->status, 200);
    if (!r->json)
        fail_msg("not JSON: %s", r->body);
    assert_int_equal(json_int_at(r->json, "status"), status);
}

static void start_mock(struct fixture *fx, size_t slot, const char *const *args)
{
    assert_true(slot < MAX_MOCKS);
    mock_process_start(&fx->mocks[slot], args);
    assert_true(fx->mocks[slot].port > 0);
    assert_non_null(strstr(fx->mocks[slot].base_url, "http://127.0.0.1:"));
}

static void stop_mock(struct fixture *fx, size_t slot)
{
    assert_int_equal(mock_process_stop(&fx->mocks[slot]), 0);
}

/* ---- tests ------------------------------------------------------------------------------------
 */

static void fetch_150_days_returns_exactly_the_dataset_range(void **state)
{
    struct fixture *fx = *state;
    start_mock(fx, 0, (const char *const[]){"--clock", MOCK_CLOCK, NULL});
    int64_t now = mock_clock_epoch();
    int64_t from = china_time(2024, 11, 15, 0, 0, 0), to = from + 150 * DAY;

    cJSON *records = test_load_json(FIXTURES_DIR "/itnio/records.json");
    struct test_ids want = dataset_ids(records, from, to);
    /* One progress report per page: each window is paged on its own. */
    struct test_ids first = dataset_ids(records, from, from + WINDOW);
    struct test_ids second = dataset_ids(records, from + WINDOW, to);
    size_t pages = (first.count + 49) / 50 + (second.count + 49) / 50;
    test_ids_free(&first);
    test_ids_free(&second);
    cJSON_Delete(records);
    assert_true(want.count > 100); /* a range that actually exercises paging */

    struct collected got;
    fetch(fx->mocks[0].base_url, &now, from, to, 50, &got);
    assert_int_equal(got.outside_range, 0);
    assert_int_equal(got.window_count, 2); /* 150 days = 93 + 57 */
    assert_int_equal(got.last_window, 2);
    assert_int_equal(got.records_seen, (int64_t)want.count);
    assert_int_equal(got.progress_calls, pages);
    assert_same_ids(&got.ids, &want);
    /* The seed's own record is in the range; its UTC+8 wall time comes back as the UTC instant. */
    assert_int_equal(got.seed_start, china_time(2025, 1, 3, 16, 10, 39));

    test_ids_free(&got.ids);
    test_ids_free(&want);
    stop_mock(fx, 0);
}

static void fetch_a_whole_year_splits_into_windows(void **state)
{
    struct fixture *fx = *state;
    start_mock(fx, 0, (const char *const[]){"--clock", MOCK_CLOCK, NULL});
    int64_t now = mock_clock_epoch();
    int64_t from = china_time(2024, 5, 1, 0, 0, 0), to = china_time(2025, 5, 1, 0, 0, 0);

    cJSON *records = test_load_json(FIXTURES_DIR "/itnio/records.json");
    struct test_ids want = dataset_ids(records, from, to);
    assert_int_equal(want.count, (size_t)cJSON_GetArraySize(records)); /* all of it */
    cJSON_Delete(records);

    struct collected got;
    fetch(fx->mocks[0].base_url, &now, from, to, 100, &got);
    assert_int_equal(got.window_count, 4); /* 365 days = 93 + 93 + 93 + 86 */
    assert_int_equal(got.last_window, 4);
    assert_int_equal(got.outside_range, 0);
    assert_same_ids(&got.ids, &want);

    test_ids_free(&got.ids);
    test_ids_free(&want);
    stop_mock(fx, 0);
}

/* A fixtures root whose records sit on and around the client's window boundaries. */
static void write_edge_fixtures(struct fixture *fx, const int64_t *starts, size_t n)
{
    snprintf(fx->tmpdir, sizeof(fx->tmpdir), "/tmp/cdrsim-edges-XXXXXX");
    assert_non_null(mkdtemp(fx->tmpdir));
    char *sub = test_format("%s/itnio", fx->tmpdir);
    assert_int_equal(mkdir(sub, 0700), 0);
    static const char *const copies[] = {"credentials.json", "groups.json", "seats.json"};
    for (size_t i = 0; i < 3; i++) {
        size_t len;
        char *src = test_format("%s/itnio/%s", FIXTURES_DIR, copies[i]);
        char *text = test_read_file(src, &len);
        char *dst = test_format("%s/%s", sub, copies[i]);
        FILE *f = fopen(dst, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(text, 1, len, f), len);
        assert_int_equal(fclose(f), 0);
        free(src);
        free(text);
        free(dst);
    }
    cJSON *example = test_load_json(FIXTURES_DIR "/itnio/examples/record_query_response.json");
    const cJSON *seed = json_at(example, "data.records.0");
    assert_non_null(seed);
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        cJSON *r = cJSON_Duplicate(seed, 1);
        char when[20];
        wall_time(starts[i], when);
        cJSON_ReplaceItemInObjectCaseSensitive(r, "keyId", cJSON_CreateNumber((double)(i + 1)));
        cJSON_ReplaceItemInObjectCaseSensitive(r, "callStartTime", cJSON_CreateString(when));
        cJSON_AddItemToArray(list, r);
    }
    char *text = cJSON_Print(list);
    char *dst = test_format("%s/records.json", sub);
    FILE *f = fopen(dst, "wb");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
    free(dst);
    free(text);
    cJSON_Delete(list);
    cJSON_Delete(example);
    free(sub);
}

static void check_edges(struct fixture *fx, const char *variant)
{
    int64_t s = china_time(2024, 6, 1, 0, 0, 0), e = s + 200 * DAY;
    /* The client's windows are [s, s+93d], [s+93d, s+186d], [s+186d, e+1]: it asks for one second
     * more and drops it, so a record exactly on e comes back whether the server's end is
     * inclusive or exclusive, and one on e+1 never does. */
    const int64_t starts[] = {
        s - 1,
        s,
        s + 1,
        s + WINDOW - 1,
        s + WINDOW,
        s + WINDOW + 1,
        s + 2 * WINDOW - 1,
        s + 2 * WINDOW,
        s + 2 * WINDOW + 1,
        e - 1,
        e,
        e + 1,
    };
    size_t n = sizeof(starts) / sizeof(starts[0]);
    if (!fx->tmpdir[0])
        write_edge_fixtures(fx, starts, n);
    const char *args[] = {"--clock", MOCK_CLOCK, "--data", fx->tmpdir, NULL, NULL, NULL};
    if (variant) {
        args[4] = "--variant";
        args[5] = variant;
    }
    start_mock(fx, 0, args);
    int64_t now = mock_clock_epoch();

    struct test_ids want = {0};
    for (size_t i = 0; i < n; i++) {
        if (starts[i] < s || starts[i] > e)
            continue;
        char id[16];
        snprintf(id, sizeof(id), "%zu", i + 1);
        test_ids_add(&want, id);
    }
    assert_int_equal(want.count, 10);

    for (int64_t page_size = 1; page_size <= 100; page_size += 99) {
        struct collected got;
        fetch(fx->mocks[0].base_url, &now, s, e, page_size, &got);
        assert_int_equal(got.window_count, 3);
        assert_int_equal(got.outside_range, 0);
        assert_same_ids(&got.ids, &want);
        test_ids_free(&got.ids);
    }
    test_ids_free(&want);
    stop_mock(fx, 0);
}

static void window_edges_once_each_inclusive_end(void **state)
{
    check_edges(*state, NULL);
}

static void window_edges_once_each_exclusive_end(void **state)
{
    check_edges(*state, "itnio.range_end=exclusive");
}

/* Records of the dataset on 2025-01-08 (UTC+8) in group 12: the seed request's answer. */
static int64_t seed_request_expected_total(void)
{
    cJSON *records = test_load_json(FIXTURES_DIR "/itnio/records.json");
    int64_t n = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, records) {
        const char *t = json_str_at(r, "callStartTime");
        const cJSON *g = json_at(r, "voiceGroupId");
        if (strcmp(t, "2025-01-08 00:00:00") >= 0 && strcmp(t, "2025-01-09 00:00:00") <= 0 &&
            cJSON_IsNumber(g) && g->valuedouble == 12)
            n++;
    }
    cJSON_Delete(records);
    return n;
}

static void golden_seed_request(void **state)
{
    struct fixture *fx = *state;
    start_mock(fx, 0, (const char *const[]){"--clock", SEED_CLOCK, NULL});
    start_mock(fx, 1, NULL);

    struct test_http_reply r = seed_request(fx->mocks[0].base_url, NULL);
    assert_vendor_status(&r, 0);
    assert_string_equal(json_str_at(r.json, "reason"), "success");
    assert_int_equal(json_int_at(r.json, "data.total"), seed_request_expected_total());
    assert_int_equal(json_int_at(r.json, "data.size"), 50);
    assert_int_equal(json_int_at(r.json, "data.current"), 1);
    assert_true(cJSON_IsArray(json_at(r.json, "data.records")));
    test_http_reply_free(&r);

    r = seed_request(fx->mocks[1].base_url, NULL);
    assert_vendor_status(&r, -16);
    assert_true(cJSON_IsNull(json_at(r.json, "data")));
    test_http_reply_free(&r);

    stop_mock(fx, 1);
    stop_mock(fx, 0);
}

static void query_page_expect(struct cdr_itnio_client *c, cdr_error code, const char *vendor_code)
{
    struct cdr_itnio_filter f = {.start_time = china_time(2025, 1, 1, 0, 0, 0),
                                 .end_time = china_time(2025, 2, 1, 0, 0, 0)};
    struct cdr_itnio_page page;
    struct cdr_error_info err = {0};
    cdr_error rc = cdr_itnio_query_page(c, &f, 1, 10, &page, &err);
    assert_int_equal(rc, code);
    assert_int_equal(err.code, code);
    assert_string_equal(err.vendor_code, vendor_code);
    assert_int_equal(err.http_status, 200);
    assert_int_equal(page.record_count, 0);
    assert_null(page.records);
}

/* One page of January 2025 parses and agrees with the dataset. */
static void query_page_ok(struct cdr_itnio_client *c)
{
    int64_t from = china_time(2025, 1, 1, 0, 0, 0), to = china_time(2025, 2, 1, 0, 0, 0);
    cJSON *records = test_load_json(FIXTURES_DIR "/itnio/records.json");
    struct test_ids want = dataset_ids(records, from, to);
    cJSON_Delete(records);
    assert_true(want.count > 10);

    struct cdr_itnio_filter f = {.start_time = from, .end_time = to};
    struct cdr_itnio_page page;
    struct cdr_error_info err = {0};
    cdr_error rc = cdr_itnio_query_page(c, &f, 1, 10, &page, &err);
    if (rc != CDR_OK)
        fail_msg("query_page: %s: %s", cdr_error_name(rc), err.message);
    assert_int_equal(page.total, (int64_t)want.count);
    assert_int_equal(page.size, 10);
    assert_int_equal(page.current, 1);
    assert_int_equal(page.pages, ((int64_t)want.count + 9) / 10);
    assert_int_equal(page.record_count, 10);
    for (size_t i = 0; i < page.record_count; i++) {
        assert_string_equal(page.records[i].vendor, "itnio");
        assert_true(page.records[i].start_time >= from && page.records[i].start_time <= to);
    }
    cdr_itnio_page_free(&page);
    test_ids_free(&want);
}

static void check_error_mapping(const char *base_url)
{
    int64_t now = mock_clock_epoch();
    int64_t early = now - 7200, late = now + 7200;

    struct cdr_itnio_client *good = new_client(base_url, DEMO_SECRET, &now);
    query_page_ok(good);
    cdr_itnio_client_free(good);

    struct cdr_itnio_client *wrong = new_client(base_url, "not-the-secret", &now);
    query_page_expect(wrong, CDR_ERR_AUTH, "-1");
    cdr_itnio_client_free(wrong);

    struct cdr_itnio_client *slow = new_client(base_url, DEMO_SECRET, &early);
    query_page_expect(slow, CDR_ERR_TIMESTAMP, "-16");
    cdr_itnio_client_free(slow);

    struct cdr_itnio_client *fast = new_client(base_url, DEMO_SECRET, &late);
    query_page_expect(fast, CDR_ERR_TIMESTAMP, "-16");
    cdr_itnio_client_free(fast);

    /* Without its local checks the client lets the server judge: the server's own -76 and -22. */
    struct cdr_itnio_options opts;
    cdr_itnio_options_default(&opts);
    opts.base_url = base_url;
    opts.api_key = DEMO_KEY;
    opts.api_secret = DEMO_SECRET;
    opts.clock = fixed_clock;
    opts.clock_user = &now;
    opts.unchecked = true;
    struct cdr_itnio_client *raw = cdr_itnio_client_new(&opts, NULL);
    assert_non_null(raw);
    struct cdr_itnio_filter f = {.start_time = china_time(2025, 1, 1, 0, 0, 0),
                                 .end_time = china_time(2025, 1, 1, 0, 0, 0) + 93 * DAY + 1};
    struct cdr_itnio_page page;
    struct cdr_error_info err;
    assert_int_equal(cdr_itnio_query_page(raw, &f, 1, 10, &page, &err), CDR_ERR_RANGE_TOO_LARGE);
    assert_string_equal(err.vendor_code, "-76");
    assert_string_equal(err.message, "The search time interval cannot be greater than 93 days!");
    f.end_time = f.start_time + DAY;
    assert_int_equal(cdr_itnio_query_page(raw, &f, 1, 101, &page, &err), CDR_ERR_PARAMETER);
    assert_string_equal(err.vendor_code, "-22");
    cdr_itnio_client_free(raw);
}

static struct test_http_reply admin(const char *base_url, const char *method, const char *what,
                                    const char *body)
{
    static const char *const json_h[] = {"Content-Type: application/json", NULL};
    char *url = test_format("%s/__cdrsim/%s", base_url, what);
    struct test_http_reply r = test_http(method, url, json_h, body, body ? strlen(body) : 0);
    free(url);
    return r;
}

static void errors_map_end_to_end(void **state)
{
    struct fixture *fx = *state;
    start_mock(fx, 0, (const char *const[]){"--clock", MOCK_CLOCK, NULL});
    const char *url = fx->mocks[0].base_url;
    check_error_mapping(url);

    /* The window is 1800 s each way: 10 s inside passes, 30 s outside fails. The margins absorb
     * the mock's clock running on while the test works. */
    struct test_http_reply r = admin(url, "GET", "clock", NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(r.json);
    int64_t now = json_int_at(r.json, "epoch_ms") / 1000;
    test_http_reply_free(&r);
    static const char body[] = "{\"current\":1,\"size\":1,\"params\":{\"startTime\":\"2025-01-01 "
                               "00:00:00\",\"endTime\":\"2025-01-02 00:00:00\"}}";
    const struct {
        int64_t skew;
        int64_t status;
    } cases[] = {{-1790, 0}, {1790, 0}, {-1830, -16}, {1830, -16}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        r = signed_request(url, now + cases[i].skew, body, strlen(body));
        assert_vendor_status(&r, cases[i].status);
        test_http_reply_free(&r);
    }
    stop_mock(fx, 0);
}

static void errors_map_with_string_status(void **state)
{
    struct fixture *fx = *state;
    start_mock(fx, 0,
               (const char *const[]){"--clock", MOCK_CLOCK, "--variant", "itnio.status_type=string",
                                     NULL});
    /* The variant must really be on the wire, or this test proves nothing. */
    struct test_http_reply r = seed_request(fx->mocks[0].base_url, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(r.json);
    assert_true(cJSON_IsString(json_at(r.json, "status")));
    assert_string_equal(json_str_at(r.json, "status"), "-16");
    test_http_reply_free(&r);

    check_error_mapping(fx->mocks[0].base_url);
    stop_mock(fx, 0);
}

/* A valid record query padded with an ignored string member up to `total` bytes. */
static char *padded_body(size_t total)
{
    static const char head[] = "{\"current\":1,\"size\":5,\"params\":{\"startTime\":\"2025-01-01 "
                               "00:00:00\",\"endTime\":\"2025-02-01 00:00:00\",\"pad\":\"";
    static const char tail[] = "\"}}";
    size_t fixed = sizeof(head) - 1 + sizeof(tail) - 1;
    assert_true(total > fixed);
    char *body = malloc(total + 1);
    assert_non_null(body);
    memcpy(body, head, sizeof(head) - 1);
    memset(body + sizeof(head) - 1, 'x', total - fixed);
    memcpy(body + total - (sizeof(tail) - 1), tail, sizeof(tail));
    return body;
}

static void oversized_body_is_a_parameter_error(void **state)
{
    struct fixture *fx = *state;
    start_mock(fx, 0, (const char *const[]){"--clock", MOCK_CLOCK, NULL});
    const char *url = fx->mocks[0].base_url;
    int64_t now = mock_clock_epoch();

    char *big = padded_body(2 * 1024 * 1024);
    struct test_http_reply r = signed_request(url, now, big, strlen(big));
    assert_vendor_status(&r, -22);
    assert_true(cJSON_IsNull(json_at(r.json, "data")));
    test_http_reply_free(&r);
    free(big);

    /* Just under the limit the same padding is accepted: it is the size that was refused. */
    char *fits = padded_body(1024 * 1024 - 64);
    r = signed_request(url, now, fits, strlen(fits));
    assert_vendor_status(&r, 0);
    assert_int_equal(json_int_at(r.json, "data.size"), 5);
    test_http_reply_free(&r);
    free(fits);

    char *health_url = test_format("%s/__cdrsim/health", url);
    r = test_http("GET", health_url, NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    test_http_reply_free(&r);
    free(health_url);
    stop_mock(fx, 0);
}

static unsigned unused_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    socklen_t len = sizeof(a);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd); /* nothing listens there now */
    return ntohs(a.sin_port);
}

static void unreachable_server_is_a_transport_error(void **state)
{
    (void)state;
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%u", unused_port());
    struct cdr_itnio_options opts;
    cdr_itnio_options_default(&opts);
    opts.base_url = url;
    opts.api_key = DEMO_KEY;
    opts.api_secret = DEMO_SECRET;
    opts.http.connect_timeout_ms = 1000;
    opts.http.timeout_ms = 1000;
    opts.http.max_retries = 1;
    opts.http.retry_backoff_ms = 10;
    struct cdr_error_info err = {0};
    struct cdr_itnio_client *c = cdr_itnio_client_new(&opts, &err);
    assert_non_null(c);
    struct cdr_itnio_filter f = {.start_time = china_time(2025, 1, 1, 0, 0, 0),
                                 .end_time = china_time(2025, 1, 2, 0, 0, 0)};
    struct cdr_itnio_page page;
    time_t before = time(NULL);
    cdr_error rc = cdr_itnio_query_page(c, &f, 1, 10, &page, &err);
    assert_int_equal(rc, CDR_ERR_TRANSPORT);
    assert_int_equal(err.code, CDR_ERR_TRANSPORT);
    assert_int_equal(err.http_status, 0);
    assert_string_equal(err.vendor_code, "");
    assert_true(time(NULL) - before <= 5);
    cdr_itnio_client_free(c);
}

static void admin_endpoints_over_http(void **state)
{
    struct fixture *fx = *state;
    start_mock(fx, 0, (const char *const[]){"--clock", MOCK_CLOCK, NULL});
    const char *url = fx->mocks[0].base_url;

    struct test_http_reply r = admin(url, "GET", "health", NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(r.json);
    assert_string_equal(json_str_at(r.json, "status"), "ok");
    test_http_reply_free(&r);

    r = admin(url, "PUT", "clock", "{\"now\":\"" SEED_CLOCK "\"}");
    assert_int_equal(r.status, 200);
    assert_non_null(r.json);
    assert_int_equal(strncmp(json_str_at(r.json, "now"), "2021-09-01T04:00:0", 18), 0);
    test_http_reply_free(&r);
    r = seed_request(url, NULL);
    assert_vendor_status(&r, 0);
    test_http_reply_free(&r);

    r = admin(url, "PUT", "clock", "{\"advance_seconds\":3600}");
    assert_int_equal(r.status, 200);
    assert_non_null(r.json);
    assert_int_equal(strncmp(json_str_at(r.json, "now"), "2021-09-01T05:00:0", 18), 0);
    test_http_reply_free(&r);
    r = seed_request(url, NULL);
    assert_vendor_status(&r, -16);
    test_http_reply_free(&r);

    r = admin(url, "PUT", "clock", "{\"now\":\"yesterday\"}");
    assert_int_equal(r.status, 400);
    test_http_reply_free(&r);

    r = admin(url, "POST", "reset", "");
    assert_int_equal(r.status, 200);
    test_http_reply_free(&r);

    /* After the reset the records are served again, counted against the file. */
    r = admin(url, "PUT", "clock", "{\"now\":\"" SEED_CLOCK "\"}");
    assert_int_equal(r.status, 200);
    test_http_reply_free(&r);
    cJSON *records = test_load_json(FIXTURES_DIR "/itnio/records.json");
    struct test_ids want =
        dataset_ids(records, china_time(2025, 1, 1, 0, 0, 0), china_time(2025, 2, 1, 0, 0, 0));
    cJSON_Delete(records);
    r = seed_request(url, "{\"current\":1,\"size\":5,\"params\":{\"startTime\":\"2025-01-01 "
                          "00:00:00\",\"endTime\":\"2025-02-01 00:00:00\"}}");
    assert_vendor_status(&r, 0);
    assert_true(want.count > 0);
    assert_int_equal(json_int_at(r.json, "data.total"), (int64_t)want.count);
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "data.records")), 5);
    test_http_reply_free(&r);
    test_ids_free(&want);
    stop_mock(fx, 0);
}

static void generated_dataset_is_deterministic(void **state)
{
    struct fixture *fx = *state;
    const char *const same[] = {"--generate", "itnio=300", "--seed", "42",
                                "--clock",    MOCK_CLOCK,  NULL};
    const char *const other[] = {"--generate", "itnio=300", "--seed", "43",
                                 "--clock",    MOCK_CLOCK,  NULL};
    start_mock(fx, 0, same);
    start_mock(fx, 1, same);
    start_mock(fx, 2, other);
    int64_t now = mock_clock_epoch();
    char lo[20], hi[20];
    wall_time(now - 93 * DAY, lo);
    wall_time(now, hi);
    char *body = test_format("{\"current\":1,\"size\":100,\"params\":{\"startTime\":\"%s\","
                             "\"endTime\":\"%s\"}}",
                             lo, hi);

    struct test_http_reply a = signed_request(fx->mocks[0].base_url, now, body, strlen(body));
    struct test_http_reply b = signed_request(fx->mocks[1].base_url, now, body, strlen(body));
    struct test_http_reply c = signed_request(fx->mocks[2].base_url, now, body, strlen(body));
    assert_vendor_status(&a, 0);
    assert_vendor_status(&b, 0);
    assert_vendor_status(&c, 0);
    int64_t total = json_int_at(a.json, "data.total");
    assert_true(total > 0 && total < 300);
    assert_int_equal(cJSON_GetArraySize(json_at(a.json, "data.records")),
                     total < 100 ? total : 100);
    assert_int_equal(a.len, b.len);
    assert_string_equal(a.body, b.body);
    assert_string_not_equal(a.body, c.body);
    test_http_reply_free(&a);
    test_http_reply_free(&b);
    test_http_reply_free(&c);
    free(body);

    /* The whole generated year, and nothing else. */
    struct collected got;
    fetch(fx->mocks[0].base_url, &now, now - 365 * DAY, now, 100, &got);
    assert_int_equal(got.ids.count, 300);
    assert_int_equal(got.window_count, 4);
    assert_int_equal(got.outside_range, 0);
    test_ids_sort(&got.ids);
    for (size_t i = 1; i < got.ids.count; i++)
        assert_string_not_equal(got.ids.items[i - 1], got.ids.items[i]);
    test_ids_free(&got.ids);

    stop_mock(fx, 2);
    stop_mock(fx, 1);
    stop_mock(fx, 0);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
    return cdr_buf_append(user, data, size * nmemb) ? size * nmemb : 0;
}

static void sigterm_with_an_idle_connection_exits_zero(void **state)
{
    struct fixture *fx = *state;
    start_mock(fx, 0, (const char *const[]){"--clock", MOCK_CLOCK, NULL});
    /* Keep a connection open, as a client with keep-alive does, while the mock is stopped. */
    CURL *curl = curl_easy_init();
    assert_non_null(curl);
    char *url = test_format("%s/__cdrsim/health", fx->mocks[0].base_url);
    struct cdr_buf b;
    cdr_buf_init(&b);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
    assert_int_equal(curl_easy_perform(curl), CURLE_OK);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    assert_int_equal(status, 200);

    time_t before = time(NULL);
    stop_mock(fx, 0);
    assert_true(time(NULL) - before <= 5);
    curl_easy_cleanup(curl);
    cdr_buf_free(&b);
    free(url);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(fetch_150_days_returns_exactly_the_dataset_range, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(fetch_a_whole_year_splits_into_windows, setup, teardown),
        cmocka_unit_test_setup_teardown(window_edges_once_each_inclusive_end, setup, teardown),
        cmocka_unit_test_setup_teardown(window_edges_once_each_exclusive_end, setup, teardown),
        cmocka_unit_test_setup_teardown(golden_seed_request, setup, teardown),
        cmocka_unit_test_setup_teardown(errors_map_end_to_end, setup, teardown),
        cmocka_unit_test_setup_teardown(errors_map_with_string_status, setup, teardown),
        cmocka_unit_test_setup_teardown(oversized_body_is_a_parameter_error, setup, teardown),
        cmocka_unit_test_setup_teardown(unreachable_server_is_a_transport_error, setup, teardown),
        cmocka_unit_test_setup_teardown(admin_endpoints_over_http, setup, teardown),
        cmocka_unit_test_setup_teardown(generated_dataset_is_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(sigterm_with_an_idle_connection_exits_zero, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
