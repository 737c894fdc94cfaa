#include "variants.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "drift.h"

static const char drift_help[] = "rewrite the vendor's JSON answers to simulate API drift: OPS "
                                 "separated by ';' (rename:PATH>NEW, "
                                 "stringify:PATH, add:PATH=JSON, drop:PATH, set:PATH=JSON)";

const struct mock_vendor_sim *mock_vendor_find(const char *id, size_t *index)
{
    for (size_t i = 0; mock_vendors[i]; i++)
        if (strcmp(mock_vendors[i]->id, id) == 0) {
            if (index)
                *index = i;
            return mock_vendors[i];
        }
    return NULL;
}

static const struct mock_variant_spec *find_spec(const struct mock_vendor_sim *sim,
                                                 const char *name)
{
    for (const struct mock_variant_spec *v = sim->variants; v && v->name; v++)
        if (strcmp(v->name, name) == 0)
            return v;
    return NULL;
}

bool mock_variant_known(const struct mock_vendor_sim *sim, const char *name)
{
    return strcmp(name, MOCK_DRIFT_VARIANT) == 0 || find_spec(sim, name) != NULL;
}

const char *mock_variant(const struct mock_config *cfg, const struct mock_vendor_sim *sim,
                         const char *name)
{
    const char *value = mock_config_variant(cfg, sim->id, name);
    if (value)
        return value;
    const struct mock_variant_spec *spec = find_spec(sim, name);
    return spec ? spec->default_value : NULL;
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

bool mock_variant_check(const char *vendor, const char *name, const char *value, char *err,
                        size_t err_len)
{
    const struct mock_vendor_sim *sim = mock_vendor_find(vendor, NULL);
    if (!sim) {
        snprintf(err, err_len, "%s.%s: unknown vendor '%s'", vendor, name, vendor);
        return false;
    }
    if (strcmp(name, MOCK_DRIFT_VARIANT) == 0) { /* offered by the core for every vendor */
        char why[256];
        struct mock_drift *drift = mock_drift_parse(value, why, sizeof(why));
        mock_drift_free(drift);
        if (!drift)
            snprintf(err, err_len, "%s.drift: %s", vendor, why);
        return drift != NULL;
    }
    const struct mock_variant_spec *spec = find_spec(sim, name);
    if (!spec) {
        snprintf(err, err_len, "%s.%s: %s has no such variant", vendor, name, vendor);
        return false;
    }
    bool ok = spec->choices ? choice_allowed(spec->choices, value)
                            : !spec->validate || spec->validate(value);
    if (!ok)
        snprintf(err, err_len, "%s.%s=%s: expected %s", vendor, name, value,
                 spec->choices ? spec->choices : spec->help);
    return ok;
}

bool mock_variants_same(const struct mock_config *a, const struct mock_config *b,
                        const struct mock_vendor_sim *sim)
{
    for (const struct mock_variant_spec *v = sim->variants; v && v->name; v++)
        if (strcmp(mock_variant(a, sim, v->name), mock_variant(b, sim, v->name)) != 0)
            return false;
    return true;
}

/* "a|b|c" as a JSON array of strings; NULL (free-form) as null. */
static void choices_json(struct cdr_buf *b, const char *choices)
{
    if (!choices) {
        cdr_buf_puts(b, "null");
        return;
    }
    cdr_buf_puts(b, "[");
    for (const char *p = choices;;) {
        size_t len = strcspn(p, "|");
        char *one = strndup(p, len);
        if (!one) {
            b->failed = true;
            return;
        }
        cdr_buf_json_string(b, one);
        free(one);
        if (!p[len])
            break;
        cdr_buf_puts(b, ",");
        p += len + 1;
    }
    cdr_buf_puts(b, "]");
}

static void entry_json(struct cdr_buf *b, const char *vendor, const char *name, const char *now,
                       const char *configured, const char *default_value, const char *choices,
                       const char *help)
{
    char key[128];
    snprintf(key, sizeof(key), "%s.%s", vendor, name);
    cdr_buf_json_string(b, key);
    cdr_buf_puts(b, ":{\"value\":");
    cdr_buf_json_string(b, now);
    cdr_buf_puts(b, ",\"configured\":");
    cdr_buf_json_string(b, configured);
    cdr_buf_puts(b, ",\"default\":");
    cdr_buf_json_string(b, default_value);
    cdr_buf_puts(b, ",\"choices\":");
    choices_json(b, choices);
    cdr_buf_puts(b, ",\"help\":");
    cdr_buf_json_string(b, help);
    cdr_buf_puts(b, "}");
}

char *mock_variants_json(const struct mock_config *now, const struct mock_config *configured)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{");
    bool first = true;
    for (size_t i = 0; mock_vendors[i]; i++) {
        const struct mock_vendor_sim *sim = mock_vendors[i];
        for (const struct mock_variant_spec *v = sim->variants; v && v->name; v++) {
            cdr_buf_puts(&b, first ? "" : ",");
            first = false;
            entry_json(&b, sim->id, v->name, mock_variant(now, sim, v->name),
                       mock_variant(configured, sim, v->name), v->default_value, v->choices,
                       v->help);
        }
        cdr_buf_puts(&b, first ? "" : ",");
        first = false;
        entry_json(
            &b, sim->id, MOCK_DRIFT_VARIANT, mock_config_variant(now, sim->id, MOCK_DRIFT_VARIANT),
            mock_config_variant(configured, sim->id, MOCK_DRIFT_VARIANT), NULL, NULL, drift_help);
    }
    cdr_buf_puts(&b, "}");
    return cdr_buf_steal(&b);
}
