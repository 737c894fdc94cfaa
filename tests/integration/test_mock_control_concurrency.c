/* The control plane of the real cdrsim-mock while vendors are queried: for a few seconds query
 * threads ask ITNIO and Alibaba for a window only run-time records fill, while other threads clear
 * and add those records, switch variants back and forth, read, count and clear the request
 * journal and reset the mock. Every answer must be well formed, no connection may drop, a query
 * sees all of a batch of records or none of it, and afterwards the mock answers as at the start.
 * Under ThreadSanitizer (scripts/test.sh --tsan) this is where records added behind a vendor's
 * gate, worlds swapped by a variant change and the journal's ring meet the requests.
 *
 * Worker threads never call cmocka: each keeps its own counts and first failure, and the main
 * thread asserts on them after joining. */
#include <setjmp.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "cdrsim/itnio.h"
#include "testutil.h"
#include "workers.h"

#define CLOCK "2025-05-01T00:00:00Z"
#define CLOCK_S 1746057600LL
#define SIGNED_AT (CLOCK_S + 5)
#define LOAD_SECONDS 3
#define MAX_LOAD_SECONDS 60
#define MIN_CHANGES 3 /* rounds of records and of variants, whatever the machine's speed */
#define QUERY_WORKERS 2
#define ITNIO_KEY "bDqJFiq9"
#define ITNIO_SECRET "7bz1lzh9"
/* A window no fixture record is in: only the records the data worker adds. */
#define ITNIO_QUERY                                                                                \
    "{\"current\":1,\"size\":10,\"params\":{\"startTime\":\"2030-01-01 00:00:00\","                \
    "\"endTime\":\"2030-03-01 00:00:00\"}}"
#define ITNIO_BATCH 3
#define QUERY_TIMEOUT_S (TEST_UNDER_TSAN ? 60L : 10L)
#define CONTROL_TIMEOUT_S 120L

struct load {
    const char *base;
    unsigned port;
    char *itnio_batch; /* the records the data worker adds, as JSON */
    char *aliyun_batch;
    int64_t end_us, cap_us;
    atomic_uint record_rounds;
    atomic_uint variant_rounds;
};

struct worker {
    struct test_worker t; /* first: the steps get the worker back from it */
    struct load *load;
    unsigned saw_empty, saw_batch; /* ITNIO queries that saw none or all of the batch */
};

/* One exchange that must answer status with a JSON body; false (recorded) otherwise. The reply
 * is kept in *r for the caller (freed by it) when true. */
static bool exchange(struct worker *w, const char *method, const char *path,
                     const char *const *headers, const char *body, long status,
                     struct test_http_reply *r)
{
    static const char *const json_type[] = {"Content-Type: application/json", NULL};
    char url[1024], error[512];
    snprintf(url, sizeof(url), "%s%s", w->load->base, path);
    w->t.exchanges++;
    /* The control plane's changes queue behind each other, and some reload datasets. */
    long timeout_s = strncmp(path, "/__cdrsim/", 10) == 0 ? CONTROL_TIMEOUT_S : QUERY_TIMEOUT_S;
    if (!test_http_try_within(method, url, headers ? headers : json_type, body,
                              body ? strlen(body) : 0, timeout_s, r, error, sizeof(error))) {
        test_worker_failed(&w->t, NULL, "%s %s: no answer: %s", method, path, error);
        return false;
    }
    if (r->status != status || !r->json) {
        test_worker_failed(&w->t, r, "%s %s: expected HTTP %ld with JSON", method, path, status);
        test_http_reply_free(r);
        return false;
    }
    return true;
}

/* An exchange whose reply only needs checking for status. */
static void expect(struct worker *w, const char *method, const char *path, const char *body,
                   long status)
{
    struct test_http_reply r;
    if (exchange(w, method, path, NULL, body, status, &r))
        test_http_reply_free(&r);
}

/* ---- the queries ----------------------------------------------------------------------------- */

static void itnio_query(struct worker *w)
{
    char *sign = cdr_itnio_sign(ITNIO_KEY, ITNIO_SECRET, SIGNED_AT);
    char sign_h[64], ts_h[64];
    snprintf(sign_h, sizeof(sign_h), "Sign: %s", sign ? sign : "");
    snprintf(ts_h, sizeof(ts_h), "Timestamp: %lld", SIGNED_AT);
    free(sign);
    const char *const headers[] = {"Content-Type: application/json;charset=UTF-8", sign_h, ts_h,
                                   "Api-Key: " ITNIO_KEY, NULL};
    struct test_http_reply r;
    if (!exchange(w, "POST", "/v3/cc/record/query", headers, ITNIO_QUERY, 200, &r))
        return;
    /* The status is a number or, while the variant is switched, a string. */
    const cJSON *status = json_at(r.json, "status"), *total = json_at(r.json, "data.total");
    bool ok_status = (cJSON_IsNumber(status) && status->valuedouble == 0) ||
                     (cJSON_IsString(status) && strcmp(status->valuestring, "0") == 0);
    if (!ok_status || !cJSON_IsNumber(total))
        test_worker_failed(&w->t, &r, "ITNIO query: not a success answer");
    else if (total->valuedouble == 0)
        w->saw_empty++;
    else if (total->valuedouble == ITNIO_BATCH &&
             cJSON_GetArraySize(json_at(r.json, "data.records")) == ITNIO_BATCH)
        w->saw_batch++;
    else
        test_worker_failed(&w->t, &r,
                           "ITNIO query: %g records, expected none or the whole batch of %d",
                           total->valuedouble, ITNIO_BATCH);
    test_http_reply_free(&r);
}

static void aliyun_query(struct worker *w)
{
    char host[64];
    snprintf(host, sizeof(host), "host: 127.0.0.1:%u", w->load->port);
    struct aliyun_built b;
    aliyun_build(&(struct aliyun_request){.now = SIGNED_AT,
                                          .params = (const char *const[]){"PageSize=5", NULL},
                                          .headers = (const char *const[]){host, NULL}},
                 &b);
    struct test_http_reply r;
    if (exchange(w, "GET", b.path, (const char *const *)b.headers, NULL, 200, &r)) {
        if (!cJSON_IsNumber(json_at(r.json, "Data.TotalCount")))
            test_worker_failed(&w->t, &r, "Alibaba query: no TotalCount");
        test_http_reply_free(&r);
    }
    aliyun_built_free(&b);
}

static void query_step(struct test_worker *t, unsigned i)
{
    struct worker *w = (struct worker *)t;
    if (i % 3 == 2)
        aliyun_query(w);
    else
        itnio_query(w);
}

/* ---- the control plane ----------------------------------------------------------------------- */

static void records_step(struct test_worker *t, unsigned i)
{
    struct worker *w = (struct worker *)t;
    if (i % 2 == 0) {
        expect(w, "DELETE", "/__cdrsim/itnio/records", NULL, 200);
        expect(w, "DELETE", "/__cdrsim/aliyun/records", NULL, 200);
        return;
    }
    expect(w, "POST", "/__cdrsim/itnio/records", w->load->itnio_batch, 201);
    expect(w, "POST", "/__cdrsim/aliyun/records", w->load->aliyun_batch, 201);
    expect(w, "GET", "/__cdrsim/itnio/records/count", NULL, 200);
    atomic_fetch_add(&w->load->record_rounds, 1);
}

static void variants_step(struct test_worker *t, unsigned i)
{
    struct worker *w = (struct worker *)t;
    static const char *const bodies[] = {
        "{\"itnio.status_type\":\"string\",\"aliyun.order\":\"oldest\"}",
        "{\"itnio.status_type\":null,\"aliyun.order\":\"newest\"}",
        "{\"itnio.drift\":\"add:cdrsim_load=1\"}",
        "{\"itnio.drift\":null}",
    };
    if (i % 5 == 4) {
        expect(w, "GET", "/__cdrsim/variants", NULL, 200);
        return;
    }
    expect(w, "PUT", "/__cdrsim/variants", bodies[i % 5], 200);
    atomic_fetch_add(&w->load->variant_rounds, 1);
}

static void journal_step(struct test_worker *t, unsigned i)
{
    struct worker *w = (struct worker *)t;
    switch (i % 4) {
    case 0:
        expect(w, "GET", "/__cdrsim/requests?limit=20&vendor=itnio", NULL, 200);
        break;
    case 1:
        expect(w, "POST", "/__cdrsim/requests/count", "{\"auth_ok\":true}", 200);
        break;
    case 2:
        expect(w, "GET", "/__cdrsim/requests?path=/v3/*&limit=5", NULL, 200);
        break;
    default:
        if (i % 16 == 3)
            expect(w, "DELETE", "/__cdrsim/requests", NULL, 200);
        break;
    }
}

static void reset_step(struct test_worker *t, unsigned i)
{
    struct worker *w = (struct worker *)t;
    (void)i;
    expect(w, "POST", "/__cdrsim/reset", NULL, 200);
}

/* ---- running it ------------------------------------------------------------------------------ */

static bool load_goes_on(void *arg)
{
    struct load *load = arg;
    int64_t now = test_monotonic_us();
    return now < load->cap_us &&
           (now < load->end_us || atomic_load(&load->record_rounds) < MIN_CHANGES ||
            atomic_load(&load->variant_rounds) < MIN_CHANGES);
}

/* n fixture records of the vendor moved into 2030 (new ids, new start times), as one JSON array. */
static char *batch(const char *vendor, const char *id_key, const char *time_key, bool numeric_id,
                   size_t n)
{
    char *path = test_format("%s/%s/records.json", FIXTURES_DIR, vendor);
    cJSON *fixtures = test_load_json(path);
    free(path);
    cJSON *out = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        cJSON *r = cJSON_Duplicate(cJSON_GetArrayItem(fixtures, (int)i), true);
        char id[32], when[32];
        snprintf(id, sizeof(id), "load-%zu", i);
        snprintf(when, sizeof(when), "2030-01-%02zu 10:00:00", i + 10);
        cJSON_ReplaceItemInObjectCaseSensitive(
            r, id_key, numeric_id ? cJSON_CreateNumber(970000000.0 + i) : cJSON_CreateString(id));
        cJSON_ReplaceItemInObjectCaseSensitive(r, time_key, cJSON_CreateString(when));
        cJSON_AddItemToArray(out, r);
    }
    char *text = cJSON_PrintUnformatted(out);
    cJSON_Delete(out);
    cJSON_Delete(fixtures);
    return text;
}

static void control_plane_under_load(void **state)
{
    struct mock_process *mock = *state;
    mock_process_start(mock, (const char *const[]){"--clock", CLOCK, NULL});
    struct load load = {.base = mock->base_url, .port = mock->port};
    load.itnio_batch = batch("itnio", "keyId", "callStartTime", true, ITNIO_BATCH);
    load.aliyun_batch = batch("aliyun", "Id", "CreateTime", false, 2);

    struct worker before = {.t.name = "before the load", .load = &load};
    itnio_query(&before);
    test_worker_expect_clean(&before.t);
    assert_int_equal(before.saw_empty, 1);

    struct worker workers[QUERY_WORKERS + 4];
    memset(workers, 0, sizeof(workers));
    size_t n = 0;
    for (size_t i = 0; i < QUERY_WORKERS; i++) {
        snprintf(workers[n].t.name, sizeof(workers[n].t.name), "queries %zu", i + 1);
        workers[n++].t.step = query_step;
    }
    static const struct {
        const char *name;
        void (*step)(struct test_worker *, unsigned);
        int pause_ms;
    } control[] = {/* A variant change or a reset reloads datasets: seconds under a sanitizer on a
                      busy machine, so they come less often than the rest. */
                   {"records", records_step, 5},
                   {"variants", variants_step, 300},
                   {"journal", journal_step, 5},
                   {"resets", reset_step, 1000}};
    for (size_t i = 0; i < 4; i++) {
        snprintf(workers[n].t.name, sizeof(workers[n].t.name), "%s", control[i].name);
        workers[n].t.pause_ms = control[i].pause_ms;
        workers[n++].t.step = control[i].step;
    }
    int64_t start_us = test_monotonic_us();
    load.end_us = start_us + LOAD_SECONDS * 1000000LL;
    load.cap_us = start_us + MAX_LOAD_SECONDS * 1000000LL;
    for (size_t i = 0; i < n; i++)
        workers[i].load = &load;
    double seconds = test_workers_run(workers, n, sizeof(workers[0]), load_goes_on, &load);
    unsigned exchanges = 0, empty = 0, full = 0;
    for (size_t i = 0; i < n; i++) {
        test_worker_expect_clean(&workers[i].t);
        if (!workers[i].t.exchanges)
            fail_msg("%s: no exchange in %.1f s", workers[i].t.name, seconds);
        exchanges += workers[i].t.exchanges;
        empty += workers[i].saw_empty;
        full += workers[i].saw_batch;
    }
    print_message("%u exchanges in %.1f s: %u record rounds, %u variant changes; ITNIO queries saw "
                  "the batch %u times, nothing %u times\n",
                  exchanges, seconds, atomic_load(&load.record_rounds),
                  atomic_load(&load.variant_rounds), full, empty);
    assert_true(atomic_load(&load.record_rounds) >= MIN_CHANGES);
    assert_true(atomic_load(&load.variant_rounds) >= MIN_CHANGES);

    /* Settled: a reset gives the start's answers and the start's variants. */
    struct worker after = {.t.name = "after the load", .load = &load};
    expect(&after, "POST", "/__cdrsim/reset", NULL, 200);
    itnio_query(&after);
    struct test_http_reply r;
    if (exchange(&after, "GET", "/__cdrsim/itnio/records/count", NULL, NULL, 200, &r)) {
        if (json_int_at(r.json, "count") != 561)
            test_worker_failed(&after.t, &r, "after the reset: not the fixtures' 561 records");
        test_http_reply_free(&r);
    }
    test_worker_expect_clean(&after.t);
    assert_int_equal(after.saw_empty, 1);
    free(load.itnio_batch);
    free(load.aliyun_batch);
    assert_int_equal(mock_process_stop(mock), 0);
}

int main(void)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(control_plane_under_load, mock_process_setup,
                                        mock_process_teardown),
    };
    int failures = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failures;
}
