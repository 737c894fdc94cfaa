/* Who may call ITNIO: the Api-Key, Timestamp and Sign headers, Sign = MD5(key + secret +
 * Timestamp) (https://itniotech.com/api/account), the Timestamp window, and the account's IP
 * allow-list (-2, "Restricted IP access"). The order of the checks is inferred;
 * docs/vendors/itnio.md section 2. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

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

static const struct itnio_credential *find_credential(const struct itnio_state *st, const char *key,
                                                      size_t *index)
{
    for (size_t i = 0; i < st->credential_count; i++) {
        if (strcmp(st->credentials[i].key, key) == 0) {
            *index = i;
            return &st->credentials[i];
        }
    }
    return NULL;
}

int itnio_auth_check(const struct itnio_state *st, const struct mock_env *env,
                     const struct mock_request *req, size_t *credential)
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
    const struct itnio_credential *cred = find_credential(st, key, credential);
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
    int64_t window = st->v.timestamp_window;
    if (window > 0 && (skew > window || skew < -window)) {
        mock_request_auth(req, false,
                          "stale Timestamp: %lld is %lld s %s the mock's clock (%lld); the window "
                          "is %lld s",
                          stamp, skew < 0 ? -skew : skew, skew > 0 ? "behind" : "ahead of", now,
                          (long long)window);
        return ITNIO_TIMESTAMP;
    }
    /* The Sign is computed over the exact Timestamp text the client sent. */
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, cred->key); /* appended, not printf'd: this runs on every request */
    cdr_buf_puts(&b, cred->secret);
    cdr_buf_puts(&b, ts);
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

/* ---- the IP allow-list ----------------------------------------------------------------------- */

/* "10.0.0.1", "10.0.0.0/8", "::1", "2001:db8::/32". */
static bool parse_rule(const char *text, struct itnio_ip_rule *rule)
{
    char addr[64];
    const char *slash = strchr(text, '/');
    size_t len = slash ? (size_t)(slash - text) : strlen(text);
    if (len == 0 || len >= sizeof(addr))
        return false;
    memcpy(addr, text, len);
    addr[len] = '\0';
    memset(rule, 0, sizeof(*rule));
    if (inet_pton(AF_INET, addr, rule->addr) == 1)
        rule->family = AF_INET;
    else if (inet_pton(AF_INET6, addr, rule->addr) == 1)
        rule->family = AF_INET6;
    else
        return false;
    int bits = rule->family == AF_INET ? 32 : 128;
    rule->prefix = bits;
    if (slash) {
        char *end;
        errno = 0;
        long p = strtol(slash + 1, &end, 10);
        if (errno || end == slash + 1 || *end || p < 0 || p > bits)
            return false;
        rule->prefix = (int)p;
    }
    return true;
}

bool itnio_auth_parse_allowlist(const char *text, struct itnio_ip_rule **rules, size_t *count)
{
    *rules = NULL;
    *count = 0;
    if (strcmp(text, "off") == 0)
        return true;
    size_t n = 1;
    for (const char *p = text; *p; p++)
        n += *p == ',';
    struct itnio_ip_rule *out = calloc(n, sizeof(*out));
    if (!out)
        return false;
    /* Every item must be an address: "a,,b" or a trailing comma is a mistake, not a shorter list.
     */
    bool ok = true;
    const char *item = text;
    for (size_t i = 0; i < n && ok; i++) {
        size_t len = strcspn(item, ",");
        char one[80];
        while (len && *item == ' ')
            item++, len--;
        while (len && item[len - 1] == ' ')
            len--;
        ok = len > 0 && len < sizeof(one);
        if (ok) {
            memcpy(one, item, len);
            one[len] = '\0';
            ok = parse_rule(one, &out[i]);
        }
        item += strcspn(item, ",") + 1;
    }
    if (!ok) {
        free(out);
        return false;
    }
    *rules = out;
    *count = n;
    return true;
}

static bool rule_matches(const struct itnio_ip_rule *rule, int family, const unsigned char *addr)
{
    if (rule->family != family)
        return false;
    int whole = rule->prefix / 8, rest = rule->prefix % 8;
    if (memcmp(rule->addr, addr, (size_t)whole) != 0)
        return false;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return rest == 0 || (rule->addr[whole] & mask) == (addr[whole] & mask);
}

int itnio_auth_ip(const struct itnio_state *st, const struct mock_request *req)
{
    if (!st->v.allow)
        return ITNIO_OK;
    unsigned char addr[16];
    int family = 0;
    const char *remote = req->remote_addr ? req->remote_addr : "";
    if (inet_pton(AF_INET, remote, addr) == 1)
        family = AF_INET;
    else if (inet_pton(AF_INET6, remote, addr) == 1)
        family = AF_INET6;
    /* An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d: judge its IPv4 address. */
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (family == AF_INET6 && memcmp(addr, mapped, sizeof(mapped)) == 0) {
        memmove(addr, addr + 12, 4);
        family = AF_INET;
    }
    for (size_t i = 0; family && i < st->v.allow_count; i++)
        if (rule_matches(&st->v.allow[i], family, addr))
            return ITNIO_OK;
    mock_request_auth(req, false, "signed, but %.64s is not in the account's IP allow-list",
                      *remote ? remote : "the client's address");
    return ITNIO_IP_RESTRICTED;
}
