/* Huawei AgentGateway requests: the sign-in body and the calldata paths. */
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "cdrsim/sign.h"
#include "internal.h"

char *cdr__huawei_sign_in_body(const char *password, const char *phone, int status)
{
    struct cdr_buf body;
    cdr_buf_init(&body);
    cdr_buf_puts(&body, "{\"password\":");
    cdr_buf_json_string(&body, password);
    cdr_buf_puts(&body, ",\"phonenum\":");
    cdr_buf_json_string(&body, phone);
    cdr_buf_printf(
        &body,
        ",\"status\":%d,\"autoanswer\":true,\"autoenteridle\":true,\"releasephone\":true,"
        "\"agenttype\":4}",
        status);
    return cdr_buf_steal(&body);
}

char *cdr__huawei_call_by_id_path(const char *agent_id, const char *callid)
{
    char *segment = cdr_percent_encode(callid, strlen(callid));
    if (!segment)
        return NULL;
    struct cdr_buf path;
    cdr_buf_init(&path);
    cdr_buf_printf(&path, "/calldata/%s/callinfobycallid/%s", agent_id, segment);
    free(segment);
    return cdr_buf_steal(&path);
}
