/* libmicrohttpd opened at run time instead of linked. Linked, it and the TLS libraries it brings
 * (about a dozen, most of start-up's dynamic linking: symbol look-ups, relocations, constructors)
 * are loaded before main runs, while nothing else can happen; opened here, they load in a thread
 * of their own beside the datasets'. Only http_mhd.c calls through it. */
#ifndef MOCK_MHD_LIB_H
#define MOCK_MHD_LIB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <microhttpd.h>

/* The functions of libmicrohttpd the mock calls, typed by its own header's declarations. */
struct mock_mhd_lib {
    __typeof__(MHD_start_daemon) *start_daemon;
    __typeof__(MHD_stop_daemon) *stop_daemon;
    __typeof__(MHD_get_daemon_info) *get_daemon_info;
    __typeof__(MHD_get_connection_info) *get_connection_info;
    __typeof__(MHD_get_connection_values) *get_connection_values;
    __typeof__(MHD_suspend_connection) *suspend_connection;
    __typeof__(MHD_resume_connection) *resume_connection;
    __typeof__(MHD_create_response_from_buffer_with_free_callback)
        *create_response_from_buffer_with_free_callback;
    __typeof__(MHD_create_response_from_callback) *create_response_from_callback;
    __typeof__(MHD_add_response_header) *add_response_header;
    __typeof__(MHD_queue_response) *queue_response;
    __typeof__(MHD_destroy_response) *destroy_response;
};

/* Starts opening the library in the background (once per process; later calls do nothing). */
void mock_mhd_preload(void);
/* The library's functions, once it is open (waiting for a load under way, or opening it now);
 * NULL with err filled when it cannot be opened. The table lives as long as the process. */
const struct mock_mhd_lib *mock_mhd_lib(char *err, size_t err_len);

#endif
