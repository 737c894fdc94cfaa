/* ITNIO call center (api.itniotech.com): signed call-record, agent-group and agent queries. */
#ifndef CDRSIM_ITNIO_H
#define CDRSIM_ITNIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cdrsim/error.h"
#include "cdrsim/http.h"
#include "cdrsim/record.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CDR_ITNIO_MAX_RANGE_SECONDS (93LL * 86400) /* longer intervals are refused with -76 */
#define CDR_ITNIO_MAX_PAGE_SIZE 100

struct cdr_itnio_options {
    const char *base_url; /* "https://api.itniotech.com" or a mock's URL */
    const char *api_key;
    const char *api_secret;
    struct cdr_http_options http;
    cdr_clock_fn clock; /* NULL = time(NULL) */
    void *clock_user;
    /* Send ranges over 93 days and page sizes outside 1..100 as given instead of refusing them
     * locally: for checking that the server enforces its own limits. */
    bool unchecked;
};

/* Fills opts with defaults (no URL or credentials). */
void cdr_itnio_options_default(struct cdr_itnio_options *opts);

/* Query filters of /v3/cc/record/query. A list filter with count 0 is not sent. */
struct cdr_itnio_filter {
    int64_t start_time; /* Unix seconds, inclusive */
    int64_t end_time;   /* Unix seconds, inclusive */
    bool has_voice_group_id;
    int64_t voice_group_id;
    const char *sip_group_name;
    const int64_t *seat_ids;
    size_t seat_id_count;
    const char *const *seat_names;
    size_t seat_name_count;
    const int *call_types;
    size_t call_type_count;
    const int *hangup_reasons;
    size_t hangup_reason_count;
    const char *called_or_caller;
    const char *const *ccodes;
    size_t ccode_count;
    const int *hanging_directions;
    size_t hanging_direction_count;
    const char *const *label_names;
    size_t label_name_count;
};

struct cdr_itnio_page {
    int64_t total;
    int64_t size;
    int64_t current;
    int64_t pages;
    struct cdr_record *records; /* owned; record_count entries */
    size_t record_count;
    char *paging_json; /* data without its records, compact JSON as sent (owned) */
};

void cdr_itnio_page_free(struct cdr_itnio_page *page);

/* MD5(key + secret + timestamp) as 32 lowercase hex digits. Caller frees. */
char *cdr_itnio_sign(const char *api_key, const char *api_secret, int64_t timestamp);

/* The JSON request body for one page. Caller frees. */
char *cdr_itnio_query_body(const struct cdr_itnio_filter *filter, int64_t current, int64_t size);

/* Parses a /v3/cc/record/query response body: a success page, or the vendor error mapped to a
 * cdr_error (status as number or string). */
cdr_error cdr_itnio_parse_page(const char *body, size_t len, struct cdr_itnio_page *out,
                               struct cdr_error_info *err);

/* Maps one ITNIO record object (cJSON-free: compact JSON text) to the normalized record. */
cdr_error cdr_itnio_normalize_json(const char *record_json, size_t len, struct cdr_record *out,
                                   struct cdr_error_info *err);

/* The cdr_error for an ITNIO status code (0 -> CDR_OK). */
cdr_error cdr_itnio_status_error(long status);

struct cdr_itnio_client;

struct cdr_itnio_client *cdr_itnio_client_new(const struct cdr_itnio_options *opts,
                                              struct cdr_error_info *err);
void cdr_itnio_client_free(struct cdr_itnio_client *client);

/* The typed client inside a generic client of "itnio" (cdr_client_new with the "itnio"
 * descriptor), for the calls only the typed API has; NULL for another vendor's client. */
struct cdr_client;
struct cdr_itnio_client *cdr_itnio_client_of(struct cdr_client *client);

/* One page of records. The range must not exceed 93 days (checked locally). */
cdr_error cdr_itnio_query_page(struct cdr_itnio_client *client,
                               const struct cdr_itnio_filter *filter, int64_t current, int64_t size,
                               struct cdr_itnio_page *out, struct cdr_error_info *err);

struct cdr_itnio_progress {
    size_t window; /* 1-based */
    size_t window_count;
    int64_t page; /* 1-based, within the window */
    int64_t pages;
    int64_t records_seen; /* across all windows so far */
};
typedef void (*cdr_itnio_progress_fn)(void *user, const struct cdr_itnio_progress *progress);

/* Every record in the filter's range, any length: split into <= 93-day windows, each paged to
 * the end. Records stamped on a shared window boundary are delivered once. Every page passes the
 * paging guard before its records are delivered: a current or size other than asked, an empty or
 * short page before the window's total is reached, a record id seen before in any page or window
 * (but for the shared boundary second), or a window whose pages do not add up to its total ends
 * the fetch with CDR_ERR_MALFORMED_RESPONSE naming the rule. */
cdr_error cdr_itnio_fetch_all(struct cdr_itnio_client *client,
                              const struct cdr_itnio_filter *filter, int64_t page_size,
                              cdr_record_fn on_record, cdr_itnio_progress_fn on_progress,
                              void *user, struct cdr_error_info *err);

struct cdr_itnio_group {
    int64_t voice_group_id;
    char *group_name;
    char *app_name;
    int64_t callin_strategy;
    int64_t count_seat;
};

struct cdr_itnio_seat {
    int64_t key_id;
    char *emp_no;
    char *name;
    int64_t voice_group_id;
    char *group_name;
    int64_t enable; /* 0 enabled, 1 disabled */
    int64_t status; /* 1 offline .. 5 break */
};

struct cdr_itnio_list_page {
    int64_t total, size, current, pages;
    size_t count;
    struct cdr_itnio_group *groups; /* for the group query; NULL otherwise */
    struct cdr_itnio_seat *seats;   /* for the seat query; NULL otherwise */
};

void cdr_itnio_list_page_free(struct cdr_itnio_list_page *page);

/* /v3/cc/seatGroup/query; group_name NULL for all groups. */
cdr_error cdr_itnio_query_groups(struct cdr_itnio_client *client, const char *group_name,
                                 int64_t current, int64_t size, struct cdr_itnio_list_page *out,
                                 struct cdr_error_info *err);
/* /v3/cc/seat/query; voice_group_id < 0 for any group, name NULL for any name. */
cdr_error cdr_itnio_query_seats(struct cdr_itnio_client *client, int64_t voice_group_id,
                                const char *name, int64_t current, int64_t size,
                                struct cdr_itnio_list_page *out, struct cdr_error_info *err);

#ifdef __cplusplus
}
#endif

#endif
