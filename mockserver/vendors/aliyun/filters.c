/* Per-field indexes over the call records (../../index.h): for each field HotlineSessionQuery
 * filters on and few records share a value of (call type, skill group, agent, member, the two
 * numbers, call result), the records grouped by their value. records.c picks the values a
 * filter accepts by testing it on one record of each, then counts and pages from their lists.
 * Id and Acid, one record each, are hash tables from the text to the records instead: looked up,
 * never walked. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static uint64_t mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * 0x100000001b3ULL;
}

/* FNV-1a; absent (NULL) hashes apart from every text. */
static uint64_t text_hash(const char *text)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    if (!text)
        return 1;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        h = mix(h, *p);
    return h;
}

static bool same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

#define ATTRS(p) ((const struct aliyun_attrs *)(p))
#define INT_FIELD(name, has, member)                                                               \
    static uint64_t hash_##name(const void *a)                                                     \
    {                                                                                              \
        return mix(mix(0xcbf29ce484222325ULL, ATTRS(a)->has), (uint64_t)ATTRS(a)->member) *        \
               0x9E3779B97F4A7C15ULL;                                                              \
    }                                                                                              \
    static bool same_##name(const void *a, const void *b)                                          \
    {                                                                                              \
        return ATTRS(a)->has == ATTRS(b)->has && ATTRS(a)->member == ATTRS(b)->member;             \
    }
#define TEXT_FIELD(name, member)                                                                   \
    static uint64_t hash_##name(const void *a)                                                     \
    {                                                                                              \
        return text_hash(ATTRS(a)->member);                                                        \
    }                                                                                              \
    static bool same_##name(const void *a, const void *b)                                          \
    {                                                                                              \
        return same_text(ATTRS(a)->member, ATTRS(b)->member);                                      \
    }

INT_FIELD(call_type, has_call_type, call_type)
INT_FIELD(group_id, has_group_id, group_id)
TEXT_FIELD(group_name, group_name)
TEXT_FIELD(servicer_id, servicer_id)
TEXT_FIELD(servicer_name, servicer_name)
TEXT_FIELD(member_id, member_id)
TEXT_FIELD(member_name, member_name)
TEXT_FIELD(calling, calling)
TEXT_FIELD(called, called)
TEXT_FIELD(call_result, call_result)

static const struct {
    mock_index_hash *hash;
    mock_index_same *same;
} field_keys[ALIYUN_FIELD_COUNT] = {
    [ALIYUN_FIELD_CALL_TYPE] = {hash_call_type, same_call_type},
    [ALIYUN_FIELD_GROUP_ID] = {hash_group_id, same_group_id},
    [ALIYUN_FIELD_GROUP_NAME] = {hash_group_name, same_group_name},
    [ALIYUN_FIELD_SERVICER_ID] = {hash_servicer_id, same_servicer_id},
    [ALIYUN_FIELD_SERVICER_NAME] = {hash_servicer_name, same_servicer_name},
    [ALIYUN_FIELD_MEMBER_ID] = {hash_member_id, same_member_id},
    [ALIYUN_FIELD_MEMBER_NAME] = {hash_member_name, same_member_name},
    [ALIYUN_FIELD_CALLING] = {hash_calling, same_calling},
    [ALIYUN_FIELD_CALLED] = {hash_called, same_called},
    [ALIYUN_FIELD_CALL_RESULT] = {hash_call_result, same_call_result},
};

void aliyun_filters_build(struct aliyun_state *st)
{
    st->indexed = true;
    for (int field = 0; field < ALIYUN_FIELD_COUNT && st->indexed; field++)
        st->indexed = mock_index_build(&st->indexes[field], &st->records, field_keys[field].hash,
                                       field_keys[field].same);
    if (!st->indexed) /* out of memory: queries scan instead */
        aliyun_filters_free(st);
}

void aliyun_filters_free(struct aliyun_state *st)
{
    for (int field = 0; field < ALIYUN_FIELD_COUNT; field++)
        mock_index_free(&st->indexes[field]);
    st->indexed = false;
}

/* ---- Id and Acid: one record each (nearly), so a table from the text to the records ---------- */

static const char *key_text(const struct aliyun_state *st, enum aliyun_key key, size_t position)
{
    const struct aliyun_attrs *a = st->records.entries[position].attrs;
    return key == ALIYUN_KEY_ID ? a->id : a->acid;
}

/* Open addressing with linear probing, at most half full: a record's slot is found from its
 * text's hash, and records sharing a text follow each other on the probe path in store order. */
static bool key_table_build(struct aliyun_state *st, enum aliyun_key key)
{
    struct aliyun_key_table *t = &st->keys[key];
    size_t slots = 16;
    while (slots < 2 * st->records.count)
        slots *= 2;
    t->slots = calloc(slots, sizeof(*t->slots));
    if (!t->slots)
        return false;
    t->mask = slots - 1;
    for (size_t position = 0; position < st->records.count; position++) {
        const char *text = key_text(st, key, position);
        if (!text)
            continue;
        size_t slot = (size_t)text_hash(text) & t->mask;
        while (t->slots[slot])
            slot = (slot + 1) & t->mask;
        t->slots[slot] = position + 1;
    }
    return true;
}

bool aliyun_keys_build(struct aliyun_state *st)
{
    aliyun_keys_free(st);
    for (int key = 0; key < ALIYUN_KEY_COUNT; key++)
        if (!key_table_build(st, key)) {
            aliyun_keys_free(st);
            return false;
        }
    return true;
}

void aliyun_keys_free(struct aliyun_state *st)
{
    for (int key = 0; key < ALIYUN_KEY_COUNT; key++) {
        free(st->keys[key].slots);
        st->keys[key] = (struct aliyun_key_table){NULL, 0};
    }
}

bool aliyun_keys_each(const struct aliyun_state *st, enum aliyun_key key, const char *text,
                      bool (*each)(void *ctx, size_t position), void *ctx)
{
    const struct aliyun_key_table *t = &st->keys[key];
    if (!t->slots || !text)
        return true;
    for (size_t slot = (size_t)text_hash(text) & t->mask; t->slots[slot];
         slot = (slot + 1) & t->mask) {
        size_t position = t->slots[slot] - 1;
        if (strcmp(key_text(st, key, position), text) == 0 && !each(ctx, position))
            return false;
    }
    return true;
}
