/* The Yunfu fixture dataset as the tests read it themselves (never through the mock or the
 * client): which records a task holds, in the order the vendor lists them. Shared by the Yunfu
 * unit, end-to-end and CLI tests. */
#ifndef CDRSIM_TEST_YUNFU_MODEL_H
#define CDRSIM_TEST_YUNFU_MODEL_H

#include <cJSON.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define YUNFU_RECORDS FIXTURES_DIR "/yunfu/records.json"
#define YUNFU_EXAMPLE FIXTURES_DIR "/yunfu/examples/record_list_response.json"
#define YUNFU_DETAIL_EXAMPLE FIXTURES_DIR "/yunfu/examples/record_detail_response.json"
#define YUNFU_DIALOGUES FIXTURES_DIR "/yunfu/dialogues.json"
#define YUNFU_TASKS FIXTURES_DIR "/yunfu/tasks.json"
#define YUNFU_DEMO_TOKEN "demo-yunfu-token"
#define YUNFU_SEED_USER "4d99d91c-f5d9-49da-88da-758977cc58a9"
#define YUNFU_SEED_TASK "287e19c4-1966-49d6-8f02-b53ef11c0a55"
#define YUNFU_SEED_RECORD "50971322-2e84-4701-836c-fd1181306885"
#define YUNFU_SEED_CALLEE "18555525545"
#define YUNFU_SUB_USER "487a118a-73dd-4167-ab2a-50a55d0eced2"
#define YUNFU_SUB_TASK "bd3ee965-7813-4174-99d8-f3cb38b5d5f2"
#define YUNFU_SECOND_TASK "963e2153-82c0-4b18-939f-9f5e6cb965cb"
#define YUNFU_EMPTY_TASK "666bf6f8-43d2-459a-bd02-7f7a2cd9442d"
#define YUNFU_NODE2_USER "d21960a3-ebf2-48df-8587-595eb27325a4"
#define YUNFU_NODE2_TASK "5640b839-0063-4b36-a4d8-63e5b7bfc85f"
#define YUNFU_NODE2_TASK2 "277bec63-8c21-437f-8cd6-421e54e54b63"
#define YUNFU_QA_TOKEN "qa-yunfu-token"
#define YUNFU_QA_USER "eff4656d-767d-4d8b-9382-54548004ad0b"
#define YUNFU_QA_DEFAULT_NODE_TASK "0d683877-aefe-4776-8722-e5db417d8d98"
#define YUNFU_INBOUND_TASK YUNFU_NODE2_TASK2 /* task_type 2: the AI answers a hotline */
#define YUNFU_SEED_OPENING_ROW "f224e1ea-e4a2-4d32-98b9-1570c78f8fa9"

/* The seed example record, normalized: times in UTC (the vendor writes UTC+8), ms as seconds. */
#define YUNFU_SEED_LINE                                                                            \
    "{\"vendor\":\"yunfu\",\"id\":\"50971322-2e84-4701-836c-fd1181306885\","                       \
    "\"call_id\":\"ed26665c-873f-4917-a346-ce38cd2be7b5\",\"direction\":\"outbound\","             \
    "\"caller\":\"0000000000\",\"callee\":\"18555525545\",\"agent\":null,\"group\":\"8888\","      \
    "\"start_time\":\"2022-09-29T07:09:13Z\",\"answer_time\":\"2022-09-29T07:09:16Z\","            \
    "\"end_time\":\"2022-09-29T07:09:53Z\",\"ring_seconds\":3,\"talk_seconds\":37,"                \
    "\"hangup_by\":\"customer\",\"recording_urls\":[]}"

typedef bool (*yunfu_pred)(const cJSON *record, const void *arg);

struct yunfu_model_row {
    const char *calldate;
    size_t index;
    const char *id;
};

static inline int yunfu_model_newest_first(const void *a, const void *b)
{
    const struct yunfu_model_row *x = a, *y = b;
    int c = strcmp(y->calldate, x->calldate); /* "Y-m-d H:i:s" sorts as text */
    if (c)
        return c;
    return (x->index < y->index) - (x->index > y->index); /* later in the file first */
}

/* Ids of the task's records (all tasks when task_id is NULL) passing pred (NULL: all), newest
 * call first. */
static inline struct test_ids yunfu_model_ids(const cJSON *records, const char *task_id,
                                              yunfu_pred pred, const void *arg)
{
    size_t n = (size_t)cJSON_GetArraySize(records), used = 0;
    struct yunfu_model_row *rows = calloc(n ? n : 1, sizeof(*rows));
    assert_non_null(rows);
    size_t index = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, records) {
        index++;
        if (task_id && strcmp(json_str_at(r, "task_id"), task_id) != 0)
            continue;
        if (pred && !pred(r, arg))
            continue;
        rows[used++] =
            (struct yunfu_model_row){json_str_at(r, "calldate"), index, json_str_at(r, "id")};
    }
    qsort(rows, used, sizeof(*rows), yunfu_model_newest_first);
    struct test_ids ids = {0};
    for (size_t i = 0; i < used; i++)
        test_ids_add(&ids, rows[i].id);
    free(rows);
    return ids;
}

/* The record with that id in records.json; fails the test when there is none. */
static inline const cJSON *yunfu_model_record(const cJSON *records, const char *id)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, records) {
        if (strcmp(json_str_at(r, "id"), id) == 0)
            return r;
    }
    fail_msg("record %s is not in records.json", id);
    return NULL;
}

static inline int64_t yunfu_model_sequence(const cJSON *row)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(row, "sequence");
    return cJSON_IsNumber(s) ? (int64_t)s->valuedouble : INT64_MAX;
}

/* A call's whole dialogue as the detail endpoint documents it: the record's list "details" and
 * the rows dialogues.json adds for it (dialogues may be NULL), by sequence, equal sequences in
 * the order given. Caller deletes. */
static inline cJSON *yunfu_model_dialogue(const cJSON *record, const cJSON *dialogues)
{
    cJSON *all = cJSON_Duplicate(json_at(record, "details"), true);
    assert_non_null(all);
    const cJSON *d, *row;
    cJSON_ArrayForEach(d, dialogues) {
        if (strcmp(json_str_at(d, "record_id"), json_str_at(record, "id")) == 0)
            cJSON_ArrayForEach(row, json_at(d, "rows"))
                cJSON_AddItemToArray(all, cJSON_Duplicate(row, true));
    }
    cJSON *sorted = cJSON_CreateArray();
    while (all->child) {
        cJSON *pick = all->child;
        for (cJSON *c = all->child; c; c = c->next)
            if (yunfu_model_sequence(c) < yunfu_model_sequence(pick))
                pick = c;
        cJSON_AddItemToArray(sorted, cJSON_DetachItemViaPointer(all, pick));
    }
    cJSON_Delete(all);
    return sorted;
}

#endif
