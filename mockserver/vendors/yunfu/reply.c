/* Every body the Yunfu API sends: its own envelope for what its code decides (HTTP 200 with a
 * code), and Laravel's bodies for what the framework decides first (401, 404, 405, 413, 422, 429,
 * 500). Calls nothing else of the vendor. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
    case YUNFU_NO_VOICE:
        return "通话录音不存在";
    default:
        return "error";
    }
}

void yunfu_reply_server_error(struct mock_response *resp)
{
    mock_response_json(resp, 500, "{\"message\":\"Server Error\"}");
}

bool yunfu_utf8_valid(const void *text, size_t len)
{
    const unsigned char *s = text;
    for (size_t i = 0; i < len;) {
        /* Runs of ASCII (JSON's punctuation, numbers, ids) eight bytes at a time. */
        while (i + 8 <= len) {
            uint64_t word;
            memcpy(&word, s + i, 8);
            if (word & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= len)
            break;
        unsigned char c = s[i];
        size_t n = c < 0x80                 ? 1
                   : c >= 0xC2 && c <= 0xDF ? 2
                   : c >= 0xE0 && c <= 0xEF ? 3
                   : c >= 0xF0 && c <= 0xF4 ? 4
                                            : 0;
        if (!n || i + n > len)
            return false;
        for (size_t k = 1; k < n; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
        if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F) ||
            (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))
            return false;
        i += n;
    }
    return true;
}

/* Hands the body over. A body with malformed UTF-8 (a request's bytes echoed in a message) makes
 * PHP's json_encode fail; Laravel's JsonResponse then throws, and what is left is the exception
 * handler's own answer: HTTP 500 {"message":"Server Error"}. Bytes [checked_from, checked_to) were
 * checked by the caller already (valid says how that went): the rest is checked here. */
static void hand_over_checked(struct mock_response *resp, int status, struct cdr_buf *b,
                              size_t checked_from, size_t checked_to, bool valid)
{
    if (!b->failed && (!valid || !yunfu_utf8_valid(b->data, checked_from) ||
                       !yunfu_utf8_valid(b->data + checked_to, b->len - checked_to)))
        b->failed = true;
    if (b->failed) {
        cdr_buf_free(b);
        yunfu_reply_server_error(resp);
        return;
    }
    size_t len = b->len;
    mock_response_take_body(resp, status, JSON_TYPE, cdr_buf_steal(b), len);
}

static void hand_over(struct mock_response *resp, int status, struct cdr_buf *b)
{
    hand_over_checked(resp, status, b, 0, 0, true);
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
    yunfu_finish_success_checked(resp, b, 0, 0, true);
}

void yunfu_finish_success_checked(struct mock_response *resp, struct cdr_buf *b,
                                  size_t checked_from, size_t checked_to, bool valid)
{
    cdr_buf_puts(b, "}");
    hand_over_checked(resp, 200, b, checked_from, checked_to, valid);
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
    mock_response_code(resp, "%d", resp->status);
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

/* The path as the router's messages name it: Symfony's getPathInfo() is the request path as sent,
 * never URL-decoded, so every byte a client must percent-encode comes back as %XX (upper-case,
 * as clients encode) and the message stays ASCII. Without its leading slashes. NULL when out of
 * memory; caller frees. */
static char *path_as_sent(const char *path)
{
    static const char pchar[] = "-._~!$&'()*+,;=:@/";
    path += strspn(path, "/");
    char *out = malloc(strlen(path) * 3 + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)path; out && *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr(pchar, *p))
            *o++ = (char)*p;
        else
            o += sprintf(o, "%%%02X", *p);
    }
    if (out)
        *o = '\0';
    return out;
}

void yunfu_reply_not_found(struct mock_response *resp, const char *path)
{
    char *shown = path_as_sent(path);
    if (shown)
        reply_laravel_printf(resp, 404, "Not Found", "The route %s could not be found.", shown);
    else
        yunfu_reply_server_error(resp);
    free(shown);
}

void yunfu_reply_method_not_allowed(struct mock_response *resp, const char *method,
                                    const char *path)
{
    char *shown = path_as_sent(path);
    if (!shown) {
        yunfu_reply_server_error(resp);
        return;
    }
    reply_laravel_printf(
        resp, 405, "Method Not Allowed",
        "The %.16s method is not supported for route %s. Supported methods: GET, HEAD.", method,
        shown);
    free(shown);
    if (resp->status == 405)
        mock_response_add_header(resp, "Allow", "GET, HEAD");
}

void yunfu_reply_options(struct mock_response *resp)
{
    mock_response_set_body(resp, 200, "text/html; charset=UTF-8", "", 0);
    mock_response_add_header(resp, "Allow", "GET,HEAD");
}

void yunfu_reply_unauthenticated(struct mock_response *resp, bool envelope, bool http_200)
{
    if (!envelope) {
        yunfu_reply_laravel(resp, 401, "Unauthenticated.");
        return;
    }
    mock_response_json(resp, http_200 ? 200 : 401,
                       "{\"code\":401,\"status\":\"error\",\"message\":\"Unauthenticated.\"}");
    resp->content_type = JSON_TYPE;
    mock_response_code(resp, "401");
}

void yunfu_reply_no_model(struct mock_response *resp, const char *record_id)
{
    reply_laravel_printf(resp, 404, "Not Found",
                         "No query results for model [App\\Models\\Record] %s", record_id);
}

void yunfu_reply_missing_record(struct mock_response *resp, bool http404, const char *record_id)
{
    if (http404)
        yunfu_reply_no_model(resp, record_id);
    else
        yunfu_reply_error(resp, YUNFU_NO_RECORD);
}

void yunfu_write_meta(struct cdr_buf *b, int64_t page, int64_t per_page, const char *per_page_text,
                      enum yunfu_per_page how, int64_t total)
{
    int64_t last_page = total / per_page + (total % per_page != 0);
    if (last_page < 1)
        last_page = 1;
    bool has_pages = page != 1 || page < last_page;
    /* Integers written without printf: every list page has five. */
    cdr_buf_puts(b, has_pages ? "\"meta\":{\"has_pages\":true,\"total\":"
                              : "\"meta\":{\"has_pages\":false,\"total\":");
    cdr_buf_int(b, total);
    cdr_buf_puts(b, ",\"last_page\":");
    cdr_buf_int(b, last_page);
    cdr_buf_puts(b, ",\"current_page\":");
    cdr_buf_int(b, page);
    cdr_buf_puts(b, ",\"per_page\":");
    if (per_page_text && how == YUNFU_PER_PAGE_ECHO) {
        cdr_buf_json_string(b, per_page_text);
    } else {
        bool quoted = how == YUNFU_PER_PAGE_STRING;
        cdr_buf_append(b, "\"", quoted);
        cdr_buf_int(b, per_page);
        cdr_buf_append(b, "\"", quoted);
    }
    cdr_buf_puts(b, "}");
}

/* ---- the object store behind play URLs --------------------------------------------------------
 */

void yunfu_reply_oss_error(struct mock_response *resp, int status, const char *code,
                           const char *message, int64_t now)
{
    char server_time[32];
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(server_time, sizeof(server_time), "%Y-%m-%dT%H:%M:%S.000Z", &tm);
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>%s</Code>\n"
                   "  <Message>%s</Message>\n  <RequestId>%016llX</RequestId>\n"
                   "  <HostId>yunfu-oss.cdrsim</HostId>\n  <ServerTime>%s</ServerTime>\n</Error>\n",
                   code, message, (unsigned long long)now, server_time);
    if (b.failed) {
        cdr_buf_free(&b);
        yunfu_reply_server_error(resp);
        return;
    }
    size_t len = b.len;
    mock_response_take_body(resp, status, "application/xml", cdr_buf_steal(&b), len);
    mock_response_code(resp, "%s", code);
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
    mock_response_code(resp, "%d", resp->status);
}
