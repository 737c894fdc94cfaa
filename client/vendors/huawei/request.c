/* Huawei requests: the AgentGateway's sign-in body and calldata paths; the API Fabric's token,
 * history and recording bodies. */
#include <stdio.h>
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

/* ---- the API Fabric -------------------------------------------------------------------------- */

char *cdr__huawei_token_body(const char *app_key, const char *app_secret)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{\"app_key\":");
    cdr_buf_json_string(&b, app_key);
    cdr_buf_puts(&b, ",\"app_secret\":");
    cdr_buf_json_string(&b, app_secret);
    cdr_buf_puts(&b, "}");
    return cdr_buf_steal(&b);
}

char *cdr__huawei_serial_body(const char *call_serial_no)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{\"callSerialNo\":");
    cdr_buf_json_string(&b, call_serial_no);
    cdr_buf_puts(&b, "}");
    return cdr_buf_steal(&b);
}

/* "name":"value": every member of the body is a string on the page. */
static void put_member(struct cdr_buf *b, const char *name, const char *value)
{
    cdr_buf_puts(b, b->len > 1 ? "," : "");
    cdr_buf_json_string(b, name);
    cdr_buf_puts(b, ":");
    cdr_buf_json_string(b, value);
}

static void put_int_member(struct cdr_buf *b, const char *name, int64_t v)
{
    char text[24];
    snprintf(text, sizeof(text), "%lld", (long long)v);
    put_member(b, name, text);
}

char *cdr__huawei_history_body(const struct cdr_huawei_history_filter *f, int64_t offset,
                               int64_t limit)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{");
    for (const struct cdr_field *r = cdr__huawei_fields; r->name; r++) {
        if (!cdr__field_sent(cdr__huawei_fields, r, f))
            continue;
        if (r->kind == CDR_VALUE_TIME) {
            /* Epoch milliseconds; the end second is included to its last millisecond. */
            int64_t ms = cdr__field_int(r, f) * 1000;
            put_int_member(&b, r->param, strcmp(r->name, "to") == 0 ? ms + 999 : ms);
        } else if (r->kind == CDR_VALUE_INT) {
            put_int_member(&b, r->param, cdr__field_int(r, f));
        } else {
            put_member(&b, r->param, cdr__field_text(r, f));
        }
    }
    put_int_member(&b, "offset", offset);
    put_int_member(&b, "limit", limit);
    cdr_buf_puts(&b, "}");
    return cdr_buf_steal(&b);
}

cdr_error cdr__huawei_write_all(const char *data, size_t len, cdr_huawei_write_fn write, void *user,
                                struct cdr_error_info *err)
{
    /* In slices, as a streaming download would hand them over. */
    const size_t slice = 16384;
    for (size_t done = 0; done < len; done += slice) {
        size_t n = len - done < slice ? len - done : slice;
        if (write(user, data + done, n) != 0)
            return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "the download was stopped");
    }
    return CDR_OK;
}
