/* Yunfu recordings: download-full-voice (one call's audio) and the batch of play URLs. Neither
 * answer is documented, so the client reads what comes: audio by its Content-Type (or its first
 * bytes), a redirect to the audio, the vendor's JSON envelope as an error, an object store's XML
 * error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cdrsim/http.h"
#include "internal.h"
#include "json_get.h"

static bool is_redirect(long status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

static bool starts_with(const char *text, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(text, prefix, n) == 0;
}

/* Audio by its media type, or (with none or a generic one) by its first bytes: RIFF/WAVE, MP3's
 * ID3 tag or frame sync, Ogg. */
static bool is_audio(const char *type, const char *body, size_t len)
{
    if (type && strncasecmp(type, "audio/", 6) == 0)
        return true;
    bool generic = !type || strncasecmp(type, "application/octet-stream", 24) == 0 ||
                   strncasecmp(type, "binary/octet-stream", 19) == 0;
    return generic && (starts_with(body, len, "RIFF") || starts_with(body, len, "ID3") ||
                       starts_with(body, len, "OggS") ||
                       (len >= 2 && (unsigned char)body[0] == 0xFF &&
                        ((unsigned char)body[1] & 0xE0) == 0xE0));
}

/* The text of <tag>…</tag> in an XML error body, copied into out ("" when absent). */
static void xml_member(const char *body, const char *tag, char *out, size_t out_len)
{
    char open[32], close[32];
    snprintf(open, sizeof(open), "<%s>", tag);
    snprintf(close, sizeof(close), "</%s>", tag);
    const char *a = strstr(body, open), *b = a ? strstr(a, close) : NULL;
    out[0] = '\0';
    if (a && b)
        snprintf(out, out_len, "%.*s", (int)(b - a - strlen(open)), a + strlen(open));
}

/* An object store's XML error (the play URL's host): 403 auth (expired or bad signature), 404
 * not found. */
static cdr_error store_error(const struct cdr_http_response *resp, struct cdr_error_info *err)
{
    char code[64], message[256];
    xml_member(resp->body, "Code", code, sizeof(code));
    xml_member(resp->body, "Message", message, sizeof(message));
    cdr_error rc = resp->status == 403   ? CDR_ERR_AUTH
                   : resp->status == 404 ? CDR_ERR_NOT_FOUND
                                         : CDR_ERR_HTTP;
    return cdr_error_set_vendor(err, rc, resp->status, code,
                                message[0] ? message : "the recording's store refused it");
}

/* "application/xml", "text/xml; charset=utf-8" ... */
static bool names_xml(const char *type)
{
    for (const char *p = type; *p; p++)
        if (strncasecmp(p, "xml", 3) == 0)
            return true;
    return false;
}

/* What an answer that is not audio says: the vendor's error envelope, Laravel's error, the store's
 * XML error, or a success that carries no audio. */
static cdr_error not_audio(const struct cdr_http_response *resp, const char *type,
                           struct cdr_error_info *err)
{
    const char *body = resp->body ? resp->body : "";
    if ((type && names_xml(type)) || starts_with(body, resp->body_len, "<?xml") ||
        starts_with(body, resp->body_len, "<Error>"))
        return store_error(resp, err);
    cJSON *root;
    cdr_error rc = cdr__yunfu_open_envelope(body, resp->body_len, resp->status, &root, err);
    if (rc != CDR_OK)
        return rc;
    cJSON_Delete(root);
    return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "a success without audio (%s)",
                         type ? type : "no Content-Type");
}

/* Writes the audio of resp through write, following one redirect when follow. */
static cdr_error take_audio(struct cdr_yunfu_client *c, const struct cdr_http_response *resp,
                            bool follow, cdr_yunfu_write_fn write, void *user,
                            struct cdr_yunfu_audio *info, struct cdr_error_info *err);

/* A redirect's target (made absolute against the base URL when it is a path), fetched without the
 * token. */
static cdr_error follow_redirect(struct cdr_yunfu_client *c, const struct cdr_http_response *resp,
                                 cdr_yunfu_write_fn write, void *user, struct cdr_yunfu_audio *info,
                                 struct cdr_error_info *err)
{
    const char *location = cdr_http_response_header(resp, "Location");
    if (!location || !location[0])
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "a redirect without a Location");
    struct cdr_http_response next;
    cdr_error rc = location[0] == '/' ? cdr__yunfu_get(c, location, NULL, NULL, &next, err)
                                      : cdr__yunfu_get(c, NULL, NULL, location, &next, err);
    if (rc == CDR_OK) {
        rc = take_audio(c, &next, false, write, user, info, err);
        cdr_http_response_free(&next);
    }
    return rc;
}

static cdr_error take_audio(struct cdr_yunfu_client *c, const struct cdr_http_response *resp,
                            bool follow, cdr_yunfu_write_fn write, void *user,
                            struct cdr_yunfu_audio *info, struct cdr_error_info *err)
{
    if (is_redirect(resp->status)) {
        if (!follow)
            return cdr_error_set(err, CDR_ERR_HTTP, "redirected twice");
        return follow_redirect(c, resp, write, user, info, err);
    }
    const char *type = cdr_http_response_header(resp, "Content-Type");
    if (resp->status != 200 || !is_audio(type, resp->body, resp->body_len))
        return cdr__yunfu_with_status(not_audio(resp, type, err), resp->status, err);
    snprintf(info->content_type, sizeof(info->content_type), "%s", type ? type : "");
    if (resp->body_len && write(user, resp->body, resp->body_len) != 0)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "stopped by the writer");
    info->bytes = resp->body_len;
    return CDR_OK;
}

struct audio_taking {
    struct cdr_yunfu_client *c;
    cdr_yunfu_write_fn write;
    void *user;
    struct cdr_yunfu_audio *info;
};

static cdr_error take_answer(void *ctx, const struct cdr_http_response *resp,
                             struct cdr_error_info *err)
{
    const struct audio_taking *t = ctx;
    return take_audio(t->c, resp, true, t->write, t->user, t->info, err);
}

static cdr_error download(struct cdr_yunfu_client *c, const char *path, const char *query,
                          const char *url, cdr_yunfu_write_fn write, void *user,
                          struct cdr_yunfu_audio *info, struct cdr_error_info *err)
{
    struct cdr_yunfu_audio ignored;
    if (!info)
        info = &ignored;
    memset(info, 0, sizeof(*info));
    if (!write)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing writer");
    /* Laravel's throttle covers download-full-voice as it covers the pages: a refused download
     * (take_audio writes nothing of a refusal) is asked again after the wait. */
    struct audio_taking t = {c, write, user, info};
    return cdr__yunfu_get_taken(c, path, query, url, take_answer, &t, err);
}

cdr_error cdr_yunfu_download_voice(struct cdr_yunfu_client *c, const char *user_id,
                                   const char *task_id, const char *record_id,
                                   const char *sub_user_id, cdr_yunfu_write_fn write, void *user,
                                   struct cdr_yunfu_audio *info, struct cdr_error_info *err)
{
    if (!c || !task_id || !record_id)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client, task or record id");
    char *path = cdr__yunfu_task_path(user_id, task_id, "record", record_id, "download-full-voice");
    char *query = cdr__yunfu_detail_query(sub_user_id);
    cdr_error rc = path && query ? download(c, path, query, NULL, write, user, info, err)
                                 : cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    free(path);
    free(query);
    return rc;
}

cdr_error cdr_yunfu_download_url(struct cdr_yunfu_client *c, const char *url,
                                 cdr_yunfu_write_fn write, void *user, struct cdr_yunfu_audio *info,
                                 struct cdr_error_info *err)
{
    if (!c || !url)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client or URL");
    return download(c, NULL, NULL, url, write, user, info, err);
}

/* ---- the batch of play URLs ------------------------------------------------------------------ */

void cdr_yunfu_voice_urls_free(struct cdr_yunfu_voice_urls *urls)
{
    if (!urls)
        return;
    for (size_t i = 0; i < urls->count; i++) {
        free(urls->items[i].record_id);
        free(urls->items[i].url);
    }
    free(urls->items);
    memset(urls, 0, sizeof(*urls));
}

/* One (record id, url or null) pair onto out; false when out of memory or the url is no string. */
static bool add_url(struct cdr_yunfu_voice_urls *out, size_t cap, const char *id, const cJSON *url)
{
    if (out->count == cap || !id || (!cJSON_IsString(url) && !cJSON_IsNull(url)))
        return false;
    struct cdr_yunfu_voice_url *u = &out->items[out->count++];
    u->record_id = strdup(id);
    u->url = cJSON_IsString(url) ? strdup(url->valuestring) : NULL;
    return u->record_id && (!cJSON_IsString(url) || u->url);
}

/* The pairs of one entry: {"record_id": id, "url": u} (also "id"), or {id: u, ...}. */
static bool read_entry(const cJSON *e, struct cdr_yunfu_voice_urls *out, size_t cap)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "record_id");
    if (!id)
        id = cJSON_GetObjectItemCaseSensitive(e, "id");
    const cJSON *url = cJSON_GetObjectItemCaseSensitive(e, "url");
    if (cJSON_IsString(id) && url)
        return add_url(out, cap, id->valuestring, url);
    const cJSON *m;
    cJSON_ArrayForEach(m, e) {
        if (!add_url(out, cap, m->string, m))
            return false;
    }
    return true;
}

cdr_error cdr_yunfu_parse_voice_urls(const char *body, size_t len, long http_status,
                                     struct cdr_yunfu_voice_urls *out, struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    cJSON *root;
    cdr_error rc = cdr__yunfu_open_envelope(body, len, http_status, &root, err);
    if (rc != CDR_OK)
        return rc;
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data"), *e;
    size_t cap = 0;
    cJSON_ArrayForEach(e, (cJSON_IsArray(data) ? data : NULL))
        cap += cJSON_IsObject(e) ? (size_t)cJSON_GetArraySize(e) : 1;
    if (cJSON_IsObject(data))
        cap = (size_t)cJSON_GetArraySize(data);
    bool ok = cJSON_IsArray(data) || cJSON_IsObject(data);
    if (ok && cap && !(out->items = calloc(cap, sizeof(*out->items)))) {
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    } else if (cJSON_IsObject(data)) {
        ok = read_entry(data, out, cap);
    } else {
        cJSON_ArrayForEach(e, (ok ? data : NULL)) {
            ok = ok && cJSON_IsObject(e) && read_entry(e, out, cap);
        }
    }
    if (rc == CDR_OK && !ok)
        rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                           "data is neither a list of {record_id, url} nor a map of URLs");
    cJSON_Delete(root);
    if (rc != CDR_OK)
        cdr_yunfu_voice_urls_free(out);
    return cdr__yunfu_with_status(rc, http_status, err);
}

static cdr_error parse_urls(const char *body, size_t len, long http_status, void *out,
                            struct cdr_error_info *err)
{
    return cdr_yunfu_parse_voice_urls(body, len, http_status, out, err);
}

cdr_error cdr_yunfu_get_voice_urls(struct cdr_yunfu_client *c, const char *user_id,
                                   const char *task_id, const char *const *record_ids, size_t count,
                                   const char *sub_user_id, struct cdr_yunfu_voice_urls *out,
                                   struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (!c || !user_id || !task_id || !record_ids)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client, account or task");
    if (count < 1 || count > CDR_YUNFU_MAX_VOICE_BATCH)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "a batch names 1 to %d record ids",
                             CDR_YUNFU_MAX_VOICE_BATCH);
    char *path =
        cdr__yunfu_task_path(user_id, task_id, "batch_record", NULL, "download-full-voice");
    char *query = cdr__yunfu_voice_query(record_ids, count, sub_user_id);
    cdr_error rc = !path || !query ? cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory")
                                   : cdr__yunfu_get_parsed(c, path, query, parse_urls, out, err);
    free(path);
    free(query);
    return rc;
}
