#include "server.h"

#include "drift.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ADMIN_PREFIX "/__cdrsim/"

const char *mock_variant(const struct mock_config *cfg, const struct mock_vendor_sim *sim,
                         const char *name)
{
    const char *value = mock_config_variant(cfg, sim->id, name);
    if (value)
        return value;
    for (const struct mock_variant_spec *v = sim->variants; v && v->name; v++)
        if (strcmp(v->name, name) == 0)
            return v->default_value;
    return NULL;
}

static const struct mock_vendor_sim *find_vendor(const char *id, size_t *index)
{
    for (size_t i = 0; mock_vendors[i]; i++)
        if (strcmp(mock_vendors[i]->id, id) == 0) {
            if (index)
                *index = i;
            return mock_vendors[i];
        }
    return NULL;
}

static bool choice_allowed(const char *choices, const char *value)
{
    size_t n = strlen(value);
    for (const char *p = choices; *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, value, n) == 0)
            return true;
        if (!bar)
            break;
        p = bar + 1;
    }
    return false;
}

static bool check_config(const struct mock_config *cfg, char *err, size_t err_len)
{
    for (size_t i = 0; i < cfg->variant_count; i++) {
        const struct mock_variant *v = &cfg->variants[i];
        const struct mock_vendor_sim *sim = find_vendor(v->vendor, NULL);
        if (!sim) {
            snprintf(err, err_len, "--variant %s.%s: unknown vendor '%s'", v->vendor, v->name,
                     v->vendor);
            return false;
        }
        if (strcmp(v->name, MOCK_DRIFT_VARIANT) == 0) { /* offered by the core for every vendor */
            char why[256];
            struct mock_drift *drift = mock_drift_parse(v->value, why, sizeof(why));
            mock_drift_free(drift);
            if (!drift) {
                snprintf(err, err_len, "--variant %s.drift: %s", v->vendor, why);
                return false;
            }
            continue;
        }
        const struct mock_variant_spec *spec = sim->variants;
        while (spec && spec->name && strcmp(spec->name, v->name) != 0)
            spec++;
        if (!spec || !spec->name) {
            snprintf(err, err_len, "--variant %s.%s: %s has no such variant", v->vendor, v->name,
                     v->vendor);
            return false;
        }
        bool ok = spec->choices ? choice_allowed(spec->choices, v->value)
                                : !spec->validate || spec->validate(v->value);
        if (!ok) {
            snprintf(err, err_len, "--variant %s.%s=%s: expected %s", v->vendor, v->name, v->value,
                     spec->choices ? spec->choices : spec->help);
            return false;
        }
    }
    for (size_t i = 0; i < cfg->generate_count; i++)
        if (!find_vendor(cfg->generate[i].vendor, NULL)) {
            snprintf(err, err_len, "--generate: unknown vendor '%s'", cfg->generate[i].vendor);
            return false;
        }
    return true;
}

/* Every vendor's state from one load, shared by the server while it is current and by the
 * requests that borrowed it. */
struct mock_world {
    size_t refs;   /* guarded by mock_server.world_lock */
    void **states; /* parallel to mock_vendors[]; NULL where a vendor is not served */
};

static void world_free(struct mock_server *s, struct mock_world *w)
{
    for (size_t i = 0; w->states && i < s->vendor_count; i++)
        if (w->states[i])
            mock_vendors[i]->unload(w->states[i]);
    free(w->states);
    free(w);
}

/* Loads every vendor into a fresh world holding one reference (the caller's); nothing of the
 * current world is touched. NULL with err filled. */
static struct mock_world *load_world(struct mock_server *s, char *err, size_t err_len)
{
    struct mock_world *w = calloc(1, sizeof(*w));
    void **states = calloc(s->vendor_count ? s->vendor_count : 1, sizeof(*states));
    if (!w || !states) {
        free(w);
        free(states);
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    w->refs = 1;
    w->states = states;
    size_t served = 0;
    for (size_t i = 0; i < s->vendor_count; i++) {
        const struct mock_vendor_sim *sim = mock_vendors[i];
        char dir[4096];
        snprintf(dir, sizeof(dir), "%s/%s", s->config->data_dir, sim->id);
        struct mock_vendor_load load = {
            .data_dir = dir,
            .config = s->config,
            .settings = mock_config_vendor_settings(s->config, sim->id),
            .generate_count = mock_config_generate_count(s->config, sim->id),
            .seed = s->config->seed,
            .anchor = s->anchor,
        };
        /* A data root may hold only some vendors (a test's own fixtures, a user's one-vendor
         * dataset): a vendor without a directory there is simply not served. */
        struct stat st;
        if (load.generate_count < 0 && stat(dir, &st) != 0)
            continue;
        served++;
        char why[512] = "";
        states[i] = sim->load(&load, why, sizeof(why));
        if (!states[i]) {
            snprintf(err, err_len, "%s: %s", sim->id, why);
            world_free(s, w);
            return NULL;
        }
    }
    if (served == 0) {
        snprintf(err, err_len, "no vendor's data under %s", s->config->data_dir);
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

void *mock_world_state(const struct mock_world *w, size_t vendor_index)
{
    return w->states[vendor_index];
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
    mock_shared_rng_init(&s->rng, config->seed);
    s->env = (struct mock_env){&s->clock, &s->rng, config};
    pthread_mutex_init(&s->world_lock, NULL);
    while (mock_vendors[s->vendor_count])
        s->vendor_count++;
    s->drifts = calloc(s->vendor_count ? s->vendor_count : 1, sizeof(*s->drifts));
    for (size_t i = 0; s->drifts && i < s->vendor_count; i++) {
        const char *spec = mock_config_variant(config, mock_vendors[i]->id, MOCK_DRIFT_VARIANT);
        if (spec)
            s->drifts[i] = mock_drift_parse(spec, err, err_len); /* checked above */
    }
    if (!s->drifts)
        snprintf(err, err_len, "out of memory");
    s->world = s->drifts ? load_world(s, err, err_len) : NULL;
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
    for (size_t i = 0; s->drifts && i < s->vendor_count; i++)
        mock_drift_free(s->drifts[i]);
    free(s->drifts);
    pthread_mutex_destroy(&s->world_lock);
    mock_shared_rng_destroy(&s->rng);
    mock_clock_destroy(&s->clock);
    free(s);
}

bool mock_server_reset(struct mock_server *s, char *err, size_t err_len)
{
    /* Load without any lock so requests keep flowing; only the swap is exclusive, and it never
     * waits for the requests in flight: they keep their references to the old world. */
    struct mock_world *fresh = load_world(s, err, err_len);
    if (!fresh)
        return false;
    pthread_mutex_lock(&s->world_lock);
    struct mock_world *old = s->world;
    s->world = fresh;
    pthread_mutex_unlock(&s->world_lock);
    mock_server_release(s, old); /* the server's reference */
    return true;
}

void mock_server_handle(struct mock_server *s, const struct mock_request *req,
                        struct mock_response *resp)
{
    if (strncmp(req->path, ADMIN_PREFIX, strlen(ADMIN_PREFIX)) == 0) {
        resp->vendor = "admin";
        if (req->too_large == MOCK_URL_TOO_LONG)
            mock_response_json(resp, 414, "{\"error\":\"request URL over the size limit\"}");
        else if (req->too_large == MOCK_HEADERS_TOO_LARGE)
            mock_response_json(resp, 431, "{\"error\":\"request headers over the size limit\"}");
        else
            mock_admin_handle(s, req, resp);
        return;
    }
    struct mock_world *world = mock_server_acquire(s);
    size_t i = 0;
    void *state = NULL;
    for (; i < s->vendor_count; i++) {
        state = mock_world_state(world, i);
        if (state && mock_vendors[i]->routes(req->path))
            break;
    }
    if (i < s->vendor_count) {
        const struct mock_vendor_sim *sim = mock_vendors[i];
        resp->vendor = sim->id;
        if (req->too_large != MOCK_FITS)
            sim->oversized(state, &s->env, req, resp);
        else
            sim->handle(state, &s->env, req, resp);
    }
    mock_server_release(s, world);
    if (i == s->vendor_count)
        mock_response_json(resp, 404, "{\"error\":\"no simulated vendor serves this path\"}");
    else if (s->drifts[i]) /* from outside the vendor, so every route of every vendor can drift */
        mock_drift_apply(s->drifts[i], resp);
}

void mock_server_describe(struct mock_server *s, const char *base_url, FILE *out)
{
    struct mock_world *world = mock_server_acquire(s);
    for (size_t i = 0; i < s->vendor_count; i++)
        if (mock_world_state(world, i) && mock_vendors[i]->describe)
            mock_vendors[i]->describe(mock_world_state(world, i), base_url, out);
    mock_server_release(s, world);
}

char *mock_server_dump(struct mock_server *s, const char *vendor_id)
{
    size_t i;
    const struct mock_vendor_sim *sim = find_vendor(vendor_id, &i);
    if (!sim || !sim->dump)
        return NULL;
    struct mock_world *world = mock_server_acquire(s);
    void *state = mock_world_state(world, i);
    char *json = state ? sim->dump(state) : NULL;
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
