/* Yunfu's routes under /agent-api, answered in a Laravel application's order: the router first
 * (404, 405), then the middlewares (auth:api 401, throttle 429), then the vendor's controllers
 * (1002, 422, 5002, 5003, 5004) in its {"code","status","message","data"} envelope. Play URLs
 * point at /yunfu-oss/, the object store beside the application, which has no token check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define PREFIX "/agent-api"
#define STORE_PREFIX "/yunfu-oss/"
#define MAX_SEGMENTS 8

enum route {
    ROUTE_NONE,
    ROUTE_TOKEN,
    ROUTE_LIST,
    ROUTE_DETAIL,
    ROUTE_TASKS,
    ROUTE_ALL_TASKS,
    ROUTE_VOICE,
    ROUTE_VOICE_BATCH,
};

struct route_match {
    enum route route;
    const char *user, *task, *record; /* point into the split path; user NULL on the legacy path */
};

bool yunfu_routes(const char *path)
{
    return (strncmp(path, PREFIX, strlen(PREFIX)) == 0 &&
            (path[strlen(PREFIX)] == '/' || !path[strlen(PREFIX)])) ||
           strncmp(path, STORE_PREFIX, strlen(STORE_PREFIX)) == 0;
}

static bool is(const char *segment, const char *word)
{
    return strcmp(segment, word) == 0;
}

/* The routes after /agent-api/, "{user}", "{task}" and "{record}" capturing one segment; the
 * retired forms without the account only under yunfu.legacy. Tried in order; the segment counts
 * and literals keep any two apart. */
static const struct {
    enum route route;
    const char *pattern;
    bool legacy;
} table[] = {
    {ROUTE_TOKEN, "token", false},
    {ROUTE_TASKS, "user/{user}/task", false},
    {ROUTE_ALL_TASKS, "user/{user}/all_task", false},
    {ROUTE_VOICE_BATCH, "user/{user}/task/{task}/batch_record/download-full-voice", false},
    {ROUTE_LIST, "user/{user}/task/{task}/record", false},
    {ROUTE_DETAIL, "user/{user}/task/{task}/detail/{record}", false},
    {ROUTE_VOICE, "user/{user}/task/{task}/record/{record}/download-full-voice", false},
    {ROUTE_LIST, "task/{task}/record", true},
    {ROUTE_DETAIL, "task/{task}/detail/{record}", true},
    {ROUTE_VOICE, "task/{task}/record/{record}/download-full-voice", true},
};

/* The methods every route answers (Laravel adds HEAD to each GET route). */
static const char *const route_methods[] = {"GET", "HEAD"};

void yunfu_route_list(void (*each)(void *ctx, const char *method, const char *path), void *ctx)
{
    for (size_t m = 0; m < sizeof(route_methods) / sizeof(route_methods[0]); m++) {
        for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
            char path[160];
            snprintf(path, sizeof(path), PREFIX "/%s", table[i].pattern);
            each(ctx, route_methods[m], path);
        }
        each(ctx, route_methods[m], YUNFU_VOICE_PREFIX "{file}");
    }
}

/* Whether the n segments fit the pattern; the captures go to m. */
static bool fits(const char *pattern, char **seg, size_t n, struct route_match *m)
{
    size_t i = 0;
    for (const char *p = pattern; *p; i++) {
        size_t len = strcspn(p, "/");
        if (i == n)
            return false;
        if (*p == '{') {
            const char **slot = p[1] == 'u' ? &m->user : p[1] == 't' ? &m->task : &m->record;
            *slot = seg[i];
        } else if (strlen(seg[i]) != len || strncmp(seg[i], p, len) != 0) {
            return false;
        }
        p += len + (p[len] == '/');
    }
    return i == n;
}

/* Matches the path (split in place) against the vendor's routes; Laravel ignores trailing
 * slashes and never matches an empty parameter. */
static struct route_match match_route(const struct yunfu_state *st, char *path)
{
    struct route_match none = {ROUTE_NONE, NULL, NULL, NULL};
    char *seg[MAX_SEGMENTS];
    size_t n = 0;
    char *p = path + strlen(PREFIX);
    while (*p == '/' && n < MAX_SEGMENTS) {
        *p++ = '\0';
        seg[n++] = p;
        p += strcspn(p, "/");
    }
    if (*p)
        return none;
    for (size_t i = 0; i < n; i++)
        if (!seg[i][0])
            return none;
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        struct route_match m = {table[i].route, NULL, NULL, NULL};
        if ((!table[i].legacy || st->legacy) && fits(table[i].pattern, seg, n, &m))
            return m;
    }
    return none;
}

/* The routes answer GET (and HEAD); OPTIONS lists them; anything else is Laravel's 405. */
static bool method_allowed(const struct mock_request *req, const char *path,
                           struct mock_response *resp)
{
    for (size_t i = 0; i < sizeof(route_methods) / sizeof(route_methods[0]); i++)
        if (is(req->method, route_methods[i]))
            return true;
    if (is(req->method, "OPTIONS"))
        yunfu_reply_options(resp);
    else
        yunfu_reply_method_not_allowed(resp, req->method, path);
    return false;
}

static void dispatch(const struct yunfu_state *st, const struct mock_env *env,
                     const struct yunfu_token *token, const struct route_match *m,
                     const struct mock_request *req, struct mock_response *resp)
{
    struct yunfu_scope scope;
    int code = yunfu_auth_scope(st, token, m->user, &scope);
    if (code != YUNFU_OK) {
        yunfu_reply_error(resp, code);
        return;
    }
    struct yunfu_php_value query;
    if (!yunfu_php_parse(req->query, req->query_count, &query)) {
        yunfu_reply_server_error(resp);
        yunfu_php_free(&query);
        return;
    }
    switch (m->route) {
    case ROUTE_DETAIL:
        yunfu_record_detail(st, &scope, m->task, m->record, &query, resp);
        break;
    case ROUTE_TASKS:
    case ROUTE_ALL_TASKS:
        yunfu_task_list(st, &scope, m->route == ROUTE_ALL_TASKS, &query, resp);
        break;
    case ROUTE_VOICE:
        yunfu_voice_download(st, env, req, &scope, m->task, m->record, &query, resp);
        break;
    case ROUTE_VOICE_BATCH:
        yunfu_voice_batch(st, env, req, &scope, m->task, &query, resp);
        break;
    default:
        yunfu_record_list(st, &scope, m->task, &query, resp);
        break;
    }
    yunfu_php_free(&query);
}

/* The framework's checks in its order (route, method, token, throttle), then the vendor's code. */
static void answer(struct yunfu_state *st, const struct mock_env *env,
                   const struct mock_request *req, const char *path, const struct route_match *m,
                   struct mock_response *resp)
{
    if (m->route == ROUTE_NONE) {
        yunfu_reply_not_found(resp, path);
        return;
    }
    if (!method_allowed(req, path, resp))
        return;
    const struct yunfu_token *token = yunfu_authenticate(st, env, req);
    if (!token) {
        yunfu_reply_unauthenticated(resp, st->unauth_envelope, st->unauth_http_200);
        return;
    }
    if (!yunfu_throttle_hit(&st->throttle, token->token, mock_clock_now_ms(env->clock), resp))
        return;
    if (m->route == ROUTE_TOKEN)
        yunfu_token_info(token, env, resp);
    else
        dispatch(st, env, token, m, req, resp);
}

/* The object store behind play URLs: GET and HEAD of one object, its own XML errors. */
static void answer_store(const struct yunfu_state *st, const struct mock_env *env,
                         const struct mock_request *req, struct mock_response *resp)
{
    const char *path = req->path;
    int64_t now = mock_clock_now(env->clock);
    if (!is(req->method, "GET") && !is(req->method, "HEAD"))
        yunfu_reply_oss_error(resp, 405, "MethodNotAllowed",
                              "The specified method is not allowed against this resource.", now);
    else if (strncmp(path, YUNFU_VOICE_PREFIX, strlen(YUNFU_VOICE_PREFIX)) != 0 ||
             strchr(path + strlen(YUNFU_VOICE_PREFIX), '/'))
        yunfu_reply_oss_error(resp, 404, "NoSuchKey", "The specified key does not exist.", now);
    else
        yunfu_voice_file(st, env, req, path, resp);
}

void yunfu_handle(void *state, const struct mock_env *env, const struct mock_request *req,
                  struct mock_response *resp)
{
    if (strncmp(req->path, STORE_PREFIX, strlen(STORE_PREFIX)) == 0) {
        answer_store(state, env, req, resp);
        return;
    }
    char *path = strdup(req->path);
    size_t len = path ? strlen(path) : 0;
    while (len > 1 && path[len - 1] == '/')
        path[--len] = '\0';
    char *split = path ? strdup(path) : NULL; /* match_route cuts it into segments */
    if (split) {
        struct route_match m = match_route(state, split);
        answer(state, env, req, path, &m, resp);
    } else {
        yunfu_reply_server_error(resp);
    }
    free(split);
    free(path);
}

/* Laravel's ValidatePostSize refuses the body before routing: HTTP 413 with an empty message.
 * A URL or headers over the limits get the same shape with 414 and 431 (inferred: the HTTP
 * exception's own status, rendered by Laravel's JSON handler with its empty message). */
void yunfu_oversized(void *state, const struct mock_env *env, const struct mock_request *req,
                     struct mock_response *resp)
{
    (void)state;
    (void)env;
    int status = req->too_large == MOCK_URL_TOO_LONG        ? 414
                 : req->too_large == MOCK_HEADERS_TOO_LARGE ? 431
                                                            : 413;
    yunfu_reply_laravel(resp, status, "");
}
