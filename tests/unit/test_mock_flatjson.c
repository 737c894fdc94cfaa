/* The flat JSON reader (mockserver/flatjson.c): which objects it reads from their text (exactly
 * those cJSON prints back byte for byte), the members it reports, and the array walk that hands
 * everything else to the tree parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>
#include <cmocka.h>

#include "flatjson.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct seen {
    char text[1024]; /* key=value;... with s: or i: before each value */
    size_t len;
    int stop_at; /* give up at this member (counting from 1), 0: never */
    int count;
};

static bool record(void *ctx, const struct mock_flat_member *m)
{
    struct seen *s = ctx;
    s->count++;
    if (s->stop_at == s->count)
        return false;
    s->len +=
        (size_t)snprintf(s->text + s->len, sizeof(s->text) - s->len, "%.*s=%s%.*s;",
                         (int)m->key_len, m->key, m->is_string ? "s:" : "i:", (int)m->len, m->text);
    if (!m->is_string) {
        char digits[24];
        snprintf(digits, sizeof(digits), "%lld", (long long)m->integer);
        assert_int_equal(strlen(digits), m->len);
        assert_memory_equal(digits, m->text, m->len);
    }
    return true;
}

static size_t read_flat(const char *text, struct seen *s)
{
    memset(s, 0, sizeof(*s));
    return mock_flat_object(text, strlen(text), record, s);
}

/* What cJSON prints for text, for comparing with the reader's verdict. */
static char *printed(const char *text)
{
    cJSON *tree = cJSON_Parse(text);
    assert_non_null(tree);
    char *out = cJSON_PrintUnformatted(tree);
    cJSON_Delete(tree);
    assert_non_null(out);
    return out;
}

static void reads_compact_objects(void **state)
{
    (void)state;
    static const char *const flat[] = {
        "{}",
        "{\"a\":1}",
        "{\"Id\":\"acc1\",\"CallType\":2,\"GroupId\":-123456789012345,\"Name\":\"刘测试\"}",
        "{\"long\":\"0123456789abcdefghijklmnopqrstuvwxyz 0123456789\",\"z\":0}",
        "{\"\":\"\",\"dup\":1,\"dup\":\"2\"}",
        "{\"k\":\"<&>'\"}",
    };
    for (size_t i = 0; i < ARRAY_LEN(flat); i++) {
        struct seen s;
        assert_int_equal(read_flat(flat[i], &s), strlen(flat[i]));
        char *again = printed(flat[i]);
        assert_string_equal(again, flat[i]); /* only what cJSON prints back the same */
        free(again);
    }
    struct seen s;
    const char *text = "{\"Id\":\"acc1\",\"N\":-42,\"E\":\"\"}trailing";
    assert_int_equal(read_flat(text, &s), strlen(text) - strlen("trailing"));
    assert_string_equal(s.text, "Id=s:acc1;N=i:-42;E=s:;");
}

static void leaves_other_forms_to_the_tree(void **state)
{
    (void)state;
    static const char *const other[] = {
        "{ \"a\":1}",
        "{\"a\": 1}",
        "{\"a\":1 }",
        "{\"a\":\"x\\\"y\"}",
        "{\"a\":\"\\u00e9\"}",
        "{\"a\\n\":1}",
        "{\"a\":\"tab\there\"}",
        "{\"a\":\"a long string with a \\\\ late in it\"}",
        "{\"a\":\"a long string with a control \x01 late in it\"}",
        "{\"a\":1.5}",
        "{\"a\":1e3}",
        "{\"a\":1E3}",
        "{\"a\":-0}",
        "{\"a\":007}",
        "{\"a\":1234567890123456}",
        "{\"a\":null}",
        "{\"a\":true}",
        "{\"a\":[1]}",
        "{\"a\":{\"b\":1}}",
        "{\"a\":1,}",
        "{\"a\":1",
        "{\"a\":\"open",
        "[1]",
        "",
    };
    for (size_t i = 0; i < ARRAY_LEN(other); i++) {
        struct seen s;
        size_t used = read_flat(other[i], &s);
        if (used) /* make the failing case visible */
            fail_msg("read as flat: %s", other[i]);
    }
    struct seen s = {.stop_at = 2};
    const char *text = "{\"a\":1,\"b\":2,\"c\":3}";
    assert_int_equal(mock_flat_object(text, strlen(text), record, &s), 0);
    assert_int_equal(s.count, 2);
}

/* Every position of a quote, backslash and control byte within the word-at-a-time scan. */
static void stops_at_every_position(void **state)
{
    (void)state;
    for (size_t at = 0; at < 24; at++) {
        static const char stops[] = {'\\', '\x1f', '\n'};
        for (size_t k = 0; k < ARRAY_LEN(stops); k++) {
            char text[64] = "{\"k\":\"";
            size_t n = strlen(text);
            for (size_t i = 0; i < 24; i++)
                text[n + i] = i == at ? stops[k] : (char)(i % 2 ? 'x' : (char)0xE5);
            strcpy(text + n + 24, "\"}");
            struct seen s;
            assert_int_equal(read_flat(text, &s), 0);
        }
        char text[64] = "{\"k\":\"";
        size_t n = strlen(text);
        memset(text + n, 'y', at);
        strcpy(text + n + at, "\",\"m\":7}");
        struct seen s;
        assert_int_equal(read_flat(text, &s), strlen(text));
        assert_int_equal(s.count, 2);
    }
}

/* ---- arrays from files ---- */

struct loaded {
    char log[2048];
    size_t len;
    const char *fail_on; /* the first key (quoted) of an element that fails the load */
};

static bool text_member(void *ctx, const struct mock_flat_member *m)
{
    (void)m;
    (void)ctx;
    return true;
}

static bool on_text(void *user, const char *text, size_t len, size_t *used, char *err,
                    size_t err_len)
{
    struct loaded *l = user;
    *used = mock_flat_object(text, len, text_member, NULL);
    if (*used) {
        /* fail_on names the element's first key */
        if (l->fail_on && *used > strlen(l->fail_on) &&
            memcmp(text + 1, l->fail_on, strlen(l->fail_on)) == 0) {
            snprintf(err, err_len, "refused");
            return false;
        }
        l->len += (size_t)snprintf(l->log + l->len, sizeof(l->log) - l->len, "text %.*s\n",
                                   (int)*used, text);
    }
    return true;
}

static bool on_tree(void *user, const cJSON *item, char *err, size_t err_len)
{
    (void)err;
    (void)err_len;
    struct loaded *l = user;
    char *json = cJSON_PrintUnformatted(item);
    assert_non_null(json);
    l->len += (size_t)snprintf(l->log + l->len, sizeof(l->log) - l->len, "tree %s\n", json);
    free(json);
    return true;
}

static enum mock_flat_result load(const char *content, struct loaded *l)
{
    char dir[] = "/tmp/test_flatjson_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof(path), "%s/records.json", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
    const char *fail_on = l->fail_on;
    memset(l, 0, sizeof(*l));
    l->fail_on = fail_on;
    struct mock_flat_reader reader = {.text = on_text, .tree = on_tree, .user = l};
    char err[128] = "";
    enum mock_flat_result r = mock_flat_load_array(dir, "records.json", &reader, err, sizeof(err));
    if (r == MOCK_FLAT_FAILED)
        assert_string_equal(err, "refused");
    unlink(path);
    rmdir(dir);
    return r;
}

static void walks_arrays(void **state)
{
    (void)state;
    struct loaded l = {0};
    assert_int_equal(load("[\n{\"a\":1},\n{ \"b\" : 2 },\n[3],\n\"x\"\n]\n", &l), MOCK_FLAT_LOADED);
    assert_string_equal(l.log, "text {\"a\":1}\ntree {\"b\":2}\ntree [3]\ntree \"x\"\n");
    assert_int_equal(load(" [ ] ", &l), MOCK_FLAT_LOADED);
    assert_string_equal(l.log, "");
    assert_int_equal(load("[{\"a\":1}] anything after the array", &l), MOCK_FLAT_LOADED);
    static const char *const broken[] = {"{\"a\":1}",     "[{\"a\":1},]",          "[{\"a\":1}",
                                         "[{\"a\":}]",    "[{\"a\":1} {\"b\":2}]", "",
                                         "\xEF\xBB\xBF[]"};
    for (size_t i = 0; i < ARRAY_LEN(broken); i++)
        assert_int_equal(load(broken[i], &l), MOCK_FLAT_UNREADABLE);
    l.fail_on = "\"no\"";
    assert_int_equal(load("[{\"a\":1},{\"no\":2},{\"c\":3}]", &l), MOCK_FLAT_FAILED);
    assert_string_equal(l.log, "text {\"a\":1}\n");
    struct mock_flat_reader reader = {.text = on_text, .tree = on_tree, .user = &l};
    char err[128];
    assert_int_equal(
        mock_flat_load_array("/nonexistent-dir", "records.json", &reader, err, sizeof(err)),
        MOCK_FLAT_UNREADABLE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_compact_objects),
        cmocka_unit_test(leaves_other_forms_to_the_tree),
        cmocka_unit_test(stops_at_every_position),
        cmocka_unit_test(walks_arrays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
