/* Huawei call information over a signed-in session: the agent's current or last call (with the
 * isNoContainLastCall flag read either way), a call by id, the held calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* GET a calldata path and take its one call, if any. */
static cdr_error one_call(struct cdr_huawei_session *s, const char *path, struct cdr_record *out,
                          bool *found, struct cdr_error_info *err)
{
    cJSON *root;
    struct cdr_record *recs;
    size_t count = 0;
    cdr_error rc = cdr__huawei_exchange(s, "GET", path, NULL, true, false, &root, err);
    if (rc == CDR_OK)
        rc = cdr__huawei_result_calls(root, &recs, &count, err);
    cJSON_Delete(root);
    if (rc != CDR_OK)
        return rc;
    if (count > 1) {
        cdr_huawei_records_free(recs, count);
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "a list where one call was expected");
    }
    *found = count == 1;
    if (*found)
        *out = recs[0];
    free(recs);
    return CDR_OK;
}

static cdr_error call_info_flag(struct cdr_huawei_session *s, bool flag, struct cdr_record *out,
                                bool *found, struct cdr_error_info *err)
{
    char path[96];
    snprintf(path, sizeof(path), "/calldata/%s/callinfo?isNoContainLastCall=%s", s->agent_id,
             flag ? "true" : "false");
    return one_call(s, path, out, found, err);
}

cdr_error cdr_huawei_call_info(struct cdr_huawei_session *s, bool include_last_call,
                               struct cdr_record *out, bool *found, struct cdr_error_info *err)
{
    cdr_record_init(out);
    *found = false;
    if (!s)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing session");
    /* The flag value that asks for the last call under the configured meaning; AUTO starts with
     * the documented one. */
    bool last_flag = s->lastcall_flag != CDR_HUAWEI_LASTCALL_NAME;
    cdr_error rc = call_info_flag(s, include_last_call ? last_flag : !last_flag, out, found, err);
    if (rc == CDR_OK && include_last_call && !*found &&
        s->lastcall_flag == CDR_HUAWEI_LASTCALL_AUTO)
        rc = call_info_flag(s, !last_flag, out, found,
                            err); /* the server reads the flag the other way */
    /* Only the current call was asked for, but a server with the other meaning sent the last one:
     * an ended call is not current. */
    if (rc == CDR_OK && *found && !include_last_call && out->end_time != CDR_TIME_NONE) {
        cdr_record_free(out);
        *found = false;
    }
    return rc;
}

cdr_error cdr_huawei_call_by_id(struct cdr_huawei_session *s, const char *callid,
                                struct cdr_record *out, bool *found, struct cdr_error_info *err)
{
    cdr_record_init(out);
    *found = false;
    if (!s || !callid || !*callid)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing session or call ID");
    /* Servlet containers refuse an encoded slash in a path; no call ID of the gateway has one. */
    if (strchr(callid, '/'))
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "a call ID cannot contain '/'");
    char *path = cdr__huawei_call_by_id_path(s->agent_id, callid);
    cdr_error rc = path ? one_call(s, path, out, found, err)
                        : cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    free(path);
    return rc;
}

cdr_error cdr_huawei_hold_list(struct cdr_huawei_session *s, struct cdr_record **recs,
                               size_t *count, struct cdr_error_info *err)
{
    *recs = NULL;
    *count = 0;
    cJSON *root;
    cdr_error rc = cdr__huawei_simple(s, "GET", "/calldata/%s/holdlist", true, &root, err);
    if (rc == CDR_OK)
        rc = cdr__huawei_result_calls(root, recs, count, err);
    cJSON_Delete(root);
    return rc;
}
