/* ITNIO requests, read the way its Jackson-bound Java service reads them (jackson.c): a JSON
 * object, a string where an Integer is declared is a parameter error (-22), null counts as absent.
 * An empty string or list item means "no filter", for every filter: the vendor's own examples
 * send "" for what they leave unset. Which inputs give -22 is inferred; docs/vendors/itnio.md
 * sections 3 to 5. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/timefmt.h"
#include "internal.h"

int itnio_params_body(const struct itnio_state *st, const struct mock_request *req, cJSON **body)
{
    *body = itnio_jackson_parse(req->body, req->body_len, st->v.json_trailing_ignored);
    if (cJSON_IsObject(*body))
        return ITNIO_OK;
    cJSON_Delete(*body);
    *body = NULL;
    return ITNIO_PARAMETER;
}

/* current/size, defaults 1 and 25. */
static int read_paging(const cJSON *body, struct itnio_paging *paging)
{
    enum mock_jv_result c = itnio_jackson_int(body, "current", &paging->current);
    enum mock_jv_result s = itnio_jackson_int(body, "size", &paging->size);
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

/* Both forms the vendor's pages use (https://itniotech.com/api/call/queryRecord): the examples'
 * "2025-01-08 00:00:00" (UTC+8) and the table's ISO 8601 with an offset. */
static bool parse_time(const cJSON *params, const char *key, int64_t *out)
{
    const char *text;
    if (mock_jv_string(params, key, &text) != MOCK_JV_OK)
        return false;
    return cdr_time_parse_local(text, CDR_CHINA_OFFSET_SECONDS, out) ||
           cdr_time_parse_iso8601(text, CDR_CHINA_OFFSET_SECONDS, out);
}

/* A String filter: "" is no filter. */
static enum mock_jv_result string_filter(const cJSON *params, const char *key, const char **out)
{
    *out = NULL;
    enum mock_jv_result r = mock_jv_string(params, key, out);
    if (r == MOCK_JV_OK && !**out) {
        *out = NULL;
        return MOCK_JV_ABSENT;
    }
    return r;
}

/* A List<String> filter: "" items are dropped, and a list of nothing else is no filter. */
static enum mock_jv_result string_list_filter(const cJSON *params, const char *key,
                                              const char ***out, size_t *count)
{
    enum mock_jv_result r = itnio_jackson_string_list(params, key, out, count);
    size_t kept = 0;
    for (size_t i = 0; i < *count; i++)
        if ((*out)[i][0])
            (*out)[kept++] = (*out)[i];
    *count = kept;
    if (!kept) {
        free(*out);
        *out = NULL;
    }
    return r;
}

static int read_record_filter(const cJSON *params, struct itnio_record_filter *f)
{
    if (!cJSON_IsObject(params) || !parse_time(params, "startTime", &f->start) ||
        !parse_time(params, "endTime", &f->end))
        return ITNIO_PARAMETER;
    enum mock_jv_result r[10];
    r[0] = itnio_jackson_int(params, "voiceGroupId", &f->group_id);
    f->has_group_id = r[0] == MOCK_JV_OK;
    r[1] = string_filter(params, "sipGroupName", &f->group_name);
    r[2] = itnio_jackson_int_list(params, "seatId", &f->seat_ids, &f->seat_id_count);
    r[3] = string_list_filter(params, "seatNameList", &f->seat_names, &f->seat_name_count);
    r[4] = itnio_jackson_int_list(params, "callType", &f->call_types, &f->call_type_count);
    r[5] =
        itnio_jackson_int_list(params, "hangupReason", &f->hangup_reasons, &f->hangup_reason_count);
    r[6] = string_filter(params, "calledOrCaller", &f->number);
    r[7] = string_list_filter(params, "ccode", &f->ccodes, &f->ccode_count);
    r[8] = itnio_jackson_int_list(params, "hangingDirection", &f->directions, &f->direction_count);
    r[9] = string_list_filter(params, "labelNames", &f->labels, &f->label_count);
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
        string_filter(params, "groupName", name) == MOCK_JV_WRONG_TYPE)
        return ITNIO_PARAMETER;
    return ITNIO_OK;
}

/* strTime/endTime: both, or (the older page, a variant) neither. At most 32 days apart ("与结束
 * 时间相差32天", https://itniotech.cn/api/call/querySeat); the code for a longer or missing window
 * is not documented: the general parameter error. */
static int read_seat_window(const struct itnio_state *st, const cJSON *params,
                            struct itnio_seat_filter *f)
{
    const cJSON *from = cJSON_GetObjectItemCaseSensitive(params, "strTime");
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(params, "endTime");
    bool given = (from && !cJSON_IsNull(from)) || (to && !cJSON_IsNull(to));
    if (!given && st->v.seat_window_optional)
        return ITNIO_OK;
    if (!parse_time(params, "strTime", &f->start) || !parse_time(params, "endTime", &f->end) ||
        f->start > f->end || f->end - f->start > ITNIO_MAX_SEAT_RANGE)
        return ITNIO_PARAMETER;
    f->has_window = true;
    return ITNIO_OK;
}

int itnio_params_seat_query(const struct itnio_state *st, const cJSON *body,
                            struct itnio_paging *paging, struct itnio_seat_filter *f)
{
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(body, "params");
    *f = (struct itnio_seat_filter){0};
    if (read_paging(body, paging) != ITNIO_OK || !params_shape_ok(params))
        return ITNIO_PARAMETER;
    enum mock_jv_result r[4] = {
        itnio_jackson_int(params, "enable", &f->enable),
        itnio_jackson_int(params, "voiceGroupId", &f->group),
        itnio_jackson_int(params, "status", &f->status),
        string_filter(params, "name", &f->name),
    };
    f->has_enable = r[0] == MOCK_JV_OK;
    f->has_group = r[1] == MOCK_JV_OK;
    f->has_status = r[2] == MOCK_JV_OK;
    for (size_t i = 0; i < 4; i++)
        if (r[i] == MOCK_JV_WRONG_TYPE)
            return ITNIO_PARAMETER;
    return read_seat_window(st, params, f);
}

int itnio_params_query_int(const struct mock_request *req, const char *name, int64_t *out)
{
    const char *text = mock_request_query(req, name);
    if (!text || !*text)
        return ITNIO_PARAMETER;
    errno = 0;
    char *end;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || *end || !itnio_jackson_java_int((double)v))
        return ITNIO_PARAMETER;
    *out = v;
    return ITNIO_OK;
}
