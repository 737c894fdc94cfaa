/* Private to libcdrsim. Its functions and data that other files of the library call but users
 * must not are named cdr__* (two underscores, as libgit2's git__) and declared CDR_INTERNAL:
 * hidden, so a shared libcdrsim exports none of them, and a static one shows in nm only names
 * under cdr_ (tests/support/check_symbols.cmake checks both). */
#ifndef CDRSIM_CLIENT_PRIVATE_H
#define CDRSIM_CLIENT_PRIVATE_H

#define CDR_INTERNAL __attribute__((visibility("hidden")))

#include <stddef.h>

struct cdr_record;

/* Frees count records and the array holding them (NULL is fine). */
CDR_INTERNAL void cdr__records_free(struct cdr_record *records, size_t count);

/* cdr_record_add_recording_url taking url (malloc'd) instead of copying it: owned by rec on 0,
 * still the caller's on -1 (out of memory). */
CDR_INTERNAL int cdr__record_take_recording_url(struct cdr_record *rec, char *url);

/* A file name suffix for a recording (".wav"): the one url's last path segment ends with, else one
 * for the Content-Type the server sent ("" is fine); out is always terminated. */
CDR_INTERNAL void cdr__recording_extension(const char *url, const char *type, char out[16]);

#endif
