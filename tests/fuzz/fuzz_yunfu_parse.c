/* libFuzzer target: the Yunfu client's parsers on hostile bytes (a record list page, a detail, a
 * task page, a batch of play URLs, the token), under the HTTP status the first byte picks. Any
 * input must yield CDR_OK or a cdr_error, never a crash or a leak; what parses is complete. */
#include <stdint.h>
#include <stdlib.h>

#include "cdrsim/yunfu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    static const long statuses[] = {200, 0, 401, 404, 422, 429, 500, 302};
    long status = statuses[data[0] % 8];
    const char *body = (const char *)data + 1;
    size_t len = size - 1;
    struct cdr_error_info err;
    struct cdr_yunfu_page page;
    if (cdr_yunfu_parse_page(body, len, status, &page, &err) == CDR_OK) {
        for (size_t i = 0; i < page.record_count; i++)
            if (!page.records[i].id)
                abort();
        cdr_yunfu_page_free(&page);
    }
    struct cdr_yunfu_detail detail;
    if (cdr_yunfu_parse_detail(body, len, status, &detail, &err) == CDR_OK) {
        for (size_t i = 1; i < detail.utterance_count; i++)
            if (detail.utterances[i].sequence < detail.utterances[i - 1].sequence ||
                !detail.utterances[i].raw_json)
                abort();
        cdr_yunfu_detail_free(&detail);
    }
    struct cdr_yunfu_task_page tasks;
    if (cdr_yunfu_parse_tasks(body, len, status, &tasks, &err) == CDR_OK) {
        for (size_t i = 0; i < tasks.task_count; i++)
            if (!tasks.tasks[i].id || !tasks.tasks[i].raw_json)
                abort();
        cdr_yunfu_task_page_free(&tasks);
    }
    struct cdr_yunfu_voice_urls urls;
    if (cdr_yunfu_parse_voice_urls(body, len, status, &urls, &err) == CDR_OK) {
        for (size_t i = 0; i < urls.count; i++)
            if (!urls.items[i].record_id)
                abort();
        cdr_yunfu_voice_urls_free(&urls);
    }
    struct cdr_yunfu_token_info token;
    (void)cdr_yunfu_parse_token(body, len, status, &token, &err);
    return 0;
}
