#ifndef MOCK_FILEIO_H
#define MOCK_FILEIO_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* The whole file, NUL-terminated (caller frees); NULL with err filled. */
char *mock_read_file(const char *path, size_t *len, char *err, size_t err_len);
/* dir + "/" + name parsed as JSON (caller cJSON_Deletes); NULL with err filled. */
cJSON *mock_load_json(const char *dir, const char *name, char *err, size_t err_len);

/* Loads dir/name, which must hold a JSON array, and hands each element to each() in order
 * (elements stay owned by the loader). false with err filled when the file cannot be read or
 * parsed, is not an array, or each() fails (it fills err itself). */
bool mock_load_json_array(const char *dir, const char *name,
                          bool (*each)(void *user, const cJSON *item, char *err, size_t err_len),
                          void *user, char *err, size_t err_len);

#endif
