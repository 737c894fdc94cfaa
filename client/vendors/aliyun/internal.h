/* Shared by the files of client/vendors/aliyun/. The order is one-way: fields.c (what each
 * argument is) and record.c (one CallDetailRecord) <- parse.c (pages and error documents) <-
 * answers.c (the recording and transcript actions' answers) <- sign.c (canonical strings and
 * signatures) <- request.c (parameters and the signed request) <- client.c (the client over HTTP)
 * <- recordings.c (the recording and transcript calls), download.c (fetching a recording) <-
 * descriptor.c (the vendor and its generic calls). */
#ifndef CDRSIM_CLIENT_ALIYUN_INTERNAL_H
#define CDRSIM_CLIENT_ALIYUN_INTERNAL_H

#include <cJSON.h>

#include "cdrsim/aliyun.h"
#include "vendor_ops.h"

/* descriptor.c: the vendor; fields.c: its arguments, ending with a row whose name is NULL. */
CDR_INTERNAL extern const struct cdr_vendor cdr__aliyun_vendor;
CDR_INTERNAL extern const struct cdr_field cdr__aliyun_fields[];

/* record.c: one CallDetailRecord object into the normalized record; the second without raw_json
 * unless keep_raw. */
CDR_INTERNAL cdr_error cdr__aliyun_normalize(const cJSON *r, struct cdr_record *out,
                                             struct cdr_error_info *err);
CDR_INTERNAL cdr_error cdr__aliyun_normalize_record(const cJSON *r, bool keep_raw,
                                                    struct cdr_record *out,
                                                    struct cdr_error_info *err);

/* parse.c: cdr_aliyun_parse_page, its records without raw_json unless keep_raw. */
CDR_INTERNAL cdr_error cdr__aliyun_parse_page(const char *body, size_t len, long http_status,
                                              bool keep_raw, struct cdr_aliyun_page *out,
                                              struct cdr_error_info *err);

/* parse.c: whether a JSON answer is a success, whatever form its Code takes (absent, "Success",
 * "success", "OK", "200" or 200, as @alicloud/pop-core accepts them) and its Success flag and
 * HTTP status agree; otherwise the error, with the vendor's code and message. */
CDR_INTERNAL cdr_error cdr__aliyun_check_code(const cJSON *root, long http_status,
                                              struct cdr_error_info *err);
/* parse.c: rc, with the answer's HTTP status noted in err when it failed and none is yet. */
CDR_INTERNAL cdr_error cdr__aliyun_with_status(cdr_error rc, long http_status,
                                               struct cdr_error_info *err);
/* parse.c: body as a JSON object, or the error an XML or unreadable body stands for (*root NULL).
 * Caller deletes *root. */
CDR_INTERNAL cdr_error cdr__aliyun_parse_root(const char *body, size_t len, long http_status,
                                              cJSON **root, struct cdr_error_info *err);

/* request.c: name/value pairs with owned strings, an action's own parameters. */
struct cdr__aliyun_params {
    struct cdr_param *items;
    size_t count;
    bool failed; /* out of memory somewhere: nothing may be sent */
};
CDR_INTERNAL void cdr__aliyun_params_add(struct cdr__aliyun_params *p, const char *name,
                                         const char *value);
CDR_INTERNAL void cdr__aliyun_params_free(struct cdr__aliyun_params *p);
/* HotlineSessionQuery's parameters for one page of the filter. */
CDR_INTERNAL void cdr__aliyun_filter_params(struct cdr__aliyun_params *p,
                                            const struct cdr_aliyun_filter *f, int64_t page_no,
                                            int64_t page_size);

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
/* One signed request of action with its parameters (copied), signed with the given timestamp
 * and nonce. */
CDR_INTERNAL void cdr__aliyun_build(const struct cdr__aliyun_signer *who,
                                    enum cdr_aliyun_signing signing, const char *method,
                                    const char *action, const struct cdr__aliyun_params *params,
                                    const char *timestamp, const char *nonce,
                                    struct cdr__aliyun_wire *w);
CDR_INTERNAL void cdr__aliyun_wire_free(struct cdr__aliyun_wire *w);

/* client.c: one action, signed afresh for each attempt; parse reads the final answer into out
 * (reset with reset before another attempt). */
typedef cdr_error (*cdr__aliyun_parse_fn)(const char *body, size_t len, long http_status, void *out,
                                          struct cdr_error_info *err);
CDR_INTERNAL cdr_error cdr__aliyun_call(struct cdr_aliyun_client *c, const char *action,
                                        const struct cdr__aliyun_params *params,
                                        cdr__aliyun_parse_fn parse, void (*reset)(void *out),
                                        void *out, struct cdr_error_info *err);
/* client.c: the transport options the client was made with, the default InstanceId (or NULL). */
CDR_INTERNAL const struct cdr_http_options *
cdr__aliyun_http_options(const struct cdr_aliyun_client *c);
CDR_INTERNAL const char *cdr__aliyun_instance(const struct cdr_aliyun_client *c);

#endif
