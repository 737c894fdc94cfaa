/* Keeping secrets out of what the library says: URLs shown with their secret-bearing parts masked,
 * and known secret values masked wherever a message repeats them (a server echoing a token). */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cdrsim/buf.h"
#include "cdrsim/error.h"
#include "cdrsim/http.h"
#include "cdrsim/sign.h"
#include "cdrsim/vendor.h"

#define MASK "<redacted>"

static bool same_name(const char *name, size_t len, const char *known)
{
    return len == strlen(known) && strncasecmp(name, known, len) == 0;
}

/* Query parameters whose value signs or authorises a request: the names each vendor's descriptor
 * lists (secret_names), a signature under the usual names (a presigned link's X-Amz-Signature or
 * x-oss-signature ends in one) and any name of a credential. SignatureMethod and
 * SignatureVersion say nothing secret and stay. */
static bool secret_name(const char *name, size_t len)
{
    static const char *const suffix = "signature";
    static const char *const part[] = {"secret", "token", "password", "passwd"};
    size_t tail = strlen(suffix);
    if (same_name(name, len, "sig") ||
        (len >= tail && strncasecmp(name + len - tail, suffix, tail) == 0 &&
         (len == tail || name[len - tail - 1] == '-' || name[len - tail - 1] == '_')))
        return true;
    for (const struct cdr_vendor *const *v = cdr_vendors(); *v; v++)
        for (const char *const *known = (*v)->secret_names; known && *known; known++)
            if (same_name(name, len, *known))
                return true;
    for (size_t i = 0; i < sizeof(part) / sizeof(part[0]); i++) {
        size_t n = strlen(part[i]);
        for (size_t at = 0; n <= len && at <= len - n; at++)
            if (strncasecmp(name + at, part[i], n) == 0)
                return true;
    }
    return false;
}

/* The query (or form) text q..end with secret values masked, into b. */
static void redact_query(struct cdr_buf *b, const char *q, const char *end)
{
    while (q < end) {
        const char *amp = memchr(q, '&', (size_t)(end - q));
        const char *stop = amp ? amp : end;
        const char *eq = memchr(q, '=', (size_t)(stop - q));
        if (eq && secret_name(q, (size_t)(eq - q))) {
            cdr_buf_append(b, q, (size_t)(eq - q) + 1);
            cdr_buf_puts(b, MASK);
        } else {
            cdr_buf_append(b, q, (size_t)(stop - q));
        }
        if (amp)
            cdr_buf_puts(b, "&");
        q = amp ? amp + 1 : end;
    }
}

char *cdr_http_redact_url(const char *url)
{
    if (!url)
        return NULL;
    struct cdr_buf b;
    cdr_buf_init(&b);
    const char *p = url;
    const char *scheme = strstr(url, "://");
    if (scheme) {
        const char *authority = scheme + 3;
        size_t authority_len = strcspn(authority, "/?#");
        const char *at = NULL;
        for (const char *c = authority; c < authority + authority_len; c++)
            if (*c == '@')
                at = c; /* the last '@': a password may hold one unencoded */
        cdr_buf_append(&b, url, (size_t)(authority - url));
        if (at) {
            cdr_buf_puts(&b, MASK "@");
            p = at + 1;
        } else {
            p = authority;
        }
    }
    size_t before_query = strcspn(p, "?#");
    cdr_buf_append(&b, p, before_query);
    p += before_query;
    if (*p == '?') {
        const char *end = p + 1 + strcspn(p + 1, "#");
        cdr_buf_puts(&b, "?");
        redact_query(&b, p + 1, end);
        p = end;
    }
    cdr_buf_puts(&b, p); /* the fragment, or nothing */
    return cdr_buf_steal(&b);
}

/* Secrets this long are masked wherever they occur; shorter ones only as a word of their own, so
 * that a test token "t" does not take every t out of "Too Many Attempts". */
#define ANYWHERE_LEN 8

static bool word_char(const char *text, const char *at)
{
    return at >= text && *at && isalnum((unsigned char)*at);
}

/* Replaces every occurrence of needle in text (NUL-terminated, in a buffer of cap bytes) by MASK,
 * cutting what no longer fits. */
static void mask_in(char *text, size_t cap, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return;
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "");
    bool found = false;
    for (const char *p = text; *p;) {
        const char *hit = strstr(p, needle);
        while (hit && n < ANYWHERE_LEN && (word_char(text, hit - 1) || word_char(text, hit + n)))
            hit = strstr(hit + 1, needle);
        if (!hit) {
            cdr_buf_puts(&b, p);
            break;
        }
        found = true;
        cdr_buf_append(&b, p, (size_t)(hit - p));
        cdr_buf_puts(&b, MASK);
        p = hit + n;
    }
    if (found && !b.failed) {
        size_t len = b.len < cap - 1 ? b.len : cap - 1;
        memcpy(text, b.data, len);
        text[len] = '\0';
    } else if (found) {
        text[0] = '\0'; /* out of memory: say nothing rather than the secret */
    }
    cdr_buf_free(&b);
    /* A full buffer may have been cut inside the secret: mask the start of it at the very end. */
    size_t len = strlen(text);
    if (len + 1 < cap || n < ANYWHERE_LEN)
        return;
    for (size_t k = n - 1 < len ? n - 1 : len; k > 0; k--) {
        if (memcmp(text + len - k, needle, k) == 0) {
            size_t keep = len - k;
            size_t room = cap - 1 - keep < strlen(MASK) ? cap - 1 - keep : strlen(MASK);
            memcpy(text + keep, MASK, room);
            text[keep + room] = '\0';
            return;
        }
    }
}

void cdr_error_redact(struct cdr_error_info *info, const char *secret)
{
    if (!info || !secret || !secret[0])
        return;
    mask_in(info->message, sizeof(info->message), secret);
    mask_in(info->vendor_code, sizeof(info->vendor_code), secret);
    /* A server may echo it as it travelled in a URL or a form. */
    char *encoded = cdr_percent_encode(secret, strlen(secret));
    if (encoded && strcmp(encoded, secret) != 0) {
        mask_in(info->message, sizeof(info->message), encoded);
        mask_in(info->vendor_code, sizeof(info->vendor_code), encoded);
    }
    free(encoded);
}
