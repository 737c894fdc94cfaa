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

int cdr__record_take_recording_url(struct cdr_record *rec, char *url)
{
    char **urls = realloc(rec->recording_urls, (rec->recording_url_count + 1) * sizeof(*urls));
    if (!urls)
        return -1;
    rec->recording_urls = urls;
    urls[rec->recording_url_count++] = url;
    return 0;
}

int cdr_record_add_recording_url(struct cdr_record *rec, const char *url)
{
    char *copy = strdup(url);
    if (!copy || cdr__record_take_recording_url(rec, copy)) {
        free(copy);
        return -1;
    }
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

size_t cdr_record_text_len(const char *text, size_t len)
{
    return len ? len : text ? strlen(text) : 0;
}

/* The record is written straight into room reserved once for its longest possible form: a fetch
 * writes every record it reads, and one capacity check a record costs less than one an append.
 * What each byte of a string becomes: itself (0), or the letter after the backslash of its escape
 * ('u': \u00XX). The same escapes as cdr_buf_json_string_len. */
// clang-format off
static const char escape_letter[256] = { /* bytes from 0x80 on: 0 */
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'b', 't', 'n', 'u', 'f', 'r', 'u', 'u',
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
    0, 0, '"', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '\\', 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
// clang-format on

/* The most a string of len bytes takes as JSON: every byte a \u00XX escape, and the quotes. */
static size_t string_room(size_t len)
{
    return 6 * len + 2;
}

static char *put_bytes(char *o, const char *bytes, size_t len)
{
    memcpy(o, bytes, len);
    return o + len;
}

#define PUT_LITERAL(o, text) put_bytes(o, text, sizeof(text) - 1)

static char *put_json_string(char *o, const char *text, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    if (!text)
        return PUT_LITERAL(o, "null");
    *o++ = '"';
    for (const unsigned char *p = (const unsigned char *)text, *end = p + len; p < end; p++) {
        char letter = escape_letter[*p];
        if (!letter) {
            *o++ = (char)*p;
            continue;
        }
        *o++ = '\\';
        *o++ = letter;
        if (letter == 'u') {
            *o++ = '0';
            *o++ = '0';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o++ = '"';
    return o;
}

/* ,"key": */
static char *put_key(char *o, const char *key, size_t key_len)
{
    *o++ = ',';
    *o++ = '"';
    o = put_bytes(o, key, key_len);
    *o++ = '"';
    *o++ = ':';
    return o;
}

#define PUT_KEY(o, key) put_key(o, key, sizeof(key) - 1)

static char *put_name(char *o, const char *name)
{
    return put_json_string(o, name, name ? strlen(name) : 0);
}

static char *put_time(char *o, int64_t t)
{
    if (t == CDR_TIME_NONE)
        return PUT_LITERAL(o, "null");
    *o++ = '"';
    cdr_time_format_rfc3339(t, o); /* writes its terminating NUL too, overwritten next */
    o += CDR_RFC3339_LEN;
    *o++ = '"';
    return o;
}

static char *put_seconds(char *o, int64_t s)
{
    if (s < 0)
        return PUT_LITERAL(o, "null");
    char digits[24];
    size_t n = sizeof(digits);
    uint64_t v = (uint64_t)s;
    do
        digits[--n] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    return put_bytes(o, digits + n, sizeof(digits) - n);
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
    const char *texts[] = {rec->id, rec->call_id, rec->caller, rec->callee, rec->agent, rec->group};
    const size_t lens[] = {rec->len.id,     rec->len.call_id, rec->len.caller,
                           rec->len.callee, rec->len.agent,   rec->len.group};
    size_t text_len[6];
    /* The keys, names, times and numbers take less than 512 bytes. */
    size_t room = 512 + string_room(rec->vendor ? strlen(rec->vendor) : 0);
    for (size_t i = 0; i < 6; i++)
        room += string_room(text_len[i] = cdr_record_text_len(texts[i], lens[i]));
    for (size_t i = 0; i < rec->recording_url_count; i++)
        room += 1 + string_room(rec->recording_urls[i] ? strlen(rec->recording_urls[i]) : 2);
    size_t raw_len = include_raw && rec->raw_json ? strlen(rec->raw_json) : 0;
    room += raw_len;
    if (!cdr_buf_reserve(b, room))
        return false;
    char *o = b->data + b->len;
    o = PUT_LITERAL(o, "{\"vendor\":");
    o = put_name(o, rec->vendor);
    static const char *const keys[] = {"id", "call_id", "caller", "callee", "agent", "group"};
    for (size_t i = 0; i < 2; i++)
        o = put_json_string(put_key(o, keys[i], strlen(keys[i])), texts[i], text_len[i]);
    o = put_name(PUT_KEY(o, "direction"), cdr_direction_name(rec->direction));
    for (size_t i = 2; i < 6; i++)
        o = put_json_string(put_key(o, keys[i], strlen(keys[i])), texts[i], text_len[i]);
    o = put_time(PUT_KEY(o, "start_time"), rec->start_time);
    o = put_time(PUT_KEY(o, "answer_time"), rec->answer_time);
    o = put_time(PUT_KEY(o, "end_time"), rec->end_time);
    o = put_seconds(PUT_KEY(o, "ring_seconds"), rec->ring_seconds);
    o = put_seconds(PUT_KEY(o, "talk_seconds"), rec->talk_seconds);
    o = put_name(PUT_KEY(o, "hangup_by"), cdr_hangup_by_name(rec->hangup_by));
    o = PUT_LITERAL(o, ",\"recording_urls\":[");
    for (size_t i = 0; i < rec->recording_url_count; i++) {
        if (i)
            *o++ = ',';
        const char *url = rec->recording_urls[i];
        o = put_json_string(o, url, url ? strlen(url) : 0);
    }
    *o++ = ']';
    if (include_raw) {
        o = PUT_KEY(o, "raw");
        o = rec->raw_json ? put_bytes(o, rec->raw_json, raw_len) : PUT_LITERAL(o, "null");
    }
    *o++ = '}';
    *o = '\0';
    b->len = (size_t)(o - b->data);
    return true;
}
