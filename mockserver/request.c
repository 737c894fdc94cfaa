#include "request.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Keeps an admission's arguments for mock_auth_reason when its format has only %s, %d and %lld
 * (the strings fitting in reason); false, with nothing kept, when it has anything else. */
static bool keep_arguments(struct mock_auth *auth, const char *fmt, va_list ap)
{
    size_t used = 0, numbers = 0;
    for (const char *p = strchr(fmt, '%'); p; p = strchr(p, '%')) {
        if (p[1] == 's') {
            const char *text = va_arg(ap, const char *);
            size_t len = strlen(text ? text : "(null)");
            if (used + len + 1 > sizeof(auth->reason))
                return false;
            memcpy(auth->reason + used, text ? text : "(null)", len + 1);
            used += len + 1;
            p += 2;
        } else if (p[1] == 'd' && numbers < MOCK_AUTH_MAX_ARGS) {
            auth->numbers[numbers++] = va_arg(ap, int);
            p += 2;
        } else if (strncmp(p + 1, "lld", 3) == 0 && numbers < MOCK_AUTH_MAX_ARGS) {
            auth->numbers[numbers++] = va_arg(ap, long long);
            p += 4;
        } else {
            return false;
        }
    }
    auth->format = fmt;
    return true;
}

static void report(struct mock_auth *auth, bool ok, const char *fmt, va_list ap)
{
    auth->checked = true;
    auth->ok = ok;
    auth->format = NULL;
    if (ok) {
        va_list kept;
        va_copy(kept, ap);
        bool deferred = keep_arguments(auth, fmt, kept);
        va_end(kept);
        if (deferred)
            return;
    }
    vsnprintf(auth->reason, sizeof(auth->reason), fmt, ap);
}

void mock_auth_reason(const struct mock_auth *auth, char *out, size_t out_len)
{
    if (!out_len)
        return;
    if (!auth->format) {
        snprintf(out, out_len, "%s", auth->reason);
        return;
    }
    size_t n = 0, numbers = 0;
    const char *text = auth->reason;
    for (const char *p = auth->format; *p && n + 1 < out_len;) {
        char digits[24];
        const char *piece;
        if (p[0] != '%') {
            out[n++] = *p++;
            continue;
        }
        if (p[1] == 's') {
            piece = text;
            text += strlen(text) + 1;
            p += 2;
        } else {
            snprintf(digits, sizeof(digits), "%lld", auth->numbers[numbers++]);
            piece = digits;
            p += p[1] == 'd' ? 2 : 4;
        }
        for (; *piece && n + 1 < out_len; piece++)
            out[n++] = *piece;
    }
    out[n] = '\0';
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

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes text[0..len) in place and NUL-terminates it. */
static void decode(char *text, size_t len)
{
    char *out = text;
    for (size_t i = 0; i < len; i++) {
        int hi, lo;
        if (text[i] == '+') {
            *out++ = ' ';
        } else if (text[i] == '%' && i + 2 < len && (hi = hex_digit(text[i + 1])) >= 0 &&
                   (lo = hex_digit(text[i + 2])) >= 0) {
            *out++ = (char)(hi * 16 + lo);
            i += 2;
        } else {
            *out++ = text[i];
        }
    }
    *out = '\0';
}

bool mock_query_parse(const char *raw, size_t len, struct mock_query *q)
{
    memset(q, 0, sizeof(*q));
    if (len == 0)
        return true;
    size_t pairs = 1;
    for (size_t i = 0; i < len; i++)
        pairs += raw[i] == '&';
    /* Room for a NUL after every name and value: each pair gains at most one byte (its '='
     * becomes the name's terminator, or a value "" is added after it). */
    q->text = malloc(len + 2 * pairs + 1);
    q->items = malloc(pairs * sizeof(*q->items));
    if (!q->text || !q->items) {
        mock_query_free(q);
        return false;
    }
    char *out = q->text;
    size_t start = 0;
    while (start < len) {
        const char *pair = raw + start;
        const char *amp = memchr(pair, '&', len - start);
        size_t pair_len = amp ? (size_t)(amp - pair) : len - start;
        const char *eq = memchr(pair, '=', pair_len);
        size_t name_len = eq ? (size_t)(eq - pair) : pair_len;
        struct mock_kv *kv = &q->items[q->count++];
        memcpy(out, pair, name_len);
        decode(out, name_len);
        kv->name = out;
        out += name_len + 1;
        size_t value_len = eq ? pair_len - name_len - 1 : 0;
        if (eq)
            memcpy(out, eq + 1, value_len);
        decode(out, value_len);
        kv->value = out;
        out += value_len + 1;
        if (!amp)
            break;
        start += pair_len + 1;
    }
    return true;
}

void mock_query_free(struct mock_query *q)
{
    free(q->items);
    free(q->text);
    memset(q, 0, sizeof(*q));
}
