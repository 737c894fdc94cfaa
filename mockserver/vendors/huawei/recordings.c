/* Recordings, both ways the pages offer (docs/vendors/huawei.md, recordings):
 * - POST .../getRecordingAddress (Bearer token): a history record's callSerialNo in, a URL valid
 *   for five minutes out, with the numeric retCode of
 *   https://support.huaweicloud.com/intl/en-us/api-cec/cec_07_1307.html. The URL points at this
 *   mock (the request's Host), signed like an object store's temporary URL; past its Expires on
 *   the mock's clock the store refuses it as OBS does (403 AccessDenied).
 * - GET /agentgateway/resource/recordfile/{agentid}?recordId=&filetype=&locationId= (Guid): the
 *   file an AgentMediaEvent_Record named, as application/octet-stream, or the gateway's JSON error
 *   (https://support.huaweicloud.com/api-ccfs-cec/cec_07_4214.html).
 * Either way the bytes are mockserver/audio.h's WAV, G.711 A-law as the SaaS platform records,
 * as long as the call's talk (capped). */
#include <stdlib.h>
#include <string.h>

#include "../../audio.h"
#include "../../config.h"
#include "internal.h"

static void send_wav(struct mock_response *resp, const char *content_type, int64_t talk_s,
                     const char *id)
{
    size_t len = 0;
    unsigned char *wav = mock_audio_wav(talk_s, MOCK_AUDIO_ALAW, huawei_text_hash(id), &len);
    huawei_reply_audio(resp, content_type, wav, len);
}

/* ---- getRecordingAddress and the URL it hands out -------------------------------------------- */

/* The mock as the client reached it: the Host header when it is a plain host[:port], else the
 * loopback address. */
static void base_url(const struct mock_env *env, const struct mock_request *req, char *out,
                     size_t len)
{
    const char *host = mock_request_header(req, "Host");
    size_t n = host ? strlen(host) : 0;
    bool plain =
        n > 0 && n <= 100 &&
        strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") == n;
    snprintf(out, len, "%s://%s", env->config && env->config->tls_cert_file ? "https" : "http",
             plain ? host : "127.0.0.1");
}

void huawei_recording_address(struct huawei_state *st, const struct mock_env *env,
                              const struct mock_request *req, struct mock_response *resp)
{
    if (huawei_bearer_refused(st, env, req, resp))
        return;
    char serial[64];
    int retcode = 0;
    switch (huawei_parse_serial(req, serial, sizeof(serial), &retcode)) {
    case HUAWEI_BODY_BAD_REQUEST:
        huawei_reply_gateway(env, resp, 400, "APIGW.0201",
                             "Bad request: check the request path and parameters");
        return;
    case HUAWEI_BODY_RETCODE:
        huawei_reply_recording(resp, retcode,
                               "The length of the call SN cannot exceed 50 characters.", NULL);
        return;
    case HUAWEI_BODY_OK:
        break;
    }
    size_t i = huawei_find_cdr(st, serial);
    if (i == SIZE_MAX) {
        huawei_reply_recording(resp, 5, "No corresponding history record.", NULL);
        return;
    }
    /* A call the customer never answered left no recording to fetch (inferred). */
    if (((const struct huawei_cdr_attrs *)st->history.entries[i].attrs)->talk_s <= 0) {
        huawei_reply_recording(resp, 11, "Failed to download files from the UAP.", NULL);
        return;
    }
    int64_t expires_s = (mock_clock_now_ms(env->clock) + HUAWEI_RECORDING_URL_MS) / 1000;
    char base[128], signature[33], url[320];
    base_url(env, req, base, sizeof(base));
    huawei_sign_url(st, env, serial, expires_s, signature);
    snprintf(url, sizeof(url), "%s%s%s.wav?Expires=%lld&Signature=%s", base, HUAWEI_OBS_PREFIX,
             serial, (long long)expires_s, signature);
    huawei_reply_recording(resp, 0, "success", url);
}

void huawei_recording_object(struct huawei_state *st, const struct mock_env *env,
                             const struct mock_request *req, struct mock_response *resp)
{
    if (strcmp(req->method, "GET") != 0) {
        huawei_reply_obs_error(env, resp, 405, "MethodNotAllowed",
                               "The specified method is not allowed against this resource.");
        mock_response_add_header(resp, "Allow", "GET");
        return;
    }
    /* /aicc-obs/record/<serial>.wav */
    const char *name = req->path + strlen(HUAWEI_OBS_PREFIX);
    size_t digits = strspn(name, "0123456789");
    char serial[64];
    const char *expires = mock_request_query(req, "Expires");
    const char *signature = mock_request_query(req, "Signature");
    if (!digits || digits >= sizeof(serial) || strcmp(name + digits, ".wav") != 0) {
        huawei_reply_obs_error(env, resp, 404, "NoSuchKey", "The specified key does not exist.");
        return;
    }
    snprintf(serial, sizeof(serial), "%.*s", (int)digits, name);
    long long expires_s = 0;
    if (!expires || !signature || !*expires || strlen(expires) > 12 ||
        strspn(expires, "0123456789") != strlen(expires)) {
        huawei_reply_obs_error(env, resp, 403, "AccessDenied",
                               "Query-string authentication requires the Signature and Expires "
                               "parameters.");
        return;
    }
    expires_s = strtoll(expires, NULL, 10);
    char want[33];
    huawei_sign_url(st, env, serial, expires_s, want);
    bool fresh = expires_s * 1000 > mock_clock_now_ms(env->clock);
    mock_request_auth(req, strcmp(want, signature) == 0 && fresh, "%s",
                      strcmp(want, signature) != 0 ? "the URL's Signature is not the mock's"
                      : fresh                      ? "a signed URL within its lifetime"
                              : "the signed URL has expired on the mock's clock");
    if (strcmp(want, signature) != 0) {
        huawei_reply_obs_error(env, resp, 403, "SignatureDoesNotMatch",
                               "The request signature we calculated does not match the signature "
                               "you provided.");
        return;
    }
    if (!fresh) {
        huawei_reply_obs_error(env, resp, 403, "AccessDenied", "Request has expired.");
        return;
    }
    size_t i = huawei_find_cdr(st, serial);
    const struct huawei_cdr_attrs *a = i != SIZE_MAX ? st->history.entries[i].attrs : NULL;
    if (!a || a->talk_s <= 0) {
        huawei_reply_obs_error(env, resp, 404, "NoSuchKey", "The specified key does not exist.");
        return;
    }
    send_wav(resp, "audio/wav", a->talk_s, serial);
}

/* ---- recordfile ------------------------------------------------------------------------------ */

/* Talk seconds of the agent's recorded call this file name names, or -1 when the agent has no such
 * recording: a live call (current, held, remembered) that was recorded and talked, or a call of
 * its history that talked. The name must be the one the call's AgentMediaEvent_Record gave. */
static int64_t recording_of(const struct huawei_state *st, const struct huawei_agent *agent,
                            const char *file, int64_t now_ms)
{
    char callid[HUAWEI_CALLID_SIZE], want[HUAWEI_RECORD_FILE_SIZE], record_id[64];
    if (!huawei_record_file_callid(file, callid, sizeof(callid)))
        return -1;
    const struct huawei_call *live = huawei_find_call(agent, callid);
    if (live) {
        if (!live->recorded ||
            !huawei_record_file_name(live->obj, callid, want, sizeof(want), record_id,
                                     sizeof(record_id)) ||
            strcmp(want, file) != 0)
            return -1;
        int64_t talk = huawei_talk_seconds(live->obj, now_ms);
        return talk > 0 ? talk : 1; /* just answered: a second of audio so far */
    }
    size_t i = huawei_find_record(st, agent->id, callid);
    struct cdr_buf b;
    cdr_buf_init(&b);
    cJSON *obj = i != SIZE_MAX && mock_store_append_json(&st->records, &st->records.entries[i], &b)
                     ? cJSON_ParseWithLength(b.data, b.len)
                     : NULL;
    cdr_buf_free(&b);
    int64_t talk = obj &&
                           huawei_record_file_name(obj, callid, want, sizeof(want), record_id,
                                                   sizeof(record_id)) &&
                           strcmp(want, file) == 0
                       ? huawei_talk_seconds(obj, now_ms)
                       : 0;
    cJSON_Delete(obj);
    return talk > 0 ? talk : -1;
}

void huawei_recordfile(struct huawei_state *st, const struct mock_env *env,
                       const struct mock_request *req, struct huawei_agent *agent,
                       struct mock_response *resp)
{
    /* Every failure in the body the page prints, which error_body=ours does not change. */
    int64_t now = mock_clock_now_ms(env->clock);
    const char *failure = huawei_authorize(st, agent, req, now);
    if (failure) {
        huawei_reply_documented_error(resp, failure);
        return;
    }
    const char *record_id = mock_request_query(req, "recordId");
    const char *filetype = mock_request_query(req, "filetype");
    const char *location = mock_request_query(req, "locationId");
    if (!record_id || !*record_id || strlen(record_id) >= HUAWEI_RECORD_FILE_SIZE ||
        (filetype && strcmp(filetype, "1") != 0 && strcmp(filetype, "2") != 0) ||
        (location && (!*location || strlen(location) > 9 ||
                      strspn(location, "0123456789") != strlen(location)))) {
        huawei_reply_documented_error(resp, HUAWEI_PARAMETER);
        return;
    }
    /* filetype 2 (IVR and third-party messages): the mock records agents' calls only. */
    int64_t talk =
        filetype && strcmp(filetype, "2") == 0 ? -1 : recording_of(st, agent, record_id, now);
    if (talk < 0) {
        huawei_reply_documented_error(resp, HUAWEI_NO_PERMISSION); /* the page's example */
        return;
    }
    send_wav(resp, "application/octet-stream;charset=utf-8", talk, record_id);
}
