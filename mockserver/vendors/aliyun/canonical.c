/* The strings Alibaba Cloud signs, rebuilt on the mock's side from the vendor's published rules
 * (signature V2: https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism; V3:
 * https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature)
 * and not shared with the client library, so that a canonicalisation mistake on either side
 * shows up as a rejected request instead of cancelling out. Only the primitives (digests, HMAC,
 * Base64, percent-encoding, buffers) are common to both. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- the canonical query: both versions ----------------------------------------------------- */

/* Requests carry a handful of parameters and headers: up to this many, the working arrays below
 * live on the stack and sort by insertion; beyond it they are allocated and sorted by qsort. */
#define FEW 32

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
        if (*x < 0x80 && *y < 0x80) { /* ASCII: the code unit is the byte */
            if (*x != *y)
                return *x < *y ? -1 : 1;
            x++;
            y++;
            continue;
        }
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
    const struct aliyun_param *x = *(const struct aliyun_param *const *)a;
    const struct aliyun_param *y = *(const struct aliyun_param *const *)b;
    int order = utf16_order(x->name, y->name);
    return order ? order : utf16_order(x->value ? x->value : "", y->value ? y->value : "");
}

/* Sorts n pointers with `order` (a qsort comparator over the pointers): by insertion when there
 * are few, the common case, where it beats qsort's calls through a pointer. */
static void sort_pointers(const void **items, size_t n, int (*order)(const void *, const void *))
{
    if (n > FEW) {
        qsort(items, n, sizeof(*items), order);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        const void *item = items[i];
        size_t j = i;
        for (; j > 0 && order(&items[j - 1], &item) > 0; j--)
            items[j] = items[j - 1];
        items[j] = item;
    }
}

/* Working space for up to n pointers: `few` when that is enough, else allocated (NULL when out of
 * memory). Release with release_space. */
static const void **space_for(size_t n, const void **few)
{
    return n <= FEW ? few : malloc(n * sizeof(*few));
}

static void release_space(const void **space, const void **few)
{
    if (space != few)
        free(space);
}

/* Appends "name=value&name=value" of every pair except those called `left_out` (NULL: none),
 * sorted by raw name as the vendor's documents and SDKs do, then each name and value RFC 3986
 * encoded. false when out of memory. */
static bool append_canonical_query(struct cdr_buf *out, const struct aliyun_param *params,
                                   size_t count, const char *left_out)
{
    const void *few[FEW];
    const void **pairs = space_for(count, few);
    if (!pairs) {
        out->failed = true;
        return false;
    }
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        if (!left_out || strcmp(params[i].name, left_out) != 0)
            pairs[n++] = &params[i];
    sort_pointers(pairs, n, by_name_then_value);
    for (size_t i = 0; i < n; i++) {
        const struct aliyun_param *pair = pairs[i];
        const char *value = pair->value ? pair->value : "";
        if (i)
            cdr_buf_append(out, "&", 1);
        cdr_percent_encode_append(out, pair->name, strlen(pair->name));
        cdr_buf_append(out, "=", 1);
        cdr_percent_encode_append(out, value, strlen(value));
    }
    release_space(pairs, few);
    return !out->failed;
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
    struct cdr_buf sts;
    cdr_buf_init(&sts);
    cdr_buf_puts(&sts, method);
    cdr_buf_puts(&sts, "&%2F&"); /* %2F: the encoded path "/" */
    /* The query is encoded a second time as a whole: its '=' and '&' become %3D and %26. */
    cdr_percent_encode_append(&sts, query.data ? query.data : "", query.len);
    cdr_buf_free(&query);
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

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/* A piece of a longer text, not NUL-terminated. */
struct slice {
    const char *text;
    size_t len;
};

/* text[0..len) without the blanks around it. */
static struct slice trimmed(const char *text, size_t len)
{
    while (len && blank(*text)) {
        text++;
        len--;
    }
    while (len && blank(text[len - 1]))
        len--;
    return (struct slice){text, len};
}

/* Byte order of two slices, a prefix first. */
static int slice_order(struct slice a, struct slice b)
{
    int order = memcmp(a.text, b.text, a.len < b.len ? a.len : b.len);
    return order ? order : (a.len > b.len) - (a.len < b.len);
}

/* The same, with ASCII upper case read as lower case: header names. */
static int name_order(struct slice a, struct slice b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    for (size_t i = 0; i < n; i++) {
        if (a.text[i] == b.text[i]) /* the usual case: names sent in the case they are signed */
            continue;
        unsigned char x = (unsigned char)ascii_lower(a.text[i]);
        unsigned char y = (unsigned char)ascii_lower(b.text[i]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return (a.len > b.len) - (a.len < b.len);
}

static int by_name(const void *a, const void *b)
{
    return name_order(**(const struct slice *const *)a, **(const struct slice *const *)b);
}

static int by_text(const void *a, const void *b)
{
    return slice_order(**(const struct slice *const *)a, **(const struct slice *const *)b);
}

/* Header names compare without regard to ASCII case; the header's length is known. */
static bool same_name(const char *header, size_t len, struct slice name)
{
    return len == name.len && name_order((struct slice){header, len}, name) == 0;
}

/* Appends text lower-cased. */
static void append_lower(struct cdr_buf *out, struct slice text)
{
    if (!cdr_buf_reserve(out, text.len))
        return;
    for (size_t i = 0; i < text.len; i++)
        out->data[out->len + i] = ascii_lower(text.text[i]);
    out->len += text.len;
    out->data[out->len] = '\0';
}

/* The entries of the signed-header list, without the blanks around them; empty ones dropped. */
static size_t count_entries(const char *list)
{
    size_t n = 1;
    for (const char *p = list; *p; p++)
        n += *p == ';';
    return n;
}

static size_t list_entries(const char *list, struct slice *entries)
{
    size_t n = 0;
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ";");
        struct slice name = trimmed(p, len);
        if (name.len)
            entries[n++] = name;
        p += len + (p[len] == ';');
    }
    return n;
}

/* Appends "name:value\n" for one signed header: every value the request carries for it, trimmed,
 * sorted and joined with ','; nothing after the ':' when the request lacks it. name_lens[i] is
 * the length of headers[i].name. */
static void append_header_line(struct cdr_buf *out, struct slice name,
                               const struct aliyun_param *headers, const size_t *name_lens,
                               size_t count)
{
    append_lower(out, name);
    cdr_buf_append(out, ":", 1);
    size_t found = 0, last = 0;
    for (size_t i = 0; i < count; i++)
        if (same_name(headers[i].name, name_lens[i], name)) {
            found++;
            last = i;
        }
    if (found == 1) { /* nearly always */
        const char *value = headers[last].value ? headers[last].value : "";
        struct slice v = trimmed(value, strlen(value));
        cdr_buf_append(out, v.text, v.len);
    } else if (found > 1) {
        struct slice *values = malloc(found * sizeof(*values));
        const void *few[FEW];
        const void **order = values ? space_for(found, few) : NULL;
        if (!order) {
            free(values);
            out->failed = true;
            return;
        }
        size_t n = 0;
        for (size_t i = 0; i < count; i++) {
            if (!same_name(headers[i].name, name_lens[i], name))
                continue;
            const char *value = headers[i].value ? headers[i].value : "";
            values[n] = trimmed(value, strlen(value));
            order[n] = &values[n];
            n++;
        }
        sort_pointers(order, n, by_text);
        for (size_t i = 0; i < n; i++) {
            const struct slice *v = order[i];
            if (i)
                cdr_buf_append(out, ",", 1);
            cdr_buf_append(out, v->text, v->len);
        }
        release_space(order, few);
        free(values);
    }
    cdr_buf_append(out, "\n", 1);
}

char *aliyun_v3_canonical_request(const struct aliyun_v3_request *r)
{
    /* The signed names as slices of the Authorization header, sorted case-blind, each once. */
    size_t cap = count_entries(r->signed_headers);
    struct slice few_names[FEW];
    struct slice *names = cap <= FEW ? few_names : malloc(cap * sizeof(*names));
    const void *few[FEW];
    const void **sorted = names ? space_for(cap, few) : NULL;
    struct cdr_buf out;
    cdr_buf_init(&out);
    if (!sorted) {
        if (names != few_names)
            free(names);
        return NULL;
    }
    size_t n = list_entries(r->signed_headers, names);
    for (size_t i = 0; i < n; i++)
        sorted[i] = &names[i];
    sort_pointers(sorted, n, by_name);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (!kept || by_name(&sorted[kept - 1], &sorted[i]) != 0)
            sorted[kept++] = sorted[i];

    /* Every header's name length, measured once for all the signed names it is compared with. */
    size_t few_lens[FEW];
    size_t *name_lens =
        r->header_count <= FEW ? few_lens : malloc(r->header_count * sizeof(*name_lens));
    if (!name_lens) {
        release_space(sorted, few);
        if (names != few_names)
            free(names);
        return NULL;
    }
    for (size_t i = 0; i < r->header_count; i++)
        name_lens[i] = strlen(r->headers[i].name);

    /* One allocation for the usual request: the query, the headers and the rest fit. */
    cdr_buf_reserve(&out, 1024);
    cdr_buf_puts(&out, r->method);
    cdr_buf_append(&out, "\n", 1);
    cdr_buf_puts(&out, r->uri);
    cdr_buf_append(&out, "\n", 1);
    append_canonical_query(&out, r->query, r->query_count, NULL);
    cdr_buf_append(&out, "\n", 1);
    for (size_t i = 0; i < kept; i++)
        append_header_line(&out, *(const struct slice *)sorted[i], r->headers, name_lens,
                           r->header_count);
    cdr_buf_append(&out, "\n", 1);
    for (size_t i = 0; i < kept; i++) {
        if (i)
            cdr_buf_append(&out, ";", 1);
        append_lower(&out, *(const struct slice *)sorted[i]);
    }
    cdr_buf_append(&out, "\n", 1);
    cdr_buf_puts(&out, r->hashed_payload);
    if (name_lens != few_lens)
        free(name_lens);
    release_space(sorted, few);
    if (names != few_names)
        free(names);
    if (out.failed) {
        cdr_buf_free(&out);
        return NULL;
    }
    return cdr_buf_steal(&out);
}

void aliyun_v3_string_to_sign_into(const char *canonical_request, size_t len,
                                   char out[ALIYUN_V3_STS_SIZE])
{
    unsigned char digest[CDR_SHA256_LEN];
    aliyun_sha256(canonical_request, len, digest);
    memcpy(out, ALIYUN_V3_ALGORITHM "\n", sizeof(ALIYUN_V3_ALGORITHM));
    cdr_hex_write(digest, sizeof(digest), out + sizeof(ALIYUN_V3_ALGORITHM));
}

void aliyun_v3_signature_into(const struct aliyun_hmac_key *key, const char *string_to_sign,
                              char out[2 * CDR_SHA256_LEN + 1])
{
    unsigned char mac[CDR_SHA256_LEN];
    aliyun_hmac_sha256(key, string_to_sign, strlen(string_to_sign), mac);
    cdr_hex_write(mac, sizeof(mac), out);
}

char *aliyun_v3_string_to_sign(const char *canonical_request)
{
    char *digest = cdr_sha256_hex(canonical_request, strlen(canonical_request));
    if (!digest)
        return NULL;
    struct cdr_buf sts;
    cdr_buf_init(&sts);
    cdr_buf_puts(&sts, ALIYUN_V3_ALGORITHM "\n");
    cdr_buf_puts(&sts, digest);
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
