/* The recording and transcript actions in-process: ListHotlineRecord, GetRecordUrl,
 * GetRecordData, DescribeRecordData and GetHotlineMessageLog, each in its page's own shape and
 * with its errors, signed V2 and V3, in JSON and XML; and the links they hand out, which resolve on
 * the same mock to a WAV file until they expire on the mock's clock. Expectations come from
 * fixtures/aliyun/records.json, read here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "audio.h"
#include "server.h"
#include "testutil.h"
#include "vendors/aliyun/internal.h"

#define CLOCK_MS 1746057600000LL /* 2025-05-01T00:00:00Z */
#define NOW (CLOCK_MS / 1000)
#define SEED_ACID "7719786"      /* the page's example call: answered 22:33:09, ended 22:33:46 */
#define SEED_PICKUP 1601649189LL /* 2020-10-02 22:33:09 +08:00 */
#define SEED_HANGUP 1601649226LL
#define HANDED_ACID "1651545586" /* an inbound call an agent handed on to another agent */
#define UNANSWERED_ACID "7389177260"
#define LINK_KEY_ID "LTAI5tCdrsimRecordings"

static struct test_mock *start(void **state, const char *const *variants)
{
    struct test_mock *m = *state;
    test_mock_start(m, FIXTURES_DIR, CLOCK_MS, variants);
    return m;
}

/* One signed call of an action: params "Name=Value" (NULL-terminated, at most 6), V2 or V3. V3
 * requests carry the host the test support signs (aiccs.aliyuncs.com), V2 ones none: links then
 * point at http://localhost. */
static struct test_reply act(struct test_mock *m, bool v3, const char *action,
                             const char *const *params)
{
    const char *all[8] = {NULL};
    size_t n = 0;
    char *name = test_format("Action=%s", action);
    char *header = test_format("x-acs-action: %s", action);
    if (!v3)
        all[n++] = name;
    for (size_t i = 0; params && params[i]; i++)
        all[n++] = params[i];
    struct test_reply r = aliyun_call(
        m, &(struct aliyun_request){.v3 = v3,
                                    .now = NOW,
                                    .params = all,
                                    .headers = (const char *const[]){v3 ? header : NULL, NULL}});
    free(name);
    free(header);
    return r;
}

static void assert_members(const cJSON *obj, const char *const *names)
{
    const cJSON *member = obj->child;
    size_t i = 0;
    for (; names[i]; i++, member = member->next) {
        if (!member)
            fail_msg("member %s missing", names[i]);
        assert_string_equal(member->string, names[i]);
    }
    if (member)
        fail_msg("unexpected member %s", member->string);
}

static void assert_error(const struct test_reply *r, int status, const char *code,
                         const char *message)
{
    if (r->status != status || !r->json)
        fail_msg("expected %d %s, got %d: %s", status, code, r->status, r->body);
    assert_string_equal(json_str_at(r->json, "Code"), code);
    assert_string_equal(json_str_at(r->json, "Message"), message);
    assert_members(r->json, (const char *const[]){"RequestId", "Message", "HostId", "Code",
                                                  "Recommend", NULL});
}

static const cJSON *ok_json(const struct test_reply *r)
{
    if (r->status != 200 || !r->json)
        fail_msg("expected success, got %d: %s", r->status, r->body);
    return r->json;
}

/* "/accrec_tmp/...?..." of a link the mock handed out: its origin is the Host the request came
 * by, or localhost without one. */
static const char *path_of(const char *url)
{
    static const char *const origins[] = {"http://localhost/", "http://aiccs.aliyuncs.com/"};
    for (size_t i = 0; i < 2; i++)
        if (strncmp(url, origins[i], strlen(origins[i])) == 0)
            return url + strlen(origins[i]) - 1;
    fail_msg("a link to another place: %s", url);
    return NULL;
}

/* The link's query value of name, copied. */
static char *link_param(const char *url, const char *name)
{
    char *key = test_format("%s=", name);
    const char *at = strstr(url, key);
    assert_non_null(at);
    at += strlen(key);
    free(key);
    return strndup(at, strcspn(at, "&"));
}

/* ---- ListHotlineRecord ----------------------------------------------------------------------- */

static void list_hotline_record(void **state)
{
    struct test_mock *m = start(state, NULL);
    for (int v3 = 0; v3 <= 1; v3++) {
        struct test_reply r =
            act(m, v3, "ListHotlineRecord", (const char *const[]){"CallId=" SEED_ACID, NULL});
        const cJSON *doc = ok_json(&r);
        assert_members(
            doc, (const char *const[]){"Message", "RequestId", "Code", "Success", "Data", NULL});
        assert_string_equal(json_str_at(doc, "Code"), "Success");
        assert_true(cJSON_IsTrue(json_at(doc, "Success")));
        const cJSON *data = json_at(doc, "Data");
        assert_int_equal(cJSON_GetArraySize(data), 1);
        const cJSON *e = cJSON_GetArrayItem(data, 0);
        assert_members(e, (const char *const[]){"ConnectionId", "CallId", "StartTime", "EndTime",
                                                "Url", NULL});
        /* The example pairs a connection with the session's id less ten. */
        assert_string_equal(json_str_at(e, "ConnectionId"), "7719776");
        assert_string_equal(json_str_at(e, "CallId"), SEED_ACID);
        assert_int_equal(json_int_at(e, "StartTime"), SEED_PICKUP * 1000);
        assert_int_equal(json_int_at(e, "EndTime"), SEED_HANGUP * 1000);
        char *want = test_format("http://%s/accrec_tmp/" SEED_ACID "-7719776.wav?Expires=%lld"
                                 "&OSSAccessKeyId=" LINK_KEY_ID "&Signature=",
                                 v3 ? "aiccs.aliyuncs.com" : "localhost", (long long)NOW + 3600);
        assert_memory_equal(json_str_at(e, "Url"), want, strlen(want));
        free(want);
        assert_string_equal(r.vendor_code, "Success");
        test_reply_free(&r);
    }
}

/* A call an agent handed on is two connections, back to back over the talk. */
static void handed_on_call_has_two_recordings(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r =
        act(m, true, "ListHotlineRecord", (const char *const[]){"CallId=" HANDED_ACID, NULL});
    const cJSON *data = json_at(ok_json(&r), "Data");
    assert_int_equal(cJSON_GetArraySize(data), 2);
    const cJSON *a = cJSON_GetArrayItem(data, 0), *b = cJSON_GetArrayItem(data, 1);
    assert_string_equal(json_str_at(a, "ConnectionId"), "1651545576");
    assert_string_equal(json_str_at(b, "ConnectionId"), "1651545577");
    assert_int_equal(json_int_at(a, "EndTime"), json_int_at(b, "StartTime"));
    assert_true(json_int_at(a, "StartTime") < json_int_at(a, "EndTime"));
    assert_true(json_int_at(b, "StartTime") < json_int_at(b, "EndTime"));
    assert_true(strcmp(json_str_at(a, "Url"), json_str_at(b, "Url")) != 0);
    test_reply_free(&r);
}

static void list_without_recordings(void **state)
{
    struct test_mock *m = start(state, NULL);
    static const char *const empty[][2] = {
        {"CallId=" UNANSWERED_ACID, "InstanceId=ccc_xp_pre-cn-demo001"},
        {"CallId=404404404", "InstanceId=ccc_xp_pre-cn-demo001"},
        {"CallId=" SEED_ACID, "InstanceId=ccc_xp_pre-cn-empty002"}, /* another tenant's call */
    };
    for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
        struct test_reply r = act(m, false, "ListHotlineRecord",
                                  (const char *const[]){empty[i][0], empty[i][1], NULL});
        const cJSON *doc = ok_json(&r);
        assert_string_equal(json_str_at(doc, "Code"), "Success");
        assert_true(cJSON_IsArray(json_at(doc, "Data")));
        assert_int_equal(cJSON_GetArraySize(json_at(doc, "Data")), 0);
        test_reply_free(&r);
    }
    test_mock_stop(m);
    m = start(state, (const char *const[]){"aliyun.missing_recording=error", NULL});
    struct test_reply r =
        act(m, false, "ListHotlineRecord", (const char *const[]){"CallId=" UNANSWERED_ACID, NULL});
    assert_error(&r, 500, "SystemError",
                 "A system error occurred. Please contact the administrator.");
    test_reply_free(&r);
}

static void list_errors(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r = act(m, false, "ListHotlineRecord", NULL);
    assert_error(&r, 400, "MissingCallId", "CallId is mandatory for this action.");
    test_reply_free(&r);
    r = act(m, true, "ListHotlineRecord", (const char *const[]){"CallId=", NULL});
    assert_error(&r, 400, "MissingCallId", "CallId is mandatory for this action.");
    test_reply_free(&r);
    r = act(m, false, "ListHotlineRecord",
            (const char *const[]){"InstanceId", "CallId=" SEED_ACID, NULL});
    assert_error(&r, 400, "MissingInstanceId", "InstanceId is mandatory for this action.");
    test_reply_free(&r);
    r = act(m, false, "ListHotlineRecord",
            (const char *const[]){"InstanceId=ccc_nobody", "CallId=" SEED_ACID, NULL});
    assert_error(&r, 500, "NoTenantFound", "The specified tenant does not exist.");
    test_reply_free(&r);
    /* Signed like every other action: a wrong secret is refused before the action runs. */
    r = aliyun_call(m, &(struct aliyun_request){
                           .now = NOW,
                           .secret = "wrong",
                           .params = (const char *const[]){"Action=ListHotlineRecord", NULL}});
    assert_int_equal(r.status, 400);
    assert_string_equal(json_str_at(r.json, "Code"), "SignatureDoesNotMatch");
    test_reply_free(&r);
}

static void list_variants_and_xml(void **state)
{
    struct test_mock *m = start(state, (const char *const[]){"aliyun.record_ids=number", NULL});
    struct test_reply r =
        act(m, false, "ListHotlineRecord", (const char *const[]){"CallId=" SEED_ACID, NULL});
    const cJSON *e = cJSON_GetArrayItem(json_at(ok_json(&r), "Data"), 0);
    assert_true(cJSON_IsNumber(json_at(e, "ConnectionId")));
    assert_int_equal(json_int_at(e, "ConnectionId"), 7719776);
    assert_int_equal(json_int_at(e, "CallId"), 7719786);
    test_reply_free(&r);
    r = act(m, false, "ListHotlineRecord",
            (const char *const[]){"CallId=" SEED_ACID, "Format=XML", NULL});
    assert_int_equal(r.status, 200);
    assert_memory_equal(r.body,
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListHotlineRecordResponse>"
                        "<Message>Success</Message><RequestId>",
                        98);
    assert_non_null(strstr(r.body, "</RequestId><Code>Success</Code><Success>true</Success><Data>"
                                   "<ConnectionId>7719776</ConnectionId><CallId>7719786</CallId>"
                                   "<StartTime>1601649189000</StartTime><EndTime>1601649226000"
                                   "</EndTime><Url>http://localhost/accrec_tmp/7719786-7719776.wav"
                                   "?Expires="));
    assert_non_null(strstr(r.body, "&amp;OSSAccessKeyId="));
    assert_non_null(strstr(r.body, "</Url></Data></ListHotlineRecordResponse>"));
    test_reply_free(&r);
}

/* Links point back at the host the client reached the mock by; a Host that is no host name does
 * not make it into a link. */
static void links_follow_the_host(void **state)
{
    struct test_mock *m = start(state, NULL);
    static const char *const hosts[][2] = {
        {"Host: 127.0.0.1:18080", "http://127.0.0.1:18080/accrec_tmp/"},
        {"Host: [::1]:8080", "http://[::1]:8080/accrec_tmp/"},
        {"Host: evil\"><x", "http://localhost/accrec_tmp/"},
        {"Host: a b", "http://localhost/accrec_tmp/"},
    };
    for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
        struct aliyun_built b;
        aliyun_build(
            &(struct aliyun_request){.now = NOW,
                                     .params = (const char *const[]){"Action=ListHotlineRecord",
                                                                     "CallId=" SEED_ACID, NULL}},
            &b);
        struct test_reply r =
            test_mock_call(m, "GET", b.path, (const char *const[]){hosts[i][0], NULL}, NULL, 0);
        const char *url = json_str_at(ok_json(&r), "Data.0.Url");
        assert_memory_equal(url, hosts[i][1], strlen(hosts[i][1]));
        test_reply_free(&r);
        aliyun_built_free(&b);
    }
}

/* ---- GetRecordUrl, GetRecordData ------------------------------------------------------------- */

static void record_url(void **state)
{
    struct test_mock *m = start(state, NULL);
    static const char *const types[] = {"RecordType=DUP_CALL", "RecordType=IVR_CALL",
                                        "RecordType=SMART_CALL"};
    for (size_t i = 0; i < 3; i++) {
        struct test_reply r = act(m, i == 1, "GetRecordUrl",
                                  (const char *const[]){"Acid=" SEED_ACID, types[i], NULL});
        const cJSON *doc = ok_json(&r);
        /* The page's example: no Code at all. */
        assert_members(doc, (const char *const[]){"RequestId", "Success", "Message", "Data", NULL});
        assert_string_equal(json_str_at(doc, "Message"), "OK");
        assert_members(json_at(doc, "Data"), (const char *const[]){"Acid", "OssLink", NULL});
        assert_string_equal(json_str_at(doc, "Data.Acid"), SEED_ACID);
        assert_non_null(strstr(json_str_at(doc, "Data.OssLink"),
                               i == 1 ? "http://aiccs.aliyuncs.com/accrec_tmp/" SEED_ACID ".wav?"
                                      : "http://localhost/accrec_tmp/" SEED_ACID ".wav?Expires="));
        test_reply_free(&r);
    }
    struct test_reply r =
        act(m, false, "GetRecordUrl", (const char *const[]){"Acid=" SEED_ACID, NULL});
    assert_error(&r, 400, "MissingRecordType", "RecordType is mandatory for this action.");
    test_reply_free(&r);
    r = act(m, false, "GetRecordUrl",
            (const char *const[]){"Acid=" SEED_ACID, "RecordType=dup_call", NULL});
    assert_error(&r, 400, "InvalidParameter", "Specified parameter RecordType is not valid.");
    test_reply_free(&r);
    r = act(m, false, "GetRecordUrl", (const char *const[]){"RecordType=DUP_CALL", NULL});
    assert_error(&r, 400, "MissingAcid", "Acid is mandatory for this action.");
    test_reply_free(&r);
    /* No recording: the answer carries no link. */
    r = act(m, false, "GetRecordUrl",
            (const char *const[]){"Acid=" UNANSWERED_ACID, "RecordType=DUP_CALL", NULL});
    assert_members(json_at(ok_json(&r), "Data"), (const char *const[]){"Acid", NULL});
    test_reply_free(&r);
}

static void record_data(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r =
        act(m, true, "GetRecordData", (const char *const[]){"Acid=" SEED_ACID, NULL});
    const cJSON *doc = ok_json(&r);
    assert_members(doc, (const char *const[]){"Message", "RequestId", "HttpStatusCode", "Data",
                                              "Code", "Success", NULL});
    /* The example's numeric Code, next to HttpStatusCode. */
    assert_true(cJSON_IsNumber(json_at(doc, "Code")));
    assert_int_equal(json_int_at(doc, "Code"), 200);
    assert_int_equal(json_int_at(doc, "HttpStatusCode"), 200);
    assert_non_null(strstr(json_str_at(doc, "Data.OssLink"), "/accrec_tmp/" SEED_ACID ".wav?"));
    assert_string_equal(r.vendor_code, "200");
    test_reply_free(&r);
    r = act(m, false, "GetRecordData",
            (const char *const[]){"Acid=" SEED_ACID, "InstanceId=ccc_nobody", NULL});
    assert_error(&r, 500, "NoTenantFound", "The specified tenant does not exist.");
    test_reply_free(&r);
    test_mock_stop(m);
    m = start(state, (const char *const[]){"aliyun.record_data_code=string",
                                           "aliyun.missing_recording=error", NULL});
    r = act(m, false, "GetRecordData", (const char *const[]){"Acid=" SEED_ACID, NULL});
    assert_string_equal(json_str_at(ok_json(&r), "Code"), "200");
    test_reply_free(&r);
    r = act(m, false, "GetRecordData", (const char *const[]){"Acid=" UNANSWERED_ACID, NULL});
    assert_error(&r, 500, "SystemError",
                 "A system error occurred. Please contact the administrator.");
    test_reply_free(&r);
}

/* ---- DescribeRecordData ---------------------------------------------------------------------- */

static void describe_record_data(void **state)
{
    struct test_mock *m = start(state, NULL);
    /* No InstanceId: the account names the tenant. */
    struct test_reply r =
        act(m, false, "DescribeRecordData",
            (const char *const[]){"InstanceId", "AccountType=BUC_TYPE", "AccountId=22350001",
                                  "Acid=" SEED_ACID, "SecLevel=2", "ProdCode=aiccs", NULL});
    const cJSON *doc = ok_json(&r);
    assert_members(doc, (const char *const[]){"Acid", "RequestId", "Message", "OssLink", "AgentId",
                                              "Code", NULL});
    assert_string_equal(json_str_at(doc, "Code"), "200");
    assert_string_equal(json_str_at(doc, "AgentId"), "555555");
    assert_non_null(strstr(json_str_at(doc, "OssLink"), "/accrec_tmp/" SEED_ACID ".wav?"));
    test_reply_free(&r);
    static const char *const bad[][4] = {
        {"AccountId=22350001", "Acid=" SEED_ACID, NULL, NULL},
        {"AccountType=BUC_TYPE", "Acid=" SEED_ACID, NULL, NULL},
        {"AccountType=BUC_TYPE", "AccountId=22350001", NULL, NULL},
        {"AccountType=BUC_TYPE", "AccountId=22350001", "Acid=" SEED_ACID, "SecLevel=5"},
        {"AccountType=BUC_TYPE", "AccountId=22350001", "Acid=" SEED_ACID, "ProdCode=ecs"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        r = act(m, i % 2 == 1, "DescribeRecordData",
                (const char *const[]){bad[i][0], bad[i][1], bad[i][2], bad[i][3], NULL});
        assert_error(&r, 400, "Parameter.Error", "Parameter error.");
        test_reply_free(&r);
    }
    r = act(m, false, "DescribeRecordData",
            (const char *const[]){"AccountType=BUC_TYPE", "AccountId=99999999", "Acid=" SEED_ACID,
                                  NULL});
    assert_error(&r, 400, "Permission.NotAuthorized",
                 "Insufficient permissions. Please contact the primary account administrator.");
    test_reply_free(&r);
    /* The empty tenant's account reads no such call. */
    r = act(m, false, "DescribeRecordData",
            (const char *const[]){"AccountType=BUC_TYPE", "AccountId=22350002", "Acid=" SEED_ACID,
                                  NULL});
    assert_members(ok_json(&r),
                   (const char *const[]){"Acid", "RequestId", "Message", "Code", NULL});
    test_reply_free(&r);
}

/* ---- GetHotlineMessageLog -------------------------------------------------------------------- */

static void message_log(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r =
        act(m, false, "GetHotlineMessageLog", (const char *const[]){"Acid=" SEED_ACID, NULL});
    const cJSON *doc = ok_json(&r);
    assert_members(doc,
                   (const char *const[]){"RequestId", "Success", "Code", "Message", "Data", NULL});
    const cJSON *data = json_at(doc, "Data"), *u;
    assert_int_equal(cJSON_GetArraySize(data), 3); /* 37 s of talk */
    const cJSON *first = cJSON_GetArrayItem(data, 0);
    assert_members(first, (const char *const[]){"Acid", "SenderType", "StartTime", "EndTime", "Mid",
                                                "Content", NULL});
    assert_string_equal(json_str_at(first, "Content"), "您好。"); /* the page's example */
    assert_int_equal(json_int_at(first, "SenderType"), 1);
    int64_t previous_end = SEED_PICKUP * 1000;
    int sender = 0;
    cJSON_ArrayForEach(u, data) {
        assert_string_equal(json_str_at(u, "Acid"), SEED_ACID);
        assert_in_range(json_int_at(u, "SenderType"), 1, 2);
        assert_true(json_int_at(u, "SenderType") != sender); /* they take turns */
        sender = (int)json_int_at(u, "SenderType");
        assert_true(json_int_at(u, "StartTime") >= previous_end);
        assert_true(json_int_at(u, "EndTime") > json_int_at(u, "StartTime"));
        assert_true(json_int_at(u, "EndTime") <= SEED_HANGUP * 1000);
        previous_end = json_int_at(u, "EndTime");
        assert_int_equal(strlen(json_str_at(u, "Mid")), 15);
    }
    /* The same call gives the same transcript every time. */
    struct test_reply again =
        act(m, true, "GetHotlineMessageLog", (const char *const[]){"Acid=" SEED_ACID, NULL});
    char *a = cJSON_PrintUnformatted(data),
         *b = cJSON_PrintUnformatted(json_at(again.json, "Data"));
    assert_string_equal(a, b);
    free(a);
    free(b);
    test_reply_free(&again);
    test_reply_free(&r);
    r = act(m, false, "GetHotlineMessageLog", (const char *const[]){"Acid=" UNANSWERED_ACID, NULL});
    assert_int_equal(cJSON_GetArraySize(json_at(ok_json(&r), "Data")), 0);
    test_reply_free(&r);
    r = act(m, false, "GetHotlineMessageLog", NULL);
    assert_error(&r, 400, "MissingAcid", "Acid is mandatory for this action.");
    test_reply_free(&r);
    r = act(m, false, "GetHotlineMessageLog",
            (const char *const[]){"Acid=" SEED_ACID, "InstanceId=ccc_nobody", NULL});
    assert_error(&r, 500, "NoTenantFound", "The specified tenant does not exist.");
    test_reply_free(&r);
}

/* ---- the links ------------------------------------------------------------------------------- */

static char *seed_link(struct test_mock *m)
{
    struct test_reply r =
        act(m, false, "ListHotlineRecord", (const char *const[]){"CallId=" SEED_ACID, NULL});
    char *url = strdup(json_str_at(ok_json(&r), "Data.0.Url"));
    test_reply_free(&r);
    return url;
}

static void assert_oss_error(const struct test_reply *r, int status, const char *code,
                             const char *ec)
{
    if (r->status != status)
        fail_msg("expected %d %s, got %d: %s", status, code, r->status, r->body);
    char *want = test_format("<Code>%s</Code>", code);
    assert_non_null(strstr(r->body, want));
    free(want);
    assert_memory_equal(r->body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n", 46);
    assert_non_null(
        strstr(r->body, "<HostId>aliccrec-shvpc.oss-cn-shanghai.aliyuncs.com</HostId>"));
    char value[64];
    assert_true(test_reply_header(r, "x-oss-request-id", value, sizeof(value)));
    assert_int_equal(strlen(value), 24);
    if (ec) {
        char *tag = test_format("<EC>%s</EC>", ec);
        assert_non_null(strstr(r->body, tag));
        free(tag);
        assert_true(test_reply_header(r, "x-oss-ec", value, sizeof(value)));
        assert_string_equal(value, ec);
    }
    assert_string_equal(r->vendor_code, code);
}

static void links_resolve_to_the_recording(void **state)
{
    struct test_mock *m = start(state, NULL);
    char *url = seed_link(m);
    struct test_reply r = test_mock_call(m, "GET", path_of(url), NULL, NULL, 0);
    if (r.status != 200)
        fail_msg("GET %s: %d %s", url, r.status, r.body);
    size_t len;
    unsigned char *wav = mock_audio_wav(SEED_HANGUP - SEED_PICKUP, MOCK_AUDIO_PCM16, 0, &len);
    assert_int_equal(r.body_len, len); /* 37 s of talk, capped at 10 s of 16-bit audio */
    assert_int_equal(r.body_len, 44 + 10 * 8000 * 2);
    free(wav);
    assert_memory_equal(r.body, "RIFF", 4);
    assert_memory_equal(r.body + 8, "WAVE", 4);
    char id[32];
    assert_true(test_reply_header(&r, "x-oss-request-id", id, sizeof(id)));
    /* The same bytes every time. */
    struct test_reply again = test_mock_call(m, "GET", path_of(url), NULL, NULL, 0);
    assert_int_equal(again.body_len, r.body_len);
    assert_memory_equal(again.body, r.body, r.body_len);
    test_reply_free(&again);
    test_reply_free(&r);
    /* The session link of GetRecordData: the whole talk. */
    r = act(m, false, "GetRecordData", (const char *const[]){"Acid=" HANDED_ACID, NULL});
    char *whole = strdup(json_str_at(ok_json(&r), "Data.OssLink"));
    test_reply_free(&r);
    r = test_mock_call(m, "GET", path_of(whole), NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    assert_memory_equal(r.body, "RIFF", 4);
    test_reply_free(&r);
    free(whole);
    free(url);
}

/* Valid through Expires on the mock's clock, OSS's "Request has expired." after it. */
static void links_expire_on_the_mock_clock(void **state)
{
    struct test_mock *m = start(state, NULL);
    char *url = seed_link(m);
    mock_clock_advance_ms(&m->server->clock, 3600 * 1000);
    struct test_reply r = test_mock_call(m, "GET", path_of(url), NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    mock_clock_advance_ms(&m->server->clock, 1000);
    r = test_mock_call(m, "GET", path_of(url), NULL, NULL, 0);
    assert_oss_error(&r, 403, "AccessDenied", "0002-00000069");
    assert_non_null(strstr(r.body, "<Message>Request has expired.</Message>"));
    assert_non_null(strstr(r.body, "<Expires>2025-05-01T01:00:00.000Z</Expires>\n"
                                   "  <ServerTime>2025-05-01T01:00:01.000Z</ServerTime>"));
    test_reply_free(&r);
    free(url);
    /* The TTL is a variant. */
    test_mock_stop(m);
    m = start(state, (const char *const[]){"aliyun.recording_url_ttl=60", NULL});
    url = seed_link(m);
    char *expires = link_param(url, "Expires");
    char *want = test_format("%lld", (long long)NOW + 60);
    assert_string_equal(expires, want);
    free(want);
    free(expires);
    free(url);
}

static void tampered_links_are_refused(void **state)
{
    struct test_mock *m = start(state, NULL);
    char *url = seed_link(m);
    char *expires = link_param(url, "Expires");
    /* A later Expires than the one signed. */
    char *later = strdup(path_of(url));
    char *at = strstr(later, "Expires=") + 8;
    at[0] = at[0] == '9' ? '1' : (char)(at[0] + 1);
    struct test_reply r = test_mock_call(m, "GET", later, NULL, NULL, 0);
    assert_oss_error(&r, 403, "SignatureDoesNotMatch", "0002-00000040");
    assert_non_null(strstr(r.body, "<OSSAccessKeyId>" LINK_KEY_ID "</OSSAccessKeyId>"));
    test_reply_free(&r);
    /* Another call's file under this call's signature. */
    char *other = strdup(path_of(url));
    memcpy(strstr(other, SEED_ACID), "7719787", 7);
    r = test_mock_call(m, "GET", other, NULL, NULL, 0);
    assert_oss_error(&r, 403, "SignatureDoesNotMatch", "0002-00000040");
    test_reply_free(&r);
    r = test_mock_call(m, "GET", "/accrec_tmp/" SEED_ACID "-7719776.wav", NULL, NULL, 0);
    assert_oss_error(&r, 403, "AccessDenied", NULL);
    test_reply_free(&r);
    char *bad_expires = test_format("/accrec_tmp/" SEED_ACID
                                    "-7719776.wav?Expires=soon&OSSAccessKeyId=%s&Signature=x",
                                    LINK_KEY_ID);
    r = test_mock_call(m, "GET", bad_expires, NULL, NULL, 0);
    assert_oss_error(&r, 403, "AccessDenied", "0002-00000070");
    test_reply_free(&r);
    char *bad_key =
        test_format("/accrec_tmp/x.wav?Expires=%s&OSSAccessKeyId=LTAInobody&Signature=x", expires);
    r = test_mock_call(m, "GET", bad_key, NULL, NULL, 0);
    assert_oss_error(&r, 403, "InvalidAccessKeyId", NULL);
    test_reply_free(&r);
    r = test_mock_call(m, "PUT", path_of(url), NULL, "x", 1);
    assert_oss_error(&r, 405, "MethodNotAllowed", NULL);
    test_reply_free(&r);
    free(bad_key);
    free(bad_expires);
    free(other);
    free(later);
    free(expires);
    free(url);
}

/* A link to a call the data no longer has (reloaded with other records) is OSS's NoSuchKey. */
static void links_to_vanished_calls(void **state)
{
    struct test_mock *m = start(state, NULL);
    char *url = seed_link(m);
    test_mock_stop(m);
    test_mock_start_generated(m, FIXTURES_DIR, CLOCK_MS, NULL, "aliyun", 20, 3);
    struct test_reply r = test_mock_call(m, "GET", path_of(url), NULL, NULL, 0);
    assert_oss_error(&r, 404, "NoSuchKey", "0026-00000001");
    assert_non_null(strstr(r.body, "<Key>accrec_tmp/" SEED_ACID "-7719776.wav</Key>"));
    test_reply_free(&r);
    free(url);
}

#define WITH_MOCK(test) cmocka_unit_test_setup_teardown(test, test_mock_setup, test_mock_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        WITH_MOCK(list_hotline_record),
        WITH_MOCK(handed_on_call_has_two_recordings),
        WITH_MOCK(list_without_recordings),
        WITH_MOCK(list_errors),
        WITH_MOCK(list_variants_and_xml),
        WITH_MOCK(links_follow_the_host),
        WITH_MOCK(record_url),
        WITH_MOCK(record_data),
        WITH_MOCK(describe_record_data),
        WITH_MOCK(message_log),
        WITH_MOCK(links_resolve_to_the_recording),
        WITH_MOCK(links_expire_on_the_mock_clock),
        WITH_MOCK(tampered_links_are_refused),
        WITH_MOCK(links_to_vanished_calls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
