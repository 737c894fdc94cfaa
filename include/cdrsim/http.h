/* HTTP transport of libcdrsim, over libcurl. One struct cdr_http owns one curl easy handle, so
 * consecutive requests reuse the connection. Not thread-safe: one per thread. */
#ifndef CDRSIM_HTTP_H
#define CDRSIM_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "cdrsim/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One completed exchange, as seen on the wire; valid only during the observer call. */
struct cdr_http_exchange {
    const char *method;
    const char *url;
    const char *request_body;
    size_t request_body_len;
    long status;
    const char *content_type; /* NULL when the server sent none */
    const char *body;
    size_t body_len;
};

/* Sees every final response a client receives (conformance checks compare them with the vendor's
 * documented shapes). Must not call back into the same struct cdr_http. */
typedef void (*cdr_http_observer_fn)(void *user, const struct cdr_http_exchange *exchange);

/* A pause before another attempt, told to cdr_http_options.on_wait as it starts: after a
 * connection error or a 5xx answer, and after an answer the vendor layer maps to
 * CDR_ERR_RATE_LIMITED (HTTP 429, Alibaba Cloud's Throttling.*, ITNIO's -23). */
struct cdr_http_wait {
    long wait_ms;      /* how long the pause lasts */
    bool server_asked; /* the answer's Retry-After set it; otherwise it is the backoff */
    int retry;         /* the attempt after the pause is retry number `retry` (1-based) ... */
    int max_retries;   /* ... of at most this many */
    const struct cdr_error_info *why; /* what the attempt before the pause ended with */
};
typedef void (*cdr_http_wait_fn)(void *user, const struct cdr_http_wait *wait);

struct cdr_http_options {
    long connect_timeout_ms; /* default 5000 */
    long timeout_ms;         /* whole transfer; default 30000 */
    /* Extra attempts: for idempotent requests after a connection error or a 5xx answer, and for
     * every request the server refused as rate-limited; default 2. */
    int max_retries;
    long retry_backoff_ms; /* first pause when the server names none, doubled each retry; default
                              200 */
    /* The longest pause: a backoff grows up to it; a server whose Retry-After asks for longer
     * gets no retry, its refusal is returned at once. Default 60000. */
    long max_wait_ms;
    cdr_http_wait_fn on_wait; /* told of every pause before it starts (a progress line); or NULL */
    void *wait_user;
    size_t max_response_bytes; /* larger bodies fail as malformed; 0 or default: 64 MiB */
    bool insecure;             /* accept any TLS certificate (self-signed test servers) */
    const char *ca_file;       /* extra CA bundle, or NULL */
    bool cookies;              /* keep and echo cookies across requests (session-based vendors) */
    cdr_http_observer_fn observer; /* NULL for none */
    void *observer_user;
};

void cdr_http_options_default(struct cdr_http_options *opts);

struct cdr_http_header {
    char *name;
    char *value;
};

struct cdr_http_request {
    const char *method; /* "GET", "POST", "PUT", "DELETE" */
    const char *url;
    const char *const *headers; /* "Name: value" lines */
    size_t header_count;
    const char *body; /* NULL for none */
    size_t body_len;
    bool idempotent; /* only idempotent requests are retried */
};

/* All members owned by the response; release with cdr_http_response_free. */
struct cdr_http_response {
    long status;
    char *body; /* NUL-terminated; body_len excludes the NUL */
    size_t body_len;
    struct cdr_http_header *headers; /* of the final response only */
    size_t header_count;
    int attempts; /* how many times the request was sent; also set when cdr_http_send fails */
};

struct cdr_http;

/* Returns NULL (and fills err) when curl cannot be initialised. Options are copied. */
struct cdr_http *cdr_http_new(const struct cdr_http_options *opts, struct cdr_error_info *err);
void cdr_http_free(struct cdr_http *http);

/* Sends the request. CDR_OK means an HTTP response arrived, whatever its status: mapping statuses
 * is the vendor layer's job. Connection errors and 5xx answers are retried when the request is
 * idempotent, after the answer's Retry-After or the backoff; the last answer is returned. resp is
 * filled on CDR_OK only, except resp->attempts, which always tells how often the request was
 * tried. Error messages name the URL with its secrets redacted (cdr_http_redact_url). */
cdr_error cdr_http_send(struct cdr_http *http, const struct cdr_http_request *req,
                        struct cdr_http_response *resp, struct cdr_error_info *err);

/* How long an answer's Retry-After header asks to wait, in milliseconds: delay-seconds, or an
 * HTTP date measured from the answer's Date header (from now when it has none); 0 for a date
 * already past; -1 when the answer has no Retry-After or one that does not parse. */
long cdr_http_retry_after_ms(const struct cdr_http_response *resp);

/* A copy of url fit for messages and logs: any userinfo ("user:password@") and the values of
 * query parameters that sign or authorise a request (sig, Signature or a name ending in
 * "-signature", every name holding "secret", "token" or "password", and the names a vendor's
 * descriptor lists in secret_names; in any case) replaced by "<redacted>". Caller frees; NULL
 * when url is NULL or out of memory. */
char *cdr_http_redact_url(const char *url);

/* The last header of that name (case-insensitive), or NULL. */
const char *cdr_http_response_header(const struct cdr_http_response *resp, const char *name);
void cdr_http_response_free(struct cdr_http_response *resp);

#ifdef __cplusplus
}
#endif

#endif
