/* The Huawei simulator in-process: callinfo (current call, last call under both meanings of
 * isNoContainLastCall), callinfobycallid, holdlist, the admin endpoints that drive calls, the
 * built-in scenario, reset, and the call history (fixture and generator). Expected values are
 * read from fixtures/huawei directly or written out by hand, never taken from the mock. */
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

#include "cdrsim/buf.h"
#include "server.h"
#include "testutil.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define SECOND 1000LL
#define DATA "/agentgateway/resource/calldata/"
#define ADMIN "/__cdrsim/huawei/agents/"

static int64_t t0_ms(void)
{
    return china_time(2025, 5, 1, 8, 0, 0) * SECOND; /* 2025-05-01T00:00:00Z */
}

/* The Guid of the last sign_in. */
static char guid[96];

static struct test_mock *start(void **state, const char *const *variants)
{
    return test_mock_fixture_start(state, FIXTURES_DIR, t0_ms(), variants);
}

static void start_generated(void **state, int64_t n, uint64_t seed)
{
    struct test_mock_fixture *fx = *state;
    test_mock_start_generated(&fx->mock, FIXTURES_DIR, t0_ms(), NULL, "huawei", n, seed);
    fx->started = true;
}

/* Signs the agent in; its Guid goes to guid. */
static void sign_in(void **state, const char *agent)
{
    struct test_mock_fixture *fx = *state;
    char path[96], password[64], body[160];
    snprintf(path, sizeof(path), "/agentgateway/resource/onlineagent/%s", agent);
    snprintf(password, sizeof(password), "demo-pass-%s", agent);
    snprintf(body, sizeof(body), "{\"password\":\"%s\",\"phonenum\":\"70000\"}", password);
    struct test_reply r = test_mock_call(&fx->mock, "PUT", path, NULL, body, strlen(body));
    assert_string_equal(json_str_at(r.json, "retcode"), "0");
    assert_true(test_reply_header(&r, "Guid", guid, sizeof(guid)));
    test_reply_free(&r);
}

static struct test_reply get(void **state, const char *path)
{
    struct test_mock_fixture *fx = *state;
    char header[128];
    snprintf(header, sizeof(header), "Guid: %s", guid);
    const char *const headers[] = {header, NULL};
    return test_mock_call(&fx->mock, "GET", path, headers, NULL, 0);
}

static struct test_reply poll_event(void **state, const char *agent)
{
    struct test_mock_fixture *fx = *state;
    char path[96], header[128];
    snprintf(path, sizeof(path), "/agentgateway/resource/agentevent/%s", agent);
    snprintf(header, sizeof(header), "Guid: %s", guid);
    const char *const headers[] = {header, NULL};
    int retries;
    return test_mock_call_polling(&fx->mock, "GET", path, headers, &retries);
}

static struct test_reply admin(void **state, const char *method, const char *path, const char *body)
{
    struct test_mock_fixture *fx = *state;
    return test_mock_call(&fx->mock, method, path, NULL, body, body ? strlen(body) : 0);
}

static void advance(void **state, int64_t ms)
{
    struct test_mock_fixture *fx = *state;
    mock_clock_advance_ms(&fx->mock.server->clock, ms);
}

/* The next event of the agent is exactly this type and content (JSON text). */
static void expect_event(void **state, const char *agent, const char *type, const char *content)
{
    struct test_reply e = poll_event(state, agent);
    char *body = test_format(
        "{\"message\":\"\",\"retcode\":\"0\",\"event\":{\"eventType\":\"%s\",\"workNo\":\"%s\","
        "\"content\":%s}}",
        type, agent, content);
    assert_string_equal(e.body, body);
    free(body);
    test_reply_free(&e);
}

/* "{"message":"","retcode":"0","result":<result>}" */
static void expect_result(const struct test_reply *r, const char *result)
{
    char *body = test_format("{\"message\":\"\",\"retcode\":\"0\",\"result\":%s}", result);
    assert_int_equal(r->status, 200);
    assert_string_equal(r->body, body);
    free(body);
}

/* ---- reading the fixture independently ------------------------------------------------------- */

/* The fixture's line for the agent's latest call (records.json holds one compact record per
 * line), as written in the file. Caller frees. */
static char *latest_fixture_line(int64_t agent, char callid[64])
{
    char *text = test_read_file(FIXTURES_DIR "/huawei/records.json", NULL);
    char *best = NULL;
    double best_begin = -1;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        size_t len = strlen(line);
        if (len && line[len - 1] == ',')
            line[--len] = '\0';
        cJSON *r = cJSON_Parse(line);
        if (!cJSON_IsObject(r)) {
            cJSON_Delete(r);
            continue;
        }
        const cJSON *device = json_at(r, "trace.deviceNo"), *begin = json_at(r, "begintime");
        if (cJSON_IsNumber(device) && (int64_t)device->valuedouble == agent &&
            cJSON_IsNumber(begin) && begin->valuedouble > best_begin) {
            best_begin = begin->valuedouble;
            free(best);
            best = strdup(line);
            snprintf(callid, 64, "%s", json_str_at(r, "callid"));
        }
        cJSON_Delete(r);
    }
    free(text);
    assert_non_null(best);
    return best;
}

/* The record as the last-call answer: the five trace fields the docs call unqueryable are null. */
static cJSON *as_last_call(const char *line)
{
    cJSON *r = cJSON_Parse(line);
    assert_non_null(r);
    cJSON *trace = cJSON_GetObjectItemCaseSensitive(r, "trace");
    static const char *const blank[] = {"waitEndTime", "answerEndTime", "talkEndTime",
                                        "leaveReason", "leaveReasonDesc"};
    for (size_t i = 0; i < ARRAY_LEN(blank); i++)
        assert_true(cJSON_ReplaceItemInObjectCaseSensitive(trace, blank[i], cJSON_CreateNull()));
    return r;
}

/* Whether two objects have the same keys in the same order, nested objects too. */
static void expect_same_keys(const cJSON *a, const cJSON *b)
{
    const cJSON *x = a->child, *y = b->child;
    for (; x && y; x = x->next, y = y->next) {
        assert_string_equal(x->string, y->string);
        if (cJSON_IsObject(x) && cJSON_IsObject(y))
            expect_same_keys(x, y);
    }
    /* Both end together: otherwise the first key only one side has is named. */
    assert_string_equal(x ? x->string : "(no more keys)", y ? y->string : "(no more keys)");
}

static cJSON *seed_example(void)
{
    char *text = test_read_file(FIXTURES_DIR "/huawei/examples/callinfo_response.json", NULL);
    cJSON *root = cJSON_Parse(text);
    free(text);
    assert_non_null(root);
    return root;
}

/* ---- callinfo -------------------------------------------------------------------------------- */

static void test_scenario_live_call(void **state)
{
    start(state, NULL);
    sign_in(state, "2005");
    struct test_reply r = get(state, DATA "2005/callinfo");
    /* The seed example's own agent device (2005, VDN 214), talking for 42 s after 4 s of ringing
     * when the mock's clock started. */
    long long b = (long long)(t0_ms() - 46 * SECOND), t = (long long)(t0_ms() - 42 * SECOND);
    char *call = test_format(
        "{\"callfeature\":0,\"callid\":\"%lld-1\",\"caller\":\"70004\",\"called\":"
        "\"60015\",\"callskill\":\"voice\","
        "\"callskillid\":20011,\"orgicallednum\":\"\",\"calldata\":\"\",\"begintime\":%"
        "lld,\"endtime\":null,"
        "\"userPriority\":0,\"trunkNo\":65535,\"logontimes\":0,\"mediaType\":5,"
        "\"mediaAbility\":1,\"waitTime\":0,"
        "\"trace\":{\"waitBeginTime\":%lld,\"waitEndTime\":%lld,\"answerBeginTime\":%"
        "lld,\"answerEndTime\":%lld,"
        "\"talkBeginTime\":%lld,\"talkEndTime\":null,\"deviceNo\":2005,\"deviceType\":2,"
        "\"callDirectMode\":\"NORMAL_DIRECT\",\"enterReason\":0,\"enterReasonDesc\":"
        "\"Normal reason\","
        "\"leaveReason\":null,\"leaveReasonDesc\":null,\"vdnId\":214}}",
        b / 1000, b, b, b, b, t, t);
    expect_result(&r, call);
    /* The seed page's shape, key for key. */
    cJSON *seed = seed_example();
    expect_same_keys(json_at(seed, "result"), json_at(r.json, "result"));
    cJSON_Delete(seed);
    test_reply_free(&r);
    /* A current call is the answer whatever the flag says. */
    r = get(state, DATA "2005/callinfo?isNoContainLastCall=true");
    expect_result(&r, call);
    test_reply_free(&r);
    r = get(state, DATA "2005/callinfo?isNoContainLastCall=false");
    expect_result(&r, call);
    test_reply_free(&r);
    free(call);
}

static void test_last_call_doc_meaning(void **state)
{
    start(state, NULL); /* lastcall_flag=doc, lastcall_trace=blank */
    sign_in(state, "292");
    char callid[64];
    char *line = latest_fixture_line(292, callid);
    cJSON *expected = as_last_call(line);

    struct test_reply r = get(state, DATA "292/callinfo");
    expect_result(&r, "null");
    test_reply_free(&r);
    r = get(state, DATA "292/callinfo?isNoContainLastCall=false");
    expect_result(&r, "null");
    test_reply_free(&r);
    r = get(state, DATA "292/callinfo?isNoContainLastCall=");
    expect_result(&r, "null");
    test_reply_free(&r);
    static const char *const yes[] = {DATA "292/callinfo?isNoContainLastCall=true",
                                      DATA "292/callinfo?isNoContainLastCall=TRUE"};
    for (size_t i = 0; i < ARRAY_LEN(yes); i++) {
        r = get(state, yes[i]);
        assert_string_equal(json_str_at(r.json, "retcode"), "0");
        assert_string_equal(json_str_at(r.json, "result.callid"), callid);
        assert_true(cJSON_Compare(json_at(r.json, "result"), expected, true));
        expect_same_keys(json_at(r.json, "result"), expected);
        assert_true(cJSON_IsNull(json_at(r.json, "result.trace.talkEndTime")));
        assert_true(cJSON_IsNumber(json_at(r.json, "result.endtime")));
        test_reply_free(&r);
    }
    static const char *const bad[] = {"yes", "1", "0", "truee", "%20true"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        char path[128];
        snprintf(path, sizeof(path), DATA "292/callinfo?isNoContainLastCall=%s", bad[i]);
        r = get(state, path);
        assert_string_equal(r.body, "{\"retcode\":\"000-002\",\"message\":\"The URL parameter or "
                                    "interface parameter is invalid.\",\"result\":\"\"}");
        test_reply_free(&r);
    }
    cJSON_Delete(expected);
    free(line);
}

static void test_last_call_name_meaning(void **state)
{
    const char *const variants[] = {"huawei.lastcall_flag=name", NULL};
    start(state, variants);
    sign_in(state, "292");
    char callid[64];
    char *line = latest_fixture_line(292, callid);
    static const struct {
        const char *query;
        bool last;
    } cases[] = {
        {"", true}, {"?isNoContainLastCall=false", true}, {"?isNoContainLastCall=true", false}};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char path[128];
        snprintf(path, sizeof(path), DATA "292/callinfo%s", cases[i].query);
        struct test_reply r = get(state, path);
        if (cases[i].last)
            assert_string_equal(json_str_at(r.json, "result.callid"), callid);
        else
            expect_result(&r, "null");
        test_reply_free(&r);
    }
    free(line);
}

static void test_last_call_full_trace_variant(void **state)
{
    const char *const variants[] = {"huawei.lastcall_trace=full", NULL};
    start(state, variants);
    sign_in(state, "293");
    char callid[64];
    char *line = latest_fixture_line(293, callid);
    struct test_reply r = get(state, DATA "293/callinfo?isNoContainLastCall=true");
    expect_result(&r, line); /* the fixture's record byte for byte */
    test_reply_free(&r);
    free(line);
}

static void test_no_history_no_last_call(void **state)
{
    start_generated(state, 0, 1);
    sign_in(state, "292");
    struct test_reply r = get(state, DATA "292/callinfo?isNoContainLastCall=true");
    expect_result(&r, "null");
    test_reply_free(&r);
    r = get(state, DATA "292/holdlist");
    expect_result(&r, "[]");
    test_reply_free(&r);
}

/* ---- calls driven through the admin endpoints ------------------------------------------------ */

static void test_admin_call_lifecycle(void **state)
{
    start(state, NULL);
    sign_in(state, "292");
    struct test_reply e = poll_event(state, "292"); /* the sign-in event */
    test_reply_free(&e);

    static const char first[] =
        "{\"callfeature\":7,\"caller\":60015,\"called\":\"13800000000\","
        "\"callskill\":\"outbound\",\"callskillid\":20020,\"ring_seconds\":5}";
    struct test_reply r = admin(state, "POST", ADMIN "292/calls", first);
    assert_int_equal(r.status, 201);
    char *started = strdup(r.body);
    long long begin = (long long)(t0_ms() - 5 * SECOND);
    assert_int_equal(json_int_at(r.json, "begintime"), begin);
    assert_int_equal(json_int_at(r.json, "trace.talkBeginTime"), t0_ms());
    assert_string_equal(json_str_at(r.json, "caller"),
                        "60015"); /* an integer becomes the string form */
    assert_int_equal(json_int_at(r.json, "trace.deviceNo"), 292);
    assert_true(cJSON_IsNull(json_at(r.json, "endtime")));
    char held_id[64];
    snprintf(held_id, sizeof(held_id), "%s", json_str_at(r.json, "callid"));
    char prefix[32];
    snprintf(prefix, sizeof(prefix), "%lld-", begin / 1000);
    assert_int_equal(strncmp(held_id, prefix, strlen(prefix)), 0);
    test_reply_free(&r);

    /* The documented event contents: every value a string, in each page's order. */
    char *content = test_format(
        "{\"caller\":\"60015\",\"transfer\":\"no\",\"callid\":\"%s\",\"transfrom\":\"\","
        "\"called\":\"13800000000\",\"type\":\"main\",\"mediaAbility\":\"1\",\"feature\":\"7\"}",
        held_id);
    expect_event(state, "292", "AgentEvent_Ringing", content);
    free(content);
    content = test_format("{\"caller\":\"60015\",\"callid\":\"%s\",\"called\":\"13800000000\","
                          "\"feature\":\"7\",\"type\":\"main\",\"mediaAbility\":\"1\"}",
                          held_id);
    expect_event(state, "292", "AgentEvent_Talking", content);
    free(content);
    /* Recorded: where the file is, as recordfile takes it (talk began 2025-05-01 08:00 China). */
    e = poll_event(state, "292");
    assert_string_equal(json_str_at(e.json, "event.eventType"), "AgentMediaEvent_Record");
    char *file = test_format("Y:/1/0/20250501/20020/%s.V3", held_id);
    assert_string_equal(json_str_at(e.json, "event.content.fileName"), file);
    free(file);
    assert_string_equal(json_str_at(e.json, "event.content.callId"), held_id);
    assert_string_equal(json_str_at(e.json, "event.content.caller"), "60015");
    assert_string_equal(json_str_at(e.json, "event.content.called"), "13800000000");
    assert_string_equal(json_str_at(e.json, "event.content.recordID"),
                        "Yc1v1a20020d20250501t0800000");
    assert_string_equal(json_str_at(e.json, "event.content.fileMediaType"), "1");
    assert_true(cJSON_IsNumber(json_at(e.json, "event.content.taskId")));
    test_reply_free(&e);
    r = get(state, DATA "292/callinfo");
    expect_result(&r, started);
    test_reply_free(&r);

    r = admin(state, "POST", ADMIN "292/calls", "{}");
    assert_int_equal(r.status, 409);
    test_reply_free(&r);

    /* Hold: out of callinfo, into the hold list. */
    advance(state, 30 * SECOND);
    r = admin(state, "POST", ADMIN "292/hold", NULL);
    assert_int_equal(r.status, 200);
    char *held = strdup(r.body);
    assert_string_equal(json_str_at(r.json, "trace.callDirectMode"), "KEEP_DIRECT");
    assert_int_equal(json_int_at(r.json, "trace.leaveReason"), 18);
    assert_string_equal(json_str_at(r.json, "trace.leaveReasonDesc"), "The call is held.");
    assert_true(cJSON_IsNull(json_at(r.json, "endtime")));
    test_reply_free(&r);
    content = test_format("{\"callId\":\"%s\"}", held_id);
    expect_event(state, "292", "AgentEvent_Hold", content);
    free(content);
    r = get(state, DATA "292/callinfo");
    expect_result(&r, "null");
    test_reply_free(&r);
    char *list = test_format("[%s]", held);
    r = get(state, DATA "292/holdlist");
    expect_result(&r, list);
    test_reply_free(&r);
    r = admin(state, "GET", ADMIN "292/hold", NULL);
    assert_string_equal(r.body, list);
    test_reply_free(&r);

    /* Without a body: the seed page's example call. Then the agent hangs up a minute later. */
    r = admin(state, "POST", ADMIN "292/calls", "{\"recorded\":false}");
    assert_int_equal(r.status, 201);
    test_reply_free(&r);
    r = admin(state, "POST", ADMIN "292/hold", NULL); /* a second held call */
    assert_int_equal(r.status, 200);
    char second_held[64];
    snprintf(second_held, sizeof(second_held), "%s", json_str_at(r.json, "callid"));
    test_reply_free(&r);
    e = poll_event(state, "292"); /* not recorded: Ringing, Talking, Hold */
    assert_string_equal(json_str_at(e.json, "event.eventType"), "AgentEvent_Ringing");
    test_reply_free(&e);
    e = poll_event(state, "292");
    assert_string_equal(json_str_at(e.json, "event.eventType"), "AgentEvent_Talking");
    test_reply_free(&e);
    e = poll_event(state, "292");
    assert_string_equal(json_str_at(e.json, "event.eventType"), "AgentEvent_Hold");
    assert_string_equal(json_str_at(e.json, "event.content.callId"), second_held);
    test_reply_free(&e);
    r = admin(state, "POST", ADMIN "292/calls", NULL);
    assert_int_equal(r.status, 201);
    assert_string_equal(json_str_at(r.json, "caller"), "70004");
    assert_string_equal(json_str_at(r.json, "called"), "60015");
    assert_int_equal(json_int_at(r.json, "callskillid"), 20011);
    char ended_id[64];
    snprintf(ended_id, sizeof(ended_id), "%s", json_str_at(r.json, "callid"));
    assert_string_not_equal(ended_id, held_id);
    test_reply_free(&r);
    for (const char *type = "AgentEvent_Ringing"; type;
         type = strcmp(type, "AgentEvent_Ringing") == 0   ? "AgentEvent_Talking"
                : strcmp(type, "AgentEvent_Talking") == 0 ? "AgentMediaEvent_Record"
                                                          : NULL) {
        e = poll_event(state, "292");
        assert_string_equal(json_str_at(e.json, "event.eventType"), type);
        test_reply_free(&e);
    }
    advance(state, 60 * SECOND);
    int64_t end = t0_ms() + 90 * SECOND;
    r = admin(state, "DELETE", ADMIN "292/calls/current", "{\"released_by\":\"agent\"}");
    assert_int_equal(r.status, 200);
    char *ended = strdup(r.body);
    assert_int_equal(json_int_at(r.json, "endtime"), end);
    assert_int_equal(json_int_at(r.json, "trace.talkEndTime"), end);
    assert_int_equal(json_int_at(r.json, "trace.leaveReason"), 16);
    assert_string_equal(json_str_at(r.json, "trace.leaveReasonDesc"),
                        "The agent releases the call.");
    assert_string_equal(json_str_at(r.json, "trace.callDirectMode"), "RELEASE_DIRECT");
    test_reply_free(&r);
    /* The release sequence; the agent hung up, so no AgentEvent_Customer_Release. */
    content = test_format("\"%s\"", ended_id); /* a bare string: the call id */
    expect_event(state, "292", "AgentEvent_Call_Release", content);
    free(content);
    expect_event(state, "292", "AgentOther_PhoneRelease", "{\"phoneState\":2}");
    expect_event(state, "292", "AgentState_Ready", "null");

    /* It is now the last call, in the last-call form. */
    r = get(state, DATA "292/callinfo?isNoContainLastCall=true");
    assert_string_equal(json_str_at(r.json, "result.callid"), ended_id);
    assert_int_equal(json_int_at(r.json, "result.endtime"), end);
    assert_true(cJSON_IsNull(json_at(r.json, "result.trace.talkEndTime")));
    assert_true(cJSON_IsNull(json_at(r.json, "result.trace.leaveReason")));
    test_reply_free(&r);

    /* By id: held, ended (full form), history, someone else's, unknown. */
    char path[160];
    snprintf(path, sizeof(path), DATA "292/callinfobycallid/%s", held_id);
    r = get(state, path);
    expect_result(&r, held);
    test_reply_free(&r);
    snprintf(path, sizeof(path), DATA "292/callinfobycallid/%s", ended_id);
    r = get(state, path);
    expect_result(&r, ended);
    test_reply_free(&r);
    char callid[64];
    char *line = latest_fixture_line(292, callid);
    snprintf(path, sizeof(path), DATA "292/callinfobycallid/%s", callid);
    r = get(state, path);
    expect_result(&r, line);
    test_reply_free(&r);
    free(line);
    line = latest_fixture_line(293, callid);
    snprintf(path, sizeof(path), DATA "292/callinfobycallid/%s", callid);
    r = get(state, path);
    expect_result(&r, "null");
    test_reply_free(&r);
    free(line);
    r = get(state, DATA "292/callinfobycallid/no-such-call");
    expect_result(&r, "null");
    test_reply_free(&r);

    /* The admin view agrees. */
    r = admin(state, "GET", ADMIN "292", NULL);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsNull(json_at(r.json, "current_call")));
    assert_string_equal(json_str_at(r.json, "held_calls.0.callid"), held_id);
    assert_string_equal(json_str_at(r.json, "held_calls.1.callid"), second_held);
    assert_string_equal(json_str_at(r.json, "last_call.callid"), ended_id);
    assert_int_equal(json_int_at(r.json, "remembered_calls"), 1);
    assert_int_equal(json_int_at(r.json, "pending_events"), 0);
    test_reply_free(&r);

    free(started);
    free(held);
    free(list);
    free(ended);
}

static void test_customer_release_sequence(void **state)
{
    const char *const variants[] = {"huawei.event_gen_time=on", NULL};
    start(state, variants);
    sign_in(state, "292");
    struct test_reply e = poll_event(state, "292");
    /* The current Chinese pages stamp every event with eventGenTime, epoch ms. */
    assert_int_equal(json_int_at(e.json, "event.eventGenTime"), t0_ms());
    test_reply_free(&e);
    /* An inbound call: the customer is the caller. */
    struct test_reply r =
        admin(state, "POST", ADMIN "292/calls", "{\"caller\":\"13912345678\",\"recorded\":false}");
    char callid[64];
    snprintf(callid, sizeof(callid), "%s", json_str_at(r.json, "callid"));
    test_reply_free(&r);
    advance(state, 7 * SECOND);
    r = admin(state, "DELETE", ADMIN "292/calls/current", NULL); /* the customer hangs up */
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    static const char *const types[] = {"AgentEvent_Ringing",      "AgentEvent_Talking",
                                        "AgentEvent_Call_Release", "AgentEvent_Customer_Release",
                                        "AgentOther_PhoneRelease", "AgentState_Ready"};
    for (size_t i = 0; i < ARRAY_LEN(types); i++) {
        e = poll_event(state, "292");
        assert_string_equal(json_str_at(e.json, "event.eventType"), types[i]);
        assert_int_equal(json_int_at(e.json, "event.eventGenTime"),
                         t0_ms() + (i < 2 ? 0 : 7 * SECOND));
        if (i == 2)
            assert_string_equal(json_str_at(e.json, "event.content"), callid);
        if (i == 3) {
            assert_string_equal(json_str_at(e.json, "event.content.callid"), callid);
            assert_string_equal(json_str_at(e.json, "event.content.number"), "13912345678");
        }
        if (i == 4)
            assert_int_equal(json_int_at(e.json, "event.content.phoneState"), 3);
        if (i == 5)
            assert_true(cJSON_IsNull(json_at(e.json, "event.content")));
        test_reply_free(&e);
    }
    /* An outbound call: the customer is the called party. */
    r = admin(state, "POST", ADMIN "292/calls",
              "{\"callfeature\":7,\"caller\":\"60015\",\"called\":\"13700000000\"}");
    test_reply_free(&r);
    r = admin(state, "DELETE", ADMIN "292/calls/current", "{\"released_by\":\"customer\"}");
    test_reply_free(&r);
    for (int i = 0; i < 5; i++) { /* Ringing, Talking, Record, Call_Release */
        e = poll_event(state, "292");
        bool customer =
            strcmp(json_str_at(e.json, "event.eventType"), "AgentEvent_Customer_Release") == 0;
        if (customer)
            assert_string_equal(json_str_at(e.json, "event.content.number"), "13700000000");
        test_reply_free(&e);
        if (customer)
            return;
    }
    fail_msg("no AgentEvent_Customer_Release");
}

/* Each agent remembers its ended calls in a ring: an agent driven through many calls keeps a
 * bounded history, and a call it forgot is unknown to callinfobycallid. */
static void test_ended_calls_ring(void **state)
{
    const char *const variants[] = {"huawei.call_history=8", NULL};
    start(state, variants);
    sign_in(state, "292");
    char ids[20][32];
    for (int i = 0; i < 20; i++) {
        snprintf(ids[i], sizeof(ids[i]), "ring-%d", i);
        char *body = test_format("{\"callid\":\"%s\"}", ids[i]);
        struct test_reply r = admin(state, "POST", ADMIN "292/calls", body);
        assert_int_equal(r.status, 201);
        test_reply_free(&r);
        free(body);
        r = admin(state, "DELETE", ADMIN "292/calls/current", NULL);
        assert_int_equal(r.status, 200);
        test_reply_free(&r);
    }
    struct test_reply r = admin(state, "GET", ADMIN "292", NULL);
    assert_int_equal(json_int_at(r.json, "remembered_calls"), 8);
    assert_string_equal(json_str_at(r.json, "last_call.callid"), "ring-19");
    test_reply_free(&r);
    for (int i = 0; i < 20; i++) {
        char path[128];
        snprintf(path, sizeof(path), DATA "292/callinfobycallid/%s", ids[i]);
        r = get(state, path);
        const cJSON *result = json_at(r.json, "result");
        if (i < 12 && !cJSON_IsNull(result))
            fail_msg("%s was forgotten but is still found", ids[i]);
        if (i >= 12)
            assert_string_equal(json_str_at(r.json, "result.callid"), ids[i]);
        test_reply_free(&r);
    }
    /* A forgotten id may be used again. */
    r = admin(state, "POST", ADMIN "292/calls", "{\"callid\":\"ring-0\"}");
    assert_int_equal(r.status, 201);
    test_reply_free(&r);
    r = admin(state, "POST", ADMIN "292/hold", NULL);
    test_reply_free(&r);
    r = admin(state, "POST", ADMIN "292/calls", "{\"callid\":\"ring-19\"}");
    assert_int_equal(r.status, 409); /* still remembered */
    test_reply_free(&r);
    r = get(state, DATA "292/callinfobycallid/ring-0");
    assert_string_equal(json_str_at(r.json, "result.trace.callDirectMode"), "KEEP_DIRECT");
    test_reply_free(&r);
}

/* Thirty thousand admin-driven calls: the agent still remembers only the ring's worth, and every
 * lookup stays an index probe (the run would take minutes with a list scan per call). */
static void test_many_calls_stay_bounded(void **state)
{
    start(state, NULL); /* call_history=256 */
    struct test_mock_fixture *fx = *state;
    for (int i = 0; i < 30000; i++) {
        struct test_reply r = admin(state, "POST", ADMIN "293/calls", "{\"recorded\":false}");
        if (r.status != 201)
            fail_msg("call %d: HTTP %d %s", i, r.status, r.body);
        test_reply_free(&r);
        r = admin(state, "DELETE", ADMIN "293/calls/current", NULL);
        test_reply_free(&r);
    }
    struct test_reply r = admin(state, "GET", ADMIN "293", NULL);
    assert_int_equal(json_int_at(r.json, "remembered_calls"), 256);
    char last[64];
    snprintf(last, sizeof(last), "%s", json_str_at(r.json, "last_call.callid"));
    test_reply_free(&r);
    char guid_header[128], path[128];
    sign_in(state, "293");
    snprintf(guid_header, sizeof(guid_header), "Guid: %s", guid);
    snprintf(path, sizeof(path), DATA "293/callinfobycallid/%s", last);
    r = test_mock_call(&fx->mock, "GET", path, (const char *const[]){guid_header, NULL}, NULL, 0);
    assert_string_equal(json_str_at(r.json, "result.callid"), last);
    test_reply_free(&r);
}

static void test_unknown_callid_variant(void **state)
{
    const char *const variants[] = {"huawei.unknown_callid=000-002", NULL};
    start(state, variants);
    sign_in(state, "2005");
    struct test_reply r = get(state, DATA "2005/callinfobycallid/no-such-call");
    assert_string_equal(json_str_at(r.json, "retcode"), "000-002");
    test_reply_free(&r);
    r = get(state, DATA "2005/callinfo");
    char callid[64];
    snprintf(callid, sizeof(callid), "%s", json_str_at(r.json, "result.callid"));
    test_reply_free(&r);
    char path[128];
    snprintf(path, sizeof(path), DATA "2005/callinfobycallid/%s", callid);
    r = get(state, path);
    assert_string_equal(json_str_at(r.json, "result.callid"), callid);
    test_reply_free(&r);
}

static void test_admin_errors(void **state)
{
    start(state, NULL);
    static const struct {
        const char *method, *path, *body;
        int status;
    } cases[] = {
        {"GET", ADMIN "300", NULL, 404},
        {"GET", ADMIN "abc", NULL, 404},
        {"GET", "/__cdrsim/huawei/nothing", NULL, 404},
        {"GET", "/__cdrsim/huawei", NULL, 404},
        {"PUT", ADMIN "291", NULL, 404},
        {"POST", ADMIN "292/calls", "not json", 400},
        {"POST", ADMIN "292/calls", "[1]", 400},
        {"POST", ADMIN "292/calls", "{\"colour\":\"red\"}", 400},
        {"POST", ADMIN "292/calls", "{\"callfeature\":\"7\"}", 400},
        {"POST", ADMIN "292/calls", "{\"caller\":true}", 400},
        {"POST", ADMIN "292/calls", "{\"talk_seconds\":-1}", 400},
        {"POST", ADMIN "292/calls", "{\"waitTime\":99999999}", 400},
        {"POST", ADMIN "292/calls", "{\"callid\":\"\"}", 400},
        {"POST", ADMIN "292/calls", "{\"callid\":\"a/b\"}", 400},
        {"POST", ADMIN "292/calls", "{\"enterReason\":90}", 400},
        {"POST", ADMIN "2005/calls", "{}", 409}, /* 2005 is on the scenario's call */
        {"DELETE", ADMIN "292/calls/current", NULL, 404},
        {"DELETE", ADMIN "2005/calls/current", "{\"released_by\":\"nobody\"}", 400},
        {"DELETE", ADMIN "2005/calls/current", "{\"released_by\":1}", 400},
        {"POST", ADMIN "292/hold", NULL, 404},
        {"POST", ADMIN "292/events", "{\"eventType\":\"X\"}", 409}, /* not signed in */
        {"POST", ADMIN "292/events", "{}", 400},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct test_reply r = admin(state, cases[i].method, cases[i].path, cases[i].body);
        if (r.status != cases[i].status)
            fail_msg("%s %s %s: HTTP %d %s", cases[i].method, cases[i].path,
                     cases[i].body ? cases[i].body : "", r.status, r.body);
        assert_non_null(json_at(r.json, "error"));
        test_reply_free(&r);
    }
    /* A callid the agent already has, in its history. */
    char callid[64];
    char *line = latest_fixture_line(292, callid);
    char *body = test_format("{\"callid\":\"%s\"}", callid);
    struct test_reply r = admin(state, "POST", ADMIN "292/calls", body);
    assert_int_equal(r.status, 409);
    test_reply_free(&r);
    free(body);
    free(line);
    struct test_mock_fixture *fx = *state;
    r = test_mock_call_oversized(&fx->mock, "POST", ADMIN "292/calls", NULL);
    assert_int_equal(r.status, 413);
    test_reply_free(&r);
    /* None of that started a call. */
    r = admin(state, "GET", ADMIN "292", NULL);
    assert_true(cJSON_IsNull(json_at(r.json, "current_call")));
    test_reply_free(&r);
}

static void test_reset_restores_the_start(void **state)
{
    start(state, NULL);
    sign_in(state, "292");
    struct test_reply r = admin(state, "POST", ADMIN "292/calls", "{\"callid\":\"mine-1\"}");
    assert_int_equal(r.status, 201);
    test_reply_free(&r);
    r = admin(state, "DELETE", ADMIN "2005/calls/current", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_int_at(r.json, "trace.leaveReason"), 15); /* the customer, by default */
    test_reply_free(&r);

    r = admin(state, "POST", "/__cdrsim/reset", NULL);
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    r = get(state, DATA "292/callinfo");
    assert_string_equal(json_str_at(r.json, "retcode"), "100-006");
    test_reply_free(&r);
    r = admin(state, "GET", ADMIN "292", NULL);
    assert_string_equal(json_str_at(r.json, "session"), "never_signed_in");
    assert_true(cJSON_IsNull(json_at(r.json, "current_call")));
    test_reply_free(&r);
    r = admin(state, "GET", ADMIN "2005", NULL);
    assert_true(cJSON_IsNull(json_at(r.json, "current_call.endtime")));
    assert_int_equal(json_int_at(r.json, "current_call.trace.talkBeginTime"),
                     t0_ms() - 42 * SECOND);
    test_reply_free(&r);
    r = admin(state, "GET", "/__cdrsim/huawei/agents", NULL);
    assert_int_equal(cJSON_GetArraySize(r.json), 6);
    assert_string_equal(json_str_at(r.json, "0.agentid"), "291");
    assert_string_equal(json_str_at(r.json, "5.agentid"), "65001");
    test_reply_free(&r);
}

/* ---- the history ----------------------------------------------------------------------------- */

static void test_fixture_holds_the_seed_record(void **state)
{
    struct test_mock *m = start(state, NULL);
    char *dump = mock_server_dump(m->server, "huawei");
    assert_non_null(dump);
    cJSON *records = cJSON_Parse(dump);
    free(dump);
    assert_int_equal(cJSON_GetArraySize(records), 361);
    cJSON *seed = seed_example();
    const cJSON *r, *found = NULL;
    cJSON_ArrayForEach(r, records) {
        if (strcmp(json_str_at(r, "callid"), "1476838963-224") == 0)
            found = r;
    }
    assert_non_null(found);
    assert_true(cJSON_Compare(found, json_at(seed, "result"), true));
    expect_same_keys(found, json_at(seed, "result"));
    cJSON_Delete(seed);
    cJSON_Delete(records);
    /* Its agent is 2005 (the trace's agent device): its last call is the example. */
    sign_in(state, "2005");
    struct test_reply reply = get(state, DATA "2005/callinfobycallid/1476838963-224");
    assert_string_equal(json_str_at(reply.json, "result.callid"), "1476838963-224");
    assert_int_equal(json_int_at(reply.json, "result.trace.vdnId"), 214);
    test_reply_free(&reply);
}

static void test_generator_deterministic_and_shaped(void **state)
{
    struct test_mock_fixture *fx = *state;
    start_generated(state, 500, 7);
    char *first = mock_server_dump(fx->mock.server, "huawei");
    test_mock_fixture_stop(state);
    start_generated(state, 500, 7);
    char *again = mock_server_dump(fx->mock.server, "huawei");
    test_mock_fixture_stop(state);
    start_generated(state, 500, 8);
    char *other = mock_server_dump(fx->mock.server, "huawei");
    assert_string_equal(first, again);
    assert_string_not_equal(first, other);

    cJSON *records = cJSON_Parse(first);
    assert_int_equal(cJSON_GetArraySize(records), 500);
    cJSON *seed = seed_example();
    const cJSON *r;
    int64_t lo = t0_ms() - 365 * 86400 * SECOND, prev_begin = lo;
    static const uintmax_t agents[] = {291, 292, 293, 1001, 2005, 65001};
    static const uintmax_t leave_reasons[] = {5, 15, 16, 17, 20, 22, 24, 26, 88};
    size_t unanswered = 0, inbound = 0;
    char *seen = calloc(500, 64);
    size_t n = 0;
    cJSON_ArrayForEach(r, records) {
        expect_same_keys(json_at(seed, "result"), r);
        int64_t begin = json_int_at(r, "begintime"), end = json_int_at(r, "endtime");
        assert_in_range(begin, prev_begin, t0_ms() - 1); /* oldest first, within the year */
        assert_in_range(end, begin, t0_ms() - 1);
        prev_begin = begin;
        const char *callid = json_str_at(r, "callid");
        char prefix[32];
        snprintf(prefix, sizeof(prefix), "%lld-", (long long)(begin / 1000));
        assert_int_equal(strncmp(callid, prefix, strlen(prefix)), 0);
        for (size_t i = 0; i < n; i++)
            assert_string_not_equal(seen + i * 64, callid);
        snprintf(seen + n++ * 64, 64, "%s", callid);
        int64_t device = json_int_at(r, "trace.deviceNo");
        assert_in_set(device, agents, ARRAY_LEN(agents));
        assert_int_equal(json_int_at(r, "trace.deviceType"), 2);
        assert_true(cJSON_IsString(json_at(r, "caller")) && cJSON_IsString(json_at(r, "called")));
        if (cJSON_IsNull(json_at(r, "trace.talkBeginTime"))) {
            unanswered++;
            assert_true(cJSON_IsNull(json_at(r, "trace.talkEndTime")));
            assert_int_equal(end, json_int_at(r, "trace.answerEndTime"));
        } else {
            assert_int_equal(end, json_int_at(r, "trace.talkEndTime"));
        }
        int64_t leave = json_int_at(r, "trace.leaveReason");
        assert_in_set(leave, leave_reasons, ARRAY_LEN(leave_reasons));
        if (leave == 16)
            assert_string_equal(json_str_at(r, "trace.leaveReasonDesc"),
                                "The agent releases the call.");
        inbound += json_int_at(r, "callfeature") == 0;
    }
    /* Plausible mixes, not exact counts: inbound about half, a minority unanswered. */
    assert_in_range(inbound, 151, 349);
    assert_in_range(unanswered, 21, 149);
    free(seen);
    cJSON_Delete(seed);
    cJSON_Delete(records);
    free(first);
    free(again);
    free(other);
}

static void test_data_root_without_huawei(void **state)
{
    /* Another vendor's test data: only an itnio folder. The core does not serve huawei then. */
    char root[] = "/tmp/cdrsim-no-huawei-XXXXXX";
    assert_non_null(mkdtemp(root));
    char *link = test_format("%s/itnio", root);
    assert_int_equal(symlink(FIXTURES_DIR "/itnio", link), 0);
    test_mock_fixture_start(state, root, t0_ms(), NULL);
    struct test_reply r = admin(state, "PUT", "/agentgateway/resource/onlineagent/291",
                                "{\"password\":\"demo-pass-291\",\"phonenum\":\"70291\"}");
    assert_int_equal(r.status, 404);
    assert_string_equal(r.body, "{\"error\":\"no simulated vendor serves this path\"}");
    test_reply_free(&r);
    r = admin(state, "GET", "/__cdrsim/huawei/agents", NULL);
    assert_int_equal(r.status, 404);
    test_reply_free(&r);
    test_mock_fixture_stop(state);
    /* Nothing to generate calls for. */
    struct mock_config cfg;
    mock_config_init(&cfg);
    cfg.data_dir = strdup(root);
    assert_true(mock_config_add_generate(&cfg, "huawei=10"));
    char err[512] = "";
    assert_null(mock_server_new(&cfg, err, sizeof(err)));
    assert_string_equal(err, "huawei: cannot generate calls without agents in agents.json");
    mock_config_free(&cfg);
    unlink(link);
    rmdir(root);
    free(link);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_not_equal(fputs(text, f), EOF);
    assert_int_equal(fclose(f), 0);
}

static void test_gateway_without_agents(void **state)
{
    /* A huawei folder whose agents.json is empty: the quick-start lines have no demo agent to show,
     * and the gateway keeps answering afterwards (describing must not leave the state locked). */
    char root[] = "/tmp/cdrsim-no-agents-XXXXXX";
    assert_non_null(mkdtemp(root));
    char *dir = test_format("%s/huawei", root);
    char *agents = test_format("%s/agents.json", dir);
    char *records = test_format("%s/records.json", dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    write_text(agents, "[]");
    write_text(records, "[]");
    struct test_mock *m = test_mock_fixture_start(state, root, t0_ms(), NULL);

    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    mock_server_describe(m->server, "http://127.0.0.1:8080", out);
    assert_int_equal(fclose(out), 0);
    assert_null(strstr(text, "huawei  Huawei CEC AgentGateway"));

    struct test_reply r = admin(state, "PUT", "/agentgateway/resource/onlineagent/291",
                                "{\"password\":\"demo-pass-291\",\"phonenum\":\"70291\"}");
    assert_string_equal(json_str_at(r.json, "retcode"), "100-004");
    test_reply_free(&r);
    r = admin(state, "GET", "/__cdrsim/huawei/agents", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "[]");
    test_reply_free(&r);

    test_mock_fixture_stop(state);
    unlink(agents);
    unlink(records);
    rmdir(dir);
    rmdir(root);
    free(text);
    free(agents);
    free(records);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scenario_live_call, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_last_call_doc_meaning, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_last_call_name_meaning, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_last_call_full_trace_variant, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_no_history_no_last_call, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_admin_call_lifecycle, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_customer_release_sequence, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_ended_calls_ring, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_many_calls_stay_bounded, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_unknown_callid_variant, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_admin_errors, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_reset_restores_the_start, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_fixture_holds_the_seed_record, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_generator_deterministic_and_shaped,
                                        test_mock_fixture_setup, test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_data_root_without_huawei, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_gateway_without_agents, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
