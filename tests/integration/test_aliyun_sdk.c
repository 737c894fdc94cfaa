/* Alibaba Cloud's own Node.js clients against the real mock: @alicloud/pop-core (signature V2)
 * and @alicloud/openapi-client (signature V3), pinned in tests/sdk/aliyun/package-lock.json and
 * installed with `npm ci` into the build tree. Both must page through HotlineSessionQuery with
 * filters, list a session's recordings (ListHotlineRecord) whose links download, read the
 * sibling actions' answers (numeric Code, no Code), sign with temporary (STS) credentials, and
 * fail with SignatureDoesNotMatch under a wrong secret. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

#define SDK_SOURCE CDRSIM_SOURCE_DIR "/tests/sdk/aliyun"
#define INSTANCE "ccc_xp_pre-cn-demo001"
#define SEED_ID "acc1c58dab4a4dd280e3813c66"

static const char *const sdk_files[] = {"package.json", "package-lock.json", "pop_core.js",
                                        "openapi_client.js"};

static char work_dir[PATH_MAX]; /* <build>/tests/sdk-aliyun */
static cJSON *records;

static bool same_file(const char *a, const char *b)
{
    if (access(a, R_OK) != 0 || access(b, R_OK) != 0)
        return false;
    size_t la, lb;
    char *x = test_read_file(a, &la), *y = test_read_file(b, &lb);
    bool same = la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

static int shell(const char *command, char **out)
{
    char *err = NULL;
    int status =
        run_command((const char *const[]){"/bin/sh", "-c", command, NULL}, NULL, out, &err);
    if (status != 0)
        fprintf(stderr, "%s: exit %d\n%s\n", command, status, err);
    free(err);
    return status;
}

/* Copies the scripts next to this test binary and installs the pinned SDKs once. */
static int install_sdks(void **state)
{
    (void)state;
    char self[PATH_MAX - 16];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n <= 0)
        return -1;
    self[n] = '\0';
    *strrchr(self, '/') = '\0';
    snprintf(work_dir, sizeof(work_dir), "%s/sdk-aliyun", self);
    mkdir(work_dir, 0755);
    char *lock_src = test_format("%s/package-lock.json", SDK_SOURCE);
    char *lock_dst = test_format("%s/package-lock.json", work_dir);
    char *installed =
        test_format("%s/node_modules/@alicloud/openapi-client/package.json", work_dir);
    bool fresh = access(installed, F_OK) == 0 && same_file(lock_src, lock_dst);
    for (size_t i = 0; i < sizeof(sdk_files) / sizeof(sdk_files[0]); i++) {
        char *cmd = test_format("cp '%s/%s' '%s/'", SDK_SOURCE, sdk_files[i], work_dir);
        int status = shell(cmd, NULL);
        free(cmd);
        if (status != 0)
            return -1;
    }
    int status = 0;
    if (shell("command -v node >/dev/null && command -v npm >/dev/null", NULL) != 0) {
        fprintf(stderr, "node and npm are needed (scripts/install-deps.sh installs them)\n");
        status = -1;
    } else if (!fresh) {
        char *cmd =
            test_format("cd '%s' && npm ci --no-audit --no-fund --loglevel=error", work_dir);
        status = shell(cmd, NULL) == 0 ? 0 : -1;
        free(cmd);
    }
    free(lock_src);
    free(lock_dst);
    free(installed);
    records = test_load_json(FIXTURES_DIR "/aliyun/records.json");
    return status == 0 && cJSON_IsArray(records) ? 0 : -1;
}

static int free_records(void **state)
{
    (void)state;
    cJSON_Delete(records);
    return 0;
}

/* A mock on the real clock (the SDKs stamp requests with it) for each test. */
static int setup(void **state)
{
    mock_process_setup(state);
    mock_process_start(*state, NULL);
    return 0;
}

/* ---- running a script ------------------------------------------------------------------------ */

enum sdk { POP_CORE, OPENAPI_CLIENT };

/* Who calls what: the action (HotlineSessionQuery when NULL) and the credentials (the demo pair
 * when NULL; a token makes them temporary). */
struct sdk_call {
    const char *action;
    const char *key_id, *secret, *token;
};

/* Runs the SDK's script over calls (a JSON array of parameter objects, taken) and returns one
 * parsed result per call. */
static cJSON *run_sdk_as(struct mock_process *mock, enum sdk sdk, const char *method,
                         const struct sdk_call *who, cJSON *calls)
{
    cJSON *spec = cJSON_CreateObject();
    /* pop-core takes a URL, openapi-client a host and a protocol. */
    cJSON_AddStringToObject(spec, "endpoint",
                            sdk == POP_CORE ? mock->base_url : mock->base_url + strlen("http://"));
    cJSON_AddStringToObject(spec, "accessKeyId", who->key_id ? who->key_id : "testid");
    cJSON_AddStringToObject(spec, "accessKeySecret", who->secret ? who->secret : "testsecret");
    if (who->token)
        cJSON_AddStringToObject(spec, "securityToken", who->token);
    if (who->action)
        cJSON_AddStringToObject(spec, "action", who->action);
    cJSON_AddStringToObject(spec, "method", method);
    cJSON_AddItemToObject(spec, "calls", calls);
    char *arg = cJSON_PrintUnformatted(spec);
    char *script =
        test_format("%s/%s", work_dir, sdk == POP_CORE ? "pop_core.js" : "openapi_client.js");
    char *out = NULL, *err = NULL;
    int status = run_command((const char *const[]){"/usr/bin/env", "node", script, arg, NULL}, NULL,
                             &out, &err);
    if (status != 0)
        fail_msg("node %s: exit %d: %s", script, status, err);
    cJSON *results = cJSON_CreateArray();
    for (char *line = out; *line;) {
        char *end = strchr(line, '\n');
        cJSON *item = cJSON_ParseWithLength(line, end ? (size_t)(end - line) : strlen(line));
        if (!item)
            fail_msg("not JSON: %s", line);
        cJSON_AddItemToArray(results, item);
        line = end ? end + 1 : line + strlen(line);
    }
    assert_int_equal(cJSON_GetArraySize(results),
                     cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(spec, "calls")));
    free(out);
    free(err);
    free(script);
    free(arg);
    cJSON_Delete(spec);
    return results;
}

static cJSON *run_sdk(struct mock_process *mock, enum sdk sdk, const char *method,
                      const char *secret, cJSON *calls)
{
    return run_sdk_as(mock, sdk, method, &(struct sdk_call){NULL, NULL, secret, NULL}, calls);
}

static const cJSON *body_of(const cJSON *result)
{
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(result, "ok")))
        fail_msg("SDK call failed: %s", cJSON_PrintUnformatted(result));
    return cJSON_GetObjectItemCaseSensitive(result, "body");
}

static cJSON *call(const char *json)
{
    cJSON *c = cJSON_Parse(json);
    assert_non_null(c);
    return c;
}

/* ---- expectations from the dataset ----------------------------------------------------------- */

static int64_t count_types_between(int type_a, int type_b, const char *from, const char *to)
{
    int64_t n = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, records) {
        int64_t type = json_int_at(r, "CallType");
        const char *t = json_str_at(r, "CreateTime");
        n += (type == type_a || type == type_b) && strcmp(t, from) >= 0 && strcmp(t, to) <= 0;
    }
    return n;
}

/* ---- tests ----------------------------------------------------------------------------------- */

/* 2024-09-01 00:00:00 and 2025-03-01 00:00:00 in UTC+8, as epoch milliseconds. */
#define FROM_MS "1725120000000"
#define TO_MS "1740758400000"

static void filters_and_paging(void **state, enum sdk sdk, const char *method)
{
    struct mock_process *mock = *state;
    cJSON *calls = cJSON_CreateArray();
    cJSON_AddItemToArray(calls, call("{\"InstanceId\":\"" INSTANCE
                                     "\",\"PageSize\":7,\"PageNo\":2,\"CallTypeList\":[2,3],"
                                     "\"QueryStartTime\":" FROM_MS ",\"QueryEndTime\":" TO_MS "}"));
    cJSON_AddItemToArray(calls, call("{\"InstanceId\":\"" INSTANCE "\",\"Id\":\"" SEED_ID "\"}"));
    cJSON_AddItemToArray(calls, call("{\"InstanceId\":\"" INSTANCE
                                     "\",\"ServicerName\":\"刘测试\",\"MemberName\":\"匿名会员\","
                                     "\"GroupName\":\"自动化技能组 *~\",\"PageSize\":100}"));
    cJSON_AddItemToArray(calls, call("{\"InstanceId\":\"ccc_nobody\"}"));
    cJSON *results = run_sdk(mock, sdk, method, "testsecret", calls);

    const cJSON *page = body_of(cJSON_GetArrayItem(results, 0));
    assert_string_equal(json_str_at(page, "Code"), "Success");
    assert_int_equal(json_int_at(page, "Data.PageNumber"), 2);
    assert_int_equal(json_int_at(page, "Data.PageSize"), 7);
    assert_int_equal(json_int_at(page, "Data.TotalCount"),
                     count_types_between(2, 3, "2024-09-01 00:00:00", "2025-03-01 00:00:00"));
    assert_int_equal(cJSON_GetArraySize(json_at(page, "Data.CallDetailRecord")), 7);

    const cJSON *seed = body_of(cJSON_GetArrayItem(results, 1));
    assert_int_equal(json_int_at(seed, "Data.TotalCount"), 1);
    assert_string_equal(json_str_at(seed, "Data.CallDetailRecord.0.Id"), SEED_ID);
    assert_string_equal(json_str_at(seed, "Data.CallDetailRecord.0.HangUpRole"), "2");
    assert_int_equal(json_int_at(seed, "Data.CallDetailRecord.0.GroupId"), 123456);

    /* UTF-8, a space, '*' and '~' in values: signed identically on both sides, matching nothing. */
    const cJSON *odd = body_of(cJSON_GetArrayItem(results, 2));
    assert_int_equal(json_int_at(odd, "Data.TotalCount"), 0);

    const cJSON *tenant = cJSON_GetArrayItem(results, 3);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(tenant, "ok")));
    assert_string_equal(json_str_at(tenant, "code"), "NoTenantFound");
    cJSON_Delete(results);
}

static void every_page(void **state, enum sdk sdk, const char *method)
{
    struct mock_process *mock = *state;
    cJSON *calls = cJSON_CreateArray();
    for (int page = 1; page <= 8; page++) {
        char json[128];
        snprintf(json, sizeof(json), "{\"InstanceId\":\"%s\",\"PageSize\":50,\"PageNo\":%d}",
                 INSTANCE, page);
        cJSON_AddItemToArray(calls, call(json));
    }
    cJSON *results = run_sdk(mock, sdk, method, "testsecret", calls);
    int64_t seen = 0;
    bool seed_seen = false;
    const cJSON *result;
    cJSON_ArrayForEach(result, results) {
        const cJSON *body = body_of(result), *rec;
        assert_int_equal(json_int_at(body, "Data.TotalCount"), cJSON_GetArraySize(records));
        cJSON_ArrayForEach(rec, json_at(body, "Data.CallDetailRecord")) {
            seen++;
            seed_seen |= strcmp(json_str_at(rec, "Id"), SEED_ID) == 0;
        }
    }
    assert_int_equal(seen, cJSON_GetArraySize(records));
    assert_true(seed_seen);
    cJSON_Delete(results);
}

static void wrong_secret(void **state, enum sdk sdk, const char *method)
{
    struct mock_process *mock = *state;
    cJSON *calls = cJSON_CreateArray();
    cJSON_AddItemToArray(calls, call("{\"InstanceId\":\"" INSTANCE "\"}"));
    cJSON *results = run_sdk(mock, sdk, method, "not-the-secret", calls);
    const cJSON *r = cJSON_GetArrayItem(results, 0);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "ok")));
    assert_string_equal(json_str_at(r, "code"), "SignatureDoesNotMatch");
    /* The gateway words V2 and V3 mismatches differently. */
    char *expected = sdk == POP_CORE ? test_format("server string to sign is:%s&%%2F&", method)
                                     : test_format("server StringToSign is [ACS3-HMAC-SHA256\n");
    assert_non_null(strstr(json_str_at(r, "message"), expected));
    free(expected);
    cJSON_Delete(results);
}

/* ListHotlineRecord through the SDK: the session's recording, whose link downloads the WAV;
 * then the sibling actions whose success forms differ (GetRecordData's numeric Code 200,
 * GetRecordUrl's missing Code) still pass the SDK's own success check. */
static void recordings(void **state, enum sdk sdk, const char *method)
{
    struct mock_process *mock = *state;
    cJSON *calls = cJSON_CreateArray();
    cJSON_AddItemToArray(calls, call("{\"InstanceId\":\"" INSTANCE "\",\"CallId\":\"7719786\"}"));
    cJSON_AddItemToArray(calls, call("{\"InstanceId\":\"" INSTANCE "\",\"CallId\":\"1651545586\","
                                     "\"ClientToken\":\"3f1b6c9e-1d2a-4c07-9a55-0e6f2f0d8a11\"}"));
    cJSON_AddItemToArray(calls, call("{\"InstanceId\":\"ccc_nobody\",\"CallId\":\"7719786\"}"));
    cJSON *results = run_sdk_as(mock, sdk, method,
                                &(struct sdk_call){"ListHotlineRecord", NULL, NULL, NULL}, calls);
    const cJSON *seed = body_of(cJSON_GetArrayItem(results, 0));
    assert_string_equal(json_str_at(seed, "Code"), "Success");
    assert_int_equal(cJSON_GetArraySize(json_at(seed, "Data")), 1);
    assert_string_equal(json_str_at(seed, "Data.0.ConnectionId"), "7719776");
    assert_string_equal(json_str_at(seed, "Data.0.CallId"), "7719786");
    const char *url = json_str_at(seed, "Data.0.Url");
    assert_memory_equal(url, mock->base_url, strlen(mock->base_url));
    struct test_http_reply wav = test_http("GET", url, NULL, NULL, 0);
    assert_int_equal(wav.status, 200);
    assert_string_equal(wav.content_type, "audio/wav");
    assert_memory_equal(wav.body, "RIFF", 4);
    test_http_reply_free(&wav);
    assert_int_equal(cJSON_GetArraySize(json_at(body_of(cJSON_GetArrayItem(results, 1)), "Data")),
                     2);
    const cJSON *tenant = cJSON_GetArrayItem(results, 2);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(tenant, "ok")));
    assert_string_equal(json_str_at(tenant, "code"), "NoTenantFound");
    cJSON_Delete(results);

    static const char *const siblings[] = {"GetRecordData", "GetRecordUrl", "GetHotlineMessageLog"};
    for (size_t i = 0; i < 3; i++) {
        calls = cJSON_CreateArray();
        cJSON_AddItemToArray(calls, call("{\"InstanceId\":\"" INSTANCE "\",\"Acid\":\"7719786\","
                                         "\"RecordType\":\"DUP_CALL\"}"));
        results =
            run_sdk_as(mock, sdk, method, &(struct sdk_call){siblings[i], NULL, NULL, NULL}, calls);
        const cJSON *body = body_of(cJSON_GetArrayItem(results, 0));
        if (i == 0)
            assert_int_equal(json_int_at(body, "Code"), 200);
        if (i == 1)
            assert_null(cJSON_GetObjectItemCaseSensitive(body, "Code"));
        if (i < 2)
            assert_non_null(strstr(json_str_at(body, "Data.OssLink"), "/accrec_tmp/7719786.wav?"));
        else
            assert_string_equal(json_str_at(body, "Data.0.Content"), "您好。");
        cJSON_Delete(results);
    }
}

/* Temporary credentials as STS issues them: the token travels as the SDK sends it (V2 parameter,
 * V3 header) and is checked; without it the key is refused. */
static void temporary_credentials(void **state, enum sdk sdk, const char *method)
{
    struct mock_process *mock = *state;
    char *token = aliyun_fixture_token("STS.NUcdrsimDemoTemporaryKey");
    static const char *const tokens[] = {NULL, "CAISforged"};
    const char *want[] = {"MissingSecurityToken", "InvalidSecurityToken.Malformed"};
    for (size_t i = 0; i < 3; i++) {
        cJSON *calls = cJSON_CreateArray();
        cJSON_AddItemToArray(calls,
                             call("{\"InstanceId\":\"" INSTANCE "\",\"CallId\":\"7719786\"}"));
        cJSON *results =
            run_sdk_as(mock, sdk, method,
                       &(struct sdk_call){"ListHotlineRecord", "STS.NUcdrsimDemoTemporaryKey",
                                          "cdrsim-sts-demo-secret", i == 2 ? token : tokens[i]},
                       calls);
        const cJSON *r = cJSON_GetArrayItem(results, 0);
        if (i == 2) {
            assert_int_equal(cJSON_GetArraySize(json_at(body_of(r), "Data")), 1);
        } else {
            assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "ok")));
            assert_string_equal(json_str_at(r, "code"), want[i]);
        }
        cJSON_Delete(results);
    }
    free(token);
}

static void pop_core_post(void **state)
{
    filters_and_paging(state, POP_CORE, "POST");
    every_page(state, POP_CORE, "POST");
    wrong_secret(state, POP_CORE, "POST");
    recordings(state, POP_CORE, "POST");
    temporary_credentials(state, POP_CORE, "POST");
}

static void pop_core_get(void **state)
{
    filters_and_paging(state, POP_CORE, "GET");
    wrong_secret(state, POP_CORE, "GET");
    recordings(state, POP_CORE, "GET");
}

static void openapi_client_post(void **state)
{
    filters_and_paging(state, OPENAPI_CLIENT, "POST");
    every_page(state, OPENAPI_CLIENT, "POST");
    wrong_secret(state, OPENAPI_CLIENT, "POST");
    recordings(state, OPENAPI_CLIENT, "POST");
    temporary_credentials(state, OPENAPI_CLIENT, "POST");
}

static void openapi_client_get(void **state)
{
    filters_and_paging(state, OPENAPI_CLIENT, "GET");
    wrong_secret(state, OPENAPI_CLIENT, "GET");
    recordings(state, OPENAPI_CLIENT, "GET");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(pop_core_post, setup, mock_process_teardown),
        cmocka_unit_test_setup_teardown(pop_core_get, setup, mock_process_teardown),
        cmocka_unit_test_setup_teardown(openapi_client_post, setup, mock_process_teardown),
        cmocka_unit_test_setup_teardown(openapi_client_get, setup, mock_process_teardown),
    };
    return cmocka_run_group_tests(tests, install_sdks, free_records);
}
