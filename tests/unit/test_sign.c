#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/aliyun.h"
#include "cdrsim/sign.h"
#include "workers.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Concatenates NULL-terminated list of strings into a fresh heap buffer. */
static char *concat(const char *first, ...)
{
    va_list ap;
    size_t total = 0;
    const char *s;

    va_start(ap, first);
    for (s = first; s != NULL; s = va_arg(ap, const char *))
        total += strlen(s);
    va_end(ap);

    char *out = malloc(total + 1);
    assert_non_null(out);
    char *p = out;
    va_start(ap, first);
    for (s = first; s != NULL; s = va_arg(ap, const char *)) {
        size_t n = strlen(s);
        memcpy(p, s, n);
        p += n;
    }
    va_end(ap);
    *p = '\0';
    return out;
}

static void assert_md5(const char *input, const char *expected)
{
    char *hex = cdr_md5_hex(input, strlen(input));
    assert_non_null(hex);
    assert_int_equal(strlen(hex), CDR_MD5_HEX_LEN);
    assert_string_equal(hex, expected);
    free(hex);
}

static void assert_sha256(const char *input, const char *expected)
{
    char *hex = cdr_sha256_hex(input, strlen(input));
    assert_non_null(hex);
    assert_string_equal(hex, expected);
    free(hex);
}

static void assert_hmac_sha1(const void *key, size_t key_len, const char *msg, const char *expected)
{
    unsigned char mac[CDR_SHA1_LEN];
    cdr_hmac_sha1(key, key_len, msg, strlen(msg), mac);
    char *hex = cdr_hex_encode(mac, sizeof mac);
    assert_non_null(hex);
    assert_string_equal(hex, expected);
    free(hex);
}

static void assert_hmac_sha256(const void *key, size_t key_len, const char *msg,
                               const char *expected)
{
    unsigned char mac[CDR_SHA256_LEN];
    cdr_hmac_sha256(key, key_len, msg, strlen(msg), mac);
    char *hex = cdr_hex_encode(mac, sizeof mac);
    assert_non_null(hex);
    assert_string_equal(hex, expected);
    free(hex);
}

static void assert_percent_encode(const char *input, const char *expected)
{
    char *enc = cdr_percent_encode(input, strlen(input));
    assert_non_null(enc);
    assert_string_equal(enc, expected);
    free(enc);
}

/* ---- digests ---------------------------------------------------------- */

static void test_md5_itnio(void **state)
{
    (void)state;
    assert_md5("bDqJFiq9"
               "7bz1lzh9"
               "1630468800",
               "05d7a50893e22a5c4bb3216ae3396c7c");
}

static void test_md5_vectors(void **state)
{
    (void)state;
    assert_md5("", "d41d8cd98f00b204e9800998ecf8427e");
    assert_md5("abc", "900150983cd24fb0d6963f7d28e17f72");

    /* NULL is a valid empty input but not a valid non-empty one. */
    char *hex = cdr_md5_hex(NULL, 0);
    assert_non_null(hex);
    assert_string_equal(hex, "d41d8cd98f00b204e9800998ecf8427e");
    free(hex);
    assert_null(cdr_md5_hex(NULL, 1));
}

static void test_sha256_vectors(void **state)
{
    (void)state;
    assert_sha256("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_sha256("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_null(cdr_sha256_hex(NULL, 3));
}

static void test_hmac_sha1_rfc2202(void **state)
{
    (void)state;
    unsigned char key1[20];
    memset(key1, 0x0b, sizeof key1);
    assert_hmac_sha1(key1, sizeof key1, "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00");
    assert_hmac_sha1("Jefe", 4, "what do ya want for nothing?",
                     "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    /* Empty key and message are legitimate HMAC inputs. */
    assert_hmac_sha1("", 0, "", "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d");
    assert_hmac_sha1(NULL, 0, "", "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d");
}

static void test_hmac_sha256_rfc4231(void **state)
{
    (void)state;
    unsigned char key1[20];
    memset(key1, 0x0b, sizeof key1);
    assert_hmac_sha256(key1, sizeof key1, "Hi There",
                       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    assert_hmac_sha256("Jefe", 4, "what do ya want for nothing?",
                       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    /* RFC 4231 test case 6: key longer than the block size. */
    unsigned char key6[131];
    memset(key6, 0xaa, sizeof key6);
    assert_hmac_sha256(key6, sizeof key6, "Test Using Larger Than Block-Size Key - Hash Key First",
                       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    assert_hmac_sha256("", 0, "",
                       "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

static void test_hmac_invalid_input_zeroes_output(void **state)
{
    (void)state;
    unsigned char mac1[CDR_SHA1_LEN];
    unsigned char mac256[CDR_SHA256_LEN];
    unsigned char zero[CDR_SHA256_LEN] = {0};

    memset(mac1, 0xff, sizeof mac1);
    cdr_hmac_sha1(NULL, 4, "msg", 3, mac1);
    assert_memory_equal(mac1, zero, sizeof mac1);

    memset(mac256, 0xff, sizeof mac256);
    cdr_hmac_sha256("key", 3, NULL, 3, mac256);
    assert_memory_equal(mac256, zero, sizeof mac256);
}

/* ---- hex -------------------------------------------------------------- */

static void test_hex_encode(void **state)
{
    (void)state;
    const unsigned char bytes[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
    char *hex = cdr_hex_encode(bytes, sizeof bytes);
    assert_non_null(hex);
    assert_string_equal(hex, "00017f80abff");
    free(hex);

    hex = cdr_hex_encode(NULL, 0);
    assert_non_null(hex);
    assert_string_equal(hex, "");
    free(hex);

    assert_null(cdr_hex_encode(NULL, 1));
}

static void test_hex_equal_ci(void **state)
{
    (void)state;
    assert_true(
        cdr_hex_equal_ci("05d7a50893e22a5c4bb3216ae3396c7c", "05D7A50893E22A5C4BB3216AE3396C7C"));
    assert_true(cdr_hex_equal_ci("abcdef", "abcdef"));
    assert_true(cdr_hex_equal_ci("", ""));
    assert_false(cdr_hex_equal_ci("abcdef", "abcdee"));
    assert_false(cdr_hex_equal_ci("0abcdef", "abcdef"));
    assert_false(cdr_hex_equal_ci("abcdef", "abcde"));
    assert_false(cdr_hex_equal_ci("abc", ""));
    assert_false(cdr_hex_equal_ci(NULL, "abc"));
    assert_false(cdr_hex_equal_ci("abc", NULL));
    assert_false(cdr_hex_equal_ci(NULL, NULL));
    /* Only letters fold: '@' (0x40) and '`' (0x60) differ by the case bit. */
    assert_false(cdr_hex_equal_ci("@", "`"));
    assert_false(cdr_hex_equal_ci("0", "P"));
}

/* ---- base64 ----------------------------------------------------------- */

static const struct {
    const char *plain;
    const char *encoded;
} rfc4648_vectors[] = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

static void test_base64_encode_rfc4648(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(rfc4648_vectors); i++) {
        const char *plain = rfc4648_vectors[i].plain;
        char *enc = cdr_base64_encode(plain, strlen(plain));
        assert_non_null(enc);
        assert_string_equal(enc, rfc4648_vectors[i].encoded);
        free(enc);
    }
}

static void test_base64_decode_rfc4648(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(rfc4648_vectors); i++) {
        const char *encoded = rfc4648_vectors[i].encoded;
        const char *plain = rfc4648_vectors[i].plain;
        size_t out_len = SIZE_MAX;
        unsigned char *dec = cdr_base64_decode(encoded, strlen(encoded), &out_len);
        assert_non_null(dec);
        assert_int_equal(out_len, strlen(plain));
        assert_memory_equal(dec, plain, out_len);
        assert_int_equal(dec[out_len], '\0');
        free(dec);
    }
}

static void test_base64_binary_round_trip(void **state)
{
    (void)state;
    unsigned char bytes[256];
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (unsigned char)(255 - i);

    for (size_t len = 0; len <= sizeof bytes; len++) {
        char *enc = cdr_base64_encode(bytes, len);
        assert_non_null(enc);
        assert_int_equal(strlen(enc), (len + 2) / 3 * 4);
        size_t out_len = 0;
        unsigned char *dec = cdr_base64_decode(enc, strlen(enc), &out_len);
        assert_non_null(dec);
        assert_int_equal(out_len, len);
        if (len > 0)
            assert_memory_equal(dec, bytes, len);
        free(dec);
        free(enc);
    }

    /* Both extra alphabet characters survive. */
    const unsigned char high[] = {0xfb, 0xff, 0xbf};
    char *enc = cdr_base64_encode(high, sizeof high);
    assert_non_null(enc);
    assert_string_equal(enc, "+/+/");
    free(enc);
}

static void test_base64_decode_rejects_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "Zm9v!",                              /* bad char and bad length */
        "Zm9",                                /* bad length */
        "Z===",                               /* too much padding */
        "=Zm9",                               /* padding at the start */
        "Zm9!",                               /* bad char, good length */
        "Zg=a",                               /* data after padding */
        "Zg==Zm9v",                           /* padding in a non-final quantum */
        "====",     "Zm9v\n", "Zm 9", "Zm-9", /* URL-safe alphabet is not accepted */
        "Zh==",                               /* non-zero bits under the padding */
        "Zm9=",                               /* ditto, one '=' */
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        size_t out_len = 12345;
        assert_null(cdr_base64_decode(bad[i], strlen(bad[i]), &out_len));
        assert_int_equal(out_len, 12345);
    }

    /* Embedded NUL is not in the alphabet. */
    assert_null(cdr_base64_decode("Zm\0v", 4, NULL));
    assert_null(cdr_base64_decode(NULL, 4, NULL));

    /* Only `len` bytes are examined: trailing junk beyond it is ignored. */
    size_t out_len = 0;
    unsigned char *dec = cdr_base64_decode("Zm9v!!!", 4, &out_len);
    assert_non_null(dec);
    assert_int_equal(out_len, 3);
    assert_memory_equal(dec, "foo", 3);
    free(dec);
}

/* ---- percent-encoding ------------------------------------------------- */

static void test_percent_encode(void **state)
{
    (void)state;
    const char *unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
    assert_percent_encode(unreserved, unreserved);
    assert_percent_encode("", "");
    assert_percent_encode(" ", "%20");
    assert_percent_encode("*", "%2A");
    assert_percent_encode("~", "~");
    assert_percent_encode("/", "%2F");
    assert_percent_encode(":", "%3A");
    assert_percent_encode("+", "%2B");
    assert_percent_encode("=", "%3D");
    assert_percent_encode("&", "%26");
    assert_percent_encode("%", "%25");
    assert_percent_encode("\xe4\xb8\xad\xe6\x96\x87" /* 中文 */, "%E4%B8%AD%E6%96%87");
    assert_percent_encode("a b*c~d/e", "a%20b%2Ac~d%2Fe");

    /* Raw bytes, including NUL, are encoded; len rules, not the NUL. */
    char *enc = cdr_percent_encode("a\0b", 3);
    assert_non_null(enc);
    assert_string_equal(enc, "a%00b");
    free(enc);

    assert_null(cdr_percent_encode(NULL, 1));
}

static void test_percent_decode_round_trip(void **state)
{
    (void)state;
    unsigned char bytes[256];
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (unsigned char)i;

    char *enc = cdr_percent_encode((const char *)bytes, sizeof bytes);
    assert_non_null(enc);
    size_t out_len = 0;
    char *dec = cdr_percent_decode(enc, strlen(enc), false, &out_len);
    assert_non_null(dec);
    assert_int_equal(out_len, sizeof bytes);
    assert_memory_equal(dec, bytes, sizeof bytes);
    assert_int_equal(dec[out_len], '\0');
    free(dec);
    free(enc);

    dec = cdr_percent_decode("%E4%b8%aD%E6%96%87", 18, false, &out_len);
    assert_non_null(dec);
    assert_int_equal(out_len, 6);
    assert_string_equal(dec, "\xe4\xb8\xad\xe6\x96\x87");
    free(dec);

    dec = cdr_percent_decode("", 0, false, &out_len);
    assert_non_null(dec);
    assert_int_equal(out_len, 0);
    assert_string_equal(dec, "");
    free(dec);

    /* NUL bytes from %00 are kept and counted. */
    dec = cdr_percent_decode("a%00b", 5, false, &out_len);
    assert_non_null(dec);
    assert_int_equal(out_len, 3);
    assert_memory_equal(dec, "a\0b", 4);
    free(dec);

    dec = cdr_percent_decode("x%20y", 5, false, NULL);
    assert_non_null(dec);
    assert_string_equal(dec, "x y");
    free(dec);
}

static void test_percent_decode_plus(void **state)
{
    (void)state;
    char *dec = cdr_percent_decode("a+b%2Bc", 7, true, NULL);
    assert_non_null(dec);
    assert_string_equal(dec, "a b+c");
    free(dec);

    dec = cdr_percent_decode("a+b%2Bc", 7, false, NULL);
    assert_non_null(dec);
    assert_string_equal(dec, "a+b+c");
    free(dec);
}

static void test_percent_decode_rejects_malformed(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "%G1", "%1G", "%4", "%", "abc%", "abc%4", "%%41", "% 41", "%-1",
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        size_t out_len = 777;
        assert_null(cdr_percent_decode(bad[i], strlen(bad[i]), false, &out_len));
        assert_int_equal(out_len, 777);
    }
    /* A valid escape cut short by len is truncated, not read past. */
    assert_null(cdr_percent_decode("%41", 2, false, NULL));
    assert_null(cdr_percent_decode(NULL, 1, false, NULL));
}

/* ---- canonical query -------------------------------------------------- */

static void test_canonical_query_sorting(void **state)
{
    (void)state;
    const struct cdr_param params[] = {
        {"b", "2"}, {"a", "1"}, {"B", "3"}, {"a", "0"}, {"A b", "x*y"}, {"_", "u"}, {"~", "t"},
    };
    char *q = cdr_canonical_query(params, ARRAY_LEN(params));
    assert_non_null(q);
    /* Raw names in code unit order: ' '(0x20) < 'A' < 'B' < '_' < 'a' < 'b' < '~'. */
    assert_string_equal(q, "A%20b=x%2Ay&B=3&_=u&a=0&a=1&b=2&~=t");
    free(q);

    /* Sorting uses the raw names, as Alibaba Cloud's SDKs do (Object.keys(params).sort(), then
     * encode), which can differ from the order of the encoded forms: raw 'a' < '{' although
     * encoded "%7B" < "a" (and < "k"); raw '0' < ':' although "%3A" < "0". */
    const struct cdr_param raw_order[] = {
        {"{", "2"},
        {"a", "1"},
        {"k", ":"},
        {"k", "0"},
    };
    q = cdr_canonical_query(raw_order, ARRAY_LEN(raw_order));
    assert_non_null(q);
    assert_string_equal(q, "a=1&k=0&k=%3A&%7B=2");
    free(q);

    /* JavaScript compares UTF-16 code units: U+1F600 (surrogates 0xD83D 0xDE00) sorts before
     * U+FF21, though its UTF-8 bytes (F0 ...) sort after EF BC A1. */
    const struct cdr_param astral[] = {{"\xEF\xBC\xA1", "1"}, {"\xF0\x9F\x98\x80", "2"}};
    q = cdr_canonical_query(astral, ARRAY_LEN(astral));
    assert_non_null(q);
    assert_string_equal(q, "%F0%9F%98%80=2&%EF%BC%A1=1");
    free(q);
}

static void test_canonical_query_empty_values(void **state)
{
    (void)state;
    const struct cdr_param params[] = {
        {"z", NULL},
        {"y", ""},
        {"x", "v"},
    };
    char *q = cdr_canonical_query(params, ARRAY_LEN(params));
    assert_non_null(q);
    assert_string_equal(q, "x=v&y=&z=");
    free(q);

    const struct cdr_param single[] = {{"only", NULL}};
    q = cdr_canonical_query(single, 1);
    assert_non_null(q);
    assert_string_equal(q, "only=");
    free(q);
}

static void test_canonical_query_empty_and_invalid(void **state)
{
    (void)state;
    char *q = cdr_canonical_query(NULL, 0);
    assert_non_null(q);
    assert_string_equal(q, "");
    free(q);

    const struct cdr_param params[] = {{"a", "1"}};
    q = cdr_canonical_query(params, 0);
    assert_non_null(q);
    assert_string_equal(q, "");
    free(q);

    assert_null(cdr_canonical_query(NULL, 1));
    const struct cdr_param null_name[] = {{"a", "1"}, {NULL, "2"}};
    assert_null(cdr_canonical_query(null_name, 2));
}

/* ---- Alibaba Cloud signatures composed from the primitives ------------ */

struct v2_result {
    char *string_to_sign;
    char *signature;
};

/* RPC signature V2: the canonical query is percent-encoded a second time. */
static struct v2_result sign_v2(const char *method, const char *secret,
                                const struct cdr_param *params, size_t n)
{
    struct v2_result r;
    char *query = cdr_canonical_query(params, n);
    assert_non_null(query);
    char *slash = cdr_percent_encode("/", 1);
    assert_non_null(slash);
    char *query_enc = cdr_percent_encode(query, strlen(query));
    assert_non_null(query_enc);

    r.string_to_sign = concat(method, "&", slash, "&", query_enc, (char *)NULL);
    char *key = concat(secret, "&", (char *)NULL);

    unsigned char mac[CDR_SHA1_LEN];
    cdr_hmac_sha1(key, strlen(key), r.string_to_sign, strlen(r.string_to_sign), mac);
    r.signature = cdr_base64_encode(mac, sizeof mac);
    assert_non_null(r.signature);

    free(key);
    free(query_enc);
    free(slash);
    free(query);
    return r;
}

static void test_aliyun_v2_vector_a(void **state)
{
    (void)state;
    const struct cdr_param params[] = {
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
    struct v2_result r = sign_v2("GET", "testsecret", params, ARRAY_LEN(params));
    assert_string_equal(r.string_to_sign,
                        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeDedicatedHosts"
                        "%26Format%3DJSON%26RegionId%3Dcn-beijing%26SignatureMethod%3DHMAC-SHA1"
                        "%26SignatureNonce%3Dedb2b34af0af9a6d14deaf7c1a5315eb"
                        "%26SignatureVersion%3D1.0%26Timestamp%3D2023-03-13T08%253A34%253A30Z"
                        "%26Version%3D2014-05-26");
    assert_string_equal(r.signature, "9NaGiOspFP5UPcwX8Iwt2YJXXuk=");
    free(r.string_to_sign);
    free(r.signature);
}

static void test_aliyun_v2_vector_b(void **state)
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
    struct v2_result r = sign_v2("GET", "testsecret", params, ARRAY_LEN(params));
    assert_string_equal(r.signature, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");

    /* The server side decodes the signature back to the raw MAC. */
    size_t mac_len = 0;
    unsigned char *mac = cdr_base64_decode(r.signature, strlen(r.signature), &mac_len);
    assert_non_null(mac);
    assert_int_equal(mac_len, CDR_SHA1_LEN);
    free(mac);

    free(r.string_to_sign);
    free(r.signature);
}

static void test_aliyun_v3_vector(void **state)
{
    (void)state;
    const struct cdr_param params[] = {
        {"RegionId", "cn-shanghai"},
        {"ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"},
    };
    char *query = cdr_canonical_query(params, ARRAY_LEN(params));
    assert_non_null(query);
    assert_string_equal(query, "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"
                               "&RegionId=cn-shanghai");

    char *hashed_payload = cdr_sha256_hex("", 0);
    assert_non_null(hashed_payload);
    assert_string_equal(hashed_payload,
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    const char *canonical_headers =
        "host:ecs.cn-shanghai.aliyuncs.com\n"
        "x-acs-action:RunInstances\n"
        "x-acs-content-sha256:"
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
        "x-acs-date:2023-10-26T10:22:32Z\n"
        "x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n"
        "x-acs-version:2014-05-26\n";
    const char *signed_headers = "host;x-acs-action;x-acs-content-sha256;"
                                 "x-acs-date;x-acs-signature-nonce;"
                                 "x-acs-version";

    char *canonical_request = concat("POST", "\n", "/", "\n", query, "\n", canonical_headers, "\n",
                                     signed_headers, "\n", hashed_payload, (char *)NULL);
    char *request_hash = cdr_sha256_hex(canonical_request, strlen(canonical_request));
    assert_non_null(request_hash);
    assert_string_equal(request_hash,
                        "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");

    char *string_to_sign = concat("ACS3-HMAC-SHA256\n", request_hash, (char *)NULL);
    const char *secret = "YourAccessKeySecret";
    unsigned char mac[CDR_SHA256_LEN];
    cdr_hmac_sha256(secret, strlen(secret), string_to_sign, strlen(string_to_sign), mac);
    char *signature = cdr_hex_encode(mac, sizeof mac);
    assert_non_null(signature);
    assert_string_equal(signature,
                        "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");

    /* What a verifying server would do with an upper-cased header value. */
    assert_true(cdr_hex_equal_ci(
        signature, "06563A9E1B43F5DFE96B81484DA74BCEAB24A1D853912EEE15083A6F0F3283C0"));

    free(signature);
    free(string_to_sign);
    free(request_hash);
    free(canonical_request);
    free(hashed_payload);
    free(query);
}

/* The hasher gives the one-shot functions' bytes: keys of every length (an empty one, one past
 * the block size), the same hasher reused with another key, and a message of several blocks. */
static void test_hasher_matches_one_shot(void **state)
{
    (void)state;
    struct cdr_hasher *h = cdr_hasher_new();
    assert_non_null(h);
    char long_key[131], long_msg[1000];
    memset(long_key, 'k', sizeof(long_key));
    memset(long_msg, 'm', sizeof(long_msg));
    const struct {
        const char *key;
        size_t key_len;
        const char *msg;
        size_t msg_len;
    } cases[] = {
        {"key", 3, "The quick brown fox jumps over the lazy dog", 43}, {"", 0, "empty key", 9},
        {long_key, sizeof(long_key), long_msg, sizeof(long_msg)},      {"other", 5, "", 0},
        {"key", 3, "The quick brown fox jumps over the lazy dog", 43},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        unsigned char want[CDR_SHA256_LEN], got[CDR_SHA256_LEN];
        cdr_hmac_sha256(cases[i].key, cases[i].key_len, cases[i].msg, cases[i].msg_len, want);
        assert_true(cdr_hasher_hmac_sha256(h, cases[i].key, cases[i].key_len, cases[i].msg,
                                           cases[i].msg_len, got));
        char want_hex[2 * CDR_SHA256_LEN + 1], got_hex[2 * CDR_SHA256_LEN + 1];
        cdr_hex_write(want, sizeof(want), want_hex);
        cdr_hex_write(got, sizeof(got), got_hex);
        assert_string_equal(got_hex, want_hex);

        char *digest = cdr_sha256_hex(cases[i].msg, cases[i].msg_len);
        assert_true(cdr_hasher_sha256(h, cases[i].msg, cases[i].msg_len, got));
        cdr_hex_write(got, sizeof(got), got_hex);
        assert_string_equal(got_hex, digest);
        free(digest);
    }
    unsigned char out[CDR_SHA256_LEN];
    assert_false(cdr_hasher_sha256(h, NULL, 3, out));
    assert_false(cdr_hasher_hmac_sha256(h, NULL, 3, "m", 1, out));
    cdr_hasher_free(h);
    cdr_hasher_free(NULL);
}

struct hasher_worker {
    struct cdr_hasher *hasher;
    int mismatches;
};

static void *hash_many(void *arg)
{
    struct hasher_worker *w = arg;
    for (int i = 0; i < 500; i++) {
        char msg[32];
        int len = snprintf(msg, sizeof(msg), "message %d", i);
        unsigned char want[CDR_SHA256_LEN], got[CDR_SHA256_LEN];
        cdr_hmac_sha256("secret", 6, msg, (size_t)len, want);
        if (!cdr_hasher_hmac_sha256(w->hasher, "secret", 6, msg, (size_t)len, got) ||
            memcmp(want, got, sizeof(want)) != 0)
            w->mismatches++;
    }
    return NULL;
}

/* One hasher shared by four threads at once: each call gets contexts of its own. */
static void test_hasher_threads(void **state)
{
    (void)state;
    struct cdr_hasher *h = cdr_hasher_new();
    assert_non_null(h);
    struct hasher_worker workers[4];
    for (int i = 0; i < 4; i++)
        workers[i] = (struct hasher_worker){h, 0};
    test_threads_run(workers, 4, sizeof(workers[0]), hash_many);
    for (int i = 0; i < 4; i++)
        assert_int_equal(workers[i].mismatches, 0);
    cdr_hasher_free(h);
}

/* Appending gives cdr_percent_encode's bytes, after what the buffer held. */
static void test_percent_encode_append(void **state)
{
    (void)state;
    const char *inputs[] = {"", "abc-_.~", "a b&c=d/é", "\x01\xff"};
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        struct cdr_buf buf;
        cdr_buf_init(&buf);
        cdr_buf_puts(&buf, "x=");
        assert_true(cdr_percent_encode_append(&buf, inputs[i], strlen(inputs[i])));
        char *plain = cdr_percent_encode(inputs[i], strlen(inputs[i]));
        char want[64];
        snprintf(want, sizeof(want), "x=%s", plain);
        assert_string_equal(buf.data, want);
        free(plain);
        cdr_buf_free(&buf);
    }
    struct cdr_buf buf;
    cdr_buf_init(&buf);
    assert_false(cdr_percent_encode_append(&buf, NULL, 2));
    assert_true(buf.failed);
    cdr_buf_free(&buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_md5_itnio),
        cmocka_unit_test(test_md5_vectors),
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_hmac_sha1_rfc2202),
        cmocka_unit_test(test_hmac_sha256_rfc4231),
        cmocka_unit_test(test_hmac_invalid_input_zeroes_output),
        cmocka_unit_test(test_hex_encode),
        cmocka_unit_test(test_hex_equal_ci),
        cmocka_unit_test(test_base64_encode_rfc4648),
        cmocka_unit_test(test_base64_decode_rfc4648),
        cmocka_unit_test(test_base64_binary_round_trip),
        cmocka_unit_test(test_base64_decode_rejects_invalid),
        cmocka_unit_test(test_percent_encode),
        cmocka_unit_test(test_percent_decode_round_trip),
        cmocka_unit_test(test_percent_decode_plus),
        cmocka_unit_test(test_percent_decode_rejects_malformed),
        cmocka_unit_test(test_canonical_query_sorting),
        cmocka_unit_test(test_canonical_query_empty_values),
        cmocka_unit_test(test_canonical_query_empty_and_invalid),
        cmocka_unit_test(test_aliyun_v2_vector_a),
        cmocka_unit_test(test_aliyun_v2_vector_b),
        cmocka_unit_test(test_aliyun_v3_vector),
        cmocka_unit_test(test_hasher_matches_one_shot),
        cmocka_unit_test(test_hasher_threads),
        cmocka_unit_test(test_percent_encode_append),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
