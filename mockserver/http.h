/* The only part of the mock that knows libmicrohttpd (http_mhd.c): sockets in, struct
 * mock_request to the application, struct mock_response back out, delivered the way its
 * struct mock_delivery asks. A fixed pool of worker threads serves every connection through
 * epoll; whatever waits (a long poll, a delayed or dribbled answer) suspends its connection and
 * is resumed by a timer, so no worker ever sleeps and thousands of connections can wait at once.
 * A connection that does not finish its request headers in time is closed (the header deadline),
 * however slowly it trickles them. */
#ifndef MOCK_HTTP_H
#define MOCK_HTTP_H

#include <stddef.h>

#include "clock.h"
#include "config.h"
#include "request.h"
#include "response.h"

struct mock_http;

/* What the HTTP layer serves. */
struct mock_http_app {
    /* Answers one request: for cdrsim-mock, mock_server_handle. Runs on a worker thread. When it
     * sets resp->retry_after_ms (a long poll) it is called again for the same request after that
     * wait, resp keeping its poll bookkeeping (mock_response_retry). */
    void (*handle)(void *ctx, const struct mock_request *req, struct mock_response *resp);
    void *ctx;
    /* The Date response header follows this clock, like the bodies. */
    struct mock_clock *clock;
};

/* Starts getting the HTTP library ready in the background (it is opened at run time, and
 * opening it is most of start-up's dynamic linking), so that other start-up work runs beside
 * it; mock_http_start waits for it. Optional: mock_http_start alone does the same. */
void mock_http_prepare(void);
/* Listens per config (bind, port, TLS, threads, limits, timeouts) and serves app until stopped.
 * Logs each request to log_fd (-1 for none) in config->log_format. NULL with err filled. The
 * app and the config must outlive the returned object. */
struct mock_http *mock_http_start(const struct mock_http_app *app, const struct mock_config *config,
                                  int log_fd, char *err, size_t err_len);
/* The port actually bound (the ephemeral one for --port 0). */
unsigned mock_http_port(const struct mock_http *http);
/* Stops accepting, ends the connections still waiting (a long poll or a delay may end without an
 * answer), waits for the workers, frees. */
void mock_http_stop(struct mock_http *http);

#endif
