/* cdrsim-client commands for Alibaba Cloud AICCS. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cdrsim/aliyun.h"
#include "cli.h"

#define SECRET_ENV "CDRSIM_ALIYUN_ACCESS_KEY_SECRET"
#define KEY_ID_ENV "CDRSIM_ALIYUN_ACCESS_KEY_ID"

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

static int aliyun_parse(int argc, char **argv)
{
    bool raw;
    size_t len;
    int status;
    char *body = cli_parse_input(argc, argv, "aliyun", &raw, &len, &status);
    if (!body)
        return status;
    struct cdr_aliyun_page page;
    struct cdr_error_info err;
    cdr_error rc = cdr_aliyun_parse_page(body, len, 0, &page, &err);
    free(body);
    if (rc != CDR_OK) {
        cli_print_error("parse aliyun", rc, &err);
        return CLI_FAILED;
    }
    status = cli_print_records(page.records, page.record_count, raw);
    cdr_aliyun_page_free(&page);
    return status;
}

/* ---- fetch ----------------------------------------------------------------------------------- */

static void on_progress(void *user, const struct cdr_aliyun_progress *p)
{
    (void)user;
    cli_progress("aliyun: page %" PRId64 "/%" PRId64 ", %" PRId64 " of %" PRId64 " records",
                 p->page, p->pages, p->records_seen, p->total_count);
}

static const char fetch_usage[] =
    "usage: cdrsim-client fetch aliyun --base-url URL --access-key-id K --access-key-secret S\n"
    "         --instance-id I [--from T1] [--to T2] [--v2] [--method GET|POST] [--page-size N]\n"
    "         [--security-token T] [--id S] [--acid S] [--call-type N] [--calling-number S]\n"
    "         [--called-number S] [--group-id N] [--group-name S] [--member-id S] [--member-name "
    "S]\n"
    "         [--servicer-id S] [--servicer-name S] [--call-result S] [--acid-list S]...\n"
    "         [--call-type-list N]... [--group-id-list N]... [--calling-number-list S]...\n"
    "         [--called-number-list S]... [--member-id-list S]... [--servicer-id-list S]...\n"
    "         [--call-result-list S]... [--raw] " CLI_HTTP_USAGE "\n";

/* The repeatable list flags, kept together so one loop frees them. */
struct lists {
    struct cli_strings acid, calling, called, member, servicer, result;
    struct cli_ints call_type;
    struct cli_int64s group;
};

static void lists_free(struct lists *l)
{
    cli_lists_free(&l->acid, &l->call_type, &l->group);
    cli_lists_free(&l->calling, NULL, NULL);
    cli_lists_free(&l->called, NULL, NULL);
    cli_lists_free(&l->member, NULL, NULL);
    cli_lists_free(&l->servicer, NULL, NULL);
    cli_lists_free(&l->result, NULL, NULL);
}

static void attach_lists(struct cdr_aliyun_filter *f, const struct lists *l)
{
    f->acid_list = l->acid.items;
    f->acid_list_count = l->acid.count;
    f->call_type_list = l->call_type.items;
    f->call_type_list_count = l->call_type.count;
    f->group_id_list = l->group.items;
    f->group_id_list_count = l->group.count;
    f->calling_number_list = l->calling.items;
    f->calling_number_list_count = l->calling.count;
    f->called_number_list = l->called.items;
    f->called_number_list_count = l->called.count;
    f->member_id_list = l->member.items;
    f->member_id_list_count = l->member.count;
    f->servicer_id_list = l->servicer.items;
    f->servicer_id_list_count = l->servicer.count;
    f->call_result_list = l->result.items;
    f->call_result_list_count = l->result.count;
}

static int run_fetch(struct cdr_aliyun_options *opts, struct cdr_aliyun_filter *f,
                     int64_t page_size, struct cli_record_sink *sink)
{
    struct cdr_error_info err;
    struct cdr_aliyun_client *client = cdr_aliyun_client_new(opts, &err);
    cdr_error rc = client ? cdr_aliyun_fetch_all(client, f, page_size, cli_sink_record, on_progress,
                                                 sink, &err)
                          : err.code;
    cli_progress_done();
    cdr_aliyun_client_free(client);
    return cli_fetch_status("fetch aliyun", rc, &err, sink);
}

static int aliyun_fetch(int argc, char **argv)
{
    enum {
        O_BASE = 1000,
        O_KEY_ID,
        O_SECRET,
        O_TOKEN,
        O_INSTANCE,
        O_FROM,
        O_TO,
        O_V2,
        O_METHOD,
        O_SIZE,
        O_ID,
        O_ACID,
        O_CALL_TYPE,
        O_CALLING,
        O_CALLED,
        O_GROUP_ID,
        O_GROUP_NAME,
        O_MEMBER_ID,
        O_MEMBER_NAME,
        O_SERVICER_ID,
        O_SERVICER_NAME,
        O_RESULT,
        O_ACID_LIST,
        O_CALL_TYPE_LIST,
        O_GROUP_ID_LIST,
        O_CALLING_LIST,
        O_CALLED_LIST,
        O_MEMBER_LIST,
        O_SERVICER_LIST,
        O_RESULT_LIST,
        O_RAW,
    };
    static const struct option longopts[] = {
        {"base-url", required_argument, NULL, O_BASE},
        {"access-key-id", required_argument, NULL, O_KEY_ID},
        {"access-key-secret", required_argument, NULL, O_SECRET},
        {"security-token", required_argument, NULL, O_TOKEN},
        {"instance-id", required_argument, NULL, O_INSTANCE},
        {"from", required_argument, NULL, O_FROM},
        {"to", required_argument, NULL, O_TO},
        {"v2", no_argument, NULL, O_V2},
        {"method", required_argument, NULL, O_METHOD},
        {"page-size", required_argument, NULL, O_SIZE},
        {"id", required_argument, NULL, O_ID},
        {"acid", required_argument, NULL, O_ACID},
        {"call-type", required_argument, NULL, O_CALL_TYPE},
        {"calling-number", required_argument, NULL, O_CALLING},
        {"called-number", required_argument, NULL, O_CALLED},
        {"group-id", required_argument, NULL, O_GROUP_ID},
        {"group-name", required_argument, NULL, O_GROUP_NAME},
        {"member-id", required_argument, NULL, O_MEMBER_ID},
        {"member-name", required_argument, NULL, O_MEMBER_NAME},
        {"servicer-id", required_argument, NULL, O_SERVICER_ID},
        {"servicer-name", required_argument, NULL, O_SERVICER_NAME},
        {"call-result", required_argument, NULL, O_RESULT},
        {"acid-list", required_argument, NULL, O_ACID_LIST},
        {"call-type-list", required_argument, NULL, O_CALL_TYPE_LIST},
        {"group-id-list", required_argument, NULL, O_GROUP_ID_LIST},
        {"calling-number-list", required_argument, NULL, O_CALLING_LIST},
        {"called-number-list", required_argument, NULL, O_CALLED_LIST},
        {"member-id-list", required_argument, NULL, O_MEMBER_LIST},
        {"servicer-id-list", required_argument, NULL, O_SERVICER_LIST},
        {"call-result-list", required_argument, NULL, O_RESULT_LIST},
        {"raw", no_argument, NULL, O_RAW},
        CLI_HTTP_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    struct cdr_aliyun_options opts;
    cdr_aliyun_options_default(&opts);
    struct cdr_aliyun_filter f;
    cdr_aliyun_filter_init(&f);
    struct lists l;
    memset(&l, 0, sizeof(l));
    const char *from = NULL, *to = NULL;
    int64_t page_size = 100, n;
    struct cli_record_sink st = {0};
    bool ok = true;
    int opt;
    while (ok && (opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case O_BASE:
            opts.base_url = optarg;
            break;
        case O_KEY_ID:
            opts.access_key_id = optarg;
            break;
        case O_SECRET:
            opts.access_key_secret = optarg;
            break;
        case O_TOKEN:
            opts.security_token = optarg;
            break;
        case O_INSTANCE:
            f.instance_id = optarg;
            break;
        case O_FROM:
            from = optarg;
            break;
        case O_TO:
            to = optarg;
            break;
        case O_V2:
            opts.signing = CDR_ALIYUN_SIGN_V2;
            break;
        case O_METHOD:
            ok = strcmp(optarg, "GET") == 0 || strcmp(optarg, "POST") == 0;
            opts.use_get = strcmp(optarg, "GET") == 0;
            break;
        case O_SIZE:
            ok = cli_parse_int(optarg, 1, INT32_MAX, &page_size);
            break;
        case O_ID:
            f.id = optarg;
            break;
        case O_ACID:
            f.acid = optarg;
            break;
        case O_CALL_TYPE:
            ok = cli_parse_int(optarg, INT32_MIN, INT32_MAX, &n);
            f.call_type = (int)n;
            f.has_call_type = true;
            break;
        case O_CALLING:
            f.calling_number = optarg;
            break;
        case O_CALLED:
            f.called_number = optarg;
            break;
        case O_GROUP_ID:
            ok = cli_parse_int(optarg, INT64_MIN, INT64_MAX, &f.group_id);
            f.has_group_id = true;
            break;
        case O_GROUP_NAME:
            f.group_name = optarg;
            break;
        case O_MEMBER_ID:
            f.member_id = optarg;
            break;
        case O_MEMBER_NAME:
            f.member_name = optarg;
            break;
        case O_SERVICER_ID:
            f.servicer_id = optarg;
            break;
        case O_SERVICER_NAME:
            f.servicer_name = optarg;
            break;
        case O_RESULT:
            f.call_result = optarg;
            break;
        case O_ACID_LIST:
            ok = cli_strings_add(&l.acid, optarg);
            break;
        case O_CALL_TYPE_LIST:
            ok = cli_ints_add(&l.call_type, optarg, INT32_MIN, INT32_MAX);
            break;
        case O_GROUP_ID_LIST:
            ok = cli_int64s_add(&l.group, optarg);
            break;
        case O_CALLING_LIST:
            ok = cli_strings_add(&l.calling, optarg);
            break;
        case O_CALLED_LIST:
            ok = cli_strings_add(&l.called, optarg);
            break;
        case O_MEMBER_LIST:
            ok = cli_strings_add(&l.member, optarg);
            break;
        case O_SERVICER_LIST:
            ok = cli_strings_add(&l.servicer, optarg);
            break;
        case O_RESULT_LIST:
            ok = cli_strings_add(&l.result, optarg);
            break;
        case O_RAW:
            st.raw = true;
            break;
        default:
            if (!cli_http_option(opt, optarg, &opts.http, &ok))
                ok = false;
            break;
        }
    }
    opts.access_key_id = cli_arg_or_env(opts.access_key_id, KEY_ID_ENV);
    opts.access_key_secret = cli_arg_or_env(opts.access_key_secret, SECRET_ENV);
    ok = ok && opts.base_url && opts.access_key_id && opts.access_key_secret && f.instance_id &&
         optind == argc;
    int64_t t;
    if (ok && ((from && !cli_parse_time(from, &t)) || (to && !cli_parse_time(to, &t)))) {
        fprintf(stderr, "cdrsim-client: --from/--to take RFC 3339, \"YYYY-MM-DD HH:MM:SS\" (UTC+8) "
                        "or Unix seconds\n");
        ok = false;
    }
    int status = CLI_USAGE;
    if (!ok) {
        fputs(fetch_usage, stderr);
    } else {
        /* QueryStartTime/QueryEndTime are milliseconds; the command line speaks seconds. */
        if (from && cli_parse_time(from, &t))
            f.start_ms = t * 1000;
        if (to && cli_parse_time(to, &t))
            f.end_ms = t * 1000;
        attach_lists(&f, &l);
        status = run_fetch(&opts, &f, page_size, &st);
    }
    lists_free(&l);
    return status;
}

const struct cli_vendor cli_aliyun = {
    .id = "aliyun",
    .usage =
        "  sign aliyun --method GET|POST --access-key-secret S KEY=VALUE...   print the V2 string "
        "to sign\n"
        "  sign aliyun --v3 --method M --access-key-secret S --header 'N: V'... [KEY=VALUE...]\n"
        "  parse aliyun [--raw] FILE|-                                       normalize a "
        "HotlineSessionQuery answer\n"
        "  fetch aliyun --base-url URL --access-key-id K --access-key-secret S --instance-id I\n"
        "              [--from T1] [--to T2] [--v2] [--method GET|POST] [filters]\n",
    .sign = aliyun_sign,
    .parse = aliyun_parse,
    .fetch = aliyun_fetch,
};
