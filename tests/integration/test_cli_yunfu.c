/* cdrsim-client's Yunfu commands as a user runs them: exit statuses, exact stdout lines, one-line
 * reasons on stderr. Fetches go to the real cdrsim-mock; expected lines are counted from
 * fixtures/yunfu/records.json by the tests themselves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"
#include "yunfu_model.h"

/* The seed call's dialogue: the detail page's opening row, then the list example's rows. */
static const char transcript[] =
    "{\"sequence\":1,\"speaker\":\"ai\",\"text\":\"流程一茅盾出生在一个思想观念颇为新颖的家庭里,"
    "从小接受新式的教育。后考入北京大学预科,毕业后入商务印书馆工作,从此走上了改革中国文艺的道路,"
    "他是新文化运动的先驱者、中国革命文艺的奠基人之一。\",\"time\":\"2022-09-29T07:09:20Z\"}\n"
    "{\"sequence\":10,\"speaker\":\"customer\",\"text\":\"挂了吧。\",\"time\":\"2022-09-29T07:09:"
    "41Z\"}\n"
    "{\"sequence\":11,\"speaker\":\"customer\",\"text\":\"挂了吧。\",\"time\":\"2022-09-29T07:09:"
    "44Z\"}\n"
    "{\"sequence\":12,\"speaker\":\"ai\",\"text\":\"结束语挂断结束语挂断结束语挂断\",\"time\":"
    "\"2022-09-29T07:09:53Z\"}\n";

struct fixture {
    struct mock_process mock;
    cJSON *records;
};

/* A token in the environment would mask the "missing option" cases. */
static int setup(void **state)
{
    unsetenv("CDRSIM_YUNFU_TOKEN");
    struct fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    fx->records = test_load_json(YUNFU_RECORDS);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    if (fx->mock.pid > 0)
        mock_process_stop(&fx->mock);
    cJSON_Delete(fx->records);
    free(fx);
    unsetenv("CDRSIM_YUNFU_TOKEN");
    return 0;
}

static void expect_run(struct test_cli_run *r, int status, const char *out, const char *err)
{
    if (r->status != status)
        fail_msg("exit %d, expected %d; stderr: %s", r->status, status, r->err);
    if (out)
        assert_string_equal(r->out, out);
    if (err)
        assert_string_equal(r->err, err);
    test_cli_run_free(r);
}

/* ---- parse ---------------------------------------------------------------------------------- */

static void parse_the_seed_example(void **state)
{
    (void)state;
    struct test_cli_run r =
        test_cli(NULL, (const char *const[]){"parse", "yunfu", YUNFU_EXAMPLE, NULL});
    char *want = test_format("%s\n", YUNFU_SEED_LINE);
    expect_run(&r, 0, want, "");
    free(want);
    /* From stdin, with the vendor's own object appended. */
    char *text = test_read_file(YUNFU_EXAMPLE, NULL);
    r = test_cli(text, (const char *const[]){"parse", "yunfu", "--raw", "-", NULL});
    assert_int_equal(r.status, 0);
    assert_memory_equal(r.out, YUNFU_SEED_LINE,
                        strlen(YUNFU_SEED_LINE) - 1); /* all but the closing brace */
    cJSON *line = cJSON_Parse(r.out), *example = cJSON_Parse(text);
    assert_true(cJSON_Compare(json_at(line, "raw"), json_at(example, "data.0"), true));
    cJSON_Delete(line);
    cJSON_Delete(example);
    test_cli_run_free(&r);
    free(text);
}

static void parse_a_detail(void **state)
{
    (void)state;
    cJSON *example = test_load_json(YUNFU_EXAMPLE);
    char *record = cJSON_PrintUnformatted(json_at(example, "data.0"));
    char *rows = cJSON_PrintUnformatted(json_at(example, "data.0.details"));
    char *detail = test_format(
        "{\"code\":200,\"status\":\"success\",\"message\":\"查看通话记录详情成功\",\"data\":%s}",
        record);
    char *rows_only = test_format("{\"code\":200,\"data\":%s}", rows);
    struct test_cli_run r = test_cli(detail, (const char *const[]){"parse", "yunfu", "-", NULL});
    char *want = test_format("%s\n", YUNFU_SEED_LINE);
    expect_run(&r, 0, want, "");
    r = test_cli(rows_only, (const char *const[]){"parse", "yunfu", "-", NULL});
    expect_run(&r, 0, strchr(transcript, '\n') + 1, ""); /* the list's rows: 10 to 12 */
    /* The detail page's own example: data.records, its opening row. */
    char *page = test_read_file(YUNFU_DETAIL_EXAMPLE, NULL);
    r = test_cli(page, (const char *const[]){"parse", "yunfu", "-", NULL});
    char *opening =
        test_format("%.*s", (int)(strchr(transcript, '\n') + 1 - transcript), transcript);
    expect_run(&r, 0, opening, "");
    free(opening);
    free(page);
    free(want);
    free(rows_only);
    free(detail);
    free(rows);
    free(record);
    cJSON_Delete(example);
}

static void parse_errors(void **state)
{
    (void)state;
    struct test_cli_run r =
        test_cli(NULL, (const char *const[]){"parse", "yunfu",
                                             FIXTURES_DIR "/yunfu/examples/"
                                                          "task_not_found_response.json",
                                             NULL});
    expect_run(&r, 1, "", "cdrsim-client: parse yunfu: not_found: 任务不存在 (vendor code 5002)\n");
    r = test_cli(NULL, (const char *const[]){
                           "parse", "yunfu",
                           FIXTURES_DIR "/yunfu/examples/node_not_found_response.json", NULL});
    expect_run(&r, 1, "",
               "cdrsim-client: parse yunfu: not_found: 【user】参数错误,未找到对应云节点 (vendor "
               "code 1002)\n");
    r = test_cli("{\"code\":200,\"meta\":{\"total\":1",
                 (const char *const[]){"parse", "yunfu", "-", NULL});
    expect_run(&r, 1, "", "cdrsim-client: parse yunfu: malformed_response: response is not JSON\n");
    r = test_cli(NULL, (const char *const[]){"parse", "yunfu", "/nonexistent/file.json", NULL});
    expect_run(&r, 1, "",
               "cdrsim-client: cannot open /nonexistent/file.json: No such file or directory\n");
    r = test_cli(NULL, (const char *const[]){"parse", "yunfu", NULL});
    expect_run(&r, 2, "", "usage: cdrsim-client parse yunfu [--raw] FILE|-\n");
    r = test_cli(NULL, (const char *const[]){"sign", "yunfu", NULL});
    expect_run(&r, 2, "", "cdrsim-client: 'sign' is not a command for yunfu\n");
}

/* ---- fetch ---------------------------------------------------------------------------------- */

static void start_mock(struct fixture *fx)
{
    const char *const args[] = {"--data", FIXTURES_DIR, NULL};
    mock_process_start(&fx->mock, args);
}

/* fetch yunfu against the mock with the demo token, plus args (NULL-terminated). */
static struct test_cli_run fetch(struct fixture *fx, const char *const *args)
{
    const char *argv[48] = {"fetch",           "yunfu",   "--base-url",
                            fx->mock.base_url, "--token", YUNFU_DEMO_TOKEN};
    size_t n = 6;
    for (size_t i = 0; args[i]; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    return test_cli(NULL, argv);
}

static void expect_lines(struct fixture *fx, const char *const *args, const char *task,
                         yunfu_pred pred, const void *arg)
{
    struct test_cli_run r = fetch(fx, args);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_string_equal(r.err, "");
    struct test_ids got = test_jsonl_ids(r.out),
                    want = yunfu_model_ids(fx->records, task, pred, arg);
    test_ids_assert_equal(&want, &got);
    test_ids_free(&got);
    test_ids_free(&want);
    test_cli_run_free(&r);
}

static bool level_and_window(const cJSON *r, const void *arg)
{
    (void)arg;
    const cJSON *score = json_at(r, "score");
    const char *t = json_str_at(r, "calldate");
    int64_t s = cJSON_IsNumber(score) ? (int64_t)score->valuedouble : -1;
    return ((s >= 0 && s <= 100) || (s >= 900 && s <= 2000)) &&
           strcmp(t, "2022-03-01 00:00:00") >= 0 && strcmp(t, "2022-08-31 23:59:59") <= 0;
}

static bool seed_customer_a(const cJSON *r, const void *arg)
{
    (void)arg;
    const cJSON *callee = json_at(r, "callee"), *intention = json_at(r, "intention_results");
    return cJSON_IsString(callee) && strstr(callee->valuestring, "5552554") &&
           cJSON_IsNumber(intention) && intention->valueint == 1;
}

static void fetch_a_task(void **state)
{
    struct fixture *fx = *state;
    start_mock(fx);
    expect_lines(
        fx, (const char *const[]){"--user-id", YUNFU_SEED_USER, "--task-id", YUNFU_SEED_TASK, NULL},
        YUNFU_SEED_TASK, NULL, NULL);
    expect_lines(
        fx,
        (const char *const[]){"--legacy", "--task-id", YUNFU_SEED_TASK, "--page-size", "9", NULL},
        YUNFU_SEED_TASK, NULL, NULL);
    expect_lines(fx,
                 (const char *const[]){"--user-id", YUNFU_SEED_USER, "--task-id", YUNFU_SUB_TASK,
                                       "--sub-user-id", YUNFU_SUB_USER, "--page-size", "5", NULL},
                 YUNFU_SUB_TASK, NULL, NULL);
    /* China wall clock, RFC 3339 and Unix seconds name the same instants. */
    expect_lines(fx,
                 (const char *const[]){"--user-id", YUNFU_SEED_USER, "--task-id", YUNFU_SEED_TASK,
                                       "--level", "0:100", "--level", "900:2000", "--from",
                                       "2022-03-01 00:00:00", "--to", "2022-08-31T15:59:59Z", NULL},
                 YUNFU_SEED_TASK, level_and_window, NULL);
    char *from = test_format("%lld", (long long)china_time(2022, 3, 1, 0, 0, 0));
    expect_lines(fx,
                 (const char *const[]){"--user-id", YUNFU_SEED_USER, "--task-id", YUNFU_SEED_TASK,
                                       "--level", "0:100", "--level", "900:2000", "--from", from,
                                       "--to", "2022-08-31 23:59:59", NULL},
                 YUNFU_SEED_TASK, level_and_window, NULL);
    free(from);
    expect_lines(fx,
                 (const char *const[]){"--user-id", YUNFU_SEED_USER, "--task-id", YUNFU_SEED_TASK,
                                       "--keyword", "5552554", "--intention-tag", "A", NULL},
                 YUNFU_SEED_TASK, seed_customer_a, NULL);
    expect_lines(fx,
                 (const char *const[]){"--user-id", YUNFU_SEED_USER, "--task-id", YUNFU_SEED_TASK,
                                       "--keyword", "5552554", "--intention-tag", "1", NULL},
                 YUNFU_SEED_TASK, seed_customer_a, NULL);
}

static void fetch_one_call(void **state)
{
    struct fixture *fx = *state;
    start_mock(fx);
    /* The documented detail carries the dialogue only: --record-id prints it. */
    struct test_cli_run r =
        fetch(fx, (const char *const[]){"--user-id", YUNFU_SEED_USER, "--task-id", YUNFU_SEED_TASK,
                                        "--record-id", YUNFU_SEED_RECORD, NULL});
    expect_run(&r, 0, transcript, "");
    r = fetch(fx, (const char *const[]){"--user-id", YUNFU_SEED_USER, "--task-id", YUNFU_SEED_TASK,
                                        "--record-id", YUNFU_SEED_RECORD, "--transcript", NULL});
    expect_run(&r, 0, transcript, "");
    /* The retired path without the account has the detail too. */
    r = fetch(fx, (const char *const[]){"--legacy", "--task-id", YUNFU_SEED_TASK, "--record-id",
                                        YUNFU_SEED_RECORD, NULL});
    expect_run(&r, 0, transcript, "");
    /* --raw adds each row as the vendor sent it. */
    r = fetch(fx, (const char *const[]){"--user-id", YUNFU_SEED_USER, "--task-id", YUNFU_SEED_TASK,
                                        "--record-id", YUNFU_SEED_RECORD, "--raw", NULL});
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, ",\"raw\":{\"id\":\"" YUNFU_SEED_OPENING_ROW "\","));
    test_cli_run_free(&r);
}

/* A server that sends the call record with the detail (yunfu.detail_data=record): the record. */
static void fetch_one_call_with_its_record(void **state)
{
    struct fixture *fx = *state;
    const char *const args[] = {"--data", FIXTURES_DIR, "--variant", "yunfu.detail_data=record",
                                NULL};
    mock_process_start(&fx->mock, args);
    struct test_cli_run r =
        fetch(fx, (const char *const[]){"--user-id", YUNFU_SEED_USER, "--task-id", YUNFU_SEED_TASK,
                                        "--record-id", YUNFU_SEED_RECORD, NULL});
    char *want = test_format("%s\n", YUNFU_SEED_LINE);
    expect_run(&r, 0, want, "");
    free(want);
}

static int count_lines(const char *text)
{
    int n = 0;
    for (const char *p = text; (p = strchr(p, '\n')); p++)
        n++;
    return n;
}

static void fetch_every_task(void **state)
{
    struct fixture *fx = *state;
    start_mock(fx);
    /* The second node's account: an outbound task's 48 calls and an inbound task's 42, each call
     * with its task's direction. */
    struct test_cli_run r =
        fetch(fx, (const char *const[]){"--user-id", YUNFU_NODE2_USER, "--all-tasks", NULL});
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_int_equal(count_lines(r.out), 90);
    int inbound = 0;
    for (const char *p = r.out; (p = strstr(p, "\"direction\":\"inbound\"")); p++)
        inbound++;
    assert_int_equal(inbound, 42);
    test_cli_run_free(&r);
    /* With the sub-accounts' tasks, and filtered by state or name. */
    r = fetch(fx, (const char *const[]){"--user-id", YUNFU_SEED_USER, "--all-tasks",
                                        "--sub-accounts", "--from", "2022-01-01 00:00:00", "--to",
                                        "2022-09-30 23:59:59", NULL});
    assert_int_equal(r.status, 0);
    int all = count_lines(r.out);
    test_cli_run_free(&r);
    r = fetch(fx,
              (const char *const[]){"--user-id", YUNFU_SEED_USER, "--all-tasks", "--sub-accounts",
                                    "--task-status", "paused", "--from", "2022-01-01 00:00:00",
                                    "--to", "2022-09-30 23:59:59", NULL});
    assert_int_equal(r.status, 0);
    int paused = count_lines(r.out);
    test_cli_run_free(&r);
    assert_in_range(paused, 1, all - 1);
    /* The tasks themselves. */
    r = fetch(fx, (const char *const[]){"--user-id", YUNFU_SEED_USER, "--all-tasks",
                                        "--sub-accounts", "--list-tasks", NULL});
    assert_int_equal(r.status, 0);
    assert_int_equal(count_lines(r.out), 4);
    assert_non_null(strstr(r.out, "{\"id\":\"" YUNFU_SUB_TASK "\",\"user_id\":\"" YUNFU_SUB_USER));
    test_cli_run_free(&r);
    r = fetch(fx, (const char *const[]){"--user-id", YUNFU_NODE2_USER, "--all-tasks",
                                        "--list-tasks", "--task-name", "热线", NULL});
    assert_int_equal(r.status, 0);
    assert_int_equal(count_lines(r.out), 1);
    assert_non_null(strstr(r.out, "\"task_type\":2"));
    test_cli_run_free(&r);
}

static void fetch_recordings(void **state)
{
    struct fixture *fx = *state;
    start_mock(fx);
    char path[] = "/tmp/cdrsim-yunfu-voice-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    struct test_cli_run r =
        fetch(fx, (const char *const[]){"--user-id", YUNFU_SEED_USER, "--task-id", YUNFU_SEED_TASK,
                                        "--record-id", YUNFU_SEED_RECORD, "--voice", path, NULL});
    expect_run(&r, 0, "", "");
    size_t len;
    char *wav = test_read_file(path, &len);
    assert_int_equal(len, 44 + 10 * 8000 * 2);
    assert_memory_equal(wav, "RIFF", 4);
    free(wav);
    /* No recording: the vendor's error, and no file left behind. */
    r = fetch(fx, (const char *const[]){"--user-id", YUNFU_SEED_USER, "--task-id", YUNFU_SEED_TASK,
                                        "--record-id", "235765d2-9896-4207-b21d-b09315978d4a",
                                        "--voice", path, NULL});
    expect_run(
        &r, 1, "",
        "cdrsim-client: fetch yunfu: not_found: 通话录音不存在 (vendor code 5004, HTTP 200)\n");
    assert_int_equal(access(path, F_OK), -1);
    /* Play URLs of several calls, one line each; a call without a recording has none. */
    r = fetch(fx,
              (const char *const[]){"--user-id", YUNFU_SEED_USER, "--task-id", YUNFU_SEED_TASK,
                                    "--record-id", YUNFU_SEED_RECORD, "--record-id",
                                    "235765d2-9896-4207-b21d-b09315978d4a", "--voice-urls", NULL});
    assert_int_equal(r.status, 0);
    assert_int_equal(count_lines(r.out), 2);
    char *prefix = test_format(
        "{\"record_id\":\"%s\",\"url\":\"%s/yunfu-oss/record/%s.wav?Expires=", YUNFU_SEED_RECORD,
        fx->mock.base_url, YUNFU_SEED_RECORD);
    assert_memory_equal(r.out, prefix, strlen(prefix));
    assert_non_null(
        strstr(r.out, "{\"record_id\":\"235765d2-9896-4207-b21d-b09315978d4a\",\"url\":null}\n"));
    free(prefix);
    test_cli_run_free(&r);
}

static void fetch_token_from_the_environment(void **state)
{
    struct fixture *fx = *state;
    start_mock(fx);
    setenv("CDRSIM_YUNFU_TOKEN", YUNFU_DEMO_TOKEN, 1);
    struct test_cli_run r = test_cli(
        NULL, (const char *const[]){"fetch", "yunfu", "--base-url", fx->mock.base_url, "--user-id",
                                    YUNFU_SEED_USER, "--task-id", YUNFU_SEED_TASK, "--record-id",
                                    YUNFU_SEED_RECORD, NULL});
    expect_run(&r, 0, transcript, "");
    /* The option wins over the environment. */
    r = test_cli(NULL, (const char *const[]){"fetch", "yunfu", "--base-url", fx->mock.base_url,
                                             "--token", "wrong", "--user-id", YUNFU_SEED_USER,
                                             "--task-id", YUNFU_SEED_TASK, NULL});
    expect_run(&r, 1, "", "cdrsim-client: fetch yunfu: auth: Unauthenticated. (HTTP 401)\n");
}

static void fetch_errors(void **state)
{
    struct fixture *fx = *state;
    start_mock(fx);
    struct test_cli_run r =
        fetch(fx, (const char *const[]){"--user-id", YUNFU_SEED_USER, "--task-id", "nope", NULL});
    expect_run(&r, 1, "",
               "cdrsim-client: fetch yunfu: not_found: 任务不存在 (vendor code 5002, HTTP 200)\n");
    r = fetch(fx, (const char *const[]){"--user-id", "nobody", "--task-id", YUNFU_SEED_TASK, NULL});
    expect_run(&r, 1, "",
               "cdrsim-client: fetch yunfu: not_found: 【user】参数错误,未找到对应云节点 (vendor "
               "code 1002, HTTP 200)\n");
    r = fetch(fx, (const char *const[]){"--user-id", YUNFU_SEED_USER, "--task-id", YUNFU_SEED_TASK,
                                        "--record-id", "nope", NULL});
    expect_run(
        &r, 1, "",
        "cdrsim-client: fetch yunfu: not_found: 通话记录不存在 (vendor code 5003, HTTP 200)\n");
}

static void fetch_usage_errors(void **state)
{
    struct fixture *fx = *state;
    start_mock(fx);
    static const char *const bad[][10] = {
        {"--user-id", YUNFU_SEED_USER, NULL}, /* no task */
        {"--task-id", YUNFU_SEED_TASK, NULL}, /* neither user nor legacy */
        {"--legacy", "--user-id", YUNFU_SEED_USER, "--task-id", YUNFU_SEED_TASK, NULL}, /* both */
        {"--user-id", "u", "--all-tasks", "--task-id", "t", NULL}, /* one task or all */
        {"--legacy", "--all-tasks", NULL},                         /* the list needs the account */
        {"--user-id", "u", "--task-id", "t", "--sub-accounts", NULL}, /* only with --all-tasks */
        {"--user-id", "u", "--task-id", "t", "--list-tasks", NULL},
        {"--user-id", "u", "--all-tasks", "--record-id", "r", NULL},
        {"--user-id", "u", "--task-id", "t", "--voice", "f", NULL}, /* needs --record-id */
        {"--user-id", "u", "--task-id", "t", "--voice-urls", NULL},
        {"--user-id", "u", "--task-id", "t", "--record-id", "a", "--record-id", "b", NULL},
        {"--legacy", "--task-id", "t", "--record-id", "a", "--voice-urls", NULL},
        {"--user-id", "u", "--all-tasks", "--task-status", "done", NULL},
        {"--user-id", "u", "--task-id", "t", "--level", "5", NULL},
        {"--user-id", "u", "--task-id", "t", "--level", "9:1", NULL},
        {"--user-id", "u", "--task-id", "t", "--level", "-1:5", NULL},
        {"--user-id", "u", "--task-id", "t", "--intention-tag", "F", NULL},
        {"--user-id", "u", "--task-id", "t", "--intention-tag", "6", NULL},
        {"--user-id", "u", "--task-id", "t", "--transcript", NULL},
        {"--user-id", "u", "--task-id", "t", "--hangup-from", "2022-01-01 00:00:00", NULL},
        {"--user-id", "u", "--task-id", "t", "--page-size", "0", NULL},
        {"--user-id", "u", "--task-id", "t", "extra", NULL},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct test_cli_run r = fetch(fx, bad[i]);
        if (r.status != 2)
            fail_msg("case %zu: exit %d", i, r.status);
        assert_string_equal(r.out, "");
        assert_non_null(strstr(r.err, "usage: cdrsim-client fetch yunfu"));
        test_cli_run_free(&r);
    }
    struct test_cli_run r = fetch(
        fx, (const char *const[]){"--user-id", "u", "--task-id", "t", "--from", "yesterday", NULL});
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "times take RFC 3339"));
    test_cli_run_free(&r);
    /* No token anywhere. */
    r = test_cli(NULL, (const char *const[]){"fetch", "yunfu", "--base-url", fx->mock.base_url,
                                             "--user-id", "u", "--task-id", "t", NULL});
    assert_int_equal(r.status, 2);
    test_cli_run_free(&r);
}

static void help_names_the_commands(void **state)
{
    (void)state;
    struct test_cli_run r = test_cli(NULL, (const char *const[]){"--help", NULL});
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "  parse yunfu [--raw] FILE|-"));
    /* Generated from the descriptor: the required options, then the rest behind [options]. */
    assert_non_null(strstr(r.out, "  fetch yunfu --base-url URL --token TOKEN [options]\n"));
    assert_non_null(strstr(r.out, "  fetch yunfu ... --record-id R [--transcript | --voice FILE]"));
    assert_non_null(strstr(r.out, "  fetch yunfu ... --all-tasks [--list-tasks]"));
    test_cli_run_free(&r);
}

/* fetch yunfu --help lists every option: the descriptor's, with their environment variables and
 * wire names, and the vendor's own. */
static void fetch_help_lists_every_option(void **state)
{
    (void)state;
    struct test_cli_run r = test_cli(NULL, (const char *const[]){"fetch", "yunfu", "--help", NULL});
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    static const char *const lines[] = {
        "usage: cdrsim-client fetch yunfu --base-url URL --token TOKEN [options]\n",
        "  --all-tasks ",
        "  --sub-accounts ",
        "  --task-status 1..3|paused|running|waiting... ",
        "  --voice FILE ",
        "  --voice-urls ",
        "  --list-tasks ",
        "  --token TOKEN ",
        "$CDRSIM_YUNFU_TOKEN (keeps it out of ps)",
        "  --user-id ID ",
        "$CDRSIM_YUNFU_USER_ID",
        "  --legacy ",
        "  --from T ",
        "on the wire: start_at, China wall clock\n",
        "Filters (on the wire: query parameters, PHP bracket syntax):\n",
        "  --level MIN:MAX... ",
        "on the wire: levels, levels[i][]=MIN&levels[i][]=MAX\n",
        "  --intention-tag 1..5|A..E... ",
        "; 1..5; repeatable",
        "  --hangup-from T ",
        "  --sub-user-id ID ",
        "  --record-id ID ",
        "  --transcript ",
        "  --page-size N ",
        "  --raw ",
        "  --ca-file FILE ",
    };
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
        if (!strstr(r.out, lines[i]))
            fail_msg("fetch yunfu --help lacks \"%s\":\n%s", lines[i], r.out);
    test_cli_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(parse_the_seed_example, setup, teardown),
        cmocka_unit_test_setup_teardown(parse_a_detail, setup, teardown),
        cmocka_unit_test_setup_teardown(parse_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(fetch_a_task, setup, teardown),
        cmocka_unit_test_setup_teardown(fetch_one_call, setup, teardown),
        cmocka_unit_test_setup_teardown(fetch_one_call_with_its_record, setup, teardown),
        cmocka_unit_test_setup_teardown(fetch_every_task, setup, teardown),
        cmocka_unit_test_setup_teardown(fetch_recordings, setup, teardown),
        cmocka_unit_test_setup_teardown(fetch_token_from_the_environment, setup, teardown),
        cmocka_unit_test_setup_teardown(fetch_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(fetch_usage_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(help_names_the_commands, setup, teardown),
        cmocka_unit_test_setup_teardown(fetch_help_lists_every_option, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
