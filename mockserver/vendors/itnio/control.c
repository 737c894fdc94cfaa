/* ITNIO's side of the control plane: call records added and removed at run time through the
 * admin API (/__cdrsim/itnio/records), rendered and indexed by dataset.c as loaded ones are, and
 * the request fields the journal must not show. */
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
    return true;
}

static void itnio_records_clear(void *state)
{
    mock_store_free(&((struct itnio_state *)state)->records);
}

static size_t itnio_records_count(void *state)
{
    return ((const struct itnio_state *)state)->records.count;
}

const struct mock_vendor_control itnio_control = {
    .record_schema = "record",
    .secret_names = itnio_secret_names,
    .records_add = itnio_records_add,
    .records_clear = itnio_records_clear,
    .records_count = itnio_records_count,
};
