/* What cJSON drops from a vendor's answer, kept: cJSON stores a string as a C string (a "\u0000"
 * inside ends it early) and a number as a double (an id of 2^70 loses its digits), and copies
 * invalid UTF-8 through. The answer is read by the one pass of json_tokens.c, which checks every
 * string as UTF-8, and the tree is built here from its tokens: each number's source text in the
 * number's valuestring (cJSON frees it with the item and never prints it), a string holding a NUL
 * with its full bytes (its length in valueint, unused by cJSON for strings). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "json_get.h"
#include "json_tokens.h"

static cJSON *new_item(int type)
{
    cJSON *item = cJSON_malloc(sizeof(*item));
    if (item) {
        memset(item, 0, sizeof(*item));
        item->type = type;
    }
    return item;
}

static char *string_bytes(const struct cdr__jdoc *doc, size_t i, size_t *len)
{
    char *bytes = cJSON_malloc((size_t)cdr__jdoc_at(doc, i)->len + 1);
    if (bytes)
        *len = cdr__jdoc_decode(doc, i, bytes);
    return bytes;
}

/* Token i and everything inside it as cJSON items, as cJSON's parser links them (an array's
 * first child's prev is its last); NULL when out of memory. */
static cJSON *build(const struct cdr__jdoc *doc, size_t i)
{
    const struct cdr__jtok *t = cdr__jdoc_at(doc, i);
    static const int types[] = {
        [CDR__JNULL] = cJSON_NULL,     [CDR__JFALSE] = cJSON_False,   [CDR__JTRUE] = cJSON_True,
        [CDR__JNUMBER] = cJSON_Number, [CDR__JSTRING] = cJSON_String, [CDR__JARRAY] = cJSON_Array,
        [CDR__JOBJECT] = cJSON_Object,
    };
    cJSON *item = new_item(types[t->type]);
    if (!item)
        return NULL;
    size_t len;
    switch (t->type) {
    case CDR__JNUMBER:
        if (!(item->valuestring = cJSON_malloc((size_t)t->len + 1)))
            break;
        memcpy(item->valuestring, doc->text + t->start, t->len);
        item->valuestring[t->len] = '\0';
        item->valuedouble = strtod(item->valuestring, NULL);
        item->valueint = item->valuedouble >= INT_MAX           ? INT_MAX
                         : item->valuedouble <= (double)INT_MIN ? INT_MIN
                                                                : (int)item->valuedouble;
        return item;
    case CDR__JSTRING:
        if (!(item->valuestring = string_bytes(doc, i, &len)))
            break;
        if (t->nul)
            item->valueint = (int)len; /* the pass refused longer texts than an int counts */
        return item;
    case CDR__JARRAY:
    case CDR__JOBJECT: {
        cJSON *last = NULL;
        size_t k = i + 1;
        for (uint32_t m = 0; m < t->count; m++) {
            size_t name = k;
            if (t->type == CDR__JOBJECT)
                k++;
            cJSON *child = build(doc, k);
            if (!child)
                break;
            if (last) {
                last->next = child;
                child->prev = last;
            } else {
                item->child = child;
            }
            last = child;
            if (t->type == CDR__JOBJECT && !(child->string = string_bytes(doc, name, &len)))
                break;
            k = cdr__jdoc_at(doc, k)->end;
        }
        if (item->child)
            item->child->prev = last;
        if (k == t->end)
            return item;
        break;
    }
    default:
        return item;
    }
    cJSON_Delete(item);
    return NULL;
}

cJSON *cdr__json_parse_answer(const char *text, size_t len, const char *what,
                              struct cdr_error_info *err)
{
    struct cdr__jdoc doc;
    if (cdr__jdoc_parse(&doc, text, len, what, err) != CDR_OK)
        return NULL;
    cJSON *root = build(&doc, 0);
    cdr__jdoc_free(&doc);
    if (!root)
        cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    return root;
}

const char *cdr__json_number_text(const cJSON *item)
{
    return cJSON_IsNumber(item) ? item->valuestring : NULL;
}

size_t cdr__json_string_len(const cJSON *item)
{
    if (!cJSON_IsString(item))
        return 0;
    return item->valueint > 0 ? (size_t)item->valueint : strlen(item->valuestring);
}

/* Gives copy (made by cJSON_Duplicate from item) the bytes item's strings hold past a NUL. */
static bool restore_strings(cJSON *copy, const cJSON *item)
{
    if (cJSON_IsString(item) && item->valuestring) {
        size_t n = cdr__json_string_len(item);
        if (n != strlen(item->valuestring)) {
            char *bytes = cJSON_malloc(n + 1);
            if (!bytes)
                return false;
            memcpy(bytes, item->valuestring, n + 1);
            cJSON_free(copy->valuestring);
            copy->valuestring = bytes;
        }
    }
    const cJSON *child = item->child;
    for (cJSON *c = copy->child; c && child; c = c->next, child = child->next)
        if (!restore_strings(c, child))
            return false;
    return true;
}

cJSON *cdr__json_duplicate(const cJSON *item)
{
    cJSON *copy = item ? cJSON_Duplicate(item, true) : NULL;
    if (copy && !restore_strings(copy, item)) {
        cJSON_Delete(copy);
        return NULL;
    }
    return copy;
}

/* ---- printing ------------------------------------------------------------------------------- */

static void print_value(struct cdr_buf *b, const cJSON *item, const char *skip);

static void print_number(struct cdr_buf *b, const cJSON *item)
{
    const char *text = cdr__json_number_text(item);
    double v = item->valuedouble;
    if (text)
        cdr_buf_puts(b, text);
    else if (v != v || v > 1.7976931348623157e308 || v < -1.7976931348623157e308)
        cdr_buf_puts(b, "null"); /* as cJSON: JSON has no NaN or infinity */
    else if (v == (double)(long long)v && v > -9.0e15 && v < 9.0e15)
        cdr_buf_printf(b, "%lld", (long long)v);
    else
        cdr_buf_printf(b, "%.17g", v);
}

static void print_value(struct cdr_buf *b, const cJSON *item, const char *skip)
{
    switch (item->type & 0xFF) {
    case cJSON_NULL:
        cdr_buf_puts(b, "null");
        return;
    case cJSON_True:
        cdr_buf_puts(b, "true");
        return;
    case cJSON_False:
        cdr_buf_puts(b, "false");
        return;
    case cJSON_Number:
        print_number(b, item);
        return;
    case cJSON_String:
        cdr_buf_json_string_len(b, item->valuestring ? item->valuestring : "",
                                cdr__json_string_len(item));
        return;
    case cJSON_Raw:
        cdr_buf_puts(b, item->valuestring ? item->valuestring : "null");
        return;
    case cJSON_Array:
    case cJSON_Object: {
        bool object = (item->type & 0xFF) == cJSON_Object;
        cdr_buf_puts(b, object ? "{" : "[");
        bool first = true;
        for (const cJSON *child = item->child; child; child = child->next) {
            if (object && skip && child->string && strcmp(child->string, skip) == 0)
                continue;
            if (!first)
                cdr_buf_puts(b, ",");
            first = false;
            if (object) {
                cdr_buf_json_string(b, child->string ? child->string : "");
                cdr_buf_puts(b, ":");
            }
            print_value(b, child, NULL);
        }
        cdr_buf_puts(b, object ? "}" : "]");
        return;
    }
    default:
        b->failed = true; /* an item type cJSON does not make */
        return;
    }
}

char *cdr__json_print(const cJSON *item)
{
    return cdr__json_print_without(item, NULL);
}

char *cdr__json_print_without(const cJSON *obj, const char *skip)
{
    if (!obj)
        return NULL;
    struct cdr_buf b;
    cdr_buf_init(&b);
    print_value(&b, obj, skip);
    return cdr_buf_steal(&b);
}
