/* libcdrsim's Alibaba Cloud signature builders against the vendor's published vectors, plus the
 * encoding corners the vectors do not reach: UTF-8, spaces, '*', '~', header folding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/aliyun.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const struct cdr_param vector_a[] = {
    {"Version", "2014-05-26"},
    {"Timestamp", "2023-03-13T08:34:30Z"},
    {"SignatureVersion", "1.0"},
    {"SignatureNonce", "edb2b34af0af9a6d14deaf7c1a5315eb"},
    {"SignatureMethod", "HMAC-SHA1"},
    {"RegionId", "cn-beijing"},
    {"Format", "JSON"},
    {"Action", "DescribeDedicatedHosts"},
    {"AccessKeyId", "testid"},
};

static void v2_vector_a(void **state)
{
    (void)state;
    char *sts = cdr_aliyun_v2_string_to_sign("GET", vector_a, ARRAY_LEN(vector_a));
    assert_non_null(sts);
    assert_string_equal(sts,
                        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeDedicatedHosts"
                        "%26Format%3DJSON%26RegionId%3Dcn-beijing%26SignatureMethod%3DHMAC-SHA1"
                        "%26SignatureNonce%3Dedb2b34af0af9a6d14deaf7c1a5315eb"
                        "%26SignatureVersion%3D1.0%26Timestamp%3D2023-03-13T08%253A34%253A30Z"
                        "%26Version%3D2014-05-26");
    char *signature = cdr_aliyun_v2_signature("testsecret", sts);
    assert_string_equal(signature, "9NaGiOspFP5UPcwX8Iwt2YJXXuk=");
    free(signature);
    free(sts);
}

static void v2_vector_b(void **state)
{
    (void)state;
    const struct cdr_param params[] = {
        {"AccessKeyId", "testid"},
        {"Action", "DescribeRegions"},
        {"Format", "XML"},
        {"SignatureMethod", "HMAC-SHA1"},
        {"SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
        {"SignatureVersion", "1.0"},
        {"Timestamp", "2016-02-23T12:46:24Z"},
        {"Version", "2014-05-26"},
    };
    char *sts = cdr_aliyun_v2_string_to_sign("GET", params, ARRAY_LEN(params));
    char *signature = cdr_aliyun_v2_signature("testsecret", sts);
    assert_string_equal(signature, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    free(signature);
    free(sts);
}

/* A server verifies with every parameter it got, Signature included: the builder drops it. */
static void v2_ignores_the_signature_parameter(void **state)
{
    (void)state;
    struct cdr_param with[ARRAY_LEN(vector_a) + 1];
    memcpy(with, vector_a, sizeof(vector_a));
    with[ARRAY_LEN(vector_a)] = (struct cdr_param){"Signature", "9NaGiOspFP5UPcwX8Iwt2YJXXuk="};
    char *plain = cdr_aliyun_v2_string_to_sign("GET", vector_a, ARRAY_LEN(vector_a));
    char *signed_too = cdr_aliyun_v2_string_to_sign("GET", with, ARRAY_LEN(with));
    assert_string_equal(plain, signed_too);
    free(plain);
    free(signed_too);
}

/* The method is part of the string: a GET signature does not verify a POST. */
static void v2_method_and_encoding_corners(void **state)
{
    (void)state;
    const struct cdr_param params[] = {
        {"ServicerName", "刘测试"}, /* UTF-8 bytes, each escaped */
        {"GroupName", "a b"},       /* space is %20, never '+' */
        {"MemberName", "x*y~z"},    /* '*' escaped, '~' kept */
        {"Acid", "a+b/c=d&e"},
    };
    char *sts = cdr_aliyun_v2_string_to_sign("POST", params, ARRAY_LEN(params));
    assert_non_null(sts);
    /* Canonical:
     * Acid=a%2Bb%2Fc%3Dd%26e&GroupName=a%20b&MemberName=x%2Ay~z&ServicerName=%E5%88%98... then
     * encoded once more as a whole. */
    assert_string_equal(
        sts,
        "POST&%2F&Acid%3Da%252Bb%252Fc%253Dd%2526e%26GroupName%3Da%2520b"
        "%26MemberName%3Dx%252Ay~z%26ServicerName%3D%25E5%2588%2598%25E6%25B5%258B%25E8%25AF%2595");
    char *get = cdr_aliyun_v2_string_to_sign("GET", params, ARRAY_LEN(params));
    assert_string_equal(get + 3, sts + 4); /* only the method differs */
    char *a = cdr_aliyun_v2_signature("k", sts), *b = cdr_aliyun_v2_signature("k", get);
    assert_string_not_equal(a, b);
    free(a);
    free(b);
    free(get);
    free(sts);
}

static const struct cdr_param v3_query[] = {
    {"RegionId", "cn-shanghai"},
    {"ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"},
};

static const char v3_payload[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

static void v3_vector(void **state)
{
    (void)state;
    const struct cdr_param headers[] = {
        {"x-acs-version", "2014-05-26"},
        {"host", "ecs.cn-shanghai.aliyuncs.com"},
        {"x-acs-date", "2023-10-26T10:22:32Z"},
        {"x-acs-action", "RunInstances"},
        {"x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"},
        {"x-acs-content-sha256", v3_payload},
    };
    char *signed_headers = NULL;
    char *canonical = cdr_aliyun_v3_canonical_request(
        "POST", "/", v3_query, ARRAY_LEN(v3_query), headers, ARRAY_LEN(headers),
        "x-acs-version;host;x-acs-date;x-acs-action;x-acs-signature-nonce;x-acs-content-sha256",
        v3_payload, &signed_headers);
    assert_non_null(canonical);
    assert_string_equal(
        canonical,
        "POST\n/\n"
        "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n"
        "host:ecs.cn-shanghai.aliyuncs.com\n"
        "x-acs-action:RunInstances\n"
        "x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
        "x-acs-date:2023-10-26T10:22:32Z\n"
        "x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n"
        "x-acs-version:2014-05-26\n"
        "\n"
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n"
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_string_equal(
        signed_headers,
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version");
    char *sts = cdr_aliyun_v3_string_to_sign(canonical);
    assert_string_equal(
        sts, "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");
    char *signature = cdr_aliyun_v3_signature("YourAccessKeySecret", sts);
    assert_string_equal(signature,
                        "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
    free(signature);
    free(sts);
    free(canonical);
    free(signed_headers);
}

/* Header names in any case, repeated headers, padded values and duplicate names in the list all
 * fold to the one canonical form; a signed header the request lacks signs as "name:". */
static void v3_header_folding(void **state)
{
    (void)state;
    const struct cdr_param headers[] = {
        {"X-Acs-Meta", " b "},
        {"Host", "h:8080"},
        {"x-acs-meta", "a"},
        {"Accept", "application/json"},
    };
    char *signed_headers = NULL;
    char *canonical = cdr_aliyun_v3_canonical_request(
        "GET", "/", NULL, 0, headers, ARRAY_LEN(headers), " HOST ;x-acs-meta;host;x-acs-absent",
        "p", &signed_headers);
    assert_non_null(canonical);
    assert_string_equal(canonical, "GET\n/\n\nhost:h:8080\nx-acs-absent:\nx-acs-meta:a,b\n\n"
                                   "host;x-acs-absent;x-acs-meta\np");
    assert_string_equal(signed_headers, "host;x-acs-absent;x-acs-meta");
    free(canonical);
    free(signed_headers);
}

/* Query values as RFC 3986 wants them, whatever the request carried. */
static void v3_query_encoding(void **state)
{
    (void)state;
    const struct cdr_param query[] = {
        {"ServicerName", "刘测试 *~"},
        {"AcidList.2", "b"},
        {"AcidList.1", "a"},
        {"Empty", NULL},
    };
    char *canonical = cdr_aliyun_v3_canonical_request("POST", "/", query, ARRAY_LEN(query), NULL, 0,
                                                      "", "p", NULL);
    assert_non_null(canonical);
    assert_string_equal(canonical, "POST\n/\nAcidList.1=a&AcidList.2=b&Empty=&"
                                   "ServicerName=%E5%88%98%E6%B5%8B%E8%AF%95%20%2A~\n\n\np");
    free(canonical);
}

static void null_inputs_are_refused(void **state)
{
    (void)state;
    assert_null(cdr_aliyun_v2_string_to_sign(NULL, NULL, 0));
    assert_null(cdr_aliyun_v2_string_to_sign("GET", NULL, 1));
    assert_null(cdr_aliyun_v2_signature(NULL, "x"));
    assert_null(cdr_aliyun_v3_canonical_request("GET", "/", NULL, 0, NULL, 1, "", "p", NULL));
    assert_null(cdr_aliyun_v3_canonical_request("GET", "/", NULL, 0, NULL, 0, "", NULL, NULL));
    assert_null(cdr_aliyun_v3_string_to_sign(NULL));
    assert_null(cdr_aliyun_v3_signature("s", NULL));
    char *empty = cdr_aliyun_v2_string_to_sign("GET", NULL, 0);
    assert_string_equal(empty, "GET&%2F&");
    free(empty);
}

/* Without a list, every header given is signed: what a client signing its own request wants. */
static void v3_signs_every_header_when_not_told(void **state)
{
    (void)state;
    const struct cdr_param headers[] = {{"X-Acs-Date", "d"}, {"Host", "h"}, {"x-acs-date", "e"}};
    char *list = NULL;
    char *canonical =
        cdr_aliyun_v3_canonical_request("POST", "/", NULL, 0, headers, 3, NULL, "p", &list);
    assert_string_equal(canonical, "POST\n/\n\nhost:h\nx-acs-date:d,e\n\nhost;x-acs-date\np");
    assert_string_equal(list, "host;x-acs-date");
    free(canonical);
    free(list);
    const struct cdr_param unnamed[] = {{NULL, "v"}};
    assert_null(cdr_aliyun_v3_canonical_request("GET", "/", NULL, 0, unnamed, 1, NULL, "p", NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(v2_vector_a),
        cmocka_unit_test(v2_vector_b),
        cmocka_unit_test(v2_ignores_the_signature_parameter),
        cmocka_unit_test(v2_method_and_encoding_corners),
        cmocka_unit_test(v3_vector),
        cmocka_unit_test(v3_header_folding),
        cmocka_unit_test(v3_query_encoding),
        cmocka_unit_test(v3_signs_every_header_when_not_told),
        cmocka_unit_test(null_inputs_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
