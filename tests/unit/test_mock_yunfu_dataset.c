/* The Yunfu dataset: the committed fixture is the generator's output plus the seed page's example
 * record; generated records are deterministic, in the vendor's exact shape and consistent with
 * themselves; broken fixture files are refused with a reason. */
#include <limits.h>
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

#include "server.h"
#include "testutil.h"
#include "yunfu_model.h"

static void assert_same_keys(const cJSON *want, const cJSON *got, const char *what);

/* The recipe of fixtures/yunfu/records.json (docs/vendors/yunfu.md, "Using cdrsim with yunfu"): */
#define FIXTURE_CLOCK_MS 1664435340000LL /* --clock 2022-09-29T07:09:00Z */
#define FIXTURE_SEED 3
#define FIXTURE_GENERATED 340

extern const struct mock_vendor_sim yunfu_sim;

static cJSON *generate(int64_t clock_ms, int64_t n, uint64_t seed)
{
    struct test_mock m;
    test_mock_start_generated(&m, FIXTURES_DIR, clock_ms, NULL, "yunfu", n, seed);
    char *dump = mock_server_dump(m.server, "yunfu");
    assert_non_null(dump);
    cJSON *records = cJSON_Parse(dump);
    assert_true(cJSON_IsArray(records));
    free(dump);
    test_mock_stop(&m);
    return records;
}

static void test_fixture_is_the_recipe(void **state)
{
    (void)state;
    cJSON *fixture = test_load_json(YUNFU_RECORDS);
    cJSON *example = test_load_json(YUNFU_EXAMPLE);
    cJSON *generated = generate(FIXTURE_CLOCK_MS, FIXTURE_GENERATED, FIXTURE_SEED);
    assert_int_equal(cJSON_GetArraySize(fixture), FIXTURE_GENERATED + 1);
    assert_int_equal(cJSON_GetArraySize(generated), FIXTURE_GENERATED);
    for (int i = 0; i < FIXTURE_GENERATED; i++)
        if (!cJSON_Compare(cJSON_GetArrayItem(fixture, i), cJSON_GetArrayItem(generated, i), true))
            fail_msg("records.json entry %d is not what the generator makes", i);
    /* The last entry is the seed page's example record, as printed. */
    assert_true(cJSON_Compare(cJSON_GetArrayItem(fixture, FIXTURE_GENERATED),
                              json_at(example, "data.0"), true));
    cJSON_Delete(generated);
    cJSON_Delete(example);
    cJSON_Delete(fixture);
}

/* dialogues.json holds the detail page's opening row of the seed call: every member the page
 * printed, as printed, and the members a list row has after those, in a list row's order. */
static void test_fixture_dialogues_are_the_detail_page(void **state)
{
    (void)state;
    cJSON *dialogues = test_load_json(YUNFU_DIALOGUES);
    cJSON *page = test_load_json(YUNFU_DETAIL_EXAMPLE);
    cJSON *example = test_load_json(YUNFU_EXAMPLE);
    assert_int_equal(cJSON_GetArraySize(dialogues), 1);
    assert_string_equal(json_str_at(dialogues, "0.record_id"), YUNFU_SEED_RECORD);
    assert_int_equal(cJSON_GetArraySize(json_at(dialogues, "0.rows")), 1);
    const cJSON *row = json_at(dialogues, "0.rows.0"), *printed = json_at(page, "data.records.0");
    const cJSON *member;
    cJSON_ArrayForEach(member, printed) {
        if (!cJSON_Compare(member, cJSON_GetObjectItemCaseSensitive(row, member->string), true))
            fail_msg("dialogues.json's row differs from the detail page at %s", member->string);
    }
    assert_same_keys(json_at(example, "data.0.details.1"), row, "the opening row");
    assert_string_equal(json_str_at(row, "id"), YUNFU_SEED_OPENING_ROW);
    assert_int_equal(json_int_at(row, "sequence"), 1);
    cJSON_Delete(example);
    cJSON_Delete(page);
    cJSON_Delete(dialogues);
}

static void test_fixture_facts(void **state)
{
    (void)state;
    cJSON *records = test_load_json(YUNFU_RECORDS);
    /* At least 300 records over several tasks, on both cloud nodes; the seed's customer was
     * called 29 times in all, the example call being the last. */
    assert_in_range(cJSON_GetArraySize(records), 300, INT_MAX);
    static const char *const tasks[] = {YUNFU_SEED_TASK, YUNFU_SECOND_TASK, YUNFU_SUB_TASK,
                                        YUNFU_NODE2_TASK, YUNFU_NODE2_TASK2};
    for (size_t i = 0; i < sizeof(tasks) / sizeof(tasks[0]); i++) {
        struct test_ids ids = yunfu_model_ids(records, tasks[i], NULL, NULL);
        assert_in_range(ids.count, 30, SIZE_MAX);
        test_ids_free(&ids);
    }
    size_t seed_customer = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, records) {
        if (cJSON_IsString(json_at(r, "callee")) &&
            strcmp(json_str_at(r, "callee"), YUNFU_SEED_CALLEE) == 0) {
            seed_customer++;
            assert_string_equal(json_str_at(r, "task_id"), YUNFU_SEED_TASK);
            assert_string_equal(json_str_at(r, "customer_id"),
                                "e973e23f-32da-44ea-921a-1988d2c5c7f2");
        }
    }
    assert_int_equal(seed_customer, 29);
    struct test_ids seed_task = yunfu_model_ids(records, YUNFU_SEED_TASK, NULL, NULL);
    assert_string_equal(seed_task.items[0], YUNFU_SEED_RECORD);
    test_ids_free(&seed_task);
    cJSON_Delete(records);
}

static void test_generated_deterministic(void **state)
{
    (void)state;
    const int64_t clock = 1700000000000LL;
    cJSON *a = generate(clock, 200, 42), *b = generate(clock, 200, 42),
          *c = generate(clock, 200, 43);
    assert_true(cJSON_Compare(a, b, true));
    assert_false(cJSON_Compare(a, c, true));
    /* Every call within the 365 days before the clock, in calldate order. */
    const cJSON *r;
    const char *previous = "";
    cJSON_ArrayForEach(r, a) {
        const char *t = json_str_at(r, "calldate");
        int y, mo, d, h, mi, s;
        assert_int_equal(sscanf(t, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s), 6);
        int64_t when = china_time(y, mo, d, h, mi, s);
        assert_in_range(when, clock / 1000 - 365 * 86400, clock / 1000 - 1);
        assert_true(strcmp(previous, t) <= 0);
        previous = t;
    }
    cJSON_Delete(a);
    cJSON_Delete(b);
    cJSON_Delete(c);
}

/* Unix milliseconds of a "Y-m-d H:i:s" member, or -1 for null. */
static int64_t ms_of(const cJSON *obj, const char *key)
{
    const cJSON *v = json_at(obj, key);
    if (cJSON_IsNull(v))
        return -1;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (!cJSON_IsString(v) ||
        sscanf(v->valuestring, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s) != 6)
        fail_msg("%s is not a time", key);
    return china_time(y, mo, d, h, mi, s) * 1000;
}

static void assert_same_keys(const cJSON *want, const cJSON *got, const char *what)
{
    const cJSON *a = want->child, *b = got->child;
    for (; a && b; a = a->next, b = b->next)
        if (strcmp(a->string, b->string) != 0)
            fail_msg("%s: key %s where the seed example has %s", what, b->string, a->string);
    if (a || b)
        fail_msg("%s: %s keys than the seed example", what, a ? "fewer" : "more");
}

static void check_dialogue(const cJSON *r, const cJSON *seed_asr, const cJSON *seed_playback)
{
    const cJSON *details = json_at(r, "details"), *row;
    int64_t score = 0, asr = 0, last_sequence = 0;
    const char *previous_id = "";
    cJSON_ArrayForEach(row, details) {
        bool is_asr = strcmp(json_str_at(row, "notify"), "asrprogress_notify") == 0;
        assert_same_keys(is_asr ? seed_asr : seed_playback, row, "details row");
        assert_string_equal(json_str_at(row, "record_id"), json_str_at(r, "id"));
        assert_string_equal(json_str_at(row, "callid"), json_str_at(r, "callid"));
        assert_true(strcmp(previous_id, json_str_at(row, "id")) < 0); /* the database's order */
        previous_id = json_str_at(row, "id");
        score += json_int_at(row, "score");
        asr += is_asr;
        /* The opening line is the "enter" row, as the detail page's example opens. */
        bool opening = json_int_at(row, "sequence") == 1;
        assert_string_equal(json_str_at(row, "notify"), opening  ? "enter"
                                                        : is_asr ? "asrprogress_notify"
                                                                 : "playback_result");
        if (opening)
            assert_string_equal(json_str_at(row, "question"), "");
        if (json_int_at(row, "sequence") > last_sequence)
            last_sequence = json_int_at(row, "sequence");
        int64_t at = ms_of(row, "created_at");
        assert_in_range(at, ms_of(r, "answerdate") - 1000, ms_of(r, "hangupdate") + 1000);
    }
    assert_int_equal(last_sequence, cJSON_GetArraySize(details));
    assert_int_equal(json_int_at(r, "score"), score);
    assert_int_equal(json_int_at(r, "rounds"), asr);
}

static void test_generated_shape_and_consistency(void **state)
{
    (void)state;
    cJSON *example = test_load_json(YUNFU_EXAMPLE);
    const cJSON *seed = json_at(example, "data.0");
    const cJSON *seed_asr = json_at(seed, "details.0"), *seed_playback = json_at(seed, "details.1");
    cJSON *records = generate(1700000000000LL, 400, 7);
    size_t answered = 0, transferred = 0, ai_hung_up = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, records) {
        assert_same_keys(seed, r, "record");
        int64_t call = ms_of(r, "calldate"), answer = ms_of(r, "answerdate"),
                hangup = ms_of(r, "hangupdate");
        /* duration is dial to hang-up, bill is answer to hang-up, both in ms (times are whole s).
         */
        assert_in_range(llabs(json_int_at(r, "duration") - (hangup - call)), 0, 999);
        if (answer < 0) {
            assert_int_equal(json_int_at(r, "bill"), 0);
            assert_int_equal(cJSON_GetArraySize(json_at(r, "details")), 0);
            assert_true(cJSON_IsNull(json_at(r, "hangup_disposition")));
            assert_true(cJSON_IsNull(json_at(r, "intention_results")));
            assert_string_not_equal(json_str_at(r, "hangupcause"), "NORMAL_CLEARING");
            continue;
        }
        answered++;
        assert_in_range(llabs(json_int_at(r, "bill") - (hangup - answer)), 0, 999);
        assert_string_equal(json_str_at(r, "hangupcause"), "NORMAL_CLEARING");
        check_dialogue(r, seed_asr, seed_playback);
        int64_t score = json_int_at(r, "score"), intention = json_int_at(r, "intention_results");
        int64_t want = score >= 800   ? 1
                       : score >= 500 ? 2
                       : score >= 300 ? 3
                       : score >= 100 ? 4
                                      : 5;
        assert_int_equal(intention, want);
        char level[32];
        snprintf(level, sizeof(level), "%c类客户()", (char)('A' + intention - 1));
        assert_string_equal(json_str_at(r, "level_name"), level);
        int64_t side = json_int_at(r, "hangup_disposition");
        assert_string_equal(json_str_at(r, "hangup_disposition_str"), side == 1 ? "AI" : "客户");
        ai_hung_up += side == 1;
        transferred += cJSON_IsString(json_at(r, "bridge_number"));
        assert_int_equal(json_int_at(r, "province.id"), json_int_at(r, "province_id"));
        assert_int_equal(json_int_at(r, "city.id"), json_int_at(r, "city_id"));
        assert_int_equal(json_int_at(r, "city.pid"), json_int_at(r, "province_id"));
    }
    /* The mix a campaign has: most calls answered, some hung up by the AI, a few transferred. */
    assert_in_range(answered, 181, 319);
    assert_in_range(ai_hung_up, 21, SIZE_MAX);
    assert_in_range(transferred, 4, SIZE_MAX);
    cJSON_Delete(records);
    cJSON_Delete(example);
}

static void test_generated_zero(void **state)
{
    (void)state;
    cJSON *records = generate(1700000000000LL, 0, 1);
    assert_int_equal(cJSON_GetArraySize(records), 0);
    cJSON_Delete(records);
}

/* ---- loading the world ----------------------------------------------------------------------- */

struct scratch {
    char dir[64];
};

static void scratch_write(struct scratch *s, const char *name, const char *text)
{
    char *path = test_format("%s/%s", s->dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    fclose(f);
    free(path);
}

static void scratch_copy(struct scratch *s, const char *name)
{
    char *from = test_format("%s/yunfu/%s", FIXTURES_DIR, name);
    char *text = test_read_file(from, NULL);
    scratch_write(s, name, text);
    free(text);
    free(from);
}

static const char *const world_files[] = {"cloud_nodes.json", "accounts.json", "tokens.json",
                                          "tasks.json",       "records.json",  "regions.json"};

static void scratch_init(struct scratch *s)
{
    strcpy(s->dir, "/tmp/cdrsim-yunfu-XXXXXX");
    assert_non_null(mkdtemp(s->dir));
    for (size_t i = 0; i < sizeof(world_files) / sizeof(world_files[0]); i++)
        scratch_copy(s, world_files[i]);
}

static void scratch_free(struct scratch *s)
{
    char *dialogues = test_format("%s/dialogues.json", s->dir);
    unlink(dialogues); /* optional: only some cases write one */
    free(dialogues);
    for (size_t i = 0; i < sizeof(world_files) / sizeof(world_files[0]); i++) {
        char *path = test_format("%s/%s", s->dir, world_files[i]);
        unlink(path);
        free(path);
    }
    rmdir(s->dir);
}

/* Loads the vendor alone from dir; returns its error text ("" when it loaded). */
static char *load_error(const char *dir, const cJSON *settings, int64_t generate_count)
{
    struct mock_config cfg;
    mock_config_init(&cfg);
    struct mock_vendor_load load = {dir, &cfg, settings, generate_count, 1, 1700000000};
    char err[512] = "";
    void *state = yunfu_sim.load(&load, err, sizeof(err));
    if (state) {
        yunfu_sim.unload(state);
        err[0] = '\0';
    } else if (!err[0]) {
        strcpy(err, "(failed without a reason)");
    }
    mock_config_free(&cfg);
    char *copy = strdup(err);
    assert_non_null(copy);
    return copy;
}

/* The vendor's dump of the records loaded from dir. Caller frees. */
static char *load_dump(const char *dir)
{
    struct mock_config cfg;
    mock_config_init(&cfg);
    struct mock_vendor_load load = {dir, &cfg, NULL, -1, 1, 1700000000};
    char err[512] = "";
    void *state = yunfu_sim.load(&load, err, sizeof(err));
    assert_non_null(state);
    char *dump = yunfu_sim.dump(state);
    assert_non_null(dump);
    yunfu_sim.unload(state);
    mock_config_free(&cfg);
    return dump;
}

/* records.json is kept as written when it is in cJSON's compact form, and parsed and printed
 * again when written any other way (indented, a number as 1.50, an escaped slash): the records
 * served are the same bytes either way. */
static void test_records_text_kept_or_reprinted(void **state)
{
    (void)state;
    struct scratch s;
    scratch_init(&s);
    char *kept = load_dump(s.dir);
    cJSON *records = test_load_json(YUNFU_RECORDS);
    char *pretty = cJSON_Print(records);
    assert_non_null(pretty);
    scratch_write(&s, "records.json", pretty);
    char *reprinted = load_dump(s.dir);
    assert_string_equal(kept, reprinted);
    /* One record not canonical among canonical ones: the file goes through cJSON. */
    cJSON *first = cJSON_GetArrayItem(records, 0);
    cJSON_ReplaceItemInObjectCaseSensitive(first, "callee", cJSON_CreateString("155/25653237"));
    char *compact = cJSON_PrintUnformatted(records);
    char *text = test_format("%s", compact);
    char *slash = strstr(text, "155/25653237");
    assert_non_null(slash);
    memmove(slash + 4, slash + 3, strlen(slash + 3) + 1); /* "155\/25653237" */
    slash[3] = '\\';
    scratch_write(&s, "records.json", text);
    char *mixed = load_dump(s.dir);
    assert_non_null(strstr(mixed, "\"callee\":\"155/25653237\""));
    free(mixed);
    free(text);
    free(compact);
    free(reprinted);
    free(pretty);
    free(kept);
    cJSON_Delete(records);
    scratch_free(&s);
}

struct broken {
    const char *file;
    const char *text;
    const char *reason;
};

static void test_broken_fixtures_are_refused(void **state)
{
    (void)state;
    static const struct broken cases[] = {
        {"cloud_nodes.json", "[{\"id\":1,\"name\":\"a\"}]",
         "exactly one node must be \"default\": true"},
        {"cloud_nodes.json", "{}", "cloud_nodes.json must be an array"},
        {"accounts.json", "[{\"id\":\"a\",\"partner\":\"p\",\"name\":\"n\",\"cloud_node\":9}]",
         "unknown cloud_node"},
        {"accounts.json",
         "[{\"id\":\"a\",\"partner\":\"p\",\"name\":\"n\",\"cloud_node\":1,\"parent\":\"zz\"}]",
         "account a has an unknown parent"},
        {"tokens.json", "[{\"token\":\"t\",\"partner\":\"p\",\"expires_at\":\"tomorrow\"}]",
         "expires_at"},
        {"tasks.json", "[{\"id\":\"t\",\"user_id\":\"nobody\",\"name\":\"n\",\"group_id\":1}]",
         "task t appears twice or belongs to an unknown account"},
        {"records.json", "[{\"id\":\"r\",\"task_id\":\"nope\",\"user_id\":\"u\"}]",
         "record r: task nope"},
        {"records.json", "[1]", "record 0: needs string id"},
        {"records.json", "not json", "invalid JSON"},
        {"tasks.json",
         "[{\"id\":\"t\",\"user_id\":\"" YUNFU_SEED_USER "\",\"name\":\"n\",\"group_id\":1,"
         "\"status\":7}]",
         "task t: status 1..3"},
        {"tasks.json",
         "[{\"id\":\"t\",\"user_id\":\"" YUNFU_SEED_USER "\",\"name\":\"n\",\"group_id\":1,"
         "\"task_type\":3}]",
         "task t: status 1..3, task_type 1, 2, 4 or 5"},
        {"dialogues.json", "[{\"record_id\":\"nope\",\"rows\":[]}]",
         "dialogues.json: entry 0 needs the record_id of a record in records.json"},
        {"dialogues.json",
         "[{\"record_id\":\"" YUNFU_SEED_RECORD "\",\"rows\":[{\"record_id\":\"other\"}]}]",
         "dialogues.json: entry 0"},
        {"dialogues.json", "{}", "dialogues.json must be an array"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct scratch s;
        scratch_init(&s);
        scratch_write(&s, cases[i].file, cases[i].text);
        char *why = load_error(s.dir, NULL, -1);
        if (!strstr(why, cases[i].reason))
            fail_msg("%s = %s: expected \"%s\", got \"%s\"", cases[i].file, cases[i].text,
                     cases[i].reason, why);
        free(why);
        scratch_free(&s);
    }
    /* The same record twice. */
    struct scratch s;
    scratch_init(&s);
    cJSON *records = test_load_json(YUNFU_RECORDS);
    cJSON_AddItemToArray(records, cJSON_Duplicate(cJSON_GetArrayItem(records, 3), true));
    char *text = cJSON_PrintUnformatted(records);
    scratch_write(&s, "records.json", text);
    char *why = load_error(s.dir, NULL, -1);
    assert_non_null(strstr(why, "appears twice"));
    free(why);
    /* Generating needs regions.json; loading the fixture records does not. */
    scratch_write(&s, "regions.json", "{\"provinces\":[]}");
    why = load_error(s.dir, NULL, 10);
    assert_non_null(strstr(why, "regions.json"));
    free(why);
    free(text);
    cJSON_Delete(records);
    scratch_free(&s);
}

static void test_config_adds_tokens(void **state)
{
    (void)state;
    /* --config {"yunfu": {"tokens": [...]}}: one more token next to tokens.json's. */
    struct test_mock m;
    m.config = calloc(1, sizeof(*m.config));
    assert_non_null(m.config);
    mock_config_init(m.config);
    m.config->data_dir = strdup(FIXTURES_DIR);
    m.config->log_format = MOCK_LOG_OFF;
    m.config->settings =
        cJSON_Parse("{\"yunfu\":{\"tokens\":[{\"token\":\"extra\",\"partner\":\"demo\","
                    "\"expires_at\":\"2099-01-01 00:00:00\"}]}}");
    char err[512] = "";
    m.server = mock_server_new(m.config, err, sizeof(err));
    if (!m.server)
        fail_msg("%s", err);
    const char *const extra[] = {"Authorization: Bearer extra", NULL};
    struct test_reply r = test_mock_call(&m, "GET", "/agent-api/token", extra, NULL, 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_str_at(r.json, "data.expires_at"), "2099-01-01 00:00:00");
    test_reply_free(&r);
    test_mock_stop(&m);

    cJSON *settings = cJSON_Parse("{\"tokens\":{\"token\":\"x\"}}");
    char *why = load_error(FIXTURES_DIR "/yunfu", settings, -1);
    assert_string_equal(
        why, "--config yunfu.tokens: tokens must be an array of {token, partner, expires_at}");
    free(why);
    cJSON_Delete(settings);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_is_the_recipe),
        cmocka_unit_test(test_fixture_dialogues_are_the_detail_page),
        cmocka_unit_test(test_fixture_facts),
        cmocka_unit_test(test_generated_deterministic),
        cmocka_unit_test(test_generated_shape_and_consistency),
        cmocka_unit_test(test_generated_zero),
        cmocka_unit_test(test_records_text_kept_or_reprinted),
        cmocka_unit_test(test_broken_fixtures_are_refused),
        cmocka_unit_test(test_config_adds_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
