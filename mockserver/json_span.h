/* Fixtures read without a tree: a JSON array whose elements are each written exactly as
 * cJSON_PrintUnformatted writes them (the form the shipped fixtures and --dump-records have) is
 * checked in one pass, and each element's own bytes can then be kept as its rendering, with the
 * few members a vendor indexes read straight from them. Anything else (whitespace inside an
 * element, escapes, fractions...) is refused, and the caller takes the slow, exact path:
 * parse with cJSON and print. */
#ifndef MOCK_JSON_SPAN_H
#define MOCK_JSON_SPAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jsonval.h"

/* A JSON value's text inside a larger text. */
struct mock_json_span {
    const char *at;
    size_t len;
};

/* Whether text[0, len) is one JSON array (space, tab, CR or LF around its elements) whose every
 * element is compact as cJSON prints it: no whitespace, strings without escapes or control
 * characters, numbers that are integers of at most 15 digits (no fraction, exponent or -0),
 * nested at most 64 deep. Then *elements (caller frees; NULL for none) holds each element's span
 * and *count their number. false when not (or out of memory). */
bool mock_json_compact_array(const char *text, size_t len, struct mock_json_span **elements,
                             size_t *count);
/* The value of the first member named key of an object span from an element above (or nested in
 * one); false when there is none or the span is no object. */
bool mock_json_member(struct mock_json_span object, const char *key, struct mock_json_span *value);
/* The first members named keys[0..n) in one pass: values[k] is member keys[k]'s value, or {NULL,
 * 0} when there is none. Returns how many were found. */
size_t mock_json_members(struct mock_json_span object, const char *const *keys, size_t n,
                         struct mock_json_span *values);
/* A value span read as mock_jv_int reads a cJSON item: ABSENT for null, OK for an integer. */
enum mock_jv_result mock_json_span_int(struct mock_json_span value, int64_t *out);
/* A string value's characters (between the quotes: no escapes to undo), as mock_jv_string. */
enum mock_jv_result mock_json_span_string(struct mock_json_span value, struct mock_json_span *text);

#endif
