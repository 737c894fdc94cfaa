/* The push tests' webhook and admin calls (push_hook.h). */
#define _GNU_SOURCE /* strcasestr, strndup */
#include "push_hook.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "schema.h"

static const char *const json_type[] = {"Content-Type: application/json", NULL};

static void answer(void *user, const struct fake_request *req, struct fake_reply *reply)
{
    struct push_hook *h = user;
    pthread_mutex_lock(&h->lock);
    if (h->count < PUSH_HOOK_MAX)
        h->bodies[h->count] = strndup(req->body, req->body_len);
    const char *ct = strcasestr(req->headers, "Content-Type: ");
    if (ct)
        snprintf(h->content_type, sizeof(h->content_type), "%.*s", (int)strcspn(ct + 14, "\r\n"),
                 ct + 14);
    reply->status = h->count < h->failures ? 500 : 200;
    h->count++;
    pthread_mutex_unlock(&h->lock);
}

void push_hook_start(struct push_hook *h, int failures)
{
    pthread_mutex_init(&h->lock, NULL);
    h->failures = failures;
    h->server = fake_server_start(answer, h);
    assert_non_null(h->server);
}

void push_hook_stop(struct push_hook *h)
{
    if (!h->server)
        return;
    fake_server_stop(h->server);
    h->server = NULL;
    for (int i = 0; i < PUSH_HOOK_MAX; i++) {
        free(h->bodies[i]);
        h->bodies[i] = NULL;
    }
    pthread_mutex_destroy(&h->lock);
}

char *push_hook_url(const struct push_hook *h, const char *path)
{
    return test_format("%s%s", fake_server_url(h->server), path);
}

int push_hook_count(struct push_hook *h)
{
    pthread_mutex_lock(&h->lock);
    int n = h->count;
    pthread_mutex_unlock(&h->lock);
    return n;
}

void push_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int push_hook_wait(struct push_hook *h, int n, long ms)
{
    for (long waited = 0; push_hook_count(h) < n && waited < ms; waited += 20)
        push_sleep_ms(20);
    return push_hook_count(h);
}

cJSON *push_hook_body(struct push_hook *h, int n)
{
    assert_in_range(n, 0, PUSH_HOOK_MAX - 1);
    pthread_mutex_lock(&h->lock);
    cJSON *body = h->bodies[n] ? cJSON_Parse(h->bodies[n]) : NULL;
    pthread_mutex_unlock(&h->lock);
    if (!body)
        fail_msg("push %d: no body, or not JSON", n);
    return body;
}

struct test_http_reply push_admin(const struct mock_process *p, const char *method,
                                  const char *path, const char *body)
{
    char *url = test_format("%s%s", p->base_url, path);
    struct test_http_reply r = test_http(method, url, json_type, body, body ? strlen(body) : 0);
    free(url);
    return r;
}

void push_advance(const struct mock_process *p, int seconds)
{
    char body[64];
    snprintf(body, sizeof(body), "{\"advance_seconds\":%d}", seconds);
    struct test_http_reply r = push_admin(p, "PUT", "/__cdrsim/clock", body);
    assert_int_equal(r.status, 200);
    test_http_reply_free(&r);
}

void push_add_records(const struct mock_process *p, const char *vendor, cJSON *records)
{
    char *body = cJSON_PrintUnformatted(records);
    cJSON_Delete(records);
    char *path = test_format("/__cdrsim/%s/records", vendor);
    struct test_http_reply r = push_admin(p, "POST", path, body);
    free(path);
    free(body);
    if (r.status != 201)
        fail_msg("POST /__cdrsim/%s/records: HTTP %ld", vendor, (long)r.status);
    test_http_reply_free(&r);
}

void push_assert_documented(const char *vendor, const char *body)
{
    char *path = test_format("%s/%s/schema.json", FIXTURES_DIR, vendor);
    cJSON *schema = test_load_json(path);
    free(path);
    const char *ref = json_str_at(schema, "push.schema.$ref");
    static const char prefix[] = "#/definitions/";
    assert_non_null(ref);
    assert_int_equal(strncmp(ref, prefix, sizeof(prefix) - 1), 0);
    cJSON *value = cJSON_Parse(body);
    assert_non_null(value);
    char err[512] = "";
    bool fits =
        mock_schema_check(schema, ref + sizeof(prefix) - 1, value, "push", err, sizeof(err));
    cJSON_Delete(value);
    cJSON_Delete(schema);
    if (!fits)
        fail_msg("%s's pushed body is not the documented push shape: %s", vendor, err);
}

int push_fixture_setup(void **state)
{
    *state = calloc(1, sizeof(struct push_fixture));
    return *state ? 0 : -1;
}

int push_fixture_teardown(void **state)
{
    struct push_fixture *f = *state;
    int rc = 0;
    if (f->mock.pid > 0)
        rc = mock_process_stop(&f->mock) == 0 ? 0 : -1;
    push_hook_stop(&f->hook);
    if (f->config_path) {
        unlink(f->config_path);
        free(f->config_path);
    }
    free(f);
    return rc;
}

void push_fixture_start(struct push_fixture *f, const char *vendor, const char *clock, int failures,
                        const char *settings)
{
    push_hook_start(&f->hook, failures);
    char *path = test_format("/%s-hook", vendor);
    char *url = push_hook_url(&f->hook, path);
    char *config = test_format("{\"%s\":{\"push_url\":\"%s\"%s}}", vendor, url, settings);
    free(path);
    free(url);
    f->config_path = test_write_temp(config);
    free(config);
    mock_process_start(&f->mock,
                       (const char *const[]){"--clock", clock, "--config", f->config_path, NULL});
}

void push_expect_one_retry(struct push_fixture *f, const char *vendor, int retry_seconds)
{
    char *status = test_format("/__cdrsim/%s/push", vendor);
    push_sleep_ms(PUSH_QUIET_MS);
    assert_int_equal(push_hook_count(&f->hook), 1);
    struct test_http_reply r = push_admin(&f->mock, "GET", status, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_int_at(r.json, "retry_seconds"), retry_seconds);
    assert_int_equal(json_int_at(r.json, "queued"), 1);
    assert_int_equal(json_int_at(r.json, "pending.0.attempts"), 1);
    assert_int_equal(json_int_at(r.json, "pending.0.last_status"), 500);
    assert_int_equal(json_int_at(r.json, "attempts.0.status"), 500);
    test_http_reply_free(&r);
    push_advance(&f->mock, retry_seconds - 20);
    push_sleep_ms(PUSH_QUIET_MS);
    assert_int_equal(push_hook_count(&f->hook), 1);

    /* past retry_seconds: the retry goes at once, the same body */
    push_advance(&f->mock, 30);
    assert_int_equal(push_hook_wait(&f->hook, 2, PUSH_ARRIVAL_MS), 2);
    pthread_mutex_lock(&f->hook.lock);
    assert_string_equal(f->hook.bodies[1], f->hook.bodies[0]);
    pthread_mutex_unlock(&f->hook.lock);

    /* answered 200: nothing after */
    push_advance(&f->mock, 4 * retry_seconds);
    push_sleep_ms(PUSH_QUIET_MS);
    assert_int_equal(push_hook_count(&f->hook), 2);
    r = push_admin(&f->mock, "GET", status, NULL);
    assert_int_equal(json_int_at(r.json, "queued"), 0);
    assert_int_equal(json_int_at(r.json, "delivered"), 1);
    assert_int_equal(json_int_at(r.json, "abandoned"), 0);
    assert_int_equal(json_int_at(r.json, "attempts.0.attempt"), 2);
    assert_int_equal(json_int_at(r.json, "attempts.0.status"), 200);
    test_http_reply_free(&r);
    free(status);
}
