/* Yunfu AI contact center agent-api (ai.api.longlonglong.cn, api.wolfsmartcloud.com): a task's
 * call record list, one call's dialogue detail and the token's validity, behind a Bearer token.
 *
 * Normalization: every call is an outbound AI call. `duration` (dial to hang-up) and `bill` (talk)
 * are milliseconds, rounded to whole seconds; ring_seconds is answerdate - calldate for an answered
 * call and the rounded duration for an unanswered one. hangup_disposition 1 (the AI) maps to
 * agent, 2 to customer; an unanswered call with neither is system. caller is caller_number,
 * group the speech-script group_id, agent the human a call was transferred to (bridge_number),
 * if any. The vendor sends no recording URLs in these responses. */
#ifndef CDRSIM_YUNFU_H
#define CDRSIM_YUNFU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cdrsim/error.h"
#include "cdrsim/http.h"
#include "cdrsim/record.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CDR_YUNFU_DEFAULT_PER_PAGE 15 /* what the server uses when per_page is not sent */

struct cdr_yunfu_options {
    const char *base_url; /* "https://ai.api.longlonglong.cn" or a mock's URL */
    const char *token;    /* the partner's Bearer token */
    struct cdr_http_options http;
};

/* Fills opts with defaults (no URL or token). */
void cdr_yunfu_options_default(struct cdr_yunfu_options *opts);

struct cdr_yunfu_range {
    int64_t min, max; /* a score range, both ends included */
};

/* Filters of the record list; a NULL string, CDR_TIME_NONE or a count of 0 is not sent. */
struct cdr_yunfu_filter {
    const char *sub_user_id; /* act on this sub-account of the account */
    const char *keyword;     /* part of the callee number */
    int64_t start_time;      /* calldate from (Unix seconds, inclusive) */
    int64_t end_time;        /* calldate up to (inclusive) */
    const struct cdr_yunfu_range *levels;
    size_t level_count;
    const int *intention_tags; /* 1..5 = A..E */
    size_t intention_tag_count;
    int64_t hangup_from, hangup_to; /* hangupdate range; both or neither */
};

/* No filter at all (times CDR_TIME_NONE). */
void cdr_yunfu_filter_init(struct cdr_yunfu_filter *filter);

struct cdr_yunfu_page {
    bool has_pages;
    int64_t total;
    int64_t last_page;
    int64_t current_page;
    int64_t per_page;           /* sent as a string or a number: read either way */
    struct cdr_record *records; /* owned; record_count entries */
    size_t record_count;
    char *paging_json; /* the meta object, compact JSON as sent, types kept (owned) */
};

void cdr_yunfu_page_free(struct cdr_yunfu_page *page);

/* One row of a call's dialogue. */
struct cdr_yunfu_utterance {
    char *id;
    int64_t sequence; /* order within the call; -1 when absent */
    char *notify; /* "asrprogress_notify": the customer spoke; "playback_result": the AI answered */
    char *question;       /* the customer's words as recognised */
    char *answer_text;    /* the script answer's name */
    char *answer_content; /* what the AI said */
    int64_t time;         /* created_at, Unix seconds, or CDR_TIME_NONE */
};

struct cdr_yunfu_detail {
    bool has_record;                        /* false when the server sent only the dialogue rows */
    struct cdr_record record;               /* valid when has_record */
    struct cdr_yunfu_utterance *utterances; /* owned, sorted by sequence */
    size_t utterance_count;
};

void cdr_yunfu_detail_free(struct cdr_yunfu_detail *detail);

/* "/agent-api/user/{id}/task/{task_id}/record", ids percent-encoded; user_id NULL gives the legacy
 * "/agent-api/task/{task_id}/record" (the vendor's default cloud node only). Caller frees. */
char *cdr_yunfu_list_path(const char *user_id, const char *task_id);
/* The list's query string without '?': page, per_page (omitted when <= 0) and the filters in PHP
 * bracket syntax (levels[0][]=0&levels[0][]=100, intention_tags[]=1). Caller frees. */
char *cdr_yunfu_list_query(const struct cdr_yunfu_filter *filter, int64_t page, int64_t per_page);

/* Parses a record list response: a success page, or the error the status and body say (HTTP 401
 * auth, 422 parameter, 429 rate limited; codes 1002/5002 not found, with the vendor's code and
 * message kept in err). */
cdr_error cdr_yunfu_parse_page(const char *body, size_t len, long http_status,
                               struct cdr_yunfu_page *out, struct cdr_error_info *err);

/* Parses a detail response. data may be the record with its "details" rows (what the mock sends
 * by default), the rows alone, a one-record array, or {"record": …, "details": […]}. */
cdr_error cdr_yunfu_parse_detail(const char *body, size_t len, long http_status,
                                 struct cdr_yunfu_detail *out, struct cdr_error_info *err);

/* Maps one record object (compact JSON text) to the normalized record. */
cdr_error cdr_yunfu_normalize_json(const char *record_json, size_t len, struct cdr_record *out,
                                   struct cdr_error_info *err);

/* The cdr_error for a code in the vendor's envelope (200 -> CDR_OK). */
cdr_error cdr_yunfu_code_error(long code);

struct cdr_yunfu_client;

struct cdr_yunfu_client *cdr_yunfu_client_new(const struct cdr_yunfu_options *opts,
                                              struct cdr_error_info *err);
void cdr_yunfu_client_free(struct cdr_yunfu_client *client);

/* The typed client inside a generic client of "yunfu" (cdr_client_new with the "yunfu"
 * descriptor), for the calls only the typed API has; NULL for another vendor's client. */
struct cdr_client;
struct cdr_yunfu_client *cdr_yunfu_client_of(struct cdr_client *client);

/* One page of a task's records (newest call first). user_id NULL uses the legacy path. */
cdr_error cdr_yunfu_list_page(struct cdr_yunfu_client *client, const char *user_id,
                              const char *task_id, const struct cdr_yunfu_filter *filter,
                              int64_t page, int64_t per_page, struct cdr_yunfu_page *out,
                              struct cdr_error_info *err);

struct cdr_yunfu_progress {
    int64_t page; /* 1-based */
    int64_t last_page;
    int64_t total;
    int64_t records_seen;
};
typedef void (*cdr_yunfu_progress_fn)(void *user, const struct cdr_yunfu_progress *progress);

/* Every record of the task that passes the filter, page by page up to last_page. After the first
 * page the upper calldate bound is pinned to the newest call seen, so calls arriving meanwhile do
 * not shift later pages. Every page passes the paging guard before its records are delivered: a
 * server that answers another page or size than asked, sends an empty or short page before the
 * last, repeats a record, or whose pages do not add up to its total fails with
 * CDR_ERR_MALFORMED_RESPONSE naming the rule, instead of looping or losing records. */
cdr_error cdr_yunfu_fetch_all(struct cdr_yunfu_client *client, const char *user_id,
                              const char *task_id, const struct cdr_yunfu_filter *filter,
                              int64_t per_page, cdr_record_fn on_record,
                              cdr_yunfu_progress_fn on_progress, void *user,
                              struct cdr_error_info *err);

/* One call with its dialogue; sub_user_id may be NULL. */
cdr_error cdr_yunfu_get_detail(struct cdr_yunfu_client *client, const char *user_id,
                               const char *task_id, const char *record_id, const char *sub_user_id,
                               struct cdr_yunfu_detail *out, struct cdr_error_info *err);

struct cdr_yunfu_token_info {
    int64_t expires_at; /* Unix seconds, or CDR_TIME_NONE when not reported */
    int64_t expires_in; /* seconds, or -1 when not reported */
};

/* Parses a GET /agent-api/token response (data.expires_at, data.expires_in; either may be absent).
 */
cdr_error cdr_yunfu_parse_token(const char *body, size_t len, long http_status,
                                struct cdr_yunfu_token_info *out, struct cdr_error_info *err);

/* GET /agent-api/token: whether the token is accepted, and until when. */
cdr_error cdr_yunfu_token_info(struct cdr_yunfu_client *client, struct cdr_yunfu_token_info *out,
                               struct cdr_error_info *err);

#ifdef __cplusplus
}
#endif

#endif
