/* Drift detection: a response compared with the vendor's documented shape. The schema language is
 * a small subset of JSON Schema (type, properties, required, additionalProperties, items, enum,
 * anyOf, $ref to #/definitions/...) plus OpenAPI 3.0's "nullable", enough to say what the vendor's
 * pages say. Members a schema does not list are reported as added unless it allows additional
 * properties; a member is missing only when "required" names it. Every finding carries the
 * "x-source" of the schema node it is about: the sentence of the vendor's page the expectation
 * came from, so a reader can judge the page rather than the tool. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cdrsim/buf.h"
#include "conform.h"
#include "json_type.h"

void conform_findings_free(struct conform_findings *f)
{
    for (size_t i = 0; i < f->count; i++) {
        free(f->items[i].path);
        free(f->items[i].kind);
        free(f->items[i].expected);
        free(f->items[i].seen);
        free(f->items[i].source);
    }
    free(f->items);
    f->items = NULL;
    f->count = 0;
}

static void add_finding(struct conform_findings *f, const char *path, const char *kind,
                        const char *expected, const char *seen, enum conform_severity sev,
                        unsigned count, const char *source)
{
    for (size_t i = 0; i < f->count; i++) {
        struct conform_finding *x = &f->items[i];
        if (strcmp(x->path, path) == 0 && strcmp(x->kind, kind) == 0 &&
            strcmp(x->seen, seen) == 0) {
            x->count += count;
            return;
        }
    }
    struct conform_finding *grown = realloc(f->items, (f->count + 1) * sizeof(*grown));
    if (!grown)
        return;
    f->items = grown;
    struct conform_finding *x = &grown[f->count];
    x->path = strdup(path[0] ? path : "(root)");
    x->kind = strdup(kind);
    x->expected = strdup(expected);
    x->seen = strdup(seen);
    x->severity = sev;
    x->count = count;
    x->source = source ? strdup(source) : NULL;
    if (!x->path || !x->kind || !x->expected || !x->seen || (source && !x->source)) {
        free(x->path);
        free(x->kind);
        free(x->expected);
        free(x->seen);
        free(x->source);
        return;
    }
    f->count++;
}

static void merge(struct conform_findings *into, const struct conform_findings *from)
{
    for (size_t i = 0; i < from->count; i++) {
        const struct conform_finding *x = &from->items[i];
        add_finding(into, x->path, x->kind, x->expected, x->seen, x->severity, x->count, x->source);
    }
}

static bool type_allowed(const cJSON *type, const char *actual)
{
    if (!type)
        return true;
    if (cJSON_IsString(type))
        return strcmp(type->valuestring, actual) == 0 ||
               (strcmp(type->valuestring, "number") == 0 && strcmp(actual, "integer") == 0);
    const cJSON *t;
    cJSON_ArrayForEach(t, type)
        if (cJSON_IsString(t) &&
            (strcmp(t->valuestring, actual) == 0 ||
             (strcmp(t->valuestring, "number") == 0 && strcmp(actual, "integer") == 0)))
            return true;
    return false;
}

/* A schema's "type" as people write it: integer, or string|null. */
static char *type_text(const cJSON *type)
{
    if (cJSON_IsString(type))
        return strdup(type->valuestring);
    struct cdr_buf b;
    cdr_buf_init(&b);
    const cJSON *t;
    cJSON_ArrayForEach(t, type)
        if (cJSON_IsString(t))
            cdr_buf_printf(&b, "%s%s", b.len ? "|" : "", t->valuestring);
    cdr_buf_puts(&b, b.len ? "" : "any");
    return cdr_buf_steal(&b);
}

static char *compact(const cJSON *v)
{
    char *text = cJSON_PrintUnformatted(v);
    if (text && strlen(text) > 80)
        strcpy(text + 77, "...");
    return text;
}

struct walker {
    const cJSON *root; /* the schema document, for $ref */
    const char
        *source; /* the nearest enclosing node's x-source: what a node without one is about */
};

static const cJSON *resolve(const struct walker *w, const cJSON *schema)
{
    for (int hops = 0; hops < 16; hops++) {
        const cJSON *ref = cJSON_GetObjectItemCaseSensitive(schema, "$ref");
        if (!cJSON_IsString(ref) || strncmp(ref->valuestring, "#/definitions/", 14) != 0)
            return schema;
        const cJSON *defs = cJSON_GetObjectItemCaseSensitive(w->root, "definitions");
        const cJSON *target = cJSON_GetObjectItemCaseSensitive(defs, ref->valuestring + 14);
        if (!target)
            return schema;
        schema = target;
    }
    return schema;
}

/* A member's "x-source", read where the member is declared (next to a $ref) before the node the
 * declaration resolves to. */
static const char *source_of(const struct walker *w, const cJSON *schema)
{
    const cJSON *here = cJSON_GetObjectItemCaseSensitive(schema, "x-source");
    if (!cJSON_IsString(here))
        here = cJSON_GetObjectItemCaseSensitive(resolve(w, schema), "x-source");
    return cJSON_IsString(here) ? here->valuestring : w->source;
}

/* "nullable": true where the member is declared or on what it resolves to: the page says the member
 * can lack a value, so null is what it documents, not drift. */
static bool nullable(const struct walker *w, const cJSON *schema)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(schema, "nullable")) ||
           cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(resolve(w, schema), "nullable"));
}

static size_t breaking_count(const struct conform_findings *f)
{
    size_t n = 0;
    for (size_t i = 0; i < f->count; i++)
        n += f->items[i].severity == CONFORM_BREAKING;
    return n;
}

static void diff(const struct walker *w, const cJSON *schema, const cJSON *value, const char *path,
                 struct conform_findings *out);

/* Enumerated values of the alternative itself or of its direct members that the value contradicts
 * (a "status" of "success" against an error body's ["error"]): those tell answers of different
 * kinds apart, so such an alternative describes another answer rather than this one drifted. */
static size_t discriminator_misses(const struct conform_findings *f, const char *path)
{
    size_t n = 0, len = strlen(path);
    for (size_t i = 0; i < f->count; i++) {
        const char *p = f->items[i].path;
        if (strcmp(f->items[i].kind, "enum") != 0)
            continue;
        if (strcmp(p, len ? path : "(root)") == 0) {
            n++;
            continue;
        }
        if (len && (strncmp(p, path, len) != 0 || p[len] != '.'))
            continue;
        const char *member = len ? p + len + 1 : p;
        n += member[strcspn(member, ".[")] == '\0';
    }
    return n;
}

/* anyOf: the alternative the value fits best. One of the value's own type comes first (an object
 * that drifted is described against the object alternative, not as "not null"), then the fewest
 * contradicted discriminators (a success whose records drifted is still a success), then the
 * fewest breaking findings, then the fewest findings. */
static void diff_any_of(const struct walker *w, const cJSON *any, const cJSON *value,
                        const char *path, struct conform_findings *out)
{
    struct conform_findings best = {0};
    bool have = false, best_typed = false;
    size_t best_misses = 0;
    const cJSON *alt;
    cJSON_ArrayForEach(alt, any) {
        bool typed = type_allowed(cJSON_GetObjectItemCaseSensitive(resolve(w, alt), "type"),
                                  cdr__json_type(value)) ||
                     (cJSON_IsNull(value) && nullable(w, alt));
        struct conform_findings f = {0};
        diff(w, alt, value, path, &f);
        size_t misses = discriminator_misses(&f, path);
        size_t breaking = breaking_count(&f), best_breaking = breaking_count(&best);
        bool better =
            !have || (typed && !best_typed) ||
            (typed == best_typed &&
             (misses < best_misses ||
              (misses == best_misses &&
               (breaking < best_breaking || (breaking == best_breaking && f.count < best.count)))));
        if (better) {
            best_typed = typed;
            best_misses = misses;
            conform_findings_free(&best);
            best = f;
            have = true;
        } else {
            conform_findings_free(&f);
        }
    }
    merge(out, &best);
    conform_findings_free(&best);
}

static void diff_object(const struct walker *w, const cJSON *schema, const cJSON *value,
                        const char *path, struct conform_findings *out)
{
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(schema, "properties");
    const cJSON *required = cJSON_GetObjectItemCaseSensitive(schema, "required");
    const cJSON *extra = cJSON_GetObjectItemCaseSensitive(schema, "additionalProperties");
    struct cdr_buf child;
    const cJSON *r;
    cJSON_ArrayForEach(r, required) {
        if (cJSON_IsString(r) && !cJSON_GetObjectItemCaseSensitive(value, r->valuestring)) {
            cdr_buf_init(&child);
            cdr_buf_printf(&child, "%s%s%s", path, path[0] ? "." : "", r->valuestring);
            const cJSON *declared = cJSON_GetObjectItemCaseSensitive(props, r->valuestring);
            const cJSON *ps = resolve(w, declared);
            char *expected = type_text(cJSON_GetObjectItemCaseSensitive(ps, "type"));
            /* An undeclared required member is about the object itself: its source, in w. */
            add_finding(out, child.data ? child.data : "", "missing",
                        expected ? expected : "present", "absent", CONFORM_BREAKING, 1,
                        declared ? source_of(w, declared) : w->source);
            free(expected);
            cdr_buf_free(&child);
        }
    }
    const cJSON *member;
    cJSON_ArrayForEach(member, value) {
        cdr_buf_init(&child);
        cdr_buf_printf(&child, "%s%s%s", path, path[0] ? "." : "", member->string);
        const cJSON *ps = cJSON_GetObjectItemCaseSensitive(props, member->string);
        if (ps) {
            diff(w, ps, member, child.data ? child.data : "", out);
        } else if (props && !cJSON_IsTrue(extra)) {
            add_finding(out, child.data ? child.data : "", "added", "not documented",
                        cdr__json_type(member), CONFORM_ADDITIVE, 1, w->source);
        }
        cdr_buf_free(&child);
    }
}

static void diff(const struct walker *w, const cJSON *schema, const cJSON *value, const char *path,
                 struct conform_findings *out)
{
    if (cJSON_IsNull(value) && nullable(w, schema))
        return;
    struct walker inner = {w->root, source_of(w, schema)};
    const char *source = inner.source;
    w = &inner;
    schema = resolve(w, schema);
    if (!cJSON_IsObject(schema))
        return;
    const cJSON *any = cJSON_GetObjectItemCaseSensitive(schema, "anyOf");
    if (cJSON_IsArray(any)) {
        diff_any_of(w, any, value, path, out);
        return;
    }
    /* OpenAPI 3.0's "nullable": the page says the member can lack a value. */
    if (cJSON_IsNull(value) && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(schema, "nullable")))
        return;
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(schema, "type");
    const char *actual = cdr__json_type(value);
    if (!type_allowed(type, actual)) {
        char *expected = type_text(type);
        add_finding(out, path, cJSON_IsNull(value) ? "null" : "type", expected ? expected : "?",
                    actual, CONFORM_BREAKING, 1, source);
        free(expected);
        return;
    }
    const cJSON *enumeration = cJSON_GetObjectItemCaseSensitive(schema, "enum");
    if (cJSON_IsArray(enumeration) && !cJSON_IsNull(value)) {
        bool found = false;
        const cJSON *e;
        cJSON_ArrayForEach(e, enumeration)
            found = found || cJSON_Compare(e, value, true);
        if (!found) {
            char *expected = compact(enumeration), *seen = compact(value);
            add_finding(out, path, "enum", expected ? expected : "?", seen ? seen : "?",
                        CONFORM_BREAKING, 1, source);
            free(expected);
            free(seen);
        }
    }
    if (cJSON_IsObject(value)) {
        diff_object(w, schema, value, path, out);
    } else if (cJSON_IsArray(value)) {
        const cJSON *items = cJSON_GetObjectItemCaseSensitive(schema, "items");
        struct cdr_buf child;
        cdr_buf_init(&child);
        cdr_buf_printf(&child, "%s[]", path);
        const cJSON *e;
        cJSON_ArrayForEach(e, (items ? value : NULL))
            diff(w, items, e, child.data ? child.data : "", out);
        cdr_buf_free(&child);
    }
}

void conform_schema_diff(const cJSON *schema, const cJSON *value, struct conform_findings *out)
{
    struct walker w = {schema, NULL};
    diff(&w, schema, value, "", out);
}

bool conform_schema_load(struct conform_schema *schema, const char *path, char *err, size_t err_len)
{
    schema->doc = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_len, "cannot read schema %s", path);
        return false;
    }
    struct cdr_buf b;
    cdr_buf_init(&b);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        cdr_buf_append(&b, chunk, n);
    fclose(f);
    schema->doc = b.data ? cJSON_ParseWithLength(b.data, b.len) : NULL;
    cdr_buf_free(&b);
    const cJSON *responses = cJSON_GetObjectItemCaseSensitive(schema->doc, "responses");
    if (!cJSON_IsArray(responses)) {
        snprintf(err, err_len, "%s: needs a \"responses\" array", path);
        conform_schema_free(schema);
        return false;
    }
    const cJSON *r;
    cJSON_ArrayForEach(r, responses) {
        if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(r, "path")) ||
            !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(r, "schema"))) {
            snprintf(err, err_len, "%s: every response needs a \"path\" and a \"schema\"", path);
            conform_schema_free(schema);
            return false;
        }
    }
    return true;
}

void conform_schema_free(struct conform_schema *schema)
{
    cJSON_Delete(schema->doc);
    schema->doc = NULL;
}

/* A '*' in a pattern stands for one whole path segment (an account or task id). */
static bool path_matches(const char *pattern, const char *path)
{
    while (*pattern && *path) {
        if (*pattern == '*') {
            pattern++;
            while (*path && *path != '/')
                path++;
            continue;
        }
        if (*pattern != *path)
            return false;
        pattern++;
        path++;
    }
    return *pattern == '\0' && *path == '\0';
}

static bool status_matches(const cJSON *statuses, long status)
{
    if (!statuses)
        return true;
    const cJSON *s;
    cJSON_ArrayForEach(s, statuses)
        if (cJSON_IsNumber(s) && cdr__json_int64(s, 0) == status)
            return true;
    return false;
}

/* One body against one documented shape: findings counted once per body. */
static void check_body(const struct conform_schema *schema, const cJSON *shape, const char *source,
                       const char *body, size_t body_len, struct conform_findings *out)
{
    cJSON *value = cJSON_ParseWithLength(body, body_len);
    if (cJSON_IsObject(value) || cJSON_IsArray(value)) {
        /* Counted once per response, however many records repeat the finding. */
        struct walker w = {schema->doc, source};
        struct conform_findings one = {0};
        diff(&w, shape, value, "", &one);
        for (size_t i = 0; i < one.count; i++)
            one.items[i].count = 1;
        merge(out, &one);
        conform_findings_free(&one);
    }
    cJSON_Delete(value);
}

bool conform_schema_check_push(const struct conform_schema *schema, const char *body,
                               size_t body_len, struct conform_findings *out)
{
    const cJSON *push = cJSON_GetObjectItemCaseSensitive(schema->doc, "push");
    const cJSON *shape = cJSON_GetObjectItemCaseSensitive(push, "schema");
    if (!shape)
        return false;
    /* the push's own x-source speaks for every member that has none */
    const char *source = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(push, "x-source"));
    check_body(schema, shape, source, body, body_len, out);
    return true;
}

bool conform_schema_check(const struct conform_schema *schema, const char *method, const char *url,
                          long http_status, const char *body, size_t body_len,
                          struct conform_findings *out)
{
    /* The URL's path, without scheme, authority and query. */
    const char *p = strstr(url, "://");
    p = p ? strchr(p + 3, '/') : url;
    char path[1024];
    snprintf(path, sizeof(path), "%s", p ? p : "/");
    path[strcspn(path, "?#")] = '\0';
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(schema->doc, "responses")) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(r, "method");
        if (cJSON_IsString(m) && strcasecmp(m->valuestring, method) != 0)
            continue;
        if (!path_matches(cJSON_GetObjectItemCaseSensitive(r, "path")->valuestring, path) ||
            !status_matches(cJSON_GetObjectItemCaseSensitive(r, "status"), http_status))
            continue;
        check_body(schema, cJSON_GetObjectItemCaseSensitive(r, "schema"), NULL, body, body_len,
                   out);
        return true;
    }
    return false;
}
