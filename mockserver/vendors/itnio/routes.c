/* The ITNIO routes (docs/vendors/itnio.md section 1) and their dispatch. The vendor's framework
 * routes before any of its code runs: an unknown path or method gets Spring Boot's 404/405 whatever
 * the body; only then come authentication, the body and the route's query. */
#include <string.h>

#include "internal.h"

typedef void itnio_handler(const struct itnio_state *st, const cJSON *body,
                           struct mock_response *resp);

struct itnio_route {
    const char *method;
    const char *path;
    itnio_handler *handler;
};

static const struct itnio_route routes[] = {
    {"POST", "/v3/cc/record/query", itnio_records_query},
    {"POST", "/v3/cc/seatGroup/query", itnio_roster_group_query},
    {"POST", "/v3/cc/seat/query", itnio_roster_seat_query},
};

bool itnio_routes_owns(const char *path)
{
    return strncmp(path, "/v3/", 4) == 0;
}

/* The request's route, or NULL after answering 404 or 405. */
static const struct itnio_route *route(const struct mock_env *env, const struct mock_request *req,
                                       struct mock_response *resp)
{
    const struct itnio_route *r = NULL;
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]) && !r; i++)
        if (strcmp(req->path, routes[i].path) == 0)
            r = &routes[i];
    if (!r) {
        itnio_reply_framework_error(resp, mock_clock_now_ms(env->clock), 404, "Not Found",
                                    req->path);
        return NULL;
    }
    if (strcmp(req->method, r->method) != 0) {
        itnio_reply_framework_error(resp, mock_clock_now_ms(env->clock), 405, "Method Not Allowed",
                                    req->path);
        return NULL;
    }
    return r;
}

void itnio_routes_handle(void *state, const struct mock_env *env, const struct mock_request *req,
                         struct mock_response *resp)
{
    const struct itnio_state *st = state;
    const struct itnio_route *r = route(env, req, resp);
    if (!r)
        return;
    int status = itnio_auth_check(st, env, req);
    cJSON *body = NULL;
    if (status == ITNIO_OK)
        status = itnio_params_body(req, &body);
    if (status != ITNIO_OK) {
        itnio_reply_status(st, resp, status, NULL);
        return;
    }
    r->handler(st, body, resp);
    cJSON_Delete(body);
}

void itnio_routes_oversized(void *state, const struct mock_env *env, const struct mock_request *req,
                            struct mock_response *resp)
{
    if (route(env, req, resp))
        itnio_reply_status(state, resp, ITNIO_PARAMETER, NULL);
}
