/* The mock as a pure function: a loaded world (vendors' states, clock, rng, config) that turns a
 * struct mock_request into a struct mock_response. No sockets here; http_mhd.c feeds it. */
#ifndef MOCK_SERVER_H
#define MOCK_SERVER_H

#include <pthread.h>
#include <stdio.h>

#include "config.h"
#include "vendor.h"

struct mock_server {
    const struct mock_config *config;
    struct mock_clock clock;
    struct mock_shared_rng rng;
    struct mock_env env;
    int64_t anchor; /* generated datasets end here: the --clock start, so reloads reproduce them */
    /* Requests hold it shared; a reset takes it exclusively to swap in freshly loaded states. */
    pthread_rwlock_t lock;
    size_t vendor_count;
    void **states;              /* parallel to mock_vendors[] */
    struct mock_drift **drifts; /* parallel to mock_vendors[]; NULL where no drift is asked for */
};

/* The variant every vendor has: --variant VENDOR.drift=OPS (see drift.h). */
#define MOCK_DRIFT_VARIANT "drift"

/* Checks variants and --generate names against the vendor table and loads every vendor. The
 * config must outlive the server. NULL with err filled. */
struct mock_server *mock_server_new(const struct mock_config *config, char *err, size_t err_len);
void mock_server_free(struct mock_server *server);

/* Answers one request. resp must be initialised (mock_response_init); the caller frees it. */
void mock_server_handle(struct mock_server *server, const struct mock_request *req,
                        struct mock_response *resp);

/* Reloads every vendor's data and clears all session state; on failure keeps the old states. */
bool mock_server_reset(struct mock_server *server, char *err, size_t err_len);

/* The quick-start text: per vendor, demo credentials and a request that works. */
void mock_server_describe(struct mock_server *server, const char *base_url, FILE *out);

/* Whether mock_vendors[vendor_index] is served (its data directory exists under --data). */
bool mock_server_serves(struct mock_server *server, size_t vendor_index);

/* The vendor's dataset as JSON (caller frees), or NULL when the vendor is unknown. */
char *mock_server_dump(struct mock_server *server, const char *vendor_id);

/* Admin endpoints under /__cdrsim/ (admin.c). */
void mock_admin_handle(struct mock_server *server, const struct mock_request *req,
                       struct mock_response *resp);

#endif
