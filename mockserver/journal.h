/* The request journal: a bounded ring of the requests the simulated vendors received, each with
 * what the vendor answered and its own verdict on who called, secrets redacted (redact.h), for a
 * test to verify what its integration sent. Recording holds a mutex only to put an entry in the
 * ring; entries are built before and read after, through references, so the journal never makes
 * requests wait on each other or on a reader. */
#ifndef MOCK_JOURNAL_H
#define MOCK_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "request.h"
#include "response.h"

/* Bodies are kept up to this many bytes (after redaction); the entry says when one was cut. */
#define MOCK_JOURNAL_BODY_LIMIT 4096

struct mock_journal;

/* A journal keeping the newest capacity requests (> 0). NULL when out of memory. */
struct mock_journal *mock_journal_new(size_t capacity);
void mock_journal_free(struct mock_journal *journal);

/* One answered request, as the server hands it over (everything borrowed). */
struct mock_journal_input {
    const struct mock_request *req;
    const struct mock_response *resp; /* vendor, status, vendor_code, auth, fault */
    int64_t time_ms;                  /* arrival on the mock's clock */
    double latency_ms;
    const char *const *const *secret_names; /* NULL-terminated lists for the redactor */
};

void mock_journal_record(struct mock_journal *journal, const struct mock_journal_input *in);
/* Forgets every entry; sequence numbers go on from where they were. */
void mock_journal_clear(struct mock_journal *journal);

/* Which entries a reader wants; NULL or the "any" values match everything. */
struct mock_journal_match {
    const char *vendor;
    const char *method;
    const char *path; /* a shell pattern: "*" matches any run of characters */
    const char *vendor_code;
    const char *body_contains; /* in the body as kept (redacted, cut) */
    int status;                /* 0: any */
    int auth_ok;               /* -1: any; 0: refused by the vendor's check; 1: admitted */
    uint64_t since;            /* only entries with a larger seq */
};

void mock_journal_match_init(struct mock_journal_match *m);
/* {"total": <matching entries>, "capacity": N, "requests": [<at most limit of them, newest
 * first>]}. Caller frees; NULL when out of memory. */
char *mock_journal_list(struct mock_journal *journal, const struct mock_journal_match *m,
                        size_t limit);
/* How many entries match. */
size_t mock_journal_count(struct mock_journal *journal, const struct mock_journal_match *m);

#endif
