/* libFuzzer target: the ITNIO response parser on hostile bytes. Any input must yield CDR_OK or a
 * cdr_error, never a crash or a leak; on success every record has an id. */
#include <stdint.h>
#include <stdlib.h>

#include "cdrsim/itnio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cdr_itnio_page page;
    struct cdr_error_info err;
    cdr_error rc = cdr_itnio_parse_page((const char *)data, size, &page, &err);
    if (rc == CDR_OK) {
        for (size_t i = 0; i < page.record_count; i++)
            if (!page.records[i].id)
                abort();
        cdr_itnio_page_free(&page);
    }
    return 0;
}
