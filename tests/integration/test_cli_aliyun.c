/* cdrsim-client's aliyun commands as a user runs them: exact stdout for the published signature
 * vectors and the page's example, one-line reasons on stderr, exit statuses, and fetch against
 * the real mock on the real clock (the CLI stamps requests with the wall clock). */
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

#define EXAMPLE FIXTURES_DIR "/aliyun/examples/hotline_session_query_response.json"
#define INSTANCE "ccc_xp_pre-cn-demo001"

static const char seed_line[] =
    "{\"vendor\":\"aliyun\",\"id\":\"acc1c58dab4a4dd280e3813c66\",\"call_id\":\"7719786\","
    "\"direction\":\"outbound\","
    "\"caller\":\"0571773\",\"callee\":\"135615*****\",\"agent\":\"刘测试\",\"group\":"
    "\"自动化技能组\","
    "\"start_time\":\"2020-10-02T14:32:55Z\",\"answer_time\":\"2020-10-02T14:33:09Z\","
    "\"end_time\":\"2020-10-02T14:33:46Z\",\"ring_seconds\":10,\"talk_seconds\":37,\"hangup_by\":"
    "\"customer\","
    "\"recording_urls\":[]}\n";

static void clear_env(void)
{
    unsetenv("CDRSIM_ALIYUN_ACCESS_KEY_SECRET");
    unsetenv("CDRSIM_ALIYUN_ACCESS_KEY_ID");
}

/* Credentials in the environment would mask the "missing option" cases: every test starts and
 * ends without them. */
static int setup(void **state)
{
    clear_env();
    return mock_process_setup(state);
}

static int teardown(void **state)
{
    clear_env();
    return mock_process_teardown(state);
}

/* ---- sign ------------------------------------------------------------------------------------ */

static void sign_v2_vector(void **state)
{
    (void)state;
    struct test_cli_run r = test_cli(
        NULL, (const char *const[]){
                  "sign", "aliyun", "--method", "GET", "--access-key-secret", "testsecret",
                  "AccessKeyId=testid", "Action=DescribeDedicatedHosts", "Format=JSON",
                  "RegionId=cn-beijing", "SignatureMethod=HMAC-SHA1",
                  "SignatureNonce=edb2b34af0af9a6d14deaf7c1a5315eb", "SignatureVersion=1.0",
                  "Timestamp=2023-03-13T08:34:30Z", "Version=2014-05-26", NULL});
    assert_int_equal(r.status, 0);
    assert_string_equal(
        r.out, "StringToSign: "
               "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeDedicatedHosts%26Format%3DJSON"
               "%26RegionId%3Dcn-beijing%26SignatureMethod%3DHMAC-SHA1"
               "%26SignatureNonce%3Dedb2b34af0af9a6d14deaf7c1a5315eb%26SignatureVersion%3D1.0"
               "%26Timestamp%3D2023-03-13T08%253A34%253A30Z%26Version%3D2014-05-26\n"
               "Signature: 9NaGiOspFP5UPcwX8Iwt2YJXXuk=\n");
    assert_string_equal(r.err, "");
    test_cli_run_free(&r);
}

/* The secret from the environment, and a pasted Signature parameter is ignored, not signed. */
static void sign_v2_secret_from_environment(void **state)
{
    (void)state;
    setenv("CDRSIM_ALIYUN_ACCESS_KEY_SECRET", "testsecret", 1);
    struct test_cli_run r = test_cli(
        NULL,
        (const char *const[]){"sign", "aliyun", "--method", "GET", "AccessKeyId=testid",
                              "Action=DescribeRegions", "Format=XML", "SignatureMethod=HMAC-SHA1",
                              "SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
                              "SignatureVersion=1.0", "Timestamp=2016-02-23T12:46:24Z",
                              "Version=2014-05-26", "Signature=whatever", NULL});
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\nSignature: OLeaidS1JvxuMvnyHOwuJ+uX5qY=\n"));
    test_cli_run_free(&r);
}

static void sign_v3_vector(void **state)
{
    (void)state;
    struct test_cli_run r = test_cli(
        NULL, (const char *const[]){"sign",
                                    "aliyun",
                                    "--v3",
                                    "--method",
                                    "POST",
                                    "--access-key-secret",
                                    "YourAccessKeySecret",
                                    "--access-key-id",
                                    "YourAccessKeyId",
                                    "--header",
                                    "host: ecs.cn-shanghai.aliyuncs.com",
                                    "--header",
                                    "x-acs-action: RunInstances",
                                    "--header",
                                    "x-acs-version: 2014-05-26",
                                    "--header",
                                    "x-acs-date: 2023-10-26T10:22:32Z",
                                    "--header",
                                    "x-acs-signature-nonce: 3156853299f313e23d1673dc12e1703d",
                                    "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
                                    "RegionId=cn-shanghai",
                                    NULL});
    assert_int_equal(r.status, 0);
    assert_string_equal(
        r.out,
        "CanonicalRequest:\nPOST\n/\n"
        "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n"
        "host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n"
        "x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
        "x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n"
        "x-acs-version:2014-05-26\n\n"
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n"
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
        "StringToSign:\nACS3-HMAC-"
        "SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259\n"
        "Signature: 06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0\n"
        "Authorization: ACS3-HMAC-SHA256 "
        "Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;"
        "x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,"
        "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0\n");
    test_cli_run_free(&r);
    /* A body changes the payload hash line. */
    r = test_cli(NULL, (const char *const[]){"sign", "aliyun", "--v3", "--method", "POST",
                                             "--access-key-secret", "s", "--header", "host: h",
                                             "--body", "abc", NULL});
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(
        r.out, "\nhost;x-acs-content-"
               "sha256\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n"));
    test_cli_run_free(&r);
}

static void sign_usage_errors(void **state)
{
    (void)state;
    const char *const *cases[] = {
        (const char *const[]){"sign", "aliyun", "--access-key-secret", "s", "A=1", NULL},
        (const char *const[]){"sign", "aliyun", "--method", "PUT", "--access-key-secret", "s",
                              NULL},
        (const char *const[]){"sign", "aliyun", "--method", "GET", "NoEquals",
                              "--access-key-secret", "s", NULL},
        (const char *const[]){"sign", "aliyun", "--method", "GET", "--access-key-secret", "s", "=1",
                              NULL},
        (const char *const[]){"sign", "aliyun", "--method", "GET", "--header", "host: x",
                              "--access-key-secret", "s", NULL},
        (const char *const[]){"sign", "aliyun", "--method", "GET", "A=1", NULL},
        (const char *const[]){"sign", "aliyun", "--v3", "--method", "GET", "--header", "nocolon",
                              "--access-key-secret", "s", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct test_cli_run r = test_cli(NULL, cases[i]);
        assert_int_equal(r.status, 2);
        assert_string_equal(r.out, "");
        test_assert_prefix(r.err, "usage: cdrsim-client sign aliyun");
        test_cli_run_free(&r);
    }
}

/* ---- parse ----------------------------------------------------------------------------------- */

static void parse_the_example(void **state)
{
    (void)state;
    struct test_cli_run r = test_cli(NULL, (const char *const[]){"parse", "aliyun", EXAMPLE, NULL});
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, seed_line);
    assert_string_equal(r.err, "");
    test_cli_run_free(&r);
    r = test_cli("{\"Code\":\"Success\",\"Data\":{\"PageSize\":1,\"PageNumber\":1,\"TotalCount\":1,"
                 "\"CallDetailRecord\":[{\"Id\":\"x\",\"CallType\":3}]}}",
                 (const char *const[]){"parse", "aliyun", "--raw", "-", NULL});
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"direction\":\"internal\""));
    assert_non_null(strstr(r.out, ",\"raw\":{\"Id\":\"x\",\"CallType\":3}}\n"));
    test_cli_run_free(&r);
}

static void parse_failures(void **state)
{
    (void)state;
    struct test_cli_run r =
        test_cli("<Error><Code>SignatureDoesNotMatch</Code><Message>a &amp; b</Message></Error>",
                 (const char *const[]){"parse", "aliyun", "-", NULL});
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    assert_string_equal(
        r.err, "cdrsim-client: parse aliyun: auth: a & b (vendor code SignatureDoesNotMatch)\n");
    test_cli_run_free(&r);
    r = test_cli("{\"Code\":", (const char *const[]){"parse", "aliyun", "-", NULL});
    assert_int_equal(r.status, 1);
    assert_string_equal(r.err,
                        "cdrsim-client: parse aliyun: malformed_response: response is not JSON\n");
    test_cli_run_free(&r);
    r = test_cli(NULL, (const char *const[]){"parse", "aliyun", "/nonexistent/file.json", NULL});
    assert_int_equal(r.status, 1);
    test_cli_run_free(&r);
    r = test_cli(NULL, (const char *const[]){"parse", "aliyun", NULL});
    assert_int_equal(r.status, 2);
    test_cli_run_free(&r);
}

/* ---- fetch ----------------------------------------------------------------------------------- */

static const char *start_mock(void **state)
{
    struct mock_process *mock = *state;
    mock_process_start(mock, NULL); /* the real clock: the CLI stamps with it */
    return mock->base_url;
}

static void fetch_everything(void **state)
{
    const char *base = start_mock(state);
    cJSON *records = test_load_json(FIXTURES_DIR "/aliyun/records.json");
    struct test_cli_run r =
        test_cli(NULL, (const char *const[]){"fetch", "aliyun", "--base-url", base,
                                             "--access-key-id", "testid", "--access-key-secret",
                                             "testsecret", "--instance-id", INSTANCE, NULL});
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    assert_int_equal(test_count_lines(r.out), cJSON_GetArraySize(records));
    assert_non_null(strstr(r.out, seed_line));
    /* Every line is one normalized record. */
    for (char *line = r.out; *line;) {
        char *end = strchr(line, '\n');
        cJSON *rec = cJSON_ParseWithLength(line, (size_t)(end - line));
        assert_non_null(rec);
        assert_int_equal(cJSON_GetArraySize(rec), 15);
        assert_string_equal(json_str_at(rec, "vendor"), "aliyun");
        cJSON_Delete(rec);
        line = end + 1;
    }
    test_cli_run_free(&r);
    cJSON_Delete(records);
}

static void fetch_v2_get_with_filters_and_env(void **state)
{
    const char *base = start_mock(state);
    cJSON *records = test_load_json(FIXTURES_DIR "/aliyun/records.json");
    size_t want = 0;
    const cJSON *rec;
    cJSON_ArrayForEach(rec, records) {
        const char *t = json_str_at(rec, "CreateTime");
        int64_t type = json_int_at(rec, "CallType");
        want += (type == 1 || type == 3) && strcmp(t, "2024-09-01 00:00:00") >= 0 &&
                strcmp(t, "2025-03-01 00:00:00") <= 0;
    }
    assert_true(want > 20);
    setenv("CDRSIM_ALIYUN_ACCESS_KEY_ID", "testid", 1);
    setenv("CDRSIM_ALIYUN_ACCESS_KEY_SECRET", "testsecret", 1);
    struct test_cli_run r = test_cli(NULL, (const char *const[]){"fetch",
                                                                 "aliyun",
                                                                 "--base-url",
                                                                 base,
                                                                 "--instance-id",
                                                                 INSTANCE,
                                                                 "--v2",
                                                                 "--method",
                                                                 "GET",
                                                                 "--page-size",
                                                                 "9",
                                                                 "--call-type-list",
                                                                 "1",
                                                                 "--call-type-list",
                                                                 "3",
                                                                 "--from",
                                                                 "2024-09-01 00:00:00",
                                                                 "--to",
                                                                 "2025-02-28T16:00:00Z",
                                                                 "--raw",
                                                                 NULL});
    assert_int_equal(r.status, 0);
    assert_int_equal(test_count_lines(r.out), want);
    assert_null(strstr(r.out, "\"direction\":\"inbound\""));
    assert_non_null(strstr(r.out, ",\"raw\":{\"CallResult\":"));
    test_cli_run_free(&r);
    /* A single filter, by its own flag. */
    r = test_cli(NULL, (const char *const[]){"fetch", "aliyun", "--base-url", base, "--instance-id",
                                             INSTANCE, "--id", "acc1c58dab4a4dd280e3813c66", NULL});
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, seed_line);
    test_cli_run_free(&r);
    cJSON_Delete(records);
}

static void fetch_failures(void **state)
{
    const char *base = start_mock(state);
    struct test_cli_run r =
        test_cli(NULL, (const char *const[]){"fetch", "aliyun", "--base-url", base,
                                             "--access-key-id", "testid", "--access-key-secret",
                                             "wrong", "--instance-id", INSTANCE, NULL});
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    assert_int_equal(test_count_lines(r.err), 1);
    static const char head[] = "cdrsim-client: fetch aliyun: auth: Specified signature does not "
                               "match our calculation. server StringToSign is [ACS3-HMAC-SHA256";
    assert_memory_equal(r.err, head, sizeof(head) - 1);
    assert_non_null(strstr(r.err, " (vendor code SignatureDoesNotMatch, HTTP 400)\n"));
    test_cli_run_free(&r);
    r = test_cli(NULL,
                 (const char *const[]){"fetch", "aliyun", "--base-url", base, "--access-key-id",
                                       "testid", "--access-key-secret", "testsecret",
                                       "--instance-id", "ccc_nobody", "--v2", NULL});
    assert_int_equal(r.status, 1);
    assert_string_equal(
        r.err, "cdrsim-client: fetch aliyun: not_found: The specified tenant does not exist. "
               "(vendor code NoTenantFound, HTTP 500)\n");
    test_cli_run_free(&r);
    const char *const *usage[] = {
        (const char *const[]){"fetch", "aliyun", "--base-url", base, "--access-key-id", "k",
                              "--access-key-secret", "s", NULL},
        (const char *const[]){"fetch", "aliyun", "--base-url", base, "--access-key-id", "k",
                              "--access-key-secret", "s", "--instance-id", "i", "--method", "PUT",
                              NULL},
        (const char *const[]){"fetch", "aliyun", "--base-url", base, "--access-key-id", "k",
                              "--access-key-secret", "s", "--instance-id", "i", "--from",
                              "tomorrow", NULL},
        (const char *const[]){"fetch", "aliyun", "--base-url", base, "--access-key-id", "k",
                              "--access-key-secret", "s", "--instance-id", "i", "--page-size", "0",
                              NULL},
        (const char *const[]){"fetch", "aliyun", "--base-url", base, "--instance-id", "i", NULL},
    };
    for (size_t i = 0; i < sizeof(usage) / sizeof(usage[0]); i++) {
        r = test_cli(NULL, usage[i]);
        assert_int_equal(r.status, 2);
        assert_non_null(strstr(r.err, "usage: cdrsim-client fetch aliyun"));
        test_cli_run_free(&r);
    }
}

/* ---- one session's recordings and transcript ------------------------------------------------- */

#define SEED_ACID "7719786"

/* fetch aliyun with the demo credentials and the given extra arguments. */
static struct test_cli_run session(const char *base, const char *const *extra)
{
    const char *argv[32] = {"fetch",           "aliyun", "--base-url",          base,
                            "--access-key-id", "testid", "--access-key-secret", "testsecret",
                            "--instance-id",   INSTANCE};
    size_t n = 10;
    for (size_t i = 0; extra[i]; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    return test_cli(NULL, argv);
}

static void session_calls(void **state)
{
    const char *base = start_mock(state);
    struct test_cli_run r =
        session(base, (const char *const[]){"--list-recordings", SEED_ACID, NULL});
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    assert_int_equal(test_count_lines(r.out), 1);
    cJSON *line = cJSON_Parse(r.out);
    assert_string_equal(json_str_at(line, "ConnectionId"), "7719776");
    assert_string_equal(json_str_at(line, "CallId"), SEED_ACID);
    assert_int_equal(json_int_at(line, "EndTime") - json_int_at(line, "StartTime"), 37000);
    char *prefix = test_format("%s/accrec_tmp/" SEED_ACID "-7719776.wav?Expires=", base);
    assert_memory_equal(json_str_at(line, "Url"), prefix, strlen(prefix));
    free(prefix);
    cJSON_Delete(line);
    test_cli_run_free(&r);

    r = session(base, (const char *const[]){"--transcript", SEED_ACID, "--v2", NULL});
    assert_int_equal(r.status, 0);
    assert_int_equal(test_count_lines(r.out), 3);
    assert_non_null(strstr(r.out, "\"SenderType\":1,"));
    assert_non_null(strstr(r.out, "\"Content\":\"您好。\"}\n"));
    test_cli_run_free(&r);

    r = session(base, (const char *const[]){"--record-url", SEED_ACID, "--record-type", "IVR_CALL",
                                            "--method", "GET", NULL});
    assert_int_equal(r.status, 0);
    line = cJSON_Parse(r.out);
    assert_string_equal(json_str_at(line, "Acid"), SEED_ACID);
    assert_non_null(strstr(json_str_at(line, "OssLink"), "/accrec_tmp/" SEED_ACID ".wav?"));
    cJSON_Delete(line);
    test_cli_run_free(&r);

    r = session(base, (const char *const[]){"--record-data", SEED_ACID, NULL});
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "/accrec_tmp/" SEED_ACID ".wav?"));
    test_cli_run_free(&r);

    r = session(base,
                (const char *const[]){"--describe-record", SEED_ACID, "--account-type", "BUC_TYPE",
                                      "--account-id", "22350001", "--sec-level", "3", NULL});
    assert_int_equal(r.status, 0);
    line = cJSON_Parse(r.out);
    assert_string_equal(json_str_at(line, "AgentId"), "555555");
    cJSON_Delete(line);
    test_cli_run_free(&r);

    r = session(base, (const char *const[]){"--describe-record", SEED_ACID, "--account-type",
                                            "BUC_TYPE", "--account-id", "1", NULL});
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "auth: Insufficient permissions. Please contact the primary "
                                  "account administrator. (vendor code Permission.NotAuthorized, "
                                  "HTTP 400)\n"));
    test_cli_run_free(&r);
}

static void session_downloads(void **state)
{
    const char *base = start_mock(state);
    char dir[] = "/tmp/cdrsim-aliyun-audio-XXXXXX";
    assert_non_null(mkdtemp(dir));
    struct test_cli_run r =
        session(base, (const char *const[]){"--download", "1651545586", "--output-dir", dir, NULL});
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    /* An agent handed that call on: two connections, two files. */
    assert_int_equal(test_count_lines(r.out), 2);
    static const char *const names[] = {"1651545576.wav", "1651545577.wav"};
    for (size_t i = 0; i < 2; i++) {
        char *path = test_format("%s/%s", dir, names[i]);
        size_t len;
        char *wav = test_read_file(path, &len);
        assert_memory_equal(wav, "RIFF", 4);
        assert_memory_equal(wav + 8, "WAVE", 4);
        char *want = test_format("\"file\":\"%s\",\"bytes\":%zu}", path, len);
        assert_non_null(strstr(r.out, want));
        free(want);
        free(wav);
        unlink(path);
        free(path);
    }
    test_cli_run_free(&r);
    /* Nothing to save: a call nobody answered. */
    r = session(base, (const char *const[]){"--download", "7389177260", "--output-dir", dir, NULL});
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "not_found: session 7389177260 has no recording"));
    test_cli_run_free(&r);
    rmdir(dir);
    r = session(base, (const char *const[]){"--download", SEED_ACID, "--output-dir", dir, NULL});
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "not a directory"));
    test_cli_run_free(&r);
}

static void session_usage_errors(void **state)
{
    const char *base = start_mock(state);
    static const struct {
        const char *args[6];
        const char *message;
    } cases[] = {
        {{"--transcript", "1", "--record-data", "2", NULL}, "give one of"},
        {{"--record-type", "DUP_CALL", NULL}, "--record-type: only with --record-url"},
        {{"--describe-record", "1", NULL}, "needs --account-type and --account-id"},
        {{"--describe-record", "1", "--account-type", "A", "--account-id", NULL}, NULL},
        {{"--output-dir", "/tmp", NULL}, "--output-dir: only with --download"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct test_cli_run r = session(base, cases[i].args);
        assert_int_equal(r.status, 2);
        assert_string_equal(r.out, "");
        if (cases[i].message)
            assert_non_null(strstr(r.err, cases[i].message));
        test_cli_run_free(&r);
    }
    struct test_cli_run r =
        session(base, (const char *const[]){"--describe-record", "1", "--account-type", "A",
                                            "--account-id", "2", "--sec-level", "9", NULL});
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--sec-level: 1..4"));
    test_cli_run_free(&r);
    /* The help names them. */
    r = test_cli(NULL, (const char *const[]){"fetch", "aliyun", "--help", NULL});
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "--list-recordings ACID"));
    assert_non_null(strstr(r.out, "--download ACID"));
    test_cli_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sign_v2_vector, setup, teardown),
        cmocka_unit_test_setup_teardown(sign_v2_secret_from_environment, setup, teardown),
        cmocka_unit_test_setup_teardown(sign_v3_vector, setup, teardown),
        cmocka_unit_test_setup_teardown(sign_usage_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(parse_the_example, setup, teardown),
        cmocka_unit_test_setup_teardown(parse_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(fetch_everything, setup, teardown),
        cmocka_unit_test_setup_teardown(fetch_v2_get_with_filters_and_env, setup, teardown),
        cmocka_unit_test_setup_teardown(fetch_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(session_calls, setup, teardown),
        cmocka_unit_test_setup_teardown(session_downloads, setup, teardown),
        cmocka_unit_test_setup_teardown(session_usage_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
