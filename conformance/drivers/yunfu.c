/* Conformance driver for Yunfu (agent-api): suite arguments to cdr_yunfu_* calls. Arguments use
 * the CLI's names in snake case: keyword, level ("MIN:MAX", one or a list), intention_tag (1..5
 * or A..E, one or a list), hangup_from and hangup_to (times), sub_user_id, page_size (for "all"),
 * record_id (for "detail" and "transcript"). To provoke the documented errors a step may also
 * name another user_id, task_id or token than the credentials', ask for the retired path without
 * the account id (legacy: true), or leave out start_at/end_at (whole_task: true) as the vendor's
 * own example request does. A page "size" of 0 sends no per_page, so the server's default
 * applies. The vendor has no clock, nonce or signature in its requests: of the faults only
 * wrong_secret (a wrong token) applies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/timefmt.h"
#include "cdrsim/yunfu.h"
#include "../conform.h"
#include "args.h"

#define MAX_LIST 16 /* levels or intention tags one step may send */

static const char *const yunfu_fields[] = {"token", "user_id", "task_id", NULL};

/* Sees each response before the runner's observer does, and keeps the list's "meta" object as it
 * came: the client reads per_page as a string or a number alike, a suite may want to know which. */
struct wire {
    const struct conform_env *env;
    cJSON *meta; /* owned; the latest response's, or NULL */
};

static void watch(void *user, const struct cdr_http_exchange *x)
{
    struct wire *w = user;
    if (w->env->observer)
        w->env->observer(w->env->observer_user, x);
    cJSON *body = cJSON_ParseWithLength(x->body, x->body_len);
    cJSON *meta = cJSON_DetachItemFromObjectCaseSensitive(body, "meta");
    cJSON_Delete(body);
    cJSON_Delete(w->meta);
    w->meta = meta;
    if (!cJSON_IsObject(meta)) {
        cJSON_Delete(meta);
        w->meta = NULL;
    }
}

/* Everything a list request needs besides the page. */
struct query {
    const char *user_id; /* NULL: the legacy path */
    const char *task_id;
    struct cdr_yunfu_filter filter;
    struct cdr_yunfu_range levels[MAX_LIST];
    int tags[MAX_LIST];
};

/* A time argument: a number of Unix seconds or a time in any form the runner reads. */
static bool time_arg(const cJSON *args, const char *key, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(args, key);
    if (!v)
        return true;
    if (cJSON_IsNumber(v)) {
        *out = (int64_t)v->valuedouble;
        return true;
    }
    return cJSON_IsString(v) && cdr_time_parse_any(v->valuestring, CDR_CHINA_OFFSET_SECONDS, out);
}

/* The items of a list argument (a scalar is a list of one); false when there are more than
 * MAX_LIST. */
static bool list_arg(const cJSON *args, const char *key, const cJSON *items[MAX_LIST], size_t *n,
                     struct cdr_error_info *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(args, key);
    *n = 0;
    if (v && !cJSON_IsArray(v))
        items[(*n)++] = v;
    const cJSON *e;
    cJSON_ArrayForEach(e, (cJSON_IsArray(v) ? v : NULL)) {
        if (*n == MAX_LIST) {
            cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "%s: at most %d values", key, MAX_LIST);
            return false;
        }
        items[(*n)++] = e;
    }
    return true;
}

/* Levels and tags are sent as written, even out of range: what the server makes of a reversed
 * range or an unknown tag is what the error scenarios ask. */
static bool read_lists(const cJSON *args, struct query *q, struct cdr_error_info *err)
{
    const cJSON *items[MAX_LIST];
    size_t n;
    if (!list_arg(args, "level", items, &n, err))
        return false;
    for (size_t i = 0; i < n; i++) {
        long long min, max;
        int used = -1;
        if (!cJSON_IsString(items[i]) ||
            sscanf(items[i]->valuestring, "%lld:%lld%n", &min, &max, &used) != 2 ||
            items[i]->valuestring[used]) {
            cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "level must be \"MIN:MAX\"");
            return false;
        }
        q->levels[i] = (struct cdr_yunfu_range){min, max};
    }
    q->filter.levels = q->levels;
    q->filter.level_count = n;
    if (!list_arg(args, "intention_tag", items, &n, err))
        return false;
    for (size_t i = 0; i < n; i++) {
        const char *s = cJSON_IsString(items[i]) ? items[i]->valuestring : "";
        if (cJSON_IsNumber(items[i]))
            q->tags[i] = (int)items[i]->valuedouble;
        else if (s[0] >= 'A' && s[0] <= 'E' && !s[1]) /* the letters the vendor's console shows */
            q->tags[i] = s[0] - 'A' + 1;
        else {
            cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "intention_tag must be 1..5 or A..E");
            return false;
        }
    }
    q->filter.intention_tags = q->tags;
    q->filter.intention_tag_count = n;
    return true;
}

static bool read_query(const struct conform_env *env, const cJSON *args, struct query *q,
                       struct cdr_error_info *err)
{
    memset(q, 0, sizeof(*q));
    q->user_id = conform_arg_str(args, "user_id");
    if (!q->user_id)
        q->user_id = conform_credential(env, "user_id");
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(args, "legacy")))
        q->user_id = NULL;
    q->task_id = conform_arg_str(args, "task_id");
    if (!q->task_id)
        q->task_id = conform_credential(env, "task_id");
    cdr_yunfu_filter_init(&q->filter);
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(args, "whole_task"))) {
        q->filter.start_time = conform_arg_int(args, "from", CDR_TIME_NONE);
        q->filter.end_time = conform_arg_int(args, "to", CDR_TIME_NONE);
    }
    q->filter.keyword = conform_arg_str(args, "keyword");
    q->filter.sub_user_id = conform_arg_str(args, "sub_user_id");
    if (!time_arg(args, "hangup_from", &q->filter.hangup_from) ||
        !time_arg(args, "hangup_to", &q->filter.hangup_to)) {
        cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "hangup_from/hangup_to must be times");
        return false;
    }
    return read_lists(args, q, err);
}

/* The step's query and a client for it; NULL with out->info filled when either fails. The caller
 * ends with close_client. */
static struct cdr_yunfu_client *open_client(const struct conform_env *env,
                                            const struct conform_faults *faults, const cJSON *args,
                                            struct query *q, struct wire *wire,
                                            struct conform_result *out)
{
    wire->env = env;
    wire->meta = NULL;
    if (!read_query(env, args, q, &out->info))
        return NULL;
    const char *real = conform_arg_str(args, "token");
    if (!real)
        real = conform_credential(env, "token");
    /* A token of the right shape that is not the right one. */
    char token[512];
    snprintf(token, sizeof(token), "%s%s", real ? real : "", faults->wrong_secret ? "-wrong" : "");
    struct cdr_yunfu_options o;
    cdr_yunfu_options_default(&o);
    o.base_url = env->base_url;
    o.token = token;
    o.http.insecure = env->insecure;
    o.http.observer = watch;
    o.http.observer_user = wire;
    o.http.max_retries = 1;
    return cdr_yunfu_client_new(&o, &out->info);
}

static void close_client(struct cdr_yunfu_client *c, struct wire *wire)
{
    cJSON_Delete(wire->meta);
    wire->meta = NULL;
    cdr_yunfu_client_free(c);
}

static cdr_error yunfu_page(void *session, const struct conform_env *env,
                            const struct conform_faults *faults, const cJSON *args, int64_t page,
                            int64_t size, struct conform_result *out)
{
    (void)session;
    struct query q;
    struct wire wire;
    struct cdr_yunfu_client *c = open_client(env, faults, args, &q, &wire, out);
    if (!c)
        return out->info.code;
    struct cdr_yunfu_page p;
    cdr_error rc =
        cdr_yunfu_list_page(c, q.user_id, q.task_id, &q.filter, page, size, &p, &out->info);
    if (rc == CDR_OK) {
        out->paged = true;
        out->total = p.total;
        /* Laravel's last_page is never below 1: an empty result is one empty page there and no
         * page at all to the runner's arithmetic. */
        out->pages = p.total == 0 && p.last_page == 1 ? 0 : p.last_page;
        out->page = p.current_page;
        out->size = p.per_page;
        for (size_t i = 0; i < p.record_count; i++)
            conform_result_add(out, &p.records[i]);
        out->paging = wire.meta;
        wire.meta = NULL;
        cdr_yunfu_page_free(&p);
    }
    close_client(c, &wire);
    return rc;
}

static int collect(void *user, const struct cdr_record *rec)
{
    return conform_result_add(user, rec) ? 0 : 1;
}

static cdr_error yunfu_all(void *session, const struct conform_env *env,
                           const struct conform_faults *faults, const cJSON *args,
                           struct conform_result *out)
{
    (void)session;
    struct query q;
    struct wire wire;
    struct cdr_yunfu_client *c = open_client(env, faults, args, &q, &wire, out);
    if (!c)
        return out->info.code;
    cdr_error rc = cdr_yunfu_fetch_all(c, q.user_id, q.task_id, &q.filter,
                                       conform_arg_int(args, "page_size", 100), collect, NULL, out,
                                       &out->info);
    close_client(c, &wire);
    return rc;
}

/* A dialogue row as a minimal record, so counts, order and "record" expectations apply: id and
 * start time are the row's, raw holds the row's fields the client reads. */
static void add_utterance(struct conform_result *out, const struct cdr_yunfu_utterance *u)
{
    cJSON *raw = cJSON_CreateObject();
    cJSON_AddNumberToObject(raw, "sequence", (double)u->sequence);
    const struct {
        const char *name, *value;
    } texts[] = {{"notify", u->notify},
                 {"question", u->question},
                 {"answer_text", u->answer_text},
                 {"answer_content", u->answer_content}};
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        cJSON_AddItemToObject(raw, texts[i].name,
                              texts[i].value ? cJSON_CreateString(texts[i].value)
                                             : cJSON_CreateNull());
    struct cdr_record rec;
    cdr_record_init(&rec);
    rec.vendor = "yunfu";
    rec.id = u->id;
    rec.start_time = u->time;
    rec.raw_json = cJSON_PrintUnformatted(raw);
    conform_result_add(out, &rec);
    free(rec.raw_json);
    cJSON_Delete(raw);
}

/* The id of the newest call the step's query finds (caller frees; the client refuses records
 * without an id). */
static cdr_error newest_call(struct cdr_yunfu_client *c, const struct query *q, char **id,
                             struct cdr_error_info *err)
{
    struct cdr_yunfu_page p;
    cdr_error rc = cdr_yunfu_list_page(c, q->user_id, q->task_id, &q->filter, 1, 1, &p, err);
    if (rc != CDR_OK)
        return rc;
    if (!p.record_count)
        rc = cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "no call in the range to ask about");
    else if (!(*id = strdup(p.records[0].id)))
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    cdr_yunfu_page_free(&p);
    return rc;
}

/* "detail": one call, as a record when the server sends it with its dialogue; "transcript": the
 * same request's dialogue rows; "token": the token's validity. */
static cdr_error yunfu_action(void *session, const struct conform_env *env,
                              const struct conform_faults *faults, const char *name,
                              const cJSON *args, struct conform_result *out)
{
    (void)session;
    bool token = strcmp(name, "token") == 0, transcript = strcmp(name, "transcript") == 0;
    if (!token && !transcript && strcmp(name, "detail") != 0)
        return cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT, "no call named %s for yunfu",
                             name);
    struct query q;
    struct wire wire;
    struct cdr_yunfu_client *c = open_client(env, faults, args, &q, &wire, out);
    if (!c)
        return out->info.code;
    cdr_error rc;
    if (token) {
        struct cdr_yunfu_token_info info;
        rc = cdr_yunfu_token_info(c, &info, &out->info);
    } else {
        /* The step's record, or the newest call in its range. */
        const char *id = conform_arg_str(args, "record_id");
        char *found = NULL;
        struct cdr_yunfu_detail d;
        rc = id ? CDR_OK : newest_call(c, &q, &found, &out->info);
        id = id ? id : found;
        if (rc == CDR_OK)
            rc = cdr_yunfu_get_detail(c, q.user_id, q.task_id, id, q.filter.sub_user_id, &d,
                                      &out->info);
        if (rc == CDR_OK) {
            if (!transcript && d.has_record)
                conform_result_add(out, &d.record);
            for (size_t i = 0; transcript && i < d.utterance_count; i++)
                add_utterance(out, &d.utterances[i]);
            cdr_yunfu_detail_free(&d);
        }
        free(found);
    }
    close_client(c, &wire);
    return rc;
}

const struct conform_driver conform_yunfu_driver = {
    .vendor = "yunfu",
    .credential_fields = yunfu_fields,
    .page = yunfu_page,
    .all = yunfu_all,
    .action = yunfu_action,
    .max_range = 0, /* the vendor documents no limit on start_at..end_at */
};
