/* The record query's filters, one field at a time, and the per-field indexes that answer them
 * (../../index.h). Every field but the number search is indexed: each record has one value per
 * field (its whole label list for labelNames), a filter selects values by testing itself on one
 * record of each, and counts and pages come from the selected values' lists. The number search
 * (calledOrCaller, a substring of either party) has its own column and gram index (numbers.c);
 * here it is tested on one record. The filter semantics are inferred; docs/vendors/itnio.md
 * section 3. */
#include <pthread.h>
#include <string.h>

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

bool itnio_filters_active(const struct itnio_record_filter *f, enum itnio_field field)
{
    switch (field) {
    case ITNIO_FIELD_GROUP_ID:
        return f->has_group_id;
    case ITNIO_FIELD_GROUP_NAME:
        return f->group_name != NULL;
    case ITNIO_FIELD_SEAT_ID:
        return f->seat_id_count != 0;
    case ITNIO_FIELD_SEAT_NAME:
        return f->seat_name_count != 0;
    case ITNIO_FIELD_CALL_TYPE:
        return f->call_type_count != 0;
    case ITNIO_FIELD_HANGUP_REASON:
        return f->hangup_reason_count != 0;
    case ITNIO_FIELD_CCODE:
        return f->ccode_count != 0;
    case ITNIO_FIELD_DIRECTION:
        return f->direction_count != 0;
    case ITNIO_FIELD_LABELS:
        return f->label_count != 0;
    case ITNIO_FIELD_COUNT:
        break;
    }
    return false;
}

bool itnio_filters_test(const struct itnio_record_filter *f, enum itnio_field field,
                        const struct itnio_attrs *a)
{
    switch (field) {
    case ITNIO_FIELD_GROUP_ID:
        return a->voice_group_id == f->group_id;
    case ITNIO_FIELD_GROUP_NAME:
        return a->sip_group_name && strcmp(a->sip_group_name, f->group_name) == 0;
    case ITNIO_FIELD_SEAT_ID:
        return int_in(a->seat_id, f->seat_ids, f->seat_id_count);
    case ITNIO_FIELD_SEAT_NAME:
        return string_in(a->seat_name, f->seat_names, f->seat_name_count);
    case ITNIO_FIELD_CALL_TYPE:
        return int_in(a->call_type, f->call_types, f->call_type_count);
    case ITNIO_FIELD_HANGUP_REASON:
        return int_in(a->hangup_reason, f->hangup_reasons, f->hangup_reason_count);
    case ITNIO_FIELD_CCODE:
        return ccode_in(a->ccode, f->ccodes, f->ccode_count);
    case ITNIO_FIELD_DIRECTION:
        return int_in(a->hanging_direction, f->directions, f->direction_count);
    case ITNIO_FIELD_LABELS:
        for (size_t i = 0; i < a->label_count; i++)
            if (string_in(a->labels[i], f->labels, f->label_count))
                return true;
        return false;
    case ITNIO_FIELD_COUNT:
        break;
    }
    return false;
}

bool itnio_filters_number(const struct itnio_record_filter *f, const struct itnio_attrs *a)
{
    /* A search box: the number matches either party, as a substring. */
    return !f->number || contains(a->caller, f->number) || contains(a->called, f->number) ||
           contains(a->encrypt_called, f->number);
}

bool itnio_filters_match(const struct itnio_record_filter *f, const struct itnio_attrs *a)
{
    for (int field = 0; field < ITNIO_FIELD_COUNT; field++)
        if (itnio_filters_active(f, field) && !itnio_filters_test(f, field, a))
            return false;
    return itnio_filters_number(f, a);
}

/* ---- the indexes: each field's value, hashed and compared -------------------------------- */

static uint64_t mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * 0x100000001b3ULL;
}

static uint64_t text_hash(const char *text)
{
    return text ? itnio_key_hash(text) : 1;
}

static bool same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

#define INT_FIELD(name, member)                                                                    \
    static uint64_t hash_##name(const void *attrs)                                                 \
    {                                                                                              \
        return mix(0xcbf29ce484222325ULL, (uint64_t)((const struct itnio_attrs *)attrs)->member) * \
               0x9E3779B97F4A7C15ULL;                                                              \
    }                                                                                              \
    static bool same_##name(const void *a, const void *b)                                          \
    {                                                                                              \
        return ((const struct itnio_attrs *)a)->member == ((const struct itnio_attrs *)b)->member; \
    }
#define TEXT_FIELD(name, member)                                                                   \
    static uint64_t hash_##name(const void *attrs)                                                 \
    {                                                                                              \
        return text_hash(((const struct itnio_attrs *)attrs)->member);                             \
    }                                                                                              \
    static bool same_##name(const void *a, const void *b)                                          \
    {                                                                                              \
        return same_text(((const struct itnio_attrs *)a)->member,                                  \
                         ((const struct itnio_attrs *)b)->member);                                 \
    }

INT_FIELD(group_id, voice_group_id)
TEXT_FIELD(group_name, sip_group_name)
INT_FIELD(seat_id, seat_id)
TEXT_FIELD(seat_name, seat_name)
INT_FIELD(call_type, call_type)
INT_FIELD(hangup_reason, hangup_reason)
TEXT_FIELD(ccode, ccode)
INT_FIELD(direction, hanging_direction)

static uint64_t hash_labels(const void *attrs)
{
    const struct itnio_attrs *a = attrs;
    uint64_t h = mix(0xcbf29ce484222325ULL, a->label_count);
    for (size_t i = 0; i < a->label_count; i++)
        h = mix(h, text_hash(a->labels[i]));
    return h;
}

static bool same_labels(const void *x, const void *y)
{
    const struct itnio_attrs *a = x, *b = y;
    if (a->label_count != b->label_count)
        return false;
    for (size_t i = 0; i < a->label_count; i++)
        if (!same_text(a->labels[i], b->labels[i]))
            return false;
    return true;
}

static const struct {
    mock_index_hash *hash;
    mock_index_same *same;
} field_keys[ITNIO_FIELD_COUNT] = {
    [ITNIO_FIELD_GROUP_ID] = {hash_group_id, same_group_id},
    [ITNIO_FIELD_GROUP_NAME] = {hash_group_name, same_group_name},
    [ITNIO_FIELD_SEAT_ID] = {hash_seat_id, same_seat_id},
    [ITNIO_FIELD_SEAT_NAME] = {hash_seat_name, same_seat_name},
    [ITNIO_FIELD_CALL_TYPE] = {hash_call_type, same_call_type},
    [ITNIO_FIELD_HANGUP_REASON] = {hash_hangup_reason, same_hangup_reason},
    [ITNIO_FIELD_CCODE] = {hash_ccode, same_ccode},
    [ITNIO_FIELD_DIRECTION] = {hash_direction, same_direction},
    [ITNIO_FIELD_LABELS] = {hash_labels, same_labels},
};

/* Builds fields [from, to) of the per-field indexes; false when out of memory. */
static bool build_fields(struct itnio_state *st, int from, int to)
{
    bool ok = true;
    for (int field = from; field < to && ok; field++)
        ok = mock_index_build(&st->indexes[field], &st->records, field_keys[field].hash,
                              field_keys[field].same);
    return ok;
}

/* The share of the indexing a second thread does: the numbers column, then the last fields. */
struct beside {
    struct itnio_state *st;
    int from;
    bool ok;
};

enum { BESIDE_FROM = ITNIO_FIELD_CCODE }; /* the column costs about as much as three fields */

static void *build_beside(void *job)
{
    struct beside *b = job;
    itnio_numbers_build(b->st); /* without it (out of memory) the number search tests records */
    b->ok = build_fields(b->st, b->from, ITNIO_FIELD_COUNT);
    return NULL;
}

void itnio_filters_build(struct itnio_state *st)
{
    /* Two cores: the numbers column and some fields' indexes are built in a thread beside the
     * other fields' indexes. All read the same store and each writes only its own index. */
    struct beside job = {st, BESIDE_FROM, false};
    pthread_t thread;
    bool beside = pthread_create(&thread, NULL, build_beside, &job) == 0;
    st->indexed = build_fields(st, 0, beside ? BESIDE_FROM : ITNIO_FIELD_COUNT);
    if (beside)
        pthread_join(thread, NULL);
    else
        itnio_numbers_build(st);
    st->indexed = st->indexed && (!beside || job.ok);
    if (!st->indexed) { /* out of memory: queries scan instead */
        for (int field = 0; field < ITNIO_FIELD_COUNT; field++)
            mock_index_free(&st->indexes[field]);
    }
    /* The column's gram index takes about as long as the fields' indexes: it is built after
     * them, in a thread that outlives the load, so the mock is ready without waiting for it (and
     * without it taking a core from the indexes above). */
    itnio_numbers_index(st);
}

void itnio_filters_free(struct itnio_state *st)
{
    for (int field = 0; field < ITNIO_FIELD_COUNT; field++)
        mock_index_free(&st->indexes[field]);
    st->indexed = false;
    itnio_numbers_clear(st);
}

size_t itnio_filters_pick(const struct itnio_state *st, const struct itnio_record_filter *f,
                          enum itnio_field field, const struct mock_index_key **keys)
{
    const struct mock_index *index = &st->indexes[field];
    size_t n = 0;
    for (size_t k = 0; k < index->key_count; k++)
        if (itnio_filters_test(f, field, index->keys[k].example))
            keys[n++] = &index->keys[k];
    return n;
}
