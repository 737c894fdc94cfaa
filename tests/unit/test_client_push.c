/* Unit tests of the push parsers: each vendor's documented push body normalized, a pushed record
 * normalizing exactly as the pulled record of the same call (the mock's own push renderers make
 * the pushed body from every fixture record), and hostile bodies refused with a precise reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/huawei.h"
#include "cdrsim/itnio.h"
#include "cdrsim/vendor.h"
#include "cdrsim/yunfu.h"
#include "testutil.h"
#include "vendor.h" /* the mock's vendors: their push renderers */

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The ITNIO push's documented sample (https://www.itniotech.cn/api/voice/pushVoiceCenterReport/),
 * completed with the table's remaining members. */
static const char itnio_sample[] =
    "{\"agentGroupName\":\"TAOTAO\",\"agentName\":\"0705C049_053\",\"answerTime\":\"2023-11-17 "
    "13:42:33\",\"callDuration\":15,\"callEndTime\":\"2023-11-17 13:42:48\",\"callSessionId\":"
    "\"23111713424802472\",\"callId\":\"23111714122312000001\",\"callStartTime\":\"2023-11-17 "
    "13:42:30\",\"callType\":3,\"called\":\"918613237978737\",\"caller\":\"91778800001\","
    "\"ccode\":\"91\",\"ccodeName\":\"India\",\"hangingDirection\":1,\"hangupCode\":\"200\","
    "\"hangupReason\":1,\"labels\":[\"vip\"],\"remark\":\"\",\"voiceUrl\":"
    "\"agent-call-record-231117/23111713424802472.wav\"}";

/* Yunfu's callback sample (https://docs.longlonglong.cn/api/回调/呼入成功回调数据.html). */
static const char yunfu_sample[] =
    "{\"count\":1,\"data\":[{\"calldate\":\"2025-09-25 21:39:55\",\"answerdate\":\"2025-09-25 "
    "21:39:55\",\"bill\":43,\"duration\":43,\"callid\":\"3e7ff3fb-2e65-4a51-b322-a01db56f8a90\","
    "\"customer_id\":\"794b99dd\",\"master_user_id\":\"40863af8\",\"user_id\":\"40863af8\","
    "\"type\":4,\"intention_results\":1,\"rounds\":2,\"score\":0,\"number_data\":{\"number\":"
    "\"17534989887\",\"hangupdate\":\"2025-09-25 21:40:38\",\"province\":\"山西\",\"city\":"
    "\"晋中\",\"operator\":\"联通\"},\"group\":{\"id\":11032,\"name\":\"cky测试\"},\"task\":{"
    "\"id\":\"cb4a91c2\",\"name\":\"cky呼入任务测试\"},\"user\":{\"id\":\"40863af8\",\"name\":"
    "\"官方系统测试账号\"},\"level\":{\"level_id\":\"7049b435\",\"level_name\":\"评分中\"},"
    "\"tags\":[{\"tag_id\":\"db97dd4e\",\"name\":\"打出来的是什么号码\"}]}]}";

/* The same call as the record list sends it: milliseconds, flat members. */
static const char yunfu_listed[] =
    "{\"id\":\"3e7ff3fb-2e65-4a51-b322-a01db56f8a90\",\"callid\":\"3e7ff3fb-2e65-4a51-b322-"
    "a01db56f8a90\",\"calldate\":\"2025-09-25 21:39:55\",\"answerdate\":\"2025-09-25 21:39:55\","
    "\"hangupdate\":\"2025-09-25 21:40:38\",\"bill\":43000,\"duration\":43000,\"callee\":"
    "\"17534989887\",\"group_id\":11032}";

/* The release callback's members (https://support.huaweicloud.com/intl/en-us/api-cec/
 * cec_07_1319.html), every one a string. */
static const char huawei_sample[] =
    "{\"callSerialNo\":\"1037058396471308289\",\"serviceNo\":\"101\",\"called\":\"88889060\","
    "\"caller\":\"88889050\",\"callerPresent\":\"640003\",\"createCallTime\":\"1621576992000\","
    "\"alertingTime\":\"1621576995000\",\"talkingTime\":\"1621576996000\",\"releaseTime\":"
    "\"1621577022000\",\"talkDuration\":\"26\",\"recordfile\":\"Y:/6/0/20210521/101/1.V3\","
    "\"locationId\":\"256\",\"releaseReason\":\"1\",\"agentAlertingTime\":\"1621576993000\","
    "\"agentTalkingTime\":\"1621576994000\",\"agentReleaseTime\":\"1621577022000\","
    "\"agentTalkDuration\":\"28\"}";

static struct cdr_push parse_ok(const char *vendor, const char *body, size_t len)
{
    struct cdr_push push;
    struct cdr_error_info err = {0};
    cdr_error rc = cdr_push_parse(cdr_vendor_find(vendor), body, len, &push, &err);
    if (rc != CDR_OK)
        fail_msg("%s push refused: %s: %s", vendor, cdr_error_name(rc), err.message);
    return push;
}

typedef cdr_error (*normalize_fn)(const char *json, size_t len, struct cdr_record *out,
                                  struct cdr_error_info *err);

/* pushed is, as normalized JSON, what pulled_json normalizes to. */
static void assert_normalizes_as(const struct cdr_record *pushed, normalize_fn normalize,
                                 const char *pulled_json)
{
    struct cdr_record pulled;
    struct cdr_error_info err = {0};
    assert_int_equal(normalize(pulled_json, strlen(pulled_json), &pulled, &err), CDR_OK);
    char *a = cdr_record_to_json(pushed, 0), *b = cdr_record_to_json(&pulled, 0);
    assert_string_equal(a, b);
    free(a);
    free(b);
    cdr_record_free(&pulled);
}

static void test_itnio_sample(void **state)
{
    (void)state;
    struct cdr_push push = parse_ok("itnio", itnio_sample, strlen(itnio_sample));
    assert_int_equal(push.record_count, 1);
    const struct cdr_record *r = &push.records[0];
    assert_string_equal(r->vendor, "itnio");
    assert_string_equal(r->id, "23111713424802472");
    assert_string_equal(r->call_id, "23111713424802472");
    assert_string_equal(r->agent, "0705C049_053");
    assert_string_equal(r->group, "TAOTAO");
    assert_string_equal(r->caller, "91778800001");
    assert_string_equal(r->callee, "918613237978737");
    assert_int_equal(r->direction, CDR_DIRECTION_OUTBOUND);
    assert_int_equal(r->hangup_by, CDR_HANGUP_AGENT);
    assert_int_equal(r->start_time, china_time(2023, 11, 17, 13, 42, 30));
    assert_int_equal(r->answer_time, china_time(2023, 11, 17, 13, 42, 33));
    assert_int_equal(r->end_time, china_time(2023, 11, 17, 13, 42, 48));
    assert_int_equal(r->talk_seconds, 15);
    assert_int_equal(r->ring_seconds, CDR_SECONDS_NONE);
    assert_int_equal(r->recording_url_count, 1);
    assert_string_equal(r->recording_urls[0], "agent-call-record-231117/23111713424802472.wav");
    /* raw_json is the object as pushed, not the renamed copy */
    assert_non_null(strstr(r->raw_json, "\"agentName\":\"0705C049_053\""));
    assert_null(strstr(r->raw_json, "seatName"));
    cdr_push_free(&push);
    assert_int_equal(push.record_count, 0);
}

static void test_itnio_system_hangup(void **state)
{
    (void)state;
    static const char body[] = "{\"callSessionId\":42,\"hangingDirection\":\"3\",\"callType\":2,"
                               "\"answerTime\":\"\",\"callDuration\":0}";
    struct cdr_push push = parse_ok("itnio", body, strlen(body));
    assert_string_equal(push.records[0].id, "42");
    assert_int_equal(push.records[0].hangup_by, CDR_HANGUP_SYSTEM);
    assert_int_equal(push.records[0].direction, CDR_DIRECTION_INBOUND);
    assert_int_equal(push.records[0].answer_time, CDR_TIME_NONE);
    assert_int_equal(push.records[0].talk_seconds, 0);
    cdr_push_free(&push);
}

static void test_yunfu_sample_in_seconds(void **state)
{
    (void)state;
    struct cdr_push push = parse_ok("yunfu", yunfu_sample, strlen(yunfu_sample));
    assert_int_equal(push.record_count, 1);
    const struct cdr_record *r = &push.records[0];
    assert_int_equal(r->talk_seconds, 43); /* 43 seconds, not 43 ms rounded to 0 */
    assert_string_equal(r->callee, "17534989887");
    assert_string_equal(r->group, "11032");
    assert_int_equal(r->start_time, china_time(2025, 9, 25, 21, 39, 55));
    assert_int_equal(r->end_time, china_time(2025, 9, 25, 21, 40, 38));
    assert_non_null(strstr(r->raw_json, "\"bill\":43,"));

    assert_normalizes_as(r, cdr_yunfu_normalize_json, yunfu_listed);
    cdr_push_free(&push);
}

static void test_yunfu_batch(void **state)
{
    (void)state;
    static const char body[] =
        "{\"count\":3,\"data\":[{\"callid\":\"a\",\"bill\":0,\"duration\":12,\"answerdate\":null},"
        "{\"callid\":\"b\",\"id\":\"list-id-b\",\"bill\":\"7\"},{\"callid\":\"c\"}]}";
    struct cdr_push push = parse_ok("yunfu", body, strlen(body));
    assert_int_equal(push.record_count, 3);
    assert_string_equal(push.records[0].id, "a");
    assert_int_equal(push.records[0].ring_seconds, 12); /* never answered: rang 12 s */
    assert_string_equal(push.records[1].id, "list-id-b");
    assert_int_equal(push.records[1].talk_seconds, 7);
    assert_string_equal(push.records[2].call_id, "c");
    cdr_push_free(&push);

    static const char empty[] = "{\"count\":0,\"data\":[]}";
    push = parse_ok("yunfu", empty, strlen(empty));
    assert_int_equal(push.record_count, 0);
    cdr_push_free(&push);
}

static void test_huawei_sample(void **state)
{
    (void)state;
    struct cdr_push push = parse_ok("huawei", huawei_sample, strlen(huawei_sample));
    assert_int_equal(push.record_count, 1);
    const struct cdr_record *r = &push.records[0];
    assert_string_equal(r->id, "1037058396471308289");
    assert_string_equal(r->callee, "88889060");
    assert_int_equal(r->direction, CDR_DIRECTION_OUTBOUND);
    assert_int_equal(r->hangup_by, CDR_HANGUP_AGENT); /* 1: the caller (the agent) hung up */
    assert_int_equal(r->start_time, 1621576992);
    assert_int_equal(r->answer_time, 1621576996);
    assert_int_equal(r->end_time, 1621577022);
    assert_int_equal(r->ring_seconds, 1);
    assert_int_equal(r->talk_seconds, 26);

    /* the history record of the same call normalizes alike */
    static const char history[] =
        "{\"callSerialNo\":\"1037058396471308289\",\"caller\":\"88889050\",\"called\":\"88889060\","
        "\"startTime\":1621576992000,\"endTime\":1621577022000,\"alertingTime\":1621576995000,"
        "\"talkingTime\":1621576996000,\"talkDuration\":26,\"reasonCode\":1,\"state\":3}";
    assert_normalizes_as(r, cdr_huawei_history_normalize_json, history);
    cdr_push_free(&push);
}

/* ---- pushed and pulled alike: the mock's renderers over every fixture record ----------------- */

/* What a vendor's push carries of the normalized record: the members it lacks are blanked on
 * both sides before comparing. */
struct push_pull {
    const char *vendor;
    const char *fixture; /* the records as the vendor's query answers them */
    normalize_fn pulled; /* how the client normalizes a pulled record */
    bool id_differs;     /* the push names the record by another id (ITNIO: callSessionId) */
    bool no_ring;        /* the push has no ringing time */
    bool first_url_only; /* the push carries one recording URL of the query's list */
};

static const struct push_pull push_pull[] = {
    {"itnio", "itnio/records.json", cdr_itnio_normalize_json, true, true, true},
};

static const struct mock_vendor_push *mock_push_of(const char *vendor)
{
    for (size_t i = 0; mock_vendors[i]; i++)
        if (strcmp(mock_vendors[i]->id, vendor) == 0)
            return mock_vendors[i]->push;
    return NULL;
}

static char *comparable(struct cdr_record *r, const struct push_pull *pp)
{
    if (pp->id_differs) {
        free(r->id);
        r->id = NULL;
    }
    if (pp->no_ring)
        r->ring_seconds = CDR_SECONDS_NONE;
    if (pp->first_url_only)
        while (r->recording_url_count > 1)
            free(r->recording_urls[--r->recording_url_count]);
    return cdr_record_to_json(r, 0);
}

static void test_pushed_as_pulled(void **state)
{
    (void)state;
    for (size_t v = 0; v < ARRAY_LEN(push_pull); v++) {
        const struct push_pull *pp = &push_pull[v];
        const struct mock_vendor_push *render = mock_push_of(pp->vendor);
        assert_non_null(render);
        char *path = test_format("%s/%s", FIXTURES_DIR, pp->fixture);
        cJSON *records = test_load_json(path);
        free(path);
        const cJSON *rec;
        int n = 0;
        cJSON_ArrayForEach(rec, records) {
            char *text = cJSON_PrintUnformatted(rec);
            struct cdr_record pulled;
            struct cdr_error_info err = {0};
            if (pp->pulled(text, strlen(text), &pulled, &err) != CDR_OK)
                fail_msg("%s record %d: %s", pp->vendor, n, err.message);
            cJSON *one = cJSON_CreateArray();
            cJSON_AddItemReferenceToArray(one, (cJSON *)rec);
            char *body = render->render(NULL, one); /* ITNIO's renderer reads no state */
            cJSON_Delete(one);
            assert_non_null(body);
            struct cdr_push push = parse_ok(pp->vendor, body, strlen(body));
            assert_int_equal(push.record_count, 1);
            char *want = comparable(&pulled, pp), *got = comparable(&push.records[0], pp);
            if (strcmp(want, got) != 0)
                fail_msg("%s record %d:\npulled %s\npushed %s\nbody   %s", pp->vendor, n, want, got,
                         body);
            free(want);
            free(got);
            free(body);
            free(text);
            cdr_push_free(&push);
            cdr_record_free(&pulled);
            n++;
        }
        assert_true(n > 0);
        cJSON_Delete(records);
    }
}

/* ---- the generic call and the descriptor ---------------------------------------------------- */

static void test_vendor_without_push(void **state)
{
    (void)state;
    const struct cdr_vendor *aliyun = cdr_vendor_find("aliyun");
    assert_false(cdr_vendor_has_call(aliyun, "push"));
    assert_null(cdr_push_reply_of(aliyun));
    struct cdr_push push = {(struct cdr_record *)&push, 7};
    struct cdr_error_info err = {0};
    assert_int_equal(cdr_push_parse(aliyun, "{}", 2, &push, &err), CDR_ERR_INVALID_ARGUMENT);
    assert_string_equal(err.message, "aliyun does not push records");
    assert_null(push.records);
    assert_int_equal(push.record_count, 0);
    for (const char *const *id = (const char *const[]){"itnio", "yunfu", "huawei", NULL}; *id;
         id++) {
        const struct cdr_vendor *v = cdr_vendor_find(*id);
        assert_true(cdr_vendor_has_call(v, "push"));
        const struct cdr_push_reply *reply = cdr_push_reply_of(v);
        assert_non_null(reply);
        assert_int_equal(reply->status, 200);
        test_assert_prefix(reply->source, "https://");
    }
}

/* ---- hostile bodies ------------------------------------------------------------------------- */

struct hostile {
    const char *vendor;
    const char *body;
    size_t len; /* 0: strlen(body) */
    const char *message;
};

static const char nul_inside[] = "{\"callSessionId\":\"1\"}\0{}";

static const struct hostile hostile[] = {
    {"itnio", "", 0, "push body is empty"},
    {"itnio", " \r\n ", 0, "push body is empty"},
    {"itnio", "{\"callSessionId\":\"1\",\"caller\":\"12", 0,
     "push body ends early (33 bytes, an object, array or string left open)"},
    {"itnio", "{\"callSessionId\":\"1\",", 0, "push body ends early (21 bytes"},
    {"itnio", "{\"callSessionId\" \"1\"}", 0, "push body is not JSON (byte 18 of 21)"},
    {"itnio", "{\"callSessionId\":\"1\",\"callDuration\":1", 0, "push body ends early"},
    {"itnio", "{\"callSessionId\":\"1\"}}", 0, "push body is not JSON"},
    {"itnio", "{\"callSessionId\":\"1\"} {}", 0, "push body is not JSON"},
    {"itnio", nul_inside, sizeof(nul_inside) - 1, "push body is not JSON"},
    {"itnio", "{\"callSessionId\":\"\xff\"}", 0, "is not valid UTF-8"},
    {"itnio", "[{\"callSessionId\":\"1\"}]", 0,
     "push body is an array: ITNIO pushes one record object per request"},
    {"itnio", "\"text\"", 0, "record is a string, not an object"},
    {"itnio", "{}", 0, "record lacks the required callSessionId"},
    {"itnio", "{\"callSessionId\":null}", 0, "record lacks the required callSessionId (null)"},
    {"itnio", "{\"callSessionId\":\"\"}", 0, "record lacks the required callSessionId (empty)"},
    {"itnio", "{\"callSessionId\":{}}", 0,
     "record.callSessionId is an object, not a string or a "
     "number"},
    {"itnio", "{\"callSessionId\":\"1\",\"callDuration\":\"long\"}", 0,
     "record.callDuration is a string, not an integer"},
    {"itnio", "{\"callSessionId\":\"1\",\"callDuration\":1.5}", 0,
     "record.callDuration is a number, not an integer"},
    {"itnio", "{\"callSessionId\":\"1\",\"callType\":true}", 0,
     "record.callType is a boolean, not an integer"},
    {"itnio", "{\"callSessionId\":\"1\",\"labels\":\"vip\"}", 0,
     "record.labels is a string, not an array of strings"},
    {"itnio", "{\"callSessionId\":\"1\",\"labels\":[\"vip\",3]}", 0,
     "record.labels is an array, not an array of strings"},
    {"itnio", "{\"callSessionId\":\"1\",\"agentName\":7}", 0,
     "record.agentName is a number, not a string"},
    {"itnio", "{\"callSessionId\":\"1\",\"callStartTime\":\"yesterday\"}", 0,
     "record 1: callStartTime is not a time"},
    {"itnio", "{\"callSessionId\":\"1\",\"callEndTime\":\"2023-13-45 99:00:00\"}", 0,
     "record 1: calledHangupTime is not a time"},
    {"yunfu", "[]", 0, "push body is an array, not an object"},
    {"yunfu", "{\"data\":[]}", 0, "push body lacks the required count"},
    {"yunfu", "{\"count\":\"one\",\"data\":[]}", 0, "push body.count is a string, not an integer"},
    {"yunfu", "{\"count\":1}", 0, "push body's data is missing, not an array"},
    {"yunfu", "{\"count\":1,\"data\":null}", 0, "push body's data is null, not an array"},
    {"yunfu", "{\"count\":1,\"data\":{\"callid\":\"a\"}}", 0,
     "push body's data is not an array, not an array"},
    {"yunfu", "{\"count\":2,\"data\":[{\"callid\":\"a\"}]}", 0,
     "push body's count is 2 but data holds 1 records"},
    {"yunfu", "{\"count\":-1,\"data\":[]}", 0, "push body's count is -1 but data holds 0 records"},
    {"yunfu", "{\"count\":1,\"data\":[{\"bill\":3}]}", 0, "data[0] lacks the required callid"},
    {"yunfu", "{\"count\":2,\"data\":[{\"callid\":\"a\"},7]}", 0,
     "data[1] is a number, not an "
     "object"},
    {"yunfu", "{\"count\":1,\"data\":[{\"callid\":\"a\",\"bill\":\"43s\"}]}", 0,
     "data[0].bill is a string, not an integer"},
    {"yunfu", "{\"count\":1,\"data\":[{\"callid\":\"a\",\"bill\":9223372036854775807}]}", 0,
     "data[0].bill is 9223372036854775807 seconds, more than any call lasts"},
    {"yunfu", "{\"count\":1,\"data\":[{\"callid\":\"a\",\"number_data\":\"x\"}]}", 0,
     "data[0].number_data is a string, not an object"},
    {"yunfu", "{\"count\":1,\"data\":[{\"callid\":\"a\",\"number_data\":{\"number\":[]}}]}", 0,
     "data[0].number_data.number is an array, not a string or a number"},
    {"yunfu", "{\"count\":1,\"data\":[{\"callid\":\"a\",\"group\":{\"id\":{}}}]}", 0,
     "data[0].group.id is an object, not a string or a number"},
    {"yunfu", "{\"count\":1,\"data\":[{\"callid\":\"a\",\"calldate\":\"2025-02-30 x\"}]}", 0,
     "calldate is not a time"},
    {"yunfu", "{\"count\":1,\"data\":[{\"callid\":\"a\"}],\"count\":1", 0, "push body ends early"},
    {"huawei", "{\"serviceNo\":\"101\",\"called\":\"1\"}", 0,
     "release callback lacks the required callSerialNo"},
    {"huawei", "{\"callSerialNo\":\"1\",\"called\":\"1\"}", 0,
     "release callback lacks the required serviceNo"},
    {"huawei", "{\"callSerialNo\":\"1\",\"serviceNo\":\"101\"}", 0,
     "release callback lacks the required called"},
    {"huawei",
     "{\"callSerialNo\":\"1\",\"serviceNo\":\"101\",\"called\":\"1\",\"talkingTime\":"
     "\"noon\"}",
     0, "release callback.talkingTime is a string, not an integer"},
    {"huawei",
     "{\"callSerialNo\":\"1\",\"serviceNo\":\"101\",\"called\":\"1\",\"releaseReason\":"
     "[1]}",
     0, "release callback.releaseReason is an array, not an integer"},
    {"huawei", "{\"callSerialNo\":\"1\",\"serviceNo\":true,\"called\":\"1\"}", 0,
     "release callback.serviceNo is a boolean, not a string or a number"},
};

static void test_hostile_bodies(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(hostile); i++) {
        const struct hostile *h = &hostile[i];
        struct cdr_push push;
        struct cdr_error_info err = {0};
        size_t len = h->len ? h->len : strlen(h->body);
        cdr_error rc = cdr_push_parse(cdr_vendor_find(h->vendor), h->body, len, &push, &err);
        if (rc != CDR_ERR_MALFORMED_RESPONSE || !strstr(err.message, h->message))
            fail_msg("case %zu (%s %s): got %s \"%s\", want malformed_response \"%s\"", i,
                     h->vendor, h->body, cdr_error_name(rc), err.message, h->message);
        assert_null(push.records);
        assert_int_equal(push.record_count, 0);
    }
}

/* Every prefix of a valid body is refused (never a crash, never a record). */
static void test_every_truncation(void **state)
{
    (void)state;
    const struct {
        const char *vendor, *body;
    } bodies[] = {{"itnio", itnio_sample}, {"yunfu", yunfu_sample}, {"huawei", huawei_sample}};
    for (size_t b = 0; b < ARRAY_LEN(bodies); b++) {
        size_t full = strlen(bodies[b].body);
        for (size_t len = 0; len < full; len++) {
            struct cdr_push push;
            struct cdr_error_info err = {0};
            cdr_error rc =
                cdr_push_parse(cdr_vendor_find(bodies[b].vendor), bodies[b].body, len, &push, &err);
            if (rc != CDR_ERR_MALFORMED_RESPONSE)
                fail_msg("%s cut at %zu of %zu: %s", bodies[b].vendor, len, full,
                         cdr_error_name(rc));
            assert_int_equal(push.record_count, 0);
        }
    }
}

/* A string holding "\u0000" survives the copy each parser makes to rename members: its raw JSON
 * keeps every byte (a plain cJSON_Duplicate kept the length but cut the bytes, and the printer
 * read past them). */
static void test_nul_in_strings(void **state)
{
    (void)state;
    const struct {
        const char *vendor, *body, *kept;
    } cases[] = {
        {"yunfu",
         "{\"count\":1,\"data\":[{\"callid\":\"a\\u0000b\",\"number_data\":{\"number\":"
         "\"1\\u0000\"},\"group\":{\"id\":\"g\\u0000\"},\"bill\":2}]}",
         "\"callid\":\"a\\u0000b\""},
        {"itnio", "{\"callSessionId\":\"s\\u0000t\",\"agentName\":\"x\\u0000\"}",
         "\"callSessionId\":\"s\\u0000t\""},
        {"huawei",
         "{\"callSerialNo\":\"1\\u00002\",\"serviceNo\":\"101\",\"called\":\"8\\u00009\"}",
         "\"called\":\"8\\u00009\""},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct cdr_push push;
        struct cdr_error_info err = {0};
        cdr_error rc = cdr_push_parse(cdr_vendor_find(cases[i].vendor), cases[i].body,
                                      strlen(cases[i].body), &push, &err);
        if (rc != CDR_OK)
            fail_msg("%s: %s: %s", cases[i].vendor, cdr_error_name(rc), err.message);
        assert_int_equal(push.record_count, 1);
        if (!strstr(push.records[0].raw_json, cases[i].kept))
            fail_msg("%s raw JSON %s lacks %s", cases[i].vendor, push.records[0].raw_json,
                     cases[i].kept);
        cdr_push_free(&push);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_itnio_sample),
        cmocka_unit_test(test_itnio_system_hangup),
        cmocka_unit_test(test_yunfu_sample_in_seconds),
        cmocka_unit_test(test_yunfu_batch),
        cmocka_unit_test(test_huawei_sample),
        cmocka_unit_test(test_pushed_as_pulled),
        cmocka_unit_test(test_vendor_without_push),
        cmocka_unit_test(test_hostile_bodies),
        cmocka_unit_test(test_every_truncation),
        cmocka_unit_test(test_nul_in_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
