/* POST /apiaccess/CC-Management/v1/mobileAgent/queryCallDetailRecord: the call history behind an
 * AccessToken. A window of at most seven days on startTime (both ends included), the caller and
 * taskType filters, offset/limit paging; retCode "0" with {"total","callInfo"}, "1" when nothing
 * matches, "2"/"4"/"12" for the body's time, paging and caller members
 * (docs/vendors/huawei.md, call history,
 * https://support.huaweicloud.com/intl/en-us/api-cec/cec_07_1305.html). */
#include <string.h>

#include "internal.h"

/* The documented failures' meanings, in our words (the service's own texts are unpublished). */
static const char *retcode_message(const char *retcode)
{
    return strcmp(retcode, "1") == 0    ? "No data found"
           : strcmp(retcode, "2") == 0  ? "The start time or end time format is incorrect"
           : strcmp(retcode, "4") == 0  ? "The limit or offset format is incorrect"
           : strcmp(retcode, "12") == 0 ? "The caller number is unavailable"
                                        : "";
}

static bool matches(const struct huawei_cdr_attrs *a, const struct huawei_history_query *q)
{
    if (a->start_ms < q->start_ms || a->start_ms > q->end_ms)
        return false;
    if (q->caller[0] && strcmp(a->caller, q->caller) != 0)
        return false;
    /* taskType 0: every type except ITA bidirectional calls. */
    return q->task_type ? a->task_type == q->task_type : a->task_type != 4;
}

void huawei_query_history(struct huawei_state *st, const struct mock_env *env,
                          const struct mock_request *req, struct mock_response *resp)
{
    if (huawei_bearer_refused(st, env, req, resp))
        return;
    struct huawei_history_query q;
    const char *retcode = NULL;
    switch (huawei_parse_history_query(st, req, &q, &retcode)) {
    case HUAWEI_BODY_BAD_REQUEST:
        huawei_reply_gateway(env, resp, 400, "APIGW.0201",
                             "Bad request: check the request path and parameters");
        return;
    case HUAWEI_BODY_RETCODE:
        huawei_reply_retcode(resp, retcode, retcode_message(retcode));
        return;
    case HUAWEI_BODY_OK:
        break;
    }
    /* The window by seconds from the store, then to the millisecond. */
    const struct mock_store *h = &st->history;
    int64_t lo_s = q.start_ms / 1000, hi_s = q.end_ms / 1000;
    size_t lo = mock_store_lower_bound(h, lo_s), hi = mock_store_upper_bound(h, hi_s);
    int64_t skip = st->history_offset_pages ? q.offset * q.limit : q.offset;
    int64_t total = 0, taken = 0;
    for (size_t i = lo; i < hi; i++)
        total += matches(h->entries[i].attrs, &q);
    /* "No data found" is a failure on the page: no page of records, not an empty one. */
    if (!st->history_empty_ok && skip >= total) {
        huawei_reply_retcode(resp, "1", retcode_message("1"));
        return;
    }
    struct cdr_buf b;
    cdr_buf_init(&b);
    huawei_reply_history_begin(&b, total);
    int64_t seen = 0;
    for (size_t k = 0; k < hi - lo && taken < q.limit; k++) {
        const struct mock_store_entry *e =
            &h->entries[st->history_newest_first ? hi - 1 - k : lo + k];
        if (!matches(e->attrs, &q) || seen++ < skip)
            continue;
        if (taken++)
            cdr_buf_puts(&b, ",");
        mock_store_append_json(h, e, &b);
    }
    huawei_reply_history_finish(resp, &b);
}
