/* cdrsim-conform's parts that need no server: suite parsing, drift against a documented schema,
 * ${from}/${to} arguments, step expectations, and the text, JUnit and JSON reports.
 * JSON inside C strings is written with ' for " (see q()) so that it stays readable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdrsim/buf.h"
#include "cdrsim/cdrsim.h"
#include "conform.h"
#include "expect.h"
#include "runner.h"
#include "testutil.h"

/* ---- helpers --------------------------------------------------------------------------------- */

static char tmpdir[] = "/tmp/cdrsim-conform-unit-XXXXXX";
static char *written[64];
static size_t written_count;

static int make_tmpdir(void **state)
{
    (void)state;
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    (void)state;
    for (size_t i = 0; i < written_count; i++) {
        unlink(written[i]);
        free(written[i]);
    }
    written_count = 0;
    rmdir(tmpdir);
    return 0;
}

/* JSON with ' for " (testutil). */
#define q test_dq
#define parse_q test_parse_dq

/* Writes text into the test's directory; the path lives until the group ends. */
static const char *write_temp(const char *name, const char *text)
{
    assert_true(written_count < sizeof(written) / sizeof(written[0]));
    char *path = test_format("%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
    written[written_count++] = path;
    return path;
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    struct cdr_buf b;
    cdr_buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        cdr_buf_append(&b, chunk, n);
    fclose(f);
    return cdr_buf_steal(&b);
}

static size_t occurrences(const char *haystack, const char *needle)
{
    size_t n = 0;
    for (const char *p = haystack; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* ---- suites ---------------------------------------------------------------------------------- */

static void test_suite_valid(void **state)
{
    (void)state;
    char *text = q(
        "{'vendor':'itnio','description':'x',"
        " 'mock':{'clock':'2025-05-01T00:00:00Z','from':'2025-01-01 00:00:00'},"
        " 'scenarios':["
        "  {'id':'auth-ok','description':'signed queries pass','tags':['live-safe','slow'],"
        "   'steps':[{'call':'page','size':10,'expect':{'error':'ok','http_status':200}},"
        "            {'check':'pagination','size':7,'fault':{'clock_offset':-60,'unchecked':true,"
        "             'wrong_secret':false,'reuse_nonce':false,'signature':'v2'}},"
        "            {'admin':'/admin/clock','method':'POST','body':{},'status':200,'finally':true,"
        "             'note':'put the clock back'}]},"
        "  {'id':'no-tags','description':'',"
        "   'steps':[{'call':'groups','args':{'from':'${to}-93d'}},"
        "            {'check':'normalize','source':'groups','min_records':0},"
        "            {'check':'filter','filter':{},'where':{},'min_matches':3}]},"
        "  {'id':'own-mock','description':'throttled','tags':['mock-only'],"
        "   'mock':{'args':['--variant','itnio.throttle=5']},'steps':[{'call':'page'}]}]}");
    const char *path = write_temp("valid.json", text);
    free(text);
    struct conform_suite suite;
    char err[512] = "";
    if (!conform_suite_load(&suite, path, err, sizeof(err)))
        fail_msg("%s", err);
    assert_string_equal(suite.vendor, "itnio");
    assert_string_equal(suite.path, path);
    assert_string_equal(json_str_at(suite.mock, "clock"), "2025-05-01T00:00:00Z");
    assert_int_equal(suite.scenario_count, 3);

    const struct conform_scenario *a = &suite.scenarios[0], *b = &suite.scenarios[1];
    assert_string_equal(a->id, "auth-ok");
    assert_string_equal(a->description, "signed queries pass");
    assert_int_equal(a->tag_count, 2);
    assert_string_equal(a->tags[0], "live-safe");
    assert_string_equal(a->tags[1], "slow");
    assert_true(conform_scenario_has_tag(a, "live-safe"));
    assert_true(conform_scenario_has_tag(a, "slow"));
    assert_false(conform_scenario_has_tag(a, "mock-only"));
    assert_false(conform_scenario_has_tag(a, "live"));
    assert_int_equal(cJSON_GetArraySize(a->steps), 3);
    assert_string_equal(json_str_at(a->steps, "0.call"), "page");
    assert_int_equal(json_int_at(a->steps, "0.size"), 10);
    assert_int_equal(json_int_at(a->steps, "0.expect.http_status"), 200);
    assert_string_equal(json_str_at(a->steps, "1.check"), "pagination");
    assert_int_equal(json_int_at(a->steps, "1.fault.clock_offset"), -60);
    assert_string_equal(json_str_at(a->steps, "2.admin"), "/admin/clock");
    assert_true(cJSON_IsTrue(json_at(a->steps, "2.finally")));

    assert_string_equal(b->id, "no-tags");
    assert_string_equal(b->description, "");
    assert_int_equal(b->tag_count, 0);
    assert_false(conform_scenario_has_tag(b, "live-safe"));
    assert_int_equal(cJSON_GetArraySize(b->steps), 3);
    assert_string_equal(json_str_at(b->steps, "0.args.from"), "${to}-93d");
    /* Only a scenario that asks for a mock of its own has mock arguments. */
    assert_null(a->mock_args);
    assert_null(b->mock_args);
    const struct conform_scenario *c = &suite.scenarios[2];
    assert_int_equal(cJSON_GetArraySize(c->mock_args), 2);
    assert_string_equal(json_str_at(c->mock_args, "1"), "itnio.throttle=5");
    /* The keys the checks read are the loader's too. */
    assert_string_equal(json_str_at(b->steps, "1.source"), "groups");
    assert_int_equal(json_int_at(b->steps, "1.min_records"), 0);
    assert_int_equal(json_int_at(b->steps, "2.min_matches"), 3);
    conform_suite_free(&suite);
    assert_null(suite.scenarios);
    assert_null(suite.doc);
}

/* The load fails, its message names the file and contains every needle (' for "), and the suite
 * is left empty. */
static void expect_rejected(const char *name, const char *text, const char *const *needles)
{
    char *body = q(text);
    const char *path = write_temp(name, body);
    free(body);
    struct conform_suite suite;
    char err[512] = "";
    if (conform_suite_load(&suite, path, err, sizeof(err))) {
        conform_suite_free(&suite);
        fail_msg("%s: accepted", name);
    }
    if (!strstr(err, path))
        fail_msg("%s: \"%s\" does not name the file", name, err);
    for (size_t i = 0; needles[i]; i++) {
        char *needle = q(needles[i]);
        if (!strstr(err, needle))
            fail_msg("%s: \"%s\" does not say \"%s\"", name, err, needle);
        free(needle);
    }
    assert_null(suite.doc);
    assert_null(suite.scenarios);
    assert_null(suite.vendor);
    assert_int_equal(suite.scenario_count, 0);
}

#define MOCK "'mock':{'clock':'2025-05-01T00:00:00Z'}"
#define OK_SCENARIO "{'id':'ok','description':'d','steps':[{'call':'page'}]}"
/* A suite whose second scenario has the given steps. */
#define WITH_STEPS(steps)                                                                          \
    "{'vendor':'itnio'," MOCK ",'scenarios':[" OK_SCENARIO                                         \
    ",{'id':'s2','description':'d','steps':" steps "}]}"

static void test_suite_malformed(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        const char *text;
        const char *needles[4];
    } cases[] = {
        {"not-json.json", "{'vendor':'itnio',", {"is not a JSON object"}},
        {"array.json", "[" OK_SCENARIO "]", {"is not a JSON object"}},
        {"no-vendor.json", "{" MOCK ",'scenarios':[" OK_SCENARIO "]}", {"needs 'vendor'"}},
        {"vendor-number.json",
         "{'vendor':7," MOCK ",'scenarios':[" OK_SCENARIO "]}",
         {"needs 'vendor'"}},
        {"no-mock.json", "{'vendor':'itnio','scenarios':[" OK_SCENARIO "]}", {"a 'mock' object"}},
        {"mock-string.json",
         "{'vendor':'itnio','mock':'yes','scenarios':[" OK_SCENARIO "]}",
         {"a 'mock' object"}},
        {"no-scenarios.json", "{'vendor':'itnio'," MOCK "}", {"a 'scenarios' array"}},
        {"scenarios-object.json",
         "{'vendor':'itnio'," MOCK ",'scenarios':{}}",
         {"a 'scenarios' array"}},
        {"no-id.json",
         "{'vendor':'itnio'," MOCK ",'scenarios':[" OK_SCENARIO
         ",{'description':'d','steps':[{'call':'page'}]}]}",
         {"scenario 2 needs a string 'id' and 'description'"}},
        {"empty-id.json",
         "{'vendor':'itnio'," MOCK
         ",'scenarios':[{'id':'','description':'d','steps':[{'call':'page'}]}]}",
         {"scenario 1 needs a string 'id'"}},
        {"no-description.json",
         "{'vendor':'itnio'," MOCK ",'scenarios':[{'id':'x','steps':[{'call':'page'}]}]}",
         {"scenario 1 needs a string 'id' and 'description'"}},
        {"empty-steps.json", WITH_STEPS("[]"), {"scenario s2 needs a non-empty 'steps' array"}},
        {"steps-object.json",
         WITH_STEPS("{'call':'page'}"),
         {"scenario s2 needs a non-empty 'steps' array"}},
        {"no-steps.json",
         "{'vendor':'itnio'," MOCK ",'scenarios':[{'id':'x','description':'d'}]}",
         {"scenario x needs a non-empty 'steps' array"}},
        {"duplicate.json",
         "{'vendor':'itnio'," MOCK ",'scenarios':[" OK_SCENARIO "," OK_SCENARIO "]}",
         {"scenario id ok appears twice"}},
        {"two-kinds.json",
         WITH_STEPS("[{'call':'page'},{'call':'page','check':'pagination'}]"),
         {"scenario s2, step 2:", "exactly one of 'call', 'check', 'admin', 'listen' or 'push'"}},
        {"listen-not-object.json",
         WITH_STEPS("[{'listen':1}]"),
         {"scenario s2, step 1:", "'listen' must be an object"}},
        {"pulled-without-push.json",
         WITH_STEPS("[{'call':'all','pulled':{}}]"),
         {"scenario s2, step 1:", "'pulled' belongs to a 'push' step"}},
        {"listen-and-push.json",
         WITH_STEPS("[{'listen':{},'push':{}}]"),
         {"scenario s2, step 1:", "exactly one of"}},
        {"call-and-admin.json",
         WITH_STEPS("[{'admin':'/admin/x','call':'page'}]"),
         {"scenario s2, step 1:", "exactly one of"}},
        {"no-kind.json", WITH_STEPS("[{'args':{}}]"), {"scenario s2, step 1:", "exactly one of"}},
        {"journal-key.json",
         WITH_STEPS("[{'call':'page','journal':{'every':{'auth':true}}}]"),
         {"scenario s2, step 1:", "journal 'every': unknown key 'auth'"}},
        {"journal-span.json",
         WITH_STEPS("[{'call':'all','journal':{'every':{'span':{'from':'startTime','to':'x'}}}}]"),
         {"'span' needs 'from' and 'to', each 'body.<path>'"}},
        {"journal-array.json",
         WITH_STEPS("[{'call':'page','journal':[]}]"),
         {"journal expectation must be an object"}},
        {"client-key.json",
         WITH_STEPS("[{'call':'page','client':{'timeout':5}}]"),
         {"'client' takes 'timeout_ms' (1..600000) and 'max_retries' (0..10), got 'timeout'"}},
        {"client-range.json",
         WITH_STEPS("[{'call':'page','client':{'max_retries':11}}]"),
         {"got 'max_retries'"}},
        {"keep-check.json",
         WITH_STEPS("[{'check':'pagination','keep':'x'}]"),
         {"'keep' names the ids a call step keeps"}},
        {"unknown-key.json",
         WITH_STEPS("[{'call':'page','expct':{}}]"),
         {"scenario s2, step 1:", "unknown step key 'expct'"}},
        {"unknown-fault.json",
         WITH_STEPS("[{'call':'page'},{'call':'page','fault':{'wrong_secrets':true}}]"),
         {"scenario s2, step 2:", "unknown fault 'wrong_secrets'"}},
        {"tags-numbers.json",
         "{'vendor':'itnio'," MOCK ",'scenarios':[{'id':'t','description':'d',"
         "'tags':['live-safe',1],'steps':[{'call':'page'}]}]}",
         {"scenario t: tags must be strings"}},
        {"tags-string.json",
         "{'vendor':'itnio'," MOCK ",'scenarios':[{'id':'t','description':'d',"
         "'tags':'live-safe','steps':[{'call':'page'}]}]}",
         {"scenario t: 'tags' must be an array of strings"}},
        {"expect-array.json",
         WITH_STEPS("[{'call':'page','expect':[]}]"),
         {"scenario s2, step 1:", "'expect'", "must be objects"}},
        {"args-string.json",
         WITH_STEPS("[{'call':'page','args':'from'}]"),
         {"scenario s2, step 1:", "must be objects"}},
        {"fault-true.json",
         WITH_STEPS("[{'call':'page','fault':true}]"),
         {"scenario s2, step 1:", "must be objects"}},
        {"call-number.json",
         WITH_STEPS("[{'call':1}]"),
         {"scenario s2, step 1:", "'call' must be a string"}},
        {"step-string.json",
         WITH_STEPS("['page']"),
         {"scenario s2, step 1:", "a step must be an object"}},
        {"own-mock-live-safe.json",
         "{'vendor':'itnio'," MOCK ",'scenarios':[{'id':'m','description':'d','tags':['live-safe'],"
         "'mock':{'args':['--variant','itnio.throttle=5']},'steps':[{'call':'page'}]}]}",
         {"scenario m has a mock of its own, so it must be tagged mock-only"}},
        {"own-mock-args-string.json",
         "{'vendor':'itnio'," MOCK ",'scenarios':[{'id':'m','description':'d','tags':['mock-only'],"
         "'mock':{'args':'--variant'},'steps':[{'call':'page'}]}]}",
         {"scenario m: 'mock' must be {'args': [strings]}"}},
        {"own-mock-args-number.json",
         "{'vendor':'itnio'," MOCK ",'scenarios':[{'id':'m','description':'d','tags':['mock-only'],"
         "'mock':{'args':['--port',0]},'steps':[{'call':'page'}]}]}",
         {"scenario m: 'mock' must be {'args': [strings]}"}},
        {"own-mock-clock.json",
         "{'vendor':'itnio'," MOCK ",'scenarios':[{'id':'m','description':'d','tags':['mock-only'],"
         "'mock':{'args':[],'clock':'2025-05-01T00:00:00Z'},'steps':[{'call':'page'}]}]}",
         {"scenario m: 'mock' must be {'args': [strings]}"}},
        {"own-mock-array.json",
         "{'vendor':'itnio'," MOCK ",'scenarios':[{'id':'m','description':'d','tags':['mock-only'],"
         "'mock':['--variant'],'steps':[{'call':'page'}]}]}",
         {"scenario m: 'mock' must be {'args': [strings]}"}},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        expect_rejected(cases[i].name, cases[i].text, cases[i].needles);

    struct conform_suite suite;
    char err[512] = "";
    char *missing = test_format("%s/does-not-exist.json", tmpdir);
    assert_false(conform_suite_load(&suite, missing, err, sizeof(err)));
    assert_non_null(strstr(err, "cannot read suite"));
    assert_non_null(strstr(err, missing));
    free(missing);
}

/* A shipped suite loads, tags every scenario live-safe or mock-only (never both), describes each,
 * and its first scenario is a successful paged call. */
static void check_shipped_suite(const char *vendor, const char *first_id, size_t at_least)
{
    struct conform_suite suite;
    char err[512] = "";
    char *path = test_format("%s/conformance/suites/%s.json", CDRSIM_SOURCE_DIR, vendor);
    if (!conform_suite_load(&suite, path, err, sizeof(err)))
        fail_msg("%s", err);
    free(path);
    assert_string_equal(suite.vendor, vendor);
    assert_true(cJSON_IsObject(json_at(suite.mock, "credentials")));
    assert_true(suite.scenario_count >= at_least);
    for (size_t i = 0; i < suite.scenario_count; i++) {
        const struct conform_scenario *sc = &suite.scenarios[i];
        if (!conform_scenario_has_tag(sc, "live-safe") &&
            !conform_scenario_has_tag(sc, "mock-only"))
            fail_msg("scenario %s is neither live-safe nor mock-only", sc->id);
        if (conform_scenario_has_tag(sc, "live-safe") && conform_scenario_has_tag(sc, "mock-only"))
            fail_msg("scenario %s is both live-safe and mock-only", sc->id);
        assert_string_not_equal(sc->description, "");
    }
    assert_string_equal(suite.scenarios[0].id, first_id);
    assert_string_equal(json_str_at(suite.scenarios[0].steps, "0.call"), "page");
    assert_string_equal(json_str_at(suite.scenarios[0].steps, "0.expect.error"), "ok");
    conform_suite_free(&suite);
}

static void test_shipped_suite(void **state)
{
    (void)state;
    check_shipped_suite("itnio", "itnio-auth-accepted", 20);
    check_shipped_suite("aliyun", "aliyun-auth-v3", 50);
}

/* ---- schema diffing -------------------------------------------------------------------------- */

static struct conform_findings diff_q(const char *schema, const char *value)
{
    cJSON *s = parse_q(schema), *v = parse_q(value);
    struct conform_findings f = {0};
    conform_schema_diff(s, v, &f);
    cJSON_Delete(s);
    cJSON_Delete(v);
    return f;
}

static void dump(const struct conform_findings *f)
{
    for (size_t i = 0; i < f->count; i++)
        print_message("  %s %s: expected %s, seen %s (%s, %u)\n", f->items[i].path,
                      f->items[i].kind, f->items[i].expected, f->items[i].seen,
                      f->items[i].severity == CONFORM_BREAKING ? "breaking" : "additive",
                      f->items[i].count);
}

static void assert_finding(const struct conform_findings *f, const char *path, const char *kind,
                           const char *expected, const char *seen, enum conform_severity severity,
                           unsigned count)
{
    for (size_t i = 0; i < f->count; i++) {
        const struct conform_finding *x = &f->items[i];
        if (strcmp(x->path, path) != 0 || strcmp(x->kind, kind) != 0)
            continue;
        assert_string_equal(x->expected, expected);
        assert_string_equal(x->seen, seen);
        assert_int_equal(x->severity, severity);
        assert_int_equal(x->count, count);
        return;
    }
    dump(f);
    fail_msg("no \"%s\" finding at %s", kind, path);
}

/* Exactly one finding, this one. */
static void expect_one(const char *schema, const char *value, const char *path, const char *kind,
                       const char *expected, const char *seen, enum conform_severity severity)
{
    struct conform_findings f = diff_q(schema, value);
    if (f.count != 1) {
        dump(&f);
        fail_msg("%zu findings for %s", f.count, value);
    }
    assert_finding(&f, path, kind, expected, seen, severity, 1);
    conform_findings_free(&f);
}

static void expect_none(const char *schema, const char *value)
{
    struct conform_findings f = diff_q(schema, value);
    if (f.count != 0) {
        dump(&f);
        fail_msg("%zu findings for %s", f.count, value);
    }
    conform_findings_free(&f);
}

#define OBJ_A "{'type':'object','properties':{'a':{'type':'integer'}}}"

static void test_diff_types(void **state)
{
    (void)state;
    expect_none(OBJ_A, "{'a':5}");
    expect_one(OBJ_A, "{'a':'5'}", "a", "type", "integer", "string", CONFORM_BREAKING);
    expect_one(OBJ_A, "{'a':true}", "a", "type", "integer", "boolean", CONFORM_BREAKING);
    expect_one(OBJ_A, "{'a':{}}", "a", "type", "integer", "object", CONFORM_BREAKING);
    expect_one(OBJ_A, "{'a':null}", "a", "null", "integer", "null", CONFORM_BREAKING);
    /* A type list is written as people read it. */
    const char *nullable = "{'type':'object','properties':{'a':{'type':['string','null']}}}";
    expect_none(nullable, "{'a':null}");
    expect_none(nullable, "{'a':'x'}");
    expect_one(nullable, "{'a':3}", "a", "type", "string|null", "integer", CONFORM_BREAKING);
    /* The whole body in the wrong shape. */
    expect_one(OBJ_A, "[1]", "(root)", "type", "object", "array", CONFORM_BREAKING);
}

static void test_diff_numbers(void **state)
{
    (void)state;
    const char *number = "{'type':'object','properties':{'n':{'type':'number'}}}";
    expect_none(number, "{'n':3}");
    expect_none(number, "{'n':1.5}");
    expect_none(number, "{'n':-2e3}");
    expect_none(OBJ_A, "{'a':2.0}");
    expect_none(OBJ_A, "{'a':-7}");
    expect_one(OBJ_A, "{'a':1.5}", "a", "type", "integer", "number", CONFORM_BREAKING);
    /* Whole numbers too large for a 64-bit integer are still integers. */
    expect_none(OBJ_A, "{'a':10000000000000000000}");
    expect_none(OBJ_A, "{'a':-1e300}");
}

static void test_diff_missing_and_added(void **state)
{
    (void)state;
    const char *schema = "{'type':'object','required':['a','b','c'],"
                         " 'properties':{'a':{'type':'integer'},'b':{'type':'string'},'c':{}}}";
    struct conform_findings f =
        diff_q(schema, "{'a':1,'x':'y','y':[1],'z':{},'w':null,'v':1.5,'u':false}");
    assert_int_equal(f.count, 8);
    assert_finding(&f, "b", "missing", "string", "absent", CONFORM_BREAKING, 1);
    assert_finding(&f, "c", "missing", "any", "absent", CONFORM_BREAKING, 1);
    assert_finding(&f, "x", "added", "not documented", "string", CONFORM_ADDITIVE, 1);
    assert_finding(&f, "y", "added", "not documented", "array", CONFORM_ADDITIVE, 1);
    assert_finding(&f, "z", "added", "not documented", "object", CONFORM_ADDITIVE, 1);
    assert_finding(&f, "w", "added", "not documented", "null", CONFORM_ADDITIVE, 1);
    assert_finding(&f, "v", "added", "not documented", "number", CONFORM_ADDITIVE, 1);
    assert_finding(&f, "u", "added", "not documented", "boolean", CONFORM_ADDITIVE, 1);
    conform_findings_free(&f);
    assert_int_equal(f.count, 0);
    assert_null(f.items);

    /* A required member that is present but null is a null finding, not a missing one. */
    expect_one("{'type':'object','required':['a'],'properties':{'a':{'type':'string'}}}",
               "{'a':null}", "a", "null", "string", "null", CONFORM_BREAKING);

    /* additionalProperties: true documents that anything else may come. */
    expect_none(
        "{'type':'object','additionalProperties':true,'properties':{'a':{'type':'integer'}}}",
        "{'a':1,'extra':'x'}");
    expect_one(
        "{'type':'object','additionalProperties':false,'properties':{'a':{'type':'integer'}}}",
        "{'a':1,'extra':'x'}", "extra", "added", "not documented", "string", CONFORM_ADDITIVE);
    /* Still checked inside additional-properties objects: documented members keep their types. */
    expect_one(
        "{'type':'object','additionalProperties':true,'properties':{'a':{'type':'integer'}}}",
        "{'a':'1','extra':'x'}", "a", "type", "integer", "string", CONFORM_BREAKING);
}

/* The finding at path of that kind (fails the test when there is none). */
static const struct conform_finding *finding_at(const struct conform_findings *f, const char *path,
                                                const char *kind)
{
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->items[i].path, path) == 0 && strcmp(f->items[i].kind, kind) == 0)
            return &f->items[i];
    dump(f);
    fail_msg("no \"%s\" finding at %s", kind, path);
    return NULL;
}

/* OpenAPI's nullable: the page says a member can lack a value, so null is documented, wherever the
 * flag sits (on the member, next to its $ref, or on the definition), and whatever the member's
 * type or enum. Without it null stays breaking. Optional members may be absent. */
static void test_diff_nullable(void **state)
{
    (void)state;
    const char *schema =
        "{'definitions':{'level':{'type':'integer','enum':[2,3,4,5],'nullable':true},"
        "                'group':{'type':'object','properties':{'id':{'type':'integer'}}}},"
        " 'type':'object','required':['Code'],"
        " 'properties':{'Code':{'type':'string'},"
        "   'ServicerName':{'type':'string','nullable':true},"
        "   'EvaluationLevel':{'$ref':'#/definitions/level'},"
        "   'Group':{'$ref':'#/definitions/group','nullable':true},"
        "   'PickUpTime':{'type':'string'}}}";
    expect_none(schema, "{'Code':'Success','ServicerName':null,'EvaluationLevel':null,"
                        " 'Group':null}");
    expect_none(schema, "{'Code':'Success','ServicerName':'a','EvaluationLevel':4,"
                        " 'Group':{'id':1}}");
    /* Absent optional members are not drift. */
    expect_none(schema, "{'Code':'Success'}");
    /* Nullable is not "anything goes". */
    expect_one(schema, "{'Code':'Success','EvaluationLevel':6}", "EvaluationLevel", "enum",
               "[2,3,4,5]", "6", CONFORM_BREAKING);
    expect_one(schema, "{'Code':'Success','ServicerName':7}", "ServicerName", "type", "string",
               "integer", CONFORM_BREAKING);
    expect_one(schema, "{'Code':'Success','Group':{'id':'1'}}", "Group.id", "type", "integer",
               "string", CONFORM_BREAKING);
    expect_one(schema, "{'Code':'Success','PickUpTime':null}", "PickUpTime", "null", "string",
               "null", CONFORM_BREAKING);
    expect_one(schema, "{'Code':null}", "Code", "null", "string", "null", CONFORM_BREAKING);
    /* nullable: false is the default spelled out. */
    expect_one("{'type':'object','properties':{'a':{'type':'string','nullable':false}}}",
               "{'a':null}", "a", "null", "string", "null", CONFORM_BREAKING);
    /* In an anyOf, the nullable alternative describes a null. */
    expect_none("{'anyOf':[{'type':'object'},{'type':'string','nullable':true}]}", "null");
}

/* Every finding names the sentence of the page its expectation came from: the member's x-source
 * (next to a $ref first, then on the definition), else the nearest enclosing one; a member added
 * is about the object it was added to. */
static void test_diff_sources(void **state)
{
    (void)state;
    const char *schema =
        "{'x-source':'https://example.com/api',"
        " 'definitions':{'record':{'type':'object','x-source':'records | Data collection',"
        "   'required':['keyId','callType'],"
        "   'properties':{'keyId':{'type':'integer','x-source':'keyId | Primary key id | Integer'},"
        "     'callType':{'type':'integer','enum':[1,2,3],'x-source':'callType | Call type'},"
        "     'urls':{'type':'array','items':{'type':'string'}}}}},"
        " 'type':'object','required':['status'],"
        " 'properties':{'status':{'type':'integer','x-source':'status | status code'},"
        "   'records':{'type':'array','items':{'$ref':'#/definitions/record',"
        "              'x-source':'records (as referenced)'}},"
        "   'data':{'type':'object','properties':{'records':{'type':'array',"
        "              'items':{'$ref':'#/definitions/record'}}}}}}";
    struct conform_findings f =
        diff_q(schema, "{'status':'0','records':[{'callType':1,'extra':1}],"
                       " 'data':{'records':[{'keyId':'x','callType':9,'urls':[1]}]}}");
    assert_string_equal(finding_at(&f, "status", "type")->source, "status | status code");
    /* Declared next to the $ref wins over the definition's. */
    assert_string_equal(finding_at(&f, "records[].keyId", "missing")->source,
                        "keyId | Primary key id | Integer");
    assert_string_equal(finding_at(&f, "records[].extra", "added")->source,
                        "records (as referenced)");
    assert_string_equal(finding_at(&f, "data.records[].keyId", "type")->source,
                        "keyId | Primary key id | Integer");
    assert_string_equal(finding_at(&f, "data.records[].callType", "enum")->source,
                        "callType | Call type");
    /* A node without its own source speaks for the nearest one that has one. */
    assert_string_equal(finding_at(&f, "data.records[].urls[]", "type")->source,
                        "records | Data collection");
    conform_findings_free(&f);
    /* A schema without sources leaves them out. */
    f = diff_q(OBJ_A, "{'a':'x'}");
    assert_null(finding_at(&f, "a", "type")->source);
    conform_findings_free(&f);
    /* Merged findings keep the source. */
    f = diff_q(schema, "{'status':0,'data':{'records':[{'keyId':1,'callType':'a'},"
                       " {'keyId':2,'callType':'b'}]}}");
    const struct conform_finding *merged = finding_at(&f, "data.records[].callType", "type");
    assert_int_equal(merged->count, 2);
    assert_string_equal(merged->source, "callType | Call type");
    conform_findings_free(&f);
}

static void test_diff_enum(void **state)
{
    (void)state;
    const char *schema =
        "{'type':'object','properties':{'callType':{'type':'integer','enum':[1,2,3]},"
        " 'mode':{'type':['string','null'],'enum':['a','b']}}}";
    expect_none(schema, "{'callType':3,'mode':'b'}");
    expect_none(schema, "{'callType':1,'mode':null}");
    expect_one(schema, "{'callType':4}", "callType", "enum", "[1,2,3]", "4", CONFORM_BREAKING);
    expect_one(schema, "{'mode':'c'}", "mode", "enum", "[\"a\",\"b\"]", "\"c\"", CONFORM_BREAKING);
    /* A type change is reported as such, not also as an undocumented value. */
    expect_one(schema, "{'callType':'4'}", "callType", "type", "integer", "string",
               CONFORM_BREAKING);
}

static void test_diff_arrays_and_refs(void **state)
{
    (void)state;
    const char *schema =
        "{'definitions':{'record':{'type':'object','required':['id'],"
        "   'properties':{'id':{'type':'integer'},'x':{'type':'integer'},"
        "                 'urls':{'type':'array','items':{'type':'string'}}}}},"
        " 'type':'object','properties':{'data':{'type':'object','properties':{"
        "   'records':{'type':'array','items':{'$ref':'#/definitions/record'}}}}}}";
    expect_none(schema, "{'data':{'records':[]}}");
    expect_none(schema, "{'data':{'records':[{'id':1,'x':2,'urls':['a','b']}]}}");
    struct conform_findings f = diff_q(
        schema,
        "{'data':{'records':[{'id':1,'x':'s'},{'id':2,'x':'t','urls':['a',3]},{'x':1,'new':1}]}}");
    assert_int_equal(f.count, 4);
    /* Two records with the same drift are one finding seen twice. */
    assert_finding(&f, "data.records[].x", "type", "integer", "string", CONFORM_BREAKING, 2);
    assert_finding(&f, "data.records[].urls[]", "type", "string", "integer", CONFORM_BREAKING, 1);
    assert_finding(&f, "data.records[].id", "missing", "integer", "absent", CONFORM_BREAKING, 1);
    assert_finding(&f, "data.records[].new", "added", "not documented", "integer", CONFORM_ADDITIVE,
                   1);
    conform_findings_free(&f);
    /* A top-level array's elements are named from the root. */
    expect_one("{'type':'array','items':{'type':'integer'}}", "[1,2,'3']", "[]", "type", "integer",
               "string", CONFORM_BREAKING);
    /* A $ref at the top and one hop through another definition. */
    expect_one("{'definitions':{'a':{'$ref':'#/definitions/b'},'b':" OBJ_A
               "},'$ref':'#/definitions/a'}",
               "{'a':'x'}", "a", "type", "integer", "string", CONFORM_BREAKING);
}

static void test_diff_any_of(void **state)
{
    (void)state;
    const char *schema =
        "{'type':'object','properties':{'data':{'anyOf':[{'type':'null'},"
        " {'type':'object','required':['total'],'properties':{'total':{'type':'integer'},"
        "  'records':{'type':'array','items':{'type':'integer'}}}}]}}}";
    expect_none(schema, "{'data':null}");
    expect_none(schema, "{'data':{'total':1,'records':[1]}}");
    /* Drift inside the object is described against the object alternative... */
    expect_one(schema, "{'data':{'total':'1'}}", "data.total", "type", "integer", "string",
               CONFORM_BREAKING);
    expect_one(schema, "{'data':{}}", "data.total", "missing", "integer", "absent",
               CONFORM_BREAKING);
    struct conform_findings f =
        diff_q(schema, "{'data':{'total':'1','records':['a','b'],'more':1,'again':2}}");
    /* ...even when "not null" would be a single finding. */
    assert_int_equal(f.count, 4);
    assert_finding(&f, "data.total", "type", "integer", "string", CONFORM_BREAKING, 1);
    assert_finding(&f, "data.records[]", "type", "integer", "string", CONFORM_BREAKING, 2);
    assert_finding(&f, "data.more", "added", "not documented", "integer", CONFORM_ADDITIVE, 1);
    assert_finding(&f, "data.again", "added", "not documented", "integer", CONFORM_ADDITIVE, 1);
    conform_findings_free(&f);
    /* Alternatives through $ref, and the best fit among two of the value's type. */
    const char *refs =
        "{'definitions':{'small':{'type':'object','properties':{'a':{'type':'integer'}}},"
        " 'big':{'type':'object','properties':{'a':{'type':'string'},'b':{'type':'string'}}}},"
        " 'anyOf':[{'$ref':'#/definitions/small'},{'$ref':'#/definitions/big'}]}";
    expect_none(refs, "{'a':'x','b':'y'}");
    expect_none(refs, "{'a':1}");
    expect_one(refs, "{'a':'x','b':2}", "b", "type", "string", "integer", CONFORM_BREAKING);

    /* Envelopes told apart by an enumerated member: a success whose content drifted is described
     * as a success, however many findings that makes, and not as an error with a wrong status. */
    const char *envelopes =
        "{'anyOf':[{'type':'object','required':['status','meta','data'],"
        "  'properties':{'status':{'enum':['ok']},'meta':{'type':'object'},"
        "   'data':{'type':'array','items':{'type':'integer'}}}},"
        " {'type':'object','required':['status','data'],"
        "  'properties':{'status':{'enum':['error']},'data':{'type':'array'}}}]}";
    expect_none(envelopes, "{'status':'ok','meta':{},'data':[1,2]}");
    expect_none(envelopes, "{'status':'error','data':[]}");
    f = diff_q(envelopes, "{'status':'ok','data':['a','b'],'x':1}");
    assert_int_equal(f.count, 3);
    assert_finding(&f, "meta", "missing", "object", "absent", CONFORM_BREAKING, 1);
    assert_finding(&f, "data[]", "type", "integer", "string", CONFORM_BREAKING, 2);
    assert_finding(&f, "x", "added", "not documented", "integer", CONFORM_ADDITIVE, 1);
    conform_findings_free(&f);
    /* Both contradicted: the best fit otherwise. Below the root, the same by member path. */
    expect_one(envelopes, "{'status':'teapot','data':[]}", "status", "enum", "[\"error\"]",
               "\"teapot\"", CONFORM_BREAKING);
    const char *nested =
        "{'type':'object','properties':{'body':{'anyOf':["
        " {'type':'object','properties':{'kind':{'enum':['a']},'n':{'type':'integer'},"
        "  'm':{'type':'integer'}}},"
        " {'type':'object','properties':{'kind':{'enum':['b']},'n':{'type':'string'},"
        "  'm':{'type':'string'}}}]}}}";
    f = diff_q(nested, "{'body':{'kind':'a','n':'1','m':'2'}}");
    assert_int_equal(f.count, 2);
    assert_finding(&f, "body.n", "type", "integer", "string", CONFORM_BREAKING, 1);
    assert_finding(&f, "body.m", "type", "integer", "string", CONFORM_BREAKING, 1);
    conform_findings_free(&f);
}

static const char *const check_schema =
    "{'definitions':{'item':{'type':'object','required':['id'],"
    "                'properties':{'id':{'type':'integer'}}}},"
    " 'responses':["
    "  {'method':'POST','path':'/v1/items','status':[200],"
    "   'schema':{'type':'object','required':['items'],"
    "             'properties':{'items':{'type':'array','items':{'$ref':'#/definitions/item'}}}}},"
    "  {'method':'GET','path':'/v1/accounts/*/calls',"
    "   'schema':{'type':'object','properties':{'n':{'type':'integer'}}}},"
    "  {'path':'/v1/*/errors','status':[404,405],"
    "   'schema':{'type':'object','required':['error'],"
    "             'properties':{'error':{'type':'string'}}}}]}";

static void load_check_schema(struct conform_schema *schema)
{
    char *text = q(check_schema);
    const char *path = write_temp("check-schema.json", text);
    free(text);
    char err[512] = "";
    if (!conform_schema_load(schema, path, err, sizeof(err)))
        fail_msg("%s", err);
}

static bool check(const struct conform_schema *schema, const char *method, const char *url,
                  long status, const char *body, struct conform_findings *out)
{
    char *text = q(body);
    bool matched = conform_schema_check(schema, method, url, status, text, strlen(text), out);
    free(text);
    return matched;
}

static void test_schema_check_routing(void **state)
{
    (void)state;
    struct conform_schema schema;
    load_check_schema(&schema);
    struct conform_findings f = {0};
    const char *drifted = "{'items':[{'id':'1'}],'n':'x','error':7}";

    /* Method: only the documented one, in any case. */
    assert_false(check(&schema, "GET", "/v1/items", 200, drifted, &f));
    assert_int_equal(f.count, 0);
    assert_true(check(&schema, "post", "/v1/items", 200, "{'items':[]}", &f));
    assert_int_equal(f.count, 0);
    /* Status: only the documented ones; an entry without a list takes any. */
    assert_false(check(&schema, "POST", "/v1/items", 500, drifted, &f));
    assert_int_equal(f.count, 0);
    assert_true(check(&schema, "GET", "/v1/accounts/A17/calls", 503, "{'n':1}", &f));
    assert_int_equal(f.count, 0);
    /* '*' is exactly one segment. */
    assert_true(check(&schema, "GET", "/v1/accounts/A17/calls", 200, "{'n':'x'}", &f));
    assert_int_equal(f.count, 1);
    assert_finding(&f, "n", "type", "integer", "string", CONFORM_BREAKING, 1);
    conform_findings_free(&f);
    assert_false(check(&schema, "GET", "/v1/accounts/A17/B/calls", 200, "{'n':'x'}", &f));
    assert_false(check(&schema, "GET", "/v1/accounts/calls", 200, "{'n':'x'}", &f));
    assert_false(check(&schema, "GET", "/v1/accounts/A17/calls/", 200, "{'n':'x'}", &f));
    assert_false(check(&schema, "GET", "/v1/accounts/A17/callsX", 200, "{'n':'x'}", &f));
    assert_int_equal(f.count, 0);
    assert_true(
        check(&schema, "DELETE", "/v1/anything/errors", 405, "{'error':'Method Not Allowed'}", &f));
    assert_int_equal(f.count, 0);
    /* Scheme, host, port, query and fragment are not part of the path. */
    assert_true(check(&schema, "POST", "http://127.0.0.1:40123/v1/items?page=2&size=10#top", 200,
                      drifted, &f));
    assert_int_equal(f.count, 3);
    assert_finding(&f, "items[].id", "type", "integer", "string", CONFORM_BREAKING, 1);
    assert_finding(&f, "n", "added", "not documented", "string", CONFORM_ADDITIVE, 1);
    assert_finding(&f, "error", "added", "not documented", "integer", CONFORM_ADDITIVE, 1);
    conform_findings_free(&f);
    assert_true(check(&schema, "GET", "https://api.example.com/v1/accounts/9/calls?n=1", 200,
                      "{'n':1.5}", &f));
    assert_finding(&f, "n", "type", "integer", "number", CONFORM_BREAKING, 1);
    conform_findings_free(&f);
    assert_false(check(&schema, "POST", "https://api.example.com", 200, drifted, &f));
    assert_false(
        check(&schema, "POST", "https://api.example.com/v1/other?x=/v1/items", 200, drifted, &f));
    /* Paths nobody documents are not compared, and findings already there stay as they are. */
    assert_true(check(&schema, "GET", "/v1/accounts/1/calls", 200, "{'n':'x'}", &f));
    assert_false(check(&schema, "POST", "/v2/items", 200, drifted, &f));
    assert_int_equal(f.count, 1);
    assert_int_equal(f.items[0].count, 1);
    conform_findings_free(&f);
    conform_schema_free(&schema);
    assert_null(schema.doc);
}

static void test_schema_check_bodies_and_counts(void **state)
{
    (void)state;
    struct conform_schema schema;
    load_check_schema(&schema);
    struct conform_findings f = {0};
    /* Bodies that are not JSON objects or arrays are not compared, though the path matched. */
    const char *not_compared[] = {
        "<html><body>Bad Gateway</body></html>", "", "{'items':", "42", "'text'", "null"};
    for (size_t i = 0; i < sizeof(not_compared) / sizeof(not_compared[0]); i++) {
        assert_true(check(&schema, "POST", "/v1/items", 200, not_compared[i], &f));
        assert_int_equal(f.count, 0);
    }
    /* A finding repeated by ten records of one response counts that response once. */
    struct cdr_buf body;
    cdr_buf_init(&body);
    cdr_buf_puts(&body, "{'items':[");
    for (int i = 0; i < 10; i++)
        cdr_buf_printf(&body, "%s{'id':'%d','extra':%d}", i ? "," : "", i, i);
    cdr_buf_puts(&body, "]}");
    assert_true(check(&schema, "POST", "/v1/items", 200, body.data, &f));
    assert_int_equal(f.count, 2);
    assert_finding(&f, "items[].id", "type", "integer", "string", CONFORM_BREAKING, 1);
    assert_finding(&f, "items[].extra", "added", "not documented", "integer", CONFORM_ADDITIVE, 1);
    /* A second response with the same drift counts 2; one with new drift adds a finding. */
    assert_true(check(&schema, "POST", "/v1/items", 200, body.data, &f));
    assert_true(check(&schema, "POST", "/v1/items", 200, "{'items':[{'id':null}]}", &f));
    assert_int_equal(f.count, 3);
    assert_finding(&f, "items[].id", "type", "integer", "string", CONFORM_BREAKING, 2);
    assert_finding(&f, "items[].extra", "added", "not documented", "integer", CONFORM_ADDITIVE, 2);
    assert_finding(&f, "items[].id", "null", "integer", "null", CONFORM_BREAKING, 1);
    /* The same path and kind with another value seen is another finding. */
    assert_true(check(&schema, "POST", "/v1/items", 200, "{'items':[{'id':true}]}", &f));
    assert_int_equal(f.count, 4);
    assert_finding(&f, "items[].id", "type", "integer", "string", CONFORM_BREAKING, 2);
    cdr_buf_free(&body);
    conform_findings_free(&f);
    /* A root-level finding merges across responses too. */
    assert_true(check(&schema, "POST", "/v1/items", 200, "[]", &f));
    assert_true(check(&schema, "POST", "/v1/items", 200, "[1]", &f));
    assert_int_equal(f.count, 1);
    assert_finding(&f, "(root)", "type", "object", "array", CONFORM_BREAKING, 2);
    conform_findings_free(&f);
    conform_schema_free(&schema);
}

static void test_schema_load_errors(void **state)
{
    (void)state;
    static const struct {
        const char *name, *text, *needle;
    } cases[] = {
        {"schema-not-json.json", "{'responses':", "needs a 'responses' array"},
        {"schema-no-responses.json", "{'definitions':{}}", "needs a 'responses' array"},
        {"schema-no-path.json", "{'responses':[{'schema':{}}]}",
         "every response needs a 'path' and a 'schema'"},
        {"schema-no-schema.json", "{'responses':[{'path':'/x','schema':true}]}",
         "every response needs"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *text = q(cases[i].text), *needle = q(cases[i].needle);
        const char *path = write_temp(cases[i].name, text);
        struct conform_schema schema;
        char err[512] = "";
        if (conform_schema_load(&schema, path, err, sizeof(err)))
            fail_msg("%s: accepted", cases[i].name);
        assert_null(schema.doc);
        if (!strstr(err, path) || !strstr(err, needle))
            fail_msg("%s: \"%s\"", cases[i].name, err);
        free(text);
        free(needle);
    }
    struct conform_schema schema;
    char err[512] = "";
    assert_false(conform_schema_load(&schema, "/nonexistent/schema.json", err, sizeof(err)));
    assert_string_equal(err, "cannot read schema /nonexistent/schema.json");
}

/* Loads a vendor's shipped schema into *schema and returns its seed page's example answer (caller
 * frees), after checking that the example, sent to url, drifts in nothing. */
static char *clean_seed_example(struct conform_schema *schema, const char *vendor,
                                const char *example, const char *url)
{
    char err[512] = "";
    char *path = test_format("%s/%s/schema.json", FIXTURES_DIR, vendor);
    if (!conform_schema_load(schema, path, err, sizeof(err)))
        fail_msg("%s", err);
    free(path);
    path = test_format("%s/%s/examples/%s", FIXTURES_DIR, vendor, example);
    char *body = read_text(path);
    free(path);
    struct conform_findings f = {0};
    assert_true(conform_schema_check(schema, "POST", url, 200, body, strlen(body), &f));
    if (f.count) {
        dump(&f);
        fail_msg("the seed's own example drifts from the documented schema");
    }
    return body;
}

/* ITNIO's group settings: the schema and the itnio-group-settings scenario agree that
 * callinStrategy is one of 1..4 and never null (inferred: docs/vendors/itnio.md). */
static void test_itnio_callin_strategy_agrees(void **state)
{
    (void)state;
    struct conform_schema schema;
    char err[512] = "";
    char *path = test_format("%s/itnio/schema.json", FIXTURES_DIR);
    if (!conform_schema_load(&schema, path, err, sizeof(err)))
        fail_msg("%s", err);
    free(path);
    const char *url = "http://127.0.0.1:1/v3/cc/seatGroup/basicSettingResp?voiceGroupId=5000048";
    char *body = read_text(FIXTURES_DIR "/itnio/examples/group_settings_response.json");
    struct conform_findings f = {0};
    assert_true(conform_schema_check(&schema, "GET", url, 200, body, strlen(body), &f));
    if (f.count) {
        dump(&f);
        fail_msg("the page's example drifts from the documented schema");
    }
    cJSON *doc = cJSON_Parse(body);
    assert_non_null(doc);
    cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "data"),
                                           "callinStrategy", cJSON_CreateNull());
    char *unset = cJSON_PrintUnformatted(doc);
    assert_true(conform_schema_check(&schema, "GET", url, 200, unset, strlen(unset), &f));
    assert_int_equal(f.count, 1);
    assert_finding(&f, "data.callinStrategy", "null", "integer", "null", CONFORM_BREAKING, 1);
    conform_findings_free(&f);

    /* The scenario accepts exactly the schema's values. */
    const cJSON *member =
        json_at(schema.doc, "definitions.group_settings.properties.callinStrategy");
    assert_non_null(member);
    assert_null(cJSON_GetObjectItemCaseSensitive(member, "nullable"));
    char *schema_values = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(member, "enum"));
    cJSON *suite = test_load_json(CDRSIM_SOURCE_DIR "/conformance/suites/itnio.json");
    const cJSON *scenario, *in = NULL;
    cJSON_ArrayForEach(scenario, cJSON_GetObjectItemCaseSensitive(suite, "scenarios")) {
        if (strcmp(json_str_at(scenario, "id"), "itnio-group-settings") == 0)
            in = json_at(scenario, "steps.0.expect.entries.in");
    }
    assert_non_null(in);
    char *scenario_values = cJSON_PrintUnformatted(in);
    assert_string_equal(scenario_values, schema_values);
    free(scenario_values);
    free(schema_values);
    cJSON_Delete(suite);
    free(unset);
    cJSON_Delete(doc);
    free(body);
    conform_schema_free(&schema);
}

static void test_shipped_schema_accepts_seed_example(void **state)
{
    (void)state;
    struct conform_schema schema;
    char *body =
        clean_seed_example(&schema, "itnio", "record_query_response.json", "/v3/cc/record/query");
    struct conform_findings f = {0};
    cJSON *doc = cJSON_Parse(body);
    assert_non_null(doc);
    assert_null(json_at(doc, "data.records.0.voiceGroupId"));

    /* The same example, drifted: each change is named against the record definition. An absent
     * member is drift only when the page makes it unconditional (the primary key); hangupReason
     * is optional, so its absence is not reported. */
    cJSON *rec =
        cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "data"), "records"), 0);
    cJSON_DeleteItemFromObject(rec, "hangupReason");
    cJSON_DeleteItemFromObject(rec, "keyId");
    cJSON_ReplaceItemInObject(rec, "callDuration", cJSON_CreateString("47"));
    cJSON_ReplaceItemInObject(rec, "callType", cJSON_CreateNumber(9));
    cJSON_ReplaceItemInObject(rec, "callStartTime", cJSON_CreateNull());
    cJSON_AddStringToObject(rec, "customerLevel", "gold");
    char *drifted = cJSON_PrintUnformatted(doc);
    assert_true(conform_schema_check(&schema, "POST", "http://127.0.0.1:1/v3/cc/record/query", 200,
                                     drifted, strlen(drifted), &f));
    assert_int_equal(f.count, 5);
    assert_finding(&f, "data.records[].keyId", "missing", "integer", "absent", CONFORM_BREAKING, 1);
    assert_finding(&f, "data.records[].callDuration", "type", "integer", "string", CONFORM_BREAKING,
                   1);
    assert_finding(&f, "data.records[].callType", "enum", "[1,2,3]", "9", CONFORM_BREAKING, 1);
    assert_finding(&f, "data.records[].callStartTime", "null", "string", "null", CONFORM_BREAKING,
                   1);
    assert_finding(&f, "data.records[].customerLevel", "added", "not documented", "string",
                   CONFORM_ADDITIVE, 1);
    conform_findings_free(&f);

    /* An error answer: data null is documented. The framework's 404 has its own shape. */
    const char *refused = "{\"status\":-1,\"reason\":\"sign error\",\"data\":null}";
    assert_true(conform_schema_check(&schema, "POST", "/v3/cc/record/query", 200, refused,
                                     strlen(refused), &f));
    const char *not_found = "{\"timestamp\":\"2025-05-01T00:00:00.000+00:00\",\"status\":404,"
                            "\"error\":\"Not Found\",\"path\":\"/v3/cc/x/y\"}";
    assert_true(
        conform_schema_check(&schema, "POST", "/v3/cc/x/y", 404, not_found, strlen(not_found), &f));
    assert_int_equal(f.count, 0);
    free(drifted);
    cJSON_Delete(doc);
    free(body);
    conform_schema_free(&schema);
}

/* The aliyun schema takes the page's own example and the documented error document as they
 * are, and names each kind of departure from them. */
static void test_shipped_aliyun_schema(void **state)
{
    (void)state;
    struct conform_schema schema;
    char *body = clean_seed_example(&schema, "aliyun", "hotline_session_query_response.json",
                                    "http://127.0.0.1:1/?Action=HotlineSessionQuery");
    struct conform_findings f = {0};
    char *error = q("{'RequestId':'7A2B','HostId':'aiccs.aliyuncs.com','Code':'MissingInstanceId',"
                    "'Message':'InstanceId is mandatory for this action.','Recommend':"
                    "'https://api.aliyun.com/troubleshoot?q=MissingInstanceId&product=aiccs'}");
    for (long status = 400; status <= 500; status += 100)
        assert_true(conform_schema_check(&schema, "GET", "/", status, error, strlen(error), &f));
    assert_true(conform_schema_check(&schema, "GET", "/", 404, error, strlen(error), &f));
    assert_int_equal(f.count, 0);

    /* The example, drifted: each change is named against the record definition; the members the
     * page says are Null when they do not apply may be null, and any member may be absent. */
    cJSON *doc = cJSON_Parse(body);
    cJSON *rec = cJSON_GetArrayItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "Data"), "CallDetailRecord"), 0);
    cJSON_DeleteItemFromObject(rec, "Acid");
    cJSON_ReplaceItemInObject(rec, "HangUpRole", cJSON_CreateNumber(2));
    cJSON_ReplaceItemInObject(rec, "CallType", cJSON_CreateNumber(4));
    cJSON_ReplaceItemInObject(rec, "CreateTime", cJSON_CreateNull());
    cJSON_ReplaceItemInObject(rec, "PassiveTransferId", cJSON_CreateNull());
    cJSON_ReplaceItemInObject(rec, "PassiveTransferIdType", cJSON_CreateNull());
    cJSON_AddStringToObject(rec, "SkillLevel", "3");
    cJSON_ReplaceItemInObject(cJSON_GetObjectItem(doc, "Data"), "TotalCount",
                              cJSON_CreateString("26"));
    char *drifted = cJSON_PrintUnformatted(doc);
    assert_true(conform_schema_check(&schema, "POST", "/", 200, drifted, strlen(drifted), &f));
    /* Acid's absence is no finding: the page marks no response member mandatory. */
    assert_int_equal(f.count, 5);
    assert_finding(&f, "Data.CallDetailRecord[].HangUpRole", "type", "string", "integer",
                   CONFORM_BREAKING, 1);
    assert_finding(&f, "Data.CallDetailRecord[].CallType", "enum", "[1,2,3]", "4", CONFORM_BREAKING,
                   1);
    assert_finding(&f, "Data.CallDetailRecord[].CreateTime", "null", "string", "null",
                   CONFORM_BREAKING, 1);
    assert_finding(&f, "Data.CallDetailRecord[].SkillLevel", "added", "not documented", "string",
                   CONFORM_ADDITIVE, 1);
    assert_finding(&f, "Data.TotalCount", "type", "integer", "string", CONFORM_BREAKING, 1);
    conform_findings_free(&f);
    /* An error document with a success status is judged as a success answer: as the page marks no
     * member mandatory, only its undocumented members show (the client's reading of the answer
     * is what refuses it). */
    assert_true(conform_schema_check(&schema, "POST", "/", 200, error, strlen(error), &f));
    assert_int_equal(f.count, 2);
    assert_finding(&f, "HostId", "added", "not documented", "string", CONFORM_ADDITIVE, 1);
    assert_finding(&f, "Recommend", "added", "not documented", "string", CONFORM_ADDITIVE, 1);
    conform_findings_free(&f);
    free(drifted);
    free(error);
    cJSON_Delete(doc);
    free(body);
    conform_schema_free(&schema);
}

/* ---- ${from} / ${to} ------------------------------------------------------------------------- */

#define FROM 1735660800 /* 2025-01-01 00:00:00 UTC+8 */
#define TO 1743436799   /* 2025-03-31 23:59:59 UTC+8 */

/* from/to of the rewritten args, or false when conform_args_with_range refused them. */
static bool range_of(const char *args, int64_t *from, int64_t *to)
{
    cJSON *in = args ? parse_q(args) : NULL;
    char *before = in ? cJSON_PrintUnformatted(in) : NULL;
    cJSON *out = conform_args_with_range(in, FROM, TO);
    if (in) {
        char *after = cJSON_PrintUnformatted(in);
        assert_string_equal(after, before); /* the step's own args are left alone */
        free(after);
    }
    free(before);
    cJSON_Delete(in);
    if (!out)
        return false;
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(out, "from");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(out, "to");
    assert_true(cJSON_IsNumber(f));
    assert_true(cJSON_IsNumber(t));
    *from = (int64_t)f->valuedouble;
    *to = (int64_t)t->valuedouble;
    cJSON_Delete(out);
    return true;
}

static void expect_range(const char *args, int64_t want_from, int64_t want_to)
{
    int64_t from = 0, to = 0;
    if (!range_of(args, &from, &to))
        fail_msg("%s refused", args ? args : "(no args)");
    if (from != want_from || to != want_to)
        fail_msg("%s: from %lld to %lld, expected %lld to %lld", args ? args : "(no args)",
                 (long long)from, (long long)to, (long long)want_from, (long long)want_to);
}

static void test_args_with_range(void **state)
{
    (void)state;
    assert_int_equal(china_time(2025, 1, 1, 0, 0, 0), FROM);
    assert_int_equal(china_time(2025, 3, 31, 23, 59, 59), TO);
    expect_range("{'from':'${from}','to':'${to}'}", FROM, TO);
    expect_range("{'from':'${to}','to':'${from}'}", TO, FROM);
    expect_range("{'from':'${to}-93d','to':'${to}'}", TO - 93 * 86400, TO);
    expect_range("{'from':'${from}','to':'${from}+1s'}", FROM, FROM + 1);
    expect_range("{'from':'${from}+2h','to':'${to}-30m'}", FROM + 7200, TO - 1800);
    expect_range("{'from':'${from}-0d','to':'${to}+0s'}", FROM, TO);
    expect_range("{'from':'2025-01-03 16:10:39','to':'2025-01-03T08:10:39Z'}",
                 china_time(2025, 1, 3, 16, 10, 39), china_time(2025, 1, 3, 16, 10, 39));
    expect_range("{'from':'2025-01-03T16:10:39+08:00','to':'${to}'}",
                 china_time(2025, 1, 3, 16, 10, 39), TO);
    expect_range("{'from':1700000000,'to':1700000100}", 1700000000, 1700000100);
    /* Absent ones stand for the scenario's range. */
    expect_range(NULL, FROM, TO);
    expect_range("{}", FROM, TO);
    expect_range("{'to':'${from}+1d'}", FROM, FROM + 86400);
    expect_range("{'from':'${to}-1h'}", TO - 3600, TO);

    /* Everything else in args comes through unchanged. */
    cJSON *in = parse_q("{'callType':[1,2],'from':'${from}','seatName':'a'}");
    cJSON *out = conform_args_with_range(in, FROM, TO);
    assert_non_null(out);
    assert_int_equal(cJSON_GetArraySize(out), 4);
    assert_true(cJSON_Compare(json_at(out, "callType"), json_at(in, "callType"), true));
    assert_string_equal(json_str_at(out, "seatName"), "a");
    assert_int_equal(json_int_at(out, "to"), TO);
    cJSON_Delete(in);
    cJSON_Delete(out);

    const char *bad[] = {"{'from':'${from}+x'}",
                         "{'to':'${middle}'}",
                         "{'to':'${to}+5y'}",
                         "{'from':'${from}+1'}",
                         "{'from':'${from}1d'}",
                         "{'from':'${from}+1dd'}",
                         "{'from':'${from}*2d'}",
                         "{'to':'yesterday'}",
                         "{'from':'2025-13-01 00:00:00'}",
                         "{'from':true}",
                         "{'to':null}",
                         "{'to':['${to}']}",
                         "{'from':''}"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t from, to;
        if (range_of(bad[i], &from, &to))
            fail_msg("accepted %s as %lld..%lld", bad[i], (long long)from, (long long)to);
    }
}

/* ---- expectations ---------------------------------------------------------------------------- */

static void add_record(struct conform_result *r, const char *id, enum cdr_direction direction,
                       const char *caller, int64_t start, int64_t talk, const char *raw)
{
    struct cdr_record rec;
    cdr_record_init(&rec);
    rec.vendor = "itnio";
    rec.id = strdup(id);
    rec.direction = direction;
    rec.caller = caller ? strdup(caller) : NULL;
    rec.start_time = start;
    rec.talk_seconds = talk;
    rec.hangup_by = CDR_HANGUP_AGENT;
    rec.raw_json = raw ? q(raw) : NULL;
    assert_int_equal(cdr_record_add_recording_url(&rec, "agent-call-record-250103/1.wav"), 0);
    assert_true(conform_result_add(r, &rec));
    cdr_record_free(&rec);
}

/* Three records: r1 inbound with labels, r2 outbound without, r3 inbound with no caller or raw. */
static void three_records(struct conform_result *r)
{
    conform_result_init(r);
    add_record(r, "r1", CDR_DIRECTION_INBOUND, "8613200000003", china_time(2025, 1, 3, 16, 10, 39),
               47,
               "{'callType':2,'hangupCode':'16','labelNameList':['vip','repeat'],'ccode':null,"
               " 'nested':{'a':'b'}}");
    add_record(r, "r2", CDR_DIRECTION_OUTBOUND, "8613900000001", china_time(2025, 1, 4, 9, 0, 0), 0,
               "{'callType':3,'hangupCode':'16','labelNameList':[],'ccode':'86(China)',"
               " 'nested':{'a':'c'}}");
    add_record(r, "r3", CDR_DIRECTION_INBOUND, NULL, china_time(2025, 1, 5, 9, 0, 0),
               CDR_SECONDS_NONE, NULL);
}

/* Runs conform_expect; the messages it wrote (caller frees) and whether it failed. */
static char *run_expect(const char *expect, const struct conform_result *r, bool *failed)
{
    cJSON *e = expect ? parse_q(expect) : NULL;
    struct cdr_buf messages;
    cdr_buf_init(&messages);
    struct conform_expect_ctx ctx = {"step 2 (page)", &messages, false};
    conform_expect(&ctx, e, r);
    cJSON_Delete(e);
    *failed = ctx.failed;
    return cdr_buf_steal(&messages);
}

static void expect_passes(const char *expect, const struct conform_result *r)
{
    bool failed;
    char *messages = run_expect(expect, r, &failed);
    if (failed || messages[0])
        fail_msg("%s: %s", expect ? expect : "(none)", messages);
    free(messages);
}

/* want: the exact messages, one line each, ' for ". */
static void expect_fails(const char *expect, const struct conform_result *r, const char *want)
{
    bool failed;
    char *messages = run_expect(expect, r, &failed);
    char *wanted = q(want);
    assert_true(failed);
    assert_string_equal(messages, wanted);
    free(messages);
    free(wanted);
}

static void test_expect_errors(void **state)
{
    (void)state;
    struct conform_result r;
    conform_result_init(&r);
    expect_passes(NULL, &r);
    expect_passes("{}", &r);
    expect_passes("{'error':'ok'}", &r);
    expect_fails("{'error':'auth'}", &r,
                 "step 2 (page): expected the call to fail with auth, but it succeeded\n");

    cdr_error_set_vendor(&r.info, CDR_ERR_AUTH, 200, "-1", "sign error");
    r.error = CDR_ERR_AUTH;
    expect_passes("{'error':'auth'}", &r);
    expect_passes("{'error':'auth','vendor_code':'-1','http_status':200}", &r);
    expect_fails(NULL, &r,
                 "step 2 (page): expected success, got auth (sign error, vendor code -1)\n");
    expect_fails("{'error':'ok','count':0}", &r,
                 "step 2 (page): expected success, got auth (sign error, vendor code -1)\n");
    /* Nothing else is judged once the error is wrong. */
    expect_fails("{'error':'timestamp','vendor_code':'-16','http_status':500}", &r,
                 "step 2 (page): expected timestamp, got auth (sign error, vendor code -1)\n");
    expect_fails("{'error':'auth','vendor_code':'-16'}", &r,
                 "step 2 (page): expected vendor code -16, got '-1'\n");
    expect_fails("{'error':'auth','vendor_code':'-16','http_status':401}", &r,
                 "step 2 (page): expected vendor code -16, got '-1'\n"
                 "step 2 (page): http_status is 200, expected 401\n");

    /* Without a vendor code or message, only the name. */
    cdr_error_clear(&r.info);
    r.error = CDR_ERR_TRANSPORT;
    expect_fails(NULL, &r, "step 2 (page): expected success, got transport\n");
    cdr_error_set_vendor(&r.info, CDR_ERR_RANGE_TOO_LARGE, 200, "-76", "");
    r.error = CDR_ERR_RANGE_TOO_LARGE;
    expect_fails("{'error':'parameter'}", &r,
                 "step 2 (page): expected parameter, got range_too_large, vendor code -76\n");
    conform_result_free(&r);
}

static void test_expect_counts(void **state)
{
    (void)state;
    struct conform_result r;
    three_records(&r);
    r.info.http_status = 200;
    expect_passes("{'count':3,'count_min':3,'count_max':3,'http_status':200}", &r);
    expect_passes("{'count_min':1,'count_max':100}", &r);
    expect_fails("{'count':2}", &r, "step 2 (page): count is 3, expected 2\n");
    expect_fails("{'count_min':4}", &r, "step 2 (page): count_min is 3, expected at least 4\n");
    expect_fails("{'count_max':2}", &r, "step 2 (page): count_max is 3, expected at most 2\n");
    expect_fails("{'http_status':404,'count':0,'count_max':1}", &r,
                 "step 2 (page): http_status is 200, expected 404\n"
                 "step 2 (page): count is 3, expected 0\n"
                 "step 2 (page): count_max is 3, expected at most 1\n");

    /* total and pages mean something only for a paged call. */
    assert_false(r.paged);
    expect_passes("{'total':99,'total_min':100,'pages':7}", &r);
    r.paged = true;
    r.total = 23;
    r.pages = 3;
    r.page = 1;
    r.size = 10;
    expect_passes("{'total':23,'total_min':23,'pages':3}", &r);
    /* page and size are what the answer echoes, not what was asked. */
    expect_passes("{'page':1,'size':10}", &r);
    expect_fails("{'page':2,'size':20}", &r,
                 "step 2 (page): page is 1, expected 2\n"
                 "step 2 (page): size is 10, expected 20\n");
    expect_fails("{'total':22,'total_min':24,'pages':2}", &r,
                 "step 2 (page): total is 23, expected 22\n"
                 "step 2 (page): total_min is 23, expected at least 24\n"
                 "step 2 (page): pages is 3, expected 2\n");
    /* windows is for range calls, paged or not. */
    r.paged = false;
    r.windows = 2;
    expect_passes("{'windows':2}", &r);
    expect_fails("{'windows':1}", &r, "step 2 (page): windows is 2, expected 1\n");
    conform_result_free(&r);
    assert_int_equal(r.count, 0);
    assert_null(r.records);
}

static void test_expect_records(void **state)
{
    (void)state;
    struct conform_result r;
    three_records(&r);
    expect_passes("{'records':{'field':'direction','in':['inbound','outbound']}}", &r);
    expect_passes("{'records':{'field':'vendor','equals':'itnio'}}", &r);
    expect_passes("{'records':{'field':'hangup_by','equals':'agent'}}", &r);
    expect_passes("{'records':{'field':'start_time','contains':'2025-01-0'}}", &r);
    expect_fails("{'records':{'field':'direction','in':['inbound']}}", &r,
                 "step 2 (page): record r2: direction is 'outbound', expected "
                 "{'field':'direction','in':['inbound']}\n");
    /* Only the first offending record is named. */
    expect_fails("{'records':{'field':'direction','equals':'outbound'}}", &r,
                 "step 2 (page): record r1: direction is 'inbound', expected "
                 "{'field':'direction','equals':'outbound'}\n");
    expect_fails("{'records':{'field':'caller','contains':'861320'}}", &r,
                 "step 2 (page): record r2: caller is '8613900000001', expected "
                 "{'field':'caller','contains':'861320'}\n");
    expect_fails(
        "{'records':{'field':'caller','not_null':true}}", &r,
        "step 2 (page): record r3: caller is null, expected {'field':'caller','not_null':true}\n");
    expect_fails("{'records':{'field':'raw.callType','in':[2,3]}}", &r,
                 "step 2 (page): record r3: raw.callType is absent, expected "
                 "{'field':'raw.callType','in':[2,3]}\n");
    expect_fails(
        "{'records':{'field':'nonsense','equals':1}}", &r,
        "step 2 (page): record r1: nonsense is absent, expected {'field':'nonsense','equals':1}\n");
    expect_fails("{'records':{'in':[1]}}", &r, "step 2 (page): predicate without a 'field'\n");
    /* Nothing to judge when nothing came back. */
    struct conform_result empty;
    conform_result_init(&empty);
    expect_passes("{'records':{'field':'direction','in':[]}}", &empty);
    conform_result_free(&r);
}

/* conform_predicate on one record: whether it holds and, when not, why. */
static bool holds(const char *where, const struct cdr_record *rec, char **why)
{
    cJSON *w = parse_q(where);
    struct cdr_buf b;
    cdr_buf_init(&b);
    bool ok = conform_predicate(w, rec, &b);
    cJSON_Delete(w);
    *why = cdr_buf_steal(&b);
    return ok;
}

static void test_predicates(void **state)
{
    (void)state;
    struct conform_result r;
    three_records(&r);
    const struct cdr_record *r1 = &r.records[0], *r2 = &r.records[1], *r3 = &r.records[2];
    static const struct {
        const char *where;
        bool r1, r2, r3;
    } cases[] = {
        {"{'field':'raw.callType','in':[2,3]}", true, true, false},
        {"{'field':'raw.callType','in':[3]}", false, true, false},
        /* Numbers and numeric strings are the same value to a predicate, both ways. */
        {"{'field':'raw.callType','in':['2']}", true, false, false},
        {"{'field':'raw.hangupCode','in':[16]}", true, true, false},
        {"{'field':'raw.hangupCode','equals':16}", true, true, false},
        {"{'field':'raw.callType','equals':'3'}", false, true, false},
        {"{'field':'raw.callType','equals':'3.0'}", false, false, false},
        {"{'field':'raw.hangupCode','equals':'16'}", true, true, false},
        /* but null, booleans and text are not numbers. */
        {"{'field':'raw.ccode','equals':'null'}", false, false, false},
        {"{'field':'raw.ccode','equals':null}", true, false, false},
        /* A list-valued field matches when any element is in the list. */
        {"{'field':'raw.labelNameList','in':['vip']}", true, false, false},
        {"{'field':'raw.labelNameList','in':['other','repeat']}", true, false, false},
        {"{'field':'raw.labelNameList','in':['other']}", false, false, false},
        {"{'field':'raw.labelNameList','equals':[]}", false, true, false},
        {"{'field':'raw.nested.a','equals':'b'}", true, false, false},
        {"{'field':'raw.nested.a','in':['b','c']}", true, true, false},
        {"{'field':'raw.nested.b','not_null':true}", false, false, false},
        {"{'field':'raw.ccode','not_null':true}", false, true, false},
        {"{'field':'raw.callType','contains':'2'}", false, false, false},
        {"{'field':'raw.ccode','contains':'China'}", false, true, false},
        {"{'field':'caller','contains':'8613'}", true, true, false},
        {"{'field':'talk_seconds','equals':47}", true, false, false},
        {"{'field':'talk_seconds','not_null':true}", true, true, false},
        {"{'field':'start_time','equals':'2025-01-03T08:10:39Z'}", true, false, false},
        {"{'field':'recording_urls','in':['agent-call-record-250103/1.wav']}", true, true, true},
        /* Inclusive bounds: numbers (and numeric strings) by value, strings by their bytes. */
        {"{'field':'raw.callType','min':2,'max':2}", true, false, false},
        {"{'field':'raw.callType','min':3}", false, true, false},
        {"{'field':'raw.hangupCode','min':10,'max':20}", true, true, false},
        {"{'field':'raw.hangupCode','min':'2'}", false, false, false},
        {"{'field':'talk_seconds','max':0}", false, true, false},
        {"{'field':'start_time','min':'2025-01-04T00:00:00Z','max':'2025-01-04T23:59:59Z'}", false,
         true, false},
        {"{'field':'raw.ccode','min':'0'}", false, true, false},
        {"{'field':'raw.nested','max':1}", false, false, false},
        /* Several rules: all of them. */
        {"{'field':'direction','in':['inbound'],'not_null':true,'contains':'bound'}", true, false,
         true},
        {"{'field':'caller','in':['8613200000003','8613900000001'],'contains':'0001'}", false, true,
         false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct cdr_record *recs[] = {r1, r2, r3};
        const bool want[] = {cases[i].r1, cases[i].r2, cases[i].r3};
        for (size_t k = 0; k < 3; k++) {
            char *why;
            bool ok = holds(cases[i].where, recs[k], &why);
            if (ok != want[k])
                fail_msg("%s on %s: %s (%s)", cases[i].where, recs[k]->id, ok ? "holds" : "fails",
                         why);
            if (!ok) {
                char *prefix = test_format("record %s: ", recs[k]->id);
                test_assert_prefix(why, prefix);
                free(prefix);
            } else {
                assert_string_equal(why, "");
            }
            free(why);
        }
    }
    char *why;
    assert_false(holds("{'field':'raw.labelNameList','in':['vip']}", r2, &why));
    char *want = q(
        "record r2: raw.labelNameList is [], expected {'field':'raw.labelNameList','in':['vip']}");
    assert_string_equal(why, want);
    free(want);
    free(why);
    conform_result_free(&r);
}

/* A call that answers with a view (events, dialogue rows, a token) is counted and matched by the
 * view's entries, never by records dressed up from them. */
static void test_expect_view(void **state)
{
    (void)state;
    struct conform_result r;
    conform_result_init(&r);
    r.view = parse_q("[{'eventType':'AgentOther_InService','workNo':'291','content':null},"
                     " {'eventType':'AgentEvent_Talking','workNo':'291',"
                     "  'content':{'callid':'c-1','feature':7},'time':'2025-01-01T00:00:02Z'},"
                     " {'eventType':'AgentEvent_Hold','workNo':'291','content':{'callid':'c-1'},"
                     "  'time':'2025-01-01T00:00:01Z'}]");
    expect_passes("{'count':3,'count_min':3,'count_max':3}", &r);
    expect_fails("{'count':1}", &r, "step 2 (page): count is 3, expected 1\n");
    expect_passes("{'entries':{'field':'workNo','equals':'291'}}", &r);
    expect_fails("{'entries':{'field':'eventType','equals':'AgentOther_InService'}}", &r,
                 "step 2 (page): entry 2: eventType is 'AgentEvent_Talking', expected "
                 "{'field':'eventType','equals':'AgentOther_InService'}\n");
    expect_passes("{'entry':{'match':{'eventType':'AgentEvent_Talking'},"
                  "'fields':{'workNo':'291','content.callid':'c-1','content.feature':7}}}",
                  &r);
    expect_passes("{'entry':{'match':{'eventType':'AgentOther_InService'},"
                  "'fields':{'content':null}}}",
                  &r);
    expect_fails("{'entry':{'match':{'eventType':'AgentEvent_Talking'},"
                 "'fields':{'content.callid':'c-2','content.nope':1}}}",
                 &r,
                 "step 2 (page): entry {'eventType':'AgentEvent_Talking'}: content.callid is "
                 "'c-1', expected 'c-2'\n"
                 "step 2 (page): entry {'eventType':'AgentEvent_Talking'}: content.nope is "
                 "absent, expected 1\n");
    expect_fails("{'entry':{'match':{'eventType':'AgentEvent_Call_Release'},'fields':{}}}", &r,
                 "step 2 (page): no entry matches {'eventType':'AgentEvent_Call_Release'}\n");
    /* Entries without the field are not judged; the others must not go down. */
    expect_fails("{'ascending':'time'}", &r,
                 "step 2 (page): entries are not in ascending time: entry 3 has "
                 "'2025-01-01T00:00:01Z' after '2025-01-01T00:00:02Z'\n");
    cJSON_DeleteItemFromArray(r.view, 2);
    expect_passes("{'ascending':'time'}", &r);
    /* One object is one entry; an empty list none. */
    cJSON_Delete(r.view);
    r.view = parse_q("{'expires_at':'2099-12-31T15:59:59Z','expires_in':100}");
    expect_passes("{'count':1,'entry':{'match':{},'fields':{'expires_in':100}}}", &r);
    cJSON_Delete(r.view);
    r.view = parse_q("[]");
    expect_passes("{'count':0,'entries':{'field':'x','equals':1}}", &r);
    conform_result_free(&r);
    assert_null(r.view);
}

static void test_expect_paging_and_order(void **state)
{
    (void)state;
    struct conform_result r;
    three_records(&r); /* oldest first: 3, 4 and 5 January */
    expect_passes("{'order':'oldest_first'}", &r);
    expect_fails("{'order':'newest_first'}", &r,
                 "step 2 (page): records are not newest first: r1 (2025-01-03T08:10:39Z) comes "
                 "before r2 (2025-01-04T01:00:00Z)\n");
    expect_fails("{'order':'by_id'}", &r,
                 "step 2 (page): 'order' must be newest_first or oldest_first\n");
    /* Records without a start time are not judged; ties are in order both ways. */
    r.records[1].start_time = CDR_TIME_NONE;
    r.records[2].start_time = r.records[0].start_time;
    expect_passes("{'order':'newest_first'}", &r);
    expect_passes("{'order':'oldest_first'}", &r);

    expect_fails("{'paging':{'total':3}}", &r,
                 "step 2 (page): expected paging metadata, the call reported none\n");
    r.paging = parse_q("{'total':3,'per_page':'1','has_pages':true,'last_page':3}");
    expect_passes("{'paging':{}}", &r);
    expect_passes("{'paging':{'per_page':'1','has_pages':true,'total':3}}", &r);
    /* Exactly as sent: the string "1" is not the number 1, and a missing member is named. */
    expect_fails("{'paging':{'per_page':1,'has_pages':false,'current_page':1,'total':3}}", &r,
                 "step 2 (page): paging.per_page is '1', expected 1\n"
                 "step 2 (page): paging.has_pages is true, expected false\n"
                 "step 2 (page): paging.current_page is absent, expected 1\n");
    /* Both judged after the error: a failed call has nothing to order or page. */
    r.error = CDR_ERR_AUTH;
    expect_fails("{'paging':{'total':4},'order':'newest_first'}", &r,
                 "step 2 (page): expected success, got auth\n");
    conform_result_free(&r);
    assert_null(r.paging);
}

static void test_fields(void **state)
{
    (void)state;
    struct conform_result r;
    three_records(&r);
    static const struct {
        const char *field, *json; /* NULL json: no such field */
    } cases[] = {
        {"vendor", "'itnio'"},         {"id", "'r1'"},
        {"call_id", "null"},           {"direction", "'inbound'"},
        {"caller", "'8613200000003'"}, {"callee", "null"},
        {"hangup_by", "'agent'"},      {"start_time", "'2025-01-03T08:10:39Z'"},
        {"answer_time", "null"},       {"talk_seconds", "47"},
        {"ring_seconds", "null"},      {"recording_urls", "['agent-call-record-250103/1.wav']"},
        {"raw.nested", "{'a':'b'}"},   {"raw.labelNameList", "['vip','repeat']"},
        {"raw.ccode", "null"},         {"raw.nothing", NULL},
        {"raw.nested.a.b", NULL},      {"raw.callType.x", NULL},
        {"startTime", NULL},           {"", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cJSON *got = conform_field(&r.records[0], cases[i].field);
        char *text = got ? cJSON_PrintUnformatted(got) : NULL;
        char *want = cases[i].json ? q(cases[i].json) : NULL;
        if (want ? !text || strcmp(text, want) != 0 : text != NULL)
            fail_msg("%s is %s, expected %s", cases[i].field, text ? text : "absent",
                     want ? want : "absent");
        free(text);
        free(want);
        cJSON_Delete(got);
    }
    /* Without the vendor's object there is nothing under raw. */
    assert_null(conform_field(&r.records[2], "raw.callType"));
    cJSON *t = conform_field(&r.records[2], "talk_seconds");
    assert_true(cJSON_IsNull(t));
    cJSON_Delete(t);
    conform_result_free(&r);
}

static void test_expect_record(void **state)
{
    (void)state;
    struct conform_result r;
    three_records(&r);
    expect_passes(
        "{'record':{'id':'r1','fields':{'direction':'inbound','start_time':'2025-01-03T08:10:39Z',"
        " 'talk_seconds':47,'answer_time':null,'call_id':null,'raw.callType':2,"
        " 'raw.labelNameList':['vip','repeat']}}}",
        &r);
    expect_passes("{'record':{'id':'r3','fields':{'caller':null,'talk_seconds':null}}}", &r);
    /* Exact: start_time is RFC 3339 in UTC, and a number is not its text here. */
    expect_fails(
        "{'record':{'id':'r1','fields':{'start_time':'2025-01-03 16:10:39','talk_seconds':'47',"
        " 'raw.hangupCode':16,'raw.gone':1,'direction':'inbound'}}}",
        &r,
        "step 2 (page): record r1: start_time is '2025-01-03T08:10:39Z', "
        "expected '2025-01-03 16:10:39'\n"
        "step 2 (page): record r1: talk_seconds is 47, expected '47'\n"
        "step 2 (page): record r1: raw.hangupCode is '16', expected 16\n"
        "step 2 (page): record r1: raw.gone is absent, expected 1\n");
    expect_fails("{'record':{'id':'r9','fields':{'direction':'inbound'}}}", &r,
                 "step 2 (page): record r9 not returned\n");
    expect_fails("{'record':{'fields':{'direction':'inbound'}}}", &r,
                 "step 2 (page): record ? not returned\n");
    conform_result_free(&r);

    /* Ids and field names are text, never a format. */
    conform_result_init(&r);
    add_record(&r, "50%s%%d", CDR_DIRECTION_INBOUND, NULL, 0, 47, "{'a%s':1}");
    expect_fails("{'record':{'id':'50%s%%d','fields':{'talk_seconds':48,'raw.a%s':2}}}", &r,
                 "step 2 (page): record 50%s%%d: talk_seconds is 47, expected 48\n"
                 "step 2 (page): record 50%s%%d: raw.a%s is 1, expected 2\n");
    conform_result_free(&r);
}

/* ---- checks against a vendor held in memory ------------------------------------------------ */

/* A paged vendor of `total` records, r001 onwards, that can misreport which page it served. */
static struct {
    int64_t total;
    int64_t page_shift; /* added to the page number it echoes */
    int64_t size_echo;  /* the page size it echoes, 0 for the one asked */
    bool clamp;         /* a page past the last echoes the last page's number */
    bool silent;        /* echoes neither */
} fake;

static cdr_error fake_page(const struct conform_call *call, int64_t page, int64_t size,
                           struct conform_result *out)
{
    (void)call;
    int64_t pages = fake.total / size + (fake.total % size != 0);
    out->paged = true;
    out->total = fake.total;
    out->pages = pages;
    out->page = (fake.clamp && page > pages ? pages : page) + fake.page_shift;
    out->size = fake.size_echo ? fake.size_echo : size;
    if (fake.silent)
        out->page = out->size = -1;
    for (int64_t i = (page - 1) * size; i < page * size && i < fake.total; i++) {
        char id[32];
        snprintf(id, sizeof(id), "r%03lld", (long long)i + 1);
        struct cdr_record rec;
        cdr_record_init(&rec);
        rec.vendor = "fake";
        rec.id = id;
        rec.start_time = 1735660800 + i;
        assert_true(conform_result_add(out, &rec));
    }
    return CDR_OK;
}

static const struct conform_driver fake_driver = {.vendor = "fake", .page = fake_page};

/* Runs one scenario of the given steps against the fake vendor; its messages (caller frees). */
static char *run_fake(const char *steps, enum conform_status want)
{
    cJSON *doc = parse_q(steps);
    char *tags[] = {"mock-only"};
    struct conform_scenario sc = {.id = "fake-scenario",
                                  .description = "a scenario",
                                  .tags = tags,
                                  .tag_count = 1,
                                  .steps = doc};
    struct conform_scenario_env senv = {
        .driver = &fake_driver, .mock = true, .from = 1735660800, .to = 1743436799};
    struct conform_outcome out;
    conform_run_scenario(&senv, &sc, &out);
    if (out.status != want)
        fail_msg("status %s, expected %s: %s", conform_status_name(out.status),
                 conform_status_name(want), out.messages);
    char *messages = out.messages;
    conform_findings_free(&out.drift);
    cJSON_Delete(doc);
    return messages;
}

static void test_pagination_checks_the_echo(void **state)
{
    (void)state;
    memset(&fake, 0, sizeof(fake));
    fake.total = 10;
    free(run_fake("[{'check':'pagination','size':4}]", CONFORM_PASSED));

    /* A server that echoes another page number than asked has served another page. */
    fake.page_shift = 1;
    char *m = run_fake("[{'check':'pagination','size':4}]", CONFORM_FAILED);
    assert_string_equal(m, "step 1 (pagination): page 1 answered as page 2\n");
    free(m);
    fake.page_shift = 0;
    fake.size_echo = 20;
    m = run_fake("[{'check':'pagination','size':4}]", CONFORM_FAILED);
    assert_string_equal(m, "step 1 (pagination): page 1 answered with page size 20, asked for 4\n");
    free(m);
    /* The page after the last must say it is that page, even when it is empty. */
    fake.size_echo = 0;
    fake.clamp = true;
    m = run_fake("[{'check':'pagination','size':4}]", CONFORM_FAILED);
    assert_string_equal(m, "step 1 (pagination): page 4 answered as page 3\n");
    free(m);
    /* Drivers whose vendor echoes nothing report -1, and nothing is judged. */
    fake.silent = true;
    free(run_fake("[{'check':'pagination','size':4}]", CONFORM_PASSED));
    memset(&fake, 0, sizeof(fake));
}

/* ---- reports --------------------------------------------------------------------------------- */

static void add_drift(struct conform_findings *f, const char *path, const char *kind,
                      const char *expected, const char *seen, enum conform_severity severity,
                      unsigned count)
{
    struct conform_finding *grown = realloc(f->items, (f->count + 1) * sizeof(*grown));
    assert_non_null(grown);
    f->items = grown;
    grown[f->count++] = (struct conform_finding){
        strdup(path), strdup(kind), strdup(expected), strdup(seen), severity, count, NULL};
}

static void set_scenario(struct conform_scenario *sc, const char *id, const char *description,
                         const char *tag)
{
    sc->id = strdup(id);
    sc->description = strdup(description);
    sc->tags = calloc(1, sizeof(*sc->tags));
    assert_non_null(sc->tags);
    if (tag)
        sc->tags[sc->tag_count++] = strdup(tag);
}

/* Long enough that the first line is cut, with a three-byte character across the cut. */
#define LONG_LINE                                                                                  \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"                                           \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"                                           \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"                                           \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"                                           \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"                                           \
    "\xe7\xad\xbe\xe5\x90\x8d\xe9\x94\x99\xe8\xaf\xaf"

/* itnio: passed with additive drift, failed with breaking and additive drift, skipped;
 * yunfu: failed with a long first line. */
static void build_run(struct conform_run *run)
{
    memset(run, 0, sizeof(*run));
    run->target = strdup("mock");
    run->duration_ms = 1234.0;
    run->suite_count = 2;
    run->suites = calloc(2, sizeof(*run->suites));
    assert_non_null(run->suites);
    struct conform_suite *itnio = &run->suites[0], *yunfu = &run->suites[1];
    itnio->vendor = strdup("itnio");
    itnio->scenarios = calloc(3, sizeof(*itnio->scenarios));
    itnio->scenario_count = 3;
    set_scenario(&itnio->scenarios[0], "itnio-pass", "Signed queries pass", "live-safe");
    set_scenario(&itnio->scenarios[1], "itnio-fail", "Pages <add up> & \"stay\" put", "live-safe");
    set_scenario(&itnio->scenarios[2], "itnio-skip", "Only the mock can do this", "mock-only");
    yunfu->vendor = strdup("yunfu");
    yunfu->scenarios = calloc(1, sizeof(*yunfu->scenarios));
    yunfu->scenario_count = 1;
    set_scenario(&yunfu->scenarios[0], "yunfu-long", "Long", NULL);

    run->count = 4;
    run->outcomes = calloc(4, sizeof(*run->outcomes));
    assert_non_null(run->outcomes);
    struct conform_outcome *o = run->outcomes;
    o[0] = (struct conform_outcome){.scenario = &itnio->scenarios[0],
                                    .vendor = itnio->vendor,
                                    .status = CONFORM_PASSED,
                                    .messages = strdup(""),
                                    .duration_ms = 12.6,
                                    .requests = 1};
    add_drift(&o[0].drift, "data.records[].extra", "added", "not documented", "string",
              CONFORM_ADDITIVE, 3);
    o[1] = (struct conform_outcome){.scenario = &itnio->scenarios[1],
                                    .vendor = itnio->vendor,
                                    .status = CONFORM_FAILED,
                                    .duration_ms = 250.0,
                                    .requests = 5};
    o[1].messages =
        strdup("step 1 (page): expected <ok> & \"fine\"\x01 here\n"
               "breaking drift: data.total type: documented integer, seen string (2 responses)\n");
    add_drift(&o[1].drift, "data.total", "type", "integer", "string", CONFORM_BREAKING, 2);
    add_drift(&o[1].drift, "data.records[].note", "added", "not documented", "string",
              CONFORM_ADDITIVE, 1);
    o[2] = (struct conform_outcome){.scenario = &itnio->scenarios[2],
                                    .vendor = itnio->vendor,
                                    .status = CONFORM_SKIPPED,
                                    .skip_reason = strdup("mock-only scenario on a live target")};
    o[3] = (struct conform_outcome){.scenario = &yunfu->scenarios[0],
                                    .vendor = yunfu->vendor,
                                    .status = CONFORM_FAILED,
                                    .messages = strdup(LONG_LINE "\nsecond line\n"),
                                    .duration_ms = 1.0};
}

static bool valid_utf8(const unsigned char *s)
{
    while (*s) {
        size_t len = *s < 0x80             ? 1
                     : (*s & 0xE0) == 0xC0 ? 2
                     : (*s & 0xF0) == 0xE0 ? 3
                     : (*s & 0xF8) == 0xF0 ? 4
                                           : 0;
        if (!len)
            return false;
        for (size_t i = 1; i < len; i++)
            if ((s[i] & 0xC0) != 0x80)
                return false;
        s += len;
    }
    return true;
}

static const char *xml_name_end(const char *p)
{
    while (*p && (strchr("_-.:", *p) || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9')))
        p++;
    return p;
}

/* Character data: only the five predefined entities, no '<', no control characters but
 * tab, newline and carriage return. Stops at '<' (text) or at the quote (attribute). */
static const char *xml_chars(const char *p, char stop)
{
    for (; *p && *p != '<' && *p != stop; p++) {
        if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r')
            fail_msg("control character 0x%02x in XML", (unsigned char)*p);
        if (*p == '&') {
            static const char *const entities[] = {"&lt;", "&gt;", "&amp;", "&quot;", "&apos;"};
            bool known = false;
            for (size_t i = 0; i < 5 && !known; i++)
                known = strncmp(p, entities[i], strlen(entities[i])) == 0;
            if (!known)
                fail_msg("bare '&' in XML: %.20s", p);
        }
    }
    return p;
}

/* A small well-formedness check: declaration, one root, balanced and matching tags, quoted
 * attributes, escaped character data, valid UTF-8. */
static void assert_well_formed(const char *xml)
{
    assert_true(valid_utf8((const unsigned char *)xml));
    test_assert_prefix(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    const char *p = strstr(xml, "?>") + 2;
    char stack[16][64];
    size_t depth = 0, roots = 0;
    for (;;) {
        const char *text = p;
        p = xml_chars(p, '\0');
        if (depth == 0)
            for (const char *t = text; t < p; t++)
                if (!strchr(" \n\t\r", *t))
                    fail_msg("text outside the root: %.20s", t);
        if (!*p)
            break;
        p++; /* '<' */
        if (*p == '/') {
            const char *name = ++p, *end = xml_name_end(p);
            if (depth == 0 || strlen(stack[depth - 1]) != (size_t)(end - name) ||
                strncmp(stack[depth - 1], name, (size_t)(end - name)) != 0)
                fail_msg("mismatched end tag at %.30s", name - 2);
            depth--;
            if (*end != '>')
                fail_msg("bad end tag at %.30s", name - 2);
            p = end + 1;
            continue;
        }
        const char *name = p, *end = xml_name_end(p);
        if (end == name)
            fail_msg("bad tag at %.30s", name - 1);
        if (depth == 0 && ++roots > 1)
            fail_msg("second root element at %.30s", name - 1);
        assert_true(depth < 16 && (size_t)(end - name) < 64);
        snprintf(stack[depth], sizeof(stack[depth]), "%.*s", (int)(end - name), name);
        p = end;
        for (;;) {
            while (*p == ' ')
                p++;
            if (*p == '>' || (p[0] == '/' && p[1] == '>'))
                break;
            const char *attr = p;
            p = xml_name_end(p);
            if (p == attr || p[0] != '=' || p[1] != '"')
                fail_msg("bad attribute at %.30s", attr);
            p = xml_chars(p + 2, '"');
            if (*p != '"')
                fail_msg("unterminated attribute at %.30s", attr);
            p++;
        }
        if (*p == '>') {
            depth++;
            p++;
        } else {
            p += 2;
        }
    }
    if (depth != 0 || roots != 1)
        fail_msg("%zu elements left open, %zu roots", depth, roots);
}

/* The part of xml from the testcase named id to its end tag (caller frees). */
static char *testcase(const char *xml, const char *id)
{
    char *start_tag = test_format("name=\"%s\"", id);
    const char *start = strstr(xml, start_tag);
    free(start_tag);
    assert_non_null(start);
    const char *end = strstr(start, "</testcase>");
    assert_non_null(end);
    return strndup(start, (size_t)(end - start));
}

static void test_report_junit(void **state)
{
    (void)state;
    struct conform_run run;
    build_run(&run);
    char *path = test_format("%s/report.xml", tmpdir);
    assert_true(conform_report_junit(&run, path));
    char *xml = read_text(path);
    unlink(path);
    free(path);
    assert_well_formed(xml);
    assert_null(strchr(xml, '\x01'));
    assert_non_null(strstr(xml, "<testsuites name=\"cdrsim-conform\" tests=\"4\" failures=\"2\" "
                                "errors=\"0\" skipped=\"1\" time=\"1.234\">"));
    /* Each suite says when and where it ran (UTC), and what against. */
    assert_non_null(strstr(
        xml, "<testsuite name=\"itnio\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\" "
             "time=\"0.263\" timestamp=\"1970-01-01T00:00:00\" hostname=\""));
    assert_non_null(strstr(
        xml, "<testsuite name=\"yunfu\" tests=\"1\" failures=\"1\" errors=\"0\" skipped=\"0\" "
             "time=\"0.001\" timestamp=\"1970-01-01T00:00:00\" hostname=\""));
    assert_int_equal(occurrences(xml, "<property name=\"target\" value=\"mock\"/>"), 2);
    assert_int_equal(
        occurrences(xml, "<property name=\"tool\" value=\"cdrsim-conform " CDRSIM_VERSION "\"/>"),
        2);
    assert_int_equal(occurrences(xml, "<testsuite "), 2);
    assert_int_equal(occurrences(xml, "<testcase "), 4);
    assert_int_equal(occurrences(xml, "</testcase>"), 4);
    assert_int_equal(occurrences(xml, "<failure "), 2);
    assert_int_equal(occurrences(xml, "<skipped "), 1);
    assert_int_equal(occurrences(xml, "<system-out>"), 2);

    char *pass = testcase(xml, "itnio-pass");
    assert_string_equal(pass,
                        "name=\"itnio-pass\" time=\"0.013\">\n"
                        "      <system-out>additive drift: data.records[].extra added: string (3)\n"
                        "</system-out>\n    ");
    free(pass);

    /* The first line is the message; description and every line are the body; breaking drift is
     * a failure (its message line), additive drift only system-out. */
    char *failed = testcase(xml, "itnio-fail");
    assert_string_equal(
        failed, "name=\"itnio-fail\" time=\"0.250\">\n"
                "      <failure message=\"step 1 (page): expected &lt;ok&gt; "
                "&amp; &quot;fine&quot;? here\">"
                "Pages &lt;add up&gt; &amp; &quot;stay&quot; put\n"
                "step 1 (page): expected &lt;ok&gt; &amp; &quot;fine&quot;? here\n"
                "breaking drift: data.total type: documented integer, seen string (2 responses)\n"
                "</failure>\n"
                "      <system-out>additive drift: data.records[].note added: string (1)\n"
                "</system-out>\n    ");
    free(failed);

    char *skipped = testcase(xml, "itnio-skip");
    assert_string_equal(skipped,
                        "name=\"itnio-skip\" time=\"0.000\">\n"
                        "      <skipped message=\"mock-only scenario on a live target\"/>\n    ");
    free(skipped);

    /* A long first line is cut between characters, never inside one. */
    char *cut = testcase(xml, "yunfu-long");
    size_t kept = strspn(LONG_LINE, "a") + 3; /* the a's and the whole first character */
    assert_true(kept <= 255);
    char *want = test_format("<failure message=\"%.*s\">", (int)kept, LONG_LINE);
    if (!strstr(cut, want))
        fail_msg("%s", cut);
    free(want);
    assert_non_null(strstr(cut, ">Long\n" LONG_LINE "\nsecond line\n</failure>"));
    free(cut);
    free(xml);

    assert_false(conform_report_junit(&run, "/nonexistent-dir/report.xml"));
    conform_run_free(&run);
    assert_null(run.outcomes);
    assert_null(run.suites);
}

static void test_report_json(void **state)
{
    (void)state;
    struct conform_run run;
    build_run(&run);
    char *path = test_format("%s/report.json", tmpdir);
    assert_true(conform_report_json(&run, path));
    char *text = read_text(path);
    unlink(path);
    free(path);
    cJSON *doc = cJSON_Parse(text);
    free(text);
    assert_non_null(doc);
    assert_string_equal(json_str_at(doc, "target"), "mock");
    assert_int_equal(json_int_at(doc, "summary.passed"), 1);
    assert_int_equal(json_int_at(doc, "summary.failed"), 2);
    assert_int_equal(json_int_at(doc, "summary.skipped"), 1);
    assert_int_equal(json_int_at(doc, "summary.breaking_drift"), 1);
    assert_int_equal(json_int_at(doc, "summary.additive_drift"), 2);
    assert_int_equal(json_int_at(doc, "summary.duration_ms"), 1234);
    assert_int_equal(cJSON_GetArraySize(json_at(doc, "scenarios")), 4);

    const char *statuses[] = {"passed", "failed", "skipped", "failed"};
    const char *ids[] = {"itnio-pass", "itnio-fail", "itnio-skip", "yunfu-long"};
    const char *vendors[] = {"itnio", "itnio", "itnio", "yunfu"};
    for (int i = 0; i < 4; i++) {
        char key[64];
        snprintf(key, sizeof(key), "scenarios.%d.status", i);
        assert_string_equal(json_str_at(doc, key), statuses[i]);
        snprintf(key, sizeof(key), "scenarios.%d.id", i);
        assert_string_equal(json_str_at(doc, key), ids[i]);
        snprintf(key, sizeof(key), "scenarios.%d.vendor", i);
        assert_string_equal(json_str_at(doc, key), vendors[i]);
        snprintf(key, sizeof(key), "scenarios.%d.messages", i);
        assert_true(cJSON_IsArray(json_at(doc, key)));
        snprintf(key, sizeof(key), "scenarios.%d.drift", i);
        assert_true(cJSON_IsArray(json_at(doc, key)));
    }
    assert_string_equal(json_str_at(doc, "scenarios.1.description"),
                        "Pages <add up> & \"stay\" put");
    assert_string_equal(json_str_at(doc, "scenarios.0.tags.0"), "live-safe");
    assert_int_equal(cJSON_GetArraySize(json_at(doc, "scenarios.3.tags")), 0);
    assert_int_equal(json_int_at(doc, "scenarios.1.requests"), 5);
    assert_int_equal(json_int_at(doc, "scenarios.1.duration_ms"), 250);

    /* Messages: one string per line, the text exactly as written. */
    assert_int_equal(cJSON_GetArraySize(json_at(doc, "scenarios.0.messages")), 0);
    assert_int_equal(cJSON_GetArraySize(json_at(doc, "scenarios.1.messages")), 2);
    assert_string_equal(json_str_at(doc, "scenarios.1.messages.0"),
                        "step 1 (page): expected <ok> & \"fine\"\x01 here");
    assert_string_equal(
        json_str_at(doc, "scenarios.1.messages.1"),
        "breaking drift: data.total type: documented integer, seen string (2 responses)");
    assert_int_equal(cJSON_GetArraySize(json_at(doc, "scenarios.3.messages")), 2);
    assert_string_equal(json_str_at(doc, "scenarios.3.messages.0"), LONG_LINE);
    assert_int_equal(cJSON_GetArraySize(json_at(doc, "scenarios.2.messages")), 0);
    assert_string_equal(json_str_at(doc, "scenarios.2.skip_reason"),
                        "mock-only scenario on a live target");
    assert_null(json_at(doc, "scenarios.1.skip_reason"));

    assert_int_equal(cJSON_GetArraySize(json_at(doc, "scenarios.1.drift")), 2);
    assert_string_equal(json_str_at(doc, "scenarios.1.drift.0.path"), "data.total");
    assert_string_equal(json_str_at(doc, "scenarios.1.drift.0.kind"), "type");
    assert_string_equal(json_str_at(doc, "scenarios.1.drift.0.severity"), "breaking");
    assert_string_equal(json_str_at(doc, "scenarios.1.drift.0.expected"), "integer");
    assert_string_equal(json_str_at(doc, "scenarios.1.drift.0.seen"), "string");
    assert_int_equal(json_int_at(doc, "scenarios.1.drift.0.count"), 2);
    assert_string_equal(json_str_at(doc, "scenarios.1.drift.1.path"), "data.records[].note");
    assert_string_equal(json_str_at(doc, "scenarios.1.drift.1.severity"), "additive");
    assert_string_equal(json_str_at(doc, "scenarios.0.drift.0.expected"), "not documented");
    assert_int_equal(json_int_at(doc, "scenarios.0.drift.0.count"), 3);
    assert_int_equal(cJSON_GetArraySize(json_at(doc, "scenarios.2.drift")), 0);
    cJSON_Delete(doc);

    assert_false(conform_report_json(&run, "/nonexistent-dir/report.json"));
    conform_run_free(&run);
}

static void test_report_text(void **state)
{
    (void)state;
    struct conform_run run;
    build_run(&run);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    conform_report_text(&run, out);
    assert_int_equal(fclose(out), 0);

    const char *summary =
        "\n1 passed, 2 failed, 1 skipped against mock in 1.2 s; drift: 1 breaking, "
        "2 additive; 0 departures from our inference\n";
    assert_true(len > strlen(summary));
    assert_string_equal(text + len - strlen(summary), summary);
    assert_non_null(strstr(text, "PASS  itnio    itnio-pass "));
    assert_non_null(
        strstr(text, "   13 ms  Signed queries pass\n"
                     "        additive drift: data.records[].extra added: string (3 responses)\n"));
    assert_non_null(strstr(text, "FAIL  itnio    itnio-fail "));
    assert_non_null(
        strstr(text, "  250 ms  Pages <add up> & \"stay\" put\n"
                     "        step 1 (page): expected <ok> & \"fine\"\x01 here\n"
                     "        breaking drift: data.total type: documented integer, "
                     "seen string (2 responses)\n"
                     "        additive drift: data.records[].note added: string (1 response)\n"));
    assert_non_null(strstr(text, "SKIP  itnio    itnio-skip "));
    assert_non_null(strstr(text, "        skipped: mock-only scenario on a live target\n"));
    assert_non_null(strstr(text, "FAIL  yunfu    yunfu-long "));
    assert_int_equal(occurrences(text, "additive drift:"), 2);
    free(text);

    /* An empty run still says what it did. */
    struct conform_run empty = {0};
    empty.target = "http://127.0.0.1:8080";
    text = NULL;
    out = open_memstream(&text, &len);
    assert_non_null(out);
    conform_report_text(&empty, out);
    assert_int_equal(fclose(out), 0);
    assert_string_equal(
        text, "\n0 passed, 0 failed, 0 skipped against http://127.0.0.1:8080 in 0.0 s; drift: 0 "
              "breaking, 0 additive; 0 departures from our inference\n");
    free(text);

    size_t counts[4], breaking, additive;
    conform_run_counts(&run, counts, &breaking, &additive);
    assert_int_equal(counts[CONFORM_PASSED], 1);
    assert_int_equal(counts[CONFORM_FAILED], 2);
    assert_int_equal(counts[CONFORM_SKIPPED], 1);
    assert_int_equal(counts[CONFORM_ERROR], 0);
    assert_int_equal(breaking, 1);
    assert_int_equal(additive, 2);
    assert_string_equal(conform_status_name(CONFORM_ERROR), "error");
    conform_run_free(&run);
}

/* ---- checks on a driver's own calls ---------------------------------------------------------- */

/* A vendor without range or paged queries: its records come from named calls only. */
static cdr_error named_calls(const struct conform_call *call, const char *name,
                             struct conform_result *out)
{
    (void)call;
    if (strcmp(name, "current") == 0) {
        three_records(out);
        cdr_record_free(&out->records[--out->count]); /* r1 and r2: sane */
    } else if (strcmp(name, "held") == 0) {
        three_records(out); /* r3 has no raw object */
    } else if (strcmp(name, "none") != 0) {
        return cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT, "no call named %s for itnio",
                             name);
    }
    return CDR_OK;
}

/* Runs one scenario of the given steps (' for ") through a driver with only named calls. */
static char *run_steps(const char *steps, enum conform_status want)
{
    const struct conform_driver driver = {.vendor = "itnio", .action = named_calls};
    struct conform_schema schema = {0};
    struct conform_scenario_env senv = {.driver = &driver, .schema = &schema, .mock = true};
    struct conform_scenario sc = {0};
    set_scenario(&sc, "named", "records from a named call", "mock-only");
    cJSON *parsed = parse_q(steps);
    sc.steps = parsed;
    struct conform_outcome out;
    conform_run_scenario(&senv, &sc, &out);
    char *messages = strdup(out.messages);
    if (out.status != want)
        fail_msg("status %s, expected %s: %s", conform_status_name(out.status),
                 conform_status_name(want), messages);
    free(out.messages);
    free(out.skip_reason);
    conform_findings_free(&out.drift);
    cJSON_Delete(parsed);
    free(sc.id);
    free(sc.description);
    free(sc.tags[0]);
    free(sc.tags);
    return messages;
}

static void test_normalize_named_call(void **state)
{
    (void)state;
    char *m = run_steps("[{'check':'normalize','source':'current'}]", CONFORM_PASSED);
    assert_string_equal(m, "");
    free(m);
    m = run_steps("[{'check':'normalize','source':'held'}]", CONFORM_FAILED);
    assert_string_equal(m, "step 1 (normalize): record r3 lost the vendor's own fields\n");
    free(m);
    /* No source: the range query, which this driver does not have. */
    m = run_steps("[{'check':'normalize'}]", CONFORM_FAILED);
    assert_string_equal(m, "step 1 (normalize): the query failed: invalid_argument: itnio has no "
                           "range query\n");
    free(m);
    m = run_steps("[{'check':'normalize','source':'nosuch'}]", CONFORM_FAILED);
    assert_string_equal(m, "step 1 (normalize): the query failed: invalid_argument: no call named "
                           "nosuch for itnio\n");
    free(m);
    /* An empty answer proves nothing unless the step says that is fine (a live agent may have
     * no call at all). */
    m = run_steps("[{'check':'normalize','source':'none'}]", CONFORM_FAILED);
    assert_string_equal(m, "step 1 (normalize): 0 records: too few to check normalization\n");
    free(m);
    m = run_steps("[{'check':'normalize','source':'none','min_records':0}]", CONFORM_PASSED);
    free(m);
    /* The same dispatch serves call steps. */
    m = run_steps("[{'call':'current','expect':{'count':2}},{'call':'page'}]", CONFORM_FAILED);
    assert_string_equal(m, "step 2 (page): expected success, got invalid_argument (itnio has no "
                           "paged query)\n");
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suite_valid),
        cmocka_unit_test(test_suite_malformed),
        cmocka_unit_test(test_shipped_suite),
        cmocka_unit_test(test_diff_types),
        cmocka_unit_test(test_diff_numbers),
        cmocka_unit_test(test_diff_missing_and_added),
        cmocka_unit_test(test_diff_nullable),
        cmocka_unit_test(test_diff_sources),
        cmocka_unit_test(test_diff_enum),
        cmocka_unit_test(test_diff_arrays_and_refs),
        cmocka_unit_test(test_diff_any_of),
        cmocka_unit_test(test_schema_check_routing),
        cmocka_unit_test(test_itnio_callin_strategy_agrees),
        cmocka_unit_test(test_schema_check_bodies_and_counts),
        cmocka_unit_test(test_schema_load_errors),
        cmocka_unit_test(test_shipped_schema_accepts_seed_example),
        cmocka_unit_test(test_shipped_aliyun_schema),
        cmocka_unit_test(test_args_with_range),
        cmocka_unit_test(test_expect_errors),
        cmocka_unit_test(test_expect_counts),
        cmocka_unit_test(test_expect_records),
        cmocka_unit_test(test_predicates),
        cmocka_unit_test(test_expect_paging_and_order),
        cmocka_unit_test(test_expect_view),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_expect_record),
        cmocka_unit_test(test_pagination_checks_the_echo),
        cmocka_unit_test(test_normalize_named_call),
        cmocka_unit_test(test_report_junit),
        cmocka_unit_test(test_report_json),
        cmocka_unit_test(test_report_text),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
