/* /__cdrsim/ admin endpoints: health, reset, the clock, and each vendor's own admin routes. */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "jsonval.h"
#include "server.h"
#include "cdrsim/timefmt.h"
#include "cdrsim/version.h"

static void error_json(struct mock_response *resp, int status, const char *message)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{\"error\":");
    cdr_buf_json_string(&b, message);
    cdr_buf_puts(&b, "}");
    size_t len = b.len;
    mock_response_take_body(resp, status, "application/json;charset=UTF-8", cdr_buf_steal(&b), len);
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
            cdr_buf_json_string(&b, mock_variant(s->config, sim, v->name));
        }
        const char *drift = mock_config_variant(s->config, sim->id, MOCK_DRIFT_VARIANT);
        if (drift) {
            cdr_buf_puts(&b, sim->variants && sim->variants->name ? ",\"drift\":" : "\"drift\":");
            cdr_buf_json_string(&b, drift);
        }
        cdr_buf_puts(&b, "}}");
    }
    mock_server_release(s, world);
    cdr_buf_puts(&b, "]}");
    size_t len = b.len;
    mock_response_take_body(resp, 200, "application/json;charset=UTF-8", cdr_buf_steal(&b), len);
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
        clock_json(s, resp);
    } else if (has_advance == MOCK_JV_OK && has_now == MOCK_JV_ABSENT && advance > -3153600000LL &&
               advance < 3153600000LL &&
               clock_in_range(mock_clock_now_ms(&s->clock) + advance * 1000)) {
        mock_clock_advance_ms(&s->clock, advance * 1000);
        clock_json(s, resp);
    } else {
        error_json(resp, 400,
                   "expected {\"now\":\"RFC 3339 with zone\"} or {\"advance_seconds\":integer}");
    }
    cJSON_Delete(body);
}

static bool is(const struct mock_request *req, const char *method)
{
    return strcmp(req->method, method) == 0;
}

void mock_admin_handle(struct mock_server *s, const struct mock_request *req,
                       struct mock_response *resp)
{
    const char *sub = req->path + strlen("/__cdrsim/");
    if (strcmp(sub, "health") == 0) {
        if (is(req, "GET"))
            health(s, resp);
        else
            error_json(resp, 405, "use GET");
        return;
    }
    if (strcmp(sub, "reset") == 0) {
        char err[512];
        if (!is(req, "POST"))
            error_json(resp, 405, "use POST");
        else if (mock_server_reset(s, err, sizeof(err)))
            mock_response_json(resp, 200, "{\"status\":\"reset\"}");
        else
            error_json(resp, 500, err);
        return;
    }
    if (strcmp(sub, "clock") == 0) {
        if (is(req, "GET"))
            clock_json(s, resp);
        else if (is(req, "PUT"))
            set_clock(s, req, resp);
        else
            error_json(resp, 405, "use GET or PUT");
        return;
    }
    for (size_t i = 0; i < s->vendor_count; i++) {
        const struct mock_vendor_sim *sim = mock_vendors[i];
        size_t n = strlen(sim->id);
        if (!sim->admin || strncmp(sub, sim->id, n) != 0 || (sub[n] != '/' && sub[n] != '\0'))
            continue;
        struct mock_world *world = mock_server_acquire(s);
        void *state = mock_world_state(world, i);
        if (state) {
            resp->vendor = sim->id;
            sim->admin(state, &s->env, sub + n, req, resp);
        }
        mock_server_release(s, world);
        if (state)
            return;
    }
    error_json(resp, 404, "unknown admin endpoint");
}
