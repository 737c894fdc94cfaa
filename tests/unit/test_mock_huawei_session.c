/* The Huawei simulator in-process: sign-in/out state machine, Guid auth and its rotation and
 * expiry under a moved clock, auto sign-out, updateGuid, the event long poll, and every retcode
 * of the session endpoints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "server.h"
#include "testutil.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define SECOND 1000LL
#define ONLINE "/agentgateway/resource/onlineagent/"
#define CALLINFO(agent) "/agentgateway/resource/calldata/" agent "/callinfo"
#define EVENTS(agent) "/agentgateway/resource/agentevent/" agent

static int64_t t0_ms(void)
{
    return china_time(2025, 5, 1, 8, 0, 0) * SECOND; /* 2025-05-01T00:00:00Z */
}

static struct test_mock *start(void **state, const char *const *variants)
{
    return test_mock_fixture_start(state, FIXTURES_DIR, t0_ms(), variants);
}

static void advance(struct test_mock *m, int64_t ms)
{
    mock_clock_advance_ms(&m->server->clock, ms);
}

/* ---- requests -------------------------------------------------------------------------------- */

static struct test_reply sign_in_body(struct test_mock *m, const char *agent, bool force,
                                      const char *body)
{
    static const char *const json[] = {"Content-Type: application/json; charset=UTF-8", NULL};
    char path[128];
    snprintf(path, sizeof(path), ONLINE "%s%s", agent, force ? "/forcelogin" : "");
    return test_mock_call(m, "PUT", path, json, body, strlen(body));
}

static struct test_reply sign_in(struct test_mock *m, const char *agent, const char *password,
                                 bool force)
{
    char body[256];
    snprintf(body, sizeof(body),
             "{\"password\":\"%s\",\"phonenum\":\"70291\",\"status\":4,\"autoanswer\":true,"
             "\"autoenteridle\":true,\"releasephone\":true,\"agenttype\":4}",
             password);
    return sign_in_body(m, agent, force, body);
}

static void expect_retcode(const struct test_reply *r, const char *retcode)
{
    assert_int_equal(r->status, 200);
    assert_non_null(r->json);
    assert_string_equal(json_str_at(r->json, "retcode"), retcode);
    assert_string_equal(r->vendor_code, retcode);
}

/* Signs in and returns the Guid of the answer's Guid header. */
static void sign_in_ok(struct test_mock *m, const char *agent, const char *password, char guid[96])
{
    struct test_reply r = sign_in(m, agent, password, false);
    expect_retcode(&r, "0");
    assert_true(test_reply_header(&r, "Guid", guid, 96));
    test_reply_free(&r);
}

/* A request carrying the Guid header (none when guid is NULL). */
static struct test_reply with_guid(struct test_mock *m, const char *method, const char *path,
                                   const char *guid)
{
    char header[200];
    snprintf(header, sizeof(header), "Guid: %s", guid ? guid : "");
    const char *const headers[] = {header, NULL};
    return test_mock_call(m, method, path, guid ? headers : NULL, NULL, 0);
}

static void expect_call(struct test_mock *m, const char *method, const char *path, const char *guid,
                        const char *retcode)
{
    struct test_reply r = with_guid(m, method, path, guid);
    expect_retcode(&r, retcode);
    test_reply_free(&r);
}

static struct test_reply poll(struct test_mock *m, const char *agent, const char *guid,
                              int *retries)
{
    char path[96], header[200];
    snprintf(path, sizeof(path), EVENTS("%s"), agent);
    snprintf(header, sizeof(header), "Guid: %s", guid);
    const char *const headers[] = {header, NULL};
    return test_mock_call_polling(m, "GET", path, headers, retries);
}

/* Polls until the queue is empty (the sign-in event first), returning the last answer. */
static struct test_reply poll_empty(struct test_mock *m, const char *agent, const char *guid)
{
    for (;;) {
        int retries;
        struct test_reply r = poll(m, agent, guid, &retries);
        expect_retcode(&r, "0");
        if (!json_at(r.json, "event"))
            return r;
        test_reply_free(&r);
    }
}

/* ---- sign in --------------------------------------------------------------------------------- */

static void test_sign_in_answer_is_documented(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r = sign_in(m, "291", "demo-pass-291", false);
    char *body = test_format(
        "{\"message\":\"\",\"retcode\":\"0\",\"result\":{\"vdnid\":1,\"workno\":\"291\","
        "\"mediatype\":\"TTF\",\"loginTime\":\"%lld\",\"isForceChange\":\"false\","
        "\"serverName\":\"AgentGateway\",\"timeRemaining\":\"9\"}}",
        (long long)t0_ms());
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, body);
    free(body);
    char guid[96], set_guid[128], expected[140], cookie[160];
    assert_true(test_reply_header(&r, "Guid", guid, sizeof(guid)));
    /* "279fe21d-2caa-4437-84c3-ab9e9dae20f5.AgentGateway0" */
    assert_int_equal(strlen(guid), 36 + strlen(".AgentGateway0"));
    assert_string_equal(guid + 36, ".AgentGateway0");
    assert_int_equal(strspn(guid, "0123456789abcdef-"), 36);
    assert_true(test_reply_header(&r, "Set-GUID", set_guid, sizeof(set_guid)));
    snprintf(expected, sizeof(expected), "JSESSIONID=%s", guid);
    assert_string_equal(set_guid, expected);
    assert_true(test_reply_header(&r, "Set-Cookie", cookie, sizeof(cookie)));
    assert_int_equal(strncmp(cookie, "JSESSIONID=", 11), 0);
    assert_non_null(strstr(cookie, "; Path=/agentgateway; HttpOnly"));
    test_reply_free(&r);
    /* The agent's own VDN, from its fixture. */
    r = sign_in(m, "2005", "demo-pass-2005", false);
    expect_retcode(&r, "0");
    assert_int_equal(json_int_at(r.json, "result.vdnid"), 214);
    assert_string_equal(json_str_at(r.json, "result.workno"), "2005");
    test_reply_free(&r);
}

static void test_sign_in_out_state_machine(void **state)
{
    struct test_mock *m = start(state, NULL);
    char first[96], second[96];
    sign_in_ok(m, "291", "demo-pass-291", first);

    struct test_reply r = sign_in(m, "291", "demo-pass-291", false);
    assert_string_equal(r.body,
                        "{\"retcode\":\"100-002\",\"message\":\"The agent has already signed in.\","
                        "\"result\":\"\"}");
    test_reply_free(&r);
    expect_call(m, "GET", CALLINFO("291"), first, "0"); /* the refused sign-in changed nothing */

    /* Forced: a new session; the other one's Guid is refused from now on. */
    r = sign_in(m, "291", "demo-pass-291", true);
    expect_retcode(&r, "0");
    assert_true(test_reply_header(&r, "Guid", second, sizeof(second)));
    assert_string_not_equal(first, second);
    test_reply_free(&r);
    expect_call(m, "GET", CALLINFO("291"), first, "000-003");
    expect_call(m, "GET", CALLINFO("291"), second, "0");

    r = with_guid(m, "DELETE", ONLINE "291/logout", second);
    assert_string_equal(r.body, "{\"result\":{},\"message\":\"success\",\"retcode\":\"0\"}");
    test_reply_free(&r);
    r = with_guid(m, "DELETE", ONLINE "291/logout", second);
    assert_string_equal(
        r.body, "{\"retcode\":\"100-008\",\"message\":\"The agent has already signed out.\","
                "\"result\":\"\"}");
    test_reply_free(&r);
    expect_call(m, "GET", CALLINFO("291"), second, "100-006");
    expect_call(m, "GET", EVENTS("291"), second, "100-006");
    expect_call(m, "PUT", ONLINE "291/updateGuid", second, "100-006");

    /* Never signed in: 100-006, also for sign-out. */
    r = with_guid(m, "DELETE", ONLINE "292/logout", NULL);
    assert_string_equal(r.body,
                        "{\"retcode\":\"100-006\",\"message\":\"The agent has not signed in.\","
                        "\"result\":\"\"}");
    test_reply_free(&r);

    /* Out, then in again: a plain sign-in works. Force when nobody is in works too. */
    sign_in_ok(m, "291", "demo-pass-291", first);
    expect_call(m, "GET", CALLINFO("291"), first, "0");
    r = sign_in(m, "292", "demo-pass-292", true);
    expect_retcode(&r, "0");
    test_reply_free(&r);
}

static void test_sign_in_rejects_bad_input(void **state)
{
    struct test_mock *m = start(state, NULL);
    static const char *const bad_bodies[] = {
        "",
        "not json",
        "[]",
        "{}",
        "{\"phonenum\":\"70291\"}",
        "{\"password\":null,\"phonenum\":\"70291\"}",
        "{\"password\":291,\"phonenum\":\"70291\"}",
        "{\"password\":\"\",\"phonenum\":\"70291\"}",
        "{\"password\":\"demo-pass-291\"}",
        "{\"password\":\"demo-pass-291\",\"phonenum\":70291}",
        "{\"password\":\"demo-pass-291\",\"phonenum\":\"\"}",
        "{\"password\":\"demo-pass-291\",\"phonenum\":\"7029x\"}",
        "{\"password\":\"demo-pass-291\",\"phonenum\":\"1234567890123456789012345\"}",
        "{\"password\":\"demo-pass-291\",\"phonenum\":\"70291\",\"status\":7}",
        "{\"password\":\"demo-pass-291\",\"phonenum\":\"70291\",\"status\":\"4\"}",
        "{\"password\":\"demo-pass-291\",\"phonenum\":\"70291\",\"status\":4.5}",
        "{\"password\":\"demo-pass-291\",\"phonenum\":\"70291\",\"autoanswer\":\"yes\"}",
        "{\"password\":\"demo-pass-291\",\"phonenum\":\"70291\",\"releasephone\":1}",
        "{\"password\":\"demo-pass-291\",\"phonenum\":\"70291\",\"agenttype\":\"4\"}",
        /* The sign-in page: agenttype 4 or 11, a password of at most 32 characters. */
        "{\"password\":\"demo-pass-291\",\"phonenum\":\"70291\",\"agenttype\":5}",
        "{\"password\":\"demo-pass-291\",\"phonenum\":\"70291\",\"agenttype\":0}",
        "{\"password\":\"123456789012345678901234567890123\",\"phonenum\":\"70291\"}",
        "{\"password\":\"demo-pass-291\",\"phonenum\":\"70291\"",
    };
    for (size_t i = 0; i < ARRAY_LEN(bad_bodies); i++) {
        struct test_reply r = sign_in_body(m, "291", i % 2 == 1, bad_bodies[i]);
        if (r.json == NULL || strcmp(json_str_at(r.json, "retcode"), "100-001") != 0)
            fail_msg("body %zu (%s): %s", i, bad_bodies[i], r.body);
        assert_string_equal(r.body, "{\"retcode\":\"100-001\","
                                    "\"message\":\"The sign-in parameter is empty or invalid.\","
                                    "\"result\":\"\"}");
        test_reply_free(&r);
    }
    /* A body with a NUL byte inside is not JSON the gateway reads. */
    static const char nul_body[] = "{\"password\":\"demo-pass-291\0\",\"phonenum\":\"70291\"}";
    static const char *const json[] = {"Content-Type: application/json; charset=UTF-8", NULL};
    struct test_reply r =
        test_mock_call(m, "PUT", ONLINE "291", json, nul_body, sizeof(nul_body) - 1);
    expect_retcode(&r, "100-001");
    test_reply_free(&r);
    r = test_mock_call_oversized(m, "PUT", ONLINE "291", json);
    expect_retcode(&r, "100-001");
    test_reply_free(&r);
    r = test_mock_call_oversized(m, "PUT", ONLINE "291/forcelogin", json);
    expect_retcode(&r, "100-001");
    test_reply_free(&r);

    /* 32 characters is a password the gateway reads (and finds wrong); agenttype 11 is valid. */
    r = sign_in_body(m, "291", false,
                     "{\"password\":\"12345678901234567890123456789012\",\"phonenum\":\"70291\"}");
    expect_retcode(&r, "100-004");
    test_reply_free(&r);
    r = sign_in_body(m, "291", false,
                     "{\"password\":\"demo-pass-291\",\"phonenum\":\"70291\",\"agenttype\":11}");
    expect_retcode(&r, "0");
    char signed_in[96];
    assert_true(test_reply_header(&r, "Guid", signed_in, sizeof(signed_in)));
    test_reply_free(&r);
    expect_call(m, "DELETE", ONLINE "291/logout", signed_in, "0");

    /* Minimal body: only password and phone matter. */
    r = sign_in_body(m, "291", false, "{\"password\":\"demo-pass-291\",\"phonenum\":\"70291\"}");
    expect_retcode(&r, "0");
    test_reply_free(&r);

    r = sign_in(m, "292", "demo-pass-291", false);
    assert_string_equal(r.body, "{\"retcode\":\"100-004\","
                                "\"message\":\"The user name or password is incorrect.\","
                                "\"result\":\"\"}");
    test_reply_free(&r);
    r = sign_in(m, "300", "demo-pass-300", true); /* a valid ID nobody has */
    expect_retcode(&r, "100-004");
    test_reply_free(&r);
    /* Nothing of the refused attempts signed 292 in. */
    expect_call(m, "DELETE", ONLINE "292/logout", NULL, "100-006");
}

static void test_agentid_outside_range(void **state)
{
    struct test_mock *m = start(state, NULL);
    static const char *const bad[] = {"abc",  "100",        "60000", "65001",  "29l",  "-291",
                                      "+291", "1234567890", "291.0", "%20291", "0291", "00291"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        char path[96];
        snprintf(path, sizeof(path), ONLINE "%s", bad[i]);
        struct test_reply r = sign_in(m, bad[i], "demo-pass-65001", false);
        if (!r.json || strcmp(json_str_at(r.json, "retcode"), "000-002") != 0)
            fail_msg("agent id '%s': %s", bad[i], r.body);
        assert_string_equal(r.body, "{\"retcode\":\"000-002\","
                                    "\"message\":\"The URL parameter or interface parameter is "
                                    "invalid.\",\"result\":\"\"}");
        test_reply_free(&r);
        snprintf(path, sizeof(path), CALLINFO("%s"), bad[i]);
        expect_call(m, "GET", path, "x", "000-002");
    }
    /* 101 and 59999 are inside; nobody has them. */
    struct test_reply r = sign_in(m, "101", "x", false);
    expect_retcode(&r, "100-004");
    test_reply_free(&r);
    r = sign_in(m, "59999", "x", false);
    expect_retcode(&r, "100-004");
    test_reply_free(&r);
}

static void test_agentid_range_variant(void **state)
{
    const char *const variants[] = {"huawei.max_agentid=999999", NULL};
    struct test_mock *m = start(state, variants);
    char guid[96];
    sign_in_ok(m, "65001", "demo-pass-65001", guid);
    expect_call(m, "GET", CALLINFO("65001"), guid, "0");
    expect_call(m, "GET", CALLINFO("999999"), guid, "100-006");
    expect_call(m, "GET", CALLINFO("1000000"), guid, "000-002");
}

static void test_agentid_leading_zero_variant(void **state)
{
    const char *const variants[] = {"huawei.agentid_leading_zero=strip", NULL};
    struct test_mock *m = start(state, variants);
    char guid[96];
    sign_in_ok(m, "0291", "demo-pass-291", guid);
    expect_call(m, "GET", CALLINFO("291"), guid, "0");
    expect_call(m, "GET", CALLINFO("000291"), guid, "0");
    expect_call(m, "GET", CALLINFO("0"), guid, "000-002");
    expect_call(m, "DELETE", ONLINE "00291/logout", guid, "0");
}

/* ---- Guid ------------------------------------------------------------------------------------ */

static void test_guid_checked_on_every_endpoint(void **state)
{
    struct test_mock *m = start(state, NULL);
    char guid[96], other[96];
    sign_in_ok(m, "291", "demo-pass-291", guid);
    sign_in_ok(m, "292", "demo-pass-292", other);
    static const struct {
        const char *method, *path;
    } endpoints[] = {
        {"GET", CALLINFO("291")},
        {"GET", "/agentgateway/resource/calldata/291/callinfobycallid/1476838963-224"},
        {"GET", "/agentgateway/resource/calldata/291/holdlist"},
        {"GET", EVENTS("291")},
        {"PUT", ONLINE "291/updateGuid"},
        {"DELETE", ONLINE "291/logout"},
    };
    for (size_t i = 0; i < ARRAY_LEN(endpoints); i++) {
        expect_call(m, endpoints[i].method, endpoints[i].path, NULL, "000-003");
        expect_call(m, endpoints[i].method, endpoints[i].path, "", "000-003");
        expect_call(m, endpoints[i].method, endpoints[i].path, "not-a-guid", "000-003");
        expect_call(m, endpoints[i].method, endpoints[i].path, other, "000-003"); /* 292's */
    }
    /* The body of the recordfile page's example, the one error the pages print. */
    struct test_reply r = with_guid(m, "GET", CALLINFO("291"), NULL);
    assert_string_equal(
        r.body,
        "{\"retcode\":\"000-003\",\"message\":\"no right to invite resource\",\"result\":\"\"}");
    test_reply_free(&r);
    /* Header names are case-insensitive. */
    char header[200];
    snprintf(header, sizeof(header), "guid: %s", guid);
    const char *const headers[] = {header, NULL};
    r = test_mock_call(m, "GET", CALLINFO("291"), headers, NULL, 0);
    expect_retcode(&r, "0");
    test_reply_free(&r);
    /* Still signed in after all that. */
    expect_call(m, "DELETE", ONLINE "291/logout", guid, "0");
}

static void test_dynamic_guid_rotation_and_expiry(void **state)
{
    struct test_mock *m = start(state, NULL); /* authmode 2, the default */
    char g1[96], g2[96], header[96];
    sign_in_ok(m, "291", "demo-pass-291", g1);

    /* Younger than GUIDINTERVAL: the poll hands over nothing. */
    advance(m, 59 * SECOND);
    int retries;
    struct test_reply r = poll(m, "291", g1, &retries);
    assert_string_equal(
        r.body,
        "{\"message\":\"\",\"retcode\":\"0\",\"event\":{\"eventType\":\"AgentOther_InService\","
        "\"workNo\":\"291\",\"content\":null}}");
    assert_int_equal(retries, 0);
    assert_false(test_reply_header(&r, "Set-GUID", header, sizeof(header)));
    test_reply_free(&r);

    /* Past it: the next poll answer carries the new Guid. */
    advance(m, 2 * SECOND);
    r = poll(m, "291", g1, &retries);
    assert_string_equal(r.body, "{\"message\":\"\",\"retcode\":\"0\"}");
    assert_true(test_reply_header(&r, "Set-GUID", header, sizeof(header)));
    test_reply_free(&r);
    assert_int_equal(strncmp(header, "JSESSIONID=", 11), 0);
    snprintf(g2, sizeof(g2), "%s", header + 11);
    assert_string_not_equal(g1, g2);
    assert_string_equal(g2 + 36, ".AgentGateway0");
    expect_call(m, "GET", CALLINFO("291"), g2, "0");

    /* The previous Guid stays good until 120 s after its issue, then it is refused. */
    advance(m, 58 * SECOND); /* t0 + 119 s */
    expect_call(m, "GET", CALLINFO("291"), g1, "0");
    advance(m, SECOND - 1);
    expect_call(m, "GET", CALLINFO("291"), g1, "0");
    advance(m, 1); /* t0 + 120 s */
    expect_call(m, "GET", CALLINFO("291"), g1, "000-003");
    expect_call(m, "GET", CALLINFO("291"), g2, "0");

    /* A client still on the previous Guid is handed the current one again. */
    char g3[96];
    advance(m, 2 * SECOND); /* t0 + 122 s: g2 is 61 s old */
    r = poll(m, "291", g2, &retries);
    assert_true(test_reply_header(&r, "Set-GUID", header, sizeof(header)));
    snprintf(g3, sizeof(g3), "%s", header + 11);
    test_reply_free(&r);
    assert_string_not_equal(g3, g2);
    r = poll(m, "291", g2, &retries); /* not rotated again, but g2 is behind */
    assert_true(test_reply_header(&r, "Set-GUID", header, sizeof(header)));
    assert_string_equal(header + 11, g3);
    test_reply_free(&r);
    r = poll(m, "291", g3, &retries); /* up to date: nothing to hand over */
    assert_false(test_reply_header(&r, "Set-GUID", header, sizeof(header)));
    test_reply_free(&r);
}

static void test_static_guid_never_rotates(void **state)
{
    const char *const variants[] = {"huawei.authmode=1", NULL};
    struct test_mock *m = start(state, variants);
    char guid[96], header[96];
    sign_in_ok(m, "291", "demo-pass-291", guid);
    for (int i = 0; i < 5; i++) { /* ten minutes of polling */
        advance(m, 119 * SECOND);
        int retries;
        struct test_reply r = poll(m, "291", guid, &retries);
        expect_retcode(&r, "0");
        assert_false(test_reply_header(&r, "Set-GUID", header, sizeof(header)));
        test_reply_free(&r);
    }
    expect_call(m, "GET", CALLINFO("291"), guid, "0");
}

static void test_auto_sign_out_without_polls(void **state)
{
    struct test_mock *m = start(state, NULL);
    char guid[96];
    sign_in_ok(m, "291", "demo-pass-291", guid);
    /* Call-data queries do not count as polling. */
    advance(m, 120 * SECOND - 1);
    expect_call(m, "GET", CALLINFO("291"), guid, "0");
    advance(m, 1);
    expect_call(m, "GET", CALLINFO("291"), guid, "100-006");
    expect_call(m, "DELETE", ONLINE "291/logout", guid, "100-008"); /* signed out, not never in */

    /* Polling keeps the session: a poll every 100 s, for five minutes. */
    sign_in_ok(m, "291", "demo-pass-291", guid);
    for (int i = 0; i < 3; i++) {
        advance(m, 100 * SECOND);
        struct test_reply r = poll(m, "291", guid, &(int){0});
        expect_retcode(&r, "0");
        char header[96];
        if (test_reply_header(&r, "Set-GUID", header, sizeof(header)))
            snprintf(guid, sizeof(guid), "%s", header + 11);
        test_reply_free(&r);
    }
    expect_call(m, "GET", CALLINFO("291"), guid, "0");
    /* A sign-in after an auto sign-out is a plain one, not 100-002. */
    advance(m, 120 * SECOND);
    sign_in_ok(m, "291", "demo-pass-291", guid);
}

static void test_update_guid(void **state)
{
    struct test_mock *m = start(state, NULL);
    char g1[96];
    sign_in_ok(m, "291", "demo-pass-291", g1);
    advance(m, 30 * SECOND);
    struct test_reply p = poll_empty(m, "291", g1); /* keeps the session to t0 + 150 s */
    test_reply_free(&p);
    struct test_reply r = with_guid(m, "PUT", ONLINE "291/updateGuid", g1);
    expect_retcode(&r, "0");
    const char *g2 = json_str_at(r.json, "result.guid");
    char *body =
        test_format("{\"result\":{\"guid\":\"%s\"},\"message\":\"success\",\"retcode\":\"0\"}", g2);
    assert_string_equal(r.body, body);
    free(body);
    assert_string_not_equal(g1, g2);
    assert_string_equal(g2 + 36, ".AgentGateway0");
    char fresh[96];
    snprintf(fresh, sizeof(fresh), "%s", g2);
    test_reply_free(&r);
    expect_call(m, "GET", CALLINFO("291"), fresh, "0");
    /* The previous one, issued at t0, runs out at t0 + 120 s. */
    expect_call(m, "GET", CALLINFO("291"), g1, "0");
    advance(m, 90 * SECOND - 1);
    expect_call(m, "GET", CALLINFO("291"), g1, "0");
    advance(m, 1);
    expect_call(m, "GET", CALLINFO("291"), g1, "000-003");
    expect_call(m, "GET", CALLINFO("291"), fresh, "0");
}

/* ---- the event poll -------------------------------------------------------------------------- */

static void test_poll_waits_then_answers_empty(void **state)
{
    struct test_mock *m = start(state, NULL);
    char guid[96];
    sign_in_ok(m, "291", "demo-pass-291", guid);
    int retries;
    struct test_reply r = poll(m, "291", guid, &retries);
    assert_int_equal(retries, 0); /* the sign-in event is waiting */
    test_reply_free(&r);
    /* Nothing to report: 10 s of 100 ms looks, then the empty answer. */
    r = poll(m, "291", guid, &retries);
    assert_int_equal(retries, 100);
    assert_string_equal(r.body, "{\"message\":\"\",\"retcode\":\"0\"}");
    test_reply_free(&r);
    /* An event queued through the admin endpoint comes at once, with its content. */
    static const char event[] = "{\"eventType\":\"AgentState_Busy\",\"content\":{\"status\":3}}";
    r = test_mock_call(m, "POST", "/__cdrsim/huawei/agents/291/events", NULL, event, strlen(event));
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"pending_events\":1}");
    test_reply_free(&r);
    r = poll(m, "291", guid, &retries);
    assert_int_equal(retries, 0);
    assert_string_equal(
        r.body, "{\"message\":\"\",\"retcode\":\"0\",\"event\":{\"eventType\":\"AgentState_Busy\","
                "\"workNo\":\"291\",\"content\":{\"status\":3}}}");
    test_reply_free(&r);
}

static void test_poll_length_variant(void **state)
{
    static const struct {
        const char *variant;
        int retries; /* looks of 100 ms before the empty answer */
    } cases[] = {
        {"huawei.poll_seconds=0.25", 3}, /* 100 + 100 + 50 ms */
        {"huawei.poll_seconds=0", 0},
        {"huawei.poll_seconds=1.5", 15},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const char *const variants[] = {cases[i].variant, NULL};
        struct test_mock *m = start(state, variants);
        char guid[96];
        sign_in_ok(m, "291", "demo-pass-291", guid);
        int retries;
        struct test_reply r = poll(m, "291", guid, &retries); /* the sign-in event */
        test_reply_free(&r);
        r = poll(m, "291", guid, &retries);
        assert_int_equal(retries, cases[i].retries);
        assert_string_equal(r.body, "{\"message\":\"\",\"retcode\":\"0\"}");
        test_reply_free(&r);
        test_mock_fixture_stop(state);
    }
}

static void test_event_queue_is_bounded(void **state)
{
    struct test_mock *m = start(state, NULL);
    char guid[96];
    sign_in_ok(m, "291", "demo-pass-291", guid);
    for (int i = 0; i < 70; i++) {
        char *event = test_format("{\"eventType\":\"E%d\",\"content\":null}", i);
        struct test_reply r = test_mock_call(m, "POST", "/__cdrsim/huawei/agents/291/events", NULL,
                                             event, strlen(event));
        assert_int_equal(r.status, 200);
        test_reply_free(&r);
        free(event);
    }
    /* 71 events for 64 places: the 7 oldest (the sign-in event, E0..E5) are gone. */
    int retries;
    struct test_reply r = poll(m, "291", guid, &retries);
    assert_string_equal(json_str_at(r.json, "event.eventType"), "E6");
    test_reply_free(&r);
}

static void test_cookie_and_session_cookie_variant(void **state)
{
    struct test_mock *m = start(state, NULL);
    char guid[96], header[200];
    sign_in_ok(m, "291", "demo-pass-291", guid);
    snprintf(header, sizeof(header), "Guid: %s", guid);
    const char *const headers[] = {header, "Cookie: JSESSIONID=ABC123", NULL};
    struct test_reply r = test_mock_call(m, "GET", CALLINFO("291"), headers, NULL, 0);
    expect_retcode(&r, "0");
    test_reply_free(&r);
    r = test_mock_call(m, "GET", "/__cdrsim/huawei/agents/291", NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_str_at(r.json, "cookie"), "JSESSIONID=ABC123");
    assert_string_equal(json_str_at(r.json, "session"), "signed_in");
    assert_string_equal(json_str_at(r.json, "guid"), guid);
    assert_int_equal(json_int_at(r.json, "last_poll_ms"), t0_ms());
    test_reply_free(&r);
    test_mock_fixture_stop(state);

    const char *const variants[] = {"huawei.session_cookie=off", NULL};
    m = start(state, variants);
    r = sign_in(m, "291", "demo-pass-291", false);
    expect_retcode(&r, "0");
    assert_false(test_reply_header(&r, "Set-Cookie", header, sizeof(header)));
    assert_true(test_reply_header(&r, "Guid", header, sizeof(header)));
    test_reply_free(&r);
}

static void test_health_lists_variants(void **state)
{
    const char *const variants[] = {"huawei.authmode=1", NULL};
    struct test_mock *m = start(state, variants);
    struct test_reply r = test_mock_call(m, "GET", "/__cdrsim/health", NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    const cJSON *vendors = json_at(r.json, "vendors");
    const cJSON *huawei = NULL, *v;
    cJSON_ArrayForEach(v, vendors) {
        if (strcmp(json_str_at(v, "id"), "huawei") == 0)
            huawei = v;
    }
    assert_non_null(huawei);
    assert_string_equal(json_str_at(huawei, "variants.authmode"), "1");
    assert_string_equal(json_str_at(huawei, "variants.lastcall_flag"), "doc");
    assert_string_equal(json_str_at(huawei, "variants.lastcall_trace"), "blank");
    assert_string_equal(json_str_at(huawei, "variants.poll_seconds"), "10");
    assert_string_equal(json_str_at(huawei, "variants.max_agentid"), "59999");
    assert_string_equal(json_str_at(huawei, "variants.unknown_callid"), "null");
    assert_string_equal(json_str_at(huawei, "variants.session_cookie"), "on");
    test_reply_free(&r);
}

static void test_bad_variant_values_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {"huawei.authmode=3",      "huawei.poll_seconds=61",
                                      "huawei.poll_seconds=-1", "huawei.poll_seconds=abc",
                                      "huawei.poll_seconds=1.", "huawei.lastcall_flag=x",
                                      "huawei.max_agentid=100"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        struct mock_config cfg;
        mock_config_init(&cfg);
        cfg.data_dir = strdup(FIXTURES_DIR);
        assert_true(mock_config_add_variant(&cfg, bad[i]));
        char err[512] = "";
        struct mock_server *s = mock_server_new(&cfg, err, sizeof(err));
        if (s)
            fail_msg("%s was accepted", bad[i]);
        assert_non_null(strstr(err, "huawei."));
        mock_config_free(&cfg);
    }
}

static void test_routing_errors(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r =
        test_mock_call(m, "GET", "/agentgateway/resource/calldata/291/nothing", NULL, NULL, 0);
    assert_int_equal(r.status, 404);
    assert_int_equal(r.body_len, 0);
    test_reply_free(&r);
    static const char *const not_found[] = {
        "/agentgateway/",
        "/agentgateway/resource/",
        "/agentgateway/resource/onlineagent",
        "/agentgateway/resource/onlineagent/291/",
        "/agentgateway/resource/calldata/291/callinfobycallid",
        "/agentgateway/resource/calldata/291/callinfobycallid/a/b",
        "/agentgateway/resource//291",
    };
    for (size_t i = 0; i < ARRAY_LEN(not_found); i++) {
        r = test_mock_call(m, "GET", not_found[i], NULL, NULL, 0);
        if (r.status != 404)
            fail_msg("%s: HTTP %d", not_found[i], r.status);
        test_reply_free(&r);
    }
    r = test_mock_call(m, "POST", CALLINFO("291"), NULL, NULL, 0);
    assert_int_equal(r.status, 405);
    char allow[16];
    assert_true(test_reply_header(&r, "Allow", allow, sizeof(allow)));
    assert_string_equal(allow, "GET");
    test_reply_free(&r);
    r = test_mock_call(m, "GET", ONLINE "291/logout", NULL, NULL, 0);
    assert_int_equal(r.status, 405);
    assert_true(test_reply_header(&r, "Allow", allow, sizeof(allow)));
    assert_string_equal(allow, "DELETE");
    test_reply_free(&r);
    r = test_mock_call(m, "DELETE", ONLINE "291", NULL, NULL, 0);
    assert_int_equal(r.status, 405);
    test_reply_free(&r);
    /* An oversized body on a query is the URL/interface parameter error; the container still
     * routes first: an unknown path is 404 and a sign-in path with another method 405. */
    r = test_mock_call_oversized(m, "GET", CALLINFO("291"), NULL);
    expect_retcode(&r, "000-002");
    test_reply_free(&r);
    r = test_mock_call_oversized(m, "POST", "/agentgateway/resource/nothing/291", NULL);
    assert_int_equal(r.status, 404);
    assert_int_equal(r.body_len, 0);
    test_reply_free(&r);
    r = test_mock_call_oversized(m, "POST", ONLINE "291", NULL);
    assert_int_equal(r.status, 405);
    assert_true(test_reply_header(&r, "Allow", allow, sizeof(allow)));
    assert_string_equal(allow, "PUT");
    test_reply_free(&r);
    r = test_mock_call_oversized(m, "GET", ONLINE "291/forcelogin", NULL);
    assert_int_equal(r.status, 405);
    test_reply_free(&r);
    r = test_mock_call_oversized(m, "POST", ONLINE "291/handshake", NULL);
    expect_retcode(&r, "000-002");
    test_reply_free(&r);
}

static void test_error_body_variant(void **state)
{
    const char *const variants[] = {"huawei.error_body=ours", NULL};
    struct test_mock *m = start(state, variants);
    struct test_reply r = with_guid(m, "GET", CALLINFO("291"), NULL);
    assert_string_equal(r.body,
                        "{\"message\":\"The agent has not signed in.\",\"retcode\":\"100-006\","
                        "\"result\":null}");
    test_reply_free(&r);
    char guid[96];
    sign_in_ok(m, "291", "demo-pass-291", guid);
    r = with_guid(m, "GET", CALLINFO("291"), "wrong");
    assert_string_equal(r.body,
                        "{\"message\":\"No permission, or the agent authentication has expired.\","
                        "\"retcode\":\"000-003\",\"result\":null}");
    test_reply_free(&r);
}

/* ---- sign-out during a call ------------------------------------------------------------------ */

static void start_call(struct test_mock *m, const char *agent)
{
    char path[96];
    snprintf(path, sizeof(path), "/__cdrsim/huawei/agents/%s/calls", agent);
    struct test_reply r = test_mock_call(m, "POST", path, NULL, NULL, 0);
    assert_int_equal(r.status, 201);
    test_reply_free(&r);
}

static void end_call(struct test_mock *m, const char *agent)
{
    char path[96];
    snprintf(path, sizeof(path), "/__cdrsim/huawei/agents/%s/calls/current", agent);
    struct test_reply r = test_mock_call(m, "DELETE", path, NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
}

static void test_no_sign_out_while_talking(void **state)
{
    struct test_mock *m = start(state, NULL); /* signout_in_call=100-007 */
    char guid[96];
    sign_in_ok(m, "292", "demo-pass-292", guid);
    start_call(m, "292");
    expect_call(m, "DELETE", ONLINE "292/logout", guid, "100-007");
    expect_call(m, "GET", CALLINFO("292"), guid, "0"); /* still signed in */
    /* The agent of the built-in scenario is talking from the start. */
    char other[96];
    sign_in_ok(m, "2005", "demo-pass-2005", other);
    expect_call(m, "DELETE", ONLINE "2005/logout", other, "100-007");
    /* A held call is not a call the agent talks on. */
    struct test_reply r =
        test_mock_call(m, "POST", "/__cdrsim/huawei/agents/292/hold", NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    expect_call(m, "DELETE", ONLINE "292/logout", guid, "0");
    /* Refused before the call is looked at: a wrong Guid is still 000-003. */
    expect_call(m, "DELETE", ONLINE "2005/logout", "wrong", "000-003");
    end_call(m, "2005");
    expect_call(m, "DELETE", ONLINE "2005/logout", other, "0");
}

static void test_sign_out_while_talking_variants(void **state)
{
    static const struct {
        const char *variant, *retcode;
        bool still_in;
    } cases[] = {
        {"huawei.signout_in_call=100-005", "100-005", true},
        {"huawei.signout_in_call=success_kept", "0", true},
        {"huawei.signout_in_call=signs_out", "0", false},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const char *const variants[] = {cases[i].variant, NULL};
        struct test_mock *m = start(state, variants);
        char guid[96];
        sign_in_ok(m, "2005", "demo-pass-2005", guid);
        expect_call(m, "DELETE", ONLINE "2005/logout", guid, cases[i].retcode);
        expect_call(m, "GET", CALLINFO("2005"), guid, cases[i].still_in ? "0" : "100-006");
        test_mock_fixture_stop(state);
    }
}

/* ---- the handshake (push mode's heartbeat) --------------------------------------------------- */

static struct test_reply handshake(struct test_mock *m, const char *guid, const char *token)
{
    char header[200], token_header[128];
    snprintf(header, sizeof(header), "Guid: %s", guid);
    snprintf(token_header, sizeof(token_header), "service_token: %s", token ? token : "");
    const char *const headers[] = {"Content-Type: application/json; charset=UTF-8", header,
                                   token ? token_header : NULL, NULL};
    return test_mock_call(m, "POST", ONLINE "291/handshake", headers, NULL, 0);
}

static void test_handshake_keeps_the_session(void **state)
{
    struct test_mock *m = start(state, NULL); /* authmode 2 */
    char guid[96];
    sign_in_ok(m, "291", "demo-pass-291", guid);
    struct test_reply r = handshake(m, guid, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"message\":\"success\",\"retcode\":\"0\"}");
    char header[96];
    assert_false(test_reply_header(&r, "Set-GUID", header, sizeof(header))); /* not rotated yet */
    test_reply_free(&r);
    /* A heartbeat every 100 s keeps the agent in without a single poll, and hands the rotated
     * Guid over in Set-GUID as a poll would. */
    for (int i = 0; i < 3; i++) {
        advance(m, 100 * SECOND);
        r = handshake(m, guid, i == 1 ? "token42" : NULL);
        expect_retcode(&r, "0");
        assert_true(test_reply_header(&r, "Set-GUID", header, sizeof(header)));
        assert_int_equal(strncmp(header, "JSESSIONID=", 11), 0);
        assert_string_not_equal(header + 11, guid);
        snprintf(guid, sizeof(guid), "%s", header + 11);
        test_reply_free(&r);
    }
    expect_call(m, "GET", CALLINFO("291"), guid, "0");
    /* service_token: at most 50 characters, letters and digits only. */
    static const char *const bad_tokens[] = {"has space", "semi;colon", "dash-ed",
                                             "123456789012345678901234567890123456789012345678901"};
    for (size_t i = 0; i < ARRAY_LEN(bad_tokens); i++) {
        r = handshake(m, guid, bad_tokens[i]);
        expect_retcode(&r, "100-001");
        test_reply_free(&r);
    }
    r = handshake(m, guid, "12345678901234567890123456789012345678901234567890");
    expect_retcode(&r, "0");
    test_reply_free(&r);
    /* No heartbeat for two minutes: signed out. */
    advance(m, 120 * SECOND);
    r = handshake(m, guid, NULL);
    expect_retcode(&r, "100-006");
    test_reply_free(&r);
    r = handshake(m, "", NULL);
    expect_retcode(&r, "100-006");
    test_reply_free(&r);
    sign_in_ok(m, "291", "demo-pass-291", guid);
    r = handshake(m, "not-the-guid", NULL);
    expect_retcode(&r, "000-003");
    test_reply_free(&r);
    r = test_mock_call(m, "GET", ONLINE "291/handshake", NULL, NULL, 0);
    assert_int_equal(r.status, 405);
    test_reply_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sign_in_answer_is_documented, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_sign_in_out_state_machine, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_sign_in_rejects_bad_input, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_agentid_outside_range, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_agentid_range_variant, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_guid_checked_on_every_endpoint,
                                        test_mock_fixture_setup, test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_dynamic_guid_rotation_and_expiry,
                                        test_mock_fixture_setup, test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_static_guid_never_rotates, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_auto_sign_out_without_polls, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_update_guid, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_poll_waits_then_answers_empty, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_poll_length_variant, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_event_queue_is_bounded, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_cookie_and_session_cookie_variant,
                                        test_mock_fixture_setup, test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_health_lists_variants, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test(test_bad_variant_values_refused),
        cmocka_unit_test_setup_teardown(test_agentid_leading_zero_variant, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_error_body_variant, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_no_sign_out_while_talking, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_sign_out_while_talking_variants,
                                        test_mock_fixture_setup, test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_handshake_keeps_the_session, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_routing_errors, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
