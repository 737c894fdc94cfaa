#include "journal.h"

#include <fnmatch.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "cdrsim/timefmt.h"
#include "redact.h"

/* What the journal shows of a request, made from it when first read: the path and the body as
 * kept (redacted, the body cut) and every member after "seq", already JSON (`"time":...}`). */
struct rendering {
    char *path;
    char *body;
    size_t body_len;
    char *json;
    size_t json_len;
};

/* What the answer said, copied when the request is recorded. */
struct answer_facts {
    const char *vendor; /* NULL: no vendor served the path; points into the entry */
    int status;
    char vendor_code[48];
    struct mock_auth auth;
    struct mock_fault_note fault;
    int64_t time_ms;
    double latency_ms;
    const char *const *const *secret_names; /* the server's, which outlives the journal */
};

/* One request, shared by the ring and the readers that took a reference. Recording only copies
 * the request into the entry's one allocation (its strings after kv[]); redacting and rendering
 * wait until a reader asks, since most entries are never read. A body over the kept size is the
 * exception: it is rendered at once, because its redaction needs the whole of it. */
struct entry {
    atomic_size_t refs;
    uint64_t seq; /* set when it enters the ring */
    struct answer_facts facts;
    const char *method;      /* points into the entry */
    int auth;                /* -1 unchecked, 0 refused, 1 admitted */
    struct mock_request req; /* points into the entry; unused once rendered at recording */
    _Atomic(struct rendering *) rendered; /* set once, by the first reader to render it */
    struct mock_kv kv[];                  /* the query's pairs, then the headers' */
};

struct mock_journal {
    pthread_mutex_t lock; /* guards the ring and next_seq, never held while rendering */
    struct entry **ring;
    size_t capacity, head, count; /* head: where the next entry goes */
    uint64_t next_seq;
};

static void rendering_free(struct rendering *r)
{
    if (!r)
        return;
    free(r->path);
    free(r->body);
    free(r->json);
    free(r);
}

static void entry_unref(struct entry *e)
{
    if (!e || atomic_fetch_sub(&e->refs, 1) != 1)
        return;
    rendering_free(atomic_load(&e->rendered));
    free(e);
}

struct mock_journal *mock_journal_new(size_t capacity)
{
    struct mock_journal *j = calloc(1, sizeof(*j));
    if (!j || !(j->ring = calloc(capacity, sizeof(*j->ring)))) {
        free(j);
        return NULL;
    }
    pthread_mutex_init(&j->lock, NULL);
    j->capacity = capacity;
    j->next_seq = 1;
    return j;
}

void mock_journal_free(struct mock_journal *j)
{
    if (!j)
        return;
    mock_journal_clear(j);
    pthread_mutex_destroy(&j->lock);
    free(j->ring);
    free(j);
}

/* ---- rendering an entry ---------------------------------------------------------------------- */

/* The length of the valid UTF-8 sequence at s (at most n bytes), or 0 when it is not one. */
static size_t utf8_sequence(const unsigned char *s, size_t n)
{
    size_t len = s[0] < 0x80             ? 1
                 : (s[0] & 0xe0) == 0xc0 ? 2
                 : (s[0] & 0xf0) == 0xe0 ? 3
                 : (s[0] & 0xf8) == 0xf0 ? 4
                                         : 0;
    if (!len || len > n || (len == 2 && s[0] < 0xc2))
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    /* Overlong forms, surrogates and code points past U+10FFFF are not UTF-8. */
    if ((len == 3 && s[0] == 0xe0 && s[1] < 0xa0) || (len == 3 && s[0] == 0xed && s[1] >= 0xa0) ||
        (len == 4 && s[0] == 0xf0 && s[1] < 0x90) ||
        (len == 4 && (s[0] > 0xf4 || (s[0] == 0xf4 && s[1] >= 0x90))))
        return 0;
    return len;
}

/* Bytes (any, NUL included) as a JSON string: what is not UTF-8 becomes U+FFFD, so a hostile
 * path or a binary body cannot break the journal's JSON. */
static void json_bytes(struct cdr_buf *b, const char *data, size_t len)
{
    const unsigned char *s = (const unsigned char *)data;
    cdr_buf_puts(b, "\"");
    for (size_t i = 0; i < len;) {
        size_t n = utf8_sequence(s + i, len - i);
        if (!n) {
            cdr_buf_puts(b, "\xef\xbf\xbd");
            i++;
        } else if (n == 1 && (s[i] == '"' || s[i] == '\\')) {
            cdr_buf_puts(b, s[i] == '"' ? "\\\"" : "\\\\");
            i++;
        } else if (n == 1 && (s[i] < 0x20 || s[i] == 0x7f)) {
            cdr_buf_printf(b, "\\u%04x", s[i]);
            i++;
        } else {
            cdr_buf_append(b, s + i, n);
            i += n;
        }
    }
    cdr_buf_puts(b, "\"");
}

/* A text of the request, scrubbed of its secret values, as a JSON string. */
static void json_scrubbed(struct cdr_buf *b, const struct mock_redactor *r, const char *text)
{
    size_t n;
    char *clean = mock_redact_scrub(r, text, strlen(text), &n);
    if (!clean) {
        b->failed = true;
        return;
    }
    json_bytes(b, clean, n);
    free(clean);
}

/* [["name","value"], ...] with secret-named values redacted and the rest scrubbed. */
static void json_pairs(struct cdr_buf *b, const struct mock_redactor *r, const struct mock_kv *kv,
                       size_t count)
{
    cdr_buf_puts(b, "[");
    for (size_t i = 0; i < count; i++) {
        cdr_buf_puts(b, i ? ",[" : "[");
        json_scrubbed(b, r, kv[i].name);
        cdr_buf_puts(b, ",");
        if (mock_redact_is_secret(r, kv[i].name))
            cdr_buf_json_string(b, MOCK_REDACTED);
        else
            json_scrubbed(b, r, kv[i].value);
        cdr_buf_puts(b, "]");
    }
    cdr_buf_puts(b, "]");
}

/* The body as kept (redacted, cut) into out, and its members into b. */
static void json_body(struct cdr_buf *b, struct rendering *out, const struct mock_redactor *r,
                      const struct mock_request *req)
{
    size_t n = 0;
    char *body = mock_redact_body(r, req->body ? req->body : "", req->body_len, &n);
    if (!body) {
        b->failed = true;
        return;
    }
    bool cut = n > MOCK_JOURNAL_BODY_LIMIT;
    out->body_len = cut ? MOCK_JOURNAL_BODY_LIMIT : n;
    out->body = body;
    cdr_buf_puts(b, ",\"body\":");
    json_bytes(b, body, out->body_len);
    cdr_buf_printf(b, ",\"body_bytes\":%zu,\"body_truncated\":%s", req->body_len,
                   cut || req->too_large == MOCK_BODY_TOO_LARGE ? "true" : "false");
}

/* The request as the journal shows it; NULL when out of memory. */
static struct rendering *render(const struct mock_request *req, const struct answer_facts *f)
{
    struct rendering *out = calloc(1, sizeof(*out));
    if (!out)
        return NULL;
    struct mock_redactor r;
    mock_redactor_init(&r, f->secret_names, req);
    size_t n;
    out->path = mock_redact_scrub(&r, req->path, strlen(req->path), &n);

    struct cdr_buf b;
    cdr_buf_init(&b);
    char time[32];
    cdr_time_format_rfc3339_ms(f->time_ms, time);
    cdr_buf_printf(&b, "\"time\":\"%s\",\"vendor\":", time);
    cdr_buf_json_string(&b, f->vendor);
    cdr_buf_puts(&b, ",\"method\":");
    json_bytes(&b, req->method, strlen(req->method));
    cdr_buf_puts(&b, ",\"path\":");
    json_bytes(&b, out->path ? out->path : "", out->path ? n : 0);
    cdr_buf_puts(&b, ",\"query\":");
    json_pairs(&b, &r, req->query, req->query_count);
    cdr_buf_puts(&b, ",\"headers\":");
    json_pairs(&b, &r, req->headers, req->header_count);
    json_body(&b, out, &r, req);
    cdr_buf_puts(&b, ",\"remote\":");
    cdr_buf_json_string(&b, req->remote_addr);
    cdr_buf_printf(&b, ",\"status\":%d,\"vendor_code\":", f->status);
    json_bytes(&b, f->vendor_code, strlen(f->vendor_code));
    cdr_buf_printf(&b, ",\"latency_ms\":%.3f,\"auth\":", f->latency_ms);
    if (f->auth.checked) {
        char reason[sizeof(f->auth.reason)];
        mock_auth_reason(&f->auth, reason, sizeof(reason));
        cdr_buf_printf(&b, "{\"ok\":%s,\"reason\":", f->auth.ok ? "true" : "false");
        json_scrubbed(&b, &r, reason);
        cdr_buf_puts(&b, "}");
    } else {
        cdr_buf_puts(&b, "null");
    }
    cdr_buf_printf(&b, ",\"faulted\":%s,\"fault\":", f->fault.id[0] ? "true" : "false");
    if (f->fault.id[0]) {
        cdr_buf_puts(&b, "{\"id\":");
        cdr_buf_json_string(&b, f->fault.id);
        cdr_buf_puts(&b, ",\"kind\":");
        cdr_buf_json_string(&b, f->fault.kind);
        cdr_buf_puts(&b, "}");
    } else {
        cdr_buf_puts(&b, "null");
    }
    cdr_buf_puts(&b, "}");
    mock_redactor_free(&r);
    out->json_len = b.len;
    out->json = cdr_buf_steal(&b);
    if (!out->json || !out->path || !out->body) {
        rendering_free(out);
        return NULL;
    }
    return out;
}

/* The entry's rendering, made now by the first reader that needs it (two racing readers both
 * render; one keeps its own). NULL when out of memory. */
static const struct rendering *rendered(struct entry *e)
{
    struct rendering *have = atomic_load(&e->rendered);
    if (have)
        return have;
    struct rendering *made = render(&e->req, &e->facts);
    if (!made)
        return NULL;
    if (atomic_compare_exchange_strong(&e->rendered, &have, made))
        return made;
    rendering_free(made);
    return have;
}

/* Where copy() puts strings: the entry's bytes after its pairs. */
struct block {
    char *next;
};

static const char *copy(struct block *bl, const char *text, size_t len)
{
    char *at = bl->next;
    memcpy(at, text, len);
    at[len] = '\0';
    bl->next += len + 1;
    return at;
}

static size_t pairs_bytes(const struct mock_kv *kv, size_t count)
{
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        n += strlen(kv[i].name) + strlen(kv[i].value) + 2;
    return n;
}

static void copy_pairs(struct block *bl, struct mock_kv *to, const struct mock_kv *from,
                       size_t count)
{
    for (size_t i = 0; i < count; i++) {
        to[i].name = copy(bl, from[i].name, strlen(from[i].name));
        to[i].value = copy(bl, from[i].value, strlen(from[i].value));
    }
}

static struct entry *entry_new(const struct mock_journal_input *in)
{
    const struct mock_request *req = in->req;
    const struct mock_response *resp = in->resp;
    /* Kept as it came unless its body needs rendering now (see struct entry). */
    bool raw = req->body_len <= MOCK_JOURNAL_BODY_LIMIT;
    size_t pairs = raw ? req->query_count + req->header_count : 0;
    size_t vendor_len = resp->vendor ? strlen(resp->vendor) : 0;
    size_t method_len = strlen(req->method);
    size_t bytes = vendor_len + 1 + method_len + 1;
    size_t path_len = 0, remote_len = 0;
    if (raw) {
        path_len = strlen(req->path);
        remote_len = req->remote_addr ? strlen(req->remote_addr) : 0;
        bytes += path_len + 1 + remote_len + 1 + req->body_len + 1 +
                 pairs_bytes(req->query, req->query_count) +
                 pairs_bytes(req->headers, req->header_count);
    }
    struct entry *e = malloc(sizeof(*e) + pairs * sizeof(struct mock_kv) + bytes);
    if (!e)
        return NULL;
    atomic_init(&e->refs, 1);
    e->seq = 0;
    struct block bl = {(char *)(e->kv + pairs)};
    struct answer_facts *f = &e->facts;
    f->vendor = resp->vendor ? copy(&bl, resp->vendor, vendor_len) : NULL;
    f->status = resp->status;
    memcpy(f->vendor_code, resp->vendor_code, sizeof(f->vendor_code));
    f->vendor_code[sizeof(f->vendor_code) - 1] = '\0';
    f->auth = resp->auth;
    f->fault = resp->fault;
    f->time_ms = in->time_ms;
    f->latency_ms = in->latency_ms;
    f->secret_names = in->secret_names;
    e->method = copy(&bl, req->method, method_len);
    e->auth = resp->auth.checked ? resp->auth.ok : -1;
    memset(&e->req, 0, sizeof(e->req));
    atomic_init(&e->rendered, NULL);
    if (!raw) {
        struct rendering *now = render(req, f);
        if (!now) {
            free(e);
            return NULL;
        }
        atomic_init(&e->rendered, now);
        return e;
    }
    e->req = (struct mock_request){
        .method = e->method,
        .path = copy(&bl, req->path, path_len),
        .query = e->kv,
        .query_count = req->query_count,
        .headers = e->kv + req->query_count,
        .header_count = req->header_count,
        .body_len = req->body_len,
        .too_large = req->too_large,
        .remote_addr = req->remote_addr ? copy(&bl, req->remote_addr, remote_len) : NULL,
    };
    e->req.body = copy(&bl, req->body ? req->body : "", req->body_len);
    copy_pairs(&bl, e->kv, req->query, req->query_count);
    copy_pairs(&bl, e->kv + req->query_count, req->headers, req->header_count);
    return e;
}

void mock_journal_record(struct mock_journal *j, const struct mock_journal_input *in)
{
    struct entry *e = entry_new(in);
    if (!e)
        return; /* out of memory: the request goes unrecorded rather than unanswered */
    pthread_mutex_lock(&j->lock);
    e->seq = j->next_seq++;
    struct entry *evicted = j->ring[j->head];
    j->ring[j->head] = e;
    j->head = (j->head + 1) % j->capacity;
    if (j->count < j->capacity)
        j->count++;
    pthread_mutex_unlock(&j->lock);
    entry_unref(evicted); /* freed outside the lock, unless a reader still holds it */
}

void mock_journal_clear(struct mock_journal *j)
{
    pthread_mutex_lock(&j->lock);
    struct entry **old = j->ring;
    size_t n = j->capacity;
    struct entry **fresh = calloc(n, sizeof(*fresh));
    if (fresh)
        j->ring = fresh;
    else
        old = NULL; /* out of memory: forget them one by one under the lock instead */
    for (size_t i = 0; !old && i < n; i++) {
        entry_unref(j->ring[i]);
        j->ring[i] = NULL;
    }
    j->head = j->count = 0;
    pthread_mutex_unlock(&j->lock);
    for (size_t i = 0; old && i < n; i++)
        entry_unref(old[i]);
    free(old);
}

/* ---- reading --------------------------------------------------------------------------------- */

void mock_journal_match_init(struct mock_journal_match *m)
{
    memset(m, 0, sizeof(*m));
    m->auth_ok = -1;
}

static bool same(const char *want, const char *have)
{
    return !want || (have && strcmp(want, have) == 0);
}

/* Whether e matches; the path and body filters render it (an entry that cannot be rendered for
 * want of memory matches none of them). */
static bool matches(const struct mock_journal_match *m, struct entry *e)
{
    const struct answer_facts *f = &e->facts;
    if (e->seq <= m->since || !same(m->vendor, f->vendor) || !same(m->method, e->method) ||
        !same(m->vendor_code, f->vendor_code) || (m->status && m->status != f->status) ||
        (m->auth_ok >= 0 && m->auth_ok != e->auth))
        return false;
    bool by_body = m->body_contains && *m->body_contains;
    if (!m->path && !by_body)
        return true;
    const struct rendering *r = rendered(e);
    if (!r)
        return false;
    if (m->path && fnmatch(m->path, r->path, 0) != 0)
        return false;
    if (by_body) {
        size_t k = strlen(m->body_contains);
        bool found = false;
        for (size_t i = 0; !found && i + k <= r->body_len; i++)
            found = memcmp(r->body + i, m->body_contains, k) == 0;
        return found;
    }
    return true;
}

/* References to every entry, newest first (*n of them); the caller drops them. */
static struct entry **snapshot(struct mock_journal *j, size_t *n)
{
    pthread_mutex_lock(&j->lock);
    struct entry **all = malloc((j->count ? j->count : 1) * sizeof(*all));
    *n = 0;
    for (size_t i = 0; all && i < j->count; i++) {
        struct entry *e = j->ring[(j->head + j->capacity - 1 - i) % j->capacity];
        atomic_fetch_add(&e->refs, 1);
        all[(*n)++] = e;
    }
    pthread_mutex_unlock(&j->lock);
    return all;
}

static void drop(struct entry **all, size_t n)
{
    for (size_t i = 0; i < n; i++)
        entry_unref(all[i]);
    free(all);
}

char *mock_journal_list(struct mock_journal *j, const struct mock_journal_match *m, size_t limit)
{
    size_t n, total = 0;
    struct entry **all = snapshot(j, &n);
    if (!all)
        return NULL;
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "[");
    for (size_t i = 0; i < n; i++) {
        if (!matches(m, all[i]))
            continue;
        if (total++ < limit) {
            const struct rendering *r = rendered(all[i]);
            if (!r)
                b.failed = true;
            cdr_buf_printf(&b, "%s{\"seq\":%llu,", total > 1 ? "," : "",
                           (unsigned long long)all[i]->seq);
            if (r)
                cdr_buf_append(&b, r->json, r->json_len);
        }
    }
    cdr_buf_puts(&b, "]}");
    drop(all, n);
    char *requests = cdr_buf_steal(&b);
    if (!requests)
        return NULL;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "{\"total\":%zu,\"capacity\":%zu,\"requests\":", total, j->capacity);
    cdr_buf_puts(&b, requests);
    free(requests);
    return cdr_buf_steal(&b);
}

size_t mock_journal_count(struct mock_journal *j, const struct mock_journal_match *m)
{
    size_t n, count = 0;
    struct entry **all = snapshot(j, &n);
    for (size_t i = 0; all && i < n; i++)
        count += matches(m, all[i]);
    drop(all, n);
    return count;
}
