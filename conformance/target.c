#include "target.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cdrsim/timefmt.h"

static bool parse_time_member(const cJSON *obj, const char *key, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) && cdr_time_parse_any(v->valuestring, CDR_CHINA_OFFSET_SECONDS, out);
}

/* Reads the child's stdout until "listening on URL" or the deadline. */
static bool read_url(int fd, char *url, size_t url_len)
{
    char text[4096];
    size_t used = 0;
    time_t deadline = time(NULL) + 15;
    while (time(NULL) < deadline && used < sizeof(text) - 1) {
        struct pollfd pfd = {fd, POLLIN, 0};
        if (poll(&pfd, 1, 200) <= 0)
            continue;
        ssize_t n = read(fd, text + used, sizeof(text) - 1 - used);
        if (n <= 0)
            return false;
        used += (size_t)n;
        text[used] = '\0';
        char *at = strstr(text, "listening on ");
        if (at && strchr(at, '\n')) {
            at += strlen("listening on ");
            size_t len = strcspn(at, " \r\n");
            snprintf(url, url_len, "%.*s", (int)len, at);
            return true;
        }
    }
    return false;
}

static bool start_mock(struct conform_target *t, const struct conform_options *o,
                       const struct conform_suite *suite, const cJSON *extra_args, char *err,
                       size_t err_len)
{
    const cJSON *clock = cJSON_GetObjectItemCaseSensitive(suite->mock, "clock");
    int64_t clock_s;
    if (!cJSON_IsString(clock) || !cdr_time_parse_iso8601(clock->valuestring, 0, &clock_s)) {
        snprintf(err, err_len, "%s: mock.clock must be an RFC 3339 time", suite->path);
        return false;
    }
    const char *argv[256];
    size_t n = 0;
    argv[n++] = o->mock_bin;
    argv[n++] = "--port";
    argv[n++] = "0";
    argv[n++] = "--log-format";
    argv[n++] = "off";
    argv[n++] = "--clock";
    argv[n++] = clock->valuestring;
    /* The fixtures the run reads its schemas from are the data the mock serves. */
    if (o->fixtures_dir) {
        argv[n++] = "--data";
        argv[n++] = o->fixtures_dir;
    }
    const cJSON *lists[] = {cJSON_GetObjectItemCaseSensitive(suite->mock, "args"), extra_args};
    for (size_t l = 0; l < 2; l++) {
        const cJSON *extra;
        cJSON_ArrayForEach(extra, lists[l])
            if (cJSON_IsString(extra) && n < 200)
                argv[n++] = extra->valuestring;
    }
    size_t vlen = strlen(suite->vendor);
    for (size_t i = 0; i < o->mock_variant_count && n < 250; i++)
        if (strncmp(o->mock_variants[i], suite->vendor, vlen) == 0 &&
            o->mock_variants[i][vlen] == '.') {
            argv[n++] = "--variant";
            argv[n++] = o->mock_variants[i];
        }
    argv[n] = NULL;

    snprintf(t->stderr_path, sizeof(t->stderr_path), "/tmp/cdrsim-conform-mock-XXXXXX");
    int errfd = mkstemp(t->stderr_path);
    int out[2];
    if (errfd < 0 || pipe(out) != 0) {
        snprintf(err, err_len, "cannot start the mock: %s", strerror(errno));
        return false;
    }
    t->pid = fork();
    if (t->pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        dup2(errfd, STDERR_FILENO);
        close(out[0]);
        close(out[1]);
        execv(argv[0], (char *const *)argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(out[1]);
    close(errfd);
    bool ok = t->pid > 0 && read_url(out[0], t->base_url, sizeof(t->base_url));
    close(out[0]);
    if (!ok) {
        char why[512] = "";
        int fd = open(t->stderr_path, O_RDONLY);
        ssize_t got = fd >= 0 ? read(fd, why, sizeof(why) - 1) : 0;
        why[got > 0 ? got : 0] = '\0';
        why[strcspn(why, "\n")] = '\0';
        if (fd >= 0)
            close(fd);
        snprintf(err, err_len, "the mock (%s) did not start%s%s", o->mock_bin, why[0] ? ": " : "",
                 why);
        return false;
    }
    t->is_mock = true;
    if (!conform_target_clock_offset(t->base_url, o->insecure, &t->clock_offset))
        t->clock_offset = clock_s - (int64_t)time(NULL);
    const cJSON *creds = cJSON_GetObjectItemCaseSensitive(suite->mock, "credentials");
    t->credentials = creds ? cJSON_Duplicate(creds, true) : cJSON_CreateObject();
    if (!parse_time_member(suite->mock, "from", &t->from) ||
        !parse_time_member(suite->mock, "to", &t->to)) {
        snprintf(err, err_len, "%s: mock.from and mock.to must be times", suite->path);
        return false;
    }
    return t->credentials != NULL;
}

static bool read_credentials_file(const char *path, const char *vendor, cJSON **out, char *err,
                                  size_t err_len)
{
    *out = NULL;
    if (!path)
        return true;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_len, "cannot read credentials %s: %s", path, strerror(errno));
        return false;
    }
    char text[65536];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    cJSON *root = cJSON_Parse(text);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        snprintf(err, err_len, "%s is not a JSON object keyed by vendor", path);
        return false;
    }
    cJSON *mine = cJSON_DetachItemFromObjectCaseSensitive(root, vendor);
    cJSON_Delete(root);
    *out = mine;
    return true;
}

static bool open_live(struct conform_target *t, const struct conform_options *o,
                      const struct conform_suite *suite, const struct conform_driver *driver,
                      char *err, size_t err_len)
{
    cJSON *file = NULL;
    if (!read_credentials_file(o->credentials_file, suite->vendor, &file, err, err_len))
        return false;
    /* The credentials the vendor's descriptor names: the required ones must be there. */
    const struct cdr_vendor *v = cdr_vendor_find(driver->vendor);
    t->credentials = cJSON_CreateObject();
    for (const struct cdr_field *f = v ? v->fields : NULL; t->credentials && f && f->name; f++) {
        if (f->role != CDR_ROLE_CREDENTIAL)
            continue;
        const cJSON *given = cJSON_GetObjectItemCaseSensitive(file, f->name);
        char env[128];
        snprintf(env, sizeof(env), "CDRSIM_%s_%s", suite->vendor, f->name);
        for (char *p = env; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        const char *value = cJSON_IsString(given) ? given->valuestring : getenv(env);
        if ((!value || !*value) && (f->flags & CDR_FIELD_REQUIRED)) {
            snprintf(err, err_len,
                     "%s: credential \"%s\" is neither in the credentials file nor in $%s",
                     suite->vendor, f->name, env);
            cJSON_Delete(file);
            return false;
        }
        if (value && *value)
            cJSON_AddStringToObject(t->credentials, f->name, value);
    }
    cJSON_Delete(file);
    snprintf(t->base_url, sizeof(t->base_url), "%s", o->target);
    size_t len = strlen(t->base_url);
    while (len && t->base_url[len - 1] == '/')
        t->base_url[--len] = '\0';
    t->from = o->from;
    t->to = o->to;
    return t->credentials != NULL;
}

bool conform_target_open(struct conform_target *t, const struct conform_options *o,
                         const struct conform_suite *suite, const struct conform_driver *driver,
                         const cJSON *extra_mock_args, char *err, size_t err_len)
{
    memset(t, 0, sizeof(*t));
    bool ok = strcmp(o->target, "mock") == 0
                  ? start_mock(t, o, suite, extra_mock_args, err, err_len)
                  : open_live(t, o, suite, driver, err, err_len);
    if (!ok)
        conform_target_close(t);
    return ok;
}

void conform_target_close(struct conform_target *t)
{
    if (t->pid > 0) {
        kill(t->pid, SIGTERM);
        waitpid(t->pid, NULL, 0);
        t->pid = 0;
    }
    if (t->stderr_path[0]) {
        unlink(t->stderr_path);
        t->stderr_path[0] = '\0';
    }
    cJSON_Delete(t->credentials);
    t->credentials = NULL;
}

/* A library message into the caller's buffer, cut to fit (the buffer may be shorter). */
static void copy_message(char *err, size_t err_len, const char *message)
{
    if (!err_len)
        return;
    size_t n = strnlen(message, err_len - 1);
    memcpy(err, message, n);
    err[n] = '\0';
}

/* One admin request; the answer's status (0 when none came) and, when body_out is given, its body
 * (caller frees). */
static long admin_request(const char *base_url, const char *method, const char *path,
                          const char *body, bool insecure, char **body_out, char *err,
                          size_t err_len)
{
    struct cdr_http_options opts;
    cdr_http_options_default(&opts);
    opts.insecure = insecure;
    opts.max_retries = 0;
    struct cdr_error_info info;
    struct cdr_http *http = cdr_http_new(&opts, &info);
    if (!http) {
        copy_message(err, err_len, info.message);
        return 0;
    }
    char url[1024];
    snprintf(url, sizeof(url), "%s%s", base_url, path);
    const char *headers[] = {"Content-Type: application/json"};
    struct cdr_http_request req = {method, url, headers, 1, body, body ? strlen(body) : 0, false};
    struct cdr_http_response resp;
    long status = 0;
    if (cdr_http_send(http, &req, &resp, &info) == CDR_OK) {
        status = resp.status;
        if (status >= 400)
            snprintf(err, err_len, "%.200s", resp.body);
        if (body_out) {
            *body_out = resp.body;
            resp.body = NULL;
        }
        cdr_http_response_free(&resp);
    } else {
        copy_message(err, err_len, info.message);
    }
    cdr_http_free(http);
    return status;
}

long conform_target_admin(const char *base_url, const char *method, const char *path,
                          const char *body, bool insecure, char *err, size_t err_len)
{
    return admin_request(base_url, method, path, body, insecure, NULL, err, err_len);
}

cJSON *conform_target_admin_json(const char *base_url, const char *path, bool insecure)
{
    char *body = NULL, err[256];
    long status = admin_request(base_url, "GET", path, NULL, insecure, &body, err, sizeof(err));
    cJSON *json = status == 200 && body ? cJSON_Parse(body) : NULL;
    free(body);
    return json;
}

bool conform_target_clock_offset(const char *base_url, bool insecure, int64_t *offset)
{
    struct timespec before, after;
    clock_gettime(CLOCK_REALTIME, &before);
    cJSON *clock = conform_target_admin_json(base_url, "/__cdrsim/clock", insecure);
    clock_gettime(CLOCK_REALTIME, &after);
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(clock, "epoch_ms");
    bool ok = cJSON_IsNumber(ms);
    if (ok) {
        /* The mock read its clock about halfway through the exchange. */
        double local_ms = ((double)before.tv_sec + (double)after.tv_sec) * 500.0 +
                          ((double)before.tv_nsec + (double)after.tv_nsec) / 2e6;
        double diff_s = (ms->valuedouble - local_ms) / 1000.0;
        *offset = (int64_t)(diff_s < 0 ? diff_s - 0.5 : diff_s + 0.5);
    }
    cJSON_Delete(clock);
    return ok;
}

cJSON *conform_target_variants(const char *base_url, const char *vendor, bool insecure)
{
    cJSON *health = conform_target_admin_json(base_url, "/__cdrsim/health", insecure);
    cJSON *found = NULL;
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(health, "vendors")) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(v, "id");
        if (cJSON_IsString(id) && strcmp(id->valuestring, vendor) == 0)
            found = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(v, "variants"), true);
    }
    cJSON_Delete(health);
    return found;
}
