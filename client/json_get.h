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
 * whitespace is allowed. NULL when anything else follows or the text is not JSON. The tree is
 * cJSON's own, nothing added. */
CDR_INTERNAL cJSON *cdr__json_parse_cjson(const char *text, size_t len);

/* ---- exact values (json_exact.c) ------------------------------------------------------------ */

/* An answer parsed as cdr__json_parse_cjson does, then made exact: every string checked as
 * UTF-8, a string holding "\u0000" kept whole (cdr__json_string_len), every number's source
 * text kept (cdr__json_number_text). NULL with err set when it is not JSON ("<what> is not
 * JSON") or a string is not UTF-8 ("data.records[0].seatName is not valid UTF-8 (byte 0xff at
 * offset 312)"): invalid UTF-8 is refused, never copied through or replaced. */
CDR_INTERNAL cJSON *cdr__json_parse_answer(const char *text, size_t len, const char *what,
                                           struct cdr_error_info *err);
/* cdr__json_parse_answer without the reason. */
CDR_INTERNAL cJSON *cdr__json_parse_exact(const char *text, size_t len);
/* A string item's length in bytes, NULs included (0 for anything else). */
CDR_INTERNAL size_t cdr__json_string_len(const cJSON *item);
/* A deep copy of item that keeps what cdr__json_parse_answer added: a string's bytes past a NUL
 * and its length, a number's source text. cJSON_Duplicate copies a string up to its first NUL
 * but keeps the length, so the copy would claim bytes it does not have. NULL when out of
 * memory. */
CDR_INTERNAL cJSON *cdr__json_duplicate(const cJSON *item);
/* A number item's text as the answer wrote it, or NULL (not a number, or not from an answer). */
CDR_INTERNAL const char *cdr__json_number_text(const cJSON *item);
/* item as compact JSON with every string and number exactly as parsed: for a record's raw JSON.
 * Caller frees; NULL when out of memory. */
CDR_INTERNAL char *cdr__json_print(const cJSON *item);

/* Parses one record's JSON text and maps it with a vendor's normalizer: the shape every
 * cdr_<vendor>_normalize_json shares. NULL or unparseable text is CDR_ERR_MALFORMED_RESPONSE
 * ("<what> is not JSON") with out initialised. */
typedef cdr_error (*cdr__json_normalizer_fn)(const cJSON *obj, struct cdr_record *out,
                                             struct cdr_error_info *err);
CDR_INTERNAL cdr_error cdr__json_normalize_text(const char *text, size_t len,
                                                cdr__json_normalizer_fn normalize, const char *what,
                                                struct cdr_record *out, struct cdr_error_info *err);

/* obj as compact JSON without its member skip (NULL: every member), exact as cdr__json_print,
 * for keeping a page's paging object as the vendor sent it, records left out. Caller frees; NULL
 * when out of memory. */
CDR_INTERNAL char *cdr__json_print_without(const cJSON *obj, const char *skip);

/* A copy of a base URL without its trailing slashes (caller frees; NULL when out of memory). */
CDR_INTERNAL char *cdr__json_base_url(const char *url);

/* A JSON number with an integral value (read from its text when it has one: exact up to
 * INT64_MAX), or a string holding a decimal integer and nothing else. */
CDR_INTERNAL bool cdr__json_get_int(const cJSON *obj, const char *key, int64_t *out);
CDR_INTERNAL bool cdr__json_as_int(const cJSON *item, int64_t *out);

/* A copy of a string member, every byte of it; a number member as its text (an integer's digits
 * exactly as sent, however many). NULL when absent, null or another type (so *ok stays true), or
 * when out of memory (*ok set false). *len (when not NULL) gets the copy's length in bytes, which
 * a string holding a NUL needs. */
CDR_INTERNAL char *cdr__json_text(const cJSON *obj, const char *key, size_t *len, bool *ok);
CDR_INTERNAL char *cdr__json_dup_text(const cJSON *obj, const char *key, bool *ok);

/* A local wall-clock or ISO 8601 time member as Unix seconds; CDR_TIME_NONE when absent, null or
 * empty. Returns false only when the member is present but not a parseable time. */
CDR_INTERNAL bool cdr__json_get_time(const cJSON *obj, const char *key, int offset_seconds,
                                     int64_t *out);

#endif
