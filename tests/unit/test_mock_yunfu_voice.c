/* Yunfu recordings, driven in-process: download-full-voice answers the call's WAV (or a 302 to its
 * play URL), the batch answers play URLs for up to 30 calls, and a play URL resolves on the same
 * mock until it expires on the mock's clock, with the object store's XML errors otherwise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/buf.h"
#include "server.h"
#include "testutil.h"
#include "yunfu_calls.h"
#include "yunfu_model.h"

#define TASK_PATH "/agent-api/user/" YUNFU_SEED_USER "/task/" YUNFU_SEED_TASK
#define VOICE(record) TASK_PATH "/record/" record "/download-full-voice"
#define BATCH TASK_PATH "/batch_record/download-full-voice"
#define HOST "mock.test:8080"
#define NO_VOICE "{\"code\":5004,\"status\":\"error\",\"message\":\"通话录音不存在\",\"data\":[]}"

static const char *const DEMO_AT_HOST[] = {"Authorization: Bearer " YUNFU_DEMO_TOKEN, "Host: " HOST,
                                           NULL};

static uint32_t le32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}

/* A WAV answer of about seconds seconds (capped at 10) of 8 kHz 16-bit mono PCM. */
static void assert_wav(const struct test_reply *r, int64_t seconds)
{
    if (r->status != 200)
        fail_msg("expected the audio, got %d %s", r->status, r->body);
    assert_in_range(r->body_len, 44, 1000000);
    assert_memory_equal(r->body, "RIFF", 4);
    assert_memory_equal(r->body + 8, "WAVEfmt ", 8);
    assert_int_equal(le32(r->body + 4), r->body_len - 8);
    assert_int_equal(r->body[20] | r->body[21] << 8, 1); /* PCM */
    assert_int_equal(le32(r->body + 24), 8000);
    int64_t want = seconds > 10 ? 10 : seconds < 1 ? 1 : seconds;
    assert_int_equal(le32(r->body + 40), want * 8000 * 2);
}

static const char *an_unanswered_call(const cJSON *records)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, records) {
        if (strcmp(json_str_at(r, "task_id"), YUNFU_SEED_TASK) == 0 &&
            cJSON_IsNull(json_at(r, "answerdate")))
            return json_str_at(r, "id");
    }
    fail_msg("the seed task has no unanswered call");
    return NULL;
}

static void test_download(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, YUNFU_NOW_MS, NULL);
    struct test_reply r = yunfu_mock_get(m, YUNFU_DEMO, VOICE(YUNFU_SEED_RECORD));
    assert_wav(&r, 37); /* bill 37140 ms */
    assert_string_equal(r.vendor_code, "200");
    char value[128];
    assert_true(test_reply_header(&r, "Content-Disposition", value, sizeof(value)));
    assert_string_equal(value, "attachment; filename=\"" YUNFU_SEED_RECORD ".wav\"");
    /* The same bytes every time, for the same call. */
    struct test_reply again = yunfu_mock_get(m, YUNFU_DEMO, VOICE(YUNFU_SEED_RECORD));
    assert_int_equal(again.body_len, r.body_len);
    assert_memory_equal(again.body, r.body, r.body_len);
    test_reply_free(&again);
    /* The retired path without the account answers the same. */
    again = yunfu_mock_get(m, YUNFU_DEMO,
                           "/agent-api/task/" YUNFU_SEED_TASK "/record/" YUNFU_SEED_RECORD
                           "/download-full-voice");
    assert_int_equal(again.body_len, r.body_len);
    assert_memory_equal(again.body, r.body, r.body_len);
    test_reply_free(&again);
    test_reply_free(&r);
    /* A call of a sub-account, through sub_user_id: its own length. */
    cJSON *records = test_load_json(YUNFU_RECORDS);
    const cJSON *rec;
    cJSON_ArrayForEach(rec, records) {
        if (strcmp(json_str_at(rec, "task_id"), YUNFU_SUB_TASK) == 0 &&
            json_int_at(rec, "bill") > 0)
            break;
    }
    assert_non_null(rec);
    char *path =
        test_format("/agent-api/user/%s/task/%s/record/%s/download-full-voice"
                    "?sub_user_id=%s",
                    YUNFU_SEED_USER, YUNFU_SUB_TASK, json_str_at(rec, "id"), YUNFU_SUB_USER);
    r = yunfu_mock_get(m, YUNFU_DEMO, path);
    assert_wav(&r, (json_int_at(rec, "bill") + 500) / 1000);
    test_reply_free(&r);
    free(path);
    cJSON_Delete(records);
}

static void test_download_errors(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, YUNFU_NOW_MS, NULL);
    cJSON *records = test_load_json(YUNFU_RECORDS);
    char *path =
        test_format(TASK_PATH "/record/%s/download-full-voice", an_unanswered_call(records));
    yunfu_mock_expect(m, YUNFU_DEMO, path, 200, NO_VOICE);
    free(path);
    yunfu_mock_expect(m, YUNFU_DEMO, VOICE("nope"), 200, YUNFU_NO_RECORD);
    yunfu_mock_expect(m, YUNFU_DEMO,
                      "/agent-api/user/" YUNFU_SEED_USER "/task/" YUNFU_SECOND_TASK
                      "/record/" YUNFU_SEED_RECORD "/download-full-voice",
                      200, YUNFU_NO_RECORD);
    yunfu_mock_expect(m, YUNFU_DEMO,
                      "/agent-api/user/" YUNFU_SEED_USER "/task/nope/record/x/download-full-voice",
                      200, YUNFU_NO_TASK);
    yunfu_mock_expect(m, YUNFU_DEMO,
                      "/agent-api/user/nobody/task/" YUNFU_SEED_TASK
                      "/record/x/download-full-voice",
                      200, YUNFU_NO_NODE);
    yunfu_mock_expect(m, NULL, VOICE(YUNFU_SEED_RECORD), 401, YUNFU_UNAUTHENTICATED);
    yunfu_mock_expect(m, YUNFU_DEMO, VOICE(YUNFU_SEED_RECORD) "?sub_user_id[]=x", 422,
                      "{\"message\":\"The sub user id must be a string.\",\"errors\":{"
                      "\"sub_user_id\":[\"The sub user id must be a string.\"]}}");
    cJSON_Delete(records);
}

/* The path and query of a play URL on this mock (the part after http://HOST). */
static const char *local_part(const char *url)
{
    const char *prefix = "http://" HOST "/yunfu-oss/record/";
    if (strncmp(url, prefix, strlen(prefix)) != 0)
        fail_msg("a play URL elsewhere: %s", url);
    return url + strlen("http://" HOST);
}

static void test_redirect_and_play_url(void **state)
{
    const char *const variants[] = {"yunfu.voice_download=redirect", "yunfu.voice_ttl=600", NULL};
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, YUNFU_NOW_MS, variants);
    struct test_reply r = yunfu_mock_get(m, DEMO_AT_HOST, VOICE(YUNFU_SEED_RECORD));
    assert_int_equal(r.status, 302);
    char location[512];
    assert_true(test_reply_header(&r, "Location", location, sizeof(location)));
    char *expires = test_format("?Expires=%lld&", (long long)(YUNFU_NOW_MS / 1000 + 600));
    assert_non_null(strstr(location, expires));
    free(expires);
    test_reply_free(&r);
    /* The play URL needs no token, and answers the call's audio until it expires. */
    char *local = strdup(local_part(location));
    r = yunfu_mock_get(m, NULL, local);
    assert_wav(&r, 37);
    test_reply_free(&r);
    r = test_mock_call(m, "HEAD", local, NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    mock_clock_advance_ms(&m->server->clock, 600000);
    r = yunfu_mock_get(m, NULL, local);
    assert_int_equal(r.status, 200); /* valid through its Expires second */
    test_reply_free(&r);
    mock_clock_advance_ms(&m->server->clock, 1000);
    r = yunfu_mock_get(m, NULL, local);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body, "<Code>AccessDenied</Code>"));
    assert_non_null(strstr(r.body, "<Message>Request has expired.</Message>"));
    test_reply_free(&r);
    /* Tampering with the record or the expiry breaks the signature. */
    mock_clock_advance_ms(&m->server->clock, -601000);
    char *other = strdup(local);
    other[strlen("/yunfu-oss/record/")] ^= 1;
    r = yunfu_mock_get(m, NULL, other);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body, "<Code>SignatureDoesNotMatch</Code>"));
    test_reply_free(&r);
    free(other);
    other = test_format("%.*s9", (int)(strchr(local, '&') - local), local);
    strcat(other, strchr(local, '&'));
    r = yunfu_mock_get(m, NULL, other);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body, "SignatureDoesNotMatch"));
    test_reply_free(&r);
    free(other);
    free(local);
}

static void test_object_store_errors(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, YUNFU_NOW_MS, NULL);
    struct test_reply r = yunfu_mock_get(m, NULL, "/yunfu-oss/record/" YUNFU_SEED_RECORD ".wav");
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body, "because of bucket acl"));
    test_reply_free(&r);
    r = yunfu_mock_get(m, NULL, "/yunfu-oss/other/x.wav");
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(r.body, "<Code>NoSuchKey</Code>"));
    test_reply_free(&r);
    r = test_mock_call(m, "DELETE", "/yunfu-oss/record/x.wav", NULL, NULL, 0);
    assert_int_equal(r.status, 405);
    assert_non_null(strstr(r.body, "<Code>MethodNotAllowed</Code>"));
    test_reply_free(&r);
    r = yunfu_mock_get(m, NULL, "/yunfu-oss/record/x.wav?Expires=abc&Signature=00");
    assert_int_equal(r.status, 403);
    test_reply_free(&r);
}

/* The batch's data as "<record_id> <url or null>" lines, in order. */
static char *batch_lines(const struct test_reply *r)
{
    if (r->status != 200 || !r->json || json_int_at(r->json, "code") != 200)
        fail_msg("expected a success, got %d %s", r->status, r->body);
    assert_string_equal(json_str_at(r->json, "message"), "获取通话录音地址成功");
    struct cdr_buf b;
    cdr_buf_init(&b);
    const cJSON *item;
    cJSON_ArrayForEach(item, json_at(r->json, "data")) {
        const cJSON *url = cJSON_IsObject(item) ? json_at(item, "url") : item;
        cdr_buf_printf(&b, "%s %s\n",
                       cJSON_IsObject(item) ? json_str_at(item, "record_id") : item->string,
                       cJSON_IsString(url) ? url->valuestring : "null");
    }
    return cdr_buf_steal(&b);
}

static void test_batch(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, YUNFU_NOW_MS, NULL);
    cJSON *records = test_load_json(YUNFU_RECORDS);
    const char *silent = an_unanswered_call(records);
    char *path = test_format(BATCH "?recordIds[]=%s&recordIds[]=%s", YUNFU_SEED_RECORD, silent);
    struct test_reply r = yunfu_mock_get(m, DEMO_AT_HOST, path);
    char *lines = batch_lines(&r);
    char *want_prefix =
        test_format(YUNFU_SEED_RECORD " http://" HOST "/yunfu-oss/record/" YUNFU_SEED_RECORD
                                      ".wav?Expires=%lld&Signature=",
                    (long long)(YUNFU_NOW_MS / 1000 + 3600));
    assert_memory_equal(lines, want_prefix, strlen(want_prefix));
    char *silent_line = test_format("\n%s null\n", silent);
    assert_non_null(strstr(lines, silent_line));
    free(silent_line);
    free(want_prefix);
    /* Each URL resolves on the same mock. */
    const char *url = json_str_at(r.json, "data.0.url");
    struct test_reply audio = yunfu_mock_get(m, NULL, local_part(url));
    assert_wav(&audio, 37);
    test_reply_free(&audio);
    free(lines);
    test_reply_free(&r);
    free(path);
    /* Thirty is the limit. */
    struct cdr_buf q;
    cdr_buf_init(&q);
    cdr_buf_puts(&q, BATCH "?");
    for (int i = 0; i < 30; i++)
        cdr_buf_printf(&q, "recordIds[]=%s&", YUNFU_SEED_RECORD);
    r = yunfu_mock_get(m, DEMO_AT_HOST, q.data);
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "data")), 30);
    test_reply_free(&r);
    cdr_buf_printf(&q, "recordIds[]=%s", YUNFU_SEED_RECORD);
    yunfu_mock_expect(m, YUNFU_DEMO, q.data, 422,
                      "{\"message\":\"The record ids must not have more than 30 items.\","
                      "\"errors\":{\"recordIds\":[\"The record ids must not have more than 30 "
                      "items.\"]}}");
    cdr_buf_free(&q);
    cJSON_Delete(records);
}

static void test_batch_errors(void **state)
{
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, YUNFU_NOW_MS, NULL);
    static const char *const invalid[][3] = {
        {"", "recordIds", "The record ids field is required."},
        {"recordIds=", "recordIds", "The record ids field is required."},
        {"recordIds=" YUNFU_SEED_RECORD, "recordIds", "The record ids must be an array."},
        {"recordIds[][]=x", "recordIds.0", "The record ids.0 must be a string."},
        {"recordIds[]=", "recordIds.0", "The record ids.0 must be a string."},
    };
    for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
        char *path = test_format("%s?%s", BATCH, invalid[i][0]);
        char *body = test_format("{\"message\":\"%s\",\"errors\":{\"%s\":[\"%s\"]}}", invalid[i][2],
                                 invalid[i][1], invalid[i][2]);
        yunfu_mock_expect(m, YUNFU_DEMO, path, 422, body);
        free(body);
        free(path);
    }
    yunfu_mock_expect(m, YUNFU_DEMO, BATCH "?recordIds[]=" YUNFU_SEED_RECORD "&recordIds[]=nope",
                      200, YUNFU_NO_RECORD);
    yunfu_mock_expect(m, YUNFU_DEMO,
                      "/agent-api/user/" YUNFU_SEED_USER
                      "/task/nope/batch_record/download-full-voice?recordIds[]=x",
                      200, YUNFU_NO_TASK);
    yunfu_mock_expect(m, NULL, BATCH "?recordIds[]=x", 401, YUNFU_UNAUTHENTICATED);
}

static void test_batch_as_a_map(void **state)
{
    const char *const variants[] = {"yunfu.batch_data=map", NULL};
    struct test_mock *m = test_mock_fixture_start(state, FIXTURES_DIR, YUNFU_NOW_MS, variants);
    struct test_reply r = yunfu_mock_get(m, DEMO_AT_HOST, BATCH "?recordIds[]=" YUNFU_SEED_RECORD);
    assert_true(cJSON_IsObject(json_at(r.json, "data")));
    char *lines = batch_lines(&r);
    assert_memory_equal(lines, YUNFU_SEED_RECORD " http://" HOST "/yunfu-oss/",
                        strlen(YUNFU_SEED_RECORD " http://" HOST "/yunfu-oss/"));
    free(lines);
    test_reply_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_download, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_download_errors, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_redirect_and_play_url, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_object_store_errors, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_batch, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_batch_errors, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_batch_as_a_map, test_mock_fixture_setup,
                                        test_mock_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
