/* The Alibaba Cloud canonical query string (RFC 3986-encoded, sorted pairs) the client signs.
 * Kept on the client side only: the mock builds its own, so the two sides can catch each other. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/aliyun.h"
#include "cdrsim/sign.h"

struct encoded_param {
    char *name;
    char *value;
    size_t name_len;
    size_t value_len;
};

static int compare_encoded(const void *lhs, const void *rhs)
{
    const struct encoded_param *a = lhs;
    const struct encoded_param *b = rhs;
    /* strcmp compares as unsigned char, i.e. plain byte order, and encoded
     * strings contain no NUL bytes. */
    int c = strcmp(a->name, b->name);
    return c != 0 ? c : strcmp(a->value, b->value);
}

static void free_encoded(struct encoded_param *enc, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(enc[i].name);
        free(enc[i].value);
    }
    free(enc);
}

/* a + b, or SIZE_MAX as an overflow marker (no real buffer reaches it). */
static size_t add_size(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

char *cdr_canonical_query(const struct cdr_param *params, size_t n)
{
    if (n == 0)
        return calloc(1, 1);
    if (params == NULL)
        return NULL;

    /* Sorting must happen on the encoded forms (the spec signs what is on the
     * wire), so encode everything up front. */
    struct encoded_param *enc = calloc(n, sizeof *enc);
    if (enc == NULL)
        return NULL;

    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = params[i].name;
        const char *value = params[i].value != NULL ? params[i].value : "";
        if (name == NULL)
            goto fail;
        enc[i].name = cdr_percent_encode(name, strlen(name));
        enc[i].value = cdr_percent_encode(value, strlen(value));
        if (enc[i].name == NULL || enc[i].value == NULL)
            goto fail;
        enc[i].name_len = strlen(enc[i].name);
        enc[i].value_len = strlen(enc[i].value);
        /* "name=value" plus a separator ('&', or the final NUL). */
        total = add_size(total, enc[i].name_len);
        total = add_size(total, enc[i].value_len);
        total = add_size(total, 2);
    }
    if (total == SIZE_MAX)
        goto fail;

    qsort(enc, n, sizeof *enc, compare_encoded);

    char *out = malloc(total);
    if (out == NULL)
        goto fail;
    char *p = out;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            *p++ = '&';
        memcpy(p, enc[i].name, enc[i].name_len);
        p += enc[i].name_len;
        *p++ = '=';
        memcpy(p, enc[i].value, enc[i].value_len);
        p += enc[i].value_len;
    }
    *p = '\0';
    free_encoded(enc, n);
    return out;

fail:
    free_encoded(enc, n);
    return NULL;
}
