/* ITNIO call center (api.itniotech.com): signed call-record, agent-group and agent queries, an
 * agent group's settings, and recordings (a link for a record's recording key, and its audio). */
#ifndef CDRSIM_ITNIO_H
#define CDRSIM_ITNIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cdrsim/error.h"
#include "cdrsim/http.h"
#include "cdrsim/record.h"
#include "cdrsim/vendor.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CDR_ITNIO_MAX_RANGE_SECONDS (93LL * 86400) /* longer intervals are refused with -76 */
#define CDR_ITNIO_MAX_PAGE_SIZE 100
/* The agent query's call-statistics window (strTime..endTime) spans at most 32 days. */
#define CDR_ITNIO_MAX_SEAT_RANGE_SECONDS (32LL * 86400)
/* An integer member the answer left null or out. */
#define CDR_ITNIO_UNSET INT64_MIN

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
    bool skip_raw; /* records without raw_json (cdr_client_options) */
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

struct cdr_push; /* cdrsim/vendor.h */
/* One body of the cc-http push (one record object, POSTed to the customer's "cc-http push
 * address"): its record normalized as a queried one is, id and call_id its callSessionId (the push
 * carries no keyId), raw_json the pushed object. Free out with cdr_push_free. */
cdr_error cdr_itnio_parse_push(const char *body, size_t len, struct cdr_push *out,
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

/* One agent as /v3/cc/seat/query lists it (the agent's password, which the vendor sends in clear,
 * is not kept). Integers the answer lacks are -1; strings NULL. */
struct cdr_itnio_seat {
    int64_t key_id;
    char *emp_no;
    char *name;
    int64_t voice_group_id;
    char *group_name;
    int64_t enable; /* 0 enabled, 1 disabled */
    int64_t status; /* 1 offline, 2 idle, 3 busy, 4 after-call work, 5 break */
    char *pet_name;
    char *app_id;
    int64_t delete_flag; /* 1 deleted */
    int64_t priority;
    char *account;
    char *create_time; /* as sent: "2024-03-01 09:00:00" (UTC+8) */
    char *update_time;
    char *display_num;
    char *ccode;
    /* Call statistics over the query's window: calls, connected calls, and the rate as the
     * vendor formats it ("50.00%"); -1 / NULL when the answer has none (the older page). */
    int64_t num;
    int64_t connect_num;
    char *connect_rate;
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

/* What /v3/cc/seat/query selects. */
struct cdr_itnio_seat_filter {
    /* The call-statistics window (strTime, endTime), Unix seconds: required by the current pages,
     * at most 32 days (checked locally unless the client is unchecked). Both CDR_TIME_NONE: not
     * sent, for the older page that has no window. */
    int64_t start_time;
    int64_t end_time;
    int64_t voice_group_id; /* < 0: any group */
    const char *name;       /* fuzzy match; NULL: any */
    int64_t enable;         /* < 0: either */
    int64_t status;         /* < 0: any */
};

/* No filter and no window. */
void cdr_itnio_seat_filter_init(struct cdr_itnio_seat_filter *filter);

/* /v3/cc/seat/query: the agents with their call statistics over the filter's window. */
cdr_error cdr_itnio_query_seats(struct cdr_itnio_client *client,
                                const struct cdr_itnio_seat_filter *filter, int64_t current,
                                int64_t size, struct cdr_itnio_list_page *out,
                                struct cdr_error_info *err);

/* ---- agent group settings: GET /v3/cc/seatGroup/basicSettingResp ------------------------------
 */

/* Integers left null by the answer (an unset auto-answer or idle rule) are CDR_ITNIO_UNSET. */
struct cdr_itnio_group_settings {
    int64_t voice_group_id; /* the page's example names it seatGroupId, its table voiceGroupId */
    char *group_name;
    char *app_name;
    int64_t callin_strategy; /* 1 idle time, 2 calls taken, 3 agent priority, 4 round robin */
    int64_t timeout_transfer_sec;
    int64_t callin_auto_answer_sec;
    int64_t wrap_up_time;
    int64_t timeout_idle;
    int64_t timeout_wait_sec;
    char *turn_seat_ring;     /* the transfer ringtone's object key */
    char *turn_seat_ring_url; /* and its URL */
    char **label_names;
    size_t label_name_count;
    int64_t display_switch; /* 0 on, 1 off */
    int64_t encrypt_number; /* 0 on, 1 off */
    char *fs_node;          /* "SG_FS", "USA_FS", "UAE_FS" */
    char *raw_json;         /* data as sent */
};

void cdr_itnio_group_settings_free(struct cdr_itnio_group_settings *settings);

cdr_error cdr_itnio_get_group_settings(struct cdr_itnio_client *client, int64_t voice_group_id,
                                       struct cdr_itnio_group_settings *out,
                                       struct cdr_error_info *err);
/* Parses a basicSettingResp answer (status as number or string; the id as seatGroupId or
 * voiceGroupId). */
cdr_error cdr_itnio_parse_group_settings(const char *body, size_t len,
                                         struct cdr_itnio_group_settings *out,
                                         struct cdr_error_info *err);

/* ---- recordings: GET /voice/getRecordingFileUrl and the link it gives -------------------------
 */

struct cdr_itnio_recording_url {
    char *url;
    int64_t expire_time_ms; /* epoch milliseconds */
};

void cdr_itnio_recording_url_free(struct cdr_itnio_recording_url *link);

/* A link for a recording id or key. source_type NULL sends "sip": call-center records' voiceUrl
 * keys ("agent-call-record-YYMMDD/<callSessionId>.wav") are phone recordings; "group" is the
 * vendor's default, for group-call recordings. */
cdr_error cdr_itnio_get_recording_url(struct cdr_itnio_client *client, const char *file_id,
                                      const char *source_type, struct cdr_itnio_recording_url *out,
                                      struct cdr_error_info *err);
cdr_error cdr_itnio_parse_recording_url(const char *body, size_t len,
                                        struct cdr_itnio_recording_url *out,
                                        struct cdr_error_info *err);

/* The audio of a recording, written through write: url_or_key is a link (anything with "://",
 * fetched as it is, without the API's headers) or a record's recording key (resolved first with
 * cdr_itnio_get_recording_url, sourceType sip). An expired link is CDR_ERR_AUTH with the storage's
 * code ("AccessDenied") and message; an unknown key CDR_ERR_NOT_FOUND or the vendor's status. */
cdr_error cdr_itnio_download(struct cdr_itnio_client *client, const char *url_or_key,
                             cdr_write_fn write, void *user, struct cdr_download *out,
                             struct cdr_error_info *err);

#ifdef __cplusplus
}
#endif

#endif
