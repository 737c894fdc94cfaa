/* libFuzzer target: the Huawei client's readers on hostile bytes: a calldata answer (callinfo,
 * callinfobycallid, holdlist), one call object normalized, and the envelope with the sign-in and
 * event-poll results read from it. Any input must yield CDR_OK or a cdr_error, never a crash or a
 * leak; what parses is complete. */
#include <stdint.h>
#include <stdlib.h>

#include <cJSON.h>

#include "cdrsim/huawei.h"
#include "vendors/huawei/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *body = (const char *)data;
    struct cdr_error_info err;
    struct cdr_record *recs = NULL;
    size_t count = 0;
    if (cdr_huawei_parse_calls(body, size, &recs, &count, &err) == CDR_OK) {
        if (count && !recs)
            abort();
        cdr_huawei_records_free(recs, count);
    }
    struct cdr_record one;
    if (cdr_huawei_normalize_json(body, size, &one, &err) == CDR_OK)
        cdr_record_free(&one);
    cJSON *root = NULL;
    if (cdr__huawei_parse_envelope(body, size, &root, &err) == CDR_OK) {
        if (!root)
            abort();
        struct cdr_huawei_login login;
        cdr__huawei_read_login(root, &login);
        struct cdr_huawei_event event;
        if (cdr__huawei_read_event(root, &event, &err) == CDR_OK) {
            if (event.type && !event.content_json)
                abort();
            cdr_huawei_event_free(&event);
        }
        cJSON_Delete(root);
    }
    return 0;
}
