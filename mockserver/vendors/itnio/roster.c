/* POST /v3/cc/seatGroup/query and /v3/cc/seat/query: the agent groups and agents the records
 * refer to, paged like the record query. docs/vendors/itnio.md sections 4 and 5. */
#include <string.h>

#include "cdrsim/buf.h"
#include "internal.h"

/* Writes one page of pre-rendered entries; match(i) says whether entry i passes the filter. */
static void reply_page(const struct itnio_state *st, struct mock_response *resp,
                       struct itnio_paging paging, size_t count,
                       const char *(*json_of)(const struct itnio_state *, size_t),
                       bool (*match)(const struct itnio_state *, size_t, const void *),
                       const void *filter)
{
    int64_t current = paging.current, size = paging.size, total = 0;
    for (size_t i = 0; i < count; i++)
        total += match(st, i, filter);
    int64_t pages = total / size + (total % size != 0);
    struct cdr_buf b;
    itnio_reply_begin_success(st, &b, 256);
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
    itnio_reply_finish_success(st, resp, &b);
}

static const char *group_json(const struct itnio_state *st, size_t i)
{
    return st->roster.groups[i].json;
}

static bool group_match(const struct itnio_state *st, size_t i, const void *filter)
{
    const char *name = filter;
    return !name ||
           strstr(st->roster.groups[i].name, name); /* the vendor's list search is a LIKE */
}

void itnio_roster_group_query(const struct itnio_state *st, const cJSON *body,
                              struct mock_response *resp)
{
    struct itnio_paging paging;
    const char *name;
    int status = itnio_params_group_query(body, &paging, &name);
    if (status != ITNIO_OK) {
        itnio_reply_status(st, resp, status, NULL);
        return;
    }
    reply_page(st, resp, paging, st->roster.group_count, group_json, group_match, name);
}

static const char *seat_json(const struct itnio_state *st, size_t i)
{
    return st->roster.seats[i].json;
}

static bool seat_match(const struct itnio_state *st, size_t i, const void *filter)
{
    const struct itnio_seat_filter *f = filter;
    const struct itnio_seat *s = &st->roster.seats[i];
    return (!f->has_enable || s->enable == f->enable) &&
           (!f->has_group || s->group_id == f->group) &&
           (!f->has_status || s->status == f->status) && (!f->name || strstr(s->name, f->name));
}

void itnio_roster_seat_query(const struct itnio_state *st, const cJSON *body,
                             struct mock_response *resp)
{
    struct itnio_paging paging;
    struct itnio_seat_filter f;
    int status = itnio_params_seat_query(body, &paging, &f);
    if (status != ITNIO_OK) {
        itnio_reply_status(st, resp, status, NULL);
        return;
    }
    reply_page(st, resp, paging, st->roster.seat_count, seat_json, seat_match, &f);
}
