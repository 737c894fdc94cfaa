/* Paths relative to the running program (see install_paths.h). */
#include "install_paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool install_program_dir(char *out, size_t out_len)
{
    if (out_len < 2)
        return false;
    ssize_t n = readlink("/proc/self/exe", out, out_len - 1);
    if (n <= 0 || (size_t)n >= out_len - 1)
        return false;
    out[n] = '\0';
    char *slash = strrchr(out, '/');
    if (!slash)
        return false;
    slash[slash == out ? 1 : 0] = '\0';
    return true;
}

/* "dir/a/b" (or "dir/a" when b is empty) in a new string; NULL when out of memory. */
static char *joined(const char *dir, const char *a, const char *b)
{
    size_t len = strlen(dir) + strlen(a) + strlen(b) + 3;
    char *path = malloc(len);
    if (path)
        snprintf(path, len, "%s/%s%s%s", dir, a, *b ? "/" : "", b);
    return path;
}

char *install_data_path(const char *data_rel, const char *sub, const char *fallback)
{
    char dir[4096];
    if (install_program_dir(dir, sizeof(dir))) {
        char *path = joined(dir, data_rel, sub);
        struct stat st;
        if (path && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            return path;
        free(path);
    }
    return strdup(fallback);
}

char *install_sibling_program(const char *name, const char *fallback)
{
    char dir[4096];
    if (install_program_dir(dir, sizeof(dir))) {
        char *path = joined(dir, name, "");
        if (path && access(path, X_OK) == 0)
            return path;
        free(path);
    }
    return strdup(fallback);
}
