/* RPC parameters: the query string (already decoded by the HTTP layer) merged with an
 * application/x-www-form-urlencoded body, as the service reads them, and the action they name. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

static bool is_form(const struct mock_request *req)
{
    const char *type = mock_request_header(req, "Content-Type");
    static const char form[] = "application/x-www-form-urlencoded";
    return type && strncasecmp(type, form, sizeof(form) - 1) == 0 &&
           (type[sizeof(form) - 1] == '\0' || type[sizeof(form) - 1] == ';' ||
            type[sizeof(form) - 1] == ' ');
}

static bool keep(struct aliyun_params *p, char *decoded)
{
    p->owned[p->owned_count++] = decoded;
    return decoded != NULL;
}

static bool hex_digit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Every '%' starts a two-digit escape: what cdr_percent_decode accepts. */
static bool well_escaped(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (text[i] == '%' && (len - i < 3 || !hex_digit(text[i + 1]) || !hex_digit(text[i + 2])))
            return false;
    return true;
}

/* Splits "a=1&b=2" into decoded pairs. A pair with a broken escape is dropped, as the Java
 * servlet containers behind the service do; the signature then tells the client. */
static bool parse_form(const char *body, size_t len, struct aliyun_params *p)
{
    size_t pairs = 1;
    for (size_t i = 0; i < len; i++)
        pairs += body[i] == '&';
    struct aliyun_param *grown = realloc(p->items, (p->count + pairs) * sizeof(*grown));
    p->owned = calloc(pairs * 2, sizeof(*p->owned));
    if (grown)
        p->items = grown;
    if (!grown || !p->owned)
        return false;
    for (size_t at = 0; at < len;) {
        const char *start = body + at;
        const char *amp = memchr(start, '&', len - at);
        size_t n = amp ? (size_t)(amp - start) : len - at;
        at += n + 1;
        if (n == 0)
            continue;
        if (!well_escaped(start, n))
            continue;
        const char *eq = memchr(start, '=', n);
        size_t klen = eq ? (size_t)(eq - start) : n;
        char *key = cdr_percent_decode(start, klen, true, NULL);
        char *value = eq ? cdr_percent_decode(eq + 1, n - klen - 1, true, NULL) : strdup("");
        /* Both kept before checking, so whichever did allocate is freed with the rest. */
        bool key_kept = keep(p, key);
        bool value_kept = keep(p, value);
        if (!key_kept || !value_kept)
            return false;
        p->items[p->count++] = (struct aliyun_param){key, value};
    }
    return true;
}

bool aliyun_params_parse(const struct mock_request *req, struct aliyun_params *out)
{
    memset(out, 0, sizeof(*out));
    out->items = malloc((req->query_count ? req->query_count : 1) * sizeof(*out->items));
    if (!out->items)
        return false;
    for (size_t i = 0; i < req->query_count; i++)
        out->items[i] = (struct aliyun_param){req->query[i].name, req->query[i].value};
    out->count = out->query_count = req->query_count;
    if (req->body_len == 0 || req->too_large != MOCK_FITS || !is_form(req))
        return true;
    return parse_form(req->body, req->body_len, out);
}

void aliyun_params_free(struct aliyun_params *p)
{
    for (size_t i = 0; i < p->owned_count; i++)
        free(p->owned[i]);
    free(p->owned);
    free(p->items);
    memset(p, 0, sizeof(*p));
}

const char *aliyun_param_value(const struct aliyun_params *p, const char *name)
{
    for (size_t i = 0; i < p->count; i++)
        if (p->items[i].name[0] == name[0] && strcmp(p->items[i].name, name) == 0)
            return p->items[i].value;
    return NULL;
}

const char *aliyun_param_given(const struct aliyun_params *p, const char *name)
{
    const char *v = aliyun_param_value(p, name);
    return v && *v ? v : NULL;
}

/* The index of "<base>.<N>" (N a positive decimal without leading zeros), or 0. */
static unsigned long list_index(const char *name, const char *base, size_t base_len)
{
    /* The first byte decides for nearly every name, without a call. */
    if (name[0] != base[0] || strncmp(name, base, base_len) != 0 || name[base_len] != '.')
        return 0;
    const char *d = name + base_len + 1;
    if (*d < '1' || *d > '9' || strlen(d) > 9)
        return 0;
    unsigned long v = 0;
    for (; *d; d++) {
        if (*d < '0' || *d > '9')
            return 0;
        v = v * 10 + (unsigned long)(*d - '0');
    }
    return v;
}

struct indexed {
    unsigned long index;
    const char *value;
};

static int by_index(const void *a, const void *b)
{
    const struct indexed *x = a, *y = b;
    return (x->index > y->index) - (x->index < y->index);
}

bool aliyun_param_list(const struct aliyun_params *p, const char *base, const char ***out,
                       size_t *count)
{
    *out = NULL;
    *count = 0;
    size_t base_len = strlen(base), n = 0;
    for (size_t i = 0; i < p->count; i++)
        n += list_index(p->items[i].name, base, base_len) != 0;
    if (n == 0)
        return true;
    struct indexed *found = malloc(n * sizeof(*found));
    const char **values = malloc(n * sizeof(*values));
    if (!found || !values) {
        free(found);
        free(values);
        return false;
    }
    size_t k = 0;
    for (size_t i = 0; i < p->count; i++) {
        unsigned long index = list_index(p->items[i].name, base, base_len);
        if (index)
            found[k++] = (struct indexed){index, p->items[i].value};
    }
    qsort(found, n, sizeof(*found), by_index);
    for (size_t i = 0; i < n; i++)
        values[i] = found[i].value;
    free(found);
    *out = values;
    *count = n;
    return true;
}

/* ---- which API a request names --------------------------------------------------------------- */

static const char *const action_names[ALIYUN_ACTION_COUNT] = {
    [ALIYUN_HOTLINE_SESSION_QUERY] = "HotlineSessionQuery",
    [ALIYUN_LIST_HOTLINE_RECORD] = "ListHotlineRecord",
    [ALIYUN_GET_RECORD_URL] = "GetRecordUrl",
    [ALIYUN_GET_RECORD_DATA] = "GetRecordData",
    [ALIYUN_DESCRIBE_RECORD_DATA] = "DescribeRecordData",
    [ALIYUN_GET_HOTLINE_MESSAGE_LOG] = "GetHotlineMessageLog",
};

bool aliyun_action_find(const char *name, enum aliyun_action *out)
{
    for (int i = 0; name && i < ALIYUN_ACTION_COUNT; i++)
        if (strcmp(action_names[i], name) == 0) {
            *out = (enum aliyun_action)i;
            return true;
        }
    return false;
}

const char *aliyun_action_name(enum aliyun_action action)
{
    return action >= 0 && action < ALIYUN_ACTION_COUNT ? action_names[action] : "";
}
