/* Every body the Yunfu API sends: its own envelope for what its code decides (HTTP 200 with a
 * code), and Laravel's bodies for what the framework decides first (401, 404, 405, 413, 422, 429,
 * 500). Calls nothing else of the vendor. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define JSON_TYPE "application/json"

static const char *documented_message(int code)
{
    switch (code) {
    case YUNFU_NO_NODE:
        return "【user】参数错误,未找到对应云节点";
    case YUNFU_NO_TASK:
        return "任务不存在";
    case YUNFU_NO_RECORD:
        return "通话记录不存在";
    default:
        return "error";
    }
}

void yunfu_reply_server_error(struct mock_response *resp)
{
    mock_response_json(resp, 500, "{\"message\":\"Server Error\"}");
}

static void hand_over(struct mock_response *resp, int status, struct cdr_buf *b)
{
    if (b->failed) {
        cdr_buf_free(b);
        yunfu_reply_server_error(resp);
        return;
    }
    size_t len = b->len;
    mock_response_take_body(resp, status, JSON_TYPE, cdr_buf_steal(b), len);
}

void yunfu_reply_error(struct mock_response *resp, int code)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "{\"code\":%d,\"status\":\"error\",\"message\":", code);
    cdr_buf_json_string(&b, documented_message(code));
    cdr_buf_puts(&b, ",\"data\":[]}");
    hand_over(resp, 200, &b);
    mock_response_code(resp, "%d", code);
}

void yunfu_begin_success(struct cdr_buf *b, const char *message, size_t hint)
{
    cdr_buf_init(b);
    cdr_buf_reserve(b, hint + 128);
    cdr_buf_puts(b, "{\"code\":200,\"status\":\"success\",\"message\":");
    cdr_buf_json_string(b, message);
    cdr_buf_puts(b, ",");
}

void yunfu_finish_success(struct mock_response *resp, struct cdr_buf *b)
{
    cdr_buf_puts(b, "}");
    hand_over(resp, 200, b);
    mock_response_code(resp, "200");
}

void yunfu_reply_laravel(struct mock_response *resp, int status, const char *message)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{\"message\":");
    cdr_buf_json_string(&b, message);
    cdr_buf_puts(&b, "}");
    hand_over(resp, status, &b);
    mock_response_code(resp, "%d", status);
}

/* Laravel's body with a message made from fmt; fallback when out of memory. */
static void reply_laravel_printf(struct mock_response *resp, int status, const char *fallback,
                                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void reply_laravel_printf(struct mock_response *resp, int status, const char *fallback,
                                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *message = len >= 0 ? malloc((size_t)len + 1) : NULL;
    if (message) {
        va_start(ap, fmt);
        vsnprintf(message, (size_t)len + 1, fmt, ap);
        va_end(ap);
    }
    yunfu_reply_laravel(resp, status, message ? message : fallback);
    free(message);
}

/* ---- the framework's answers ----------------------------------------------------------------- */

void yunfu_reply_not_found(struct mock_response *resp, const char *path)
{
    reply_laravel_printf(resp, 404, "Not Found", "The route %s could not be found.",
                         path + strspn(path, "/"));
}

void yunfu_reply_method_not_allowed(struct mock_response *resp, const char *method,
                                    const char *path)
{
    reply_laravel_printf(
        resp, 405, "Method Not Allowed",
        "The %.16s method is not supported for route %s. Supported methods: GET, HEAD.", method,
        path + strspn(path, "/"));
    mock_response_add_header(resp, "Allow", "GET, HEAD");
}

void yunfu_reply_options(struct mock_response *resp)
{
    mock_response_set_body(resp, 200, "text/html; charset=UTF-8", "", 0);
    mock_response_add_header(resp, "Allow", "GET,HEAD");
}

void yunfu_reply_unauthenticated(struct mock_response *resp, bool envelope)
{
    if (!envelope) {
        yunfu_reply_laravel(resp, 401, "Unauthenticated.");
        return;
    }
    mock_response_json(resp, 401,
                       "{\"code\":401,\"status\":\"error\",\"message\":\"Unauthenticated.\"}");
    resp->content_type = JSON_TYPE;
    mock_response_code(resp, "401");
}

void yunfu_reply_no_model(struct mock_response *resp, const char *record_id)
{
    reply_laravel_printf(resp, 404, "Not Found",
                         "No query results for model [App\\Models\\Record] %s", record_id);
}

/* ---- validation ------------------------------------------------------------------------------ */

void yunfu_reply_validation(struct mock_response *resp, const struct yunfu_errors *e)
{
    if (e->failed || e->count == 0) {
        yunfu_reply_server_error(resp);
        return;
    }
    struct cdr_buf b;
    cdr_buf_init(&b);
    /* ValidationException::summarize: the first message, then how many others there are. */
    char more[64] = "";
    if (e->count > 1)
        snprintf(more, sizeof(more), " (and %zu more error%s)", e->count - 1,
                 e->count > 2 ? "s" : "");
    char *summary = malloc(strlen(e->items[0].message) + strlen(more) + 1);
    if (summary)
        strcat(strcpy(summary, e->items[0].message), more);
    cdr_buf_puts(&b, "{\"message\":");
    cdr_buf_json_string(&b, summary ? summary : e->items[0].message);
    free(summary);
    cdr_buf_puts(&b, ",\"errors\":{");
    for (size_t i = 0; i < e->count; i++) {
        if (i)
            cdr_buf_puts(&b, ",");
        cdr_buf_json_string(&b, e->items[i].field);
        cdr_buf_puts(&b, ":[");
        cdr_buf_json_string(&b, e->items[i].message);
        cdr_buf_puts(&b, "]");
    }
    cdr_buf_puts(&b, "}}");
    hand_over(resp, 422, &b);
    mock_response_code(resp, "422");
}
