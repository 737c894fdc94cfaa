/* Alibaba Cloud AICCS simulator internals, shared by the files of this folder. Facts:
 * docs/vendors/aliyun.md and the vendor's API pages, e.g. HotlineSessionQuery at
 * https://help.aliyun.com/document_detail/213013.html
 *
 * Who calls whom, one way only (a file calls only files listed after it):
 *   sim.c        -> routes.c, dataset.c, nonce.c, limits.c
 *   routes.c     -> auth.c, records.c, recordings.c, messages.c, oss.c, params.c, reply.c
 *   auth.c       -> canonical.c, sts.c, nonce.c, limits.c, params.c, reply.c, digest.c
 *   records.c    -> params.c, dataset.c, reply.c
 *   recordings.c -> oss.c, params.c, dataset.c, reply.c
 *   messages.c   -> params.c, dataset.c, reply.c
 *   oss.c        -> dataset.c (finding the call a link names), reply.c (its request ids)
 *   sts.c        -> canonical.c, reply.c
 *   control.c    -> dataset.c (records added and removed at run time); routes.c, params.c,
 *                   reply.c (a fault's server error in the request's format)
 *   dataset.c    -> generate.c, filters.c (the filters' indexes, rebuilt with the store),
 *                   digest.c (each credential's HMAC key)
 *   canonical.c  -> digest.c
 *   params.c, reply.c, generate.c, filters.c, digest.c, nonce.c, limits.c call nothing
 *   else of the vendor. */
#ifndef MOCK_VENDOR_ALIYUN_INTERNAL_H
#define MOCK_VENDOR_ALIYUN_INTERNAL_H

#include <cJSON.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../arena.h"
#include "../../index.h"
#include "../../store.h"
#include "../../vendor.h"
#include "cdrsim/buf.h"
#include "cdrsim/sign.h"

#define ALIYUN_HOST_ID "aiccs.aliyuncs.com"
#define ALIYUN_ACTION "HotlineSessionQuery" /* the quick start's request */
#define ALIYUN_VERSION "2019-10-15"
#define ALIYUN_V3_ALGORITHM "ACS3-HMAC-SHA256"
#define ALIYUN_WINDOW_MS (15LL * 60 * 1000)  /* Timestamp / x-acs-date tolerance */
#define ALIYUN_DEFAULT_NONCE_CAPACITY 131072 /* 80 calls/s for the whole window, with room */

/* One name/value pair: a query or form parameter, or a header. Both strings are borrowed. */
struct aliyun_param {
    const char *name;
    const char *value;
};

/* ---- the API's actions (params.c) ------------------------------------------------------------ */

/* Every action of the 2019-10-15 API the mock answers: the call detail query and its recording
 * and transcript siblings, signed alike. */
enum aliyun_action {
    ALIYUN_HOTLINE_SESSION_QUERY,
    ALIYUN_LIST_HOTLINE_RECORD,
    ALIYUN_GET_RECORD_URL,
    ALIYUN_GET_RECORD_DATA,
    ALIYUN_DESCRIBE_RECORD_DATA,
    ALIYUN_GET_HOTLINE_MESSAGE_LOG,
    ALIYUN_ACTION_COUNT
};

/* The action a name (Action / x-acs-action, exact case) names; false for one the API lacks. */
bool aliyun_action_find(const char *name, enum aliyun_action *out);
const char *aliyun_action_name(enum aliyun_action action);

/* ---- signatures (canonical.c): the mock's own reading of the vendor's rules ----------------- */

/* V2, https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism:
 * METHOD "&%2F&" percentEncode(canonical query of every parameter but Signature). Caller frees;
 * NULL when out of memory. */
char *aliyun_v2_string_to_sign(const char *method, const struct aliyun_param *params, size_t count);
/* V2: Base64(HMAC-SHA1(secret + "&", string_to_sign)). Caller frees; NULL when out of memory. */
char *aliyun_v2_signature(const char *secret, const char *string_to_sign);

/* V3, https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature:
 * what the canonical request is built from. */
struct aliyun_v3_request {
    const char *method;
    const char *uri; /* "/" for the RPC endpoint */
    const struct aliyun_param *query;
    size_t query_count;
    const struct aliyun_param *headers; /* every header received, names in any case */
    size_t header_count;
    const char *signed_headers; /* as the Authorization header lists them */
    const char *hashed_payload; /* lowercase hex SHA-256 of the body */
};

/* METHOD \n URI \n canonical query \n canonical headers \n signed headers \n hashed payload.
 * The signed-header list is taken in any case and order, lower-cased, sorted and de-duplicated;
 * a signed header the request lacks signs as "name:", one that repeats as its trimmed values
 * sorted and joined with ','. Caller frees; NULL when out of memory. */
char *aliyun_v3_canonical_request(const struct aliyun_v3_request *request);
/* "ACS3-HMAC-SHA256\n" + hex(SHA-256(canonical_request)). Caller frees; NULL when out of memory. */
char *aliyun_v3_string_to_sign(const char *canonical_request);
/* lowercase hex(HMAC-SHA256(secret, string_to_sign)), no '&' on the key. Caller frees; NULL when
 * out of memory. */
char *aliyun_v3_signature(const char *secret, const char *string_to_sign);
/* The same two without allocating, for the check of every request: written to the caller's
 * arrays; the signature with the credential's key, made once when it was loaded. */
#define ALIYUN_V3_STS_SIZE (sizeof(ALIYUN_V3_ALGORITHM) + 2 * CDR_SHA256_LEN + 1)
void aliyun_v3_string_to_sign_into(const char *canonical_request, size_t len,
                                   char out[ALIYUN_V3_STS_SIZE]);
struct aliyun_hmac_key;
void aliyun_v3_signature_into(const struct aliyun_hmac_key *key, const char *string_to_sign,
                              char out[2 * CDR_SHA256_LEN + 1]);
/* Whether two secrets (a Base64 signature, a token) are the same text, without an early exit. */
bool aliyun_same_secret(const char *a, const char *b);

/* ---- digests (digest.c) --------------------------------------------------------------------- */

/* SHA-256 of data[0..len); needs no OpenSSL initialisation and is safe from any thread. */
void aliyun_sha256(const void *data, size_t len, unsigned char out[CDR_SHA256_LEN]);
/* HMAC-SHA256 keyed once: the key's two padded blocks hashed when it is made. A key is read-only
 * afterwards, so any number of threads may sign with it at once. NULL when out of memory; free
 * with aliyun_hmac_key_free (NULL is fine). */
struct aliyun_hmac_key *aliyun_hmac_key_new(const void *key, size_t len);
void aliyun_hmac_key_free(struct aliyun_hmac_key *key);
/* The same bytes as cdr_hmac_sha256 with the key it was made from. */
void aliyun_hmac_sha256(const struct aliyun_hmac_key *key, const void *msg, size_t len,
                        unsigned char out[CDR_SHA256_LEN]);

/* ---- replay cache (nonce.c) ------------------------------------------------------------------ */

struct aliyun_nonces;

/* A cache remembering at most capacity nonces. NULL when out of memory. */
struct aliyun_nonces *aliyun_nonces_new(size_t capacity);
void aliyun_nonces_free(struct aliyun_nonces *cache);
/* True when (key_id, nonce) is fresh: it is then remembered through expires_ms (inclusive) on the
 * mock clock.
 * False when it was seen before and has not expired: a replay. When the cache is full the
 * oldest entry is forgotten first, so only nonces older than every kept one are ever lost.
 * Thread-safe. */
bool aliyun_nonces_claim(struct aliyun_nonces *cache, const char *key_id, const char *nonce,
                         int64_t now_ms, int64_t expires_ms);
/* Live entries (for tests). */
size_t aliyun_nonces_count(struct aliyun_nonces *cache);

/* ---- throttle (limits.c) --------------------------------------------------------------------- */

/* Fixed one-second windows on the mock clock. limit 0 admits everything. */
struct aliyun_throttle {
    pthread_mutex_t lock;
    int64_t limit;
    int64_t second; /* the window being counted */
    int64_t used;
};

void aliyun_throttle_init(struct aliyun_throttle *t, int64_t limit);
void aliyun_throttle_destroy(struct aliyun_throttle *t);
/* True when one more call fits in now_ms's second (and counts it); false with *retry_in_ms the
 * milliseconds until the next second opens. */
bool aliyun_throttle_admit(struct aliyun_throttle *t, int64_t now_ms, int64_t *retry_in_ms);

/* ---- state ----------------------------------------------------------------------------------- */

/* One record: its JSON text (compact, as the JSON answer shows it; the XML answer is rendered
 * from it when a page asks) and its filter fields, read once at load. All of it lives in the
 * dataset's arenas, strings NUL-terminated. */
struct aliyun_attrs {
    const char *json;
    size_t json_len;
    const char *id, *acid, *calling, *called, *group_name, *member_id, *member_name, *servicer_id,
        *servicer_name, *call_result;
    bool has_call_type, has_group_id;
    int64_t call_type, group_id;
    /* What the recording and transcript actions need: when the call was answered and ended (Unix
     * seconds, -1 when it was not), and whether an agent took it over (a second recording). */
    int64_t pick_up, hang_up;
    bool handed_to_agent;
};

/* The indexed filter fields (filters.c). */
enum aliyun_field {
    ALIYUN_FIELD_CALL_TYPE,
    ALIYUN_FIELD_GROUP_ID,
    ALIYUN_FIELD_GROUP_NAME,
    ALIYUN_FIELD_SERVICER_ID,
    ALIYUN_FIELD_SERVICER_NAME,
    ALIYUN_FIELD_MEMBER_ID,
    ALIYUN_FIELD_MEMBER_NAME,
    ALIYUN_FIELD_CALLING,
    ALIYUN_FIELD_CALLED,
    ALIYUN_FIELD_CALL_RESULT,
    ALIYUN_FIELD_COUNT
};

/* The two keys of a record looked up by their text: Id (the duplicate check of records added at
 * run time, the Id filter) and Acid (the Acid filters, the sibling APIs' session). */
enum aliyun_key { ALIYUN_KEY_ID, ALIYUN_KEY_ACID, ALIYUN_KEY_COUNT };

/* filters.c: store positions by the key's text, in an open-addressing table. */
struct aliyun_key_table {
    size_t *slots; /* a store position + 1; 0 = empty */
    size_t mask;   /* the slot count (a power of two) - 1 */
};

/* An AccessKey pair; a temporary one (an STS.-prefixed id) also has its SecurityToken and the
 * instant it expires. */
struct aliyun_credential {
    char *id;
    char *secret;
    char *token;                    /* NULL for a long-term key */
    struct aliyun_hmac_key *v3_key; /* the secret, keyed for V3's HMAC-SHA256 */
    int64_t expires_ms;             /* the token's expiry on the mock's clock; 0 = never */
};

/* A tenant, and the accounts (type and id, as DescribeRecordData names them) that may read its
 * recordings. */
struct aliyun_instance {
    char *id;
    char **account_types;
    char **account_ids;
    size_t account_count;
};

struct aliyun_state {
    struct mock_store records; /* every record belongs to instances[0] */
    struct mock_arena arena;   /* the records' attrs and their strings */
    struct mock_arena texts;   /* the records' JSON: apart, so a scan of attrs stays dense */
    struct mock_index indexes[ALIYUN_FIELD_COUNT]; /* filters.c; valid when indexed */
    bool indexed;
    struct aliyun_key_table keys[ALIYUN_KEY_COUNT]; /* filters.c; empty when memory ran out */
    struct aliyun_credential *credentials;
    size_t credential_count;
    struct aliyun_instance *instances;
    size_t instance_count;
    struct aliyun_nonces *nonces;
    struct aliyun_throttle throttle[ALIYUN_ACTION_COUNT]; /* "per API" */
    /* variants */
    bool format_from_accept;
    bool unknown_instance_empty;
    bool numbers_swapped;
    bool range_end_exclusive;
    bool oldest_first;
    bool bad_paging_default;
    int invalid_version_status;
    int64_t max_page_size; /* 0 = none */
    bool ms_timestamp_reject;
    bool v3_mismatch_canonical;
    int sts_expired_status;
    bool token_on_long_term_ignored;
    bool missing_recording_error;
    bool record_ids_numbers;
    bool record_data_code_string;
    int64_t recording_url_ttl; /* seconds */
    enum { ALIYUN_HINT_RATELIMIT, ALIYUN_HINT_RETRY_AFTER, ALIYUN_HINT_NONE } throttle_hint;
};

extern const struct mock_vendor_sim aliyun_sim;
extern const struct mock_vendor_control aliyun_control;

/* ---- the endpoint (routes.c) ----------------------------------------------------------------- */

/* Whether a path is the RPC endpoint or a recording link (oss.c). */
bool aliyun_routes(const char *path);
void aliyun_route_list(void (*each)(void *ctx, const char *method, const char *path), void *ctx);
/* Every call to the endpoint and the links, and the answer to a body over the size limit. */
void aliyun_handle(void *state, const struct mock_env *env, const struct mock_request *req,
                   struct mock_response *resp);

/* ---- parameters (params.c) ------------------------------------------------------------------- */

/* Query parameters first (query_count of them), then the form body's; duplicates kept. */
struct aliyun_params {
    struct aliyun_param *items;
    size_t count;
    size_t query_count;
    char **owned; /* the decoded body pairs */
    size_t owned_count;
};

/* false when out of memory. A body over the size limit is not read. */
bool aliyun_params_parse(const struct mock_request *req, struct aliyun_params *out);
void aliyun_params_free(struct aliyun_params *params);
/* The first value of name, or NULL. */
const char *aliyun_param_value(const struct aliyun_params *params, const char *name);
/* The same, NULL also for an empty value: the service treats one like an absent one. */
const char *aliyun_param_given(const struct aliyun_params *params, const char *name);
/* Values of the 1-based list "<base>.1", "<base>.2", ... in index order; *out malloc'd (caller
 * frees; pointers borrowed), NULL when none. false when out of memory. */
bool aliyun_param_list(const struct aliyun_params *params, const char *base, const char ***out,
                       size_t *count);

/* ---- replies (reply.c) ----------------------------------------------------------------------- */

enum aliyun_format { ALIYUN_XML, ALIYUN_JSON };

/* What every answer to one request shares. */
struct aliyun_reply {
    enum aliyun_format format;
    const char *action;  /* names the XML success document: <{action}Response> */
    char request_id[40]; /* uppercase UUID */
};

void aliyun_reply_init(struct aliyun_reply *reply, const struct mock_env *env,
                       enum aliyun_format format);
/* The error document in the reply's format with the vendor's shape, status and Recommend link. */
void aliyun_error(const struct aliyun_reply *reply, struct mock_response *resp, int status,
                  const char *code, const char *message);
/* Missing<Param>, 400: "<Param> is mandatory for this action." */
void aliyun_error_missing(const struct aliyun_reply *reply, struct mock_response *resp,
                          const char *param);
/* InvalidParameter, 400: "Specified parameter <Param> is not valid." */
void aliyun_error_invalid(const struct aliyun_reply *reply, struct mock_response *resp,
                          const char *param);
/* NoTenantFound, 500: what the AICCS actions answer for an InstanceId that names no tenant. */
void aliyun_error_no_tenant(const struct aliyun_reply *reply, struct mock_response *resp);
/* SystemError, 500: the sibling actions' documented failure. */
void aliyun_error_system(const struct aliyun_reply *reply, struct mock_response *resp);
/* The answer when the mock itself ran out of memory. */
void aliyun_error_out_of_memory(struct mock_response *resp);
/* A success answer is built in one buffer: aliyun_begin_success writes the envelope up to the
 * Data member's opening, the caller appends Data's members, aliyun_finish_success closes it. */
void aliyun_begin_success(const struct aliyun_reply *reply, struct cdr_buf *b, size_t data_hint);
void aliyun_finish_success(const struct aliyun_reply *reply, struct mock_response *resp,
                           struct cdr_buf *b);
/* A whole success document given as a JSON object (members in the page's order), sent as JSON or
 * as <{action}Response> XML; code is what the request log records. */
void aliyun_send_document(const struct aliyun_reply *reply, struct mock_response *resp,
                          const cJSON *doc, const char *code);
/* One JSON member as XML: <name>value</name>; arrays repeat the element, null is left out. */
void aliyun_xml_member(struct cdr_buf *b, const char *name, const cJSON *value);
/* A record kept as compact JSON text, as the <CallDetailRecord> element aliyun_xml_member makes
 * of its tree. */
void aliyun_xml_record(struct cdr_buf *b, const char *json, size_t len);

/* ---- authentication (auth.c, sts.c) --------------------------------------------------------- */

/* Checks action, version, credentials, timestamp, signature (V3 when an Authorization header is
 * present, V2 otherwise), the throttle and the nonce, in the order the service does. True when
 * the call may proceed, with *action the API it names; otherwise resp holds the error. */
bool aliyun_authenticate(struct aliyun_state *st, const struct mock_env *env,
                         const struct mock_request *req, const struct aliyun_params *params,
                         const struct aliyun_reply *reply, enum aliyun_action *action,
                         struct mock_response *resp);

/* The AccessKey a request names, with its SecurityToken (NULL or "" when none came) judged on the
 * mock's clock: the credential, or NULL with the error in resp (MissingSecurityToken,
 * InvalidSecurityToken.*, InvalidAccessKeyId.NotFound). */
const struct aliyun_credential *
aliyun_sts_credential(const struct aliyun_state *st, const char *key_id, const char *token,
                      int64_t now_ms, const struct aliyun_reply *reply, struct mock_response *resp);

/* ---- the actions (records.c, recordings.c, messages.c) ----------------------------------------
 */

/* HotlineSessionQuery: filters, paging and one page of pre-rendered records. */
void aliyun_hotline_session_query(const struct aliyun_state *st, const struct aliyun_params *params,
                                  const struct aliyun_reply *reply, struct mock_response *resp);

/* What a recording action needs besides its parameters: the clock and where links point. */
struct aliyun_link_base {
    int64_t now_ms;
    const char *origin; /* "http://127.0.0.1:8080": the mock's own scheme, host and port */
};

/* ListHotlineRecord, GetRecordUrl, GetRecordData and DescribeRecordData. */
void aliyun_recordings(const struct aliyun_state *st, enum aliyun_action action,
                       const struct aliyun_params *params, const struct aliyun_link_base *base,
                       const struct aliyun_reply *reply, struct mock_response *resp);
/* GetHotlineMessageLog: the session's ASR transcript. */
void aliyun_message_log(const struct aliyun_state *st, const struct aliyun_params *params,
                        const struct aliyun_reply *reply, struct mock_response *resp);

/* ---- recording links (oss.c) ------------------------------------------------------------------
 */

#define ALIYUN_OSS_PREFIX "/accrec_tmp/"
#define ALIYUN_OSS_BUCKET "aliccrec-shvpc"
#define ALIYUN_OSS_HOST ALIYUN_OSS_BUCKET ".oss-cn-shanghai.aliyuncs.com"

/* A connection's id: the session's Acid less ten plus the connection's index, as the
 * ListHotlineRecord example pairs them (CallId 100365558, ConnectionId 100365548); "<acid>-<n>"
 * for an Acid that is not a number. */
void aliyun_connection_id(const char *acid, int index, char *out, size_t len);
/* A signed link, valid until now + the TTL variant, to recording `connection` (0, 1) of the call
 * with that Acid: origin + /accrec_tmp/<Acid>-<n>.wav?Expires=..&OSSAccessKeyId=..&Signature=..
 * Caller frees; NULL when out of memory. */
char *aliyun_oss_link(const struct aliyun_state *st, const struct aliyun_link_base *base,
                      const char *acid, int connection);
/* GET of a link: the WAV file, or OSS's own XML error (expired, tampered, no such key). */
void aliyun_oss_serve(const struct aliyun_state *st, const struct mock_env *env,
                      const struct mock_request *req, struct mock_response *resp);

/* ---- data (dataset.c, generate.c) ------------------------------------------------------------ */

/* Credentials, instances and records (from records.json, or generated when load asks for it),
 * indexed and sorted. On failure err says why and the caller still frees with
 * aliyun_free_dataset. */
bool aliyun_load_dataset(struct aliyun_state *st, const struct mock_vendor_load *load, char *err,
                         size_t err_len);
/* Everything aliyun_load_dataset put into st. */
void aliyun_free_dataset(struct aliyun_state *st);
/* The tenant an InstanceId names (NULL when none). */
const struct aliyun_instance *aliyun_instance_find(const struct aliyun_state *st, const char *id);
/* (Re)builds the Id and Acid tables and the filters' indexes over the sorted store: at load, and
 * after records were added or removed at run time. false: out of memory (the Id and Acid tables
 * are then empty; without the filters' indexes queries scan). */
bool aliyun_dataset_reindex(struct aliyun_state *st);
/* The filters' indexes (filters.c): built over the sorted store (st->indexed false when memory
 * ran out), and freed. */
void aliyun_filters_build(struct aliyun_state *st);
void aliyun_filters_free(struct aliyun_state *st);
/* The Id and Acid tables over the store as it is (false: out of memory, the tables are then
 * empty), and freed. */
bool aliyun_keys_build(struct aliyun_state *st);
void aliyun_keys_free(struct aliyun_state *st);
/* Calls each(ctx, position) for every record in the tables whose key is text, oldest entry first,
 * until each returns false (then false). Records added to the store since the tables were built
 * are not seen. */
bool aliyun_keys_each(const struct aliyun_state *st, enum aliyun_key key, const char *text,
                      bool (*each)(void *ctx, size_t position), void *ctx);
/* The record of a session (Acid), or NULL. */
const struct aliyun_attrs *aliyun_find_acid(const struct aliyun_state *st, const char *acid);
/* The recordings (connections) a call has: none when nobody answered it, two when an agent took
 * it over from another, one otherwise; and the span of recording i in Unix seconds. */
int aliyun_recording_count(const struct aliyun_attrs *call);
void aliyun_recording_span(const struct aliyun_attrs *call, int i, int64_t *start, int64_t *end);
/* Reads the filter fields of one CallDetailRecord, renders it and adds it to the store, unsorted
 * (ownership stays with the caller); the caller sorts once the last one is in. */
bool aliyun_dataset_ingest(struct aliyun_state *st, const cJSON *record, char *err, size_t err_len);
/* Drops every record (the arenas and the filters' indexes with them). */
void aliyun_dataset_clear_records(struct aliyun_state *st);

/* A generated call (generate.c): every field the page lists, NULL / -1 / 0 when the scenario has
 * none. The strings point into the generator's tables or into this struct. */
struct aliyun_group {
    int64_t id;
    const char *name;
};

struct aliyun_agent {
    const char *id;
    const char *name;
    size_t group;
};

struct aliyun_generated {
    const char *call_result;
    const char *trunk;
    const struct aliyun_agent *agent;
    int64_t created, in_queue, out_queue, ring_start, ring_end, pick_up, hang_up;
    const char *calling, *called;
    int evaluation_level, evaluation_score;
    const char *passive_transfer_id, *active_transfer_id, *passive_transfer_type;
    int hang_up_role; /* 0 = unknown */
    const char *member_id, *member_name;
    char acid[16];
    int call_type;
    const struct aliyun_group *group;
    char id[32];
};

/* Takes one generated record (borrowed for the call); false with err filled to stop. */
typedef bool aliyun_generated_sink(void *user, const struct aliyun_generated *record, char *err,
                                   size_t err_len);

/* Hands n records in the vendor's exact shape, spread over the 365 days before anchor and in
 * time order, to emit one at a time. Same seed and anchor, same records. false with err filled
 * when out of memory or when emit fails (it fills err). */
bool aliyun_generate_records(int64_t n, uint64_t seed, int64_t anchor, aliyun_generated_sink *emit,
                             void *user, char *err, size_t err_len);
/* A generated record's JSON, compact, members in the page's example order: the text
 * cJSON_PrintUnformatted gives for the same record. false when out of memory. */
bool aliyun_generate_render(const struct aliyun_generated *record, struct cdr_buf *out);

/* routes.c, for control.c too: */
/* The answer's format: Format (any case) decides; without it an Accept header may; XML is the
 * API's default. false for a Format value the API does not know. */
bool aliyun_routes_format(const struct aliyun_state *st, const struct mock_request *req,
                          const struct aliyun_params *params, enum aliyun_format *format);

#endif
