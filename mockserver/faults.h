/* Faults: rules that break a vendor's answers on purpose (POST /__cdrsim/faults). A rule matches
 * requests by vendor, path (exact, or a prefix ending in '*') and method; it skips the first
 * `after` matches, fires at most `times` times (0 = no limit) and then only with `probability`,
 * drawn from a seeded stream so a run with --seed is reproducible. What a firing rule does is
 * copied out (struct mock_fault_hit) and applied without the rules' lock: through
 * struct mock_delivery for the kinds the HTTP layer carries out, by replacing the answer for the
 * others. Matched and fired counts change under one lock, so concurrent requests never lose one. */
#ifndef MOCK_FAULTS_H
#define MOCK_FAULTS_H

#include <cJSON.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "response.h"
#include "rng.h"

enum mock_fault_kind {
    MOCK_FAULT_DELAY,
    MOCK_FAULT_RESET,
    MOCK_FAULT_TRUNCATE,
    MOCK_FAULT_GARBAGE,
    MOCK_FAULT_DRIBBLE,
    MOCK_FAULT_STATUS,
    MOCK_FAULT_VENDOR_ERROR,
};

/* What one firing does, copied out of its rule. */
struct mock_fault_hit {
    char id[24];
    enum mock_fault_kind kind;
    int delay_ms; /* delay: ms plus the drawn jitter */
    size_t bytes; /* truncate, dribble */
    int interval_ms;
    int status; /* status */
    char *body; /* status: owned copy; NULL = empty */
    char content_type[128];
    char code[64]; /* vendor_error: the vendor's code; "" = its default server error */
};

struct mock_fault;

struct mock_faults {
    pthread_mutex_t lock; /* guards everything below */
    struct mock_fault **rules;
    size_t count, cap;
    uint64_t next_id;
    uint64_t seed;
    struct mock_rng rng; /* probability and jitter draws */
};

void mock_faults_init(struct mock_faults *f, uint64_t seed);
void mock_faults_destroy(struct mock_faults *f);

/* Says whether a vendor id names a served vendor and whether code (NULL = the default) is one of
 * its documented server errors; the faults module knows no vendor itself. */
struct mock_fault_checker {
    bool (*vendor_served)(void *ctx, const char *vendor);
    bool (*vendor_code)(void *ctx, const char *vendor, const char *code);
    void *ctx;
};

/* Adds the rule described by spec. On success writes its id (24 bytes) and returns true; false
 * with err naming the field that is wrong ("kind: ...", "times: ..."). */
bool mock_faults_add(struct mock_faults *f, const cJSON *spec, const struct mock_fault_checker *chk,
                     char *id, char *err, size_t err_len);
/* Removes one rule (false: no such id) or, with id NULL, every rule and starts the draws over. */
bool mock_faults_remove(struct mock_faults *f, const char *id);
/* Every rule as a JSON array with its settings, matched and fired counts. Caller frees. */
char *mock_faults_json(struct mock_faults *f);

/* Finds the first rule that matches this request and fires; counts every match. True with hit
 * filled (release it with mock_fault_hit_free). */
bool mock_faults_match(struct mock_faults *f, const char *vendor, const char *method,
                       const char *path, struct mock_fault_hit *hit);
void mock_fault_hit_free(struct mock_fault_hit *hit);

const char *mock_fault_kind_name(enum mock_fault_kind kind);
/* Whether the kind replaces the vendor's answer (the vendor never sees the request). */
bool mock_fault_replaces(enum mock_fault_kind kind);
/* Applies a delivery kind or a replacing kind other than vendor_error to resp, and notes the fault
 * for the journal. */
void mock_fault_apply(const struct mock_fault_hit *hit, struct mock_response *resp);

#endif
