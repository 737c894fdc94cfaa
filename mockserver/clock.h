/* The mock's notion of "now". Injected into every handler so timestamp windows, guid expiry and
 * generated datasets can be tested by moving time instead of sleeping. Thread-safe. */
#ifndef MOCK_CLOCK_H
#define MOCK_CLOCK_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct mock_clock {
    pthread_mutex_t lock;
    bool frozen;       /* fixed: only set/advance move it */
    int64_t offset_ms; /* running: now = wall clock + offset */
    int64_t fixed_ms;  /* frozen: now = fixed */
};

/* A running clock that starts at start_ms (Unix milliseconds) and advances in real time. */
void mock_clock_init_running(struct mock_clock *clock, int64_t start_ms);
/* The real wall clock. */
void mock_clock_init_real(struct mock_clock *clock);
/* A clock that stands still at fixed_ms, for in-process tests. */
void mock_clock_init_frozen(struct mock_clock *clock, int64_t fixed_ms);
void mock_clock_destroy(struct mock_clock *clock);

int64_t mock_clock_now_ms(struct mock_clock *clock);
int64_t mock_clock_now(struct mock_clock *clock); /* Unix seconds, floored */
void mock_clock_set_ms(struct mock_clock *clock, int64_t now_ms);
void mock_clock_advance_ms(struct mock_clock *clock, int64_t delta_ms);
/* Stops the clock at now_ms (tests that must not see time pass). */
void mock_clock_freeze(struct mock_clock *clock, int64_t now_ms);

int64_t mock_wall_clock_ms(void);
int64_t mock_monotonic_us(void);

#endif
