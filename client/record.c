#include "cdrsim/record.h"

#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "cdrsim/timefmt.h"
#include "private.h"

void cdr_record_init(struct cdr_record *rec)
{
    memset(rec, 0, sizeof(*rec));
    rec->start_time = rec->answer_time = rec->end_time = CDR_TIME_NONE;
    rec->ring_seconds = rec->talk_seconds = CDR_SECONDS_NONE;
}

void cdr_record_free(struct cdr_record *rec)
{
    free(rec->id);
    free(rec->call_id);
    free(rec->caller);
    free(rec->callee);
    free(rec->agent);
    free(rec->group);
    for (size_t i = 0; i < rec->recording_url_count; i++)
        free(rec->recording_urls[i]);
    free(rec->recording_urls);
    free(rec->raw_json);
    cdr_record_init(rec);
}

void cdr__records_free(struct cdr_record *records, size_t count)
{
    for (size_t i = 0; records && i < count; i++)
        cdr_record_free(&records[i]);
    free(records);
}

int cdr_record_add_recording_url(struct cdr_record *rec, const char *url)
{
    char **urls = realloc(rec->recording_urls, (rec->recording_url_count + 1) * sizeof(*urls));
    if (!urls)
        return -1;
    rec->recording_urls = urls;
    urls[rec->recording_url_count] = strdup(url);
    if (!urls[rec->recording_url_count])
        return -1;
    rec->recording_url_count++;
    return 0;
}

const char *cdr_direction_name(enum cdr_direction d)
{
    switch (d) {
    case CDR_DIRECTION_INBOUND:
        return "inbound";
    case CDR_DIRECTION_OUTBOUND:
        return "outbound";
    case CDR_DIRECTION_INTERNAL:
        return "internal";
    case CDR_DIRECTION_UNKNOWN:
        break;
    }
    return "unknown";
}

const char *cdr_hangup_by_name(enum cdr_hangup_by h)
{
    switch (h) {
    case CDR_HANGUP_CUSTOMER:
        return "customer";
    case CDR_HANGUP_AGENT:
        return "agent";
    case CDR_HANGUP_SYSTEM:
        return "system";
    case CDR_HANGUP_UNKNOWN:
        break;
    }
    return "unknown";
}

static void put_key(struct cdr_buf *b, const char *key)
{
    cdr_buf_append(b, ",\"", 2);
    cdr_buf_puts(b, key);
    cdr_buf_append(b, "\":", 2);
}

size_t cdr_record_text_len(const char *text, size_t len)
{
    return len ? len : text ? strlen(text) : 0;
}

static void put_string(struct cdr_buf *b, const char *key, const char *value)
{
    put_key(b, key);
    cdr_buf_json_string(b, value);
}

static void put_text(struct cdr_buf *b, const char *key, const char *value, size_t len)
{
    put_key(b, key);
    cdr_buf_json_string_len(b, value, cdr_record_text_len(value, len));
}

static void put_time(struct cdr_buf *b, const char *key, int64_t t)
{
    put_key(b, key);
    if (t == CDR_TIME_NONE) {
        cdr_buf_puts(b, "null");
        return;
    }
    char text[CDR_RFC3339_LEN + 1];
    cdr_time_format_rfc3339(t, text);
    cdr_buf_json_string(b, text);
}

static void put_seconds(struct cdr_buf *b, const char *key, int64_t s)
{
    put_key(b, key);
    if (s < 0) {
        cdr_buf_puts(b, "null");
        return;
    }
    char digits[24];
    size_t n = sizeof(digits);
    uint64_t v = (uint64_t)s;
    do
        digits[--n] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    cdr_buf_append(b, digits + n, sizeof(digits) - n);
}

char *cdr_record_to_json(const struct cdr_record *rec, int include_raw)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_record_append_json(&b, rec, include_raw);
    return cdr_buf_steal(&b);
}

bool cdr_record_append_json(struct cdr_buf *b, const struct cdr_record *rec, int include_raw)
{
    cdr_buf_puts(b, "{\"vendor\":");
    cdr_buf_json_string(b, rec->vendor);
    put_text(b, "id", rec->id, rec->len.id);
    put_text(b, "call_id", rec->call_id, rec->len.call_id);
    put_string(b, "direction", cdr_direction_name(rec->direction));
    put_text(b, "caller", rec->caller, rec->len.caller);
    put_text(b, "callee", rec->callee, rec->len.callee);
    put_text(b, "agent", rec->agent, rec->len.agent);
    put_text(b, "group", rec->group, rec->len.group);
    put_time(b, "start_time", rec->start_time);
    put_time(b, "answer_time", rec->answer_time);
    put_time(b, "end_time", rec->end_time);
    put_seconds(b, "ring_seconds", rec->ring_seconds);
    put_seconds(b, "talk_seconds", rec->talk_seconds);
    put_string(b, "hangup_by", cdr_hangup_by_name(rec->hangup_by));
    cdr_buf_puts(b, ",\"recording_urls\":[");
    for (size_t i = 0; i < rec->recording_url_count; i++) {
        if (i)
            cdr_buf_puts(b, ",");
        cdr_buf_json_string(b, rec->recording_urls[i]);
    }
    cdr_buf_puts(b, "]");
    if (include_raw) {
        put_key(b, "raw");
        cdr_buf_puts(b, rec->raw_json ? rec->raw_json : "null");
    }
    return cdr_buf_puts(b, "}");
}
