/* libFuzzer target: arbitrary parameters for every AICCS action the simulator answers, signed
 * correctly (V2 or V3) so the fuzzer gets past authentication into each action's validation,
 * lookups and rendering; and arbitrary recording-link paths and queries. Every input must get the
 * vendor's answer (a JSON error or success document, OSS's XML error, or a WAV file), never a
 * crash or a leak.
 *
 * Input: byte 0 picks the action (or the link path), byte 1 bit 0 picks V3 and bit 1 XML; the
 * rest is "Name=Value&Name=Value..." taken as already-decoded parameters (for a link: the path
 * after /accrec_tmp/, a '?', then its query). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/aliyun.h"
#include "cdrsim/sign.h"
#include "server.h"

#define CLOCK_MS 1746057600000LL /* 2025-05-01T00:00:00Z */
#define MAX_PARAMS 24

static struct mock_server *server;
static struct mock_config config;

static void setup(void)
{
    mock_config_init(&config);
    config.data_dir = strdup(CDRSIM_SOURCE_DIR "/fixtures");
    config.clock_given = true;
    config.clock_start_ms = CLOCK_MS;
    config.log_format = MOCK_LOG_OFF;
    /* A small journal: a full one (10,000 entries) keeps so much alive that the leak checks
     * libFuzzer runs scan for hundreds of milliseconds per input. */
    config.journal_capacity = 16;
    char err[512];
    server = mock_server_new(&config, err, sizeof(err));
    if (!server)
        abort();
    mock_clock_freeze(&server->clock, CLOCK_MS);
}

static const char *const actions[] = {"HotlineSessionQuery", "ListHotlineRecord",
                                      "GetRecordUrl",        "GetRecordData",
                                      "DescribeRecordData",  "GetHotlineMessageLog"};
#define ACTIONS (sizeof(actions) / sizeof(actions[0]))

struct pairs {
    struct cdr_param items[MAX_PARAMS + 12];
    char *owned[2 * (MAX_PARAMS + 12)];
    size_t count, owned_count;
};

static void add(struct pairs *p, const char *name, const char *value)
{
    p->items[p->count++] = (struct cdr_param){name, value};
}

static char *keep(struct pairs *p, char *text)
{
    if (!text)
        abort();
    p->owned[p->owned_count++] = text;
    return text;
}

/* The fuzzed "k=v&k=v" pairs, each cut at a NUL as a C string would be. */
static void split(struct pairs *p, const char *data, size_t len)
{
    for (size_t at = 0; at < len && p->count < MAX_PARAMS;) {
        const char *start = data + at;
        const char *amp = memchr(start, '&', len - at);
        size_t n = amp ? (size_t)(amp - start) : len - at;
        at += n + 1;
        const char *eq = memchr(start, '=', n);
        size_t k = eq ? (size_t)(eq - start) : n;
        if (k == 0 || !start[0])
            continue; /* no name: nothing to send */
        char *name = keep(p, strndup(start, k));
        char *value = keep(p, eq ? strndup(eq + 1, n - k - 1) : strdup(""));
        add(p, name, value);
    }
}

static void check(const struct mock_response *resp)
{
    bool document = resp->body && resp->body_len && (resp->body[0] == '{' || resp->body[0] == '<');
    bool audio = resp->status == 200 && resp->body_len > 44 && memcmp(resp->body, "RIFF", 4) == 0;
    if (!(document || audio) || resp->status < 200 || resp->status > 500)
        abort();
}

static void handle(const char *method, const char *path, const struct pairs *query,
                   const struct mock_kv *headers, size_t header_count)
{
    struct mock_kv q[MAX_PARAMS + 12];
    for (size_t i = 0; i < query->count; i++)
        q[i] = (struct mock_kv){query->items[i].name, query->items[i].value};
    struct mock_request req = {method, path, q,     query->count, headers, header_count,
                               "",     0,    false, "127.0.0.1",  NULL};
    struct mock_response resp;
    mock_response_init(&resp);
    mock_server_handle(server, &req, &resp);
    check(&resp);
    mock_response_free(&resp);
}

static void fuzz_link(const char *data, size_t len)
{
    const char *q = memchr(data, '?', len);
    size_t path_len = q ? (size_t)(q - data) : len;
    char *path = malloc(path_len + 16);
    if (!path)
        abort();
    snprintf(path, path_len + 16, "/accrec_tmp/%.*s", (int)strnlen(data, path_len), data);
    struct pairs p = {0};
    if (q)
        split(&p, q + 1, len - path_len - 1);
    handle("GET", path, &p, NULL, 0);
    for (size_t i = 0; i < p.owned_count; i++)
        free(p.owned[i]);
    free(path);
}

static void fuzz_action(const char *action, bool v3, bool xml, const char *data, size_t len)
{
    static unsigned long counter;
    char nonce[32];
    snprintf(nonce, sizeof(nonce), "fuzz-%lu", ++counter);
    struct pairs p = {0};
    split(&p, data, len);
    add(&p, "Format", xml ? "XML" : "JSON");
    if (!v3) {
        add(&p, "AccessKeyId", "testid");
        add(&p, "Action", action);
        add(&p, "SignatureMethod", "HMAC-SHA1");
        add(&p, "SignatureNonce", nonce);
        add(&p, "SignatureVersion", "1.0");
        add(&p, "Timestamp", "2025-05-01T00:00:00Z");
        add(&p, "Version", "2019-10-15");
        char *sts = keep(&p, cdr_aliyun_v2_string_to_sign("GET", p.items, p.count));
        add(&p, "Signature", keep(&p, cdr_aliyun_v2_signature("testsecret", sts)));
        handle("GET", "/", &p, NULL, 0);
    } else {
        char *payload = keep(&p, cdr_sha256_hex("", 0));
        const struct cdr_param headers[] = {
            {"host", "aiccs.aliyuncs.com"},   {"x-acs-action", action},
            {"x-acs-version", "2019-10-15"},  {"x-acs-date", "2025-05-01T00:00:00Z"},
            {"x-acs-signature-nonce", nonce}, {"x-acs-content-sha256", payload},
        };
        char *signed_headers = NULL;
        char *canonical =
            keep(&p, cdr_aliyun_v3_canonical_request("GET", "/", p.items, p.count, headers, 6, NULL,
                                                     payload, &signed_headers));
        keep(&p, signed_headers);
        char *sts = keep(&p, cdr_aliyun_v3_string_to_sign(canonical));
        char *signature = keep(&p, cdr_aliyun_v3_signature("testsecret", sts));
        char auth[512];
        snprintf(auth, sizeof(auth),
                 "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=%s,Signature=%s", signed_headers,
                 signature);
        struct mock_kv h[7];
        for (size_t i = 0; i < 6; i++)
            h[i] = (struct mock_kv){headers[i].name, headers[i].value};
        h[6] = (struct mock_kv){"Authorization", auth};
        handle("GET", "/", &p, h, 7);
    }
    for (size_t i = 0; i < p.owned_count; i++)
        free(p.owned[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!server)
        setup();
    if (size < 2)
        return 0;
    const char *rest = (const char *)data + 2;
    size_t len = size - 2;
    size_t pick = data[0] % (ACTIONS + 1);
    if (pick == ACTIONS)
        fuzz_link(rest, len);
    else
        fuzz_action(actions[pick], data[1] & 1, data[1] & 2, rest, len);
    return 0;
}
