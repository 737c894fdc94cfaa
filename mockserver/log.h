/* The request log: one line per request (method, path, vendor, HTTP status, vendor code,
 * latency), as text or JSON. Workers format their line and hand it to a writer thread, which
 * writes whatever has gathered with one write(2) every few milliseconds: no worker waits on the
 * disk or queues on a lock held across a system call, and lines never interleave. */
#ifndef MOCK_LOG_H
#define MOCK_LOG_H

#include <stdint.h>

#include "config.h"
#include "request.h"
#include "response.h"

struct mock_log;

/* A log writing to fd (which stays the caller's). NULL when there is nothing to log (format off,
 * fd < 0) or no memory for it; mock_log_request then does nothing. */
struct mock_log *mock_log_open(int fd, enum mock_log_format format);
/* Writes what is still pending, stops the writer, frees. */
void mock_log_close(struct mock_log *log);

/* Queues the request's line. Write errors are ignored: a full disk must not stop the mock
 * answering. */
void mock_log_request(struct mock_log *log, const struct mock_request *req,
                      const struct mock_response *resp, int64_t latency_us);

#endif
