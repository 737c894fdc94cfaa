/* Writer preference is a glibc extension: the only reason this file asks for GNU names. */
#define _GNU_SOURCE
#include "gate.h"

void mock_gate_init(struct mock_gate *gate)
{
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
#ifdef __GLIBC__
    /* glibc's default lets readers overtake a waiting writer forever. */
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
    pthread_rwlock_init(&gate->lock, &attr);
    pthread_rwlockattr_destroy(&attr);
}

void mock_gate_destroy(struct mock_gate *gate)
{
    pthread_rwlock_destroy(&gate->lock);
}

void mock_gate_enter_shared(struct mock_gate *gate)
{
    pthread_rwlock_rdlock(&gate->lock);
}

void mock_gate_enter_alone(struct mock_gate *gate)
{
    pthread_rwlock_wrlock(&gate->lock);
}

void mock_gate_leave(struct mock_gate *gate)
{
    pthread_rwlock_unlock(&gate->lock);
}
