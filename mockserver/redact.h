/* Keeping secrets out of the request journal. A field whose name is a secret's (Sign, Signature,
 * Authorization, Guid, password, token...) keeps its name and loses its value, in headers, in the
 * query, in JSON bodies (by key, at any depth) and in form bodies (by name). Every value removed
 * that way is then also scrubbed from everything else the journal keeps, as it is and
 * percent-encoded once or twice, because a secret can travel inside another field (a cookie in a
 * string to sign, a token in a path) or inside the vendor's own words about the request. */
#ifndef MOCK_REDACT_H
#define MOCK_REDACT_H

#include <stdbool.h>
#include <stddef.h>

#include "request.h"

#define MOCK_REDACTED "[redacted]"

/* Names of secrets whatever the vendor: NULL-terminated, compared without regard to case. */
extern const char *const mock_redact_core_names[];

/* One request's redaction: the names to hide and the secret values the request carried. */
struct mock_redactor {
    const char *const *const *lists; /* NULL-terminated lists of names; borrowed */
    char **values;                   /* owned copies, longest first */
    size_t value_count;
    /* Owned: each value as it may be written, itself, percent-encoded once and twice (3 per
     * value, in values' order), encoded once here rather than for every text scrubbed. */
    char **forms;
    bool failed; /* out of memory while reading: every scrub fails rather than leak a secret */
};

/* Reads the request's secret values (headers, query, body) into r; free with
 * mock_redactor_free. lists stays borrowed. */
void mock_redactor_init(struct mock_redactor *r, const char *const *const *lists,
                        const struct mock_request *req);
void mock_redactor_free(struct mock_redactor *r);

/* Whether a field of that name holds a secret. */
bool mock_redact_is_secret(const struct mock_redactor *r, const char *name);

/* The request body with its secret fields' values replaced: JSON members by key when the body
 * looks like JSON, name=value pairs otherwise (form bodies; other text has none). Then scrubbed
 * like mock_redact_scrub. Caller frees; *out_len its length (the text may hold NUL bytes);
 * NULL when out of memory. */
char *mock_redact_body(const struct mock_redactor *r, const char *body, size_t len,
                       size_t *out_len);

/* text (len bytes) with every secret value the request carried replaced by MOCK_REDACTED. Caller
 * frees; *out_len its length; NULL when out of memory. */
char *mock_redact_scrub(const struct mock_redactor *r, const char *text, size_t len,
                        size_t *out_len);

#endif
