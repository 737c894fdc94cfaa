/* Yunfu requests: paths with percent-encoded ids and query strings in PHP's bracket syntax, for the
 * record list, one call, the task lists and the recordings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "cdrsim/sign.h"
#include "cdrsim/timefmt.h"
#include "internal.h"

static void put_encoded(struct cdr_buf *b, const char *text)
{
    char *enc = cdr_percent_encode(text, strlen(text));
    if (!enc)
        b->failed = true;
    else
        cdr_buf_puts(b, enc);
    free(enc);
}

char *cdr__yunfu_task_path(const char *user_id, const char *task_id, const char *what,
                           const char *record_id, const char *tail)
{
    if (!task_id)
        return NULL;
    struct cdr_buf b;
    cdr_buf_init(&b);
    if (user_id) {
        cdr_buf_puts(&b, "/agent-api/user/");
        put_encoded(&b, user_id);
    } else {
        cdr_buf_puts(&b, "/agent-api"); /* the retired form: the system's default cloud node */
    }
    cdr_buf_puts(&b, "/task/");
    put_encoded(&b, task_id);
    cdr_buf_printf(&b, "/%s", what);
    if (record_id) {
        cdr_buf_puts(&b, "/");
        put_encoded(&b, record_id);
    }
    if (tail)
        cdr_buf_printf(&b, "/%s", tail);
    return cdr_buf_steal(&b);
}

char *cdr_yunfu_list_path(const char *user_id, const char *task_id)
{
    return cdr__yunfu_task_path(user_id, task_id, "record", NULL, NULL);
}

/* name=value with both percent-encoded, so "levels[0][]" travels as "levels%5B0%5D%5B%5D". */
void cdr__yunfu_put_param(struct cdr_buf *b, const char *name, const char *value)
{
    if (b->len)
        cdr_buf_puts(b, "&");
    put_encoded(b, name);
    cdr_buf_puts(b, "=");
    put_encoded(b, value);
}

static void put_int_param(struct cdr_buf *b, const char *name, int64_t value)
{
    char text[24];
    snprintf(text, sizeof(text), "%lld", (long long)value);
    cdr__yunfu_put_param(b, name, text);
}

static void put_time_param(struct cdr_buf *b, const char *name, int64_t t)
{
    char text[CDR_LOCAL_TIME_LEN + 1];
    cdr_time_format_local(t, CDR_CHINA_OFFSET_SECONDS, text); /* the vendor's wall clock, UTC+8 */
    cdr__yunfu_put_param(b, name, text);
}

/* One filter as its query parameters, as its row in the table says. */
static void put_filter(struct cdr_buf *b, const struct cdr_field *r,
                       const struct cdr_yunfu_filter *f)
{
    switch (r->kind) {
    case CDR_VALUE_STRING:
        cdr__yunfu_put_param(b, r->param, cdr__field_text(r, f));
        break;
    case CDR_VALUE_TIME:
        put_time_param(b, r->param, cdr__field_int(r, f));
        break;
    case CDR_VALUE_INT_LIST: /* name[]=a&name[]=b */
        for (size_t i = 0; i < cdr__field_count(r, f); i++)
            put_int_param(b, r->param, cdr__field_int_at(r, f, i));
        break;
    case CDR_VALUE_RANGE_LIST: /* name[0][]=min&name[0][]=max&name[1][]=... */
        for (size_t i = 0; i < 2 * cdr__field_count(r, f); i++) {
            char name[64];
            snprintf(name, sizeof(name), "%s[%zu][]", r->param, i / 2);
            put_int_param(b, name, cdr__field_int_at(r, f, i));
        }
        break;
    default:
        b->failed = true; /* a kind Yunfu's table does not use */
        break;
    }
}

/* page, and per_page unless <= 0 (the server's default then): how every paged query starts. */
static void start_paged(struct cdr_buf *b, int64_t page, int64_t per_page)
{
    cdr_buf_init(b);
    cdr_buf_puts(b, "");
    put_int_param(b, "page", page);
    if (per_page > 0)
        put_int_param(b, "per_page", per_page);
}

char *cdr_yunfu_list_query(const struct cdr_yunfu_filter *f, int64_t page, int64_t per_page)
{
    struct cdr_buf b;
    start_paged(&b, page, per_page);
    for (const struct cdr_field *r = cdr__yunfu_fields; f && r->name; r++)
        if (cdr__field_sent(cdr__yunfu_fields, r, f))
            put_filter(&b, r, f);
    return cdr_buf_steal(&b);
}

char *cdr__yunfu_detail_query(const char *sub_user_id)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "");
    if (sub_user_id)
        cdr__yunfu_put_param(&b, "sub_user_id", sub_user_id);
    return cdr_buf_steal(&b);
}

char *cdr_yunfu_tasks_path(const char *user_id, bool all)
{
    if (!user_id)
        return NULL;
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "/agent-api/user/");
    put_encoded(&b, user_id);
    cdr_buf_puts(&b, all ? "/all_task" : "/task");
    return cdr_buf_steal(&b);
}

char *cdr_yunfu_tasks_query(const struct cdr_yunfu_task_filter *f, bool all, int64_t page,
                            int64_t per_page)
{
    struct cdr_buf b;
    start_paged(&b, page, per_page);
    if (f && f->name)
        cdr__yunfu_put_param(&b, "name", f->name);
    /* "1 || [1,2]": one status as a value, several as PHP's array. */
    for (size_t i = 0; f && i < f->status_count; i++)
        put_int_param(&b, f->status_count == 1 ? "status" : "status[]", f->statuses[i]);
    if (f && f->sub_user_id && !all) /* all_task takes no sub_user_id */
        cdr__yunfu_put_param(&b, "sub_user_id", f->sub_user_id);
    return cdr_buf_steal(&b);
}

char *cdr__yunfu_voice_query(const char *const *record_ids, size_t count, const char *sub_user_id)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "");
    for (size_t i = 0; i < count; i++)
        cdr__yunfu_put_param(&b, "recordIds[]", record_ids[i]);
    if (sub_user_id)
        cdr__yunfu_put_param(&b, "sub_user_id", sub_user_id);
    return cdr_buf_steal(&b);
}
