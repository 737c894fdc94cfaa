/* Yunfu's routes under /agent-api, answered in a Laravel application's order: the router first
 * (404, 405), then the middlewares (auth:api 401, throttle 429), then the vendor's controllers
 * (1002, 422, 5002, 5003) in its {"code","status","message","data"} envelope. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define PREFIX "/agent-api"
#define MAX_SEGMENTS 8

enum route { ROUTE_NONE, ROUTE_TOKEN, ROUTE_LIST, ROUTE_LEGACY_LIST, ROUTE_DETAIL };

struct route_match {
    enum route route;
    const char *user, *task, *record; /* point into the split path; user NULL on the legacy path */
};

bool yunfu_routes(const char *path)
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

/* The routes answer GET (and HEAD); OPTIONS lists them; anything else is Laravel's 405. */
static bool method_allowed(const struct mock_request *req, const char *path,
                           struct mock_response *resp)
{
    if (is(req->method, "GET") || is(req->method, "HEAD"))
        return true;
    if (is(req->method, "OPTIONS"))
        yunfu_reply_options(resp);
    else
        yunfu_reply_method_not_allowed(resp, req->method, path);
    return false;
}

static void dispatch(const struct yunfu_state *st, const struct yunfu_token *token,
                     const struct route_match *m, const struct mock_request *req,
                     struct mock_response *resp)
{
    struct yunfu_scope scope;
    int code = yunfu_auth_scope(st, token, m->user, &scope);
    if (code != YUNFU_OK) {
        yunfu_reply_error(resp, code);
        return;
    }
    struct yunfu_php_value query;
    if (!yunfu_php_parse(req->query, req->query_count, &query))
        yunfu_reply_server_error(resp);
    else if (m->route == ROUTE_DETAIL)
        yunfu_record_detail(st, &scope, m->task, m->record, &query, resp);
    else
        yunfu_record_list(st, &scope, m->task, &query, resp);
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
        yunfu_reply_unauthenticated(resp, st->unauth_envelope);
        return;
    }
    if (!yunfu_throttle_hit(&st->throttle, token->token, mock_clock_now_ms(env->clock), resp))
        return;
    if (m->route == ROUTE_TOKEN)
        yunfu_token_info(token, env, resp);
    else
        dispatch(st, token, m, req, resp);
}

void yunfu_handle(void *state, const struct mock_env *env, const struct mock_request *req,
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
