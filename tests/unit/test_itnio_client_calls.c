/* libcdrsim's ITNIO calls beyond the record query, without a server: parsing the group settings
 * and recording-URL answers in every form the vendor's pages show, the descriptor's entries for
 * them, argument checks, and the documented examples against the drift schema. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/itnio.h"
#include "cdrsim/vendor.h"
#include "conform.h"
#include "testutil.h"

#define EXAMPLES FIXTURES_DIR "/itnio/examples/"
#define DAY 86400LL

static char *read_example(const char *name, size_t *len)
{
    char *path = test_format(EXAMPLES "%s", name);
    char *text = test_read_file(path, len);
    free(path);
    return text;
}

/* ---- group settings -------------------------------------------------------------------------- */

static void test_group_settings_page_example(void **state)
{
    (void)state;
    size_t len;
    char *body = read_example("group_settings_response.json", &len);
    struct cdr_itnio_group_settings s;
    struct cdr_error_info err;
    assert_int_equal(cdr_itnio_parse_group_settings(body, len, &s, &err), CDR_OK);
    /* The example names the id seatGroupId. */
    assert_int_equal(s.voice_group_id, 5000048);
    assert_string_equal(s.group_name, "call-center-group12");
    assert_string_equal(s.app_name, "new-data-tele0705C559");
    assert_int_equal(s.callin_strategy, 4);
    assert_int_equal(s.timeout_transfer_sec, 45);
    assert_true(s.callin_auto_answer_sec == CDR_ITNIO_UNSET);
    assert_int_equal(s.wrap_up_time, 20);
    assert_true(s.timeout_idle == CDR_ITNIO_UNSET);
    assert_int_equal(s.timeout_wait_sec, 60);
    assert_string_equal(s.turn_seat_ring,
                        "turnseatring-template/120250106d88d71eb084746fcb7c77a4922d82ed1.mp3");
    /* What the copy of the page lost stays unset, never invented. */
    assert_null(s.turn_seat_ring_url);
    assert_int_equal(s.label_name_count, 0);
    assert_true(s.display_switch == CDR_ITNIO_UNSET);
    assert_null(s.fs_node);
    assert_non_null(strstr(s.raw_json, "\"seatGroupId\":5000048"));
    cdr_itnio_group_settings_free(&s);
    free(body);
}

/* The table's name for the id, a string status, and integers as the edit page sends them. */
static void test_group_settings_table_form(void **state)
{
    (void)state;
    static const char body[] =
        "{\"status\":\"0\",\"reason\":\"success\",\"data\":{\"voiceGroupId\":12,\"groupName\":"
        "\"g\","
        "\"callinStrategy\":\"2\",\"timeoutIdle\":\"\",\"wrapUpTime\":\"20\",\"labelName\":[\"a\","
        "\"b\",3],\"displaySwitch\":1,\"encryptNumber\":0,\"fsNode\":\"USA_FS\"}}";
    struct cdr_itnio_group_settings s;
    struct cdr_error_info err;
    assert_int_equal(cdr_itnio_parse_group_settings(body, strlen(body), &s, &err), CDR_OK);
    assert_int_equal(s.voice_group_id, 12);
    assert_int_equal(s.callin_strategy, 2);
    assert_true(s.timeout_idle == CDR_ITNIO_UNSET);
    assert_int_equal(s.wrap_up_time, 20);
    assert_int_equal(s.label_name_count, 2);
    assert_string_equal(s.label_names[0], "a");
    assert_string_equal(s.label_names[1], "b");
    assert_int_equal(s.display_switch, 1);
    assert_int_equal(s.encrypt_number, 0);
    assert_string_equal(s.fs_node, "USA_FS");
    cdr_itnio_group_settings_free(&s);
}

/* A null callinStrategy departs from the schema (never null, inferred) but is still read: unset. */
static void test_group_settings_null_strategy(void **state)
{
    (void)state;
    static const char body[] = "{\"status\":0,\"reason\":\"success\",\"data\":{\"seatGroupId\":12,"
                               "\"callinStrategy\":null,\"wrapUpTime\":20}}";
    struct cdr_itnio_group_settings s;
    struct cdr_error_info err;
    assert_int_equal(cdr_itnio_parse_group_settings(body, strlen(body), &s, &err), CDR_OK);
    assert_int_equal(s.voice_group_id, 12);
    assert_int_equal(s.callin_strategy, CDR_ITNIO_UNSET);
    assert_int_equal(s.wrap_up_time, 20);
    cdr_itnio_group_settings_free(&s);
}

static void expect_settings_error(const char *body, cdr_error want, const char *code)
{
    struct cdr_itnio_group_settings s;
    struct cdr_error_info err;
    assert_int_equal(cdr_itnio_parse_group_settings(body, strlen(body), &s, &err), want);
    assert_string_equal(err.vendor_code, code);
    assert_null(s.raw_json);
    assert_null(s.group_name);
}

static void test_group_settings_errors(void **state)
{
    (void)state;
    expect_settings_error("{\"status\":-22,\"reason\":\"Parameter exception\",\"data\":null}",
                          CDR_ERR_PARAMETER, "-22");
    expect_settings_error("{\"status\":\"-24\",\"reason\":\"Data unexisting\",\"data\":null}",
                          CDR_ERR_VENDOR, "-24");
    expect_settings_error("{\"status\":-2,\"reason\":\"Restricted IP access\"}", CDR_ERR_AUTH,
                          "-2");
    expect_settings_error("{\"status\":0,\"reason\":\"success\",\"data\":null}",
                          CDR_ERR_MALFORMED_RESPONSE, "");
    expect_settings_error("{\"status\":0,\"reason\":\"success\",\"data\":{\"groupName\":\"x\"}}",
                          CDR_ERR_MALFORMED_RESPONSE, "");
    expect_settings_error("{\"status\":0,\"data\":{\"seatGroupId\":\"twelve\"}}",
                          CDR_ERR_MALFORMED_RESPONSE, "");
    expect_settings_error("<html>", CDR_ERR_MALFORMED_RESPONSE, "");
    /* Every truncation of the page's example fails, never reads past the end. */
    size_t len;
    char *body = read_example("group_settings_response.json", &len);
    for (size_t n = 0; n < len - 2; n++) {
        char *cut = malloc(n ? n : 1);
        memcpy(cut, body, n);
        struct cdr_itnio_group_settings s;
        struct cdr_error_info err;
        assert_int_equal(cdr_itnio_parse_group_settings(cut, n, &s, &err),
                         CDR_ERR_MALFORMED_RESPONSE);
        free(cut);
    }
    free(body);
}

/* ---- recording URLs -------------------------------------------------------------------------- */

static void test_recording_url_page_example(void **state)
{
    (void)state;
    size_t len;
    char *body = read_example("recording_url_response.json", &len);
    struct cdr_itnio_recording_url link;
    struct cdr_error_info err;
    assert_int_equal(cdr_itnio_parse_recording_url(body, len, &link, &err), CDR_OK);
    assert_string_equal(link.url, "https://demo.com/7e9978");
    assert_true(link.expire_time_ms == 1755679164264LL);
    cdr_itnio_recording_url_free(&link);
    assert_null(link.url);
    free(body);
    /* A numeric status and the expiry as a string are accepted too. */
    static const char other[] = "{\"status\":0,\"reason\":\"success\",\"data\":{\"url\":\"http://x/"
                                "a.wav\",\"expireTime\":\"1755679164264\"}}";
    assert_int_equal(cdr_itnio_parse_recording_url(other, strlen(other), &link, &err), CDR_OK);
    assert_true(link.expire_time_ms == 1755679164264LL);
    cdr_itnio_recording_url_free(&link);
}

static void expect_link_error(const char *body, cdr_error want, const char *code)
{
    struct cdr_itnio_recording_url link;
    struct cdr_error_info err;
    assert_int_equal(cdr_itnio_parse_recording_url(body, strlen(body), &link, &err), want);
    assert_string_equal(err.vendor_code, code);
    assert_null(link.url);
}

static void test_recording_url_errors(void **state)
{
    (void)state;
    /* The codes the page lists: 0, -1, -2, -16, -18, -22. */
    expect_link_error("{\"status\":\"-1\",\"reason\":\"Authentication error\"}", CDR_ERR_AUTH,
                      "-1");
    expect_link_error("{\"status\":\"-2\",\"reason\":\"Restricted IP access\"}", CDR_ERR_AUTH,
                      "-2");
    expect_link_error("{\"status\":\"-16\",\"reason\":\"timestamp expires\"}", CDR_ERR_TIMESTAMP,
                      "-16");
    expect_link_error("{\"status\":\"-18\",\"reason\":\"Port program unusual\"}", CDR_ERR_VENDOR,
                      "-18");
    expect_link_error("{\"status\":\"-22\",\"reason\":\"Parameter exception\"}", CDR_ERR_PARAMETER,
                      "-22");
    expect_link_error("{\"status\":\"-23\",\"reason\":\"Data caps\"}", CDR_ERR_RATE_LIMITED, "-23");
    expect_link_error("{\"status\":\"0\",\"data\":{\"url\":\"\",\"expireTime\":1}}",
                      CDR_ERR_MALFORMED_RESPONSE, "");
    expect_link_error("{\"status\":\"0\",\"data\":{\"url\":\"http://x\"}}",
                      CDR_ERR_MALFORMED_RESPONSE, "");
    expect_link_error("{\"status\":\"0\",\"data\":{\"url\":\"http://x\",\"expireTime\":1.5}}",
                      CDR_ERR_MALFORMED_RESPONSE, "");
    expect_link_error("{\"status\":\"0\",\"data\":null}", CDR_ERR_MALFORMED_RESPONSE, "");
}

/* ---- the descriptor and argument checks ------------------------------------------------------ */

static void test_descriptor_calls_and_ranges(void **state)
{
    (void)state;
    const struct cdr_vendor *v = cdr_vendor_find("itnio");
    assert_non_null(v);
    static const char *const calls[] = {"page",   "fetch_all",      "parse",         "download",
                                        "groups", "group_settings", "recording_url", "seats"};
    for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
        if (!cdr_vendor_has_call(v, calls[i]))
            fail_msg("itnio has no call %s", calls[i]);
    bool file = false;
    for (size_t i = 0; i < v->call_count; i++)
        file = file ||
               (strcmp(v->calls[i].name, "download") == 0 && v->calls[i].answer == CDR_ANSWER_FILE);
    assert_true(file);
    /* The record query's 93 days, the agent statistics' 32, no limit where there is no range. */
    assert_true(cdr_vendor_call_max_range(v, "page") == 93 * DAY);
    assert_true(cdr_vendor_call_max_range(v, "fetch_all") == 93 * DAY);
    assert_true(cdr_vendor_call_max_range(v, "seats") == 32 * DAY);
    assert_true(cdr_vendor_call_max_range(v, "groups") == 0);
    assert_true(cdr_vendor_call_max_range(v, "nosuch") == 0);
    assert_true(cdr_vendor_call_max_range(NULL, "page") == 0);
}

static int never_write(void *user, const void *data, size_t len)
{
    (void)user;
    (void)data;
    (void)len;
    fail_msg("nothing should be written");
    return 1;
}

static void test_download_argument_checks(void **state)
{
    (void)state;
    struct cdr_itnio_options o;
    cdr_itnio_options_default(&o);
    o.base_url = "http://127.0.0.1:9"; /* never contacted */
    o.api_key = "k";
    o.api_secret = "s";
    struct cdr_error_info err;
    struct cdr_itnio_client *c = cdr_itnio_client_new(&o, &err);
    assert_non_null(c);
    struct cdr_download d;
    assert_int_equal(cdr_itnio_download(c, "", never_write, NULL, &d, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    assert_int_equal(cdr_itnio_download(c, "k.wav", NULL, NULL, &d, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    assert_int_equal(cdr_itnio_download(NULL, "k.wav", never_write, NULL, &d, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    struct cdr_itnio_recording_url link;
    assert_int_equal(cdr_itnio_get_recording_url(c, NULL, NULL, &link, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    struct cdr_itnio_group_settings s;
    assert_int_equal(cdr_itnio_get_group_settings(NULL, 12, &s, &err), CDR_ERR_INVALID_ARGUMENT);
    cdr_itnio_client_free(c);

    /* The generic download: a record without that recording is refused before any request. */
    struct cdr_args *args = cdr_args_new();
    cdr_args_add(args, "api_key", "k");
    cdr_args_add(args, "api_secret", "s");
    struct cdr_client_options co;
    cdr_client_options_default(&co);
    co.base_url = "http://127.0.0.1:9";
    struct cdr_client *client = cdr_client_new(cdr_vendor_find("itnio"), &co, args, &err);
    assert_non_null(client);
    struct cdr_record rec;
    cdr_record_init(&rec);
    assert_int_equal(cdr_client_download(client, &rec, 0, never_write, NULL, &d, &err),
                     CDR_ERR_NOT_FOUND);
    assert_int_equal(cdr_client_download(client, NULL, 0, never_write, NULL, &d, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    cdr_client_free(client);
    cdr_args_free(args);
}

/* ---- the documented examples fit the drift schema -------------------------------------------- */

static void expect_clean(const struct conform_schema *schema, const char *method, const char *path,
                         const char *example_name)
{
    size_t len;
    char *body = read_example(example_name, &len);
    struct conform_findings f = {0};
    char *url = test_format("https://api.itniotech.com%s", path);
    assert_true(conform_schema_check(schema, method, url, 200, body, len, &f));
    for (size_t i = 0; i < f.count; i++)
        printf("%s: %s %s expected %s seen %s\n", example_name, f.items[i].path, f.items[i].kind,
               f.items[i].expected, f.items[i].seen);
    assert_int_equal(f.count, 0);
    conform_findings_free(&f);
    free(url);
    free(body);
}

static void test_examples_fit_the_schema(void **state)
{
    (void)state;
    struct conform_schema schema;
    char err[256];
    if (!conform_schema_load(&schema, FIXTURES_DIR "/itnio/schema.json", err, sizeof(err)))
        fail_msg("%s", err);
    expect_clean(&schema, "POST", "/v3/cc/record/query", "record_query_response.json");
    expect_clean(&schema, "GET", "/v3/cc/seatGroup/basicSettingResp?voiceGroupId=1123",
                 "group_settings_response.json");
    expect_clean(&schema, "GET", "/voice/getRecordingFileUrl?recordingFileId=123.wav",
                 "recording_url_response.json");
    /* The account page's failure example carries no data at all. */
    static const char failure[] = "{ \"status\":\"-16\", \"reason\":\"timestamp expires\" }";
    struct conform_findings f = {0};
    assert_true(conform_schema_check(&schema, "GET", "https://h/voice/getRecordingFileUrl", 200,
                                     failure, strlen(failure), &f));
    assert_int_equal(f.count, 0);
    conform_schema_free(&schema);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_group_settings_page_example),
        cmocka_unit_test(test_group_settings_table_form),
        cmocka_unit_test(test_group_settings_null_strategy),
        cmocka_unit_test(test_group_settings_errors),
        cmocka_unit_test(test_recording_url_page_example),
        cmocka_unit_test(test_recording_url_errors),
        cmocka_unit_test(test_descriptor_calls_and_ranges),
        cmocka_unit_test(test_download_argument_checks),
        cmocka_unit_test(test_examples_fit_the_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
