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
        *out = (int64_t)v->valuedouble;
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

cdr_error conform_step_page(struct conform_step_ctx *ctx, const cJSON *args, int64_t page,
                            int64_t size, struct conform_result *out)
{
    conform_result_init(out);
    const struct conform_driver *d = ctx->senv->driver;
    struct conform_call call = call_of(ctx, args);
    out->error = d->page ? d->page(&call, page, size, out)
                         : cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT,
                                         "%s has no paged query", d->vendor);
    return out->error;
}

cdr_error conform_step_all(struct conform_step_ctx *ctx, const cJSON *args,
                           struct conform_result *out)
{
    conform_result_init(out);
    const struct conform_driver *d = ctx->senv->driver;
    struct conform_call call = call_of(ctx, args);
    out->error = d->all ? d->all(&call, out)
                        : cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT,
                                        "%s has no range query", d->vendor);
    return out->error;
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
        f->clock_offset = (int64_t)offset->valuedouble;
    const cJSON *sig = cJSON_GetObjectItemCaseSensitive(faults, "signature");
    f->signature = cJSON_IsString(sig) ? sig->valuestring : NULL;
}

static int64_t int_of(const cJSON *step, const char *key, int64_t fallback)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(step, key);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : fallback;
}

cdr_error conform_step_call(struct conform_step_ctx *ctx, const char *name, const cJSON *step,
                            const cJSON *args, struct conform_result *out)
{
    if (strcmp(name, "page") == 0)
        return conform_step_page(ctx, args, int_of(step, "page", 1), int_of(step, "size", 10), out);
    if (strcmp(name, "all") == 0)
        return conform_step_all(ctx, args, out);
    conform_result_init(out);
    const struct conform_driver *d = ctx->senv->driver;
    struct conform_call call = call_of(ctx, args);
    out->error =
        d->action ? d->action(&call, name, out)
                  : cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT, "no call named %s", name);
    return out->error;
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
    conform_expect(&ec, cJSON_GetObjectItemCaseSensitive(step, "expect"), &r);
    ctx->failed = ctx->failed || ec.failed;
    conform_result_free(&r);
}

static void run_admin(struct conform_step_ctx *ctx, const cJSON *step)
{
    const char *what = cJSON_GetObjectItemCaseSensitive(step, "admin")->valuestring;
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(step, "method");
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(step, "body");
    long want = (long)int_of(step, "status", 200);
    char *text = body ? cJSON_PrintUnformatted(body) : NULL;
    char err[256] = "";
    long status = conform_target_admin(ctx->senv->env.base_url,
                                       cJSON_IsString(method) ? method->valuestring : "POST", what,
                                       text, ctx->senv->env.insecure, err, sizeof(err));
    free(text);
    if (status != want)
        conform_step_fail(ctx, "admin %s answered %ld, expected %ld%s%s", what, status, want,
                          err[0] ? ": " : "", err);
}

static void run_step(struct conform_step_ctx *ctx, const cJSON *step, size_t index)
{
    const cJSON *call = cJSON_GetObjectItemCaseSensitive(step, "call");
    const cJSON *check = cJSON_GetObjectItemCaseSensitive(step, "check");
    snprintf(ctx->label, sizeof(ctx->label), "step %zu (%s)", index,
             call    ? call->valuestring
             : check ? check->valuestring
                     : "admin");
    read_faults(step, &ctx->faults);
    ctx->last_status = 0;
    if (cJSON_HasObjectItem(step, "admin")) {
        if (!ctx->senv->mock)
            conform_step_fail(ctx, "admin steps need the mock target");
        else
            run_admin(ctx, step);
        return;
    }
    cJSON *args =
        conform_args_with_range(cJSON_GetObjectItemCaseSensitive(step, "args"), ctx->from, ctx->to);
    if (!args) {
        conform_step_fail(
            ctx, "\"from\"/\"to\" must be ${from}/${to} with an optional +N[dhms], or a time");
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
    cJSON_Delete(args);
}

/* ---- scenarios ------------------------------------------------------------------------------- */

struct observation {
    const struct conform_schema *schema;
    struct conform_findings *drift;
    size_t requests;
    long *last_status;
};

static void observe(void *user, const struct cdr_http_exchange *x)
{
    struct observation *o = user;
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
    struct cdr_buf messages;
    cdr_buf_init(&messages);
    cdr_buf_puts(&messages, "");
    struct conform_step_ctx ctx = {0};
    struct observation obs = {senv->schema, &out->drift, 0, &ctx.last_status};
    struct conform_scenario_env local = *senv;
    local.env.observer = observe;
    local.env.observer_user = &obs;
    ctx.senv = &local;
    ctx.messages = &messages;
    ctx.from = senv->from;
    ctx.to = senv->to;
    ctx.session = senv->driver->begin ? senv->driver->begin(&local.env) : NULL;
    size_t index = 0;
    const cJSON *step;
    cJSON_ArrayForEach(step, sc->steps) {
        ++index;
        /* After a failure later steps mean little, except "finally" ones that put things back. */
        if (!ctx.failed || cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(step, "finally")))
            run_step(&ctx, step, index);
    }
    if (senv->driver->end)
        senv->driver->end(ctx.session);
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
    out->duration_ms = now_ms() - t0;
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
    if (!conform_suite_load(suite, path, err, err_len))
        return false;
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
    };
    bool ok = true;
    for (size_t i = 0; i < suite->scenario_count && ok; i++) {
        const struct conform_scenario *sc = &suite->scenarios[i];
        struct conform_outcome out = {
            .scenario = sc, .vendor = driver->vendor, .status = CONFORM_SKIPPED};
        if (!selected(o, sc)) {
            out.skip_reason = strdup("not selected by --tags/--skip-tags");
        } else if (!target.is_mock && conform_scenario_has_tag(sc, "mock-only")) {
            out.skip_reason = strdup("mock-only scenario on a live target");
        } else {
            if (o->progress)
                fprintf(stderr, "\r\033[K%s: %s", vendor, sc->id);
            if (sc->mock_args)
                run_on_own_mock(o, suite, &senv, sc, &out);
            else
                conform_run_scenario(&senv, sc, &out);
        }
        ok = add_outcome(run, &out);
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
    run->target = strdup(o->target);
    run->suites = calloc(o->vendor_count ? o->vendor_count : 1, sizeof(*run->suites));
    if (!run->target || !run->suites) {
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
