/* How the library waits before trying a request again, one policy for every vendor: the pause a
 * server asks for in Retry-After, else an exponential backoff, both bounded by max_wait_ms, at most
 * max_retries times, each pause told to on_wait first. The HTTP layer uses it for connection errors
 * and 5xx answers; vendor clients use it for answers they map to CDR_ERR_RATE_LIMITED, which only
 * they can recognise (a Throttling.* code in a body, ITNIO's -23). */
#ifndef CDRSIM_CLIENT_RETRY_H
#define CDRSIM_CLIENT_RETRY_H

#include <stdbool.h>

#include "cdrsim/http.h"
#include "private.h"

struct cdr__retry {
    int max_retries;
    long max_wait_ms;
    long backoff_ms; /* the next pause when the server names none */
    cdr_http_wait_fn on_wait;
    void *wait_user;
    int retries; /* pauses taken so far */
};

/* A fresh count for one request, under opts' limits. */
CDR_INTERNAL void cdr__retry_init(struct cdr__retry *r, const struct cdr_http_options *opts);

/* After an attempt that failed with rc (err, when not NULL, says how): whether to try again. When
 * a retry is left and the pause is within max_wait_ms, tells on_wait, sleeps and returns true.
 * server_ms is what the answer's Retry-After asked for (-1: nothing). A longer Retry-After than
 * max_wait_ms returns false and says so at the end of err's message. */
CDR_INTERNAL bool cdr__retry_pause(struct cdr__retry *r, long server_ms, cdr_error rc,
                                   struct cdr_error_info *err);

/* Sends req like cdr_http_send, and again while the answer is HTTP 429, after the wait its
 * Retry-After names (else the backoff), within the handle's limits, each wait told to on_wait: a
 * recording link's throttle waited out as a page's is. The last answer is left in resp for the
 * caller to read, a 429 too when the retries ran out or the wait asked for is too long. */
CDR_INTERNAL cdr_error cdr__retry_send(struct cdr_http *http, const struct cdr_http_request *req,
                                       struct cdr_http_response *resp, struct cdr_error_info *err);

/* The HTTP layer's options of a handle, and the Retry-After (cdr_http_retry_after_ms) of the
 * last answer it received, -1 when it had none or no answer came. */
CDR_INTERNAL const struct cdr_http_options *cdr__http_options(const struct cdr_http *http);
CDR_INTERNAL long cdr__http_last_retry_after_ms(const struct cdr_http *http);

#endif
