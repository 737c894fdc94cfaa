/* Fault rules in the real cdrsim-mock over HTTP (POST/GET/DELETE /__cdrsim/faults): a delay
 * holds back exactly the request it fires on, a reset ends the connection without an answer, a
 * truncate cuts the body short of its Content-Length, ITNIO's vendor_error answers -18, each stops
 * after `times`, the journal names the rule, and a bad rule is refused naming its field. The
 * ITNIO requests are unsigned: a fault acts whatever the vendor would have answered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "testutil.h"

#define CLOCK "2025-05-01T00:00:00Z"
#define QUERY_PATH "/v3/cc/record/query"

static const char *const json_type[] = {"Content-Type: application/json", NULL};

static struct test_http_reply call(const struct mock_process *p, const char *method,
                                   const char *path, const char *body)
{
    char *url = test_format("%s%s", p->base_url, path);
    struct test_http_reply r = test_http(method, url, json_type, body, body ? strlen(body) : 0);
    free(url);
    return r;
}

static void add_fault(const struct mock_process *p, const char *spec)
{
    struct test_http_reply r = call(p, "POST", "/__cdrsim/faults", spec);
    if (r.status != 201)
        fail_msg("POST /__cdrsim/faults %s answered %ld: %s", spec, r.status, r.body);
    assert_non_null(json_str_at(r.json, "id"));
    test_http_reply_free(&r);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One ITNIO query answered in full: its wall time in milliseconds. */
static int64_t timed_query(const struct mock_process *p, int64_t *status)
{
    int64_t start = now_ms();
    struct test_http_reply r = call(p, "POST", QUERY_PATH, "{}");
    int64_t took = now_ms() - start;
    assert_int_equal(r.status, 200);
    *status = json_int_at(r.json, "status");
    test_http_reply_free(&r);
    return took;
}

struct raw_reply {
    CURLcode result;
    long status;
    size_t received;
    double announced; /* Content-Length, -1 when none */
};

static size_t count_bytes(char *data, size_t size, size_t n, void *user)
{
    (void)data;
    *(size_t *)user += size * n;
    return size * n;
}

/* An ITNIO query with curl's own verdict kept: a fault's broken answer is the point. */
static struct raw_reply raw_query(const struct mock_process *p)
{
    struct raw_reply out = {.announced = -1};
    char *url = test_format("%s%s", p->base_url, QUERY_PATH);
    CURL *curl = curl_easy_init();
    assert_non_null(curl);
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "{}");
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, count_bytes);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out.received);
    out.result = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out.status);
    curl_off_t length = -1;
    curl_easy_getinfo(curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    out.announced = (double)length;
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    free(url);
    return out;
}

static struct mock_process *start(void **state)
{
    struct mock_process *p = *state;
    mock_process_start(p, (const char *const[]){"--clock", CLOCK, NULL});
    return p;
}

static void test_delay_holds_back_exactly_the_next_request(void **state)
{
    const struct mock_process *p = start(state);
    add_fault(p, "{\"vendor\":\"itnio\",\"path\":\"/v3/cc/*\",\"method\":\"POST\","
                 "\"kind\":\"delay\",\"ms\":800,\"times\":1}");
    int64_t status;
    int64_t first = timed_query(p, &status);
    assert_int_equal(status, -1); /* the vendor's own answer, only late: unsigned, so -1 */
    if (first < 800)
        fail_msg("the delayed request took %lld ms, expected at least 800", (long long)first);
    int64_t second = timed_query(p, &status);
    assert_int_equal(status, -1);
    if (second >= 800)
        fail_msg("the request after the delay's one firing took %lld ms", (long long)second);

    struct test_http_reply r = call(p, "GET", "/__cdrsim/faults", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_int_at(r.json, "0.matched"), 2);
    assert_int_equal(json_int_at(r.json, "0.fired"), 1);
    assert_string_equal(json_str_at(r.json, "0.path"), "/v3/cc/*");
    test_http_reply_free(&r);

    r = call(p, "GET", "/__cdrsim/requests", NULL);
    assert_int_equal(json_int_at(r.json, "total"), 2);
    /* newest first */
    assert_string_equal(json_str_at(r.json, "requests.1.fault.kind"), "delay");
    assert_string_equal(json_str_at(r.json, "requests.1.fault.id"), "f1");
    assert_true(cJSON_IsNull(json_at(r.json, "requests.0.fault")));
    test_http_reply_free(&r);
}

static void test_reset_ends_the_connection_once(void **state)
{
    const struct mock_process *p = start(state);
    add_fault(p, "{\"vendor\":\"itnio\",\"path\":\"" QUERY_PATH "\",\"kind\":\"reset\","
                 "\"times\":1}");
    struct raw_reply r = raw_query(p);
    if (r.result == CURLE_OK)
        fail_msg("a reset connection answered HTTP %ld", r.status);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.received, 0);
    r = raw_query(p);
    assert_int_equal(r.result, CURLE_OK);
    assert_int_equal(r.status, 200);
}

static void test_truncate_cuts_the_body(void **state)
{
    const struct mock_process *p = start(state);
    add_fault(p, "{\"vendor\":\"itnio\",\"path\":\"" QUERY_PATH "\",\"kind\":\"truncate\","
                 "\"bytes\":10,\"times\":1}");
    struct raw_reply r = raw_query(p);
    assert_int_equal(r.result, CURLE_PARTIAL_FILE);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.received, 10);
    if (r.announced <= 10)
        fail_msg("Content-Length %.0f, expected the whole body's (over 10)", r.announced);
    r = raw_query(p);
    assert_int_equal(r.result, CURLE_OK);
    assert_true(r.received > 10);
}

static void test_vendor_error_on_itnio_then_stops(void **state)
{
    const struct mock_process *p = start(state);
    add_fault(p, "{\"vendor\":\"itnio\",\"path\":\"" QUERY_PATH "\",\"kind\":\"vendor_error\","
                 "\"after\":1,\"times\":2}");
    int64_t codes[4];
    for (int i = 0; i < 4; i++)
        timed_query(p, &codes[i]);
    assert_int_equal(codes[0], -1); /* skipped by after */
    assert_int_equal(codes[1], -18);
    assert_int_equal(codes[2], -18);
    assert_int_equal(codes[3], -1); /* times spent */

    struct test_http_reply r = call(p, "GET", "/__cdrsim/faults", NULL);
    assert_int_equal(json_int_at(r.json, "0.matched"), 4);
    assert_int_equal(json_int_at(r.json, "0.fired"), 2);
    test_http_reply_free(&r);
}

static void test_rules_are_checked_listed_and_removed(void **state)
{
    const struct mock_process *p = start(state);
    static const struct {
        const char *spec, *field;
    } bad[] = {
        {"{\"path\":\"/x\",\"kind\":\"reset\"}", "vendor: "},
        {"{\"vendor\":\"nobody\",\"path\":\"/x\",\"kind\":\"reset\"}", "vendor: "},
        {"{\"vendor\":\"itnio\",\"kind\":\"reset\"}", "path: "},
        {"{\"vendor\":\"itnio\",\"path\":\"/x\",\"kind\":\"explode\"}", "kind: "},
        {"{\"vendor\":\"itnio\",\"path\":\"/x\",\"kind\":\"delay\"}", "ms: "},
        {"{\"vendor\":\"itnio\",\"path\":\"/x\",\"kind\":\"reset\",\"times\":-1}", "times: "},
        {"{\"vendor\":\"itnio\",\"path\":\"/x\",\"kind\":\"reset\",\"probability\":2}",
         "probability: "},
        {"{\"vendor\":\"itnio\",\"path\":\"/x\",\"kind\":\"vendor_error\",\"code\":\"-99\"}",
         "code: "},
        {"{\"vendor\":\"itnio\",\"path\":\"/x\",\"kind\":\"reset\",\"ms\":5}", "ms: "},
        {"{\"vendor\":\"itnio\",\"path\":\"/x\",\"kind\":\"status\",\"status\":99}", "status: "},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        struct test_http_reply r = call(p, "POST", "/__cdrsim/faults", bad[i].spec);
        assert_int_equal(r.status, 400);
        test_assert_prefix(json_str_at(r.json, "error"), bad[i].field);
        test_http_reply_free(&r);
    }
    add_fault(p, "{\"vendor\":\"itnio\",\"path\":\"/a\",\"kind\":\"reset\"}");
    add_fault(p, "{\"vendor\":\"itnio\",\"path\":\"/b\",\"kind\":\"status\",\"status\":502,"
                 "\"body\":\"bad gateway\",\"content_type\":\"text/plain\"}");
    struct test_http_reply r = call(p, "DELETE", "/__cdrsim/faults/f1", NULL);
    assert_int_equal(r.status, 200);
    test_http_reply_free(&r);
    r = call(p, "DELETE", "/__cdrsim/faults/f1", NULL);
    assert_int_equal(r.status, 404);
    test_http_reply_free(&r);
    r = call(p, "GET", "/__cdrsim/faults", NULL);
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    assert_string_equal(json_str_at(r.json, "0.id"), "f2");
    assert_int_equal(json_int_at(r.json, "0.status"), 502);
    test_http_reply_free(&r);
    /* A reset returns to the start-up configuration: the rules added at run time go. */
    r = call(p, "POST", "/__cdrsim/reset", NULL);
    assert_int_equal(r.status, 200);
    test_http_reply_free(&r);
    r = call(p, "GET", "/__cdrsim/faults", NULL);
    assert_int_equal(cJSON_GetArraySize(r.json), 0);
    test_http_reply_free(&r);
}

/* Rules from --config "faults" and --fault, in that order, are in force at start and come back,
 * counted afresh, after a reset; a rule added at run time does not. */
static void test_configured_rules_come_back_after_a_reset(void **state)
{
    struct mock_process *p = *state;
    char *config =
        test_write_temp("{\"faults\": [{\"vendor\": \"itnio\", \"path\": \"" QUERY_PATH "\", "
                        "\"kind\": \"vendor_error\", \"times\": 1}]}");
    mock_process_start(p, (const char *const[]){"--clock", CLOCK, "--fault",
                                                "{\"vendor\":\"itnio\",\"path\":\"/v3/cc/*\","
                                                "\"kind\":\"delay\",\"ms\":1,\"times\":1}",
                                                "--config", config, NULL});
    unlink(config);
    free(config);
    struct test_http_reply r = call(p, "GET", "/__cdrsim/faults", NULL);
    assert_int_equal(cJSON_GetArraySize(r.json), 2);
    assert_string_equal(json_str_at(r.json, "0.kind"), "vendor_error");
    assert_string_equal(json_str_at(r.json, "1.kind"), "delay");
    test_http_reply_free(&r);
    int64_t status;
    timed_query(p, &status);
    assert_int_equal(status, -18); /* the file's rule first */
    timed_query(p, &status);
    assert_int_equal(status, -1); /* then the flag's delay, once: the vendor's own answer */
    timed_query(p, &status);
    assert_int_equal(status, -1);
    add_fault(p, "{\"vendor\":\"itnio\",\"path\":\"/x\",\"kind\":\"reset\"}");

    r = call(p, "POST", "/__cdrsim/reset", NULL);
    assert_int_equal(r.status, 200);
    test_http_reply_free(&r);
    r = call(p, "GET", "/__cdrsim/faults", NULL);
    assert_int_equal(cJSON_GetArraySize(r.json), 2);
    assert_string_equal(json_str_at(r.json, "0.kind"), "vendor_error");
    assert_int_equal(json_int_at(r.json, "0.matched"), 0);
    assert_int_equal(json_int_at(r.json, "0.fired"), 0);
    assert_string_equal(json_str_at(r.json, "1.kind"), "delay");
    test_http_reply_free(&r);
    timed_query(p, &status);
    assert_int_equal(status, -18); /* its one firing is there again */
}

/* A configured rule is checked like one POSTed, and a bad one stops the mock before it listens,
 * naming where the rule came from and its field. */
static void test_a_bad_configured_rule_is_a_usage_error(void **state)
{
    (void)state;
    char *config = test_write_temp(
        "{\"faults\": [{\"vendor\": \"nobody\", \"path\": \"/x\", \"kind\": \"reset\"}]}");
    char *not_array = test_write_temp("{\"faults\": {\"vendor\": \"itnio\"}}");
    static const char *const good = "{\"vendor\":\"itnio\",\"path\":\"/x\",\"kind\":\"reset\"}";
    const struct {
        const char *const argv[8];
        const char *says;
    } cases[] = {
        {{CDRSIM_MOCK_BIN, "--port", "0", "--fault", good, "--fault",
          "{\"vendor\":\"itnio\",\"path\":\"/x\",\"kind\":\"delay\"}", NULL},
         "cdrsim-mock: --fault #2: ms: required for kind delay"},
        {{CDRSIM_MOCK_BIN, "--port", "0", "--fault", "reset itnio", NULL},
         "cdrsim-mock: --fault takes a JSON object"},
        {{CDRSIM_MOCK_BIN, "--port", "0", "--config", config, "--fault", good, NULL},
         "cdrsim-mock: --config faults[0]: vendor: no served vendor has this id"},
        {{CDRSIM_MOCK_BIN, "--port", "0", "--config", not_array, NULL}, "cdrsim-mock: "},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        char *out = NULL, *err = NULL;
        int status = run_command(cases[i].argv, NULL, &out, &err);
        assert_int_equal(status, 2);
        if (!strstr(err, cases[i].says))
            fail_msg("stderr \"%s\" does not say \"%s\"", err, cases[i].says);
        if (strstr(out, "listening on"))
            fail_msg("the mock listened with a bad rule: %s", out);
        free(out);
        free(err);
    }
    unlink(config);
    unlink(not_array);
    free(config);
    free(not_array);
}

int main(void)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 1;
#define WITH_MOCK(test)                                                                            \
    cmocka_unit_test_setup_teardown(test, mock_process_setup, mock_process_teardown)
    const struct CMUnitTest tests[] = {
        WITH_MOCK(test_delay_holds_back_exactly_the_next_request),
        WITH_MOCK(test_reset_ends_the_connection_once),
        WITH_MOCK(test_truncate_cuts_the_body),
        WITH_MOCK(test_vendor_error_on_itnio_then_stops),
        WITH_MOCK(test_rules_are_checked_listed_and_removed),
        WITH_MOCK(test_configured_rules_come_back_after_a_reset),
        cmocka_unit_test(test_a_bad_configured_rule_is_a_usage_error),
    };
    int failures = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failures;
}
