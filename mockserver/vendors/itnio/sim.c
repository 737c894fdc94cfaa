/* The ITNIO call center simulator's table entry: its variants, load and unload, the quick-start
 * lines and the dump. Facts and the inferences behind each variant: docs/vendors/itnio.md. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/timefmt.h"
#include "internal.h"

static bool valid_seconds(const char *value)
{
    char *end;
    errno = 0;
    long long v = strtoll(value, &end, 10);
    return !errno && !*end && *value && v >= 0 && v <= 315360000;
}

static bool valid_ttl(const char *value)
{
    return valid_seconds(value) && strtoll(value, NULL, 10) > 0;
}

static bool valid_allowlist(const char *value)
{
    struct itnio_ip_rule *rules;
    size_t count;
    bool ok = itnio_auth_parse_allowlist(value, &rules, &count);
    free(rules);
    return ok;
}

static bool valid_quota(const char *value)
{
    int64_t quota, period;
    return itnio_limits_parse(value, &quota, &period);
}

/* docs/vendors/itnio.md section 10 says what each is for and where it comes from. */
static const struct mock_variant_spec itnio_variants[] = {
    {"status_type", "per-endpoint|number|string", "per-endpoint",
     "type of the envelope's status: each endpoint's own example (a number for the record query "
     "and the group settings, a string for the group, agent and recording-URL queries), or one "
     "type everywhere (the tables say String)",
     NULL},
    {"range_end", "inclusive|exclusive", "inclusive",
     "whether a record stamped exactly at endTime is in the range (undocumented)", NULL},
    {"timestamp_window", NULL, "1800",
     "seconds a Timestamp may differ from the mock's clock before -16; 0 disables the check",
     valid_seconds},
    {"seat_window", "required|optional", "required",
     "the agent query's strTime/endTime: required (current pages) or optional, without "
     "statistics (the older English page)",
     NULL},
    {"connect_rate", "percent|fraction", "percent",
     "format of an agent's connectRate (a String of undocumented format): \"50.00%\" or \"0.50\"",
     NULL},
    {"not_found_status", "-22|-24", "-22",
     "status for an unknown agent group or recording (undocumented): -22 parameter exception or "
     "-24 data unexisting",
     NULL},
    {"group_id_key", "seatGroupId|voiceGroupId", "seatGroupId",
     "name of the id in the group settings answer: the page's example (seatGroupId) or its table",
     NULL},
    {"recording_source", "sip|any", "sip",
     "which sourceType finds a call-center recording: sip (phone recordings) or either", NULL},
    {"recording_url_ttl", NULL, "3600",
     "seconds a link from getRecordingFileUrl stays valid on the mock's clock (undocumented)",
     valid_ttl},
    {"json_trailing", "reject|ignore", "reject",
     "what follows a request body's JSON value: a parameter error, or ignored (stock Jackson)",
     NULL},
    {"ip_allowlist", NULL, "off",
     "addresses and CIDR blocks allowed to call, comma-separated; others get -2 (off: all)",
     valid_allowlist},
    {"query_quota", NULL, "off",
     "calls allowed per API key and period (N/second, N/minute, N/hour, N/day or N/Ss); over it "
     "-23 data caps",
     valid_quota},
    {NULL, NULL, NULL, NULL, NULL},
};

static const char *variant(const struct mock_vendor_load *load, const char *name)
{
    return mock_variant(load->config, &itnio_sim, name);
}

static bool is(const struct mock_vendor_load *load, const char *name, const char *value)
{
    return strcmp(variant(load, name), value) == 0;
}

/* The variants in force; values were validated when the configuration was read. */
static bool read_variants(struct itnio_variants *v, const struct mock_vendor_load *load)
{
    v->status_mode = is(load, "status_type", "number")   ? ITNIO_STATUS_NUMBER
                     : is(load, "status_type", "string") ? ITNIO_STATUS_STRING
                                                         : ITNIO_STATUS_PER_ENDPOINT;
    v->range_end_exclusive = is(load, "range_end", "exclusive");
    v->timestamp_window = strtoll(variant(load, "timestamp_window"), NULL, 10);
    v->seat_window_optional = is(load, "seat_window", "optional");
    v->connect_rate_fraction = is(load, "connect_rate", "fraction");
    v->not_found_status =
        is(load, "not_found_status", "-24") ? ITNIO_NOT_EXISTING : ITNIO_PARAMETER;
    v->settings_voice_group_id = is(load, "group_id_key", "voiceGroupId");
    v->recording_any_source = is(load, "recording_source", "any");
    v->recording_ttl = strtoll(variant(load, "recording_url_ttl"), NULL, 10);
    v->json_trailing_ignored = is(load, "json_trailing", "ignore");
    return itnio_auth_parse_allowlist(variant(load, "ip_allowlist"), &v->allow, &v->allow_count) &&
           itnio_limits_parse(variant(load, "query_quota"), &v->quota, &v->quota_period);
}

static void itnio_unload(void *state)
{
    struct itnio_state *st = state;
    if (!st)
        return;
    itnio_dataset_free(st);
    itnio_limits_free(st);
    free(st->v.allow);
    free(st);
}

static void *itnio_load(const struct mock_vendor_load *load, char *err, size_t err_len)
{
    struct itnio_state *st = calloc(1, sizeof(*st));
    if (!st) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    if (!read_variants(&st->v, load)) {
        snprintf(err, err_len, "itnio: a variant's value does not parse");
        itnio_unload(st);
        return NULL;
    }
    if (!itnio_dataset_load(st, load, err, err_len)) {
        itnio_unload(st);
        return NULL;
    }
    if (!itnio_limits_init(st)) {
        snprintf(err, err_len, "out of memory");
        itnio_unload(st);
        return NULL;
    }
    return st;
}

static void itnio_describe(void *state, const char *base_url, FILE *out)
{
    const struct itnio_state *st = state;
    const char *key = st->credential_count ? st->credentials[0].key : "?";
    const char *secret = st->credential_count ? st->credentials[0].secret : "?";
    char first[20] = "2025-01-01 00:00:00", last[20] = "2025-01-31 23:59:59";
    if (st->records.count) {
        /* A window that surely holds records: the last 30 days of the dataset. */
        int64_t end = st->records.entries[st->records.count - 1].start;
        cdr_time_format_local(end - 30 * 86400, CDR_CHINA_OFFSET_SECONDS, first);
        cdr_time_format_local(end, CDR_CHINA_OFFSET_SECONDS, last);
    }
    fprintf(out,
            "\nitnio  ITNIO call center: POST %s/v3/cc/record/query (also seatGroup/query, "
            "seat/query, seatGroup/basicSettingResp, /voice/getRecordingFileUrl)\n"
            "  Api-Key %s  API secret %s  (%zu records, Sign = md5(key + secret + Timestamp))\n"
            "  TS=$(date +%%s); curl -s -X POST '%s/v3/cc/record/query' \\\n"
            "    -H 'Content-Type: application/json;charset=UTF-8' -H 'Api-Key: %s' -H "
            "\"Timestamp: $TS\" \\\n"
            "    -H \"Sign: $(printf '%%s' \"%s%s$TS\" | md5sum | cut -c1-32)\" \\\n"
            "    -d "
            "'{\"current\":1,\"size\":2,\"params\":{\"startTime\":\"%s\",\"endTime\":\"%s\"}}'\n",
            base_url, key, secret, st->records.count, base_url, key, key, secret, first, last);
}

static char *itnio_dump(void *state)
{
    return mock_store_dump(&((struct itnio_state *)state)->records);
}

const struct mock_vendor_sim itnio_sim = {
    .id = "itnio",
    .title = "ITNIO call center (call records, agent groups and settings, agents, recordings)",
    .variants = itnio_variants,
    .load = itnio_load,
    .unload = itnio_unload,
    .routes = itnio_routes_owns,
    .route_list = itnio_route_list,
    .handle = itnio_routes_handle,
    .oversized = itnio_routes_oversized,
    .admin = NULL,
    .describe = itnio_describe,
    .dump = itnio_dump,
    .control = &itnio_control,
    .push = &itnio_push,
};
