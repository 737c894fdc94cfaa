/* Writes N raw HTTP requests for the Alibaba benchmark: HotlineSessionQuery as the official SDKs
 * send it (POST, signature V3, the parameters in the query), each with its own
 * x-acs-signature-nonce, because the mock refuses a replayed nonce. bench/replay.lua sends them
 * in order. Each request is preceded by a line with its length in bytes.
 * Usage: cdrsim-bench-aliyun-requests N HOST:PORT UNIX_SECONDS [close] > FILE
 * ("close" adds Connection: close, for a single request sent without an HTTP client). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cdrsim/aliyun.h"
#include "cdrsim/sign.h"

#define KEY_ID "testid"
#define KEY_SECRET "testsecret"

static const struct cdr_param query[] = {
    {"Format", "JSON"},
    {"InstanceId", "ccc_xp_pre-cn-demo001"},
    {"PageNo", "1"},
    {"PageSize", "20"},
    {"QueryEndTime", "1743465600000"},   /* 2025-04-01T00:00:00Z */
    {"QueryStartTime", "1735689600000"}, /* 2025-01-01T00:00:00Z */
};
#define QUERY_COUNT (sizeof(query) / sizeof(query[0]))

/* One signed request as it goes on the wire; NULL when out of memory. */
static char *signed_request(const char *host, const char *date, const char *nonce,
                            const char *query_text, const char *empty_sha256, bool close)
{
    struct cdr_param headers[] = {
        {"host", host},
        {"x-acs-action", CDR_ALIYUN_ACTION},
        {"x-acs-content-sha256", empty_sha256},
        {"x-acs-date", date},
        {"x-acs-signature-nonce", nonce},
        {"x-acs-version", CDR_ALIYUN_VERSION},
    };
    size_t header_count = sizeof(headers) / sizeof(headers[0]);
    char *signed_headers = NULL;
    char *canonical =
        cdr_aliyun_v3_canonical_request("POST", "/", query, QUERY_COUNT, headers, header_count,
                                        NULL, empty_sha256, &signed_headers);
    char *to_sign = canonical ? cdr_aliyun_v3_string_to_sign(canonical) : NULL;
    char *signature = to_sign ? cdr_aliyun_v3_signature(KEY_SECRET, to_sign) : NULL;
    char *out = NULL;
    if (signature) {
        size_t cap = 2048 + strlen(query_text);
        out = malloc(cap);
        if (out) {
            int n = snprintf(out, cap, "POST /?%s HTTP/1.1\r\n", query_text);
            for (size_t i = 0; i < header_count; i++)
                n += snprintf(out + n, cap - (size_t)n, "%s: %s\r\n", headers[i].name,
                              headers[i].value);
            snprintf(out + n, cap - (size_t)n,
                     "Authorization: " CDR_ALIYUN_V3_ALGORITHM " Credential=" KEY_ID
                     ",SignedHeaders=%s,Signature=%s\r\n"
                     "Content-Length: 0\r\n%s\r\n",
                     signed_headers, signature, close ? "Connection: close\r\n" : "");
        }
    }
    free(signed_headers);
    free(canonical);
    free(to_sign);
    free(signature);
    return out;
}

int main(int argc, char **argv)
{
    bool close = argc == 5 && strcmp(argv[4], "close") == 0;
    if (argc != 4 && !close) {
        fprintf(stderr,
                "usage: cdrsim-bench-aliyun-requests N HOST:PORT UNIX_SECONDS [close] > FILE\n");
        return 2;
    }
    long count = strtol(argv[1], NULL, 10);
    time_t now = (time_t)strtoll(argv[3], NULL, 10);
    struct tm tm;
    char date[32];
    gmtime_r(&now, &tm);
    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
    char *empty_sha256 = cdr_sha256_hex("", 0);
    char *query_text = cdr_canonical_query(query, QUERY_COUNT);
    if (!empty_sha256 || !query_text)
        return 1;
    for (long i = 0; i < count; i++) {
        char nonce[64];
        /* The process id keeps every run's nonces apart: the mock remembers them. */
        snprintf(nonce, sizeof(nonce), "bench-%ld-%ld-%ld", (long)now, (long)getpid(), i);
        char *request = signed_request(argv[2], date, nonce, query_text, empty_sha256, close);
        if (!request)
            return 1;
        printf("%zu\n%s", strlen(request), request);
        free(request);
    }
    free(empty_sha256);
    free(query_text);
    return fflush(stdout) == 0 ? 0 : 1;
}
