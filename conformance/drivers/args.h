/* Reading a step's query arguments into the C types a vendor client wants. */
#ifndef CONFORM_DRIVER_ARGS_H
#define CONFORM_DRIVER_ARGS_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Lists owned by a struct conform_args_lists, freed together. */
struct conform_lists {
    void **blocks;
    size_t count;
};

int64_t conform_arg_int(const cJSON *args, const char *key, int64_t fallback);
const char *conform_arg_str(const cJSON *args, const char *key);
/* An integer list ("call_type": [2, 3]) or a single integer; count 0 when absent. */
int *conform_arg_ints(struct conform_lists *owner, const cJSON *args, const char *key,
                      size_t *count);
int64_t *conform_arg_int64s(struct conform_lists *owner, const cJSON *args, const char *key,
                            size_t *count);
const char **conform_arg_strs(struct conform_lists *owner, const cJSON *args, const char *key,
                              size_t *count);
void conform_lists_free(struct conform_lists *owner);

#endif
