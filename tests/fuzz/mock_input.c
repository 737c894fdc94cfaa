#include "mock_input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mock_server *fuzz_mock(void)
{
    /* One mock for the whole fuzzing process, as libFuzzer calls the target again and again. */
    static struct mock_server *server;
    static struct mock_config config;
    if (server)
        return server;
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
    if (!server) {
        fprintf(stderr, "mock: %s\n", err);
        abort();
    }
    mock_clock_freeze(&server->clock, config.clock_start_ms);
    return server;
}

bool fuzz_request_init(struct fuzz_request *r, const char *method, const char *prefix,
                       const char *text, size_t len, const struct mock_kv *headers,
                       size_t header_count)
{
    memset(r, 0, sizeof(*r));
    const char *newline = memchr(text, '\n', len);
    size_t target_len = newline ? (size_t)(newline - text) : len;
    const char *question = memchr(text, '?', target_len);
    size_t path_len = question ? (size_t)(question - text) : target_len;
    size_t prefix_len = strlen(prefix);
    if (!(r->path = malloc(prefix_len + path_len + 1)))
        return false;
    memcpy(r->path, prefix, prefix_len);
    memcpy(r->path + prefix_len, text, path_len);
    r->path[prefix_len + path_len] = '\0'; /* a path ends at a NUL, as a decoded URL would */
    const char *query = question ? question + 1 : "";
    size_t query_len = question ? target_len - path_len - 1 : 0;
    if (!mock_query_parse(query, query_len, &r->query)) {
        free(r->path);
        return false;
    }
    r->req = (struct mock_request){
        .method = method,
        .path = r->path,
        .query = r->query.items,
        .query_count = r->query.count,
        .headers = headers,
        .header_count = header_count,
        .body = newline ? newline + 1 : "",
        .body_len = newline ? len - target_len - 1 : 0,
        .too_large = MOCK_FITS,
        .remote_addr = "127.0.0.1",
    };
    return true;
}

void fuzz_request_free(struct fuzz_request *r)
{
    mock_query_free(&r->query);
    free(r->path);
}

void fuzz_send(const struct fuzz_request *r, struct mock_response *resp)
{
    mock_response_init(resp);
    mock_server_handle(fuzz_mock(), &r->req, resp);
    if (resp->status < 100 || resp->status > 599 || (resp->body_len && !resp->body))
        abort();
}
