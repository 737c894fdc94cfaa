/* Seeded pseudo-random numbers (splitmix64): the same seed gives the same request ids, guids and
 * generated datasets on every machine. Not for secrets. */
#ifndef MOCK_RNG_H
#define MOCK_RNG_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

struct mock_rng {
    uint64_t state;
};

void mock_rng_seed(struct mock_rng *rng, uint64_t seed);
/* A seed that differs between processes and between starts: the time to the nanosecond, the
 * process id and where the stack is, mixed. For server-made ids when no --seed asks for a
 * reproducible run. */
uint64_t mock_rng_entropy(void);
/* A seed derived from a base seed and a label, so each vendor's generator has its own stream. */
uint64_t mock_rng_derive(uint64_t seed, const char *label);
uint64_t mock_rng_next(struct mock_rng *rng);
/* Uniform in [0, n); n > 0. */
uint64_t mock_rng_below(struct mock_rng *rng, uint64_t n);
/* Uniform in [lo, hi]. */
int64_t mock_rng_range(struct mock_rng *rng, int64_t lo, int64_t hi);
/* Picks an index with the given relative weights. */
size_t mock_rng_weighted(struct mock_rng *rng, const unsigned *weights, size_t n);
/* n call start times drawn uniformly from [from, from + width), sorted: generators assign ids in
 * this order so ids grow with time as a database sequence would. Caller frees; NULL when out of
 * memory. */
int64_t *mock_rng_sorted_instants(struct mock_rng *rng, int64_t n, int64_t from, uint64_t width);
/* Lowercase RFC 4122 version-4 layout: out holds 37 bytes. */
void mock_rng_uuid(struct mock_rng *rng, char *out);
/* n random hex digits (lowercase or uppercase), NUL-terminated: out holds n + 1 bytes. */
void mock_rng_hex(struct mock_rng *rng, char *out, size_t n, int upper);

/* The server-wide generator handlers share (request ids, guids). */
struct mock_shared_rng {
    pthread_mutex_t lock;
    struct mock_rng rng;
};

void mock_shared_rng_init(struct mock_shared_rng *shared, uint64_t seed);
void mock_shared_rng_destroy(struct mock_shared_rng *shared);
uint64_t mock_shared_rng_next(struct mock_shared_rng *shared);
void mock_shared_rng_uuid(struct mock_shared_rng *shared, char *out);
void mock_shared_rng_hex(struct mock_shared_rng *shared, char *out, size_t n, int upper);

#endif
