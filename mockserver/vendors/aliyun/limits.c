/* The documented flow control (calls per second per API), counted in whole seconds of the mock's
 * clock so tests move time instead of sleeping. */
#include "internal.h"

void aliyun_throttle_init(struct aliyun_throttle *t, int64_t limit)
{
    pthread_mutex_init(&t->lock, NULL);
    t->limit = limit;
    t->second = INT64_MIN;
    t->used = 0;
}

void aliyun_throttle_destroy(struct aliyun_throttle *t)
{
    pthread_mutex_destroy(&t->lock);
}

bool aliyun_throttle_admit(struct aliyun_throttle *t, int64_t now_ms, int64_t *retry_in_ms)
{
    *retry_in_ms = 0;
    if (t->limit <= 0)
        return true;
    int64_t second = now_ms >= 0 ? now_ms / 1000 : -((-now_ms + 999) / 1000);
    pthread_mutex_lock(&t->lock);
    if (second != t->second) {
        t->second = second;
        t->used = 0;
    }
    bool admitted = t->used < t->limit;
    if (admitted)
        t->used++;
    pthread_mutex_unlock(&t->lock);
    if (!admitted)
        *retry_in_ms = (second + 1) * 1000 - now_ms;
    return admitted;
}
