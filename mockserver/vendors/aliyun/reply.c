/* The vendor's answers: real HTTP statuses, one document shape per outcome, in JSON or XML
 * (Format), with the RequestId echoed in the x-acs-request-id header as the service does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../flatjson.h"
#include "internal.h"

#define JSON_TYPE "application/json;charset=utf-8"
/* Exactly what the official V3 client compares against before parsing an error as XML. */
#define XML_TYPE "text/xml;charset=utf-8"
#define XML_DECLARATION "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"

void aliyun_reply_init(struct aliyun_reply *reply, const struct mock_env *env,
                       enum aliyun_format format)
{
    char uuid[37];
    mock_shared_rng_uuid(env->rng, uuid);
    for (size_t i = 0; uuid[i]; i++)
        reply->request_id[i] =
            (uuid[i] >= 'a' && uuid[i] <= 'f') ? (char)(uuid[i] - 'a' + 'A') : uuid[i];
    reply->request_id[36] = '\0';
    reply->format = format;
    reply->action = ALIYUN_ACTION;
}

void aliyun_xml_member(struct cdr_buf *b, const char *name, const cJSON *value)
{
    if (!value || cJSON_IsNull(value))
        return;
    if (cJSON_IsArray(value)) {
        const cJSON *item;
        cJSON_ArrayForEach(item, value)
            aliyun_xml_member(b, name, item);
        return;
    }
    cdr_buf_printf(b, "<%s>", name);
    if (cJSON_IsObject(value)) {
        const cJSON *member;
        cJSON_ArrayForEach(member, value)
            aliyun_xml_member(b, member->string, member);
    } else if (cJSON_IsString(value)) {
        cdr_buf_xml_text(b, value->valuestring);
    } else if (cJSON_IsBool(value)) {
        cdr_buf_puts(b, cJSON_IsTrue(value) ? "true" : "false");
    } else {
        char *number = cJSON_PrintUnformatted(value);
        cdr_buf_puts(b, number ? number : "");
        b->failed |= number == NULL;
        free(number);
    }
    cdr_buf_printf(b, "</%s>", name);
}

/* One member of a flat record as aliyun_xml_member writes it: the same element, the string's
 * bytes escaped for XML, the integer's digits as cJSON prints them. */
static bool xml_flat_member(void *ctx, const struct mock_flat_member *m)
{
    struct cdr_buf *b = ctx;
    cdr_buf_append(b, "<", 1);
    cdr_buf_append(b, m->key, m->key_len);
    cdr_buf_append(b, ">", 1);
    if (m->is_string)
        cdr_buf_xml_text_len(b, m->text, m->len);
    else
        cdr_buf_append(b, m->text, m->len);
    cdr_buf_append(b, "</", 2);
    cdr_buf_append(b, m->key, m->key_len);
    return cdr_buf_append(b, ">", 1);
}

void aliyun_xml_record(struct cdr_buf *b, const char *json, size_t len)
{
    /* Records in the compact flat form (generated ones, the fixture's) are written from their
     * text; any other (a null member, an escape) through the tree. */
    size_t mark = b->len;
    cdr_buf_puts(b, "<CallDetailRecord>");
    if (mock_flat_object(json, len, xml_flat_member, b) == len) {
        cdr_buf_puts(b, "</CallDetailRecord>");
        return;
    }
    b->len = mark; /* what the flat form wrote goes; the tree writes it all again */
    if (b->data)
        b->data[mark] = '\0';
    cJSON *record = cJSON_ParseWithLength(json, len);
    b->failed |= record == NULL;
    aliyun_xml_member(b, "CallDetailRecord", record);
    cJSON_Delete(record);
}

void aliyun_error_out_of_memory(struct mock_response *resp)
{
    mock_response_take_body(resp, 500, JSON_TYPE, NULL, 1); /* answers "out of memory" */
}

static void finish(const struct aliyun_reply *reply, struct mock_response *resp, int status,
                   struct cdr_buf *b, const char *code)
{
    if (b->failed) {
        cdr_buf_free(b);
        aliyun_error_out_of_memory(resp);
        return;
    }
    size_t len = b->len;
    mock_response_take_body(resp, status, reply->format == ALIYUN_XML ? XML_TYPE : JSON_TYPE,
                            cdr_buf_steal(b), len);
    mock_response_add_header(resp, "x-acs-request-id", reply->request_id);
    mock_response_code(resp, "%s", code);
}

void aliyun_error(const struct aliyun_reply *reply, struct mock_response *resp, int status,
                  const char *code, const char *message)
{
    struct cdr_buf recommend, b;
    cdr_buf_init(&recommend);
    cdr_buf_printf(&recommend,
                   "https://api.aliyun.com/troubleshoot?q=%s&product=aiccs&requestId=%s", code,
                   reply->request_id);
    cdr_buf_init(&b);
    /* Members in the order of the gateway's 2025 answers (docs/vendors/aliyun.md, errors). */
    if (reply->format == ALIYUN_JSON) {
        cdr_buf_printf(&b, "{\"RequestId\":\"%s\",\"Message\":", reply->request_id);
        cdr_buf_json_string(&b, message);
        cdr_buf_printf(&b, ",\"HostId\":\"%s\",\"Code\":", ALIYUN_HOST_ID);
        cdr_buf_json_string(&b, code);
        cdr_buf_puts(&b, ",\"Recommend\":");
        cdr_buf_json_string(&b, recommend.data ? recommend.data : "");
        cdr_buf_puts(&b, "}");
    } else {
        cdr_buf_printf(&b, XML_DECLARATION "<Error><RequestId>%s</RequestId><Message>",
                       reply->request_id);
        cdr_buf_xml_text(&b, message);
        cdr_buf_printf(&b, "</Message><HostId>%s</HostId><Code>", ALIYUN_HOST_ID);
        cdr_buf_xml_text(&b, code);
        /* The link carries '&': the service wraps it in CDATA rather than escaping it. */
        cdr_buf_printf(&b, "</Code><Recommend><![CDATA[%s]]></Recommend></Error>",
                       recommend.data ? recommend.data : "");
    }
    b.failed |= recommend.failed;
    cdr_buf_free(&recommend);
    finish(reply, resp, status, &b, code);
}

void aliyun_error_missing(const struct aliyun_reply *reply, struct mock_response *resp,
                          const char *param)
{
    char code[96], message[128];
    snprintf(code, sizeof(code), "Missing%s", param);
    snprintf(message, sizeof(message), "%s is mandatory for this action.", param);
    aliyun_error(reply, resp, 400, code, message);
}

void aliyun_error_invalid(const struct aliyun_reply *reply, struct mock_response *resp,
                          const char *param)
{
    char message[128];
    snprintf(message, sizeof(message), "Specified parameter %s is not valid.", param);
    aliyun_error(reply, resp, 400, "InvalidParameter", message);
}

void aliyun_error_no_tenant(const struct aliyun_reply *reply, struct mock_response *resp)
{
    aliyun_error(reply, resp, 500, "NoTenantFound", "The specified tenant does not exist.");
}

void aliyun_error_system(const struct aliyun_reply *reply, struct mock_response *resp)
{
    aliyun_error(reply, resp, 500, "SystemError",
                 "A system error occurred. Please contact the administrator.");
}

/* The envelope is written by appends: printf's parsing of the format costs more than the copy. */
void aliyun_begin_success(const struct aliyun_reply *reply, struct cdr_buf *b, size_t data_hint)
{
    static const char json_head[] =
        "{\"Code\":\"Success\",\"Message\":\"Success\",\"RequestId\":\"";
    static const char json_tail[] = "\",\"Success\":true,\"Data\":{";
    static const char xml_tail[] = "Response><Code>Success</Code><Message>Success</Message>"
                                   "<RequestId>";
    static const char xml_after_id[] = "</RequestId><Success>true</Success><Data>";
    cdr_buf_init(b);
    cdr_buf_reserve(b, data_hint + 256);
    if (reply->format == ALIYUN_JSON) {
        cdr_buf_append(b, json_head, sizeof(json_head) - 1);
        cdr_buf_puts(b, reply->request_id);
        cdr_buf_append(b, json_tail, sizeof(json_tail) - 1);
    } else {
        cdr_buf_puts(b, XML_DECLARATION "<");
        cdr_buf_puts(b, reply->action);
        cdr_buf_append(b, xml_tail, sizeof(xml_tail) - 1);
        cdr_buf_puts(b, reply->request_id);
        cdr_buf_append(b, xml_after_id, sizeof(xml_after_id) - 1);
    }
}

void aliyun_finish_success(const struct aliyun_reply *reply, struct mock_response *resp,
                           struct cdr_buf *b)
{
    if (reply->format == ALIYUN_JSON) {
        cdr_buf_append(b, "}}", 2);
    } else {
        cdr_buf_puts(b, "</Data></");
        cdr_buf_puts(b, reply->action);
        cdr_buf_puts(b, "Response>");
    }
    finish(reply, resp, 200, b, "Success");
}

void aliyun_send_document(const struct aliyun_reply *reply, struct mock_response *resp,
                          const cJSON *doc, const char *code)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    if (reply->format == ALIYUN_JSON) {
        char *json = cJSON_PrintUnformatted(doc);
        cdr_buf_puts(&b, json ? json : "");
        b.failed |= json == NULL;
        free(json);
    } else {
        cdr_buf_printf(&b, XML_DECLARATION "<%sResponse>", reply->action);
        const cJSON *member;
        cJSON_ArrayForEach(member, doc)
            aliyun_xml_member(&b, member->string, member);
        cdr_buf_printf(&b, "</%sResponse>", reply->action);
    }
    finish(reply, resp, 200, &b, code);
}
