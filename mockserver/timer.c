#include "timer.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"

struct mock_timer {
    pthread_mutex_t lock;
    pthread_cond_t changed; /* the earliest deadline moved, or stop was asked */
    pthread_cond_t fired;   /* a callback returned: cancel may be waiting for it */
    pthread_t thread;
    bool stop;
    /* A min-heap on due_us; entry->slot is its index + 1. */
    struct mock_timer_entry **heap;
    size_t count;
    size_t cap;
    const struct mock_timer_entry *firing; /* whose callback runs right now, or NULL */
};

static bool earlier(const struct mock_timer_entry *a, const struct mock_timer_entry *b)
{
    return a->due_us < b->due_us;
}

static void place(struct mock_timer *t, size_t i, struct mock_timer_entry *e)
{
    t->heap[i] = e;
    e->slot = i + 1;
}

static void sift_up(struct mock_timer *t, size_t i)
{
    struct mock_timer_entry *e = t->heap[i];
    while (i > 0 && earlier(e, t->heap[(i - 1) / 2])) {
        place(t, i, t->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    place(t, i, e);
}

static void sift_down(struct mock_timer *t, size_t i)
{
    struct mock_timer_entry *e = t->heap[i];
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= t->count)
            break;
        if (child + 1 < t->count && earlier(t->heap[child + 1], t->heap[child]))
            child++;
        if (!earlier(t->heap[child], e))
            break;
        place(t, i, t->heap[child]);
        i = child;
    }
    place(t, i, e);
}

/* Takes a pending entry out of the heap. */
static void unlink_entry(struct mock_timer *t, struct mock_timer_entry *e)
{
    size_t i = e->slot - 1;
    e->slot = 0;
    struct mock_timer_entry *last = t->heap[--t->count];
    if (i == t->count)
        return;
    place(t, i, last);
    if (i > 0 && earlier(last, t->heap[(i - 1) / 2]))
        sift_up(t, i);
    else
        sift_down(t, i);
}

static struct timespec monotonic_at(int64_t us)
{
    return (struct timespec){.tv_sec = us / 1000000, .tv_nsec = (long)(us % 1000000) * 1000};
}

static void *run(void *arg)
{
    struct mock_timer *t = arg;
    pthread_mutex_lock(&t->lock);
    while (!t->stop) {
        if (t->count == 0) {
            pthread_cond_wait(&t->changed, &t->lock);
            continue;
        }
        struct mock_timer_entry *e = t->heap[0];
        if (e->due_us > mock_monotonic_us()) {
            struct timespec at = monotonic_at(e->due_us);
            pthread_cond_timedwait(&t->changed, &t->lock, &at);
            continue;
        }
        unlink_entry(t, e);
        t->firing = e;
        pthread_mutex_unlock(&t->lock);
        e->fire(e);
        pthread_mutex_lock(&t->lock);
        t->firing = NULL;
        pthread_cond_broadcast(&t->fired);
    }
    pthread_mutex_unlock(&t->lock);
    return NULL;
}

struct mock_timer *mock_timer_start(char *err, size_t err_len)
{
    struct mock_timer *t = calloc(1, sizeof(*t));
    if (!t) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->changed, &attr);
    pthread_cond_init(&t->fired, NULL);
    pthread_condattr_destroy(&attr);
    int rc = pthread_create(&t->thread, NULL, run, t);
    if (rc != 0) {
        snprintf(err, err_len, "cannot start the timer thread: %s", strerror(rc));
        pthread_cond_destroy(&t->changed);
        pthread_cond_destroy(&t->fired);
        pthread_mutex_destroy(&t->lock);
        free(t);
        return NULL;
    }
    return t;
}

void mock_timer_stop(struct mock_timer *t)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->lock);
    t->stop = true;
    pthread_cond_signal(&t->changed);
    pthread_mutex_unlock(&t->lock);
    pthread_join(t->thread, NULL);
    for (size_t i = 0; i < t->count; i++)
        t->heap[i]->slot = 0;
    free(t->heap);
    pthread_cond_destroy(&t->changed);
    pthread_cond_destroy(&t->fired);
    pthread_mutex_destroy(&t->lock);
    free(t);
}

bool mock_timer_schedule(struct mock_timer *t, struct mock_timer_entry *e, int64_t due_us)
{
    pthread_mutex_lock(&t->lock);
    if (e->slot)
        unlink_entry(t, e);
    if (t->count == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        struct mock_timer_entry **grown = realloc(t->heap, cap * sizeof(*grown));
        if (!grown) {
            pthread_mutex_unlock(&t->lock);
            return false;
        }
        t->heap = grown;
        t->cap = cap;
    }
    e->due_us = due_us;
    place(t, t->count++, e);
    sift_up(t, t->count - 1);
    /* Only a new earliest deadline changes how long the thread should sleep. */
    if (t->heap[0] == e)
        pthread_cond_signal(&t->changed);
    pthread_mutex_unlock(&t->lock);
    return true;
}

void mock_timer_cancel(struct mock_timer *t, struct mock_timer_entry *e)
{
    pthread_mutex_lock(&t->lock);
    if (e->slot)
        unlink_entry(t, e);
    while (t->firing == e && !pthread_equal(pthread_self(), t->thread))
        pthread_cond_wait(&t->fired, &t->lock);
    pthread_mutex_unlock(&t->lock);
}

bool mock_timer_pending(struct mock_timer *t, const struct mock_timer_entry *e)
{
    pthread_mutex_lock(&t->lock);
    bool pending = e->slot != 0;
    pthread_mutex_unlock(&t->lock);
    return pending;
}
