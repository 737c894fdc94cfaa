/* libFuzzer target: arbitrary requests against the ITNIO simulator, signed correctly so the fuzzer
 * reaches validation, filtering and paging. The first byte picks the route; for the POST routes the
 * rest is the body, for the GET routes a query string ("voiceGroupId=12&x=y"), and for the
 * recording links a path and query after the links' prefix. The API routes must answer with
 * HTTP 200 and a JSON envelope, the links with audio or the storage's XML refusal; never crash,
 * never leak. */
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
    /* A small journal: a full one (10,000 entries) keeps so much alive that the leak checks
     * libFuzzer runs scan for hundreds of milliseconds per input. */
    config.journal_capacity = 16;
    char err[512];
    server = mock_server_new(&config, err, sizeof(err));
    if (!server)
        abort();
    mock_clock_freeze(&server->clock, config.clock_start_ms);
}

/* "a=b&c&d=e" into pairs pointing into text (which is modified); at most max pairs. */
static size_t split_query(char *text, struct mock_kv *pairs, size_t max)
{
    size_t n = 0;
    for (char *p = text; p && *p && n < max;) {
        char *amp = strchr(p, '&');
        if (amp)
            *amp = '\0';
        char *eq = strchr(p, '=');
        if (eq)
            *eq = '\0';
        pairs[n++] = (struct mock_kv){p, eq ? eq + 1 : ""};
        p = amp ? amp + 1 : NULL;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!server)
        setup();
    static const struct {
        const char *method, *path;
    } routes[] = {
        {"POST", "/v3/cc/record/query"},       {"POST", "/v3/cc/seatGroup/query"},
        {"POST", "/v3/cc/seat/query"},         {"GET", "/v3/cc/seatGroup/basicSettingResp"},
        {"GET", "/voice/getRecordingFileUrl"}, {"GET", "/voice/recording-file/"},
    };
    size_t route = size ? data[0] % 6 : 0;
    const char *rest = size ? (const char *)data + 1 : "";
    size_t rest_len = size ? size - 1 : 0;
    /* Text for the GET routes: NUL-terminated, cut at the first NUL as a URL would be. */
    char *text = malloc(rest_len + 1);
    if (!text)
        return 0;
    memcpy(text, rest, rest_len);
    text[rest_len] = '\0';
    char path[512];
    struct mock_kv query[32];
    size_t query_count = 0;
    if (route == 5) {
        char *q = strchr(text, '?');
        if (q)
            *q++ = '\0';
        snprintf(path, sizeof(path), "%s%s", routes[route].path, text);
        query_count = q ? split_query(q, query, 32) : 0;
    } else {
        snprintf(path, sizeof(path), "%s", routes[route].path);
        if (route >= 3)
            query_count = split_query(text, query, 32);
    }
    char *sign = cdr_md5_hex("bDqJFiq97bz1lzh91746057600", 26);
    struct mock_kv headers[] = {
        {"Api-Key", "bDqJFiq9"}, {"Timestamp", "1746057600"}, {"Sign", sign}, {"Host", "fuzz:1"}};
    bool post = route < 3;
    struct mock_request req = {
        routes[route].method, path,  query,       query_count, headers, 4, post ? rest : "",
        post ? rest_len : 0,  false, "127.0.0.1", NULL};
    struct mock_response resp;
    mock_response_init(&resp);
    mock_server_handle(server, &req, &resp);
    bool ok = route < 5 ? resp.status == 200 && resp.body && resp.body[0] == '{'
              : resp.status == 200
                  ? resp.body_len > 44 && memcmp(resp.body, "RIFF", 4) == 0
                  : resp.status >= 400 && resp.body && strncmp(resp.body, "<?xml", 5) == 0;
    /* A path past the prefix may be empty: the framework's 404. */
    if (route == 5 && resp.status == 404 && resp.body && resp.body[0] == '{')
        ok = true;
    if (!ok)
        abort();
    mock_response_free(&resp);
    free(sign);
    free(text);
    return 0;
}
