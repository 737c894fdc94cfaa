/* JSON text that can be kept as it is: a strict scanner for values written exactly as
 * cJSON_PrintUnformatted writes them (no whitespace, numbers and escapes in cJSON's own form), so
 * a fixture already written that way is served from its own bytes instead of being parsed into a
 * tree and printed again. Anything written another way is left to cJSON. */
#ifndef MOCK_JSON_CANON_H
#define MOCK_JSON_CANON_H

#include <stdbool.h>
#include <stddef.h>

struct mock_json_text {
    const char *text;
    size_t len;
};

/* The length of the JSON value at the start of text[0, len) when it is written exactly as cJSON
 * would print it again; 0 when it is not JSON or is JSON written another way. */
size_t mock_json_canonical_len(const char *text, size_t len);

/* The elements of the JSON array text[0, len) (whitespace allowed around them, as in a file of one
 * record per line), when every element is canonical: *spans (caller frees) and *count. false when
 * the text is not such an array (or out of memory): the caller then parses it with cJSON. */
bool mock_json_canonical_elements(const char *text, size_t len, struct mock_json_text **spans,
                                  size_t *count);

/* A member of a canonical object: its key's raw text (between the quotes) and its value. */
struct mock_json_member {
    struct mock_json_text key, value;
};

/* The members of the canonical object obj, in order, one per call: *at starts NULL. false after
 * the last one. At a member named stop (when not NULL) the walk ends, its value's length not
 * measured (member->value.len 0: the caller needs only where it starts). */
bool mock_json_next_member(struct mock_json_text obj, const char **at, const char *stop,
                           struct mock_json_member *member);

#endif
