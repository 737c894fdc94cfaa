/* cdrsim-conform on the Yunfu agent-api: the suite passes against the mock without drift; the
 * documented schema takes the seed page's own examples and names each change made to them; drift
 * variants on the record fields come back as exactly those findings; broken or other behaviours
 * of the mock fail exactly the scenarios that pin them; a live run runs only live-safe ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conform.h"
#include "testutil.h"

#define ACCOUNT "4d99d91c-f5d9-49da-88da-758977cc58a9" /* the seed page's example account */
#define TASK "287e19c4-1966-49d6-8f02-b53ef11c0a55"    /* and its task */
#define LIST_PATH "/agent-api/user/" ACCOUNT "/task/" TASK "/record"
#define FROM "2022-01-01 00:00:00"
#define TO "2022-09-30 23:59:59"

/* A run against the built-in mock with one --mock-variant (or none). */
static struct test_conform run_mock(const char *variant)
{
    if (!variant)
        return test_conform_run(
            (const char *const[]){"run", "--vendor", "yunfu", "--target", "mock", NULL});
    return test_conform_run((const char *const[]){"run", "--vendor", "yunfu", "--target", "mock",
                                                  "--mock-variant", variant, NULL});
}

static bool has_tag(const cJSON *scenario, const char *tag)
{
    const cJSON *t;
    cJSON_ArrayForEach(t, json_at(scenario, "tags")) {
        if (cJSON_IsString(t) && strcmp(t->valuestring, tag) == 0)
            return true;
    }
    return false;
}

static void assert_failed_exactly(const struct test_conform *r, const char *ids)
{
    assert_int_equal(r->exit_status, 1);
    char *failed = test_conform_ids_with_status(r, "failed");
    assert_string_equal(failed, ids);
    free(failed);
}

static void test_suite_passes_against_the_mock(void **state)
{
    (void)state;
    struct test_conform r = run_mock(NULL);
    if (r.exit_status != 0)
        fail_msg("exit %d\n%s%s", r.exit_status, r.out, r.err);
    cJSON *suite = test_load_json(CDRSIM_SOURCE_DIR "/conformance/suites/yunfu.json");
    int scenarios = cJSON_GetArraySize(json_at(suite, "scenarios"));
    assert_true(scenarios >= 40);
    assert_int_equal(json_int_at(r.json, "summary.passed"), scenarios);
    assert_int_equal(json_int_at(r.json, "summary.failed"), 0);
    assert_int_equal(json_int_at(r.json, "summary.skipped"), 0);
    assert_int_equal(json_int_at(r.json, "summary.breaking_drift"), 0);
    assert_int_equal(json_int_at(r.json, "summary.additive_drift"), 0);
    assert_non_null(strstr(r.out, " passed, 0 failed, 0 skipped against mock"));
    /* Every scenario sent requests (the drift check saw them), and is one of live-safe or
     * mock-only. The drift check sees answers: the one the client timed out on never came. */
    const cJSON *s;
    cJSON_ArrayForEach(s, json_at(r.json, "scenarios")) {
        if (strcmp(json_str_at(s, "id"), "yunfu-fault-delay-timeout") != 0)
            assert_true(json_int_at(s, "requests") > 0);
        assert_int_not_equal(has_tag(s, "live-safe"), has_tag(s, "mock-only"));
    }
    cJSON_Delete(suite);
    test_conform_free(&r);
}

/* ---- the schema against the vendor's own examples -------------------------------------------- */

static void load_schema(struct conform_schema *schema)
{
    char err[512] = "";
    if (!conform_schema_load(schema, FIXTURES_DIR "/yunfu/schema.json", err, sizeof(err)))
        fail_msg("%s", err);
}

static void assert_no_findings(const struct conform_schema *schema, const char *path, long status,
                               const char *body)
{
    struct conform_findings f = {0};
    assert_true(conform_schema_check(schema, "GET", path, status, body, strlen(body), &f));
    for (size_t i = 0; i < f.count; i++)
        print_message("%s %s: %s / %s\n", f.items[i].path, f.items[i].kind, f.items[i].expected,
                      f.items[i].seen);
    assert_int_equal(f.count, 0);
}

static void assert_finding(const struct conform_findings *f, const char *path, const char *kind,
                           const char *expected, const char *seen, enum conform_severity severity)
{
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->items[i].path, path) == 0 && strcmp(f->items[i].kind, kind) == 0) {
            assert_string_equal(f->items[i].expected, expected);
            assert_string_equal(f->items[i].seen, seen);
            assert_int_equal(f->items[i].severity, severity);
            return;
        }
    fail_msg("no %s finding at %s", kind, path);
}

static void test_schema_takes_the_seed_examples(void **state)
{
    (void)state;
    struct conform_schema schema;
    load_schema(&schema);
    static const char *const examples[] = {"record_list_response.json",
                                           "task_not_found_response.json",
                                           "node_not_found_response.json"};
    for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
        char *path = test_format("%s/yunfu/examples/%s", FIXTURES_DIR, examples[i]);
        char *body = test_read_file(path, NULL);
        assert_no_findings(&schema, "http://127.0.0.1:1" LIST_PATH "?page=1", 200, body);
        assert_no_findings(&schema, "/agent-api/task/" TASK "/record", 200, body);
        free(body);
        free(path);
    }
    /* The forms the vendor's page leaves open, each accepted. */
    assert_no_findings(&schema, "/agent-api/token", 401, "{\"message\":\"Unauthenticated.\"}");
    assert_no_findings(&schema, LIST_PATH, 401,
                       "{\"code\":401,\"status\":\"error\",\"message\":\"Unauthenticated.\"}");
    assert_no_findings(&schema, LIST_PATH, 422,
                       "{\"message\":\"The selected intention tags.0 is invalid.\",\"errors\":"
                       "{\"intention_tags.0\":[\"The selected intention tags.0 is invalid.\"]}}");
    assert_no_findings(
        &schema, "/agent-api/user/" ACCOUNT "/task/" TASK "/detail/x", 200,
        "{\"code\":5003,\"status\":\"error\",\"message\":\"通话记录不存在\",\"data\":[]}");
    assert_no_findings(&schema, "/agent-api/user/" ACCOUNT "/task/" TASK "/detail/x", 404,
                       "{\"message\":\"No query results for model [App\\\\Models\\\\Record] x\"}");

    /* The example drifted: each change is named against the record, not taken for an error. The
     * page marks no member of a record mandatory, so one that is gone (bill) is no drift. */
    cJSON *doc = test_load_json(FIXTURES_DIR "/yunfu/examples/record_list_response.json");
    cJSON *rec = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "data"), 0);
    cJSON_DeleteItemFromObject(rec, "bill");
    cJSON_ReplaceItemInObject(rec, "duration", cJSON_CreateString("39500"));
    cJSON_ReplaceItemInObject(rec, "operator", cJSON_CreateNumber(4));
    cJSON_ReplaceItemInObject(rec, "calldate", cJSON_CreateNull());
    cJSON_ReplaceItemInObject(rec, "answerdate", cJSON_CreateNull()); /* unanswered: documented */
    cJSON_AddStringToObject(rec, "recording_url", "x.wav");
    cJSON_ReplaceItemInObject(cJSON_GetObjectItem(doc, "meta"), "per_page", cJSON_CreateNumber(1));
    char *drifted = cJSON_PrintUnformatted(doc);
    struct conform_findings f = {0};
    assert_true(conform_schema_check(&schema, "GET", LIST_PATH, 200, drifted, strlen(drifted), &f));
    assert_int_equal(f.count, 4);
    assert_finding(&f, "data[].duration", "type", "integer", "string", CONFORM_BREAKING);
    assert_finding(&f, "data[].operator", "enum", "[1,2,3]", "4", CONFORM_BREAKING);
    assert_finding(&f, "data[].calldate", "null", "string", "null", CONFORM_BREAKING);
    assert_finding(&f, "data[].recording_url", "added", "not documented", "string",
                   CONFORM_ADDITIVE);
    conform_findings_free(&f);
    /* An undocumented error code is named as such. */
    const char *odd = "{\"code\":5009,\"status\":\"error\",\"message\":\"?\",\"data\":[]}";
    assert_true(conform_schema_check(&schema, "GET", LIST_PATH, 200, odd, strlen(odd), &f));
    assert_int_equal(f.count, 1);
    assert_finding(&f, "code", "enum", "[1002,5002]", "5009", CONFORM_BREAKING);
    conform_findings_free(&f);
    free(drifted);
    cJSON_Delete(doc);
    conform_schema_free(&schema);
}

/* ---- drift from the mock --------------------------------------------------------------------- */

static void test_drift_is_named_exactly(void **state)
{
    (void)state;
    struct test_conform r =
        run_mock("yunfu.drift=rename:data[].callid>call_id;stringify:data[].duration;"
                 "add:data[].recording_url=\"x.wav\";drop:data[].bill");
    assert_int_equal(r.exit_status, 1);
    /* No member of a record is marked mandatory: a renamed or dropped one shows as what was
     * added; the retyped one breaks. */
    const char *const want[] = {
        "data[].call_id added additive",       /* rename: a new name appears */
        "data[].duration type breaking",       /* number -> string */
        "data[].recording_url added additive", /* added field */
    };
    const cJSON *sc = test_conform_scenario(&r, "yunfu-auth-accepted");
    assert_string_equal(json_str_at(sc, "status"), "failed");
    test_conform_expect_findings(sc, want, 3);
    const cJSON *duration = test_conform_finding(sc, "data[].duration");
    assert_string_equal(json_str_at(duration, "expected"), "integer");
    assert_string_equal(json_str_at(duration, "seen"), "string");
    assert_true(test_conform_message_contains(
        sc, "breaking drift: data[].duration type: documented integer, seen string"));
    /* Answers without records (errors, an empty page, one call's detail) see no drift. */
    static const char *const clean[] = {"yunfu-auth-wrong-token", "yunfu-error-unknown-task",
                                        "yunfu-past-the-end", "yunfu-detail-seed"};
    for (size_t i = 0; i < sizeof(clean) / sizeof(clean[0]); i++) {
        const cJSON *s = test_conform_scenario(&r, clean[i]);
        assert_string_equal(json_str_at(s, "status"), "passed");
        assert_int_equal(cJSON_GetArraySize(json_at(s, "drift")), 0);
    }
    test_conform_free(&r);
}

static void test_null_and_enum_drift(void **state)
{
    (void)state;
    /* hangupcause is never null in the documents; answerdate is, for a call nobody answered. */
    struct test_conform r =
        run_mock("yunfu.drift=set:data[].hangupcause=null;set:data[].operator=4;"
                 "set:data[].answerdate=null");
    assert_int_equal(r.exit_status, 1);
    const char *const want[] = {"data[].hangupcause null breaking",
                                "data[].operator enum breaking"};
    test_conform_expect_findings(test_conform_scenario(&r, "yunfu-normalize"), want, 2);
    test_conform_free(&r);
}

static void test_additive_drift_alone_does_not_fail(void **state)
{
    (void)state;
    struct test_conform r =
        run_mock("yunfu.drift=add:data[].recording_url=\"x.wav\";add:meta.from=1");
    if (r.exit_status != 0)
        fail_msg("exit %d\n%s", r.exit_status, r.out);
    assert_int_equal(json_int_at(r.json, "summary.failed"), 0);
    assert_int_equal(json_int_at(r.json, "summary.breaking_drift"), 0);
    assert_true(json_int_at(r.json, "summary.additive_drift") > 0);
    const char *const want[] = {"data[].recording_url added additive", "meta.from added additive"};
    test_conform_expect_findings(test_conform_scenario(&r, "yunfu-auth-accepted"), want, 2);
    test_conform_free(&r);
}

/* ---- misbehaving mocks ----------------------------------------------------------------------- */

static void test_wrong_total_fails_its_scenarios(void **state)
{
    (void)state;
    struct test_conform r = run_mock("yunfu.drift=set:meta.total=9999");
    /* The scenarios that check the total, and every one that fetches the whole task, which the
     * client's page guard stops: a short page while the total says more. */
    assert_failed_exactly(
        &r,
        "yunfu-pagination,yunfu-pagination-large-pages,yunfu-newest-first,yunfu-has-pages,"
        "yunfu-empty-task,yunfu-range-halves,yunfu-range-bounds-inclusive,yunfu-filter-keyword,"
        "yunfu-filter-keyword-digit,yunfu-filter-intention,yunfu-filter-level,"
        "yunfu-filter-level-upper,yunfu-filter-hangup-date,yunfu-sub-account,yunfu-normalize,"
        "yunfu-seed-example,yunfu-seed-record,yunfu-dataset-total,yunfu-legacy-path,yunfu-tasks,"
        "yunfu-tasks-all,yunfu-tasks-status,yunfu-tasks-seed,yunfu-tasks-paging,yunfu-all-tasks,"
        "yunfu-fault-reset-mid-crawl,yunfu-fault-vendor-error-mid-crawl,"
        "yunfu-journal-every-request-signed-and-windowed,yunfu-push-callback-in-seconds");
    assert_true(test_conform_message_contains(
        test_conform_scenario(&r, "yunfu-normalize"),
        "the query failed: malformed_response: sum against total: page 1 holds 52 records, fewer "
        "than the 100 asked for, yet only 52 of the total of 9999 have arrived"));
    assert_true(
        test_conform_message_contains(test_conform_scenario(&r, "yunfu-pagination"),
                                      "pages is 8 for total 9999 and size 7, expected 1429"));
    assert_true(test_conform_message_contains(test_conform_scenario(&r, "yunfu-dataset-total"),
                                              "total is 9999, expected 52"));
    assert_true(test_conform_message_contains(test_conform_scenario(&r, "yunfu-seed-example"),
                                              "paging.total is 9999, expected 29"));
    /* A wrong number is not a wrong shape. */
    assert_int_equal(json_int_at(r.json, "summary.breaking_drift"), 0);
    test_conform_free(&r);
}

static void test_retired_path_fails_its_scenarios(void **state)
{
    (void)state;
    struct test_conform r = run_mock("yunfu.legacy=off");
    assert_failed_exactly(&r,
                          "yunfu-detail-legacy-path,yunfu-legacy-path,yunfu-legacy-path-other-node,"
                          "yunfu-download-seed");
    assert_true(test_conform_message_contains(
        test_conform_scenario(&r, "yunfu-legacy-path"),
        "step 1 (page): expected success, got not_found (The route agent-api/task/" TASK
        "/record could not be found.)"));
    test_conform_free(&r);
}

/* A server that casts per_page is within the schema, but not the seed page's example. */
static void test_per_page_as_number_fails_the_echo(void **state)
{
    (void)state;
    struct test_conform r = run_mock("yunfu.per_page_type=number");
    assert_failed_exactly(&r, "yunfu-per-page-echo,yunfu-has-pages,yunfu-seed-example,"
                              "yunfu-tasks-paging");
    assert_true(test_conform_message_contains(test_conform_scenario(&r, "yunfu-seed-example"),
                                              "paging.per_page is 1, expected \"1\""));
    assert_int_equal(json_int_at(r.json, "summary.breaking_drift"), 0);
    test_conform_free(&r);
}

/* The 401 body in the vendor's envelope is the other documented form: nothing fails or drifts. */
static void test_envelope_401_is_accepted(void **state)
{
    (void)state;
    struct test_conform r = run_mock("yunfu.unauth_body=envelope");
    if (r.exit_status != 0)
        fail_msg("exit %d\n%s", r.exit_status, r.out);
    assert_int_equal(json_int_at(r.json, "summary.breaking_drift"), 0);
    assert_int_equal(json_int_at(r.json, "summary.additive_drift"), 0);
    test_conform_free(&r);
}

/* ---- a live target --------------------------------------------------------------------------- */

/* The mock on real time stands in for the vendor: only live-safe scenarios run, with credentials
 * from a file or the environment and the range from --from/--to. */
static void test_live_target(void **state)
{
    (void)state;
    test_conform_live_target("yunfu",
                             "{\"yunfu\":{\"token\":\"demo-yunfu-token\",\"user_id\":\"" ACCOUNT
                             "\",\"task_id\":\"" TASK "\"}}",
                             /* the token last: the one credential required without exception
                                (task_id is not, with all_tasks) */
                             (const char *const[]){"CDRSIM_YUNFU_USER_ID=" ACCOUNT,
                                                   "CDRSIM_YUNFU_TASK_ID=" TASK,
                                                   "CDRSIM_YUNFU_TOKEN=demo-yunfu-token", NULL},
                             "demo-yunfu-token", FROM, TO);
}

/* A token the vendor does not know: the scenarios say so, it is not a setup error. */
static void test_live_target_with_a_wrong_token(void **state)
{
    struct mock_process *mock = *state; /* stopped by the teardown, whatever happens here */
    mock_process_start(mock, NULL);
    char *creds =
        test_write_temp("{\"yunfu\":{\"token\":\"not-a-yunfu-token\",\"user_id\":\"" ACCOUNT
                        "\",\"task_id\":\"" TASK "\"}}");
    struct test_conform r = test_conform_run((const char *const[]){
        "run", "--vendor", "yunfu", "--target", mock->base_url, "--credentials", creds,
        "--skip-tags", "slow", "--from", FROM, "--to", TO, NULL});
    unlink(creds);
    free(creds);
    assert_int_equal(r.exit_status, 1);
    assert_true(test_conform_message_contains(test_conform_scenario(&r, "yunfu-auth-accepted"),
                                              "expected success, got auth (Unauthenticated.)"));
    assert_string_equal(json_str_at(test_conform_scenario(&r, "yunfu-auth-wrong-token"), "status"),
                        "passed");
    assert_string_equal(json_str_at(test_conform_scenario(&r, "yunfu-seed-example"), "skip_reason"),
                        "mock-only scenario on a live target");
    test_conform_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suite_passes_against_the_mock),
        cmocka_unit_test(test_schema_takes_the_seed_examples),
        cmocka_unit_test(test_drift_is_named_exactly),
        cmocka_unit_test(test_null_and_enum_drift),
        cmocka_unit_test(test_additive_drift_alone_does_not_fail),
        cmocka_unit_test(test_wrong_total_fails_its_scenarios),
        cmocka_unit_test(test_retired_path_fails_its_scenarios),
        cmocka_unit_test(test_per_page_as_number_fails_the_echo),
        cmocka_unit_test(test_envelope_401_is_accepted),
        cmocka_unit_test(test_live_target),
        cmocka_unit_test_setup_teardown(test_live_target_with_a_wrong_token, mock_process_setup,
                                        mock_process_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
