/* Every body the ITNIO simulator sends: the vendor's {"status","reason","data"} envelope (HTTP 200
 * whatever the outcome), the Spring Boot error body of the framework underneath, and the object
 * storage's XML refusal of a recording link. Facts: docs/vendors/itnio.md (sections 1, 6, 9). */
#include <string.h>

#include "cdrsim/buf.h"
#include "cdrsim/timefmt.h"
#include "internal.h"

/* The status tables' texts; -16's is the failure example of https://itniotech.com/api/account,
 * -2's the recording and account pages' (the call-center pages misprint it). */
static const char *documented_reason(int status)
{
    switch (status) {
    case ITNIO_OK:
        return "success";
    case ITNIO_AUTH:
        return "Authentication error";
    case ITNIO_IP_RESTRICTED:
        return "Restricted IP access";
    case ITNIO_TIMESTAMP:
        return "timestamp expires";
    case ITNIO_SYSTEM:
        return "Port program unusual";
    case ITNIO_PARAMETER:
        return "Parameter exception";
    case ITNIO_DATA_CAPS:
        return "Data caps";
    case ITNIO_NOT_EXISTING:
        return "Data unexisting";
    case ITNIO_RANGE:
        return "The search time interval cannot be greater than 93 days!";
    default:
        return "error";
    }
}

static void put_status(struct cdr_buf *b, bool status_string, int status)
{
    if (status_string)
        cdr_buf_printf(b, "{\"status\":\"%d\",\"reason\":", status);
    else
        cdr_buf_printf(b, "{\"status\":%d,\"reason\":", status);
}

void itnio_reply_status(struct mock_response *resp, bool status_string, int status,
                        const char *reason)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    put_status(&b, status_string, status);
    cdr_buf_json_string(&b, reason ? reason : documented_reason(status));
    cdr_buf_puts(&b, ",\"data\":null}");
    size_t len = b.len;
    /* The vendor answers every outcome with HTTP 200 and the status in the body. */
    mock_response_take_body(resp, 200, "application/json;charset=UTF-8", cdr_buf_steal(&b), len);
    mock_response_code(resp, "%d", status);
}

void itnio_reply_begin_success(struct cdr_buf *b, bool status_string, size_t data_hint)
{
    cdr_buf_init(b);
    cdr_buf_reserve(b, data_hint + 64);
    put_status(b, status_string, ITNIO_OK);
    cdr_buf_puts(b, "\"success\",\"data\":");
}

void itnio_reply_finish_success(struct mock_response *resp, bool status_string, struct cdr_buf *b)
{
    cdr_buf_puts(b, "}");
    if (b->failed) {
        cdr_buf_free(b);
        itnio_reply_status(resp, status_string, ITNIO_SYSTEM, NULL);
        return;
    }
    size_t len = b->len;
    mock_response_take_body(resp, 200, "application/json;charset=UTF-8", cdr_buf_steal(b), len);
    mock_response_code(resp, "0");
}

void itnio_reply_framework_error(struct mock_response *resp, int64_t now_ms, int http_status,
                                 const char *error, const char *path)
{
    char ts[32];
    cdr_time_format_rfc3339_ms(now_ms, ts);
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "{\"timestamp\":\"%s\",\"status\":%d,\"error\":\"%s\",\"path\":", ts,
                   http_status, error);
    cdr_buf_json_string(&b, path);
    cdr_buf_puts(&b, "}");
    size_t len = b.len;
    mock_response_take_body(resp, http_status, "application/json", cdr_buf_steal(&b), len);
    /* The body's own status is the only code this answer has: the log shows it. */
    mock_response_code(resp, "%d", http_status);
}

void itnio_reply_storage_error(struct mock_response *resp, int http_status, const char *code,
                               const char *message, const char *resource)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>");
    cdr_buf_xml_text(&b, code);
    cdr_buf_puts(&b, "</Code><Message>");
    cdr_buf_xml_text(&b, message);
    cdr_buf_puts(&b, "</Message><Key>");
    cdr_buf_xml_text(&b, resource);
    cdr_buf_puts(&b, "</Key></Error>");
    size_t len = b.len;
    mock_response_take_body(resp, http_status, "application/xml", cdr_buf_steal(&b), len);
    mock_response_code(resp, "%s", code);
}
