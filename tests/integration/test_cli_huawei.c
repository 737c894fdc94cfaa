/* The real cdrsim-client against the real cdrsim-mock: fetch huawei (sign in, the current or last
 * call as one normalized line, sign out), its errors and exit statuses, TLS, and parse huawei. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/http.h"
#include "cdrsim/huawei.h"
#include "testutil.h"

#define CLOCK "2025-05-01T00:00:00Z"
#define EXAMPLE FIXTURES_DIR "/huawei/examples/callinfo_response.json"

/* Agent 2005's scenario call under --clock 2025-05-01T00:00:00Z: ringing from 23:59:14, talking
 * from 23:59:18, still up. */
static const char demo_line[] =
    "{\"vendor\":\"huawei\",\"id\":\"1746057554-1\",\"call_id\":\"1746057554-1\",\"direction\":"
    "\"inbound\","
    "\"caller\":\"70004\",\"callee\":\"60015\",\"agent\":\"2005\",\"group\":\"voice\","
    "\"start_time\":\"2025-04-30T23:59:14Z\",\"answer_time\":\"2025-04-30T23:59:18Z\",\"end_time\":"
    "null,"
    "\"ring_seconds\":4,\"talk_seconds\":null,\"hangup_by\":\"unknown\",\"recording_urls\":[]}\n";

/* Agent 291's newest call in records.json: its last call. */
static const char last_291_line[] =
    "{\"vendor\":\"huawei\",\"id\":\"1745289057-452\",\"call_id\":\"1745289057-452\","
    "\"direction\":\"outbound\",\"caller\":\"60015\",\"callee\":\"14501633048\",\"agent\":\"291\","
    "\"group\":\"outbound\",\"start_time\":\"2025-04-22T02:30:57Z\",\"answer_time\":"
    "\"2025-04-22T02:31:00Z\",\"end_time\":\"2025-04-22T02:33:59Z\",\"ring_seconds\":3,"
    "\"talk_seconds\":179,\"hangup_by\":\"unknown\",\"recording_urls\":[]}\n";

/* The seed page's example, normalized. */
static const char seed_line[] =
    "{\"vendor\":\"huawei\",\"id\":\"1476838963-224\",\"call_id\":\"1476838963-224\",\"direction\":"
    "\"inbound\","
    "\"caller\":\"70004\",\"callee\":\"60015\",\"agent\":\"2005\",\"group\":\"voice\","
    "\"start_time\":\"2016-10-19T01:02:43Z\",\"answer_time\":\"2021-07-13T12:27:07Z\",\"end_time\":"
    "null,"
    "\"ring_seconds\":0,\"talk_seconds\":0,\"hangup_by\":\"unknown\",\"recording_urls\":[]}\n";

struct fixture {
    struct mock_process mock;
    struct test_tls tls;
    char *out, *err;
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    unsetenv("CDRSIM_HUAWEI_PASSWORD");
    unsetenv("CDRSIM_HUAWEI_AGENT_ID");
    unsetenv("CDRSIM_HUAWEI_PHONE");
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    if (fx->mock.pid > 0)
        mock_process_stop(&fx->mock);
    test_tls_remove(&fx->tls);
    free(fx->out);
    free(fx->err);
    free(fx);
    return 0;
}

static const char *start(void **state, const char *const *extra)
{
    struct fixture *fx = *state;
    const char *args[16] = {"--clock", CLOCK, "--variant", "huawei.poll_seconds=1"};
    size_t n = 4;
    for (size_t i = 0; extra && extra[i]; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    mock_process_start(&fx->mock, args);
    return fx->mock.base_url;
}

/* Runs cdrsim-client with the given arguments (NULL-terminated); output in fx->out / fx->err. */
static int client(void **state, const char *stdin_text, const char *const *args)
{
    struct fixture *fx = *state;
    const char *argv[32] = {CDRSIM_CLIENT_BIN};
    size_t n = 1;
    for (size_t i = 0; args[i]; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    free(fx->out);
    free(fx->err);
    return run_command(argv, stdin_text, &fx->out, &fx->err);
}

static const char *agent_session(const char *base, const char *agent, char *out, size_t len)
{
    struct cdr_http_options opts;
    cdr_http_options_default(&opts);
    opts.insecure = true;
    struct cdr_error_info err;
    struct cdr_http *http = cdr_http_new(&opts, &err);
    char *url = test_format("%s/__cdrsim/huawei/agents/%s", base, agent);
    struct cdr_http_request req = {"GET", url, NULL, 0, NULL, 0, true};
    struct cdr_http_response resp;
    assert_int_equal(cdr_http_send(http, &req, &resp, &err), CDR_OK);
    cJSON *view = cJSON_Parse(resp.body);
    snprintf(out, len, "%s", json_str_at(view, "session"));
    cJSON_Delete(view);
    cdr_http_response_free(&resp);
    cdr_http_free(http);
    free(url);
    return out;
}

/* ---- fetch ----------------------------------------------------------------------------------- */

static void test_fetch_demo_agent(void **state)
{
    struct fixture *fx = *state;
    const char *base = start(state, NULL);
    const char *const args[] = {"fetch",      "huawei", "--base-url", base,
                                "--agent-id", "291",    "--password", "demo-pass-291",
                                "--phone",    "70291",  NULL};
    assert_int_equal(client(state, NULL, args), 0);
    assert_string_equal(fx->out, last_291_line);
    assert_string_equal(fx->err, "");
    char session[32];
    assert_string_equal(agent_session(base, "291", session, sizeof(session)), "signed_out");

    /* An agent on a call: its call is printed, and the gateway keeps it signed in (the docs: not
     * signed out while talking), which is said but is no failure. */
    const char *const talking[] = {"fetch", "huawei",     "--base-url",     base, "--agent-id",
                                   "2005",  "--password", "demo-pass-2005", NULL};
    assert_int_equal(client(state, NULL, talking), 0);
    assert_string_equal(fx->out, demo_line);
    assert_string_equal(fx->err,
                        "cdrsim-client: fetch huawei: the agent is on a call, so the gateway keeps "
                        "it signed in (sign out: An internal error occurred during the agent "
                        "operation., vendor code 100-007)\n");
    assert_string_equal(agent_session(base, "2005", session, sizeof(session)), "signed_in");

    /* The password from the environment, the phone defaulting to the agent ID, --raw; --force
     * takes over the session left behind. */
    setenv("CDRSIM_HUAWEI_PASSWORD", "demo-pass-2005", 1);
    const char *const env_args[] = {"fetch", "huawei", "--base-url", base, "--agent-id",
                                    "2005",  "--raw",  "--force",    NULL};
    assert_int_equal(client(state, NULL, env_args), 0);
    cJSON *line = cJSON_Parse(fx->out);
    assert_non_null(line);
    assert_string_equal(json_str_at(line, "id"), "1746057554-1");
    assert_string_equal(json_str_at(line, "raw.callid"), "1746057554-1");
    assert_int_equal(json_int_at(line, "raw.trace.deviceNo"), 2005);
    cJSON_Delete(line);
}

static void test_fetch_last_call_and_current_only(void **state)
{
    struct fixture *fx = *state;
    const char *base = start(state, NULL);
    const char *const args[] = {"fetch", "huawei",     "--base-url",    base, "--agent-id",
                                "292",   "--password", "demo-pass-292", NULL};
    assert_int_equal(client(state, NULL, args), 0);
    cJSON *line = cJSON_Parse(fx->out);
    assert_non_null(line);
    assert_string_equal(json_str_at(line, "id"),
                        "1745859264-459"); /* 292's newest in records.json */
    assert_string_equal(json_str_at(line, "agent"), "292");
    assert_string_equal(json_str_at(line, "end_time"), "2025-04-28T17:11:02Z");
    cJSON_Delete(line);

    const char *const current[] = {"fetch",          "huawei", "--base-url", base,
                                   "--agent-id",     "292",    "--password", "demo-pass-292",
                                   "--current-only", NULL};
    assert_int_equal(client(state, NULL, current), 0);
    assert_string_equal(fx->out, "");
    assert_string_equal(fx->err, "cdrsim-client: fetch huawei: the agent has no current call\n");

    const char *const doc[] = {"fetch",           "huawei", "--base-url", base,
                               "--agent-id",      "292",    "--password", "demo-pass-292",
                               "--lastcall-flag", "name",   NULL};
    assert_int_equal(client(state, NULL, doc), 0);
    assert_string_equal(fx->out, "");
    assert_string_equal(fx->err,
                        "cdrsim-client: fetch huawei: the agent has no current or last call\n");
}

static void test_fetch_refusals(void **state)
{
    struct fixture *fx = *state;
    const char *base = start(state, NULL);
    const char *const wrong[] = {"fetch", "huawei",     "--base-url", base, "--agent-id",
                                 "291",   "--password", "nope",       NULL};
    assert_int_equal(client(state, NULL, wrong), 1);
    assert_string_equal(fx->out, "");
    assert_string_equal(fx->err,
                        "cdrsim-client: fetch huawei: sign in: auth: The user name or password is "
                        "incorrect. (vendor code 100-004, HTTP 200)\n");

    /* Signed in elsewhere: refused without --force, taken over with it. */
    struct cdr_huawei_options opts;
    cdr_huawei_options_default(&opts);
    opts.base_url = base;
    opts.agent_id = "291";
    opts.password = "demo-pass-291";
    opts.phone = "70291";
    struct cdr_error_info err;
    struct cdr_huawei_session *other = cdr_huawei_session_new(&opts, &err);
    assert_int_equal(cdr_huawei_sign_in(other, false, NULL, &err), CDR_OK);
    const char *const plain[] = {"fetch", "huawei",     "--base-url",    base, "--agent-id",
                                 "291",   "--password", "demo-pass-291", NULL};
    assert_int_equal(client(state, NULL, plain), 1);
    assert_non_null(strstr(fx->err, "(vendor code 100-002, HTTP 200)"));
    assert_non_null(strstr(fx->err, "--force"));
    const char *const forced[] = {"fetch", "huawei",     "--base-url",    base,      "--agent-id",
                                  "291",   "--password", "demo-pass-291", "--force", NULL};
    assert_int_equal(client(state, NULL, forced), 0);
    assert_string_equal(fx->out, last_291_line);
    struct cdr_record rec;
    bool found;
    assert_int_equal(cdr_huawei_call_info(other, false, &rec, &found, &err), CDR_ERR_AUTH);
    cdr_huawei_session_free(other);

    /* Outside 101..59999: the gateway's parameter error. */
    const char *const range[] = {"fetch", "huawei",     "--base-url", base, "--agent-id",
                                 "60000", "--password", "x",          NULL};
    assert_int_equal(client(state, NULL, range), 1);
    assert_non_null(strstr(fx->err, "parameter"));
    assert_non_null(strstr(fx->err, "000-002"));
}

/* A gateway that echoes the password in its error text: the client prints the error, never the
 * password. Each of the session's calls in turn: sign in, call info, sign out. The code is a
 * parameter error (000-002), which the client does not retry, so the one faulted answer is the
 * one the fetch reports. */
static void add_echoing_fault(const char *base, const char *path, const char *method)
{
    static const char *const json_type[] = {"Content-Type: application/json", NULL};
    char *url = test_format("%s/__cdrsim/faults", base);
    char *spec = test_format(
        "{\"vendor\":\"huawei\",\"path\":\"%s\",\"method\":\"%s\",\"kind\":\"status\","
        "\"status\":200,\"times\":1,\"body\":\"{\\\"retcode\\\":\\\"000-002\\\",\\\"message\\\":"
        "\\\"password demo-pass-291 (demo-pass-291) is not accepted\\\"}\"}",
        path, method);
    struct test_http_reply r = test_http("POST", url, json_type, spec, strlen(spec));
    if (r.status != 201)
        fail_msg("POST /__cdrsim/faults %s answered %ld: %s", spec, r.status, r.body);
    test_http_reply_free(&r);
    free(spec);
    free(url);
}

static void test_fetch_errors_hide_the_password(void **state)
{
    struct fixture *fx = *state;
    const char *base = start(state, NULL);
    const char *const fetch[] = {"fetch", "huawei",     "--base-url",    base, "--agent-id",
                                 "291",   "--password", "demo-pass-291", NULL};
    const char *const paths[][2] = {
        {"/agentgateway/resource/onlineagent/291", "PUT"},
        {"/agentgateway/resource/calldata/291/callinfo", "GET"},
        {"/agentgateway/resource/onlineagent/291/logout", "DELETE"},
    };
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        add_echoing_fault(base, paths[i][0], paths[i][1]);
        assert_int_equal(client(state, NULL, fetch), 1);
        if (!strstr(fx->err, "password <redacted> (<redacted>) is not accepted"))
            fail_msg("%s: the gateway's text is not in the error: %s", paths[i][0], fx->err);
        if (strstr(fx->err, "demo-pass-291"))
            fail_msg("%s: the password is printed: %s", paths[i][0], fx->err);
    }
}

static void test_fetch_usage_errors(void **state)
{
    (void)state;
    static const char *const cases[][12] = {
        {"fetch", "huawei", "--base-url", "http://127.0.0.1:1", "--agent-id", "291", NULL},
        {"fetch", "huawei", "--agent-id", "291", "--password", "p", NULL},
        {"fetch", "huawei", "--base-url", "http://127.0.0.1:1", "--password", "p", NULL},
        {"fetch", "huawei", "--base-url", "http://127.0.0.1:1", "--agent-id", "29a", "--password",
         "p", NULL},
        {"fetch", "huawei", "--base-url", "http://127.0.0.1:1", "--agent-id", "291", "--password",
         "p", "--lastcall-flag", "maybe", NULL},
        {"fetch", "huawei", "--base-url", "http://127.0.0.1:1", "--agent-id", "291", "--password",
         "p", "--status", "6", NULL},
        {"fetch", "huawei", "--base-url", "http://127.0.0.1:1", "--agent-id", "291", "--password",
         "p", "extra", NULL},
        {"sign", "huawei", NULL},
        {"parse", "huawei", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int status = client(state, NULL, cases[i]);
        if (status != 2)
            fail_msg("case %zu: exit %d", i, status);
    }
    /* Nothing listening: a transport failure, exit 1. */
    const char *const refused[] = {"fetch",      "huawei", "--base-url", "http://127.0.0.1:1",
                                   "--agent-id", "291",    "--password", "p",
                                   NULL};
    assert_int_equal(client(state, NULL, refused), 1);
    struct fixture *fx = *state;
    assert_non_null(strstr(fx->err, "transport"));
}

static void test_fetch_over_tls(void **state)
{
    struct fixture *fx = *state;
    test_tls_make(&fx->tls);
    const char *const tls[] = {"--tls-cert", fx->tls.cert, "--tls-key", fx->tls.key, NULL};
    const char *base = start(state, tls);
    const char *const insecure[] = {"fetch",      "huawei", "--base-url", base,
                                    "--agent-id", "291",    "--password", "demo-pass-291",
                                    "--insecure", NULL};
    assert_int_equal(client(state, NULL, insecure), 0);
    assert_string_equal(fx->out, last_291_line);
    const char *const trusted[] = {"fetch",      "huawei",     "--base-url", base,
                                   "--agent-id", "291",        "--password", "demo-pass-291",
                                   "--ca-file",  fx->tls.cert, NULL};
    assert_int_equal(client(state, NULL, trusted), 0);
    assert_string_equal(fx->out, last_291_line);
    const char *const untrusted[] = {"fetch", "huawei",     "--base-url",    base, "--agent-id",
                                     "291",   "--password", "demo-pass-291", NULL};
    assert_int_equal(client(state, NULL, untrusted), 1);
    assert_non_null(strstr(fx->err, "sign in: transport"));
}

/* ---- parse ----------------------------------------------------------------------------------- */

static void test_parse(void **state)
{
    struct fixture *fx = *state;
    const char *const file[] = {"parse", "huawei", EXAMPLE, NULL};
    assert_int_equal(client(state, NULL, file), 0);
    assert_string_equal(fx->out, seed_line);

    const char *const raw[] = {"parse", "huawei", "--raw", EXAMPLE, NULL};
    assert_int_equal(client(state, NULL, raw), 0);
    cJSON *line = cJSON_Parse(fx->out);
    assert_int_equal(json_int_at(line, "raw.trace.vdnId"), 214);
    assert_int_equal(json_int_at(line, "raw.begintime"), 1476838963000LL);
    cJSON_Delete(line);

    const char *const from_stdin[] = {"parse", "huawei", "-", NULL};
    assert_int_equal(
        client(
            state,
            "{\"message\":\"\",\"retcode\":\"0\",\"result\":[{\"callid\":\"a\",\"callfeature\":7},"
            "{\"callid\":\"b\",\"callfeature\":6}]}",
            from_stdin),
        0);
    assert_string_equal(
        fx->out,
        "{\"vendor\":\"huawei\",\"id\":\"a\",\"call_id\":\"a\",\"direction\":\"outbound\","
        "\"caller\":null,\"callee\":null,\"agent\":null,\"group\":null,\"start_time\":null,"
        "\"answer_time\":null,\"end_time\":null,\"ring_seconds\":null,\"talk_seconds\":null,"
        "\"hangup_by\":\"unknown\",\"recording_urls\":[]}\n"
        "{\"vendor\":\"huawei\",\"id\":\"b\",\"call_id\":\"b\",\"direction\":\"internal\","
        "\"caller\":null,\"callee\":null,\"agent\":null,\"group\":null,\"start_time\":null,"
        "\"answer_time\":null,\"end_time\":null,\"ring_seconds\":null,\"talk_seconds\":null,"
        "\"hangup_by\":\"unknown\",\"recording_urls\":[]}\n");

    assert_int_equal(
        client(state, "{\"message\":\"\",\"retcode\":\"0\",\"result\":null}", from_stdin), 0);
    assert_string_equal(fx->out, "");
    assert_int_equal(client(state,
                            "{\"message\":\"The agent has not signed "
                            "in.\",\"retcode\":\"100-006\",\"result\":null}",
                            from_stdin),
                     1);
    assert_string_equal(
        fx->err, "cdrsim-client: parse huawei: auth: The agent has not signed in. (vendor code "
                 "100-006, HTTP 200)\n");
    assert_int_equal(client(state,
                            "{\"retcode\":\"0\",\"result\":{\"callid\":\"a\",\"begintime\":\"x\"",
                            from_stdin),
                     1);
    assert_non_null(strstr(fx->err, "malformed_response"));
    const char *const missing[] = {"parse", "huawei", "/nonexistent/file.json", NULL};
    assert_int_equal(client(state, NULL, missing), 1);
}

/* ---- the call history ------------------------------------------------------------------------ */

static void test_fetch_history(void **state)
{
    struct fixture *fx = *state;
    const char *base = start(state, NULL);
    unsetenv("CDRSIM_HUAWEI_APP_SECRET");
    /* April 2025: the fixture's outbound calls of agents that month, ITA's aside (13). */
    const char *const args[] = {"fetch",
                                "huawei",
                                "--history",
                                "--base-url",
                                base,
                                "--app-key",
                                "cdrsim-demo-ak",
                                "--app-secret",
                                "cdrsim-demo-sk",
                                "--from",
                                "2025-04-01 00:00:00",
                                "--to",
                                "2025-04-30 23:59:59",
                                NULL};
    assert_int_equal(client(state, NULL, args), 0);
    assert_int_equal(test_count_lines(fx->out), 13);
    assert_string_equal(fx->err, "");
    char *first = strndup(fx->out, strcspn(fx->out, "\n"));
    cJSON *line = cJSON_Parse(first);
    assert_string_equal(json_str_at(line, "vendor"), "huawei");
    assert_string_equal(json_str_at(line, "direction"), "outbound");
    assert_string_equal(json_str_at(line, "start_time"), "2025-04-01T13:10:52Z");
    cJSON_Delete(line);
    /* Smaller pages, the secret from the environment, the raw record: the same calls. */
    char *all = strdup(fx->out);
    setenv("CDRSIM_HUAWEI_APP_SECRET", "cdrsim-demo-sk", 1);
    const char *const paged[] = {"fetch",
                                 "huawei",
                                 "--history",
                                 "--base-url",
                                 base,
                                 "--app-key",
                                 "cdrsim-demo-ak",
                                 "--from",
                                 "2025-04-01 00:00:00",
                                 "--to",
                                 "2025-04-30 23:59:59",
                                 "--page-size",
                                 "2",
                                 NULL};
    assert_int_equal(client(state, NULL, paged), 0);
    assert_string_equal(fx->out, all);
    const char *const raw[] = {"fetch",
                               "huawei",
                               "--history",
                               "--base-url",
                               base,
                               "--app-key",
                               "cdrsim-demo-ak",
                               "--from",
                               "2025-04-01 00:00:00",
                               "--to",
                               "2025-04-07 00:00:00",
                               "--task-type",
                               "1",
                               "--raw",
                               NULL};
    assert_int_equal(client(state, NULL, raw), 0);
    line = cJSON_Parse(fx->out);
    assert_true(cJSON_IsString(json_at(line, "raw.callSerialNo")));
    assert_true(cJSON_IsNumber(json_at(line, "raw.startTime")));
    cJSON_Delete(line);
    unsetenv("CDRSIM_HUAWEI_APP_SECRET");
    free(all);
    free(first);

    /* A wrong secret: the gateway's refusal, the secret never printed. */
    const char *const wrong[] = {"fetch",
                                 "huawei",
                                 "--history",
                                 "--base-url",
                                 base,
                                 "--app-key",
                                 "cdrsim-demo-ak",
                                 "--app-secret",
                                 "not-the-sk",
                                 "--from",
                                 "2025-04-01 00:00:00",
                                 "--to",
                                 "2025-04-02 00:00:00",
                                 NULL};
    assert_int_equal(client(state, NULL, wrong), 1);
    assert_string_equal(fx->out, "");
    assert_non_null(strstr(fx->err, "auth"));
    assert_non_null(strstr(fx->err, "APIGW.0301"));
    assert_null(strstr(fx->err, "not-the-sk"));

    /* What --history needs, and what it does not take. */
    static const char *const usage[][16] = {
        {"fetch", "huawei", "--history", "--base-url", "http://127.0.0.1:1", "--app-key", "ak",
         "--app-secret", "sk", "--to", "2025-04-02 00:00:00", NULL},
        {"fetch", "huawei", "--history", "--base-url", "http://127.0.0.1:1", "--app-key", "ak",
         "--from", "2025-04-01 00:00:00", "--to", "2025-04-02 00:00:00", NULL},
        {"fetch", "huawei", "--history", "--base-url", "http://127.0.0.1:1", "--app-key", "ak",
         "--app-secret", "sk", "--from", "2025-04-01 00:00:00", "--to", "2025-04-02 00:00:00",
         "--force", NULL},
        {"fetch", "huawei", "--history", "--base-url", "http://127.0.0.1:1", "--app-key", "ak",
         "--app-secret", "sk", "--from", "2025-04-01 00:00:00", "--to", "2025-04-02 00:00:00",
         "--task-type", "5", NULL},
        {"fetch", "huawei", "--base-url", "http://127.0.0.1:1", "--app-key", "ak", "--app-secret",
         "sk", NULL},
    };
    for (size_t i = 0; i < sizeof(usage) / sizeof(usage[0]); i++) {
        int status = client(state, NULL, usage[i]);
        if (status != 2)
            fail_msg("case %zu: exit %d: %s", i, status, fx->err);
        assert_null(strstr(fx->err, "sk\n"));
    }
    const char *const help[] = {"fetch", "huawei", "--help", NULL};
    assert_int_equal(client(state, NULL, help), 0);
    static const char *const options[] = {"--history",     "--app-key AK",    "--app-secret SK",
                                          "--task-type N", "--caller NUMBER", "--page-size"};
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        if (!strstr(fx->out, options[i]))
            fail_msg("--help does not list %s", options[i]);
}

static void test_parse_history(void **state)
{
    struct fixture *fx = *state;
    const char *const file[] = {"parse", "huawei",
                                FIXTURES_DIR "/huawei/examples/history_response.json", NULL};
    assert_int_equal(client(state, NULL, file), 0);
    assert_string_equal(
        fx->out,
        "{\"vendor\":\"huawei\",\"id\":\"1037058396471308289\",\"call_id\":\"1037058396471308289\","
        "\"direction\":\"outbound\",\"caller\":\"88889050\",\"callee\":\"88889060\",\"agent\":null,"
        "\"group\":null,\"start_time\":\"2021-05-21T06:03:12Z\",\"answer_time\":"
        "\"2021-05-21T06:03:15Z\",\"end_time\":\"2021-05-21T06:03:42Z\",\"ring_seconds\":1,"
        "\"talk_seconds\":26,\"hangup_by\":\"agent\",\"recording_urls\":[]}\n");
    const char *const from_stdin[] = {"parse", "huawei", "-", NULL};
    assert_int_equal(client(state, "{\"retCode\":\"1\",\"retMsg\":\"No data found\"}", from_stdin),
                     0);
    assert_string_equal(fx->out, "");
    assert_int_equal(client(state, "{\"retCode\":\"2\",\"retMsg\":\"bad time\"}", from_stdin), 1);
    assert_string_equal(
        fx->err, "cdrsim-client: parse huawei: parameter: bad time (vendor code 2, HTTP 200)\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fetch_demo_agent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fetch_last_call_and_current_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fetch_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fetch_errors_hide_the_password, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fetch_usage_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fetch_over_tls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fetch_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_history, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
