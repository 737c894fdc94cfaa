/* /__cdrsim/requests: the request journal read (GET, newest first, filtered), counted with a
 * matcher (POST /__cdrsim/requests/count, the "verify" of WireMock) and cleared (DELETE). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"

#define DEFAULT_LIMIT 100

static const char filters[] =
    "vendor, method, path, status, vendor_code, auth_ok, body_contains, since";

/* Numbers a matcher was given as text keep their own copy here. */
struct match_text {
    char status[24], since[24], code[32];
};

/* One filter by name from its text; false with err saying what is wrong. */
static bool set_filter(struct mock_journal_match *m, const char *name, const char *value, char *err,
                       size_t err_len)
{
    unsigned long long n;
    if (strcmp(name, "vendor") == 0) {
        m->vendor = value;
    } else if (strcmp(name, "method") == 0) {
        m->method = value;
    } else if (strcmp(name, "path") == 0) {
        m->path = value;
    } else if (strcmp(name, "vendor_code") == 0) {
        m->vendor_code = value;
    } else if (strcmp(name, "body_contains") == 0) {
        m->body_contains = value;
    } else if (strcmp(name, "status") == 0) {
        if (!mock_parse_unsigned(value, 999, &n) || n < 100) {
            snprintf(err, err_len, "status: expected an HTTP status, got \"%.40s\"", value);
            return false;
        }
        m->status = (int)n;
    } else if (strcmp(name, "auth_ok") == 0) {
        if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0) {
            snprintf(err, err_len, "auth_ok: expected true or false, got \"%.40s\"", value);
            return false;
        }
        m->auth_ok = value[0] == 't';
    } else if (strcmp(name, "since") == 0) {
        if (!mock_parse_unsigned(value, UINT64_MAX, &n)) {
            snprintf(err, err_len, "since: expected a seq number, got \"%.40s\"", value);
            return false;
        }
        m->since = n;
    } else {
        snprintf(err, err_len, "unknown filter \"%.60s\": the journal matches on %s", name,
                 filters);
        return false;
    }
    return true;
}

/* The matcher of POST .../count: {"vendor": "itnio", "status": 200, "auth_ok": false, ...}. */
static bool match_from_json(const cJSON *body, struct mock_journal_match *m,
                            struct match_text *text, char *err, size_t err_len)
{
    if (!cJSON_IsObject(body)) {
        snprintf(err, err_len, "expected a matcher object: {%s}", filters);
        return false;
    }
    for (const cJSON *f = body->child; f; f = f->next) {
        const char *value = cJSON_IsString(f) ? f->valuestring : NULL;
        char *slot = strcmp(f->string, "status") == 0  ? text->status
                     : strcmp(f->string, "since") == 0 ? text->since
                                                       : text->code;
        if (cJSON_IsNumber(f)) {
            snprintf(slot, sizeof(text->status), "%.15g", f->valuedouble);
            value = slot;
        } else if (cJSON_IsBool(f)) {
            value = cJSON_IsTrue(f) ? "true" : "false";
        }
        if (!value) {
            snprintf(err, err_len, "%.60s: expected a string, a number or a boolean", f->string);
            return false;
        }
        if (!set_filter(m, f->string, value, err, err_len))
            return false;
    }
    return true;
}

/* GET's query: the filters plus limit. */
static bool match_from_query(const struct mock_request *req, struct mock_journal_match *m,
                             size_t *limit, char *err, size_t err_len)
{
    for (size_t i = 0; i < req->query_count; i++) {
        const struct mock_kv *q = &req->query[i];
        unsigned long long n;
        if (strcmp(q->name, "limit") != 0) {
            if (!set_filter(m, q->name, q->value, err, err_len))
                return false;
        } else if (mock_parse_unsigned(q->value, SIZE_MAX, &n)) {
            *limit = (size_t)n;
        } else {
            snprintf(err, err_len, "limit: expected a count, got \"%.40s\"", q->value);
            return false;
        }
    }
    return true;
}

static void list(struct mock_server *s, const struct mock_request *req, struct mock_response *resp)
{
    struct mock_journal_match m;
    mock_journal_match_init(&m);
    size_t limit = DEFAULT_LIMIT;
    char err[256];
    if (!match_from_query(req, &m, &limit, err, sizeof(err)))
        mock_admin_error(resp, 400, err);
    else if (!s->journal)
        mock_response_json(resp, 200, "{\"total\":0,\"capacity\":0,\"requests\":[]}");
    else
        mock_admin_take_json(resp, 200, mock_journal_list(s->journal, &m, limit));
}

static void count(struct mock_server *s, const struct mock_request *req, struct mock_response *resp)
{
    cJSON *body = mock_admin_body(req, resp, "a matcher object");
    if (!body)
        return;
    struct mock_journal_match m;
    struct match_text text;
    mock_journal_match_init(&m);
    char err[256];
    if (match_from_json(body, &m, &text, err, sizeof(err))) {
        char answer[64];
        snprintf(answer, sizeof(answer), "{\"count\":%zu}",
                 s->journal ? mock_journal_count(s->journal, &m) : 0);
        mock_response_json(resp, 200, answer);
    } else {
        mock_admin_error(resp, 400, err);
    }
    cJSON_Delete(body);
}

void mock_admin_requests(struct mock_server *s, const char *sub, const struct mock_request *req,
                         struct mock_response *resp)
{
    if (strcmp(sub, "requests/count") == 0) {
        if (mock_admin_method(req, resp, "POST", "POST"))
            count(s, req, resp);
    } else if (strcmp(req->method, "GET") == 0) {
        list(s, req, resp);
    } else if (mock_admin_method(req, resp, "DELETE", "GET or DELETE")) {
        if (s->journal)
            mock_journal_clear(s->journal);
        mock_response_json(resp, 200, "{\"status\":\"cleared\"}");
    }
}
