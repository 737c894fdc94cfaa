#include "drift.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum drift_kind { DRIFT_RENAME, DRIFT_STRINGIFY, DRIFT_ADD, DRIFT_DROP, DRIFT_SET };

struct drift_op {
    enum drift_kind kind;
    char **path; /* segments; a trailing "[]" on a segment walks the array */
    size_t depth;
    char *name;   /* rename: the new name */
    cJSON *value; /* add/set */
};

struct mock_drift {
    struct drift_op *ops;
    size_t count;
};

static void op_free(struct drift_op *op)
{
    for (size_t i = 0; i < op->depth; i++)
        free(op->path[i]);
    free(op->path);
    free(op->name);
    cJSON_Delete(op->value);
}

void mock_drift_free(struct mock_drift *drift)
{
    if (!drift)
        return;
    for (size_t i = 0; i < drift->count; i++)
        op_free(&drift->ops[i]);
    free(drift->ops);
    free(drift);
}

static bool split_path(struct drift_op *op, const char *text, size_t len)
{
    if (len == 0)
        return false;
    for (size_t start = 0; start <= len;) {
        size_t end = start;
        while (end < len && text[end] != '.')
            end++;
        if (end == start)
            return false;
        char **grown = realloc(op->path, (op->depth + 1) * sizeof(*grown));
        if (!grown)
            return false;
        op->path = grown;
        if (!(op->path[op->depth] = strndup(text + start, end - start)))
            return false;
        op->depth++;
        start = end + 1;
    }
    return true;
}

static bool parse_op(struct drift_op *op, const char *text, size_t len, char *err, size_t err_len)
{
    static const struct {
        const char *prefix;
        enum drift_kind kind;
    } kinds[] = {{"rename:", DRIFT_RENAME},
                 {"stringify:", DRIFT_STRINGIFY},
                 {"add:", DRIFT_ADD},
                 {"drop:", DRIFT_DROP},
                 {"set:", DRIFT_SET}};
    size_t k = 0;
    while (k < 5 && strncmp(text, kinds[k].prefix, strlen(kinds[k].prefix)) != 0)
        k++;
    if (k == 5) {
        snprintf(err, err_len,
                 "drift op '%.*s': expected rename:, stringify:, add:, drop: or set:", (int)len,
                 text);
        return false;
    }
    op->kind = kinds[k].kind;
    const char *rest = text + strlen(kinds[k].prefix);
    size_t rest_len = len - strlen(kinds[k].prefix);
    size_t path_len = rest_len;
    const char *sep = NULL;
    if (op->kind == DRIFT_RENAME)
        sep = memchr(rest, '>', rest_len);
    else if (op->kind == DRIFT_ADD || op->kind == DRIFT_SET)
        sep = memchr(rest, '=', rest_len);
    if ((op->kind == DRIFT_RENAME || op->kind == DRIFT_ADD || op->kind == DRIFT_SET) && !sep) {
        snprintf(err, err_len, "drift op '%.*s': missing %s", (int)len, text,
                 op->kind == DRIFT_RENAME ? "'>NEW'" : "'=JSON'");
        return false;
    }
    if (sep)
        path_len = (size_t)(sep - rest);
    if (!split_path(op, rest, path_len)) {
        snprintf(err, err_len, "drift op '%.*s': empty path segment", (int)len, text);
        return false;
    }
    if (op->kind == DRIFT_RENAME) {
        op->name = strndup(sep + 1, rest_len - path_len - 1);
        if (!op->name || !op->name[0]) {
            snprintf(err, err_len, "drift op '%.*s': empty new name", (int)len, text);
            return false;
        }
    } else if (sep) {
        op->value = cJSON_ParseWithLength(sep + 1, rest_len - path_len - 1);
        if (!op->value) {
            snprintf(err, err_len, "drift op '%.*s': the value is not JSON", (int)len, text);
            return false;
        }
    }
    return true;
}

struct mock_drift *mock_drift_parse(const char *spec, char *err, size_t err_len)
{
    struct mock_drift *drift = calloc(1, sizeof(*drift));
    if (!drift) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    for (const char *p = spec; *p;) {
        size_t len = strcspn(p, ";");
        if (len) {
            struct drift_op *grown = realloc(drift->ops, (drift->count + 1) * sizeof(*grown));
            if (!grown) {
                mock_drift_free(drift);
                snprintf(err, err_len, "out of memory");
                return NULL;
            }
            drift->ops = grown;
            memset(&grown[drift->count], 0, sizeof(*grown));
            bool ok = parse_op(&grown[drift->count], p, len, err, err_len);
            drift->count++;
            if (!ok) {
                mock_drift_free(drift);
                return NULL;
            }
        }
        p += len + (p[len] == ';');
    }
    if (drift->count == 0) {
        mock_drift_free(drift);
        snprintf(err, err_len, "drift: no operations");
        return NULL;
    }
    return drift;
}

static void apply_here(const struct drift_op *op, cJSON *parent, const char *key)
{
    cJSON *item = cJSON_GetObjectItemCaseSensitive(parent, key);
    switch (op->kind) {
    case DRIFT_RENAME:
        if (item) {
            cJSON *detached = cJSON_DetachItemViaPointer(parent, item);
            cJSON_AddItemToObject(parent, op->name, detached);
        }
        break;
    case DRIFT_STRINGIFY:
        if (cJSON_IsNumber(item) || cJSON_IsBool(item)) {
            char *text = cJSON_PrintUnformatted(item);
            if (text)
                cJSON_ReplaceItemInObjectCaseSensitive(parent, key, cJSON_CreateString(text));
            free(text);
        }
        break;
    case DRIFT_ADD:
        if (!item)
            cJSON_AddItemToObject(parent, key, cJSON_Duplicate(op->value, true));
        break;
    case DRIFT_DROP:
        if (item)
            cJSON_DeleteItemFromObjectCaseSensitive(parent, key);
        break;
    case DRIFT_SET:
        if (item)
            cJSON_ReplaceItemInObjectCaseSensitive(parent, key, cJSON_Duplicate(op->value, true));
        break;
    }
}

/* Walks segment i of the path below node; the last segment is acted on in its parent object. */
static void walk(const struct drift_op *op, cJSON *node, size_t i)
{
    const char *seg = op->path[i];
    size_t n = strlen(seg);
    bool each = n > 2 && strcmp(seg + n - 2, "[]") == 0;
    char key[256];
    snprintf(key, sizeof(key), "%.*s", (int)(each ? n - 2 : n), seg);
    if (!cJSON_IsObject(node))
        return;
    if (i + 1 == op->depth && !each) {
        apply_here(op, node, key);
        return;
    }
    cJSON *child = cJSON_GetObjectItemCaseSensitive(node, key);
    if (!each) {
        walk(op, child, i + 1);
        return;
    }
    cJSON *element;
    cJSON_ArrayForEach(element, (cJSON_IsArray(child) ? child : NULL))
        if (i + 1 < op->depth)
            walk(op, element, i + 1);
}

void mock_drift_apply(const struct mock_drift *drift, struct mock_response *resp)
{
    if (!drift || !resp->body || !resp->content_type || !strstr(resp->content_type, "json"))
        return;
    cJSON *root = cJSON_ParseWithLength(resp->body, resp->body_len);
    if (!root)
        return;
    for (size_t i = 0; i < drift->count; i++)
        walk(&drift->ops[i], root, 0);
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (text)
        mock_response_take_body(resp, resp->status, resp->content_type, text, strlen(text));
}
