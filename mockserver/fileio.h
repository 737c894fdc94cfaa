#ifndef MOCK_FILEIO_H
#define MOCK_FILEIO_H

#include <cJSON.h>
#include <stddef.h>

/* The whole file, NUL-terminated (caller frees); NULL with err filled. */
char *mock_read_file(const char *path, size_t *len, char *err, size_t err_len);
/* dir + "/" + name parsed as JSON (caller cJSON_Deletes); NULL with err filled. */
cJSON *mock_load_json(const char *dir, const char *name, char *err, size_t err_len);

#endif
