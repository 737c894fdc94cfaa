/* Yunfu AI contact center (agent-api) simulator: the table entry the core sees, the variants,
 * loading and unloading, and the quick-start lines. A Laravel application: routes.c answers in
 * the framework's order. Facts: docs/vendors/yunfu.md. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static bool valid_rate_limit(const char *value)
{
    char *end;
    errno = 0;
    long long v = strtoll(value, &end, 10);
    return !errno && *value && !*end && v >= 0 && v <= 1000000;
}

static const struct mock_variant_spec yunfu_variants[] = {
    {"legacy", "on|off", "on",
     "whether the old /agent-api/task/{task_id}/record still answers (retired 2023-02-01 per the "
     "docs; off: 404 like any unknown route)",
     NULL},
    {"unauth_body", "laravel|envelope", "laravel",
     "401 body for a missing or unknown token (undocumented): Laravel's "
     "{\"message\":\"Unauthenticated.\"} or the vendor's envelope with code 401",
     NULL},
    {"per_page_type", "echo|number", "echo",
     "meta.per_page: the request's string as the seed example shows, or always a number", NULL},
    {"detail_data", "record|rows", "record",
     "data of the detail endpoint (undocumented): the record with its details, or the rows only",
     NULL},
    {"missing_record", "envelope|http404", "envelope",
     "detail of an unknown record id (undocumented): code 5003, or Laravel's model 404", NULL},
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
    st->unauth_envelope = variant_is(load, "unauth_body", "envelope");
    st->per_page_number = variant_is(load, "per_page_type", "number");
    st->detail_rows_only = variant_is(load, "detail_data", "rows");
    st->missing_record_404 = variant_is(load, "missing_record", "http404");
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
            "  (also .../detail/{record_id} and /agent-api/token)\n"
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
    .title = "Yunfu AI contact center agent-api (call record list, call detail, token)",
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
};
