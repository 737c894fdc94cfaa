/* The generic push calls (cdrsim/vendor.h) and what the vendors' push parsers share
 * (push_shape.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "push_shape.h"
#include "vendor_ops.h"

void cdr_push_free(struct cdr_push *push)
{
    if (!push)
        return;
    cdr__records_free(push->records, push->record_count);
    push->records = NULL;
    push->record_count = 0;
}

const struct cdr_push_reply *cdr_push_reply_of(const struct cdr_vendor *v)
{
    return v && v->ops && v->ops->parse_push ? v->ops->push_reply : NULL;
}

cdr_error cdr_push_parse(const struct cdr_vendor *v, const char *body, size_t len,
                         struct cdr_push *out, struct cdr_error_info *err)
{
    *out = (struct cdr_push){0};
    if (!v || !v->ops || !v->ops->parse_push)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "%s does not push records",
                             v ? v->id : "(no vendor)");
    if (!body && len > 0)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "no body");
    cdr_error rc = v->ops->parse_push(body ? body : "", len, out, err);
    if (rc != CDR_OK)
        cdr_push_free(out);
    return rc;
}

/* Whether text ends inside a string or with an object or array still open: a body cut short, the
 * common way a webhook body breaks, worth saying apart from one that is not JSON at all. */
static bool ends_open(const char *text, size_t len)
{
    size_t depth = 0;
    bool in_string = false, escaped = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if ((c == '}' || c == ']') && depth > 0) {
            depth--;
        }
    }
    return in_string || depth > 0;
}

cJSON *cdr__push_open(const char *body, size_t len, struct cdr_error_info *err)
{
    size_t start = 0;
    while (start < len && (unsigned char)body[start] <= 32)
        start++;
    if (start == len) {
        cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "push body is empty");
        return NULL;
    }
    cJSON *root = cdr__json_parse_answer(body, len, "push body", err);
    if (root)
        return root;
    const char *stop = NULL;
    cJSON *probe = cJSON_ParseWithLengthOpts(body, len, &stop, false);
    if (probe) { /* it parses: something follows the value, or a string is not UTF-8 */
        cJSON_Delete(probe);
        return NULL;
    }
    if (ends_open(body, len))
        cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                      "push body ends early (%zu bytes, an object, array or string left open)",
                      len);
    else if (stop && stop >= body && (size_t)(stop - body) < len)
        cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "push body is not JSON (byte %zu of %zu)",
                      (size_t)(stop - body) + 1, len);
    else
        cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "push body ends early (%zu bytes)", len);
    return NULL;
}

static const char *type_name(const cJSON *item)
{
    return cJSON_IsString(item)   ? "a string"
           : cJSON_IsNumber(item) ? "a number"
           : cJSON_IsBool(item)   ? "a boolean"
           : cJSON_IsArray(item)  ? "an array"
           : cJSON_IsObject(item) ? "an object"
                                  : "null";
}

static const char *const kind_names[] = {
    [CDR__PUSH_STRING] = "a string",           [CDR__PUSH_INT] = "an integer",
    [CDR__PUSH_TEXT] = "a string or a number", [CDR__PUSH_STRING_LIST] = "an array of strings",
    [CDR__PUSH_OBJECT] = "an object",
};

/* Whether item (present, not null) is of kind; *empty when it is "" or has no value. */
static bool of_kind(const cJSON *item, enum cdr__push_kind kind, bool *empty)
{
    int64_t v;
    *empty = cJSON_IsString(item) && cdr__json_string_len(item) == 0;
    switch (kind) {
    case CDR__PUSH_STRING:
        return cJSON_IsString(item);
    case CDR__PUSH_INT:
        return *empty || cdr__json_as_int(item, &v);
    case CDR__PUSH_TEXT:
        return cJSON_IsString(item) || cdr__json_as_int(item, &v);
    case CDR__PUSH_STRING_LIST: {
        const cJSON *e;
        cJSON_ArrayForEach(e, item)
            if (!cJSON_IsString(e))
                return false;
        return cJSON_IsArray(item);
    }
    case CDR__PUSH_OBJECT:
        return cJSON_IsObject(item);
    }
    return false;
}

cdr_error cdr__push_check(const cJSON *obj, const struct cdr__push_member *table, const char *where,
                          struct cdr_error_info *err)
{
    if (!cJSON_IsObject(obj))
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "%s is %s, not an object", where,
                             type_name(obj));
    for (const struct cdr__push_member *m = table; m->name; m++) {
        const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, m->name);
        bool empty = false;
        if (item && !cJSON_IsNull(item) && !of_kind(item, m->kind, &empty))
            return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "%s.%s is %s, not %s", where,
                                 m->name, type_name(item), kind_names[m->kind]);
        if (m->required && (!item || cJSON_IsNull(item) || empty))
            return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "%s lacks the required %s%s",
                                 where, m->name,
                                 !item                ? ""
                                 : cJSON_IsNull(item) ? " (null)"
                                                      : " (empty)");
    }
    return CDR_OK;
}

void cdr__push_rename(cJSON *obj, const char *from, const char *to)
{
    cJSON *item = cJSON_DetachItemFromObjectCaseSensitive(obj, from);
    if (!item)
        return;
    cJSON_DeleteItemFromObjectCaseSensitive(obj, to);
    cJSON_AddItemToObject(obj, to, item);
}

bool cdr__push_reserve(struct cdr_push *out, size_t count)
{
    out->record_count = 0;
    out->records = count ? calloc(count, sizeof(*out->records)) : NULL;
    return !count || out->records;
}

cdr_error cdr__push_take(struct cdr_push *out, const cJSON *shaped, const cJSON *pushed,
                         cdr__json_normalizer_fn normalize, struct cdr_error_info *err)
{
    struct cdr_record *rec = &out->records[out->record_count];
    cdr_error rc = normalize(shaped, rec, err);
    if (rc != CDR_OK)
        return rc;
    free(rec->raw_json);
    rec->raw_json = cdr__json_print(pushed);
    out->record_count++; /* owned by out from here, whatever follows */
    if (!rec->raw_json)
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    return CDR_OK;
}
