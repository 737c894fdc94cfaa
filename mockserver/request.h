/* The plain request every mock handler sees: no HTTP library types, so handlers run in-process in
 * tests, fuzzers and benchmarks exactly as behind the socket. */
#ifndef MOCK_REQUEST_H
#define MOCK_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

struct mock_auth; /* response.h */

struct mock_kv {
    const char *name;
    const char *value; /* "" for a query parameter without '=' */
};

/* Borrowed view: every pointer belongs to the caller for the duration of the handler call. */
struct mock_request {
    const char *method;
    const char *path;            /* decoded, without the query string */
    const struct mock_kv *query; /* decoded, in order, duplicates kept */
    size_t query_count;
    const struct mock_kv *headers;
    size_t header_count;
    const char *body; /* may contain NUL bytes; not NUL-terminated in general */
    size_t body_len;
    bool body_too_large; /* body was cut at the size limit: answer with the vendor's parameter error
                          */
    const char *remote_addr; /* "127.0.0.1", for allow-list variants */
    /* Where the vendor's own check records whether the caller got in and why (through
     * mock_request_auth): the server points it at the response's verdict. NULL: nobody asks. */
    struct mock_auth *auth;
};

/* First header of that name, case-insensitive; NULL when absent. */
const char *mock_request_header(const struct mock_request *req, const char *name);
/* First query parameter of that exact name; NULL when absent. */
const char *mock_request_query(const struct mock_request *req, const char *name);

/* The vendor's verdict at one decision of its check (the last one made stands): admitted or
 * refused, and why in words a developer can act on ("Timestamp 1735891839 is 3600 s behind the
 * mock's clock; the window is 1800 s"). Never put a secret in it. No-op when req->auth is NULL. */
void mock_request_auth(const struct mock_request *req, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same straight into a verdict, for a check that has the response at hand (&resp->auth). */
void mock_auth_report(struct mock_auth *auth, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
