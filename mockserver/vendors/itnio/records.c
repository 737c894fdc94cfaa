/* POST /v3/cc/record/query: list filters, MyBatis-Plus paging, newest call first. The filter
 * semantics and the ordering are inferred; docs/vendors/itnio.md section 3. */
#include <string.h>

#include "cdrsim/buf.h"
#include "internal.h"

static bool int_in(int64_t v, const int64_t *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == v)
            return true;
    return false;
}

static bool string_in(const char *v, const char *const *list, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        if (strcmp(list[i], v) == 0)
            return true;
    return false;
}

/* Records carry "86(China)"; callers filter with "86" or with the full text. */
static bool ccode_in(const char *v, const char *const *list, size_t n)
{
    if (!v)
        return false;
    size_t digits = strcspn(v, "(");
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], v) == 0 ||
            (strlen(list[i]) == digits && strncmp(list[i], v, digits) == 0))
            return true;
    return false;
}

static bool contains(const char *haystack, const char *needle)
{
    return haystack && strstr(haystack, needle);
}

static bool matches(const struct itnio_record_filter *f, const struct itnio_attrs *a)
{
    if (f->has_group_id && a->voice_group_id != f->group_id)
        return false;
    if (f->group_name && (!a->sip_group_name || strcmp(a->sip_group_name, f->group_name) != 0))
        return false;
    if (f->seat_id_count && !int_in(a->seat_id, f->seat_ids, f->seat_id_count))
        return false;
    if (f->seat_name_count && !string_in(a->seat_name, f->seat_names, f->seat_name_count))
        return false;
    if (f->call_type_count && !int_in(a->call_type, f->call_types, f->call_type_count))
        return false;
    if (f->hangup_reason_count &&
        !int_in(a->hangup_reason, f->hangup_reasons, f->hangup_reason_count))
        return false;
    /* A search box: the number matches either party, as a substring. */
    if (f->number && !contains(a->caller, f->number) && !contains(a->called, f->number) &&
        !contains(a->encrypt_called, f->number))
        return false;
    if (f->ccode_count && !ccode_in(a->ccode, f->ccodes, f->ccode_count))
        return false;
    if (f->direction_count && !int_in(a->hanging_direction, f->directions, f->direction_count))
        return false;
    if (f->label_count) {
        bool any = false;
        for (size_t i = 0; i < a->label_count && !any; i++)
            any = string_in(a->labels[i], f->labels, f->label_count);
        if (!any)
            return false;
    }
    return true;
}

static bool no_filters(const struct itnio_record_filter *f)
{
    return !f->has_group_id && !f->group_name && !f->seat_id_count && !f->seat_name_count &&
           !f->call_type_count && !f->hangup_reason_count && !f->number && !f->ccode_count &&
           !f->direction_count && !f->label_count;
}

void itnio_records_query(const struct itnio_call *call, struct mock_response *resp)
{
    const struct itnio_state *st = call->st;
    struct itnio_paging paging;
    struct itnio_record_filter f;
    int status = itnio_params_record_query(call->body, &paging, &f);
    if (status != ITNIO_OK) {
        itnio_reply_status(resp, call->status_string, status, NULL);
        return;
    }
    int64_t current = paging.current, size = paging.size;
    const struct mock_store *store = &st->records;
    size_t lo = mock_store_lower_bound(store, f.start);
    size_t hi = st->v.range_end_exclusive ? mock_store_lower_bound(store, f.end)
                                          : mock_store_upper_bound(store, f.end);
    if (hi < lo)
        hi = lo;
    /* Skip-and-take over the window, newest first; counting every match gives `total`. */
    const struct mock_store_entry *picked[100];
    size_t npicked = 0, bytes = 0;
    int64_t skip = (current - 1) * size, total = 0;
    bool unfiltered = no_filters(&f);
    for (size_t i = hi; i > lo; i--) {
        const struct mock_store_entry *e = &store->entries[i - 1];
        if (!unfiltered && !matches(&f, e->attrs))
            continue;
        if (total >= skip && total < skip + size) {
            picked[npicked++] = e;
            bytes += e->json_len + 1;
        } else if (unfiltered && total >= skip + size) {
            break; /* no filter: the window's size is the count */
        }
        total++;
    }
    if (unfiltered)
        total = (int64_t)(hi - lo);
    itnio_params_free_record_filter(&f);
    int64_t pages = total / size + (total % size != 0);
    struct cdr_buf b;
    itnio_reply_begin_success(&b, call->status_string, bytes + 128);
    cdr_buf_printf(&b,
                   "{\"total\":%lld,\"size\":%lld,\"current\":%lld,\"searchCount\":true,\"pages\":%"
                   "lld,\"records\":[",
                   (long long)total, (long long)size, (long long)current, (long long)pages);
    for (size_t i = 0; i < npicked; i++) {
        if (i)
            cdr_buf_append(&b, ",", 1);
        cdr_buf_append(&b, picked[i]->json, picked[i]->json_len);
    }
    cdr_buf_puts(&b, "]}");
    itnio_reply_finish_success(resp, call->status_string, &b);
}
