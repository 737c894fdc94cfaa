/* Who may call. The AgentGateway: the agent's password at sign-in, then the Guid header on every
 * later request. Under AUTHMODE 1 the sign-in Guid holds for the whole session; under AUTHMODE 2
 * each Guid is refused GUIDTIMEOUT after issue, and the one it replaced keeps working until its own
 * expiry (docs/vendors/huawei.md, sessions and authentication). The API Fabric: an app's AK/SK
 * buys an AccessToken, which every /apiaccess call carries as "Authorization: Bearer <token>"
 * until it expires on the mock's clock. Recording URLs are signed the same way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/sign.h"
#include "internal.h"

bool huawei_password_matches(const struct mock_request *req, const struct huawei_agent *agent,
                             const char *password)
{
    bool ok = agent && strcmp(agent->password, password) == 0;
    if (!agent)
        mock_request_auth(req, false, "no such agent");
    else
        mock_request_auth(req, ok, ok ? "password of agent %s" : "wrong password for agent %s",
                          agent->workno);
    return ok;
}

static void note_cookie(struct huawei_agent *agent, const struct mock_request *req)
{
    const char *cookie = mock_request_header(req, "Cookie");
    if (!cookie || (agent->cookie_seen && strcmp(agent->cookie_seen, cookie) == 0))
        return;
    free(agent->cookie_seen);
    agent->cookie_seen = strndup(cookie, 256); /* a view for tests, not a store for hostile input */
}

const char *huawei_check_guid(const struct huawei_state *st, struct huawei_agent *agent,
                              const struct mock_request *req, int64_t now_ms)
{
    if (!agent || agent->session != HUAWEI_SIGNED_IN) {
        if (agent)
            mock_request_auth(req, false, "agent %s is not signed in", agent->workno);
        else
            mock_request_auth(req, false, "no such agent");
        return HUAWEI_NOT_SIGNED_IN;
    }
    note_cookie(agent, req);
    const char *guid = mock_request_header(req, "Guid");
    if (!guid || !*guid) {
        mock_request_auth(req, false, "missing Guid header");
        return HUAWEI_NO_PERMISSION;
    }
    /* Static auth never expires a Guid; dynamic auth refuses each GUIDTIMEOUT after issue. */
    long long age_s = (long long)(now_ms - agent->guid_issued_ms) / 1000;
    if (strcmp(guid, agent->guid) == 0) {
        bool fresh = !st->dynamic_auth || now_ms < agent->guid_issued_ms + HUAWEI_GUID_TIMEOUT_MS;
        if (fresh)
            mock_request_auth(req, true, "the session's current Guid, issued %lld s ago", age_s);
        else
            mock_request_auth(req, false,
                              "expired Guid: issued %lld s ago, refused %d s after issue "
                              "(AUTHMODE 2); a poll hands out the next one",
                              age_s, HUAWEI_GUID_TIMEOUT_MS / 1000);
        return fresh ? NULL : HUAWEI_NO_PERMISSION;
    }
    if (agent->prev_guid[0] && strcmp(guid, agent->prev_guid) == 0) {
        bool fresh = now_ms < agent->prev_guid_expires_ms;
        long long left_s = (long long)(agent->prev_guid_expires_ms - now_ms) / 1000;
        mock_request_auth(req, fresh,
                          fresh ? "the session's previous Guid, accepted %lld s more"
                                : "expired Guid: the session's previous one, refused for %lld s",
                          fresh ? left_s : -left_s);
        return fresh ? NULL : HUAWEI_NO_PERMISSION;
    }
    mock_request_auth(req, false,
                      "unknown Guid: neither the current nor the previous one of agent %s's "
                      "session (another session's, or one from before a sign-in)",
                      agent->workno);
    return HUAWEI_NO_PERMISSION;
}

/* ---- the API Fabric -------------------------------------------------------------------------- */

const struct huawei_app *huawei_app_matching(const struct huawei_state *st, const char *key,
                                             const char *secret)
{
    for (size_t i = 0; i < st->app_count; i++)
        if (strcmp(st->apps[i].key, key) == 0)
            return strcmp(st->apps[i].secret, secret) == 0 ? &st->apps[i] : NULL;
    return NULL;
}

static const struct huawei_app *app_named(const struct huawei_state *st, const char *key)
{
    for (size_t i = 0; i < st->app_count; i++)
        if (strcmp(st->apps[i].key, key) == 0)
            return &st->apps[i];
    return NULL;
}

/* HMAC-SHA256 of text under the state's key (made from the mock's random numbers on first use, so
 * a reset, which builds a new state, forgets every token), as 32 hex digits. */
static void sign_text(struct huawei_state *st, const struct mock_env *env, const char *text,
                      char out[33])
{
    pthread_mutex_lock(&st->lock);
    if (!st->url_key_set) {
        for (size_t i = 0; i < sizeof(st->url_key); i += 8) {
            uint64_t r = mock_shared_rng_next(env->rng);
            memcpy(st->url_key + i, &r, 8);
        }
        st->url_key_set = true;
    }
    unsigned char mac[CDR_SHA256_LEN];
    cdr_hmac_sha256(st->url_key, sizeof(st->url_key), text, strlen(text), mac);
    pthread_mutex_unlock(&st->lock);
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < 16; i++) {
        out[2 * i] = hex[mac[i] >> 4];
        out[2 * i + 1] = hex[mac[i] & 15];
    }
    out[32] = '\0';
}

char *huawei_issue_token(struct huawei_state *st, const struct mock_env *env,
                         const struct huawei_app *app, int64_t expires_ms)
{
    /* <hex of the app key>.<expiry, epoch ms>.<nonce>.<signature of the rest> */
    char *app_hex = cdr_hex_encode((const unsigned char *)app->key, strlen(app->key));
    char nonce[17];
    mock_shared_rng_hex(env->rng, nonce, 16, 0);
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "%s.%lld.%s", app_hex ? app_hex : "", (long long)expires_ms, nonce);
    free(app_hex);
    if (!app_hex || b.failed) {
        cdr_buf_free(&b);
        return NULL;
    }
    char mac[33];
    sign_text(st, env, b.data, mac);
    cdr_buf_printf(&b, ".%s", mac);
    return cdr_buf_steal(&b);
}

/* The app key hex-encoded in a token's first part, into out; false when it is not hex. */
static bool unhex(const char *hex, size_t n, char *out, size_t len)
{
    if (n % 2 || n / 2 >= len)
        return false;
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v = 0;
        for (size_t j = 0; j < 2; j++) {
            char c = hex[2 * i + j];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0)
                return false;
            v = v * 16 + (unsigned)d;
        }
        if (!v)
            return false;
        out[i] = (char)v;
    }
    out[n / 2] = '\0';
    return true;
}

enum huawei_bearer huawei_check_bearer(struct huawei_state *st, const struct mock_env *env,
                                       const struct mock_request *req)
{
    const char *auth = mock_request_header(req, "Authorization");
    /* "Bearer {AccessToken}" with one space, as the pages spell it. */
    if (!auth || strncmp(auth, "Bearer ", 7) != 0 || strlen(auth + 7) > 512)
        return HUAWEI_BEARER_INVALID;
    char token[520];
    snprintf(token, sizeof(token), "%s", auth + 7);
    char *mac = strrchr(token, '.');
    if (!mac || strlen(mac + 1) != 32)
        return HUAWEI_BEARER_INVALID;
    *mac++ = '\0';
    char want[33];
    sign_text(st, env, token, want);
    if (strcmp(want, mac) != 0)
        return HUAWEI_BEARER_INVALID;
    /* Signed by this state: the parts are the ones huawei_issue_token wrote. */
    char key[256];
    long long expires_ms = 0;
    const char *dot = strchr(token, '.');
    if (!dot || !unhex(token, (size_t)(dot - token), key, sizeof(key)) ||
        sscanf(dot + 1, "%lld", &expires_ms) != 1)
        return HUAWEI_BEARER_INVALID;
    const char *claimed = mock_request_header(req, "X-APP-Key");
    if (!app_named(st, key) || (claimed && strcmp(claimed, key) != 0))
        return HUAWEI_BEARER_INVALID;
    return mock_clock_now_ms(env->clock) < expires_ms ? HUAWEI_BEARER_OK : HUAWEI_BEARER_EXPIRED;
}

bool huawei_bearer_refused(struct huawei_state *st, const struct mock_env *env,
                           const struct mock_request *req, struct mock_response *resp)
{
    switch (huawei_check_bearer(st, env, req)) {
    case HUAWEI_BEARER_OK:
        mock_request_auth(req, true, "a valid AccessToken (Bearer)");
        return false;
    case HUAWEI_BEARER_EXPIRED:
        mock_request_auth(req, false, "the AccessToken has expired on the mock's clock");
        huawei_reply_gateway(env, resp, st->token_failure_status, "APIGW.0307",
                             "The token must be updated");
        return true;
    default:
        mock_request_auth(req, false,
                          "no AccessToken this mock issued (missing, malformed, from before a "
                          "reset, or another X-APP-Key)");
        huawei_reply_gateway(env, resp, st->token_failure_status, "APIGW.0301",
                             "Incorrect token or token resolution failed");
        return true;
    }
}

void huawei_sign_url(struct huawei_state *st, const struct mock_env *env, const char *object,
                     int64_t expires_s, char out[33])
{
    char text[128];
    snprintf(text, sizeof(text), "GET\n%lld\n%s", (long long)expires_s, object);
    sign_text(st, env, text, out);
}
