/* GET /voice/getRecordingFileUrl (https://itniotech.com/api/voice/getRecordingFileUrl,
 * docs/vendors/itnio.md section 9): a recording's id or file name in, a link and its expiry time
 * (epoch milliseconds) out. Records carry their recordings as object keys
 * ("agent-call-record-250103/<callSessionId>.wav"); the pages call call-center recordings "sip"
 * (phone) recordings as opposed to group-call ones, so those keys are found under sourceType=sip
 * (inferred; itnio.recording_source=any finds them under either). The link is served by this
 * mock the way the vendor's object storage (S3, per the ringtone URLs of the group settings)
 * serves a presigned one: no API headers, valid until it expires on the mock's clock, then the
 * storage's XML refusal. The audio is a WAV of the call's talk time (capped; mockserver/audio.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../audio.h"
#include "cdrsim/buf.h"
#include "cdrsim/sign.h"
#include "internal.h"

/* Signs links so that a client cannot extend one by editing expireTime; not a secret of any
 * account, only of this mock. */
static const char LINK_KEY[] = "cdrsim-itnio-recording-links";

/* The record carrying that recording key, or NULL. A linear walk over the store: a lookup costs
 * milliseconds for a million records, and nothing needs keeping in step when records change. */
static const struct itnio_attrs *find_recording(const struct itnio_state *st, const char *key)
{
    uint64_t h = itnio_key_hash(key);
    for (size_t i = 0; i < st->records.count; i++) {
        const struct itnio_attrs *a = st->records.entries[i].attrs;
        for (size_t k = 0; k < a->recording_count; k++)
            if (a->recording_hashes[k] == h && strcmp(a->recordings[k], key) == 0)
                return a;
    }
    return NULL;
}

/* hex(HMAC-SHA256(LINK_KEY, key "\n" expireTime)), its first 32 digits, into out[33]. */
static void link_sign(const char *key, long long expire_ms, char out[33])
{
    struct cdr_buf msg;
    cdr_buf_init(&msg);
    cdr_buf_printf(&msg, "%s\n%lld", key, expire_ms);
    unsigned char mac[CDR_SHA256_LEN];
    cdr_hmac_sha256(LINK_KEY, sizeof(LINK_KEY) - 1, msg.data ? msg.data : "", msg.len, mac);
    cdr_buf_free(&msg);
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < 16; i++) {
        out[2 * i] = digits[mac[i] >> 4];
        out[2 * i + 1] = digits[mac[i] & 0x0f];
    }
    out[32] = '\0';
}

/* The URL a client reaches this mock at: the Host it used, the scheme the mock serves. */
static void put_base_url(struct cdr_buf *b, const struct itnio_call *call)
{
    const char *host = mock_request_header(call->req, "Host");
    bool tls = call->env->config && call->env->config->tls_cert_file;
    cdr_buf_printf(b, "%s://%s", tls ? "https" : "http", host && *host ? host : "localhost");
}

/* The key in a path: each segment percent-encoded, the slashes kept. */
static void put_key_path(struct cdr_buf *b, const char *key)
{
    for (const char *seg = key;;) {
        size_t n = strcspn(seg, "/");
        char *enc = cdr_percent_encode(seg, n);
        if (!enc) {
            b->failed = true;
            return;
        }
        cdr_buf_puts(b, enc);
        free(enc);
        if (!seg[n])
            return;
        cdr_buf_puts(b, "/");
        seg += n + 1;
    }
}

void itnio_recording_url(const struct itnio_call *call, struct mock_response *resp)
{
    const struct itnio_state *st = call->st;
    const char *id = mock_request_query(call->req, "recordingFileId");
    const char *source = mock_request_query(call->req, "sourceType");
    if (!source || !*source)
        source = "group"; /* "default group call recording if not transmitted" */
    bool sip = strcmp(source, "sip") == 0;
    if (!id || !*id || (!sip && strcmp(source, "group") != 0)) {
        itnio_reply_status(resp, call->status_string, ITNIO_PARAMETER, NULL);
        return;
    }
    /* The mock has call-center recordings only: group-call ones never exist. */
    if (!(sip || st->v.recording_any_source) || !find_recording(st, id)) {
        itnio_reply_status(resp, call->status_string, st->v.not_found_status, NULL);
        return;
    }
    long long expire_ms =
        (long long)(mock_clock_now_ms(call->env->clock) + st->v.recording_ttl * 1000);
    char sign[33];
    link_sign(id, expire_ms, sign);
    struct cdr_buf url;
    cdr_buf_init(&url);
    put_base_url(&url, call);
    cdr_buf_puts(&url, ITNIO_RECORDING_PREFIX);
    put_key_path(&url, id);
    cdr_buf_printf(&url, "?expireTime=%lld&sign=%s", expire_ms, sign);
    struct cdr_buf b;
    itnio_reply_begin_success(&b, call->status_string, url.len + 64);
    cdr_buf_puts(&b, "{\"url\":");
    cdr_buf_json_string(&b, url.failed ? "" : url.data);
    cdr_buf_printf(&b, ",\"expireTime\":%lld}", expire_ms);
    if (url.failed)
        b.failed = true;
    cdr_buf_free(&url);
    itnio_reply_finish_success(resp, call->status_string, &b);
}

static bool parse_ms(const char *text, long long *out)
{
    if (!text || !*text)
        return false;
    char *end;
    long long v = strtoll(text, &end, 10);
    if (*end || v < 0)
        return false;
    *out = v;
    return true;
}

void itnio_recording_file(const struct itnio_call *call, struct mock_response *resp)
{
    const struct itnio_state *st = call->st;
    const char *key = call->req->path + strlen(ITNIO_RECORDING_PREFIX);
    long long expire_ms;
    const char *given = mock_request_query(call->req, "sign");
    if (!parse_ms(mock_request_query(call->req, "expireTime"), &expire_ms) || !given) {
        itnio_reply_storage_error(resp, 403, "AccessDenied",
                                  "Query-string authentication requires expireTime and sign", key);
        return;
    }
    char sign[33];
    link_sign(key, expire_ms, sign);
    if (strcmp(sign, given) != 0) {
        itnio_reply_storage_error(resp, 403, "SignatureDoesNotMatch",
                                  "The request signature we calculated does not match the "
                                  "signature you provided.",
                                  key);
        return;
    }
    if (mock_clock_now_ms(call->env->clock) > expire_ms) {
        itnio_reply_storage_error(resp, 403, "AccessDenied", "Request has expired", key);
        return;
    }
    const struct itnio_attrs *a = find_recording(st, key);
    if (!a) { /* the record is gone since the link was made */
        itnio_reply_storage_error(resp, 404, "NoSuchKey", "The specified key does not exist.", key);
        return;
    }
    size_t len;
    unsigned char *wav =
        mock_audio_wav(a->talk_seconds, MOCK_AUDIO_PCM16, (uint64_t)a->key_id, &len);
    if (!wav) {
        itnio_reply_storage_error(resp, 500, "InternalError", "We encountered an internal error.",
                                  key);
        return;
    }
    mock_response_take_body(resp, 200, "audio/wav", (char *)wav, len);
    mock_response_code(resp, "200");
}
