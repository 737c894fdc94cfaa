/* Conformance driver for Yunfu (agent-api). page and all go through the descriptor
 * (drivers/generic.c): the step's args use its fields (keyword, level "MIN:MAX", intention_tag
 * 1..5 or A..E, hangup_from/hangup_to, sub_user_id) and may name another user_id, task_id or
 * token than the credentials', or the retired path without the account (legacy: true); values go
 * out as written, even those a command line refuses, since what the server makes of them is what
 * the error scenarios ask. Besides those fields: whole_task (no start_at/end_at, as the vendor's
 * own example request), page_size (for "all"), record_id. A page "size" of 0 sends no per_page.
 * The vendor has no clock, nonce or signature: of the faults only wrong_secret (a wrong token)
 * applies.
 *
 * Named calls: "detail" (one call's dialogue rows as sent, by sequence, as a view; the call record
 * too when the server sends it: the step's record_id, or the newest call the query finds),
 * "transcript" (that call's dialogue as a view of rows: id, sequence, notify, question,
 * answer_text, answer_content, time), "tasks" (the account's tasks as sent, a view; args "all"
 * for all_task, "name", "status" (a number or a list), "page"/"size" for one page with its paging,
 * else every page), "download" (one call's recording as a view {content_type, bytes, format};
 * the record_id or the newest answered call; with "play_url": true the first URL the scenario's
 * last voice_urls got instead), "voice_urls" (play URLs of the step's record_ids, or of the
 * "count" newest calls the query finds, default 2, as a view of {record_id, url}) and "token"
 * (the token's validity as a view: expires_at, expires_in). */
#include <stdlib.h>
#include <string.h>

#include "cdrsim/timefmt.h"
#include "cdrsim/yunfu.h"
#include "args.h"

/* What a scenario keeps between steps: the play URL its last voice_urls call got. */
struct yunfu_session {
    char *play_url;
};

static void *yunfu_begin(const struct conform_env *env)
{
    (void)env;
    return calloc(1, sizeof(struct yunfu_session));
}

static void yunfu_end(void *session)
{
    struct yunfu_session *s = session;
    if (s)
        free(s->play_url);
    free(s);
}

static cdr_error yunfu_prepare(const struct conform_call *call, struct cdr_args *args,
                               struct cdr_client_options *opts, struct cdr_error_info *err)
{
    (void)opts;
    (void)err;
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(call->args, "whole_task"))) {
        cdr_args_set(args, "from", NULL);
        cdr_args_set(args, "to", NULL);
    }
    if (cdr_args_get(args, "all_tasks")) /* every task: the credentials' one is not asked for */
        cdr_args_set(args, "task_id", NULL);
    return CDR_OK;
}

static cJSON *text_or_null(const char *text)
{
    return text ? cJSON_CreateString(text) : cJSON_CreateNull();
}

static cJSON *time_or_null(int64_t t)
{
    char text[CDR_RFC3339_LEN + 1];
    if (t == CDR_TIME_NONE)
        return cJSON_CreateNull();
    cdr_time_format_rfc3339(t, text);
    return cJSON_CreateString(text);
}

static cJSON *row_view(const struct cdr_yunfu_utterance *u)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "id", text_or_null(u->id));
    cJSON_AddNumberToObject(o, "sequence", (double)u->sequence);
    cJSON_AddItemToObject(o, "notify", text_or_null(u->notify));
    cJSON_AddItemToObject(o, "question", text_or_null(u->question));
    cJSON_AddItemToObject(o, "answer_text", text_or_null(u->answer_text));
    cJSON_AddItemToObject(o, "answer_content", text_or_null(u->answer_content));
    cJSON_AddItemToObject(o, "time", time_or_null(u->time));
    return o;
}

/* The ids of the newest calls the step's query finds, at most n (caller frees each and the array;
 * records always have an id). */
static cdr_error newest_calls(const struct conform_client *c, size_t n, char ***ids, size_t *count,
                              struct cdr_error_info *err)
{
    struct cdr_page p;
    *ids = NULL;
    *count = 0;
    cdr_error rc = cdr_client_page(c->client, c->args, 1, (int64_t)n, &p, err);
    if (rc == CDR_OK && !p.record_count)
        rc = cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "no call in the range to ask about");
    else if (rc == CDR_OK && !(*ids = calloc(p.record_count, sizeof(**ids))))
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    for (size_t i = 0; rc == CDR_OK && i < p.record_count && i < n; i++)
        if (!((*ids)[(*count)++] = strdup(p.records[i].id)))
            rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    cdr_page_free(&p);
    return rc;
}

static void free_ids(char **ids, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(ids[i]);
    free(ids);
}

/* The step's record_id, or the newest call the query finds (*found then owns it). */
static cdr_error one_call(const struct conform_client *c, const struct conform_call *call,
                          const char **id, char **found, struct cdr_error_info *err)
{
    *found = NULL;
    if ((*id = conform_arg_str(call->args, "record_id")))
        return CDR_OK;
    char **ids;
    size_t count;
    cdr_error rc = newest_calls(c, 1, &ids, &count, err);
    if (rc == CDR_OK) {
        *found = ids[0];
        *id = *found;
        ids[0] = NULL;
    }
    free_ids(ids, count);
    return rc;
}

/* The id of the newest call the step's query finds that was answered (only those have a
 * recording), among its 20 newest. Caller frees. */
static cdr_error newest_answered(const struct conform_client *c, char **id,
                                 struct cdr_error_info *err)
{
    struct cdr_page p;
    *id = NULL;
    cdr_error rc = cdr_client_page(c->client, c->args, 1, 20, &p, err);
    for (size_t i = 0; rc == CDR_OK && i < p.record_count && !*id; i++)
        if (p.records[i].talk_seconds > 0 && !(*id = strdup(p.records[i].id)))
            rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    if (rc == CDR_OK && !*id)
        rc = cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                           "no answered call among the range's 20 newest to download");
    cdr_page_free(&p);
    return rc;
}

/* The account the step's calls go through: NULL on the retired path. */
static const char *account(const struct conform_client *c)
{
    return cdr_args_get(c->args, "legacy") ? NULL : cdr_args_get(c->args, "user_id");
}

/* A list of JSON texts as a view array; false when out of memory. */
static bool add_raw(cJSON *view, const char *raw)
{
    cJSON *item = raw ? cJSON_Parse(raw) : cJSON_CreateNull();
    return item && cJSON_AddItemToArray(view, item);
}

/* One call's detail: its rows as sent (and the record, when it came along), or with transcript
 * the rows' view. */
static cdr_error detail(const struct conform_client *c, const struct conform_call *call,
                        bool transcript, struct conform_result *out)
{
    const char *id;
    char *found;
    cdr_error rc = one_call(c, call, &id, &found, &out->info);
    struct cdr_yunfu_detail d;
    if (rc == CDR_OK)
        rc = cdr_yunfu_get_detail(cdr_yunfu_client_of(c->client), account(c),
                                  cdr_args_get(c->args, "task_id"), id,
                                  cdr_args_get(c->args, "sub_user_id"), &d, &out->info);
    free(found);
    if (rc != CDR_OK)
        return rc;
    bool ok = (out->view = cJSON_CreateArray()) != NULL;
    if (!transcript && d.has_record)
        ok = ok && conform_result_add(out, &d.record);
    for (size_t i = 0; ok && i < d.utterance_count; i++)
        ok = transcript ? cJSON_AddItemToArray(out->view, row_view(&d.utterances[i]))
                        : add_raw(out->view, d.utterances[i].raw_json);
    if (!ok)
        rc = cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
    cdr_yunfu_detail_free(&d);
    return rc;
}

/* ---- tasks ----------------------------------------------------------------------------------- */

static int keep_raw_task(void *user, const struct cdr_yunfu_task *t)
{
    return add_raw(user, t->raw_json) ? 0 : 1;
}

/* The step's task filter: "name", "status" (a number or a list of them), sub_user_id. */
static void task_filter(const struct conform_client *c, const struct conform_call *call,
                        struct cdr_yunfu_task_filter *f, int statuses[8])
{
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(call->args, "status"), *s;
    memset(f, 0, sizeof(*f));
    f->name = conform_arg_str(call->args, "name");
    f->sub_user_id = cdr_args_get(c->args, "sub_user_id");
    if (cJSON_IsNumber(status))
        statuses[f->status_count++] = status->valueint;
    cJSON_ArrayForEach(s, (cJSON_IsArray(status) ? status : NULL)) {
        if (f->status_count < 8 && cJSON_IsNumber(s))
            statuses[f->status_count++] = s->valueint;
    }
    f->statuses = f->status_count ? statuses : NULL;
}

static cdr_error tasks(const struct conform_client *c, const struct conform_call *call,
                       struct conform_result *out)
{
    struct cdr_yunfu_task_filter f;
    int statuses[8];
    task_filter(c, call, &f, statuses);
    bool all = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(call->args, "all"));
    struct cdr_yunfu_client *y = cdr_yunfu_client_of(c->client);
    int64_t page = conform_arg_int(call->args, "page", 0),
            size = conform_arg_int(call->args, "size", 0);
    if (!(out->view = cJSON_CreateArray()))
        return cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
    if (page <= 0)
        return cdr_yunfu_fetch_tasks(y, cdr_args_get(c->args, "user_id"), all, &f, size,
                                     keep_raw_task, out->view, &out->info);
    struct cdr_yunfu_task_page p;
    cdr_error rc = cdr_yunfu_get_task_page(y, cdr_args_get(c->args, "user_id"), all, &f, page, size,
                                           &p, &out->info);
    if (rc != CDR_OK)
        return rc;
    out->paged = true;
    out->total = p.total;
    out->pages = p.last_page;
    out->page = p.current_page;
    out->size = p.per_page;
    out->paging = p.paging_json ? cJSON_Parse(p.paging_json) : NULL;
    for (size_t i = 0; rc == CDR_OK && i < p.task_count; i++)
        if (keep_raw_task(out->view, &p.tasks[i]))
            rc = cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
    cdr_yunfu_task_page_free(&p);
    return rc;
}

/* ---- recordings ------------------------------------------------------------------------------ */

/* Counts the bytes and keeps the first few, to name the format. */
struct audio_sink {
    size_t bytes;
    unsigned char head[12];
};

static int sink_audio(void *user, const void *data, size_t len)
{
    struct audio_sink *s = user;
    for (size_t i = 0; i < len && s->bytes + i < sizeof(s->head); i++)
        s->head[s->bytes + i] = ((const unsigned char *)data)[i];
    s->bytes += len;
    return 0;
}

static const char *format_of(const struct audio_sink *s)
{
    if (s->bytes >= 12 && !memcmp(s->head, "RIFF", 4) && !memcmp(s->head + 8, "WAVE", 4))
        return "wav";
    if (s->bytes >= 3 && (!memcmp(s->head, "ID3", 3) || (s->head[0] == 0xFF && s->head[1] >= 0xE0)))
        return "mp3";
    return "other";
}

static cdr_error download(const struct conform_client *c, const struct conform_call *call,
                          struct conform_result *out)
{
    const struct yunfu_session *session = call->session;
    struct cdr_yunfu_client *y = cdr_yunfu_client_of(c->client);
    struct audio_sink sink = {0, {0}};
    struct cdr_yunfu_audio info;
    cdr_error rc;
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(call->args, "play_url"))) {
        rc =
            session && session->play_url
                ? cdr_yunfu_download_url(y, session->play_url, sink_audio, &sink, &info, &out->info)
                : cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT,
                                "no play URL: call voice_urls first in this scenario");
    } else {
        const char *id = conform_arg_str(call->args, "record_id");
        char *found = NULL;
        rc = id ? CDR_OK : newest_answered(c, &found, &out->info);
        id = id ? id : found;
        if (rc == CDR_OK)
            rc = cdr_yunfu_download_voice(y, account(c), cdr_args_get(c->args, "task_id"), id,
                                          cdr_args_get(c->args, "sub_user_id"), sink_audio, &sink,
                                          &info, &out->info);
        free(found);
    }
    if (rc != CDR_OK)
        return rc;
    out->view = cJSON_CreateObject();
    cJSON_AddStringToObject(out->view, "content_type", info.content_type);
    cJSON_AddNumberToObject(out->view, "bytes", (double)sink.bytes);
    cJSON_AddStringToObject(out->view, "format", format_of(&sink));
    return out->view ? CDR_OK : cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
}

static cdr_error voice_urls(const struct conform_client *c, const struct conform_call *call,
                            struct conform_result *out)
{
    struct yunfu_session *session = call->session;
    const cJSON *given = cJSON_GetObjectItemCaseSensitive(call->args, "record_ids"), *g;
    char **ids = NULL;
    size_t count = 0;
    cdr_error rc = CDR_OK;
    if (cJSON_IsArray(given)) {
        if (!(ids = calloc((size_t)cJSON_GetArraySize(given) + 1, sizeof(*ids))))
            rc = cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
        cJSON_ArrayForEach(g, (rc == CDR_OK ? given : NULL)) {
            if (cJSON_IsString(g) && !(ids[count++] = strdup(g->valuestring)))
                rc = cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
        }
    } else {
        rc = newest_calls(c, (size_t)conform_arg_int(call->args, "count", 2), &ids, &count,
                          &out->info);
    }
    struct cdr_yunfu_voice_urls urls = {0};
    if (rc == CDR_OK)
        rc = cdr_yunfu_get_voice_urls(
            cdr_yunfu_client_of(c->client), cdr_args_get(c->args, "user_id"),
            cdr_args_get(c->args, "task_id"), (const char *const *)ids, count,
            cdr_args_get(c->args, "sub_user_id"), &urls, &out->info);
    free_ids(ids, count);
    if (rc == CDR_OK && !(out->view = cJSON_CreateArray()))
        rc = cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
    for (size_t i = 0; rc == CDR_OK && i < urls.count; i++) {
        cJSON *entry = cJSON_CreateObject();
        cJSON_AddStringToObject(entry, "record_id", urls.items[i].record_id);
        cJSON_AddItemToObject(entry, "url", text_or_null(urls.items[i].url));
        cJSON_AddItemToArray(out->view, entry);
        if (session && urls.items[i].url && !session->play_url)
            session->play_url = strdup(urls.items[i].url);
    }
    cdr_yunfu_voice_urls_free(&urls);
    return rc;
}

static cdr_error token(const struct conform_client *c, struct conform_result *out)
{
    struct cdr_yunfu_token_info info;
    cdr_error rc = cdr_yunfu_get_token_info(cdr_yunfu_client_of(c->client), &info, &out->info);
    if (rc != CDR_OK)
        return rc;
    out->view = cJSON_CreateObject();
    cJSON_AddItemToObject(out->view, "expires_at", time_or_null(info.expires_at));
    cJSON_AddItemToObject(out->view, "expires_in",
                          info.expires_in < 0 ? cJSON_CreateNull()
                                              : cJSON_CreateNumber((double)info.expires_in));
    return out->view ? CDR_OK : cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
}

static const char *const calls[] = {"detail",     "transcript", "tasks", "download",
                                    "voice_urls", "token",      NULL};

static cdr_error yunfu_action(const struct conform_call *call, const char *name,
                              struct conform_result *out)
{
    size_t which = 0;
    while (calls[which] && strcmp(calls[which], name) != 0)
        which++;
    if (!calls[which])
        return cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT, "no call named %s for yunfu",
                             name);
    struct conform_client c;
    cdr_error rc = out->info.code;
    if (conform_client_open(&c, call, out)) {
        switch (which) {
        case 0:
        case 1:
            rc = detail(&c, call, which == 1, out);
            break;
        case 2:
            rc = tasks(&c, call, out);
            break;
        case 3:
            rc = download(&c, call, out);
            break;
        case 4:
            rc = voice_urls(&c, call, out);
            break;
        default:
            rc = token(&c, out);
            break;
        }
    }
    conform_client_close(&c);
    return rc;
}

const struct conform_driver conform_yunfu_driver = {
    .vendor = "yunfu",
    .begin = yunfu_begin,
    .end = yunfu_end,
    .prepare = yunfu_prepare,
    .page = conform_vendor_page,
    .all = conform_vendor_all,
    .action = yunfu_action,
    .calls = calls,
};
