/* Yunfu's routes under /agent-api, answered in a Laravel application's order: the router first
 * (404, 405), then the middlewares (auth:api 401, throttle 429), then the vendor's controllers
 * (1002, 422, 5002, 5003, 5004) in its {"code","status","message","data"} envelope. Play URLs
 * point at /yunfu-oss/, the object store beside the application, which has no token check. */
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
        return (struct route_match){ROUTE_TOKEN, NULL, NULL, NULL};
    if (n == 3 && is(seg[0], "user") && (is(seg[2], "task") || is(seg[2], "all_task")))
        return (struct route_match){is(seg[2], "task") ? ROUTE_TASKS : ROUTE_ALL_TASKS, seg[1],
                                    NULL, NULL};
    if (n == 6 && is(seg[0], "user") && is(seg[2], "task") && is(seg[4], "batch_record") &&
        is(seg[5], "download-full-voice"))
        return (struct route_match){ROUTE_VOICE_BATCH, seg[1], seg[3], NULL};
    /* The task's own routes, after /user/{id} or, on the retired paths, straight away. */
    char **t = NULL;
    const char *user = NULL;
    if (n >= 5 && is(seg[0], "user") && is(seg[2], "task")) {
        user = seg[1];
        t = seg + 3;
        n -= 3;
    } else if (n >= 3 && st->legacy && is(seg[0], "task")) {
        t = seg + 1;
        n -= 1;
    }
    if (!t)
        return m;
    if (n == 2 && is(t[1], "record"))
        m = (struct route_match){ROUTE_LIST, user, t[0], NULL};
    else if (n == 3 && is(t[1], "detail"))
        m = (struct route_match){ROUTE_DETAIL, user, t[0], t[2]};
    else if (n == 4 && is(t[1], "record") && is(t[3], "download-full-voice"))
        m = (struct route_match){ROUTE_VOICE, user, t[0], t[2]};
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
