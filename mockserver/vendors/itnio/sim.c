/* ITNIO call center simulator: routes, Api-Key/Timestamp/Sign authentication, the vendor's
 * status envelope. Facts: shared/vendors/itnio.md. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "cdrsim/sign.h"
#include "../../fileio.h"
#include "cdrsim/timefmt.h"

static bool valid_window(const char *value)
{
    char *end;
    errno = 0;
    long long v = strtoll(value, &end, 10);
    return !errno && !*end && *value && v >= 0 && v <= 315360000;
}

static const struct mock_variant_spec itnio_variants[] = {
    {"status_type", "number|string", "number",
     "type of the envelope's status: the seed example sends a number, the table says String", NULL},
    {"range_end", "inclusive|exclusive", "inclusive",
     "whether a record stamped exactly at endTime is in the range (undocumented)", NULL},
    {"timestamp_window", NULL, "1800",
     "seconds a Timestamp may differ from the mock's clock before -16; 0 disables the check",
     valid_window},
    {NULL, NULL, NULL, NULL, NULL},
};

static const char *documented_reason(int status)
{
    switch (status) {
    case ITNIO_OK:
        return "success";
    case ITNIO_AUTH:
        return "Authentication error";
    case ITNIO_TIMESTAMP:
        return "Timestamp expires";
    case ITNIO_SYSTEM:
        return "Port program unusual";
    case ITNIO_PARAMETER:
        return "Parameter exception";
    case ITNIO_RANGE:
        return "The search time interval cannot be greater than 93 days!";
    default:
        return "error";
    }
}

static void put_status(const struct itnio_state *st, struct cdr_buf *b, int status)
{
    if (st->status_as_string)
        cdr_buf_printf(b, "{\"status\":\"%d\",\"reason\":", status);
    else
        cdr_buf_printf(b, "{\"status\":%d,\"reason\":", status);
}

void itnio_reply(const struct itnio_state *st, struct mock_response *resp, int status,
                 const char *reason)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    put_status(st, &b, status);
    cdr_buf_json_string(&b, reason ? reason : documented_reason(status));
    cdr_buf_puts(&b, ",\"data\":null}");
    size_t len = b.len;
    /* The vendor answers every outcome with HTTP 200 and the status in the body. */
    mock_response_take_body(resp, 200, "application/json;charset=UTF-8", cdr_buf_steal(&b), len);
    mock_response_code(resp, "%d", status);
}

void itnio_begin_success(const struct itnio_state *st, struct cdr_buf *b, size_t data_hint)
{
    cdr_buf_init(b);
    cdr_buf_reserve(b, data_hint + 64);
    put_status(st, b, ITNIO_OK);
    cdr_buf_puts(b, "\"success\",\"data\":");
}

void itnio_finish_success(const struct itnio_state *st, struct mock_response *resp,
                          struct cdr_buf *b)
{
    cdr_buf_puts(b, "}");
    if (b->failed) {
        cdr_buf_free(b);
        itnio_reply(st, resp, ITNIO_SYSTEM, NULL);
        return;
    }
    size_t len = b->len;
    mock_response_take_body(resp, 200, "application/json;charset=UTF-8", cdr_buf_steal(b), len);
    mock_response_code(resp, "0");
}

/* ---- loading ----------------------------------------------------------------------------------
 */

static bool add_credential(struct itnio_state *st, const cJSON *entry)
{
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(entry, "api_key");
    const cJSON *secret = cJSON_GetObjectItemCaseSensitive(entry, "api_secret");
    if (!cJSON_IsString(key) || !cJSON_IsString(secret) || !key->valuestring[0])
        return false;
    struct itnio_credential *grown =
        realloc(st->credentials, (st->credential_count + 1) * sizeof(*grown));
    if (!grown)
        return false;
    st->credentials = grown;
    grown[st->credential_count].key = strdup(key->valuestring);
    grown[st->credential_count].secret = strdup(secret->valuestring);
    st->credential_count++;
    return grown[st->credential_count - 1].key && grown[st->credential_count - 1].secret;
}

static bool add_credentials(struct itnio_state *st, const cJSON *list, const char *where, char *err,
                            size_t err_len)
{
    const cJSON *entry;
    if (!cJSON_IsArray(list)) {
        snprintf(err, err_len, "%s: credentials must be an array of {api_key, api_secret}", where);
        return false;
    }
    cJSON_ArrayForEach(entry, list) {
        if (!add_credential(st, entry)) {
            snprintf(err, err_len, "%s: each credential needs string api_key and api_secret",
                     where);
            return false;
        }
    }
    return true;
}

static void itnio_unload(void *state);

static void *itnio_load(const struct mock_vendor_load *load, char *err, size_t err_len)
{
    struct itnio_state *st = calloc(1, sizeof(*st));
    if (!st) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    mock_store_init(&st->records, itnio_free_attrs);
    st->status_as_string =
        strcmp(mock_variant(load->config, &itnio_sim, "status_type"), "string") == 0;
    st->range_end_exclusive =
        strcmp(mock_variant(load->config, &itnio_sim, "range_end"), "exclusive") == 0;
    st->timestamp_window =
        strtoll(mock_variant(load->config, &itnio_sim, "timestamp_window"), NULL, 10);

    cJSON *creds = mock_load_json(load->data_dir, "credentials.json", err, err_len);
    bool ok = creds && add_credentials(st, creds, "credentials.json", err, err_len);
    cJSON_Delete(creds);
    const cJSON *extra = cJSON_GetObjectItemCaseSensitive(load->settings, "credentials");
    if (ok && extra)
        ok = add_credentials(st, extra, "--config itnio.credentials", err, err_len);
    ok = ok && itnio_load_roster(st, load->data_dir, err, err_len);

    if (ok && load->generate_count >= 0) {
        ok = itnio_generate_records(st, load->generate_count, load->seed, load->anchor, err,
                                    err_len);
    } else if (ok) {
        cJSON *records = mock_load_json(load->data_dir, "records.json", err, err_len);
        if (records && !cJSON_IsArray(records))
            snprintf(err, err_len, "records.json must be an array");
        ok = cJSON_IsArray(records);
        const cJSON *r;
        cJSON_ArrayForEach(r, (ok ? records : NULL)) {
            if (!(ok = itnio_ingest_record(st, r, err, err_len)))
                break;
        }
        cJSON_Delete(records);
    }
    if (!ok) {
        itnio_unload(st);
        return NULL;
    }
    mock_store_sort(&st->records);
    return st;
}

static void itnio_unload(void *state)
{
    struct itnio_state *st = state;
    if (!st)
        return;
    mock_store_free(&st->records);
    for (size_t i = 0; i < st->group_count; i++) {
        free(st->groups[i].name);
        free(st->groups[i].json);
    }
    free(st->groups);
    for (size_t i = 0; i < st->seat_count; i++) {
        free(st->seats[i].name);
        free(st->seats[i].json);
    }
    free(st->seats);
    for (size_t i = 0; i < st->credential_count; i++) {
        free(st->credentials[i].key);
        free(st->credentials[i].secret);
    }
    free(st->credentials);
    free(st);
}

/* ---- requests ---------------------------------------------------------------------------------
 */

static const char *const itnio_paths[] = {"/v3/cc/record/query", "/v3/cc/seatGroup/query",
                                          "/v3/cc/seat/query"};

static bool itnio_routes(const char *path)
{
    return strncmp(path, "/v3/", 4) == 0;
}

/* Spring Boot's own error body: what the vendor's framework sends before its code runs. */
static void framework_error(struct mock_response *resp, const struct mock_env *env, int status,
                            const char *error, const char *path)
{
    char ts[32];
    cdr_time_format_rfc3339_ms(mock_clock_now_ms(env->clock), ts);
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "{\"timestamp\":\"%s\",\"status\":%d,\"error\":\"%s\",\"path\":", ts, status,
                   error);
    cdr_buf_json_string(&b, path);
    cdr_buf_puts(&b, "}");
    size_t len = b.len;
    mock_response_take_body(resp, status, "application/json", cdr_buf_steal(&b), len);
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* 0 when authenticated, otherwise the status to answer. */
static int authenticate(const struct itnio_state *st, const struct mock_env *env,
                        const struct mock_request *req)
{
    const char *key = mock_request_header(req, "Api-Key");
    const char *ts = mock_request_header(req, "Timestamp");
    const char *sign = mock_request_header(req, "Sign");
    if (!key || !ts || !sign || !*key)
        return ITNIO_AUTH;
    const struct itnio_credential *cred = NULL;
    for (size_t i = 0; i < st->credential_count && !cred; i++)
        if (strcmp(st->credentials[i].key, key) == 0)
            cred = &st->credentials[i];
    if (!cred)
        return ITNIO_AUTH;
    errno = 0;
    long long stamp = all_digits(ts) ? strtoll(ts, NULL, 10) : -1;
    if (stamp < 0 || errno)
        return ITNIO_TIMESTAMP;
    long long skew = (long long)mock_clock_now(env->clock) - stamp;
    if (st->timestamp_window > 0 && (skew > st->timestamp_window || skew < -st->timestamp_window))
        return ITNIO_TIMESTAMP;
    /* The Sign is computed over the exact Timestamp text the client sent. */
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "%s%s%s", cred->key, cred->secret, ts);
    char *expected = b.failed ? NULL : cdr_md5_hex(b.data, b.len);
    cdr_buf_free(&b);
    bool match = expected && strlen(sign) == CDR_MD5_HEX_LEN && cdr_hex_equal_ci(expected, sign);
    free(expected);
    return match ? ITNIO_OK : ITNIO_AUTH;
}

/* The framework's routing runs before any body is read: unknown paths and methods get Spring's
 * answers whatever the body. Returns the route index, or -1 after answering. */
static int route(const struct mock_env *env, const struct mock_request *req,
                 struct mock_response *resp)
{
    int r = 0;
    while (r < 3 && strcmp(req->path, itnio_paths[r]) != 0)
        r++;
    if (r == 3) {
        framework_error(resp, env, 404, "Not Found", req->path);
        return -1;
    }
    if (strcmp(req->method, "POST") != 0) {
        framework_error(resp, env, 405, "Method Not Allowed", req->path);
        return -1;
    }
    return r;
}

static void itnio_handle(void *state, const struct mock_env *env, const struct mock_request *req,
                         struct mock_response *resp)
{
    const struct itnio_state *st = state;
    int r = route(env, req, resp);
    if (r < 0)
        return;
    int status = authenticate(st, env, req);
    if (status != ITNIO_OK) {
        itnio_reply(st, resp, status, NULL);
        return;
    }
    cJSON *body = cJSON_ParseWithLength(req->body, req->body_len);
    if (!cJSON_IsObject(body)) {
        cJSON_Delete(body);
        itnio_reply(st, resp, ITNIO_PARAMETER, NULL);
        return;
    }
    if (r == 0)
        itnio_record_query(st, body, resp);
    else if (r == 1)
        itnio_group_query(st, body, resp);
    else
        itnio_seat_query(st, body, resp);
    cJSON_Delete(body);
}

static void itnio_oversized(void *state, const struct mock_env *env, const struct mock_request *req,
                            struct mock_response *resp)
{
    if (route(env, req, resp) >= 0)
        itnio_reply(state, resp, ITNIO_PARAMETER, NULL);
}

static void itnio_describe(void *state, const char *base_url, FILE *out)
{
    const struct itnio_state *st = state;
    const char *key = st->credential_count ? st->credentials[0].key : "?";
    const char *secret = st->credential_count ? st->credentials[0].secret : "?";
    char first[20] = "2025-01-01 00:00:00", last[20] = "2025-01-31 23:59:59";
    if (st->records.count) {
        /* A window that surely holds records: the last 30 days of the dataset. */
        int64_t end = st->records.entries[st->records.count - 1].start;
        cdr_time_format_local(end - 30 * 86400, CDR_CHINA_OFFSET_SECONDS, first);
        cdr_time_format_local(end, CDR_CHINA_OFFSET_SECONDS, last);
    }
    fprintf(out,
            "\nitnio  ITNIO call center: POST %s/v3/cc/record/query (also seatGroup/query, "
            "seat/query)\n"
            "  Api-Key %s  API secret %s  (%zu records, Sign = md5(key + secret + Timestamp))\n"
            "  TS=$(date +%%s); curl -s -X POST '%s/v3/cc/record/query' \\\n"
            "    -H 'Content-Type: application/json;charset=UTF-8' -H 'Api-Key: %s' -H "
            "\"Timestamp: $TS\" \\\n"
            "    -H \"Sign: $(printf '%%s' \"%s%s$TS\" | md5sum | cut -c1-32)\" \\\n"
            "    -d "
            "'{\"current\":1,\"size\":2,\"params\":{\"startTime\":\"%s\",\"endTime\":\"%s\"}}'\n",
            base_url, key, secret, st->records.count, base_url, key, key, secret, first, last);
}

static char *itnio_dump(void *state)
{
    return mock_store_dump(&((struct itnio_state *)state)->records);
}

const struct mock_vendor_sim itnio_sim = {
    .id = "itnio",
    .title = "ITNIO call center (call records, agent groups, agents)",
    .variants = itnio_variants,
    .load = itnio_load,
    .unload = itnio_unload,
    .routes = itnio_routes,
    .handle = itnio_handle,
    .oversized = itnio_oversized,
    .admin = NULL,
    .describe = itnio_describe,
    .dump = itnio_dump,
};
