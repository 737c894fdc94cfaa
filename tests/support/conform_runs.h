/* Running the real cdrsim-conform binary from tests and reading its JSON report. */
#ifndef CDRSIM_CONFORM_RUNS_H
#define CDRSIM_CONFORM_RUNS_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>

struct test_conform_report {
    int exit_status;
    char *out;
    char *err;
    cJSON *json; /* the --json report, or NULL when none was written */
};

/* Runs CDRSIM_CONFORM_BIN with args (NULL-terminated) plus --json to a temporary file and
 * --quiet. */
struct test_conform_report test_conform_run(const char *const *args);
void test_conform_report_free(struct test_conform_report *r);

/* The report's entry for a scenario; fails the test when it is not there. */
const cJSON *test_conform_scenario(const struct test_conform_report *r, const char *id);
/* The ids of scenarios with the given status, in the report's order, comma-separated (caller
 * frees). */
char *test_conform_ids_with_status(const struct test_conform_report *r, const char *status);
/* Whether one of the scenario's messages contains needle. */
bool test_conform_message_contains(const cJSON *scenario, const char *needle);
/* The scenario's drift is exactly these "path kind severity" lines, in any order. */
void test_conform_expect_findings(const cJSON *scenario, const char *const *want, size_t n);
/* The scenario's finding at path; fails the test when there is none. */
const cJSON *test_conform_finding(const cJSON *scenario, const char *path);
/* A credentials file holding text (mkstemp under /tmp); path receives its name. */
void test_conform_write_credentials(char *path, size_t path_len, const char *text);

#endif
