/* Alibaba Cloud AICCS (aiccs.aliyuncs.com, API version 2019-10-15): HotlineSessionQuery call
 * detail records, the recording actions (ListHotlineRecord, GetRecordUrl, GetRecordData,
 * DescribeRecordData), the transcript (GetHotlineMessageLog) and downloading a recording, over
 * the RPC endpoint, signed with signature V3 (Authorization: ACS3-HMAC-SHA256, what the official
 * SDKs send by default) or V2 (the Signature parameter, HMAC-SHA1). */
#ifndef CDRSIM_ALIYUN_H
#define CDRSIM_ALIYUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cdrsim/error.h"
#include "cdrsim/http.h"
#include "cdrsim/record.h"
#include "cdrsim/sign.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CDR_ALIYUN_ACTION "HotlineSessionQuery"
#define CDR_ALIYUN_VERSION "2019-10-15"
#define CDR_ALIYUN_V3_ALGORITHM "ACS3-HMAC-SHA256"
#define CDR_ALIYUN_DEFAULT_PAGE_SIZE 20

/* One query or form parameter. */
struct cdr_param {
    const char *name;
    const char *value;
};

/* Canonical query string: pairs sorted by raw name in JavaScript's string order (UTF-16 code
 * units, case-sensitive, so "B" sorts before "a"), ties broken by raw value, as the vendor's pages
 * describe and its official SDKs do; then every name and value percent-encoded with
 * cdr_percent_encode and joined as "k=v&k=v". A NULL value encodes as an empty value ("k="). n == 0
 * returns "" (heap-allocated; params may then be NULL). NULL on allocation failure/overflow, when
 * params is NULL with n > 0, or when any name is NULL. Caller frees. */
char *cdr_canonical_query(const struct cdr_param *params, size_t n);

/* ---- signing: what the client signs with, checked against the published vectors ------------ */

/* V2: METHOD "&%2F&" percentEncode(canonical query of every parameter except Signature).
 * Caller frees; NULL when out of memory or a name is NULL. */
char *cdr_aliyun_v2_string_to_sign(const char *method, const struct cdr_param *params, size_t n);
/* V2: Base64(HMAC-SHA1(secret + "&", string_to_sign)). Caller frees. */
char *cdr_aliyun_v2_signature(const char *access_key_secret, const char *string_to_sign);

/* V3 canonical request: METHOD \n URI \n canonical query \n canonical headers \n signed headers
 * \n hashed payload. `headers` are every header of the request (names in any case, a name may
 * repeat: its trimmed values are sorted and joined with ','); `signed_headers` is the
 * ';'-separated list to sign, in any case and order (NULL: every header given, as a client
 * signing what it sends wants): it is lower-cased, sorted and de-duplicated, and that normalized
 * list is what goes into the request and, when signed_headers_out is not NULL, into
 * *signed_headers_out. A signed header the request lacks signs as "name:". Caller frees the
 * result and *signed_headers_out; NULL when out of memory. */
char *cdr_aliyun_v3_canonical_request(const char *method, const char *canonical_uri,
                                      const struct cdr_param *query, size_t query_count,
                                      const struct cdr_param *headers, size_t header_count,
                                      const char *signed_headers, const char *hashed_payload,
                                      char **signed_headers_out);
/* V3: "ACS3-HMAC-SHA256\n" + hex(SHA-256(canonical_request)). Caller frees. */
char *cdr_aliyun_v3_string_to_sign(const char *canonical_request);
/* V3: lowercase hex(HMAC-SHA256(secret, string_to_sign)); no '&' on the key. Caller frees. */
char *cdr_aliyun_v3_signature(const char *access_key_secret, const char *string_to_sign);

/* ---- client ---------------------------------------------------------------------------------- */

/* Writes a fresh SignatureNonce (NUL-terminated, at most 64 bytes with the NUL) into out. */
typedef void (*cdr_aliyun_nonce_fn)(void *user, char out[64]);

enum cdr_aliyun_signing {
    CDR_ALIYUN_SIGN_V3 = 0, /* Authorization: ACS3-HMAC-SHA256, parameters in the query */
    CDR_ALIYUN_SIGN_V2,     /* Signature parameter; POST sends a form body, GET a query string */
};

struct cdr_aliyun_options {
    const char *base_url; /* "https://aiccs.aliyuncs.com" or a mock's URL */
    const char *access_key_id;
    const char *access_key_secret;
    const char *security_token; /* STS token (with an STS.-prefixed AccessKeyId), or NULL */
    const char *instance_id;    /* the tenant cdr_aliyun_record_recordings asks about, or NULL */
    enum cdr_aliyun_signing signing;
    bool use_get; /* GET instead of POST (the official SDKs POST) */
    /* Each retry (a connection error, a 5xx, Throttling.* after the Retry-After or backoff) is
     * signed afresh: a resent nonce is a replay. */
    struct cdr_http_options http;
    cdr_clock_fn clock; /* NULL = time(NULL) */
    void *clock_user;
    cdr_aliyun_nonce_fn nonce; /* NULL = 32 random hex digits */
    void *nonce_user;
    bool skip_raw; /* records without raw_json (cdr_client_options) */
};

/* Defaults: V3, POST, no URL or credentials. */
void cdr_aliyun_options_default(struct cdr_aliyun_options *opts);

/* Request filters of HotlineSessionQuery. NULL strings, false has_* flags, CDR_TIME_NONE times
 * and zero counts are not sent. Lists go out 1-based: AcidList.1, AcidList.2, ... */
struct cdr_aliyun_filter {
    const char *instance_id; /* required */
    int64_t start_ms;        /* QueryStartTime, epoch milliseconds, or CDR_TIME_NONE */
    int64_t end_ms;          /* QueryEndTime, or CDR_TIME_NONE */
    const char *id;
    const char *acid;
    bool has_call_type;
    int call_type; /* 1 outbound, 2 inbound, 3 transfer */
    const char *calling_number;
    const char *called_number;
    bool has_group_id;
    int64_t group_id;
    const char *group_name;
    const char *member_id;
    const char *member_name;
    const char *servicer_id;
    const char *servicer_name;
    const char *call_result;
    const char *const *acid_list;
    size_t acid_list_count;
    const int *call_type_list;
    size_t call_type_list_count;
    const int64_t *group_id_list;
    size_t group_id_list_count;
    const char *const *calling_number_list;
    size_t calling_number_list_count;
    const char *const *called_number_list;
    size_t called_number_list_count;
    const char *const *member_id_list;
    size_t member_id_list_count;
    const char *const *servicer_id_list;
    size_t servicer_id_list_count;
    const char *const *call_result_list;
    size_t call_result_list_count;
};

/* A filter with every field unset (times CDR_TIME_NONE). */
void cdr_aliyun_filter_init(struct cdr_aliyun_filter *filter);

struct cdr_aliyun_page {
    int64_t page_size;
    int64_t page_number;
    int64_t total_count;
    char request_id[64];
    struct cdr_record *records; /* owned; record_count entries */
    size_t record_count;
    char *paging_json; /* Data without its CallDetailRecord, compact JSON as sent (owned) */
};

void cdr_aliyun_page_free(struct cdr_aliyun_page *page);

/* The cdr_error for an Alibaba Cloud error Code (and the HTTP status it came with, for codes
 * this library does not know). The success forms the actions use ("Success", "success", "OK",
 * "200") -> CDR_OK. */
cdr_error cdr_aliyun_code_error(const char *code, long http_status);

/* Parses a HotlineSessionQuery answer: a JSON success page, or a JSON or XML error document
 * mapped to a cdr_error with the vendor's Code and Message kept in err. http_status is the
 * status the body came with (0 when unknown, as for a saved file). */
cdr_error cdr_aliyun_parse_page(const char *body, size_t len, long http_status,
                                struct cdr_aliyun_page *out, struct cdr_error_info *err);

/* Maps one CallDetailRecord object (compact JSON text) to the normalized record. */
cdr_error cdr_aliyun_normalize_json(const char *record_json, size_t len, struct cdr_record *out,
                                    struct cdr_error_info *err);

struct cdr_aliyun_client;

struct cdr_aliyun_client *cdr_aliyun_client_new(const struct cdr_aliyun_options *opts,
                                                struct cdr_error_info *err);
void cdr_aliyun_client_free(struct cdr_aliyun_client *client);

/* The typed client inside a generic client of "aliyun" (cdr_client_new with the "aliyun"
 * descriptor); NULL for another vendor's client. */
struct cdr_client;
struct cdr_aliyun_client *cdr_aliyun_client_of(struct cdr_client *client);

/* One page: PageNo page_no (>= 1), PageSize page_size (>= 1). */
cdr_error cdr_aliyun_query_page(struct cdr_aliyun_client *client,
                                const struct cdr_aliyun_filter *filter, int64_t page_no,
                                int64_t page_size, struct cdr_aliyun_page *out,
                                struct cdr_error_info *err);

struct cdr_aliyun_progress {
    int64_t page; /* 1-based */
    int64_t pages;
    int64_t total_count;
    int64_t records_seen;
};
typedef void (*cdr_aliyun_progress_fn)(void *user, const struct cdr_aliyun_progress *progress);

/* Every record the filter matches, page after page until TotalCount is reached. Every page
 * passes the paging guard before its records are delivered: a PageNumber or PageSize other than
 * asked, a page shorter than page_size before the end (a server capping PageSize would skip
 * records), an empty page, a record repeated (a server ignoring PageNo) or more records than
 * TotalCount fails as CDR_ERR_MALFORMED_RESPONSE naming the rule, rather than losing or
 * duplicating data silently. */
cdr_error cdr_aliyun_fetch_all(struct cdr_aliyun_client *client,
                               const struct cdr_aliyun_filter *filter, int64_t page_size,
                               cdr_record_fn on_record, cdr_aliyun_progress_fn on_progress,
                               void *user, struct cdr_error_info *err);

/* ---- recordings and transcripts ---------------------------------------------------------------
 */

/* One recording (connection) of a session, from ListHotlineRecord. Strings owned; ids kept as
 * text whether the answer sent a string or a number. */
struct cdr_aliyun_recording {
    char *connection_id;
    char *call_id;
    int64_t start_ms; /* epoch milliseconds, or CDR_TIME_NONE */
    int64_t end_ms;
    char *url; /* a signed link that expires; NULL when the answer had none */
};

struct cdr_aliyun_recordings {
    struct cdr_aliyun_recording *items; /* owned; count entries */
    size_t count;
    char request_id[64];
};
void cdr_aliyun_recordings_free(struct cdr_aliyun_recordings *list);

/* A session's recording link, from GetRecordUrl, GetRecordData or DescribeRecordData (agent_id
 * only from the last). Strings owned; oss_link NULL when the session has no recording. */
struct cdr_aliyun_record_link {
    char *acid;
    char *oss_link;
    char *agent_id;
    char request_id[64];
};
void cdr_aliyun_record_link_free(struct cdr_aliyun_record_link *link);

/* One utterance of a session's ASR transcript, from GetHotlineMessageLog. */
struct cdr_aliyun_message {
    char *acid;
    int sender_type; /* 1 customer (member), 2 agent; 0 when absent */
    int64_t start_ms;
    int64_t end_ms;
    char *mid;
    char *content;
};

struct cdr_aliyun_messages {
    struct cdr_aliyun_message *items; /* owned; count entries, in the answer's order */
    size_t count;
    char request_id[64];
};
void cdr_aliyun_messages_free(struct cdr_aliyun_messages *list);

/* The answers as saved bodies (http_status 0 when unknown). Each action's success form is
 * accepted (a Code of "Success", "OK", "200" or 200, or none); an error document maps to a
 * cdr_error with the vendor's Code and Message in err. */
cdr_error cdr_aliyun_parse_recordings(const char *body, size_t len, long http_status,
                                      struct cdr_aliyun_recordings *out,
                                      struct cdr_error_info *err);
/* GetRecordUrl and GetRecordData ({"Data":{"Acid","OssLink"}}) and DescribeRecordData (flat). */
cdr_error cdr_aliyun_parse_record_link(const char *body, size_t len, long http_status,
                                       struct cdr_aliyun_record_link *out,
                                       struct cdr_error_info *err);
cdr_error cdr_aliyun_parse_messages(const char *body, size_t len, long http_status,
                                    struct cdr_aliyun_messages *out, struct cdr_error_info *err);

/* ListHotlineRecord: the recordings of session call_id (the websocket acid, a record's Acid). */
cdr_error cdr_aliyun_list_hotline_record(struct cdr_aliyun_client *client, const char *instance_id,
                                         const char *call_id, struct cdr_aliyun_recordings *out,
                                         struct cdr_error_info *err);
/* GetRecordUrl: record_type "DUP_CALL", "IVR_CALL" or "SMART_CALL". */
cdr_error cdr_aliyun_get_record_url(struct cdr_aliyun_client *client, const char *instance_id,
                                    const char *acid, const char *record_type,
                                    struct cdr_aliyun_record_link *out, struct cdr_error_info *err);
cdr_error cdr_aliyun_get_record_data(struct cdr_aliyun_client *client, const char *instance_id,
                                     const char *acid, struct cdr_aliyun_record_link *out,
                                     struct cdr_error_info *err);

/* DescribeRecordData names its tenant by account, not InstanceId. */
struct cdr_aliyun_account {
    const char *prod_code;    /* NULL: not sent (the service assumes "aiccs") */
    const char *account_type; /* "BUC_TYPE" */
    const char *account_id;
    int sec_level; /* 1..4, the recording's desensitisation level; 0: not sent */
};
cdr_error cdr_aliyun_describe_record_data(struct cdr_aliyun_client *client,
                                          const struct cdr_aliyun_account *account,
                                          const char *acid, struct cdr_aliyun_record_link *out,
                                          struct cdr_error_info *err);
cdr_error cdr_aliyun_get_hotline_message_log(struct cdr_aliyun_client *client,
                                             const char *instance_id, const char *acid,
                                             struct cdr_aliyun_messages *out,
                                             struct cdr_error_info *err);

/* The recordings of a normalized record: its recording_urls when it carries any, else
 * ListHotlineRecord for its call id (Acid) in the client's instance_id. */
cdr_error cdr_aliyun_record_recordings(struct cdr_aliyun_client *client,
                                       const struct cdr_record *record,
                                       struct cdr_aliyun_recordings *out,
                                       struct cdr_error_info *err);

/* Receives a download's bytes as they arrive; non-zero stops the download (the call then fails
 * with CDR_ERR_INVALID_ARGUMENT "stopped by the caller"). */
typedef int (*cdr_aliyun_write_fn)(void *user, const void *data, size_t len);

/* GETs a recording link and hands its body to write as it arrives, never holding the whole file.
 * *bytes (when not NULL) counts what was written. An OSS error document (an expired link: 403
 * AccessDenied "Request has expired."; a tampered one: 403 SignatureDoesNotMatch; a missing file:
 * 404 NoSuchKey) maps to CDR_ERR_AUTH, CDR_ERR_NOT_FOUND or CDR_ERR_HTTP with OSS's Code and
 * Message in err. Error messages name the link without its query (it carries a signature). */
cdr_error cdr_aliyun_download(struct cdr_aliyun_client *client, const char *url,
                              cdr_aliyun_write_fn write, void *user, uint64_t *bytes,
                              struct cdr_error_info *err);

#ifdef __cplusplus
}
#endif

#endif
