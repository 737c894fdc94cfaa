/* Laravel's throttle middleware (variant yunfu.rate_limit): N requests per token per minute, the
 * minute starting at the token's first request. Every answer carries X-RateLimit-Limit and
 * X-RateLimit-Remaining; a refused one is HTTP 429 {"message":"Too Many Attempts."} with
 * Retry-After and X-RateLimit-Reset. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define WINDOW_MS 60000

void yunfu_throttle_init(struct yunfu_throttle *t, int64_t limit)
{
    memset(t, 0, sizeof(*t));
    pthread_mutex_init(&t->lock, NULL);
    t->limit = limit;
}

void yunfu_throttle_destroy(struct yunfu_throttle *t)
{
    for (size_t i = 0; i < t->count; i++)
        free(t->hits[i].token);
    free(t->hits);
    pthread_mutex_destroy(&t->lock);
    memset(t, 0, sizeof(*t));
}

/* The token's counter, created on first use; NULL when out of memory. Called with the lock held. */
static struct yunfu_hits *hits_of(struct yunfu_throttle *t, const char *token)
{
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(t->hits[i].token, token) == 0)
            return &t->hits[i];
    struct yunfu_hits *grown = realloc(t->hits, (t->count + 1) * sizeof(*grown));
    if (!grown)
        return NULL;
    t->hits = grown;
    struct yunfu_hits *h = &grown[t->count];
    if (!(h->token = strdup(token)))
        return NULL;
    h->window_start_ms = 0;
    h->count = 0;
    t->count++;
    return h;
}

static void add_number_header(struct mock_response *resp, const char *name, long long value)
{
    char text[24];
    snprintf(text, sizeof(text), "%lld", value);
    mock_response_add_header(resp, name, text);
}

bool yunfu_throttle_hit(struct yunfu_throttle *t, const char *token, int64_t now_ms,
                        struct mock_response *resp)
{
    if (t->limit <= 0)
        return true;
    pthread_mutex_lock(&t->lock);
    struct yunfu_hits *h = hits_of(t, token);
    bool allowed = true;
    int64_t remaining = 0, reset_ms = now_ms + WINDOW_MS;
    if (h) {
        /* A clock moved backwards also opens a new window, so a test can rewind freely. */
        if (h->count == 0 || now_ms >= h->window_start_ms + WINDOW_MS ||
            now_ms < h->window_start_ms) {
            h->window_start_ms = now_ms;
            h->count = 0;
        }
        reset_ms = h->window_start_ms + WINDOW_MS;
        allowed = h->count < t->limit;
        if (allowed)
            h->count++;
        remaining = t->limit - h->count;
    }
    pthread_mutex_unlock(&t->lock);
    add_number_header(resp, "X-RateLimit-Limit", (long long)t->limit);
    add_number_header(resp, "X-RateLimit-Remaining", (long long)remaining);
    if (!allowed) {
        int64_t retry = (reset_ms - now_ms + 999) / 1000;
        add_number_header(resp, "Retry-After", (long long)retry);
        add_number_header(resp, "X-RateLimit-Reset", (long long)((reset_ms + 999) / 1000));
        yunfu_reply_laravel(resp, 429, "Too Many Attempts.");
    }
    return allowed;
}
