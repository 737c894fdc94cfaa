/* Exact values from every paged vendor's answer, through the descriptor's parse: a string holding
 * "\u0000" keeps every byte in the normalized record, its raw JSON and the JSON line; invalid
 * UTF-8 is refused with malformed_response naming the member (the library's choice: never copied
 * through, never replaced), while every valid form, raw or escaped, comes through byte for byte;
 * integers beyond 2^53 keep their digits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/vendor.h"
#include "testutil.h"

/* The member names of each vendor's record, and a page around one record. */
struct shape {
    const char *vendor;
    const char *id, *agent;
    const char *head, *tail; /* the page before and after the record's members */
    const char *path;        /* where the record sits, as an error names it */
};

static const struct shape shapes[] = {
    {"itnio", "keyId", "seatName",
     "{\"status\":0,\"reason\":\"success\",\"data\":{\"total\":1,\"size\":10,\"current\":1,"
     "\"pages\":1,\"records\":[{",
     "}]}}", "data.records[0]"},
    {"yunfu", "id", "bridge_number",
     "{\"code\":200,\"status\":\"success\",\"message\":\"ok\",\"meta\":{\"total\":1,"
     "\"last_page\":1,\"current_page\":1,\"per_page\":10},\"data\":[{\"answerdate\":"
     "\"2022-09-29 15:09:05\",",
     "}]}", "data[0]"},
    {"aliyun", "Id", "ServicerName",
     "{\"RequestId\":\"r\",\"Code\":\"Success\",\"Success\":true,\"Data\":{\"PageSize\":10,"
     "\"PageNumber\":1,\"TotalCount\":1,\"CallDetailRecord\":[{",
     "}]}}", "Data.CallDetailRecord[0]"},
};

/* A page of the vendor holding one record with these id and agent values (JSON text). */
static char *page_with(const struct shape *s, const char *id, const char *agent)
{
    return test_format("%s\"%s\":%s,\"%s\":%s%s", s->head, s->id, id, s->agent, agent, s->tail);
}

static cdr_error parse(const struct shape *s, const char *body, struct cdr_page *page,
                       struct cdr_error_info *err)
{
    return cdr_vendor_parse(cdr_vendor_find(s->vendor), body, strlen(body), 200, page, err);
}

static void expect_contains(const char *text, const char *part)
{
    if (!text || !strstr(text, part))
        fail_msg("\"%s\" does not contain \"%s\"", text ? text : "(null)", part);
}

/* ---- NUL ------------------------------------------------------------------------------------- */

static void test_nul_and_big_ids_keep_every_byte(void **state)
{
    (void)state;
    static const char agent_bytes[] = "\xe5\x9d\x90\xe5\xb8\xad\0x"; /* 坐席 NUL x */
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        const struct shape *s = &shapes[i];
        char *body = page_with(s, "1180591620717411303424", "\"坐席\\u0000x\"");
        struct cdr_page page;
        struct cdr_error_info err;
        if (parse(s, body, &page, &err) != CDR_OK)
            fail_msg("%s: %s", s->vendor, err.message);
        assert_int_equal(page.record_count, 1);
        const struct cdr_record *r = &page.records[0];
        /* 2^70 with every digit, not 1.1805916207174113e+21. */
        assert_string_equal(r->id, "1180591620717411303424");
        assert_int_equal(cdr_record_text_len(r->id, r->len.id), 22);
        assert_int_equal(r->len.agent, 8);
        assert_memory_equal(r->agent, agent_bytes, 8);
        char *raw = test_format("\"%s\":1180591620717411303424", s->id);
        expect_contains(r->raw_json, raw);
        free(raw);
        raw = test_format("\"%s\":\"坐席\\u0000x\"", s->agent);
        expect_contains(r->raw_json, raw);
        free(raw);
        char *line = cdr_record_to_json(r, 1);
        expect_contains(line, "\"id\":\"1180591620717411303424\"");
        expect_contains(line, "\"agent\":\"坐席\\u0000x\"");
        free(line);
        cdr_page_free(&page);
        free(body);
    }
}

/* ---- UTF-8 ----------------------------------------------------------------------------------- */

static void test_invalid_utf8_is_refused_naming_the_member(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        const struct shape *s = &shapes[i];
        char *body = page_with(s, "\"r1\"", "\"ab\xff\"");
        struct cdr_page page;
        struct cdr_error_info err;
        assert_int_equal(parse(s, body, &page, &err), CDR_ERR_MALFORMED_RESPONSE);
        assert_int_equal(page.record_count, 0);
        char *want = test_format("%s.%s is not valid UTF-8 (byte 0xff at offset %zu)", s->path,
                                 s->agent, (size_t)(strchr(body, '\xff') - body));
        assert_string_equal(err.message, want);
        free(want);
        free(body);

        /* In a member's name. */
        body = test_format("%s\"%s\":\"r1\",\"x\xfe\":1%s", s->head, s->id, s->tail);
        assert_int_equal(parse(s, body, &page, &err), CDR_ERR_MALFORMED_RESPONSE);
        want = test_format("%s: a member name is not valid UTF-8 (byte 0xfe at offset %zu)",
                           s->path, (size_t)(strchr(body, '\xfe') - body));
        assert_string_equal(err.message, want);
        free(want);
        free(body);
    }
}

static void test_every_invalid_form(void **state)
{
    (void)state;
    static const char *const invalid[] = {
        "\x80",                 /* a continuation byte alone */
        "\xc0\xaf",             /* overlong '/' */
        "\xe0\x80\xaf",         /* overlong, three bytes */
        "\xed\xa0\x80",         /* a UTF-16 surrogate, encoded */
        "\xf4\x90\x80\x80",     /* above U+10FFFF */
        "\xf8\x88\x80\x80\x80", /* five bytes */
        "\xe5\x9d",             /* cut short */
        "\xc3(",                /* a lead byte without its continuation */
    };
    for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
        char *agent = test_format("\"%s\"", invalid[i]);
        char *body = page_with(&shapes[0], "1", agent);
        struct cdr_page page;
        struct cdr_error_info err;
        if (parse(&shapes[0], body, &page, &err) != CDR_ERR_MALFORMED_RESPONSE)
            fail_msg("case %zu was accepted", i);
        expect_contains(err.message, "data.records[0].seatName is not valid UTF-8");
        free(body);
        free(agent);
    }
}

/* The other direction: every valid form, raw or escaped, comes through as the same bytes. */
static void test_valid_text_comes_through_byte_for_byte(void **state)
{
    (void)state;
    static const char want[] = "\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80 \"q\" \\"; /* é中😀 "q" \ */
    static const char *const forms[] = {
        "\"é中😀 \\\"q\\\" \\\\\"",
        "\"\\u00e9\\u4e2d\\ud83d\\ude00 \\u0022q\\u0022 \\u005c\"",
    };
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        for (size_t f = 0; f < 2; f++) {
            char *body = page_with(&shapes[i], "\"r1\"", forms[f]);
            struct cdr_page page;
            struct cdr_error_info err;
            if (parse(&shapes[i], body, &page, &err) != CDR_OK)
                fail_msg("%s, form %zu: %s", shapes[i].vendor, f, err.message);
            const struct cdr_record *r = &page.records[0];
            assert_int_equal(r->len.agent, strlen(want));
            assert_string_equal(r->agent, want);
            char *line = cdr_record_to_json(r, 0);
            expect_contains(line, "\"agent\":\"é中😀 \\\"q\\\" \\\\\"");
            free(line);
            cdr_page_free(&page);
            free(body);
        }
    }
}

/* ---- numbers and the rest ---------------------------------------------------------------------
 */

static void test_numbers_keep_their_text(void **state)
{
    (void)state;
    /* 2^53 + 1 as an id and as the total; a decimal kept as written in the raw record. */
    char *body = test_format(
        "{\"status\":0,\"reason\":\"success\",\"data\":{\"total\":9007199254740993,\"size\":10,"
        "\"current\":1,\"pages\":1,\"records\":[{\"keyId\":9007199254740993,\"rate\":1.50,"
        "\"small\":-0.000001,\"callDuration\":47}]}}");
    struct cdr_page page;
    struct cdr_error_info err;
    assert_int_equal(parse(&shapes[0], body, &page, &err), CDR_OK);
    assert_int_equal(page.total, 9007199254740993LL);
    expect_contains(page.paging_json, "\"total\":9007199254740993");
    assert_string_equal(page.records[0].id, "9007199254740993");
    assert_int_equal(page.records[0].talk_seconds, 47);
    assert_string_equal(page.records[0].raw_json,
                        "{\"keyId\":9007199254740993,\"rate\":1.50,\"small\":-0.000001,"
                        "\"callDuration\":47}");
    cdr_page_free(&page);
    free(body);
}

static void test_a_nul_where_it_cannot_be(void **state)
{
    (void)state;
    static const struct {
        const char *members, *message;
    } cases[] = {
        /* A time with something hidden after a NUL is no time. */
        {"\"keyId\":1,\"callStartTime\":\"2025-01-03 16:10:39\\u0000junk\"",
         "record 1: callStartTime is not a time"},
        /* No URL holds a NUL byte. */
        {"\"keyId\":1,\"voiceUrlList\":[\"a.wav\\u0000.exe\"]",
         "record 1: voiceUrlList holds a NUL byte, which no URL can"},
        {"\"keyId\":1,\"voiceUrl\":\"a.wav\\u0000\"",
         "record 1: voiceUrl holds a NUL byte, which no URL can"},
        /* A number in a string, cut by a NUL, is not that number. */
        {"\"keyId\":1,\"callType\":\"2\\u00009\"", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *body = test_format("%s%s%s", shapes[0].head, cases[i].members, shapes[0].tail);
        struct cdr_page page;
        struct cdr_error_info err;
        cdr_error rc = parse(&shapes[0], body, &page, &err);
        if (cases[i].message) {
            assert_int_equal(rc, CDR_ERR_MALFORMED_RESPONSE);
            assert_string_equal(err.message, cases[i].message);
        } else {
            assert_int_equal(rc, CDR_OK);
            assert_int_equal(page.records[0].direction, CDR_DIRECTION_UNKNOWN);
            cdr_page_free(&page);
        }
        free(body);
    }
}

/* A record's members are found as cJSON finds them, all in one walk: the first of a name, a name
 * compared after its escapes are decoded and only up to a NUL it holds. */
static void test_member_names_as_cjson_compares_them(void **state)
{
    (void)state;
    static const struct {
        const char *members, *caller, *agent;
    } cases[] = {
        {"\"keyId\":1,\"caller\":\"first\",\"caller\":\"second\"", "first", NULL},
        {"\"keyId\":1,\"call\\u0065r\":\"escaped\",\"caller\":\"plain\"", "escaped", NULL},
        {"\"keyId\":1,\"caller\\u0000tail\":\"cut\",\"caller\":\"plain\"", "cut", NULL},
        {"\"keyId\":1,\"seatNameX\":\"no\",\"seatNam\":\"no\",\"seatName\":\"yes\"", NULL, "yes"},
        {"\"\":\"empty\",\"s\\u0065atName\":\"e\",\"keyId\":1,\"seatName\":\"p\"", NULL, "e"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *body = test_format("%s%s%s", shapes[0].head, cases[i].members, shapes[0].tail);
        struct cdr_page page;
        struct cdr_error_info err;
        assert_int_equal(parse(&shapes[0], body, &page, &err), CDR_OK);
        assert_string_equal(page.records[0].id, "1");
        if (cases[i].caller)
            assert_string_equal(page.records[0].caller, cases[i].caller);
        if (cases[i].agent)
            assert_string_equal(page.records[0].agent, cases[i].agent);
        cdr_page_free(&page);
        free(body);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nul_and_big_ids_keep_every_byte),
        cmocka_unit_test(test_invalid_utf8_is_refused_naming_the_member),
        cmocka_unit_test(test_every_invalid_form),
        cmocka_unit_test(test_valid_text_comes_through_byte_for_byte),
        cmocka_unit_test(test_numbers_keep_their_text),
        cmocka_unit_test(test_a_nul_where_it_cannot_be),
        cmocka_unit_test(test_member_names_as_cjson_compares_them),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
