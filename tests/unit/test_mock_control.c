/* The control plane of an in-process mock, driven through /__cdrsim/ as a test suite drives it:
 * the records of one test (every vendor: cleared, added in the vendor's shape, answered by the
 * next query, refused with the path of what is wrong, restored by a reset, announced to the
 * listener push delivery will use), variants at run time, who may call the admin API, and
 * server-made ids seeded from the time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/sign.h"
#include "server.h"
#include "testutil.h"
#include "yunfu_model.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
/* 2025-05-01T00:00:00Z: after every fixture record. */
#define NOW_S 1746057600LL
#define NOW_MS (NOW_S * 1000)
#define ITNIO_KEY "bDqJFiq9"
#define ITNIO_SECRET "7bz1lzh9"

static const char *const json_type[] = {"Content-Type: application/json", NULL};

/* ---- helpers --------------------------------------------------------------------------------- */

static cJSON *fixture_records(const char *vendor)
{
    char *path = test_format("%s/%s/records.json", FIXTURES_DIR, vendor);
    cJSON *records = test_load_json(path);
    free(path);
    assert_true(cJSON_IsArray(records));
    return records;
}

/* A copy of the fixture record whose key has that string value. */
static cJSON *fixture_copy(const cJSON *records, const char *key, const char *value)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, records) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, key);
        if (cJSON_IsString(v) && strcmp(v->valuestring, value) == 0)
            return cJSON_Duplicate(r, true);
    }
    fail_msg("no fixture record with %s %s", key, value);
    return NULL;
}

static void set(cJSON *obj, const char *key, cJSON *value)
{
    assert_non_null(value);
    if (cJSON_HasObjectItem(obj, key))
        assert_true(cJSON_ReplaceItemInObjectCaseSensitive(obj, key, value));
    else
        assert_true(cJSON_AddItemToObject(obj, key, value));
}

static struct test_reply admin(struct test_mock *m, const char *method, const char *path,
                               const char *body)
{
    return test_mock_call(m, method, path, body ? json_type : NULL, body, body ? strlen(body) : 0);
}

/* POSTs records (an array, taken) to the vendor; returns the reply. */
static struct test_reply post_records(struct test_mock *m, const char *vendor, cJSON *records)
{
    char *body = cJSON_PrintUnformatted(records);
    cJSON_Delete(records);
    char *path = test_format("/__cdrsim/%s/records", vendor);
    struct test_reply r = admin(m, "POST", path, body);
    free(path);
    free(body);
    return r;
}

static int64_t record_count(struct test_mock *m, const char *vendor)
{
    char *path = test_format("/__cdrsim/%s/records/count", vendor);
    struct test_reply r = admin(m, "GET", path, NULL);
    free(path);
    assert_int_equal(r.status, 200);
    int64_t n = json_int_at(r.json, "count");
    test_reply_free(&r);
    return n;
}

static void clear_records(struct test_mock *m, const char *vendor, int64_t held)
{
    char *path = test_format("/__cdrsim/%s/records", vendor);
    struct test_reply r = admin(m, "DELETE", path, NULL);
    free(path);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_int_at(r.json, "deleted"), held);
    test_reply_free(&r);
    assert_int_equal(record_count(m, vendor), 0);
}

static void expect_error(const struct test_reply *r, int status, const char *error)
{
    if (r->status != status || !r->json || !cJSON_IsString(json_at(r->json, "error")) ||
        strcmp(json_str_at(r->json, "error"), error) != 0)
        fail_msg("expected %d {\"error\":\"%s\"}, got %d %s", status, error, r->status, r->body);
}

/* The record query over [from, to] with more params (`,"callType":[1]`, or ""). */
static struct test_reply itnio_query_filtered(struct test_mock *m, const char *from, const char *to,
                                              const char *filters)
{
    char sign_h[64], *text = test_format("%s%s%lld", ITNIO_KEY, ITNIO_SECRET, NOW_S);
    char *sign = cdr_md5_hex(text, strlen(text));
    snprintf(sign_h, sizeof(sign_h), "Sign: %s", sign);
    const char *const headers[] = {"Content-Type: application/json", "Api-Key: " ITNIO_KEY,
                                   "Timestamp: 1746057600", sign_h, NULL};
    char *body = test_format("{\"current\":1,\"size\":100,\"params\":{\"startTime\":\"%s\","
                             "\"endTime\":\"%s\"%s}}",
                             from, to, filters);
    struct test_reply r =
        test_mock_call(m, "POST", "/v3/cc/record/query", headers, body, strlen(body));
    free(body);
    free(sign);
    free(text);
    return r;
}

static struct test_reply itnio_query(struct test_mock *m, const char *from, const char *to)
{
    return itnio_query_filtered(m, from, to, "");
}

/* ---- a listener, as push delivery will be ---------------------------------------------------- */

struct heard {
    char vendor[16];
    char ids[8][64];
    size_t count; /* records */
    size_t calls; /* announcements: one per group of records that entered together */
    bool state;   /* the vendor's state came with them */
};

static void on_records(void *ctx, const struct mock_vendor_sim *sim, const void *state,
                       const cJSON *records)
{
    struct heard *h = ctx;
    snprintf(h->vendor, sizeof(h->vendor), "%s", sim->id);
    h->calls++;
    h->state = state != NULL;
    const cJSON *record;
    cJSON_ArrayForEach(record, records) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(record, "keyId");
        if (h->count < 8)
            snprintf(h->ids[h->count], sizeof(h->ids[0]), "%lld",
                     cJSON_IsNumber(id) ? (long long)id->valuedouble : -1LL);
        h->count++;
    }
}

/* ---- ITNIO: the issue's own flow ------------------------------------------------------------- */

/* Two records derived from the page's example record, on 1 and 3 February 2025. */
static cJSON *two_itnio_records(void)
{
    cJSON *fixtures = fixture_records("itnio");
    cJSON *older = fixture_copy(fixtures, "callSessionId", "25010316113064799");
    cJSON *newer = cJSON_Duplicate(older, true);
    set(older, "keyId", cJSON_CreateNumber(900000001));
    set(older, "callStartTime", cJSON_CreateString("2025-02-01 10:00:00"));
    set(newer, "keyId", cJSON_CreateNumber(900000002));
    set(newer, "callStartTime", cJSON_CreateString("2025-02-03 09:30:00"));
    cJSON *both = cJSON_CreateArray();
    cJSON_AddItemToArray(both, older);
    cJSON_AddItemToArray(both, newer);
    cJSON_Delete(fixtures);
    return both;
}

static void test_itnio_records_for_one_test(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, NOW_MS, NULL);
    struct heard heard = {0};
    mock_server_listen(m->server, &(struct mock_record_listener){on_records, &heard});
    struct test_reply before = itnio_query(m, "2025-01-01 00:00:00", "2025-03-31 23:59:59");
    int64_t fixture_total = json_int_at(before.json, "data.total");
    assert_true(fixture_total > 2);
    test_reply_free(&before);

    clear_records(m, "itnio", 561);
    cJSON *posted = two_itnio_records();
    cJSON *want = cJSON_Duplicate(posted, true);
    struct test_reply r = post_records(m, "itnio", posted);
    assert_int_equal(r.status, 201);
    assert_string_equal(r.body, "{\"added\":2,\"count\":2}");
    test_reply_free(&r);
    assert_string_equal(heard.vendor, "itnio");
    assert_int_equal(heard.calls, 1);
    assert_int_equal(heard.count, 2);
    assert_true(heard.state);
    assert_string_equal(heard.ids[0], "900000001");
    assert_string_equal(heard.ids[1], "900000002");

    /* Exactly those two, newest first, as posted. */
    r = itnio_query(m, "2025-01-01 00:00:00", "2025-03-31 23:59:59");
    assert_int_equal(json_int_at(r.json, "status"), 0);
    assert_int_equal(json_int_at(r.json, "data.total"), 2);
    assert_true(cJSON_Compare(json_at(r.json, "data.records.0"), cJSON_GetArrayItem(want, 1), 1));
    assert_true(cJSON_Compare(json_at(r.json, "data.records.1"), cJSON_GetArrayItem(want, 0), 1));
    test_reply_free(&r);
    r = itnio_query(m, "2025-02-02 00:00:00", "2025-02-28 00:00:00");
    assert_int_equal(json_int_at(r.json, "data.total"), 1);
    assert_int_equal(json_int_at(r.json, "data.records.0.keyId"), 900000002);
    test_reply_free(&r);
    r = admin(m, "GET", "/__cdrsim/itnio/records", NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_Compare(r.json, want, 1)); /* the store, oldest first */
    test_reply_free(&r);
    cJSON_Delete(want);

    /* The reset brings the fixtures back. */
    r = admin(m, "POST", "/__cdrsim/reset", NULL);
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    assert_int_equal(record_count(m, "itnio"), 561);
    r = itnio_query(m, "2025-01-01 00:00:00", "2025-03-31 23:59:59");
    assert_int_equal(json_int_at(r.json, "data.total"), fixture_total);
    test_reply_free(&r);
}

static int64_t itnio_filtered_total(struct test_mock *m, const char *filters)
{
    struct test_reply r =
        itnio_query_filtered(m, "2025-01-01 00:00:00", "2025-03-31 23:59:59", filters);
    assert_int_equal(json_int_at(r.json, "status"), 0);
    int64_t total = json_int_at(r.json, "data.total");
    test_reply_free(&r);
    return total;
}

/* Records added at run time join the filters' indexes: each filter's total grows by the added
 * records it matches, and they come first on its page (they are the newest in the window). */
static void test_itnio_added_records_are_indexed(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, NOW_MS, NULL);
    static const char *const filters[] = {",\"callType\":[1]", ",\"callType\":[3]",
                                          ",\"labelNames\":[\"run-time-label\"]",
                                          ",\"callType\":[3],\"labelNames\":[\"run-time-label\"]"};
    static const int64_t grows[] = {1, 1, 1, 1};
    int64_t before[4];
    for (size_t i = 0; i < 4; i++)
        before[i] = itnio_filtered_total(m, filters[i]);
    assert_int_equal(before[2], 0);
    cJSON *posted = two_itnio_records();
    cJSON *older = cJSON_GetArrayItem(posted, 0), *newer = cJSON_GetArrayItem(posted, 1);
    set(older, "callType", cJSON_CreateNumber(1));
    set(newer, "callType", cJSON_CreateNumber(3));
    set(older, "callStartTime", cJSON_CreateString("2025-03-31 23:00:00"));
    set(newer, "callStartTime", cJSON_CreateString("2025-03-31 23:30:00"));
    const char *label = "run-time-label";
    set(newer, "labelNameList", cJSON_CreateStringArray(&label, 1));
    struct test_reply r = post_records(m, "itnio", posted);
    assert_int_equal(r.status, 201);
    test_reply_free(&r);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(itnio_filtered_total(m, filters[i]), before[i] + grows[i]);
    r = itnio_query_filtered(m, "2025-01-01 00:00:00", "2025-03-31 23:59:59", filters[0]);
    assert_int_equal(json_int_at(r.json, "data.records.0.keyId"), 900000001);
    test_reply_free(&r);
    r = itnio_query_filtered(m, "2025-01-01 00:00:00", "2025-03-31 23:59:59", filters[1]);
    assert_int_equal(json_int_at(r.json, "data.records.0.keyId"), 900000002);
    test_reply_free(&r);
}

/* A malformed record gets 400 naming the path, and nothing of its batch is added. */
static void test_itnio_records_refused(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, NOW_MS, NULL);
    clear_records(m, "itnio", 561);
    static const struct {
        const char *key;
        const char *json; /* NULL: remove the member */
        const char *error;
    } cases[] = {
        {"callType", "\"1\"", "records[1].callType: expected integer, got string"},
        /* Past 2^53 cJSON would write the value back in exponent form: not an integer here. */
        {"callDuration", "9007199254740994",
         "records[1].callDuration: expected integer, got number"},
        {"callDuration", "1.5", "records[1].callDuration: expected integer, got number"},
        {"callType", "7", "records[1].callType: 7 is not one of [1,2,3]"},
        {"keyId", NULL, "records[1].keyId: required"},
        {"voiceUrlList", "[1]", "records[1].voiceUrlList[0]: expected string, got integer"},
        {"calType", "1", "records[1].calType: not a member of the vendor's shape"},
        {"callStartTime", "\"yesterday\"",
         "records[1].callStartTime: expected \"yyyy-MM-dd HH:mm:ss\" (UTC+8) or ISO 8601 with an "
         "offset"},
        {"keyId", "900000001", "records[1].keyId: 900000001 is already in the store"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        cJSON *both = two_itnio_records();
        cJSON *second = cJSON_GetArrayItem(both, 1);
        if (cases[i].json)
            set(second, cases[i].key, cJSON_Parse(cases[i].json));
        else
            cJSON_DeleteItemFromObjectCaseSensitive(second, cases[i].key);
        struct test_reply r = post_records(m, "itnio", both);
        expect_error(&r, 400, cases[i].error);
        test_reply_free(&r);
        assert_int_equal(record_count(m, "itnio"), 0);
    }
    static const char *const bodies[] = {"{\"records\":{}}", "42", "not json"};
    for (size_t i = 0; i < ARRAY_LEN(bodies); i++) {
        struct test_reply r = admin(m, "POST", "/__cdrsim/itnio/records", bodies[i]);
        assert_int_equal(r.status, 400);
        test_reply_free(&r);
    }
    /* {"records": [...]} works as well as a bare array; a member the page does not require
     * (it marks none but the key) may be left out, and a nullable one sent as null. */
    cJSON *both = two_itnio_records();
    cJSON_DeleteItemFromObjectCaseSensitive(cJSON_GetArrayItem(both, 0), "remark");
    set(cJSON_GetArrayItem(both, 0), "region", cJSON_CreateNull());
    cJSON *wrapped = cJSON_CreateObject();
    cJSON_AddItemToObject(wrapped, "records", both);
    char *body = cJSON_PrintUnformatted(wrapped);
    cJSON_Delete(wrapped);
    struct test_reply r = admin(m, "POST", "/__cdrsim/itnio/records", body);
    free(body);
    assert_int_equal(r.status, 201);
    test_reply_free(&r);
    r = itnio_query(m, "2025-01-01 00:00:00", "2025-03-31 23:59:59");
    assert_null(json_at(r.json, "data.records.1.remark"));
    assert_true(cJSON_IsNull(json_at(r.json, "data.records.1.region")));
    test_reply_free(&r);
    r = admin(m, "POST", "/__cdrsim/nosuch/records", "[]");
    expect_error(&r, 404, "unknown admin endpoint");
    test_reply_free(&r);
    r = admin(m, "PUT", "/__cdrsim/itnio/records", "[]");
    expect_error(&r, 405, "use GET, POST or DELETE");
    test_reply_free(&r);
}

/* ---- the other vendors ----------------------------------------------------------------------- */

/* The array of two records: copies of the fixture record whose key is value, the first given
 * (key, older) and (time_key, older_time), the second (key, newer) and (time_key, newer_time). */
static cJSON *two_records(const char *vendor, const char *key, const char *value, const char *older,
                          const char *newer, const char *time_key, const char *older_time,
                          const char *newer_time)
{
    cJSON *fixtures = fixture_records(vendor);
    cJSON *first = fixture_copy(fixtures, key, value);
    cJSON *second = cJSON_Duplicate(first, true);
    set(first, key, cJSON_CreateString(older));
    set(first, time_key, cJSON_CreateString(older_time));
    set(second, key, cJSON_CreateString(newer));
    set(second, time_key, cJSON_CreateString(newer_time));
    cJSON *both = cJSON_CreateArray();
    cJSON_AddItemToArray(both, first);
    cJSON_AddItemToArray(both, second);
    cJSON_Delete(fixtures);
    return both;
}

static cJSON *two_yunfu_records(void)
{
    return two_records("yunfu", "id", YUNFU_SEED_RECORD, "00000000-0000-4000-8000-000000000001",
                       "00000000-0000-4000-8000-000000000002", "calldate", "2022-10-01 09:00:00",
                       "2022-10-02 09:00:00");
}

static cJSON *two_aliyun_records(void)
{
    return two_records("aliyun", "Id", "acc1c58dab4a4dd280e3813c66", "cdrsim-control-1",
                       "cdrsim-control-2", "CreateTime", "2025-04-01 08:00:00",
                       "2025-04-02 08:00:00");
}

static void test_yunfu_records_for_one_test(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, NOW_MS, NULL);
    cJSON *fixtures = fixture_records("yunfu");
    clear_records(m, "yunfu", cJSON_GetArraySize(fixtures));
    cJSON *batch = two_yunfu_records();
    cJSON *bad = cJSON_Duplicate(cJSON_GetArrayItem(batch, 0), true);
    set(bad, "task_id", cJSON_CreateString(YUNFU_NODE2_TASK));
    cJSON *refused = cJSON_CreateArray();
    cJSON_AddItemToArray(refused, bad);
    struct test_reply r = post_records(m, "yunfu", refused);
    expect_error(&r, 400,
                 "records[0].task_id: " YUNFU_NODE2_TASK
                 " is not a task of account " YUNFU_SEED_USER " (tasks.json)");
    test_reply_free(&r);
    r = post_records(m, "yunfu", batch);
    assert_int_equal(r.status, 201);
    test_reply_free(&r);

    const char *const bearer[] = {"Authorization: Bearer " YUNFU_DEMO_TOKEN, NULL};
    r = test_mock_call(m, "GET",
                       "/agent-api/user/" YUNFU_SEED_USER "/task/" YUNFU_SEED_TASK "/record",
                       bearer, NULL, 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_int_at(r.json, "meta.total"), 2);
    assert_string_equal(json_str_at(r.json, "data.0.id"), "00000000-0000-4000-8000-000000000002");
    assert_string_equal(json_str_at(r.json, "data.1.id"), "00000000-0000-4000-8000-000000000001");
    test_reply_free(&r);
    r = test_mock_call(m, "GET",
                       "/agent-api/user/" YUNFU_SEED_USER "/task/" YUNFU_SEED_TASK
                       "/detail/00000000-0000-4000-8000-000000000001",
                       bearer, NULL, 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_int_at(r.json, "code"), 200);
    test_reply_free(&r);
    cJSON_Delete(fixtures);
}

static void test_aliyun_records_for_one_test(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, NOW_MS, NULL);
    cJSON *fixtures = fixture_records("aliyun");
    clear_records(m, "aliyun", cJSON_GetArraySize(fixtures));
    struct test_reply r = post_records(m, "aliyun", two_aliyun_records());
    assert_int_equal(r.status, 201);
    test_reply_free(&r);
    r = aliyun_call(m, &(struct aliyun_request){.now = NOW_S});
    assert_int_equal(r.status, 200);
    assert_int_equal(json_int_at(r.json, "Data.TotalCount"), 2);
    assert_string_equal(json_str_at(r.json, "Data.CallDetailRecord.0.Id"), "cdrsim-control-2");
    assert_string_equal(json_str_at(r.json, "Data.CallDetailRecord.1.Id"), "cdrsim-control-1");
    test_reply_free(&r);
    r = aliyun_call(m, &(struct aliyun_request){
                           .now = NOW_S, .params = (const char *const[]){"Format=XML", NULL}});
    assert_non_null(strstr(r.body, "<Id>cdrsim-control-1</Id>")); /* rendered in XML too */
    test_reply_free(&r);
    cJSON_Delete(fixtures);
}

static void test_huawei_records_are_the_call_history(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, NOW_MS, NULL);
    cJSON *fixtures = fixture_records("huawei");
    clear_records(m, "huawei", cJSON_GetArraySize(fixtures));
    cJSON *call = fixture_copy(fixtures, "callid", "1476838963-224");
    cJSON *trace = cJSON_GetObjectItemCaseSensitive(call, "trace");
    set(call, "callid", cJSON_CreateString("1746000000-77"));
    set(call, "begintime", cJSON_CreateNumber(1746000000000.0));
    set(trace, "deviceNo", cJSON_CreateNumber(292));
    cJSON *stranger = cJSON_Duplicate(call, true);
    set(cJSON_GetObjectItemCaseSensitive(stranger, "trace"), "deviceNo", cJSON_CreateNumber(9999));
    cJSON *batch = cJSON_CreateArray();
    cJSON_AddItemToArray(batch, stranger);
    struct test_reply r = post_records(m, "huawei", batch);
    expect_error(&r, 400,
                 "records[0].trace.deviceNo: not an agent of this gateway (agents.json or --config "
                 "huawei.agents)");
    test_reply_free(&r);
    batch = cJSON_CreateArray();
    cJSON_AddItemToArray(batch, call);
    r = post_records(m, "huawei", batch);
    assert_int_equal(r.status, 201);
    test_reply_free(&r);

    const char signin[] = "{\"password\":\"demo-pass-292\",\"phonenum\":\"70292\",\"status\":4}";
    r = test_mock_call(m, "PUT", "/agentgateway/resource/onlineagent/292", json_type, signin,
                       strlen(signin));
    char guid[96], guid_h[128];
    assert_true(test_reply_header(&r, "Guid", guid, sizeof(guid)));
    test_reply_free(&r);
    snprintf(guid_h, sizeof(guid_h), "Guid: %s", guid);
    const char *const h[] = {guid_h, NULL};
    r = test_mock_call(
        m, "GET", "/agentgateway/resource/calldata/292/callinfobycallid/1746000000-77", h, NULL, 0);
    assert_string_equal(json_str_at(r.json, "retcode"), "0");
    assert_string_equal(json_str_at(r.json, "result.callid"), "1746000000-77");
    test_reply_free(&r);
    /* The agent's last call is the one added (isNoContainLastCall=true asks for it, per the docs).
     */
    r = test_mock_call(m, "GET",
                       "/agentgateway/resource/calldata/292/callinfo?isNoContainLastCall=true", h,
                       NULL, 0);
    assert_string_equal(json_str_at(r.json, "result.callid"), "1746000000-77");
    test_reply_free(&r);
    cJSON_Delete(fixtures);
}

/* ---- a bad record N: the batch is all or nothing --------------------------------------------- */

/* The vendor's records as GET /__cdrsim/<vendor>/records lists them: the whole store, in order. */
static char *store_dump(struct test_mock *m, const char *vendor)
{
    char *path = test_format("/__cdrsim/%s/records", vendor);
    struct test_reply r = admin(m, "GET", path, NULL);
    free(path);
    assert_int_equal(r.status, 200);
    char *body = r.body;
    r.body = NULL;
    test_reply_free(&r);
    return body;
}

/* Posts batch (taken), whose last record repeats its first one's id, onto the configured data:
 * the records before it were taken into the store already when it is refused, so this is the
 * batch being taken back out. Expects 400 with error, the store exactly as before, and then the
 * batch without its last record accepted (nothing of the refused batch was left behind to
 * collide with). */
static void expect_batch_refused(struct test_mock *m, const char *vendor, cJSON *batch,
                                 const char *error)
{
    int64_t held = record_count(m, vendor);
    assert_true(held > 0);
    char *before = store_dump(m, vendor);
    int size = cJSON_GetArraySize(batch);
    cJSON *good = cJSON_Duplicate(batch, true);
    cJSON_DeleteItemFromArray(good, size - 1);
    struct test_reply r = post_records(m, vendor, batch);
    expect_error(&r, 400, error);
    test_reply_free(&r);
    assert_int_equal(record_count(m, vendor), held);
    char *after = store_dump(m, vendor);
    assert_string_equal(after, before);
    free(after);
    free(before);
    r = post_records(m, vendor, good);
    assert_int_equal(r.status, 201);
    test_reply_free(&r);
    assert_int_equal(record_count(m, vendor), held + size - 1);
}

/* batch (taken) with a copy of its first record appended. */
static cJSON *with_repeat(cJSON *batch)
{
    cJSON_AddItemToArray(batch, cJSON_Duplicate(cJSON_GetArrayItem(batch, 0), true));
    return batch;
}

static void test_bad_record_leaves_the_store_as_it_was(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, NOW_MS, NULL);

    expect_batch_refused(m, "itnio", with_repeat(two_itnio_records()),
                         "records[2].keyId: 900000001 is already in the store");

    expect_batch_refused(
        m, "yunfu", with_repeat(two_yunfu_records()),
        "records[2].id: 00000000-0000-4000-8000-000000000001 is already in the store");
    expect_batch_refused(m, "aliyun", with_repeat(two_aliyun_records()),
                         "records[2].Id: cdrsim-control-1 is already in the store");

    cJSON *fixtures = fixture_records("huawei");
    cJSON *older = fixture_copy(fixtures, "callid", "1476838963-224");
    set(older, "callid", cJSON_CreateString("1746000000-77"));
    set(cJSON_GetObjectItemCaseSensitive(older, "trace"), "deviceNo", cJSON_CreateNumber(292));
    cJSON *newer = cJSON_Duplicate(older, true);
    set(newer, "callid", cJSON_CreateString("1746000000-78"));
    set(newer, "begintime", cJSON_CreateNumber(1746000100000.0));
    cJSON *batch = cJSON_CreateArray();
    cJSON_AddItemToArray(batch, older);
    cJSON_AddItemToArray(batch, newer);
    expect_batch_refused(m, "huawei", with_repeat(batch),
                         "records[2].callid: agent 292 already has a call 1746000000-77");
    cJSON_Delete(fixtures);

    /* A record the schema refuses (checked before any is taken) names its index the same way. */
    batch = with_repeat(two_itnio_records());
    for (int i = 0; i < 3; i++)
        set(cJSON_GetArrayItem(batch, i), "keyId", cJSON_CreateNumber(900000011 + i));
    set(cJSON_GetArrayItem(batch, 2), "callDuration", cJSON_CreateString("12"));
    expect_batch_refused(m, "itnio", batch,
                         "records[2].callDuration: expected integer, got string");
}

/* ---- variants at run time -------------------------------------------------------------------- */

static const char *variant_value(struct test_mock *m, const char *name)
{
    static char value[64];
    struct test_reply r = admin(m, "GET", "/__cdrsim/variants", NULL);
    assert_int_equal(r.status, 200);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(json_at(r.json, "variants"), name);
    assert_non_null(v);
    snprintf(value, sizeof(value), "%s", json_str_at(v, "value"));
    test_reply_free(&r);
    return value;
}

static void test_variants_listed(void **state)
{
    static const char *const configured[] = {"itnio.range_end=exclusive", NULL};
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, NOW_MS, configured);
    struct test_reply r = admin(m, "GET", "/__cdrsim/variants", NULL);
    const cJSON *all = json_at(r.json, "variants");
    const cJSON *status_type = cJSON_GetObjectItemCaseSensitive(all, "itnio.status_type");
    assert_string_equal(json_str_at(status_type, "value"), "per-endpoint");
    assert_string_equal(json_str_at(status_type, "default"), "per-endpoint");
    assert_string_equal(json_str_at(status_type, "choices.2"), "string");
    test_assert_prefix(json_str_at(status_type, "help"), "type of the envelope's status");
    const cJSON *range = cJSON_GetObjectItemCaseSensitive(all, "itnio.range_end");
    assert_string_equal(json_str_at(range, "value"), "exclusive");
    assert_string_equal(json_str_at(range, "configured"), "exclusive");
    const cJSON *limit = cJSON_GetObjectItemCaseSensitive(all, "yunfu.rate_limit");
    assert_true(cJSON_IsNull(json_at(limit, "choices")));
    assert_true(
        cJSON_IsNull(json_at(cJSON_GetObjectItemCaseSensitive(all, "huawei.drift"), "value")));
    /* Every variant of every vendor, and each vendor's drift. */
    size_t want = 0;
    for (size_t i = 0; mock_vendors[i]; i++) {
        for (const struct mock_variant_spec *v = mock_vendors[i]->variants; v && v->name; v++)
            want++;
        want++;
    }
    assert_int_equal(cJSON_GetArraySize(all), want);
    test_reply_free(&r);
}

static void test_variants_change_the_next_answer(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, NOW_MS, NULL);
    struct test_reply r =
        admin(m, "PUT", "/__cdrsim/variants", "{\"itnio.status_type\":\"string\"}");
    assert_int_equal(r.status, 200);
    assert_string_equal(json_str_at(r.json, "reloaded.0"), "itnio");
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "reloaded")), 1);
    test_reply_free(&r);
    r = itnio_query(m, "2025-01-01 00:00:00", "2025-01-31 00:00:00");
    assert_string_equal(json_str_at(r.json, "status"), "0");
    test_reply_free(&r);

    /* Refused as --variant refuses, all or nothing. */
    static const struct {
        const char *body, *error;
    } bad[] = {
        {"{\"itnio.range_end\":\"exclusive\",\"itnio.nosuch\":\"x\"}",
         "itnio.nosuch: itnio has no such variant"},
        {"{\"itnio.status_type\":\"text\"}",
         "itnio.status_type=text: expected per-endpoint|number|string"},
        {"{\"acme.status_type\":\"string\"}", "acme.status_type: unknown vendor 'acme'"},
        {"{\"status_type\":\"string\"}", "status_type: expected \"vendor.name\""},
        {"{\"itnio.timestamp_window\":[60]}",
         "itnio.timestamp_window: expected a string, a number or null"},
        {"{\"itnio.drift\":\"explode:x\"}", NULL},
        {"[]", "expected {\"vendor.name\": value, ...}"},
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        r = admin(m, "PUT", "/__cdrsim/variants", bad[i].body);
        if (bad[i].error)
            expect_error(&r, 400, bad[i].error);
        else
            assert_int_equal(r.status, 400);
        test_reply_free(&r);
    }
    assert_string_equal(variant_value(m, "itnio.range_end"), "inclusive");
    assert_string_equal(variant_value(m, "itnio.status_type"), "string");

    /* A number as a number, the core's drift without a reload, null back to the start-up value. */
    r = admin(m, "PUT", "/__cdrsim/variants",
              "{\"itnio.timestamp_window\":60,\"itnio.drift\":\"set:reason=\\\"drifted\\\"\"}");
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    assert_string_equal(variant_value(m, "itnio.timestamp_window"), "60");
    r = itnio_query(m, "2025-01-01 00:00:00", "2025-01-31 00:00:00");
    assert_string_equal(json_str_at(r.json, "reason"), "drifted");
    test_reply_free(&r);
    r = admin(m, "PUT", "/__cdrsim/variants", "{\"itnio.status_type\":null,\"itnio.drift\":null}");
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    r = itnio_query(m, "2025-01-01 00:00:00", "2025-01-31 00:00:00");
    assert_int_equal(json_int_at(r.json, "status"), 0);
    assert_string_equal(json_str_at(r.json, "reason"), "success");
    test_reply_free(&r);

    /* The reset returns to the start-up values. */
    r = admin(m, "POST", "/__cdrsim/reset", NULL);
    test_reply_free(&r);
    assert_string_equal(variant_value(m, "itnio.timestamp_window"), "1800");
    r = admin(m, "GET", "/__cdrsim/health", NULL);
    assert_string_equal(json_str_at(r.json, "vendors.0.variants.timestamp_window"), "1800");
    test_reply_free(&r);
}

/* A variant change rebuilds only its vendor: another vendor's session survives, and records
 * added at run time are carried over to the rebuilt one. */
static void test_variants_spare_other_vendors_and_carry_records(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, NOW_MS, NULL);
    clear_records(m, "itnio", 561);
    struct test_reply r = post_records(m, "itnio", two_itnio_records());
    assert_int_equal(r.status, 201);
    test_reply_free(&r);
    const char signin[] = "{\"password\":\"demo-pass-292\",\"phonenum\":\"70292\",\"status\":4}";
    r = test_mock_call(m, "PUT", "/agentgateway/resource/onlineagent/292", json_type, signin,
                       strlen(signin));
    char guid[96], guid_h[128];
    assert_true(test_reply_header(&r, "Guid", guid, sizeof(guid)));
    test_reply_free(&r);
    snprintf(guid_h, sizeof(guid_h), "Guid: %s", guid);
    const char *const h[] = {guid_h, NULL};

    r = admin(m, "PUT", "/__cdrsim/variants", "{\"itnio.status_type\":\"string\"}");
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    assert_int_equal(record_count(m, "itnio"), 2);
    r = itnio_query(m, "2025-01-01 00:00:00", "2025-03-31 23:59:59");
    assert_int_equal(json_int_at(r.json, "data.total"), 2);
    assert_int_equal(json_int_at(r.json, "data.records.0.keyId"), 900000002);
    test_reply_free(&r);
    r = test_mock_call(m, "GET", "/agentgateway/resource/calldata/292/callinfo", h, NULL, 0);
    assert_string_equal(json_str_at(r.json, "retcode"), "0"); /* still signed in */
    test_reply_free(&r);

    /* Huawei's own variant rebuilds Huawei: the session is gone, ITNIO's records stay. */
    r = admin(m, "PUT", "/__cdrsim/variants", "{\"huawei.unknown_callid\":\"000-002\"}");
    assert_string_equal(json_str_at(r.json, "reloaded.0"), "huawei");
    test_reply_free(&r);
    r = test_mock_call(m, "GET", "/agentgateway/resource/calldata/292/callinfo", h, NULL, 0);
    assert_string_equal(json_str_at(r.json, "retcode"), "100-006");
    test_reply_free(&r);
    assert_int_equal(record_count(m, "itnio"), 2);
}

/* ---- who may call the admin API -------------------------------------------------------------- */

static void test_web_pages_cannot_drive_the_mock(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, NOW_MS, NULL);
    clear_records(m, "itnio", 561);
    static const char *const evil_text[] = {"Origin: http://evil.example",
                                            "Content-Type: text/plain;charset=UTF-8", NULL};
    struct test_reply r = test_mock_call(m, "POST", "/__cdrsim/reset", evil_text, "", 0);
    expect_error(&r, 403,
                 "cross-origin admin write refused (Origin http://evil.example is not this mock's "
                 "own): the admin API takes changes from tests and scripts, not from web pages");
    test_reply_free(&r);
    assert_int_equal(record_count(m, "itnio"), 0); /* no reset happened */

    const char move[] = "{\"advance_seconds\":3600}";
    static const char *const refused[][3] = {
        {"Origin: http://evil.example", "Content-Type: text/plain", NULL},
        {"Origin: http://evil.example", "Content-Type: application/json", NULL},
        {"Content-Type: text/plain", NULL, NULL},
        {"Content-Type: application/x-www-form-urlencoded", NULL, NULL},
        {"Content-Type: multipart/form-data; boundary=x", NULL, NULL},
        /* DNS rebinding: the page's own name now points at 127.0.0.1. */
        {"Origin: http://attacker.example:8080", "Host: attacker.example:8080", NULL},
        {"Origin: null", NULL, NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(refused); i++) {
        r = test_mock_call(m, "PUT", "/__cdrsim/clock", refused[i], move, strlen(move));
        if (r.status != 403)
            fail_msg("case %zu: HTTP %d %s", i, r.status, r.body);
        test_reply_free(&r);
        assert_int_equal(mock_clock_now_ms(&m->server->clock), NOW_MS);
    }
    static const char *const allowed[][3] = {
        {"Content-Type: application/json", NULL, NULL},
        {"Origin: http://127.0.0.1:8080", "Host: 127.0.0.1:8080", NULL},
        {"Origin: http://localhost:8080", "Host: localhost:8080", NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(allowed); i++) {
        r = test_mock_call(m, "PUT", "/__cdrsim/clock", allowed[i], move, strlen(move));
        if (r.status != 200)
            fail_msg("case %zu: HTTP %d %s", i, r.status, r.body);
        test_reply_free(&r);
    }
    assert_int_equal(mock_clock_now_ms(&m->server->clock), NOW_MS + 3 * 3600 * 1000);
    /* Reading is harmless: a page cannot see the answer anyway. */
    r = test_mock_call(m, "GET", "/__cdrsim/health", evil_text, NULL, 0);
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
}

/* The in-process mock again, over a config changed by tweak. */
static void restart(struct test_mock *m, void (*tweak)(struct mock_config *cfg))
{
    mock_server_free(m->server);
    tweak(m->config);
    char err[256] = "";
    m->server = mock_server_new(m->config, err, sizeof(err));
    if (!m->server)
        fail_msg("mock_server_new: %s", err);
    mock_clock_freeze(&m->server->clock, NOW_MS);
}

static void with_token(struct mock_config *cfg)
{
    cfg->admin_token = strdup("s3cret-admin-token");
}

static void admin_off(struct mock_config *cfg)
{
    cfg->admin_enabled = false;
}

static void test_admin_token_and_admin_off(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, NOW_MS, NULL);
    restart(m, with_token);
    static const char *const none[] = {NULL};
    static const char *const wrong[] = {"Authorization: Bearer s3cret-admin-tokeN", NULL};
    static const char *const right[] = {"Authorization: Bearer s3cret-admin-token", NULL};
    struct test_reply r = test_mock_call(m, "GET", "/__cdrsim/health", none, NULL, 0);
    expect_error(&r, 401, "the admin API needs Authorization: Bearer <the --admin-token value>");
    char challenge[64];
    assert_true(test_reply_header(&r, "WWW-Authenticate", challenge, sizeof(challenge)));
    test_reply_free(&r);
    r = test_mock_call(m, "POST", "/__cdrsim/reset", wrong, NULL, 0);
    assert_int_equal(r.status, 401);
    test_reply_free(&r);
    r = test_mock_call(m, "GET", "/__cdrsim/health", right, NULL, 0);
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    struct test_reply q = itnio_query(m, "2025-01-01 00:00:00", "2025-01-31 00:00:00");
    assert_int_equal(json_int_at(q.json, "status"), 0); /* the vendors need no token */
    test_reply_free(&q);

    restart(m, admin_off);
    r = test_mock_call(m, "POST", "/__cdrsim/reset", right, NULL, 0);
    expect_error(&r, 404, "no simulated vendor serves this path");
    test_reply_free(&r);
}

/* ---- ids ------------------------------------------------------------------------------------- */

static void seeded(struct mock_config *cfg)
{
    cfg->seed_given = true;
    cfg->seed = 7;
}

/* The RequestId of a fresh mock's first Alibaba answer and its ITNIO dataset. */
static void first_ids(struct test_mock *m, char request_id[64], char **dump)
{
    struct test_reply r = aliyun_call(m, &(struct aliyun_request){.now = NOW_S});
    snprintf(request_id, 64, "%s", json_str_at(r.json, "RequestId"));
    test_reply_free(&r);
    *dump = mock_server_dump(m->server, "itnio");
    assert_non_null(*dump);
}

static void test_ids_seeded_from_the_time(void **state)
{
    (void)state;
    struct test_mock a, b;
    char id_a[64], id_b[64];
    char *dump_a, *dump_b;
    test_mock_start_generated(&a, FIXTURES_DIR, NOW_MS, NULL, "itnio", 50, 1);
    test_mock_start_generated(&b, FIXTURES_DIR, NOW_MS, NULL, "itnio", 50, 1);
    first_ids(&a, id_a, &dump_a);
    first_ids(&b, id_b, &dump_b);
    if (strcmp(id_a, id_b) == 0)
        fail_msg("two fresh mocks handed out the same RequestId %s", id_a);
    assert_string_equal(dump_a, dump_b); /* the generated dataset does not follow the ids */
    char *dump_generated = dump_a;
    free(dump_b);

    /* --seed: the same ids from two mocks, and still the same dataset. */
    restart(&a, seeded);
    restart(&b, seeded);
    first_ids(&a, id_a, &dump_a);
    first_ids(&b, id_b, &dump_b);
    assert_string_equal(id_a, id_b);
    assert_string_equal(dump_a, dump_b);
    free(dump_a);
    free(dump_b);
    free(dump_generated);
    test_mock_stop(&a);
    test_mock_stop(&b);
}

int main(void)
{
#define WITH_MOCK(test)                                                                            \
    cmocka_unit_test_setup_teardown(test, test_mock_fixture_setup, test_mock_fixture_teardown)
    const struct CMUnitTest tests[] = {
        WITH_MOCK(test_itnio_records_for_one_test),
        WITH_MOCK(test_itnio_records_refused),
        WITH_MOCK(test_itnio_added_records_are_indexed),
        WITH_MOCK(test_yunfu_records_for_one_test),
        WITH_MOCK(test_aliyun_records_for_one_test),
        WITH_MOCK(test_huawei_records_are_the_call_history),
        WITH_MOCK(test_bad_record_leaves_the_store_as_it_was),
        WITH_MOCK(test_variants_listed),
        WITH_MOCK(test_variants_change_the_next_answer),
        WITH_MOCK(test_variants_spare_other_vendors_and_carry_records),
        WITH_MOCK(test_web_pages_cannot_drive_the_mock),
        WITH_MOCK(test_admin_token_and_admin_off),
        cmocka_unit_test(test_ids_seeded_from_the_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
