/* POST /v3/cc/seatGroup/query and /v3/cc/seat/query: the agent groups and agents the records
 * refer to, paged like the record query; each agent with its call statistics over the query's
 * strTime..endTime window, counted from the records. docs/vendors/itnio.md sections 4 and 5. */
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "internal.h"

/* Appends entry i of the page (the JSON of an entry, and whatever the query adds to it). */
typedef void entry_writer(const struct itnio_call *call, size_t i, const void *ctx,
                          struct cdr_buf *b);
typedef bool entry_match(const struct itnio_state *st, size_t i, const void *filter);

/* Writes one page of the entries that pass the filter. */
static void reply_page(const struct itnio_call *call, struct mock_response *resp,
                       struct itnio_paging paging, size_t count, entry_match *match,
                       const void *filter, entry_writer *write, const void *ctx)
{
    const struct itnio_state *st = call->st;
    int64_t current = paging.current, size = paging.size, total = 0;
    for (size_t i = 0; i < count; i++)
        total += match(st, i, filter);
    int64_t pages = total / size + (total % size != 0);
    struct cdr_buf b;
    itnio_reply_begin_success(&b, call->status_string, 256);
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
        write(call, i, ctx, &b);
    }
    cdr_buf_puts(&b, "]}");
    itnio_reply_finish_success(resp, call->status_string, &b);
}

/* ---- agent groups ---------------------------------------------------------------------------- */

static void group_write(const struct itnio_call *call, size_t i, const void *ctx, struct cdr_buf *b)
{
    (void)ctx;
    cdr_buf_puts(b, call->st->roster.groups[i].json);
}

static bool group_match(const struct itnio_state *st, size_t i, const void *filter)
{
    const char *name = filter;
    return !name ||
           strstr(st->roster.groups[i].name, name); /* the vendor's list search is a LIKE */
}

void itnio_roster_group_query(const struct itnio_call *call, struct mock_response *resp)
{
    struct itnio_paging paging;
    const char *name;
    int status = itnio_params_group_query(call->body, &paging, &name);
    if (status != ITNIO_OK) {
        itnio_reply_status(resp, call->status_string, status, NULL);
        return;
    }
    reply_page(call, resp, paging, call->st->roster.group_count, group_match, name, group_write,
               NULL);
}

/* ---- agents ---------------------------------------------------------------------------------- */

/* Calls and connected calls per agent (parallel to the roster's seats) in the window. */
struct seat_stats {
    int64_t *calls;
    int64_t *connected;
};

static bool seat_match(const struct itnio_state *st, size_t i, const void *filter)
{
    const struct itnio_seat_filter *f = filter;
    const struct itnio_seat *s = &st->roster.seats[i];
    return (!f->has_enable || s->enable == f->enable) &&
           (!f->has_group || s->group_id == f->group) &&
           (!f->has_status || s->status == f->status) && (!f->name || strstr(s->name, f->name));
}

/* Counts the window's records per agent: records name their agent, not the other way round. */
static void count_calls(const struct itnio_state *st, const struct itnio_seat_filter *f,
                        struct seat_stats *stats)
{
    const struct mock_store *store = &st->records;
    size_t lo = mock_store_lower_bound(store, f->start);
    size_t hi = st->v.range_end_exclusive ? mock_store_lower_bound(store, f->end)
                                          : mock_store_upper_bound(store, f->end);
    for (size_t i = lo; i < hi; i++) {
        const struct itnio_attrs *a = store->entries[i].attrs;
        for (size_t k = 0; a->seat_id != ITNIO_ABSENT && k < st->roster.seat_count; k++) {
            if (st->roster.seats[k].id == a->seat_id) {
                stats->calls[k]++;
                stats->connected[k] += a->answered;
                break;
            }
        }
    }
}

/* The statistics members the current pages add after the agent's own fields: num, connectNum
 * and connectRate (a String; "50.00%" or, as a variant, "0.50": its format is undocumented). */
static void seat_write(const struct itnio_call *call, size_t i, const void *ctx, struct cdr_buf *b)
{
    const struct seat_stats *stats = ctx;
    cdr_buf_puts(b, call->st->roster.seats[i].json);
    if (stats) {
        int64_t calls = stats->calls[i], connected = stats->connected[i];
        double ratio = calls ? (double)connected / (double)calls : 0.0;
        cdr_buf_printf(b, ",\"num\":%lld,\"connectNum\":%lld,\"connectRate\":", (long long)calls,
                       (long long)connected);
        if (call->st->v.connect_rate_fraction)
            cdr_buf_printf(b, "\"%.2f\"", ratio);
        else
            cdr_buf_printf(b, "\"%.2f%%\"", ratio * 100.0);
    }
    cdr_buf_puts(b, "}");
}

void itnio_roster_seat_query(const struct itnio_call *call, struct mock_response *resp)
{
    const struct itnio_state *st = call->st;
    struct itnio_paging paging;
    struct itnio_seat_filter f;
    int status = itnio_params_seat_query(st, call->body, &paging, &f);
    if (status != ITNIO_OK) {
        itnio_reply_status(resp, call->status_string, status, NULL);
        return;
    }
    size_t n = st->roster.seat_count ? st->roster.seat_count : 1;
    struct seat_stats stats = {calloc(n, sizeof(int64_t)), calloc(n, sizeof(int64_t))};
    if (!stats.calls || !stats.connected) {
        itnio_reply_status(resp, call->status_string, ITNIO_SYSTEM, NULL);
    } else {
        if (f.has_window)
            count_calls(st, &f, &stats);
        reply_page(call, resp, paging, st->roster.seat_count, seat_match, &f, seat_write,
                   f.has_window ? &stats : NULL);
    }
    free(stats.calls);
    free(stats.connected);
}
