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

/* What part of a request went over the HTTP layer's limits (see docs/http.md). Such a request
 * reaches only the vendor's `oversized` hook, which answers in the vendor's shape. */
enum mock_too_large {
    MOCK_FITS = 0,
    MOCK_BODY_TOO_LARGE,    /* the body was cut at the limit */
    MOCK_URL_TOO_LONG,      /* the request target; the query is then not parsed (no query) */
    MOCK_HEADERS_TOO_LARGE, /* the header fields, by total size or by count */
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
    enum mock_too_large too_large;
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
/* The verdict's words, as vsnprintf would have made them from its format, into out (cut to
 * out_len). */
void mock_auth_reason(const struct mock_auth *auth, char *out, size_t out_len);

/* A query string split and decoded the way the HTTP layer does it: pairs split on '&', then on
 * the first '=', '+' read as a space, %XX decoded (a malformed escape kept as it is), a name
 * without '=' given the value "". An empty last pair ("a=1&") is dropped; other empty pairs are
 * kept with an empty name. Names and values end at a decoded NUL. */
struct mock_query {
    struct mock_kv *items;
    size_t count;
    char *text; /* the decoded strings the items point into */
};
/* false when out of memory (q is then empty). Free with mock_query_free. */
bool mock_query_parse(const char *raw, size_t len, struct mock_query *q);
void mock_query_free(struct mock_query *q);

#endif
