/* ITNIO requests: the Sign header and the JSON bodies of the three queries. */
#include <inttypes.h>

#include "cdrsim/buf.h"
#include "cdrsim/sign.h"
#include "cdrsim/timefmt.h"
#include "internal.h"

char *cdr_itnio_sign(const char *api_key, const char *api_secret, int64_t timestamp)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "%s%s%" PRId64, api_key, api_secret, timestamp);
    char *sign = b.failed ? NULL : cdr_md5_hex(b.data, b.len);
    cdr_buf_free(&b);
    return sign;
}

static void put_int_list(struct cdr_buf *b, const char *key, const int64_t *ints, const int *small,
                         size_t n)
{
    if (n == 0)
        return;
    cdr_buf_printf(b, ",\"%s\":[", key);
    for (size_t i = 0; i < n; i++)
        cdr_buf_printf(b, "%s%lld", i ? "," : "", ints ? (long long)ints[i] : (long long)small[i]);
    cdr_buf_puts(b, "]");
}

static void put_string_list(struct cdr_buf *b, const char *key, const char *const *items, size_t n)
{
    if (n == 0)
        return;
    cdr_buf_printf(b, ",\"%s\":[", key);
    for (size_t i = 0; i < n; i++) {
        if (i)
            cdr_buf_puts(b, ",");
        cdr_buf_json_string(b, items[i]);
    }
    cdr_buf_puts(b, "]");
}

char *cdr_itnio_query_body(const struct cdr_itnio_filter *f, int64_t current, int64_t size)
{
    char start[CDR_LOCAL_TIME_LEN + 1], end[CDR_LOCAL_TIME_LEN + 1];
    /* The vendor's own examples send China wall-clock time; that form works on every deployment. */
    cdr_time_format_local(f->start_time, CDR_CHINA_OFFSET_SECONDS, start);
    cdr_time_format_local(f->end_time, CDR_CHINA_OFFSET_SECONDS, end);
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(
        &b, "{\"current\":%lld,\"size\":%lld,\"params\":{\"startTime\":\"%s\",\"endTime\":\"%s\"",
        (long long)current, (long long)size, start, end);
    if (f->has_voice_group_id)
        cdr_buf_printf(&b, ",\"voiceGroupId\":%lld", (long long)f->voice_group_id);
    if (f->sip_group_name) {
        cdr_buf_puts(&b, ",\"sipGroupName\":");
        cdr_buf_json_string(&b, f->sip_group_name);
    }
    put_int_list(&b, "seatId", f->seat_ids, NULL, f->seat_id_count);
    put_string_list(&b, "seatNameList", f->seat_names, f->seat_name_count);
    put_int_list(&b, "callType", NULL, f->call_types, f->call_type_count);
    put_int_list(&b, "hangupReason", NULL, f->hangup_reasons, f->hangup_reason_count);
    if (f->called_or_caller) {
        cdr_buf_puts(&b, ",\"calledOrCaller\":");
        cdr_buf_json_string(&b, f->called_or_caller);
    }
    put_string_list(&b, "ccode", f->ccodes, f->ccode_count);
    put_int_list(&b, "hangingDirection", NULL, f->hanging_directions, f->hanging_direction_count);
    put_string_list(&b, "labelNames", f->label_names, f->label_name_count);
    cdr_buf_puts(&b, "}}");
    return cdr_buf_steal(&b);
}

char *cdr__itnio_groups_body(const char *group_name, int64_t current, int64_t size)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "{\"current\":%lld,\"size\":%lld,\"params\":{", (long long)current,
                   (long long)size);
    if (group_name) {
        cdr_buf_puts(&b, "\"groupName\":");
        cdr_buf_json_string(&b, group_name);
    }
    cdr_buf_puts(&b, "}}");
    return cdr_buf_steal(&b);
}

char *cdr__itnio_seats_body(int64_t voice_group_id, const char *name, int64_t current, int64_t size)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "{\"current\":%lld,\"size\":%lld,\"params\":{", (long long)current,
                   (long long)size);
    const char *sep = "";
    if (voice_group_id >= 0) {
        cdr_buf_printf(&b, "\"voiceGroupId\":%lld", (long long)voice_group_id);
        sep = ",";
    }
    if (name) {
        cdr_buf_printf(&b, "%s\"name\":", sep);
        cdr_buf_json_string(&b, name);
    }
    cdr_buf_puts(&b, "}}");
    return cdr_buf_steal(&b);
}
