/* GET /agent-api/user/{id}/task (one account's tasks, or a sub-account's with sub_user_id) and
 * GET /agent-api/user/{id}/all_task (the account's and all its sub-accounts'), with the filters the
 * vendor documents (name, status) and the record list's Laravel paging. The answer's shape is not
 * documented: the record list's envelope, newest task first, each task with the members the task
 * pages name (inferred; docs/vendors/yunfu.md). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cdrsim/timefmt.h"
#include "internal.h"

#define TASKS_MESSAGE "查看任务列表成功"

/* MySQL's `name LIKE '%text%'` for plain text: a case-insensitive (ASCII) substring. */
static bool name_contains(const char *name, const char *text)
{
    size_t n = strlen(text);
    for (const char *p = name; *p; p++)
        if (strncasecmp(p, text, n) == 0)
            return true;
    return !*text;
}

/* Whether the task belongs to the listing: the owner asked for (all: the account or one of its
 * sub-accounts), then the filters. */
static bool listed(const struct yunfu_state *st, const struct yunfu_task *t, size_t owner, bool all,
                   const struct yunfu_task_params *q)
{
    bool mine = t->account == owner || (all && st->accounts[t->account].parent == owner);
    return mine && (!q->name || name_contains(t->name, q->name)) &&
           (!q->statuses || (q->statuses & (1u << t->status)));
}

static void write_task(struct cdr_buf *b, const struct yunfu_state *st, const struct yunfu_task *t)
{
    char created[CDR_LOCAL_TIME_LEN + 1];
    cdr_time_format_local(t->created_at, CDR_CHINA_OFFSET_SECONDS, created);
    cdr_buf_puts(b, "{\"id\":");
    cdr_buf_json_string(b, t->id);
    cdr_buf_puts(b, ",\"user_id\":");
    cdr_buf_json_string(b, st->accounts[t->account].id);
    cdr_buf_puts(b, ",\"name\":");
    cdr_buf_json_string(b, t->name);
    cdr_buf_puts(b, ",\"remark\":");
    if (t->remark)
        cdr_buf_json_string(b, t->remark);
    else
        cdr_buf_puts(b, "null");
    cdr_buf_printf(b,
                   ",\"status\":%lld,\"task_type\":%lld,\"destination_extension\":%lld,"
                   "\"maximumcall\":%lld,\"created_at\":\"%s\",\"updated_at\":\"%s\"}",
                   (long long)t->status, (long long)t->type, (long long)t->group_id,
                   (long long)t->maximumcall, created, created);
}

/* Newest created first; the fixture's order breaks ties. */
static int newest_first(const void *x, const void *y)
{
    const struct yunfu_task *a = *(const struct yunfu_task *const *)x,
                            *b = *(const struct yunfu_task *const *)y;
    if (a->created_at != b->created_at)
        return a->created_at < b->created_at ? 1 : -1;
    return a < b ? -1 : a > b;
}

static void reply_tasks(const struct yunfu_state *st, const struct yunfu_task_params *q,
                        size_t owner, bool all, struct mock_response *resp)
{
    const struct yunfu_task **picked =
        malloc((st->task_count ? st->task_count : 1) * sizeof(*picked));
    if (!picked) {
        yunfu_reply_server_error(resp);
        return;
    }
    size_t total = 0;
    for (size_t i = 0; i < st->task_count; i++)
        if (listed(st, &st->tasks[i], owner, all, q))
            picked[total++] = &st->tasks[i];
    qsort(picked, total, sizeof(*picked), newest_first);
    struct cdr_buf b;
    yunfu_begin_success(&b, TASKS_MESSAGE, 512);
    yunfu_write_meta(&b, q->page, q->per_page, q->per_page_text, st->per_page, (int64_t)total);
    cdr_buf_puts(&b, ",\"data\":[");
    /* (page - 1) * per_page without overflow: a page beyond every task skips them all. */
    size_t skip = (uint64_t)(q->page - 1) >= total / (uint64_t)q->per_page + 1
                      ? total
                      : (size_t)((q->page - 1) * q->per_page);
    for (size_t i = skip; i < total && (int64_t)(i - skip) < q->per_page; i++) {
        if (i > skip)
            cdr_buf_puts(&b, ",");
        write_task(&b, st, picked[i]);
    }
    cdr_buf_puts(&b, "]");
    free(picked);
    yunfu_finish_success(resp, &b);
}

void yunfu_task_list(const struct yunfu_state *st, const struct yunfu_scope *scope, bool all,
                     const struct yunfu_php_value *query, struct mock_response *resp)
{
    struct yunfu_task_params q;
    struct yunfu_errors errors = {0};
    yunfu_read_task_params(query, &q, &errors);
    if (errors.count || errors.failed) {
        yunfu_reply_validation(resp, &errors);
        yunfu_errors_free(&errors);
        return;
    }
    /* all_task takes no sub_user_id: it covers every sub-account already. */
    struct yunfu_scope s = *scope;
    s.sub_user_id = all ? NULL : q.sub_user_id;
    size_t owner;
    int code = yunfu_auth_owner(st, &s, &owner);
    if (code == YUNFU_OK)
        reply_tasks(st, &q, owner, all, resp);
    else
        yunfu_reply_error(resp, code);
}
