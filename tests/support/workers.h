/* Threads for the tests that drive something from several threads at once. test_threads_run
 * starts one thread per item of an array and joins them all. test_workers_run builds a load on it:
 * every worker repeats its step, with its pause, for as long as the load goes on. Worker threads
 * never call cmocka: each keeps its own counts and first failure (test_worker_failed), and the
 * main thread asserts on them after the join (test_worker_expect_clean). */
#ifndef CDRSIM_TEST_WORKERS_H
#define CDRSIM_TEST_WORKERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct test_http_reply;

/* CLOCK_MONOTONIC in microseconds, and a sleep of ms milliseconds. */
int64_t test_monotonic_us(void);
void test_sleep_ms(int ms);

/* Runs run(item) on a thread of its own for each of the count items laid out size bytes apart from
 * items, then joins them all; fails the test when a thread cannot be started or joined. */
void test_threads_run(void *items, size_t count, size_t size, void *(*run)(void *item));

/* The first member of a test's own worker struct, so a step gets the whole worker back with a
 * cast. */
struct test_worker {
    char name[32];
    void (*step)(struct test_worker *w, unsigned i); /* i counts the worker's rounds from 0 */
    int pause_ms;                                    /* after each step */
    bool (*goes_on)(void *load);                     /* set by test_workers_run */
    void *load;                                      /* what the workers share */
    unsigned exchanges, failures;
    char first_failure[1024];
};

/* Counts a failure; the first one is kept, with the reply's status and body when there is one. */
void test_worker_failed(struct test_worker *w, const struct test_http_reply *r, const char *fmt,
                        ...) __attribute__((format(printf, 3, 4)));
/* Fails the test with the worker's first failure, if it had one. */
void test_worker_expect_clean(const struct test_worker *w);

/* Runs each of the count workers (each begins with its struct test_worker; size bytes apart) on a
 * thread of its own until goes_on(load) says stop, and joins them; the seconds it took. */
double test_workers_run(void *workers, size_t count, size_t size, bool (*goes_on)(void *load),
                        void *load);

#endif
