/* ITNIO simulator internals, shared by the files of this folder. Facts: docs/vendors/itnio.md.
 *
 * Calls between the files run one way:
 *   sim.c -> routes.c -> auth.c, limits.c, records.c, roster.c, group_settings.c, recording.c
 *   records.c, roster.c, group_settings.c, recording.c -> params.c -> jackson.c
 *   every file that answers -> reply.c
 *   records.c -> filters.c (the record query's filters and indexes), numbers.c (number search)
 *   sim.c -> dataset.c -> generate.c, fixture_scan.c, filters.c -> numbers.c
 *   fixture_scan.c (records.json without a tree) -> dataset.c's itnio_dataset_ingest(_view)
 *   control.c (the control plane: records at run time) -> dataset.c
 *   push.c (the cc-http push body of a record) calls nothing else of the vendor
 * routes.c also calls params.c (the body). jackson.c, reply.c and generate.c call nothing else of
 * the vendor; nothing that answers a request calls dataset.c. */
#ifndef MOCK_VENDOR_ITNIO_INTERNAL_H
#define MOCK_VENDOR_ITNIO_INTERNAL_H

#include <cJSON.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../arena.h"
#include "../../index.h"
#include "../../jsonval.h"
#include "../../rng.h"
#include "../../store.h"
#include "../../vendor.h"
#include "cdrsim/buf.h"

#define ITNIO_MAX_RANGE (93LL * 86400)
#define ITNIO_MAX_SEAT_RANGE (32LL * 86400) /* the agent query's statistics window */
#define ITNIO_ABSENT INT64_MIN
/* Where the mock serves the recordings getRecordingFileUrl hands out (under the vendor's /voice).
 */
#define ITNIO_RECORDING_PREFIX "/voice/recording-file/"

enum itnio_status {
    ITNIO_OK = 0,
    ITNIO_AUTH = -1,
    ITNIO_IP_RESTRICTED = -2,
    ITNIO_TIMESTAMP = -16,
    ITNIO_SYSTEM = -18,
    ITNIO_PARAMETER = -22,
    ITNIO_DATA_CAPS = -23,
    ITNIO_NOT_EXISTING = -24,
    ITNIO_RANGE = -76,
};

/* Filter fields of one record, parsed once at load. */
struct itnio_attrs {
    /* ITNIO_ABSENT when the record lacks the field (or names an unknown group or agent): a
     * value no JSON filter can carry, so absent fields never match, not even a filter of -1. */
    int64_t voice_group_id;
    int64_t seat_id;
    int64_t call_type, hangup_reason, hanging_direction;
    int64_t key_id;
    int64_t talk_seconds; /* callDuration; what length the recording's audio has */
    bool answered;        /* calledAnswerTime set: counts as connected in the agent statistics */
    const char *sip_group_name; /* these point into `strings` */
    const char *seat_name;
    const char *called;
    const char *encrypt_called;
    const char *caller;
    const char *ccode;
    const char **labels;
    size_t label_count;
    /* The recording keys the record carries (voiceUrl and voiceUrlList, each once), with a hash
     * of each so a lookup by key compares strings only on a likely match. */
    const char **recordings;
    uint64_t *recording_hashes;
    size_t recording_count;
    char *strings; /* one allocation holding every string above */
    /* Generated records: the attrs and their strings live in the dataset's arena, and the text
     * is drawn again from the generator's state (replay) when a page shows the record. */
    bool generated;
    uint64_t replay;
};

struct itnio_group {
    int64_t id;
    char *name;
    char *json;          /* rendered list entry (countSeat filled from the agents) */
    char *settings_json; /* the basicSettingResp data without its id member (inner members) */
};

struct itnio_seat {
    int64_t id;
    char *name;
    int64_t group_id;
    int64_t enable;
    int64_t status;
    char *json; /* rendered record without its closing brace: statistics are appended per query */
};

/* The agent groups and agents: what the group and agent queries list, what records refer to. */
struct itnio_roster {
    struct itnio_group *groups;
    size_t group_count;
    struct itnio_seat *seats;
    size_t seat_count;
};

struct itnio_credential {
    char *key;
    char *secret;
};

/* One entry of the IP allow-list: an address and how many leading bits must match. */
struct itnio_ip_rule {
    int family; /* AF_INET or AF_INET6 */
    unsigned char addr[16];
    int prefix;
};

/* How each endpoint types the envelope's status. */
enum itnio_status_mode {
    ITNIO_STATUS_PER_ENDPOINT, /* as that endpoint's own example does */
    ITNIO_STATUS_NUMBER,
    ITNIO_STATUS_STRING,
};

/* The variants in force, read once at load. */
struct itnio_variants {
    enum itnio_status_mode status_mode;
    bool range_end_exclusive;
    int64_t timestamp_window;
    bool seat_window_optional;    /* the older agent page: no strTime/endTime, no statistics */
    bool connect_rate_fraction;   /* "0.50" instead of "50.00%" */
    int not_found_status;         /* -22 or -24: an unknown group or recording */
    bool settings_voice_group_id; /* basicSettingResp names its id voiceGroupId (the table) */
    bool recording_any_source;    /* call-center recordings found under sourceType group too */
    int64_t recording_ttl;        /* seconds a recording URL stays valid */
    bool json_trailing_ignored;   /* stock Jackson: whatever follows the first value is ignored */
    struct itnio_ip_rule *allow;  /* NULL: every address may call */
    size_t allow_count;
    int64_t quota;        /* calls per key and period; 0: no quota */
    int64_t quota_period; /* seconds */
};

/* Calls counted against the quota: one counter per credential, in the current period. */
struct itnio_quota_counter {
    int64_t period; /* which period (now / quota_period) the count belongs to */
    int64_t used;
};

struct itnio_limits {
    pthread_mutex_t lock;                 /* requests run in parallel */
    struct itnio_quota_counter *counters; /* parallel to itnio_state.credentials */
    bool lock_ready;
};

/* The record query's indexed filter fields (filters.c). */
enum itnio_field {
    ITNIO_FIELD_GROUP_ID,
    ITNIO_FIELD_GROUP_NAME,
    ITNIO_FIELD_SEAT_ID,
    ITNIO_FIELD_SEAT_NAME,
    ITNIO_FIELD_CALL_TYPE,
    ITNIO_FIELD_HANGUP_REASON,
    ITNIO_FIELD_CCODE,
    ITNIO_FIELD_DIRECTION,
    ITNIO_FIELD_LABELS,
    ITNIO_FIELD_COUNT
};

struct itnio_numbers;

struct itnio_state {
    struct mock_store records;
    struct mock_arena arena; /* generated records' attrs and strings */
    struct mock_index indexes[ITNIO_FIELD_COUNT];
    bool indexed;                  /* false: the indexes could not be built, queries scan */
    struct itnio_numbers *numbers; /* the number search's column and cache (numbers.c) */
    struct itnio_roster roster;
    struct itnio_credential *credentials;
    size_t credential_count;
    struct itnio_variants v;
    struct itnio_limits limits;
};

extern const struct mock_vendor_sim itnio_sim;
extern const struct mock_vendor_control itnio_control;
/* push.c: the "call center reports are proactively pushed" webhook. */
extern const struct mock_vendor_push itnio_push;

/* The hash recording keys are indexed and looked up by (FNV-1a, 64 bits). */
static inline uint64_t itnio_key_hash(const char *key)
{
    uint64_t h = 14695981039346656037ULL;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

/* What every route's handler is given. */
struct itnio_call {
    const struct itnio_state *st;
    const struct mock_env *env;
    const struct mock_request *req;
    const cJSON *body;  /* POST routes: the parsed body; NULL for GET routes */
    bool status_string; /* how this endpoint types the envelope's status */
};

/* ---- routes.c: the route table, the framework's 404/405 ---- */

/* Whether a path is the vendor's (the sim table's `routes`). */
bool itnio_routes_owns(const char *path);
void itnio_route_list(void (*each)(void *ctx, const char *method, const char *path), void *ctx);
/* The sim table's `handle`: route, authenticate, read the body, run the route's query. */
void itnio_routes_handle(void *state, const struct mock_env *env, const struct mock_request *req,
                         struct mock_response *resp);
/* The sim table's `oversized`: routing answers first, then the parameter error. */
void itnio_routes_oversized(void *state, const struct mock_env *env, const struct mock_request *req,
                            struct mock_response *resp);

/* ---- auth.c: who may call ---- */

/* ITNIO_OK when Api-Key, Timestamp and Sign are good (*credential: the key's index), otherwise
 * the status to answer. */
int itnio_auth_check(const struct itnio_state *st, const struct mock_env *env,
                     const struct mock_request *req, size_t *credential);
/* ITNIO_OK when no allow-list is set or the caller's address is on it, else -2. */
int itnio_auth_ip(const struct itnio_state *st, const struct mock_request *req);
/* Parses the itnio.ip_allowlist variant ("off", or addresses and CIDR blocks separated by
 * commas) into *rules (caller frees; NULL for "off"). false when a value does not parse. */
bool itnio_auth_parse_allowlist(const char *text, struct itnio_ip_rule **rules, size_t *count);

/* ---- limits.c: the query quota ---- */

/* Counts one call of the credential against the quota: ITNIO_OK, or -23 when the period's
 * quota was used up already (the refused call is not counted). */
int itnio_limits_take(struct itnio_state *st, const struct mock_env *env, size_t credential);
/* "off" or "N/PERIOD" (PERIOD second, minute, hour, day or Ns): *quota 0 for off. */
bool itnio_limits_parse(const char *text, int64_t *quota, int64_t *period);
bool itnio_limits_init(struct itnio_state *st);
void itnio_limits_free(struct itnio_state *st);

/* ---- records.c: POST /v3/cc/record/query ---- */

void itnio_records_query(const struct itnio_call *call, struct mock_response *resp);

/* ---- filters.c: the record query's filters and their indexes ---- */

struct itnio_record_filter;

bool itnio_filters_active(const struct itnio_record_filter *f, enum itnio_field field);
/* Whether a record's value of the field passes the filter (which must be active on it). */
bool itnio_filters_test(const struct itnio_record_filter *f, enum itnio_field field,
                        const struct itnio_attrs *a);
/* The number search (not indexed); true when the filter has none. */
bool itnio_filters_number(const struct itnio_record_filter *f, const struct itnio_attrs *a);
/* Every filter at once. */
bool itnio_filters_match(const struct itnio_record_filter *f, const struct itnio_attrs *a);
/* (Re)builds every field's index over the sorted store; on failure st->indexed is false. */
void itnio_filters_build(struct itnio_state *st);
void itnio_filters_free(struct itnio_state *st);
/* The keys of the field's index that pass the filter, into keys (room for every key of the
 * index); returns how many. */
size_t itnio_filters_pick(const struct itnio_state *st, const struct itnio_record_filter *f,
                          enum itnio_field field, const struct mock_index_key **keys);

/* ---- numbers.c: the number search (calledOrCaller) and its cache ---- */

struct itnio_number_hit;

/* (Re)builds the numbers column over the sorted store and empties the cache; false when out of
 * memory (itnio_numbers_find then answers NULL and queries test records). */
bool itnio_numbers_build(struct itnio_state *st);
/* Starts building the column's gram index in a thread of its own (in this one when no thread can
 * be started); until it is built, searches pass over the window. */
void itnio_numbers_index(struct itnio_state *st);
/* Drops the column and the cache (the store is being emptied); itnio_numbers_free also the rest. */
void itnio_numbers_clear(struct itnio_state *st);
void itnio_numbers_free(struct itnio_state *st);
/* The records of store positions [lo, hi) whose numbers hold needle: from the cache, the gram
 * index (3 digits or more) or a pass over the window (cached, as are large index answers). Release
 * it with itnio_numbers_release; NULL when there is no column or out of memory. */
struct itnio_number_hit *itnio_numbers_find(const struct itnio_state *st, const char *needle,
                                            size_t lo, size_t hi);
const struct mock_index_bits *itnio_numbers_bits(const struct itnio_number_hit *hit);
size_t itnio_numbers_matches(const struct itnio_number_hit *hit);
void itnio_numbers_release(const struct itnio_state *st, struct itnio_number_hit *hit);

/* ---- roster.c: POST /v3/cc/seatGroup/query and /v3/cc/seat/query ---- */

void itnio_roster_group_query(const struct itnio_call *call, struct mock_response *resp);
void itnio_roster_seat_query(const struct itnio_call *call, struct mock_response *resp);

/* ---- group_settings.c: GET /v3/cc/seatGroup/basicSettingResp ---- */

void itnio_group_settings(const struct itnio_call *call, struct mock_response *resp);

/* ---- recording.c: GET /voice/getRecordingFileUrl and the files its URLs point at ---- */

void itnio_recording_url(const struct itnio_call *call, struct mock_response *resp);
/* GET ITNIO_RECORDING_PREFIX<key>?expireTime=..&sign=..: the audio, or the storage's refusal. */
void itnio_recording_file(const struct itnio_call *call, struct mock_response *resp);

/* ---- params.c: requests read the way the vendor's Jackson-bound service reads them ---- */

struct itnio_paging {
    int64_t current, size;
};

struct itnio_record_filter {
    int64_t start, end;
    bool has_group_id;
    int64_t group_id;
    const char *group_name; /* strings point into the request body */
    int64_t *seat_ids;      /* lists are owned by the filter */
    size_t seat_id_count;
    const char **seat_names;
    size_t seat_name_count;
    int64_t *call_types;
    size_t call_type_count;
    int64_t *hangup_reasons;
    size_t hangup_reason_count;
    const char *number;
    const char **ccodes;
    size_t ccode_count;
    int64_t *directions;
    size_t direction_count;
    const char **labels;
    size_t label_count;
};

struct itnio_seat_filter {
    bool has_enable, has_group, has_status;
    int64_t enable, group, status;
    const char *name; /* points into the request body */
    bool has_window;  /* strTime/endTime given (required unless the variant says otherwise) */
    int64_t start, end;
};

/* Parses the body into *body (caller deletes) when it is a JSON object as Jackson reads one;
 * otherwise ITNIO_PARAMETER and *body NULL. */
int itnio_params_body(const struct itnio_state *st, const struct mock_request *req, cJSON **body);
/* Paging first, then params: ITNIO_OK (caller frees *filter with itnio_params_free_record_filter)
 * or the status to answer (nothing to free). */
int itnio_params_record_query(const cJSON *body, struct itnio_paging *paging,
                              struct itnio_record_filter *filter);
void itnio_params_free_record_filter(struct itnio_record_filter *filter);
/* The group and agent queries: paging (current/size, defaults 1 and 25) and their optional
 * params; ITNIO_OK or ITNIO_PARAMETER. *name is NULL when the body has no groupName. */
int itnio_params_group_query(const cJSON *body, struct itnio_paging *paging, const char **name);
int itnio_params_seat_query(const struct itnio_state *st, const cJSON *body,
                            struct itnio_paging *paging, struct itnio_seat_filter *filter);
/* A query parameter declared Integer (Spring binds it like Jackson): ITNIO_OK with *out, or
 * ITNIO_PARAMETER when absent, empty, not a number or outside a Java int. */
int itnio_params_query_int(const struct mock_request *req, const char *name, int64_t *out);

/* ---- jackson.c: JSON as the vendor's Java service reads it ---- */

/* One JSON value, strictly: no raw control characters inside strings, nothing but whitespace
 * after it (unless trailing_ignored), and of duplicate members the last (Jackson's rule) is the
 * only one left. NULL when Jackson would refuse the text. Caller deletes. */
cJSON *itnio_jackson_parse(const char *text, size_t len, bool trailing_ignored);
/* A member declared Integer: absent, null and "" (Jackson coerces an empty string to null) are
 * MOCK_JV_ABSENT; a whole number within a Java int is MOCK_JV_OK; anything else WRONG_TYPE. */
enum mock_jv_result itnio_jackson_int(const cJSON *obj, const char *key, int64_t *out);
/* (A member declared String reads as mock_jv_string does: absent and null are ABSENT.) */
/* List<Integer> and List<String>; null items and "" items (null after coercion) are dropped, so
 * a list of only those comes back OK with count 0. *out is malloc'd (caller frees), NULL when
 * empty; strings are borrowed from obj. */
enum mock_jv_result itnio_jackson_int_list(const cJSON *obj, const char *key, int64_t **out,
                                           size_t *count);
enum mock_jv_result itnio_jackson_string_list(const cJSON *obj, const char *key, const char ***out,
                                              size_t *count);
/* Whether a number is a whole number within a Java int. */
bool itnio_jackson_java_int(double v);

/* ---- reply.c: every body the vendor sends ---- */

/* The envelope every vendor answer shares; reason NULL = the documented text of the status. */
void itnio_reply_status(struct mock_response *resp, bool status_string, int status,
                        const char *reason);
/* A success answer is built in one buffer: itnio_reply_begin_success writes
 * `{"status":0,"reason":"success","data":`, the caller appends the data,
 * itnio_reply_finish_success closes the envelope and hands the buffer to the response. */
void itnio_reply_begin_success(struct cdr_buf *b, bool status_string, size_t data_hint);
void itnio_reply_finish_success(struct mock_response *resp, bool status_string, struct cdr_buf *b);
/* Spring Boot's own error body, sent before the vendor's code runs (unknown path, wrong method). */
void itnio_reply_framework_error(struct mock_response *resp, int64_t now_ms, int http_status,
                                 const char *error, const char *path);
/* The object storage's refusal of a recording URL: its XML error document (code "AccessDenied",
 * "SignatureDoesNotMatch", "NoSuchKey"...) with its HTTP status. */
void itnio_reply_storage_error(struct mock_response *resp, int http_status, const char *code,
                               const char *message, const char *resource);

/* ---- dataset.c ---- */

/* Credentials (fixture file and --config), the roster, then the records: from records.json, or
 * generated when load->generate_count >= 0. On failure err is filled and the caller still frees
 * with itnio_dataset_free. */
bool itnio_dataset_load(struct itnio_state *st, const struct mock_vendor_load *load, char *err,
                        size_t err_len);
/* Drops every call record (and their indexes). */
void itnio_dataset_clear_records(struct itnio_state *st);
/* Frees everything itnio_dataset_load put into st (not st itself). */
void itnio_dataset_free(struct itnio_state *st);
/* Parses, indexes and renders one record object into the store, unsorted (ownership stays with
 * the caller); the caller sorts once the last one is in. */
bool itnio_dataset_ingest(struct itnio_state *st, const cJSON *record, char *err, size_t err_len);

/* The members of a call record the store keeps (the first member of each name, as
 * cJSON_GetObjectItemCaseSensitive finds it), read from a cJSON object or straight from a
 * fixture file's bytes (fixture_scan.c). Strings are borrowed. */
enum { ITNIO_VIEW_TEXTS = 6 };
struct itnio_record_view {
    bool has_key_id; /* keyId is an integer */
    int64_t key_id;
    const char *start_time; /* callStartTime when a string, else NULL */
    /* callDuration, callType, hangupReason, hangingDirection, voiceGroupId: ITNIO_ABSENT when
     * absent or not an integer */
    int64_t duration, call_type, hangup_reason, direction, group_id;
    bool answered; /* calledAnswerTime a non-empty string */
    /* sipGroupName, seatName, called, encryptCalled, caller, ccode: NULL when not strings */
    const char *texts[ITNIO_VIEW_TEXTS];
    const char *voice_url;
    const char **labels; /* labelNameList's non-empty strings */
    size_t label_count;
    const char **urls; /* voiceUrlList's non-empty strings */
    size_t url_count;
};
/* Indexes a record read into a view and stores it with its text json (malloc'd or in a text the
 * store keeps; taken, also on failure); the errors are itnio_dataset_ingest's. */
bool itnio_dataset_ingest_view(struct itnio_state *st, const struct itnio_record_view *view,
                               char *json, size_t json_len, char *err, size_t err_len);

/* ---- fixture_scan.c: records.json read without a tree ---- */

/* Reads every record of a records.json text into the store (itnio_dataset_ingest_view), each
 * record's text the file's own bytes where cJSON_PrintUnformatted would write the same ones, and
 * through cJSON where not (escapes, fractions). Returns 1 when done, 0 on a record's error (err
 * filled), -1 when the text is not the plain JSON array this reader knows (nothing stored: the
 * caller loads it with cJSON, which words the errors). text is modified; kept holds the same
 * bytes, unmodified, and goes to the store (emptied) once records are read: their texts lie in it.
 */
int itnio_fixture_scan(struct itnio_state *st, char *text, size_t len, struct mock_file_text *kept,
                       char *err, size_t err_len);
/* The time text of a record's callStartTime (UTC+8 wall clock or ISO 8601), as Unix seconds. */
bool itnio_dataset_time(const char *text, int64_t *out);

/* ---- generate.c ---- */

/* One generated record's drawn values: what its text and its filter fields are made of. */
struct itnio_generated {
    uint64_t replay;     /* the generator's state before the record: drawing from it again */
    uint64_t next_state; /* ... and after it */
    int64_t key_id, start;
    const struct itnio_seat *seat;
    const struct itnio_group *group; /* NULL when the agent's group is not in the roster */
    int call_type, reason, direction;
    bool answered, encrypted, remark, voicemail;
    const char *ccode, *region, *sip, *error;
    int64_t ring, talk, updated; /* updated: seconds after the hang-up of the last update */
    size_t label_count;
    const char **labels; /* static */
    char customer[24], company[24], session[32], call_id[32], url[96];
};

/* Receives each generated record (still owned by the generator); false stops with err filled. */
typedef bool itnio_record_sink(void *ctx, const struct itnio_generated *record, char *err,
                               size_t err_len);
/* Makes n records in the vendor's exact shape, spread over the 365 days before anchor, for the
 * roster's agents, oldest first. Same seed and anchor, same records. */
bool itnio_generate_records(const struct itnio_roster *roster, int64_t n, uint64_t seed,
                            int64_t anchor, itnio_record_sink *sink, void *ctx, char *err,
                            size_t err_len);
/* Draws a record again from the generator's state before it (record->replay of the first draw). */
void itnio_generate_again(const struct itnio_roster *roster, uint64_t replay, int64_t key_id,
                          int64_t start, struct itnio_generated *record);
/* Appends the record's JSON, byte for byte what the vendor's example shape gives. */
bool itnio_generate_render(const struct itnio_generated *record, struct cdr_buf *out);

#endif
