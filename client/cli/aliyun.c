/* cdrsim-client's own command for Alibaba Cloud AICCS: sign (the V2 string to sign and
 * signature, or the V3 canonical request, string to sign and Authorization header). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cdrsim/aliyun.h"
#include "cli.h"

#define SECRET_ENV "CDRSIM_ALIYUN_ACCESS_KEY_SECRET"

static const char sign_usage[] =
    "usage: cdrsim-client sign aliyun --method GET|POST --access-key-secret S KEY=VALUE...\n"
    "       cdrsim-client sign aliyun --v3 --method GET|POST --access-key-secret S\n"
    "         --header 'host: H' --header 'x-acs-action: A' ... [--body TEXT] [--access-key-id K]\n"
    "         [KEY=VALUE...]\n"
    "V2 prints the string to sign and the Signature parameter over the KEY=VALUE parameters\n"
    "(every one but Signature). V3 signs the query KEY=VALUE pairs and every --header (adding\n"
    "x-acs-content-sha256 of --body when missing) and prints the canonical request, the string to\n"
    "sign, the signature and, with --access-key-id, the Authorization header.\n";

/* Splits "KEY=VALUE" (or "Name: value" when sep is ':') into pair; false when malformed. */
static bool split_pair(char *text, char sep, struct cdr_param *pair)
{
    char *at = strchr(text, sep);
    if (!at || at == text)
        return false;
    *at = '\0';
    const char *value = at + 1;
    while (sep == ':' && *value == ' ')
        value++;
    *pair = (struct cdr_param){text, value};
    return true;
}

static bool has_header(const struct cdr_param *headers, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(headers[i].name, name) == 0)
            return true;
    return false;
}

static int print_v2(const char *method, const char *secret, const struct cdr_param *params,
                    size_t n)
{
    char *sts = cdr_aliyun_v2_string_to_sign(method, params, n);
    char *signature = sts ? cdr_aliyun_v2_signature(secret, sts) : NULL;
    int status = signature ? CLI_OK : CLI_FAILED;
    if (signature)
        printf("StringToSign: %s\nSignature: %s\n", sts, signature);
    free(sts);
    free(signature);
    return status;
}

static int print_v3(const char *method, const char *secret, const char *key_id,
                    const struct cdr_param *query, size_t nquery, struct cdr_param *headers,
                    size_t nheaders, const char *body)
{
    char *payload = cdr_sha256_hex(body, strlen(body));
    if (payload && !has_header(headers, nheaders, "x-acs-content-sha256"))
        headers[nheaders++] = (struct cdr_param){"x-acs-content-sha256", payload};
    char *signed_headers = NULL;
    char *canonical =
        payload ? cdr_aliyun_v3_canonical_request(method, "/", query, nquery, headers, nheaders,
                                                  NULL, payload, &signed_headers)
                : NULL;
    char *sts = canonical ? cdr_aliyun_v3_string_to_sign(canonical) : NULL;
    char *signature = sts ? cdr_aliyun_v3_signature(secret, sts) : NULL;
    int status = signature ? CLI_OK : CLI_FAILED;
    if (signature) {
        printf("CanonicalRequest:\n%s\nStringToSign:\n%s\nSignature: %s\n", canonical, sts,
               signature);
        if (key_id)
            printf("Authorization: %s Credential=%s,SignedHeaders=%s,Signature=%s\n",
                   CDR_ALIYUN_V3_ALGORITHM, key_id, signed_headers, signature);
    }
    free(payload);
    free(signed_headers);
    free(canonical);
    free(sts);
    free(signature);
    return status;
}

static int aliyun_sign(int argc, char **argv)
{
    enum { O_METHOD = 1000, O_SECRET, O_KEY_ID, O_V3, O_HEADER, O_BODY };
    static const struct option longopts[] = {
        {"method", required_argument, NULL, O_METHOD},
        {"access-key-secret", required_argument, NULL, O_SECRET},
        {"access-key-id", required_argument, NULL, O_KEY_ID},
        {"v3", no_argument, NULL, O_V3},
        {"header", required_argument, NULL, O_HEADER},
        {"body", required_argument, NULL, O_BODY},
        {NULL, 0, NULL, 0},
    };
    const char *method = NULL, *secret = NULL, *key_id = NULL, *body = "";
    bool v3 = false, ok = true;
    /* One slot more than headers given, for x-acs-content-sha256. */
    struct cdr_param *headers = calloc((size_t)argc + 1, sizeof(*headers));
    struct cdr_param *params = calloc((size_t)argc + 1, sizeof(*params));
    size_t nheaders = 0, nparams = 0;
    int opt;
    while (ok && headers && params && (opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case O_METHOD:
            method = optarg;
            break;
        case O_SECRET:
            secret = optarg;
            break;
        case O_KEY_ID:
            key_id = optarg;
            break;
        case O_V3:
            v3 = true;
            break;
        case O_HEADER:
            ok = split_pair(optarg, ':', &headers[nheaders++]);
            break;
        case O_BODY:
            body = optarg;
            break;
        default:
            ok = false;
            break;
        }
    }
    for (int i = optind; ok && i < argc; i++)
        ok = split_pair(argv[i], '=', &params[nparams++]);
    secret = cli_arg_or_env(secret, SECRET_ENV);
    ok = ok && headers && params && secret && method &&
         (strcmp(method, "GET") == 0 || strcmp(method, "POST") == 0) && (v3 || nheaders == 0);
    int status = CLI_USAGE;
    if (!ok)
        fputs(sign_usage, stderr);
    else if (v3)
        status = print_v3(method, secret, key_id, params, nparams, headers, nheaders, body);
    else
        status = print_v2(method, secret, params, nparams);
    free(headers);
    free(params);
    return status;
}

const struct cli_vendor cli_aliyun = {
    .id = "aliyun",
    .usage = "  sign aliyun --method GET|POST --access-key-secret S KEY=VALUE...   print the V2 "
             "string to sign\n"
             "  sign aliyun --v3 --method M --access-key-secret S --header 'N: V'... "
             "[KEY=VALUE...]\n"
             "       [--body TEXT] [--access-key-id ID]   print the V3 canonical request, string "
             "to sign\n"
             "       and signature (--body: the payload hashed; --access-key-id: the "
             "Authorization header too)\n",
    .sign = aliyun_sign,
};
