#include "cdrsim/sign.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

static const char hex_lower[] = "0123456789abcdef";
static const char hex_upper[] = "0123456789ABCDEF";
static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Callers may pass NULL for an empty input; OpenSSL and memcpy are happier
 * with a real pointer. */
static const void *nonnull(const void *p)
{
    return p != NULL ? p : "";
}

char *cdr_hex_encode(const unsigned char *data, size_t len)
{
    if (data == NULL && len > 0)
        return NULL;
    if (len > (SIZE_MAX - 1) / 2)
        return NULL;

    char *out = malloc(len * 2 + 1);
    if (out == NULL)
        return NULL;
    cdr_hex_write(data, len, out);
    return out;
}

void cdr_hex_write(const unsigned char *data, size_t len, char *out)
{
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = hex_lower[data[i] >> 4];
        out[2 * i + 1] = hex_lower[data[i] & 0x0f];
    }
    out[len * 2] = '\0';
}

static char *digest_hex(const EVP_MD *md, const void *data, size_t len)
{
    unsigned char buf[EVP_MAX_MD_SIZE];
    unsigned int buf_len = 0;

    if (data == NULL && len > 0)
        return NULL;
    if (EVP_Digest(nonnull(data), len, buf, &buf_len, md, NULL) != 1)
        return NULL;
    return cdr_hex_encode(buf, buf_len);
}

char *cdr_md5_hex(const void *data, size_t len)
{
    return digest_hex(EVP_md5(), data, len);
}

char *cdr_sha256_hex(const void *data, size_t len)
{
    return digest_hex(EVP_sha256(), data, len);
}

static void hmac(const EVP_MD *md, size_t md_len, const void *key, size_t key_len, const void *msg,
                 size_t msg_len, unsigned char *out)
{
    unsigned char key_digest[EVP_MAX_MD_SIZE];
    unsigned int key_digest_len = 0;
    unsigned int out_len = 0;

    /* Zero first so that every failure path leaves a value that never
     * matches a real MAC instead of stack garbage. */
    memset(out, 0, md_len);
    if ((key == NULL && key_len > 0) || (msg == NULL && msg_len > 0))
        return;

    /* HMAC() takes an int key length. RFC 2104 replaces any key longer than
     * the block size by its digest anyway, so doing that ourselves for huge
     * keys gives the identical MAC without truncating the length. */
    if (key_len > INT_MAX) {
        if (EVP_Digest(key, key_len, key_digest, &key_digest_len, md, NULL) != 1)
            return;
        key = key_digest;
        key_len = key_digest_len;
    }

    if (HMAC(md, nonnull(key), (int)key_len, nonnull(msg), msg_len, out, &out_len) == NULL ||
        out_len != md_len)
        memset(out, 0, md_len);
}

void cdr_hmac_sha1(const void *key, size_t key_len, const void *msg, size_t msg_len,
                   unsigned char out[CDR_SHA1_LEN])
{
    hmac(EVP_sha1(), CDR_SHA1_LEN, key, key_len, msg, msg_len, out);
}

void cdr_hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len,
                     unsigned char out[CDR_SHA256_LEN])
{
    hmac(EVP_sha256(), CDR_SHA256_LEN, key, key_len, msg, msg_len, out);
}

char *cdr_base64_encode(const void *data, size_t len)
{
    if (data == NULL && len > 0)
        return NULL;
    size_t groups = len / 3 + (len % 3 != 0);
    if (groups > (SIZE_MAX - 1) / 4)
        return NULL;

    char *out = malloc(groups * 4 + 1);
    if (out == NULL)
        return NULL;

    const unsigned char *in = data;
    char *p = out;
    size_t i = 0;
    for (; len - i >= 3; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        *p++ = b64_alphabet[(v >> 18) & 0x3f];
        *p++ = b64_alphabet[(v >> 12) & 0x3f];
        *p++ = b64_alphabet[(v >> 6) & 0x3f];
        *p++ = b64_alphabet[v & 0x3f];
    }
    if (len - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        *p++ = b64_alphabet[(v >> 18) & 0x3f];
        *p++ = b64_alphabet[(v >> 12) & 0x3f];
        *p++ = '=';
        *p++ = '=';
    } else if (len - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        *p++ = b64_alphabet[(v >> 18) & 0x3f];
        *p++ = b64_alphabet[(v >> 12) & 0x3f];
        *p++ = b64_alphabet[(v >> 6) & 0x3f];
        *p++ = '=';
    }
    *p = '\0';
    return out;
}

/* Explicit ranges rather than a lookup into b64_alphabet so the mapping does
 * not depend on the character set ordering or on strchr matching the NUL. */
static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

unsigned char *cdr_base64_decode(const char *text, size_t len, size_t *out_len)
{
    if ((text == NULL && len > 0) || len % 4 != 0)
        return NULL;

    size_t pad = 0;
    if (len > 0 && text[len - 1] == '=') {
        pad = 1;
        if (text[len - 2] == '=')
            pad = 2;
    }

    /* decoded_len < len <= SIZE_MAX, so the + 1 below cannot overflow. */
    size_t decoded_len = len / 4 * 3 - pad;
    unsigned char *out = malloc(decoded_len + 1);
    if (out == NULL)
        return NULL;

    const unsigned char *in = (const unsigned char *)text;
    size_t o = 0;
    for (size_t i = 0; i < len; i += 4) {
        bool last = i + 4 == len;
        /* Padding may only occupy the tail of the final quantum; anything
         * else that is not in the alphabet (including '=') fails here. */
        size_t data_chars = last ? 4 - pad : 4;
        int v[4] = {0, 0, 0, 0};
        for (size_t j = 0; j < data_chars; j++) {
            v[j] = b64_value(in[i + j]);
            if (v[j] < 0)
                goto invalid;
        }
        uint32_t bits =
            (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        out[o++] = (unsigned char)(bits >> 16);
        if (data_chars >= 3)
            out[o++] = (unsigned char)(bits >> 8);
        if (data_chars == 4)
            out[o++] = (unsigned char)bits;
        /* Non-zero bits under the padding would let several strings decode
         * to the same bytes; strictness keeps the encoding canonical. */
        if ((data_chars == 2 && (bits & 0xffff) != 0) || (data_chars == 3 && (bits & 0xff) != 0))
            goto invalid;
    }
    out[o] = '\0';
    if (out_len != NULL)
        *out_len = o;
    return out;

invalid:
    free(out);
    return NULL;
}

static bool is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

/* Size exactly rather than for the 3x worst case: canonical queries are built from many of these
 * and mostly unreserved. */
static size_t encoded_len(const char *text, size_t len)
{
    size_t need = 0;
    for (size_t i = 0; i < len; i++)
        need += is_unreserved((unsigned char)text[i]) ? 1 : 3;
    return need;
}

/* Writes the encoding and a NUL to out (encoded_len + 1 bytes); returns the encoding's length. */
static size_t write_encoded(const char *text, size_t len, char *out)
{
    char *p = out;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (is_unreserved(c)) {
            *p++ = (char)c;
        } else {
            *p++ = '%';
            *p++ = hex_upper[c >> 4];
            *p++ = hex_upper[c & 0x0f];
        }
    }
    *p = '\0';
    return (size_t)(p - out);
}

char *cdr_percent_encode(const char *text, size_t len)
{
    if (text == NULL && len > 0)
        return NULL;
    /* Bounds the exact size computed below, which is at most 3 * len. */
    if (len > (SIZE_MAX - 1) / 3)
        return NULL;

    char *out = malloc(encoded_len(text, len) + 1);
    if (out == NULL)
        return NULL;
    write_encoded(text, len, out);
    return out;
}

bool cdr_percent_encode_append(struct cdr_buf *out, const char *text, size_t len)
{
    if (text == NULL && len > 0) {
        out->failed = true;
        return false;
    }
    /* Room for the worst case (every byte escaped) instead of a counting pass over the text. */
    if (len > (SIZE_MAX - 1) / 3 || !cdr_buf_reserve(out, 3 * len)) {
        out->failed = true;
        return false;
    }
    out->len += write_encoded(text, len, out->data + out->len);
    return true;
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *cdr_percent_decode(const char *text, size_t len, bool plus_is_space, size_t *out_len)
{
    if ((text == NULL && len > 0) || len == SIZE_MAX)
        return NULL;

    char *out = malloc(len + 1);
    if (out == NULL)
        return NULL;

    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '%') {
            if (len - i < 3)
                goto invalid;
            int hi = hex_value((unsigned char)text[i + 1]);
            int lo = hex_value((unsigned char)text[i + 2]);
            if (hi < 0 || lo < 0)
                goto invalid;
            out[o++] = (char)(hi << 4 | lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out[o++] = ' ';
        } else {
            out[o++] = (char)c;
        }
    }
    out[o] = '\0';
    if (out_len != NULL)
        *out_len = o;
    return out;

invalid:
    free(out);
    return NULL;
}

/* Branch-free ASCII lowercase so that the comparison loop below does the same
 * work for every byte regardless of its value. */
static unsigned char fold_case(unsigned char c)
{
    unsigned char is_upper = (unsigned char)((unsigned)(c - 'A') <= 'Z' - 'A');
    return (unsigned char)(c | (is_upper << 5));
}

bool cdr_hex_equal_ci(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return false;
    /* Lengths of signatures are public (fixed per algorithm), so an early
     * exit on length mismatch leaks nothing worth protecting. */
    size_t len = strlen(a);
    if (strlen(b) != len)
        return false;

    /* Accumulate differences instead of returning at the first mismatch, so
     * timing does not reveal how long a matching prefix a forgery has. */
    unsigned char diff = 0;
    for (size_t i = 0; i < len; i++)
        diff |= (unsigned char)(fold_case((unsigned char)a[i]) ^ fold_case((unsigned char)b[i]));
    return diff == 0;
}
