/* Who may call: the API lookup (Action, Version), then the credentials (with an STS token, sts.c),
 * the timestamp window, the signature (V3 from the Authorization header, V2 from the Signature
 * parameter), the flow control and finally the nonce, so a request refused for any other reason
 * does not burn its nonce. The strings to sign come from canonical.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cdrsim/timefmt.h"
#include "internal.h"

/* What the two schemes have in common once their fields are found. */
struct claims {
    const char *action;
    const char *version;
    const char *key_id;
    const char *timestamp;
    const char *nonce;
};

static bool present(const char *v)
{
    return v && *v;
}

/* An error of the credential, timestamp or signature checks, also the journal's verdict. (The
 * API lookup before them is not about the caller: it leaves no verdict.) */
static void refuse(const struct aliyun_reply *reply, struct mock_response *resp, int status,
                   const char *code, const char *message)
{
    aliyun_error(reply, resp, status, code, message);
    mock_auth_report(&resp->auth, false, "%s: %s", code, message);
}

static void refuse_missing(const struct aliyun_reply *reply, struct mock_response *resp,
                           const char *param)
{
    aliyun_error_missing(reply, resp, param);
    mock_auth_report(&resp->auth, false, "Missing%s: %s is mandatory for this action.", param,
                     param);
}

/* The credential lookup (sts.c) answered with its own error: the journal's verdict names it. */
static const struct aliyun_credential *credential_or_refuse(const struct aliyun_credential *cred,
                                                            struct mock_response *resp)
{
    if (!cred)
        mock_auth_report(&resp->auth, false, "%s: the AccessKeyId or its SecurityToken was refused",
                         resp->vendor_code);
    return cred;
}

/* The API lookup the gateway does before anything else. */
static bool check_api(const struct aliyun_state *st, const struct claims *c,
                      enum aliyun_action *action, const struct aliyun_reply *reply,
                      struct mock_response *resp)
{
    if (!present(c->action)) {
        aliyun_error_missing(reply, resp, "Action");
        return false;
    }
    if (!aliyun_action_find(c->action, action)) {
        aliyun_error(reply, resp, 404, "InvalidAction.NotFound",
                     "Specified api is not found, please check your url and method.");
        return false;
    }
    if (!present(c->version)) {
        aliyun_error_missing(reply, resp, "Version");
        return false;
    }
    if (strcmp(c->version, ALIYUN_VERSION) != 0) {
        aliyun_error(reply, resp, st->invalid_version_status, "InvalidVersion",
                     "Specified parameter Version is not valid.");
        return false;
    }
    return true;
}

static bool digits(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

/* "yyyy-MM-ddTHH:mm:ssZ", and unless the variant refuses them a fraction of a second after a '.'
 * (1 to 9 digits): what JavaScript's toISOString() sends ("…T10:00:00.973Z") passes the
 * gateway's format check in observed answers. A ',' decimal sign, which ISO 8601 also allows, is
 * refused: Java's ISO instant parser, and every client, use '.'. */
static bool timestamp_shaped(const char *t, bool fraction_allowed)
{
    size_t len = strlen(t);
    if (len < 20 || !digits(t, 4) || t[4] != '-' || !digits(t + 5, 2) || t[7] != '-' ||
        !digits(t + 8, 2) || t[10] != 'T' || !digits(t + 11, 2) || t[13] != ':' ||
        !digits(t + 14, 2) || t[16] != ':' || !digits(t + 17, 2) || t[len - 1] != 'Z')
        return false;
    if (len == 20)
        return true;
    size_t frac = len - 21; /* between the '.' and the 'Z' */
    return fraction_allowed && t[19] == '.' && frac >= 1 && frac <= 9 && digits(t + 20, frac);
}

/* The timestamp's form, then the window of the mock's clock. */
static bool check_time(const struct aliyun_state *st, const struct claims *c, int64_t now_ms,
                       int64_t *stamp_ms, const struct aliyun_reply *reply,
                       struct mock_response *resp)
{
    if (!present(c->timestamp)) {
        refuse_missing(reply, resp, "Timestamp");
        return false;
    }
    if (!timestamp_shaped(c->timestamp, !st->ms_timestamp_reject) ||
        !cdr_time_parse_rfc3339_ms(c->timestamp, stamp_ms)) {
        refuse(reply, resp, 400, "InvalidTimeStamp.Format",
               "Specified time stamp or date value is not well formatted.");
        return false;
    }
    int64_t skew = *stamp_ms - now_ms;
    if (skew > ALIYUN_WINDOW_MS || skew < -ALIYUN_WINDOW_MS) {
        aliyun_error(reply, resp, 400, "InvalidTimeStamp.Expired",
                     "Specified time stamp or date value is expired.");
        mock_auth_report(&resp->auth, false,
                         "InvalidTimeStamp.Expired: %s is %lld s %s the mock's clock; the window "
                         "is %lld s",
                         c->timestamp, (long long)(skew < 0 ? -skew : skew) / 1000,
                         skew < 0 ? "behind" : "ahead of", ALIYUN_WINDOW_MS / 1000);
        return false;
    }
    return true;
}

/* V2 wording: the server's string to sign after a colon. */
static void v2_signature_mismatch(const struct aliyun_reply *reply, struct mock_response *resp,
                                  const char *string_to_sign)
{
    struct cdr_buf m;
    cdr_buf_init(&m);
    cdr_buf_printf(
        &m, "Specified signature is not matched with our calculation. server string to sign is:%s",
        string_to_sign);
    aliyun_error(reply, resp, 400, "SignatureDoesNotMatch", m.data ? m.data : "");
    mock_auth_report(&resp->auth, false, "SignatureDoesNotMatch: the server's string to sign is %s",
                     string_to_sign);
    cdr_buf_free(&m);
}

/* V3 wording, as the gateway answers ACS3 requests: "does not match", the string to sign in
 * square brackets (its newline kept), and under the canonical_request variant the canonical
 * request after it. */
static void v3_signature_mismatch(const struct aliyun_state *st, const struct aliyun_reply *reply,
                                  struct mock_response *resp, const char *string_to_sign,
                                  const char *canonical)
{
    struct cdr_buf m;
    cdr_buf_init(&m);
    cdr_buf_printf(
        &m, "Specified signature does not match our calculation. server StringToSign is [%s]",
        string_to_sign);
    if (st->v3_mismatch_canonical)
        cdr_buf_printf(&m, " server CanonicalRequest is [%s]", canonical);
    aliyun_error(reply, resp, 400, "SignatureDoesNotMatch", m.data ? m.data : "");
    mock_auth_report(&resp->auth, false, "SignatureDoesNotMatch: the server's string to sign is %s",
                     string_to_sign);
    cdr_buf_free(&m);
}

static void incomplete_signature(const struct aliyun_reply *reply, struct mock_response *resp)
{
    refuse(reply, resp, 400, "IncompleteSignature",
           "The request signature does not conform to Aliyun standards.");
}

/* ---- V2: the Signature parameter ------------------------------------------------------------- */

/* Whose request it is and how it claims to be signed; NULL when answered with an error. */
static const struct aliyun_credential *v2_credential(const struct aliyun_state *st,
                                                     const struct aliyun_params *params,
                                                     const struct claims *c, int64_t now_ms,
                                                     const struct aliyun_reply *reply,
                                                     struct mock_response *resp)
{
    const char *method = aliyun_param_value(params, "SignatureMethod");
    const char *sig_version = aliyun_param_value(params, "SignatureVersion");
    if (!present(c->key_id)) {
        refuse_missing(reply, resp, "AccessKeyId");
        return NULL;
    }
    const struct aliyun_credential *cred = credential_or_refuse(
        aliyun_sts_credential(st, c->key_id, aliyun_param_value(params, "SecurityToken"), now_ms,
                              reply, resp),
        resp);
    if (!cred)
        return NULL;
    if (!present(method)) {
        refuse_missing(reply, resp, "SignatureMethod");
        return NULL;
    }
    if (strcmp(method, "HMAC-SHA1") != 0) {
        refuse(reply, resp, 400, "InvalidSignatureMethod",
               "Specified signature method is not valid.");
        return NULL;
    }
    if (!present(sig_version)) {
        refuse_missing(reply, resp, "SignatureVersion");
        return NULL;
    }
    if (strcmp(sig_version, "1.0") != 0) {
        refuse(reply, resp, 400, "InvalidSignatureVersion",
               "Specified signature version is not valid.");
        return NULL;
    }
    /* Observed: the gateway's common Missing{Parameter} answer, not IncompleteSignature. */
    if (!present(aliyun_param_value(params, "Signature"))) {
        refuse_missing(reply, resp, "Signature");
        return NULL;
    }
    return cred;
}

static bool verify_v2(const struct aliyun_credential *cred, const struct mock_request *req,
                      const struct aliyun_params *params, const struct aliyun_reply *reply,
                      struct mock_response *resp)
{
    char *sts = aliyun_v2_string_to_sign(req->method, params->items, params->count);
    char *expected = sts ? aliyun_v2_signature(cred->secret, sts) : NULL;
    bool ok = expected && aliyun_same_secret(expected, aliyun_param_value(params, "Signature"));
    if (!expected)
        aliyun_error_out_of_memory(resp);
    else if (!ok)
        v2_signature_mismatch(reply, resp, sts);
    else
        mock_auth_report(&resp->auth, true, "signature V2 (HMAC-SHA1) of AccessKeyId %s", cred->id);
    free(sts);
    free(expected);
    return ok;
}

/* ---- V3: Authorization: ACS3-HMAC-SHA256 Credential=...,SignedHeaders=...,Signature=... ------ */

/* The parts of the Authorization header, NUL-terminated in one copy of it (`text`). */
struct authorization {
    char *text;
    const char *algorithm;
    const char *credential;     /* NULL when missing */
    const char *signed_headers; /* NULL when missing */
    const char *signature;      /* NULL when missing */
};

static void authorization_free(struct authorization *a)
{
    free(a->text);
}

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/* s[0..len) without the blanks around it, NUL-terminated in place. */
static char *trim_in_place(char *s, size_t len)
{
    while (len && blank(*s)) {
        s++;
        len--;
    }
    while (len && blank(s[len - 1]))
        len--;
    s[len] = '\0';
    return s;
}

/* false only when out of memory; missing parts stay NULL. The first of a part sent twice counts. */
static bool parse_authorization(const char *header, struct authorization *a)
{
    memset(a, 0, sizeof(*a));
    while (*header == ' ')
        header++;
    if (!(a->text = strdup(header)))
        return false;
    char *p = a->text;
    size_t alg = strcspn(p, " ");
    bool more = p[alg] != '\0';
    p[alg] = '\0';
    a->algorithm = p;
    for (p += alg + more; *p;) {
        size_t len = strcspn(p, ",");
        bool last = p[len] == '\0';
        char *eq = memchr(p, '=', len);
        if (eq) {
            size_t name_len = (size_t)(eq - p);
            size_t value_len = len - name_len - 1;
            char *value = trim_in_place(eq + 1, value_len);
            char *name = trim_in_place(p, name_len);
            const char **slot = strcmp(name, "Credential") == 0      ? &a->credential
                                : strcmp(name, "SignedHeaders") == 0 ? &a->signed_headers
                                : strcmp(name, "Signature") == 0     ? &a->signature
                                                                     : NULL;
            if (slot && !*slot)
                *slot = value;
        }
        if (last)
            break;
        p += len + 1;
    }
    return true;
}

static bool in_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list;;) {
        size_t len = strcspn(p, ";");
        if (len == n && strncasecmp(p, name, n) == 0)
            return true;
        if (!p[len])
            return false;
        p += len + 1;
    }
}

/* The headers the V3 check reads, the ones every signature must cover first. */
enum v3_header {
    H_HOST,
    H_ACTION,
    H_VERSION,
    H_DATE,
    H_NONCE,
    H_CONTENT_SHA256,
    H_REQUIRED, /* the ones before it must be there and be signed */
    H_SECURITY_TOKEN = H_REQUIRED,
    H_COUNT
};

static const char *const v3_header_names[H_COUNT] = {"host",
                                                     "x-acs-action",
                                                     "x-acs-version",
                                                     "x-acs-date",
                                                     "x-acs-signature-nonce",
                                                     "x-acs-content-sha256",
                                                     "x-acs-security-token"};

/* The values of those headers (NULL when absent), found in one pass over the request's rather than
 * one pass each; the first of a name sent twice, as mock_request_header finds it. */
static void find_v3_headers(const struct mock_request *req, const char *found[H_COUNT])
{
    for (int h = 0; h < H_COUNT; h++)
        found[h] = NULL;
    for (size_t i = 0; i < req->header_count; i++) {
        const char *name = req->headers[i].name;
        bool common = strncasecmp(name, "x-acs-", 6) == 0;
        for (int h = common ? H_ACTION : H_HOST; h < (common ? H_COUNT : H_ACTION); h++)
            if (strcasecmp(name + (common ? 6 : 0), v3_header_names[h] + (common ? 6 : 0)) == 0) {
                if (!found[h])
                    found[h] = req->headers[i].value;
                break;
            }
    }
}

/* Every common header the request carries must be signed, and the required ones must be there. */
static bool headers_complete(const struct mock_request *req, const char *const found[H_COUNT],
                             const char *signed_headers)
{
    for (int h = 0; h < H_REQUIRED; h++)
        if (!found[h] || !in_list(signed_headers, v3_header_names[h]))
            return false;
    for (size_t i = 0; i < req->header_count; i++)
        if (strncasecmp(req->headers[i].name, "x-acs-", 6) == 0 &&
            !in_list(signed_headers, req->headers[i].name))
            return false;
    return true;
}

/* The SHA-256 of an empty body, which most V3 calls send (the RPC parameters go in the query). */
static const char empty_sha256[] =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/* Requests carry a few dozen headers at most: up to this many go to the canonicaliser from the
 * stack, more from the heap. */
#define HEADERS_ON_STACK 128

static bool verify_v3(const struct aliyun_state *st, const struct aliyun_credential *cred,
                      const struct mock_request *req, const struct aliyun_params *params,
                      const struct authorization *auth, const struct aliyun_reply *reply,
                      struct mock_response *resp)
{
    struct aliyun_param few[HEADERS_ON_STACK];
    struct aliyun_param *headers =
        req->header_count <= HEADERS_ON_STACK ? few : malloc(req->header_count * sizeof(*headers));
    char payload[2 * CDR_SHA256_LEN + 1];
    if (req->body_len == 0) {
        memcpy(payload, empty_sha256, sizeof(payload));
    } else {
        unsigned char digest[CDR_SHA256_LEN];
        aliyun_sha256(req->body, req->body_len, digest);
        cdr_hex_write(digest, sizeof(digest), payload);
    }
    char *canonical = NULL;
    if (headers) {
        for (size_t i = 0; i < req->header_count; i++)
            headers[i] = (struct aliyun_param){req->headers[i].name, req->headers[i].value};
        /* The body is covered by its hash; only the query is canonicalized. */
        struct aliyun_v3_request signed_request = {
            .method = req->method,
            .uri = "/",
            .query = params->items,
            .query_count = params->query_count,
            .headers = headers,
            .header_count = req->header_count,
            .signed_headers = auth->signed_headers,
            .hashed_payload = payload,
        };
        canonical = aliyun_v3_canonical_request(&signed_request);
    }
    char sts[ALIYUN_V3_STS_SIZE], expected[2 * CDR_SHA256_LEN + 1];
    if (canonical) {
        aliyun_v3_string_to_sign_into(canonical, strlen(canonical), sts);
        aliyun_v3_signature_into(cred->v3_key, sts, expected);
    }
    bool ok = canonical && cdr_hex_equal_ci(expected, auth->signature);
    if (!canonical)
        aliyun_error_out_of_memory(resp);
    else if (!ok)
        v3_signature_mismatch(st, reply, resp, sts, canonical);
    else
        mock_auth_report(&resp->auth, true, "signature V3 (%s) of AccessKeyId %s",
                         ALIYUN_V3_ALGORITHM, cred->id);
    if (headers != few)
        free(headers);
    free(canonical);
    return ok;
}

/* ---- the whole check ------------------------------------------------------------------------- */

/* Throttling.User, with how long the current second still runs in the form the variant names:
 * the gateway's x-ratelimit-user-api header, which Alibaba's own SDKs read on throttled answers
 * (Remaining, TimeLeft in milliseconds), a standard Retry-After in whole seconds, or nothing. */
static void throttled(const struct aliyun_state *st, const struct aliyun_reply *reply,
                      int64_t retry_in_ms, struct mock_response *resp)
{
    aliyun_error(reply, resp, 400, "Throttling.User",
                 "Request was denied due to user flow control.");
    char value[64];
    if (st->throttle_hint == ALIYUN_HINT_RATELIMIT) {
        snprintf(value, sizeof(value), "Remaining:0,TimeLeft:%lld", (long long)retry_in_ms);
        mock_response_add_header(resp, "x-ratelimit-user-api", value);
    } else if (st->throttle_hint == ALIYUN_HINT_RETRY_AFTER) {
        snprintf(value, sizeof(value), "%lld", (long long)(retry_in_ms + 999) / 1000);
        mock_response_add_header(resp, "Retry-After", value);
    }
}

static bool admit(struct aliyun_state *st, const struct claims *c, enum aliyun_action action,
                  int64_t now_ms, int64_t stamp_ms, const struct aliyun_reply *reply,
                  struct mock_response *resp)
{
    int64_t retry_in_ms;
    if (!aliyun_throttle_admit(&st->throttle[action], now_ms, &retry_in_ms)) {
        throttled(st, reply, retry_in_ms, resp);
        return false;
    }
    /* Remembered for as long as a replay could still pass the timestamp check. */
    int64_t until = (stamp_ms > now_ms ? stamp_ms : now_ms) + ALIYUN_WINDOW_MS;
    if (!aliyun_nonces_claim(st->nonces, c->key_id, c->nonce, now_ms, until)) {
        aliyun_error(reply, resp, 400, "SignatureNonceUsed",
                     "Specified signature nonce was used already.");
        mock_auth_report(&resp->auth, false,
                         "SignatureNonceUsed: reused nonce \"%.64s\" of AccessKeyId %s (a replay)",
                         c->nonce, c->key_id);
        return false;
    }
    return true;
}

static bool authenticate_v2(struct aliyun_state *st, const struct mock_request *req,
                            const struct aliyun_params *params, int64_t now_ms,
                            const struct aliyun_reply *reply, enum aliyun_action *action,
                            struct mock_response *resp)
{
    struct claims c = {aliyun_param_value(params, "Action"), aliyun_param_value(params, "Version"),
                       aliyun_param_value(params, "AccessKeyId"),
                       aliyun_param_value(params, "Timestamp"),
                       aliyun_param_value(params, "SignatureNonce")};
    const struct aliyun_credential *cred = NULL;
    int64_t stamp_ms = 0;
    if (!check_api(st, &c, action, reply, resp) ||
        !(cred = v2_credential(st, params, &c, now_ms, reply, resp)) ||
        !check_time(st, &c, now_ms, &stamp_ms, reply, resp))
        return false;
    if (!present(c.nonce)) {
        refuse_missing(reply, resp, "SignatureNonce");
        return false;
    }
    return verify_v2(cred, req, params, reply, resp) &&
           admit(st, &c, *action, now_ms, stamp_ms, reply, resp);
}

/* The key the Authorization header names, once its scheme and parts are in order; NULL when
 * answered with an error. A Signature part left empty is judged by comparison (the gateway
 * answers SignatureDoesNotMatch to one, in an observed answer); a part missing is incomplete. */
static const struct aliyun_credential *
v3_credential(const struct aliyun_state *st, const char *security_token,
              const struct authorization *auth, int64_t now_ms, const struct aliyun_reply *reply,
              struct mock_response *resp)
{
    if (strcmp(auth->algorithm, ALIYUN_V3_ALGORITHM) != 0) {
        refuse(reply, resp, 400, "InvalidSignatureMethod",
               "Specified signature method is not valid.");
        return NULL;
    }
    if (!present(auth->credential) || !present(auth->signed_headers) || !auth->signature) {
        incomplete_signature(reply, resp);
        return NULL;
    }
    return credential_or_refuse(
        aliyun_sts_credential(st, auth->credential, security_token, now_ms, reply, resp), resp);
}

static bool authenticate_v3(struct aliyun_state *st, const struct mock_request *req,
                            const struct aliyun_params *params, const char *authorization,
                            int64_t now_ms, const struct aliyun_reply *reply,
                            enum aliyun_action *action, struct mock_response *resp)
{
    struct authorization auth;
    if (!parse_authorization(authorization, &auth)) {
        authorization_free(&auth);
        aliyun_error_out_of_memory(resp);
        return false;
    }
    const char *found[H_COUNT];
    find_v3_headers(req, found);
    struct claims c = {found[H_ACTION], found[H_VERSION], auth.credential, found[H_DATE],
                       found[H_NONCE]};
    const struct aliyun_credential *cred = NULL;
    int64_t stamp_ms = 0;
    bool ok = check_api(st, &c, action, reply, resp) &&
              (cred = v3_credential(st, found[H_SECURITY_TOKEN], &auth, now_ms, reply, resp)) &&
              check_time(st, &c, now_ms, &stamp_ms, reply, resp);
    if (ok && !present(c.nonce)) {
        refuse_missing(reply, resp, "SignatureNonce");
        ok = false;
    }
    if (ok && !headers_complete(req, found, auth.signed_headers)) {
        incomplete_signature(reply, resp);
        ok = false;
    }
    ok = ok && verify_v3(st, cred, req, params, &auth, reply, resp) &&
         admit(st, &c, *action, now_ms, stamp_ms, reply, resp);
    authorization_free(&auth);
    return ok;
}

bool aliyun_authenticate(struct aliyun_state *st, const struct mock_env *env,
                         const struct mock_request *req, const struct aliyun_params *params,
                         const struct aliyun_reply *reply, enum aliyun_action *action,
                         struct mock_response *resp)
{
    int64_t now_ms = mock_clock_now_ms(env->clock);
    const char *authorization = mock_request_header(req, "Authorization");
    if (authorization)
        return authenticate_v3(st, req, params, authorization, now_ms, reply, action, resp);
    return authenticate_v2(st, req, params, now_ms, reply, action, resp);
}
