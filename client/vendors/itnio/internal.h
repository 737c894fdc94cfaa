/* Shared by the files of client/vendors/itnio/. The order is one-way: fields.c (what each argument
 * is) and record.c (one call record) <- parse.c (answers) <- request.c (bodies and signing) <-
 * client.c (the client over HTTP) <- descriptor.c (the vendor and its generic calls). */
#ifndef CDRSIM_CLIENT_ITNIO_INTERNAL_H
#define CDRSIM_CLIENT_ITNIO_INTERNAL_H

#include <cJSON.h>

#include "cdrsim/itnio.h"
#include "vendor_ops.h"

/* descriptor.c: the vendor; fields.c: its arguments, ending with a row whose name is NULL. */
CDR_INTERNAL extern const struct cdr_vendor cdr__itnio_vendor;
CDR_INTERNAL extern const struct cdr_field cdr__itnio_fields[];

/* record.c: one record object of a query answer into the normalized record. */
CDR_INTERNAL cdr_error cdr__itnio_normalize(const cJSON *r, struct cdr_record *out,
                                            struct cdr_error_info *err);

/* parse.c: a /v3/cc/seatGroup/query or /v3/cc/seat/query answer; groups picks which. */
CDR_INTERNAL cdr_error cdr__itnio_parse_list(const char *body, size_t len, bool groups,
                                             struct cdr_itnio_list_page *out,
                                             struct cdr_error_info *err);

/* request.c: the bodies of the agent-group and agent queries (NULL / < 0 leave a filter out).
 * Caller frees; NULL when out of memory. */
CDR_INTERNAL char *cdr__itnio_groups_body(const char *group_name, int64_t current, int64_t size);
CDR_INTERNAL char *cdr__itnio_seats_body(int64_t voice_group_id, const char *name, int64_t current,
                                         int64_t size);

#endif
