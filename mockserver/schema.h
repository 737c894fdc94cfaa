/* A record added at run time checked against the vendor's documented shape: a definition of the
 * fixtures' schema.json, in the part of JSON Schema those files use (type, properties, required,
 * additionalProperties, items, enum, anyOf, $ref to #/definitions/...) plus OpenAPI 3.0's
 * "nullable". The conformance runner has its own reader of the same files for drift; this one
 * answers the admin API's 400s. */
#ifndef MOCK_SCHEMA_H
#define MOCK_SCHEMA_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* Checks value against root's definitions/<definition>. A member the shape requires but the value
 * leaves out is added as null when the shape allows null, so a test can seed a record with the
 * fields it cares about and the answers keep the vendor's shape; members the shape does not list
 * are refused (a misspelt name would otherwise pass unnoticed). false with err naming the place:
 * "<path>.callType: expected integer, got string". */
bool mock_schema_check(const cJSON *root, const char *definition, cJSON *value, const char *path,
                       char *err, size_t err_len);

#endif
