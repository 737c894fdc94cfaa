#include "fileio.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *mock_read_file(const char *path, size_t *len, char *err, size_t err_len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_len, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    char *data = NULL;
    size_t used = 0, cap = 0;
    for (;;) {
        if (cap - used < 65536) {
            cap = cap ? cap * 2 : 65536 * 2;
            char *grown = realloc(data, cap);
            if (!grown) {
                free(data);
                fclose(f);
                snprintf(err, err_len, "out of memory reading %s", path);
                return NULL;
            }
            data = grown;
        }
        size_t n = fread(data + used, 1, cap - used - 1, f);
        used += n;
        if (n == 0)
            break;
    }
    bool failed = ferror(f);
    fclose(f);
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

cJSON *mock_load_json(const char *dir, const char *name, char *err, size_t err_len)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path)) {
        snprintf(err, err_len, "path too long: %s/%s", dir, name);
        return NULL;
    }
    size_t len;
    char *text = mock_read_file(path, &len, err, err_len);
    if (!text)
        return NULL;
    /* The error position through the call itself: cJSON_GetErrorPtr reads one process-wide
     * variable that every other thread's parse (request bodies, a concurrent reset) overwrites. */
    const char *at = NULL;
    cJSON *json = cJSON_ParseWithLengthOpts(text, len, &at, false);
    if (!json) {
        snprintf(err, err_len, "%s: invalid JSON near byte %ld", path,
                 at && at >= text && at <= text + len ? (long)(at - text) : -1L);
    }
    free(text);
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
