#include "server.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"
#include "json_read.h"
#include "redact.h"
#include "world.h"

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

/* ---- start and stop -------------------------------------------------------------------------- */

/* Each vendor's schema.json, when its data directory has one: what records added at run time
 * must match. A vendor without one takes records its own loader accepts. At start each is only
 * checked to be JSON, by the mock's own reader (a fraction of building the tree, and no memory);
 * what it refuses, cJSON has the last word on, with its message as before. */
static bool check_schema(const char *dir, cJSON **tree, char *err, size_t err_len)
{
    char path[4096 + 16];
    struct mock_file_text file;
    snprintf(path, sizeof(path), "%s/schema.json", dir);
    if (!mock_file_load(path, &file, err, err_len))
        return false;
    struct mock_json_reader r = mock_json_reader(file.text, file.len, MOCK_JSON_PLAIN);
    mock_json_space(&r);
    bool json = mock_json_value(&r, 0);
    mock_json_space(&r);
    json = json && r.p == r.end;
    mock_file_release(&file);
    return json || (*tree = mock_load_json(dir, "schema.json", err, err_len)) != NULL;
}

static bool load_schemas(struct mock_server *s, char *err, size_t err_len)
{
    for (size_t i = 0; i < s->vendor_count; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof(path), "%s/%s/schema.json", s->config->data_dir, mock_vendors[i]->id);
        if (stat(path, &st) != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", s->config->data_dir, mock_vendors[i]->id);
        if (!check_schema(path, &s->schemas[i], err, err_len))
            return false;
        s->schema_present[i] = true;
    }
    return true;
}

const cJSON *mock_server_schema(struct mock_server *s, size_t i, bool *failed, char *err,
                                size_t err_len)
{
    *failed = false;
    if (!s->schema_present[i])
        return NULL;
    pthread_mutex_lock(&s->schema_lock);
    if (!s->schemas[i]) {
        char dir[4096];
        snprintf(dir, sizeof(dir), "%s/%s", s->config->data_dir, mock_vendors[i]->id);
        *failed = !(s->schemas[i] = mock_load_json(dir, "schema.json", err, err_len));
    }
    const cJSON *schema = s->schemas[i];
    pthread_mutex_unlock(&s->schema_lock);
    return schema;
}

/* The schemas load beside the vendors' loaders, one job among theirs: only records added at run
 * time read them, so nothing at start waits for them but the check that they load. */
struct schema_job {
    struct mock_server *s;
    bool ran; /* false: the world's build failed before its jobs ran */
    bool ok;
    char err[1024];
};

static void run_schema_job(void *arg)
{
    struct schema_job *job = arg;
    job->ok = load_schemas(job->s, job->err, sizeof(job->err));
    job->ran = true;
}

/* What reading the schemas costs, in bytes: their files' sizes. */
static uint64_t schemas_cost(const struct mock_server *s)
{
    uint64_t bytes = 0;
    for (size_t i = 0; i < s->vendor_count; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof(path), "%s/%s/schema.json", s->config->data_dir, mock_vendors[i]->id);
        if (stat(path, &st) == 0 && st.st_size > 0)
            bytes += (uint64_t)st.st_size;
    }
    return bytes;
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
    /* Fault draws follow the seed (default 1) either way: a fault run is always reproducible. */
    mock_faults_init(&s->faults, config->seed);
    pthread_mutex_init(&s->world_lock, NULL);
    pthread_mutex_init(&s->control_lock, NULL);
    while (mock_vendors[s->vendor_count])
        s->vendor_count++;
    pthread_mutex_init(&s->schema_lock, NULL);
    s->schemas = calloc(s->vendor_count ? s->vendor_count : 1, sizeof(*s->schemas));
    s->schema_present = calloc(s->vendor_count ? s->vendor_count : 1, sizeof(*s->schema_present));
    bool ok = s->schemas && s->schema_present && collect_secret_names(s);
    if (ok && config->journal_capacity)
        ok = (s->journal = mock_journal_new(config->journal_capacity)) != NULL;
    if (!ok)
        snprintf(err, err_len, "out of memory");
    struct schema_job schemas = {.s = s};
    struct mock_job schema_load = {run_schema_job, &schemas, schemas_cost(s)};
    s->world = ok ? mock_world_build(s, config, false, NULL, &schema_load, err, err_len) : NULL;
    /* A broken schema is reported before a vendor's broken data, as when they loaded in turn. */
    if (ok && schemas.ran && !schemas.ok) {
        snprintf(err, err_len, "%s", schemas.err);
        if (s->world)
            mock_server_release(s, s->world);
        s->world = NULL;
    }
    /* Checked like POST /__cdrsim/faults, which needs the world: the served vendors and their
     * documented server errors. */
    if (s->world && !mock_server_faults_configure(s, err, err_len)) {
        mock_server_release(s, s->world);
        s->world = NULL;
    }
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
    free(s->schema_present);
    pthread_mutex_destroy(&s->schema_lock);
    free(s->secret_names);
    mock_journal_free(s->journal);
    pthread_mutex_destroy(&s->world_lock);
    pthread_mutex_destroy(&s->control_lock);
    mock_shared_rng_destroy(&s->rng);
    mock_faults_destroy(&s->faults);
    mock_clock_destroy(&s->clock);
    free(s);
}

void mock_server_listen(struct mock_server *s, const struct mock_record_listener *listener)
{
    s->listener = *listener;
}

void mock_env_records_entered(const struct mock_env *env, const struct mock_vendor_sim *sim,
                              const void *state, const cJSON *records)
{
    if (env->listener && env->listener->entered && cJSON_GetArraySize(records) > 0)
        env->listener->entered(env->listener->ctx, sim, state, records);
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

/* The vendor's own server error for a vendor_error fault; false when it has none by that code. */
static bool vendor_server_error(const struct mock_vendor_sim *sim, void *state,
                                const struct mock_env *env, const struct mock_request *req,
                                const char *code, struct mock_response *resp)
{
    return sim->control && sim->control->server_error &&
           sim->control->server_error(state, env, req, code[0] ? code : NULL, resp);
}

/* The vendor's answer, or what a fault rule makes of it; false when no served vendor owns the
 * path. A fault is chosen once per request, when it arrives (not on a long poll's retries). */
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
        struct mock_fault_hit hit;
        bool faulted = !resp->poll.started &&
                       mock_faults_match(&s->faults, sim->id, req->method, req->path, &hit);
        bool replaced = faulted && mock_fault_replaces(hit.kind);
        if (replaced && hit.kind == MOCK_FAULT_VENDOR_ERROR)
            vendor_server_error(sim, state, env, req, hit.code, resp);
        else if (replaced)
            ; /* mock_fault_apply writes the whole answer */
        else if (req->too_large != MOCK_FITS)
            sim->oversized(state, env, req, resp);
        else
            sim->handle(state, env, req, resp);
        mock_world_leave(world, i);
        if (faulted) {
            mock_fault_apply(&hit, resp);
            mock_fault_hit_free(&hit);
        }
        if (world->drifts[i] && !replaced) /* from outside the vendor: every route drifts */
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
        if (req->too_large == MOCK_URL_TOO_LONG)
            mock_response_json(resp, 414, "{\"error\":\"request URL over the size limit\"}");
        else if (req->too_large == MOCK_HEADERS_TOO_LARGE)
            mock_response_json(resp, 431, "{\"error\":\"request headers over the size limit\"}");
        else
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
