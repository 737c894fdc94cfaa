/* A step's arguments as a struct cdr_args, from the target's credentials and the step's JSON,
 * read through the vendor's descriptor: no driver restates what the library knows of its fields. */
#include "args.h"
#include "json_type.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int64_t conform_arg_int(const cJSON *args, const char *key, int64_t fallback)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(args, key);
    return cdr__json_int64(v, fallback);
}

const char *conform_arg_str(const cJSON *args, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(args, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* One JSON value as the text a command line would give; false for what has none. */
static bool as_text(const cJSON *v, char *buf, size_t len, const char **text)
{
    if (cJSON_IsString(v)) {
        *text = v->valuestring;
    } else if (cJSON_IsBool(v)) {
        *text = cJSON_IsTrue(v) ? "true" : "false";
    } else if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (fabs(d) < 9007199254740992.0 && d == floor(d)) /* 2^53: whole numbers print whole */
            snprintf(buf, len, "%lld", (long long)d);
        else
            snprintf(buf, len, "%.17g", d);
        *text = buf;
    } else {
        return false;
    }
    return true;
}

/* The member's values into args (a list is one value per item); false with err filled. */
static bool add_values(struct cdr_args *args, const char *name, const cJSON *v,
                       struct cdr_error_info *err)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, (cJSON_IsArray(v) ? v : NULL)) {
        if (!add_values(args, name, item, err))
            return false;
    }
    if (cJSON_IsArray(v) || cJSON_IsNull(v))
        return true;
    char buf[32];
    const char *text;
    if (!as_text(v, buf, sizeof(buf), &text)) {
        cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "%s: an object is not a value", name);
        return false;
    }
    if (cdr_args_add(args, name, text) != CDR_OK) {
        cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        return false;
    }
    return true;
}

struct cdr_args *conform_args_for_step(const struct conform_call *call, struct cdr_error_info *err)
{
    const struct cdr_vendor *v = cdr_vendor_find(call->driver->vendor);
    struct cdr_args *args = cdr_args_new();
    if (!args) {
        cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        return NULL;
    }
    bool ok = true;
    for (const struct cdr_field *f = v ? v->fields : NULL; ok && f && f->name; f++) {
        const cJSON *given = cJSON_GetObjectItemCaseSensitive(call->args, f->name);
        const char *credential = conform_credential(call->env, f->name);
        if (given)
            ok = add_values(args, f->name, given, err);
        else if (f->role == CDR_ROLE_CREDENTIAL && credential)
            ok = add_values(args, f->name,
                            cJSON_GetObjectItemCaseSensitive(call->env->credentials, f->name), err);
        /* A secret of the right shape that is not the right one. */
        const char *secret = cdr_args_get(args, f->name);
        if (ok && call->faults->wrong_secret && (f->flags & CDR_FIELD_SECRET) && secret) {
            char wrong[512];
            snprintf(wrong, sizeof(wrong), "%s-wrong", secret);
            if (cdr_args_set(args, f->name, wrong) != CDR_OK) {
                cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
                ok = false;
            }
        }
    }
    if (!ok) {
        cdr_args_free(args);
        return NULL;
    }
    return args;
}

static int64_t step_clock(void *user)
{
    const struct conform_call *call = user;
    return conform_now(call->env, call->faults);
}

bool conform_client_open(struct conform_client *c, const struct conform_call *call,
                         struct conform_result *out)
{
    c->client = NULL;
    if (!(c->args = conform_args_for_step(call, &out->info)))
        return false;
    struct cdr_client_options o;
    cdr_client_options_default(&o);
    o.base_url = call->env->base_url;
    o.http.insecure = call->env->insecure;
    o.http.observer = call->env->observer;
    o.http.observer_user = call->env->observer_user;
    o.http.max_retries = call->faults->max_retries >= 0 ? call->faults->max_retries : 1;
    if (call->faults->timeout_ms > 0)
        o.http.timeout_ms = call->faults->timeout_ms;
    o.clock = step_clock;
    o.clock_user = (void *)call;
    o.unchecked = call->faults->unchecked;
    if (call->driver->prepare && call->driver->prepare(call, c->args, &o, &out->info) != CDR_OK)
        return false;
    c->client = cdr_client_new(cdr_vendor_find(call->driver->vendor), &o, c->args, &out->info);
    return c->client != NULL;
}

void conform_client_close(struct conform_client *c)
{
    cdr_client_free(c->client);
    cdr_args_free(c->args);
    c->client = NULL;
    c->args = NULL;
}
