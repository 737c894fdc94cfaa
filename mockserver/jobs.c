#include "jobs.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

enum { MAX_HELPERS = 63 };

struct queue {
    struct mock_job *jobs;
    size_t count;
    atomic_size_t next;
};

static void *take_jobs(void *arg)
{
    struct queue *q = arg;
    for (size_t i; (i = atomic_fetch_add(&q->next, 1)) < q->count;)
        q->jobs[i].run(q->jobs[i].arg);
    return NULL;
}

static int costliest_first(const void *a, const void *b)
{
    uint64_t x = ((const struct mock_job *)a)->cost, y = ((const struct mock_job *)b)->cost;
    return (x < y) - (x > y);
}

void mock_jobs_run(struct mock_job *jobs, size_t count)
{
    if (count == 0)
        return;
    qsort(jobs, count, sizeof(*jobs), costliest_first);
    struct queue q = {.jobs = jobs, .count = count};
    atomic_init(&q.next, 0);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t helpers = cores > 1 ? (size_t)cores - 1 : 0;
    if (helpers > count - 1)
        helpers = count - 1;
    if (helpers > MAX_HELPERS)
        helpers = MAX_HELPERS;
    pthread_t threads[MAX_HELPERS];
    size_t started = 0;
    while (started < helpers && pthread_create(&threads[started], NULL, take_jobs, &q) == 0)
        started++;
    take_jobs(&q);
    for (size_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
}
