/* Yunfu AI contact center (agent-api) simulator: the table entry the core sees, the variants,
 * loading and unloading, and the quick-start lines. A Laravel application: routes.c answers in
 * the framework's order. Facts: docs/vendors/yunfu.md. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static bool in_range(const char *value, long long min, long long max)
{
    char *end;
    errno = 0;
    long long v = strtoll(value, &end, 10);
    return !errno && *value && !*end && v >= min && v <= max;
}

static bool valid_rate_limit(const char *value)
{
    return in_range(value, 0, 1000000);
}

static bool valid_ttl(const char *value)
{
    return in_range(value, 1, 366LL * 86400);
}

static const struct mock_variant_spec yunfu_variants[] = {
    {"legacy", "on|off", "on",
     "whether the old paths without the account (/agent-api/task/{task_id}/record, its detail and "
     "download-full-voice) still answer (retired 2023-02-01 per the docs; off: 404 like any "
     "unknown route)",
     NULL},
    {"unauth_body", "laravel|envelope|envelope_200", "laravel",
     "answer to a missing or unknown token (undocumented): HTTP 401 with Laravel's "
     "{\"message\":\"Unauthenticated.\"} or the vendor's envelope with code 401, or that envelope "
     "with HTTP 200",
     NULL},
    {"per_page_type", "echo|number|string", "echo",
     "meta.per_page: the request's string as the seed example shows (a number when none was "
     "asked for), always a number, or always a string",
     NULL},
    {"order", "newest|oldest", "newest",
     "the record list's order (undocumented): newest call first, or oldest first", NULL},
    {"keyword_match", "contains|exact", "contains",
     "keyword (被叫号码, undocumented how it matches): a part of the callee number, or all of it",
     NULL},
    {"detail_data", "records|record|rows", "records",
     "data of the detail endpoint: {\"records\": [rows by sequence]} as the vendor's example, the "
     "call record with its details, or the bare rows",
     NULL},
    {"missing_record", "envelope|http404|empty", "envelope",
     "detail of an unknown record id (undocumented): code 5003, Laravel's model 404, or a success "
     "without rows",
     NULL},
    {"score_range", "strict|lenient", "strict",
     "levels ranges (undocumented rules): strict refuses a negative end or min > max with 422, "
     "lenient accepts them (a reversed range matches nothing)",
     NULL},
    {"intention_tags", "strict|lenient", "strict",
     "intention_tags outside 1..5 (undocumented rules): strict refuses them with 422, lenient "
     "accepts them (they match nothing)",
     NULL},
    {"voice_download", "stream|redirect", "stream",
     "download-full-voice (answer undocumented): the WAV itself, or a 302 to its play URL", NULL},
    {"batch_data", "list|map", "list",
     "data of the batch play URLs (undocumented): [{\"record_id\",\"url\"}] or "
     "{\"<record_id>\": url}",
     NULL},
    {"voice_ttl", NULL, "3600", "seconds a play URL stays valid on the mock's clock", valid_ttl},
    {"rate_limit", NULL, "0",
     "requests per token per minute before 429 \"Too Many Attempts.\" (Laravel throttle); 0: off",
     valid_rate_limit},
    {NULL, NULL, NULL, NULL, NULL},
};

static bool variant_is(const struct mock_vendor_load *load, const char *name, const char *value)
{
    return strcmp(mock_variant(load->config, &yunfu_sim, name), value) == 0;
}

/* ---- loading --------------------------------------------------------------------------------- */

static void yunfu_unload(void *state)
{
    struct yunfu_state *st = state;
    if (!st)
        return;
    yunfu_dataset_free(st);
    yunfu_throttle_destroy(&st->throttle);
    free(st);
}

static void *yunfu_load(const struct mock_vendor_load *load, char *err, size_t err_len)
{
    struct yunfu_state *st = calloc(1, sizeof(*st));
    if (!st) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    st->legacy = variant_is(load, "legacy", "on");
    st->unauth_envelope = !variant_is(load, "unauth_body", "laravel");
    st->unauth_http_200 = variant_is(load, "unauth_body", "envelope_200");
    st->per_page = variant_is(load, "per_page_type", "number")   ? YUNFU_PER_PAGE_NUMBER
                   : variant_is(load, "per_page_type", "string") ? YUNFU_PER_PAGE_STRING
                                                                 : YUNFU_PER_PAGE_ECHO;
    st->oldest_first = variant_is(load, "order", "oldest");
    st->keyword_exact = variant_is(load, "keyword_match", "exact");
    st->missing_record_empty = variant_is(load, "missing_record", "empty");
    st->detail_shape = variant_is(load, "detail_data", "record") ? YUNFU_DETAIL_RECORD
                       : variant_is(load, "detail_data", "rows") ? YUNFU_DETAIL_ROWS
                                                                 : YUNFU_DETAIL_RECORDS;
    st->missing_record_404 = variant_is(load, "missing_record", "http404");
    st->lenient_levels = variant_is(load, "score_range", "lenient");
    st->lenient_intentions = variant_is(load, "intention_tags", "lenient");
    st->voice_redirect = variant_is(load, "voice_download", "redirect");
    st->batch_map = variant_is(load, "batch_data", "map");
    st->voice_ttl = strtoll(mock_variant(load->config, &yunfu_sim, "voice_ttl"), NULL, 10);
    snprintf(st->voice_secret, sizeof(st->voice_secret), "%016llx%016llx",
             (unsigned long long)mock_rng_derive(load->seed, "yunfu/voice"),
             (unsigned long long)mock_rng_derive(load->seed, "yunfu/voice/2"));
    yunfu_throttle_init(&st->throttle,
                        strtoll(mock_variant(load->config, &yunfu_sim, "rate_limit"), NULL, 10));

    if (!yunfu_dataset_load(st, load, err, err_len)) {
        yunfu_unload(st);
        return NULL;
    }
    return st;
}

/* ---- quick start and dump -------------------------------------------------------------------- */

static void yunfu_describe(void *state, const char *base_url, FILE *out)
{
    const struct yunfu_state *st = state;
    const char *token = st->token_count ? st->tokens[0].token : "?";
    const char *user = st->account_count ? st->accounts[0].id : "?";
    const char *task = "?";
    for (size_t i = 0; i < st->task_count; i++)
        if (st->tasks[i].account == 0 && st->tasks[i].entry_count) {
            task = st->tasks[i].id;
            break;
        }
    fprintf(out,
            "\nyunfu  Yunfu AI contact center: GET %s/agent-api/user/{id}/task/{task_id}/record\n"
            "  (also .../detail/{record_id}, .../record/{record_id}/download-full-voice,\n"
            "  /agent-api/user/{id}/task, /agent-api/user/{id}/all_task and /agent-api/token)\n"
            "  Bearer token %s  account %s  (%zu records)\n"
            "  curl -s -H 'Authorization: Bearer %s' \\\n"
            "    '%s/agent-api/user/%s/task/%s/record?page=1&per_page=2'\n",
            base_url, token, user, st->records.count, token, base_url, user, task);
}

static char *yunfu_dump(void *state)
{
    return mock_store_dump(&((const struct yunfu_state *)state)->records);
}

const struct mock_vendor_sim yunfu_sim = {
    .id = "yunfu",
    .title = "Yunfu AI contact center agent-api (tasks, call records, call detail, recordings, "
             "token)",
    .variants = yunfu_variants,
    .load = yunfu_load,
    .unload = yunfu_unload,
    .routes = yunfu_routes,
    .handle = yunfu_handle,
    .oversized = yunfu_oversized,
    .admin = NULL,
    .describe = yunfu_describe,
    .dump = yunfu_dump,
    .control = &yunfu_control,
    .push = &yunfu_push,
};
