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

struct mock_env {
    struct mock_clock *clock;
    struct mock_shared_rng *rng;
    const struct mock_config *config;
};

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
};

extern const struct mock_vendor_sim *const mock_vendors[];

/* The variant's value, or its default when not set. */
const char *mock_variant(const struct mock_config *cfg, const struct mock_vendor_sim *sim,
                         const char *name);

#endif
