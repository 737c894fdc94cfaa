/* Shared by the files of client/vendors/aliyun/. The order is one-way: fields.c (what each
 * argument is) and record.c (one CallDetailRecord) <- parse.c (pages and error documents) <-
 * sign.c (canonical strings and signatures) <- request.c (parameters and the signed request) <-
 * client.c (the client over HTTP) <- descriptor.c (the vendor and its generic calls). */
#ifndef CDRSIM_CLIENT_ALIYUN_INTERNAL_H
#define CDRSIM_CLIENT_ALIYUN_INTERNAL_H

#include <cJSON.h>

#include "cdrsim/aliyun.h"
#include "vendor_ops.h"

/* descriptor.c: the vendor; fields.c: its arguments, ending with a row whose name is NULL. */
CDR_INTERNAL extern const struct cdr_vendor cdr__aliyun_vendor;
CDR_INTERNAL extern const struct cdr_field cdr__aliyun_fields[];

/* record.c: one CallDetailRecord object into the normalized record. */
CDR_INTERNAL cdr_error cdr__aliyun_normalize(const cJSON *r, struct cdr_record *out,
                                             struct cdr_error_info *err);

/* request.c: who signs, and what goes on the wire (URL, headers and body, all owned). */
struct cdr__aliyun_signer {
    const char *base_url; /* without a trailing '/' */
    const char *host;     /* what V3 signs and the Host header carries */
    const char *key_id;
    const char *secret;
    const char *token; /* STS token, or NULL */
};
struct cdr__aliyun_wire {
    char *url;
    char *body;
    char *headers[12];
    size_t header_count;
    bool failed; /* out of memory somewhere: nothing may be sent */
};
/* One page's request for the filter, signed with the given timestamp and nonce. */
CDR_INTERNAL void cdr__aliyun_build(const struct cdr__aliyun_signer *who,
                                    enum cdr_aliyun_signing signing, const char *method,
                                    const struct cdr_aliyun_filter *f, int64_t page_no,
                                    int64_t page_size, const char *timestamp, const char *nonce,
                                    struct cdr__aliyun_wire *w);
CDR_INTERNAL void cdr__aliyun_wire_free(struct cdr__aliyun_wire *w);

#endif
