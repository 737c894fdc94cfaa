/* A vendor's answer read in one pass into a flat array of tokens over its text: no tree, no copy of
 * a string or a number until a reader asks for it. The pass checks everything the exact reading
 * checks (json_get.h): the grammar cJSON accepts, every string as UTF-8, a string holding "\u0000"
 * kept whole, every number's text kept as sent. Record pages are read from the tokens directly;
 * cdr__json_parse_answer builds its cJSON tree from them. */
#ifndef CDRSIM_CLIENT_JSON_TOKENS_H
#define CDRSIM_CLIENT_JSON_TOKENS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cdrsim/error.h"
#include "private.h"

struct cdr_buf;

enum cdr__jtype {
    CDR__JNULL,
    CDR__JFALSE,
    CDR__JTRUE,
    CDR__JNUMBER,
    CDR__JSTRING,
    CDR__JARRAY,
    CDR__JOBJECT,
};

/* One value (or an object's member name, a string token before its value). */
struct cdr__jtok {
    uint32_t start; /* a string's first byte past the quote, a number's first byte, a bracket */
    uint32_t len;   /* a string's bytes between its quotes, a number's text; 0 for the others */
    uint32_t end;   /* the index of the first token past this value and everything inside it */
    uint32_t count; /* members of an object, elements of an array */
    uint8_t type;   /* enum cdr__jtype */
    bool escaped;   /* a string holding a backslash: its bytes differ from its text */
    bool nul;       /* a string holding "\u0000" */
    bool raw_nul;   /* a string holding a NUL byte as such (cJSON's copy ends there) */
};

/* Tokens in document order: an object's token is followed by each member's name token and then
 * its value's tokens; an array's by its elements' tokens. The text is the caller's and must
 * outlive the document. */
struct cdr__jdoc {
    const char *text;
    struct cdr__jtok *tok; /* owned */
    size_t count, cap;
};

/* Reads text[0..len) (a byte order mark and trailing whitespace allowed, nothing else after the
 * value). On failure err says why, as the exact reading does: "<what> is not JSON", or the path
 * of a string that is not UTF-8 ("data.records[0].seatName is not valid UTF-8 (byte 0xff at
 * offset 312)"); a grammar error anywhere wins over a UTF-8 one. doc is empty (and needs no
 * free) on failure. */
CDR_INTERNAL cdr_error cdr__jdoc_parse(struct cdr__jdoc *doc, const char *text, size_t len,
                                       const char *what, struct cdr_error_info *err);
CDR_INTERNAL void cdr__jdoc_free(struct cdr__jdoc *doc);

/* ---- reading tokens (json_tokens_get.c) ------------------------------------------------------ */

/* Token i of doc, for its type and sizes. */
static inline const struct cdr__jtok *cdr__jdoc_at(const struct cdr__jdoc *doc, size_t i)
{
    return &doc->tok[i];
}
static inline bool cdr__jdoc_is(const struct cdr__jdoc *doc, size_t i, enum cdr__jtype type)
{
    return doc->tok[i].type == type;
}

/* The value of obj's member key (the first of that name, a name compared as cJSON does: up to a
 * NUL it holds), or 0 when obj is not an object or has no such member (token 0 is never a
 * member's value). */
CDR_INTERNAL size_t cdr__jdoc_member(const struct cdr__jdoc *doc, size_t obj, const char *key);

/* The values of several members of obj found in one walk of its members, for a reader that wants
 * many: out[k] gets what cdr__jdoc_member(doc, obj, keys[k]) returns. */
CDR_INTERNAL void cdr__jdoc_members(const struct cdr__jdoc *doc, size_t obj,
                                    const char *const *keys, size_t count, size_t *out);

/* A string token's bytes decoded into out (len + 1 bytes at least; a string decodes to no more
 * bytes than its text), terminated; returns how many: every byte when it holds "\u0000", else up
 * to a raw NUL byte, where cJSON's copy ends. */
CDR_INTERNAL size_t cdr__jdoc_decode(const struct cdr__jdoc *doc, size_t i, char *out);

/* The readers of json_get.h over a token; a missing member is token 0, which none of them takes
 * for a value. */
CDR_INTERNAL bool cdr__jdoc_as_int(const struct cdr__jdoc *doc, size_t i, int64_t *out);
CDR_INTERNAL bool cdr__jdoc_get_int(const struct cdr__jdoc *doc, size_t obj, const char *key,
                                    int64_t *out);
CDR_INTERNAL char *cdr__jdoc_text(const struct cdr__jdoc *doc, size_t obj, const char *key,
                                  size_t *len, bool *ok);
CDR_INTERNAL bool cdr__jdoc_get_time(const struct cdr__jdoc *doc, size_t obj, const char *key,
                                     int offset_seconds, int64_t *out);
/* cdr__jdoc_text and cdr__jdoc_get_time over a member's value token i (0: the member is absent). */
CDR_INTERNAL char *cdr__jdoc_text_at(const struct cdr__jdoc *doc, size_t i, size_t *len, bool *ok);
CDR_INTERNAL bool cdr__jdoc_time_at(const struct cdr__jdoc *doc, size_t i, int offset_seconds,
                                    int64_t *out);
/* Whether token i is a string whose first byte is not NUL (cJSON's valuestring[0]). */
CDR_INTERNAL bool cdr__jdoc_nonempty_string(const struct cdr__jdoc *doc, size_t i);
/* Token i (and everything inside it) as compact JSON, every string re-escaped and every number
 * as sent: what cdr__json_print prints for the same value. skip (NULL: none) leaves out an
 * object's member of that name. False when b has failed. */
CDR_INTERNAL bool cdr__jdoc_print(struct cdr_buf *b, const struct cdr__jdoc *doc, size_t i,
                                  const char *skip);

#endif
