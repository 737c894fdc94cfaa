/* cdrsim-conform as CI runs it, end to end with the real binaries: usage errors, reports on
 * stdout, results streamed as they come, JUnit errors and properties, the fixtures the mock
 * serves, the mock's clock read from the mock, live runs that need no range, a range longer than
 * the vendor's window, rate limits paced and waited out. The real mock on real time stands in for
 * a live vendor (calibration from a vendor that departs is test_conform_standins'). */
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

/* ---- helpers --------------------------------------------------------------------------------- */

/* A fresh directory holding <vendor>.json with the suite text (' for "); caller removes it with
 * remove_suite_dir. */
static char *suite_dir(const char *vendor, const char *suite_q)
{
    char *dir = strdup("/tmp/cdrsim-test-suites-XXXXXX");
    assert_non_null(dir);
    assert_non_null(mkdtemp(dir));
    char *path = test_format("%s/%s.json", dir, vendor);
    char *text = test_dq(suite_q);
    test_write_file(path, text, strlen(text));
    free(text);
    free(path);
    return dir;
}

static void remove_suite_dir(char *dir, const char *vendor)
{
    char *path = test_format("%s/%s.json", dir, vendor);
    unlink(path);
    free(path);
    rmdir(dir);
    free(dir);
}

static const char *scenario_status(const struct test_conform *r, const char *id)
{
    return json_str_at(test_conform_scenario(r, id), "status");
}

/* The demo credentials of a vendor, as a credentials file (caller unlinks and frees). */
static char *aliyun_credentials(void)
{
    return test_write_temp("{\"aliyun\":{\"access_key_id\":\"testid\",\"access_key_secret\":"
                           "\"testsecret\",\"instance_id\":\"ccc_xp_pre-cn-demo001\"}}");
}

/* ---- usage and reports ----------------------------------------------------------------------- */

static void test_unknown_tags_are_usage_errors(void **state)
{
    (void)state;
    const char *const *cases[] = {
        (const char *const[]){"run", "--vendor", "itnio", "--target", "mock", "--tags", "livesafe",
                              NULL},
        (const char *const[]){"run", "--vendor", "itnio", "--target", "mock", "--skip-tags",
                              "slow,fast", NULL},
        (const char *const[]){"run", "--vendor", "itnio", "--target", "mock", "--rate", "itnio=0",
                              NULL},
        (const char *const[]){"run", "--vendor", "itnio", "--target", "mock", "--rate", "nosuch=5",
                              NULL},
        (const char *const[]){"run", "--vendor", "itnio", "--target", "mock", "--max-retries", "-1",
                              NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct test_conform r = test_conform_run(cases[i]);
        if (r.exit_status != 2)
            fail_msg("case %zu: exit %d, expected 2\n%s", i, r.exit_status, r.err);
        assert_null(r.json); /* nothing ran */
        test_conform_free(&r);
    }
    struct test_conform r = test_conform_run((const char *const[]){
        "run", "--vendor", "itnio", "--target", "mock", "--tags", "livesafe", NULL});
    assert_non_null(strstr(r.err, "--tags: unknown tag 'livesafe'"));
    test_conform_free(&r);
    /* Two reports cannot share stdout. */
    char *out = NULL, *err = NULL;
    const char *argv[] = {CDRSIM_CONFORM_BIN, "run", "--vendor", "itnio", "--target", "mock",
                          "--json",           "-",   "--junit",  "-",     NULL};
    assert_int_equal(run_command(argv, NULL, &out, &err), 2);
    assert_string_equal(out, "");
    assert_non_null(strstr(err, "--json and --junit cannot both go to stdout"));
    free(out);
    free(err);
}

/* --json - writes the JSON report, and only it, to stdout; the text goes to stderr. */
static void test_json_on_stdout(void **state)
{
    (void)state;
    char *out = NULL, *err = NULL;
    const char *argv[] = {
        CDRSIM_CONFORM_BIN, "run",         "--vendor", "itnio",  "--target", "mock",    "--tags",
        "live-safe",        "--skip-tags", "slow",     "--json", "-",        "--quiet", NULL};
    assert_int_equal(run_command(argv, NULL, &out, &err), 0);
    cJSON *doc = cJSON_Parse(out);
    if (!doc)
        fail_msg("stdout is not JSON:\n%s", out);
    assert_true(json_int_at(doc, "summary.passed") > 10);
    assert_string_equal(json_str_at(doc, "target"), "mock");
    cJSON_Delete(doc);
    assert_non_null(strstr(err, "PASS  itnio    itnio-auth-accepted"));
    assert_non_null(strstr(err, " passed, 0 failed, "));
    free(out);
    free(err);
}

/* When stdout is not a terminal each result is written as its scenario ends: the first line comes
 * while the run goes on. */
static void test_results_stream(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        execl(CDRSIM_CONFORM_BIN, CDRSIM_CONFORM_BIN, "run", "--vendor", "huawei", "--target",
              "mock", "--quiet", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char first[512];
    size_t used = 0;
    while (used < sizeof(first) - 1) {
        ssize_t n = read(fds[0], first + used, 1);
        if (n <= 0 || first[used] == '\n')
            break;
        used++;
    }
    first[used] = '\0';
    /* The Huawei suite runs for seconds (long polls, sign-ins); its first scenario is done in
     * a fraction of that. */
    int status;
    assert_int_equal(waitpid(pid, &status, WNOHANG), 0);
    test_assert_prefix(first, "PASS  huawei   huawei-sign-in-out");
    char rest[65536];
    size_t got = 0;
    ssize_t n;
    while ((n = read(fds[0], rest + got, sizeof(rest) - 1 - got)) > 0)
        got += (size_t)n;
    rest[got] = '\0';
    close(fds[0]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_non_null(strstr(rest, " passed, 0 failed, 0 skipped against mock"));
}

/* A scenario that could not run (its own mock refused to start) is an error, not a failure; the
 * suite says when, where and against what it ran. */
static void test_junit_errors_and_properties(void **state)
{
    (void)state;
    char *dir = suite_dir(
        "itnio", "{'vendor':'itnio','mock':{'clock':'2025-05-01T00:00:00Z',"
                 " 'from':'2025-01-01 00:00:00','to':'2025-03-31 23:59:59',"
                 " 'credentials':{'api_key':'bDqJFiq9','api_secret':'7bz1lzh9'}},"
                 " 'scenarios':[{'id':'ok','description':'d','tags':['mock-only'],"
                 "   'steps':[{'call':'page','expect':{'error':'ok'}}]},"
                 "  {'id':'no-mock','description':'d','tags':['mock-only'],"
                 "   'mock':{'args':['--variant','itnio.nosuch=1']},'steps':[{'call':'page'}]},"
                 "  {'id':'fails','description':'d','tags':['mock-only'],"
                 "   'steps':[{'call':'page','expect':{'error':'auth'}}]}]}");
    char *junit = test_write_temp("");
    struct test_conform r = test_conform_run((const char *const[]){
        "run", "--vendor", "itnio", "--target", "mock", "--suites", dir, "--mock-variant",
        "itnio.range_end=exclusive", "--junit", junit, NULL});
    assert_int_equal(r.exit_status, 1);
    assert_string_equal(scenario_status(&r, "no-mock"), "error");
    assert_int_equal(json_int_at(r.json, "summary.errors"), 1);
    assert_int_equal(json_int_at(r.json, "summary.failed"), 2);
    assert_string_equal(json_str_at(r.json, "variants.itnio.range_end"), "exclusive");
    assert_string_equal(json_str_at(r.json, "variants.itnio.status_type"), "per-endpoint");
    char *xml = test_read_file(junit, NULL);
    assert_non_null(strstr(xml, "<testsuite name=\"itnio\" tests=\"3\" failures=\"1\" "
                                "errors=\"1\" skipped=\"0\" time=\""));
    assert_non_null(strstr(xml, "\" timestamp=\"20"));
    char host[256] = "";
    gethostname(host, sizeof(host) - 1);
    char *hostname = test_format("hostname=\"%s\"", host);
    assert_non_null(strstr(xml, hostname));
    free(hostname);
    assert_non_null(strstr(xml, "<property name=\"target\" value=\"mock\"/>"));
    assert_non_null(strstr(xml, "<property name=\"tool\" value=\"cdrsim-conform "));
    assert_non_null(
        strstr(xml, "<property name=\"variant\" value=\"itnio.range_end=exclusive\"/>"));
    assert_non_null(
        strstr(xml, "<property name=\"variant\" value=\"itnio.timestamp_window=1800\"/>"));
    assert_non_null(strstr(xml, "<error message=\"the mock ("));
    assert_non_null(
        strstr(xml, "<failure message=\"step 1 (page): expected the call to fail with auth"));
    free(xml);
    unlink(junit);
    free(junit);
    test_conform_free(&r);
    remove_suite_dir(dir, "itnio");
}

/* --fixtures is the data the mock serves, not only where the schemas are: a dataset with one call
 * in the quarter makes the built-in total's scenario fail. */
static void test_fixtures_reach_the_mock(void **state)
{
    (void)state;
    char root[] = "/tmp/cdrsim-test-fixtures-XXXXXX";
    assert_non_null(mkdtemp(root));
    char *itnio = test_format("%s/itnio", root);
    assert_int_equal(mkdir(itnio, 0700), 0);
    const char *files[] = {"schema.json", "credentials.json", "groups.json", "seats.json"};
    for (size_t i = 0; i < 4; i++) {
        size_t len;
        char *from = test_format("%s/itnio/%s", FIXTURES_DIR, files[i]);
        char *text = test_read_file(from, &len);
        char *to = test_format("%s/%s", itnio, files[i]);
        test_write_file(to, text, len);
        free(from);
        free(text);
        free(to);
    }
    /* The seed page's record alone. */
    cJSON *records = test_load_json(FIXTURES_DIR "/itnio/records.json");
    cJSON *one = cJSON_CreateArray();
    const cJSON *rec;
    cJSON_ArrayForEach(rec, records)
        if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(rec, "keyId")) &&
            cJSON_GetObjectItemCaseSensitive(rec, "keyId")->valuedouble == 50180345)
            cJSON_AddItemToArray(one, cJSON_Duplicate(rec, true));
    assert_int_equal(cJSON_GetArraySize(one), 1);
    char *text = cJSON_Print(one);
    char *path = test_format("%s/records.json", itnio);
    test_write_file(path, text, strlen(text));
    cJSON_Delete(records);
    cJSON_Delete(one);
    free(text);

    struct test_conform r =
        test_conform_run((const char *const[]){"run", "--vendor", "itnio", "--target", "mock",
                                               "--tags", "mock-only", "--fixtures", root, NULL});
    assert_int_equal(r.exit_status, 1);
    assert_string_equal(scenario_status(&r, "itnio-seed-record"), "passed");
    assert_string_equal(scenario_status(&r, "itnio-dataset-total"), "failed");
    assert_true(test_conform_message_contains(test_conform_scenario(&r, "itnio-dataset-total"),
                                              "total is 1, expected 144"));
    test_conform_free(&r);
    unlink(path);
    free(path);
    for (size_t i = 0; i < 4; i++) {
        char *to = test_format("%s/%s", itnio, files[i]);
        unlink(to);
        free(to);
    }
    rmdir(itnio);
    free(itnio);
    rmdir(root);
}

/* ---- the mock's clock ------------------------------------------------------------------------ */

/* A mock that says it is ready 8 s after its clock started (a sanitizer build on a loaded
 * machine): the runner reads the clock from the mock, so timestamps 14 min 55 s off are still
 * inside Alibaba's 15-minute window, and those 15 min 5 s off outside. */
static void test_clock_read_from_a_slow_mock(void **state)
{
    (void)state;
    char *script = test_format(
        "#!/bin/sh\n"
        "fifo=$(mktemp -u /tmp/cdrsim-slow-mock-XXXXXX)\n"
        "mkfifo \"$fifo\" || exit 1\n"
        "'%s' \"$@\" > \"$fifo\" &\n"
        "child=$!\n"
        "trap 'kill $child 2>/dev/null; wait $child; rm -f \"$fifo\"; exit 0' TERM INT\n"
        "exec 3< \"$fifo\"\n"
        "IFS= read -r line <&3\n"
        "sleep 8\n"
        "printf '%%s\\n' \"$line\"\n"
        "exec 1>&-\n"
        "wait $child\n"
        "rm -f \"$fifo\"\n",
        CDRSIM_MOCK_BIN);
    char *wrapper = test_write_temp(script);
    free(script);
    assert_int_equal(chmod(wrapper, 0700), 0);
    char *dir = suite_dir(
        "aliyun",
        "{'vendor':'aliyun','mock':{'clock':'2025-05-01T00:00:00Z',"
        " 'from':'2025-01-01 00:00:00','to':'2025-03-31 23:59:59',"
        " 'credentials':{'access_key_id':'testid','access_key_secret':'testsecret',"
        "  'instance_id':'ccc_xp_pre-cn-demo001'}},"
        " 'scenarios':[{'id':'inside','description':'d','tags':['mock-only'],'steps':["
        "   {'call':'page','size':1,'fault':{'clock_offset':-895},'expect':{'error':'ok'}},"
        "   {'call':'page','size':1,'fault':{'clock_offset':895},'expect':{'error':'ok'}}]},"
        "  {'id':'outside','description':'d','tags':['mock-only'],'steps':["
        "   {'call':'page','size':1,'fault':{'clock_offset':-905},"
        "    'expect':{'error':'timestamp'}},"
        "   {'call':'page','size':1,'fault':{'clock_offset':905},"
        "    'expect':{'error':'timestamp'}}]}]}");
    struct test_conform r =
        test_conform_run((const char *const[]){"run", "--vendor", "aliyun", "--target", "mock",
                                               "--suites", dir, "--mock-bin", wrapper, NULL});
    if (r.exit_status != 0)
        fail_msg("exit %d\n%s%s", r.exit_status, r.out, r.err);
    assert_string_equal(scenario_status(&r, "inside"), "passed");
    assert_string_equal(scenario_status(&r, "outside"), "passed");
    test_conform_free(&r);
    remove_suite_dir(dir, "aliyun");
    unlink(wrapper);
    free(wrapper);
}

/* ---- live targets ---------------------------------------------------------------------------- */

/* A vendor's scenarios that query no range (a Huawei agent session, its token) run live without
 * --from/--to; those that do (its call history) are named, and run once a range is given. */
static void test_live_range_only_where_used(void **state)
{
    (void)state;
    struct mock_process mock;
    mock_process_start(&mock, (const char *const[]){"--variant", "huawei.poll_seconds=1", NULL});
    char *creds = test_write_temp("{\"huawei\":{\"agent_id\":\"291\",\"password\":"
                                  "\"demo-pass-291\",\"phone\":\"70291\",\"app_key\":"
                                  "\"cdrsim-demo-ak\",\"app_secret\":\"cdrsim-demo-sk\"},"
                                  "\"itnio\":{\"api_key\":\"bDqJFiq9\",\"api_secret\":"
                                  "\"7bz1lzh9\"}}");
    char *dir = suite_dir(
        "huawei", "{'vendor':'huawei','mock':{'clock':'2025-05-01T00:00:00Z'},"
                  " 'scenarios':[{'id':'session','description':'d','tags':['live-safe'],"
                  "   'evidence':'inferred','why':'w','steps':[{'call':'sign_in',"
                  "   'expect':{'error':'ok'}},{'call':'callinfo','expect':{'error':'ok'}},"
                  "   {'call':'sign_out','expect':{'error':'ok'}}]},"
                  "  {'id':'token','description':'d','tags':['live-safe'],'evidence':'inferred',"
                  "   'why':'w','steps':[{'call':'token','expect':{'error':'ok'}}]}]}");
    struct test_conform r = test_conform_run(
        (const char *const[]){"run", "--vendor", "huawei", "--target", mock.base_url,
                              "--credentials", creds, "--suites", dir, NULL});
    if (r.exit_status != 0)
        fail_msg("exit %d\n%s%s", r.exit_status, r.out, r.err);
    assert_int_equal(json_int_at(r.json, "summary.passed"), 2);
    test_conform_free(&r);
    remove_suite_dir(dir, "huawei");

    const char *const huawei[] = {
        "run",           "--vendor", "huawei",      "--target", mock.base_url,
        "--credentials", creds,      "--skip-tags", "slow",     NULL};
    r = test_conform_run(huawei);
    assert_int_equal(r.exit_status, 2);
    assert_non_null(strstr(r.err, "huawei: scenarios huawei-history-page, "));
    assert_null(strstr(r.err, "huawei-sign-in-out"));
    assert_null(strstr(r.err, "huawei-history-token"));
    test_conform_free(&r);
    r = test_conform_run((const char *const[]){"run", "--vendor", "huawei", "--target",
                                               mock.base_url, "--credentials", creds, "--skip-tags",
                                               "slow", "--from", "2025-04-01 00:00:00", "--to",
                                               "2025-04-30 23:59:59", NULL});
    if (r.exit_status != 0)
        fail_msg("exit %d\n%s%s", r.exit_status, r.out, r.err);
    assert_true(json_int_at(r.json, "summary.passed") >= 20);
    test_conform_free(&r);

    r = test_conform_run((const char *const[]){"run", "--vendor", "itnio", "--target",
                                               mock.base_url, "--credentials", creds, NULL});
    assert_int_equal(r.exit_status, 2);
    assert_non_null(strstr(r.err, "itnio: scenarios itnio-auth-accepted, itnio-auth-wrong-secret"));
    assert_non_null(strstr(r.err, "query a range: a live target needs --from and --to"));
    test_conform_free(&r);
    unlink(creds);
    free(creds);
    assert_int_equal(mock_process_stop(&mock), 0);
}

/* Four months is longer than ITNIO's 93-day window: scenarios asking one page of it ask the
 * latest 93 days and say so, and the whole live-safe suite passes. */
static void test_live_range_longer_than_the_window(void **state)
{
    (void)state;
    struct mock_process mock;
    mock_process_start(&mock, NULL);
    char *creds =
        test_write_temp("{\"itnio\":{\"api_key\":\"bDqJFiq9\",\"api_secret\":\"7bz1lzh9\"}}");
    struct test_conform r = test_conform_run((const char *const[]){
        "run", "--vendor", "itnio", "--target", mock.base_url, "--credentials", creds, "--from",
        "2025-01-01 00:00:00", "--to", "2025-04-30 23:59:59", "--skip-tags", "slow", NULL});
    char *failed = test_conform_ids_with_status(&r, "failed");
    /* The agent query's own window (32 days) is the ITNIO client's to send. */
    if (strcmp(failed, "itnio-seats") != 0 && strcmp(failed, "") != 0)
        fail_msg("failed: %s\n%s", failed, r.out);
    free(failed);
    const cJSON *sc = test_conform_scenario(&r, "itnio-auth-accepted");
    assert_string_equal(json_str_at(sc, "status"), "passed");
    assert_string_equal(json_str_at(sc, "notes.0"),
                        "step 1 (page): itnio lets one query span at most 8035200 s; a page of "
                        "2024-12-31T16:00:00Z..2025-04-30T15:59:59Z was asked of the latest window "
                        "inside it, 2025-01-27T15:59:59Z..2025-04-30T15:59:59Z");
    assert_string_equal(scenario_status(&r, "itnio-pagination"), "passed");
    /* The step that provokes the range error sends the range as given, and gets -76. */
    assert_string_equal(scenario_status(&r, "itnio-range-over-93-days"), "passed");
    test_conform_free(&r);
    unlink(creds);
    free(creds);
    assert_int_equal(mock_process_stop(&mock), 0);
}

/* Alibaba allows a number of calls a second and refuses the rest with Throttling.User: the runner
 * paces the rate given (or the suite's documented one) and waits out refusals. */
static void test_rate_limits(void **state)
{
    (void)state;
    struct mock_process mock;
    mock_process_start(&mock, (const char *const[]){"--variant", "aliyun.throttle=10", NULL});
    char *creds = aliyun_credentials();
#define PAGES_SCENARIO                                                                             \
    "'scenarios':[{'id':'pages','description':'d','tags':['live-safe'],"                           \
    " 'steps':[{'check':'pagination','size':5}]}]"
#define ALIYUN_MOCK "'mock':{'clock':'2025-05-01T00:00:00Z'}"
    char *plain = suite_dir("aliyun", "{'vendor':'aliyun'," ALIYUN_MOCK "," PAGES_SCENARIO "}");
    char *documented = suite_dir(
        "aliyun",
        "{'vendor':'aliyun'," ALIYUN_MOCK ","
        " 'rate_limit':{'calls_per_second':8,'evidence':'documented',"
        "  'cite':'https://help.aliyun.com/ — 80 calls a second (here 10)'}," PAGES_SCENARIO "}");
    const char *from = "2025-01-01 00:00:00", *to = "2025-03-31 23:59:59";
    /* Unpaced and never asked again: the 11th call in a second is refused. */
    struct test_conform r = test_conform_run((const char *const[]){
        "run", "--vendor", "aliyun", "--target", mock.base_url, "--credentials", creds, "--suites",
        plain, "--from", from, "--to", to, "--max-retries", "0", NULL});
    assert_int_equal(r.exit_status, 1);
    assert_true(
        test_conform_message_contains(test_conform_scenario(&r, "pages"), "Throttling.User"));
    test_conform_free(&r);
    sleep(1); /* a fresh second for the vendor's count */
    /* Paced below the limit: no refusal. */
    r = test_conform_run((const char *const[]){
        "run", "--vendor", "aliyun", "--target", mock.base_url, "--credentials", creds, "--suites",
        plain, "--from", from, "--to", to, "--max-retries", "0", "--rate", "aliyun=8", NULL});
    if (r.exit_status != 0)
        fail_msg("paced: exit %d\n%s", r.exit_status, r.out);
    test_conform_free(&r);
    sleep(1);
    /* The suite's documented rate is paced on a live target without being asked. */
    r = test_conform_run((const char *const[]){
        "run", "--vendor", "aliyun", "--target", mock.base_url, "--credentials", creds, "--suites",
        documented, "--from", from, "--to", to, "--max-retries", "0", NULL});
    if (r.exit_status != 0)
        fail_msg("documented rate: exit %d\n%s", r.exit_status, r.out);
    test_conform_free(&r);
    sleep(1);
    /* Unpaced, refusals are waited out and asked again. */
    r = test_conform_run((const char *const[]){"run", "--vendor", "aliyun", "--target",
                                               mock.base_url, "--credentials", creds, "--suites",
                                               plain, "--from", from, "--to", to, NULL});
    if (r.exit_status != 0)
        fail_msg("retried: exit %d\n%s", r.exit_status, r.out);
    assert_non_null(strstr(json_str_at(test_conform_scenario(&r, "pages"), "notes.0"),
                           "rate limited (Throttling.User): asked again after 1 s"));
    test_conform_free(&r);
    remove_suite_dir(plain, "aliyun");
    remove_suite_dir(documented, "aliyun");
    unlink(creds);
    free(creds);
    assert_int_equal(mock_process_stop(&mock), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_tags_are_usage_errors),
        cmocka_unit_test(test_json_on_stdout),
        cmocka_unit_test(test_results_stream),
        cmocka_unit_test(test_junit_errors_and_properties),
        cmocka_unit_test(test_fixtures_reach_the_mock),
        cmocka_unit_test(test_clock_read_from_a_slow_mock),
        cmocka_unit_test(test_live_range_only_where_used),
        cmocka_unit_test(test_live_range_longer_than_the_window),
        cmocka_unit_test(test_rate_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
