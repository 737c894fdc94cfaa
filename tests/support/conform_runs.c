#include "conform_runs.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

void test_conform_report_free(struct test_conform_report *r)
{
    free(r->out);
    free(r->err);
    cJSON_Delete(r->json);
    memset(r, 0, sizeof(*r));
}

struct test_conform_report test_conform_run(const char *const *args)
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
    struct test_conform_report r = {0};
    r.exit_status = run_command(argv, NULL, &r.out, &r.err);
    FILE *f = fopen(path, "rb");
    if (f) {
        char *text = calloc(1, 1 << 22);
        assert_non_null(text);
        size_t len = fread(text, 1, (1 << 22) - 1, f);
        fclose(f);
        r.json = cJSON_ParseWithLength(text, len);
        free(text);
    }
    unlink(path);
    return r;
}

const cJSON *test_conform_scenario(const struct test_conform_report *r, const char *id)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, json_at(r->json, "scenarios"))
    {
        if (strcmp(json_str_at(s, "id"), id) == 0) return s;
    }
    fail_msg("scenario %s not in the report", id);
    return NULL;
}

char *test_conform_ids_with_status(const struct test_conform_report *r, const char *status)
{
    char *out = calloc(1, 8192);
    assert_non_null(out);
    const cJSON *s;
    cJSON_ArrayForEach(s, json_at(r->json, "scenarios"))
    {
        if (strcmp(json_str_at(s, "status"), status) != 0) continue;
        if (out[0]) strcat(out, ",");
        strncat(out, json_str_at(s, "id"), 8192 - strlen(out) - 1);
    }
    return out;
}

bool test_conform_message_contains(const cJSON *sc, const char *needle)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, json_at(sc, "messages"))
    {
        if (strstr(m->valuestring, needle)) return true;
    }
    return false;
}

void test_conform_expect_findings(const cJSON *sc, const char *const *want, size_t n)
{
    const cJSON *drift = json_at(sc, "drift");
    assert_int_equal(cJSON_GetArraySize(drift), (int)n);
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        const cJSON *d;
        cJSON_ArrayForEach(d, drift)
        {
            char line[256];
            snprintf(line, sizeof(line), "%s %s %s", json_str_at(d, "path"), json_str_at(d, "kind"),
                     json_str_at(d, "severity"));
            found = found || strcmp(line, want[i]) == 0;
        }
        if (!found) fail_msg("finding '%s' not reported", want[i]);
    }
}

const cJSON *test_conform_finding(const cJSON *sc, const char *path)
{
    const cJSON *d;
    cJSON_ArrayForEach(d, json_at(sc, "drift"))
    {
        if (strcmp(json_str_at(d, "path"), path) == 0) return d;
    }
    fail_msg("no finding at %s", path);
    return NULL;
}

void test_conform_write_credentials(char *path, size_t path_len, const char *text)
{
    snprintf(path, path_len, "/tmp/cdrsim-conform-creds-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}
