/* Requests to an in-process Yunfu simulator, shared by the tests/unit/test_mock_yunfu*.c files. */
#ifndef CDRSIM_TEST_YUNFU_CALLS_H
#define CDRSIM_TEST_YUNFU_CALLS_H

#include <string.h>

#include "testutil.h"
#include "yunfu_model.h"

#define YUNFU_NOW_MS 1666224000000LL /* 2022-10-20T00:00:00Z, three weeks after the seed call */
#define YUNFU_UNAUTHENTICATED "{\"message\":\"Unauthenticated.\"}"
#define YUNFU_NO_NODE                                                                                      \
    "{\"code\":1002,\"status\":\"error\",\"message\":\"【user】参数错误,未找到对应云节点\"," \
    "\"data\":[]}"
#define YUNFU_NO_TASK "{\"code\":5002,\"status\":\"error\",\"message\":\"任务不存在\",\"data\":[]}"
#define YUNFU_NO_RECORD                                                                            \
    "{\"code\":5003,\"status\":\"error\",\"message\":\"通话记录不存在\",\"data\":[]}"

static const char *const YUNFU_DEMO[] = {"Authorization: Bearer " YUNFU_DEMO_TOKEN, NULL};
static const char *const YUNFU_QA[] = {"Authorization: Bearer " YUNFU_QA_TOKEN, NULL};

static inline struct test_reply yunfu_mock_get(struct test_mock *m, const char *const *headers,
                                               const char *path)
{
    return test_mock_call(m, "GET", path, headers, NULL, 0);
}

/* The answer is exactly status and body. */
static inline void yunfu_mock_expect(struct test_mock *m, const char *const *headers,
                                     const char *path, int status, const char *body)
{
    struct test_reply r = yunfu_mock_get(m, headers, path);
    if (r.status != status || strcmp(r.body, body) != 0)
        fail_msg("GET %s: expected %d %s, got %d %s", path, status, body, r.status, r.body);
    test_reply_free(&r);
}

#endif
