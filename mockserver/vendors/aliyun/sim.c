/* Alibaba Cloud AICCS simulator: the table entry, its variants, loading and the quick start.
 * Facts: docs/vendors/aliyun.md and the API pages it cites. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

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

static bool valid_ttl(const char *value)
{
    return parse_bounded(value, 1, 366LL * 86400, NULL);
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
    {"ms_timestamp", "accept|reject", "accept",
     "a Timestamp / x-acs-date with a fraction of a second (what JavaScript's toISOString() "
     "sends): accepted, as observed gateway answers show, or InvalidTimeStamp.Format as the "
     "documented format reads",
     NULL},
    {"v3_mismatch_detail", "string_to_sign|canonical_request", "string_to_sign",
     "what a V3 SignatureDoesNotMatch message shows: the server's StringToSign (observed), or "
     "also its CanonicalRequest (a third-party note)",
     NULL},
    {"sts_expired_status", "400|403", "400",
     "HTTP status of InvalidSecurityToken.Expired (error tables of sibling products disagree)",
     NULL},
    {"token_on_long_term_key", "refuse|ignore", "refuse",
     "a SecurityToken sent with a long-term AccessKey: judged like any token (Malformed or "
     "MismatchWithAccessKey), or ignored",
     NULL},
    {"missing_recording", "empty|error", "empty",
     "a session without a recording (or unknown): an answer without a link (ListHotlineRecord: "
     "Data []), or SystemError (HTTP 500)",
     NULL},
    {"record_ids", "string|number", "string",
     "ListHotlineRecord's ConnectionId and CallId: strings as its field table types them, or "
     "numbers as the newer page's example prints them",
     NULL},
    {"record_data_code", "number|string", "number",
     "GetRecordData's Code: the number 200 of the page's example, or the string its table "
     "declares",
     NULL},
    {"recording_url_ttl", NULL, "3600",
     "seconds a recording link stays valid on the mock's clock (OSS's default for a signed URL; "
     "the AICCS pages give none)",
     valid_ttl},
    {"throttle_hint", "ratelimit|retry-after|none", "ratelimit",
     "how a Throttling.User answer says when to retry: the x-ratelimit-user-api header Alibaba's "
     "SDKs read (TimeLeft in ms), a Retry-After header, or nothing",
     NULL},
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

static void *aliyun_load(const struct mock_vendor_load *load, char *err, size_t err_len)
{
    struct aliyun_state *st = calloc(1, sizeof(*st));
    if (!st) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    const struct mock_config *cfg = load->config;
    for (int i = 0; i < ALIYUN_ACTION_COUNT; i++)
        aliyun_throttle_init(&st->throttle[i], number(cfg, "throttle"));
    st->format_from_accept = is(cfg, "format_from_accept", "honor");
    st->unknown_instance_empty = is(cfg, "unknown_instance", "empty");
    st->numbers_swapped = is(cfg, "number_filters", "swapped");
    st->range_end_exclusive = is(cfg, "range_end", "exclusive");
    st->oldest_first = is(cfg, "order", "oldest");
    st->bad_paging_default = is(cfg, "bad_paging", "default");
    st->max_page_size = number(cfg, "max_page_size");
    st->invalid_version_status = (int)number(cfg, "invalid_version_status");
    st->ms_timestamp_reject = is(cfg, "ms_timestamp", "reject");
    st->v3_mismatch_canonical = is(cfg, "v3_mismatch_detail", "canonical_request");
    st->sts_expired_status = (int)number(cfg, "sts_expired_status");
    st->token_on_long_term_ignored = is(cfg, "token_on_long_term_key", "ignore");
    st->missing_recording_error = is(cfg, "missing_recording", "error");
    st->record_ids_numbers = is(cfg, "record_ids", "number");
    st->record_data_code_string = is(cfg, "record_data_code", "string");
    st->recording_url_ttl = number(cfg, "recording_url_ttl");
    st->throttle_hint = is(cfg, "throttle_hint", "retry-after") ? ALIYUN_HINT_RETRY_AFTER
                        : is(cfg, "throttle_hint", "none")      ? ALIYUN_HINT_NONE
                                                                : ALIYUN_HINT_RATELIMIT;
    st->nonces = aliyun_nonces_new((size_t)number(cfg, "nonce_capacity"));
    bool ok = st->nonces != NULL;
    if (!ok)
        snprintf(err, err_len, "out of memory");
    if (!(ok && aliyun_load_dataset(st, load, err, err_len))) {
        aliyun_unload(st);
        return NULL;
    }
    return st;
}

static void aliyun_unload(void *state)
{
    struct aliyun_state *st = state;
    if (!st)
        return;
    aliyun_free_dataset(st);
    aliyun_nonces_free(st->nonces);
    for (int i = 0; i < ALIYUN_ACTION_COUNT; i++)
        aliyun_throttle_destroy(&st->throttle[i]);
    free(st);
}

static void aliyun_describe(void *state, const char *base_url, FILE *out)
{
    const struct aliyun_state *st = state;
    const char *id = st->credential_count ? st->credentials[0].id : "?";
    const char *secret = st->credential_count ? st->credentials[0].secret : "?";
    const char *instance = st->instance_count ? st->instances[0].id : "?";
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
    .title = "Alibaba Cloud AICCS: HotlineSessionQuery, recordings and transcripts (signature V2 "
             "and V3)",
    .variants = aliyun_variants,
    .load = aliyun_load,
    .unload = aliyun_unload,
    .routes = aliyun_routes,
    .route_list = aliyun_route_list,
    .handle = aliyun_handle,
    .oversized = aliyun_handle,
    .admin = NULL,
    .describe = aliyun_describe,
    .dump = aliyun_dump,
    .control = &aliyun_control,
};
