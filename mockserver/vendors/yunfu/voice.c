/* Recordings. GET …/record/{record_id}/download-full-voice ("下载通话录音") answers the call's
 * audio, or (variant voice_download=redirect) a 302 to its play URL; GET
 * …/batch_record/download-full-voice
 * ("批量播放通话录音地址") answers play URLs for up to 30 calls. Both answers are undocumented
 * (inferred; docs/vendors/yunfu.md): the audio is a WAV (mockserver/audio.h) of the call's talk
 * time, and a play URL is an object-store style signed link on this same mock,
 * /yunfu-oss/record/{record_id}.wav?Expires=…&Signature=…, valid voice_ttl seconds on the mock's
 * clock, answering the store's XML errors when expired or tampered with. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../audio.h"
#include "cdrsim/sign.h"
#include "internal.h"

#define BATCH_MESSAGE "获取通话录音地址成功"
#define SIGNATURE_HEX 32

/* ---- play URLs ------------------------------------------------------------------------------- */

/* The signature of a play URL: HMAC-SHA256 over "<record_id>\n<expires>", hex, cut short. */
static void sign_url(const struct yunfu_state *st, const char *record_id, int64_t expires,
                     char out[SIGNATURE_HEX + 1])
{
    char msg[512];
    int n = snprintf(msg, sizeof(msg), "%s\n%lld", record_id, (long long)expires);
    unsigned char mac[CDR_SHA256_LEN];
    cdr_hmac_sha256(st->voice_secret, strlen(st->voice_secret), msg,
                    n > 0 && (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1, mac);
    for (size_t i = 0; i < SIGNATURE_HEX / 2; i++)
        snprintf(out + 2 * i, 3, "%02x", mac[i]);
}

/* The host a client reached this mock as (its Host header, when it is a plain host[:port]). */
static const char *request_host(const struct mock_request *req)
{
    const char *host = mock_request_header(req, "Host");
    if (!host || !*host || strlen(host) > 255 ||
        host[strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")])
        return "127.0.0.1";
    return host;
}

/* The play URL of a record, valid until expires (Unix s). NULL when out of memory; caller frees. */
static char *play_url(const struct yunfu_state *st, const struct mock_env *env,
                      const struct mock_request *req, const char *record_id, int64_t expires)
{
    char signature[SIGNATURE_HEX + 1];
    sign_url(st, record_id, expires, signature);
    char *id = cdr_percent_encode(record_id, strlen(record_id));
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "%s://%s" YUNFU_VOICE_PREFIX "%s.wav?Expires=%lld&Signature=%s",
                   env->config && env->config->tls_cert_file ? "https" : "http", request_host(req),
                   id ? id : "", (long long)expires, signature);
    free(id);
    if (!id)
        b.failed = true;
    return cdr_buf_steal(&b);
}

/* The call's audio: a WAV of its talk time, the same bytes for the same call. */
static void reply_audio(const struct mock_store_entry *e, struct mock_response *resp)
{
    const struct yunfu_attrs *a = e->attrs;
    size_t len;
    /* FreeSWITCH, whose hang-up causes the records carry, records 16-bit linear PCM by default. */
    unsigned char *wav =
        mock_audio_wav((a->bill + 500) / 1000, MOCK_AUDIO_PCM16, mock_rng_derive(0, a->id), &len);
    if (!wav) {
        yunfu_reply_server_error(resp);
        return;
    }
    mock_response_take_body(resp, 200, "audio/wav", (char *)wav, len);
    char disposition[160];
    snprintf(disposition, sizeof(disposition), "attachment; filename=\"%.100s.wav\"", a->id);
    mock_response_add_header(resp, "Content-Disposition", disposition);
    mock_response_code(resp, "200");
}

/* ---- GET …/record/{record_id}/download-full-voice -------------------------------------------- */

void yunfu_voice_download(const struct yunfu_state *st, const struct mock_env *env,
                          const struct mock_request *req, const struct yunfu_scope *scope,
                          const char *task_id, const char *record_id,
                          const struct yunfu_php_value *query, struct mock_response *resp)
{
    struct yunfu_scope s = *scope;
    struct yunfu_errors errors = {0};
    yunfu_read_sub_user(query, &s.sub_user_id, &errors);
    if (errors.count || errors.failed) {
        yunfu_reply_validation(resp, &errors);
        yunfu_errors_free(&errors);
        return;
    }
    const struct yunfu_task *task;
    int code = yunfu_auth_task(st, &s, task_id, &task);
    const struct mock_store_entry *e =
        code == YUNFU_OK ? yunfu_task_record(st, task, record_id) : NULL;
    if (code != YUNFU_OK) {
        yunfu_reply_error(resp, code);
    } else if (!e) {
        yunfu_reply_missing_record(resp, st->missing_record_404, record_id);
    } else if (((const struct yunfu_attrs *)e->attrs)->bill <= 0) {
        yunfu_reply_error(resp, YUNFU_NO_VOICE);
    } else if (!st->voice_redirect) {
        reply_audio(e, resp);
    } else {
        char *url = play_url(st, env, req, record_id, mock_clock_now(env->clock) + st->voice_ttl);
        if (!url) {
            yunfu_reply_server_error(resp);
            return;
        }
        mock_response_set_body(resp, 302, "text/html; charset=UTF-8", "", 0);
        mock_response_add_header(resp, "Location", url);
        mock_response_code(resp, "302");
        free(url);
    }
}

/* ---- GET …/batch_record/download-full-voice -------------------------------------------------- */

/* The answer's data: [{"record_id","url"}], or (batch_data=map) {"<record_id>": url}; a call never
 * answered has a null url. */
static bool write_urls(const struct yunfu_state *st, const struct mock_env *env,
                       const struct mock_request *req, const struct mock_store_entry *const *found,
                       const char *const *ids, size_t count, struct cdr_buf *b)
{
    int64_t expires = mock_clock_now(env->clock) + st->voice_ttl;
    cdr_buf_puts(b, st->batch_map ? "\"data\":{" : "\"data\":[");
    for (size_t i = 0; i < count; i++) {
        const struct yunfu_attrs *a = found[i]->attrs;
        char *url = a->bill > 0 ? play_url(st, env, req, ids[i], expires) : NULL;
        if (a->bill > 0 && !url)
            return false;
        cdr_buf_puts(b, i ? "," : "");
        if (!st->batch_map)
            cdr_buf_puts(b, "{\"record_id\":");
        cdr_buf_json_string(b, ids[i]);
        cdr_buf_puts(b, st->batch_map ? ":" : ",\"url\":");
        if (url)
            cdr_buf_json_string(b, url);
        else
            cdr_buf_puts(b, "null");
        if (!st->batch_map)
            cdr_buf_puts(b, "}");
        free(url);
    }
    cdr_buf_puts(b, st->batch_map ? "}" : "]");
    return true;
}

void yunfu_voice_batch(const struct yunfu_state *st, const struct mock_env *env,
                       const struct mock_request *req, const struct yunfu_scope *scope,
                       const char *task_id, const struct yunfu_php_value *query,
                       struct mock_response *resp)
{
    const char **ids;
    size_t count;
    struct yunfu_scope s = *scope;
    struct yunfu_errors errors = {0};
    yunfu_read_batch_params(query, &ids, &count, &s.sub_user_id, &errors);
    const struct mock_store_entry **found = NULL;
    const struct yunfu_task *task;
    int code = YUNFU_OK;
    if (errors.count || errors.failed) {
        yunfu_reply_validation(resp, &errors);
    } else if ((code = yunfu_auth_task(st, &s, task_id, &task)) != YUNFU_OK) {
        yunfu_reply_error(resp, code);
    } else if (!(found = calloc(count, sizeof(*found)))) {
        yunfu_reply_server_error(resp);
    } else {
        size_t i = 0;
        while (i < count && (found[i] = yunfu_task_record(st, task, ids[i])))
            i++;
        struct cdr_buf b;
        if (i < count) {
            yunfu_reply_missing_record(resp, st->missing_record_404, ids[i]);
        } else {
            yunfu_begin_success(&b, BATCH_MESSAGE, 256 * count);
            if (!write_urls(st, env, req, found, ids, count, &b))
                b.failed = true;
            yunfu_finish_success(resp, &b);
        }
    }
    free(found);
    free(ids);
    yunfu_errors_free(&errors);
}

/* ---- GET /yunfu-oss/record/{record_id}.wav --------------------------------------------------- */

void yunfu_voice_file(const struct yunfu_state *st, const struct mock_env *env,
                      const struct mock_request *req, const char *path, struct mock_response *resp)
{
    int64_t now = mock_clock_now(env->clock);
    const char *expires_text = mock_request_query(req, "Expires");
    const char *signature = mock_request_query(req, "Signature");
    const char *name = path + strlen(YUNFU_VOICE_PREFIX);
    size_t len = strlen(name);
    char *id = len > 4 && strcmp(name + len - 4, ".wav") == 0 ? strndup(name, len - 4) : NULL;
    char *end = NULL;
    long long expires = expires_text ? strtoll(expires_text, &end, 10) : 0;
    char want[SIGNATURE_HEX + 1] = "";
    if (id)
        sign_url(st, id, expires, want);
    const struct mock_store_entry *e = NULL;
    if (!expires_text || !signature || !*expires_text || *end)
        yunfu_reply_oss_error(resp, 403, "AccessDenied",
                              "You have no right to access this object because of bucket acl.",
                              now);
    else if (expires < now)
        yunfu_reply_oss_error(resp, 403, "AccessDenied", "Request has expired.", now);
    else if (!id || strcmp(want, signature) != 0)
        yunfu_reply_oss_error(resp, 403, "SignatureDoesNotMatch",
                              "The request signature we calculated does not match the signature "
                              "you provided. Check your key and signing method.",
                              now);
    else if (!(e = yunfu_find_record(st, id)) || ((const struct yunfu_attrs *)e->attrs)->bill <= 0)
        yunfu_reply_oss_error(resp, 404, "NoSuchKey", "The specified key does not exist.", now);
    else
        reply_audio(e, resp);
    free(id);
}
