#include "flatjson.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"

/* Whether any of 8 bytes is '"', '\\' or a control character (below 0x20): the bytes a plain
 * string ends or stops at, tested a word at a time (bytes of 0x80 and up never match). */
static bool word_may_stop(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
    uint64_t any =
        ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) | (w - ones * 0x20);
    return (any & ~w & highs) != 0;
}

/* A string from its opening quote: its end (after the closing quote), NULL when it holds an
 * escape or a control character (cJSON would print those differently) or is not closed. */
static const char *plain_string(const char *p, const char *end)
{
    p++;
    while (end - p >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        if (word_may_stop(w))
            break;
        p += 8;
    }
    for (; p < end; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"')
            return p + 1;
        if (c == '\\' || c < 0x20)
            return NULL;
    }
    return NULL;
}

/* An integer cJSON prints back the same: no leading zero, not -0, at most 15 digits (beyond,
 * a double loses digits or prints with an exponent). Its end, or NULL. */
static const char *plain_integer(const char *p, const char *end, int64_t *value)
{
    bool negative = *p == '-';
    const char *digits = p + negative;
    int64_t v = 0;
    const char *q = digits;
    while (q < end && *q >= '0' && *q <= '9' && q - digits < 16)
        v = v * 10 + (*q++ - '0');
    size_t n = (size_t)(q - digits);
    if (n == 0 || n > 15 || (*digits == '0' && (n > 1 || negative)))
        return NULL;
    if (q < end && (*q == '.' || *q == 'e' || *q == 'E' || (*q >= '0' && *q <= '9')))
        return NULL;
    *value = negative ? -v : v;
    return q;
}

size_t mock_flat_object(const char *text, size_t len, mock_flat_member_fn *each, void *ctx)
{
    const char *p = text, *end = text + len;
    if (p == end || *p++ != '{')
        return 0;
    if (p < end && *p == '}')
        return 2;
    for (;;) {
        struct mock_flat_member m;
        const char *key_end = p < end && *p == '"' ? plain_string(p, end) : NULL;
        if (!key_end || key_end == end || *key_end != ':')
            return 0;
        m.key = p + 1;
        m.key_len = (size_t)(key_end - p - 2);
        p = key_end + 1;
        const char *value_end;
        if (p < end && *p == '"') {
            value_end = plain_string(p, end);
            m.is_string = true;
            m.text = p + 1;
            m.len = value_end ? (size_t)(value_end - p - 2) : 0;
            m.integer = 0;
        } else {
            value_end = p < end ? plain_integer(p, end, &m.integer) : NULL;
            m.is_string = false;
            m.text = p;
            m.len = value_end ? (size_t)(value_end - p) : 0;
        }
        if (!value_end || value_end == end || !each(ctx, &m))
            return 0;
        p = value_end + 1;
        if (*value_end == '}')
            return (size_t)(p - text);
        if (*value_end != ',')
            return 0;
    }
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *skip_space(const char *p, const char *end)
{
    while (p < end && is_space(*p))
        p++;
    return p;
}

/* One element at p: read flat by the reader, or parsed whole. Its end, or NULL with *result set. */
static const char *element(const struct mock_flat_reader *reader, const char *p, const char *end,
                           enum mock_flat_result *result, char *err, size_t err_len)
{
    size_t used = 0;
    if (*p == '{' && !reader->text(reader->user, p, (size_t)(end - p), &used, err, err_len)) {
        *result = MOCK_FLAT_FAILED;
        return NULL;
    }
    if (used)
        return p + used;
    const char *after = NULL;
    cJSON *item = cJSON_ParseWithLengthOpts(p, (size_t)(end - p), &after, false);
    if (!item) {
        *result = MOCK_FLAT_UNREADABLE;
        return NULL;
    }
    bool ok = reader->tree(reader->user, item, err, err_len);
    cJSON_Delete(item);
    if (!ok)
        *result = MOCK_FLAT_FAILED;
    return ok ? after : NULL;
}

enum mock_flat_result mock_flat_load_array(const char *dir, const char *name,
                                           const struct mock_flat_reader *reader, char *err,
                                           size_t err_len)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
        return MOCK_FLAT_UNREADABLE;
    size_t len;
    char *text = mock_read_file(path, &len, err, err_len);
    if (!text)
        return MOCK_FLAT_UNREADABLE;
    enum mock_flat_result result = MOCK_FLAT_UNREADABLE;
    const char *end = text + len, *p = skip_space(text, end);
    if (p < end && *p == '[') {
        p = skip_space(p + 1, end);
        if (p < end && *p == ']')
            result = MOCK_FLAT_LOADED;
        while (p && p < end && result != MOCK_FLAT_LOADED) {
            p = element(reader, p, end, &result, err, err_len);
            p = p ? skip_space(p, end) : NULL;
            if (p && p < end && *p == ',')
                p = skip_space(p + 1, end);
            else if (p && p < end && *p == ']')
                result = MOCK_FLAT_LOADED;
            else
                p = NULL; /* the parser's messages say what is wrong; result stays UNREADABLE */
        }
    }
    free(text);
    return result;
}
