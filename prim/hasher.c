/* SHA-256 and HMAC-SHA256 without OpenSSL's per-call costs. The one-shot calls (EVP_Digest with
 * EVP_sha256(), HMAC()) look the algorithm up in the provider store and allocate fresh contexts
 * on every call, which costs more than hashing a short message. Here the digest and the MAC are
 * fetched once, and the working contexts are kept in a small pool between calls: a call takes a
 * set from the pool (or makes one when every set is busy) and puts it back, so there are never
 * more sets than threads hashing at the same moment. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "cdrsim/sign.h"

struct contexts {
    EVP_MD_CTX *digest;
    EVP_MAC_CTX *mac;
    struct contexts *next; /* in the pool */
};

struct cdr_hasher {
    EVP_MD *sha256;
    EVP_MAC *hmac;
    EVP_MAC_CTX *hmac_template; /* HMAC with SHA-256 chosen, no key: copied for each new set */
    pthread_mutex_t lock;
    struct contexts *pool; /* sets nobody is using */
};

static void contexts_free(struct contexts *c)
{
    if (!c)
        return;
    EVP_MD_CTX_free(c->digest);
    EVP_MAC_CTX_free(c->mac);
    free(c);
}

struct cdr_hasher *cdr_hasher_new(void)
{
    struct cdr_hasher *h = calloc(1, sizeof(*h));
    if (!h)
        return NULL;
    pthread_mutex_init(&h->lock, NULL);
    h->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    h->hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    h->hmac_template = h->hmac ? EVP_MAC_CTX_new(h->hmac) : NULL;
    char digest_name[] = "SHA256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
        OSSL_PARAM_construct_end(),
    };
    if (!h->sha256 || !h->hmac_template || EVP_MAC_CTX_set_params(h->hmac_template, params) != 1) {
        cdr_hasher_free(h);
        return NULL;
    }
    return h;
}

void cdr_hasher_free(struct cdr_hasher *h)
{
    if (!h)
        return;
    while (h->pool) {
        struct contexts *c = h->pool;
        h->pool = c->next;
        contexts_free(c);
    }
    EVP_MAC_CTX_free(h->hmac_template);
    EVP_MAC_free(h->hmac);
    EVP_MD_free(h->sha256);
    pthread_mutex_destroy(&h->lock);
    free(h);
}

/* A set of contexts for this call; NULL when out of memory. Give it back with put_back. */
static struct contexts *take(struct cdr_hasher *h)
{
    pthread_mutex_lock(&h->lock);
    struct contexts *c = h->pool;
    if (c)
        h->pool = c->next;
    pthread_mutex_unlock(&h->lock);
    if (c)
        return c;
    c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    /* Copying the template keeps the digest it chose: no fetch by name. */
    c->digest = EVP_MD_CTX_new();
    c->mac = EVP_MAC_CTX_dup(h->hmac_template);
    if (!c->digest || !c->mac) {
        contexts_free(c);
        return NULL;
    }
    return c;
}

static void put_back(struct cdr_hasher *h, struct contexts *c)
{
    pthread_mutex_lock(&h->lock);
    c->next = h->pool;
    h->pool = c;
    pthread_mutex_unlock(&h->lock);
}

/* Callers may pass NULL for an empty input; OpenSSL is happier with a real pointer. */
static const void *nonnull(const void *p)
{
    return p ? p : "";
}

bool cdr_hasher_sha256(struct cdr_hasher *h, const void *data, size_t len,
                       unsigned char out[CDR_SHA256_LEN])
{
    memset(out, 0, CDR_SHA256_LEN);
    if (data == NULL && len > 0)
        return false;
    struct contexts *c = take(h);
    if (!c)
        return false;
    unsigned int out_len = 0;
    bool ok = EVP_DigestInit_ex2(c->digest, h->sha256, NULL) == 1 &&
              EVP_DigestUpdate(c->digest, nonnull(data), len) == 1 &&
              EVP_DigestFinal_ex(c->digest, out, &out_len) == 1 && out_len == CDR_SHA256_LEN;
    put_back(h, c);
    if (!ok)
        memset(out, 0, CDR_SHA256_LEN);
    return ok;
}

bool cdr_hasher_hmac_sha256(struct cdr_hasher *h, const void *key, size_t key_len, const void *msg,
                            size_t msg_len, unsigned char out[CDR_SHA256_LEN])
{
    memset(out, 0, CDR_SHA256_LEN);
    if ((key == NULL && key_len > 0) || (msg == NULL && msg_len > 0))
        return false;
    if (key_len == 0) {
        /* OpenSSL 3.0's HMAC keeps a 1-byte copy of an empty key it never frees, and a NULL key
         * would keep the previous call's: the one-shot form has neither problem. */
        cdr_hmac_sha256(key, key_len, msg, msg_len, out);
        return true;
    }
    struct contexts *c = take(h);
    if (!c)
        return false;
    size_t out_len = 0;
    bool ok = EVP_MAC_init(c->mac, key, key_len, NULL) == 1 &&
              EVP_MAC_update(c->mac, nonnull(msg), msg_len) == 1 &&
              EVP_MAC_final(c->mac, out, &out_len, CDR_SHA256_LEN) == 1 &&
              out_len == CDR_SHA256_LEN;
    put_back(h, c);
    if (!ok)
        memset(out, 0, CDR_SHA256_LEN);
    return ok;
}
