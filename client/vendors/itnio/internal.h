/* Shared by the files of client/vendors/itnio/. The order is one-way: fields.c (what each argument
 * is) and record.c (one call record) <- parse.c (answers) <- request.c (bodies and signing) <-
 * client.c (the client over HTTP, records and lists) <- settings.c (an agent group's settings),
 * recording.c (recording links and audio) <- descriptor.c (the vendor and its generic calls). */
#ifndef CDRSIM_CLIENT_ITNIO_INTERNAL_H
#define CDRSIM_CLIENT_ITNIO_INTERNAL_H

#include <cJSON.h>

#include "cdrsim/itnio.h"
#include "vendor_ops.h"

struct cdr_itnio_client {
    struct cdr_http *http;
    char *base_url;
    char *api_key;
    char *api_secret;
    cdr_clock_fn clock;
    void *clock_user;
    bool unchecked;
    bool skip_raw;
};

/* descriptor.c: the vendor; fields.c: its arguments, ending with a row whose name is NULL. */
CDR_INTERNAL extern const struct cdr_vendor cdr__itnio_vendor;
CDR_INTERNAL extern const struct cdr_field cdr__itnio_fields[];

/* record.c: one record object of a query answer into the normalized record: a cJSON one (a
 * push), or token r of a page read as tokens, without raw_json unless keep_raw. */
struct cdr__jdoc;
CDR_INTERNAL cdr_error cdr__itnio_normalize(const cJSON *r, struct cdr_record *out,
                                            struct cdr_error_info *err);
CDR_INTERNAL cdr_error cdr__itnio_normalize_record(const struct cdr__jdoc *doc, size_t r,
                                                   bool keep_raw, struct cdr_record *out,
                                                   struct cdr_error_info *err);

/* parse.c: cdr_itnio_parse_page, its records without raw_json unless keep_raw. */
CDR_INTERNAL cdr_error cdr__itnio_parse_page(const char *body, size_t len, bool keep_raw,
                                             struct cdr_itnio_page *out,
                                             struct cdr_error_info *err);

/* parse.c: a /v3/cc/seatGroup/query or /v3/cc/seat/query answer; groups picks which. */
/* Whether an answer that failed with rc and the vendor's code is a server-side failure the
 * vendor's table lists (-18, "system exception"), worth asking again. */
CDR_INTERNAL bool cdr__itnio_status_transient(cdr_error rc, const char *vendor_code);
CDR_INTERNAL cdr_error cdr__itnio_parse_list(const char *body, size_t len, bool groups,
                                             struct cdr_itnio_list_page *out,
                                             struct cdr_error_info *err);

/* parse.c: the envelope of a successful answer: *root (caller deletes) when status is 0 (a number
 * or a string); otherwise the vendor's error mapped, *root NULL. */
CDR_INTERNAL cdr_error cdr__itnio_open_answer(const char *body, size_t len, cJSON **root,
                                              struct cdr_error_info *err);
/* The same, and its data object (*data borrowed from *root): a success without one is
 * CDR_ERR_MALFORMED_RESPONSE. */
CDR_INTERNAL cdr_error cdr__itnio_open_data(const char *body, size_t len, cJSON **root,
                                            const cJSON **data, struct cdr_error_info *err);

/* request.c: the bodies of the agent-group and agent queries (NULL / < 0 leave a filter out).
 * Caller frees; NULL when out of memory. */
CDR_INTERNAL char *cdr__itnio_groups_body(const char *group_name, int64_t current, int64_t size);
CDR_INTERNAL char *cdr__itnio_seats_body(const struct cdr_itnio_seat_filter *filter,
                                         int64_t current, int64_t size);

/* client.c: one signed request (POST with body, or GET when body is NULL; path may carry a query
 * string); on CDR_OK resp holds an HTTP 200 answer. */
CDR_INTERNAL cdr_error cdr__itnio_send(struct cdr_itnio_client *c, const char *path,
                                       const char *body, struct cdr_http_response *resp,
                                       struct cdr_error_info *err);

/* client.c: parses an HTTP 200 answer of one of the calls into out. */
typedef cdr_error (*cdr__itnio_parse_fn)(const char *body, size_t len, void *out,
                                         struct cdr_error_info *err);
/* cdr__itnio_send, then parse; an answer refused as rate-limited (-23, HTTP 429) is asked again,
 * signed afresh, after the pause the retry policy allows (client/retry.h). */
CDR_INTERNAL cdr_error cdr__itnio_query(struct cdr_itnio_client *c, const char *path,
                                        const char *body, cdr__itnio_parse_fn parse, void *out,
                                        struct cdr_error_info *err);

#endif
