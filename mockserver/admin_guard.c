/* Who may call the admin API. A developer's mock listens on loopback, where any web page the
 * developer opens can reach it too: a page may send a form or text/plain POST to another origin
 * without asking first, so such requests could reset the mock, move its clock or seed its data.
 * Writes therefore refuse an Origin that is not the mock's own and the content types a page can
 * send unasked; tests and scripts send JSON (or no body) and no Origin. --admin-token adds a
 * Bearer token for every admin call, for a mock others can reach. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "admin.h"

static bool is_write(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* Compares without stopping at the first difference: the token is a secret. */
static bool same_secret(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    unsigned char diff = n != m;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(a[i] ^ (i < m ? b[i] : 0));
    return diff == 0;
}

static bool token_accepted(const char *token, const struct mock_request *req)
{
    const char *auth = mock_request_header(req, "Authorization");
    return auth && strncasecmp(auth, "Bearer ", 7) == 0 && same_secret(token, auth + 7);
}

/* The host of "scheme://host[:port]" or of a Host header "host[:port]" ("[::1]:8080" too). */
static size_t host_length(const char *authority)
{
    if (authority[0] == '[') {
        const char *close = strchr(authority, ']');
        return close ? (size_t)(close - authority) + 1 : strlen(authority);
    }
    return strcspn(authority, ":/");
}

/* A name no DNS answer can rebind: an IP literal or localhost. */
static bool fixed_host(const char *host, size_t len)
{
    if (len == 9 && strncasecmp(host, "localhost", 9) == 0)
        return true;
    if (len && host[0] == '[')
        return true; /* IPv6 literal */
    for (size_t i = 0; i < len; i++)
        if ((host[i] < '0' || host[i] > '9') && host[i] != '.')
            return false;
    return len > 0;
}

/* The mock's own origin: the one the Host header names, on a host no DNS answer can rebind. */
static bool own_origin(const char *origin, const struct mock_request *req)
{
    const char *host = mock_request_header(req, "Host");
    const char *sep = strstr(origin, "://");
    if (!host || !sep)
        return false;
    const char *authority = sep + 3;
    if (strcasecmp(authority, host) != 0)
        return false;
    return fixed_host(authority, host_length(authority));
}

/* The content types a web page may send to another origin without a preflight. */
static bool page_content_type(const char *type)
{
    static const char *const simple[] = {"application/x-www-form-urlencoded", "multipart/form-data",
                                         "text/plain"};
    while (*type == ' ')
        type++;
    size_t len = strcspn(type, "; ");
    for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]); i++)
        if (len == strlen(simple[i]) && strncasecmp(type, simple[i], len) == 0)
            return true;
    return false;
}

bool mock_admin_guard(const struct mock_server *s, const struct mock_request *req,
                      struct mock_response *resp)
{
    const char *token = s->config->admin_token;
    if (token && !token_accepted(token, req)) {
        mock_admin_error(resp, 401,
                         "the admin API needs Authorization: Bearer <the --admin-token value>");
        mock_response_add_header(resp, "WWW-Authenticate", "Bearer realm=\"cdrsim admin\"");
        return false;
    }
    if (!is_write(req->method))
        return true;
    char why[512];
    const char *origin = mock_request_header(req, "Origin");
    const char *type = mock_request_header(req, "Content-Type");
    if (origin && !own_origin(origin, req)) {
        snprintf(why, sizeof(why),
                 "cross-origin admin write refused (Origin %.200s is not this mock's own): the "
                 "admin API takes changes from tests and scripts, not from web pages",
                 origin);
    } else if (type && page_content_type(type)) {
        snprintf(why, sizeof(why),
                 "admin writes refuse Content-Type %.100s, which any web page can send: send "
                 "JSON (Content-Type: application/json) or no body",
                 type);
    } else {
        return true;
    }
    mock_admin_error(resp, 403, why);
    return false;
}
