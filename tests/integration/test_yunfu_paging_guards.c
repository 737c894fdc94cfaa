/* cdr_yunfu_fetch_all against servers that misbehave the ways a paginated API can: a page number
 * that is ignored, an empty page before the last, more records than the total, garbage. A small
 * libmicrohttpd server on 127.0.0.1 plays each one; the fetch must end with a precise error, never
 * loop. A well-behaved run shows the upper calldate bound pinned after the first page. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <microhttpd.h>
#include <netinet/in.h>

#include "cdrsim/buf.h"
#include "cdrsim/yunfu.h"
#include "testutil.h"

enum behaviour { SANE, IGNORES_PAGE, EMPTY_EARLY, OVERRUNS_TOTAL, GARBAGE, ENDLESS };

struct fake {
    struct MHD_Daemon *daemon;
    char base_url[64];
    enum behaviour behaviour;
    int requests;
    char end_at[8][32]; /* end_at of each request, "" when absent */
};

/* One record whose call starts `age` minutes before 2022-09-29 15:09:00 (UTC+8). */
static void put_record(struct cdr_buf *b, int page, int index, int age)
{
    int minutes = 9 - age % 10, hours = 15 - age / 10 % 10;
    cdr_buf_printf(
        b, "%s{\"id\":\"p%d-r%d\",\"callid\":\"c\",\"calldate\":\"2022-09-29 %02d:%02d:00\"}",
        index ? "," : "", page, index, hours, minutes);
}

static char *page_body(struct fake *f, int page)
{
    int last = 3, total = 6, current = page, count = 2;
    if (f->behaviour == GARBAGE && page == 2)
        return strdup("<html>oops</html>");
    switch (f->behaviour) {
    case SANE:
        break;
    case IGNORES_PAGE:
        current = 1;
        break;
    case EMPTY_EARLY:
        last = 5, total = 10, count = page == 2 ? 0 : 2;
        break;
    case OVERRUNS_TOTAL:
        total = 3;
        break;
    case ENDLESS:
        last = page + 1, total = 10;
        break; /* always one more page */
    case GARBAGE:
        break;
    }
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(
        &b,
        "{\"code\":200,\"status\":\"success\",\"message\":\"查看通话记录列表成功\",\"meta\":{\"has_"
        "pages\":"
        "true,\"total\":%d,\"last_page\":%d,\"current_page\":%d,\"per_page\":\"2\"},\"data\":[",
        total, last, current);
    for (int i = 0; i < count; i++)
        put_record(&b, page, i, (page - 1) * 2 + i);
    cdr_buf_puts(&b, "]}");
    return cdr_buf_steal(&b);
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    (void)url;
    (void)method;
    (void)version;
    (void)upload;
    (void)upload_size;
    (void)con_cls;
    struct fake *f = cls;
    const char *page_text = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "page");
    const char *end_at = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "end_at");
    if (f->requests < 8)
        snprintf(f->end_at[f->requests], sizeof(f->end_at[0]), "%s", end_at ? end_at : "");
    f->requests++;
    char *body = page_body(f, page_text ? atoi(page_text) : 1);
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "Content-Type", "application/json");
    enum MHD_Result ret = MHD_queue_response(conn, 200, r);
    MHD_destroy_response(r);
    return ret;
}

static int setup(void **state)
{
    struct fake *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    f->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, answer, f,
                                 MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_END);
    assert_non_null(f->daemon);
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(f->daemon, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(f->base_url, sizeof(f->base_url), "http://127.0.0.1:%u", info->port);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fake *f = *state;
    MHD_stop_daemon(f->daemon);
    free(f);
    return 0;
}

struct seen {
    int records;
    int stop_after; /* 0: never stop */
};

static int on_record(void *user, const struct cdr_record *rec)
{
    struct seen *s = user;
    assert_non_null(rec->id);
    s->records++;
    return s->stop_after && s->records >= s->stop_after;
}

static cdr_error fetch(struct fake *f, struct seen *seen, struct cdr_error_info *err)
{
    struct cdr_yunfu_options opts;
    cdr_yunfu_options_default(&opts);
    opts.base_url = f->base_url;
    opts.token = "t";
    opts.http.max_retries = 0;
    struct cdr_yunfu_client *c = cdr_yunfu_client_new(&opts, err);
    assert_non_null(c);
    cdr_error rc = cdr_yunfu_fetch_all(c, "u", "t", NULL, 2, on_record, NULL, seen, err);
    cdr_yunfu_client_free(c);
    return rc;
}

static void sane_server_and_the_pinned_bound(void **state)
{
    struct fake *f = *state;
    struct seen seen = {0, 0};
    struct cdr_error_info err;
    assert_int_equal(fetch(f, &seen, &err), CDR_OK);
    assert_int_equal(seen.records, 6);
    assert_int_equal(f->requests, 3);
    /* No bound on the first page; then the newest call it showed. */
    assert_string_equal(f->end_at[0], "");
    assert_string_equal(f->end_at[1], "2022-09-29 15:09:00");
    assert_string_equal(f->end_at[2], "2022-09-29 15:09:00");
}

static void stopping_early(void **state)
{
    struct fake *f = *state;
    struct seen seen = {0, 3};
    struct cdr_error_info err;
    assert_int_equal(fetch(f, &seen, &err), CDR_OK);
    assert_int_equal(seen.records, 3);
    assert_int_equal(f->requests, 2);
}

static void a_server_that_ignores_the_page(void **state)
{
    struct fake *f = *state;
    f->behaviour = IGNORES_PAGE;
    struct seen seen = {0, 0};
    struct cdr_error_info err;
    assert_int_equal(fetch(f, &seen, &err), CDR_ERR_MALFORMED_RESPONSE);
    assert_string_equal(err.message, "page echo: asked for page 2, the answer is page 1");
    assert_int_equal(seen.records, 2);
    assert_int_equal(f->requests, 2);
}

static void an_empty_page_before_the_last(void **state)
{
    struct fake *f = *state;
    f->behaviour = EMPTY_EARLY;
    struct seen seen = {0, 0};
    struct cdr_error_info err;
    assert_int_equal(fetch(f, &seen, &err), CDR_ERR_MALFORMED_RESPONSE);
    assert_string_equal(err.message,
                        "empty page before the last: page 2 is empty after 2 of 10 records");
    assert_int_equal(f->requests, 2);
}

static void more_records_than_the_total(void **state)
{
    struct fake *f = *state;
    f->behaviour = OVERRUNS_TOTAL;
    struct seen seen = {0, 0};
    struct cdr_error_info err;
    assert_int_equal(fetch(f, &seen, &err), CDR_ERR_MALFORMED_RESPONSE);
    assert_string_equal(err.message,
                        "sum against total: 4 records arrived by page 2, more than the total of 3");
    assert_int_equal(seen.records, 2);
}

static void garbage_on_a_later_page(void **state)
{
    struct fake *f = *state;
    f->behaviour = GARBAGE;
    struct seen seen = {0, 0};
    struct cdr_error_info err;
    assert_int_equal(fetch(f, &seen, &err), CDR_ERR_MALFORMED_RESPONSE);
    assert_string_equal(err.message, "response is not JSON");
    assert_int_equal(err.http_status, 200);
    assert_int_equal(seen.records, 2);
}

static void a_server_that_never_ends_is_bounded_by_its_total(void **state)
{
    struct fake *f = *state;
    f->behaviour = ENDLESS; /* every page promises one more, with fresh records */
    struct seen seen = {0, 0};
    struct cdr_error_info err;
    assert_int_equal(fetch(f, &seen, &err), CDR_ERR_MALFORMED_RESPONSE);
    assert_string_equal(
        err.message, "sum against total: 12 records arrived by page 6, more than the total of 10");
    assert_int_equal(seen.records, 10);
    assert_int_equal(f->requests, 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sane_server_and_the_pinned_bound, setup, teardown),
        cmocka_unit_test_setup_teardown(stopping_early, setup, teardown),
        cmocka_unit_test_setup_teardown(a_server_that_ignores_the_page, setup, teardown),
        cmocka_unit_test_setup_teardown(an_empty_page_before_the_last, setup, teardown),
        cmocka_unit_test_setup_teardown(more_records_than_the_total, setup, teardown),
        cmocka_unit_test_setup_teardown(garbage_on_a_later_page, setup, teardown),
        cmocka_unit_test_setup_teardown(a_server_that_never_ends_is_bounded_by_its_total, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
