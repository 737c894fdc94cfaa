/* ITNIO's cc-http push from the real cdrsim-mock to a loopback webhook: a record added at run time
 * arrives as one JSON object with the documented fields; a failed delivery is tried again only
 * when the mock's clock has moved 30 minutes; nothing follows a 2xx. Also the target's admin
 * endpoints (PUT, GET, DELETE), a bad URL, and a reset that drops what waits. */
#define _GNU_SOURCE /* strcasestr */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "fake_server.h"
#include "testutil.h"

#define CLOCK "2025-05-01T00:00:00Z"
#define MAX_PUSHES 8
/* "within a second of entering the store"; a ThreadSanitizer mock runs many times slower */
#define ARRIVAL_MS (TEST_UNDER_TSAN ? 5000 : 1000)
#define QUIET_MS 1200

static const char *const json_type[] = {"Content-Type: application/json", NULL};

/* The webhook: remembers each body; fails the first `failures` deliveries with 500. */
struct hook {
    pthread_mutex_t lock;
    int failures;
    int count;
    char *bodies[MAX_PUSHES];
    char content_type[96];
};

static void answer(void *user, const struct fake_request *req, struct fake_reply *reply)
{
    struct hook *h = user;
    pthread_mutex_lock(&h->lock);
    if (h->count < MAX_PUSHES)
        h->bodies[h->count] = strndup(req->body, req->body_len);
    const char *ct = strcasestr(req->headers, "Content-Type: ");
    if (ct)
        snprintf(h->content_type, sizeof(h->content_type), "%.*s", (int)strcspn(ct + 14, "\r\n"),
                 ct + 14);
    reply->status = h->count < h->failures ? 500 : 200;
    h->count++;
    pthread_mutex_unlock(&h->lock);
}

static int pushes(struct hook *h)
{
    pthread_mutex_lock(&h->lock);
    int n = h->count;
    pthread_mutex_unlock(&h->lock);
    return n;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Waits up to ms for the hook to have seen n pushes; how many it saw. */
static int wait_pushes(struct hook *h, int n, long ms)
{
    for (long waited = 0; pushes(h) < n && waited < ms; waited += 20)
        sleep_ms(20);
    return pushes(h);
}

static struct test_http_reply admin(const struct mock_process *p, const char *method,
                                    const char *path, const char *body)
{
    char *url = test_format("%s%s", p->base_url, path);
    struct test_http_reply r = test_http(method, url, json_type, body, body ? strlen(body) : 0);
    free(url);
    return r;
}

static void advance(const struct mock_process *p, int seconds)
{
    char body[64];
    snprintf(body, sizeof(body), "{\"advance_seconds\":%d}", seconds);
    struct test_http_reply r = admin(p, "PUT", "/__cdrsim/clock", body);
    assert_int_equal(r.status, 200);
    test_http_reply_free(&r);
}

/* The first fixture record with a fresh keyId, hung up by the system (hangingDirection 3). */
static char *new_record(int64_t key_id)
{
    char *path = test_format("%s/itnio/records.json", FIXTURES_DIR);
    cJSON *fixtures = test_load_json(path);
    free(path);
    cJSON *rec = cJSON_Duplicate(cJSON_GetArrayItem(fixtures, 0), true);
    cJSON_Delete(fixtures);
    cJSON_ReplaceItemInObjectCaseSensitive(rec, "keyId", cJSON_CreateNumber((double)key_id));
    cJSON_ReplaceItemInObjectCaseSensitive(rec, "hangingDirection", cJSON_CreateNumber(3));
    cJSON *list = cJSON_CreateArray();
    cJSON_AddItemToArray(list, rec);
    char *body = cJSON_PrintUnformatted(list);
    cJSON_Delete(list);
    return body;
}

static void add_record(const struct mock_process *p, int64_t key_id)
{
    char *body = new_record(key_id);
    struct test_http_reply r = admin(p, "POST", "/__cdrsim/itnio/records", body);
    free(body);
    assert_int_equal(r.status, 201);
    test_http_reply_free(&r);
}

struct fixture {
    struct mock_process mock;
    struct hook hook;
    struct fake_server *server;
    char *config_path;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    pthread_mutex_init(&f->hook.lock, NULL);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    int rc = 0;
    if (f->mock.pid > 0)
        rc = mock_process_stop(&f->mock) == 0 ? 0 : -1;
    fake_server_stop(f->server);
    for (int i = 0; i < MAX_PUSHES; i++)
        free(f->hook.bodies[i]);
    pthread_mutex_destroy(&f->hook.lock);
    if (f->config_path) {
        unlink(f->config_path);
        free(f->config_path);
    }
    free(f);
    return rc;
}

static void test_pushed_retried_on_the_mock_clock_then_quiet(void **state)
{
    struct fixture *f = *state;
    f->hook.failures = 1;
    f->server = fake_server_start(answer, &f->hook);
    char *config =
        test_format("{\"itnio\":{\"push_url\":\"%s/itnio-hook\"}}", fake_server_url(f->server));
    f->config_path = test_write_temp(config);
    free(config);
    mock_process_start(&f->mock,
                       (const char *const[]){"--clock", CLOCK, "--config", f->config_path, NULL});

    add_record(&f->mock, 800000001);
    assert_int_equal(wait_pushes(&f->hook, 1, ARRIVAL_MS), 1);
    cJSON *pushed = cJSON_Parse(f->hook.bodies[0]);
    assert_non_null(pushed);
    assert_true(cJSON_IsObject(pushed)); /* one object per record, not an array */
    assert_string_equal(json_str_at(pushed, "callSessionId"), "24050300125193699");
    assert_string_equal(json_str_at(pushed, "callId"), "240502235136896603689");
    assert_string_equal(json_str_at(pushed, "agentName"), "dave.chen");
    assert_string_equal(json_str_at(pushed, "agentGroupName"), "sales-outbound");
    assert_string_equal(json_str_at(pushed, "callStartTime"), "2024-05-02 23:51:37");
    assert_string_equal(json_str_at(pushed, "answerTime"), "2024-05-02 23:51:53");
    assert_string_equal(json_str_at(pushed, "callEndTime"), "2024-05-03 00:12:51");
    assert_string_equal(json_str_at(pushed, "ccode"), "1");
    assert_string_equal(json_str_at(pushed, "ccodeName"), "USA");
    assert_string_equal(json_str_at(pushed, "called"), "118781066546");
    assert_int_equal(json_int_at(pushed, "hangingDirection"), 3);
    assert_int_equal(json_int_at(pushed, "callDuration"), 1258);
    assert_int_equal(json_int_at(pushed, "callType"), 3);
    assert_int_equal(cJSON_GetArraySize(json_at(pushed, "labels")), 2);
    assert_string_equal(json_str_at(pushed, "labels.0"), "vip");
    assert_string_equal(json_str_at(pushed, "labels.1"), "intention-low");
    assert_null(json_at(pushed, "seatName")); /* the query's names are not the push's */
    assert_null(json_at(pushed, "labelNameList"));
    cJSON_Delete(pushed);
    assert_string_equal(f->hook.content_type, "application/json;charset=UTF-8");

    /* answered 500: nothing more while the mock's clock stays short of 30 minutes */
    sleep_ms(QUIET_MS);
    assert_int_equal(pushes(&f->hook), 1);
    struct test_http_reply r = admin(&f->mock, "GET", "/__cdrsim/itnio/push", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_int_at(r.json, "queued"), 1);
    assert_int_equal(json_int_at(r.json, "pending.0.attempts"), 1);
    assert_int_equal(json_int_at(r.json, "pending.0.last_status"), 500);
    assert_int_equal(json_int_at(r.json, "attempts.0.status"), 500);
    assert_int_equal(json_int_at(r.json, "retry_seconds"), 1800);
    assert_int_equal(json_int_at(r.json, "retries"), 3);
    test_http_reply_free(&r);
    advance(&f->mock, 1780);
    sleep_ms(QUIET_MS);
    assert_int_equal(pushes(&f->hook), 1);

    /* past 30 minutes: the retry goes at once, the same object */
    advance(&f->mock, 30);
    assert_int_equal(wait_pushes(&f->hook, 2, ARRIVAL_MS), 2);
    assert_string_equal(f->hook.bodies[1], f->hook.bodies[0]);

    /* answered 200: nothing after, however far the clock moves */
    advance(&f->mock, 4 * 1800);
    sleep_ms(QUIET_MS);
    assert_int_equal(pushes(&f->hook), 2);
    r = admin(&f->mock, "GET", "/__cdrsim/itnio/push", NULL);
    assert_int_equal(json_int_at(r.json, "queued"), 0);
    assert_int_equal(json_int_at(r.json, "delivered"), 1);
    assert_int_equal(json_int_at(r.json, "abandoned"), 0);
    assert_int_equal(json_int_at(r.json, "attempts.0.attempt"), 2);
    assert_int_equal(json_int_at(r.json, "attempts.0.status"), 200);
    test_http_reply_free(&r);

    /* both attempts are in the request journal, newest first */
    r = admin(&f->mock, "GET", "/__cdrsim/requests?method=PUSH", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_int_at(r.json, "total"), 2);
    assert_string_equal(json_str_at(r.json, "requests.0.vendor"), "itnio");
    assert_int_equal(json_int_at(r.json, "requests.0.status"), 200);
    assert_int_equal(json_int_at(r.json, "requests.1.status"), 500);
    assert_true(cJSON_IsNull(json_at(r.json, "requests.1.fault")));
    char *url = test_format("%s/itnio-hook", fake_server_url(f->server));
    assert_string_equal(json_str_at(r.json, "requests.0.path"), url);
    free(url);
    assert_string_equal(json_str_at(r.json, "requests.0.body"), f->hook.bodies[1]);
    test_http_reply_free(&r);
}

static void test_target_set_shown_cleared_and_reset(void **state)
{
    struct fixture *f = *state;
    f->hook.failures = 100;
    f->server = fake_server_start(answer, &f->hook);
    mock_process_start(&f->mock, (const char *const[]){"--clock", CLOCK, NULL});

    struct test_http_reply r = admin(&f->mock, "GET", "/__cdrsim/itnio/push", NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsNull(json_at(r.json, "url")));
    test_http_reply_free(&r);
    add_record(&f->mock, 800000011); /* no target: nothing is queued */
    r = admin(&f->mock, "PUT", "/__cdrsim/itnio/push", "{\"url\":\"https://example.com/x\"}");
    assert_int_equal(r.status, 400);
    assert_string_equal(json_str_at(r.json, "error"), "only http:// URLs can be pushed to");
    test_http_reply_free(&r);
    r = admin(&f->mock, "PUT", "/__cdrsim/yunfu/push", "{\"url\":\"http://127.0.0.1:1/\"}");
    assert_int_equal(r.status, 404);
    test_http_reply_free(&r);

    char *body = test_format("{\"url\":\"%s/hook\"}", fake_server_url(f->server));
    r = admin(&f->mock, "PUT", "/__cdrsim/itnio/push", body);
    free(body);
    assert_int_equal(r.status, 200);
    char *want = test_format("%s/hook", fake_server_url(f->server));
    assert_string_equal(json_str_at(r.json, "url"), want);
    free(want);
    assert_int_equal(json_int_at(r.json, "queued"), 0);
    test_http_reply_free(&r);

    add_record(&f->mock, 800000012);
    assert_int_equal(wait_pushes(&f->hook, 1, ARRIVAL_MS), 1);
    sleep_ms(200); /* the worker files the failed attempt */
    r = admin(&f->mock, "GET", "/__cdrsim/itnio/push", NULL);
    assert_int_equal(json_int_at(r.json, "queued"), 1);
    test_http_reply_free(&r);

    /* a reset drops what waits and the run-time target (none was configured) */
    r = admin(&f->mock, "POST", "/__cdrsim/reset", NULL);
    assert_int_equal(r.status, 200);
    test_http_reply_free(&r);
    r = admin(&f->mock, "GET", "/__cdrsim/itnio/push", NULL);
    assert_int_equal(json_int_at(r.json, "queued"), 0);
    assert_true(cJSON_IsNull(json_at(r.json, "url")));
    test_http_reply_free(&r);
    advance(&f->mock, 3600);
    sleep_ms(QUIET_MS);
    assert_int_equal(pushes(&f->hook), 1);

    /* DELETE turns pushes off: a failed record waits no more */
    body = test_format("{\"url\":\"%s/hook\"}", fake_server_url(f->server));
    r = admin(&f->mock, "PUT", "/__cdrsim/itnio/push", body);
    free(body);
    test_http_reply_free(&r);
    add_record(&f->mock, 800000013);
    assert_int_equal(wait_pushes(&f->hook, 2, ARRIVAL_MS), 2);
    r = admin(&f->mock, "DELETE", "/__cdrsim/itnio/push", NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsNull(json_at(r.json, "url")));
    assert_int_equal(json_int_at(r.json, "queued"), 0);
    test_http_reply_free(&r);
    advance(&f->mock, 3600);
    sleep_ms(QUIET_MS);
    assert_int_equal(pushes(&f->hook), 2);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pushed_retried_on_the_mock_clock_then_quiet, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_target_set_shown_cleared_and_reset, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
