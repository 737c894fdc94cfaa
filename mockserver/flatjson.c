#include "flatjson.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "json_read.h"

size_t mock_flat_object(const char *text, size_t len, mock_flat_member_fn *each, void *ctx)
{
    struct mock_json_reader r = mock_json_reader(text, len, MOCK_JSON_PLAIN);
    if (r.p == r.end || *r.p++ != '{')
        return 0;
    if (r.p < r.end && *r.p == '}')
        return 2;
    for (;;) {
        struct mock_flat_member m = {.integer = 0};
        struct mock_json_text key, value;
        bool integer = true;
        if (!mock_json_string(&r, &key, NULL) || r.p == r.end || *r.p++ != ':')
            return 0;
        m.key = key.text;
        m.key_len = key.len;
        m.is_string = r.p < r.end && *r.p == '"';
        const char *start = r.p;
        if (m.is_string ? !mock_json_string(&r, &value, NULL)
                        : !mock_json_number(&r, &integer, &m.integer))
            return 0;
        if (!m.is_string)
            value = (struct mock_json_text){start, (size_t)(r.p - start)};
        m.text = value.text;
        m.len = value.len;
        /* only plain strings and integers: what cJSON prints back the same */
        if (!r.canonical || !integer || r.p == r.end || !each(ctx, &m))
            return 0;
        char c = *r.p++;
        if (c == '}')
            return (size_t)(r.p - text);
        if (c != ',')
            return 0;
    }
}

/* Past whitespace (the file's own, around its elements). */
static const char *skip_space(const char *p, const char *end)
{
    struct mock_json_reader r = mock_json_reader(p, (size_t)(end - p), MOCK_JSON_PLAIN);
    mock_json_space(&r);
    return r.p;
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
    struct mock_file_text file;
    if (!mock_file_load(path, &file, err, err_len))
        return MOCK_FLAT_UNREADABLE;
    enum mock_flat_result result = MOCK_FLAT_UNREADABLE;
    const char *end = file.text + file.len, *p = skip_space(file.text, end);
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
    mock_file_release(&file);
    return result;
}
