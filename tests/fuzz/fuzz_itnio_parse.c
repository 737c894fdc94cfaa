/* libFuzzer target: the ITNIO answer parsers on hostile bytes. The first byte picks the parser
 * (record page, group settings, recording URL); any input must yield CDR_OK or a cdr_error, never
 * a crash or a leak; on success what the parser promises is there. */
#include <stdint.h>
#include <stdlib.h>

#include "cdrsim/itnio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *body = size ? (const char *)data + 1 : "";
    size_t len = size ? size - 1 : 0;
    struct cdr_error_info err;
    switch (size ? data[0] % 3 : 0) {
    case 0: {
        struct cdr_itnio_page page;
        if (cdr_itnio_parse_page(body, len, &page, &err) == CDR_OK) {
            for (size_t i = 0; i < page.record_count; i++)
                if (!page.records[i].id)
                    abort();
            cdr_itnio_page_free(&page);
        }
        break;
    }
    case 1: {
        struct cdr_itnio_group_settings s;
        if (cdr_itnio_parse_group_settings(body, len, &s, &err) == CDR_OK) {
            if (!s.raw_json || s.voice_group_id == CDR_ITNIO_UNSET)
                abort();
            cdr_itnio_group_settings_free(&s);
        }
        break;
    }
    default: {
        struct cdr_itnio_recording_url link;
        if (cdr_itnio_parse_recording_url(body, len, &link, &err) == CDR_OK) {
            if (!link.url || !link.url[0])
                abort();
            cdr_itnio_recording_url_free(&link);
        }
        break;
    }
    }
    return 0;
}
