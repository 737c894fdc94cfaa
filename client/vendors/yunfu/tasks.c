/* Yunfu task lists (GET /agent-api/user/{id}/task and .../all_task) and a whole account's calls:
 * every task, then every call of each, each call's direction from its task's task_type. */
#include <stdlib.h>
#include <string.h>

#include "cdrsim/http.h"
#include "cdrsim/timefmt.h"
#include "internal.h"
#include "json_get.h"
#include "page_guard.h"

int cdr_yunfu_task_status(const char *text)
{
    for (int k = 0; text && cdr__yunfu_task_states[k]; k++)
        if (strcmp(cdr__yunfu_task_states[k], text) == 0)
            return k + 1;
    return text && text[0] >= '1' && text[0] <= '3' && !text[1] ? text[0] - '0' : 0;
}

enum cdr_direction cdr_yunfu_task_direction(int64_t task_type)
{
    switch (task_type) {
    case 1: /* 任务外呼 */
    case 4: /* 大模型外呼 */
        return CDR_DIRECTION_OUTBOUND;
    case 2: /* 任务呼入 */
    case 5: /* 大模型呼入 */
        return CDR_DIRECTION_INBOUND;
    default:
        return CDR_DIRECTION_UNKNOWN;
    }
}

static void task_free(struct cdr_yunfu_task *t)
{
    free(t->id);
    free(t->user_id);
    free(t->name);
    free(t->raw_json);
}

void cdr_yunfu_task_page_free(struct cdr_yunfu_task_page *page)
{
    if (!page)
        return;
    for (size_t i = 0; i < page->task_count; i++)
        task_free(&page->tasks[i]);
    free(page->tasks);
    free(page->paging_json);
    memset(page, 0, sizeof(*page));
}

static int64_t int_or(const cJSON *obj, const char *key, int64_t fallback)
{
    int64_t v;
    return cdr__json_get_int(obj, key, &v) ? v : fallback;
}

static cdr_error read_task(const cJSON *o, struct cdr_yunfu_task *t, struct cdr_error_info *err)
{
    if (!cJSON_IsObject(o))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "a task is not an object");
    bool ok = true;
    t->id = cdr__json_dup_text(o, "id", &ok);
    t->user_id = cdr__json_dup_text(o, "user_id", &ok);
    t->name = cdr__json_dup_text(o, "name", &ok);
    t->status = int_or(o, "status", -1);
    t->task_type = int_or(o, "task_type", -1);
    if (!cdr__json_get_time(o, "created_at", CDR_CHINA_OFFSET_SECONDS, &t->created_at))
        t->created_at = CDR_TIME_NONE; /* informative only */
    t->raw_json = cdr__json_print(o);
    if (!ok || !t->raw_json)
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    if (!t->id || !t->id[0])
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "a task without an id");
    return CDR_OK;
}

cdr_error cdr_yunfu_parse_tasks(const char *body, size_t len, long http_status,
                                struct cdr_yunfu_task_page *out, struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    cJSON *root;
    cdr_error rc = cdr__yunfu_open_envelope(body, len, http_status, &root, err);
    if (rc != CDR_OK)
        return rc;
    rc = CDR__YUNFU_READ_META(root, out, err);
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data"), *t;
    if (rc == CDR_OK && !cJSON_IsArray(data))
        rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "data is not an array");
    size_t n = rc == CDR_OK ? (size_t)cJSON_GetArraySize(data) : 0;
    if (n && !(out->tasks = calloc(n, sizeof(*out->tasks))))
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    cJSON_ArrayForEach(t, (rc == CDR_OK ? data : NULL)) {
        rc = read_task(t, &out->tasks[out->task_count++], err);
        if (rc != CDR_OK)
            break;
    }
    cJSON_Delete(root);
    if (rc != CDR_OK)
        cdr_yunfu_task_page_free(out);
    return cdr__yunfu_with_status(rc, http_status, err);
}

static cdr_error parse_tasks(const char *body, size_t len, long http_status, void *out,
                             struct cdr_error_info *err)
{
    return cdr_yunfu_parse_tasks(body, len, http_status, out, err);
}

cdr_error cdr_yunfu_get_task_page(struct cdr_yunfu_client *c, const char *user_id, bool all,
                                  const struct cdr_yunfu_task_filter *filter, int64_t page,
                                  int64_t per_page, struct cdr_yunfu_task_page *out,
                                  struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (!c || !user_id)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client or account");
    if (page < 1)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "page must be >= 1");
    for (size_t i = 0; filter && i < filter->status_count; i++)
        if (filter->statuses[i] < 1 || filter->statuses[i] > 3)
            return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "a task status is 1, 2 or 3");
    char *path = cdr_yunfu_tasks_path(user_id, all);
    char *query = cdr_yunfu_tasks_query(filter, all, page, per_page);
    cdr_error rc = !path || !query ? cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory")
                                   : cdr__yunfu_get_parsed(c, path, query, parse_tasks, out, err);
    free(path);
    free(query);
    return rc;
}

cdr_error cdr_yunfu_fetch_tasks(struct cdr_yunfu_client *c, const char *user_id, bool all,
                                const struct cdr_yunfu_task_filter *filter, int64_t per_page,
                                cdr_yunfu_task_fn on_task, void *user, struct cdr_error_info *err)
{
    if (!on_task)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing callback");
    struct cdr__page_guard guard;
    cdr__page_guard_init(&guard);
    cdr_error rc = CDR_OK;
    bool stop = false;
    int64_t last_page = 1;
    for (int64_t page = 1; page <= last_page && rc == CDR_OK && !stop; page++) {
        struct cdr_yunfu_task_page p;
        if ((rc = cdr_yunfu_get_task_page(c, user_id, all, filter, page, per_page, &p, err)) !=
            CDR_OK)
            break;
        /* Without a per_page sent, the server's default is whatever it echoes. */
        int64_t echoed = p.per_page > 0 ? p.per_page : -1;
        const struct cdr__page_seen seen = {page,           per_page > 0 ? per_page : echoed,
                                            p.current_page, echoed,
                                            p.total,        p.task_count,
                                            p.last_page};
        rc = cdr__page_guard_page(&guard, &seen, err);
        /* Every task of the page passes the guard before the first is handed on. */
        for (size_t i = 0; rc == CDR_OK && i < p.task_count; i++) {
            bool fresh;
            rc = cdr__page_guard_record(&guard, p.tasks[i].id, false, &fresh, err);
        }
        for (size_t i = 0; rc == CDR_OK && i < p.task_count && !stop; i++)
            stop = on_task(user, &p.tasks[i]) != 0;
        last_page = p.last_page;
        cdr_yunfu_task_page_free(&p);
    }
    if (rc == CDR_OK && !stop)
        rc = cdr__page_guard_end_run(&guard, err);
    cdr__page_guard_free(&guard);
    return rc;
}

/* ---- a whole account ------------------------------------------------------------------------- */

/* The tasks of the account, kept (id, owner, type) to walk after the listing. */
struct task_list {
    struct cdr_yunfu_task *items; /* only id, user_id and task_type are set */
    size_t count, cap;
    bool failed;
};

static int keep_task(void *user, const struct cdr_yunfu_task *t)
{
    struct task_list *l = user;
    if (l->count == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        struct cdr_yunfu_task *grown = realloc(l->items, cap * sizeof(*grown));
        if (!grown) {
            l->failed = true;
            return 1;
        }
        l->items = grown;
        l->cap = cap;
    }
    struct cdr_yunfu_task *k = &l->items[l->count];
    memset(k, 0, sizeof(*k));
    k->id = strdup(t->id);
    k->user_id = t->user_id ? strdup(t->user_id) : NULL;
    k->task_type = t->task_type;
    l->count++;
    if (!k->id || (t->user_id && !k->user_id)) {
        l->failed = true;
        return 1;
    }
    return 0;
}

/* Hands each record on with its task's direction, and the progress to the caller's callback; notes
 * a stop (cdr_yunfu_fetch_all succeeds when stopped early, and the next task must not start). */
struct relay {
    cdr_record_fn on_record;
    cdr_yunfu_progress_fn on_progress;
    void *user;
    enum cdr_direction direction;
    bool stopped;
};

static int relay_record(void *user, const struct cdr_record *rec)
{
    struct relay *r = user;
    struct cdr_record copy = *rec; /* shallow: the callback only reads it */
    if (r->direction != CDR_DIRECTION_UNKNOWN)
        copy.direction = r->direction;
    r->stopped = r->on_record(r->user, &copy) != 0;
    return r->stopped;
}

static void relay_progress(void *user, const struct cdr_yunfu_progress *p)
{
    const struct relay *r = user;
    if (r->on_progress)
        r->on_progress(r->user, p);
}

cdr_error cdr_yunfu_fetch_account(struct cdr_yunfu_client *c, const char *user_id, bool all,
                                  const struct cdr_yunfu_task_filter *task_filter,
                                  const struct cdr_yunfu_filter *record_filter, int64_t per_page,
                                  cdr_record_fn on_record, cdr_yunfu_progress_fn on_progress,
                                  void *user, struct cdr_error_info *err)
{
    if (!c || !user_id || !on_record)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client, account or callback");
    struct task_list tasks = {0};
    cdr_error rc = cdr_yunfu_fetch_tasks(c, user_id, all, task_filter, 0, keep_task, &tasks, err);
    if (rc == CDR_OK && tasks.failed)
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    struct cdr_yunfu_filter f;
    if (record_filter)
        f = *record_filter;
    else
        cdr_yunfu_filter_init(&f);
    struct relay r = {on_record, on_progress, user, CDR_DIRECTION_UNKNOWN, false};
    const char *sub_user = task_filter && !all ? task_filter->sub_user_id : NULL;
    for (size_t i = 0; rc == CDR_OK && i < tasks.count && !r.stopped; i++) {
        const struct cdr_yunfu_task *t = &tasks.items[i];
        /* A sub-account's task is reached through the account with its sub_user_id. */
        f.sub_user_id = t->user_id && strcmp(t->user_id, user_id) != 0 ? t->user_id : sub_user;
        r.direction = cdr_yunfu_task_direction(t->task_type);
        rc = cdr_yunfu_fetch_all(c, user_id, t->id, &f, per_page, relay_record, relay_progress, &r,
                                 err);
    }
    for (size_t i = 0; i < tasks.count; i++)
        task_free(&tasks.items[i]);
    free(tasks.items);
    return rc;
}
