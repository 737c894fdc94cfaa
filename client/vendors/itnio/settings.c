/* An ITNIO agent group's basic settings: GET /v3/cc/seatGroup/basicSettingResp?voiceGroupId=N
 * (https://kxnrh7nfk8zwevuu.itniotech.com/api/call/basicSettingResp). The page's example names
 * the id seatGroupId and its table voiceGroupId; integers may come as numbers, numeric strings,
 * "" or null (the edit page's example sends "" for an unset one). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "json_get.h"

void cdr_itnio_group_settings_free(struct cdr_itnio_group_settings *s)
{
    if (!s)
        return;
    free(s->group_name);
    free(s->app_name);
    free(s->turn_seat_ring);
    free(s->turn_seat_ring_url);
    for (size_t i = 0; i < s->label_name_count; i++)
        free(s->label_names[i]);
    free(s->label_names);
    free(s->fs_node);
    free(s->raw_json);
    memset(s, 0, sizeof(*s));
}

static int64_t int_or_unset(const cJSON *obj, const char *key)
{
    int64_t v;
    return cdr__json_get_int(obj, key, &v) ? v : CDR_ITNIO_UNSET;
}

static bool read_labels(const cJSON *data, struct cdr_itnio_group_settings *s)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(data, "labelName");
    size_t n = cJSON_IsArray(list) ? (size_t)cJSON_GetArraySize(list) : 0;
    if (!n)
        return true;
    if (!(s->label_names = calloc(n, sizeof(*s->label_names))))
        return false;
    const cJSON *e;
    cJSON_ArrayForEach(e, list) {
        if (!cJSON_IsString(e))
            continue;
        if (!(s->label_names[s->label_name_count] = strdup(e->valuestring)))
            return false;
        s->label_name_count++;
    }
    return true;
}

cdr_error cdr_itnio_parse_group_settings(const char *body, size_t len,
                                         struct cdr_itnio_group_settings *out,
                                         struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    cJSON *root;
    const cJSON *data;
    cdr_error rc = cdr__itnio_open_data(body, len, &root, &data, err);
    if (rc != CDR_OK)
        return rc;
    int64_t id = int_or_unset(data, "seatGroupId");
    if (id == CDR_ITNIO_UNSET)
        id = int_or_unset(data, "voiceGroupId");
    if (id == CDR_ITNIO_UNSET) {
        cJSON_Delete(root);
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                             "data is not a group's settings (no seatGroupId or voiceGroupId)");
    }
    bool ok = true;
    out->voice_group_id = id;
    out->group_name = cdr__json_dup_text(data, "groupName", &ok);
    out->app_name = cdr__json_dup_text(data, "appName", &ok);
    out->callin_strategy = int_or_unset(data, "callinStrategy");
    out->timeout_transfer_sec = int_or_unset(data, "timeoutTransferSec");
    out->callin_auto_answer_sec = int_or_unset(data, "callinAutoAnswerSec");
    out->wrap_up_time = int_or_unset(data, "wrapUpTime");
    out->timeout_idle = int_or_unset(data, "timeoutIdle");
    out->timeout_wait_sec = int_or_unset(data, "timeoutWaitSec");
    out->turn_seat_ring = cdr__json_dup_text(data, "turnSeatRing", &ok);
    out->turn_seat_ring_url = cdr__json_dup_text(data, "turnSeatRingUrl", &ok);
    out->display_switch = int_or_unset(data, "displaySwitch");
    out->encrypt_number = int_or_unset(data, "encryptNumber");
    out->fs_node = cdr__json_dup_text(data, "fsNode", &ok);
    ok = read_labels(data, out) && ok;
    out->raw_json = cdr__json_print(data);
    cJSON_Delete(root);
    if (!ok || !out->raw_json) {
        cdr_itnio_group_settings_free(out);
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    }
    return CDR_OK;
}

static cdr_error parse_settings(const char *body, size_t len, void *out, struct cdr_error_info *err)
{
    return cdr_itnio_parse_group_settings(body, len, out, err);
}

cdr_error cdr_itnio_get_group_settings(struct cdr_itnio_client *c, int64_t voice_group_id,
                                       struct cdr_itnio_group_settings *out,
                                       struct cdr_error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (!c)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client");
    char path[96];
    snprintf(path, sizeof(path), "/v3/cc/seatGroup/basicSettingResp?voiceGroupId=%lld",
             (long long)voice_group_id);
    return cdr__itnio_query(c, path, NULL, parse_settings, out, err);
}
