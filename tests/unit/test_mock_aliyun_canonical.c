/* The mock's own Alibaba Cloud canonicaliser (mockserver/vendors/aliyun/canonical.c) against the
 * vendor's published vectors: signature V2 vectors A and B, and the V3 vector with its exact
 * canonical request, string to sign and signature. Then the corners the vectors do not reach,
 * and the same requests through libcdrsim's independent builders: the two sides must agree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/aliyun.h"
#include "vendors/aliyun/internal.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* ---- V2: https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism ------------- */

/* Vector A, given out of order: sorting is the canonicaliser's job. */
static const struct aliyun_param vector_a[] = {
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

#define VECTOR_A_STS                                                                               \
    "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeDedicatedHosts%26Format%3DJSON"               \
    "%26RegionId%3Dcn-beijing%26SignatureMethod%3DHMAC-SHA1"                                       \
    "%26SignatureNonce%3Dedb2b34af0af9a6d14deaf7c1a5315eb%26SignatureVersion%3D1.0"                \
    "%26Timestamp%3D2023-03-13T08%253A34%253A30Z%26Version%3D2014-05-26"

static void v2_vector_a(void **state)
{
    (void)state;
    char *sts = aliyun_v2_string_to_sign("GET", vector_a, ARRAY_LEN(vector_a));
    assert_non_null(sts);
    assert_string_equal(sts, VECTOR_A_STS);
    char *signature = aliyun_v2_signature("testsecret", sts);
    assert_non_null(signature);
    assert_string_equal(signature, "9NaGiOspFP5UPcwX8Iwt2YJXXuk=");
    free(signature);
    free(sts);
}

static void v2_vector_b(void **state)
{
    (void)state;
    const struct aliyun_param params[] = {
        {"AccessKeyId", "testid"},
        {"Action", "DescribeRegions"},
        {"Format", "XML"},
        {"SignatureMethod", "HMAC-SHA1"},
        {"SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
        {"SignatureVersion", "1.0"},
        {"Timestamp", "2016-02-23T12:46:24Z"},
        {"Version", "2014-05-26"},
    };
    char *sts = aliyun_v2_string_to_sign("GET", params, ARRAY_LEN(params));
    assert_non_null(sts);
    assert_string_equal(sts, "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions"
                             "%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1"
                             "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
                             "%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z"
                             "%26Version%3D2014-05-26");
    char *signature = aliyun_v2_signature("testsecret", sts);
    assert_non_null(signature);
    assert_string_equal(signature, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    free(signature);
    free(sts);
}

/* The Signature parameter itself is never signed; other names that merely contain it are. */
static void v2_leaves_out_only_the_signature(void **state)
{
    (void)state;
    struct aliyun_param with[ARRAY_LEN(vector_a) + 1];
    memcpy(with, vector_a, sizeof(vector_a));
    with[ARRAY_LEN(vector_a)] = (struct aliyun_param){"Signature", "9NaGiOspFP5UPcwX8Iwt2YJXXuk="};
    char *sts = aliyun_v2_string_to_sign("GET", with, ARRAY_LEN(with));
    assert_string_equal(sts, VECTOR_A_STS);
    free(sts);

    const struct aliyun_param others[] = {{"SignatureX", "1"}, {"signature", "2"}};
    sts = aliyun_v2_string_to_sign("POST", others, ARRAY_LEN(others));
    assert_string_equal(sts, "POST&%2F&SignatureX%3D1%26signature%3D2");
    free(sts);
}

/* RFC 3986 with uppercase hex, applied twice to what the query holds: UTF-8 bytes, space as
 * %20 (not '+'), '*' as %2A, '~' literal; uppercase names sort before lowercase ones. */
static void v2_encoding_corners(void **state)
{
    (void)state;
    const struct aliyun_param params[] = {
        {"b", "~tilde"},
        {"A", "a b*c+d/e"},
        {"GroupName", "售前"},
        {"a", ""},
    };
    char *sts = aliyun_v2_string_to_sign("POST", params, ARRAY_LEN(params));
    assert_string_equal(sts, "POST&%2F&A%3Da%2520b%252Ac%252Bd%252Fe"
                             "%26GroupName%3D%25E5%2594%25AE%25E5%2589%258D%26a%3D%26b%3D~tilde");
    free(sts);

    sts = aliyun_v2_string_to_sign("GET", NULL, 0);
    assert_string_equal(sts, "GET&%2F&");
    free(sts);
}

/* Names sort raw, in JavaScript's order, before they are encoded (as the official SDKs sort
 * Object.keys(params)): '{' after 'k' although "%7B" sorts before "a"; U+1F600 before U+FF21
 * because its first UTF-16 unit is a surrogate. */
static void v2_sorts_raw_names(void **state)
{
    (void)state;
    const struct aliyun_param params[] = {
        {"{", "1"}, {"a", "2"}, {"k", "3"}, {"\xEF\xBC\xA1", "4"}, {"\xF0\x9F\x98\x80", "5"}};
    char *sts = aliyun_v2_string_to_sign("GET", params, ARRAY_LEN(params));
    assert_string_equal(sts, "GET&%2F&a%3D2%26k%3D3%26%257B%3D1%26%25F0%259F%2598%2580%3D5%26"
                             "%25EF%25BC%25A1%3D4");
    free(sts);
}

/* A name sent twice (query and form body) is signed twice, ordered by value. */
static void v2_repeated_names_order_by_value(void **state)
{
    (void)state;
    const struct aliyun_param params[] = {{"k", "2"}, {"k", "10"}, {"j", "z"}};
    char *sts = aliyun_v2_string_to_sign("GET", params, ARRAY_LEN(params));
    assert_string_equal(sts, "GET&%2F&j%3Dz%26k%3D10%26k%3D2");
    free(sts);
}

/* The key is the secret followed by '&', even for an empty secret. */
static void v2_key_is_the_secret_and_an_ampersand(void **state)
{
    (void)state;
    static const char message[] = "GET&%2F&a%3D1";
    unsigned char mac[CDR_SHA1_LEN];
    cdr_hmac_sha1("&", 1, message, strlen(message), mac);
    char *expected = cdr_base64_encode(mac, sizeof(mac));
    char *signature = aliyun_v2_signature("", message);
    assert_non_null(signature);
    assert_string_equal(signature, expected);
    free(signature);
    free(expected);
}

/* ---- V3: https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-
 * signature ------------------------------------------------------------------------------------ */

static const struct aliyun_param v3_query[] = {
    {"RegionId", "cn-shanghai"},
    {"ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"},
};

/* As a server receives them: any case, any order, with headers that are not signed. */
static const struct aliyun_param v3_headers[] = {
    {"X-Acs-Version", "2014-05-26"},
    {"Host", "ecs.cn-shanghai.aliyuncs.com"},
    {"Content-Length", "0"},
    {"x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"},
    {"x-acs-date", "2023-10-26T10:22:32Z"},
    {"X-ACS-CONTENT-SHA256", EMPTY_SHA256},
    {"x-acs-action", "RunInstances"},
    {"Accept", "application/json"},
};

#define V3_SIGNED_HEADERS                                                                          \
    "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"

#define V3_CANONICAL_REQUEST                                                                       \
    "POST\n"                                                                                       \
    "/\n"                                                                                          \
    "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n"           \
    "host:ecs.cn-shanghai.aliyuncs.com\n"                                                          \
    "x-acs-action:RunInstances\n"                                                                  \
    "x-acs-content-sha256:" EMPTY_SHA256 "\n"                                                      \
    "x-acs-date:2023-10-26T10:22:32Z\n"                                                            \
    "x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n"                                     \
    "x-acs-version:2014-05-26\n"                                                                   \
    "\n" V3_SIGNED_HEADERS "\n" EMPTY_SHA256

static struct aliyun_v3_request v3_vector_request(const char *signed_headers)
{
    return (struct aliyun_v3_request){
        .method = "POST",
        .uri = "/",
        .query = v3_query,
        .query_count = ARRAY_LEN(v3_query),
        .headers = v3_headers,
        .header_count = ARRAY_LEN(v3_headers),
        .signed_headers = signed_headers,
        .hashed_payload = EMPTY_SHA256,
    };
}

static void v3_vector(void **state)
{
    (void)state;
    struct aliyun_v3_request request = v3_vector_request(V3_SIGNED_HEADERS);
    char *canonical = aliyun_v3_canonical_request(&request);
    assert_non_null(canonical);
    assert_string_equal(canonical, V3_CANONICAL_REQUEST);
    char *sts = aliyun_v3_string_to_sign(canonical);
    assert_non_null(sts);
    assert_string_equal(sts, "ACS3-HMAC-SHA256\n"
                             "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");
    char *signature = aliyun_v3_signature("YourAccessKeySecret", sts);
    assert_non_null(signature);
    assert_string_equal(signature,
                        "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
    free(signature);
    free(sts);
    free(canonical);
}

/* The list from an Authorization header is taken in any case and order, each name once. */
static void v3_signed_list_is_normalised(void **state)
{
    (void)state;
    struct aliyun_v3_request request =
        v3_vector_request("x-acs-version;X-Acs-Date;host;x-acs-action;x-acs-content-sha256;"
                          "x-acs-signature-nonce;HOST;;x-acs-date");
    char *canonical = aliyun_v3_canonical_request(&request);
    assert_non_null(canonical);
    assert_string_equal(canonical, V3_CANONICAL_REQUEST);
    free(canonical);
}

/* A repeated header signs as its trimmed values sorted and joined with ','; a signed header the
 * request lacks signs with an empty value; unsigned headers stay out. */
static void v3_header_values(void **state)
{
    (void)state;
    const struct aliyun_param headers[] = {
        {"X-Acs-Extra", " b  "}, {"x-acs-extra", "\ta"}, {"x-acs-extra", "c d"},
        {"Host", "h"},           {"x-acs-other", "o"},
    };
    struct aliyun_v3_request request = {
        .method = "GET",
        .uri = "/",
        .headers = headers,
        .header_count = ARRAY_LEN(headers),
        .signed_headers = "x-acs-missing;x-acs-extra;host",
        .hashed_payload = EMPTY_SHA256,
    };
    char *canonical = aliyun_v3_canonical_request(&request);
    assert_non_null(canonical);
    assert_string_equal(canonical, "GET\n/\n\nhost:h\nx-acs-extra:a,b,c d\nx-acs-missing:\n\n"
                                   "host;x-acs-extra;x-acs-missing\n" EMPTY_SHA256);
    free(canonical);
}

/* The query is canonicalised like V2's, without the second encoding: a value without '=' signs
 * as "name=", and names keep their case. */
static void v3_query_encoding(void **state)
{
    (void)state;
    const struct aliyun_param query[] = {
        {"b", "x y*~"}, {"B", "售"}, {"a", ""}, {"a.1", "+/"}, {"Signature", "kept"},
    };
    const struct aliyun_param headers[] = {{"host", "h"}};
    struct aliyun_v3_request request = {
        .method = "POST",
        .uri = "/",
        .query = query,
        .query_count = ARRAY_LEN(query),
        .headers = headers,
        .header_count = ARRAY_LEN(headers),
        .signed_headers = "host",
        .hashed_payload = "abc",
    };
    char *canonical = aliyun_v3_canonical_request(&request);
    assert_non_null(canonical);
    assert_string_equal(canonical, "POST\n/\nB=%E5%94%AE&Signature=kept&a=&a.1=%2B%2F&b=x%20y%2A~\n"
                                   "host:h\n\nhost\nabc");
    free(canonical);
}

/* ---- both sides agree ------------------------------------------------------------------------ */

static struct cdr_param *as_client(const struct aliyun_param *params, size_t n)
{
    struct cdr_param *out = malloc((n ? n : 1) * sizeof(*out));
    assert_non_null(out);
    for (size_t i = 0; i < n; i++)
        out[i] = (struct cdr_param){params[i].name, params[i].value};
    return out;
}

struct agreement {
    const char *method;
    const struct aliyun_param *params;
    size_t param_count;
    const struct aliyun_param *headers;
    size_t header_count;
    const char *signed_headers;
};

static void assert_sides_agree(const struct agreement *a)
{
    struct cdr_param *params = as_client(a->params, a->param_count);
    struct cdr_param *headers = as_client(a->headers, a->header_count);

    char *mock_v2 = aliyun_v2_string_to_sign(a->method, a->params, a->param_count);
    char *client_v2 = cdr_aliyun_v2_string_to_sign(a->method, params, a->param_count);
    assert_non_null(mock_v2);
    assert_non_null(client_v2);
    assert_string_equal(mock_v2, client_v2);
    char *mock_sig = aliyun_v2_signature("s3cr3t", mock_v2);
    char *client_sig = cdr_aliyun_v2_signature("s3cr3t", client_v2);
    assert_string_equal(mock_sig, client_sig);

    struct aliyun_v3_request request = {
        .method = a->method,
        .uri = "/",
        .query = a->params,
        .query_count = a->param_count,
        .headers = a->headers,
        .header_count = a->header_count,
        .signed_headers = a->signed_headers,
        .hashed_payload = EMPTY_SHA256,
    };
    char *mock_v3 = aliyun_v3_canonical_request(&request);
    char *client_v3 =
        cdr_aliyun_v3_canonical_request(a->method, "/", params, a->param_count, headers,
                                        a->header_count, a->signed_headers, EMPTY_SHA256, NULL);
    assert_non_null(mock_v3);
    assert_non_null(client_v3);
    assert_string_equal(mock_v3, client_v3);
    char *mock_sts = aliyun_v3_string_to_sign(mock_v3);
    char *client_sts = cdr_aliyun_v3_string_to_sign(client_v3);
    assert_string_equal(mock_sts, client_sts);
    char *mock_v3_sig = aliyun_v3_signature("s3cr3t", mock_sts);
    char *client_v3_sig = cdr_aliyun_v3_signature("s3cr3t", client_sts);
    assert_string_equal(mock_v3_sig, client_v3_sig);

    char *owned[] = {mock_v2,   client_v2, mock_sig,   client_sig,  mock_v3,
                     client_v3, mock_sts,  client_sts, mock_v3_sig, client_v3_sig};
    for (size_t i = 0; i < ARRAY_LEN(owned); i++)
        free(owned[i]);
    free(params);
    free(headers);
}

static void sides_agree(void **state)
{
    (void)state;
    /* What the client sends for a filtered query, and the corners of the encoding. */
    const struct aliyun_param query[] = {
        {"Action", "HotlineSessionQuery"},
        {"InstanceId", "ccc_xp_pre-cn-***"},
        {"GroupName", "自动化技能组"},
        {"AcidList.2", "7719786"},
        {"AcidList.1", "7719785"},
        {"CallResult", "normal"},
        {"MemberName", "匿名 会员"},
        {"Params", "{\"a\":[1,2]}&x=y;z~*"},
        {"QueryStartTime", "1614828721000"},
        {"Timestamp", "2025-05-01T00:00:00Z"},
        {"a", ""},
        {"Z", "upper"},
        {"k", "2"},
        {"k", "10"},
        {"Signature", "never signed in V2"},
    };
    const struct aliyun_param headers[] = {
        {"Host", "aiccs.aliyuncs.com"},
        {"x-acs-action", "HotlineSessionQuery"},
        {"X-Acs-Version", "2019-10-15"},
        {"x-acs-date", "2025-05-01T00:00:00Z"},
        {"x-acs-signature-nonce", " 0123456789abcdef "},
        {"x-acs-content-sha256", EMPTY_SHA256},
        {"x-acs-security-token", "tok"},
        {"X-Acs-Security-Token", "\ttok2"},
        {"User-Agent", "AlibabaCloud (linux; x64) Node.js"},
        {"Content-Type", "application/x-www-form-urlencoded"},
    };
    static const char *const lists[] = {
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version",
        ("x-acs-version;x-acs-date;HOST;x-acs-action;x-acs-signature-nonce;x-acs-content-sha256;"
         "x-acs-security-token"),
        "host;host;content-type;user-agent;x-acs-absent",
        "host;;x-acs-date;",
        ";host",
        "host; x-acs-date",
        "",
        "host",
    };
    for (size_t i = 0; i < ARRAY_LEN(lists); i++) {
        assert_sides_agree(&(struct agreement){"POST", query, ARRAY_LEN(query), headers,
                                               ARRAY_LEN(headers), lists[i]});
        assert_sides_agree(&(struct agreement){"GET", query, 3, headers, 2, lists[i]});
    }
    assert_sides_agree(&(struct agreement){"GET", NULL, 0, headers, ARRAY_LEN(headers), "host"});
}

/* The digests of every request (digest.c) give the one-shot functions' bytes: keys of every length
 * around the block (empty, one short, exactly one, one past it, several blocks), messages empty,
 * short and of several blocks, one key used twice. */
static void digests_match_one_shot(void **state)
{
    (void)state;
    char key[200], msg[300];
    for (size_t i = 0; i < sizeof(key); i++)
        key[i] = (char)('a' + i % 26);
    for (size_t i = 0; i < sizeof(msg); i++)
        msg[i] = (char)(i * 7 + 1);
    const size_t key_lens[] = {0, 1, 10, 63, 64, 65, 200};
    const size_t msg_lens[] = {0, 1, 55, 56, 64, 81, 300};
    for (size_t k = 0; k < ARRAY_LEN(key_lens); k++) {
        struct aliyun_hmac_key *keyed = aliyun_hmac_key_new(key, key_lens[k]);
        assert_non_null(keyed);
        for (size_t m = 0; m < ARRAY_LEN(msg_lens); m++) {
            unsigned char want[CDR_SHA256_LEN], got[CDR_SHA256_LEN];
            cdr_hmac_sha256(key, key_lens[k], msg, msg_lens[m], want);
            for (int twice = 0; twice < 2; twice++) {
                memset(got, 0, sizeof(got));
                aliyun_hmac_sha256(keyed, msg, msg_lens[m], got);
                assert_memory_equal(want, got, sizeof(want));
            }
        }
        aliyun_hmac_key_free(keyed);
    }
    aliyun_hmac_key_free(NULL);
    for (size_t m = 0; m < ARRAY_LEN(msg_lens); m++) {
        char *want = cdr_sha256_hex(msg, msg_lens[m]);
        unsigned char digest[CDR_SHA256_LEN];
        char got[2 * CDR_SHA256_LEN + 1];
        aliyun_sha256(msg, msg_lens[m], digest);
        cdr_hex_write(digest, sizeof(digest), got);
        assert_non_null(want);
        assert_string_equal(want, got);
        free(want);
    }
    unsigned char empty[CDR_SHA256_LEN];
    char empty_hex[2 * CDR_SHA256_LEN + 1];
    aliyun_sha256(NULL, 0, empty);
    cdr_hex_write(empty, sizeof(empty), empty_hex);
    assert_string_equal(EMPTY_SHA256, empty_hex);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(v2_vector_a),
        cmocka_unit_test(v2_vector_b),
        cmocka_unit_test(v2_leaves_out_only_the_signature),
        cmocka_unit_test(v2_encoding_corners),
        cmocka_unit_test(v2_sorts_raw_names),
        cmocka_unit_test(v2_repeated_names_order_by_value),
        cmocka_unit_test(v2_key_is_the_secret_and_an_ampersand),
        cmocka_unit_test(v3_vector),
        cmocka_unit_test(v3_signed_list_is_normalised),
        cmocka_unit_test(v3_header_values),
        cmocka_unit_test(v3_query_encoding),
        cmocka_unit_test(sides_agree),
        cmocka_unit_test(digests_match_one_shot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
