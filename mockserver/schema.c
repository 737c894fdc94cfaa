#include "schema.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "json_type.h"

#define MAX_DEPTH                                                                                  \
    32 /* the vendors' shapes nest a few levels; a $ref loop must not recurse forever */

struct check {
    const cJSON *root;
    bool fill; /* add null for a missing nullable member (not inside anyOf's trial runs) */
    char *err;
    size_t err_len;
};

static bool fail(struct check *c, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(struct check *c, const char *path, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    snprintf(c->err, c->err_len, "%s: %s", path, what);
    return false;
}

static const cJSON *resolve(const struct check *c, const cJSON *schema)
{
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(schema, "$ref");
    static const char prefix[] = "#/definitions/";
    if (!cJSON_IsString(ref) || strncmp(ref->valuestring, prefix, sizeof(prefix) - 1) != 0)
        return schema;
    const cJSON *defs = cJSON_GetObjectItemCaseSensitive(c->root, "definitions");
    return cJSON_GetObjectItemCaseSensitive(defs, ref->valuestring + sizeof(prefix) - 1);
}

/* The JSON type, but a whole number past 2^53 counts as "number": cJSON writes such a value back
 * in exponent form, which no vendor's integer field holds, so a record carrying one is refused. */
static const char *type_of(const cJSON *v)
{
    const char *type = cdr__json_type(v);
    if (strcmp(type, "integer") == 0 && fabs(v->valuedouble) > 9007199254740992.0)
        return "number";
    return type;
}

static bool type_matches(const char *want, const cJSON *v)
{
    const char *seen = type_of(v);
    return strcmp(want, seen) == 0 || (strcmp(want, "number") == 0 && strcmp(seen, "integer") == 0);
}

/* The schema's "type" (a name or a list of names) against v; NULL type accepts anything. */
static bool check_type(struct check *c, const cJSON *type, const cJSON *v, const char *path)
{
    if (cJSON_IsString(type)) {
        if (type_matches(type->valuestring, v))
            return true;
        return fail(c, path, "expected %s, got %s", type->valuestring, type_of(v));
    }
    if (!cJSON_IsArray(type))
        return true;
    struct cdr_buf names;
    cdr_buf_init(&names);
    const cJSON *t;
    cJSON_ArrayForEach(t, type) {
        if (cJSON_IsString(t) && type_matches(t->valuestring, v)) {
            cdr_buf_free(&names);
            return true;
        }
        cdr_buf_puts(&names, names.len ? " or " : "");
        cdr_buf_puts(&names, cJSON_IsString(t) ? t->valuestring : "?");
    }
    fail(c, path, "expected %s, got %s", names.data ? names.data : "nothing", type_of(v));
    cdr_buf_free(&names);
    return false;
}

static bool check_enum(struct check *c, const cJSON *options, const cJSON *v, const char *path)
{
    const cJSON *o;
    cJSON_ArrayForEach(o, options) {
        if (cJSON_Compare(o, v, true))
            return true;
    }
    char *seen = cJSON_PrintUnformatted(v);
    char *allowed = cJSON_PrintUnformatted(options);
    fail(c, path, "%.60s is not one of %.150s", seen ? seen : "the value",
         allowed ? allowed : "the allowed values");
    free(seen);
    free(allowed);
    return false;
}

/* OpenAPI 3.0's "nullable": true, on the member as declared or on what its $ref names. */
static bool nullable(const struct check *c, const cJSON *schema)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(schema, "nullable")) ||
           cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(resolve(c, schema), "nullable"));
}

/* Whether null passes schema: what lets a missing member be filled in. */
static bool allows_null(const struct check *c, const cJSON *schema, int depth)
{
    if (nullable(c, schema))
        return true;
    schema = resolve(c, schema);
    if (!schema || depth > MAX_DEPTH)
        return false;
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(schema, "type");
    const cJSON *t;
    if (cJSON_IsString(type))
        return strcmp(type->valuestring, "null") == 0;
    cJSON_ArrayForEach(t, (cJSON_IsArray(type) ? type : NULL)) {
        if (cJSON_IsString(t) && strcmp(t->valuestring, "null") == 0)
            return true;
    }
    const cJSON *any = cJSON_GetObjectItemCaseSensitive(schema, "anyOf");
    cJSON_ArrayForEach(t, (cJSON_IsArray(any) ? any : NULL)) {
        if (allows_null(c, t, depth + 1))
            return true;
    }
    return false;
}

static bool check_value(struct check *c, const cJSON *schema, cJSON *v, const char *path,
                        int depth);

static char *member_path(const char *path, const char *name)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "%s.%s", path, name);
    return cdr_buf_steal(&b);
}

static bool check_object(struct check *c, const cJSON *schema, cJSON *v, const char *path,
                         int depth)
{
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(schema, "properties");
    const cJSON *extra = cJSON_GetObjectItemCaseSensitive(schema, "additionalProperties");
    bool open = !props || cJSON_IsTrue(extra) || cJSON_IsObject(extra);
    bool ok = true;
    cJSON *m;
    for (m = v->child; ok && m; m = m->next) {
        const cJSON *sub = cJSON_GetObjectItemCaseSensitive(props, m->string);
        char *p = member_path(path, m->string);
        if (!p)
            return fail(c, path, "out of memory");
        if (sub)
            ok = check_value(c, sub, m, p, depth + 1);
        else if (!open)
            ok = fail(c, p, "not a member of the vendor's shape");
        free(p);
    }
    const cJSON *required = cJSON_GetObjectItemCaseSensitive(schema, "required");
    const cJSON *name;
    cJSON_ArrayForEach(name, (ok && cJSON_IsArray(required) ? required : NULL)) {
        if (!cJSON_IsString(name) || cJSON_HasObjectItem(v, name->valuestring))
            continue;
        const cJSON *sub = cJSON_GetObjectItemCaseSensitive(props, name->valuestring);
        if (c->fill && sub && allows_null(c, sub, depth)) {
            if (!cJSON_AddNullToObject(v, name->valuestring))
                return fail(c, path, "out of memory");
            continue;
        }
        char *p = member_path(path, name->valuestring);
        fail(c, p ? p : path, "required");
        free(p);
        return false;
    }
    return ok;
}

static bool check_items(struct check *c, const cJSON *items, cJSON *v, const char *path, int depth)
{
    int i = 0;
    for (cJSON *e = v->child; e; e = e->next, i++) {
        char p[512];
        snprintf(p, sizeof(p), "%s[%d]", path, i);
        if (!check_value(c, items, e, p, depth + 1))
            return false;
    }
    return true;
}

/* anyOf: the first branch that takes v (tried without filling, then run again to fill). */
static bool check_any(struct check *c, const cJSON *branches, cJSON *v, const char *path, int depth)
{
    char first[512] = "";
    const cJSON *b;
    cJSON_ArrayForEach(b, branches) {
        struct check trial = *c;
        char why[512];
        trial.fill = false;
        trial.err = why;
        trial.err_len = sizeof(why);
        if (check_value(&trial, b, v, path, depth + 1))
            return check_value(c, b, v, path, depth + 1);
        if (!first[0])
            snprintf(first, sizeof(first), "%s", why);
    }
    snprintf(c->err, c->err_len, "%s", first[0] ? first : "matches none of the allowed shapes");
    return false;
}

static bool check_value(struct check *c, const cJSON *schema, cJSON *v, const char *path, int depth)
{
    if (cJSON_IsNull(v) && nullable(c, schema))
        return true;
    schema = resolve(c, schema);
    if (!schema || depth > MAX_DEPTH)
        return fail(c, path, "the vendor's schema cannot be followed here");
    const cJSON *any = cJSON_GetObjectItemCaseSensitive(schema, "anyOf");
    if (cJSON_IsArray(any))
        return check_any(c, any, v, path, depth);
    if (!check_type(c, cJSON_GetObjectItemCaseSensitive(schema, "type"), v, path))
        return false;
    const cJSON *options = cJSON_GetObjectItemCaseSensitive(schema, "enum");
    if (cJSON_IsArray(options) && !check_enum(c, options, v, path))
        return false;
    if (cJSON_IsObject(v))
        return check_object(c, schema, v, path, depth);
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(schema, "items");
    if (cJSON_IsArray(v) && cJSON_IsObject(items))
        return check_items(c, items, v, path, depth);
    return true;
}

bool mock_schema_check(const cJSON *root, const char *definition, cJSON *value, const char *path,
                       char *err, size_t err_len)
{
    struct check c = {root, true, err, err_len};
    const cJSON *defs = cJSON_GetObjectItemCaseSensitive(root, "definitions");
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(defs, definition);
    if (!schema)
        return fail(&c, path, "the vendor's schema has no definition \"%s\"", definition);
    return check_value(&c, schema, value, path, 0);
}
