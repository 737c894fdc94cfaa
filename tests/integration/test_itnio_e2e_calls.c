/* libcdrsim's ITNIO agent, group-settings and recording calls against the real cdrsim-mock on an
 * ephemeral loopback port. Expected values come from the fixture files read here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cdrsim/buf.h"
#include "cdrsim/itnio.h"
#include "cdrsim/record.h"
#include "cdrsim/vendor.h"
#include "testutil.h"

#define DEMO_KEY "bDqJFiq9"
#define DEMO_SECRET "7bz1lzh9"
#define SEED_KEY "agent-call-record-250103/25010316113064799.wav"

/* The mock's clock starts after the dataset; Timestamps are not what these tests are about. */
static const char *const mock_args[] = {"--clock", "2025-05-01T00:00:00Z", "--variant",
                                        "itnio.timestamp_window=0", NULL};

static int setup(void **state)
{
    struct mock_process *p = calloc(1, sizeof(*p));
    assert_non_null(p);
    *state = p;
    mock_process_start(p, mock_args);
    return 0;
}

static int teardown(void **state)
{
    struct mock_process *p = *state;
    if (p->pid > 0)
        assert_int_equal(mock_process_stop(p), 0);
    free(p);
    return 0;
}

static struct cdr_itnio_client *client(const struct mock_process *p, bool unchecked)
{
    struct cdr_itnio_options o;
    cdr_itnio_options_default(&o);
    o.base_url = p->base_url;
    o.api_key = DEMO_KEY;
    o.api_secret = DEMO_SECRET;
    o.unchecked = unchecked;
    struct cdr_error_info err;
    struct cdr_itnio_client *c = cdr_itnio_client_new(&o, &err);
    if (!c)
        fail_msg("%s", err.message);
    return c;
}

/* ---- agents ---------------------------------------------------------------------------------- */

static void seats_carry_their_statistics(void **state)
{
    const struct mock_process *p = *state;
    struct cdr_itnio_client *c = client(p, false);
    struct cdr_itnio_seat_filter f;
    cdr_itnio_seat_filter_init(&f);
    f.start_time = china_time(2025, 1, 10, 0, 0, 0);
    f.end_time = china_time(2025, 2, 10, 0, 0, 0);
    struct cdr_itnio_list_page page;
    struct cdr_error_info err;
    assert_int_equal(cdr_itnio_query_seats(c, &f, 1, 100, &page, &err), CDR_OK);
    cJSON *seats = test_load_json(FIXTURES_DIR "/itnio/seats.json");
    cJSON *records = test_load_json(FIXTURES_DIR "/itnio/records.json");
    assert_int_equal(page.count, (size_t)cJSON_GetArraySize(seats));
    for (size_t i = 0; i < page.count; i++) {
        const struct cdr_itnio_seat *s = &page.seats[i];
        int64_t calls = 0, connected = 0;
        const cJSON *r;
        cJSON_ArrayForEach(r, records) {
            const char *start = json_str_at(r, "callStartTime");
            if (strcmp(json_str_at(r, "seatName"), s->name) == 0 &&
                strcmp(start, "2025-01-10 00:00:00") >= 0 &&
                strcmp(start, "2025-02-10 00:00:00") <= 0) {
                calls++;
                connected +=
                    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(r, "calledAnswerTime"));
            }
        }
        assert_int_equal(s->num, calls);
        assert_int_equal(s->connect_num, connected);
        assert_non_null(s->connect_rate);
        assert_non_null(strchr(s->connect_rate, '%'));
        /* Every documented field arrived. */
        assert_non_null(s->emp_no);
        assert_non_null(s->pet_name);
        assert_non_null(s->app_id);
        assert_non_null(s->account);
        assert_non_null(s->create_time);
        assert_non_null(s->display_num);
        assert_non_null(s->ccode);
        assert_in_range(s->priority, 0, 100);
        assert_in_range(s->delete_flag, 0, 1);
    }
    cdr_itnio_list_page_free(&page);

    /* Filters: name (fuzzy), group, status, enable. */
    f.name = "li";
    f.voice_group_id = 1000037;
    f.enable = 0;
    assert_int_equal(cdr_itnio_query_seats(c, &f, 1, 100, &page, &err), CDR_OK);
    assert_int_equal(page.count, 1);
    assert_string_equal(page.seats[0].name, "bob.li");
    cdr_itnio_list_page_free(&page);
    cJSON_Delete(seats);
    cJSON_Delete(records);
    cdr_itnio_client_free(c);
}

static void seats_window_is_enforced(void **state)
{
    const struct mock_process *p = *state;
    struct cdr_itnio_client *c = client(p, false);
    struct cdr_itnio_seat_filter f;
    cdr_itnio_seat_filter_init(&f);
    f.start_time = china_time(2025, 1, 1, 0, 0, 0);
    f.end_time = f.start_time + CDR_ITNIO_MAX_SEAT_RANGE_SECONDS + 1;
    struct cdr_itnio_list_page page;
    struct cdr_error_info err;
    /* Refused before sending... */
    assert_int_equal(cdr_itnio_query_seats(c, &f, 1, 10, &page, &err), CDR_ERR_RANGE_TOO_LARGE);
    cdr_itnio_client_free(c);
    /* ...and by the server when sent anyway, as when the window is left out. */
    c = client(p, true);
    assert_int_equal(cdr_itnio_query_seats(c, &f, 1, 10, &page, &err), CDR_ERR_PARAMETER);
    assert_string_equal(err.vendor_code, "-22");
    cdr_itnio_seat_filter_init(&f);
    assert_int_equal(cdr_itnio_query_seats(c, &f, 1, 10, &page, &err), CDR_ERR_PARAMETER);
    assert_string_equal(err.vendor_code, "-22");
    cdr_itnio_client_free(c);
}

/* ---- group settings -------------------------------------------------------------------------- */

static void group_settings_end_to_end(void **state)
{
    const struct mock_process *p = *state;
    struct cdr_itnio_client *c = client(p, false);
    struct cdr_itnio_group_settings s;
    struct cdr_error_info err;
    assert_int_equal(cdr_itnio_get_group_settings(c, 1000037, &s, &err), CDR_OK);
    cJSON *groups = test_load_json(FIXTURES_DIR "/itnio/groups.json");
    const cJSON *want = cJSON_GetArrayItem(groups, 1);
    assert_int_equal(s.voice_group_id, 1000037);
    assert_string_equal(s.group_name, json_str_at(want, "groupName"));
    assert_int_equal(s.callin_strategy, json_int_at(want, "callinStrategy"));
    assert_int_equal(s.timeout_idle, json_int_at(want, "settings.timeoutIdle"));
    assert_int_equal(s.callin_auto_answer_sec, json_int_at(want, "settings.callinAutoAnswerSec"));
    assert_null(s.turn_seat_ring);
    assert_int_equal(s.label_name_count, 2);
    assert_string_equal(s.label_names[0], "vip");
    assert_string_equal(s.fs_node, "SG_FS");
    assert_int_equal(s.display_switch, 1);
    cdr_itnio_group_settings_free(&s);
    cJSON_Delete(groups);
    assert_int_equal(cdr_itnio_get_group_settings(c, 99, &s, &err), CDR_ERR_PARAMETER);
    assert_string_equal(err.vendor_code, "-22");
    cdr_itnio_client_free(c);
}

/* ---- recordings ------------------------------------------------------------------------------ */

struct sink {
    struct cdr_buf bytes;
    int stop_after; /* > 0: refuse the call after that many */
    int calls;
};

static int collect(void *user, const void *data, size_t len)
{
    struct sink *s = user;
    if (s->stop_after > 0 && s->calls >= s->stop_after)
        return 1;
    s->calls++;
    cdr_buf_append(&s->bytes, data, len);
    return 0;
}

/* 44 header bytes and min(talk, 10) s of 16-bit 8 kHz audio. */
static void assert_wav(const struct sink *s, const struct cdr_download *d, int64_t talk)
{
    int64_t seconds = talk < 1 ? 1 : talk > 10 ? 10 : talk;
    assert_int_equal(d->bytes, 44 + seconds * 16000);
    assert_int_equal((int64_t)s->bytes.len, d->bytes);
    assert_memory_equal(s->bytes.data, "RIFF", 4);
    assert_string_equal(d->content_type, "audio/wav");
    assert_string_equal(d->extension, ".wav");
}

static struct test_http_reply admin_advance(const struct mock_process *p, int64_t seconds)
{
    static const char *const json_h[] = {"Content-Type: application/json", NULL};
    char *url = test_format("%s/__cdrsim/clock", p->base_url);
    char *body = test_format("{\"advance_seconds\":%lld}", (long long)seconds);
    struct test_http_reply r = test_http("PUT", url, json_h, body, strlen(body));
    free(url);
    free(body);
    return r;
}

static void recording_link_downloads_until_it_expires(void **state)
{
    const struct mock_process *p = *state;
    struct cdr_itnio_client *c = client(p, false);
    struct cdr_itnio_recording_url link;
    struct cdr_error_info err;
    assert_int_equal(cdr_itnio_get_recording_url(c, SEED_KEY, NULL, &link, &err), CDR_OK);
    test_assert_prefix(link.url, p->base_url);
    /* Over plain HTTP: the type object storage sends. */
    struct test_http_reply r = test_http("GET", link.url, NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.content_type, "audio/wav");
    test_http_reply_free(&r);
    struct sink s = {{0}, 0, 0};
    cdr_buf_init(&s.bytes);
    struct cdr_download d;
    assert_int_equal(cdr_itnio_download(c, link.url, collect, &s, &d, &err), CDR_OK);
    assert_wav(&s, &d, 47);
    cdr_buf_free(&s.bytes);

    /* An hour and a second later on the mock's clock, the link is refused as the storage does. */
    r = admin_advance(p, 3601);
    assert_int_equal(r.status, 200);
    test_http_reply_free(&r);
    r = test_http("GET", link.url, NULL, NULL, 0);
    assert_int_equal(r.status, 403);
    assert_string_equal(r.content_type, "application/xml");
    test_http_reply_free(&r);
    cdr_buf_init(&s.bytes);
    assert_int_equal(cdr_itnio_download(c, link.url, collect, &s, &d, &err), CDR_ERR_AUTH);
    assert_string_equal(err.vendor_code, "AccessDenied");
    assert_string_equal(err.message, "Request has expired");
    assert_int_equal(err.http_status, 403);
    assert_int_equal(s.bytes.len, 0);
    /* A key is resolved afresh, so it works again. */
    assert_int_equal(cdr_itnio_download(c, SEED_KEY, collect, &s, &d, &err), CDR_OK);
    assert_wav(&s, &d, 47);
    cdr_buf_free(&s.bytes);
    cdr_itnio_recording_url_free(&link);
    r = admin_advance(p, -3601);
    test_http_reply_free(&r);

    /* An unknown key, and a writer that stops. */
    assert_int_equal(
        cdr_itnio_download(c, "agent-call-record-250103/none.wav", collect, &s, &d, &err),
        CDR_ERR_PARAMETER);
    assert_string_equal(err.vendor_code, "-22");
    struct sink stopper = {{0}, 1, 0};
    cdr_buf_init(&stopper.bytes);
    /* 160044 bytes come in three pieces of at most 64 KiB: the second is refused. */
    assert_int_equal(cdr_itnio_download(c, SEED_KEY, collect, &stopper, &d, &err),
                     CDR_ERR_INVALID_ARGUMENT);
    assert_string_equal(err.message, "stopped by the writer");
    cdr_buf_free(&stopper.bytes);
    cdr_itnio_client_free(c);
}

/* The descriptor's generic download, given a record as fetch_all normalized it. */
struct first_recording {
    struct cdr_record rec;
    bool found;
};

static int keep_first_recorded(void *user, const struct cdr_record *rec)
{
    struct first_recording *f = user;
    if (f->found || !rec->recording_url_count)
        return 0;
    f->found = true;
    cdr_record_init(&f->rec);
    f->rec.id = strdup(rec->id);
    f->rec.talk_seconds = rec->talk_seconds;
    for (size_t i = 0; i < rec->recording_url_count; i++)
        assert_int_equal(cdr_record_add_recording_url(&f->rec, rec->recording_urls[i]), 0);
    return 1;
}

static void generic_download_of_a_fetched_record(void **state)
{
    const struct mock_process *p = *state;
    struct cdr_args *args = cdr_args_new();
    cdr_args_add(args, "api_key", DEMO_KEY);
    cdr_args_add(args, "api_secret", DEMO_SECRET);
    cdr_args_add(args, "from", "2025-02-01 00:00:00");
    cdr_args_add(args, "to", "2025-02-28 23:59:59");
    struct cdr_client_options o;
    cdr_client_options_default(&o);
    o.base_url = p->base_url;
    struct cdr_error_info err;
    const struct cdr_vendor *v = cdr_vendor_find("itnio");
    struct cdr_client *c = cdr_client_new(v, &o, args, &err);
    assert_non_null(c);
    struct first_recording f = {0};
    assert_int_equal(cdr_client_fetch_all(c, args, 0, keep_first_recorded, NULL, &f, &err), CDR_OK);
    assert_true(f.found);
    struct sink s = {{0}, 0, 0};
    cdr_buf_init(&s.bytes);
    struct cdr_download d;
    assert_int_equal(cdr_client_download(c, &f.rec, 0, collect, &s, &d, &err), CDR_OK);
    assert_wav(&s, &d, f.rec.talk_seconds);
    assert_int_equal(
        cdr_client_download(c, &f.rec, f.rec.recording_url_count, collect, &s, &d, &err),
        CDR_ERR_INVALID_ARGUMENT);
    cdr_buf_free(&s.bytes);
    cdr_record_free(&f.rec);
    cdr_client_free(c);
    cdr_args_free(args);
}

/* Every record's normalized line, and how many came with raw_json. */
struct lines {
    struct cdr_buf text;
    size_t records, with_raw;
};

static int collect_line(void *user, const struct cdr_record *rec)
{
    struct lines *l = user;
    l->records++;
    l->with_raw += rec->raw_json != NULL;
    assert_true(cdr_record_append_json(&l->text, rec, 0));
    cdr_buf_append(&l->text, "\n", 1);
    return 0;
}

static void fetch_lines(const struct mock_process *p, bool skip_raw, struct lines *out)
{
    struct cdr_args *args = cdr_args_new();
    cdr_args_add(args, "api_key", DEMO_KEY);
    cdr_args_add(args, "api_secret", DEMO_SECRET);
    cdr_args_add(args, "from", "2025-01-01 00:00:00");
    cdr_args_add(args, "to", "2025-03-31 23:59:59");
    struct cdr_client_options o;
    cdr_client_options_default(&o);
    o.base_url = p->base_url;
    o.skip_raw = skip_raw;
    struct cdr_error_info err;
    struct cdr_client *c = cdr_client_new(cdr_vendor_find("itnio"), &o, args, &err);
    assert_non_null(c);
    memset(out, 0, sizeof(*out));
    cdr_buf_init(&out->text);
    assert_int_equal(cdr_client_fetch_all(c, args, 7, collect_line, NULL, out, &err), CDR_OK);
    cdr_client_free(c);
    cdr_args_free(args);
}

/* skip_raw leaves raw_json out and nothing else: the normalized lines are the same. */
static void skip_raw_changes_only_raw(void **state)
{
    const struct mock_process *p = *state;
    struct lines with, without;
    fetch_lines(p, false, &with);
    fetch_lines(p, true, &without);
    assert_true(with.records > 7); /* more than one page */
    assert_int_equal(with.with_raw, with.records);
    assert_int_equal(without.records, with.records);
    assert_int_equal(without.with_raw, 0);
    assert_string_equal(without.text.data, with.text.data);
    cdr_buf_free(&with.text);
    cdr_buf_free(&without.text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(seats_carry_their_statistics, setup, teardown),
        cmocka_unit_test_setup_teardown(seats_window_is_enforced, setup, teardown),
        cmocka_unit_test_setup_teardown(group_settings_end_to_end, setup, teardown),
        cmocka_unit_test_setup_teardown(recording_link_downloads_until_it_expires, setup, teardown),
        cmocka_unit_test_setup_teardown(generic_download_of_a_fetched_record, setup, teardown),
        cmocka_unit_test_setup_teardown(skip_raw_changes_only_raw, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
