/* records.json read without building a cJSON tree and printing it again: one pass over the text
 * finds each record's members the store needs, and a record whose bytes are already what
 * cJSON_PrintUnformatted would write (compact, integers, no escapes it would rewrite) keeps them
 * as its text. That is most of the start-up cost of the built-in data gone (the tree of 561
 * records and its printing took ~60M instructions). Anything this reader does not know for sure
 * goes the old way: a record with escaped members the store needs, or fractions, is parsed with
 * cJSON on its own; a text that is not a plain JSON array (syntax errors included) is left to the
 * caller's cJSON load, so every error keeps its wording. The tokens are the mock's JSON reader's
 * (json_read.h): here only which members fill the view. */
#include <stdlib.h>
#include <string.h>

#include "../../json_read.h"
#include "internal.h"

/* Escapes cJSON writes itself keep a record's bytes; fractions do not (1.0 is an integer to it). */
enum { FORM = MOCK_JSON_ESCAPES };

/* One record as read: where its text is, whether it can keep it, and its view. */
struct scanned {
    const char *start;
    size_t len;
    bool through_cjson; /* escapes or numbers this reader does not turn into values */
    struct itnio_record_view view;
    size_t first_end, end_count; /* its strings' closing quotes in struct ends */
};

/* The members the store reads, and which slot of the view each fills. */
enum member {
    M_KEY_ID,
    M_START,
    M_DURATION,
    M_CALL_TYPE,
    M_HANGUP_REASON,
    M_DIRECTION,
    M_GROUP_ID,
    M_ANSWER,
    M_TEXT0, /* the view's texts, in their order */
    M_VOICE_URL = M_TEXT0 + ITNIO_VIEW_TEXTS,
    M_LABELS,
    M_URLS,
    M_COUNT,
    M_OTHER = M_COUNT
};

static const char *const member_names[M_COUNT] = {
    [M_KEY_ID] = "keyId",
    [M_START] = "callStartTime",
    [M_DURATION] = "callDuration",
    [M_CALL_TYPE] = "callType",
    [M_HANGUP_REASON] = "hangupReason",
    [M_DIRECTION] = "hangingDirection",
    [M_GROUP_ID] = "voiceGroupId",
    [M_ANSWER] = "calledAnswerTime",
    [M_TEXT0] = "sipGroupName",
    [M_TEXT0 + 1] = "seatName",
    [M_TEXT0 + 2] = "called",
    [M_TEXT0 + 3] = "encryptCalled",
    [M_TEXT0 + 4] = "caller",
    [M_TEXT0 + 5] = "ccode",
    [M_VOICE_URL] = "voiceUrl",
    [M_LABELS] = "labelNameList",
    [M_URLS] = "voiceUrlList",
};

/* Which member a name is: the length and first letter rule out most names before a compare. */
static enum member member_of(const char *name, size_t len, const size_t *lengths)
{
    for (int m = 0; m < M_COUNT; m++)
        if (lengths[m] == len && member_names[m][0] == name[0] &&
            memcmp(member_names[m], name, len) == 0)
            return m;
    return M_OTHER;
}

/* Strings of the record to end with a NUL once it is read (their closing quotes). */
struct ends {
    char **at;
    size_t n, cap;
};

/* at: in itnio_fixture_scan's text, which it may write. */
static bool note_end(struct ends *e, const char *at)
{
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 32;
        char **grown = realloc(e->at, cap * sizeof(*grown));
        if (!grown)
            return false;
        e->at = grown;
        e->cap = cap;
    }
    e->at[e->n++] = (char *)at;
    return true;
}

/* A list member: its non-empty strings into *items (malloc'd); anything else is skipped. */
static bool scan_list(struct mock_json_reader *c, struct scanned *r, const char ***items,
                      size_t *count, struct ends *ends)
{
    if (*c->p != '[')
        return mock_json_value(c, 1);
    c->p++;
    size_t cap = 0;
    *count = 0;
    if (c->p < c->end && *c->p == ']') {
        c->p++;
        return true;
    }
    for (;;) {
        if (c->p >= c->end)
            return false;
        if (*c->p == '"') {
            struct mock_json_text s;
            bool escaped;
            if (!mock_json_string(c, &s, &escaped))
                return false;
            if (escaped) {
                r->through_cjson = true;
            } else if (s.len) {
                if (*count == cap) {
                    cap = cap ? cap * 2 : 4;
                    const char **grown = realloc(*items, cap * sizeof(*grown));
                    if (!grown)
                        return false;
                    *items = grown;
                }
                (*items)[(*count)++] = s.text;
                if (!note_end(ends, s.text + s.len))
                    return false;
            }
        } else if (!mock_json_value(c, 2)) {
            return false;
        }
        if (c->p >= c->end)
            return false;
        if (*c->p == ']') {
            c->p++;
            return true;
        }
        if (*c->p++ != ',')
            return false;
    }
}

/* One record object at c->p. lengths: of member_names. */
static bool scan_record(struct mock_json_reader *c, struct scanned *r, struct ends *ends,
                        const size_t *lengths)
{
    struct itnio_record_view *v = &r->view;
    *v = (struct itnio_record_view){.duration = ITNIO_ABSENT,
                                    .call_type = ITNIO_ABSENT,
                                    .hangup_reason = ITNIO_ABSENT,
                                    .direction = ITNIO_ABSENT,
                                    .group_id = ITNIO_ABSENT};
    int64_t *ints[M_COUNT] = {[M_DURATION] = &v->duration,
                              [M_CALL_TYPE] = &v->call_type,
                              [M_HANGUP_REASON] = &v->hangup_reason,
                              [M_DIRECTION] = &v->direction,
                              [M_GROUP_ID] = &v->group_id};
    r->start = c->p;
    r->first_end = ends->n;
    bool seen[M_COUNT] = {0};
    c->canonical = true;
    c->p++;
    if (c->p < c->end && *c->p == '}') {
        c->p++;
        r->len = 2;
        r->end_count = 0;
        return true;
    }
    for (;;) {
        struct mock_json_text name;
        bool escaped;
        if (!mock_json_string(c, &name, &escaped))
            return false;
        if (escaped)
            r->through_cjson = true; /* a member name this reader does not compare */
        if (c->p >= c->end || *c->p != ':')
            return false; /* whitespace too: the text is not compact */
        c->p++;
        if (c->p >= c->end)
            return false;
        enum member m = escaped || !name.len ? M_OTHER : member_of(name.text, name.len, lengths);
        if (m != M_OTHER && seen[m])
            m = M_OTHER; /* cJSON finds the first member of a name */
        if (m != M_OTHER)
            seen[m] = true;
        const char *value = c->p;
        if (m == M_LABELS || m == M_URLS) {
            bool labels = m == M_LABELS;
            if (!scan_list(c, r, labels ? &v->labels : &v->urls,
                           labels ? &v->label_count : &v->url_count, ends))
                return false;
        } else if (m != M_OTHER && *value == '"') {
            struct mock_json_text s;
            if (!mock_json_string(c, &s, &escaped))
                return false;
            if (escaped)
                r->through_cjson = true;
            else if (m == M_START || m == M_VOICE_URL || (m >= M_TEXT0 && m < M_VOICE_URL)) {
                const char **slot = m == M_START       ? &v->start_time
                                    : m == M_VOICE_URL ? &v->voice_url
                                                       : &v->texts[m - M_TEXT0];
                *slot = s.text;
                if (!note_end(ends, s.text + s.len))
                    return false;
            } else if (m == M_ANSWER) {
                v->answered = s.len > 0;
            }
        } else if (m != M_OTHER && *value != '{' && *value != '[' && *value != 't' &&
                   *value != 'f' && *value != 'n') {
            bool integer;
            int64_t n;
            if (!mock_json_number(c, &integer, &n))
                return false;
            if (!integer)
                r->through_cjson = true; /* 1.0 is an integer to cJSON */
            else if (m == M_KEY_ID) {
                v->has_key_id = true;
                v->key_id = n;
            } else if (ints[m]) {
                *ints[m] = n;
            }
        } else if (!mock_json_value(c, 1)) {
            return false;
        }
        if (c->p >= c->end)
            return false;
        if (*c->p == '}') {
            c->p++;
            break;
        }
        if (*c->p != ',')
            return false;
        c->p++;
    }
    r->len = (size_t)(c->p - r->start);
    r->end_count = ends->n - r->first_end;
    r->through_cjson = r->through_cjson || !c->canonical;
    return true;
}

static void free_scanned(struct scanned *records, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(records[i].view.labels);
        free(records[i].view.urls);
    }
    free(records);
}

/* The whole array, checked, into *out (each record read, no string ended yet); false when the
 * text is not a plain array of objects. */
static bool scan_array(char *text, size_t len, struct scanned **out, size_t *count,
                       struct ends *ends)
{
    struct mock_json_reader c = mock_json_reader(text, len, FORM);
    size_t cap = 0, lengths[M_COUNT];
    for (int m = 0; m < M_COUNT; m++)
        lengths[m] = strlen(member_names[m]);
    *out = NULL;
    *count = 0;
    mock_json_space(&c);
    if (c.p >= c.end || *c.p++ != '[')
        return false;
    mock_json_space(&c);
    if (c.p < c.end && *c.p == ']') {
        c.p++;
    } else {
        for (;;) {
            mock_json_space(&c);
            if (c.p >= c.end || *c.p != '{')
                return false; /* not an object: the tree's loader words the error */
            if (*count == cap) {
                cap = cap ? cap * 2 : 256;
                struct scanned *grown = realloc(*out, cap * sizeof(*grown));
                if (!grown)
                    return false;
                *out = grown;
            }
            struct scanned *r = &(*out)[(*count)++];
            *r = (struct scanned){0};
            if (!scan_record(&c, r, ends, lengths))
                return false;
            mock_json_space(&c);
            if (c.p >= c.end)
                return false;
            if (*c.p == ']') {
                c.p++;
                break;
            }
            if (*c.p++ != ',')
                return false;
        }
    }
    mock_json_space(&c);
    return c.p == c.end; /* trailing text: cJSON's loader decides */
}

/* A record read: through cJSON, or its bytes in kept (the same offsets as in text) as its text,
 * and its strings ended in place in text for the view. */
static bool ingest_scanned(struct itnio_state *st, const struct scanned *r, const struct ends *ends,
                           const char *text, const char *kept, char *err, size_t err_len)
{
    if (r->through_cjson) {
        cJSON *obj = cJSON_ParseWithLength(r->start, r->len);
        if (!obj) { /* the text was checked: only memory can be short */
            snprintf(err, err_len, "out of memory");
            return false;
        }
        bool ok = itnio_dataset_ingest(st, obj, err, err_len);
        cJSON_Delete(obj);
        return ok;
    }
    char *json = (char *)kept + (r->start - text);
    for (size_t i = 0; i < r->end_count; i++)
        *ends->at[r->first_end + i] = '\0';
    return itnio_dataset_ingest_view(st, &r->view, json, r->len, err, err_len);
}

int itnio_fixture_scan(struct itnio_state *st, char *text, size_t len, struct mock_file_text *kept,
                       char *err, size_t err_len)
{
    struct scanned *records;
    size_t count;
    struct ends ends = {0};
    int result = -1;
    const char *kept_text = kept->text;
    if (scan_array(text, len, &records, &count, &ends)) {
        result = mock_store_keep_text(&st->records, kept) ? 1 : 0;
        if (!result)
            snprintf(err, err_len, "out of memory");
        for (size_t i = 0; i < count && result == 1; i++)
            if (!ingest_scanned(st, &records[i], &ends, text, kept_text, err, err_len))
                result = 0;
    }
    free(ends.at);
    free_scanned(records, count);
    return result;
}
