/* The real cdrsim-mock on an ephemeral loopback port, driven by libcdrsim's aliyun client (V3 and
 * V2, POST and GET) and by plain libcurl. Expected ids come from reading
 * fixtures/aliyun/records.json here, so a mistake shared by client and mock cannot hide. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <microhttpd.h>

#include "cdrsim/aliyun.h"
#include "cdrsim/buf.h"
#include "cdrsim/vendor.h"
#include "testutil.h"

#define MOCK_CLOCK "2025-05-01T00:00:00Z"
#define NOW 1746057600LL
#define INSTANCE "ccc_xp_pre-cn-demo001"
#define SEED_ID "acc1c58dab4a4dd280e3813c66"

static cJSON *records;

static int load_records(void **state)
{
    (void)state;
    records = test_load_json(FIXTURES_DIR "/aliyun/records.json");
    return cJSON_IsArray(records) ? 0 : -1;
}

static int free_records(void **state)
{
    (void)state;
    cJSON_Delete(records);
    return 0;
}

static const char *start_mock(void **state, const char *variant)
{
    struct mock_process *mock = *state;
    const char *args[] = {"--clock", MOCK_CLOCK, variant ? "--variant" : NULL, variant, NULL};
    mock_process_start(mock, args);
    return mock->base_url;
}

/* ---- the dataset, read independently --------------------------------------------------------- */

static bool field_is(const cJSON *r, const char *key, const char *value)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(r, key);
    char digits[32];
    if (cJSON_IsNumber(item)) {
        snprintf(digits, sizeof(digits), "%lld", (long long)item->valuedouble);
        return strcmp(digits, value) == 0;
    }
    return cJSON_IsString(item) && strcmp(item->valuestring, value) == 0;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

struct ids {
    char *items[4096];
    size_t count;
};

static void ids_add(struct ids *l, const char *id)
{
    assert_true(l->count < 4096);
    assert_non_null(l->items[l->count++] = strdup(id));
}

static void ids_free(struct ids *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    l->count = 0;
}

/* Same set, nothing twice. Sorts both. */
static void assert_same_ids(struct ids *got, struct ids *want)
{
    qsort(got->items, got->count, sizeof(char *), by_string);
    qsort(want->items, want->count, sizeof(char *), by_string);
    for (size_t i = 1; i < got->count; i++)
        if (strcmp(got->items[i - 1], got->items[i]) == 0)
            fail_msg("record %s delivered twice", got->items[i]);
    assert_int_equal(got->count, want->count);
    for (size_t i = 0; i < got->count; i++)
        assert_string_equal(got->items[i], want->items[i]);
}

/* Ids of the records for which every (key, value) pair of `all` holds and, when `any` is given,
 * at least one of its pairs. */
static void dataset_ids(const char *const *all, const char *const *any, struct ids *out)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, records) {
        bool ok = true;
        for (size_t i = 0; all && all[i]; i += 2)
            ok = ok && field_is(r, all[i], all[i + 1]);
        bool one = !any;
        for (size_t i = 0; any && any[i]; i += 2)
            one = one || field_is(r, any[i], any[i + 1]);
        if (ok && one)
            ids_add(out, cJSON_GetObjectItemCaseSensitive(r, "Id")->valuestring);
    }
}

/* ---- the client ------------------------------------------------------------------------------ */

static int64_t fixed_clock(void *user)
{
    return *(const int64_t *)user;
}

static void same_nonce(void *user, char out[64])
{
    (void)user;
    strcpy(out, "always-the-same-nonce");
}

struct client_spec {
    enum cdr_aliyun_signing signing;
    bool get;
    const char *key_id, *secret, *token;
    int64_t now;
    bool fixed_nonce;
};

static struct cdr_aliyun_client *new_client(const char *base_url, const struct client_spec *s,
                                            int64_t *now)
{
    struct cdr_aliyun_options opts;
    cdr_aliyun_options_default(&opts);
    opts.base_url = base_url;
    opts.access_key_id = s->key_id ? s->key_id : "testid";
    opts.access_key_secret = s->secret ? s->secret : "testsecret";
    opts.security_token = s->token;
    opts.instance_id = INSTANCE;
    opts.signing = s->signing;
    opts.use_get = s->get;
    *now = s->now ? s->now : NOW;
    opts.clock = fixed_clock;
    opts.clock_user = now;
    if (s->fixed_nonce)
        opts.nonce = same_nonce;
    opts.http.retry_backoff_ms = 10;
    struct cdr_error_info err;
    struct cdr_aliyun_client *c = cdr_aliyun_client_new(&opts, &err);
    if (!c)
        fail_msg("cdr_aliyun_client_new: %s", err.message);
    return c;
}

struct collected {
    struct ids ids;
    int64_t seed_start, seed_talk;
    int64_t pages, total, records_seen;
};

static int on_record(void *user, const struct cdr_record *rec)
{
    struct collected *c = user;
    ids_add(&c->ids, rec->id);
    if (strcmp(rec->id, SEED_ID) == 0) {
        c->seed_start = rec->start_time;
        c->seed_talk = rec->talk_seconds;
    }
    return 0;
}

static void on_progress(void *user, const struct cdr_aliyun_progress *p)
{
    struct collected *c = user;
    c->pages = p->pages;
    c->total = p->total_count;
    c->records_seen = p->records_seen;
}

static cdr_error fetch(const char *base_url, const struct client_spec *s,
                       const struct cdr_aliyun_filter *f, int64_t page_size, struct collected *out,
                       struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    int64_t now;
    struct cdr_aliyun_client *c = new_client(base_url, s, &now);
    cdr_error rc = cdr_aliyun_fetch_all(c, f, page_size, on_record, on_progress, out, err);
    cdr_aliyun_client_free(c);
    return rc;
}

static void fetch_ok(const char *base_url, const struct client_spec *s,
                     const struct cdr_aliyun_filter *f, int64_t page_size, struct collected *out)
{
    struct cdr_error_info err;
    cdr_error rc = fetch(base_url, s, f, page_size, out, &err);
    if (rc != CDR_OK)
        fail_msg("fetch_all: %s: %s (vendor code %s, HTTP %ld)", cdr_error_name(rc), err.message,
                 err.vendor_code, err.http_status);
}

static struct cdr_aliyun_filter demo_filter(void)
{
    struct cdr_aliyun_filter f;
    cdr_aliyun_filter_init(&f);
    f.instance_id = INSTANCE;
    return f;
}

/* ---- tests ----------------------------------------------------------------------------------- */

static void every_record_each_way(void **state)
{
    const char *base = start_mock(state, NULL);
    struct ids want = {0};
    dataset_ids(NULL, NULL, &want);
    const struct client_spec ways[] = {
        {CDR_ALIYUN_SIGN_V3, false, NULL, NULL, NULL, 0, false},
        {CDR_ALIYUN_SIGN_V3, true, NULL, NULL, NULL, 0, false},
        {CDR_ALIYUN_SIGN_V2, false, NULL, NULL, NULL, 0, false},
        {CDR_ALIYUN_SIGN_V2, true, NULL, NULL, NULL, 0, false},
    };
    for (size_t i = 0; i < sizeof(ways) / sizeof(ways[0]); i++) {
        struct cdr_aliyun_filter f = demo_filter();
        struct collected got;
        fetch_ok(base, &ways[i], &f, 50, &got);
        assert_int_equal(got.total, (int64_t)want.count);
        assert_int_equal(got.records_seen, (int64_t)want.count);
        assert_int_equal(got.pages, 8); /* 361 in pages of 50 */
        assert_int_equal(got.seed_start, china_time(2020, 10, 2, 22, 32, 55));
        assert_int_equal(got.seed_talk, 37);
        assert_same_ids(&got.ids, &want);
        ids_free(&got.ids);
    }
    ids_free(&want);
}

/* Every filter the client can send, each checked against the dataset: a parameter name the
 * client misspelt would be ignored by the mock and show up as too many records. */
static void every_filter_through_the_client(void **state)
{
    const char *base = start_mock(state, NULL);
    const cJSON *a = cJSON_GetArrayItem(records, 30), *b = cJSON_GetArrayItem(records, 31);
#define TEXT(r, k) (cJSON_GetObjectItemCaseSensitive(r, k)->valuestring)
    const char *servicer = "600103", *member_a = TEXT(a, "MemberId"),
               *member_b = TEXT(b, "MemberId");
    const char *acids[] = {TEXT(a, "Acid"), TEXT(b, "Acid")};
    const char *callings[] = {TEXT(a, "CallingNumber"), TEXT(b, "CallingNumber")};
    const char *calleds[] = {TEXT(a, "CalledNumber"), TEXT(b, "CalledNumber")};
    const char *members[] = {member_a, member_b};
    const char *servicers[] = {"600101", "600108"};
    const char *results[] = {"touchInQueue", "TouchRingCallLoss"};
    const int types[] = {1, 3};
    const int64_t groups[] = {100201, 123456};
    for (int n = 0; n < 20; n++) {
        struct cdr_aliyun_filter f = demo_filter();
        const char *all[8] = {NULL}, *any[8] = {NULL};
        switch (n) {
        case 0:
            f.id = SEED_ID;
            all[0] = "Id", all[1] = SEED_ID;
            break;
        case 1:
            f.acid = acids[0];
            all[0] = "Acid", all[1] = acids[0];
            break;
        case 2:
            f.has_call_type = true, f.call_type = 2;
            all[0] = "CallType", all[1] = "2";
            break;
        case 3:
            f.calling_number = callings[0];
            all[0] = "CallingNumber", all[1] = callings[0];
            break;
        case 4:
            f.called_number = calleds[1];
            all[0] = "CalledNumber", all[1] = calleds[1];
            break;
        case 5:
            f.has_group_id = true, f.group_id = 100202;
            all[0] = "GroupId", all[1] = "100202";
            break;
        case 6:
            f.group_name = "会员专线";
            all[0] = "GroupName", all[1] = "会员专线";
            break;
        case 7:
            f.member_id = member_a;
            all[0] = "MemberId", all[1] = member_a;
            break;
        case 8:
            f.member_name = "匿名会员";
            all[0] = "MemberName", all[1] = "匿名会员";
            break;
        case 9:
            f.servicer_id = servicer;
            all[0] = "ServicerId", all[1] = servicer;
            break;
        case 10:
            f.servicer_name = "刘测试";
            all[0] = "ServicerName", all[1] = "刘测试";
            break;
        case 11:
            f.call_result = "userHangup";
            all[0] = "CallResult", all[1] = "userHangup";
            break;
        case 12:
            f.acid_list = acids, f.acid_list_count = 2;
            any[0] = "Acid", any[1] = acids[0], any[2] = "Acid", any[3] = acids[1];
            break;
        case 13:
            f.call_type_list = types, f.call_type_list_count = 2;
            any[0] = "CallType", any[1] = "1", any[2] = "CallType", any[3] = "3";
            break;
        case 14:
            f.group_id_list = groups, f.group_id_list_count = 2;
            any[0] = "GroupId", any[1] = "100201", any[2] = "GroupId", any[3] = "123456";
            break;
        case 15:
            f.calling_number_list = callings, f.calling_number_list_count = 2;
            any[0] = "CallingNumber", any[1] = callings[0], any[2] = "CallingNumber",
            any[3] = callings[1];
            break;
        case 16:
            f.called_number_list = calleds, f.called_number_list_count = 2;
            any[0] = "CalledNumber", any[1] = calleds[0], any[2] = "CalledNumber",
            any[3] = calleds[1];
            break;
        case 17:
            f.member_id_list = members, f.member_id_list_count = 2;
            any[0] = "MemberId", any[1] = member_a, any[2] = "MemberId", any[3] = member_b;
            break;
        case 18:
            f.servicer_id_list = servicers, f.servicer_id_list_count = 2;
            any[0] = "ServicerId", any[1] = servicers[0], any[2] = "ServicerId",
            any[3] = servicers[1];
            break;
        case 19:
            f.call_result_list = results, f.call_result_list_count = 2;
            any[0] = "CallResult", any[1] = results[0], any[2] = "CallResult", any[3] = results[1];
            break;
        }
        struct ids want = {0};
        dataset_ids(all[0] ? all : NULL, any[0] ? any : NULL, &want);
        assert_true(want.count > 0 && want.count < (size_t)cJSON_GetArraySize(records));
        struct client_spec s = {n % 2 ? CDR_ALIYUN_SIGN_V2 : CDR_ALIYUN_SIGN_V3,
                                n % 3 == 0,
                                NULL,
                                NULL,
                                NULL,
                                0,
                                false};
        struct collected got;
        fetch_ok(base, &s, &f, 20, &got);
        assert_same_ids(&got.ids, &want);
        ids_free(&got.ids);
        ids_free(&want);
    }
#undef TEXT
}

static void time_window_in_milliseconds(void **state)
{
    const char *base = start_mock(state, NULL);
    struct cdr_aliyun_filter f = demo_filter();
    f.start_ms = china_time(2024, 11, 1, 0, 0, 0) * 1000;
    f.end_ms = china_time(2025, 1, 31, 23, 59, 59) * 1000;
    struct ids want = {0};
    const cJSON *r;
    cJSON_ArrayForEach(r, records) {
        const char *t = cJSON_GetObjectItemCaseSensitive(r, "CreateTime")->valuestring;
        if (strcmp(t, "2024-11-01 00:00:00") >= 0 && strcmp(t, "2025-01-31 23:59:59") <= 0)
            ids_add(&want, cJSON_GetObjectItemCaseSensitive(r, "Id")->valuestring);
    }
    assert_true(want.count > 50);
    struct collected got;
    fetch_ok(base, &(struct client_spec){CDR_ALIYUN_SIGN_V2, true, NULL, NULL, NULL, 0, false}, &f,
             13, &got);
    assert_same_ids(&got.ids, &want);
    ids_free(&got.ids);
    ids_free(&want);
}

static void assert_fails(const char *base, const struct client_spec *s, const char *instance,
                         cdr_error code, const char *vendor_code, long status)
{
    struct cdr_aliyun_filter f = demo_filter();
    f.instance_id = instance ? instance : INSTANCE;
    struct collected got;
    struct cdr_error_info err;
    cdr_error rc = fetch(base, s, &f, 20, &got, &err);
    if (rc != code)
        fail_msg("expected %s, got %s: %s", cdr_error_name(code), cdr_error_name(rc), err.message);
    assert_string_equal(err.vendor_code, vendor_code);
    assert_int_equal(err.http_status, status);
    assert_int_equal(got.ids.count, 0);
}

static void errors_reach_the_caller(void **state)
{
    const char *base = start_mock(state, NULL);
    for (int v2 = 0; v2 <= 1; v2++) {
        enum cdr_aliyun_signing sig = v2 ? CDR_ALIYUN_SIGN_V2 : CDR_ALIYUN_SIGN_V3;
        assert_fails(base, &(struct client_spec){sig, false, NULL, "wrong", NULL, 0, false}, NULL,
                     CDR_ERR_AUTH, "SignatureDoesNotMatch", 400);
        assert_fails(base, &(struct client_spec){sig, true, "LTAInobody", NULL, NULL, 0, false},
                     NULL, CDR_ERR_AUTH, "InvalidAccessKeyId.NotFound", 404);
        assert_fails(base, &(struct client_spec){sig, false, NULL, NULL, NULL, 0, false},
                     "ccc_nobody", CDR_ERR_NOT_FOUND, "NoTenantFound", 500);
        assert_fails(base,
                     &(struct client_spec){sig, false, NULL, NULL, NULL, NOW - 16 * 60, false},
                     NULL, CDR_ERR_TIMESTAMP, "InvalidTimeStamp.Expired", 400);
    }
    /* The mock's message carries its string to sign, kept verbatim. */
    struct cdr_aliyun_filter f = demo_filter();
    struct collected got;
    struct cdr_error_info err;
    fetch(base, &(struct client_spec){CDR_ALIYUN_SIGN_V2, true, NULL, "wrong", NULL, 0, false}, &f,
          20, &got, &err);
    assert_non_null(strstr(
        err.message,
        "server string to sign is:GET&%2F&AccessKeyId%3Dtestid%26Action%3DHotlineSessionQuery"));
}

/* A client that reuses its nonce is refused on the second request: a replay. */
static void reused_nonce_is_refused(void **state)
{
    const char *base = start_mock(state, NULL);
    int64_t now;
    struct cdr_aliyun_client *c = new_client(
        base, &(struct client_spec){CDR_ALIYUN_SIGN_V3, false, NULL, NULL, NULL, 0, true}, &now);
    struct cdr_aliyun_filter f = demo_filter();
    struct cdr_aliyun_page page;
    struct cdr_error_info err;
    assert_int_equal(cdr_aliyun_query_page(c, &f, 1, 5, &page, &err), CDR_OK);
    assert_int_equal(page.record_count, 5);
    assert_int_equal(page.total_count, cJSON_GetArraySize(records));
    assert_int_equal(strlen(page.request_id), 36);
    cdr_aliyun_page_free(&page);
    assert_int_equal(cdr_aliyun_query_page(c, &f, 2, 5, &page, &err), CDR_ERR_AUTH);
    assert_string_equal(err.vendor_code, "SignatureNonceUsed");
    cdr_aliyun_client_free(c);
}

#define STS_ID "STS.NUcdrsimDemoTemporaryKey"
#define STS_SECRET "cdrsim-sts-demo-secret"

/* Temporary credentials: the token travels signed (V2 parameter, V3 header) and is required. */
static void security_token_is_signed(void **state)
{
    const char *base = start_mock(state, NULL);
    char *token = aliyun_fixture_token(STS_ID);
    for (int v2 = 0; v2 <= 1; v2++) {
        enum cdr_aliyun_signing signing = v2 ? CDR_ALIYUN_SIGN_V2 : CDR_ALIYUN_SIGN_V3;
        struct cdr_aliyun_filter f = demo_filter();
        f.id = SEED_ID;
        struct collected got;
        fetch_ok(base, &(struct client_spec){signing, v2 == 1, STS_ID, STS_SECRET, token, 0, false},
                 &f, 20, &got);
        assert_int_equal(got.ids.count, 1);
        ids_free(&got.ids);
        static const struct {
            const char *token, *code;
        } refused[] = {{NULL, "MissingSecurityToken"},
                       {"CAISforged", "InvalidSecurityToken.Malformed"}};
        for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
            struct cdr_error_info err;
            cdr_error rc = fetch(base,
                                 &(struct client_spec){signing, v2 == 1, STS_ID, STS_SECRET,
                                                       refused[i].token, 0, false},
                                 &f, 20, &got, &err);
            assert_int_equal(rc, CDR_ERR_AUTH);
            assert_string_equal(err.vendor_code, refused[i].code);
            assert_int_equal(err.http_status, 400);
            ids_free(&got.ids);
        }
    }
    free(token);
}

/* ---- recordings and transcripts ---------------------------------------------------------------
 */

#define SEED_ACID "7719786"

struct audio {
    struct cdr_buf bytes;
    size_t chunks;
    bool stop;
};

static int collect_audio(void *user, const void *data, size_t len)
{
    struct audio *a = user;
    a->chunks++;
    cdr_buf_append(&a->bytes, data, len);
    return a->stop ? 1 : 0;
}

static void advance_mock_clock(const char *base, int seconds)
{
    char *url = test_format("%s/__cdrsim/clock", base);
    char *body = test_format("{\"advance_seconds\":%d}", seconds);
    /* JSON, as the admin API takes writes (curl would label the body a form). */
    const char *const json[] = {"Content-Type: application/json", NULL};
    struct test_http_reply r = test_http("PUT", url, json, body, strlen(body));
    assert_int_equal(r.status, 200);
    test_http_reply_free(&r);
    free(body);
    free(url);
}

/* Every recording and transcript call through the client, V2 and V3, GET and POST; the link a
 * call hands out downloads as a WAV file, streamed in chunks. */
static void recordings_end_to_end(void **state)
{
    const char *base = start_mock(state, NULL);
    for (int v = 0; v < 3; v++) {
        int64_t now;
        struct cdr_aliyun_client *c =
            new_client(base,
                       &(struct client_spec){v ? CDR_ALIYUN_SIGN_V2 : CDR_ALIYUN_SIGN_V3, v == 2,
                                             NULL, NULL, NULL, 0, false},
                       &now);
        struct cdr_error_info err;
        struct cdr_aliyun_recordings list;
        if (cdr_aliyun_list_hotline_record(c, INSTANCE, SEED_ACID, &list, &err) != CDR_OK)
            fail_msg("ListHotlineRecord: %s", err.message);
        assert_int_equal(list.count, 1);
        assert_string_equal(list.items[0].connection_id, "7719776");
        assert_string_equal(list.items[0].call_id, SEED_ACID);
        assert_int_equal(list.items[0].end_ms - list.items[0].start_ms, 37000);
        char *prefix = test_format("%s/accrec_tmp/" SEED_ACID "-7719776.wav?Expires=", base);
        assert_memory_equal(list.items[0].url, prefix, strlen(prefix));
        free(prefix);

        struct audio a = {0};
        cdr_buf_init(&a.bytes);
        uint64_t bytes = 0;
        if (cdr_aliyun_download(c, list.items[0].url, collect_audio, &a, &bytes, &err) != CDR_OK)
            fail_msg("download: %s", err.message);
        assert_int_equal(bytes, 44 + 10 * 8000 * 2);
        assert_int_equal(a.bytes.len, bytes);
        assert_memory_equal(a.bytes.data, "RIFF", 4);
        assert_memory_equal(a.bytes.data + 8, "WAVEfmt ", 8);
        assert_true(a.chunks >= 1);
        cdr_buf_free(&a.bytes);

        struct cdr_aliyun_record_link link;
        if (cdr_aliyun_get_record_url(c, INSTANCE, SEED_ACID, "DUP_CALL", &link, &err) != CDR_OK)
            fail_msg("GetRecordUrl: %s", err.message);
        assert_string_equal(link.acid, SEED_ACID);
        assert_non_null(strstr(link.oss_link, "/accrec_tmp/" SEED_ACID ".wav?"));
        cdr_aliyun_record_link_free(&link);
        if (cdr_aliyun_get_record_data(c, INSTANCE, SEED_ACID, &link, &err) != CDR_OK)
            fail_msg("GetRecordData: %s", err.message);
        assert_non_null(link.oss_link);
        cdr_aliyun_record_link_free(&link);
        struct cdr_aliyun_account account = {"aiccs", "BUC_TYPE", "22350001", 2};
        if (cdr_aliyun_describe_record_data(c, &account, SEED_ACID, &link, &err) != CDR_OK)
            fail_msg("DescribeRecordData: %s", err.message);
        assert_string_equal(link.agent_id, "555555");
        assert_non_null(link.oss_link);
        cdr_aliyun_record_link_free(&link);
        struct cdr_aliyun_messages messages;
        if (cdr_aliyun_get_hotline_message_log(c, INSTANCE, SEED_ACID, &messages, &err) != CDR_OK)
            fail_msg("GetHotlineMessageLog: %s", err.message);
        assert_int_equal(messages.count, 3);
        assert_string_equal(messages.items[0].content, "您好。");
        assert_int_equal(messages.items[1].sender_type, 2);
        cdr_aliyun_messages_free(&messages);

        /* The sibling actions' errors reach the caller with their codes. */
        account.account_id = "99999999";
        assert_int_equal(cdr_aliyun_describe_record_data(c, &account, SEED_ACID, &link, &err),
                         CDR_ERR_AUTH);
        assert_string_equal(err.vendor_code, "Permission.NotAuthorized");
        assert_int_equal(cdr_aliyun_list_hotline_record(c, "ccc_nobody", SEED_ACID, &list, &err),
                         CDR_ERR_NOT_FOUND);
        assert_string_equal(err.vendor_code, "NoTenantFound");
        assert_int_equal(cdr_aliyun_get_record_url(c, INSTANCE, SEED_ACID, "TAPE", &link, &err),
                         CDR_ERR_PARAMETER);
        assert_string_equal(err.vendor_code, "InvalidParameter");
        cdr_aliyun_recordings_free(&list);
        cdr_aliyun_client_free(c);
    }
}

/* A link is good until its Expires on the mock's clock; after it the storage's own refusal
 * reaches the caller, and no message shows the link's signature. */
static void downloads_expire_with_the_mock_clock(void **state)
{
    const char *base = start_mock(state, NULL);
    int64_t now;
    struct cdr_aliyun_client *c = new_client(
        base, &(struct client_spec){CDR_ALIYUN_SIGN_V3, false, NULL, NULL, NULL, 0, false}, &now);
    struct cdr_error_info err;
    struct cdr_aliyun_recordings list;
    assert_int_equal(cdr_aliyun_list_hotline_record(c, INSTANCE, SEED_ACID, &list, &err), CDR_OK);
    /* The storage answers as OSS does: audio/wav, or an XML error. */
    struct test_http_reply raw = test_http("GET", list.items[0].url, NULL, NULL, 0);
    assert_int_equal(raw.status, 200);
    assert_string_equal(raw.content_type, "audio/wav");
    test_http_reply_free(&raw);
    /* A link for another file under this signature; a link without one. */
    struct audio a = {0};
    cdr_buf_init(&a.bytes);
    char *forged = strdup(list.items[0].url);
    memcpy(strstr(forged, SEED_ACID), "7719787", 7);
    assert_int_equal(cdr_aliyun_download(c, forged, collect_audio, &a, NULL, &err), CDR_ERR_AUTH);
    assert_string_equal(err.vendor_code, "SignatureDoesNotMatch");
    assert_null(strstr(err.message, "Signature="));
    char *nowhere = test_format("%s/accrec_tmp/none.wav", base);
    assert_int_equal(cdr_aliyun_download(c, nowhere, collect_audio, &a, NULL, &err), CDR_ERR_AUTH);
    assert_string_equal(err.vendor_code, "AccessDenied");
    free(nowhere);
    free(forged);
    advance_mock_clock(base, 3600 + 5);
    uint64_t bytes = 7;
    assert_int_equal(cdr_aliyun_download(c, list.items[0].url, collect_audio, &a, &bytes, &err),
                     CDR_ERR_AUTH);
    assert_string_equal(err.vendor_code, "AccessDenied");
    assert_string_equal(err.message, "Request has expired.");
    assert_int_equal(err.http_status, 403);
    assert_int_equal(bytes, 0);
    assert_int_equal(a.bytes.len, 0);
    raw = test_http("GET", list.items[0].url, NULL, NULL, 0);
    assert_string_equal(raw.content_type, "application/xml");
    test_http_reply_free(&raw);
    /* A fresh link works again; a writer that stops ends the download. */
    cdr_aliyun_recordings_free(&list);
    advance_mock_clock(base, -3605);
    assert_int_equal(cdr_aliyun_list_hotline_record(c, INSTANCE, SEED_ACID, &list, &err), CDR_OK);
    a.stop = true;
    assert_int_equal(cdr_aliyun_download(c, list.items[0].url, collect_audio, &a, NULL, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    assert_null(strstr(err.message, "Signature="));
    assert_non_null(strstr(err.message, "stopped by the caller"));
    cdr_buf_free(&a.bytes);
    cdr_aliyun_recordings_free(&list);
    cdr_aliyun_client_free(c);
}

/* The same audio through the generic client (cdr_client_download), as every vendor offers it. */
static void generic_download(const char *base, const struct cdr_record *rec, size_t want_bytes)
{
    struct cdr_args *args = cdr_args_new();
    cdr_args_add(args, "access_key_id", "testid");
    cdr_args_add(args, "access_key_secret", "testsecret");
    cdr_args_add(args, "instance_id", INSTANCE);
    struct cdr_client_options o;
    cdr_client_options_default(&o);
    o.base_url = base;
    int64_t now = NOW;
    o.clock = fixed_clock;
    o.clock_user = &now;
    struct cdr_error_info err;
    struct cdr_client *c = cdr_client_new(cdr_vendor_find("aliyun"), &o, args, &err);
    assert_non_null(c);
    struct audio a = {0};
    cdr_buf_init(&a.bytes);
    struct cdr_download d;
    cdr_error rc = cdr_client_download(c, rec, 0, collect_audio, &a, &d, &err);
    if (rc != CDR_OK)
        fail_msg("download: %s: %s", cdr_error_name(rc), err.message);
    assert_int_equal(a.bytes.len, want_bytes);
    assert_int_equal(d.bytes, (int64_t)want_bytes);
    assert_string_equal(d.extension, ".wav");
    assert_int_equal(cdr_client_download(c, rec, 1, collect_audio, &a, &d, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    cdr_buf_free(&a.bytes);
    cdr_client_free(c);
    cdr_args_free(args);
}

/* From a fetched record to its audio, as the generic --recordings does it: the record's Acid, the
 * client's instance. */
static void a_records_recordings(void **state)
{
    const char *base = start_mock(state, NULL);
    struct cdr_aliyun_filter f = demo_filter();
    f.id = SEED_ID;
    int64_t now;
    struct cdr_aliyun_client *c = new_client(
        base, &(struct client_spec){CDR_ALIYUN_SIGN_V3, false, NULL, NULL, NULL, 0, false}, &now);
    struct cdr_aliyun_page page;
    struct cdr_error_info err;
    assert_int_equal(cdr_aliyun_query_page(c, &f, 1, 10, &page, &err), CDR_OK);
    assert_int_equal(page.record_count, 1);
    struct cdr_aliyun_recordings list;
    assert_int_equal(cdr_aliyun_record_recordings(c, &page.records[0], &list, &err), CDR_OK);
    assert_int_equal(list.count, 1);
    struct audio a = {0};
    cdr_buf_init(&a.bytes);
    assert_int_equal(cdr_aliyun_download(c, list.items[0].url, collect_audio, &a, NULL, &err),
                     CDR_OK);
    assert_int_equal(a.bytes.len, 44 + 10 * 8000 * 2);
    cdr_buf_free(&a.bytes);
    cdr_aliyun_recordings_free(&list);
    generic_download(base, &page.records[0], 44 + 10 * 8000 * 2);
    /* A record that carries its links uses them as they are. */
    assert_int_equal(cdr_record_add_recording_url(&page.records[0], "http://x/y.wav"), 0);
    assert_int_equal(cdr_aliyun_record_recordings(c, &page.records[0], &list, &err), CDR_OK);
    assert_int_equal(list.count, 1);
    assert_string_equal(list.items[0].url, "http://x/y.wav");
    assert_string_equal(list.items[0].call_id, SEED_ACID);
    cdr_aliyun_recordings_free(&list);
    cdr_aliyun_page_free(&page);
    cdr_aliyun_client_free(c);
}

static void throttle_reaches_the_caller(void **state)
{
    const char *base = start_mock(state, "aliyun.throttle=2");
    /* No retries: the client would otherwise wait out each refusal. */
    int64_t now = NOW;
    struct cdr_aliyun_options opts;
    cdr_aliyun_options_default(&opts);
    opts.base_url = base;
    opts.access_key_id = "testid";
    opts.access_key_secret = "testsecret";
    opts.clock = fixed_clock;
    opts.clock_user = &now;
    opts.http.max_retries = 0;
    struct cdr_aliyun_client *c = cdr_aliyun_client_new(&opts, NULL);
    assert_non_null(c);
    struct cdr_aliyun_filter f = demo_filter();
    int ok = 0, throttled = 0;
    /* Twenty calls take far less than a second; they may straddle one second boundary. */
    for (int i = 0; i < 20; i++) {
        struct cdr_aliyun_page page;
        struct cdr_error_info err;
        cdr_error rc = cdr_aliyun_query_page(c, &f, 1, 1, &page, &err);
        if (rc == CDR_OK) {
            ok++;
        } else {
            assert_int_equal(rc, CDR_ERR_RATE_LIMITED);
            assert_string_equal(err.vendor_code, "Throttling.User");
            assert_int_equal(err.http_status, 400);
            throttled++;
        }
        cdr_aliyun_page_free(&page);
    }
    assert_true(ok >= 2 && ok <= 4);
    assert_int_equal(ok + throttled, 20);
    cdr_aliyun_client_free(c);
}

/* What the client library would hide: content types, XML on the wire, '+' in a query. */
static void raw_http_answers(void **state)
{
    struct mock_process *mock = *state;
    const char *base = start_mock(state, NULL);
    struct aliyun_built b;
    aliyun_build(
        &(struct aliyun_request){.now = NOW,
                                 .params = (const char *const[]){"Format", "PageSize=2", NULL}},
        &b);
    char *url = test_format("%s%s", base, b.path);
    struct test_http_reply r = test_http("GET", url, (const char *const *)b.headers, NULL, 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.content_type, "text/xml;charset=utf-8");
    assert_non_null(
        strstr(r.body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><HotlineSessionQueryResponse>"));
    assert_non_null(strstr(r.body, "<TotalCount>361</TotalCount>"));
    test_http_reply_free(&r);
    free(url);
    aliyun_built_free(&b);

    /* V3 over the wire, its Host header signed as sent. */
    char *host = test_format("host: 127.0.0.1:%u", mock->port);
    aliyun_build(
        &(struct aliyun_request){
            .method = "POST", .v3 = true, .now = NOW, .headers = (const char *const[]){host, NULL}},
        &b);
    url = test_format("%s%s", base, b.path);
    r = test_http("POST", url, (const char *const *)b.headers, "", 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.content_type, "application/json;charset=utf-8");
    assert_int_equal(json_int_at(r.json, "Data.TotalCount"), 361);
    test_http_reply_free(&r);
    free(url);
    aliyun_built_free(&b);
    free(host);

    /* A space sent as '+' reads as a space, as a Java servlet reads it: the signature over
     * "%20" verifies. */
    aliyun_build(
        &(struct aliyun_request){.now = NOW,
                                 .params = (const char *const[]){"ServicerName=a b", NULL}},
        &b);
    char *plus = strstr(b.path, "a%20b");
    assert_non_null(plus);
    memmove(plus + 2, plus + 4, strlen(plus + 4) + 1);
    plus[1] = '+';
    url = test_format("%s%s", base, b.path);
    r = test_http("GET", url, (const char *const *)b.headers, NULL, 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_int_at(r.json, "Data.TotalCount"), 0);
    test_http_reply_free(&r);
    free(url);
    aliyun_built_free(&b);

    /* Other paths are not the vendor's. */
    url = test_format("%s/v1/HotlineSessionQuery", base);
    r = test_http("GET", url, NULL, NULL, 0);
    assert_int_equal(r.status, 404);
    test_http_reply_free(&r);
    free(url);
}

/* Over 1 MiB: the vendor's parameter error, and the mock keeps serving. */
static void huge_body(void **state)
{
    const char *base = start_mock(state, NULL);
    size_t len = 1024 * 1024 + 10;
    char *body = malloc(len);
    memset(body, 'a', len);
    char *url = test_format("%s/?Format=JSON", base);
    struct test_http_reply r = test_http(
        "POST", url, (const char *const[]){"Content-Type: application/x-www-form-urlencoded", NULL},
        body, len);
    assert_int_equal(r.status, 400);
    assert_string_equal(json_str_at(r.json, "Code"), "InvalidParameter");
    assert_string_equal(json_str_at(r.json, "Message"), "The request body is too large.");
    test_http_reply_free(&r);
    free(url);
    free(body);
    struct cdr_aliyun_filter f = demo_filter();
    f.id = SEED_ID;
    struct collected got;
    fetch_ok(base, &(struct client_spec){CDR_ALIYUN_SIGN_V3, false, NULL, NULL, NULL, 0, false}, &f,
             20, &got);
    assert_int_equal(got.ids.count, 1);
    ids_free(&got.ids);
}

/* --config adds AccessKey pairs and variants; health lists the variants in force; --generate
 * replaces the fixture records. */
static void config_generate_and_health(void **state)
{
    struct mock_process *mock = *state;
    char path[] = "/tmp/cdrsim-aliyun-config-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static const char config[] =
        "{\"aliyun\":{\"credentials\":[{\"access_key_id\":\"cfgkey\","
        "\"access_key_secret\":\"cfg-secret\"}],\"variants\":{\"order\":\"oldest\"}}}";
    assert_int_equal(write(fd, config, sizeof(config) - 1), (ssize_t)(sizeof(config) - 1));
    close(fd);
    mock_process_start(mock,
                       (const char *const[]){"--clock", MOCK_CLOCK, "--config", path, "--generate",
                                             "aliyun=1234", "--seed", "9", NULL});
    unlink(path);
    assert_non_null(strstr(mock->stdout_text, "InstanceId ccc_xp_pre-cn-demo001  (1234 records)"));

    char *url = test_format("%s/__cdrsim/health", mock->base_url);
    struct test_http_reply r = test_http("GET", url, NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    const cJSON *vendor = NULL, *v;
    cJSON_ArrayForEach(v, json_at(r.json, "vendors"))
        if (strcmp(json_str_at(v, "id"), "aliyun") == 0)
            vendor = v;
    assert_non_null(vendor);
    assert_string_equal(json_str_at(vendor, "variants.order"), "oldest");
    assert_string_equal(json_str_at(vendor, "variants.throttle"), "0");
    assert_string_equal(json_str_at(vendor, "variants.nonce_capacity"), "131072");
    assert_int_equal(cJSON_GetArraySize(json_at(vendor, "variants")), 19);
    test_http_reply_free(&r);
    free(url);

    struct cdr_aliyun_filter f = demo_filter();
    int64_t now;
    struct cdr_aliyun_client *c = new_client(
        mock->base_url,
        &(struct client_spec){CDR_ALIYUN_SIGN_V2, false, "cfgkey", "cfg-secret", NULL, 0, false},
        &now);
    struct cdr_aliyun_page page;
    struct cdr_error_info err;
    assert_int_equal(cdr_aliyun_query_page(c, &f, 1, 2, &page, &err), CDR_OK);
    assert_int_equal(page.total_count, 1234);
    assert_true(page.records[0].start_time <= page.records[1].start_time); /* oldest first */
    assert_true(page.records[0].start_time >= NOW - 365 * 86400);
    cdr_aliyun_page_free(&page);
    cdr_aliyun_client_free(c);
}

/* ---- retries, against a stand-in server that fails on purpose
 * -------------------------------------- */

struct flaky {
    int failures;   /* answers 503 this many times first */
    bool no_tenant; /* or always NoTenantFound */
    int calls;
    char nonces[8][64]; /* SignatureNonce of each call */
};

static enum MHD_Result flaky_answer(void *cls, struct MHD_Connection *conn, const char *url,
                                    const char *method, const char *version, const char *upload,
                                    size_t *upload_size, void **ctx)
{
    (void)url, (void)method, (void)version, (void)upload, (void)upload_size, (void)ctx;
    struct flaky *f = cls;
    const char *nonce = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "SignatureNonce");
    if (f->calls < 8)
        snprintf(f->nonces[f->calls], sizeof(f->nonces[0]), "%s", nonce ? nonce : "");
    int call = f->calls++;
    static const char busy[] = "<html>503 busy</html>";
    static const char tenant[] =
        "{\"RequestId\":\"R\",\"HostId\":\"h\",\"Code\":\"NoTenantFound\","
        "\"Message\":\"The specified tenant does not exist.\",\"Recommend\":\"u\"}";
    static const char page[] =
        "{\"Code\":\"Success\",\"Message\":\"Success\",\"RequestId\":\"R\",\"Success\":true,"
        "\"Data\":{\"PageSize\":20,\"PageNumber\":1,\"TotalCount\":1,"
        "\"CallDetailRecord\":[{\"Id\":\"only\",\"CallType\":2}]}}";
    const char *body = f->no_tenant ? tenant : call < f->failures ? busy : page;
    unsigned status = f->no_tenant ? 500 : call < f->failures ? 503 : 200;
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

static cdr_error query_flaky(struct flaky *f, struct cdr_aliyun_page *page,
                             struct cdr_error_info *err)
{
    struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL,
                                            flaky_answer, f, MHD_OPTION_END);
    assert_non_null(d);
    char *base =
        test_format("http://127.0.0.1:%u", MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)->port);
    int64_t now;
    struct cdr_aliyun_client *c = new_client(
        base, &(struct client_spec){CDR_ALIYUN_SIGN_V2, true, NULL, NULL, NULL, 0, false}, &now);
    struct cdr_aliyun_filter filter = demo_filter();
    cdr_error rc = cdr_aliyun_query_page(c, &filter, 1, 20, page, err);
    cdr_aliyun_client_free(c);
    MHD_stop_daemon(d);
    free(base);
    return rc;
}

/* A 5xx is tried again (max_retries 2 by default), each attempt with its own nonce; a tenant
 * that does not exist is not. */
static void retries_sign_afresh(void **state)
{
    (void)state;
    struct flaky f = {.failures = 2};
    struct cdr_aliyun_page page;
    struct cdr_error_info err;
    assert_int_equal(query_flaky(&f, &page, &err), CDR_OK);
    assert_int_equal(f.calls, 3);
    assert_string_equal(page.records[0].id, "only");
    cdr_aliyun_page_free(&page);
    assert_string_not_equal(f.nonces[0], f.nonces[1]);
    assert_string_not_equal(f.nonces[1], f.nonces[2]);
    assert_int_equal(strlen(f.nonces[0]), 32);

    f = (struct flaky){.failures = 5};
    assert_int_equal(query_flaky(&f, &page, &err), CDR_ERR_HTTP);
    assert_int_equal(f.calls, 3);
    assert_int_equal(err.http_status, 503);

    f = (struct flaky){.no_tenant = true};
    assert_int_equal(query_flaky(&f, &page, &err), CDR_ERR_NOT_FOUND);
    assert_int_equal(f.calls, 1);
    assert_string_equal(err.vendor_code, "NoTenantFound");
}

/* Each test gets a struct mock_process as its state, started by the test. */
#define WITH_MOCK(test)                                                                            \
    cmocka_unit_test_setup_teardown(test, mock_process_setup, mock_process_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        WITH_MOCK(every_record_each_way),
        WITH_MOCK(every_filter_through_the_client),
        WITH_MOCK(time_window_in_milliseconds),
        WITH_MOCK(errors_reach_the_caller),
        WITH_MOCK(reused_nonce_is_refused),
        WITH_MOCK(security_token_is_signed),
        WITH_MOCK(recordings_end_to_end),
        WITH_MOCK(downloads_expire_with_the_mock_clock),
        WITH_MOCK(a_records_recordings),
        WITH_MOCK(throttle_reaches_the_caller),
        WITH_MOCK(raw_http_answers),
        WITH_MOCK(huge_body),
        WITH_MOCK(config_generate_and_health),
        cmocka_unit_test(retries_sign_afresh),
    };
    return cmocka_run_group_tests(tests, load_records, free_records);
}
