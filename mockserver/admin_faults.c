/* /__cdrsim/faults: add a fault rule (POST), list the rules with their counts (GET), remove one
 * (DELETE /__cdrsim/faults/{id}) or all (DELETE /__cdrsim/faults). */
#include <stdio.h>
#include <string.h>

#include "admin.h"

static void add(struct mock_server *s, const struct mock_request *req, struct mock_response *resp)
{
    cJSON *spec = mock_admin_body(req, resp, "{\"vendor\", \"path\", \"kind\", ...}");
    if (!spec)
        return;
    char id[24], err[512], body[64];
    if (mock_server_fault_add(s, spec, id, err, sizeof(err))) {
        snprintf(body, sizeof(body), "{\"id\":\"%s\"}", id);
        mock_response_json(resp, 201, body);
    } else {
        mock_admin_error(resp, 400, err);
    }
    cJSON_Delete(spec);
}

void mock_admin_faults(struct mock_server *s, const char *sub, const struct mock_request *req,
                       struct mock_response *resp)
{
    const char *id = sub[strlen("faults")] == '/' ? sub + strlen("faults/") : NULL;
    if (id) {
        if (!mock_admin_method(req, resp, "DELETE", "DELETE"))
            return;
        if (mock_faults_remove(&s->faults, id))
            mock_response_json(resp, 200, "{\"status\":\"removed\"}");
        else
            mock_admin_error(resp, 404, "no fault rule has this id");
    } else if (strcmp(req->method, "GET") == 0) {
        mock_admin_take_json(resp, 200, mock_faults_json(&s->faults));
    } else if (strcmp(req->method, "DELETE") == 0) {
        mock_faults_remove(&s->faults, NULL);
        mock_response_json(resp, 200, "{\"status\":\"removed\"}");
    } else if (mock_admin_method(req, resp, "POST", "GET, POST or DELETE")) {
        add(s, req, resp);
    }
}
