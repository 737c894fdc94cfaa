/*
 * Digests, HMAC, hex, Base64 and percent-encoding: the primitives (prim/sign.c) that both the
 * client library and the mock link. Everything built on top of them (canonical requests, strings
 * to sign) is written separately on each side, so that a mistake on one side shows up as a
 * disagreement instead of cancelling out. Every encoding here is strict and locale-independent.
 *
 * Ownership: every returned `char *` / `unsigned char *` is heap-allocated,
 * owned by the caller and released with free(). Functions return NULL only on
 * allocation failure, size overflow, or the invalid input listed for each one.
 * A NULL data pointer is accepted wherever its length is 0.
 */
#ifndef CDRSIM_SIGN_H
#define CDRSIM_SIGN_H

#include <stdbool.h>
#include <stddef.h>

#include "cdrsim/buf.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CDR_MD5_HEX_LEN 32
#define CDR_SHA1_LEN 20
#define CDR_SHA256_LEN 32

/*
 * MD5 of `data` as CDR_MD5_HEX_LEN lowercase hex characters, NUL-terminated.
 * NULL on allocation failure or when data is NULL with len > 0.
 */
char *cdr_md5_hex(const void *data, size_t len);

/*
 * SHA-256 of `data` as 64 lowercase hex characters, NUL-terminated.
 * NULL on allocation failure or when data is NULL with len > 0.
 */
char *cdr_sha256_hex(const void *data, size_t len);

/*
 * HMAC-SHA1 / HMAC-SHA256 of `msg` under `key`, written to the caller's `out`
 * buffer (nothing is allocated). Keys of any length are accepted, including
 * an empty key. These cannot report failure through their signature, so on
 * invalid input (NULL pointer with non-zero length) or an internal OpenSSL
 * failure `out` is filled with zero bytes, which will never verify.
 */
void cdr_hmac_sha1(const void *key, size_t key_len, const void *msg, size_t msg_len,
                   unsigned char out[CDR_SHA1_LEN]);
void cdr_hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len,
                     unsigned char out[CDR_SHA256_LEN]);

/*
 * Lowercase hex of `len` bytes (2 * len characters), NUL-terminated.
 * NULL on allocation failure/overflow or when data is NULL with len > 0.
 */
char *cdr_hex_encode(const unsigned char *data, size_t len);

/*
 * Base64 with the standard alphabet (RFC 4648 section 4), '=' padding and no
 * line breaks, NUL-terminated. len == 0 yields "".
 * NULL on allocation failure/overflow or when data is NULL with len > 0.
 */
char *cdr_base64_encode(const void *data, size_t len);

/*
 * Strict base64 decode of the first `len` bytes of `text`: the length must be
 * a multiple of 4, only the standard alphabet is allowed, '=' may only appear
 * as one or two trailing padding characters, unused bits before the padding
 * must be zero (so each byte string has exactly one accepted encoding), and
 * whitespace/newlines are rejected. len == 0 yields an empty buffer.
 * The result has a NUL byte appended (not counted in *out_len) for
 * convenience; *out_len is set when out_len != NULL.
 * NULL on any invalid input (including text NULL with len > 0) or allocation
 * failure.
 */
unsigned char *cdr_base64_decode(const char *text, size_t len, size_t *out_len);

/*
 * RFC 3986 percent-encoding of the raw bytes text[0..len): A-Z a-z 0-9 - _ . ~
 * are copied literally, every other byte (including space, '*', '/', '+' and
 * every byte of multi-byte UTF-8 sequences) becomes %XY with uppercase hex.
 * NUL-terminated. NULL on allocation failure/overflow or when text is NULL
 * with len > 0.
 */
char *cdr_percent_encode(const char *text, size_t len);

/*
 * Decodes %XY escapes (hex digits of either case) in text[0..len). With
 * plus_is_space, a literal '+' becomes ' ' (form encoding); "%2B" is always
 * '+'. The result is NUL-terminated but may itself contain NUL bytes (from
 * "%00"), so use *out_len (set when out_len != NULL) for its length.
 * NULL on malformed escapes ("%G1", truncated "%4", lone "%"), when text is
 * NULL with len > 0, or on allocation failure.
 */
char *cdr_percent_decode(const char *text, size_t len, bool plus_is_space, size_t *out_len);

/*
 * Case-insensitive (ASCII) comparison of two NUL-terminated hex strings, for
 * checking signatures. When the lengths are equal the running time depends
 * only on the length, not on where the strings differ. Returns false when
 * either is NULL or the lengths differ; two empty strings compare equal, so
 * callers verifying a signature should reject an empty one beforehand.
 */
bool cdr_hex_equal_ci(const char *a, const char *b);

/*
 * Writes the lowercase hex of `len` bytes to out[0 .. 2 * len] (NUL included); nothing is
 * allocated.
 */
void cdr_hex_write(const unsigned char *data, size_t len, char *out);

/*
 * Appends the RFC 3986 percent-encoding of text[0..len) (everything but unreserved characters
 * as %XX, upper-case hex) to `out`, the same bytes cdr_percent_encode returns. false when the
 * buffer failed (see buf.h).
 */
bool cdr_percent_encode_append(struct cdr_buf *out, const char *text, size_t len);

/*
 * SHA-256 and HMAC-SHA256 for hot paths (prim/hasher.c): OpenSSL's digest and MAC are fetched
 * once, when the hasher is made, instead of on every call, and each thread keeps its working
 * contexts between calls. One hasher may be used from any number of threads at once. Results
 * are the same bytes as cdr_sha256_hex / cdr_hmac_sha256.
 *
 * cdr_hasher_new returns NULL when OpenSSL has no SHA-256 or HMAC or memory is short; the
 * caller owns it and frees it with cdr_hasher_free (NULL is fine) once no thread uses it.
 * cdr_hasher_sha256 and cdr_hasher_hmac_sha256 write CDR_SHA256_LEN bytes to `out` and return
 * false (with `out` zeroed) on an OpenSSL failure or a NULL pointer with a non-zero length.
 */
struct cdr_hasher;
struct cdr_hasher *cdr_hasher_new(void);
void cdr_hasher_free(struct cdr_hasher *hasher);
bool cdr_hasher_sha256(struct cdr_hasher *hasher, const void *data, size_t len,
                       unsigned char out[CDR_SHA256_LEN]);
bool cdr_hasher_hmac_sha256(struct cdr_hasher *hasher, const void *key, size_t key_len,
                            const void *msg, size_t msg_len, unsigned char out[CDR_SHA256_LEN]);

#ifdef __cplusplus
}
#endif

#endif /* CDRSIM_SIGN_H */
