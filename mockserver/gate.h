/* A vendor's gate: any number of requests pass together, a control-plane change (records added or
 * cleared at run time) passes alone. A change waiting at the gate stops new requests from
 * entering, so a busy vendor cannot starve it; the requests inside finish first. */
#ifndef MOCK_GATE_H
#define MOCK_GATE_H

#include <pthread.h>

struct mock_gate {
    pthread_rwlock_t lock;
};

void mock_gate_init(struct mock_gate *gate);
void mock_gate_destroy(struct mock_gate *gate);
/* A request: shares the gate with other requests. Never enter twice from one thread. */
void mock_gate_enter_shared(struct mock_gate *gate);
/* A change: waits until no request is inside, and keeps new ones out until mock_gate_leave. */
void mock_gate_enter_alone(struct mock_gate *gate);
void mock_gate_leave(struct mock_gate *gate);

#endif
