#include "workers.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "testutil.h"

int64_t test_monotonic_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void test_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

void test_threads_run(void *items, size_t count, size_t size, void *(*run)(void *item))
{
    pthread_t *threads = calloc(count ? count : 1, sizeof(*threads));
    assert_non_null(threads);
    for (size_t i = 0; i < count; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, run, (char *)items + i * size), 0);
    for (size_t i = 0; i < count; i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);
    free(threads);
}

void test_worker_failed(struct test_worker *w, const struct test_http_reply *r, const char *fmt,
                        ...)
{
    if (w->failures++)
        return; /* the first one tells the story */
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (r)
        snprintf(w->first_failure, sizeof(w->first_failure), "%s (HTTP %ld: %.400s)", what,
                 r->status, r->body ? r->body : "");
    else
        snprintf(w->first_failure, sizeof(w->first_failure), "%s", what);
}

void test_worker_expect_clean(const struct test_worker *w)
{
    if (w->failures)
        fail_msg("%s: %u of %u exchanges failed; the first: %s", w->name, w->failures, w->exchanges,
                 w->first_failure);
}

static void *run_worker(void *arg)
{
    struct test_worker *w = arg;
    for (unsigned i = 0; w->goes_on(w->load); i++) {
        w->step(w, i);
        if (w->pause_ms)
            test_sleep_ms(w->pause_ms);
    }
    return NULL;
}

double test_workers_run(void *workers, size_t count, size_t size, bool (*goes_on)(void *load),
                        void *load)
{
    for (size_t i = 0; i < count; i++) {
        struct test_worker *w = (struct test_worker *)((char *)workers + i * size);
        w->goes_on = goes_on;
        w->load = load;
    }
    int64_t start_us = test_monotonic_us();
    test_threads_run(workers, count, size, run_worker);
    return (double)(test_monotonic_us() - start_us) / 1e6;
}
