/* The RPC endpoint: one path, "/", for GET and POST; the API is named by Action (or x-acs-action),
 * which auth.c checks with Version before anything else, as the gateway does. Here: reading the
 * parameters, choosing the answer's format, the vendor's answer to other methods and to an
 * oversized body, and the dispatch to the action. Recording links (/accrec_tmp/...) stand for the
 * OSS bucket the real links point at and go to oss.c. */
#include <string.h>
#include <strings.h>

#include "internal.h"

/* The methods the RPC endpoint "/" takes; the gateway answers any other as an unknown API. */
static const char *const rpc_methods[] = {"GET", "POST"};

static bool rpc_method(const char *method)
{
    for (size_t i = 0; i < sizeof(rpc_methods) / sizeof(rpc_methods[0]); i++)
        if (strcmp(method, rpc_methods[i]) == 0)
            return true;
    return false;
}

void aliyun_route_list(void (*each)(void *ctx, const char *method, const char *path), void *ctx)
{
    for (size_t i = 0; i < sizeof(rpc_methods) / sizeof(rpc_methods[0]); i++)
        each(ctx, rpc_methods[i], "/");
    /* The recording links: keys are accrec_tmp/<name>.wav, one segment; the store takes HEAD. */
    each(ctx, "GET", ALIYUN_OSS_PREFIX "{file}");
    each(ctx, "HEAD", ALIYUN_OSS_PREFIX "{file}");
}

bool aliyun_routes(const char *path)
{
    return strcmp(path, "/") == 0 ||
           strncmp(path, ALIYUN_OSS_PREFIX, strlen(ALIYUN_OSS_PREFIX)) == 0;
}

/* Whether a header value mentions a media type word, in any case ("application/JSON"). */
static bool names(const char *header, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = header; p && *p; p++)
        if (strncasecmp(p, word, n) == 0)
            return true;
    return false;
}

bool aliyun_routes_format(const struct aliyun_state *st, const struct mock_request *req,
                          const struct aliyun_params *params, enum aliyun_format *format)
{
    const char *f = aliyun_param_value(params, "Format");
    *format = ALIYUN_XML;
    if (f && *f) {
        if (strcasecmp(f, "JSON") == 0)
            *format = ALIYUN_JSON;
        return strcasecmp(f, "JSON") == 0 || strcasecmp(f, "XML") == 0;
    }
    const char *accept = mock_request_header(req, "Accept");
    if (st->format_from_accept && names(accept, "json"))
        *format = ALIYUN_JSON;
    return true;
}

/* What the gateway says of a request over the HTTP layer's limits: its parameter error
 * (inferred; docs/vendors/aliyun.md). */
static const char *too_large_message(enum mock_too_large what)
{
    switch (what) {
    case MOCK_BODY_TOO_LARGE:
        return "The request body is too large.";
    case MOCK_URL_TOO_LONG:
        return "The request URL is too long.";
    case MOCK_HEADERS_TOO_LARGE:
        return "The request headers are too large.";
    case MOCK_FITS:
        break;
    }
    return NULL;
}

/* Where the mock's own links point: the scheme it serves and the Host the client reached it by
 * (only host characters; anything else falls back to the loopback name). */
static void origin_of(const struct mock_env *env, const struct mock_request *req, char *out,
                      size_t len)
{
    const char *host = mock_request_header(req, "Host");
    bool usable =
        host && *host && strlen(host) < 200 &&
        strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") ==
            strlen(host);
    snprintf(out, len, "%s://%s", env->config && env->config->tls_cert_file ? "https" : "http",
             usable ? host : "localhost");
}

static void dispatch(const struct aliyun_state *st, const struct mock_env *env,
                     const struct mock_request *req, enum aliyun_action action,
                     const struct aliyun_params *params, struct aliyun_reply *reply,
                     struct mock_response *resp)
{
    reply->action = aliyun_action_name(action);
    char origin[256];
    origin_of(env, req, origin, sizeof(origin));
    struct aliyun_link_base base = {mock_clock_now_ms(env->clock), origin};
    switch (action) {
    case ALIYUN_HOTLINE_SESSION_QUERY:
        aliyun_hotline_session_query(st, params, reply, resp);
        break;
    case ALIYUN_GET_HOTLINE_MESSAGE_LOG:
        aliyun_message_log(st, params, reply, resp);
        break;
    default:
        aliyun_recordings(st, action, params, &base, reply, resp);
        break;
    }
}

/* Also the answer to a request over the size limits: the body is then not read (nor the query
 * when the URL was too long), so only the query (or, under a variant, Accept) can pick the
 * format, and the answer is the vendor's parameter error. */
void aliyun_handle(void *state, const struct mock_env *env, const struct mock_request *req,
                   struct mock_response *resp)
{
    struct aliyun_state *st = state;
    if (strcmp(req->path, "/") != 0) {
        aliyun_oss_serve(st, env, req, resp);
        return;
    }
    struct aliyun_params params;
    if (!aliyun_params_parse(req, &params)) {
        aliyun_params_free(&params);
        aliyun_error_out_of_memory(resp);
        return;
    }
    enum aliyun_format format;
    bool format_known = aliyun_routes_format(st, req, &params, &format);
    struct aliyun_reply reply;
    aliyun_reply_init(&reply, env, format);
    enum aliyun_action action;
    if (req->too_large != MOCK_FITS)
        aliyun_error(&reply, resp, 400, "InvalidParameter", too_large_message(req->too_large));
    else if (!format_known)
        aliyun_error_invalid(&reply, resp, "Format");
    else if (!rpc_method(req->method))
        aliyun_error(&reply, resp, 404, "InvalidAction.NotFound",
                     "Specified api is not found, please check your url and method.");
    else if (aliyun_authenticate(st, env, req, &params, &reply, &action, resp))
        dispatch(st, env, req, action, &params, &reply, resp);
    aliyun_params_free(&params);
}
