/* Calibration: from a live run's departures, the cdrsim-mock configuration whose variants behave
 * like the vendor that was run against ({"<vendor>": {"variants": {"<name>": "<value>"}}}, the
 * format of cdrsim-mock --config), and the departures no variant covers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conform.h"

/* "vendor.name" split at its first dot into the vendor's object of config and the name. */
static cJSON *vendor_variants(cJSON *config, const char *key, const char **name)
{
    const char *dot = strchr(key, '.');
    char vendor[64];
    snprintf(vendor, sizeof(vendor), "%.*s", (int)(dot ? dot - key : 0), key);
    *name = dot ? dot + 1 : key;
    cJSON *obj = cJSON_GetObjectItemCaseSensitive(config, vendor);
    if (!obj)
        obj = cJSON_AddObjectToObject(config, vendor);
    cJSON *variants = cJSON_GetObjectItemCaseSensitive(obj, "variants");
    return variants ? variants : cJSON_AddObjectToObject(obj, "variants");
}

/* A variant's value as the mock's config reads it: text (numbers are written as numbers). */
static char *value_text(const cJSON *v)
{
    return cJSON_IsString(v) ? strdup(v->valuestring) : cJSON_PrintUnformatted(v);
}

static void add_place(cJSON *list, const struct conform_outcome *o,
                      const struct conform_departure *d)
{
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "vendor", o->vendor);
    cJSON_AddStringToObject(e, "scenario", o->scenario->id);
    cJSON_AddNumberToObject(e, "step", (double)d->step);
    cJSON_AddStringToObject(e, "label", d->label ? d->label : "");
    cJSON_AddItemToArray(list, e);
}

/* One departure's variants into config; a variant another departure already set otherwise is a
 * conflict (the first value stays: the vendor cannot be both). */
static void apply(cJSON *config, cJSON *conflicts, const struct conform_outcome *o,
                  const struct conform_departure *d)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, d->variants) {
        const char *name;
        cJSON *variants = vendor_variants(config, v->string, &name);
        const cJSON *have = cJSON_GetObjectItemCaseSensitive(variants, name);
        if (!have) {
            cJSON_AddItemToObject(variants, name, cJSON_Duplicate(v, true));
            continue;
        }
        char *a = value_text(have), *b = value_text(v);
        if (a && b && strcmp(a, b) != 0) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "variant", v->string);
            cJSON_AddStringToObject(e, "kept", a);
            cJSON_AddStringToObject(e, "also_implied", b);
            cJSON_AddStringToObject(e, "scenario", o->scenario->id);
            cJSON_AddNumberToObject(e, "step", (double)d->step);
            cJSON_AddItemToArray(conflicts, e);
        }
        free(a);
        free(b);
    }
}

cJSON *conform_calibration(const struct conform_run *run)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *config = cJSON_AddObjectToObject(root, "config");
    cJSON *uncovered = cJSON_AddArrayToObject(root, "uncovered");
    cJSON *conflicts = cJSON_AddArrayToObject(root, "conflicts");
    if (!config || !uncovered || !conflicts) {
        cJSON_Delete(root);
        return NULL;
    }
    for (size_t i = 0; i < run->count; i++) {
        const struct conform_outcome *o = &run->outcomes[i];
        for (size_t k = 0; k < o->departure_count; k++) {
            const struct conform_departure *d = &o->departures[k];
            if (d->variants && d->variants->child)
                apply(config, conflicts, o, d);
            else
                add_place(uncovered, o, d);
        }
    }
    return root;
}

bool conform_write_suggested_config(const struct conform_run *run, const char *path)
{
    cJSON *calibration = conform_calibration(run);
    char *text =
        calibration ? cJSON_Print(cJSON_GetObjectItemCaseSensitive(calibration, "config")) : NULL;
    cJSON_Delete(calibration);
    if (!text)
        return false;
    FILE *f = fopen(path, "wb");
    bool ok = f && fputs(text, f) >= 0 && fputc('\n', f) != EOF;
    if (f)
        ok = fclose(f) == 0 && ok;
    free(text);
    return ok;
}
