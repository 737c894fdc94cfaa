#ifndef CONFORM_EXPECT_H
#define CONFORM_EXPECT_H

#include "cdrsim/buf.h"
#include "conform.h"

struct conform_expect_ctx {
    const char *label;        /* "step 2 (page)" */
    struct cdr_buf *messages; /* failures are appended, one per line */
    bool failed;
};

/* Checks a call's result against the step's "expect" object (NULL = expect success). */
void conform_expect(struct conform_expect_ctx *ctx, const cJSON *expect,
                    const struct conform_result *r);

/* A record field as JSON (caller deletes; NULL when there is no such field): the normalized
 * fields by name ("direction", "start_time" as RFC 3339), or "raw.<member>[.<member>]" from the
 * vendor's own object. */
cJSON *conform_field(const struct cdr_record *r, const char *field);

/* Whether a record satisfies {"field": F, "in": [...]} / "equals" / "contains" / "not_null" /
 * "min" / "max" (inclusive; numbers by value, strings by bytes); on false, why says which record
 * and value. */
bool conform_predicate(const cJSON *where, const struct cdr_record *r, struct cdr_buf *why);

#endif
