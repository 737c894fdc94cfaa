/* Where a run's requests go: a cdrsim-mock the runner starts on an ephemeral loopback port with
 * the suite's fixed clock, or a live endpoint with credentials from a file or the environment. */
#ifndef CONFORM_TARGET_H
#define CONFORM_TARGET_H

#include <sys/types.h>

#include "runner.h"

struct conform_target {
    bool is_mock;
    pid_t pid;
    char stderr_path[64];
    char base_url[512];
    cJSON *credentials; /* owned */
    int64_t clock_offset;
    int64_t from, to;
};

/* extra_mock_args (a JSON array of strings, or NULL) are added to a mock's command line after the
 * suite's own "args" and before the run's --mock-variant options, which thus win. */
bool conform_target_open(struct conform_target *t, const struct conform_options *o,
                         const struct conform_suite *suite, const struct conform_driver *driver,
                         const cJSON *extra_mock_args, char *err, size_t err_len);
void conform_target_close(struct conform_target *t);

/* The mock's clock minus the local clock, in whole seconds, read from GET /__cdrsim/clock: the
 * mock's clock starts when it parses its arguments, so an offset computed from the suite's clock
 * when the mock says it is ready is off by however slowly it started. false when unreadable. */
bool conform_target_clock_offset(const char *base_url, bool insecure, int64_t *offset);
/* The vendor's variants as the mock's health endpoint lists them (caller deletes), or NULL. */
cJSON *conform_target_variants(const char *base_url, const char *vendor, bool insecure);

/* An admin GET's JSON answer (caller deletes), or NULL when it did not answer 200 with JSON. */
cJSON *conform_target_admin_json(const char *base_url, const char *path, bool insecure);
/* Sends an admin request to a mock; returns the HTTP status (0 when none came). */
long conform_target_admin(const char *base_url, const char *method, const char *path,
                          const char *body, bool insecure, char *err, size_t err_len);

#endif
