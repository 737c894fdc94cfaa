/* The mock as a pure function: a loaded world (vendors' states, clock, rng, config) that turns a
 * struct mock_request into a struct mock_response. No sockets here; http_mhd.c feeds it. */
#ifndef MOCK_SERVER_H
#define MOCK_SERVER_H

#include <pthread.h>
#include <stdio.h>

#include "config.h"
#include "vendor.h"

/* Every vendor's loaded state: what a reset replaces. Requests borrow the current world for the
 * length of one handler call (mock_server_acquire/mock_server_release); a reset swaps in a fresh
 * one and the old one is freed when its last borrower gives it back. Opaque, so no code can
 * reach a vendor's state without holding a reference. */
struct mock_world;

struct mock_server {
    const struct mock_config *config;
    struct mock_clock clock;
    struct mock_shared_rng rng;
    struct mock_env env;
    int64_t anchor; /* generated datasets end here: the --clock start, so reloads reproduce them */
    size_t vendor_count;
    /* Parsed from the config at start and never replaced (a reset keeps them): read freely. */
    struct mock_drift **drifts; /* parallel to mock_vendors[]; NULL where no drift is asked for */
    /* Guards `world` and every world's reference count; held only to take or drop a reference,
     * never while a handler runs or a dataset loads. */
    pthread_mutex_t world_lock;
    struct mock_world *world; /* the current one, holding one reference; go through acquire */
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

/* Reloads every vendor's data and clears all session state; on failure keeps the old states.
 * Requests in flight finish on the world they started with; the next ones see the fresh one. */
bool mock_server_reset(struct mock_server *server, char *err, size_t err_len);

/* A reference to the current world, valid until mock_server_release, whatever resets happen
 * meanwhile. Hold it for one handler call, not across a long poll's waits. */
struct mock_world *mock_server_acquire(struct mock_server *server);
/* Gives the reference back; the last one frees a world a reset replaced. */
void mock_server_release(struct mock_server *server, struct mock_world *world);
/* The state of mock_vendors[vendor_index] in that world; NULL when the vendor is not served. */
void *mock_world_state(const struct mock_world *world, size_t vendor_index);

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
