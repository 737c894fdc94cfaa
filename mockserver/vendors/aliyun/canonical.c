/* The strings Alibaba Cloud signs, rebuilt on the mock's side from the vendor's published rules
 * (signature V2: https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism; V3:
 * https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature)
 * and not shared with the client library, so that a canonicalisation mistake on either side
 * shows up as a rejected request instead of cancelling out. Only the primitives (digests, HMAC,
 * Base64, percent-encoding, buffers) are common to both. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static char *encode(const char *text)
{
    return cdr_percent_encode(text ? text : "", text ? strlen(text) : 0);
}

/* ---- the canonical query: both versions ----------------------------------------------------- */

struct encoded_pair {
    const char *raw_name, *raw_value; /* what sorts */
    char *name;                       /* what is written */
    char *value;
};

/* The next code point of UTF-8 text (a byte that starts no valid sequence stands for itself), and
 * where the text goes on. */
static uint32_t next_code_point(const unsigned char **p)
{
    const unsigned char *s = *p;
    size_t len = s[0] < 0x80             ? 1
                 : (s[0] & 0xE0) == 0xC0 ? 2
                 : (s[0] & 0xF0) == 0xE0 ? 3
                 : (s[0] & 0xF8) == 0xF0 ? 4
                                         : 0;
    uint32_t cp = len == 1 ? s[0] : len == 2 ? s[0] & 0x1Fu : len == 3 ? s[0] & 0x0Fu : s[0] & 7u;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            len = 0;
            break;
        }
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    if (len == 0) {
        *p = s + 1;
        return s[0];
    }
    *p = s + len;
    return cp;
}

/* The first UTF-16 code unit of a code point: what decides JavaScript's string order. */
static uint32_t first_unit(uint32_t cp)
{
    return cp < 0x10000 ? cp : 0xD800 + ((cp - 0x10000) >> 10);
}

/* JavaScript's default sort order (UTF-16 code units) of two UTF-8 strings: the official SDKs sort
 * the raw names with Object.keys(params).sort() before encoding them. */
static int utf16_order(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    while (*x && *y) {
        uint32_t cx = next_code_point(&x), cy = next_code_point(&y);
        uint32_t ux = first_unit(cx), uy = first_unit(cy);
        if (ux != uy)
            return ux < uy ? -1 : 1;
        if (cx != cy)
            return cx < cy ? -1 : 1;
    }
    return (*x != 0) - (*y != 0);
}

/* Raw name first; a name sent twice orders by raw value, so the result does not depend on the
 * order the pairs arrived in. */
static int by_name_then_value(const void *a, const void *b)
{
    const struct encoded_pair *x = a, *y = b;
    int order = utf16_order(x->raw_name, y->raw_name);
    return order ? order : utf16_order(x->raw_value, y->raw_value);
}

/* Appends "name=value&name=value" of every pair except those called `left_out` (NULL: none),
 * sorted by raw name as the vendor's documents and SDKs do, then each name and value RFC 3986
 * encoded. false when out of memory. */
static bool append_canonical_query(struct cdr_buf *out, const struct aliyun_param *params,
                                   size_t count, const char *left_out)
{
    struct encoded_pair *pairs = calloc(count ? count : 1, sizeof(*pairs));
    size_t n = 0;
    bool ok = pairs != NULL;
    for (size_t i = 0; ok && i < count; i++) {
        if (left_out && strcmp(params[i].name, left_out) == 0)
            continue;
        pairs[n].raw_name = params[i].name;
        pairs[n].raw_value = params[i].value ? params[i].value : "";
        pairs[n].name = encode(params[i].name);
        pairs[n].value = encode(params[i].value);
        ok = pairs[n].name && pairs[n].value;
        n++;
    }
    if (ok)
        qsort(pairs, n, sizeof(*pairs), by_name_then_value);
    for (size_t i = 0; ok && i < n; i++) {
        if (i)
            cdr_buf_puts(out, "&");
        cdr_buf_puts(out, pairs[i].name);
        cdr_buf_puts(out, "=");
        cdr_buf_puts(out, pairs[i].value);
    }
    for (size_t i = 0; pairs && i < n; i++) {
        free(pairs[i].name);
        free(pairs[i].value);
    }
    free(pairs);
    return ok && !out->failed;
}

/* ---- V2 -------------------------------------------------------------------------------------- */

char *aliyun_v2_string_to_sign(const char *method, const struct aliyun_param *params, size_t count)
{
    struct cdr_buf query;
    cdr_buf_init(&query);
    if (!append_canonical_query(&query, params, count, "Signature")) {
        cdr_buf_free(&query);
        return NULL;
    }
    /* The query is encoded a second time as a whole: its '=' and '&' become %3D and %26. */
    char *encoded_query = encode(query.data ? query.data : "");
    cdr_buf_free(&query);
    if (!encoded_query)
        return NULL;
    struct cdr_buf sts;
    cdr_buf_init(&sts);
    cdr_buf_printf(&sts, "%s&%%2F&%s", method, encoded_query); /* %2F: the encoded path "/" */
    free(encoded_query);
    return cdr_buf_steal(&sts);
}

char *aliyun_v2_signature(const char *secret, const char *string_to_sign)
{
    /* The key is the secret followed by '&' (an empty token secret, in the vendor's terms). */
    size_t secret_len = strlen(secret);
    char *key = malloc(secret_len + 2);
    if (!key)
        return NULL;
    memcpy(key, secret, secret_len);
    key[secret_len] = '&';
    key[secret_len + 1] = '\0';
    unsigned char mac[CDR_SHA1_LEN];
    cdr_hmac_sha1(key, secret_len + 1, string_to_sign, strlen(string_to_sign), mac);
    free(key);
    return cdr_base64_encode(mac, sizeof(mac));
}

/* ---- V3 -------------------------------------------------------------------------------------- */

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Header names compare without regard to ASCII case. */
static bool same_name(const char *header, const char *lower_name)
{
    for (; *header && *lower_name; header++, lower_name++)
        if (ascii_lower(*header) != *lower_name)
            return false;
    return *header == *lower_name;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/* text[0..*len) without the blanks around it. */
static const char *trim(const char *text, size_t *len)
{
    while (*len && blank(*text)) {
        text++;
        (*len)--;
    }
    while (*len && blank(text[*len - 1]))
        (*len)--;
    return text;
}

/* The signed-header list as lower-case names without the blanks around them, sorted, each once;
 * empty entries are dropped. *names is malloc'd with its strings (free with free_texts, also
 * after a failure). false when out of memory. */
static bool signed_names(const char *list, char ***names, size_t *count)
{
    size_t cap = 1;
    for (const char *p = list; *p; p++)
        cap += *p == ';';
    char **out = calloc(cap, sizeof(*out));
    size_t n = 0;
    bool ok = out != NULL;
    for (const char *p = list; ok && *p;) {
        size_t len = strcspn(p, ";");
        size_t name_len = len;
        const char *name = trim(p, &name_len);
        if (name_len) {
            ok = (out[n] = malloc(name_len + 1)) != NULL;
            for (size_t i = 0; ok && i < name_len; i++)
                out[n][i] = ascii_lower(name[i]);
            if (ok)
                out[n++][name_len] = '\0';
        }
        p += len + (p[len] == ';');
    }
    if (ok)
        qsort(out, n, sizeof(*out), by_text);
    size_t kept = 0;
    for (size_t i = 0; ok && i < n; i++) {
        if (kept && strcmp(out[kept - 1], out[i]) == 0)
            free(out[i]);
        else
            out[kept++] = out[i];
    }
    *names = out;
    *count = ok ? kept : n;
    return ok;
}

static void free_texts(char **texts, size_t count)
{
    for (size_t i = 0; texts && i < count; i++)
        free(texts[i]);
    free(texts);
}

/* Appends "name:value\n" for one signed header: every value the request carries for it, trimmed,
 * sorted and joined with ','; nothing after the ':' when the request lacks it. */
static bool append_header_line(struct cdr_buf *out, const char *name,
                               const struct aliyun_param *headers, size_t count)
{
    size_t found = 0;
    for (size_t i = 0; i < count; i++)
        found += same_name(headers[i].name, name);
    char **values = calloc(found ? found : 1, sizeof(*values));
    size_t n = 0;
    bool ok = values != NULL;
    for (size_t i = 0; ok && i < count; i++) {
        if (!same_name(headers[i].name, name))
            continue;
        const char *value = headers[i].value ? headers[i].value : "";
        size_t len = strlen(value);
        value = trim(value, &len);
        ok = (values[n++] = strndup(value, len)) != NULL;
    }
    if (ok)
        qsort(values, n, sizeof(*values), by_text);
    cdr_buf_puts(out, name);
    cdr_buf_puts(out, ":");
    for (size_t i = 0; ok && i < n; i++) {
        if (i)
            cdr_buf_puts(out, ",");
        cdr_buf_puts(out, values[i]);
    }
    cdr_buf_puts(out, "\n");
    free_texts(values, n);
    return ok && !out->failed;
}

char *aliyun_v3_canonical_request(const struct aliyun_v3_request *r)
{
    char **names = NULL;
    size_t name_count = 0;
    struct cdr_buf out;
    cdr_buf_init(&out);
    bool ok = signed_names(r->signed_headers, &names, &name_count);
    cdr_buf_printf(&out, "%s\n%s\n", r->method, r->uri);
    ok = ok && append_canonical_query(&out, r->query, r->query_count, NULL);
    cdr_buf_puts(&out, "\n");
    for (size_t i = 0; ok && i < name_count; i++)
        ok = append_header_line(&out, names[i], r->headers, r->header_count);
    cdr_buf_puts(&out, "\n");
    for (size_t i = 0; ok && i < name_count; i++) {
        if (i)
            cdr_buf_puts(&out, ";");
        cdr_buf_puts(&out, names[i]);
    }
    cdr_buf_printf(&out, "\n%s", r->hashed_payload);
    free_texts(names, name_count);
    if (!ok || out.failed) {
        cdr_buf_free(&out);
        return NULL;
    }
    return cdr_buf_steal(&out);
}

char *aliyun_v3_string_to_sign(const char *canonical_request)
{
    char *digest = cdr_sha256_hex(canonical_request, strlen(canonical_request));
    if (!digest)
        return NULL;
    struct cdr_buf sts;
    cdr_buf_init(&sts);
    cdr_buf_printf(&sts, "%s\n%s", ALIYUN_V3_ALGORITHM, digest);
    free(digest);
    return cdr_buf_steal(&sts);
}

char *aliyun_v3_signature(const char *secret, const char *string_to_sign)
{
    unsigned char mac[CDR_SHA256_LEN];
    cdr_hmac_sha256(secret, strlen(secret), string_to_sign, strlen(string_to_sign), mac);
    return cdr_hex_encode(mac, sizeof(mac));
}

bool aliyun_same_secret(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (strlen(b) != n)
        return false;
    unsigned char diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}
