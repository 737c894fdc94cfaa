/* Huawei's release callback from the real cdrsim-mock to a loopback webhook: a bidirectional
 * (outbound task) call ended through the admin endpoints arrives as one object of strings in the
 * documented shape; a failed callback is tried again only when the mock's clock has moved the
 * (inferred) 5 minutes; nothing follows a 2xx. A call added through /__cdrsim/huawei/records is
 * pushed with the callSerialNo queryCallDetailRecord answers for it; an inbound call is not
 * pushed (the callback is the bidirectional call's). */
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
#define CLOCK_MS 1746057600000LL
#define AGENT "293"              /* fixtures/huawei/agents.json: phone 70293 */
#define BEGIN_MS 1746014400000LL /* 2025-04-30 12:00:00 UTC, the added call's begin */

static void expect_status(struct test_http_reply r, long status)
{
    assert_int_equal(r.status, status);
    test_http_reply_free(&r);
}

/* The callback's values are all strings, as the page types them. */
static void assert_all_strings(const cJSON *pushed)
{
    const cJSON *member;
    cJSON_ArrayForEach(member, pushed) {
        if (!cJSON_IsString(member))
            fail_msg("%s is not a string", member->string);
    }
}

static void test_ended_call_pushed_retried_on_the_mock_clock(void **state)
{
    struct push_fixture *f = *state;
    push_fixture_start(f, "huawei", CLOCK, 1, "");
    expect_status(push_admin(&f->mock, "POST", "/__cdrsim/huawei/agents/" AGENT "/calls",
                             "{\"callfeature\":7,\"called\":\"13800000000\",\"ring_seconds\":4,"
                             "\"talk_seconds\":26,\"callskillid\":20020}"),
                  201);
    assert_int_equal(push_hook_count(&f->hook), 0); /* up: nothing yet */
    expect_status(push_admin(&f->mock, "DELETE", "/__cdrsim/huawei/agents/" AGENT "/calls/current",
                             "{\"released_by\":\"customer\"}"),
                  200);
    assert_int_equal(push_hook_wait(&f->hook, 1, PUSH_ARRIVAL_MS), 1);
    push_assert_documented("huawei", f->hook.bodies[0]);
    assert_string_equal(f->hook.content_type, "application/json");

    cJSON *pushed = push_hook_body(&f->hook, 0);
    assert_true(cJSON_IsObject(pushed));
    assert_all_strings(pushed);
    assert_string_equal(json_str_at(pushed, "serviceNo"), AGENT);
    assert_string_equal(json_str_at(pushed, "called"), "13800000000");
    assert_string_equal(json_str_at(pushed, "caller"), "70293"); /* the agent's phone */
    assert_string_equal(json_str_at(pushed, "callerPresent"), "70004");
    assert_string_equal(json_str_at(pushed, "talkDuration"), "26");
    assert_string_equal(json_str_at(pushed, "agentTalkDuration"), "30");
    assert_string_equal(json_str_at(pushed, "releaseReason"), "0"); /* the callee hung up */
    /* epoch milliseconds as text; the mock's clock runs from CLOCK: the call started (rung 4 s,
     * talked 26 s before the POST) and ended (the DELETE, a moment later) just now */
    long long released = strtoll(json_str_at(pushed, "releaseTime"), NULL, 10);
    long long created = strtoll(json_str_at(pushed, "createCallTime"), NULL, 10);
    assert_in_range(released, CLOCK_MS, CLOCK_MS + 120000);
    assert_in_range(created, released - 31000, released - 30000);
    assert_int_equal(strtoll(json_str_at(pushed, "talkingTime"), NULL, 10), created + 4000);
    assert_int_equal(strtoll(json_str_at(pushed, "agentReleaseTime"), NULL, 10), released);
    assert_true(strlen(json_str_at(pushed, "callSerialNo")) > 0);
    assert_string_equal(json_str_at(pushed, "locationId"), "0");
    test_assert_prefix(json_str_at(pushed, "recordfile"), "Y:/1/0/");
    cJSON_Delete(pushed);

    struct test_http_reply r = push_admin(&f->mock, "GET", "/__cdrsim/huawei/push", NULL);
    assert_int_equal(json_int_at(r.json, "retries"), 3);
    assert_int_equal(json_int_at(r.json, "batch"), 1);
    assert_true(cJSON_IsTrue(json_at(r.json, "schedule_inferred")));
    test_http_reply_free(&r);
    /* answered 500: the retry only once the mock's clock has moved 5 minutes, then quiet */
    push_expect_one_retry(f, "huawei", 300);
}

/* An ended call of agent 293 at BEGIN_MS: talk from +5 s to +31 s, released by the agent. */
static cJSON *call_object(const char *callid, int callfeature)
{
    char *text = test_format(
        "[{\"callfeature\":%d,\"callid\":\"%s\",\"caller\":\"60016\",\"called\":\"15388635975\","
        "\"callskill\":\"outbound\",\"callskillid\":20020,\"orgicallednum\":\"\",\"calldata\":\"\","
        "\"begintime\":%lld,\"endtime\":%lld,\"userPriority\":0,\"trunkNo\":36,\"logontimes\":1,"
        "\"mediaType\":5,\"mediaAbility\":1,\"waitTime\":0,\"trace\":{\"waitBeginTime\":%lld,"
        "\"waitEndTime\":%lld,\"answerBeginTime\":%lld,\"answerEndTime\":%lld,"
        "\"talkBeginTime\":%lld,\"talkEndTime\":%lld,\"deviceNo\":293,\"deviceType\":2,"
        "\"callDirectMode\":\"RELEASE_DIRECT\",\"enterReason\":0,\"enterReasonDesc\":\"Normal "
        "reason\",\"leaveReason\":16,\"leaveReasonDesc\":\"The agent releases the call.\","
        "\"vdnId\":1}}]",
        callfeature, callid, BEGIN_MS, BEGIN_MS + 31000, BEGIN_MS, BEGIN_MS, BEGIN_MS,
        BEGIN_MS + 5000, BEGIN_MS + 5000, BEGIN_MS + 31000);
    cJSON *list = cJSON_Parse(text);
    free(text);
    assert_non_null(list);
    return list;
}

/* queryCallDetailRecord's records of the second around BEGIN_MS. */
static struct test_http_reply history_at_begin(const struct mock_process *p)
{
    char *url = test_format("%s/apigovernance/api/oauth/tokenByAkSk", p->base_url);
    const char *json_type[] = {"Content-Type: application/json", NULL};
    const char *creds = "{\"app_key\":\"cdrsim-demo-ak\",\"app_secret\":\"cdrsim-demo-sk\"}";
    struct test_http_reply token = test_http("POST", url, json_type, creds, strlen(creds));
    free(url);
    assert_int_equal(token.status, 200);
    char *auth = test_format("Authorization: Bearer %s", json_str_at(token.json, "AccessToken"));
    test_http_reply_free(&token);
    const char *headers[] = {"Content-Type: application/json", auth, NULL};
    char *body = test_format("{\"startTime\":\"%lld\",\"endTime\":\"%lld\",\"taskType\":\"0\"}",
                             BEGIN_MS - 1000, BEGIN_MS + 1000);
    url =
        test_format("%s/apiaccess/CC-Management/v1/mobileAgent/queryCallDetailRecord", p->base_url);
    struct test_http_reply r = test_http("POST", url, headers, body, strlen(body));
    free(url);
    free(body);
    free(auth);
    assert_int_equal(r.status, 200);
    return r;
}

static void test_added_call_pushed_with_its_history_serial(void **state)
{
    struct push_fixture *f = *state;
    push_fixture_start(f, "huawei", CLOCK, 0, "");
    /* an inbound call (callfeature 0) is no bidirectional call: no callback */
    push_add_records(&f->mock, "huawei", call_object("1746014400-900000", 0));
    push_add_records(&f->mock, "huawei", call_object("1746014400-900001", 7));
    assert_int_equal(push_hook_wait(&f->hook, 1, PUSH_ARRIVAL_MS), 1);
    push_assert_documented("huawei", f->hook.bodies[0]);
    cJSON *pushed = push_hook_body(&f->hook, 0);
    assert_all_strings(pushed);
    assert_string_equal(json_str_at(pushed, "serviceNo"), AGENT);
    assert_string_equal(json_str_at(pushed, "called"), "15388635975");
    assert_string_equal(json_str_at(pushed, "talkDuration"), "26");
    assert_string_equal(json_str_at(pushed, "releaseReason"), "1"); /* the agent, the caller */

    /* the pulled history record of the same call has the same serial number and values */
    struct test_http_reply r = history_at_begin(&f->mock);
    assert_string_equal(json_str_at(r.json, "retCode"), "0");
    assert_int_equal(json_int_at(r.json, "result.total"), 1);
    assert_string_equal(json_str_at(r.json, "result.callInfo.0.callSerialNo"),
                        json_str_at(pushed, "callSerialNo"));
    assert_string_equal(json_str_at(r.json, "result.callInfo.0.called"),
                        json_str_at(pushed, "called"));
    assert_int_equal(json_int_at(r.json, "result.callInfo.0.talkDuration"), 26);
    test_http_reply_free(&r);
    cJSON_Delete(pushed);
    push_sleep_ms(PUSH_QUIET_MS);
    assert_int_equal(push_hook_count(&f->hook), 1);

    /* cleared, the call's history record goes with it */
    expect_status(push_admin(&f->mock, "DELETE", "/__cdrsim/huawei/records", NULL), 200);
    r = history_at_begin(&f->mock);
    assert_string_equal(json_str_at(r.json, "retCode"), "1"); /* no data */
    test_http_reply_free(&r);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ended_call_pushed_retried_on_the_mock_clock,
                                        push_fixture_setup, push_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_added_call_pushed_with_its_history_serial,
                                        push_fixture_setup, push_fixture_teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
