/* libFuzzer target: the push parsers (cdr_push_parse) on hostile bytes, the vendor picked by the
 * first byte. Any input must yield CDR_OK or a cdr_error, never a crash or a leak; what parses is
 * complete (every record has its id and the pushed object) and a failure leaves nothing. */
#include <stdint.h>
#include <stdlib.h>

#include "cdrsim/vendor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    static const char *const vendors[] = {"itnio", "yunfu", "huawei", "aliyun"};
    const struct cdr_vendor *v = cdr_vendor_find(vendors[data[0] % 4]);
    struct cdr_push push;
    struct cdr_error_info err;
    if (cdr_push_parse(v, (const char *)data + 1, size - 1, &push, &err) != CDR_OK) {
        if (push.records || push.record_count)
            abort();
        return 0;
    }
    for (size_t i = 0; i < push.record_count; i++)
        if (!push.records[i].id || !push.records[i].raw_json)
            abort();
    cdr_push_free(&push);
    return 0;
}
