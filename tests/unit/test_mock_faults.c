/* The fault rules on their own (mockserver/faults.c): matching by vendor, exact or prefix path and
 * method; after, times and probability; seeded draws; the counts under concurrent requests; and
 * the fields a rule is refused for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "faults.h"
#include "server.h"
#include "testutil.h"
#include "workers.h"

#define CLOCK_MS 1746057600000LL /* 2025-05-01T00:00:00Z */

static void add(struct mock_faults *f, const char *json, char id[24])
{
    cJSON *spec = cJSON_Parse(json);
    assert_non_null(spec);
    char err[256] = "";
    if (!mock_faults_add(f, spec, NULL, id, err, sizeof(err)))
        fail_msg("%s refused: %s", json, err);
    cJSON_Delete(spec);
}

static bool fires(struct mock_faults *f, const char *vendor, const char *method, const char *path)
{
    struct mock_fault_hit hit;
    bool fired = mock_faults_match(f, vendor, method, path, &hit);
    mock_fault_hit_free(&hit);
    return fired;
}

static void test_matching(void **state)
{
    (void)state;
    struct mock_faults f;
    mock_faults_init(&f, 1);
    char id[24];
    add(&f, "{\"vendor\":\"a\",\"path\":\"/v3/cc/*\",\"method\":\"post\",\"kind\":\"reset\"}", id);
    assert_string_equal(id, "f1");
    add(&f, "{\"vendor\":\"b\",\"path\":\"/exact\",\"kind\":\"reset\"}", id);
    assert_true(fires(&f, "a", "POST", "/v3/cc/record/query"));
    assert_false(fires(&f, "a", "GET", "/v3/cc/record/query"));
    assert_false(fires(&f, "a", "POST", "/v3/other"));
    assert_false(fires(&f, "b", "POST", "/v3/cc/record/query"));
    assert_true(fires(&f, "b", "GET", "/exact"));
    assert_false(fires(&f, "b", "GET", "/exact/more"));
    assert_true(mock_faults_remove(&f, "f1"));
    assert_false(mock_faults_remove(&f, "f1"));
    assert_false(fires(&f, "a", "POST", "/v3/cc/record/query"));
    mock_faults_destroy(&f);
}

static void test_after_and_times(void **state)
{
    (void)state;
    struct mock_faults f;
    mock_faults_init(&f, 1);
    char id[24];
    add(&f,
        "{\"vendor\":\"a\",\"path\":\"/p\",\"kind\":\"delay\",\"ms\":5,\"after\":2,\"times\":3}",
        id);
    int pattern[8];
    for (int i = 0; i < 8; i++)
        pattern[i] = fires(&f, "a", "GET", "/p");
    static const int want[8] = {0, 0, 1, 1, 1, 0, 0, 0};
    for (int i = 0; i < 8; i++)
        assert_int_equal(pattern[i], want[i]);
    char *json = mock_faults_json(&f);
    cJSON *list = cJSON_Parse(json);
    assert_int_equal(json_int_at(list, "0.matched"), 8);
    assert_int_equal(json_int_at(list, "0.fired"), 3);
    cJSON_Delete(list);
    free(json);
    mock_faults_destroy(&f);
}

/* The same seed fires on the same requests; about the probability asked for. */
static void test_probability_is_seeded(void **state)
{
    (void)state;
    bool runs[2][400];
    int fired = 0;
    for (int run = 0; run < 2; run++) {
        struct mock_faults f;
        mock_faults_init(&f, 42);
        char id[24];
        add(&f, "{\"vendor\":\"a\",\"path\":\"/p\",\"kind\":\"reset\",\"probability\":0.25}", id);
        for (int i = 0; i < 400; i++) {
            runs[run][i] = fires(&f, "a", "GET", "/p");
            fired += run == 0 && runs[run][i];
        }
        mock_faults_destroy(&f);
    }
    assert_memory_equal(runs[0], runs[1], sizeof(runs[0]));
    if (fired < 60 || fired > 140)
        fail_msg("probability 0.25 fired %d of 400 times", fired);
}

static void test_jitter_within_bounds(void **state)
{
    (void)state;
    struct mock_faults f;
    mock_faults_init(&f, 7);
    char id[24];
    add(&f, "{\"vendor\":\"a\",\"path\":\"/p\",\"kind\":\"delay\",\"ms\":100,\"jitter_ms\":50}",
        id);
    bool varied = false;
    int first = -1;
    for (int i = 0; i < 50; i++) {
        struct mock_fault_hit hit;
        assert_true(mock_faults_match(&f, "a", "GET", "/p", &hit));
        assert_in_range(hit.delay_ms, 100, 150);
        varied |= first >= 0 && hit.delay_ms != first;
        first = hit.delay_ms;
        mock_fault_hit_free(&hit);
    }
    assert_true(varied);
    mock_faults_destroy(&f);
}

struct worker {
    struct mock_faults *faults;
    int fired;
};

static void *hammer(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < 2000; i++)
        w->fired += fires(w->faults, "a", "GET", "/p");
    return NULL;
}

/* times is never exceeded and no match is lost when requests race. */
static void test_counts_under_concurrency(void **state)
{
    (void)state;
    struct mock_faults f;
    mock_faults_init(&f, 1);
    char id[24];
    add(&f, "{\"vendor\":\"a\",\"path\":\"/p\",\"kind\":\"reset\",\"times\":777}", id);
    struct worker workers[4];
    for (int i = 0; i < 4; i++)
        workers[i] = (struct worker){&f, 0};
    test_threads_run(workers, 4, sizeof(workers[0]), hammer);
    int fired = 0;
    for (int i = 0; i < 4; i++)
        fired += workers[i].fired;
    assert_int_equal(fired, 777);
    char *json = mock_faults_json(&f);
    cJSON *list = cJSON_Parse(json);
    assert_int_equal(json_int_at(list, "0.matched"), 8000);
    assert_int_equal(json_int_at(list, "0.fired"), 777);
    cJSON_Delete(list);
    free(json);
    mock_faults_destroy(&f);
}

static void test_refusals_name_the_field(void **state)
{
    (void)state;
    static const struct {
        const char *spec, *field;
    } bad[] = {
        {"[]", "expected a JSON object"},
        {"{\"vendor\":\"a\",\"path\":\"/p\"}", "kind: "},
        {"{\"vendor\":\"a\",\"path\":\"p\",\"kind\":\"reset\"}", "path: "},
        {"{\"vendor\":\"a\",\"path\":\"/p\",\"kind\":\"truncate\"}", "bytes: "},
        {"{\"vendor\":\"a\",\"path\":\"/p\",\"kind\":\"truncate\",\"bytes\":0}", "bytes: "},
        {"{\"vendor\":\"a\",\"path\":\"/p\",\"kind\":\"delay\",\"ms\":1.5}", "ms: "},
        {"{\"vendor\":\"a\",\"path\":\"/p\",\"kind\":\"delay\",\"ms\":1,\"colour\":1}", "colour: "},
        {"{\"vendor\":\"a\",\"path\":\"/p\",\"kind\":\"status\"}", "status: "},
        {"{\"vendor\":\"a\",\"path\":\"/p\",\"kind\":\"reset\",\"after\":\"1\"}", "after: "},
    };
    struct mock_faults f;
    mock_faults_init(&f, 1);
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        cJSON *spec = cJSON_Parse(bad[i].spec);
        char id[24], err[256] = "";
        assert_false(mock_faults_add(&f, spec, NULL, id, err, sizeof(err)));
        test_assert_prefix(err, bad[i].field);
        cJSON_Delete(spec);
    }
    char *json = mock_faults_json(&f);
    assert_string_equal(json, "[]");
    free(json);
    mock_faults_destroy(&f);
}

/* The served mock takes a rule and answers the request it fires on. */
static struct test_reply faulted_call(struct test_mock *m, const char *rule, const char *method,
                                      const char *path)
{
    cJSON *spec = cJSON_Parse(rule);
    char id[24], err[256] = "";
    if (!mock_server_fault_add(m->server, spec, id, err, sizeof(err)))
        fail_msg("%s refused: %s", rule, err);
    cJSON_Delete(spec);
    return test_mock_call(m, method, path, NULL, NULL, 0);
}

/* Each vendor's own server error, in its shape and status, whatever the request was. */
static void test_vendor_errors(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, CLOCK_MS, NULL);
    struct test_reply r = faulted_call(
        m, "{\"vendor\":\"itnio\",\"path\":\"/v3/*\",\"kind\":\"vendor_error\",\"times\":1}",
        "POST", "/v3/cc/record/query");
    assert_int_equal(r.status, 200);
    assert_int_equal(json_int_at(r.json, "status"), -18);
    assert_string_equal(json_str_at(r.json, "reason"), "Port program unusual");
    test_reply_free(&r);

    r = faulted_call(m,
                     "{\"vendor\":\"huawei\",\"path\":\"/agentgateway/*\",\"kind\":"
                     "\"vendor_error\",\"times\":1}",
                     "GET", "/agentgateway/resource/calldata/1001/callinfo");
    assert_int_equal(r.status, 200);
    assert_string_equal(json_str_at(r.json, "retcode"), "100-007");
    test_reply_free(&r);

    r = faulted_call(m,
                     "{\"vendor\":\"aliyun\",\"path\":\"/\",\"kind\":\"vendor_error\","
                     "\"code\":\"ServiceUnavailable\",\"times\":1}",
                     "GET", "/?Action=HotlineSessionQuery&Format=JSON");
    assert_int_equal(r.status, 503);
    assert_string_equal(json_str_at(r.json, "Code"), "ServiceUnavailable");
    test_reply_free(&r);
    r = faulted_call(m,
                     "{\"vendor\":\"aliyun\",\"path\":\"/\",\"kind\":\"vendor_error\",\"times\":1}",
                     "GET", "/?Action=HotlineSessionQuery");
    assert_int_equal(r.status, 500);
    if (!strstr(r.body, "<Code>SystemError</Code>"))
        fail_msg("expected the XML SystemError document, got %s", r.body);
    test_reply_free(&r);

    r = faulted_call(m,
                     "{\"vendor\":\"yunfu\",\"path\":\"/agent-api/*\",\"kind\":"
                     "\"vendor_error\",\"times\":1}",
                     "GET", "/agent-api/call/list");
    assert_int_equal(r.status, 500);
    assert_string_equal(json_str_at(r.json, "message"), "Server Error");
    test_reply_free(&r);
    test_mock_fixture_stop(state);
}

/* status and garbage replace the answer; the rule's content type goes out as the header. */
static void test_status_and_garbage(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, CLOCK_MS, NULL);
    struct test_reply r =
        faulted_call(m,
                     "{\"vendor\":\"itnio\",\"path\":\"/v3/cc/record/query\",\"kind\":"
                     "\"status\",\"status\":502,\"body\":\"bad gateway\",\"content_type\":"
                     "\"text/plain\",\"times\":1}",
                     "POST", "/v3/cc/record/query");
    assert_int_equal(r.status, 502);
    assert_string_equal(r.body, "bad gateway");
    char type[64];
    assert_true(test_reply_header(&r, "Content-Type", type, sizeof(type)));
    assert_string_equal(type, "text/plain");
    test_reply_free(&r);
    r = faulted_call(m,
                     "{\"vendor\":\"itnio\",\"path\":\"/v3/cc/record/query\",\"kind\":"
                     "\"garbage\",\"times\":1}",
                     "POST", "/v3/cc/record/query");
    assert_int_equal(r.status, 200);
    assert_null(r.json);
    test_assert_prefix(r.body, "<html>");
    test_reply_free(&r);
    /* both spent: the vendor answers again (unsigned: -1) */
    r = test_mock_call(m, "POST", "/v3/cc/record/query", NULL, NULL, 0);
    assert_int_equal(json_int_at(r.json, "status"), -1);
    test_reply_free(&r);
    test_mock_fixture_stop(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matching),
        cmocka_unit_test(test_after_and_times),
        cmocka_unit_test(test_probability_is_seeded),
        cmocka_unit_test(test_jitter_within_bounds),
        cmocka_unit_test(test_counts_under_concurrency),
        cmocka_unit_test(test_refusals_name_the_field),
        cmocka_unit_test_setup_teardown(test_vendor_errors, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_status_and_garbage, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
