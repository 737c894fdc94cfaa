/* HotlineSessionQuery in-process: every filter of the vendor's page, the time range, paging and
 * order, parameter validation, tenants, the records' exact JSON and XML, and the generator.
 * Expected counts come from reading fixtures/aliyun/records.json here, not from the mock. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/buf.h"
#include "server.h"
#include "testutil.h"
#include "vendors/aliyun/internal.h"

#define CLOCK_MS 1746057600000LL /* 2025-05-01T00:00:00Z */
#define NOW (CLOCK_MS / 1000)
#define SEED_ID "acc1c58dab4a4dd280e3813c66"

static cJSON *records; /* the fixture, read once for the whole group */

static int load_records(void **state)
{
    (void)state;
    records = test_load_json(FIXTURES_DIR "/aliyun/records.json");
    return cJSON_IsArray(records) ? 0 : -1;
}

static int free_records(void **state)
{
    (void)state;
    cJSON_Delete(records);
    return 0;
}

static struct test_mock *start(void **state, const char *const *variants)
{
    struct test_mock *m = *state;
    test_mock_start(m, FIXTURES_DIR, CLOCK_MS, variants);
    return m;
}

/* ---- the dataset, read independently --------------------------------------------------------- */

/* A field as text: strings as they are, numbers by their digits; NULL when absent. */
static const char *field(const cJSON *r, const char *key, char buf[32])
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(r, key);
    if (cJSON_IsString(item))
        return item->valuestring;
    if (cJSON_IsNumber(item)) {
        snprintf(buf, 32, "%lld", (long long)item->valuedouble);
        return buf;
    }
    return NULL;
}

static bool field_is(const cJSON *r, const char *key, const char *value)
{
    char buf[32];
    const char *v = field(r, key, buf);
    return v && strcmp(v, value) == 0;
}

static int64_t count_where(const char *key, const char *value)
{
    int64_t n = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, records)
        n += field_is(r, key, value);
    return n;
}

/* A value of key that at least two records share, else the first value there is; NULL when no
 * record has the field. */
static const char *common_value(const char *key, char out[64])
{
    char buf[32];
    bool have_first = false;
    const cJSON *r;
    cJSON_ArrayForEach(r, records) {
        const char *v = field(r, key, buf);
        if (!v)
            continue;
        if (count_where(key, v) > 1) {
            snprintf(out, 64, "%s", v);
            return out;
        }
        if (!have_first)
            snprintf(out, 64, "%s", v);
        have_first = true;
    }
    return have_first ? out : NULL;
}

/* CreateTime as Unix seconds ("YYYY-MM-DD HH:MM:SS", UTC+8). */
static int64_t created(const cJSON *r)
{
    int y, mo, d, h, mi, s;
    assert_int_equal(sscanf(cJSON_GetObjectItemCaseSensitive(r, "CreateTime")->valuestring,
                            "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s),
                     6);
    return china_time(y, mo, d, h, mi, s);
}

static int64_t count_created(int64_t from, int64_t to)
{
    int64_t n = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, records)
        n += created(r) >= from && created(r) <= to;
    return n;
}

/* ---- asking the mock ------------------------------------------------------------------------- */

static struct test_reply query(struct test_mock *m, const char *const *params)
{
    struct test_reply r = aliyun_call(m, &(struct aliyun_request){.now = NOW, .params = params});
    if (r.status != 200 || !r.json)
        fail_msg("expected success, got %d: %s", r.status, r.body);
    return r;
}

static int64_t total_of(struct test_mock *m, const char *const *params)
{
    struct test_reply r = query(m, params);
    int64_t total = json_int_at(r.json, "Data.TotalCount");
    test_reply_free(&r);
    return total;
}

static void assert_invalid(struct test_mock *m, const char *param, const char *name)
{
    struct test_reply r = aliyun_call(
        m, &(struct aliyun_request){.now = NOW, .params = (const char *const[]){param, NULL}});
    char *message = test_format("Specified parameter %s is not valid.", name);
    if (r.status != 400 || !r.json)
        fail_msg("%s: expected 400, got %d: %s", param, r.status, r.body);
    assert_string_equal(json_str_at(r.json, "Code"), "InvalidParameter");
    assert_string_equal(json_str_at(r.json, "Message"), message);
    free(message);
    test_reply_free(&r);
}

/* ---- filters --------------------------------------------------------------------------------- */

static void every_single_filter(void **state)
{
    struct test_mock *m = start(state, NULL);
    static const char *const keys[] = {
        "Id",         "Acid",       "CallingNumber", "CalledNumber", "GroupName", "MemberId",
        "MemberName", "ServicerId", "ServicerName",  "CallResult",   "CallType",  "GroupId"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        char buf[64];
        const char *value = common_value(keys[i], buf);
        assert_non_null(value);
        char *param = test_format("%s=%s", keys[i], value);
        struct test_reply r = query(m, (const char *const[]){param, "PageSize=500", NULL});
        int64_t want = count_where(keys[i], value);
        assert_in_range(want, 1, INT64_MAX);
        if (json_int_at(r.json, "Data.TotalCount") != want)
            fail_msg("%s: TotalCount %lld, dataset %lld", param,
                     (long long)json_int_at(r.json, "Data.TotalCount"), (long long)want);
        const cJSON *list = json_at(r.json, "Data.CallDetailRecord"), *rec;
        assert_int_equal(cJSON_GetArraySize(list), want);
        cJSON_ArrayForEach(rec, list)
            assert_true(field_is(rec, keys[i], value));
        test_reply_free(&r);
        free(param);
    }
}

static void every_list_filter(void **state)
{
    struct test_mock *m = start(state, NULL);
    static const char *const lists[][2] = {
        {"AcidList", "Acid"},
        {"CallingNumberList", "CallingNumber"},
        {"CalledNumberList", "CalledNumber"},
        {"MemberIdList", "MemberId"},
        {"ServicerIdList", "ServicerId"},
        {"CallResultList", "CallResult"},
        {"CallTypeList", "CallType"},
        {"GroupIdList", "GroupId"},
    };
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        /* Two different values from the data: the first one found and the next different one. */
        char first[64] = "", second[64] = "", buf[32];
        const cJSON *r;
        cJSON_ArrayForEach(r, records) {
            const char *v = field(r, lists[i][1], buf);
            if (v && !first[0])
                snprintf(first, sizeof(first), "%s", v);
            else if (v && strcmp(v, first) != 0 && !second[0])
                snprintf(second, sizeof(second), "%s", v);
        }
        assert_true(first[0] && second[0]);
        char *p1 = test_format("%s.1=%s", lists[i][0], first),
             *p2 = test_format("%s.2=%s", lists[i][0], second);
        int64_t want = count_where(lists[i][1], first) + count_where(lists[i][1], second);
        assert_int_equal(total_of(m, (const char *const[]){p1, p2, NULL}), want);
        assert_int_equal(total_of(m, (const char *const[]){p2, NULL}),
                         count_where(lists[i][1], second));
        free(p1);
        free(p2);
    }
    /* Indices that are not 1-based decimals name no list item. */
    assert_int_equal(total_of(m, (const char *const[]){"AcidList.0=x", "AcidList.01=x",
                                                       "AcidList.a=x", "AcidListX.1=x", NULL}),
                     cJSON_GetArraySize(records));
}

static void filters_combine(void **state)
{
    struct test_mock *m = start(state, NULL);
    int64_t want = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, records)
        want += field_is(r, "CallType", "2") && field_is(r, "ServicerId", "600103") &&
                (field_is(r, "CallResult", "normal") || field_is(r, "CallResult", "dailing"));
    assert_in_range(want, 1, INT64_MAX);
    assert_int_equal(total_of(m, (const char *const[]){"CallType=2", "ServicerId=600103",
                                                       "CallResultList.1=normal",
                                                       "CallResultList.2=dailing", NULL}),
                     want);
    /* A single value and a list of the same field both apply. */
    assert_int_equal(total_of(m, (const char *const[]){"CallType=2", "CallTypeList.1=1", NULL}), 0);
    /* Empty values count as not given. */
    assert_int_equal(total_of(m, (const char *const[]){"CallType=", "Acid=", NULL}),
                     cJSON_GetArraySize(records));
}

/* The list values the page gives for CallResultList name groups of the single-value codes. */
static void call_result_groups(void **state)
{
    struct test_mock *m = start(state, NULL);
    static const struct {
        const char *group;
        const char *codes[4];
    } groups[] = {
        {"queueClose", {"touchRouteError", "touchInQueue", "touchInLoss", NULL}},
        {"dailingClose", {"dailing", "TouchRingCallLoss", NULL}},
        {"ivrClose", {"userHangup", "sysHangup", "transferAgent", NULL}},
        {"normal", {"normal", NULL}},
    };
    int64_t all = 0;
    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
        int64_t want = 0;
        for (size_t k = 0; groups[g].codes[k]; k++)
            want += count_where("CallResult", groups[g].codes[k]);
        assert_in_range(want, 1, INT64_MAX);
        all += want;
        char *param = test_format("CallResultList.1=%s", groups[g].group);
        struct test_reply r = query(m, (const char *const[]){param, "PageSize=500", NULL});
        if (json_int_at(r.json, "Data.TotalCount") != want)
            fail_msg("%s: TotalCount %lld, dataset %lld", param,
                     (long long)json_int_at(r.json, "Data.TotalCount"), (long long)want);
        const cJSON *rec;
        cJSON_ArrayForEach(rec, json_at(r.json, "Data.CallDetailRecord")) {
            bool member = false;
            for (size_t k = 0; groups[g].codes[k]; k++)
                member |= field_is(rec, "CallResult", groups[g].codes[k]);
            assert_true(member);
        }
        test_reply_free(&r);
        free(param);
    }
    /* The four groups together cover every call, and mix with single codes. */
    assert_int_equal(all, cJSON_GetArraySize(records));
    assert_int_equal(total_of(m, (const char *const[]){"CallResultList.1=queueClose",
                                                       "CallResultList.2=dailingClose",
                                                       "CallResultList.3=ivrClose",
                                                       "CallResultList.4=normal", NULL}),
                     all);
    assert_int_equal(
        total_of(m, (const char *const[]){"CallResultList.1=ivrClose", "CallResultList.2=dailing",
                                          NULL}),
        count_where("CallResult", "userHangup") + count_where("CallResult", "sysHangup") +
            count_where("CallResult", "transferAgent") + count_where("CallResult", "dailing"));
    /* The single-value filter takes the codes only, as its own list documents. */
    assert_int_equal(total_of(m, (const char *const[]){"CallResult=queueClose", NULL}), 0);
}

/* The page's request table swaps the two descriptions; the variant follows it literally. */
static void number_filters_variant(void **state)
{
    char buf[64];
    const char *calling = common_value("CallingNumber", buf);
    char *as_called = test_format("CalledNumber=%s", calling),
         *as_calling = test_format("CallingNumber=%s", calling);
    struct test_mock *m = start(state, NULL);
    assert_int_equal(total_of(m, (const char *const[]){as_calling, NULL}),
                     count_where("CallingNumber", calling));
    test_mock_stop(m);
    m = start(state, (const char *const[]){"aliyun.number_filters=swapped", NULL});
    assert_int_equal(total_of(m, (const char *const[]){as_called, NULL}),
                     count_where("CallingNumber", calling));
    assert_int_equal(total_of(m, (const char *const[]){as_calling, NULL}),
                     count_where("CalledNumber", calling));
    free(as_called);
    free(as_calling);
}

/* ---- time range ------------------------------------------------------------------------------ */

static void time_range_in_ms_or_seconds(void **state)
{
    struct test_mock *m = start(state, NULL);
    const cJSON *a = cJSON_GetArrayItem(records, 40), *b = cJSON_GetArrayItem(records, 200);
    int64_t from = created(a), to = created(b);
    assert_in_range(from, 0, to - 1);
    int64_t want = count_created(from, to);
    char *ms_from = test_format("QueryStartTime=%lld", (long long)from * 1000);
    char *ms_to = test_format("QueryEndTime=%lld", (long long)to * 1000);
    char *s_from = test_format("QueryStartTime=%lld", (long long)from);
    char *s_to = test_format("QueryEndTime=%lld", (long long)to);
    char *ms_to_late = test_format("QueryEndTime=%lld", (long long)to * 1000 + 999);
    char *ms_from_late = test_format("QueryStartTime=%lld", (long long)from * 1000 + 1);
    assert_int_equal(total_of(m, (const char *const[]){ms_from, ms_to, NULL}), want);
    assert_int_equal(total_of(m, (const char *const[]){s_from, s_to, NULL}),
                     want); /* by magnitude */
    assert_int_equal(total_of(m, (const char *const[]){ms_from, ms_to_late, NULL}), want);
    /* One millisecond after a record's second starts excludes it. */
    assert_int_equal(total_of(m, (const char *const[]){ms_from_late, ms_to, NULL}), want - 1);
    /* Open ends. */
    assert_int_equal(total_of(m, (const char *const[]){ms_from, NULL}),
                     count_created(from, INT64_MAX));
    assert_int_equal(total_of(m, (const char *const[]){ms_to, NULL}), count_created(INT64_MIN, to));
    /* Start after end: nothing, not an error. */
    char *rev_from = test_format("QueryStartTime=%lld", (long long)to * 1000);
    char *rev_to = test_format("QueryEndTime=%lld", (long long)from * 1000);
    assert_int_equal(total_of(m, (const char *const[]){rev_from, rev_to, NULL}), 0);
    free(rev_from);
    free(rev_to);
    test_mock_stop(m);
    m = start(state, (const char *const[]){"aliyun.range_end=exclusive", NULL});
    assert_int_equal(total_of(m, (const char *const[]){ms_from, ms_to, NULL}), want - 1);
    assert_int_equal(total_of(m, (const char *const[]){ms_from, ms_to_late, NULL}), want);
    free(ms_from);
    free(ms_to);
    free(s_from);
    free(s_to);
    free(ms_to_late);
    free(ms_from_late);
}

/* ---- paging and order ------------------------------------------------------------------------ */

static void pages_cover_everything_newest_first(void **state)
{
    struct test_mock *m = start(state, NULL);
    int64_t total = cJSON_GetArraySize(records), seen = 0, last = INT64_MAX;
    bool seed_seen = false;
    for (int page = 1; page <= 8; page++) {
        char *no = test_format("PageNo=%d", page);
        struct test_reply r = query(m, (const char *const[]){no, "PageSize=50", NULL});
        assert_int_equal(json_int_at(r.json, "Data.PageNumber"), page);
        assert_int_equal(json_int_at(r.json, "Data.PageSize"), 50);
        assert_int_equal(json_int_at(r.json, "Data.TotalCount"), total);
        const cJSON *rec;
        cJSON_ArrayForEach(rec, json_at(r.json, "Data.CallDetailRecord")) {
            assert_in_range(created(rec), 0, last);
            last = created(rec);
            seed_seen |= field_is(rec, "Id", SEED_ID);
            seen++;
        }
        assert_int_equal(cJSON_GetArraySize(json_at(r.json, "Data.CallDetailRecord")),
                         page < 8 ? 50 : total - 350);
        test_reply_free(&r);
        free(no);
    }
    assert_int_equal(seen, total);
    assert_true(seed_seen);
    /* Past the end: an empty list, the count unchanged. */
    struct test_reply r = query(m, (const char *const[]){"PageNo=9", "PageSize=50", NULL});
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "Data.CallDetailRecord")), 0);
    assert_int_equal(json_int_at(r.json, "Data.TotalCount"), total);
    test_reply_free(&r);
    r = query(m, (const char *const[]){"PageNo=2147483647", "PageSize=2147483647", NULL});
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "Data.CallDetailRecord")), 0);
    test_reply_free(&r);
    r = query(m, (const char *const[]){"PageSize=2147483647", NULL});
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "Data.CallDetailRecord")), total);
    test_reply_free(&r);
    /* Filtered paging slices the matches the same way. */
    r = query(m, (const char *const[]){"CallType=2", "PageSize=7", "PageNo=3", NULL});
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "Data.CallDetailRecord")), 7);
    assert_int_equal(json_int_at(r.json, "Data.TotalCount"), count_where("CallType", "2"));
    test_reply_free(&r);
}

static void order_variant(void **state)
{
    struct test_mock *m = start(state, (const char *const[]){"aliyun.order=oldest", NULL});
    struct test_reply r = query(m, (const char *const[]){"PageSize=3", NULL});
    assert_string_equal(json_str_at(r.json, "Data.CallDetailRecord.0.Id"),
                        SEED_ID); /* 2020, the oldest */
    assert_in_range(created(json_at(r.json, "Data.CallDetailRecord.1")), 0,
                    created(json_at(r.json, "Data.CallDetailRecord.2")));
    test_reply_free(&r);
}

/* ---- validation ------------------------------------------------------------------------------ */

static void invalid_parameters(void **state)
{
    struct test_mock *m = start(state, NULL);
    static const char *const cases[][2] = {
        {"PageSize=0", "PageSize"},
        {"PageSize=-5", "PageSize"},
        {"PageSize=abc", "PageSize"},
        {"PageSize=2147483648", "PageSize"},
        {"PageSize= 5", "PageSize"},
        {"PageSize=5.0", "PageSize"},
        {"PageNo=0", "PageNo"},
        {"PageNo=1e3", "PageNo"},
        {"CallType=one", "CallType"},
        {"GroupId=1.5", "GroupId"},
        {"QueryStartTime=yesterday", "QueryStartTime"},
        {"QueryEndTime=99999999999999999999", "QueryEndTime"},
        {"CallTypeList.1=x", "CallTypeList"},
        {"GroupIdList.2=12a", "GroupIdList"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_invalid(m, cases[i][0], cases[i][1]);
}

static void paging_variants(void **state)
{
    struct test_mock *m = start(state, (const char *const[]){"aliyun.bad_paging=default", NULL});
    struct test_reply r = query(m, (const char *const[]){"PageSize=0", "PageNo=-1", NULL});
    assert_int_equal(json_int_at(r.json, "Data.PageSize"), 20);
    assert_int_equal(json_int_at(r.json, "Data.PageNumber"), 1);
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "Data.CallDetailRecord")), 20);
    test_reply_free(&r);
    assert_invalid(m, "PageSize=x", "PageSize"); /* a type error is still an error */
    test_mock_stop(m);
    m = start(state, (const char *const[]){"aliyun.max_page_size=50", NULL});
    assert_invalid(m, "PageSize=51", "PageSize");
    assert_int_equal(total_of(m, (const char *const[]){"PageSize=50", NULL}),
                     cJSON_GetArraySize(records));
}

static void tenants(void **state)
{
    struct test_mock *m = start(state, NULL);
    struct test_reply r = aliyun_call(
        m, &(struct aliyun_request){
               .now = NOW, .params = (const char *const[]){"InstanceId=ccc_nobody", NULL}});
    assert_int_equal(r.status, 500);
    assert_string_equal(json_str_at(r.json, "Code"), "NoTenantFound");
    assert_string_equal(json_str_at(r.json, "Message"), "The specified tenant does not exist.");
    test_reply_free(&r);
    assert_int_equal(total_of(m, (const char *const[]){"InstanceId=ccc_xp_pre-cn-empty002", NULL}),
                     0);
    test_mock_stop(m);
    m = start(state, (const char *const[]){"aliyun.unknown_instance=empty", NULL});
    r = query(m, (const char *const[]){"InstanceId=ccc_nobody", NULL});
    assert_int_equal(json_int_at(r.json, "Data.TotalCount"), 0);
    assert_int_equal(cJSON_GetArraySize(json_at(r.json, "Data.CallDetailRecord")), 0);
    test_reply_free(&r);
}

/* ---- the records' exact shapes --------------------------------------------------------------- */

static void seed_record_exactly_as_printed(void **state)
{
    struct test_mock *m = start(state, NULL);
    cJSON *example =
        test_load_json(FIXTURES_DIR "/aliyun/examples/hotline_session_query_response.json");
    char *expected = cJSON_PrintUnformatted(json_at(example, "Data.CallDetailRecord.0"));
    struct test_reply r = query(m, (const char *const[]){"Id=" SEED_ID, NULL});
    char *want = test_format("\"CallDetailRecord\":[%s]}}", expected);
    assert_non_null(strstr(r.body, want));
    test_reply_free(&r);
    free(want);

    /* XML: every member an element, in the same order, numbers as digits. */
    struct cdr_buf x;
    cdr_buf_init(&x);
    cdr_buf_puts(&x, "<CallDetailRecord>");
    const cJSON *seed = json_at(example, "Data.CallDetailRecord.0"), *member;
    cJSON_ArrayForEach(member, seed) {
        char buf[32];
        cdr_buf_printf(&x, "<%s>%s</%s>", member->string, field(seed, member->string, buf),
                       member->string);
    }
    cdr_buf_puts(&x, "</CallDetailRecord></Data>");
    r = aliyun_call(
        m, &(struct aliyun_request){
               .now = NOW, .params = (const char *const[]){"Format=XML", "Id=" SEED_ID, NULL}});
    assert_int_equal(r.status, 200);
    if (!strstr(r.body, x.data))
        fail_msg("expected %s in %s", x.data, r.body);
    assert_non_null(strstr(r.body, "<ServicerName>刘测试</ServicerName>"));
    test_reply_free(&r);
    cdr_buf_free(&x);
    free(expected);
    cJSON_Delete(example);
}

static void xml_rendering_escapes(void **state)
{
    (void)state;
    cJSON *obj = cJSON_Parse("{\"A\":\"a&b<c>\\\"d'e\\u0001f\",\"N\":null,\"L\":[1,\"x\"],\"B\":"
                             "false,\"O\":{\"I\":-2.5}}");
    assert_non_null(obj);
    struct cdr_buf b;
    cdr_buf_init(&b);
    aliyun_xml_member(&b, "R", obj);
    assert_string_equal(b.data, "<R><A>a&amp;b&lt;c&gt;&quot;d&apos;e?f</A><L>1</L><L>x</"
                                "L><B>false</B><O><I>-2.5</I></O></R>");
    cdr_buf_free(&b);
    cJSON_Delete(obj);
}

/* ---- dataset and generator ------------------------------------------------------------------- */

static void fixture_dataset(void **state)
{
    (void)state;
    assert_in_range(cJSON_GetArraySize(records), 300, INT_MAX);
    assert_int_equal(count_where("Id", SEED_ID), 1);
    for (int type = 1; type <= 3; type++) {
        char t[4];
        snprintf(t, sizeof(t), "%d", type);
        assert_in_range(count_where("CallType", t), 20, INT64_MAX);
    }
    assert_in_range(count_where("CallResult", "normal"), 1, INT64_MAX);
    assert_in_range(count_where("CallResult", "dailing"), 1, INT64_MAX);
}

static char *dump(const char *const *variants, int64_t n, uint64_t seed)
{
    struct test_mock m;
    test_mock_start_generated(&m, FIXTURES_DIR, CLOCK_MS, variants, "aliyun", n, seed);
    char *json = mock_server_dump(m.server, "aliyun");
    assert_non_null(json);
    test_mock_stop(&m);
    return json;
}

static void generator_is_deterministic(void **state)
{
    (void)state;
    char *a = dump(NULL, 500, 7), *b = dump(NULL, 500, 7), *c = dump(NULL, 500, 8);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    free(a);
    free(b);
    free(c);
}

/* The page's notes: what each scenario has and lacks. */
static void generated_shapes(void **state)
{
    (void)state;
    char *json = dump(NULL, 3000, 3);
    cJSON *list = cJSON_Parse(json);
    assert_int_equal(cJSON_GetArraySize(list), 3000);
    int types[4] = {0};
    const cJSON *r;
    int64_t earliest = INT64_MAX, latest = INT64_MIN;
    cJSON_ArrayForEach(r, list) {
        int64_t type = json_int_at(r, "CallType");
        assert_in_range(type, 1, 3);
        types[type]++;
        assert_true(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(r, "Id")));
        assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(r, "CallType")));
        const cJSON *role = cJSON_GetObjectItemCaseSensitive(r, "HangUpRole");
        assert_true(!role || (cJSON_IsString(role) && strchr("123", role->valuestring[0]) &&
                              !role->valuestring[1]));
        if (type == 1) {
            static const char *const none[] = {
                "RingStartTime", "RingEndTime", "RingContinueTime", "InQueueTime",
                "OutQueueTime",  "GroupId",     "GroupName",        "EvaluationLevel"};
            for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
                assert_null(cJSON_GetObjectItemCaseSensitive(r, none[i]));
        }
        bool transfer_fields = cJSON_GetObjectItemCaseSensitive(r, "PassiveTransferIdType") != NULL;
        assert_int_equal(transfer_fields, type == 3);
        const cJSON *pick = cJSON_GetObjectItemCaseSensitive(r, "PickUpTime");
        const cJSON *talk = cJSON_GetObjectItemCaseSensitive(r, "CallContinueTime");
        assert_int_equal(pick != NULL, talk != NULL);
        if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(r, "GroupId")))
            assert_true(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(r, "GroupName")));
        int64_t t = created(r);
        earliest = t < earliest ? t : earliest;
        latest = t > latest ? t : latest;
    }
    assert_in_range(types[1], 301, INT_MAX);
    assert_in_range(types[2], 1001, INT_MAX);
    assert_in_range(types[3], 101, INT_MAX);
    assert_in_range(earliest, NOW - 365 * 86400, NOW - 1);
    assert_in_range(latest, NOW - 365 * 86400, NOW - 1);
    cJSON_Delete(list);
    free(json);
}

/* Each test gets a fresh struct test_mock as its state. */
#define WITH_MOCK(test) cmocka_unit_test_setup_teardown(test, test_mock_setup, test_mock_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        WITH_MOCK(every_single_filter),
        WITH_MOCK(every_list_filter),
        WITH_MOCK(filters_combine),
        WITH_MOCK(call_result_groups),
        WITH_MOCK(number_filters_variant),
        WITH_MOCK(time_range_in_ms_or_seconds),
        WITH_MOCK(pages_cover_everything_newest_first),
        WITH_MOCK(order_variant),
        WITH_MOCK(invalid_parameters),
        WITH_MOCK(paging_variants),
        WITH_MOCK(tenants),
        WITH_MOCK(seed_record_exactly_as_printed),
        cmocka_unit_test(xml_rendering_escapes),
        cmocka_unit_test(fixture_dataset),
        cmocka_unit_test(generator_is_deterministic),
        cmocka_unit_test(generated_shapes),
    };
    return cmocka_run_group_tests(tests, load_records, free_records);
}
