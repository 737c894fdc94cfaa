/* Huawei's dataset at load: records.json kept as its own bytes when it is written as cJSON prints
 * it, parsed and printed otherwise, with the same records, history and errors either way; and
 * generated calls, kept as the generator's state, written again the same on every showing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"
#include "testutil.h"
#include "vendors/huawei/internal.h"

static const char *const dataset_files[] = {"agents.json", "apps.json", "history_examples.json"};

/* A data dir with the fixture's agents and apps and the given records.json. */
static char *scratch_dir(const char *records)
{
    char *dir = strdup("/tmp/cdrsim-huawei-XXXXXX");
    assert_non_null(dir);
    assert_non_null(mkdtemp(dir));
    for (size_t i = 0; i < sizeof(dataset_files) / sizeof(dataset_files[0]); i++) {
        char *from = test_format("%s/huawei/%s", FIXTURES_DIR, dataset_files[i]);
        char *to = test_format("%s/%s", dir, dataset_files[i]);
        size_t len;
        char *text = test_read_file(from, &len);
        assert_non_null(text);
        FILE *f = fopen(to, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(text, 1, len, f), len);
        fclose(f);
        free(text);
        free(from);
        free(to);
    }
    char *path = test_format("%s/records.json", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(records, f);
    fclose(f);
    free(path);
    return dir;
}

static void scratch_free(char *dir)
{
    for (size_t i = 0; i < sizeof(dataset_files) / sizeof(dataset_files[0]); i++) {
        char *path = test_format("%s/%s", dir, dataset_files[i]);
        unlink(path);
        free(path);
    }
    char *path = test_format("%s/records.json", dir);
    unlink(path);
    free(path);
    rmdir(dir);
    free(dir);
}

/* Loads the vendor alone; NULL with err filled when it refuses. */
static struct huawei_state *load(const char *dir, int64_t generate_count, char *err, size_t err_len)
{
    struct mock_config cfg;
    mock_config_init(&cfg);
    struct mock_vendor_load l = {dir, &cfg, NULL, generate_count, 3, 1735689600};
    err[0] = '\0';
    struct huawei_state *st = huawei_sim.load(&l, err, err_len);
    mock_config_free(&cfg);
    return st;
}

/* Both stores as text: the call history, then the CC-Management history. */
static char *both_dumps(const struct huawei_state *st)
{
    char *records = mock_store_dump(&st->records), *history = mock_store_dump(&st->history);
    char *both = test_format("%s\n%s", records, history);
    free(records);
    free(history);
    return both;
}

static void test_layout_of_records_json_changes_nothing(void **state)
{
    (void)state;
    char err[512];
    char *fixtures = test_format("%s/huawei", FIXTURES_DIR);
    struct huawei_state *compact = load(fixtures, -1, err, sizeof(err));
    assert_non_null(compact);
    /* The same records pretty-printed: no element is compact, so the parse-and-print path. */
    char *path = test_format("%s/records.json", fixtures);
    size_t len;
    char *text = test_read_file(path, &len);
    cJSON *tree = cJSON_Parse(text);
    char *pretty = cJSON_Print(tree);
    char *dir = scratch_dir(pretty);
    struct huawei_state *parsed = load(dir, -1, err, sizeof(err));
    assert_non_null(parsed);
    assert_int_equal(compact->records.count, parsed->records.count);
    assert_int_equal(compact->history.count, parsed->history.count);
    char *a = both_dumps(compact), *b = both_dumps(parsed);
    assert_string_equal(a, b);
    /* Each agent's last call and callid index agree too. */
    for (size_t i = 0; i < compact->agent_count; i++) {
        const char *x = compact->agents[i].last_json, *y = parsed->agents[i].last_json;
        assert_string_equal(x ? x : "(none)", y ? y : "(none)");
    }
    assert_int_equal(huawei_find_record(compact, 293, "1714586172-100"),
                     huawei_find_record(parsed, 293, "1714586172-100"));
    assert_int_not_equal(huawei_find_record(compact, 293, "1714586172-100"), SIZE_MAX);
    free(a);
    free(b);
    huawei_sim.unload(compact);
    huawei_sim.unload(parsed);
    scratch_free(dir);
    free(pretty);
    cJSON_Delete(tree);
    free(text);
    free(path);
    free(fixtures);
}

static void test_bad_records_keep_their_errors(void **state)
{
    (void)state;
    static const struct {
        const char *records, *error;
    } cases[] = {
        {"[{\"callid\":\"\",\"begintime\":1}]", "record 0: needs a callid string of 1..63"},
        {"[{\"begintime\":1}]", "record 0: needs a callid string of 1..63"},
        {"[{\"callid\":\"a\",\"begintime\":1},{\"callid\":7}]",
         "record 1: needs a callid string of 1..63"},
        {"[{\"callid\":\"a\",\"begintime\":\"1\"}]", "record a: begintime must be epoch"},
        {"[{\"callid\":\"a\",\"begintime\":null}]", "record a: begintime must be epoch"},
        {"[1]", "record 0: needs a callid"},
        {"{}", "records.json must be an array"},
        {"[{\"callid\":\"a\",\"begintime\":1},]", "invalid JSON near byte"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *dir = scratch_dir(cases[i].records);
        char err[512];
        struct huawei_state *st = load(dir, -1, err, sizeof(err));
        if (st)
            fail_msg("loaded: %s", cases[i].records);
        if (!strstr(err, cases[i].error))
            fail_msg("%s: got \"%s\", want \"%s\"", cases[i].records, err, cases[i].error);
        scratch_free(dir);
    }
}

static void test_generated_calls_are_written_again_the_same(void **state)
{
    (void)state;
    char err[512];
    char *fixtures = test_format("%s/huawei", FIXTURES_DIR);
    struct huawei_state *st = load(fixtures, 3000, err, sizeof(err));
    assert_non_null(st);
    assert_int_equal(st->records.count, 3000);
    assert_true(st->history.count > 500); /* about 4 in 10 calls are outbound tasks */
    char *first = both_dumps(st), *second = both_dumps(st);
    assert_string_equal(first, second);
    /* Every history record written again names its serial, which finds it. */
    struct cdr_buf b;
    for (size_t i = 0; i < st->history.count; i += 97) {
        const struct mock_store_entry *e = &st->history.entries[i];
        const struct huawei_cdr_attrs *a = e->attrs;
        assert_null(e->json);
        cdr_buf_init(&b);
        assert_true(mock_store_append_json(&st->history, e, &b));
        cJSON *obj = cJSON_Parse(b.data);
        assert_non_null(obj);
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(obj, "callSerialNo")),
                            a->serial);
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(obj, "caller")), a->caller);
        assert_int_equal((int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(obj, "startTime")),
                         a->start_ms);
        assert_int_equal(huawei_find_cdr(st, a->serial), i);
        cJSON_Delete(obj);
        cdr_buf_free(&b);
    }
    /* A call written again parses to the callid the index holds it under. */
    for (size_t i = 0; i < st->records.count; i += 101) {
        const struct huawei_record_attrs *a = st->records.entries[i].attrs;
        cdr_buf_init(&b);
        assert_true(mock_store_append_json(&st->records, &st->records.entries[i], &b));
        cJSON *obj = cJSON_Parse(b.data);
        assert_non_null(obj);
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(obj, "callid")), a->callid);
        assert_int_equal(huawei_find_record(st, a->agent, a->callid), i);
        cJSON_Delete(obj);
        cdr_buf_free(&b);
    }
    free(first);
    free(second);
    huawei_sim.unload(st);
    free(fixtures);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_of_records_json_changes_nothing),
        cmocka_unit_test(test_bad_records_keep_their_errors),
        cmocka_unit_test(test_generated_calls_are_written_again_the_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
