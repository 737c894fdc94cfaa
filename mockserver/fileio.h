#ifndef MOCK_FILEIO_H
#define MOCK_FILEIO_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* The whole file, NUL-terminated (caller frees); NULL with err filled. */
char *mock_read_file(const char *path, size_t *len, char *err, size_t err_len);
/* A file's bytes for reading only, with no NUL after them. A regular file is mapped: its bytes
 * are then the page cache's own pages rather than a copy written into fresh memory, which is the
 * dearer part of reading start-up's data on a virtual machine. Anything else is read. */
struct mock_file_text {
    const char *text;
    size_t len;
    void *mapping; /* what to unmap (mapping_len bytes); NULL when text was read and is freed */
    size_t mapping_len;
};
/* false with err filled when the file cannot be opened or read. */
bool mock_map_file(const char *path, struct mock_file_text *out, char *err, size_t err_len);
void mock_unmap_file(struct mock_file_text *file);

/* dir + "/" + name parsed as JSON (caller cJSON_Deletes); NULL with err filled. */
cJSON *mock_load_json(const char *dir, const char *name, char *err, size_t err_len);

/* Loads dir/name, which must hold a JSON array, and hands each element to each() in order
 * (elements stay owned by the loader). false with err filled when the file cannot be read or
 * parsed, is not an array, or each() fails (it fills err itself). */
bool mock_load_json_array(const char *dir, const char *name,
                          bool (*each)(void *user, const cJSON *item, char *err, size_t err_len),
                          void *user, char *err, size_t err_len);

#endif
