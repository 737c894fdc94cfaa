/* Live calls: the call objects the admin endpoints and the built-in scenario start, hold and end
 * on an agent's device, each kept in its two renderings (as it is, and as the "last call"). The
 * call history of the fixtures is dataset.c's; a callid is unique per agent across both. */
#include <stdlib.h>
#include <string.h>

#include "../../fileio.h"
#include "../../jsonval.h"
#include "cdrsim/timefmt.h"
#include "internal.h"

#define MAX_DURATION_S (7 * 86400)

bool huawei_call_render(const struct huawei_state *st, struct huawei_call *call)
{
    char *json = cJSON_PrintUnformatted(call->obj);
    char *last = json ? huawei_render_last_call(call->obj, st->lastcall_trace_full) : NULL;
    if (!last) {
        free(json);
        return false;
    }
    free(call->json);
    free(call->last_json);
    call->json = json;
    call->last_json = last;
    return true;
}

struct huawei_call *huawei_call_new(const struct huawei_state *st, cJSON *obj)
{
    struct huawei_call *call = calloc(1, sizeof(*call));
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(obj, "callid");
    if (!call || !cJSON_IsString(id)) {
        free(call);
        cJSON_Delete(obj);
        return NULL;
    }
    call->obj = obj;
    snprintf(call->callid, sizeof(call->callid), "%s", id->valuestring);
    if (!huawei_call_render(st, call)) {
        huawei_call_free(call);
        return NULL;
    }
    return call;
}

void huawei_call_free(struct huawei_call *call)
{
    if (!call)
        return;
    cJSON_Delete(call->obj);
    free(call->json);
    free(call->last_json);
    free(call);
}

/* ---- the agent's calls: held list, ring of ended calls, callid index ----------------------- */

/* FNV-1a: ids are short; an index needs only an even spread, audio only a stable seed. */
uint64_t huawei_text_hash(const char *text)
{
    uint64_t h = 14695981039346656037ULL;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

static size_t callid_hash(const char *id)
{
    return (size_t)huawei_text_hash(id);
}

/* The slot holding callid, or the empty slot where it would go. */
static size_t index_slot(const struct huawei_call_index *ix, const char *callid)
{
    size_t i = callid_hash(callid) & (ix->cap - 1);
    while (ix->slots[i] && strcmp(ix->slots[i]->callid, callid) != 0)
        i = (i + 1) & (ix->cap - 1);
    return i;
}

static bool index_grow(struct huawei_call_index *ix)
{
    size_t cap = ix->cap ? ix->cap * 2 : 16;
    struct huawei_call **old = ix->slots;
    size_t old_cap = ix->cap;
    if (!(ix->slots = calloc(cap, sizeof(*ix->slots)))) {
        ix->slots = old;
        return false;
    }
    ix->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i])
            ix->slots[index_slot(ix, old[i]->callid)] = old[i];
    free(old);
    return true;
}

static bool index_add(struct huawei_call_index *ix, struct huawei_call *call)
{
    /* A load under a half keeps probes short. */
    if ((ix->count + 1) * 2 > ix->cap && !index_grow(ix))
        return false;
    ix->slots[index_slot(ix, call->callid)] = call;
    ix->count++;
    return true;
}

/* Removes the call with this id; the entries after it in its probe run move back (no
 * tombstones, so a long-running agent's index never fills with them). */
static void index_remove(struct huawei_call_index *ix, const char *callid)
{
    if (!ix->cap)
        return;
    size_t hole = index_slot(ix, callid);
    if (!ix->slots[hole])
        return;
    ix->slots[hole] = NULL;
    ix->count--;
    for (size_t i = (hole + 1) & (ix->cap - 1); ix->slots[i]; i = (i + 1) & (ix->cap - 1)) {
        size_t home = callid_hash(ix->slots[i]->callid) & (ix->cap - 1);
        /* The entry may fill the hole when its home is not cyclically within (hole, i]. */
        bool stays = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
        if (!stays) {
            ix->slots[hole] = ix->slots[i];
            ix->slots[i] = NULL;
            hole = i;
        }
    }
}

const struct huawei_call *huawei_find_call(const struct huawei_agent *agent, const char *callid)
{
    const struct huawei_call_index *ix = &agent->calls;
    return ix->cap ? ix->slots[index_slot(ix, callid)] : NULL;
}

bool huawei_hold_current(struct huawei_agent *agent)
{
    struct huawei_call_list *held = &agent->held;
    if (!agent->current || held->count >= HUAWEI_MAX_HELD)
        return false;
    struct huawei_call **grown = realloc(held->items, (held->count + 1) * sizeof(*grown));
    if (!grown)
        return false;
    held->items = grown;
    grown[held->count++] = agent->current;
    agent->current = NULL;
    return true;
}

bool huawei_end_current(const struct huawei_state *st, struct huawei_agent *agent)
{
    struct huawei_call_ring *ring = &agent->ended;
    if (!agent->current)
        return false;
    if (!ring->slots) {
        ring->cap = st->call_history;
        if (!(ring->slots = calloc(ring->cap, sizeof(*ring->slots))))
            return false;
    }
    if (ring->count == ring->cap) { /* the oldest is forgotten */
        struct huawei_call *oldest = ring->slots[ring->head];
        index_remove(&agent->calls, oldest->callid);
        huawei_call_free(oldest);
        ring->head = (ring->head + 1) % ring->cap;
        ring->count--;
    }
    ring->slots[(ring->head + ring->count) % ring->cap] = agent->current;
    ring->count++;
    agent->current = NULL;
    return true;
}

const struct huawei_call *huawei_last_ended(const struct huawei_agent *agent)
{
    const struct huawei_call_ring *ring = &agent->ended;
    return ring->count ? ring->slots[(ring->head + ring->count - 1) % ring->cap] : NULL;
}

size_t huawei_ended_count(const struct huawei_agent *agent)
{
    return agent->ended.count;
}

void huawei_forget_ended(struct huawei_agent *agent)
{
    struct huawei_call_ring *ring = &agent->ended;
    for (size_t i = 0; i < ring->count; i++) {
        struct huawei_call *call = ring->slots[(ring->head + i) % ring->cap];
        index_remove(&agent->calls, call->callid);
        huawei_call_free(call);
    }
    ring->head = ring->count = 0; /* the slots stay, for the next call that ends */
}

void huawei_calls_free(struct huawei_agent *agent)
{
    huawei_call_free(agent->current);
    agent->current = NULL;
    for (size_t i = 0; i < agent->held.count; i++)
        huawei_call_free(agent->held.items[i]);
    free(agent->held.items);
    agent->held = (struct huawei_call_list){0};
    struct huawei_call_ring *ring = &agent->ended;
    for (size_t i = 0; i < ring->count; i++)
        huawei_call_free(ring->slots[(ring->head + i) % ring->cap]);
    free(ring->slots);
    *ring = (struct huawei_call_ring){0};
    free(agent->calls.slots);
    agent->calls = (struct huawei_call_index){0};
}

bool huawei_callid_taken(const struct huawei_state *st, const struct huawei_agent *agent,
                         const char *callid)
{
    return huawei_find_call(agent, callid) || huawei_find_record(st, agent->id, callid) != SIZE_MAX;
}

/* ---- starting a call from fields ------------------------------------------------------------- */

/* caller and called are typed int in the docs and strings in every example: take either. */
static enum mock_jv_result number_text(const cJSON *body, const char *key, char *out, size_t len)
{
    int64_t n;
    const char *text;
    enum mock_jv_result r = mock_jv_int(body, key, &n);
    if (r == MOCK_JV_OK)
        snprintf(out, len, "%lld", (long long)n);
    else if ((r = mock_jv_string(body, key, &text)) == MOCK_JV_OK)
        snprintf(out, len, "%s", text);
    return r;
}

static bool known_key(const char *key)
{
    static const char *const keys[] = {
        "callfeature",   "callid",   "caller",       "called",       "callskill",    "callskillid",
        "orgicallednum", "calldata", "userPriority", "trunkNo",      "logontimes",   "mediaType",
        "mediaAbility",  "waitTime", "enterReason",  "ring_seconds", "talk_seconds", "recorded",
    };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strcmp(keys[i], key) == 0)
            return true;
    return false;
}

static bool in_range(enum mock_jv_result r, int64_t v, int64_t lo, int64_t hi)
{
    return r != MOCK_JV_OK || (v >= lo && v <= hi);
}

/* Reads the admin fields over the callinfo page example's values. NULL when fine, else why not. */
static const char *read_fields(const cJSON *body, struct huawei_call_spec *c, char *caller,
                               char *called, size_t number_len, int64_t *ring_s, int64_t *talk_s,
                               bool *recorded)
{
    /* The callinfo page's example call, field for field, is the default. */
    *c = (struct huawei_call_spec){.callfeature = 0,
                                   .callid = NULL,
                                   .caller = caller,
                                   .called = called,
                                   .callskill = "voice",
                                   .orgicallednum = "",
                                   .calldata = "",
                                   .callskillid = 20011,
                                   .user_priority = 0,
                                   .trunk_no = 65535,
                                   .logontimes = 0,
                                   .media_type = 5,
                                   .media_ability = 1,
                                   .wait_time = 0,
                                   .device_type = 2,
                                   .direct_mode = "NORMAL_DIRECT",
                                   .enter_reason = 0};
    snprintf(caller, number_len, "70004");
    snprintf(called, number_len, "60015");
    *ring_s = *talk_s = 0;
    *recorded = true;
    if (!cJSON_IsObject(body))
        return "expected a JSON object of call fields";
    const cJSON *record = cJSON_GetObjectItemCaseSensitive(body, "recorded");
    if (record && !cJSON_IsBool(record))
        return "recorded is true or false";
    *recorded = !cJSON_IsFalse(record);
    const cJSON *item;
    cJSON_ArrayForEach(item, body) {
        if (!known_key(item->string))
            return "unknown call field (allowed: the callinfo fields callfeature..waitTime, "
                   "enterReason, ring_seconds, talk_seconds, recorded)";
    }
    enum mock_jv_result r[16];
    size_t n = 0;
    r[n++] = mock_jv_int(body, "callfeature", &c->callfeature);
    r[n++] = mock_jv_string(body, "callid", &c->callid);
    r[n++] = number_text(body, "caller", caller, number_len);
    r[n++] = number_text(body, "called", called, number_len);
    r[n++] = mock_jv_string(body, "callskill", &c->callskill);
    r[n++] = mock_jv_int(body, "callskillid", &c->callskillid);
    r[n++] = mock_jv_string(body, "orgicallednum", &c->orgicallednum);
    r[n++] = mock_jv_string(body, "calldata", &c->calldata);
    r[n++] = mock_jv_int(body, "userPriority", &c->user_priority);
    r[n++] = mock_jv_int(body, "trunkNo", &c->trunk_no);
    r[n++] = mock_jv_int(body, "logontimes", &c->logontimes);
    r[n++] = mock_jv_int(body, "mediaType", &c->media_type);
    r[n++] = mock_jv_int(body, "mediaAbility", &c->media_ability);
    enum mock_jv_result wait = r[n++] = mock_jv_int(body, "waitTime", &c->wait_time);
    enum mock_jv_result enter = r[n++] = mock_jv_int(body, "enterReason", &c->enter_reason);
    enum mock_jv_result ring = mock_jv_int(body, "ring_seconds", ring_s);
    enum mock_jv_result talk = mock_jv_int(body, "talk_seconds", talk_s);
    for (size_t i = 0; i < n; i++)
        if (r[i] == MOCK_JV_WRONG_TYPE)
            return "a call field has the wrong type (caller/called: string or integer; callid, "
                   "callskill, "
                   "orgicallednum, calldata: string; the rest: integer)";
    if (ring == MOCK_JV_WRONG_TYPE || talk == MOCK_JV_WRONG_TYPE ||
        !in_range(ring, *ring_s, 0, MAX_DURATION_S) ||
        !in_range(talk, *talk_s, 0, MAX_DURATION_S) ||
        !in_range(wait, c->wait_time, 0, MAX_DURATION_S))
        return "ring_seconds, talk_seconds and waitTime are integers from 0 to 604800";
    if (!in_range(enter, c->enter_reason, 0, 89))
        return "enterReason is a reason code from 0 to 89";
    if (c->callid &&
        (!*c->callid || strlen(c->callid) >= HUAWEI_CALLID_SIZE || strchr(c->callid, '/')))
        return "callid must be 1 to 63 characters without '/'";
    return NULL;
}

const char *huawei_start_call(struct huawei_state *st, struct huawei_agent *agent,
                              const cJSON *body, int64_t now_ms, int *status)
{
    struct huawei_call_spec c;
    char caller[64], called[64], callid[HUAWEI_CALLID_SIZE];
    int64_t ring_s, talk_s;
    bool recorded;
    *status = 400;
    const char *why =
        read_fields(body, &c, caller, called, sizeof(caller), &ring_s, &talk_s, &recorded);
    if (why)
        return why;
    *status = 409;
    if (agent->current)
        return "the agent already has a current call: end it or put it on hold first";
    if (c.callid && huawei_callid_taken(st, agent, c.callid))
        return "the agent already has a call with this callid";
    /* Timeline on the agent's device: queue, then ringing, then talk until now. */
    c.talk_begin = now_ms - talk_s * 1000;
    c.answer_begin = c.talk_begin - ring_s * 1000;
    c.answer_end = c.talk_begin;
    c.wait_end = c.answer_begin;
    c.wait_begin = c.wait_end - c.wait_time * 1000;
    c.begintime = c.answer_begin;
    c.endtime = c.talk_end = HUAWEI_NONE;
    c.leave_reason = HUAWEI_NONE;
    c.device_no = agent->id;
    c.vdn_id = agent->vdnid;
    if (!c.callid) { /* the gateway's form: the call's start in seconds, a sequence number */
        do
            snprintf(callid, sizeof(callid), "%lld-%llu", (long long)(c.begintime / 1000),
                     (unsigned long long)++st->call_seq);
        while (huawei_callid_taken(st, agent, callid));
        c.callid = callid;
    }
    *status = 500;
    cJSON *obj = huawei_call_object(&c);
    struct huawei_call *call = obj ? huawei_call_new(st, obj) : NULL;
    if (!call || !index_add(&agent->calls, call)) {
        huawei_call_free(call);
        return "out of memory";
    }
    call->recorded = recorded;
    call->record_task = (int64_t)(st->call_seq % 100000) + 5000;
    agent->current = call;
    *status = 201;
    return NULL;
}

static bool set_item(cJSON *obj, const char *key, cJSON *item)
{
    if (!item)
        return false;
    if (cJSON_GetObjectItemCaseSensitive(obj, key))
        return cJSON_ReplaceItemInObjectCaseSensitive(obj, key, item);
    return cJSON_AddItemToObject(obj, key, item);
}

bool huawei_call_leave_device(const struct huawei_state *st, struct huawei_call *call,
                              const char *mode, int64_t reason, int64_t end_ms)
{
    cJSON *trace = cJSON_GetObjectItemCaseSensitive(call->obj, "trace");
    bool ok = cJSON_IsObject(trace) &&
              set_item(trace, "callDirectMode", cJSON_CreateString(mode)) &&
              set_item(trace, "leaveReason", cJSON_CreateNumber((double)reason)) &&
              set_item(trace, "leaveReasonDesc", cJSON_CreateString(huawei_reason_text(reason)));
    if (ok && end_ms != HUAWEI_NONE)
        ok = set_item(trace, "talkEndTime", cJSON_CreateNumber((double)end_ms)) &&
             set_item(call->obj, "endtime", cJSON_CreateNumber((double)end_ms));
    return ok && huawei_call_render(st, call);
}

/* ---- recording files ------------------------------------------------------------------------ */

static int64_t trace_int(const cJSON *obj, const char *key, int64_t fallback)
{
    int64_t v;
    const cJSON *trace = cJSON_GetObjectItemCaseSensitive(obj, "trace");
    return mock_jv_int(trace, key, &v) == MOCK_JV_OK ? v : fallback;
}

int64_t huawei_talk_seconds(const cJSON *obj, int64_t now_ms)
{
    int64_t begin = trace_int(obj, "talkBeginTime", HUAWEI_NONE);
    int64_t end = trace_int(obj, "talkEndTime", HUAWEI_NONE), call_end;
    if (begin == HUAWEI_NONE)
        return 0;
    if (end == HUAWEI_NONE)
        end = mock_jv_int(obj, "endtime", &call_end) == MOCK_JV_OK ? call_end : now_ms;
    return end > begin ? (end - begin) / 1000 : 0;
}

bool huawei_record_file_name(const cJSON *obj, const char *callid, char *file, size_t file_len,
                             char *record_id, size_t record_id_len)
{
    int64_t skill, talk_ms = trace_int(obj, "talkBeginTime", HUAWEI_NONE);
    if (mock_jv_int(obj, "callskillid", &skill) != MOCK_JV_OK || talk_ms == HUAWEI_NONE)
        return false;
    int64_t vdn = trace_int(obj, "vdnId", 1);
    char local[32]; /* "YYYY-MM-DD HH:MM:SS", China time, as the switch names its folders */
    int64_t talk_s = talk_ms >= 0 ? talk_ms / 1000 : -((-talk_ms + 999) / 1000);
    cdr_time_format_local(talk_s, CDR_CHINA_OFFSET_SECONDS, local);
    char day[9] = {local[0], local[1], local[2], local[3], local[5],
                   local[6], local[8], local[9], 0};
    char clock[7] = {local[11], local[12], local[14], local[15], local[17], local[18], 0};
    int n = snprintf(file, file_len, "Y:/%lld/0/%s/%lld/%s.V3", (long long)vdn, day,
                     (long long)skill, callid);
    snprintf(record_id, record_id_len, "Yc1v%llda%lldd%st%s0", (long long)vdn, (long long)skill,
             day, clock);
    return n > 0 && (size_t)n < file_len;
}

bool huawei_record_file_callid(const char *file, char *callid, size_t len)
{
    /* Y:/<vdn>/0/<yyyymmdd>/<skill>/<callid>.V3 */
    const char *p = file;
    if (!(p[0] >= 'A' && p[0] <= 'Z') || p[1] != ':' || p[2] != '/')
        return false;
    p += 3;
    for (int part = 0; part < 4; part++) {
        size_t digits = strspn(p, "0123456789");
        if (!digits || p[digits] != '/' || (part == 2 && digits != 8))
            return false;
        p += digits + 1;
    }
    size_t n = strlen(p);
    if (n <= 3 || strcmp(p + n - 3, ".V3") != 0 || n - 3 >= len || memchr(p, '/', n))
        return false;
    memcpy(callid, p, n - 3);
    callid[n - 3] = '\0';
    return true;
}

/* ---- the built-in scenario ------------------------------------------------------------------- */

bool huawei_apply_scenario(struct huawei_state *st, const char *dir, int64_t anchor_ms, char *err,
                           size_t err_len)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/scenario.json", dir);
    FILE *probe = fopen(path, "rb");
    if (!probe)
        return true; /* optional: a dataset without a scenario starts with every agent idle */
    fclose(probe);
    cJSON *calls = mock_load_json(dir, "scenario.json", err, err_len);
    if (!calls)
        return false;
    bool ok = cJSON_IsArray(calls);
    if (!ok)
        snprintf(err, err_len,
                 "scenario.json must be an array of {\"agentid\": N, \"call\": {...}}");
    const cJSON *entry;
    cJSON_ArrayForEach(entry, (ok ? calls : NULL)) {
        int64_t id;
        struct huawei_agent *agent =
            mock_jv_int(entry, "agentid", &id) == MOCK_JV_OK ? huawei_find_agent(st, id) : NULL;
        int status;
        const char *why =
            agent ? huawei_start_call(st, agent, cJSON_GetObjectItemCaseSensitive(entry, "call"),
                                      anchor_ms, &status)
                  : "agentid must be an agent of agents.json";
        if (why) {
            snprintf(err, err_len, "scenario.json: %s", why);
            ok = false;
            break;
        }
    }
    cJSON_Delete(calls);
    return ok;
}
