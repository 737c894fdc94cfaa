/* The paging guards as a user meets them: cdrsim-client fetch against servers that break a paging
 * rule (the real mock with a drift variant, or a small server of the test's own) ends with
 * malformed_response naming the rule, exit status 1, and no record printed twice. A record on the
 * second two ITNIO windows share is still delivered once, without an error. */
#include <cJSON.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/buf.h"
#include "fake_server.h"
#include "testutil.h"
#include "yunfu_model.h"

#define ITNIO_KEY "bDqJFiq9"
#define ITNIO_SECRET "7bz1lzh9"
/* 150 days: two windows, [FROM, BOUNDARY] and [BOUNDARY, TO + 1 s] (UTC+8 wall clock). */
#define FROM "2024-11-15 00:00:00"
#define BOUNDARY "2025-02-16 00:00:00"
#define TO "2025-04-14 00:00:00"

/* ---- what the client printed ------------------------------------------------------------------
 */

/* Fails unless out is JSON lines of records with distinct ids; returns how many. */
static size_t distinct_records(const char *out)
{
    struct test_ids ids = test_jsonl_ids(out);
    test_ids_sort(&ids);
    for (size_t i = 1; i < ids.count; i++)
        if (strcmp(ids.items[i - 1], ids.items[i]) == 0)
            fail_msg("record %s printed twice", ids.items[i]);
    size_t n = ids.count;
    test_ids_free(&ids);
    return n;
}

/* Exit status 1 and one line on stderr naming the rule. */
static void expect_rule(const struct test_cli_run *r, const char *vendor, const char *rule)
{
    if (r->status != 1)
        fail_msg("exit %d, expected 1; stderr: %s", r->status, r->err);
    char *want = test_format("cdrsim-client: fetch %s: malformed_response: %s", vendor, rule);
    test_assert_prefix(r->err, want);
    assert_int_equal(test_count_lines(r->err), 1);
    free(want);
}

static struct test_cli_run fetch_itnio(const char *base_url, const char *page_size)
{
    return test_cli(NULL,
                    (const char *const[]){"fetch", "itnio", "--base-url", base_url, "--api-key",
                                          ITNIO_KEY, "--api-secret", ITNIO_SECRET, "--from", FROM,
                                          "--to", TO, "--page-size", page_size, NULL});
}

/* ---- ITNIO against the mock, its answers drifted -----------------------------------------------
 */

static void mock_with(struct mock_process *mock, const char *variant)
{
    mock_process_start(mock, (const char *const[]){"--variant", variant, NULL});
}

static void itnio_total_that_the_records_do_not_reach(void **state)
{
    struct mock_process *mock = *state;
    mock_with(mock, "itnio.drift=set:data.total=9999");
    struct test_cli_run r = fetch_itnio(mock->base_url, "100");
    /* Page 1 is full and passes; page 2 is short of the size asked for while the total says
     * more: it fails before any of its records is printed. */
    expect_rule(&r, "itnio", "sum against total: page 2 holds ");
    assert_non_null(strstr(r.err, "fewer than the 100 asked for, yet only "));
    assert_non_null(strstr(r.err, " of the total of 9999 have arrived\n"));
    assert_int_equal(distinct_records(r.out), 100);
    test_cli_run_free(&r);

    /* With every page full the paging ends where the server's page count says, and the sum is
     * checked at the end of the window: every record of it was printed, once. */
    r = fetch_itnio(mock->base_url, "1");
    expect_rule(&r, "itnio", "sum against total: the pages held ");
    long long held = -1;
    assert_int_equal(
        sscanf(strstr(r.err, "held "), "held %lld records, the total said 9999", &held), 1);
    assert_true(held > 100);
    assert_int_equal(distinct_records(r.out), (size_t)held);
    test_cli_run_free(&r);
}

static void itnio_page_echo(void **state)
{
    struct mock_process *mock = *state;
    mock_with(mock, "itnio.drift=set:data.current=1");
    struct test_cli_run r = fetch_itnio(mock->base_url, "10");
    expect_rule(&r, "itnio", "page echo: asked for page 2, the answer is page 1");
    assert_int_equal(distinct_records(r.out), 10);
    test_cli_run_free(&r);
}

static void itnio_size_echo(void **state)
{
    struct mock_process *mock = *state;
    mock_with(mock, "itnio.drift=set:data.size=50");
    struct test_cli_run r = fetch_itnio(mock->base_url, "10");
    expect_rule(&r, "itnio", "size echo: asked for pages of 10, the answer says 50");
    assert_int_equal(distinct_records(r.out), 0);
    test_cli_run_free(&r);
}

static void itnio_empty_page_before_the_last(void **state)
{
    struct mock_process *mock = *state;
    mock_with(mock, "itnio.drift=set:data.records=[]");
    struct test_cli_run r = fetch_itnio(mock->base_url, "100");
    expect_rule(&r, "itnio", "empty page before the last: page 1 is empty after 0 of");
    assert_string_equal(r.out, "");
    test_cli_run_free(&r);
}

/* ---- ITNIO against a server of the test's own -------------------------------------------------
 */

/* Answers every record query with one record: keyId 42 stamped an hour into each window (so two
 * windows repeat it), or keyId 7 stamped on the shared boundary whenever the window holds it. */
struct itnio_server {
    bool on_boundary;
};

static void itnio_answer(void *user, const struct fake_request *req, struct fake_reply *reply)
{
    const struct itnio_server *s = user;
    cJSON *body = cJSON_Parse(req->body);
    assert_non_null(body);
    const char *start = json_str_at(body, "params.startTime");
    const char *end = json_str_at(body, "params.endTime");
    int64_t current = json_int_at(body, "current"), size = json_int_at(body, "size");
    char stamp[32];
    bool in_window = true;
    if (s->on_boundary) {
        snprintf(stamp, sizeof(stamp), "%s", BOUNDARY);
        in_window = strcmp(start, BOUNDARY) <= 0 && strcmp(BOUNDARY, end) <= 0;
    } else {
        snprintf(stamp, sizeof(stamp), "%.11s01:00:00", start);
    }
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b,
                   "{\"status\":0,\"reason\":\"success\",\"data\":{\"total\":%d,\"size\":%lld,"
                   "\"current\":%lld,\"pages\":%d,\"records\":[",
                   in_window, (long long)size, (long long)current, in_window);
    if (in_window && current == 1)
        cdr_buf_printf(&b, "{\"keyId\":%s,\"callStartTime\":\"%s\"}", s->on_boundary ? "7" : "42",
                       stamp);
    cdr_buf_puts(&b, "]}}");
    reply->body = cdr_buf_steal(&b);
    cJSON_Delete(body);
}

static void itnio_same_id_in_two_windows(void **state)
{
    (void)state;
    struct itnio_server s = {false};
    struct fake_server *server = fake_server_start(itnio_answer, &s);
    struct test_cli_run r = fetch_itnio(fake_server_url(server), "100");
    expect_rule(&r, "itnio", "no id twice: record 42 came a second time");
    assert_int_equal(distinct_records(r.out), 1);
    assert_int_equal(fake_server_requests(server), 2);
    test_cli_run_free(&r);
    fake_server_stop(server);
}

static void itnio_shared_boundary_second_is_not_a_repeat(void **state)
{
    (void)state;
    struct itnio_server s = {true};
    struct fake_server *server = fake_server_start(itnio_answer, &s);
    struct test_cli_run r = fetch_itnio(fake_server_url(server), "100");
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_string_equal(r.err, "");
    assert_int_equal(distinct_records(r.out), 1);
    assert_non_null(strstr(r.out, "\"id\":\"7\""));
    assert_int_equal(fake_server_requests(server), 2);
    test_cli_run_free(&r);
    fake_server_stop(server);
}

/* ---- Aliyun: a server that ignores PageNo ------------------------------------------------------
 */

/* Always the first 20 of 45 records; PageNumber either 1 (what it sent) or PageNo (what it was
 * asked). */
struct aliyun_server {
    bool echo_asked;
};

static void aliyun_answer(void *user, const struct fake_request *req, struct fake_reply *reply)
{
    const struct aliyun_server *s = user;
    char page_no[16], page_size[16];
    const char *no = fake_request_arg(req, "PageNo", page_no, sizeof(page_no));
    const char *size = fake_request_arg(req, "PageSize", page_size, sizeof(page_size));
    assert_non_null(no);
    assert_non_null(size);
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b,
                   "{\"RequestId\":\"r-%d\",\"Code\":\"Success\",\"Success\":true,\"Data\":{"
                   "\"PageSize\":%s,\"PageNumber\":%s,\"TotalCount\":45,\"CallDetailRecord\":[",
                   req->index, size, s->echo_asked ? no : "1");
    for (int i = 1; i <= atoi(size) && i <= 45; i++)
        cdr_buf_printf(&b,
                       "%s{\"Id\":\"rec-%02d\",\"Acid\":\"acid-%02d\",\"CallType\":1,"
                       "\"CreateTime\":\"2020-10-02 22:%02d:00\"}",
                       i > 1 ? "," : "", i, i, i);
    cdr_buf_puts(&b, "]}}");
    reply->body = cdr_buf_steal(&b);
}

static void aliyun_ignoring_page_no(bool echo_asked, const char *rule)
{
    struct aliyun_server s = {echo_asked};
    struct fake_server *server = fake_server_start(aliyun_answer, &s);
    struct test_cli_run r =
        test_cli(NULL, (const char *const[]){"fetch", "aliyun", "--base-url",
                                             fake_server_url(server), "--access-key-id", "testid",
                                             "--access-key-secret", "testsecret", "--instance-id",
                                             "ccc_xp_pre-cn-demo001", "--page-size", "20", NULL});
    expect_rule(&r, "aliyun", rule);
    /* Page 1 once; page 2, the same records again, never reaches stdout. */
    assert_int_equal(distinct_records(r.out), 20);
    assert_int_equal(fake_server_requests(server), 2);
    test_cli_run_free(&r);
    fake_server_stop(server);
}

static void aliyun_ignoring_page_no_says_so(void **state)
{
    (void)state;
    aliyun_ignoring_page_no(false, "page echo: asked for page 2, the answer is page 1");
}

static void aliyun_ignoring_page_no_while_echoing_it(void **state)
{
    (void)state;
    aliyun_ignoring_page_no(true, "no id twice: record rec-01 came a second time");
}

/* ---- Yunfu against the mock, its answers drifted -----------------------------------------------
 */

static void yunfu_size_echo(void **state)
{
    struct mock_process *mock = *state;
    mock_with(mock, "yunfu.drift=set:meta.per_page=7");
    struct test_cli_run r = test_cli(
        NULL, (const char *const[]){"fetch", "yunfu", "--base-url", mock->base_url, "--token",
                                    YUNFU_DEMO_TOKEN, "--user-id", YUNFU_SEED_USER, "--task-id",
                                    YUNFU_SEED_TASK, "--page-size", "5", NULL});
    expect_rule(&r, "yunfu", "size echo: asked for pages of 5, the answer says 7");
    assert_string_equal(r.out, "");
    test_cli_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(itnio_total_that_the_records_do_not_reach,
                                        mock_process_setup, mock_process_teardown),
        cmocka_unit_test_setup_teardown(itnio_page_echo, mock_process_setup, mock_process_teardown),
        cmocka_unit_test_setup_teardown(itnio_size_echo, mock_process_setup, mock_process_teardown),
        cmocka_unit_test_setup_teardown(itnio_empty_page_before_the_last, mock_process_setup,
                                        mock_process_teardown),
        cmocka_unit_test(itnio_same_id_in_two_windows),
        cmocka_unit_test(itnio_shared_boundary_second_is_not_a_repeat),
        cmocka_unit_test(aliyun_ignoring_page_no_says_so),
        cmocka_unit_test(aliyun_ignoring_page_no_while_echoing_it),
        cmocka_unit_test_setup_teardown(yunfu_size_echo, mock_process_setup, mock_process_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
