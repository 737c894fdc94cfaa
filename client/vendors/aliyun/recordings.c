/* The recording and transcript calls of AICCS 2019-10-15, signed and retried like
 * HotlineSessionQuery: each builds its parameters, and answers.c reads its answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static bool given(const char *s)
{
    return s && *s;
}

/* ---- the three kinds of answer, for cdr__aliyun_call ------------------------------------------
 */

enum kind { RECORDINGS, LINK, MESSAGES };

/* What a call reads its answer into. */
struct answer {
    enum kind kind;
    void *out;
};

static cdr_error parse_answer(const char *body, size_t len, long status, void *answer,
                              struct cdr_error_info *err)
{
    struct answer *a = answer;
    if (a->kind == RECORDINGS)
        return cdr_aliyun_parse_recordings(body, len, status, a->out, err);
    if (a->kind == LINK)
        return cdr_aliyun_parse_record_link(body, len, status, a->out, err);
    return cdr_aliyun_parse_messages(body, len, status, a->out, err);
}

static void reset_answer(void *answer)
{
    struct answer *a = answer;
    if (a->kind == RECORDINGS)
        cdr_aliyun_recordings_free(a->out);
    else if (a->kind == LINK)
        cdr_aliyun_record_link_free(a->out);
    else
        cdr_aliyun_messages_free(a->out);
}

/* ---- the calls ------------------------------------------------------------------------------- */

/* An action whose parameters are name/value pairs, NULL values left out. */
static cdr_error call_with(struct cdr_aliyun_client *c, const char *action,
                           const char *const (*pairs)[2], size_t n, enum kind kind, void *out,
                           struct cdr_error_info *err)
{
    struct cdr__aliyun_params params = {0};
    for (size_t i = 0; i < n; i++)
        if (pairs[i][1])
            cdr__aliyun_params_add(&params, pairs[i][0], pairs[i][1]);
    struct answer a = {kind, out};
    cdr_error rc = cdr__aliyun_call(c, action, &params, parse_answer, reset_answer, &a, err);
    cdr__aliyun_params_free(&params);
    return rc;
}

cdr_error cdr_aliyun_list_hotline_record(struct cdr_aliyun_client *c, const char *instance_id,
                                         const char *call_id, struct cdr_aliyun_recordings *out,
                                         struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (!c || !given(instance_id) || !given(call_id))
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                             "ListHotlineRecord needs a client, an InstanceId and a CallId");
    const char *const pairs[][2] = {{"InstanceId", instance_id}, {"CallId", call_id}};
    return call_with(c, "ListHotlineRecord", pairs, 2, RECORDINGS, out, err);
}

cdr_error cdr_aliyun_get_record_url(struct cdr_aliyun_client *c, const char *instance_id,
                                    const char *acid, const char *record_type,
                                    struct cdr_aliyun_record_link *out, struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (!c || !given(instance_id) || !given(acid) || !given(record_type))
        return cdr_error_set(
            err, CDR_ERR_INVALID_ARGUMENT,
            "GetRecordUrl needs a client, an InstanceId, an Acid and a RecordType");
    const char *const pairs[][2] = {
        {"InstanceId", instance_id}, {"Acid", acid}, {"RecordType", record_type}};
    return call_with(c, "GetRecordUrl", pairs, 3, LINK, out, err);
}

cdr_error cdr_aliyun_get_record_data(struct cdr_aliyun_client *c, const char *instance_id,
                                     const char *acid, struct cdr_aliyun_record_link *out,
                                     struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (!c || !given(instance_id) || !given(acid))
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                             "GetRecordData needs a client, an InstanceId and an Acid");
    const char *const pairs[][2] = {{"InstanceId", instance_id}, {"Acid", acid}};
    return call_with(c, "GetRecordData", pairs, 2, LINK, out, err);
}

cdr_error cdr_aliyun_describe_record_data(struct cdr_aliyun_client *c,
                                          const struct cdr_aliyun_account *account,
                                          const char *acid, struct cdr_aliyun_record_link *out,
                                          struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (!c || !account || !given(account->account_type) || !given(account->account_id) ||
        !given(acid) || account->sec_level < 0 || account->sec_level > 4)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                             "DescribeRecordData needs an AccountType, an AccountId and an Acid "
                             "(SecLevel 1..4 when given)");
    char level[4];
    snprintf(level, sizeof(level), "%d", account->sec_level);
    const char *const pairs[][2] = {{"ProdCode", account->prod_code},
                                    {"AccountType", account->account_type},
                                    {"AccountId", account->account_id},
                                    {"Acid", acid},
                                    {"SecLevel", account->sec_level ? level : NULL}};
    return call_with(c, "DescribeRecordData", pairs, 5, LINK, out, err);
}

cdr_error cdr_aliyun_get_hotline_message_log(struct cdr_aliyun_client *c, const char *instance_id,
                                             const char *acid, struct cdr_aliyun_messages *out,
                                             struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (!c || !given(instance_id) || !given(acid))
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                             "GetHotlineMessageLog needs a client, an InstanceId and an Acid");
    const char *const pairs[][2] = {{"InstanceId", instance_id}, {"Acid", acid}};
    return call_with(c, "GetHotlineMessageLog", pairs, 2, MESSAGES, out, err);
}

/* The record's own links as recordings without ids or times. */
static cdr_error from_record_urls(const struct cdr_record *rec, struct cdr_aliyun_recordings *out,
                                  struct cdr_error_info *err)
{
    out->items = calloc(rec->recording_url_count, sizeof(*out->items));
    if (!out->items)
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    for (size_t i = 0; i < rec->recording_url_count; i++) {
        struct cdr_aliyun_recording *r = &out->items[out->count++];
        r->start_ms = r->end_ms = CDR_TIME_NONE;
        r->call_id = rec->call_id ? strdup(rec->call_id) : NULL;
        r->url = strdup(rec->recording_urls[i]);
        if (!r->url || (rec->call_id && !r->call_id)) {
            cdr_aliyun_recordings_free(out);
            return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        }
    }
    return CDR_OK;
}

cdr_error cdr_aliyun_record_recordings(struct cdr_aliyun_client *c, const struct cdr_record *rec,
                                       struct cdr_aliyun_recordings *out,
                                       struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (!c || !rec)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client or record");
    if (rec->recording_url_count)
        return from_record_urls(rec, out, err);
    if (!given(rec->call_id))
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "record %s has no Acid",
                             rec->id ? rec->id : "?");
    if (!given(cdr__aliyun_instance(c)))
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                             "the client has no InstanceId to list recordings in");
    return cdr_aliyun_list_hotline_record(c, cdr__aliyun_instance(c), rec->call_id, out, err);
}
