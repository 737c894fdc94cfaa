/* libFuzzer target: libcdrsim's Huawei parsers on hostile bytes: a calldata answer, a
 * queryCallDetailRecord answer (as HTTP 200 and as a gateway error), one call object, one history
 * record, and a saved answer through the descriptor. Any input must yield CDR_OK or a cdr_error,
 * never a crash or a leak; on success every record has an id. */
#include <stdint.h>
#include <stdlib.h>

#include "cdrsim/huawei.h"

static void expect_ids(const struct cdr_record *recs, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (!recs[i].id)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct cdr_error_info err;
    struct cdr_record *recs;
    size_t count;
    if (cdr_huawei_parse_calls(text, size, &recs, &count, &err) == CDR_OK) {
        expect_ids(recs, count);
        cdr_huawei_records_free(recs, count);
    }
    static const long statuses[] = {200, 401};
    for (size_t i = 0; i < 2; i++) {
        struct cdr_huawei_history_page p;
        if (cdr_huawei_parse_history(text, size, statuses[i], &p, &err) == CDR_OK) {
            expect_ids(p.records, p.record_count);
            cdr_huawei_history_page_free(&p);
        }
    }
    struct cdr_record r;
    if (cdr_huawei_normalize_json(text, size, &r, &err) == CDR_OK) {
        expect_ids(&r, 1);
        cdr_record_free(&r);
    }
    if (cdr_huawei_history_normalize_json(text, size, &r, &err) == CDR_OK) {
        expect_ids(&r, 1);
        cdr_record_free(&r);
    }
    struct cdr_page page;
    if (cdr_vendor_parse(cdr_vendor_find("huawei"), text, size, 200, &page, &err) == CDR_OK)
        expect_ids(page.records, page.record_count);
    cdr_page_free(&page);
    return 0;
}
