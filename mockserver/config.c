#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mock_config_init(struct mock_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->port = 8080;
    cfg->log_format = MOCK_LOG_TEXT;
    cfg->max_body_bytes = 1024 * 1024;
    cfg->connection_timeout_s = 30;
    cfg->seed = 1;
    cfg->journal_capacity = 10000;
    cfg->admin_enabled = true;
    cfg->http.max_connections = 16384;
    cfg->http.header_timeout_ms = 10000;
    cfg->http.max_url_bytes = 8192;
    cfg->http.max_header_bytes = 8192;
    cfg->http.max_header_fields = 100;
}

void mock_config_free(struct mock_config *cfg)
{
    free(cfg->bind);
    free(cfg->data_dir);
    free(cfg->openapi_dir);
    cJSON_Delete(cfg->settings);
    for (size_t i = 0; i < cfg->variant_count; i++) {
        free(cfg->variants[i].vendor);
        free(cfg->variants[i].name);
        free(cfg->variants[i].value);
    }
    free(cfg->variants);
    for (size_t i = 0; i < cfg->generate_count; i++)
        free(cfg->generate[i].vendor);
    free(cfg->generate);
    free(cfg->tls_cert_file);
    free(cfg->tls_key_file);
    free(cfg->admin_token);
    cJSON_Delete(cfg->faults);
    free(cfg->http.tls_priorities);
    mock_config_init(cfg);
}

/* A copy of an optional string: false only when out of memory. */
static bool copy_text(char **dst, const char *src)
{
    *dst = src ? strdup(src) : NULL;
    return !src || *dst;
}

bool mock_config_copy(struct mock_config *dst, const struct mock_config *src)
{
    *dst = *src;
    dst->bind = dst->data_dir = dst->openapi_dir = dst->tls_cert_file = dst->tls_key_file =
        dst->admin_token = NULL;
    dst->settings = NULL;
    dst->faults = NULL;
    dst->variants = NULL;
    dst->variant_count = 0;
    dst->generate = NULL;
    dst->generate_count = 0;
    bool ok = copy_text(&dst->bind, src->bind) && copy_text(&dst->data_dir, src->data_dir) &&
              copy_text(&dst->openapi_dir, src->openapi_dir) &&
              copy_text(&dst->tls_cert_file, src->tls_cert_file) &&
              copy_text(&dst->tls_key_file, src->tls_key_file) &&
              copy_text(&dst->admin_token, src->admin_token);
    if (ok && src->settings)
        ok = (dst->settings = cJSON_Duplicate(src->settings, true)) != NULL;
    if (ok && src->faults)
        ok = (dst->faults = cJSON_Duplicate(src->faults, true)) != NULL;
    for (size_t i = 0; ok && i < src->variant_count; i++)
        ok = mock_config_set_variant(dst, src->variants[i].vendor, src->variants[i].name,
                                     src->variants[i].value);
    if (ok && src->generate_count) {
        ok = (dst->generate = calloc(src->generate_count, sizeof(*dst->generate))) != NULL;
        for (size_t i = 0; ok && i < src->generate_count; i++) {
            ok = copy_text(&dst->generate[i].vendor, src->generate[i].vendor);
            dst->generate[i].count = src->generate[i].count;
            dst->generate_count += ok;
        }
    }
    if (!ok)
        mock_config_free(dst);
    return ok;
}

static bool set_variant(struct mock_config *cfg, const char *vendor, size_t vendor_len,
                        const char *name, size_t name_len, const char *value)
{
    for (size_t i = 0; i < cfg->variant_count; i++) {
        struct mock_variant *v = &cfg->variants[i];
        if (strlen(v->vendor) == vendor_len && strncmp(v->vendor, vendor, vendor_len) == 0 &&
            strlen(v->name) == name_len && strncmp(v->name, name, name_len) == 0) {
            char *copy = strdup(value);
            if (!copy)
                return false;
            free(v->value);
            v->value = copy;
            return true;
        }
    }
    struct mock_variant *grown = realloc(cfg->variants, (cfg->variant_count + 1) * sizeof(*grown));
    if (!grown)
        return false;
    cfg->variants = grown;
    struct mock_variant *v = &grown[cfg->variant_count];
    v->vendor = strndup(vendor, vendor_len);
    v->name = strndup(name, name_len);
    v->value = strdup(value);
    if (!v->vendor || !v->name || !v->value) {
        free(v->vendor);
        free(v->name);
        free(v->value);
        return false;
    }
    cfg->variant_count++;
    return true;
}

bool mock_config_set_variant(struct mock_config *cfg, const char *vendor, const char *name,
                             const char *value)
{
    if (value)
        return set_variant(cfg, vendor, strlen(vendor), name, strlen(name), value);
    for (size_t i = 0; i < cfg->variant_count; i++) {
        struct mock_variant *v = &cfg->variants[i];
        if (strcmp(v->vendor, vendor) == 0 && strcmp(v->name, name) == 0) {
            free(v->vendor);
            free(v->name);
            free(v->value);
            cfg->variants[i] = cfg->variants[--cfg->variant_count];
            break;
        }
    }
    return true;
}

bool mock_config_add_variant(struct mock_config *cfg, const char *spec)
{
    const char *dot = strchr(spec, '.');
    const char *eq = strchr(spec, '=');
    if (!dot || !eq || dot == spec || eq < dot + 2)
        return false;
    return set_variant(cfg, spec, (size_t)(dot - spec), dot + 1, (size_t)(eq - dot - 1), eq + 1);
}

/* The rule list, made on first use. */
static cJSON *fault_list(struct mock_config *cfg)
{
    if (!cfg->faults)
        cfg->faults = cJSON_CreateArray();
    return cfg->faults;
}

bool mock_config_add_fault(struct mock_config *cfg, const char *json, char *err, size_t err_len)
{
    cJSON *rule = cJSON_Parse(json);
    if (!cJSON_IsObject(rule)) {
        cJSON_Delete(rule);
        snprintf(err, err_len,
                 "--fault takes a JSON object as POST /__cdrsim/faults does, e.g. "
                 "'{\"vendor\":\"itnio\",\"path\":\"/v3/cc/*\",\"kind\":\"reset\"}'");
        return false;
    }
    cJSON *list = fault_list(cfg);
    if (!list || !cJSON_AddItemToArray(list, rule)) {
        cJSON_Delete(rule);
        snprintf(err, err_len, "out of memory");
        return false;
    }
    return true;
}

void mock_config_fault_origin(const struct mock_config *cfg, size_t index, char *out,
                              size_t out_len)
{
    if (index < cfg->file_fault_count)
        snprintf(out, out_len, "--config faults[%zu]", index);
    else
        snprintf(out, out_len, "--fault #%zu", index - cfg->file_fault_count + 1);
}

/* The file's "faults": an array of rule objects, placed before the flags' rules. Detached from
 * root, so the settings hold vendors only. */
static bool take_file_faults(struct mock_config *cfg, cJSON *root, const char *path, char *err,
                             size_t err_len)
{
    cJSON *faults = cJSON_DetachItemFromObjectCaseSensitive(root, "faults");
    if (!faults)
        return true;
    size_t n = 0;
    const cJSON *rule;
    cJSON_ArrayForEach(rule, (cJSON_IsArray(faults) ? faults : NULL)) {
        if (!cJSON_IsObject(rule)) {
            snprintf(err, err_len, "%s: faults[%zu] must be an object", path, n);
            cJSON_Delete(faults);
            return false;
        }
        n++;
    }
    if (!cJSON_IsArray(faults)) {
        snprintf(err, err_len, "%s: \"faults\" must be an array of fault rules", path);
        cJSON_Delete(faults);
        return false;
    }
    cJSON_Delete(cfg->faults); /* the file is read before any --fault flag is added */
    cfg->faults = faults;
    cfg->file_fault_count = n;
    return true;
}

bool mock_config_add_generate(struct mock_config *cfg, const char *spec)
{
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec)
        return false;
    errno = 0;
    char *end;
    long long n = strtoll(eq + 1, &end, 10);
    if (errno || *end || end == eq + 1 || n < 0 || n > 50000000)
        return false;
    struct mock_generate *grown =
        realloc(cfg->generate, (cfg->generate_count + 1) * sizeof(*grown));
    if (!grown)
        return false;
    cfg->generate = grown;
    grown[cfg->generate_count].vendor = strndup(spec, (size_t)(eq - spec));
    if (!grown[cfg->generate_count].vendor)
        return false;
    grown[cfg->generate_count++].count = n;
    return true;
}

bool mock_config_load_file(struct mock_config *cfg, const char *path, char *err, size_t err_len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_len, "cannot open %s: %s", path, strerror(errno));
        return false;
    }
    char *text = NULL;
    size_t len = 0, cap = 0;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            char *grown = realloc(text, cap);
            if (!grown) {
                free(text);
                fclose(f);
                snprintf(err, err_len, "out of memory reading %s", path);
                return false;
            }
            text = grown;
        }
        memcpy(text + len, chunk, n);
        len += n;
    }
    fclose(f);
    cJSON *root = text ? cJSON_ParseWithLength(text, len) : NULL;
    free(text);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        snprintf(err, err_len, "%s is not a JSON object", path);
        return false;
    }
    if (!take_file_faults(cfg, root, path, err, err_len)) {
        cJSON_Delete(root);
        return false;
    }
    const cJSON *vendor;
    cJSON_ArrayForEach(vendor, root) {
        if (!cJSON_IsObject(vendor)) {
            snprintf(err, err_len, "%s: \"%s\" must be an object", path, vendor->string);
            cJSON_Delete(root);
            return false;
        }
        const cJSON *variants = cJSON_GetObjectItemCaseSensitive(vendor, "variants");
        const cJSON *v;
        cJSON_ArrayForEach(v, (cJSON_IsObject(variants) ? variants : NULL)) {
            char number[32];
            const char *value = cJSON_IsString(v) ? v->valuestring : NULL;
            if (cJSON_IsNumber(v)) {
                /* %g would turn 1000000 into "1e+06", which no integer variant accepts. */
                snprintf(number, sizeof(number), "%.15g", v->valuedouble);
                value = number;
            }
            if (!value || !set_variant(cfg, vendor->string, strlen(vendor->string), v->string,
                                       strlen(v->string), value)) {
                snprintf(err, err_len, "%s: variant %s.%s must be a string or number", path,
                         vendor->string, v->string);
                cJSON_Delete(root);
                return false;
            }
        }
    }
    cJSON_Delete(cfg->settings);
    cfg->settings = root;
    return true;
}

bool mock_parse_unsigned(const char *text, unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end || !*text || *text == '-' || *text == '+' || *text == ' ' || v > max)
        return false;
    *out = v;
    return true;
}

const char *mock_config_variant(const struct mock_config *cfg, const char *vendor, const char *name)
{
    for (size_t i = 0; i < cfg->variant_count; i++)
        if (strcmp(cfg->variants[i].vendor, vendor) == 0 &&
            strcmp(cfg->variants[i].name, name) == 0)
            return cfg->variants[i].value;
    return NULL;
}

int64_t mock_config_generate_count(const struct mock_config *cfg, const char *vendor)
{
    int64_t n = -1;
    for (size_t i = 0; i < cfg->generate_count; i++)
        if (strcmp(cfg->generate[i].vendor, vendor) == 0)
            n = cfg->generate[i].count;
    return n;
}

const cJSON *mock_config_vendor_settings(const struct mock_config *cfg, const char *vendor)
{
    return cfg->settings ? cJSON_GetObjectItemCaseSensitive(cfg->settings, vendor) : NULL;
}
