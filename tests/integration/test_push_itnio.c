/* ITNIO's cc-http push from the real cdrsim-mock to a loopback webhook: a record added at run time
 * arrives as one JSON object with the documented fields; a failed delivery is tried again only
 * when the mock's clock has moved 30 minutes; nothing follows a 2xx. Also the target's admin
 * endpoints (PUT, GET, DELETE), a bad URL, and a reset that drops what waits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "push_hook.h"

#define CLOCK "2025-05-01T00:00:00Z"

/* The first fixture record with a fresh keyId, hung up by the system (hangingDirection 3). */
static void add_record(const struct mock_process *p, int64_t key_id)
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
    push_add_records(p, "itnio", list);
}

static void test_pushed_retried_on_the_mock_clock_then_quiet(void **state)
{
    struct push_fixture *f = *state;
    push_fixture_start(f, "itnio", CLOCK, 1, "");

    add_record(&f->mock, 800000001);
    assert_int_equal(push_hook_wait(&f->hook, 1, PUSH_ARRIVAL_MS), 1);
    push_assert_documented("itnio", f->hook.bodies[0]);
    cJSON *pushed = push_hook_body(&f->hook, 0);
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

    struct test_http_reply r = push_admin(&f->mock, "GET", "/__cdrsim/itnio/push", NULL);
    assert_int_equal(json_int_at(r.json, "retries"), 3);
    assert_true(cJSON_IsFalse(json_at(r.json, "schedule_inferred")));
    test_http_reply_free(&r);
    /* answered 500: the retry only once the mock's clock has moved 30 minutes, then quiet */
    push_expect_one_retry(f, "itnio", 1800);

    /* both attempts are in the request journal, newest first */
    r = push_admin(&f->mock, "GET", "/__cdrsim/requests?method=PUSH", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_int_at(r.json, "total"), 2);
    assert_string_equal(json_str_at(r.json, "requests.0.vendor"), "itnio");
    assert_int_equal(json_int_at(r.json, "requests.0.status"), 200);
    assert_int_equal(json_int_at(r.json, "requests.1.status"), 500);
    assert_true(cJSON_IsNull(json_at(r.json, "requests.1.fault")));
    char *url = push_hook_url(&f->hook, "/itnio-hook");
    assert_string_equal(json_str_at(r.json, "requests.0.path"), url);
    free(url);
    assert_string_equal(json_str_at(r.json, "requests.0.body"), f->hook.bodies[1]);
    test_http_reply_free(&r);
}

static void test_target_set_shown_cleared_and_reset(void **state)
{
    struct push_fixture *f = *state;
    push_hook_start(&f->hook, 100);
    mock_process_start(&f->mock, (const char *const[]){"--clock", CLOCK, NULL});

    struct test_http_reply r = push_admin(&f->mock, "GET", "/__cdrsim/itnio/push", NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsNull(json_at(r.json, "url")));
    test_http_reply_free(&r);
    add_record(&f->mock, 800000011); /* no target: nothing is queued */
    r = push_admin(&f->mock, "PUT", "/__cdrsim/itnio/push", "{\"url\":\"https://example.com/x\"}");
    assert_int_equal(r.status, 400);
    assert_string_equal(json_str_at(r.json, "error"), "only http:// URLs can be pushed to");
    test_http_reply_free(&r);
    r = push_admin(&f->mock, "PUT", "/__cdrsim/aliyun/push", "{\"url\":\"http://127.0.0.1:1/\"}");
    assert_int_equal(r.status, 404);
    test_http_reply_free(&r);

    char *hook = push_hook_url(&f->hook, "/hook");
    char *body = test_format("{\"url\":\"%s\"}", hook);
    r = push_admin(&f->mock, "PUT", "/__cdrsim/itnio/push", body);
    free(body);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_str_at(r.json, "url"), hook);
    assert_int_equal(json_int_at(r.json, "queued"), 0);
    test_http_reply_free(&r);

    add_record(&f->mock, 800000012);
    assert_int_equal(push_hook_wait(&f->hook, 1, PUSH_ARRIVAL_MS), 1);
    push_sleep_ms(200); /* the worker files the failed attempt */
    r = push_admin(&f->mock, "GET", "/__cdrsim/itnio/push", NULL);
    assert_int_equal(json_int_at(r.json, "queued"), 1);
    test_http_reply_free(&r);

    /* a reset drops what waits and the run-time target (none was configured) */
    r = push_admin(&f->mock, "POST", "/__cdrsim/reset", NULL);
    assert_int_equal(r.status, 200);
    test_http_reply_free(&r);
    r = push_admin(&f->mock, "GET", "/__cdrsim/itnio/push", NULL);
    assert_int_equal(json_int_at(r.json, "queued"), 0);
    assert_true(cJSON_IsNull(json_at(r.json, "url")));
    test_http_reply_free(&r);
    push_advance(&f->mock, 3600);
    push_sleep_ms(PUSH_QUIET_MS);
    assert_int_equal(push_hook_count(&f->hook), 1);

    /* DELETE turns pushes off: a failed record waits no more */
    body = test_format("{\"url\":\"%s\"}", hook);
    r = push_admin(&f->mock, "PUT", "/__cdrsim/itnio/push", body);
    free(body);
    test_http_reply_free(&r);
    add_record(&f->mock, 800000013);
    assert_int_equal(push_hook_wait(&f->hook, 2, PUSH_ARRIVAL_MS), 2);
    r = push_admin(&f->mock, "DELETE", "/__cdrsim/itnio/push", NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsNull(json_at(r.json, "url")));
    assert_int_equal(json_int_at(r.json, "queued"), 0);
    test_http_reply_free(&r);
    push_advance(&f->mock, 3600);
    push_sleep_ms(PUSH_QUIET_MS);
    assert_int_equal(push_hook_count(&f->hook), 2);
    free(hook);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pushed_retried_on_the_mock_clock_then_quiet,
                                        push_fixture_setup, push_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_target_set_shown_cleared_and_reset, push_fixture_setup,
                                        push_fixture_teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
