/* cdrsim-client commands for the Huawei AgentGateway: fetch (sign in, the current or last call,
 * sign out) and parse (a saved calldata answer). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/huawei.h"
#include "cli.h"

static int print_records(const struct cdr_record *recs, size_t count, bool raw)
{
    for (size_t i = 0; i < count; i++)
        if (!cli_print_record(&recs[i], raw))
            return CLI_FAILED;
    if (fflush(stdout) != 0) {
        fprintf(stderr, "cdrsim-client: cannot write to stdout\n");
        return CLI_FAILED;
    }
    return CLI_OK;
}

static int huawei_parse(int argc, char **argv)
{
    bool raw = argc > 2 && strcmp(argv[1], "--raw") == 0;
    if (argc != 2 + raw) {
        fprintf(stderr, "usage: cdrsim-client parse huawei [--raw] FILE|-\n");
        return CLI_USAGE;
    }
    size_t len;
    char *body = cli_read_file(argv[1 + raw], &len);
    if (!body)
        return CLI_FAILED;
    struct cdr_record *recs;
    size_t count;
    struct cdr_error_info err;
    cdr_error rc = cdr_huawei_parse_calls(body, len, &recs, &count, &err);
    free(body);
    if (rc != CDR_OK) {
        cli_print_error("parse huawei", rc, &err);
        return CLI_FAILED;
    }
    int status = print_records(recs, count, raw);
    cdr_huawei_records_free(recs, count);
    return status;
}

static const char fetch_usage[] =
    "usage: cdrsim-client fetch huawei --base-url URL --agent-id N --password P [--phone N]\n"
    "         [--force] [--current-only] [--lastcall-flag auto|doc|name] [--status 3|4|5] [--raw]\n"
    "         " CLI_HTTP_USAGE "\n";

static bool parse_flag(const char *text, enum cdr_huawei_lastcall_flag *out)
{
    static const char *const names[] = {"auto", "doc", "name"};
    for (size_t i = 0; i < 3; i++)
        if (strcmp(text, names[i]) == 0) {
            *out = (enum cdr_huawei_lastcall_flag)i;
            return true;
        }
    return false;
}

/* Signed in: fetch, print, and always sign out again. */
static int fetch_and_sign_out(struct cdr_huawei_session *session, bool current_only, bool raw)
{
    struct cdr_record rec;
    bool found = false;
    struct cdr_error_info err;
    int status = CLI_OK;
    cdr_error rc = cdr_huawei_call_info(session, !current_only, &rec, &found, &err);
    if (rc != CDR_OK) {
        cli_print_error("fetch huawei: callinfo", rc, &err);
        status = CLI_FAILED;
    } else if (found) {
        status = print_records(&rec, 1, raw);
        cdr_record_free(&rec);
    } else {
        fprintf(stderr, "cdrsim-client: fetch huawei: the agent has no %s call\n",
                current_only ? "current" : "current or last");
    }
    rc = cdr_huawei_sign_out(session, &err);
    /* Out already (auto sign-out, or another client's doing): the goal is reached. */
    bool out_already = rc != CDR_OK && (strcmp(err.vendor_code, "100-006") == 0 ||
                                        strcmp(err.vendor_code, "100-008") == 0);
    if (rc != CDR_OK && !out_already) {
        cli_print_error("fetch huawei: sign out", rc, &err);
        status = CLI_FAILED;
    }
    return status;
}

static int huawei_fetch(int argc, char **argv)
{
    enum {
        O_BASE = 1000,
        O_AGENT,
        O_PASSWORD,
        O_PHONE,
        O_FORCE,
        O_CURRENT,
        O_FLAG,
        O_STATUS,
        O_RAW,
    };
    static const struct option longopts[] = {
        {"base-url", required_argument, NULL, O_BASE},
        {"agent-id", required_argument, NULL, O_AGENT},
        {"password", required_argument, NULL, O_PASSWORD},
        {"phone", required_argument, NULL, O_PHONE},
        {"force", no_argument, NULL, O_FORCE},
        {"current-only", no_argument, NULL, O_CURRENT},
        {"lastcall-flag", required_argument, NULL, O_FLAG},
        {"status", required_argument, NULL, O_STATUS},
        {"raw", no_argument, NULL, O_RAW},
        CLI_HTTP_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    struct cdr_huawei_options opts;
    cdr_huawei_options_default(&opts);
    bool force = false, current_only = false, raw = false, ok = true;
    int64_t n;
    int opt;
    while (ok && (opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case O_BASE:
            opts.base_url = optarg;
            break;
        case O_AGENT:
            opts.agent_id = optarg;
            break;
        case O_PASSWORD:
            opts.password = optarg;
            break;
        case O_PHONE:
            opts.phone = optarg;
            break;
        case O_FORCE:
            force = true;
            break;
        case O_CURRENT:
            current_only = true;
            break;
        case O_FLAG:
            ok = parse_flag(optarg, &opts.lastcall_flag);
            break;
        case O_STATUS:
            ok = cli_parse_int(optarg, 3, 5, &n);
            opts.status = (int)n;
            break;
        case O_RAW:
            raw = true;
            break;
        default:
            if (!cli_http_option(opt, optarg, &opts.http, &ok))
                ok = false;
            break;
        }
    }
    opts.agent_id = cli_arg_or_env(opts.agent_id, "CDRSIM_HUAWEI_AGENT_ID");
    opts.password = cli_arg_or_env(opts.password, "CDRSIM_HUAWEI_PASSWORD");
    /* Without a phone number the agent ID stands in: many deployments number softphones so. */
    opts.phone = cli_arg_or_env(opts.phone, "CDRSIM_HUAWEI_PHONE");
    if (!opts.phone)
        opts.phone = opts.agent_id;
    if (!ok || !opts.base_url || !opts.agent_id || !opts.password || optind != argc) {
        fputs(fetch_usage, stderr);
        return CLI_USAGE;
    }
    struct cdr_error_info err;
    struct cdr_huawei_session *session = cdr_huawei_session_new(&opts, &err);
    if (!session) {
        cli_print_error("fetch huawei", err.code, &err);
        return err.code == CDR_ERR_INVALID_ARGUMENT ? CLI_USAGE : CLI_FAILED;
    }
    int status;
    cdr_error rc = cdr_huawei_sign_in(session, force, NULL, &err);
    if (rc != CDR_OK) {
        cli_print_error("fetch huawei: sign in", rc, &err);
        if (strcmp(err.vendor_code, "100-002") == 0)
            fprintf(stderr,
                    "cdrsim-client: the agent is signed in elsewhere; --force ends that session\n");
        status = CLI_FAILED;
    } else {
        status = fetch_and_sign_out(session, current_only, raw);
    }
    cdr_huawei_session_free(session);
    return status;
}

const struct cli_vendor cli_huawei = {
    .id = "huawei",
    .usage =
        "  parse huawei [--raw] FILE|-                           normalize a callinfo/holdlist "
        "answer\n"
        "  fetch huawei --base-url URL --agent-id N --password P [--phone N] [--force]\n"
        "               [--current-only] [--lastcall-flag auto|doc|name] [--insecure] [--ca-file "
        "F]\n"
        "                                                        sign in, print the current (or\n"
        "                                                        last) call, sign out\n",
    .sign = NULL,
    .parse = huawei_parse,
    .fetch = huawei_fetch,
};
