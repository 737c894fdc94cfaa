/* libFuzzer target: libcdrsim's Alibaba Cloud readers on hostile bytes: the HotlineSessionQuery
 * page, the recording and transcript actions' answers, and one record. Byte 0 picks the reader
 * and the HTTP status the body came with; any input must yield CDR_OK or a cdr_error with the
 * status noted, never a crash or a leak. */
#include <stdint.h>
#include <stdlib.h>

#include "cdrsim/aliyun.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const long statuses[] = {200, 400, 404, 500};
    long status = statuses[(data[0] >> 4) % 4];
    const char *body = (const char *)data + 1;
    size_t len = size - 1;
    struct cdr_error_info err;
    cdr_error rc;
    switch (data[0] % 5) {
    case 0: {
        struct cdr_aliyun_page page;
        rc = cdr_aliyun_parse_page(body, len, status, &page, &err);
        for (size_t i = 0; rc == CDR_OK && i < page.record_count; i++)
            if (!page.records[i].id)
                abort();
        cdr_aliyun_page_free(&page);
        break;
    }
    case 1: {
        struct cdr_aliyun_recordings list;
        rc = cdr_aliyun_parse_recordings(body, len, status, &list, &err);
        cdr_aliyun_recordings_free(&list);
        break;
    }
    case 2: {
        struct cdr_aliyun_record_link link;
        rc = cdr_aliyun_parse_record_link(body, len, status, &link, &err);
        cdr_aliyun_record_link_free(&link);
        break;
    }
    case 3: {
        struct cdr_aliyun_messages list;
        rc = cdr_aliyun_parse_messages(body, len, status, &list, &err);
        cdr_aliyun_messages_free(&list);
        break;
    }
    default: {
        struct cdr_record rec;
        rc = cdr_aliyun_normalize_json(body, len, &rec, &err);
        if (rc == CDR_OK && !rec.id)
            abort();
        cdr_record_free(&rec);
        status = 0;
        break;
    }
    }
    /* A failure says with which status it came (when there was one). */
    if (rc != CDR_OK && status && err.http_status != status && rc != CDR_ERR_NO_MEMORY)
        abort();
    return 0;
}
