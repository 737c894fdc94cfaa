/* The real cdrsim-mock under concurrent load. For a few seconds several threads at once send every
 * vendor's normal queries (a signed ITNIO query, a Yunfu token query, Aliyun queries signed V2
 * and V3, Huawei sessions: sign-in, callinfo, the event long poll, sign-out) while other threads
 * reset the mock, move its clock, read its health and drive the Huawei admin endpoints. Every
 * answer must be a well-formed vendor answer with an expected status, no connection may drop,
 * and afterwards the mock must answer exactly as it did before the load. Built with
 * -DCDRSIM_TSAN=ON (scripts/test.sh --tsan) this is the workload that lets ThreadSanitizer see
 * requests racing a reset.
 *
 * Worker threads never call cmocka (its failures jump back to the main thread's stack): each
 * keeps its own count and first failure, and the main thread asserts on them after joining. */
#include <setjmp.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "cdrsim/itnio.h"
#include "testutil.h"
#include "workers.h"
#include "yunfu_model.h"

#define CLOCK "2025-05-01T00:00:00Z"
#define CLOCK_S 1746057600LL
/* Signed requests carry this instant: within every vendor's timestamp window wherever the clock
 * worker puts the clock (CLOCK plus at most about a minute). */
#define SIGNED_AT (CLOCK_S + 15)
#define LOAD_SECONDS 3
/* The load goes on past LOAD_SECONDS until this many resets are done (a reset reloads every
 * dataset, which takes seconds under ThreadSanitizer), but never past MAX_LOAD_SECONDS. */
#define MIN_RESETS 3
#define MAX_LOAD_SECONDS 60
#define QUERY_WORKERS 3
#define PAGE_SIZE 5

#define ITNIO_KEY "bDqJFiq9"
#define ITNIO_SECRET "7bz1lzh9"
#define ITNIO_QUERY                                                                                \
    "{\"current\":1,\"size\":5,\"params\":{\"startTime\":\"2025-01-01 00:00:00\","                 \
    "\"endTime\":\"2025-02-01 00:00:00\"}}"
#define YUNFU_QUERY                                                                                \
    "/agent-api/user/" YUNFU_SEED_USER "/task/" YUNFU_SEED_TASK "/record?page=1&per_page=5"
/* Huawei agents of fixtures/huawei/agents.json: one session worker each; the admin worker drives
 * the first one's calls and events. */
static const char *const session_agents[] = {"292", "293"};
#define SESSION_WORKERS (sizeof(session_agents) / sizeof(session_agents[0]))
#define HUAWEI_AGENT_COUNT 6
#define VENDOR_COUNT 4
#define LOAD_EVENT "Cdrsim_LoadTest"

/* What one query answers when nothing else runs, read before the load. */
struct expected {
    int64_t itnio_total;
    int64_t yunfu_total;
    int64_t aliyun_total;
};

/* What every worker shares. Only the counters change while the workers run. */
struct load {
    const char *base;
    unsigned port;
    struct expected want;
    int64_t end_us;            /* monotonic: the load lasts at least until then */
    int64_t cap_us;            /* and at most until then */
    atomic_uint resets_sent;   /* bumped before each reset request goes out */
    atomic_uint resets_done;   /* bumped after its answer came back */
    atomic_uint events_queued; /* LOAD_EVENT events the admin endpoint accepted */
};

struct worker {
    struct test_worker t; /* first: the steps get the worker back from it */
    struct load *load;
    /* Huawei session workers. */
    const char *agent;
    char guid[128];        /* "" when not signed in */
    unsigned resets_known; /* resets_done when the session was opened */
    /* Results, read by the main thread after the join. */
    unsigned sessions;      /* Huawei sign-ins */
    unsigned sessions_lost; /* sessions a reset ended */
    unsigned events;        /* Huawei events received by the poll */
    unsigned load_events;   /* of which queued by the admin worker */
};

/* One request; false (recorded as a failure) when the connection failed or dropped. */
static bool exchange(struct worker *w, const char *method, const char *path,
                     const char *const *headers, const char *body, struct test_http_reply *r)
{
    char url[1024], error[512];
    snprintf(url, sizeof(url), "%s%s", w->load->base, path);
    w->t.exchanges++;
    if (test_http_try(method, url, headers, body, body ? strlen(body) : 0, r, error, sizeof(error)))
        return true;
    test_worker_failed(&w->t, NULL, "no answer: %s", error);
    return false;
}

/* HTTP status and a JSON body; false (recorded) otherwise. */
static bool answered(struct worker *w, const struct test_http_reply *r, const char *what,
                     long status)
{
    if (r->status != status) {
        test_worker_failed(&w->t, r, "%s: HTTP %ld, expected %ld", what, r->status, status);
        return false;
    }
    if (!r->json) {
        test_worker_failed(&w->t, r, "%s: the body is not JSON", what);
        return false;
    }
    return true;
}

static bool number_at(struct worker *w, const struct test_http_reply *r, const char *what,
                      const char *path, int64_t *out)
{
    const cJSON *item = json_at(r->json, path);
    if (!cJSON_IsNumber(item)) {
        test_worker_failed(&w->t, r, "%s: %s is not a number", what, path);
        return false;
    }
    *out = (int64_t)item->valuedouble;
    return true;
}

static const char *string_at(struct worker *w, const struct test_http_reply *r, const char *what,
                             const char *path)
{
    const cJSON *item = json_at(r->json, path);
    if (!cJSON_IsString(item)) {
        test_worker_failed(&w->t, r, "%s: %s is not a string", what, path);
        return NULL;
    }
    return item->valuestring;
}

static bool check_number(struct worker *w, const struct test_http_reply *r, const char *what,
                         const char *path, int64_t want)
{
    int64_t got;
    if (!number_at(w, r, what, path, &got))
        return false;
    if (got != want) {
        test_worker_failed(&w->t, r, "%s: %s is %lld, expected %lld", what, path, (long long)got,
                           (long long)want);
        return false;
    }
    return true;
}

static bool check_string(struct worker *w, const struct test_http_reply *r, const char *what,
                         const char *path, const char *want)
{
    const char *got = string_at(w, r, what, path);
    if (!got)
        return false;
    if (strcmp(got, want) != 0) {
        test_worker_failed(&w->t, r, "%s: %s is \"%s\", expected \"%s\"", what, path, got, want);
        return false;
    }
    return true;
}

static bool check_array(struct worker *w, const struct test_http_reply *r, const char *what,
                        const char *path, int64_t size)
{
    const cJSON *item = path ? json_at(r->json, path) : r->json;
    if (!cJSON_IsArray(item)) {
        test_worker_failed(&w->t, r, "%s: %s is not an array", what, path ? path : "the body");
        return false;
    }
    if (cJSON_GetArraySize(item) != size) {
        test_worker_failed(&w->t, r, "%s: %s has %d entries, expected %lld", what,
                           path ? path : "the body", cJSON_GetArraySize(item), (long long)size);
        return false;
    }
    return true;
}

/* A page of PAGE_SIZE out of total. */
static int64_t page_of(int64_t total)
{
    return total < PAGE_SIZE ? total : PAGE_SIZE;
}

/* ---- the vendors' queries ------------------------------------------------------------------- */

/* Each checks the answer's shape and status and reports the total it claims; false (recorded)
 * when the answer is not what the vendor sends. */

static bool itnio_query(struct worker *w, int64_t *total)
{
    char *sign = cdr_itnio_sign(ITNIO_KEY, ITNIO_SECRET, SIGNED_AT);
    char sign_h[64], ts_h[64];
    snprintf(sign_h, sizeof(sign_h), "Sign: %s", sign ? sign : "");
    snprintf(ts_h, sizeof(ts_h), "Timestamp: %lld", SIGNED_AT);
    free(sign);
    const char *const headers[] = {"Content-Type: application/json;charset=UTF-8", sign_h, ts_h,
                                   "Api-Key: " ITNIO_KEY, NULL};
    struct test_http_reply r;
    if (!exchange(w, "POST", "/v3/cc/record/query", headers, ITNIO_QUERY, &r))
        return false;
    bool ok = answered(w, &r, "ITNIO query", 200) &&
              check_number(w, &r, "ITNIO query", "status", 0) &&
              number_at(w, &r, "ITNIO query", "data.total", total) &&
              check_array(w, &r, "ITNIO query", "data.records", page_of(*total));
    test_http_reply_free(&r);
    return ok;
}

static bool yunfu_query(struct worker *w, int64_t *total)
{
    const char *const headers[] = {"Authorization: Bearer " YUNFU_DEMO_TOKEN,
                                   "Accept: application/json", NULL};
    struct test_http_reply r;
    if (!exchange(w, "GET", YUNFU_QUERY, headers, NULL, &r))
        return false;
    bool ok = answered(w, &r, "Yunfu query", 200) &&
              check_number(w, &r, "Yunfu query", "code", 200) &&
              check_string(w, &r, "Yunfu query", "status", "success") &&
              number_at(w, &r, "Yunfu query", "meta.total", total) &&
              check_array(w, &r, "Yunfu query", "data", page_of(*total));
    test_http_reply_free(&r);
    return ok;
}

static bool aliyun_query(struct worker *w, bool v3, int64_t *total)
{
    char host[64];
    snprintf(host, sizeof(host), "host: 127.0.0.1:%u", w->load->port);
    struct aliyun_built b;
    aliyun_build(&(struct aliyun_request){.method = v3 ? "POST" : "GET",
                                          .v3 = v3,
                                          .now = SIGNED_AT,
                                          .params = (const char *const[]){"PageSize=5", NULL},
                                          .headers = (const char *const[]){host, NULL}},
                 &b);
    const char *what = v3 ? "Aliyun query (V3)" : "Aliyun query (V2)";
    struct test_http_reply r;
    bool ok = exchange(w, v3 ? "POST" : "GET", b.path, (const char *const *)b.headers,
                       v3 ? "" : NULL, &r);
    aliyun_built_free(&b);
    if (!ok)
        return false;
    ok = answered(w, &r, what, 200) && check_string(w, &r, what, "Code", "Success") &&
         string_at(w, &r, what, "RequestId") && number_at(w, &r, what, "Data.TotalCount", total) &&
         check_array(w, &r, what, "Data.CallDetailRecord", page_of(*total));
    test_http_reply_free(&r);
    return ok;
}

static void check_total(struct worker *w, const char *what, int64_t got, int64_t want)
{
    if (got != want)
        test_worker_failed(&w->t, NULL, "%s: total %lld, expected %lld as before the load", what,
                           (long long)got, (long long)want);
}

/* Every vendor's query in turn: the answers must not change while the mock resets underneath. */
static void query_step(struct test_worker *t, unsigned i)
{
    struct worker *w = (struct worker *)t;
    int64_t total;
    const struct expected *want = &w->load->want;
    switch (i % 4) {
    case 0:
        if (itnio_query(w, &total))
            check_total(w, "ITNIO query", total, want->itnio_total);
        break;
    case 1:
        if (yunfu_query(w, &total))
            check_total(w, "Yunfu query", total, want->yunfu_total);
        break;
    default:
        if (aliyun_query(w, i % 4 == 3, &total))
            check_total(w, "Aliyun query", total, want->aliyun_total);
        break;
    }
}

/* ---- a Huawei agent's session -------------------------------------------------------------- */

static void huawei_path(char *out, size_t len, const char *root, const char *agent,
                        const char *tail)
{
    snprintf(out, len, "/agentgateway/resource/%s/%s%s%s", root, agent, tail ? "/" : "",
             tail ? tail : "");
}

static void sign_in(struct worker *w)
{
    char path[128], body[128];
    huawei_path(path, sizeof(path), "onlineagent", w->agent, NULL);
    snprintf(body, sizeof(body),
             "{\"password\":\"demo-pass-%s\",\"phonenum\":\"70%s\",\"status\":4}", w->agent,
             w->agent);
    const char *const headers[] = {"Content-Type: application/json;charset=UTF-8", NULL};
    /* Read before the request: a reset that finishes later may end this session. */
    unsigned known = atomic_load(&w->load->resets_done);
    struct test_http_reply r;
    if (!exchange(w, "PUT", path, headers, body, &r))
        return;
    char guid[sizeof(w->guid)];
    if (answered(w, &r, "Huawei sign-in", 200) &&
        check_string(w, &r, "Huawei sign-in", "retcode", "0") &&
        check_string(w, &r, "Huawei sign-in", "result.workno", w->agent)) {
        if (test_http_reply_header(&r, "Guid", guid, sizeof(guid)) && guid[0]) {
            snprintf(w->guid, sizeof(w->guid), "%s", guid);
            w->resets_known = known;
            w->sessions++;
        } else {
            test_worker_failed(&w->t, &r, "Huawei sign-in: no Guid header");
        }
    }
    test_http_reply_free(&r);
}

/* A Huawei answer to a signed-in request: true when retcode is "0". "Not signed in" is expected
 * only when a reset began after the session was opened; the session then ends. */
static bool session_answer(struct worker *w, const struct test_http_reply *r, const char *what)
{
    if (!answered(w, r, what, 200))
        return false;
    const char *retcode = string_at(w, r, what, "retcode");
    if (!retcode)
        return false;
    if (strcmp(retcode, "0") == 0)
        return true;
    if (strcmp(retcode, "100-006") == 0 && atomic_load(&w->load->resets_sent) > w->resets_known) {
        w->guid[0] = '\0';
        w->sessions_lost++;
        return false;
    }
    test_worker_failed(&w->t, r, "%s: retcode %s, expected \"0\"%s", what, retcode,
                       atomic_load(&w->load->resets_sent) > w->resets_known
                           ? " or \"100-006\""
                           : " (no reset began since the sign-in)");
    return false;
}

/* One request of the signed-in session, with its Guid: true when the answer is retcode "0".
 * *r is always safe to free. */
static bool session_call(struct worker *w, const char *method, const char *root, const char *tail,
                         const char *what, struct test_http_reply *r)
{
    char path[128], guid_h[sizeof(w->guid) + 8];
    huawei_path(path, sizeof(path), root, w->agent, tail);
    snprintf(guid_h, sizeof(guid_h), "Guid: %s", w->guid);
    return exchange(w, method, path, (const char *const[]){guid_h, NULL}, NULL, r) &&
           session_answer(w, r, what);
}

static void callinfo(struct worker *w)
{
    struct test_http_reply r;
    if (session_call(w, "GET", "calldata", "callinfo", "Huawei callinfo", &r)) {
        const cJSON *result = json_at(r.json, "result");
        if (!result || !(cJSON_IsNull(result) ||
                         cJSON_IsString(cJSON_GetObjectItemCaseSensitive(result, "callid"))))
            test_worker_failed(&w->t, &r,
                               "Huawei callinfo: result is neither null nor a call with a callid");
    }
    test_http_reply_free(&r);
}

static void poll_events(struct worker *w)
{
    struct test_http_reply r;
    if (session_call(w, "GET", "agentevent", NULL, "Huawei event poll", &r)) {
        const cJSON *event = json_at(r.json, "event");
        if (event) {
            w->events++;
            const cJSON *type = cJSON_GetObjectItemCaseSensitive(event, "eventType");
            const cJSON *workno = cJSON_GetObjectItemCaseSensitive(event, "workNo");
            if (!cJSON_IsString(type) || !cJSON_IsString(workno) ||
                strcmp(workno->valuestring, w->agent) != 0)
                test_worker_failed(&w->t, &r, "Huawei event poll: not an event of agent %s",
                                   w->agent);
            else if (strcmp(type->valuestring, LOAD_EVENT) == 0)
                w->load_events++;
        }
        /* Dynamic auth hands a rotated Guid over here. */
        char handover[sizeof(w->guid) + 16];
        if (test_http_reply_header(&r, "Set-GUID", handover, sizeof(handover)) &&
            strncmp(handover, "JSESSIONID=", 11) == 0)
            snprintf(w->guid, sizeof(w->guid), "%.127s", handover + 11);
    }
    test_http_reply_free(&r);
}

static void sign_out(struct worker *w)
{
    struct test_http_reply r;
    if (session_call(w, "DELETE", "onlineagent", "logout", "Huawei sign-out", &r))
        w->guid[0] = '\0';
    test_http_reply_free(&r);
}

static void session_step(struct test_worker *t, unsigned i)
{
    struct worker *w = (struct worker *)t;
    if (!w->guid[0])
        sign_in(w);
    else if (i % 2)
        callinfo(w);
    else if (i % 16)
        poll_events(w);
    else
        sign_out(w);
}

/* ---- the control plane ------------------------------------------------------------------------
 */

static void reset_step(struct test_worker *t, unsigned i)
{
    struct worker *w = (struct worker *)t;
    (void)i;
    atomic_fetch_add(&w->load->resets_sent, 1);
    /* libcurl would label the empty body a form, which admin writes refuse. */
    const char *const headers[] = {"Content-Type: application/json", NULL};
    struct test_http_reply r;
    if (exchange(w, "POST", "/__cdrsim/reset", headers, "", &r)) {
        if (answered(w, &r, "reset", 200))
            check_string(w, &r, "reset", "status", "reset");
        test_http_reply_free(&r);
    }
    atomic_fetch_add(&w->load->resets_done, 1);
}

/* Moves the clock back and forth within the first minute after CLOCK: every answer must still
 * show a clock in that neighbourhood, and signed requests stay inside their windows. */
static void clock_step(struct test_worker *t, unsigned i)
{
    struct worker *w = (struct worker *)t;
    char body[64];
    const char *method = "PUT";
    if (i % 3 == 0)
        snprintf(body, sizeof(body), "{\"now\":\"2025-05-01T00:00:%02uZ\"}", i / 3 % 30);
    else if (i % 3 == 1)
        snprintf(body, sizeof(body), "{\"advance_seconds\":1}");
    else
        method = "GET";
    const char *const headers[] = {"Content-Type: application/json", NULL};
    struct test_http_reply r;
    if (!exchange(w, method, "/__cdrsim/clock", headers, *method == 'P' ? body : NULL, &r))
        return;
    int64_t ms;
    if (answered(w, &r, "clock", 200) && string_at(w, &r, "clock", "now") &&
        number_at(w, &r, "clock", "epoch_ms", &ms) &&
        (ms < CLOCK_S * 1000 || ms > (CLOCK_S + 120) * 1000))
        test_worker_failed(&w->t, &r, "clock: epoch_ms %lld is not within two minutes after " CLOCK,
                           (long long)ms);
    test_http_reply_free(&r);
}

static void health(struct worker *w)
{
    struct test_http_reply r;
    if (!exchange(w, "GET", "/__cdrsim/health", NULL, NULL, &r))
        return;
    if (answered(w, &r, "health", 200) && check_string(w, &r, "health", "status", "ok") &&
        check_array(w, &r, "health", "vendors", VENDOR_COUNT)) {
        const cJSON *v;
        cJSON_ArrayForEach(v, json_at(r.json, "vendors")) {
            if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(v, "id")))
                test_worker_failed(&w->t, &r, "health: a vendor without an id");
        }
    }
    test_http_reply_free(&r);
}

/* The admin endpoints that act on an agent answer success or a conflict, depending on what the
 * session worker and the resets have done to it meanwhile. */
static void huawei_admin(struct worker *w, const char *method, const char *tail, const char *body,
                         long ok_status, const char *ok_key, long conflict_status)
{
    char path[128], what[96];
    snprintf(path, sizeof(path), "/__cdrsim/huawei/agents/%s%s", session_agents[0], tail);
    snprintf(what, sizeof(what), "%s /__cdrsim/huawei/agents/{id}%s", method, tail);
    const char *const headers[] = {"Content-Type: application/json", NULL};
    struct test_http_reply r;
    if (!exchange(w, method, path, body ? headers : NULL, body, &r))
        return;
    if (r.status == conflict_status) {
        if (answered(w, &r, what, conflict_status))
            string_at(w, &r, what, "error");
    } else if (answered(w, &r, what, ok_status)) {
        const cJSON *item = json_at(r.json, ok_key);
        if (!item)
            test_worker_failed(&w->t, &r, "%s: no %s", what, ok_key);
        else if (strcmp(tail, "/events") == 0)
            atomic_fetch_add(&w->load->events_queued, 1);
    }
    test_http_reply_free(&r);
}

static void admin_step(struct test_worker *t, unsigned i)
{
    struct worker *w = (struct worker *)t;
    struct test_http_reply r;
    switch (i % 6) {
    case 0:
        health(w);
        break;
    case 1:
        if (exchange(w, "GET", "/__cdrsim/huawei/agents", NULL, NULL, &r)) {
            if (answered(w, &r, "huawei agents", 200) &&
                check_array(w, &r, "huawei agents", NULL, HUAWEI_AGENT_COUNT))
                check_string(w, &r, "huawei agents", "0.agentid", "291");
            test_http_reply_free(&r);
        }
        break;
    case 2:
        huawei_admin(w, "POST", "/events",
                     "{\"eventType\":\"" LOAD_EVENT "\",\"content\":{\"from\":\"admin\"}}", 200,
                     "pending_events", 409);
        break;
    case 3:
        huawei_admin(w, "POST", "/calls", NULL, 201, "callid", 409);
        break;
    case 4:
        huawei_admin(w, "GET", "", NULL, 200, "session", -1);
        break;
    default:
        huawei_admin(w, "DELETE", "/calls/current", NULL, 200, "callid", 404);
        break;
    }
}

/* ---- running the load ----------------------------------------------------------------------- */

static bool load_goes_on(void *arg)
{
    struct load *load = arg;
    int64_t now = test_monotonic_us();
    return now < load->cap_us &&
           (now < load->end_us || atomic_load(&load->resets_done) < MIN_RESETS);
}

/* The answers before any load, read one at a time. */
static struct expected read_expected(struct load *load)
{
    struct worker probe = {.t.name = "before the load", .load = load};
    struct expected want = {-1, -1, -1};
    int64_t v3_total = -1;
    itnio_query(&probe, &want.itnio_total);
    yunfu_query(&probe, &want.yunfu_total);
    aliyun_query(&probe, false, &want.aliyun_total);
    aliyun_query(&probe, true, &v3_total);
    test_worker_expect_clean(&probe.t);
    assert_true(want.itnio_total > PAGE_SIZE);
    assert_true(want.yunfu_total > PAGE_SIZE);
    assert_true(want.aliyun_total > PAGE_SIZE);
    assert_int_equal(v3_total, want.aliyun_total);
    return want;
}

/* After the load, one request at a time: the same answers as before it, a fresh Huawei session
 * with its sign-in event, and a healthy mock. */
static void expect_settled(struct load *load)
{
    struct worker after = {.t.name = "after the load", .load = load, .agent = session_agents[0]};
    struct expected got = {-1, -1, -1};
    itnio_query(&after, &got.itnio_total);
    yunfu_query(&after, &got.yunfu_total);
    aliyun_query(&after, true, &got.aliyun_total);
    health(&after);
    reset_step(&after.t, 0);
    sign_in(&after);
    test_worker_expect_clean(&after.t);
    assert_int_equal(got.itnio_total, load->want.itnio_total);
    assert_int_equal(got.yunfu_total, load->want.yunfu_total);
    assert_int_equal(got.aliyun_total, load->want.aliyun_total);
    assert_int_equal(after.sessions, 1);
    poll_events(&after);
    test_worker_expect_clean(&after.t);
    assert_int_equal(after.events, 1); /* AgentOther_InService, queued by the sign-in */
}

static void every_vendor_under_concurrent_resets_clock_moves_and_admin_calls(void **state)
{
    struct mock_process *mock = *state;
    /* Admin threads start calls on the agents the sessions sign out: a talking agent stays in
     * by default (huawei.signout_in_call), which is not what this test is about. */
    mock_process_start(mock, (const char *const[]){"--clock", CLOCK, "--variant",
                                                   "huawei.poll_seconds=1", "--variant",
                                                   "huawei.signout_in_call=signs_out", NULL});
    struct load load = {.base = mock->base_url, .port = mock->port};
    load.want = read_expected(&load);

    struct worker workers[QUERY_WORKERS + SESSION_WORKERS + 3];
    size_t n = 0;
    memset(workers, 0, sizeof(workers));
    for (size_t i = 0; i < QUERY_WORKERS; i++) {
        snprintf(workers[n].t.name, sizeof(workers[n].t.name), "queries %zu", i + 1);
        workers[n++].t.step = query_step;
    }
    for (size_t i = 0; i < SESSION_WORKERS; i++) {
        snprintf(workers[n].t.name, sizeof(workers[n].t.name), "huawei agent %s",
                 session_agents[i]);
        workers[n].agent = session_agents[i];
        workers[n++].t.step = session_step;
    }
    snprintf(workers[n].t.name, sizeof(workers[n].t.name), "resets");
    workers[n].t.pause_ms = 100;
    workers[n++].t.step = reset_step;
    snprintf(workers[n].t.name, sizeof(workers[n].t.name), "clock moves");
    workers[n].t.pause_ms = 10;
    workers[n++].t.step = clock_step;
    snprintf(workers[n].t.name, sizeof(workers[n].t.name), "health and huawei admin");
    workers[n].t.pause_ms = 10;
    workers[n++].t.step = admin_step;

    int64_t start_us = test_monotonic_us();
    load.end_us = start_us + LOAD_SECONDS * 1000000LL;
    load.cap_us = start_us + MAX_LOAD_SECONDS * 1000000LL;
    for (size_t i = 0; i < n; i++)
        workers[i].load = &load;
    double seconds = test_workers_run(workers, n, sizeof(workers[0]), load_goes_on, &load);

    unsigned exchanges = 0, sessions = 0, lost = 0, events = 0, load_events = 0;
    for (size_t i = 0; i < n; i++) {
        test_worker_expect_clean(&workers[i].t);
        if (workers[i].t.exchanges == 0)
            fail_msg("%s: no exchange in %.1f s", workers[i].t.name, seconds);
        exchanges += workers[i].t.exchanges;
        sessions += workers[i].sessions;
        lost += workers[i].sessions_lost;
        events += workers[i].events;
        load_events += workers[i].load_events;
    }
    unsigned resets = atomic_load(&load.resets_done);
    print_message("%u exchanges in %.1f s: %u resets, %u Huawei sessions (%u ended by a reset), "
                  "%u events polled (%u of %u queued by the admin endpoint)\n",
                  exchanges, seconds, resets, sessions, lost, events, load_events,
                  atomic_load(&load.events_queued));
    if (resets < MIN_RESETS)
        fail_msg("only %u resets in %.1f s", resets, seconds);
    assert_true(sessions >= SESSION_WORKERS);
    /* Nothing but the workers' own events reached them: the admin's and the sign-in's. */
    assert_true(load_events <= atomic_load(&load.events_queued));

    expect_settled(&load);
    assert_int_equal(mock_process_stop(mock), 0);
}

int main(void)
{
    /* Not thread-safe itself: once, before any worker starts. */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            every_vendor_under_concurrent_resets_clock_moves_and_admin_calls, mock_process_setup,
            mock_process_teardown),
    };
    int failures = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failures;
}
