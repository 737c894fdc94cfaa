/* Yunfu AI contact center (agent-api) simulator: routes, Bearer-token authentication, the rate
 * limit, and which account a request acts on. Facts: shared/vendors/yunfu.md. A Laravel
 * application, so the framework answers first (404, 405, 401, 429), then the vendor's code
 * (1002, 422, 5002) in its {"code","status","message","data"} envelope. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../fileio.h"
#include "cdrsim/timefmt.h"

#define PREFIX "/agent-api"
#define MAX_SEGMENTS 8

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

static void yunfu_unload(void *state);

static bool load_records(struct yunfu_state *st, const struct mock_vendor_load *load, char *err,
                         size_t err_len)
{
    if (load->generate_count >= 0)
        return yunfu_generate_records(st, load->data_dir, load->generate_count, load->seed,
                                      load->anchor, err, err_len);
    cJSON *records = mock_load_json(load->data_dir, "records.json", err, err_len);
    if (records && !cJSON_IsArray(records))
        snprintf(err, err_len, "records.json must be an array");
    bool ok = cJSON_IsArray(records);
    const cJSON *r;
    cJSON_ArrayForEach(r, (ok ? records : NULL)) {
        if (!(ok = yunfu_ingest_record(st, r, err, err_len)))
            break;
    }
    cJSON_Delete(records);
    return ok;
}

static void *yunfu_load(const struct mock_vendor_load *load, char *err, size_t err_len)
{
    struct yunfu_state *st = calloc(1, sizeof(*st));
    if (!st) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    mock_store_init(&st->records, yunfu_free_attrs);
    st->legacy = variant_is(load, "legacy", "on");
    st->unauth_envelope = variant_is(load, "unauth_body", "envelope");
    st->per_page_number = variant_is(load, "per_page_type", "number");
    st->detail_rows_only = variant_is(load, "detail_data", "rows");
    st->missing_record_404 = variant_is(load, "missing_record", "http404");
    yunfu_throttle_init(&st->throttle,
                        strtoll(mock_variant(load->config, &yunfu_sim, "rate_limit"), NULL, 10));

    bool ok = yunfu_load_world(st, load->data_dir, err, err_len);
    const cJSON *extra = cJSON_GetObjectItemCaseSensitive(load->settings, "tokens");
    if (ok && extra)
        ok = yunfu_add_tokens(st, extra, "--config yunfu.tokens", err, err_len);
    ok = ok && load_records(st, load, err, err_len) && yunfu_index_records(st, err, err_len);
    if (!ok) {
        yunfu_unload(st);
        return NULL;
    }
    return st;
}

static void yunfu_unload(void *state)
{
    struct yunfu_state *st = state;
    if (!st)
        return;
    yunfu_free_world(st);
    yunfu_throttle_destroy(&st->throttle);
    free(st);
}

/* ---- routing --------------------------------------------------------------------------------- */

enum route { ROUTE_NONE, ROUTE_TOKEN, ROUTE_LIST, ROUTE_LEGACY_LIST, ROUTE_DETAIL };

struct route_match {
    enum route route;
    const char *user, *task, *record; /* point into the split path */
};

static bool yunfu_routes(const char *path)
{
    return strncmp(path, PREFIX, strlen(PREFIX)) == 0 &&
           (path[strlen(PREFIX)] == '/' || !path[strlen(PREFIX)]);
}

static bool is(const char *segment, const char *word)
{
    return strcmp(segment, word) == 0;
}

/* Matches the path (split in place) against the vendor's routes; Laravel ignores trailing
 * slashes and never matches an empty parameter. */
static struct route_match match_route(const struct yunfu_state *st, char *path)
{
    struct route_match m = {ROUTE_NONE, NULL, NULL, NULL};
    char *seg[MAX_SEGMENTS];
    size_t n = 0;
    char *p = path + strlen(PREFIX);
    while (*p == '/' && n < MAX_SEGMENTS) {
        *p++ = '\0';
        seg[n++] = p;
        p += strcspn(p, "/");
    }
    if (*p)
        return m;
    for (size_t i = 0; i < n; i++)
        if (!seg[i][0])
            return m;
    if (n == 1 && is(seg[0], "token"))
        m.route = ROUTE_TOKEN;
    else if (n == 5 && is(seg[0], "user") && is(seg[2], "task") && is(seg[4], "record"))
        m = (struct route_match){ROUTE_LIST, seg[1], seg[3], NULL};
    else if (n == 6 && is(seg[0], "user") && is(seg[2], "task") && is(seg[4], "detail"))
        m = (struct route_match){ROUTE_DETAIL, seg[1], seg[3], seg[5]};
    else if (n == 3 && st->legacy && is(seg[0], "task") && is(seg[2], "record"))
        m = (struct route_match){ROUTE_LEGACY_LIST, NULL, seg[1], NULL};
    return m;
}

/* ---- authentication -------------------------------------------------------------------------- */

/* Laravel's Request::bearerToken(): after the last "Bearer ", up to a comma. */
static size_t bearer_token(const struct mock_request *req, const char **token)
{
    const char *header = mock_request_header(req, "Authorization"), *last = NULL;
    for (const char *p = header; p && (p = strstr(p, "Bearer ")); p++)
        last = p;
    if (!last)
        return 0;
    *token = last + strlen("Bearer ");
    return strcspn(*token, ",");
}

static const struct yunfu_token *authenticate(const struct yunfu_state *st,
                                              const struct mock_env *env,
                                              const struct mock_request *req)
{
    const char *token;
    size_t len = bearer_token(req, &token);
    if (!len)
        return NULL;
    int64_t now = mock_clock_now(env->clock);
    for (size_t i = 0; i < st->token_count; i++) {
        const struct yunfu_token *t = &st->tokens[i];
        if (strlen(t->token) == len && memcmp(t->token, token, len) == 0)
            return now < t->expires_at ? t : NULL;
    }
    return NULL;
}

static void unauthenticated(const struct yunfu_state *st, struct mock_response *resp)
{
    if (!st->unauth_envelope) {
        yunfu_reply_laravel(resp, 401, "Unauthenticated.");
        return;
    }
    mock_response_json(resp, 401,
                       "{\"code\":401,\"status\":\"error\",\"message\":\"Unauthenticated.\"}");
    resp->content_type = "application/json";
    mock_response_code(resp, "401");
}

/* ---- requests -------------------------------------------------------------------------------- */

static void not_found(struct mock_response *resp, const char *path)
{
    struct cdr_buf m;
    cdr_buf_init(&m);
    cdr_buf_printf(&m, "The route %s could not be found.", path + strspn(path, "/"));
    yunfu_reply_laravel(resp, 404, m.failed ? "Not Found" : m.data);
    cdr_buf_free(&m);
}

/* The routes answer GET (and HEAD); OPTIONS lists them; anything else is Laravel's 405. */
static bool method_allowed(const struct mock_request *req, const char *path,
                           struct mock_response *resp)
{
    if (is(req->method, "GET") || is(req->method, "HEAD"))
        return true;
    if (is(req->method, "OPTIONS")) {
        mock_response_set_body(resp, 200, "text/html; charset=UTF-8", "", 0);
        mock_response_add_header(resp, "Allow", "GET,HEAD");
        return false;
    }
    struct cdr_buf m;
    cdr_buf_init(&m);
    cdr_buf_printf(&m,
                   "The %.16s method is not supported for route %s. Supported methods: GET, HEAD.",
                   req->method, path + strspn(path, "/"));
    yunfu_reply_laravel(resp, 405, m.failed ? "Method Not Allowed" : m.data);
    mock_response_add_header(resp, "Allow", "GET, HEAD");
    cdr_buf_free(&m);
    return false;
}

static void token_info(const struct yunfu_token *t, const struct mock_env *env,
                       struct mock_response *resp)
{
    char expires[20];
    cdr_time_format_local(t->expires_at, CDR_CHINA_OFFSET_SECONDS, expires);
    struct cdr_buf b;
    yunfu_begin_success(&b, "token有效", 128);
    cdr_buf_printf(&b,
                   "\"data\":{\"token_type\":\"Bearer\",\"expires_at\":\"%s\",\"expires_in\":%lld}",
                   expires, (long long)(t->expires_at - mock_clock_now(env->clock)));
    yunfu_finish_success(resp, &b);
}

static void dispatch(const struct yunfu_state *st, const struct yunfu_token *token,
                     const struct route_match *m, const struct mock_request *req,
                     struct mock_response *resp)
{
    struct yunfu_scope scope = {token->partner, SIZE_MAX, NULL};
    if (m->route != ROUTE_LEGACY_LIST) {
        /* The account's cloud node is resolved before any parameter is looked at. */
        const struct yunfu_account *a = yunfu_find_account(st, m->user, &scope.account);
        if (!a || strcmp(a->partner, token->partner) != 0) {
            yunfu_reply_error(resp, YUNFU_NO_NODE);
            return;
        }
    }
    struct php_value query;
    if (!php_parse_query(req->query, req->query_count, &query))
        mock_response_json(resp, 500, "{\"message\":\"Server Error\"}");
    else if (m->route == ROUTE_DETAIL)
        yunfu_record_detail(st, &scope, m->task, m->record, &query, resp);
    else
        yunfu_record_list(st, &scope, m->task, &query, resp);
    php_value_free(&query);
}

/* The framework's checks in its order (route, method, token, throttle), then the vendor's code. */
static void answer(struct yunfu_state *st, const struct mock_env *env,
                   const struct mock_request *req, const char *path, const struct route_match *m,
                   struct mock_response *resp)
{
    if (m->route == ROUTE_NONE) {
        not_found(resp, path);
        return;
    }
    if (!method_allowed(req, path, resp))
        return;
    const struct yunfu_token *token = authenticate(st, env, req);
    if (!token) {
        unauthenticated(st, resp);
        return;
    }
    if (!yunfu_throttle_hit(&st->throttle, token->token, mock_clock_now_ms(env->clock), resp))
        return;
    if (m->route == ROUTE_TOKEN)
        token_info(token, env, resp);
    else
        dispatch(st, token, m, req, resp);
}

static void yunfu_handle(void *state, const struct mock_env *env, const struct mock_request *req,
                         struct mock_response *resp)
{
    char *path = strdup(req->path);
    size_t len = path ? strlen(path) : 0;
    while (len > 1 && path[len - 1] == '/')
        path[--len] = '\0';
    char *split = path ? strdup(path) : NULL; /* match_route cuts it into segments */
    if (split) {
        struct route_match m = match_route(state, split);
        answer(state, env, req, path, &m, resp);
    } else {
        mock_response_json(resp, 500, "{\"message\":\"Server Error\"}");
    }
    free(split);
    free(path);
}

/* Laravel's ValidatePostSize refuses the body before routing: HTTP 413 with an empty message. */
static void yunfu_oversized(void *state, const struct mock_env *env, const struct mock_request *req,
                            struct mock_response *resp)
{
    (void)state;
    (void)env;
    (void)req;
    yunfu_reply_laravel(resp, 413, "");
}

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
};
