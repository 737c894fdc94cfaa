/* Every body the Huawei AgentGateway sends. What the gateway's code decides is HTTP 200 with the
 * outcome in the body's retcode, "0" for success (docs/vendors/huawei.md, envelope and
 * retcodes); what its servlet container decides first (unknown path, wrong method) is a bare
 * HTTP status. The one error body the pages print (the recordfile page:
 * {"retcode":"000-003","message":"no right to invite resource","result":""}) sets the shape of
 * every error. The /__cdrsim/huawei admin endpoints answer in the mock's own {"error": ...}. */
#include <string.h>

#include "internal.h"

#define JSON_TYPE "application/json;charset=UTF-8"

/* The text of each retcode. 000-003's is the gateway's own, as the recordfile page prints it; the
 * rest are our English wording of each code's documented meaning (the gateway's own texts are
 * unpublished). Under error_body=ours 000-003 has our wording too, except on recordfile, whose
 * page prints its body. */
static const char *retcode_text(bool ours, const char *retcode)
{
    static const struct {
        const char *code, *text;
    } texts[] = {
        {HUAWEI_PARAMETER, "The URL parameter or interface parameter is invalid."},
        {HUAWEI_NO_PERMISSION, "No permission, or the agent authentication has expired."},
        {HUAWEI_SIGNIN_PARAMETER, "The sign-in parameter is empty or invalid."},
        {HUAWEI_ALREADY_IN, "The agent has already signed in."},
        {HUAWEI_WRONG_PASSWORD, "The user name or password is incorrect."},
        {HUAWEI_SIGNOUT_REFUSED, "The agent cannot sign out now."},
        {HUAWEI_NOT_SIGNED_IN, "The agent has not signed in."},
        {HUAWEI_INTERNAL, "An internal error occurred during the agent operation."},
        {HUAWEI_ALREADY_OUT, "The agent has already signed out."},
    };
    if (!ours && strcmp(retcode, HUAWEI_NO_PERMISSION) == 0)
        return "no right to invite resource";
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        if (strcmp(texts[i].code, retcode) == 0)
            return texts[i].text;
    return "";
}

/* Hands b to the response; code (the retcode, or NULL) goes to the request log. */
static void send_json(struct mock_response *resp, int status, struct cdr_buf *b, const char *code)
{
    if (b->failed) {
        cdr_buf_free(b);
        mock_response_json(resp, 500, "{\"error\":\"out of memory\"}");
        return;
    }
    size_t len = b->len;
    mock_response_take_body(resp, status, JSON_TYPE, cdr_buf_steal(b), len);
    if (code)
        mock_response_code(resp, "%s", code);
}

static void reply_error(struct mock_response *resp, const char *retcode, bool ours)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    if (ours) {
        cdr_buf_puts(&b, "{\"message\":");
        cdr_buf_json_string(&b, retcode_text(ours, retcode));
        cdr_buf_printf(&b, ",\"retcode\":\"%s\",\"result\":null}", retcode);
    } else {
        /* The order and the empty result of the one error body the pages print. */
        cdr_buf_printf(&b, "{\"retcode\":\"%s\",\"message\":", retcode);
        cdr_buf_json_string(&b, retcode_text(ours, retcode));
        cdr_buf_puts(&b, ",\"result\":\"\"}");
    }
    /* Every outcome is HTTP 200; the retcode tells them apart. */
    send_json(resp, 200, &b, retcode);
}

void huawei_reply_error(const struct huawei_state *st, struct mock_response *resp,
                        const char *retcode)
{
    reply_error(resp, retcode, st->error_result_null);
}

void huawei_reply_documented_error(struct mock_response *resp, const char *retcode)
{
    reply_error(resp, retcode, false);
}

void huawei_reply_begin(struct cdr_buf *b)
{
    cdr_buf_puts(b, "{\"message\":\"\",\"retcode\":\"0\",\"result\":");
}

void huawei_reply_finish(struct mock_response *resp, struct cdr_buf *b)
{
    cdr_buf_puts(b, "}");
    send_json(resp, 200, b, "0");
}

void huawei_reply_result(struct mock_response *resp, const char *result)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_reserve(&b, (result ? strlen(result) : 4) + 48);
    huawei_reply_begin(&b);
    cdr_buf_puts(&b, result ? result : "null");
    huawei_reply_finish(resp, &b);
}

void huawei_reply_success(struct mock_response *resp, const char *result)
{
    /* The session pages show this order and "success" as the message. */
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "{\"result\":%s,\"message\":\"success\",\"retcode\":\"0\"}", result);
    send_json(resp, 200, &b, "0");
}

void huawei_reply_handshake(struct mock_response *resp)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{\"message\":\"success\",\"retcode\":\"0\"}");
    send_json(resp, 200, &b, "0");
}

void huawei_reply_event(struct mock_response *resp, const char *event)
{
    /* No result member at all: the poll page's answers have none. */
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{\"message\":\"\",\"retcode\":\"0\"");
    if (event)
        cdr_buf_printf(&b, ",\"event\":%s", event);
    cdr_buf_puts(&b, "}");
    send_json(resp, 200, &b, "0");
}

void huawei_reply_set_guid(struct mock_response *resp, const char *guid)
{
    char value[HUAWEI_GUID_SIZE + 16];
    snprintf(value, sizeof(value), "JSESSIONID=%s", guid);
    mock_response_add_header(resp, "Set-GUID", value);
}

void huawei_reply_status(struct mock_response *resp, int status)
{
    mock_response_set_body(resp, status, "text/plain;charset=UTF-8", "", 0);
}

void huawei_reply_admin_error(struct mock_response *resp, int status, const char *message)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{\"error\":");
    cdr_buf_json_string(&b, message);
    cdr_buf_puts(&b, "}");
    send_json(resp, status, &b, NULL);
}

void huawei_reply_admin_json(struct mock_response *resp, int status, struct cdr_buf *b)
{
    if (b->failed) {
        cdr_buf_free(b);
        huawei_reply_admin_error(resp, 500, "out of memory");
        return;
    }
    send_json(resp, status, b, NULL);
}

/* ---- the API Fabric -------------------------------------------------------------------------- */

void huawei_reply_gateway(const struct mock_env *env, struct mock_response *resp, int status,
                          const char *code, const char *message)
{
    char request_id[33];
    mock_shared_rng_hex(env->rng, request_id, 32, 0);
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{\"error_code\":");
    cdr_buf_json_string(&b, code);
    cdr_buf_puts(&b, ",\"error_msg\":");
    cdr_buf_json_string(&b, message);
    cdr_buf_printf(&b, ",\"request_id\":\"%s\"}", request_id);
    send_json(resp, status, &b, code);
}

void huawei_reply_token(struct mock_response *resp, const char *token, int64_t create_s,
                        int64_t expires_s, const char *app_key)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{\"AccessToken\":");
    cdr_buf_json_string(&b, token);
    cdr_buf_printf(&b,
                   ",\"ApplyType\":\"Bearer\",\"CreateTime\":\"%lld\",\"Expires\":\"%lld\","
                   "\"Scope\":\"default\",\"AppKey\":",
                   (long long)create_s, (long long)expires_s);
    cdr_buf_json_string(&b, app_key);
    cdr_buf_puts(&b, ",\"UserID\":\"Anonymous\"}");
    send_json(resp, 200, &b, NULL);
}

void huawei_reply_retcode(struct mock_response *resp, const char *retcode, const char *message)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "{\"retCode\":\"%s\",\"retMsg\":", retcode);
    cdr_buf_json_string(&b, message);
    cdr_buf_puts(&b, "}");
    send_json(resp, 200, &b, retcode);
}

void huawei_reply_history_begin(struct cdr_buf *b, int64_t total)
{
    /* The example's order: result first, then retCode and retMsg. */
    cdr_buf_printf(b, "{\"result\":{\"total\":%lld,\"callInfo\":[", (long long)total);
}

void huawei_reply_history_finish(struct mock_response *resp, struct cdr_buf *b)
{
    cdr_buf_puts(b, "]},\"retCode\":\"0\",\"retMsg\":\"Query call detail record successfully\"}");
    send_json(resp, 200, b, "0");
}

void huawei_reply_recording(struct mock_response *resp, int retcode, const char *message,
                            const char *url)
{
    /* The example's order, and its numeric retCode. */
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{\"retMsg\":");
    cdr_buf_json_string(&b, message);
    if (url) {
        cdr_buf_puts(&b, ",\"result\":{\"url\":");
        cdr_buf_json_string(&b, url);
        cdr_buf_puts(&b, "}");
    }
    cdr_buf_printf(&b, ",\"retCode\":%d}", retcode);
    char code[16];
    snprintf(code, sizeof(code), "%d", retcode);
    send_json(resp, 200, &b, code);
}

void huawei_reply_obs_error(const struct mock_env *env, struct mock_response *resp, int status,
                            const char *code, const char *message)
{
    char request_id[17];
    mock_shared_rng_hex(env->rng, request_id, 16, 1);
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code>"
                   "<Message>%s</Message><RequestId>%s</RequestId></Error>",
                   code, message, request_id);
    if (b.failed) {
        cdr_buf_free(&b);
        mock_response_json(resp, 500, "{\"error\":\"out of memory\"}");
        return;
    }
    size_t len = b.len;
    mock_response_take_body(resp, status, "application/xml", cdr_buf_steal(&b), len);
    mock_response_code(resp, "%s", code);
}

void huawei_reply_audio(struct mock_response *resp, const char *content_type, unsigned char *bytes,
                        size_t len)
{
    if (!bytes) {
        mock_response_json(resp, 500, "{\"error\":\"out of memory\"}");
        return;
    }
    mock_response_take_body(resp, 200, content_type, (char *)bytes, len);
}
