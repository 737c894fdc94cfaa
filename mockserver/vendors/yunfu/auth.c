/* Who may call, and on whose records: the Bearer token (Laravel's auth:api guard), the account in
 * the path, the sub-account a request names and the task it asks for. Each check answers with the
 * vendor's code (1002 for an account, 5002 for a task) and leaves the reply to the caller; the
 * token endpoint itself is answered here. */
#include <string.h>

#include "cdrsim/timefmt.h"
#include "internal.h"

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

const struct yunfu_token *yunfu_authenticate(const struct yunfu_state *st,
                                             const struct mock_env *env,
                                             const struct mock_request *req)
{
    const char *token;
    size_t len = bearer_token(req, &token);
    if (!len) {
        mock_request_auth(req, false, "no Authorization: Bearer token");
        return NULL;
    }
    int64_t now = mock_clock_now(env->clock);
    for (size_t i = 0; i < st->token_count; i++) {
        const struct yunfu_token *t = &st->tokens[i];
        if (strlen(t->token) != len || memcmp(t->token, token, len) != 0)
            continue;
        char expiry[20];
        cdr_time_format_local(t->expires_at, CDR_CHINA_OFFSET_SECONDS, expiry);
        if (now < t->expires_at) {
            mock_request_auth(req, true, "Bearer token of partner %s, valid until %s (UTC+8)",
                              t->partner, expiry);
            return t;
        }
        mock_request_auth(req, false, "expired token: it expired at %s (UTC+8), %lld s ago", expiry,
                          (long long)(now - t->expires_at));
        return NULL;
    }
    mock_request_auth(req, false, "unknown Bearer token");
    return NULL;
}

void yunfu_token_info(const struct yunfu_token *t, const struct mock_env *env,
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

int yunfu_auth_scope(const struct yunfu_state *st, const struct yunfu_token *token,
                     const char *user_id, struct yunfu_scope *scope)
{
    *scope = (struct yunfu_scope){token->partner, SIZE_MAX, NULL};
    if (!user_id)
        return YUNFU_OK;
    /* The account's cloud node is resolved before any parameter is looked at. */
    const struct yunfu_account *a = yunfu_find_account(st, user_id, &scope->account);
    return a && strcmp(a->partner, token->partner) == 0 ? YUNFU_OK : YUNFU_NO_NODE;
}

int yunfu_auth_owner(const struct yunfu_state *st, const struct yunfu_scope *scope, size_t *owner)
{
    *owner = scope->account;
    if (!scope->sub_user_id)
        return YUNFU_OK;
    size_t sub;
    const struct yunfu_account *a = yunfu_find_account(st, scope->sub_user_id, &sub);
    bool ok = a && (scope->account != SIZE_MAX
                        ? a->parent == scope->account
                        : strcmp(a->partner, scope->partner) == 0 && a->node == st->default_node);
    if (!ok)
        return YUNFU_NO_NODE;
    *owner = sub;
    return YUNFU_OK;
}

static const struct yunfu_task *owned_task(const struct yunfu_state *st, size_t owner,
                                           const char *partner, const char *task_id)
{
    const struct yunfu_task *t = yunfu_find_task(st, task_id);
    if (!t)
        return NULL;
    const struct yunfu_account *a = &st->accounts[t->account];
    if (owner == SIZE_MAX) /* the legacy path: the system's default cloud node */
        return strcmp(a->partner, partner) == 0 && a->node == st->default_node ? t : NULL;
    return t->account == owner ? t : NULL;
}

int yunfu_auth_task(const struct yunfu_state *st, const struct yunfu_scope *scope,
                    const char *task_id, const struct yunfu_task **task)
{
    size_t owner;
    *task = NULL;
    int code = yunfu_auth_owner(st, scope, &owner);
    if (code == YUNFU_OK && !(*task = owned_task(st, owner, scope->partner, task_id)))
        code = YUNFU_NO_TASK;
    return code;
}
