/* Runs scenarios: steps in order, each a driver call, an invariant check or an admin request,
 * every response compared with the vendor's documented shapes as it arrives. */
#include "runner.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cdrsim/timefmt.h"
#include "expect.h"
#include "target.h"
#include "json_type.h"

void conform_result_init(struct conform_result *r)
{
    memset(r, 0, sizeof(*r));
    r->total = r->pages = r->page = r->size = r->windows = -1;
}

void conform_result_free(struct conform_result *r)
{
    for (size_t i = 0; i < r->count; i++)
        cdr_record_free(&r->records[i]);
    free(r->records);
    cJSON_Delete(r->paging);
    cJSON_Delete(r->view);
    conform_result_init(r);
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

bool conform_result_add(struct conform_result *r, const struct cdr_record *rec)
{
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        struct cdr_record *grown = realloc(r->records, cap * sizeof(*grown));
        if (!grown)
            return false;
        r->records = grown;
        r->cap = cap;
    }
    struct cdr_record *c = &r->records[r->count];
    *c = *rec;
    c->id = dup_or_null(rec->id);
    c->call_id = dup_or_null(rec->call_id);
    c->caller = dup_or_null(rec->caller);
    c->callee = dup_or_null(rec->callee);
    c->agent = dup_or_null(rec->agent);
    c->group = dup_or_null(rec->group);
    c->raw_json = dup_or_null(rec->raw_json);
    c->recording_urls = NULL;
    c->recording_url_count = 0;
    for (size_t i = 0; i < rec->recording_url_count; i++)
        cdr_record_add_recording_url(c, rec->recording_urls[i]);
    r->count++;
    return true;
}

bool conform_result_take_page(struct conform_result *r, struct cdr_page *page)
{
    r->paged = true;
    r->total = page->total;
    r->pages = page->pages;
    r->page = page->page;
    r->size = page->size;
    cJSON_Delete(r->paging);
    r->paging = NULL;
    /* The library keeps the paging object as the text it came as; it is small. */
    if (page->paging_json && !(r->paging = cJSON_Parse(page->paging_json)))
        return false;
    if (!r->records) { /* the records move as they are */
        r->records = page->records;
        r->count = r->cap = page->record_count;
        page->records = NULL;
        page->record_count = 0;
        return true;
    }
    for (size_t i = 0; i < page->record_count; i++)
        if (!conform_result_add(r, &page->records[i]))
            return false;
    return true;
}

size_t conform_result_count(const struct conform_result *r)
{
    if (!r->view)
        return r->count;
    return cJSON_IsArray(r->view) ? (size_t)cJSON_GetArraySize(r->view) : 1;
}

int64_t conform_now(const struct conform_env *env, const struct conform_faults *faults)
{
    return (int64_t)time(NULL) + env->clock_offset + (faults ? faults->clock_offset : 0);
}

const char *conform_credential(const struct conform_env *env, const char *field)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(env->credentials, field);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

const struct conform_driver *conform_driver_find(const char *vendor)
{
    for (const struct conform_driver *const *d = conform_drivers; *d; d++)
        if (strcmp((*d)->vendor, vendor) == 0)
            return *d;
    return NULL;
}

/* ---- arguments ------------------------------------------------------------------------------- */

/* "${from}", "${to}", optionally "+94d" / "-1s" after it, or an absolute time. */
static bool range_value(const cJSON *v, int64_t from, int64_t to, int64_t *out)
{
    if (cJSON_IsNumber(v)) {
        *out = cdr__json_int64(v, 0);
        return true;
    }
    if (!cJSON_IsString(v))
        return false;
    const char *s = v->valuestring;
    int64_t base;
    if (strncmp(s, "${from}", 7) == 0)
        base = from;
    else if (strncmp(s, "${to}", 5) == 0)
        base = to;
    else
        return cdr_time_parse_any(s, CDR_CHINA_OFFSET_SECONDS, out);
    s += s[2] == 'f' ? 7 : 5;
    if (!*s) {
        *out = base;
        return true;
    }
    char sign = *s++, unit;
    long long n;
    int used;
    if ((sign != '+' && sign != '-') || *s < '0' || *s > '9' ||
        sscanf(s, "%lld%c%n", &n, &unit, &used) != 2 || s[used] ||
        n > 100000000) /* a few thousand years in seconds: no overflow below */
        return false;
    int64_t scale = unit == 'd'   ? 86400
                    : unit == 'h' ? 3600
                    : unit == 'm' ? 60
                    : unit == 's' ? 1
                                  : 0;
    if (!scale)
        return false;
    *out = base + (sign == '+' ? 1 : -1) * n * scale;
    return true;
}

cJSON *conform_args_with_range(const cJSON *args, int64_t from, int64_t to)
{
    cJSON *copy = args ? cJSON_Duplicate(args, true) : cJSON_CreateObject();
    if (!copy)
        return NULL;
    const char *keys[] = {"from", "to"};
    int64_t defaults[] = {from, to};
    for (size_t i = 0; i < 2; i++) {
        int64_t t = defaults[i];
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(copy, keys[i]);
        if (v && !range_value(v, from, to, &t)) {
            cJSON_Delete(copy);
            return NULL;
        }
        cJSON_DeleteItemFromObjectCaseSensitive(copy, keys[i]);
        cJSON_AddNumberToObject(copy, keys[i], (double)t);
    }
    return copy;
}

/* ---- steps ----------------------------------------------------------------------------------- */

void conform_step_note(struct conform_step_ctx *ctx, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = snprintf(line, sizeof(line), "%s: ", ctx->label);
    vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    /* Checks repeat their calls: a note says a thing once. */
    size_t len = strlen(line);
    for (const char *at = ctx->notes->data; at && (at = strstr(at, line)); at += len)
        if ((at == ctx->notes->data || at[-1] == '\n') && at[len] == '\n')
            return;
    cdr_buf_puts(ctx->notes, line);
    cdr_buf_puts(ctx->notes, "\n");
}

void conform_step_fail(struct conform_step_ctx *ctx, const char *fmt, ...)
{
    ctx->failed = true;
    cdr_buf_printf(ctx->messages, "%s: ", ctx->label);
    va_list ap;
    va_start(ap, fmt);
    char line[1024];
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    cdr_buf_puts(ctx->messages, line);
    cdr_buf_puts(ctx->messages, "\n");
}

/* The call a step's context makes with these args. */
static struct conform_call call_of(const struct conform_step_ctx *ctx, const cJSON *args)
{
    return (struct conform_call){ctx->senv->driver, ctx->session, &ctx->senv->env, &ctx->faults,
                                 args};
}

/* Whether the running step expects a rate-limit refusal: then it is the answer, not a reason to
 * ask again. */
static bool expects_rate_limit(const struct conform_step_ctx *ctx)
{
    const cJSON *expect = cJSON_GetObjectItemCaseSensitive(ctx->step, "expect");
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(expect, "error");
    return cJSON_IsString(error) && strcmp(error->valuestring, "rate_limited") == 0;
}

enum call_kind { CALL_PAGE, CALL_ALL, CALL_NAMED };

/* One driver call, asked again after a bounded wait while the vendor refuses it as rate limited
 * (a refusal the step does not expect), at most max_retries times. */
static cdr_error call_driver(struct conform_step_ctx *ctx, enum call_kind kind, const char *name,
                             const cJSON *args, int64_t page, int64_t size,
                             struct conform_result *out)
{
    const struct conform_driver *d = ctx->senv->driver;
    struct conform_call call = call_of(ctx, args);
    for (int attempt = 0;; attempt++) {
        conform_result_init(out);
        if (kind == CALL_PAGE)
            out->error = d->page ? d->page(&call, page, size, out)
                                 : cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT,
                                                 "%s has no paged query", d->vendor);
        else if (kind == CALL_ALL)
            out->error = d->all ? d->all(&call, out)
                                : cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT,
                                                "%s has no range query", d->vendor);
        else
            out->error = d->action ? d->action(&call, name, out)
                                   : cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT,
                                                   "no call named %s", name);
        if (out->error != CDR_ERR_RATE_LIMITED || attempt >= ctx->senv->max_retries ||
            expects_rate_limit(ctx))
            return out->error;
        double wait = conform_backoff_s(attempt + 1);
        char what[64];
        if (out->info.vendor_code[0])
            snprintf(what, sizeof(what), "%s", out->info.vendor_code);
        else
            snprintf(what, sizeof(what), "HTTP %ld", out->info.http_status);
        conform_step_note(ctx, "rate limited (%s): asked again after %.0f s", what, wait);
        conform_result_free(out);
        conform_sleep_s(wait);
    }
}

/* One page of a range longer than the vendor lets one query span would only provoke its range
 * error: the page is asked of the latest window it allows inside the range, and the outcome says
 * so. A step that sends the range unchecked (to provoke that error) keeps it. Returns the args to
 * use: args itself, or a narrowed copy in *narrowed (caller deletes). */
static const cJSON *within_window(struct conform_step_ctx *ctx, const cJSON *args, cJSON **narrowed)
{
    *narrowed = NULL;
    const struct cdr_vendor *v = cdr_vendor_find(ctx->senv->driver->vendor);
    const cJSON *from = cJSON_GetObjectItemCaseSensitive(args, "from");
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(args, "to");
    int64_t limit = v ? v->paging.max_range : 0;
    if (limit <= 0 || ctx->faults.unchecked || !cJSON_IsNumber(from) || !cJSON_IsNumber(to) ||
        cdr__json_int64(to, 0) - cdr__json_int64(from, 0) <= limit)
        return args;
    int64_t end = cdr__json_int64(to, 0), start = end - limit;
    if (!(*narrowed = cJSON_Duplicate(args, true)))
        return args;
    cJSON_ReplaceItemInObjectCaseSensitive(*narrowed, "from", cJSON_CreateNumber((double)start));
    char a[CDR_RFC3339_LEN + 1], b[CDR_RFC3339_LEN + 1], c[CDR_RFC3339_LEN + 1];
    cdr_time_format_rfc3339(cdr__json_int64(from, 0), a);
    cdr_time_format_rfc3339(end, b);
    cdr_time_format_rfc3339(start, c);
    conform_step_note(ctx,
                      "%s lets one query span at most %lld s; a page of %s..%s was asked of the "
                      "latest window inside it, %s..%s",
                      v->id, (long long)limit, a, b, c, b);
    return *narrowed;
}

cdr_error conform_step_page(struct conform_step_ctx *ctx, const cJSON *args, int64_t page,
                            int64_t size, struct conform_result *out)
{
    cJSON *narrowed;
    const cJSON *use = within_window(ctx, args, &narrowed);
    cdr_error rc = call_driver(ctx, CALL_PAGE, NULL, use, page, size, out);
    cJSON_Delete(narrowed);
    return rc;
}

cdr_error conform_step_all(struct conform_step_ctx *ctx, const cJSON *args,
                           struct conform_result *out)
{
    return call_driver(ctx, CALL_ALL, NULL, args, 0, 0, out);
}

static void read_faults(const cJSON *step, struct conform_faults *f)
{
    memset(f, 0, sizeof(*f));
    const cJSON *faults = cJSON_GetObjectItemCaseSensitive(step, "fault");
    f->wrong_secret = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(faults, "wrong_secret"));
    f->unchecked = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(faults, "unchecked"));
    f->reuse_nonce = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(faults, "reuse_nonce"));
    const cJSON *offset = cJSON_GetObjectItemCaseSensitive(faults, "clock_offset");
    if (cJSON_IsNumber(offset))
        f->clock_offset = cdr__json_int64(offset, 0);
    const cJSON *sig = cJSON_GetObjectItemCaseSensitive(faults, "signature");
    f->signature = cJSON_IsString(sig) ? sig->valuestring : NULL;
    const cJSON *client = cJSON_GetObjectItemCaseSensitive(step, "client");
    const cJSON *timeout = cJSON_GetObjectItemCaseSensitive(client, "timeout_ms");
    const cJSON *retries = cJSON_GetObjectItemCaseSensitive(client, "max_retries");
    f->timeout_ms = (long)cdr__json_int64(timeout, 0);
    f->max_retries = (int)cdr__json_int64(retries, -1);
}

static int64_t int_of(const cJSON *step, const char *key, int64_t fallback)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(step, key);
    return cdr__json_int64(v, fallback);
}

cdr_error conform_step_call(struct conform_step_ctx *ctx, const char *name, const cJSON *step,
                            const cJSON *args, struct conform_result *out)
{
    if (strcmp(name, "page") == 0)
        return conform_step_page(ctx, args, int_of(step, "page", 1), int_of(step, "size", 10), out);
    if (strcmp(name, "all") == 0)
        return conform_step_all(ctx, args, out);
    return call_driver(ctx, CALL_NAMED, name, args, 0, 0, out);
}

/* What a call answered, in a line: "ok, HTTP 200, 10 records". */
static void describe_result(const struct conform_result *r, char *out, size_t len)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, cdr_error_name(r->error));
    if (r->error != CDR_OK && r->info.message[0])
        cdr_buf_printf(&b, " (%s)", r->info.message);
    if (r->info.http_status)
        cdr_buf_printf(&b, ", HTTP %ld", r->info.http_status);
    if (r->info.vendor_code[0])
        cdr_buf_printf(&b, ", vendor code %s", r->info.vendor_code);
    if (r->error == CDR_OK)
        cdr_buf_printf(&b, ", %zu %s", conform_result_count(r), r->view ? "entries" : "records");
    snprintf(out, len, "%s", b.data ? b.data : "?");
    cdr_buf_free(&b);
}

/* The variants of the first on_departure alternative the answer meets (an alternative without an
 * "expect" meets any; r NULL, for checks, meets only those). Caller deletes; NULL for none. */
static cJSON *departure_variants(const struct conform_evidence *ev, const struct conform_result *r)
{
    const cJSON *alts = ev->on_departure;
    const cJSON *alt = cJSON_IsArray(alts) ? alts->child : alts;
    for (; alt; alt = cJSON_IsArray(alts) ? alt->next : NULL) {
        const cJSON *expect = cJSON_GetObjectItemCaseSensitive(alt, "expect");
        bool meets = !expect;
        if (expect && r) {
            struct cdr_buf scratch;
            cdr_buf_init(&scratch);
            struct conform_expect_ctx ec = {"alternative", &scratch, false};
            conform_expect(&ec, expect, r);
            meets = !ec.failed;
            cdr_buf_free(&scratch);
        }
        if (meets)
            return cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(alt, "variants"), true);
    }
    return NULL;
}

/* The ids of a result's records, in order (caller deletes). */
static cJSON *ids_of(const struct conform_result *r)
{
    cJSON *ids = cJSON_CreateArray();
    for (size_t i = 0; ids && i < r->count; i++)
        cJSON_AddItemToArray(ids, cJSON_CreateString(r->records[i].id ? r->records[i].id : ""));
    return ids;
}

static bool ids_contain(const cJSON *ids, const char *id)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, ids)
        if (strcmp(e->valuestring, id) == 0)
            return true;
    return false;
}

/* "same_ids_as": NAME: the records are exactly those a step kept as NAME, each once: a fetch
 * through faults lost none and repeated none. */
static void judge_same_ids(struct conform_step_ctx *ctx, const char *name,
                           const struct conform_result *r)
{
    const cJSON *want = cJSON_GetObjectItemCaseSensitive(ctx->kept, name);
    if (!want) {
        conform_step_fail(ctx, "\"same_ids_as\": no earlier step kept ids as \"%s\"", name);
        return;
    }
    cJSON *got = ids_of(r), *seen = cJSON_CreateArray();
    size_t missing = 0, extra = 0, twice = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, got) {
        if (ids_contain(seen, e->valuestring) && twice++ == 0)
            conform_step_fail(ctx, "record %s came back twice", e->valuestring);
        else if (!ids_contain(want, e->valuestring) && extra++ == 0)
            conform_step_fail(ctx, "record %s is not one of the %d kept as \"%s\"", e->valuestring,
                              cJSON_GetArraySize(want), name);
        cJSON_AddItemToArray(seen, cJSON_CreateString(e->valuestring));
    }
    cJSON_ArrayForEach(e, want)
        if (!ids_contain(got, e->valuestring) && missing++ == 0)
            conform_step_fail(ctx, "record %s of the ids kept as \"%s\" is missing", e->valuestring,
                              name);
    if (missing + extra + twice)
        conform_step_fail(ctx,
                          "%zu records against %d kept as \"%s\": %zu missing, %zu not kept, "
                          "%zu repeated",
                          r->count, cJSON_GetArraySize(want), name, missing, extra, twice);
    cJSON_Delete(got);
    cJSON_Delete(seen);
}

/* "keep": NAME stores the ids of a call's records for a later "same_ids_as". */
static void keep_ids(struct conform_step_ctx *ctx, const char *name, const struct conform_result *r)
{
    if (!ctx->kept)
        ctx->kept = cJSON_CreateObject();
    cJSON *ids = ids_of(r);
    if (!ctx->kept || !ids) {
        cJSON_Delete(ids);
        conform_step_fail(ctx, "out of memory keeping ids");
        return;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(ctx->kept, name);
    cJSON_AddItemToObject(ctx->kept, name, ids);
}

static void run_call(struct conform_step_ctx *ctx, const cJSON *step, const cJSON *args)
{
    const char *name = cJSON_GetObjectItemCaseSensitive(step, "call")->valuestring;
    struct conform_result r;
    conform_step_call(ctx, name, step, args, &r);
    if (r.error == CDR_ERR_INVALID_ARGUMENT && strstr(r.info.message, "no call named")) {
        conform_step_fail(ctx, "%s", r.info.message);
        conform_result_free(&r);
        return;
    }
    /* Successful calls carry no error info; the wire's status still tells. */
    if (r.info.http_status == 0)
        r.info.http_status = ctx->last_status;
    struct conform_expect_ctx ec = {ctx->label, ctx->messages, false};
    const cJSON *expect = cJSON_GetObjectItemCaseSensitive(step, "expect");
    conform_expect(&ec, expect, &r);
    ctx->failed = ctx->failed || ec.failed;
    const cJSON *same = cJSON_GetObjectItemCaseSensitive(expect, "same_ids_as");
    if (cJSON_IsString(same))
        judge_same_ids(ctx, same->valuestring, &r);
    ec.failed = ec.failed || ctx->failed;
    const cJSON *keep = cJSON_GetObjectItemCaseSensitive(step, "keep");
    if (cJSON_IsString(keep) && r.error == CDR_OK)
        keep_ids(ctx, keep->valuestring, &r);
    if (ec.failed) {
        describe_result(&r, ctx->seen, sizeof(ctx->seen));
        struct conform_evidence ev = conform_step_evidence(ctx->scenario, step);
        cJSON_Delete(ctx->departure_variants);
        ctx->departure_variants = departure_variants(&ev, &r);
    }
    conform_result_free(&r);
}

static void run_admin(struct conform_step_ctx *ctx, const cJSON *step)
{
    const char *what = cJSON_GetObjectItemCaseSensitive(step, "admin")->valuestring;
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(step, "method");
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(step, "body");
    long want = (long)int_of(step, "status", 200);
    char *printed = body ? cJSON_PrintUnformatted(body) : NULL;
    /* a push target names the scenario's receiver */
    char *text = printed ? conform_receiver_url_in(ctx->receiver, printed) : NULL;
    free(printed);
    char err[256] = "";
    long status = conform_target_admin(ctx->senv->env.base_url,
                                       cJSON_IsString(method) ? method->valuestring : "POST", what,
                                       text, ctx->senv->env.insecure, err, sizeof(err));
    free(text);
    if (status != want)
        conform_step_fail(ctx, "admin %s answered %ld, expected %ld%s%s", what, status, want,
                          err[0] ? ": " : "", err);
}

/* Runs one step; returns false when it could not start (ctx->failed then says why). */
static void run_step_body(struct conform_step_ctx *ctx, const cJSON *step)
{
    const cJSON *call = cJSON_GetObjectItemCaseSensitive(step, "call");
    const cJSON *check = cJSON_GetObjectItemCaseSensitive(step, "check");
    if (cJSON_HasObjectItem(step, "admin")) {
        if (!ctx->senv->mock)
            conform_step_fail(ctx, "admin steps need the mock target");
        else
            run_admin(ctx, step);
        return;
    }
    if (cJSON_HasObjectItem(step, "listen") || cJSON_HasObjectItem(step, "push")) {
        if (!ctx->senv->mock)
            conform_step_fail(ctx, "push steps need the mock target");
        else if (cJSON_HasObjectItem(step, "listen"))
            conform_step_listen(ctx, step);
        else
            conform_step_push(ctx, step);
        return;
    }
    cJSON *args =
        conform_args_with_range(cJSON_GetObjectItemCaseSensitive(step, "args"), ctx->from, ctx->to);
    if (!args) {
        conform_step_fail(
            ctx, "\"from\"/\"to\" must be ${from}/${to} with an optional +N[dhms], or a time");
        return;
    }
    const cJSON *journal = cJSON_GetObjectItemCaseSensitive(step, "journal");
    uint64_t mark = 0;
    if (journal && (!ctx->senv->mock || !conform_journal_mark(ctx, &mark))) {
        conform_step_fail(ctx, ctx->senv->mock ? "journal: the mock's journal cannot be read"
                                               : "journal expectations need the mock target");
        cJSON_Delete(args);
        return;
    }
    if (call) {
        run_call(ctx, step, args);
    } else {
        conform_check_fn fn = conform_check_find(check->valuestring);
        if (fn)
            fn(ctx, step, args);
        else
            conform_step_fail(ctx, "no check named %s", check->valuestring);
    }
    if (journal)
        conform_journal_judge(ctx, journal, args, mark);
    cJSON_Delete(args);
}

/* The text messages gained since mark, without the final newline (caller frees). */
static char *messages_since(const struct cdr_buf *messages, size_t mark)
{
    size_t len = messages->len > mark ? messages->len - mark : 0;
    while (len && messages->data[mark + len - 1] == '\n')
        len--;
    return strndup(messages->data ? messages->data + mark : "", len);
}

/* What a judging step expected, as the report shows it: its "expect", or its check. */
static char *expected_text(const cJSON *step)
{
    const cJSON *expect = cJSON_GetObjectItemCaseSensitive(step, "expect");
    if (expect)
        return cJSON_PrintUnformatted(expect);
    const cJSON *check = cJSON_GetObjectItemCaseSensitive(step, "check");
    if (check) {
        char *text = NULL;
        size_t len = strlen(check->valuestring) + 16;
        if ((text = malloc(len)))
            snprintf(text, len, "check %s", check->valuestring);
        return text;
    }
    return strdup("success");
}

/* The step's failure becomes a departure of the outcome; false when out of memory. */
static bool add_departure(struct conform_step_ctx *ctx, struct conform_outcome *out,
                          const cJSON *step, size_t index, const struct conform_evidence *ev,
                          size_t mark)
{
    struct conform_departure *grown =
        realloc(out->departures, (out->departure_count + 1) * sizeof(*grown));
    if (!grown)
        return false;
    out->departures = grown;
    struct conform_departure *d = &grown[out->departure_count++];
    memset(d, 0, sizeof(*d));
    d->step = index;
    d->label = strdup(ctx->label);
    d->expected = expected_text(step);
    d->seen = ctx->seen[0] ? strdup(ctx->seen) : NULL;
    d->messages = messages_since(ctx->messages, mark);
    d->why = ev->why ? strdup(ev->why) : NULL;
    /* Checks have no answer to match alternatives against: only unconditional ones apply. */
    d->variants =
        cJSON_HasObjectItem(step, "call") ? ctx->departure_variants : departure_variants(ev, NULL);
    if (cJSON_HasObjectItem(step, "call"))
        ctx->departure_variants = NULL;
    return true;
}

/* Runs a step and judges its failure by its evidence: against a live target a failed inferred
 * expectation is a departure (the vendor does otherwise than we read it), not a failure. Against
 * the mock, which is our inference, it fails like any other. */
static void run_step(struct conform_step_ctx *ctx, struct conform_outcome *out, const cJSON *step,
                     size_t index)
{
    const cJSON *call = cJSON_GetObjectItemCaseSensitive(step, "call");
    const cJSON *check = cJSON_GetObjectItemCaseSensitive(step, "check");
    snprintf(ctx->label, sizeof(ctx->label), "step %zu (%s)", index,
             call                                  ? call->valuestring
             : check                               ? check->valuestring
             : cJSON_HasObjectItem(step, "listen") ? "listen"
             : cJSON_HasObjectItem(step, "push")   ? "push"
                                                   : "admin");
    read_faults(step, &ctx->faults);
    ctx->step = step;
    ctx->last_status = 0;
    ctx->seen[0] = '\0';
    bool failed_before = ctx->failed;
    size_t mark = ctx->messages->len;
    ctx->failed = false;
    run_step_body(ctx, step);
    bool failed = ctx->failed;
    ctx->failed = failed_before;
    if (failed) {
        struct conform_evidence ev = conform_step_evidence(ctx->scenario, step);
        bool departs = !ctx->senv->mock && ev.level == CONFORM_EVIDENCE_INFERRED &&
                       conform_step_judges(step) && add_departure(ctx, out, step, index, &ev, mark);
        if (departs) {
            ctx->messages->len = mark;
            if (ctx->messages->data)
                ctx->messages->data[mark] = '\0';
        } else {
            ctx->failed = true;
            if (ev.level == CONFORM_EVIDENCE_DOCUMENTED)
                cdr_buf_printf(ctx->messages, "%s: documented: %s\n", ctx->label, ev.cite);
        }
    }
    cJSON_Delete(ctx->departure_variants);
    ctx->departure_variants = NULL;
}

/* ---- scenarios ------------------------------------------------------------------------------- */

struct observation {
    const struct conform_schema *schema;
    struct conform_findings *drift;
    size_t requests;
    long *last_status;
    struct conform_pacer *pacer;
};

static void observe(void *user, const struct cdr_http_exchange *x)
{
    struct observation *o = user;
    /* The answer is in: the next request leaves no sooner than the vendor's rate allows. */
    conform_pacer_wait(o->pacer);
    o->requests++;
    *o->last_status = x->status;
    if (o->schema && o->schema->doc)
        conform_schema_check(o->schema, x->method, x->url, x->status, x->body, x->body_len,
                             o->drift);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void conform_run_scenario(const struct conform_scenario_env *senv,
                          const struct conform_scenario *sc, struct conform_outcome *out)
{
    double t0 = now_ms();
    memset(out, 0, sizeof(*out));
    out->scenario = sc;
    out->vendor = senv->driver->vendor;
    struct cdr_buf messages, notes;
    cdr_buf_init(&messages);
    cdr_buf_puts(&messages, "");
    cdr_buf_init(&notes);
    struct conform_step_ctx ctx = {0};
    ctx.scenario = sc;
    ctx.notes = &notes;
    struct observation obs = {senv->schema, &out->drift, 0, &ctx.last_status, senv->pacer};
    struct conform_scenario_env local = *senv;
    local.env.observer = observe;
    local.env.observer_user = &obs;
    ctx.senv = &local;
    ctx.messages = &messages;
    ctx.from = senv->from;
    ctx.to = senv->to;
    ctx.drift = &out->drift;
    ctx.session = senv->driver->begin ? senv->driver->begin(&local.env) : NULL;
    size_t index = 0;
    const cJSON *step;
    cJSON_ArrayForEach(step, sc->steps) {
        ++index;
        /* After a failure later steps mean little, except "finally" ones that put things back. */
        if (!ctx.failed || cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(step, "finally")))
            run_step(&ctx, out, step, index);
    }
    if (senv->driver->end)
        senv->driver->end(ctx.session);
    cJSON_Delete(ctx.kept);
    conform_receiver_free(ctx.receiver);
    size_t breaking = 0;
    for (size_t i = 0; i < out->drift.count; i++)
        if (out->drift.items[i].severity == CONFORM_BREAKING) {
            const struct conform_finding *f = &out->drift.items[i];
            cdr_buf_printf(&messages,
                           "breaking drift: %s %s: documented %s, seen %s (%u response%s)", f->path,
                           f->kind, f->expected, f->seen, f->count, f->count == 1 ? "" : "s");
            if (f->source)
                cdr_buf_printf(&messages, "; documented by: %s", f->source);
            cdr_buf_puts(&messages, "\n");
            breaking++;
        }
    out->status = ctx.failed || breaking ? CONFORM_FAILED : CONFORM_PASSED;
    out->requests = obs.requests;
    out->messages = cdr_buf_steal(&messages);
    out->notes = notes.len ? cdr_buf_steal(&notes) : NULL;
    cdr_buf_free(&notes);
    out->duration_ms = now_ms() - t0;
}

void conform_outcome_free(struct conform_outcome *o)
{
    free(o->messages);
    free(o->skip_reason);
    free(o->notes);
    conform_findings_free(&o->drift);
    for (size_t i = 0; i < o->departure_count; i++) {
        struct conform_departure *d = &o->departures[i];
        free(d->label);
        free(d->expected);
        free(d->seen);
        free(d->messages);
        free(d->why);
        cJSON_Delete(d->variants);
    }
    free(o->departures);
    memset(o, 0, sizeof(*o));
}

/* ---- runs ------------------------------------------------------------------------------------ */

static bool selected(const struct conform_options *o, const struct conform_scenario *sc)
{
    for (size_t i = 0; i < o->skip_tag_count; i++)
        if (conform_scenario_has_tag(sc, o->skip_tags[i]))
            return false;
    if (o->tag_count == 0)
        return true;
    for (size_t i = 0; i < o->tag_count; i++)
        if (conform_scenario_has_tag(sc, o->tags[i]))
            return true;
    return false;
}

static bool add_outcome(struct conform_run *run, const struct conform_outcome *o)
{
    struct conform_outcome *grown = realloc(run->outcomes, (run->count + 1) * sizeof(*grown));
    if (!grown)
        return false;
    run->outcomes = grown;
    grown[run->count++] = *o;
    return true;
}

/* A scenario with mock arguments of its own (a vendor limit switched on) runs against a mock of
 * its own, started like the suite's plus those arguments, so no other scenario sees them. */
static void run_on_own_mock(const struct conform_options *o, const struct conform_suite *suite,
                            const struct conform_scenario_env *senv,
                            const struct conform_scenario *sc, struct conform_outcome *out)
{
    struct conform_target own;
    char err[512];
    if (!conform_target_open(&own, o, suite, senv->driver, sc->mock_args, err, sizeof(err))) {
        out->status = CONFORM_ERROR;
        out->messages = strdup(err);
        return;
    }
    struct conform_scenario_env mine = *senv;
    mine.env.base_url = own.base_url;
    mine.env.credentials = own.credentials;
    mine.env.clock_offset = own.clock_offset;
    conform_run_scenario(&mine, sc, out);
    conform_target_close(&own);
}

/* The vendor's variants on the run's mock, kept for the reports. */
static void keep_variants(struct conform_run *run, const char *vendor, const char *base_url,
                          bool insecure)
{
    cJSON *variants = conform_target_variants(base_url, vendor, insecure);
    if (!variants)
        return;
    cJSON_DeleteItemFromObjectCaseSensitive(run->variants, vendor);
    cJSON_AddItemToObject(run->variants, vendor, variants);
}

/* Whether a string of args names ${from} or ${to}. */
static bool names_range(const cJSON *v)
{
    if (cJSON_IsString(v))
        return strstr(v->valuestring, "${from}") || strstr(v->valuestring, "${to}");
    const cJSON *e;
    cJSON_ArrayForEach(e, v)
        if (names_range(e))
            return true;
    return false;
}

/* Whether a call (page, all or one of the driver's named calls) reads the suite's range. */
static bool call_reads_range(const struct conform_driver *driver, const char *name)
{
    if (strcmp(name, "page") == 0 || strcmp(name, "all") == 0)
        return true;
    if (!driver->page && !driver->all)
        return false;
    if (!driver->ranged_calls)
        return true;
    for (const char *const *c = driver->ranged_calls; *c; c++)
        if (strcmp(*c, name) == 0)
            return true;
    return false;
}

bool conform_scenario_uses_range(const struct conform_scenario *sc,
                                 const struct conform_driver *driver)
{
    const cJSON *step;
    cJSON_ArrayForEach(step, sc->steps) {
        const cJSON *call = cJSON_GetObjectItemCaseSensitive(step, "call");
        const cJSON *check = cJSON_GetObjectItemCaseSensitive(step, "check");
        const cJSON *source = cJSON_GetObjectItemCaseSensitive(step, "source");
        if (names_range(cJSON_GetObjectItemCaseSensitive(step, "args")))
            return true;
        if (call && call_reads_range(driver, call->valuestring))
            return true;
        if (check && (!cJSON_IsString(source) || call_reads_range(driver, source->valuestring)))
            return true;
    }
    return false;
}

/* The scenarios of a live run that query a range, comma-separated, or NULL when none does
 * (caller frees). */
static char *ranged_scenarios(const struct conform_options *o, const struct conform_suite *suite,
                              const struct conform_driver *driver)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    for (size_t i = 0; i < suite->scenario_count; i++) {
        const struct conform_scenario *sc = &suite->scenarios[i];
        if (selected(o, sc) && !conform_scenario_has_tag(sc, "mock-only") &&
            conform_scenario_uses_range(sc, driver))
            cdr_buf_printf(&b, "%s%s", b.len ? ", " : "", sc->id);
    }
    if (b.len)
        return cdr_buf_steal(&b);
    cdr_buf_free(&b);
    return NULL;
}

/* At most how many calls a second the run makes to the vendor: --rate VENDOR=N, else on a live
 * target the rate the suite documents; 0 for no limit. */
static double vendor_rate(const struct conform_options *o, const struct conform_suite *suite,
                          bool live)
{
    size_t vlen = strlen(suite->vendor);
    for (size_t i = o->rate_count; i-- > 0;)
        if (strncmp(o->rates[i], suite->vendor, vlen) == 0 && o->rates[i][vlen] == '=')
            return strtod(o->rates[i] + vlen + 1, NULL);
    return live ? suite->calls_per_second : 0;
}

static bool run_vendor(const struct conform_options *o, const char *vendor, struct conform_run *run,
                       struct conform_suite *suite, char *err, size_t err_len)
{
    const struct conform_driver *driver = conform_driver_find(vendor);
    if (!driver) {
        snprintf(err, err_len, "no driver for vendor '%s'", vendor);
        return false;
    }
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s.json", o->suites_dir, vendor);
    if (!conform_suite_load_with(suite, path, o->load_flags, err, err_len))
        return false;
    bool live = strcmp(o->target, "mock") != 0;
    char *ranged = live && !o->has_range ? ranged_scenarios(o, suite, driver) : NULL;
    if (ranged) {
        snprintf(err, err_len,
                 "%s: scenarios %s query a range: a live target needs --from and --to", vendor,
                 ranged);
        free(ranged);
        return false;
    }
    struct conform_schema schema = {0};
    snprintf(path, sizeof(path), "%s/%s/schema.json", o->fixtures_dir, vendor);
    if (!conform_schema_load(&schema, path, err, err_len))
        return false;
    struct conform_target target;
    if (!conform_target_open(&target, o, suite, driver, NULL, err, err_len)) {
        conform_schema_free(&schema);
        return false;
    }
    struct conform_scenario_env senv = {
        .driver = driver,
        .schema = &schema,
        .env = {.base_url = target.base_url,
                .credentials = target.credentials,
                .clock_offset = target.clock_offset,
                .insecure = o->insecure},
        .mock = target.is_mock,
        .from = target.from,
        .to = target.to,
        .max_retries = o->max_retries,
    };
    struct conform_pacer pacer;
    conform_pacer_init(&pacer, vendor_rate(o, suite, live));
    senv.pacer = &pacer;
    if (target.is_mock)
        keep_variants(run, vendor, target.base_url, o->insecure);
    bool ok = true;
    for (size_t i = 0; i < suite->scenario_count && ok; i++) {
        const struct conform_scenario *sc = &suite->scenarios[i];
        struct conform_outcome out = {
            .scenario = sc, .vendor = driver->vendor, .status = CONFORM_SKIPPED};
        if (!selected(o, sc)) {
            out.skip_reason = strdup("not selected by --tags/--skip-tags");
        } else if (!target.is_mock && conform_scenario_has_tag(sc, "mock-only")) {
            out.skip_reason = strdup("mock-only scenario on a live target");
        } else if (!target.is_mock && conform_scenario_uses_admin(sc)) {
            out.skip_reason = strdup("drives the mock's admin API (admin steps, journal "
                                     "expectations, fault rules): mock target only");
        } else {
            if (o->progress)
                fprintf(stderr, "\r\033[K%s: %s", vendor, sc->id);
            /* Timestamp windows are judged by the mock's clock, read afresh: a scenario before
             * may have moved it, and the start-up estimate is off by however slowly it started. */
            if (target.is_mock)
                conform_target_clock_offset(target.base_url, o->insecure, &senv.env.clock_offset);
            if (sc->mock_args)
                run_on_own_mock(o, suite, &senv, sc, &out);
            else
                conform_run_scenario(&senv, sc, &out);
        }
        ok = add_outcome(run, &out);
        if (ok && o->on_outcome) {
            if (o->progress)
                fputs("\r\033[K", stderr);
            o->on_outcome(o->on_outcome_user, &run->outcomes[run->count - 1]);
        }
    }
    if (o->progress)
        fputs("\r\033[K", stderr);
    conform_target_close(&target);
    conform_schema_free(&schema);
    if (!ok)
        snprintf(err, err_len, "out of memory");
    return ok;
}

bool conform_run_all(const struct conform_options *o, struct conform_run *run, char *err,
                     size_t err_len)
{
    double t0 = now_ms();
    memset(run, 0, sizeof(*run));
    run->started = (int64_t)time(NULL);
    run->target = strdup(o->target);
    run->variants = cJSON_CreateObject();
    run->suites = calloc(o->vendor_count ? o->vendor_count : 1, sizeof(*run->suites));
    if (!run->target || !run->suites || !run->variants) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    for (size_t i = 0; i < o->vendor_count; i++) {
        run->suite_count++;
        if (!run_vendor(o, o->vendors[i], run, &run->suites[i], err, err_len))
            return false;
    }
    run->duration_ms = now_ms() - t0;
    return true;
}
