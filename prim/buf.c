#include "cdrsim/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cdr_buf_init(struct cdr_buf *buf)
{
    memset(buf, 0, sizeof(*buf));
}

bool cdr_buf_reserve(struct cdr_buf *buf, size_t extra)
{
    if (buf->failed)
        return false;
    if (extra > SIZE_MAX - buf->len - 1) {
        buf->failed = true;
        return false;
    }
    size_t need = buf->len + extra + 1;
    if (need <= buf->cap)
        return true;
    size_t cap = buf->cap ? buf->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *data = realloc(buf->data, cap);
    if (!data) {
        buf->failed = true;
        return false;
    }
    buf->data = data;
    buf->cap = cap;
    return true;
}

bool cdr_buf_append(struct cdr_buf *buf, const void *data, size_t len)
{
    if (!cdr_buf_reserve(buf, len))
        return false;
    if (len)
        memcpy(buf->data + buf->len, data, len);
    buf->len += len;
    buf->data[buf->len] = '\0';
    return true;
}

bool cdr_buf_puts(struct cdr_buf *buf, const char *text)
{
    return cdr_buf_append(buf, text, strlen(text));
}

bool cdr_buf_printf(struct cdr_buf *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !cdr_buf_reserve(buf, (size_t)n)) {
        buf->failed = true;
        return false;
    }
    va_start(ap, fmt);
    vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf->len += (size_t)n;
    return true;
}

bool cdr_buf_json_string(struct cdr_buf *buf, const char *text)
{
    if (!text)
        return cdr_buf_puts(buf, "null");
    return cdr_buf_json_string_len(buf, text, strlen(text));
}

bool cdr_buf_json_string_len(struct cdr_buf *buf, const char *text, size_t len)
{
    if (!text)
        return cdr_buf_puts(buf, "null");
    cdr_buf_append(buf, "\"", 1);
    const unsigned char *p = (const unsigned char *)text, *end = p + len;
    const unsigned char *run = p;
    for (; p < end; p++) {
        if (*p >= 0x20 && *p != '"' && *p != '\\')
            continue;
        cdr_buf_append(buf, run, (size_t)(p - run));
        switch (*p) {
        case '"':
            cdr_buf_puts(buf, "\\\"");
            break;
        case '\\':
            cdr_buf_puts(buf, "\\\\");
            break;
        case '\n':
            cdr_buf_puts(buf, "\\n");
            break;
        case '\r':
            cdr_buf_puts(buf, "\\r");
            break;
        case '\t':
            cdr_buf_puts(buf, "\\t");
            break;
        case '\b':
            cdr_buf_puts(buf, "\\b");
            break;
        case '\f':
            cdr_buf_puts(buf, "\\f");
            break;
        default: /* the other controls, NUL included */
            cdr_buf_printf(buf, "\\u%04x", *p);
            break;
        }
        run = p + 1;
    }
    cdr_buf_append(buf, run, (size_t)(p - run));
    return cdr_buf_append(buf, "\"", 1);
}

bool cdr_buf_int(struct cdr_buf *buf, int64_t value)
{
    char digits[24], *p = digits + sizeof(digits);
    uint64_t u = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (value < 0)
        *--p = '-';
    return cdr_buf_append(buf, p, (size_t)(digits + sizeof(digits) - p));
}

/* How many bytes of the UTF-8 sequence at p (before end) make one character XML 1.0 allows; 0 when
 * the lead byte starts no such character. */
static size_t xml_char_len(const unsigned char *p, const unsigned char *end)
{
    size_t need;
    uint32_t cp;
    if (*p < 0x80)
        return 1;
    if (*p >= 0xc2 && *p <= 0xdf) {
        need = 2;
        cp = *p & 0x1fu;
    } else if (*p >= 0xe0 && *p <= 0xef) {
        need = 3;
        cp = *p & 0x0fu;
    } else if (*p >= 0xf0 && *p <= 0xf4) {
        need = 4;
        cp = *p & 0x07u;
    } else {
        return 0;
    }
    if ((size_t)(end - p) < need)
        return 0;
    for (size_t i = 1; i < need; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3fu);
    }
    static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[need] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe ||
        cp == 0xffff)
        return 0;
    return need;
}

bool cdr_buf_xml_text(struct cdr_buf *buf, const char *text)
{
    return cdr_buf_xml_text_len(buf, text, text ? strlen(text) : 0);
}

bool cdr_buf_xml_text_len(struct cdr_buf *buf, const char *text, size_t len)
{
    if (!text)
        return !buf->failed;
    const unsigned char *p = (const unsigned char *)text, *end = p + len;
    const unsigned char *run = p;
    while (p < end) {
        const char *entity = *p == '&'                                               ? "&amp;"
                             : *p == '<'                                             ? "&lt;"
                             : *p == '>'                                             ? "&gt;"
                             : *p == '"'                                             ? "&quot;"
                             : *p == '\''                                            ? "&apos;"
                             : (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') ? "?"
                                                                                     : NULL;
        size_t step = entity ? 1 : xml_char_len(p, end);
        if (!entity && step == 0) {
            entity = "?"; /* one '?' a byte, so the next byte gets its own chance */
            step = 1;
        }
        if (entity) {
            cdr_buf_append(buf, run, (size_t)(p - run));
            cdr_buf_puts(buf, entity);
            run = p + step;
        }
        p += step;
    }
    return cdr_buf_append(buf, run, (size_t)(p - run));
}

char *cdr_buf_steal(struct cdr_buf *buf)
{
    if (buf->failed) {
        cdr_buf_free(buf);
        return NULL;
    }
    char *out = buf->data ? buf->data : calloc(1, 1);
    cdr_buf_init(buf);
    return out;
}

void cdr_buf_free(struct cdr_buf *buf)
{
    free(buf->data);
    cdr_buf_init(buf);
}
