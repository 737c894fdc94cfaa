#include "request.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "response.h"

const char *mock_request_header(const struct mock_request *req, const char *name)
{
    for (size_t i = 0; i < req->header_count; i++)
        if (strcasecmp(req->headers[i].name, name) == 0)
            return req->headers[i].value;
    return NULL;
}

const char *mock_request_query(const struct mock_request *req, const char *name)
{
    for (size_t i = 0; i < req->query_count; i++)
        if (strcmp(req->query[i].name, name) == 0)
            return req->query[i].value;
    return NULL;
}

void mock_request_auth(const struct mock_request *req, bool ok, const char *fmt, ...)
{
    if (!req->auth)
        return;
    req->auth->checked = true;
    req->auth->ok = ok;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(req->auth->reason, sizeof(req->auth->reason), fmt, ap);
    va_end(ap);
}
