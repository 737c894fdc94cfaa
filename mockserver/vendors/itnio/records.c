/* POST /v3/cc/record/query: validation, list filters, MyBatis-Plus paging, newest call first. */
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "../../jsonval.h"
#include "cdrsim/timefmt.h"
#include "internal.h"

struct record_filter {
    int64_t start, end;
    bool has_group_id;
    int64_t group_id;
    const char *group_name;
    int64_t *seat_ids;
    size_t seat_id_count;
    const char **seat_names;
    size_t seat_name_count;
    int64_t *call_types;
    size_t call_type_count;
    int64_t *hangup_reasons;
    size_t hangup_reason_count;
    const char *number;
    const char **ccodes;
    size_t ccode_count;
    int64_t *directions;
    size_t direction_count;
    const char **labels;
    size_t label_count;
};

static void filter_free(struct record_filter *f)
{
    free(f->seat_ids);
    free(f->seat_names);
    free(f->call_types);
    free(f->hangup_reasons);
    free(f->ccodes);
    free(f->directions);
    free(f->labels);
}

/* Both forms the vendor's pages use: "2025-01-08 00:00:00" (UTC+8) and ISO 8601 with an offset. */
static bool parse_time(const cJSON *params, const char *key, int64_t *out)
{
    const char *text;
    if (jv_string(params, key, &text) != JV_OK)
        return false;
    return cdr_time_parse_local(text, CDR_CHINA_OFFSET_SECONDS, out) ||
           cdr_time_parse_iso8601(text, CDR_CHINA_OFFSET_SECONDS, out);
}

/* Returns ITNIO_OK or the status to answer. */
static int read_filter(const cJSON *params, struct record_filter *f)
{
    if (!cJSON_IsObject(params) || !parse_time(params, "startTime", &f->start) ||
        !parse_time(params, "endTime", &f->end))
        return ITNIO_PARAMETER;
    enum jv_result r[10];
    r[0] = jv_int(params, "voiceGroupId", &f->group_id);
    f->has_group_id = r[0] == JV_OK;
    r[1] = jv_string(params, "sipGroupName", &f->group_name);
    r[2] = jv_int_list(params, "seatId", &f->seat_ids, &f->seat_id_count);
    r[3] = jv_string_list(params, "seatNameList", &f->seat_names, &f->seat_name_count);
    r[4] = jv_int_list(params, "callType", &f->call_types, &f->call_type_count);
    r[5] = jv_int_list(params, "hangupReason", &f->hangup_reasons, &f->hangup_reason_count);
    r[6] = jv_string(params, "calledOrCaller", &f->number);
    r[7] = jv_string_list(params, "ccode", &f->ccodes, &f->ccode_count);
    r[8] = jv_int_list(params, "hangingDirection", &f->directions, &f->direction_count);
    r[9] = jv_string_list(params, "labelNames", &f->labels, &f->label_count);
    for (size_t i = 0; i < 10; i++)
        if (r[i] == JV_WRONG_TYPE)
            return ITNIO_PARAMETER;
    if (f->start > f->end)
        return ITNIO_PARAMETER;
    if (f->end - f->start > ITNIO_MAX_RANGE)
        return ITNIO_RANGE;
    return ITNIO_OK;
}

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

static bool matches(const struct record_filter *f, const struct itnio_attrs *a)
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
    if (f->number && f->number[0] && !contains(a->caller, f->number) &&
        !contains(a->called, f->number) && !contains(a->encrypt_called, f->number))
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

static bool no_filters(const struct record_filter *f)
{
    return !f->has_group_id && !f->group_name && !f->seat_id_count && !f->seat_name_count &&
           !f->call_type_count && !f->hangup_reason_count && !(f->number && f->number[0]) &&
           !f->ccode_count && !f->direction_count && !f->label_count;
}

bool itnio_paging(const cJSON *body, int64_t *current, int64_t *size)
{
    enum jv_result c = jv_int(body, "current", current);
    enum jv_result s = jv_int(body, "size", size);
    if (c == JV_ABSENT)
        *current = 1;
    if (s == JV_ABSENT)
        *size = 25;
    return c != JV_WRONG_TYPE && s != JV_WRONG_TYPE && *current >= 1 && *size >= 1 && *size <= 100;
}

void itnio_record_query(const struct itnio_state *st, const cJSON *body, struct mock_response *resp)
{
    int64_t current, size;
    if (!itnio_paging(body, &current, &size)) {
        itnio_reply(st, resp, ITNIO_PARAMETER, NULL);
        return;
    }
    struct record_filter f = {0};
    int status = read_filter(cJSON_GetObjectItemCaseSensitive(body, "params"), &f);
    if (status != ITNIO_OK) {
        filter_free(&f);
        itnio_reply(st, resp, status, NULL);
        return;
    }
    const struct mock_store *store = &st->records;
    size_t lo = mock_store_lower_bound(store, f.start);
    size_t hi = st->range_end_exclusive ? mock_store_lower_bound(store, f.end)
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
    filter_free(&f);
    int64_t pages = total / size + (total % size != 0);
    struct cdr_buf b;
    itnio_begin_success(st, &b, bytes + 128);
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
    itnio_finish_success(st, resp, &b);
}
