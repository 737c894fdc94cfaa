/* libFuzzer target: arbitrary query strings and path tails against the Yunfu simulator, with the
 * demo token, so the fuzzer reaches PHP's reading of the query, Laravel's rules, the task lists,
 * the details, the recordings and the signed play URLs. Every input must get an answer the HTTP
 * layer can send (JSON that parses, the WAV, or the store's XML), never a crash or a leak. */
#include <cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

#define USER "4d99d91c-f5d9-49da-88da-758977cc58a9"
#define TASK "287e19c4-1966-49d6-8f02-b53ef11c0a55"
#define RECORD "50971322-2e84-4701-836c-fd1181306885"
#define MAX_PAIRS 1200

static struct mock_server *server;
static struct mock_config config;

static void setup(void)
{
    mock_config_init(&config);
    config.data_dir = strdup(CDRSIM_SOURCE_DIR "/fixtures");
    config.clock_given = true;
    config.clock_start_ms = 1666224000000LL; /* 2022-10-20T00:00:00Z */
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

/* The routes, their fuzzed tail appended: the first byte picks one. */
static const char *const paths[] = {
    "/agent-api/user/" USER "/task/" TASK "/record",
    "/agent-api/user/" USER "/task/" TASK "/detail/" RECORD,
    "/agent-api/user/" USER "/task",
    "/agent-api/user/" USER "/all_task",
    "/agent-api/user/" USER "/task/" TASK "/record/" RECORD "/download-full-voice",
    "/agent-api/user/" USER "/task/" TASK "/batch_record/download-full-voice",
    "/agent-api/task/" TASK "/record",
    "/agent-api/task/" TASK "/detail/",
    "/agent-api/token",
    "/yunfu-oss/record/" RECORD ".wav",
    "/agent-api/user/",
};
#define PATH_COUNT (sizeof(paths) / sizeof(paths[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!server)
        setup();
    if (size < 2)
        return 0;
    /* data: route byte, then "tail\n" and the query: pairs split at '&' and the first '='. */
    const char *route = paths[data[0] % PATH_COUNT];
    char *text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    char *query = strchr(text, '\n');
    if (query)
        *query++ = '\0';
    size_t path_len = strlen(route) + strlen(query ? text : "") + 1;
    char *path = malloc(path_len);
    strcpy(path, route);
    strcat(path, query ? text : "");
    struct mock_kv *pairs = calloc(MAX_PAIRS, sizeof(*pairs));
    size_t n = 0;
    for (char *p = query ? query : text, *next; p && n < MAX_PAIRS; p = next) {
        next = strchr(p, '&');
        if (next)
            *next++ = '\0';
        char *eq = strchr(p, '=');
        if (eq)
            *eq++ = '\0';
        pairs[n++] = (struct mock_kv){p, eq ? eq : ""};
    }
    struct mock_kv headers[] = {{"Authorization", "Bearer demo-yunfu-token"},
                                {"Host", "127.0.0.1:8080"}};
    const char *method = data[0] & 0x80 ? "HEAD" : "GET";
    struct mock_request req = {method, path, pairs, n, headers, 2, "", 0, false, "127.0.0.1", NULL};
    struct mock_response resp;
    mock_response_init(&resp);
    mock_server_handle(server, &req, &resp);
    if (resp.status < 200 || resp.status > 599)
        abort();
    if (resp.content_type && strcmp(resp.content_type, "application/json") == 0) {
        cJSON *json = cJSON_ParseWithLength(resp.body, resp.body_len);
        if (!json)
            abort();
        cJSON_Delete(json);
    }
    mock_response_free(&resp);
    free(pairs);
    free(path);
    free(text);
    return 0;
}
