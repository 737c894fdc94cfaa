/* /__cdrsim/variants: every vendor's variants with the value in force, the start-up one, the
 * default, the choices and what each is for (GET); changed at run time, checked like --variant,
 * all or nothing (PUT {"itnio.status_type": "string", ...}). POST /__cdrsim/reset returns to the
 * start-up values. */
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "cdrsim/buf.h"

static void show(struct mock_server *s, struct mock_response *resp, const char *const *reloaded,
                 size_t reloaded_count)
{
    char *variants = mock_server_variants_json(s);
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{");
    if (reloaded) {
        cdr_buf_puts(&b, "\"reloaded\":[");
        for (size_t i = 0; i < reloaded_count; i++) {
            cdr_buf_puts(&b, i ? "," : "");
            cdr_buf_json_string(&b, reloaded[i]);
        }
        cdr_buf_puts(&b, "],");
    }
    cdr_buf_puts(&b, "\"variants\":");
    if (variants)
        cdr_buf_puts(&b, variants);
    else
        b.failed = true;
    cdr_buf_puts(&b, "}");
    free(variants);
    mock_admin_take_json(resp, 200, cdr_buf_steal(&b));
}

static void change(struct mock_server *s, const struct mock_request *req,
                   struct mock_response *resp)
{
    cJSON *body = mock_admin_body(req, resp, "{\"vendor.name\": value, ...}");
    if (!body)
        return;
    const char **reloaded = NULL;
    size_t n = 0;
    int status = 500;
    char err[512] = "";
    if (mock_server_set_variants(s, body, &reloaded, &n, &status, err, sizeof(err)))
        show(s, resp, reloaded, n);
    else
        mock_admin_error(resp, status, err);
    free(reloaded);
    cJSON_Delete(body);
}

void mock_admin_variants(struct mock_server *s, const struct mock_request *req,
                         struct mock_response *resp)
{
    if (strcmp(req->method, "GET") == 0)
        show(s, resp, NULL, 0);
    else if (mock_admin_method(req, resp, "PUT", "GET or PUT"))
        change(s, req, resp);
}
