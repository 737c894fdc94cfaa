/* The ITNIO simulator's agent-group settings (GET /v3/cc/seatGroup/basicSettingResp) and
 * recordings (GET /voice/getRecordingFileUrl and the links it hands out), in-process. Expected
 * values come from the fixture files read here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "itnio_requests.h"
#include "server.h"
#include "testutil.h"

#define NOW_S 1746057600LL /* 2025-05-01T00:00:00Z */
#define NOW_MS (NOW_S * 1000)
#define SEED_KEY "agent-call-record-250103/25010316113064799.wav"  /* talks 47 s */
#define SHORT_KEY "agent-call-record-240518/24051805303421068.wav" /* talks 8 s */
#define HOST "Host: mock.test:8123"
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static struct test_mock *start(void **state, const char *const *variants)
{
    return test_mock_fixture_start(state, FIXTURES_DIR, NOW_MS, variants);
}

/* A signed GET with a Host header, as a client reaching the mock at mock.test:8123 sends it,
 * stamped with the mock's own time. */
static struct test_reply get_hosted(struct test_mock *m, const char *path)
{
    struct auth a;
    auth_init(&a, mock_clock_now(&m->server->clock));
    const char *headers[] = {a.list[0], a.list[1], a.list[2], a.list[3], HOST, NULL};
    return test_mock_call(m, "GET", path, headers, NULL, 0);
}

static void assert_body(const struct test_reply *r, const char *expected)
{
    assert_int_equal(r->status, 200);
    assert_string_equal(r->body, expected);
}

/* Each query string after path gets exactly the body want. */
static void expect_each(struct test_mock *m, const char *path, const char *const *queries, size_t n,
                        const char *want)
{
    for (size_t i = 0; i < n; i++) {
        char *full = test_format("%s%s", path, queries[i]);
        struct test_reply r = get_at(m, NOW_S, full);
        if (strcmp(r.body, want) != 0)
            fail_msg("%s: %s", full, r.body);
        free(full);
        test_reply_free(&r);
    }
}

/* ---- group settings -------------------------------------------------------------------------- */

/* The page's members after the id, in its example's order. */
static const char *const setting_names[] = {
    "groupName",           "appName",         "callinStrategy", "timeoutTransferSec",
    "callinAutoAnswerSec", "wrapUpTime",      "timeoutIdle",    "timeoutWaitSec",
    "turnSeatRing",        "turnSeatRingUrl", "labelName",      "displaySwitch",
    "encryptNumber",       "fsNode"};

static void check_settings(const cJSON *group, const cJSON *data, const char *id_name)
{
    const cJSON *member = data->child;
    assert_string_equal(member->string, id_name);
    assert_int_equal(json_int_at(data, id_name), json_int_at(group, "voiceGroupId"));
    const cJSON *settings = cJSON_GetObjectItemCaseSensitive(group, "settings");
    for (size_t i = 0; i < ARRAY_LEN(setting_names); i++) {
        member = member->next;
        if (!member)
            fail_msg("data ends before %s", setting_names[i]);
        assert_string_equal(member->string, setting_names[i]);
        const cJSON *want =
            cJSON_GetObjectItemCaseSensitive(i < 3 ? group : settings, setting_names[i]);
        if (!want)
            assert_true(cJSON_IsNull(member));
        else if (!cJSON_Compare(want, member, true))
            fail_msg("group %lld: %s differs from groups.json",
                     (long long)json_int_at(group, "voiceGroupId"), setting_names[i]);
    }
    assert_null(member->next);
}

static void test_group_settings_every_field(void **state)
{
    struct test_mock *m = start(state, NULL);
    cJSON *groups = test_load_json(FIXTURES_DIR "/itnio/groups.json");
    const cJSON *g;
    cJSON_ArrayForEach(g, groups) {
        /* The table's parameter name, and the example answer's name of the same id. */
        static const char *const params[] = {"voiceGroupId", "seatGroupId"};
        for (size_t i = 0; i < ARRAY_LEN(params); i++) {
            char *path = test_format(ITNIO_SETTINGS "?%s=%lld", params[i],
                                     (long long)json_int_at(g, "voiceGroupId"));
            struct test_reply r = get_at(m, NOW_S, path);
            free(path);
            assert_int_equal(r.status, 200);
            assert_non_null(r.json);
            /* The page's example sends a numeric status. */
            assert_true(cJSON_IsNumber(json_at(r.json, "status")));
            assert_int_equal(json_int_at(r.json, "status"), 0);
            assert_string_equal(json_str_at(r.json, "reason"), "success");
            check_settings(g, json_at(r.json, "data"), "seatGroupId");
            test_reply_free(&r);
        }
    }
    test_mock_fixture_stop(state);
    static const char *const table_name[] = {"itnio.group_id_key=voiceGroupId", NULL};
    m = start(state, table_name);
    struct test_reply r = get_at(m, NOW_S, ITNIO_SETTINGS "?voiceGroupId=1000041");
    check_settings(cJSON_GetArrayItem(groups, 2), json_at(r.json, "data"), "voiceGroupId");
    test_reply_free(&r);
    cJSON_Delete(groups);
}

static void test_group_settings_bad_input(void **state)
{
    static const char param_error[] =
        "{\"status\":-22,\"reason\":\"Parameter exception\",\"data\":null}";
    struct test_mock *m = start(state, NULL);
    static const char *const bad[] = {"",
                                      "?voiceGroupId=",
                                      "?voiceGroupId=abc",
                                      "?voiceGroupId=12abc",
                                      "?voiceGroupId=2147483648",
                                      "?voiceGroupId=-2147483649",
                                      "?voiceGroupId=99",
                                      "?groupId=12"};
    expect_each(m, ITNIO_SETTINGS, bad, ARRAY_LEN(bad), param_error);
    struct test_reply r =
        test_mock_call(m, "GET", ITNIO_SETTINGS "?voiceGroupId=12", NULL, NULL, 0);
    assert_body(&r, "{\"status\":-1,\"reason\":\"Authentication error\",\"data\":null}");
    test_reply_free(&r);
    test_mock_fixture_stop(state);
    static const char *const unexisting[] = {"itnio.not_found_status=-24", NULL};
    m = start(state, unexisting);
    r = get_at(m, NOW_S, ITNIO_SETTINGS "?voiceGroupId=99");
    assert_body(&r, "{\"status\":-24,\"reason\":\"Data unexisting\",\"data\":null}");
    test_reply_free(&r);
    /* Malformed input stays a parameter error. */
    r = get_at(m, NOW_S, ITNIO_SETTINGS "?voiceGroupId=x");
    assert_body(&r, param_error);
    test_reply_free(&r);
}

/* ---- recording URLs -------------------------------------------------------------------------- */

/* The link for key from a successful answer (caller frees), its expiry in *expire_ms. */
static char *recording_link(struct test_mock *m, const char *key, const char *source,
                            int64_t *expire_ms)
{
    char *path = test_format(ITNIO_RECORDING_URL "?recordingFileId=%s&sourceType=%s", key, source);
    struct test_reply r = get_hosted(m, path);
    free(path);
    assert_int_equal(r.status, 200);
    if (!r.json || !cJSON_IsString(json_at(r.json, "status")))
        fail_msg("expected a string status: %s", r.body);
    assert_string_equal(json_str_at(r.json, "status"), "0");
    *expire_ms = json_int_at(r.json, "data.expireTime");
    char *url = strdup(json_str_at(r.json, "data.url"));
    test_reply_free(&r);
    return url;
}

/* The link's path and query, as the HTTP layer hands them to the mock. */
static const char *local_part(const char *url)
{
    static const char origin[] = "http://mock.test:8123";
    test_assert_prefix(url, origin);
    return url + strlen(origin);
}

static void test_recording_url(void **state)
{
    struct test_mock *m = start(state, NULL);
    int64_t expire_ms;
    char *url = recording_link(m, SEED_KEY, "sip", &expire_ms);
    /* An hour on the mock's clock, in milliseconds, on the host the client used. */
    assert_int_equal(expire_ms, NOW_MS + 3600 * 1000);
    test_assert_prefix(url, "http://mock.test:8123/voice/recording-file/" SEED_KEY "?expireTime=");
    free(url);
    test_mock_fixture_stop(state);

    static const char *const short_ttl[] = {"itnio.recording_url_ttl=60", NULL};
    m = start(state, short_ttl);
    url = recording_link(m, SHORT_KEY, "sip", &expire_ms);
    assert_int_equal(expire_ms, NOW_MS + 60 * 1000);
    free(url);
}

static void test_recording_url_bad_input(void **state)
{
    static const char param_error[] =
        "{\"status\":\"-22\",\"reason\":\"Parameter exception\",\"data\":null}";
    struct test_mock *m = start(state, NULL);
    static const char *const bad[] = {
        "",
        "?recordingFileId=",
        "?sourceType=sip",
        "?recordingFileId=" SEED_KEY "&sourceType=phone",
        "?recordingFileId=" SEED_KEY, /* group recordings by default */
        "?recordingFileId=" SEED_KEY "&sourceType=group",
        "?recordingFileId=agent-call-record-250103/nothing.wav&sourceType=sip",
        "?recordingFileId=123.wav&sourceType=sip"};
    expect_each(m, ITNIO_RECORDING_URL, bad, ARRAY_LEN(bad), param_error);
    struct test_reply r =
        test_mock_call(m, "POST", ITNIO_RECORDING_URL "?recordingFileId=x", NULL, "{}", 2);
    assert_int_equal(r.status, 405);
    test_reply_free(&r);
    test_mock_fixture_stop(state);

    static const char *const lenient[] = {"itnio.recording_source=any",
                                          "itnio.not_found_status=-24", NULL};
    m = start(state, lenient);
    int64_t expire_ms;
    free(recording_link(m, SEED_KEY, "group", &expire_ms));
    r = get_at(m, NOW_S, ITNIO_RECORDING_URL "?recordingFileId=nothing.wav&sourceType=sip");
    assert_body(&r, "{\"status\":\"-24\",\"reason\":\"Data unexisting\",\"data\":null}");
    test_reply_free(&r);
}

/* The WAV header: PCM, 8 kHz, mono, 16 bits, and how many data bytes it announces. (The
 * Content-Type is checked over HTTP, in test_itnio_e2e.) */
static uint32_t check_wav(const struct test_reply *r)
{
    assert_int_equal(r->status, 200);
    assert_in_range(r->body_len, 44, 1 << 20);
    const unsigned char *b = (const unsigned char *)r->body;
    assert_memory_equal(b, "RIFF", 4);
    assert_memory_equal(b + 8, "WAVEfmt ", 8);
    assert_int_equal(b[20] | b[21] << 8, 1);    /* PCM */
    assert_int_equal(b[22] | b[23] << 8, 1);    /* mono */
    assert_int_equal(b[24] | b[25] << 8, 8000); /* sample rate */
    assert_memory_equal(b + 36, "data", 4);
    uint32_t data =
        (uint32_t)b[40] | (uint32_t)b[41] << 8 | (uint32_t)b[42] << 16 | (uint32_t)b[43] << 24;
    assert_int_equal(r->body_len, 44 + data);
    return data;
}

static void test_recording_download(void **state)
{
    struct test_mock *m = start(state, NULL);
    int64_t expire_ms;
    char *url = recording_link(m, SEED_KEY, "sip", &expire_ms);
    /* No API headers: the link is all it takes. */
    struct test_reply a = test_mock_call(m, "GET", local_part(url), NULL, NULL, 0);
    /* 47 s of talk, capped at 10 s of 16-bit 8 kHz audio. */
    assert_int_equal(check_wav(&a), 10 * 8000 * 2);
    assert_string_equal(a.vendor_code, "200");
    struct test_reply again = test_mock_call(m, "GET", local_part(url), NULL, NULL, 0);
    assert_int_equal(again.body_len, a.body_len);
    assert_memory_equal(again.body, a.body, a.body_len);
    test_reply_free(&again);
    test_reply_free(&a);
    free(url);
    url = recording_link(m, SHORT_KEY, "sip", &expire_ms);
    a = test_mock_call(m, "GET", local_part(url), NULL, NULL, 0);
    assert_int_equal(check_wav(&a), 8 * 8000 * 2);
    test_reply_free(&a);
    free(url);
}

static void assert_storage_error(const struct test_reply *r, int status, const char *code,
                                 const char *message)
{
    assert_int_equal(r->status, status);
    assert_true(strncmp(r->body, "<?xml", 5) == 0);
    char *want = test_format("<Code>%s</Code><Message>%s</Message>", code, message);
    if (!strstr(r->body, want))
        fail_msg("expected %s in %s", want, r->body);
    free(want);
    assert_string_equal(r->vendor_code, code);
}

static void test_recording_link_expires_on_the_mock_clock(void **state)
{
    struct test_mock *m = start(state, NULL);
    int64_t expire_ms;
    char *url = recording_link(m, SEED_KEY, "sip", &expire_ms);
    mock_clock_set_ms(&m->server->clock, expire_ms);
    struct test_reply r = test_mock_call(m, "GET", local_part(url), NULL, NULL, 0);
    check_wav(&r);
    test_reply_free(&r);
    mock_clock_set_ms(&m->server->clock, expire_ms + 1);
    r = test_mock_call(m, "GET", local_part(url), NULL, NULL, 0);
    assert_storage_error(&r, 403, "AccessDenied", "Request has expired");
    test_reply_free(&r);
    /* A fresh link works again. */
    free(url);
    url = recording_link(m, SEED_KEY, "sip", &expire_ms);
    r = test_mock_call(m, "GET", local_part(url), NULL, NULL, 0);
    check_wav(&r);
    test_reply_free(&r);
    free(url);
}

static void test_recording_link_cannot_be_forged(void **state)
{
    struct test_mock *m = start(state, NULL);
    int64_t expire_ms;
    char *url = recording_link(m, SEED_KEY, "sip", &expire_ms);
    const char *local = local_part(url);
    /* A later expiry with the old signature. */
    char *later = test_format("%.*s%lld%s", (int)(strstr(local, "expireTime=") - local + 11), local,
                              (long long)expire_ms + 86400000, strstr(local, "&sign="));
    struct test_reply r = test_mock_call(m, "GET", later, NULL, NULL, 0);
    assert_storage_error(&r, 403, "SignatureDoesNotMatch",
                         "The request signature we calculated does not match the signature you "
                         "provided.");
    test_reply_free(&r);
    free(later);
    /* Another recording with this one's signature. */
    char *other = test_format("/voice/recording-file/%s%s", SHORT_KEY, strchr(local, '?'));
    r = test_mock_call(m, "GET", other, NULL, NULL, 0);
    assert_int_equal(r.status, 403);
    test_reply_free(&r);
    free(other);
    static const char *const unsigned_links[] = {
        "/voice/recording-file/" SEED_KEY, "/voice/recording-file/" SEED_KEY "?expireTime=1",
        "/voice/recording-file/" SEED_KEY "?expireTime=x&sign=00"};
    for (size_t i = 0; i < ARRAY_LEN(unsigned_links); i++) {
        r = test_mock_call(m, "GET", unsigned_links[i], NULL, NULL, 0);
        assert_int_equal(r.status, 403);
        test_reply_free(&r);
    }
    r = test_mock_call(m, "DELETE", local, NULL, NULL, 0);
    assert_storage_error(&r, 405, "MethodNotAllowed",
                         "The specified method is not allowed against this resource.");
    test_reply_free(&r);
    r = test_mock_call(m, "GET", "/voice/recording-file/", NULL, NULL, 0);
    assert_int_equal(r.status, 404);
    test_reply_free(&r);
    free(url);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name)                                                                                    \
    cmocka_unit_test_setup_teardown(name, test_mock_fixture_setup, test_mock_fixture_teardown)
        T(test_group_settings_every_field),
        T(test_group_settings_bad_input),
        T(test_recording_url),
        T(test_recording_url_bad_input),
        T(test_recording_download),
        T(test_recording_link_expires_on_the_mock_clock),
        T(test_recording_link_cannot_be_forged),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
