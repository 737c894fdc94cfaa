/* cdrsim-client as a user runs it: exit statuses, exact stdout lines, one-line reasons on stderr.
 * The fetch tests run against the real cdrsim-mock on real time (the CLI stamps requests with the
 * wall clock), and count what they expect straight from fixtures/itnio/records.json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/buf.h"
#include "testutil.h"

#define DEMO_KEY "bDqJFiq9"
#define DEMO_SECRET "7bz1lzh9"
#define EXAMPLE_RESPONSE FIXTURES_DIR "/itnio/examples/record_query_response.json"
#define RECORDS FIXTURES_DIR "/itnio/records.json"
#define GROUPS FIXTURES_DIR "/itnio/groups.json"

/* 150 days that hold the seed page's own record (2025-01-03). */
#define FROM "2024-11-15 00:00:00"
#define TO "2025-04-14 00:00:00"

static const char expected_seed_line[] =
    "{\"vendor\":\"itnio\",\"id\":\"50180345\",\"call_id\":\"25010316113064799\","
    "\"direction\":\"outbound\",\"caller\":\"8613200000003\",\"callee\":\"8613242926514\","
    "\"agent\":\"seatName\",\"group\":\"tele-basic-test\",\"start_time\":\"2025-01-03T08:10:39Z\","
    "\"answer_time\":\"2025-01-03T08:10:43Z\",\"end_time\":\"2025-01-03T08:11:30Z\","
    "\"ring_seconds\":4,\"talk_seconds\":47,\"hangup_by\":\"agent\","
    "\"recording_urls\":[\"agent-call-record-250103/25010316113064799.wav\"]}";

static const char *const contract_keys[] = {
    "vendor",   "id",           "call_id",      "direction",  "caller",
    "callee",   "agent",        "group",        "start_time", "answer_time",
    "end_time", "ring_seconds", "talk_seconds", "hangup_by",  "recording_urls",
};

struct fixture {
    struct mock_process mock;
};

/* Credentials in the environment would mask the "missing option" cases; every test starts
 * without them. */
static int setup(void **state)
{
    unsetenv("CDRSIM_ITNIO_API_KEY");
    unsetenv("CDRSIM_ITNIO_API_SECRET");
    struct fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    if (fx->mock.pid > 0)
        mock_process_stop(&fx->mock);
    free(fx);
    unsetenv("CDRSIM_ITNIO_API_KEY");
    unsetenv("CDRSIM_ITNIO_API_SECRET");
    return 0;
}

/* ---- id sets --------------------------------------------------------------------------------- */

/* Same sets, and no id printed twice. Sorts both lists. */
static void assert_same_ids(struct test_ids *got, struct test_ids *want)
{
    test_ids_sort(got);
    test_ids_sort(want);
    for (size_t i = 1; i < got->count; i++)
        if (strcmp(got->items[i - 1], got->items[i]) == 0)
            fail_msg("record %s delivered twice", got->items[i]);
    test_ids_assert_equal(want, got);
}

/* ---- the dataset, read independently ------------------------------------------------------- */

/* A voiceGroupId for a group name, from groups.json. */
static int64_t group_id_by_name(const cJSON *groups, const char *name)
{
    const cJSON *g;
    cJSON_ArrayForEach(g, groups)
        if (strcmp(json_str_at(g, "groupName"), name) == 0)
            return json_int_at(g, "voiceGroupId");
    return -1;
}

static bool int_in(int64_t v, const int64_t *list)
{
    for (; *list >= 0; list++)
        if (*list == v)
            return true;
    return false;
}

struct predicate {
    const int64_t *call_types; /* -1 terminated, or NULL for any */
    int64_t group_id;          /* < 0 for any */
    const char *label;         /* NULL for any */
};

/* The record's agent group. The seed page's record carries only the group's name, so its id is
 * the one groups.json gives that name, as the group query would tell a caller. */
static int64_t group_of(const cJSON *r, const cJSON *groups)
{
    const cJSON *id = json_at(r, "voiceGroupId");
    if (cJSON_IsNumber(id))
        return (int64_t)id->valuedouble;
    return group_id_by_name(groups, json_str_at(r, "sipGroupName"));
}

static bool has_label(const cJSON *r, const char *label)
{
    const cJSON *l;
    cJSON_ArrayForEach(l, json_at(r, "labelNameList"))
        if (cJSON_IsString(l) && strcmp(l->valuestring, label) == 0)
            return true;
    return false;
}

/* Ids of records with callStartTime in [from, to] ("YYYY-MM-DD HH:MM:SS", UTC+8) matching p. */
static struct test_ids expected_ids(const char *from, const char *to, const struct predicate *p)
{
    cJSON *records = test_load_json(RECORDS);
    cJSON *groups = test_load_json(GROUPS);
    struct test_ids out = {0};
    const cJSON *r;
    cJSON_ArrayForEach(r, records) {
        const char *t = json_str_at(r, "callStartTime");
        if (strcmp(t, from) < 0 || strcmp(t, to) > 0)
            continue;
        if (p && p->call_types && !int_in(json_int_at(r, "callType"), p->call_types))
            continue;
        if (p && p->group_id >= 0 && group_of(r, groups) != p->group_id)
            continue;
        if (p && p->label && !has_label(r, p->label))
            continue;
        char id[32];
        snprintf(id, sizeof(id), "%lld", (long long)json_int_at(r, "keyId"));
        test_ids_add(&out, id);
    }
    cJSON_Delete(groups);
    cJSON_Delete(records);
    return out;
}

/* Every stdout line is a normalized record in the contract's shape, started in the range;
 * returns their ids. */
static struct test_ids check_jsonl(const char *out, const char *from_utc, const char *to_utc)
{
    struct test_ids ids = {0};
    const char *line = out;
    const char *nl;
    while ((nl = strchr(line, '\n'))) {
        cJSON *rec = cJSON_ParseWithLength(line, (size_t)(nl - line));
        if (!cJSON_IsObject(rec))
            fail_msg("not a JSON object: %.*s", (int)(nl - line), line);
        assert_int_equal(cJSON_GetArraySize(rec), sizeof(contract_keys) / sizeof(contract_keys[0]));
        size_t k = 0;
        const cJSON *item;
        cJSON_ArrayForEach(item, rec) {
            assert_string_equal(item->string, contract_keys[k]); /* contract order */
            k++;
        }
        assert_string_equal(json_str_at(rec, "vendor"), "itnio");
        const char *start = json_str_at(rec, "start_time");
        assert_int_equal(strlen(start), 20);
        assert_int_equal(start[19], 'Z');
        assert_true(strcmp(start, from_utc) >= 0 && strcmp(start, to_utc) <= 0);
        assert_true(cJSON_IsArray(json_at(rec, "recording_urls")));
        test_ids_add(&ids, json_str_at(rec, "id"));
        cJSON_Delete(rec);
        line = nl + 1;
    }
    assert_string_equal(line, ""); /* the last line is terminated too */
    return ids;
}

static void start_mock(struct fixture *fx)
{
    mock_process_start(&fx->mock, NULL);
    assert_non_null(strstr(fx->mock.base_url, "http://127.0.0.1:"));
}

static void stop_mock(struct fixture *fx)
{
    assert_int_equal(mock_process_stop(&fx->mock), 0);
}

/* ---- sign --------------------------------------------------------------------------------------
 */

static void sign_prints_the_documented_example(void **state)
{
    (void)state;
    struct test_cli_run r =
        test_cli(NULL, (const char *const[]){"sign", "itnio", "--api-key", DEMO_KEY, "--api-secret",
                                             DEMO_SECRET, "--timestamp", "1630468800", NULL});
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "05d7a50893e22a5c4bb3216ae3396c7c\n");
    assert_string_equal(r.err, "");
    test_cli_run_free(&r);
}

static void sign_without_an_option_is_a_usage_error(void **state)
{
    (void)state;
    struct test_cli_run r =
        test_cli(NULL, (const char *const[]){"sign", "itnio", "--api-key", DEMO_KEY, "--api-secret",
                                             DEMO_SECRET, NULL});
    assert_int_equal(r.status, 2);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "usage"));
    test_cli_run_free(&r);

    r = test_cli(NULL, (const char *const[]){"sign", "itnio", "--api-key", DEMO_KEY, "--timestamp",
                                             "1630468800", NULL});
    assert_int_equal(r.status, 2);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "usage"));
    test_cli_run_free(&r);
}

/* ---- parse -------------------------------------------------------------------------------------
 */

static void parse_file_prints_the_normalized_record(void **state)
{
    (void)state;
    struct test_cli_run r =
        test_cli(NULL, (const char *const[]){"parse", "itnio", EXAMPLE_RESPONSE, NULL});
    assert_int_equal(r.status, 0);
    assert_int_equal(test_count_lines(r.out), 1);
    char *want = test_format("%s\n", expected_seed_line);
    assert_string_equal(r.out, want);
    assert_string_equal(r.err, "");
    free(want);
    test_cli_run_free(&r);
}

static void parse_stdin(void **state)
{
    (void)state;
    FILE *f = fopen(EXAMPLE_RESPONSE, "rb");
    assert_non_null(f);
    char body[8192];
    size_t n = fread(body, 1, sizeof(body) - 1, f);
    fclose(f);
    assert_true(n > 0 && n < sizeof(body) - 1);
    body[n] = '\0';
    struct test_cli_run r = test_cli(body, (const char *const[]){"parse", "itnio", "-", NULL});
    assert_int_equal(r.status, 0);
    char *want = test_format("%s\n", expected_seed_line);
    assert_string_equal(r.out, want);
    free(want);
    test_cli_run_free(&r);
}

static void parse_vendor_error_body(void **state)
{
    (void)state;
    struct test_cli_run r =
        test_cli("{\"status\":-76,\"reason\":\"The search time interval cannot be greater "
                 "than 93 days!\",\"data\":null}",
                 (const char *const[]){"parse", "itnio", "-", NULL});
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    assert_int_equal(test_count_lines(r.err), 1);
    assert_non_null(strstr(r.err, "range_too_large"));
    assert_non_null(strstr(r.err, "-76"));
    assert_non_null(strstr(r.err, "93 days"));
    test_cli_run_free(&r);

    /* The same error with the status as a string, as the vendor's table has it. */
    r = test_cli(
        "{\"status\":\"-76\",\"reason\":\"The search time interval cannot be greater than 93 "
        "days!\",\"data\":null}",
        (const char *const[]){"parse", "itnio", "-", NULL});
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "range_too_large"));
    assert_non_null(strstr(r.err, "-76"));
    test_cli_run_free(&r);
}

static void parse_rejects_what_is_not_a_response(void **state)
{
    (void)state;
    struct test_cli_run r =
        test_cli("this is not JSON", (const char *const[]){"parse", "itnio", "-", NULL});
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    assert_true(strlen(r.err) > 0);
    test_cli_run_free(&r);

    r = test_cli(
        NULL, (const char *const[]){"parse", "itnio", "/nonexistent/cdrsim/response.json", NULL});
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "/nonexistent/cdrsim/response.json"));
    test_cli_run_free(&r);
}

/* ---- fetch -------------------------------------------------------------------------------------
 */

/* The UTC bounds of FROM..TO, for checking start_time lines. */
#define FROM_UTC "2024-11-14T16:00:00Z"
#define TO_UTC "2025-04-13T16:00:00Z"

/* Runs fetch over FROM..TO (or the given range) with extra flags; the printed ids must be exactly
 * `want`, each once, with nothing on stderr. Returns stdout (caller frees). */
static char *fetch_expect(struct fixture *fx, const char *from, const char *to,
                          const char *from_utc, const char *to_utc, const char *const *extra,
                          struct test_ids *want)
{
    const char *args[64] = {"fetch",     "itnio",  "--base-url",   fx->mock.base_url,
                            "--api-key", DEMO_KEY, "--api-secret", DEMO_SECRET,
                            "--from",    from,     "--to",         to};
    size_t n = 12;
    for (size_t i = 0; extra && extra[i]; i++) {
        assert_true(n < 62);
        args[n++] = extra[i];
    }
    args[n] = NULL;
    struct test_cli_run r = test_cli(NULL, args);
    if (r.status != 0)
        fail_msg("fetch exited %d: %s", r.status, r.err);
    struct test_ids got = check_jsonl(r.out, from_utc, to_utc);
    assert_same_ids(&got, want);
    /* stderr is a file here, not a terminal: no progress, nothing at all. */
    assert_string_equal(r.err, "");
    test_ids_free(&got);
    free(r.err);
    return r.out;
}

static void fetch_prints_every_record_of_the_range(void **state)
{
    struct fixture *fx = *state;
    start_mock(fx);
    struct test_ids want = expected_ids(FROM, TO, NULL);
    assert_true(want.count > 100);
    char *out = fetch_expect(fx, FROM, TO, FROM_UTC, TO_UTC,
                             (const char *const[]){"--page-size", "50", NULL}, &want);
    /* The seed's own record is among them, exactly as parse prints it. */
    char *seed_line = test_format("%s\n", expected_seed_line);
    assert_non_null(strstr(out, seed_line));
    free(seed_line);
    free(out);
    test_ids_free(&want);
    stop_mock(fx);
}

static void fetch_longer_than_93_days(void **state)
{
    struct fixture *fx = *state;
    start_mock(fx);
    struct test_ids want = expected_ids("2024-05-01 00:00:00", "2025-05-01 00:00:00", NULL);
    free(fetch_expect(fx, "2024-05-01T00:00:00+08:00", "2025-05-01T00:00:00+08:00",
                      "2024-04-30T16:00:00Z", "2025-04-30T16:00:00Z", NULL, &want));
    test_ids_free(&want);
    stop_mock(fx);
}

static void fetch_filtered(struct fixture *fx, const struct predicate *p, const char *const *flags,
                           size_t all)
{
    struct test_ids want = expected_ids(FROM, TO, p);
    assert_true(want.count > 0 && want.count < all);
    free(fetch_expect(fx, FROM, TO, FROM_UTC, TO_UTC, flags, &want));
    test_ids_free(&want);
}

static void fetch_filters_narrow_exactly(void **state)
{
    struct fixture *fx = *state;
    start_mock(fx);
    struct test_ids everything = expected_ids(FROM, TO, NULL);
    size_t all = everything.count;
    test_ids_free(&everything);

    static const int64_t in_out[] = {2, 3, -1};
    fetch_filtered(fx, &(struct predicate){in_out, -1, NULL},
                   (const char *const[]){"--call-type", "2", "--call-type", "3", NULL}, all);
    fetch_filtered(fx, &(struct predicate){NULL, 12, NULL},
                   (const char *const[]){"--voice-group-id", "12", NULL}, all);
    fetch_filtered(fx, &(struct predicate){NULL, -1, "vip"},
                   (const char *const[]){"--label", "vip", NULL}, all);
    /* Filters combine with AND. */
    fetch_filtered(fx, &(struct predicate){in_out, 12, "vip"},
                   (const char *const[]){"--call-type", "2", "--call-type", "3", "--voice-group-id",
                                         "12", "--label", "vip", NULL},
                   all);
    stop_mock(fx);
}

static void fetch_with_a_wrong_secret_fails_with_auth(void **state)
{
    struct fixture *fx = *state;
    start_mock(fx);
    struct test_cli_run r =
        test_cli(NULL, (const char *const[]){"fetch", "itnio", "--base-url", fx->mock.base_url,
                                             "--api-key", DEMO_KEY, "--api-secret", "wrong-secret",
                                             "--from", FROM, "--to", TO, NULL});
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    assert_int_equal(test_count_lines(r.err), 1);
    assert_int_equal(r.err[strlen(r.err) - 1], '\n');
    assert_non_null(strstr(r.err, "auth"));
    assert_non_null(strstr(r.err, "-1"));
    test_cli_run_free(&r);
    stop_mock(fx);
}

static void fetch_with_a_bad_time_is_a_usage_error(void **state)
{
    struct fixture *fx = *state;
    start_mock(fx);
    struct test_cli_run r =
        test_cli(NULL, (const char *const[]){"fetch", "itnio", "--base-url", fx->mock.base_url,
                                             "--api-key", DEMO_KEY, "--api-secret", DEMO_SECRET,
                                             "--from", "last tuesday", "--to", TO, NULL});
    assert_int_equal(r.status, 2);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "--from"));
    test_cli_run_free(&r);

    r = test_cli(NULL, (const char *const[]){"fetch", "itnio", "--base-url", fx->mock.base_url,
                                             "--api-key", DEMO_KEY, "--api-secret", DEMO_SECRET,
                                             "--from", "2025-13-01 00:00:00", "--to", TO, NULL});
    assert_int_equal(r.status, 2);
    assert_string_equal(r.out, "");
    test_cli_run_free(&r);
    stop_mock(fx);
}

static void fetch_takes_credentials_from_the_environment(void **state)
{
    struct fixture *fx = *state;
    start_mock(fx);
    assert_int_equal(setenv("CDRSIM_ITNIO_API_KEY", DEMO_KEY, 1), 0);
    assert_int_equal(setenv("CDRSIM_ITNIO_API_SECRET", DEMO_SECRET, 1), 0);
    struct test_cli_run r =
        test_cli(NULL, (const char *const[]){"fetch", "itnio", "--base-url", fx->mock.base_url,
                                             "--from", FROM, "--to", TO, NULL});
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    struct test_ids got = check_jsonl(r.out, FROM_UTC, TO_UTC);
    struct test_ids want = expected_ids(FROM, TO, NULL);
    assert_same_ids(&got, &want);
    test_ids_free(&got);
    test_ids_free(&want);
    test_cli_run_free(&r);

    /* A flag still wins over the environment. */
    r = test_cli(NULL, (const char *const[]){"fetch", "itnio", "--base-url", fx->mock.base_url,
                                             "--api-secret", "wrong-secret", "--from", FROM, "--to",
                                             TO, NULL});
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "auth"));
    test_cli_run_free(&r);

    /* sign reads the same variables. */
    r = test_cli(NULL, (const char *const[]){"sign", "itnio", "--timestamp", "1630468800", NULL});
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "05d7a50893e22a5c4bb3216ae3396c7c\n");
    test_cli_run_free(&r);
    stop_mock(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sign_prints_the_documented_example, setup, teardown),
        cmocka_unit_test_setup_teardown(sign_without_an_option_is_a_usage_error, setup, teardown),
        cmocka_unit_test_setup_teardown(parse_file_prints_the_normalized_record, setup, teardown),
        cmocka_unit_test_setup_teardown(parse_stdin, setup, teardown),
        cmocka_unit_test_setup_teardown(parse_vendor_error_body, setup, teardown),
        cmocka_unit_test_setup_teardown(parse_rejects_what_is_not_a_response, setup, teardown),
        cmocka_unit_test_setup_teardown(fetch_prints_every_record_of_the_range, setup, teardown),
        cmocka_unit_test_setup_teardown(fetch_longer_than_93_days, setup, teardown),
        cmocka_unit_test_setup_teardown(fetch_filters_narrow_exactly, setup, teardown),
        cmocka_unit_test_setup_teardown(fetch_with_a_wrong_secret_fails_with_auth, setup, teardown),
        cmocka_unit_test_setup_teardown(fetch_with_a_bad_time_is_a_usage_error, setup, teardown),
        cmocka_unit_test_setup_teardown(fetch_takes_credentials_from_the_environment, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
