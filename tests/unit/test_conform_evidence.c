/* Evidence levels and what the runner makes of them: suites say whether each expectation is
 * documented or inferred; against a live target a failed inferred expectation is a departure
 * (reported, with the mock variant that behaves so) rather than a failure; calibration turns the
 * departures into a cdrsim-mock configuration. Also the runner's manners towards a vendor: the
 * window one query may span, rate-limit refusals asked again, pacing. All against vendors held in
 * memory. JSON inside C strings is written with ' for " (test_dq). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdrsim/buf.h"
#include "cdrsim/cdrsim.h"
#include "config.h"
#include "conform.h"
#include "runner.h"
#include "testutil.h"
#include "vendor.h"

/* ---- loading --------------------------------------------------------------------------------- */

/* The suite text (' for ") in a temporary file, loaded with flags; NULL and err filled when it
 * does not load. The file is gone afterwards. */
static bool load_q(struct conform_suite *suite, const char *text, unsigned flags, char *err,
                   size_t err_len)
{
    char *body = test_dq(text);
    char *path = test_write_temp(body);
    free(body);
    bool ok = conform_suite_load_with(suite, path, flags, err, err_len);
    unlink(path);
    free(path);
    return ok;
}

#define SUITE(scenarios)                                                                           \
    "{'vendor':'yunfu','mock':{'clock':'2022-10-20T00:00:00Z'},'scenarios':[" scenarios "]}"
#define CITE "'cite':'https://docs.example.com/record-list — 5002 任务不存在'"
#define WHY "'why':'the page lists no validation; Laravel answers 422'"

static void test_evidence_loads(void **state)
{
    (void)state;
    struct conform_suite suite;
    char err[512] = "";
    bool ok = load_q(
        &suite,
        "{'vendor':'yunfu','mock':{'clock':'2022-10-20T00:00:00Z'},"
        " 'rate_limit':{'calls_per_second':80,'evidence':'documented'," CITE "},"
        " 'scenarios':["
        "  {'id':'doc','description':'d','evidence':'documented'," CITE ","
        "   'steps':[{'call':'page','expect':{'error':'not_found'}},"
        "            {'call':'page','evidence':'inferred'," WHY ","
        "             'on_departure':{'variants':{'yunfu.level_check':'lenient'}},"
        "             'expect':{'error':'parameter'}},"
        "            {'admin':'/__cdrsim/reset'}]},"
        "  {'id':'inf','description':'d','evidence':'inferred'," WHY ","
        "   'on_departure':[{'expect':{'error':'ok'},'variants':{'yunfu.level_check':'lenient'}},"
        "                   {'variants':{'yunfu.per_page_type':'number','yunfu.rate_limit':60}}],"
        "   'steps':[{'check':'pagination','size':7},"
        "            {'call':'page','evidence':'documented'," CITE ",'expect':{}}]},"
        "  {'id':'none','description':'d','steps':[{'call':'page','expect':{}}]}]}",
        CONFORM_LOAD_DEFAULT, err, sizeof(err));
    if (!ok)
        fail_msg("%s", err);
    assert_true(suite.calls_per_second == 80.0);
    const struct conform_scenario *doc = &suite.scenarios[0], *inf = &suite.scenarios[1];
    assert_int_equal(doc->evidence.level, CONFORM_EVIDENCE_DOCUMENTED);
    assert_string_equal(doc->evidence.cite,
                        "https://docs.example.com/record-list — 5002 任务不存在");
    assert_null(doc->evidence.why);
    assert_null(doc->evidence.on_departure);

    /* Steps inherit their scenario's evidence, or override level, cite and why together. */
    struct conform_evidence e = conform_step_evidence(doc, cJSON_GetArrayItem(doc->steps, 0));
    assert_int_equal(e.level, CONFORM_EVIDENCE_DOCUMENTED);
    assert_string_equal(e.cite, doc->evidence.cite);
    e = conform_step_evidence(doc, cJSON_GetArrayItem(doc->steps, 1));
    assert_int_equal(e.level, CONFORM_EVIDENCE_INFERRED);
    assert_null(e.cite);
    assert_string_equal(e.why, "the page lists no validation; Laravel answers 422");
    const cJSON *variants = cJSON_GetObjectItemCaseSensitive(e.on_departure, "variants");
    assert_string_equal(
        cJSON_GetObjectItemCaseSensitive(variants, "yunfu.level_check")->valuestring, "lenient");

    /* on_departure is inherited apart from the level: a documented step keeps it but never
     * departs. */
    assert_true(cJSON_IsArray(inf->evidence.on_departure));
    e = conform_step_evidence(inf, cJSON_GetArrayItem(inf->steps, 1));
    assert_int_equal(e.level, CONFORM_EVIDENCE_DOCUMENTED);
    assert_ptr_equal(e.on_departure, inf->evidence.on_departure);

    const struct conform_scenario *none = &suite.scenarios[2];
    assert_int_equal(none->evidence.level, CONFORM_EVIDENCE_UNTAGGED);
    assert_int_equal(conform_step_evidence(none, cJSON_GetArrayItem(none->steps, 0)).level,
                     CONFORM_EVIDENCE_UNTAGGED);
    assert_string_equal(conform_evidence_name(CONFORM_EVIDENCE_INFERRED), "inferred");
    assert_string_equal(conform_evidence_name(CONFORM_EVIDENCE_UNTAGGED), "untagged");
    conform_suite_free(&suite);
}

static void expect_refused(const char *text, unsigned flags, const char *needle)
{
    struct conform_suite suite;
    char err[512] = "";
    if (load_q(&suite, text, flags, err, sizeof(err))) {
        conform_suite_free(&suite);
        fail_msg("accepted: %s", text);
    }
    char *want = test_dq(needle);
    if (!strstr(err, want))
        fail_msg("\"%s\" does not say \"%s\"", err, want);
    free(want);
    assert_null(suite.doc);
}

#define STEP_SCENARIO(step) "{'id':'s','description':'d','steps':[" step "]}"

static void test_evidence_refused(void **state)
{
    (void)state;
    static const struct {
        const char *text, *needle;
    } cases[] = {
        {SUITE("{'id':'s','description':'d','evidence':'documented','steps':[{'call':'page'}]}"),
         "scenario s: documented evidence needs 'cite'"},
        {SUITE("{'id':'s','description':'d','evidence':'inferred','steps':[{'call':'page'}]}"),
         "scenario s: inferred evidence needs 'why'"},
        {SUITE("{'id':'s','description':'d','evidence':'guessed'," WHY
               ",'steps':[{'call':'page'}]}"),
         "scenario s: 'evidence' is 'documented' or 'inferred'"},
        {SUITE("{'id':'s','description':'d'," CITE ",'steps':[{'call':'page'}]}"),
         "scenario s: 'cite' without 'evidence'"},
        {SUITE(STEP_SCENARIO("{'call':'page','evidence':'documented','cite':''}")),
         "scenario s, step 1: 'cite' must be a non-empty string"},
        {SUITE(STEP_SCENARIO("{'call':'page','evidence':'inferred','why':7}")),
         "scenario s, step 1: 'why' must be a non-empty string"},
        {SUITE(STEP_SCENARIO("{'call':'page','evidence':'documented'}")),
         "scenario s, step 1: documented evidence needs 'cite'"},
        {SUITE(STEP_SCENARIO("{'call':'page','evidence':'inferred'," WHY
                             ",'on_departure':{'variant':{'yunfu.x':'y'}}}")),
         "scenario s, step 1: 'on_departure' takes"},
        {SUITE(STEP_SCENARIO("{'call':'page','evidence':'inferred'," WHY
                             ",'on_departure':{'variants':{}}}")),
         "'on_departure' takes"},
        {SUITE(STEP_SCENARIO("{'call':'page','evidence':'inferred'," WHY ",'on_departure':[]}")),
         "'on_departure' is an empty array"},
        {SUITE(STEP_SCENARIO("{'call':'page','evidence':'inferred'," WHY
                             ",'on_departure':{'variants':{'itnio.status_type':'string'}}}")),
         "on_departure variant 'itnio.status_type' must be named yunfu.NAME"},
        {SUITE(STEP_SCENARIO("{'call':'page','evidence':'inferred'," WHY
                             ",'on_departure':{'variants':{'yunfu.x':true}}}")),
         "string or number value"},
        {SUITE(STEP_SCENARIO("{'call':'page','evidence':'inferred'," WHY
                             ",'on_departure':{'variants':{'yunfu.x':'y'},'expect':[]}}")),
         "'on_departure' takes"},
        {SUITE("{'id':'s','description':'d','evidense':'documented','steps':[{'call':'page'}]}"),
         "scenario s: unknown key 'evidense'"},
        {"{'vendor':'yunfu','mock':{'clock':'2022-10-20T00:00:00Z'},"
         "'rate_limit':{'calls_per_second':0},'scenarios':[]}",
         "rate_limit: needs 'calls_per_second', a number above 0"},
        {"{'vendor':'yunfu','mock':{'clock':'2022-10-20T00:00:00Z'},"
         "'rate_limit':{'calls_per_second':80,'evidence':'documented'},'scenarios':[]}",
         "rate_limit: documented evidence needs 'cite'"},
        {"{'vendor':'yunfu','mock':{'clock':'2022-10-20T00:00:00Z'},"
         "'rate_limit':{'calls_per_second':80,'burst':5},'scenarios':[]}",
         "rate_limit: unknown key 'burst'"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        expect_refused(cases[i].text, CONFORM_LOAD_DEFAULT, cases[i].needle);
}

/* Once every suite is tagged, an expectation without evidence is a load error: any step with an
 * "expect", any check; admin steps and calls that only prepare need none. */
static void test_evidence_required(void **state)
{
    (void)state;
    const char *tagged =
        SUITE("{'id':'a','description':'d','evidence':'inferred'," WHY ","
              " 'steps':[{'call':'page','expect':{}},{'check':'pagination'}]},"
              "{'id':'b','description':'d','steps':[{'call':'sign_in'},{'admin':'/x'},"
              " {'call':'page','evidence':'documented'," CITE ",'expect':{}},"
              " {'check':'normalize','evidence':'inferred'," WHY "}]}");
    struct conform_suite suite;
    char err[512] = "";
    if (!load_q(&suite, tagged, CONFORM_LOAD_REQUIRE_EVIDENCE, err, sizeof(err)))
        fail_msg("%s", err);
    conform_suite_free(&suite);
    const char *untagged_expect = SUITE("{'id':'u','description':'d','steps':[{'call':'sign_in'},"
                                        " {'call':'page','expect':{'error':'ok'}}]}");
    expect_refused(untagged_expect, CONFORM_LOAD_REQUIRE_EVIDENCE,
                   "scenario u, step 2: no evidence: tag the step or its scenario");
    expect_refused(SUITE("{'id':'c','description':'d','steps':[{'check':'pagination'}]}"),
                   CONFORM_LOAD_REQUIRE_EVIDENCE, "scenario c, step 1: no evidence");
    /* Without the switch, untagged suites load as before. */
    assert_true(load_q(&suite, untagged_expect, CONFORM_LOAD_DEFAULT, err, sizeof(err)));
    conform_suite_free(&suite);
    assert_false(CONFORM_LOAD_DEFAULT & CONFORM_LOAD_REQUIRE_EVIDENCE);
}

/* ---- departures ------------------------------------------------------------------------------ */

/* A vendor held in memory: each page answers `error` (with that HTTP status and vendor code) or
 * `records` records, after refusing the first `refusals` calls as rate limited. It keeps the range
 * every page was asked for. */
static struct {
    cdr_error error;
    long http_status;
    const char *vendor_code;
    int64_t records;
    int refusals;
    int calls;
    int64_t from[16], to[16];
} vendor;

static cdr_error fake_page(const struct conform_call *call, int64_t page, int64_t size,
                           struct conform_result *out)
{
    (void)size;
    if (vendor.calls < 16) {
        vendor.from[vendor.calls] =
            (int64_t)cJSON_GetObjectItemCaseSensitive(call->args, "from")->valuedouble;
        vendor.to[vendor.calls] =
            (int64_t)cJSON_GetObjectItemCaseSensitive(call->args, "to")->valuedouble;
    }
    if (vendor.calls++ < vendor.refusals)
        return cdr_error_set_vendor(&out->info, CDR_ERR_RATE_LIMITED, 400, "Throttling.User",
                                    "Request was denied due to user flow control.");
    if (vendor.error != CDR_OK)
        return cdr_error_set_vendor(&out->info, vendor.error, vendor.http_status,
                                    vendor.vendor_code ? vendor.vendor_code : "", "refused");
    out->info.http_status = 200;
    out->paged = true;
    out->total = vendor.records;
    out->pages = 1;
    for (int64_t i = page == 1 ? 0 : vendor.records; i < vendor.records; i++) {
        char id[32];
        snprintf(id, sizeof(id), "r%lld", (long long)i + 1);
        struct cdr_record rec;
        cdr_record_init(&rec);
        rec.vendor = "yunfu";
        rec.id = id;
        rec.start_time = 1735660800 - i;
        assert_true(conform_result_add(out, &rec));
    }
    return CDR_OK;
}

/* The vendor named so its descriptor's limits apply (ITNIO: 93 days a query). */
static const struct conform_driver yunfu_driver = {.vendor = "yunfu", .page = fake_page};
static const struct conform_driver itnio_driver = {.vendor = "itnio", .page = fake_page};

/* The outcome of one scenario of the suite text (one scenario), live or against the mock. The
 * suite stays loaded in *suite for the outcome's sake; free both. */
static void run_one(const char *scenario, const struct conform_driver *driver, bool mock,
                    struct conform_suite *suite, struct conform_outcome *out)
{
    char err[512] = "";
    if (!load_q(suite, scenario, CONFORM_LOAD_DEFAULT, err, sizeof(err)))
        fail_msg("%s", err);
    struct conform_scenario_env senv = {
        .driver = driver, .mock = mock, .from = 1735660800, .to = 1743436799, .max_retries = 2};
    conform_run_scenario(&senv, &suite->scenarios[0], out);
}

static void done(struct conform_suite *suite, struct conform_outcome *out)
{
    conform_outcome_free(out);
    conform_suite_free(suite);
}

/* The inferred 422 of a Yunfu page with a reversed score range, against a vendor that answers it
 * with records (documented-compatible: the page lists no validation). */
#define REVERSED_LEVEL                                                                             \
    SUITE(                                                                                         \
        "{'id':'yunfu-param-level-reversed','description':'d','tags':['live-safe'],"               \
        " 'evidence':'inferred','why':'Laravel validation, not on the page',"                      \
        " 'on_departure':[{'expect':{'error':'not_found'},'variants':{'yunfu.x':'404'}},"          \
        "   {'expect':{'error':'ok','count_min':1},'variants':{'yunfu.level_check':'lenient'}}],"  \
        " 'steps':[{'call':'page','size':10,'args':{'level':['500:100']},"                         \
        "   'expect':{'error':'parameter','http_status':422}},"                                    \
        "   {'call':'page','evidence':'documented'," CITE ",'expect':{'error':'ok'}}]}")

static void test_inferred_failure_departs_on_a_live_target(void **state)
{
    (void)state;
    memset(&vendor, 0, sizeof(vendor));
    vendor.records = 3;
    struct conform_suite suite;
    struct conform_outcome out;
    run_one(REVERSED_LEVEL, &yunfu_driver, false, &suite, &out);
    if (out.status != CONFORM_PASSED)
        fail_msg("%s: %s", conform_status_name(out.status), out.messages);
    assert_string_equal(out.messages, "");
    assert_int_equal(out.departure_count, 1);
    const struct conform_departure *d = &out.departures[0];
    assert_int_equal(d->step, 1);
    assert_string_equal(d->label, "step 1 (page)");
    assert_string_equal(d->expected, "{\"error\":\"parameter\",\"http_status\":422}");
    assert_string_equal(d->seen, "ok, HTTP 200, 3 records");
    assert_string_equal(
        d->messages, "step 1 (page): expected the call to fail with parameter, but it succeeded");
    assert_string_equal(d->why, "Laravel validation, not on the page");
    /* The alternative the answer meets names the variant: not the 404 one. */
    char *variants = cJSON_PrintUnformatted(d->variants);
    assert_string_equal(variants, "{\"yunfu.level_check\":\"lenient\"}");
    free(variants);
    /* The steps after a departure still run: the documented page was asked too. */
    assert_int_equal(vendor.calls, 2);
    done(&suite, &out);

    /* The mock is our inference: there it fails like any expectation. */
    memset(&vendor, 0, sizeof(vendor));
    vendor.records = 3;
    run_one(REVERSED_LEVEL, &yunfu_driver, true, &suite, &out);
    assert_int_equal(out.status, CONFORM_FAILED);
    assert_int_equal(out.departure_count, 0);
    assert_string_equal(
        out.messages,
        "step 1 (page): expected the call to fail with parameter, but it succeeded\n");
    done(&suite, &out);
}

static void test_documented_failure_fails_on_a_live_target(void **state)
{
    (void)state;
    memset(&vendor, 0, sizeof(vendor));
    vendor.error = CDR_ERR_AUTH;
    vendor.http_status = 401;
    struct conform_suite suite;
    struct conform_outcome out;
    run_one(REVERSED_LEVEL, &yunfu_driver, false, &suite, &out);
    assert_int_equal(out.status, CONFORM_FAILED);
    /* Step 1 departed (no alternative meets an auth error), step 2 failed, citing its page. */
    assert_int_equal(out.departure_count, 1);
    assert_null(out.departures[0].variants);
    assert_string_equal(out.departures[0].seen, "auth (refused), HTTP 401");
    assert_string_equal(out.messages,
                        "step 2 (page): expected success, got auth (refused)\n"
                        "step 2 (page): documented: https://docs.example.com/record-list — 5002 "
                        "任务不存在\n");
    done(&suite, &out);

    /* An expectation without evidence is judged as documented. */
    memset(&vendor, 0, sizeof(vendor));
    vendor.error = CDR_ERR_PARAMETER;
    run_one(SUITE("{'id':'u','description':'d','steps':[{'call':'page','expect':{}}]}"),
            &yunfu_driver, false, &suite, &out);
    assert_int_equal(out.status, CONFORM_FAILED);
    assert_int_equal(out.departure_count, 0);
    done(&suite, &out);
}

/* A check's departure has no answer to match alternatives against: only an unconditional one
 * names a variant. */
static void test_check_departs(void **state)
{
    (void)state;
    memset(&vendor, 0, sizeof(vendor));
    vendor.records = 3;
    struct conform_suite suite;
    struct conform_outcome out;
    run_one(SUITE("{'id':'order','description':'d','evidence':'inferred','why':'newest first',"
                  " 'on_departure':[{'expect':{'order':'oldest_first'},'variants':{'yunfu.o':'1'}},"
                  "   {'variants':{'yunfu.order':'oldest'}}],"
                  " 'steps':[{'check':'pagination','size':2}]}"),
            &yunfu_driver, false, &suite, &out);
    assert_int_equal(out.status, CONFORM_PASSED);
    assert_int_equal(out.departure_count, 1);
    assert_string_equal(out.departures[0].expected, "check pagination");
    assert_null(out.departures[0].seen);
    assert_non_null(strstr(out.departures[0].messages, "pages is 1 for total 3 and size 2"));
    char *variants = cJSON_PrintUnformatted(out.departures[0].variants);
    assert_string_equal(variants, "{\"yunfu.order\":\"oldest\"}");
    free(variants);
    done(&suite, &out);
}

/* ---- calibration ----------------------------------------------------------------------------- */

/* Whether the mock has the variant "vendor.name" and takes value for it. */
static bool mock_takes(const char *key, const cJSON *value)
{
    const char *dot = strchr(key, '.');
    char text[64];
    if (cJSON_IsString(value))
        snprintf(text, sizeof(text), "%s", value->valuestring);
    else
        snprintf(text, sizeof(text), "%.15g", value->valuedouble);
    for (const struct mock_vendor_sim *const *v = mock_vendors; dot && *v; v++) {
        if (strlen((*v)->id) != (size_t)(dot - key) || strncmp((*v)->id, key, dot - key) != 0)
            continue;
        for (const struct mock_variant_spec *spec = (*v)->variants; spec && spec->name; spec++) {
            if (strcmp(spec->name, dot + 1) != 0)
                continue;
            if (!spec->choices)
                return !spec->validate || spec->validate(text);
            size_t len = strlen(text);
            for (const char *c = spec->choices; c; c = strchr(c, '|') ? strchr(c, '|') + 1 : NULL)
                if (strncmp(c, text, len) == 0 && (c[len] == '|' || c[len] == '\0'))
                    return true;
            return false;
        }
    }
    return false;
}

/* Every variant a suite's on_departure names, that the mock does not take, into bad (one line
 * each). */
static void unknown_variants(const struct conform_suite *suite, struct cdr_buf *bad)
{
    for (size_t i = 0; i < suite->scenario_count; i++) {
        const struct conform_scenario *sc = &suite->scenarios[i];
        const cJSON *places[64] = {sc->evidence.on_departure};
        size_t n = 1;
        const cJSON *step;
        cJSON_ArrayForEach(step, sc->steps)
            if (n < 64)
                places[n++] = conform_evidence_of(step).on_departure;
        for (size_t k = 0; k < n; k++) {
            const cJSON *alts = places[k];
            for (const cJSON *alt = cJSON_IsArray(alts) ? alts->child : alts; alt;
                 alt = cJSON_IsArray(alts) ? alt->next : NULL) {
                const cJSON *v;
                cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(alt, "variants"))
                    if (!mock_takes(v->string, v))
                        cdr_buf_printf(bad, "%s: %s\n", sc->id, v->string);
            }
        }
    }
}

/* A suggestion the mock refuses would calibrate nothing: every variant the suites name on a
 * departure is one of the mock's, with a value it takes. */
static void test_departure_variants_exist_in_the_mock(void **state)
{
    (void)state;
    struct conform_suite suite;
    char err[512] = "";
    assert_true(
        load_q(&suite,
               "{'vendor':'aliyun','mock':{'clock':'2025-05-01T00:00:00Z'},'scenarios':["
               "{'id':'a','description':'d','evidence':'inferred','why':'w',"
               " 'on_departure':[{'variants':{'aliyun.order':'oldest','aliyun.throttle':40}},"
               "  {'variants':{'aliyun.order':'sideways','aliyun.nosuch':'x'}}],"
               " 'steps':[{'call':'page','on_departure':{'variants':"
               "  {'aliyun.max_page_size':'-3'}}}]}]}",
               CONFORM_LOAD_DEFAULT, err, sizeof(err)));
    struct cdr_buf bad;
    cdr_buf_init(&bad);
    unknown_variants(&suite, &bad);
    assert_string_equal(bad.data, "a: aliyun.order\na: aliyun.nosuch\na: aliyun.max_page_size\n");
    cdr_buf_free(&bad);
    conform_suite_free(&suite);

    for (const struct conform_driver *const *d = conform_drivers; *d; d++) {
        char *path = test_format("%s/conformance/suites/%s.json", CDRSIM_SOURCE_DIR, (*d)->vendor);
        /* Every shipped expectation says whether it is documented or inferred. */
        if (!conform_suite_load_with(&suite, path, CONFORM_LOAD_REQUIRE_EVIDENCE, err, sizeof(err)))
            fail_msg("%s", err);
        cdr_buf_init(&bad);
        unknown_variants(&suite, &bad);
        if (bad.len)
            fail_msg("%s names variants the mock does not take:\n%s", path, bad.data);
        cdr_buf_free(&bad);
        conform_suite_free(&suite);
        free(path);
    }
}

static struct conform_departure departure(size_t step, const char *variants_q)
{
    struct conform_departure d = {0};
    d.step = step;
    d.label = test_format("step %zu (page)", step);
    d.expected = strdup("{}");
    d.messages = strdup("step: expected something");
    d.variants = variants_q ? test_parse_dq(variants_q) : NULL;
    return d;
}

/* Two vendors: yunfu departs twice (one variant agreed, one in conflict), once uncovered; huawei
 * once. */
static void build_calibrated_run(struct conform_run *run)
{
    memset(run, 0, sizeof(*run));
    run->target = strdup("https://vendor.example.com");
    run->variants = cJSON_CreateObject();
    run->suite_count = 2;
    run->suites = calloc(2, sizeof(*run->suites));
    run->count = 2;
    run->outcomes = calloc(2, sizeof(*run->outcomes));
    assert_non_null(run->suites);
    assert_non_null(run->outcomes);
    const char *vendors[] = {"yunfu", "huawei"};
    for (size_t i = 0; i < 2; i++) {
        struct conform_suite *s = &run->suites[i];
        s->vendor = strdup(vendors[i]);
        s->scenarios = calloc(1, sizeof(*s->scenarios));
        s->scenario_count = 1;
        s->scenarios[0].id = test_format("%s-scenario", vendors[i]);
        s->scenarios[0].description = strdup("d");
        s->scenarios[0].tags = calloc(1, sizeof(char *));
        run->outcomes[i].scenario = &s->scenarios[0];
        run->outcomes[i].vendor = s->vendor;
        run->outcomes[i].status = CONFORM_PASSED;
        run->outcomes[i].messages = strdup("");
    }
    struct conform_outcome *y = &run->outcomes[0], *h = &run->outcomes[1];
    y->departure_count = 4;
    y->departures = calloc(4, sizeof(*y->departures));
    y->departures[0] = departure(1, "{'yunfu.level_check':'lenient','yunfu.rate_limit':60}");
    y->departures[1] = departure(2, "{'yunfu.level_check':'lenient'}");
    y->departures[2] = departure(3, "{'yunfu.level_check':'strict'}");
    y->departures[3] = departure(4, NULL);
    h->departure_count = 1;
    h->departures = calloc(1, sizeof(*h->departures));
    h->departures[0] = departure(1, "{'huawei.lastcall_flag':'name'}");
}

static void test_calibration(void **state)
{
    (void)state;
    struct conform_run run;
    build_calibrated_run(&run);
    cJSON *c = conform_calibration(&run);
    char *config = cJSON_PrintUnformatted(json_at(c, "config"));
    assert_string_equal(config, "{\"yunfu\":{\"variants\":{\"level_check\":\"lenient\","
                                "\"rate_limit\":60}},\"huawei\":{\"variants\":{\"lastcall_flag\":"
                                "\"name\"}}}");
    free(config);
    assert_int_equal(cJSON_GetArraySize(json_at(c, "uncovered")), 1);
    assert_string_equal(json_str_at(c, "uncovered.0.scenario"), "yunfu-scenario");
    assert_string_equal(json_str_at(c, "uncovered.0.label"), "step 4 (page)");
    assert_int_equal(json_int_at(c, "uncovered.0.step"), 4);
    assert_int_equal(cJSON_GetArraySize(json_at(c, "conflicts")), 1);
    assert_string_equal(json_str_at(c, "conflicts.0.variant"), "yunfu.level_check");
    assert_string_equal(json_str_at(c, "conflicts.0.kept"), "lenient");
    assert_string_equal(json_str_at(c, "conflicts.0.also_implied"), "strict");
    cJSON_Delete(c);

    /* What --suggest-config writes is what cdrsim-mock --config reads. */
    char *path = test_write_temp("");
    assert_true(conform_write_suggested_config(&run, path));
    struct mock_config cfg;
    mock_config_init(&cfg);
    char err[512] = "";
    if (!mock_config_load_file(&cfg, path, err, sizeof(err)))
        fail_msg("%s", err);
    assert_string_equal(mock_config_variant(&cfg, "yunfu", "level_check"), "lenient");
    assert_string_equal(mock_config_variant(&cfg, "yunfu", "rate_limit"), "60");
    assert_string_equal(mock_config_variant(&cfg, "huawei", "lastcall_flag"), "name");
    mock_config_free(&cfg);
    unlink(path);
    free(path);
    assert_false(conform_write_suggested_config(&run, "/nonexistent-dir/mock.json"));

    /* The text report ends with the departures no variant covers and the conflicts. */
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    conform_report_text_summary(&run, out);
    fclose(out);
    assert_non_null(strstr(text, "; 5 departures from our inference\n"
                                 "no mock variant covers the departure of yunfu-scenario step 4 "
                                 "(page)\n"
                                 "departures disagree on yunfu.level_check: lenient (kept) and "
                                 "strict (yunfu-scenario)\n"));
    free(text);
    conform_run_free(&run);
}

/* Every report shows a departure: text under its scenario, JSON in its list and the calibration,
 * JUnit as a passing testcase with a property and system-out. */
static void test_departure_reports(void **state)
{
    (void)state;
    memset(&vendor, 0, sizeof(vendor));
    vendor.records = 3;
    struct conform_run run = {0};
    run.target = strdup("https://vendor.example.com");
    run.variants = cJSON_CreateObject();
    run.suite_count = 1;
    run.suites = calloc(1, sizeof(*run.suites));
    run.count = 1;
    run.outcomes = calloc(1, sizeof(*run.outcomes));
    run_one(REVERSED_LEVEL, &yunfu_driver, false, &run.suites[0], &run.outcomes[0]);
    assert_null(run.outcomes[0].notes);
    run.outcomes[0].notes = strdup("step 1 (page): narrowed <to> 93 days\nstep 2 (page): again\n");

    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    conform_report_text(&run, out);
    fclose(out);
    assert_non_null(
        strstr(text, "        departure from our inference:\n"
                     "          step 1 (page): expected the call to fail with parameter, but it "
                     "succeeded\n"
                     "          seen: ok, HTTP 200, 3 records\n"
                     "          we inferred: Laravel validation, not on the page\n"
                     "          the mock behaves so with: --variant yunfu.level_check=lenient\n"));
    assert_non_null(strstr(text, "        note: step 1 (page): narrowed <to> 93 days\n"
                                 "        note: step 2 (page): again\n"));
    assert_non_null(strstr(text, "1 passed, 0 failed, 0 skipped"));
    assert_non_null(strstr(text, "; 1 departure from our inference\n"));
    free(text);

    char *path = test_write_temp("");
    assert_true(conform_report_json(&run, path));
    cJSON *doc = test_load_json(path);
    assert_int_equal(json_int_at(doc, "summary.departures"), 1);
    assert_int_equal(json_int_at(doc, "summary.failed"), 0);
    assert_string_equal(json_str_at(doc, "scenarios.0.status"), "passed");
    assert_string_equal(json_str_at(doc, "scenarios.0.evidence"), "inferred");
    assert_int_equal(json_int_at(doc, "scenarios.0.departures.0.step"), 1);
    assert_string_equal(json_str_at(doc, "scenarios.0.departures.0.expected.error"), "parameter");
    assert_int_equal(json_int_at(doc, "scenarios.0.departures.0.expected.http_status"), 422);
    assert_string_equal(json_str_at(doc, "scenarios.0.departures.0.seen"),
                        "ok, HTTP 200, 3 records");
    assert_string_equal(json_str_at(doc, "scenarios.0.departures.0.why"),
                        "Laravel validation, not on the page");
    const cJSON *variants = json_at(doc, "scenarios.0.departures.0.variants");
    assert_string_equal(
        cJSON_GetObjectItemCaseSensitive(variants, "yunfu.level_check")->valuestring, "lenient");
    assert_string_equal(json_str_at(doc, "calibration.config.yunfu.variants.level_check"),
                        "lenient");
    assert_int_equal(cJSON_GetArraySize(json_at(doc, "calibration.uncovered")), 0);
    assert_int_equal(cJSON_GetArraySize(json_at(doc, "scenarios.0.notes")), 2);
    assert_string_equal(json_str_at(doc, "scenarios.0.notes.1"), "step 2 (page): again");
    cJSON_Delete(doc);

    assert_true(conform_report_junit(&run, path));
    char *xml = test_read_file(path, NULL);
    assert_non_null(strstr(xml, "failures=\"0\" errors=\"0\""));
    assert_non_null(strstr(
        xml, "      <properties>\n"
             "        <property name=\"departure\" value=\"step 1 (page): expected the call to "
             "fail with parameter, but it succeeded\"/>\n"
             "      </properties>\n"
             "      <system-out>departure from our inference: step 1 (page): expected the call "
             "to fail with parameter, but it succeeded\n"
             "  seen: ok, HTTP 200, 3 records\n"
             "  we inferred: Laravel validation, not on the page\n"
             "  the mock behaves so with: --variant yunfu.level_check=lenient\n"
             "note: step 1 (page): narrowed &lt;to&gt; 93 days\n"
             "note: step 2 (page): again\n"
             "</system-out>\n"));
    assert_null(strstr(xml, "<failure"));
    free(xml);
    unlink(path);
    free(path);
    conform_run_free(&run);
}

/* ---- the runner's manners -------------------------------------------------------------------- */

/* One page of a range longer than ITNIO's 93-day window is asked of the latest 93 days inside it,
 * and the outcome says so once; a step sending the range unchecked keeps it. */
static void test_window_narrowed(void **state)
{
    (void)state;
    memset(&vendor, 0, sizeof(vendor));
    vendor.records = 2;
    struct conform_suite suite;
    struct conform_outcome out;
    run_one(SUITE("{'id':'w','description':'d','steps':[{'call':'page',"
                  " 'args':{'from':'${to}-120d'},'expect':{'count':2}},"
                  " {'check':'pagination','size':2,'args':{'from':'${to}-120d'}},"
                  " {'call':'page','args':{'from':'${to}-120d'},'fault':{'unchecked':true}}]}"),
            &itnio_driver, false, &suite, &out);
    if (out.status != CONFORM_PASSED)
        fail_msg("%s", out.messages);
    const int64_t to = 1743436799, days93 = 93 * 86400;
    for (int i = 0; i < vendor.calls - 1; i++) {
        assert_int_equal(vendor.from[i], to - days93);
        assert_int_equal(vendor.to[i], to);
    }
    assert_int_equal(vendor.from[vendor.calls - 1], to - 120 * 86400);
    assert_string_equal(out.notes,
                        "step 1 (page): itnio lets one query span at most 8035200 s; a page of "
                        "2024-12-01T15:59:59Z..2025-03-31T15:59:59Z was asked of the latest window "
                        "inside it, 2024-12-28T15:59:59Z..2025-03-31T15:59:59Z\n"
                        "step 2 (pagination): itnio lets one query span at most 8035200 s; a page "
                        "of 2024-12-01T15:59:59Z..2025-03-31T15:59:59Z was asked of the latest "
                        "window inside it, 2024-12-28T15:59:59Z..2025-03-31T15:59:59Z\n");
    done(&suite, &out);
    /* A vendor without a window keeps every range. */
    memset(&vendor, 0, sizeof(vendor));
    run_one(SUITE("{'id':'w','description':'d','steps':[{'call':'page',"
                  " 'args':{'from':'${to}-400d'}}]}"),
            &yunfu_driver, false, &suite, &out);
    assert_int_equal(vendor.from[0], to - 400 * 86400);
    assert_null(out.notes);
    done(&suite, &out);
}

/* A call refused as rate limited is asked again after a bounded wait, up to max_retries; a step
 * expecting the refusal gets it at once. */
static void test_rate_limited_calls_asked_again(void **state)
{
    (void)state;
    memset(&vendor, 0, sizeof(vendor));
    vendor.records = 1;
    vendor.refusals = 1;
    struct conform_suite suite;
    struct conform_outcome out;
    run_one(SUITE("{'id':'r','description':'d','steps':[{'call':'page','expect':{'count':1}}]}"),
            &yunfu_driver, false, &suite, &out);
    if (out.status != CONFORM_PASSED)
        fail_msg("%s", out.messages);
    assert_int_equal(vendor.calls, 2);
    assert_string_equal(out.notes,
                        "step 1 (page): rate limited (Throttling.User): asked again after 1 s\n");
    done(&suite, &out);

    memset(&vendor, 0, sizeof(vendor));
    vendor.refusals = 10;
    run_one(SUITE("{'id':'r','description':'d','steps':[{'call':'page',"
                  " 'expect':{'error':'rate_limited','vendor_code':'Throttling.User'}}]}"),
            &yunfu_driver, true, &suite, &out);
    assert_int_equal(out.status, CONFORM_PASSED);
    assert_int_equal(vendor.calls, 1);
    done(&suite, &out);

    assert_true(conform_backoff_s(1) == 1.0);
    assert_true(conform_backoff_s(3) == 4.0);
    assert_true(conform_backoff_s(9) == 16.0);
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* At 50 calls a second, 11 requests take at least 10 intervals; no rate, no wait. */
static void test_pacer(void **state)
{
    (void)state;
    struct conform_pacer p;
    conform_pacer_init(&p, 50);
    double t0 = seconds_now();
    for (int i = 0; i < 11; i++)
        conform_pacer_wait(&p);
    double took = seconds_now() - t0;
    if (took < 10 * (1.0 / 50) || took > 5)
        fail_msg("11 paced requests at 50/s took %.3f s", took);
    conform_pacer_init(&p, 0);
    t0 = seconds_now();
    for (int i = 0; i < 1000; i++)
        conform_pacer_wait(&p);
    conform_pacer_wait(NULL);
    assert_true(seconds_now() - t0 < 0.5);
}

/* Which scenarios need --from/--to on a live target. */
static void test_uses_range(void **state)
{
    (void)state;
    static const struct conform_driver session = {.vendor = "huawei"};
    struct conform_suite suite;
    char err[512];
    if (!load_q(&suite,
                SUITE("{'id':'a','description':'d','steps':[{'call':'sign_in'},{'call':'poll'},"
                      " {'check':'normalize','source':'callinfo'},{'admin':'/x'}]},"
                      "{'id':'b','description':'d','steps':[{'call':'page'}]},"
                      "{'id':'c','description':'d','steps':[{'check':'pagination'}]},"
                      "{'id':'d','description':'d','steps':[{'call':'sign_in',"
                      " 'args':{'since':'${from}'}}]},"
                      "{'id':'e','description':'d','steps':[{'check':'normalize'}]}"),
                CONFORM_LOAD_DEFAULT, err, sizeof(err)))
        fail_msg("%s", err);
    const bool session_uses[] = {false, true, true, true, true};
    for (size_t i = 0; i < 5; i++)
        if (conform_scenario_uses_range(&suite.scenarios[i], &session) != session_uses[i])
            fail_msg("scenario %s", suite.scenarios[i].id);
    /* A vendor whose queries are ranges may read the range in any of its calls. */
    assert_true(conform_scenario_uses_range(&suite.scenarios[0], &yunfu_driver));
    /* Unless its driver names the calls that do: a session beside a paged history. */
    static const char *const ranged[] = {"recording", NULL};
    static const struct conform_driver both = {
        .vendor = "huawei", .page = fake_page, .ranged_calls = ranged};
    for (size_t i = 0; i < 5; i++)
        if (conform_scenario_uses_range(&suite.scenarios[i], &both) != session_uses[i])
            fail_msg("scenario %s with a paged history", suite.scenarios[i].id);
    conform_suite_free(&suite);
    if (!load_q(&suite,
                SUITE("{'id':'r','description':'d','steps':[{'call':'recording'}]},"
                      "{'id':'s','description':'d','steps':[{'check':'normalize',"
                      " 'source':'recording'}]},"
                      "{'id':'t','description':'d','steps':[{'call':'token'}]}"),
                CONFORM_LOAD_DEFAULT, err, sizeof(err)))
        fail_msg("%s", err);
    const bool both_uses[] = {true, true, false};
    for (size_t i = 0; i < 3; i++)
        if (conform_scenario_uses_range(&suite.scenarios[i], &both) != both_uses[i])
            fail_msg("scenario %s with a paged history", suite.scenarios[i].id);
    conform_suite_free(&suite);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_evidence_loads),
        cmocka_unit_test(test_evidence_refused),
        cmocka_unit_test(test_evidence_required),
        cmocka_unit_test(test_inferred_failure_departs_on_a_live_target),
        cmocka_unit_test(test_documented_failure_fails_on_a_live_target),
        cmocka_unit_test(test_check_departs),
        cmocka_unit_test(test_departure_variants_exist_in_the_mock),
        cmocka_unit_test(test_calibration),
        cmocka_unit_test(test_departure_reports),
        cmocka_unit_test(test_window_narrowed),
        cmocka_unit_test(test_rate_limited_calls_asked_again),
        cmocka_unit_test(test_pacer),
        cmocka_unit_test(test_uses_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
