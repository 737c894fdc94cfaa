/* Huawei call information over a signed-in session: the agent's current or last call (with the
 * isNoContainLastCall flag read either way), a call by id, the held calls, and a recording by the
 * file name an AgentMediaEvent_Record gave. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cdrsim/buf.h"
#include "cdrsim/sign.h"
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

/* ---- recordfile ------------------------------------------------------------------------------ */

cdr_error cdr_huawei_recordfile(struct cdr_huawei_session *s, const char *record_id, int filetype,
                                const char *location_id, cdr_huawei_write_fn write, void *user,
                                struct cdr_error_info *err)
{
    if (!s || !record_id || !record_id[0] || !write)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT,
                             "missing session, record id or write callback");
    if (filetype < 0 || filetype > 2)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "filetype is 1 or 2");
    char *id = cdr_percent_encode(record_id, strlen(record_id));
    char *location = location_id ? cdr_percent_encode(location_id, strlen(location_id)) : NULL;
    struct cdr_buf path;
    cdr_buf_init(&path);
    cdr_buf_printf(&path, "/recordfile/%s?recordId=%s&filetype=%d", s->agent_id, id ? id : "",
                   filetype ? filetype : 1);
    if (location)
        cdr_buf_printf(&path, "&locationId=%s", location);
    cdr_error rc;
    struct cdr_http_response resp;
    if (!id || (location_id && !location) || path.failed) {
        rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    } else if ((rc = cdr__huawei_send(s, "GET", path.data, NULL, NULL, true, false, &resp, err)) ==
               CDR_OK) {
        /* Success is the file's bytes; a failure is the gateway's JSON envelope. */
        const char *type = cdr_http_response_header(&resp, "Content-Type");
        bool json = type && strncasecmp(type, "application/json", 16) == 0;
        cJSON *root = NULL;
        if (resp.status != 200)
            rc = cdr_error_set(err, resp.status == 404 ? CDR_ERR_NOT_FOUND : CDR_ERR_HTTP,
                               "HTTP %ld from recordfile", resp.status);
        else if (json &&
                 (rc = cdr__huawei_parse_envelope(resp.body, resp.body_len, &root, err)) == CDR_OK)
            rc = cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE,
                               "recordfile answered JSON without a failure");
        else if (!json)
            rc = cdr__huawei_write_all(resp.body, resp.body_len, write, user, err);
        if (err && rc != CDR_OK && !err->http_status)
            err->http_status = resp.status;
        cJSON_Delete(root);
        cdr_http_response_free(&resp);
    }
    free(id);
    free(location);
    cdr_buf_free(&path);
    return rc;
}
