/* Alibaba Cloud signature V2 and V3: the canonical query string (RFC 3986-encoded, sorted pairs),
 * the strings to sign and the signatures the client sends. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "cdrsim/sign.h"
#include "internal.h"

/* ---- the canonical query string -------------------------------------------------------------- */

struct encoded_param {
    const char *raw_name; /* what sorts */
    const char *raw_value;
    char *name; /* what is written */
    char *value;
    size_t name_len;
    size_t value_len;
};

/* Decodes one UTF-8 sequence at *s and moves past it; a byte that starts no valid sequence counts
 * as the code point of its own value. */
static uint32_t decode_utf8(const unsigned char **s)
{
    const unsigned char *p = *s;
    int extra = p[0] >= 0xF0 && p[0] < 0xF8 ? 3 : p[0] >= 0xE0 ? 2 : p[0] >= 0xC0 ? 1 : 0;
    if (p[0] >= 0xF8 || (p[0] >= 0x80 && p[0] < 0xC0))
        extra = -1;
    uint32_t cp = extra == 3   ? p[0] & 0x07u
                  : extra == 2 ? p[0] & 0x0Fu
                  : extra == 1 ? p[0] & 0x1Fu
                               : p[0];
    for (int i = 1; i <= extra; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            extra = -1;
            break;
        }
        cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    if (extra < 0) {
        *s = p + 1;
        return p[0];
    }
    *s = p + extra + 1;
    return cp;
}

/* Compares two UTF-8 strings in UTF-16 code unit order, JavaScript's default sort: what the
 * official Node SDKs apply to the raw parameter names before encoding them. A code point above
 * U+FFFF sorts by its high surrogate (0xD800..0xDBFF), so below U+E000..U+FFFF. */
static int js_order(const char *lhs, const char *rhs)
{
    const unsigned char *a = (const unsigned char *)lhs, *b = (const unsigned char *)rhs;
    while (*a && *b) {
        uint32_t x = decode_utf8(&a), y = decode_utf8(&b);
        uint32_t ux = x > 0xFFFF ? 0xD800 + ((x - 0x10000) >> 10) : x;
        uint32_t uy = y > 0xFFFF ? 0xD800 + ((y - 0x10000) >> 10) : y;
        if (ux != uy)
            return ux < uy ? -1 : 1;
        if (x != y)
            return x < y ? -1 : 1;
    }
    return *a ? 1 : *b ? -1 : 0;
}

static int compare_params(const void *lhs, const void *rhs)
{
    const struct encoded_param *a = lhs;
    const struct encoded_param *b = rhs;
    int c = js_order(a->raw_name, b->raw_name);
    return c != 0 ? c : js_order(a->raw_value, b->raw_value);
}

static void free_encoded(struct encoded_param *enc, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(enc[i].name);
        free(enc[i].value);
    }
    free(enc);
}

/* a + b, or SIZE_MAX as an overflow marker (no real buffer reaches it). */
static size_t add_size(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

char *cdr_canonical_query(const struct cdr_param *params, size_t n)
{
    if (n == 0)
        return calloc(1, 1);
    if (params == NULL)
        return NULL;

    /* Sorted by the raw names, as the vendor's pages describe and its SDKs do (pop-core and
     * openapi-util: Object.keys(params).sort(), then encode), encoded once sorted. */
    struct encoded_param *enc = calloc(n, sizeof *enc);
    if (enc == NULL)
        return NULL;

    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = params[i].name;
        const char *value = params[i].value != NULL ? params[i].value : "";
        if (name == NULL)
            goto fail;
        enc[i].raw_name = name;
        enc[i].raw_value = value;
        enc[i].name = cdr_percent_encode(name, strlen(name));
        enc[i].value = cdr_percent_encode(value, strlen(value));
        if (enc[i].name == NULL || enc[i].value == NULL)
            goto fail;
        enc[i].name_len = strlen(enc[i].name);
        enc[i].value_len = strlen(enc[i].value);
        /* "name=value" plus a separator ('&', or the final NUL). */
        total = add_size(total, enc[i].name_len);
        total = add_size(total, enc[i].value_len);
        total = add_size(total, 2);
    }
    if (total == SIZE_MAX)
        goto fail;

    qsort(enc, n, sizeof *enc, compare_params);

    char *out = malloc(total);
    if (out == NULL)
        goto fail;
    char *p = out;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            *p++ = '&';
        memcpy(p, enc[i].name, enc[i].name_len);
        p += enc[i].name_len;
        *p++ = '=';
        memcpy(p, enc[i].value, enc[i].value_len);
        p += enc[i].value_len;
    }
    *p = '\0';
    free_encoded(enc, n);
    return out;

fail:
    free_encoded(enc, n);
    return NULL;
}

/* ---- V2 -------------------------------------------------------------------------------------- */

char *cdr_aliyun_v2_string_to_sign(const char *method, const struct cdr_param *params, size_t n)
{
    if (!method || (!params && n))
        return NULL;
    /* Step 1 of the scheme: everything but the signature itself. */
    struct cdr_param *kept = malloc((n ? n : 1) * sizeof(*kept));
    if (!kept)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!params[i].name || strcmp(params[i].name, "Signature") != 0)
            kept[k++] = params[i];
    char *query = cdr_canonical_query(kept, k);
    free(kept);
    char *encoded = query ? cdr_percent_encode(query, strlen(query)) : NULL;
    free(query);
    if (!encoded)
        return NULL;
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "%s&%%2F&%s", method, encoded);
    free(encoded);
    return cdr_buf_steal(&b);
}

char *cdr_aliyun_v2_signature(const char *access_key_secret, const char *string_to_sign)
{
    if (!access_key_secret || !string_to_sign)
        return NULL;
    struct cdr_buf key;
    cdr_buf_init(&key);
    cdr_buf_printf(&key, "%s&", access_key_secret);
    if (key.failed) {
        cdr_buf_free(&key);
        return NULL;
    }
    unsigned char mac[CDR_SHA1_LEN];
    cdr_hmac_sha1(key.data, key.len, string_to_sign, strlen(string_to_sign), mac);
    cdr_buf_free(&key);
    return cdr_base64_encode(mac, sizeof(mac));
}

/* ---- V3 -------------------------------------------------------------------------------------- */

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *lower_copy(const char *s, size_t len)
{
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i++)
        out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
    out[len] = '\0';
    return out;
}

static void free_strings(char **items, size_t n)
{
    for (size_t i = 0; items && i < n; i++)
        free(items[i]);
    free(items);
}

/* Adds the names of a ';'-separated list, lower-cased. */
static bool add_names(char **names, size_t *n, const char *list)
{
    for (const char *p = list;;) {
        size_t len = strcspn(p, ";");
        /* Spaces around a name are not part of it. */
        const char *s = p, *e = p + len;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (e > s && !(names[(*n)++] = lower_copy(s, (size_t)(e - s))))
            return false;
        if (!p[len])
            return true;
        p += len + 1;
    }
}

/* The names to sign, lower-cased, sorted, unique: from the list, or every header when it is
 * NULL. */
static char **signed_names(const char *list, const struct cdr_param *headers, size_t header_count,
                           size_t *count)
{
    size_t cap = 1 + (list ? 0 : header_count);
    for (const char *p = list; p && *p; p++)
        cap += *p == ';';
    char **names = calloc(cap, sizeof(*names));
    size_t n = 0;
    bool ok = names != NULL;
    if (ok && list)
        ok = add_names(names, &n, list);
    for (size_t i = 0; ok && !list && i < header_count; i++)
        ok = headers[i].name && (names[n++] = lower_copy(headers[i].name, strlen(headers[i].name)));
    if (!ok) {
        free_strings(names, cap);
        return NULL;
    }
    qsort(names, n, sizeof(*names), by_string);
    size_t unique = 0;
    for (size_t i = 0; i < n; i++) {
        if (unique && strcmp(names[unique - 1], names[i]) == 0)
            free(names[i]);
        else
            names[unique++] = names[i];
    }
    *count = unique;
    return names;
}

static bool name_is(const char *header, const char *lower_name)
{
    size_t i = 0;
    for (; header[i] && lower_name[i]; i++) {
        char c = header[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != lower_name[i])
            return false;
    }
    return header[i] == lower_name[i];
}

/* "name:v1,v2\n": every value of that header, trimmed, sorted, joined with ','. */
static bool put_header(struct cdr_buf *b, const char *name, const struct cdr_param *headers,
                       size_t n)
{
    char **values = calloc(n ? n : 1, sizeof(*values));
    if (!values)
        return false;
    size_t count = 0;
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        if (!headers[i].name || !name_is(headers[i].name, name))
            continue;
        const char *v = headers[i].value ? headers[i].value : "";
        const char *end = v + strlen(v);
        while (*v == ' ' || *v == '\t')
            v++;
        while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        ok = (values[count++] = strndup(v, (size_t)(end - v))) != NULL;
    }
    if (ok) {
        qsort(values, count, sizeof(*values), by_string);
        cdr_buf_printf(b, "%s:", name);
        for (size_t i = 0; i < count; i++)
            cdr_buf_printf(b, "%s%s", i ? "," : "", values[i]);
        cdr_buf_puts(b, "\n");
    }
    free_strings(values, count);
    return ok;
}

char *cdr_aliyun_v3_canonical_request(const char *method, const char *canonical_uri,
                                      const struct cdr_param *query, size_t query_count,
                                      const struct cdr_param *headers, size_t header_count,
                                      const char *signed_headers, const char *hashed_payload,
                                      char **signed_headers_out)
{
    if (signed_headers_out)
        *signed_headers_out = NULL;
    if (!method || !canonical_uri || !hashed_payload || (!headers && header_count))
        return NULL;
    size_t nsigned = 0;
    char **names = signed_names(signed_headers, headers, header_count, &nsigned);
    char *canonical_query = names ? cdr_canonical_query(query, query_count) : NULL;
    if (!canonical_query) {
        free_strings(names, nsigned);
        return NULL;
    }
    struct cdr_buf b, list;
    cdr_buf_init(&b);
    cdr_buf_init(&list);
    cdr_buf_printf(&b, "%s\n%s\n%s\n", method, canonical_uri, canonical_query);
    bool ok = true;
    for (size_t i = 0; i < nsigned && ok; i++) {
        ok = put_header(&b, names[i], headers, header_count);
        cdr_buf_printf(&list, "%s%s", i ? ";" : "", names[i]);
    }
    cdr_buf_puts(&list, "");
    cdr_buf_printf(&b, "\n%s\n%s", list.data ? list.data : "", hashed_payload);
    free(canonical_query);
    free_strings(names, nsigned);
    if (!ok || b.failed || list.failed) {
        cdr_buf_free(&b);
        cdr_buf_free(&list);
        return NULL;
    }
    if (signed_headers_out)
        *signed_headers_out = cdr_buf_steal(&list);
    else
        cdr_buf_free(&list);
    return cdr_buf_steal(&b);
}

char *cdr_aliyun_v3_string_to_sign(const char *canonical_request)
{
    if (!canonical_request)
        return NULL;
    char *hash = cdr_sha256_hex(canonical_request, strlen(canonical_request));
    if (!hash)
        return NULL;
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "%s\n%s", CDR_ALIYUN_V3_ALGORITHM, hash);
    free(hash);
    return cdr_buf_steal(&b);
}

char *cdr_aliyun_v3_signature(const char *access_key_secret, const char *string_to_sign)
{
    if (!access_key_secret || !string_to_sign)
        return NULL;
    unsigned char mac[CDR_SHA256_LEN];
    cdr_hmac_sha256(access_key_secret, strlen(access_key_secret), string_to_sign,
                    strlen(string_to_sign), mac);
    return cdr_hex_encode(mac, sizeof(mac));
}
