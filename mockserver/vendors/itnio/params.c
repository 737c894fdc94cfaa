/* ITNIO request bodies, read the way a Jackson-bound Java service reads them: a JSON object, a
 * string where an Integer is declared is a parameter error (-22), null counts as absent. Which
 * inputs give -22 is inferred; docs/vendors/itnio.md sections 3 to 5. */
#include <stdlib.h>

#include "../../jsonval.h"
#include "cdrsim/timefmt.h"
#include "internal.h"

int itnio_params_body(const struct mock_request *req, cJSON **body)
{
    *body = cJSON_ParseWithLength(req->body, req->body_len);
    if (cJSON_IsObject(*body))
        return ITNIO_OK;
    cJSON_Delete(*body);
    *body = NULL;
    return ITNIO_PARAMETER;
}

/* current/size, defaults 1 and 25. */
static int read_paging(const cJSON *body, struct itnio_paging *paging)
{
    enum mock_jv_result c = mock_jv_int(body, "current", &paging->current);
    enum mock_jv_result s = mock_jv_int(body, "size", &paging->size);
    /* Documented as required; the defaults are the sibling pages'. */
    if (c == MOCK_JV_ABSENT)
        paging->current = 1;
    if (s == MOCK_JV_ABSENT)
        paging->size = 25;
    bool ok = c != MOCK_JV_WRONG_TYPE && s != MOCK_JV_WRONG_TYPE && paging->current >= 1 &&
              paging->size >= 1 && paging->size <= 100;
    return ok ? ITNIO_OK : ITNIO_PARAMETER;
}

void itnio_params_free_record_filter(struct itnio_record_filter *f)
{
    free(f->seat_ids);
    free(f->seat_names);
    free(f->call_types);
    free(f->hangup_reasons);
    free(f->ccodes);
    free(f->directions);
    free(f->labels);
}

/* Both forms the vendor's page uses (https://itniotech.com/api/call/queryRecord): the examples'
 * "2025-01-08 00:00:00" (UTC+8) and the table's ISO 8601 with an offset. */
static bool parse_time(const cJSON *params, const char *key, int64_t *out)
{
    const char *text;
    if (mock_jv_string(params, key, &text) != MOCK_JV_OK)
        return false;
    return cdr_time_parse_local(text, CDR_CHINA_OFFSET_SECONDS, out) ||
           cdr_time_parse_iso8601(text, CDR_CHINA_OFFSET_SECONDS, out);
}

static int read_record_filter(const cJSON *params, struct itnio_record_filter *f)
{
    if (!cJSON_IsObject(params) || !parse_time(params, "startTime", &f->start) ||
        !parse_time(params, "endTime", &f->end))
        return ITNIO_PARAMETER;
    enum mock_jv_result r[10];
    r[0] = mock_jv_int(params, "voiceGroupId", &f->group_id);
    f->has_group_id = r[0] == MOCK_JV_OK;
    r[1] = mock_jv_string(params, "sipGroupName", &f->group_name);
    r[2] = mock_jv_int_list(params, "seatId", &f->seat_ids, &f->seat_id_count);
    r[3] = mock_jv_string_list(params, "seatNameList", &f->seat_names, &f->seat_name_count);
    r[4] = mock_jv_int_list(params, "callType", &f->call_types, &f->call_type_count);
    r[5] = mock_jv_int_list(params, "hangupReason", &f->hangup_reasons, &f->hangup_reason_count);
    r[6] = mock_jv_string(params, "calledOrCaller", &f->number);
    r[7] = mock_jv_string_list(params, "ccode", &f->ccodes, &f->ccode_count);
    r[8] = mock_jv_int_list(params, "hangingDirection", &f->directions, &f->direction_count);
    r[9] = mock_jv_string_list(params, "labelNames", &f->labels, &f->label_count);
    for (size_t i = 0; i < 10; i++)
        if (r[i] == MOCK_JV_WRONG_TYPE)
            return ITNIO_PARAMETER;
    if (f->start > f->end)
        return ITNIO_PARAMETER;
    if (f->end - f->start > ITNIO_MAX_RANGE)
        return ITNIO_RANGE;
    return ITNIO_OK;
}

int itnio_params_record_query(const cJSON *body, struct itnio_paging *paging,
                              struct itnio_record_filter *filter)
{
    *filter = (struct itnio_record_filter){0};
    int status = read_paging(body, paging);
    if (status != ITNIO_OK)
        return status;
    status = read_record_filter(cJSON_GetObjectItemCaseSensitive(body, "params"), filter);
    if (status != ITNIO_OK)
        itnio_params_free_record_filter(filter);
    return status;
}

/* `params` may be absent or null; anything else but an object is a parameter error. */
static bool params_shape_ok(const cJSON *params)
{
    return !params || cJSON_IsObject(params) || cJSON_IsNull(params);
}

int itnio_params_group_query(const cJSON *body, struct itnio_paging *paging, const char **name)
{
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(body, "params");
    *name = NULL;
    if (read_paging(body, paging) != ITNIO_OK || !params_shape_ok(params) ||
        mock_jv_string(params, "groupName", name) == MOCK_JV_WRONG_TYPE)
        return ITNIO_PARAMETER;
    return ITNIO_OK;
}

int itnio_params_seat_query(const cJSON *body, struct itnio_paging *paging,
                            struct itnio_seat_filter *f)
{
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(body, "params");
    *f = (struct itnio_seat_filter){0};
    enum mock_jv_result r[4] = {MOCK_JV_ABSENT, MOCK_JV_ABSENT, MOCK_JV_ABSENT, MOCK_JV_ABSENT};
    if (cJSON_IsObject(params)) {
        r[0] = mock_jv_int(params, "enable", &f->enable);
        r[1] = mock_jv_int(params, "voiceGroupId", &f->group);
        r[2] = mock_jv_int(params, "status", &f->status);
        r[3] = mock_jv_string(params, "name", &f->name);
    }
    f->has_enable = r[0] == MOCK_JV_OK;
    f->has_group = r[1] == MOCK_JV_OK;
    f->has_status = r[2] == MOCK_JV_OK;
    bool bad = !params_shape_ok(params);
    for (size_t i = 0; i < 4; i++)
        bad = bad || r[i] == MOCK_JV_WRONG_TYPE;
    if (read_paging(body, paging) != ITNIO_OK || bad)
        return ITNIO_PARAMETER;
    return ITNIO_OK;
}
