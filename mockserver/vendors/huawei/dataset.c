/* Huawei data: the agents (ID, password, phone, VDN) and their call history (records.json or
 * generated), each call rendered once at load in the full form and in the last-call form, indexed
 * by callid; the API Fabric's apps (apps.json); and the CC-Management history, one record for
 * every outbound call of an agent, indexed by callSerialNo. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* ---- apps ------------------------------------------------------------------------------------ */

static bool add_apps(struct huawei_state *st, const cJSON *list, const char *where, char *err,
                     size_t err_len)
{
    const cJSON *entry;
    if (!cJSON_IsArray(list)) {
        snprintf(err, err_len, "%s must be an array of {\"app_key\", \"app_secret\"}", where);
        return false;
    }
    cJSON_ArrayForEach(entry, list) {
        const char *key, *secret;
        if (mock_jv_string(entry, "app_key", &key) != MOCK_JV_OK || !*key ||
            mock_jv_string(entry, "app_secret", &secret) != MOCK_JV_OK || !*secret ||
            strlen(key) > 100) {
            snprintf(err, err_len,
                     "%s: each app needs app_key (1..100 characters) and a non-empty app_secret",
                     where);
            return false;
        }
        struct huawei_app *grown = realloc(st->apps, (st->app_count + 1) * sizeof(*grown));
        if (!grown) {
            snprintf(err, err_len, "out of memory");
            return false;
        }
        st->apps = grown;
        struct huawei_app *app = &grown[st->app_count++];
        app->key = strdup(key);
        app->secret = strdup(secret);
        if (!app->key || !app->secret) {
            snprintf(err, err_len, "out of memory");
            return false;
        }
    }
    return true;
}

bool huawei_load_apps(struct huawei_state *st, const char *dir, const cJSON *extra, char *err,
                      size_t err_len)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/apps.json", dir ? dir : "");
    cJSON *apps =
        dir && access(path, F_OK) == 0 ? mock_load_json(dir, "apps.json", err, err_len) : NULL;
    bool ok = (!apps && (!dir || access(path, F_OK) != 0)) ||
              (apps && add_apps(st, apps, "apps.json", err, err_len));
    cJSON_Delete(apps);
    return ok && (!extra || add_apps(st, extra, "--config huawei.apps", err, err_len));
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

/* ---- the CC-Management history ----------------------------------------------------------- */

static int64_t floor_seconds(int64_t ms)
{
    return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

/* Adds one record with its filter fields; takes obj. The record is rendered as the example types
 * it, or every value a string (history_types=strings). derived: made from a call of the call
 * history (it goes when they are cleared), not a documented example. */
static bool add_history(struct huawei_state *st, cJSON *obj, int task_type, bool derived, char *err,
                        size_t err_len)
{
    struct huawei_cdr_attrs *a = calloc(1, sizeof(*a));
    const char *serial, *caller;
    char number[32];
    const cJSON *start = cJSON_GetObjectItemCaseSensitive(obj, "startTime");
    const cJSON *talk = cJSON_GetObjectItemCaseSensitive(obj, "talkDuration");
    bool ok = a && mock_jv_string(obj, "callSerialNo", &serial) == MOCK_JV_OK && *serial &&
              strlen(serial) < sizeof(a->serial) &&
              mock_jv_string(obj, "caller", &caller) == MOCK_JV_OK &&
              strlen(caller) < sizeof(a->caller) &&
              (cJSON_IsNumber(start) || cJSON_IsString(start));
    if (ok) {
        snprintf(a->serial, sizeof(a->serial), "%s", serial);
        snprintf(a->caller, sizeof(a->caller), "%s", caller);
        a->task_type = task_type;
        a->derived = derived;
        a->start_ms = cJSON_IsNumber(start) ? (int64_t)start->valuedouble
                                            : strtoll(start->valuestring, NULL, 10);
        a->talk_s = cJSON_IsNumber(talk)   ? (int64_t)talk->valuedouble
                    : cJSON_IsString(talk) ? strtoll(talk->valuestring, NULL, 10)
                                           : 0;
    }
    /* Under history_types=strings every number goes out as its text, as the tables type them. */
    if (ok && st->history_strings) {
        cJSON *texts = cJSON_CreateObject();
        ok = texts != NULL;
        for (const cJSON *m = obj->child; m && ok; m = m->next) {
            snprintf(number, sizeof(number), "%lld", (long long)m->valuedouble);
            cJSON *v = cJSON_IsNumber(m) ? cJSON_CreateString(number) : cJSON_Duplicate(m, true);
            ok = v && cJSON_AddItemToObject(texts, m->string, v);
            if (!ok)
                cJSON_Delete(v);
        }
        cJSON_Delete(obj);
        obj = texts;
    }
    char *json = ok ? cJSON_PrintUnformatted(obj) : NULL;
    cJSON_Delete(obj);
    if (!json) {
        free(a);
        snprintf(err, err_len,
                 ok ? "out of memory"
                    : "history record without callSerialNo, "
                      "caller or startTime");
        return false;
    }
    if (!mock_store_add(&st->history, floor_seconds(a->start_ms), st->history.count, json,
                        strlen(json), a)) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    return true;
}

/* The task type an agent's outbound call counts as; 0 for calls that are no outbound task. */
static int task_type_of(int64_t callfeature)
{
    switch (callfeature) {
    case 7:       /* common outbound */
    case 40:      /* reserved outbound */
    case 41:      /* pre-occupied outbound */
        return 1; /* CEC bidirectional call */
    case 43:      /* predicted outbound */
    case 44:      /* previewed outbound */
        return 2; /* anonymous outbound: campaign dialling */
    case 45:      /* reserved callback */
        return 4; /* ITA bidirectional call: left out of taskType 0 */
    default:
        return 0;
    }
}

/* reasonCode from the agent device's leave reason: in an outbound call the customer is the
 * callee. */
static int64_t reason_code_of(int64_t leave_reason)
{
    switch (leave_reason) {
    case 15: /* the user releases the call */
    case 17: /* transferred out */
    case 88:
    case 89:
        return 0; /* the callee hung up */
    case 16:
        return 1; /* the caller (the agent) hung up */
    case 26:
        return 5; /* the callee did not answer */
    case 20:
    case 21:
    case 22:
    case 23:
    case 24:
    case 27:
        return 3; /* the callee's leg failed */
    case 19:
    case 25:
        return 6; /* the call could not start */
    default:
        return 7; /* "other: abnormal" */
    }
}

int huawei_cdr_of_call(const struct huawei_state *st, const cJSON *r, uint64_t seq,
                       struct huawei_cdr_spec *c, struct huawei_cdr_text *text)
{
    const cJSON *trace = cJSON_GetObjectItemCaseSensitive(r, "trace");
    int64_t feature, type, device, begin, end, alerting, talking = HUAWEI_NONE,
                                                         talk_end = HUAWEI_NONE, leave = -1;
    const char *caller, *called, *data = "";
    if (mock_jv_int(r, "callfeature", &feature) != MOCK_JV_OK || !task_type_of(feature) ||
        mock_jv_int(trace, "deviceType", &type) != MOCK_JV_OK || type != 2 ||
        mock_jv_int(trace, "deviceNo", &device) != MOCK_JV_OK ||
        mock_jv_int(r, "begintime", &begin) != MOCK_JV_OK ||
        mock_jv_int(r, "endtime", &end) != MOCK_JV_OK ||
        mock_jv_string(r, "caller", &caller) != MOCK_JV_OK ||
        mock_jv_string(r, "called", &called) != MOCK_JV_OK)
        return 0; /* not an outbound task of an agent, or still up */
    if (mock_jv_int(trace, "answerBeginTime", &alerting) != MOCK_JV_OK)
        alerting = begin;
    mock_jv_int(trace, "talkBeginTime", &talking);
    mock_jv_int(trace, "talkEndTime", &talk_end);
    mock_jv_int(trace, "leaveReason", &leave);
    mock_jv_string(r, "calldata", &data);
    const struct huawei_agent *agent = huawei_find_agent(st, device);
    snprintf(text->agent_id, sizeof(text->agent_id), "%lld", (long long)device);
    snprintf(text->agent_phone, sizeof(text->agent_phone), "%s",
             agent ? agent->phonenum : text->agent_id);
    const int64_t snowflake_epoch_ms = 1288834974657LL;
    uint64_t since = begin > snowflake_epoch_ms ? (uint64_t)(begin - snowflake_epoch_ms) : 0;
    snprintf(text->serial, sizeof(text->serial), "%llu",
             (unsigned long long)((since << 22) | (seq & 0x3fffff)));
    bool answered = talking != HUAWEI_NONE;
    *c = (struct huawei_cdr_spec){
        .serial = text->serial,
        .caller = text->agent_phone,
        .called = called,
        .caller_present = caller, /* the access code the customer sees */
        .agent_present = caller,
        .call_data = data,
        .start_ms = begin,
        .end_ms = end,
        .alerting_ms = alerting,
        .talking_ms = talking,
        .agent_alerting_ms = begin,
        .agent_talking_ms = begin,
        .talk_s = answered ? ((talk_end != HUAWEI_NONE ? talk_end : end) - talking) / 1000 : 0,
        .agent_talk_s = (end - begin) / 1000,
        .state = 3, /* ended */
        .reason_code = reason_code_of(leave),
    };
    return task_type_of(feature);
}

/* The CC-Management record of an agent's outbound call, when r is one. */
static bool history_from_call(struct huawei_state *st, const cJSON *r, size_t seq, char *err,
                              size_t err_len)
{
    struct huawei_cdr_spec c;
    struct huawei_cdr_text text;
    int task_type = huawei_cdr_of_call(st, r, seq, &c, &text);
    if (!task_type)
        return true;
    cJSON *obj = huawei_cdr_object(&c);
    if (!obj) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    return add_history(st, obj, task_type, true, err, err_len);
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
    return history_from_call(st, r, index, err, err_len);
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

/* history_examples.json: the pages' documented records, [{"taskType": n, "record": {...}}]. */
static bool add_examples(void *ctx, const cJSON *entry, char *err, size_t err_len)
{
    int64_t type;
    const cJSON *record = cJSON_GetObjectItemCaseSensitive(entry, "record");
    if (mock_jv_int(entry, "taskType", &type) != MOCK_JV_OK || type < 1 || type > 4 ||
        !cJSON_IsObject(record)) {
        snprintf(err, err_len,
                 "history_examples.json: each entry is {\"taskType\": 1..4, \"record\": {...}}");
        return false;
    }
    cJSON *copy = cJSON_Duplicate(record, true);
    if (!copy) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    return add_history(ctx, copy, (int)type, false, err, err_len);
}

static int serial_order(const void *a, const void *b)
{
    const struct huawei_serial_entry *x = a, *y = b;
    return strcmp(x->serial, y->serial);
}

bool huawei_build_history(struct huawei_state *st, const char *dir, char *err, size_t err_len)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/history_examples.json", dir ? dir : "");
    if (dir && access(path, F_OK) == 0 &&
        !mock_load_json_array(dir, "history_examples.json", add_examples, st, err, err_len))
        return false;
    return huawei_index_history(st, err, err_len);
}

bool huawei_index_history(struct huawei_state *st, char *err, size_t err_len)
{
    /* Again after calls came or went at run time: the old index goes first. */
    free(st->by_serial);
    mock_store_sort(&st->history);
    size_t n = st->history.count;
    st->by_serial = calloc(n ? n : 1, sizeof(*st->by_serial));
    if (!st->by_serial) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        const struct huawei_cdr_attrs *a = st->history.entries[i].attrs;
        st->by_serial[i] = (struct huawei_serial_entry){a->serial, i};
    }
    qsort(st->by_serial, n, sizeof(*st->by_serial), serial_order);
    for (size_t i = 1; i < n; i++)
        if (strcmp(st->by_serial[i - 1].serial, st->by_serial[i].serial) == 0) {
            snprintf(err, err_len, "history: callSerialNo %s appears twice",
                     st->by_serial[i].serial);
            return false;
        }
    return true;
}

size_t huawei_find_cdr(const struct huawei_state *st, const char *serial)
{
    struct huawei_serial_entry key = {serial, 0};
    const struct huawei_serial_entry *hit =
        st->history.count && st->by_serial
            ? bsearch(&key, st->by_serial, st->history.count, sizeof(key), serial_order)
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
