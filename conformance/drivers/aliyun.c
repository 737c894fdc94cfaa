/* Conformance driver for Alibaba Cloud AICCS HotlineSessionQuery. page and all go through the
 * descriptor (drivers/generic.c): the step's args use its fields (id, acid, call_type, the 1-based
 * lists such as acid_list, method "GET" or "POST", instance_id / access_key_id to send another
 * tenant or key than the credentials name) and page_size for "all". Faults: wrong_secret,
 * clock_offset, signature ("v2" or "v3", the client's default), reuse_nonce (every request of the
 * scenario made under it signs with one SignatureNonce).
 *
 * Calls besides page and all:
 * - "crafted": one V2-signed request whose parameters the step changes ("set": {name: value},
 *   "omit": [names], Signature included), signed over what is sent, so the server judges the
 *   change itself: an unknown Action or Version, a badly formatted Timestamp, a missing
 *   Signature, PageSize 0, another action's missing parameter. The client never sends these, but
 *   any caller can.
 * - "burst": up to "calls" one-record pages as fast as they go, stopping at the first refusal:
 *   the documented flow control.
 * - "error_document": one page as the client asks for it; when refused, the error document
 *   becomes the view (a crafted request's refusal does too), so "entries" can read its Message.
 * - The recording and transcript actions, each answering a view in the vendor's member names:
 *   "recordings" (ListHotlineRecord: the entries), "record_url" (GetRecordUrl, "record_type"
 *   DUP_CALL unless given), "record_data" (GetRecordData), "describe_record" (DescribeRecordData:
 *   "account_type", "account_id", "sec_level", "prod_code") and "messages" (GetHotlineMessageLog:
 *   the utterances). They ask about the step's "acid", or else about the first answered call the
 *   step's query finds (a live target's calls are not known in advance). The links they answer
 *   are kept for the scenario.
 * - "download": GETs a kept link ("index", the first by default; without any, the recordings of
 *   the step's call are listed first) and answers {"bytes", "format"} ("WAVE" for a RIFF/WAVE
 *   file), or the storage's error. */
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/aliyun.h"
#include "cdrsim/timefmt.h"
#include "args.h"

/* Per scenario: the one nonce reuse_nonce requests share, made on first use, the recording
 * links the latest recording call answered, and the latest answer's JSON body (seen on its way to
 * the runner's own observer), for calls that show an error document's members. */
struct session {
    char nonce[64];
    char **links;
    size_t link_count;
    cdr_http_observer_fn forward;
    void *forward_user;
    cJSON *last_body;
};

static void *aliyun_begin(const struct conform_env *env)
{
    (void)env;
    return calloc(1, sizeof(struct session));
}

static void forget_links(struct session *s)
{
    for (size_t i = 0; i < s->link_count; i++)
        free(s->links[i]);
    free(s->links);
    s->links = NULL;
    s->link_count = 0;
}

static void aliyun_end(void *session)
{
    struct session *s = session;
    if (s) {
        forget_links(s);
        cJSON_Delete(s->last_body);
    }
    free(s);
}

/* Keeps what the answer said (a JSON document, else nothing) and passes the exchange on. */
static void remember_answer(void *user, const struct cdr_http_exchange *x)
{
    struct session *s = user;
    cJSON_Delete(s->last_body);
    s->last_body = x->body_len < 65536 ? cJSON_ParseWithLength(x->body, x->body_len) : NULL;
    if (s->forward)
        s->forward(s->forward_user, x);
}

static bool random_hex(char out[64])
{
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof(bytes)) != 1)
        return false;
    for (size_t i = 0; i < sizeof(bytes); i++)
        snprintf(out + 2 * i, 3, "%02x", bytes[i]);
    return true;
}

static void shared_nonce(void *user, char out[64])
{
    struct session *session = user;
    out[0] = '\0'; /* no nonce at all is caught by the caller: it is never sent */
    if (session && (session->nonce[0] || random_hex(session->nonce)))
        memcpy(out, session->nonce, sizeof(session->nonce));
}

static cdr_error aliyun_prepare(const struct conform_call *call, struct cdr_args *args,
                                struct cdr_client_options *opts, struct cdr_error_info *err)
{
    const char *signature = call->faults->signature;
    if (signature && strcmp(signature, "v2") != 0 && strcmp(signature, "v3") != 0)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "signature must be \"v2\" or \"v3\"");
    if (signature &&
        cdr_args_set(args, "v2", strcmp(signature, "v2") == 0 ? "true" : NULL) != CDR_OK)
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    /* One request per call: a retry would sign afresh and hide what the first answer was. A step
     * about retries says how many it wants ("client": {"max_retries": N}). */
    opts->http.max_retries = call->faults->max_retries >= 0 ? call->faults->max_retries : 0;
    struct session *s = call->session;
    if (s && opts->http.observer != remember_answer) {
        s->forward = opts->http.observer;
        s->forward_user = opts->http.observer_user;
        opts->http.observer = remember_answer;
        opts->http.observer_user = s;
    }
    if (call->faults->reuse_nonce) {
        opts->nonce = shared_nonce;
        opts->nonce_user = call->session;
    }
    return CDR_OK;
}

/* ---- crafted requests ------------------------------------------------------------------------ */

/* The parameters the client itself would send for page 1 of 10, as name -> string. The step's
 * "millis" (0..999) stamps the Timestamp to the millisecond, as JavaScript's toISOString() does,
 * and "decimal_comma" writes that fraction after ',' (ISO 8601's other decimal sign). */
static cJSON *base_parameters(const struct conform_call *call, const struct cdr_args *args)
{
    char stamp[CDR_RFC3339_MS_LEN + 1], nonce[64] = "", from[24], to[24];
    int64_t millis = conform_arg_int(call->args, "millis", -1);
    int64_t now = conform_now(call->env, call->faults);
    if (millis >= 0 && millis <= 999) {
        cdr_time_format_rfc3339_ms(now * 1000 + millis, stamp);
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(call->args, "decimal_comma")))
            stamp[19] = ',';
    } else {
        cdr_time_format_rfc3339(now, stamp);
    }
    if (call->faults->reuse_nonce)
        shared_nonce(call->session, nonce);
    else if (!random_hex(nonce))
        nonce[0] = '\0';
    if (!nonce[0])
        return NULL;
    snprintf(from, sizeof(from), "%lld", (long long)conform_arg_int(call->args, "from", 0) * 1000);
    snprintf(to, sizeof(to), "%lld", (long long)conform_arg_int(call->args, "to", 0) * 1000);
    const char *key = cdr_args_get(args, "access_key_id");
    const char *instance = cdr_args_get(args, "instance_id");
    const struct cdr_param base[] = {
        {"AccessKeyId", key ? key : ""},
        {"Action", CDR_ALIYUN_ACTION},
        {"Format", "JSON"},
        {"InstanceId", instance ? instance : ""},
        {"PageNo", "1"},
        {"PageSize", "10"},
        {"QueryEndTime", to},
        {"QueryStartTime", from},
        {"SignatureMethod", "HMAC-SHA1"},
        {"SignatureNonce", nonce},
        {"SignatureVersion", "1.0"},
        {"Timestamp", stamp},
        {"Version", CDR_ALIYUN_VERSION},
    };
    cJSON *params = cJSON_CreateObject();
    for (size_t i = 0; params && i < sizeof(base) / sizeof(base[0]); i++)
        if (!cJSON_AddStringToObject(params, base[i].name, base[i].value)) {
            cJSON_Delete(params);
            return NULL;
        }
    return params;
}

/* The step's "set" and "omit" applied; false when one of them is not what it must be. */
static bool shape(cJSON *params, const cJSON *args, struct cdr_error_info *err)
{
    const cJSON *set = cJSON_GetObjectItemCaseSensitive(args, "set");
    const cJSON *omit = cJSON_GetObjectItemCaseSensitive(args, "omit");
    if ((set && !cJSON_IsObject(set)) || (omit && !cJSON_IsArray(omit))) {
        cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                      "\"set\" must be an object and \"omit\" an array");
        return false;
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, set) {
        if (!cJSON_IsString(item)) {
            cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                          "\"set\" values must be strings, as on the wire");
            return false;
        }
        cJSON_DeleteItemFromObjectCaseSensitive(params, item->string);
        cJSON_AddStringToObject(params, item->string, item->valuestring);
    }
    cJSON_ArrayForEach(item, omit) {
        if (!cJSON_IsString(item)) {
            cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "\"omit\" holds parameter names");
            return false;
        }
        cJSON_DeleteItemFromObjectCaseSensitive(params, item->valuestring);
    }
    return true;
}

/* The form or query text of params, with a V2 Signature over it unless the step omitted or set
 * one. Caller frees. */
static char *signed_text(const cJSON *params, const cJSON *args, const char *method,
                         const char *secret)
{
    size_t n = (size_t)cJSON_GetArraySize(params), i = 0;
    struct cdr_param *list = calloc(n + 1, sizeof(*list));
    if (!list)
        return NULL;
    const cJSON *p;
    cJSON_ArrayForEach(p, params)
        list[i++] = (struct cdr_param){p->string, p->valuestring};
    bool sign = !cJSON_HasObjectItem(params, "Signature");
    const cJSON *o;
    cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(args, "omit"))
        sign = sign && !(cJSON_IsString(o) && strcmp(o->valuestring, "Signature") == 0);
    char *sts = sign ? cdr_aliyun_v2_string_to_sign(method, list, n) : NULL;
    char *signature = sts ? cdr_aliyun_v2_signature(secret, sts) : NULL;
    if (signature)
        list[n++] = (struct cdr_param){"Signature", signature};
    char *text = !sign || signature ? cdr_canonical_query(list, n) : NULL;
    free(sts);
    free(signature);
    free(list);
    return text;
}

static cdr_error send_crafted(const struct conform_env *env, const char *method, const char *text,
                              struct conform_result *out)
{
    struct cdr_http_options o;
    cdr_http_options_default(&o);
    o.insecure = env->insecure;
    o.observer = env->observer;
    o.observer_user = env->observer_user;
    o.max_retries = 0;
    struct cdr_http *http = cdr_http_new(&o, &out->info);
    if (!http)
        return out->info.code;
    bool get = strcmp(method, "GET") == 0;
    size_t url_len = strlen(env->base_url) + strlen(text) + 4;
    char *url = malloc(url_len);
    if (!url) {
        cdr_http_free(http);
        return cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
    }
    snprintf(url, url_len, "%s/%s%s", env->base_url, get ? "?" : "", get ? text : "");
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded",
                             "Accept: application/json"};
    struct cdr_http_request req = {method,
                                   url,
                                   get ? headers + 1 : headers,
                                   get ? 1 : 2,
                                   get ? NULL : text,
                                   get ? 0 : strlen(text),
                                   false};
    struct cdr_http_response resp;
    cdr_error rc = cdr_http_send(http, &req, &resp, &out->info);
    if (rc == CDR_OK) {
        struct cdr_page p;
        rc = cdr_vendor_parse(cdr_vendor_find("aliyun"), resp.body, resp.body_len, resp.status, &p,
                              &out->info);
        if (rc == CDR_OK && !conform_result_take_page(out, &p))
            rc = cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
        /* A refusal shows its error document, so a step can read its Message. */
        if (rc != CDR_OK &&
            !cJSON_IsObject(out->view = cJSON_ParseWithLength(resp.body, resp.body_len))) {
            cJSON_Delete(out->view);
            out->view = NULL;
        }
        cdr_page_free(&p);
        cdr_http_response_free(&resp);
    }
    free(url);
    cdr_http_free(http);
    return rc;
}

static cdr_error aliyun_crafted(const struct conform_call *call, struct conform_result *out)
{
    if (call->faults->signature && strcmp(call->faults->signature, "v2") != 0)
        return cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT,
                             "crafted requests are signed V2");
    const char *method = conform_arg_str(call->args, "method");
    method = method && strcmp(method, "GET") == 0 ? "GET" : "POST";
    struct cdr_args *args = conform_args_for_step(call, &out->info);
    if (!args)
        return out->info.code;
    cJSON *params = base_parameters(call, args);
    cdr_error rc = CDR_ERR_INVALID_ARGUMENT;
    if (!params) {
        rc = cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "no parameters could be made");
    } else if (shape(params, call->args, &out->info)) {
        const char *secret = cdr_args_get(args, "access_key_secret");
        char *text = signed_text(params, call->args, method, secret ? secret : "");
        rc = text ? send_crafted(call->env, method, text, out)
                  : cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
        free(text);
    }
    cJSON_Delete(params);
    cdr_args_free(args);
    return rc;
}

/* ---- the flow control ---------------------------------------------------------------------- */

static cdr_error aliyun_burst(const struct conform_call *call, struct conform_result *out)
{
    struct conform_client c;
    if (!conform_client_open(&c, call, out)) {
        conform_client_close(&c);
        return out->info.code;
    }
    int64_t calls = conform_arg_int(call->args, "calls", 100);
    cdr_error rc = CDR_OK;
    for (int64_t i = 0; i < calls && rc == CDR_OK; i++) {
        struct cdr_page p;
        rc = cdr_client_page(c.client, c.args, 1, 1, &p, &out->info);
        cdr_page_free(&p);
    }
    conform_client_close(&c);
    return rc;
}

/* ---- recordings and transcripts ---------------------------------------------------------------
 */

static cJSON *text_or_null(const char *text)
{
    return text ? cJSON_CreateString(text) : cJSON_CreateNull();
}

static cJSON *ms_or_null(int64_t ms)
{
    return ms == CDR_TIME_NONE ? cJSON_CreateNull() : cJSON_CreateNumber((double)ms);
}

/* Replaces the scenario's kept links by these (NULLs skipped); false when out of memory. */
static bool keep_links(struct session *s, const char *const *links, size_t n)
{
    forget_links(s);
    s->links = calloc(n ? n : 1, sizeof(*s->links));
    for (size_t i = 0; s->links && i < n; i++)
        if (links[i] && !(s->links[s->link_count++] = strdup(links[i])))
            return false;
    return s->links != NULL;
}

/* The session the step asks about: its "acid", else the first answered call (one with a
 * PickUpTime) among the first 50 the step's query finds, else the first of them. */
static cdr_error step_acid(const struct conform_client *c, const struct conform_call *call,
                           char **acid, struct cdr_error_info *err)
{
    const char *given = conform_arg_str(call->args, "acid");
    if (given)
        return (*acid = strdup(given)) ? CDR_OK
                                       : cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    struct cdr_page p;
    cdr_error rc = cdr_client_page(c->client, c->args, 1, 50, &p, err);
    const struct cdr_record *pick = NULL;
    for (size_t i = 0; rc == CDR_OK && i < p.record_count && !pick; i++)
        if (p.records[i].answer_time != CDR_TIME_NONE && p.records[i].call_id)
            pick = &p.records[i];
    if (rc == CDR_OK && !pick && p.record_count)
        pick = &p.records[0];
    if (rc == CDR_OK && (!pick || !pick->call_id))
        rc = cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "no call in the range to ask about");
    else if (rc == CDR_OK && !(*acid = strdup(pick->call_id)))
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    cdr_page_free(&p);
    return rc;
}

static cdr_error recordings(struct cdr_aliyun_client *client, const char *instance,
                            const char *acid, struct session *s, struct conform_result *out)
{
    struct cdr_aliyun_recordings list;
    cdr_error rc = cdr_aliyun_list_hotline_record(client, instance, acid, &list, &out->info);
    if (rc != CDR_OK)
        return rc;
    const char **links = calloc(list.count ? list.count : 1, sizeof(*links));
    bool ok = links && (out->view = cJSON_CreateArray());
    for (size_t i = 0; ok && i < list.count; i++) {
        const struct cdr_aliyun_recording *r = &list.items[i];
        cJSON *e = cJSON_CreateObject();
        ok = e && cJSON_AddItemToArray(out->view, e) &&
             cJSON_AddItemToObject(e, "ConnectionId", text_or_null(r->connection_id)) &&
             cJSON_AddItemToObject(e, "CallId", text_or_null(r->call_id)) &&
             cJSON_AddItemToObject(e, "StartTime", ms_or_null(r->start_ms)) &&
             cJSON_AddItemToObject(e, "EndTime", ms_or_null(r->end_ms)) &&
             cJSON_AddItemToObject(e, "Url", text_or_null(r->url));
        links[i] = r->url;
    }
    ok = ok && keep_links(s, links, list.count);
    free(links);
    cdr_aliyun_recordings_free(&list);
    return ok ? CDR_OK : cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
}

static cdr_error record_link(struct cdr_aliyun_client *client, const char *name,
                             const struct conform_call *call, const char *instance,
                             const char *acid, struct session *s, struct conform_result *out)
{
    struct cdr_aliyun_record_link link;
    cdr_error rc;
    if (strcmp(name, "record_url") == 0) {
        const char *type = conform_arg_str(call->args, "record_type");
        rc = cdr_aliyun_get_record_url(client, instance, acid, type ? type : "DUP_CALL", &link,
                                       &out->info);
    } else if (strcmp(name, "record_data") == 0) {
        rc = cdr_aliyun_get_record_data(client, instance, acid, &link, &out->info);
    } else {
        struct cdr_aliyun_account account = {conform_arg_str(call->args, "prod_code"),
                                             conform_arg_str(call->args, "account_type"),
                                             conform_arg_str(call->args, "account_id"),
                                             (int)conform_arg_int(call->args, "sec_level", 0)};
        rc = cdr_aliyun_describe_record_data(client, &account, acid, &link, &out->info);
    }
    if (rc != CDR_OK)
        return rc;
    bool ok = (out->view = cJSON_CreateObject()) &&
              cJSON_AddItemToObject(out->view, "Acid", text_or_null(link.acid)) &&
              cJSON_AddItemToObject(out->view, "OssLink", text_or_null(link.oss_link)) &&
              (!link.agent_id || cJSON_AddStringToObject(out->view, "AgentId", link.agent_id)) &&
              keep_links(s, (const char *const[]){link.oss_link}, 1);
    cdr_aliyun_record_link_free(&link);
    return ok ? CDR_OK : cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
}

static cdr_error messages(struct cdr_aliyun_client *client, const char *instance, const char *acid,
                          struct conform_result *out)
{
    struct cdr_aliyun_messages list;
    cdr_error rc = cdr_aliyun_get_hotline_message_log(client, instance, acid, &list, &out->info);
    if (rc != CDR_OK)
        return rc;
    bool ok = (out->view = cJSON_CreateArray()) != NULL;
    for (size_t i = 0; ok && i < list.count; i++) {
        const struct cdr_aliyun_message *m = &list.items[i];
        cJSON *e = cJSON_CreateObject();
        ok = e && cJSON_AddItemToArray(out->view, e) &&
             cJSON_AddItemToObject(e, "Acid", text_or_null(m->acid)) &&
             cJSON_AddNumberToObject(e, "SenderType", m->sender_type) &&
             cJSON_AddItemToObject(e, "StartTime", ms_or_null(m->start_ms)) &&
             cJSON_AddItemToObject(e, "EndTime", ms_or_null(m->end_ms)) &&
             cJSON_AddItemToObject(e, "Mid", text_or_null(m->mid)) &&
             cJSON_AddItemToObject(e, "Content", text_or_null(m->content));
    }
    cdr_aliyun_messages_free(&list);
    return ok ? CDR_OK : cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
}

/* What a download wrote: its size and the first bytes, enough to tell a WAV file. */
struct audio_seen {
    uint64_t bytes;
    unsigned char head[12];
};

static int see_audio(void *user, const void *data, size_t len)
{
    struct audio_seen *a = user;
    for (size_t i = 0; i < len && a->bytes + i < sizeof(a->head); i++)
        a->head[a->bytes + i] = ((const unsigned char *)data)[i];
    a->bytes += len;
    return 0;
}

static cdr_error download(struct cdr_aliyun_client *client, const char *instance,
                          const struct conform_client *c, const struct conform_call *call,
                          struct session *s, struct conform_result *out)
{
    cdr_error rc = CDR_OK;
    if (!s->link_count) { /* list the step's call's recordings first */
        char *acid = NULL;
        struct conform_result listed;
        conform_result_init(&listed);
        rc = step_acid(c, call, &acid, &out->info);
        if (rc == CDR_OK && (rc = recordings(client, instance, acid, s, &listed)) != CDR_OK)
            out->info = listed.info;
        conform_result_free(&listed);
        free(acid);
    }
    int64_t index = conform_arg_int(call->args, "index", 0);
    if (rc == CDR_OK && (index < 0 || (size_t)index >= s->link_count))
        rc = cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT, "no recording link %lld to fetch",
                           (long long)index);
    struct audio_seen seen = {0};
    if (rc == CDR_OK)
        rc = cdr_aliyun_download(client, s->links[index], see_audio, &seen, NULL, &out->info);
    if (rc != CDR_OK)
        return rc;
    bool wave = seen.bytes >= 12 && memcmp(seen.head, "RIFF", 4) == 0 &&
                memcmp(seen.head + 8, "WAVE", 4) == 0;
    bool ok = (out->view = cJSON_CreateObject()) &&
              cJSON_AddNumberToObject(out->view, "bytes", (double)seen.bytes) &&
              cJSON_AddStringToObject(out->view, "format", wave ? "WAVE" : "other");
    return ok ? CDR_OK : cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
}

/* ---- an answer's document ---------------------------------------------------------------- */

/* One page as the client asks for it (the step's faults and signature apply); when refused, the
 * error document the service answered becomes the view, so a step can read its Message. */
static cdr_error error_document(const struct conform_call *call, struct conform_result *out)
{
    struct conform_client c;
    struct session *s = call->session;
    cdr_error rc = out->info.code;
    if (conform_client_open(&c, call, out)) {
        struct cdr_page p;
        cJSON_Delete(s->last_body);
        s->last_body = NULL;
        rc = cdr_client_page(c.client, c.args, 1, 10, &p, &out->info);
        if (rc == CDR_OK && !conform_result_take_page(out, &p))
            rc = cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
        cdr_page_free(&p);
        if (rc != CDR_OK && cJSON_IsObject(s->last_body)) {
            out->view = s->last_body;
            s->last_body = NULL;
        }
    }
    conform_client_close(&c);
    return rc;
}

static const char *const recording_calls[] = {"recordings",      "record_url", "record_data",
                                              "describe_record", "messages",   "download"};

static cdr_error recording_call(const struct conform_call *call, const char *name,
                                struct conform_result *out)
{
    struct conform_client c;
    if (!conform_client_open(&c, call, out)) {
        conform_client_close(&c);
        return out->info.code;
    }
    struct cdr_aliyun_client *client = cdr_aliyun_client_of(c.client);
    struct session *s = call->session;
    const char *instance = cdr_args_get(c.args, "instance_id");
    char *acid = NULL;
    cdr_error rc;
    if (strcmp(name, "download") == 0)
        rc = download(client, instance, &c, call, s, out);
    else if ((rc = step_acid(&c, call, &acid, &out->info)) == CDR_OK)
        rc = strcmp(name, "recordings") == 0 ? recordings(client, instance, acid, s, out)
             : strcmp(name, "messages") == 0
                 ? messages(client, instance, acid, out)
                 : record_link(client, name, call, instance, acid, s, out);
    free(acid);
    conform_client_close(&c);
    return rc;
}

static cdr_error aliyun_action(const struct conform_call *call, const char *name,
                               struct conform_result *out)
{
    if (strcmp(name, "crafted") == 0)
        return aliyun_crafted(call, out);
    if (strcmp(name, "burst") == 0)
        return aliyun_burst(call, out);
    if (strcmp(name, "error_document") == 0)
        return error_document(call, out);
    for (size_t i = 0; i < sizeof(recording_calls) / sizeof(recording_calls[0]); i++)
        if (strcmp(name, recording_calls[i]) == 0)
            return recording_call(call, name, out);
    return cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT, "no call named %s for aliyun", name);
}

static const char *const calls[] = {"crafted",    "burst",       "recordings",
                                    "record_url", "record_data", "describe_record",
                                    "messages",   "download",    NULL};

const struct conform_driver conform_aliyun_driver = {
    .vendor = "aliyun",
    .begin = aliyun_begin,
    .end = aliyun_end,
    .prepare = aliyun_prepare,
    .page = conform_vendor_page,
    .all = conform_vendor_all,
    .action = aliyun_action,
    .calls = calls,
};
