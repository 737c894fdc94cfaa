/* Records read straight from their text: a fixture written compactly (one flat object per record,
 * the form cJSON_PrintUnformatted gives) can be kept byte for byte and its few filter fields
 * picked out, instead of parsing every record into a tree and printing it back. Anything else
 * (whitespace, escapes, nested values, numbers cJSON would print differently) is handed to the
 * ordinary tree parser, one element at a time, so the fast way never changes what is loaded. */
#ifndef MOCK_FLATJSON_H
#define MOCK_FLATJSON_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One member of a flat object: a string without escapes (its bytes, not NUL-terminated) or an
 * integer of at most 15 digits (its digits, exactly as cJSON prints it back, and its value). */
struct mock_flat_member {
    const char *key;
    size_t key_len;
    bool is_string;
    const char *text;
    size_t len;
    int64_t integer;
};

/* Returns false to give up on the fast way for this object (the tree parser then reads it). */
typedef bool mock_flat_member_fn(void *ctx, const struct mock_flat_member *member);

/* The byte length of the object at text[0, len) when it is flat and already in cJSON's compact
 * form, after each of its members went to each() in order; 0 when it is not (each() may have
 * seen some of its members: the caller starts over with the tree). */
size_t mock_flat_object(const char *text, size_t len, mock_flat_member_fn *each, void *ctx);

/* What mock_flat_load_array hands an element to: its text, for the vendor to read with
 * mock_flat_object (*used its length, 0 when it was not flat), or else its parsed tree. Both
 * return false with err filled to stop the load. */
struct mock_flat_reader {
    bool (*text)(void *user, const char *text, size_t len, size_t *used, char *err, size_t err_len);
    bool (*tree)(void *user, const cJSON *item, char *err, size_t err_len);
    void *user;
};

enum mock_flat_result {
    MOCK_FLAT_LOADED,
    MOCK_FLAT_FAILED,     /* a reader callback failed: err says why */
    MOCK_FLAT_UNREADABLE, /* not a JSON array this reader can walk: load it with
                             mock_load_json_array, whose messages say what is wrong */
};

/* Walks the array in dir/name element by element (see mock_flat_reader). */
enum mock_flat_result mock_flat_load_array(const char *dir, const char *name,
                                           const struct mock_flat_reader *reader, char *err,
                                           size_t err_len);

#endif
