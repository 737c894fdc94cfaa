/* The mock's vendor-independent core: store searches, the injected clock, configuration parsing,
 * the /__cdrsim/ admin endpoints and the mock's own time parser. */
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdrsim/sign.h"
#include "clock.h"
#include "config.h"
#include "fileio.h"
#include "jobs.h"
#include "server.h"
#include "store.h"
#include "testutil.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* NULL-safe start of a walk over an array's or object's children. */
static const cJSON *first_child(const cJSON *item)
{
    return item ? item->child : NULL;
}

/* 2025-05-01T00:00:00Z */
#define NOW_MS 1746057600000LL

static const char CLOCK_USAGE[] = "{\"error\":\"expected {\\\"now\\\":\\\"RFC 3339 with zone\\\"} "
                                  "or {\\\"advance_seconds\\\":integer}\"}";

/* ---- store ---------------------------------------------------------------------------------- */

/* Attrs that report their own release, so the store's ownership is checked without globals. */
struct attrs {
    uint64_t order;
    size_t *freed;
};

static void count_free(void *p)
{
    struct attrs *a = p;
    (*a->freed)++;
    free(a);
}

static void store_add(struct mock_store *s, int64_t start, uint64_t order, size_t *freed)
{
    char *json =
        test_format("{\"start\":%lld,\"order\":%llu}", (long long)start, (unsigned long long)order);
    struct attrs *a = malloc(sizeof(*a));
    assert_non_null(a);
    *a = (struct attrs){order, freed};
    assert_true(mock_store_add(s, start, order, json, strlen(json), a));
}

static void test_store_empty(void **state)
{
    (void)state;
    struct mock_store s;
    mock_store_init(&s, count_free);
    mock_store_sort(&s);
    assert_int_equal(mock_store_lower_bound(&s, 0), 0);
    assert_int_equal(mock_store_upper_bound(&s, 0), 0);
    assert_int_equal(mock_store_lower_bound(&s, INT64_MIN), 0);
    assert_int_equal(mock_store_upper_bound(&s, INT64_MAX), 0);
    mock_store_free(&s);
    assert_int_equal(s.count, 0);
}

static void test_store_sort_and_bounds(void **state)
{
    (void)state;
    struct mock_store s;
    mock_store_init(&s, count_free);
    size_t freed = 0;
    /* Out of order, with three entries sharing start 20 (tie broken by order). */
    store_add(&s, 30, 6, &freed);
    store_add(&s, 20, 5, &freed);
    store_add(&s, 10, 1, &freed);
    store_add(&s, 20, 3, &freed);
    store_add(&s, 20, 4, &freed);
    store_add(&s, 40, 2, &freed);
    mock_store_sort(&s);
    static const int64_t starts[] = {10, 20, 20, 20, 30, 40};
    static const uint64_t orders[] = {1, 3, 4, 5, 6, 2};
    assert_int_equal(s.count, ARRAY_LEN(starts));
    for (size_t i = 0; i < s.count; i++) {
        assert_int_equal(s.entries[i].start, starts[i]);
        assert_int_equal(s.entries[i].order, orders[i]);
        assert_int_equal(((struct attrs *)s.entries[i].attrs)->order, orders[i]);
        char *expected = test_format("{\"start\":%lld,\"order\":%llu}", (long long)starts[i],
                                     (unsigned long long)orders[i]);
        assert_string_equal(s.entries[i].json, expected);
        assert_int_equal(s.entries[i].json_len, strlen(expected));
        free(expected);
    }
    static const struct {
        int64_t t;
        size_t lower, upper;
    } cases[] = {
        {INT64_MIN, 0, 0}, {9, 0, 0},  {10, 0, 1}, {11, 1, 1}, {19, 1, 1}, {20, 1, 4},
        {21, 4, 4},        {30, 4, 5}, {35, 5, 5}, {40, 5, 6}, {41, 6, 6}, {INT64_MAX, 6, 6},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        size_t lo = mock_store_lower_bound(&s, cases[i].t),
               hi = mock_store_upper_bound(&s, cases[i].t);
        if (lo != cases[i].lower || hi != cases[i].upper)
            fail_msg("t=%lld: bounds [%zu, %zu), expected [%zu, %zu)", (long long)cases[i].t, lo,
                     hi, cases[i].lower, cases[i].upper);
    }
    mock_store_free(&s);
    assert_int_equal(freed, ARRAY_LEN(starts));
    assert_int_equal(s.count, 0);
    assert_null(s.entries);
}

static void test_store_all_duplicates(void **state)
{
    (void)state;
    struct mock_store s;
    mock_store_init(&s, count_free);
    size_t freed = 0;
    /* Enough to grow past the first allocation. */
    for (uint64_t i = 0; i < 2500; i++)
        store_add(&s, 100, 2500 - i, &freed);
    mock_store_sort(&s);
    assert_int_equal(s.count, 2500);
    assert_int_equal(s.entries[0].order, 1);
    assert_int_equal(s.entries[2499].order, 2500);
    assert_int_equal(mock_store_lower_bound(&s, 100), 0);
    assert_int_equal(mock_store_upper_bound(&s, 100), 2500);
    assert_int_equal(mock_store_lower_bound(&s, 101), 2500);
    assert_int_equal(mock_store_upper_bound(&s, 99), 0);
    mock_store_free(&s);
    assert_int_equal(freed, 2500);
}

/* Entries may point into a kept file's text: dropping them never frees those bytes (ASan would
 * report a bad free), entries of their own are still freed, and the text is the process's own
 * copy: the file rewritten meanwhile changes nothing served. */
static void test_store_kept_text(void **state)
{
    (void)state;
    char path[] = "/tmp/cdrsim-store-text-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    /* Large enough for the huge-page buffer, which large files are read into. */
    static const char text[] = "[{\"a\":1},{\"b\":2}";
    enum { PADDING = 100000 };
    char *padding = malloc(PADDING);
    assert_non_null(padding);
    memset(padding, ' ', PADDING);
    assert_int_equal(write(fd, text, sizeof(text) - 1), sizeof(text) - 1);
    assert_int_equal(write(fd, padding, PADDING), PADDING);
    assert_int_equal(write(fd, "]", 1), 1);
    free(padding);
    struct mock_file_text file;
    char err[256] = "";
    assert_true(mock_file_load(path, &file, err, sizeof(err)));
    assert_non_null(file.mapping);
    assert_int_equal(file.len, sizeof(text) + PADDING);
    assert_memory_equal(file.text, text, sizeof(text) - 1);
    assert_int_equal(file.text[file.len], '\0');
    /* Cut short and rewritten, as a user's edit in place would: the copy stays whole. */
    assert_int_equal(truncate(path, 0), 0);
    unlink(path);
    const char *first = file.text + 1, *second = file.text + 9;

    struct mock_store s;
    size_t freed = 0;
    mock_store_init(&s, count_free);
    assert_true(mock_store_keep_text(&s, &file));
    assert_null(file.text); /* the store has it now */
    struct attrs *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
    assert_non_null(a);
    assert_non_null(b);
    *a = (struct attrs){1, &freed};
    *b = (struct attrs){2, &freed};
    assert_true(mock_store_add(&s, 10, 1, (char *)first, 7, a));
    assert_true(mock_store_add(&s, 20, 2, (char *)second, 7, b));
    store_add(&s, 30, 3, &freed); /* its own text */
    mock_store_sort(&s);
    struct cdr_buf out;
    cdr_buf_init(&out);
    for (size_t i = 0; i < s.count; i++)
        assert_true(mock_store_append_json(&s, &s.entries[i], &out));
    assert_string_equal(out.data, "{\"a\":1}{\"b\":2}{\"start\":30,\"order\":3}");
    cdr_buf_free(&out);
    mock_store_truncate(&s, 1); /* one own text and one kept */
    assert_int_equal(freed, 2);
    mock_store_free(&s);
    assert_int_equal(freed, 3);
}

/* A small file, or one that is not a regular file, is read into malloc'd memory; one that
 * cannot be opened says so. */
static void test_file_load_small_and_missing(void **state)
{
    (void)state;
    struct mock_file_text file;
    char err[256] = "";
    assert_true(mock_file_load("/dev/null", &file, err, sizeof(err)));
    assert_null(file.mapping);
    assert_int_equal(file.len, 0);
    assert_int_equal(file.text[0], '\0');
    mock_file_release(&file);
    assert_false(mock_file_load("/nonexistent/cdrsim/records.json", &file, err, sizeof(err)));
    assert_non_null(strstr(err, "cannot open /nonexistent/cdrsim/records.json"));
    assert_null(file.text);
}

/* ---- start-up jobs -------------------------------------------------------------------------- */

struct job_probe {
    atomic_int runs;
    pthread_t thread;
};

static void probe_job(void *arg)
{
    struct job_probe *p = arg;
    p->thread = pthread_self();
    atomic_fetch_add(&p->runs, 1);
}

/* Every job runs exactly once, the list ends up costliest first, and a lone job runs in the
 * caller's thread. */
static void test_jobs_run_each_once(void **state)
{
    (void)state;
    enum { N = 40 };
    struct job_probe probes[N];
    struct mock_job jobs[N];
    for (size_t i = 0; i < N; i++) {
        atomic_init(&probes[i].runs, 0);
        jobs[i] = (struct mock_job){probe_job, &probes[i], (uint64_t)(i * 7919 % N)};
    }
    mock_jobs_run(jobs, N);
    for (size_t i = 0; i < N; i++)
        if (atomic_load(&probes[i].runs) != 1)
            fail_msg("job %zu ran %d times", i, atomic_load(&probes[i].runs));
    for (size_t i = 1; i < N; i++)
        if (jobs[i - 1].cost < jobs[i].cost)
            fail_msg("job %zu (cost %llu) before job %zu (cost %llu)", i - 1,
                     (unsigned long long)jobs[i - 1].cost, i, (unsigned long long)jobs[i].cost);
    struct job_probe lone;
    atomic_init(&lone.runs, 0);
    struct mock_job one = {probe_job, &lone, 5};
    mock_jobs_run(&one, 1);
    assert_int_equal(atomic_load(&lone.runs), 1);
    assert_true(pthread_equal(lone.thread, pthread_self()));
    mock_jobs_run(NULL, 0); /* nothing to do */
}

/* ---- clock ---------------------------------------------------------------------------------- */

static void test_clock_frozen(void **state)
{
    (void)state;
    struct mock_clock c;
    mock_clock_init_frozen(&c, NOW_MS + 999);
    assert_int_equal(mock_clock_now_ms(&c), NOW_MS + 999);
    assert_int_equal(mock_clock_now(&c), NOW_MS / 1000);
    struct timespec pause = {0, 20 * 1000 * 1000};
    nanosleep(&pause, NULL);
    assert_int_equal(mock_clock_now_ms(&c), NOW_MS + 999);
    mock_clock_advance_ms(&c, 1);
    assert_int_equal(mock_clock_now(&c), NOW_MS / 1000 + 1);
    mock_clock_advance_ms(&c, -86400 * 1000LL);
    assert_int_equal(mock_clock_now_ms(&c), NOW_MS + 1000 - 86400 * 1000LL);
    mock_clock_set_ms(&c, 1630468800000LL);
    assert_int_equal(mock_clock_now_ms(&c), 1630468800000LL);
    /* Seconds are floored, also before 1970. */
    mock_clock_set_ms(&c, -1500);
    assert_int_equal(mock_clock_now(&c), -2);
    mock_clock_set_ms(&c, -1000);
    assert_int_equal(mock_clock_now(&c), -1);
    mock_clock_destroy(&c);
}

static void test_clock_running(void **state)
{
    (void)state;
    struct mock_clock c;
    mock_clock_init_running(&c, 1630468800000LL);
    int64_t first = mock_clock_now_ms(&c);
    assert_true(first >= 1630468800000LL && first < 1630468800000LL + 5000);
    struct timespec pause = {0, 30 * 1000 * 1000};
    nanosleep(&pause, NULL);
    int64_t second = mock_clock_now_ms(&c);
    assert_true(second >= first + 25 && second < first + 5000);
    /* Setting and advancing move a running clock, which then keeps running. */
    mock_clock_set_ms(&c, NOW_MS);
    int64_t moved = mock_clock_now_ms(&c);
    assert_true(moved >= NOW_MS && moved < NOW_MS + 5000);
    mock_clock_advance_ms(&c, 3600 * 1000LL);
    int64_t advanced = mock_clock_now_ms(&c);
    assert_true(advanced >= NOW_MS + 3600 * 1000LL && advanced < NOW_MS + 3600 * 1000LL + 5000);
    mock_clock_freeze(&c, 42000);
    nanosleep(&pause, NULL);
    assert_int_equal(mock_clock_now_ms(&c), 42000);
    mock_clock_destroy(&c);

    mock_clock_init_real(&c);
    int64_t real = mock_clock_now_ms(&c), wall = (int64_t)time(NULL) * 1000;
    assert_true(real > wall - 5000 && real < wall + 5000);
    mock_clock_destroy(&c);
}

/* ---- config --------------------------------------------------------------------------------- */

/* Numbers as flags and admin filters take them: plain decimal digits within the bound. */
static void test_parse_unsigned(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        unsigned long long max;
        bool ok;
        unsigned long long value;
    } cases[] = {
        {"0", 10, true, 0},
        {"10", 10, true, 10},
        {"11", 10, false, 0},
        {"65535", 65535, true, 65535},
        {"18446744073709551615", UINT64_MAX, true, UINT64_MAX},
        {"18446744073709551616", UINT64_MAX, false, 0},
        {"", 10, false, 0},
        {"-1", UINT64_MAX, false, 0},
        {"+1", 10, false, 0},
        {" 1", 10, false, 0},
        {"1 ", 10, false, 0},
        {"1x", 10, false, 0},
        {"0x10", 100, false, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        unsigned long long v = 12345;
        bool ok = mock_parse_unsigned(cases[i].text, cases[i].max, &v);
        if (ok != cases[i].ok || (ok && v != cases[i].value))
            fail_msg("\"%s\" (max %llu): %s %llu, expected %s %llu", cases[i].text, cases[i].max,
                     ok ? "took" : "refused", v, cases[i].ok ? "took" : "refused", cases[i].value);
        if (!ok)
            assert_int_equal(v, 12345); /* left alone when refused */
    }
}

static void test_config_variant_parse(void **state)
{
    (void)state;
    struct mock_config cfg;
    mock_config_init(&cfg);
    assert_true(mock_config_add_variant(&cfg, "a.b=c"));
    assert_int_equal(cfg.variant_count, 1);
    assert_string_equal(cfg.variants[0].vendor, "a");
    assert_string_equal(cfg.variants[0].name, "b");
    assert_string_equal(cfg.variants[0].value, "c");
    assert_string_equal(mock_config_variant(&cfg, "a", "b"), "c");
    /* The value is everything after the first '=', dots and '=' included. */
    assert_true(mock_config_add_variant(&cfg, "itnio.status_type=x.y=z"));
    assert_string_equal(mock_config_variant(&cfg, "itnio", "status_type"), "x.y=z");
    /* Later wins, without a second entry. */
    assert_true(mock_config_add_variant(&cfg, "itnio.status_type=string"));
    assert_int_equal(cfg.variant_count, 2);
    assert_string_equal(mock_config_variant(&cfg, "itnio", "status_type"), "string");
    assert_null(mock_config_variant(&cfg, "itnio", "range_end"));
    assert_null(mock_config_variant(&cfg, "a", "c"));
    assert_null(mock_config_variant(&cfg, "b", "b"));
    mock_config_free(&cfg);
    assert_int_equal(cfg.variant_count, 0);
}

static void test_config_variant_malformed(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "itnio",
        "itnio.status_type",
        ".status_type=string",
        "itnio.=string",
        "itnio=string",
        "=x",
        "a=b.c",
        ".=",
    };
    struct mock_config cfg;
    mock_config_init(&cfg);
    for (size_t i = 0; i < ARRAY_LEN(bad); i++)
        if (mock_config_add_variant(&cfg, bad[i]))
            fail_msg("variant spec \"%s\" was accepted", bad[i]);
    assert_int_equal(cfg.variant_count, 0);
    mock_config_free(&cfg);
}

static void test_config_generate_parse(void **state)
{
    (void)state;
    struct mock_config cfg;
    mock_config_init(&cfg);
    assert_int_equal(mock_config_generate_count(&cfg, "itnio"), -1);
    assert_true(mock_config_add_generate(&cfg, "itnio=1000"));
    assert_int_equal(mock_config_generate_count(&cfg, "itnio"), 1000);
    assert_true(mock_config_add_generate(&cfg, "itnio=0"));
    assert_int_equal(mock_config_generate_count(&cfg, "itnio"), 0);
    assert_true(mock_config_add_generate(&cfg, "other=50000000"));
    assert_int_equal(mock_config_generate_count(&cfg, "other"), 50000000);
    assert_int_equal(mock_config_generate_count(&cfg, "itnio"), 0);
    assert_int_equal(mock_config_generate_count(&cfg, "nobody"), -1);
    static const char *const bad[] = {
        "",          "itnio",          "=5",
        "itnio=",    "itnio=-1",       "itnio=1x",
        "itnio=abc", "itnio=50000001", "itnio=99999999999999999999",
    };
    size_t before = cfg.generate_count;
    for (size_t i = 0; i < ARRAY_LEN(bad); i++)
        if (mock_config_add_generate(&cfg, bad[i]))
            fail_msg("generate spec \"%s\" was accepted", bad[i]);
    assert_int_equal(cfg.generate_count, before);
    mock_config_free(&cfg);
}

static void test_config_file_then_flags(void **state)
{
    (void)state;
    char path[] = "/tmp/cdrsim-core-config-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static const char text[] =
        "{\"itnio\":{\"variants\":{\"status_type\":\"string\",\"timestamp_window\":60},"
        "\"credentials\":[{\"api_key\":\"k2\",\"api_secret\":\"s2\"}]}}";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    struct mock_config cfg;
    mock_config_init(&cfg);
    char err[256] = "";
    assert_true(mock_config_load_file(&cfg, path, err, sizeof(err)));
    assert_string_equal(mock_config_variant(&cfg, "itnio", "status_type"), "string");
    assert_string_equal(mock_config_variant(&cfg, "itnio", "timestamp_window"), "60");
    assert_non_null(mock_config_vendor_settings(&cfg, "itnio"));
    assert_null(mock_config_vendor_settings(&cfg, "other"));
    /* A flag given after the file overrides it. */
    assert_true(mock_config_add_variant(&cfg, "itnio.status_type=number"));
    assert_string_equal(mock_config_variant(&cfg, "itnio", "status_type"), "number");
    mock_config_free(&cfg);

    /* A large number in the file is still an integer to the vendor's validator. */
    fd = open(path, O_WRONLY | O_TRUNC);
    assert_true(fd >= 0);
    static const char big[] = "{\"itnio\":{\"variants\":{\"timestamp_window\":1000000}}}";
    assert_int_equal(write(fd, big, strlen(big)), (ssize_t)strlen(big));
    close(fd);
    mock_config_init(&cfg);
    assert_true(mock_config_load_file(&cfg, path, err, sizeof(err)));
    assert_string_equal(mock_config_variant(&cfg, "itnio", "timestamp_window"), "1000000");
    cfg.data_dir = strdup(FIXTURES_DIR);
    struct mock_server *server = mock_server_new(&cfg, err, sizeof(err));
    if (!server)
        fail_msg("mock_server_new: %s", err);
    mock_server_free(server);
    mock_config_free(&cfg);

    mock_config_init(&cfg);
    fd = open(path, O_WRONLY | O_TRUNC);
    assert_true(fd >= 0);
    static const char not_object[] = "[1,2]";
    assert_int_equal(write(fd, not_object, strlen(not_object)), (ssize_t)strlen(not_object));
    close(fd);
    assert_false(mock_config_load_file(&cfg, path, err, sizeof(err)));
    assert_non_null(strstr(err, "is not a JSON object"));
    unlink(path);
    assert_false(mock_config_load_file(&cfg, path, err, sizeof(err)));
    assert_non_null(strstr(err, "cannot open"));
    mock_config_free(&cfg);
}

/* mock_server_new must refuse before loading anything, naming what was wrong. */
static void expect_rejected(const char *variant, const char *generate, const char *message)
{
    struct mock_config cfg;
    mock_config_init(&cfg);
    cfg.data_dir = strdup(FIXTURES_DIR);
    cfg.log_format = MOCK_LOG_OFF;
    if (variant)
        assert_true(mock_config_add_variant(&cfg, variant));
    if (generate)
        assert_true(mock_config_add_generate(&cfg, generate));
    char err[512] = "";
    struct mock_server *s = mock_server_new(&cfg, err, sizeof(err));
    if (s) {
        mock_server_free(s);
        fail_msg("%s accepted", variant ? variant : generate);
    }
    if (strcmp(err, message) != 0)
        fail_msg("%s: message \"%s\", expected \"%s\"", variant ? variant : generate, err, message);
    mock_config_free(&cfg);
}

static void test_config_rejected_by_server(void **state)
{
    (void)state;
    expect_rejected("nosuch.status_type=string", NULL,
                    "--variant nosuch.status_type: unknown vendor 'nosuch'");
    expect_rejected("itnio.colour=blue", NULL, "--variant itnio.colour: itnio has no such variant");
    expect_rejected("itnio.status_type=text", NULL,
                    "--variant itnio.status_type=text: expected per-endpoint|number|string");
    expect_rejected("itnio.range_end=both", NULL,
                    "--variant itnio.range_end=both: expected inclusive|exclusive");
    expect_rejected("itnio.status_type=", NULL,
                    "--variant itnio.status_type=: expected per-endpoint|number|string");
    /* Free-form values are checked by the vendor's validator. */
    static const char *const windows[] = {
        "itnio.timestamp_window=-5", "itnio.timestamp_window=abc",
        "itnio.timestamp_window=", "itnio.timestamp_window=315360001"};
    for (size_t i = 0; i < ARRAY_LEN(windows); i++) {
        struct mock_config cfg;
        mock_config_init(&cfg);
        cfg.data_dir = strdup(FIXTURES_DIR);
        assert_true(mock_config_add_variant(&cfg, windows[i]));
        char err[512] = "";
        struct mock_server *s = mock_server_new(&cfg, err, sizeof(err));
        if (s)
            fail_msg("%s accepted", windows[i]);
        char *prefix = test_format("--variant %s: expected ", windows[i]);
        assert_int_equal(strncmp(err, prefix, strlen(prefix)), 0);
        free(prefix);
        mock_config_free(&cfg);
    }
    expect_rejected(NULL, "nosuch=5", "--generate: unknown vendor 'nosuch'");
}

static const struct mock_vendor_sim *find_sim(const char *id)
{
    for (size_t i = 0; mock_vendors[i]; i++)
        if (strcmp(mock_vendors[i]->id, id) == 0)
            return mock_vendors[i];
    fail_msg("no vendor %s in the table", id);
    return NULL;
}

static void test_config_accepted_by_server(void **state)
{
    (void)state;
    const struct mock_vendor_sim *itnio = find_sim("itnio");
    static const char *const variants[] = {"itnio.status_type=string", "itnio.range_end=exclusive",
                                           "itnio.timestamp_window=0", NULL};
    struct test_mock m;
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, variants);
    assert_string_equal(mock_variant(m.config, itnio, "status_type"), "string");
    assert_string_equal(mock_variant(m.config, itnio, "range_end"), "exclusive");
    assert_string_equal(mock_variant(m.config, itnio, "timestamp_window"), "0");
    test_mock_stop(&m);
    /* Unset variants read as the vendor's defaults. */
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, NULL);
    assert_string_equal(mock_variant(m.config, itnio, "status_type"), "per-endpoint");
    assert_string_equal(mock_variant(m.config, itnio, "range_end"), "inclusive");
    assert_string_equal(mock_variant(m.config, itnio, "timestamp_window"), "1800");
    assert_null(mock_variant(m.config, itnio, "colour"));
    test_mock_stop(&m);
}

/* ---- admin endpoints ------------------------------------------------------------------------ */

static struct test_reply admin(struct test_mock *m, const char *method, const char *path,
                               const char *body)
{
    return test_mock_call(m, method, path, NULL, body, body ? strlen(body) : 0);
}

static void test_admin_health(void **state)
{
    (void)state;
    static const char *const variants[] = {"itnio.status_type=string", NULL};
    struct test_mock m;
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, variants);
    struct test_reply r = admin(&m, "GET", "/__cdrsim/health", NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(r.json);
    assert_string_equal(json_str_at(r.json, "status"), "ok");
    assert_string_equal(json_str_at(r.json, "now"), "2025-05-01T00:00:00.000Z");
    assert_true(cJSON_IsString(json_at(r.json, "version")));
    const cJSON *vendors = json_at(r.json, "vendors");
    assert_true(cJSON_IsArray(vendors));
    const cJSON *itnio = NULL, *v;
    for (v = first_child(vendors); v; v = v->next) {
        if (strcmp(json_str_at(v, "id"), "itnio") == 0)
            itnio = v;
    }
    assert_non_null(itnio);
    assert_true(cJSON_IsString(json_at(itnio, "title")));
    /* The values in force: the one set, and the defaults of the others. */
    int declared = 0;
    for (const struct mock_variant_spec *spec = find_sim("itnio")->variants; spec->name; spec++)
        declared++;
    assert_true(declared >= 3);
    assert_int_equal(cJSON_GetArraySize(json_at(itnio, "variants")), declared);
    assert_string_equal(json_str_at(itnio, "variants.status_type"), "string");
    assert_string_equal(json_str_at(itnio, "variants.range_end"), "inclusive");
    assert_string_equal(json_str_at(itnio, "variants.timestamp_window"), "1800");
    assert_string_equal(r.vendor_code, "");
    test_reply_free(&r);

    r = admin(&m, "POST", "/__cdrsim/health", "{}");
    assert_int_equal(r.status, 405);
    assert_string_equal(r.body, "{\"error\":\"use GET\"}");
    test_reply_free(&r);
    test_mock_stop(&m);
}

static void expect_clock(struct test_mock *m, const struct test_reply *r, const char *now,
                         int64_t epoch_ms)
{
    assert_int_equal(r->status, 200);
    char *expected = test_format("{\"now\":\"%s\",\"epoch_ms\":%lld}", now, (long long)epoch_ms);
    assert_string_equal(r->body, expected);
    free(expected);
    assert_int_equal(mock_clock_now_ms(&m->server->clock), epoch_ms);
}

static void test_admin_clock_get_put(void **state)
{
    (void)state;
    struct test_mock m;
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, NULL);
    struct test_reply r = admin(&m, "GET", "/__cdrsim/clock", NULL);
    expect_clock(&m, &r, "2025-05-01T00:00:00.000Z", NOW_MS);
    test_reply_free(&r);

    r = admin(&m, "PUT", "/__cdrsim/clock", "{\"now\":\"2030-01-02T03:04:05.678Z\"}");
    expect_clock(&m, &r, "2030-01-02T03:04:05.678Z", 1893553445678LL);
    test_reply_free(&r);
    /* An offset is converted, not dropped. */
    r = admin(&m, "PUT", "/__cdrsim/clock", "{\"now\":\"2021-09-01T12:00:00+08:00\"}");
    expect_clock(&m, &r, "2021-09-01T04:00:00.000Z", 1630468800000LL);
    test_reply_free(&r);
    r = admin(&m, "PUT", "/__cdrsim/clock", "{\"advance_seconds\":3600}");
    expect_clock(&m, &r, "2021-09-01T05:00:00.000Z", 1630472400000LL);
    test_reply_free(&r);
    r = admin(&m, "PUT", "/__cdrsim/clock", "{\"advance_seconds\":-7200}");
    expect_clock(&m, &r, "2021-09-01T03:00:00.000Z", 1630465200000LL);
    test_reply_free(&r);
    r = admin(&m, "GET", "/__cdrsim/clock", NULL);
    expect_clock(&m, &r, "2021-09-01T03:00:00.000Z", 1630465200000LL);
    test_reply_free(&r);
    test_mock_stop(&m);
}

static void test_admin_clock_bad_bodies(void **state)
{
    (void)state;
    struct test_mock m;
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, NULL);
    static const char *const bodies[] = {
        "",
        "{",
        "[]",
        "\"2030-01-02T03:04:05Z\"",
        "{}",
        "{\"now\":\"2030-01-02T03:04:05\"}",
        "{\"now\":\"2030-01-02 03:04:05Z\"}",
        "{\"now\":\"2030-02-30T00:00:00Z\"}",
        "{\"now\":\"tomorrow\"}",
        "{\"now\":1893553445}",
        "{\"advance_seconds\":\"60\"}",
        "{\"advance_seconds\":1.5}",
        "{\"advance_seconds\":3153600000}",
        "{\"now\":\"2030-01-02T03:04:05Z\",\"advance_seconds\":60}",
    };
    for (size_t i = 0; i < ARRAY_LEN(bodies); i++) {
        struct test_reply r = admin(&m, "PUT", "/__cdrsim/clock", bodies[i]);
        if (r.status != 400 || strcmp(r.body, CLOCK_USAGE) != 0)
            fail_msg("PUT clock %s: %d %s", bodies[i], r.status, r.body);
        test_reply_free(&r);
        /* A refused request leaves the clock alone. */
        assert_int_equal(mock_clock_now_ms(&m.server->clock), NOW_MS);
    }
    static const char *const methods[] = {"POST", "DELETE", "PATCH"};
    for (size_t i = 0; i < ARRAY_LEN(methods); i++) {
        struct test_reply r = admin(&m, methods[i], "/__cdrsim/clock", "{\"advance_seconds\":60}");
        assert_int_equal(r.status, 405);
        assert_string_equal(r.body, "{\"error\":\"use GET or PUT\"}");
        test_reply_free(&r);
    }
    assert_int_equal(mock_clock_now_ms(&m.server->clock), NOW_MS);
    test_mock_stop(&m);
}

/* The clock set through the admin endpoint is the one the vendor's timestamp window uses. */
static void test_admin_clock_drives_vendor_auth(void **state)
{
    (void)state;
    struct test_mock m;
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, NULL);
    static const char body[] =
        "{\"current\":1,\"size\":1,\"params\":{\"startTime\":\"2025-01-08 00:00:00\","
        "\"endTime\":\"2025-01-09 00:00:00\",\"voiceGroupId\":12}}";
    static const char *const seed_headers[] = {"Api-Key: bDqJFiq9", "Timestamp: 1630468800",
                                               "Sign: 05d7a50893e22a5c4bb3216ae3396c7c", NULL};
    struct test_reply r =
        test_mock_call(&m, "POST", "/v3/cc/record/query", seed_headers, body, strlen(body));
    assert_string_equal(r.body, "{\"status\":-16,\"reason\":\"timestamp expires\",\"data\":null}");
    test_reply_free(&r);
    r = admin(&m, "PUT", "/__cdrsim/clock", "{\"now\":\"2021-09-01T04:29:00Z\"}");
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    r = test_mock_call(&m, "POST", "/v3/cc/record/query", seed_headers, body, strlen(body));
    assert_int_equal(r.status, 200);
    assert_int_equal(json_int_at(r.json, "status"), 0);
    test_reply_free(&r);
    r = admin(&m, "PUT", "/__cdrsim/clock", "{\"advance_seconds\":61}");
    test_reply_free(&r);
    r = test_mock_call(&m, "POST", "/v3/cc/record/query", seed_headers, body, strlen(body));
    assert_string_equal(r.body, "{\"status\":-16,\"reason\":\"timestamp expires\",\"data\":null}");
    test_reply_free(&r);
    test_mock_stop(&m);
}

static int64_t served_total(struct test_mock *m, int64_t now_s, const char *from, const char *to)
{
    char ts[32];
    snprintf(ts, sizeof(ts), "%lld", (long long)now_s);
    char *joined = test_format("bDqJFiq97bz1lzh9%s", ts);
    char *sign = cdr_md5_hex(joined, strlen(joined));
    char *h_ts = test_format("Timestamp: %s", ts), *h_sign = test_format("Sign: %s", sign);
    const char *headers[] = {"Api-Key: bDqJFiq9", h_ts, h_sign, NULL};
    char *body = test_format(
        "{\"current\":1,\"size\":10,\"params\":{\"startTime\":\"%s\",\"endTime\":\"%s\"}}", from,
        to);
    struct test_reply r =
        test_mock_call(m, "POST", "/v3/cc/record/query", headers, body, strlen(body));
    assert_int_equal(r.status, 200);
    assert_int_equal(json_int_at(r.json, "status"), 0);
    int64_t total = json_int_at(r.json, "data.total");
    test_reply_free(&r);
    free(body);
    free(h_ts);
    free(h_sign);
    free(sign);
    free(joined);
    return total;
}

/* Counted from records.json by text comparison of callStartTime. */
static int64_t fixture_total(const char *from, const char *to)
{
    char *path = test_format("%s/itnio/records.json", FIXTURES_DIR);
    FILE *f = fopen(path, "rb");
    free(path);
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)len + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
    text[len] = '\0';
    fclose(f);
    cJSON *records = cJSON_Parse(text);
    free(text);
    assert_true(cJSON_IsArray(records));
    int64_t n = 0;
    const cJSON *r;
    for (r = first_child(records); r; r = r->next) {
        const char *start = json_str_at(r, "callStartTime");
        n += strcmp(start, from) >= 0 && strcmp(start, to) <= 0;
    }
    cJSON_Delete(records);
    return n;
}

static void test_admin_reset(void **state)
{
    (void)state;
    struct test_mock m;
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, NULL);
    const char *from = "2025-01-01 00:00:00", *to = "2025-03-31 23:59:59";
    int64_t expected = fixture_total(from, to);
    assert_true(expected > 0);
    assert_int_equal(served_total(&m, NOW_MS / 1000, from, to), expected);
    char *before = mock_server_dump(m.server, "itnio");
    for (int i = 0; i < 2; i++) {
        struct test_reply r = admin(&m, "POST", "/__cdrsim/reset", NULL);
        assert_int_equal(r.status, 200);
        assert_string_equal(r.body, "{\"status\":\"reset\"}");
        test_reply_free(&r);
    }
    assert_int_equal(served_total(&m, NOW_MS / 1000, from, to), expected);
    char *after = mock_server_dump(m.server, "itnio");
    assert_string_equal(before, after);
    free(before);
    free(after);
    struct test_reply r = admin(&m, "GET", "/__cdrsim/reset", NULL);
    assert_int_equal(r.status, 405);
    assert_string_equal(r.body, "{\"error\":\"use POST\"}");
    test_reply_free(&r);
    test_mock_stop(&m);
}

static void test_admin_reset_generated(void **state)
{
    (void)state;
    struct test_mock m;
    test_mock_start_generated(&m, FIXTURES_DIR, NOW_MS + 999, NULL, "itnio", 300, 9);
    char *before = mock_server_dump(m.server, "itnio");
    /* A reset after the clock moved regenerates the same records: they hang off the start clock. */
    struct test_reply r = admin(&m, "PUT", "/__cdrsim/clock", "{\"advance_seconds\":86400}");
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    r = admin(&m, "POST", "/__cdrsim/reset", NULL);
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    char *after = mock_server_dump(m.server, "itnio");
    assert_string_equal(before, after);
    cJSON *records = cJSON_Parse(after);
    assert_int_equal(cJSON_GetArraySize(records), 300);
    cJSON_Delete(records);
    free(before);
    free(after);
    test_mock_stop(&m);
}

static void test_admin_unknown(void **state)
{
    (void)state;
    struct test_mock m;
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, NULL);
    static const char *const paths[] = {"/__cdrsim/", "/__cdrsim/nothing", "/__cdrsim/health/x",
                                        "/__cdrsim/clocks"};
    for (size_t i = 0; i < ARRAY_LEN(paths); i++) {
        struct test_reply r = admin(&m, "GET", paths[i], NULL);
        if (r.status != 404 || strcmp(r.body, "{\"error\":\"unknown admin endpoint\"}") != 0)
            fail_msg("GET %s: %d %s", paths[i], r.status, r.body);
        test_reply_free(&r);
    }
    assert_null(mock_server_dump(m.server, "nosuch"));
    test_mock_stop(&m);
}

/* ---- worlds: what a reset swaps ------------------------------------------------------------- */

static size_t vendor_index(const char *id)
{
    for (size_t i = 0; mock_vendors[i]; i++)
        if (strcmp(mock_vendors[i]->id, id) == 0)
            return i;
    fail_msg("no vendor %s in the table", id);
    return 0;
}

/* A request holding the world a reset replaces keeps a whole state until it lets go; the next
 * request gets the fresh one. Under ASan a freed-too-early or never-freed world fails this. */
static void test_reset_spares_a_borrowed_world(void **state)
{
    (void)state;
    struct test_mock m;
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, NULL);
    size_t itnio = vendor_index("itnio");
    struct mock_world *borrowed = mock_server_acquire(m.server);
    void *old_state = mock_world_state(borrowed, itnio);
    assert_non_null(old_state);
    char *before = mock_vendors[itnio]->dump(old_state);
    assert_non_null(before);

    char err[512] = "";
    assert_true(mock_server_reset(m.server, err, sizeof(err)));
    assert_true(mock_server_reset(m.server, err, sizeof(err)));
    struct mock_world *current = mock_server_acquire(m.server);
    assert_ptr_not_equal(current, borrowed);
    void *new_state = mock_world_state(current, itnio);
    assert_non_null(new_state);
    assert_ptr_not_equal(new_state, old_state);

    /* Both whole: the same records in each. */
    char *old_dump = mock_vendors[itnio]->dump(old_state);
    char *new_dump = mock_vendors[itnio]->dump(new_state);
    assert_string_equal(old_dump, before);
    assert_string_equal(new_dump, before);
    free(old_dump);
    free(new_dump);
    free(before);
    mock_server_release(m.server, borrowed); /* the last holder: frees the replaced world */
    mock_server_release(m.server, current);
    assert_true(mock_server_serves(m.server, itnio));
    test_mock_stop(&m);
}

/* Removes a temporary data folder made for one vendor: its files, the vendor's folder, the root. */
static void remove_data_folder(const char *root, const char *dir, const char *const *files,
                               size_t count)
{
    for (size_t i = 0; i < count; i++) {
        char *path = test_format("%s/%s", dir, files[i]);
        assert_int_equal(unlink(path), 0);
        free(path);
    }
    assert_int_equal(rmdir(dir), 0);
    assert_int_equal(rmdir(root), 0);
}

/* A reset that cannot load keeps the world it has, and says where the data went wrong. */
static void test_failed_reset_keeps_the_world(void **state)
{
    (void)state;
    char root[] = "/tmp/cdrsim-reset-XXXXXX";
    assert_non_null(mkdtemp(root));
    char *dir = test_format("%s/itnio", root);
    assert_int_equal(mkdir(dir, 0700), 0);
    static const char *const files[] = {"credentials.json", "groups.json", "seats.json",
                                        "records.json"};
    test_copy_fixtures("itnio", dir, files, ARRAY_LEN(files));
    struct test_mock m;
    test_mock_start(&m, root, NOW_MS, NULL);
    const char *from = "2025-01-01 00:00:00", *to = "2025-03-31 23:59:59";
    int64_t expected = served_total(&m, NOW_MS / 1000, from, to);
    assert_true(expected > 0);

    char *records = test_format("%s/records.json", dir);
    test_write_file(records, "[1, 2, x]", 9);
    struct test_reply r = admin(&m, "POST", "/__cdrsim/reset", NULL);
    assert_int_equal(r.status, 500);
    char *message = test_format("{\"error\":\"itnio: %s: invalid JSON near byte 7\"}", records);
    assert_string_equal(r.body, message);
    test_reply_free(&r);
    assert_int_equal(served_total(&m, NOW_MS / 1000, from, to), expected);
    test_mock_stop(&m);

    remove_data_folder(root, dir, files, ARRAY_LEN(files));
    free(message);
    free(records);
    free(dir);
}

/* A schema.json that does not parse stops the start, loaded beside the datasets as it is; and it
 * is the error reported when a vendor's data is broken too, as when the schemas loaded first. */
static void test_broken_schema_refused_at_start(void **state)
{
    (void)state;
    char root[] = "/tmp/cdrsim-schema-XXXXXX";
    assert_non_null(mkdtemp(root));
    char *dir = test_format("%s/itnio", root);
    assert_int_equal(mkdir(dir, 0700), 0);
    static const char *const files[] = {"credentials.json", "groups.json", "seats.json",
                                        "records.json", "schema.json"};
    test_copy_fixtures("itnio", dir, files, ARRAY_LEN(files));
    char *schema = test_format("%s/schema.json", dir);
    char *records = test_format("%s/records.json", dir);
    test_write_file(schema, "{\"definitions\": x}", 18);
    char *expected = test_format("itnio: %s: invalid JSON near byte 7", records);
    char *schema_error = test_format("%s: invalid JSON near byte 16", schema);
    for (int broken_records = 0; broken_records < 2; broken_records++) {
        if (broken_records)
            test_write_file(records, "[1, 2, x]", 9);
        struct mock_config cfg;
        mock_config_init(&cfg);
        cfg.data_dir = strdup(root);
        char err[1024] = "";
        struct mock_server *s = mock_server_new(&cfg, err, sizeof(err));
        assert_null(s);
        assert_string_equal(err, schema_error);
        mock_config_free(&cfg);
    }
    /* With the schema whole again, the records' own error. */
    char *src = test_format("%s/itnio/schema.json", FIXTURES_DIR);
    size_t len;
    char *text = test_read_file(src, &len);
    test_write_file(schema, text, len);
    struct mock_config cfg;
    mock_config_init(&cfg);
    cfg.data_dir = strdup(root);
    char err[1024] = "";
    assert_null(mock_server_new(&cfg, err, sizeof(err)));
    assert_string_equal(err, expected);
    mock_config_free(&cfg);

    remove_data_folder(root, dir, files, ARRAY_LEN(files));
    free(text);
    free(src);
    free(schema_error);
    free(expected);
    free(records);
    free(schema);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_empty),
        cmocka_unit_test(test_store_sort_and_bounds),
        cmocka_unit_test(test_store_all_duplicates),
        cmocka_unit_test(test_store_kept_text),
        cmocka_unit_test(test_jobs_run_each_once),
        cmocka_unit_test(test_file_load_small_and_missing),
        cmocka_unit_test(test_clock_frozen),
        cmocka_unit_test(test_clock_running),
        cmocka_unit_test(test_parse_unsigned),
        cmocka_unit_test(test_config_variant_parse),
        cmocka_unit_test(test_config_variant_malformed),
        cmocka_unit_test(test_config_generate_parse),
        cmocka_unit_test(test_config_file_then_flags),
        cmocka_unit_test(test_config_rejected_by_server),
        cmocka_unit_test(test_config_accepted_by_server),
        cmocka_unit_test(test_admin_health),
        cmocka_unit_test(test_admin_clock_get_put),
        cmocka_unit_test(test_admin_clock_bad_bodies),
        cmocka_unit_test(test_admin_clock_drives_vendor_auth),
        cmocka_unit_test(test_admin_reset),
        cmocka_unit_test(test_admin_reset_generated),
        cmocka_unit_test(test_admin_unknown),
        cmocka_unit_test(test_reset_spares_a_borrowed_world),
        cmocka_unit_test(test_failed_reset_keeps_the_world),
        cmocka_unit_test(test_broken_schema_refused_at_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
