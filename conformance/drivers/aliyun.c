/* Conformance driver for Alibaba Cloud AICCS HotlineSessionQuery: suite arguments to cdr_aliyun_*
 * calls. Arguments use the CLI's names in snake case: id, acid, call_type, calling_number,
 * called_number, group_id, group_name, member_id, member_name, servicer_id, servicer_name,
 * call_result and the 1-based lists acid_list, call_type_list, group_id_list,
 * calling_number_list, called_number_list, member_id_list, servicer_id_list, call_result_list;
 * page_size for "all", method ("GET" or "POST"), and instance_id / access_key_id to send another
 * tenant or key than the credentials name. Faults: wrong_secret, clock_offset, signature
 * ("v2" or "v3", the client's default), reuse_nonce (every request of the scenario made under it
 * signs with one SignatureNonce).
 *
 * Two calls besides page and all:
 * - "crafted": one V2-signed request whose parameters the step changes ("set": {name: value},
 *   "omit": [names], Signature included), signed over what is sent, so the server judges the
 *   change itself: an unknown Action or Version, a badly formatted Timestamp, a missing
 *   Signature, PageSize 0. The client never sends these, but any caller can.
 * - "burst": up to "calls" one-record pages as fast as they go, stopping at the first refusal:
 *   the documented flow control. */
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/aliyun.h"
#include "cdrsim/timefmt.h"
#include "../conform.h"
#include "args.h"

static const char *const aliyun_fields[] = {"access_key_id", "access_key_secret", "instance_id",
                                            NULL};

/* Per scenario: the one nonce reuse_nonce requests share, made on first use. */
struct session {
    char nonce[64];
};

static void *aliyun_begin(const struct conform_env *env)
{
    (void)env;
    return calloc(1, sizeof(struct session));
}

static void aliyun_end(void *session)
{
    free(session);
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

/* What the clock and nonce callbacks see. */
struct signer {
    const struct conform_env *env;
    const struct conform_faults *faults;
    struct session *session;
};

static int64_t clock_of(void *user)
{
    const struct signer *s = user;
    return conform_now(s->env, s->faults);
}

static void shared_nonce(void *user, char out[64])
{
    struct session *session = ((const struct signer *)user)->session;
    out[0] = '\0'; /* no nonce at all is caught by the caller: it is never sent */
    if (session && (session->nonce[0] || random_hex(session->nonce)))
        memcpy(out, session->nonce, sizeof(session->nonce));
}

/* A secret of the right shape that is not the right one. */
static void secret_of(const struct conform_env *env, const struct conform_faults *faults, char *out,
                      size_t len)
{
    const char *real = conform_credential(env, "access_key_secret");
    snprintf(out, len, "%s%s", real ? real : "", faults->wrong_secret ? "-wrong" : "");
}

static const char *key_id_of(const struct conform_env *env, const cJSON *args)
{
    const char *key = conform_arg_str(args, "access_key_id");
    return key ? key : conform_credential(env, "access_key_id");
}

static bool uses_get(const cJSON *args)
{
    const char *method = conform_arg_str(args, "method");
    return method && strcmp(method, "GET") == 0;
}

static struct cdr_aliyun_client *open_client(const struct conform_env *env,
                                             const struct conform_faults *faults, void *session,
                                             const cJSON *args, struct signer *signer,
                                             struct conform_result *out)
{
    if (faults->signature && strcmp(faults->signature, "v2") != 0 &&
        strcmp(faults->signature, "v3") != 0) {
        cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT, "signature must be \"v2\" or \"v3\"");
        return NULL;
    }
    char secret[256];
    secret_of(env, faults, secret, sizeof(secret));
    struct cdr_aliyun_options o;
    cdr_aliyun_options_default(&o);
    o.base_url = env->base_url;
    o.access_key_id = key_id_of(env, args);
    o.access_key_secret = secret;
    o.signing = faults->signature && strcmp(faults->signature, "v2") == 0 ? CDR_ALIYUN_SIGN_V2
                                                                          : CDR_ALIYUN_SIGN_V3;
    o.use_get = uses_get(args);
    o.http.insecure = env->insecure;
    o.http.observer = env->observer;
    o.http.observer_user = env->observer_user;
    /* One request per call: a retry would sign afresh and hide what the first answer was. */
    o.http.max_retries = 0;
    *signer = (struct signer){env, faults, session};
    o.clock = clock_of;
    o.clock_user = signer;
    if (faults->reuse_nonce) {
        o.nonce = shared_nonce;
        o.nonce_user = signer;
    }
    return cdr_aliyun_client_new(&o, &out->info);
}

static const char *instance_of(const struct conform_env *env, const cJSON *args)
{
    const char *instance = conform_arg_str(args, "instance_id");
    return instance ? instance : conform_credential(env, "instance_id");
}

static void read_filter(const struct conform_env *env, const cJSON *args,
                        struct cdr_aliyun_filter *f, struct conform_lists *lists)
{
    cdr_aliyun_filter_init(f);
    f->instance_id = instance_of(env, args);
    f->start_ms = conform_arg_int(args, "from", 0) * 1000;
    f->end_ms = conform_arg_int(args, "to", 0) * 1000;
    f->id = conform_arg_str(args, "id");
    f->acid = conform_arg_str(args, "acid");
    f->has_call_type = cJSON_HasObjectItem(args, "call_type");
    f->call_type = (int)conform_arg_int(args, "call_type", 0);
    f->calling_number = conform_arg_str(args, "calling_number");
    f->called_number = conform_arg_str(args, "called_number");
    f->has_group_id = cJSON_HasObjectItem(args, "group_id");
    f->group_id = conform_arg_int(args, "group_id", 0);
    f->group_name = conform_arg_str(args, "group_name");
    f->member_id = conform_arg_str(args, "member_id");
    f->member_name = conform_arg_str(args, "member_name");
    f->servicer_id = conform_arg_str(args, "servicer_id");
    f->servicer_name = conform_arg_str(args, "servicer_name");
    f->call_result = conform_arg_str(args, "call_result");
    f->acid_list = conform_arg_strs(lists, args, "acid_list", &f->acid_list_count);
    f->call_type_list = conform_arg_ints(lists, args, "call_type_list", &f->call_type_list_count);
    f->group_id_list = conform_arg_int64s(lists, args, "group_id_list", &f->group_id_list_count);
    f->calling_number_list =
        conform_arg_strs(lists, args, "calling_number_list", &f->calling_number_list_count);
    f->called_number_list =
        conform_arg_strs(lists, args, "called_number_list", &f->called_number_list_count);
    f->member_id_list = conform_arg_strs(lists, args, "member_id_list", &f->member_id_list_count);
    f->servicer_id_list =
        conform_arg_strs(lists, args, "servicer_id_list", &f->servicer_id_list_count);
    f->call_result_list =
        conform_arg_strs(lists, args, "call_result_list", &f->call_result_list_count);
}

/* A page's paging as the runner reads it; pages counts by the size asked for (0: the size the
 * server says it used), as the client's own paging does. */
static void take_page(struct cdr_aliyun_page *p, int64_t size, struct conform_result *out)
{
    int64_t per = size > 0 ? size : p->page_size;
    out->paged = true;
    out->total = p->total_count;
    out->page = p->page_number;
    out->size = p->page_size;
    out->pages = per > 0 ? p->total_count / per + (p->total_count % per != 0) : -1;
    for (size_t i = 0; i < p->record_count; i++)
        conform_result_add(out, &p->records[i]);
    cdr_aliyun_page_free(p);
}

/* A client and the step's filter, ready for one call. */
struct query {
    struct signer signer;
    struct cdr_aliyun_client *client;
    struct conform_lists lists;
    struct cdr_aliyun_filter filter;
};

static bool query_open(struct query *q, void *session, const struct conform_env *env,
                       const struct conform_faults *faults, const cJSON *args,
                       struct conform_result *out)
{
    memset(q, 0, sizeof(*q));
    q->client = open_client(env, faults, session, args, &q->signer, out);
    if (q->client)
        read_filter(env, args, &q->filter, &q->lists);
    return q->client != NULL;
}

static void query_close(struct query *q)
{
    conform_lists_free(&q->lists);
    cdr_aliyun_client_free(q->client);
}

static cdr_error aliyun_page(void *session, const struct conform_env *env,
                             const struct conform_faults *faults, const cJSON *args, int64_t page,
                             int64_t size, struct conform_result *out)
{
    struct query q;
    if (!query_open(&q, session, env, faults, args, out))
        return out->info.code;
    struct cdr_aliyun_page p;
    cdr_error rc = cdr_aliyun_query_page(q.client, &q.filter, page, size, &p, &out->info);
    if (rc == CDR_OK)
        take_page(&p, size, out);
    query_close(&q);
    return rc;
}

static int collect(void *user, const struct cdr_record *rec)
{
    return conform_result_add(user, rec) ? 0 : 1;
}

static void count_pages(void *user, const struct cdr_aliyun_progress *p)
{
    struct conform_result *out = user;
    out->paged = true;
    out->total = p->total_count;
    out->pages = p->pages;
    out->page = p->page;
}

static cdr_error aliyun_all(void *session, const struct conform_env *env,
                            const struct conform_faults *faults, const cJSON *args,
                            struct conform_result *out)
{
    struct query q;
    if (!query_open(&q, session, env, faults, args, out))
        return out->info.code;
    int64_t size = conform_arg_int(args, "page_size", 100);
    cdr_error rc =
        cdr_aliyun_fetch_all(q.client, &q.filter, size, collect, count_pages, out, &out->info);
    out->size = size;
    query_close(&q);
    return rc;
}

/* ---- crafted requests ------------------------------------------------------------------------ */

/* The parameters the client itself would send for page 1 of 10, as name -> string. */
static cJSON *base_parameters(const struct conform_env *env, const struct conform_faults *faults,
                              struct session *session, const cJSON *args)
{
    char stamp[CDR_RFC3339_LEN + 1], nonce[64] = "", from[24], to[24];
    cdr_time_format_rfc3339(conform_now(env, faults), stamp);
    struct signer signer = {env, faults, session};
    if (faults->reuse_nonce)
        shared_nonce(&signer, nonce);
    else if (!random_hex(nonce))
        nonce[0] = '\0';
    if (!nonce[0])
        return NULL;
    snprintf(from, sizeof(from), "%lld", (long long)conform_arg_int(args, "from", 0) * 1000);
    snprintf(to, sizeof(to), "%lld", (long long)conform_arg_int(args, "to", 0) * 1000);
    const char *instance = instance_of(env, args);
    const struct cdr_param base[] = {
        {"AccessKeyId", key_id_of(env, args)},
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
        if (!cJSON_AddStringToObject(params, base[i].name, base[i].value ? base[i].value : "")) {
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
        struct cdr_aliyun_page p;
        rc = cdr_aliyun_parse_page(resp.body, resp.body_len, resp.status, &p, &out->info);
        if (rc == CDR_OK)
            take_page(&p, 0, out);
        cdr_http_response_free(&resp);
    }
    free(url);
    cdr_http_free(http);
    return rc;
}

static cdr_error aliyun_crafted(void *session, const struct conform_env *env,
                                const struct conform_faults *faults, const cJSON *args,
                                struct conform_result *out)
{
    if (faults->signature && strcmp(faults->signature, "v2") != 0)
        return cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT,
                             "crafted requests are signed V2");
    const char *method = uses_get(args) ? "GET" : "POST";
    cJSON *params = base_parameters(env, faults, session, args);
    if (!params)
        return cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "no parameters could be made");
    cdr_error rc = CDR_ERR_INVALID_ARGUMENT;
    if (shape(params, args, &out->info)) {
        char secret[256];
        secret_of(env, faults, secret, sizeof(secret));
        char *text = signed_text(params, args, method, secret);
        rc = text ? send_crafted(env, method, text, out)
                  : cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
        free(text);
    }
    cJSON_Delete(params);
    return rc;
}

/* ---- the flow control ---------------------------------------------------------------------- */

static cdr_error aliyun_burst(void *session, const struct conform_env *env,
                              const struct conform_faults *faults, const cJSON *args,
                              struct conform_result *out)
{
    struct query q;
    if (!query_open(&q, session, env, faults, args, out))
        return out->info.code;
    int64_t calls = conform_arg_int(args, "calls", 100);
    cdr_error rc = CDR_OK;
    for (int64_t i = 0; i < calls && rc == CDR_OK; i++) {
        struct cdr_aliyun_page p;
        rc = cdr_aliyun_query_page(q.client, &q.filter, 1, 1, &p, &out->info);
        if (rc == CDR_OK)
            cdr_aliyun_page_free(&p);
    }
    query_close(&q);
    return rc;
}

static cdr_error aliyun_action(void *session, const struct conform_env *env,
                               const struct conform_faults *faults, const char *name,
                               const cJSON *args, struct conform_result *out)
{
    if (strcmp(name, "crafted") == 0)
        return aliyun_crafted(session, env, faults, args, out);
    if (strcmp(name, "burst") == 0)
        return aliyun_burst(session, env, faults, args, out);
    return cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT, "no call named %s for aliyun", name);
}

const struct conform_driver conform_aliyun_driver = {
    .vendor = "aliyun",
    .credential_fields = aliyun_fields,
    .begin = aliyun_begin,
    .end = aliyun_end,
    .page = aliyun_page,
    .all = aliyun_all,
    .action = aliyun_action,
    .max_range = 0, /* the page documents no limit on QueryStartTime..QueryEndTime */
};
