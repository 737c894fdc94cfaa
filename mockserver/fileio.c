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

/* Reads fd into buf[*used, room) until that is full or the file ends (*at_end); false on a read
 * error. */
static bool read_up_to(int fd, char *buf, size_t room, size_t *used, bool *at_end)
{
    *at_end = false;
    while (*used < room) {
        ssize_t n = read(fd, buf + *used, room - *used);
        if (n > 0)
            *used += (size_t)n;
        else if (n == 0)
            return *at_end = true;
        else if (errno != EINTR)
            return false;
    }
    return true;
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
    bool failed = false, at_end = false;
    if (data)
        populate(data, cap);
    while (data && !failed && !at_end) {
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
        failed = !read_up_to(fd, data, cap - 1, &used, &at_end);
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

enum { HUGE_PAGE = 2 << 20, HUGE_FROM = 64 << 10 };

/* size bytes of fresh memory, 2 MiB-aligned and advised into huge pages; NULL when it cannot be
 * mapped. *mapping_len: what to unmap. */
static char *huge_buffer(size_t size, size_t *mapping_len)
{
    size_t len = (size + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    char *m =
        mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    char *start = m + ((HUGE_PAGE - (uintptr_t)m % HUGE_PAGE) % HUGE_PAGE);
    if (start > m)
        munmap(m, (size_t)(start - m));
    if (m + len + HUGE_PAGE > start + len)
        munmap(start + len, (size_t)(m + len + HUGE_PAGE - (start + len)));
#ifdef MADV_HUGEPAGE
    madvise(start, len, MADV_HUGEPAGE);
#endif
    *mapping_len = len;
    return start;
}

bool mock_file_load(const char *path, struct mock_file_text *out, char *err, size_t err_len)
{
    *out = (struct mock_file_text){0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, err_len, "cannot open %s: %s", path, strerror(errno));
        return false;
    }
    struct stat st;
    size_t size = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= HUGE_FROM &&
                          (uint64_t)st.st_size < SIZE_MAX / 4
                      ? (size_t)st.st_size
                      : 0;
    size_t mapping_len = 0;
    char *buf = size ? huge_buffer(size + 1, &mapping_len) : NULL;
    if (!buf) { /* small, not a regular file, or no mapping: read as any file */
        close(fd);
        size_t len;
        char *text = mock_read_file(path, &len, err, err_len);
        if (text)
            *out = (struct mock_file_text){text, len, NULL, 0};
        return text != NULL;
    }
    /* Up to the size found (a file that grows meanwhile is read as it was), or its end. */
    size_t used = 0;
    bool at_end;
    bool failed = !read_up_to(fd, buf, size, &used, &at_end);
    close(fd);
    if (failed) {
        munmap(buf, mapping_len);
        snprintf(err, err_len, "cannot read %s", path);
        return false;
    }
    buf[used] = '\0';
    *out = (struct mock_file_text){buf, used, buf, mapping_len};
    return true;
}

void mock_file_release(struct mock_file_text *file)
{
    if (file->mapping)
        munmap(file->mapping, file->mapping_len);
    else
        free(file->text);
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
    if (!mock_file_load(path, &file, err, err_len))
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
    mock_file_release(&file);
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
