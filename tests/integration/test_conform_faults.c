/* The runner's fault and journal language end to end, against the real mock: a journal
 * expectation holds of exactly the step's requests and fails naming the request and what it
 * broke (a signature the vendor refused, a window too long, a count); "same_ids_as" fails naming
 * a record lost; and on a live target a scenario that needs the admin API is skipped, saying
 * why. The shipped suites' fault scenarios pass in test_conform_run and the vendors' own tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

/* An ITNIO suite of scenarios meant to pass (ok-*) and to fail (bad-*). */
static const char suite[] =
    "{\"vendor\": \"itnio\", \"mock\": {\"clock\": \"2025-05-01T00:00:00Z\","
    " \"from\": \"2025-01-01 00:00:00\", \"to\": \"2025-03-31 23:59:59\","
    " \"credentials\": {\"api_key\": \"bDqJFiq9\", \"api_secret\": \"7bz1lzh9\"}},"
    " \"scenarios\": ["
    "{\"id\": \"ok-journal\", \"description\": \"d\", \"tags\": [\"mock-only\"], \"steps\": ["
    " {\"call\": \"all\", \"args\": {\"from\": \"${to}-200d\", \"page_size\": 100},"
    "  \"journal\": {\"where\": {\"path\": \"/v3/cc/*\"}, \"every\": {\"auth_ok\": true,"
    "   \"status\": 200, \"span\": {\"from\": \"body.params.startTime\","
    "   \"to\": \"body.params.endTime\", \"max_days\": 93, \"inside\": true,"
    "   \"slack_seconds\": 1}}, \"count_min\": 3}},"
    " {\"call\": \"page\", \"fault\": {\"wrong_secret\": true}, \"expect\": {\"error\": \"auth\"},"
    "  \"journal\": {\"every\": {\"auth_ok\": false}, \"count\": 1}}]},"
    "{\"id\": \"bad-auth\", \"description\": \"d\", \"tags\": [\"mock-only\"], \"steps\": ["
    " {\"call\": \"page\", \"journal\": {\"every\": {\"auth_ok\": false}}}]},"
    "{\"id\": \"bad-span\", \"description\": \"d\", \"tags\": [\"mock-only\"], \"steps\": ["
    " {\"call\": \"all\", \"args\": {\"from\": \"${to}-200d\"}, \"journal\": {\"every\": {\"span\":"
    "  {\"from\": \"body.params.startTime\", \"to\": \"body.params.endTime\", \"max_days\": "
    "30}}}}]},"
    "{\"id\": \"bad-inside\", \"description\": \"d\", \"tags\": [\"mock-only\"], \"steps\": ["
    " {\"call\": \"all\", \"journal\": {\"every\": {\"span\": {\"from\": \"body.params.startTime\","
    "  \"to\": \"body.params.endTime\", \"inside\": true}}}}]},"
    "{\"id\": \"bad-count\", \"description\": \"d\", \"tags\": [\"mock-only\"], \"steps\": ["
    " {\"call\": \"page\", \"journal\": {\"count\": 2}}]},"
    "{\"id\": \"bad-ids\", \"description\": \"d\", \"tags\": [\"mock-only\"], \"steps\": ["
    " {\"call\": \"all\", \"keep\": \"everything\"},"
    " {\"call\": \"all\", \"args\": {\"from\": \"${to}-30d\"},"
    "  \"expect\": {\"same_ids_as\": \"everything\"}}]},"
    "{\"id\": \"ok-fault\", \"description\": \"d\", \"tags\": [\"mock-only\"], \"steps\": ["
    " {\"admin\": \"/__cdrsim/faults\", \"method\": \"POST\", \"status\": 201, \"body\":"
    "  {\"vendor\": \"itnio\", \"path\": \"/v3/cc/record/query\", \"kind\": \"delay\","
    "   \"ms\": 3000, \"times\": 1}},"
    " {\"call\": \"page\", \"client\": {\"timeout_ms\": 500, \"max_retries\": 0},"
    "  \"expect\": {\"error\": \"timeout\"}},"
    " {\"admin\": \"/__cdrsim/faults\", \"method\": \"DELETE\", \"finally\": true}]},"
    "{\"id\": \"live-journal\", \"description\": \"d\", \"tags\": [\"live-safe\"], \"steps\": ["
    " {\"call\": \"page\", \"journal\": {\"count\": 1}}]},"
    "{\"id\": \"live-page\", \"description\": \"d\", \"tags\": [\"live-safe\"], \"steps\": ["
    " {\"call\": \"page\", \"expect\": {\"error\": \"ok\"}}]}"
    "]}";

static char dir[] = "/tmp/cdrsim-conform-faults-XXXXXX";
static char path[128];

static int write_suite(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof(path), "%s/itnio.json", dir);
    test_write_file(path, suite, strlen(suite));
    return 0;
}

static int remove_suite(void **state)
{
    (void)state;
    unlink(path);
    rmdir(dir);
    return 0;
}

static void expect_says(const struct test_conform *r, const char *id, const char *status,
                        const char *needle)
{
    const cJSON *sc = test_conform_scenario(r, id);
    if (strcmp(json_str_at(sc, "status"), status) != 0) {
        char *text = cJSON_Print(sc);
        fail_msg("%s: %s, expected %s\n%s", id, json_str_at(sc, "status"), status, text);
    }
    if (needle && !test_conform_message_contains(sc, needle)) {
        char *text = cJSON_Print(sc);
        fail_msg("%s: no message says \"%s\"\n%s", id, needle, text);
    }
}

static void test_journal_and_ids_against_the_mock(void **state)
{
    (void)state;
    struct test_conform r = test_conform_run((const char *const[]){
        "run", "--vendor", "itnio", "--target", "mock", "--suites", dir, NULL});
    assert_int_equal(r.exit_status, 1);
    expect_says(&r, "ok-journal", "passed", NULL);
    expect_says(&r, "ok-fault", "passed", NULL);
    expect_says(&r, "bad-auth", "failed", "auth_ok true, expected false; the vendor's verdict: ");
    expect_says(&r, "bad-span", "failed", "longer than 2592000 s");
    /* ITNIO's client asks one second past the end on purpose: without the slack it is outside. */
    expect_says(&r, "bad-inside", "failed", "outside the step's range");
    expect_says(&r, "bad-count", "failed", "journal: 1 requests matched, expected exactly 2");
    expect_says(&r, "bad-ids", "failed", "of the ids kept as \"everything\" is missing");
    expect_says(&r, "live-journal", "passed", NULL);
    test_conform_free(&r);
}

static void test_admin_scenarios_are_skipped_on_a_live_target(void **state)
{
    (void)state;
    struct mock_process p = {0};
    mock_process_start(&p, (const char *const[]){NULL});
    char *creds =
        test_write_temp("{\"itnio\":{\"api_key\":\"bDqJFiq9\",\"api_secret\":\"7bz1lzh9\"}}");
    struct test_conform r = test_conform_run((const char *const[]){
        "run", "--vendor", "itnio", "--target", p.base_url, "--suites", dir, "--credentials", creds,
        "--from", "2025-01-01 00:00:00", "--to", "2025-03-31 23:59:59", NULL});
    unlink(creds);
    free(creds);
    if (r.exit_status != 0)
        fail_msg("exit %d\n%s%s", r.exit_status, r.out, r.err);
    const cJSON *sc = test_conform_scenario(&r, "live-journal");
    assert_string_equal(json_str_at(sc, "status"), "skipped");
    assert_string_equal(json_str_at(sc, "skip_reason"),
                        "drives the mock's admin API (admin steps, journal expectations, fault "
                        "rules): mock target only");
    assert_string_equal(json_str_at(test_conform_scenario(&r, "live-page"), "status"), "passed");
    assert_string_equal(json_str_at(test_conform_scenario(&r, "ok-fault"), "status"), "skipped");
    test_conform_free(&r);
    assert_int_equal(mock_process_stop(&p), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_journal_and_ids_against_the_mock),
        cmocka_unit_test(test_admin_scenarios_are_skipped_on_a_live_target),
    };
    return cmocka_run_group_tests(tests, write_suite, remove_suite);
}
