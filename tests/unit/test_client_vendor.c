/* The vendor descriptors of libcdrsim (cdrsim/vendor.h): the registry, the tables themselves, the
 * argument bag, checking arguments as a command line does, filling each vendor's typed filter
 * through the table's offsets, and the generic parse with the page's paging object. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/cdrsim.h"
#include "testutil.h"

/* ---- the registry ---------------------------------------------------------------------------- */

static void test_registry_lists_every_vendor(void **state)
{
    (void)state;
    /* The four of today, first, in this order; a fifth may follow without this test changing. */
    static const char *const ids[] = {"itnio", "yunfu", "huawei", "aliyun"};
    const struct cdr_vendor *const *v = cdr_vendors();
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        assert_non_null(v[i]);
        assert_string_equal(v[i]->id, ids[i]);
    }
    for (; *v; v++)
        assert_ptr_equal(cdr_vendor_find((*v)->id), *v); /* ids are unique */
    assert_null(cdr_vendor_find("nosuch"));
    assert_null(cdr_vendor_find(NULL));
}

static bool snake_case(const char *name)
{
    if (!name || !*name || name[0] == '_')
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return true;
}

static bool is_list(enum cdr_value_kind kind)
{
    return kind == CDR_VALUE_STRING_LIST || kind == CDR_VALUE_INT_LIST ||
           kind == CDR_VALUE_INT64_LIST || kind == CDR_VALUE_RANGE_LIST;
}

/* What a typed member of each kind must measure. */
static size_t member_size(enum cdr_value_kind kind)
{
    switch (kind) {
    case CDR_VALUE_TIME:
        return sizeof(int64_t);
    case CDR_VALUE_FLAG:
        return sizeof(bool);
    case CDR_VALUE_CHOICE:
        return sizeof(int);
    default:
        return sizeof(void *);
    }
}

/* Every row says what it is, and a row that names a typed member names one of the right size. */
static void test_tables_are_well_formed(void **state)
{
    (void)state;
    for (const struct cdr_vendor *const *v = cdr_vendors(); *v; v++) {
        const struct cdr_vendor *d = *v;
        assert_non_null(d->title);
        assert_non_null(d->url);
        assert_non_null(d->fields[0].name);
        for (const struct cdr_field *f = d->fields; f->name; f++) {
            if (!snake_case(f->name))
                fail_msg("%s: field \"%s\" is not snake_case", d->id, f->name);
            assert_ptr_equal(cdr_vendor_field(d, f->name), f); /* names are unique */
            if (!f->help || (!f->wire && !f->param))
                fail_msg("%s.%s: no help, or nothing about the wire", d->id, f->name);
            /* A filter the request builder would never send is a filter in name only. */
            if (f->role == CDR_ROLE_FILTER && (!f->param || f->offset == CDR_NO_MEMBER))
                fail_msg("%s.%s: a filter without a parameter or a member", d->id, f->name);
            if ((f->flags & CDR_FIELD_PAIRED) && !f[1].name)
                fail_msg("%s.%s: paired with nothing", d->id, f->name);
            if (f->kind == CDR_VALUE_CHOICE)
                assert_non_null(f->names);
            if (f->kind == CDR_VALUE_INT_LIST && f->names) {
                size_t n = 0;
                while (f->names[n])
                    n++;
                assert_int_equal(n, f->max - f->min + 1);
            }
            if (f->offset == CDR_NO_MEMBER) {
                assert_int_equal(f->aux, CDR_NO_MEMBER);
                continue;
            }
            if (f->kind == CDR_VALUE_INT) {
                if (f->size != sizeof(int) && f->size != sizeof(int64_t))
                    fail_msg("%s.%s: an INT member of %zu bytes", d->id, f->name, f->size);
            } else if (f->size != member_size(f->kind)) {
                fail_msg("%s.%s: a member of %zu bytes for its kind", d->id, f->name, f->size);
            }
            if (is_list(f->kind) && f->aux == CDR_NO_MEMBER)
                fail_msg("%s.%s: a list without its count", d->id, f->name);
        }
        for (size_t i = 0; i < d->call_count; i++) {
            assert_true(snake_case(d->calls[i].name));
            assert_true(cdr_vendor_has_call(d, d->calls[i].name));
        }
        if (d->paging.paged) {
            assert_in_range(d->paging.fetch_size, 1, d->paging.max_size);
        }
    }
}

static void test_calls(void **state)
{
    (void)state;
    const struct cdr_vendor *itnio = cdr_vendor_find("itnio"), *huawei = cdr_vendor_find("huawei");
    assert_true(cdr_vendor_has_call(itnio, "page"));
    assert_true(cdr_vendor_has_call(itnio, "fetch_all"));
    assert_true(cdr_vendor_has_call(itnio, "parse"));
    assert_true(cdr_vendor_has_call(itnio, "groups"));
    assert_false(cdr_vendor_has_call(itnio, "poll"));
    /* Huawei's range calls are its CC-Management call history's. */
    assert_true(cdr_vendor_has_call(huawei, "page"));
    assert_true(cdr_vendor_has_call(huawei, "fetch_all"));
    assert_true(cdr_vendor_has_call(huawei, "parse"));
    assert_true(cdr_vendor_has_call(huawei, "poll"));
    assert_int_equal(itnio->paging.max_range, 93 * 86400);
}

/* ---- the argument bag ------------------------------------------------------------------------ */

static void test_args(void **state)
{
    (void)state;
    struct cdr_args *a = cdr_args_new();
    assert_non_null(a);
    assert_null(cdr_args_get(a, "x"));
    assert_int_equal(cdr_args_count(a, "x"), 0);
    assert_int_equal(cdr_args_add(a, "x", "1"), CDR_OK);
    assert_int_equal(cdr_args_add(a, "y", NULL), CDR_OK);
    assert_int_equal(cdr_args_add(a, "x", "2"), CDR_OK);
    assert_string_equal(cdr_args_get(a, "x"), "2"); /* the last value */
    assert_string_equal(cdr_args_get(a, "y"), "");  /* a flag */
    assert_int_equal(cdr_args_count(a, "x"), 2);
    assert_string_equal(cdr_args_value(a, "x", 0), "1");
    assert_null(cdr_args_value(a, "x", 2));
    const char *name, *value;
    assert_true(cdr_args_entry(a, 1, &name, &value));
    assert_string_equal(name, "y");
    assert_false(cdr_args_entry(a, 3, &name, &value));
    assert_int_equal(cdr_args_set(a, "x", "3"), CDR_OK);
    assert_int_equal(cdr_args_count(a, "x"), 1);
    assert_string_equal(cdr_args_get(a, "x"), "3");
    assert_int_equal(cdr_args_set(a, "x", NULL), CDR_OK);
    assert_null(cdr_args_get(a, "x"));
    assert_int_equal(cdr_args_add(a, NULL, "v"), CDR_ERR_INVALID_ARGUMENT);
    cdr_args_free(a);
}

/* args from "name=value" strings, NULL-terminated ("name" alone: a flag). */
static struct cdr_args *args_of(const char *const *pairs)
{
    struct cdr_args *a = cdr_args_new();
    assert_non_null(a);
    for (const char *const *p = pairs; *p; p++) {
        const char *eq = strchr(*p, '=');
        char name[64];
        snprintf(name, sizeof(name), "%.*s", eq ? (int)(eq - *p) : (int)strlen(*p), *p);
        assert_int_equal(cdr_args_add(a, name, eq ? eq + 1 : NULL), CDR_OK);
    }
    return a;
}

/* Checks args for vendor: the error's message (""), and the field it names (NULL for none). */
static void expect_args(const char *vendor, const char *const *pairs, const char *message,
                        const char *bad_field)
{
    const struct cdr_vendor *v = cdr_vendor_find(vendor);
    struct cdr_args *a = args_of(pairs);
    const struct cdr_field *bad = NULL;
    struct cdr_error_info err;
    cdr_error_clear(&err);
    cdr_error rc = cdr_vendor_check_args(v, a, &bad, &err);
    assert_int_equal(rc, message[0] ? CDR_ERR_INVALID_ARGUMENT : CDR_OK);
    assert_string_equal(err.message, message);
    if (bad_field) {
        assert_non_null(bad);
        assert_string_equal(bad->name, bad_field);
    } else {
        assert_null(bad);
    }
    cdr_args_free(a);
}

#define ITNIO_OK "api_key=k", "api_secret=s", "from=2025-01-01 00:00:00", "to=2025-01-02 00:00:00"

static void test_check_args(void **state)
{
    (void)state;
    expect_args("itnio", (const char *const[]){ITNIO_OK, "call_type=2", "seat_id=7", NULL}, "",
                NULL);
    expect_args("itnio", (const char *const[]){ITNIO_OK, "nosuch=1", NULL},
                "nosuch: not an argument of itnio", NULL);
    expect_args("itnio", (const char *const[]){ITNIO_OK, "voice_group_id=x1", NULL},
                "voice_group_id: \"x1\" is not an integer", "voice_group_id");
    expect_args("itnio", (const char *const[]){ITNIO_OK, "call_type=1001", NULL},
                "call_type: \"1001\" is outside 0..1000", "call_type");
    expect_args("itnio", (const char *const[]){"api_key=k", "api_secret=s", "from=soon", NULL},
                "from: \"soon\" is not a time: times take RFC 3339, \"YYYY-MM-DD HH:MM:SS\" "
                "(UTC+8) or Unix seconds",
                "from");
    expect_args("itnio", (const char *const[]){"api_key=k", "from=0", "to=1", NULL},
                "api_secret: required", "api_secret");
    expect_args("huawei",
                (const char *const[]){"agent_id=1", "password=p", "lastcall_flag=x", NULL},
                "lastcall_flag: \"x\" is not one of auto, doc, name", "lastcall_flag");
    expect_args("huawei", (const char *const[]){"agent_id=1", "password=p", "status=6", NULL},
                "status: \"6\" is outside 3..5", "status");
    expect_args("aliyun",
                (const char *const[]){"access_key_id=i", "access_key_secret=s", "instance_id=x",
                                      "v2", "method=GET", "v2=maybe", NULL},
                "v2: \"maybe\" is neither true nor false", "v2");
    /* Yunfu: ranges, letters for intention tags, and the rules across fields. */
#define YUNFU_OK "token=t", "task_id=t"
    expect_args("yunfu",
                (const char *const[]){YUNFU_OK, "user_id=u", "level=0:100", "intention_tag=B",
                                      "intention_tag=5", NULL},
                "", NULL);
    expect_args("yunfu", (const char *const[]){YUNFU_OK, "user_id=u", "level=9:1", NULL},
                "level: \"9:1\" has its minimum above its maximum", "level");
    expect_args("yunfu", (const char *const[]){YUNFU_OK, "user_id=u", "level=-1:5", NULL},
                "level: \"-1:5\" is outside 0..9223372036854775807", "level");
    expect_args("yunfu", (const char *const[]){YUNFU_OK, "user_id=u", "level=5", NULL},
                "level: \"5\" is not MIN:MAX", "level");
    expect_args("yunfu", (const char *const[]){YUNFU_OK, "user_id=u", "intention_tag=F", NULL},
                "intention_tag: \"F\" is not an integer", "intention_tag");
    expect_args("yunfu", (const char *const[]){YUNFU_OK, NULL}, "user_id: required unless legacy",
                "user_id");
    expect_args("yunfu", (const char *const[]){YUNFU_OK, "user_id=u", "legacy", NULL},
                "user_id: not with legacy, which has no account", "user_id");
    expect_args("yunfu", (const char *const[]){YUNFU_OK, "legacy", "hangup_to=0", NULL},
                "hangup_from: required with hangup_to", "hangup_from");
}

/* ---- the typed filters ----------------------------------------------------------------------- */

/* Every ITNIO filter from text lands where the typed API wants it: the body built from the filled
 * filter is the body of the same filter written by hand. */
static void test_fill_itnio(void **state)
{
    (void)state;
    struct cdr_args *a = args_of((const char *const[]){
        "api_key=k", "from=2025-01-08 00:00:00", "to=2025-01-09T00:00:00+08:00",
        "voice_group_id=12", "sip_group_name=g", "seat_id=9007199254740993", "seat_id=2",
        "seat_name=a", "call_type=2", "call_type=3", "hangup_reason=0", "called_or_caller=138",
        "ccode=86", "hanging_direction=1", "label=x", "label=y", NULL});
    struct cdr_itnio_filter f = {0};
    void *lists;
    struct cdr_error_info err;
    assert_int_equal(cdr_vendor_fill_filter(cdr_vendor_find("itnio"), a, &f, &lists, &err), CDR_OK);
    const int64_t seats[] = {INT64_C(9007199254740993), 2};
    const char *const names[] = {"a"}, *const ccodes[] = {"86"}, *const labels[] = {"x", "y"};
    const int types[] = {2, 3}, reasons[] = {0}, directions[] = {1};
    struct cdr_itnio_filter want = {
        .start_time = 1736265600,
        .end_time = 1736352000,
        .has_voice_group_id = true,
        .voice_group_id = 12,
        .sip_group_name = "g",
        .seat_ids = seats,
        .seat_id_count = 2,
        .seat_names = names,
        .seat_name_count = 1,
        .call_types = types,
        .call_type_count = 2,
        .hangup_reasons = reasons,
        .hangup_reason_count = 1,
        .called_or_caller = "138",
        .ccodes = ccodes,
        .ccode_count = 1,
        .hanging_directions = directions,
        .hanging_direction_count = 1,
        .label_names = labels,
        .label_name_count = 2,
    };
    char *got = cdr_itnio_query_body(&f, 1, 50), *expected = cdr_itnio_query_body(&want, 1, 50);
    assert_string_equal(got, expected);
    free(got);
    free(expected);
    free(lists);
    /* Parsed, not bounds-checked: a test may send what a command line refuses. */
    assert_int_equal(cdr_args_set(a, "call_type", "5000"), CDR_OK);
    assert_int_equal(cdr_vendor_fill_filter(cdr_vendor_find("itnio"), a, &f, &lists, &err), CDR_OK);
    assert_int_equal(f.call_types[0], 5000);
    free(lists);
    /* Unparseable is refused, naming the field. */
    assert_int_equal(cdr_args_set(a, "seat_id", "two"), CDR_OK);
    assert_int_equal(cdr_vendor_fill_filter(cdr_vendor_find("itnio"), a, &f, &lists, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    assert_string_equal(err.message, "seat_id: \"two\" is not an integer");
    assert_null(lists);
    cdr_args_free(a);
}

static void test_fill_yunfu(void **state)
{
    (void)state;
    struct cdr_args *a = args_of((const char *const[]){
        "from=2022-09-29 00:00:00", "keyword=555", "level=0:100", "level=500:1000",
        "intention_tag=A", "intention_tag=3", "hangup_from=2022-09-29 00:00:00",
        "hangup_to=2022-09-30 00:00:00", "sub_user_id=s", NULL});
    struct cdr_yunfu_filter f;
    cdr_yunfu_filter_init(&f);
    void *lists;
    struct cdr_error_info err;
    assert_int_equal(cdr_vendor_fill_filter(cdr_vendor_find("yunfu"), a, &f, &lists, &err), CDR_OK);
    const struct cdr_yunfu_range levels[] = {{0, 100}, {500, 1000}};
    const int tags[] = {1, 3};
    struct cdr_yunfu_filter want;
    cdr_yunfu_filter_init(&want);
    want.start_time = 1664380800;
    want.keyword = "555";
    want.levels = levels;
    want.level_count = 2;
    want.intention_tags = tags;
    want.intention_tag_count = 2;
    want.hangup_from = 1664380800;
    want.hangup_to = 1664467200;
    want.sub_user_id = "s";
    char *got = cdr_yunfu_list_query(&f, 1, 15), *expected = cdr_yunfu_list_query(&want, 1, 15);
    assert_string_equal(got, expected);
    assert_int_equal(f.end_time, CDR_TIME_NONE); /* absent: left as initialised */
    free(got);
    free(expected);
    free(lists);
    cdr_args_free(a);
}

static void test_fill_aliyun(void **state)
{
    (void)state;
    struct cdr_args *a = args_of((const char *const[]){"instance_id=i",
                                                       "from=2020-10-02 22:32:55",
                                                       "id=r",
                                                       "acid=c",
                                                       "call_type=1",
                                                       "calling_number=1",
                                                       "called_number=2",
                                                       "group_id=123456",
                                                       "group_name=g",
                                                       "member_id=m",
                                                       "member_name=n",
                                                       "servicer_id=s",
                                                       "servicer_name=t",
                                                       "call_result=ok",
                                                       "acid_list=a1",
                                                       "call_type_list=2",
                                                       "group_id_list=7",
                                                       "calling_number_list=c1",
                                                       "called_number_list=c2",
                                                       "member_id_list=m1",
                                                       "servicer_id_list=s1",
                                                       "call_result_list=r1",
                                                       "v2",
                                                       NULL});
    struct cdr_aliyun_filter f;
    cdr_aliyun_filter_init(&f);
    void *lists;
    struct cdr_error_info err;
    assert_int_equal(cdr_vendor_fill_filter(cdr_vendor_find("aliyun"), a, &f, &lists, &err),
                     CDR_OK);
    assert_string_equal(f.instance_id, "i");
    assert_int_equal(f.start_ms, INT64_C(1601649175000)); /* milliseconds */
    assert_int_equal(f.end_ms, CDR_TIME_NONE);
    assert_true(f.has_call_type);
    assert_int_equal(f.call_type, 1);
    assert_true(f.has_group_id);
    assert_int_equal(f.group_id, 123456);
    const char *const texts[] = {
        f.id,        f.acid,        f.calling_number, f.called_number, f.group_name,
        f.member_id, f.member_name, f.servicer_id,    f.servicer_name, f.call_result};
    const char *const want[] = {"r", "c", "1", "2", "g", "m", "n", "s", "t", "ok"};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        assert_string_equal(texts[i], want[i]);
    assert_int_equal(f.acid_list_count, 1);
    assert_string_equal(f.acid_list[0], "a1");
    assert_int_equal(f.call_type_list_count, 1);
    assert_int_equal(f.call_type_list[0], 2);
    assert_int_equal(f.group_id_list_count, 1);
    assert_int_equal(f.group_id_list[0], 7);
    const char *const *lists_of[] = {f.calling_number_list, f.called_number_list, f.member_id_list,
                                     f.servicer_id_list, f.call_result_list};
    const size_t counts[] = {f.calling_number_list_count, f.called_number_list_count,
                             f.member_id_list_count, f.servicer_id_list_count,
                             f.call_result_list_count};
    const char *const firsts[] = {"c1", "c2", "m1", "s1", "r1"};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(counts[i], 1);
        assert_string_equal(lists_of[i][0], firsts[i]);
    }
    free(lists);
    cdr_args_free(a);
}

/* ---- generic calls --------------------------------------------------------------------------- */

/* A vendor's documented example answer through cdr_vendor_parse: its records and its paging
 * object as sent, types kept. */
static void expect_parse(const char *vendor, const char *file, size_t records,
                         const char *paging_json, int64_t total, int64_t page, int64_t size)
{
    size_t len;
    char *body = test_read_file(file, &len);
    struct cdr_page p;
    struct cdr_error_info err;
    cdr_error rc = cdr_vendor_parse(cdr_vendor_find(vendor), body, len, 200, &p, &err);
    if (rc != CDR_OK)
        fail_msg("%s: %s: %s", vendor, cdr_error_name(rc), err.message);
    assert_int_equal(p.record_count, records);
    assert_string_equal(p.records[0].vendor, vendor);
    if (paging_json)
        assert_string_equal(p.paging_json, paging_json);
    else
        assert_null(p.paging_json);
    assert_int_equal(p.total, total);
    assert_int_equal(p.page, page);
    assert_int_equal(p.size, size);
    cdr_page_free(&p);
    assert_null(p.records);
    free(body);
}

static void test_parse_examples(void **state)
{
    (void)state;
    expect_parse("itnio", FIXTURES_DIR "/itnio/examples/record_query_response.json", 1,
                 "{\"total\":1,\"size\":50,\"current\":1,\"searchCount\":true,\"pages\":1}", 1, 1,
                 50);
    expect_parse("yunfu", FIXTURES_DIR "/yunfu/examples/record_list_response.json", 1,
                 "{\"has_pages\":true,\"total\":29,\"last_page\":29,\"current_page\":1,"
                 "\"per_page\":\"1\"}",
                 29, 1, 1);
    expect_parse("aliyun", FIXTURES_DIR "/aliyun/examples/hotline_session_query_response.json", 1,
                 "{\"PageSize\":10,\"PageNumber\":1,\"TotalCount\":26}", 26, 1, 10);
    expect_parse("huawei", FIXTURES_DIR "/huawei/examples/callinfo_response.json", 1, NULL, -1, -1,
                 -1);
}

static void test_generic_client(void **state)
{
    (void)state;
    const struct cdr_vendor *itnio = cdr_vendor_find("itnio"), *yunfu = cdr_vendor_find("yunfu");
    struct cdr_client_options o;
    cdr_client_options_default(&o);
    o.base_url = "http://127.0.0.1:1";
    struct cdr_args *a = args_of((const char *const[]){"api_key=k", "api_secret=s", NULL});
    struct cdr_error_info err;
    struct cdr_client *c = cdr_client_new(itnio, &o, a, &err);
    assert_non_null(c);
    assert_ptr_equal(cdr_client_vendor(c), itnio);
    assert_non_null(cdr_itnio_client_of(c));
    assert_null(cdr_yunfu_client_of(c)); /* not a Yunfu client */
    assert_null(cdr_itnio_client_of(NULL));
    /* The range is checked before anything is sent. */
    assert_int_equal(cdr_args_add(a, "from", "2025-01-01 00:00:00"), CDR_OK);
    assert_int_equal(cdr_args_add(a, "to", "2025-06-01 00:00:00"), CDR_OK);
    struct cdr_page p;
    assert_int_equal(cdr_client_page(c, a, 1, 10, &p, &err), CDR_ERR_RANGE_TOO_LARGE);
    cdr_client_free(c);
    /* Credentials missing: the typed client says so. */
    c = cdr_client_new(yunfu, &o, a, &err);
    assert_null(c);
    assert_int_equal(err.code, CDR_ERR_INVALID_ARGUMENT);
    cdr_args_free(a);
    /* A client opened without what its range query needs says so. */
    a = args_of((const char *const[]){"agent_id=291", "password=p", NULL});
    c = cdr_client_new(cdr_vendor_find("huawei"), &o, a, &err);
    assert_non_null(c);
    assert_non_null(cdr_huawei_session_of(c));
    assert_null(cdr_huawei_history_of(c));
    assert_int_equal(cdr_client_page(c, a, 1, 10, &p, &err), CDR_ERR_INVALID_ARGUMENT);
    assert_string_equal(err.message, "app_key: the call history needs the app's key and secret");
    cdr_client_free(c);
    cdr_args_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry_lists_every_vendor),
        cmocka_unit_test(test_tables_are_well_formed),
        cmocka_unit_test(test_calls),
        cmocka_unit_test(test_args),
        cmocka_unit_test(test_check_args),
        cmocka_unit_test(test_fill_itnio),
        cmocka_unit_test(test_fill_yunfu),
        cmocka_unit_test(test_fill_aliyun),
        cmocka_unit_test(test_parse_examples),
        cmocka_unit_test(test_generic_client),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
