/* The ITNIO routes (docs/vendors/itnio.md sections 1, 8 and 9) and their dispatch. The vendor's
 * framework routes before any of its code runs: an unknown path or method gets Spring Boot's
 * 404/405 whatever the body; only then come authentication, the IP allow-list, the quota, the body
 * and the route's query. The recording files the URL call hands out are served as object storage
 * serves them: by a signed link, without the API's headers. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

typedef void itnio_handler(const struct itnio_call *call, struct mock_response *resp);

struct itnio_route {
    const char *method;
    const char *path;
    bool prefix;        /* path is a prefix (the recording files), not the whole path */
    bool api;           /* an API call: signed headers, allow-list and quota; else a storage link */
    bool json_body;     /* POST with a JSON body */
    bool status_string; /* this endpoint's own example sends "status":"0" */
    itnio_handler *handler;
};

/* Each endpoint's example on the vendor's pages types status its own way: the record query's and
 * the group settings' as a number, the group, agent and recording-URL queries' as a string. */
static const struct itnio_route routes[] = {
    {"POST", "/v3/cc/record/query", false, true, true, false, itnio_records_query},
    {"POST", "/v3/cc/seatGroup/query", false, true, true, true, itnio_roster_group_query},
    {"POST", "/v3/cc/seat/query", false, true, true, true, itnio_roster_seat_query},
    {"GET", "/v3/cc/seatGroup/basicSettingResp", false, true, false, false, itnio_group_settings},
    {"GET", "/voice/getRecordingFileUrl", false, true, false, true, itnio_recording_url},
    {"GET", ITNIO_RECORDING_PREFIX, true, false, false, false, itnio_recording_file},
};

bool itnio_routes_owns(const char *path)
{
    return strncmp(path, "/v3/", 4) == 0 || strncmp(path, "/voice/", 7) == 0;
}

/* The recording keys handed out are "<folder>/<file>" (agent-call-record-YYMMDD/<id>.wav): two
 * segments under the prefix route. */
void itnio_route_list(void (*each)(void *ctx, const char *method, const char *path), void *ctx)
{
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        char path[128];
        snprintf(path, sizeof(path), "%s%s", routes[i].path,
                 routes[i].prefix ? "{folder}/{file}" : "");
        each(ctx, routes[i].method, path);
    }
}

static bool path_is(const struct itnio_route *r, const char *path)
{
    return r->prefix ? strncmp(path, r->path, strlen(r->path)) == 0 && path[strlen(r->path)]
                     : strcmp(path, r->path) == 0;
}

/* The request's route, or NULL after answering 404 or 405. */
static const struct itnio_route *route(const struct mock_env *env, const struct mock_request *req,
                                       struct mock_response *resp)
{
    const struct itnio_route *r = NULL;
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]) && !r; i++)
        if (path_is(&routes[i], req->path))
            r = &routes[i];
    if (!r) {
        itnio_reply_framework_error(resp, mock_clock_now_ms(env->clock), 404, "Not Found",
                                    req->path);
        return NULL;
    }
    if (strcmp(req->method, r->method) != 0) {
        if (r->api)
            itnio_reply_framework_error(resp, mock_clock_now_ms(env->clock), 405,
                                        "Method Not Allowed", req->path);
        else
            itnio_reply_storage_error(resp, 405, "MethodNotAllowed",
                                      "The specified method is not allowed against this resource.",
                                      req->path);
        return NULL;
    }
    return r;
}

static bool status_string(const struct itnio_state *st, const struct itnio_route *r)
{
    return st->v.status_mode == ITNIO_STATUS_STRING ||
           (st->v.status_mode == ITNIO_STATUS_PER_ENDPOINT && r->status_string);
}

/* Authentication, the allow-list and the quota, in that order (inferred). */
static int admit(struct itnio_state *st, const struct mock_env *env, const struct mock_request *req)
{
    size_t credential = 0;
    int status = itnio_auth_check(st, env, req, &credential);
    if (status == ITNIO_OK)
        status = itnio_auth_ip(st, req);
    if (status == ITNIO_OK)
        status = itnio_limits_take(st, env, credential);
    return status;
}

void itnio_routes_handle(void *state, const struct mock_env *env, const struct mock_request *req,
                         struct mock_response *resp)
{
    struct itnio_state *st = state;
    const struct itnio_route *r = route(env, req, resp);
    if (!r)
        return;
    struct itnio_call call = {st, env, req, NULL, status_string(st, r)};
    cJSON *body = NULL;
    int status = r->api ? admit(st, env, req) : ITNIO_OK;
    if (status == ITNIO_OK && r->json_body)
        status = itnio_params_body(st, req, &body);
    if (status != ITNIO_OK) {
        itnio_reply_status(resp, call.status_string, status, NULL);
        return;
    }
    call.body = body;
    r->handler(&call, resp);
    cJSON_Delete(body);
}

void itnio_routes_oversized(void *state, const struct mock_env *env, const struct mock_request *req,
                            struct mock_response *resp)
{
    const struct itnio_route *r = route(env, req, resp);
    if (r && r->api)
        itnio_reply_status(resp, status_string(state, r), ITNIO_PARAMETER, NULL);
    else if (r)
        itnio_reply_storage_error(resp, 400, "MaxMessageLengthExceeded",
                                  "Your request was too big.", req->path);
}
