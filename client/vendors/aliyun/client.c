/* The AICCS client: builds and signs requests of any action (V3 or V2, GET or POST), sends them,
 * and pages HotlineSessionQuery through every record. Each attempt is signed afresh: the server
 * refuses a resent nonce as a replay, so the HTTP layer's own retries are never used; this client
 * retries itself, under the caller's retry policy (client/retry.h). */
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cdrsim/timefmt.h"
#include "internal.h"
#include "json_get.h"
#include "page_guard.h"
#include "retry.h"

struct cdr_aliyun_client {
    struct cdr_http *http;
    char *base_url; /* without a trailing '/' */
    char *host;     /* host[:port] of base_url: what V3 signs and the Host header carries */
    char *key_id;
    char *secret;
    char *token;
    char *instance_id; /* for cdr_aliyun_record_recordings, or NULL */
    /* As given, ca_file copied: downloads use them, and every call's retry policy (see the file
     * comment) is read from them. */
    struct cdr_http_options http_opts;
    char *ca_file;
    enum cdr_aliyun_signing signing;
    bool use_get;
    cdr_clock_fn clock;
    void *clock_user;
    cdr_aliyun_nonce_fn nonce;
    void *nonce_user;
    bool skip_raw;
};

void cdr_aliyun_options_default(struct cdr_aliyun_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    cdr_http_options_default(&opts->http);
}

void cdr_aliyun_filter_init(struct cdr_aliyun_filter *f)
{
    memset(f, 0, sizeof(*f));
    f->start_ms = f->end_ms = CDR_TIME_NONE;
}

static int64_t wall_clock(void *user)
{
    (void)user;
    return (int64_t)time(NULL);
}

static void random_nonce(void *user, char out[64])
{
    (void)user;
    unsigned char bytes[16];
    static const char hex[] = "0123456789abcdef";
    if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
        out[0] = '\0'; /* caught by the caller: an empty nonce is never sent */
        return;
    }
    for (size_t i = 0; i < sizeof(bytes); i++) {
        out[2 * i] = hex[bytes[i] >> 4];
        out[2 * i + 1] = hex[bytes[i] & 15];
    }
    out[32] = '\0';
}

static char *host_of(const char *url)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    return strndup(p, strcspn(p, "/?#"));
}

struct cdr_aliyun_client *cdr_aliyun_client_new(const struct cdr_aliyun_options *opts,
                                                struct cdr_error_info *err)
{
    if (!opts || !opts->base_url || !opts->access_key_id || !opts->access_key_secret ||
        !opts->access_key_id[0]) {
        cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                      "base URL, AccessKeyId and AccessKeySecret are required");
        return NULL;
    }
    struct cdr_aliyun_client *c = calloc(1, sizeof(*c));
    if (!c) {
        cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        return NULL;
    }
    c->base_url = cdr__json_base_url(opts->base_url);
    c->host = host_of(opts->base_url); /* before trailing slashes go: "http://" has no host */
    c->key_id = strdup(opts->access_key_id);
    c->secret = strdup(opts->access_key_secret);
    c->token = opts->security_token ? strdup(opts->security_token) : NULL;
    c->instance_id = opts->instance_id ? strdup(opts->instance_id) : NULL;
    c->http_opts = opts->http;
    c->ca_file = opts->http.ca_file ? strdup(opts->http.ca_file) : NULL;
    c->http_opts.ca_file = c->ca_file;
    c->signing = opts->signing;
    c->use_get = opts->use_get;
    c->clock = opts->clock ? opts->clock : wall_clock;
    c->clock_user = opts->clock_user;
    c->nonce = opts->nonce ? opts->nonce : random_nonce;
    c->nonce_user = opts->nonce_user;
    c->skip_raw = opts->skip_raw;
    if (!c->base_url || !c->host || !c->key_id || !c->secret ||
        (opts->security_token && !c->token) || (opts->instance_id && !c->instance_id) ||
        (opts->http.ca_file && !c->ca_file)) {
        cdr_aliyun_client_free(c);
        cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        return NULL;
    }
    if (!c->host[0]) {
        cdr_aliyun_client_free(c);
        cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "base URL without a host");
        return NULL;
    }
    struct cdr_http_options http = opts->http;
    http.max_retries = 0; /* see the file comment */
    c->http = cdr_http_new(&http, err);
    if (!c->http) {
        cdr_aliyun_client_free(c);
        return NULL;
    }
    return c;
}

void cdr_aliyun_client_free(struct cdr_aliyun_client *c)
{
    if (!c)
        return;
    cdr_http_free(c->http);
    free(c->base_url);
    free(c->host);
    free(c->key_id);
    free(c->secret);
    free(c->token);
    free(c->instance_id);
    free(c->ca_file);
    free(c);
}

const struct cdr_http_options *cdr__aliyun_http_options(const struct cdr_aliyun_client *c)
{
    return &c->http_opts;
}

const char *cdr__aliyun_instance(const struct cdr_aliyun_client *c)
{
    return c->instance_id;
}

/* Signs and sends one attempt; on CDR_OK resp holds whatever HTTP answer came back. */
static cdr_error send_once(struct cdr_aliyun_client *c, const char *action,
                           const struct cdr__aliyun_params *params, struct cdr_http_response *resp,
                           struct cdr_error_info *err)
{
    char timestamp[CDR_RFC3339_LEN + 1], nonce[64] = "";
    cdr_time_format_rfc3339(c->clock(c->clock_user), timestamp);
    c->nonce(c->nonce_user, nonce);
    if (!nonce[0])
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "no SignatureNonce could be made");
    const struct cdr__aliyun_signer who = {c->base_url, c->host, c->key_id, c->secret, c->token};
    const char *method = c->use_get ? "GET" : "POST";
    struct cdr__aliyun_wire w;
    cdr__aliyun_build(&who, c->signing, method, action, params, timestamp, nonce, &w);
    cdr_error rc;
    if (w.failed) {
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    } else {
        struct cdr_http_request req = {method,         w.url,  (const char *const *)w.headers,
                                       w.header_count, w.body, w.body ? strlen(w.body) : 0,
                                       false};
        rc = cdr_http_send(c->http, &req, resp, err);
    }
    cdr__aliyun_wire_free(&w);
    return rc;
}

/* Whether a refused answer is worth signing afresh and sending again (every action this client
 * calls is a read): Throttling.*; a 5xx (SystemError, ServiceUnavailable) unless the tenant does
 * not exist; and SignatureNonceUsed on a nonce of our own making. A fresh random nonce is never
 * used twice by us, so the gateway saw this very request before: libcurl sends a request again
 * by itself when a kept-alive connection dies before any answer, and a proxy may replay one. A
 * caller's own nonce function may repeat on purpose, and then the refusal stands. */
static bool transient(const struct cdr_aliyun_client *c, cdr_error rc, long status,
                      const char *code)
{
    if (rc == CDR_ERR_RATE_LIMITED)
        return true;
    if (status >= 500)
        return strcmp(code, "NoTenantFound") != 0;
    return c->nonce == random_nonce && strcmp(code, "SignatureNonceUsed") == 0;
}

cdr_error cdr__aliyun_call(struct cdr_aliyun_client *c, const char *action,
                           const struct cdr__aliyun_params *params, cdr__aliyun_parse_fn parse,
                           void (*reset)(void *out), void *out, struct cdr_error_info *err)
{
    struct cdr__retry retry;
    cdr__retry_init(&retry, &c->http_opts);
    /* The vendor's code decides a retry, so it is read even when the caller wants no details. */
    struct cdr_error_info local;
    struct cdr_error_info *e = err ? err : &local;
    for (;;) {
        struct cdr_http_response resp;
        cdr_error rc = send_once(c, action, params, &resp, e);
        bool again = rc == CDR_ERR_TRANSPORT;
        long server_ms = -1;
        if (rc == CDR_OK) {
            rc = parse(resp.body, resp.body_len, resp.status, out, e);
            again = rc != CDR_OK && transient(c, rc, resp.status, e->vendor_code);
            server_ms = cdr_http_retry_after_ms(&resp);
            cdr_http_response_free(&resp);
        }
        if (!again || !cdr__retry_pause(&retry, server_ms, rc, e))
            return rc;
        reset(out);
    }
}

static cdr_error parse_page(const char *body, size_t len, long http_status, void *out,
                            struct cdr_error_info *err)
{
    return cdr__aliyun_parse_page(body, len, http_status, true, out, err);
}

static cdr_error parse_page_without_raw(const char *body, size_t len, long http_status, void *out,
                                        struct cdr_error_info *err)
{
    return cdr__aliyun_parse_page(body, len, http_status, false, out, err);
}

static void reset_page(void *out)
{
    cdr_aliyun_page_free(out);
}

cdr_error cdr_aliyun_query_page(struct cdr_aliyun_client *c, const struct cdr_aliyun_filter *f,
                                int64_t page_no, int64_t page_size, struct cdr_aliyun_page *out,
                                struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (!c || !f || !f->instance_id)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client, filter or InstanceId");
    if (page_no < 1 || page_size < 1 || page_no > INT32_MAX || page_size > INT32_MAX)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                             "PageNo and PageSize must be 1..2147483647");
    struct cdr__aliyun_params params = {0};
    cdr__aliyun_filter_params(&params, f, page_no, page_size);
    cdr_error rc =
        cdr__aliyun_call(c, CDR_ALIYUN_ACTION, &params,
                         c->skip_raw ? parse_page_without_raw : parse_page, reset_page, out, err);
    cdr__aliyun_params_free(&params);
    return rc;
}

/* ---- every page ------------------------------------------------------------------------------ */

cdr_error cdr_aliyun_fetch_all(struct cdr_aliyun_client *c, const struct cdr_aliyun_filter *f,
                               int64_t page_size, cdr_record_fn on_record,
                               cdr_aliyun_progress_fn on_progress, void *user,
                               struct cdr_error_info *err)
{
    if (!c || !f || !on_record)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client, filter or callback");
    struct cdr__page_guard guard;
    cdr__page_guard_init(&guard);
    struct cdr__page_sink sink = {on_record, user, 0, false};
    struct cdr_aliyun_progress progress = {0, 0, 0, 0};
    cdr_error rc = CDR_OK;
    bool complete = false;
    /* TotalCount ends the paging: each page before it holds at least one new record (the guard
     * refuses an empty or short one), so a server cannot keep the loop going for free. */
    for (int64_t page = 1; rc == CDR_OK && !sink.stopped && !complete; page++) {
        struct cdr_aliyun_page p;
        if ((rc = cdr_aliyun_query_page(c, f, page, page_size, &p, err)) != CDR_OK)
            break;
        const struct cdr__page_seen seen = {
            page, page_size, p.page_number, p.page_size, p.total_count, p.record_count, 0};
        rc = cdr__page_guard_page(&guard, &seen, err);
        if (rc == CDR_OK)
            rc = cdr__page_guard_deliver(&guard, p.records, p.record_count, NULL, NULL, &sink, err);
        progress.page = page;
        progress.total_count = p.total_count;
        progress.pages =
            page_size > 0 ? p.total_count / page_size + (p.total_count % page_size != 0) : 0;
        progress.records_seen = sink.delivered;
        cdr_aliyun_page_free(&p);
        if (on_progress && rc == CDR_OK)
            on_progress(user, &progress);
        complete = cdr__page_guard_complete(&guard);
    }
    if (rc == CDR_OK && complete)
        rc = cdr__page_guard_end_run(&guard, err);
    cdr__page_guard_free(&guard);
    return rc;
}
