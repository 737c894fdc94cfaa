/* The number search (calledOrCaller: a substring of the caller or either form of the called
 * number) over a window of the store, and a cache of its recent answers.
 *
 * The numbers column holds every record's numbers in store order, each followed by a NUL, so a
 * window's numbers are one stretch of bytes that memmem searches in one go (a needle holds no NUL,
 * so a hit never spans two numbers). A needle of 3 digits or more is answered by the column's
 * gram index instead (../../grams.h): only the records holding its rarest 4 digits (or, for 3
 * digits, the 20 grams around them) and the company lines holding it are looked at. The index is
 * built in a thread after the mock is ready; until then, and for 1-2 digits or needles with
 * anything but digits, searches pass over the window: a million records in 90 days is ~250,000
 * records and ~7 MB per query. So their answer (one bit per record of the window) is kept for
 * the next query with the same number and window: a client paging through a search, or polling
 * it, pays the pass once. The store changes only while no query runs (the vendor's gate), and
 * every change rebuilds the column and its grams and empties the cache. */
#define _GNU_SOURCE /* memmem */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../../grams.h"
#include "internal.h"

/* The grams answer a search with fewer matches than CACHED_FROM in about what a cache look-up and
 * the copy of its bits would cost; with more, each candidate's numbers are checked (a 4-digit
 * needle's gram aside), so those answers are kept too. */
enum { CACHED = 8, CACHED_FROM = 1024 };

/* One search's answer; shared by the queries using it, freed by the last one out. */
struct itnio_number_hit {
    char *needle;
    struct mock_index_bits bits;
    size_t matches;
    unsigned users; /* queries holding it, plus one while it is in the cache */
    uint64_t used;  /* when it was last looked up (a counter): the oldest is evicted */
};

struct itnio_numbers {
    char *text;        /* every record's numbers, NUL after each */
    uint32_t *offsets; /* record i's numbers are text[offsets[i] .. offsets[i + 1]) */
    size_t count;
    /* The column's 4-digit grams (searches of 3 digits or more), built in a thread of their own
     * after the column so that the mock is ready sooner: until grams_ready, searches pass over
     * the window. The thread owns grams until then; a rebuild or clear waits for it first. */
    struct mock_grams grams;
    pthread_t builder;
    bool building;
    atomic_bool grams_ready;
    pthread_mutex_t lock; /* queries run in parallel: the cache below */
    struct itnio_number_hit *recent[CACHED];
    uint64_t clock;
};

static void drop(struct itnio_number_hit *hit)
{
    if (hit && --hit->users == 0) {
        free(hit->needle);
        mock_index_bits_free(&hit->bits);
        free(hit);
    }
}

static void empty_cache(struct itnio_numbers *n)
{
    for (size_t i = 0; i < CACHED; i++) {
        drop(n->recent[i]);
        n->recent[i] = NULL;
    }
}

/* The distinct numbers of a record, as the filter reads them. */
static size_t numbers_of(const struct itnio_attrs *a, const char *out[3])
{
    size_t n = 0;
    if (a->caller)
        out[n++] = a->caller;
    if (a->called && (!a->encrypt_called || strcmp(a->called, a->encrypt_called) != 0))
        out[n++] = a->called;
    if (a->encrypt_called)
        out[n++] = a->encrypt_called;
    return n;
}

static bool fill_column(struct itnio_numbers *n, const struct mock_store *store)
{
    size_t total = 0;
    const char *nums[3];
    for (size_t i = 0; i < store->count; i++)
        for (size_t k = 0, m = numbers_of(store->entries[i].attrs, nums); k < m; k++)
            total += strlen(nums[k]) + 1;
    if (total > UINT32_MAX)
        return false;
    n->text = malloc(total ? total : 1);
    n->offsets = malloc((store->count + 1) * sizeof(*n->offsets));
    if (!n->text || !n->offsets)
        return false;
    char *p = n->text;
    for (size_t i = 0; i < store->count; i++) {
        n->offsets[i] = (uint32_t)(p - n->text);
        for (size_t k = 0, m = numbers_of(store->entries[i].attrs, nums); k < m; k++)
            p = stpcpy(p, nums[k]) + 1;
    }
    n->offsets[store->count] = (uint32_t)(p - n->text);
    n->count = store->count;
    return true;
}

static void clear_column(struct itnio_numbers *n)
{
    if (n->building)
        pthread_join(n->builder, NULL);
    n->building = false;
    atomic_store_explicit(&n->grams_ready, false, memory_order_relaxed);
    mock_grams_free(&n->grams);
    free(n->text);
    free(n->offsets);
    n->text = NULL;
    n->offsets = NULL;
    n->count = 0;
}

/* Without the grams (out of memory) every search passes over the window. */
static void *build_grams(void *numbers)
{
    struct itnio_numbers *n = numbers;
    bool built = mock_grams_build(&n->grams, n->text, n->offsets, n->count);
    atomic_store_explicit(&n->grams_ready, built, memory_order_release);
    return NULL;
}

bool itnio_numbers_build(struct itnio_state *st)
{
    if (!st->numbers) {
        st->numbers = calloc(1, sizeof(*st->numbers));
        if (!st->numbers)
            return false;
        if (pthread_mutex_init(&st->numbers->lock, NULL) != 0) {
            free(st->numbers);
            st->numbers = NULL;
            return false;
        }
    }
    itnio_numbers_clear(st);
    if (fill_column(st->numbers, &st->records))
        return true;
    clear_column(st->numbers);
    return false;
}

void itnio_numbers_index(struct itnio_state *st)
{
    struct itnio_numbers *n = st->numbers;
    if (!n || !n->offsets || n->building)
        return;
    n->building = pthread_create(&n->builder, NULL, build_grams, n) == 0;
    if (!n->building)
        build_grams(n);
}

void itnio_numbers_clear(struct itnio_state *st)
{
    if (!st->numbers)
        return;
    empty_cache(st->numbers);
    clear_column(st->numbers);
}

void itnio_numbers_free(struct itnio_state *st)
{
    if (!st->numbers)
        return;
    itnio_numbers_clear(st);
    pthread_mutex_destroy(&st->numbers->lock);
    free(st->numbers);
    st->numbers = NULL;
}

/* One pass of memmem over the window's numbers; the record of each hit is found by walking the
 * offsets forward, and the search goes on from that record's end. */
static void search(const struct itnio_numbers *n, const char *needle, struct itnio_number_hit *hit)
{
    size_t lo = hit->bits.lo, hi = hit->bits.hi, len = strlen(needle);
    const char *p = n->text + n->offsets[lo], *end = n->text + n->offsets[hi];
    size_t pos = lo;
    while (p < end) {
        const char *at = memmem(p, (size_t)(end - p), needle, len);
        if (!at)
            break;
        size_t offset = (size_t)(at - n->text);
        while (n->offsets[pos + 1] <= offset)
            pos++;
        mock_index_bits_set(&hit->bits, pos);
        hit->matches++;
        p = n->text + n->offsets[++pos];
    }
}

struct itnio_number_hit *itnio_numbers_find(const struct itnio_state *st, const char *needle,
                                            size_t lo, size_t hi)
{
    struct itnio_numbers *n = st->numbers;
    if (!n || !n->offsets || n->count != st->records.count || !*needle || hi < lo)
        return NULL; /* no column (out of memory): the caller tests records */
    pthread_mutex_lock(&n->lock);
    for (size_t i = 0; i < CACHED; i++) {
        struct itnio_number_hit *h = n->recent[i];
        if (h && h->bits.lo == lo && h->bits.hi == hi && strcmp(h->needle, needle) == 0) {
            h->used = ++n->clock;
            h->users++;
            pthread_mutex_unlock(&n->lock);
            return h;
        }
    }
    pthread_mutex_unlock(&n->lock);
    /* Searched outside the lock: other searches go on meanwhile (two queries for the same new
     * number may both search; the later one's answer replaces the other in the cache). */
    struct itnio_number_hit *hit = calloc(1, sizeof(*hit));
    if (!hit || !(hit->needle = strdup(needle)) ||
        !mock_index_bits_init(&hit->bits, lo, hi, false)) {
        if (hit)
            free(hit->needle);
        free(hit);
        return NULL;
    }
    if (atomic_load_explicit(&n->grams_ready, memory_order_acquire) &&
        mock_grams_ready(&n->grams, needle)) {
        hit->matches = mock_grams_find(&n->grams, n->text, n->offsets, needle, &hit->bits);
        if (hit->matches < CACHED_FROM) {
            hit->users = 1; /* the caller only: the cache keeps the costly answers */
            return hit;
        }
    } else {
        search(n, needle, hit);
    }
    hit->users = 2; /* the caller and the cache */
    pthread_mutex_lock(&n->lock);
    hit->used = ++n->clock;
    size_t oldest = 0;
    for (size_t i = 0; i < CACHED; i++)
        if (!n->recent[i] || (n->recent[oldest] && n->recent[i]->used < n->recent[oldest]->used))
            oldest = i;
    drop(n->recent[oldest]);
    n->recent[oldest] = hit;
    pthread_mutex_unlock(&n->lock);
    return hit;
}

const struct mock_index_bits *itnio_numbers_bits(const struct itnio_number_hit *hit)
{
    return &hit->bits;
}

size_t itnio_numbers_matches(const struct itnio_number_hit *hit)
{
    return hit->matches;
}

void itnio_numbers_release(const struct itnio_state *st, struct itnio_number_hit *hit)
{
    if (!hit)
        return;
    pthread_mutex_lock(&st->numbers->lock);
    drop(hit);
    pthread_mutex_unlock(&st->numbers->lock);
}
