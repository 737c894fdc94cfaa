/* The control plane's changes to the world: a reset, variants set at run time (a new world that
 * shares the untouched vendors' states) and records added or cleared behind a vendor's gate. They
 * take the server's control lock, so none is lost to another; requests never wait on it. */
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "world.h"

/* ---- resets and variants --------------------------------------------------------------------- */

bool mock_server_reset(struct mock_server *s, char *err, size_t err_len)
{
    /* Load without the world lock so requests keep flowing; only the swap is exclusive, and it
     * never waits for the requests in flight: they keep their references to the old world. */
    pthread_mutex_lock(&s->control_lock);
    struct mock_world *fresh = mock_world_build(s, s->config, false, NULL, NULL, err, err_len);
    bool ok = fresh != NULL;
    if (ok) {
        mock_world_publish(s, fresh);
        /* Rules added at run time go like variants; the configured ones come back, counted
         * afresh, as the configured records do. */
        ok = mock_server_faults_configure(s, err, err_len);
    }
    pthread_mutex_unlock(&s->control_lock);
    return ok;
}

static bool fault_vendor_served(void *ctx, const char *vendor)
{
    size_t i;
    return mock_vendor_find(vendor, &i) && mock_server_serves(ctx, i);
}

/* Asks the vendor's hook for the answer into a scratch response: the hook is the one list of the
 * codes the vendor documents. */
static bool fault_vendor_code(void *ctx, const char *vendor, const char *code)
{
    struct mock_server *s = ctx;
    size_t i;
    const struct mock_vendor_sim *sim = mock_vendor_find(vendor, &i);
    if (!sim || !sim->control || !sim->control->server_error)
        return false;
    struct mock_world *world = mock_server_acquire(s);
    const struct mock_env *env = NULL;
    void *state = mock_world_enter(world, i, &env);
    bool known = false;
    if (state) {
        struct mock_response scratch;
        mock_response_init(&scratch);
        known = sim->control->server_error(state, env, NULL, code, &scratch);
        mock_response_free(&scratch);
        mock_world_leave(world, i);
    }
    mock_server_release(s, world);
    return known;
}

bool mock_server_fault_add(struct mock_server *s, const cJSON *spec, char *id, char *err,
                           size_t err_len)
{
    const struct mock_fault_checker checker = {
        .vendor_served = fault_vendor_served,
        .vendor_code = fault_vendor_code,
        .ctx = s,
    };
    return mock_faults_add(&s->faults, spec, &checker, id, err, err_len);
}

bool mock_server_faults_configure(struct mock_server *s, char *err, size_t err_len)
{
    mock_faults_remove(&s->faults, NULL);
    size_t i = 0;
    const cJSON *rule;
    cJSON_ArrayForEach(rule, s->config->faults) {
        char id[24], why[512];
        if (!mock_server_fault_add(s, rule, id, why, sizeof(why))) {
            char origin[48];
            mock_config_fault_origin(s->config, i, origin, sizeof(origin));
            snprintf(err, err_len, "%s: %s", origin, why);
            return false;
        }
        i++;
    }
    return true;
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
        fresh = mock_world_build(s, cfg, true, cur, NULL, err, err_len);
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
        mock_world_publish(s, fresh);
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
    bool failed = false;
    const cJSON *schema =
        control->record_schema ? mock_server_schema(s, i, &failed, err, err_len) : NULL;
    if (!schema)
        return !failed;
    size_t k = 0;
    for (cJSON *r = records->child; r; r = r->next, k++) {
        char path[32];
        snprintf(path, sizeof(path), "records[%zu]", k);
        if (!mock_schema_check(schema, control->record_schema, r, path, err, err_len))
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
    /* Push delivery hooks in here: every record is visible to queries by now, and the control
     * lock keeps other records out while the push reads the vendor's state. */
    if (added)
        mock_env_records_entered(&w->env, sim, slot->state, records);
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
