/* Every body the ITNIO simulator sends: the vendor's {"status","reason","data"} envelope (HTTP 200
 * whatever the outcome) and the Spring Boot error body of the framework underneath. Facts:
 * docs/vendors/itnio.md (sections 1 and 6). */
#include "cdrsim/buf.h"
#include "cdrsim/timefmt.h"
#include "internal.h"

static const char *documented_reason(int status)
{
    switch (status) {
    case ITNIO_OK:
        return "success";
    case ITNIO_AUTH:
        return "Authentication error";
    case ITNIO_TIMESTAMP:
        return "Timestamp expires";
    case ITNIO_SYSTEM:
        return "Port program unusual";
    case ITNIO_PARAMETER:
        return "Parameter exception";
    case ITNIO_RANGE:
        return "The search time interval cannot be greater than 93 days!";
    default:
        return "error";
    }
}

static void put_status(const struct itnio_state *st, struct cdr_buf *b, int status)
{
    if (st->status_as_string)
        cdr_buf_printf(b, "{\"status\":\"%d\",\"reason\":", status);
    else
        cdr_buf_printf(b, "{\"status\":%d,\"reason\":", status);
}

void itnio_reply_status(const struct itnio_state *st, struct mock_response *resp, int status,
                        const char *reason)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    put_status(st, &b, status);
    cdr_buf_json_string(&b, reason ? reason : documented_reason(status));
    cdr_buf_puts(&b, ",\"data\":null}");
    size_t len = b.len;
    /* The vendor answers every outcome with HTTP 200 and the status in the body. */
    mock_response_take_body(resp, 200, "application/json;charset=UTF-8", cdr_buf_steal(&b), len);
    mock_response_code(resp, "%d", status);
}

void itnio_reply_begin_success(const struct itnio_state *st, struct cdr_buf *b, size_t data_hint)
{
    cdr_buf_init(b);
    cdr_buf_reserve(b, data_hint + 64);
    put_status(st, b, ITNIO_OK);
    cdr_buf_puts(b, "\"success\",\"data\":");
}

void itnio_reply_finish_success(const struct itnio_state *st, struct mock_response *resp,
                                struct cdr_buf *b)
{
    cdr_buf_puts(b, "}");
    if (b->failed) {
        cdr_buf_free(b);
        itnio_reply_status(st, resp, ITNIO_SYSTEM, NULL);
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
}
