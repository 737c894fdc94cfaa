/* records.json as the ITNIO mock reads it at start-up: compact records keep the file's bytes,
 * records with escapes, fractions or repeated members go through cJSON, and a file that is not
 * compact is loaded the old way. Whatever the path, each record's text is what
 * cJSON_PrintUnformatted makes of it, and the filters read the same members. */
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

#include "itnio_requests.h"
#include "testutil.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define NOW_S 1746057600LL /* 2025-05-01T00:00:00Z */

static const char *const roster_files[] = {"credentials.json", "groups.json", "seats.json"};

/* Records in start order, each written the way its test needs. */
static const char *const records[] = {
    /* plain and compact: kept verbatim */
    "{\"keyId\":1,\"caller\":\"8613800000001\",\"called\":\"8620000000001\",\"encryptCalled\":"
    "\"8620000000001\",\"seatName\":\"bob.li\",\"callType\":2,\"callStartTime\":\"2025-04-01 "
    "10:00:00\",\"calledAnswerTime\":\"2025-04-01 10:00:05\",\"ccode\":\"86(China)\","
    "\"labelNameList\":[\"vip\",\"\",7],\"voiceUrl\":\"a/1.wav\",\"voiceUrlList\":[\"a/1.wav\"],"
    "\"calledInfo\":\"{\\\"x\\\":null}\",\"remark\":\"tab\\there\",\"n\":-12,\"o\":{},\"e\":[]}",
    /* escapes the store reads: through cJSON */
    "{\"keyId\":2,\"caller\":\"8613800000002\",\"seatName\":\"bob\\u002eli\",\"callType\":2,"
    "\"callStartTime\":\"2025-04-01 11:00:00\",\"labelNameList\":[\"v\\u0069p\"]}",
    /* a fraction cJSON prints otherwise, and \/ in a member nobody filters */
    "{\"keyId\":3.0,\"caller\":\"8613800000003\",\"callType\":2.0,\"callStartTime\":\"2025-04-01 "
    "12:00:00\",\"remark\":\"a\\/b\",\"ratio\":0.50,\"big\":12345678901234567890}",
    /* repeated members: the first one counts */
    "{\"keyId\":4,\"caller\":\"8613800000004\",\"caller\":\"999\",\"callType\":3,\"callType\":2,"
    "\"callStartTime\":\"2025-04-01 13:00:00\",\"labelNameList\":[\"vip\"],\"labelNameList\":[]}",
    /* nulls and wrong types where strings and integers are read; whitespace right after a nested
     * opening bracket (cJSON prints none) */
    "{\"keyId\":5,\"caller\":null,\"called\":8613800000005,\"encryptCalled\":\"8613800000005\","
    "\"callType\":\"2\",\"seatName\":[\"bob.li\"],\"callStartTime\":\"2025-04-01 14:00:00\","
    "\"calledAnswerTime\":\"\",\"voiceGroupId\":null,\"x\":[ true,false,null,{ \"a\":[1,{}]}]}",
};

static char *make_root(void)
{
    char *root = test_format("/tmp/cdrsim-itnio-fixture-XXXXXX");
    assert_non_null(mkdtemp(root));
    char *dir = test_format("%s/itnio", root);
    assert_int_equal(mkdir(dir, 0700), 0);
    test_copy_fixtures("itnio", dir, roster_files, ARRAY_LEN(roster_files));
    free(dir);
    return root;
}

static void remove_root(char *root)
{
    for (size_t i = 0; i <= ARRAY_LEN(roster_files); i++) {
        char *path = test_format("%s/itnio/%s", root,
                                 i < ARRAY_LEN(roster_files) ? roster_files[i] : "records.json");
        assert_int_equal(unlink(path), 0);
        free(path);
    }
    char *dir = test_format("%s/itnio", root);
    assert_int_equal(rmdir(dir), 0);
    assert_int_equal(rmdir(root), 0);
    free(dir);
    free(root);
}

/* The dump the mock must give: each record as cJSON prints it, in start order. */
static char *expected_dump(void)
{
    char *out = test_format("[");
    for (size_t i = 0; i < ARRAY_LEN(records); i++) {
        cJSON *r = cJSON_Parse(records[i]);
        assert_non_null(r);
        char *text = cJSON_PrintUnformatted(r);
        char *grown = test_format("%s%s%s", out, i ? ",\n" : "\n", text);
        free(out);
        free(text);
        cJSON_Delete(r);
        out = grown;
    }
    char *done = test_format("%s\n]", out);
    free(out);
    return done;
}

static int64_t total_of(struct test_mock *m, const char *filter)
{
    char *body = test_format("{\"current\":1,\"size\":20,\"params\":{\"startTime\":\"2025-04-01 "
                             "00:00:00\",\"endTime\":\"2025-04-02 00:00:00\"%s}}",
                             filter);
    struct test_reply r = post_at(m, NOW_S, ITNIO_RECORDS, body);
    free(body);
    assert_int_equal(json_int_at(r.json, "status"), 0);
    int64_t total = json_int_at(r.json, "data.total");
    test_reply_free(&r);
    return total;
}

/* Loads records.json written by write() and checks the dump and the filters. */
static void check_loaded(char *(*write)(void))
{
    char *root = make_root();
    char *text = write();
    char *path = test_format("%s/itnio/records.json", root);
    test_write_file(path, text, strlen(text));
    free(path);
    free(text);
    struct test_mock m;
    test_mock_start(&m, root, NOW_S * 1000, NULL);
    struct test_reply r = test_mock_call(&m, "GET", "/__cdrsim/itnio/records", NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    char *expected = expected_dump();
    assert_string_equal(r.body, expected);
    free(expected);
    test_reply_free(&r);

    assert_int_equal(total_of(&m, ""), 5);
    /* 1, 2 and 3 (2.0); not 4 (its first callType is 3) nor 5 (a string) */
    assert_int_equal(total_of(&m, ",\"callType\":[2]"), 3);
    assert_int_equal(total_of(&m, ",\"seatNameList\":[\"bob.li\"]"), 2);
    assert_int_equal(total_of(&m, ",\"labelNames\":[\"vip\"]"), 3);
    assert_int_equal(total_of(&m, ",\"calledOrCaller\":\"999\""), 0);
    assert_int_equal(total_of(&m, ",\"calledOrCaller\":\"861380000000\""), 5);
    assert_int_equal(total_of(&m, ",\"calledOrCaller\":\"8613800000005\""), 1);
    assert_int_equal(total_of(&m, ",\"callType\":[2],\"labelNames\":[\"vip\"]"), 2);
    test_mock_stop(&m);
    remove_root(root);
}

/* One record a line, as the built-in records.json is. */
static char *compact(void)
{
    char *out = test_format("[");
    for (size_t i = 0; i < ARRAY_LEN(records); i++) {
        char *grown = test_format("%s%s\n%s", out, i ? "," : "", records[i]);
        free(out);
        out = grown;
    }
    char *done = test_format("%s\n]\n", out);
    free(out);
    return done;
}

/* Pretty-printed: not what the one-pass reader keeps. */
static char *pretty(void)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; i < ARRAY_LEN(records); i++)
        assert_true(cJSON_AddItemToArray(list, cJSON_Parse(records[i])));
    char *text = cJSON_Print(list);
    cJSON_Delete(list);
    return text;
}

static void test_compact_file(void **state)
{
    (void)state;
    check_loaded(compact);
}

static void test_pretty_file(void **state)
{
    (void)state;
    check_loaded(pretty);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compact_file),
        cmocka_unit_test(test_pretty_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
