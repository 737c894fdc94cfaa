/* The inside of a world (server.h): one slot per vendor, each state shared by every world that
 * has not reloaded that vendor, behind its own gate. For the server's own files only; everything
 * else borrows worlds through server.h. */
#ifndef MOCK_WORLD_H
#define MOCK_WORLD_H

#include "drift.h"
#include "gate.h"
#include "jobs.h"
#include "server.h"

/* One vendor's loaded state, shared by every world that has not reloaded it. */
struct mock_slot {
    size_t refs;           /* worlds holding it; guarded by mock_server.world_lock */
    struct mock_gate gate; /* requests share it; run-time record changes pass alone */
    void *state;
    bool edited; /* its records changed at run time; guarded by mock_server.control_lock */
};

struct mock_world {
    size_t refs;                /* guarded by mock_server.world_lock */
    struct mock_slot **slots;   /* parallel to mock_vendors[]; NULL where a vendor is not served */
    struct mock_drift **drifts; /* parallel; NULL where no drift is asked for */
    const struct mock_config *config; /* the server's, or own_config */
    struct mock_config *own_config;   /* run-time variants: owned by the world */
    struct mock_env env;
};

/* A world for cfg holding one reference (the caller's). Vendors whose own variants are the same
 * in base (when given) keep base's state; the others are loaded afresh, side by side (jobs.h),
 * also beside the caller's job also when given, which has run when this returns. Nothing of base
 * changes. own: cfg belongs to the world from now on (also when this fails). NULL with err
 * filled. */
struct mock_world *mock_world_build(struct mock_server *server, const struct mock_config *cfg,
                                    bool own, struct mock_world *base, const struct mock_job *also,
                                    char *err, size_t err_len);
/* Makes fresh the current world, taking over the caller's reference; the old one goes when its
 * last borrower lets go. */
void mock_world_publish(struct mock_server *server, struct mock_world *fresh);

#endif
