#ifndef CONFORM_RUNNER_H
#define CONFORM_RUNNER_H

#include "cdrsim/buf.h"
#include "conform.h"

/* pace.c: at most a rate of requests, one interval apart. */
struct conform_pacer {
    double interval_s; /* 0: no limit */
    double next_s;     /* monotonic time the next request may leave */
};
void conform_pacer_init(struct conform_pacer *p, double calls_per_second);
/* Waits until the next request may leave (NULL or no limit: returns at once). */
void conform_pacer_wait(struct conform_pacer *p);
/* Seconds to wait before the attempt-th retry of a refused call (1-based): bounded. */
double conform_backoff_s(int attempt);
void conform_sleep_s(double seconds);

struct conform_options {
    const char *const *vendors;
    size_t vendor_count;
    const char *target;           /* "mock" or a base URL */
    const char *credentials_file; /* live targets; NULL = environment only */
    bool has_range;
    int64_t from, to;        /* live targets: the range the suites query */
    const char *const *tags; /* run scenarios with any of these (none = all) */
    size_t tag_count;
    const char *const *skip_tags; /* and none of these */
    size_t skip_tag_count;
    const char *const *mock_variants; /* VENDOR.NAME=VALUE passed to the mock */
    size_t mock_variant_count;
    const char *const *rates; /* VENDOR=N: at most N calls a second (any target) */
    size_t rate_count;
    int max_retries;     /* a call refused as rate limited is asked again up to this often */
    unsigned load_flags; /* CONFORM_LOAD_* for the suites */
    const char *mock_bin;
    const char *suites_dir;
    const char *fixtures_dir; /* <dir>/<vendor>/schema.json */
    bool insecure;
    bool progress; /* a progress line on stderr */
    /* Called with each outcome as soon as its scenario ends (results stream as they come), or
     * NULL. */
    void (*on_outcome)(void *user, const struct conform_outcome *outcome);
    void *on_outcome_user;
};

/* Runs every selected scenario of every vendor. Returns false (err filled) for setup errors:
 * unknown vendor, unreadable suite or schema, a mock that does not start, missing credentials. */
bool conform_run_all(const struct conform_options *opts, struct conform_run *run, char *err,
                     size_t err_len);

/* One scenario against a ready environment (also used by the tests). */
struct conform_scenario_env {
    const struct conform_driver *driver;
    const struct conform_schema *schema;
    struct conform_env env;
    bool mock;                   /* admin steps and mock-only scenarios allowed */
    int64_t from, to;            /* the range ${from} and ${to} stand for */
    struct conform_pacer *pacer; /* the vendor's rate, shared by its scenarios; NULL for none */
    int max_retries;             /* asking again after a rate-limit answer, at most */
};
/* Whether a scenario queries the range --from/--to give on a live target: its record queries and
 * checks do, and so may every call of a vendor whose queries are ranges (a detail of the newest
 * call in the range); the calls of a vendor that drives a session and has no range query do not. */
bool conform_scenario_uses_range(const struct conform_scenario *sc,
                                 const struct conform_driver *driver);
void conform_run_scenario(const struct conform_scenario_env *senv,
                          const struct conform_scenario *sc, struct conform_outcome *out);

/* checks.c: the invariant checks a "check" step names. */
struct conform_step_ctx;
typedef void (*conform_check_fn)(struct conform_step_ctx *ctx, const cJSON *step,
                                 const cJSON *args);
conform_check_fn conform_check_find(const char *name);

/* What a step sees while it runs (runner.c owns it). */
struct conform_step_ctx {
    const struct conform_scenario_env *senv;
    const struct conform_scenario *scenario;
    void *session;
    struct conform_faults faults;
    struct cdr_buf *messages;
    struct cdr_buf *notes; /* what the runner did that the reader should know (a narrowed range) */
    bool failed;
    char label[96];
    int64_t from, to;
    long last_status; /* HTTP status of the latest response, whatever its outcome */
    /* Set by a call step whose expectation failed: what came back, and the variants of the first
     * "on_departure" alternative the answer meets (owned, or NULL). */
    char seen[768];
    cJSON *departure_variants;
    const cJSON *step; /* the step running */
    /* {"<name>": ["id", ...]}: the ids of the records of each call step with "keep": name, for
     * a later step's "same_ids_as" (owned). */
    cJSON *kept;
    struct conform_receiver *receiver; /* the scenario's "listen" (push.c), or NULL */
    struct conform_findings *drift;    /* the outcome's, for bodies no request observer sees */
};

/* journal.c: the newest seq of the mock's journal before a step (0 when it is empty); false when
 * the journal cannot be read. Then what the step's requests, the vendor's entries after mark, say
 * against its "journal" expectation (args: the step's, with its range). */
bool conform_journal_mark(const struct conform_step_ctx *ctx, uint64_t *mark);
void conform_journal_judge(struct conform_step_ctx *ctx, const cJSON *spec, const cJSON *args,
                           uint64_t mark);

/* Helpers for checks: run the driver's page/all with the step's faults. */
cdr_error conform_step_page(struct conform_step_ctx *ctx, const cJSON *args, int64_t page,
                            int64_t size, struct conform_result *out);
cdr_error conform_step_all(struct conform_step_ctx *ctx, const cJSON *args,
                           struct conform_result *out);
/* Any call a step can name: "page" (with the step's "page"/"size"), "all", or a driver action. */
cdr_error conform_step_call(struct conform_step_ctx *ctx, const char *name, const cJSON *step,
                            const cJSON *args, struct conform_result *out);
void conform_step_fail(struct conform_step_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A line of the scenario's notes, once however often a step says it. */
void conform_step_note(struct conform_step_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* push.c: "listen" starts a loopback receiver of the vendor's pushes for the scenario (answering
 * 500 to the first "fail_first" deliveries, then what the vendor expects); "push" waits for its
 * deliveries and judges the newest. */
struct conform_receiver;
void conform_step_listen(struct conform_step_ctx *ctx, const cJSON *step);
void conform_step_push(struct conform_step_ctx *ctx, const cJSON *step);
void conform_receiver_free(struct conform_receiver *r);
/* text with every "${listen_url}" made the receiver's URL (caller frees; NULL out of memory). */
char *conform_receiver_url_in(const struct conform_receiver *r, const char *text);

/* A copy of args with "from"/"to" replaced (Unix seconds). Caller deletes. */
cJSON *conform_args_with_range(const cJSON *args, int64_t from, int64_t to);

#endif
