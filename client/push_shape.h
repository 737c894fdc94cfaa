/* What the vendors' push parsers (client/vendors/<vendor>/push.c) share: reading a pushed body,
 * checking its members against the vendor's table of types, and handing a copy renamed into the
 * pulled record's shape to the vendor's own normalizer, so a pushed record and a pulled record of
 * the same call come out alike. Private to libcdrsim. */
#ifndef CDRSIM_CLIENT_PUSH_SHAPE_H
#define CDRSIM_CLIENT_PUSH_SHAPE_H

#include <cJSON.h>
#include <stdbool.h>

#include "cdrsim/vendor.h"
#include "json_get.h"

/* A pushed body parsed exactly (cdr__json_parse_answer), or NULL with err naming why: "push body
 * is empty", "push body ends early (812 bytes, an object, array or string left open)", "push body
 * is not JSON (byte 17 of 40)", or a string that is not UTF-8. The caller deletes the tree. */
CDR_INTERNAL cJSON *cdr__push_open(const char *body, size_t len, struct cdr_error_info *err);

/* The JSON types a pushed member may take. Every kind takes null for an absent value. */
enum cdr__push_kind {
    CDR__PUSH_STRING,      /* a string */
    CDR__PUSH_INT,         /* an integral number, or a string holding one ("" reads as absent) */
    CDR__PUSH_TEXT,        /* a string or a number (an id some samples send either way) */
    CDR__PUSH_STRING_LIST, /* an array of strings */
    CDR__PUSH_OBJECT,      /* an object */
};

struct cdr__push_member {
    const char *name; /* NULL ends a table */
    enum cdr__push_kind kind;
    bool required; /* present, not null, not "" */
};

/* Checks obj's members against table; where names obj in a message ("record", "data[2]").
 * CDR_ERR_MALFORMED_RESPONSE: "data[2].bill is a string, not an integer", "record lacks the
 * required callSessionId". Members not in the table are the vendor's to add: not checked. */
CDR_INTERNAL cdr_error cdr__push_check(const cJSON *obj, const struct cdr__push_member *table,
                                       const char *where, struct cdr_error_info *err);

/* Moves obj's member from (when present) to the name to, replacing any member already named so. */
CDR_INTERNAL void cdr__push_rename(cJSON *obj, const char *from, const char *to);

/* out->records for count records, zeroed (out->record_count stays 0 until each is filled); false
 * when out of memory. */
CDR_INTERNAL bool cdr__push_reserve(struct cdr_push *out, size_t count);

/* Normalizes shaped (the pushed object renamed into the pulled shape) with the vendor's normalizer
 * into the next record of out, whose raw_json is then the pushed object as sent. */
CDR_INTERNAL cdr_error cdr__push_take(struct cdr_push *out, const cJSON *shaped,
                                      const cJSON *pushed, cdr__json_normalizer_fn normalize,
                                      struct cdr_error_info *err);

#endif
