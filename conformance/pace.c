/* How fast the runner may ask: documented rate limits are paced (a vendor that allows 80 calls a
 * second gets at most 80), and an answer that says "too many" is waited out before asking again. */
#include <errno.h>
#include <time.h>

#include "runner.h"

static double monotonic_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void conform_sleep_s(double seconds)
{
    if (!(seconds > 0))
        return;
    time_t whole = (time_t)seconds;
    struct timespec ts = {whole, (long)((seconds - (double)whole) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

void conform_pacer_init(struct conform_pacer *p, double calls_per_second)
{
    /* A little under the rate: answers, not requests, are what the runner sees leave, and their
     * latencies vary. */
    p->interval_s = calls_per_second > 0 ? 1.05 / calls_per_second : 0;
    p->next_s = 0;
}

/* Called as each answer arrives, before the next request can leave: requests follow each other
 * at least one interval apart, so no second holds more than the rate allows. */
void conform_pacer_wait(struct conform_pacer *p)
{
    if (!p || p->interval_s <= 0)
        return;
    double now = monotonic_s();
    if (p->next_s > now)
        conform_sleep_s(p->next_s - now);
    p->next_s = (p->next_s > now ? p->next_s : now) + p->interval_s;
}

double conform_backoff_s(int attempt)
{
    /* 1, 2, 4, 8, then 16 s: bounded, so a vendor that never lets up ends the step in time. */
    return attempt < 1 ? 0 : attempt > 4 ? 16.0 : (double)(1 << (attempt - 1));
}
