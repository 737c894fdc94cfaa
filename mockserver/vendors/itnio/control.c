/* ITNIO's side of the control plane: call records added and removed at run time through the
 * admin API (/__cdrsim/itnio/records), rendered and indexed by dataset.c as loaded ones are, and
 * the request fields the journal must not show. */
#include <stdlib.h>

#include "../../batch.h"
#include "../../jsonval.h"
#include "internal.h"

static const char *const itnio_secret_names[] = {"Sign", NULL};

/* keyId is the vendor's database id: one record each. */
static bool key_taken(const struct itnio_state *st, int64_t key_id)
{
    for (size_t i = 0; i < st->records.count; i++)
        if (st->records.entries[i].order == (uint64_t)key_id)
            return true;
    return false;
}

/* What the store needs of a record beyond its schema; false with err naming the field. */
static bool fits(const void *state, const cJSON *r, size_t n, size_t first_new, char *err,
                 size_t err_len)
{
    (void)first_new; /* the batch's records are in the store already: key_taken sees them */
    const struct itnio_state *st = state;
    int64_t key_id, start;
    const char *when;
    if (mock_jv_int(r, "keyId", &key_id) != MOCK_JV_OK) {
        snprintf(err, err_len, "records[%zu].keyId: expected integer", n);
        return false;
    }
    if (key_taken(st, key_id)) {
        snprintf(err, err_len, "records[%zu].keyId: %lld is already in the store", n,
                 (long long)key_id);
        return false;
    }
    if (mock_jv_string(r, "callStartTime", &when) != MOCK_JV_OK ||
        !itnio_dataset_time(when, &start)) {
        snprintf(err, err_len,
                 "records[%zu].callStartTime: expected \"yyyy-MM-dd HH:mm:ss\" (UTC+8) or ISO 8601 "
                 "with an offset",
                 n);
        return false;
    }
    return true;
}

static bool ingest(void *state, const cJSON *record, char *err, size_t err_len)
{
    return itnio_dataset_ingest(state, record, err, err_len);
}

static bool itnio_records_add(void *state, const cJSON *records, char *err, size_t err_len)
{
    struct itnio_state *st = state;
    size_t from = st->records.count;
    if (!mock_batch_add(&st->records, st, records, fits, ingest, err, err_len))
        return false;
    mock_store_merge_tail(&st->records, from);
    itnio_filters_build(st); /* positions moved: every index again */
    return true;
}

static void itnio_records_clear(void *state)
{
    itnio_dataset_clear_records(state);
}

static size_t itnio_records_count(void *state)
{
    return ((const struct itnio_state *)state)->records.count;
}

/* The status codes of the status tables (docs/vendors/itnio.md, section 1); -18 "Port program
 * unusual" is the server's own failure. Every outcome is HTTP 200 with the status in the body. */
static bool itnio_server_error(void *state, const struct mock_env *env,
                               const struct mock_request *req, const char *code,
                               struct mock_response *resp)
{
    (void)env;
    (void)req;
    static const int documented[] = {ITNIO_AUTH,         ITNIO_IP_RESTRICTED, ITNIO_TIMESTAMP,
                                     ITNIO_SYSTEM,       ITNIO_PARAMETER,     ITNIO_DATA_CAPS,
                                     ITNIO_NOT_EXISTING, ITNIO_RANGE};
    int status = ITNIO_SYSTEM;
    if (code) {
        char *end;
        long n = strtol(code, &end, 10);
        status = 0;
        for (size_t i = 0; *code && !*end && i < sizeof(documented) / sizeof(*documented); i++)
            if (documented[i] == n)
                status = documented[i];
        if (!status)
            return false;
    }
    /* The route's own typing of "status" is not known here: the typing the vendor's
     * status_mode gives all endpoints (numeric unless it is "string"). */
    const struct itnio_state *st = state;
    itnio_reply_status(resp, st->v.status_mode == ITNIO_STATUS_STRING, status, NULL);
    return true;
}

const struct mock_vendor_control itnio_control = {
    .record_schema = "record",
    .secret_names = itnio_secret_names,
    .records_add = itnio_records_add,
    .records_clear = itnio_records_clear,
    .records_count = itnio_records_count,
    .server_error = itnio_server_error,
};
