/* The mock as a pure function: a loaded world (vendors' states, clock, rng, config) that turns a
 * struct mock_request into a struct mock_response. No sockets here; http_mhd.c feeds it. */
#ifndef MOCK_SERVER_H
#define MOCK_SERVER_H

#include <pthread.h>
#include <stdio.h>

#include "config.h"
#include "faults.h"
#include "journal.h"
#include "variants.h"
#include "vendor.h"

/* Every vendor's loaded state and the configuration in force: what a reset or a change of
 * variants replaces. Requests borrow the current world for the length of one handler call
 * (mock_server_acquire/mock_server_release); a reset swaps in a fresh one and the old one is
 * freed when its last borrower gives it back. A change of variants swaps in a world that shares
 * the states of the vendors it does not touch. Opaque, so no code can reach a vendor's state
 * without holding a reference. */
struct mock_world;
struct mock_push;

struct mock_server {
    const struct mock_config *config; /* the start-up configuration: what a reset returns to */
    struct mock_clock clock;
    struct mock_shared_rng rng;
    int64_t anchor; /* generated datasets end here: the --clock start, so reloads reproduce them */
    size_t vendor_count;
    /* Each vendor's schema.json (parallel to mock_vendors[]): checked at start to be JSON, parsed
     * on first use (mock_server_schema), since only records added at run time read it. */
    bool *schema_present;
    cJSON **schemas; /* NULL until parsed; under schema_lock */
    pthread_mutex_t schema_lock;
    /* Read at start and never replaced: read freely. */
    const char *const **secret_names;     /* the core's list, then each vendor's; NULL-ended */
    struct mock_journal *journal;         /* NULL when --journal 0 */
    struct mock_record_listener listener; /* set before serving (mock_server_listen) */
    struct mock_faults faults;            /* the fault rules; their own lock */
    struct mock_push *push; /* push delivery (push.h), borrowed; NULL: none (in-process tests) */
    /* Serializes the control plane's changes (reset, variants, records) with each other, so none
     * is lost to another; requests never take it. */
    pthread_mutex_t control_lock;
    /* Guards `world` and every world's and vendor state's reference count; held only to take or
     * drop a reference, never while a handler runs or a dataset loads. */
    pthread_mutex_t world_lock;
    struct mock_world *world; /* the current one, holding one reference; go through acquire */
};

/* Vendor i's schema.json, parsed the first time it is asked for; NULL when the vendor has none,
 * or (with *failed set and err filled) when it no longer reads. */
const cJSON *mock_server_schema(struct mock_server *s, size_t i, bool *failed, char *err,
                                size_t err_len);

/* Checks variants and --generate names against the vendor table and loads every vendor. The
 * config must outlive the server. NULL with err filled. */
struct mock_server *mock_server_new(const struct mock_config *config, char *err, size_t err_len);
void mock_server_free(struct mock_server *server);

/* Who hears of records entering a store at run time; call before serving. */
void mock_server_listen(struct mock_server *server, const struct mock_record_listener *listener);

/* Answers one request. resp must be initialised (mock_response_init); the caller frees it. A
 * request that reached a vendor (or no vendor at all) goes into the journal once it is answered;
 * admin requests do not. */
void mock_server_handle(struct mock_server *server, const struct mock_request *req,
                        struct mock_response *resp);

/* Reloads every vendor's data with the start-up configuration (run-time variants and records gone,
 * the fault rules those of --fault and --config, counts at zero) and clears all session state; on
 * failure keeps the old world. Requests in
 * flight finish on the world they started with; the next ones see the fresh one. */
bool mock_server_reset(struct mock_server *server, char *err, size_t err_len);

/* Sets variants at run time from {"vendor.name": value, ...} (a string, a number, or null for the
 * start-up value), each checked as --variant checks it: all or nothing. A vendor whose own
 * variants change is loaded afresh (sessions and counters start over; records added at run time
 * are carried over); the others keep their state. On success *reloaded lists the reloaded vendors'
 * ids (caller frees the array, not the strings). *status is the HTTP status to answer: 400 for a
 * bad setting (err names it), 500 when loading failed. */
bool mock_server_set_variants(struct mock_server *server, const cJSON *changes,
                              const char ***reloaded, size_t *reloaded_count, int *status,
                              char *err, size_t err_len);
/* The variants in force and at start-up (mock_variants_json). Caller frees. */
char *mock_server_variants_json(struct mock_server *server);

/* The records of the control plane, for mock_vendors[vendor_index]. */
enum mock_records_result {
    MOCK_RECORDS_OK,
    MOCK_RECORDS_NOT_SERVED, /* no such vendor served */
    MOCK_RECORDS_INVALID,    /* a record does not fit: err names it, nothing was added */
    MOCK_RECORDS_FAILED,     /* the mock itself failed (out of memory, carried-over data) */
};
/* Checks every record against the vendor's schema (filling what may be null), then adds them all
 * or none while no request of the vendor runs, and announces each to the listener. *count is the
 * store's size afterwards. */
enum mock_records_result mock_server_records_add(struct mock_server *server, size_t vendor_index,
                                                 cJSON *records, size_t *count, char *err,
                                                 size_t err_len);
/* Empties the vendor's store; *removed is how many records it held. */
enum mock_records_result mock_server_records_clear(struct mock_server *server, size_t vendor_index,
                                                   size_t *removed);
enum mock_records_result mock_server_records_count(struct mock_server *server, size_t vendor_index,
                                                   size_t *count);

/* A reference to the current world, valid until mock_server_release, whatever resets happen
 * meanwhile. Hold it for one handler call, not across a long poll's waits. */
struct mock_world *mock_server_acquire(struct mock_server *server);
/* Gives the reference back; the last one frees a world a reset replaced. */
void mock_server_release(struct mock_server *server, struct mock_world *world);
/* The state of mock_vendors[vendor_index] in that world; NULL when the vendor is not served.
 * Without the vendor's gate: only to see whether a vendor is served, or for code that is alone
 * with the server (tests). Handlers get their state through mock_world_enter. */
void *mock_world_state(const struct mock_world *world, size_t vendor_index);
/* The state, with the vendor's gate entered as a request (records cannot change meanwhile), and
 * the environment its handlers take; NULL (nothing to leave) when the vendor is not served. */
void *mock_world_enter(struct mock_world *world, size_t vendor_index, const struct mock_env **env);
void mock_world_leave(struct mock_world *world, size_t vendor_index);
/* The configuration in force in that world. */
const struct mock_config *mock_world_config(const struct mock_world *world);

/* Adds a fault rule from its JSON description, checking the vendor is served and a vendor_error
 * code is one the vendor documents; false with err naming the field. */
bool mock_server_fault_add(struct mock_server *server, const cJSON *spec, char *id, char *err,
                           size_t err_len);
/* Replaces every fault rule with the configured ones (--config "faults", then --fault), and
 * starts the draws over. false with err naming the rule's origin and field ("--fault #2: ms:
 * required for kind delay"); the rules before it stay. */
bool mock_server_faults_configure(struct mock_server *server, char *err, size_t err_len);

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
