/* The JSON Schema type name of a parsed JSON value, the one name both schema readers (the mock's
 * admin check and the conformance runner's drift check) compare a schema's "type" against. Not
 * public: it names cJSON, which libcdrsim's API does not expose, and it is hidden in the shared
 * library like every cdr__ internal. */
#ifndef CDRSIM_PRIM_JSON_TYPE_H
#define CDRSIM_PRIM_JSON_TYPE_H

#include <cJSON.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "null", "boolean", "string", "array", "object", "integer" (a finite number with no fractional
 * part, of any magnitude: past 2^53 every double is whole), "number" (any other number, infinities
 * included), or "invalid" for a node that is none of these (NULL, cJSON_Raw). */
__attribute__((visibility("hidden"))) const char *cdr__json_type(const cJSON *v);

/* A double as a whole int64_t, cut toward zero and held inside the range (NaN is 0). A plain cast
 * of a double outside the range is undefined behaviour, and a request, a stored record or a suite
 * may well hold 1e30. */
__attribute__((visibility("hidden"))) int64_t cdr__int64_of_double(double d);
/* A number node as cdr__int64_of_double makes it; fallback when v is not a number. */
__attribute__((visibility("hidden"))) int64_t cdr__json_int64(const cJSON *v, int64_t fallback);

#ifdef __cplusplus
}
#endif

#endif
