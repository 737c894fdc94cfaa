/* Work that runs side by side on a few threads: the datasets' loads and the schemas' at start-up
 * and on a reset. The jobs are taken costliest first by as many threads as there are cores (the
 * caller's among them). Taking them that way finishes soonest: with a thread per job, every job
 * shares the cores equally, so the longest is left running alone at the end while the other
 * cores idle; and every extra thread costs its own stack and malloc arena, in fresh memory. */
#ifndef MOCK_JOBS_H
#define MOCK_JOBS_H

#include <stddef.h>
#include <stdint.h>

struct mock_job {
    void (*run)(void *arg);
    void *arg;
    uint64_t cost; /* an estimate in any unit shared by the list (e.g. bytes to read) */
};

/* Runs every job of jobs[0..count) once, on the calling thread and up to one more thread per
 * other online core, and returns when all are done. Reorders jobs (costliest first). Jobs run in
 * the calling thread alone when no thread can be started. */
void mock_jobs_run(struct mock_job *jobs, size_t count);

#endif
