/* Exact values as a user of cdrsim-client sees them: a NUL inside a vendor's string comes out of
 * parse and fetch as \u0000 with the rest of the string, an id of 2^70 with every digit, and an
 * answer with invalid UTF-8 fails with malformed_response naming the member. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_server.h"
#include "testutil.h"

#define ITNIO_PAGE_HEAD                                                                            \
    "{\"status\":0,\"reason\":\"success\",\"data\":{\"total\":1,\"size\":100,\"current\":1,"       \
    "\"pages\":1,\"records\":["
#define ITNIO_RECORD                                                                               \
    "{\"keyId\":1180591620717411303424,\"seatName\":\"坐席\\u0000x\",\"callStartTime\":"         \
    "\"2025-01-03 16:10:39\"}"

static void expect_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("\"%s\" does not contain \"%s\"", text, part);
}

static void parse_keeps_nul_and_digits(void **state)
{
    (void)state;
    struct test_cli_run r = test_cli(ITNIO_PAGE_HEAD ITNIO_RECORD "]}}",
                                     (const char *const[]){"parse", "itnio", "--raw", "-", NULL});
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_int_equal(test_count_lines(r.out), 1);
    test_assert_prefix(r.out, "{\"vendor\":\"itnio\",\"id\":\"1180591620717411303424\",");
    expect_contains(r.out, ",\"agent\":\"坐席\\u0000x\",");
    expect_contains(r.out,
                    ",\"raw\":{\"keyId\":1180591620717411303424,\"seatName\":\"坐席\\u0000x\"");
    assert_string_equal(r.err, "");
    test_cli_run_free(&r);
}

static void parse_refuses_invalid_utf8(void **state)
{
    (void)state;
    static const char body[] = ITNIO_PAGE_HEAD "{\"keyId\":1,\"seatName\":\"a\xff\"}]}}";
    struct test_cli_run r = test_cli(body, (const char *const[]){"parse", "itnio", "-", NULL});
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    char *want = test_format("cdrsim-client: parse itnio: malformed_response: "
                             "data.records[0].seatName is not valid UTF-8 (byte 0xff at offset "
                             "%zu)\n",
                             (size_t)(strchr(body, '\xff') - body));
    assert_string_equal(r.err, want);
    free(want);
    test_cli_run_free(&r);
}

/* An Aliyun server whose only record has a NUL in its agent's name and an id beyond 2^53; with
 * bad set, a later member is not UTF-8. */
static void aliyun_answer(void *user, const struct fake_request *req, struct fake_reply *reply)
{
    (void)req;
    const bool *bad = user;
    reply->body = test_format(
        "{\"RequestId\":\"r\",\"Code\":\"Success\",\"Success\":true,\"Data\":{\"PageSize\":100,"
        "\"PageNumber\":1,\"TotalCount\":1,\"CallDetailRecord\":[{\"Id\":9007199254740993,"
        "\"ServicerName\":\"坐席\\u0000x\",\"GroupName\":\"%s\"}]}}",
        *bad ? "g\xc0\xaf" : "组");
}

static void fetch_keeps_nul_and_digits(void **state)
{
    (void)state;
    bool bad = false;
    struct fake_server *server = fake_server_start(aliyun_answer, &bad);
    const char *const args[] = {"fetch",
                                "aliyun",
                                "--base-url",
                                fake_server_url(server),
                                "--access-key-id",
                                "testid",
                                "--access-key-secret",
                                "testsecret",
                                "--instance-id",
                                "i-1",
                                NULL};
    struct test_cli_run r = test_cli(NULL, args);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_int_equal(test_count_lines(r.out), 1);
    test_assert_prefix(r.out, "{\"vendor\":\"aliyun\",\"id\":\"9007199254740993\",");
    expect_contains(r.out, ",\"agent\":\"坐席\\u0000x\",\"group\":\"组\",");
    test_cli_run_free(&r);

    bad = true;
    r = test_cli(NULL, args);
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    test_assert_prefix(r.err, "cdrsim-client: fetch aliyun: malformed_response: "
                              "Data.CallDetailRecord[0].GroupName is not valid UTF-8 (byte 0xc0 at "
                              "offset ");
    test_cli_run_free(&r);
    fake_server_stop(server);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_keeps_nul_and_digits),
        cmocka_unit_test(parse_refuses_invalid_utf8),
        cmocka_unit_test(fetch_keeps_nul_and_digits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
