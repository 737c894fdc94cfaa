/* Yunfu's side of the control plane: calls added and removed at run time through the admin API
 * (/__cdrsim/yunfu/records), rendered by dataset.c as loaded ones are and indexed again by task
 * and id, so the next list or detail sees them. The Bearer token travels in Authorization, which
 * the journal redacts whatever the vendor. */
#include <stdlib.h>
#include <string.h>

#include "../../batch.h"
#include "../../jsonval.h"
#include "cdrsim/timefmt.h"
#include "internal.h"

static const char *const yunfu_secret_names[] = {NULL};

static int by_id(const void *key, const void *item)
{
    return strcmp(key, ((const struct yunfu_id_ref *)item)->id);
}

/* Whether the id is a record's already: in the index (records before this call) or among the
 * ones this call added so far (store entries from `from` on). */
static bool id_taken(const struct yunfu_state *st, size_t from, const char *id)
{
    if (from && bsearch(id, st->by_id, from, sizeof(*st->by_id), by_id))
        return true;
    for (size_t i = from; i < st->records.count; i++)
        if (strcmp(((const struct yunfu_attrs *)st->records.entries[i].attrs)->id, id) == 0)
            return true;
    return false;
}

/* What the store needs of a call beyond its schema; false with err naming the field. */
static bool fits(const void *state, const cJSON *r, size_t n, size_t from, char *err,
                 size_t err_len)
{
    const struct yunfu_state *st = state;
    const char *id, *task_id, *user_id, *calldate;
    int64_t start;
    if (mock_jv_string(r, "id", &id) != MOCK_JV_OK ||
        mock_jv_string(r, "task_id", &task_id) != MOCK_JV_OK ||
        mock_jv_string(r, "user_id", &user_id) != MOCK_JV_OK) {
        snprintf(err, err_len, "records[%zu]: id, task_id and user_id must be strings", n);
        return false;
    }
    if (id_taken(st, from, id)) {
        snprintf(err, err_len, "records[%zu].id: %.64s is already in the store", n, id);
        return false;
    }
    const struct yunfu_task *task = yunfu_find_task(st, task_id);
    if (!task || strcmp(st->accounts[task->account].id, user_id) != 0) {
        snprintf(err, err_len,
                 "records[%zu].task_id: %.64s is not a task of account %.64s (tasks.json)", n,
                 task_id, user_id);
        return false;
    }
    if (mock_jv_string(r, "calldate", &calldate) != MOCK_JV_OK ||
        !cdr_time_parse_local(calldate, CDR_CHINA_OFFSET_SECONDS, &start)) {
        snprintf(err, err_len, "records[%zu].calldate: expected \"Y-m-d H:i:s\" (UTC+8)", n);
        return false;
    }
    return true;
}

static bool ingest(void *state, const cJSON *record, char *err, size_t err_len)
{
    return yunfu_dataset_ingest(state, record, err, err_len);
}

static bool yunfu_records_add(void *state, const cJSON *records, char *err, size_t err_len)
{
    struct yunfu_state *st = state;
    return mock_batch_add(&st->records, st, records, fits, ingest, err, err_len) &&
           yunfu_dataset_index(st, err, err_len);
}

static void yunfu_records_clear(void *state)
{
    struct yunfu_state *st = state;
    char err[64];
    mock_store_free(&st->records);
    yunfu_dataset_index(st, err, sizeof(err)); /* empty indexes: nothing can fail but memory */
}

static size_t yunfu_records_count(void *state)
{
    return ((const struct yunfu_state *)state)->records.count;
}

/* Laravel outside debug mode: an exception is HTTP 500 {"message":"Server Error"}
 * (docs/vendors/yunfu.md, section 1), the one server error the vendor has; its code is "500". */
static bool yunfu_server_error(void *state, const struct mock_env *env,
                               const struct mock_request *req, const char *code,
                               struct mock_response *resp)
{
    (void)state;
    (void)env;
    (void)req;
    if (code && strcmp(code, "500") != 0)
        return false;
    yunfu_reply_server_error(resp);
    return true;
}

const struct mock_vendor_control yunfu_control = {
    .record_schema = "record",
    .secret_names = yunfu_secret_names,
    .records_add = yunfu_records_add,
    .records_clear = yunfu_records_clear,
    .records_count = yunfu_records_count,
    .server_error = yunfu_server_error,
};
