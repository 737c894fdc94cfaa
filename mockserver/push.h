/* Push delivery: the mock calls a customer's webhook the way a vendor does. Per vendor a target
 * URL (from --config {"<vendor>": {"push_url": "..."}} or PUT /__cdrsim/<vendor>/push) and a
 * queue; the records that enter the vendor's store at run time are shaped by the vendor's push
 * (vendor.h: one record per delivery, or a batch) and queued; one worker thread delivers with
 * http_post.c and retries failures on the MOCK's clock by the vendor's schedule, so moving the
 * clock brings the next attempt. Request handling only queues and never waits for a delivery.
 * Thread-safe. */
#ifndef MOCK_PUSH_H
#define MOCK_PUSH_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "clock.h"
#include "config.h"
#include "journal.h"
#include "vendor.h"

/* Each attempt waits this long to connect and, again, to send and hear the status line. */
#define MOCK_PUSH_TIMEOUT_MS 5000
/* Records waiting per vendor beyond this are dropped (counted as abandoned). */
#define MOCK_PUSH_QUEUE_LIMIT 10000

struct mock_push;

/* Where push attempts are recorded: the request journal, as method "PUSH", path the target URL,
 * status the receiver's (0 when none came) and the reason of a failure in "fault". */
struct mock_push_journal {
    struct mock_journal *journal;           /* NULL: no journal */
    const char *const *const *secret_names; /* as for requests (journal.h) */
};

/* Reads each vendor's push settings from config and starts the worker. clock, config and the
 * journal must outlive it. NULL with err filled (a bad setting, no thread). */
struct mock_push *mock_push_new(struct mock_clock *clock, const struct mock_config *config,
                                const struct mock_push_journal *journal, char *err, size_t err_len);
/* Stops the worker (an attempt in flight finishes first) and frees everything. NULL is fine. */
void mock_push_free(struct mock_push *push);

/* The record listener's callback (vendor.h; ctx is the struct mock_push): when sim pushes and has
 * a target, queues the records' pushes, as many deliveries as the vendor's batch size makes. */
void mock_push_records_entered(void *ctx, const struct mock_vendor_sim *sim, const void *state,
                               const cJSON *records);

/* Points mock_vendors[vendor_index]'s pushes at url; false with err when the vendor does not
 * push or the URL is not one the mock can reach. Queued records go to the new target. */
bool mock_push_set_target(struct mock_push *push, size_t vendor_index, const char *url, char *err,
                          size_t err_len);
/* Turns the vendor's pushes off and drops its queue. */
void mock_push_clear_target(struct mock_push *push, size_t vendor_index);
/* {"url", "retry_seconds", "retries", "batch", "schedule_inferred", "queued", "delivered",
 * "abandoned", "pending": [{"id", "attempts", "next_attempt", "last_status", "last_error"}],
 * "attempts": [the newest attempts]}; NULL when the vendor does not push. Caller frees. */
char *mock_push_status_json(struct mock_push *push, size_t vendor_index);
/* Whether mock_vendors[vendor_index] pushes at all. */
bool mock_push_supported(size_t vendor_index);

/* Empties every queue and brings back the targets of --config (POST /__cdrsim/reset). */
void mock_push_reset(struct mock_push *push);
/* Tells the worker the mock's clock moved, so attempts now due go at once. */
void mock_push_wake(struct mock_push *push);

#endif
