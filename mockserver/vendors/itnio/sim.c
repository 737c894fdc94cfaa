/* The ITNIO call center simulator's table entry: its variants, load and unload, the quick-start
 * lines and the dump. Facts and the inferences behind each variant: docs/vendors/itnio.md. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/timefmt.h"
#include "internal.h"

static bool valid_window(const char *value)
{
    char *end;
    errno = 0;
    long long v = strtoll(value, &end, 10);
    return !errno && !*end && *value && v >= 0 && v <= 315360000;
}

static const struct mock_variant_spec itnio_variants[] = {
    {"status_type", "number|string", "number",
     "type of the envelope's status: the seed example sends a number, the table says String", NULL},
    {"range_end", "inclusive|exclusive", "inclusive",
     "whether a record stamped exactly at endTime is in the range (undocumented)", NULL},
    {"timestamp_window", NULL, "1800",
     "seconds a Timestamp may differ from the mock's clock before -16; 0 disables the check",
     valid_window},
    {NULL, NULL, NULL, NULL, NULL},
};

static void itnio_unload(void *state)
{
    struct itnio_state *st = state;
    if (!st)
        return;
    itnio_dataset_free(st);
    free(st);
}

static void *itnio_load(const struct mock_vendor_load *load, char *err, size_t err_len)
{
    struct itnio_state *st = calloc(1, sizeof(*st));
    if (!st) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    st->status_as_string =
        strcmp(mock_variant(load->config, &itnio_sim, "status_type"), "string") == 0;
    st->range_end_exclusive =
        strcmp(mock_variant(load->config, &itnio_sim, "range_end"), "exclusive") == 0;
    st->timestamp_window =
        strtoll(mock_variant(load->config, &itnio_sim, "timestamp_window"), NULL, 10);
    if (!itnio_dataset_load(st, load, err, err_len)) {
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
            "seat/query)\n"
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
    .title = "ITNIO call center (call records, agent groups, agents)",
    .variants = itnio_variants,
    .load = itnio_load,
    .unload = itnio_unload,
    .routes = itnio_routes_owns,
    .handle = itnio_routes_handle,
    .oversized = itnio_routes_oversized,
    .admin = NULL,
    .describe = itnio_describe,
    .dump = itnio_dump,
    .control = &itnio_control,
};
