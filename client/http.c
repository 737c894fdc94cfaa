#include "cdrsim/http.h"

#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cdrsim/buf.h"
#include "retry.h"

#define DEFAULT_MAX_RESPONSE ((size_t)64 * 1024 * 1024)

struct cdr_http {
    CURL *curl;
    struct cdr_http_options opts;
    char *ca_file;
    long last_retry_after_ms; /* of the last answer received, -1 for none */
};

struct transfer {
    struct cdr_buf body;
    size_t limit;
    bool too_large;
    struct cdr_http_header *headers;
    size_t header_count;
    bool headers_failed;
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_result = CURLE_OK;

/* curl_global_init is not thread-safe; run it exactly once for the process. */
static void global_init(void)
{
    global_result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

void cdr_http_options_default(struct cdr_http_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->connect_timeout_ms = 5000;
    opts->timeout_ms = 30000;
    opts->max_retries = 2;
    opts->retry_backoff_ms = 200;
    opts->max_wait_ms = 60000;
    opts->max_response_bytes = DEFAULT_MAX_RESPONSE;
}

static void configure_handle(struct cdr_http *http);

struct cdr_http *cdr_http_new(const struct cdr_http_options *opts, struct cdr_error_info *err)
{
    pthread_once(&global_once, global_init);
    if (global_result != CURLE_OK) {
        cdr_error_set(err, CDR_ERR_TRANSPORT, "curl_global_init: %s",
                      curl_easy_strerror(global_result));
        return NULL;
    }
    struct cdr_http *http = calloc(1, sizeof(*http));
    if (!http) {
        cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        return NULL;
    }
    if (opts)
        http->opts = *opts;
    else
        cdr_http_options_default(&http->opts);
    if (http->opts.ca_file && !(http->ca_file = strdup(http->opts.ca_file))) {
        free(http);
        cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        return NULL;
    }
    http->opts.ca_file = http->ca_file;
    http->last_retry_after_ms = -1;
    http->curl = curl_easy_init();
    if (!http->curl) {
        cdr_http_free(http);
        cdr_error_set(err, CDR_ERR_TRANSPORT, "curl_easy_init failed");
        return NULL;
    }
    configure_handle(http);
    return http;
}

void cdr_http_free(struct cdr_http *http)
{
    if (!http)
        return;
    if (http->curl)
        curl_easy_cleanup(http->curl);
    free(http->ca_file);
    free(http);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
    struct transfer *t = user;
    size_t n = size * nmemb;
    if (t->body.len + n > t->limit) {
        t->too_large = true;
        return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
    }
    return cdr_buf_append(&t->body, data, n) ? n : 0;
}

static void free_headers(struct cdr_http_header *headers, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(headers[i].name);
        free(headers[i].value);
    }
    free(headers);
}

/* Room for the body a Content-Length announces (within the limit), so that a large answer is not
 * copied again each time its buffer doubles. A length that does not parse reserves nothing. */
static void reserve_body(struct transfer *t, const char *text, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9' || n > t->limit / 10)
            return;
        n = n * 10 + (size_t)(text[i] - '0');
    }
    if (len && n <= t->limit && n > t->body.len)
        cdr_buf_reserve(&t->body, n - t->body.len);
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *user)
{
    struct transfer *t = user;
    size_t n = size * nmemb;
    /* A new status line starts a new response (after 100 Continue or a redirect): keep only the
     * headers of the final one. */
    if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) {
        free_headers(t->headers, t->header_count);
        t->headers = NULL;
        t->header_count = 0;
        return n;
    }
    const char *colon = memchr(data, ':', n);
    if (!colon)
        return n;
    const char *v = colon + 1, *end = data + n;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
        end--;
    if ((size_t)(colon - data) == 14 && strncasecmp(data, "Content-Length", 14) == 0)
        reserve_body(t, v, (size_t)(end - v));
    struct cdr_http_header *grown = realloc(t->headers, (t->header_count + 1) * sizeof(*grown));
    if (!grown) {
        t->headers_failed = true;
        return 0;
    }
    t->headers = grown;
    struct cdr_http_header *h = &grown[t->header_count];
    h->name = strndup(data, (size_t)(colon - data));
    h->value = strndup(v, (size_t)(end - v));
    if (!h->name || !h->value) {
        free(h->name);
        free(h->value);
        t->headers_failed = true;
        return 0;
    }
    t->header_count++;
    return n;
}

static bool retryable_curl(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
        return true;
    default:
        return false;
    }
}

/* What stays the same for every request of a handle, set once. The handle is never
 * curl_easy_reset: libcurl 7.88 drops (and leaks) the cookie-file list on a reset, and a reset
 * would switch the cookie engine off between the requests of a session. */
static void configure_handle(struct cdr_http *http)
{
    CURL *c = http->curl;
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, http->opts.connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, http->opts.timeout_ms);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "cdrsim/0.1");
    /* A page of records (100 KB and more) read in a few recv(2) calls and body callbacks rather
     * than one per 16 KiB. */
    curl_easy_setopt(c, CURLOPT_BUFFERSIZE, 256L * 1024);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    if (http->opts.insecure) {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (http->opts.ca_file)
        curl_easy_setopt(c, CURLOPT_CAINFO, http->opts.ca_file);
    if (http->opts.cookies)
        curl_easy_setopt(c, CURLOPT_COOKIEFILE, ""); /* in-memory cookie engine */
}

/* What one request sets; every option a previous request may have set is set again. */
static void configure(struct cdr_http *http, const struct cdr_http_request *req,
                      struct curl_slist *headers, struct transfer *t)
{
    CURL *c = http->curl;
    curl_easy_setopt(c, CURLOPT_URL, req->url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, t);
    const char *method = req->method ? req->method : "GET";
    bool post = strcmp(method, "POST") == 0;
    if (req->body || post) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body ? req->body : "");
    } else {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L); /* forgets a previous request's body */
    }
    bool plain_get = strcmp(method, "GET") == 0 && !req->body;
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, post || plain_get ? NULL : method);
}

static void transfer_reset(struct transfer *t, size_t limit)
{
    cdr_buf_free(&t->body);
    free_headers(t->headers, t->header_count);
    memset(t, 0, sizeof(*t));
    t->limit = limit;
}

/* A transport error or timeout, naming the URL with its secrets redacted. */
static cdr_error failed(struct cdr_error_info *err, cdr_error code, const char *url, CURLcode rc)
{
    char *shown = cdr_http_redact_url(url);
    cdr_error_set(err, code, "%s: %s", shown ? shown : "(URL withheld)", curl_easy_strerror(rc));
    free(shown);
    return code;
}

/* Delay-seconds or an HTTP date in a Retry-After header, as milliseconds from when the answer was
 * sent (its Date header; now when it has none); -1 when absent or unreadable. */
static long retry_after(const struct cdr_http_header *headers, size_t count)
{
    const char *value = NULL, *date = NULL;
    for (size_t i = 0; i < count; i++) {
        if (strcasecmp(headers[i].name, "Retry-After") == 0)
            value = headers[i].value;
        else if (strcasecmp(headers[i].name, "Date") == 0)
            date = headers[i].value;
    }
    if (!value || !*value)
        return -1;
    if (strspn(value, "0123456789") == strlen(value)) {
        errno = 0;
        unsigned long long seconds = strtoull(value, NULL, 10);
        return errno || seconds > (unsigned long long)LONG_MAX / 1000 ? LONG_MAX
                                                                      : (long)seconds * 1000;
    }
    time_t at = curl_getdate(value, NULL);
    if (at == (time_t)-1)
        return -1;
    time_t sent = date ? curl_getdate(date, NULL) : (time_t)-1;
    if (sent == (time_t)-1)
        sent = time(NULL);
    if (at <= sent)
        return 0;
    double ms = difftime(at, sent) * 1000.0;
    return ms >= (double)LONG_MAX ? LONG_MAX : (long)ms;
}

long cdr_http_retry_after_ms(const struct cdr_http_response *resp)
{
    return resp ? retry_after(resp->headers, resp->header_count) : -1;
}

/* The final answer into resp (taking the transfer's body and headers), seen by the observer. */
static cdr_error deliver(struct cdr_http *http, const struct cdr_http_request *req, long status,
                         struct transfer *t, struct cdr_http_response *resp,
                         struct cdr_error_info *err)
{
    cdr_error_clear(err); /* an earlier attempt may have failed */
    if (http->opts.observer) {
        const char *type = NULL;
        curl_easy_getinfo(http->curl, CURLINFO_CONTENT_TYPE, &type);
        struct cdr_http_exchange x = {
            req->method ? req->method : "GET", req->url,   req->body, req->body_len, status, type,
            t->body.data ? t->body.data : "",  t->body.len};
        http->opts.observer(http->opts.observer_user, &x);
    }
    http->last_retry_after_ms = retry_after(t->headers, t->header_count);
    resp->status = status;
    resp->body_len = t->body.len;
    resp->body = cdr_buf_steal(&t->body);
    resp->headers = t->headers;
    resp->header_count = t->header_count;
    t->headers = NULL;
    t->header_count = 0;
    if (!resp->body) {
        free_headers(resp->headers, resp->header_count);
        memset(resp, 0, sizeof(*resp));
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    }
    return CDR_OK;
}

const struct cdr_http_options *cdr__http_options(const struct cdr_http *http)
{
    return &http->opts;
}

long cdr__http_last_retry_after_ms(const struct cdr_http *http)
{
    return http->last_retry_after_ms;
}

cdr_error cdr_http_send(struct cdr_http *http, const struct cdr_http_request *req,
                        struct cdr_http_response *resp, struct cdr_error_info *err)
{
    if (!http || !req || !req->url || !resp)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing request or URL");
    memset(resp, 0, sizeof(*resp));
    struct curl_slist *headers = NULL;
    for (size_t i = 0; i < req->header_count; i++) {
        struct curl_slist *next = curl_slist_append(headers, req->headers[i]);
        if (!next) {
            curl_slist_free_all(headers);
            return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        }
        headers = next;
    }
    /* curl would otherwise wait for 100 Continue on larger bodies; the vendors never send it. */
    struct curl_slist *next = curl_slist_append(headers, "Expect:");
    if (!next) {
        curl_slist_free_all(headers);
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    }
    headers = next;

    struct transfer t;
    memset(&t, 0, sizeof(t));
    struct cdr__retry retry;
    cdr__retry_init(&retry, &http->opts);
    if (!req->idempotent)
        retry.max_retries = 0;
    http->last_retry_after_ms = -1;
    cdr_error result = CDR_OK;
    int attempt = 0;
    for (;;) {
        attempt++;
        transfer_reset(&t, http->opts.max_response_bytes ? http->opts.max_response_bytes
                                                         : DEFAULT_MAX_RESPONSE);
        configure(http, req, headers, &t);
        CURLcode rc = curl_easy_perform(http->curl);
        long status = 0;
        curl_easy_getinfo(http->curl, CURLINFO_RESPONSE_CODE, &status);
        bool retry_it = false;
        if (rc == CURLE_OK) {
            retry_it = status >= 500;
            result = CDR_OK;
        } else if (t.too_large) {
            result = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                                   "response body larger than %zu bytes", t.limit);
        } else if (t.body.failed || t.headers_failed) {
            result = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory reading the response");
        } else if (rc == CURLE_OPERATION_TIMEDOUT) {
            /* A connect timeout is a connection error worth retrying; a server that accepted the
             * request and then stalled is not (it may be working on it). */
            curl_off_t connected_us = 0;
            curl_easy_getinfo(http->curl, CURLINFO_CONNECT_TIME_T, &connected_us);
            retry_it = connected_us == 0;
            result = failed(err, CDR_ERR_TIMEOUT, req->url, rc);
        } else {
            retry_it = retryable_curl(rc);
            result = failed(err, CDR_ERR_TRANSPORT, req->url, rc);
        }
        if (retry_it && result == CDR_OK) {
            /* A 5xx is an answer, not an error: what the pause is for, told in a local. */
            struct cdr_error_info answer;
            cdr_error_set(&answer, CDR_ERR_HTTP, "HTTP %ld", status);
            answer.http_status = status;
            retry_it = cdr__retry_pause(&retry, retry_after(t.headers, t.header_count),
                                        CDR_ERR_HTTP, &answer);
        } else if (retry_it) {
            retry_it = cdr__retry_pause(&retry, -1, result, err);
        }
        if (retry_it)
            continue;
        if (result == CDR_OK)
            result = deliver(http, req, status, &t, resp, err);
        resp->attempts = attempt;
        break;
    }
    transfer_reset(&t, 0);
    curl_slist_free_all(headers);
    return result;
}

const char *cdr_http_response_header(const struct cdr_http_response *resp, const char *name)
{
    const char *found = NULL;
    for (size_t i = 0; i < resp->header_count; i++)
        if (strcasecmp(resp->headers[i].name, name) == 0)
            found = resp->headers[i].value;
    return found;
}

void cdr_http_response_free(struct cdr_http_response *resp)
{
    if (!resp)
        return;
    free(resp->body);
    free_headers(resp->headers, resp->header_count);
    memset(resp, 0, sizeof(*resp));
}
