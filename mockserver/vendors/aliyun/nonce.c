/* SignatureNonce replay cache with a fixed memory bound. Entries live in a ring in arrival order
 * (the oldest at the head) and are found through a chained hash index. A nonce only has to be
 * remembered while a request carrying it could still pass the timestamp check; after that the
 * entry expires and leaves from the head. Under a flood beyond the capacity the head is evicted
 * early, which forgets only nonces older than every nonce kept. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define NONE UINT32_MAX

struct entry {
    unsigned char digest[CDR_SHA256_LEN]; /* of key id and nonce: fixed size whatever was sent */
    int64_t expires_ms;
    uint32_t next; /* hash chain */
};

struct aliyun_nonces {
    pthread_mutex_t lock;
    struct entry *ring;
    size_t capacity;
    size_t head; /* oldest entry */
    size_t count;
    uint32_t *buckets; /* first entry of each chain, or NONE */
    size_t bucket_mask;
};

struct aliyun_nonces *aliyun_nonces_new(size_t capacity)
{
    if (capacity == 0 || capacity >= NONE)
        return NULL;
    struct aliyun_nonces *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    size_t buckets = 1;
    while (buckets < capacity)
        buckets <<= 1;
    c->ring = malloc(capacity * sizeof(*c->ring));
    c->buckets = malloc(buckets * sizeof(*c->buckets));
    if (!c->ring || !c->buckets) {
        free(c->ring);
        free(c->buckets);
        free(c);
        return NULL;
    }
    for (size_t i = 0; i < buckets; i++)
        c->buckets[i] = NONE;
    c->capacity = capacity;
    c->bucket_mask = buckets - 1;
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

void aliyun_nonces_free(struct aliyun_nonces *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->lock);
    free(c->ring);
    free(c->buckets);
    free(c);
}

static size_t bucket_of(const struct aliyun_nonces *c, const unsigned char *digest)
{
    uint32_t h = (uint32_t)digest[0] | (uint32_t)digest[1] << 8 | (uint32_t)digest[2] << 16 |
                 (uint32_t)digest[3] << 24;
    return h & c->bucket_mask;
}

static void drop_head(struct aliyun_nonces *c)
{
    uint32_t victim = (uint32_t)c->head;
    uint32_t *link = &c->buckets[bucket_of(c, c->ring[victim].digest)];
    while (*link != NONE && *link != victim)
        link = &c->ring[*link].next;
    if (*link == victim)
        *link = c->ring[victim].next;
    c->head = (c->head + 1) % c->capacity;
    c->count--;
}

static void digest_of(const char *key_id, const char *nonce, unsigned char out[CDR_SHA256_LEN])
{
    /* The NUL keeps ("ab", "c") and ("a", "bc") apart. */
    size_t klen = strlen(key_id), nlen = strlen(nonce);
    char *msg = malloc(klen + nlen + 1);
    static const char salt[] = "cdrsim aliyun nonce";
    if (!msg) {
        memset(out, 0, CDR_SHA256_LEN);
        return;
    }
    memcpy(msg, key_id, klen + 1);
    memcpy(msg + klen + 1, nonce, nlen);
    cdr_hmac_sha256(salt, sizeof(salt) - 1, msg, klen + 1 + nlen, out);
    free(msg);
}

bool aliyun_nonces_claim(struct aliyun_nonces *c, const char *key_id, const char *nonce,
                         int64_t now_ms, int64_t expires_ms)
{
    unsigned char digest[CDR_SHA256_LEN];
    digest_of(key_id, nonce, digest);
    pthread_mutex_lock(&c->lock);
    while (c->count && c->ring[c->head].expires_ms < now_ms)
        drop_head(c);
    size_t bucket = bucket_of(c, digest);
    for (uint32_t i = c->buckets[bucket]; i != NONE; i = c->ring[i].next) {
        /* An expired twin further in the ring is as good as gone. */
        if (c->ring[i].expires_ms >= now_ms &&
            memcmp(c->ring[i].digest, digest, sizeof(digest)) == 0) {
            pthread_mutex_unlock(&c->lock);
            return false;
        }
    }
    if (c->count == c->capacity)
        drop_head(c);
    uint32_t slot = (uint32_t)((c->head + c->count) % c->capacity);
    memcpy(c->ring[slot].digest, digest, sizeof(digest));
    c->ring[slot].expires_ms = expires_ms;
    c->ring[slot].next = c->buckets[bucket];
    c->buckets[bucket] = slot;
    c->count++;
    pthread_mutex_unlock(&c->lock);
    return true;
}

size_t aliyun_nonces_count(struct aliyun_nonces *c)
{
    pthread_mutex_lock(&c->lock);
    size_t n = c->count;
    pthread_mutex_unlock(&c->lock);
    return n;
}
