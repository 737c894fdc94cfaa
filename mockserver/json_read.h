/* The mock's one reader of JSON text without a tree: a cursor over a byte span that checks every
 * token (objects, arrays, strings and their escapes, numbers and their text) and notes whether the
 * text is exactly what cJSON_PrintUnformatted would write for it. A fixture already in that form
 * is served from its own bytes, its few indexed members read straight from them, instead of being
 * parsed into a tree and printed again; anything else is left to cJSON, whose messages then say
 * what is wrong. */
#ifndef MOCK_JSON_READ_H
#define MOCK_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jsonval.h"

/* A run of bytes inside a larger text (not NUL-terminated). */
struct mock_json_text {
    const char *text;
    size_t len;
};

/* Which of cJSON's printed forms a reader counts as canonical. Always: no whitespace, strings
 * without escapes, integers of at most 15 digits (not -0). A vendor that reads its members from
 * the text without undoing escapes or reading fractions keeps to that; one that copes adds: */
enum {
    MOCK_JSON_PLAIN = 0,
    MOCK_JSON_ESCAPES = 1,   /* strings with the escapes cJSON writes: \" \\ \b \f \n \r \t */
    MOCK_JSON_FRACTIONS = 2, /* decimal fractions cJSON prints back digit for digit */
    MOCK_JSON_PRINTED = MOCK_JSON_ESCAPES | MOCK_JSON_FRACTIONS, /* all cJSON writes */
};

enum { MOCK_JSON_MAX_DEPTH = 1000 }; /* cJSON's own nesting limit */

/* A cursor: tokens are read at p and p moves past them. */
struct mock_json_reader {
    const char *p, *end;
    unsigned form;  /* MOCK_JSON_* */
    bool canonical; /* cleared at the first byte cJSON would print otherwise */
};

static inline struct mock_json_reader mock_json_reader(const char *text, size_t len, unsigned form)
{
    return (struct mock_json_reader){text, text + len, form, true};
}

/* Past JSON whitespace (which no canonical text has). */
void mock_json_space(struct mock_json_reader *r);
/* The string at r->p (at its opening quote): its raw characters between the quotes in *chars and
 * whether it holds a backslash in *escaped (either may be NULL). false: no JSON string (not
 * closed, a control character, a bad escape). */
bool mock_json_string(struct mock_json_reader *r, struct mock_json_text *chars, bool *escaped);
/* The number at r->p. *integer: an integer cJSON prints back the same (at most 15 digits, not
 * -0, no fraction or exponent), its value in *value (when value is not NULL). false: no JSON
 * number. */
bool mock_json_number(struct mock_json_reader *r, bool *integer, int64_t *value);
/* Any value at r->p, checked and passed; depth: containers already open around it. */
bool mock_json_value(struct mock_json_reader *r, int depth);

/* The length of the JSON value at the start of text[0, len) when it is canonical in form; 0 when
 * it is not JSON or is written another way. */
size_t mock_json_canonical_len(const char *text, size_t len, unsigned form);

/* The elements of the JSON array text[0, len) (whitespace allowed around them, as in a file of one
 * record per line), when every element is canonical in form: *spans (caller frees; NULL for none)
 * and *count. false when the text is not such an array (or out of memory): the caller then
 * parses it with cJSON. */
bool mock_json_canonical_elements(const char *text, size_t len, unsigned form,
                                  struct mock_json_text **spans, size_t *count);

/* A member of a canonical object: its key's raw text (between the quotes) and its value. */
struct mock_json_member {
    struct mock_json_text key, value;
};

/* The members of the canonical object obj, in order, one per call: *at starts NULL. false after
 * the last one. At a member named stop (when not NULL) the walk ends, its value's length not
 * measured (member->value.len 0: the caller needs only where it starts). */
bool mock_json_next_member(struct mock_json_text obj, const char **at, const char *stop,
                           struct mock_json_member *member);
/* Whether the member's key is name (a compare per member of every record: inline). */
static inline bool mock_json_key_is(const struct mock_json_member *member, const char *name)
{
    size_t i = 0;
    while (i < member->key.len && name[i] && member->key.text[i] == name[i])
        i++;
    return i == member->key.len && name[i] == '\0';
}
/* The first members named keys[0..n) of a canonical object, in one pass: values[k] is member
 * keys[k]'s value, or {NULL, 0} when there is none (as cJSON finds the first of a name). Returns
 * how many were found. */
size_t mock_json_members(struct mock_json_text obj, const char *const *keys, size_t n,
                         struct mock_json_text *values);

/* A canonical value read as mock_jv_int reads a cJSON item: ABSENT for null, OK for an integer
 * (WRONG_TYPE for a fraction or anything else). */
enum mock_jv_result mock_json_text_int(struct mock_json_text value, int64_t *out);
/* A string value's raw characters (between the quotes; escapes not undone), as mock_jv_string. */
enum mock_jv_result mock_json_text_string(struct mock_json_text value,
                                          struct mock_json_text *chars);

#endif
