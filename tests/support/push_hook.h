/* What the push tests share: a loopback webhook that remembers what the mock POSTs and fails the
 * first deliveries on request, the mock's admin calls they make (target, clock, records), and the
 * check of a pushed body against the vendor's documented push shape (the "push" entry of
 * fixtures/<vendor>/schema.json). */
#ifndef CDRSIM_TEST_PUSH_HOOK_H
#define CDRSIM_TEST_PUSH_HOOK_H

#include <cJSON.h>
#include <pthread.h>
#include <stdint.h>

#include "fake_server.h"
#include "testutil.h"

#define PUSH_HOOK_MAX 8
/* "within a second of entering the store"; a ThreadSanitizer mock runs many times slower */
#define PUSH_ARRIVAL_MS (TEST_UNDER_TSAN ? 5000 : 1000)
/* How long a test waits to be sure nothing more arrives. */
#define PUSH_QUIET_MS 1200

/* The webhook: remembers each body (the first PUSH_HOOK_MAX) and the last Content-Type; answers
 * 500 to the first `failures` deliveries, 200 afterwards. */
struct push_hook {
    pthread_mutex_t lock;
    int failures;
    int count;
    char *bodies[PUSH_HOOK_MAX];
    char content_type[96];
    struct fake_server *server;
};

/* Starts the webhook on a loopback port; push_hook_stop frees what it remembered. */
void push_hook_start(struct push_hook *h, int failures);
void push_hook_stop(struct push_hook *h);
/* The webhook's URL with path appended. Caller frees. */
char *push_hook_url(const struct push_hook *h, const char *path);
/* How many deliveries the hook has seen. */
int push_hook_count(struct push_hook *h);
/* Waits up to ms for the hook to have seen n deliveries; how many it saw. */
int push_hook_wait(struct push_hook *h, int n, long ms);
/* The n-th body parsed (0 = the first). Caller frees. */
cJSON *push_hook_body(struct push_hook *h, int n);

void push_sleep_ms(long ms);
/* An admin call with a JSON body (or none). */
struct test_http_reply push_admin(const struct mock_process *p, const char *method,
                                  const char *path, const char *body);
/* PUT /__cdrsim/clock {"advance_seconds": seconds}, asserting it is accepted. */
void push_advance(const struct mock_process *p, int seconds);
/* POST /__cdrsim/<vendor>/records with records (a JSON array, taken), asserting 201. */
void push_add_records(const struct mock_process *p, const char *vendor, cJSON *records);

/* A push test's state: the mock (started with a --config file) and the webhook. */
struct push_fixture {
    struct mock_process mock;
    struct push_hook hook;
    char *config_path;
};
/* cmocka setup and teardown: *state is a struct push_fixture. */
int push_fixture_setup(void **state);
int push_fixture_teardown(void **state);
/* Starts the hook (failing the first `failures` deliveries) and the mock at clock, pushing
 * vendor's records to <hook>/<vendor>-hook, with more of vendor's --config settings in settings
 * ("" or ","push_batch":1"). */
void push_fixture_start(struct push_fixture *f, const char *vendor, const char *clock, int failures,
                        const char *settings);
/* After the first delivery failed (500): nothing more while the mock's clock stays short of
 * retry_seconds, the same body once it has passed, and nothing after that 2xx however far the
 * clock moves; GET /__cdrsim/<vendor>/push shows each step. */
void push_expect_one_retry(struct push_fixture *f, const char *vendor, int retry_seconds);

/* Fails the test, naming the member, when body does not fit the vendor's documented push shape
 * (a member the shape does not list fails too). */
void push_assert_documented(const char *vendor, const char *body);

#endif
