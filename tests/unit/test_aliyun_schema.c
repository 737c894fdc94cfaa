/* fixtures/aliyun/schema.json, the shapes cdrsim-conform checks Alibaba Cloud's answers against,
 * is faithful to the pages: no member required (no page marks one mandatory), the members the
 * pages say can lack a value nullable, every member naming the sentence it came from; the pages'
 * own examples and every answer of the mock fit it without a single finding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conform.h"
#include "testutil.h"

#define SCHEMA FIXTURES_DIR "/aliyun/schema.json"
#define EXAMPLES FIXTURES_DIR "/aliyun/examples/"
#define CLOCK_MS 1746057600000LL /* 2025-05-01T00:00:00Z */

static cJSON *schema;

static int load(void **state)
{
    (void)state;
    schema = test_load_json(SCHEMA);
    return cJSON_IsObject(schema) ? 0 : -1;
}

static int unload(void **state)
{
    (void)state;
    cJSON_Delete(schema);
    return 0;
}

/* Every node under "properties" (and the root), walked; fails on a "required" or a member
 * without its x-source. */
static void walk(const cJSON *node, const char *path, size_t *members)
{
    if (!cJSON_IsObject(node) && !cJSON_IsArray(node))
        return;
    if (cJSON_IsObject(node) && cJSON_GetObjectItemCaseSensitive(node, "required"))
        fail_msg("%s: \"required\", but no page marks a response member mandatory", path);
    if (cJSON_IsObject(node) && cJSON_GetObjectItemCaseSensitive(node, "source"))
        fail_msg("%s: a plain \"source\" key (FORMATS.md: x-source)", path);
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(node, "properties");
    const cJSON *member;
    cJSON_ArrayForEach(member, (cJSON_IsObject(props) ? props : NULL)) {
        const cJSON *from = cJSON_GetObjectItemCaseSensitive(member, "x-source");
        if (!cJSON_IsString(from) || !strstr(from->valuestring, "https://"))
            fail_msg("%s.%s: no x-source with the page's URL", path, member->string);
        ++*members;
    }
    const cJSON *child;
    cJSON_ArrayForEach(child, node) {
        char *below = test_format("%s/%s", path, child->string ? child->string : "[]");
        walk(child, below, members);
        free(below);
    }
}

static void faithful_to_the_pages(void **state)
{
    (void)state;
    size_t members = 0;
    walk(schema, "", &members);
    assert_true(members >= 55); /* the six pages' members and the error document's */
    const cJSON *root_source = cJSON_GetObjectItemCaseSensitive(schema, "x-source");
    assert_non_null(
        strstr(root_source->valuestring, "https://help.aliyun.com/document_detail/213013.html"));
    /* The page's "no value in some calls" notes, and its "Null outside transfers". */
    static const char *const nullable[] = {
        "ServicerName",     "ServicerId",           "OutQueueTime",
        "InQueueTime",      "RingStartTime",        "RingEndTime",
        "RingContinueTime", "CallContinueTime",     "PickUpTime",
        "EvaluationLevel",  "EvaluationScore",      "GroupName",
        "GroupId",          "HangUpRole",           "PassiveTransferId",
        "ActiveTransferId", "PassiveTransferIdType"};
    const cJSON *record = json_at(schema, "definitions.record.properties"), *m;
    size_t n = 0;
    cJSON_ArrayForEach(m, record) {
        bool want = false;
        for (size_t i = 0; i < sizeof(nullable) / sizeof(nullable[0]); i++)
            want |= strcmp(m->string, nullable[i]) == 0;
        const cJSON *flag = cJSON_GetObjectItemCaseSensitive(m, "nullable");
        if (want != cJSON_IsTrue(flag))
            fail_msg("CallDetailRecord.%s: nullable is %s", m->string, want ? "missing" : "wrong");
        /* OpenAPI 3.0 form: one type and the nullable flag, never "null" among the types. */
        assert_true(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(m, "type")));
        n++;
    }
    assert_int_equal(n, 29); /* every field of the page's table */
    /* Not required any more: the members the old schema wrongly demanded. */
    static const char *const optional[] = {"TrunkCall", "MemberId", "MemberName", "HangUpTime"};
    for (size_t i = 0; i < 4; i++)
        assert_non_null(cJSON_GetObjectItemCaseSensitive(record, optional[i]));
}

/* Compares a body with the schema's answer for that status; every finding fails. */
static void assert_fits(const char *what, long status, const char *body, size_t len)
{
    struct conform_schema s = {schema};
    struct conform_findings f = {0};
    assert_true(conform_schema_check(&s, "POST", "http://127.0.0.1/?x=1", status, body, len, &f));
    if (f.count)
        fail_msg("%s: %s %s (documented %s, seen %s) and %zu more", what, f.items[0].path,
                 f.items[0].kind, f.items[0].expected, f.items[0].seen, f.count - 1);
    conform_findings_free(&f);
}

static void the_pages_examples_fit(void **state)
{
    (void)state;
    static const char *const files[] = {"hotline_session_query_response.json",
                                        "list_hotline_record_response.json",
                                        "list_hotline_record_response_numbers.json",
                                        "get_record_url_response.json",
                                        "get_record_data_response.json",
                                        "describe_record_data_response.json",
                                        "get_hotline_message_log_response.json"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char *path = test_format(EXAMPLES "%s", files[i]);
        size_t len;
        char *body = test_read_file(path, &len);
        assert_fits(files[i], 200, body, len);
        free(body);
        free(path);
    }
    /* A retyped member is still breaking drift, found by its path. */
    const char *bad =
        "{\"Code\":\"Success\",\"Data\":{\"CallDetailRecord\":[{\"CallType\":\"1\"}]}}";
    struct conform_schema s = {schema};
    struct conform_findings f = {0};
    conform_schema_check(&s, "POST", "http://h/", 200, bad, strlen(bad), &f);
    assert_int_equal(f.count, 1);
    assert_string_equal(f.items[0].path, "Data.CallDetailRecord[].CallType");
    assert_int_equal(f.items[0].severity, CONFORM_BREAKING);
    conform_findings_free(&f);
}

/* Every answer the mock gives, success or error, fits the schema. */
static void the_mocks_answers_fit(void **state)
{
    struct test_mock *m = *state;
    test_mock_start(m, FIXTURES_DIR, CLOCK_MS, NULL);
    static const char *const calls[][4] = {
        {"Action=HotlineSessionQuery", "PageSize=100", NULL, NULL},
        {"Action=ListHotlineRecord", "CallId=1651545586", NULL, NULL},
        {"Action=GetRecordUrl", "Acid=7719786", "RecordType=DUP_CALL", NULL},
        {"Action=GetRecordData", "Acid=7719786", NULL, NULL},
        {"Action=DescribeRecordData", "Acid=7719786", "AccountType=BUC_TYPE", "AccountId=22350001"},
        {"Action=GetHotlineMessageLog", "Acid=7719786", NULL, NULL},
        {"Action=ListHotlineRecord", NULL, NULL, NULL},           /* MissingCallId */
        {"Action=DescribeRecordData", "Acid=1", NULL, NULL},      /* Parameter.Error */
        {"Action=GetRecordData", "Acid=1", "InstanceId=x", NULL}, /* NoTenantFound */
        {"Action=Nope", NULL, NULL, NULL},                        /* InvalidAction.NotFound */
    };
    for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        struct test_reply r =
            aliyun_call(m, &(struct aliyun_request){
                               .now = CLOCK_MS / 1000,
                               .params = (const char *const[]){calls[i][0], calls[i][1],
                                                               calls[i][2], calls[i][3], NULL}});
        assert_in_range(r.status, 200, 500);
        assert_fits(calls[i][0], r.status, r.body, r.body_len);
        test_reply_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(faithful_to_the_pages),
        cmocka_unit_test(the_pages_examples_fit),
        cmocka_unit_test_setup_teardown(the_mocks_answers_fit, test_mock_setup, test_mock_teardown),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
