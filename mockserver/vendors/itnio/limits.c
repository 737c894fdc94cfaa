/* The query quota behind ITNIO's -23 "Data caps": the pages list the code on every call-center
 * endpoint without saying what is capped (docs/vendors/itnio.md section 6), so which limit it is
 * is inferred: N calls per API key and period, periods aligned on the mock's clock. Off unless the
 * itnio.query_quota variant sets one. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

bool itnio_limits_parse(const char *text, int64_t *quota, int64_t *period)
{
    *quota = 0;
    *period = 1;
    if (strcmp(text, "off") == 0)
        return true;
    char *end;
    errno = 0;
    long long n = strtoll(text, &end, 10);
    if (errno || end == text || n < 1 || *end != '/')
        return false;
    const char *unit = end + 1;
    static const struct {
        const char *name;
        int64_t seconds;
    } units[] = {{"second", 1}, {"minute", 60}, {"hour", 3600}, {"day", 86400}};
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (strcmp(unit, units[i].name) == 0) {
            *quota = n;
            *period = units[i].seconds;
            return true;
        }
    }
    /* "30s": a period of that many seconds. */
    errno = 0;
    long long s = strtoll(unit, &end, 10);
    if (errno || end == unit || strcmp(end, "s") != 0 || s < 1 || s > 31536000)
        return false;
    *quota = n;
    *period = s;
    return true;
}

bool itnio_limits_init(struct itnio_state *st)
{
    size_t n = st->credential_count ? st->credential_count : 1;
    st->limits.counters = calloc(n, sizeof(*st->limits.counters));
    if (!st->limits.counters)
        return false;
    if (pthread_mutex_init(&st->limits.lock, NULL) != 0)
        return false;
    st->limits.lock_ready = true;
    return true;
}

void itnio_limits_free(struct itnio_state *st)
{
    if (st->limits.lock_ready)
        pthread_mutex_destroy(&st->limits.lock);
    free(st->limits.counters);
    st->limits.counters = NULL;
    st->limits.lock_ready = false;
}

int itnio_limits_take(struct itnio_state *st, const struct mock_env *env, size_t credential)
{
    if (st->v.quota <= 0 || credential >= st->credential_count)
        return ITNIO_OK;
    int64_t now = mock_clock_now(env->clock);
    /* Floor division: a clock set before 1970 still lands in one period. */
    int64_t period = now / st->v.quota_period - (now % st->v.quota_period < 0);
    pthread_mutex_lock(&st->limits.lock);
    struct itnio_quota_counter *c = &st->limits.counters[credential];
    if (c->period != period) {
        c->period = period;
        c->used = 0;
    }
    bool allowed = c->used < st->v.quota;
    if (allowed)
        c->used++;
    pthread_mutex_unlock(&st->limits.lock);
    return allowed ? ITNIO_OK : ITNIO_DATA_CAPS;
}
