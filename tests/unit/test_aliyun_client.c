/* libcdrsim's Alibaba Cloud reader: the seed page's example, every field form the client must
 * accept, the error documents (JSON and XML) mapped to cdr_error, and hostile or truncated
 * answers, which must fail precisely and never crash or leak. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/aliyun.h"
#include "testutil.h"

#define EXAMPLE FIXTURES_DIR "/aliyun/examples/hotline_session_query_response.json"

static void parses_the_seed_example(void **state)
{
    (void)state;
    size_t len;
    char *body = test_read_file(EXAMPLE, &len);
    struct cdr_aliyun_page page;
    struct cdr_error_info err;
    assert_int_equal(cdr_aliyun_parse_page(body, len, 200, &page, &err), CDR_OK);
    assert_int_equal(page.page_size, 10);
    assert_int_equal(page.page_number, 1);
    assert_int_equal(page.total_count, 26);
    assert_string_equal(page.request_id, "EE339D98-9BD3-4413-B165");
    assert_int_equal(page.record_count, 1);
    const struct cdr_record *r = &page.records[0];
    assert_string_equal(r->vendor, "aliyun");
    assert_string_equal(r->id, "acc1c58dab4a4dd280e3813c66");
    assert_string_equal(r->call_id, "7719786");
    assert_int_equal(r->direction, CDR_DIRECTION_OUTBOUND);
    assert_string_equal(r->caller, "0571773");
    assert_string_equal(r->callee, "135615*****");
    assert_string_equal(r->agent, "刘测试");
    assert_string_equal(r->group, "自动化技能组");
    assert_int_equal(r->start_time, china_time(2020, 10, 2, 22, 32, 55));
    assert_int_equal(r->answer_time, china_time(2020, 10, 2, 22, 33, 9));
    assert_int_equal(r->end_time, china_time(2020, 10, 2, 22, 33, 46));
    assert_int_equal(r->ring_seconds, 10);
    assert_int_equal(r->talk_seconds, 37);
    assert_int_equal(r->hangup_by, CDR_HANGUP_CUSTOMER);
    assert_int_equal(r->recording_url_count, 0);
    assert_non_null(strstr(r->raw_json, "\"QueueUpContinueTime\":4"));
    char *line = cdr_record_to_json(r, 0);
    assert_string_equal(
        line,
        "{\"vendor\":\"aliyun\",\"id\":\"acc1c58dab4a4dd280e3813c66\",\"call_id\":\"7719786\","
        "\"direction\":\"outbound\",\"caller\":\"0571773\",\"callee\":\"135615*****\","
        "\"agent\":\"刘测试\",\"group\":\"自动化技能组\",\"start_time\":\"2020-10-02T14:32:55Z\","
        "\"answer_time\":\"2020-10-02T14:33:09Z\",\"end_time\":\"2020-10-02T14:33:46Z\","
        "\"ring_seconds\":10,\"talk_seconds\":37,\"hangup_by\":\"customer\",\"recording_urls\":[]"
        "}");
    free(line);
    cdr_aliyun_page_free(&page);
    free(body);
}

static struct cdr_record normalized(const char *json)
{
    struct cdr_record r;
    struct cdr_error_info err;
    cdr_error rc = cdr_aliyun_normalize_json(json, strlen(json), &r, &err);
    if (rc != CDR_OK)
        fail_msg("%s: %s", json, err.message);
    return r;
}

static void directions_and_hangup_sides(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        enum cdr_direction direction;
        enum cdr_hangup_by hangup;
    } cases[] = {
        {"{\"Id\":\"a\",\"CallType\":1,\"HangUpRole\":\"1\"}", CDR_DIRECTION_OUTBOUND,
         CDR_HANGUP_SYSTEM},
        {"{\"Id\":\"a\",\"CallType\":\"2\",\"HangUpRole\":\"2\"}", CDR_DIRECTION_INBOUND,
         CDR_HANGUP_CUSTOMER},
        {"{\"Id\":\"a\",\"CallType\":3,\"HangUpRole\":3}", CDR_DIRECTION_INTERNAL,
         CDR_HANGUP_AGENT},
        {"{\"Id\":\"a\",\"CallType\":4,\"HangUpRole\":null}", CDR_DIRECTION_UNKNOWN,
         CDR_HANGUP_UNKNOWN},
        {"{\"Id\":\"a\",\"HangUpRole\":\"null\"}", CDR_DIRECTION_UNKNOWN, CDR_HANGUP_UNKNOWN},
        {"{\"Id\":\"a\",\"CallType\":\"x\",\"HangUpRole\":\"9\"}", CDR_DIRECTION_UNKNOWN,
         CDR_HANGUP_UNKNOWN},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cdr_record r = normalized(cases[i].json);
        assert_int_equal(r.direction, cases[i].direction);
        assert_int_equal(r.hangup_by, cases[i].hangup);
        cdr_record_free(&r);
    }
}

static void durations_fall_back_on_instants(void **state)
{
    (void)state;
    /* Answered, no CallContinueTime: hang-up minus pick-up. Ring from its instants. */
    struct cdr_record r = normalized(
        "{\"Id\":\"a\",\"CreateTime\":\"2025-01-01 10:00:00\",\"PickUpTime\":\"2025-01-01 "
        "10:00:12\","
        "\"HangUpTime\":\"2025-01-01 10:01:00\",\"RingStartTime\":\"2025-01-01 10:00:05\","
        "\"RingEndTime\":\"2025-01-01 10:00:12\"}");
    assert_int_equal(r.talk_seconds, 48);
    assert_int_equal(r.ring_seconds, 7);
    cdr_record_free(&r);
    /* Nobody answered but the call ended: zero seconds of talk; no ring instants: unknown. */
    r = normalized("{\"Id\":\"a\",\"CreateTime\":\"2025-01-01 "
                   "10:00:00\",\"HangUpTime\":\"2025-01-01 10:00:30\"}");
    assert_int_equal(r.talk_seconds, 0);
    assert_int_equal(r.ring_seconds, CDR_SECONDS_NONE);
    assert_int_equal(r.answer_time, CDR_TIME_NONE);
    cdr_record_free(&r);
    /* The vendor's own numbers win, also as strings. */
    r = normalized("{\"Id\":\"a\",\"CallContinueTime\":\"5\",\"RingContinueTime\":3,\"PickUpTime\":"
                   "\"2025-01-01 10:00:00\","
                   "\"HangUpTime\":\"2025-01-01 10:01:00\"}");
    assert_int_equal(r.talk_seconds, 5);
    assert_int_equal(r.ring_seconds, 3);
    cdr_record_free(&r);
    /* Nothing known. */
    r = normalized("{\"Id\":\"a\"}");
    assert_int_equal(r.talk_seconds, CDR_SECONDS_NONE);
    assert_int_equal(r.start_time, CDR_TIME_NONE);
    cdr_record_free(&r);
}

static void field_forms_the_client_accepts(void **state)
{
    (void)state;
    /* Numbers where strings are documented, ISO times, and the agent/group fall-backs. */
    struct cdr_record r =
        normalized("{\"Id\":12345,\"Acid\":7719786,\"ServicerId\":\"555555\",\"GroupId\":123456,"
                   "\"CreateTime\":\"2020-10-02T22:32:55+08:00\",\"CallingNumber\":571773}");
    assert_string_equal(r.id, "12345");
    assert_string_equal(r.call_id, "7719786");
    assert_string_equal(r.agent, "555555");
    assert_string_equal(r.group, "123456");
    assert_string_equal(r.caller, "571773");
    assert_null(r.callee);
    assert_int_equal(r.start_time, china_time(2020, 10, 2, 22, 32, 55));
    cdr_record_free(&r);
}

struct error_case {
    const char *body;
    long status;
    cdr_error code;
    const char *vendor_code;
    const char *message;
};

static void check_error(const struct error_case *c)
{
    struct cdr_aliyun_page page;
    struct cdr_error_info err;
    cdr_error rc = cdr_aliyun_parse_page(c->body, strlen(c->body), c->status, &page, &err);
    if (rc != c->code)
        fail_msg("%s: got %s (%s), want %s", c->body, cdr_error_name(rc), err.message,
                 cdr_error_name(c->code));
    assert_int_equal(err.code, c->code);
    assert_int_equal(err.http_status, c->status);
    assert_string_equal(err.vendor_code, c->vendor_code);
    if (c->message)
        assert_string_equal(err.message, c->message);
    assert_int_equal(page.record_count, 0);
    assert_null(page.records);
}

#define ERR(code, status)                                                                          \
    "{\"RequestId\":\"R\",\"HostId\":\"aiccs.aliyuncs.com\",\"Code\":\"" code                      \
    "\",\"Message\":\"m\",\"Recommend\":\"u\"}",                                                   \
        status

static void vendor_errors_are_mapped(void **state)
{
    (void)state;
    const struct error_case cases[] = {
        {ERR("SignatureDoesNotMatch", 400), CDR_ERR_AUTH, "SignatureDoesNotMatch", "m"},
        {ERR("IncompleteSignature", 400), CDR_ERR_AUTH, "IncompleteSignature", "m"},
        {ERR("InvalidAccessKeyId.NotFound", 404), CDR_ERR_AUTH, "InvalidAccessKeyId.NotFound", "m"},
        {ERR("InvalidSignatureMethod", 400), CDR_ERR_AUTH, "InvalidSignatureMethod", "m"},
        {ERR("SignatureNonceUsed", 400), CDR_ERR_AUTH, "SignatureNonceUsed", "m"},
        {ERR("InvalidTimeStamp.Expired", 400), CDR_ERR_TIMESTAMP, "InvalidTimeStamp.Expired", "m"},
        {ERR("InvalidTimeStamp.Format", 400), CDR_ERR_TIMESTAMP, "InvalidTimeStamp.Format", "m"},
        {ERR("MissingInstanceId", 400), CDR_ERR_PARAMETER, "MissingInstanceId", "m"},
        {ERR("InvalidParameter", 400), CDR_ERR_PARAMETER, "InvalidParameter", "m"},
        {ERR("InvalidVersion", 400), CDR_ERR_PARAMETER, "InvalidVersion", "m"},
        {ERR("Throttling.User", 400), CDR_ERR_RATE_LIMITED, "Throttling.User", "m"},
        {ERR("NoTenantFound", 500), CDR_ERR_NOT_FOUND, "NoTenantFound", "m"},
        {ERR("InvalidAction.NotFound", 404), CDR_ERR_NOT_FOUND, "InvalidAction.NotFound", "m"},
        {ERR("InternalError", 500), CDR_ERR_VENDOR, "InternalError", "m"},
        {ERR("Forbidden.Whatever", 403), CDR_ERR_AUTH, "Forbidden.Whatever", "m"},
        /* A Code "Success" that says Success:false is still a failure. */
        {"{\"Code\":\"Success\",\"Success\":false,\"Message\":\"odd\"}", 200, CDR_ERR_VENDOR,
         "Success", "odd"},
        /* Not the vendor's at all. */
        {"<html><body>502 Bad Gateway</body></html>", 502, CDR_ERR_HTTP, "", NULL},
        {"upstream reset", 503, CDR_ERR_HTTP, "", NULL},
        {"{\"error\":\"nope\"}", 502, CDR_ERR_HTTP, "", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_error(&cases[i]);
}

static void xml_errors_are_mapped(void **state)
{
    (void)state;
    const struct error_case cases[] = {
        {"<?xml version=\"1.0\" "
         "encoding=\"UTF-8\"?><Error><RequestId>R</RequestId><HostId>h</HostId>"
         "<Code>SignatureDoesNotMatch</Code><Message>a &amp; b &lt;c&gt;</Message>"
         "<Recommend><![CDATA[https://x?a=1&b=2]]></Recommend></Error>",
         400, CDR_ERR_AUTH, "SignatureDoesNotMatch", "a & b <c>"},
        {"  <Error><Code><![CDATA[NoTenantFound]]></Code></Error>", 500, CDR_ERR_NOT_FOUND,
         "NoTenantFound", ""},
        {"<?xml "
         "version=\"1.0\"?><HotlineSessionQueryResponse><Code>Success</Code></"
         "HotlineSessionQueryResponse>",
         200, CDR_ERR_MALFORMED_RESPONSE, "", NULL},
        {"<Error><Code>Truncated", 400, CDR_ERR_HTTP, "", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_error(&cases[i]);
}

static void malformed_pages(void **state)
{
    (void)state;
    const struct error_case cases[] = {
        {"", 200, CDR_ERR_MALFORMED_RESPONSE, "", NULL},
        {"[]", 200, CDR_ERR_MALFORMED_RESPONSE, "", NULL},
        {"{\"Code\":\"Success\",\"Success\":true}", 200, CDR_ERR_MALFORMED_RESPONSE, "",
         "success without a Data object"},
        {"{\"Code\":\"Success\",\"Data\":{\"PageSize\":1,\"PageNumber\":1}}", 200,
         CDR_ERR_MALFORMED_RESPONSE, "", NULL},
        {"{\"Code\":\"Success\",\"Data\":{\"PageSize\":1,\"PageNumber\":1,\"TotalCount\":-1}}", 200,
         CDR_ERR_MALFORMED_RESPONSE, "", "negative paging values"},
        {"{\"Code\":\"Success\",\"Data\":{\"PageSize\":1,\"PageNumber\":1,\"TotalCount\":1,"
         "\"CallDetailRecord\":\"x\"}}",
         200, CDR_ERR_MALFORMED_RESPONSE, "", "Data.CallDetailRecord is not a list"},
        {"{\"Code\":\"Success\",\"Data\":{\"PageSize\":1,\"PageNumber\":1,\"TotalCount\":1,"
         "\"CallDetailRecord\":[{}]}}",
         200, CDR_ERR_MALFORMED_RESPONSE, "", "CallDetailRecord without Id"},
        {"{\"Code\":\"Success\",\"Data\":{\"PageSize\":1,\"PageNumber\":1,\"TotalCount\":1,"
         "\"CallDetailRecord\":[7]}}",
         200, CDR_ERR_MALFORMED_RESPONSE, "", "CallDetailRecord is not an object"},
        {"{\"Code\":\"Success\",\"Data\":{\"PageSize\":1,\"PageNumber\":1,\"TotalCount\":1,"
         "\"CallDetailRecord\":"
         "[{\"Id\":\"x\",\"HangUpTime\":\"yesterday\"}]}}",
         200, CDR_ERR_MALFORMED_RESPONSE, "", "record x: HangUpTime is not a time"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_error(&cases[i]);
}

/* What bridges from XML produce: a lone record as an object, no list at all when empty. */
static void tolerated_list_shapes(void **state)
{
    (void)state;
    const char *single = "{\"Code\":\"Success\",\"Data\":{\"PageSize\":\"1\",\"PageNumber\":\"1\","
                         "\"TotalCount\":\"1\","
                         "\"CallDetailRecord\":{\"Id\":\"only\"}}}";
    struct cdr_aliyun_page page;
    struct cdr_error_info err;
    assert_int_equal(cdr_aliyun_parse_page(single, strlen(single), 200, &page, &err), CDR_OK);
    assert_int_equal(page.record_count, 1);
    assert_string_equal(page.records[0].id, "only");
    assert_int_equal(page.total_count, 1);
    cdr_aliyun_page_free(&page);
    const char *none =
        "{\"Code\":\"Success\",\"Data\":{\"PageSize\":20,\"PageNumber\":3,\"TotalCount\":40}}";
    assert_int_equal(cdr_aliyun_parse_page(none, strlen(none), 200, &page, &err), CDR_OK);
    assert_int_equal(page.record_count, 0);
    assert_int_equal(page.page_number, 3);
    cdr_aliyun_page_free(&page);
}

/* Every prefix of a real answer fails cleanly (ASan checks the no-leak, no-overread part). */
static void truncated_answers_fail_cleanly(void **state)
{
    (void)state;
    size_t len;
    char *body = test_read_file(EXAMPLE, &len);
    for (size_t n = 0; n < len - 2; n++) {
        char *cut = malloc(n + 1);
        memcpy(cut, body, n);
        cut[n] = '\0';
        struct cdr_aliyun_page page;
        struct cdr_error_info err;
        cdr_error rc = cdr_aliyun_parse_page(cut, n, 200, &page, &err);
        assert_int_equal(rc, CDR_ERR_MALFORMED_RESPONSE);
        assert_int_equal(page.record_count, 0);
        free(cut);
    }
    free(body);
}

static void code_table(void **state)
{
    (void)state;
    assert_int_equal(cdr_aliyun_code_error("Success", 200), CDR_OK);
    assert_int_equal(cdr_aliyun_code_error("Throttling", 503), CDR_ERR_RATE_LIMITED);
    assert_int_equal(cdr_aliyun_code_error("MissingAccessKeyId", 400), CDR_ERR_PARAMETER);
    assert_int_equal(cdr_aliyun_code_error("Something.New", 404), CDR_ERR_NOT_FOUND);
    assert_int_equal(cdr_aliyun_code_error("Something.New", 429), CDR_ERR_RATE_LIMITED);
    assert_int_equal(cdr_aliyun_code_error(NULL, 401), CDR_ERR_AUTH);
    assert_int_equal(cdr_aliyun_code_error("Something.New", 400), CDR_ERR_VENDOR);
    /* A parameter's value refused: Invalid<Parameter>, the known one at any status, any at 400;
     * the credentials' and the action's Invalid* codes keep their own meaning. */
    assert_int_equal(cdr_aliyun_code_error("InvalidRecordType", 400), CDR_ERR_PARAMETER);
    assert_int_equal(cdr_aliyun_code_error("InvalidRecordType", 500), CDR_ERR_PARAMETER);
    assert_int_equal(cdr_aliyun_code_error("InvalidSecLevel.Malformed", 400), CDR_ERR_PARAMETER);
    assert_int_equal(cdr_aliyun_code_error("InvalidSomething", 500), CDR_ERR_VENDOR);
    assert_int_equal(cdr_aliyun_code_error("InvalidAccessKeyId.NotFound", 400), CDR_ERR_AUTH);
    assert_int_equal(cdr_aliyun_code_error("InvalidTimeStamp.Expired", 400), CDR_ERR_TIMESTAMP);
    assert_int_equal(cdr_aliyun_code_error("InvalidAction.NotFound", 400), CDR_ERR_NOT_FOUND);
}

static void client_refuses_bad_arguments(void **state)
{
    (void)state;
    struct cdr_aliyun_options opts;
    cdr_aliyun_options_default(&opts);
    struct cdr_error_info err;
    assert_null(cdr_aliyun_client_new(&opts, &err));
    assert_int_equal(err.code, CDR_ERR_INVALID_ARGUMENT);
    opts.base_url = "http://";
    opts.access_key_id = "k";
    opts.access_key_secret = "s";
    assert_null(cdr_aliyun_client_new(&opts, &err));
    assert_string_equal(err.message, "base URL without a host");
    opts.base_url = "http://127.0.0.1:9/";
    struct cdr_aliyun_client *c = cdr_aliyun_client_new(&opts, &err);
    assert_non_null(c);
    struct cdr_aliyun_filter f;
    cdr_aliyun_filter_init(&f);
    struct cdr_aliyun_page page;
    assert_int_equal(cdr_aliyun_query_page(c, &f, 1, 20, &page, &err), CDR_ERR_INVALID_ARGUMENT);
    f.instance_id = "i";
    assert_int_equal(cdr_aliyun_query_page(c, &f, 0, 20, &page, &err), CDR_ERR_INVALID_ARGUMENT);
    assert_int_equal(cdr_aliyun_query_page(c, &f, 1, 0, &page, &err), CDR_ERR_INVALID_ARGUMENT);
    cdr_aliyun_client_free(c);
}

/* ---- the recording and transcript actions ---------------------------------------------------- */

#define EXAMPLES FIXTURES_DIR "/aliyun/examples/"

/* The pages' examples, each in its own form: string ids on one ListHotlineRecord page, numbers on
 * the other, 11-digit times kept as given. */
static void recordings_examples(void **state)
{
    (void)state;
    static const char *const files[] = {EXAMPLES "list_hotline_record_response.json",
                                        EXAMPLES "list_hotline_record_response_numbers.json"};
    for (size_t i = 0; i < 2; i++) {
        size_t len;
        char *body = test_read_file(files[i], &len);
        struct cdr_aliyun_recordings list;
        struct cdr_error_info err;
        assert_int_equal(cdr_aliyun_parse_recordings(body, len, 200, &list, &err), CDR_OK);
        assert_int_equal(list.count, 1);
        assert_string_equal(list.request_id, "EE338D98-9BD3-4413-B165");
        assert_string_equal(list.items[0].connection_id, "100365548");
        assert_string_equal(list.items[0].call_id, "100365558");
        assert_int_equal(list.items[0].start_ms, 16128694110LL);
        assert_int_equal(list.items[0].end_ms, 16128694810LL);
        assert_string_equal(list.items[0].url,
                            "http://aliccrec-shvpc.oss-cn-shanghai.aliyuncs.com");
        cdr_aliyun_recordings_free(&list);
        free(body);
    }
    /* A lone entry an XML bridge made an object, no Data at all, a null one: all accepted. */
    static const char *const shapes[] = {
        "{\"Code\":\"Success\",\"Data\":{\"ConnectionId\":\"1\",\"Url\":\"u\"}}",
        "{\"Code\":\"Success\",\"Success\":true}",
        "{\"Code\":\"Success\",\"Data\":null}",
    };
    for (size_t i = 0; i < 3; i++) {
        struct cdr_aliyun_recordings list;
        struct cdr_error_info err;
        assert_int_equal(
            cdr_aliyun_parse_recordings(shapes[i], strlen(shapes[i]), 200, &list, &err), CDR_OK);
        assert_int_equal(list.count, i == 0 ? 1 : 0);
        if (i == 0) {
            assert_string_equal(list.items[0].url, "u");
            assert_null(list.items[0].call_id);
            assert_int_equal(list.items[0].start_ms, CDR_TIME_NONE);
        }
        cdr_aliyun_recordings_free(&list);
    }
    struct cdr_aliyun_recordings list;
    struct cdr_error_info err;
    const char *bad = "{\"Code\":\"Success\",\"Data\":\"x\"}";
    assert_int_equal(cdr_aliyun_parse_recordings(bad, strlen(bad), 200, &list, &err),
                     CDR_ERR_MALFORMED_RESPONSE);
    assert_int_equal(err.http_status, 200);
    bad = "{\"Code\":\"Success\",\"Data\":[7]}";
    assert_int_equal(cdr_aliyun_parse_recordings(bad, strlen(bad), 200, &list, &err),
                     CDR_ERR_MALFORMED_RESPONSE);
    assert_int_equal(list.count, 0);
    assert_null(list.items);
}

/* Every success form the sibling actions use passes: GetRecordUrl without a Code, GetRecordData
 * with the number 200, DescribeRecordData flat with "200", and "OK". */
static void record_link_forms(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        const char *acid, *link, *agent;
    } examples[] = {
        {EXAMPLES "get_record_url_response.json", "1001067****",
         "http://aliccrec-shvpc.oss-cn-shanghai.aliyuncs.com/accrec_tmp/"
         "10010679716-12-01-56.wav?***",
         NULL},
        {EXAMPLES "get_record_data_response.json", "1001067****",
         "http://aliccrec-shvpc.oss-cn-shanghai.aliyuncs.com/accrec_tmp/"
         "10010679716-12-01-56.wav?***",
         NULL},
        {EXAMPLES "describe_record_data_response.json", "1004849****", "https://****", "1212****"},
    };
    for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
        size_t len;
        char *body = test_read_file(examples[i].file, &len);
        struct cdr_aliyun_record_link link;
        struct cdr_error_info err;
        if (cdr_aliyun_parse_record_link(body, len, 200, &link, &err) != CDR_OK)
            fail_msg("%s: %s", examples[i].file, err.message);
        assert_string_equal(link.acid, examples[i].acid);
        assert_string_equal(link.oss_link, examples[i].link);
        if (examples[i].agent)
            assert_string_equal(link.agent_id, examples[i].agent);
        else
            assert_null(link.agent_id);
        assert_string_equal(link.request_id, "EE338D98-9BD3-4413-B165");
        cdr_aliyun_record_link_free(&link);
        free(body);
    }
    static const char *const codes[] = {"\"OK\"", "\"200\"", "200", "\"success\"", "\"Success\""};
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        char *body = test_format("{\"Code\":%s,\"Data\":{\"Acid\":\"a\"}}", codes[i]);
        struct cdr_aliyun_record_link link;
        struct cdr_error_info err;
        if (cdr_aliyun_parse_record_link(body, strlen(body), 200, &link, &err) != CDR_OK)
            fail_msg("Code %s: %s", codes[i], err.message);
        assert_string_equal(link.acid, "a");
        assert_null(link.oss_link); /* no recording */
        cdr_aliyun_record_link_free(&link);
        free(body);
    }
    assert_int_equal(cdr_aliyun_code_error("OK", 200), CDR_OK);
    assert_int_equal(cdr_aliyun_code_error("200", 200), CDR_OK);
    /* A numeric Code other than 200 is an error, by its digits. */
    const char *odd = "{\"Code\":500,\"Message\":\"m\",\"Data\":{}}";
    struct cdr_aliyun_record_link link;
    struct cdr_error_info err;
    assert_int_equal(cdr_aliyun_parse_record_link(odd, strlen(odd), 200, &link, &err),
                     CDR_ERR_VENDOR);
    assert_string_equal(err.vendor_code, "500");
    odd = "{\"Code\":[],\"Data\":{}}";
    assert_int_equal(cdr_aliyun_parse_record_link(odd, strlen(odd), 200, &link, &err),
                     CDR_ERR_MALFORMED_RESPONSE);
}

static void sibling_errors_are_mapped(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        long status;
        cdr_error code;
        const char *vendor_code;
    } cases[] = {
        {ERR("Parameter.Error", 400), CDR_ERR_PARAMETER, "Parameter.Error"},
        {ERR("Permission.NotAuthorized", 400), CDR_ERR_AUTH, "Permission.NotAuthorized"},
        {ERR("SystemError", 500), CDR_ERR_VENDOR, "SystemError"},
        {ERR("MissingCallId", 400), CDR_ERR_PARAMETER, "MissingCallId"},
        {ERR("MissingSecurityToken", 400), CDR_ERR_AUTH, "MissingSecurityToken"},
        {ERR("MissingSignature", 400), CDR_ERR_AUTH, "MissingSignature"},
        {ERR("InvalidSecurityToken.Expired", 403), CDR_ERR_AUTH, "InvalidSecurityToken.Expired"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cdr_aliyun_record_link link;
        struct cdr_aliyun_recordings list;
        struct cdr_aliyun_messages messages;
        struct cdr_error_info err;
        const char *b = cases[i].body;
        assert_int_equal(cdr_aliyun_parse_record_link(b, strlen(b), cases[i].status, &link, &err),
                         cases[i].code);
        assert_string_equal(err.vendor_code, cases[i].vendor_code);
        assert_int_equal(err.http_status, cases[i].status);
        assert_int_equal(cdr_aliyun_parse_recordings(b, strlen(b), cases[i].status, &list, &err),
                         cases[i].code);
        assert_int_equal(cdr_aliyun_parse_messages(b, strlen(b), cases[i].status, &messages, &err),
                         cases[i].code);
    }
}

static void messages_example(void **state)
{
    (void)state;
    size_t len;
    char *body = test_read_file(EXAMPLES "get_hotline_message_log_response.json", &len);
    struct cdr_aliyun_messages list;
    struct cdr_error_info err;
    assert_int_equal(cdr_aliyun_parse_messages(body, len, 200, &list, &err), CDR_OK);
    assert_int_equal(list.count, 1);
    const struct cdr_aliyun_message *m = &list.items[0];
    assert_string_equal(m->acid, "100****2077");
    assert_int_equal(m->sender_type, 1);
    assert_int_equal(m->start_ms, 1623738026460LL);
    assert_int_equal(m->end_ms, 1623738027480LL);
    assert_string_equal(m->mid, "11deca999****");
    assert_string_equal(m->content, "您好。");
    cdr_aliyun_messages_free(&list);
    free(body);
}

/* The page says 13 fields have no value in some calls; a service that sends them as null rather
 * than leaving them out must still normalize. */
static void null_fields_normalize(void **state)
{
    (void)state;
    const char *json =
        "{\"Id\":\"n1\",\"Acid\":\"1\",\"CallType\":2,\"CallResult\":\"touchInQueue\","
        "\"CreateTime\":\"2025-01-03 16:10:39\",\"HangUpTime\":\"2025-01-03 16:11:39\","
        "\"ServicerName\":null,\"ServicerId\":null,\"OutQueueTime\":null,\"InQueueTime\":null,"
        "\"RingStartTime\":null,\"RingEndTime\":null,\"RingContinueTime\":null,"
        "\"CallContinueTime\":null,\"PickUpTime\":null,\"EvaluationLevel\":null,"
        "\"EvaluationScore\":null,\"GroupName\":null,\"GroupId\":null,\"HangUpRole\":null,"
        "\"PassiveTransferId\":null,\"ActiveTransferId\":null,\"PassiveTransferIdType\":null}";
    struct cdr_record r;
    struct cdr_error_info err;
    if (cdr_aliyun_normalize_json(json, strlen(json), &r, &err) != CDR_OK)
        fail_msg("%s", err.message);
    assert_null(r.agent);
    assert_null(r.group);
    assert_int_equal(r.answer_time, CDR_TIME_NONE);
    assert_int_equal(r.ring_seconds, CDR_SECONDS_NONE);
    assert_int_equal(r.talk_seconds, 0); /* ended without an answer */
    assert_int_equal(r.hangup_by, CDR_HANGUP_UNKNOWN);
    assert_int_equal(r.direction, CDR_DIRECTION_INBOUND);
    cdr_record_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_the_seed_example),
        cmocka_unit_test(directions_and_hangup_sides),
        cmocka_unit_test(durations_fall_back_on_instants),
        cmocka_unit_test(field_forms_the_client_accepts),
        cmocka_unit_test(vendor_errors_are_mapped),
        cmocka_unit_test(xml_errors_are_mapped),
        cmocka_unit_test(malformed_pages),
        cmocka_unit_test(tolerated_list_shapes),
        cmocka_unit_test(truncated_answers_fail_cleanly),
        cmocka_unit_test(code_table),
        cmocka_unit_test(client_refuses_bad_arguments),
        cmocka_unit_test(recordings_examples),
        cmocka_unit_test(record_link_forms),
        cmocka_unit_test(sibling_errors_are_mapped),
        cmocka_unit_test(messages_example),
        cmocka_unit_test(null_fields_normalize),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
