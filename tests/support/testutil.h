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

/* 1 in a ThreadSanitizer build (scripts/test.sh --tsan). Its mock runs 5 to 15 times slower (a
 * start or a reset parses every dataset through instrumented code), so deadlines that are about
 * the machine, not about the behaviour under test, are longer there. */
#ifdef __SANITIZE_THREAD__
#define TEST_UNDER_TSAN 1
#else
#define TEST_UNDER_TSAN 0
#endif

/* ---- in-process mock ------------------------------------------------------------------------- */

struct mock_server;
struct mock_config;

/* A loaded server over the given fixtures root with a frozen clock at clock_ms; variants are
 * "vendor.name=value" strings, NULL-terminated (or NULL). Aborts the test on failure. */
struct test_mock {
    struct mock_config *config;
    struct mock_server *server;
};
void test_mock_start(struct test_mock *m, const char *data_dir, int64_t clock_ms,
                     const char *const *variants);
/* Same, with --generate VENDOR=N and --seed. */
void test_mock_start_generated(struct test_mock *m, const char *data_dir, int64_t clock_ms,
                               const char *const *variants, const char *vendor, int64_t n,
                               uint64_t seed);
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
struct test_reply test_mock_call_oversized(struct test_mock *m, const char *method,
                                           const char *path, const char *const *headers);

/* cmocka setup/teardown with a zeroed struct test_mock as state; teardown stops it if started. */
int test_mock_setup(void **state);
int test_mock_teardown(void **state);

/* ---- files ---------------------------------------------------------------------------------- */

/* The whole file, NUL-terminated (caller frees); fails the test when it cannot be read. */
char *test_read_file(const char *path, size_t *len);
/* The file parsed as JSON (caller cJSON_Deletes); fails the test when it is not JSON. */
cJSON *test_load_json(const char *path);

/* ---- JSON helpers --------------------------------------------------------------------------- */

/* The item at a dotted path ("data.records.0.keyId"; numbers index arrays), or NULL. */
const cJSON *json_at(const cJSON *root, const char *path);
/* A number at path (fails the test if absent or not a number). */
int64_t json_int_at(const cJSON *root, const char *path);
/* A string at path (fails the test if absent or not a string). */
const char *json_str_at(const cJSON *root, const char *path);

/* ---- id lists ------------------------------------------------------------------------------ */

/* Record ids (owned copies), for comparing what a server sent with what a dataset holds. */
struct test_ids {
    char **items;
    size_t count;
};
void test_ids_add(struct test_ids *ids, const char *id);
void test_ids_free(struct test_ids *ids);
/* Sorts the ids bytewise, for comparing sets. */
void test_ids_sort(struct test_ids *ids);
/* Same ids in the same order; a failure names the first difference. */
void test_ids_assert_equal(const struct test_ids *want, const struct test_ids *got);

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

/* Runs argv (argv[0] a path; NULL-terminated) and waits for the "listening on URL" line a server
 * of ours prints first (cdrsim-mock, a stand-in); fails the test when it does not come within
 * 60 s. Stop it with mock_process_stop. */
void test_server_start(struct mock_process *p, const char *const *argv);
/* Runs CDRSIM_MOCK_BIN with --port 0 plus args (NULL-terminated) and waits for its
 * "listening on" line. Fails the test when it does not come within 60 s (sanitizer builds on a
 * loaded machine load the datasets slowly). */
void mock_process_start(struct mock_process *p, const char *const *args);
/* Sends SIGTERM and waits; returns the exit status (fails the test on a crash). */
int mock_process_stop(struct mock_process *p);
/* cmocka setup/teardown with a zeroed struct mock_process as state (start it in the test);
 * teardown stops it if running and requires a clean exit, which for a sanitizer build of the
 * mock also means no leak report. */
int mock_process_setup(void **state);
int mock_process_teardown(void **state);

/* Runs a command line with an optional stdin text, captures stdout and stderr. Returns the exit
 * status (or -1 when it did not exit normally). out/err are malloc'd (caller frees). */
int run_command(const char *const *argv, const char *stdin_text, char **out, char **err);

/* ---- plain HTTP to a real mock -----------------------------------------------------------------
 */

struct test_http_reply {
    long status;
    char *body; /* NUL-terminated */
    size_t len;
    cJSON *json;        /* parsed body, or NULL */
    char *content_type; /* or NULL */
    char *headers;      /* the response's header lines as received, status line first */
};

/* One request with libcurl (no proxy, 10 s timeout, 60 s under TSan); fails the test when no
 * answer comes.
 * headers: "Name: value", NULL-terminated (or NULL); body NULL for none. */
struct test_http_reply test_http(const char *method, const char *url, const char *const *headers,
                                 const char *body, size_t len);
/* The same without cmocka: false with error filled when no answer came (connection refused or
 * dropped, timeout), so worker threads can report instead of failing. Thread-safe once
 * curl_global_init has run. */
bool test_http_try(const char *method, const char *url, const char *const *headers,
                   const char *body, size_t len, struct test_http_reply *out, char *error,
                   size_t error_len);
/* The same with its own deadline: for a request that reloads datasets (a reset, a change of
 * variants) behind others that do, which under a sanitizer on a busy machine takes seconds. */
bool test_http_try_within(const char *method, const char *url, const char *const *headers,
                          const char *body, size_t len, long timeout_s, struct test_http_reply *out,
                          char *error, size_t error_len);
/* The value of the first response header of that name (case-insensitive), copied into out;
 * false when absent. */
bool test_http_reply_header(const struct test_http_reply *r, const char *name, char *out,
                            size_t out_len);
void test_http_reply_free(struct test_http_reply *r);

/* ---- Alibaba Cloud (aliyun) signed requests ---------------------------------------------------
 */

/* One HotlineSessionQuery request, signed V2 or V3 with the demo pair unless told otherwise. */
struct aliyun_request {
    const char *method;         /* "GET" (default) or "POST" */
    bool v3;                    /* Authorization header instead of the Signature parameter */
    const char *key_id;         /* default "testid" */
    const char *secret;         /* signing secret, default "testsecret" */
    int64_t now;                /* Unix seconds stamped into Timestamp / x-acs-date */
    const char *const *params;  /* NULL-terminated "Name=Value" set over the defaults; a bare
                                   "Name" removes one; "Signature=..." replaces the computed one */
    bool form_body;             /* V2: the parameters go in a form body instead of the query */
    const char *const *headers; /* V3: "name: value" over the default headers; a bare "name:"
                                   removes one; "Authorization: ..." replaces the computed one */
    const char *body;           /* V3: a raw body, hashed into x-acs-content-sha256 */
    const char *content_type;   /* V3: a content-type header, signed */
};

/* What goes on the wire; every member malloc'd. */
struct aliyun_built {
    char *path;           /* "/?..." */
    char *headers[24];    /* "Name: value", NULL-terminated */
    char *body;           /* NULL for none */
    char *string_to_sign; /* what the signature was computed over */
};

/* Defaults: Action=HotlineSessionQuery, Version=2019-10-15, Format=JSON, InstanceId of the demo
 * tenant, a nonce no other call of this process uses. */
void aliyun_build(const struct aliyun_request *r, struct aliyun_built *out);
void aliyun_built_free(struct aliyun_built *b);
/* Builds and sends r through the in-process mock. */
struct test_reply aliyun_call(struct test_mock *m, const struct aliyun_request *r);
/* The SecurityToken fixtures/aliyun/credentials.json gives the temporary key key_id (caller
 * frees); fails the test when there is none. */
char *aliyun_fixture_token(const char *key_id);

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

/* ---- the real cdrsim-conform binary ------------------------------------------------------------
 */

/* What one run left: its exit status, stdout, stderr and the --json report (NULL when none). */
struct test_conform {
    int exit_status;
    char *out;
    char *err;
    cJSON *json;
};

/* Runs CDRSIM_CONFORM_BIN with args (NULL-terminated) plus --json to a temporary file and
 * --quiet. */
struct test_conform test_conform_run(const char *const *args);
void test_conform_free(struct test_conform *r);
/* The report's entry for one scenario; fails the test when there is none. */
const cJSON *test_conform_scenario(const struct test_conform *r, const char *id);
/* The ids of the scenarios with that status, comma-separated in report order (caller frees). */
char *test_conform_ids_with_status(const struct test_conform *r, const char *status);
/* Whether one of a scenario's messages contains needle. */
bool test_conform_message_contains(const cJSON *scenario, const char *needle);
/* A scenario's drift findings are exactly want[0..n), each "path kind severity". */
void test_conform_expect_findings(const cJSON *scenario, const char *const *want, size_t n);
/* The scenario's finding at path; fails the test when there is none. */
const cJSON *test_conform_finding(const cJSON *scenario, const char *path);
/* A run against a live target: every live-safe scenario passed, every other one was skipped as
 * mock-only, and secret appears nowhere in what the runner printed. */
void test_conform_expect_live_run(const struct test_conform *r, const char *secret);

/* Runs vendor's suite against a real-time mock standing in for the live service, over the range
 * from..to: with credentials_json as the credentials file, then with env ("NAME=value",
 * NULL-terminated) in the environment instead. Both runs must look as test_conform_expect_live_run
 * wants; a third without env's last variable must stop with a setup error naming it. */
void test_conform_live_target(const char *vendor, const char *credentials_json,
                              const char *const *env, const char *secret, const char *from,
                              const char *to);

/* len bytes of text into path, created or truncated; fails the test when it cannot be written. */
void test_write_file(const char *path, const char *text, size_t len);
/* The built-in fixture files of vendor named in files[0, count) copied into dir, byte for byte. */
void test_copy_fixtures(const char *vendor, const char *dir, const char *const *files,
                        size_t count);
/* text in a fresh temporary file; returns its path (caller unlinks and frees). */
char *test_write_temp(const char *text);

/* cdrsim-client with args (NULL-terminated, without the binary) and an optional stdin text. */
struct test_cli_run {
    int status;
    char *out;
    char *err;
};
struct test_cli_run test_cli(const char *stdin_text, const char *const *args);
void test_cli_run_free(struct test_cli_run *r);
/* The number of '\n' in text: JSON Lines output has one record per line. */
size_t test_count_lines(const char *text);
/* The "id" of each JSON line of text, in order; fails the test on a line that is not a record. */
struct test_ids test_jsonl_ids(const char *text);

/* A loopback port nobody listens on: bound once to learn a free number, then released. */
unsigned test_free_port(void);

/* Fails the test, printing both, unless text starts with prefix. */
void test_assert_prefix(const char *text, const char *prefix);

/* printf into a fresh malloc'd string. */
char *test_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* JSON written inside C strings with ' for " stays readable: text with every ' turned into ", in
 * a fresh string (caller frees), and the same parsed (caller deletes; fails the test when it is not
 * JSON). */
char *test_dq(const char *text);
cJSON *test_parse_dq(const char *text);

#endif
