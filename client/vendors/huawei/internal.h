/* Shared by the files of client/vendors/huawei/. The order is one-way: fields.c (what each argument
 * is) and record.c (one call object, one history record) <- parse.c (the envelopes, calls, the
 * sign-in result, events; the history page, the token, the recording address, the gateway's
 * errors) <- request.c (bodies and paths) <- session.c (the AgentGateway session: Guid, cookies,
 * sign in and out, the event poll, the heartbeat) <- client.c (call information, recordfile) and
 * token.c (the API Fabric's token, kept and renewed) <- history.c (the call history, recordings)
 * <- descriptor.c (the vendor and its generic calls). */
#ifndef CDRSIM_CLIENT_HUAWEI_INTERNAL_H
#define CDRSIM_CLIENT_HUAWEI_INTERNAL_H

#include <cJSON.h>

#include "cdrsim/huawei.h"
#include "vendor_ops.h"

/* descriptor.c: the vendor; fields.c: its arguments, ending with a row whose name is NULL. */
CDR_INTERNAL extern const struct cdr_vendor cdr__huawei_vendor;
CDR_INTERNAL extern const struct cdr_field cdr__huawei_fields[];

#define CDR__HUAWEI_GUID_MAX 256
/* The gateway's retcode for its own failure during an agent operation. */
#define CDR__HUAWEI_INTERNAL_ERROR "100-007"

struct cdr_huawei_session {
    struct cdr_http *http;
    char *base; /* base URL + "/agentgateway/resource" */
    char agent_id[16];
    char *password;
    char *phone;
    int status;
    enum cdr_huawei_lastcall_flag lastcall_flag;
    bool unchecked;
    char guid[CDR__HUAWEI_GUID_MAX];
};

/* The CC-Management history client. */
struct cdr_huawei_history {
    struct cdr_http *http;
    char *base;       /* base URL without trailing slashes */
    char *token_base; /* where tokenByAkSk is */
    char *app_key;
    char *app_secret;
    int64_t lifetime, margin;
    enum cdr_huawei_offset offset;
    bool unchecked; /* send out-of-range windows and limits as given */
    cdr_clock_fn clock;
    void *clock_user;
    struct cdr_huawei_token token; /* access_token NULL when there is none */
    int64_t token_renew_at;        /* on the client's clock: fetch a new one from here on */
};

/* record.c: one call object into the normalized record. */
CDR_INTERNAL cdr_error cdr__huawei_normalize(const cJSON *c, struct cdr_record *out,
                                             struct cdr_error_info *err);
/* record.c: one queryCallDetailRecord record into the normalized record. */
CDR_INTERNAL cdr_error cdr__huawei_history_normalize(const cJSON *r, struct cdr_record *out,
                                                     struct cdr_error_info *err);

/* parse.c: parses a body into *root and checks its retcode: CDR_OK only for "0" (string or
 * number), with *root then owned by the caller. Otherwise *root is NULL and err says why, keeping
 * the vendor's retcode and message. */
CDR_INTERNAL cdr_error cdr__huawei_parse_envelope(const char *body, size_t len, cJSON **root,
                                                  struct cdr_error_info *err);
/* parse.c: the calls of a calldata answer's `result` (null, an object or an array). */
CDR_INTERNAL cdr_error cdr__huawei_result_calls(const cJSON *root, struct cdr_record **recs,
                                                size_t *count, struct cdr_error_info *err);
/* parse.c: the sign-in answer's result. */
CDR_INTERNAL void cdr__huawei_read_login(const cJSON *root, struct cdr_huawei_login *login);
/* parse.c: the event of a poll answer, if any (out->type NULL when none). */
CDR_INTERNAL cdr_error cdr__huawei_read_event(const cJSON *root, struct cdr_huawei_event *out,
                                              struct cdr_error_info *err);

/* parse.c: an answer of the API Fabric that is not HTTP 200, as a cdr_error (400 and 413
 * parameter, 401 and 403 auth, 404 not found, 429 rate limited, else http), the gateway's
 * error_code and error_msg kept when its body has them. */
CDR_INTERNAL cdr_error cdr__huawei_gateway_error(const struct cdr_http_response *resp,
                                                 const char *what, struct cdr_error_info *err);
/* parse.c: tokenByAkSk's answer into out (cdr_huawei_token_free it). */
CDR_INTERNAL cdr_error cdr__huawei_parse_token(const char *body, size_t len,
                                               struct cdr_huawei_token *out,
                                               struct cdr_error_info *err);
/* parse.c: getRecordingAddress's answer: the URL (caller frees) or the retCode as an error. */
CDR_INTERNAL cdr_error cdr__huawei_parse_recording(const char *body, size_t len, char **url,
                                                   struct cdr_error_info *err);

/* request.c: the sign-in body and the calldata paths. Caller frees; NULL when out of memory. */
CDR_INTERNAL char *cdr__huawei_sign_in_body(const char *password, const char *phone, int status);
CDR_INTERNAL char *cdr__huawei_call_by_id_path(const char *agent_id, const char *callid);
/* request.c: queryCallDetailRecord's body, every value a string, built from the fields table. */
CDR_INTERNAL char *cdr__huawei_history_body(const struct cdr_huawei_history_filter *f,
                                            int64_t offset, int64_t limit);
/* request.c: {"app_key","app_secret"} and {"callSerialNo"}. */
CDR_INTERNAL char *cdr__huawei_token_body(const char *app_key, const char *app_secret);
CDR_INTERNAL char *cdr__huawei_serial_body(const char *call_serial_no);
/* request.c: a download's bytes through write, in slices; CDR_ERR_INVALID_ARGUMENT when write
 * stops it. */
CDR_INTERNAL cdr_error cdr__huawei_write_all(const char *data, size_t len,
                                             cdr_huawei_write_fn write, void *user,
                                             struct cdr_error_info *err);

/* session.c: one request under the session's Guid; on CDR_OK *root is the answer's envelope
 * (caller deletes). With take_guid_header, the answer's Guid header (sign-in) is taken. */
CDR_INTERNAL cdr_error cdr__huawei_exchange(struct cdr_huawei_session *s, const char *method,
                                            const char *path, const char *body, bool idempotent,
                                            bool take_guid_header, cJSON **root,
                                            struct cdr_error_info *err);
/* session.c: the same with one more header line (NULL: none), the answer as it came (the caller
 * frees resp; it checks the status and the body itself): for downloads, whose success is not an
 * envelope. */
CDR_INTERNAL cdr_error cdr__huawei_send(struct cdr_huawei_session *s, const char *method,
                                        const char *path, const char *body,
                                        const char *extra_header, bool idempotent,
                                        bool take_guid_header, struct cdr_http_response *resp,
                                        struct cdr_error_info *err);
/* session.c: an exchange without a body on "tail" (a format with one %s, the agent ID). */
CDR_INTERNAL cdr_error cdr__huawei_simple(struct cdr_huawei_session *s, const char *method,
                                          const char *tail, bool idempotent, cJSON **root,
                                          struct cdr_error_info *err);

/* token.c: a POST to the API Fabric with "Authorization: Bearer <token>", a token fetched or
 * renewed first when needed; an answer of 401 or 403 drops the token and the request goes once
 * more with a fresh one. On CDR_OK resp holds the last answer, whatever its status. */
CDR_INTERNAL cdr_error cdr__huawei_fabric_post(struct cdr_huawei_history *h, const char *path,
                                               const char *body, struct cdr_http_response *resp,
                                               struct cdr_error_info *err);
/* token.c: the token in use, fetched when there is none or it is due (or always with fresh). */
CDR_INTERNAL cdr_error cdr__huawei_ensure_token(struct cdr_huawei_history *h, bool fresh,
                                                struct cdr_error_info *err);

/* descriptor.c: the history and the session behind a generic client. */
struct cdr__huawei_handle {
    struct cdr_huawei_session *session; /* NULL without agent credentials */
    struct cdr_huawei_history *history; /* NULL without app credentials */
};

#endif
