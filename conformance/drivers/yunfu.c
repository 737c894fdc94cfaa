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
 * Named calls: "detail" (one call as a record: the step's record_id, or the newest call the query
 * finds), "transcript" (that call's dialogue as a view of rows: id, sequence, notify, question,
 * answer_text, answer_content, time) and "token" (the token's validity as a view: expires_at,
 * expires_in). */
#include <stdlib.h>
#include <string.h>

#include "cdrsim/timefmt.h"
#include "cdrsim/yunfu.h"
#include "args.h"

static cdr_error yunfu_prepare(const struct conform_call *call, struct cdr_args *args,
                               struct cdr_client_options *opts, struct cdr_error_info *err)
{
    (void)opts;
    (void)err;
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(call->args, "whole_task"))) {
        cdr_args_set(args, "from", NULL);
        cdr_args_set(args, "to", NULL);
    }
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

/* The id of the newest call the step's query finds (caller frees; records always have an id). */
static cdr_error newest_call(const struct conform_client *c, char **id, struct cdr_error_info *err)
{
    struct cdr_page p;
    cdr_error rc = cdr_client_page(c->client, c->args, 1, 1, &p, err);
    if (rc == CDR_OK && !p.record_count)
        rc = cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "no call in the range to ask about");
    else if (rc == CDR_OK && !(*id = strdup(p.records[0].id)))
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    cdr_page_free(&p);
    return rc;
}

/* One call's detail: its record, or with transcript its dialogue rows. */
static cdr_error detail(const struct conform_client *c, const struct conform_call *call,
                        bool transcript, struct conform_result *out)
{
    const char *id = conform_arg_str(call->args, "record_id");
    char *found = NULL;
    cdr_error rc = id ? CDR_OK : newest_call(c, &found, &out->info);
    struct cdr_yunfu_detail d;
    if (rc == CDR_OK)
        rc = cdr_yunfu_get_detail(
            cdr_yunfu_client_of(c->client),
            cdr_args_get(c->args, "legacy") ? NULL : cdr_args_get(c->args, "user_id"),
            cdr_args_get(c->args, "task_id"), id ? id : found, cdr_args_get(c->args, "sub_user_id"),
            &d, &out->info);
    free(found);
    if (rc != CDR_OK)
        return rc;
    if (!transcript && d.has_record && !conform_result_add(out, &d.record))
        rc = cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
    if (transcript && (out->view = cJSON_CreateArray()))
        for (size_t i = 0; i < d.utterance_count; i++)
            cJSON_AddItemToArray(out->view, row_view(&d.utterances[i]));
    if (transcript && !out->view)
        rc = cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
    cdr_yunfu_detail_free(&d);
    return rc;
}

static cdr_error token(const struct conform_client *c, struct conform_result *out)
{
    struct cdr_yunfu_token_info info;
    cdr_error rc = cdr_yunfu_token_info(cdr_yunfu_client_of(c->client), &info, &out->info);
    if (rc != CDR_OK)
        return rc;
    out->view = cJSON_CreateObject();
    cJSON_AddItemToObject(out->view, "expires_at", time_or_null(info.expires_at));
    cJSON_AddItemToObject(out->view, "expires_in",
                          info.expires_in < 0 ? cJSON_CreateNull()
                                              : cJSON_CreateNumber((double)info.expires_in));
    return out->view ? CDR_OK : cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
}

static cdr_error yunfu_action(const struct conform_call *call, const char *name,
                              struct conform_result *out)
{
    bool is_token = strcmp(name, "token") == 0, transcript = strcmp(name, "transcript") == 0;
    if (!is_token && !transcript && strcmp(name, "detail") != 0)
        return cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT, "no call named %s for yunfu",
                             name);
    struct conform_client c;
    cdr_error rc = conform_client_open(&c, call, out)
                       ? (is_token ? token(&c, out) : detail(&c, call, transcript, out))
                       : out->info.code;
    conform_client_close(&c);
    return rc;
}

static const char *const calls[] = {"detail", "transcript", "token", NULL};

const struct conform_driver conform_yunfu_driver = {
    .vendor = "yunfu",
    .prepare = yunfu_prepare,
    .page = conform_vendor_page,
    .all = conform_vendor_all,
    .action = yunfu_action,
    .calls = calls,
};
