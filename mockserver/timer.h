/* One thread that runs callbacks at deadlines (a binary heap of them), so that nothing which
 * waits — a long poll, a delayed or dribbled answer, a connection's header deadline — holds a
 * thread of its own. Entries are embedded in their owner's struct: scheduling never allocates
 * once the heap has grown to the number of pending entries. */
#ifndef MOCK_TIMER_H
#define MOCK_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mock_timer;

struct mock_timer_entry {
    /* Set by the owner before the first schedule. Runs on the timer's thread, without any lock
     * of the timer held: it may schedule entries (itself included) but must not cancel itself. */
    void (*fire)(struct mock_timer_entry *entry);
    /* The timer's own: when (mock_monotonic_us) and where in the heap (0 = not pending). */
    int64_t due_us;
    size_t slot;
};

/* Starts the thread. NULL with err filled. */
struct mock_timer *mock_timer_start(char *err, size_t err_len);
/* Stops the thread; entries still pending never fire. */
void mock_timer_stop(struct mock_timer *timer);

/* (Re)arms entry to fire at due_us on the monotonic clock (mock_monotonic_us). false when out of
 * memory (the entry is then not pending). */
bool mock_timer_schedule(struct mock_timer *timer, struct mock_timer_entry *entry, int64_t due_us);
/* Disarms entry. On return its callback is not running and will not run unless scheduled again,
 * so the owner may free it. */
void mock_timer_cancel(struct mock_timer *timer, struct mock_timer_entry *entry);
/* Whether entry is armed (a snapshot: it may fire right after). */
bool mock_timer_pending(struct mock_timer *timer, const struct mock_timer_entry *entry);

#endif
