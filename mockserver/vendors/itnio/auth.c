/* Who may call ITNIO: the Api-Key, Timestamp and Sign headers, Sign = MD5(key + secret +
 * Timestamp) (https://itniotech.com/api/account), and the Timestamp window. The order of the checks
 * is inferred; docs/vendors/itnio.md section 2. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "cdrsim/sign.h"
#include "internal.h"

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static const struct itnio_credential *find_credential(const struct itnio_state *st, const char *key)
{
    for (size_t i = 0; i < st->credential_count; i++)
        if (strcmp(st->credentials[i].key, key) == 0)
            return &st->credentials[i];
    return NULL;
}

int itnio_auth_check(const struct itnio_state *st, const struct mock_env *env,
                     const struct mock_request *req)
{
    const char *key = mock_request_header(req, "Api-Key");
    const char *ts = mock_request_header(req, "Timestamp");
    const char *sign = mock_request_header(req, "Sign");
    if (!key || !ts || !sign || !*key) {
        mock_request_auth(req, false, "missing header: %s",
                          !key || !*key ? "Api-Key"
                          : !ts         ? "Timestamp"
                                        : "Sign");
        return ITNIO_AUTH;
    }
    const struct itnio_credential *cred = find_credential(st, key);
    if (!cred) {
        mock_request_auth(req, false, "unknown Api-Key \"%.64s\"", key);
        return ITNIO_AUTH;
    }
    errno = 0;
    long long stamp = all_digits(ts) ? strtoll(ts, NULL, 10) : -1;
    if (stamp < 0 || errno) {
        mock_request_auth(req, false, "Timestamp \"%.32s\" is not Unix seconds", ts);
        return ITNIO_TIMESTAMP;
    }
    long long now = (long long)mock_clock_now(env->clock), skew = now - stamp;
    if (st->timestamp_window > 0 && (skew > st->timestamp_window || skew < -st->timestamp_window)) {
        mock_request_auth(req, false,
                          "stale Timestamp: %lld is %lld s %s the mock's clock (%lld); the window "
                          "is %lld s",
                          stamp, skew < 0 ? -skew : skew, skew > 0 ? "behind" : "ahead of", now,
                          (long long)st->timestamp_window);
        return ITNIO_TIMESTAMP;
    }
    /* The Sign is computed over the exact Timestamp text the client sent. */
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "%s%s%s", cred->key, cred->secret, ts);
    char *expected = b.failed ? NULL : cdr_md5_hex(b.data, b.len);
    cdr_buf_free(&b);
    bool match = expected && strlen(sign) == CDR_MD5_HEX_LEN && cdr_hex_equal_ci(expected, sign);
    free(expected);
    if (match)
        mock_request_auth(req, true, "signed by Api-Key %s", key);
    else
        mock_request_auth(req, false,
                          "wrong Sign: not MD5(Api-Key + API secret + Timestamp) for Api-Key %s "
                          "and Timestamp %s",
                          key, ts);
    return match ? ITNIO_OK : ITNIO_AUTH;
}
