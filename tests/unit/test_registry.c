/* The vendor registries agree: every vendor libcdrsim describes has a conformance driver, a
 * suite, a response schema and fixtures, and every registry lists the same vendors. A registry
 * elsewhere (the mock's) joins by passing its ids to expect_registry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "cdrsim/vendor.h"
#include "cli.h"
#include "conform.h"
#include "testutil.h"
#include "vendor.h" /* the mock's vendor table */

#define MAX_IDS 32

static bool listed(const char *const *ids, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0)
            return true;
    return false;
}

static bool is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Whether the driver takes a named call. */
static bool drives(const struct conform_driver *d, const char *call)
{
    for (const char *const *c = d->calls; c && *c; c++)
        if (strcmp(*c, call) == 0)
            return true;
    return false;
}

/* Writes why into why and returns false. */
static bool disagree(char *why, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool disagree(char *why, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
    return false;
}

/* Everything the repository holds for one vendor beside its folders; false and why when some of
 * it is missing. */
static bool complete(const char *id, char *why, size_t len)
{
    const struct cdr_vendor *v = cdr_vendor_find(id);
    if (!v)
        return disagree(why, len, "%s: no client descriptor (client/vendors/registry.c)", id);
    const struct conform_driver *d = conform_driver_find(id);
    if (!d)
        return disagree(why, len, "%s: no conformance driver (conformance/drivers/registry.c)", id);
    /* Conformance reaches every call the library has. */
    if (cdr_vendor_has_call(v, "page") && !d->page)
        return disagree(why, len, "%s: the driver has no page, the library has", id);
    if (cdr_vendor_has_call(v, "fetch_all") && !d->all)
        return disagree(why, len, "%s: the driver has no all, the library has fetch_all", id);
    for (size_t i = 0; i < v->call_count; i++)
        if (!drives(d, v->calls[i].name))
            return disagree(why, len, "%s: the driver does not take the call %s", id,
                            v->calls[i].name);
    char path[512], err[512];
    snprintf(path, sizeof(path), "%s/conformance/suites/%s.json", CDRSIM_SOURCE_DIR, id);
    struct conform_suite suite;
    if (!conform_suite_load(&suite, path, err, sizeof(err)))
        return disagree(why, len, "%s: suite: %s", id, err);
    bool own = strcmp(suite.vendor, id) == 0 && suite.scenario_count > 0;
    conform_suite_free(&suite);
    if (!own)
        return disagree(why, len, "%s: %s is another vendor's suite, or empty", id, path);
    snprintf(path, sizeof(path), "%s/%s/schema.json", FIXTURES_DIR, id);
    struct conform_schema schema;
    if (!conform_schema_load(&schema, path, err, sizeof(err)))
        return disagree(why, len, "%s: schema: %s", id, err);
    conform_schema_free(&schema);
    snprintf(path, sizeof(path), "%s/%s", FIXTURES_DIR, id);
    if (!is_directory(path))
        return disagree(why, len, "%s: no fixtures folder %s", id, path);
    return true;
}

/* The ids of libcdrsim's registry, in its order. */
static size_t client_ids(const char *ids[MAX_IDS])
{
    size_t n = 0;
    for (const struct cdr_vendor *const *v = cdr_vendors(); *v; v++) {
        assert_in_range(n, 0, MAX_IDS - 1);
        ids[n++] = (*v)->id;
    }
    return n;
}

/* Whether a registry (named for the message) lists exactly libcdrsim's vendors, each complete. */
static bool registry_agrees(const char *registry, const char *const *ids, size_t n, char *why,
                            size_t len)
{
    const char *client[MAX_IDS];
    size_t nclient = client_ids(client);
    for (size_t i = 0; i < n; i++) {
        if (!listed(client, nclient, ids[i]))
            return disagree(why, len, "%s lists %s, which libcdrsim does not describe", registry,
                            ids[i]);
        if (listed(ids, i, ids[i]))
            return disagree(why, len, "%s lists %s twice", registry, ids[i]);
        if (!complete(ids[i], why, len))
            return false;
    }
    for (size_t i = 0; i < nclient; i++)
        if (!listed(ids, n, client[i]))
            return disagree(why, len, "%s lacks %s, which libcdrsim describes", registry,
                            client[i]);
    return true;
}

/* The test's form: another registry (the mock's) is checked with one call of this. */
static void expect_registry(const char *registry, const char *const *ids, size_t n)
{
    char why[1024];
    if (!registry_agrees(registry, ids, n, why, sizeof(why)))
        fail_msg("%s", why);
}

static void test_client_registry(void **state)
{
    (void)state;
    const char *ids[MAX_IDS];
    size_t n = client_ids(ids);
    assert_in_range(n, 4, MAX_IDS);
    expect_registry("client/vendors/registry.c", ids, n);
}

static void test_conformance_registry(void **state)
{
    (void)state;
    const char *ids[MAX_IDS];
    size_t n = 0;
    for (const struct conform_driver *const *d = conform_drivers; *d; d++) {
        assert_in_range(n, 0, MAX_IDS - 1);
        ids[n++] = (*d)->vendor;
    }
    expect_registry("conformance/drivers/registry.c", ids, n);
}

/* Every simulated vendor has a client descriptor, a driver, a suite, a schema and fixtures. */
static void test_mock_registry(void **state)
{
    (void)state;
    const char *ids[MAX_IDS];
    size_t n = 0;
    for (const struct mock_vendor_sim *const *v = mock_vendors; *v; v++) {
        assert_in_range(n, 0, MAX_IDS - 1);
        ids[n++] = (*v)->id;
    }
    expect_registry("mockserver/vendors/registry.c", ids, n);
}

/* cdrsim-client serves every vendor from its descriptor; its own table only adds what a vendor
 * has alone, so it may list fewer, but nothing libcdrsim does not describe, and each entry adds
 * something. */
static void test_cli_registry(void **state)
{
    (void)state;
    const char *client[MAX_IDS];
    size_t nclient = client_ids(client);
    for (const struct cli_vendor *const *v = cli_vendors; *v; v++) {
        if (!listed(client, nclient, (*v)->id))
            fail_msg("client/cli/vendors.c lists %s, which libcdrsim does not describe", (*v)->id);
        assert_ptr_equal(cli_vendor_find((*v)->id), *v);
        if (!(*v)->sign && !(*v)->options && !(*v)->fetch && !(*v)->parse)
            fail_msg("client/cli/vendors.c lists %s with nothing of its own", (*v)->id);
    }
    /* The generated commands: every vendor parses, and fetches unless a vendor of its own does. */
    for (size_t i = 0; i < nclient; i++) {
        const struct cdr_vendor *v = cdr_vendor_find(client[i]);
        const struct cli_vendor *own = cli_vendor_find(client[i]);
        if (!cdr_vendor_has_call(v, "parse") && !(own && own->parse))
            fail_msg("cdrsim-client cannot parse %s", client[i]);
        if (!cdr_vendor_has_call(v, "fetch_all") && !(own && own->fetch))
            fail_msg("cdrsim-client cannot fetch %s", client[i]);
    }
}

/* The check notices registries that disagree, naming what is wrong. */
static void test_disagreement_is_named(void **state)
{
    (void)state;
    const char *ids[MAX_IDS];
    size_t n = client_ids(ids);
    char why[1024];
    assert_false(registry_agrees("short", ids, n - 1, why, sizeof(why)));
    char *want = test_format("short lacks %s, which libcdrsim describes", ids[n - 1]);
    assert_string_equal(why, want);
    free(want);
    const char *extra[MAX_IDS + 1];
    memcpy(extra, ids, n * sizeof(*ids));
    extra[n] = "fifth";
    assert_false(registry_agrees("long", extra, n + 1, why, sizeof(why)));
    assert_string_equal(why, "long lists fifth, which libcdrsim does not describe");
    extra[n] = ids[0];
    assert_false(registry_agrees("twice", extra, n + 1, why, sizeof(why)));
    want = test_format("twice lists %s twice", ids[0]);
    assert_string_equal(why, want);
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_registry),       cmocka_unit_test(test_conformance_registry),
        cmocka_unit_test(test_mock_registry),         cmocka_unit_test(test_cli_registry),
        cmocka_unit_test(test_disagreement_is_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
