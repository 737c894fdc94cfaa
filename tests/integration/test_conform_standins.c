/* Live verdicts against vendors that keep their documents but are not our mock: cdrsim-conform
 * run --tags live-safe against an independent stand-in per vendor (tests/standins/<vendor>.js,
 * written from the vendors' pages alone, making other choices than the mock wherever the pages
 * are silent). Such a vendor must not fail the suite; one whose answers retype a member must, by
 * path; one that adds a member is reported and passes. A stand-in that departs from our inference
 * also calibrates the mock: the suggested configuration makes the mock behave like it.
 *
 * PENDING lists the scenarios each shipped suite still fails against its stand-in, and why: the
 * suite or schema states an inference as if it were documented (FORMATS.md §1, §2), or the client
 * does not yet do what the pages say. Each must fail today, so the list shrinks as they are
 * fixed: a pending scenario that passes fails this test until it is taken off the list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdrsim/buf.h"
#include "testutil.h"

struct pending {
    const char *id;
    const char *why;
};

struct vendor_case {
    const char *vendor;
    const char *credentials; /* the credentials file's text */
    const char *secret;      /* never printed */
    const char *from, *to;   /* the range, NULL when the suite queries none */
    const char *standin_arg; /* an option of the stand-in with its value, or NULL */
    const char *standin_value;
    const char *retyped; /* the member --drift retype retypes: breaking drift at this path */
    const char *seen;    /* what it is retyped to */
    const char *added;   /* the member --drift add adds: additive drift at this path */
    const struct pending *pending;
};

/* Endpoints the ITNIO stand-in does not serve yet (it answers 404): its coverage, not the suite's.
 */
#define ITNIO_STANDIN_GAP "the itnio stand-in does not serve this endpoint yet"
static const struct pending itnio_pending[] = {
    {"itnio-group-settings", ITNIO_STANDIN_GAP},
    {"itnio-recording-url", ITNIO_STANDIN_GAP},
    {"itnio-recording-download", ITNIO_STANDIN_GAP},
    {NULL, NULL},
};

static const struct pending yunfu_pending[] = {
    {NULL, NULL},
};

/* Actions and groupings the Alibaba stand-in does not serve yet: its coverage, not the suite's. */
#define ALIYUN_STANDIN_GAP "the aliyun stand-in does not serve this action or grouping yet"
static const struct pending aliyun_pending[] = {
    {"aliyun-filter-call-result-groups", ALIYUN_STANDIN_GAP},
    {"aliyun-recordings", ALIYUN_STANDIN_GAP},
    {"aliyun-recordings-unknown-tenant", ALIYUN_STANDIN_GAP},
    {"aliyun-record-data", ALIYUN_STANDIN_GAP},
    {"aliyun-record-url", ALIYUN_STANDIN_GAP},
    {"aliyun-recordings-missing-call-id", ALIYUN_STANDIN_GAP},
    {"aliyun-describe-record-not-authorized", ALIYUN_STANDIN_GAP},
    {"aliyun-messages", ALIYUN_STANDIN_GAP},
    {NULL, NULL},
};

/* The huawei suite states no inference as documented: nothing pending. */
static const struct pending huawei_pending[] = {
    {NULL, NULL},
};

static const struct vendor_case cases[] = {
    {"itnio", "{\"itnio\":{\"api_key\":\"bDqJFiq9\",\"api_secret\":\"7bz1lzh9\"}}", "7bz1lzh9",
     "2025-01-01 00:00:00", "2025-04-30 23:59:59", NULL, NULL, "data.records[].callDuration",
     "string", "data.records[].promoCode", itnio_pending},
    {"yunfu",
     "{\"yunfu\":{\"token\":\"standin-yunfu-token\",\"user_id\":"
     "\"4d99d91c-f5d9-49da-88da-758977cc58a9\",\"task_id\":"
     "\"287e19c4-1966-49d6-8f02-b53ef11c0a55\"}}",
     "standin-yunfu-token", "2022-06-01 00:00:00", "2022-09-30 23:59:59", NULL, NULL,
     "data[].duration", "string", "data[].promo_code", yunfu_pending},
    {"aliyun",
     "{\"aliyun\":{\"access_key_id\":\"LTAI5tStandinKey0001\",\"access_key_secret\":"
     "\"standin-secret\",\"instance_id\":\"ccc_xp_pre-cn-demo001\"}}",
     "standin-secret", "2025-01-01 00:00:00", "2025-04-30 23:59:59", NULL, NULL,
     "Data.CallDetailRecord[].CallType", "string", "Data.CallDetailRecord[].SatisfactionTag",
     aliyun_pending},
    {"huawei",
     "{\"huawei\":{\"agent_id\":\"291\",\"password\":\"standin-pass-291\",\"phone\":\"70291\","
     "\"app_key\":\"standin-ak\",\"app_secret\":\"standin-sk\"}}",
     "standin-pass-291", "2025-04-01 00:00:00", "2025-04-30 23:59:59", "--poll-seconds", "2",
     "result.callfeature", "string", "result.recordingUrl", huawei_pending},
};

static const struct vendor_case *case_of(const char *vendor)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (strcmp(cases[i].vendor, vendor) == 0)
            return &cases[i];
    fail_msg("no case for %s", vendor);
    return NULL;
}

static const char *pending_why(const struct vendor_case *c, const char *id)
{
    for (const struct pending *p = c->pending; p->id; p++)
        if (strcmp(p->id, id) == 0)
            return p->why;
    return NULL;
}

static void standin_start(struct mock_process *p, const struct vendor_case *c, const char *drift)
{
    char *script = test_format("%s/tests/standins/%s.js", CDRSIM_SOURCE_DIR, c->vendor);
    const char *argv[10];
    size_t n = 0;
    argv[n++] = "/usr/bin/env";
    argv[n++] = "node";
    argv[n++] = script;
    if (drift) {
        argv[n++] = "--drift";
        argv[n++] = drift;
    }
    if (c->standin_arg) {
        argv[n++] = c->standin_arg;
        argv[n++] = c->standin_value;
    }
    argv[n] = NULL;
    test_server_start(p, argv);
    free(script);
}

/* cdrsim-conform run --vendor V --target <stand-in> --tags live-safe, with the case's credentials
 * and range, plus extra (NULL-terminated, or NULL). */
static struct test_conform run_against(const struct vendor_case *c, const char *url,
                                       const char *const *extra)
{
    char *creds = test_write_temp(c->credentials);
    const char *argv[32];
    size_t n = 0;
    const char *base[] = {"run",           "--vendor", c->vendor, "--target", url,
                          "--credentials", creds,      "--tags",  "live-safe"};
    for (size_t i = 0; i < sizeof(base) / sizeof(base[0]); i++)
        argv[n++] = base[i];
    if (c->from) {
        argv[n++] = "--from";
        argv[n++] = c->from;
        argv[n++] = "--to";
        argv[n++] = c->to;
    }
    for (size_t i = 0; extra && extra[i]; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    struct test_conform r = test_conform_run(argv);
    unlink(creds);
    free(creds);
    if (!r.json)
        fail_msg("no report: exit %d\n%s%s", r.exit_status, r.out, r.err);
    return r;
}

/* Every live-safe scenario passed, but the pending ones, which failed; the rest were skipped as not
 * live-safe; the secret was never printed; the exit status says whether anything failed. */
static void expect_clean_run(const struct vendor_case *c, const struct test_conform *r)
{
    size_t pending = 0, live_safe = 0;
    struct cdr_buf wrong;
    cdr_buf_init(&wrong);
    const cJSON *s;
    cJSON_ArrayForEach(s, json_at(r->json, "scenarios")) {
        const char *id = json_str_at(s, "id"), *status = json_str_at(s, "status");
        bool selected = strcmp(status, "skipped") != 0;
        live_safe += selected;
        const char *why = pending_why(c, id);
        pending += why != NULL;
        if (why && strcmp(status, "failed") != 0)
            cdr_buf_printf(&wrong, "%s %s: take it off the pending list (%s)\n", id, status, why);
        else if (!why && selected && strcmp(status, "passed") != 0) {
            const cJSON *m;
            cdr_buf_printf(&wrong, "%s %s:\n", id, status);
            cJSON_ArrayForEach(m, json_at(s, "messages"))
                cdr_buf_printf(&wrong, "    %s\n", m->valuestring);
        }
    }
    if (wrong.len)
        fail_msg("against the %s stand-in:\n%s", c->vendor, wrong.data);
    cdr_buf_free(&wrong);
    for (const struct pending *p = c->pending; p->id; p++)
        test_conform_scenario(r, p->id); /* every pending scenario exists */
    assert_true(live_safe > 5);
    assert_int_equal(r->exit_status, pending ? 1 : 0);
    assert_null(strstr(r->out, c->secret));
    assert_null(strstr(r->err, c->secret));
}

static void clean_run(const char *vendor)
{
    const struct vendor_case *c = case_of(vendor);
    struct mock_process standin;
    standin_start(&standin, c, NULL);
    struct test_conform r = run_against(c, standin.base_url, NULL);
    expect_clean_run(c, &r);
    test_conform_free(&r);
    assert_int_equal(mock_process_stop(&standin), 0);
}

/* The finding at path in any scenario of the run, or NULL. */
static const cJSON *finding_anywhere(const struct test_conform *r, const char *path)
{
    const cJSON *s, *d;
    cJSON_ArrayForEach(s, json_at(r->json, "scenarios"))
        cJSON_ArrayForEach(d, json_at(s, "drift"))
            if (strcmp(json_str_at(d, "path"), path) == 0)
                return d;
    return NULL;
}

/* A member retyped is breaking drift named by its path, and the run fails; a member added is
 * additive drift, and fails nothing. */
static void drift_runs(const char *vendor)
{
    const struct vendor_case *c = case_of(vendor);
    struct mock_process standin;
    standin_start(&standin, c, "retype");
    struct test_conform r = run_against(c, standin.base_url, NULL);
    assert_int_equal(r.exit_status, 1);
    const cJSON *f = finding_anywhere(&r, c->retyped);
    if (!f)
        fail_msg("no finding at %s:\n%s", c->retyped, r.out);
    assert_string_equal(json_str_at(f, "kind"), "type");
    assert_string_equal(json_str_at(f, "severity"), "breaking");
    assert_string_equal(json_str_at(f, "seen"), c->seen);
    assert_true(json_int_at(r.json, "summary.breaking_drift") > 0);
    test_conform_free(&r);
    assert_int_equal(mock_process_stop(&standin), 0);

    standin_start(&standin, c, "add");
    r = run_against(c, standin.base_url, NULL);
    f = finding_anywhere(&r, c->added);
    if (!f)
        fail_msg("no finding at %s:\n%s", c->added, r.out);
    assert_string_equal(json_str_at(f, "kind"), "added");
    assert_string_equal(json_str_at(f, "severity"), "additive");
    expect_clean_run(c, &r);
    test_conform_free(&r);
    assert_int_equal(mock_process_stop(&standin), 0);
}

static void test_itnio_standin(void **state)
{
    (void)state;
    clean_run("itnio");
}

static void test_itnio_standin_drift(void **state)
{
    (void)state;
    drift_runs("itnio");
}

static void test_yunfu_standin(void **state)
{
    (void)state;
    clean_run("yunfu");
}

static void test_yunfu_standin_drift(void **state)
{
    (void)state;
    drift_runs("yunfu");
}

static void test_aliyun_standin(void **state)
{
    (void)state;
    clean_run("aliyun");
}

static void test_aliyun_standin_drift(void **state)
{
    (void)state;
    drift_runs("aliyun");
}

static void test_huawei_standin(void **state)
{
    (void)state;
    clean_run("huawei");
}

static void test_huawei_standin_drift(void **state)
{
    (void)state;
    drift_runs("huawei");
}

/* The Alibaba stand-in departs from four of our inferences; three of them a mock variant covers.
 * The suggested configuration, given to cdrsim-mock --config, switches those variants, and the
 * calibrated mock then departs where the stand-in did, and nowhere else. (The suite's own schema
 * checks nothing: drift is not what this is about.) */
static const char calibration_suite[] =
    "{'vendor':'aliyun','mock':{'clock':'2025-05-01T00:00:00Z'},'scenarios':["
    "{'id':'order','description':'d','tags':['live-safe'],'evidence':'inferred',"
    " 'why':'the page says nothing of the order; the console lists newest first',"
    " 'on_departure':{'expect':{'order':'oldest_first'},'variants':{'aliyun.order':'oldest'}},"
    " 'steps':[{'call':'page','size':30,'expect':{'order':'newest_first'}}]},"
    "{'id':'bad-paging','description':'d','tags':['live-safe'],'evidence':'inferred',"
    " 'why':'PageSize must be above 0; refused like sibling APIs refuse parameters',"
    " 'on_departure':{'expect':{'error':'ok','size':20},"
    "  'variants':{'aliyun.bad_paging':'default'}},"
    " 'steps':[{'call':'crafted','args':{'set':{'PageSize':'0'}},"
    "  'expect':{'error':'parameter','vendor_code':'InvalidParameter'}}]},"
    "{'id':'unknown-tenant','description':'d','tags':['live-safe'],'evidence':'inferred',"
    " 'why':'NoTenantFound, as sibling AICCS APIs answer',"
    " 'on_departure':[{'expect':{'error':'ok','count':0},"
    "  'variants':{'aliyun.unknown_instance':'empty'}}],"
    " 'steps':[{'call':'page','args':{'instance_id':'ccc_xp_pre-cn-nosuch'},"
    "  'expect':{'error':'not_found','vendor_code':'NoTenantFound'}}]},"
    "{'id':'no-signature','description':'d','tags':['live-safe'],'evidence':'inferred',"
    " 'why':'the error table names IncompleteSignature for a malformed signature',"
    " 'steps':[{'call':'crafted','args':{'omit':['Signature']},"
    "  'expect':{'error':'auth','vendor_code':'IncompleteSignature'}}]},"
    "{'id':'wrong-secret','description':'d','tags':['live-safe'],'evidence':'documented',"
    " 'cite':'https://help.aliyun.com/ — SignatureDoesNotMatch, HTTP 400',"
    " 'steps':[{'call':'page','fault':{'wrong_secret':true},"
    "  'expect':{'error':'auth','vendor_code':'SignatureDoesNotMatch'}}]}]}";

/* The ids of the scenarios that departed, comma-separated in report order (caller frees). */
static char *departed(const struct test_conform *r)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "");
    const cJSON *s;
    cJSON_ArrayForEach(s, json_at(r->json, "scenarios"))
        if (cJSON_GetArraySize(json_at(s, "departures")) > 0)
            cdr_buf_printf(&b, "%s%s", b.len ? "," : "", json_str_at(s, "id"));
    return cdr_buf_steal(&b);
}

static void test_calibration_from_a_standin(void **state)
{
    (void)state;
    char dir[] = "/tmp/cdrsim-test-calibration-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *suite_path = test_format("%s/aliyun.json", dir);
    char *suite = test_dq(calibration_suite);
    test_write_file(suite_path, suite, strlen(suite));
    free(suite);
    char *schema_dir = test_format("%s/aliyun", dir);
    assert_int_equal(mkdir(schema_dir, 0700), 0);
    char *schema_path = test_format("%s/schema.json", schema_dir);
    test_write_file(schema_path, "{\"responses\":[]}", 16);
    char *config = test_write_temp("");
    const struct vendor_case *c = case_of("aliyun");
    struct mock_process standin;
    standin_start(&standin, c, NULL);
    struct test_conform r = run_against(c, standin.base_url,
                                        (const char *const[]){"--suites", dir, "--fixtures", dir,
                                                              "--suggest-config", config, NULL});
    if (r.exit_status != 0)
        fail_msg("exit %d\n%s", r.exit_status, r.out);
    char *ids = departed(&r);
    assert_string_equal(ids, "order,bad-paging,unknown-tenant,no-signature");
    free(ids);
    assert_string_equal(json_str_at(r.json, "calibration.uncovered.0.scenario"), "no-signature");
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "calibration.uncovered")), 1);
    assert_non_null(strstr(r.out, "no mock variant covers the departure of no-signature step 1"));
    test_conform_free(&r);
    assert_int_equal(mock_process_stop(&standin), 0);

    cJSON *suggested = test_load_json(config);
    char *text = cJSON_PrintUnformatted(suggested);
    assert_string_equal(text, "{\"aliyun\":{\"variants\":{\"order\":\"oldest\",\"bad_paging\":"
                              "\"default\",\"unknown_instance\":\"empty\"}}}");
    free(text);
    cJSON_Delete(suggested);

    /* The calibrated mock's variants are the suggested ones... */
    struct mock_process calibrated;
    mock_process_start(&calibrated, (const char *const[]){"--config", config, NULL});
    char *url = test_format("%s/__cdrsim/health", calibrated.base_url);
    struct test_http_reply h = test_http("GET", url, NULL, NULL, 0);
    free(url);
    const cJSON *v, *variants = NULL;
    cJSON_ArrayForEach(v, json_at(h.json, "vendors"))
        if (strcmp(json_str_at(v, "id"), "aliyun") == 0)
            variants = json_at(v, "variants");
    assert_non_null(variants);
    assert_string_equal(json_str_at(variants, "order"), "oldest");
    assert_string_equal(json_str_at(variants, "bad_paging"), "default");
    assert_string_equal(json_str_at(variants, "unknown_instance"), "empty");
    test_http_reply_free(&h);
    /* ...and it departs where the stand-in did. */
    struct vendor_case mock_case = *c;
    mock_case.credentials = "{\"aliyun\":{\"access_key_id\":\"testid\",\"access_key_secret\":"
                            "\"testsecret\",\"instance_id\":\"ccc_xp_pre-cn-demo001\"}}";
    r = run_against(&mock_case, calibrated.base_url,
                    (const char *const[]){"--suites", dir, "--fixtures", dir, NULL});
    assert_int_equal(r.exit_status, 0);
    /* no-signature departs on both: the mock, like the stand-in, answers MissingSignature where
     * this suite expects IncompleteSignature. */
    ids = departed(&r);
    assert_string_equal(ids, "order,bad-paging,unknown-tenant,no-signature");
    free(ids);
    test_conform_free(&r);
    assert_int_equal(mock_process_stop(&calibrated), 0);

    unlink(config);
    free(config);
    unlink(suite_path);
    free(suite_path);
    unlink(schema_path);
    free(schema_path);
    rmdir(schema_dir);
    free(schema_dir);
    rmdir(dir);
}

static int node_present(void **state)
{
    (void)state;
    char *out = NULL;
    int status = run_command((const char *const[]){"/usr/bin/env", "node", "--version", NULL}, NULL,
                             &out, NULL);
    free(out);
    if (status != 0)
        fprintf(stderr, "the stand-ins need node (scripts/install-deps.sh installs it)\n");
    return status == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_itnio_standin),
        cmocka_unit_test(test_itnio_standin_drift),
        cmocka_unit_test(test_yunfu_standin),
        cmocka_unit_test(test_yunfu_standin_drift),
        cmocka_unit_test(test_aliyun_standin),
        cmocka_unit_test(test_aliyun_standin_drift),
        cmocka_unit_test(test_huawei_standin),
        cmocka_unit_test(test_huawei_standin_drift),
        cmocka_unit_test(test_calibration_from_a_standin),
    };
    return cmocka_run_group_tests(tests, node_present, NULL);
}
