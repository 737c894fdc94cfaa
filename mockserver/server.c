#include "server.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "drift.h"
#include "fileio.h"
#include "gate.h"
#include "redact.h"
#include "schema.h"

#define ADMIN_PREFIX "/__cdrsim/"

static bool check_config(const struct mock_config *cfg, char *err, size_t err_len)
{
    for (size_t i = 0; i < cfg->variant_count; i++) {
        const struct mock_variant *v = &cfg->variants[i];
        char why[512];
        if (!mock_variant_check(v->vendor, v->name, v->value, why, sizeof(why))) {
            snprintf(err, err_len, "--variant %s", why);
            return false;
        }
    }
    for (size_t i = 0; i < cfg->generate_count; i++)
        if (!mock_vendor_find(cfg->generate[i].vendor, NULL)) {
            snprintf(err, err_len, "--generate: unknown vendor '%s'", cfg->generate[i].vendor);
            return false;
        }
    return true;
}

/* ---- worlds ---------------------------------------------------------------------------------- */

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

/* A world for cfg holding one reference (the caller's). Vendors whose own variants are the same
 * in base (when given) keep base's state; the others are loaded afresh. Nothing of base changes.
 * own: cfg belongs to the world from now on (also when this fails). NULL with err filled. */
static struct mock_world *build_world(struct mock_server *s, const struct mock_config *cfg,
                                      bool own, struct mock_world *base, char *err, size_t err_len)
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
        if (w)
            world_free(s, w);
        else if (own)
            mock_config_free((struct mock_config *)cfg), free((void *)cfg);
        return NULL;
    }
    w->refs = 1;
    w->env = (struct mock_env){&s->clock, &s->rng, cfg, &s->listener};
    size_t served = 0;
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
        bool absent = false;
        w->slots[i] = load_slot(s, cfg, i, &absent, err, err_len);
        if (!w->slots[i] && !absent) {
            world_free(s, w);
            return NULL;
        }
        served += !absent;
    }
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

/* Makes fresh the current world; the old one goes when its last borrower lets go. */
static void publish(struct mock_server *s, struct mock_world *fresh)
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

/* ---- start and stop -------------------------------------------------------------------------- */

/* Each vendor's schema.json, when its data directory has one: what records added at run time
 * must match. A vendor without one takes records its own loader accepts. */
static bool load_schemas(struct mock_server *s, char *err, size_t err_len)
{
    for (size_t i = 0; i < s->vendor_count; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof(path), "%s/%s/schema.json", s->config->data_dir, mock_vendors[i]->id);
        if (stat(path, &st) != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", s->config->data_dir, mock_vendors[i]->id);
        if (!(s->schemas[i] = mock_load_json(path, "schema.json", err, err_len)))
            return false;
    }
    return true;
}

static bool collect_secret_names(struct mock_server *s)
{
    s->secret_names = calloc(s->vendor_count + 2, sizeof(*s->secret_names));
    if (!s->secret_names)
        return false;
    size_t n = 0;
    s->secret_names[n++] = mock_redact_core_names;
    for (size_t i = 0; i < s->vendor_count; i++)
        if (mock_vendors[i]->control && mock_vendors[i]->control->secret_names)
            s->secret_names[n++] = mock_vendors[i]->control->secret_names;
    return true;
}

struct mock_server *mock_server_new(const struct mock_config *config, char *err, size_t err_len)
{
    if (!check_config(config, err, err_len))
        return NULL;
    struct mock_server *s = calloc(1, sizeof(*s));
    if (!s) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    s->config = config;
    if (config->clock_given)
        mock_clock_init_running(&s->clock, config->clock_start_ms);
    else
        mock_clock_init_real(&s->clock);
    /* The --clock instant itself, not a reading taken a moment later: that reading can cross a
     * second boundary, and generated records would then differ between runs with the same clock. */
    int64_t start_ms = config->clock_given ? config->clock_start_ms : mock_clock_now_ms(&s->clock);
    s->anchor = start_ms / 1000;
    /* Server-made ids differ between two fresh mocks unless --seed asks for a reproducible run;
     * generated datasets follow config->seed either way. */
    mock_shared_rng_init(&s->rng, config->seed_given ? config->seed : mock_rng_entropy());
    pthread_mutex_init(&s->world_lock, NULL);
    pthread_mutex_init(&s->control_lock, NULL);
    while (mock_vendors[s->vendor_count])
        s->vendor_count++;
    s->schemas = calloc(s->vendor_count ? s->vendor_count : 1, sizeof(*s->schemas));
    bool ok = s->schemas && collect_secret_names(s);
    if (ok && config->journal_capacity)
        ok = (s->journal = mock_journal_new(config->journal_capacity)) != NULL;
    if (!ok)
        snprintf(err, err_len, "out of memory");
    ok = ok && load_schemas(s, err, err_len);
    s->world = ok ? build_world(s, config, false, NULL, err, err_len) : NULL;
    if (!s->world) {
        mock_server_free(s);
        return NULL;
    }
    return s;
}

void mock_server_free(struct mock_server *s)
{
    if (!s)
        return;
    /* No request runs any more (the HTTP layer has stopped), so the server's reference is the
     * last one. */
    if (s->world)
        mock_server_release(s, s->world);
    for (size_t i = 0; s->schemas && i < s->vendor_count; i++)
        cJSON_Delete(s->schemas[i]);
    free(s->schemas);
    free(s->secret_names);
    mock_journal_free(s->journal);
    pthread_mutex_destroy(&s->world_lock);
    pthread_mutex_destroy(&s->control_lock);
    mock_shared_rng_destroy(&s->rng);
    mock_clock_destroy(&s->clock);
    free(s);
}

void mock_server_listen(struct mock_server *s, const struct mock_record_listener *listener)
{
    s->listener = *listener;
}

void mock_env_record_entered(const struct mock_env *env, const struct mock_vendor_sim *sim,
                             const cJSON *record)
{
    if (env->listener && env->listener->entered)
        env->listener->entered(env->listener->ctx, sim, record);
}

/* ---- resets and variants --------------------------------------------------------------------- */

bool mock_server_reset(struct mock_server *s, char *err, size_t err_len)
{
    /* Load without the world lock so requests keep flowing; only the swap is exclusive, and it
     * never waits for the requests in flight: they keep their references to the old world. */
    pthread_mutex_lock(&s->control_lock);
    struct mock_world *fresh = build_world(s, s->config, false, NULL, err, err_len);
    if (fresh)
        publish(s, fresh);
    pthread_mutex_unlock(&s->control_lock);
    return fresh != NULL;
}

/* "vendor.name": value applied to cfg after the same check as --variant (null: the start-up
 * value, or none); false with err naming it. */
static bool apply_variant(struct mock_config *cfg, const struct mock_config *start,
                          const cJSON *item, char *err, size_t err_len)
{
    const char *key = item->string, *dot = strchr(key, '.');
    char vendor[64], number[32];
    if (!dot || dot == key || !dot[1] || (size_t)(dot - key) >= sizeof(vendor)) {
        snprintf(err, err_len, "%.200s: expected \"vendor.name\"", key);
        return false;
    }
    snprintf(vendor, sizeof(vendor), "%.*s", (int)(dot - key), key);
    const char *name = dot + 1, *value = NULL;
    if (cJSON_IsString(item)) {
        value = item->valuestring;
    } else if (cJSON_IsNumber(item)) {
        snprintf(number, sizeof(number), "%.15g", item->valuedouble);
        value = number;
    } else if (!cJSON_IsNull(item)) {
        snprintf(err, err_len, "%.200s: expected a string, a number or null", key);
        return false;
    }
    const struct mock_vendor_sim *sim = mock_vendor_find(vendor, NULL);
    if (value && !mock_variant_check(vendor, name, value, err, err_len))
        return false;
    if (!value && (!sim || !mock_variant_known(sim, name))) {
        snprintf(err, err_len,
                 sim ? "%.200s: %s has no such variant" : "%.200s: unknown vendor '%s'", key,
                 vendor);
        return false;
    }
    if (!mock_config_set_variant(cfg, vendor, name,
                                 value ? value : mock_config_variant(start, vendor, name))) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    return true;
}

/* Records of slot (in the world that is being replaced) into fresh, which no request sees yet. */
static bool carry_records(size_t i, struct mock_slot *from, struct mock_slot *to, char *err,
                          size_t err_len)
{
    const struct mock_vendor_sim *sim = mock_vendors[i];
    mock_gate_enter_shared(&from->gate);
    char *dump = sim->dump(from->state);
    mock_gate_leave(&from->gate);
    cJSON *records = dump ? cJSON_Parse(dump) : NULL;
    free(dump);
    sim->control->records_clear(to->state);
    char why[512] = "out of memory";
    bool ok = records && sim->control->records_add(to->state, records, why, sizeof(why));
    cJSON_Delete(records);
    if (!ok)
        snprintf(err, err_len,
                 "%s: the records added at run time do not load with the new "
                 "variants: %s",
                 sim->id, why);
    to->edited = ok;
    return ok;
}

bool mock_server_set_variants(struct mock_server *s, const cJSON *changes, const char ***reloaded,
                              size_t *reloaded_count, int *status, char *err, size_t err_len)
{
    *reloaded = NULL;
    *reloaded_count = 0;
    *status = 400;
    if (!cJSON_IsObject(changes)) {
        snprintf(err, err_len, "expected {\"vendor.name\": value, ...}");
        return false;
    }
    pthread_mutex_lock(&s->control_lock);
    struct mock_world *cur = mock_server_acquire(s);
    struct mock_config *cfg = calloc(1, sizeof(*cfg));
    bool ok = cfg && mock_config_copy(cfg, cur->config);
    if (!ok) {
        free(cfg);
        cfg = NULL;
        snprintf(err, err_len, "out of memory");
    }
    for (const cJSON *item = ok ? changes->child : NULL; ok && item; item = item->next)
        ok = apply_variant(cfg, s->config, item, err, err_len);
    struct mock_world *fresh = NULL;
    if (ok) {
        *status = 500;
        fresh = build_world(s, cfg, true, cur, err, err_len);
        cfg = NULL; /* the world's now, whatever happened */
        ok = fresh != NULL;
    }
    const char **ids = ok ? calloc(s->vendor_count + 1, sizeof(*ids)) : NULL;
    ok = ok && ids;
    for (size_t i = 0; ok && i < s->vendor_count; i++) {
        struct mock_slot *was = cur->slots[i], *now = fresh->slots[i];
        if (!was || was == now)
            continue;
        ids[(*reloaded_count)++] = mock_vendors[i]->id;
        if (was->edited)
            ok = carry_records(i, was, now, err, err_len);
    }
    if (ok) {
        publish(s, fresh);
        *reloaded = ids;
        *status = 200;
    } else {
        free(ids);
        *reloaded_count = 0;
        if (fresh)
            mock_server_release(s, fresh);
    }
    if (cfg) {
        mock_config_free(cfg);
        free(cfg);
    }
    mock_server_release(s, cur);
    pthread_mutex_unlock(&s->control_lock);
    return ok;
}

char *mock_server_variants_json(struct mock_server *s)
{
    struct mock_world *w = mock_server_acquire(s);
    char *json = mock_variants_json(w->config, s->config);
    mock_server_release(s, w);
    return json;
}

/* ---- records at run time --------------------------------------------------------------------- */

/* The current world with the vendor's state, under the control lock; NULL (the lock released)
 * when the vendor is not served or cannot take records. */
static struct mock_world *control_world(struct mock_server *s, size_t i, struct mock_slot **slot)
{
    if (i >= s->vendor_count || !mock_vendors[i]->control)
        return NULL;
    pthread_mutex_lock(&s->control_lock);
    struct mock_world *w = mock_server_acquire(s);
    *slot = w->slots[i];
    if (*slot)
        return w;
    mock_server_release(s, w);
    pthread_mutex_unlock(&s->control_lock);
    return NULL;
}

static void control_done(struct mock_server *s, struct mock_world *w)
{
    mock_server_release(s, w);
    pthread_mutex_unlock(&s->control_lock);
}

/* Each record against the vendor's schema, filled in where it may be null. */
static bool check_records(struct mock_server *s, size_t i, cJSON *records, char *err,
                          size_t err_len)
{
    const struct mock_vendor_control *control = mock_vendors[i]->control;
    if (!s->schemas[i] || !control->record_schema)
        return true;
    size_t k = 0;
    for (cJSON *r = records->child; r; r = r->next, k++) {
        char path[32];
        snprintf(path, sizeof(path), "records[%zu]", k);
        if (!mock_schema_check(s->schemas[i], control->record_schema, r, path, err, err_len))
            return false;
    }
    return true;
}

enum mock_records_result mock_server_records_add(struct mock_server *s, size_t i, cJSON *records,
                                                 size_t *count, char *err, size_t err_len)
{
    struct mock_slot *slot;
    struct mock_world *w = control_world(s, i, &slot);
    if (!w)
        return MOCK_RECORDS_NOT_SERVED;
    const struct mock_vendor_sim *sim = mock_vendors[i];
    if (!check_records(s, i, records, err, err_len)) {
        control_done(s, w);
        return MOCK_RECORDS_INVALID;
    }
    mock_gate_enter_alone(&slot->gate);
    bool added = sim->control->records_add(slot->state, records, err, err_len);
    *count = sim->control->records_count(slot->state);
    mock_gate_leave(&slot->gate);
    slot->edited |= added;
    /* Push delivery hooks in here: every record is visible to queries by now. */
    for (const cJSON *r = added ? records->child : NULL; r; r = r->next)
        mock_env_record_entered(&w->env, sim, r);
    control_done(s, w);
    return added ? MOCK_RECORDS_OK : MOCK_RECORDS_INVALID;
}

enum mock_records_result mock_server_records_clear(struct mock_server *s, size_t i, size_t *removed)
{
    struct mock_slot *slot;
    struct mock_world *w = control_world(s, i, &slot);
    if (!w)
        return MOCK_RECORDS_NOT_SERVED;
    const struct mock_vendor_control *control = mock_vendors[i]->control;
    mock_gate_enter_alone(&slot->gate);
    *removed = control->records_count(slot->state);
    control->records_clear(slot->state);
    mock_gate_leave(&slot->gate);
    slot->edited = true;
    control_done(s, w);
    return MOCK_RECORDS_OK;
}

enum mock_records_result mock_server_records_count(struct mock_server *s, size_t i, size_t *count)
{
    if (i >= s->vendor_count || !mock_vendors[i]->control)
        return MOCK_RECORDS_NOT_SERVED;
    struct mock_world *w = mock_server_acquire(s);
    void *state = mock_world_enter(w, i, NULL);
    if (state) {
        *count = mock_vendors[i]->control->records_count(state);
        mock_world_leave(w, i);
    }
    mock_server_release(s, w);
    return state ? MOCK_RECORDS_OK : MOCK_RECORDS_NOT_SERVED;
}

/* ---- requests -------------------------------------------------------------------------------- */

static void journal(struct mock_server *s, const struct mock_request *req,
                    const struct mock_response *resp)
{
    struct mock_journal_input in = {
        .req = req,
        .resp = resp,
        .time_ms = resp->poll.arrived_ms,
        .latency_ms = (double)(mock_monotonic_us() - resp->poll.arrived_us) / 1000.0,
        .secret_names = s->secret_names,
    };
    mock_journal_record(s->journal, &in);
}

/* The vendor's answer; false when no served vendor owns the path. */
static bool vendor_answer(struct mock_server *s, const struct mock_request *req,
                          struct mock_response *resp)
{
    struct mock_world *world = mock_server_acquire(s);
    size_t i = 0;
    for (; i < s->vendor_count; i++)
        if (world->slots[i] && mock_vendors[i]->routes(req->path))
            break;
    if (i < s->vendor_count) {
        const struct mock_vendor_sim *sim = mock_vendors[i];
        const struct mock_env *env = NULL;
        void *state = mock_world_enter(world, i, &env);
        resp->vendor = sim->id;
        if (req->body_too_large)
            sim->oversized(state, env, req, resp);
        else
            sim->handle(state, env, req, resp);
        mock_world_leave(world, i);
        if (world->drifts[i]) /* from outside the vendor, so every route of every vendor drifts */
            mock_drift_apply(world->drifts[i], resp);
    }
    mock_server_release(s, world);
    return i < s->vendor_count;
}

void mock_server_handle(struct mock_server *s, const struct mock_request *req,
                        struct mock_response *resp)
{
    if (s->config->admin_enabled && strncmp(req->path, ADMIN_PREFIX, strlen(ADMIN_PREFIX)) == 0) {
        resp->vendor = "admin";
        mock_admin_handle(s, req, resp);
        return;
    }
    if (!resp->poll.started) {
        resp->poll.arrived_ms = mock_clock_now_ms(&s->clock);
        resp->poll.arrived_us = mock_monotonic_us();
    }
    /* The vendor's check reports its verdict into the response, through the request it reads. */
    struct mock_request own = *req;
    own.auth = &resp->auth;
    if (!vendor_answer(s, &own, resp))
        mock_response_json(resp, 404, "{\"error\":\"no simulated vendor serves this path\"}");
    if (s->journal && resp->retry_after_ms <= 0)
        journal(s, &own, resp);
}

/* ---- views ----------------------------------------------------------------------------------- */

void mock_server_describe(struct mock_server *s, const char *base_url, FILE *out)
{
    struct mock_world *world = mock_server_acquire(s);
    for (size_t i = 0; i < s->vendor_count; i++) {
        void *state = mock_vendors[i]->describe ? mock_world_enter(world, i, NULL) : NULL;
        if (state) {
            mock_vendors[i]->describe(state, base_url, out);
            mock_world_leave(world, i);
        }
    }
    mock_server_release(s, world);
}

char *mock_server_dump(struct mock_server *s, const char *vendor_id)
{
    size_t i;
    const struct mock_vendor_sim *sim = mock_vendor_find(vendor_id, &i);
    if (!sim || !sim->dump)
        return NULL;
    struct mock_world *world = mock_server_acquire(s);
    void *state = mock_world_enter(world, i, NULL);
    char *json = state ? sim->dump(state) : NULL;
    if (state)
        mock_world_leave(world, i);
    mock_server_release(s, world);
    return json;
}

bool mock_server_serves(struct mock_server *s, size_t vendor_index)
{
    if (vendor_index >= s->vendor_count)
        return false;
    struct mock_world *world = mock_server_acquire(s);
    bool served = mock_world_state(world, vendor_index) != NULL;
    mock_server_release(s, world);
    return served;
}
