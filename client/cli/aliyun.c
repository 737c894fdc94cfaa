/* cdrsim-client's own part for Alibaba Cloud AICCS: sign (the V2 string to sign and signature,
 * or the V3 canonical request, string to sign and Authorization header), and fetch's options for
 * the recording and transcript actions of one session: its recordings, links, transcript, and
 * downloading its audio. */
#include <cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

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

/* ---- fetch: one session's recordings and transcript ----------------------------------------- */

/* The options that ask about one session (ACID) instead of listing records; at most one. */
static const char *const session_options[] = {"list-recordings", "transcript",      "record-url",
                                              "record-data",     "describe-record", "download"};
#define SESSION_OPTIONS (sizeof(session_options) / sizeof(session_options[0]))

static const struct cli_option options[] = {
    {"list-recordings", "ACID", "print the session's recordings (ListHotlineRecord), one a line"},
    {"transcript", "ACID", "print the session's transcript (GetHotlineMessageLog), one a line"},
    {"record-url", "ACID", "print the session's link (GetRecordUrl, see --record-type)"},
    {"record-type", "TYPE", "with --record-url: DUP_CALL (default), IVR_CALL or SMART_CALL"},
    {"record-data", "ACID", "print the session's link (GetRecordData)"},
    {"describe-record", "ACID",
     "print the session's link and agent (DescribeRecordData, as --account-type/--account-id)"},
    {"account-type", "TYPE", "with --describe-record: the account's type (BUC_TYPE)"},
    {"account-id", "ID", "with --describe-record: the account's id"},
    {"sec-level", "N", "with --describe-record: desensitisation level 1..4"},
    {"prod-code", "CODE", "with --describe-record: the product (aiccs)"},
    {"download", "ACID", "save the session's recordings as DIR/<ConnectionId>.wav, one line each"},
    {"output-dir", "DIR", "with --download: where to save (default .)"},
    {NULL, NULL, NULL},
};

/* Which session option was given (NULL: none); *count how many were. */
static const char *session_option(const struct cli_fetch *f, size_t *count)
{
    const char *which = NULL;
    *count = 0;
    for (size_t i = 0; i < SESSION_OPTIONS; i++)
        if (cdr_args_get(f->own, session_options[i])) {
            which = session_options[i];
            ++*count;
        }
    return which;
}

static bool needs(const struct cli_fetch *f, const char *option, const char *with, bool given)
{
    if (cdr_args_get(f->own, option) && !given) {
        fprintf(stderr, "cdrsim-client: --%s: only with --%s\n", option, with);
        return false;
    }
    return true;
}

static bool check(const struct cli_fetch *f)
{
    size_t count;
    const char *which = session_option(f, &count);
    bool describe = which && strcmp(which, "describe-record") == 0;
    int64_t level;
    const char *sec = cdr_args_get(f->own, "sec-level");
    if (count > 1) {
        fputs("cdrsim-client: give one of --list-recordings, --transcript, --record-url, "
              "--record-data, --describe-record, --download\n",
              stderr);
        return false;
    }
    if (describe &&
        (!cdr_args_get(f->own, "account-type") || !cdr_args_get(f->own, "account-id"))) {
        fputs("cdrsim-client: --describe-record: needs --account-type and --account-id\n", stderr);
        return false;
    }
    if (sec && !cli_parse_int(sec, 1, 4, &level)) {
        fputs("cdrsim-client: --sec-level: 1..4\n", stderr);
        return false;
    }
    return needs(f, "record-type", "record-url", which && strcmp(which, "record-url") == 0) &&
           needs(f, "account-type", "describe-record", describe) &&
           needs(f, "account-id", "describe-record", describe) &&
           needs(f, "sec-level", "describe-record", describe) &&
           needs(f, "prod-code", "describe-record", describe) &&
           needs(f, "output-dir", "download", which && strcmp(which, "download") == 0);
}

/* One JSON line; the object is freed. false when stdout fails or out of memory. */
static bool print_line(cJSON *obj)
{
    char *text = obj ? cJSON_PrintUnformatted(obj) : NULL;
    bool ok = text && puts(text) >= 0;
    free(text);
    cJSON_Delete(obj);
    return ok;
}

static cJSON *text_or_null(const char *text)
{
    return text ? cJSON_CreateString(text) : cJSON_CreateNull();
}

static cJSON *ms_or_null(int64_t ms)
{
    return ms == CDR_TIME_NONE ? cJSON_CreateNull() : cJSON_CreateNumber((double)ms);
}

static bool print_recordings(const struct cdr_aliyun_recordings *list)
{
    bool ok = true;
    for (size_t i = 0; ok && i < list->count; i++) {
        const struct cdr_aliyun_recording *r = &list->items[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "ConnectionId", text_or_null(r->connection_id));
        cJSON_AddItemToObject(o, "CallId", text_or_null(r->call_id));
        cJSON_AddItemToObject(o, "StartTime", ms_or_null(r->start_ms));
        cJSON_AddItemToObject(o, "EndTime", ms_or_null(r->end_ms));
        cJSON_AddItemToObject(o, "Url", text_or_null(r->url));
        ok = print_line(o);
    }
    return ok;
}

static bool print_messages(const struct cdr_aliyun_messages *list)
{
    bool ok = true;
    for (size_t i = 0; ok && i < list->count; i++) {
        const struct cdr_aliyun_message *m = &list->items[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "Acid", text_or_null(m->acid));
        cJSON_AddNumberToObject(o, "SenderType", m->sender_type);
        cJSON_AddItemToObject(o, "StartTime", ms_or_null(m->start_ms));
        cJSON_AddItemToObject(o, "EndTime", ms_or_null(m->end_ms));
        cJSON_AddItemToObject(o, "Mid", text_or_null(m->mid));
        cJSON_AddItemToObject(o, "Content", text_or_null(m->content));
        ok = print_line(o);
    }
    return ok;
}

static bool print_link(const struct cdr_aliyun_record_link *link)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "Acid", text_or_null(link->acid));
    cJSON_AddItemToObject(o, "OssLink", text_or_null(link->oss_link));
    if (link->agent_id)
        cJSON_AddStringToObject(o, "AgentId", link->agent_id);
    return print_line(o);
}

/* ---- --download ------------------------------------------------------------------------------ */

static int write_file(void *user, const void *data, size_t len)
{
    return fwrite(data, 1, len, user) == len ? 0 : 1;
}

/* A file name from a vendor's id: only characters safe in any file system, never empty. */
static void safe_name(const char *id, char *out, size_t len)
{
    size_t n = 0;
    for (const char *p = id ? id : ""; *p && n + 1 < len; p++) {
        bool safe = strchr("-_.", *p) || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                    (*p >= 'A' && *p <= 'Z');
        out[n] = safe && !(n == 0 && *p == '.') ? *p : '_'; /* no hidden or ".." names */
        n++;
    }
    out[n] = '\0';
    if (!n)
        snprintf(out, len, "recording");
}

/* Saves one recording as dir/<ConnectionId>.wav and prints {"ConnectionId","file","bytes"}. */
static cdr_error save_recording(struct cdr_aliyun_client *client, const char *dir,
                                const struct cdr_aliyun_recording *r, size_t index,
                                bool *print_failed, struct cdr_error_info *err)
{
    char name[128], *path;
    safe_name(r->connection_id, name, sizeof(name));
    if (!r->connection_id)
        snprintf(name, sizeof(name), "recording-%zu", index + 1);
    size_t len = strlen(dir) + strlen(name) + 6;
    if (!r->url)
        return cdr_error_set(err, CDR_ERR_NOT_FOUND, "recording %s has no link", name);
    if (!(path = malloc(len)))
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    snprintf(path, len, "%s/%s.wav", dir, name);
    FILE *out = fopen(path, "wb");
    uint64_t bytes = 0;
    cdr_error rc =
        out ? cdr_aliyun_download(client, r->url, write_file, out, &bytes, err)
            : cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "%s: %s", path, strerror(errno));
    if (out && fclose(out) != 0 && rc == CDR_OK)
        rc = cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "%s: %s", path, strerror(errno));
    if (out && rc != CDR_OK)
        remove(path); /* no half file left behind */
    if (rc == CDR_OK) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "ConnectionId", text_or_null(r->connection_id));
        cJSON_AddStringToObject(o, "file", path);
        cJSON_AddNumberToObject(o, "bytes", (double)bytes);
        *print_failed |= !print_line(o);
    }
    free(path);
    return rc;
}

static cdr_error download(struct cdr_aliyun_client *client, const char *instance,
                          const struct cli_fetch *f, bool *print_failed, struct cdr_error_info *err)
{
    const char *dir = cdr_args_get(f->own, "output-dir");
    struct stat st;
    dir = dir ? dir : ".";
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "--output-dir %s: not a directory",
                             dir);
    struct cdr_aliyun_recordings list;
    cdr_error rc = cdr_aliyun_list_hotline_record(client, instance,
                                                  cdr_args_get(f->own, "download"), &list, err);
    if (rc == CDR_OK && list.count == 0)
        rc = cdr_error_set(err, CDR_ERR_NOT_FOUND, "session %s has no recording",
                           cdr_args_get(f->own, "download"));
    for (size_t i = 0; rc == CDR_OK && i < list.count; i++)
        rc = save_recording(client, dir, &list.items[i], i, print_failed, err);
    cdr_aliyun_recordings_free(&list);
    return rc;
}

/* The one session option given, run and printed. */
static cdr_error run_session(struct cdr_aliyun_client *client, const struct cli_fetch *f,
                             const char *which, bool *print_failed, struct cdr_error_info *err)
{
    const char *instance = cdr_args_get(f->args, "instance_id");
    const char *acid = cdr_args_get(f->own, which);
    struct cdr_aliyun_recordings recordings;
    struct cdr_aliyun_messages messages;
    struct cdr_aliyun_record_link link;
    cdr_error rc;
    if (strcmp(which, "download") == 0)
        return download(client, instance, f, print_failed, err);
    if (strcmp(which, "list-recordings") == 0) {
        if ((rc = cdr_aliyun_list_hotline_record(client, instance, acid, &recordings, err)) ==
            CDR_OK)
            *print_failed = !print_recordings(&recordings);
        cdr_aliyun_recordings_free(&recordings);
        return rc;
    }
    if (strcmp(which, "transcript") == 0) {
        if ((rc = cdr_aliyun_get_hotline_message_log(client, instance, acid, &messages, err)) ==
            CDR_OK)
            *print_failed = !print_messages(&messages);
        cdr_aliyun_messages_free(&messages);
        return rc;
    }
    if (strcmp(which, "record-url") == 0) {
        const char *type = cdr_args_get(f->own, "record-type");
        rc =
            cdr_aliyun_get_record_url(client, instance, acid, type ? type : "DUP_CALL", &link, err);
    } else if (strcmp(which, "record-data") == 0) {
        rc = cdr_aliyun_get_record_data(client, instance, acid, &link, err);
    } else {
        const char *sec = cdr_args_get(f->own, "sec-level");
        struct cdr_aliyun_account account = {
            cdr_args_get(f->own, "prod-code"), cdr_args_get(f->own, "account-type"),
            cdr_args_get(f->own, "account-id"), sec ? atoi(sec) : 0};
        rc = cdr_aliyun_describe_record_data(client, &account, acid, &link, err);
    }
    if (rc == CDR_OK)
        *print_failed = !print_link(&link);
    cdr_aliyun_record_link_free(&link);
    return rc;
}

static int aliyun_fetch(const struct cli_fetch *f)
{
    size_t count;
    const char *which = session_option(f, &count);
    if (!which)
        return cli_fetch_records(f);
    struct cdr_error_info err;
    struct cdr_client *client = cdr_client_new(f->vendor, &f->opts, f->args, &err);
    struct cli_record_sink sink = {f->raw, false, {0}, false};
    cdr_error rc =
        client ? run_session(cdr_aliyun_client_of(client), f, which, &sink.write_failed, &err)
               : err.code;
    if (rc != CDR_OK)
        cdr_client_redact(client, &err);
    cdr_client_free(client);
    return cli_fetch_status("fetch aliyun", rc, &err, &sink);
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
             "Authorization header too)\n"
             "  fetch aliyun ... --list-recordings|--transcript|--record-url|--record-data ACID\n"
             "  fetch aliyun ... --describe-record ACID --account-type T --account-id ID\n"
             "  fetch aliyun ... --download ACID [--output-dir DIR]     save a session's audio\n",
    .sign = aliyun_sign,
    .options = options,
    .check = check,
    .fetch = aliyun_fetch,
};
