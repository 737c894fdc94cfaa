/* How the Alibaba mock keeps its records (mockserver/vendors/aliyun/dataset.c, generate.c,
 * reply.c): generated records written as JSON text are exactly what cJSON prints for them; the
 * XML element rendered from a record's text is the one the tree gives; and the fixture read from
 * its own compact text loads the same records as the same fixture laid out in any other way;
 * filtered pages from the indexes and the Id and Acid tables are the pages a scan gives, in both
 * orders; an added record's Id is checked against the store's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"
#include "vendors/aliyun/internal.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The XML of a record's text through the flat way (or the tree, for other forms), against the
 * tree's own rendering. */
static void assert_xml_as_tree(const char *json)
{
    struct cdr_buf fast, tree;
    cdr_buf_init(&fast);
    cdr_buf_init(&tree);
    cdr_buf_puts(&fast, "<Data>");
    aliyun_xml_record(&fast, json, strlen(json));
    cdr_buf_puts(&fast, "</Data>");
    cJSON *parsed = cJSON_Parse(json);
    assert_non_null(parsed);
    cdr_buf_puts(&tree, "<Data>");
    aliyun_xml_member(&tree, "CallDetailRecord", parsed);
    cdr_buf_puts(&tree, "</Data>");
    cJSON_Delete(parsed);
    assert_false(fast.failed);
    assert_string_equal(fast.data, tree.data);
    cdr_buf_free(&fast);
    cdr_buf_free(&tree);
}

struct checked {
    struct cdr_buf text;
    size_t count;
};

static bool check_generated(void *user, const struct aliyun_generated *g, char *err, size_t err_len)
{
    (void)err;
    (void)err_len;
    struct checked *c = user;
    c->text.len = 0;
    assert_true(aliyun_generate_render(g, &c->text));
    cJSON *tree = cJSON_ParseWithLength(c->text.data, c->text.len);
    assert_non_null(tree);
    char *printed = cJSON_PrintUnformatted(tree);
    cJSON_Delete(tree);
    assert_non_null(printed);
    assert_int_equal(c->text.len, strlen(printed));
    assert_memory_equal(c->text.data, printed, c->text.len);
    free(printed);
    if (c->count++ % 97 == 0) /* the XML of a sample */
        assert_xml_as_tree(c->text.data);
    return true;
}

static void generated_text_is_what_cjson_prints(void **state)
{
    (void)state;
    struct checked c = {.count = 0};
    cdr_buf_init(&c.text);
    char err[128] = "";
    assert_true(
        aliyun_generate_records(3000, 7, 1746057600, check_generated, &c, err, sizeof(err)));
    assert_int_equal(c.count, 3000);
    cdr_buf_free(&c.text);
}

static void xml_from_text_matches_the_tree(void **state)
{
    (void)state;
    static const char *const records[] = {
        "{}",
        "{\"Id\":\"acc1\",\"CallType\":2,\"GroupId\":123456,\"ServicerName\":\"刘测试\"}",
        "{\"Id\":\"a<&>'\\\"b\",\"Neg\":-3}",
        "{\"Id\":\"x\",\"HangUpRole\":null,\"PassiveTransferId\":null}",
        "{\"Id\":\"esc\",\"ServicerName\":\"tab\\there\\u00e9\\ud83d\\ude00/\\u0001\"}",
        "{\"Id\":\"big\",\"CallContinueTime\":12345678901234567,\"Frac\":0.1,\"Exp\":1e21}",
    };
    for (size_t i = 0; i < ARRAY_LEN(records); i++)
        assert_xml_as_tree(records[i]);
}

/* ---- the fixture, read from its text or as a tree ---- */

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void remove_files(const char *dir)
{
    static const char *const names[] = {"credentials.json", "instances.json", "records.json"};
    for (size_t i = 0; i < ARRAY_LEN(names); i++) {
        char path[256];
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* The dataset loaded from dir as --dump-records prints it (caller frees), or NULL with err. */
static char *loaded(const char *dir, char *err, size_t err_len)
{
    struct aliyun_state st;
    memset(&st, 0, sizeof(st));
    struct mock_vendor_load load = {.data_dir = dir, .generate_count = -1};
    char *dump =
        aliyun_load_dataset(&st, &load, err, err_len) ? mock_store_dump(&st.records) : NULL;
    aliyun_free_dataset(&st);
    return dump;
}

static void fixture_layouts_load_alike(void **state)
{
    (void)state;
    cJSON *records = test_load_json(FIXTURES_DIR "/aliyun/records.json");
    assert_non_null(records);
    char *compact = loaded(FIXTURES_DIR "/aliyun", (char[128]){0}, 128);
    assert_non_null(compact);
    char dir[] = "/tmp/test_aliyun_store_XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_file(dir, "credentials.json", "[{\"access_key_id\":\"k\",\"access_key_secret\":\"s\"}]");
    write_file(dir, "instances.json", "[{\"instance_id\":\"i\"}]");

    /* Indented: every record through the tree. */
    char *pretty = cJSON_Print(records);
    assert_non_null(pretty);
    write_file(dir, "records.json", pretty);
    free(pretty);
    char err[256] = "";
    char *from_tree = loaded(dir, err, sizeof(err));
    assert_non_null(from_tree);
    assert_string_equal(from_tree, compact);
    free(from_tree);

    /* Some records compact, some not, one with an escape: each read its own way. */
    struct cdr_buf mixed;
    cdr_buf_init(&mixed);
    cdr_buf_puts(&mixed, "[");
    const cJSON *r;
    size_t n = 0;
    cJSON_ArrayForEach(r, records) {
        char *text = n % 3 ? cJSON_PrintUnformatted(r) : cJSON_Print(r);
        assert_non_null(text);
        cdr_buf_puts(&mixed, n++ ? ",\n" : "\n");
        cdr_buf_puts(&mixed, text);
        free(text);
    }
    cdr_buf_puts(&mixed, "\n]\n");
    write_file(dir, "records.json", mixed.data);
    cdr_buf_free(&mixed);
    char *from_mixed = loaded(dir, err, sizeof(err));
    assert_non_null(from_mixed);
    assert_string_equal(from_mixed, compact);
    free(from_mixed);

    /* The fast way's errors are the tree's: a record without a string Id, a broken file. */
    write_file(dir, "records.json",
               "[{\"Id\":\"a\",\"CreateTime\":\"2025-01-01 00:00:00\"},\n"
               "{\"Id\":7,\"CreateTime\":\"2025-01-01 00:00:00\"}]");
    assert_null(loaded(dir, err, sizeof(err)));
    assert_string_equal(err, "record 1: needs a string Id");
    write_file(dir, "records.json", "[{\"Id\":\"a\",\"CreateTime\":\"2025-01-01 00:00\"}]");
    assert_null(loaded(dir, err, sizeof(err)));
    assert_string_equal(err, "record a: CreateTime is not \"YYYY-MM-DD HH:MM:SS\"");
    write_file(dir, "records.json", "[{\"Id\":\"a\",\"CreateTime\":\"2025-01-01 00:00:00\"},");
    assert_null(loaded(dir, err, sizeof(err)));
    assert_non_null(strstr(err, "invalid JSON near byte"));

    remove_files(dir);
    free(compact);
    cJSON_Delete(records);
}

/* ---- filters: the indexes answer what a scan answers ---- */

/* The query's answer for params (name=value strings, NULL-terminated); caller frees. */
static char *answer(const struct aliyun_state *st, const char *const *params, bool xml)
{
    struct aliyun_param items[16];
    size_t n = 0;
    char copies[16][64];
    items[n++] = (struct aliyun_param){"InstanceId", "ccc_xp_pre-cn-demo001"};
    for (size_t i = 0; params[i]; i++, n++) {
        snprintf(copies[i], sizeof(copies[i]), "%s", params[i]);
        char *eq = strchr(copies[i], '=');
        assert_non_null(eq);
        *eq = '\0';
        items[n] = (struct aliyun_param){copies[i], eq + 1};
    }
    struct aliyun_params p = {.items = items, .count = n, .query_count = n};
    struct aliyun_reply reply = {.format = xml ? ALIYUN_XML : ALIYUN_JSON,
                                 .action = ALIYUN_ACTION,
                                 .request_id = "00000000-0000-0000-0000-000000000000"};
    struct mock_response resp;
    mock_response_init(&resp);
    aliyun_hotline_session_query(st, &p, &reply, &resp);
    assert_int_equal(resp.status, 200);
    char *body = strndup(resp.body, resp.body_len);
    mock_response_free(&resp);
    return body;
}

static void indexes_answer_as_a_scan(void **state)
{
    (void)state;
    struct aliyun_state st;
    memset(&st, 0, sizeof(st));
    struct mock_vendor_load load = {.data_dir = FIXTURES_DIR "/aliyun",
                                    .generate_count = 4000,
                                    .seed = 3,
                                    .anchor = 1746057600};
    char err[128] = "";
    assert_true(aliyun_load_dataset(&st, &load, err, sizeof(err)));
    assert_true(st.indexed);
    static const char *const cases[][5] = {
        {"CallType=3", NULL},
        {"CallType=2", "PageNo=7", "PageSize=13", NULL},
        {"CallTypeList.1=1", "CallTypeList.2=3", "PageNo=40", NULL},
        {"GroupId=100202", "PageSize=100", NULL},
        {"GroupIdList.1=100203", "GroupIdList.2=123456", "GroupId=123456", NULL},
        {"ServicerId=600105", "QueryStartTime=1735689600000", NULL},
        {"ServicerIdList.1=600105", "ServicerIdList.2=600101", "PageNo=3", NULL},
        {"CallResultList.1=queueClose", "CallResultList.2=normal", "PageNo=9", NULL},
        {"CallResult=dailing", "QueryEndTime=1740000000", NULL},
        {"GroupName=售后服务", "MemberName=匿名会员", NULL},
        {"ServicerName=王芳", "PageNo=2", NULL},
        {"CallingNumber=057177880001", "CallType=1", "PageNo=2", NULL},
        {"CalledNumberList.1=057177880002", "CallType=7", NULL},
        {"MemberId=nobody", NULL},
        {"CallType=2", "PageNo=100000", NULL},
        {"CallType=2", "QueryStartTime=1740000000000", "QueryEndTime=1740000000000", NULL},
    };
    for (int order = 0; order < 2; order++) {
        for (int swapped = 0; swapped < 2; swapped++) {
            st.oldest_first = order;
            st.numbers_swapped = swapped;
            for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
                st.indexed = true;
                char *indexed = answer(&st, cases[i], i % 5 == 4);
                st.indexed = false;
                char *scanned = answer(&st, cases[i], i % 5 == 4);
                assert_string_equal(indexed, scanned);
                free(indexed);
                free(scanned);
            }
        }
    }
    st.indexed = true;
    char *some = answer(&st, (const char *const[]){"CallType=3", NULL}, false);
    assert_null(strstr(some, "\"TotalCount\":0,")); /* the cases above found records */
    free(some);
    aliyun_free_dataset(&st);
}

/* The Id and Acid filters from their tables answer what a scan answers: real ids at both ends of
 * the store and inside, lists naming one Acid twice, ids with other filters and time windows that
 * leave them out, ids nobody has; in both orders. */
static void id_tables_answer_as_a_scan(void **state)
{
    (void)state;
    struct aliyun_state st;
    memset(&st, 0, sizeof(st));
    struct mock_vendor_load load = {.data_dir = FIXTURES_DIR "/aliyun",
                                    .generate_count = 4000,
                                    .seed = 5,
                                    .anchor = 1746057600};
    char err[128] = "";
    assert_true(aliyun_load_dataset(&st, &load, err, sizeof(err)));
    assert_int_equal(st.records.count, 4000);
    const size_t picks[] = {0, 1, 1234, 2500, 3999};
    char cases[ARRAY_LEN(picks) * 6][5][64];
    size_t n = 0;
    for (size_t i = 0; i < ARRAY_LEN(picks); i++) {
        const struct aliyun_attrs *a = st.records.entries[picks[i]].attrs;
        const struct aliyun_attrs *b = st.records.entries[(picks[i] + 7) % 4000].attrs;
        snprintf(cases[n][0], 64, "Id=%s", a->id);
        cases[n++][1][0] = '\0';
        snprintf(cases[n][0], 64, "Acid=%s", a->acid);
        snprintf(cases[n][1], 64, "QueryStartTime=1");
        cases[n++][2][0] = '\0';
        snprintf(cases[n][0], 64, "AcidList.1=%s", a->acid);
        snprintf(cases[n][1], 64, "AcidList.2=%s", b->acid);
        snprintf(cases[n][2], 64, "AcidList.3=%s", a->acid);
        snprintf(cases[n][3], 64, "PageSize=1");
        cases[n++][4][0] = '\0';
        snprintf(cases[n][0], 64, "Id=%s", a->id);
        snprintf(cases[n][1], 64, "CallType=%lld", (long long)(a->call_type % 3 + 1));
        cases[n++][2][0] = '\0';
        snprintf(cases[n][0], 64, "Id=%s", a->id);
        snprintf(cases[n][1], 64, "Acid=%s", b->acid);
        cases[n++][2][0] = '\0';
        snprintf(cases[n][0], 64, "Acid=%s", a->acid);
        snprintf(cases[n][1], 64, "QueryEndTime=%lld000", (long long)st.records.entries[1].start);
        cases[n++][2][0] = '\0';
    }
    const char *const none[] = {"Id=nobody", NULL};
    struct aliyun_key_table saved = st.keys[ALIYUN_KEY_ID];
    for (int order = 0; order < 2; order++) {
        st.oldest_first = order;
        for (size_t i = 0; i <= n; i++) {
            const char *params[6] = {NULL};
            for (size_t k = 0; i < n && k < 5 && cases[i][k][0]; k++)
                params[k] = cases[i][k];
            const char *const *asked = i < n ? params : none;
            st.keys[ALIYUN_KEY_ID] = saved;
            char *looked_up = answer(&st, asked, i % 4 == 3);
            st.keys[ALIYUN_KEY_ID].slots = NULL; /* the tables' absence: a scan */
            char *scanned = answer(&st, asked, i % 4 == 3);
            assert_string_equal(looked_up, scanned);
            if (i % 6 == 0 && i < n) /* an Id alone finds its record */
                assert_non_null(strstr(looked_up, "\"TotalCount\":1,"));
            free(looked_up);
            free(scanned);
        }
    }
    st.keys[ALIYUN_KEY_ID] = saved;
    const struct aliyun_attrs *last = st.records.entries[3999].attrs;
    assert_ptr_equal(aliyun_find_acid(&st, last->acid), last);
    assert_null(aliyun_find_acid(&st, "0"));
    aliyun_free_dataset(&st);
}

/* Records added at run time: an Id already in the store, or twice in one batch, refuses the whole
 * batch; a new one goes in and is found by its Id and Acid. */
static void added_ids_are_checked_and_found(void **state)
{
    (void)state;
    struct aliyun_state st;
    memset(&st, 0, sizeof(st));
    struct mock_vendor_load load = {
        .data_dir = FIXTURES_DIR "/aliyun", .generate_count = 300, .seed = 2, .anchor = 1746057600};
    char err[160] = "";
    assert_true(aliyun_load_dataset(&st, &load, err, sizeof(err)));
    const struct aliyun_attrs *old = st.records.entries[150].attrs;
    char text[512];
    snprintf(text, sizeof(text),
             "[{\"Id\":\"fresh-1\",\"Acid\":\"777\",\"CreateTime\":\"2025-03-01 10:00:00\"},"
             "{\"Id\":\"%s\",\"CreateTime\":\"2025-03-01 10:00:00\"}]",
             old->id);
    cJSON *taken = cJSON_Parse(text);
    assert_false(aliyun_control.records_add(&st, taken, err, sizeof(err)));
    char want[160];
    snprintf(want, sizeof(want), "records[1].Id: %s is already in the store", old->id);
    assert_string_equal(err, want);
    assert_int_equal(st.records.count, 300);
    cJSON *twice = cJSON_Parse("[{\"Id\":\"fresh-1\",\"CreateTime\":\"2025-03-01 10:00:00\"},"
                               "{\"Id\":\"fresh-1\",\"CreateTime\":\"2025-03-01 11:00:00\"}]");
    assert_false(aliyun_control.records_add(&st, twice, err, sizeof(err)));
    assert_string_equal(err, "records[1].Id: fresh-1 is already in the store");
    assert_int_equal(st.records.count, 300);
    cJSON *fresh = cJSON_Parse(
        "[{\"Id\":\"fresh-1\",\"Acid\":\"777\",\"CreateTime\":\"2025-03-01 10:00:00\"}]");
    assert_true(aliyun_control.records_add(&st, fresh, err, sizeof(err)));
    assert_int_equal(st.records.count, 301);
    const struct aliyun_attrs *added = aliyun_find_acid(&st, "777");
    assert_non_null(added);
    assert_string_equal(added->id, "fresh-1");
    char *page = answer(&st, (const char *const[]){"Id=fresh-1", NULL}, false);
    assert_non_null(strstr(page, "\"TotalCount\":1,"));
    free(page);
    assert_false(aliyun_control.records_add(&st, fresh, err, sizeof(err)));
    assert_string_equal(err, "records[0].Id: fresh-1 is already in the store");
    cJSON_Delete(taken);
    cJSON_Delete(twice);
    cJSON_Delete(fresh);
    aliyun_free_dataset(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(generated_text_is_what_cjson_prints),
        cmocka_unit_test(xml_from_text_matches_the_tree),
        cmocka_unit_test(fixture_layouts_load_alike),
        cmocka_unit_test(indexes_answer_as_a_scan),
        cmocka_unit_test(id_tables_answer_as_a_scan),
        cmocka_unit_test(added_ids_are_checked_and_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
