/* The contract between the mock's core and one simulated vendor. A vendor is one table entry
 * (`const struct mock_vendor_sim <id>_sim`) listed in vendors/registry.c; the core never names a
 * vendor. Handlers are pure: request in, response out, with the clock, rng and configuration
 * passed in through struct mock_env. */
#ifndef MOCK_VENDOR_H
#define MOCK_VENDOR_H

#include <cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "clock.h"
#include "config.h"
#include "request.h"
#include "response.h"
#include "rng.h"

struct mock_vendor_sim;

/* Told of the records that enter a vendor's store at run time (records added through the admin
 * API; calls a vendor's admin endpoints end): the one place push delivery hooks in. records is a
 * JSON array of the records that entered together (one admin request), in the vendor's response
 * shape; state is the vendor's, for what a push names beyond the records. Called after the
 * records are visible to queries, while no other record can enter the vendor's store. */
struct mock_record_listener {
    void (*entered)(void *ctx, const struct mock_vendor_sim *sim, const void *state,
                    const cJSON *records);
    void *ctx;
};

struct mock_env {
    struct mock_clock *clock;
    struct mock_shared_rng *rng;
    const struct mock_config *config; /* in force now: start-up settings plus run-time variants */
    const struct mock_record_listener *listener; /* NULL: nobody listens */
};

/* Announces records (a JSON array) that entered sim's store together at run time to env's
 * listener, if there is one. */
void mock_env_records_entered(const struct mock_env *env, const struct mock_vendor_sim *sim,
                              const void *state, const cJSON *records);

/* One documented-or-inferred behaviour switch, set with --variant VENDOR.NAME=VALUE. */
struct mock_variant_spec {
    const char *name;
    const char *choices; /* "number|string"; NULL for a free-form value checked by validate */
    const char *default_value;
    const char *help;
    bool (*validate)(const char *value); /* free-form values only; NULL accepts anything */
};

/* What a vendor needs to build its state. */
struct mock_vendor_load {
    const char *data_dir; /* <fixtures root>/<vendor id> */
    const struct mock_config *config;
    const cJSON *settings;  /* this vendor's object of --config, or NULL */
    int64_t generate_count; /* >= 0: replace the fixture records with this many generated */
    uint64_t seed;          /* --seed, for generated data */
    int64_t anchor;         /* generated records span the 365 days before this (Unix s) */
};

/* What the core's control plane (records at run time, the request journal) needs of a vendor. */
struct mock_vendor_control {
    /* The definition in <data>/<id>/schema.json that a record added at run time must match. */
    const char *record_schema;
    /* Names of request fields (headers, query and form parameters, JSON keys; any case) whose
     * values are secrets the request journal never shows, beyond the core's own list.
     * NULL-terminated. */
    const char *const *secret_names;
    /* Adds records given in the vendor's own response shape (already checked against
     * record_schema), rendered and indexed like loaded ones and visible to the next query. All or
     * nothing: false with err naming the record ("records[1].callStartTime: ...") and the store
     * as it was. The core calls it, and records_clear, while no request of the vendor runs. */
    bool (*records_add)(void *state, const cJSON *records, char *err, size_t err_len);
    /* Empties the vendor's store of records. */
    void (*records_clear)(void *state);
    /* How many records the store holds. */
    size_t (*records_count)(void *state);
    /* The vendor's own server-side error, in its exact shape and status, for a fault of kind
     * vendor_error: code NULL = the one it documents as transient, else any documented code.
     * req is the request answered (NULL when only checking the code). False (resp as it was)
     * when the vendor documents no such code. NULL: no vendor errors. */
    bool (*server_error)(void *state, const struct mock_env *env, const struct mock_request *req,
                         const char *code, struct mock_response *resp);
};

/* How a vendor pushes records to a customer's webhook (push.c delivers; the vendor's push.c
 * shapes). */
struct mock_vendor_push {
    /* The body of one delivery carrying records: a JSON array of 1..batch records (all of them
     * when batch is 0) in the vendor's response shape, which entered the store together. NULL
     * when they cannot be pushed (none of them is a record the vendor pushes). state is the
     * vendor's, read-only: the listener's caller keeps other records from entering meanwhile,
     * queries may run. Caller frees. */
    char *(*render)(const void *state, const cJSON *records);
    /* How many records one delivery carries at most: 1 for a vendor that pushes each record on
     * its own, 0 for one delivery per group of records that entered together. --config
     * "push_batch" overrides it per vendor. */
    int batch;
    const char *content_type;
    /* After a failed delivery the vendor tries again every retry_seconds, at most retries times;
     * both can be overridden per vendor in --config ("push_retry_seconds", "push_retries"). */
    int64_t retry_seconds;
    int retries;
    bool schedule_inferred; /* the documents do not state the schedule */
};

struct mock_vendor_sim {
    const char *id;
    const char *title;
    const struct mock_variant_spec *variants; /* ends with an entry whose name is NULL */
    /* Loads fixtures (or generates) and returns the vendor's state; NULL with err filled. */
    void *(*load)(const struct mock_vendor_load *load, char *err, size_t err_len);
    void (*unload)(void *state);
    /* Whether a request path belongs to this vendor. */
    bool (*routes)(const char *path);
    void (*handle)(void *state, const struct mock_env *env, const struct mock_request *req,
                   struct mock_response *resp);
    /* The vendor's answer, in its own shape, to a request over the HTTP layer's limits:
     * req->too_large says what was (the body, the URL, the headers). A request whose URL was too
     * long carries no query; one whose headers were too large still carries them. */
    void (*oversized)(void *state, const struct mock_env *env, const struct mock_request *req,
                      struct mock_response *resp);
    /* Vendor admin endpoints under /__cdrsim/<id>/; subpath starts after that prefix. May be NULL.
     */
    void (*admin)(void *state, const struct mock_env *env, const char *subpath,
                  const struct mock_request *req, struct mock_response *resp);
    /* Quick-start lines: demo credentials and a request that succeeds against base_url. */
    void (*describe)(void *state, const char *base_url, FILE *out);
    /* The loaded records as the vendor's JSON array (for --dump-records). Caller frees. */
    char *(*dump)(void *state);

    /* The vendor's side of the control plane (its control.c); NULL: none. */
    const struct mock_vendor_control *control;
    /* How the vendor pushes records to a webhook (its push.c); NULL: it does not. */
    const struct mock_vendor_push *push;
};

extern const struct mock_vendor_sim *const mock_vendors[];

/* The variant's value, or its default when not set. */
const char *mock_variant(const struct mock_config *cfg, const struct mock_vendor_sim *sim,
                         const char *name);

#endif
