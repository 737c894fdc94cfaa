/* Yunfu AI contact center agent-api (ai.api.longlonglong.cn, api.wolfsmartcloud.com): an account's
 * tasks, a task's call record list, one call's dialogue detail, the calls' recordings and the
 * token's validity, behind a Bearer token.
 *
 * Normalization: a call record does not say its direction; its task's task_type does (1 and 4
 * outbound, 2 and 5 inbound). A record read on its own is taken as outbound (the product is an AI
 * outbound dialer first); the whole-account fetch sets each record's direction from its task.
 * `duration` (dial to hang-up) and `bill` (talk) are milliseconds, rounded to whole seconds;
 * ring_seconds is answerdate - calldate for an answered call and the rounded duration for an
 * unanswered one. hangup_disposition 1 (the AI) maps to agent, 2 to customer; an unanswered call
 * with neither is system. caller is caller_number, group the speech-script group_id, agent the
 * human a call was transferred to (bridge_number), if any. The vendor sends no recording URLs in
 * records: a call's audio comes from download-full-voice (cdr_yunfu_download_voice). */
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
    bool skip_raw; /* records without raw_json (cdr_client_options) */
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
    /* "enter": the AI's opening line; "asrprogress_notify": the customer spoke;
     * "playback_result": the AI answered */
    char *notify;
    char *question;       /* the customer's words as recognised */
    char *answer_text;    /* the script answer's name */
    char *answer_content; /* what the AI said */
    int64_t time;         /* created_at, Unix seconds, or CDR_TIME_NONE */
    char *raw_json;       /* the row as sent, compact JSON (every member, unknown ones too) */
};

struct cdr_yunfu_detail {
    bool has_record;                        /* the server sent the call record too (a variant) */
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

/* Parses a detail response. data is {"records": [rows]} as the vendor documents it; also read:
 * the record with its "details" rows, the rows alone, a one-record array, or
 * {"record": …, "details": […]}. */
cdr_error cdr_yunfu_parse_detail(const char *body, size_t len, long http_status,
                                 struct cdr_yunfu_detail *out, struct cdr_error_info *err);

/* Maps one record object (compact JSON text) to the normalized record. */
cdr_error cdr_yunfu_normalize_json(const char *record_json, size_t len, struct cdr_record *out,
                                   struct cdr_error_info *err);

struct cdr_push; /* cdrsim/vendor.h */
/* One body of the call-result callback ({"count", "data": [...]}): each record normalized as a
 * listed one is, its bill and duration read as seconds (the list sends milliseconds), the callee
 * and hang-up time from number_data, group from group.id; id the record's id when the body has
 * one, else its callid. count must equal data's length. Free out with cdr_push_free. */
cdr_error cdr_yunfu_parse_push(const char *body, size_t len, struct cdr_push *out,
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

/* Every record of the task that passes the filter, page by page up to last_page. When the first
 * page runs newest call first, the upper calldate bound is then pinned to its newest call, so
 * calls arriving meanwhile do not shift later pages (an oldest-first server appends them). Every
 * page passes the paging guard before its records are delivered: a server that answers another
 * page or size than asked, sends an empty or short page before the last, repeats a record, or
 * whose pages do not add up to its total fails with CDR_ERR_MALFORMED_RESPONSE naming the rule,
 * instead of looping or losing records. */
cdr_error cdr_yunfu_fetch_all(struct cdr_yunfu_client *client, const char *user_id,
                              const char *task_id, const struct cdr_yunfu_filter *filter,
                              int64_t per_page, cdr_record_fn on_record,
                              cdr_yunfu_progress_fn on_progress, void *user,
                              struct cdr_error_info *err);

/* One call's dialogue; sub_user_id may be NULL, user_id NULL takes the retired path without the
 * account (the default cloud node). */
cdr_error cdr_yunfu_get_detail(struct cdr_yunfu_client *client, const char *user_id,
                               const char *task_id, const char *record_id, const char *sub_user_id,
                               struct cdr_yunfu_detail *out, struct cdr_error_info *err);

/* ---- tasks ----------------------------------------------------------------------------------- */

/* One task of GET /agent-api/user/{id}/task or .../all_task. Only id is required of the server. */
struct cdr_yunfu_task {
    char *id;
    char *user_id;      /* the owning account, NULL when not sent */
    char *name;         /* NULL when not sent */
    int64_t status;     /* 1 paused, 2 running, 3 waiting to run; -1 when not sent */
    int64_t task_type;  /* 1 outbound, 2 inbound, 4 LLM outbound, 5 LLM inbound; -1 when not sent */
    int64_t created_at; /* Unix seconds, or CDR_TIME_NONE */
    char *raw_json;     /* the task object as sent */
};

struct cdr_yunfu_task_page {
    bool has_pages;
    int64_t total, last_page, current_page, per_page; /* per_page read from a string or a number */
    struct cdr_yunfu_task *tasks;                     /* owned; task_count entries */
    size_t task_count;
    char *paging_json; /* the meta object as sent */
};

void cdr_yunfu_task_page_free(struct cdr_yunfu_task_page *page);

/* Filters of the task lists; NULL or a count of 0 is not sent. */
struct cdr_yunfu_task_filter {
    const char *sub_user_id; /* a sub-account's tasks (the account's own list only) */
    const char *name;        /* part of the task's name */
    const int *statuses;     /* 1..3; one is sent as status=N, several as status[]=N */
    size_t status_count;
};

/* A task state as text: "1".."3" or "paused", "running", "waiting"; 0 when it is neither. */
int cdr_yunfu_task_status(const char *text);

/* The direction a task's calls have: task_type 1 and 4 outbound, 2 and 5 inbound, else unknown. */
enum cdr_direction cdr_yunfu_task_direction(int64_t task_type);

/* "/agent-api/user/{id}/task", or with all ".../all_task" (the account and all its sub-accounts).
 * Caller frees. */
char *cdr_yunfu_tasks_path(const char *user_id, bool all);
/* page, per_page (omitted when <= 0), name, status and sub_user_id (not with all). Caller frees. */
char *cdr_yunfu_tasks_query(const struct cdr_yunfu_task_filter *filter, bool all, int64_t page,
                            int64_t per_page);
cdr_error cdr_yunfu_parse_tasks(const char *body, size_t len, long http_status,
                                struct cdr_yunfu_task_page *out, struct cdr_error_info *err);

/* One page of the account's tasks (all: with its sub-accounts'), newest first. */
cdr_error cdr_yunfu_get_task_page(struct cdr_yunfu_client *client, const char *user_id, bool all,
                                  const struct cdr_yunfu_task_filter *filter, int64_t page,
                                  int64_t per_page, struct cdr_yunfu_task_page *out,
                                  struct cdr_error_info *err);

/* Called for each task; return non-zero to stop (the fetch then succeeds). */
typedef int (*cdr_yunfu_task_fn)(void *user, const struct cdr_yunfu_task *task);

/* Every task page by page; a page that is not the one asked for, an empty page before the last,
 * more tasks than the total or a task twice fails with CDR_ERR_MALFORMED_RESPONSE. */
cdr_error cdr_yunfu_fetch_tasks(struct cdr_yunfu_client *client, const char *user_id, bool all,
                                const struct cdr_yunfu_task_filter *filter, int64_t per_page,
                                cdr_yunfu_task_fn on_task, void *user, struct cdr_error_info *err);

/* Every call of every task of the account (all: with its sub-accounts', each fetched as its owner
 * with sub_user_id), task after task in the order listed, each through cdr_yunfu_fetch_all with
 * record_filter (its sub_user_id is replaced by the task's owner). Each record's direction comes
 * from its task's task_type. on_progress (may be NULL) reports pages within the current task. */
cdr_error cdr_yunfu_fetch_account(struct cdr_yunfu_client *client, const char *user_id, bool all,
                                  const struct cdr_yunfu_task_filter *task_filter,
                                  const struct cdr_yunfu_filter *record_filter, int64_t per_page,
                                  cdr_record_fn on_record, cdr_yunfu_progress_fn on_progress,
                                  void *user, struct cdr_error_info *err);

/* ---- recordings ------------------------------------------------------------------------------ */

/* Receives the audio; return non-zero to stop (the download then fails with
 * CDR_ERR_INVALID_ARGUMENT, "stopped by the writer"). */
typedef int (*cdr_yunfu_write_fn)(void *user, const void *data, size_t len);

struct cdr_yunfu_audio {
    char content_type[96]; /* as the server sent it ("audio/wav"), "" when it sent none */
    size_t bytes;          /* written through the callback */
};

/* GET …/record/{record_id}/download-full-voice (user_id NULL: the retired path without the
 * account): the audio, written through write. The answer is not documented: an audio body is
 * taken as it comes, a redirect is followed once (without the token, to the URL it names), a JSON
 * answer is the vendor's error (5004, no recording: CDR_ERR_NOT_FOUND), an object store's XML
 * error is CDR_ERR_AUTH (403, e.g. an expired link) or CDR_ERR_NOT_FOUND (404). */
cdr_error cdr_yunfu_download_voice(struct cdr_yunfu_client *client, const char *user_id,
                                   const char *task_id, const char *record_id,
                                   const char *sub_user_id, cdr_yunfu_write_fn write, void *user,
                                   struct cdr_yunfu_audio *info, struct cdr_error_info *err);

/* A play URL of cdr_yunfu_get_voice_urls: fetched without the token (it carries its own signature).
 */
cdr_error cdr_yunfu_download_url(struct cdr_yunfu_client *client, const char *url,
                                 cdr_yunfu_write_fn write, void *user, struct cdr_yunfu_audio *info,
                                 struct cdr_error_info *err);

#define CDR_YUNFU_MAX_VOICE_BATCH 30 /* record ids one batch may name (documented) */

struct cdr_yunfu_voice_url {
    char *record_id;
    char *url; /* NULL when the call has no recording */
};
struct cdr_yunfu_voice_urls {
    struct cdr_yunfu_voice_url *items; /* owned */
    size_t count;
};
void cdr_yunfu_voice_urls_free(struct cdr_yunfu_voice_urls *urls);

/* A batch answer; data as [{"record_id","url"}], {"<record_id>": url} or [{"<record_id>": url}]
 * (the shape is undocumented). */
cdr_error cdr_yunfu_parse_voice_urls(const char *body, size_t len, long http_status,
                                     struct cdr_yunfu_voice_urls *out, struct cdr_error_info *err);

/* GET …/batch_record/download-full-voice?recordIds[]=…: play URLs of 1..30 calls of the task. */
cdr_error cdr_yunfu_get_voice_urls(struct cdr_yunfu_client *client, const char *user_id,
                                   const char *task_id, const char *const *record_ids, size_t count,
                                   const char *sub_user_id, struct cdr_yunfu_voice_urls *out,
                                   struct cdr_error_info *err);

/* ---- the token ------------------------------------------------------------------------------- */

struct cdr_yunfu_token_info {
    int64_t expires_at; /* Unix seconds, or CDR_TIME_NONE when not reported */
    int64_t expires_in; /* seconds, or -1 when not reported */
};

/* Parses a GET /agent-api/token response (data.expires_at, data.expires_in; either may be absent).
 */
cdr_error cdr_yunfu_parse_token(const char *body, size_t len, long http_status,
                                struct cdr_yunfu_token_info *out, struct cdr_error_info *err);

/* GET /agent-api/token: whether the token is accepted, and until when. */
cdr_error cdr_yunfu_get_token_info(struct cdr_yunfu_client *client,
                                   struct cdr_yunfu_token_info *out, struct cdr_error_info *err);

#ifdef __cplusplus
}
#endif

#endif
