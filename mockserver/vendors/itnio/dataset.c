/* ITNIO data: agent groups and agents from fixtures, call records indexed and rendered once. */
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "../../fileio.h"
#include "../../jsonval.h"
#include "cdrsim/timefmt.h"
#include "internal.h"

const struct itnio_group *itnio_find_group_by_name(const struct itnio_state *st, const char *name)
{
    for (size_t i = 0; name && i < st->group_count; i++)
        if (strcmp(st->groups[i].name, name) == 0)
            return &st->groups[i];
    return NULL;
}

const struct itnio_seat *itnio_find_seat_by_name(const struct itnio_state *st, const char *name)
{
    for (size_t i = 0; name && i < st->seat_count; i++)
        if (strcmp(st->seats[i].name, name) == 0)
            return &st->seats[i];
    return NULL;
}

static const struct itnio_group *find_group(const struct itnio_state *st, int64_t id)
{
    for (size_t i = 0; i < st->group_count; i++)
        if (st->groups[i].id == id)
            return &st->groups[i];
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

static bool load_groups(struct itnio_state *st, cJSON *list, char *err, size_t err_len)
{
    size_t n = (size_t)cJSON_GetArraySize(list);
    st->groups = calloc(n ? n : 1, sizeof(*st->groups));
    if (!st->groups) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    const cJSON *g;
    cJSON_ArrayForEach(g, list) {
        int64_t id;
        const char *name;
        if (jv_int(g, "voiceGroupId", &id) != JV_OK || jv_string(g, "groupName", &name) != JV_OK) {
            snprintf(err, err_len,
                     "groups.json: entry %zu needs integer voiceGroupId and string groupName",
                     st->group_count);
            return false;
        }
        if (find_group(st, id)) {
            snprintf(err, err_len, "groups.json: voiceGroupId %lld appears twice", (long long)id);
            return false;
        }
        st->groups[st->group_count].id = id;
        if (!(st->groups[st->group_count++].name = strdup(name))) {
            snprintf(err, err_len, "out of memory");
            return false;
        }
    }
    return true;
}

static bool load_seats(struct itnio_state *st, cJSON *list, char *err, size_t err_len)
{
    size_t n = (size_t)cJSON_GetArraySize(list);
    st->seats = calloc(n ? n : 1, sizeof(*st->seats));
    if (!st->seats) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    cJSON *s;
    cJSON_ArrayForEach(s, list) {
        struct itnio_seat *seat = &st->seats[st->seat_count];
        const char *name;
        if (jv_int(s, "keyId", &seat->id) != JV_OK || jv_string(s, "name", &name) != JV_OK ||
            jv_int(s, "voiceGroupId", &seat->group_id) != JV_OK) {
            snprintf(err, err_len,
                     "seats.json: entry %zu needs integer keyId, voiceGroupId and string name",
                     st->seat_count);
            return false;
        }
        const struct itnio_group *g = find_group(st, seat->group_id);
        if (!g) {
            snprintf(err, err_len, "seats.json: agent %s is in unknown group %lld", name,
                     (long long)seat->group_id);
            return false;
        }
        if (jv_int(s, "enable", &seat->enable) != JV_OK)
            seat->enable = 0;
        if (jv_int(s, "status", &seat->status) != JV_OK)
            seat->status = 1;
        /* The group's name is the group's, whatever the file says: group and agent queries agree.
         */
        if (!(seat->name = strdup(name)) || !set_string(s, "groupName", g->name) ||
            !(seat->json = cJSON_PrintUnformatted(s))) {
            snprintf(err, err_len, "out of memory");
            return false;
        }
        st->seat_count++;
    }
    return true;
}

static bool render_groups(struct itnio_state *st, cJSON *list, char *err, size_t err_len)
{
    cJSON *g;
    size_t i = 0;
    cJSON_ArrayForEach(g, list) {
        struct itnio_group *group = &st->groups[i++];
        int64_t seats = 0;
        for (size_t k = 0; k < st->seat_count; k++)
            seats += st->seats[k].group_id == group->id;
        if (!set_number(g, "countSeat", (double)seats) ||
            !(group->json = cJSON_PrintUnformatted(g))) {
            snprintf(err, err_len, "out of memory");
            return false;
        }
    }
    return true;
}

bool itnio_load_roster(struct itnio_state *st, const char *dir, char *err, size_t err_len)
{
    cJSON *groups = mock_load_json(dir, "groups.json", err, err_len);
    cJSON *seats = groups ? mock_load_json(dir, "seats.json", err, err_len) : NULL;
    bool ok = groups && seats;
    if (ok && (!cJSON_IsArray(groups) || !cJSON_IsArray(seats))) {
        snprintf(err, err_len, "groups.json and seats.json must be arrays");
        ok = false;
    }
    ok = ok && load_groups(st, groups, err, err_len) && load_seats(st, seats, err, err_len) &&
         render_groups(st, groups, err, err_len);
    cJSON_Delete(groups);
    cJSON_Delete(seats);
    return ok;
}

/* ---- records ----------------------------------------------------------------------------------
 */

void itnio_free_attrs(void *attrs)
{
    struct itnio_attrs *a = attrs;
    if (!a)
        return;
    free(a->labels);
    free(a->strings);
    free(a);
}

static const char *text_of(const cJSON *r, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(r, key);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

static int64_t int_of(const cJSON *r, const char *key)
{
    int64_t v;
    return jv_int(r, key, &v) == JV_OK ? v : ITNIO_ABSENT;
}

/* Copies the strings a filter needs into one block owned by the attrs. */
static bool pack_strings(struct itnio_attrs *a, const cJSON *r)
{
    static const char *const keys[] = {"sipGroupName",  "seatName", "called",
                                       "encryptCalled", "caller",   "ccode"};
    const char *values[6];
    size_t total = 0;
    for (size_t i = 0; i < 6; i++) {
        values[i] = text_of(r, keys[i]);
        total += values[i] ? strlen(values[i]) + 1 : 0;
    }
    const cJSON *labels = cJSON_GetObjectItemCaseSensitive(r, "labelNameList");
    const cJSON *l;
    size_t nlabels = 0;
    cJSON_ArrayForEach(l, (cJSON_IsArray(labels) ? labels : NULL)) {
        if (cJSON_IsString(l)) {
            total += strlen(l->valuestring) + 1;
            nlabels++;
        }
    }
    a->strings = malloc(total ? total : 1);
    a->labels = nlabels ? calloc(nlabels, sizeof(*a->labels)) : NULL;
    if (!a->strings || (nlabels && !a->labels))
        return false;
    char *p = a->strings;
    const char **slots[] = {&a->sip_group_name, &a->seat_name, &a->called,
                            &a->encrypt_called, &a->caller,    &a->ccode};
    for (size_t i = 0; i < 6; i++) {
        if (!values[i])
            continue;
        *slots[i] = p;
        p = stpcpy(p, values[i]) + 1;
    }
    cJSON_ArrayForEach(l, (cJSON_IsArray(labels) ? labels : NULL)) {
        if (cJSON_IsString(l)) {
            a->labels[a->label_count++] = p;
            p = stpcpy(p, l->valuestring) + 1;
        }
    }
    return true;
}

bool itnio_ingest_record(struct itnio_state *st, const cJSON *r, char *err, size_t err_len)
{
    size_t index = st->records.count;
    int64_t key_id, start;
    const char *when;
    if (!cJSON_IsObject(r) || jv_int(r, "keyId", &key_id) != JV_OK) {
        snprintf(err, err_len, "record %zu: needs an integer keyId", index);
        return false;
    }
    if (jv_string(r, "callStartTime", &when) != JV_OK ||
        !(cdr_time_parse_local(when, CDR_CHINA_OFFSET_SECONDS, &start) ||
          cdr_time_parse_iso8601(when, CDR_CHINA_OFFSET_SECONDS, &start))) {
        snprintf(err, err_len, "record keyId %lld: callStartTime is not a time", (long long)key_id);
        return false;
    }
    struct itnio_attrs *a = calloc(1, sizeof(*a));
    if (!a || !pack_strings(a, r)) {
        itnio_free_attrs(a);
        snprintf(err, err_len, "out of memory");
        return false;
    }
    a->call_type = int_of(r, "callType");
    a->hangup_reason = int_of(r, "hangupReason");
    a->hanging_direction = int_of(r, "hangingDirection");
    a->voice_group_id = int_of(r, "voiceGroupId");
    if (a->voice_group_id ==
        ITNIO_ABSENT) { /* the seed's example omits it: derive it from the group */
        const struct itnio_group *g = itnio_find_group_by_name(st, a->sip_group_name);
        a->voice_group_id = g ? g->id : ITNIO_ABSENT;
    }
    const struct itnio_seat *seat = itnio_find_seat_by_name(st, a->seat_name);
    a->seat_id = seat ? seat->id : ITNIO_ABSENT;
    char *json = cJSON_PrintUnformatted(r);
    if (!json) {
        itnio_free_attrs(a);
        snprintf(err, err_len, "out of memory");
        return false;
    }
    if (!mock_store_add(&st->records, start, (uint64_t)key_id, json, strlen(json), a)) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    return true;
}
