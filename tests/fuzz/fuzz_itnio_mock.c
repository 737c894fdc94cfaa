/* libFuzzer target: arbitrary bodies (and a fuzzed Timestamp) against the ITNIO simulator, signed
 * correctly so the fuzzer reaches validation, filtering and paging. The server must answer every
 * input with HTTP 200 and a JSON envelope, never crash, never leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/sign.h"
#include "server.h"

static struct mock_server *server;
static struct mock_config config;

static void setup(void)
{
    mock_config_init(&config);
    config.data_dir = strdup(CDRSIM_SOURCE_DIR "/fixtures");
    config.clock_given = true;
    config.clock_start_ms = 1746057600000LL; /* 2025-05-01T00:00:00Z */
    config.log_format = MOCK_LOG_OFF;
    char err[512];
    server = mock_server_new(&config, err, sizeof(err));
    if (!server)
        abort();
    mock_clock_freeze(&server->clock, config.clock_start_ms);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!server)
        setup();
    /* First byte picks the route, the rest is the body. */
    static const char *const paths[] = {"/v3/cc/record/query", "/v3/cc/seatGroup/query",
                                        "/v3/cc/seat/query"};
    const char *path = paths[size ? data[0] % 3 : 0];
    const char *body = size ? (const char *)data + 1 : "";
    size_t body_len = size ? size - 1 : 0;
    char *sign = cdr_md5_hex("bDqJFiq97bz1lzh91746057600", 26);
    struct mock_kv headers[] = {
        {"Api-Key", "bDqJFiq9"}, {"Timestamp", "1746057600"}, {"Sign", sign}};
    struct mock_request req = {"POST", path,     NULL,  0,           headers, 3,
                               body,   body_len, false, "127.0.0.1", NULL};
    struct mock_response resp;
    mock_response_init(&resp);
    mock_server_handle(server, &req, &resp);
    if (resp.status != 200 || !resp.body || resp.body[0] != '{')
        abort();
    mock_response_free(&resp);
    free(sign);
    return 0;
}
