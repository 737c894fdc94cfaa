/* Huawei CEC AgentGateway simulator: the types and functions its files share. Facts, each marked
 * documented or inferred, are in docs/vendors/huawei.md; the call object follows the example of
 * the callinfo page, https://support.huaweicloud.com/intl/en-us/api-cec/cec_07_1261.html
 *
 * Dependencies run one way: a file calls only files listed below it.
 *   sim.c       the vendor table, variants, load/unload, quick-start lines, dump
 *   routes.c    the route table and dispatch, 404/405, the oversized-body answer
 *   admin.c     /__cdrsim/huawei/agents...: look at sessions, drive calls, queue events
 *   control.c   the control plane: call history added and removed at run time
 *   records.c   the calldata queries: callinfo, callinfobycallid, holdlist
 *   poll.c      GET agentevent/{agentid}: the event long poll
 *   session.c   sign-in state, Guid issue and rotation, events; the onlineagent endpoints
 *   calls.c     live call objects: start from fields (admin, scenario), hold, end
 *   auth.c      the Guid check and the password check
 *   params.c    reading requests: agent ID segment, sign-in body, isNoContainLastCall
 *   dataset.c   agents and call history from fixtures, indexed and pre-rendered
 *   reply.c     every body: the {message, retcode, result} envelope, 404/405, admin errors
 *   generate.c  the call object in the vendor's shape, deterministic call history
 * reply.c and generate.c call nothing else of the vendor; generate.c hands its calls to dataset.c
 * through a callback.
 *
 * Locking: handlers run inside the vendor's gate, shared (gate.h); everything an agent's session
 * or calls can change lives in struct huawei_agent and is guarded by huawei_state.lock. The call
 * history (records) changes only in control.c, which the core runs alone behind the gate. */
#ifndef MOCK_VENDOR_HUAWEI_INTERNAL_H
#define MOCK_VENDOR_HUAWEI_INTERNAL_H

#include <cJSON.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../store.h"
#include "../../vendor.h"
#include "cdrsim/buf.h"

#define HUAWEI_PREFIX "/agentgateway/resource/"
#define HUAWEI_MIN_AGENTID 101
#define HUAWEI_GUID_INTERVAL_MS 60000 /* GUIDINTERVAL: dynamic auth rotates the Guid this often */
#define HUAWEI_GUID_TIMEOUT_MS 120000 /* GUIDTIMEOUT: a Guid is refused this long after issue */
#define HUAWEI_IDLE_SIGNOUT_MS 120000 /* an agent that does not poll this long is signed out */
#define HUAWEI_POLL_STEP_MS 100       /* how often a waiting poll looks for an event */
#define HUAWEI_MAX_EVENTS 64          /* pending events per agent; the oldest are dropped */
#define HUAWEI_GUID_SIZE 64           /* "<uuid>.AgentGateway0" plus room */
#define HUAWEI_CALLID_SIZE 64
#define HUAWEI_NONE INT64_MIN /* a null instant in a call object */

/* The vendor's retcodes (always HTTP 200, the code in the body). */
#define HUAWEI_PARAMETER "000-002"
#define HUAWEI_NO_PERMISSION "000-003"
#define HUAWEI_SIGNIN_PARAMETER "100-001"
#define HUAWEI_ALREADY_IN "100-002"
#define HUAWEI_WRONG_PASSWORD "100-004"
#define HUAWEI_NOT_SIGNED_IN "100-006"
#define HUAWEI_INTERNAL "100-007"
#define HUAWEI_ALREADY_OUT "100-008"

enum huawei_session { HUAWEI_NEVER_IN, HUAWEI_SIGNED_IN, HUAWEI_SIGNED_OUT };

/* A call the admin endpoints or the scenario drive: the vendor's object and its two renderings. */
struct huawei_call {
    cJSON *obj;      /* field order of the callinfo page's example */
    char *json;      /* obj, compact: current call, call by id, hold list */
    char *last_json; /* obj as the "last call" answer (see huawei.lastcall_trace) */
    char callid[HUAWEI_CALLID_SIZE];
};

struct huawei_call_list {
    struct huawei_call **items;
    size_t count;
};

struct huawei_agent {
    int64_t id;
    char workno[16];
    char *password;
    char *phonenum;
    char *mediatype;
    char *time_remaining;
    int64_t vdnid;
    size_t history_last; /* store index of the agent's latest recorded call; SIZE_MAX for none */

    /* Session and calls: guarded by huawei_state.lock. */
    enum huawei_session session;
    int64_t status; /* 3 busy, 4 idle, 5 wrap-up, as signed in */
    char phone_in_use[32];
    int64_t login_ms;
    int64_t last_poll_ms;
    char guid[HUAWEI_GUID_SIZE];
    int64_t guid_issued_ms;
    char prev_guid[HUAWEI_GUID_SIZE]; /* "" when none */
    int64_t prev_guid_expires_ms;
    char *cookie_seen; /* the last Cookie header the agent's client sent (admin view) */
    char *events[HUAWEI_MAX_EVENTS]; /* rendered event objects, a ring */
    size_t event_head, event_count;
    struct huawei_call *current;
    struct huawei_call_list held;
    struct huawei_call_list ended; /* newest last: the last one is the agent's last call */
};

/* What the history keeps per record besides its JSON. */
struct huawei_record_attrs {
    int64_t agent; /* trace.deviceNo of an agent device (deviceType 2); -1 otherwise */
    char *callid;
    char *last_json; /* the record as the "last call" answer */
    size_t last_json_len;
};

struct huawei_callid_entry {
    const char *callid; /* the record's attrs own it */
    int64_t agent;
    size_t index; /* into records */
};

struct huawei_state {
    pthread_mutex_t lock;
    struct mock_store records;             /* the call history, sorted by begintime */
    struct huawei_callid_entry *by_callid; /* one per record, sorted by (callid, agent) */
    struct huawei_agent *agents;           /* sorted by id */
    size_t agent_count;
    uint64_t call_seq; /* for callids of admin-started calls */
    /* variants */
    bool dynamic_auth;        /* authmode 2 */
    bool lastcall_doc;        /* isNoContainLastCall=true asks for the last call */
    bool lastcall_trace_full; /* keep the trace's end fields in the last call */
    bool unknown_callid_error;
    bool session_cookie;
    int64_t max_agentid;
    int64_t poll_ms;
};

extern const struct mock_vendor_sim huawei_sim;
extern const struct mock_vendor_control huawei_control;

/* ---- routes.c -------------------------------------------------------------------------------- */

/* Whether a request path is the gateway's. */
bool huawei_owns_path(const char *path);
void huawei_handle(void *state, const struct mock_env *env, const struct mock_request *req,
                   struct mock_response *resp);
/* The gateway's parameter error for a body over the size limit. */
void huawei_oversized(void *state, const struct mock_env *env, const struct mock_request *req,
                      struct mock_response *resp);

/* ---- admin.c --------------------------------------------------------------------------------- */

void huawei_admin(void *state, const struct mock_env *env, const char *subpath,
                  const struct mock_request *req, struct mock_response *resp);

/* ---- records.c: each answers the query for the agent (NULL: no such agent) ------------------- */

void huawei_callinfo(struct huawei_state *st, const struct mock_env *env,
                     const struct mock_request *req, struct huawei_agent *agent,
                     struct mock_response *resp);
void huawei_call_by_id(struct huawei_state *st, const struct mock_env *env,
                       const struct mock_request *req, struct huawei_agent *agent,
                       const char *callid, struct mock_response *resp);
void huawei_holdlist(struct huawei_state *st, const struct mock_env *env,
                     const struct mock_request *req, struct huawei_agent *agent,
                     struct mock_response *resp);

/* ---- poll.c ---------------------------------------------------------------------------------- */

void huawei_poll(struct huawei_state *st, const struct mock_env *env,
                 const struct mock_request *req, struct huawei_agent *agent,
                 struct mock_response *resp);

/* ---- session.c ------------------------------------------------------------------------------- */

/* Applies auto sign-out when the agent has not polled for too long. */
void huawei_expire(struct huawei_agent *agent, int64_t now_ms);
/* Auto sign-out, then the Guid check of auth.c: NULL when the request may go on, else the retcode
 * to answer. */
const char *huawei_authorize(const struct huawei_state *st, struct huawei_agent *agent,
                             const struct mock_request *req, int64_t now_ms);
/* Issues a fresh Guid; the old one stays accepted as the previous one until its expiry. */
void huawei_rotate_guid(const struct huawei_state *st, const struct mock_env *env,
                        struct huawei_agent *agent, int64_t now_ms);
/* Queues an event object (JSON text of content, or NULL for null). */
void huawei_push_event(struct huawei_agent *agent, const char *type, const char *content);
/* The oldest pending event (caller frees), or NULL. */
char *huawei_pop_event(struct huawei_agent *agent);
/* Drops the session's Guids, pending events and noted cookie. */
void huawei_clear_session(struct huawei_agent *agent);
void huawei_sign_in(struct huawei_state *st, const struct mock_env *env,
                    const struct mock_request *req, struct huawei_agent *agent, bool force,
                    struct mock_response *resp);
void huawei_sign_out(struct huawei_state *st, const struct mock_env *env,
                     const struct mock_request *req, struct huawei_agent *agent,
                     struct mock_response *resp);
void huawei_update_guid(struct huawei_state *st, const struct mock_env *env,
                        const struct mock_request *req, struct huawei_agent *agent,
                        struct mock_response *resp);

/* ---- calls.c --------------------------------------------------------------------------------- */

/* Takes obj; NULL when out of memory (obj freed). */
struct huawei_call *huawei_call_new(const struct huawei_state *st, cJSON *obj);
/* Renders json and last_json again after obj changed; false when out of memory. */
bool huawei_call_render(const struct huawei_state *st, struct huawei_call *call);
void huawei_call_free(struct huawei_call *call);
bool huawei_call_list_add(struct huawei_call_list *list, struct huawei_call *call);
void huawei_call_list_free(struct huawei_call_list *list);
/* The agent's live call (current, held or ended) with this id, or NULL. */
const struct huawei_call *huawei_find_call(const struct huawei_agent *agent, const char *callid);
/* Whether the agent has a call with this id: live, held, ended or in the history. */
bool huawei_callid_taken(const struct huawei_state *st, const struct huawei_agent *agent,
                         const char *callid);
/* Starts a call for the agent from the admin fields of body over the callinfo page's example,
 * talking since talk_seconds before now_ms. NULL when started, else why not; *status is the HTTP
 * status to answer. */
const char *huawei_start_call(struct huawei_state *st, struct huawei_agent *agent,
                              const cJSON *body, int64_t now_ms, int *status);
/* The current call leaves the agent's device (mode RELEASE_DIRECT: ended at end_ms; KEEP_DIRECT:
 * held, end_ms HUAWEI_NONE) for reason; false when out of memory. */
bool huawei_call_leave_device(const struct huawei_state *st, struct huawei_call *call,
                              const char *mode, int64_t reason, int64_t end_ms);
/* Starts the calls of fixtures' scenario.json (when present) at anchor_ms. */
bool huawei_apply_scenario(struct huawei_state *st, const char *dir, int64_t anchor_ms, char *err,
                           size_t err_len);

/* ---- auth.c ---------------------------------------------------------------------------------- */

/* The Guid header of a request for agent, whose auto sign-out has been applied: NULL when
 * accepted, else the retcode to answer. Notes the Cookie header for the admin view. */
const char *huawei_check_guid(const struct huawei_state *st, struct huawei_agent *agent,
                              const struct mock_request *req, int64_t now_ms);
/* Whether password signs agent in (NULL: no such agent, never); the verdict goes to req. */
bool huawei_password_matches(const struct mock_request *req, const struct huawei_agent *agent,
                             const char *password);

/* ---- params.c -------------------------------------------------------------------------------- */

/* An agent ID path segment as the gateway takes it: decimal digits within the configured range. */
bool huawei_parse_agentid(const struct huawei_state *st, const char *text, int64_t *out);
/* The sign-in body: password and phonenum required, the rest typed when present. The parsed body
 * (caller frees; password and phone point into it), or NULL when it is not a valid sign-in. */
cJSON *huawei_parse_sign_in(const struct mock_request *req, const char **password,
                            const char **phone, int64_t *status);
/* isNoContainLastCall: absent or empty is false; false when the value is not a boolean. */
bool huawei_parse_last_call_flag(const struct mock_request *req, bool *flag);

/* ---- dataset.c ------------------------------------------------------------------------------- */

/* agents.json of dir (none when dir is NULL), then the --config ones. */
bool huawei_load_agents(struct huawei_state *st, const char *dir, const cJSON *extra, char *err,
                        size_t err_len);
struct huawei_agent *huawei_find_agent(const struct huawei_state *st, int64_t id);
/* records.json of dir into the history. */
bool huawei_load_records(struct huawei_state *st, const char *dir, char *err, size_t err_len);
/* n generated calls into the history (see huawei_generate_records). */
bool huawei_generate_history(struct huawei_state *st, int64_t n, uint64_t seed, int64_t anchor,
                             char *err, size_t err_len);
/* Parses, indexes and renders one call object of the history (ownership stays with the caller). */
bool huawei_ingest_record(struct huawei_state *st, const cJSON *record, char *err, size_t err_len);
/* After all records are in (at load, or after records came or went at run time): sorts the
 * history and builds the callid and last-call indexes afresh. */
bool huawei_index_records(struct huawei_state *st, char *err, size_t err_len);
/* The first store index of a record with this callid for the agent, or SIZE_MAX. */
size_t huawei_find_record(const struct huawei_state *st, int64_t agent, const char *callid);
/* obj as the last-call answer: the trace's end fields are null unless full (caller frees). */
char *huawei_render_last_call(const cJSON *obj, bool full);
void huawei_free_attrs(void *attrs);
char *huawei_dump_records(const struct huawei_state *st);

/* ---- reply.c --------------------------------------------------------------------------------- */

/* {"message":"<the code's text>","retcode":"<code>","result":null}, HTTP 200. */
void huawei_reply_error(struct mock_response *resp, const char *retcode);
/* {"message":"","retcode":"0","result":<result>}; result is JSON text or NULL for null. */
void huawei_reply_result(struct mock_response *resp, const char *result);
/* The same envelope built in place: begin writes up to the result's value, finish closes it and
 * hands the body to the response. */
void huawei_reply_begin(struct cdr_buf *b);
void huawei_reply_finish(struct mock_response *resp, struct cdr_buf *b);
/* {"result":<result>,"message":"success","retcode":"0"}: sign-out and updateGuid. */
void huawei_reply_success(struct mock_response *resp, const char *result);
/* {"message":"","retcode":"0"} with ,"event":<event> when there is one: the event poll. */
void huawei_reply_event(struct mock_response *resp, const char *event);
/* Set-GUID: JSESSIONID=<guid>, how the gateway hands over a Guid. */
void huawei_reply_set_guid(struct mock_response *resp, const char *guid);
/* An empty text body with an HTTP status: the servlet container's 404 and 405. */
void huawei_reply_status(struct mock_response *resp, int status);
/* {"error":"..."} with an HTTP status: the admin endpoints' own format. */
void huawei_reply_admin_error(struct mock_response *resp, int status, const char *message);
/* Hands a finished admin body to the response. */
void huawei_reply_admin_json(struct mock_response *resp, int status, struct cdr_buf *b);

/* ---- generate.c ------------------------------------------------------------------------------ */

/* The fields of a call; instants are epoch milliseconds or HUAWEI_NONE. */
struct huawei_call_spec {
    int64_t callfeature;
    const char *callid;
    const char *caller, *called, *callskill, *orgicallednum, *calldata;
    int64_t callskillid, user_priority, trunk_no, logontimes, media_type, media_ability, wait_time;
    int64_t begintime, endtime;
    int64_t wait_begin, wait_end, answer_begin, answer_end, talk_begin, talk_end;
    int64_t device_no, device_type;
    const char *direct_mode;
    int64_t enter_reason, leave_reason; /* leave_reason HUAWEI_NONE: null */
    int64_t vdn_id;
};
/* The call object in the callinfo page's field order (caller frees); NULL when out of memory. */
cJSON *huawei_call_object(const struct huawei_call_spec *spec);
/* The documented description of a reason code (Table 6); the page example's "Normal reason" for
 * 0. */
const char *huawei_reason_text(int64_t reason);
/* Takes one generated call (still the generator's); false, with err set, stops the generator. */
typedef bool huawei_call_sink(void *ctx, const cJSON *call, char *err, size_t err_len);
/* n calls in the vendor's shape for the agents, spread over the 365 days before anchor (Unix
 * seconds), handed to sink oldest first. Same seed and anchor, same calls. */
bool huawei_generate_records(const struct huawei_agent *agents, size_t agent_count, int64_t n,
                             uint64_t seed, int64_t anchor, huawei_call_sink *sink, void *ctx,
                             char *err, size_t err_len);

#endif
