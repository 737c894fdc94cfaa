/* SHA-256 and HMAC-SHA256 for the V3 check of every request, on OpenSSL's low-level SHA-256 calls:
 * the same assembly rounds as EVP_Digest and HMAC(), without their provider look-ups, context
 * allocations and dispatch, and without any OpenSSL initialisation at start-up. HMAC's two key
 * blocks (key ^ ipad, key ^ opad) are hashed once per credential, when it is loaded; a request
 * copies those two states onto its stack, so a key is read-only once made and any number of
 * threads may sign with it at once. */

/* The low-level SHA256_* calls are deprecated in OpenSSL 3.0 but still part of its API. */
#define OPENSSL_API_COMPAT 10101
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define BLOCK 64 /* SHA-256's block: HMAC pads its key to this */

struct aliyun_hmac_key {
    SHA256_CTX inner; /* after (key ^ ipad) */
    SHA256_CTX outer; /* after (key ^ opad) */
};

void aliyun_sha256(const void *data, size_t len, unsigned char out[CDR_SHA256_LEN])
{
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, len ? data : "", len);
    SHA256_Final(out, &ctx);
    OPENSSL_cleanse(&ctx, sizeof(ctx));
}

struct aliyun_hmac_key *aliyun_hmac_key_new(const void *key, size_t len)
{
    struct aliyun_hmac_key *k = malloc(sizeof(*k));
    if (!k)
        return NULL;
    /* RFC 2104: a key longer than a block is replaced by its digest, a shorter one padded with
     * zeros. */
    unsigned char padded[BLOCK] = {0};
    if (len > BLOCK)
        aliyun_sha256(key, len, padded);
    else if (len)
        memcpy(padded, key, len);
    unsigned char ipad[BLOCK], opad[BLOCK];
    for (size_t i = 0; i < BLOCK; i++) {
        ipad[i] = padded[i] ^ 0x36;
        opad[i] = padded[i] ^ 0x5c;
    }
    SHA256_Init(&k->inner);
    SHA256_Update(&k->inner, ipad, BLOCK);
    SHA256_Init(&k->outer);
    SHA256_Update(&k->outer, opad, BLOCK);
    OPENSSL_cleanse(padded, sizeof(padded));
    OPENSSL_cleanse(ipad, sizeof(ipad));
    OPENSSL_cleanse(opad, sizeof(opad));
    return k;
}

void aliyun_hmac_key_free(struct aliyun_hmac_key *key)
{
    if (!key)
        return;
    OPENSSL_cleanse(key, sizeof(*key));
    free(key);
}

void aliyun_hmac_sha256(const struct aliyun_hmac_key *key, const void *msg, size_t len,
                        unsigned char out[CDR_SHA256_LEN])
{
    unsigned char inner[CDR_SHA256_LEN];
    SHA256_CTX ctx = key->inner;
    SHA256_Update(&ctx, len ? msg : "", len);
    SHA256_Final(inner, &ctx);
    ctx = key->outer;
    SHA256_Update(&ctx, inner, sizeof(inner));
    SHA256_Final(out, &ctx);
    OPENSSL_cleanse(&ctx, sizeof(ctx));
}
