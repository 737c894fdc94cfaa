#include "clock.h"

#include <time.h>

int64_t mock_wall_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t mock_monotonic_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void mock_clock_init_running(struct mock_clock *clock, int64_t start_ms)
{
    pthread_mutex_init(&clock->lock, NULL);
    clock->frozen = false;
    clock->offset_ms = start_ms - mock_wall_clock_ms();
    clock->fixed_ms = 0;
}

void mock_clock_init_real(struct mock_clock *clock)
{
    mock_clock_init_running(clock, mock_wall_clock_ms());
    clock->offset_ms = 0;
}

void mock_clock_init_frozen(struct mock_clock *clock, int64_t fixed_ms)
{
    pthread_mutex_init(&clock->lock, NULL);
    clock->frozen = true;
    clock->offset_ms = 0;
    clock->fixed_ms = fixed_ms;
}

void mock_clock_destroy(struct mock_clock *clock)
{
    pthread_mutex_destroy(&clock->lock);
}

int64_t mock_clock_now_ms(struct mock_clock *clock)
{
    pthread_mutex_lock(&clock->lock);
    int64_t now = clock->frozen ? clock->fixed_ms : mock_wall_clock_ms() + clock->offset_ms;
    pthread_mutex_unlock(&clock->lock);
    return now;
}

int64_t mock_clock_now(struct mock_clock *clock)
{
    int64_t ms = mock_clock_now_ms(clock);
    return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

void mock_clock_set_ms(struct mock_clock *clock, int64_t now_ms)
{
    pthread_mutex_lock(&clock->lock);
    if (clock->frozen)
        clock->fixed_ms = now_ms;
    else
        clock->offset_ms = now_ms - mock_wall_clock_ms();
    pthread_mutex_unlock(&clock->lock);
}

void mock_clock_advance_ms(struct mock_clock *clock, int64_t delta_ms)
{
    pthread_mutex_lock(&clock->lock);
    if (clock->frozen)
        clock->fixed_ms += delta_ms;
    else
        clock->offset_ms += delta_ms;
    pthread_mutex_unlock(&clock->lock);
}

void mock_clock_freeze(struct mock_clock *clock, int64_t now_ms)
{
    pthread_mutex_lock(&clock->lock);
    clock->frozen = true;
    clock->fixed_ms = now_ms;
    pthread_mutex_unlock(&clock->lock);
}
