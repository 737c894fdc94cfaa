/* The aliyun simulator in-process: signature V2 and V3, the timestamp window, nonce replay, the
 * throttle, every error of the vendor's error table with its exact status, Code, Message and
 * envelope, and the JSON/XML choice. Requests are built by tests/support (aliyun_build). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/aliyun.h"
#include "server.h"
#include "testutil.h"
#include "workers.h"
#include "vendors/aliyun/internal.h"

#define CLOCK_MS 1746057600000LL /* 2025-05-01T00:00:00Z */
#define NOW (CLOCK_MS / 1000)
#define TOTAL 361 /* records in fixtures/aliyun/records.json */
#define MISMATCH                                                                                   \
    "Specified signature is not matched with our calculation. server string to sign is:"
#define V3_MISMATCH "Specified signature does not match our calculation. server StringToSign is ["

static struct test_mock *start(void **state, const char *const *variants)
{
    struct test_mock *m = *state;
    test_mock_start(m, FIXTURES_DIR, CLOCK_MS, variants);
    return m;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char *header_value(const struct test_reply *r, const char *name, char *out, size_t len)
{
    const char *at = strstr(r->headers, name);
    if (!at)
        return NULL;
    at += strlen(name) + 2;
    size_t n = strcspn(at, "\n");
    snprintf(out, len, "%.*s", (int)n, at);
    return out;
}

/* The whole JSON error envelope, field by field. */
static void assert_error(const struct test_reply *r, int status, const char *code,
                         const char *message)
{
    if (r->status != status || !r->json)
        fail_msg("expected %d %s, got %d: %s", status, code, r->status, r->body);
    assert_string_equal(json_str_at(r->json, "Code"), code);
    assert_string_equal(json_str_at(r->json, "Message"), message);
    assert_string_equal(json_str_at(r->json, "HostId"), "aiccs.aliyuncs.com");
    const char *id = json_str_at(r->json, "RequestId");
    assert_int_equal(strlen(id), 36);
    for (const char *p = id; *p; p++)
        assert_true((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'F') || *p == '-');
    char *recommend = test_format(
        "https://api.aliyun.com/troubleshoot?q=%s&product=aiccs&requestId=%s", code, id);
    assert_string_equal(json_str_at(r->json, "Recommend"), recommend);
    free(recommend);
    assert_int_equal(cJSON_GetArraySize(r->json), 5);
    /* Members in the order of the gateway's 2025 answers. */
    const char *const order[] = {"RequestId", "Message", "HostId", "Code", "Recommend"};
    const cJSON *member = r->json->child;
    for (size_t i = 0; i < 5; i++, member = member->next)
        assert_string_equal(member->string, order[i]);
    char header[64];
    assert_non_null(header_value(r, "x-acs-request-id", header, sizeof(header)));
    assert_string_equal(header, id);
    assert_string_equal(r->vendor_code, code);
}

static void assert_success(const struct test_reply *r, int64_t total, size_t records)
{
    if (r->status != 200 || !r->json)
        fail_msg("expected success, got %d: %s", r->status, r->body);
    assert_string_equal(json_str_at(r->json, "Code"), "Success");
    assert_true(cJSON_IsTrue(json_at(r->json, "Success")));
    assert_int_equal(json_int_at(r->json, "Data.TotalCount"), total);
    assert_int_equal(cJSON_GetArraySize(json_at(r->json, "Data.CallDetailRecord")), (int)records);
}

static void missing(struct test_mock *m, const char *param, const char *code_param)
{
    char *remove = test_format("%s", param);
    struct test_reply r = aliyun_call(
        m, &(struct aliyun_request){.now = NOW, .params = (const char *const[]){remove, NULL}});
    char *code = test_format("Missing%s", code_param);
    char *message = test_format("%s is mandatory for this action.", code_param);
    assert_error(&r, 400, code, message);
    free(code);
    free(message);
    free(remove);
    test_reply_free(&r);
}

/* ---- success, both schemes, both methods ----------------------------------------------------- */

static void v2_get_answers_the_default_page(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r = aliyun_call(m, &(struct aliyun_request){.now = NOW});
    assert_success(&r, TOTAL, 20);
    assert_int_equal(json_int_at(r.json, "Data.PageSize"), 20);
    assert_int_equal(json_int_at(r.json, "Data.PageNumber"), 1);
    assert_string_equal(json_str_at(r.json, "Message"), "Success");
    char header[64];
    assert_non_null(header_value(&r, "x-acs-request-id", header, sizeof(header)));
    assert_string_equal(header, json_str_at(r.json, "RequestId"));
    assert_string_equal(r.vendor_code, "Success");
    /* Envelope members in the page's order. */
    assert_true(
        starts_with(r.body, "{\"Code\":\"Success\",\"Message\":\"Success\",\"RequestId\":\""));
    assert_non_null(strstr(
        r.body, "\"Success\":true,\"Data\":{\"PageSize\":20,\"PageNumber\":1,\"TotalCount\":361,"
                "\"CallDetailRecord\":[{"));
    test_reply_free(&r);
}

static void v2_post_reads_a_form_body(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r = aliyun_call(
        m,
        &(struct aliyun_request){.method = "POST",
                                 .form_body = true,
                                 .now = NOW,
                                 .params = (const char *const[]){"PageSize=7", "PageNo=3", NULL}});
    assert_success(&r, TOTAL, 7);
    assert_int_equal(json_int_at(r.json, "Data.PageNumber"), 3);
    test_reply_free(&r);
}

/* Half the parameters in the query, half in the body: the service signs and reads them merged. */
static void v2_merges_query_and_body(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct aliyun_built b;
    aliyun_build(&(struct aliyun_request){.method = "POST",
                                          .form_body = true,
                                          .now = NOW,
                                          .params = (const char *const[]){"PageSize=3", NULL}},
                 &b);
    char *amp = b.body;
    for (int i = 0; i < 4; i++)
        amp = strchr(amp + 1, '&');
    *amp = '\0';
    char *path = test_format("/?%s", b.body);
    struct test_reply r =
        test_mock_call(m, "POST", path, (const char *const *)b.headers, amp + 1, strlen(amp + 1));
    assert_success(&r, TOTAL, 3);
    test_reply_free(&r);
    free(path);
    aliyun_built_free(&b);
}

static void v3_post_and_get_succeed(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r =
        aliyun_call(m, &(struct aliyun_request){.method = "POST", .v3 = true, .now = NOW});
    assert_success(&r, TOTAL, 20);
    test_reply_free(&r);
    r = aliyun_call(
        m, &(struct aliyun_request){
               .v3 = true, .now = NOW, .params = (const char *const[]){"PageSize=5", NULL}});
    assert_success(&r, TOTAL, 5);
    test_reply_free(&r);
}

/* V3 with business parameters in a form body: covered by the payload hash, still applied. */
static void v3_form_body_parameters_apply(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply all = aliyun_call(
        m, &(struct aliyun_request){
               .v3 = true, .now = NOW, .params = (const char *const[]){"CallType=3", NULL}});
    assert_int_equal(all.status, 200);
    int64_t transfers = json_int_at(all.json, "Data.TotalCount");
    assert_in_range(transfers, 1, TOTAL - 1);
    struct test_reply r = aliyun_call(
        m, &(struct aliyun_request){.method = "POST",
                                    .v3 = true,
                                    .now = NOW,
                                    .body = "CallType=3&PageSize=2",
                                    .content_type = "application/x-www-form-urlencoded"});
    assert_success(&r, transfers, 2);
    test_reply_free(&r);
    test_reply_free(&all);
}

/* ---- signatures ------------------------------------------------------------------------------ */

static void v2_wrong_secret_shows_the_string_to_sign(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct aliyun_request req = {.now = NOW, .secret = "not-the-secret"};
    struct aliyun_built b;
    aliyun_build(&req, &b);
    struct test_reply r = test_mock_call(m, "GET", b.path, (const char *const *)b.headers, NULL, 0);
    char *message = test_format(MISMATCH "%s", b.string_to_sign);
    assert_error(&r, 400, "SignatureDoesNotMatch", message);
    assert_true(strncmp(b.string_to_sign,
                        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DHotlineSessionQuery", 59) == 0);
    free(message);
    test_reply_free(&r);
    aliyun_built_free(&b);
}

/* Signed as GET, sent as POST: the method is part of the string to sign. */
static void v2_method_is_signed(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct aliyun_built b;
    aliyun_build(&(struct aliyun_request){.now = NOW}, &b);
    struct test_reply r =
        test_mock_call(m, "POST", b.path, (const char *const *)b.headers, NULL, 0);
    assert_int_equal(r.status, 400);
    assert_string_equal(json_str_at(r.json, "Code"), "SignatureDoesNotMatch");
    assert_non_null(strstr(json_str_at(r.json, "Message"), "server string to sign is:POST&%2F&"));
    test_reply_free(&r);
    aliyun_built_free(&b);
}

/* The V3 wording differs from V2's: "does not match", StringToSign in square brackets. */
static void v3_wrong_secret_shows_the_string_to_sign(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct aliyun_built b;
    aliyun_build(
        &(struct aliyun_request){.method = "POST", .v3 = true, .now = NOW, .secret = "nope"}, &b);
    struct test_reply r =
        test_mock_call(m, "POST", b.path, (const char *const *)b.headers, NULL, 0);
    char *message = test_format(V3_MISMATCH "%s]", b.string_to_sign);
    assert_error(&r, 400, "SignatureDoesNotMatch", message);
    assert_memory_equal(b.string_to_sign, "ACS3-HMAC-SHA256\n", 17);
    assert_int_equal(strlen(b.string_to_sign), 17 + 64);
    free(message);
    test_reply_free(&r);
    aliyun_built_free(&b);
}

/* Under the variant the message goes on with the server's canonical request. */
static void v3_mismatch_can_show_the_canonical_request(void **state)
{
    struct test_mock *m =
        start(state, (const char *const[]){"aliyun.v3_mismatch_detail=canonical_request", NULL});
    struct aliyun_built b;
    aliyun_build(&(struct aliyun_request){.v3 = true, .now = NOW, .secret = "nope"}, &b);
    struct test_reply r = test_mock_call(m, "GET", b.path, (const char *const *)b.headers, NULL, 0);
    assert_int_equal(r.status, 400);
    const char *message = json_str_at(r.json, "Message");
    char *head =
        test_format(V3_MISMATCH "%s] server CanonicalRequest is [GET\n/\n", b.string_to_sign);
    assert_true(starts_with(message, head));
    assert_non_null(strstr(message, "\nhost;x-acs-action;x-acs-content-sha256;x-acs-date;"
                                    "x-acs-signature-nonce;x-acs-version\ne3b0c44298fc1c149afbf4c"
                                    "8996fb92427ae41e4649b934ca495991b7852b855]"));
    free(head);
    test_reply_free(&r);
    aliyun_built_free(&b);
}

/* The body is signed through its hash: another body under the same headers fails. */
static void v3_tampered_body_fails(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct aliyun_built b;
    aliyun_build(&(struct aliyun_request){.method = "POST",
                                          .v3 = true,
                                          .now = NOW,
                                          .body = "CallType=1",
                                          .content_type = "application/x-www-form-urlencoded"},
                 &b);
    struct test_reply r =
        test_mock_call(m, "POST", b.path, (const char *const *)b.headers, "CallType=2", 10);
    assert_int_equal(r.status, 400);
    assert_string_equal(json_str_at(r.json, "Code"), "SignatureDoesNotMatch");
    test_reply_free(&r);
    /* A tampered query value fails the same way. */
    char *path = test_format("%s&PageNo=2", b.path);
    r = test_mock_call(m, "POST", path, (const char *const *)b.headers, "CallType=1", 10);
    assert_string_equal(json_str_at(r.json, "Code"), "SignatureDoesNotMatch");
    test_reply_free(&r);
    free(path);
    aliyun_built_free(&b);
}

/* Upper-case hex in the Authorization header still verifies. */
static void v3_signature_hex_is_case_insensitive(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct aliyun_built b;
    aliyun_build(&(struct aliyun_request){.v3 = true, .now = NOW}, &b);
    for (size_t i = 0; b.headers[i]; i++)
        if (strncmp(b.headers[i], "Authorization:", 14) == 0)
            for (char *p = strstr(b.headers[i], "Signature=") + 10; *p; p++)
                if (*p >= 'a' && *p <= 'f')
                    *p = (char)(*p - 'a' + 'A');
    struct test_reply r = test_mock_call(m, "GET", b.path, (const char *const *)b.headers, NULL, 0);
    assert_success(&r, TOTAL, 20);
    test_reply_free(&r);
    aliyun_built_free(&b);
}

static const char incomplete[] = "The request signature does not conform to Aliyun standards.";

/* V2 without its Signature: the gateway's Missing{Parameter} answer (observed), not
 * IncompleteSignature. */
static void missing_signature(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r = aliyun_call(
        m,
        &(struct aliyun_request){.now = NOW, .params = (const char *const[]){"Signature=", NULL}});
    assert_error(&r, 400, "MissingSignature", "Signature is mandatory for this action.");
    test_reply_free(&r);
    /* No Signature parameter at all, GET and POST. */
    struct aliyun_built b;
    aliyun_build(&(struct aliyun_request){.now = NOW}, &b);
    *strstr(b.path, "&Signature=") = '\0';
    r = test_mock_call(m, "GET", b.path, (const char *const *)b.headers, NULL, 0);
    assert_error(&r, 400, "MissingSignature", "Signature is mandatory for this action.");
    test_reply_free(&r);
    aliyun_built_free(&b);
    aliyun_build(&(struct aliyun_request){.method = "POST", .form_body = true, .now = NOW}, &b);
    *strstr(b.body, "&Signature=") = '\0';
    r = test_mock_call(m, "POST", b.path, (const char *const *)b.headers, b.body, strlen(b.body));
    assert_error(&r, 400, "MissingSignature", "Signature is mandatory for this action.");
    test_reply_free(&r);
    aliyun_built_free(&b);
}

static void incomplete_signatures(void **state)
{
    struct test_mock *m = start(state, NULL);
    /* V3 Authorization without its Signature part. */
    struct test_reply r = aliyun_call(
        m, &(struct aliyun_request){
               .v3 = true,
               .now = NOW,
               .headers = (const char *const[]){"Authorization: ACS3-HMAC-SHA256 Credential=testid,"
                                                "SignedHeaders=host;x-acs-action",
                                                NULL}});
    assert_error(&r, 400, "IncompleteSignature", incomplete);
    test_reply_free(&r);
    /* V3 that leaves a present x-acs-* header out of SignedHeaders. */
    struct aliyun_built b;
    aliyun_build(&(struct aliyun_request){.v3 = true, .now = NOW}, &b);
    size_t n = 0;
    while (b.headers[n])
        n++;
    b.headers[n] = strdup("x-acs-extra: unsigned");
    r = test_mock_call(m, "GET", b.path, (const char *const *)b.headers, NULL, 0);
    assert_error(&r, 400, "IncompleteSignature", incomplete);
    test_reply_free(&r);
    aliyun_built_free(&b);
    /* V3 without a required header at all. */
    r = aliyun_call(m, &(struct aliyun_request){.v3 = true,
                                                .now = NOW,
                                                .headers = (const char *const[]){"host:", NULL}});
    assert_error(&r, 400, "IncompleteSignature", incomplete);
    test_reply_free(&r);
}

/* A V3 "Signature=" left empty is compared and fails as a mismatch, as observed. */
static void v3_empty_signature_is_a_mismatch(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct aliyun_built b;
    aliyun_build(&(struct aliyun_request){.v3 = true, .now = NOW}, &b);
    for (size_t i = 0; b.headers[i]; i++)
        if (strncmp(b.headers[i], "Authorization:", 14) == 0)
            strstr(b.headers[i], "Signature=")[10] = '\0';
    struct test_reply r = test_mock_call(m, "GET", b.path, (const char *const *)b.headers, NULL, 0);
    char *message = test_format(V3_MISMATCH "%s]", b.string_to_sign);
    assert_error(&r, 400, "SignatureDoesNotMatch", message);
    free(message);
    test_reply_free(&r);
    aliyun_built_free(&b);
}

static void unknown_access_key(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r =
        aliyun_call(m, &(struct aliyun_request){.now = NOW, .key_id = "LTAInobody"});
    assert_error(&r, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
    test_reply_free(&r);
    r = aliyun_call(m, &(struct aliyun_request){.v3 = true, .now = NOW, .key_id = "LTAInobody"});
    assert_error(&r, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
    test_reply_free(&r);
    /* The fixture's second key with its own secret works. */
    r = aliyun_call(m, &(struct aliyun_request){.now = NOW,
                                                .key_id = "LTAI5tCdrsimQa2ndKey",
                                                .secret = "qa-secret-7c41e9d2"});
    assert_success(&r, TOTAL, 20);
    test_reply_free(&r);
}

static void bad_signature_method_and_version(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r = aliyun_call(
        m, &(struct aliyun_request){
               .now = NOW, .params = (const char *const[]){"SignatureMethod=HMAC-SHA256", NULL}});
    assert_error(&r, 400, "InvalidSignatureMethod", "Specified signature method is not valid.");
    test_reply_free(&r);
    r = aliyun_call(
        m, &(struct aliyun_request){
               .v3 = true,
               .now = NOW,
               .headers = (const char *const[]){"Authorization: ACS3-HMAC-SM3 Credential=testid,"
                                                "SignedHeaders=host,Signature=00",
                                                NULL}});
    assert_error(&r, 400, "InvalidSignatureMethod", "Specified signature method is not valid.");
    test_reply_free(&r);
    r = aliyun_call(
        m, &(struct aliyun_request){.now = NOW,
                                    .params = (const char *const[]){"SignatureVersion=2.0", NULL}});
    assert_error(&r, 400, "InvalidSignatureVersion", "Specified signature version is not valid.");
    test_reply_free(&r);
}

/* ---- temporary (STS) credentials --------------------------------------------------------------
 */

#define STS_ID "STS.NUcdrsimDemoTemporaryKey"
#define STS_SECRET "cdrsim-sts-demo-secret"
#define EXPIRED_ID "STS.NUcdrsimExpiredTemporaryKey"
#define EXPIRED_SECRET "cdrsim-sts-expired-secret"

/* One call with key, secret and token (NULL: none), V2 or V3. */
static struct test_reply sts_call(struct test_mock *m, bool v3, const char *key, const char *secret,
                                  const char *token)
{
    char *param = token ? test_format("SecurityToken=%s", token) : NULL;
    char *header = token ? test_format("x-acs-security-token: %s", token) : NULL;
    struct test_reply r = aliyun_call(
        m, &(struct aliyun_request){.v3 = v3,
                                    .now = NOW,
                                    .key_id = key,
                                    .secret = secret,
                                    .params = (const char *const[]){v3 ? NULL : param, NULL},
                                    .headers = (const char *const[]){v3 ? header : NULL, NULL}});
    free(param);
    free(header);
    return r;
}

static const char malformed[] = "Specified SecurityToken is malformed.";
static const char mismatch[] = "Specified SecurityToken mismatch with the AccessKey.";

static void sts_credentials_need_their_token(void **state)
{
    struct test_mock *m = start(state, NULL);
    char *token = aliyun_fixture_token(STS_ID), *other = aliyun_fixture_token(EXPIRED_ID);
    for (int v3 = 0; v3 <= 1; v3++) {
        struct test_reply r = sts_call(m, v3, STS_ID, STS_SECRET, token);
        assert_success(&r, TOTAL, 20);
        test_reply_free(&r);
        /* No token: the gateway cannot even look a temporary key up. */
        r = sts_call(m, v3, STS_ID, STS_SECRET, NULL);
        assert_error(&r, 400, "MissingSecurityToken",
                     "SecurityToken is mandatory for this action.");
        test_reply_free(&r);
        r = sts_call(m, v3, "STS.NUnobodyIssuedThis", "x", NULL);
        assert_error(&r, 400, "MissingSecurityToken",
                     "SecurityToken is mandatory for this action.");
        test_reply_free(&r);
        r = sts_call(m, v3, STS_ID, STS_SECRET, "CAISnotAtokenAnybodyIssued");
        assert_error(&r, 400, "InvalidSecurityToken.Malformed", malformed);
        test_reply_free(&r);
        r = sts_call(m, v3, STS_ID, STS_SECRET, other);
        assert_error(&r, 400, "InvalidSecurityToken.MismatchWithAccessKey", mismatch);
        test_reply_free(&r);
        /* Past its expiration on the mock's clock. */
        r = sts_call(m, v3, EXPIRED_ID, EXPIRED_SECRET, other);
        assert_error(&r, 400, "InvalidSecurityToken.Expired",
                     "Specified SecurityToken is expired.");
        test_reply_free(&r);
        /* A token with a long-term key is judged as well. */
        r = sts_call(m, v3, "testid", "testsecret", token);
        assert_error(&r, 400, "InvalidSecurityToken.MismatchWithAccessKey", mismatch);
        test_reply_free(&r);
        r = sts_call(m, v3, "testid", "testsecret", "junk");
        assert_error(&r, 400, "InvalidSecurityToken.Malformed", malformed);
        test_reply_free(&r);
        /* The token is signed: the right token under a wrong secret is still a mismatch. */
        r = sts_call(m, v3, STS_ID, "wrong", token);
        assert_string_equal(r.vendor_code, "SignatureDoesNotMatch");
        test_reply_free(&r);
    }
    test_mock_stop(m);
    m = start(state, (const char *const[]){"aliyun.sts_expired_status=403",
                                           "aliyun.token_on_long_term_key=ignore", NULL});
    struct test_reply r = sts_call(m, true, EXPIRED_ID, EXPIRED_SECRET, other);
    assert_error(&r, 403, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.");
    test_reply_free(&r);
    r = sts_call(m, false, "testid", "testsecret", "junk");
    assert_success(&r, TOTAL, 20);
    test_reply_free(&r);
    /* The token still has to go with a temporary key. */
    r = sts_call(m, false, STS_ID, STS_SECRET, "junk");
    assert_error(&r, 400, "InvalidSecurityToken.Malformed", malformed);
    test_reply_free(&r);
    free(token);
    free(other);
}

/* ---- timestamps ------------------------------------------------------------------------------ */

static void timestamp_window_edges(void **state)
{
    struct test_mock *m = start(state, NULL);
    const int64_t window = 15 * 60;
    for (int v3 = 0; v3 <= 1; v3++) {
        struct test_reply r =
            aliyun_call(m, &(struct aliyun_request){.v3 = v3, .now = NOW - window});
        assert_success(&r, TOTAL, 20);
        test_reply_free(&r);
        r = aliyun_call(m, &(struct aliyun_request){.v3 = v3, .now = NOW + window});
        assert_success(&r, TOTAL, 20);
        test_reply_free(&r);
        r = aliyun_call(m, &(struct aliyun_request){.v3 = v3, .now = NOW - window - 1});
        assert_error(&r, 400, "InvalidTimeStamp.Expired",
                     "Specified time stamp or date value is expired.");
        test_reply_free(&r);
        r = aliyun_call(m, &(struct aliyun_request){.v3 = v3, .now = NOW + window + 1});
        assert_error(&r, 400, "InvalidTimeStamp.Expired",
                     "Specified time stamp or date value is expired.");
        test_reply_free(&r);
    }
}

static void timestamp_formats(void **state)
{
    struct test_mock *m = start(state, NULL);
    static const char *const bad[] = {
        "Timestamp=2025-05-01 00:00:00", "Timestamp=2025-05-01T00:00:00+00:00",
        "Timestamp=1746057600", "Timestamp=2025-02-30T00:00:00Z", "Timestamp=2025-05-01T00:00:00z",
        /* ISO 8601's other decimal sign: not the gateway's */
        "Timestamp=2025-05-01T00:00:00,973Z", "Timestamp=2025-05-01T00:00:00.Z",
        "Timestamp=2025-05-01T00:00:00.1234567890Z", "Timestamp=2025-05-01T00:00:00.97aZ",
        "Timestamp=2025-05-01T00:00:00.973+08:00"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct test_reply r = aliyun_call(
            m, &(struct aliyun_request){.now = NOW, .params = (const char *const[]){bad[i], NULL}});
        assert_error(&r, 400, "InvalidTimeStamp.Format",
                     "Specified time stamp or date value is not well formatted.");
        test_reply_free(&r);
    }
    struct test_reply r = aliyun_call(
        m,
        &(struct aliyun_request){.v3 = true,
                                 .now = NOW,
                                 .headers = (const char *const[]){"x-acs-date: yesterday", NULL}});
    assert_error(&r, 400, "InvalidTimeStamp.Format",
                 "Specified time stamp or date value is not well formatted.");
    test_reply_free(&r);
}

/* What JavaScript's toISOString() sends passes the format check by default (observed gateway
 * answers), with either signature; the window is judged to the millisecond. */
static void millisecond_timestamps(void **state)
{
    struct test_mock *m = start(state, NULL);
    static const char *const good[] = {"2025-05-01T00:00:00.973Z", "2025-05-01T00:00:00.9Z",
                                       "2025-04-30T23:45:00.000Z",
                                       "2025-05-01T00:00:00.123456789Z"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        char *param = test_format("Timestamp=%s", good[i]);
        char *header = test_format("x-acs-date: %s", good[i]);
        struct test_reply r = aliyun_call(
            m, &(struct aliyun_request){.now = NOW, .params = (const char *const[]){param, NULL}});
        assert_success(&r, TOTAL, 20);
        test_reply_free(&r);
        r = aliyun_call(
            m, &(struct aliyun_request){
                   .v3 = true, .now = NOW, .headers = (const char *const[]){header, NULL}});
        assert_success(&r, TOTAL, 20);
        test_reply_free(&r);
        free(param);
        free(header);
    }
    /* 900.001 s behind the clock is outside the window. */
    struct test_reply r =
        aliyun_call(m, &(struct aliyun_request){.now = NOW,
                                                .params = (const char *const[]){
                                                    "Timestamp=2025-04-30T23:44:59.999Z", NULL}});
    assert_error(&r, 400, "InvalidTimeStamp.Expired",
                 "Specified time stamp or date value is expired.");
    test_reply_free(&r);
    test_mock_stop(m);
    m = start(state, (const char *const[]){"aliyun.ms_timestamp=reject", NULL});
    r = aliyun_call(m, &(struct aliyun_request){.now = NOW,
                                                .params = (const char *const[]){
                                                    "Timestamp=2025-05-01T00:00:00.973Z", NULL}});
    assert_error(&r, 400, "InvalidTimeStamp.Format",
                 "Specified time stamp or date value is not well formatted.");
    test_reply_free(&r);
    r = aliyun_call(m, &(struct aliyun_request){.v3 = true,
                                                .now = NOW,
                                                .headers = (const char *const[]){
                                                    "x-acs-date: 2025-05-01T00:00:00.973Z", NULL}});
    assert_error(&r, 400, "InvalidTimeStamp.Format",
                 "Specified time stamp or date value is not well formatted.");
    test_reply_free(&r);
    r = aliyun_call(m, &(struct aliyun_request){.now = NOW});
    assert_success(&r, TOTAL, 20);
    test_reply_free(&r);
}

/* ---- nonces ---------------------------------------------------------------------------------- */

static void nonce_replay_is_refused(void **state)
{
    struct test_mock *m = start(state, NULL);
    const char *const nonce[] = {"SignatureNonce=fixed-nonce-1", NULL};
    struct test_reply r = aliyun_call(m, &(struct aliyun_request){.now = NOW, .params = nonce});
    assert_success(&r, TOTAL, 20);
    test_reply_free(&r);
    r = aliyun_call(m, &(struct aliyun_request){.now = NOW, .params = nonce});
    assert_error(&r, 400, "SignatureNonceUsed", "Specified signature nonce was used already.");
    test_reply_free(&r);
    /* Another method and another body are still the same nonce. */
    r = aliyun_call(m, &(struct aliyun_request){
                           .method = "POST", .form_body = true, .now = NOW + 5, .params = nonce});
    assert_error(&r, 400, "SignatureNonceUsed", "Specified signature nonce was used already.");
    test_reply_free(&r);
    /* Nonces are per AccessKey. */
    r = aliyun_call(m, &(struct aliyun_request){.now = NOW,
                                                .params = nonce,
                                                .key_id = "LTAI5tCdrsimQa2ndKey",
                                                .secret = "qa-secret-7c41e9d2"});
    assert_success(&r, TOTAL, 20);
    test_reply_free(&r);
    /* V3 the same way. */
    const char *const v3_nonce[] = {"x-acs-signature-nonce: fixed-nonce-2", NULL};
    r = aliyun_call(m, &(struct aliyun_request){.v3 = true, .now = NOW, .headers = v3_nonce});
    assert_success(&r, TOTAL, 20);
    test_reply_free(&r);
    r = aliyun_call(m, &(struct aliyun_request){.v3 = true, .now = NOW, .headers = v3_nonce});
    assert_error(&r, 400, "SignatureNonceUsed", "Specified signature nonce was used already.");
    test_reply_free(&r);
}

/* A request refused before its signature was verified does not use up its nonce. */
static void refused_requests_keep_their_nonce(void **state)
{
    struct test_mock *m = start(state, NULL);
    const char *const nonce[] = {"SignatureNonce=retry-me", NULL};
    struct test_reply r =
        aliyun_call(m, &(struct aliyun_request){.now = NOW, .params = nonce, .secret = "typo"});
    assert_int_equal(r.status, 400);
    test_reply_free(&r);
    r = aliyun_call(m, &(struct aliyun_request){.now = NOW - 3600, .params = nonce});
    assert_int_equal(r.status, 400);
    test_reply_free(&r);
    r = aliyun_call(m, &(struct aliyun_request){.now = NOW, .params = nonce});
    assert_success(&r, TOTAL, 20);
    test_reply_free(&r);
}

/* Remembered while a replay could pass the clock check: until 15 minutes after the later of the
 * request's timestamp and the moment it arrived. */
static void nonces_expire_with_the_window(void **state)
{
    struct test_mock *m = start(state, NULL);
    const char *const a[] = {"SignatureNonce=expiring-a", NULL}, *const b[] = {
                                                                     "SignatureNonce=expiring-b",
                                                                     NULL};
    struct test_reply r = aliyun_call(m, &(struct aliyun_request){.now = NOW, .params = a});
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    r = aliyun_call(
        m, &(struct aliyun_request){.now = NOW + 900, .params = b}); /* stamped 15 min ahead */
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    mock_clock_advance_ms(&m->server->clock, 900 * 1000);
    int64_t later = NOW + 900;
    r = aliyun_call(m, &(struct aliyun_request){.now = later, .params = a});
    assert_error(&r, 400, "SignatureNonceUsed", "Specified signature nonce was used already.");
    test_reply_free(&r);
    mock_clock_advance_ms(&m->server->clock, 1000);
    later++;
    r = aliyun_call(m, &(struct aliyun_request){.now = later, .params = a});
    assert_success(&r, TOTAL, 20);
    test_reply_free(&r);
    r = aliyun_call(m, &(struct aliyun_request){.now = later, .params = b});
    assert_error(&r, 400, "SignatureNonceUsed", "Specified signature nonce was used already.");
    test_reply_free(&r);
    mock_clock_advance_ms(&m->server->clock, 900 * 1000);
    r = aliyun_call(m, &(struct aliyun_request){.now = later + 900, .params = b});
    assert_success(&r, TOTAL, 20);
    test_reply_free(&r);
}

static void reset_forgets_nonces(void **state)
{
    struct test_mock *m = start(state, NULL);
    const char *const nonce[] = {"SignatureNonce=before-reset", NULL};
    struct test_reply r = aliyun_call(m, &(struct aliyun_request){.now = NOW, .params = nonce});
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    r = test_mock_call(m, "POST", "/__cdrsim/reset", NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    r = aliyun_call(m, &(struct aliyun_request){.now = NOW, .params = nonce});
    assert_success(&r, TOTAL, 20);
    test_reply_free(&r);
}

static void nonce_cache_is_bounded(void **state)
{
    (void)state;
    struct aliyun_nonces *c = aliyun_nonces_new(3);
    assert_non_null(c);
    assert_true(aliyun_nonces_claim(c, "k", "1", 0, 1000));
    assert_true(aliyun_nonces_claim(c, "k", "2", 0, 1000));
    assert_true(aliyun_nonces_claim(c, "k", "3", 0, 1000));
    assert_false(aliyun_nonces_claim(c, "k", "1", 0, 1000));
    assert_true(aliyun_nonces_claim(c, "k", "4", 0, 1000)); /* full: "1" is forgotten */
    assert_int_equal(aliyun_nonces_count(c), 3);
    assert_false(aliyun_nonces_claim(c, "k", "2", 0, 1000));
    assert_false(aliyun_nonces_claim(c, "k", "4", 0, 1000));
    assert_true(aliyun_nonces_claim(c, "k", "1", 0, 1000));
    /* ("k", "12") and ("k1", "2") are different claims. */
    assert_true(aliyun_nonces_claim(c, "k1", "2", 0, 1000));
    /* Remembered through the expiry instant, forgotten after it. */
    assert_false(aliyun_nonces_claim(c, "k", "1", 1000, 5000));
    assert_true(aliyun_nonces_claim(c, "k", "2", 1001, 5000));
    assert_int_equal(aliyun_nonces_count(c), 1);
    assert_true(aliyun_nonces_claim(c, "k", "4", 1000, 5000));
    aliyun_nonces_free(c);
    assert_null(aliyun_nonces_new(0));
}

struct flood {
    struct aliyun_nonces *cache;
    int thread;
    int accepted;
};

static void *flood_thread(void *arg)
{
    struct flood *f = arg;
    char nonce[32];
    for (int i = 0; i < 20000; i++) {
        snprintf(nonce, sizeof(nonce), "%d-%d", f->thread, i);
        f->accepted += aliyun_nonces_claim(f->cache, "k", nonce, 0, 1000);
    }
    return NULL;
}

static void *race_thread(void *arg)
{
    struct flood *f = arg;
    for (int i = 0; i < 2000; i++)
        f->accepted += aliyun_nonces_claim(f->cache, "k", "shared", 0, 1000);
    return NULL;
}

static void nonce_cache_under_concurrent_load(void **state)
{
    (void)state;
    struct aliyun_nonces *c = aliyun_nonces_new(1000);
    struct flood floods[4];
    for (int i = 0; i < 4; i++)
        floods[i] = (struct flood){c, i, 0};
    test_threads_run(floods, 4, sizeof(floods[0]), flood_thread);
    int accepted = 0;
    for (int i = 0; i < 4; i++)
        accepted += floods[i].accepted;
    assert_int_equal(accepted, 4 * 20000); /* all distinct */
    assert_int_equal(aliyun_nonces_count(c), 1000);
    /* Four threads replaying one nonce: exactly one claim wins. */
    accepted = 0;
    for (int i = 0; i < 4; i++)
        floods[i] = (struct flood){c, i, 0};
    test_threads_run(floods, 4, sizeof(floods[0]), race_thread);
    for (int i = 0; i < 4; i++)
        accepted += floods[i].accepted;
    assert_int_equal(accepted, 1);
    aliyun_nonces_free(c);
}

/* ---- the other errors ------------------------------------------------------------------------ */

static void missing_parameters(void **state)
{
    struct test_mock *m = start(state, NULL);
    static const char *const params[] = {"Action",          "Version",          "AccessKeyId",
                                         "SignatureMethod", "SignatureVersion", "Timestamp",
                                         "SignatureNonce",  "InstanceId"};
    for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++)
        missing(m, params[i], params[i]);
    /* V3 carries the same facts in headers. */
    static const struct {
        const char *header, *param;
    } v3[] = {{"x-acs-action:", "Action"},
              {"x-acs-version:", "Version"},
              {"x-acs-date:", "Timestamp"},
              {"x-acs-signature-nonce:", "SignatureNonce"}};
    for (size_t i = 0; i < sizeof(v3) / sizeof(v3[0]); i++) {
        struct test_reply r = aliyun_call(
            m, &(struct aliyun_request){
                   .v3 = true, .now = NOW, .headers = (const char *const[]){v3[i].header, NULL}});
        char *code = test_format("Missing%s", v3[i].param),
             *message = test_format("%s is mandatory for this action.", v3[i].param);
        assert_error(&r, 400, code, message);
        free(code);
        free(message);
        test_reply_free(&r);
    }
    /* An empty InstanceId is no InstanceId. */
    struct test_reply r = aliyun_call(
        m, &(struct aliyun_request){
               .v3 = true, .now = NOW, .params = (const char *const[]){"InstanceId=", NULL}});
    assert_error(&r, 400, "MissingInstanceId", "InstanceId is mandatory for this action.");
    test_reply_free(&r);
}

static const char no_api[] = "Specified api is not found, please check your url and method.";

static void unknown_action_and_method(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r = aliyun_call(
        m, &(struct aliyun_request){
               .now = NOW, .params = (const char *const[]){"Action=DescribeRegions", NULL}});
    assert_error(&r, 404, "InvalidAction.NotFound", no_api);
    test_reply_free(&r);
    r = aliyun_call(m, &(struct aliyun_request){.v3 = true,
                                                .now = NOW,
                                                .headers = (const char *const[]){
                                                    "x-acs-action: hotlineSessionQuery", NULL}});
    assert_error(&r, 404, "InvalidAction.NotFound", no_api);
    test_reply_free(&r);
    r = aliyun_call(m, &(struct aliyun_request){.method = "PUT", .now = NOW});
    assert_error(&r, 404, "InvalidAction.NotFound", no_api);
    test_reply_free(&r);
    /* The API lookup comes before authentication. */
    r = test_mock_call(m, "GET", "/?Format=JSON&Action=Nope", NULL, NULL, 0);
    assert_error(&r, 404, "InvalidAction.NotFound", no_api);
    test_reply_free(&r);
}

static void unknown_version(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r = aliyun_call(
        m, &(struct aliyun_request){.now = NOW,
                                    .params = (const char *const[]){"Version=2022-01-01", NULL}});
    assert_error(&r, 400, "InvalidVersion", "Specified parameter Version is not valid.");
    test_reply_free(&r);
    test_mock_stop(m);
    m = start(state, (const char *const[]){"aliyun.invalid_version_status=404", NULL});
    r = aliyun_call(m, &(struct aliyun_request){
                           .v3 = true,
                           .now = NOW,
                           .headers = (const char *const[]){"x-acs-version: 2019-10-16", NULL}});
    assert_error(&r, 404, "InvalidVersion", "Specified parameter Version is not valid.");
    test_reply_free(&r);
}

static void throttle_counts_calls_per_second(void **state)
{
    struct test_mock *m = start(state, (const char *const[]){"aliyun.throttle=3", NULL});
    for (int i = 0; i < 3; i++) {
        struct test_reply r = aliyun_call(m, &(struct aliyun_request){.now = NOW, .v3 = i == 1});
        assert_int_equal(r.status, 200);
        test_reply_free(&r);
    }
    struct test_reply r = aliyun_call(m, &(struct aliyun_request){.now = NOW});
    assert_error(&r, 400, "Throttling.User", "Request was denied due to user flow control.");
    /* What Alibaba's SDKs read to wait: the time left in this second, in milliseconds. */
    char hint[64];
    assert_non_null(header_value(&r, "x-ratelimit-user-api", hint, sizeof(hint)));
    assert_string_equal(hint, "Remaining:0,TimeLeft:1000");
    assert_null(header_value(&r, "Retry-After", hint, sizeof(hint)));
    test_reply_free(&r);
    /* The limit is per API: the recordings' list is still open. */
    r = aliyun_call(
        m, &(struct aliyun_request){.now = NOW,
                                    .params = (const char *const[]){"Action=ListHotlineRecord",
                                                                    "CallId=7719786", NULL}});
    assert_int_equal(r.status, 200);
    test_reply_free(&r);
    mock_clock_advance_ms(&m->server->clock, 250);
    r = aliyun_call(m, &(struct aliyun_request){.now = NOW});
    assert_non_null(header_value(&r, "x-ratelimit-user-api", hint, sizeof(hint)));
    assert_string_equal(hint, "Remaining:0,TimeLeft:750");
    test_reply_free(&r);
    mock_clock_advance_ms(&m->server->clock, -250);
    /* Unauthenticated calls are refused before they count. */
    mock_clock_advance_ms(&m->server->clock, 1000);
    for (int i = 0; i < 5; i++) {
        r = aliyun_call(m, &(struct aliyun_request){.now = NOW, .secret = "wrong"});
        assert_string_equal(r.vendor_code, "SignatureDoesNotMatch");
        test_reply_free(&r);
    }
    r = aliyun_call(m, &(struct aliyun_request){.now = NOW + 1});
    assert_success(&r, TOTAL, 20);
    test_reply_free(&r);
    /* The other ways to say when: a Retry-After in whole seconds, or nothing. */
    test_mock_stop(m);
    m = start(state,
              (const char *const[]){"aliyun.throttle=1", "aliyun.throttle_hint=retry-after", NULL});
    r = aliyun_call(m, &(struct aliyun_request){.now = NOW});
    test_reply_free(&r);
    r = aliyun_call(m, &(struct aliyun_request){.now = NOW});
    assert_string_equal(r.vendor_code, "Throttling.User");
    assert_non_null(header_value(&r, "Retry-After", hint, sizeof(hint)));
    assert_string_equal(hint, "1");
    assert_null(header_value(&r, "x-ratelimit-user-api", hint, sizeof(hint)));
    test_reply_free(&r);
    test_mock_stop(m);
    m = start(state, (const char *const[]){"aliyun.throttle=1", "aliyun.throttle_hint=none", NULL});
    r = aliyun_call(m, &(struct aliyun_request){.now = NOW});
    test_reply_free(&r);
    r = aliyun_call(m, &(struct aliyun_request){.now = NOW});
    assert_string_equal(r.vendor_code, "Throttling.User");
    assert_null(header_value(&r, "Retry-After", hint, sizeof(hint)));
    assert_null(header_value(&r, "x-ratelimit-user-api", hint, sizeof(hint)));
    test_reply_free(&r);
    /* The default is off. */
    test_mock_stop(m);
    m = start(state, NULL);
    for (int i = 0; i < 200; i++) {
        r = aliyun_call(m, &(struct aliyun_request){.now = NOW});
        assert_int_equal(r.status, 200);
        test_reply_free(&r);
    }
}

static void oversized_body_is_a_parameter_error(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r = test_mock_call_oversized(m, "POST", "/?Format=JSON", NULL);
    assert_error(&r, 400, "InvalidParameter", "The request body is too large.");
    test_reply_free(&r);
    r = test_mock_call_oversized(m, "POST", "/", NULL);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "<Message>The request body is too large.</Message><HostId>"
                                   "aiccs.aliyuncs.com</HostId><Code>InvalidParameter</Code>"));
    test_reply_free(&r);
}

/* ---- answer format --------------------------------------------------------------------------- */

static void xml_is_the_default(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r = aliyun_call(
        m, &(struct aliyun_request){.now = NOW,
                                    .params = (const char *const[]){"Format", "PageSize=2", NULL}});
    assert_int_equal(r.status, 200);
    assert_true(starts_with(
        r.body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><HotlineSessionQueryResponse>"
                "<Code>Success</Code><Message>Success</Message><RequestId>"));
    assert_non_null(strstr(
        r.body,
        "</RequestId><Success>true</Success><Data><PageSize>2</PageSize><PageNumber>1</PageNumber>"
        "<TotalCount>361</TotalCount><CallDetailRecord><CallResult>"));
    size_t records = 0;
    for (const char *p = r.body; (p = strstr(p, "<CallDetailRecord>")); p++)
        records++;
    assert_int_equal(records, 2);
    assert_non_null(strstr(r.body, "</CallDetailRecord></Data></HotlineSessionQueryResponse>"));
    test_reply_free(&r);
}

static void xml_error_document(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r = aliyun_call(
        m, &(struct aliyun_request){
               .now = NOW, .params = (const char *const[]){"Format=xml", "InstanceId", NULL}});
    assert_int_equal(r.status, 400);
    char id[64];
    assert_non_null(header_value(&r, "x-acs-request-id", id, sizeof(id)));
    char *expected = test_format(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><RequestId>%s</RequestId>"
        "<Message>InstanceId is mandatory for this action.</Message>"
        "<HostId>aiccs.aliyuncs.com</HostId><Code>MissingInstanceId</Code>"
        "<Recommend><![CDATA[https://api.aliyun.com/troubleshoot?q=MissingInstanceId&product=aiccs"
        "&requestId=%s]]></Recommend></Error>",
        id, id);
    assert_string_equal(r.body, expected);
    free(expected);
    test_reply_free(&r);
}

static void accept_header_picks_json_when_format_is_absent(void **state)
{
    struct test_mock *m = start(state, NULL);
    const char *const params[] = {"Format", NULL};
    struct test_reply r =
        aliyun_call(m, &(struct aliyun_request){
                           .v3 = true,
                           .now = NOW,
                           .params = params,
                           .headers = (const char *const[]){"Accept: application/json", NULL}});
    assert_success(&r, TOTAL, 20);
    test_reply_free(&r);
    /* Format wins over Accept. */
    r = aliyun_call(m, &(struct aliyun_request){
                           .v3 = true,
                           .now = NOW,
                           .params = (const char *const[]){"Format=XML", NULL},
                           .headers = (const char *const[]){"Accept: application/json", NULL}});
    assert_int_equal(r.status, 200);
    assert_null(r.json);
    assert_true(starts_with(r.body, "<?xml"));
    test_reply_free(&r);
    test_mock_stop(m);
    m = start(state, (const char *const[]){"aliyun.format_from_accept=ignore", NULL});
    r = aliyun_call(m, &(struct aliyun_request){
                           .v3 = true,
                           .now = NOW,
                           .params = params,
                           .headers = (const char *const[]){"Accept: application/json", NULL}});
    assert_int_equal(r.status, 200);
    assert_true(starts_with(r.body, "<?xml"));
    test_reply_free(&r);
}

static void unknown_format_is_refused(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r = aliyun_call(
        m,
        &(struct aliyun_request){.now = NOW, .params = (const char *const[]){"Format=YAML", NULL}});
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body,
                           "<Message>Specified parameter Format is not valid.</Message>"
                           "<HostId>aiccs.aliyuncs.com</HostId><Code>InvalidParameter</Code>"));
    test_reply_free(&r);
    r = aliyun_call(m, &(struct aliyun_request){
                           .now = NOW, .params = (const char *const[]){"Format=json", NULL}});
    assert_success(&r, TOTAL, 20);
    test_reply_free(&r);
}

/* A form pair with a broken escape is dropped, as the servlet container would: the signature,
 * computed over what the client meant, then no longer matches. */
static void broken_form_escapes_are_dropped(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct aliyun_built b;
    aliyun_build(&(struct aliyun_request){.method = "POST", .form_body = true, .now = NOW}, &b);
    char *body = test_format("%s&Junk=%%G1", b.body);
    struct test_reply r =
        test_mock_call(m, "POST", "/", (const char *const *)b.headers, body, strlen(body));
    assert_success(&r, TOTAL, 20); /* Junk was never signed and is gone */
    test_reply_free(&r);
    free(body);
    aliyun_built_free(&b);
}

/* Each test gets a fresh struct test_mock as its state. */
#define WITH_MOCK(test) cmocka_unit_test_setup_teardown(test, test_mock_setup, test_mock_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        WITH_MOCK(v2_get_answers_the_default_page),
        WITH_MOCK(v2_post_reads_a_form_body),
        WITH_MOCK(v2_merges_query_and_body),
        WITH_MOCK(v3_post_and_get_succeed),
        WITH_MOCK(v3_form_body_parameters_apply),
        WITH_MOCK(v2_wrong_secret_shows_the_string_to_sign),
        WITH_MOCK(v2_method_is_signed),
        WITH_MOCK(v3_wrong_secret_shows_the_string_to_sign),
        WITH_MOCK(v3_mismatch_can_show_the_canonical_request),
        WITH_MOCK(v3_tampered_body_fails),
        WITH_MOCK(v3_signature_hex_is_case_insensitive),
        WITH_MOCK(missing_signature),
        WITH_MOCK(incomplete_signatures),
        WITH_MOCK(v3_empty_signature_is_a_mismatch),
        WITH_MOCK(unknown_access_key),
        WITH_MOCK(bad_signature_method_and_version),
        WITH_MOCK(sts_credentials_need_their_token),
        WITH_MOCK(timestamp_window_edges),
        WITH_MOCK(timestamp_formats),
        WITH_MOCK(millisecond_timestamps),
        WITH_MOCK(nonce_replay_is_refused),
        WITH_MOCK(refused_requests_keep_their_nonce),
        WITH_MOCK(nonces_expire_with_the_window),
        WITH_MOCK(reset_forgets_nonces),
        cmocka_unit_test(nonce_cache_is_bounded),
        cmocka_unit_test(nonce_cache_under_concurrent_load),
        WITH_MOCK(missing_parameters),
        WITH_MOCK(unknown_action_and_method),
        WITH_MOCK(unknown_version),
        WITH_MOCK(throttle_counts_calls_per_second),
        WITH_MOCK(oversized_body_is_a_parameter_error),
        WITH_MOCK(xml_is_the_default),
        WITH_MOCK(xml_error_document),
        WITH_MOCK(accept_header_picks_json_when_format_is_absent),
        WITH_MOCK(unknown_format_is_refused),
        WITH_MOCK(broken_form_escapes_are_dropped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
