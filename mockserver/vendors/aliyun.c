/* Alibaba Cloud AICCS simulator: the RPC endpoint at "/", answer format, variants, loading.
 * Facts: shared/vendors/aliyun.md and the vendor's HotlineSessionQuery page. */
#include "aliyun.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../fileio.h"

static bool parse_bounded(const char *value, long long min, long long max, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(value, &end, 10);
    if (errno || *end || !*value || v < min || v > max)
        return false;
    if (out)
        *out = v;
    return true;
}

static bool valid_rate(const char *value)
{
    return parse_bounded(value, 0, 1000000, NULL);
}

static bool valid_capacity(const char *value)
{
    return parse_bounded(value, 1, 10000000, NULL);
}

static bool valid_page_limit(const char *value)
{
    return parse_bounded(value, 0, 100000, NULL);
}

static const struct mock_variant_spec aliyun_variants[] = {
    {"throttle", NULL, "0",
     "calls per second before Throttling.User (the documented limit is 80); 0 disables it",
     valid_rate},
    {"format_from_accept", "honor|ignore", "honor",
     "whether an Accept header naming JSON or XML picks the format when Format is absent (the V3 "
     "SDKs send Accept: application/json and no Format)",
     NULL},
    {"unknown_instance", "error|empty", "error",
     "an InstanceId the mock does not know: NoTenantFound (HTTP 500, as sibling AICCS APIs do) or "
     "an empty page",
     NULL},
    {"number_filters", "field|swapped", "field",
     "CalledNumber/CallingNumber match the record's fields of the same name, or the other way "
     "round "
     "as the page's request table describes them",
     NULL},
    {"range_end", "inclusive|exclusive", "inclusive",
     "whether a call created exactly at QueryEndTime is in the range (undocumented)", NULL},
    {"order", "newest|oldest", "newest", "record order within the answer (undocumented)", NULL},
    {"bad_paging", "error|default", "error",
     "PageSize/PageNo <= 0: InvalidParameter, or silently the defaults 20 and 1", NULL},
    {"max_page_size", NULL, "0",
     "largest PageSize accepted (0 = no limit; the page documents none)", valid_page_limit},
    {"invalid_version_status", "400|404", "400", "HTTP status of InvalidVersion (inferred)", NULL},
    {"nonce_capacity", NULL, "131072",
     "nonces remembered at most; when full the oldest is forgotten first", valid_capacity},
    {NULL, NULL, NULL, NULL, NULL},
};

static bool is(const struct mock_config *cfg, const char *variant, const char *value)
{
    return strcmp(mock_variant(cfg, &aliyun_sim, variant), value) == 0;
}

static long long number(const struct mock_config *cfg, const char *variant)
{
    long long v = 0;
    parse_bounded(mock_variant(cfg, &aliyun_sim, variant), INT64_MIN, INT64_MAX, &v);
    return v;
}

static void aliyun_unload(void *state);

static bool ingest(void *state, const cJSON *record, char *err, size_t err_len)
{
    return aliyun_ingest_record(state, record, err, err_len);
}

static void *aliyun_load(const struct mock_vendor_load *load, char *err, size_t err_len)
{
    struct aliyun_state *st = calloc(1, sizeof(*st));
    if (!st) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    const struct mock_config *cfg = load->config;
    mock_store_init(&st->records, aliyun_free_attrs);
    aliyun_throttle_init(&st->throttle, number(cfg, "throttle"));
    st->format_from_accept = is(cfg, "format_from_accept", "honor");
    st->unknown_instance_empty = is(cfg, "unknown_instance", "empty");
    st->numbers_swapped = is(cfg, "number_filters", "swapped");
    st->range_end_exclusive = is(cfg, "range_end", "exclusive");
    st->oldest_first = is(cfg, "order", "oldest");
    st->bad_paging_default = is(cfg, "bad_paging", "default");
    st->max_page_size = number(cfg, "max_page_size");
    st->invalid_version_status = (int)number(cfg, "invalid_version_status");
    st->nonces = aliyun_nonces_new((size_t)number(cfg, "nonce_capacity"));
    bool ok = st->nonces != NULL;
    if (!ok)
        snprintf(err, err_len, "out of memory");
    ok = ok && aliyun_load_accounts(st, load, err, err_len);
    if (ok && load->generate_count >= 0) {
        ok = aliyun_generate_records(st, load->generate_count, load->seed, load->anchor, err,
                                     err_len);
    } else if (ok) {
        ok = mock_load_json_array(load->data_dir, "records.json", ingest, st, err, err_len);
    }
    if (!ok) {
        aliyun_unload(st);
        return NULL;
    }
    mock_store_sort(&st->records);
    return st;
}

static void aliyun_unload(void *state)
{
    struct aliyun_state *st = state;
    if (!st)
        return;
    mock_store_free(&st->records);
    for (size_t i = 0; i < st->credential_count; i++) {
        free(st->credentials[i].id);
        free(st->credentials[i].secret);
    }
    free(st->credentials);
    for (size_t i = 0; i < st->instance_count; i++)
        free(st->instances[i]);
    free(st->instances);
    aliyun_nonces_free(st->nonces);
    aliyun_throttle_destroy(&st->throttle);
    free(st);
}

/* ---- requests -------------------------------------------------------------------------------- */

static bool aliyun_routes(const char *path)
{
    return strcmp(path, "/") == 0;
}

/* Whether a header value mentions a media type word, in any case ("application/JSON"). */
static bool names(const char *header, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = header; p && *p; p++)
        if (strncasecmp(p, word, n) == 0)
            return true;
    return false;
}

/* Format (any case) decides; without it an Accept header may; XML is the API's default. false
 * for a Format value the API does not know. */
static bool choose_format(const struct aliyun_state *st, const struct mock_request *req,
                          const struct aliyun_params *params, enum aliyun_format *format)
{
    const char *f = aliyun_param(params, "Format");
    *format = ALIYUN_XML;
    if (f && *f) {
        if (strcasecmp(f, "JSON") == 0)
            *format = ALIYUN_JSON;
        return strcasecmp(f, "JSON") == 0 || strcasecmp(f, "XML") == 0;
    }
    const char *accept = mock_request_header(req, "Accept");
    if (st->format_from_accept && names(accept, "json"))
        *format = ALIYUN_JSON;
    return true;
}

static void out_of_memory(struct mock_response *resp)
{
    mock_response_take_body(resp, 500, "application/json;charset=utf-8", NULL, 1);
}

/* Also the answer to a body over the size limit: the body is then not read, so only the query
 * can pick the format, and the answer is the vendor's parameter error. */
static void aliyun_handle(void *state, const struct mock_env *env, const struct mock_request *req,
                          struct mock_response *resp)
{
    struct aliyun_state *st = state;
    struct aliyun_params params;
    if (!aliyun_params_parse(req, &params)) {
        aliyun_params_free(&params);
        out_of_memory(resp);
        return;
    }
    enum aliyun_format format;
    bool format_known = choose_format(st, req, &params, &format);
    struct aliyun_reply reply;
    aliyun_reply_init(&reply, env, format);
    if (req->body_too_large)
        aliyun_error(&reply, resp, 400, "InvalidParameter", "The request body is too large.");
    else if (!format_known)
        aliyun_error_invalid(&reply, resp, "Format");
    else if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "POST") != 0)
        aliyun_error(&reply, resp, 404, "InvalidAction.NotFound",
                     "Specified api is not found, please check your url and method.");
    else if (aliyun_authenticate(st, env, req, &params, &reply, resp))
        aliyun_hotline_session_query(st, &params, &reply, resp);
    aliyun_params_free(&params);
}

static void aliyun_describe(void *state, const char *base_url, FILE *out)
{
    const struct aliyun_state *st = state;
    const char *id = st->credential_count ? st->credentials[0].id : "?";
    const char *secret = st->credential_count ? st->credentials[0].secret : "?";
    const char *instance = st->instance_count ? st->instances[0] : "?";
    fprintf(
        out,
        "\naliyun  Alibaba Cloud AICCS %s (%s): GET or POST %s/ (signature V2 or V3)\n"
        "  AccessKeyId %s  AccessKeySecret %s  InstanceId %s  (%zu records)\n"
        "  cdrsim-client fetch aliyun --base-url %s --access-key-id %s --access-key-secret %s \\\n"
        "    --instance-id %s\n"
        "  TS=$(date -u +%%Y-%%m-%%dT%%H:%%M:%%SZ | sed 's/:/%%3A/g'); N=$(date +%%s%%N)\n"
        "  Q=\"AccessKeyId=%s&Action=%s&Format=JSON&InstanceId=%s&PageSize=2\"\n"
        "  "
        "Q=\"$Q&SignatureMethod=HMAC-SHA1&SignatureNonce=$N&SignatureVersion=1.0&Timestamp=$TS&"
        "Version=%s\"\n"
        "  S=$(printf 'GET&%%%%2F&%%s' \"$(printf '%%s' \"$Q\" | sed "
        "'s/%%/%%25/g;s/=/%%3D/g;s/&/%%26/g')\" |\n"
        "    openssl dgst -sha1 -hmac '%s&' -binary | base64 | sed "
        "'s/+/%%2B/g;s/\\//%%2F/g;s/=/%%3D/g')\n"
        "  curl -s \"%s/?$Q&Signature=$S\"\n",
        ALIYUN_ACTION, ALIYUN_VERSION, base_url, id, secret, instance, st->records.count, base_url,
        id, secret, instance, id, ALIYUN_ACTION, instance, ALIYUN_VERSION, secret, base_url);
}

static char *aliyun_dump(void *state)
{
    const struct aliyun_state *st = state;
    return mock_store_dump(&st->records);
}

const struct mock_vendor_sim aliyun_sim = {
    .id = "aliyun",
    .title = "Alibaba Cloud AICCS HotlineSessionQuery (signature V2 and V3)",
    .variants = aliyun_variants,
    .load = aliyun_load,
    .unload = aliyun_unload,
    .routes = aliyun_routes,
    .handle = aliyun_handle,
    .oversized = aliyun_handle,
    .admin = NULL,
    .describe = aliyun_describe,
    .dump = aliyun_dump,
};
