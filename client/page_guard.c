#include "page_guard.h"

#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"

void cdr__page_guard_init(struct cdr__page_guard *g)
{
    memset(g, 0, sizeof(*g));
    cdr__page_guard_begin_run(g);
}

void cdr__page_guard_free(struct cdr__page_guard *g)
{
    for (size_t i = 0; i < g->id_cap; i++)
        free(g->ids[i].bytes);
    free(g->ids);
    memset(g, 0, sizeof(*g));
}

void cdr__page_guard_begin_run(struct cdr__page_guard *g)
{
    g->total = -1;
    g->received = 0;
    g->pages = 0;
}

cdr_error cdr__page_guard_page(struct cdr__page_guard *g, const struct cdr__page_seen *p,
                               struct cdr_error_info *err)
{
    const long long asked = (long long)p->asked_page;
    if (p->echoed_page >= 0 && p->echoed_page != p->asked_page)
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                             "page echo: asked for page %lld, the answer is page %lld", asked,
                             (long long)p->echoed_page);
    if (p->echoed_size >= 0 && p->echoed_size != p->asked_size)
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                             "size echo: asked for pages of %lld, the answer says %lld",
                             (long long)p->asked_size, (long long)p->echoed_size);
    if (p->asked_size > 0 && (int64_t)p->count > p->asked_size)
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                             "page size: page %lld holds %zu records, more than the %lld asked for",
                             asked, p->count, (long long)p->asked_size);
    /* The latest total counts: live data may grow while a fetch runs, and what that costs (a
     * record pushed onto the next page) shows up as a repeated id or a sum that does not match. */
    if (p->total >= 0)
        g->total = p->total;
    if (p->count == 0 && g->total >= 0 && g->received < g->total)
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                             "empty page before the last: page %lld is empty after %lld of %lld "
                             "records",
                             asked, (long long)g->received, (long long)g->total);
    /* Without this a server that keeps announcing one more page, each empty, is paged forever. */
    if (p->count == 0 && p->asked_page < p->last_page)
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                             "empty page before the last: page %lld is empty, the answer says the "
                             "last is page %lld",
                             asked, (long long)p->last_page);
    int64_t received = g->received + (int64_t)p->count;
    if (g->total >= 0 && received > g->total)
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                             "sum against total: %lld records arrived by page %lld, more than the "
                             "total of %lld",
                             (long long)received, asked, (long long)g->total);
    /* Only the last page may be short: asking for the next page number after a short one skips
     * whatever the server left out of it (a size it capped silently, a total it made up). */
    if (p->count > 0 && p->asked_size > 0 && (int64_t)p->count < p->asked_size && g->total >= 0 &&
        received < g->total)
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                             "sum against total: page %lld holds %zu records, fewer than the %lld "
                             "asked for, yet only %lld of the total of %lld have arrived",
                             asked, p->count, (long long)p->asked_size, (long long)received,
                             (long long)g->total);
    g->received = received;
    g->pages++;
    return CDR_OK;
}

bool cdr__page_guard_complete(const struct cdr__page_guard *g)
{
    return g->total >= 0 && g->received >= g->total;
}

/* FNV-1a: ids are short and the set only needs an even spread, not resistance to attack (a
 * hostile server can only slow its own fetch down). */
static size_t hash_id(const char *id, size_t len)
{
    size_t h = (size_t)14695981039346656037ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)id[i]) * (size_t)1099511628211ULL;
    return h;
}

static struct cdr__page_id *find_slot(struct cdr__page_id *ids, size_t cap, const char *id,
                                      size_t len)
{
    size_t i = hash_id(id, len) & (cap - 1);
    while (ids[i].bytes && (ids[i].len != len || memcmp(ids[i].bytes, id, len) != 0))
        i = (i + 1) & (cap - 1);
    return &ids[i];
}

static bool grow(struct cdr__page_guard *g)
{
    size_t cap = g->id_cap ? g->id_cap * 2 : 256;
    struct cdr__page_id *ids = calloc(cap, sizeof(*ids));
    if (!ids)
        return false;
    for (size_t i = 0; i < g->id_cap; i++)
        if (g->ids[i].bytes)
            *find_slot(ids, cap, g->ids[i].bytes, g->ids[i].len) = g->ids[i];
    free(g->ids);
    g->ids = ids;
    g->id_cap = cap;
    return true;
}

cdr_error cdr__page_guard_record(struct cdr__page_guard *g, const char *id, bool boundary_ok,
                                 bool *is_new, struct cdr_error_info *err)
{
    return cdr__page_guard_record_bytes(g, id, id ? strlen(id) : 0, boundary_ok, is_new, err);
}

cdr_error cdr__page_guard_record_bytes(struct cdr__page_guard *g, const char *id, size_t len,
                                       bool boundary_ok, bool *is_new, struct cdr_error_info *err)
{
    *is_new = true;
    if (!id)
        return CDR_OK;
    /* Keep the load under a half so probes stay short. */
    if ((g->id_count + 1) * 2 > g->id_cap && !grow(g))
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory remembering record ids");
    struct cdr__page_id *slot = find_slot(g->ids, g->id_cap, id, len);
    if (slot->bytes) {
        *is_new = false;
        if (boundary_ok)
            return CDR_OK;
        struct cdr_buf shown; /* the id as a JSON string: whole, NULs included */
        cdr_buf_init(&shown);
        cdr_buf_json_string_len(&shown, id, len);
        cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                      "no id twice: record %.*s came a second time",
                      shown.len >= 2 ? (int)shown.len - 2 : 0, shown.data ? shown.data + 1 : "");
        cdr_buf_free(&shown);
        return CDR_ERR_MALFORMED_RESPONSE;
    }
    if (!(slot->bytes = malloc(len + 1)))
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory remembering record ids");
    memcpy(slot->bytes, id, len);
    slot->bytes[len] = '\0';
    slot->len = len;
    g->id_count++;
    return CDR_OK;
}

cdr_error cdr__page_guard_end_run(struct cdr__page_guard *g, struct cdr_error_info *err)
{
    if (g->total >= 0 && g->received != g->total)
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                             "sum against total: the pages held %lld records, the total said %lld",
                             (long long)g->received, (long long)g->total);
    return CDR_OK;
}

cdr_error cdr__page_guard_deliver(struct cdr__page_guard *g, const struct cdr_record *records,
                                  size_t count, cdr__page_mark_fn mark, void *mark_user,
                                  struct cdr__page_sink *sink, struct cdr_error_info *err)
{
    if (count == 0)
        return CDR_OK;
    bool *fresh = calloc(count, sizeof(*fresh));
    if (!fresh)
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    cdr_error rc = CDR_OK;
    for (size_t i = 0; i < count && rc == CDR_OK; i++) {
        enum cdr__page_mark m = mark ? mark(mark_user, &records[i]) : CDR__PAGE_RECORD;
        if (m != CDR__PAGE_OUTSIDE)
            rc = cdr__page_guard_record_bytes(g, records[i].id,
                                              cdr_record_text_len(records[i].id, records[i].len.id),
                                              m == CDR__PAGE_BOUNDARY, &fresh[i], err);
    }
    for (size_t i = 0; i < count && rc == CDR_OK && !sink->stopped; i++) {
        if (!fresh[i])
            continue;
        sink->delivered++;
        sink->stopped = sink->on_record(sink->user, &records[i]) != 0;
    }
    free(fresh);
    return rc;
}
