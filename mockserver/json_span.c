#include "json_span.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 64, MAX_DIGITS = 15 };

static const char *compact_value(const char *p, const char *end, int depth);

/* A string without escapes or control characters: past its closing quote, or NULL. */
static const char *compact_string(const char *p, const char *end)
{
    if (p == end || *p != '"')
        return NULL;
    for (p++; p < end; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"')
            return p + 1;
        if (c < 0x20 || c == '\\')
            return NULL;
    }
    return NULL;
}

/* An integer as cJSON prints it back the same: past it, or NULL. 15 digits at most: cJSON prints
 * a number that is no C int with "%1.15g", which is exact up to there. */
static const char *compact_number(const char *p, const char *end)
{
    const char *start = p;
    if (p < end && *p == '-')
        p++;
    const char *digits = p;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    size_t n = (size_t)(p - digits);
    if (n == 0 || n > MAX_DIGITS || (digits[0] == '0' && n > 1) ||
        (digits[0] == '0' && digits != start)) /* leading zeros; -0 prints as 0 */
        return NULL;
    if (p < end && (*p == '.' || *p == 'e' || *p == 'E'))
        return NULL;
    return p;
}

static const char *literal(const char *p, const char *end, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(end - p) >= n && memcmp(p, word, n) == 0 ? p + n : NULL;
}

/* Members or items up to the closing bracket: past it, or NULL. */
static const char *compact_members(const char *p, const char *end, int depth, char close)
{
    if (p < end && *p == close)
        return p + 1;
    while (p) {
        if (close == '}') {
            p = compact_string(p, end);
            if (!p || p == end || *p++ != ':')
                return NULL;
        }
        p = compact_value(p, end, depth);
        if (!p || p == end)
            return NULL;
        if (*p == close)
            return p + 1;
        if (*p++ != ',')
            return NULL;
    }
    return NULL;
}

static const char *compact_value(const char *p, const char *end, int depth)
{
    if (p == end)
        return NULL;
    switch (*p) {
    case '{':
    case '[':
        return depth < MAX_DEPTH ? compact_members(p + 1, end, depth + 1, *p == '{' ? '}' : ']')
                                 : NULL;
    case '"':
        return compact_string(p, end);
    case 't':
        return literal(p, end, "true");
    case 'f':
        return literal(p, end, "false");
    case 'n':
        return literal(p, end, "null");
    default:
        return compact_number(p, end);
    }
}

static const char *skip_space(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

bool mock_json_compact_array(const char *text, size_t len, struct mock_json_span **elements,
                             size_t *count)
{
    const char *p = skip_space(text, text + len), *end = text + len;
    struct mock_json_span *spans = NULL;
    size_t n = 0, cap = 0;
    *elements = NULL;
    *count = 0;
    if (p == end || *p++ != '[')
        return false;
    p = skip_space(p, end);
    bool ok = true;
    if (p < end && *p == ']') {
        p++;
    } else {
        for (;;) {
            const char *after = compact_value(p, end, 1);
            if (!after || n == SIZE_MAX / sizeof(*spans) / 2) {
                ok = false;
                break;
            }
            if (n == cap) {
                cap = cap ? cap * 2 : 256;
                struct mock_json_span *grown = realloc(spans, cap * sizeof(*grown));
                if (!grown) {
                    ok = false;
                    break;
                }
                spans = grown;
            }
            spans[n++] = (struct mock_json_span){p, (size_t)(after - p)};
            p = skip_space(after, end);
            if (p < end && *p == ']') {
                p++;
                break;
            }
            if (p == end || *p++ != ',') {
                ok = false;
                break;
            }
            p = skip_space(p, end);
        }
    }
    if (!ok || skip_space(p, end) != end) {
        free(spans);
        return false;
    }
    *elements = spans;
    *count = n;
    return true;
}

/* Past a value already found compact: strings hold no escapes, so brackets and quotes suffice. */
static const char *skip_value(const char *p, const char *end)
{
    int depth = 0;
    do {
        if (*p == '"') {
            p = memchr(p + 1, '"', (size_t)(end - p - 1)) + 1;
            continue;
        }
        if (*p == '{' || *p == '[')
            depth++;
        else if (*p == '}' || *p == ']')
            depth--;
        else if (depth == 0) { /* a number or a literal */
            while (p < end && *p != ',' && *p != '}' && *p != ']')
                p++;
            return p;
        }
        p++;
    } while (depth > 0 && p < end);
    return p;
}

size_t mock_json_members(struct mock_json_span object, const char *const *keys, size_t n,
                         struct mock_json_span *values)
{
    const char *p = object.at, *end = object.at + object.len;
    size_t found = 0;
    for (size_t k = 0; k < n; k++)
        values[k] = (struct mock_json_span){NULL, 0};
    if (object.len < 2 || *p != '{' || p[1] == '}')
        return 0;
    for (p++; p < end && *p == '"' && found < n;) {
        const char *name = p + 1, *close = memchr(name, '"', (size_t)(end - name));
        if (!close || close + 1 >= end)
            break;
        const char *v = close + 2; /* past ':' */
        const char *after = skip_value(v, end);
        size_t len = (size_t)(close - name);
        for (size_t k = 0; k < n; k++)
            if (!values[k].at && strncmp(keys[k], name, len) == 0 && keys[k][len] == '\0') {
                values[k] = (struct mock_json_span){v, (size_t)(after - v)};
                found++;
                break;
            }
        if (after >= end || *after != ',')
            break;
        p = after + 1;
    }
    return found;
}

bool mock_json_member(struct mock_json_span object, const char *key, struct mock_json_span *value)
{
    return mock_json_members(object, &key, 1, value) == 1;
}

enum mock_jv_result mock_json_span_int(struct mock_json_span value, int64_t *out)
{
    const char *p = value.at, *end = value.at + value.len;
    if (value.len == 4 && memcmp(p, "null", 4) == 0)
        return MOCK_JV_ABSENT;
    bool negative = p < end && *p == '-';
    p += negative;
    if (p == end || *p < '0' || *p > '9')
        return MOCK_JV_WRONG_TYPE;
    int64_t v = 0;
    for (; p < end; p++)
        v = v * 10 + (*p - '0'); /* 15 digits at most: no overflow */
    *out = negative ? -v : v;
    return MOCK_JV_OK;
}

enum mock_jv_result mock_json_span_string(struct mock_json_span value, struct mock_json_span *text)
{
    if (value.len == 4 && memcmp(value.at, "null", 4) == 0)
        return MOCK_JV_ABSENT;
    if (value.len < 2 || value.at[0] != '"')
        return MOCK_JV_WRONG_TYPE;
    *text = (struct mock_json_span){value.at + 1, value.len - 2};
    return MOCK_JV_OK;
}
