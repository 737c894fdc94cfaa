/* Shared by the files of client/vendors/yunfu/. The order is one-way: fields.c (what each argument
 * is) and record.c (one call record) <- parse.c (the envelope, lists, details, the token) <-
 * request.c (paths and query strings) <- client.c (the client over HTTP: records, details, the
 * token) <- tasks.c (task lists, a whole account), voice.c (recordings) <- descriptor.c (the
 * vendor and its generic calls). */
#ifndef CDRSIM_CLIENT_YUNFU_INTERNAL_H
#define CDRSIM_CLIENT_YUNFU_INTERNAL_H

#include <cJSON.h>

#include "cdrsim/buf.h"
#include "cdrsim/yunfu.h"
#include "vendor_ops.h"

/* descriptor.c: the vendor; fields.c: its arguments, ending with a row whose name is NULL. */
CDR_INTERNAL extern const struct cdr_vendor cdr__yunfu_vendor;
CDR_INTERNAL extern const struct cdr_field cdr__yunfu_fields[];
/* The names of task states 1..3 ("paused", "running", "waiting"), NULL-terminated. */
CDR_INTERNAL extern const char *const cdr__yunfu_task_states[];

/* record.c: one record object into the normalized record; the second without raw_json unless
 * keep_raw. */
CDR_INTERNAL cdr_error cdr__yunfu_normalize(const cJSON *r, struct cdr_record *out,
                                            struct cdr_error_info *err);
CDR_INTERNAL cdr_error cdr__yunfu_normalize_record(const cJSON *r, bool keep_raw,
                                                   struct cdr_record *out,
                                                   struct cdr_error_info *err);
/* parse.c: cdr_yunfu_parse_page, its records without raw_json unless keep_raw. */
struct cdr_yunfu_page;
CDR_INTERNAL cdr_error cdr__yunfu_parse_page(const char *body, size_t len, long http_status,
                                             bool keep_raw, struct cdr_yunfu_page *out,
                                             struct cdr_error_info *err);

/* parse.c: the envelope of a success (HTTP 200, code 200; *root owned by the caller), or the
 * error the status and body say; the paginator's meta; errors stamped with the HTTP status. */
CDR_INTERNAL cdr_error cdr__yunfu_open_envelope(const char *body, size_t len, long http_status,
                                                cJSON **root, struct cdr_error_info *err);
/* The paginator's meta into the members of the same names (paging_json owned by the caller):
 * both page types (records, tasks) have them. */
CDR_INTERNAL cdr_error cdr__yunfu_read_meta(const cJSON *root, bool *has_pages, int64_t *total,
                                            int64_t *last_page, int64_t *current_page,
                                            int64_t *per_page, char **paging_json,
                                            struct cdr_error_info *err);
#define CDR__YUNFU_READ_META(root, page, err)                                                      \
    cdr__yunfu_read_meta((root), &(page)->has_pages, &(page)->total, &(page)->last_page,           \
                         &(page)->current_page, &(page)->per_page, &(page)->paging_json, (err))
CDR_INTERNAL cdr_error cdr__yunfu_with_status(cdr_error rc, long http_status,
                                              struct cdr_error_info *err);

/* request.c: "/agent-api/user/{id}/task/{task_id}/<what>[/{record_id}][/<tail>]" (user_id NULL:
 * the retired path without the account) and a query string of sub_user_id (when given;
 * "" otherwise). Caller frees; NULL when out of memory. */
CDR_INTERNAL char *cdr__yunfu_task_path(const char *user_id, const char *task_id, const char *what,
                                        const char *record_id, const char *tail);
/* recordIds[]=…&… (and sub_user_id) of the batch of play URLs. Caller frees. */
CDR_INTERNAL char *cdr__yunfu_voice_query(const char *const *record_ids, size_t count,
                                          const char *sub_user_id);
CDR_INTERNAL char *cdr__yunfu_detail_query(const char *sub_user_id);
/* name=value, both percent-encoded, '&'-joined onto b. */
CDR_INTERNAL void cdr__yunfu_put_param(struct cdr_buf *b, const char *name, const char *value);

/* client.c: GET base_url + path [+ "?" + query], with the token when with_token; or a whole URL
 * (path NULL) without it. On CDR_OK resp holds whatever HTTP answer arrived. */
struct cdr_http_response;
CDR_INTERNAL cdr_error cdr__yunfu_get(struct cdr_yunfu_client *c, const char *path,
                                      const char *query, const char *url,
                                      struct cdr_http_response *resp, struct cdr_error_info *err);

/* client.c: takes one answer (any HTTP status; resp stays the caller's). */
typedef cdr_error (*cdr__yunfu_take_fn)(void *ctx, const struct cdr_http_response *resp,
                                        struct cdr_error_info *err);
/* cdr__yunfu_get, then take; an answer take refuses as rate-limited (Laravel's 429) is asked again
 * after the Retry-After it names, or the backoff, as the retry policy allows (client/retry.h).
 * take must write nothing of an answer it refuses. */
CDR_INTERNAL cdr_error cdr__yunfu_get_taken(struct cdr_yunfu_client *c, const char *path,
                                            const char *query, const char *url,
                                            cdr__yunfu_take_fn take, void *ctx,
                                            struct cdr_error_info *err);

/* client.c: reads an answer (any HTTP status) into out. */
typedef cdr_error (*cdr__yunfu_parse_fn)(const char *body, size_t len, long http_status, void *out,
                                         struct cdr_error_info *err);
/* cdr__yunfu_get_taken with the token and parse. */
CDR_INTERNAL cdr_error cdr__yunfu_get_parsed(struct cdr_yunfu_client *c, const char *path,
                                             const char *query, cdr__yunfu_parse_fn parse,
                                             void *out, struct cdr_error_info *err);

#endif
