/* Secrets out of messages: URLs shown with userinfo and signing parameters masked
 * (cdr_http_redact_url), and known secret values masked wherever an error text repeats them
 * (cdr_error_redact). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/error.h"
#include "cdrsim/http.h"
#include "cdrsim/vendor.h"

static void expect_url(const char *url, const char *want)
{
    char *got = cdr_http_redact_url(url);
    assert_non_null(got);
    if (strcmp(got, want) != 0)
        fail_msg("%s\n  became %s\n  wanted %s", url, got, want);
    free(got);
}

static void test_userinfo(void **state)
{
    (void)state;
    expect_url("http://user:pa55@127.0.0.1:8080/v3/cc/record/query",
               "http://<redacted>@127.0.0.1:8080/v3/cc/record/query");
    expect_url("https://only-user@host/", "https://<redacted>@host/");
    /* An unencoded '@' in the password: everything up to the last one before the host goes. */
    expect_url("http://u:p@ss@host?x=1", "http://<redacted>@host?x=1");
    /* An '@' after the authority is not userinfo. */
    expect_url("http://host/a@b?c=d@e", "http://host/a@b?c=d@e");
    expect_url("http://host", "http://host");
    assert_null(cdr_http_redact_url(NULL));
}

static void test_signing_parameters(void **state)
{
    (void)state;
    /* An Alibaba Cloud V2 GET: what signs and authorises goes; what names the call stays. */
    expect_url("https://aiccs.aliyuncs.com/?AccessKeyId=testid&Action=HotlineSessionQuery"
               "&Format=JSON&SecurityToken=sts%2Btok&Signature=9NaGiOspFP5UPcwX8Iwt2YJXXuk%3D"
               "&SignatureMethod=HMAC-SHA1&SignatureNonce=edb2b34af0af9a6d"
               "&SignatureVersion=1.0&Timestamp=2023-03-13T08%3A34%3A30Z&Version=2019-10-15",
               "https://aiccs.aliyuncs.com/?AccessKeyId=testid&Action=HotlineSessionQuery"
               "&Format=JSON&SecurityToken=<redacted>&Signature=<redacted>"
               "&SignatureMethod=HMAC-SHA1&SignatureNonce=<redacted>"
               "&SignatureVersion=1.0&Timestamp=2023-03-13T08%3A34%3A30Z&Version=2019-10-15");
    expect_url("http://h/x?Sign=abc&token=t&access_token=a&API_SECRET=s&password=p&page=2#top",
               "http://h/x?Sign=<redacted>&token=<redacted>&access_token=<redacted>"
               "&API_SECRET=<redacted>&password=<redacted>&page=2#top");
    /* Empty values are masked too; a name alone has no value to mask. */
    expect_url("http://h/?signature=&Signature&design=1", "http://h/?signature=<redacted>&Signature"
                                                          "&design=1");
    /* No scheme: a path and a query all the same. */
    expect_url("/?Signature=x&a=b", "/?Signature=<redacted>&a=b");
    /* An object store's presigned recording link: its signature and session token go. */
    expect_url("https://b.s3.amazonaws.com/r.wav?X-Amz-Algorithm=AWS4-HMAC-SHA256"
               "&X-Amz-Security-Token=IQo&X-Amz-Signature=3f1a",
               "https://b.s3.amazonaws.com/r.wav?X-Amz-Algorithm=AWS4-HMAC-SHA256"
               "&X-Amz-Security-Token=<redacted>&X-Amz-Signature=<redacted>");
}

/* The vendor-specific names come from the descriptors: each one listed is masked, in any case. */
static void test_vendor_secret_names(void **state)
{
    (void)state;
    size_t listed = 0;
    for (const struct cdr_vendor *const *v = cdr_vendors(); *v; v++) {
        for (const char *const *name = (*v)->secret_names; name && *name; name++, listed++) {
            char url[256], want[256], upper[64];
            size_t n = strlen(*name);
            assert_true(n > 0 && n < sizeof(upper));
            for (size_t i = 0; i <= n; i++)
                upper[i] =
                    (char)((*name)[i] >= 'a' && (*name)[i] <= 'z' ? (*name)[i] - 32 : (*name)[i]);
            snprintf(url, sizeof(url), "http://h/q?page=2&%s=v4lue&%s=V", *name, upper);
            snprintf(want, sizeof(want), "http://h/q?page=2&%s=<redacted>&%s=<redacted>", *name,
                     upper);
            expect_url(url, want);
        }
    }
    assert_true(listed >= 2);
    /* ITNIO's Sign is its descriptor's: no generic rule catches it, nor a longer name. */
    const struct cdr_vendor *itnio = cdr_vendor_find("itnio");
    assert_non_null(itnio);
    assert_non_null(itnio->secret_names);
    assert_string_equal(itnio->secret_names[0], "Sign");
    expect_url("http://h/?Signs=1&design=2", "http://h/?Signs=1&design=2");
}

static void test_error_redact(void **state)
{
    (void)state;
    struct cdr_error_info err;
    cdr_error_set(&err, CDR_ERR_AUTH,
                  "token t0k/en+1 refused; t0k/en+1 again; as sent: t0k%%2Fen%%2B1");
    cdr_error_redact(&err, "t0k/en+1");
    assert_string_equal(err.message,
                        "token <redacted> refused; <redacted> again; as sent: <redacted>");
    assert_int_equal(err.code, CDR_ERR_AUTH);

    cdr_error_set_vendor(&err, CDR_ERR_VENDOR, 400, "secret-code", "nothing here");
    cdr_error_redact(&err, "secret");
    assert_string_equal(err.vendor_code, "<redacted>-code");
    assert_string_equal(err.message, "nothing here");
    assert_int_equal(err.http_status, 400);

    /* Nothing to mask: unchanged, and an empty or absent secret masks nothing. */
    cdr_error_redact(&err, "");
    cdr_error_redact(&err, NULL);
    cdr_error_redact(NULL, "x");
    assert_string_equal(err.message, "nothing here");

    /* A short secret only as a word: not inside others. */
    cdr_error_set(&err, CDR_ERR_RATE_LIMITED, "Too Many Attempts: t=t, t");
    cdr_error_redact(&err, "t");
    assert_string_equal(err.message, "Too Many Attempts: <redacted>=<redacted>, <redacted>");

    /* A message cut by its buffer inside the secret loses the secret's start too. */
    char text[sizeof(err.message) + 16];
    memset(text, 'a', sizeof(text));
    const char *secret = "SUPERSECRETVALUE";
    memcpy(text + sizeof(err.message) - 6, secret, strlen(secret));
    text[sizeof(text) - 1] = '\0';
    cdr_error_set(&err, CDR_ERR_VENDOR, "%s", text);
    assert_int_equal(strlen(err.message), sizeof(err.message) - 1);
    assert_non_null(strstr(err.message, "SUPER"));
    cdr_error_redact(&err, secret);
    assert_null(strstr(err.message, "SUPER"));
    /* 506 'a's, then the 5 characters the cut left of the secret, masked as far as they go. */
    char want[sizeof(err.message)];
    memset(want, 'a', sizeof(err.message) - 6);
    memcpy(want + sizeof(err.message) - 6, "<reda", 6);
    assert_string_equal(err.message, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_userinfo),
        cmocka_unit_test(test_signing_parameters),
        cmocka_unit_test(test_vendor_secret_names),
        cmocka_unit_test(test_error_redact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
