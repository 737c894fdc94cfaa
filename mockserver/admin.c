/* /__cdrsim/ admin endpoints: who may call (admin_guard.c), then the route: health, reset and
 * the clock here; the journal, records and variants in their own files; each vendor's own admin
 * routes last. */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "cdrsim/buf.h"
#include "cdrsim/timefmt.h"
#include "cdrsim/version.h"
#include "jsonval.h"
#include "push.h"

void mock_admin_error(struct mock_response *resp, int status, const char *message)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{\"error\":");
    cdr_buf_json_string(&b, message);
    cdr_buf_puts(&b, "}");
    mock_admin_take_json(resp, status, cdr_buf_steal(&b));
}

void mock_admin_take_json(struct mock_response *resp, int status, char *json)
{
    size_t len = json ? strlen(json) : 1; /* NULL: take_body answers out of memory */
    mock_response_take_body(resp, status, "application/json;charset=UTF-8", json, len);
}

cJSON *mock_admin_body(const struct mock_request *req, struct mock_response *resp,
                       const char *expected)
{
    cJSON *body = cJSON_ParseWithLength(req->body ? req->body : "", req->body_len);
    if (!body) {
        char why[256];
        snprintf(why, sizeof(why), "the body is not JSON: expected %s", expected);
        mock_admin_error(resp, 400, why);
    }
    return body;
}

bool mock_admin_method(const struct mock_request *req, struct mock_response *resp,
                       const char *method, const char *allowed)
{
    if (strcmp(req->method, method) == 0)
        return true;
    char why[64];
    snprintf(why, sizeof(why), "use %s", allowed);
    mock_admin_error(resp, 405, why);
    return false;
}

static void clock_json(struct mock_server *s, struct mock_response *resp)
{
    int64_t ms = mock_clock_now_ms(&s->clock);
    char text[32];
    cdr_time_format_rfc3339_ms(ms, text);
    char body[128];
    snprintf(body, sizeof(body), "{\"now\":\"%s\",\"epoch_ms\":%lld}", text, (long long)ms);
    mock_response_json(resp, 200, body);
}

static void health(struct mock_server *s, struct mock_response *resp)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    char now[32];
    cdr_time_format_rfc3339_ms(mock_clock_now_ms(&s->clock), now);
    cdr_buf_printf(&b, "{\"status\":\"ok\",\"version\":\"%s\",\"now\":\"%s\",\"vendors\":[",
                   CDRSIM_VERSION, now);
    bool first = true;
    struct mock_world *world = mock_server_acquire(s);
    const struct mock_config *cfg = mock_world_config(world);
    for (size_t i = 0; i < s->vendor_count; i++) {
        const struct mock_vendor_sim *sim = mock_vendors[i];
        if (!mock_world_state(world, i))
            continue;
        cdr_buf_printf(&b, "%s{\"id\":", first ? "" : ",");
        first = false;
        cdr_buf_json_string(&b, sim->id);
        cdr_buf_puts(&b, ",\"title\":");
        cdr_buf_json_string(&b, sim->title);
        cdr_buf_puts(&b, ",\"variants\":{");
        for (const struct mock_variant_spec *v = sim->variants; v && v->name; v++) {
            cdr_buf_printf(&b, "%s", v == sim->variants ? "" : ",");
            cdr_buf_json_string(&b, v->name);
            cdr_buf_puts(&b, ":");
            cdr_buf_json_string(&b, mock_variant(cfg, sim, v->name));
        }
        const char *drift = mock_config_variant(cfg, sim->id, MOCK_DRIFT_VARIANT);
        if (drift) {
            cdr_buf_puts(&b, sim->variants && sim->variants->name ? ",\"drift\":" : "\"drift\":");
            cdr_buf_json_string(&b, drift);
        }
        cdr_buf_puts(&b, "}}");
    }
    mock_server_release(s, world);
    cdr_buf_puts(&b, "]}");
    mock_admin_take_json(resp, 200, cdr_buf_steal(&b));
}

/* Years 1970 to 9999: what every vendor's time forms (Unix seconds, four-digit years) express. */
static bool clock_in_range(int64_t ms)
{
    return ms >= 0 && ms <= 253402300799999LL; /* 9999-12-31T23:59:59.999Z */
}

static void set_clock(struct mock_server *s, const struct mock_request *req,
                      struct mock_response *resp)
{
    cJSON *body = cJSON_ParseWithLength(req->body ? req->body : "", req->body_len);
    const char *now = NULL;
    int64_t advance = 0;
    enum mock_jv_result has_now =
        cJSON_IsObject(body) ? mock_jv_string(body, "now", &now) : MOCK_JV_WRONG_TYPE;
    enum mock_jv_result has_advance =
        cJSON_IsObject(body) ? mock_jv_int(body, "advance_seconds", &advance) : MOCK_JV_WRONG_TYPE;
    int64_t ms;
    if (has_now == MOCK_JV_OK && has_advance == MOCK_JV_ABSENT &&
        cdr_time_parse_rfc3339_ms(now, &ms) && clock_in_range(ms)) {
        mock_clock_set_ms(&s->clock, ms);
        if (s->push)
            mock_push_wake(s->push);
        clock_json(s, resp);
    } else if (has_advance == MOCK_JV_OK && has_now == MOCK_JV_ABSENT && advance > -3153600000LL &&
               advance < 3153600000LL &&
               clock_in_range(mock_clock_now_ms(&s->clock) + advance * 1000)) {
        mock_clock_advance_ms(&s->clock, advance * 1000);
        if (s->push)
            mock_push_wake(s->push);
        clock_json(s, resp);
    } else {
        mock_admin_error(
            resp, 400,
            "expected {\"now\":\"RFC 3339 with zone\"} or {\"advance_seconds\":integer}");
    }
    cJSON_Delete(body);
}

static void reset(struct mock_server *s, const struct mock_request *req, struct mock_response *resp)
{
    char err[512];
    if (!mock_admin_method(req, resp, "POST", "POST"))
        return;
    if (mock_server_reset(s, err, sizeof(err))) {
        if (s->push)
            mock_push_reset(s->push);
        mock_response_json(resp, 200, "{\"status\":\"reset\"}");
    } else {
        mock_admin_error(resp, 500, err);
    }
}

/* A vendor's own admin routes (/__cdrsim/<id>/...); false when no served vendor has sub. */
static bool vendor_admin(struct mock_server *s, const char *sub, const struct mock_request *req,
                         struct mock_response *resp)
{
    for (size_t i = 0; i < s->vendor_count; i++) {
        const struct mock_vendor_sim *sim = mock_vendors[i];
        size_t n = strlen(sim->id);
        if (!sim->admin || strncmp(sub, sim->id, n) != 0 || (sub[n] != '/' && sub[n] != '\0'))
            continue;
        struct mock_world *world = mock_server_acquire(s);
        const struct mock_env *env = NULL;
        void *state = mock_world_enter(world, i, &env);
        if (state) {
            resp->vendor = sim->id;
            sim->admin(state, env, sub + n, req, resp);
            mock_world_leave(world, i);
        }
        mock_server_release(s, world);
        if (state)
            return true;
    }
    return false;
}

static void answer_health(struct mock_server *s, const char *sub, const struct mock_request *req,
                          struct mock_response *resp)
{
    (void)sub;
    (void)req;
    health(s, resp);
}

static void answer_reset(struct mock_server *s, const char *sub, const struct mock_request *req,
                         struct mock_response *resp)
{
    (void)sub;
    reset(s, req, resp);
}

static void answer_clock(struct mock_server *s, const char *sub, const struct mock_request *req,
                         struct mock_response *resp)
{
    (void)sub;
    if (strcmp(req->method, "GET") == 0)
        clock_json(s, resp);
    else
        set_clock(s, req, resp);
}

static void answer_variants(struct mock_server *s, const char *sub, const struct mock_request *req,
                            struct mock_response *resp)
{
    (void)sub;
    mock_admin_variants(s, req, resp);
}

/* The records and push handlers match their vendor themselves, as before this table. */
static void answer_records(struct mock_server *s, const char *sub, const struct mock_request *req,
                           struct mock_response *resp)
{
    if (!mock_admin_records(s, sub, req, resp))
        mock_admin_error(resp, 404, "unknown admin endpoint");
}

static void answer_push(struct mock_server *s, const char *sub, const struct mock_request *req,
                        struct mock_response *resp)
{
    if (!mock_admin_push(s, sub, req, resp))
        mock_admin_error(resp, 404, "unknown admin endpoint");
}

const struct mock_admin_route mock_admin_routes[] = {
    {"health", "GET", answer_health},
    {"reset", "POST", answer_reset},
    {"clock", "GET PUT", answer_clock},
    {"requests", "GET DELETE", mock_admin_requests},
    {"requests/count", "POST", mock_admin_requests},
    {"variants", "GET PUT", answer_variants},
    {"faults", "GET POST DELETE", mock_admin_faults},
    {"faults/{id}", "DELETE", mock_admin_faults},
    {"openapi/{document}", "GET", mock_admin_openapi},
    {"{vendor}/records", "GET POST DELETE", answer_records},
    {"{vendor}/records/count", "GET", answer_records},
    {"{vendor}/push", "GET PUT DELETE", answer_push},
    {NULL, NULL, NULL},
};

/* Whether sub has the template's shape: "{vendor}" one of the registry's ids, any other "{...}"
 * one non-empty segment, the rest literally. */
static bool route_matches(const char *pattern, const char *sub)
{
    while (*pattern) {
        size_t seg = strcspn(sub, "/");
        if (*pattern == '{') {
            size_t plen = strcspn(pattern, "}") + 1;
            if (seg == 0)
                return false;
            if (strncmp(pattern, "{vendor}", plen) == 0) {
                bool known = false;
                for (size_t i = 0; mock_vendors[i] && !known; i++)
                    known = strlen(mock_vendors[i]->id) == seg &&
                            strncmp(mock_vendors[i]->id, sub, seg) == 0;
                if (!known)
                    return false;
            }
            pattern += plen;
            sub += seg;
        } else {
            size_t plen = strcspn(pattern, "{");
            if (strncmp(pattern, sub, plen) != 0)
                return false;
            pattern += plen;
            sub += plen;
        }
    }
    return *sub == '\0';
}

/* Whether method is one of the space-separated methods. */
static bool method_listed(const char *methods, const char *method)
{
    size_t n = strlen(method);
    for (const char *p = methods; *p; p += strcspn(p, " "), p += *p == ' ')
        if (strcspn(p, " ") == n && strncmp(p, method, n) == 0)
            return true;
    return false;
}

/* 405 naming the methods that work: "use GET, POST or DELETE". */
static void refuse_method(const char *methods, struct mock_response *resp)
{
    char why[64] = "use ";
    size_t count = 0, total = 1;
    for (const char *p = methods; *p; p++)
        total += *p == ' ';
    for (const char *p = methods; *p; p += strcspn(p, " "), p += *p == ' ') {
        size_t used = strlen(why);
        const char *sep = count == 0 ? "" : count + 1 == total ? " or " : ", ";
        snprintf(why + used, sizeof(why) - used, "%s%.*s", sep, (int)strcspn(p, " "), p);
        count++;
    }
    mock_admin_error(resp, 405, why);
}

void mock_admin_handle(struct mock_server *s, const struct mock_request *req,
                       struct mock_response *resp)
{
    if (!mock_admin_guard(s, req, resp))
        return;
    const char *sub = req->path + strlen("/__cdrsim/");
    for (const struct mock_admin_route *r = mock_admin_routes; r->path; r++) {
        if (!route_matches(r->path, sub))
            continue;
        if (method_listed(r->methods, req->method))
            r->answer(s, sub, req, resp);
        else
            refuse_method(r->methods, resp);
        return;
    }
    if (!vendor_admin(s, sub, req, resp))
        mock_admin_error(resp, 404, "unknown admin endpoint");
}
