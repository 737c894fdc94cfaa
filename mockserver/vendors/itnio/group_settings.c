/* GET /v3/cc/seatGroup/basicSettingResp?voiceGroupId=N: one agent group's basic settings
 * (https://kxnrh7nfk8zwevuu.itniotech.com/api/call/basicSettingResp, docs/vendors/itnio.md
 * section 8). The page's table names the group's id voiceGroupId, its example seatGroupId: the
 * answer follows the example (the table's name is a variant), and the query takes either name. */
#include "cdrsim/buf.h"
#include "internal.h"

static const struct itnio_group *find_group(const struct itnio_state *st, int64_t id)
{
    for (size_t i = 0; i < st->roster.group_count; i++)
        if (st->roster.groups[i].id == id)
            return &st->roster.groups[i];
    return NULL;
}

void itnio_group_settings(const struct itnio_call *call, struct mock_response *resp)
{
    const struct itnio_state *st = call->st;
    const char *name = mock_request_query(call->req, "voiceGroupId")  ? "voiceGroupId"
                       : mock_request_query(call->req, "seatGroupId") ? "seatGroupId"
                                                                      : "voiceGroupId";
    int64_t id = 0;
    int status = itnio_params_query_int(call->req, name, &id);
    const struct itnio_group *g = status == ITNIO_OK ? find_group(st, id) : NULL;
    if (status == ITNIO_OK && !g)
        status = st->v.not_found_status; /* undocumented: -22, or -24 "Data unexisting" */
    if (status != ITNIO_OK) {
        itnio_reply_status(resp, call->status_string, status, NULL);
        return;
    }
    struct cdr_buf b;
    itnio_reply_begin_success(&b, call->status_string, 512);
    cdr_buf_printf(&b, "{\"%s\":%lld,%s}",
                   st->v.settings_voice_group_id ? "voiceGroupId" : "seatGroupId", (long long)g->id,
                   g->settings_json);
    itnio_reply_finish_success(resp, call->status_string, &b);
}
