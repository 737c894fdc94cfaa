/* cdrsim-client fetch <vendor> ... --recordings DIR against the real mock, for every vendor: each
 * answered call's audio lands in DIR as <record id>-<n>.<type>, a call without a recording gets no
 * file and no error, and a rerun keeps what is there and fetches only what is missing. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

static int setup(void **state)
{
    struct mock_process *p = calloc(1, sizeof(*p));
    assert_non_null(p);
    *state = p;
    mock_process_start(p, NULL);
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

/* The files in dir (names into names, at most cap); fails on a .part left behind. */
static size_t list_files(const char *dir, char names[][256], size_t cap)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        if (strstr(e->d_name, ".part"))
            fail_msg("%s/%s: a partial file was left behind", dir, e->d_name);
        if (n < cap)
            snprintf(names[n], 256, "%s", e->d_name);
        n++;
    }
    closedir(d);
    return n;
}

static char *read_all(const char *path, size_t *len)
{
    char *text = test_read_file(path, len);
    assert_non_null(text);
    return text;
}

#define MAX_FILES 512

static void fetch_with_recordings(void **state, const char *vendor, const char *const *args)
{
    struct mock_process *p = *state;
    char dir[] = "/tmp/cdrsim-test-recordings-XXXXXX";
    assert_non_null(mkdtemp(dir));
    const char *argv[32] = {"fetch", vendor, "--base-url", p->base_url, "--recordings", dir};
    size_t n = 6;
    for (size_t i = 0; args[i]; i++)
        argv[n++] = args[i];
    argv[n] = NULL;

    struct test_cli_run r = test_cli(NULL, argv);
    if (r.status != 0)
        fail_msg("fetch %s --recordings: exit %d\n%s", vendor, r.status, r.err);
    size_t records = test_count_lines(r.out);
    static char names[MAX_FILES][256];
    size_t files = list_files(dir, names, MAX_FILES);
    /* Some calls were answered and recorded, some not: never more files than records here. */
    assert_in_range(files, 1, records);
    assert_in_range(files, 1, MAX_FILES);
    for (size_t i = 0; i < files; i++) {
        /* <record id>-<n>.wav, the id one of the fetched records'. */
        char id[256];
        snprintf(id, sizeof(id), "\"id\":\"%.*s\"", (int)(strrchr(names[i], '-') - names[i]),
                 names[i]);
        if (!strstr(r.out, id))
            fail_msg("%s: no fetched record has this id", names[i]);
        assert_string_equal(strrchr(names[i], '.'), ".wav");
        char *path = test_format("%s/%s", dir, names[i]);
        size_t len;
        char *audio = read_all(path, &len);
        assert_in_range(len, 44, 64 * 1024 * 1024);
        assert_memory_equal(audio, "RIFF", 4);
        assert_memory_equal(audio + 8, "WAVE", 4);
        free(audio);
        free(path);
    }

    /* A rerun resumes: what is there stays as it is, what is missing comes back. */
    char *kept = test_format("%s/%s", dir, names[0]);
    test_write_file(kept, "kept", 4);
    char *gone = files > 1 ? test_format("%s/%s", dir, names[1]) : NULL;
    if (gone)
        assert_int_equal(unlink(gone), 0);
    struct test_cli_run again = test_cli(NULL, argv);
    if (again.status != 0)
        fail_msg("fetch %s --recordings, again: exit %d\n%s", vendor, again.status, again.err);
    assert_int_equal(list_files(dir, names, MAX_FILES), files);
    size_t len;
    char *text = read_all(kept, &len);
    assert_int_equal(len, 4);
    free(text);
    if (gone) {
        text = read_all(gone, &len);
        assert_memory_equal(text, "RIFF", 4);
        free(text);
    }

    /* Clean up the directory. */
    list_files(dir, names, MAX_FILES);
    for (size_t i = 0; i < files; i++) {
        char *path = test_format("%s/%s", dir, names[i]);
        unlink(path);
        free(path);
    }
    rmdir(dir);
    free(kept);
    free(gone);
    test_cli_run_free(&again);
    test_cli_run_free(&r);
}

static void itnio_recordings(void **state)
{
    fetch_with_recordings(state, "itnio",
                          (const char *const[]){"--api-key", "bDqJFiq9", "--api-secret", "7bz1lzh9",
                                                "--from", "2025-04-20 00:00:00", "--to",
                                                "2025-04-29 12:00:00", NULL});
}

static void yunfu_recordings(void **state)
{
    fetch_with_recordings(state, "yunfu",
                          (const char *const[]){"--token", "demo-yunfu-token", "--user-id",
                                                "4d99d91c-f5d9-49da-88da-758977cc58a9", "--task-id",
                                                "287e19c4-1966-49d6-8f02-b53ef11c0a55", NULL});
}

static void aliyun_recordings(void **state)
{
    fetch_with_recordings(state, "aliyun",
                          (const char *const[]){"--access-key-id", "testid", "--access-key-secret",
                                                "testsecret", "--instance-id",
                                                "ccc_xp_pre-cn-demo001", NULL});
}

static void huawei_history_recordings(void **state)
{
    fetch_with_recordings(state, "huawei",
                          (const char *const[]){"--history", "--app-key", "cdrsim-demo-ak",
                                                "--app-secret", "cdrsim-demo-sk", "--from",
                                                "2025-04-01T00:00:00Z", "--to",
                                                "2025-04-30T00:00:00Z", NULL});
}

/* The first audio request of the fetch answers HTTP 429: the download waits it out as a throttled
 * page is waited out (the backoff: the answer names no Retry-After), and the fetch ends as one
 * that was never refused. */
static void throttled_once(void **state, const char *vendor, const char *audio_path,
                           const char *const *args)
{
    struct mock_process *p = *state;
    static const char *const json_type[] = {"Content-Type: application/json", NULL};
    char *url = test_format("%s/__cdrsim/faults", p->base_url);
    char *spec =
        test_format("{\"vendor\":\"%s\",\"path\":\"%s\",\"kind\":\"status\",\"status\":429,"
                    "\"body\":\"{\\\"message\\\":\\\"Too Many Attempts.\\\"}\","
                    "\"times\":1}",
                    vendor, audio_path);
    struct test_http_reply r = test_http("POST", url, json_type, spec, strlen(spec));
    if (r.status != 201)
        fail_msg("POST /__cdrsim/faults %s answered %ld: %s", spec, r.status, r.body);
    test_http_reply_free(&r);
    fetch_with_recordings(state, vendor, args);
    r = test_http("GET", url, NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_int_at(r.json, "0.fired"), 1);
    test_http_reply_free(&r);
    free(spec);
    free(url);
}

static void itnio_recordings_throttled(void **state)
{
    throttled_once(state, "itnio", "/voice/recording-file/*",
                   (const char *const[]){"--api-key", "bDqJFiq9", "--api-secret", "7bz1lzh9",
                                         "--from", "2025-04-20 00:00:00", "--to",
                                         "2025-04-29 12:00:00", NULL});
}

static void yunfu_recordings_throttled(void **state)
{
    /* download-full-voice, behind Laravel's throttle like the pages */
    throttled_once(state, "yunfu",
                   "/agent-api/user/4d99d91c-f5d9-49da-88da-758977cc58a9/task/"
                   "287e19c4-1966-49d6-8f02-b53ef11c0a55/record/*",
                   (const char *const[]){"--token", "demo-yunfu-token", "--user-id",
                                         "4d99d91c-f5d9-49da-88da-758977cc58a9", "--task-id",
                                         "287e19c4-1966-49d6-8f02-b53ef11c0a55", NULL});
}

static void aliyun_recordings_throttled(void **state)
{
    throttled_once(state, "aliyun", "/accrec_tmp/*",
                   (const char *const[]){"--access-key-id", "testid", "--access-key-secret",
                                         "testsecret", "--instance-id", "ccc_xp_pre-cn-demo001",
                                         NULL});
}

static void huawei_recordings_throttled(void **state)
{
    throttled_once(state, "huawei", "/aicc-obs/*",
                   (const char *const[]){"--history", "--app-key", "cdrsim-demo-ak", "--app-secret",
                                         "cdrsim-demo-sk", "--from", "2025-04-01T00:00:00Z", "--to",
                                         "2025-04-30T00:00:00Z", NULL});
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(itnio_recordings, setup, teardown),
        cmocka_unit_test_setup_teardown(yunfu_recordings, setup, teardown),
        cmocka_unit_test_setup_teardown(aliyun_recordings, setup, teardown),
        cmocka_unit_test_setup_teardown(huawei_history_recordings, setup, teardown),
        cmocka_unit_test_setup_teardown(itnio_recordings_throttled, setup, teardown),
        cmocka_unit_test_setup_teardown(yunfu_recordings_throttled, setup, teardown),
        cmocka_unit_test_setup_teardown(aliyun_recordings_throttled, setup, teardown),
        cmocka_unit_test_setup_teardown(huawei_recordings_throttled, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
