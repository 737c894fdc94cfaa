/* The Yunfu simulator driven in-process through mock_server_handle, exactly as the HTTP layer
 * drives it: authentication, the vendor's documented errors, Laravel's validation answers, paging,
 * filters, the legacy path, the detail endpoint, variants and the rate limit. Expected record sets
 * come from this file's own reading of fixtures/yunfu/records.json (tests/support/yunfu_model.h).
 */
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

#define NOW_MS YUNFU_NOW_MS
#define LIST_PATH(user, task) "/agent-api/user/" user "/task/" task "/record"
#define SEED_LIST LIST_PATH(YUNFU_SEED_USER, YUNFU_SEED_TASK)
#define SEED_DETAIL "/agent-api/user/" YUNFU_SEED_USER "/task/" YUNFU_SEED_TASK "/detail/"
#define SEED_TASK_SIZE 78 /* records of the seed task in records.json */

#define UNAUTHENTICATED YUNFU_UNAUTHENTICATED
#define NO_NODE YUNFU_NO_NODE
#define NO_TASK YUNFU_NO_TASK
#define NO_RECORD YUNFU_NO_RECORD
#define DEMO YUNFU_DEMO
#define QA YUNFU_QA

struct world {
    struct test_mock mock;
    cJSON *records;
    cJSON *example;
    cJSON *dialogues;
};

static int world_setup(void **state)
{
    struct world *w = calloc(1, sizeof(*w));
    assert_non_null(w);
    test_mock_start(&w->mock, FIXTURES_DIR, NOW_MS, NULL);
    w->records = test_load_json(YUNFU_RECORDS);
    w->example = test_load_json(YUNFU_EXAMPLE);
    w->dialogues = test_load_json(YUNFU_DIALOGUES);
    *state = w;
    return 0;
}

static int world_teardown(void **state)
{
    struct world *w = *state;
    test_mock_stop(&w->mock);
    cJSON_Delete(w->records);
    cJSON_Delete(w->example);
    cJSON_Delete(w->dialogues);
    free(w);
    return 0;
}

/* A list answer: HTTP 200, code 200, the list message; returns the ids of data[]. */
static struct test_ids list_ids(const struct test_reply *r)
{
    if (r->status != 200 || !r->json || json_int_at(r->json, "code") != 200)
        fail_msg("expected a success, got %d %s", r->status, r->body);
    assert_string_equal(json_str_at(r->json, "status"), "success");
    assert_string_equal(json_str_at(r->json, "message"), "查看通话记录列表成功");
    struct test_ids ids = {0};
    const cJSON *rec;
    cJSON_ArrayForEach(rec, json_at(r->json, "data"))
        test_ids_add(&ids, json_str_at(rec, "id"));
    return ids;
}

/* The page holds want's ids from..from+n and names want's size as the total. */
static void expect_page(struct test_mock *m, const char *path, const struct test_ids *want,
                        size_t from, size_t n)
{
    assert_in_range(from + n, 0, want->count);
    struct test_reply r = yunfu_mock_get(m, DEMO, path);
    struct test_ids got = list_ids(&r), slice = {want->items + from, n};
    test_ids_assert_equal(&slice, &got);
    assert_int_equal(json_int_at(r.json, "meta.total"), want->count);
    test_ids_free(&got);
    test_reply_free(&r);
}

static void expect_ids(struct test_mock *m, const char *path, const struct test_ids *want)
{
    struct test_reply r = yunfu_mock_get(m, DEMO, path);
    struct test_ids got = list_ids(&r);
    test_ids_assert_equal(want, &got);
    assert_int_equal(json_int_at(r.json, "meta.total"), want->count);
    test_ids_free(&got);
    test_reply_free(&r);
}

/* The meta object as one compact text, so paging is checked field for field, types included. */
static void expect_meta(const struct test_reply *r, const char *meta)
{
    char *text = cJSON_PrintUnformatted(json_at(r->json, "meta"));
    assert_non_null(text);
    assert_string_equal(text, meta);
    free(text);
}

/* ---- authentication -------------------------------------------------------------------------- */

static void test_auth_missing_header(void **state)
{
    struct world *w = *state;
    yunfu_mock_expect(&w->mock, NULL, SEED_LIST, 401, UNAUTHENTICATED);
    struct test_reply r = yunfu_mock_get(&w->mock, NULL, SEED_LIST);
    assert_string_equal(r.vendor_code, "401");
    test_reply_free(&r);
}

static void test_auth_unknown_token(void **state)
{
    struct world *w = *state;
    const char *const wrong[] = {"Authorization: Bearer demo-yunfu-tokenX", NULL};
    yunfu_mock_expect(&w->mock, wrong, SEED_LIST, 401, UNAUTHENTICATED);
    const char *const basic[] = {"Authorization: Basic ZGVtbzpkZW1v", NULL};
    yunfu_mock_expect(&w->mock, basic, SEED_LIST, 401, UNAUTHENTICATED);
    const char *const lower[] = {"Authorization: bearer " YUNFU_DEMO_TOKEN, NULL};
    yunfu_mock_expect(&w->mock, lower, SEED_LIST, 401,
                      UNAUTHENTICATED); /* Laravel matches "Bearer " exactly */
    const char *const empty[] = {"Authorization: Bearer ", NULL};
    yunfu_mock_expect(&w->mock, empty, SEED_LIST, 401, UNAUTHENTICATED);
}

static void test_auth_bearer_parsing_like_laravel(void **state)
{
    struct world *w = *state;
    /* bearerToken() takes what follows the last "Bearer " and stops at a comma. */
    const char *const comma[] = {"Authorization: Bearer " YUNFU_DEMO_TOKEN ", Basic eA==", NULL};
    const char *const twice[] = {"Authorization: Bearer nope Bearer " YUNFU_DEMO_TOKEN, NULL};
    const char *const *ok[] = {comma, twice};
    for (size_t i = 0; i < 2; i++) {
        struct test_reply r = yunfu_mock_get(&w->mock, ok[i], SEED_LIST "?per_page=1");
        assert_int_equal(r.status, 200);
        assert_int_equal(json_int_at(r.json, "code"), 200);
        test_reply_free(&r);
    }
}

static void test_auth_expired_token(void **state)
{
    struct world *w = *state;
    const char *const expired[] = {"Authorization: Bearer expired-yunfu-token", NULL};
    yunfu_mock_expect(&w->mock, expired, SEED_LIST, 401, UNAUTHENTICATED);
    /* One second before it expires (2022-01-01 00:00:00 +08:00) it still works. */
    mock_clock_set_ms(&w->mock.server->clock, (china_time(2022, 1, 1, 0, 0, 0) - 1) * 1000);
    struct test_reply r = yunfu_mock_get(&w->mock, expired, SEED_LIST "?per_page=1");
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    mock_clock_set_ms(&w->mock.server->clock, china_time(2022, 1, 1, 0, 0, 0) * 1000);
    yunfu_mock_expect(&w->mock, expired, SEED_LIST, 401, UNAUTHENTICATED);
    mock_clock_set_ms(&w->mock.server->clock, NOW_MS);
}

static void test_auth_envelope_variant(void **state)
{
    (void)state;
    struct test_mock m;
    const char *const variants[] = {"yunfu.unauth_body=envelope", NULL};
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, variants);
    yunfu_mock_expect(&m, NULL, SEED_LIST, 401,
                      "{\"code\":401,\"status\":\"error\",\"message\":\"Unauthenticated.\"}");
    yunfu_mock_expect(&m, NULL, "/agent-api/token", 401,
                      "{\"code\":401,\"status\":\"error\",\"message\":\"Unauthenticated.\"}");
    test_mock_stop(&m);
    const char *const http_200[] = {"yunfu.unauth_body=envelope_200", NULL};
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, http_200);
    yunfu_mock_expect(&m, NULL, SEED_LIST, 200,
                      "{\"code\":401,\"status\":\"error\",\"message\":\"Unauthenticated.\"}");
    test_mock_stop(&m);
}

static void test_token_endpoint(void **state)
{
    struct world *w = *state;
    char *body = test_format(
        "{\"code\":200,\"status\":\"success\",\"message\":\"token有效\",\"data\":{\"token_"
        "type\":\"Bearer\",\"expires_at\":\"2099-12-31 23:59:59\",\"expires_in\":%lld}}",
        (long long)(china_time(2099, 12, 31, 23, 59, 59) - NOW_MS / 1000));
    yunfu_mock_expect(&w->mock, DEMO, "/agent-api/token", 200, body);
    free(body);
    yunfu_mock_expect(&w->mock, NULL, "/agent-api/token", 401, UNAUTHENTICATED);
}

/* ---- the vendor's documented errors ---------------------------------------------------------- */

static void test_unknown_account_is_1002(void **state)
{
    struct world *w = *state;
    yunfu_mock_expect(&w->mock, DEMO,
                      LIST_PATH("00000000-0000-0000-0000-000000000000", YUNFU_SEED_TASK), 200,
                      NO_NODE);
    struct test_reply r = yunfu_mock_get(&w->mock, DEMO, LIST_PATH("x", YUNFU_SEED_TASK));
    assert_string_equal(r.body, NO_NODE);
    assert_string_equal(r.vendor_code, "1002");
    test_reply_free(&r);
    /* Another partner's account does not exist for this token either. */
    yunfu_mock_expect(&w->mock, DEMO, LIST_PATH(YUNFU_QA_USER, YUNFU_SEED_TASK), 200, NO_NODE);
    yunfu_mock_expect(&w->mock, QA, SEED_LIST, 200, NO_NODE);
    yunfu_mock_expect(&w->mock, DEMO,
                      "/agent-api/user/nope/task/" YUNFU_SEED_TASK "/detail/" YUNFU_SEED_RECORD,
                      200, NO_NODE);
}

static void test_unknown_task_is_5002(void **state)
{
    struct world *w = *state;
    yunfu_mock_expect(&w->mock, DEMO,
                      LIST_PATH(YUNFU_SEED_USER, "287e19c4-1966-49d6-8f02-b53ef11c0a56"), 200,
                      NO_TASK);
    /* A real task of another account, of the sub-account, of another partner: not this account's.
     */
    yunfu_mock_expect(&w->mock, DEMO, LIST_PATH(YUNFU_SEED_USER, YUNFU_NODE2_TASK), 200, NO_TASK);
    yunfu_mock_expect(&w->mock, DEMO, LIST_PATH(YUNFU_SEED_USER, YUNFU_SUB_TASK), 200, NO_TASK);
    yunfu_mock_expect(&w->mock, DEMO, LIST_PATH(YUNFU_SEED_USER, YUNFU_QA_DEFAULT_NODE_TASK), 200,
                      NO_TASK);
    yunfu_mock_expect(&w->mock, DEMO, LIST_PATH(YUNFU_NODE2_USER, YUNFU_SEED_TASK), 200, NO_TASK);
    yunfu_mock_expect(&w->mock, DEMO, SEED_DETAIL "../../x", 404,
                      "{\"message\":\"The route agent-api/user/" YUNFU_SEED_USER
                      "/task/" YUNFU_SEED_TASK "/detail/../../x could not be found.\"}");
}

static void test_the_seed_pages_error_examples(void **state)
{
    struct world *w = *state;
    /* The vendor's own error examples, compared as JSON with what the mock sends. */
    static const char *const files[] = {"task_not_found_response.json",
                                        "node_not_found_response.json"};
    static const char *const paths[] = {LIST_PATH(YUNFU_SEED_USER, "no-such-task"),
                                        LIST_PATH("no-such-user", YUNFU_SEED_TASK)};
    for (size_t i = 0; i < 2; i++) {
        char *file = test_format("%s/yunfu/examples/%s", FIXTURES_DIR, files[i]);
        cJSON *want = test_load_json(file);
        struct test_reply r = yunfu_mock_get(&w->mock, DEMO, paths[i]);
        assert_int_equal(r.status, 200);
        assert_true(cJSON_Compare(want, r.json, true));
        test_reply_free(&r);
        cJSON_Delete(want);
        free(file);
    }
}

static void test_sub_account(void **state)
{
    struct world *w = *state;
    struct test_ids all = yunfu_model_ids(w->records, YUNFU_SUB_TASK, NULL, NULL);
    expect_page(&w->mock, LIST_PATH(YUNFU_SEED_USER, YUNFU_SUB_TASK) "?sub_user_id=" YUNFU_SUB_USER,
                &all, 0, 15);
    test_ids_free(&all);
}

static void test_sub_account_errors(void **state)
{
    struct world *w = *state;
    /* Not a sub-account of this account (another main account, itself, unknown): no cloud node. */
    yunfu_mock_expect(&w->mock, DEMO, SEED_LIST "?sub_user_id=" YUNFU_NODE2_USER, 200, NO_NODE);
    yunfu_mock_expect(&w->mock, DEMO, SEED_LIST "?sub_user_id=" YUNFU_SEED_USER, 200, NO_NODE);
    yunfu_mock_expect(&w->mock, DEMO, SEED_LIST "?sub_user_id=nobody", 200, NO_NODE);
    /* The sub-account exists but the seed task is its parent's. */
    yunfu_mock_expect(&w->mock, DEMO, SEED_LIST "?sub_user_id=" YUNFU_SUB_USER, 200, NO_TASK);
    yunfu_mock_expect(
        &w->mock, DEMO, SEED_LIST "?sub_user_id[]=" YUNFU_SUB_USER, 422,
        "{\"message\":\"The sub user id must be a string.\",\"errors\":{\"sub_user_id\":[\"The "
        "sub user id "
        "must be a string.\"]}}");
    /* An empty value is no value (ConvertEmptyStringsToNull). */
    struct test_reply r = yunfu_mock_get(&w->mock, DEMO, SEED_LIST "?sub_user_id=&per_page=1");
    assert_int_equal(json_int_at(r.json, "meta.total"), SEED_TASK_SIZE);
    test_reply_free(&r);
}

static void test_check_order(void **state)
{
    struct world *w = *state;
    /* Authentication, then the account's node, then validation, then the task. */
    yunfu_mock_expect(&w->mock, NULL, LIST_PATH("nobody", "nothing") "?per_page=x", 401,
                      UNAUTHENTICATED);
    yunfu_mock_expect(&w->mock, DEMO, LIST_PATH("nobody", "nothing") "?per_page=x", 200, NO_NODE);
    yunfu_mock_expect(
        &w->mock, DEMO, LIST_PATH(YUNFU_SEED_USER, "nothing") "?per_page=x", 422,
        "{\"message\":\"The per page must be an integer.\",\"errors\":{\"per_page\":[\"The per "
        "page must be an "
        "integer.\"]}}");
}

/* ---- Laravel validation ---------------------------------------------------------------------- */

struct invalid {
    const char *query;
    const char *field;
    const char *message;
};

static void test_validation_single_errors(void **state)
{
    struct world *w = *state;
    static const struct invalid cases[] = {
        {"per_page=abc", "per_page", "The per page must be an integer."},
        {"per_page=1.5", "per_page", "The per page must be an integer."},
        {"per_page=007", "per_page", "The per page must be an integer."},
        {"per_page=0", "per_page", "The per page must be at least 1."},
        {"per_page=-3", "per_page", "The per page must be at least 1."},
        {"per_page=99999999999999999999", "per_page", "The per page must be an integer."},
        {"per_page[]=5", "per_page", "The per page must be an integer."},
        {"page=abc", "page", "The page must be an integer."},
        {"page=0", "page", "The page must be at least 1."},
        {"keyword[]=185", "keyword", "The keyword must be a string."},
        {"start_at=2022-09-01", "start_at", "The start at does not match the format Y-m-d H:i:s."},
        {"start_at=2022-09-01T00:00:00", "start_at",
         "The start at does not match the format Y-m-d H:i:s."},
        {"end_at=2022-02-30%2000:00:00", "end_at",
         "The end at does not match the format Y-m-d H:i:s."},
        {"end_at=2022-09-01%2024:00:00", "end_at",
         "The end at does not match the format Y-m-d H:i:s."},
        {"end_at[]=2022-09-01%2000:00:00", "end_at",
         "The end at does not match the format Y-m-d H:i:s."},
        {"levels=5", "levels", "The levels must be an array."},
        {"levels[0]=5", "levels.0", "The levels.0 must be an array."},
        {"levels[0][]=5", "levels.0", "The levels.0 must contain 2 items."},
        {"levels[0][]=1&levels[0][]=2&levels[0][]=3", "levels.0",
         "The levels.0 must contain 2 items."},
        {"levels[x][]=5", "levels.x", "The levels.x must contain 2 items."},
        {"levels[0][]=a&levels[0][]=5", "levels.0.0", "The levels.0.0 must be an integer."},
        {"levels[0][]=&levels[0][]=5", "levels.0.0", "The levels.0.0 must be an integer."},
        {"levels[0][]=0&levels[0][]=-5", "levels.0.1", "The levels.0.1 must be at least 0."},
        {"levels[0][]=500&levels[0][]=100", "levels.0.0",
         "The levels.0.0 must be less than or equal to 100."},
        {"levels[0][0][]=1&levels[0][1]=2", "levels.0.0", "The levels.0.0 must be an integer."},
        {"levels[]=&per_page=2", "levels.0",
         "The levels.0 must be an array."}, /* null is not an array */
        {"intention_tags=1", "intention_tags", "The intention tags must be an array."},
        {"intention_tags[]=9", "intention_tags.0", "The selected intention tags.0 is invalid."},
        {"intention_tags[]=0", "intention_tags.0", "The selected intention tags.0 is invalid."},
        {"intention_tags[]=A", "intention_tags.0", "The intention tags.0 must be an integer."},
        {"hangup_date=2022-09-01%2000:00:00", "hangup_date", "The hangup date must be an array."},
        {"hangup_date[]=2022-09-01%2000:00:00", "hangup_date",
         "The hangup date must contain 2 items."},
        {"hangup_date[]=2022-09-01&hangup_date[]=2022-09-02%2000:00:00", "hangup_date.0",
         "The hangup date.0 does not match the format Y-m-d H:i:s."},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *path = test_format("%s?%s", SEED_LIST, cases[i].query);
        char *body = test_format("{\"message\":\"%s\",\"errors\":{\"%s\":[\"%s\"]}}",
                                 cases[i].message, cases[i].field, cases[i].message);
        yunfu_mock_expect(&w->mock, DEMO, path, 422, body);
        free(path);
        free(body);
    }
}

static void test_validation_several_errors(void **state)
{
    struct world *w = *state;
    yunfu_mock_expect(&w->mock, DEMO, SEED_LIST "?page=x&per_page=0", 422,
                      "{\"message\":\"The page must be an integer. (and 1 more "
                      "error)\",\"errors\":{\"page\":[\"The page must "
                      "be an integer.\"],\"per_page\":[\"The per page must be at least 1.\"]}}");
    /* The rules' order decides which message leads, not the order in the query. */
    yunfu_mock_expect(
        &w->mock, DEMO, SEED_LIST "?levels=5&start_at=x&per_page=x", 422,
        "{\"message\":\"The per page must be an integer. (and 2 more "
        "errors)\",\"errors\":{\"per_page\":[\"The "
        "per page must be an integer.\"],\"start_at\":[\"The start at does not match the format "
        "Y-m-d "
        "H:i:s.\"],\"levels\":[\"The levels must be an array.\"]}}");
    /* levels.* before levels.*.*, as Laravel expands wildcard rules; a one-item range has no
     * levels.1.1 to compare levels.1.0 with, so lte is silent there. */
    yunfu_mock_expect(&w->mock, DEMO, SEED_LIST "?levels[0][]=a&levels[0][]=1&levels[1][]=1", 422,
                      "{\"message\":\"The levels.1 must contain 2 items. (and 1 more error)\","
                      "\"errors\":{\"levels.1\":[\"The levels.1 must contain 2 items.\"],"
                      "\"levels.0.0\":[\"The levels.0.0 must be an integer.\"]}}");
    /* Different fields of one range fail separately. */
    yunfu_mock_expect(&w->mock, DEMO, SEED_LIST "?levels[0][0][]=1&levels[0][0][]=2", 422,
                      "{\"message\":\"The levels.0 must contain 2 items. (and 1 more error)\","
                      "\"errors\":{\"levels.0\":[\"The levels.0 must contain 2 items.\"],"
                      "\"levels.0.0\":[\"The levels.0.0 must be an integer.\"]}}");
}

static void test_validation_accepts_laravel_forms(void **state)
{
    struct world *w = *state;
    /* TrimStrings, empty strings as null, PHP's integer forms, indexed inner keys (qs' default). */
    static const char *const ok[] = {
        "per_page=%202%20",
        "per_page=&page=",
        "page=%2B1&per_page=2",
        "levels[0][0]=0&levels[0][1]=5000",
        "levels[x][]=0&levels[x][]=5000",
        "start_at=&end_at=",
        "unknown=1&levels.x=5",
        "intention_tags[]=1&intention_tags[]=5&intention_tags[]=2",
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        char *path = test_format("%s?%s", SEED_LIST, ok[i]);
        struct test_reply r = yunfu_mock_get(&w->mock, DEMO, path);
        if (r.status != 200 || json_int_at(r.json, "code") != 200)
            fail_msg("%s: %d %s", ok[i], r.status, r.body);
        test_reply_free(&r);
        free(path);
    }
}

static void test_oversized_body(void **state)
{
    struct world *w = *state;
    /* Laravel's ValidatePostSize refuses it before anything else: 413 with an empty message. */
    struct test_reply r = test_mock_call_oversized(&w->mock, "GET", SEED_LIST, DEMO);
    assert_int_equal(r.status, 413);
    assert_string_equal(r.body, "{\"message\":\"\"}");
    test_reply_free(&r);
    r = yunfu_mock_get(&w->mock, DEMO, SEED_LIST "?per_page=1");
    assert_int_equal(json_int_at(r.json, "meta.total"), SEED_TASK_SIZE);
    test_reply_free(&r);
}

/* ---- paging ---------------------------------------------------------------------------------- */

static void test_golden_seed_request(void **state)
{
    struct world *w = *state;
    /* The seed page's example request with per_page=1: the example response, field for field. */
    struct test_reply r = yunfu_mock_get(
        &w->mock, DEMO, SEED_LIST "?page=1&keyword=" YUNFU_SEED_CALLEE "&per_page=1");
    assert_int_equal(r.status, 200);
    assert_non_null(r.json);
    if (!cJSON_Compare(w->example, r.json, true))
        fail_msg("the golden answer differs from the seed example: %s", r.body);
    assert_true(cJSON_IsString(json_at(r.json, "meta.per_page")));
    assert_true(cJSON_IsNull(json_at(r.json, "data.0.extra")));
    assert_true(cJSON_IsNull(json_at(r.json, "data.0.details.1.gender")));
    test_reply_free(&r);
}

static void test_paging_defaults(void **state)
{
    struct world *w = *state;
    struct test_ids all = yunfu_model_ids(w->records, YUNFU_SEED_TASK, NULL, NULL);
    assert_int_equal(all.count, SEED_TASK_SIZE);
    struct test_reply r = yunfu_mock_get(&w->mock, DEMO, SEED_LIST);
    expect_meta(
        &r, "{\"has_pages\":true,\"total\":78,\"last_page\":6,\"current_page\":1,\"per_page\":15}");
    test_reply_free(&r);
    expect_page(&w->mock, SEED_LIST, &all, 0, 15);
    expect_page(&w->mock, SEED_LIST "?page=6", &all, 75, 3);
    test_ids_free(&all);
}

static void test_paging_concatenation_is_the_task(void **state)
{
    struct world *w = *state;
    struct test_ids all = yunfu_model_ids(w->records, YUNFU_SEED_TASK, NULL, NULL), got = {0};
    for (int page = 1; page <= 12; page++) { /* 78 records, 7 a page: 11 pages and one empty */
        char *path = test_format("%s?page=%d&per_page=7", SEED_LIST, page);
        struct test_reply r = yunfu_mock_get(&w->mock, DEMO, path);
        assert_int_equal(json_int_at(r.json, "meta.last_page"), 12);
        assert_int_equal(json_int_at(r.json, "meta.current_page"), page);
        assert_string_equal(json_str_at(r.json, "meta.per_page"), "7");
        struct test_ids ids = list_ids(&r);
        assert_int_equal(ids.count, page < 12 ? 7 : 78 - 77);
        for (size_t i = 0; i < ids.count; i++)
            test_ids_add(&got, ids.items[i]);
        test_ids_free(&ids);
        test_reply_free(&r);
        free(path);
    }
    test_ids_assert_equal(&all, &got);
    test_ids_free(&all);
    test_ids_free(&got);
}

static void test_paging_exact_multiple(void **state)
{
    struct world *w = *state;
    /* 78 = 6 x 13: the sixth page is full and last; the seventh is past the end. */
    struct test_reply r = yunfu_mock_get(&w->mock, DEMO, SEED_LIST "?page=6&per_page=13");
    expect_meta(
        &r,
        "{\"has_pages\":true,\"total\":78,\"last_page\":6,\"current_page\":6,\"per_page\":\"13\"}");
    struct test_ids ids = list_ids(&r);
    assert_int_equal(ids.count, 13);
    test_ids_free(&ids);
    test_reply_free(&r);
    r = yunfu_mock_get(&w->mock, DEMO, SEED_LIST "?page=7&per_page=13");
    expect_meta(
        &r,
        "{\"has_pages\":true,\"total\":78,\"last_page\":6,\"current_page\":7,\"per_page\":\"13\"}");
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "data")), 0);
    test_reply_free(&r);
    /* Everything on one page: no pages to speak of. */
    r = yunfu_mock_get(&w->mock, DEMO, SEED_LIST "?per_page=78");
    expect_meta(&r, "{\"has_pages\":false,\"total\":78,\"last_page\":1,\"current_page\":1,\"per_"
                    "page\":\"78\"}");
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "data")), 78);
    test_reply_free(&r);
}

static void test_paging_empty_task(void **state)
{
    struct world *w = *state;
    yunfu_mock_expect(
        &w->mock, DEMO, LIST_PATH(YUNFU_SEED_USER, YUNFU_EMPTY_TASK), 200,
        "{\"code\":200,\"status\":\"success\",\"message\":\"查看通话记录列表成功\",\"meta\":{"
        "\"has_pages\":false,"
        "\"total\":0,\"last_page\":1,\"current_page\":1,\"per_page\":15},\"data\":[]}");
    yunfu_mock_expect(
        &w->mock, DEMO, LIST_PATH(YUNFU_SEED_USER, YUNFU_EMPTY_TASK) "?page=3&per_page=5", 200,
        "{\"code\":200,\"status\":\"success\",\"message\":\"查看通话记录列表成功\",\"meta\":{"
        "\"has_pages\":true,"
        "\"total\":0,\"last_page\":1,\"current_page\":3,\"per_page\":\"5\"},\"data\":[]}");
}

static void test_paging_past_the_end(void **state)
{
    struct world *w = *state;
    struct test_reply r = yunfu_mock_get(
        &w->mock, DEMO, SEED_LIST "?page=9223372036854775807&per_page=9223372036854775807");
    /* Compared as text: a double cannot hold these numbers. */
    assert_non_null(strstr(r.body, "\"meta\":{\"has_pages\":true,\"total\":78,\"last_page\":1,"
                                   "\"current_page\":9223372036854775807,"
                                   "\"per_page\":\"9223372036854775807\"}"));
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "data")), 0);
    test_reply_free(&r);
    r = yunfu_mock_get(&w->mock, DEMO,
                       SEED_LIST "?page=100000000000&per_page=100000000000&keyword=1");
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "data")), 0);
    test_reply_free(&r);
}

static void test_per_page_as_given(void **state)
{
    struct world *w = *state;
    /* The paginator echoes the request's text: trimmed, a plus sign kept. */
    struct test_reply r = yunfu_mock_get(&w->mock, DEMO, SEED_LIST "?per_page=%2B2");
    assert_string_equal(json_str_at(r.json, "meta.per_page"), "+2");
    assert_int_equal(json_int_at(r.json, "meta.last_page"), 39);
    test_reply_free(&r);
    r = yunfu_mock_get(&w->mock, DEMO, SEED_LIST "?per_page=%205");
    assert_string_equal(json_str_at(r.json, "meta.per_page"), "5");
    test_reply_free(&r);

    struct test_mock m;
    const char *const variants[] = {"yunfu.per_page_type=number", NULL};
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, variants);
    r = yunfu_mock_get(&m, DEMO, SEED_LIST "?page=1&keyword=" YUNFU_SEED_CALLEE "&per_page=1");
    expect_meta(
        &r, "{\"has_pages\":true,\"total\":29,\"last_page\":29,\"current_page\":1,\"per_page\":1}");
    test_reply_free(&r);
    test_mock_stop(&m);
}

/* ---- filters --------------------------------------------------------------------------------- */

static bool callee_contains(const cJSON *r, const void *arg)
{
    const cJSON *c = json_at(r, "callee");
    return cJSON_IsString(c) && strstr(c->valuestring, arg);
}

static bool calldate_between(const cJSON *r, const void *arg)
{
    const char *const *bounds = arg;
    const char *t = json_str_at(r, "calldate");
    return strcmp(t, bounds[0]) >= 0 && strcmp(t, bounds[1]) <= 0;
}

static bool hangup_between(const cJSON *r, const void *arg)
{
    const char *const *bounds = arg;
    const cJSON *t = json_at(r, "hangupdate");
    return cJSON_IsString(t) && strcmp(t->valuestring, bounds[0]) >= 0 &&
           strcmp(t->valuestring, bounds[1]) <= 0;
}

static bool score_in_levels(const cJSON *r, const void *arg)
{
    (void)arg;
    const cJSON *s = json_at(r, "score");
    if (!cJSON_IsNumber(s))
        return false;
    int64_t v = (int64_t)s->valuedouble;
    return (v >= 0 && v <= 100) || (v >= 900 && v <= 2000);
}

static bool intention_a_or_b(const cJSON *r, const void *arg)
{
    (void)arg;
    const cJSON *i = json_at(r, "intention_results");
    return cJSON_IsNumber(i) && (i->valueint == 1 || i->valueint == 2);
}

static void check_filter(struct world *w, const char *query, yunfu_pred pred, const void *arg,
                         size_t at_least)
{
    struct test_ids want = yunfu_model_ids(w->records, YUNFU_SEED_TASK, pred, arg);
    if (want.count < at_least)
        fail_msg("%s: the fixture should hold at least %zu matches, has %zu", query, at_least,
                 want.count);
    char *path = test_format("%s?per_page=500&%s", SEED_LIST, query);
    expect_ids(&w->mock, path, &want);
    free(path);
    test_ids_free(&want);
}

static void test_filter_keyword(void **state)
{
    struct world *w = *state;
    check_filter(w, "keyword=" YUNFU_SEED_CALLEE, callee_contains, YUNFU_SEED_CALLEE, 29);
    check_filter(w, "keyword=5552554", callee_contains, "5552554", 29); /* part of the number */
    check_filter(w, "keyword=%20188%20", callee_contains, "188", 1);    /* trimmed */
    check_filter(w, "keyword=no-such-number", callee_contains, "no-such-number", 0);
    /* SQL LIKE: '_' is any one character, '%' any run; an empty keyword is no filter. */
    check_filter(w, "keyword=1855552554_", callee_contains, YUNFU_SEED_CALLEE, 29);
    check_filter(w, "keyword=185%25545", callee_contains, YUNFU_SEED_CALLEE, 29);
    check_filter(w, "keyword=", NULL, NULL, 78);
}

static void test_filter_time_window(void **state)
{
    struct world *w = *state;
    /* Bounds are inclusive and compared with calldate: take two real calls as the bounds. */
    struct test_ids all = yunfu_model_ids(w->records, YUNFU_SEED_TASK, NULL, NULL);
    const char *newer = json_str_at(yunfu_model_record(w->records, all.items[10]), "calldate");
    const char *older = json_str_at(yunfu_model_record(w->records, all.items[40]), "calldate");
    const char *bounds[] = {older, newer};
    char *query = test_format("start_at=%.10s%%20%s&end_at=%.10s%%20%s", older, older + 11, newer,
                              newer + 11);
    check_filter(w, query, calldate_between, bounds, 31);
    free(query);
    /* One second less at each end loses exactly the two bounding calls. */
    struct test_reply r = yunfu_mock_get(
        &w->mock, DEMO,
        SEED_LIST "?per_page=1&start_at=2022-09-29%2015:09:13&end_at=2022-09-29%2015:09:13");
    assert_int_equal(json_int_at(r.json, "meta.total"), 1);
    assert_string_equal(json_str_at(r.json, "data.0.id"), YUNFU_SEED_RECORD);
    test_reply_free(&r);
    r = yunfu_mock_get(&w->mock, DEMO, SEED_LIST "?per_page=1&start_at=2022-09-29%2015:09:14");
    assert_int_equal(json_int_at(r.json, "meta.total"), 0);
    test_reply_free(&r);
    /* start after end: nothing, not an error. */
    r = yunfu_mock_get(&w->mock, DEMO,
                       SEED_LIST "?start_at=2022-09-01%2000:00:00&end_at=2022-08-01%2000:00:00");
    assert_int_equal(json_int_at(r.json, "meta.total"), 0);
    test_reply_free(&r);
    test_ids_free(&all);
}

static void test_filter_levels_intentions_hangup(void **state)
{
    struct world *w = *state;
    check_filter(w, "levels[0][]=0&levels[0][]=100&levels[1][]=900&levels[1][]=2000",
                 score_in_levels, NULL, 40);
    check_filter(w, "intention_tags[]=1&intention_tags[]=2", intention_a_or_b, NULL, 10);
    const char *bounds[] = {"2022-03-01 00:00:00", "2022-06-30 23:59:59"};
    check_filter(w, "hangup_date[]=2022-03-01%2000:00:00&hangup_date[]=2022-06-30%2023:59:59",
                 hangup_between, bounds, 10);
}

static bool seed_callee_and_level_a(const cJSON *r, const void *arg)
{
    return callee_contains(r, YUNFU_SEED_CALLEE) && intention_a_or_b(r, arg) &&
           json_at(r, "intention_results")->valueint == 1;
}

static void test_filter_combination(void **state)
{
    struct world *w = *state;
    check_filter(w, "keyword=" YUNFU_SEED_CALLEE "&intention_tags[]=1", seed_callee_and_level_a,
                 NULL, 2);
}

/* ---- the legacy path ------------------------------------------------------------------------- */

static void test_legacy_uses_the_default_node(void **state)
{
    struct world *w = *state;
    struct test_ids want = yunfu_model_ids(w->records, YUNFU_SEED_TASK, NULL, NULL);
    expect_ids(&w->mock, "/agent-api/task/" YUNFU_SEED_TASK "/record?per_page=100", &want);
    test_ids_free(&want);
    /* The sub-account's task is on the default node too; node 2 and other partners are not
     * reachable. */
    want = yunfu_model_ids(w->records, YUNFU_SUB_TASK, NULL, NULL);
    expect_ids(&w->mock, "/agent-api/task/" YUNFU_SUB_TASK "/record?per_page=100", &want);
    expect_ids(&w->mock,
               "/agent-api/task/" YUNFU_SUB_TASK "/record?per_page=100&sub_user_id=" YUNFU_SUB_USER,
               &want);
    test_ids_free(&want);
    yunfu_mock_expect(&w->mock, DEMO, "/agent-api/task/" YUNFU_NODE2_TASK "/record", 200, NO_TASK);
    yunfu_mock_expect(&w->mock, DEMO, "/agent-api/task/" YUNFU_QA_DEFAULT_NODE_TASK "/record", 200,
                      NO_TASK);
    yunfu_mock_expect(&w->mock, DEMO,
                      "/agent-api/task/" YUNFU_SEED_TASK "/record?sub_user_id=" YUNFU_SUB_USER, 200,
                      NO_TASK);
    yunfu_mock_expect(&w->mock, DEMO,
                      "/agent-api/task/" YUNFU_NODE2_TASK "/record?sub_user_id=" YUNFU_NODE2_USER,
                      200, NO_NODE);
    yunfu_mock_expect(&w->mock, NULL, "/agent-api/task/" YUNFU_SEED_TASK "/record", 401,
                      UNAUTHENTICATED);
}

static void test_legacy_retired(void **state)
{
    (void)state;
    struct test_mock m;
    const char *const variants[] = {"yunfu.legacy=off", NULL};
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, variants);
    /* A retired route is simply not there: 404 before authentication. */
    const char *body =
        "{\"message\":\"The route agent-api/task/" YUNFU_SEED_TASK "/record could not be found.\"}";
    yunfu_mock_expect(&m, DEMO, "/agent-api/task/" YUNFU_SEED_TASK "/record", 404, body);
    yunfu_mock_expect(&m, NULL, "/agent-api/task/" YUNFU_SEED_TASK "/record", 404, body);
    struct test_reply r = yunfu_mock_get(&m, DEMO, SEED_LIST "?per_page=1");
    assert_int_equal(json_int_at(r.json, "meta.total"), SEED_TASK_SIZE);
    test_reply_free(&r);
    test_mock_stop(&m);
}

/* ---- one call -------------------------------------------------------------------------------- */

/* A detail answer: HTTP 200, code 200, the detail message; returns its data. */
static const cJSON *detail_data(const struct test_reply *r)
{
    if (r->status != 200 || !r->json || json_int_at(r->json, "code") != 200)
        fail_msg("expected a success, got %d %s", r->status, r->body);
    assert_string_equal(json_str_at(r->json, "status"), "success");
    assert_string_equal(json_str_at(r->json, "message"), "查看通话记录详情成功");
    return json_at(r->json, "data");
}

static void assert_json_equal(const cJSON *want, const cJSON *got)
{
    if (cJSON_Compare(want, got, true))
        return;
    char *a = cJSON_PrintUnformatted(want), *b = cJSON_PrintUnformatted(got);
    fail_msg("expected %s\n     got %s", a ? a : "(nothing)", b ? b : "(nothing)");
}

static void test_detail_of_the_seed_record(void **state)
{
    struct world *w = *state;
    struct test_reply r = yunfu_mock_get(&w->mock, DEMO, SEED_DETAIL YUNFU_SEED_RECORD);
    const cJSON *data = detail_data(&r);
    /* The documented shape: data is an object whose only member, records, holds the rows. */
    assert_int_equal(cJSON_GetArraySize(data), 1);
    const cJSON *rows = json_at(data, "records");
    assert_int_equal(cJSON_GetArraySize(rows), 4);
    /* It opens with the detail page's own row, every printed member as printed ... */
    cJSON *page = test_load_json(YUNFU_DETAIL_EXAMPLE);
    const cJSON *printed = json_at(page, "data.records.0"), *first = json_at(rows, "0"), *member;
    cJSON_ArrayForEach(member, printed)
        assert_json_equal(member, cJSON_GetObjectItemCaseSensitive(first, member->string));
    assert_string_equal(json_str_at(rows, "0.id"), YUNFU_SEED_OPENING_ROW);
    assert_string_equal(json_str_at(rows, "0.notify"), "enter");
    /* ... then the list example's three rows, by sequence: 10, 11, 12. */
    static const char *const listed[] = {"2", "0", "1"};
    for (int i = 0; i < 3; i++) {
        char *at = test_format("data.0.details.%s", listed[i]);
        assert_json_equal(json_at(w->example, at), cJSON_GetArrayItem(rows, i + 1));
        free(at);
        assert_int_equal(json_int_at(cJSON_GetArrayItem(rows, i + 1), "sequence"), 10 + i);
    }
    cJSON_Delete(page);
    test_reply_free(&r);
    /* The list still shows the record exactly as its page printed it. */
    r = yunfu_mock_get(&w->mock, DEMO,
                       SEED_LIST "?page=1&keyword=" YUNFU_SEED_CALLEE "&per_page=1");
    assert_json_equal(w->example, r.json);
    test_reply_free(&r);
}

static void test_detail_errors(void **state)
{
    struct world *w = *state;
    yunfu_mock_expect(&w->mock, DEMO, SEED_DETAIL "00000000-0000-0000-0000-000000000000", 200,
                      NO_RECORD);
    /* A real record of another task is not in this one. */
    struct test_ids other = yunfu_model_ids(w->records, YUNFU_SECOND_TASK, NULL, NULL);
    char *path = test_format("%s%s", SEED_DETAIL, other.items[0]);
    yunfu_mock_expect(&w->mock, DEMO, path, 200, NO_RECORD);
    free(path);
    test_ids_free(&other);
    yunfu_mock_expect(&w->mock, DEMO,
                      "/agent-api/user/" YUNFU_SEED_USER "/task/nope/detail/" YUNFU_SEED_RECORD,
                      200, NO_TASK);
    yunfu_mock_expect(&w->mock, NULL, SEED_DETAIL YUNFU_SEED_RECORD, 401, UNAUTHENTICATED);

    struct test_mock m;
    const char *const variants[] = {"yunfu.missing_record=http404", NULL};
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, variants);
    yunfu_mock_expect(&m, DEMO, SEED_DETAIL "abc", 404,
                      "{\"message\":\"No query results for model [App\\\\Models\\\\Record] abc\"}");
    /* A record id that is not UTF-8 cannot be written into JSON: PHP's json_encode fails and
     * Laravel's handler answers its own 500. */
    yunfu_mock_expect(&m, DEMO, SEED_DETAIL "%FF%FE", 500, "{\"message\":\"Server Error\"}");
    test_mock_stop(&m);
}

static bool answered(const cJSON *r, const void *arg)
{
    (void)arg;
    return cJSON_IsString(json_at(r, "answerdate"));
}

static void test_detail_of_a_sub_account_record(void **state)
{
    struct world *w = *state;
    struct test_ids ids = yunfu_model_ids(w->records, YUNFU_SUB_TASK, answered, NULL);
    char *path = test_format("/agent-api/user/%s/task/%s/detail/%s?sub_user_id=%s", YUNFU_SEED_USER,
                             YUNFU_SUB_TASK, ids.items[3], YUNFU_SUB_USER);
    struct test_reply r = yunfu_mock_get(&w->mock, DEMO, path);
    cJSON *want = yunfu_model_dialogue(yunfu_model_record(w->records, ids.items[3]), NULL);
    assert_in_range(cJSON_GetArraySize(want), 1, 64);
    assert_json_equal(want, json_at(detail_data(&r), "records"));
    cJSON_Delete(want);
    test_reply_free(&r);
    free(path);
    path = test_format("/agent-api/user/%s/task/%s/detail/%s", YUNFU_SEED_USER, YUNFU_SUB_TASK,
                       ids.items[3]);
    yunfu_mock_expect(&w->mock, DEMO, path, 200, NO_TASK);
    free(path);
    test_ids_free(&ids);
}

/* Every answered call's rows come by sequence, 1 first (the opening "enter" row). */
static void test_detail_rows_in_sequence(void **state)
{
    struct world *w = *state;
    struct test_ids ids = yunfu_model_ids(w->records, YUNFU_SEED_TASK, NULL, NULL);
    size_t answered = 0;
    for (size_t i = 0; i < ids.count; i++) {
        const cJSON *rec = yunfu_model_record(w->records, ids.items[i]);
        char *path = test_format("%s%s", SEED_DETAIL, ids.items[i]);
        struct test_reply r = yunfu_mock_get(&w->mock, DEMO, path);
        const cJSON *rows = json_at(detail_data(&r), "records"), *row;
        cJSON *want = yunfu_model_dialogue(rec, w->dialogues);
        assert_json_equal(want, rows);
        int64_t last = 0;
        cJSON_ArrayForEach(row, rows) {
            assert_in_range(json_int_at(row, "sequence"), last + 1, INT64_MAX);
            last = json_int_at(row, "sequence");
        }
        if (cJSON_GetArraySize(rows)) {
            answered++;
            assert_int_equal(json_int_at(rows, "0.sequence"), 1);
            assert_string_equal(json_str_at(rows, "0.notify"), "enter");
            assert_string_equal(json_str_at(rows, "0.question"), "");
        }
        cJSON_Delete(want);
        test_reply_free(&r);
        free(path);
    }
    assert_in_range(answered, 20, SIZE_MAX);
    test_ids_free(&ids);
}

static void test_detail_other_shapes(void **state)
{
    struct world *w = *state;
    const cJSON *seed = yunfu_model_record(w->records, YUNFU_SEED_RECORD);
    /* detail_data=record: the call record as the list shows it. */
    struct test_mock m;
    const char *const record[] = {"yunfu.detail_data=record", NULL};
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, record);
    struct test_reply r = yunfu_mock_get(&m, DEMO, SEED_DETAIL YUNFU_SEED_RECORD);
    assert_json_equal(seed, detail_data(&r));
    test_reply_free(&r);
    test_mock_stop(&m);
    /* detail_data=rows: the bare rows, by sequence. */
    const char *const rows[] = {"yunfu.detail_data=rows", NULL};
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, rows);
    r = yunfu_mock_get(&m, DEMO, SEED_DETAIL YUNFU_SEED_RECORD);
    cJSON *want = yunfu_model_dialogue(seed, w->dialogues);
    assert_json_equal(want, detail_data(&r));
    cJSON_Delete(want);
    test_reply_free(&r);
    /* An unanswered call has no rows. */
    const cJSON *rec;
    const char *silent = NULL;
    cJSON_ArrayForEach(rec, w->records) {
        if (!silent && strcmp(json_str_at(rec, "task_id"), YUNFU_SEED_TASK) == 0 &&
            cJSON_IsNull(json_at(rec, "answerdate")))
            silent = json_str_at(rec, "id");
    }
    assert_non_null(silent);
    char *path = test_format("%s%s", SEED_DETAIL, silent);
    yunfu_mock_expect(
        &m, DEMO, path, 200,
        "{\"code\":200,\"status\":\"success\",\"message\":\"查看通话记录详情成功\",\"data\":[]}");
    free(path);
    test_mock_stop(&m);
    path = test_format("%s%s", SEED_DETAIL, silent);
    yunfu_mock_expect(&w->mock, DEMO, path, 200,
                      "{\"code\":200,\"status\":\"success\",\"message\":\"查看通话记录详情成功\","
                      "\"data\":{\"records\":[]}}");
    free(path);
}

static void test_detail_legacy_path(void **state)
{
    struct world *w = *state;
    /* The retired path without the account, on the default node, like the legacy list. */
    struct test_reply a = yunfu_mock_get(&w->mock, DEMO, SEED_DETAIL YUNFU_SEED_RECORD);
    struct test_reply b = yunfu_mock_get(
        &w->mock, DEMO, "/agent-api/task/" YUNFU_SEED_TASK "/detail/" YUNFU_SEED_RECORD);
    assert_int_equal(b.status, 200);
    assert_string_equal(a.body, b.body);
    test_reply_free(&a);
    test_reply_free(&b);
    yunfu_mock_expect(&w->mock, DEMO, "/agent-api/task/" YUNFU_SEED_TASK "/detail/nope", 200,
                      NO_RECORD);
    yunfu_mock_expect(&w->mock, DEMO,
                      "/agent-api/task/" YUNFU_NODE2_TASK "/detail/" YUNFU_SEED_RECORD, 200,
                      NO_TASK);
    yunfu_mock_expect(&w->mock, NULL,
                      "/agent-api/task/" YUNFU_SEED_TASK "/detail/" YUNFU_SEED_RECORD, 401,
                      UNAUTHENTICATED);
    struct test_mock m;
    const char *const off[] = {"yunfu.legacy=off", NULL};
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, off);
    yunfu_mock_expect(&m, DEMO, "/agent-api/task/" YUNFU_SEED_TASK "/detail/" YUNFU_SEED_RECORD,
                      404,
                      "{\"message\":\"The route agent-api/task/" YUNFU_SEED_TASK
                      "/detail/" YUNFU_SEED_RECORD " could not be found.\"}");
    test_mock_stop(&m);
}

/* ---- routing --------------------------------------------------------------------------------- */

static void test_routing(void **state)
{
    struct world *w = *state;
    yunfu_mock_expect(&w->mock, DEMO, "/agent-api/users/" YUNFU_SEED_USER, 404,
                      "{\"message\":\"The route agent-api/users/" YUNFU_SEED_USER
                      " could not be found.\"}");
    yunfu_mock_expect(&w->mock, DEMO, "/agent-api", 404,
                      "{\"message\":\"The route agent-api could not be found.\"}");
    yunfu_mock_expect(&w->mock, DEMO, "/agent-api/user//task/" YUNFU_SEED_TASK "/record", 404,
                      "{\"message\":\"The route agent-api/user//task/" YUNFU_SEED_TASK
                      "/record could not be found.\"}");
    /* The message names the path as sent (Symfony's path info is never URL-decoded): bytes a
     * client must escape come back escaped, so the body stays valid UTF-8 JSON. */
    yunfu_mock_expect(
        &w->mock, DEMO, "/agent-api/%FF%C3%28/a%20b/%E4%BB%BB", 404,
        "{\"message\":\"The route agent-api/%FF%C3(/a%20b/%E4%BB%BB could not be found.\"}");
    struct test_reply bad =
        test_mock_call(&w->mock, "DELETE", "/agent-api/token%FF", DEMO, NULL, 0);
    assert_int_equal(bad.status, 404);
    assert_non_null(bad.json);
    test_reply_free(&bad);
    bad = test_mock_call(&w->mock, "PUT", SEED_LIST, DEMO, NULL, 0);
    assert_int_equal(bad.status, 405);
    test_reply_free(&bad);
    /* Trailing slashes are ignored, as Laravel's router does. */
    struct test_reply r = yunfu_mock_get(&w->mock, DEMO, SEED_LIST "/?per_page=1");
    assert_int_equal(json_int_at(r.json, "meta.total"), SEED_TASK_SIZE);
    test_reply_free(&r);

    r = test_mock_call(&w->mock, "POST", SEED_LIST, DEMO, "{}", 2);
    assert_int_equal(r.status, 405);
    assert_string_equal(
        r.body,
        "{\"message\":\"The POST method is not supported for route agent-api/user/" YUNFU_SEED_USER
        "/task/" YUNFU_SEED_TASK "/record. Supported methods: GET, HEAD.\"}");
    assert_non_null(strstr(r.headers, "Allow: GET, HEAD\n"));
    test_reply_free(&r);
    r = test_mock_call(&w->mock, "OPTIONS", "/agent-api/token", NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "");
    assert_non_null(strstr(r.headers, "Allow: GET,HEAD\n"));
    test_reply_free(&r);
    r = test_mock_call(&w->mock, "HEAD", SEED_LIST "?per_page=1", DEMO, NULL, 0);
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
}

/* ---- what the pages leave open, as variants -----------------------------------------------------
 */

static void test_order_and_keyword_variants(void **state)
{
    struct world *w = *state;
    struct test_ids newest = yunfu_model_ids(w->records, YUNFU_SEED_TASK, NULL, NULL);
    struct test_ids oldest = {0};
    for (size_t i = newest.count; i > 0; i--)
        test_ids_add(&oldest, newest.items[i - 1]);
    struct test_mock m;
    const char *const order[] = {"yunfu.order=oldest", NULL};
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, order);
    expect_page(&m, SEED_LIST "?per_page=10&page=2", &oldest, 10, 10);
    test_mock_stop(&m);
    test_ids_free(&oldest);
    test_ids_free(&newest);
    /* keyword_match=exact: a part of the number finds nothing, the whole number its calls. */
    const char *const exact[] = {"yunfu.keyword_match=exact", NULL};
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, exact);
    struct test_reply r = yunfu_mock_get(&m, DEMO, SEED_LIST "?keyword=5552554");
    assert_int_equal(json_int_at(r.json, "meta.total"), 0);
    test_reply_free(&r);
    r = yunfu_mock_get(&m, DEMO, SEED_LIST "?keyword=" YUNFU_SEED_CALLEE);
    assert_int_equal(json_int_at(r.json, "meta.total"), 29);
    test_reply_free(&r);
    test_mock_stop(&m);
}

static void test_per_page_and_missing_record_variants(void **state)
{
    (void)state;
    struct test_mock m;
    const char *const string[] = {"yunfu.per_page_type=string", "yunfu.missing_record=empty", NULL};
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, string);
    struct test_reply r = yunfu_mock_get(&m, DEMO, SEED_LIST);
    expect_meta(&r, "{\"has_pages\":true,\"total\":78,\"last_page\":6,\"current_page\":1,"
                    "\"per_page\":\"15\"}");
    test_reply_free(&r);
    yunfu_mock_expect(&m, DEMO, SEED_DETAIL "nope", 200,
                      "{\"code\":200,\"status\":\"success\",\"message\":\"查看通话记录详情成功\","
                      "\"data\":{\"records\":[]}}");
    test_mock_stop(&m);
}

/* ---- rate limit ------------------------------------------------------------------------------ */

static void test_rate_limit(void **state)
{
    (void)state;
    struct test_mock m;
    const char *const variants[] = {"yunfu.rate_limit=3", NULL};
    test_mock_start(&m, FIXTURES_DIR, NOW_MS, variants);
    for (int i = 0; i < 3; i++) {
        struct test_reply r = yunfu_mock_get(&m, DEMO, "/agent-api/token");
        assert_int_equal(r.status, 200);
        char *line = test_format("X-RateLimit-Limit: 3\nX-RateLimit-Remaining: %d\n", 2 - i);
        assert_string_equal(r.headers, line);
        free(line);
        test_reply_free(&r);
    }
    mock_clock_advance_ms(&m.server->clock, 20000);
    struct test_reply r = yunfu_mock_get(&m, DEMO, SEED_LIST);
    assert_int_equal(r.status, 429);
    assert_string_equal(r.body, "{\"message\":\"Too Many Attempts.\"}");
    char *headers = test_format("X-RateLimit-Limit: 3\nX-RateLimit-Remaining: 0\nRetry-After: "
                                "40\nX-RateLimit-Reset: %lld\n",
                                (long long)(NOW_MS / 1000 + 60));
    assert_string_equal(r.headers, headers);
    free(headers);
    test_reply_free(&r);
    /* Per token: another partner still has its minute; unauthenticated requests are not counted. */
    r = yunfu_mock_get(&m, QA, "/agent-api/token");
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    yunfu_mock_expect(&m, NULL, "/agent-api/token", 401, UNAUTHENTICATED);
    /* A minute after the first request the window starts over. */
    mock_clock_advance_ms(&m.server->clock, 40000);
    r = yunfu_mock_get(&m, DEMO, "/agent-api/token");
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    /* A reset forgets every counter. */
    for (int i = 0; i < 2; i++) {
        r = yunfu_mock_get(&m, DEMO, "/agent-api/token");
        test_reply_free(&r);
    }
    r = yunfu_mock_get(&m, DEMO, "/agent-api/token");
    assert_int_equal(r.status, 429);
    test_reply_free(&r);
    char err[256];
    assert_true(mock_server_reset(m.server, err, sizeof(err)));
    r = yunfu_mock_get(&m, DEMO, "/agent-api/token");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.headers, "X-RateLimit-Remaining: 2\n"));
    test_reply_free(&r);
    test_mock_stop(&m);
}

static void test_variants_are_checked(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "yunfu.legacy=maybe",     "yunfu.rate_limit=-1",        "yunfu.rate_limit=x",
        "yunfu.detail_data=json", "yunfu.nonsense=1",           "yunfu.score_range=loose",
        "yunfu.intention_tags=x", "yunfu.voice_download=zip",   "yunfu.batch_data=set",
        "yunfu.voice_ttl=0",      "yunfu.voice_ttl=99999999999"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct mock_config cfg;
        mock_config_init(&cfg);
        cfg.data_dir = strdup(FIXTURES_DIR);
        assert_true(mock_config_add_variant(&cfg, bad[i]));
        char err[512] = "";
        struct mock_server *s = mock_server_new(&cfg, err, sizeof(err));
        if (s)
            fail_msg("%s was accepted", bad[i]);
        assert_non_null(strstr(err, "--variant yunfu."));
        mock_config_free(&cfg);
    }
}

/* ---- hostile input --------------------------------------------------------------------------- */

/* Raw pairs straight into the handler: more, longer and stranger than a URL helper would build. */
static struct test_reply call_pairs(struct test_mock *m, const struct mock_kv *pairs, size_t n)
{
    struct mock_kv headers[] = {{"Authorization", "Bearer " YUNFU_DEMO_TOKEN}};
    struct mock_request req = {"GET", SEED_LIST, pairs, n,           headers, 1,
                               "",    0,         false, "127.0.0.1", NULL};
    struct mock_response resp;
    mock_response_init(&resp);
    mock_server_handle(m->server, &req, &resp);
    struct test_reply r = {0};
    r.status = resp.status;
    r.body = strndup(resp.body ? resp.body : "", resp.body_len);
    assert_non_null(r.body);
    r.json = cJSON_Parse(r.body);
    mock_response_free(&resp);
    return r;
}

static void test_hostile_queries(void **state)
{
    struct world *w = *state;
    static char deep[2048], longname[3000], longvalue[70000];
    strcpy(deep, "levels");
    for (int i = 0; i < 100; i++)
        strcat(deep, "[0]");
    memset(longname, 'a', sizeof(longname) - 1);
    memset(longvalue, '9', sizeof(longvalue) - 1);
    struct mock_kv odd[] = {
        {"[]", "1"},
        {"levels[", "1"},
        {"levels]", "1"},
        {deep, "1"},
        {longname, "1"},
        {"keyword", longvalue},
        {"levels[0][]", "\xff\xfe"},
        {"per_page", "1"},
        {"levels[0]", "x"},
        {"levels[0][]", "0"},
        {"levels[0][]", "10"},
        {"keyword", "%_\\"},
    };
    /* PHP drops too-deep and nameless variables; later values overwrite earlier ones. */
    struct test_reply r = call_pairs(&w->mock, odd, sizeof(odd) / sizeof(odd[0]));
    assert_int_equal(r.status, 200);
    /* levels[0] became [0, 10] and keyword "%_\\" wants a backslash no number has. */
    assert_int_equal(json_int_at(r.json, "meta.total"), 0);
    assert_string_equal(json_str_at(r.json, "meta.per_page"), "1");
    test_reply_free(&r);

    /* 5000 parameters: PHP reads the first 1000 (max_input_vars). */
    static struct mock_kv many[5000];
    for (size_t i = 0; i < 5000; i++)
        many[i] =
            (struct mock_kv){i < 4000 ? "intention_tags[]" : "per_page", i < 4000 ? "1" : "0"};
    r = call_pairs(&w->mock, many, 5000);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_int_at(r.json, "meta.per_page"),
                     15); /* the per_page=0 pairs never arrived */
    test_reply_free(&r);
    /* A value that is not UTF-8 is just a string that matches nothing. */
    struct mock_kv binary[] = {{"keyword", "\xc3\x28\xa0\xa1"}, {"per_page", "1"}};
    r = call_pairs(&w->mock, binary, 2);
    assert_int_equal(json_int_at(r.json, "meta.total"), 0);
    test_reply_free(&r);
    /* And the mock is unharmed. */
    r = yunfu_mock_get(&w->mock, DEMO,
                       SEED_LIST "?page=1&keyword=" YUNFU_SEED_CALLEE "&per_page=1");
    assert_true(cJSON_Compare(w->example, r.json, true));
    test_reply_free(&r);
}

/* ---- reset ----------------------------------------------------------------------------------- */

static void test_reset_reloads(void **state)
{
    struct world *w = *state;
    char err[256];
    assert_true(mock_server_reset(w->mock.server, err, sizeof(err)));
    struct test_reply r = yunfu_mock_get(
        &w->mock, DEMO, SEED_LIST "?page=1&keyword=" YUNFU_SEED_CALLEE "&per_page=1");
    assert_true(cJSON_Compare(w->example, r.json, true));
    test_reply_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auth_missing_header),
        cmocka_unit_test(test_auth_unknown_token),
        cmocka_unit_test(test_auth_bearer_parsing_like_laravel),
        cmocka_unit_test(test_auth_expired_token),
        cmocka_unit_test(test_auth_envelope_variant),
        cmocka_unit_test(test_token_endpoint),
        cmocka_unit_test(test_unknown_account_is_1002),
        cmocka_unit_test(test_unknown_task_is_5002),
        cmocka_unit_test(test_the_seed_pages_error_examples),
        cmocka_unit_test(test_sub_account),
        cmocka_unit_test(test_sub_account_errors),
        cmocka_unit_test(test_check_order),
        cmocka_unit_test(test_validation_single_errors),
        cmocka_unit_test(test_validation_several_errors),
        cmocka_unit_test(test_validation_accepts_laravel_forms),
        cmocka_unit_test(test_oversized_body),
        cmocka_unit_test(test_golden_seed_request),
        cmocka_unit_test(test_paging_defaults),
        cmocka_unit_test(test_paging_concatenation_is_the_task),
        cmocka_unit_test(test_paging_exact_multiple),
        cmocka_unit_test(test_paging_empty_task),
        cmocka_unit_test(test_paging_past_the_end),
        cmocka_unit_test(test_per_page_as_given),
        cmocka_unit_test(test_filter_keyword),
        cmocka_unit_test(test_filter_time_window),
        cmocka_unit_test(test_filter_levels_intentions_hangup),
        cmocka_unit_test(test_filter_combination),
        cmocka_unit_test(test_legacy_uses_the_default_node),
        cmocka_unit_test(test_legacy_retired),
        cmocka_unit_test(test_detail_of_the_seed_record),
        cmocka_unit_test(test_detail_errors),
        cmocka_unit_test(test_detail_of_a_sub_account_record),
        cmocka_unit_test(test_detail_rows_in_sequence),
        cmocka_unit_test(test_detail_other_shapes),
        cmocka_unit_test(test_detail_legacy_path),
        cmocka_unit_test(test_routing),
        cmocka_unit_test(test_order_and_keyword_variants),
        cmocka_unit_test(test_per_page_and_missing_record_variants),
        cmocka_unit_test(test_rate_limit),
        cmocka_unit_test(test_variants_are_checked),
        cmocka_unit_test(test_hostile_queries),
        cmocka_unit_test(test_reset_reloads),
    };
    return cmocka_run_group_tests(tests, world_setup, world_teardown);
}
