/* Recording links. The real actions hand out links into an OSS bucket (aliccrec-shvpc, the pages'
 * examples), signed the OSS way for a limited time; on the mock they point at the mock itself,
 * under the examples' path /accrec_tmp/, with the same query-string signature (OSSAccessKeyId,
 * Expires, Signature = Base64(HMAC-SHA1(secret, "GET\n\n\n" Expires "\n/bucket/key"))), so a
 * client that edits a link or keeps it too long gets what OSS answers: its XML error document
 * with HTTP 403 (AccessDenied "Request has expired.", EC 0002-00000069, as observed;
 * SignatureDoesNotMatch, EC 0002-00000040) or 404 NoSuchKey. Expiry is judged on the mock's
 * clock. The audio is the mock's WAV (mockserver/audio.h), as long as the recorded talk, capped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../audio.h"
#include "cdrsim/timefmt.h"
#include "internal.h"

#define OSS_KEY_ID "LTAI5tCdrsimRecordings"
#define OSS_SECRET "cdrsim-recordings-bucket-secret"
#define OSS_XML_TYPE "application/xml"

void aliyun_connection_id(const char *acid, int index, char *out, size_t len)
{
    char *end;
    unsigned long long v = strtoull(acid, &end, 10);
    if (*acid >= '1' && *acid <= '9' && !*end && v >= 10 && v < 1000000000000000000ULL)
        snprintf(out, len, "%llu", v - 10 + (unsigned long long)index);
    else
        snprintf(out, len, "%s-%d", acid, index + 1);
}

/* "accrec_tmp/<acid>.wav" for the whole session, "accrec_tmp/<acid>-<ConnectionId>.wav" for one
 * connection; the key as OSS signs it (not percent-encoded). Caller frees. */
static char *object_key(const char *acid, int connection)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    if (connection < 0) {
        cdr_buf_printf(&b, "accrec_tmp/%s.wav", acid);
    } else {
        char id[48];
        aliyun_connection_id(acid, connection, id, sizeof(id));
        cdr_buf_printf(&b, "accrec_tmp/%s-%s.wav", acid, id);
    }
    return cdr_buf_steal(&b);
}

/* Base64 of the OSS V1 query-string signature. Caller frees. */
static char *oss_signature(const char *expires, const char *key)
{
    struct cdr_buf sts;
    cdr_buf_init(&sts);
    cdr_buf_printf(&sts, "GET\n\n\n%s\n/%s/%s", expires, ALIYUN_OSS_BUCKET, key);
    if (sts.failed) {
        cdr_buf_free(&sts);
        return NULL;
    }
    unsigned char mac[CDR_SHA1_LEN];
    cdr_hmac_sha1(OSS_SECRET, strlen(OSS_SECRET), sts.data, sts.len, mac);
    cdr_buf_free(&sts);
    return cdr_base64_encode(mac, sizeof(mac));
}

char *aliyun_oss_link(const struct aliyun_state *st, const struct aliyun_link_base *base,
                      const char *acid, int connection)
{
    char expires[24];
    int64_t now = base->now_ms >= 0 ? base->now_ms / 1000 : -((-base->now_ms + 999) / 1000);
    snprintf(expires, sizeof(expires), "%lld", (long long)(now + st->recording_url_ttl));
    char *key = object_key(acid, connection);
    char *signature = key ? oss_signature(expires, key) : NULL;
    char *path = key ? cdr_percent_encode(key, strlen(key)) : NULL;
    char *sig = signature ? cdr_percent_encode(signature, strlen(signature)) : NULL;
    struct cdr_buf url;
    cdr_buf_init(&url);
    if (path && sig) {
        /* The key's '/' stays a path separator. */
        char *slash = strstr(path, "%2F");
        cdr_buf_printf(&url, "%s/%.*s/%s?Expires=%s&OSSAccessKeyId=%s&Signature=%s", base->origin,
                       slash ? (int)(slash - path) : 0, path, slash ? slash + 3 : path, expires,
                       OSS_KEY_ID, sig);
    }
    char *out = path && sig ? cdr_buf_steal(&url) : NULL;
    cdr_buf_free(&url);
    free(key);
    free(signature);
    free(path);
    free(sig);
    return out;
}

/* ---- serving a link -------------------------------------------------------------------------- */

/* OSS's request ids: 24 uppercase hex digits. */
static void oss_request_id(const struct mock_env *env, char out[25])
{
    mock_shared_rng_hex(env->rng, out, 24, 1);
}

/* OSS's error document; extra holds further elements, already XML. */
static void oss_error(const struct mock_env *env, struct mock_response *resp, int status,
                      const char *code, const char *message, const char *extra, const char *ec)
{
    char id[25];
    oss_request_id(env, id);
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>%s</Code>\n"
                   "  <Message>%s</Message>\n  <RequestId>%s</RequestId>\n"
                   "  <HostId>%s</HostId>\n%s",
                   code, message, id, ALIYUN_OSS_HOST, extra ? extra : "");
    if (ec)
        cdr_buf_printf(&b,
                       "  <EC>%s</EC>\n  <RecommendDoc>https://api.aliyun.com/troubleshoot?q=%s"
                       "</RecommendDoc>\n",
                       ec, ec);
    cdr_buf_puts(&b, "</Error>\n");
    if (b.failed) {
        cdr_buf_free(&b);
        aliyun_error_out_of_memory(resp);
        return;
    }
    size_t len = b.len;
    mock_response_take_body(resp, status, OSS_XML_TYPE, cdr_buf_steal(&b), len);
    mock_response_add_header(resp, "x-oss-request-id", id);
    if (ec)
        mock_response_add_header(resp, "x-oss-ec", ec);
    mock_response_code(resp, "%s", code);
}

/* The session and connection a key names (*connection -1: the whole session); NULL when none. */
static const struct aliyun_attrs *call_of(const struct aliyun_state *st, const char *key,
                                          int *connection)
{
    static const char folder[] = "accrec_tmp/";
    size_t len = strlen(key), skip = sizeof(folder) - 1;
    if (strncmp(key, folder, skip) != 0 || len < skip + 5 || strcmp(key + len - 4, ".wav") != 0)
        return NULL;
    char *name = strndup(key + skip, len - skip - 4);
    const struct aliyun_attrs *call = name ? aliyun_find_acid(st, name) : NULL;
    *connection = -1;
    /* "<acid>-<ConnectionId>": try each '-' from the right as the separator. */
    for (char *dash = name ? strrchr(name, '-') : NULL; !call && dash;) {
        *dash = '\0';
        const struct aliyun_attrs *session = aliyun_find_acid(st, name);
        for (int i = 0; session && i < aliyun_recording_count(session); i++) {
            char id[48];
            aliyun_connection_id(session->acid, i, id, sizeof(id));
            if (strcmp(id, dash + 1) == 0) {
                call = session;
                *connection = i;
            }
        }
        char *previous = strrchr(name, '-');
        *dash = '-';
        dash = previous;
    }
    free(name);
    return call && aliyun_recording_count(call) > 0 ? call : NULL;
}

static uint64_t seed_of(const char *acid, int connection)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)acid; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h ^ (uint64_t)(connection + 2);
}

static void send_audio(const struct mock_env *env, const struct aliyun_attrs *call, int connection,
                       struct mock_response *resp)
{
    int64_t start = call->pick_up, end = call->hang_up;
    if (connection >= 0)
        aliyun_recording_span(call, connection, &start, &end);
    size_t len = 0;
    unsigned char *wav =
        mock_audio_wav(end - start, MOCK_AUDIO_PCM16, seed_of(call->acid, connection), &len);
    if (!wav) {
        aliyun_error_out_of_memory(resp);
        return;
    }
    char id[25];
    oss_request_id(env, id);
    mock_response_take_body(resp, 200, "audio/wav", (char *)wav, len);
    mock_response_add_header(resp, "x-oss-request-id", id);
    mock_response_add_header(resp, "x-oss-object-type", "Normal");
    mock_response_code(resp, "200");
}

static void expired(const struct mock_env *env, struct mock_response *resp, int64_t expires,
                    int64_t now_ms)
{
    char when[CDR_RFC3339_MS_LEN + 1], now[CDR_RFC3339_MS_LEN + 1], extra[160];
    cdr_time_format_rfc3339_ms(expires * 1000, when);
    cdr_time_format_rfc3339_ms(now_ms - now_ms % 1000, now);
    snprintf(extra, sizeof(extra), "  <Expires>%s</Expires>\n  <ServerTime>%s</ServerTime>\n", when,
             now);
    oss_error(env, resp, 403, "AccessDenied", "Request has expired.", extra, "0002-00000069");
}

static void signature_mismatch(const struct mock_env *env, struct mock_response *resp,
                               const char *provided, const char *expires, const char *key)
{
    struct cdr_buf extra;
    cdr_buf_init(&extra);
    cdr_buf_printf(&extra, "  <OSSAccessKeyId>%s</OSSAccessKeyId>\n  <SignatureProvided>",
                   OSS_KEY_ID);
    cdr_buf_xml_text(&extra, provided);
    cdr_buf_printf(&extra, "</SignatureProvided>\n  <StringToSign>GET\n\n\n");
    cdr_buf_xml_text(&extra, expires);
    cdr_buf_printf(&extra, "\n/%s/", ALIYUN_OSS_BUCKET);
    cdr_buf_xml_text(&extra, key);
    cdr_buf_puts(&extra, "</StringToSign>\n");
    oss_error(env, resp, 403, "SignatureDoesNotMatch",
              "The request signature we calculated does not match the signature you provided. "
              "Check your key and signing method.",
              extra.data, "0002-00000040");
    cdr_buf_free(&extra);
}

static bool all_digits(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s) && strlen(s) <= 12;
}

void aliyun_oss_serve(const struct aliyun_state *st, const struct mock_env *env,
                      const struct mock_request *req, struct mock_response *resp)
{
    const char *key = req->path + 1; /* the object key, without the leading '/' */
    const char *key_id = mock_request_query(req, "OSSAccessKeyId");
    const char *expires = mock_request_query(req, "Expires");
    const char *signature = mock_request_query(req, "Signature");
    int64_t now_ms = mock_clock_now_ms(env->clock);
    if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
        oss_error(env, resp, 405, "MethodNotAllowed",
                  "The specified method is not allowed against this resource.", NULL, NULL);
        return;
    }
    if (!key_id || !expires || !signature) {
        oss_error(env, resp, 403, "AccessDenied",
                  "You have no right to access this object because of bucket acl.", NULL, NULL);
        return;
    }
    if (!all_digits(expires)) {
        oss_error(env, resp, 403, "AccessDenied", "The expiration time in the URL is invalid.",
                  NULL, "0002-00000070");
        return;
    }
    int64_t until = strtoll(expires, NULL, 10);
    if (now_ms / 1000 > until) {
        expired(env, resp, until, now_ms);
        return;
    }
    if (strcmp(key_id, OSS_KEY_ID) != 0) {
        oss_error(env, resp, 403, "InvalidAccessKeyId",
                  "The OSS Access Key Id you provided does not exist in our records.", NULL, NULL);
        return;
    }
    char *expected = oss_signature(expires, key);
    bool signed_right = expected && aliyun_same_secret(expected, signature);
    free(expected);
    if (!signed_right) {
        signature_mismatch(env, resp, signature, expires, key);
        return;
    }
    int connection;
    const struct aliyun_attrs *call = call_of(st, key, &connection);
    if (!call) {
        struct cdr_buf extra;
        cdr_buf_init(&extra);
        cdr_buf_puts(&extra, "  <Key>");
        cdr_buf_xml_text(&extra, key);
        cdr_buf_puts(&extra, "</Key>\n");
        oss_error(env, resp, 404, "NoSuchKey", "The specified key does not exist.", extra.data,
                  "0026-00000001");
        cdr_buf_free(&extra);
        return;
    }
    send_audio(env, call, connection, resp);
}
