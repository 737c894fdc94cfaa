#include "cdrsim/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *cdr_error_name(cdr_error code)
{
    switch (code) {
    case CDR_OK:
        return "ok";
    case CDR_ERR_INVALID_ARGUMENT:
        return "invalid_argument";
    case CDR_ERR_NO_MEMORY:
        return "no_memory";
    case CDR_ERR_TRANSPORT:
        return "transport";
    case CDR_ERR_TIMEOUT:
        return "timeout";
    case CDR_ERR_HTTP:
        return "http";
    case CDR_ERR_AUTH:
        return "auth";
    case CDR_ERR_TIMESTAMP:
        return "timestamp";
    case CDR_ERR_RANGE_TOO_LARGE:
        return "range_too_large";
    case CDR_ERR_PARAMETER:
        return "parameter";
    case CDR_ERR_NOT_FOUND:
        return "not_found";
    case CDR_ERR_RATE_LIMITED:
        return "rate_limited";
    case CDR_ERR_MALFORMED_RESPONSE:
        return "malformed_response";
    case CDR_ERR_VENDOR:
        return "vendor";
    }
    return "unknown";
}

void cdr_error_clear(struct cdr_error_info *info)
{
    if (info)
        memset(info, 0, sizeof(*info));
}

cdr_error cdr_error_set(struct cdr_error_info *info, cdr_error code, const char *fmt, ...)
{
    if (!info)
        return code;
    cdr_error_clear(info);
    info->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(info->message, sizeof(info->message), fmt, ap);
    va_end(ap);
    return code;
}

cdr_error cdr_error_set_vendor(struct cdr_error_info *info, cdr_error code, long http_status,
                               const char *vendor_code, const char *message)
{
    if (!info)
        return code;
    cdr_error_clear(info);
    info->code = code;
    info->http_status = http_status;
    snprintf(info->vendor_code, sizeof(info->vendor_code), "%s", vendor_code ? vendor_code : "");
    snprintf(info->message, sizeof(info->message), "%s", message ? message : "");
    return code;
}
