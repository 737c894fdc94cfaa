/* The HTTP layer's text handling, in-process: the query string split and decoded as
 * libmicrohttpd did it (mock_query_parse), the Date header's IMF-fixdate, and the request log's
 * lines (whole lines from concurrent writers, both formats, control bytes neutralized). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdrsim/timefmt.h"
#include "http_date.h"
#include "log.h"
#include "request.h"

/* ---- query strings ------------------------------------------------------------------------- */

/* raw parses into exactly the pairs of want ("name", "value", ..., NULL). */
static void expect_query(const char *raw, const char *const *want)
{
    struct mock_query q;
    assert_true(mock_query_parse(raw, strlen(raw), &q));
    size_t n = 0;
    while (want[2 * n])
        n++;
    if (q.count != n)
        fail_msg("%s: %zu pairs, want %zu", raw, q.count, n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(q.items[i].name, want[2 * i]);
        assert_string_equal(q.items[i].value, want[2 * i + 1]);
    }
    mock_query_free(&q);
}

static void test_query_pairs(void **state)
{
    (void)state;
    expect_query("", (const char *const[]){NULL});
    expect_query("a=1&b=2", (const char *const[]){"a", "1", "b", "2", NULL});
    /* Duplicates kept in order; a name without '=' has the value "". */
    expect_query("a=1&a=2&flag", (const char *const[]){"a", "1", "a", "2", "flag", "", NULL});
    /* Only the first '=' splits. */
    expect_query("a=b=c", (const char *const[]){"a", "b=c", NULL});
    /* An empty last pair is dropped; other empty pairs are kept with an empty name. */
    expect_query("a=1&", (const char *const[]){"a", "1", NULL});
    expect_query("a&&b", (const char *const[]){"a", "", "", "", "b", "", NULL});
    expect_query("&", (const char *const[]){"", "", NULL});
    expect_query("=v", (const char *const[]){"", "v", NULL});
}

static void test_query_decoding(void **state)
{
    (void)state;
    expect_query("a+b=c+d", (const char *const[]){"a b", "c d", NULL});
    expect_query("k%3D=%26v%2b", (const char *const[]){"k=", "&v+", NULL});
    expect_query("levels%5B0%5D%5B%5D=100", (const char *const[]){"levels[0][]", "100", NULL});
    /* UTF-8 decoded byte for byte. */
    expect_query("q=%E4%BA%91", (const char *const[]){"q", "\xe4\xba\x91", NULL});
    /* Malformed escapes stay as they are. */
    expect_query("a=%zz&b=%4&c=%", (const char *const[]){"a", "%zz", "b", "%4", "c", "%", NULL});
    /* A decoded NUL ends the string, as it did. */
    expect_query("a%00b=x%00y", (const char *const[]){"a", "x", NULL});
}

static void test_query_a_thousand_parameters(void **state)
{
    (void)state;
    char raw[16384] = "";
    size_t len = 0;
    for (int i = 0; i < 1000; i++)
        len += (size_t)snprintf(raw + len, sizeof(raw) - len, "%sp%d=v%%20%d", i ? "&" : "", i, i);
    struct mock_query q;
    assert_true(mock_query_parse(raw, len, &q));
    assert_int_equal(q.count, 1000);
    char name[16], value[16];
    for (int i = 0; i < 1000; i++) {
        snprintf(name, sizeof(name), "p%d", i);
        snprintf(value, sizeof(value), "v %d", i);
        assert_string_equal(q.items[i].name, name);
        assert_string_equal(q.items[i].value, value);
    }
    mock_query_free(&q);
}

/* ---- the Date header ---------------------------------------------------------------------- */

static void expect_date(const char *rfc3339, const char *want)
{
    int64_t ms;
    assert_true(cdr_time_parse_rfc3339_ms(rfc3339, &ms));
    char out[MOCK_HTTP_DATE_LEN + 1];
    mock_http_date(ms / 1000, out);
    assert_string_equal(out, want);
}

static void test_http_date(void **state)
{
    (void)state;
    expect_date("1970-01-01T00:00:00Z", "Thu, 01 Jan 1970 00:00:00 GMT");
    /* RFC 9110's own example. */
    expect_date("1994-11-06T08:49:37Z", "Sun, 06 Nov 1994 08:49:37 GMT");
    expect_date("2021-09-01T04:00:00Z", "Wed, 01 Sep 2021 04:00:00 GMT");
    expect_date("2024-02-29T23:59:59Z", "Thu, 29 Feb 2024 23:59:59 GMT");
    expect_date("2025-01-03T16:10:39+08:00", "Fri, 03 Jan 2025 08:10:39 GMT");
    expect_date("9999-12-31T23:59:59Z", "Fri, 31 Dec 9999 23:59:59 GMT");
}

/* ---- the request log ----------------------------------------------------------------------- */

struct pipe_log {
    int fds[2];
    char *text; /* everything written, after close */
    size_t len;
};

static void *drain(void *arg)
{
    struct pipe_log *p = arg;
    size_t cap = 1 << 16;
    p->text = malloc(cap);
    for (;;) {
        if (p->len + 4096 > cap)
            p->text = realloc(p->text, cap *= 2);
        ssize_t n = read(p->fds[0], p->text + p->len, cap - p->len - 1);
        if (n <= 0)
            break;
        p->len += (size_t)n;
    }
    p->text[p->len] = '\0';
    return NULL;
}

static struct mock_request request(const char *method, const char *path)
{
    return (struct mock_request){.method = method, .path = path, .body = ""};
}

static struct mock_response response(int status, const char *vendor, const char *code)
{
    struct mock_response resp;
    mock_response_init(&resp);
    resp.status = status;
    resp.vendor = vendor;
    snprintf(resp.vendor_code, sizeof(resp.vendor_code), "%s", code);
    return resp;
}

/* The text after the timestamp of each line. */
static void expect_lines(const char *text, const char *const *want)
{
    const char *line = text;
    size_t i = 0;
    for (; want[i]; i++) {
        const char *end = strchr(line, '\n');
        assert_non_null(end);
        /* "2025-01-03T08:10:39.973Z " in text, "{"ts":"...","method"" in JSON. */
        const char *rest = line[0] == '{' ? strstr(line, "\"method\"") : line + 25;
        assert_non_null(rest);
        char got[512];
        snprintf(got, sizeof(got), "%.*s", (int)(end - rest), rest);
        assert_string_equal(got, want[i]);
        line = end + 1;
    }
    assert_string_equal(line, "");
}

static void test_log_formats(void **state)
{
    (void)state;
    struct pipe_log p = {0};
    assert_int_equal(pipe(p.fds), 0);
    pthread_t reader;
    pthread_create(&reader, NULL, drain, &p);
    struct mock_log *text = mock_log_open(p.fds[1], MOCK_LOG_TEXT);
    assert_non_null(text);
    struct mock_request req = request("POST", "/v3/cc/record/query");
    struct mock_response resp = response(200, "itnio", "-22");
    mock_log_request(text, &req, &resp, 2);
    req = request("GET", "/x\n2025-01-01T00:00:00.000Z GET /forged\x7f");
    resp = response(404, NULL, "");
    mock_log_request(text, &req, &resp, 5006);
    mock_log_close(text);
    struct mock_log *json = mock_log_open(p.fds[1], MOCK_LOG_JSON);
    req = request("GET", "/a\"b");
    resp = response(200, "yunfu", "1002");
    mock_log_request(json, &req, &resp, 1234567);
    mock_log_close(json);
    assert_null(mock_log_open(p.fds[1], MOCK_LOG_OFF));
    mock_log_request(NULL, &req, &resp, 1); /* a NULL log takes nothing */
    close(p.fds[1]);
    pthread_join(reader, NULL);
    expect_lines(p.text,
                 (const char *const[]){
                     "POST /v3/cc/record/query vendor=itnio status=200 code=-22 latency_ms=0.002",
                     "GET /x?2025-01-01T00:00:00.000Z GET /forged? vendor=- status=404 code=- "
                     "latency_ms=5.006",
                     "\"method\":\"GET\",\"path\":\"/a\\\"b\",\"vendor\":\"yunfu\",\"status\":200,"
                     "\"vendor_code\":\"1002\",\"latency_ms\":1234.567}",
                     NULL});
    int64_t ms;
    char ts[CDR_RFC3339_MS_LEN + 1];
    snprintf(ts, sizeof(ts), "%s", p.text);
    assert_true(cdr_time_parse_rfc3339_ms(ts, &ms));
    close(p.fds[0]);
    free(p.text);
}

#define WRITERS 4
#define LINES_EACH 2000

struct writer_arg {
    struct mock_log *log;
    int id;
};

static void *write_lines(void *arg)
{
    struct writer_arg *w = arg;
    char path[64];
    for (int i = 0; i < LINES_EACH; i++) {
        snprintf(path, sizeof(path), "/writer/%d/line/%d", w->id, i);
        struct mock_request req = request("GET", path);
        struct mock_response resp = response(200, "bench", "0");
        mock_log_request(w->log, &req, &resp, i);
    }
    return NULL;
}

static void test_log_lines_stay_whole_under_concurrency(void **state)
{
    (void)state;
    struct pipe_log p = {0};
    assert_int_equal(pipe(p.fds), 0);
    pthread_t reader, writers[WRITERS];
    struct writer_arg args[WRITERS];
    pthread_create(&reader, NULL, drain, &p);
    struct mock_log *log = mock_log_open(p.fds[1], MOCK_LOG_TEXT);
    for (int i = 0; i < WRITERS; i++) {
        args[i] = (struct writer_arg){log, i};
        pthread_create(&writers[i], NULL, write_lines, &args[i]);
    }
    for (int i = 0; i < WRITERS; i++)
        pthread_join(writers[i], NULL);
    mock_log_close(log); /* everything queued is written before it returns */
    close(p.fds[1]);
    pthread_join(reader, NULL);
    /* Every line is whole and each writer's lines come in its order. */
    int next[WRITERS] = {0};
    size_t lines = 0;
    for (char *line = p.text; *line; lines++) {
        char *end = strchr(line, '\n');
        assert_non_null(end);
        *end = '\0';
        int id, n;
        char tail[128];
        if (sscanf(line + 25, "GET /writer/%d/line/%d %127[^\n]", &id, &n, tail) != 3)
            fail_msg("a broken line: '%s'", line);
        assert_in_range(id, 0, WRITERS - 1);
        assert_int_equal(n, next[id]);
        next[id]++;
        assert_non_null(strstr(tail, "vendor=bench status=200 code=0 latency_ms="));
        line = end + 1;
    }
    assert_int_equal(lines, WRITERS * LINES_EACH);
    close(p.fds[0]);
    free(p.text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_pairs),
        cmocka_unit_test(test_query_decoding),
        cmocka_unit_test(test_query_a_thousand_parameters),
        cmocka_unit_test(test_http_date),
        cmocka_unit_test(test_log_formats),
        cmocka_unit_test(test_log_lines_stay_whole_under_concurrency),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
