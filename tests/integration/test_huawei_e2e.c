/* The real cdrsim-mock on an ephemeral loopback port, driven by the real libcdrsim session: sign
 * in/out, the Guid handover under a moved clock, cookies, the long poll (empty, woken by an event,
 * cut by a reset), auto sign-out, forced sign-in, both meanings of isNoContainLastCall, and the
 * whole exchange over TLS with a certificate made at test time. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cdrsim/http.h"
#include "cdrsim/huawei.h"
#include "testutil.h"

#define CLOCK "2025-05-01T00:00:00Z"
#define MAX_MOCKS 2
/* A poll woken by an event or cut by a reset answers well within the 10 s poll it asked for. The
 * reset reloads every dataset, which takes seconds under ThreadSanitizer. */
#define WOKEN_WITHIN_S (TEST_UNDER_TSAN ? 9.0 : 3.0)

struct fixture {
    struct mock_process mocks[MAX_MOCKS];
    struct test_tls tls;
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    for (size_t i = 0; i < MAX_MOCKS; i++)
        if (fx->mocks[i].pid > 0)
            mock_process_stop(&fx->mocks[i]);
    test_tls_remove(&fx->tls);
    free(fx);
    return 0;
}

/* Starts mock i with the fixed clock and a one-second poll unless the extra args say otherwise. */
static const char *start_mock(void **state, size_t i, const char *const *extra)
{
    struct fixture *fx = *state;
    const char *args[24] = {"--clock", CLOCK, "--variant", "huawei.poll_seconds=1"};
    size_t n = 4;
    for (size_t k = 0; extra && extra[k]; k++)
        args[n++] = extra[k];
    args[n] = NULL;
    mock_process_start(&fx->mocks[i], args);
    return fx->mocks[i].base_url;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* An admin request through libcdrsim's transport; returns the HTTP status, *body parsed. */
static long admin(const char *base, const char *method, const char *path, const char *body,
                  cJSON **json)
{
    struct cdr_http_options opts;
    cdr_http_options_default(&opts);
    opts.insecure = true;
    struct cdr_error_info err;
    struct cdr_http *http = cdr_http_new(&opts, &err);
    assert_non_null(http);
    char *url = test_format("%s%s", base, path);
    /* JSON, as admin writes must be (a form type would be refused as a web page's request). */
    const char *json_type[] = {"Content-Type: application/json"};
    struct cdr_http_request req = {method, url, json_type, 1, body, body ? strlen(body) : 0, false};
    struct cdr_http_response resp;
    if (cdr_http_send(http, &req, &resp, &err) != CDR_OK)
        fail_msg("%s %s: %s", method, url, err.message);
    long status = resp.status;
    if (json)
        *json = cJSON_ParseWithLength(resp.body, resp.body_len);
    cdr_http_response_free(&resp);
    cdr_http_free(http);
    free(url);
    return status;
}

static void advance_clock(const char *base, int seconds)
{
    char body[64];
    snprintf(body, sizeof(body), "{\"advance_seconds\":%d}", seconds);
    assert_int_equal(admin(base, "PUT", "/__cdrsim/clock", body, NULL), 200);
}

/* The mock's view of an agent (caller deletes). */
static cJSON *agent_view(const char *base, const char *agent)
{
    char path[64];
    snprintf(path, sizeof(path), "/__cdrsim/huawei/agents/%s", agent);
    cJSON *view;
    assert_int_equal(admin(base, "GET", path, NULL, &view), 200);
    assert_non_null(view);
    return view;
}

/* A session for the agent: its demo password unless one is given, TLS as told. */
static struct cdr_huawei_session *session_with(const char *base, const char *agent,
                                               const char *password,
                                               enum cdr_huawei_lastcall_flag flag, bool insecure,
                                               const char *ca_file)
{
    struct cdr_huawei_options opts;
    cdr_huawei_options_default(&opts);
    char demo[32];
    snprintf(demo, sizeof(demo), "demo-pass-%s", agent);
    opts.base_url = base;
    opts.agent_id = agent;
    opts.password = password ? password : demo;
    opts.phone = "70291";
    opts.lastcall_flag = flag;
    opts.http.timeout_ms = 15000;
    opts.http.insecure = insecure;
    opts.http.ca_file = ca_file;
    struct cdr_error_info err;
    struct cdr_huawei_session *s = cdr_huawei_session_new(&opts, &err);
    if (!s)
        fail_msg("session: %s", err.message);
    return s;
}

static struct cdr_huawei_session *session(const char *base, const char *agent,
                                          enum cdr_huawei_lastcall_flag flag)
{
    return session_with(base, agent, NULL, flag, false, NULL);
}

static void expect_ok(cdr_error rc, const struct cdr_error_info *err)
{
    if (rc != CDR_OK)
        fail_msg("%s: %s (vendor code %s)", cdr_error_name(rc), err->message, err->vendor_code);
}

static void expect_vendor(cdr_error rc, const struct cdr_error_info *err, cdr_error code,
                          const char *retcode)
{
    assert_int_equal(rc, code);
    assert_string_equal(err->vendor_code, retcode);
    assert_int_equal(err->http_status, 200);
}

/* ---- the session ----------------------------------------------------------------------------- */

static void test_session_round_trip(void **state)
{
    const char *base = start_mock(state, 0, NULL);
    assert_non_null(strstr(((struct fixture *)*state)->mocks[0].stdout_text,
                           "agent 291  password demo-pass-291"));
    /* Agent 2005, the seed example's own device, is on the built-in scenario's call. */
    struct cdr_huawei_session *s = session(base, "2005", CDR_HUAWEI_LASTCALL_AUTO);
    struct cdr_error_info err;
    struct cdr_huawei_login login;
    expect_ok(cdr_huawei_sign_in(s, false, &login, &err), &err);
    assert_string_equal(login.workno, "2005");
    assert_int_equal(login.vdnid, 214);
    assert_string_equal(login.media_type, "TTF");
    assert_string_equal(login.server_name, "AgentGateway");
    assert_false(login.force_change);
    int64_t t0 = china_time(2025, 5, 1, 8, 0, 0) * 1000;
    assert_true(login.login_time_ms >= t0 && login.login_time_ms < t0 + 60000);
    assert_int_equal(strlen(cdr_huawei_guid(s)), 36 + strlen(".AgentGateway0"));

    /* The scenario's live call: the seed page's example, talking since 42 s before the clock. */
    struct cdr_record rec;
    bool found;
    expect_ok(cdr_huawei_call_info(s, false, &rec, &found, &err), &err);
    assert_true(found);
    int64_t begin_s = (t0 - 46000) / 1000;
    char callid[64];
    snprintf(callid, sizeof(callid), "%lld-1", (long long)begin_s);
    assert_string_equal(rec.id, callid);
    assert_string_equal(rec.caller, "70004");
    assert_string_equal(rec.callee, "60015");
    assert_string_equal(rec.agent, "2005");
    assert_string_equal(rec.group, "voice");
    assert_int_equal(rec.direction, CDR_DIRECTION_INBOUND);
    assert_int_equal(rec.start_time, begin_s);
    assert_int_equal(rec.answer_time, begin_s + 4);
    assert_int_equal(rec.end_time, CDR_TIME_NONE);
    cdr_record_free(&rec);
    expect_ok(cdr_huawei_call_by_id(s, callid, &rec, &found, &err), &err);
    assert_true(found);
    assert_string_equal(rec.id, callid);
    cdr_record_free(&rec);
    expect_ok(cdr_huawei_call_by_id(s, "no such call?%", &rec, &found, &err), &err);
    assert_false(found);
    struct cdr_record *held;
    size_t count;
    expect_ok(cdr_huawei_hold_list(s, &held, &count, &err), &err);
    assert_int_equal(count, 0);

    /* Events: the sign-in one at once, then an empty poll after about the poll length. */
    struct cdr_huawei_event ev;
    expect_ok(cdr_huawei_poll_event(s, &ev, &err), &err);
    assert_string_equal(ev.type, "AgentOther_InService");
    assert_string_equal(ev.work_no, "2005");
    assert_string_equal(ev.content_json, "null");
    cdr_huawei_event_free(&ev);
    double started = now_s();
    expect_ok(cdr_huawei_poll_event(s, &ev, &err), &err);
    double took = now_s() - started;
    assert_null(ev.type);
    assert_true(took >= 0.9 && took < 5.0);

    /* The server saw the cookie it set at sign-in come back. */
    cJSON *view = agent_view(base, "2005");
    const char *cookie = json_str_at(view, "cookie");
    assert_int_equal(strncmp(cookie, "JSESSIONID=", 11), 0);
    assert_int_equal(strlen(cookie), 11 + 32);
    assert_string_equal(json_str_at(view, "guid"), cdr_huawei_guid(s));
    cJSON_Delete(view);

    /* Talking: the gateway does not sign the agent out, and the session goes on. */
    expect_vendor(cdr_huawei_sign_out(s, &err), &err, CDR_ERR_VENDOR, "100-007");
    assert_string_not_equal(cdr_huawei_guid(s), "");
    assert_int_equal(
        admin(base, "DELETE", "/__cdrsim/huawei/agents/2005/calls/current", NULL, NULL), 200);
    expect_ok(cdr_huawei_sign_out(s, &err), &err);
    assert_string_equal(cdr_huawei_guid(s), "");
    expect_vendor(cdr_huawei_sign_out(s, &err), &err, CDR_ERR_VENDOR, "100-008");
    assert_string_equal(err.message, "The agent has already signed out.");
    expect_vendor(cdr_huawei_call_info(s, true, &rec, &found, &err), &err, CDR_ERR_AUTH, "100-006");
    assert_false(found);
    cdr_huawei_session_free(s);
}

static void test_guid_handover_under_a_moved_clock(void **state)
{
    const char *base = start_mock(state, 0, NULL);
    struct cdr_huawei_session *s = session(base, "2005", CDR_HUAWEI_LASTCALL_AUTO);
    struct cdr_error_info err;
    expect_ok(cdr_huawei_sign_in(s, false, NULL, &err), &err);
    char first[128];
    snprintf(first, sizeof(first), "%s", cdr_huawei_guid(s));

    advance_clock(base, 61);
    struct cdr_huawei_event ev;
    expect_ok(cdr_huawei_poll_event(s, &ev, &err), &err); /* the sign-in event, and a new Guid */
    cdr_huawei_event_free(&ev);
    assert_string_not_equal(cdr_huawei_guid(s), first);
    cJSON *view = agent_view(base, "2005");
    assert_string_equal(json_str_at(view, "guid"), cdr_huawei_guid(s));
    assert_string_equal(json_str_at(view, "previous_guid"), first);
    cJSON_Delete(view);

    /* Past the first Guid's expiry: the session goes on with the one it was handed. */
    advance_clock(base, 60);
    struct cdr_record rec;
    bool found;
    expect_ok(cdr_huawei_call_info(s, false, &rec, &found, &err), &err);
    assert_true(found);
    cdr_record_free(&rec);

    /* updateGuid switches too; the session keeps working. */
    char second[128];
    snprintf(second, sizeof(second), "%s", cdr_huawei_guid(s));
    expect_ok(cdr_huawei_refresh_guid(s, &err), &err);
    assert_string_not_equal(cdr_huawei_guid(s), second);
    expect_ok(cdr_huawei_poll_event(s, &ev, &err), &err);
    cdr_huawei_event_free(&ev);

    /* Two minutes without a poll: signed out by the gateway. */
    advance_clock(base, 121);
    expect_vendor(cdr_huawei_call_info(s, false, &rec, &found, &err), &err, CDR_ERR_AUTH,
                  "100-006");
    cdr_huawei_session_free(s);
}

static void test_forced_sign_in(void **state)
{
    const char *base = start_mock(state, 0, NULL);
    struct cdr_huawei_session *a = session(base, "292", CDR_HUAWEI_LASTCALL_AUTO);
    struct cdr_huawei_session *b = session(base, "292", CDR_HUAWEI_LASTCALL_AUTO);
    struct cdr_error_info err;
    expect_ok(cdr_huawei_sign_in(a, false, NULL, &err), &err);
    expect_vendor(cdr_huawei_sign_in(b, false, NULL, &err), &err, CDR_ERR_VENDOR, "100-002");
    assert_string_equal(cdr_huawei_guid(b), "");
    /* Refused again on the running session itself: it keeps its Guid and goes on. */
    char kept[128];
    snprintf(kept, sizeof(kept), "%s", cdr_huawei_guid(a));
    expect_vendor(cdr_huawei_sign_in(a, false, NULL, &err), &err, CDR_ERR_VENDOR, "100-002");
    assert_string_equal(cdr_huawei_guid(a), kept);
    struct cdr_record rec;
    bool found;
    expect_ok(cdr_huawei_call_info(a, false, &rec, &found, &err), &err);
    expect_ok(cdr_huawei_sign_in(b, true, NULL, &err), &err);
    expect_vendor(cdr_huawei_call_info(a, false, &rec, &found, &err), &err, CDR_ERR_AUTH,
                  "000-003");
    expect_ok(cdr_huawei_call_info(b, false, &rec, &found, &err), &err);
    assert_false(found);
    /* A wrong password is refused, never retried. */
    struct cdr_huawei_session *c =
        session_with(base, "293", "wrong", CDR_HUAWEI_LASTCALL_AUTO, false, NULL);
    expect_vendor(cdr_huawei_sign_in(c, false, NULL, &err), &err, CDR_ERR_AUTH, "100-004");
    cdr_huawei_session_free(a);
    cdr_huawei_session_free(b);
    cdr_huawei_session_free(c);
}

/* ---- the long poll --------------------------------------------------------------------------- */

struct delayed {
    const char *base, *method, *path, *body;
    long status;
};

static void *after_300ms(void *arg)
{
    struct delayed *d = arg;
    struct timespec pause = {0, 300 * 1000000L};
    nanosleep(&pause, NULL);
    d->status = admin(d->base, d->method, d->path, d->body, NULL);
    return NULL;
}

static void test_poll_woken_by_an_event(void **state)
{
    const char *const ten[] = {"--variant", "huawei.poll_seconds=10", NULL};
    const char *base = start_mock(state, 0, ten);
    struct cdr_huawei_session *s = session(base, "292", CDR_HUAWEI_LASTCALL_AUTO);
    struct cdr_error_info err;
    expect_ok(cdr_huawei_sign_in(s, false, NULL, &err), &err);
    struct cdr_huawei_event ev;
    expect_ok(cdr_huawei_poll_event(s, &ev, &err), &err); /* the sign-in event */
    cdr_huawei_event_free(&ev);

    struct delayed call = {base, "POST", "/__cdrsim/huawei/agents/292/calls",
                           "{\"callid\":\"wake-1\"}", 0};
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, after_300ms, &call), 0);
    double started = now_s();
    expect_ok(cdr_huawei_poll_event(s, &ev, &err), &err);
    double took = now_s() - started;
    pthread_join(thread, NULL);
    assert_int_equal(call.status, 201);
    /* The first event of a new call, in the documented content shape. */
    assert_string_equal(ev.type, "AgentEvent_Ringing");
    assert_string_equal(ev.content_json,
                        "{\"caller\":\"70004\",\"transfer\":\"no\",\"callid\":\"wake-1\","
                        "\"transfrom\":\"\",\"called\":\"60015\",\"type\":\"main\","
                        "\"mediaAbility\":\"1\",\"feature\":\"0\"}");
    assert_true(took >= 0.25 && took < WOKEN_WITHIN_S); /* woken, not the 10 s */
    cdr_huawei_event_free(&ev);
    static const char *const then[] = {"AgentEvent_Talking", "AgentMediaEvent_Record"};
    for (size_t i = 0; i < 2; i++) { /* already queued: answered at once */
        expect_ok(cdr_huawei_poll_event(s, &ev, &err), &err);
        assert_string_equal(ev.type, then[i]);
        cdr_huawei_event_free(&ev);
    }

    /* A reset while a poll waits: the session is gone when it wakes. */
    struct delayed reset = {base, "POST", "/__cdrsim/reset", NULL, 0};
    assert_int_equal(pthread_create(&thread, NULL, after_300ms, &reset), 0);
    started = now_s();
    cdr_error rc = cdr_huawei_poll_event(s, &ev, &err);
    took = now_s() - started;
    pthread_join(thread, NULL);
    assert_int_equal(reset.status, 200);
    expect_vendor(rc, &err, CDR_ERR_AUTH, "100-006");
    assert_true(took >= 0.25 && took < WOKEN_WITHIN_S);
    cdr_huawei_session_free(s);
}

/* ---- isNoContainLastCall --------------------------------------------------------------------- */

static void last_call_both_ways(const char *base, const char *last_callid)
{
    struct cdr_error_info err;
    struct cdr_record rec;
    bool found;
    struct cdr_huawei_session *s = session(base, "292", CDR_HUAWEI_LASTCALL_AUTO);
    expect_ok(cdr_huawei_sign_in(s, true, NULL, &err), &err);
    expect_ok(cdr_huawei_call_info(s, true, &rec, &found, &err), &err);
    assert_true(found);
    assert_string_equal(rec.id, last_callid);
    assert_int_not_equal(rec.end_time, CDR_TIME_NONE);
    cdr_record_free(&rec);
    expect_ok(cdr_huawei_call_info(s, false, &rec, &found, &err), &err);
    assert_false(found); /* an ended call is never taken for the current one */
    assert_null(rec.id);
    expect_ok(cdr_huawei_sign_out(s, &err), &err);
    cdr_huawei_session_free(s);
}

static void test_last_call_under_both_meanings(void **state)
{
    /* The newest call of agent 292 in fixtures/huawei/records.json. */
    static const char last[] = "1745859264-459";
    const char *doc = start_mock(state, 0, NULL);
    const char *const name_args[] = {"--variant", "huawei.lastcall_flag=name", NULL};
    const char *name = start_mock(state, 1, name_args);
    last_call_both_ways(doc, last);
    last_call_both_ways(name, last);

    /* Told the wrong meaning, the client asks once and gets nothing: the option matters. */
    struct cdr_huawei_session *s = session(name, "292", CDR_HUAWEI_LASTCALL_DOC);
    struct cdr_error_info err;
    struct cdr_record rec;
    bool found;
    expect_ok(cdr_huawei_sign_in(s, true, NULL, &err), &err);
    expect_ok(cdr_huawei_call_info(s, true, &rec, &found, &err), &err);
    assert_false(found);
    cdr_huawei_session_free(s);
    s = session(name, "292", CDR_HUAWEI_LASTCALL_NAME);
    expect_ok(cdr_huawei_sign_in(s, true, NULL, &err), &err);
    expect_ok(cdr_huawei_call_info(s, true, &rec, &found, &err), &err);
    assert_true(found);
    assert_string_equal(rec.id, last);
    cdr_record_free(&rec);
    cdr_huawei_session_free(s);
}

/* ---- TLS ------------------------------------------------------------------------------------- */

static void tls_round_trip(const char *base, bool insecure, const char *ca_file)
{
    struct cdr_huawei_session *s =
        session_with(base, "291", NULL, CDR_HUAWEI_LASTCALL_AUTO, insecure, ca_file);
    struct cdr_error_info err;
    expect_ok(cdr_huawei_sign_in(s, true, NULL, &err), &err);
    struct cdr_record rec;
    bool found;
    expect_ok(cdr_huawei_call_info(s, true, &rec, &found, &err), &err);
    assert_true(found);
    assert_string_equal(rec.id, "1745289057-452"); /* 291's newest call in records.json */
    cdr_record_free(&rec);
    expect_ok(cdr_huawei_sign_out(s, &err), &err);
    cdr_huawei_session_free(s);
}

static void test_tls_round_trip(void **state)
{
    struct fixture *fx = *state;
    test_tls_make(&fx->tls);
    const char *const tls[] = {"--tls-cert", fx->tls.cert, "--tls-key", fx->tls.key, NULL};
    const char *base = start_mock(state, 0, tls);
    assert_int_equal(strncmp(base, "https://127.0.0.1:", 18), 0);
    assert_non_null(strstr(fx->mocks[0].stdout_text, "curl -k -s"));
    tls_round_trip(base, true, NULL);          /* --insecure */
    tls_round_trip(base, false, fx->tls.cert); /* trusting the certificate */

    /* Neither: the self-signed certificate is refused before anything is sent. */
    struct cdr_huawei_session *s = session(base, "291", CDR_HUAWEI_LASTCALL_AUTO);
    struct cdr_error_info err;
    assert_int_equal(cdr_huawei_sign_in(s, false, NULL, &err), CDR_ERR_TRANSPORT);
    assert_int_equal(err.http_status, 0);
    cdr_huawei_session_free(s);
    cJSON *view = agent_view(base, "291");
    assert_string_equal(json_str_at(view, "session"), "signed_out");
    cJSON_Delete(view);
    /* Plain HTTP to the TLS port gets no answer the client takes. */
    char *plain = test_format("http://%s", base + strlen("https://"));
    s = session(plain, "291", CDR_HUAWEI_LASTCALL_AUTO);
    cdr_error rc = cdr_huawei_sign_in(s, false, NULL, &err);
    const uintmax_t failures[] = {CDR_ERR_TRANSPORT, CDR_ERR_HTTP, CDR_ERR_MALFORMED_RESPONSE};
    assert_in_set(rc, failures, 3);
    cdr_huawei_session_free(s);
    free(plain);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_session_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_guid_handover_under_a_moved_clock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forced_sign_in, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poll_woken_by_an_event, setup, teardown),
        cmocka_unit_test_setup_teardown(test_last_call_under_both_meanings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tls_round_trip, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
