/* cdrsim-conform end to end: the real runner starts the real mock and must pass against it, name
 * exactly the drift a variant injects, fail the matching scenario when the mock misbehaves, and
 * run only live-safe scenarios against a "live" endpoint. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

static void test_itnio_suite_passes_against_the_mock(void **state)
{
    (void)state;
    struct test_conform r = test_conform_run(
        (const char *const[]){"run", "--vendor", "itnio", "--target", "mock", NULL});
    if (r.exit_status != 0)
        fail_msg("exit %d\n%s%s", r.exit_status, r.out, r.err);
    assert_non_null(r.json);
    assert_int_equal(json_int_at(r.json, "summary.failed"), 0);
    assert_int_equal(json_int_at(r.json, "summary.skipped"), 0);
    assert_int_equal(json_int_at(r.json, "summary.breaking_drift"), 0);
    assert_int_equal(json_int_at(r.json, "summary.additive_drift"), 0);
    assert_true(json_int_at(r.json, "summary.passed") >= 25);
    assert_non_null(strstr(r.out, " passed, 0 failed, 0 skipped against mock"));
    test_conform_free(&r);
}

static void test_drift_is_named_exactly(void **state)
{
    (void)state;
    struct test_conform r = test_conform_run(
        (const char *const[]){"run", "--vendor", "itnio", "--target", "mock", "--mock-variant",
                              "itnio.drift=rename:data.records[].callType>call_type;"
                              "stringify:data.records[].callDuration;"
                              "add:data.records[].promoCode=\"X\";drop:data.records[].ringDuration",
                              NULL});
    assert_int_equal(r.exit_status, 1);
    /* The page marks no record member mandatory: a member that disappears (callType renamed
     * away, ringDuration dropped) is no drift of its own; what appears and what is retyped is. */
    const char *const want[] = {
        "data.records[].call_type added additive",   /* the renamed member appears */
        "data.records[].callDuration type breaking", /* number -> string */
        "data.records[].promoCode added additive",   /* added field */
    };
    const cJSON *sc = test_conform_scenario(&r, "itnio-auth-accepted");
    assert_string_equal(json_str_at(sc, "status"), "failed");
    test_conform_expect_findings(sc, want, 3);
    const cJSON *d;
    cJSON_ArrayForEach(d, json_at(sc, "drift"))
        if (strcmp(json_str_at(d, "path"), "data.records[].callDuration") == 0) {
            assert_string_equal(json_str_at(d, "expected"), "integer");
            assert_string_equal(json_str_at(d, "seen"), "string");
        }
    /* Scenarios whose responses carry no records see no drift and still pass. */
    assert_string_equal(json_str_at(test_conform_scenario(&r, "itnio-auth-wrong-secret"), "status"),
                        "passed");
    test_conform_free(&r);

    /* The primary key is there by definition: renaming it away is breaking. */
    r = test_conform_run(
        (const char *const[]){"run", "--vendor", "itnio", "--target", "mock", "--mock-variant",
                              "itnio.drift=rename:data.records[].keyId>key_id", NULL});
    assert_int_equal(r.exit_status, 1);
    const char *const key_want[] = {"data.records[].keyId missing breaking",
                                    "data.records[].key_id added additive"};
    test_conform_expect_findings(test_conform_scenario(&r, "itnio-auth-accepted"), key_want, 2);
    test_conform_free(&r);
}

static void test_additive_drift_alone_does_not_fail(void **state)
{
    (void)state;
    struct test_conform r = test_conform_run(
        (const char *const[]){"run", "--vendor", "itnio", "--target", "mock", "--mock-variant",
                              "itnio.drift=add:data.records[].promoCode=\"X\"", NULL});
    assert_int_equal(r.exit_status, 0);
    assert_int_equal(json_int_at(r.json, "summary.failed"), 0);
    assert_int_equal(json_int_at(r.json, "summary.breaking_drift"), 0);
    assert_true(json_int_at(r.json, "summary.additive_drift") > 0);
    const char *const want[] = {"data.records[].promoCode added additive"};
    test_conform_expect_findings(test_conform_scenario(&r, "itnio-auth-accepted"), want, 1);
    test_conform_free(&r);
}

static void test_unenforced_timestamp_window_fails_its_scenarios(void **state)
{
    (void)state;
    struct test_conform r =
        test_conform_run((const char *const[]){"run", "--vendor", "itnio", "--target", "mock",
                                               "--mock-variant", "itnio.timestamp_window=0", NULL});
    assert_int_equal(r.exit_status, 1);
    char *failed = test_conform_ids_with_status(&r, "failed");
    assert_string_equal(failed, "itnio-timestamp-stale,itnio-timestamp-future,itnio-clock-moves");
    free(failed);
    assert_true(test_conform_message_contains(
        test_conform_scenario(&r, "itnio-timestamp-stale"),
        "expected the call to fail with timestamp, but it succeeded"));
    test_conform_free(&r);
}

static void test_wrong_total_fails_pagination(void **state)
{
    (void)state;
    struct test_conform r = test_conform_run(
        (const char *const[]){"run", "--vendor", "itnio", "--target", "mock", "--mock-variant",
                              "itnio.drift=set:data.total=9999", NULL});
    assert_int_equal(r.exit_status, 1);
    const cJSON *sc = test_conform_scenario(&r, "itnio-pagination");
    assert_string_equal(json_str_at(sc, "status"), "failed");
    assert_true(test_conform_message_contains(sc, "for total 9999 and size 7"));
    assert_true(test_conform_message_contains(test_conform_scenario(&r, "itnio-dataset-total"),
                                              "total is 9999, expected 144"));
    test_conform_free(&r);
}

static void test_tags_select(void **state)
{
    (void)state;
    struct test_conform r =
        test_conform_run((const char *const[]){"run", "--vendor", "itnio", "--target", "mock",
                                               "--tags", "mock-only", "--skip-tags", "slow", NULL});
    assert_int_equal(r.exit_status, 0);
    const cJSON *s;
    cJSON_ArrayForEach(s, json_at(r.json, "scenarios")) {
        bool mock_only = false, slow = false;
        const cJSON *t;
        cJSON_ArrayForEach(t, json_at(s, "tags")) {
            mock_only = mock_only || strcmp(t->valuestring, "mock-only") == 0;
            slow = slow || strcmp(t->valuestring, "slow") == 0;
        }
        assert_string_equal(json_str_at(s, "status"), mock_only && !slow ? "passed" : "skipped");
    }
    test_conform_free(&r);
}

/* The mock on real time stands in for a live vendor: only live-safe scenarios run there, with
 * credentials from a file or the environment and the range from --from/--to. */
static void test_live_target(void **state)
{
    (void)state;
    const char *const env[] = {"CDRSIM_ITNIO_API_KEY=bDqJFiq9", "CDRSIM_ITNIO_API_SECRET=7bz1lzh9",
                               NULL};
    test_conform_live_target("itnio",
                             "{\"itnio\":{\"api_key\":\"bDqJFiq9\",\"api_secret\":\"7bz1lzh9\"}}",
                             env, "7bz1lzh9", "2025-01-01 00:00:00", "2025-03-31 23:59:59");
}

static void test_usage_and_setup_errors(void **state)
{
    (void)state;
    const char *const *cases[] = {
        (const char *const[]){"run", "--target", "mock", NULL},  /* no vendor */
        (const char *const[]){"run", "--vendor", "itnio", NULL}, /* no target */
        (const char *const[]){"run", "--vendor", "nosuch", "--target", "mock",
                              NULL}, /* no driver */
        (const char *const[]){"run", "--vendor", "itnio", "--target", "http://127.0.0.1:9",
                              NULL}, /* no range */
        (const char *const[]){"run", "--vendor", "itnio", "--target", "mock", "--mock-variant",
                              "itnio.nosuch=1", NULL},
        (const char *const[]){"frobnicate", "--vendor", "itnio", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct test_conform r = test_conform_run(cases[i]);
        if (r.exit_status != 2)
            fail_msg("case %zu: exit %d, expected 2\n%s", i, r.exit_status, r.err);
        assert_string_not_equal(r.err, "");
        test_conform_free(&r);
    }
}

static void test_schema_command_prints_the_fixture(void **state)
{
    (void)state;
    char *out = NULL, *err = NULL;
    const char *argv[] = {CDRSIM_CONFORM_BIN, "schema", "--vendor", "itnio", NULL};
    assert_int_equal(run_command(argv, NULL, &out, &err), 0);
    cJSON *printed = cJSON_Parse(out);
    FILE *f = fopen(FIXTURES_DIR "/itnio/schema.json", "rb");
    assert_non_null(f);
    char *text = calloc(1, 1 << 20);
    size_t len = fread(text, 1, (1 << 20) - 1, f);
    fclose(f);
    cJSON *fixture = cJSON_ParseWithLength(text, len);
    assert_true(cJSON_Compare(printed, fixture, true));
    cJSON_Delete(printed);
    cJSON_Delete(fixture);
    free(text);
    free(out);
    free(err);
}

static void test_junit_report(void **state)
{
    (void)state;
    char path[] = "/tmp/cdrsim-conform-junit-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    struct test_conform r = test_conform_run(
        (const char *const[]){"run", "--vendor", "itnio", "--target", "mock", "--mock-variant",
                              "itnio.timestamp_window=0", "--junit", path, NULL});
    assert_int_equal(r.exit_status, 1);
    FILE *f = fopen(path, "rb");
    char *xml = calloc(1, 1 << 20);
    size_t len = fread(xml, 1, (1 << 20) - 1, f);
    fclose(f);
    xml[len] = '\0';
    int64_t scenarios = cJSON_GetArraySize(json_at(r.json, "scenarios"));
    char attrs[128];
    snprintf(attrs, sizeof(attrs), "<testsuite name=\"itnio\" tests=\"%lld\" failures=\"3\"",
             (long long)scenarios);
    assert_non_null(strstr(xml, attrs));
    size_t testcases = 0;
    for (const char *p = xml; (p = strstr(p, "<testcase ")); p++)
        testcases++;
    assert_int_equal(testcases, (size_t)scenarios);
    assert_non_null(strstr(xml, "<testcase classname=\"itnio\" name=\"itnio-timestamp-stale\""));
    assert_non_null(
        strstr(xml, "<failure message=\"step 1 (page): expected the call to fail with timestamp"));
    free(xml);
    unlink(path);
    test_conform_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_itnio_suite_passes_against_the_mock),
        cmocka_unit_test(test_drift_is_named_exactly),
        cmocka_unit_test(test_additive_drift_alone_does_not_fail),
        cmocka_unit_test(test_unenforced_timestamp_window_fails_its_scenarios),
        cmocka_unit_test(test_wrong_total_fails_pagination),
        cmocka_unit_test(test_tags_select),
        cmocka_unit_test(test_live_target),
        cmocka_unit_test(test_usage_and_setup_errors),
        cmocka_unit_test(test_schema_command_prints_the_fixture),
        cmocka_unit_test(test_junit_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
