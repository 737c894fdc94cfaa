#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Room for a regular file's bytes, its NUL and one spare byte, so that the read which finds the
 * end has somewhere to go: one allocation, never regrown and copied. Other files (pipes, devices)
 * start at 128 KiB and double. */
static size_t initial_capacity(int fd)
{
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 &&
        (uint64_t)st.st_size < SIZE_MAX / 2)
        return (size_t)st.st_size + 2;
    return 65536 * 2;
}

/* The buffer's pages faulted in with one call rather than one fault per page as read() fills
 * them; a kernel without MADV_POPULATE_WRITE leaves that to the faults. */
static void populate(char *data, size_t len)
{
#ifdef MADV_POPULATE_WRITE
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = ((uintptr_t)data + page - 1) & ~(page - 1);
    uintptr_t to = ((uintptr_t)data + len) & ~(page - 1);
    if (to > from)
        madvise((void *)from, to - from, MADV_POPULATE_WRITE);
#else
    (void)data;
    (void)len;
#endif
}

char *mock_read_file(const char *path, size_t *len, char *err, size_t err_len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, err_len, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = initial_capacity(fd), used = 0;
    char *data = malloc(cap);
    bool failed = false;
    if (data)
        populate(data, cap);
    while (data && !failed) {
        if (cap - used < 2) {
            char *grown = cap <= SIZE_MAX / 2 ? realloc(data, cap * 2) : NULL;
            if (!grown) {
                free(data);
                data = NULL;
                break;
            }
            data = grown;
            cap *= 2;
        }
        ssize_t n = read(fd, data + used, cap - used - 1);
        if (n > 0)
            used += (size_t)n;
        else if (n == 0)
            break;
        else
            failed = errno != EINTR;
    }
    close(fd);
    if (!data) {
        snprintf(err, err_len, "out of memory reading %s", path);
        return NULL;
    }
    if (failed) {
        free(data);
        snprintf(err, err_len, "cannot read %s", path);
        return NULL;
    }
    data[used] = '\0';
    if (len)
        *len = used;
    return data;
}

bool mock_map_file(const char *path, struct mock_file_text *out, char *err, size_t err_len)
{
    *out = (struct mock_file_text){0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, err_len, "cannot open %s: %s", path, strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (uint64_t)st.st_size < SIZE_MAX / 2) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        if (m != MAP_FAILED) {
            close(fd);
            *out = (struct mock_file_text){m, (size_t)st.st_size, m, (size_t)st.st_size};
            return true;
        }
    }
    close(fd);
    size_t len;
    char *text = mock_read_file(path, &len, err, err_len);
    if (text)
        *out = (struct mock_file_text){text, len, NULL, 0};
    return text != NULL;
}

void mock_unmap_file(struct mock_file_text *file)
{
    if (file->mapping)
        munmap(file->mapping, file->mapping_len);
    else
        free((void *)file->text);
    *file = (struct mock_file_text){0};
}

cJSON *mock_load_json(const char *dir, const char *name, char *err, size_t err_len)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path)) {
        snprintf(err, err_len, "path too long: %s/%s", dir, name);
        return NULL;
    }
    struct mock_file_text file;
    if (!mock_map_file(path, &file, err, err_len))
        return NULL;
    const char *text = file.text;
    size_t len = file.len;
    /* The error position through the call itself: cJSON_GetErrorPtr reads one process-wide
     * variable that every other thread's parse (request bodies, a concurrent reset) overwrites. */
    const char *at = NULL;
    cJSON *json = cJSON_ParseWithLengthOpts(text, len, &at, false);
    if (!json) {
        snprintf(err, err_len, "%s: invalid JSON near byte %ld", path,
                 at && at >= text && at <= text + len ? (long)(at - text) : -1L);
    }
    mock_unmap_file(&file);
    return json;
}

bool mock_load_json_array(const char *dir, const char *name,
                          bool (*each)(void *user, const cJSON *item, char *err, size_t err_len),
                          void *user, char *err, size_t err_len)
{
    cJSON *list = mock_load_json(dir, name, err, err_len);
    if (list && !cJSON_IsArray(list))
        snprintf(err, err_len, "%s must be an array", name);
    bool ok = cJSON_IsArray(list);
    const cJSON *item;
    cJSON_ArrayForEach(item, (ok ? list : NULL)) {
        if (!(ok = each(user, item, err, err_len)))
            break;
    }
    cJSON_Delete(list);
    return ok;
}
