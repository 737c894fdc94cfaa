/* Shared by the files of client/vendors/huawei/. The order is one-way: fields.c (what each argument
 * is) and record.c (one call object) <- parse.c (the envelope, calls, the sign-in result, events)
 * <- request.c (bodies and paths) <- session.c (the session: Guid, cookies, sign in and out, the
 * event poll) <- client.c (call information) <- descriptor.c (the vendor and its generic calls). */
#ifndef CDRSIM_CLIENT_HUAWEI_INTERNAL_H
#define CDRSIM_CLIENT_HUAWEI_INTERNAL_H

#include <cJSON.h>

#include "cdrsim/huawei.h"
#include "vendor_ops.h"

/* descriptor.c: the vendor; fields.c: its arguments, ending with a row whose name is NULL. */
CDR_INTERNAL extern const struct cdr_vendor cdr__huawei_vendor;
CDR_INTERNAL extern const struct cdr_field cdr__huawei_fields[];

#define CDR__HUAWEI_GUID_MAX 256

struct cdr_huawei_session {
    struct cdr_http *http;
    char *base; /* base URL + "/agentgateway/resource" */
    char agent_id[16];
    char *password;
    char *phone;
    int status;
    enum cdr_huawei_lastcall_flag lastcall_flag;
    char guid[CDR__HUAWEI_GUID_MAX];
};

/* record.c: one call object into the normalized record. */
CDR_INTERNAL cdr_error cdr__huawei_normalize(const cJSON *c, struct cdr_record *out,
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

/* request.c: the sign-in body and the calldata paths. Caller frees; NULL when out of memory. */
CDR_INTERNAL char *cdr__huawei_sign_in_body(const char *password, const char *phone, int status);
CDR_INTERNAL char *cdr__huawei_call_by_id_path(const char *agent_id, const char *callid);

/* session.c: one request under the session's Guid; on CDR_OK *root is the answer's envelope
 * (caller deletes). With take_guid_header, the answer's Guid header (sign-in) is taken. */
CDR_INTERNAL cdr_error cdr__huawei_exchange(struct cdr_huawei_session *s, const char *method,
                                            const char *path, const char *body, bool idempotent,
                                            bool take_guid_header, cJSON **root,
                                            struct cdr_error_info *err);
/* session.c: an exchange without a body on "tail" (a format with one %s, the agent ID). */
CDR_INTERNAL cdr_error cdr__huawei_simple(struct cdr_huawei_session *s, const char *method,
                                          const char *tail, bool idempotent, cJSON **root,
                                          struct cdr_error_info *err);

#endif
