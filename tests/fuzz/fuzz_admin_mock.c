/* libFuzzer target: the admin API under /__cdrsim/ (health, reset, the clock, every vendor's own
 * admin routes such as Huawei's call and event injection). The first byte picks the method, the
 * rest is "PATH[?QUERY]\nBODY" after the prefix. A reset is left out (it reloads every fixture,
 * too slow to fuzz); a clock set anywhere is put back, so each input starts from the same
 * instant. Every answer must be an HTTP status the layer can send; never crash, never leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mock_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *const methods[] = {"GET", "PUT", "POST", "DELETE"};
    static const struct mock_kv headers[] = {{"Content-Type", "application/json"},
                                             {"Host", "fuzz:1"}};
    struct fuzz_request r;
    if (!fuzz_request_init(&r, methods[data[0] % 4], "/__cdrsim/", (const char *)data + 1, size - 1,
                           headers, 2))
        return 0;
    if (strncmp(r.path, "/__cdrsim/reset", strlen("/__cdrsim/reset")) == 0) {
        fuzz_request_free(&r);
        return 0;
    }
    struct mock_server *server = fuzz_mock();
    struct mock_response resp;
    fuzz_send(&r, &resp);
    mock_response_free(&resp);
    fuzz_request_free(&r);
    mock_clock_freeze(&server->clock, 1746057600000LL);
    return 0;
}
