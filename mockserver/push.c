/* Push delivery (push.h): per vendor a lane (target, queue, counters, the newest attempts), one
 * worker thread that delivers whatever is due on the mock's clock. The worker takes a job out of
 * its queue before sending, so the lock is never held across the network; a reset or a cleared
 * target meanwhile is seen through the generation number and the job is dropped afterwards. */
#include "push.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cdrsim/buf.h"
#include "cdrsim/timefmt.h"
#include "http_post.h"

#define ATTEMPT_LOG 32
/* The longest the worker sleeps before looking at a running clock again. */
#define MAX_SLEEP_MS 1000

struct push_job {
    struct push_job *next;
    uint64_t id;
    char *body;
    size_t len;
    int attempts;
    int64_t next_ms; /* due on the mock's clock */
    int last_status; /* 0: none yet; -1: no HTTP answer */
    char last_error[160];
};

struct push_attempt {
    uint64_t job;
    int attempt; /* 1 = the first delivery */
    int64_t at_ms;
    int status;
    char error[160];
};

struct push_lane {
    const struct mock_vendor_push *spec; /* NULL: the vendor does not push */
    char *url;                           /* NULL: off */
    char *config_url;                    /* from --config: what a reset brings back */
    int64_t retry_ms;
    int retries;
    int batch; /* records per delivery at most; 0: all that entered together */
    struct push_job *head, *tail;
    struct push_job *in_flight; /* taken out of the queue by the worker; shown, never freed here */
    size_t queued;
    uint64_t delivered, abandoned;
    struct push_attempt log[ATTEMPT_LOG]; /* a ring: the newest ATTEMPT_LOG attempts */
    size_t log_count;
};

struct mock_push {
    struct mock_clock *clock;
    struct mock_push_journal journal;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t worker;
    bool stopping;
    uint64_t generation; /* moves on every reset and cleared target */
    uint64_t next_id;
    size_t lane_count;
    struct push_lane *lanes; /* parallel to mock_vendors[] */
};

bool mock_push_supported(size_t vendor_index)
{
    return mock_vendors[vendor_index]->push != NULL;
}

static void free_queue(struct push_lane *lane)
{
    for (struct push_job *j = lane->head, *next; j; j = next) {
        next = j->next;
        free(j->body);
        free(j);
    }
    lane->head = lane->tail = NULL;
    lane->queued = 0;
}

static void free_job(struct push_job *job)
{
    free(job->body);
    free(job);
}

/* Keeps the queue ordered by due time, first come first served among equals. */
static void enqueue(struct push_lane *lane, struct push_job *job)
{
    struct push_job **at = &lane->head;
    while (*at && (*at)->next_ms <= job->next_ms)
        at = &(*at)->next;
    job->next = *at;
    *at = job;
    if (!job->next)
        lane->tail = job;
    lane->queued++;
}

static void log_attempt(struct push_lane *lane, const struct push_job *job, int64_t at_ms)
{
    struct push_attempt *a = &lane->log[lane->log_count % ATTEMPT_LOG];
    *a = (struct push_attempt){
        .job = job->id, .attempt = job->attempts, .at_ms = at_ms, .status = job->last_status};
    snprintf(a->error, sizeof(a->error), "%s", job->last_error);
    lane->log_count++;
}

/* The lane whose first job is due soonest, with a target; NULL when nothing waits. */
static struct push_lane *soonest(struct mock_push *p)
{
    struct push_lane *best = NULL;
    for (size_t i = 0; i < p->lane_count; i++) {
        struct push_lane *l = &p->lanes[i];
        if (l->url && l->head && (!best || l->head->next_ms < best->head->next_ms))
            best = l;
    }
    return best;
}

static void sleep_until(struct mock_push *p, int64_t wait_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += wait_ms / 1000;
    until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&p->wake, &p->lock, &until);
}

/* The attempt in the request journal, so a test reads what the mock sent beside what it got. */
static void journal_attempt(struct mock_push *p, const struct mock_vendor_sim *sim, const char *url,
                            const struct push_job *job, int status, const char *err,
                            int64_t started_ms, double latency_ms)
{
    if (!p->journal.journal)
        return;
    const struct mock_kv headers[] = {{"Content-Type", sim->push->content_type}};
    struct mock_request req = {.method = "PUSH",
                               .path = url,
                               .headers = headers,
                               .header_count = 1,
                               .body = job->body,
                               .body_len = job->len,
                               .remote_addr = "cdrsim-mock"};
    struct mock_response resp;
    mock_response_init(&resp);
    resp.vendor = sim->id;
    resp.status = status > 0 ? status : 0;
    /* No answer (refused, timed out): why, where a vendor's answer would put its code, cut to
     * that field's size (the whole reason is in GET /__cdrsim/<vendor>/push, with the attempt's
     * number). */
    if (status <= 0)
        snprintf(resp.vendor_code, sizeof(resp.vendor_code), "%.*s",
                 (int)sizeof(resp.vendor_code) - 1, err);
    struct mock_journal_input in = {.req = &req,
                                    .resp = &resp,
                                    .time_ms = started_ms,
                                    .latency_ms = latency_ms,
                                    .secret_names = p->journal.secret_names};
    mock_journal_record(p->journal.journal, &in);
    mock_response_free(&resp);
}

/* One delivery attempt of the job at the lane's head, the lock released while it runs. */
static void deliver(struct mock_push *p, struct push_lane *lane)
{
    struct push_job *job = lane->head;
    lane->head = job->next;
    if (!lane->head)
        lane->tail = NULL;
    lane->queued--;
    lane->in_flight = job;
    char *url = strdup(lane->url);
    const char *type = lane->spec->content_type;
    const struct mock_vendor_sim *sim = mock_vendors[lane - p->lanes];
    uint64_t generation = p->generation;
    pthread_mutex_unlock(&p->lock);

    char err[160] = "";
    int64_t started = mock_clock_now_ms(p->clock), started_us = mock_monotonic_us();
    int status =
        url ? mock_http_post(url, type, job->body, job->len, MOCK_PUSH_TIMEOUT_MS, err, sizeof(err))
            : -1;
    if (!url)
        snprintf(err, sizeof(err), "out of memory");
    else
        journal_attempt(p, sim, url, job, status, err, started,
                        (double)(mock_monotonic_us() - started_us) / 1000.0);
    free(url);

    pthread_mutex_lock(&p->lock);
    lane->in_flight = NULL;
    int64_t now = mock_clock_now_ms(p->clock);
    job->attempts++;
    job->last_status = status;
    snprintf(job->last_error, sizeof(job->last_error), "%s",
             status >= 200 && status < 300 ? ""
             : status < 0                  ? err
                                           : "the receiver did not answer 2xx");
    if (generation != p->generation) { /* reset or target cleared meanwhile */
        free_job(job);
        return;
    }
    log_attempt(lane, job, now);
    if (status >= 200 && status < 300) {
        lane->delivered++;
        free_job(job);
    } else if (job->attempts <= lane->retries) {
        job->next_ms = now + lane->retry_ms;
        enqueue(lane, job);
    } else {
        lane->abandoned++;
        free_job(job);
    }
}

static void *work(void *arg)
{
    struct mock_push *p = arg;
    pthread_mutex_lock(&p->lock);
    while (!p->stopping) {
        struct push_lane *lane = soonest(p);
        int64_t now = mock_clock_now_ms(p->clock);
        if (lane && lane->head->next_ms <= now) {
            deliver(p, lane);
            continue;
        }
        /* the clock may run in real time: look again by the time the next job falls due */
        int64_t wait = lane ? lane->head->next_ms - now : MAX_SLEEP_MS;
        sleep_until(p, wait < MAX_SLEEP_MS ? wait : MAX_SLEEP_MS);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static bool read_settings(struct push_lane *lane, const struct mock_vendor_sim *sim,
                          const struct mock_config *config, char *err, size_t err_len)
{
    lane->spec = sim->push;
    lane->retry_ms = sim->push ? sim->push->retry_seconds * 1000 : 0;
    lane->retries = sim->push ? sim->push->retries : 0;
    lane->batch = sim->push ? sim->push->batch : 0;
    const cJSON *s = mock_config_vendor_settings(config, sim->id);
    const cJSON *url = cJSON_GetObjectItemCaseSensitive(s, "push_url");
    const cJSON *every = cJSON_GetObjectItemCaseSensitive(s, "push_retry_seconds");
    const cJSON *retries = cJSON_GetObjectItemCaseSensitive(s, "push_retries");
    const cJSON *batch = cJSON_GetObjectItemCaseSensitive(s, "push_batch");
    if ((url || every || retries || batch) && !sim->push) {
        snprintf(err, err_len, "--config: %s does not push records", sim->id);
        return false;
    }
    if (url) {
        char why[128];
        if (!cJSON_IsString(url) || !mock_http_post_url_ok(url->valuestring, why, sizeof(why))) {
            snprintf(err, err_len, "--config: %s.push_url: %s", sim->id,
                     cJSON_IsString(url) ? why : "expected a string");
            return false;
        }
        lane->config_url = strdup(url->valuestring);
        lane->url = strdup(url->valuestring);
    }
    if (every) {
        if (!cJSON_IsNumber(every) || every->valuedouble < 1 || every->valuedouble > 86400 * 7 ||
            every->valuedouble != (double)every->valueint) {
            snprintf(err, err_len, "--config: %s.push_retry_seconds: expected 1..604800", sim->id);
            return false;
        }
        lane->retry_ms = (int64_t)every->valueint * 1000;
    }
    if (retries) {
        if (!cJSON_IsNumber(retries) || retries->valuedouble < 0 || retries->valuedouble > 100 ||
            retries->valuedouble != (double)retries->valueint) {
            snprintf(err, err_len, "--config: %s.push_retries: expected 0..100", sim->id);
            return false;
        }
        lane->retries = retries->valueint;
    }
    if (batch) {
        if (!cJSON_IsNumber(batch) || batch->valuedouble < 0 ||
            batch->valuedouble > MOCK_PUSH_QUEUE_LIMIT ||
            batch->valuedouble != (double)batch->valueint) {
            snprintf(err, err_len, "--config: %s.push_batch: expected 0..%d", sim->id,
                     MOCK_PUSH_QUEUE_LIMIT);
            return false;
        }
        lane->batch = batch->valueint;
    }
    return true;
}

struct mock_push *mock_push_new(struct mock_clock *clock, const struct mock_config *config,
                                const struct mock_push_journal *journal, char *err, size_t err_len)
{
    struct mock_push *p = calloc(1, sizeof(*p));
    size_t n = 0;
    while (mock_vendors[n])
        n++;
    if (p)
        p->lanes = calloc(n ? n : 1, sizeof(*p->lanes));
    if (!p || !p->lanes) {
        snprintf(err, err_len, "out of memory");
        if (p)
            free(p);
        return NULL;
    }
    p->clock = clock;
    p->journal = *journal;
    p->lane_count = n;
    p->next_id = 1;
    for (size_t i = 0; i < n; i++)
        if (!read_settings(&p->lanes[i], mock_vendors[i], config, err, err_len)) {
            mock_push_free(p);
            return NULL;
        }
    pthread_mutex_init(&p->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&p->wake, &attr);
    pthread_condattr_destroy(&attr);
    if (pthread_create(&p->worker, NULL, work, p) != 0) {
        snprintf(err, err_len, "cannot start the push worker thread");
        pthread_cond_destroy(&p->wake);
        pthread_mutex_destroy(&p->lock);
        p->stopping = true; /* nothing to join */
        mock_push_free(p);
        return NULL;
    }
    return p;
}

void mock_push_free(struct mock_push *p)
{
    if (!p)
        return;
    if (!p->stopping && p->worker) {
        pthread_mutex_lock(&p->lock);
        p->stopping = true;
        pthread_cond_signal(&p->wake);
        pthread_mutex_unlock(&p->lock);
        pthread_join(p->worker, NULL);
        pthread_cond_destroy(&p->wake);
        pthread_mutex_destroy(&p->lock);
    }
    for (size_t i = 0; i < p->lane_count; i++) {
        free_queue(&p->lanes[i]);
        free(p->lanes[i].url);
        free(p->lanes[i].config_url);
    }
    free(p->lanes);
    free(p);
}

/* Queues one delivery of records (an array, rendered by the vendor before taking the lock:
 * rendering may take a while). */
static void queue_delivery(struct mock_push *p, struct push_lane *lane,
                           const struct mock_vendor_sim *sim, const void *state,
                           const cJSON *records)
{
    struct push_job *job = calloc(1, sizeof(*job));
    char *body = job ? sim->push->render(state, records) : NULL;
    if (!body) {
        free(job);
        return;
    }
    job->body = body;
    job->len = strlen(body);
    pthread_mutex_lock(&p->lock);
    job->id = p->next_id++;
    job->next_ms = mock_clock_now_ms(p->clock);
    if (!lane->url || lane->queued >= MOCK_PUSH_QUEUE_LIMIT) {
        lane->abandoned += lane->url != NULL;
        free_job(job);
    } else {
        enqueue(lane, job);
        pthread_cond_signal(&p->wake);
    }
    pthread_mutex_unlock(&p->lock);
}

void mock_push_records_entered(void *ctx, const struct mock_vendor_sim *sim, const void *state,
                               const cJSON *records)
{
    struct mock_push *p = ctx;
    size_t i = 0;
    while (i < p->lane_count && mock_vendors[i] != sim)
        i++;
    if (i == p->lane_count || !sim->push || !cJSON_IsArray(records))
        return;
    struct push_lane *lane = &p->lanes[i];
    pthread_mutex_lock(&p->lock);
    bool wanted = lane->url != NULL;
    int batch = lane->batch;
    pthread_mutex_unlock(&p->lock);
    if (!wanted)
        return;
    /* Each delivery's records as an array of references: the caller keeps owning them. */
    const cJSON *r = records->child;
    while (r) {
        cJSON *chunk = cJSON_CreateArray();
        for (int n = 0; r && (batch == 0 || n < batch); r = r->next, n++)
            if (chunk && !cJSON_AddItemReferenceToArray(chunk, (cJSON *)r)) {
                cJSON_Delete(chunk);
                chunk = NULL;
            }
        if (chunk && chunk->child)
            queue_delivery(p, lane, sim, state, chunk);
        cJSON_Delete(chunk);
    }
}

bool mock_push_set_target(struct mock_push *p, size_t vendor_index, const char *url, char *err,
                          size_t err_len)
{
    if (vendor_index >= p->lane_count || !p->lanes[vendor_index].spec) {
        snprintf(err, err_len, "this vendor does not push records");
        return false;
    }
    if (!mock_http_post_url_ok(url, err, err_len))
        return false;
    char *copy = strdup(url);
    if (!copy) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    pthread_mutex_lock(&p->lock);
    struct push_lane *lane = &p->lanes[vendor_index];
    free(lane->url);
    lane->url = copy;
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->lock);
    return true;
}

void mock_push_clear_target(struct mock_push *p, size_t vendor_index)
{
    if (vendor_index >= p->lane_count)
        return;
    pthread_mutex_lock(&p->lock);
    struct push_lane *lane = &p->lanes[vendor_index];
    free(lane->url);
    lane->url = NULL;
    free_queue(lane);
    p->generation++;
    pthread_mutex_unlock(&p->lock);
}

void mock_push_reset(struct mock_push *p)
{
    pthread_mutex_lock(&p->lock);
    for (size_t i = 0; i < p->lane_count; i++) {
        struct push_lane *lane = &p->lanes[i];
        free_queue(lane);
        free(lane->url);
        lane->url = lane->config_url ? strdup(lane->config_url) : NULL;
        lane->delivered = lane->abandoned = 0;
        lane->log_count = 0;
    }
    p->generation++;
    pthread_mutex_unlock(&p->lock);
}

void mock_push_wake(struct mock_push *p)
{
    pthread_mutex_lock(&p->lock);
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->lock);
}

static void put_time(struct cdr_buf *b, const char *name, int64_t ms)
{
    char text[40];
    cdr_time_format_rfc3339_ms(ms, text);
    cdr_buf_printf(b, ",\"%s\":\"%s\"", name, text);
}

static void put_job(struct cdr_buf *b, const struct push_job *j, bool in_flight, bool first)
{
    cdr_buf_printf(b, "%s{\"id\":%llu,\"attempts\":%d,\"in_flight\":%s", first ? "" : ",",
                   (unsigned long long)j->id, j->attempts, in_flight ? "true" : "false");
    put_time(b, "next_attempt", j->next_ms);
    if (j->last_status)
        cdr_buf_printf(b, ",\"last_status\":%d", j->last_status);
    else
        cdr_buf_puts(b, ",\"last_status\":null");
    cdr_buf_puts(b, ",\"last_error\":");
    if (j->last_error[0])
        cdr_buf_json_string(b, j->last_error);
    else
        cdr_buf_puts(b, "null");
    cdr_buf_puts(b, "}");
}

char *mock_push_status_json(struct mock_push *p, size_t vendor_index)
{
    if (vendor_index >= p->lane_count || !p->lanes[vendor_index].spec)
        return NULL;
    struct cdr_buf b;
    cdr_buf_init(&b);
    pthread_mutex_lock(&p->lock);
    const struct push_lane *lane = &p->lanes[vendor_index];
    cdr_buf_puts(&b, "{\"url\":");
    if (lane->url)
        cdr_buf_json_string(&b, lane->url);
    else
        cdr_buf_puts(&b, "null");
    cdr_buf_printf(&b,
                   ",\"retry_seconds\":%lld,\"retries\":%d,\"batch\":%d,\"schedule_inferred\":%s,"
                   "\"timeout_ms\":%d,"
                   "\"queued\":%zu,\"delivered\":%llu,\"abandoned\":%llu",
                   (long long)(lane->retry_ms / 1000), lane->retries, lane->batch,
                   lane->spec->schedule_inferred ? "true" : "false", MOCK_PUSH_TIMEOUT_MS,
                   lane->queued + (lane->in_flight != NULL), (unsigned long long)lane->delivered,
                   (unsigned long long)lane->abandoned);
    put_time(&b, "now", mock_clock_now_ms(p->clock));
    cdr_buf_puts(&b, ",\"pending\":[");
    bool first = true;
    if (lane->in_flight) {
        put_job(&b, lane->in_flight, true, first);
        first = false;
    }
    for (const struct push_job *j = lane->head; j; j = j->next, first = false)
        put_job(&b, j, false, first);
    cdr_buf_puts(&b, "],\"attempts\":[");
    size_t shown = lane->log_count < ATTEMPT_LOG ? lane->log_count : ATTEMPT_LOG;
    for (size_t k = 0; k < shown; k++) { /* newest first */
        const struct push_attempt *a = &lane->log[(lane->log_count - 1 - k) % ATTEMPT_LOG];
        cdr_buf_printf(&b, "%s{\"id\":%llu,\"attempt\":%d", k ? "," : "",
                       (unsigned long long)a->job, a->attempt);
        put_time(&b, "at", a->at_ms);
        cdr_buf_printf(&b, ",\"status\":%d,\"error\":", a->status);
        if (a->error[0])
            cdr_buf_json_string(&b, a->error);
        else
            cdr_buf_puts(&b, "null");
        cdr_buf_puts(&b, "}");
    }
    cdr_buf_puts(&b, "]}");
    pthread_mutex_unlock(&p->lock);
    return cdr_buf_steal(&b);
}
