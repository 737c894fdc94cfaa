#ifndef CONFORM_EXPECT_H
#define CONFORM_EXPECT_H

#include "cdrsim/buf.h"
#include "conform.h"

struct conform_expect_ctx {
    const char *label;        /* "step 2 (page)" */
    struct cdr_buf *messages; /* failures are appended, one per line */
    bool failed;
};

/* Checks a call's result against the step's "expect" object (NULL = expect success). Counts are of
 * the view's entries when the call answered with one, of its records otherwise; "records",
 * "record" and "order" judge records, "entries", "entry" ({"match": …, "fields": …}) and
 * "ascending" (a field) the view's entries. */
void conform_expect(struct conform_expect_ctx *ctx, const cJSON *expect,
                    const struct conform_result *r);

/* A record field as JSON (caller deletes; NULL when there is no such field): the normalized
 * fields by name ("direction", "start_time" as RFC 3339), or "raw.<member>[.<member>]" from the
 * vendor's own object. */
cJSON *conform_field(const struct cdr_record *r, const char *field);

/* The member at a dotted path of a view's entry ("content.callid"), or NULL. */
const cJSON *conform_entry_field(const cJSON *entry, const char *path);
/* conform_predicate for the index-th entry of a view, its field a dotted path into the entry. */
bool conform_entry_predicate(const cJSON *where, const cJSON *entry, size_t index,
                             struct cdr_buf *why);

/* Whether a record satisfies {"field": F, "in": [...]} / "equals" / "contains" / "not_null" /
 * "min" / "max" (inclusive; numbers by value, strings by bytes); on false, why says which record
 * and value. */
bool conform_predicate(const cJSON *where, const struct cdr_record *r, struct cdr_buf *why);

#endif
