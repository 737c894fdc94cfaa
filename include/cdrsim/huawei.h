/* Huawei Cloud Contact Center (CEC), two interfaces:
 * - the AgentGateway: an agent's session (sign in, the Guid every request carries, the event poll
 *   or the push mode's heartbeat, sign out), its call information (current or last call, a call
 *   by id, held calls) and its recordings (recordfile);
 * - the CC-Management call history of the API Fabric: an AK/SK token, queryCallDetailRecord over
 *   any range (split into the 7-day windows the service takes, paged by offset) and each call's
 *   recording (getRecordingAddress).
 * Both normalize into struct cdr_record. */
#ifndef CDRSIM_HUAWEI_H
#define CDRSIM_HUAWEI_H

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

/* What isNoContainLastCall=true means on the server: the docs say "query the last call", the
 * parameter's name and the vendor's demo code say the opposite. */
enum cdr_huawei_lastcall_flag {
    CDR_HUAWEI_LASTCALL_AUTO, /* works with either: asks again with the other value when needed */
    CDR_HUAWEI_LASTCALL_DOC,  /* true = include the last call (the documentation) */
    CDR_HUAWEI_LASTCALL_NAME, /* false = include the last call (the parameter's name) */
};

struct cdr_huawei_options {
    const char *base_url; /* "https://ip:port": /agentgateway/resource/... is appended */
    const char *agent_id; /* decimal digits, "291" */
    const char *password;
    const char *phone; /* the phone number the agent signs in with */
    int status;        /* state after sign-in: 3 busy, 4 idle (default), 5 wrap-up */
    enum cdr_huawei_lastcall_flag lastcall_flag;
    bool unchecked; /* send a service token the gateway refuses as given (tests of its check) */
    struct cdr_http_options http; /* cookies are always kept: the gateway may pin the session */
};

/* Fills opts with defaults (no URL or credentials). */
void cdr_huawei_options_default(struct cdr_huawei_options *opts);

/* The sign-in answer's result. */
struct cdr_huawei_login {
    char workno[32];
    int64_t vdnid;
    int64_t login_time_ms; /* -1 when absent */
    char media_type[32];
    char server_name[64];
    bool force_change; /* the password must be changed */
    char time_remaining[32];
};

/* One event of the poll. All members owned; release with cdr_huawei_event_free. */
struct cdr_huawei_event {
    char *type;          /* "AgentOther_InService"; NULL when the poll ended without an event */
    char *work_no;       /* NULL when absent */
    char *content_json;  /* the event's content as compact JSON ("null" when null; a bare string
                            for AgentEvent_Call_Release, whose content is the call id) */
    int64_t gen_time_ms; /* eventGenTime (current pages), epoch ms; -1 when absent */
};

void cdr_huawei_event_free(struct cdr_huawei_event *event);

/* The cdr_error for a retcode: "0" -> CDR_OK; 000-003, 100-004, 100-006 -> CDR_ERR_AUTH;
 * 000-002, 100-001 -> CDR_ERR_PARAMETER; anything else (100-002 already signed in, 100-007,
 * 100-008 already signed out) -> CDR_ERR_VENDOR, the retcode kept in cdr_error_info. */
cdr_error cdr_huawei_retcode_error(const char *retcode);

/* Maps one call object (compact JSON text of the callinfo `result`) to the normalized record:
 * callfeature -> direction, epoch-millisecond times -> seconds, caller/called as string or
 * integer, trace.deviceNo of an agent device -> agent, callskill -> group. */
cdr_error cdr_huawei_normalize_json(const char *call_json, size_t len, struct cdr_record *out,
                                    struct cdr_error_info *err);

/* Parses a calldata response (callinfo, callinfobycallid or holdlist): result null gives no
 * records, an object one, an array one each. A retcode other than "0" is mapped to a cdr_error.
 * *recs is owned by the caller (cdr_huawei_records_free). */
cdr_error cdr_huawei_parse_calls(const char *body, size_t len, struct cdr_record **recs,
                                 size_t *count, struct cdr_error_info *err);
void cdr_huawei_records_free(struct cdr_record *recs, size_t count);

struct cdr_huawei_session;

/* A session object; nothing is sent yet. NULL (err filled) on bad options. */
struct cdr_huawei_session *cdr_huawei_session_new(const struct cdr_huawei_options *opts,
                                                  struct cdr_error_info *err);
/* Frees the session without signing out (a library does not talk to the network on free). */
void cdr_huawei_session_free(struct cdr_huawei_session *session);

/* The session inside a generic client of "huawei" (cdr_client_new with the "huawei" descriptor:
 * a session not signed in yet); NULL for another vendor's client. */
struct cdr_client;
struct cdr_huawei_session *cdr_huawei_session_of(struct cdr_client *client);

/* Signs in (force: end any other session of the agent). Never retried: a repeated sign-in
 * would meet its own session. login may be NULL. */
cdr_error cdr_huawei_sign_in(struct cdr_huawei_session *session, bool force,
                             struct cdr_huawei_login *login, struct cdr_error_info *err);
cdr_error cdr_huawei_sign_out(struct cdr_huawei_session *session, struct cdr_error_info *err);
/* One event poll (the server holds it about 10 s when nothing happens). A new Guid handed over
 * in Set-GUID, here or on any other answer, is taken on silently. */
cdr_error cdr_huawei_poll_event(struct cdr_huawei_session *session, struct cdr_huawei_event *out,
                                struct cdr_error_info *err);
/* updateGuid: asks for a fresh Guid and switches to it. */
cdr_error cdr_huawei_refresh_guid(struct cdr_huawei_session *session, struct cdr_error_info *err);
/* The Guid in use; "" before sign-in. */
const char *cdr_huawei_guid(const struct cdr_huawei_session *session);

/* The agent's current call, or with include_last_call the last one when there is none.
 * *found is false (and out empty) when there is no such call. */
cdr_error cdr_huawei_call_info(struct cdr_huawei_session *session, bool include_last_call,
                               struct cdr_record *out, bool *found, struct cdr_error_info *err);
/* callid is sent percent-encoded; one with '/' is refused locally (CDR_ERR_INVALID_ARGUMENT). */
cdr_error cdr_huawei_call_by_id(struct cdr_huawei_session *session, const char *callid,
                                struct cdr_record *out, bool *found, struct cdr_error_info *err);
cdr_error cdr_huawei_hold_list(struct cdr_huawei_session *session, struct cdr_record **recs,
                               size_t *count, struct cdr_error_info *err);

/* The push mode's heartbeat (POST onlineagent/{agentid}/handshake), about every 30 s; a Guid the
 * answer hands over is taken on. service_token: NULL for none, else at most 50 letters and digits
 * (the gateway answers 100-001 otherwise). */
cdr_error cdr_huawei_handshake(struct cdr_huawei_session *session, const char *service_token,
                               struct cdr_error_info *err);

/* Receives a download's bytes in order; a non-zero return stops it (CDR_ERR_INVALID_ARGUMENT). */
typedef int (*cdr_huawei_write_fn)(void *user, const void *data, size_t len);

/* recordfile/{agentid}: the recording a AgentMediaEvent_Record named (its fileName as record_id),
 * filetype 1 (agent call recording, the default when 0) or 2 (IVR / third-party message),
 * location_id NULL unless the deployment is a CTI pool. Bytes go to write; the gateway's JSON
 * error (000-003 "no right to invite resource" when the agent has no such file) maps like any
 * retcode. */
cdr_error cdr_huawei_recordfile(struct cdr_huawei_session *session, const char *record_id,
                                int filetype, const char *location_id, cdr_huawei_write_fn write,
                                void *user, struct cdr_error_info *err);

/* ---- the CC-Management call history (API Fabric) -------------------------------------------- */

#define CDR_HUAWEI_HISTORY_MAX_LIMIT 100        /* records per page the client asks at most */
#define CDR_HUAWEI_HISTORY_MAX_SPAN (7 * 86400) /* seconds one query may span */

/* What offset counts on the server: records skipped (SQL-style, the mock's default reading) or
 * pages of limit records. */
enum cdr_huawei_offset { CDR_HUAWEI_OFFSET_RECORDS, CDR_HUAWEI_OFFSET_PAGES };

struct cdr_huawei_history_options {
    const char *base_url;  /* "https://{domain}": /apiaccess/... is appended */
    const char *token_url; /* where tokenByAkSk is ("https://{domain}:28070" on the current
                              Chinese page); NULL: base_url */
    const char *app_key;
    const char *app_secret;
    int64_t token_lifetime; /* X-Token-Expire, 1..3600 s; 0 sends none (the server's default) */
    int64_t refresh_margin; /* a token is renewed this many seconds before it expires (60) */
    enum cdr_huawei_offset offset;
    bool unchecked;     /* send windows over 7 days and limits over 100 as given (tests) */
    cdr_clock_fn clock; /* measures a token's life; NULL = time(NULL) */
    void *clock_user;
    struct cdr_http_options http;
};

void cdr_huawei_history_options_default(struct cdr_huawei_history_options *opts);

/* A tokenByAkSk answer. Members owned (cdr_huawei_token_free); NULL when absent. */
struct cdr_huawei_token {
    char *access_token; /* a secret: never print it */
    char *apply_type;   /* "Bearer" */
    char *scope, *app_key, *user_id;
    int64_t create_time; /* epoch seconds, -1 when absent */
    int64_t expires_in;  /* seconds */
};

void cdr_huawei_token_free(struct cdr_huawei_token *token);

/* What a query selects. Times are Unix seconds, both required, at most
 * CDR_HUAWEI_HISTORY_MAX_SPAN apart for one page (any range for cdr_huawei_history_fetch_all);
 * the end second is included whole. */
struct cdr_huawei_history_filter {
    int64_t start_time, end_time;
    const char *caller; /* the calling number, NULL for all */
    /* 0 every type but ITA bidirectional calls (the server's default), 1 CEC bidirectional call,
     * 2 anonymous outbound, 3 voice notification, 4 ITA bidirectional call; sent when has_task_type
     */
    int task_type;
    bool has_task_type;
};

void cdr_huawei_history_filter_init(struct cdr_huawei_history_filter *f);

struct cdr_huawei_history_page {
    struct cdr_record *records; /* owned */
    size_t record_count;
    int64_t total;  /* records the query matches; 0 when the service found none */
    bool no_data;   /* the service answered retCode "1" (no data found) */
    char *raw_json; /* the answer's result object without its records, as sent; NULL for none */
};

void cdr_huawei_history_page_free(struct cdr_huawei_history_page *page);

struct cdr_huawei_history;

/* A client of the history; nothing is sent yet. NULL (err filled) on bad options. */
struct cdr_huawei_history *cdr_huawei_history_new(const struct cdr_huawei_history_options *opts,
                                                  struct cdr_error_info *err);
void cdr_huawei_history_free(struct cdr_huawei_history *history);
/* The history client inside a generic client of "huawei" opened with app credentials; NULL for
 * another vendor's client or one without them. */
struct cdr_huawei_history *cdr_huawei_history_of(struct cdr_client *client);

/* The token in use (fetched when there is none or it is due for renewal; fresh: always a new
 * one), copied into out. Every history call manages its token itself: this is for callers that
 * want to see it. */
cdr_error cdr_huawei_history_token(struct cdr_huawei_history *history, bool fresh,
                                   struct cdr_huawei_token *out, struct cdr_error_info *err);

/* One page: offset records skipped (or pages, see cdr_huawei_offset), at most limit (1..100). A
 * token refused with HTTP 401 or 403 is renewed once and the page asked again. retCode "1" (no
 * data) is an empty page; "2", "4", "12" are CDR_ERR_PARAMETER. */
cdr_error cdr_huawei_history_query(struct cdr_huawei_history *history,
                                   const struct cdr_huawei_history_filter *filter, int64_t offset,
                                   int64_t limit, struct cdr_huawei_history_page *out,
                                   struct cdr_error_info *err);

/* Every record of the range, oldest window first: 7-day windows (sharing their boundary second,
 * whose records are delivered once), each paged by offset until its total, every page checked by
 * the paging guard (a page larger than asked, more records than the total, an empty page before
 * the last, a record twice: CDR_ERR_MALFORMED_RESPONSE naming the rule). limit 0 = 100. */
cdr_error cdr_huawei_history_fetch_all(struct cdr_huawei_history *history,
                                       const struct cdr_huawei_history_filter *filter,
                                       int64_t limit, cdr_record_fn on_record,
                                       cdr_progress_fn on_progress, void *user,
                                       struct cdr_error_info *err);

/* getRecordingAddress: the URL of a history record's recording (valid 5 minutes; caller frees
 * *url). retCode 5 (no such record) is CDR_ERR_NOT_FOUND, 12 CDR_ERR_PARAMETER, the rest
 * CDR_ERR_VENDOR with the code kept. */
cdr_error cdr_huawei_recording_url(struct cdr_huawei_history *history, const char *call_serial_no,
                                   char **url, struct cdr_error_info *err);
/* The recording's bytes through write: the URL, then the file it names (asked for again once when
 * the store refuses it as expired). */
cdr_error cdr_huawei_recording_download(struct cdr_huawei_history *history,
                                        const char *call_serial_no, cdr_huawei_write_fn write,
                                        void *user, struct cdr_error_info *err);
/* A normalized record's recording through a generic client of "huawei": a history record (its id
 * is the callSerialNo) through getRecordingAddress. CDR_ERR_NOT_FOUND for a record that names no
 * recording (an AgentGateway call: its file comes with AgentMediaEvent_Record, see
 * cdr_huawei_recordfile). */
cdr_error cdr_huawei_download_record(struct cdr_client *client, const struct cdr_record *rec,
                                     cdr_huawei_write_fn write, void *user,
                                     struct cdr_error_info *err);

/* Maps one history record (compact JSON text of a callInfo entry): id and call_id the
 * callSerialNo, outbound, caller/callee, times from epoch-ms numbers or strings, talk seconds
 * from talkDuration, ring seconds from the customer's alerting to talking (or release), hang-up
 * side from reasonCode. */
cdr_error cdr_huawei_history_normalize_json(const char *record_json, size_t len,
                                            struct cdr_record *out, struct cdr_error_info *err);

struct cdr_push; /* cdrsim/vendor.h */
/* One body of the bidirectional call's release callback: normalized as the history record of the
 * same call is (createCallTime its startTime, releaseReason its reasonCode); callSerialNo,
 * serviceNo and called are required. Free out with cdr_push_free. */
cdr_error cdr_huawei_parse_push(const char *body, size_t len, struct cdr_push *out,
                                struct cdr_error_info *err);

/* Parses a saved queryCallDetailRecord answer (retCode "1" gives no records). */
cdr_error cdr_huawei_parse_history(const char *body, size_t len, long http_status,
                                   struct cdr_huawei_history_page *out, struct cdr_error_info *err);

#ifdef __cplusplus
}
#endif

#endif
