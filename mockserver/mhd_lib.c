#include "mhd_lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#ifndef CDRSIM_MHD_SONAME
#define CDRSIM_MHD_SONAME "libmicrohttpd.so.12"
#endif

/* One table per process, filled once: what dlopen gives stays for the process's life. */
static struct mock_mhd_lib lib;
static bool lib_ok;
static char lib_err[256];
static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

/* dlsym hands back a data pointer; the copy through memcpy is how POSIX says to make it a
 * function pointer without a cast ISO C leaves undefined. */
static bool symbol(void *handle, const char *name, void *slot, size_t slot_size)
{
    void *p = dlsym(handle, name);
    if (!p) {
        snprintf(lib_err, sizeof(lib_err), "%s has no %s", CDRSIM_MHD_SONAME, name);
        return false;
    }
    memcpy(slot, &p, slot_size);
    return true;
}

#define SYMBOL(handle, field) symbol(handle, "MHD_" #field, &lib.field, sizeof(lib.field))

static void open_lib(void)
{
    void *handle = dlopen(CDRSIM_MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *why = dlerror();
        snprintf(lib_err, sizeof(lib_err), "cannot load %s: %s", CDRSIM_MHD_SONAME,
                 why ? why : "unknown error");
        return;
    }
    lib_ok = SYMBOL(handle, start_daemon) && SYMBOL(handle, stop_daemon) &&
             SYMBOL(handle, get_daemon_info) && SYMBOL(handle, get_connection_info) &&
             SYMBOL(handle, get_connection_values) && SYMBOL(handle, suspend_connection) &&
             SYMBOL(handle, resume_connection) &&
             SYMBOL(handle, create_response_from_buffer_with_free_callback) &&
             SYMBOL(handle, create_response_from_callback) && SYMBOL(handle, add_response_header) &&
             SYMBOL(handle, queue_response) && SYMBOL(handle, destroy_response);
}

static void *preload(void *arg)
{
    (void)arg;
    pthread_once(&lib_once, open_lib);
    return NULL;
}

void mock_mhd_preload(void)
{
    pthread_t thread;
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0)
        return;
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    /* Without a thread the library is opened by the first mock_mhd_lib() instead. */
    (void)pthread_create(&thread, &attr, preload, NULL);
    pthread_attr_destroy(&attr);
}

const struct mock_mhd_lib *mock_mhd_lib(char *err, size_t err_len)
{
    pthread_once(&lib_once, open_lib);
    if (!lib_ok)
        snprintf(err, err_len, "%s", lib_err);
    return lib_ok ? &lib : NULL;
}
