/* ITNIO simulator internals, shared by its files: itnio.c (table, routing, auth, errors),
 * itnio_records.c (call-record query), itnio_roster.c (groups and agents), itnio_dataset.c
 * (fixtures in, pre-rendered records out) and itnio_generate.c (deterministic records). */
#ifndef MOCK_VENDOR_ITNIO_H
#define MOCK_VENDOR_ITNIO_H

#include <cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../rng.h"
#include "../../store.h"
#include "../../vendor.h"
#include "cdrsim/buf.h"

#define ITNIO_MAX_RANGE (93LL * 86400)
#define ITNIO_ABSENT INT64_MIN
#define ITNIO_DEFAULT_WINDOW 1800 /* seconds a Timestamp may differ from the server's clock */

enum itnio_status {
    ITNIO_OK = 0,
    ITNIO_AUTH = -1,
    ITNIO_TIMESTAMP = -16,
    ITNIO_SYSTEM = -18,
    ITNIO_PARAMETER = -22,
    ITNIO_RANGE = -76,
};

/* Filter fields of one record, parsed once at load. */
struct itnio_attrs {
    /* ITNIO_ABSENT when the record lacks the field (or names an unknown group or agent): a
     * value no JSON filter can carry, so absent fields never match, not even a filter of -1. */
    int64_t voice_group_id;
    int64_t seat_id;
    int64_t call_type, hangup_reason, hanging_direction;
    const char *sip_group_name; /* these point into `strings` */
    const char *seat_name;
    const char *called;
    const char *encrypt_called;
    const char *caller;
    const char *ccode;
    const char **labels;
    size_t label_count;
    char *strings; /* one allocation holding every string above */
};

struct itnio_group {
    int64_t id;
    char *name;
    char *json; /* rendered list entry (countSeat filled from the agents) */
};

struct itnio_seat {
    int64_t id;
    char *name;
    int64_t group_id;
    int64_t enable;
    int64_t status;
    char *json;
};

struct itnio_credential {
    char *key;
    char *secret;
};

struct itnio_state {
    struct mock_store records;
    struct itnio_group *groups;
    size_t group_count;
    struct itnio_seat *seats;
    size_t seat_count;
    struct itnio_credential *credentials;
    size_t credential_count;
    /* variants */
    bool status_as_string;
    bool range_end_exclusive;
    int64_t timestamp_window;
};

extern const struct mock_vendor_sim itnio_sim;

/* itnio.c: the envelope every answer shares; reason NULL = the documented text of the status. */
void itnio_reply(const struct itnio_state *st, struct mock_response *resp, int status,
                 const char *reason);
/* itnio.c: a success answer is built in one buffer: itnio_begin_success writes
 * `{"status":0,"reason":"success","data":`, the caller appends the data, itnio_finish_success
 * closes the envelope and hands the buffer to the response. */
void itnio_begin_success(const struct itnio_state *st, struct cdr_buf *b, size_t data_hint);
void itnio_finish_success(const struct itnio_state *st, struct mock_response *resp,
                          struct cdr_buf *b);

/* itnio_records.c */
void itnio_record_query(const struct itnio_state *st, const cJSON *body,
                        struct mock_response *resp);
/* itnio_roster.c */
void itnio_group_query(const struct itnio_state *st, const cJSON *body, struct mock_response *resp);
void itnio_seat_query(const struct itnio_state *st, const cJSON *body, struct mock_response *resp);
/* Validates current/size (defaults 1 and 25); false = answer -22. */
bool itnio_paging(const cJSON *body, int64_t *current, int64_t *size);

/* itnio_dataset.c */
bool itnio_load_roster(struct itnio_state *st, const char *dir, char *err, size_t err_len);
/* Parses, indexes and renders one record object (ownership stays with the caller). */
bool itnio_ingest_record(struct itnio_state *st, const cJSON *record, char *err, size_t err_len);
const struct itnio_group *itnio_find_group_by_name(const struct itnio_state *st, const char *name);
const struct itnio_seat *itnio_find_seat_by_name(const struct itnio_state *st, const char *name);
void itnio_free_attrs(void *attrs);

/* itnio_generate.c: ingests n records in the vendor's exact shape, spread over the 365 days before
 * anchor, for the agents already loaded. Same seed and anchor, same records. */
bool itnio_generate_records(struct itnio_state *st, int64_t n, uint64_t seed, int64_t anchor,
                            char *err, size_t err_len);

#endif
