/* Push scenarios on the mock target: a loopback receiver the runner starts ("listen"), and the
 * step that waits for its deliveries ("push"), checks the newest against the vendor's documented
 * push body (fixtures/<vendor>/schema.json "push"), parses it with cdr_push_parse, judges the
 * records with the step's "expect" and compares them with the same calls pulled through the
 * driver ("pulled"). */
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "expect.h"
#include "http_receive.h"
#include "runner.h"
#include "json_type.h"

#define PUSH_MAX_DELIVERIES 64

struct delivery {
    char *body;
    size_t len;
    int answered;
};

struct conform_receiver {
    const struct cdr_vendor *vendor;
    int fd;
    int port;
    int64_t fail_first;
    pthread_t thread;
    pthread_mutex_t lock;
    bool stop;
    struct delivery deliveries[PUSH_MAX_DELIVERIES];
    size_t count; /* deliveries taken (those past PUSH_MAX_DELIVERIES counted, not kept) */
};

static void take(struct conform_receiver *r, int conn)
{
    struct http_receive_request req;
    char why[160];
    int status = http_receive_read(conn, &req, why, sizeof(why));
    if (status < 0)
        return;
    if (status > 0) {
        http_receive_reply(conn, status, "text/plain; charset=utf-8", why);
        return;
    }
    pthread_mutex_lock(&r->lock);
    size_t n = r->count++;
    const struct cdr_push_reply *reply = cdr_push_reply_of(r->vendor);
    int answer = (int64_t)n < r->fail_first ? 500 : reply ? reply->status : 200;
    if (n < PUSH_MAX_DELIVERIES) {
        r->deliveries[n] = (struct delivery){req.body, req.body_len, answer};
        req.body = NULL;
    }
    pthread_mutex_unlock(&r->lock);
    http_receive_request_free(&req);
    http_receive_reply(conn, answer, "text/plain; charset=utf-8",
                       answer == 500 ? "failing\n" : "OK\n");
}

static void *serve(void *user)
{
    struct conform_receiver *r = user;
    for (;;) {
        pthread_mutex_lock(&r->lock);
        bool stop = r->stop;
        pthread_mutex_unlock(&r->lock);
        if (stop)
            return NULL;
        struct pollfd p = {r->fd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0)
            continue;
        int conn = accept(r->fd, NULL, NULL);
        if (conn >= 0) {
            take(r, conn);
            close(conn);
        }
    }
}

void conform_receiver_free(struct conform_receiver *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->lock);
    r->stop = true;
    pthread_mutex_unlock(&r->lock);
    pthread_join(r->thread, NULL);
    close(r->fd);
    for (size_t i = 0; i < r->count && i < PUSH_MAX_DELIVERIES; i++)
        free(r->deliveries[i].body);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

static size_t deliveries(struct conform_receiver *r)
{
    pthread_mutex_lock(&r->lock);
    size_t n = r->count;
    pthread_mutex_unlock(&r->lock);
    return n;
}

void conform_step_listen(struct conform_step_ctx *ctx, const cJSON *step)
{
    const cJSON *listen = cJSON_GetObjectItemCaseSensitive(step, "listen");
    const struct cdr_vendor *v = cdr_vendor_find(ctx->senv->driver->vendor);
    if (!cdr_vendor_has_call(v, "push")) {
        conform_step_fail(ctx, "%s does not push records", ctx->senv->driver->vendor);
        return;
    }
    if (ctx->receiver) {
        conform_step_fail(ctx, "a scenario listens once");
        return;
    }
    struct conform_receiver *r = calloc(1, sizeof(*r));
    char err[256];
    if (!r || (r->fd = http_receive_listen("127.0.0.1", 0, &r->port, err, sizeof(err))) < 0) {
        conform_step_fail(ctx, "cannot listen on loopback: %s", r ? err : "out of memory");
        free(r);
        return;
    }
    r->vendor = v;
    const cJSON *fail_first = cJSON_GetObjectItemCaseSensitive(listen, "fail_first");
    r->fail_first = cdr__json_int64(fail_first, 0);
    pthread_mutex_init(&r->lock, NULL);
    if (pthread_create(&r->thread, NULL, serve, r) != 0) {
        conform_step_fail(ctx, "cannot start the receiver's thread");
        close(r->fd);
        pthread_mutex_destroy(&r->lock);
        free(r);
        return;
    }
    ctx->receiver = r;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int64_t int_member(const cJSON *obj, const char *key, int64_t fallback)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cdr__json_int64(v, fallback);
}

/* Waits for the receiver to have taken want deliveries, then for quiet_ms more without another;
 * false after failing the step. */
static bool await(struct conform_step_ctx *ctx, struct conform_receiver *r, size_t want,
                  int64_t within_ms, int64_t quiet_ms)
{
    double start = now_ms();
    while (deliveries(r) < want && now_ms() - start < (double)within_ms) {
        struct timespec ts = {0, 20000000};
        nanosleep(&ts, NULL);
    }
    size_t seen = deliveries(r);
    if (seen < want) {
        conform_step_fail(ctx, "%zu deliver%s within %lld ms, expected %zu", seen,
                          seen == 1 ? "y" : "ies", (long long)within_ms, want);
        return false;
    }
    double quiet_start = now_ms();
    while (deliveries(r) == want && now_ms() - quiet_start < (double)quiet_ms) {
        struct timespec ts = {0, 20000000};
        nanosleep(&ts, NULL);
    }
    if ((seen = deliveries(r)) != want) {
        conform_step_fail(ctx, "%zu deliveries, expected %zu and then none for %lld ms", seen, want,
                          (long long)quiet_ms);
        return false;
    }
    return true;
}

/* The pulled record with the same value of match as rec, or NULL. */
static const struct cdr_record *pulled_twin(const struct conform_result *pulled,
                                            const struct cdr_record *rec, const char *match)
{
    cJSON *want = conform_field(rec, match);
    const struct cdr_record *found = NULL;
    for (size_t i = 0; want && !found && i < pulled->count; i++) {
        cJSON *have = conform_field(&pulled->records[i], match);
        if (have && !cJSON_IsNull(want) && cJSON_Compare(want, have, true))
            found = &pulled->records[i];
        cJSON_Delete(have);
    }
    cJSON_Delete(want);
    return found;
}

/* Whether two numbers differ by no more than the step's "within" allows for the field: a push
 * that carries coarser units than the pulled answer (Yunfu's callback: whole seconds the vendor
 * cut from the list's milliseconds, which the normalized list record rounds). */
static bool close_enough(const cJSON *spec, const cJSON *field, const cJSON *a, const cJSON *b)
{
    const cJSON *within = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(spec, "within"), field->valuestring);
    if (!cJSON_IsNumber(within) || !cJSON_IsNumber(a) || !cJSON_IsNumber(b))
        return false;
    double d = a->valuedouble - b->valuedouble;
    return (d < 0 ? -d : d) <= within->valuedouble;
}

/* "pulled": {"call": "all", "args": {...}, "match": "call_id", "fields": [...], "within": {field:
 * N}}: each pushed record against the record of the same call (match) a call of the driver pulls,
 * field by field, numbers within N where "within" says so. */
static void compare_pulled(struct conform_step_ctx *ctx, const cJSON *spec,
                           const struct conform_result *pushed)
{
    cJSON *args =
        conform_args_with_range(cJSON_GetObjectItemCaseSensitive(spec, "args"), ctx->from, ctx->to);
    const cJSON *match = cJSON_GetObjectItemCaseSensitive(spec, "match");
    const char *by = cJSON_IsString(match) ? match->valuestring : "call_id";
    struct conform_result pulled;
    conform_result_init(&pulled);
    const cJSON *call = cJSON_GetObjectItemCaseSensitive(spec, "call");
    cdr_error rc = args ? conform_step_call(ctx, cJSON_IsString(call) ? call->valuestring : "all",
                                            spec, args, &pulled)
                        : CDR_ERR_INVALID_ARGUMENT;
    if (rc != CDR_OK)
        conform_step_fail(ctx, "pulling the records to compare failed: %s: %s", cdr_error_name(rc),
                          pulled.info.message);
    for (size_t i = 0; rc == CDR_OK && i < pushed->count; i++) {
        const struct cdr_record *twin = pulled_twin(&pulled, &pushed->records[i], by);
        if (!twin) {
            conform_step_fail(ctx, "pushed record %zu: no pulled record with its %s", i + 1, by);
            continue;
        }
        const cJSON *field;
        cJSON_ArrayForEach(field, cJSON_GetObjectItemCaseSensitive(spec, "fields")) {
            cJSON *a = conform_field(&pushed->records[i], field->valuestring);
            cJSON *b = conform_field(twin, field->valuestring);
            if (!a || !b || !(cJSON_Compare(a, b, true) || close_enough(spec, field, a, b))) {
                char *ta = a ? cJSON_PrintUnformatted(a) : NULL;
                char *tb = b ? cJSON_PrintUnformatted(b) : NULL;
                conform_step_fail(ctx, "pushed record %zu: %s is %s, pulled %s", i + 1,
                                  field->valuestring, ta ? ta : "(none)", tb ? tb : "(none)");
                free(ta);
                free(tb);
            }
            cJSON_Delete(a);
            cJSON_Delete(b);
        }
    }
    conform_result_free(&pulled);
    cJSON_Delete(args);
}

void conform_step_push(struct conform_step_ctx *ctx, const cJSON *step)
{
    struct conform_receiver *r = ctx->receiver;
    if (!r) {
        conform_step_fail(ctx, "a push step needs a listen step before it");
        return;
    }
    const cJSON *spec = cJSON_GetObjectItemCaseSensitive(step, "push");
    size_t want = (size_t)int_member(spec, "deliveries", 1);
    if (!await(ctx, r, want, int_member(spec, "within_ms", 2000), int_member(spec, "quiet_ms", 0)))
        return;
    if (want == 0 || want > PUSH_MAX_DELIVERIES)
        return;
    pthread_mutex_lock(&r->lock);
    const struct delivery *d = &r->deliveries[want - 1];
    char *body = malloc(d->len + 1);
    if (body) {
        memcpy(body, d->body, d->len);
        body[d->len] = '\0';
    }
    size_t len = d->len;
    pthread_mutex_unlock(&r->lock);
    if (!body) {
        conform_step_fail(ctx, "out of memory");
        return;
    }
    if (ctx->senv->schema && !conform_schema_check_push(ctx->senv->schema, body, len, ctx->drift))
        conform_step_note(ctx, "the vendor's schema documents no push body: not compared");
    struct cdr_push push;
    struct conform_result result;
    conform_result_init(&result);
    result.error = cdr_push_parse(r->vendor, body, len, &push, &result.info);
    for (size_t i = 0; result.error == CDR_OK && i < push.record_count; i++)
        if (!conform_result_add(&result, &push.records[i]))
            result.error = cdr_error_set(&result.info, CDR_ERR_NO_MEMORY, "out of memory");
    cdr_push_free(&push);
    struct conform_expect_ctx ectx = {ctx->label, ctx->messages, false};
    conform_expect(&ectx, cJSON_GetObjectItemCaseSensitive(step, "expect"), &result);
    if (ectx.failed)
        ctx->failed = true;
    const cJSON *pulled = cJSON_GetObjectItemCaseSensitive(step, "pulled");
    if (pulled && result.error == CDR_OK)
        compare_pulled(ctx, pulled, &result);
    conform_result_free(&result);
    free(body);
}

char *conform_receiver_url_in(const struct conform_receiver *r, const char *text)
{
    static const char token[] = "${listen_url}";
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/push", r ? r->port : 0);
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, token)); p += sizeof(token) - 1)
        n++;
    char *out = malloc(strlen(text) + n * strlen(url) + 1);
    if (!out)
        return NULL;
    char *o = out;
    for (const char *p = text;;) {
        const char *at = strstr(p, token);
        size_t keep = at ? (size_t)(at - p) : strlen(p);
        memcpy(o, p, keep);
        o += keep;
        if (!at)
            break;
        memcpy(o, url, strlen(url));
        o += strlen(url);
        p = at + sizeof(token) - 1;
    }
    *o = '\0';
    return out;
}
