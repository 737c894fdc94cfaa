#include "retry.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_MAX_WAIT_MS 60000L

void cdr__retry_init(struct cdr__retry *r, const struct cdr_http_options *opts)
{
    memset(r, 0, sizeof(*r));
    r->max_retries = opts && opts->max_retries > 0 ? opts->max_retries : 0;
    r->max_wait_ms = opts && opts->max_wait_ms > 0 ? opts->max_wait_ms : DEFAULT_MAX_WAIT_MS;
    r->backoff_ms = opts && opts->retry_backoff_ms > 0 ? opts->retry_backoff_ms : 0;
    r->on_wait = opts ? opts->on_wait : NULL;
    r->wait_user = opts ? opts->wait_user : NULL;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Appends text to the message, as far as it fits. */
static void append(struct cdr_error_info *err, const char *text)
{
    size_t used = strlen(err->message);
    snprintf(err->message + used, sizeof(err->message) - used, "%s", text);
}

bool cdr__retry_pause(struct cdr__retry *r, long server_ms, cdr_error rc,
                      struct cdr_error_info *err)
{
    if (r->retries >= r->max_retries)
        return false;
    if (server_ms > r->max_wait_ms) {
        if (err) {
            char why[160];
            snprintf(why, sizeof(why),
                     " (the server asks to wait %ld s before a retry, longer than the %ld s this "
                     "client waits)",
                     (server_ms + 999) / 1000, r->max_wait_ms / 1000);
            append(err, why);
        }
        return false;
    }
    long pause = server_ms >= 0 ? server_ms : r->backoff_ms;
    if (pause > r->max_wait_ms)
        pause = r->max_wait_ms;
    if (server_ms < 0)
        r->backoff_ms = r->backoff_ms > r->max_wait_ms / 2 ? r->max_wait_ms : r->backoff_ms * 2;
    r->retries++;
    if (r->on_wait) {
        struct cdr_error_info plain;
        if (!err)
            cdr_error_set(&plain, rc, "%s", cdr_error_name(rc));
        const struct cdr_http_wait wait = {pause, server_ms >= 0, r->retries, r->max_retries,
                                           err ? err : &plain};
        r->on_wait(r->wait_user, &wait);
    }
    if (pause > 0)
        sleep_ms(pause);
    return true;
}

cdr_error cdr__retry_send(struct cdr_http *http, const struct cdr_http_request *req,
                          struct cdr_http_response *resp, struct cdr_error_info *err)
{
    struct cdr__retry retry;
    cdr__retry_init(&retry, cdr__http_options(http));
    for (;;) {
        cdr_error rc = cdr_http_send(http, req, resp, err);
        if (rc != CDR_OK || resp->status != 429)
            return rc;
        cdr_error_set_vendor(err, CDR_ERR_RATE_LIMITED, 429, "", "the recording's server is busy");
        if (!cdr__retry_pause(&retry, cdr_http_retry_after_ms(resp), CDR_ERR_RATE_LIMITED, err))
            return CDR_OK;
        cdr_http_response_free(resp);
    }
}
