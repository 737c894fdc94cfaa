/* The AICCS client: builds and signs HotlineSessionQuery requests (V3 or V2, GET or POST), sends
 * them, and pages through every record. Each attempt is signed afresh: the server refuses a
 * resent nonce as a replay, so the HTTP layer's own retries are never used. */
#include <inttypes.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cdrsim/aliyun.h"
#include "cdrsim/buf.h"
#include "cdrsim/timefmt.h"
#include "json_get.h"

struct cdr_aliyun_client {
    struct cdr_http *http;
    char *base_url; /* without a trailing '/' */
    char *host;     /* host[:port] of base_url: what V3 signs and the Host header carries */
    char *key_id;
    char *secret;
    char *token;
    enum cdr_aliyun_signing signing;
    bool use_get;
    int max_retries;
    long backoff_ms;
    cdr_clock_fn clock;
    void *clock_user;
    cdr_aliyun_nonce_fn nonce;
    void *nonce_user;
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
    c->base_url = json_base_url(opts->base_url);
    c->host = host_of(opts->base_url); /* before trailing slashes go: "http://" has no host */
    c->key_id = strdup(opts->access_key_id);
    c->secret = strdup(opts->access_key_secret);
    c->token = opts->security_token ? strdup(opts->security_token) : NULL;
    c->signing = opts->signing;
    c->use_get = opts->use_get;
    c->max_retries = opts->http.max_retries > 0 ? opts->http.max_retries : 0;
    c->backoff_ms = opts->http.retry_backoff_ms > 0 ? opts->http.retry_backoff_ms : 0;
    c->clock = opts->clock ? opts->clock : wall_clock;
    c->clock_user = opts->clock_user;
    c->nonce = opts->nonce ? opts->nonce : random_nonce;
    c->nonce_user = opts->nonce_user;
    if (!c->base_url || !c->host || !c->key_id || !c->secret ||
        (opts->security_token && !c->token)) {
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
    free(c);
}

/* ---- parameters ------------------------------------------------------------------------------ */

/* Name/value pairs with owned strings. */
struct params {
    struct cdr_param *items;
    size_t count;
    bool failed;
};

static void add(struct params *p, const char *name, const char *value)
{
    if (p->failed)
        return;
    struct cdr_param *grown = realloc(p->items, (p->count + 1) * sizeof(*grown));
    char *n = strdup(name), *v = strdup(value);
    if (!grown || !n || !v) {
        if (grown)
            p->items = grown;
        free(n);
        free(v);
        p->failed = true;
        return;
    }
    p->items = grown;
    p->items[p->count++] = (struct cdr_param){n, v};
}

static void add_int(struct params *p, const char *name, int64_t v)
{
    char text[24];
    snprintf(text, sizeof(text), "%" PRId64, v);
    add(p, name, text);
}

static void add_list(struct params *p, const char *base, const char *const *texts, const int *ints,
                     const int64_t *longs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char name[96], value[24];
        snprintf(name, sizeof(name), "%s.%zu", base, i + 1);
        if (texts) {
            add(p, name, texts[i]);
        } else {
            snprintf(value, sizeof(value), "%" PRId64, ints ? (int64_t)ints[i] : longs[i]);
            add(p, name, value);
        }
    }
}

static void params_free(struct params *p)
{
    for (size_t i = 0; i < p->count; i++) {
        free((char *)p->items[i].name);
        free((char *)p->items[i].value);
    }
    free(p->items);
    memset(p, 0, sizeof(*p));
}

static void add_filter(struct params *p, const struct cdr_aliyun_filter *f, int64_t page_no,
                       int64_t page_size)
{
    add(p, "InstanceId", f->instance_id);
    add_int(p, "PageNo", page_no);
    add_int(p, "PageSize", page_size);
    if (f->start_ms != CDR_TIME_NONE)
        add_int(p, "QueryStartTime", f->start_ms);
    if (f->end_ms != CDR_TIME_NONE)
        add_int(p, "QueryEndTime", f->end_ms);
    const struct {
        const char *name, *value;
    } texts[] = {
        {"Id", f->id},
        {"Acid", f->acid},
        {"CallingNumber", f->calling_number},
        {"CalledNumber", f->called_number},
        {"GroupName", f->group_name},
        {"MemberId", f->member_id},
        {"MemberName", f->member_name},
        {"ServicerId", f->servicer_id},
        {"ServicerName", f->servicer_name},
        {"CallResult", f->call_result},
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        if (texts[i].value)
            add(p, texts[i].name, texts[i].value);
    if (f->has_call_type)
        add_int(p, "CallType", f->call_type);
    if (f->has_group_id)
        add_int(p, "GroupId", f->group_id);
    add_list(p, "AcidList", f->acid_list, NULL, NULL, f->acid_list_count);
    add_list(p, "CallTypeList", NULL, f->call_type_list, NULL, f->call_type_list_count);
    add_list(p, "GroupIdList", NULL, NULL, f->group_id_list, f->group_id_list_count);
    add_list(p, "CallingNumberList", f->calling_number_list, NULL, NULL,
             f->calling_number_list_count);
    add_list(p, "CalledNumberList", f->called_number_list, NULL, NULL, f->called_number_list_count);
    add_list(p, "MemberIdList", f->member_id_list, NULL, NULL, f->member_id_list_count);
    add_list(p, "ServicerIdList", f->servicer_id_list, NULL, NULL, f->servicer_id_list_count);
    add_list(p, "CallResultList", f->call_result_list, NULL, NULL, f->call_result_list_count);
}

/* ---- one signed request ---------------------------------------------------------------------- */

/* What goes on the wire: URL, headers and body, all owned. */
struct wire {
    char *url;
    char *body;
    char *headers[12];
    size_t header_count;
    bool failed;
};

static void wire_header(struct wire *w, const char *name, const char *value)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "%s: %s", name, value);
    if (b.failed || w->header_count == sizeof(w->headers) / sizeof(w->headers[0])) {
        cdr_buf_free(&b);
        w->failed = true;
        return;
    }
    w->headers[w->header_count++] = cdr_buf_steal(&b);
}

static void wire_free(struct wire *w)
{
    free(w->url);
    free(w->body);
    for (size_t i = 0; i < w->header_count; i++)
        free(w->headers[i]);
    memset(w, 0, sizeof(*w));
}

static char *joined(const char *a, const char *sep, const char *b)
{
    struct cdr_buf buf;
    cdr_buf_init(&buf);
    cdr_buf_printf(&buf, "%s%s%s", a, sep, b);
    return cdr_buf_steal(&buf);
}

static void sign_v2(const struct cdr_aliyun_client *c, const char *method, struct params *p,
                    const char *timestamp, const char *nonce, struct wire *w)
{
    add(p, "AccessKeyId", c->key_id);
    add(p, "Action", CDR_ALIYUN_ACTION);
    add(p, "Format", "JSON");
    add(p, "SignatureMethod", "HMAC-SHA1");
    add(p, "SignatureNonce", nonce);
    add(p, "SignatureVersion", "1.0");
    add(p, "Timestamp", timestamp);
    add(p, "Version", CDR_ALIYUN_VERSION);
    if (c->token)
        add(p, "SecurityToken", c->token);
    char *sts = p->failed ? NULL : cdr_aliyun_v2_string_to_sign(method, p->items, p->count);
    char *signature = sts ? cdr_aliyun_v2_signature(c->secret, sts) : NULL;
    char *query = signature ? cdr_canonical_query(p->items, p->count) : NULL;
    char *encoded = query ? cdr_percent_encode(signature, strlen(signature)) : NULL;
    char *form = encoded ? joined(query, "&Signature=", encoded) : NULL;
    if (form && strcmp(method, "GET") == 0) {
        w->url = joined(c->base_url, "/?", form);
    } else if (form) {
        w->url = joined(c->base_url, "/", "");
        w->body = form;
        form = NULL;
        wire_header(w, "Content-Type", "application/x-www-form-urlencoded");
    }
    w->failed |= !w->url;
    free(sts);
    free(signature);
    free(query);
    free(encoded);
    free(form);
}

static void sign_v3(const struct cdr_aliyun_client *c, const char *method, struct params *p,
                    const char *timestamp, const char *nonce, struct wire *w)
{
    /* As the official V3 clients do for RPC: parameters in the query, an empty body. Format is
     * sent too, so a server that ignores Accept still answers JSON. */
    add(p, "Format", "JSON");
    char *payload = cdr_sha256_hex("", 0);
    bool post = strcmp(method, "POST") == 0;
    struct cdr_param headers[8] = {
        {"host", c->host},
        {"x-acs-action", CDR_ALIYUN_ACTION},
        {"x-acs-version", CDR_ALIYUN_VERSION},
        {"x-acs-date", timestamp},
        {"x-acs-signature-nonce", nonce},
        {"x-acs-content-sha256", payload},
    };
    size_t n = 6;
    if (c->token)
        headers[n++] = (struct cdr_param){"x-acs-security-token", c->token};
    if (post) /* curl would add one anyway; signing it is what the SDKs do */
        headers[n++] = (struct cdr_param){"content-type", "application/x-www-form-urlencoded"};
    char *signed_headers = NULL;
    char *canonical =
        payload && !p->failed
            ? cdr_aliyun_v3_canonical_request(method, "/", p->items, p->count, headers, n, NULL,
                                              payload, &signed_headers)
            : NULL;
    char *sts = canonical ? cdr_aliyun_v3_string_to_sign(canonical) : NULL;
    char *signature = sts ? cdr_aliyun_v3_signature(c->secret, sts) : NULL;
    char *query = signature ? cdr_canonical_query(p->items, p->count) : NULL;
    if (query) {
        w->url = joined(c->base_url, "/?", query);
        for (size_t i = 0; i < n; i++)
            wire_header(w, headers[i].name, headers[i].value);
        struct cdr_buf auth;
        cdr_buf_init(&auth);
        cdr_buf_printf(&auth, "%s Credential=%s,SignedHeaders=%s,Signature=%s",
                       CDR_ALIYUN_V3_ALGORITHM, c->key_id, signed_headers, signature);
        wire_header(w, "Authorization", auth.data ? auth.data : "");
        w->failed |= auth.failed;
        cdr_buf_free(&auth);
        if (post)
            w->body = strdup("");
        w->failed |= post && !w->body;
    }
    w->failed |= !w->url;
    free(payload);
    free(signed_headers);
    free(canonical);
    free(sts);
    free(signature);
    free(query);
}

/* Signs and sends one attempt; on CDR_OK resp holds whatever HTTP answer came back. */
static cdr_error send_once(struct cdr_aliyun_client *c, const struct cdr_aliyun_filter *f,
                           int64_t page_no, int64_t page_size, struct cdr_http_response *resp,
                           struct cdr_error_info *err)
{
    char timestamp[CDR_RFC3339_LEN + 1], nonce[64] = "";
    cdr_time_format_rfc3339(c->clock(c->clock_user), timestamp);
    c->nonce(c->nonce_user, nonce);
    if (!nonce[0])
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "no SignatureNonce could be made");
    const char *method = c->use_get ? "GET" : "POST";
    struct params p = {0};
    struct wire w = {0};
    add_filter(&p, f, page_no, page_size);
    if (c->signing == CDR_ALIYUN_SIGN_V2)
        sign_v2(c, method, &p, timestamp, nonce, &w);
    else
        sign_v3(c, method, &p, timestamp, nonce, &w);
    wire_header(&w, "Accept", "application/json");
    cdr_error rc;
    if (p.failed || w.failed) {
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    } else {
        struct cdr_http_request req = {method,         w.url,  (const char *const *)w.headers,
                                       w.header_count, w.body, w.body ? strlen(w.body) : 0,
                                       false};
        rc = cdr_http_send(c->http, &req, resp, err);
    }
    params_free(&p);
    wire_free(&w);
    return rc;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
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
    long backoff = c->backoff_ms;
    for (int attempt = 0;; attempt++) {
        struct cdr_http_response resp;
        cdr_error rc = send_once(c, f, page_no, page_size, &resp, err);
        bool retry = rc == CDR_ERR_TRANSPORT;
        if (rc == CDR_OK) {
            rc = cdr_aliyun_parse_page(resp.body, resp.body_len, resp.status, out, err);
            /* 5xx is worth another try, except for a tenant that does not exist. */
            retry = rc != CDR_OK && resp.status >= 500 &&
                    !(err && strcmp(err->vendor_code, "NoTenantFound") == 0);
            cdr_http_response_free(&resp);
        }
        if (!retry || attempt >= c->max_retries)
            return rc;
        cdr_aliyun_page_free(out);
        if (backoff > 0) {
            sleep_ms(backoff);
            backoff *= 2;
        }
    }
}

/* ---- every page ------------------------------------------------------------------------------ */

cdr_error cdr_aliyun_fetch_all(struct cdr_aliyun_client *c, const struct cdr_aliyun_filter *f,
                               int64_t page_size, cdr_record_fn on_record,
                               cdr_aliyun_progress_fn on_progress, void *user,
                               struct cdr_error_info *err)
{
    if (!c || !f || !on_record)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client, filter or callback");
    struct cdr_aliyun_progress progress = {0, 0, 0, 0};
    for (int64_t page = 1;; page++) {
        struct cdr_aliyun_page p;
        cdr_error rc = cdr_aliyun_query_page(c, f, page, page_size, &p, err);
        if (rc != CDR_OK)
            return rc;
        bool stop = false;
        for (size_t i = 0; i < p.record_count && !stop; i++) {
            progress.records_seen++;
            stop = on_record(user, &p.records[i]) != 0;
        }
        int64_t delivered = (page - 1) * page_size + (int64_t)p.record_count;
        progress.page = page;
        progress.total_count = p.total_count;
        progress.pages = p.total_count / page_size + (p.total_count % page_size != 0);
        bool more = delivered < p.total_count;
        bool short_page = more && (int64_t)p.record_count < page_size;
        size_t got = p.record_count;
        cdr_aliyun_page_free(&p);
        if (on_progress)
            on_progress(user, &progress);
        if (stop || !more)
            return CDR_OK;
        /* Asking for the next PageNo would skip what the server left out of this one. */
        if (short_page)
            return cdr_error_set(
                err, CDR_ERR_MALFORMED_RESPONSE,
                "page %lld holds %zu of %lld records before TotalCount %lld is reached",
                (long long)page, got, (long long)page_size, (long long)progress.total_count);
    }
}
