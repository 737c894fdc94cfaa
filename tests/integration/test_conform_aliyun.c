/* cdrsim-conform against Alibaba Cloud AICCS: the real runner starts the real mock and must pass
 * the aliyun suite, name exactly the drift a variant injects into records and error documents,
 * fail the matching scenario when the mock breaks a documented behaviour, and run only the
 * live-safe scenarios against a "live" endpoint. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#define SECRET "testsecret"
#define CREDENTIALS                                                                                \
    "{\"aliyun\":{\"access_key_id\":\"testid\",\"access_key_secret\":\"" SECRET "\","              \
    "\"instance_id\":\"ccc_xp_pre-cn-demo001\"}}"

/* A run of the aliyun suite against the mock with one --mock-variant (or none). */
static struct test_conform run_mock(const char *variant)
{
    if (!variant)
        return test_conform_run(
            (const char *const[]){"run", "--vendor", "aliyun", "--target", "mock", NULL});
    return test_conform_run((const char *const[]){"run", "--vendor", "aliyun", "--target", "mock",
                                                  "--mock-variant", variant, NULL});
}

static void test_suite_passes_against_the_mock(void **state)
{
    (void)state;
    struct test_conform r = run_mock(NULL);
    if (r.exit_status != 0)
        fail_msg("exit %d\n%s%s", r.exit_status, r.out, r.err);
    assert_int_equal(json_int_at(r.json, "summary.failed"), 0);
    assert_int_equal(json_int_at(r.json, "summary.skipped"), 0);
    assert_int_equal(json_int_at(r.json, "summary.breaking_drift"), 0);
    assert_int_equal(json_int_at(r.json, "summary.additive_drift"), 0);
    assert_int_equal(json_int_at(r.json, "summary.passed"),
                     cJSON_GetArraySize(json_at(r.json, "scenarios")));
    assert_true(json_int_at(r.json, "summary.passed") >= 75);
    /* Every documented error is provoked by some scenario and answered as documented. */
    const char *const errors[] = {
        "aliyun-auth-wrong-secret-v3",
        "aliyun-error-missing-signature",
        "aliyun-timestamp-stale",
        "aliyun-error-timestamp-format",
        "aliyun-nonce-replay-v3",
        "aliyun-error-missing-instance-id",
        "aliyun-error-unknown-access-key",
        "aliyun-error-signature-method",
        "aliyun-error-throttled",
        "aliyun-error-unknown-action",
        "aliyun-error-invalid-version",
        "aliyun-error-unknown-tenant",
        "aliyun-error-bad-paging",
        "aliyun-error-v3-mismatch-message",
        "aliyun-error-missing-signature-message",
        "aliyun-timestamp-milliseconds",
        "aliyun-sts-credentials",
        "aliyun-sts-token-refused",
        "aliyun-recordings-unknown-tenant",
        "aliyun-recordings-missing-call-id",
        "aliyun-recordings-link-expires",
        "aliyun-record-url-bad-type",
        "aliyun-describe-record-not-authorized",
        "aliyun-describe-record-parameter-error",
    };
    for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
        assert_string_equal(json_str_at(test_conform_scenario(&r, errors[i]), "status"), "passed");
    assert_non_null(strstr(r.out, " passed, 0 failed, 0 skipped against mock"));
    test_conform_free(&r);
}

static void test_record_drift_is_named_exactly(void **state)
{
    (void)state;
    struct test_conform r =
        run_mock("aliyun.drift=rename:Data.CallDetailRecord[].CallType>Calltype;"
                 "stringify:Data.CallDetailRecord[].CallContinueTime;"
                 "add:Data.CallDetailRecord[].Tag=\"X\";"
                 "drop:Data.CallDetailRecord[].CallResult");
    assert_int_equal(r.exit_status, 1);
    /* The page marks no member mandatory: a renamed or dropped member leaves nothing missing that
     * the schema requires, only the new name, which is additive. */
    const char *const want[] = {
        "Data.CallDetailRecord[].Calltype added additive",        /* the renamed one */
        "Data.CallDetailRecord[].CallContinueTime type breaking", /* number -> string */
        "Data.CallDetailRecord[].Tag added additive",             /* added field */
    };
    const cJSON *sc = test_conform_scenario(&r, "aliyun-auth-v3");
    assert_string_equal(json_str_at(sc, "status"), "failed");
    test_conform_expect_findings(sc, want, 3);
    const cJSON *d;
    cJSON_ArrayForEach(d, json_at(sc, "drift"))
        if (strcmp(json_str_at(d, "path"), "Data.CallDetailRecord[].CallContinueTime") == 0) {
            assert_string_equal(json_str_at(d, "expected"), "integer");
            assert_string_equal(json_str_at(d, "seen"), "string");
        }
    assert_true(test_conform_message_contains(
        sc, "breaking drift: Data.CallDetailRecord[].CallContinueTime type: documented integer, "
            "seen string"));
    /* Error documents carry no records: no drift there, and the scenario still passes. */
    sc = test_conform_scenario(&r, "aliyun-auth-wrong-secret-v3");
    assert_string_equal(json_str_at(sc, "status"), "passed");
    assert_int_equal(cJSON_GetArraySize(json_at(sc, "drift")), 0);
    test_conform_free(&r);
}

static void test_error_document_drift_is_named_exactly(void **state)
{
    (void)state;
    /* An absent member is not drift (none is mandatory); a retyped one is. */
    struct test_conform r = run_mock("aliyun.drift=drop:Recommend;set:HostId=7");
    assert_int_equal(r.exit_status, 1);
    const char *const want[] = {"HostId type breaking"};
    const cJSON *sc = test_conform_scenario(&r, "aliyun-auth-wrong-secret-v3");
    assert_string_equal(json_str_at(sc, "status"), "failed");
    test_conform_expect_findings(sc, want, 1);
    /* A success answer has neither member: unchanged, and its scenario passes. */
    sc = test_conform_scenario(&r, "aliyun-auth-v3");
    assert_string_equal(json_str_at(sc, "status"), "passed");
    assert_int_equal(cJSON_GetArraySize(json_at(sc, "drift")), 0);
    test_conform_free(&r);
}

static void test_additive_drift_alone_does_not_fail(void **state)
{
    (void)state;
    struct test_conform r = run_mock("aliyun.drift=add:Data.CallDetailRecord[].Tag=\"X\"");
    assert_int_equal(r.exit_status, 0);
    assert_int_equal(json_int_at(r.json, "summary.failed"), 0);
    assert_int_equal(json_int_at(r.json, "summary.breaking_drift"), 0);
    assert_true(json_int_at(r.json, "summary.additive_drift") > 0);
    const char *const want[] = {"Data.CallDetailRecord[].Tag added additive"};
    test_conform_expect_findings(test_conform_scenario(&r, "aliyun-auth-v3"), want, 1);
    test_conform_free(&r);
}

/* A mock that breaks one documented behaviour fails exactly the scenarios that check it. */
static void test_broken_behaviour_fails_its_scenarios(void **state)
{
    (void)state;
    static const struct {
        const char *variant;
        const char *failed; /* every failing scenario, in suite order */
        const char *scenario, *message;
    } cases[] = {
        /* No flow control: the burst is never refused. */
        {"aliyun.throttle=0", "aliyun-error-throttled", "aliyun-error-throttled",
         "step 1 (burst): expected the call to fail with rate_limited, but it succeeded"},
        /* A server that always says it served page 1: the scenarios that check the echo, and
         * every one that fetches more than one page, which the client's page guard stops. */
        {"aliyun.drift=set:Data.PageNumber=1",
         "aliyun-pagination,aliyun-pagination-v2-get,aliyun-page-number-echo,aliyun-past-the-end,"
         "aliyun-filter-call-type,aliyun-filter-call-type-list,aliyun-filter-call-result,"
         "aliyun-filter-call-result-list,aliyun-filter-group-id,aliyun-filter-group-id-list,"
         "aliyun-filter-group-name,aliyun-filter-servicer-id,aliyun-filter-servicer-id-list,"
         "aliyun-filter-servicer-name,aliyun-filter-member-id,aliyun-filter-member-id-list,"
         "aliyun-filter-member-name,aliyun-filter-calling-number,aliyun-filter-called-number,"
         "aliyun-filter-calling-number-list,aliyun-filter-called-number-list,aliyun-filter-acid,"
         "aliyun-filter-acid-list,aliyun-filter-id,aliyun-normalize,aliyun-dataset-total,"
         "aliyun-filter-call-result-groups,aliyun-fault-reset-mid-crawl,"
         "aliyun-fault-vendor-error-mid-crawl,aliyun-journal-every-request-signed-and-windowed",
         "aliyun-pagination", "step 1 (pagination): page 2 answered as page 1"},
        {"aliyun.drift=set:Data.PageNumber=1", NULL, "aliyun-dataset-total",
         "step 2 (all): expected success, got malformed_response (page echo: asked for page 2, the "
         "answer is page 1)"},
        /* A wrong TotalCount. */
        {"aliyun.drift=set:Data.TotalCount=9999", NULL, "aliyun-dataset-total",
         "step 1 (page): total is 9999, expected 106"},
        /* CallingNumber and CalledNumber swapped, as the page's request table reads. */
        {"aliyun.number_filters=swapped",
         "aliyun-filter-calling-number,aliyun-filter-called-number", "aliyun-filter-calling-number",
         "the filter let through record acc29f401fbc8314524ff58746: raw.CallingNumber is "
         "\"13885097372\""},
        /* QueryEndTime exclusive: the call created at the range's last second is lost. */
        {"aliyun.range_end=exclusive", "aliyun-seed-record", "aliyun-seed-record",
         "step 1 (all): record acc1c58dab4a4dd280e3813c66 not returned"},
        {"aliyun.unknown_instance=empty",
         "aliyun-error-unknown-tenant,aliyun-recordings-unknown-tenant",
         "aliyun-error-unknown-tenant",
         "step 1 (page): expected the call to fail with not_found, but it succeeded"},
        /* A gateway holding to the documented second-precision format. */
        {"aliyun.ms_timestamp=reject", "aliyun-timestamp-milliseconds",
         "aliyun-timestamp-milliseconds",
         "step 1 (crafted): expected success, got timestamp (Specified time stamp or date value "
         "is not well formatted., vendor code InvalidTimeStamp.Format)"},
        /* Expired temporary credentials answered 403, as another product's table says. */
        {"aliyun.sts_expired_status=403", "aliyun-sts-token-refused", "aliyun-sts-token-refused",
         "step 3 (page): http_status is 403, expected 400"},
        {"aliyun.bad_paging=default", "aliyun-error-bad-paging", "aliyun-error-bad-paging",
         "step 1 (crafted): expected the call to fail with parameter, but it succeeded"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct test_conform r = run_mock(cases[i].variant);
        if (r.exit_status != 1)
            fail_msg("%s: exit %d\n%s", cases[i].variant, r.exit_status, r.err);
        char *failed = test_conform_ids_with_status(&r, "failed");
        if (cases[i].failed && strcmp(failed, cases[i].failed) != 0)
            fail_msg("%s: failed %s, expected %s", cases[i].variant, failed, cases[i].failed);
        free(failed);
        const cJSON *sc = test_conform_scenario(&r, cases[i].scenario);
        assert_string_equal(json_str_at(sc, "status"), "failed");
        if (!test_conform_message_contains(sc, cases[i].message))
            fail_msg("%s: %s does not say \"%s\"", cases[i].variant, cases[i].scenario,
                     cases[i].message);
        test_conform_free(&r);
    }
}

/* The mock on real time stands in for the live service: only live-safe scenarios run there,
 * with credentials from a file or the environment and the range from --from/--to. */
static void test_live_target(void **state)
{
    (void)state;
    const char *const env[] = {"CDRSIM_ALIYUN_ACCESS_KEY_ID=testid",
                               "CDRSIM_ALIYUN_ACCESS_KEY_SECRET=" SECRET,
                               "CDRSIM_ALIYUN_INSTANCE_ID=ccc_xp_pre-cn-demo001", NULL};
    test_conform_live_target("aliyun", CREDENTIALS, env, SECRET, "2025-01-01 00:00:00",
                             "2025-03-31 23:59:59");
}

static void test_schema_and_list_commands(void **state)
{
    (void)state;
    char *out = NULL, *err = NULL;
    const char *schema_argv[] = {CDRSIM_CONFORM_BIN, "schema", "--vendor", "aliyun", NULL};
    assert_int_equal(run_command(schema_argv, NULL, &out, &err), 0);
    cJSON *printed = cJSON_Parse(out);
    cJSON *fixture = test_load_json(FIXTURES_DIR "/aliyun/schema.json");
    assert_true(cJSON_Compare(printed, fixture, true));
    cJSON_Delete(printed);
    cJSON_Delete(fixture);
    free(out);
    free(err);

    const char *list_argv[] = {CDRSIM_CONFORM_BIN, "list", "--vendor", "aliyun", NULL};
    assert_int_equal(run_command(list_argv, NULL, &out, &err), 0);
    assert_non_null(strstr(out, "aliyun-error-throttled"));
    assert_non_null(strstr(out, "[mock-only]"));
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suite_passes_against_the_mock),
        cmocka_unit_test(test_record_drift_is_named_exactly),
        cmocka_unit_test(test_error_document_drift_is_named_exactly),
        cmocka_unit_test(test_additive_drift_alone_does_not_fail),
        cmocka_unit_test(test_broken_behaviour_fails_its_scenarios),
        cmocka_unit_test(test_live_target),
        cmocka_unit_test(test_schema_and_list_commands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
