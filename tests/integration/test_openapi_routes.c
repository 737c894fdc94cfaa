/* The OpenAPI documents against the mock: every method and path a vendor's routing serves (its
 * route_list, read from the tables the routing uses) and every admin route (mock_admin_routes,
 * the table the admin dispatch uses) is an operation of docs/openapi/<vendor>.json or
 * admin.json, and every operation there is a route the mock serves. Then the running mock
 * serves those same files at /__cdrsim/openapi/<name>.json, and nothing else from there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "admin.h"
#include "testutil.h"
#include "vendor.h"

#define MAX_ROUTES 128

/* A route as "METHOD /path/{}" (parameter names dropped: the documents may name them better). */
struct route_set {
    char *items[MAX_ROUTES];
    size_t count;
};

static char *route_key(const char *method, const char *path)
{
    char *key = test_format("%s %s", method, path);
    char *out = key;
    for (const char *p = key; *p; p++) {
        *out++ = *p;
        if (*p == '{')
            while (p[1] && p[1] != '}')
                p++;
    }
    *out = '\0';
    for (char *m = key; *m && *m != ' '; m++)
        *m = (char)(*m >= 'a' && *m <= 'z' ? *m - 'a' + 'A' : *m);
    return key;
}

static void route_add(void *ctx, const char *method, const char *path)
{
    struct route_set *set = ctx;
    assert_true(set->count < MAX_ROUTES);
    set->items[set->count++] = route_key(method, path);
}

static bool route_has(const struct route_set *set, const char *key)
{
    for (size_t i = 0; i < set->count; i++)
        if (strcmp(set->items[i], key) == 0)
            return true;
    return false;
}

static void route_set_free(struct route_set *set)
{
    for (size_t i = 0; i < set->count; i++)
        free(set->items[i]);
    set->count = 0;
}

static cJSON *document(const char *name)
{
    char *path = test_format("%s/docs/openapi/%s.json", CDRSIM_SOURCE_DIR, name);
    cJSON *doc = test_load_json(path);
    free(path);
    assert_non_null(cJSON_GetObjectItemCaseSensitive(doc, "paths"));
    return doc;
}

static const char *const http_methods[] = {"get", "put", "post", "delete", "head", "patch"};

/* Every operation of a document, as route keys. */
static void operations(const cJSON *doc, struct route_set *out)
{
    const cJSON *path;
    cJSON_ArrayForEach(path, cJSON_GetObjectItemCaseSensitive(doc, "paths")) {
        for (size_t i = 0; i < sizeof(http_methods) / sizeof(http_methods[0]); i++)
            if (cJSON_HasObjectItem(path, http_methods[i]))
                route_add(out, http_methods[i], path->string);
    }
}

/* Every route the mock serves: the vendors' (admin ones included) and the admin table's. */
static void served_routes(struct route_set *vendor_routes, struct route_set *admin_routes)
{
    for (size_t v = 0; mock_vendors[v]; v++) {
        struct route_set mine = {0};
        assert_non_null(mock_vendors[v]->route_list);
        mock_vendors[v]->route_list(route_add, &mine);
        assert_true(mine.count > 0);
        for (size_t i = 0; i < mine.count; i++) {
            struct route_set *to =
                strstr(mine.items[i], " /__cdrsim/") ? admin_routes : &vendor_routes[v];
            assert_true(to->count < MAX_ROUTES);
            to->items[to->count++] = mine.items[i];
        }
    }
    for (const struct mock_admin_route *r = mock_admin_routes; r->path; r++) {
        char *path = test_format("/__cdrsim/%s", r->path);
        for (const char *m = r->methods; *m; m += strcspn(m, " "), m += *m == ' ') {
            char *method = test_format("%.*s", (int)strcspn(m, " "), m);
            route_add(admin_routes, method, path);
            free(method);
        }
        free(path);
    }
}

/* Each of want is in got; fails naming the first missing one and where it was looked for. */
static void assert_covered(const struct route_set *want, const struct route_set *got,
                           const char *want_what, const char *got_what)
{
    for (size_t i = 0; i < want->count; i++)
        if (!route_has(got, want->items[i]))
            fail_msg("%s \"%s\" is not in %s", want_what, want->items[i], got_what);
}

static void test_every_served_route_is_documented_and_back(void **state)
{
    (void)state;
    size_t vendor_count = 0;
    while (mock_vendors[vendor_count])
        vendor_count++;
    struct route_set *vendor_routes = calloc(vendor_count, sizeof(*vendor_routes));
    struct route_set admin_routes = {0};
    assert_non_null(vendor_routes);
    served_routes(vendor_routes, &admin_routes);
    for (size_t v = 0; v < vendor_count; v++) {
        cJSON *doc = document(mock_vendors[v]->id);
        struct route_set documented = {0};
        operations(doc, &documented);
        char *where = test_format("docs/openapi/%s.json", mock_vendors[v]->id);
        assert_covered(&vendor_routes[v], &documented, "the mock's route", where);
        assert_covered(&documented, &vendor_routes[v], "the documented operation",
                       "the vendor's route_list");
        free(where);
        route_set_free(&documented);
        route_set_free(&vendor_routes[v]);
        cJSON_Delete(doc);
    }
    cJSON *admin = document("admin");
    struct route_set documented = {0};
    operations(admin, &documented);
    assert_covered(&admin_routes, &documented, "the mock's admin route", "docs/openapi/admin.json");
    assert_covered(&documented, &admin_routes, "the documented operation",
                   "mock_admin_routes or a vendor's admin routes");
    route_set_free(&documented);
    route_set_free(&admin_routes);
    cJSON_Delete(admin);
    free(vendor_routes);
}

/* The comparison can fail: a route no document has is reported missing. */
static void test_an_undocumented_route_is_found(void **state)
{
    (void)state;
    cJSON *doc = document("itnio");
    struct route_set documented = {0};
    operations(doc, &documented);
    char *known = route_key("post", "/v3/cc/record/query");
    char *unknown = route_key("PATCH", "/v3/cc/record/query");
    char *renamed = route_key("GET", "/voice/recording-file/{key}/{name}");
    assert_true(route_has(&documented, known));
    assert_true(route_has(&documented, renamed)); /* parameter names do not matter */
    assert_false(route_has(&documented, unknown));
    free(known);
    free(unknown);
    free(renamed);
    route_set_free(&documented);
    cJSON_Delete(doc);
}

static void test_the_mock_serves_the_documents(void **state)
{
    struct mock_process *p = *state;
    const char *args[] = {"--log-format", "off", NULL};
    mock_process_start(p, args);
    const char *names[] = {"admin", "itnio", "yunfu", "huawei", "aliyun"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char *url = test_format("%s/__cdrsim/openapi/%s.json", p->base_url, names[i]);
        char *file = test_format("%s/docs/openapi/%s.json", CDRSIM_SOURCE_DIR, names[i]);
        size_t len = 0;
        char *want = test_read_file(file, &len);
        struct test_http_reply r = test_http("GET", url, NULL, NULL, 0);
        assert_int_equal(r.status, 200);
        assert_string_equal(r.content_type, "application/json");
        assert_int_equal(r.len, len);
        assert_string_equal(r.body, want);
        test_http_reply_free(&r);
        free(want);
        free(file);
        free(url);
    }
    /* Only the documents' names: no other file, no way out of the directory. */
    const char *refused[] = {"nosuch.json", "itnio", "..%2Fitnio.json", "itnio.json.bak",
                             "README.md"};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        char *url = test_format("%s/__cdrsim/openapi/%s", p->base_url, refused[i]);
        struct test_http_reply r = test_http("GET", url, NULL, NULL, 0);
        assert_int_equal(r.status, 404);
        test_http_reply_free(&r);
        free(url);
    }
    char *url = test_format("%s/__cdrsim/openapi/itnio.json", p->base_url);
    const char *json[] = {"Content-Type: application/json", NULL};
    struct test_http_reply r = test_http("PUT", url, json, "{}", 2);
    assert_int_equal(r.status, 405);
    assert_string_equal(json_str_at(r.json, "error"), "use GET");
    test_http_reply_free(&r);
    free(url);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_served_route_is_documented_and_back),
        cmocka_unit_test(test_an_undocumented_route_is_found),
        cmocka_unit_test_setup_teardown(test_the_mock_serves_the_documents, mock_process_setup,
                                        mock_process_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
