/* Response drift (mockserver/drift.h): each operation, arrays, malformed specs, non-JSON bodies,
 * and the --variant VENDOR.drift wiring through the server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "drift.h"
#include "server.h"
#include "testutil.h"

static char *apply(const char *spec, const char *body, const char *content_type)
{
    char err[256];
    struct mock_drift *d = mock_drift_parse(spec, err, sizeof(err));
    if (!d)
        fail_msg("%s: %s", spec, err);
    struct mock_response resp;
    mock_response_init(&resp);
    assert_true(mock_response_set_body(&resp, 200, content_type, body, strlen(body)));
    mock_drift_apply(d, &resp);
    char *out = strdup(resp.body);
    mock_response_free(&resp);
    mock_drift_free(d);
    return out;
}

static void expect(const char *spec, const char *body, const char *want)
{
    char *got = apply(spec, body, "application/json");
    assert_string_equal(got, want);
    free(got);
}

static void test_each_operation(void **state)
{
    (void)state;
    const char *doc = "{\"data\":{\"total\":2,\"records\":[{\"a\":1,\"b\":true},{\"a\":2}]}}";
    expect("rename:data.records[].a>alpha", doc,
           "{\"data\":{\"total\":2,\"records\":[{\"b\":true,\"alpha\":1},{\"alpha\":2}]}}");
    expect("stringify:data.records[].a;stringify:data.records[].b", doc,
           "{\"data\":{\"total\":2,\"records\":[{\"a\":\"1\",\"b\":\"true\"},{\"a\":\"2\"}]}}");
    expect("add:data.records[].c=[1,null]", doc,
           "{\"data\":{\"total\":2,\"records\":[{\"a\":1,\"b\":true,\"c\":[1,null]},{\"a\":2,\"c\":"
           "[1,null]}]}}");
    expect("drop:data.records[].b", doc,
           "{\"data\":{\"total\":2,\"records\":[{\"a\":1},{\"a\":2}]}}");
    expect("set:data.total=99", doc,
           "{\"data\":{\"total\":99,\"records\":[{\"a\":1,\"b\":true},{\"a\":2}]}}");
    /* Paths that do not exist change nothing; add does not overwrite; a top-level array walks. */
    expect("drop:data.nothing.here;set:data.missing=1;add:data.total=5", doc, doc);
    expect("stringify:data[].n", "{\"data\":[{\"n\":1.5},{\"n\":-2}]}",
           "{\"data\":[{\"n\":\"1.5\"},{\"n\":\"-2\"}]}");
}

static void test_non_json_untouched(void **state)
{
    (void)state;
    char *got =
        apply("set:Data.TotalCount=1", "<Data><TotalCount>3</TotalCount></Data>", "text/xml");
    assert_string_equal(got, "<Data><TotalCount>3</TotalCount></Data>");
    free(got);
    got = apply("set:a=1", "not json {", "application/json");
    assert_string_equal(got, "not json {");
    free(got);
}

static void test_malformed_specs(void **state)
{
    (void)state;
    const char *bad[] = {
        "",      ";",         "rename:a",  "rename:a>",   "add:a", "set:a=not-json",
        "drop:", "drop:a..b", "explode:a", "stringify:.a"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char err[256] = "";
        struct mock_drift *d = mock_drift_parse(bad[i], err, sizeof(err));
        if (d)
            fail_msg("accepted '%s'", bad[i]);
        assert_true(err[0] != '\0');
    }
}

/* Through the server: the variant is offered for every vendor and checked at start-up. */
static void test_variant_wiring(void **state)
{
    (void)state;
    struct mock_config cfg;
    mock_config_init(&cfg);
    cfg.data_dir = strdup(FIXTURES_DIR);
    cfg.log_format = MOCK_LOG_OFF;
    assert_true(mock_config_add_variant(&cfg, "itnio.drift=explode:x"));
    char err[512] = "";
    struct mock_server *s = mock_server_new(&cfg, err, sizeof(err));
    assert_null(s);
    assert_non_null(strstr(err, "itnio.drift"));
    mock_config_free(&cfg);

    struct test_mock m;
    const char *variants[] = {"itnio.drift=set:data.total=12345;drop:reason", NULL};
    test_mock_start(&m, FIXTURES_DIR, 1746057600000LL, variants);
    struct test_reply r = test_mock_call(&m, "GET", "/__cdrsim/health", NULL, NULL, 0);
    assert_string_equal(json_str_at(r.json, "vendors.0.variants.drift"),
                        "set:data.total=12345;drop:reason");
    test_reply_free(&r);
    /* Errors are answers too: an unsigned query loses its "reason". */
    r = test_mock_call(&m, "POST", "/v3/cc/record/query", NULL, "{}", 2);
    assert_string_equal(r.body, "{\"status\":-1,\"data\":null}");
    test_reply_free(&r);
    test_mock_stop(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_operation),
        cmocka_unit_test(test_non_json_untouched),
        cmocka_unit_test(test_malformed_specs),
        cmocka_unit_test(test_variant_wiring),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
