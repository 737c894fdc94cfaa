#include "response.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char out_of_memory[] = "{\"error\":\"out of memory\"}";

void mock_response_init(struct mock_response *resp)
{
    memset(resp, 0, sizeof(*resp));
    resp->status = 500;
    resp->content_type = "application/json;charset=UTF-8";
}

void mock_response_free(struct mock_response *resp)
{
    free(resp->body);
    for (size_t i = 0; i < resp->header_count; i++) {
        free(resp->headers[i].name);
        free(resp->headers[i].value);
    }
    mock_response_init(resp);
}

int mock_response_retry(struct mock_response *resp)
{
    int wait = resp->retry_after_ms > 0 ? resp->retry_after_ms : 0;
    struct mock_poll poll = resp->poll;
    poll.started = true;
    poll.waited_ms += wait;
    /* A fault chosen when the request arrived still applies to the answer it ends with. */
    struct mock_delivery delivery = resp->delivery;
    struct mock_fault_note fault = resp->fault;
    mock_response_free(resp);
    resp->poll = poll;
    resp->delivery = delivery;
    resp->fault = fault;
    return wait;
}

void mock_response_take_body(struct mock_response *resp, int status, const char *content_type,
                             char *body, size_t len)
{
    free(resp->body);
    resp->status = status;
    resp->content_type = content_type;
    resp->body = body;
    resp->body_len = body ? len : 0;
    resp->retry_after_ms = 0;
    if (!body && len) { /* the caller's allocation failed */
        resp->status = 500;
        resp->body = strdup(out_of_memory);
        resp->body_len = resp->body ? strlen(out_of_memory) : 0;
    }
}

bool mock_response_set_body(struct mock_response *resp, int status, const char *content_type,
                            const char *body, size_t len)
{
    char *copy = malloc(len + 1);
    if (copy) {
        memcpy(copy, body, len);
        copy[len] = '\0';
    }
    mock_response_take_body(resp, status, content_type, copy, len ? len : (copy ? 0 : 1));
    return copy != NULL;
}

bool mock_response_json(struct mock_response *resp, int status, const char *json)
{
    return mock_response_set_body(resp, status, "application/json;charset=UTF-8", json,
                                  strlen(json));
}

bool mock_response_add_header(struct mock_response *resp, const char *name, const char *value)
{
    if (resp->header_count == MOCK_MAX_RESPONSE_HEADERS)
        return false;
    struct mock_header *h = &resp->headers[resp->header_count];
    h->name = strdup(name);
    h->value = strdup(value);
    if (!h->name || !h->value) {
        free(h->name);
        free(h->value);
        return false;
    }
    resp->header_count++;
    return true;
}

void mock_response_code(struct mock_response *resp, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(resp->vendor_code, sizeof(resp->vendor_code), fmt, ap);
    va_end(ap);
}
