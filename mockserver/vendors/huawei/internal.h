/* Huawei CEC AgentGateway simulator: the types and functions its files share. Facts, each marked
 * documented or inferred, are in docs/vendors/huawei.md; the call object follows the example of
 * the callinfo page, https://support.huaweicloud.com/intl/en-us/api-cec/cec_07_1261.html
 *
 * Dependencies run one way: a file calls only files listed below it.
 *   sim.c       the vendor table, variants, load/unload, quick-start lines, dump
 *   routes.c    the route tables and dispatch (the AgentGateway under /agentgateway/resource/,
 *               the API Fabric's token and CC-Management calls, the recording store), 404/405,
 *               the oversized-body answer
 *   token.c     POST /apigovernance/api/oauth/tokenByAkSk: AK/SK in, an AccessToken out
 *   records.c   POST .../queryCallDetailRecord: the call history, filtered and paged
 *   recordings.c  POST .../getRecordingAddress, the expiring URL it hands out and the audio
 *               behind it; GET recordfile/{agentid}, the AgentGateway's download
 *   admin.c     /__cdrsim/huawei/agents...: look at sessions, drive calls, queue events
 *   control.c   the control plane: call history added and removed at run time
 *   push.c      the release callback of a bidirectional call that ended or was added
 *   events.c    the events a call sends its agent as it starts, is held and is released
 *   calldata.c  the calldata queries: callinfo, callinfobycallid, holdlist
 *   poll.c      GET agentevent/{agentid}: the event long poll
 *   session.c   sign-in state, Guid issue and rotation, events; the onlineagent endpoints
 *               (sign in and out, updateGuid, the handshake)
 *   calls.c     live call objects: start from fields (admin, scenario), hold, end; the ring of
 *               ended calls and the callid index over an agent's calls
 *   auth.c      the Guid check and the password check; AK/SK, the Bearer token, signed URLs
 *   params.c    reading requests: agent ID segment, sign-in body, isNoContainLastCall, the
 *               string-typed bodies of the CC-Management calls
 *   dataset.c   agents, apps and call history from fixtures (kept as their own bytes) or generated
 *               (kept as the generator's state, written when shown), indexed; the
 *               CC-Management history derived from the agents' outbound calls
 *   reply.c     every body: the {message, retcode, result} envelope, 404/405, admin errors
 *   generate.c  the call object in the vendor's shape, deterministic call history
 * reply.c and generate.c call nothing else of the vendor; generate.c hands its calls to dataset.c
 * through a callback.
 *
 * Locking: handlers run inside the vendor's gate, shared (gate.h); everything an agent's session
 * or calls can change lives in struct huawei_agent and is guarded by huawei_state.lock, as is the
 * key that signs tokens and recording URLs (made on first use). The call history (records)
 * changes only in control.c, which the core runs alone behind the gate; the CC-Management history
 * (history) is derived from it, at load and again in control.c when it changes. */
#ifndef MOCK_VENDOR_HUAWEI_INTERNAL_H
#define MOCK_VENDOR_HUAWEI_INTERNAL_H

#include <cJSON.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../arena.h"
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
#define HUAWEI_MAX_HELD 64            /* held calls per agent: a desk phone holds a handful */
#define HUAWEI_MAX_PASSWORD 32        /* the sign-in page: password, at most 32 characters */
#define HUAWEI_GUID_SIZE 64           /* "<uuid>.AgentGateway0" plus room */
#define HUAWEI_CALLID_SIZE 64
#define HUAWEI_RECORD_FILE_SIZE 128 /* "Y:/<vdn>/0/<yyyymmdd>/<skill>/<callid>.V3" */
#define HUAWEI_NONE INT64_MIN       /* a null instant in a call object */

/* The vendor's retcodes (always HTTP 200, the code in the body). */
#define HUAWEI_PARAMETER "000-002"
#define HUAWEI_NO_PERMISSION "000-003"
#define HUAWEI_SIGNIN_PARAMETER "100-001"
#define HUAWEI_ALREADY_IN "100-002"
#define HUAWEI_WRONG_PASSWORD "100-004"
#define HUAWEI_SIGNOUT_REFUSED "100-005" /* listed on the sign-out page, meaning unpublished */
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
    bool recorded;       /* the switch records it (AgentMediaEvent_Record, recordfile) */
    int64_t record_task; /* the recording's taskId */
};

struct huawei_call_list {
    struct huawei_call **items;
    size_t count;
};

/* The agent's ended calls, newest last, at most cap of them (huawei.call_history): the oldest is
 * forgotten when a new one ends, so an agent driven through thousands of calls keeps a bounded
 * history. */
struct huawei_call_ring {
    struct huawei_call **slots;
    size_t cap, head, count; /* slots[head] is the oldest */
};

/* Every call an agent has on its device or remembers (current, held, ended), by callid: open
 * addressing over the calls, which own their ids. */
struct huawei_call_index {
    struct huawei_call **slots;
    size_t cap, count;
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
    char *last_json;     /* that call as the "last call" answer; NULL for none */

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
    struct huawei_call_list held;  /* at most HUAWEI_MAX_HELD */
    struct huawei_call_ring ended; /* the newest is the agent's last call */
    struct huawei_call_index calls;
};

/* An app of the API Fabric: the AK/SK pair tokenByAkSk takes. */
struct huawei_app {
    char *key;
    char *secret;
};

/* What the call history keeps per record besides its JSON (in the dataset's arena). A generated
 * call keeps no text: it is drawn again from replay when shown (about 100 bytes a call instead of
 * two renderings of 700). */
struct huawei_record_attrs {
    int64_t agent;      /* trace.deviceNo of an agent device (deviceType 2); -1 otherwise */
    const char *callid; /* in the arena */
    bool generated;
    uint64_t replay; /* generated: the generator's state before the call */
    uint64_t seq;    /* generated: the callid's sequence number */
    uint64_t order;  /* generated: its store order, which its history record's serial holds */
};

/* What the CC-Management history keeps per record besides its JSON (in the dataset's arena). */
struct huawei_cdr_attrs {
    int64_t start_ms;
    char serial[24]; /* callSerialNo */
    char caller[40]; /* the caller filter's value */
    int task_type;   /* 1 CEC bidirectional, 2 anonymous outbound, 3 notification, 4 ITA */
    int64_t talk_s;  /* the customer's talk seconds: 0 = nothing was recorded */
    /* A generated call's record keeps no text: it is written from the call drawn again. */
    const struct huawei_record_attrs *generated_call;
};

struct huawei_serial_entry {
    const char *serial; /* the record's attrs own it */
    size_t index;       /* into history */
};

struct huawei_callid_entry {
    const char *callid; /* the record's attrs own it */
    int64_t agent;
    size_t index; /* into records */
};

struct huawei_state {
    pthread_mutex_t lock;
    struct mock_arena arena;               /* both histories' attrs and callids */
    struct mock_store records;             /* the call history, sorted by begintime */
    struct huawei_callid_entry *by_callid; /* one per record, sorted by (callid, agent) */
    struct huawei_agent *agents;           /* sorted by id */
    size_t agent_count;
    uint64_t call_seq;       /* for callids of admin-started calls */
    struct huawei_app *apps; /* the API Fabric's AK/SK pairs */
    size_t app_count;
    struct mock_store history;             /* CC-Management records, sorted by startTime */
    struct huawei_serial_entry *by_serial; /* one per history record, sorted by serial */
    unsigned char url_key[32]; /* signs AccessTokens and recording URLs; guarded by lock */
    bool url_key_set;
    /* variants */
    bool dynamic_auth;        /* authmode 2 */
    bool lastcall_doc;        /* isNoContainLastCall=true asks for the last call */
    bool lastcall_trace_full; /* keep the trace's end fields in the last call */
    bool unknown_callid_error;
    bool session_cookie;
    bool error_result_null;   /* error_body=ours: {"message","retcode","result":null} */
    bool agentid_strip_zeros; /* agentid_leading_zero=strip: "0291" is agent 291 */
    bool event_gen_time;      /* event_gen_time=on: events carry eventGenTime */
    char signout_in_call[16]; /* a retcode, or HUAWEI_SIGNOUT_KEPT / HUAWEI_SIGNOUT_ALLOWED */
    int64_t max_agentid;
    int64_t poll_ms;
    size_t call_history;       /* ended calls each agent remembers */
    int64_t token_default_s;   /* token_seconds: a token's life without X-Token-Expire */
    int token_failure_status;  /* token_failure: 401 or 403 */
    bool history_newest_first; /* history_order=newest */
    bool history_strings;      /* history_types=strings: the tables' types, not the example's */
    bool history_empty_ok;     /* history_empty=empty: no match is retCode "0" with no records */
    bool history_offset_pages; /* history_offset=pages: offset counts pages of limit records */
    int64_t history_max_limit; /* history_max_limit: the largest limit, 0 for none */
};

#define HUAWEI_HISTORY_MAX_SPAN_MS (7LL * 86400 * 1000) /* "cannot exceed seven days" */
#define HUAWEI_RECORDING_URL_MS (5 * 60 * 1000)         /* "valid for 5 minutes" */
#define HUAWEI_TOKEN_MAX_S 3600                         /* X-Token-Expire at most 3600 */
#define HUAWEI_FABRIC_TOKEN "/apigovernance/api/oauth/tokenByAkSk"
#define HUAWEI_FABRIC_CDR "/apiaccess/CC-Management/v1/mobileAgent/queryCallDetailRecord"
#define HUAWEI_FABRIC_RECORDING "/apiaccess/CC-Management/v1/mobileAgent/getRecordingAddress"
#define HUAWEI_OBS_PREFIX "/aicc-obs/record/" /* where recording URLs point on this mock */

/* huawei.signout_in_call values besides a retcode. */
#define HUAWEI_SIGNOUT_KEPT "success_kept" /* success answered, the agent stays signed in */
#define HUAWEI_SIGNOUT_ALLOWED "signs_out" /* the agent is signed out, call or not */

extern const struct mock_vendor_sim huawei_sim;
extern const struct mock_vendor_control huawei_control;
extern const struct mock_vendor_push huawei_push;

/* ---- routes.c -------------------------------------------------------------------------------- */

/* Whether a request path is the gateway's. */
bool huawei_owns_path(const char *path);
/* routes.c: the routes, admin.c: the admin routes, for mock_vendor_sim.route_list. */
void huawei_route_list(void (*each)(void *ctx, const char *method, const char *path), void *ctx);
void huawei_admin_route_list(void (*each)(void *ctx, const char *method, const char *path),
                             void *ctx);
void huawei_handle(void *state, const struct mock_env *env, const struct mock_request *req,
                   struct mock_response *resp);
/* The gateway's parameter error for a body over the size limit. */
void huawei_oversized(void *state, const struct mock_env *env, const struct mock_request *req,
                      struct mock_response *resp);

/* ---- admin.c --------------------------------------------------------------------------------- */

void huawei_admin(void *state, const struct mock_env *env, const char *subpath,
                  const struct mock_request *req, struct mock_response *resp);

/* ---- token.c, records.c, recordings.c: the API Fabric and the recordings ------------------- */

/* POST tokenByAkSk. */
void huawei_token(struct huawei_state *st, const struct mock_env *env,
                  const struct mock_request *req, struct mock_response *resp);
/* POST queryCallDetailRecord. */
void huawei_query_history(struct huawei_state *st, const struct mock_env *env,
                          const struct mock_request *req, struct mock_response *resp);
/* POST getRecordingAddress. */
void huawei_recording_address(struct huawei_state *st, const struct mock_env *env,
                              const struct mock_request *req, struct mock_response *resp);
/* GET /aicc-obs/record/<callSerialNo>.wav?Expires=&Signature=: what a recording URL serves. */
void huawei_recording_object(struct huawei_state *st, const struct mock_env *env,
                             const struct mock_request *req, struct mock_response *resp);
/* GET recordfile/{agentid}: the agent's recording by its file name (under the state's lock). */
void huawei_recordfile(struct huawei_state *st, const struct mock_env *env,
                       const struct mock_request *req, struct huawei_agent *agent,
                       struct mock_response *resp);

/* ---- events.c: what a call tells a signed-in agent as it changes ----------------------------- */

void huawei_events_call_started(const struct huawei_state *st, struct huawei_agent *agent,
                                const struct huawei_call *call, int64_t now_ms);
void huawei_events_call_held(const struct huawei_state *st, struct huawei_agent *agent,
                             const struct huawei_call *call, int64_t now_ms);
void huawei_events_call_released(const struct huawei_state *st, struct huawei_agent *agent,
                                 const struct huawei_call *call, bool by_customer, int64_t now_ms);

/* ---- calldata.c: each answers the query for the agent (NULL: no such agent) ------------------ */

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
/* huawei_authorize, answering the failure: true when the request may go on. */
bool huawei_authorized(const struct huawei_state *st, struct huawei_agent *agent,
                       const struct mock_request *req, int64_t now_ms, struct mock_response *resp);
/* Under dynamic auth, rotates the Guid when its interval has passed and hands the current one
 * over in Set-GUID on resp (the poll's and the heartbeat's answers), also to a client still
 * sending the previous one. */
void huawei_hand_over_guid(const struct huawei_state *st, const struct mock_env *env,
                           const struct mock_request *req, struct huawei_agent *agent,
                           int64_t now_ms, struct mock_response *resp);
/* Issues a fresh Guid; the old one stays accepted as the previous one until its expiry. */
void huawei_rotate_guid(const struct huawei_state *st, const struct mock_env *env,
                        struct huawei_agent *agent, int64_t now_ms);
/* Queues an event object (JSON text of content, or NULL for null) stamped now_ms, which goes out
 * as eventGenTime under huawei.event_gen_time=on. */
void huawei_push_event(const struct huawei_state *st, struct huawei_agent *agent, const char *type,
                       const char *content, int64_t now_ms);
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
/* POST onlineagent/{agentid}/handshake: the push mode's keep-alive. */
void huawei_handshake(struct huawei_state *st, const struct mock_env *env,
                      const struct mock_request *req, struct huawei_agent *agent,
                      struct mock_response *resp);

/* ---- calls.c --------------------------------------------------------------------------------- */

/* Takes obj; NULL when out of memory (obj freed). */
struct huawei_call *huawei_call_new(const struct huawei_state *st, cJSON *obj);
/* Renders json and last_json again after obj changed; false when out of memory. */
bool huawei_call_render(const struct huawei_state *st, struct huawei_call *call);
void huawei_call_free(struct huawei_call *call);
/* Puts the call on hold (the agent's current call): false when out of memory or the agent holds
 * HUAWEI_MAX_HELD calls already. */
bool huawei_hold_current(struct huawei_agent *agent);
/* The current call has ended: it becomes the newest of the ring, which forgets (frees) its oldest
 * call when full. false when out of memory. */
bool huawei_end_current(const struct huawei_state *st, struct huawei_agent *agent);
/* The agent's last ended call it still remembers, or NULL. */
const struct huawei_call *huawei_last_ended(const struct huawei_agent *agent);
/* How many ended calls the agent remembers. */
size_t huawei_ended_count(const struct huawei_agent *agent);
/* A stable 64-bit hash of text (FNV-1a): the callid index's, and the seed of a call's audio. */
uint64_t huawei_text_hash(const char *text);
/* Forgets (frees) the agent's ended calls, so it has no last call; current and held calls stay. */
void huawei_forget_ended(struct huawei_agent *agent);
/* Frees every call of the agent (current, held, ended) and the index. */
void huawei_calls_free(struct huawei_agent *agent);
/* The agent's call (current, held or ended and remembered) with this id, or NULL. */
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
/* Where the switch keeps a call's recording, the recordfile page's recordId (the form of its
 * example, "Y:/6/0/20161025/20011/1902050.V3", with the call id as the file's name), and the
 * recording's recordID. false when the call object lacks what the name needs. */
bool huawei_record_file_name(const cJSON *obj, const char *callid, char *file, size_t file_len,
                             char *record_id, size_t record_id_len);
/* Whole seconds the call object talked (until its talk end, its end, or now_ms while it talks);
 * 0 when it never did. */
int64_t huawei_talk_seconds(const cJSON *obj, int64_t now_ms);
/* The call id a recordId names, when it has the form above; false otherwise. */
bool huawei_record_file_callid(const char *file, char *callid, size_t len);
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
/* The app whose AK and SK these are, or NULL. */
const struct huawei_app *huawei_app_matching(const struct huawei_state *st, const char *key,
                                             const char *secret);
/* A fresh AccessToken of app that the mock accepts until expires_ms (caller frees; NULL when out
 * of memory): the app, the expiry and a nonce, signed with the state's key, so checking one needs
 * no table of issued tokens. */
char *huawei_issue_token(struct huawei_state *st, const struct mock_env *env,
                         const struct huawei_app *app, int64_t expires_ms);
enum huawei_bearer {
    HUAWEI_BEARER_OK,
    HUAWEI_BEARER_INVALID, /* missing, malformed, not ours, an app that is gone, another X-APP-Key
                            */
    HUAWEI_BEARER_EXPIRED,
};
/* The request's "Authorization: Bearer <AccessToken>" on the mock's clock. */
enum huawei_bearer huawei_check_bearer(struct huawei_state *st, const struct mock_env *env,
                                       const struct mock_request *req);
/* Answers the gateway's refusal (huawei.token_failure's status: APIGW.0307 for an expired token,
 * APIGW.0301 otherwise) and returns true, unless the request's token is valid. */
bool huawei_bearer_refused(struct huawei_state *st, const struct mock_env *env,
                           const struct mock_request *req, struct mock_response *resp);
/* The Signature of a recording URL for object (the callSerialNo) expiring at expires_s: 32 hex
 * digits into out. */
void huawei_sign_url(struct huawei_state *st, const struct mock_env *env, const char *object,
                     int64_t expires_s, char out[33]);

/* ---- params.c -------------------------------------------------------------------------------- */

/* The request's body as a JSON object (caller deletes), or NULL when it is none: a raw NUL is not
 * JSON (control characters must be escaped), though cJSON would read up to it. */
cJSON *huawei_json_body(const struct mock_request *req);
/* An agent ID path segment as the gateway takes it: decimal digits within the configured range. */
bool huawei_parse_agentid(const struct huawei_state *st, const char *text, int64_t *out);
/* The sign-in body: password and phonenum required, the rest typed when present. The parsed body
 * (caller frees; password and phone point into it), or NULL when it is not a valid sign-in. */
cJSON *huawei_parse_sign_in(const struct mock_request *req, const char **password,
                            const char **phone, int64_t *status);
/* isNoContainLastCall: absent or empty is false; false when the value is not a boolean. */
bool huawei_parse_last_call_flag(const struct mock_request *req, bool *flag);

/* A queryCallDetailRecord body, read. */
struct huawei_history_query {
    int64_t start_ms, end_ms;
    int64_t offset, limit;
    char caller[40]; /* "" for all */
    int task_type;   /* 0: every type but ITA bidirectional calls (4) */
};
/* What a CC-Management body read says: fine, a retCode, or a request the service refuses at the
 * HTTP level (400). */
enum huawei_body_verdict { HUAWEI_BODY_OK, HUAWEI_BODY_RETCODE, HUAWEI_BODY_BAD_REQUEST };
/* Reads the body the way a Java service with String members does (numbers are taken as their
 * text): startTime/endTime epoch ms at most 7 days apart (retCode "2"), offset and limit (retCode
 * "4"), caller up to 32 characters of digits (retCode "12"), taskType 0..4 (else 400). On
 * HUAWEI_BODY_RETCODE *retcode is set. */
enum huawei_body_verdict huawei_parse_history_query(const struct huawei_state *st,
                                                    const struct mock_request *req,
                                                    struct huawei_history_query *q,
                                                    const char **retcode);
/* A getRecordingAddress body's callSerialNo into serial (len > 50 is room enough): OK, RETCODE
 * (*retcode 12: longer than 50 characters), or BAD_REQUEST (no JSON object or no callSerialNo). */
enum huawei_body_verdict huawei_parse_serial(const struct mock_request *req, char *serial,
                                             size_t len, int *retcode);
/* X-Token-Expire: absent is the default, a positive integer is capped at 3600 s; false for
 * anything else. */
bool huawei_parse_token_expire(const struct huawei_state *st, const struct mock_request *req,
                               int64_t *seconds);

/* ---- dataset.c ------------------------------------------------------------------------------- */

struct huawei_cdr_spec; /* generate.c's section below */
struct huawei_generated;
/* What the history and the indexes read of a call object, each member as mock_jv reads it:
 * integers HUAWEI_NONE and strings NULL unless the member is present with that type. */
struct huawei_call_facts {
    const char *callid, *caller, *called, *calldata;
    int64_t callfeature, begintime, endtime;
    int64_t answer_begin, talk_begin, talk_end, leave_reason, device_no, device_type;
};
/* The facts of a call object (cJSON tree). */
void huawei_call_facts_of(const cJSON *r, struct huawei_call_facts *f);
/* The texts a CC-Management record of a call points at (struct huawei_cdr_spec). */
struct huawei_cdr_text {
    char agent_id[24];    /* the agent device's number (trace.deviceNo) */
    char agent_phone[32]; /* the agent's phone, the record's caller */
    char serial[24];      /* callSerialNo: a snowflake of the call's begin and seq */
};
/* The CC-Management record fields of an agent's call r (a call object): its task type (1..4),
 * or 0 when r is none of the outbound task calls the history keeps (or has not ended). seq is the
 * call's place in the dataset (the store entry's order), which makes the serial number unique. */
int huawei_cdr_of_call(const struct huawei_state *st, const cJSON *r, uint64_t seq,
                       struct huawei_cdr_spec *c, struct huawei_cdr_text *text);
/* The same from a call's facts. */
int huawei_cdr_of_facts(const struct huawei_state *st, const struct huawei_call_facts *f,
                        uint64_t seq, struct huawei_cdr_spec *c, struct huawei_cdr_text *text);
/* agents.json of dir (none when dir is NULL), then the --config ones. */
bool huawei_load_agents(struct huawei_state *st, const char *dir, const cJSON *extra, char *err,
                        size_t err_len);
struct huawei_agent *huawei_find_agent(const struct huawei_state *st, int64_t id);
/* apps.json of dir (none when dir is NULL), then the --config ones. */
bool huawei_load_apps(struct huawei_state *st, const char *dir, const cJSON *extra, char *err,
                      size_t err_len);
/* The CC-Management history: one record for each outbound call of an agent in the call history
 * (same agent, numbers and instants), then the documented examples of dir's history_examples.json
 * (dir NULL: none), sorted by startTime and indexed by callSerialNo. After huawei_index_records. */
bool huawei_build_history(struct huawei_state *st, const char *dir, char *err, size_t err_len);
/* Sorts the CC-Management history and indexes it by callSerialNo afresh: at load, and after calls
 * came or went at run time. false with err filled (out of memory, a serial number twice). */
bool huawei_index_history(struct huawei_state *st, char *err, size_t err_len);
/* The history index of a callSerialNo, or SIZE_MAX. */
size_t huawei_find_cdr(const struct huawei_state *st, const char *serial);
/* records.json of dir into the history. */
bool huawei_load_records(struct huawei_state *st, const char *dir, char *err, size_t err_len);
/* n generated calls into the history (see huawei_generate_records). */
bool huawei_generate_history(struct huawei_state *st, int64_t n, uint64_t seed, int64_t anchor,
                             char *err, size_t err_len);
/* Parses, indexes and renders one call object of the history (ownership stays with the caller). */
bool huawei_ingest_record(struct huawei_state *st, const cJSON *record, char *err, size_t err_len);
/* A call given as its compact JSON text (taken, also on failure) and its facts, which must hold a
 * callid of 1..HUAWEI_CALLID_SIZE-1 characters and a begintime. */
bool huawei_ingest_text(struct huawei_state *st, char *json, size_t len,
                        const struct huawei_call_facts *f, char *err, size_t err_len);
/* After all records are in (at load, or after records came or went at run time): sorts the
 * history and builds the callid and last-call indexes afresh. */
bool huawei_index_records(struct huawei_state *st, char *err, size_t err_len);
/* The first store index of a record with this callid for the agent, or SIZE_MAX. */
size_t huawei_find_record(const struct huawei_state *st, int64_t agent, const char *callid);
/* obj as the last-call answer: the trace's end fields are null unless full (caller frees). */
char *huawei_render_last_call(const cJSON *obj, bool full);
char *huawei_dump_records(const struct huawei_state *st);
/* Sets up the dataset's stores and arena (empty), and frees them. */
void huawei_dataset_init(struct huawei_state *st);
void huawei_dataset_clear(struct huawei_state *st);

/* ---- reply.c --------------------------------------------------------------------------------- */

/* The gateway's error, HTTP 200: {"retcode":"<code>","message":"<text>","result":""} as the
 * recordfile page shows it, or under huawei.error_body=ours
 * {"message":"<text>","retcode":"<code>","result":null}. */
void huawei_reply_error(const struct huawei_state *st, struct mock_response *resp,
                        const char *retcode);
/* The error body the recordfile page prints, whatever huawei.error_body says: that endpoint's
 * own documented answer. */
void huawei_reply_documented_error(struct mock_response *resp, const char *retcode);
/* {"message":"","retcode":"0","result":<result>}; result is JSON text or NULL for null. */
void huawei_reply_result(struct mock_response *resp, const char *result);
/* The same envelope built in place: begin writes up to the result's value, finish closes it and
 * hands the body to the response. */
void huawei_reply_begin(struct cdr_buf *b);
void huawei_reply_finish(struct mock_response *resp, struct cdr_buf *b);
/* {"result":<result>,"message":"success","retcode":"0"}: sign-out and updateGuid. */
void huawei_reply_success(struct mock_response *resp, const char *result);
/* {"message":"success","retcode":"0"}: the heartbeat's answer. */
void huawei_reply_handshake(struct mock_response *resp);
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

/* An error of the API Fabric's gateway, before or instead of the service: HTTP status with
 * {"error_code","error_msg","request_id"}. */
void huawei_reply_gateway(const struct mock_env *env, struct mock_response *resp, int status,
                          const char *code, const char *message);
/* tokenByAkSk's answer: every value a string, as the page's example. */
void huawei_reply_token(struct mock_response *resp, const char *token, int64_t create_s,
                        int64_t expires_s, const char *app_key);
/* {"retCode":"<code>","retMsg":"<message>"}, HTTP 200: queryCallDetailRecord's failures. */
void huawei_reply_retcode(struct mock_response *resp, const char *retcode, const char *message);
/* queryCallDetailRecord's page: begin writes up to the first record, the caller adds records
 * separated by commas, finish closes it with retCode "0". */
void huawei_reply_history_begin(struct cdr_buf *b, int64_t total);
void huawei_reply_history_finish(struct mock_response *resp, struct cdr_buf *b);
/* getRecordingAddress: {"retMsg","result":{"url"},"retCode":<number>}, url NULL for a failure
 * (no result). */
void huawei_reply_recording(struct mock_response *resp, int retcode, const char *message,
                            const char *url);
/* An object store's error: status with the S3-style XML {Code, Message, RequestId}. */
void huawei_reply_obs_error(const struct mock_env *env, struct mock_response *resp, int status,
                            const char *code, const char *message);
/* Audio bytes (taken) with their Content-Type. */
void huawei_reply_audio(struct mock_response *resp, const char *content_type, unsigned char *bytes,
                        size_t len);

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
/* The call object in the callinfo page's field order, as compact JSON text, written directly. */
bool huawei_call_write(const struct huawei_call_spec *spec, struct cdr_buf *b);
/* The same as a tree (caller frees); NULL when out of memory. */
cJSON *huawei_call_object(const struct huawei_call_spec *spec);
/* The documented description of a reason code (Table 6); the page example's "Normal reason" for
 * 0. */
const char *huawei_reason_text(int64_t reason);
/* The fields of a CC-Management history record; instants are epoch ms, talking_ms HUAWEI_NONE
 * when the customer never answered. */
struct huawei_cdr_spec {
    const char *serial, *caller, *called, *caller_present, *agent_present, *call_data;
    int64_t start_ms, end_ms, alerting_ms, talking_ms, agent_alerting_ms, agent_talking_ms;
    int64_t talk_s, agent_talk_s, state, reason_code;
};
/* A record in the order of the queryCallDetailRecord example as compact JSON text, numbers where
 * it has numbers (every number as its text when strings: history_types=strings). callData only
 * when there is some. */
bool huawei_cdr_write(const struct huawei_cdr_spec *spec, bool strings, struct cdr_buf *b);
/* A generated call: its fields, the texts they point at, and what draws it again. */
struct huawei_generated {
    struct huawei_call_spec spec;
    char caller[32], called[32], callid[HUAWEI_CALLID_SIZE];
    uint64_t replay;     /* the generator's state before the call */
    uint64_t seq;        /* the callid's sequence number */
    int64_t start_s;     /* its begin second */
    uint64_t next_state; /* the generator's state after it */
};
/* Draws the call whose draws start at replay again: the same values, so the same text. */
void huawei_generate_again(const struct huawei_agent *agents, size_t agent_count, uint64_t replay,
                           uint64_t seq, int64_t start_s, struct huawei_generated *g);
/* Takes one generated call (still the generator's); false, with err set, stops the generator. */
typedef bool huawei_call_sink(void *ctx, const struct huawei_generated *call, char *err,
                              size_t err_len);
/* n calls in the vendor's shape for the agents, spread over the 365 days before anchor (Unix
 * seconds), handed to sink oldest first. Same seed and anchor, same calls. */
bool huawei_generate_records(const struct huawei_agent *agents, size_t agent_count, int64_t n,
                             uint64_t seed, int64_t anchor, huawei_call_sink *sink, void *ctx,
                             char *err, size_t err_len);

#endif
