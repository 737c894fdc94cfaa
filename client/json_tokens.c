/* The one pass over an answer's text (json_tokens.h). It accepts exactly the text cJSON 1.7
 * accepts (a number is what strtod reads of at most 63 of its bytes, whitespace is any byte up to
 * the space, containers nest 1000 deep), except a "\u" escape must have four hex digits where
 * cJSON reads a bad one as U+0000. On the same text it checks what json_exact.c checked behind
 * cJSON: every string's bytes as UTF-8, with the same message naming the string's path. */
#include "json_tokens.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"

#define NESTING_LIMIT 1000   /* cJSON's CJSON_NESTING_LIMIT */
#define NUMBER_TEXT_LIMIT 63 /* cJSON reads a number from a buffer of 64 bytes */
#define TOKEN_GUESS_LIMIT 65536

/* One level of where the pass is: a member (its name's token) or an array element. The path is
 * written out only for a message. */
struct frame {
    const struct frame *up;
    size_t name; /* the member name's token; 0: an array element */
    size_t index;
};

struct pass {
    struct cdr__jdoc *doc;
    const char *p, *end;
    const struct frame *top;
    const char *what;
    struct cdr_error_info *err;
    bool utf8_bad; /* err already names the first string that is not UTF-8 */
    bool no_memory;
    int depth;
};

static void skip_space(struct pass *s)
{
    while (s->p < s->end && (unsigned char)*s->p <= 32)
        s->p++;
}

static inline size_t new_token(struct pass *s, enum cdr__jtype type, const char *at)
{
    struct cdr__jdoc *d = s->doc;
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 256;
        struct cdr__jtok *tok = realloc(d->tok, cap * sizeof(*tok));
        if (!tok) {
            s->no_memory = true;
            return SIZE_MAX;
        }
        d->tok = tok;
        d->cap = cap;
    }
    d->tok[d->count] = (struct cdr__jtok){.start = (uint32_t)(at - d->text), .type = (uint8_t)type};
    return d->count++;
}

static void put_path(struct cdr_buf *b, const struct cdr__jdoc *doc, const struct frame *f)
{
    if (!f)
        return;
    put_path(b, doc, f->up);
    if (!f->name) {
        cdr_buf_printf(b, "[%zu]", f->index);
        return;
    }
    if (b->len)
        cdr_buf_puts(b, ".");
    const struct cdr__jtok *t = &doc->tok[f->name];
    char *name = malloc((size_t)t->len + 1);
    if (!name) {
        b->failed = true;
        return;
    }
    cdr__jdoc_decode(doc, f->name, name);
    cdr_buf_puts(b, name); /* up to a NUL, as cJSON keeps a name */
    free(name);
}

/* Length of the UTF-8 sequence starting at p (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF), or 0 when it is not one. */
static size_t utf8_sequence(const unsigned char *p, const unsigned char *end)
{
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        n = 2;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        n = 3;
        lo = p[0] == 0xE0 ? 0xA0 : 0x80;
        hi = p[0] == 0xED ? 0x9F : 0xBF;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        n = 4;
        lo = p[0] == 0xF0 ? 0x90 : 0x80;
        hi = p[0] == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return n;
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Four hex digits at p as a number, or -1. */
static long hex4(const char *p)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit(p[i]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* The \u escape at p (on the backslash) before stop: the code point, or -1 when cJSON refuses it
 * (or its digits are not hex); *n gets the escape's length (6, or 12 for a surrogate pair). Hex
 * digits are never a quote, so the escape lies inside its string whenever it is one. */
static long unicode_escape(const char *p, const char *stop, size_t *n)
{
    if (stop - p < 6)
        return -1;
    long first = hex4(p + 2);
    *n = 6;
    if (first < 0 || (first >= 0xDC00 && first <= 0xDFFF))
        return -1;
    if (first < 0xD800 || first > 0xDBFF)
        return first;
    const char *second = p + 6;
    if (stop - second < 6 || second[0] != '\\' || second[1] != 'u')
        return -1;
    long low = hex4(second + 2);
    if (low < 0xDC00 || low > 0xDFFF)
        return -1;
    *n = 12;
    return 0x10000 + (((first & 0x3FF) << 10) | (low & 0x3FF));
}

static bool not_json(struct pass *s)
{
    if (!s->no_memory)
        cdr_error_set(s->err, CDR_ERR_MALFORMED_RESPONSE, "%s is not JSON", s->what);
    return false;
}

/* Notes the first string that is not UTF-8; the pass goes on, as a grammar error later in the
 * text is the one to report. */
static void not_utf8(struct pass *s, const char *at, bool key)
{
    if (s->utf8_bad)
        return;
    s->utf8_bad = true;
    struct cdr_buf path;
    cdr_buf_init(&path);
    put_path(&path, s->doc, s->top);
    cdr_error_set(s->err, CDR_ERR_MALFORMED_RESPONSE,
                  "%s%s is not valid UTF-8 (byte 0x%02x at offset %zu)",
                  path.len && !path.failed ? path.data : s->what, key ? ": a member name" : "",
                  (unsigned char)*at, (size_t)(at - s->doc->text));
    cdr_buf_free(&path);
}

/* The bytes a string holds as they are: ASCII but NUL (noted), the quote (0x22) and the backslash
 * (0x5C). */
// clang-format off
static const bool plain[256] = {
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
// clang-format on

/* How many of the eight bytes at p are plain before the first that is not (NUL, a quote, a
 * backslash or above 0x7F): 8 when all are. The exact test for a zero byte in a word, on the word
 * and on its XORs with the quote and the backslash; its lowest flagged byte is the first such
 * byte (a borrow only flags bytes above a zero one). */
static unsigned plain_bytes(const char *p)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t x;
    memcpy(&x, p, sizeof(x));
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
    x = __builtin_bswap64(x); /* the first byte lowest */
#endif
    uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');
    uint64_t zero =
        ((x - ones) & ~x) | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash);
    uint64_t stop = (zero | x) & highs;
    return stop ? (unsigned)__builtin_ctzll(stop) / 8 : 8;
}

/* The escapes JSON has besides \\u. */
static bool simple_escape(char c)
{
    switch (c) {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
        return true;
    default:
        return false;
    }
}

static bool pass_string(struct pass *s, bool key)
{
    if (s->p >= s->end || *s->p != '"')
        return not_json(s);
    const char *start = ++s->p;
    size_t t = new_token(s, CDR__JSTRING, start);
    if (t == SIZE_MAX)
        return false;
    bool escaped = false, nul = false, raw_nul = false;
    const char *p = start, *end = s->end;
    for (;;) {
        /* Plain ASCII, the bulk of any answer, needs no check beyond its range: eight bytes
         * at a time, and a table lookup a byte for the last few of the text. */
        unsigned run = 8;
        while (run == 8 && end - p >= 8)
            p += run = plain_bytes(p);
        if (run == 8)
            while (p < end && plain[(unsigned char)*p])
                p++;
        if (p >= end)
            return not_json(s);
        if (*p == '"')
            break;
        if (*p == '\0') {
            raw_nul = true;
            p++;
            continue;
        }
        if (*p == '\\') {
            escaped = true;
            if (end - p < 2)
                return not_json(s);
            char c = p[1];
            if (c == 'u') {
                size_t n;
                long cp = unicode_escape(p, end, &n);
                if (cp < 0)
                    return not_json(s);
                nul = nul || cp == 0;
                p += n;
            } else if (simple_escape(c)) {
                p += 2;
            } else {
                return not_json(s);
            }
            continue;
        }
        size_t n = utf8_sequence((const unsigned char *)p, (const unsigned char *)end);
        if (n == 0) {
            not_utf8(s, p, key);
            n = 1;
        }
        p += n;
    }
    struct cdr__jtok *tok = &s->doc->tok[t];
    tok->len = (uint32_t)(p - start);
    tok->end = (uint32_t)t + 1;
    tok->escaped = escaped;
    tok->nul = nul;
    tok->raw_nul = raw_nul;
    s->p = p + 1;
    return true;
}

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

/* How much of text[0..n) strtod reads as a decimal number (the sign is one '-' or none). */
static size_t decimal_prefix(const char *text, size_t n)
{
    size_t i = text[0] == '-';
    size_t int_digits = 0, frac_digits = 0;
    while (i < n && digit(text[i]))
        i++, int_digits++;
    size_t after = i;
    if (i < n && text[i] == '.') {
        size_t j = i + 1;
        while (j < n && digit(text[j]))
            j++, frac_digits++;
        if (int_digits || frac_digits)
            after = j;
    }
    if (!int_digits && !frac_digits)
        return 0;
    if (after < n && (text[after] == 'e' || text[after] == 'E')) {
        size_t j = after + 1;
        if (j < n && (text[j] == '+' || text[j] == '-'))
            j++;
        size_t exp_digits = 0;
        while (j < n && digit(text[j]))
            j++, exp_digits++;
        if (exp_digits)
            after = j;
    }
    return after;
}

static bool number_byte(char c)
{
    return digit(c) || c == '+' || c == '-' || c == 'e' || c == 'E' || c == '.';
}

static bool pass_number(struct pass *s)
{
    size_t run = 0;
    while (s->p + run < s->end && number_byte(s->p[run]))
        run++;
    /* cJSON hands strtod the run's first 63 bytes and goes on after what strtod read: whatever
     * is left of the run can follow no value, so the whole run must be the number. */
    if (run > NUMBER_TEXT_LIMIT || decimal_prefix(s->p, run) != run)
        return not_json(s);
    size_t t = new_token(s, CDR__JNUMBER, s->p);
    if (t == SIZE_MAX)
        return false;
    s->doc->tok[t].len = (uint32_t)run;
    s->doc->tok[t].end = (uint32_t)t + 1;
    s->p += run;
    return true;
}

static bool pass_value(struct pass *s);

static bool pass_container(struct pass *s, bool object)
{
    if (s->depth >= NESTING_LIMIT)
        return not_json(s);
    size_t t = new_token(s, object ? CDR__JOBJECT : CDR__JARRAY, s->p);
    if (t == SIZE_MAX)
        return false;
    s->depth++;
    s->p++;
    skip_space(s);
    char close = object ? '}' : ']';
    size_t count = 0;
    if (s->p < s->end && *s->p == close) {
        s->p++;
    } else {
        for (;;) {
            skip_space(s);
            struct frame here = {s->top, 0, count};
            if (object) {
                here.name = s->doc->count;
                if (!pass_string(s, true))
                    return false;
                skip_space(s);
                if (s->p >= s->end || *s->p != ':')
                    return not_json(s);
                s->p++;
                skip_space(s);
            }
            s->top = &here;
            bool ok = pass_value(s);
            s->top = here.up;
            if (!ok)
                return false;
            count++;
            skip_space(s);
            if (s->p < s->end && *s->p == ',') {
                s->p++;
                continue;
            }
            if (s->p >= s->end || *s->p != close)
                return not_json(s);
            s->p++;
            break;
        }
    }
    s->depth--;
    s->doc->tok[t].count = (uint32_t)count;
    s->doc->tok[t].end = (uint32_t)s->doc->count;
    return true;
}

static bool word(struct pass *s, const char *w, size_t n, enum cdr__jtype type)
{
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n) != 0)
        return false;
    size_t t = new_token(s, type, s->p);
    if (t == SIZE_MAX)
        return false;
    s->doc->tok[t].end = (uint32_t)t + 1;
    s->p += n;
    return true;
}

static bool pass_value(struct pass *s)
{
    if (s->p >= s->end)
        return not_json(s);
    switch (*s->p) {
    case 'n':
        return word(s, "null", 4, CDR__JNULL) || not_json(s);
    case 'f':
        return word(s, "false", 5, CDR__JFALSE) || not_json(s);
    case 't':
        return word(s, "true", 4, CDR__JTRUE) || not_json(s);
    case '"':
        return pass_string(s, false);
    case '[':
        return pass_container(s, false);
    case '{':
        return pass_container(s, true);
    default:
        if (*s->p == '-' || digit(*s->p))
            return pass_number(s);
        return not_json(s);
    }
}

cdr_error cdr__jdoc_parse(struct cdr__jdoc *doc, const char *text, size_t len, const char *what,
                          struct cdr_error_info *err)
{
    memset(doc, 0, sizeof(*doc));
    doc->text = text;
    struct pass s = {doc, text, text + len, NULL, what, err, false, false, 0};
    if (!text || len == 0)
        return not_json(&s), CDR_ERR_MALFORMED_RESPONSE;
    if (len > INT_MAX) { /* token offsets and a string's length in cJSON's valueint */
        cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "%s is too long (%zu bytes) to read", what,
                      len);
        return CDR_ERR_MALFORMED_RESPONSE;
    }
    /* Room for the tokens a page of records has (a token every dozen bytes or so), so that the
     * array seldom moves; an answer that has more grows it. */
    size_t guess = len / 12 + 16;
    doc->cap = guess < TOKEN_GUESS_LIMIT ? guess : TOKEN_GUESS_LIMIT;
    if (!(doc->tok = malloc(doc->cap * sizeof(*doc->tok)))) {
        doc->cap = 0;
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    }
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        s.p += 3; /* cJSON skips a byte order mark too */
    skip_space(&s);
    bool ok = pass_value(&s);
    /* What may follow the value: cdr__json_parse_cjson's rule, a narrower one than cJSON's
     * whitespace between tokens. */
    for (; ok && s.p < s.end; s.p++)
        if (*s.p != ' ' && *s.p != '\t' && *s.p != '\r' && *s.p != '\n')
            ok = not_json(&s);
    if (ok && !s.utf8_bad)
        return CDR_OK;
    cdr_error rc = CDR_ERR_MALFORMED_RESPONSE;
    if (s.no_memory)
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    cdr__jdoc_free(doc);
    return rc;
}

void cdr__jdoc_free(struct cdr__jdoc *doc)
{
    free(doc->tok);
    doc->tok = NULL;
    doc->count = doc->cap = 0;
}
