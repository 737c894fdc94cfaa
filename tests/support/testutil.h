/* Shared test helpers: building in-process mock requests, reading JSON answers, and running the
 * real cdrsim-mock binary on an ephemeral loopback port. */
#ifndef CDRSIM_TESTUTIL_H
#define CDRSIM_TESTUTIL_H

#include <cJSON.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Paths baked in by CMake. */
#ifndef CDRSIM_SOURCE_DIR
#error "CDRSIM_SOURCE_DIR must be defined"
#endif
#define FIXTURES_DIR CDRSIM_SOURCE_DIR "/fixtures"

/* ---- in-process mock ------------------------------------------------------------------------- */

struct mock_server;
struct mock_config;

/* A loaded server over the given fixtures root with a frozen clock at clock_ms; variants are
 * "vendor.name=value" strings, NULL-terminated (or NULL). Aborts the test on failure. */
struct test_mock {
    struct mock_config *config;
    struct mock_server *server;
};
void test_mock_start(struct test_mock *m, const char *data_dir, int64_t clock_ms, const char *const *variants);
/* Same, with --generate VENDOR=N and --seed. */
void test_mock_start_generated(struct test_mock *m, const char *data_dir, int64_t clock_ms,
                               const char *const *variants, const char *vendor, int64_t n, uint64_t seed);
void test_mock_stop(struct test_mock *m);

/* A cmocka fixture around one in-process mock: test_mock_fixture_setup puts a zeroed one in
 * *state, test_mock_fixture_teardown stops its mock (when one runs) and frees it, so a failed
 * assertion leaves nothing behind. */
struct test_mock_fixture {
    struct test_mock mock;
    bool started;
};
int test_mock_fixture_setup(void **state);
int test_mock_fixture_teardown(void **state);
/* test_mock_start on the fixture in *state; returns its mock. */
struct test_mock *test_mock_fixture_start(void **state, const char *data_dir, int64_t clock_ms,
                                          const char *const *variants);
void test_mock_fixture_stop(void **state);

struct test_reply {
    int status;
    char *body; /* NUL-terminated */
    size_t body_len;
    cJSON *json; /* parsed body, or NULL */
    char vendor_code[48];
    char *headers; /* "Name: value\n" lines of the response */
};
void test_reply_free(struct test_reply *r);
/* The value of the first response header of that name (case-insensitive), copied into out;
 * false when absent. */
bool test_reply_header(const struct test_reply *r, const char *name, char *out, size_t out_len);

/* Sends one request through mock_server_handle. headers: "Name: value" strings, NULL-terminated.
 * path may carry a query string ("?a=1&b=2"), decoded like the HTTP layer does. */
struct test_reply test_mock_call(struct test_mock *m, const char *method, const char *path,
                                 const char *const *headers, const char *body, size_t body_len);
/* A bodiless request to a long-poll handler: calls it again for as long as it sets
 * retry_after_ms, keeping the response's poll bookkeeping as the HTTP layer does, but without
 * sleeping and without moving the clock. *retries = the extra calls (0: answered at once). */
struct test_reply test_mock_call_polling(struct test_mock *m, const char *method, const char *path,
                                         const char *const *headers, int *retries);
/* Same with a body flagged as over the size limit. */
struct test_reply test_mock_call_oversized(struct test_mock *m, const char *method, const char *path,
                                           const char *const *headers);

/* ---- JSON helpers --------------------------------------------------------------------------- */

/* The item at a dotted path ("data.records.0.keyId"; numbers index arrays), or NULL. */
const cJSON *json_at(const cJSON *root, const char *path);
/* A number at path (fails the test if absent or not a number). */
int64_t json_int_at(const cJSON *root, const char *path);
/* A string at path (fails the test if absent or not a string). */
const char *json_str_at(const cJSON *root, const char *path);

/* ---- time ----------------------------------------------------------------------------------- */

/* "2025-01-03 16:10:39" in UTC+8 -> Unix seconds, by plain arithmetic (independent of both
 * the client's and the mock's parsers). */
int64_t china_time(int y, int mo, int d, int h, int mi, int s);

/* ---- the real mock binary ------------------------------------------------------------------- */

struct mock_process {
    pid_t pid;
    char base_url[128];
    unsigned port;
    char stdout_text[8192]; /* everything printed before the URL line, plus the URL line */
};

/* Runs CDRSIM_MOCK_BIN with --port 0 plus args (NULL-terminated) and waits for its
 * "listening on" line. Fails the test when it does not come within 10 s. */
void mock_process_start(struct mock_process *p, const char *const *args);
/* Sends SIGTERM and waits; returns the exit status (fails the test on a crash). */
int mock_process_stop(struct mock_process *p);

/* Runs a command line with an optional stdin text, captures stdout and stderr. Returns the exit
 * status (or -1 when it did not exit normally). out/err are malloc'd (caller frees). */
int run_command(const char *const *argv, const char *stdin_text, char **out, char **err);

/* A throwaway self-signed certificate for 127.0.0.1 and localhost, made with the openssl CLI in a
 * fresh mkdtemp directory. Fails the test when openssl cannot make one. */
struct test_tls {
    char dir[64];
    char cert[96]; /* dir/cert.pem: also the CA file a client can trust */
    char key[96];  /* dir/key.pem */
};
void test_tls_make(struct test_tls *tls);
/* Removes the files and the directory; safe on a zeroed struct. */
void test_tls_remove(struct test_tls *tls);

/* The whole file, NUL-terminated (caller frees); *len (when not NULL) its length. Fails the test
 * when the file cannot be read. */
char *test_read_file(const char *path, size_t *len);

/* printf into a fresh malloc'd string. */
char *test_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
