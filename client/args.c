/* struct cdr_args: text values by name, in the order given. */
#include <stdlib.h>
#include <string.h>

#include "cdrsim/vendor.h"

struct entry {
    char *name;
    char *value;
};

struct cdr_args {
    struct entry *entries;
    size_t count;
};

struct cdr_args *cdr_args_new(void)
{
    return calloc(1, sizeof(struct cdr_args));
}

void cdr_args_free(struct cdr_args *args)
{
    if (!args)
        return;
    for (size_t i = 0; i < args->count; i++) {
        free(args->entries[i].name);
        free(args->entries[i].value);
    }
    free(args->entries);
    free(args);
}

cdr_error cdr_args_add(struct cdr_args *args, const char *name, const char *value)
{
    if (!args || !name)
        return CDR_ERR_INVALID_ARGUMENT;
    struct entry *grown = realloc(args->entries, (args->count + 1) * sizeof(*grown));
    if (!grown)
        return CDR_ERR_NO_MEMORY;
    args->entries = grown;
    char *n = strdup(name), *v = strdup(value ? value : "");
    if (!n || !v) {
        free(n);
        free(v);
        return CDR_ERR_NO_MEMORY;
    }
    grown[args->count++] = (struct entry){n, v};
    return CDR_OK;
}

cdr_error cdr_args_set(struct cdr_args *args, const char *name, const char *value)
{
    if (!args || !name)
        return CDR_ERR_INVALID_ARGUMENT;
    size_t kept = 0;
    for (size_t i = 0; i < args->count; i++) {
        if (strcmp(args->entries[i].name, name) == 0) {
            free(args->entries[i].name);
            free(args->entries[i].value);
        } else {
            args->entries[kept++] = args->entries[i];
        }
    }
    args->count = kept;
    return value ? cdr_args_add(args, name, value) : CDR_OK;
}

const char *cdr_args_value(const struct cdr_args *args, const char *name, size_t i)
{
    for (size_t k = 0; args && k < args->count; k++)
        if (strcmp(args->entries[k].name, name) == 0 && i-- == 0)
            return args->entries[k].value;
    return NULL;
}

size_t cdr_args_count(const struct cdr_args *args, const char *name)
{
    size_t n = 0;
    for (size_t k = 0; args && k < args->count; k++)
        n += strcmp(args->entries[k].name, name) == 0;
    return n;
}

const char *cdr_args_get(const struct cdr_args *args, const char *name)
{
    size_t n = cdr_args_count(args, name);
    return n ? cdr_args_value(args, name, n - 1) : NULL;
}

bool cdr_args_entry(const struct cdr_args *args, size_t i, const char **name, const char **value)
{
    if (!args || i >= args->count)
        return false;
    *name = args->entries[i].name;
    *value = args->entries[i].value;
    return true;
}
