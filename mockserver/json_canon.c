#include "json_canon.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 1000 /* cJSON's own nesting limit */

struct scan {
    const char *p, *end;
};

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The first byte at or after p that ends a run of plain string bytes: a quote, a backslash or a
 * control (or end). Eight bytes at a time: string content is most of a record's text. */
static const char *string_run(const char *p, const char *end)
{
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

/* A string with only the escapes cJSON writes itself: \" \\ \b \f \n \r \t (cJSON writes the
 * other controls as \u00xx, but a \u may also name any other character: left to cJSON). */
static bool string(struct scan *s)
{
    if (s->p >= s->end || *s->p != '"')
        return false;
    for (s->p++;;) {
        s->p = string_run(s->p, s->end);
        if (s->p >= s->end || (unsigned char)*s->p < 0x20)
            return false;
        if (*s->p == '"') {
            s->p++;
            return true;
        }
        if (++s->p >= s->end || !*s->p || !strchr("\"\\bfnrt", *s->p)) /* after a backslash */
            return false;
        s->p++;
    }
}

/* A number as cJSON prints the double it parses to: an integer of at most 15 digits (printed
 * digit for digit by %d or %1.15g), or a decimal fraction without exponent or trailing zero, of at
 * most 15 significant digits (which a double keeps exactly, so %1.15g gives them back) and not
 * below 1e-4 (where %g turns to an exponent). */
static bool number(struct scan *s)
{
    const char *p = s->p;
    if (p < s->end && *p == '-')
        p++;
    const char *int_start = p;
    while (p < s->end && digit(*p))
        p++;
    size_t int_digits = (size_t)(p - int_start);
    if (int_digits == 0 || (int_digits > 1 && *int_start == '0'))
        return false;
    bool zero = int_digits == 1 && *int_start == '0';
    if (p < s->end && (*p == 'e' || *p == 'E'))
        return false;
    if (p >= s->end || *p != '.') {
        if (zero && int_start != s->p) /* -0 prints as 0 */
            return false;
        s->p = p;
        return int_digits <= 15;
    }
    const char *frac = ++p;
    while (p < s->end && digit(*p))
        p++;
    size_t frac_digits = (size_t)(p - frac), leading = 0;
    if (frac_digits == 0 || p[-1] == '0' || (p < s->end && (*p == 'e' || *p == 'E')))
        return false;
    while (leading < frac_digits && frac[leading] == '0')
        leading++;
    size_t significant = zero ? frac_digits - leading : int_digits + frac_digits;
    if (significant > 15 || (zero && leading > 3))
        return false;
    s->p = p;
    return true;
}

static bool literal(struct scan *s, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
        return false;
    s->p += n;
    return true;
}

static bool value(struct scan *s, int depth);

/* An array or object (open is '[' or '{'), members separated by commas, no whitespace. */
static bool container(struct scan *s, int depth, char open)
{
    char close = open == '[' ? ']' : '}';
    if (depth >= MAX_DEPTH)
        return false;
    s->p++;
    if (s->p < s->end && *s->p == close) {
        s->p++;
        return true;
    }
    for (;;) {
        if (open == '{' && (!string(s) || s->p >= s->end || *s->p++ != ':'))
            return false;
        if (!value(s, depth + 1) || s->p >= s->end)
            return false;
        char c = *s->p++;
        if (c == close)
            return true;
        if (c != ',')
            return false;
    }
}

static bool value(struct scan *s, int depth)
{
    if (s->p >= s->end)
        return false;
    switch (*s->p) {
    case '{':
    case '[':
        return container(s, depth, *s->p);
    case '"':
        return string(s);
    case 't':
        return literal(s, "true");
    case 'f':
        return literal(s, "false");
    case 'n':
        return literal(s, "null");
    default:
        return number(s);
    }
}

size_t mock_json_canonical_len(const char *text, size_t len)
{
    struct scan s = {text, text + len};
    return value(&s, 0) ? (size_t)(s.p - text) : 0;
}

static const char *skip_space(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

bool mock_json_canonical_elements(const char *text, size_t len, struct mock_json_text **spans,
                                  size_t *count)
{
    const char *end = text + len, *p = skip_space(text, end);
    size_t n = 0, cap = 0;
    struct mock_json_text *list = NULL;
    bool ok = p < end && *p++ == '[', closed = false;
    p = skip_space(p, end);
    if (ok && p < end && *p == ']') {
        p++;
        closed = true;
    }
    while (ok && !closed) {
        size_t v = mock_json_canonical_len(p, (size_t)(end - p));
        if (v && n == cap) {
            cap = cap ? cap * 2 : 256;
            struct mock_json_text *grown = realloc(list, cap * sizeof(*grown));
            list = grown ? grown : list;
            ok = grown != NULL;
        }
        if (!(ok = ok && v > 0))
            break;
        list[n++] = (struct mock_json_text){p, v};
        p = skip_space(p + v, end);
        ok = p < end && (*p == ',' || *p == ']');
        closed = ok && *p == ']';
        p = ok ? skip_space(p + 1, end) : p;
    }
    /* cJSON ignores what follows the value; only whitespace here, to be sure of the same reading */
    if (!ok || skip_space(p, end) != end) {
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
        if (c == '"') {
            for (p = string_run(p + 1, end); *p != '"'; p = string_run(p + 2, end))
                ;
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
    struct scan s = {*at ? *at : obj.text + 1, obj.text + obj.len};
    if (s.p >= s.end || *s.p == '}' || obj.len < 2 || obj.text[0] != '{')
        return false;
    const char *key = s.p;
    s.p = skip_value(s.p, s.end);
    member->key = (struct mock_json_text){key + 1, (size_t)(s.p - key - 2)};
    bool last = stop && member->key.len == strlen(stop) &&
                memcmp(member->key.text, stop, member->key.len) == 0;
    const char *v = ++s.p; /* past the ':' */
    s.p = last ? s.end - 1 : skip_value(s.p, s.end);
    member->value = (struct mock_json_text){v, last ? 0 : (size_t)(s.p - v)};
    *at = s.p + (*s.p == ',');
    return true;
}
