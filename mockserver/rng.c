#include "rng.h"

#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void mock_rng_seed(struct mock_rng *rng, uint64_t seed)
{
    rng->state = seed;
}

uint64_t mock_rng_entropy(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int here;
    struct mock_rng r = {(uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec};
    r.state ^= mock_rng_next(&r) ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)&here;
    return mock_rng_next(&r);
}

uint64_t mock_rng_derive(uint64_t seed, const char *label)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a of the label, mixed with the seed */
    for (const unsigned char *p = (const unsigned char *)label; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    struct mock_rng r = {seed ^ h};
    return mock_rng_next(&r);
}

uint64_t mock_rng_next(struct mock_rng *rng)
{
    uint64_t z = (rng->state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

uint64_t mock_rng_below(struct mock_rng *rng, uint64_t n)
{
    /* Rejection sampling keeps the distribution exact, so datasets do not skew. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t v;
    do
        v = mock_rng_next(rng);
    while (v >= limit);
    return v % n;
}

int64_t mock_rng_range(struct mock_rng *rng, int64_t lo, int64_t hi)
{
    return lo + (int64_t)mock_rng_below(rng, (uint64_t)(hi - lo) + 1);
}

size_t mock_rng_weighted(struct mock_rng *rng, const unsigned *weights, size_t n)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += weights[i];
    uint64_t pick = mock_rng_below(rng, total);
    for (size_t i = 0; i < n; i++) {
        if (pick < weights[i])
            return i;
        pick -= weights[i];
    }
    return n - 1;
}

static int by_instant(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Sorts v[0 .. n) (each at most max) by 11 bits at a time: a year of seconds is three passes, a
 * third of what qsort took over a million instants. false when out of memory. */
static bool radix_sort(uint64_t *v, size_t n, uint64_t max)
{
    enum { BITS = 11, BUCKETS = 1 << BITS };
    uint64_t *tmp = malloc((n ? n : 1) * sizeof(*tmp)), *from = v, *to = tmp;
    size_t *count = malloc(BUCKETS * sizeof(*count));
    bool ok = tmp && count;
    for (unsigned shift = 0; ok && shift < 64 && max >> shift; shift += BITS) {
        memset(count, 0, BUCKETS * sizeof(*count));
        for (size_t i = 0; i < n; i++)
            count[from[i] >> shift & (BUCKETS - 1)]++;
        for (size_t d = 0, at = 0; d < BUCKETS; d++) {
            size_t c = count[d];
            count[d] = at;
            at += c;
        }
        for (size_t i = 0; i < n; i++)
            to[count[from[i] >> shift & (BUCKETS - 1)]++] = from[i];
        uint64_t *swap = from;
        from = to;
        to = swap;
    }
    if (ok && from != v)
        memcpy(v, from, n * sizeof(*v));
    free(tmp);
    free(count);
    return ok;
}

int64_t *mock_rng_sorted_instants(struct mock_rng *rng, int64_t n, int64_t from, uint64_t width)
{
    int64_t *t = malloc((size_t)(n > 0 ? n : 1) * sizeof(*t));
    if (!t)
        return NULL;
    /* Offsets from `from` first (sorted as unsigned), then the instants themselves. */
    uint64_t *offsets = (uint64_t *)t;
    for (int64_t i = 0; i < n; i++)
        offsets[i] = mock_rng_below(rng, width);
    if (n > 0 && radix_sort(offsets, (size_t)n, width ? width - 1 : 0)) {
        for (int64_t i = 0; i < n; i++)
            t[i] = from + (int64_t)offsets[i];
        return t;
    }
    for (int64_t i = 0; i < n; i++)
        t[i] = from + (int64_t)offsets[i];
    qsort(t, (size_t)n, sizeof(*t), by_instant);
    return t;
}

void mock_rng_hex(struct mock_rng *rng, char *out, size_t n, int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    for (size_t i = 0; i < n; i++)
        out[i] = digits[mock_rng_below(rng, 16)];
    out[n] = '\0';
}

/* Writes the low `digits` hex digits of v, lowercase. */
static char *put_hex(char *out, uint64_t v, int digits)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = digits - 1; i >= 0; i--, v >>= 4)
        out[i] = hex[v & 0xf];
    return out + digits;
}

/* By hand rather than printf: generators draw a dozen uuids for each record they write. */
void mock_rng_uuid(struct mock_rng *rng, char *out)
{
    uint64_t a = mock_rng_next(rng), b = mock_rng_next(rng);
    char *p = put_hex(out, a >> 32, 8);
    *p++ = '-';
    p = put_hex(p, (a >> 16) & 0xffff, 4);
    *p++ = '-';
    *p++ = '4';
    p = put_hex(p, a & 0x0fff, 3);
    *p++ = '-';
    p = put_hex(p, ((b >> 48) & 0x3fff) | 0x8000, 4);
    *p++ = '-';
    p = put_hex(p, b & 0xffffffffffffULL, 12);
    *p = '\0';
}

void mock_shared_rng_init(struct mock_shared_rng *shared, uint64_t seed)
{
    pthread_mutex_init(&shared->lock, NULL);
    mock_rng_seed(&shared->rng, seed);
}

void mock_shared_rng_destroy(struct mock_shared_rng *shared)
{
    pthread_mutex_destroy(&shared->lock);
}

uint64_t mock_shared_rng_next(struct mock_shared_rng *shared)
{
    pthread_mutex_lock(&shared->lock);
    uint64_t v = mock_rng_next(&shared->rng);
    pthread_mutex_unlock(&shared->lock);
    return v;
}

void mock_shared_rng_uuid(struct mock_shared_rng *shared, char *out)
{
    pthread_mutex_lock(&shared->lock);
    mock_rng_uuid(&shared->rng, out);
    pthread_mutex_unlock(&shared->lock);
}

void mock_shared_rng_hex(struct mock_shared_rng *shared, char *out, size_t n, int upper)
{
    pthread_mutex_lock(&shared->lock);
    mock_rng_hex(&shared->rng, out, n, upper);
    pthread_mutex_unlock(&shared->lock);
}
