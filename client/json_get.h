/* Tolerant readers for vendor JSON: vendors contradict their own type tables (a number sent as a
 * string and the other way round), so the client accepts every plausible form of a field. */
#ifndef CDRSIM_CLIENT_JSON_GET_H
#define CDRSIM_CLIENT_JSON_GET_H

#include <cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "cdrsim/error.h"
#include "cdrsim/record.h"
#include "private.h"

/* Parses exactly text[0..len): cJSON_ParseWithLength stops after the first value and ignores
 * whatever follows, which would let a corrupted or concatenated body pass as valid. Trailing
 * whitespace is allowed. NULL when anything else follows or the text is not JSON. */
CDR_INTERNAL cJSON *cdr__json_parse_exact(const char *text, size_t len);

/* Parses one record's JSON text and maps it with a vendor's normalizer: the shape every
 * cdr_<vendor>_normalize_json shares. NULL or unparseable text is CDR_ERR_MALFORMED_RESPONSE
 * ("<what> is not JSON") with out initialised. */
typedef cdr_error (*cdr__json_normalizer_fn)(const cJSON *obj, struct cdr_record *out,
                                             struct cdr_error_info *err);
CDR_INTERNAL cdr_error cdr__json_normalize_text(const char *text, size_t len,
                                                cdr__json_normalizer_fn normalize, const char *what,
                                                struct cdr_record *out, struct cdr_error_info *err);

/* obj as compact JSON without its member skip (NULL: every member), for keeping a page's paging
 * object as the vendor sent it, records left out. Caller frees; NULL when out of memory. */
CDR_INTERNAL char *cdr__json_print_without(const cJSON *obj, const char *skip);

/* A copy of a base URL without its trailing slashes (caller frees; NULL when out of memory). */
CDR_INTERNAL char *cdr__json_base_url(const char *url);

/* A JSON number with an integral value, or a string holding a decimal integer. */
CDR_INTERNAL bool cdr__json_get_int(const cJSON *obj, const char *key, int64_t *out);
CDR_INTERNAL bool cdr__json_as_int(const cJSON *item, int64_t *out);

/* A copy of a string member; a number member is rendered as its decimal text. NULL when absent,
 * null or another type (so *ok stays true), or when out of memory (*ok set false). */
CDR_INTERNAL char *cdr__json_dup_text(const cJSON *obj, const char *key, bool *ok);

/* A local wall-clock or ISO 8601 time member as Unix seconds; CDR_TIME_NONE when absent, null or
 * empty. Returns false only when the member is present but not a parseable time. */
CDR_INTERNAL bool cdr__json_get_time(const cJSON *obj, const char *key, int offset_seconds,
                                     int64_t *out);

#endif
