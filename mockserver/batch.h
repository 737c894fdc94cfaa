/* A batch of records added to a vendor's store at run time, all or nothing. Each record is
 * checked by the vendor (fits: what its store needs beyond the schema) and then parsed, rendered
 * and appended by the vendor's dataset code (ingest); the first failure takes every record of the
 * batch back out, with err naming the record. The new entries are left at the store's tail,
 * unsorted: the vendor sorts them in (mock_store_merge_tail) or re-indexes, once. */
#ifndef MOCK_BATCH_H
#define MOCK_BATCH_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "store.h"

/* Whether records[index] may join the store; false with err naming the field
 * ("records[1].keyId: ..."). first_new is the store index of the batch's first entry: entries
 * from there on are the batch's records already ingested. */
typedef bool mock_batch_fits(const void *state, const cJSON *record, size_t index, size_t first_new,
                             char *err, size_t err_len);
/* Appends one record to the store (the vendor's loader); false with err filled. */
typedef bool mock_batch_ingest(void *state, const cJSON *record, char *err, size_t err_len);

/* fits may be NULL when the vendor checked the whole batch itself. */
bool mock_batch_add(struct mock_store *store, void *state, const cJSON *records,
                    mock_batch_fits *fits, mock_batch_ingest *ingest, char *err, size_t err_len);

#endif
