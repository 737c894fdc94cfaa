/* cdrsim-conform against the Huawei CEC mock: the suite passes (the AgentGateway's session and the
 * CC-Management call history), drift on call and event fields is named exactly, a mock that reads
 * isNoContainLastCall or unknown call IDs differently, or sends a wrong value, fails the matching
 * scenarios, and a "live" gateway (the mock on real time) runs only the live-safe scenarios and is
 * left with its agent signed out. */
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

#define CREDENTIALS                                                                                \
    "{\"huawei\":{\"agent_id\":\"291\",\"password\":\"demo-pass-291\",\"phone\":\"70291\","        \
    "\"app_key\":\"cdrsim-demo-ak\",\"app_secret\":\"cdrsim-demo-sk\"}}"

static bool has_tag(const cJSON *scenario, const char *tag)
{
    const cJSON *t;
    cJSON_ArrayForEach(t, json_at(scenario, "tags")) {
        if (strcmp(t->valuestring, tag) == 0)
            return true;
    }
    return false;
}

static void test_suite_passes_against_the_mock(void **state)
{
    (void)state;
    struct test_conform r = test_conform_run(
        (const char *const[]){"run", "--vendor", "huawei", "--target", "mock", NULL});
    if (r.exit_status != 0)
        fail_msg("exit %d\n%s%s", r.exit_status, r.out, r.err);
    int scenarios = cJSON_GetArraySize(json_at(r.json, "scenarios"));
    assert_true(scenarios >= 25);
    assert_int_equal(json_int_at(r.json, "summary.passed"), scenarios);
    assert_int_equal(json_int_at(r.json, "summary.failed"), 0);
    assert_int_equal(json_int_at(r.json, "summary.skipped"), 0);
    assert_int_equal(json_int_at(r.json, "summary.breaking_drift"), 0);
    assert_int_equal(json_int_at(r.json, "summary.additive_drift"), 0);
    /* Every scenario talked to the gateway and says where it may run, and every documented
     * retcode a client can provoke has its own scenario. */
    const cJSON *s;
    cJSON_ArrayForEach(s, json_at(r.json, "scenarios")) {
        assert_true(json_int_at(s, "requests") >= 1);
        if (has_tag(s, "live-safe") == has_tag(s, "mock-only"))
            fail_msg("%s must be either live-safe or mock-only", json_str_at(s, "id"));
    }
    const char *const retcodes[] = {"000-002", "000-003", "100-001", "100-002",
                                    "100-004", "100-006", "100-008"};
    for (size_t i = 0; i < sizeof(retcodes) / sizeof(retcodes[0]); i++) {
        bool found = false;
        cJSON_ArrayForEach(s, json_at(r.json, "scenarios")) {
            found = found || strstr(json_str_at(s, "id"), retcodes[i]);
        }
        if (!found)
            fail_msg("no scenario for retcode %s", retcodes[i]);
    }
    test_conform_free(&r);
}

/* Drift on the call objects (callinfo, callinfobycallid: result.*; holdlist: result[].*) and on
 * the poll's event. */
static void test_drift_is_named_exactly(void **state)
{
    (void)state;
    struct test_conform r = test_conform_run((const char *const[]){
        "run", "--vendor", "huawei", "--target", "mock", "--mock-variant",
        "huawei.drift=rename:result.trace.vdnId>vdnid;stringify:result.callskillid;"
        "add:result.trace.skillName=\"x\";drop:result.waitTime;stringify:result[].trunkNo",
        NULL});
    assert_int_equal(r.exit_status, 1);
    /* The page marks no member of the call mandatory: a dropped or renamed one is absent, not
     * drift (the record expectations still see it), and the new name is an addition. */
    const char *const one_call[] = {
        "result.trace.vdnid added additive",     /* rename: a new member appears */
        "result.callskillid type breaking",      /* number -> string */
        "result.trace.skillName added additive", /* added field */
    };
    const cJSON *sc = test_conform_scenario(&r, "huawei-seed-record");
    assert_string_equal(json_str_at(sc, "status"), "failed");
    test_conform_expect_findings(sc, one_call, 3);
    const cJSON *d = test_conform_finding(sc, "result.callskillid");
    assert_string_equal(json_str_at(d, "expected"), "integer");
    assert_string_equal(json_str_at(d, "seen"), "string");
    /* The record expectations see the same change through the client. */
    assert_true(test_conform_message_contains(sc, "raw.trace.vdnId is absent, expected 214"));
    /* The held call walks the array; the current and ended calls count as three responses. */
    const char *const lifecycle[] = {
        "result.trace.vdnid added additive",
        "result.callskillid type breaking",
        "result.trace.skillName added additive",
        "result[].trunkNo type breaking",
    };
    sc = test_conform_scenario(&r, "huawei-call-lifecycle");
    test_conform_expect_findings(sc, lifecycle, 4);
    assert_int_equal(json_int_at(test_conform_finding(sc, "result.callskillid"), "count"), 3);
    /* Answers without a call object see no drift and still pass. */
    const char *const clean[] = {"huawei-wrong-password-100-004", "huawei-sign-in-out",
                                 "huawei-holdlist", "huawei-first-event"};
    for (size_t i = 0; i < sizeof(clean) / sizeof(clean[0]); i++) {
        sc = test_conform_scenario(&r, clean[i]);
        assert_string_equal(json_str_at(sc, "status"), "passed");
        assert_int_equal(cJSON_GetArraySize(json_at(sc, "drift")), 0);
    }
    test_conform_free(&r);

    /* The poll's event is checked too. */
    r = test_conform_run((const char *const[]){"run", "--vendor", "huawei", "--target", "mock",
                                               "--mock-variant",
                                               "huawei.drift=rename:event.eventType>type", NULL});
    assert_int_equal(r.exit_status, 1);
    const char *const event[] = {"event.eventType missing breaking", "event.type added additive"};
    test_conform_expect_findings(test_conform_scenario(&r, "huawei-poll"), event, 2);
    test_conform_free(&r);
}

static void test_additive_drift_alone_does_not_fail(void **state)
{
    (void)state;
    struct test_conform r = test_conform_run(
        (const char *const[]){"run", "--vendor", "huawei", "--target", "mock", "--mock-variant",
                              "huawei.drift=add:result.trace.skillName=\"x\"", NULL});
    assert_int_equal(r.exit_status, 0);
    assert_int_equal(json_int_at(r.json, "summary.failed"), 0);
    assert_int_equal(json_int_at(r.json, "summary.breaking_drift"), 0);
    assert_true(json_int_at(r.json, "summary.additive_drift") > 0);
    const char *const want[] = {"result.trace.skillName added additive"};
    test_conform_expect_findings(test_conform_scenario(&r, "huawei-dataset-current-call"), want, 1);
    test_conform_free(&r);
}

/* Misbehaving gateways that keep the documented shapes: no drift, but exactly the scenarios that
 * rely on the behaviour fail, each saying why. */
static void test_broken_behaviour_fails_its_scenarios(void **state)
{
    (void)state;
    static const struct {
        const char *variant;
        const char *failed;             /* the failed scenarios, in suite order */
        const char *scenario, *message; /* one of them and what it says */
    } cases[] = {
        /* isNoContainLastCall read by its name: true leaves the last call out. */
        {"huawei.lastcall_flag=name", "huawei-last-call-doc-meaning,huawei-last-call-trace-blank",
         "huawei-last-call-doc-meaning", "step 2 (callinfo): count is 0, expected 1"},
        /* An unknown call ID refused instead of answered with result null. */
        {"huawei.unknown_callid=000-002", "huawei-unknown-callid", "huawei-unknown-callid",
         "step 2 (call_by_id): expected success, got parameter (The URL parameter or interface "
         "parameter is invalid., vendor code 000-002)"},
        /* A wrong value in every call object: each pinned record notices. */
        {"huawei.drift=set:result.trace.deviceNo=2006",
         "huawei-seed-record,huawei-dataset-current-call,huawei-last-call-doc-meaning,"
         "huawei-call-lifecycle",
         "huawei-seed-record",
         "step 2 (call_by_id): record 1476838963-224: agent is \"2006\", expected \"2005\""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct test_conform r =
            test_conform_run((const char *const[]){"run", "--vendor", "huawei", "--target", "mock",
                                                   "--mock-variant", cases[i].variant, NULL});
        assert_int_equal(r.exit_status, 1);
        char *failed = test_conform_ids_with_status(&r, "failed");
        if (strcmp(failed, cases[i].failed) != 0)
            fail_msg("%s: failed %s, expected %s", cases[i].variant, failed, cases[i].failed);
        free(failed);
        const cJSON *sc = test_conform_scenario(&r, cases[i].scenario);
        if (!test_conform_message_contains(sc, cases[i].message))
            fail_msg("%s: %s does not say \"%s\"", cases[i].variant, cases[i].scenario,
                     cases[i].message);
        assert_int_equal(json_int_at(r.json, "summary.breaking_drift"), 0);
        test_conform_free(&r);
    }
}

/* The mock on real time stands in for a gateway: only live-safe scenarios run, with the agent's
 * credentials from a file or the environment, and the agent is signed out afterwards. */
static void test_live_target(void **state)
{
    (void)state;
    struct mock_process mock;
    mock_process_start(&mock, (const char *const[]){"--variant", "huawei.poll_seconds=1", NULL});
    char *creds = test_write_temp(CREDENTIALS);
    struct test_conform r = test_conform_run((const char *const[]){
        "run", "--vendor", "huawei", "--target", mock.base_url, "--credentials", creds, "--from",
        "2025-04-01 00:00:00", "--to", "2025-04-30 23:59:59", NULL});
    if (r.exit_status != 0)
        fail_msg("exit %d\n%s%s", r.exit_status, r.out, r.err);
    size_t ran = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, json_at(r.json, "scenarios")) {
        bool live_safe = has_tag(s, "live-safe");
        ran += live_safe;
        assert_string_equal(json_str_at(s, "status"), live_safe ? "passed" : "skipped");
        if (!live_safe)
            assert_string_equal(json_str_at(s, "skip_reason"),
                                "mock-only scenario on a live target");
    }
    assert_true(ran >= 15);
    /* Neither secret appears in what the runner prints. */
    assert_null(strstr(r.out, "demo-pass-291"));
    assert_null(strstr(r.err, "demo-pass-291"));
    assert_null(strstr(r.out, "cdrsim-demo-sk"));
    assert_null(strstr(r.err, "cdrsim-demo-sk"));
    test_conform_free(&r);

    char *url = test_format("%s/__cdrsim/huawei/agents/291", mock.base_url);
    struct test_http_reply agent = test_http("GET", url, NULL, NULL, 0);
    assert_int_equal(agent.status, 200);
    assert_string_equal(json_str_at(agent.json, "session"), "signed_out");
    test_http_reply_free(&agent);
    free(url);

    /* The same from the environment. */
    setenv("CDRSIM_HUAWEI_AGENT_ID", "291", 1);
    setenv("CDRSIM_HUAWEI_PASSWORD", "demo-pass-291", 1);
    setenv("CDRSIM_HUAWEI_PHONE", "70291", 1);
    setenv("CDRSIM_HUAWEI_APP_KEY", "cdrsim-demo-ak", 1);
    setenv("CDRSIM_HUAWEI_APP_SECRET", "cdrsim-demo-sk", 1);
    r = test_conform_run((const char *const[]){"run", "--vendor", "huawei", "--target",
                                               mock.base_url, "--tags", "live-safe", "--skip-tags",
                                               "slow", "--from", "2025-04-01 00:00:00", "--to",
                                               "2025-04-30 23:59:59", NULL});
    if (r.exit_status != 0)
        fail_msg("exit %d\n%s%s", r.exit_status, r.out, r.err);
    assert_string_equal(json_str_at(test_conform_scenario(&r, "huawei-long-poll"), "status"),
                        "skipped");
    test_conform_free(&r);
    /* Each credential set serves its own scenarios: without the agent's password the session's
     * fail naming the variable, and the call history's still pass. */
    unsetenv("CDRSIM_HUAWEI_PASSWORD");
    r = test_conform_run((const char *const[]){
        "run", "--vendor", "huawei", "--target", mock.base_url, "--skip-tags", "slow", "--from",
        "2025-04-01 00:00:00", "--to", "2025-04-30 23:59:59", NULL});
    assert_int_equal(r.exit_status, 1);
    const cJSON *session = test_conform_scenario(&r, "huawei-sign-in-out");
    assert_string_equal(json_str_at(session, "status"), "failed");
    assert_true(test_conform_message_contains(session, "$CDRSIM_HUAWEI_PASSWORD"));
    assert_string_equal(json_str_at(test_conform_scenario(&r, "huawei-history-windows"), "status"),
                        "passed");
    test_conform_free(&r);
    unsetenv("CDRSIM_HUAWEI_AGENT_ID");
    unsetenv("CDRSIM_HUAWEI_PHONE");
    unsetenv("CDRSIM_HUAWEI_APP_KEY");
    unsetenv("CDRSIM_HUAWEI_APP_SECRET");
    unlink(creds);
    free(creds);
    assert_int_equal(mock_process_stop(&mock), 0);
}

/* The vendor's own documented answers fit the schema without a single finding. */
static void test_documented_examples_fit_the_schema(void **state)
{
    (void)state;
    struct conform_schema schema;
    char err[512] = "";
    if (!conform_schema_load(&schema, FIXTURES_DIR "/huawei/schema.json", err, sizeof(err)))
        fail_msg("%s", err);
    static const struct {
        const char *file, *method, *path;
    } examples[] = {
        {"signin_response.json", "PUT", "/agentgateway/resource/onlineagent/291"},
        {"signin_response.json", "PUT", "/agentgateway/resource/onlineagent/291/forcelogin"},
        {"logout_response.json", "DELETE", "/agentgateway/resource/onlineagent/291/logout"},
        {"updateguid_response.json", "PUT", "/agentgateway/resource/onlineagent/291/updateGuid"},
        {"event_response.json", "GET", "/agentgateway/resource/agentevent/291"},
        {"callinfo_response.json", "GET",
         "/agentgateway/resource/calldata/2005/callinfo?isNoContainLastCall=false"},
        {"callinfo_response.json", "GET",
         "/agentgateway/resource/calldata/2005/callinfobycallid/1476838963-224"},
    };
    for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
        char *path = test_format("%s/huawei/examples/%s", FIXTURES_DIR, examples[i].file);
        size_t len;
        char *body = test_read_file(path, &len);
        struct conform_findings f = {0};
        assert_true(conform_schema_check(&schema, examples[i].method, examples[i].path, 200, body,
                                         len, &f));
        if (f.count)
            fail_msg("%s drifts: %s %s (documented %s, seen %s)", examples[i].file, f.items[0].path,
                     f.items[0].kind, f.items[0].expected, f.items[0].seen);
        conform_findings_free(&f);
        free(body);
        free(path);
    }
    /* The documented error body, a held-call list and the long poll's empty answer. */
    const char *const bodies[][2] = {
        {"/agentgateway/resource/calldata/291/holdlist",
         "{\"message\":\"The agent has not signed in.\",\"retcode\":\"100-006\",\"result\":null}"},
        {"/agentgateway/resource/calldata/291/holdlist",
         "{\"message\":\"\",\"retcode\":\"0\",\"result\":[]}"},
        {"/agentgateway/resource/agentevent/291", "{\"message\":\"\",\"retcode\":\"0\"}"},
    };
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        struct conform_findings f = {0};
        assert_true(conform_schema_check(&schema, "GET", bodies[i][0], 200, bodies[i][1],
                                         strlen(bodies[i][1]), &f));
        assert_int_equal(f.count, 0);
    }
    /* An undocumented retcode and a caller of neither documented type are drift. */
    const char *odd = "{\"message\":\"\",\"retcode\":\"100-099\",\"result\":null}";
    struct conform_findings f = {0};
    assert_true(conform_schema_check(&schema, "GET", "/agentgateway/resource/calldata/291/holdlist",
                                     200, odd, strlen(odd), &f));
    assert_int_equal(f.count, 1);
    assert_string_equal(f.items[0].path, "retcode");
    assert_string_equal(f.items[0].kind, "enum");
    assert_string_equal(f.items[0].seen, "\"100-099\"");
    conform_findings_free(&f);
    conform_schema_free(&schema);
}

static void test_schema_command_prints_the_fixture(void **state)
{
    (void)state;
    char *out = NULL, *err = NULL;
    const char *argv[] = {CDRSIM_CONFORM_BIN, "schema", "--vendor", "huawei", NULL};
    assert_int_equal(run_command(argv, NULL, &out, &err), 0);
    cJSON *printed = cJSON_Parse(out);
    cJSON *fixture = test_load_json(FIXTURES_DIR "/huawei/schema.json");
    assert_true(cJSON_Compare(printed, fixture, true));
    cJSON_Delete(printed);
    cJSON_Delete(fixture);
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suite_passes_against_the_mock),
        cmocka_unit_test(test_drift_is_named_exactly),
        cmocka_unit_test(test_additive_drift_alone_does_not_fail),
        cmocka_unit_test(test_broken_behaviour_fails_its_scenarios),
        cmocka_unit_test(test_live_target),
        cmocka_unit_test(test_documented_examples_fit_the_schema),
        cmocka_unit_test(test_schema_command_prints_the_fixture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
