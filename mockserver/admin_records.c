/* /__cdrsim/<vendor>/records: the data for one test. GET lists the vendor's records, POST adds
 * records given in the vendor's own response shape, DELETE empties the store, and
 * GET .../records/count counts. POST /__cdrsim/reset brings back the configured data. */
#include <stdio.h>
#include <string.h>

#include "admin.h"

static const char expected_records[] =
    "an array of records in the vendor's response shape, or {\"records\": [...]}";

/* The vendor whose records sub names ("itnio/records", "itnio/records/count"); *count_only set
 * for the latter. NULL when sub is no such path. */
static const struct mock_vendor_sim *records_path(const char *sub, size_t *index, bool *count_only)
{
    const char *slash = strchr(sub, '/');
    if (!slash)
        return NULL;
    const char *rest = slash + 1;
    *count_only = strcmp(rest, "records/count") == 0;
    if (!*count_only && strcmp(rest, "records") != 0)
        return NULL;
    for (size_t i = 0; mock_vendors[i]; i++)
        if (strlen(mock_vendors[i]->id) == (size_t)(slash - sub) &&
            strncmp(mock_vendors[i]->id, sub, (size_t)(slash - sub)) == 0) {
            *index = i;
            return mock_vendors[i];
        }
    return NULL;
}

static void not_served(const struct mock_vendor_sim *sim, struct mock_response *resp)
{
    char why[128];
    snprintf(why, sizeof(why), "%s is not served by this mock (no data for it)", sim->id);
    mock_admin_error(resp, 404, why);
}

static void add(struct mock_server *s, size_t i, const struct mock_request *req,
                struct mock_response *resp)
{
    cJSON *body = mock_admin_body(req, resp, expected_records);
    if (!body)
        return;
    cJSON *records =
        cJSON_IsObject(body) ? cJSON_GetObjectItemCaseSensitive(body, "records") : body;
    if (!cJSON_IsArray(records)) {
        char why[160];
        snprintf(why, sizeof(why), "expected %s", expected_records);
        mock_admin_error(resp, 400, why);
        cJSON_Delete(body);
        return;
    }
    char err[512] = "";
    size_t count = 0;
    switch (mock_server_records_add(s, i, records, &count, err, sizeof(err))) {
    case MOCK_RECORDS_OK: {
        char answer[96];
        snprintf(answer, sizeof(answer), "{\"added\":%d,\"count\":%zu}",
                 cJSON_GetArraySize(records), count);
        mock_response_json(resp, 201, answer);
        break;
    }
    case MOCK_RECORDS_NOT_SERVED:
        not_served(mock_vendors[i], resp);
        break;
    case MOCK_RECORDS_INVALID:
        mock_admin_error(resp, 400, err);
        break;
    default:
        mock_admin_error(resp, 500, err[0] ? err : "out of memory");
        break;
    }
    cJSON_Delete(body);
}

static void clear(struct mock_server *s, size_t i, struct mock_response *resp)
{
    size_t removed = 0;
    if (mock_server_records_clear(s, i, &removed) != MOCK_RECORDS_OK) {
        not_served(mock_vendors[i], resp);
        return;
    }
    char answer[64];
    snprintf(answer, sizeof(answer), "{\"deleted\":%zu,\"count\":0}", removed);
    mock_response_json(resp, 200, answer);
}

static void count(struct mock_server *s, size_t i, struct mock_response *resp)
{
    size_t n = 0;
    if (mock_server_records_count(s, i, &n) != MOCK_RECORDS_OK) {
        not_served(mock_vendors[i], resp);
        return;
    }
    char answer[48];
    snprintf(answer, sizeof(answer), "{\"count\":%zu}", n);
    mock_response_json(resp, 200, answer);
}

bool mock_admin_records(struct mock_server *s, const char *sub, const struct mock_request *req,
                        struct mock_response *resp)
{
    size_t i;
    bool count_only;
    const struct mock_vendor_sim *sim = records_path(sub, &i, &count_only);
    if (!sim)
        return false;
    resp->vendor = sim->id;
    if (count_only) {
        if (mock_admin_method(req, resp, "GET", "GET"))
            count(s, i, resp);
    } else if (strcmp(req->method, "GET") == 0) {
        char *dump = mock_server_dump(s, sim->id);
        if (dump)
            mock_admin_take_json(resp, 200, dump);
        else
            not_served(sim, resp);
    } else if (strcmp(req->method, "POST") == 0) {
        add(s, i, req, resp);
    } else if (mock_admin_method(req, resp, "DELETE", "GET, POST or DELETE")) {
        clear(s, i, resp);
    }
    return true;
}
