/* libFuzzer target: arbitrary requests under /agentgateway/resource/ against the Huawei simulator,
 * most of them carrying the Guid of a signed-in agent so the fuzzer reaches the calldata routes,
 * the event poll, the Guid update and sign-out. The first byte picks the method; bit 0 of the
 * second byte signs agent 291 in afresh (force) before the request, bit 1 leaves the Guid out;
 * the rest is "PATH[?QUERY]\nBODY" after the prefix. Every answer must be an HTTP status the
 * layer can send; never crash, never leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mock_input.h"

#define PREFIX "/agentgateway/resource/"
#define SIGN_IN_BODY "{\"password\":\"demo-pass-291\",\"phonenum\":\"70291\"}"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Agent 291's Guid after a forced sign-in, into guid (empty when the sign-in failed). */
static void sign_in(char *guid, size_t cap)
{
    static const struct mock_kv headers[] = {{"Content-Type", "application/json"},
                                             {"Host", "fuzz:1"}};
    const char text[] = "onlineagent/291/forcelogin\n" SIGN_IN_BODY;
    struct fuzz_request r;
    guid[0] = '\0';
    if (!fuzz_request_init(&r, "PUT", PREFIX, text, sizeof(text) - 1, headers, 2))
        return;
    struct mock_response resp;
    fuzz_send(&r, &resp);
    for (size_t i = 0; i < resp.header_count; i++)
        if (strcasecmp(resp.headers[i].name, "Guid") == 0 && strlen(resp.headers[i].value) < cap)
            strcpy(guid, resp.headers[i].value);
    mock_response_free(&resp);
    fuzz_request_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char guid[256];
    if (size < 2)
        return 0;
    static const char *const methods[] = {"GET", "PUT", "DELETE", "POST"};
    const char *method = methods[data[0] % 4];
    if ((data[1] & 1) || !guid[0])
        sign_in(guid, sizeof(guid));
    struct mock_kv headers[] = {
        {"Content-Type", "application/json"}, {"Host", "fuzz:1"}, {"Guid", guid}};
    size_t header_count = (data[1] & 2) ? 2 : 3;
    struct fuzz_request r;
    if (!fuzz_request_init(&r, method, PREFIX, (const char *)data + 2, size - 2, headers,
                           header_count))
        return 0;
    struct mock_response resp;
    fuzz_send(&r, &resp);
    mock_response_free(&resp);
    fuzz_request_free(&r);
    return 0;
}
