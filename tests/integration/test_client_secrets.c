/* No secret is ever printed. For each vendor, every way a fetch can fail (connection refused,
 * timeout, an HTTP error, the vendor's own error, a malformed answer, a paging guard) is provoked
 * with known credentials and a base URL carrying user:password@, against a server of the test's
 * own that also echoes the credentials back in its error texts. What cdrsim-client prints (stdout
 * and stderr) and what the library's error says must hold none of them, nor anything that signed
 * or authorised a request on the wire (Sign, Signature, SignatureNonce, Authorization, Guid, the
 * security token), in plain or percent-encoded form. */
#include <cJSON.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "cdrsim/buf.h"
#include "cdrsim/huawei.h"
#include "cdrsim/sign.h"
#include "cdrsim/vendor.h"
#include "fake_server.h"
#include "testutil.h"

#define URL_USER "u53r"
#define URL_PASSWORD "url-Pa55-7c1e"
#define GUID_SECRET "guid-5ecret-0a9b8c7d"

enum path { TRANSPORT, TIMEOUT, HTTP_ERROR, VENDOR_ERROR, MALFORMED, GUARD, PATHS };
static const char *const path_names[] = {"transport", "timeout",   "HTTP error",
                                         "vendor",    "malformed", "paging guard"};

/* One vendor's way to fail each path. */
struct vendor_case {
    const char *name; /* the test's */
    const char *vendor;
    /* Field names and values (NULL: a flag), NULL-terminated pairs. */
    const char *args[16];
    const char *secret;      /* the credential the user gave, echoed back by the server */
    const char *more_secret; /* another one, or NULL */
    /* What stderr's line says, after "cdrsim-client: fetch VENDOR", for each path. */
    const char *says[PATHS];
    fake_answer_fn answer;
    const char *url_says[2]; /* what the URL of a transport error or timeout shows */
};

struct server_state {
    const struct vendor_case *vc;
    enum path path;
};

/* ---- the servers ------------------------------------------------------------------------------
 */

static void echo_error(const struct server_state *st, struct fake_reply *reply, unsigned status,
                       const char *fmt)
{
    reply->status = status;
    reply->body = test_format(fmt, st->vc->secret, st->vc->more_secret ? st->vc->more_secret : "");
}

static void itnio_answer(void *user, const struct fake_request *req, struct fake_reply *reply)
{
    struct server_state *st = user;
    (void)req;
    switch (st->path) {
    case HTTP_ERROR:
        echo_error(st, reply, 502, "<html>502 for secret %s %s</html>");
        return;
    case VENDOR_ERROR:
        echo_error(
            st, reply, 200,
            "{\"status\":-1,\"reason\":\"Authentication error: secret %s %s\",\"data\":null}");
        return;
    case MALFORMED:
        reply->body = strdup("<html>oops</html>");
        return;
    default:
        reply->delay_ms = st->path == TIMEOUT ? 1500 : 0;
        reply->body = strdup("{\"status\":0,\"reason\":\"success\",\"data\":{\"total\":1,\"size\":"
                             "100,\"current\":2,\"pages\":1,\"records\":[{\"keyId\":1}]}}");
    }
}

static void yunfu_answer(void *user, const struct fake_request *req, struct fake_reply *reply)
{
    struct server_state *st = user;
    (void)req;
    switch (st->path) {
    case HTTP_ERROR:
        echo_error(st, reply, 502, "{\"message\":\"bad gateway for token %s %s\"}");
        return;
    case VENDOR_ERROR:
        echo_error(st, reply, 401, "{\"message\":\"Unauthenticated: %s %s\"}");
        return;
    case MALFORMED:
        reply->body = strdup("{\"code\":200,\"meta\":");
        return;
    default:
        reply->delay_ms = st->path == TIMEOUT ? 1500 : 0;
        reply->body =
            strdup("{\"code\":200,\"status\":\"success\",\"message\":\"ok\",\"meta\":{\"total\":1,"
                   "\"last_page\":1,\"current_page\":2,\"per_page\":100},\"data\":[{\"id\":\"y1\","
                   "\"calldate\":\"2022-09-29 15:09:00\"}]}");
    }
}

static void aliyun_answer(void *user, const struct fake_request *req, struct fake_reply *reply)
{
    struct server_state *st = user;
    (void)req;
    switch (st->path) {
    case HTTP_ERROR:
        echo_error(st, reply, 502, "<html>502 for %s %s</html>");
        reply->content_type = "text/html";
        return;
    case VENDOR_ERROR:
        echo_error(
            st, reply, 400,
            "{\"RequestId\":\"r\",\"Code\":\"SignatureDoesNotMatch\",\"Message\":\"Specified "
            "signature is not matched with our calculation, secret %s %s\"}");
        return;
    case MALFORMED:
        reply->body = strdup("{\"RequestId\":\"r\",\"Code\":\"Success\",\"Data\":7}");
        return;
    default:
        reply->delay_ms = st->path == TIMEOUT ? 1500 : 0;
        reply->body = strdup("{\"RequestId\":\"r\",\"Code\":\"Success\",\"Success\":true,\"Data\":{"
                             "\"PageSize\":100,\"PageNumber\":2,\"TotalCount\":1,"
                             "\"CallDetailRecord\":[{\"Id\":\"a1\"}]}}");
    }
}

/* Sign in hands over a Guid (a secret from then on); the failing path is the call query, or the
 * sign-in itself for the errors that come before a session. */
static void huawei_answer(void *user, const struct fake_request *req, struct fake_reply *reply)
{
    struct server_state *st = user;
    bool sign_in = strcmp(req->method, "PUT") == 0;
    bool query = strstr(req->path, "/calldata/") != NULL;
    if (sign_in && st->path == TIMEOUT)
        reply->delay_ms = 1500;
    if (sign_in && st->path == HTTP_ERROR) {
        echo_error(st, reply, 502, "<html>502 for %s %s</html>");
        return;
    }
    if (sign_in && st->path == VENDOR_ERROR) {
        reply->body = strdup("{\"message\":\"wrong password\",\"retcode\":\"100-004\"}");
        return;
    }
    if (query && st->path == MALFORMED) {
        reply->body = strdup("<html>oops</html>");
        return;
    }
    if (sign_in) {
        reply->headers[0] = "Guid";
        reply->headers[1] = GUID_SECRET;
        reply->headers[2] = "Set-GUID";
        reply->headers[3] = "JSESSIONID=" GUID_SECRET;
    }
    reply->body = strdup("{\"message\":\"success\",\"retcode\":\"0\",\"result\":null}");
}

static const struct vendor_case cases[] = {
    {
        .name = "itnio",
        .vendor = "itnio",
        .args = {"api_key", "itnio-key-1", "api_secret", "itnio-S3cret-9f2e", "from",
                 "2025-01-01 00:00:00", "to", "2025-01-02 00:00:00", NULL},
        .secret = "itnio-S3cret-9f2e",
        .says = {"transport: http://<redacted>@127.0.0.1:", "timeout: http://<redacted>@127.0.0.1:",
                 "http: HTTP 502 from /v3/cc/record/query",
                 "auth: Authentication error: secret <redacted>",
                 "malformed_response: response is not JSON", "malformed_response: page echo"},
        .answer = itnio_answer,
    },
    {
        .name = "yunfu",
        .vendor = "yunfu",
        .args = {"token", "yunfu-T0ken-5a8d", "user_id", "u-1", "task_id", "t-1", NULL},
        .secret = "yunfu-T0ken-5a8d",
        .says = {"transport: http://<redacted>@127.0.0.1:", "timeout: http://<redacted>@127.0.0.1:",
                 "http: bad gateway for token <redacted>", "auth: Unauthenticated: <redacted>",
                 "malformed_response: response is not JSON", "malformed_response: page echo"},
        .answer = yunfu_answer,
    },
    /* Signature V2 over GET: everything that signs the request travels in the URL. */
    {
        .name = "aliyun V2 GET",
        .vendor = "aliyun",
        .args = {"access_key_id", "LTAI-id-1", "access_key_secret", "aliyun-S3cret-3d4c",
                 "security_token", "sts-T0ken/6b2+x", "instance_id", "inst-1", "v2", NULL, "method",
                 "GET", NULL},
        .secret = "aliyun-S3cret-3d4c",
        .more_secret = "sts-T0ken/6b2+x",
        .says = {"transport: http://<redacted>@127.0.0.1:", "timeout: http://<redacted>@127.0.0.1:",
                 "http: XML answer without a Code (HTTP 502)",
                 "auth: Specified signature is not matched with our calculation, secret "
                 "<redacted> <redacted>",
                 "malformed_response: success without a Data object",
                 "malformed_response: page echo"},
        .answer = aliyun_answer,
        .url_says = {"&SecurityToken=<redacted>&SignatureMethod=HMAC-SHA1"
                     "&SignatureNonce=<redacted>&SignatureVersion=1.0&Timestamp=",
                     "&Signature=<redacted>: "},
    },
    /* Signature V3 over POST, as the official SDKs: the signature in a header. */
    {
        .name = "aliyun V3 POST",
        .vendor = "aliyun",
        .args = {"access_key_id", "LTAI-id-1", "access_key_secret", "aliyun-S3cret-3d4c",
                 "security_token", "sts-T0ken/6b2+x", "instance_id", "inst-1", NULL},
        .secret = "aliyun-S3cret-3d4c",
        .more_secret = "sts-T0ken/6b2+x",
        .says = {"transport: http://<redacted>@127.0.0.1:", "timeout: http://<redacted>@127.0.0.1:",
                 "http: XML answer without a Code (HTTP 502)",
                 "auth: Specified signature is not matched with our calculation, secret "
                 "<redacted> <redacted>",
                 "malformed_response: success without a Data object",
                 "malformed_response: page echo"},
        .answer = aliyun_answer,
    },
    /* No paging, and the session's own calls (not the generic ones) carry the errors: the server
     * does not echo the password here. */
    {
        .name = "huawei",
        .vendor = "huawei",
        .args = {"agent_id", "291", "password", "huawei-Pa55-1e0f", "phone", "70291", NULL},
        .secret = "huawei-Pa55-1e0f",
        .says = {"sign in: transport: http://<redacted>@127.0.0.1:",
                 "sign in: timeout: http://<redacted>@127.0.0.1:",
                 "sign in: http: HTTP 502 from PUT",
                 "sign in: auth: wrong password (vendor code 100-004",
                 "callinfo: malformed_response: response is not a JSON object", NULL},
        .answer = huawei_answer,
    },
};

/* ---- what must not show ---------------------------------------------------------------------- */

struct secrets {
    char *items[64];
    size_t count;
};

static void add_secret(struct secrets *s, const char *text, size_t len)
{
    if (len < 6 || s->count + 2 > sizeof(s->items) / sizeof(s->items[0]))
        return;
    s->items[s->count++] = strndup(text, len);
    char *encoded = cdr_percent_encode(s->items[s->count - 1], len);
    if (encoded && strcmp(encoded, s->items[s->count - 1]) != 0)
        s->items[s->count++] = encoded;
    else
        free(encoded);
}

/* Every word of a value that signs or authorises, but for the names of its parts and its scheme:
 * "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=..,Signature=hex" gives id, the header list and
 * the hex; the whole value counts too. */
static void add_words(struct secrets *s, const char *value, size_t len)
{
    const char *end = value + len;
    bool first = true;
    for (const char *w = value; w < end;) {
        size_t n = strcspn(w, " ,=;");
        if (w + n > end)
            n = (size_t)(end - w);
        char after = w + n < end ? w[n] : '\0';
        if (after != '=' && !(first && after == ' '))
            add_secret(s, w, n);
        first = false;
        w += n + (w + n < end);
    }
    add_secret(s, value, len);
}

/* What the server saw that signed or authorised a request. */
static void add_seen(struct secrets *s, struct fake_server *server)
{
    static const char *const names[] = {
        "Authorization:",       "Sign:",           "Guid:",          "Cookie:",
        "Signature=",           "SignatureNonce=", "SecurityToken=", "x-acs-signature-nonce:",
        "x-acs-security-token:"};
    for (int i = 0; i < fake_server_requests(server); i++) {
        char *seen = fake_server_seen(server, i);
        for (char *line = seen; line && *line;) {
            size_t len = strcspn(line, "\n");
            for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
                size_t n = strlen(names[k]);
                if (len > n && strncasecmp(line, names[k], n) == 0) {
                    const char *v = line + n + (line[n] == ' ');
                    add_words(s, v, len - (size_t)(v - line));
                }
            }
            line += len + (line[len] == '\n');
        }
        free(seen);
    }
}

static void secrets_free(struct secrets *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->items[i]);
    s->count = 0;
}

static void expect_none(const struct secrets *s, const char *where, const char *text)
{
    for (size_t i = 0; i < s->count; i++)
        if (strstr(text, s->items[i]))
            fail_msg("%s shows the secret \"%s\": %s", where, s->items[i], text);
}

/* ---- running it --------------------------------------------------------------------------------
 */

/* "http://USER:PASSWORD@127.0.0.1:PORT" from the server's URL (or a port nobody listens on). */
static char *base_url(struct fake_server *server)
{
    if (!server)
        return test_format("http://" URL_USER ":" URL_PASSWORD "@127.0.0.1:%u", test_free_port());
    return test_format("http://" URL_USER ":" URL_PASSWORD "@%s",
                       fake_server_url(server) + strlen("http://"));
}

static struct test_cli_run run_cli(const struct vendor_case *vc, const char *base, enum path p)
{
    const char *argv[48] = {"fetch", vc->vendor, "--base-url", base, "--retries", "0"};
    size_t n = 6;
    char names[8][32];
    for (size_t i = 0; vc->args[i]; i += 2) {
        snprintf(names[i / 2], sizeof(names[0]), "--%s", vc->args[i]);
        for (char *c = names[i / 2]; *c; c++)
            *c = *c == '_' ? '-' : *c;
        argv[n++] = names[i / 2];
        if (vc->args[i + 1])
            argv[n++] = vc->args[i + 1];
    }
    if (p == TIMEOUT) {
        argv[n++] = "--timeout-ms";
        argv[n++] = "400";
    }
    argv[n] = NULL;
    return test_cli(NULL, argv);
}

static int count_record(void *user, const struct cdr_record *rec)
{
    (void)rec;
    ++*(int *)user;
    return 0;
}

/* The library's own error for the same failure: through the generic client, and for Huawei
 * through its session (sign in, the call, sign out). */
static void library_error(const struct vendor_case *vc, const char *base, enum path p,
                          struct cdr_error_info *err)
{
    const struct cdr_vendor *v = cdr_vendor_find(vc->vendor);
    struct cdr_args *args = cdr_args_new();
    assert_non_null(args);
    for (size_t i = 0; vc->args[i]; i += 2)
        assert_int_equal(cdr_args_add(args, vc->args[i], vc->args[i + 1]), CDR_OK);
    struct cdr_client_options opts;
    cdr_client_options_default(&opts);
    opts.base_url = base;
    opts.http.max_retries = 0;
    if (p == TIMEOUT)
        opts.http.timeout_ms = 400;
    struct cdr_client *c = cdr_client_new(v, &opts, args, err);
    assert_non_null(c);
    cdr_error rc;
    if (cdr_vendor_has_call(v, "fetch_all")) {
        int records = 0;
        rc = cdr_client_fetch_all(c, args, 0, count_record, NULL, &records, err);
    } else {
        struct cdr_huawei_session *session = cdr_huawei_session_of(c);
        rc = cdr_huawei_sign_in(session, false, NULL, err);
        if (rc == CDR_OK) {
            struct cdr_record rec;
            bool found = false;
            rc = cdr_huawei_call_info(session, true, &rec, &found, err);
            if (rc == CDR_OK && found)
                cdr_record_free(&rec);
            struct cdr_error_info out;
            cdr_huawei_sign_out(session, &out);
        }
    }
    assert_int_not_equal(rc, CDR_OK);
    cdr_client_free(c);
    cdr_args_free(args);
}

static void provoke(const struct vendor_case *vc, enum path p)
{
    struct server_state st = {vc, p};
    struct fake_server *server = p == TRANSPORT ? NULL : fake_server_start(vc->answer, &st);
    char *base = base_url(server);
    struct test_cli_run r = run_cli(vc, base, p);
    if (r.status != 1)
        fail_msg("%s, %s: exit %d\n%s", vc->vendor, path_names[p], r.status, r.err);
    char *want = test_format("cdrsim-client: fetch %s: %s", vc->vendor, vc->says[p]);
    if (!strstr(r.err, want))
        fail_msg("%s, %s: stderr \"%s\" does not say \"%s\"", vc->vendor, path_names[p], r.err,
                 want);
    free(want);
    for (size_t i = 0; (p == TRANSPORT || p == TIMEOUT) && i < 2 && vc->url_says[i]; i++)
        if (!strstr(r.err, vc->url_says[i]))
            fail_msg("%s, %s: the URL in \"%s\" does not show \"%s\"", vc->vendor, path_names[p],
                     r.err, vc->url_says[i]);

    struct cdr_error_info err;
    library_error(vc, base, p, &err);

    struct secrets s = {{0}, 0};
    add_secret(&s, vc->secret, strlen(vc->secret));
    if (vc->more_secret)
        add_secret(&s, vc->more_secret, strlen(vc->more_secret));
    add_secret(&s, URL_PASSWORD, strlen(URL_PASSWORD));
    add_secret(&s, GUID_SECRET, strlen(GUID_SECRET));
    if (server)
        add_seen(&s, server);
    expect_none(&s, "stdout", r.out);
    expect_none(&s, "stderr", r.err);
    expect_none(&s, "the library's message", err.message);
    expect_none(&s, "the library's vendor code", err.vendor_code);
    test_cli_run_free(&r);
    secrets_free(&s);
    free(base);
    fake_server_stop(server);
}

/* Every path of the vendor case in *state. */
static void every_path(void **state)
{
    const struct vendor_case *vc = *state;
    for (enum path p = TRANSPORT; p < PATHS; p++)
        if (vc->says[p])
            provoke(vc, p);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    /* One test per case: ITNIO, Yunfu, Aliyun V2 GET, Aliyun V3 POST, Huawei. */
    struct CMUnitTest tests[sizeof(cases) / sizeof(cases[0])];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tests[i] = (struct CMUnitTest)cmocka_unit_test_prestate(every_path, (void *)&cases[i]);
        tests[i].name = cases[i].name;
    }
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
