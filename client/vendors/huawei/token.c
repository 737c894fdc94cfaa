/* The API Fabric's token for the CC-Management calls: bought with the app's AK/SK from
 * tokenByAkSk, carried as "Authorization: Bearer <AccessToken>", renewed a margin before it
 * expires (measured on the client's clock from when it arrived), and renewed once more when the
 * server refuses it anyway (HTTP 401 or 403: a server clock ahead, a reset, a revoked token).
 * Nothing here prints the secret or the token. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cdrsim/buf.h"
#include "internal.h"
#include "json_get.h"

#define TOKEN_PATH "/apigovernance/api/oauth/tokenByAkSk"

void cdr_huawei_history_options_default(struct cdr_huawei_history_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->refresh_margin = 60;
    cdr_http_options_default(&opts->http);
}

void cdr_huawei_history_filter_init(struct cdr_huawei_history_filter *f)
{
    memset(f, 0, sizeof(*f));
    f->start_time = f->end_time = CDR_TIME_NONE;
}

static int64_t now_s(const struct cdr_huawei_history *h)
{
    return h->clock ? h->clock(h->clock_user) : (int64_t)time(NULL);
}

/* Text that can go into a header line as it is. */
static bool header_safe(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return false;
    return true;
}

struct cdr_huawei_history *cdr_huawei_history_new(const struct cdr_huawei_history_options *opts,
                                                  struct cdr_error_info *err)
{
    if (!opts || !opts->base_url || !opts->app_key || !opts->app_key[0] || !opts->app_secret ||
        !opts->app_secret[0]) {
        cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                      "base URL, app key and app secret are required");
        return NULL;
    }
    if (!header_safe(opts->app_key)) {
        cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "the app key contains control characters");
        return NULL;
    }
    if (opts->token_lifetime < 0 || opts->token_lifetime > 3600 || opts->refresh_margin < 0) {
        cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                      "the token lifetime is 1 to 3600 s (0: the server's), the margin positive");
        return NULL;
    }
    struct cdr_huawei_history *h = calloc(1, sizeof(*h));
    if (!h) {
        cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        return NULL;
    }
    h->base = cdr__json_base_url(opts->base_url);
    h->token_base = cdr__json_base_url(opts->token_url ? opts->token_url : opts->base_url);
    h->app_key = strdup(opts->app_key);
    h->app_secret = strdup(opts->app_secret);
    h->lifetime = opts->token_lifetime;
    h->margin = opts->refresh_margin;
    h->offset = opts->offset;
    h->unchecked = opts->unchecked;
    h->clock = opts->clock;
    h->clock_user = opts->clock_user;
    if (!h->base || !h->token_base || !h->app_key || !h->app_secret) {
        cdr_huawei_history_free(h);
        cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        return NULL;
    }
    if (!(h->http = cdr_http_new(&opts->http, err))) {
        cdr_huawei_history_free(h);
        return NULL;
    }
    return h;
}

void cdr_huawei_history_free(struct cdr_huawei_history *h)
{
    if (!h)
        return;
    cdr_http_free(h->http);
    free(h->base);
    free(h->token_base);
    free(h->app_key);
    if (h->app_secret) /* it is a secret: not left behind in freed memory */
        memset(h->app_secret, 0, strlen(h->app_secret));
    free(h->app_secret);
    cdr_huawei_token_free(&h->token);
    free(h);
}

/* ---- the token ------------------------------------------------------------------------------- */

static cdr_error fetch_token(struct cdr_huawei_history *h, struct cdr_error_info *err)
{
    cdr_huawei_token_free(&h->token);
    char *body = cdr__huawei_token_body(h->app_key, h->app_secret);
    struct cdr_buf url, expire;
    cdr_buf_init(&url);
    cdr_buf_init(&expire);
    cdr_buf_printf(&url, "%s%s", h->token_base, TOKEN_PATH);
    cdr_buf_printf(&expire, "X-Token-Expire: %lld", (long long)h->lifetime);
    cdr_error rc;
    if (!body || url.failed || expire.failed) {
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    } else {
        const char *headers[] = {"Content-Type: application/json", expire.data};
        /* Not retried on its own: a refused AK/SK stays refused. */
        struct cdr_http_request req = {"POST", url.data,     headers, h->lifetime ? 2 : 1,
                                       body,   strlen(body), false};
        struct cdr_http_response resp;
        int64_t asked_at = now_s(h);
        rc = cdr_http_send(h->http, &req, &resp, err);
        if (rc == CDR_OK) {
            rc = resp.status == 200
                     ? cdr__huawei_parse_token(resp.body, resp.body_len, &h->token, err)
                     : cdr__huawei_gateway_error(&resp, "tokenByAkSk", err);
            cdr_http_response_free(&resp);
        }
        /* Renewed a margin before it runs out, counted from when it was asked for; a token
         * shorter than the margin is used once and renewed for the next call. */
        if (rc == CDR_OK)
            h->token_renew_at = asked_at + h->token.expires_in - h->margin;
    }
    if (body) {
        memset(body, 0, strlen(body));
        free(body);
    }
    cdr_buf_free(&url);
    cdr_buf_free(&expire);
    return rc;
}

cdr_error cdr__huawei_ensure_token(struct cdr_huawei_history *h, bool fresh,
                                   struct cdr_error_info *err)
{
    if (!fresh && h->token.access_token && now_s(h) < h->token_renew_at)
        return CDR_OK;
    return fetch_token(h, err);
}

cdr_error cdr_huawei_history_token(struct cdr_huawei_history *h, bool fresh,
                                   struct cdr_huawei_token *out, struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (!h)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing history client");
    cdr_error rc = cdr__huawei_ensure_token(h, fresh, err);
    if (rc != CDR_OK)
        return rc;
    const struct cdr_huawei_token *t = &h->token;
    const char *texts[] = {t->access_token, t->apply_type, t->scope, t->app_key, t->user_id};
    char **copies[] = {&out->access_token, &out->apply_type, &out->scope, &out->app_key,
                       &out->user_id};
    for (size_t i = 0; i < 5; i++)
        if (texts[i] && !(*copies[i] = strdup(texts[i]))) {
            cdr_huawei_token_free(out);
            return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        }
    out->create_time = t->create_time;
    out->expires_in = t->expires_in;
    return CDR_OK;
}

/* ---- an authorized request ------------------------------------------------------------------- */

static cdr_error post_once(struct cdr_huawei_history *h, const char *path, const char *body,
                           struct cdr_http_response *resp, struct cdr_error_info *err)
{
    struct cdr_buf url, auth, key;
    cdr_buf_init(&url);
    cdr_buf_init(&auth);
    cdr_buf_init(&key);
    cdr_buf_printf(&url, "%s%s", h->base, path);
    cdr_buf_printf(&auth, "Authorization: Bearer %s", h->token.access_token);
    cdr_buf_printf(&key, "X-APP-Key: %s", h->app_key);
    cdr_error rc;
    if (url.failed || auth.failed || key.failed) {
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    } else {
        const char *headers[] = {auth.data, key.data, "Content-Type: application/json"};
        /* Queries change nothing: a lost answer may be asked for again. */
        struct cdr_http_request req = {"POST", url.data, headers, 3, body, strlen(body), true};
        rc = cdr_http_send(h->http, &req, resp, err);
    }
    cdr_buf_free(&url);
    cdr_buf_free(&auth);
    cdr_buf_free(&key);
    return rc;
}

cdr_error cdr__huawei_fabric_post(struct cdr_huawei_history *h, const char *path, const char *body,
                                  struct cdr_http_response *resp, struct cdr_error_info *err)
{
    cdr_error rc = cdr__huawei_ensure_token(h, false, err);
    if (rc != CDR_OK || (rc = post_once(h, path, body, resp, err)) != CDR_OK)
        return rc;
    if (resp->status != 401 && resp->status != 403)
        return CDR_OK;
    /* Refused: one fresh token, one more try; its answer is the answer. */
    cdr_http_response_free(resp);
    if ((rc = cdr__huawei_ensure_token(h, true, err)) != CDR_OK)
        return rc;
    return post_once(h, path, body, resp, err);
}
