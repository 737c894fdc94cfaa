#ifndef MOCK_FILEIO_H
#define MOCK_FILEIO_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* The whole file, NUL-terminated (caller frees); NULL with err filled. */
char *mock_read_file(const char *path, size_t *len, char *err, size_t err_len);
/* A file's bytes in memory of the process's own (never a mapping of the file: a data file
 * rewritten while the mock runs must not change, or cut short, what it already loaded), with a
 * NUL after them. A large file's buffer is backed by huge pages where the kernel allows: on a
 * virtual machine first touching fresh memory costs the most of reading a dataset, and one
 * huge page costs about as much as one 4 KiB page. */
struct mock_file_text {
    char *text;
    size_t len;
    void *mapping; /* the huge-page buffer (mapping_len bytes); NULL when text is malloc'd */
    size_t mapping_len;
};
/* false with err filled when the file cannot be opened or read. */
bool mock_file_load(const char *path, struct mock_file_text *out, char *err, size_t err_len);
void mock_file_release(struct mock_file_text *file);

/* dir + "/" + name parsed as JSON (caller cJSON_Deletes); NULL with err filled. */
cJSON *mock_load_json(const char *dir, const char *name, char *err, size_t err_len);

/* Loads dir/name, which must hold a JSON array, and hands each element to each() in order
 * (elements stay owned by the loader). false with err filled when the file cannot be read or
 * parsed, is not an array, or each() fails (it fills err itself). */
bool mock_load_json_array(const char *dir, const char *name,
                          bool (*each)(void *user, const cJSON *item, char *err, size_t err_len),
                          void *user, char *err, size_t err_len);

#endif
