/* How the Yunfu simulator reads a query string: as PHP's php_register_variable_ex
 * (main/php_variables.c) files it into $_GET, before Laravel's rules see it; the leniency variants
 * of those rules; and what becomes of a rule's message that would carry malformed UTF-8. */
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

#define SEED_LIST "/agent-api/user/" YUNFU_SEED_USER "/task/" YUNFU_SEED_TASK "/record"
#define SEED_TASK_SIZE 78

static struct test_reply list(struct test_mock *m, const char *query)
{
    char *path = test_format("%s?%s", SEED_LIST, query);
    struct test_reply r = yunfu_mock_get(m, YUNFU_DEMO, path);
    free(path);
    return r;
}

/* A success whose meta has that total (and per_page, when not NULL, as that string). */
static void expect_total(struct test_mock *m, const char *query, int64_t total,
                         const char *per_page)
{
    struct test_reply r = list(m, query);
    if (r.status != 200 || !r.json || json_int_at(r.json, "meta.total") != total)
        fail_msg("?%s: expected 200 with total %lld, got %d %s", query, (long long)total, r.status,
                 r.body);
    if (per_page)
        assert_string_equal(json_str_at(r.json, "meta.per_page"), per_page);
    test_reply_free(&r);
}

static void expect_invalid(struct test_mock *m, const char *query, const char *field,
                           const char *message)
{
    char *path = test_format("%s?%s", SEED_LIST, query);
    char *body =
        test_format("{\"message\":\"%s\",\"errors\":{\"%s\":[\"%s\"]}}", message, field, message);
    yunfu_mock_expect(m, YUNFU_DEMO, path, 422, body);
    free(body);
    free(path);
}

static bool score_at_most_100(const cJSON *r, const void *arg)
{
    (void)arg;
    const cJSON *s = json_at(r, "score");
    return cJSON_IsNumber(s) && s->valuedouble >= 0 && s->valuedouble <= 100;
}

static bool intention_a(const cJSON *r, const void *arg)
{
    (void)arg;
    const cJSON *i = json_at(r, "intention_results");
    return cJSON_IsNumber(i) && i->valueint == 1;
}

static size_t model_count(yunfu_pred pred)
{
    cJSON *records = test_load_json(YUNFU_RECORDS);
    struct test_ids ids = yunfu_model_ids(records, YUNFU_SEED_TASK, pred, NULL);
    size_t n = ids.count;
    test_ids_free(&ids);
    cJSON_Delete(records);
    return n;
}

/* "levels" followed by depth "[0]" levels, then tail. Caller frees. */
static char *nested(int depth, const char *tail)
{
    char *name = malloc(16 + 3 * (size_t)depth + strlen(tail));
    assert_non_null(name);
    strcpy(name, "levels");
    for (int i = 0; i < depth; i++)
        strcat(name, "[0]");
    strcat(name, tail);
    return name;
}

static void test_names_as_php_files_them(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, YUNFU_NOW_MS, NULL);
    /* Leading spaces of a name are ignored; '.' and ' ' before the first '[' become '_'. */
    expect_total(m, "%20%20per_page=1", SEED_TASK_SIZE, "1");
    expect_total(m, "per.page=2", SEED_TASK_SIZE, "2");
    expect_total(m, "per%20page=3", SEED_TASK_SIZE, "3");
    /* An unclosed '[' is part of the name: "per_page_", which no rule reads. */
    expect_total(m, "per_page[=4", SEED_TASK_SIZE, NULL);
    struct test_reply r = list(m, "per_page[=4");
    assert_int_equal(json_int_at(r.json, "meta.per_page"), 15);
    test_reply_free(&r);
    /* "[ ]" appends like "[]" (PHP skips one white-space character after '['); two spaces are a
     * key, so the second value overwrites the first. */
    expect_total(m, "levels[0][%20]=0&levels[0][%20]=100", (int64_t)model_count(score_at_most_100),
                 NULL);
    expect_total(m, "levels[0][%09]=0&levels[0][%09]=100", (int64_t)model_count(score_at_most_100),
                 NULL);
    expect_invalid(m, "levels[0][%20%20]=0&levels[0][%20%20]=100", "levels.0",
                   "The levels.0 must contain 2 items.");
}

static void test_nesting_limit_drops_the_whole_variable(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, YUNFU_NOW_MS, NULL);
    /* 64 levels are still read ... */
    char *deep = nested(64, "");
    char *query = test_format("%s=1", deep);
    struct test_reply r = list(m, query);
    assert_int_equal(r.status, 422);
    assert_non_null(cJSON_GetObjectItemCaseSensitive(json_at(r.json, "errors"), "levels.0"));
    test_reply_free(&r);
    free(query);
    free(deep);
    /* ... a 65th drops levels altogether, the ranges given before it too. */
    deep = nested(65, "");
    query = test_format("levels[0][]=0&levels[0][]=100&%s=1&per_page=2", deep);
    expect_total(m, query, SEED_TASK_SIZE, "2");
    free(query);
    free(deep);
    /* The limit is checked before the bracket is read: an unclosed 65th counts. */
    deep = nested(64, "[x");
    query = test_format("levels[0][]=0&levels[0][]=100&%s=1", deep);
    expect_total(m, query, SEED_TASK_SIZE, NULL);
    free(query);
    free(deep);
    /* Later variables of the same name start afresh. */
    deep = nested(70, "");
    query = test_format("%s=1&levels[0][]=0&levels[0][]=100", deep);
    expect_total(m, query, (int64_t)model_count(score_at_most_100), NULL);
    free(query);
    free(deep);
}

static void test_cookie_prefixes_are_refused(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, YUNFU_NOW_MS, NULL);
    /* A key that starts with __Host- or __Secure- while the raw name did not is dropped (PHP's
     * fix for CVE-2022-31629); the array above it stays, empty, so no range is asked for. */
    expect_total(m, "levels[__Host-x]=1", SEED_TASK_SIZE, NULL);
    expect_total(m, "levels[__Secure-x][]=1&levels[__Secure-x][]=2", SEED_TASK_SIZE, NULL);
    expect_invalid(m, "levels[0][__Host-x]=1", "levels.0", "The levels.0 must contain 2 items.");
    /* Other keys are kept: the rules then see them. */
    expect_invalid(m, "levels[_Host-x]=1", "levels._Host-x",
                   "The levels.  host-x must be an array."); /* Str::snake: "_H" -> "__h" */
}

static void test_messages_that_are_not_utf8(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, YUNFU_NOW_MS, NULL);
    /* The rule's message would carry the key's bytes: json_encode fails, Laravel answers 500. */
    char *path = test_format("%s?levels[%%FF]=5", SEED_LIST);
    yunfu_mock_expect(m, YUNFU_DEMO, path, 500, "{\"message\":\"Server Error\"}");
    free(path);
    /* Valid UTF-8 keys are written as they are. */
    expect_invalid(m, "levels[%E4%BB%BB]=5", "levels.任", "The levels.任 must be an array.");
}

static void test_attribute_names_like_laravel(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, YUNFU_NOW_MS, NULL);
    /* Str::snake: a capital after a character starts a word ("recordIds" -> "record ids"). */
    expect_invalid(m, "intention_tags[aB]=9", "intention_tags.aB",
                   "The selected intention tags.a b is invalid.");
}

static void test_lenient_score_ranges(void **state)
{
    const char *const variants[] = {"yunfu.score_range=lenient", NULL};
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, YUNFU_NOW_MS, variants);
    /* A reversed range is accepted and matches nothing; a negative end is accepted. */
    expect_total(m, "levels[0][]=500&levels[0][]=100", 0, NULL);
    expect_total(m, "levels[0][]=-100&levels[0][]=100", (int64_t)model_count(score_at_most_100),
                 NULL);
    /* What is not a pair of integers is still refused, and intention tags keep their rule. */
    expect_invalid(m, "levels[0][]=a&levels[0][]=5", "levels.0.0",
                   "The levels.0.0 must be an integer.");
    expect_invalid(m, "intention_tags[]=6", "intention_tags.0",
                   "The selected intention tags.0 is invalid.");
}

static void test_lenient_intention_tags(void **state)
{
    const char *const variants[] = {"yunfu.intention_tags=lenient", NULL};
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, YUNFU_NOW_MS, variants);
    expect_total(m, "intention_tags[]=6", 0, NULL);
    expect_total(m, "intention_tags[]=0&intention_tags[]=1", (int64_t)model_count(intention_a),
                 NULL);
    expect_invalid(m, "intention_tags[]=A", "intention_tags.0",
                   "The intention tags.0 must be an integer.");
    expect_invalid(m, "levels[0][]=500&levels[0][]=100", "levels.0.0",
                   "The levels.0.0 must be less than or equal to 100.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_names_as_php_files_them, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_nesting_limit_drops_the_whole_variable,
                                        test_mock_fixture_setup, test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_cookie_prefixes_are_refused, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_messages_that_are_not_utf8, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_attribute_names_like_laravel, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_lenient_score_ranges, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_lenient_intention_tags, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
