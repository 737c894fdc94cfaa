/* ITNIO simulator internals, shared by the files of this folder. Facts: docs/vendors/itnio.md.
 *
 * Calls between the files run one way:
 *   sim.c -> routes.c -> auth.c, records.c, roster.c -> params.c, reply.c
 *   sim.c -> dataset.c -> generate.c
 *   control.c (the control plane: records at run time) -> dataset.c
 * routes.c also calls params.c (the body) and reply.c (its refusals). params.c, reply.c and
 * generate.c call nothing else of the vendor; nothing that answers a request calls dataset.c. */
#ifndef MOCK_VENDOR_ITNIO_INTERNAL_H
#define MOCK_VENDOR_ITNIO_INTERNAL_H

#include <cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../rng.h"
#include "../../store.h"
#include "../../vendor.h"
#include "cdrsim/buf.h"

#define ITNIO_MAX_RANGE (93LL * 86400)
#define ITNIO_ABSENT INT64_MIN

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

/* The agent groups and agents: what the group and agent queries list, what records refer to. */
struct itnio_roster {
    struct itnio_group *groups;
    size_t group_count;
    struct itnio_seat *seats;
    size_t seat_count;
};

struct itnio_credential {
    char *key;
    char *secret;
};

struct itnio_state {
    struct mock_store records;
    struct itnio_roster roster;
    struct itnio_credential *credentials;
    size_t credential_count;
    /* variants */
    bool status_as_string;
    bool range_end_exclusive;
    int64_t timestamp_window;
};

extern const struct mock_vendor_sim itnio_sim;
extern const struct mock_vendor_control itnio_control;

/* ---- routes.c: the route table, the framework's 404/405 ---- */

/* Whether a path is the vendor's (the sim table's `routes`). */
bool itnio_routes_owns(const char *path);
/* The sim table's `handle`: route, authenticate, read the body, run the route's query. */
void itnio_routes_handle(void *state, const struct mock_env *env, const struct mock_request *req,
                         struct mock_response *resp);
/* The sim table's `oversized`: routing answers first, then the parameter error. */
void itnio_routes_oversized(void *state, const struct mock_env *env, const struct mock_request *req,
                            struct mock_response *resp);

/* ---- auth.c ---- */

/* ITNIO_OK when Api-Key, Timestamp and Sign are good, otherwise the status to answer. */
int itnio_auth_check(const struct itnio_state *st, const struct mock_env *env,
                     const struct mock_request *req);

/* ---- records.c: POST /v3/cc/record/query ---- */

void itnio_records_query(const struct itnio_state *st, const cJSON *body,
                         struct mock_response *resp);

/* ---- roster.c: POST /v3/cc/seatGroup/query and /v3/cc/seat/query ---- */

void itnio_roster_group_query(const struct itnio_state *st, const cJSON *body,
                              struct mock_response *resp);
void itnio_roster_seat_query(const struct itnio_state *st, const cJSON *body,
                             struct mock_response *resp);

/* ---- params.c: request bodies read the way the vendor's Jackson-bound service reads them ---- */

struct itnio_paging {
    int64_t current, size;
};

struct itnio_record_filter {
    int64_t start, end;
    bool has_group_id;
    int64_t group_id;
    const char *group_name; /* strings point into the request body */
    int64_t *seat_ids;      /* lists are owned by the filter */
    size_t seat_id_count;
    const char **seat_names;
    size_t seat_name_count;
    int64_t *call_types;
    size_t call_type_count;
    int64_t *hangup_reasons;
    size_t hangup_reason_count;
    const char *number;
    const char **ccodes;
    size_t ccode_count;
    int64_t *directions;
    size_t direction_count;
    const char **labels;
    size_t label_count;
};

struct itnio_seat_filter {
    bool has_enable, has_group, has_status;
    int64_t enable, group, status;
    const char *name; /* points into the request body */
};

/* Parses the body into *body (caller deletes) when it is a JSON object; otherwise
 * ITNIO_PARAMETER and *body NULL. */
int itnio_params_body(const struct mock_request *req, cJSON **body);
/* Paging first, then params: ITNIO_OK (caller frees *filter with itnio_params_free_record_filter)
 * or the status to answer (nothing to free). */
int itnio_params_record_query(const cJSON *body, struct itnio_paging *paging,
                              struct itnio_record_filter *filter);
void itnio_params_free_record_filter(struct itnio_record_filter *filter);
/* The group and agent queries: paging (current/size, defaults 1 and 25) and their optional
 * params; ITNIO_OK or ITNIO_PARAMETER. *name is NULL when the body has no groupName. */
int itnio_params_group_query(const cJSON *body, struct itnio_paging *paging, const char **name);
int itnio_params_seat_query(const cJSON *body, struct itnio_paging *paging,
                            struct itnio_seat_filter *filter);

/* ---- reply.c: every body the vendor sends ---- */

/* The envelope every vendor answer shares; reason NULL = the documented text of the status. */
void itnio_reply_status(const struct itnio_state *st, struct mock_response *resp, int status,
                        const char *reason);
/* A success answer is built in one buffer: itnio_reply_begin_success writes
 * `{"status":0,"reason":"success","data":`, the caller appends the data,
 * itnio_reply_finish_success closes the envelope and hands the buffer to the response. */
void itnio_reply_begin_success(const struct itnio_state *st, struct cdr_buf *b, size_t data_hint);
void itnio_reply_finish_success(const struct itnio_state *st, struct mock_response *resp,
                                struct cdr_buf *b);
/* Spring Boot's own error body, sent before the vendor's code runs (unknown path, wrong method). */
void itnio_reply_framework_error(struct mock_response *resp, int64_t now_ms, int http_status,
                                 const char *error, const char *path);

/* ---- dataset.c ---- */

/* Credentials (fixture file and --config), the roster, then the records: from records.json, or
 * generated when load->generate_count >= 0. On failure err is filled and the caller still frees
 * with itnio_dataset_free. */
bool itnio_dataset_load(struct itnio_state *st, const struct mock_vendor_load *load, char *err,
                        size_t err_len);
/* Frees everything itnio_dataset_load put into st (not st itself). */
void itnio_dataset_free(struct itnio_state *st);
/* Parses, indexes and renders one record object into the store, unsorted (ownership stays with
 * the caller); the caller sorts once the last one is in. */
bool itnio_dataset_ingest(struct itnio_state *st, const cJSON *record, char *err, size_t err_len);
/* The time text of a record's callStartTime (UTC+8 wall clock or ISO 8601), as Unix seconds. */
bool itnio_dataset_time(const char *text, int64_t *out);

/* ---- generate.c ---- */

/* Receives each generated record (still owned by the generator); false stops with err filled. */
typedef bool itnio_record_sink(void *ctx, const cJSON *record, char *err, size_t err_len);
/* Makes n records in the vendor's exact shape, spread over the 365 days before anchor, for the
 * roster's agents, oldest first. Same seed and anchor, same records. */
bool itnio_generate_records(const struct itnio_roster *roster, int64_t n, uint64_t seed,
                            int64_t anchor, itnio_record_sink *sink, void *ctx, char *err,
                            size_t err_len);

#endif
