/* Huawei data: the agents (ID, password, phone, VDN) and their call history (records.json or
 * generated), each call rendered once at load in the full form and in the last-call form, indexed
 * by callid. */
#include <stdlib.h>
#include <string.h>

#include "../../fileio.h"
#include "../../jsonval.h"
#include "internal.h"

/* An agent ID in a fixture: an integer or a string of digits, 101..999999 (the widest docs). */
static bool fixture_agentid(const cJSON *entry, int64_t *out)
{
    const char *text;
    if (mock_jv_int(entry, "agentid", out) != MOCK_JV_OK) {
        if (mock_jv_string(entry, "agentid", &text) != MOCK_JV_OK || !*text || strlen(text) > 6 ||
            strspn(text, "0123456789") != strlen(text))
            return false;
        *out = strtoll(text, NULL, 10);
    }
    return *out >= HUAWEI_MIN_AGENTID && *out <= 999999;
}

static char *dup_or(const cJSON *entry, const char *key, const char *fallback)
{
    const char *text = fallback;
    mock_jv_string(entry, key, &text);
    return strdup(text);
}

static bool add_agent(struct huawei_state *st, const cJSON *entry, const char *where, char *err,
                      size_t err_len)
{
    int64_t id, vdnid = 1;
    const char *password, *phone;
    if (!cJSON_IsObject(entry) || !fixture_agentid(entry, &id) ||
        mock_jv_string(entry, "password", &password) != MOCK_JV_OK || !*password ||
        mock_jv_string(entry, "phonenum", &phone) != MOCK_JV_OK ||
        mock_jv_int(entry, "vdnid", &vdnid) == MOCK_JV_WRONG_TYPE) {
        snprintf(err, err_len,
                 "%s: each agent needs agentid (101..999999), non-empty string password and string "
                 "phonenum; vdnid is an integer",
                 where);
        return false;
    }
    for (size_t i = 0; i < st->agent_count; i++)
        if (st->agents[i].id == id) {
            snprintf(err, err_len, "%s: agent %lld appears twice", where, (long long)id);
            return false;
        }
    struct huawei_agent *grown = realloc(st->agents, (st->agent_count + 1) * sizeof(*grown));
    if (!grown) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    st->agents = grown;
    struct huawei_agent *a = &grown[st->agent_count++];
    memset(a, 0, sizeof(*a));
    a->id = id;
    snprintf(a->workno, sizeof(a->workno), "%lld", (long long)id);
    a->vdnid = vdnid;
    a->history_last = SIZE_MAX;
    a->password = strdup(password);
    a->phonenum = strdup(phone);
    a->mediatype = dup_or(entry, "mediatype", "TTF");
    a->time_remaining = dup_or(entry, "timeRemaining", "9");
    if (!a->password || !a->phonenum || !a->mediatype || !a->time_remaining) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    return true;
}

static bool add_agents(struct huawei_state *st, const cJSON *list, const char *where, char *err,
                       size_t err_len)
{
    if (!cJSON_IsArray(list)) {
        snprintf(err, err_len, "%s must be an array of agents", where);
        return false;
    }
    const cJSON *entry;
    cJSON_ArrayForEach(entry, list) {
        if (!add_agent(st, entry, where, err, err_len))
            return false;
    }
    return true;
}

static int agent_order(const void *a, const void *b)
{
    int64_t x = ((const struct huawei_agent *)a)->id, y = ((const struct huawei_agent *)b)->id;
    return (x > y) - (x < y);
}

bool huawei_load_agents(struct huawei_state *st, const char *dir, const cJSON *extra, char *err,
                        size_t err_len)
{
    cJSON *agents = dir ? mock_load_json(dir, "agents.json", err, err_len) : NULL;
    bool ok = (!dir || (agents && add_agents(st, agents, "agents.json", err, err_len))) &&
              (!extra || add_agents(st, extra, "--config huawei.agents", err, err_len));
    cJSON_Delete(agents);
    if (ok && st->agent_count > 1)
        qsort(st->agents, st->agent_count, sizeof(*st->agents), agent_order);
    return ok;
}

static int by_id(const void *key, const void *item)
{
    int64_t id = *(const int64_t *)key, other = ((const struct huawei_agent *)item)->id;
    return (id > other) - (id < other);
}

struct huawei_agent *huawei_find_agent(const struct huawei_state *st, int64_t id)
{
    if (!st->agent_count)
        return NULL;
    return bsearch(&id, st->agents, st->agent_count, sizeof(*st->agents), by_id);
}

/* ---- call history ---------------------------------------------------------------------------- */

char *huawei_render_last_call(const cJSON *obj, bool full)
{
    if (full)
        return cJSON_PrintUnformatted(obj);
    /* The callinfo page: "information about the last call cannot be queried" for these five. */
    static const char *const blank[] = {"waitEndTime", "answerEndTime", "talkEndTime",
                                        "leaveReason", "leaveReasonDesc"};
    cJSON *copy = cJSON_Duplicate(obj, true);
    cJSON *trace = cJSON_GetObjectItemCaseSensitive(copy, "trace");
    bool ok = copy != NULL;
    for (size_t i = 0; ok && cJSON_IsObject(trace) && i < sizeof(blank) / sizeof(blank[0]); i++) {
        cJSON *null = cJSON_CreateNull();
        ok = null && (cJSON_GetObjectItemCaseSensitive(trace, blank[i])
                          ? cJSON_ReplaceItemInObjectCaseSensitive(trace, blank[i], null)
                          : cJSON_AddItemToObject(trace, blank[i], null));
        if (!ok)
            cJSON_Delete(null);
    }
    char *json = ok ? cJSON_PrintUnformatted(copy) : NULL;
    cJSON_Delete(copy);
    return json;
}

void huawei_free_attrs(void *attrs)
{
    struct huawei_record_attrs *a = attrs;
    if (!a)
        return;
    free(a->callid);
    free(a->last_json);
    free(a);
}

bool huawei_ingest_record(struct huawei_state *st, const cJSON *r, char *err, size_t err_len)
{
    size_t index = st->records.count;
    const char *callid;
    int64_t begin, device_type, device_no;
    if (!cJSON_IsObject(r) || mock_jv_string(r, "callid", &callid) != MOCK_JV_OK || !*callid ||
        strlen(callid) >= HUAWEI_CALLID_SIZE) {
        snprintf(err, err_len, "record %zu: needs a callid string of 1..%d characters", index,
                 HUAWEI_CALLID_SIZE - 1);
        return false;
    }
    if (mock_jv_int(r, "begintime", &begin) != MOCK_JV_OK) {
        snprintf(err, err_len, "record %s: begintime must be epoch milliseconds", callid);
        return false;
    }
    const cJSON *trace = cJSON_GetObjectItemCaseSensitive(r, "trace");
    struct huawei_record_attrs *a = calloc(1, sizeof(*a));
    char *json = cJSON_PrintUnformatted(r);
    if (a) {
        /* The trace's device is the agent when it is an agent device (deviceType 2). */
        a->agent = mock_jv_int(trace, "deviceType", &device_type) == MOCK_JV_OK &&
                           device_type == 2 &&
                           mock_jv_int(trace, "deviceNo", &device_no) == MOCK_JV_OK
                       ? device_no
                       : -1;
        a->callid = strdup(callid);
        a->last_json = huawei_render_last_call(r, st->lastcall_trace_full);
        a->last_json_len = a->last_json ? strlen(a->last_json) : 0;
    }
    if (!a || !a->callid || !a->last_json || !json) {
        huawei_free_attrs(a);
        free(json);
        snprintf(err, err_len, "out of memory");
        return false;
    }
    int64_t start = begin >= 0 ? begin / 1000 : -((-begin + 999) / 1000);
    if (!mock_store_add(&st->records, start, (uint64_t)index, json, strlen(json), a)) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    return true;
}

bool huawei_load_records(struct huawei_state *st, const char *dir, char *err, size_t err_len)
{
    cJSON *records = mock_load_json(dir, "records.json", err, err_len);
    if (records && !cJSON_IsArray(records))
        snprintf(err, err_len, "records.json must be an array");
    bool ok = cJSON_IsArray(records);
    const cJSON *r;
    cJSON_ArrayForEach(r, (ok ? records : NULL)) {
        if (!(ok = huawei_ingest_record(st, r, err, err_len)))
            break;
    }
    cJSON_Delete(records);
    return ok;
}

static bool ingest_generated(void *st, const cJSON *call, char *err, size_t err_len)
{
    return huawei_ingest_record(st, call, err, err_len);
}

bool huawei_generate_history(struct huawei_state *st, int64_t n, uint64_t seed, int64_t anchor,
                             char *err, size_t err_len)
{
    return huawei_generate_records(st->agents, st->agent_count, n, seed, anchor, ingest_generated,
                                   st, err, err_len);
}

static int callid_order(const void *a, const void *b)
{
    const struct huawei_callid_entry *x = a, *y = b;
    int c = strcmp(x->callid, y->callid);
    if (c)
        return c;
    return (x->agent > y->agent) - (x->agent < y->agent);
}

bool huawei_index_records(struct huawei_state *st, char *err, size_t err_len)
{
    /* Again after records came or went at run time: the old index goes first. */
    free(st->by_callid);
    for (size_t i = 0; i < st->agent_count; i++)
        st->agents[i].history_last = SIZE_MAX;
    mock_store_sort(&st->records);
    size_t n = st->records.count;
    st->by_callid = calloc(n ? n : 1, sizeof(*st->by_callid));
    if (!st->by_callid) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        const struct huawei_record_attrs *a = st->records.entries[i].attrs;
        st->by_callid[i] = (struct huawei_callid_entry){a->callid, a->agent, i};
        /* Sorted by begin time, so the last record seen is the agent's latest call. */
        struct huawei_agent *agent = a->agent >= 0 ? huawei_find_agent(st, a->agent) : NULL;
        if (agent)
            agent->history_last = i;
    }
    qsort(st->by_callid, n, sizeof(*st->by_callid), callid_order);
    return true;
}

size_t huawei_find_record(const struct huawei_state *st, int64_t agent, const char *callid)
{
    struct huawei_callid_entry key = {callid, agent, 0};
    const struct huawei_callid_entry *hit =
        st->records.count && st->by_callid
            ? bsearch(&key, st->by_callid, st->records.count, sizeof(key), callid_order)
            : NULL;
    return hit ? hit->index : SIZE_MAX;
}

char *huawei_dump_records(const struct huawei_state *st)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "[");
    for (size_t i = 0; i < st->records.count; i++) {
        cdr_buf_puts(&b, i ? ",\n" : "\n");
        cdr_buf_append(&b, st->records.entries[i].json, st->records.entries[i].json_len);
    }
    cdr_buf_puts(&b, "\n]");
    return cdr_buf_steal(&b);
}
