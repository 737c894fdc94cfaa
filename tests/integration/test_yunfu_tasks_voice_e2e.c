/* The real cdrsim-mock on a loopback port driven by libcdrsim's Yunfu client for what lies beyond
 * one task's list: the task lists, a whole account's calls with each call's direction from its
 * task, the recordings (download, redirect, play URLs that expire on the mock's clock) and the
 * generic cdr_client_download; and a fetch against a server that lists oldest call first.
 * Expected sets come from reading the fixtures directly (tests/support/yunfu_model.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/buf.h"
#include "cdrsim/vendor.h"
#include "cdrsim/yunfu.h"
#include "testutil.h"
#include "yunfu_model.h"

#define UNANSWERED "235765d2-9896-4207-b21d-b09315978d4a" /* a call of the seed task */
#define WAV_BYTES (44 + 10 * 8000 * 2)                    /* 10 s cap, 8 kHz 16-bit mono */

static int setup(void **state)
{
    struct mock_process *p = calloc(1, sizeof(*p));
    assert_non_null(p);
    *state = p;
    return 0;
}

static int teardown(void **state)
{
    struct mock_process *p = *state;
    if (p->pid > 0)
        mock_process_stop(p);
    free(p);
    return 0;
}

static struct mock_process *start(void **state, const char *const *extra)
{
    const char *args[16] = {"--data", FIXTURES_DIR, "--clock", "2022-10-20T00:00:00Z"};
    size_t n = 4;
    for (size_t i = 0; extra && extra[i]; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    mock_process_start(*state, args);
    return *state;
}

static struct cdr_yunfu_client *client_for(const struct mock_process *p)
{
    struct cdr_yunfu_options opts;
    cdr_yunfu_options_default(&opts);
    opts.base_url = p->base_url;
    opts.token = YUNFU_DEMO_TOKEN;
    opts.http.max_retries = 0;
    struct cdr_error_info err;
    struct cdr_yunfu_client *c = cdr_yunfu_client_new(&opts, &err);
    if (!c)
        fail_msg("client: %s", err.message);
    return c;
}

/* ---- tasks ----------------------------------------------------------------------------------- */

static int keep_task(void *user, const struct cdr_yunfu_task *t)
{
    test_ids_add(user, t->id);
    return 0;
}

static void task_lists(void **state)
{
    struct cdr_yunfu_client *c = client_for(start(state, NULL));
    struct cdr_yunfu_task_page page;
    struct cdr_error_info err;
    assert_int_equal(cdr_yunfu_get_task_page(c, YUNFU_SEED_USER, true, NULL, 1, 3, &page, &err),
                     CDR_OK);
    assert_int_equal(page.total, 4);
    assert_int_equal(page.last_page, 2);
    assert_int_equal(page.per_page, 3);
    assert_int_equal(page.task_count, 3);
    cdr_yunfu_task_page_free(&page);
    /* Every page of them, and filters. */
    struct test_ids ids = {0};
    assert_int_equal(
        cdr_yunfu_fetch_tasks(c, YUNFU_SEED_USER, true, NULL, 1, keep_task, &ids, &err), CDR_OK);
    assert_int_equal(ids.count, 4);
    test_ids_free(&ids);
    const int running[] = {2};
    struct cdr_yunfu_task_filter f = {NULL, NULL, running, 1};
    assert_int_equal(cdr_yunfu_fetch_tasks(c, YUNFU_SEED_USER, true, &f, 0, keep_task, &ids, &err),
                     CDR_OK);
    assert_int_equal(ids.count, 2);
    test_ids_free(&ids);
    f = (struct cdr_yunfu_task_filter){YUNFU_SUB_USER, NULL, NULL, 0};
    assert_int_equal(cdr_yunfu_fetch_tasks(c, YUNFU_SEED_USER, false, &f, 0, keep_task, &ids, &err),
                     CDR_OK);
    assert_int_equal(ids.count, 1);
    assert_string_equal(ids.items[0], YUNFU_SUB_TASK);
    test_ids_free(&ids);
    /* The vendor's errors. */
    assert_int_equal(cdr_yunfu_get_task_page(c, "nobody", false, NULL, 1, 3, &page, &err),
                     CDR_ERR_NOT_FOUND);
    assert_string_equal(err.vendor_code, "1002");
    cdr_yunfu_client_free(c);
}

/* A total the pages do not add up to ends the fetch, naming the rule. */
static void task_list_guarded(void **state)
{
    const char *const drift[] = {"--variant", "yunfu.drift=set:meta.total=9999", NULL};
    struct cdr_yunfu_client *c = client_for(start(state, drift));
    struct test_ids ids = {0};
    struct cdr_error_info err;
    assert_int_equal(
        cdr_yunfu_fetch_tasks(c, YUNFU_SEED_USER, false, NULL, 0, keep_task, &ids, &err),
        CDR_ERR_MALFORMED_RESPONSE);
    assert_non_null(strstr(err.message, "sum against total"));
    test_ids_free(&ids);
    cdr_yunfu_client_free(c);
}

/* ---- a whole account ------------------------------------------------------------------------- */

struct calls {
    size_t count, inbound, outbound;
    size_t stop_after; /* 0: never */
};

static int count_call(void *user, const struct cdr_record *rec)
{
    struct calls *k = user;
    k->count++;
    k->inbound += rec->direction == CDR_DIRECTION_INBOUND;
    k->outbound += rec->direction == CDR_DIRECTION_OUTBOUND;
    return k->stop_after && k->count == k->stop_after;
}

static void whole_account(void **state)
{
    struct cdr_yunfu_client *c = client_for(start(state, NULL));
    cJSON *records = test_load_json(YUNFU_RECORDS);
    struct test_ids inbound = yunfu_model_ids(records, YUNFU_INBOUND_TASK, NULL, NULL);
    struct test_ids outbound = yunfu_model_ids(records, YUNFU_NODE2_TASK, NULL, NULL);
    struct calls k = {0};
    struct cdr_error_info err;
    assert_int_equal(cdr_yunfu_fetch_account(c, YUNFU_NODE2_USER, false, NULL, NULL, 20, count_call,
                                             NULL, &k, &err),
                     CDR_OK);
    assert_int_equal(k.inbound, inbound.count);
    assert_int_equal(k.outbound, outbound.count);
    assert_int_equal(k.count, inbound.count + outbound.count);
    /* The demo account with its sub-account's task, through sub_user_id. */
    struct test_ids seed = yunfu_model_ids(records, YUNFU_SEED_TASK, NULL, NULL),
                    second = yunfu_model_ids(records, YUNFU_SECOND_TASK, NULL, NULL),
                    sub = yunfu_model_ids(records, YUNFU_SUB_TASK, NULL, NULL);
    k = (struct calls){0};
    assert_int_equal(cdr_yunfu_fetch_account(c, YUNFU_SEED_USER, true, NULL, NULL, 50, count_call,
                                             NULL, &k, &err),
                     CDR_OK);
    assert_int_equal(k.count, seed.count + second.count + sub.count);
    assert_int_equal(k.outbound, k.count);
    /* Stopping early ends every task's fetch, successfully. */
    k = (struct calls){0, 0, 0, 5};
    assert_int_equal(cdr_yunfu_fetch_account(c, YUNFU_SEED_USER, true, NULL, NULL, 2, count_call,
                                             NULL, &k, &err),
                     CDR_OK);
    assert_int_equal(k.count, 5);
    test_ids_free(&seed);
    test_ids_free(&second);
    test_ids_free(&sub);
    test_ids_free(&inbound);
    test_ids_free(&outbound);
    cJSON_Delete(records);
    cdr_yunfu_client_free(c);
}

/* An oldest-first server: the whole task still arrives, every call once. */
static void oldest_first_server(void **state)
{
    const char *const order[] = {"--variant", "yunfu.order=oldest", NULL};
    struct cdr_yunfu_client *c = client_for(start(state, order));
    struct calls k = {0};
    struct cdr_error_info err;
    assert_int_equal(cdr_yunfu_fetch_all(c, YUNFU_SEED_USER, YUNFU_SEED_TASK, NULL, 7, count_call,
                                         NULL, &k, &err),
                     CDR_OK);
    assert_int_equal(k.count, 78);
    cdr_yunfu_client_free(c);
}

/* ---- recordings ------------------------------------------------------------------------------ */

struct audio {
    struct cdr_buf bytes;
    int stop; /* returned by the writer */
};

static int keep_audio(void *user, const void *data, size_t len)
{
    struct audio *a = user;
    cdr_buf_append(&a->bytes, data, len);
    return a->stop;
}

static void download(void **state)
{
    struct cdr_yunfu_client *c = client_for(start(state, NULL));
    struct audio a = {{0}, 0};
    cdr_buf_init(&a.bytes);
    struct cdr_yunfu_audio info;
    struct cdr_error_info err;
    assert_int_equal(cdr_yunfu_download_voice(c, YUNFU_SEED_USER, YUNFU_SEED_TASK,
                                              YUNFU_SEED_RECORD, NULL, keep_audio, &a, &info, &err),
                     CDR_OK);
    assert_string_equal(info.content_type, "audio/wav");
    assert_int_equal(info.bytes, WAV_BYTES);
    assert_int_equal(a.bytes.len, WAV_BYTES);
    assert_memory_equal(a.bytes.data, "RIFF", 4);
    cdr_buf_free(&a.bytes);
    /* No recording, no record, a writer that stops. */
    cdr_buf_init(&a.bytes);
    assert_int_equal(cdr_yunfu_download_voice(c, YUNFU_SEED_USER, YUNFU_SEED_TASK, UNANSWERED, NULL,
                                              keep_audio, &a, &info, &err),
                     CDR_ERR_NOT_FOUND);
    assert_string_equal(err.vendor_code, "5004");
    assert_int_equal(cdr_yunfu_download_voice(c, YUNFU_SEED_USER, YUNFU_SEED_TASK, "nope", NULL,
                                              keep_audio, &a, &info, &err),
                     CDR_ERR_NOT_FOUND);
    assert_string_equal(err.vendor_code, "5003");
    a.stop = 1;
    assert_int_equal(cdr_yunfu_download_voice(c, YUNFU_SEED_USER, YUNFU_SEED_TASK,
                                              YUNFU_SEED_RECORD, NULL, keep_audio, &a, &info, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    assert_string_equal(err.message, "stopped by the writer");
    cdr_buf_free(&a.bytes);
    cdr_yunfu_client_free(c);
}

static void download_through_a_redirect(void **state)
{
    const char *const redirect[] = {"--variant", "yunfu.voice_download=redirect", NULL};
    struct mock_process *p = start(state, redirect);
    /* What the wire shows: a 302 to a play URL on the same mock. */
    char *url = test_format("%s/agent-api/user/" YUNFU_SEED_USER "/task/" YUNFU_SEED_TASK
                            "/record/" YUNFU_SEED_RECORD "/download-full-voice",
                            p->base_url);
    struct test_http_reply r =
        test_http("GET", url,
                  (const char *const[]){"Authorization: Bearer " YUNFU_DEMO_TOKEN, NULL}, NULL, 0);
    assert_int_equal(r.status, 302);
    char location[512];
    assert_true(test_http_reply_header(&r, "Location", location, sizeof(location)));
    char *prefix =
        test_format("%s/yunfu-oss/record/" YUNFU_SEED_RECORD ".wav?Expires=", p->base_url);
    assert_memory_equal(location, prefix, strlen(prefix));
    free(prefix);
    test_http_reply_free(&r);
    free(url);
    r = test_http("GET", location, NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.content_type, "audio/wav");
    assert_int_equal(r.len, WAV_BYTES);
    test_http_reply_free(&r);
    /* The client follows it. */
    struct cdr_yunfu_client *c = client_for(p);
    struct audio a = {{0}, 0};
    cdr_buf_init(&a.bytes);
    struct cdr_yunfu_audio info;
    struct cdr_error_info err;
    assert_int_equal(cdr_yunfu_download_voice(c, YUNFU_SEED_USER, YUNFU_SEED_TASK,
                                              YUNFU_SEED_RECORD, NULL, keep_audio, &a, &info, &err),
                     CDR_OK);
    assert_int_equal(a.bytes.len, WAV_BYTES);
    cdr_buf_free(&a.bytes);
    cdr_yunfu_client_free(c);
}

static void play_urls_expire(void **state)
{
    struct mock_process *p = start(state, NULL);
    struct cdr_yunfu_client *c = client_for(p);
    const char *ids[] = {YUNFU_SEED_RECORD, UNANSWERED};
    struct cdr_yunfu_voice_urls urls;
    struct cdr_error_info err;
    assert_int_equal(
        cdr_yunfu_get_voice_urls(c, YUNFU_SEED_USER, YUNFU_SEED_TASK, ids, 2, NULL, &urls, &err),
        CDR_OK);
    assert_int_equal(urls.count, 2);
    assert_null(urls.items[1].url);
    char *url = strdup(urls.items[0].url);
    cdr_yunfu_voice_urls_free(&urls);
    struct audio a = {{0}, 0};
    cdr_buf_init(&a.bytes);
    struct cdr_yunfu_audio info;
    assert_int_equal(cdr_yunfu_download_url(c, url, keep_audio, &a, &info, &err), CDR_OK);
    assert_int_equal(a.bytes.len, WAV_BYTES);
    /* An hour and a second later on the mock's clock, the store refuses it. */
    char *clock = test_format("%s/__cdrsim/clock", p->base_url);
    struct test_http_reply r =
        test_http("PUT", clock, (const char *const[]){"Content-Type: application/json", NULL},
                  "{\"advance_seconds\":3601}", strlen("{\"advance_seconds\":3601}"));
    assert_int_equal(r.status, 200);
    test_http_reply_free(&r);
    assert_int_equal(cdr_yunfu_download_url(c, url, keep_audio, &a, &info, &err), CDR_ERR_AUTH);
    assert_string_equal(err.vendor_code, "AccessDenied");
    assert_string_equal(err.message, "Request has expired.");
    r = test_http("GET", url, NULL, NULL, 0);
    assert_int_equal(r.status, 403);
    assert_string_equal(r.content_type, "application/xml");
    test_http_reply_free(&r);
    free(clock);
    free(url);
    cdr_buf_free(&a.bytes);
    cdr_yunfu_client_free(c);
}

/* The generic client downloads a fetched record's recording through the descriptor. */
static void generic_download(void **state)
{
    struct mock_process *p = start(state, NULL);
    const struct cdr_vendor *v = cdr_vendor_find("yunfu");
    assert_true(cdr_vendor_has_call(v, "download"));
    struct cdr_args *args = cdr_args_new();
    cdr_args_add(args, "token", YUNFU_DEMO_TOKEN);
    cdr_args_add(args, "user_id", YUNFU_SEED_USER);
    cdr_args_add(args, "task_id", YUNFU_SEED_TASK);
    cdr_args_add(args, "keyword", YUNFU_SEED_CALLEE);
    struct cdr_client_options opts;
    cdr_client_options_default(&opts);
    opts.base_url = p->base_url;
    struct cdr_error_info err;
    struct cdr_client *client = cdr_client_new(v, &opts, args, &err);
    assert_non_null(client);
    struct cdr_page page;
    assert_int_equal(cdr_client_page(client, args, 1, 1, &page, &err), CDR_OK);
    assert_string_equal(page.records[0].id, YUNFU_SEED_RECORD);
    struct audio a = {{0}, 0};
    cdr_buf_init(&a.bytes);
    struct cdr_download info;
    assert_int_equal(cdr_client_download(client, &page.records[0], 0, keep_audio, &a, &info, &err),
                     CDR_OK);
    assert_string_equal(info.extension, ".wav");
    assert_string_equal(info.content_type, "audio/wav");
    assert_int_equal(info.bytes, WAV_BYTES);
    assert_int_equal(a.bytes.len, WAV_BYTES);
    assert_int_equal(cdr_client_download(client, &page.records[0], 1, keep_audio, &a, &info, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    cdr_page_free(&page);
    cdr_buf_free(&a.bytes);
    cdr_client_free(client);
    cdr_args_free(args);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(task_lists, setup, teardown),
        cmocka_unit_test_setup_teardown(task_list_guarded, setup, teardown),
        cmocka_unit_test_setup_teardown(whole_account, setup, teardown),
        cmocka_unit_test_setup_teardown(oldest_first_server, setup, teardown),
        cmocka_unit_test_setup_teardown(download, setup, teardown),
        cmocka_unit_test_setup_teardown(download_through_a_redirect, setup, teardown),
        cmocka_unit_test_setup_teardown(play_urls_expire, setup, teardown),
        cmocka_unit_test_setup_teardown(generic_download, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
