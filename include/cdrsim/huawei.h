/* Huawei Cloud Contact Center (CEC) AgentGateway: an agent's session (sign in, the Guid every
 * request carries, the event poll, sign out) and its call information (current or last call, a
 * call by id, held calls), normalized into struct cdr_record. */
#ifndef CDRSIM_HUAWEI_H
#define CDRSIM_HUAWEI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cdrsim/error.h"
#include "cdrsim/http.h"
#include "cdrsim/record.h"

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
    char *type;         /* "AgentOther_InService"; NULL when the poll ended without an event */
    char *work_no;      /* NULL when absent */
    char *content_json; /* the event's content as compact JSON ("null" when null) */
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

#ifdef __cplusplus
}
#endif

#endif
