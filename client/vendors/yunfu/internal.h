/* Shared by the files of client/vendors/yunfu/. The order is one-way: fields.c (what each argument
 * is) and record.c (one call record) <- parse.c (the envelope, lists, details, the token) <-
 * request.c (paths and query strings) <- client.c (the client over HTTP) <- descriptor.c (the
 * vendor and its generic calls). */
#ifndef CDRSIM_CLIENT_YUNFU_INTERNAL_H
#define CDRSIM_CLIENT_YUNFU_INTERNAL_H

#include <cJSON.h>

#include "cdrsim/yunfu.h"
#include "vendor_ops.h"

/* descriptor.c: the vendor; fields.c: its arguments, ending with a row whose name is NULL. */
CDR_INTERNAL extern const struct cdr_vendor cdr__yunfu_vendor;
CDR_INTERNAL extern const struct cdr_field cdr__yunfu_fields[];

/* record.c: one record object into the normalized record. */
CDR_INTERNAL cdr_error cdr__yunfu_normalize(const cJSON *r, struct cdr_record *out,
                                            struct cdr_error_info *err);

/* request.c: "/agent-api/user/{id}/task/{task_id}/detail/{record_id}" and its query string
 * (sub_user_id, when given; "" otherwise). Caller frees; NULL when out of memory. */
CDR_INTERNAL char *cdr__yunfu_detail_path(const char *user_id, const char *task_id,
                                          const char *record_id);
CDR_INTERNAL char *cdr__yunfu_detail_query(const char *sub_user_id);

#endif
