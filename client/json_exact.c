/* What cJSON drops from a vendor's answer, put back. cJSON stores a string as a C string (a
 * "\u0000" inside ends it early) and a number as a double (an id of 2^70 loses its digits), and
 * copies invalid UTF-8 through. After cJSON has parsed an answer (so its grammar is known good),
 * this reader walks the same text beside the tree, value by value in document order: it checks
 * every string's bytes as UTF-8, keeps each number's source text (in the number's valuestring,
 * which cJSON frees with the item and never prints), and gives a string holding a NUL its full
 * bytes (its length in valueint, unused by cJSON for strings). A patched copy of cJSON would do
 * the same at the cost of carrying and maintaining a fork; this reader is a few hundred lines
 * that need nothing from cJSON's internals but the order it builds the tree in. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "json_get.h"

/* One level of where the walk is, on the C stack: a member's name, or an array index. The path
 * ("data.records[3].seatName") is written out only for a message, so a good answer costs none. */
struct frame {
    const struct frame *up;
    const char *name; /* NULL: an array element */
    size_t index;
};

struct walk {
    const char *text;
    const char *p, *end;
    const struct frame *top; /* NULL at the document's top level */
    const char *what;        /* the document, for a message about its top level: "response" */
    struct cdr_error_info *err;
};

static void skip_space(struct walk *w)
{
    /* cJSON's own rule: every byte up to and including the space is whitespace. */
    while (w->p < w->end && (unsigned char)*w->p <= 32)
        w->p++;
}

static void put_path(struct cdr_buf *b, const struct frame *f)
{
    if (!f)
        return;
    put_path(b, f->up);
    if (!f->name) {
        cdr_buf_printf(b, "[%zu]", f->index);
        return;
    }
    if (b->len)
        cdr_buf_puts(b, ".");
    cdr_buf_puts(b, f->name);
}

/* Where the walk is, for a message: the path written into b, or the document's name at its top
 * level. */
static const char *where(const struct walk *w, struct cdr_buf *b)
{
    cdr_buf_init(b);
    put_path(b, w->top);
    return b->len && !b->failed ? b->data : w->what;
}

static bool mismatch(struct walk *w)
{
    cdr_error_set(w->err, CDR_ERR_MALFORMED_RESPONSE, "%s is not JSON", w->what);
    return false;
}

/* Length of the UTF-8 sequence starting at p (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF), or 0 when it is not one. */
static size_t utf8_sequence(const unsigned char *p, const unsigned char *end)
{
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        n = 2;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        n = 3;
        lo = p[0] == 0xE0 ? 0xA0 : 0x80;
        hi = p[0] == 0xED ? 0x9F : 0xBF;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        n = 4;
        lo = p[0] == 0xF0 ? 0x90 : 0x80;
        hi = p[0] == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return n;
}

static unsigned hex4(const char *p)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v = v * 16 + (unsigned)(c >= '0' && c <= '9'   ? c - '0'
                                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                                       : c - 'A' + 10);
    }
    return v;
}

/* Appends code point cp as UTF-8 to out (when not NULL); returns how many bytes it takes. */
static size_t put_utf8(unsigned long cp, char *out)
{
    char tmp[4];
    char *o = out ? out : tmp;
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* One escape at p (just past the backslash): its bytes into out (when not NULL), their count
 * returned; *p moves past it; *nul set when it is U+0000. */
static size_t unescape(const char **p, const char *end, char *out, bool *nul)
{
    char c = *(*p)++;
    if (c != 'u') {
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        const char *at = strchr(from, c);
        if (out)
            *out = at ? to[at - from] : c;
        return 1;
    }
    if (end - *p < 4)
        return 0;
    unsigned long cp = hex4(*p);
    *p += 4;
    if (cp >= 0xD800 && cp <= 0xDBFF && end - *p >= 6 && (*p)[0] == '\\' && (*p)[1] == 'u') {
        unsigned low = hex4(*p + 2);
        if (low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            *p += 6;
        }
    }
    *nul = *nul || cp == 0;
    return put_utf8(cp, out);
}

/* The string token at w->p: checked as UTF-8 (its name in the message is the walk's path, or
 * "a member name" of it for a key); when it holds a NUL and item is given, item gets its full
 * bytes and their length. */
static bool walk_string(struct walk *w, cJSON *item, bool key)
{
    if (w->p >= w->end || *w->p != '"')
        return mismatch(w);
    const char *start = ++w->p;
    size_t decoded = 0;
    bool nul = false;
    while (w->p < w->end && *w->p != '"') {
        /* Plain ASCII, the bulk of any answer, needs no check beyond its range. */
        const char *run = w->p;
        while (run < w->end && (unsigned char)*run < 0x80 && *run != '"' && *run != '\\')
            run++;
        decoded += (size_t)(run - w->p);
        w->p = run;
        if (w->p >= w->end || *w->p == '"')
            break;
        if (*w->p == '\\') {
            w->p++;
            decoded += unescape(&w->p, w->end, NULL, &nul);
            continue;
        }
        size_t n = utf8_sequence((const unsigned char *)w->p, (const unsigned char *)w->end);
        if (n == 0) {
            struct cdr_buf path;
            cdr_error_set(w->err, CDR_ERR_MALFORMED_RESPONSE,
                          "%s%s is not valid UTF-8 (byte 0x%02x at offset %zu)", where(w, &path),
                          key ? ": a member name" : "", (unsigned char)*w->p,
                          (size_t)(w->p - w->text));
            cdr_buf_free(&path);
            return false;
        }
        w->p += n;
        decoded += n;
    }
    if (w->p >= w->end)
        return mismatch(w);
    const char *stop = w->p++;
    if (!nul || !item)
        return true;
    if (decoded > INT_MAX) {
        struct cdr_buf path;
        cdr_error_set(w->err, CDR_ERR_MALFORMED_RESPONSE, "%s is too long a string",
                      where(w, &path));
        cdr_buf_free(&path);
        return false;
    }
    char *bytes = cJSON_malloc(decoded + 1);
    if (!bytes) {
        cdr_error_set(w->err, CDR_ERR_NO_MEMORY, "out of memory");
        return false;
    }
    size_t n = 0;
    for (const char *q = start; q < stop;) {
        if (*q == '\\') {
            q++;
            n += unescape(&q, stop, bytes + n, &nul);
        } else {
            bytes[n++] = *q++;
        }
    }
    bytes[n] = '\0';
    cJSON_free(item->valuestring);
    item->valuestring = bytes;
    item->valueint = (int)n;
    return true;
}

static bool walk_value(struct walk *w, cJSON *item);

static bool is_number_byte(char c)
{
    return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == 'e' || c == 'E' || c == '.';
}

static bool walk_container(struct walk *w, cJSON *item, bool object)
{
    w->p++; /* '{' or '[' */
    size_t index = 0;
    for (cJSON *child = item->child; child; child = child->next, index++) {
        skip_space(w);
        if (object) {
            if (!walk_string(w, NULL, true))
                return false;
            skip_space(w);
            if (w->p >= w->end || *w->p++ != ':')
                return mismatch(w);
        }
        struct frame here = {w->top, object ? (child->string ? child->string : "") : NULL, index};
        w->top = &here;
        bool ok = walk_value(w, child);
        w->top = here.up;
        if (!ok)
            return false;
        skip_space(w);
        if (w->p < w->end && *w->p == ',')
            w->p++;
    }
    skip_space(w);
    if (w->p >= w->end || *w->p++ != (object ? '}' : ']'))
        return mismatch(w);
    return true;
}

static bool walk_value(struct walk *w, cJSON *item)
{
    skip_space(w);
    if (w->p >= w->end)
        return mismatch(w);
    switch (item->type & 0xFF) {
    case cJSON_Object:
    case cJSON_Array:
        if (*w->p != ((item->type & 0xFF) == cJSON_Object ? '{' : '['))
            return mismatch(w);
        return walk_container(w, item, (item->type & 0xFF) == cJSON_Object);
    case cJSON_String:
        return walk_string(w, item, false);
    case cJSON_Number: {
        /* What cJSON reads as a number's text: these bytes, up to the first other one. */
        size_t n = 0;
        while (w->p + n < w->end && is_number_byte(w->p[n]))
            n++;
        if (n == 0)
            return mismatch(w);
        char *text = cJSON_malloc(n + 1);
        if (!text) {
            cdr_error_set(w->err, CDR_ERR_NO_MEMORY, "out of memory");
            return false;
        }
        memcpy(text, w->p, n);
        text[n] = '\0';
        cJSON_free(item->valuestring);
        item->valuestring = text;
        w->p += n;
        return true;
    }
    case cJSON_True:
    case cJSON_False:
    case cJSON_NULL: {
        const char *word = (item->type & 0xFF) == cJSON_True    ? "true"
                           : (item->type & 0xFF) == cJSON_False ? "false"
                                                                : "null";
        size_t n = strlen(word);
        if ((size_t)(w->end - w->p) < n || memcmp(w->p, word, n) != 0)
            return mismatch(w);
        w->p += n;
        return true;
    }
    default:
        return mismatch(w);
    }
}

cJSON *cdr__json_parse_answer(const char *text, size_t len, const char *what,
                              struct cdr_error_info *err)
{
    cJSON *root = text ? cdr__json_parse_cjson(text, len) : NULL;
    if (!root) {
        cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "%s is not JSON", what);
        return NULL;
    }
    struct walk w = {text, text, text + len, NULL, what, err};
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        w.p += 3; /* cJSON skips a byte order mark too */
    bool ok = walk_value(&w, root);
    if (!ok) {
        cJSON_Delete(root);
        return NULL;
    }
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
