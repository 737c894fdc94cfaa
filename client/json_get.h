/* Tolerant readers for vendor JSON: vendors contradict their own type tables (a number sent as a
 * string and the other way round), so the client accepts every plausible form of a field. */
#ifndef CDRSIM_CLIENT_JSON_GET_H
#define CDRSIM_CLIENT_JSON_GET_H

#include <cJSON.h>
#include <stdbool.h>
#include <stdint.h>

/* Parses exactly text[0..len): cJSON_ParseWithLength stops after the first value and ignores
 * whatever follows, which would let a corrupted or concatenated body pass as valid. Trailing
 * whitespace is allowed. NULL when anything else follows or the text is not JSON. */
cJSON *json_parse_exact(const char *text, size_t len);

/* A JSON number with an integral value, or a string holding a decimal integer. */
bool json_get_int(const cJSON *obj, const char *key, int64_t *out);
bool json_as_int(const cJSON *item, int64_t *out);

/* A copy of a string member; a number member is rendered as its decimal text. NULL when absent,
 * null or another type (so *ok stays true), or when out of memory (*ok set false). */
char *json_dup_text(const cJSON *obj, const char *key, bool *ok);

/* A local wall-clock or ISO 8601 time member as Unix seconds; CDR_TIME_NONE when absent, null or
 * empty. Returns false only when the member is present but not a parseable time. */
bool json_get_time(const cJSON *obj, const char *key, int offset_seconds, int64_t *out);

#endif
