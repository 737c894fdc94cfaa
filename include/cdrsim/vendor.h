/* Every vendor of libcdrsim described as data: its credentials, the arguments its queries take
 * (name, kind of value, bounds, how each goes on the wire), its paging, and the calls it has.
 * A command line or a test suite fills a struct cdr_args with text values by name; the library
 * checks them against the descriptor, fills the vendor's typed filter and runs the vendor's
 * generic calls (one page, every record, parsing a saved answer). The typed per-vendor API
 * (cdrsim/itnio.h, ...) stays for C callers who know their vendor. */
#ifndef CDRSIM_VENDOR_H
#define CDRSIM_VENDOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cdrsim/error.h"
#include "cdrsim/http.h"
#include "cdrsim/record.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- fields ---------------------------------------------------------------------------------- */

/* What text a field takes and what the typed struct keeps of it. */
enum cdr_value_kind {
    CDR_VALUE_STRING,      /* const char *, as given */
    CDR_VALUE_INT,         /* a decimal integer (int or int64_t member, by its size) */
    CDR_VALUE_TIME,        /* RFC 3339, "YYYY-MM-DD HH:MM:SS" (UTC+8) or Unix seconds: int64_t */
    CDR_VALUE_FLAG,        /* on or off ("", "true", "1" / "false", "0"): bool */
    CDR_VALUE_CHOICE,      /* one of the field's names, kept as its index (int or enum) */
    CDR_VALUE_STRING_LIST, /* repeatable: const char *const * and a size_t count */
    CDR_VALUE_INT_LIST,    /* repeatable: const int * and a size_t count */
    CDR_VALUE_INT64_LIST,  /* repeatable: const int64_t * and a size_t count */
    CDR_VALUE_RANGE_LIST,  /* repeatable "MIN:MAX": pairs of int64_t {min, max} and a count */
};

/* What a field is for: the CLI groups its options by role, conformance reads credentials. */
enum cdr_field_role {
    CDR_ROLE_CREDENTIAL, /* who is asking: from the environment as CDRSIM_<VENDOR>_<NAME> too */
    CDR_ROLE_OPTION,     /* how the client asks (signature version, method, session state) */
    CDR_ROLE_FILTER,     /* what the query selects */
};

#define CDR_FIELD_REQUIRED 0x1u /* a query without it is refused */
#define CDR_FIELD_SECRET 0x2u   /* never printed; the CLI recommends the environment for it */
#define CDR_FIELD_MILLIS 0x4u   /* TIME kept as epoch milliseconds rather than seconds */
#define CDR_FIELD_PAIRED 0x8u   /* given and sent only together with the next field (a range) */
#define CDR_NO_MEMBER ((size_t)-1)

struct cdr_field {
    const char *name; /* snake_case: "voice_group_id"; the CLI's option is --voice-group-id */
    enum cdr_value_kind kind;
    enum cdr_field_role role;
    unsigned flags; /* CDR_FIELD_* */
    /* The filter's parameter as the vendor names it ("voiceGroupId"): what the request carries,
     * built from this table; NULL for fields that are not filters. */
    const char *param;
    /* INT, INT_LIST, RANGE_LIST: inclusive bounds a checked value must keep (both 0: any). */
    int64_t min, max;
    /* CHOICE: the names, NULL-terminated; INT_LIST: names standing for min, min + 1, ... (the
     * letters A..E for 1..5); NULL otherwise. */
    const char *const *names;
    const char *wire;    /* how it goes on the wire, besides param: "header Api-Key" */
    const char *metavar; /* the value in usage texts ("KEY", "N"); NULL: one for the kind */
    const char *help;    /* one line, lower case, no final period */
    /* Where the vendor's typed filter keeps it (CDR_NO_MEMBER when the vendor reads it by name):
     * the member, its size, and for lists the size_t count member, for optional integers the
     * bool "has" member (CDR_NO_MEMBER when an absent value is a sentinel already there). */
    size_t offset;
    size_t size;
    size_t aux;
};

/* ---- arguments ------------------------------------------------------------------------------- */

/* Text values by name, in the order given; a name may repeat (list fields). Owns its copies. */
struct cdr_args;

struct cdr_args *cdr_args_new(void); /* NULL when out of memory; free with cdr_args_free */
void cdr_args_free(struct cdr_args *args);
/* Appends a value for name (both copied); a flag may take NULL, read as "". */
cdr_error cdr_args_add(struct cdr_args *args, const char *name, const char *value);
/* Replaces every value of name with one (NULL: removes the name). */
cdr_error cdr_args_set(struct cdr_args *args, const char *name, const char *value);
/* The last value of name, or NULL when it was not given. */
const char *cdr_args_get(const struct cdr_args *args, const char *name);
/* How many values name has, and the i-th of them. */
size_t cdr_args_count(const struct cdr_args *args, const char *name);
const char *cdr_args_value(const struct cdr_args *args, const char *name, size_t i);
/* Every entry in order: *name and *value of entry i; false past the end. */
bool cdr_args_entry(const struct cdr_args *args, size_t i, const char **name, const char **value);

/* ---- paging and calls ------------------------------------------------------------------------ */

struct cdr_paging {
    bool paged;             /* the vendor's queries are paged by number */
    const char *page_param; /* how the page goes on the wire: "current (JSON body)" */
    const char *size_param; /* "size (JSON body)" */
    int64_t server_size;    /* what the server uses when no size is sent, 0 when undocumented */
    int64_t fetch_size;     /* what cdr_client_fetch_all asks for when given 0 */
    int64_t max_size;       /* the largest page the client asks for */
    int64_t max_range;      /* seconds one query may span (ITNIO: 93 days), 0 for no limit */
};

/* What a call answers. */
enum cdr_answer {
    CDR_ANSWER_RECORDS, /* normalized records */
    CDR_ANSWER_JSON,    /* something else: groups, an event, a token's validity */
    CDR_ANSWER_NONE,    /* only whether it worked (sign in, sign out) */
    CDR_ANSWER_FILE,    /* bytes written through a cdr_write_fn: a recording */
};

/* A call of the vendor's typed API beyond the generic ones, e.g. ITNIO's "groups". */
struct cdr_call {
    const char *name;
    enum cdr_answer answer;
    const char *help;
};

/* A named call whose from..to has a limit of its own (ITNIO's agent statistics: 32 days). */
struct cdr_call_range {
    const char *call;
    int64_t max_range; /* seconds */
};

struct cdr_vendor_ops; /* the generic calls' implementations: private */

struct cdr_vendor {
    const char *id;                 /* "itnio": struct cdr_record.vendor, CDRSIM_ITNIO_* */
    const char *title;              /* "ITNIO call center" */
    const char *url;                /* the service's base URL, for help texts */
    const struct cdr_field *fields; /* ends with a row whose name is NULL */
    const char *filter_wire;        /* where filters go: "members of the JSON body's params" */
    struct cdr_paging paging;
    const struct cdr_call *calls; /* the named calls of the typed API */
    size_t call_count;
    /* Named calls that take a range with a limit of their own, ending with a row whose call is
     * NULL; NULL when none has one. */
    const struct cdr_call_range *call_ranges;
    const struct cdr_vendor_ops *ops;
    /* Query or form parameters of the vendor whose values sign or authorise a request (ITNIO's
     * Sign), matched in any case: cdr_http_redact_url masks them. NULL-terminated; NULL when the
     * generic names (cdr_http_redact_url) cover the vendor. */
    const char *const *secret_names;
};

/* Every vendor, NULL-terminated, in registry order. */
const struct cdr_vendor *const *cdr_vendors(void);
const struct cdr_vendor *cdr_vendor_find(const char *id);
const struct cdr_field *cdr_vendor_field(const struct cdr_vendor *v, const char *name);
/* Whether the vendor has a call: the generic "page", "fetch_all", "parse", "download" and "push"
 * (cdr_push_parse), or a named one. */
bool cdr_vendor_has_call(const struct cdr_vendor *v, const char *name);
/* Seconds one request of the call may span: paging.max_range for "page" and "fetch_all" (which
 * splits longer ranges), the call's own max_range for a named one; 0 for no limit. */
int64_t cdr_vendor_call_max_range(const struct cdr_vendor *v, const char *name);

/* Checks args as a command line would: every name is a field of the vendor, every value parses
 * as its kind and keeps its bounds, required fields are there, and the vendor's own rules across
 * fields hold (Yunfu: --user-id or --legacy). On failure err->message starts with the field's
 * name and ": ", and *bad (when not NULL) points at the field (NULL for an unknown name). */
cdr_error cdr_vendor_check_args(const struct cdr_vendor *v, const struct cdr_args *args,
                                const struct cdr_field **bad, struct cdr_error_info *err);

/* Fills the vendor's typed filter (struct cdr_itnio_filter for "itnio", initialised by the
 * caller) from the filter fields in args. Values are parsed, not bounds-checked, so a test can
 * send what a command line would refuse. List members point into *lists (free() it after the
 * filter's last use; NULL when there are none) and string members into args. */
cdr_error cdr_vendor_fill_filter(const struct cdr_vendor *v, const struct cdr_args *args,
                                 void *filter, void **lists, struct cdr_error_info *err);

/* ---- generic calls --------------------------------------------------------------------------- */

/* A page as every vendor's generic call returns it. */
struct cdr_page {
    struct cdr_record *records; /* owned; record_count entries */
    size_t record_count;
    int64_t total;     /* records the query matches, -1 when the answer does not say */
    int64_t pages;     /* pages holding them at the asked size, -1 when unknown */
    int64_t page;      /* the page number the answer echoes, -1 when it does not */
    int64_t size;      /* the page size the answer echoes, -1 when it does not */
    char *paging_json; /* the vendor's paging object as sent (compact JSON, owned), or NULL */
};

void cdr_page_free(struct cdr_page *page);

/* Progress of cdr_client_fetch_all. */
struct cdr_progress {
    size_t window, window_count; /* 1-based; window_count 0 when ranges are not split */
    int64_t page, pages;         /* within the window; pages -1 when unknown */
    int64_t total;               /* records in the whole query, -1 when the vendor does not say */
    int64_t records_seen;
};
typedef void (*cdr_progress_fn)(void *user, const struct cdr_progress *progress);

/* Writes a fresh nonce (NUL-terminated, at most 64 bytes with the NUL) into out, for vendors that
 * sign with one. */
typedef void (*cdr_nonce_fn)(void *user, char out[64]);

/* How the client talks, whatever the vendor. */
struct cdr_client_options {
    const char *base_url;
    struct cdr_http_options http;
    cdr_clock_fn clock; /* NULL = time(NULL) */
    void *clock_user;
    cdr_nonce_fn nonce; /* NULL = random */
    void *nonce_user;
    bool unchecked; /* send out-of-range pages and spans as given: tests of the server's limits */
    /* Leave every record's raw_json NULL: a caller that never reads it saves printing each
     * vendor object again (a third of a crawl's time). ITNIO, Yunfu and Alibaba record pages
     * honour it; a Yunfu record without it has no recording to download. */
    bool skip_raw;
};

void cdr_client_options_default(struct cdr_client_options *opts);

/* One vendor's client behind the descriptor. Credentials and options come from args (which
 * cdr_client_new only reads); queries take their filters from the args they are given. */
struct cdr_client;

struct cdr_client *cdr_client_new(const struct cdr_vendor *v, const struct cdr_client_options *opts,
                                  const struct cdr_args *args, struct cdr_error_info *err);
void cdr_client_free(struct cdr_client *client);
const struct cdr_vendor *cdr_client_vendor(const struct cdr_client *client);
/* Masks in err every value the client was given for a secret field (cdr_error_redact). The
 * generic calls do it to every error they return; a caller of the typed API behind a generic
 * client (cdr_itnio_client_of, ...) may do it before showing an error. */
void cdr_client_redact(const struct cdr_client *client, struct cdr_error_info *err);

/* One page (page >= 1; size 0 sends none where the vendor allows it). */
cdr_error cdr_client_page(struct cdr_client *client, const struct cdr_args *args, int64_t page,
                          int64_t size, struct cdr_page *out, struct cdr_error_info *err);
/* Every record the query selects, in the vendor's order; page_size 0 = paging.fetch_size.
 * on_record returning non-zero stops early (the call then succeeds). */
cdr_error cdr_client_fetch_all(struct cdr_client *client, const struct cdr_args *args,
                               int64_t page_size, cdr_record_fn on_record,
                               cdr_progress_fn on_progress, void *user, struct cdr_error_info *err);
/* Receives a download piece by piece; returns non-zero to stop it (the download then fails with
 * CDR_ERR_INVALID_ARGUMENT, "stopped by the writer"). */
typedef int (*cdr_write_fn)(void *user, const void *data, size_t len);

/* What a download delivered. */
struct cdr_download {
    int64_t bytes;         /* written through the callback */
    char content_type[96]; /* as the server sent it ("audio/wav"), or "" */
    char extension[16];    /* a file name suffix for it (".wav"), from its URL or its type */
};

/* Recording `index` of rec (one of rec->recording_urls, as the vendor's record carries it: an
 * object key, an id or a URL), fetched through the vendor's own calls (resolving a key to a link
 * first where the vendor needs that) and written through write. A record that lists no URL may
 * still have one recording (index 0) the vendor finds by the record's own ids (Yunfu, Huawei's
 * history). CDR_ERR_NOT_FOUND when the call has no recording at all; CDR_ERR_INVALID_ARGUMENT when
 * the vendor has no recordings (cdr_vendor_has_call(v, "download") is false), the index is past
 * the call's recordings, or the writer stopped. */
cdr_error cdr_client_download(struct cdr_client *client, const struct cdr_record *rec, size_t index,
                              cdr_write_fn write, void *user, struct cdr_download *out,
                              struct cdr_error_info *err);

/* A saved answer of the vendor's record query; http_status 0 when unknown. */
cdr_error cdr_vendor_parse(const struct cdr_vendor *v, const char *body, size_t len,
                           long http_status, struct cdr_page *out, struct cdr_error_info *err);

/* ---- pushes: records the vendor POSTs to a customer's webhook ------------------------------ */

/* The records of one pushed body, normalized like pulled ones (struct cdr_record's raw_json keeps
 * the pushed object as sent). */
struct cdr_push {
    struct cdr_record *records; /* owned; record_count entries */
    size_t record_count;
};

void cdr_push_free(struct cdr_push *push);

/* What a receiver answers a delivery it took: the vendor reads only the status (documented or
 * inferred per vendor, see docs/push.md), the body is for people reading logs. */
struct cdr_push_reply {
    int status;
    const char *content_type;
    const char *body;
    const char *source; /* the page documenting the push, for help texts */
};

/* The reply v's push expects, or NULL when v does not push. */
const struct cdr_push_reply *cdr_push_reply_of(const struct cdr_vendor *v);

/* One pushed body (the bytes of the POST) into normalized records. Times and durations come out
 * exactly as a pulled record of the same call does (Yunfu's callback counts seconds where its list
 * counts milliseconds). CDR_ERR_MALFORMED_RESPONSE names what is wrong: not JSON, truncated, a
 * member of the wrong type, a required member missing, a batch whose count is not its length;
 * CDR_ERR_INVALID_ARGUMENT when v does not push (cdr_vendor_has_call(v, "push") is false). out is
 * empty after a failure. */
cdr_error cdr_push_parse(const struct cdr_vendor *v, const char *body, size_t len,
                         struct cdr_push *out, struct cdr_error_info *err);

#ifdef __cplusplus
}
#endif

#endif
