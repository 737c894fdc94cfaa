/* libcdrsim's Yunfu layer without a network: request URLs, response parsing (the seed example,
 * every error shape, truncated and hostile bodies), normalization and the detail's variants. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/yunfu.h"
#include "testutil.h"
#include "yunfu_model.h"

static char *example_text(size_t *len)
{
    return test_read_file(YUNFU_EXAMPLE, len);
}

static void assert_record_line(const struct cdr_record *rec, const char *line)
{
    char *json = cdr_record_to_json(rec, 0);
    assert_non_null(json);
    assert_string_equal(json, line);
    free(json);
}

/* ---- the list -------------------------------------------------------------------------------- */

static void test_parse_seed_example(void **state)
{
    (void)state;
    size_t len;
    char *body = example_text(&len);
    struct cdr_yunfu_page page;
    struct cdr_error_info err;
    assert_int_equal(cdr_yunfu_parse_page(body, len, 200, &page, &err), CDR_OK);
    assert_true(page.has_pages);
    assert_int_equal(page.total, 29);
    assert_int_equal(page.last_page, 29);
    assert_int_equal(page.current_page, 1);
    assert_int_equal(page.per_page, 1); /* sent as the string "1" */
    assert_int_equal(page.record_count, 1);
    assert_record_line(&page.records[0], YUNFU_SEED_LINE);
    /* The raw object keeps everything the normalized record does not carry. */
    cJSON *raw = cJSON_Parse(page.records[0].raw_json);
    cJSON *example = cJSON_Parse(body);
    assert_true(cJSON_Compare(raw, json_at(example, "data.0"), true));
    cJSON_Delete(raw);
    cJSON_Delete(example);
    cdr_yunfu_page_free(&page);
    free(body);
}

static void test_parse_paging_forms(void **state)
{
    (void)state;
    struct {
        const char *meta;
        bool has_pages;
        int64_t per_page;
    } cases[] = {
        {"{\"has_pages\":false,\"total\":0,\"last_page\":1,\"current_page\":1,\"per_page\":15}",
         false, 15},
        {"{\"has_pages\":true,\"total\":\"30\",\"last_page\":\"2\",\"current_page\":\"2\",\"per_"
         "page\":\"15\"}",
         true, 15},
        {"{\"has_pages\":1,\"total\":3,\"last_page\":1,\"current_page\":1}", true, 0},
        {"{\"has_pages\":0,\"total\":3,\"last_page\":1,\"current_page\":1,\"per_page\":null}",
         false, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *body = test_format(
            "{\"code\":\"200\",\"status\":\"success\",\"meta\":%s,\"data\":[]}", cases[i].meta);
        struct cdr_yunfu_page page;
        struct cdr_error_info err;
        if (cdr_yunfu_parse_page(body, strlen(body), 200, &page, &err) != CDR_OK)
            fail_msg("%s: %s", cases[i].meta, err.message);
        assert_int_equal(page.has_pages, cases[i].has_pages);
        assert_int_equal(page.per_page, cases[i].per_page);
        assert_int_equal(page.record_count, 0);
        cdr_yunfu_page_free(&page);
        free(body);
    }
}

struct error_case {
    long status;
    const char *body;
    cdr_error code;
    const char *vendor_code;
    const char *message;
};

static void test_error_mapping(void **state)
{
    (void)state;
    static const struct error_case cases[] = {
        {200, "{\"code\":5002,\"status\":\"error\",\"message\":\"任务不存在\",\"data\":[]}",
         CDR_ERR_NOT_FOUND, "5002", "任务不存在"},
        {200,
         "{\"code\":1002,\"status\":\"error\",\"message\":\"【user】参数错误,未找到对应云节点\","
         "\"data\":[]}",
         CDR_ERR_NOT_FOUND, "1002", "【user】参数错误,未找到对应云节点"},
        {200, "{\"code\":5003,\"status\":\"error\",\"message\":\"通话记录不存在\",\"data\":[]}",
         CDR_ERR_NOT_FOUND, "5003", "通话记录不存在"},
        {200, "{\"code\":\"5002\",\"status\":\"error\",\"message\":\"任务不存在\"}",
         CDR_ERR_NOT_FOUND, "5002", "任务不存在"},
        {200, "{\"code\":9001,\"status\":\"error\",\"message\":\"服务繁忙\"}", CDR_ERR_VENDOR,
         "9001", "服务繁忙"},
        {200, "{\"code\":401,\"status\":\"error\",\"message\":\"Unauthenticated.\"}", CDR_ERR_AUTH,
         "401", "Unauthenticated."},
        {401, "{\"message\":\"Unauthenticated.\"}", CDR_ERR_AUTH, "", "Unauthenticated."},
        {401, "{\"code\":401,\"status\":\"error\",\"message\":\"Unauthenticated.\"}", CDR_ERR_AUTH,
         "401", "Unauthenticated."},
        {422,
         "{\"message\":\"The per page must be an integer.\",\"errors\":{\"per_page\":[\"The per "
         "page must be an "
         "integer.\"]}}",
         CDR_ERR_PARAMETER, "", "The per page must be an integer."},
        {413, "{\"message\":\"\"}", CDR_ERR_PARAMETER, "", "HTTP 413"},
        {429, "{\"message\":\"Too Many Attempts.\"}", CDR_ERR_RATE_LIMITED, "",
         "Too Many Attempts."},
        {404, "{\"message\":\"The route agent-api/task/x/record could not be found.\"}",
         CDR_ERR_NOT_FOUND, "", "The route agent-api/task/x/record could not be found."},
        {405, "{\"message\":\"The POST method is not supported.\"}", CDR_ERR_HTTP, "",
         "The POST method is not supported."},
        {502, "<html><body>Bad Gateway</body></html>", CDR_ERR_HTTP, "", "HTTP 502"},
        {500, "", CDR_ERR_HTTP, "", "HTTP 500"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct error_case *c = &cases[i];
        struct cdr_yunfu_page page;
        struct cdr_yunfu_detail detail;
        struct cdr_error_info err;
        for (int endpoint = 0; endpoint < 2; endpoint++) {
            cdr_error rc =
                endpoint == 0
                    ? cdr_yunfu_parse_page(c->body, strlen(c->body), c->status, &page, &err)
                    : cdr_yunfu_parse_detail(c->body, strlen(c->body), c->status, &detail, &err);
            if (rc != c->code)
                fail_msg("case %zu: %s instead of %s", i, cdr_error_name(rc),
                         cdr_error_name(c->code));
            assert_int_equal(err.code, c->code);
            assert_int_equal(err.http_status, c->status);
            assert_string_equal(err.vendor_code, c->vendor_code);
            assert_string_equal(err.message, c->message);
        }
        assert_int_equal(page.record_count, 0);
        assert_null(page.records);
        assert_false(detail.has_record);
    }
}

static void test_error_codes(void **state)
{
    (void)state;
    assert_int_equal(cdr_yunfu_code_error(200), CDR_OK);
    assert_int_equal(cdr_yunfu_code_error(1002), CDR_ERR_NOT_FOUND);
    assert_int_equal(cdr_yunfu_code_error(5002), CDR_ERR_NOT_FOUND);
    assert_int_equal(cdr_yunfu_code_error(422), CDR_ERR_PARAMETER);
    assert_int_equal(cdr_yunfu_code_error(429), CDR_ERR_RATE_LIMITED);
    assert_int_equal(cdr_yunfu_code_error(-1), CDR_ERR_VENDOR);
}

static void test_malformed_pages(void **state)
{
    (void)state;
    static const char *const bodies[] = {
        "",
        "not json",
        "[]",
        "{\"status\":\"success\"}",
        "{\"code\":200.5,\"meta\":{}}",
        "{\"code\":200,\"data\":[]}",
        "{\"code\":200,\"meta\":[],\"data\":[]}",
        "{\"code\":200,\"meta\":{\"total\":1,\"current_page\":1},\"data\":[]}",
        "{\"code\":200,\"meta\":{\"total\":-1,\"last_page\":1,\"current_page\":1},\"data\":[]}",
        "{\"code\":200,\"meta\":{\"total\":1,\"last_page\":1,\"current_page\":1},\"data\":{}}",
        "{\"code\":200,\"meta\":{\"total\":1,\"last_page\":1,\"current_page\":1},\"data\":[1]}",
        "{\"code\":200,\"meta\":{\"total\":1,\"last_page\":1,\"current_page\":1},\"data\":[{"
        "\"callid\":\"x\"}]}",
        "{\"code\":200,\"meta\":{\"total\":1,\"last_page\":1,\"current_page\":1},"
        "\"data\":[{\"id\":\"a\",\"calldate\":\"yesterday\"}]}",
        "{\"code\":200,\"meta\":{\"total\":2,\"last_page\":1,\"current_page\":1},"
        "\"data\":[{\"id\":\"a\",\"calldate\":\"2022-09-29 "
        "15:09:13\"},{\"id\":\"b\",\"answerdate\":7}]}",
    };
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        struct cdr_yunfu_page page;
        struct cdr_error_info err;
        cdr_error rc = cdr_yunfu_parse_page(bodies[i], strlen(bodies[i]), 200, &page, &err);
        if (rc != CDR_ERR_MALFORMED_RESPONSE)
            fail_msg("body %zu: %s", i, cdr_error_name(rc));
        assert_int_equal(err.http_status, 200);
        assert_null(page.records);
    }
    struct cdr_yunfu_page page;
    assert_int_equal(cdr_yunfu_parse_page(NULL, 0, 200, &page, NULL), CDR_ERR_MALFORMED_RESPONSE);
}

static void test_truncated_bodies(void **state)
{
    (void)state;
    /* Every cut of the seed example fails cleanly (and ASan sees no leak or overread). */
    size_t len;
    char *body = example_text(&len);
    for (size_t cut = 0; cut < len - 2; cut += 7) {
        char *part = malloc(cut ? cut : 1);
        assert_non_null(part);
        memcpy(part, body, cut);
        struct cdr_yunfu_page page;
        struct cdr_yunfu_detail detail;
        struct cdr_error_info err;
        assert_int_equal(cdr_yunfu_parse_page(part, cut, 200, &page, &err),
                         CDR_ERR_MALFORMED_RESPONSE);
        assert_int_equal(cdr_yunfu_parse_detail(part, cut, 200, &detail, &err),
                         CDR_ERR_MALFORMED_RESPONSE);
        free(part);
    }
    free(body);
}

/* ---- normalization --------------------------------------------------------------------------- */

static void normalize(const char *json, struct cdr_record *rec)
{
    struct cdr_error_info err;
    if (cdr_yunfu_normalize_json(json, strlen(json), rec, &err) != CDR_OK)
        fail_msg("%s: %s", json, err.message);
}

static void test_normalize_unanswered(void **state)
{
    (void)state;
    struct cdr_record rec;
    normalize("{\"id\":\"u1\",\"callid\":\"c1\",\"callee\":\"13800000000\",\"caller_number\":"
              "\"0000000000\","
              "\"group_id\":8890,\"calldate\":\"2022-05-01 10:00:00\",\"answerdate\":null,"
              "\"hangupdate\":\"2022-05-01 "
              "10:00:25\",\"duration\":24600,\"bill\":0,\"hangup_disposition\":null}",
              &rec);
    assert_record_line(
        &rec,
        "{\"vendor\":\"yunfu\",\"id\":\"u1\",\"call_id\":\"c1\",\"direction\":\"outbound\","
        "\"caller\":\"0000000000\",\"callee\":\"13800000000\",\"agent\":null,\"group\":\"8890\","
        "\"start_time\":\"2022-05-01T02:00:00Z\",\"answer_time\":null,"
        "\"end_time\":\"2022-05-01T02:00:25Z\",\"ring_seconds\":25,\"talk_seconds\":0,"
        "\"hangup_by\":\"system\",\"recording_urls\":[]}");
    cdr_record_free(&rec);
}

static void test_normalize_variants(void **state)
{
    (void)state;
    struct cdr_record rec;
    /* The AI hung up; a person took over on a bridge; numbers sent as strings; 499 ms rounds down.
     */
    normalize(
        "{\"id\":7,\"calldate\":\"2022-05-01 10:00:00\",\"answerdate\":\"2022-05-01 10:00:04\","
        "\"hangupdate\":\"2022-05-01 10:01:00\",\"duration\":\"60499\",\"bill\":\"56499\","
        "\"hangup_disposition\":\"1\",\"bridge_number\":\"13912345678\"}",
        &rec);
    assert_string_equal(rec.id, "7");
    assert_string_equal(rec.agent, "13912345678");
    assert_int_equal(rec.hangup_by, CDR_HANGUP_AGENT);
    assert_int_equal(rec.ring_seconds, 4);
    assert_int_equal(rec.talk_seconds, 56);
    cdr_record_free(&rec);
    /* Answered without a known side; an empty bridge number is no agent; 500 ms rounds up. */
    normalize(
        "{\"id\":\"x\",\"calldate\":\"2022-05-01 10:00:00\",\"answerdate\":\"2022-05-01 10:00:04\","
        "\"bill\":1500,\"hangup_disposition\":3,\"bridge_number\":\"\"}",
        &rec);
    assert_int_equal(rec.hangup_by, CDR_HANGUP_UNKNOWN);
    assert_null(rec.agent);
    assert_int_equal(rec.talk_seconds, 2);
    assert_int_equal(rec.end_time, CDR_TIME_NONE);
    cdr_record_free(&rec);
    /* Times that contradict each other, negative or missing durations: no invented numbers. */
    normalize(
        "{\"id\":\"y\",\"calldate\":\"2022-05-01 10:00:10\",\"answerdate\":\"2022-05-01 10:00:04\","
        "\"bill\":-5,\"hangup_disposition\":2}",
        &rec);
    assert_int_equal(rec.ring_seconds, CDR_SECONDS_NONE);
    assert_int_equal(rec.talk_seconds, CDR_SECONDS_NONE);
    assert_int_equal(rec.hangup_by, CDR_HANGUP_CUSTOMER);
    cdr_record_free(&rec);
    struct cdr_error_info err;
    static const char bad_time[] = "{\"id\":\"z\",\"hangupdate\":\"2022-13-01 00:00:00\"}";
    assert_int_equal(cdr_yunfu_normalize_json(bad_time, strlen(bad_time), &rec, &err),
                     CDR_ERR_MALFORMED_RESPONSE);
    assert_string_equal(err.message, "record z: hangupdate is not a time");
    assert_int_equal(cdr_yunfu_normalize_json("{", 1, &rec, &err), CDR_ERR_MALFORMED_RESPONSE);
}

/* ---- the detail ------------------------------------------------------------------------------ */

static void test_detail_shapes(void **state)
{
    (void)state;
    cJSON *example = test_load_json(YUNFU_EXAMPLE);
    const cJSON *record = json_at(example, "data.0");
    char *rec = cJSON_PrintUnformatted(record);
    char *rows = cJSON_PrintUnformatted(json_at(record, "details"));
    char *bodies[] = {
        test_format("{\"code\":200,\"status\":\"success\",\"message\":\"查看通话记录详情成功\","
                    "\"data\":%s}",
                    rec),
        test_format("{\"code\":200,\"data\":[%s]}", rec),
        test_format("{\"code\":200,\"data\":{\"record\":%s,\"details\":%s}}", rec, rows),
        test_format("{\"code\":200,\"data\":%s}", rows),
        test_format("{\"code\":200,\"data\":{\"records\":%s}}", rows),
    };
    for (size_t i = 0; i < 5; i++) {
        struct cdr_yunfu_detail d;
        struct cdr_error_info err;
        if (cdr_yunfu_parse_detail(bodies[i], strlen(bodies[i]), 200, &d, &err) != CDR_OK)
            fail_msg("shape %zu: %s", i, err.message);
        assert_int_equal(d.has_record, i < 3);
        if (d.has_record)
            assert_record_line(&d.record, YUNFU_SEED_LINE);
        /* The rows in speaking order although the server lists them by id. */
        assert_int_equal(d.utterance_count, 3);
        static const int64_t sequence[] = {10, 11, 12};
        for (size_t k = 0; k < 3; k++)
            assert_int_equal(d.utterances[k].sequence, sequence[k]);
        assert_string_equal(d.utterances[0].id, "25a20247-a94e-44f0-a6f2-e26cd4d0d2e3");
        assert_string_equal(d.utterances[1].notify, "asrprogress_notify");
        assert_string_equal(d.utterances[1].question, "挂了吧。");
        assert_null(d.utterances[1].answer_text);
        assert_string_equal(d.utterances[2].notify, "playback_result");
        assert_string_equal(d.utterances[2].answer_text, "结束语挂断");
        assert_string_equal(d.utterances[2].answer_content, "结束语挂断结束语挂断结束语挂断");
        assert_int_equal(d.utterances[2].time, china_time(2022, 9, 29, 15, 9, 53));
        /* Each row as sent, every member kept. */
        cJSON *raw = cJSON_Parse(d.utterances[0].raw_json);
        assert_true(cJSON_Compare(raw, json_at(record, "details.2"), true));
        cJSON_Delete(raw);
        cdr_yunfu_detail_free(&d);
        free(bodies[i]);
    }
    free(rec);
    free(rows);
    cJSON_Delete(example);
}

/* The vendor's own detail example: data.records, opening with the "enter" row. */
static void test_detail_documented(void **state)
{
    (void)state;
    size_t len;
    char *body = test_read_file(YUNFU_DETAIL_EXAMPLE, &len);
    struct cdr_yunfu_detail d;
    struct cdr_error_info err;
    assert_int_equal(cdr_yunfu_parse_detail(body, len, 200, &d, &err), CDR_OK);
    assert_false(d.has_record);
    assert_int_equal(d.utterance_count, 1);
    assert_string_equal(d.utterances[0].id, YUNFU_SEED_OPENING_ROW);
    assert_int_equal(d.utterances[0].sequence, 1);
    assert_string_equal(d.utterances[0].notify, "enter");
    assert_string_equal(d.utterances[0].question, "");
    assert_string_equal(d.utterances[0].answer_text, "流程一");
    assert_int_equal(d.utterances[0].time, china_time(2022, 9, 29, 15, 9, 20));
    cdr_yunfu_detail_free(&d);
    free(body);
}

static void test_detail_malformed(void **state)
{
    (void)state;
    static const char *const bodies[] = {
        "{\"code\":200,\"data\":null}",
        "{\"code\":200,\"data\":\"x\"}",
        "{\"code\":200,\"data\":{\"id\":\"no calldate\"}}",
        "{\"code\":200,\"data\":[1,2]}",
        "{\"code\":200,\"data\":{\"id\":\"a\",\"calldate\":\"2022-09-29 "
        "15:09:13\",\"details\":{}}}",
        "{\"code\":200,\"data\":{\"id\":\"a\",\"calldate\":\"2022-09-29 "
        "15:09:13\",\"details\":[{},7]}}",
        "{\"code\":200,\"data\":{\"calldate\":\"2022-09-29 15:09:13\"}}",
        "{\"code\":200,\"data\":{\"records\":{}}}",
        "{\"code\":200,\"data\":{\"records\":[7]}}",
    };
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        struct cdr_yunfu_detail d;
        struct cdr_error_info err;
        cdr_error rc = cdr_yunfu_parse_detail(bodies[i], strlen(bodies[i]), 200, &d, &err);
        if (rc != CDR_ERR_MALFORMED_RESPONSE)
            fail_msg("body %zu: %s", i, cdr_error_name(rc));
        assert_false(d.has_record);
        assert_null(d.utterances);
    }
}

/* ---- requests -------------------------------------------------------------------------------- */

static void test_paths(void **state)
{
    (void)state;
    char *p = cdr_yunfu_list_path(YUNFU_SEED_USER, YUNFU_SEED_TASK);
    assert_string_equal(p, "/agent-api/user/" YUNFU_SEED_USER "/task/" YUNFU_SEED_TASK "/record");
    free(p);
    p = cdr_yunfu_list_path(NULL, YUNFU_SEED_TASK);
    assert_string_equal(p, "/agent-api/task/" YUNFU_SEED_TASK "/record");
    free(p);
    p = cdr_yunfu_list_path("a/b?c", "../x y");
    assert_string_equal(p, "/agent-api/user/a%2Fb%3Fc/task/..%2Fx%20y/record");
    free(p);
    assert_null(cdr_yunfu_list_path("u", NULL));
}

static void test_query_strings(void **state)
{
    (void)state;
    char *q = cdr_yunfu_list_query(NULL, 1, 0);
    assert_string_equal(q, "page=1");
    free(q);
    struct cdr_yunfu_filter f;
    cdr_yunfu_filter_init(&f);
    const struct cdr_yunfu_range levels[] = {{0, 100}, {100, 500}};
    const int tags[] = {1, 2};
    f.keyword = "185 55+";
    f.start_time = china_time(2022, 9, 1, 0, 0, 0);
    f.end_time = china_time(2022, 9, 30, 23, 59, 59);
    f.levels = levels;
    f.level_count = 2;
    f.intention_tags = tags;
    f.intention_tag_count = 2;
    f.hangup_from = china_time(2022, 9, 2, 0, 0, 0);
    f.hangup_to = china_time(2022, 9, 3, 0, 0, 0);
    f.sub_user_id = YUNFU_SUB_USER;
    q = cdr_yunfu_list_query(&f, 3, 50);
    assert_string_equal(
        q,
        "page=3&per_page=50&keyword=185%2055%2B"
        "&start_at=2022-09-01%2000%3A00%3A00&end_at=2022-09-30%2023%3A59%3A59"
        "&levels%5B0%5D%5B%5D=0&levels%5B0%5D%5B%5D=100"
        "&levels%5B1%5D%5B%5D=100&levels%5B1%5D%5B%5D=500"
        "&intention_tags%5B%5D=1&intention_tags%5B%5D=2"
        "&hangup_date%5B%5D=2022-09-02%2000%3A00%3A00&hangup_date%5B%5D=2022-09-03%2000%3A00%3A00"
        "&sub_user_id=" YUNFU_SUB_USER);
    free(q);
}

/* ---- tasks ----------------------------------------------------------------------------------- */

static void test_task_requests(void **state)
{
    (void)state;
    char *p = cdr_yunfu_tasks_path(YUNFU_SEED_USER, false);
    assert_string_equal(p, "/agent-api/user/" YUNFU_SEED_USER "/task");
    free(p);
    p = cdr_yunfu_tasks_path("a/b", true);
    assert_string_equal(p, "/agent-api/user/a%2Fb/all_task");
    free(p);
    assert_null(cdr_yunfu_tasks_path(NULL, false));
    char *q = cdr_yunfu_tasks_query(NULL, false, 1, 0);
    assert_string_equal(q, "page=1");
    free(q);
    /* One status as a value, several as PHP's array (the page's "1 || [1,2]"). */
    const int one[] = {2}, two[] = {1, 3};
    struct cdr_yunfu_task_filter f = {YUNFU_SUB_USER, "回访 x", one, 1};
    q = cdr_yunfu_tasks_query(&f, false, 2, 15);
    assert_string_equal(q, "page=2&per_page=15&name=%E5%9B%9E%E8%AE%BF%20x&status=2"
                           "&sub_user_id=" YUNFU_SUB_USER);
    free(q);
    f.statuses = two;
    f.status_count = 2;
    q = cdr_yunfu_tasks_query(&f, true, 1, 0); /* all_task takes no sub_user_id */
    assert_string_equal(q, "page=1&name=%E5%9B%9E%E8%AE%BF%20x&status%5B%5D=1&status%5B%5D=3");
    free(q);
}

static void test_task_parse(void **state)
{
    (void)state;
    const char *body =
        "{\"code\":200,\"status\":\"success\",\"message\":\"x\",\"meta\":{\"has_pages\":true,"
        "\"total\":3,\"last_page\":2,\"current_page\":1,\"per_page\":\"2\"},\"data\":["
        "{\"id\":\"t1\",\"user_id\":\"u\",\"name\":\"外呼\",\"status\":2,\"task_type\":1,"
        "\"created_at\":\"2022-09-29 15:09:20\",\"extra\":[1]},"
        "{\"id\":\"t2\",\"status\":\"1\",\"task_type\":\"5\"}]}";
    struct cdr_yunfu_task_page page;
    struct cdr_error_info err;
    assert_int_equal(cdr_yunfu_parse_tasks(body, strlen(body), 200, &page, &err), CDR_OK);
    assert_int_equal(page.total, 3);
    assert_int_equal(page.per_page, 2);
    assert_int_equal(page.task_count, 2);
    assert_string_equal(page.tasks[0].name, "外呼");
    assert_int_equal(page.tasks[0].created_at, china_time(2022, 9, 29, 15, 9, 20));
    assert_non_null(strstr(page.tasks[0].raw_json, "\"extra\":[1]"));
    /* Members the page does not promise may be missing, or be numbers sent as strings. */
    assert_null(page.tasks[1].user_id);
    assert_int_equal(page.tasks[1].status, 1);
    assert_int_equal(page.tasks[1].task_type, 5);
    assert_int_equal(page.tasks[1].created_at, CDR_TIME_NONE);
    cdr_yunfu_task_page_free(&page);
    static const char *const bad[] = {
        "{\"code\":200,\"meta\":{\"total\":1,\"last_page\":1,\"current_page\":1},\"data\":{}}",
        ("{\"code\":200,\"meta\":{\"total\":1,\"last_page\":1,\"current_page\":1},"
         "\"data\":[{\"name\":\"no id\"}]}"),
        "{\"code\":200,\"data\":[]}",
    };
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(cdr_yunfu_parse_tasks(bad[i], strlen(bad[i]), 200, &page, &err),
                         CDR_ERR_MALFORMED_RESPONSE);
    const char *node = "{\"code\":1002,\"status\":\"error\",\"message\":\"x\",\"data\":[]}";
    assert_int_equal(cdr_yunfu_parse_tasks(node, strlen(node), 200, &page, &err),
                     CDR_ERR_NOT_FOUND);
    assert_int_equal(cdr_yunfu_task_direction(1), CDR_DIRECTION_OUTBOUND);
    assert_int_equal(cdr_yunfu_task_direction(4), CDR_DIRECTION_OUTBOUND);
    assert_int_equal(cdr_yunfu_task_direction(2), CDR_DIRECTION_INBOUND);
    assert_int_equal(cdr_yunfu_task_direction(5), CDR_DIRECTION_INBOUND);
    assert_int_equal(cdr_yunfu_task_direction(-1), CDR_DIRECTION_UNKNOWN);
    assert_int_equal(cdr_yunfu_task_direction(3), CDR_DIRECTION_UNKNOWN);
}

/* ---- recordings ------------------------------------------------------------------------------ */

static void test_voice_urls_parse(void **state)
{
    (void)state;
    static const char *const forms[] = {
        "{\"code\":200,\"data\":[{\"record_id\":\"a\",\"url\":\"http://x/a.wav\"},"
        "{\"record_id\":\"b\",\"url\":null}]}",
        "{\"code\":200,\"data\":{\"a\":\"http://x/a.wav\",\"b\":null}}",
        "{\"code\":200,\"data\":[{\"a\":\"http://x/a.wav\"},{\"b\":null}]}",
        "{\"code\":200,\"data\":[{\"id\":\"a\",\"url\":\"http://x/"
        "a.wav\"},{\"id\":\"b\",\"url\":null}]}",
    };
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        struct cdr_yunfu_voice_urls urls;
        struct cdr_error_info err;
        if (cdr_yunfu_parse_voice_urls(forms[i], strlen(forms[i]), 200, &urls, &err) != CDR_OK)
            fail_msg("form %zu: %s", i, err.message);
        assert_int_equal(urls.count, 2);
        assert_string_equal(urls.items[0].record_id, "a");
        assert_string_equal(urls.items[0].url, "http://x/a.wav");
        assert_string_equal(urls.items[1].record_id, "b");
        assert_null(urls.items[1].url);
        cdr_yunfu_voice_urls_free(&urls);
    }
    static const char *const bad[] = {
        "{\"code\":200,\"data\":\"x\"}",
        "{\"code\":200,\"data\":[7]}",
        "{\"code\":200,\"data\":{\"a\":5}}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct cdr_yunfu_voice_urls urls;
        struct cdr_error_info err;
        assert_int_equal(cdr_yunfu_parse_voice_urls(bad[i], strlen(bad[i]), 200, &urls, &err),
                         CDR_ERR_MALFORMED_RESPONSE);
        assert_null(urls.items);
    }
    const char *limit = "{\"message\":\"The record ids must not have more than 30 items.\","
                        "\"errors\":{\"recordIds\":[\"x\"]}}";
    struct cdr_yunfu_voice_urls urls;
    struct cdr_error_info err;
    assert_int_equal(cdr_yunfu_parse_voice_urls(limit, strlen(limit), 422, &urls, &err),
                     CDR_ERR_PARAMETER);
}

static void test_token_parse(void **state)
{
    (void)state;
    struct cdr_yunfu_token_info info;
    struct cdr_error_info err;
    const char *ok =
        "{\"code\":200,\"status\":\"success\",\"message\":\"token有效\",\"data\":{\"token_type\":"
        "\"Bearer\",\"expires_at\":\"2099-12-31 23:59:59\",\"expires_in\":100}}";
    assert_int_equal(cdr_yunfu_parse_token(ok, strlen(ok), 200, &info, &err), CDR_OK);
    assert_int_equal(info.expires_at, china_time(2099, 12, 31, 23, 59, 59));
    assert_int_equal(info.expires_in, 100);
    const char *bare = "{\"code\":200,\"data\":[]}";
    assert_int_equal(cdr_yunfu_parse_token(bare, strlen(bare), 200, &info, &err), CDR_OK);
    assert_int_equal(info.expires_at, CDR_TIME_NONE);
    assert_int_equal(info.expires_in, -1);
    const char *denied = "{\"message\":\"Unauthenticated.\"}";
    assert_int_equal(cdr_yunfu_parse_token(denied, strlen(denied), 401, &info, &err), CDR_ERR_AUTH);
}

static void test_client_arguments(void **state)
{
    (void)state;
    struct cdr_yunfu_options opts;
    cdr_yunfu_options_default(&opts);
    struct cdr_error_info err;
    assert_null(cdr_yunfu_client_new(&opts, &err));
    assert_int_equal(err.code, CDR_ERR_INVALID_ARGUMENT);
    opts.base_url = "http://127.0.0.1:9";
    opts.token = "abc\r\nX-Injected: 1";
    assert_null(cdr_yunfu_client_new(&opts, &err));
    assert_string_equal(err.message, "the token contains control characters");
    opts.token = "";
    assert_null(cdr_yunfu_client_new(&opts, &err));
    opts.token = YUNFU_DEMO_TOKEN;
    struct cdr_yunfu_client *c = cdr_yunfu_client_new(&opts, &err);
    assert_non_null(c);
    /* Refused before anything is sent. */
    struct cdr_yunfu_page page;
    assert_int_equal(cdr_yunfu_list_page(c, NULL, YUNFU_SEED_TASK, NULL, 0, 15, &page, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    assert_int_equal(cdr_yunfu_list_page(c, NULL, NULL, NULL, 1, 15, &page, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    struct cdr_yunfu_filter f;
    cdr_yunfu_filter_init(&f);
    f.hangup_from = 1;
    assert_int_equal(cdr_yunfu_list_page(c, NULL, YUNFU_SEED_TASK, &f, 1, 15, &page, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    assert_string_equal(err.message, "a hang-up range needs both ends");
    struct cdr_yunfu_detail d;
    assert_int_equal(cdr_yunfu_get_detail(c, "u", NULL, "r", NULL, &d, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    struct cdr_yunfu_task_page tasks;
    assert_int_equal(cdr_yunfu_get_task_page(c, NULL, false, NULL, 1, 15, &tasks, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    const int bad_status[] = {4};
    struct cdr_yunfu_task_filter tf = {NULL, NULL, bad_status, 1};
    assert_int_equal(cdr_yunfu_get_task_page(c, "u", false, &tf, 1, 15, &tasks, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    assert_string_equal(err.message, "a task status is 1, 2 or 3");
    struct cdr_yunfu_voice_urls urls;
    const char *ids[31];
    for (size_t i = 0; i < 31; i++)
        ids[i] = "r";
    assert_int_equal(cdr_yunfu_get_voice_urls(c, "u", "t", ids, 31, NULL, &urls, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    assert_string_equal(err.message, "a batch names 1 to 30 record ids");
    assert_int_equal(cdr_yunfu_get_voice_urls(c, "u", "t", ids, 0, NULL, &urls, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    assert_int_equal(cdr_yunfu_download_voice(c, "u", "t", "r", NULL, NULL, NULL, NULL, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    assert_int_equal(cdr_yunfu_fetch_all(c, "u", "t", NULL, 15, NULL, NULL, NULL, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    cdr_yunfu_client_free(c);
    cdr_yunfu_client_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_seed_example),
        cmocka_unit_test(test_parse_paging_forms),
        cmocka_unit_test(test_error_mapping),
        cmocka_unit_test(test_error_codes),
        cmocka_unit_test(test_malformed_pages),
        cmocka_unit_test(test_truncated_bodies),
        cmocka_unit_test(test_normalize_unanswered),
        cmocka_unit_test(test_normalize_variants),
        cmocka_unit_test(test_detail_shapes),
        cmocka_unit_test(test_detail_documented),
        cmocka_unit_test(test_detail_malformed),
        cmocka_unit_test(test_task_requests),
        cmocka_unit_test(test_task_parse),
        cmocka_unit_test(test_voice_urls_parse),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_query_strings),
        cmocka_unit_test(test_token_parse),
        cmocka_unit_test(test_client_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
