/* /__cdrsim/<vendor>/push: where the vendor pushes records entering its store at run time. PUT
 * {"url": "http://..."} sets the target, GET shows it with the delivery state, DELETE turns
 * pushes off and drops what waits. */
#include <stdio.h>
#include <string.h>

#include "admin.h"
#include "jsonval.h"
#include "push.h"

/* The vendor sub names ("itnio/push"); false when sub is no such path. */
static bool push_path(const char *sub, size_t *index)
{
    const char *slash = strchr(sub, '/');
    if (!slash || strcmp(slash, "/push") != 0)
        return false;
    for (size_t i = 0; mock_vendors[i]; i++)
        if (strlen(mock_vendors[i]->id) == (size_t)(slash - sub) &&
            strncmp(mock_vendors[i]->id, sub, (size_t)(slash - sub)) == 0) {
            *index = i;
            return true;
        }
    return false;
}

static void set_target(struct mock_server *s, size_t i, const struct mock_request *req,
                       struct mock_response *resp)
{
    static const char expected[] = "{\"url\": \"http://host:port/path\"}";
    cJSON *body = mock_admin_body(req, resp, expected);
    if (!body)
        return;
    const char *url = NULL;
    char err[200];
    if (!cJSON_IsObject(body) || mock_jv_string(body, "url", &url) != MOCK_JV_OK) {
        snprintf(err, sizeof(err), "expected %s", expected);
        mock_admin_error(resp, 400, err);
    } else if (!mock_push_set_target(s->push, i, url, err, sizeof(err))) {
        mock_admin_error(resp, 400, err);
    } else {
        mock_admin_take_json(resp, 200, mock_push_status_json(s->push, i));
    }
    cJSON_Delete(body);
}

bool mock_admin_push(struct mock_server *s, const char *sub, const struct mock_request *req,
                     struct mock_response *resp)
{
    size_t i;
    if (!push_path(sub, &i))
        return false;
    resp->vendor = mock_vendors[i]->id;
    if (!s->push) {
        mock_admin_error(resp, 404, "push delivery is not running in this mock");
    } else if (!mock_push_supported(i)) {
        char why[96];
        snprintf(why, sizeof(why), "%s does not push records", mock_vendors[i]->id);
        mock_admin_error(resp, 404, why);
    } else if (strcmp(req->method, "GET") == 0) {
        mock_admin_take_json(resp, 200, mock_push_status_json(s->push, i));
    } else if (strcmp(req->method, "PUT") == 0) {
        set_target(s, i, req, resp);
    } else if (mock_admin_method(req, resp, "DELETE", "GET, PUT or DELETE")) {
        mock_push_clear_target(s->push, i);
        mock_admin_take_json(resp, 200, mock_push_status_json(s->push, i));
    }
    return true;
}
