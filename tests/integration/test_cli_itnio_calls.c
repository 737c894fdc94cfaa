/* cdrsim-client's ITNIO commands beyond fetch: group-settings and recording, as a user runs them
 * against the real cdrsim-mock on real time (the CLI stamps requests with the wall clock). */
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

#define DEMO_KEY "bDqJFiq9"
#define DEMO_SECRET "7bz1lzh9"
#define SEED_KEY "agent-call-record-250103/25010316113064799.wav"

static int setup(void **state)
{
    unsetenv("CDRSIM_ITNIO_API_KEY");
    unsetenv("CDRSIM_ITNIO_API_SECRET");
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
    unsetenv("CDRSIM_ITNIO_API_SECRET");
    return 0;
}

static void group_settings_prints_the_vendors_object(void **state)
{
    const struct mock_process *p = *state;
    struct test_cli_run r =
        test_cli(NULL, (const char *const[]){"group-settings", "itnio", "--base-url", p->base_url,
                                             "--api-key", DEMO_KEY, "--api-secret", DEMO_SECRET,
                                             "--voice-group-id", "1000041", NULL});
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    assert_int_equal(test_count_lines(r.out), 1);
    cJSON *got = cJSON_Parse(r.out);
    assert_non_null(got);
    assert_int_equal(json_int_at(got, "seatGroupId"), 1000041);
    assert_string_equal(json_str_at(got, "groupName"), "support-inbound");
    assert_string_equal(json_str_at(got, "fsNode"), "USA_FS");
    assert_true(cJSON_IsNull(json_at(got, "callinAutoAnswerSec")));
    cJSON_Delete(got);
    test_cli_run_free(&r);

    /* An unknown group: the vendor's code on stderr, exit 1. */
    setenv("CDRSIM_ITNIO_API_SECRET", DEMO_SECRET, 1);
    r = test_cli(NULL,
                 (const char *const[]){"group-settings", "itnio", "--base-url", p->base_url,
                                       "--api-key", DEMO_KEY, "--voice-group-id", "99", NULL});
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    test_assert_prefix(r.err, "cdrsim-client: group-settings itnio: parameter: ");
    assert_non_null(strstr(r.err, "vendor code -22"));
    test_cli_run_free(&r);
}

static void recording_prints_a_link_or_saves_the_audio(void **state)
{
    const struct mock_process *p = *state;
    setenv("CDRSIM_ITNIO_API_SECRET", DEMO_SECRET, 1);
    struct test_cli_run r =
        test_cli(NULL, (const char *const[]){"recording", "itnio", "--base-url", p->base_url,
                                             "--api-key", DEMO_KEY, "--file-id", SEED_KEY, NULL});
    assert_int_equal(r.status, 0);
    cJSON *got = cJSON_Parse(r.out);
    assert_non_null(got);
    assert_string_equal(json_str_at(got, "recordingFileId"), SEED_KEY);
    test_assert_prefix(json_str_at(got, "url"), p->base_url);
    assert_true(json_int_at(got, "expireTime") > 1000000000000LL);
    cJSON_Delete(got);
    test_cli_run_free(&r);

    char dir[] = "/tmp/cdrsim-cli-recording-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = test_format("%s/seed.wav", dir);
    r = test_cli(NULL,
                 (const char *const[]){"recording", "itnio", "--base-url", p->base_url, "--api-key",
                                       DEMO_KEY, "--file-id", SEED_KEY, "--output", path, NULL});
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "");
    size_t len;
    char *wav = test_read_file(path, &len);
    assert_int_equal(len, 44 + 10 * 16000); /* 47 s of talk, capped at 10 s */
    assert_memory_equal(wav, "RIFF", 4);
    assert_memory_equal(wav + 8, "WAVE", 4);
    free(wav);
    unlink(path);
    test_cli_run_free(&r);

    /* A failure leaves no partial file behind. */
    r = test_cli(NULL, (const char *const[]){"recording", "itnio", "--base-url", p->base_url,
                                             "--api-key", DEMO_KEY, "--file-id", SEED_KEY,
                                             "--source-type", "group", "--output", path, NULL});
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "vendor code -22"));
    struct stat st;
    assert_int_equal(stat(path, &st), -1);
    test_cli_run_free(&r);
    r = test_cli(NULL,
                 (const char *const[]){"recording", "itnio", "--base-url", p->base_url, "--api-key",
                                       DEMO_KEY, "--file-id", "agent-call-record-250103/none.wav",
                                       "--output", path, NULL});
    assert_int_equal(r.status, 1);
    assert_int_equal(stat(path, &st), -1);
    test_cli_run_free(&r);
    free(path);
    rmdir(dir);
}

static void usage_errors(void **state)
{
    const struct mock_process *p = *state;
    const char *const *cases[] = {
        (const char *const[]){"group-settings", "itnio", "--base-url", p->base_url, "--api-key",
                              DEMO_KEY, "--api-secret", DEMO_SECRET, NULL},
        (const char *const[]){"group-settings", "itnio", "--base-url", p->base_url, "--api-key",
                              DEMO_KEY, "--api-secret", DEMO_SECRET, "--voice-group-id", "x", NULL},
        (const char *const[]){"group-settings", "itnio", "--api-key", DEMO_KEY, "--api-secret",
                              DEMO_SECRET, "--voice-group-id", "12", NULL},
        (const char *const[]){"recording", "itnio", "--base-url", p->base_url, "--api-key",
                              DEMO_KEY, "--api-secret", DEMO_SECRET, NULL},
        (const char *const[]){"recording", "itnio", "--base-url", p->base_url, "--api-key",
                              DEMO_KEY, "--file-id", SEED_KEY, NULL}, /* no secret */
        (const char *const[]){"recording", "itnio", "--base-url", p->base_url, "--api-key",
                              DEMO_KEY, "--api-secret", DEMO_SECRET, "--file-id", SEED_KEY,
                              "--voice-group-id", "12", NULL},
        (const char *const[]){"recording", "yunfu", "--file-id", SEED_KEY, NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct test_cli_run r = test_cli(NULL, cases[i]);
        if (r.status != 2)
            fail_msg("case %zu: exit %d, expected 2: %s", i, r.status, r.err);
        assert_string_equal(r.out, "");
        assert_string_not_equal(r.err, "");
        assert_null(strstr(r.err, DEMO_SECRET));
        test_cli_run_free(&r);
    }
    /* The commands are listed in the tool's help. */
    struct test_cli_run r = test_cli(NULL, (const char *const[]){"--help", NULL});
    assert_non_null(strstr(r.out, "group-settings itnio"));
    assert_non_null(strstr(r.out, "recording itnio"));
    test_cli_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(group_settings_prints_the_vendors_object, setup, teardown),
        cmocka_unit_test_setup_teardown(recording_prints_a_link_or_saves_the_audio, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(usage_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
