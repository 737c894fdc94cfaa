/* Downloading a recording: one GET of a signed OSS link (or the mock's stand-in for one), the body
 * handed to the caller's writer as it arrives so a long call never sits in memory whole. Only a
 * failed answer is kept, to read OSS's XML error document from it. The link is fetched as given:
 * it is signed for exactly its own bytes, and any change to it is a SignatureDoesNotMatch. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "internal.h"
#include "retry.h"

#define ERROR_BODY_LIMIT (64 * 1024) /* an error document is small; more is not one */

struct sink {
    cdr_aliyun_write_fn write;
    void *user;
    long status; /* known once the first body byte arrives */
    CURL *curl;
    uint64_t written;
    bool stopped; /* the writer asked to stop */
    struct cdr_buf error_body;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
    struct sink *s = user;
    size_t n = size * nmemb;
    if (!s->status)
        curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &s->status);
    if (s->status != 200) {
        if (s->error_body.len + n > ERROR_BODY_LIMIT)
            return 0;
        return cdr_buf_append(&s->error_body, data, n) ? n : 0;
    }
    if (s->write(s->user, data, n) != 0) {
        s->stopped = true;
        return 0;
    }
    s->written += n;
    return n;
}

/* The link without its query: what error messages may show of it (the query is a signature). */
static void link_for_messages(const char *url, char *out, size_t len)
{
    snprintf(out, len, "%.*s", (int)strcspn(url, "?#"), url);
}

static void apply_options(CURL *curl, const struct cdr_http_options *o)
{
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, o->timeout_ms);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "cdrsim/0.1");
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    if (o->insecure) {
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (o->ca_file)
        curl_easy_setopt(curl, CURLOPT_CAINFO, o->ca_file);
}

/* What a failed answer says: OSS's XML error (or the gateway's), else the bare status. */
static cdr_error answer_error(struct sink *s, const char *where, struct cdr_error_info *err)
{
    cJSON *root = NULL;
    cdr_error rc = s->error_body.len ? cdr__aliyun_parse_root(s->error_body.data, s->error_body.len,
                                                              s->status, &root, err)
                                     : CDR_ERR_HTTP;
    cJSON_Delete(root);
    if (rc == CDR_OK || !s->error_body.len || (err && !err->vendor_code[0]))
        rc = cdr_error_set(err, s->status == 404 ? CDR_ERR_NOT_FOUND : CDR_ERR_HTTP,
                           "%s: HTTP %ld without the error document of the storage", where,
                           s->status);
    if (err)
        err->http_status = s->status;
    return rc;
}

/* One GET of the link; *status is the answer's (0 for none). */
static cdr_error download_once(struct cdr_aliyun_client *c, const char *url, const char *where,
                               cdr_aliyun_write_fn write, void *user, uint64_t *bytes, long *status,
                               struct cdr_error_info *err)
{
    /* libcurl's global state is set up once for the process by the client's own transport. */
    struct sink s = {.write = write, .user = user, .curl = curl_easy_init()};
    cdr_buf_init(&s.error_body);
    if (!s.curl)
        return cdr_error_set(err, CDR_ERR_TRANSPORT, "curl_easy_init failed");
    apply_options(s.curl, cdr__aliyun_http_options(c));
    curl_easy_setopt(s.curl, CURLOPT_URL, url);
    curl_easy_setopt(s.curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(s.curl, CURLOPT_WRITEDATA, &s);
    CURLcode rc = curl_easy_perform(s.curl);
    if (!s.status)
        curl_easy_getinfo(s.curl, CURLINFO_RESPONSE_CODE, &s.status);
    cdr_error result = CDR_OK;
    if (s.stopped)
        result = cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "%s: stopped by the caller", where);
    else if (rc == CURLE_OPERATION_TIMEDOUT)
        result = cdr_error_set(err, CDR_ERR_TIMEOUT, "%s: %s", where, curl_easy_strerror(rc));
    else if (rc == CURLE_WRITE_ERROR && s.status != 200)
        result = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                               "%s: HTTP %ld with an error body over %d bytes", where, s.status,
                               ERROR_BODY_LIMIT);
    else if (rc != CURLE_OK)
        result = cdr_error_set(err, CDR_ERR_TRANSPORT, "%s: %s", where, curl_easy_strerror(rc));
    else if (s.status != 200)
        result = answer_error(&s, where, err);
    else
        cdr_error_clear(err);
    *bytes = s.written;
    *status = s.status;
    cdr_buf_free(&s.error_body);
    curl_easy_cleanup(s.curl);
    return result;
}

cdr_error cdr_aliyun_download(struct cdr_aliyun_client *c, const char *url,
                              cdr_aliyun_write_fn write, void *user, uint64_t *bytes,
                              struct cdr_error_info *err)
{
    if (bytes)
        *bytes = 0;
    if (!c || !url || !*url || !write)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client, link or writer");
    char where[512];
    link_for_messages(url, where, sizeof(where));
    /* A storage that throttles (HTTP 429, nothing written yet) is asked again after the backoff,
     * as a throttled page is. */
    struct cdr__retry retry;
    cdr__retry_init(&retry, cdr__aliyun_http_options(c));
    for (;;) {
        uint64_t written = 0;
        long status = 0;
        cdr_error rc = download_once(c, url, where, write, user, &written, &status, err);
        if (bytes)
            *bytes = written;
        if (status != 429 || written)
            return rc;
        char why[600];
        snprintf(why, sizeof(why), "%s: the storage is busy", where);
        cdr_error_set_vendor(err, CDR_ERR_RATE_LIMITED, 429, "", why);
        if (!cdr__retry_pause(&retry, -1, CDR_ERR_RATE_LIMITED, err))
            return CDR_ERR_RATE_LIMITED;
    }
}
