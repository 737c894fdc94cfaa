#include "log.h"

#include <stdlib.h>

#include "cdrsim/buf.h"
#include "clock.h"
#include "cdrsim/timefmt.h"

/* Request paths are attacker-controlled: control bytes would forge extra log lines. */
static void put_printable(struct cdr_buf *b, const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        cdr_buf_append(b, *p < 0x20 || *p == 0x7f ? "?" : (const char *)p, 1);
}

void mock_log_request(FILE *out, enum mock_log_format format, const struct mock_request *req,
                      const struct mock_response *resp, double latency_ms)
{
    if (format == MOCK_LOG_OFF || !out)
        return;
    char ts[32];
    cdr_time_format_rfc3339_ms(mock_wall_clock_ms(), ts);
    const char *vendor = resp->vendor ? resp->vendor : "-";
    struct cdr_buf b;
    cdr_buf_init(&b);
    if (format == MOCK_LOG_JSON) {
        cdr_buf_printf(&b, "{\"ts\":\"%s\",\"method\":", ts);
        cdr_buf_json_string(&b, req->method);
        cdr_buf_puts(&b, ",\"path\":");
        cdr_buf_json_string(&b, req->path);
        cdr_buf_puts(&b, ",\"vendor\":");
        cdr_buf_json_string(&b, vendor);
        cdr_buf_printf(&b, ",\"status\":%d,\"vendor_code\":", resp->status);
        cdr_buf_json_string(&b, resp->vendor_code);
        cdr_buf_printf(&b, ",\"latency_ms\":%.3f}\n", latency_ms);
    } else {
        cdr_buf_printf(&b, "%s ", ts);
        put_printable(&b, req->method);
        cdr_buf_puts(&b, " ");
        put_printable(&b, req->path);
        cdr_buf_printf(&b, " vendor=%s status=%d code=", vendor, resp->status);
        put_printable(&b, resp->vendor_code[0] ? resp->vendor_code : "-");
        cdr_buf_printf(&b, " latency_ms=%.3f\n", latency_ms);
    }
    /* One fwrite per line keeps lines whole when threads log at once. */
    if (!b.failed)
        fwrite(b.data, 1, b.len, out);
    cdr_buf_free(&b);
}
