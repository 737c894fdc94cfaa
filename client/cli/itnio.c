/* cdrsim-client commands for ITNIO. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/itnio.h"
#include "cli.h"

static int itnio_sign(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"api-key", required_argument, NULL, 'k'},
        {"api-secret", required_argument, NULL, 's'},
        {"timestamp", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    const char *key = NULL, *secret = NULL, *ts_text = NULL;
    int opt;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 'k':
            key = optarg;
            break;
        case 's':
            secret = optarg;
            break;
        case 't':
            ts_text = optarg;
            break;
        default:
            return CLI_USAGE;
        }
    }
    key = cli_arg_or_env(key, "CDRSIM_ITNIO_API_KEY");
    secret = cli_arg_or_env(secret, "CDRSIM_ITNIO_API_SECRET");
    int64_t ts;
    if (!key || !secret || !ts_text || !cli_parse_int(ts_text, 0, INT64_MAX, &ts)) {
        fprintf(stderr, "usage: cdrsim-client sign itnio --api-key K --api-secret S --timestamp "
                        "UNIX_SECONDS\n");
        return CLI_USAGE;
    }
    char *sign = cdr_itnio_sign(key, secret, ts);
    if (!sign)
        return CLI_FAILED;
    puts(sign);
    free(sign);
    return CLI_OK;
}

static int itnio_parse(int argc, char **argv)
{
    bool raw;
    size_t len;
    int status;
    char *body = cli_parse_input(argc, argv, "itnio", &raw, &len, &status);
    if (!body)
        return status;
    struct cdr_itnio_page page;
    struct cdr_error_info err;
    cdr_error rc = cdr_itnio_parse_page(body, len, &page, &err);
    free(body);
    if (rc != CDR_OK) {
        cli_print_error("parse itnio", rc, &err);
        return CLI_FAILED;
    }
    status = cli_print_records(page.records, page.record_count, raw);
    cdr_itnio_page_free(&page);
    return status;
}

static void on_progress(void *user, const struct cdr_itnio_progress *p)
{
    (void)user;
    cli_progress("itnio: window %zu/%zu, page %" PRId64 "/%" PRId64 ", %" PRId64 " records",
                 p->window, p->window_count, p->page, p->pages, p->records_seen);
}

static const char fetch_usage[] =
    "usage: cdrsim-client fetch itnio --base-url URL --api-key K --api-secret S --from T1 --to T2\n"
    "         [--page-size N] [--voice-group-id N] [--sip-group-name S] [--seat-id N]...\n"
    "         [--seat-name S]... [--call-type N]... [--hangup-reason N]... [--called-or-caller S]\n"
    "         [--ccode S]... [--hanging-direction N]... [--label S]... [--raw]\n"
    "         " CLI_HTTP_USAGE "\n";

static int itnio_fetch(int argc, char **argv)
{
    enum {
        O_BASE = 1000,
        O_KEY,
        O_SECRET,
        O_FROM,
        O_TO,
        O_SIZE,
        O_GROUP_ID,
        O_GROUP_NAME,
        O_SEAT_ID,
        O_SEAT_NAME,
        O_CALL_TYPE,
        O_HANGUP,
        O_NUMBER,
        O_CCODE,
        O_DIRECTION,
        O_LABEL,
        O_RAW,
    };
    static const struct option longopts[] = {
        {"base-url", required_argument, NULL, O_BASE},
        {"api-key", required_argument, NULL, O_KEY},
        {"api-secret", required_argument, NULL, O_SECRET},
        {"from", required_argument, NULL, O_FROM},
        {"to", required_argument, NULL, O_TO},
        {"page-size", required_argument, NULL, O_SIZE},
        {"voice-group-id", required_argument, NULL, O_GROUP_ID},
        {"sip-group-name", required_argument, NULL, O_GROUP_NAME},
        {"seat-id", required_argument, NULL, O_SEAT_ID},
        {"seat-name", required_argument, NULL, O_SEAT_NAME},
        {"call-type", required_argument, NULL, O_CALL_TYPE},
        {"hangup-reason", required_argument, NULL, O_HANGUP},
        {"called-or-caller", required_argument, NULL, O_NUMBER},
        {"ccode", required_argument, NULL, O_CCODE},
        {"hanging-direction", required_argument, NULL, O_DIRECTION},
        {"label", required_argument, NULL, O_LABEL},
        {"raw", no_argument, NULL, O_RAW},
        CLI_HTTP_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    struct cdr_itnio_options opts;
    cdr_itnio_options_default(&opts);
    struct cdr_itnio_filter f = {0};
    struct cli_strings seat_names = {0}, ccodes = {0}, labels = {0};
    struct cli_ints call_types = {0}, hangups = {0}, directions = {0};
    struct cli_int64s seat_ids = {0};
    const char *from = NULL, *to = NULL;
    int64_t page_size = 100;
    struct cli_record_sink st = {0};
    bool ok = true;
    int opt;
    while (ok && (opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case O_BASE:
            opts.base_url = optarg;
            break;
        case O_KEY:
            opts.api_key = optarg;
            break;
        case O_SECRET:
            opts.api_secret = optarg;
            break;
        case O_FROM:
            from = optarg;
            break;
        case O_TO:
            to = optarg;
            break;
        case O_SIZE:
            ok = cli_parse_int(optarg, 1, CDR_ITNIO_MAX_PAGE_SIZE, &page_size);
            break;
        case O_GROUP_ID:
            ok = cli_parse_int(optarg, INT64_MIN, INT64_MAX, &f.voice_group_id);
            f.has_voice_group_id = true;
            break;
        case O_GROUP_NAME:
            f.sip_group_name = optarg;
            break;
        case O_SEAT_ID:
            ok = cli_int64s_add(&seat_ids, optarg);
            break;
        case O_SEAT_NAME:
            ok = cli_strings_add(&seat_names, optarg);
            break;
        case O_CALL_TYPE:
            ok = cli_ints_add(&call_types, optarg, 0, 1000);
            break;
        case O_HANGUP:
            ok = cli_ints_add(&hangups, optarg, 0, 1000);
            break;
        case O_NUMBER:
            f.called_or_caller = optarg;
            break;
        case O_CCODE:
            ok = cli_strings_add(&ccodes, optarg);
            break;
        case O_DIRECTION:
            ok = cli_ints_add(&directions, optarg, 0, 1000);
            break;
        case O_LABEL:
            ok = cli_strings_add(&labels, optarg);
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
    opts.api_key = cli_arg_or_env(opts.api_key, "CDRSIM_ITNIO_API_KEY");
    opts.api_secret = cli_arg_or_env(opts.api_secret, "CDRSIM_ITNIO_API_SECRET");
    if (ok &&
        (!opts.base_url || !opts.api_key || !opts.api_secret || !from || !to || optind != argc))
        ok = false;
    if (ok && (!cli_parse_time(from, &f.start_time) || !cli_parse_time(to, &f.end_time))) {
        fprintf(stderr, "cdrsim-client: --from/--to take RFC 3339, \"YYYY-MM-DD HH:MM:SS\" (UTC+8) "
                        "or Unix seconds\n");
        ok = false;
    }
    int status = CLI_USAGE;
    if (!ok) {
        fputs(fetch_usage, stderr);
    } else {
        f.seat_ids = seat_ids.items;
        f.seat_id_count = seat_ids.count;
        f.seat_names = seat_names.items;
        f.seat_name_count = seat_names.count;
        f.call_types = call_types.items;
        f.call_type_count = call_types.count;
        f.hangup_reasons = hangups.items;
        f.hangup_reason_count = hangups.count;
        f.ccodes = ccodes.items;
        f.ccode_count = ccodes.count;
        f.hanging_directions = directions.items;
        f.hanging_direction_count = directions.count;
        f.label_names = labels.items;
        f.label_name_count = labels.count;
        struct cdr_error_info err;
        struct cdr_itnio_client *client = cdr_itnio_client_new(&opts, &err);
        cdr_error rc = client ? cdr_itnio_fetch_all(client, &f, page_size, cli_sink_record,
                                                    on_progress, &st, &err)
                              : err.code;
        cli_progress_done();
        cdr_itnio_client_free(client);
        status = cli_fetch_status("fetch itnio", rc, &err, &st);
    }
    cli_lists_free(&seat_names, &call_types, &seat_ids);
    cli_lists_free(&ccodes, &hangups, NULL);
    cli_lists_free(&labels, &directions, NULL);
    return status;
}

const struct cli_vendor cli_itnio = {
    .id = "itnio",
    .usage =
        "  sign itnio --api-key K --api-secret S --timestamp T   print the Sign header\n"
        "  parse itnio [--raw] FILE|-                            normalize a record/query "
        "response\n"
        "  fetch itnio --base-url URL --api-key K --api-secret S --from T1 --to T2 [filters]\n",
    .sign = itnio_sign,
    .parse = itnio_parse,
    .fetch = itnio_fetch,
};
