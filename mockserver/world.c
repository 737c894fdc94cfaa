/* Worlds: loading every vendor into slots, sharing the untouched ones with the world a change of
 * variants replaces, and lending worlds to requests by reference count. */
#include "world.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void slot_release(struct mock_server *s, size_t i, struct mock_slot *slot)
{
    if (!slot)
        return;
    pthread_mutex_lock(&s->world_lock);
    bool last = --slot->refs == 0;
    pthread_mutex_unlock(&s->world_lock);
    if (!last)
        return;
    mock_vendors[i]->unload(slot->state);
    mock_gate_destroy(&slot->gate);
    free(slot);
}

static void world_free(struct mock_server *s, struct mock_world *w)
{
    for (size_t i = 0; i < s->vendor_count; i++) {
        if (w->slots)
            slot_release(s, i, w->slots[i]);
        if (w->drifts)
            mock_drift_free(w->drifts[i]);
    }
    free(w->slots);
    free(w->drifts);
    if (w->own_config) {
        mock_config_free(w->own_config);
        free(w->own_config);
    }
    free(w);
}

/* mock_vendors[i] loaded afresh with cfg; NULL with err filled. *absent is set (and NULL
 * returned, err untouched) when the data root has no directory for the vendor. */
static struct mock_slot *load_slot(struct mock_server *s, const struct mock_config *cfg, size_t i,
                                   bool *absent, char *err, size_t err_len)
{
    const struct mock_vendor_sim *sim = mock_vendors[i];
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/%s", cfg->data_dir, sim->id);
    struct mock_vendor_load load = {
        .data_dir = dir,
        .config = cfg,
        .settings = mock_config_vendor_settings(cfg, sim->id),
        .generate_count = mock_config_generate_count(cfg, sim->id),
        .seed = cfg->seed,
        .anchor = s->anchor,
    };
    /* A data root may hold only some vendors (a test's own fixtures, a user's one-vendor
     * dataset): a vendor without a directory there is simply not served. */
    struct stat st;
    *absent = load.generate_count < 0 && stat(dir, &st) != 0;
    if (*absent)
        return NULL;
    struct mock_slot *slot = calloc(1, sizeof(*slot));
    char why[512] = "out of memory";
    if (slot)
        slot->state = sim->load(&load, why, sizeof(why));
    if (!slot || !slot->state) {
        free(slot);
        snprintf(err, err_len, "%s: %s", sim->id, why);
        return NULL;
    }
    slot->refs = 1;
    mock_gate_init(&slot->gate);
    return slot;
}

/* One vendor's load, one job of the world's build: the vendors' loaders share no mutable state
 * (each reads its own directory into its own state), so the datasets load side by side. */
struct load_job {
    struct mock_server *s;
    const struct mock_config *cfg;
    size_t index;
    struct mock_slot *slot;
    bool absent;
    char err[512];
};

static void run_load_job(void *arg)
{
    struct load_job *job = arg;
    job->slot = load_slot(job->s, job->cfg, job->index, &job->absent, job->err, sizeof(job->err));
}

/* What a vendor's load costs, roughly, in bytes of data: its records file, or as much for the
 * records it generates (about a kilobyte each). */
static uint64_t load_cost(const struct mock_config *cfg, size_t i)
{
    int64_t generate = mock_config_generate_count(cfg, mock_vendors[i]->id);
    if (generate > 0)
        return (uint64_t)generate * 1024;
    char path[4096];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s/records.json", cfg->data_dir, mock_vendors[i]->id);
    return stat(path, &st) == 0 && st.st_size > 0 ? (uint64_t)st.st_size : 0;
}

/* The drift each vendor's answers get under cfg (checked already). */
static bool parse_drifts(struct mock_server *s, struct mock_world *w, char *err, size_t err_len)
{
    for (size_t i = 0; i < s->vendor_count; i++) {
        const char *spec = mock_config_variant(w->config, mock_vendors[i]->id, MOCK_DRIFT_VARIANT);
        if (spec && !(w->drifts[i] = mock_drift_parse(spec, err, err_len)))
            return false;
    }
    return true;
}

struct mock_world *mock_world_build(struct mock_server *s, const struct mock_config *cfg, bool own,
                                    struct mock_world *base, const struct mock_job *also, char *err,
                                    size_t err_len)
{
    struct mock_world *w = calloc(1, sizeof(*w));
    size_t n = s->vendor_count ? s->vendor_count : 1;
    if (w) {
        w->slots = calloc(n, sizeof(*w->slots));
        w->drifts = calloc(n, sizeof(*w->drifts));
        w->config = cfg;
        w->own_config = own ? (struct mock_config *)cfg : NULL;
    }
    if (!w || !w->slots || !w->drifts) {
        snprintf(err, err_len, "out of memory");
        if (w) {
            world_free(s, w); /* frees an own cfg with it */
        } else if (own) {
            mock_config_free((struct mock_config *)cfg);
            free((void *)cfg);
        }
        return NULL;
    }
    w->refs = 1;
    w->env = (struct mock_env){&s->clock, &s->rng, cfg, &s->listener};
    struct load_job *jobs = calloc(n, sizeof(*jobs));
    struct mock_job *run = calloc(n + 1, sizeof(*run));
    if (!jobs || !run) {
        free(jobs);
        free(run);
        snprintf(err, err_len, "out of memory");
        world_free(s, w);
        return NULL;
    }
    size_t served = 0, loads = 0;
    for (size_t i = 0; i < s->vendor_count; i++) {
        struct mock_slot *kept = base ? base->slots[i] : NULL;
        if (kept && mock_variants_same(base->config, cfg, mock_vendors[i])) {
            pthread_mutex_lock(&s->world_lock);
            kept->refs++;
            pthread_mutex_unlock(&s->world_lock);
            w->slots[i] = kept;
            served++;
            continue;
        }
        jobs[loads] = (struct load_job){.s = s, .cfg = cfg, .index = i};
        run[loads] = (struct mock_job){run_load_job, &jobs[loads], load_cost(cfg, i)};
        loads++;
    }
    size_t running = loads;
    if (also)
        run[running++] = *also;
    mock_jobs_run(run, running);
    free(run);
    /* Every slot goes into the world, so that a failure frees them all with it; the first
     * vendor's failure (in registry order) is the one reported, as when they loaded in turn. */
    const struct load_job *failed = NULL;
    for (size_t k = 0; k < loads; k++) {
        w->slots[jobs[k].index] = jobs[k].slot;
        if (!jobs[k].slot && !jobs[k].absent && !failed)
            failed = &jobs[k];
        served += !jobs[k].absent;
    }
    if (failed) {
        snprintf(err, err_len, "%s", failed->err);
        free(jobs);
        world_free(s, w);
        return NULL;
    }
    free(jobs);
    if (served == 0) {
        snprintf(err, err_len, "no vendor's data under %s", cfg->data_dir);
        world_free(s, w);
        return NULL;
    }
    if (!parse_drifts(s, w, err, err_len)) {
        world_free(s, w);
        return NULL;
    }
    return w;
}

struct mock_world *mock_server_acquire(struct mock_server *s)
{
    pthread_mutex_lock(&s->world_lock);
    struct mock_world *w = s->world;
    w->refs++;
    pthread_mutex_unlock(&s->world_lock);
    return w;
}

void mock_server_release(struct mock_server *s, struct mock_world *w)
{
    pthread_mutex_lock(&s->world_lock);
    bool last = --w->refs == 0;
    pthread_mutex_unlock(&s->world_lock);
    /* The last holder frees it outside the lock: unloading a large dataset must not stall the
     * requests taking references meanwhile. */
    if (last)
        world_free(s, w);
}

void mock_world_publish(struct mock_server *s, struct mock_world *fresh)
{
    pthread_mutex_lock(&s->world_lock);
    struct mock_world *old = s->world;
    s->world = fresh;
    pthread_mutex_unlock(&s->world_lock);
    mock_server_release(s, old); /* the server's reference */
}

void *mock_world_state(const struct mock_world *w, size_t vendor_index)
{
    return w->slots[vendor_index] ? w->slots[vendor_index]->state : NULL;
}

void *mock_world_enter(struct mock_world *w, size_t vendor_index, const struct mock_env **env)
{
    struct mock_slot *slot = w->slots[vendor_index];
    if (!slot)
        return NULL;
    mock_gate_enter_shared(&slot->gate);
    if (env)
        *env = &w->env;
    return slot->state;
}

void mock_world_leave(struct mock_world *w, size_t vendor_index)
{
    mock_gate_leave(&w->slots[vendor_index]->gate);
}

const struct mock_config *mock_world_config(const struct mock_world *w)
{
    return w->config;
}
