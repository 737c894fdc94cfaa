/* /__cdrsim/openapi/<name>.json: the OpenAPI documents (docs/openapi/ in the source tree,
 * share/cdrsim/openapi/ installed), one per vendor of the registry and one of the admin API.
 * Read on each request: they are small, and a document regenerated while the mock runs is
 * served as it now is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "fileio.h"

/* Whether name (without ".json") names a document: "admin" or a vendor's id. Nothing else is
 * ever joined to the directory, so no path can leave it. */
static bool document_known(const char *name, size_t len)
{
    if (len == strlen("admin") && strncmp(name, "admin", len) == 0)
        return true;
    for (size_t i = 0; mock_vendors[i]; i++)
        if (strlen(mock_vendors[i]->id) == len && strncmp(mock_vendors[i]->id, name, len) == 0)
            return true;
    return false;
}

void mock_admin_openapi(struct mock_server *s, const char *sub, const struct mock_request *req,
                        struct mock_response *resp)
{
    (void)req;
    const char *file = sub + strlen("openapi/");
    size_t len = strlen(file);
    static const char ext[] = ".json";
    size_t ext_len = sizeof(ext) - 1;
    if (len <= ext_len || strcmp(file + len - ext_len, ext) != 0 ||
        !document_known(file, len - ext_len)) {
        mock_admin_error(resp, 404,
                         "no such OpenAPI document: expected admin.json or <vendor>.json");
        return;
    }
    const char *dir = s->config->openapi_dir;
    if (!dir) {
        mock_admin_error(resp, 404, "this mock was started without OpenAPI documents");
        return;
    }
    size_t path_len = strlen(dir) + 1 + len + 1;
    char *path = malloc(path_len);
    if (!path) {
        mock_admin_take_json(resp, 500, NULL);
        return;
    }
    snprintf(path, path_len, "%s/%s", dir, file);
    char err[512];
    size_t size = 0;
    char *body = mock_read_file(path, &size, err, sizeof(err));
    free(path);
    if (!body) {
        mock_admin_error(resp, 404, err);
        return;
    }
    mock_response_take_body(resp, 200, "application/json", body, size);
}
