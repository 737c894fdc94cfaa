/* Strict readers for JSON request bodies: the vendors behind the mock are Java/PHP services that
 * reject a string where an integer is declared, so the mock must too. JSON null counts as absent.
 */
#ifndef MOCK_JSONVAL_H
#define MOCK_JSONVAL_H

#include <cJSON.h>
#include <stddef.h>
#include <stdint.h>

enum mock_jv_result { MOCK_JV_ABSENT, MOCK_JV_OK, MOCK_JV_WRONG_TYPE };

enum mock_jv_result mock_jv_int(const cJSON *obj, const char *key, int64_t *out);
enum mock_jv_result mock_jv_string(const cJSON *obj, const char *key, const char **out);
/* An array of integers; *out is malloc'd (caller frees), NULL when empty. */
enum mock_jv_result mock_jv_int_list(const cJSON *obj, const char *key, int64_t **out,
                                     size_t *count);
/* An array of strings; *out is malloc'd (pointers borrowed from obj), NULL when empty. */
enum mock_jv_result mock_jv_string_list(const cJSON *obj, const char *key, const char ***out,
                                        size_t *count);

/* A copy of from's member key added to into as name, when from has it (null stays null): how a
 * vendor's push renames the members of its records. */
void mock_jv_copy(cJSON *into, const char *name, const cJSON *from, const char *key);

#endif
