/* POST /v3/cc/seatGroup/query and /v3/cc/seat/query: the agent groups and agents the records
 * refer to, paged like the record query. */
#include <string.h>

#include "../../jsonval.h"
#include "internal.h"

/* Writes one page of pre-rendered entries; match(i) says whether entry i passes the filter. */
static void reply_page(const struct itnio_state *st, struct mock_response *resp, int64_t current,
                       int64_t size, size_t count,
                       const char *(*json_of)(const struct itnio_state *, size_t),
                       bool (*match)(const struct itnio_state *, size_t, const void *),
                       const void *filter)
{
    int64_t total = 0;
    for (size_t i = 0; i < count; i++)
        total += match(st, i, filter);
    int64_t pages = total / size + (total % size != 0);
    struct cdr_buf b;
    itnio_begin_success(st, &b, 256);
    cdr_buf_printf(&b,
                   "{\"total\":%lld,\"size\":%lld,\"current\":%lld,\"pages\":%lld,\"records\":[",
                   (long long)total, (long long)size, (long long)current, (long long)pages);
    int64_t seen = 0, skip = (current - 1) * size, written = 0;
    for (size_t i = 0; i < count && written < size; i++) {
        if (!match(st, i, filter))
            continue;
        if (seen++ < skip)
            continue;
        cdr_buf_puts(&b, written++ ? "," : "");
        cdr_buf_puts(&b, json_of(st, i));
    }
    cdr_buf_puts(&b, "]}");
    itnio_finish_success(st, resp, &b);
}

static const char *group_json(const struct itnio_state *st, size_t i)
{
    return st->groups[i].json;
}

static bool group_match(const struct itnio_state *st, size_t i, const void *filter)
{
    const char *name = filter;
    return !name || strstr(st->groups[i].name, name); /* the vendor's list search is a LIKE */
}

void itnio_group_query(const struct itnio_state *st, const cJSON *body, struct mock_response *resp)
{
    int64_t current, size;
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(body, "params");
    const char *name = NULL;
    if (!itnio_paging(body, &current, &size) ||
        (params && !cJSON_IsObject(params) && !cJSON_IsNull(params)) ||
        jv_string(params, "groupName", &name) == JV_WRONG_TYPE) {
        itnio_reply(st, resp, ITNIO_PARAMETER, NULL);
        return;
    }
    reply_page(st, resp, current, size, st->group_count, group_json, group_match, name);
}

struct seat_filter {
    bool has_enable, has_group, has_status;
    int64_t enable, group, status;
    const char *name;
};

static const char *seat_json(const struct itnio_state *st, size_t i)
{
    return st->seats[i].json;
}

static bool seat_match(const struct itnio_state *st, size_t i, const void *filter)
{
    const struct seat_filter *f = filter;
    const struct itnio_seat *s = &st->seats[i];
    return (!f->has_enable || s->enable == f->enable) &&
           (!f->has_group || s->group_id == f->group) &&
           (!f->has_status || s->status == f->status) && (!f->name || strstr(s->name, f->name));
}

void itnio_seat_query(const struct itnio_state *st, const cJSON *body, struct mock_response *resp)
{
    int64_t current, size;
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(body, "params");
    struct seat_filter f = {0};
    enum jv_result r[4] = {JV_ABSENT, JV_ABSENT, JV_ABSENT, JV_ABSENT};
    if (cJSON_IsObject(params)) {
        r[0] = jv_int(params, "enable", &f.enable);
        r[1] = jv_int(params, "voiceGroupId", &f.group);
        r[2] = jv_int(params, "status", &f.status);
        r[3] = jv_string(params, "name", &f.name);
    }
    f.has_enable = r[0] == JV_OK;
    f.has_group = r[1] == JV_OK;
    f.has_status = r[2] == JV_OK;
    bool bad = (params && !cJSON_IsObject(params) && !cJSON_IsNull(params));
    for (size_t i = 0; i < 4; i++)
        bad = bad || r[i] == JV_WRONG_TYPE;
    if (!itnio_paging(body, &current, &size) || bad) {
        itnio_reply(st, resp, ITNIO_PARAMETER, NULL);
        return;
    }
    reply_page(st, resp, current, size, st->seat_count, seat_json, seat_match, &f);
}
