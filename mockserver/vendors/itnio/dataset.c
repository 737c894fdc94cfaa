/* ITNIO data: credentials, agent groups and agents from fixtures; call records from fixtures or
 * the generator, indexed per filter field. Records from fixtures and the control plane are
 * rendered once; generated ones keep only their filter fields (in the dataset's arena) and the
 * generator's state, and are drawn and written again when a page shows them: a million records
 * rendered would take a gigabyte. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../fileio.h"
#include "../../jsonval.h"
#include "cdrsim/timefmt.h"
#include "internal.h"

static const struct itnio_group *find_group_by_name(const struct itnio_roster *roster,
                                                    const char *name)
{
    for (size_t i = 0; name && i < roster->group_count; i++)
        if (strcmp(roster->groups[i].name, name) == 0)
            return &roster->groups[i];
    return NULL;
}

static const struct itnio_seat *find_seat_by_name(const struct itnio_roster *roster,
                                                  const char *name)
{
    for (size_t i = 0; name && i < roster->seat_count; i++)
        if (strcmp(roster->seats[i].name, name) == 0)
            return &roster->seats[i];
    return NULL;
}

static const struct itnio_group *find_group(const struct itnio_roster *roster, int64_t id)
{
    for (size_t i = 0; i < roster->group_count; i++)
        if (roster->groups[i].id == id)
            return &roster->groups[i];
    return NULL;
}

static bool set_number(cJSON *obj, const char *key, double value)
{
    cJSON *n = cJSON_CreateNumber(value);
    if (!n)
        return false;
    if (cJSON_GetObjectItemCaseSensitive(obj, key))
        return cJSON_ReplaceItemInObjectCaseSensitive(obj, key, n);
    return cJSON_AddItemToObject(obj, key, n);
}

static bool set_string(cJSON *obj, const char *key, const char *value)
{
    cJSON *s = cJSON_CreateString(value);
    if (!s)
        return false;
    if (cJSON_GetObjectItemCaseSensitive(obj, key))
        return cJSON_ReplaceItemInObjectCaseSensitive(obj, key, s);
    return cJSON_AddItemToObject(obj, key, s);
}

static bool load_groups(struct itnio_roster *roster, cJSON *list, char *err, size_t err_len)
{
    size_t n = (size_t)cJSON_GetArraySize(list);
    roster->groups = calloc(n ? n : 1, sizeof(*roster->groups));
    if (!roster->groups) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    const cJSON *g;
    cJSON_ArrayForEach(g, list) {
        int64_t id;
        const char *name;
        if (mock_jv_int(g, "voiceGroupId", &id) != MOCK_JV_OK ||
            mock_jv_string(g, "groupName", &name) != MOCK_JV_OK) {
            snprintf(err, err_len,
                     "groups.json: entry %zu needs integer voiceGroupId and string groupName",
                     roster->group_count);
            return false;
        }
        if (find_group(roster, id)) {
            snprintf(err, err_len, "groups.json: voiceGroupId %lld appears twice", (long long)id);
            return false;
        }
        roster->groups[roster->group_count].id = id;
        if (!(roster->groups[roster->group_count++].name = strdup(name))) {
            snprintf(err, err_len, "out of memory");
            return false;
        }
    }
    return true;
}

/* An agent's record as the agent query lists it, without its closing brace: the query appends
 * the call statistics of its window. */
static char *render_seat(const cJSON *s)
{
    char *json = cJSON_PrintUnformatted(s);
    size_t len = json ? strlen(json) : 0;
    if (len >= 2 && json[len - 1] == '}')
        json[len - 1] = '\0';
    return json;
}

static bool load_seats(struct itnio_roster *roster, cJSON *list, char *err, size_t err_len)
{
    size_t n = (size_t)cJSON_GetArraySize(list);
    roster->seats = calloc(n ? n : 1, sizeof(*roster->seats));
    if (!roster->seats) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    cJSON *s;
    cJSON_ArrayForEach(s, list) {
        struct itnio_seat *seat = &roster->seats[roster->seat_count];
        const char *name;
        if (mock_jv_int(s, "keyId", &seat->id) != MOCK_JV_OK ||
            mock_jv_string(s, "name", &name) != MOCK_JV_OK ||
            mock_jv_int(s, "voiceGroupId", &seat->group_id) != MOCK_JV_OK) {
            snprintf(err, err_len,
                     "seats.json: entry %zu needs integer keyId, voiceGroupId and string name",
                     roster->seat_count);
            return false;
        }
        const struct itnio_group *g = find_group(roster, seat->group_id);
        if (!g) {
            snprintf(err, err_len, "seats.json: agent %s is in unknown group %lld", name,
                     (long long)seat->group_id);
            return false;
        }
        if (mock_jv_int(s, "enable", &seat->enable) != MOCK_JV_OK)
            seat->enable = 0;
        if (mock_jv_int(s, "status", &seat->status) != MOCK_JV_OK)
            seat->status = 1;
        /* Counted before anything is allocated, so itnio_dataset_free frees what a failure
         * halfway through this agent leaves. */
        roster->seat_count++;
        /* The group's name is the group's, whatever the file says: group and agent queries agree.
         */
        if (!(seat->name = strdup(name)) || !set_string(s, "groupName", g->name) ||
            !(seat->json = render_seat(s))) {
            snprintf(err, err_len, "out of memory");
            return false;
        }
    }
    return true;
}

/* The members of a group's basic settings (https://kxnrh7nfk8zwevuu.itniotech.com/api/call/
 * basicSettingResp) after its id, in the example's order, and the JSON type each has. */
enum setting_kind { SETTING_INT, SETTING_STRING, SETTING_STRINGS };
static const struct {
    const char *name;
    enum setting_kind kind;
} settings_members[] = {
    {"groupName", SETTING_STRING},        {"appName", SETTING_STRING},
    {"callinStrategy", SETTING_INT},      {"timeoutTransferSec", SETTING_INT},
    {"callinAutoAnswerSec", SETTING_INT}, {"wrapUpTime", SETTING_INT},
    {"timeoutIdle", SETTING_INT},         {"timeoutWaitSec", SETTING_INT},
    {"turnSeatRing", SETTING_STRING},     {"turnSeatRingUrl", SETTING_STRING},
    {"labelName", SETTING_STRINGS},       {"displaySwitch", SETTING_INT},
    {"encryptNumber", SETTING_INT},       {"fsNode", SETTING_STRING},
};

static bool setting_fits(const cJSON *v, enum setting_kind kind)
{
    const cJSON *e;
    switch (kind) {
    case SETTING_INT:
        return cJSON_IsNumber(v) && fabs(v->valuedouble) < 2147483648.0 &&
               v->valuedouble == floor(v->valuedouble);
    case SETTING_STRING:
        return cJSON_IsString(v);
    case SETTING_STRINGS:
        if (!cJSON_IsArray(v))
            return false;
        cJSON_ArrayForEach(e, v)
            if (!cJSON_IsString(e))
                return false;
        return true;
    }
    return false;
}

/* The group's settings, every documented member in order (null where the file has none), as the
 * inner members of an object; the group's own groupName, appName and callinStrategy win over the
 * settings object's. */
static char *render_settings(const cJSON *group, const cJSON *settings, char *err, size_t err_len)
{
    cJSON *out = cJSON_CreateObject();
    bool ok = out != NULL;
    for (size_t i = 0; ok && i < sizeof(settings_members) / sizeof(settings_members[0]); i++) {
        const char *name = settings_members[i].name;
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(group, name);
        if (!v || i > 2)
            v = cJSON_GetObjectItemCaseSensitive(settings, name);
        if (v && !cJSON_IsNull(v) && !setting_fits(v, settings_members[i].kind)) {
            snprintf(err, err_len, "groups.json: group %s: settings member %s has the wrong type",
                     cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(group, "groupName")),
                     name);
            cJSON_Delete(out);
            return NULL;
        }
        cJSON *copy = v ? cJSON_Duplicate(v, true) : cJSON_CreateNull();
        ok = copy && cJSON_AddItemToObject(out, name, copy);
    }
    char *json = ok ? cJSON_PrintUnformatted(out) : NULL;
    cJSON_Delete(out);
    if (!json) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    size_t len = strlen(json); /* "{...}" -> "..." */
    memmove(json, json + 1, len - 2);
    json[len - 2] = '\0';
    return json;
}

static bool render_groups(struct itnio_roster *roster, cJSON *list, char *err, size_t err_len)
{
    cJSON *g;
    size_t i = 0;
    cJSON_ArrayForEach(g, list) {
        struct itnio_group *group = &roster->groups[i++];
        int64_t seats = 0;
        for (size_t k = 0; k < roster->seat_count; k++)
            seats += roster->seats[k].group_id == group->id;
        /* The settings are the basicSettingResp call's, not members of the group list's entries. */
        cJSON *settings = cJSON_DetachItemFromObjectCaseSensitive(g, "settings");
        if (settings && !cJSON_IsObject(settings)) {
            snprintf(err, err_len, "groups.json: group %s: settings must be an object",
                     group->name);
            cJSON_Delete(settings);
            return false;
        }
        group->settings_json = render_settings(g, settings, err, err_len);
        cJSON_Delete(settings);
        if (!group->settings_json)
            return false;
        if (!set_number(g, "countSeat", (double)seats) ||
            !(group->json = cJSON_PrintUnformatted(g))) {
            snprintf(err, err_len, "out of memory");
            return false;
        }
    }
    return true;
}

static bool load_roster(struct itnio_roster *roster, const char *dir, char *err, size_t err_len)
{
    cJSON *groups = mock_load_json(dir, "groups.json", err, err_len);
    cJSON *seats = groups ? mock_load_json(dir, "seats.json", err, err_len) : NULL;
    bool ok = groups && seats;
    if (ok && (!cJSON_IsArray(groups) || !cJSON_IsArray(seats))) {
        snprintf(err, err_len, "groups.json and seats.json must be arrays");
        ok = false;
    }
    ok = ok && load_groups(roster, groups, err, err_len) &&
         load_seats(roster, seats, err, err_len) && render_groups(roster, groups, err, err_len);
    cJSON_Delete(groups);
    cJSON_Delete(seats);
    return ok;
}

/* ---- records ----------------------------------------------------------------------------------
 */

static void free_attrs(void *attrs)
{
    struct itnio_attrs *a = attrs;
    if (!a || a->generated) /* the arena's */
        return;
    free(a->labels);
    free(a->recordings);
    free(a->recording_hashes);
    free(a->strings);
    free(a);
}

/* Copies the items into the block at *p; *slots gets the copies (malloc'd; NULL when none). */
static bool place(const char **items, size_t count, char **p, const char ***slots)
{
    *slots = count ? calloc(count, sizeof(**slots)) : NULL;
    if (count && !*slots)
        return false;
    for (size_t i = 0; i < count; i++) {
        (*slots)[i] = *p;
        *p = stpcpy(*p, items[i]) + 1;
    }
    return true;
}

/* The recording keys of a record: voiceUrl, then voiceUrlList's, each once. */
static size_t recording_keys(const struct itnio_record_view *v, const char **out)
{
    size_t n = 0;
    for (size_t i = 0; i <= v->url_count; i++) {
        const char *key = i == 0 ? v->voice_url : v->urls[i - 1];
        bool seen = !key || !*key;
        for (size_t k = 0; k < n && !seen; k++)
            seen = strcmp(out[k], key) == 0;
        if (!seen)
            out[n++] = key;
    }
    return n;
}

/* Copies the strings a filter or a recording lookup needs into one block owned by the attrs. */
static bool pack_strings(struct itnio_attrs *a, const struct itnio_record_view *v)
{
    const char **recordings = malloc((v->url_count + 1) * sizeof(*recordings));
    if (!recordings)
        return false;
    size_t recording_count = recording_keys(v, recordings);
    size_t total = 0;
    for (size_t i = 0; i < ITNIO_VIEW_TEXTS; i++)
        total += v->texts[i] ? strlen(v->texts[i]) + 1 : 0;
    for (size_t i = 0; i < v->label_count; i++)
        total += strlen(v->labels[i]) + 1;
    for (size_t i = 0; i < recording_count; i++)
        total += strlen(recordings[i]) + 1;
    if (!(a->strings = malloc(total ? total : 1))) {
        free(recordings);
        return false;
    }
    char *p = a->strings;
    const char **slots[ITNIO_VIEW_TEXTS] = {&a->sip_group_name, &a->seat_name, &a->called,
                                            &a->encrypt_called, &a->caller,    &a->ccode};
    for (size_t i = 0; i < ITNIO_VIEW_TEXTS; i++) {
        if (!v->texts[i])
            continue;
        *slots[i] = p;
        p = stpcpy(p, v->texts[i]) + 1;
    }
    bool ok = place(v->labels, v->label_count, &p, &a->labels) &&
              place(recordings, recording_count, &p, &a->recordings);
    a->label_count = ok ? v->label_count : 0;
    if (ok && recording_count) {
        a->recording_hashes = calloc(recording_count, sizeof(*a->recording_hashes));
        ok = a->recording_hashes != NULL;
        for (size_t i = 0; ok && i < recording_count; i++)
            a->recording_hashes[i] = itnio_key_hash(a->recordings[i]);
        a->recording_count = ok ? recording_count : 0;
    }
    free(recordings);
    return ok;
}

bool itnio_dataset_time(const char *text, int64_t *out)
{
    return cdr_time_parse_local(text, CDR_CHINA_OFFSET_SECONDS, out) ||
           cdr_time_parse_iso8601(text, CDR_CHINA_OFFSET_SECONDS, out);
}

bool itnio_dataset_ingest_view(struct itnio_state *st, const struct itnio_record_view *v,
                               char *json, size_t json_len, char *err, size_t err_len)
{
    size_t index = st->records.count;
    int64_t start;
    if (!v->has_key_id) {
        mock_store_release_json(&st->records, json);
        snprintf(err, err_len, "record %zu: needs an integer keyId", index);
        return false;
    }
    if (!v->start_time || !itnio_dataset_time(v->start_time, &start)) {
        mock_store_release_json(&st->records, json);
        snprintf(err, err_len, "record keyId %lld: callStartTime is not a time",
                 (long long)v->key_id);
        return false;
    }
    struct itnio_attrs *a = json ? calloc(1, sizeof(*a)) : NULL;
    if (!a || !pack_strings(a, v)) {
        free_attrs(a);
        mock_store_release_json(&st->records, json);
        snprintf(err, err_len, "out of memory");
        return false;
    }
    a->key_id = v->key_id;
    a->talk_seconds = v->duration;
    a->answered = v->answered;
    a->call_type = v->call_type;
    a->hangup_reason = v->hangup_reason;
    a->hanging_direction = v->direction;
    a->voice_group_id = v->group_id;
    /* The query page's example record has no voiceGroupId: derive it from the group's name. */
    if (a->voice_group_id == ITNIO_ABSENT) {
        const struct itnio_group *g = find_group_by_name(&st->roster, a->sip_group_name);
        a->voice_group_id = g ? g->id : ITNIO_ABSENT;
    }
    const struct itnio_seat *seat = find_seat_by_name(&st->roster, a->seat_name);
    a->seat_id = seat ? seat->id : ITNIO_ABSENT;
    if (!mock_store_add(&st->records, start, (uint64_t)v->key_id, json, json_len, a)) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    return true;
}

static const char *text_of(const cJSON *r, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(r, key);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

static int64_t int_of(const cJSON *r, const char *key)
{
    int64_t v;
    return mock_jv_int(r, key, &v) == MOCK_JV_OK ? v : ITNIO_ABSENT;
}

/* A list member's non-empty strings (borrowed) into *out (malloc'd, caller frees); false when
 * out of memory. */
static bool list_of(const cJSON *r, const char *key, const char ***out, size_t *count)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(r, key);
    const cJSON *e;
    *count = 0;
    *out =
        malloc(((cJSON_IsArray(list) ? (size_t)cJSON_GetArraySize(list) : 0) + 1) * sizeof(**out));
    if (!*out)
        return false;
    cJSON_ArrayForEach(e, (cJSON_IsArray(list) ? list : NULL)) {
        if (cJSON_IsString(e) && e->valuestring[0])
            (*out)[(*count)++] = e->valuestring;
    }
    return true;
}

bool itnio_dataset_ingest(struct itnio_state *st, const cJSON *r, char *err, size_t err_len)
{
    struct itnio_record_view v = {0};
    v.has_key_id = cJSON_IsObject(r) && mock_jv_int(r, "keyId", &v.key_id) == MOCK_JV_OK;
    if (v.has_key_id && mock_jv_string(r, "callStartTime", &v.start_time) != MOCK_JV_OK)
        v.start_time = NULL;
    static const char *const text_keys[ITNIO_VIEW_TEXTS] = {"sipGroupName",  "seatName", "called",
                                                            "encryptCalled", "caller",   "ccode"};
    for (size_t i = 0; i < ITNIO_VIEW_TEXTS; i++)
        v.texts[i] = text_of(r, text_keys[i]);
    v.voice_url = text_of(r, "voiceUrl");
    const char *answer = text_of(r, "calledAnswerTime");
    v.answered = answer && answer[0];
    v.duration = int_of(r, "callDuration");
    v.call_type = int_of(r, "callType");
    v.hangup_reason = int_of(r, "hangupReason");
    v.direction = int_of(r, "hangingDirection");
    v.group_id = int_of(r, "voiceGroupId");
    bool ok = list_of(r, "labelNameList", &v.labels, &v.label_count) &&
              list_of(r, "voiceUrlList", &v.urls, &v.url_count);
    char *json = ok && v.has_key_id && v.start_time ? cJSON_PrintUnformatted(r) : NULL;
    if (!ok || (v.has_key_id && v.start_time && !json)) {
        snprintf(err, err_len, "out of memory");
        ok = false;
    } else {
        ok = itnio_dataset_ingest_view(st, &v, json, json ? strlen(json) : 0, err, err_len);
    }
    free(v.labels);
    free(v.urls);
    return ok;
}

/* A generated record's filter fields, in the arena; the strings it shares with the roster or the
 * generator's tables are pointed at, not copied. */
static struct itnio_attrs *generated_attrs(struct itnio_state *st, const struct itnio_generated *g)
{
    struct mock_arena *arena = &st->arena;
    struct itnio_attrs *a = mock_arena_alloc(arena, sizeof(*a));
    if (!a)
        return NULL;
    *a = (struct itnio_attrs){.generated = true, .replay = g->replay};
    bool inbound = g->call_type == 2;
    const char *callee = inbound ? g->company : g->customer;
    const char *caller = inbound ? g->customer : g->company;
    a->encrypt_called = mock_arena_strndup(arena, callee, strlen(callee));
    a->called = g->encrypted ? NULL : a->encrypt_called;
    a->caller = mock_arena_strndup(arena, caller, strlen(caller));
    if (!a->encrypt_called || !a->caller)
        return NULL;
    a->key_id = g->key_id;
    a->talk_seconds = g->talk;
    a->answered = g->answered;
    a->call_type = g->call_type;
    a->hangup_reason = g->reason;
    a->hanging_direction = g->direction;
    a->voice_group_id = g->seat->group_id;
    a->sip_group_name = g->group ? g->group->name : "";
    a->seat_name = g->seat->name;
    const struct itnio_seat *seat = find_seat_by_name(&st->roster, a->seat_name);
    a->seat_id = seat ? seat->id : ITNIO_ABSENT;
    a->ccode = g->ccode;
    a->labels = g->labels;
    a->label_count = g->label_count;
    if (g->answered) {
        const char **recordings = mock_arena_alloc(arena, sizeof(*recordings));
        uint64_t *hashes = mock_arena_alloc(arena, sizeof(*hashes));
        if (!recordings || !hashes ||
            !(recordings[0] = mock_arena_strndup(arena, g->url, strlen(g->url))))
            return NULL;
        hashes[0] = itnio_key_hash(recordings[0]);
        a->recordings = recordings;
        a->recording_hashes = hashes;
        a->recording_count = 1;
    }
    return a;
}

static bool ingest_generated(void *ctx, const struct itnio_generated *g, char *err, size_t err_len)
{
    struct itnio_state *st = ctx;
    struct itnio_attrs *a = generated_attrs(st, g);
    if (!a || !mock_store_add(&st->records, g->start, (uint64_t)g->key_id, NULL, 0, a)) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    return true;
}

/* The store's renderer of generated records: the same draws give the same text. */
static bool render_generated(const void *ctx, const struct mock_store_entry *e, struct cdr_buf *out)
{
    const struct itnio_state *st = ctx;
    const struct itnio_attrs *a = e->attrs;
    struct itnio_generated g;
    itnio_generate_again(&st->roster, a->replay, (int64_t)e->order, e->start, &g);
    return itnio_generate_render(&g, out);
}

static bool load_records(struct itnio_state *st, const char *dir, char *err, size_t err_len)
{
    char path[4096];
    struct mock_file_text kept = {0}, scratch = {0};
    bool loaded = (size_t)snprintf(path, sizeof(path), "%s/records.json", dir) < sizeof(path) &&
                  mock_file_load(path, &kept, err, err_len) &&
                  mock_file_load(path, &scratch, err, err_len);
    /* Two copies of the file (the same bytes, unless it changed in between: then the tree's way):
     * the records keep theirs in kept (the store keeps it), while the reader ends the strings it
     * reads in place in scratch. */
    int scanned =
        loaded && scratch.len == kept.len && memcmp(scratch.text, kept.text, kept.len) == 0
            ? itnio_fixture_scan(st, scratch.text, scratch.len, &kept, err, err_len)
            : -1;
    mock_file_release(&scratch);
    mock_file_release(&kept);
    if (scanned >= 0)
        return scanned == 1;
    /* Not the plain array the reader knows (or unreadable): the tree's loader and its errors. */
    cJSON *records = mock_load_json(dir, "records.json", err, err_len);
    if (records && !cJSON_IsArray(records))
        snprintf(err, err_len, "records.json must be an array");
    bool ok = cJSON_IsArray(records);
    const cJSON *r;
    cJSON_ArrayForEach(r, (ok ? records : NULL)) {
        if (!(ok = itnio_dataset_ingest(st, r, err, err_len)))
            break;
    }
    cJSON_Delete(records);
    return ok;
}

/* ---- credentials ------------------------------------------------------------------------------
 */

static bool add_credential(struct itnio_state *st, const cJSON *entry)
{
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(entry, "api_key");
    const cJSON *secret = cJSON_GetObjectItemCaseSensitive(entry, "api_secret");
    if (!cJSON_IsString(key) || !cJSON_IsString(secret) || !key->valuestring[0])
        return false;
    struct itnio_credential *grown =
        realloc(st->credentials, (st->credential_count + 1) * sizeof(*grown));
    if (!grown)
        return false;
    st->credentials = grown;
    grown[st->credential_count].key = strdup(key->valuestring);
    grown[st->credential_count].secret = strdup(secret->valuestring);
    st->credential_count++;
    return grown[st->credential_count - 1].key && grown[st->credential_count - 1].secret;
}

static bool add_credentials(struct itnio_state *st, const cJSON *list, const char *where, char *err,
                            size_t err_len)
{
    const cJSON *entry;
    if (!cJSON_IsArray(list)) {
        snprintf(err, err_len, "%s: credentials must be an array of {api_key, api_secret}", where);
        return false;
    }
    cJSON_ArrayForEach(entry, list) {
        if (!add_credential(st, entry)) {
            snprintf(err, err_len, "%s: each credential needs string api_key and api_secret",
                     where);
            return false;
        }
    }
    return true;
}

/* ---- the whole dataset ------------------------------------------------------------------------
 */

bool itnio_dataset_load(struct itnio_state *st, const struct mock_vendor_load *load, char *err,
                        size_t err_len)
{
    mock_store_init(&st->records, free_attrs);
    st->records.render = render_generated;
    st->records.render_ctx = st;
    mock_arena_init(&st->arena);
    cJSON *creds = mock_load_json(load->data_dir, "credentials.json", err, err_len);
    bool ok = creds && add_credentials(st, creds, "credentials.json", err, err_len);
    cJSON_Delete(creds);
    const cJSON *extra = cJSON_GetObjectItemCaseSensitive(load->settings, "credentials");
    if (ok && extra)
        ok = add_credentials(st, extra, "--config itnio.credentials", err, err_len);
    ok = ok && load_roster(&st->roster, load->data_dir, err, err_len);
    if (ok && load->generate_count >= 0)
        ok = itnio_generate_records(&st->roster, load->generate_count, load->seed, load->anchor,
                                    ingest_generated, st, err, err_len);
    else if (ok)
        ok = load_records(st, load->data_dir, err, err_len);
    if (ok) {
        mock_store_sort(&st->records);
        itnio_filters_build(st);
    }
    return ok;
}

void itnio_dataset_clear_records(struct itnio_state *st)
{
    itnio_filters_free(st);
    mock_store_free(&st->records);
    mock_arena_free(&st->arena);
}

void itnio_dataset_free(struct itnio_state *st)
{
    itnio_dataset_clear_records(st);
    itnio_numbers_free(st);
    for (size_t i = 0; i < st->roster.group_count; i++) {
        free(st->roster.groups[i].name);
        free(st->roster.groups[i].json);
        free(st->roster.groups[i].settings_json);
    }
    free(st->roster.groups);
    for (size_t i = 0; i < st->roster.seat_count; i++) {
        free(st->roster.seats[i].name);
        free(st->roster.seats[i].json);
    }
    free(st->roster.seats);
    for (size_t i = 0; i < st->credential_count; i++) {
        free(st->credentials[i].key);
        free(st->credentials[i].secret);
    }
    free(st->credentials);
}
