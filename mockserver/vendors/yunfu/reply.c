/* Every body the Yunfu API sends: its own envelope for what its code decides (HTTP 200 with a
 * code), and Laravel's bodies for what the framework decides first (401, 404, 405, 413, 422, 429).
 */
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

static void hand_over(struct mock_response *resp, int status, struct cdr_buf *b)
{
    if (b->failed) {
        cdr_buf_free(b);
        mock_response_json(resp, 500, "{\"message\":\"Server Error\"}");
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

/* ---- validation ------------------------------------------------------------------------------ */

bool yunfu_error_has(const struct yunfu_errors *e, const char *field)
{
    for (size_t i = 0; i < e->count; i++)
        if (strcmp(e->items[i].field, field) == 0)
            return true;
    return false;
}

void yunfu_error_add(struct yunfu_errors *e, const char *field, const char *fmt, ...)
{
    if (e->failed || yunfu_error_has(e, field))
        return;
    char text[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    struct cdr_buf b;
    cdr_buf_init(&b);
    const char *at = strstr(text, ":attribute");
    cdr_buf_append(&b, text, at ? (size_t)(at - text) : strlen(text));
    if (at) {
        /* Laravel names a field in its messages by replacing underscores with spaces. */
        for (const char *p = field; *p; p++)
            cdr_buf_append(&b, *p == '_' ? " " : p, 1);
        cdr_buf_puts(&b, at + strlen(":attribute"));
    }
    struct yunfu_error *grown = realloc(e->items, (e->count + 1) * sizeof(*grown));
    char *name = strdup(field);
    if (!grown || !name || b.failed) {
        if (grown)
            e->items = grown;
        free(name);
        cdr_buf_free(&b);
        e->failed = true;
        return;
    }
    e->items = grown;
    grown[e->count].field = name;
    grown[e->count].message = cdr_buf_steal(&b);
    e->count++;
}

void yunfu_errors_free(struct yunfu_errors *e)
{
    for (size_t i = 0; i < e->count; i++) {
        free(e->items[i].field);
        free(e->items[i].message);
    }
    free(e->items);
    memset(e, 0, sizeof(*e));
}

void yunfu_reply_validation(struct mock_response *resp, const struct yunfu_errors *e)
{
    if (e->failed || e->count == 0) {
        mock_response_json(resp, 500, "{\"message\":\"Server Error\"}");
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
