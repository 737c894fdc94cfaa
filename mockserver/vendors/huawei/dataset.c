/* Huawei data: the agents (ID, password, phone, VDN) and their call history (records.json or
 * generated), each call rendered once at load in the full form and in the last-call form, indexed
 * by callid; the API Fabric's apps (apps.json); and the CC-Management history, one record for
 * every outbound call of an agent, indexed by callSerialNo. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../fileio.h"
#include "../../json_read.h"
#include "../../jsonval.h"
#include "internal.h"
#include "json_type.h"

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

/* ---- the CC-Management history ----------------------------------------------------------- */

static int64_t floor_seconds(int64_t ms)
{
    return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

static struct huawei_cdr_attrs *new_cdr_attrs(struct huawei_state *st)
{
    struct huawei_cdr_attrs *a = mock_arena_alloc(&st->arena, sizeof(*a));
    if (a)
        memset(a, 0, sizeof(*a));
    return a;
}

/* Adds a documented example with its filter fields; takes obj. The record is rendered as the
 * example types it, or every value a string (history_types=strings). */
static bool add_example(struct huawei_state *st, cJSON *obj, int task_type, char *err,
                        size_t err_len)
{
    struct huawei_cdr_attrs *a = new_cdr_attrs(st);
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
        a->start_ms = cJSON_IsNumber(start) ? cdr__json_int64(start, 0)
                                            : strtoll(start->valuestring, NULL, 10);
        a->talk_s = cJSON_IsNumber(talk)   ? cdr__json_int64(talk, 0)
                    : cJSON_IsString(talk) ? strtoll(talk->valuestring, NULL, 10)
                                           : 0;
    }
    /* Under history_types=strings every number goes out as its text, as the tables type them. */
    if (ok && st->history_strings) {
        cJSON *texts = cJSON_CreateObject();
        ok = texts != NULL;
        for (const cJSON *m = obj->child; m && ok; m = m->next) {
            snprintf(number, sizeof(number), "%lld", (long long)cdr__json_int64(m, 0));
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

/* Adds the record of an agent's outbound call: written now, or (a generated call) when shown. */
static bool add_cdr(struct huawei_state *st, const struct huawei_cdr_spec *c, int task_type,
                    const struct huawei_record_attrs *generated_call, char *err, size_t err_len)
{
    struct huawei_cdr_attrs *a = new_cdr_attrs(st);
    struct cdr_buf b;
    cdr_buf_init(&b);
    if (!a || (!generated_call && !huawei_cdr_write(c, st->history_strings, &b))) {
        cdr_buf_free(&b);
        snprintf(err, err_len, "out of memory");
        return false;
    }
    snprintf(a->serial, sizeof(a->serial), "%s", c->serial);
    snprintf(a->caller, sizeof(a->caller), "%s", c->caller);
    a->task_type = task_type;
    a->start_ms = c->start_ms;
    a->talk_s = c->talk_s;
    a->generated_call = generated_call;
    size_t len = b.len;
    char *json = generated_call ? NULL : cdr_buf_steal(&b);
    if (!mock_store_add(&st->history, floor_seconds(a->start_ms), st->history.count, json, len,
                        a)) {
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

void huawei_call_facts_of(const cJSON *r, struct huawei_call_facts *f)
{
    const cJSON *trace = cJSON_GetObjectItemCaseSensitive(r, "trace");
    static const char *const int_keys[] = {"callfeature", "begintime", "endtime"};
    static const char *const trace_keys[] = {"answerBeginTime", "talkBeginTime", "talkEndTime",
                                             "leaveReason",     "deviceNo",      "deviceType"};
    int64_t *ints[] = {&f->callfeature, &f->begintime, &f->endtime};
    int64_t *traced[] = {&f->answer_begin, &f->talk_begin, &f->talk_end,
                         &f->leave_reason, &f->device_no,  &f->device_type};
    for (size_t i = 0; i < 3; i++)
        if (mock_jv_int(r, int_keys[i], ints[i]) != MOCK_JV_OK)
            *ints[i] = HUAWEI_NONE;
    for (size_t i = 0; i < 6; i++)
        if (mock_jv_int(trace, trace_keys[i], traced[i]) != MOCK_JV_OK)
            *traced[i] = HUAWEI_NONE;
    static const char *const text_keys[] = {"callid", "caller", "called", "calldata"};
    const char **texts[] = {&f->callid, &f->caller, &f->called, &f->calldata};
    for (size_t i = 0; i < 4; i++)
        if (mock_jv_string(r, text_keys[i], texts[i]) != MOCK_JV_OK)
            *texts[i] = NULL;
}

int huawei_cdr_of_call(const struct huawei_state *st, const cJSON *r, uint64_t seq,
                       struct huawei_cdr_spec *c, struct huawei_cdr_text *text)
{
    struct huawei_call_facts f;
    huawei_call_facts_of(r, &f);
    return huawei_cdr_of_facts(st, &f, seq, c, text);
}

int huawei_cdr_of_facts(const struct huawei_state *st, const struct huawei_call_facts *f,
                        uint64_t seq, struct huawei_cdr_spec *c, struct huawei_cdr_text *text)
{
    const int64_t none = HUAWEI_NONE;
    if (f->callfeature == none || !task_type_of(f->callfeature) || f->device_type != 2 ||
        f->device_no == none || f->begintime == none || f->endtime == none || !f->caller ||
        !f->called)
        return 0; /* not an outbound task of an agent, or still up */
    int64_t feature = f->callfeature, device = f->device_no, begin = f->begintime, end = f->endtime;
    int64_t alerting = f->answer_begin != none ? f->answer_begin : begin;
    int64_t talking = f->talk_begin, talk_end = f->talk_end;
    int64_t leave = f->leave_reason != none ? f->leave_reason : -1;
    const char *caller = f->caller, *called = f->called, *data = f->calldata ? f->calldata : "";
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

/* The CC-Management record of an agent's outbound call, when f is one. */
static bool history_from_call(struct huawei_state *st, const struct huawei_call_facts *f,
                              uint64_t seq, const struct huawei_record_attrs *generated_call,
                              char *err, size_t err_len)
{
    struct huawei_cdr_spec c;
    struct huawei_cdr_text text;
    int task_type = huawei_cdr_of_facts(st, f, seq, &c, &text);
    return !task_type || add_cdr(st, &c, task_type, generated_call, err, err_len);
}

static struct huawei_record_attrs *new_record_attrs(struct huawei_state *st,
                                                    const struct huawei_call_facts *f)
{
    struct huawei_record_attrs *a = mock_arena_alloc(&st->arena, sizeof(*a));
    if (!a)
        return NULL;
    /* The trace's device is the agent when it is an agent device (deviceType 2). */
    *a = (struct huawei_record_attrs){
        .agent = f->device_type == 2 && f->device_no != HUAWEI_NONE ? f->device_no : -1,
        .callid = mock_arena_strndup(&st->arena, f->callid, strlen(f->callid)),
    };
    return a->callid ? a : NULL;
}

bool huawei_ingest_text(struct huawei_state *st, char *json, size_t len,
                        const struct huawei_call_facts *f, char *err, size_t err_len)
{
    size_t index = st->records.count;
    struct huawei_record_attrs *a = new_record_attrs(st, f);
    if (!a) {
        mock_store_release_json(&st->records, json);
        snprintf(err, err_len, "out of memory");
        return false;
    }
    if (!mock_store_add(&st->records, floor_seconds(f->begintime), (uint64_t)index, json, len, a)) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    return history_from_call(st, f, index, NULL, err, err_len);
}

bool huawei_ingest_record(struct huawei_state *st, const cJSON *r, char *err, size_t err_len)
{
    size_t index = st->records.count;
    struct huawei_call_facts f;
    huawei_call_facts_of(r, &f);
    if (!cJSON_IsObject(r) || !f.callid || !*f.callid || strlen(f.callid) >= HUAWEI_CALLID_SIZE) {
        snprintf(err, err_len, "record %zu: needs a callid string of 1..%d characters", index,
                 HUAWEI_CALLID_SIZE - 1);
        return false;
    }
    if (f.begintime == HUAWEI_NONE) {
        snprintf(err, err_len, "record %s: begintime must be epoch milliseconds", f.callid);
        return false;
    }
    char *json = cJSON_PrintUnformatted(r);
    if (!json) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    return huawei_ingest_text(st, json, strlen(json), &f, err, err_len);
}

/* ---- records.json without a tree ---------------------------------------------------------- */

/* A member's value as a NUL-terminated string copied to *scratch, which moves past it; NULL
 * unless a string. */
static const char *span_text(struct mock_json_text v, char **scratch)
{
    struct mock_json_text inner;
    if (!v.text || mock_json_text_string(v, &inner) != MOCK_JV_OK)
        return NULL;
    char *copy = *scratch;
    memcpy(copy, inner.text, inner.len);
    copy[inner.len] = '\0';
    *scratch += inner.len + 1;
    return copy;
}

static int64_t span_int(struct mock_json_text v)
{
    int64_t n;
    return v.text && mock_json_text_int(v, &n) == MOCK_JV_OK ? n : HUAWEI_NONE;
}

/* The facts of a compact call object, as huawei_call_facts_of reads its tree; false when it is no
 * call object ingest takes (the slow path then says why). */
static bool span_facts(struct mock_json_text r, char **scratch, struct huawei_call_facts *f)
{
    static const char *const keys[] = {"callid",      "caller",    "called",  "calldata",
                                       "callfeature", "begintime", "endtime", "trace"};
    static const char *const trace_keys[] = {"answerBeginTime", "talkBeginTime", "talkEndTime",
                                             "leaveReason",     "deviceNo",      "deviceType"};
    struct mock_json_text v[8], t[6];
    if (r.text[0] != '{')
        return false;
    mock_json_members(r, keys, 8, v);
    if (!v[7].text || v[7].text[0] != '{')
        v[7] = (struct mock_json_text){"{}", 2};
    mock_json_members(v[7], trace_keys, 6, t);
    *f = (struct huawei_call_facts){
        .callid = span_text(v[0], scratch),
        .caller = span_text(v[1], scratch),
        .called = span_text(v[2], scratch),
        .calldata = span_text(v[3], scratch),
        .callfeature = span_int(v[4]),
        .begintime = span_int(v[5]),
        .endtime = span_int(v[6]),
        .answer_begin = span_int(t[0]),
        .talk_begin = span_int(t[1]),
        .talk_end = span_int(t[2]),
        .leave_reason = span_int(t[3]),
        .device_no = span_int(t[4]),
        .device_type = span_int(t[5]),
    };
    return f->callid && *f->callid && strlen(f->callid) < HUAWEI_CALLID_SIZE &&
           f->begintime != HUAWEI_NONE;
}

/* records.json kept as its own bytes when every record is written as cJSON prints it (the
 * shipped fixtures are): no tree is built and nothing printed. *fast false: the file is otherwise,
 * nothing was added, and the caller takes the exact path. */
static bool load_compact(struct huawei_state *st, struct mock_file_text *file, bool *fast,
                         char *err, size_t err_len)
{
    const char *text = file->text;
    size_t len = file->len;
    struct mock_json_text *spans;
    size_t n;
    *fast = false;
    if (!mock_json_canonical_elements(text, len, MOCK_JSON_PLAIN, &spans, &n))
        return false;
    /* The facts' strings, packed one after another: never more bytes than the text (each string
     * and its NUL take its quotes' place), and only the pages they fill are touched. */
    char *scratch = malloc(len + 1), *next = scratch;
    struct huawei_call_facts *facts = calloc(n ? n : 1, sizeof(*facts));
    bool ok = scratch && facts;
    for (size_t i = 0; ok && i < n; i++)
        ok = span_facts(spans[i], &next, &facts[i]);
    *fast = ok;
    /* The records stay in the file's pages, which the store keeps. */
    if (ok && !(ok = mock_store_keep_text(&st->records, file)))
        snprintf(err, err_len, "out of memory");
    for (size_t i = 0; ok && i < n; i++)
        ok = huawei_ingest_text(st, (char *)spans[i].text, spans[i].len, &facts[i], err, err_len);
    free(facts);
    free(scratch);
    free(spans);
    return ok;
}

bool huawei_load_records(struct huawei_state *st, const char *dir, char *err, size_t err_len)
{
    char path[4096];
    bool fast = false;
    snprintf(path, sizeof(path), "%s/records.json", dir);
    struct mock_file_text file;
    bool ok =
        mock_file_load(path, &file, err, err_len) && load_compact(st, &file, &fast, err, err_len);
    mock_file_release(&file);
    if (fast)
        return ok;
    cJSON *records = mock_load_json(dir, "records.json", err, err_len);
    if (records && !cJSON_IsArray(records))
        snprintf(err, err_len, "records.json must be an array");
    ok = cJSON_IsArray(records);
    const cJSON *r;
    cJSON_ArrayForEach(r, (ok ? records : NULL)) {
        if (!(ok = huawei_ingest_record(st, r, err, err_len)))
            break;
    }
    cJSON_Delete(records);
    return ok;
}

/* The facts of a call's fields, as its written text would give them. */
static void facts_of_spec(const struct huawei_call_spec *c, struct huawei_call_facts *f)
{
    *f = (struct huawei_call_facts){
        .callid = c->callid,
        .caller = c->caller,
        .called = c->called,
        .calldata = c->calldata,
        .callfeature = c->callfeature,
        .begintime = c->begintime,
        .endtime = c->endtime,
        .answer_begin = c->answer_begin,
        .talk_begin = c->talk_begin,
        .talk_end = c->talk_end,
        .leave_reason = c->leave_reason,
        .device_no = c->device_no,
        .device_type = c->device_type,
    };
}

static bool ingest_generated(void *ctx, const struct huawei_generated *g, char *err, size_t err_len)
{
    struct huawei_state *st = ctx;
    size_t index = st->records.count;
    struct huawei_call_facts f;
    facts_of_spec(&g->spec, &f);
    struct huawei_record_attrs *a = new_record_attrs(st, &f);
    if (!a || !mock_store_add(&st->records, g->start_s, (uint64_t)index, NULL, 0, a)) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    a->generated = true;
    a->replay = g->replay;
    a->seq = g->seq;
    a->order = index;
    return history_from_call(st, &f, index, a, err, err_len);
}

bool huawei_generate_history(struct huawei_state *st, int64_t n, uint64_t seed, int64_t anchor,
                             char *err, size_t err_len)
{
    return huawei_generate_records(st->agents, st->agent_count, n, seed, anchor, ingest_generated,
                                   st, err, err_len);
}

/* The store's renderers of generated calls and their history records: the same draws give the
 * same text. */
static bool render_call(const void *ctx, const struct mock_store_entry *e, struct cdr_buf *out)
{
    const struct huawei_state *st = ctx;
    const struct huawei_record_attrs *a = e->attrs;
    struct huawei_generated g;
    huawei_generate_again(st->agents, st->agent_count, a->replay, a->seq, e->start, &g);
    return huawei_call_write(&g.spec, out);
}

static bool render_cdr(const void *ctx, const struct mock_store_entry *e, struct cdr_buf *out)
{
    const struct huawei_state *st = ctx;
    const struct huawei_record_attrs *call =
        ((const struct huawei_cdr_attrs *)e->attrs)->generated_call;
    struct huawei_generated g;
    huawei_generate_again(st->agents, st->agent_count, call->replay, call->seq, e->start, &g);
    struct huawei_call_facts f;
    struct huawei_cdr_spec c;
    struct huawei_cdr_text text;
    facts_of_spec(&g.spec, &f);
    return huawei_cdr_of_facts(st, &f, call->order, &c, &text) &&
           huawei_cdr_write(&c, st->history_strings, out);
}

void huawei_dataset_init(struct huawei_state *st)
{
    mock_arena_init(&st->arena);
    mock_store_init(&st->records, NULL); /* attrs: the arena's */
    mock_store_init(&st->history, NULL);
    st->records.render = render_call;
    st->records.render_ctx = st;
    st->history.render = render_cdr;
    st->history.render_ctx = st;
}

void huawei_dataset_clear(struct huawei_state *st)
{
    mock_store_free(&st->records);
    mock_store_free(&st->history);
    mock_arena_free(&st->arena);
}

/* Record i of the call history as the last-call answer (caller frees); NULL when out of memory. */
static char *last_call_of(const struct huawei_state *st, size_t i)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cJSON *obj = mock_store_append_json(&st->records, &st->records.entries[i], &b)
                     ? cJSON_ParseWithLength(b.data, b.len)
                     : NULL;
    cdr_buf_free(&b);
    char *json = obj ? huawei_render_last_call(obj, st->lastcall_trace_full) : NULL;
    cJSON_Delete(obj);
    return json;
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
    for (size_t i = 0; i < st->agent_count; i++) {
        st->agents[i].history_last = SIZE_MAX;
        free(st->agents[i].last_json);
        st->agents[i].last_json = NULL;
    }
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
    /* The last-call answer only for the calls that can be one: each agent's latest. */
    for (size_t i = 0; i < st->agent_count; i++)
        if (st->agents[i].history_last != SIZE_MAX &&
            !(st->agents[i].last_json = last_call_of(st, st->agents[i].history_last))) {
            snprintf(err, err_len, "out of memory");
            return false;
        }
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
    return add_example(ctx, copy, (int)type, err, err_len);
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
    return mock_store_dump(&st->records);
}
