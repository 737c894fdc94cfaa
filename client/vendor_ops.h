/* What a vendor folder implements for the descriptor's generic calls (cdrsim/vendor.h), and the
 * helpers its descriptor.c uses. Private to libcdrsim. */
#ifndef CDRSIM_CLIENT_VENDOR_OPS_H
#define CDRSIM_CLIENT_VENDOR_OPS_H

#include "cdrsim/vendor.h"
#include "private.h"

/* Any member may be NULL: the vendor does not have that call. */
struct cdr_vendor_ops {
    /* The rules across fields a table row cannot say ("one of two", "both or neither"); called
     * by cdr_vendor_check_args after every value passed. Sets *bad like it. */
    cdr_error (*check)(const struct cdr_args *args, const struct cdr_field **bad,
                       struct cdr_error_info *err);
    /* The vendor's typed client (or session) from the options and the args' credentials. */
    void *(*open)(const struct cdr_client_options *opts, const struct cdr_args *args,
                  struct cdr_error_info *err);
    void (*close)(void *handle);
    cdr_error (*page)(void *handle, const struct cdr_args *args, int64_t page, int64_t size,
                      struct cdr_page *out, struct cdr_error_info *err);
    cdr_error (*fetch_all)(void *handle, const struct cdr_args *args, int64_t page_size,
                           cdr_record_fn on_record, cdr_progress_fn on_progress, void *user,
                           struct cdr_error_info *err);
    cdr_error (*parse)(const char *body, size_t len, long http_status, struct cdr_page *out,
                       struct cdr_error_info *err);
    /* Recording `index` of rec, written through write (out zeroed by the caller). */
    cdr_error (*download)(void *handle, const struct cdr_record *rec, size_t index,
                          cdr_write_fn write, void *user, struct cdr_download *out,
                          struct cdr_error_info *err);
    /* One pushed body (out zeroed by the caller; left empty on failure), and the reply the
     * vendor expects; both NULL for a vendor that does not push. */
    cdr_error (*parse_push)(const char *body, size_t len, struct cdr_push *out,
                            struct cdr_error_info *err);
    const struct cdr_push_reply *push_reply;
};

/* The typed client inside c when c is a client of v, else NULL. */
CDR_INTERNAL void *cdr__client_handle(struct cdr_client *c, const struct cdr_vendor *v);

/* The generic callbacks of cdr_client_fetch_all behind a vendor's typed fetch, which hands one
 * user pointer to its record and progress callbacks: pass cdr__relay_record as the record
 * callback, and from the typed progress callback call cdr__relay_progress with the generic
 * progress. */
struct cdr__relay {
    cdr_record_fn on_record;
    cdr_progress_fn on_progress;
    void *user;
};
CDR_INTERNAL int cdr__relay_record(void *relay, const struct cdr_record *rec);
CDR_INTERNAL void cdr__relay_progress(void *relay, const struct cdr_progress *progress);

/* A page with nothing in it and every count unknown (-1). */
CDR_INTERNAL void cdr__page_init(struct cdr_page *page);

/* ---- reading args (parsing only: bounds are cdr_vendor_check_args's) ------------------------- */

/* A flag of args: false when absent; an unreadable value counts as on (check refuses it). */
CDR_INTERNAL bool cdr__args_flag(const struct cdr_args *args, const char *name);
/* An INT or CHOICE field of v in args, or fallback when absent; CDR_ERR_INVALID_ARGUMENT naming
 * the field when its value does not parse. */
CDR_INTERNAL cdr_error cdr__args_int(const struct cdr_vendor *v, const struct cdr_args *args,
                                     const char *name, int64_t fallback, int64_t *out,
                                     struct cdr_error_info *err);

/* ---- reading a typed filter through its table (fields.c) ------------------------------------ */

/* Whether row f of the table fields is sent for this filter: it has a param, a value (a string, a
 * set "has" flag, a time other than CDR_TIME_NONE, a list with items), and a paired row's partner
 * has one too. The request builders walk their table with this. */
CDR_INTERNAL bool cdr__field_sent(const struct cdr_field *fields, const struct cdr_field *f,
                                  const void *filter);
/* INT, TIME, FLAG, CHOICE members (TIME as stored: seconds, or milliseconds with MILLIS). */
CDR_INTERNAL int64_t cdr__field_int(const struct cdr_field *f, const void *filter);
CDR_INTERNAL const char *cdr__field_text(const struct cdr_field *f, const void *filter);
/* Lists: the count, and item i (RANGE_LIST: its ends, min then max, 2 * count of them). */
CDR_INTERNAL size_t cdr__field_count(const struct cdr_field *f, const void *filter);
CDR_INTERNAL int64_t cdr__field_int_at(const struct cdr_field *f, const void *filter, size_t i);
CDR_INTERNAL const char *cdr__field_text_at(const struct cdr_field *f, const void *filter,
                                            size_t i);

/* Where a descriptor row's value goes in the vendor's typed filter: a member (absent values leave
 * it as initialised), a member and its "has" flag, a list and its count, or nowhere (the vendor
 * reads the field by name). Every row uses one of them. */
#define CDR__AT(type, member)                                                                      \
    .offset = offsetof(type, member), .size = sizeof(((type *)0)->member), .aux = CDR_NO_MEMBER
#define CDR__HAS(type, member, has)                                                                \
    .offset = offsetof(type, member), .size = sizeof(((type *)0)->member),                         \
    .aux = offsetof(type, has)
#define CDR__LIST(type, member, count)                                                             \
    .offset = offsetof(type, member), .size = sizeof(((type *)0)->member),                         \
    .aux = offsetof(type, count)
#define CDR__BY_NAME .offset = CDR_NO_MEMBER, .aux = CDR_NO_MEMBER

#endif
