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

/* The vendor's own examples send China wall-clock time; that form works everywhere. */
static void put_local_time(struct cdr_buf *b, int64_t t)
{
    char text[CDR_LOCAL_TIME_LEN + 1];
    cdr_time_format_local(t, CDR_CHINA_OFFSET_SECONDS, text);
    cdr_buf_json_string(b, text);
}

/* One filter as a member of the body's "params", as its row in the table says. */
static void put_filter(struct cdr_buf *b, const struct cdr_field *r,
                       const struct cdr_itnio_filter *f)
{
    cdr_buf_printf(b, "\"%s\":", r->param);
    bool list = r->kind == CDR_VALUE_INT_LIST || r->kind == CDR_VALUE_INT64_LIST ||
                r->kind == CDR_VALUE_STRING_LIST;
    size_t n = list ? cdr__field_count(r, f) : 0;
    switch (r->kind) {
    case CDR_VALUE_TIME:
        put_local_time(b, cdr__field_int(r, f));
        break;
    case CDR_VALUE_INT:
        cdr_buf_printf(b, "%lld", (long long)cdr__field_int(r, f));
        break;
    case CDR_VALUE_STRING:
        cdr_buf_json_string(b, cdr__field_text(r, f));
        break;
    case CDR_VALUE_INT_LIST:
    case CDR_VALUE_INT64_LIST:
        for (size_t i = 0; i < n; i++)
            cdr_buf_printf(b, "%s%lld", i ? "," : "[", (long long)cdr__field_int_at(r, f, i));
        cdr_buf_puts(b, "]");
        break;
    case CDR_VALUE_STRING_LIST:
        for (size_t i = 0; i < n; i++) {
            cdr_buf_puts(b, i ? "," : "[");
            cdr_buf_json_string(b, cdr__field_text_at(r, f, i));
        }
        cdr_buf_puts(b, "]");
        break;
    default:
        b->failed = true; /* a kind ITNIO's table does not use */
        break;
    }
}

char *cdr_itnio_query_body(const struct cdr_itnio_filter *f, int64_t current, int64_t size)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "{\"current\":%lld,\"size\":%lld,\"params\":{", (long long)current,
                   (long long)size);
    const char *sep = "";
    for (const struct cdr_field *r = cdr__itnio_fields; r->name; r++) {
        if (!cdr__field_sent(cdr__itnio_fields, r, f))
            continue;
        cdr_buf_puts(&b, sep);
        put_filter(&b, r, f);
        sep = ",";
    }
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

static void put_time(struct cdr_buf *b, const char *name, int64_t t)
{
    cdr_buf_printf(b, "\"%s\":", name);
    put_local_time(b, t);
}

char *cdr__itnio_seats_body(const struct cdr_itnio_seat_filter *f, int64_t current, int64_t size)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "{\"current\":%lld,\"size\":%lld,\"params\":{", (long long)current,
                   (long long)size);
    const char *sep = "";
    const struct {
        const char *param;
        int64_t value;
    } ints[] = {{"enable", f->enable}, {"voiceGroupId", f->voice_group_id}, {"status", f->status}};
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        if (ints[i].value < 0)
            continue;
        cdr_buf_printf(&b, "%s\"%s\":%lld", sep, ints[i].param, (long long)ints[i].value);
        sep = ",";
    }
    if (f->name) {
        cdr_buf_printf(&b, "%s\"name\":", sep);
        cdr_buf_json_string(&b, f->name);
        sep = ",";
    }
    if (f->start_time != CDR_TIME_NONE && f->end_time != CDR_TIME_NONE) {
        cdr_buf_puts(&b, sep);
        put_time(&b, "strTime", f->start_time);
        cdr_buf_puts(&b, ",");
        put_time(&b, "endTime", f->end_time);
    }
    cdr_buf_puts(&b, "}}");
    return cdr_buf_steal(&b);
}
