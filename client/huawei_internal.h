/* Shared by client/huawei.c (the session) and client/huawei_record.c (envelope and calls). */
#ifndef CDRSIM_CLIENT_HUAWEI_INTERNAL_H
#define CDRSIM_CLIENT_HUAWEI_INTERNAL_H

#include <cJSON.h>

#include "cdrsim/huawei.h"

/* Parses a body into *root and checks its retcode: CDR_OK only for "0" (string or number), with
 * *root then owned by the caller. Otherwise *root is NULL and err says why, keeping the vendor's
 * retcode and message. */
cdr_error huawei_parse_envelope(const char *body, size_t len, cJSON **root,
                                struct cdr_error_info *err);

/* The calls of a calldata answer's `result` (null, an object or an array). */
cdr_error huawei_result_calls(const cJSON *root, struct cdr_record **recs, size_t *count,
                              struct cdr_error_info *err);

#endif
