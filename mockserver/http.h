/* The only file that knows libmicrohttpd: sockets in, struct mock_request to the server, struct
 * mock_response back out. */
#ifndef MOCK_HTTP_H
#define MOCK_HTTP_H

#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "server.h"

struct mock_http;

/* Starts listening per config (bind, port, TLS files, limits). Logs each request to log (NULL for
 * none). NULL with err filled. */
struct mock_http *mock_http_start(struct mock_server *server, const struct mock_config *config,
                                  FILE *log, char *err, size_t err_len);
/* The port actually bound (the ephemeral one for --port 0). */
unsigned mock_http_port(const struct mock_http *http);
/* Stops accepting, waits for in-flight requests, frees. */
void mock_http_stop(struct mock_http *http);

#endif
