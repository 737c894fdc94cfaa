/* Alibaba Cloud AICCS's side of the control plane: CallDetailRecords added and removed at run time
 * through the admin API (/__cdrsim/aliyun/records), kept by dataset.c as loaded ones are, and the
 * request fields of its signatures the journal must not show. */
#include <string.h>

#include "../../batch.h"
#include "../../jsonval.h"
#include "cdrsim/timefmt.h"
#include "internal.h"

/* Signature (V2, query or form), the STS token (V2 parameter, V3 header) and a secret someone
 * might send by mistake; V3's Authorization is in the core's list. */
static const char *const aliyun_secret_names[] = {"Signature", "SecurityToken",
                                                  "x-acs-security-token", "AccessKeySecret", NULL};

static bool found(void *ctx, size_t position)
{
    (void)position;
    *(bool *)ctx = true;
    return false;
}

/* Whether a record of the store has this Id: the records before the batch from the Id table (built
 * when the last batch went in), the batch's own, from first_new on, one by one. A store whose
 * table could not be built (out of memory) is scanned. */
static bool id_taken(const struct aliyun_state *st, const char *id, size_t first_new)
{
    bool taken = false;
    size_t from = first_new;
    if (st->keys[ALIYUN_KEY_ID].slots)
        aliyun_keys_each(st, ALIYUN_KEY_ID, id, found, &taken);
    else
        from = 0;
    for (size_t i = from; !taken && i < st->records.count; i++)
        taken = strcmp(((const struct aliyun_attrs *)st->records.entries[i].attrs)->id, id) == 0;
    return taken;
}

/* What the store needs of a record beyond its schema; false with err naming the field. */
static bool fits(const void *state, const cJSON *r, size_t n, size_t first_new, char *err,
                 size_t err_len)
{
    const struct aliyun_state *st = state;
    const char *id, *created;
    int64_t start;
    if (mock_jv_string(r, "Id", &id) != MOCK_JV_OK || !*id) {
        snprintf(err, err_len, "records[%zu].Id: expected a non-empty string", n);
        return false;
    }
    if (id_taken(st, id, first_new)) {
        snprintf(err, err_len, "records[%zu].Id: %.64s is already in the store", n, id);
        return false;
    }
    if (mock_jv_string(r, "CreateTime", &created) != MOCK_JV_OK ||
        !cdr_time_parse_local(created, CDR_CHINA_OFFSET_SECONDS, &start)) {
        snprintf(err, err_len, "records[%zu].CreateTime: expected \"YYYY-MM-DD HH:MM:SS\" (UTC+8)",
                 n);
        return false;
    }
    return true;
}

static bool ingest(void *state, const cJSON *record, char *err, size_t err_len)
{
    return aliyun_dataset_ingest(state, record, err, err_len);
}

static bool aliyun_records_add(void *state, const cJSON *records, char *err, size_t err_len)
{
    struct aliyun_state *st = state;
    size_t from = st->records.count;
    if (!mock_batch_add(&st->records, st, records, fits, ingest, err, err_len))
        return false;
    mock_store_merge_tail(&st->records, from);
    if (!aliyun_dataset_reindex(st)) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    return true;
}

static void aliyun_records_clear(void *state)
{
    struct aliyun_state *st = state;
    aliyun_dataset_clear_records(st);
    aliyun_dataset_reindex(st); /* empty: nothing can fail but memory */
}

static size_t aliyun_records_count(void *state)
{
    return ((const struct aliyun_state *)state)->records.count;
}

/* The vendor's server errors: SystemError (HTTP 500, documented for the sibling actions,
 * docs/vendors/aliyun.md) by default, and by code ServiceUnavailable (HTTP 503, Alibaba Cloud's
 * common transient failure; inferred, the AICCS pages do not list it). In the request's format,
 * with a fresh RequestId. */
static bool aliyun_server_error(void *state, const struct mock_env *env,
                                const struct mock_request *req, const char *code,
                                struct mock_response *resp)
{
    bool unavailable = code && strcmp(code, "ServiceUnavailable") == 0;
    if (code && !unavailable && strcmp(code, "SystemError") != 0)
        return false;
    enum aliyun_format format = ALIYUN_XML;
    struct aliyun_params params;
    if (req && aliyun_params_parse(req, &params)) {
        aliyun_routes_format(state, req, &params, &format);
        aliyun_params_free(&params);
    }
    struct aliyun_reply reply;
    aliyun_reply_init(&reply, env, format);
    if (unavailable)
        aliyun_error(&reply, resp, 503, "ServiceUnavailable",
                     "The request has failed due to a temporary failure of the server.");
    else
        aliyun_error_system(&reply, resp);
    return true;
}

const struct mock_vendor_control aliyun_control = {
    .record_schema = "record",
    .secret_names = aliyun_secret_names,
    .records_add = aliyun_records_add,
    .records_clear = aliyun_records_clear,
    .records_count = aliyun_records_count,
    .server_error = aliyun_server_error,
};
