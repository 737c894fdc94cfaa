/* The real cdrsim-mock on an ephemeral loopback port, driven by libcdrsim's Yunfu client. Expected
 * record lists come from reading the dataset directly (tests/support/yunfu_model.h), never from
 * the mock or the client, so a mistake both share cannot hide. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "cdrsim/buf.h"
#include "cdrsim/yunfu.h"
#include "testutil.h"
#include "yunfu_model.h"

#define MAX_MOCKS 2

struct fixture {
    struct mock_process mocks[MAX_MOCKS];
    cJSON *records;
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    fx->records = test_load_json(YUNFU_RECORDS);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    for (size_t i = 0; i < MAX_MOCKS; i++)
        if (fx->mocks[i].pid > 0)
            mock_process_stop(&fx->mocks[i]);
    cJSON_Delete(fx->records);
    free(fx);
    return 0;
}

/* mocks[slot] with the fixtures plus the given extra arguments (NULL-terminated). */
static struct mock_process *start(struct fixture *fx, size_t slot, const char *const *extra)
{
    const char *args[32] = {"--data", FIXTURES_DIR};
    size_t n = 2;
    for (size_t i = 0; extra && extra[i]; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    mock_process_start(&fx->mocks[slot], args);
    return &fx->mocks[slot];
}

static struct cdr_yunfu_client *client_for(const struct mock_process *p, const char *token)
{
    struct cdr_yunfu_options opts;
    cdr_yunfu_options_default(&opts);
    opts.base_url = p->base_url;
    opts.token = token;
    opts.http.max_retries = 0;
    struct cdr_error_info err;
    struct cdr_yunfu_client *c = cdr_yunfu_client_new(&opts, &err);
    if (!c)
        fail_msg("client: %s", err.message);
    return c;
}

struct collected {
    struct test_ids ids;
    cJSON *records; /* to check each record's start time against the dataset; may be NULL */
    int64_t pages;
};

static int collect(void *user, const struct cdr_record *rec)
{
    struct collected *c = user;
    test_ids_add(&c->ids, rec->id);
    if (c->records) {
        const cJSON *want = yunfu_model_record(c->records, rec->id);
        int y, mo, d, h, mi, s;
        assert_int_equal(
            sscanf(json_str_at(want, "calldate"), "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s),
            6);
        assert_int_equal(rec->start_time, china_time(y, mo, d, h, mi, s));
        assert_string_equal(rec->vendor, "yunfu");
        assert_int_equal(rec->direction, CDR_DIRECTION_OUTBOUND);
    }
    return 0;
}

static void count_pages(void *user, const struct cdr_yunfu_progress *p)
{
    struct collected *c = user;
    c->pages = p->page;
    assert_true(p->records_seen <= p->total);
}

/* Fetches a whole task and compares it, in order, with the dataset's own listing. */
static void expect_whole_task(struct cdr_yunfu_client *c, const cJSON *records, const char *user_id,
                              const char *task_id, const char *sub_user_id, int64_t per_page)
{
    struct cdr_yunfu_filter f;
    cdr_yunfu_filter_init(&f);
    f.sub_user_id = sub_user_id;
    struct collected got = {{0}, (cJSON *)records, 0};
    struct cdr_error_info err;
    if (cdr_yunfu_fetch_all(c, user_id, task_id, &f, per_page, collect, count_pages, &got, &err) !=
        CDR_OK)
        fail_msg("task %s: %s", task_id, err.message);
    struct test_ids want = yunfu_model_ids(records, task_id, NULL, NULL);
    test_ids_assert_equal(&want, &got.ids);
    int64_t size = per_page > 0 ? per_page : CDR_YUNFU_DEFAULT_PER_PAGE;
    assert_int_equal(got.pages, want.count ? ((int64_t)want.count + size - 1) / size : 1);
    test_ids_free(&want);
    test_ids_free(&got.ids);
}

/* ---- whole tasks ---------------------------------------------------------------------------- */

static void fetch_every_task_exactly(void **state)
{
    struct fixture *fx = *state;
    struct mock_process *p = start(fx, 0, NULL);
    struct cdr_yunfu_client *c = client_for(p, YUNFU_DEMO_TOKEN);
    expect_whole_task(c, fx->records, YUNFU_SEED_USER, YUNFU_SEED_TASK, NULL, 10);
    expect_whole_task(c, fx->records, YUNFU_SEED_USER, YUNFU_SEED_TASK, NULL,
                      78); /* one exact page */
    expect_whole_task(c, fx->records, YUNFU_SEED_USER, YUNFU_SECOND_TASK, NULL,
                      0); /* the server's 15 */
    expect_whole_task(c, fx->records, YUNFU_SEED_USER, YUNFU_SUB_TASK, YUNFU_SUB_USER, 7);
    expect_whole_task(c, fx->records, YUNFU_SEED_USER, YUNFU_EMPTY_TASK, NULL, 10);
    expect_whole_task(c, fx->records, YUNFU_NODE2_USER, YUNFU_NODE2_TASK, NULL, 13);
    expect_whole_task(c, fx->records, YUNFU_NODE2_USER, YUNFU_NODE2_TASK2, NULL, 100);
    /* The legacy path reaches the default cloud node's tasks. */
    expect_whole_task(c, fx->records, NULL, YUNFU_SEED_TASK, NULL, 20);
    cdr_yunfu_client_free(c);
    c = client_for(p, YUNFU_QA_TOKEN);
    expect_whole_task(c, fx->records, YUNFU_QA_USER, "d88f4da5-4588-4471-a048-5b79798d5ded", NULL,
                      9);
    expect_whole_task(c, fx->records, NULL, YUNFU_QA_DEFAULT_NODE_TASK, NULL, 9);
    cdr_yunfu_client_free(c);
}

static bool seed_customer(const cJSON *r, const void *arg)
{
    (void)arg;
    const cJSON *callee = json_at(r, "callee");
    const cJSON *intention = json_at(r, "intention_results");
    return cJSON_IsString(callee) && strcmp(callee->valuestring, YUNFU_SEED_CALLEE) == 0 &&
           cJSON_IsNumber(intention) && intention->valueint <= 2;
}

static void filters_end_to_end(void **state)
{
    struct fixture *fx = *state;
    struct mock_process *p = start(fx, 0, NULL);
    struct cdr_yunfu_client *c = client_for(p, YUNFU_DEMO_TOKEN);
    struct cdr_yunfu_filter f;
    cdr_yunfu_filter_init(&f);
    const int tags[] = {1, 2};
    f.keyword = YUNFU_SEED_CALLEE;
    f.intention_tags = tags;
    f.intention_tag_count = 2;
    struct collected got = {{0}, NULL, 0};
    struct cdr_error_info err;
    assert_int_equal(
        cdr_yunfu_fetch_all(c, YUNFU_SEED_USER, YUNFU_SEED_TASK, &f, 4, collect, NULL, &got, &err),
        CDR_OK);
    struct test_ids want = yunfu_model_ids(fx->records, YUNFU_SEED_TASK, seed_customer, NULL);
    assert_true(want.count >= 2);
    test_ids_assert_equal(&want, &got.ids);
    test_ids_free(&want);
    test_ids_free(&got.ids);
    cdr_yunfu_client_free(c);
}

static void golden_seed_request(void **state)
{
    struct fixture *fx = *state;
    struct mock_process *p = start(fx, 0, NULL);
    struct cdr_yunfu_client *c = client_for(p, YUNFU_DEMO_TOKEN);
    struct cdr_yunfu_filter f;
    cdr_yunfu_filter_init(&f);
    f.keyword = YUNFU_SEED_CALLEE;
    struct cdr_yunfu_page page;
    struct cdr_error_info err;
    assert_int_equal(
        cdr_yunfu_list_page(c, YUNFU_SEED_USER, YUNFU_SEED_TASK, &f, 1, 1, &page, &err), CDR_OK);
    assert_true(page.has_pages);
    assert_int_equal(page.total, 29);
    assert_int_equal(page.last_page, 29);
    assert_int_equal(page.current_page, 1);
    assert_int_equal(page.per_page, 1);
    assert_int_equal(page.record_count, 1);
    assert_string_equal(page.records[0].id, YUNFU_SEED_RECORD);
    assert_int_equal(page.records[0].talk_seconds, 37);
    cdr_yunfu_page_free(&page);
    cdr_yunfu_client_free(c);
}

/* ---- errors --------------------------------------------------------------------------------- */

static void expect_error(cdr_error rc, const struct cdr_error_info *err, cdr_error code,
                         long status, const char *vendor_code, const char *message)
{
    if (rc != code)
        fail_msg("%s instead of %s: %s", cdr_error_name(rc), cdr_error_name(code), err->message);
    assert_int_equal(err->http_status, status);
    assert_string_equal(err->vendor_code, vendor_code);
    assert_string_equal(err->message, message);
}

static void errors_end_to_end(void **state)
{
    struct fixture *fx = *state;
    struct mock_process *p = start(fx, 0, NULL);
    struct cdr_yunfu_page page;
    struct cdr_error_info err;
    struct cdr_yunfu_client *bad = client_for(p, "not-a-token");
    expect_error(
        cdr_yunfu_list_page(bad, YUNFU_SEED_USER, YUNFU_SEED_TASK, NULL, 1, 1, &page, &err), &err,
        CDR_ERR_AUTH, 401, "", "Unauthenticated.");
    cdr_yunfu_client_free(bad);

    struct cdr_yunfu_client *c = client_for(p, YUNFU_DEMO_TOKEN);
    expect_error(cdr_yunfu_list_page(c, "no-such-user", YUNFU_SEED_TASK, NULL, 1, 1, &page, &err),
                 &err, CDR_ERR_NOT_FOUND, 200, "1002", "【user】参数错误,未找到对应云节点");
    expect_error(cdr_yunfu_list_page(c, YUNFU_SEED_USER, "no-such-task", NULL, 1, 1, &page, &err),
                 &err, CDR_ERR_NOT_FOUND, 200, "5002", "任务不存在");
    expect_error(cdr_yunfu_list_page(c, NULL, YUNFU_NODE2_TASK, NULL, 1, 1, &page, &err), &err,
                 CDR_ERR_NOT_FOUND, 200, "5002", "任务不存在");
    struct cdr_yunfu_filter f;
    cdr_yunfu_filter_init(&f);
    const struct cdr_yunfu_range reversed[] = {{500, 100}};
    f.levels = reversed;
    f.level_count = 1;
    expect_error(cdr_yunfu_list_page(c, YUNFU_SEED_USER, YUNFU_SEED_TASK, &f, 1, 1, &page, &err),
                 &err, CDR_ERR_PARAMETER, 422, "",
                 "The levels.0.0 must be less than or equal to 100.");
    struct cdr_yunfu_detail d;
    expect_error(
        cdr_yunfu_get_detail(c, YUNFU_SEED_USER, YUNFU_SEED_TASK, "no-such-record", NULL, &d, &err),
        &err, CDR_ERR_NOT_FOUND, 200, "5003", "通话记录不存在");
    cdr_yunfu_client_free(c);

    /* Nothing listening: a transport error, not a crash or a hang. */
    struct mock_process gone = *p;
    mock_process_stop(p);
    c = client_for(&gone, YUNFU_DEMO_TOKEN);
    assert_int_equal(
        cdr_yunfu_list_page(c, YUNFU_SEED_USER, YUNFU_SEED_TASK, NULL, 1, 1, &page, &err),
        CDR_ERR_TRANSPORT);
    cdr_yunfu_client_free(c);
}

/* ---- one call, the token -------------------------------------------------------------------- */

static void detail_and_token(void **state)
{
    struct fixture *fx = *state;
    struct mock_process *p = start(fx, 0, NULL);
    struct cdr_yunfu_client *c = client_for(p, YUNFU_DEMO_TOKEN);
    struct cdr_yunfu_detail d;
    struct cdr_error_info err;
    assert_int_equal(cdr_yunfu_get_detail(c, YUNFU_SEED_USER, YUNFU_SEED_TASK, YUNFU_SEED_RECORD,
                                          NULL, &d, &err),
                     CDR_OK);
    /* The documented answer: the dialogue, opening with the detail page's row 1. */
    assert_false(d.has_record);
    assert_int_equal(d.utterance_count, 4);
    assert_int_equal(d.utterances[0].sequence, 1);
    assert_string_equal(d.utterances[0].id, YUNFU_SEED_OPENING_ROW);
    assert_string_equal(d.utterances[0].notify, "enter");
    assert_int_equal(d.utterances[1].sequence, 10);
    assert_int_equal(d.utterances[3].sequence, 12);
    cdr_yunfu_detail_free(&d);
    /* The same through the retired path without the account. */
    assert_int_equal(
        cdr_yunfu_get_detail(c, NULL, YUNFU_SEED_TASK, YUNFU_SEED_RECORD, NULL, &d, &err), CDR_OK);
    assert_int_equal(d.utterance_count, 4);
    cdr_yunfu_detail_free(&d);
    /* A sub-account's call, through its parent. */
    struct test_ids sub = yunfu_model_ids(fx->records, YUNFU_SUB_TASK, NULL, NULL);
    assert_int_equal(cdr_yunfu_get_detail(c, YUNFU_SEED_USER, YUNFU_SUB_TASK, sub.items[0],
                                          YUNFU_SUB_USER, &d, &err),
                     CDR_OK);
    assert_int_equal(
        (int64_t)d.utterance_count,
        cJSON_GetArraySize(json_at(yunfu_model_record(fx->records, sub.items[0]), "details")));
    cdr_yunfu_detail_free(&d);
    test_ids_free(&sub);

    struct cdr_yunfu_token_info info;
    assert_int_equal(cdr_yunfu_get_token_info(c, &info, &err), CDR_OK);
    assert_int_equal(info.expires_at, china_time(2099, 12, 31, 23, 59, 59));
    assert_true(info.expires_in > 0);
    cdr_yunfu_client_free(c);
}

/* ---- the variants --------------------------------------------------------------------------- */

static void variants_end_to_end(void **state)
{
    struct fixture *fx = *state;
    const char *const variants[] = {"--variant", "yunfu.per_page_type=number",
                                    "--variant", "yunfu.detail_data=rows",
                                    "--variant", "yunfu.missing_record=http404",
                                    "--variant", "yunfu.unauth_body=envelope",
                                    "--variant", "yunfu.legacy=off",
                                    NULL};
    struct mock_process *p = start(fx, 0, variants);
    struct cdr_yunfu_client *c = client_for(p, YUNFU_DEMO_TOKEN);
    /* per_page as a number changes nothing for the client. */
    expect_whole_task(c, fx->records, YUNFU_SEED_USER, YUNFU_SEED_TASK, NULL, 11);
    struct cdr_yunfu_detail d;
    struct cdr_error_info err;
    assert_int_equal(cdr_yunfu_get_detail(c, YUNFU_SEED_USER, YUNFU_SEED_TASK, YUNFU_SEED_RECORD,
                                          NULL, &d, &err),
                     CDR_OK);
    assert_false(d.has_record);
    assert_int_equal(d.utterance_count, 4);
    assert_string_equal(d.utterances[3].answer_text, "结束语挂断");
    cdr_yunfu_detail_free(&d);
    expect_error(cdr_yunfu_get_detail(c, YUNFU_SEED_USER, YUNFU_SEED_TASK, "abc", NULL, &d, &err),
                 &err, CDR_ERR_NOT_FOUND, 404, "",
                 "No query results for model [App\\Models\\Record] abc");
    struct cdr_yunfu_page page;
    expect_error(cdr_yunfu_list_page(c, NULL, YUNFU_SEED_TASK, NULL, 1, 1, &page, &err), &err,
                 CDR_ERR_NOT_FOUND, 404, "",
                 "The route agent-api/task/" YUNFU_SEED_TASK "/record could not be found.");
    cdr_yunfu_client_free(c);
    c = client_for(p, "expired-yunfu-token");
    expect_error(cdr_yunfu_list_page(c, YUNFU_SEED_USER, YUNFU_SEED_TASK, NULL, 1, 1, &page, &err),
                 &err, CDR_ERR_AUTH, 401, "401", "Unauthenticated.");
    cdr_yunfu_client_free(c);
}

static void rate_limit_end_to_end(void **state)
{
    struct fixture *fx = *state;
    const char *const variants[] = {"--variant", "yunfu.rate_limit=3", NULL};
    struct mock_process *p = start(fx, 0, variants);
    struct cdr_yunfu_client *c = client_for(p, YUNFU_DEMO_TOKEN);
    struct cdr_yunfu_token_info info;
    struct cdr_error_info err;
    for (int i = 0; i < 3; i++)
        assert_int_equal(cdr_yunfu_get_token_info(c, &info, &err), CDR_OK);
    expect_error(cdr_yunfu_get_token_info(c, &info, &err), &err, CDR_ERR_RATE_LIMITED, 429, "",
                 "Too Many Attempts.");
    /* A whole-task fetch stops at the limit with the same error, not a loop or a crash. */
    struct collected got = {{0}, NULL, 0};
    expect_error(cdr_yunfu_fetch_all(c, YUNFU_SEED_USER, YUNFU_SEED_TASK, NULL, 10, collect, NULL,
                                     &got, &err),
                 &err, CDR_ERR_RATE_LIMITED, 429, "", "Too Many Attempts.");
    assert_int_equal(got.ids.count, 0);
    cdr_yunfu_client_free(c);
}

/* ---- generated data ------------------------------------------------------------------------- */

static void generated_dataset_served_exactly(void **state)
{
    struct fixture *fx = *state;
    /* The dataset from the binary's own dump, then served by a second run with the same flags. */
    const char *const dump_argv[] = {
        CDRSIM_MOCK_BIN,        "--data",         FIXTURES_DIR, "--generate",
        "yunfu=3000",           "--seed",         "11",         "--clock",
        "2024-06-01T00:00:00Z", "--dump-records", "yunfu",      NULL};
    char *out = NULL, *errtext = NULL;
    assert_int_equal(run_command(dump_argv, NULL, &out, &errtext), 0);
    cJSON *records = cJSON_Parse(out);
    assert_int_equal(cJSON_GetArraySize(records), 3000);
    free(out);
    free(errtext);
    const char *const args[] = {"--generate", "yunfu=3000",           "--seed", "11",
                                "--clock",    "2024-06-01T00:00:00Z", NULL};
    struct mock_process *p = start(fx, 0, args);
    struct cdr_yunfu_client *c = client_for(p, YUNFU_DEMO_TOKEN);
    expect_whole_task(c, records, YUNFU_SEED_USER, YUNFU_SEED_TASK, NULL, 100);
    expect_whole_task(c, records, YUNFU_NODE2_USER, YUNFU_NODE2_TASK, NULL, 250);
    expect_whole_task(c, records, NULL, YUNFU_SECOND_TASK, NULL, 45);
    cdr_yunfu_client_free(c);
    cJSON_Delete(records);
}

/* ---- admin ---------------------------------------------------------------------------------- */

static size_t keep(char *data, size_t size, size_t n, void *user)
{
    struct cdr_buf *b = user;
    cdr_buf_append(b, data, size * n);
    return size * n;
}

static long admin(const struct mock_process *p, const char *method, const char *path,
                  struct cdr_buf *body)
{
    CURL *curl = curl_easy_init();
    assert_non_null(curl);
    char *url = test_format("%s%s", p->base_url, path);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
    assert_int_equal(curl_easy_perform(curl), CURLE_OK);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    free(url);
    return status;
}

static void health_lists_the_variants_and_reset_reloads(void **state)
{
    struct fixture *fx = *state;
    const char *const args[] = {"--variant", "yunfu.rate_limit=50", NULL};
    struct mock_process *p = start(fx, 0, args);
    struct cdr_buf body;
    cdr_buf_init(&body);
    assert_int_equal(admin(p, "GET", "/__cdrsim/health", &body), 200);
    cJSON *health = cJSON_Parse(body.data);
    const cJSON *vendor, *yunfu = NULL;
    cJSON_ArrayForEach(vendor, json_at(health, "vendors")) {
        if (strcmp(json_str_at(vendor, "id"), "yunfu") == 0)
            yunfu = vendor;
    }
    assert_non_null(yunfu);
    char *variants = cJSON_PrintUnformatted(json_at(yunfu, "variants"));
    assert_string_equal(
        variants,
        "{\"legacy\":\"on\",\"unauth_body\":\"laravel\",\"per_page_type\":\"echo\","
        "\"order\":\"newest\",\"keyword_match\":\"contains\",\"detail_data\":\"records\","
        "\"missing_record\":\"envelope\",\"score_range\":\"strict\",\"intention_tags\":\"strict\","
        "\"voice_download\":\"stream\",\"batch_data\":\"list\",\"voice_ttl\":\"3600\","
        "\"rate_limit\":\"50\"}");
    free(variants);
    cJSON_Delete(health);
    cdr_buf_free(&body);
    cdr_buf_init(&body);
    assert_int_equal(admin(p, "POST", "/__cdrsim/reset", &body), 200);
    cdr_buf_free(&body);
    struct cdr_yunfu_client *c = client_for(p, YUNFU_DEMO_TOKEN);
    expect_whole_task(c, fx->records, YUNFU_SEED_USER, YUNFU_SEED_TASK, NULL, 30);
    cdr_yunfu_client_free(c);
    /* The quick start names the demo token and a request that works. */
    assert_non_null(
        strstr(p->stdout_text, "Bearer token " YUNFU_DEMO_TOKEN "  account " YUNFU_SEED_USER));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(fetch_every_task_exactly, setup, teardown),
        cmocka_unit_test_setup_teardown(filters_end_to_end, setup, teardown),
        cmocka_unit_test_setup_teardown(golden_seed_request, setup, teardown),
        cmocka_unit_test_setup_teardown(errors_end_to_end, setup, teardown),
        cmocka_unit_test_setup_teardown(detail_and_token, setup, teardown),
        cmocka_unit_test_setup_teardown(variants_end_to_end, setup, teardown),
        cmocka_unit_test_setup_teardown(rate_limit_end_to_end, setup, teardown),
        cmocka_unit_test_setup_teardown(generated_dataset_served_exactly, setup, teardown),
        cmocka_unit_test_setup_teardown(health_lists_the_variants_and_reset_reloads, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
