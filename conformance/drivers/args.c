#include "args.h"

#include <stdlib.h>

static void *keep(struct conform_lists *owner, void *block)
{
    void **grown = block ? realloc(owner->blocks, (owner->count + 1) * sizeof(*grown)) : NULL;
    if (!grown) {
        free(block);
        return NULL;
    }
    owner->blocks = grown;
    grown[owner->count++] = block;
    return block;
}

void conform_lists_free(struct conform_lists *owner)
{
    for (size_t i = 0; i < owner->count; i++)
        free(owner->blocks[i]);
    free(owner->blocks);
    owner->blocks = NULL;
    owner->count = 0;
}

int64_t conform_arg_int(const cJSON *args, const char *key, int64_t fallback)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(args, key);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : fallback;
}

const char *conform_arg_str(const cJSON *args, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(args, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The list at key as an array of items (a scalar counts as a list of one). */
static size_t items(const cJSON *args, const char *key, const cJSON **first, bool *scalar)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(args, key);
    *scalar = v && !cJSON_IsArray(v);
    *first = *scalar ? v : v ? v->child : NULL;
    return *scalar ? 1 : (size_t)cJSON_GetArraySize(v);
}

int *conform_arg_ints(struct conform_lists *owner, const cJSON *args, const char *key,
                      size_t *count)
{
    const cJSON *e;
    bool scalar;
    size_t n = items(args, key, &e, &scalar);
    *count = 0;
    int *out = n ? keep(owner, calloc(n, sizeof(*out))) : NULL;
    for (; out && e && *count < n; e = scalar ? NULL : e->next)
        if (cJSON_IsNumber(e))
            out[(*count)++] = (int)e->valuedouble;
    return out;
}

int64_t *conform_arg_int64s(struct conform_lists *owner, const cJSON *args, const char *key,
                            size_t *count)
{
    const cJSON *e;
    bool scalar;
    size_t n = items(args, key, &e, &scalar);
    *count = 0;
    int64_t *out = n ? keep(owner, calloc(n, sizeof(*out))) : NULL;
    for (; out && e && *count < n; e = scalar ? NULL : e->next)
        if (cJSON_IsNumber(e))
            out[(*count)++] = (int64_t)e->valuedouble;
    return out;
}

const char **conform_arg_strs(struct conform_lists *owner, const cJSON *args, const char *key,
                              size_t *count)
{
    const cJSON *e;
    bool scalar;
    size_t n = items(args, key, &e, &scalar);
    *count = 0;
    const char **out = n ? keep(owner, calloc(n, sizeof(*out))) : NULL;
    for (; out && e && *count < n; e = scalar ? NULL : e->next)
        if (cJSON_IsString(e))
            out[(*count)++] = e->valuestring;
    return out;
}
