/* Yunfu's call-result callback from the real cdrsim-mock to a loopback webhook: the calls of one
 * POST /__cdrsim/yunfu/records arrive as one batch {"count", "data"} in the documented shape, with
 * bill and duration in SECONDS (the list's records hold milliseconds); a failed callback is tried
 * again only when the mock's clock has moved the (inferred) 5 minutes; nothing follows a 2xx.
 * Also --config "push_batch": 1, one callback per call. */
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
#define MAIN_TASK "5640b839-0063-4b36-a4d8-63e5b7bfc85f" /* account d21960a3…, a main account */
#define MAIN_USER "d21960a3-ebf2-48df-8587-595eb27325a4"
#define SUB_TASK "bd3ee965-7813-4174-99d8-f3cb38b5d5f2" /* account 487a118a…, a sub-account */
#define SUB_USER "487a118a-73dd-4167-ab2a-50a55d0eced2"
#define SUB_MASTER "4d99d91c-f5d9-49da-88da-758977cc58a9"

/* Two calls made from the first fixture record (bill 36574 ms, duration 56163 ms): one of a main
 * account's task, one of a sub-account's, tagged. */
static cJSON *two_calls(void)
{
    char *path = test_format("%s/yunfu/records.json", FIXTURES_DIR);
    cJSON *fixtures = test_load_json(path);
    free(path);
    cJSON *main_call = cJSON_Duplicate(cJSON_GetArrayItem(fixtures, 0), true);
    cJSON_Delete(fixtures);
    cJSON *sub_call = cJSON_Duplicate(main_call, true);
    cJSON_ReplaceItemInObjectCaseSensitive(
        main_call, "id", cJSON_CreateString("aaaaaaaa-0000-4000-8000-000000000001"));
    cJSON_ReplaceItemInObjectCaseSensitive(
        sub_call, "id", cJSON_CreateString("aaaaaaaa-0000-4000-8000-000000000002"));
    cJSON_ReplaceItemInObjectCaseSensitive(
        sub_call, "callid", cJSON_CreateString("bbbbbbbb-0000-4000-8000-000000000002"));
    cJSON_ReplaceItemInObjectCaseSensitive(sub_call, "task_id", cJSON_CreateString(SUB_TASK));
    cJSON_ReplaceItemInObjectCaseSensitive(sub_call, "user_id", cJSON_CreateString(SUB_USER));
    cJSON *tags = cJSON_CreateArray();
    cJSON_AddItemToArray(tags, cJSON_CreateString("有意向"));
    cJSON_ReplaceItemInObjectCaseSensitive(sub_call, "tags", tags);
    cJSON *list = cJSON_CreateArray();
    cJSON_AddItemToArray(list, main_call);
    cJSON_AddItemToArray(list, sub_call);
    return list;
}

static void test_one_batch_in_seconds_retried_on_the_mock_clock(void **state)
{
    struct push_fixture *f = *state;
    push_fixture_start(f, "yunfu", CLOCK, 1, "");
    push_add_records(&f->mock, "yunfu", two_calls());
    assert_int_equal(push_hook_wait(&f->hook, 1, PUSH_ARRIVAL_MS), 1);
    push_assert_documented("yunfu", f->hook.bodies[0]);
    assert_string_equal(f->hook.content_type, "application/json");

    cJSON *pushed = push_hook_body(&f->hook, 0);
    assert_int_equal(json_int_at(pushed, "count"), 2); /* both calls, one callback */
    assert_int_equal(cJSON_GetArraySize(json_at(pushed, "data")), 2);
    /* seconds, where the list's record says 36574 and 56163 milliseconds */
    assert_int_equal(json_int_at(pushed, "data.0.bill"), 36);
    assert_int_equal(json_int_at(pushed, "data.0.duration"), 56);
    assert_string_equal(json_str_at(pushed, "data.0.callid"),
                        "cdf9a787-0bef-4f5a-89d0-d852dad0957c");
    assert_null(json_at(pushed, "data.0.id")); /* the list's id is not the callback's */
    assert_string_equal(json_str_at(pushed, "data.0.calldate"), "2021-10-01 11:21:39");
    assert_string_equal(json_str_at(pushed, "data.0.answerdate"), "2021-10-01 11:21:58");
    assert_int_equal(json_int_at(pushed, "data.0.type"), 4);
    assert_string_equal(json_str_at(pushed, "data.0.user_id"), MAIN_USER);
    assert_string_equal(json_str_at(pushed, "data.0.master_user_id"), MAIN_USER);
    assert_string_equal(json_str_at(pushed, "data.0.user.name"), "合肥星辰教育咨询有限公司");
    assert_string_equal(json_str_at(pushed, "data.0.task.id"), MAIN_TASK);
    assert_string_equal(json_str_at(pushed, "data.0.task.name"), "暑期课程咨询回访");
    assert_int_equal(json_int_at(pushed, "data.0.group.id"), 7001);
    assert_int_equal(json_int_at(pushed, "data.0.intention_results"), 4);
    assert_string_equal(json_str_at(pushed, "data.0.level.level_name"), "D类客户()");
    /* the carrier by name: the list's operator is the number 2 */
    assert_string_equal(json_str_at(pushed, "data.0.number_data.operator"), "联通");
    assert_string_equal(json_str_at(pushed, "data.0.number_data.number"), "15525653237");
    assert_string_equal(json_str_at(pushed, "data.0.number_data.province"), "上海");
    assert_string_equal(json_str_at(pushed, "data.0.number_data.hangupdate"),
                        "2021-10-01 11:22:35");
    assert_int_equal(cJSON_GetArraySize(json_at(pushed, "data.0.tags")), 0);
    /* the sub-account's call: type 8 under its main account, tags as {tag_id, name} */
    assert_int_equal(json_int_at(pushed, "data.1.type"), 8);
    assert_string_equal(json_str_at(pushed, "data.1.user_id"), SUB_USER);
    assert_string_equal(json_str_at(pushed, "data.1.master_user_id"), SUB_MASTER);
    assert_string_equal(json_str_at(pushed, "data.1.task.name"), "滨湖店会员唤醒");
    assert_string_equal(json_str_at(pushed, "data.1.tags.0.name"), "有意向");
    assert_int_equal(strlen(json_str_at(pushed, "data.1.tags.0.tag_id")), 36);
    cJSON_Delete(pushed);

    struct test_http_reply r = push_admin(&f->mock, "GET", "/__cdrsim/yunfu/push", NULL);
    assert_int_equal(json_int_at(r.json, "retries"), 3);
    assert_int_equal(json_int_at(r.json, "batch"), 0);
    assert_true(cJSON_IsTrue(json_at(r.json, "schedule_inferred")));
    test_http_reply_free(&r);
    /* answered 500: the retry only once the mock's clock has moved 5 minutes, then quiet */
    push_expect_one_retry(f, "yunfu", 300);
}

static void test_push_batch_one_sends_a_callback_per_call(void **state)
{
    struct push_fixture *f = *state;
    push_fixture_start(f, "yunfu", CLOCK, 0, ",\"push_batch\":1,\"push_retries\":0");
    push_add_records(&f->mock, "yunfu", two_calls());
    assert_int_equal(push_hook_wait(&f->hook, 2, PUSH_ARRIVAL_MS), 2);
    for (int i = 0; i < 2; i++) {
        push_assert_documented("yunfu", f->hook.bodies[i]);
        cJSON *pushed = push_hook_body(&f->hook, i);
        assert_int_equal(json_int_at(pushed, "count"), 1);
        assert_int_equal(cJSON_GetArraySize(json_at(pushed, "data")), 1);
        assert_string_equal(json_str_at(pushed, "data.0.user_id"), i == 0 ? MAIN_USER : SUB_USER);
        cJSON_Delete(pushed);
    }
    push_sleep_ms(PUSH_QUIET_MS);
    assert_int_equal(push_hook_count(&f->hook), 2);
    struct test_http_reply r = push_admin(&f->mock, "GET", "/__cdrsim/yunfu/push", NULL);
    assert_int_equal(json_int_at(r.json, "batch"), 1);
    assert_int_equal(json_int_at(r.json, "retries"), 0);
    assert_int_equal(json_int_at(r.json, "delivered"), 2);
    test_http_reply_free(&r);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_one_batch_in_seconds_retried_on_the_mock_clock,
                                        push_fixture_setup, push_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_push_batch_one_sends_a_callback_per_call,
                                        push_fixture_setup, push_fixture_teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
