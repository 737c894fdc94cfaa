/* Reading the tokens of json_tokens.c: members by name, values as the tolerant readers of
 * json_get.h take them (the same answers for the same text), and a value printed back exactly as
 * cdr__json_print prints its cJSON twin. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "cdrsim/record.h"
#include "cdrsim/timefmt.h"
#include "json_tokens.h"

static const char *raw(const struct cdr__jdoc *doc, size_t i)
{
    return doc->text + doc->tok[i].start;
}

static long hex4(const char *p)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v = v * 16 + (c >= '0' && c <= '9'   ? c - '0'
                      : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                             : c - 'A' + 10);
    }
    return v;
}

/* Code point cp as UTF-8 into out; returns how many bytes. */
static size_t put_utf8(unsigned long cp, char *o)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t cdr__jdoc_decode(const struct cdr__jdoc *doc, size_t i, char *out)
{
    const struct cdr__jtok *t = &doc->tok[i];
    const char *p = raw(doc, i), *stop = p + t->len;
    if (!t->escaped) {
        memcpy(out, p, t->len);
        out[t->len] = '\0';
        const char *cut = memchr(out, '\0', t->len);
        return cut ? (size_t)(cut - out) : t->len;
    }
    size_t n = 0;
    while (p < stop) {
        if (*p != '\\') {
            out[n++] = *p++;
            continue;
        }
        char c = p[1];
        if (c != 'u') { /* the pass let through only the escapes JSON has */
            static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
            out[n++] = to[strchr(from, c) - from];
            p += 2;
            continue;
        }
        unsigned long cp = (unsigned long)hex4(p + 2);
        p += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) { /* the pass saw its low half follow */
            cp = 0x10000 + (((cp & 0x3FF) << 10) | ((unsigned long)hex4(p + 2) & 0x3FF));
            p += 6;
        }
        n += put_utf8(cp, out + n);
    }
    out[n] = '\0';
    return t->nul ? n : strlen(out);
}

/* A string token decoded into a buffer of the caller's (small) or the heap's; *heap is what to
 * free. NULL when out of memory. */
static char *decoded(const struct cdr__jdoc *doc, size_t i, char *small, size_t small_size,
                     size_t *len, char **heap)
{
    size_t need = (size_t)doc->tok[i].len + 1;
    *heap = NULL;
    char *out = small;
    if (need > small_size && !(out = *heap = malloc(need)))
        return NULL;
    *len = cdr__jdoc_decode(doc, i, out);
    return out;
}

/* Whether name token i is key as cJSON compares them: the name up to a NUL it holds. */
static bool name_is(const struct cdr__jdoc *doc, size_t i, const char *key, size_t key_len)
{
    const struct cdr__jtok *t = &doc->tok[i];
    if (!t->escaped) {
        if (t->len < key_len || memcmp(raw(doc, i), key, key_len) != 0)
            return false;
        return t->len == key_len || raw(doc, i)[key_len] == '\0';
    }
    char small[256], *heap;
    size_t len;
    char *name = decoded(doc, i, small, sizeof(small), &len, &heap);
    bool same = name && strcmp(name, key) == 0;
    free(heap);
    return same;
}

size_t cdr__jdoc_member(const struct cdr__jdoc *doc, size_t obj, const char *key)
{
    if (!doc->tok || doc->tok[obj].type != CDR__JOBJECT)
        return 0;
    size_t key_len = strlen(key);
    size_t k = obj + 1;
    for (uint32_t m = 0; m < doc->tok[obj].count; m++, k = doc->tok[k + 1].end) {
        const struct cdr__jtok *t = &doc->tok[k];
        /* Most names differ from key in their length or first byte: no call for those. */
        if (!t->escaped && (t->len < key_len || (key_len && raw(doc, k)[0] != key[0])))
            continue;
        if (name_is(doc, k, key, key_len))
            return k + 1;
    }
    return 0;
}

#define SHORT_KEY 64 /* keys shorter than this are found by their length */

void cdr__jdoc_members(const struct cdr__jdoc *doc, size_t obj, const char *const *keys,
                       size_t count, size_t *out)
{
    memset(out, 0, count * sizeof(*out));
    if (!doc->tok || doc->tok[obj].type != CDR__JOBJECT)
        return;
    /* The keys chained by length: a plain name (no escape, no NUL) is compared only with the keys
     * of its own length, the rest as cdr__jdoc_member compares. */
    enum { NONE = SIZE_MAX };
    size_t head[SHORT_KEY], next[SHORT_KEY], key_len[SHORT_KEY];
    size_t n = count < SHORT_KEY ? count : SHORT_KEY;
    for (size_t len = 0; len < SHORT_KEY; len++)
        head[len] = NONE;
    size_t shorts = 0;
    for (size_t k = 0; k < n; k++) {
        key_len[k] = strlen(keys[k]);
        if (key_len[k] < SHORT_KEY) {
            next[k] = head[key_len[k]];
            head[key_len[k]] = k;
            shorts++;
        }
    }
    size_t found = 0, k = obj + 1;
    for (uint32_t m = 0; m < doc->tok[obj].count && found < shorts; m++, k = doc->tok[k + 1].end) {
        const struct cdr__jtok *t = &doc->tok[k];
        if (!t->escaped && !t->raw_nul) {
            if (t->len >= SHORT_KEY)
                continue;
            const char *name = raw(doc, k);
            for (size_t key = head[t->len]; key != NONE; key = next[key])
                if (!out[key] && (t->len == 0 || name[0] == keys[key][0]) &&
                    memcmp(name, keys[key], t->len) == 0)
                    out[key] = k + 1, found++;
            continue;
        }
        for (size_t key = 0; key < n; key++)
            if (!out[key] && key_len[key] < SHORT_KEY && name_is(doc, k, keys[key], key_len[key]))
                out[key] = k + 1, found++;
    }
    for (size_t key = 0; key < count; key++) /* long keys, which no walk above compared */
        if (key >= n || key_len[key] >= SHORT_KEY)
            out[key] = cdr__jdoc_member(doc, obj, keys[key]);
}

bool cdr__jdoc_nonempty_string(const struct cdr__jdoc *doc, size_t i)
{
    const struct cdr__jtok *t = &doc->tok[i];
    if (!i || t->type != CDR__JSTRING || t->len == 0)
        return false;
    const char *p = raw(doc, i);
    if (p[0] != '\\')
        return p[0] != '\0';
    return !(p[1] == 'u' && hex4(p + 2) == 0);
}

/* Whether text is an optional '-' and decimal digits, nothing else. */
static bool integer_literal(const char *text)
{
    const char *p = text + (*text == '-');
    return *p && strspn(p, "0123456789") == strlen(p);
}

/* A number token's text, terminated, in out (numbers are at most 63 bytes). */
static const char *number_text(const struct cdr__jdoc *doc, size_t i, char out[64])
{
    memcpy(out, raw(doc, i), doc->tok[i].len);
    out[doc->tok[i].len] = '\0';
    return out;
}

bool cdr__jdoc_as_int(const struct cdr__jdoc *doc, size_t i, int64_t *out)
{
    if (!i)
        return false;
    const struct cdr__jtok *t = &doc->tok[i];
    if (t->type == CDR__JNUMBER) {
        char buf[64];
        const char *text = number_text(doc, i, buf);
        if (integer_literal(text)) {
            errno = 0;
            long long v = strtoll(text, NULL, 10);
            if (errno)
                return false;
            *out = v;
            return true;
        }
        double v = strtod(text, NULL);
        if (!isfinite(v) || v != floor(v) || v < -9.0e15 || v > 9.0e15)
            return false;
        *out = (int64_t)v;
        return true;
    }
    if (!cdr__jdoc_nonempty_string(doc, i))
        return false;
    char small[64], *heap;
    size_t len;
    char *s = decoded(doc, i, small, sizeof(small), &len, &heap);
    bool ok = false;
    if (s) {
        errno = 0;
        char *end;
        long long v = strtoll(s, &end, 10);
        if (!errno && !*end && len == strlen(s)) {
            *out = v;
            ok = true;
        }
    }
    free(heap);
    return ok;
}

bool cdr__jdoc_get_int(const struct cdr__jdoc *doc, size_t obj, const char *key, int64_t *out)
{
    return cdr__jdoc_as_int(doc, cdr__jdoc_member(doc, obj, key), out);
}

char *cdr__jdoc_text(const struct cdr__jdoc *doc, size_t obj, const char *key, size_t *len,
                     bool *ok)
{
    return cdr__jdoc_text_at(doc, cdr__jdoc_member(doc, obj, key), len, ok);
}

char *cdr__jdoc_text_at(const struct cdr__jdoc *doc, size_t i, size_t *len, bool *ok)
{
    if (!i)
        return NULL;
    const struct cdr__jtok *t = &doc->tok[i];
    char *copy = NULL;
    size_t n = 0;
    if (t->type == CDR__JSTRING) {
        if ((copy = malloc((size_t)t->len + 1)))
            n = cdr__jdoc_decode(doc, i, copy);
    } else if (t->type == CDR__JNUMBER) {
        char buf[64];
        const char *text = number_text(doc, i, buf);
        if (integer_literal(text)) {
            copy = strdup(text); /* every digit, beyond what a double holds */
        } else {
            char formatted[32];
            double v = strtod(text, NULL);
            if (v == floor(v) && v > -9.0e15 && v < 9.0e15)
                snprintf(formatted, sizeof(formatted), "%lld", (long long)v);
            else
                snprintf(formatted, sizeof(formatted), "%.17g", v);
            copy = strdup(formatted);
        }
        if (copy)
            n = strlen(copy);
    } else {
        return NULL;
    }
    if (!copy)
        *ok = false;
    if (len)
        *len = copy ? n : 0;
    return copy;
}

bool cdr__jdoc_get_time(const struct cdr__jdoc *doc, size_t obj, const char *key,
                        int offset_seconds, int64_t *out)
{
    return cdr__jdoc_time_at(doc, cdr__jdoc_member(doc, obj, key), offset_seconds, out);
}

bool cdr__jdoc_time_at(const struct cdr__jdoc *doc, size_t i, int offset_seconds, int64_t *out)
{
    *out = CDR_TIME_NONE;
    if (!i || doc->tok[i].type == CDR__JNULL ||
        (doc->tok[i].type == CDR__JSTRING && !cdr__jdoc_nonempty_string(doc, i)))
        return true;
    if (doc->tok[i].type != CDR__JSTRING || doc->tok[i].nul)
        return false; /* a NUL would hide whatever follows it */
    char small[64], *heap;
    size_t len;
    char *s = decoded(doc, i, small, sizeof(small), &len, &heap);
    bool ok = s && len == strlen(s) && cdr_time_parse_any(s, offset_seconds, out);
    free(heap);
    return ok;
}

/* A string token as a JSON string: its bytes re-escaped (a member name up to a NUL it holds, as
 * cJSON keeps one). */
static void print_string(struct cdr_buf *b, const struct cdr__jdoc *doc, size_t i, bool name)
{
    const struct cdr__jtok *t = &doc->tok[i];
    if (!t->escaped) {
        const char *p = raw(doc, i);
        const char *cut = memchr(p, '\0', t->len);
        cdr_buf_json_string_len(b, p, cut ? (size_t)(cut - p) : t->len);
        return;
    }
    char small[256], *heap;
    size_t len;
    char *s = decoded(doc, i, small, sizeof(small), &len, &heap);
    if (!s) {
        b->failed = true;
        return;
    }
    cdr_buf_json_string_len(b, s, name ? strlen(s) : len);
    free(heap);
}

static void print_value(struct cdr_buf *b, const struct cdr__jdoc *doc, size_t i, const char *skip)
{
    const struct cdr__jtok *t = &doc->tok[i];
    switch (t->type) {
    case CDR__JNULL:
        cdr_buf_puts(b, "null");
        return;
    case CDR__JTRUE:
        cdr_buf_puts(b, "true");
        return;
    case CDR__JFALSE:
        cdr_buf_puts(b, "false");
        return;
    case CDR__JNUMBER:
        cdr_buf_append(b, raw(doc, i), t->len);
        return;
    case CDR__JSTRING:
        print_string(b, doc, i, false);
        return;
    default: {
        bool object = t->type == CDR__JOBJECT;
        size_t skip_len = skip ? strlen(skip) : 0;
        cdr_buf_puts(b, object ? "{" : "[");
        bool first = true;
        size_t k = i + 1;
        for (uint32_t m = 0; m < t->count; m++) {
            size_t value = object ? k + 1 : k;
            size_t next = doc->tok[value].end;
            if (!(object && skip && name_is(doc, k, skip, skip_len))) {
                if (!first)
                    cdr_buf_puts(b, ",");
                first = false;
                if (object) {
                    print_string(b, doc, k, true);
                    cdr_buf_puts(b, ":");
                }
                print_value(b, doc, value, NULL);
            }
            k = next;
        }
        cdr_buf_puts(b, object ? "}" : "]");
        return;
    }
    }
}

bool cdr__jdoc_print(struct cdr_buf *b, const struct cdr__jdoc *doc, size_t i, const char *skip)
{
    print_value(b, doc, i, skip);
    return !b->failed;
}
