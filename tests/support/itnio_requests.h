/* Signed ITNIO requests to an in-process mock, built by the tests themselves (MD5 of key, secret
 * and Timestamp, docs/vendors/itnio.md section 2), never by the client library. Shared by the
 * ITNIO mock tests. */
#ifndef CDRSIM_TEST_ITNIO_REQUESTS_H
#define CDRSIM_TEST_ITNIO_REQUESTS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/sign.h"
#include "testutil.h"

#define ITNIO_KEY "bDqJFiq9"
#define ITNIO_SECRET "7bz1lzh9"
#define ITNIO_RECORDS "/v3/cc/record/query"
#define ITNIO_GROUPS "/v3/cc/seatGroup/query"
#define ITNIO_SEATS "/v3/cc/seat/query"
#define ITNIO_SETTINGS "/v3/cc/seatGroup/basicSettingResp"
#define ITNIO_RECORDING_URL "/voice/getRecordingFileUrl"

/* Signed headers; the struct must stay where it was initialised (list points into it). */
struct auth {
    char key[96], ts[96], sign[96];
    const char *list[5];
};

static inline void auth_init_text(struct auth *a, const char *key, const char *secret,
                                  const char *ts)
{
    char *joined = test_format("%s%s%s", key, secret, ts);
    char *sign = cdr_md5_hex(joined, strlen(joined));
    if (!sign)
        fail_msg("out of memory");
    snprintf(a->key, sizeof(a->key), "Api-Key: %s", key);
    snprintf(a->ts, sizeof(a->ts), "Timestamp: %s", ts);
    snprintf(a->sign, sizeof(a->sign), "Sign: %s", sign);
    free(sign);
    free(joined);
    a->list[0] = "Content-Type: application/json;charset=UTF-8";
    a->list[1] = a->key;
    a->list[2] = a->ts;
    a->list[3] = a->sign;
    a->list[4] = NULL;
}

static inline void auth_init(struct auth *a, int64_t ts)
{
    char text[32];
    snprintf(text, sizeof(text), "%lld", (long long)ts);
    auth_init_text(a, ITNIO_KEY, ITNIO_SECRET, text);
}

static inline struct test_reply post_with(struct test_mock *m, const char *path,
                                          const char *const *headers, const char *body)
{
    return test_mock_call(m, "POST", path, headers, body, strlen(body));
}

/* A correctly signed POST stamped ts. */
static inline struct test_reply post_at(struct test_mock *m, int64_t ts, const char *path,
                                        const char *body)
{
    struct auth a;
    auth_init(&a, ts);
    return post_with(m, path, a.list, body);
}

/* A correctly signed GET stamped ts; path carries its query string. */
static inline struct test_reply get_at(struct test_mock *m, int64_t ts, const char *path)
{
    struct auth a;
    auth_init(&a, ts);
    return test_mock_call(m, "GET", path, a.list, NULL, 0);
}

#endif
