/* The admin API under /__cdrsim/, split by job: admin.c routes and answers health, reset and the
 * clock; admin_guard.c decides who may call; admin_journal.c, admin_records.c,
 * admin_variants.c, admin_faults.c and admin_push.c answer the request journal, the records of
 * each vendor, the variants, the fault rules and each vendor's push target. The
 * helpers below give every admin answer one shape: JSON, errors as {"error": "..."}. */
#ifndef MOCK_ADMIN_H
#define MOCK_ADMIN_H

#include <cJSON.h>
#include <stdbool.h>

#include "server.h"

/* {"error": message} with that status. */
void mock_admin_error(struct mock_response *resp, int status, const char *message);
/* Takes json (malloc'd; NULL = out of memory, answered 500) as a 200 answer. */
void mock_admin_take_json(struct mock_response *resp, int status, char *json);
/* The request body as JSON; NULL after answering 400 with what was expected. */
cJSON *mock_admin_body(const struct mock_request *req, struct mock_response *resp,
                       const char *expected);
/* Whether the request uses this method; when not, answers 405 naming the ones that work
 * (allowed: "GET or PUT"). */
bool mock_admin_method(const struct mock_request *req, struct mock_response *resp,
                       const char *method, const char *allowed);

/* admin_guard.c: whether the request may use the admin API; when not, resp holds the 401 or
 * 403 that says why. */
bool mock_admin_guard(const struct mock_server *server, const struct mock_request *req,
                      struct mock_response *resp);

/* One route of the admin API: the table both the dispatch and the OpenAPI check walk. path is
 * after /__cdrsim/, "{vendor}" a vendor's id, any other "{name}" one segment; methods are
 * space-separated ("GET PUT"): another method is a 405 naming them. A vendor's own admin routes
 * (/__cdrsim/<id>/...) are the vendor's, listed by its route_list. */
struct mock_admin_route {
    const char *path;
    const char *methods;
    void (*answer)(struct mock_server *server, const char *sub, const struct mock_request *req,
                   struct mock_response *resp);
};
/* Ends with an entry whose path is NULL. */
extern const struct mock_admin_route mock_admin_routes[];

/* admin_openapi.c: /__cdrsim/openapi/<name>.json, the OpenAPI documents of the vendors and of
 * this API, read from the configured directory. */
void mock_admin_openapi(struct mock_server *server, const char *sub, const struct mock_request *req,
                        struct mock_response *resp);

/* admin_journal.c: /__cdrsim/requests[/count]; sub is the path after /__cdrsim/. */
void mock_admin_requests(struct mock_server *server, const char *sub,
                         const struct mock_request *req, struct mock_response *resp);
/* admin_records.c: /__cdrsim/<vendor>/records[/count]; false when sub is not such a path. */
bool mock_admin_records(struct mock_server *server, const char *sub, const struct mock_request *req,
                        struct mock_response *resp);
/* admin_faults.c: /__cdrsim/faults[/{id}]; sub is the path after /__cdrsim/. */
void mock_admin_faults(struct mock_server *server, const char *sub, const struct mock_request *req,
                       struct mock_response *resp);
/* admin_push.c: /__cdrsim/<vendor>/push; false when sub is not such a path. */
bool mock_admin_push(struct mock_server *server, const char *sub, const struct mock_request *req,
                     struct mock_response *resp);
/* admin_variants.c: /__cdrsim/variants. */
void mock_admin_variants(struct mock_server *server, const struct mock_request *req,
                         struct mock_response *resp);

#endif
