/* GetHotlineMessageLog: the ASR transcript of a hotline session, one entry per utterance
 * {"Acid","SenderType" (1 customer, 2 agent),"StartTime","EndTime" (epoch ms),"Mid","Content"}, as
 * https://help.aliyun.com/zh/aiccs/developer-reference/api-aiccs-2019-10-15-gethotlinemessagelog
 * shows. The mock makes up a conversation over the call's talk time, the same for the same call
 * on every run; ordered by StartTime, and empty for a call nobody answered or an unknown session
 * (both inferred). */
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct line {
    int sender;
    const char *text;
};

/* Opens with the page's example utterance, "您好。" from the customer. */
static const struct line script[] = {
    {1, "您好。"},
    {2, "您好，这里是客服中心，请问有什么可以帮您？"},
    {1, "我想查询一下上个月的订单。"},
    {2, "好的，请您提供一下订单号。"},
    {1, "订单号是一二三四五六。"},
    {2, "请稍等，正在为您查询。"},
    {1, "好的。"},
    {2, "您的订单已经发货，预计明天送达。"},
    {1, "好的，谢谢。"},
    {2, "请问还有其他可以帮您的吗？"},
    {1, "没有了。"},
    {2, "感谢您的来电，再见。"},
};

#define SCRIPT_LINES (sizeof(script) / sizeof(script[0]))

static uint64_t hash(const char *text, uint64_t salt)
{
    uint64_t h = 1469598103934665603ULL ^ salt; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

/* Utterance i of n spread evenly over [from_ms, to_ms): each starts in the first quarter of its
 * slot and lasts three quarters of it, so none overlaps the next. */
static bool add_utterance(cJSON *data, const struct aliyun_attrs *call, size_t i, size_t n,
                          int64_t from_ms, int64_t to_ms)
{
    int64_t slot = (to_ms - from_ms) / (int64_t)n;
    int64_t start =
        from_ms + slot * (int64_t)i + (int64_t)(hash(call->acid, i) % (uint64_t)(slot / 4 + 1));
    int64_t end = start + slot * 3 / 4;
    char mid[24];
    snprintf(mid, sizeof(mid), "%015llx",
             (unsigned long long)(hash(call->acid, 1000 + i) & 0xFFFFFFFFFFFFFFFULL));
    cJSON *entry = cJSON_CreateObject();
    if (!entry || !cJSON_AddItemToArray(data, entry)) {
        cJSON_Delete(entry);
        return false;
    }
    return cJSON_AddStringToObject(entry, "Acid", call->acid) &&
           cJSON_AddNumberToObject(entry, "SenderType", script[i].sender) &&
           cJSON_AddNumberToObject(entry, "StartTime", (double)start) &&
           cJSON_AddNumberToObject(entry, "EndTime", (double)end) &&
           cJSON_AddStringToObject(entry, "Mid", mid) &&
           cJSON_AddStringToObject(entry, "Content", script[i].text);
}

void aliyun_message_log(const struct aliyun_state *st, const struct aliyun_params *params,
                        const struct aliyun_reply *reply, struct mock_response *resp)
{
    const char *instance_id = aliyun_param_given(params, "InstanceId");
    const char *acid = aliyun_param_given(params, "Acid");
    if (!instance_id || !acid) {
        aliyun_error_missing(reply, resp, instance_id ? "Acid" : "InstanceId");
        return;
    }
    const struct aliyun_instance *tenant = aliyun_instance_find(st, instance_id);
    if (!tenant && !st->unknown_instance_empty) {
        aliyun_error_no_tenant(reply, resp);
        return;
    }
    const struct aliyun_attrs *call =
        tenant == &st->instances[0] ? aliyun_find_acid(st, acid) : NULL;
    bool talked = call && call->pick_up >= 0 && call->hang_up > call->pick_up;
    cJSON *doc = cJSON_CreateObject(), *data = NULL;
    bool ok = doc && cJSON_AddStringToObject(doc, "RequestId", reply->request_id) &&
              cJSON_AddBoolToObject(doc, "Success", true) &&
              cJSON_AddStringToObject(doc, "Code", "Success") &&
              cJSON_AddStringToObject(doc, "Message", "Success") &&
              (data = cJSON_AddArrayToObject(doc, "Data"));
    if (ok && talked) {
        int64_t seconds = call->hang_up - call->pick_up;
        size_t n = (size_t)(seconds / 10);
        n = n < 2 ? 2 : n > SCRIPT_LINES ? SCRIPT_LINES : n;
        for (size_t i = 0; ok && i < n; i++)
            ok = add_utterance(data, call, i, n, call->pick_up * 1000, call->hang_up * 1000);
    }
    if (ok)
        aliyun_send_document(reply, resp, doc, "Success");
    else
        aliyun_error_out_of_memory(resp);
    cJSON_Delete(doc);
}
