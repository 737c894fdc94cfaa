/* For the fuzz targets that send the mock whole requests: the in-process mock they share (the
 * repository's fixtures, a frozen clock, no request log) and a request read from fuzz bytes. */
#ifndef CDRSIM_FUZZ_MOCK_INPUT_H
#define CDRSIM_FUZZ_MOCK_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "server.h"

/* The mock, made on the first call; aborts when it cannot start. */
struct mock_server *fuzz_mock(void);

/* A request built from text "PATH[?QUERY]\nBODY" (no '\n': no body) under the given method and
 * headers. Owns its copies; release with fuzz_request_free. */
struct fuzz_request {
    struct mock_request req;
    struct mock_query query;
    char *path;
};
bool fuzz_request_init(struct fuzz_request *r, const char *method, const char *prefix,
                       const char *text, size_t len, const struct mock_kv *headers,
                       size_t header_count);
void fuzz_request_free(struct fuzz_request *r);

/* Sends it; aborts unless the answer is a real HTTP status with a body or none, as the HTTP layer
 * could send it. */
void fuzz_send(const struct fuzz_request *r, struct mock_response *resp);

#endif
