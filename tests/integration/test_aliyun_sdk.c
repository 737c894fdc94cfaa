/* Alibaba Cloud's own Node.js clients against the real mock: @alicloud/pop-core (signature V2)
 * and @alicloud/openapi-client (signature V3), pinned in tests/sdk/aliyun/package-lock.json and
 * installed with `npm ci` into the build tree. Both must page through HotlineSessionQuery with
 * filters, and both must fail with SignatureDoesNotMatch under a wrong secret. */
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

/* Runs the SDK's script over calls (a JSON array of parameter objects, taken) and returns one
 * parsed result per call. */
static cJSON *run_sdk(struct mock_process *mock, enum sdk sdk, const char *method,
                      const char *secret, cJSON *calls)
{
    cJSON *spec = cJSON_CreateObject();
    /* pop-core takes a URL, openapi-client a host and a protocol. */
    cJSON_AddStringToObject(spec, "endpoint",
                            sdk == POP_CORE ? mock->base_url : mock->base_url + strlen("http://"));
    cJSON_AddStringToObject(spec, "accessKeyId", "testid");
    cJSON_AddStringToObject(spec, "accessKeySecret", secret);
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

static void pop_core_post(void **state)
{
    filters_and_paging(state, POP_CORE, "POST");
    every_page(state, POP_CORE, "POST");
    wrong_secret(state, POP_CORE, "POST");
}

static void pop_core_get(void **state)
{
    filters_and_paging(state, POP_CORE, "GET");
    wrong_secret(state, POP_CORE, "GET");
}

static void openapi_client_post(void **state)
{
    filters_and_paging(state, OPENAPI_CLIENT, "POST");
    every_page(state, OPENAPI_CLIENT, "POST");
    wrong_secret(state, OPENAPI_CLIENT, "POST");
}

static void openapi_client_get(void **state)
{
    filters_and_paging(state, OPENAPI_CLIENT, "GET");
    wrong_secret(state, OPENAPI_CLIENT, "GET");
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
