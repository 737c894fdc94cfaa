#include "redact.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cdrsim/buf.h"
#include "cdrsim/sign.h"

/* Shorter values are not scrubbed from elsewhere: "1" or "true" in a secret field would otherwise
 * blank every 1 in the journal. Their own field is still redacted. */
#define MIN_SCRUB_LEN 4

const char *const mock_redact_core_names[] = {
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "password",
    "passwd",
    "secret",
    "api_secret",
    "app_secret",
    "client_secret",
    "token",
    "access_token",
    "api_token",
    "refresh_token",
    "security_token",
    "x-api-secret",
    "x-auth-token",
    "session_token",
    NULL,
};

bool mock_redact_is_secret(const struct mock_redactor *r, const char *name)
{
    for (const char *const *const *list = r->lists; *list; list++)
        for (const char *const *n = *list; *n; n++)
            if (strcasecmp(*n, name) == 0)
                return true;
    return false;
}

/* A name given by its bytes (a JSON key, a form name before decoding is not needed: names are
 * plain ASCII in practice). */
static bool secret_span(const struct mock_redactor *r, const char *name, size_t len)
{
    char *copy = strndup(name, len);
    bool secret = copy && mock_redact_is_secret(r, copy);
    free(copy);
    return secret;
}

static void note_value(struct mock_redactor *r, const char *value, size_t len)
{
    if (len < MIN_SCRUB_LEN)
        return;
    for (size_t i = 0; i < r->value_count; i++)
        if (strlen(r->values[i]) == len && memcmp(r->values[i], value, len) == 0)
            return;
    char **grown = realloc(r->values, (r->value_count + 1) * sizeof(*grown));
    if (!grown)
        return;
    r->values = grown;
    if ((grown[r->value_count] = strndup(value, len)))
        r->value_count++;
}

/* ---- JSON bodies, read as text so that a malformed body is redacted too ---------------------- */

/* The index just past the string literal opening at s[i] (or len when it never closes). */
static size_t string_end(const char *s, size_t len, size_t i)
{
    for (i++; i < len; i++) {
        if (s[i] == '\\')
            i++;
        else if (s[i] == '"')
            return i + 1;
    }
    return len;
}

static size_t skip_space(const char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* The index just past the value starting at s[i]: a string, a whole object or array, or a bare
 * token (number, literal). */
static size_t value_end(const char *s, size_t len, size_t i)
{
    if (i >= len)
        return len;
    if (s[i] == '"')
        return string_end(s, len, i);
    if (s[i] == '{' || s[i] == '[') {
        size_t depth = 0;
        while (i < len) {
            if (s[i] == '"') {
                i = string_end(s, len, i);
                continue;
            }
            if (s[i] == '{' || s[i] == '[')
                depth++;
            else if ((s[i] == '}' || s[i] == ']') && --depth == 0)
                return i + 1;
            i++;
        }
        return len;
    }
    while (i < len && !strchr(",}] \t\r\n", s[i]))
        i++;
    return i;
}

/* Walks JSON text; the value of every member whose key is a secret's is noted (collect) and/or
 * replaced in out (when out is not NULL). */
static void walk_json(struct mock_redactor *r, const char *s, size_t len, bool collect,
                      struct cdr_buf *out)
{
    size_t i = 0, copied = 0;
    while (i < len) {
        if (s[i] != '"') {
            i++;
            continue;
        }
        size_t end = string_end(s, len, i);
        size_t colon = skip_space(s, len, end);
        if (colon >= len || s[colon] != ':' || !secret_span(r, s + i + 1, end - i - 2)) {
            i = end;
            continue;
        }
        size_t v = skip_space(s, len, colon + 1);
        size_t v_end = value_end(s, len, v);
        if (collect) {
            bool quoted = v < v_end && s[v] == '"' && v_end - v >= 2;
            note_value(r, s + v + quoted, v_end - v - 2 * quoted);
        }
        if (out) {
            cdr_buf_append(out, s + copied, v - copied);
            cdr_buf_puts(out, "\"" MOCK_REDACTED "\"");
            copied = v_end;
        }
        i = v_end;
    }
    if (out)
        cdr_buf_append(out, s + copied, len - copied);
}

/* ---- name=value pairs: form bodies ----------------------------------------------------------- */

static void walk_form(struct mock_redactor *r, const char *s, size_t len, bool collect,
                      struct cdr_buf *out)
{
    size_t i = 0;
    while (i <= len) {
        const char *amp = memchr(s + i, '&', len - i);
        size_t end = amp ? (size_t)(amp - s) : len;
        const char *eq = memchr(s + i, '=', end - i);
        size_t name_end = eq ? (size_t)(eq - s) : end;
        char *name = cdr_percent_decode(s + i, name_end - i, true, NULL);
        bool secret = eq && name && mock_redact_is_secret(r, name);
        free(name);
        if (secret && collect) {
            size_t vlen = 0;
            char *value = cdr_percent_decode(eq + 1, end - name_end - 1, true, &vlen);
            if (value)
                note_value(r, value, vlen);
            free(value);
        }
        if (out) {
            cdr_buf_append(out, s + i, secret ? name_end + 1 - i : end - i);
            if (secret)
                cdr_buf_puts(out, MOCK_REDACTED);
            if (amp)
                cdr_buf_puts(out, "&");
        }
        if (!amp)
            break;
        i = end + 1;
    }
}

static bool looks_like_json(const char *s, size_t len)
{
    size_t i = skip_space(s, len, 0);
    return i < len && (s[i] == '{' || s[i] == '[');
}

static void walk_body(struct mock_redactor *r, const char *s, size_t len, bool collect,
                      struct cdr_buf *out)
{
    if (looks_like_json(s, len))
        walk_json(r, s, len, collect, out);
    else
        walk_form(r, s, len, collect, out);
}

/* ---- headers and query ----------------------------------------------------------------------- */

/* A secret header's value and the secrets inside it: the credentials after an auth scheme
 * ("Bearer <token>"), and name=value parts whose name is a secret's ("Signature=...") or whose
 * header is a cookie header (every cookie is a session). */
static void note_header(struct mock_redactor *r, const char *name, const char *value)
{
    size_t len = strlen(value);
    note_value(r, value, len);
    const char *space = strchr(value, ' ');
    if (space)
        note_value(r, space + 1, strlen(space + 1));
    size_t name_len = strlen(name);
    bool cookie = name_len >= 6 && strcasecmp(name + name_len - 6, "cookie") == 0;
    for (const char *p = space ? space + 1 : value; *p;) {
        size_t part = strcspn(p, ",;");
        const char *eq = memchr(p, '=', part);
        if (eq) {
            const char *key = p;
            while (key < eq && *key == ' ')
                key++;
            if (cookie || secret_span(r, key, (size_t)(eq - key)))
                note_value(r, eq + 1, part - (size_t)(eq + 1 - p));
        }
        p += part + (p[part] != '\0');
    }
}

static int longest_first(const void *a, const void *b)
{
    size_t x = strlen(*(char *const *)a), y = strlen(*(char *const *)b);
    return (x < y) - (x > y);
}

void mock_redactor_init(struct mock_redactor *r, const char *const *const *lists,
                        const struct mock_request *req)
{
    r->lists = lists;
    r->values = NULL;
    r->value_count = 0;
    r->forms = NULL;
    r->failed = false;
    for (size_t i = 0; i < req->header_count; i++)
        if (mock_redact_is_secret(r, req->headers[i].name))
            note_header(r, req->headers[i].name, req->headers[i].value);
    for (size_t i = 0; i < req->query_count; i++)
        if (mock_redact_is_secret(r, req->query[i].name))
            note_value(r, req->query[i].value, strlen(req->query[i].value));
    if (req->body_len)
        walk_body(r, req->body, req->body_len, true, NULL);
    /* Longest first, so a secret that contains another is replaced whole. */
    if (r->value_count > 1)
        qsort(r->values, r->value_count, sizeof(*r->values), longest_first);
    if (r->value_count == 0)
        return;
    if (!(r->forms = calloc(3 * r->value_count, sizeof(*r->forms)))) {
        r->failed = true;
        return;
    }
    for (size_t i = 0; i < r->value_count && !r->failed; i++) {
        char **f = &r->forms[3 * i];
        f[0] = strdup(r->values[i]);
        f[1] = f[0] ? cdr_percent_encode(f[0], strlen(f[0])) : NULL;
        f[2] = f[1] ? cdr_percent_encode(f[1], strlen(f[1])) : NULL;
        r->failed = !f[2];
    }
}

void mock_redactor_free(struct mock_redactor *r)
{
    for (size_t i = 0; r->forms && i < 3 * r->value_count; i++)
        free(r->forms[i]);
    for (size_t i = 0; i < r->value_count; i++)
        free(r->values[i]);
    free(r->forms);
    free(r->values);
    r->forms = NULL;
    r->values = NULL;
    r->value_count = 0;
}

/* ---- scrubbing ------------------------------------------------------------------------------- */

static const char *find(const char *hay, size_t n, const char *needle, size_t k)
{
    for (size_t i = 0; k && i + k <= n; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, k) == 0)
            return hay + i;
    return NULL;
}

/* Replaces every occurrence of needle in *text (len *n) by MOCK_REDACTED. false when out of
 * memory. */
static bool replace_all(char **text, size_t *n, const char *needle)
{
    size_t k = strlen(needle);
    if (!find(*text, *n, needle, k))
        return true;
    struct cdr_buf b;
    cdr_buf_init(&b);
    const char *p = *text, *end = *text + *n, *hit;
    while ((hit = find(p, (size_t)(end - p), needle, k))) {
        cdr_buf_append(&b, p, (size_t)(hit - p));
        cdr_buf_puts(&b, MOCK_REDACTED);
        p = hit + k;
    }
    cdr_buf_append(&b, p, (size_t)(end - p));
    if (b.failed) {
        cdr_buf_free(&b);
        return false;
    }
    free(*text);
    *n = b.len;
    *text = cdr_buf_steal(&b);
    return true;
}

char *mock_redact_scrub(const struct mock_redactor *r, const char *text, size_t len,
                        size_t *out_len)
{
    char *out = r->failed ? NULL : malloc(len + 1);
    if (!out)
        return NULL;
    memcpy(out, text, len);
    out[len] = '\0';
    size_t n = len;
    bool ok = true;
    for (size_t i = 0; ok && i < 3 * r->value_count; i++)
        ok = replace_all(&out, &n, r->forms[i]);
    if (!ok) {
        free(out);
        return NULL;
    }
    *out_len = n;
    return out;
}

char *mock_redact_body(const struct mock_redactor *r, const char *body, size_t len, size_t *out_len)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    /* Not collecting: walk_body leaves r as it is. */
    walk_body((struct mock_redactor *)r, body, len, false, &b);
    cdr_buf_puts(&b, "");
    if (b.failed) {
        cdr_buf_free(&b);
        return NULL;
    }
    char *scrubbed = mock_redact_scrub(r, b.data, b.len, out_len);
    cdr_buf_free(&b);
    return scrubbed;
}
