/* cdrsim-conform: the types shared by the runner's parts. A run loads one suite per vendor
 * (suite.c), gets a target (target.c: a mock it starts itself, or a live URL), runs each
 * scenario's steps through that vendor's driver (runner.c, checks.c, expect.c), compares every
 * response with the vendor's documented shapes (schema.c) and writes reports (report_*.c). */
#ifndef CONFORM_H
#define CONFORM_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cdrsim/error.h"
#include "cdrsim/http.h"
#include "cdrsim/record.h"
#include "cdrsim/vendor.h"

/* ---- suites ---------------------------------------------------------------------------------- */

/* Where an expectation comes from (evidence.c). */
enum conform_evidence_level {
    CONFORM_EVIDENCE_UNTAGGED,   /* judged as documented: a failure fails */
    CONFORM_EVIDENCE_DOCUMENTED, /* the vendor's page says so: "cite" */
    CONFORM_EVIDENCE_INFERRED,   /* our reading where the pages are silent: "why" */
};

struct conform_evidence {
    enum conform_evidence_level level;
    const char *cite; /* borrowed from the suite's document, or NULL */
    const char *why;
    /* {"variants": {...}, "expect": {...}} or an array of them: the mock variants that behave like
     * a vendor departing from the inference (the first whose "expect", if any, the answer meets).
     */
    const cJSON *on_departure;
};

struct conform_scenario {
    char *id;
    char *description;
    char **tags;
    size_t tag_count;
    const cJSON *steps; /* array, owned by the suite's document */
    /* "mock": {"args": [...]}: arguments this scenario's own mock is started with on top of the
     * suite's (a vendor limit switched on), or NULL to share the suite's mock. Only mock-only
     * scenarios have one. Owned by the suite's document. */
    const cJSON *mock_args;
    struct conform_evidence evidence; /* the scenario's; its steps may override it */
};

struct conform_suite {
    char *vendor;
    char *path;        /* where it was read from */
    cJSON *doc;        /* the whole file */
    const cJSON *mock; /* the "mock" block: clock, range, credentials, args */
    /* "rate_limit": {"calls_per_second": N, evidence...}: the vendor's documented rate, paced on
     * live targets; 0 when the suite names none. */
    double calls_per_second;
    struct conform_scenario *scenarios;
    size_t scenario_count;
};

/* Suite loading rules. */
#define CONFORM_LOAD_REQUIRE_EVIDENCE 0x1u /* every expectation and check must say its evidence */
/* What conform_suite_load enforces. Suites a team writes for itself load without evidence tags
 * (--require-evidence asks for them); every shipped suite is tagged, and test_conform_evidence
 * loads each with CONFORM_LOAD_REQUIRE_EVIDENCE so none can ship an untagged expectation. */
#define CONFORM_LOAD_DEFAULT 0u

/* Reads and checks a suite file; false with err filled (file, scenario id, what is wrong). */
bool conform_suite_load(struct conform_suite *suite, const char *path, char *err, size_t err_len);
/* The same with explicit CONFORM_LOAD_* flags. */
bool conform_suite_load_with(struct conform_suite *suite, const char *path, unsigned flags,
                             char *err, size_t err_len);
void conform_suite_free(struct conform_suite *suite);
bool conform_scenario_has_tag(const struct conform_scenario *sc, const char *tag);
/* Whether a step states what it expects: it has an "expect" or a "journal", or is a "check". Such
 * a step needs an evidence (its own or its scenario's) when evidence is required. */
bool conform_step_judges(const cJSON *step);
/* Whether a scenario needs the mock's admin API: an "admin" step or a "journal" expectation. On a
 * live target it is skipped, saying so. */
bool conform_scenario_uses_admin(const struct conform_scenario *sc);

/* journal.c: checks a step's "journal" expectation when the suite loads; false with err filled,
 * prefixed with where. */
bool conform_journal_check_spec(const cJSON *spec, const char *where, char *err, size_t err_len);

/* evidence.c */
struct conform_evidence conform_evidence_of(const cJSON *obj); /* obj's own keys only */
/* A step's evidence: its own level with its cite and why, else the scenario's; its own
 * on_departure, else the scenario's. */
struct conform_evidence conform_step_evidence(const struct conform_scenario *sc, const cJSON *step);
const char *conform_evidence_name(enum conform_evidence_level level);
/* Checks the evidence keys of a scenario or step (vendor: the suite's, which on_departure's
 * variants must name); false with err filled, where prefixed. */
bool conform_evidence_check(const cJSON *obj, const char *vendor, const char *where, char *err,
                            size_t err_len);

/* ---- drift ----------------------------------------------------------------------------------- */

enum conform_severity { CONFORM_ADDITIVE, CONFORM_BREAKING };

struct conform_finding {
    char *path;     /* "data.records[].hangupReason" */
    char *kind;     /* "added", "missing", "type", "null", "enum" */
    char *expected; /* what the schema says */
    char *seen;     /* what came back */
    enum conform_severity severity;
    unsigned count; /* how many responses showed it */
    /* The schema's "x-source" for the member (or, for a member added, for the object it was added
     * to): the vendor page's sentence the expectation came from. NULL when the schema gives none.
     */
    char *source;
};

struct conform_findings {
    struct conform_finding *items;
    size_t count;
};

void conform_findings_free(struct conform_findings *f);

/* A vendor's documented response shapes (fixtures/<vendor>/schema.json). */
struct conform_schema {
    cJSON *doc;
};

bool conform_schema_load(struct conform_schema *schema, const char *path, char *err,
                         size_t err_len);
void conform_schema_free(struct conform_schema *schema);
/* Compares one response with the shape documented for its method and path, adding findings
 * (merged by path and kind). Responses whose path the schema does not describe, and bodies that
 * are not JSON objects or arrays, are not compared. Returns false when nothing matched. */
bool conform_schema_check(const struct conform_schema *schema, const char *method, const char *path,
                          long http_status, const char *body, size_t body_len,
                          struct conform_findings *out);
/* Compares a pushed body with the schema's "push" (its documented body), adding findings;
 * false when the schema documents no push. */
bool conform_schema_check_push(const struct conform_schema *schema, const char *body,
                               size_t body_len, struct conform_findings *out);
/* The same comparison against one schema node, for tests. */
void conform_schema_diff(const cJSON *schema, const cJSON *value, struct conform_findings *out);

/* ---- driving a vendor --------------------------------------------------------------------------
 */

/* Deliberate faults a step can ask for. */
struct conform_faults {
    bool wrong_secret;
    int64_t clock_offset; /* seconds added to the client's clock */
    bool unchecked;       /* skip the client's own range/size checks */
    bool reuse_nonce;
    const char *signature; /* vendor-specific signing choice ("v2", "v3") or NULL */
    /* The step's "client" settings for the client it opens: the whole transfer's timeout (0: the
     * runner's default) and how often the library asks a failed request again (-1: the
     * runner's default). */
    long timeout_ms;
    int max_retries;
};

struct conform_env {
    const char *base_url;
    const cJSON *credentials; /* the vendor's object: {"api_key": ..., ...} */
    int64_t clock_offset;     /* target time minus local time, seconds */
    bool insecure;
    cdr_http_observer_fn observer;
    void *observer_user;
};

/* What a call answered: records, or for answers that are not records (events, a token's validity,
 * agent groups) a JSON view of them, and for pages their paging metadata. */
struct conform_result {
    cdr_error error;
    struct cdr_error_info info;
    bool paged;
    int64_t total, pages;
    int64_t page, size; /* the page number and page size the answer echoes; -1 when it does not */
    int64_t windows;
    /* The page's paging metadata exactly as the vendor sent it (owned), or NULL: what a driver
     * normalizes into total/pages loses the wire's types ("1" or 1) and flags such as has_pages. */
    cJSON *paging;
    struct cdr_record *records;
    size_t count;
    size_t cap;
    /* A non-record answer (owned), or NULL: an array of entries (events, dialogue rows, groups) or
     * one object (a token's validity). Expectations count and match its entries. */
    cJSON *view;
};

void conform_result_init(struct conform_result *r);
void conform_result_free(struct conform_result *r);
/* Appends a deep copy of rec. */
bool conform_result_add(struct conform_result *r, const struct cdr_record *rec);
/* Takes a generic page's records and paging (page is left empty). */
bool conform_result_take_page(struct conform_result *r, struct cdr_page *page);
/* The entries a result holds: its view's (an array's items, one object) when it has a view, its
 * records otherwise. */
size_t conform_result_count(const struct conform_result *r);

struct conform_driver;

/* One call of a step, as a driver gets it. */
struct conform_call {
    const struct conform_driver *driver;
    void *session; /* the driver's per-scenario state, or NULL */
    const struct conform_env *env;
    const struct conform_faults *faults;
    const cJSON *args; /* the step's "args", "from"/"to" already Unix seconds */
};

/* One vendor's bridge from suite steps to libcdrsim. The vendor's descriptor in libcdrsim
 * (cdr_vendor_find(vendor)) says which credentials a live target needs, how the step's arguments
 * read and how long a range one query may span; drivers/generic.c runs page and all through it,
 * so a driver only adds what its vendor alone has. */
struct conform_driver {
    const char *vendor;
    /* Per-scenario state (a signed-in session); may be NULL for stateless vendors. */
    void *(*begin)(const struct conform_env *env);
    void (*end)(void *session);
    /* Adjusts a call's arguments and client options for the step (faults the vendor alone
     * knows, arguments that are not fields); NULL when there is nothing to adjust. */
    cdr_error (*prepare)(const struct conform_call *call, struct cdr_args *args,
                         struct cdr_client_options *opts, struct cdr_error_info *err);
    cdr_error (*page)(const struct conform_call *call, int64_t page, int64_t size,
                      struct conform_result *out);
    cdr_error (*all)(const struct conform_call *call, struct conform_result *out);
    /* Named calls ("groups", "sign_in"…); NULL when there are none. calls lists their names,
     * NULL-terminated: at least every named call of the vendor's descriptor. */
    cdr_error (*action)(const struct conform_call *call, const char *name,
                        struct conform_result *out);
    const char *const *calls;
    /* Of a vendor whose queries are ranges (page or all), the named calls that read the suite's
     * range, NULL-terminated; NULL when any of them may. */
    const char *const *ranged_calls;
};

extern const struct conform_driver *const conform_drivers[];
const struct conform_driver *conform_driver_find(const char *vendor);

/* The client's clock: local time plus the env's offset plus the fault's. */
int64_t conform_now(const struct conform_env *env, const struct conform_faults *faults);
/* A credential field, or NULL. */
const char *conform_credential(const struct conform_env *env, const char *field);

/* ---- outcomes -------------------------------------------------------------------------------- */

enum conform_status { CONFORM_PASSED, CONFORM_FAILED, CONFORM_SKIPPED, CONFORM_ERROR };

/* A live vendor doing otherwise than an inferred expectation says: reported, not a failure. */
struct conform_departure {
    size_t step;     /* 1-based */
    char *label;     /* "step 2 (page)" */
    char *expected;  /* what the step expected: its "expect" (compact JSON) or the check it ran */
    char *seen;      /* what the call answered ("ok, HTTP 200, 10 records"); NULL for checks */
    char *messages;  /* the expectation's failure lines, newline-separated */
    char *why;       /* the inference the vendor departs from */
    cJSON *variants; /* {"vendor.name": "value"}: the mock variants behaving so, or NULL if none */
};

struct conform_outcome {
    const struct conform_scenario *scenario;
    const char *vendor;
    enum conform_status status;
    char *messages; /* newline-separated reasons; "" when passed */
    char *skip_reason;
    double duration_ms;
    size_t requests;
    struct conform_findings drift;
    struct conform_departure *departures; /* live targets only */
    size_t departure_count;
    char *notes; /* newline-separated things the runner did that the reader should know, or NULL */
};

void conform_outcome_free(struct conform_outcome *o);

struct conform_run {
    struct conform_outcome *outcomes;
    size_t count;
    struct conform_suite *suites; /* kept for the whole run: outcomes point at their scenarios */
    size_t suite_count;
    char *target; /* "mock" or the URL */
    double duration_ms;
    int64_t started; /* Unix seconds */
    /* {"<vendor>": {"<variant>": "<value>"}}: the variants the mock ran with (every one, as its
     * health endpoint lists them), or on a live target none. Owned; never NULL after a run. */
    cJSON *variants;
};

void conform_run_free(struct conform_run *run);
const char *conform_status_name(enum conform_status s);
/* Counts by status; breaking is the number of breaking findings. */
void conform_run_counts(const struct conform_run *run, size_t counts[4], size_t *breaking,
                        size_t *additive);
size_t conform_run_departures(const struct conform_run *run);

/* calibrate.c: what a live run's departures say of the vendor: {"config": the cdrsim-mock --config
 * object whose variants behave like it, "uncovered": [departures no variant covers], "conflicts":
 * [variants two departures want set differently]}. Caller deletes; NULL when out of memory. */
cJSON *conform_calibration(const struct conform_run *run);
/* Writes the calibration's config to path; false when it cannot be written. */
bool conform_write_suggested_config(const struct conform_run *run, const char *path);

/* Reports. Each returns false when the file cannot be written; "-" is stdout. */
bool conform_report_junit(const struct conform_run *run, const char *path);
bool conform_report_json(const struct conform_run *run, const char *path);
/* The text report: every outcome, then the summary. */
void conform_report_text(const struct conform_run *run, FILE *out);
/* Its two halves, for a run that prints outcomes as they come. */
void conform_report_text_outcome(const struct conform_outcome *o, FILE *out);
void conform_report_text_summary(const struct conform_run *run, FILE *out);
/* report.c, for the report writers: a buffer into a file ("-" for stdout). */
struct cdr_buf;
bool conform_report_write(const char *path, const struct cdr_buf *b);

#endif
