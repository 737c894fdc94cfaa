#ifndef MOCK_LOG_H
#define MOCK_LOG_H

#include <stdio.h>

#include "config.h"
#include "request.h"
#include "response.h"

/* One line per request: method, path, vendor, HTTP status, vendor code, latency. */
void mock_log_request(FILE *out, enum mock_log_format format, const struct mock_request *req,
                      const struct mock_response *resp, double latency_ms);

#endif
