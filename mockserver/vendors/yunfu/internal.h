/* Yunfu AI contact center (agent-api) simulator: the private types and functions its files share.
 * Facts: docs/vendors/yunfu.md.
 *
 * Who calls whom (one way; a file calls only files after it on its line):
 *   sim.c       -> routes.c, limits.c, dataset.c
 *   routes.c    -> auth.c, limits.c, php_query.c, records.c, tasks.c, voice.c, reply.c
 *   records.c   -> auth.c, params.c, dataset.c, reply.c
 *   tasks.c     -> auth.c, params.c, reply.c
 *   voice.c     -> auth.c, params.c, dataset.c, reply.c
 *   params.c    -> php_query.c
 *   auth.c      -> dataset.c, reply.c
 *   limits.c    -> reply.c
 *   control.c   -> dataset.c (records added and removed at run time)
 *   push.c      -> dataset.c (the call-result callback of records added at run time)
 *   dataset.c   -> generate.c (which hands each record back through a yunfu_record_sink)
 *   php_query.c, reply.c and generate.c call nothing of the vendor.
 * The sections below run the other way, from the leaves up, so every type precedes its users. */
#ifndef MOCK_VENDOR_YUNFU_INTERNAL_H
#define MOCK_VENDOR_YUNFU_INTERNAL_H

#include <cJSON.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../arena.h"
#include "../../index.h"
#include "../../store.h"
#include "../../vendor.h"
#include "cdrsim/buf.h"

#define YUNFU_DEFAULT_PER_PAGE 15
#define YUNFU_NO_VALUE INT64_MIN /* a record's score, intention or hang-up time that is null */
/* details_len of a fixture record kept as written whose "details" was found at load but not
 * measured (records.json's text is canonical: measured when a detail page needs it) */
#define YUNFU_UNMEASURED SIZE_MAX

/* The vendor's own codes, sent with HTTP 200 in {"code","status","message","data"}. */
enum yunfu_code {
    YUNFU_OK = 200,
    YUNFU_NO_NODE = 1002,   /* 【user】参数错误,未找到对应云节点 */
    YUNFU_NO_TASK = 5002,   /* 任务不存在 */
    YUNFU_NO_RECORD = 5003, /* inferred: 通话记录不存在 */
    YUNFU_NO_VOICE = 5004,  /* inferred: 通话录音不存在 (the call was never answered) */
};

/* How meta.per_page is written (variant per_page_type). */
enum yunfu_per_page {
    YUNFU_PER_PAGE_ECHO,   /* the request's text, a number when it gave none (the example) */
    YUNFU_PER_PAGE_NUMBER, /* always a number */
    YUNFU_PER_PAGE_STRING, /* always a string */
};

/* What the detail endpoint's data holds (variant detail_data). */
enum yunfu_detail_shape {
    YUNFU_DETAIL_RECORDS, /* {"records": [rows by sequence]}: the documented example */
    YUNFU_DETAIL_RECORD,  /* the call record with its details */
    YUNFU_DETAIL_ROWS,    /* the rows alone */
};

struct yunfu_node {
    int64_t id;
    char *name;
};

struct yunfu_account {
    char *id;
    char *partner;
    char *name;
    int64_t node;
    size_t parent; /* index of the parent account, or SIZE_MAX for a main account */
};

struct yunfu_token {
    char *token;
    char *partner;
    int64_t expires_at; /* Unix seconds */
};

/* A customer the generator calls a fixed number of times (a redialled number). */
struct yunfu_customer {
    char *callee;
    char *name;
    char *company;
    char *customer_id;
    int64_t gender, province_id, city_id, operator_id;
    int64_t calls;
};

struct yunfu_task {
    char *id;
    char *name;
    char *remark;     /* NULL when the task has none */
    size_t account;   /* owner, index into accounts */
    int64_t group_id; /* the speech-script group every call of the task uses */
    int64_t status;   /* 1 paused, 2 running, 3 waiting to run */
    int64_t type;     /* task_type: 1 outbound, 2 inbound, 4 LLM outbound, 5 LLM inbound */
    int64_t maximumcall;
    int64_t created_at; /* Unix s; from its first call when the fixture gives none */
    char *caller_number;
    bool generate; /* false: the generator leaves the task empty */
    struct yunfu_customer *customers;
    size_t customer_count;
    size_t *entries; /* store indices of the task's records, oldest first */
    size_t entry_count;
    /* For hangup_date: how long after its start a record of the task hangs up at least and at
     * most (over records with a hang-up time), so only records that start near a bound of the
     * asked range need a look; and hung[i], how many of entries[0..i) have a hang-up time
     * (entry_count + 1 counts), which counts the others. */
    int64_t hangup_lead_min, hangup_lead_max;
    uint32_t *hung;
    /* For keyword: each three-digit run's records (positions in entries, ascending) that have it
     * in their callee: grams[gram_start[k] .. gram_start[k + 1]) for the run k = 100a + 10b + c.
     */
    uint32_t *gram_start; /* YUNFU_GRAMS + 1 offsets */
    uint32_t *grams;
};
#define YUNFU_GRAMS 1000
/* A task with fewer records has neither (NULL): a scan of so few costs less than building them,
 * which keeps start-up with the built-in data (under 100 records a task) as cheap as before. */
#define YUNFU_FILTER_INDEX_MIN 256

/* Filter fields of one record, parsed once at load. Records from fixtures and the control plane
 * keep their rendered JSON in the store entry and their strings in the attrs' own allocation;
 * generated ones keep no text, live in the dataset's arena, and are drawn again from `replay` when
 * a page shows them. */
struct yunfu_attrs {
    /* These two follow the attrs in their allocation (generated: in the arena). */
    const char *id;
    const char *callee;
    size_t task;
    int64_t score;                   /* YUNFU_NO_VALUE when null */
    int64_t intention;               /* YUNFU_NO_VALUE when null */
    int64_t hangup;                  /* hangupdate, YUNFU_NO_VALUE when null */
    int64_t bill;                    /* talk time in ms; 0 for a call never answered */
    size_t details_off, details_len; /* the "details" array inside the rendered record */
    uint64_t replay;                 /* generated: the generator's state before the record */
    uint32_t customer;               /* generated: the task's listed customer, or UINT32_MAX */
    bool generated;
    /* Whether the record's text is well-formed UTF-8 (a page with a malformed one is Laravel's
     * 500): YUNFU_UTF8_UNKNOWN until a page first shows the record, then kept, so pages check
     * only their own few bytes. Written by concurrent queries, hence atomic (all write the same).
     */
    atomic_uchar utf8;
};
enum { YUNFU_UTF8_UNKNOWN, YUNFU_UTF8_VALID, YUNFU_UTF8_INVALID };

/* regions.json, for the generator: each region object pre-rendered once. */
struct yunfu_region {
    int64_t id;
    size_t province; /* a city's province (index into provinces) */
    char *json;
    size_t json_len;
};
struct yunfu_regions {
    struct yunfu_region *provinces, *cities;
    size_t province_count, city_count;
};

/* Rate limit per token (Laravel's throttle middleware): a window opens at a token's first request
 * and lasts 60 s. Handlers run concurrently, so the counters have their own lock. */
struct yunfu_hits {
    char *token;
    int64_t window_start_ms;
    int64_t count;
};
struct yunfu_throttle {
    pthread_mutex_t lock;
    int64_t limit; /* requests per minute; 0 = off */
    struct yunfu_hits *hits;
    size_t count;
};

struct yunfu_state {
    struct yunfu_node *nodes;
    size_t node_count;
    int64_t default_node;
    struct yunfu_account *accounts;
    size_t account_count;
    struct yunfu_token *tokens;
    size_t token_count;
    struct yunfu_task *tasks;
    size_t task_count;
    struct mock_store records;
    /* Records grouped by (task, intention_results) and by (task, score): the intention_tags and
     * levels filters' counts and pages without a scan (../../index.h). */
    struct mock_index by_intention, by_score;
    struct yunfu_id_ref {
        const char *id; /* the record's attrs own it */
        size_t entry;
    } * by_id; /* sorted by id, for the detail endpoint */
    /* Dialogue rows the detail shows besides a record's list "details" (dialogues.json). */
    struct yunfu_dialogue {
        char *record_id;
        cJSON *rows;
    } * dialogues;
    size_t dialogue_count;
    struct yunfu_regions regions; /* loaded only to generate records */
    struct mock_arena arena;      /* generated records' attrs and strings */
    int64_t anchor; /* Unix s: dates the tasks that have neither a creation time nor a call */
    char voice_secret[33]; /* signs play URLs; from the seed, so URLs survive a reset */
    /* variants */
    bool legacy;                  /* the retired paths without the account still answer */
    bool unauth_envelope;         /* refused token: the vendor's envelope instead of Laravel's */
    bool unauth_http_200;         /* ... sent with HTTP 200 */
    enum yunfu_per_page per_page; /* how meta.per_page is written */
    bool oldest_first;            /* the record list runs oldest call first */
    bool keyword_exact;           /* keyword is the whole callee number, not a part of it */
    enum yunfu_detail_shape detail_shape;
    bool missing_record_404;   /* unknown record id: Laravel's model 404 instead of code 5003 */
    bool missing_record_empty; /* unknown record id in a detail: a success without rows */
    bool lenient_levels;       /* reversed or negative score ranges accepted (matching nothing) */
    bool lenient_intentions;   /* intention tags outside 1..5 accepted (matching nothing) */
    bool voice_redirect;       /* download-full-voice answers 302 to the play URL */
    bool batch_map;            /* batch play URLs as {"<id>": url} instead of [{record_id, url}] */
    int64_t voice_ttl;         /* seconds a play URL stays valid */
    struct yunfu_throttle throttle;
};

extern const struct mock_vendor_sim yunfu_sim;
extern const struct mock_vendor_control yunfu_control;
extern const struct mock_vendor_push yunfu_push;

/* ---- generate.c: deterministic records in the vendor's exact shape --------------------------- */

/* What loading keeps of one generated record: where to draw it again and its filter fields. */
struct yunfu_generated {
    uint64_t replay; /* the generator's state before the record */
    size_t task;
    size_t customer; /* the task's listed customer, or SIZE_MAX */
    int64_t start;   /* calldate, Unix s */
    char id[37];
    char callee[16];
    int64_t score, intention, hangup, bill; /* as struct yunfu_attrs holds them */
};

/* Takes one generated record; false stops generating, err filled. */
typedef bool (*yunfu_record_sink)(void *arg, const struct yunfu_generated *record, char *err,
                                  size_t err_len);

/* regions.json from dir (the province and city objects generated calls carry); false with err
 * filled. yunfu_regions_free releases what was loaded either way. */
bool yunfu_regions_load(struct yunfu_regions *rg, const char *dir, char *err, size_t err_len);
void yunfu_regions_free(struct yunfu_regions *rg);

/* Hands n records to sink, over the tasks and st->regions already loaded, spread over the 365 days
 * before anchor; no text is written. Each task's listed customers get exactly their number of
 * calls. Same seed and anchor, same records. */
bool yunfu_generate_records(const struct yunfu_state *st, int64_t n, uint64_t seed, int64_t anchor,
                            yunfu_record_sink sink, void *sink_arg, char *err, size_t err_len);
/* Appends a generated record's JSON, drawn again from its state: the same bytes every time (the
 * compact rendering, field order and number formats of a cJSON tree). *details_off and
 * *details_len locate its "details" array in out (offsets from out's start). false when out of
 * memory. */
bool yunfu_generate_render(const struct yunfu_state *st, uint64_t replay, size_t task,
                           size_t customer, int64_t start, struct cdr_buf *out, size_t *details_off,
                           size_t *details_len);

/* ---- dataset.c: fixtures in, records indexed and pre-rendered into the store ----------------- */

/* Cloud nodes, accounts, tokens (tokens.json and --config's "tokens") and tasks from the fixtures
 * directory, then records.json or load->generate_count generated records, sorted and indexed.
 * false with err filled; yunfu_dataset_free releases what was loaded either way. */
bool yunfu_dataset_load(struct yunfu_state *st, const struct mock_vendor_load *load, char *err,
                        size_t err_len);
void yunfu_dataset_free(struct yunfu_state *st);
/* Parses, renders and adds one record object to the store, not yet indexed (ownership stays
 * with the caller). */
bool yunfu_dataset_ingest(struct yunfu_state *st, const cJSON *record, char *err, size_t err_len);
/* Appends a record's JSON (kept, or drawn again for a generated one); *details_off and
 * *details_len locate its "details" array in out. false when out of memory. */
bool yunfu_dataset_render(const struct yunfu_state *st, const struct mock_store_entry *e,
                          struct cdr_buf *out, size_t *details_off, size_t *details_len);
/* Sorts the store and (re)builds the per-task and per-id indexes: after the last record of a
 * load, and after records were added or removed at run time. false with err filled (out of
 * memory, or an id that appears twice). */
bool yunfu_dataset_index(struct yunfu_state *st, char *err, size_t err_len);
const struct yunfu_account *yunfu_find_account(const struct yunfu_state *st, const char *id,
                                               size_t *index);
const struct yunfu_task *yunfu_find_task(const struct yunfu_state *st, const char *id);
/* The record of that id, or NULL. */
const struct mock_store_entry *yunfu_find_record(const struct yunfu_state *st, const char *id);
/* A record of the task (NULL when the task has no record of that id). */
const struct mock_store_entry *yunfu_task_record(const struct yunfu_state *st,
                                                 const struct yunfu_task *task,
                                                 const char *record_id);
/* dialogues.json's extra rows of a record (an array), or NULL. */
const cJSON *yunfu_extra_rows(const struct yunfu_state *st, const char *record_id);

/* ---- reply.c: every body the vendor or its framework sends ----------------------------------- */

/* The vendor's error envelope with HTTP 200: {"code":…,"status":"error","message":…,"data":[]}. */
void yunfu_reply_error(struct mock_response *resp, int code);
/* A success envelope is built in one buffer: begin writes `{"code":200,"status":"success",
 * "message":<message>,`, the caller appends the rest and finish closes it and hands it over. */
void yunfu_begin_success(struct cdr_buf *b, const char *message, size_t hint);
void yunfu_finish_success(struct mock_response *resp, struct cdr_buf *b);
/* Same, for a body whose bytes [checked_from, checked_to) the caller has checked for UTF-8
 * already (valid: what it found), so only the rest is checked here. */
void yunfu_finish_success_checked(struct mock_response *resp, struct cdr_buf *b,
                                  size_t checked_from, size_t checked_to, bool valid);
/* Whether len bytes of text are well-formed UTF-8 (no overlongs, surrogates or code points past
 * U+10FFFF), as PHP's json_encode demands of every string it writes. */
bool yunfu_utf8_valid(const void *text, size_t len);
/* Laravel's exception body {"message": …} with the given status. */
void yunfu_reply_laravel(struct mock_response *resp, int status, const char *message);
/* HTTP 500 {"message":"Server Error"}: what Laravel shows of an exception outside debug mode. */
void yunfu_reply_server_error(struct mock_response *resp);
/* The router's 404 for an unknown path ("The route … could not be found."). */
void yunfu_reply_not_found(struct mock_response *resp, const char *path);
/* The router's 405 for a method the path's route lacks, with Allow: GET, HEAD. */
void yunfu_reply_method_not_allowed(struct mock_response *resp, const char *method,
                                    const char *path);
/* The router's own answer to OPTIONS: 200, empty, Allow: GET,HEAD. */
void yunfu_reply_options(struct mock_response *resp);
/* A missing, unknown or expired token: Laravel's 401, or (variant) the vendor's envelope with code
 * 401, sent with HTTP 401 or (http_200) 200. */
void yunfu_reply_unauthenticated(struct mock_response *resp, bool envelope, bool http_200);
/* Laravel's ModelNotFoundException 404 for an unknown record id (variant missing_record=http404).
 */
void yunfu_reply_no_model(struct mock_response *resp, const char *record_id);
/* A record id the task does not have: code 5003, or (variant) Laravel's model 404. */
void yunfu_reply_missing_record(struct mock_response *resp, bool http404, const char *record_id);

/* Laravel's paginator meta: {"has_pages","total","last_page","current_page","per_page"}, per_page
 * as the request's text when it gave one and a number otherwise (ECHO), or always one way. */
void yunfu_write_meta(struct cdr_buf *b, int64_t page, int64_t per_page, const char *per_page_text,
                      enum yunfu_per_page how, int64_t total);

/* Alibaba OSS's XML error (the store play URLs point at): status, Code, Message. */
void yunfu_reply_oss_error(struct mock_response *resp, int status, const char *code,
                           const char *message, int64_t now);

/* Laravel's validation errors, in the order the rules are checked (collected by params.c). */
struct yunfu_errors {
    struct yunfu_error {
        char *field;
        char *message;
    } * items;
    size_t count;
    bool failed; /* out of memory while collecting */
};
/* HTTP 422 {"message": first (and N more errors), "errors": {field: [message]}}. */
void yunfu_reply_validation(struct mock_response *resp, const struct yunfu_errors *e);

/* ---- php_query.c: PHP's reading of a query string, then Laravel's input middlewares ---------- */

enum yunfu_php_kind { YUNFU_PHP_NULL, YUNFU_PHP_STRING, YUNFU_PHP_ARRAY };

/* A value of PHP's $_GET after Laravel's TrimStrings and ConvertEmptyStringsToNull middleware. */
struct yunfu_php_value {
    char *key; /* its key in the parent array; "" for the root */
    enum yunfu_php_kind kind;
    char *string;                  /* YUNFU_PHP_STRING only */
    struct yunfu_php_value *items; /* YUNFU_PHP_ARRAY only, in insertion order */
    size_t count, cap;
    int64_t next_index; /* the key "[]" appends with */
};

/* Builds $_GET from decoded (name, value) pairs as PHP's php_register_variable_ex does: leading
 * spaces of a name ignored, '.' and ' ' before its first '[' become '_', "a[b][]" nesting, "[]"
 * and "[ ]" append, later values overwrite earlier ones, a name nested deeper than 64 levels drops
 * its whole variable, a name that only mangling made start with __Host- or __Secure- is dropped,
 * the first 1000 pairs only. false when out of memory; root must be freed with yunfu_php_free
 * either way. */
bool yunfu_php_parse(const struct mock_kv *pairs, size_t count, struct yunfu_php_value *root);
const struct yunfu_php_value *yunfu_php_get(const struct yunfu_php_value *array, const char *key);
void yunfu_php_free(struct yunfu_php_value *v);
/* PHP's FILTER_VALIDATE_INT: optional sign, no leading zeros, fits 64 bits. */
bool yunfu_php_int(const char *text, int64_t *out);

/* ---- params.c: the request validated as the vendor's Laravel rules would --------------------- */

/* Forgets what the errors hold. */
void yunfu_errors_free(struct yunfu_errors *e);

struct yunfu_range {
    int64_t min, max;
};

struct yunfu_list_params {
    int64_t page, per_page;
    const char *per_page_text; /* the value as given (echoed back), NULL when defaulted */
    const char *keyword;
    int64_t start_at, end_at;   /* YUNFU_NO_VALUE when not given */
    struct yunfu_range *levels; /* owned */
    size_t level_count;
    unsigned intentions;   /* bit n set = intention_results n requested */
    bool intention_filter; /* intention_tags given (a lenient server: maybe no valid one) */
    int64_t hangup_from, hangup_to; /* YUNFU_NO_VALUE when not given */
    const char *sub_user_id;
};

/* Fills p from query (strings point into query) or records the failures in errors; st's
 * leniency variants relax the score range and intention rules. */
void yunfu_read_list_params(const struct yunfu_state *st, const struct yunfu_php_value *query,
                            struct yunfu_list_params *p, struct yunfu_errors *errors);
void yunfu_list_params_free(struct yunfu_list_params *p);
/* sub_user_id alone, for the detail and download endpoints. */
void yunfu_read_sub_user(const struct yunfu_php_value *query, const char **sub_user_id,
                         struct yunfu_errors *errors);

struct yunfu_task_params {
    int64_t page, per_page;
    const char *per_page_text; /* as given, NULL when defaulted */
    const char *name;          /* part of the task's name */
    unsigned statuses;         /* bit n set = status n asked for; 0 = any */
    const char *sub_user_id;
};
/* The task list's query (page, per_page, name, status as one value or an array, sub_user_id). */
void yunfu_read_task_params(const struct yunfu_php_value *query, struct yunfu_task_params *p,
                            struct yunfu_errors *errors);

#define YUNFU_MAX_BATCH 30 /* record ids one batch of play URLs may name */
/* The batch download's recordIds[] (1..30 strings; *ids points into query, caller frees the array)
 * and sub_user_id. */
void yunfu_read_batch_params(const struct yunfu_php_value *query, const char ***ids, size_t *count,
                             const char **sub_user_id, struct yunfu_errors *errors);

/* ---- auth.c: who may call, on whose records -------------------------------------------------- */

/* Whose records a request may see: resolved from the token, the path's account and sub_user_id. */
struct yunfu_scope {
    const char *partner;
    size_t account; /* the path's account; SIZE_MAX on the legacy path */
    const char *sub_user_id;
};

/* The token the request's Authorization: Bearer names, when it is known and not expired; NULL
 * means 401. */
const struct yunfu_token *yunfu_authenticate(const struct yunfu_state *st,
                                             const struct mock_env *env,
                                             const struct mock_request *req);
/* GET /agent-api/token: what the vendor says about the caller's token. */
void yunfu_token_info(const struct yunfu_token *t, const struct mock_env *env,
                      struct mock_response *resp);
/* Fills scope for token and the path's account user_id (NULL on the legacy path). YUNFU_OK, or
 * YUNFU_NO_NODE when the account is unknown or another partner's. */
int yunfu_auth_scope(const struct yunfu_state *st, const struct yunfu_token *token,
                     const char *user_id, struct yunfu_scope *scope);
/* The account a request acts on: the sub-account when sub_user_id names one of the path account's
 * (any of the partner's on the default node for the legacy path), else the path's account. Returns
 * YUNFU_OK with *owner set (SIZE_MAX on the legacy path without sub_user_id: every account of the
 * partner on the default node), or YUNFU_NO_NODE. */
int yunfu_auth_owner(const struct yunfu_state *st, const struct yunfu_scope *scope, size_t *owner);
/* The task task_id when the scope's account (or its sub_user_id) owns it: YUNFU_OK with *task set,
 * YUNFU_NO_NODE for a sub_user_id that is not the account's, YUNFU_NO_TASK otherwise. */
int yunfu_auth_task(const struct yunfu_state *st, const struct yunfu_scope *scope,
                    const char *task_id, const struct yunfu_task **task);

/* ---- records.c: the call list and one call --------------------------------------------------- */

void yunfu_record_list(const struct yunfu_state *st, const struct yunfu_scope *scope,
                       const char *task_id, const struct yunfu_php_value *query,
                       struct mock_response *resp);
void yunfu_record_detail(const struct yunfu_state *st, const struct yunfu_scope *scope,
                         const char *task_id, const char *record_id,
                         const struct yunfu_php_value *query, struct mock_response *resp);

/* ---- tasks.c: the account's tasks ------------------------------------------------------------ */

/* GET /agent-api/user/{id}/task (the account's, or sub_user_id's) and, with all, .../all_task
 * (the account's and every sub-account's). */
void yunfu_task_list(const struct yunfu_state *st, const struct yunfu_scope *scope, bool all,
                     const struct yunfu_php_value *query, struct mock_response *resp);

/* ---- voice.c: recordings --------------------------------------------------------------------- */

/* GET …/record/{record_id}/download-full-voice: the call's audio (or a 302 to its play URL). */
void yunfu_voice_download(const struct yunfu_state *st, const struct mock_env *env,
                          const struct mock_request *req, const struct yunfu_scope *scope,
                          const char *task_id, const char *record_id,
                          const struct yunfu_php_value *query, struct mock_response *resp);
/* GET …/batch_record/download-full-voice?recordIds[]=…: play URLs for up to 30 calls. */
void yunfu_voice_batch(const struct yunfu_state *st, const struct mock_env *env,
                       const struct mock_request *req, const struct yunfu_scope *scope,
                       const char *task_id, const struct yunfu_php_value *query,
                       struct mock_response *resp);
#define YUNFU_VOICE_PREFIX "/yunfu-oss/record/" /* where play URLs point, on the same mock */
/* GET /yunfu-oss/record/{record_id}.wav?Expires=…&Signature=…: a signed play URL, object-storage
 * style (no Bearer token; expired or tampered URLs get the store's XML error). */
void yunfu_voice_file(const struct yunfu_state *st, const struct mock_env *env,
                      const struct mock_request *req, const char *path, struct mock_response *resp);

/* ---- limits.c: Laravel's throttle middleware (variant rate_limit) ---------------------------- */

void yunfu_throttle_init(struct yunfu_throttle *t, int64_t limit);
void yunfu_throttle_destroy(struct yunfu_throttle *t);
/* Counts one request of token at now_ms and adds Laravel's X-RateLimit-* headers. false = over
 * the limit: resp then holds the 429 answer. */
bool yunfu_throttle_hit(struct yunfu_throttle *t, const char *token, int64_t now_ms,
                        struct mock_response *resp);

/* ---- routes.c: the route table and dispatch (the sim table's entry points) ------------------- */

/* Whether path is under /agent-api. */
bool yunfu_routes(const char *path);
void yunfu_route_list(void (*each)(void *ctx, const char *method, const char *path), void *ctx);
void yunfu_handle(void *state, const struct mock_env *env, const struct mock_request *req,
                  struct mock_response *resp);
void yunfu_oversized(void *state, const struct mock_env *env, const struct mock_request *req,
                     struct mock_response *resp);

#endif
