/* The recording actions of AICCS 2019-10-15, each in the shape of its own page (they differ:
 * ListHotlineRecord has a Code "Success" and a list, GetRecordUrl no Code at all, GetRecordData a
 * numeric Code 200 next to HttpStatusCode, DescribeRecordData a flat answer without Data and its
 * own errors). Every link they hand out points at this mock (oss.c). Pages:
 * https://help.aliyun.com/zh/aiccs/developer-reference/api-aiccs-2019-10-15-listhotlinerecord
 * https://help.aliyun.com/zh/aiccs/developer-reference/api-aiccs-2019-10-15-getrecordurl
 * https://help.aliyun.com/zh/aiccs/api-getrecorddata
 * https://help.aliyun.com/zh/aiccs/developer-reference/api-describerecorddata */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The parameters the gateway requires, checked in the page's order: Missing<Param> for the first
 * one absent. */
static bool required(const struct aliyun_params *p, const char *const *names,
                     const struct aliyun_reply *reply, struct mock_response *resp)
{
    for (; *names; names++)
        if (!aliyun_param_given(p, *names)) {
            aliyun_error_missing(reply, resp, *names);
            return false;
        }
    return true;
}

/* The call the tenant has under that Acid, or NULL (an unknown tenant under the
 * unknown_instance=empty variant has none). false when the answer is NoTenantFound. */
static bool tenant_call(const struct aliyun_state *st, const char *instance_id, const char *acid,
                        const struct aliyun_attrs **call, const struct aliyun_reply *reply,
                        struct mock_response *resp)
{
    const struct aliyun_instance *tenant = aliyun_instance_find(st, instance_id);
    *call = NULL;
    if (!tenant && !st->unknown_instance_empty) {
        aliyun_error_no_tenant(reply, resp);
        return false;
    }
    if (tenant == &st->instances[0])
        *call = aliyun_find_acid(st, acid);
    return true;
}

/* An id member: a digit string as a JSON number under the record_ids=number variant, else the
 * string. false when out of memory. */
static bool add_id(const struct aliyun_state *st, cJSON *to, const char *name, const char *text)
{
    size_t len = strlen(text);
    bool digits = len > 0 && len < 16 && strspn(text, "0123456789") == len;
    if (st->record_ids_numbers && digits)
        return cJSON_AddNumberToObject(to, name, strtod(text, NULL)) != NULL;
    return cJSON_AddStringToObject(to, name, text) != NULL;
}

static void reply_with(const struct aliyun_reply *reply, struct mock_response *resp, cJSON *doc,
                       bool ok, const char *code)
{
    if (ok && doc)
        aliyun_send_document(reply, resp, doc, code);
    else
        aliyun_error_out_of_memory(resp);
    cJSON_Delete(doc);
}

/* ListHotlineRecord: one entry per recorded connection of the session; an unknown session, or
 * one nobody answered, has none (inferred). */
static void list_hotline_record(const struct aliyun_state *st, const struct aliyun_params *p,
                                const struct aliyun_link_base *base,
                                const struct aliyun_reply *reply, struct mock_response *resp)
{
    static const char *const needed[] = {"InstanceId", "CallId", NULL};
    const struct aliyun_attrs *call;
    const char *acid = aliyun_param_given(p, "CallId");
    if (!required(p, needed, reply, resp) ||
        !tenant_call(st, aliyun_param_given(p, "InstanceId"), acid, &call, reply, resp))
        return;
    int count = call ? aliyun_recording_count(call) : 0;
    if (count == 0 && st->missing_recording_error) {
        aliyun_error_system(reply, resp);
        return;
    }
    cJSON *doc = cJSON_CreateObject(), *data = NULL;
    bool ok = doc && cJSON_AddStringToObject(doc, "Message", "Success") &&
              cJSON_AddStringToObject(doc, "RequestId", reply->request_id) &&
              cJSON_AddStringToObject(doc, "Code", "Success") &&
              cJSON_AddBoolToObject(doc, "Success", true) &&
              (data = cJSON_AddArrayToObject(doc, "Data"));
    for (int i = 0; ok && i < count; i++) {
        char connection[48];
        int64_t start, end;
        aliyun_connection_id(call->acid, i, connection, sizeof(connection));
        aliyun_recording_span(call, i, &start, &end);
        char *url = aliyun_oss_link(st, base, call->acid, i);
        cJSON *entry = cJSON_CreateObject();
        if (!entry || !cJSON_AddItemToArray(data, entry)) {
            cJSON_Delete(entry);
            entry = NULL;
        }
        ok = url && entry && add_id(st, entry, "ConnectionId", connection) &&
             add_id(st, entry, "CallId", call->acid) &&
             cJSON_AddNumberToObject(entry, "StartTime", (double)start * 1000) &&
             cJSON_AddNumberToObject(entry, "EndTime", (double)end * 1000) &&
             cJSON_AddStringToObject(entry, "Url", url);
        free(url);
    }
    reply_with(reply, resp, doc, ok, "Success");
}

/* {"Acid", "OssLink"}: the link to the whole session's recording, or no OssLink when there is
 * none (the empty variant). false when out of memory. */
static bool add_link(const struct aliyun_state *st, cJSON *to, const struct aliyun_attrs *call,
                     const char *acid, const struct aliyun_link_base *base)
{
    if (!cJSON_AddStringToObject(to, "Acid", acid))
        return false;
    if (!call || aliyun_recording_count(call) == 0)
        return true;
    char *url = aliyun_oss_link(st, base, call->acid, -1);
    bool ok = url && cJSON_AddStringToObject(to, "OssLink", url);
    free(url);
    return ok;
}

static bool record_type_known(const char *type)
{
    return strcmp(type, "DUP_CALL") == 0 || strcmp(type, "IVR_CALL") == 0 ||
           strcmp(type, "SMART_CALL") == 0;
}

/* GetRecordUrl and GetRecordData: one session's link, in their two envelopes. Every call of the
 * dataset answers to each RecordType (it does not say which product placed a call; inferred). */
static void record_link(const struct aliyun_state *st, enum aliyun_action action,
                        const struct aliyun_params *p, const struct aliyun_link_base *base,
                        const struct aliyun_reply *reply, struct mock_response *resp)
{
    static const char *const url_needs[] = {"InstanceId", "Acid", "RecordType", NULL};
    static const char *const data_needs[] = {"InstanceId", "Acid", NULL};
    bool url_action = action == ALIYUN_GET_RECORD_URL;
    const struct aliyun_attrs *call;
    const char *acid = aliyun_param_given(p, "Acid");
    if (!required(p, url_action ? url_needs : data_needs, reply, resp))
        return;
    if (url_action && !record_type_known(aliyun_param_given(p, "RecordType"))) {
        aliyun_error_invalid(reply, resp, "RecordType");
        return;
    }
    if (!tenant_call(st, aliyun_param_given(p, "InstanceId"), acid, &call, reply, resp))
        return;
    if ((!call || aliyun_recording_count(call) == 0) && st->missing_recording_error) {
        aliyun_error_system(reply, resp);
        return;
    }
    cJSON *doc = cJSON_CreateObject(), *data = NULL;
    bool ok = doc != NULL;
    if (url_action) /* the page's example order, and no Code */
        ok = ok && cJSON_AddStringToObject(doc, "RequestId", reply->request_id) &&
             cJSON_AddBoolToObject(doc, "Success", true) &&
             cJSON_AddStringToObject(doc, "Message", "OK") &&
             (data = cJSON_AddObjectToObject(doc, "Data")) && add_link(st, data, call, acid, base);
    else
        ok = ok && cJSON_AddStringToObject(doc, "Message", "OK") &&
             cJSON_AddStringToObject(doc, "RequestId", reply->request_id) &&
             cJSON_AddNumberToObject(doc, "HttpStatusCode", 200) &&
             (data = cJSON_AddObjectToObject(doc, "Data")) &&
             add_link(st, data, call, acid, base) &&
             (st->record_data_code_string ? cJSON_AddStringToObject(doc, "Code", "200") != NULL
                                          : cJSON_AddNumberToObject(doc, "Code", 200) != NULL) &&
             cJSON_AddBoolToObject(doc, "Success", true);
    reply_with(reply, resp, doc, ok, url_action ? "OK" : "200");
}

/* The tenant whose accounts include this one, or NULL. */
static const struct aliyun_instance *account_tenant(const struct aliyun_state *st, const char *type,
                                                    const char *id)
{
    for (size_t i = 0; i < st->instance_count; i++)
        for (size_t k = 0; k < st->instances[i].account_count; k++)
            if (strcmp(st->instances[i].account_types[k], type) == 0 &&
                strcmp(st->instances[i].account_ids[k], id) == 0)
                return &st->instances[i];
    return NULL;
}

static void parameter_error(const struct aliyun_reply *reply, struct mock_response *resp)
{
    aliyun_error(reply, resp, 400, "Parameter.Error", "Parameter error.");
}

/* DescribeRecordData: no InstanceId; the account (AccountType, AccountId) names the tenant. Its
 * page lists only Parameter.Error and Permission.NotAuthorized, so every bad or missing parameter
 * is the first and an account that may not read the tenant the second (which parameters are
 * required is not shown: inferred). */
static void describe_record_data(const struct aliyun_state *st, const struct aliyun_params *p,
                                 const struct aliyun_link_base *base,
                                 const struct aliyun_reply *reply, struct mock_response *resp)
{
    const char *product = aliyun_param_given(p, "ProdCode");
    const char *type = aliyun_param_given(p, "AccountType");
    const char *account = aliyun_param_given(p, "AccountId");
    const char *acid = aliyun_param_given(p, "Acid");
    const char *level = aliyun_param_given(p, "SecLevel");
    bool level_ok = !level || (strlen(level) == 1 && level[0] >= '1' && level[0] <= '4');
    if (!type || !account || !acid || !level_ok || (product && strcmp(product, "aiccs") != 0)) {
        parameter_error(reply, resp);
        return;
    }
    const struct aliyun_instance *tenant = account_tenant(st, type, account);
    if (!tenant) {
        aliyun_error(reply, resp, 400, "Permission.NotAuthorized",
                     "Insufficient permissions. Please contact the primary account administrator.");
        return;
    }
    const struct aliyun_attrs *call =
        tenant == &st->instances[0] ? aliyun_find_acid(st, acid) : NULL;
    bool recorded = call && aliyun_recording_count(call) > 0;
    if (!recorded && st->missing_recording_error) {
        aliyun_error_system(reply, resp);
        return;
    }
    char *url = recorded ? aliyun_oss_link(st, base, call->acid, -1) : NULL;
    cJSON *doc = cJSON_CreateObject();
    bool ok = doc && (!recorded || url) && cJSON_AddStringToObject(doc, "Acid", acid) &&
              cJSON_AddStringToObject(doc, "RequestId", reply->request_id) &&
              cJSON_AddStringToObject(doc, "Message", "OK") &&
              (!url || cJSON_AddStringToObject(doc, "OssLink", url)) &&
              (!call || !call->servicer_id ||
               cJSON_AddStringToObject(doc, "AgentId", call->servicer_id)) &&
              cJSON_AddStringToObject(doc, "Code", "200");
    free(url);
    reply_with(reply, resp, doc, ok, "200");
}

void aliyun_recordings(const struct aliyun_state *st, enum aliyun_action action,
                       const struct aliyun_params *params, const struct aliyun_link_base *base,
                       const struct aliyun_reply *reply, struct mock_response *resp)
{
    if (action == ALIYUN_LIST_HOTLINE_RECORD)
        list_hotline_record(st, params, base, reply, resp);
    else if (action == ALIYUN_DESCRIBE_RECORD_DATA)
        describe_record_data(st, params, base, reply, resp);
    else
        record_link(st, action, params, base, reply, resp);
}
