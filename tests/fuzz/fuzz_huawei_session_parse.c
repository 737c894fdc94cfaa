/* libFuzzer target: the readers of the Huawei client's agent session on hostile bytes: the
 * envelope, then the sign-in result and the event of a poll read from it (the calldata and
 * history readers are fuzz_huawei_parse's). Any input must yield CDR_OK or a cdr_error, never a
 * crash or a leak; what parses is complete. */
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
