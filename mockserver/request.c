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

static void report(struct mock_auth *auth, bool ok, const char *fmt, va_list ap)
{
    auth->checked = true;
    auth->ok = ok;
    vsnprintf(auth->reason, sizeof(auth->reason), fmt, ap);
}

void mock_request_auth(const struct mock_request *req, bool ok, const char *fmt, ...)
{
    if (!req->auth)
        return;
    va_list ap;
    va_start(ap, fmt);
    report(req->auth, ok, fmt, ap);
    va_end(ap);
}

void mock_auth_report(struct mock_auth *auth, bool ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(auth, ok, fmt, ap);
    va_end(ap);
}
