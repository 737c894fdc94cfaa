/* libFuzzer target: hostile requests against the Huawei simulator, on every route a client reaches
 * with bodies, headers or query strings: sign-in and forced sign-in, the heartbeat's service_token,
 * recordfile's query, tokenByAkSk (body and X-Token-Expire), queryCallDetailRecord and
 * getRecordingAddress (with a valid token, so the fuzzer reaches their validation), the recording
 * store's path and query, and the admin endpoint that starts calls. Every input gets an answer in
 * the vendor's shape, never a crash or a leak. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

static struct mock_server *server;
static struct mock_config config;
static char bearer[640], guid[160];

static struct mock_response call_mock(const char *method, const char *path,
                                      const struct mock_kv *query, size_t nq,
                                      const struct mock_kv *headers, size_t nh, const char *body,
                                      size_t len)
{
    struct mock_request req = {method, path, query, nq,          headers, nh,
                               body,   len,  false, "127.0.0.1", NULL};
    struct mock_response resp;
    mock_response_init(&resp);
    mock_server_handle(server, &req, &resp);
    return resp;
}

/* The value of the named header of a response, or "". */
static const char *header_of(const struct mock_response *r, const char *name)
{
    for (size_t i = 0; i < r->header_count; i++)
        if (strcmp(r->headers[i].name, name) == 0)
            return r->headers[i].value;
    return "";
}

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
    /* A token for the history calls, a signed-in agent (1001) for recordfile and the heartbeat. */
    static const char app[] = "{\"app_key\":\"cdrsim-demo-ak\",\"app_secret\":\"cdrsim-demo-sk\"}";
    struct mock_response r = call_mock("POST", "/apigovernance/api/oauth/tokenByAkSk", NULL, 0,
                                       NULL, 0, app, strlen(app));
    const char *t = r.body ? strstr(r.body, "\"AccessToken\":\"") : NULL;
    if (!t)
        abort();
    t += strlen("\"AccessToken\":\"");
    snprintf(bearer, sizeof(bearer), "Bearer %.*s", (int)strcspn(t, "\""), t);
    mock_response_free(&r);
    static const char in[] = "{\"password\":\"demo-pass-1001\",\"phonenum\":\"71001\"}";
    r = call_mock("PUT", "/agentgateway/resource/onlineagent/1001", NULL, 0, NULL, 0, in,
                  strlen(in));
    snprintf(guid, sizeof(guid), "%s", header_of(&r, "Guid"));
    mock_response_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!server)
        setup();
    /* The first byte picks the route; the rest is the body, or a NUL-free text for a header, a
     * query value or a path segment. */
    unsigned route = size ? data[0] % 9 : 0;
    const char *body = size ? (const char *)data + 1 : "";
    size_t len = size ? size - 1 : 0;
    char text[512];
    size_t n = len < sizeof(text) - 1 ? len : sizeof(text) - 1;
    memcpy(text, body, n);
    text[n] = '\0';
    text[strcspn(text, "\r\n")] = '\0';
    struct mock_kv auth[] = {{"Authorization", bearer}, {"X-Token-Expire", text}};
    struct mock_kv with_guid[] = {{"Guid", guid}, {"service_token", text}};
    struct mock_kv query[] = {
        {"recordId", text}, {"filetype", "1"}, {"Expires", text}, {"Signature", text}};
    char path[600];
    struct mock_response r;
    switch (route) {
    case 0:
        r = call_mock("PUT", "/agentgateway/resource/onlineagent/292", NULL, 0, NULL, 0, body, len);
        break;
    case 1:
        r = call_mock("PUT", "/agentgateway/resource/onlineagent/293/forcelogin", NULL, 0, NULL, 0,
                      body, len);
        break;
    case 2:
        r = call_mock("POST", "/agentgateway/resource/onlineagent/1001/handshake", NULL, 0,
                      with_guid, 2, NULL, 0);
        break;
    case 3:
        r = call_mock("GET", "/agentgateway/resource/recordfile/1001", query, 2, with_guid, 1, NULL,
                      0);
        break;
    case 4:
        r = call_mock("POST", "/apigovernance/api/oauth/tokenByAkSk", NULL, 0, auth + 1, 1, body,
                      len);
        break;
    case 5:
        r = call_mock("POST", "/apiaccess/CC-Management/v1/mobileAgent/queryCallDetailRecord", NULL,
                      0, auth, 1, body, len);
        break;
    case 6:
        r = call_mock("POST", "/apiaccess/CC-Management/v1/mobileAgent/getRecordingAddress", NULL,
                      0, auth, 1, body, len);
        break;
    case 7:
        snprintf(path, sizeof(path), "/aicc-obs/record/%s", text);
        r = call_mock("GET", path, query + 2, 2, NULL, 0, NULL, 0);
        break;
    default:
        r = call_mock("POST", "/__cdrsim/huawei/agents/292/calls", NULL, 0, NULL, 0, body, len);
        if (r.status == 201) { /* the agent's next call needs its line free */
            mock_response_free(&r);
            r = call_mock("DELETE", "/__cdrsim/huawei/agents/292/calls/current", NULL, 0, NULL, 0,
                          NULL, 0);
        }
        break;
    }
    /* An answer with a status the vendor uses, and a body for every one but the container's
     * bare 404/405. */
    if (r.status < 200 || r.status > 500 || (!r.body && r.status != 404 && r.status != 405))
        abort();
    mock_response_free(&r);
    return 0;
}
