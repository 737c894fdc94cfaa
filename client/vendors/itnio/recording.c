/* ITNIO recordings: GET /voice/getRecordingFileUrl turns a recording id or a record's voiceUrl key
 * into a link that expires (https://itniotech.com/api/voice/getRecordingFileUrl), and the link is
 * fetched without the API's headers, as object storage serves it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "cdrsim/sign.h"
#include "internal.h"
#include "retry.h"
#include "json_get.h"
#include "private.h"

#define CHUNK 65536 /* what the writer gets at a time */

void cdr_itnio_recording_url_free(struct cdr_itnio_recording_url *link)
{
    if (!link)
        return;
    free(link->url);
    memset(link, 0, sizeof(*link));
}

cdr_error cdr_itnio_parse_recording_url(const char *body, size_t len,
                                        struct cdr_itnio_recording_url *out,
                                        struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    cJSON *root;
    const cJSON *data;
    cdr_error rc = cdr__itnio_open_data(body, len, &root, &data, err);
    if (rc != CDR_OK)
        return rc;
    const cJSON *url = cJSON_GetObjectItemCaseSensitive(data, "url");
    /* "expireTime: URL expiration time (13-bit timestamp)": epoch milliseconds. */
    if (!cJSON_IsString(url) || !url->valuestring[0] ||
        !cdr__json_get_int(data, "expireTime", &out->expire_time_ms)) {
        cJSON_Delete(root);
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                             "data lacks a url string and an integer expireTime");
    }
    out->url = strdup(url->valuestring);
    cJSON_Delete(root);
    if (!out->url)
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    return CDR_OK;
}

static cdr_error parse_link(const char *body, size_t len, void *out, struct cdr_error_info *err)
{
    return cdr_itnio_parse_recording_url(body, len, out, err);
}

cdr_error cdr_itnio_get_recording_url(struct cdr_itnio_client *c, const char *file_id,
                                      const char *source_type, struct cdr_itnio_recording_url *out,
                                      struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (!c || !file_id || !*file_id)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client or recording id");
    char *id = cdr_percent_encode(file_id, strlen(file_id));
    char *source = cdr_percent_encode(source_type ? source_type : "sip",
                                      strlen(source_type ? source_type : "sip"));
    struct cdr_buf path;
    cdr_buf_init(&path);
    cdr_buf_printf(&path, "/voice/getRecordingFileUrl?recordingFileId=%s&sourceType=%s",
                   id ? id : "", source ? source : "");
    free(id);
    free(source);
    if (path.failed || !id || !source) {
        cdr_buf_free(&path);
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    }
    cdr_error rc = cdr__itnio_query(c, path.data, NULL, parse_link, out, err);
    cdr_buf_free(&path);
    return rc;
}

/* ---- the audio ------------------------------------------------------------------------------- */

/* The text between <tag> and </tag> in an XML error document, into out. */
static void xml_field(const char *xml, const char *tag, char *out, size_t len)
{
    char open[32], close[32];
    snprintf(open, sizeof(open), "<%s>", tag);
    snprintf(close, sizeof(close), "</%s>", tag);
    const char *a = xml ? strstr(xml, open) : NULL;
    const char *b = a ? strstr(a, close) : NULL;
    out[0] = '\0';
    if (a && b)
        snprintf(out, len, "%.*s", (int)(b - a - strlen(open)), a + strlen(open));
}

/* A link that did not give audio: the storage's XML refusal (an expired link is AccessDenied
 * "Request has expired"), or the API's envelope when the vendor answers through it. */
static cdr_error refusal(const struct cdr_http_response *resp, struct cdr_error_info *err)
{
    const char *body = resp->body ? resp->body : "";
    if (body[0] == '{') {
        cJSON *root;
        cdr_error rc = cdr__itnio_open_answer(body, resp->body_len, &root, err);
        cJSON_Delete(root);
        if (rc != CDR_OK && rc != CDR_ERR_MALFORMED_RESPONSE)
            return rc;
    }
    char code[48], message[256];
    xml_field(body, "Code", code, sizeof(code));
    xml_field(body, "Message", message, sizeof(message));
    long st = resp->status;
    cdr_error mapped = st == 401 || st == 403 ? CDR_ERR_AUTH
                       : st == 404            ? CDR_ERR_NOT_FOUND
                       : st == 429            ? CDR_ERR_RATE_LIMITED
                       : st == 200            ? CDR_ERR_MALFORMED_RESPONSE
                                              : CDR_ERR_HTTP;
    if (code[0])
        return cdr_error_set_vendor(err, mapped, st, code, message);
    cdr_error_set(err, mapped, "HTTP %ld and no audio from the recording link", st);
    if (err)
        err->http_status = st;
    return mapped;
}

/* Fetches a link (no API headers: it carries its own signature) and hands the audio over. */
static cdr_error fetch_link(struct cdr_itnio_client *c, const char *url, cdr_write_fn write,
                            void *user, struct cdr_download *out, struct cdr_error_info *err)
{
    struct cdr_http_request req = {"GET", url, NULL, 0, NULL, 0, true};
    struct cdr_http_response resp;
    cdr_error rc = cdr__retry_send(c->http, &req, &resp, err);
    if (rc != CDR_OK)
        return rc;
    const char *type = cdr_http_response_header(&resp, "Content-Type");
    bool json = type && strstr(type, "json");
    if (resp.status != 200 || json) {
        rc = refusal(&resp, err);
        cdr_http_response_free(&resp);
        return rc;
    }
    snprintf(out->content_type, sizeof(out->content_type), "%s", type ? type : "");
    cdr__recording_extension(url, out->content_type, out->extension);
    for (size_t at = 0; at < resp.body_len && rc == CDR_OK;) {
        size_t n = resp.body_len - at < CHUNK ? resp.body_len - at : CHUNK;
        if (write(user, resp.body + at, n) != 0)
            rc = cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "stopped by the writer");
        at += n;
        out->bytes += (int64_t)n;
    }
    cdr_http_response_free(&resp);
    return rc;
}

cdr_error cdr_itnio_download(struct cdr_itnio_client *c, const char *url_or_key, cdr_write_fn write,
                             void *user, struct cdr_download *out, struct cdr_error_info *err)
{
    if (out)
        memset(out, 0, sizeof(*out));
    if (!c || !url_or_key || !*url_or_key || !write || !out)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                             "missing client, recording, writer or result");
    if (strstr(url_or_key, "://"))
        return fetch_link(c, url_or_key, write, user, out, err);
    struct cdr_itnio_recording_url link;
    cdr_error rc = cdr_itnio_get_recording_url(c, url_or_key, NULL, &link, err);
    if (rc == CDR_OK)
        rc = fetch_link(c, link.url, write, user, out, err);
    cdr_itnio_recording_url_free(&link);
    return rc;
}
