#include "json_read.h"

#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool hex(char c)
{
    return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The first byte at or after p that ends a run of plain string bytes: a quote, a backslash or a
 * control (or end). Eight bytes at a time: string content is most of a record's text. */
static inline const char *string_run(const char *p, const char *end)
{
#if defined(__SSE2__)
    /* Sixteen bytes at a time where SSE2 is there (every x86-64): three compares and a mask. */
    const __m128i quotes = _mm_set1_epi8('"'), slashes = _mm_set1_epi8('\\');
    const __m128i control_max = _mm_set1_epi8(0x1f);
    while (end - p >= 16) {
        __m128i w = _mm_loadu_si128((const __m128i *)(const void *)p);
        /* unsigned w <= 0x1f exactly when max(w, 0x1f) is 0x1f */
        __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(w, control_max), control_max);
        __m128i hit = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(w, quotes), _mm_cmpeq_epi8(w, slashes)), control);
        int mask = _mm_movemask_epi8(hit);
        if (mask)
            return p + __builtin_ctz((unsigned)mask);
        p += 16;
    }
#endif
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    while (end - p >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        uint64_t quote = w ^ (ones * '"'), slash = w ^ (ones * '\\');
        /* a byte that is zero, or below 0x20: flagged exactly from the first such byte on */
        uint64_t hit =
            (((quote - ones) & ~quote) | ((slash - ones) & ~slash) | ((w - ones * 0x20) & ~w)) &
            highs;
        if (hit)
            return p + __builtin_ctzll(hit) / 8;
        p += 8;
    }
#endif
    while (p < end && (unsigned char)*p >= 0x20 && *p != '"' && *p != '\\')
        p++;
    return p;
}

void mock_json_space(struct mock_json_reader *r)
{
    const char *from = r->p;
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
    r->canonical = r->canonical && r->p == from;
}

/* Whitespace is rare in the texts read: one compare when there is none. */
static void space(struct mock_json_reader *r)
{
    if (r->p < r->end && (unsigned char)*r->p <= ' ')
        mock_json_space(r);
}

/* mock_json_string's body, inlined where the reader only steps over strings (chars and escaped
 * NULL): most of a record's tokens are strings, and the call was a third of their cost. */
static inline __attribute__((always_inline)) bool
string_at(struct mock_json_reader *r, struct mock_json_text *chars, bool *escaped)
{
    const char *p = r->p, *end = r->end;
    bool any = false;
    if (p >= end || *p != '"')
        return false;
    for (p++;;) {
        p = string_run(p, end);
        if (p >= end || (unsigned char)*p < 0x20)
            return false;
        if (*p == '"')
            break;
        any = true;
        char e = end - p >= 2 ? p[1] : '\0';
        if (e == 'u') { /* cJSON writes only controls as \u00xx, and those not always: rewritten */
            if (end - p < 6 || !hex(p[2]) || !hex(p[3]) || !hex(p[4]) || !hex(p[5]))
                return false;
            r->canonical = false;
            p += 6;
        } else if (e == '/') { /* cJSON writes a plain slash */
            r->canonical = false;
            p += 2;
        } else if (e && strchr("\"\\bfnrt", e)) {
            r->canonical = r->canonical && (r->form & MOCK_JSON_ESCAPES);
            p += 2;
        } else {
            return false;
        }
    }
    if (chars)
        *chars = (struct mock_json_text){r->p + 1, (size_t)(p - r->p - 1)};
    if (escaped)
        *escaped = any;
    r->p = p + 1;
    return true;
}

bool mock_json_string(struct mock_json_reader *r, struct mock_json_text *chars, bool *escaped)
{
    return string_at(r, chars, escaped);
}

/* Whether a fraction int_part.frac (no exponent) prints back the same from the double it parses
 * to: without trailing zero, of at most 15 significant digits (which a double keeps exactly, so
 * %1.15g gives them back) and not below 1e-4 (where %g turns to an exponent). */
static bool printed_fraction(size_t int_digits, bool zero, const char *frac, size_t frac_digits)
{
    size_t leading = 0;
    if (frac[frac_digits - 1] == '0')
        return false;
    while (leading < frac_digits && frac[leading] == '0')
        leading++;
    size_t significant = zero ? frac_digits - leading : int_digits + frac_digits;
    return significant <= 15 && !(zero && leading > 3);
}

bool mock_json_number(struct mock_json_reader *r, bool *integer, int64_t *value)
{
    const char *p = r->p, *end = r->end;
    bool negative = p < end && *p == '-';
    p += negative;
    const char *digits = p;
    while (p < end && digit(*p))
        p++;
    size_t int_digits = (size_t)(p - digits), frac_digits = 0;
    if (int_digits == 0 || (int_digits > 1 && *digits == '0')) /* JSON has no leading zeros */
        return false;
    bool zero = int_digits == 1 && *digits == '0';
    const char *frac = NULL;
    if (p < end && *p == '.') {
        frac = ++p;
        while (p < end && digit(*p))
            p++;
        if ((frac_digits = (size_t)(p - frac)) == 0)
            return false;
    }
    bool exponent = p < end && (*p == 'e' || *p == 'E');
    if (exponent) {
        p += 1 + (p + 1 < end && (p[1] == '+' || p[1] == '-'));
        if (p >= end || !digit(*p))
            return false;
        while (p < end && digit(*p))
            p++;
    }
    /* printed digit for digit by %d or %1.15g; -0 prints as 0 */
    *integer = !frac && !exponent && int_digits <= 15 && !(zero && negative);
    bool printed = *integer || (frac && !exponent && (r->form & MOCK_JSON_FRACTIONS) &&
                                printed_fraction(int_digits, zero, frac, frac_digits));
    if (*integer && value) {
        int64_t v = 0;
        for (const char *d = digits; d < digits + int_digits; d++)
            v = v * 10 + (*d - '0');
        *value = negative ? -v : v;
    }
    r->canonical = r->canonical && printed;
    r->p = p;
    return true;
}

static bool literal(struct mock_json_reader *r, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
        return false;
    r->p += n;
    return true;
}

/* An array or object at r->p: members separated by commas. */
static bool container(struct mock_json_reader *r, int depth)
{
    char close = *r->p == '{' ? '}' : ']';
    if (depth >= MOCK_JSON_MAX_DEPTH)
        return false;
    r->p++;
    space(r);
    if (r->p < r->end && *r->p == close) {
        r->p++;
        return true;
    }
    for (;;) {
        if (close == '}') {
            if (!string_at(r, NULL, NULL))
                return false;
            space(r);
            if (r->p >= r->end || *r->p++ != ':')
                return false;
            space(r);
        }
        bool string = r->p < r->end && *r->p == '"'; /* the most frequent value: one call less */
        if (!(string ? string_at(r, NULL, NULL) : mock_json_value(r, depth + 1)))
            return false;
        space(r);
        if (r->p >= r->end)
            return false;
        char c = *r->p++;
        if (c == close)
            return true;
        if (c != ',')
            return false;
        space(r);
    }
}

bool mock_json_value(struct mock_json_reader *r, int depth)
{
    if (r->p >= r->end)
        return false;
    switch (*r->p) {
    case '{':
    case '[':
        return container(r, depth);
    case '"':
        return mock_json_string(r, NULL, NULL);
    case 't':
        return literal(r, "true");
    case 'f':
        return literal(r, "false");
    case 'n':
        return literal(r, "null");
    default: {
        bool integer;
        return mock_json_number(r, &integer, NULL);
    }
    }
}

size_t mock_json_canonical_len(const char *text, size_t len, unsigned form)
{
    struct mock_json_reader r = mock_json_reader(text, len, form);
    return mock_json_value(&r, 0) && r.canonical ? (size_t)(r.p - text) : 0;
}

bool mock_json_canonical_elements(const char *text, size_t len, unsigned form,
                                  struct mock_json_text **spans, size_t *count)
{
    struct mock_json_reader r = mock_json_reader(text, len, form);
    size_t n = 0, cap = 0;
    struct mock_json_text *list = NULL;
    *spans = NULL;
    *count = 0;
    mock_json_space(&r);
    bool ok = r.p < r.end && *r.p++ == '[', closed = false;
    mock_json_space(&r);
    if (ok && r.p < r.end && *r.p == ']') {
        r.p++;
        closed = true;
    }
    while (ok && !closed) {
        const char *start = r.p;
        r.canonical = true; /* whitespace between elements is the file's, not theirs */
        if (!(ok = mock_json_value(&r, 0) && r.canonical))
            break;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            struct mock_json_text *grown =
                cap < SIZE_MAX / sizeof(*grown) ? realloc(list, cap * sizeof(*grown)) : NULL;
            if (!(ok = grown != NULL))
                break;
            list = grown;
        }
        list[n++] = (struct mock_json_text){start, (size_t)(r.p - start)};
        mock_json_space(&r);
        ok = r.p < r.end && (*r.p == ',' || *r.p == ']');
        closed = ok && *r.p++ == ']';
        mock_json_space(&r);
    }
    /* cJSON ignores what follows the value; only whitespace here, to be sure of the same reading */
    mock_json_space(&r);
    if (!ok || r.p != r.end) {
        free(list);
        return false;
    }
    *spans = list;
    *count = n;
    return true;
}

/* The end of the value at p, in text already checked canonical: strings and nesting only. */
static const char *skip_value(const char *p, const char *end)
{
    int depth = 0;
    do {
        char c = *p;
        if (c == '"') { /* to a quote after an even number of backslashes */
            const char *slash;
            do {
                p = memchr(p + 1, '"', (size_t)(end - p - 1));
                for (slash = p; slash[-1] == '\\'; slash--)
                    ;
            } while ((p - slash) % 2);
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            depth--;
        } else if (depth == 0) { /* a number or literal: up to the next separator */
            while (p + 1 < end && p[1] != ',' && p[1] != '}' && p[1] != ']')
                p++;
        }
        p++;
    } while (depth > 0 && p < end);
    return p;
}

bool mock_json_next_member(struct mock_json_text obj, const char **at, const char *stop,
                           struct mock_json_member *member)
{
    const char *p = *at ? *at : obj.text + 1, *end = obj.text + obj.len;
    if (p >= end || *p == '}' || obj.len < 2 || obj.text[0] != '{')
        return false;
    const char *key = p;
    p = skip_value(p, end);
    member->key = (struct mock_json_text){key + 1, (size_t)(p - key - 2)};
    bool last = stop && mock_json_key_is(member, stop);
    const char *v = ++p; /* past the ':' */
    p = last ? end - 1 : skip_value(p, end);
    member->value = (struct mock_json_text){v, last ? 0 : (size_t)(p - v)};
    *at = p + (*p == ',');
    return true;
}

size_t mock_json_members(struct mock_json_text obj, const char *const *keys, size_t n,
                         struct mock_json_text *values)
{
    const char *at = NULL;
    struct mock_json_member m;
    size_t found = 0;
    for (size_t k = 0; k < n; k++)
        values[k] = (struct mock_json_text){NULL, 0};
    while (found < n && mock_json_next_member(obj, &at, NULL, &m))
        for (size_t k = 0; k < n; k++)
            if (!values[k].text && mock_json_key_is(&m, keys[k])) {
                values[k] = m.value;
                found++;
                break;
            }
    return found;
}

static bool is_null(struct mock_json_text value)
{
    return value.len == 4 && memcmp(value.text, "null", 4) == 0;
}

enum mock_jv_result mock_json_text_int(struct mock_json_text value, int64_t *out)
{
    const char *p = value.text, *end = value.text + value.len;
    if (is_null(value))
        return MOCK_JV_ABSENT;
    bool negative = p < end && *p == '-';
    p += negative;
    if (p == end)
        return MOCK_JV_WRONG_TYPE;
    int64_t v = 0;
    for (; p < end; p++) {
        if (!digit(*p))
            return MOCK_JV_WRONG_TYPE; /* a fraction, a string... */
        v = v * 10 + (*p - '0');       /* canonical: 15 digits at most, no overflow */
    }
    *out = negative ? -v : v;
    return MOCK_JV_OK;
}

enum mock_jv_result mock_json_text_string(struct mock_json_text value, struct mock_json_text *chars)
{
    if (is_null(value))
        return MOCK_JV_ABSENT;
    if (value.len < 2 || value.text[0] != '"')
        return MOCK_JV_WRONG_TYPE;
    *chars = (struct mock_json_text){value.text + 1, value.len - 2};
    return MOCK_JV_OK;
}
