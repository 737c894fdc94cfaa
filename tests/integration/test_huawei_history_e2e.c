/* The real cdrsim-mock on an ephemeral loopback port, driven by libcdrsim's Huawei history client
 * and session: a whole year of call history through 7-day windows (every record once, whatever
 * the page size, a record on a window boundary too), the paging guard against a server that reads
 * offset another way, the token kept, renewed before it expires and once more when the server
 * refuses it, recordings through getRecordingAddress (over TLS too) and recordfile, and the
 * heartbeat. */
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
#define DAY 86400
#define EXAMPLE_SERIAL "1037058396471308289"

struct fixture {
    struct mock_process mock;
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
    if (fx->mock.pid > 0)
        assert_int_equal(mock_process_stop(&fx->mock), 0);
    test_tls_remove(&fx->tls);
    free(fx);
    return 0;
}

static const char *start_mock(void **state, const char *const *extra)
{
    struct fixture *fx = *state;
    const char *args[16] = {"--clock", CLOCK, "--variant", "huawei.poll_seconds=1"};
    size_t n = 4;
    for (size_t k = 0; extra && extra[k]; k++)
        args[n++] = extra[k];
    args[n] = NULL;
    mock_process_start(&fx->mock, args);
    return fx->mock.base_url;
}

static void admin(const char *base, const char *method, const char *path, const char *body,
                  long status)
{
    char *url = test_format("%s%s", base, path);
    /* JSON, as the admin API takes writes (curl would label the body a form). */
    const char *const json[] = {"Content-Type: application/json", NULL};
    struct test_http_reply r = test_http(method, url, json, body, body ? strlen(body) : 0);
    if (r.status != status)
        fail_msg("%s %s: HTTP %ld %s", method, path, r.status, r.body);
    test_http_reply_free(&r);
    free(url);
}

static void advance_clock(const char *base, int seconds)
{
    char body[64];
    snprintf(body, sizeof(body), "{\"advance_seconds\":%d}", seconds);
    admin(base, "PUT", "/__cdrsim/clock", body, 200);
}

/* What went over the wire: token requests, history queries, 401s. */
struct wire {
    int tokens, queries, refused;
};

static void observe(void *user, const struct cdr_http_exchange *x)
{
    struct wire *w = user;
    w->tokens += strstr(x->url, "/tokenByAkSk") != NULL;
    w->queries += strstr(x->url, "/queryCallDetailRecord") != NULL;
    w->refused += x->status == 401;
}

/* The client's clock, moved by the test. */
static int64_t test_clock(void *user)
{
    return *(int64_t *)user;
}

static struct cdr_huawei_history *history_with(const char *base, const char *secret,
                                               struct wire *wire, int64_t *clock)
{
    struct cdr_huawei_history_options o;
    cdr_huawei_history_options_default(&o);
    o.base_url = base;
    o.app_key = "cdrsim-demo-ak";
    o.app_secret = secret ? secret : "cdrsim-demo-sk";
    o.http.observer = wire ? observe : NULL;
    o.http.observer_user = wire;
    o.http.insecure = true;
    o.clock = clock ? test_clock : NULL;
    o.clock_user = clock;
    struct cdr_error_info err;
    struct cdr_huawei_history *h = cdr_huawei_history_new(&o, &err);
    if (!h)
        fail_msg("history: %s", err.message);
    return h;
}

static void expect_ok(cdr_error rc, const struct cdr_error_info *err)
{
    if (rc != CDR_OK)
        fail_msg("%s: %s (vendor code %s)", cdr_error_name(rc), err->message, err->vendor_code);
}

/* ---- every record of a range ----------------------------------------------------------------- */

struct collected {
    struct test_ids ids;
    int64_t from, to;
    size_t windows;
    bool outside;
};

static int collect(void *user, const struct cdr_record *rec)
{
    struct collected *c = user;
    test_ids_add(&c->ids, rec->id);
    c->outside = c->outside || rec->start_time < c->from || rec->start_time > c->to;
    return 0;
}

static void note_windows(void *user, const struct cdr_progress *p)
{
    ((struct collected *)user)->windows = p->window_count;
}

static void fetch(struct cdr_huawei_history *h, int64_t from, int64_t to, int64_t limit,
                  struct collected *out)
{
    memset(out, 0, sizeof(*out));
    out->from = from;
    out->to = to;
    struct cdr_huawei_history_filter f;
    cdr_huawei_history_filter_init(&f);
    f.start_time = from;
    f.end_time = to;
    struct cdr_error_info err;
    expect_ok(cdr_huawei_history_fetch_all(h, &f, limit, collect, note_windows, out, &err), &err);
    assert_false(out->outside);
}

/* The fixture's outbound calls of agents in [from, to] but ITA's (callfeature 45): what the
 * history holds there, read from records.json directly. */
static size_t fixture_count(int64_t from, int64_t to)
{
    cJSON *recs = test_load_json(FIXTURES_DIR "/huawei/records.json");
    size_t n = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, recs) {
        int64_t f = json_int_at(r, "callfeature"), begin = json_int_at(r, "begintime") / 1000;
        n += (f == 7 || f == 40 || f == 41 || f == 43 || f == 44) &&
             json_int_at(r, "trace.deviceType") == 2 && cJSON_IsNumber(json_at(r, "endtime")) &&
             begin >= from && begin <= to;
    }
    cJSON_Delete(recs);
    return n;
}

static void test_a_year_through_windows(void **state)
{
    const char *base = start_mock(state, NULL);
    struct cdr_huawei_history *h = history_with(base, NULL, NULL, NULL);
    int64_t to = china_time(2025, 5, 1, 8, 0, 0), from = to - 366 * DAY;
    struct collected big, small;
    fetch(h, from, to, 0, &big);
    fetch(h, from, to, 3, &small);
    size_t want = fixture_count(from, to);
    assert_true(want > 100);
    assert_int_equal(big.ids.count, want);
    assert_int_equal(big.windows, 53); /* 366 days in windows of 7 days less a second */
    /* Every record once, whatever the page size, in the same order. */
    test_ids_assert_equal(&big.ids, &small.ids);
    test_ids_sort(&big.ids);
    for (size_t i = 1; i < big.ids.count; i++)
        assert_string_not_equal(big.ids.items[i - 1], big.ids.items[i]);
    test_ids_free(&big.ids);
    test_ids_free(&small.ids);
    cdr_huawei_history_free(h);
}

static void test_a_record_on_a_window_boundary(void **state)
{
    const char *base = start_mock(state, NULL);
    struct cdr_huawei_history *h = history_with(base, NULL, NULL, NULL);
    /* Agent 291's newest call began 2025-04-22T02:30:57.088Z: a range whose first window ends
     * in that very second makes it the boundary the two windows share. */
    int64_t s = 1745289057;
    int64_t from = s - (7 * DAY - 1), to = s + 3 * DAY;
    struct collected c;
    fetch(h, from, to, 1, &c);
    assert_int_equal(c.windows, 2);
    assert_int_equal(c.ids.count, fixture_count(from, to));
    size_t seen = 0;
    for (size_t i = 0; i < c.ids.count; i++)
        seen += strcmp(c.ids.items[i], "1914507183756673377") == 0;
    assert_int_equal(seen, 1);
    test_ids_free(&c.ids);
    cdr_huawei_history_free(h);
}

static int discard(void *user, const struct cdr_record *rec)
{
    (void)rec;
    ++*(size_t *)user;
    return 0;
}

static void test_guard_and_offset_unit(void **state)
{
    const char *const pages[] = {"--variant", "huawei.history_offset=pages", NULL};
    const char *base = start_mock(state, pages);
    int64_t from = china_time(2025, 4, 1, 0, 0, 0), to = china_time(2025, 4, 30, 23, 59, 59);
    struct cdr_huawei_history_filter f;
    cdr_huawei_history_filter_init(&f);
    f.start_time = from;
    f.end_time = to;
    /* Offsets in records to a server counting pages: the second page is another one, and the
     * guard stops the fetch rather than lose or repeat records. */
    struct cdr_huawei_history *h = history_with(base, NULL, NULL, NULL);
    struct cdr_error_info err;
    size_t n = 0;
    assert_int_equal(cdr_huawei_history_fetch_all(h, &f, 2, discard, NULL, &n, &err),
                     CDR_ERR_MALFORMED_RESPONSE);
    if (!strstr(err.message, "empty page before the last") && !strstr(err.message, "no id twice"))
        fail_msg("the guard says: %s", err.message);
    cdr_huawei_history_free(h);
    /* Told the server's unit, the client pages right. */
    struct cdr_huawei_history_options o;
    cdr_huawei_history_options_default(&o);
    o.base_url = base;
    o.app_key = "cdrsim-demo-ak";
    o.app_secret = "cdrsim-demo-sk";
    o.offset = CDR_HUAWEI_OFFSET_PAGES;
    h = cdr_huawei_history_new(&o, &err);
    n = 0;
    expect_ok(cdr_huawei_history_fetch_all(h, &f, 2, discard, NULL, &n, &err), &err);
    assert_int_equal(n, fixture_count(from, to));
    cdr_huawei_history_free(h);
}

/* ---- the token ------------------------------------------------------------------------------- */

static void query_week(struct cdr_huawei_history *h, cdr_error want)
{
    struct cdr_huawei_history_filter f;
    cdr_huawei_history_filter_init(&f);
    f.start_time = china_time(2025, 4, 1, 0, 0, 0);
    f.end_time = f.start_time + 6 * DAY;
    struct cdr_huawei_history_page p;
    struct cdr_error_info err;
    cdr_error rc = cdr_huawei_history_query(h, &f, 0, 10, &p, &err);
    if (rc != want)
        fail_msg("%s, expected %s: %s", cdr_error_name(rc), cdr_error_name(want), err.message);
    if (rc == CDR_OK)
        assert_true(p.record_count > 0);
    cdr_huawei_history_page_free(&p);
}

static void test_token_kept_and_renewed(void **state)
{
    const char *base = start_mock(state, NULL);
    struct wire w = {0};
    int64_t clock = 1000000;
    struct cdr_huawei_history_options o;
    cdr_huawei_history_options_default(&o);
    o.base_url = base;
    o.app_key = "cdrsim-demo-ak";
    o.app_secret = "cdrsim-demo-sk";
    o.token_lifetime = 120; /* renewed 60 s before: from 60 s on */
    o.http.observer = observe;
    o.http.observer_user = &w;
    o.clock = test_clock;
    o.clock_user = &clock;
    struct cdr_error_info err;
    struct cdr_huawei_history *h = cdr_huawei_history_new(&o, &err);
    query_week(h, CDR_OK);
    query_week(h, CDR_OK);
    assert_int_equal(w.tokens, 1);
    clock += 59;
    query_week(h, CDR_OK);
    assert_int_equal(w.tokens, 1);
    clock += 1; /* due for renewal */
    query_week(h, CDR_OK);
    assert_int_equal(w.tokens, 2);
    /* The server's clock runs ahead: it refuses a token the client still trusts; one renewal,
     * one more try, and the query succeeds. */
    advance_clock(base, 300);
    query_week(h, CDR_OK);
    assert_int_equal(w.tokens, 3);
    assert_int_equal(w.refused, 1);
    assert_int_equal(w.queries, 6);
    /* The token as the caller sees it: never printed, all there. */
    struct cdr_huawei_token t;
    expect_ok(cdr_huawei_history_token(h, false, &t, &err), &err);
    assert_string_equal(t.apply_type, "Bearer");
    assert_int_equal(t.expires_in, 120);
    assert_string_equal(t.app_key, "cdrsim-demo-ak");
    assert_true(strlen(t.access_token) > 32);
    cdr_huawei_token_free(&t);
    cdr_huawei_history_free(h);
}

static void test_wrong_secret_is_refused_once(void **state)
{
    const char *base = start_mock(state, NULL);
    struct wire w = {0};
    struct cdr_huawei_history *h = history_with(base, "wrong-sk", &w, NULL);
    struct cdr_huawei_history_filter f;
    cdr_huawei_history_filter_init(&f);
    f.start_time = china_time(2025, 4, 1, 0, 0, 0);
    f.end_time = f.start_time + DAY;
    struct cdr_huawei_history_page p;
    struct cdr_error_info err;
    assert_int_equal(cdr_huawei_history_query(h, &f, 0, 10, &p, &err), CDR_ERR_AUTH);
    assert_string_equal(err.vendor_code, "APIGW.0301");
    assert_int_equal(err.http_status, 401);
    assert_null(strstr(err.message, "wrong-sk"));
    assert_int_equal(w.tokens, 1);
    assert_int_equal(w.queries, 0);
    cdr_huawei_history_free(h);
}

/* ---- recordings ------------------------------------------------------------------------------ */

struct audio {
    unsigned char head[64];
    size_t len;
};

static int take(void *user, const void *data, size_t len)
{
    struct audio *a = user;
    if (a->len < sizeof(a->head))
        memcpy(a->head + a->len, data,
               len < sizeof(a->head) - a->len ? len : sizeof(a->head) - a->len);
    a->len += len;
    return 0;
}

static void expect_alaw(const struct audio *a, int seconds)
{
    assert_int_equal(memcmp(a->head, "RIFF", 4), 0);
    assert_int_equal(memcmp(a->head + 8, "WAVE", 4), 0);
    assert_int_equal(a->head[20], 6); /* G.711 A-law */
    assert_int_equal(a->len, 58 + (size_t)seconds * 8000);
}

static void test_recordings(void **state)
{
    const char *base = start_mock(state, NULL);
    struct cdr_huawei_history *h = history_with(base, NULL, NULL, NULL);
    struct cdr_error_info err;
    struct audio a = {.len = 0};
    expect_ok(cdr_huawei_recording_download(h, EXAMPLE_SERIAL, take, &a, &err), &err);
    expect_alaw(&a, 10); /* 26 s of talk, the audio capped */
    /* The URL lives five minutes on the mock's clock. */
    char *url;
    expect_ok(cdr_huawei_recording_url(h, EXAMPLE_SERIAL, &url, &err), &err);
    test_assert_prefix(url, base);
    struct test_http_reply r = test_http("GET", url, NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.content_type, "audio/wav");
    test_http_reply_free(&r);
    advance_clock(base, 301);
    r = test_http("GET", url, NULL, NULL, 0);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body, "Request has expired"));
    test_http_reply_free(&r);
    free(url);
    a.len = 0;
    expect_ok(cdr_huawei_recording_download(h, EXAMPLE_SERIAL, take, &a, &err), &err);
    /* Unknown: retCode 5. */
    assert_int_equal(cdr_huawei_recording_download(h, "1", take, &a, &err), CDR_ERR_NOT_FOUND);
    assert_string_equal(err.vendor_code, "5");
    cdr_huawei_history_free(h);

    /* Through a generic client: a fetched record's recording; a call object has none. */
    struct cdr_args *args = cdr_args_new();
    cdr_args_add(args, "app_key", "cdrsim-demo-ak");
    cdr_args_add(args, "app_secret", "cdrsim-demo-sk");
    cdr_args_add(args, "from", "2021-05-21 14:03:12");
    cdr_args_add(args, "to", "2021-05-21 14:03:12");
    struct cdr_client_options o;
    cdr_client_options_default(&o);
    o.base_url = base;
    struct cdr_client *c = cdr_client_new(cdr_vendor_find("huawei"), &o, args, &err);
    assert_non_null(c);
    struct cdr_page p;
    expect_ok(cdr_client_page(c, args, 1, 10, &p, &err), &err);
    assert_int_equal(p.record_count, 1);
    a.len = 0;
    expect_ok(cdr_huawei_download_record(c, &p.records[0], take, &a, &err), &err);
    expect_alaw(&a, 10);
    cdr_page_free(&p);
    size_t len;
    char *body = test_read_file(FIXTURES_DIR "/huawei/examples/callinfo_response.json", &len);
    assert_int_equal(cdr_vendor_parse(cdr_vendor_find("huawei"), body, len, 200, &p, &err), CDR_OK);
    assert_int_equal(cdr_huawei_download_record(c, &p.records[0], take, &a, &err),
                     CDR_ERR_NOT_FOUND);
    cdr_page_free(&p);
    free(body);
    cdr_client_free(c);
    cdr_args_free(args);
}

static void test_recording_over_tls(void **state)
{
    struct fixture *fx = *state;
    test_tls_make(&fx->tls);
    const char *const tls[] = {"--tls-cert", fx->tls.cert, "--tls-key", fx->tls.key, NULL};
    const char *base = start_mock(state, tls);
    struct cdr_huawei_history *h = history_with(base, NULL, NULL, NULL);
    struct cdr_error_info err;
    char *url;
    expect_ok(cdr_huawei_recording_url(h, EXAMPLE_SERIAL, &url, &err), &err);
    test_assert_prefix(url, "https://127.0.0.1:");
    free(url);
    struct audio a = {.len = 0};
    expect_ok(cdr_huawei_recording_download(h, EXAMPLE_SERIAL, take, &a, &err), &err);
    expect_alaw(&a, 10);
    cdr_huawei_history_free(h);
}

/* ---- the AgentGateway: recordfile and the heartbeat ------------------------------------------ */

static struct cdr_huawei_session *signed_in(const char *base, const char *agent)
{
    struct cdr_huawei_options o;
    cdr_huawei_options_default(&o);
    char password[32];
    snprintf(password, sizeof(password), "demo-pass-%s", agent);
    o.base_url = base;
    o.agent_id = agent;
    o.password = password;
    o.phone = "71001";
    struct cdr_error_info err;
    struct cdr_huawei_session *s = cdr_huawei_session_new(&o, &err);
    assert_non_null(s);
    expect_ok(cdr_huawei_sign_in(s, false, NULL, &err), &err);
    return s;
}

static void test_recordfile_from_the_event(void **state)
{
    const char *base = start_mock(state, NULL);
    struct cdr_huawei_session *s = signed_in(base, "1001");
    admin(base, "POST", "/__cdrsim/huawei/agents/1001/calls",
          "{\"callid\":\"e2e-rec\",\"talk_seconds\":2}", 201);
    struct cdr_error_info err;
    struct cdr_huawei_event ev;
    char file[160] = "";
    for (int i = 0; i < 5 && !file[0]; i++) {
        expect_ok(cdr_huawei_poll_event(s, &ev, &err), &err);
        if (ev.type && strcmp(ev.type, "AgentMediaEvent_Record") == 0) {
            cJSON *content = cJSON_Parse(ev.content_json);
            snprintf(file, sizeof(file), "%s", json_str_at(content, "fileName"));
            cJSON_Delete(content);
        }
        cdr_huawei_event_free(&ev);
    }
    assert_true(file[0] != '\0');
    struct audio a = {.len = 0};
    expect_ok(cdr_huawei_recordfile(s, file, 1, NULL, take, &a, &err), &err);
    expect_alaw(&a, 2);
    a.len = 0;
    expect_ok(cdr_huawei_recordfile(s, file, 0, "0", take, &a, &err), &err);
    /* Not the agent's: the gateway's 000-003 with its documented message. */
    assert_int_equal(
        cdr_huawei_recordfile(s, "Y:/1/0/20250501/20011/none.V3", 1, NULL, take, &a, &err),
        CDR_ERR_AUTH);
    assert_string_equal(err.vendor_code, "000-003");
    assert_string_equal(err.message, "no right to invite resource");
    assert_int_equal(cdr_huawei_recordfile(s, file, 3, NULL, take, &a, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    admin(base, "DELETE", "/__cdrsim/huawei/agents/1001/calls/current", NULL, 200);
    expect_ok(cdr_huawei_sign_out(s, &err), &err);
    cdr_huawei_session_free(s);
}

static void test_heartbeat(void **state)
{
    const char *base = start_mock(state, NULL);
    struct cdr_huawei_session *s = signed_in(base, "1001");
    struct cdr_error_info err;
    expect_ok(cdr_huawei_handshake(s, NULL, &err), &err);
    expect_ok(cdr_huawei_handshake(s, "token42", &err), &err);
    assert_int_equal(cdr_huawei_handshake(s, "bad token", &err), CDR_ERR_INVALID_ARGUMENT);
    /* Heartbeats keep the agent in and hand the rotated Guid over, without a single poll. */
    for (int i = 0; i < 3; i++) {
        char before[128];
        snprintf(before, sizeof(before), "%s", cdr_huawei_guid(s));
        advance_clock(base, 100);
        expect_ok(cdr_huawei_handshake(s, NULL, &err), &err);
        assert_string_not_equal(cdr_huawei_guid(s), before);
    }
    struct cdr_record rec;
    bool found;
    expect_ok(cdr_huawei_call_info(s, false, &rec, &found, &err), &err);
    expect_ok(cdr_huawei_sign_out(s, &err), &err);
    cdr_huawei_session_free(s);
    /* The gateway's own check, which the client would not send into. */
    struct cdr_huawei_options o;
    cdr_huawei_options_default(&o);
    o.base_url = base;
    o.agent_id = "1001";
    o.password = "demo-pass-1001";
    o.phone = "71001";
    o.unchecked = true;
    s = cdr_huawei_session_new(&o, &err);
    expect_ok(cdr_huawei_sign_in(s, false, NULL, &err), &err);
    assert_int_equal(cdr_huawei_handshake(s, "bad token", &err), CDR_ERR_PARAMETER);
    assert_string_equal(err.vendor_code, "100-001");
    expect_ok(cdr_huawei_sign_out(s, &err), &err);
    cdr_huawei_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_year_through_windows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_record_on_a_window_boundary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_guard_and_offset_unit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_token_kept_and_renewed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_secret_is_refused_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recordings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recording_over_tls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recordfile_from_the_event, setup, teardown),
        cmocka_unit_test_setup_teardown(test_heartbeat, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
