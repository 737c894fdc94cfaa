#include "faults.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"

/* What a captive portal or a load balancer's maintenance page sends: a 200 no vendor's client can
 * read as the vendor's format. */
#define GARBAGE_BODY                                                                               \
    "<html><head><title>Service maintenance</title></head><body><h1>We'll be back soon</h1>"       \
    "</body></html>\n"

#define MAX_MS 600000 /* ten minutes: longer than any client waits */

struct mock_fault {
    char id[24];
    char vendor[32];
    char path[512];
    bool prefix; /* path ended in '*': it holds what comes before */
    char method[16];
    struct mock_fault_hit action; /* body owned here; delay_ms is `ms` before jitter */
    int jitter_ms;
    uint64_t after, times;
    double probability;
    uint64_t matched, fired;
};

static const char *const kind_names[] = {
    [MOCK_FAULT_DELAY] = "delay",
    [MOCK_FAULT_RESET] = "reset",
    [MOCK_FAULT_TRUNCATE] = "truncate",
    [MOCK_FAULT_GARBAGE] = "garbage",
    [MOCK_FAULT_DRIBBLE] = "dribble",
    [MOCK_FAULT_STATUS] = "status",
    [MOCK_FAULT_VENDOR_ERROR] = "vendor_error",
};

const char *mock_fault_kind_name(enum mock_fault_kind kind)
{
    return kind_names[kind];
}

bool mock_fault_replaces(enum mock_fault_kind kind)
{
    return kind == MOCK_FAULT_GARBAGE || kind == MOCK_FAULT_STATUS ||
           kind == MOCK_FAULT_VENDOR_ERROR;
}

void mock_faults_init(struct mock_faults *f, uint64_t seed)
{
    memset(f, 0, sizeof(*f));
    pthread_mutex_init(&f->lock, NULL);
    f->seed = mock_rng_derive(seed, "faults");
    mock_rng_seed(&f->rng, f->seed);
    f->next_id = 1;
}

static void rule_free(struct mock_fault *r)
{
    if (r)
        free(r->action.body);
    free(r);
}

void mock_faults_destroy(struct mock_faults *f)
{
    for (size_t i = 0; i < f->count; i++)
        rule_free(f->rules[i]);
    free(f->rules);
    pthread_mutex_destroy(&f->lock);
}

/* ---- reading a rule -------------------------------------------------------------------------- */

static const char *const known_fields[] = {
    "vendor", "path", "method",       "kind", "ms",    "jitter_ms", "bytes",       "interval_ms",
    "status", "body", "content_type", "code", "times", "after",     "probability", NULL,
};

/* A field that must be a string when present; *out stays NULL when absent. */
static bool opt_string(const cJSON *spec, const char *name, size_t max, const char **out, char *err,
                       size_t err_len)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(spec, name);
    *out = NULL;
    if (!v)
        return true;
    if (!cJSON_IsString(v) || strlen(v->valuestring) >= max) {
        snprintf(err, err_len, "%s: expected a string of at most %zu bytes", name, max - 1);
        return false;
    }
    *out = v->valuestring;
    return true;
}

/* An integer field in [lo, hi]; *out keeps its default when absent. */
static bool opt_int(const cJSON *spec, const char *name, int64_t lo, int64_t hi, int64_t *out,
                    char *err, size_t err_len)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(spec, name);
    if (!v)
        return true;
    double d = cJSON_IsNumber(v) ? v->valuedouble : -1e300;
    if (d < (double)lo || d > (double)hi || d != (double)(int64_t)d) {
        snprintf(err, err_len, "%s: expected an integer from %lld to %lld", name, (long long)lo,
                 (long long)hi);
        return false;
    }
    *out = (int64_t)d;
    return true;
}

static bool read_kind(const cJSON *spec, enum mock_fault_kind *kind, char *err, size_t err_len)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(spec, "kind");
    for (size_t i = 0; cJSON_IsString(v) && i < sizeof(kind_names) / sizeof(*kind_names); i++)
        if (strcmp(v->valuestring, kind_names[i]) == 0) {
            *kind = (enum mock_fault_kind)i;
            return true;
        }
    snprintf(err, err_len,
             "kind: expected one of delay, reset, truncate, garbage, dribble, "
             "status, vendor_error");
    return false;
}

/* Which fields each kind takes beyond the matching ones. */
static bool field_allowed(enum mock_fault_kind kind, const char *name)
{
    static const char *const common[] = {"vendor", "path",  "method",      "kind",
                                         "times",  "after", "probability", NULL};
    for (const char *const *c = common; *c; c++)
        if (strcmp(*c, name) == 0)
            return true;
    switch (kind) {
    case MOCK_FAULT_DELAY:
        return strcmp(name, "ms") == 0 || strcmp(name, "jitter_ms") == 0;
    case MOCK_FAULT_TRUNCATE:
        return strcmp(name, "bytes") == 0;
    case MOCK_FAULT_DRIBBLE:
        return strcmp(name, "bytes") == 0 || strcmp(name, "interval_ms") == 0;
    case MOCK_FAULT_STATUS:
        return strcmp(name, "status") == 0 || strcmp(name, "body") == 0 ||
               strcmp(name, "content_type") == 0;
    case MOCK_FAULT_VENDOR_ERROR:
        return strcmp(name, "code") == 0;
    default:
        return false;
    }
}

static bool check_fields(const cJSON *spec, enum mock_fault_kind kind, char *err, size_t err_len)
{
    for (const cJSON *it = spec->child; it; it = it->next) {
        bool known = false;
        for (const char *const *k = known_fields; *k && !known; k++)
            known = strcmp(*k, it->string) == 0;
        if (!known || !field_allowed(kind, it->string)) {
            snprintf(err, err_len, "%.64s: %s", it->string,
                     known ? "not a setting of this kind" : "unknown field");
            return false;
        }
    }
    return true;
}

static bool read_match(const cJSON *spec, struct mock_fault *r,
                       const struct mock_fault_checker *chk, char *err, size_t err_len)
{
    const char *vendor, *path, *method;
    if (!opt_string(spec, "vendor", sizeof(r->vendor), &vendor, err, err_len) ||
        !opt_string(spec, "path", sizeof(r->path), &path, err, err_len) ||
        !opt_string(spec, "method", sizeof(r->method), &method, err, err_len))
        return false;
    if (!vendor || (chk && !chk->vendor_served(chk->ctx, vendor))) {
        snprintf(err, err_len, "vendor: %s", vendor ? "no served vendor has this id" : "required");
        return false;
    }
    if (!path || path[0] != '/') {
        snprintf(err, err_len, "path: required, starting with '/' (end it with '*' for a prefix)");
        return false;
    }
    snprintf(r->vendor, sizeof(r->vendor), "%s", vendor);
    size_t n = strlen(path);
    r->prefix = path[n - 1] == '*';
    snprintf(r->path, sizeof(r->path), "%.*s", (int)(r->prefix ? n - 1 : n), path);
    snprintf(r->method, sizeof(r->method), "%s", method ? method : "");
    return true;
}

static bool read_counts(const cJSON *spec, struct mock_fault *r, char *err, size_t err_len)
{
    int64_t times = 0, after = 0;
    if (!opt_int(spec, "times", 0, INT64_MAX / 2, &times, err, err_len) ||
        !opt_int(spec, "after", 0, INT64_MAX / 2, &after, err, err_len))
        return false;
    r->times = (uint64_t)times;
    r->after = (uint64_t)after;
    r->probability = 1.0;
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(spec, "probability");
    if (p && (!cJSON_IsNumber(p) || !(p->valuedouble >= 0.0 && p->valuedouble <= 1.0))) {
        snprintf(err, err_len, "probability: expected a number from 0 to 1");
        return false;
    }
    if (p)
        r->probability = p->valuedouble;
    return true;
}

static bool read_action(const cJSON *spec, struct mock_fault *r,
                        const struct mock_fault_checker *chk, char *err, size_t err_len)
{
    struct mock_fault_hit *a = &r->action;
    int64_t ms = 0, jitter = 0, bytes = 0, interval = 0, status = 0;
    const char *body, *type, *code;
    if (!opt_int(spec, "ms", 0, MAX_MS, &ms, err, err_len) ||
        !opt_int(spec, "jitter_ms", 0, MAX_MS, &jitter, err, err_len) ||
        !opt_int(spec, "bytes", 1, INT32_MAX, &bytes, err, err_len) ||
        !opt_int(spec, "interval_ms", 0, MAX_MS, &interval, err, err_len) ||
        !opt_int(spec, "status", 100, 599, &status, err, err_len) ||
        !opt_string(spec, "body", 1 << 20, &body, err, err_len) ||
        !opt_string(spec, "content_type", sizeof(a->content_type), &type, err, err_len) ||
        !opt_string(spec, "code", sizeof(a->code), &code, err, err_len))
        return false;
    const char *missing = NULL;
    if (a->kind == MOCK_FAULT_DELAY && !cJSON_GetObjectItemCaseSensitive(spec, "ms"))
        missing = "ms";
    else if ((a->kind == MOCK_FAULT_TRUNCATE || a->kind == MOCK_FAULT_DRIBBLE) && bytes == 0)
        missing = "bytes";
    else if (a->kind == MOCK_FAULT_STATUS && status == 0)
        missing = "status";
    if (missing) {
        snprintf(err, err_len, "%s: required for kind %s", missing, kind_names[a->kind]);
        return false;
    }
    if (a->kind == MOCK_FAULT_VENDOR_ERROR && chk && !chk->vendor_code(chk->ctx, r->vendor, code)) {
        snprintf(err, err_len, "code: %s is not a documented server error of %s",
                 code ? code : "(default)", r->vendor);
        return false;
    }
    a->delay_ms = (int)ms;
    r->jitter_ms = (int)jitter;
    a->bytes = (size_t)bytes;
    a->interval_ms = (int)interval;
    a->status = (int)status;
    snprintf(a->content_type, sizeof(a->content_type), "%s",
             type ? type : "application/json;charset=UTF-8");
    snprintf(a->code, sizeof(a->code), "%s", code ? code : "");
    if (body && !(a->body = strdup(body))) {
        snprintf(err, err_len, "body: out of memory");
        return false;
    }
    return true;
}

bool mock_faults_add(struct mock_faults *f, const cJSON *spec, const struct mock_fault_checker *chk,
                     char *id, char *err, size_t err_len)
{
    if (!cJSON_IsObject(spec)) {
        snprintf(err, err_len, "expected a JSON object {\"vendor\", \"path\", \"kind\", ...}");
        return false;
    }
    struct mock_fault *r = calloc(1, sizeof(*r));
    if (!r) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    if (!read_kind(spec, &r->action.kind, err, err_len) ||
        !check_fields(spec, r->action.kind, err, err_len) ||
        !read_match(spec, r, chk, err, err_len) || !read_counts(spec, r, err, err_len) ||
        !read_action(spec, r, chk, err, err_len)) {
        rule_free(r);
        return false;
    }
    pthread_mutex_lock(&f->lock);
    bool room = f->count < f->cap;
    if (!room) {
        size_t cap = f->cap ? f->cap * 2 : 8;
        struct mock_fault **grown = realloc(f->rules, cap * sizeof(*grown));
        if (grown) {
            f->rules = grown;
            f->cap = cap;
            room = true;
        }
    }
    if (room) {
        snprintf(r->id, sizeof(r->id), "f%llu", (unsigned long long)f->next_id++);
        memcpy(r->action.id, r->id, sizeof(r->id));
        f->rules[f->count++] = r;
        memcpy(id, r->id, sizeof(r->id));
    }
    pthread_mutex_unlock(&f->lock);
    if (!room) {
        rule_free(r);
        snprintf(err, err_len, "out of memory");
    }
    return room;
}

bool mock_faults_remove(struct mock_faults *f, const char *id)
{
    bool found = false;
    pthread_mutex_lock(&f->lock);
    size_t kept = 0;
    for (size_t i = 0; i < f->count; i++) {
        if (!id || strcmp(f->rules[i]->id, id) == 0) {
            rule_free(f->rules[i]);
            found = true;
        } else {
            f->rules[kept++] = f->rules[i];
        }
    }
    f->count = kept;
    if (!id) /* a clean slate draws the same numbers as a fresh start */
        mock_rng_seed(&f->rng, f->seed);
    pthread_mutex_unlock(&f->lock);
    return found || !id;
}

char *mock_faults_json(struct mock_faults *f)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "[");
    pthread_mutex_lock(&f->lock);
    for (size_t i = 0; i < f->count; i++) {
        const struct mock_fault *r = f->rules[i];
        const struct mock_fault_hit *a = &r->action;
        cdr_buf_printf(&b, "%s{\"id\":\"%s\",\"vendor\":", i ? "," : "", r->id);
        cdr_buf_json_string(&b, r->vendor);
        char path[sizeof(r->path) + 1];
        snprintf(path, sizeof(path), "%s%s", r->path, r->prefix ? "*" : "");
        cdr_buf_puts(&b, ",\"path\":");
        cdr_buf_json_string(&b, path);
        cdr_buf_puts(&b, ",\"method\":");
        cdr_buf_json_string(&b, r->method[0] ? r->method : NULL);
        cdr_buf_printf(&b, ",\"kind\":\"%s\"", kind_names[a->kind]);
        switch (a->kind) {
        case MOCK_FAULT_DELAY:
            cdr_buf_printf(&b, ",\"ms\":%d,\"jitter_ms\":%d", a->delay_ms, r->jitter_ms);
            break;
        case MOCK_FAULT_TRUNCATE:
            cdr_buf_printf(&b, ",\"bytes\":%zu", a->bytes);
            break;
        case MOCK_FAULT_DRIBBLE:
            cdr_buf_printf(&b, ",\"bytes\":%zu,\"interval_ms\":%d", a->bytes, a->interval_ms);
            break;
        case MOCK_FAULT_STATUS:
            cdr_buf_printf(&b, ",\"status\":%d,\"body\":", a->status);
            cdr_buf_json_string(&b, a->body ? a->body : "");
            cdr_buf_puts(&b, ",\"content_type\":");
            cdr_buf_json_string(&b, a->content_type);
            break;
        case MOCK_FAULT_VENDOR_ERROR:
            cdr_buf_puts(&b, ",\"code\":");
            cdr_buf_json_string(&b, a->code[0] ? a->code : NULL);
            break;
        default:
            break;
        }
        cdr_buf_printf(&b,
                       ",\"after\":%llu,\"times\":%llu,\"probability\":%g,\"matched\":%llu,"
                       "\"fired\":%llu}",
                       (unsigned long long)r->after, (unsigned long long)r->times, r->probability,
                       (unsigned long long)r->matched, (unsigned long long)r->fired);
    }
    pthread_mutex_unlock(&f->lock);
    cdr_buf_puts(&b, "]");
    return cdr_buf_steal(&b);
}

/* ---- matching -------------------------------------------------------------------------------- */

static bool matches(const struct mock_fault *r, const char *vendor, const char *method,
                    const char *path)
{
    if (strcmp(r->vendor, vendor) != 0 || (r->method[0] && strcasecmp(r->method, method) != 0))
        return false;
    return r->prefix ? strncmp(path, r->path, strlen(r->path)) == 0 : strcmp(path, r->path) == 0;
}

/* Uniform in [0, 1) with 53 random bits. */
static double draw_unit(struct mock_rng *rng)
{
    return (double)(mock_rng_next(rng) >> 11) / 9007199254740992.0;
}

bool mock_faults_match(struct mock_faults *f, const char *vendor, const char *method,
                       const char *path, struct mock_fault_hit *hit)
{
    bool fired = false;
    memset(hit, 0, sizeof(*hit));
    pthread_mutex_lock(&f->lock);
    for (size_t i = 0; i < f->count && !fired; i++) {
        struct mock_fault *r = f->rules[i];
        if (!matches(r, vendor, method, path))
            continue;
        r->matched++;
        if (r->matched <= r->after || (r->times && r->fired >= r->times))
            continue;
        if (r->probability < 1.0 && draw_unit(&f->rng) >= r->probability)
            continue;
        r->fired++;
        *hit = r->action;
        hit->body = NULL;
        if (r->action.body)
            hit->body = strdup(r->action.body);
        if (r->jitter_ms)
            hit->delay_ms += (int)mock_rng_below(&f->rng, (uint64_t)r->jitter_ms + 1);
        fired = true;
    }
    pthread_mutex_unlock(&f->lock);
    return fired;
}

void mock_fault_hit_free(struct mock_fault_hit *hit)
{
    free(hit->body);
    hit->body = NULL;
}

void mock_fault_apply(const struct mock_fault_hit *hit, struct mock_response *resp)
{
    struct mock_delivery *d = &resp->delivery;
    switch (hit->kind) {
    case MOCK_FAULT_DELAY:
        d->delay_ms = hit->delay_ms;
        break;
    case MOCK_FAULT_RESET:
        d->reset = true;
        break;
    case MOCK_FAULT_TRUNCATE:
        d->truncate_bytes = hit->bytes;
        break;
    case MOCK_FAULT_DRIBBLE:
        d->dribble_bytes = hit->bytes;
        d->dribble_interval_ms = hit->interval_ms;
        break;
    case MOCK_FAULT_GARBAGE:
        mock_response_set_body(resp, 200, "text/html", GARBAGE_BODY, strlen(GARBAGE_BODY));
        break;
    case MOCK_FAULT_STATUS:
        mock_response_set_body(resp, hit->status, "application/json;charset=UTF-8",
                               hit->body ? hit->body : "", hit->body ? strlen(hit->body) : 0);
        resp->content_type = NULL; /* a static string only: the rule's own type goes as a header */
        mock_response_add_header(resp, "Content-Type", hit->content_type);
        break;
    case MOCK_FAULT_VENDOR_ERROR:
        break; /* the vendor's own hook answered */
    }
    snprintf(resp->fault.id, sizeof(resp->fault.id), "%s", hit->id);
    snprintf(resp->fault.kind, sizeof(resp->fault.kind), "%s", kind_names[hit->kind]);
}
