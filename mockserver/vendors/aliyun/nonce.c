/* SignatureNonce replay cache with a fixed memory bound. Entries live in a ring in arrival order
 * (the oldest at the head) and are found through a chained hash index. A nonce only has to be
 * remembered while a request carrying it could still pass the timestamp check; after that the
 * entry expires and leaves from the head. Under a flood beyond the capacity the head is evicted
 * early, which forgets only nonces older than every nonce kept. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* Chains link entries by ring slot + 1, so that 0 ends a chain and the buckets start as calloc's
 * zeroes: half a megabyte the process never touches until nonces arrive (setting every bucket
 * to a marker at start-up cost a fault on each of its pages). */
#define NONE 0

struct entry {
    uint64_t digest; /* of key id and nonce: fixed size whatever was sent */
    int64_t expires_ms;
    uint32_t next; /* hash chain: the next entry's slot + 1, or NONE */
};

struct aliyun_nonces {
    pthread_mutex_t lock;
    struct entry *ring;
    size_t capacity;
    size_t head; /* oldest entry */
    size_t count;
    uint32_t *buckets; /* first entry of each chain (slot + 1), or NONE */
    size_t bucket_mask;
    uint64_t key[2]; /* the hash's, random per cache */
};

struct aliyun_nonces *aliyun_nonces_new(size_t capacity)
{
    if (capacity == 0 || capacity >= UINT32_MAX)
        return NULL;
    struct aliyun_nonces *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    size_t buckets = 1;
    while (buckets < capacity)
        buckets <<= 1;
    c->ring = malloc(capacity * sizeof(*c->ring));
    c->buckets = calloc(buckets, sizeof(*c->buckets));
    if (!c->ring || !c->buckets) {
        free(c->ring);
        free(c->buckets);
        free(c);
        return NULL;
    }
    c->capacity = capacity;
    c->bucket_mask = buckets - 1;
    /* Without entropy the key is merely fixed: the hash then still spreads honest nonces. */
    if (getentropy(c->key, sizeof(c->key)) != 0) {
        c->key[0] = 0x736f6d6570736575u;
        c->key[1] = 0x646f72616e646f6du;
    }
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

static size_t bucket_of(const struct aliyun_nonces *c, uint64_t digest)
{
    return (size_t)(digest >> 32 ^ digest) & c->bucket_mask;
}

static void drop_head(struct aliyun_nonces *c)
{
    uint32_t victim = (uint32_t)c->head + 1;
    uint32_t *link = &c->buckets[bucket_of(c, c->ring[c->head].digest)];
    while (*link != NONE && *link != victim)
        link = &c->ring[*link - 1].next;
    if (*link == victim)
        *link = c->ring[c->head].next;
    c->head = (c->head + 1) % c->capacity;
    c->count--;
}

static uint64_t rotl(uint64_t x, int b)
{
    return x << b | x >> (64 - b);
}

static void sip_round(uint64_t v[4])
{
    v[0] += v[1];
    v[1] = rotl(v[1], 13) ^ v[0];
    v[0] = rotl(v[0], 32);
    v[2] += v[3];
    v[3] = rotl(v[3], 16) ^ v[2];
    v[0] += v[3];
    v[3] = rotl(v[3], 21) ^ v[0];
    v[2] += v[1];
    v[1] = rotl(v[1], 17) ^ v[2];
    v[2] = rotl(v[2], 32);
}

/* SipHash-1-3 (the keyed hash hash tables use against chosen collisions) of the bytes of key id,
 * a NUL and nonce, fed without copying them together: a replay cache needs no cryptographic
 * digest, only one that a sender cannot steer into collisions without the key. */
struct sip {
    uint64_t v[4];
    uint64_t tail; /* bytes not yet in a word */
    size_t len;
};

static void sip_byte(struct sip *s, unsigned char b)
{
    s->tail |= (uint64_t)b << (8 * (s->len & 7));
    if ((++s->len & 7) == 0) {
        s->v[3] ^= s->tail;
        sip_round(s->v);
        s->v[0] ^= s->tail;
        s->tail = 0;
    }
}

static uint64_t digest_of(const uint64_t key[2], const char *key_id, const char *nonce)
{
    struct sip s = {{key[0] ^ 0x736f6d6570736575u, key[1] ^ 0x646f72616e646f6du,
                     key[0] ^ 0x6c7967656e657261u, key[1] ^ 0x7465646279746573u},
                    0,
                    0};
    /* The NUL keeps ("ab", "c") and ("a", "bc") apart. */
    for (const char *p = key_id;; p++) {
        sip_byte(&s, (unsigned char)*p);
        if (!*p)
            break;
    }
    for (const char *p = nonce; *p; p++)
        sip_byte(&s, (unsigned char)*p);
    uint64_t last = s.tail | (uint64_t)(s.len & 0xff) << 56;
    s.v[3] ^= last;
    sip_round(s.v);
    s.v[0] ^= last;
    s.v[2] ^= 0xff;
    for (int i = 0; i < 3; i++)
        sip_round(s.v);
    return s.v[0] ^ s.v[1] ^ s.v[2] ^ s.v[3];
}

bool aliyun_nonces_claim(struct aliyun_nonces *c, const char *key_id, const char *nonce,
                         int64_t now_ms, int64_t expires_ms)
{
    uint64_t digest = digest_of(c->key, key_id, nonce);
    pthread_mutex_lock(&c->lock);
    while (c->count && c->ring[c->head].expires_ms < now_ms)
        drop_head(c);
    size_t bucket = bucket_of(c, digest);
    for (uint32_t link = c->buckets[bucket]; link != NONE; link = c->ring[link - 1].next) {
        const struct entry *e = &c->ring[link - 1];
        /* An expired twin further in the ring is as good as gone. */
        if (e->expires_ms >= now_ms && e->digest == digest) {
            pthread_mutex_unlock(&c->lock);
            return false;
        }
    }
    if (c->count == c->capacity)
        drop_head(c);
    uint32_t slot = (uint32_t)((c->head + c->count) % c->capacity);
    c->ring[slot].digest = digest;
    c->ring[slot].expires_ms = expires_ms;
    c->ring[slot].next = c->buckets[bucket];
    c->buckets[bucket] = slot + 1;
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
