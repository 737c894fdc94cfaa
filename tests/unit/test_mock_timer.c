/* The mock's timer thread (mockserver/timer.c): entries fire in deadline order, re-arming moves
 * one, a cancelled one never fires, cancel waits for a callback that is running, and a callback
 * may re-arm its own entry. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "clock.h"
#include "timer.h"

#define ENTRIES 200

struct probe {
    struct mock_timer_entry entry;
    int id;
    struct order *order;
    atomic_int fired;
    int rearm; /* times the callback re-arms its own entry */
    struct mock_timer *timer;
    int sleep_ms; /* the callback takes this long */
    atomic_bool finished;
    atomic_bool rearm_failed; /* cmocka is not for the timer's thread: checked after */
};

/* The ids in the order they fired. */
struct order {
    pthread_mutex_t lock;
    int ids[ENTRIES * 2];
    int count;
};

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

static void fired(struct mock_timer_entry *entry)
{
    struct probe *p = (struct probe *)((char *)entry - offsetof(struct probe, entry));
    if (p->sleep_ms)
        sleep_ms(p->sleep_ms);
    if (p->order) {
        pthread_mutex_lock(&p->order->lock);
        p->order->ids[p->order->count++] = p->id;
        pthread_mutex_unlock(&p->order->lock);
    }
    atomic_fetch_add(&p->fired, 1);
    if (p->rearm > 0) {
        p->rearm--;
        if (!mock_timer_schedule(p->timer, entry, mock_monotonic_us() + 1000))
            atomic_store(&p->rearm_failed, true);
    }
    atomic_store(&p->finished, true);
}

static struct mock_timer *start_timer(void)
{
    char err[128];
    struct mock_timer *t = mock_timer_start(err, sizeof(err));
    assert_non_null(t);
    return t;
}

/* Waits up to 5 s for the condition; false when it never held. */
#define WAIT_FOR(cond)                                                                             \
    do {                                                                                           \
        for (int waited_ = 0; !(cond) && waited_ < 5000; waited_++)                                \
            sleep_ms(1);                                                                           \
    } while (0)

static void test_fires_in_deadline_order(void **state)
{
    (void)state;
    struct mock_timer *t = start_timer();
    struct order order = {.lock = PTHREAD_MUTEX_INITIALIZER};
    struct probe *probes = calloc(ENTRIES, sizeof(*probes));
    assert_non_null(probes);
    int64_t base = mock_monotonic_us() + 100000;
    /* Scheduled in a scrambled order; due 1 ms apart in id order. */
    for (int k = 0; k < ENTRIES; k++) {
        int i = (k * 7919) % ENTRIES;
        probes[i].entry.fire = fired;
        probes[i].id = i;
        probes[i].order = &order;
        assert_true(mock_timer_schedule(t, &probes[i].entry, base + i * 1000));
    }
    assert_true(mock_timer_pending(t, &probes[0].entry));
    WAIT_FOR(atomic_load(&probes[ENTRIES - 1].fired) == 1);
    mock_timer_stop(t);
    assert_int_equal(order.count, ENTRIES);
    for (int i = 0; i < ENTRIES; i++)
        assert_int_equal(order.ids[i], i);
    for (int i = 0; i < ENTRIES; i++)
        assert_int_equal(atomic_load(&probes[i].fired), 1);
    free(probes);
}

static void test_rearm_and_cancel(void **state)
{
    (void)state;
    struct mock_timer *t = start_timer();
    struct order order = {.lock = PTHREAD_MUTEX_INITIALIZER};
    struct probe a = {.entry.fire = fired, .id = 1, .order = &order};
    struct probe b = {.entry.fire = fired, .id = 2, .order = &order};
    struct probe c = {.entry.fire = fired, .id = 3, .order = &order};
    int64_t now = mock_monotonic_us();
    assert_true(mock_timer_schedule(t, &a.entry, now + 50000));
    assert_true(mock_timer_schedule(t, &b.entry, now + 100000));
    assert_true(mock_timer_schedule(t, &c.entry, now + 150000));
    /* a moves behind c; b is cancelled and never fires. */
    assert_true(mock_timer_schedule(t, &a.entry, now + 200000));
    mock_timer_cancel(t, &b.entry);
    assert_false(mock_timer_pending(t, &b.entry));
    mock_timer_cancel(t, &b.entry); /* what is not pending: nothing happens */
    WAIT_FOR(atomic_load(&a.fired) == 1);
    sleep_ms(150);
    mock_timer_stop(t);
    assert_int_equal(order.count, 2);
    assert_int_equal(order.ids[0], 3);
    assert_int_equal(order.ids[1], 1);
    assert_int_equal(atomic_load(&b.fired), 0);
}

static void test_cancel_waits_for_a_running_callback(void **state)
{
    (void)state;
    struct mock_timer *t = start_timer();
    struct probe slow = {.entry.fire = fired, .sleep_ms = 300};
    int64_t start = mock_monotonic_us();
    assert_true(mock_timer_schedule(t, &slow.entry, start));
    WAIT_FOR(!mock_timer_pending(t, &slow.entry)); /* taken out of the heap: now running */
    mock_timer_cancel(t, &slow.entry);
    /* The owner may free the entry now: its callback has returned. */
    assert_true(atomic_load(&slow.finished));
    assert_true(mock_monotonic_us() - start >= 250000);
    mock_timer_stop(t);
}

static void test_callback_rearms_itself(void **state)
{
    (void)state;
    struct mock_timer *t = start_timer();
    struct probe p = {.entry.fire = fired, .rearm = 5};
    p.timer = t;
    assert_true(mock_timer_schedule(t, &p.entry, mock_monotonic_us()));
    WAIT_FOR(atomic_load(&p.fired) == 6);
    sleep_ms(20);
    assert_int_equal(atomic_load(&p.fired), 6);
    assert_false(mock_timer_pending(t, &p.entry));
    assert_false(atomic_load(&p.rearm_failed));
    mock_timer_stop(t);
}

static void test_stop_with_pending_entries(void **state)
{
    (void)state;
    struct mock_timer *t = start_timer();
    struct probe p = {.entry.fire = fired};
    assert_true(mock_timer_schedule(t, &p.entry, mock_monotonic_us() + 60 * 1000000LL));
    mock_timer_stop(t); /* returns at once; the entry never fires */
    assert_int_equal(atomic_load(&p.fired), 0);
    assert_int_equal(p.entry.slot, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fires_in_deadline_order),
        cmocka_unit_test(test_rearm_and_cancel),
        cmocka_unit_test(test_cancel_waits_for_a_running_callback),
        cmocka_unit_test(test_callback_rearms_itself),
        cmocka_unit_test(test_stop_with_pending_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
