#include "batch.h"

#include <stdio.h>

bool mock_batch_add(struct mock_store *store, void *state, const cJSON *records,
                    mock_batch_fits *fits, mock_batch_ingest *ingest, char *err, size_t err_len)
{
    size_t first_new = store->count, n = 0;
    for (const cJSON *r = records->child; r; r = r->next, n++) {
        char why[256];
        bool ok = !fits || fits(state, r, n, first_new, err, err_len);
        if (ok && !(ok = ingest(state, r, why, sizeof(why))))
            snprintf(err, err_len, "records[%zu]: %s", n, why);
        if (!ok) {
            mock_store_truncate(store, first_new);
            return false;
        }
    }
    return true;
}
