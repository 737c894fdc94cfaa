/* Yunfu as a descriptor: its fields (fields.c), paging and named calls, the rules across fields
 * (an account or the legacy path; one task or all of them), and the generic calls over the typed
 * client: a task's calls or (all_tasks) every task's, a saved answer, one call's recording. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "private.h"

static const struct cdr_call calls[] = {
    {"detail", CDR_ANSWER_JSON, "one call's dialogue rows, .../detail/{record_id}"},
    {"tasks", CDR_ANSWER_JSON, "the account's tasks, /agent-api/user/{user_id}/task or all_task"},
    {"download", CDR_ANSWER_NONE,
     "one call's recording, .../record/{record_id}/download-full-voice"},
    {"voice_urls", CDR_ANSWER_JSON,
     "play URLs of up to 30 calls, .../batch_record/download-full-voice"},
    {"token", CDR_ANSWER_JSON, "the token's expiry, /agent-api/token"},
};

/* A rule across fields broken: err names the field, *bad points at it. */
static cdr_error refuse(const char *field, const char *why, const struct cdr_field **bad,
                        struct cdr_error_info *err)
{
    *bad = cdr_vendor_field(&cdr__yunfu_vendor, field);
    return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "%s: %s", field, why);
}

/* The list needs an account, unless it asks for the retired path, which has none; one task, or
 * all_tasks (which needs the account), whose own options come only with it. */
static cdr_error yunfu_check(const struct cdr_args *args, const struct cdr_field **bad,
                             struct cdr_error_info *err)
{
    bool legacy = cdr__args_flag(args, "legacy"), user = cdr_args_get(args, "user_id") != NULL;
    bool all = cdr__args_flag(args, "all_tasks"), task = cdr_args_get(args, "task_id") != NULL;
    if (legacy == user)
        return refuse("user_id",
                      user ? "not with legacy, which has no account" : "required unless legacy",
                      bad, err);
    if (all && legacy)
        return refuse("all_tasks", "not with legacy: the task list needs the account", bad, err);
    if (all == task)
        return refuse("task_id", task ? "not with all_tasks" : "required unless all_tasks", bad,
                      err);
    static const char *const with_all[] = {"sub_accounts", "task_name", "task_status"};
    for (size_t i = 0; i < 3 && !all; i++)
        if (cdr_args_get(args, with_all[i]))
            return refuse(with_all[i], "only with all_tasks", bad, err);
    if (cdr__args_flag(args, "sub_accounts") && cdr_args_get(args, "sub_user_id"))
        return refuse("sub_user_id", "not with sub_accounts, which covers every sub-account", bad,
                      err);
    return CDR_OK;
}

static void *yunfu_open(const struct cdr_client_options *opts, const struct cdr_args *args,
                        struct cdr_error_info *err)
{
    struct cdr_yunfu_options o;
    cdr_yunfu_options_default(&o);
    o.base_url = opts->base_url;
    o.token = cdr_args_get(args, "token");
    o.http = opts->http;
    o.skip_raw = opts->skip_raw;
    return cdr_yunfu_client_new(&o, err);
}

static void yunfu_close(void *handle)
{
    cdr_yunfu_client_free(handle);
}

/* The list's account (NULL: the legacy path), task (NULL with all_tasks) and filters; *lists owns
 * the filter's lists. */
struct list_query {
    const char *user_id;
    const char *task_id;
    bool all_tasks, sub_accounts;
    struct cdr_yunfu_filter filter;
    struct cdr_yunfu_task_filter tasks;
    int statuses[8];
    void *lists;
};

/* task_status values (1..3 or their names), at most 8 of them. */
static cdr_error read_statuses(const struct cdr_args *args, struct list_query *q,
                               struct cdr_error_info *err)
{
    size_t n = cdr_args_count(args, "task_status");
    if (n > sizeof(q->statuses) / sizeof(q->statuses[0]))
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "task_status: at most 8 values");
    for (size_t i = 0; i < n; i++) {
        const char *text = cdr_args_value(args, "task_status", i);
        int status = cdr_yunfu_task_status(text);
        if (!status)
            return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                                 "task_status: \"%s\" is not 1..3, paused, running or waiting",
                                 text);
        q->statuses[i] = status;
    }
    q->tasks.statuses = n ? q->statuses : NULL;
    q->tasks.status_count = n;
    return CDR_OK;
}

static cdr_error read_query(const struct cdr_args *args, struct list_query *q,
                            struct cdr_error_info *err)
{
    memset(q, 0, sizeof(*q));
    q->user_id = cdr__args_flag(args, "legacy") ? NULL : cdr_args_get(args, "user_id");
    q->task_id = cdr_args_get(args, "task_id");
    q->all_tasks = cdr__args_flag(args, "all_tasks");
    q->sub_accounts = cdr__args_flag(args, "sub_accounts");
    cdr_yunfu_filter_init(&q->filter);
    if (!q->user_id && !cdr__args_flag(args, "legacy"))
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "user_id: required unless legacy");
    if (!q->task_id && !q->all_tasks)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "task_id: required unless all_tasks");
    q->tasks.name = cdr_args_get(args, "task_name");
    q->tasks.sub_user_id = cdr_args_get(args, "sub_user_id");
    cdr_error rc = read_statuses(args, q, err);
    return rc == CDR_OK
               ? cdr_vendor_fill_filter(&cdr__yunfu_vendor, args, &q->filter, &q->lists, err)
               : rc;
}

static void take_page(struct cdr_yunfu_page *p, struct cdr_page *out)
{
    out->records = p->records;
    out->record_count = p->record_count;
    out->total = p->total;
    /* Laravel's last_page is never below 1: an empty result is one empty page there and no page
     * at all here. */
    out->pages = p->total == 0 && p->last_page == 1 ? 0 : p->last_page;
    out->page = p->current_page;
    out->size = p->per_page;
    out->paging_json = p->paging_json;
    *p = (struct cdr_yunfu_page){0};
}

static cdr_error yunfu_page(void *handle, const struct cdr_args *args, int64_t page, int64_t size,
                            struct cdr_page *out, struct cdr_error_info *err)
{
    struct list_query q;
    cdr_error rc = read_query(args, &q, err);
    if (rc == CDR_OK && q.all_tasks)
        rc = cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                           "all_tasks: only a whole fetch walks every task");
    struct cdr_yunfu_page p;
    if (rc == CDR_OK && (rc = cdr_yunfu_list_page(handle, q.user_id, q.task_id, &q.filter, page,
                                                  size, &p, err)) == CDR_OK)
        take_page(&p, out);
    free(q.lists);
    return rc;
}

static void relay_progress(void *relay, const struct cdr_yunfu_progress *p)
{
    struct cdr_progress g = {0, 0, p->page, p->last_page, p->total, p->records_seen};
    cdr__relay_progress(relay, &g);
}

static cdr_error yunfu_fetch_all(void *handle, const struct cdr_args *args, int64_t page_size,
                                 cdr_record_fn on_record, cdr_progress_fn on_progress, void *user,
                                 struct cdr_error_info *err)
{
    struct list_query q;
    cdr_error rc = read_query(args, &q, err);
    struct cdr__relay relay = {on_record, on_progress, user};
    if (rc == CDR_OK && q.all_tasks)
        rc = cdr_yunfu_fetch_account(handle, q.user_id, q.sub_accounts, &q.tasks, &q.filter,
                                     page_size, cdr__relay_record, relay_progress, &relay, err);
    else if (rc == CDR_OK)
        rc = cdr_yunfu_fetch_all(handle, q.user_id, q.task_id, &q.filter, page_size,
                                 cdr__relay_record, relay_progress, &relay, err);
    free(q.lists);
    return rc;
}

/* A list page, or else one call's detail: its record, when it came with one. */
static cdr_error yunfu_parse(const char *body, size_t len, long http_status, struct cdr_page *out,
                             struct cdr_error_info *err)
{
    struct cdr_yunfu_page p;
    cdr_error rc = cdr_yunfu_parse_page(body, len, http_status, &p, err);
    if (rc == CDR_OK) {
        take_page(&p, out);
        return rc;
    }
    struct cdr_yunfu_detail d;
    if (rc != CDR_ERR_MALFORMED_RESPONSE ||
        cdr_yunfu_parse_detail(body, len, http_status, &d, NULL) != CDR_OK)
        return rc;
    if (d.has_record && !(out->records = calloc(1, sizeof(*out->records)))) {
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    } else if (d.has_record) {
        out->records[0] = d.record;
        out->record_count = 1;
        d.has_record = false;
        rc = CDR_OK;
    }
    cdr_yunfu_detail_free(&d);
    return rc;
}

/* The record's own account, task and id name its one recording: download-full-voice, whose answer
 * the typed call reads (audio, a redirect, or the vendor's error). */
static cdr_error yunfu_download(void *handle, const struct cdr_record *record, size_t index,
                                cdr_write_fn write, void *user, struct cdr_download *out,
                                struct cdr_error_info *err)
{
    if (index > 0)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                             "a yunfu call has one recording, not %zu", index + 1);
    cJSON *raw = record->raw_json ? cJSON_Parse(record->raw_json) : NULL;
    const cJSON *account = cJSON_GetObjectItemCaseSensitive(raw, "user_id");
    const cJSON *task = cJSON_GetObjectItemCaseSensitive(raw, "task_id");
    cdr_error rc;
    struct cdr_yunfu_audio audio;
    if (!record->id || !cJSON_IsString(account) || !cJSON_IsString(task)) {
        rc = cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                           "the record lacks the id, user_id and task_id its recording needs");
    } else if ((rc = cdr_yunfu_download_voice(handle, account->valuestring, task->valuestring,
                                              record->id, NULL, write, user, &audio, err)) ==
               CDR_OK) {
        snprintf(out->content_type, sizeof(out->content_type), "%s", audio.content_type);
        cdr__recording_extension("", out->content_type, out->extension);
        out->bytes = (int64_t)audio.bytes;
    }
    cJSON_Delete(raw);
    return rc;
}

/* The callback's page documents no reply: HTTP 200 (inferred), the body unread. */
static const struct cdr_push_reply push_reply = {
    .status = 200,
    .content_type = "text/plain; charset=utf-8",
    .body = "OK\n",
    .source = "https://docs.longlonglong.cn/api/回调/呼入成功回调数据.html",
};

static const struct cdr_vendor_ops ops = {
    .check = yunfu_check,
    .open = yunfu_open,
    .close = yunfu_close,
    .page = yunfu_page,
    .fetch_all = yunfu_fetch_all,
    .parse = yunfu_parse,
    .download = yunfu_download,
    .parse_push = cdr_yunfu_parse_push,
    .push_reply = &push_reply,
};

const struct cdr_vendor cdr__yunfu_vendor = {
    .id = "yunfu",
    .title = "Yunfu AI contact center (agent-api)",
    .url = "https://ai.api.longlonglong.cn",
    .fields = cdr__yunfu_fields,
    .filter_wire = "query parameters, PHP bracket syntax",
    .paging = {.paged = true,
               .page_param = "page (query)",
               .size_param = "per_page (query; none sent for a size of 0)",
               .server_size = CDR_YUNFU_DEFAULT_PER_PAGE,
               .fetch_size = 100,
               .max_size = 100000,
               .max_range = 0},
    .calls = calls,
    .call_count = sizeof(calls) / sizeof(calls[0]),
    .ops = &ops,
};

struct cdr_yunfu_client *cdr_yunfu_client_of(struct cdr_client *client)
{
    return cdr__client_handle(client, &cdr__yunfu_vendor);
}
