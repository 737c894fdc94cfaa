/* The JSON Schema type name of a parsed JSON value, the one name both schema readers (the mock's
 * admin check and the conformance runner's drift check) compare a schema's "type" against. Not
 * public: it names cJSON, which libcdrsim's API does not expose, and it is hidden in the shared
 * library like every cdr__ internal. */
#ifndef CDRSIM_PRIM_JSON_TYPE_H
#define CDRSIM_PRIM_JSON_TYPE_H

#include <cJSON.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "null", "boolean", "string", "array", "object", "integer" (a finite number with no fractional
 * part, of any magnitude: past 2^53 every double is whole), "number" (any other number, infinities
 * included), or "invalid" for a node that is none of these (NULL, cJSON_Raw). */
__attribute__((visibility("hidden"))) const char *cdr__json_type(const cJSON *v);

#ifdef __cplusplus
}
#endif

#endif
