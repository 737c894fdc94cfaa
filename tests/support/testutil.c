#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "cdrsim/aliyun.h"
#include "cdrsim/buf.h"
#include "cdrsim/sign.h"
#include "config.h"
#include "server.h"

char *test_format(const char *fmt, ...)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && cdr_buf_reserve(&b, (size_t)n));
    va_start(ap, fmt);
    vsnprintf(b.data, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b.len = (size_t)n;
    return cdr_buf_steal(&b);
}

char *test_dq(const char *text)
{
    char *s = strdup(text);
    assert_non_null(s);
    for (char *p = s; *p; p++)
        if (*p == '\'')
            *p = '"';
    return s;
}

cJSON *test_parse_dq(const char *text)
{
    char *s = test_dq(text);
    cJSON *json = cJSON_Parse(s);
    if (!json)
        fail_msg("test JSON does not parse: %s", s);
    free(s);
    return json;
}

/* ---- in-process mock ------------------------------------------------------------------------- */

void test_mock_start_generated(struct test_mock *m, const char *data_dir, int64_t clock_ms,
                               const char *const *variants, const char *vendor, int64_t n,
                               uint64_t seed)
{
    m->config = calloc(1, sizeof(*m->config));
    assert_non_null(m->config);
    mock_config_init(m->config);
    m->config->data_dir = strdup(data_dir);
    m->config->clock_given = true;
    m->config->clock_start_ms = clock_ms;
    m->config->seed = seed;
    m->config->log_format = MOCK_LOG_OFF;
    for (size_t i = 0; variants && variants[i]; i++)
        assert_true(mock_config_add_variant(m->config, variants[i]));
    if (vendor) {
        char spec[64];
        snprintf(spec, sizeof(spec), "%s=%lld", vendor, (long long)n);
        assert_true(mock_config_add_generate(m->config, spec));
    }
    char err[512] = "";
    m->server = mock_server_new(m->config, err, sizeof(err));
    if (!m->server)
        fail_msg("mock_server_new: %s", err);
    mock_clock_freeze(&m->server->clock, clock_ms);
}

void test_mock_start(struct test_mock *m, const char *data_dir, int64_t clock_ms,
                     const char *const *variants)
{
    test_mock_start_generated(m, data_dir, clock_ms, variants, NULL, 0, 1);
}

void test_mock_stop(struct test_mock *m)
{
    mock_server_free(m->server);
    mock_config_free(m->config);
    free(m->config);
    m->server = NULL;
    m->config = NULL;
}

int test_mock_setup(void **state)
{
    struct test_mock *m = calloc(1, sizeof(*m));
    assert_non_null(m);
    *state = m;
    return 0;
}

int test_mock_teardown(void **state)
{
    struct test_mock *m = *state;
    if (m && m->server)
        test_mock_stop(m);
    free(m);
    return 0;
}

char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    struct cdr_buf b;
    cdr_buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        assert_true(cdr_buf_append(&b, chunk, n));
    fclose(f);
    cdr_buf_puts(&b, "");
    if (len)
        *len = b.len;
    char *text = cdr_buf_steal(&b);
    assert_non_null(text);
    return text;
}

cJSON *test_load_json(const char *path)
{
    size_t len;
    char *text = test_read_file(path, &len);
    cJSON *root = cJSON_ParseWithLength(text, len);
    free(text);
    if (!root)
        fail_msg("%s is not JSON", path);
    return root;
}

int test_mock_fixture_setup(void **state)
{
    struct test_mock_fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    *state = fx;
    return 0;
}

int test_mock_fixture_teardown(void **state)
{
    struct test_mock_fixture *fx = *state;
    if (fx->started)
        test_mock_stop(&fx->mock);
    free(fx);
    return 0;
}

struct test_mock *test_mock_fixture_start(void **state, const char *data_dir, int64_t clock_ms,
                                          const char *const *variants)
{
    struct test_mock_fixture *fx = *state;
    test_mock_start(&fx->mock, data_dir, clock_ms, variants);
    fx->started = true;
    return &fx->mock;
}

void test_mock_fixture_stop(void **state)
{
    struct test_mock_fixture *fx = *state;
    test_mock_stop(&fx->mock);
    fx->started = false;
}

void test_reply_free(struct test_reply *r)
{
    free(r->body);
    free(r->headers);
    cJSON_Delete(r->json);
    memset(r, 0, sizeof(*r));
}

/* The first "Name: value" line of that name in "\n"-separated header lines. */
static bool header_in_lines(const char *lines, const char *name, char *out, size_t out_len)
{
    size_t n = strlen(name);
    for (const char *line = lines; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len > n + 1 && strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            size_t vlen = len - (size_t)(v - line);
            while (vlen && v[vlen - 1] == '\r')
                vlen--;
            snprintf(out, out_len, "%.*s", (int)vlen, v);
            return true;
        }
        line = end ? end + 1 : line + len;
    }
    return false;
}

bool test_reply_header(const struct test_reply *r, const char *name, char *out, size_t out_len)
{
    return header_in_lines(r->headers, name, out, out_len);
}

static char *decode(const char *text, size_t len)
{
    char *out = cdr_percent_decode(text, len, false, NULL);
    assert_non_null(out);
    return out;
}

/* retries NULL: one call of the handler, as before. Otherwise the handler is called again for as
 * long as it asks (long poll), without sleeping, and *retries counts the extra calls. */
static struct test_reply call(struct test_mock *m, const char *method, const char *path,
                              const char *const *headers, const char *body, size_t body_len,
                              bool oversized, int *retries)
{
    /* Split "path?query" and decode like the HTTP layer: keys and values percent-decoded. */
    const char *q = strchr(path, '?');
    char *plain = decode(path, q ? (size_t)(q - path) : strlen(path));
    struct mock_kv query[64], hdrs[64];
    char *owned[256];
    size_t nq = 0, nh = 0, nowned = 0;
    for (const char *p = q ? q + 1 : NULL; p && *p;) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        assert_true(nq < 64);
        char *k = decode(p, eq ? (size_t)(eq - p) : len);
        char *v = eq ? decode(eq + 1, len - (size_t)(eq - p) - 1) : strdup("");
        owned[nowned++] = k;
        owned[nowned++] = v;
        query[nq++] = (struct mock_kv){k, v};
        p = amp ? amp + 1 : NULL;
    }
    for (size_t i = 0; headers && headers[i]; i++) {
        const char *colon = strchr(headers[i], ':');
        assert_non_null(colon);
        char *k = strndup(headers[i], (size_t)(colon - headers[i]));
        const char *v = colon + 1;
        while (*v == ' ')
            v++;
        char *vv = strdup(v);
        owned[nowned++] = k;
        owned[nowned++] = vv;
        hdrs[nh++] = (struct mock_kv){k, vv};
    }
    struct mock_request req = {
        .method = method,
        .path = plain,
        .query = query,
        .query_count = nq,
        .headers = hdrs,
        .header_count = nh,
        .body = body ? body : "",
        .body_len = body ? body_len : 0,
        .too_large = oversized ? MOCK_BODY_TOO_LARGE : MOCK_FITS,
        .remote_addr = "127.0.0.1",
    };
    struct mock_response resp;
    mock_response_init(&resp);
    mock_server_handle(m->server, &req, &resp);
    for (int n = 0; retries && resp.retry_after_ms > 0; n++) {
        /* A handler that never stops asking would hang the test: no poll needs a million calls. */
        assert_true(n < 1000000);
        mock_response_retry(&resp);
        ++*retries;
        mock_server_handle(m->server, &req, &resp);
    }
    struct test_reply r = {0};
    r.status = resp.status;
    r.body = malloc(resp.body_len + 1);
    assert_non_null(r.body);
    if (resp.body_len)
        memcpy(r.body, resp.body, resp.body_len);
    r.body[resp.body_len] = '\0';
    r.body_len = resp.body_len;
    r.json = cJSON_ParseWithLength(r.body, r.body_len);
    snprintf(r.vendor_code, sizeof(r.vendor_code), "%s", resp.vendor_code);
    struct cdr_buf h;
    cdr_buf_init(&h);
    cdr_buf_puts(&h, "");
    for (size_t i = 0; i < resp.header_count; i++)
        cdr_buf_printf(&h, "%s: %s\n", resp.headers[i].name, resp.headers[i].value);
    r.headers = cdr_buf_steal(&h);
    mock_response_free(&resp);
    for (size_t i = 0; i < nowned; i++)
        free(owned[i]);
    free(plain);
    return r;
}

struct test_reply test_mock_call(struct test_mock *m, const char *method, const char *path,
                                 const char *const *headers, const char *body, size_t body_len)
{
    return call(m, method, path, headers, body, body_len, false, NULL);
}

struct test_reply test_mock_call_polling(struct test_mock *m, const char *method, const char *path,
                                         const char *const *headers, int *retries)
{
    *retries = 0;
    return call(m, method, path, headers, NULL, 0, false, retries);
}

struct test_reply test_mock_call_oversized(struct test_mock *m, const char *method,
                                           const char *path, const char *const *headers)
{
    return call(m, method, path, headers, "", 0, true, NULL);
}

/* ---- JSON helpers --------------------------------------------------------------------------- */

const cJSON *json_at(const cJSON *root, const char *path)
{
    const cJSON *cur = root;
    char key[128];
    while (cur && *path) {
        size_t len = strcspn(path, ".");
        assert_true(len < sizeof(key));
        memcpy(key, path, len);
        key[len] = '\0';
        char *end;
        long idx = strtol(key, &end, 10);
        if (cJSON_IsArray(cur) && *end == '\0' && len)
            cur = cJSON_GetArrayItem(cur, (int)idx);
        else
            cur = cJSON_GetObjectItemCaseSensitive(cur, key);
        path += len + (path[len] == '.');
    }
    return cur;
}

int64_t json_int_at(const cJSON *root, const char *path)
{
    const cJSON *item = json_at(root, path);
    if (!cJSON_IsNumber(item))
        fail_msg("expected a number at %s", path);
    return (int64_t)item->valuedouble;
}

const char *json_str_at(const cJSON *root, const char *path)
{
    const cJSON *item = json_at(root, path);
    if (!cJSON_IsString(item))
        fail_msg("expected a string at %s", path);
    return item->valuestring;
}

/* ---- files --------------------------------------------------------------------------------- */

/* ---- id lists ------------------------------------------------------------------------------ */

void test_ids_add(struct test_ids *ids, const char *id)
{
    char **grown = realloc(ids->items, (ids->count + 1) * sizeof(*grown));
    assert_non_null(grown);
    ids->items = grown;
    assert_non_null(grown[ids->count] = strdup(id));
    ids->count++;
}

void test_ids_free(struct test_ids *ids)
{
    for (size_t i = 0; i < ids->count; i++)
        free(ids->items[i]);
    free(ids->items);
    ids->items = NULL;
    ids->count = 0;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void test_ids_sort(struct test_ids *ids)
{
    if (ids->count > 1)
        qsort(ids->items, ids->count, sizeof(*ids->items), by_text);
}

void test_ids_assert_equal(const struct test_ids *want, const struct test_ids *got)
{
    size_t n = want->count < got->count ? want->count : got->count;
    for (size_t i = 0; i < n; i++)
        if (strcmp(want->items[i], got->items[i]) != 0)
            fail_msg("id %zu: expected %s, got %s", i, want->items[i], got->items[i]);
    if (want->count != got->count)
        fail_msg("expected %zu ids, got %zu", want->count, got->count);
}

int64_t china_time(int y, int mo, int d, int h, int mi, int s)
{
    /* Days since 1970-01-01 by counting: slow and obviously right, unlike the code under test. */
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t days = 0;
    for (int year = 1970; year < y; year++)
        days += 365 + ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0);
    for (int month = 1; month < mo; month++)
        days += mdays[month - 1] + (month == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    days += d - 1;
    return days * 86400 + h * 3600 + mi * 60 + s - 8 * 3600;
}

/* ---- processes ------------------------------------------------------------------------------ */

/* Mocks still running when the test program ends: a failed assertion jumps past the test's own
 * mock_process_stop, and an orphaned mock would keep the test's stdout open for whoever reads it.
 */
static pid_t running_mocks[64];

static void stop_leftover_mocks(void)
{
    for (size_t i = 0; i < sizeof(running_mocks) / sizeof(running_mocks[0]); i++)
        if (running_mocks[i] > 0) {
            kill(running_mocks[i], SIGKILL);
            waitpid(running_mocks[i], NULL, 0);
            running_mocks[i] = 0;
        }
}

static void track_mock(pid_t pid, pid_t replace)
{
    static bool registered;
    if (!registered)
        registered = atexit(stop_leftover_mocks) == 0;
    for (size_t i = 0; i < sizeof(running_mocks) / sizeof(running_mocks[0]); i++)
        if (running_mocks[i] == replace) {
            running_mocks[i] = pid;
            return;
        }
}

/* How long the mock may take to load every dataset and listen: generous, since sanitizer builds
 * on a loaded 2-core machine take many seconds to load the datasets. */
#define MOCK_START_SECONDS 60

void test_server_start(struct mock_process *p, const char *const *argv)
{
    memset(p, 0, sizeof(*p));
    int out[2];
    assert_int_equal(pipe(out), 0);
    p->pid = fork();
    assert_true(p->pid >= 0);
    if (p->pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        close(out[0]);
        close(out[1]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    track_mock(p->pid, 0);
    close(out[1]);
    size_t used = 0;
    int64_t deadline = (int64_t)time(NULL) + MOCK_START_SECONDS;
    char *line = NULL;
    while (!line && (int64_t)time(NULL) < deadline && used < sizeof(p->stdout_text) - 1) {
        struct pollfd pfd = {out[0], POLLIN, 0};
        if (poll(&pfd, 1, 200) <= 0)
            continue;
        ssize_t got = read(out[0], p->stdout_text + used, sizeof(p->stdout_text) - 1 - used);
        if (got <= 0)
            break;
        used += (size_t)got;
        p->stdout_text[used] = '\0';
        char *at = strstr(p->stdout_text, "listening on ");
        if (at && strchr(at, '\n'))
            line = at;
    }
    if (!line) {
        close(out[0]);
        kill(p->pid, SIGKILL);
        waitpid(p->pid, NULL, 0);
        fail_msg("%s did not start: %s", argv[0], p->stdout_text);
    }
    /* Keep reading the rest of the banner in the background is unnecessary: the pipe stays open
     * only until close; the mock prints nothing more to stdout. */
    sscanf(line, "listening on %127s", p->base_url);
    const char *colon = strrchr(p->base_url, ':');
    p->port = colon ? (unsigned)atoi(colon + 1) : 0;
    /* Drain what is already there (the quick-start banner) without blocking. */
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    for (;;) {
        ssize_t got = used < sizeof(p->stdout_text) - 1
                          ? read(out[0], p->stdout_text + used, sizeof(p->stdout_text) - 1 - used)
                          : 0;
        if (got <= 0)
            break;
        used += (size_t)got;
        p->stdout_text[used] = '\0';
    }
    close(out[0]);
}

void mock_process_start(struct mock_process *p, const char *const *args)
{
    const char *argv[64];
    size_t n = 0;
    argv[n++] = CDRSIM_MOCK_BIN;
    argv[n++] = "--port";
    argv[n++] = "0";
    argv[n++] = "--log-format";
    argv[n++] = "off";
    for (size_t i = 0; args && args[i] && n < 63; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    test_server_start(p, argv);
}

int mock_process_stop(struct mock_process *p)
{
    if (p->pid <= 0)
        return -1;
    kill(p->pid, SIGTERM);
    int status = 0;
    waitpid(p->pid, &status, 0);
    track_mock(0, p->pid);
    p->pid = 0;
    if (!WIFEXITED(status))
        fail_msg("cdrsim-mock did not exit cleanly (signal %d)",
                 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return WEXITSTATUS(status);
}

int mock_process_setup(void **state)
{
    struct mock_process *p = calloc(1, sizeof(*p));
    assert_non_null(p);
    *state = p;
    return 0;
}

int mock_process_teardown(void **state)
{
    struct mock_process *p = *state;
    if (p && p->pid > 0)
        assert_int_equal(mock_process_stop(p), 0);
    free(p);
    return 0;
}

static char *drain(int fd)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    char chunk[4096];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof(chunk))) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
            cdr_buf_append(&b, chunk, (size_t)n);
    cdr_buf_puts(&b, "");
    return cdr_buf_steal(&b);
}

int run_command(const char *const *argv, const char *stdin_text, char **out, char **err)
{
    char in_path[] = "/tmp/cdrsim-test-stdin-XXXXXX";
    char out_path[] = "/tmp/cdrsim-test-stdout-XXXXXX";
    char err_path[] = "/tmp/cdrsim-test-stderr-XXXXXX";
    int in_fd = mkstemp(in_path), out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
    assert_true(in_fd >= 0 && out_fd >= 0 && err_fd >= 0);
    if (stdin_text)
        assert_int_equal(write(in_fd, stdin_text, strlen(stdin_text)), strlen(stdin_text));
    lseek(in_fd, 0, SEEK_SET);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(in_fd, STDIN_FILENO);
        dup2(out_fd, STDOUT_FILENO);
        dup2(err_fd, STDERR_FILENO);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    lseek(out_fd, 0, SEEK_SET);
    lseek(err_fd, 0, SEEK_SET);
    char *o = drain(out_fd), *e = drain(err_fd);
    close(in_fd);
    close(out_fd);
    close(err_fd);
    unlink(in_path);
    unlink(out_path);
    unlink(err_path);
    if (out)
        *out = o;
    else
        free(o);
    if (err)
        *err = e;
    else
        free(e);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ---- plain HTTP ---------------------------------------------------------------------------- */

static size_t on_http_body(char *data, size_t size, size_t nmemb, void *user)
{
    return cdr_buf_append(user, data, size * nmemb) ? size * nmemb : 0;
}

bool test_http_try(const char *method, const char *url, const char *const *headers,
                   const char *body, size_t len, struct test_http_reply *out, char *error,
                   size_t error_len)
{
    return test_http_try_within(method, url, headers, body, len, TEST_UNDER_TSAN ? 60 : 10, out,
                                error, error_len);
}

bool test_http_try_within(const char *method, const char *url, const char *const *headers,
                          const char *body, size_t len, long timeout_s, struct test_http_reply *out,
                          char *error, size_t error_len)
{
    memset(out, 0, sizeof(*out));
    CURL *curl = curl_easy_init();
    if (!curl) {
        snprintf(error, error_len, "%s %s: curl_easy_init failed", method, url);
        return false;
    }
    struct curl_slist *list = NULL;
    for (size_t i = 0; headers && headers[i]; i++)
        list = curl_slist_append(list, headers[i]);
    list = curl_slist_append(list, "Expect:"); /* no 100-continue pause on larger bodies */
    struct cdr_buf b, h;
    cdr_buf_init(&b);
    cdr_buf_init(&h);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L); /* safe in threads: no SIGALRM for timeouts */
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout_s);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_http_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_http_body);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &h);
    if (body) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    CURLcode rc = curl_easy_perform(curl);
    char *type = NULL;
    if (rc == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
        curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
        out->content_type = type ? strdup(type) : NULL;
    }
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    cdr_buf_puts(&b, "");
    cdr_buf_puts(&h, "");
    out->len = b.len;
    out->body = cdr_buf_steal(&b);
    out->headers = cdr_buf_steal(&h);
    if (rc != CURLE_OK || !out->body || !out->headers) {
        snprintf(error, error_len, "%s %s: %s", method, url,
                 rc != CURLE_OK ? curl_easy_strerror(rc) : "out of memory");
        test_http_reply_free(out);
        return false;
    }
    out->json = cJSON_ParseWithLength(out->body, out->len);
    return true;
}

struct test_http_reply test_http(const char *method, const char *url, const char *const *headers,
                                 const char *body, size_t len)
{
    struct test_http_reply r;
    char error[512];
    if (!test_http_try(method, url, headers, body, len, &r, error, sizeof(error)))
        fail_msg("%s", error);
    return r;
}

bool test_http_reply_header(const struct test_http_reply *r, const char *name, char *out,
                            size_t out_len)
{
    return header_in_lines(r->headers, name, out, out_len);
}

void test_http_reply_free(struct test_http_reply *r)
{
    free(r->body);
    free(r->headers);
    free(r->content_type);
    cJSON_Delete(r->json);
    memset(r, 0, sizeof(*r));
}

/* ---- Alibaba Cloud signed requests ------------------------------------------------------------
 */

struct pairs {
    char *names[64];
    char *values[64];
    size_t n;
};

static bool same_name(const char *a, const char *b, bool fold_case)
{
    return fold_case ? strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

static void pairs_put(struct pairs *p, const char *name, size_t name_len, const char *value,
                      bool fold_case)
{
    char *n = strndup(name, name_len);
    assert_non_null(n);
    size_t kept = 0;
    bool replaced = false;
    for (size_t i = 0; i < p->n; i++) {
        if (same_name(p->names[i], n, fold_case) && (!value || replaced)) {
            free(p->names[i]);
            free(p->values[i]);
            continue;
        }
        if (same_name(p->names[i], n, fold_case)) {
            free(p->values[i]);
            assert_non_null(p->values[i] = strdup(value));
            replaced = true;
        }
        p->names[kept] = p->names[i];
        p->values[kept++] = p->values[i];
    }
    p->n = kept;
    if (value && !replaced) {
        assert_true(p->n < 64);
        p->names[p->n] = n;
        assert_non_null(p->values[p->n++] = strdup(value));
    } else {
        free(n);
    }
}

/* "Name=Value" sets, a bare "Name" removes (sep '='); "name: value" sets, "name:" removes. */
static void pairs_apply(struct pairs *p, const char *spec, char sep)
{
    const char *at = strchr(spec, sep);
    if (sep == '=') {
        pairs_put(p, spec, at ? (size_t)(at - spec) : strlen(spec), at ? at + 1 : NULL, false);
        return;
    }
    assert_non_null(at);
    const char *v = at + 1;
    while (*v == ' ')
        v++;
    pairs_put(p, spec, (size_t)(at - spec), *v ? v : NULL, true);
}

static const char *pairs_get(const struct pairs *p, const char *name, bool fold_case)
{
    for (size_t i = 0; i < p->n; i++)
        if (same_name(p->names[i], name, fold_case))
            return p->values[i];
    return NULL;
}

static void pairs_free(struct pairs *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->names[i]);
        free(p->values[i]);
    }
    p->n = 0;
}

/* The pairs as cdr_params, leaving out `skip`. */
static size_t pairs_view(const struct pairs *p, const char *skip, struct cdr_param *out)
{
    size_t k = 0;
    for (size_t i = 0; i < p->n; i++)
        if (!skip || strcmp(p->names[i], skip) != 0)
            out[k++] = (struct cdr_param){p->names[i], p->values[i]};
    return k;
}

static void build_v2(const struct aliyun_request *r, struct pairs *params, struct aliyun_built *out,
                     const char *method)
{
    struct cdr_param view[64];
    size_t n = pairs_view(params, "Signature", view);
    char *sts = cdr_aliyun_v2_string_to_sign(method, view, n);
    assert_non_null(sts);
    char *computed = cdr_aliyun_v2_signature(r->secret ? r->secret : "testsecret", sts);
    assert_non_null(computed);
    const char *given = pairs_get(params, "Signature", false);
    const char *signature = given ? given : computed;
    char *query = cdr_canonical_query(view, n);
    char *encoded = cdr_percent_encode(signature, strlen(signature));
    assert_non_null(query);
    assert_non_null(encoded);
    char *form = test_format("%s%sSignature=%s", query, n ? "&" : "", encoded);
    if (r->form_body) {
        out->path = strdup("/");
        out->body = form;
        out->headers[0] = strdup("Content-Type: application/x-www-form-urlencoded");
    } else {
        out->path = test_format("/?%s", form);
        free(form);
    }
    out->string_to_sign = sts;
    free(computed);
    free(query);
    free(encoded);
}

static void build_v3(const struct aliyun_request *r, struct pairs *params, struct aliyun_built *out,
                     const char *method, const char *timestamp, const char *nonce)
{
    const char *body = r->body ? r->body : "";
    char *payload = cdr_sha256_hex(body, strlen(body));
    assert_non_null(payload);
    struct pairs headers = {0};
    pairs_apply(&headers, "host: aiccs.aliyuncs.com", ':');
    pairs_put(&headers, "x-acs-action", 12, "HotlineSessionQuery", true);
    pairs_put(&headers, "x-acs-version", 13, "2019-10-15", true);
    pairs_put(&headers, "x-acs-date", 10, timestamp, true);
    pairs_put(&headers, "x-acs-signature-nonce", 21, nonce, true);
    pairs_put(&headers, "x-acs-content-sha256", 20, payload, true);
    if (r->content_type)
        pairs_put(&headers, "content-type", 12, r->content_type, true);
    for (size_t i = 0; r->headers && r->headers[i]; i++)
        pairs_apply(&headers, r->headers[i], ':');
    const char *given = pairs_get(&headers, "Authorization", true);
    char *given_copy = given ? strdup(given) : NULL;
    pairs_put(&headers, "Authorization", 13, NULL, true);

    struct cdr_param query[64], hdrs[64];
    size_t nq = pairs_view(params, NULL, query), nh = pairs_view(&headers, NULL, hdrs);
    char *signed_headers = NULL;
    char *canonical = cdr_aliyun_v3_canonical_request(method, "/", query, nq, hdrs, nh, NULL,
                                                      payload, &signed_headers);
    assert_non_null(canonical);
    char *sts = cdr_aliyun_v3_string_to_sign(canonical);
    char *signature = cdr_aliyun_v3_signature(r->secret ? r->secret : "testsecret", sts);
    assert_non_null(signature);
    char *canonical_query = cdr_canonical_query(query, nq);
    out->path = test_format("/%s%s", nq ? "?" : "", canonical_query);
    size_t k = 0;
    for (size_t i = 0; i < nh; i++)
        out->headers[k++] = test_format("%s: %s", hdrs[i].name, hdrs[i].value);
    out->headers[k++] =
        given_copy
            ? test_format("Authorization: %s", given_copy)
            : test_format(
                  "Authorization: ACS3-HMAC-SHA256 Credential=%s,SignedHeaders=%s,Signature=%s",
                  r->key_id ? r->key_id : "testid", signed_headers, signature);
    out->body = r->body ? strdup(r->body) : NULL;
    out->string_to_sign = sts;
    free(given_copy);
    free(canonical_query);
    free(signature);
    free(canonical);
    free(signed_headers);
    free(payload);
    pairs_free(&headers);
}

void aliyun_build(const struct aliyun_request *r, struct aliyun_built *out)
{
    static atomic_ulong nonce_counter; /* unique within the test process, across its threads */
    memset(out, 0, sizeof(*out));
    const char *method = r->method ? r->method : "GET";
    char timestamp[32], nonce[48];
    time_t t = (time_t)r->now;
    struct tm tm;
    assert_non_null(gmtime_r(&t, &tm));
    strftime(timestamp, sizeof(timestamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(nonce, sizeof(nonce), "cdrsim-test-%d-%lu", (int)getpid(),
             atomic_fetch_add(&nonce_counter, 1) + 1);
    struct pairs params = {0};
    if (!r->v3) {
        const char *key = r->key_id ? r->key_id : "testid";
        pairs_put(&params, "AccessKeyId", 11, key, false);
        pairs_apply(&params, "Action=HotlineSessionQuery", '=');
        pairs_apply(&params, "SignatureMethod=HMAC-SHA1", '=');
        pairs_put(&params, "SignatureNonce", 14, nonce, false);
        pairs_apply(&params, "SignatureVersion=1.0", '=');
        pairs_put(&params, "Timestamp", 9, timestamp, false);
        pairs_apply(&params, "Version=2019-10-15", '=');
    }
    pairs_apply(&params, "Format=JSON", '=');
    pairs_apply(&params, "InstanceId=ccc_xp_pre-cn-demo001", '=');
    for (size_t i = 0; r->params && r->params[i]; i++)
        pairs_apply(&params, r->params[i], '=');
    if (r->v3)
        build_v3(r, &params, out, method, timestamp, nonce);
    else
        build_v2(r, &params, out, method);
    pairs_free(&params);
}

void aliyun_built_free(struct aliyun_built *b)
{
    free(b->path);
    for (size_t i = 0; b->headers[i]; i++)
        free(b->headers[i]);
    free(b->body);
    free(b->string_to_sign);
    memset(b, 0, sizeof(*b));
}

struct test_reply aliyun_call(struct test_mock *m, const struct aliyun_request *r)
{
    struct aliyun_built b;
    aliyun_build(r, &b);
    struct test_reply reply =
        test_mock_call(m, r->method ? r->method : "GET", b.path, (const char *const *)b.headers,
                       b.body, b.body ? strlen(b.body) : 0);
    aliyun_built_free(&b);
    return reply;
}

char *aliyun_fixture_token(const char *key_id)
{
    cJSON *creds = test_load_json(FIXTURES_DIR "/aliyun/credentials.json");
    const cJSON *c;
    char *token = NULL;
    cJSON_ArrayForEach(c, creds)
        if (strcmp(json_str_at(c, "access_key_id"), key_id) == 0)
            token = strdup(json_str_at(c, "security_token"));
    cJSON_Delete(creds);
    if (!token)
        fail_msg("no security_token for %s in fixtures/aliyun/credentials.json", key_id);
    return token;
}

void test_tls_make(struct test_tls *tls)
{
    memset(tls, 0, sizeof(*tls));
    snprintf(tls->dir, sizeof(tls->dir), "/tmp/cdrsim-test-tls-XXXXXX");
    assert_non_null(mkdtemp(tls->dir));
    snprintf(tls->cert, sizeof(tls->cert), "%s/cert.pem", tls->dir);
    snprintf(tls->key, sizeof(tls->key), "%s/key.pem", tls->dir);
    const char *const argv[] = {"/usr/bin/env",
                                "openssl",
                                "req",
                                "-x509",
                                "-newkey",
                                "rsa:2048",
                                "-nodes",
                                "-keyout",
                                tls->key,
                                "-out",
                                tls->cert,
                                "-days",
                                "2",
                                "-subj",
                                "/CN=127.0.0.1",
                                "-addext",
                                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                                NULL};
    char *err = NULL;
    int status = run_command(argv, NULL, NULL, &err);
    if (status != 0)
        fail_msg("openssl could not make a test certificate (exit %d): %s", status, err);
    free(err);
}

void test_tls_remove(struct test_tls *tls)
{
    if (!tls->dir[0])
        return;
    unlink(tls->cert);
    unlink(tls->key);
    rmdir(tls->dir);
    memset(tls, 0, sizeof(*tls));
}

/* ---- the real cdrsim-conform binary ------------------------------------------------------------
 */

void test_write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        fail_msg("cannot write %s", path);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

void test_copy_fixtures(const char *vendor, const char *dir, const char *const *files, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        char *src = test_format("%s/%s/%s", FIXTURES_DIR, vendor, files[i]);
        char *dst = test_format("%s/%s", dir, files[i]);
        size_t len;
        char *text = test_read_file(src, &len);
        test_write_file(dst, text, len);
        free(text);
        free(src);
        free(dst);
    }
}

char *test_write_temp(const char *text)
{
    char *path = strdup("/tmp/cdrsim-test-file-XXXXXX");
    assert_non_null(path);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t len = strlen(text);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    return path;
}

struct test_conform test_conform_run(const char *const *args)
{
    char path[] = "/tmp/cdrsim-conform-report-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    const char *argv[64];
    size_t n = 0;
    argv[n++] = CDRSIM_CONFORM_BIN;
    for (size_t i = 0; args[i] && n < 60; i++)
        argv[n++] = args[i];
    argv[n++] = "--json";
    argv[n++] = path;
    argv[n++] = "--quiet";
    argv[n] = NULL;
    struct test_conform r = {0};
    r.exit_status = run_command(argv, NULL, &r.out, &r.err);
    FILE *f = fopen(path, "rb");
    if (f) {
        fclose(f);
        size_t len = 0;
        char *text = test_read_file(path, &len);
        r.json = cJSON_ParseWithLength(text, len);
        free(text);
    }
    unlink(path);
    return r;
}

void test_conform_free(struct test_conform *r)
{
    free(r->out);
    free(r->err);
    cJSON_Delete(r->json);
    memset(r, 0, sizeof(*r));
}

const cJSON *test_conform_scenario(const struct test_conform *r, const char *id)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, json_at(r->json, "scenarios"))
        if (strcmp(json_str_at(s, "id"), id) == 0)
            return s;
    fail_msg("scenario %s not in the report", id);
    return NULL;
}

char *test_conform_ids_with_status(const struct test_conform *r, const char *status)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "");
    const cJSON *s;
    cJSON_ArrayForEach(s, json_at(r->json, "scenarios"))
        if (strcmp(json_str_at(s, "status"), status) == 0)
            cdr_buf_printf(&b, "%s%s", b.len ? "," : "", json_str_at(s, "id"));
    assert_false(b.failed);
    return cdr_buf_steal(&b);
}

bool test_conform_message_contains(const cJSON *scenario, const char *needle)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, json_at(scenario, "messages"))
        if (strstr(m->valuestring, needle))
            return true;
    return false;
}

void test_conform_expect_findings(const cJSON *scenario, const char *const *want, size_t n)
{
    const cJSON *drift = json_at(scenario, "drift");
    if (cJSON_GetArraySize(drift) != (int)n) {
        char *seen = cJSON_PrintUnformatted(drift);
        fail_msg("%d findings, expected %zu: %s", cJSON_GetArraySize(drift), n, seen);
    }
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        const cJSON *d;
        cJSON_ArrayForEach(d, drift) {
            char line[256];
            snprintf(line, sizeof(line), "%s %s %s", json_str_at(d, "path"), json_str_at(d, "kind"),
                     json_str_at(d, "severity"));
            found = found || strcmp(line, want[i]) == 0;
        }
        if (!found)
            fail_msg("finding '%s' not reported", want[i]);
    }
}

void test_conform_expect_live_run(const struct test_conform *r, const char *secret)
{
    if (r->exit_status != 0)
        fail_msg("exit %d\n%s%s", r->exit_status, r->out, r->err);
    size_t live_safe_count = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, json_at(r->json, "scenarios")) {
        bool live_safe = false;
        const cJSON *t;
        cJSON_ArrayForEach(t, json_at(s, "tags"))
            live_safe = live_safe || strcmp(t->valuestring, "live-safe") == 0;
        live_safe_count += live_safe;
        if (strcmp(json_str_at(s, "status"), live_safe ? "passed" : "skipped") != 0)
            fail_msg("scenario %s: %s", json_str_at(s, "id"), json_str_at(s, "status"));
        if (!live_safe)
            assert_string_equal(json_str_at(s, "skip_reason"),
                                "mock-only scenario on a live target");
    }
    assert_true(live_safe_count > 0);
    /* Secrets never appear in what the runner prints. */
    assert_null(strstr(r->out, secret));
    assert_null(strstr(r->err, secret));
}

/* setenv from "NAME=value", or unsetenv when unset. */
static void put_env(const char *pair, bool unset)
{
    const char *eq = strchr(pair, '=');
    assert_non_null(eq);
    char name[128];
    snprintf(name, sizeof(name), "%.*s", (int)(eq - pair), pair);
    assert_int_equal(unset ? unsetenv(name) : setenv(name, eq + 1, 1), 0);
}

void test_conform_live_target(const char *vendor, const char *credentials_json,
                              const char *const *env, const char *secret, const char *from,
                              const char *to)
{
    struct mock_process mock;
    mock_process_start(&mock, NULL);
    char *creds = test_write_temp(credentials_json);
    struct test_conform r = test_conform_run(
        (const char *const[]){"run", "--vendor", vendor, "--target", mock.base_url, "--credentials",
                              creds, "--from", from, "--to", to, NULL});
    test_conform_expect_live_run(&r, secret);
    test_conform_free(&r);
    unlink(creds);
    free(creds);

    size_t n = 0;
    for (; env[n]; n++)
        put_env(env[n], false);
    assert_true(n > 0);
    const char *const args[] = {"run",    "--vendor", vendor, "--target", mock.base_url,
                                "--from", from,       "--to", to,         NULL};
    r = test_conform_run(args);
    test_conform_expect_live_run(&r, secret);
    test_conform_free(&r);
    put_env(env[n - 1], true);
    r = test_conform_run(args);
    assert_int_equal(r.exit_status, 2);
    char needle[130];
    snprintf(needle, sizeof(needle), "$%.*s", (int)strcspn(env[n - 1], "="), env[n - 1]);
    if (!strstr(r.err, needle))
        fail_msg("\"%s\" does not name %s", r.err, needle);
    test_conform_free(&r);
    for (size_t i = 0; i + 1 < n; i++)
        put_env(env[i], true);
    assert_int_equal(mock_process_stop(&mock), 0);
}

const cJSON *test_conform_finding(const cJSON *scenario, const char *path)
{
    const cJSON *d;
    cJSON_ArrayForEach(d, json_at(scenario, "drift"))
        if (strcmp(json_str_at(d, "path"), path) == 0)
            return d;
    fail_msg("no finding at %s", path);
    return NULL;
}

struct test_cli_run test_cli(const char *stdin_text, const char *const *args)
{
    const char *argv[64] = {CDRSIM_CLIENT_BIN};
    size_t n = 1;
    for (; args[n - 1]; n++) {
        assert_true(n < 63);
        argv[n] = args[n - 1];
    }
    argv[n] = NULL;
    struct test_cli_run r = {0};
    r.status = run_command(argv, stdin_text, &r.out, &r.err);
    assert_non_null(r.out);
    assert_non_null(r.err);
    return r;
}

void test_cli_run_free(struct test_cli_run *r)
{
    free(r->out);
    free(r->err);
}

void test_assert_prefix(const char *text, const char *prefix)
{
    if (!text || strncmp(text, prefix, strlen(prefix)) != 0)
        fail_msg("\"%s\" does not start with \"%s\"", text ? text : "(null)", prefix);
}

size_t test_count_lines(const char *text)
{
    size_t n = 0;
    for (const char *p = text; (p = strchr(p, '\n')); p++)
        n++;
    return n;
}

struct test_ids test_jsonl_ids(const char *text)
{
    struct test_ids ids = {0};
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        assert_non_null(end);
        cJSON *rec = cJSON_ParseWithLength(line, (size_t)(end - line));
        if (!rec)
            fail_msg("not a JSON line: %.*s", (int)(end - line), line);
        test_ids_add(&ids, json_str_at(rec, "id"));
        cJSON_Delete(rec);
        line = end + 1;
    }
    return ids;
}

unsigned test_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    socklen_t len = sizeof(addr);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
    close(fd);
    return ntohs(addr.sin_port);
}
