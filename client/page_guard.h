/* The paging guard every paged fetch in the library runs its pages through, so that a server that
 * ignores the page number, repeats or drops records, or states a total its pages do not add up to
 * ends the fetch with CDR_ERR_MALFORMED_RESPONSE naming the rule it broke, instead of losing or
 * duplicating records silently. One guard per fetch; a fetch split into windows begins a run per
 * window (each window has its own total), while ids are remembered across the whole fetch. */
#ifndef CDRSIM_CLIENT_PAGE_GUARD_H
#define CDRSIM_CLIENT_PAGE_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cdrsim/error.h"
#include "cdrsim/record.h"

#ifndef CDR_INTERNAL
#define CDR_INTERNAL __attribute__((visibility("hidden")))
#endif

/* One remembered id: its bytes (owned), NULs included. */
struct cdr__page_id {
    char *bytes;
    size_t len;
};

struct cdr__page_guard {
    /* Open-addressing set of the ids delivered so far. */
    struct cdr__page_id *ids;
    size_t id_count;
    size_t id_cap;
    /* The current run (window). */
    int64_t total;    /* the total the run's latest page stated; -1 when the vendor states none */
    int64_t received; /* records on the run's pages so far, repeated boundary records included */
    int64_t pages;    /* pages seen in the run */
};

/* What one page said, next to what was asked for. A vendor that does not echo a value passes -1. */
struct cdr__page_seen {
    int64_t asked_page; /* the page number (or offset, for offset paging) requested */
    int64_t asked_size;
    int64_t echoed_page; /* what the answer says it is; -1 when it does not say */
    int64_t echoed_size;
    int64_t total; /* the answer's total; -1 when it has none */
    size_t count;  /* records on this page */
    /* The number of the last page, as the answer states it; 0 or less when it does not say.
     * Last so that initialisers written before it existed still leave it unsaid. */
    int64_t last_page;
};

CDR_INTERNAL void cdr__page_guard_init(struct cdr__page_guard *g);
CDR_INTERNAL void cdr__page_guard_free(struct cdr__page_guard *g);

/* Starts a run of pages that shares one total (a window of a split range, or the whole fetch). */
CDR_INTERNAL void cdr__page_guard_begin_run(struct cdr__page_guard *g);

/* Checks one page: the echoed page number and size are the ones asked for, the page holds no more
 * than the page size, the run does not exceed its total, a page shorter than the size asked for
 * comes only when it completes the total, and an empty page comes only when every record of the
 * total has arrived and no later page is announced. */
CDR_INTERNAL cdr_error cdr__page_guard_page(struct cdr__page_guard *g,
                                            const struct cdr__page_seen *page,
                                            struct cdr_error_info *err);

/* Remembers a record's id. *is_new tells whether it was delivered before. A repeated id is an
 * error unless boundary_ok, for records stamped on the second two windows share, which the caller
 * then skips. A record without an id (NULL) is not tracked. */
CDR_INTERNAL cdr_error cdr__page_guard_record(struct cdr__page_guard *g, const char *id,
                                              bool boundary_ok, bool *is_new,
                                              struct cdr_error_info *err);
/* The same for an id of len bytes, which may hold a NUL. */
CDR_INTERNAL cdr_error cdr__page_guard_record_bytes(struct cdr__page_guard *g, const char *id,
                                                    size_t len, bool boundary_ok, bool *is_new,
                                                    struct cdr_error_info *err);

/* Ends a run: the records received add up to the total the run stated. */
CDR_INTERNAL cdr_error cdr__page_guard_end_run(struct cdr__page_guard *g,
                                               struct cdr_error_info *err);

/* Whether the run has every record its total announced (false while the total is unknown). */
CDR_INTERNAL bool cdr__page_guard_complete(const struct cdr__page_guard *g);

/* What a fetch makes of one record of a page before the guard sees its id. */
enum cdr__page_mark {
    CDR__PAGE_RECORD,   /* an ordinary record: delivered once, a repeat of its id is an error */
    CDR__PAGE_BOUNDARY, /* stamped on the second two windows share: a repeat is skipped */
    CDR__PAGE_OUTSIDE,  /* asked for only to catch the server's edge: never delivered */
};
typedef enum cdr__page_mark (*cdr__page_mark_fn)(void *user, const struct cdr_record *rec);

/* Where the records of a checked page go. */
struct cdr__page_sink {
    cdr_record_fn on_record;
    void *user;
    int64_t delivered; /* records handed to on_record so far */
    bool stopped;      /* on_record asked to stop */
};

/* Hands a page that passed cdr__page_guard_page to the sink: every id of the page is checked
 * first, so a page with a repeated id delivers none of its records, and nothing delivered before
 * is delivered again. mark (NULL: every record is ordinary) sorts the records first. */
CDR_INTERNAL cdr_error cdr__page_guard_deliver(struct cdr__page_guard *g,
                                               const struct cdr_record *records, size_t count,
                                               cdr__page_mark_fn mark, void *mark_user,
                                               struct cdr__page_sink *sink,
                                               struct cdr_error_info *err);

#endif
