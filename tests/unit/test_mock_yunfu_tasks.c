/* The Yunfu task lists, GET /agent-api/user/{id}/task and .../all_task, driven in-process: whose
 * tasks each lists, the documented filters (name, status as one value or an array), Laravel
 * paging, the members of a task, and the errors. Expected task sets come from this file's own
 * reading of fixtures/yunfu/tasks.json and accounts.json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "server.h"
#include "testutil.h"
#include "yunfu_calls.h"
#include "yunfu_model.h"

#define TASKS(user) "/agent-api/user/" user "/task"
#define ALL_TASKS(user) "/agent-api/user/" user "/all_task"

/* The fixture's tasks owned by one of owners (NULL-terminated) passing status (0: any) and whose
 * name contains name (NULL: any), newest created first. */
static struct test_ids model_tasks(const char *const *owners, int status, const char *name)
{
    cJSON *tasks = test_load_json(YUNFU_TASKS);
    const cJSON *picked[32];
    size_t n = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, tasks) {
        bool mine = false;
        for (const char *const *o = owners; *o; o++)
            mine = mine || strcmp(json_str_at(t, "user_id"), *o) == 0;
        if (!mine || (status && json_int_at(t, "status") != status) ||
            (name && !strstr(json_str_at(t, "name"), name)))
            continue;
        assert_in_range(n, 0, 31);
        picked[n++] = t;
    }
    /* Insertion sort by created_at descending ("Y-m-d H:i:s" sorts as text); ties keep order. */
    for (size_t i = 1; i < n; i++) {
        const cJSON *x = picked[i];
        size_t j = i;
        for (; j > 0 &&
               strcmp(json_str_at(picked[j - 1], "created_at"), json_str_at(x, "created_at")) < 0;
             j--)
            picked[j] = picked[j - 1];
        picked[j] = x;
    }
    struct test_ids ids = {0};
    for (size_t i = 0; i < n; i++)
        test_ids_add(&ids, json_str_at(picked[i], "id"));
    cJSON_Delete(tasks);
    return ids;
}

/* A task list answer: HTTP 200, code 200, the message; returns the ids of data[]. */
static struct test_ids listed(const struct test_reply *r)
{
    if (r->status != 200 || !r->json || json_int_at(r->json, "code") != 200)
        fail_msg("expected a success, got %d %s", r->status, r->body);
    assert_string_equal(json_str_at(r->json, "status"), "success");
    assert_string_equal(json_str_at(r->json, "message"), "查看任务列表成功");
    struct test_ids ids = {0};
    const cJSON *t;
    cJSON_ArrayForEach(t, json_at(r->json, "data"))
        test_ids_add(&ids, json_str_at(t, "id"));
    return ids;
}

static void expect_tasks(struct test_mock *m, const char *path, const struct test_ids *want)
{
    struct test_reply r = yunfu_mock_get(m, YUNFU_DEMO, path);
    struct test_ids got = listed(&r);
    test_ids_assert_equal(want, &got);
    assert_int_equal(json_int_at(r.json, "meta.total"), want->count);
    test_ids_free(&got);
    test_reply_free(&r);
}

static void test_an_accounts_tasks(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, YUNFU_NOW_MS, NULL);
    const char *const seed[] = {YUNFU_SEED_USER, NULL};
    struct test_ids want = model_tasks(seed, 0, NULL);
    assert_int_equal(want.count, 3);
    expect_tasks(m, TASKS(YUNFU_SEED_USER), &want);
    test_ids_free(&want);
    /* A sub-account's through its parent's path, as every other sub_user_id call. */
    const char *const sub[] = {YUNFU_SUB_USER, NULL};
    want = model_tasks(sub, 0, NULL);
    expect_tasks(m, TASKS(YUNFU_SEED_USER) "?sub_user_id=" YUNFU_SUB_USER, &want);
    test_ids_free(&want);
    /* all_task: the account's and its sub-accounts', newest first; it takes no sub_user_id. */
    const char *const family[] = {YUNFU_SEED_USER, YUNFU_SUB_USER, NULL};
    want = model_tasks(family, 0, NULL);
    assert_int_equal(want.count, 4);
    expect_tasks(m, ALL_TASKS(YUNFU_SEED_USER), &want);
    expect_tasks(m, ALL_TASKS(YUNFU_SEED_USER) "?sub_user_id=" YUNFU_SUB_USER, &want);
    test_ids_free(&want);
    /* The second node's account has an inbound task. */
    const char *const node2[] = {YUNFU_NODE2_USER, NULL};
    want = model_tasks(node2, 0, NULL);
    expect_tasks(m, TASKS(YUNFU_NODE2_USER), &want);
    test_ids_free(&want);
}

static void test_a_task_as_listed(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, YUNFU_NOW_MS, NULL);
    struct test_reply r = yunfu_mock_get(m, YUNFU_DEMO, TASKS(YUNFU_NODE2_USER) "?name=热线");
    assert_int_equal(json_int_at(r.json, "meta.total"), 1);
    char *task = cJSON_PrintUnformatted(json_at(r.json, "data.0"));
    assert_string_equal(task,
                        "{\"id\":\"" YUNFU_INBOUND_TASK "\",\"user_id\":\"" YUNFU_NODE2_USER
                        "\",\"name\":\"课程咨询热线(AI呼入)\",\"remark\":\"AI接听课程咨询热线\","
                        "\"status\":2,\"task_type\":2,\"destination_extension\":7002,"
                        "\"maximumcall\":1,\"created_at\":\"2021-09-27 14:30:00\","
                        "\"updated_at\":\"2021-09-27 14:30:00\"}");
    free(task);
    test_reply_free(&r);
}

static void test_filters(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, YUNFU_NOW_MS, NULL);
    const char *const family[] = {YUNFU_SEED_USER, YUNFU_SUB_USER, NULL};
    /* status as one value, or PHP's array of values. */
    struct test_ids want = model_tasks(family, 2, NULL);
    assert_int_equal(want.count, 2);
    expect_tasks(m, ALL_TASKS(YUNFU_SEED_USER) "?status=2", &want);
    /* Laravel's in: rule compares as PHP's ==: any numeric string worth 2 is 2. */
    expect_tasks(m, ALL_TASKS(YUNFU_SEED_USER) "?status=02", &want);
    expect_tasks(m, ALL_TASKS(YUNFU_SEED_USER) "?status=2.0", &want);
    test_ids_free(&want);
    struct test_ids paused = model_tasks(family, 1, NULL), waiting = model_tasks(family, 3, NULL);
    struct test_reply r =
        yunfu_mock_get(m, YUNFU_DEMO, ALL_TASKS(YUNFU_SEED_USER) "?status[]=1&status[]=3");
    struct test_ids got = listed(&r);
    test_ids_sort(&got);
    want = (struct test_ids){0};
    test_ids_add(&want, paused.items[0]);
    test_ids_add(&want, waiting.items[0]);
    test_ids_sort(&want);
    test_ids_assert_equal(&want, &got);
    test_ids_free(&want);
    test_ids_free(&got);
    test_ids_free(&paused);
    test_ids_free(&waiting);
    test_reply_free(&r);
    /* name: a part of it; an empty one is no filter. */
    want = model_tasks(family, 0, "回访");
    assert_int_equal(want.count, 1);
    expect_tasks(m, ALL_TASKS(YUNFU_SEED_USER) "?name=%E5%9B%9E%E8%AE%BF", &want);
    test_ids_free(&want);
    want = model_tasks(family, 0, NULL);
    expect_tasks(m, ALL_TASKS(YUNFU_SEED_USER) "?name=&status=", &want);
    test_ids_free(&want);
    want = (struct test_ids){0};
    expect_tasks(m, ALL_TASKS(YUNFU_SEED_USER) "?name=nothing-like-it", &want);
}

static void test_paging(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, YUNFU_NOW_MS, NULL);
    const char *const family[] = {YUNFU_SEED_USER, YUNFU_SUB_USER, NULL};
    struct test_ids all = model_tasks(family, 0, NULL);
    for (int page = 1; page <= 3; page++) {
        char *path = test_format("%s?page=%d&per_page=3", ALL_TASKS(YUNFU_SEED_USER), page);
        struct test_reply r = yunfu_mock_get(m, YUNFU_DEMO, path);
        struct test_ids got = listed(&r), slice = {all.items + (page - 1) * 3, 0};
        slice.count = page == 1 ? 3 : page == 2 ? 1 : 0;
        test_ids_assert_equal(&slice, &got);
        char *meta = cJSON_PrintUnformatted(json_at(r.json, "meta"));
        char *want = test_format("{\"has_pages\":true,\"total\":4,\"last_page\":2,"
                                 "\"current_page\":%d,\"per_page\":\"3\"}",
                                 page);
        assert_string_equal(meta, want);
        free(want);
        free(meta);
        test_ids_free(&got);
        test_reply_free(&r);
        free(path);
    }
    struct test_reply r = yunfu_mock_get(m, YUNFU_DEMO, TASKS(YUNFU_SEED_USER));
    char *meta = cJSON_PrintUnformatted(json_at(r.json, "meta"));
    assert_string_equal(
        meta,
        "{\"has_pages\":false,\"total\":3,\"last_page\":1,\"current_page\":1,\"per_page\":15}");
    free(meta);
    test_reply_free(&r);
    r = yunfu_mock_get(m, YUNFU_DEMO, TASKS(YUNFU_SEED_USER) "?page=9223372036854775807");
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "data")), 0);
    test_reply_free(&r);
    test_ids_free(&all);
}

static void test_errors(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, YUNFU_NOW_MS, NULL);
    yunfu_mock_expect(m, NULL, TASKS(YUNFU_SEED_USER), 401, YUNFU_UNAUTHENTICATED);
    yunfu_mock_expect(m, YUNFU_DEMO, TASKS("nobody"), 200, YUNFU_NO_NODE);
    yunfu_mock_expect(m, YUNFU_DEMO, ALL_TASKS(YUNFU_QA_USER), 200, YUNFU_NO_NODE);
    yunfu_mock_expect(m, YUNFU_DEMO, TASKS(YUNFU_SEED_USER) "?sub_user_id=" YUNFU_NODE2_USER, 200,
                      YUNFU_NO_NODE);
    static const char *const invalid[][3] = {
        {"status=4", "status", "The selected status is invalid."},
        {"status=2.5", "status", "The selected status is invalid."},
        {"status=0x2", "status", "The selected status is invalid."},
        {"status[]=1&status[]=x", "status.1", "The selected status.1 is invalid."},
        {"name[]=a", "name", "The name must be a string."},
        {"per_page=0", "per_page", "The per page must be at least 1."},
        {"page=x", "page", "The page must be an integer."},
    };
    for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
        char *path = test_format("%s?%s", TASKS(YUNFU_SEED_USER), invalid[i][0]);
        char *body = test_format("{\"message\":\"%s\",\"errors\":{\"%s\":[\"%s\"]}}", invalid[i][2],
                                 invalid[i][1], invalid[i][2]);
        yunfu_mock_expect(m, YUNFU_DEMO, path, 422, body);
        free(body);
        free(path);
    }
    struct test_reply r = test_mock_call(m, "POST", TASKS(YUNFU_SEED_USER), YUNFU_DEMO, "{}", 2);
    assert_int_equal(r.status, 405);
    test_reply_free(&r);
    /* Another partner's token sees its own accounts only. */
    r = yunfu_mock_get(m, YUNFU_QA, TASKS(YUNFU_QA_USER));
    assert_int_equal(json_int_at(r.json, "meta.total"), 1);
    test_reply_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_an_accounts_tasks, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_a_task_as_listed, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_filters, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_paging, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_errors, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
