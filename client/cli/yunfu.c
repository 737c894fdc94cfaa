/* cdrsim-client commands for the Yunfu agent-api. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "cdrsim/timefmt.h"
#include "cdrsim/yunfu.h"
#include "cli.h"

/* One dialogue row as a JSON line: who spoke, what was said, when. */
static bool print_utterance(const struct cdr_yunfu_utterance *u)
{
    bool customer = u->notify && strcmp(u->notify, "asrprogress_notify") == 0;
    bool ai = u->notify && strcmp(u->notify, "playback_result") == 0;
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "{\"sequence\":%lld,\"speaker\":", (long long)u->sequence);
    cdr_buf_json_string(&b, customer ? "customer" : ai ? "ai" : u->notify);
    cdr_buf_puts(&b, ",\"text\":");
    cdr_buf_json_string(&b, ai ? u->answer_content : u->question);
    cdr_buf_puts(&b, ",\"time\":");
    if (u->time == CDR_TIME_NONE) {
        cdr_buf_puts(&b, "null");
    } else {
        char text[CDR_RFC3339_LEN + 1];
        cdr_time_format_rfc3339(u->time, text);
        cdr_buf_json_string(&b, text);
    }
    cdr_buf_puts(&b, "}");
    bool ok = !b.failed && puts(b.data) >= 0;
    cdr_buf_free(&b);
    return ok;
}

/* The record, or the dialogue when asked for it (or when the server sent nothing else). */
static int print_detail(const struct cdr_yunfu_detail *d, bool raw, bool transcript)
{
    if (d->has_record && !transcript)
        return cli_print_record(&d->record, raw) ? CLI_OK : CLI_FAILED;
    for (size_t i = 0; i < d->utterance_count; i++)
        if (!print_utterance(&d->utterances[i]))
            return CLI_FAILED;
    return CLI_OK;
}

static int yunfu_parse(int argc, char **argv)
{
    bool raw = argc > 2 && strcmp(argv[1], "--raw") == 0;
    if (argc != 2 + raw) {
        fprintf(stderr, "usage: cdrsim-client parse yunfu [--raw] FILE|-\n");
        return CLI_USAGE;
    }
    size_t len;
    char *body = cli_read_file(argv[1 + raw], &len);
    if (!body)
        return CLI_FAILED;
    struct cdr_yunfu_page page;
    struct cdr_error_info err;
    cdr_error rc = cdr_yunfu_parse_page(body, len, 0, &page, &err);
    int status = CLI_OK;
    if (rc == CDR_ERR_MALFORMED_RESPONSE) { /* not a list: perhaps one call's detail */
        struct cdr_yunfu_detail detail;
        struct cdr_error_info detail_err;
        if (cdr_yunfu_parse_detail(body, len, 0, &detail, &detail_err) == CDR_OK) {
            free(body);
            status = print_detail(&detail, raw, false);
            cdr_yunfu_detail_free(&detail);
            return status;
        }
    }
    free(body);
    if (rc != CDR_OK) {
        cli_print_error("parse yunfu", rc, &err);
        return CLI_FAILED;
    }
    for (size_t i = 0; i < page.record_count && status == CLI_OK; i++)
        if (!cli_print_record(&page.records[i], raw))
            status = CLI_FAILED;
    cdr_yunfu_page_free(&page);
    return status;
}

static void on_progress(void *user, const struct cdr_yunfu_progress *p)
{
    (void)user;
    cli_progress("yunfu: page %" PRId64 "/%" PRId64 ", %" PRId64 " of %" PRId64 " records", p->page,
                 p->last_page, p->records_seen, p->total);
}

static const char fetch_usage[] =
    "usage: cdrsim-client fetch yunfu --base-url URL --token T (--user-id U | --legacy) --task-id "
    "T\n"
    "         [--from T1] [--to T2] [--keyword K] [--level MIN:MAX]... [--intention-tag "
    "1..5|A..E]...\n"
    "         [--hangup-from T --hangup-to T] [--sub-user-id S] [--page-size N] [--raw]\n"
    "         [--record-id R [--transcript]] " CLI_HTTP_USAGE "\n"
    "       the token may come from CDRSIM_YUNFU_TOKEN instead of --token\n";

/* "MIN:MAX", both integers >= 0, MIN <= MAX. */
static bool add_level(struct cdr_yunfu_range **levels, size_t *count, const char *text)
{
    const char *colon = strchr(text, ':');
    if (!colon || colon == text)
        return false;
    char min_text[32];
    if ((size_t)(colon - text) >= sizeof(min_text))
        return false;
    memcpy(min_text, text, (size_t)(colon - text));
    min_text[colon - text] = '\0';
    struct cdr_yunfu_range r;
    if (!cli_parse_int(min_text, 0, INT64_MAX, &r.min) ||
        !cli_parse_int(colon + 1, 0, INT64_MAX, &r.max) || r.min > r.max)
        return false;
    struct cdr_yunfu_range *grown = realloc(*levels, (*count + 1) * sizeof(*grown));
    if (!grown)
        return false;
    *levels = grown;
    grown[(*count)++] = r;
    return true;
}

/* 1..5, or the letter A..E the vendor's console shows for it. */
static bool add_intention(struct cli_ints *tags, const char *text)
{
    if (text[0] >= 'A' && text[0] <= 'E' && !text[1]) {
        char digit[2] = {(char)('1' + text[0] - 'A'), '\0'};
        return cli_ints_add(tags, digit, 1, 5);
    }
    return cli_ints_add(tags, text, 1, 5);
}

struct fetch_args {
    struct cdr_yunfu_options opts;
    struct cdr_yunfu_filter filter;
    const char *user_id, *task_id, *record_id;
    const char *from, *to, *hangup_from, *hangup_to;
    bool legacy, transcript;
    int64_t page_size;
    struct cdr_yunfu_range *levels;
    size_t level_count;
    struct cli_ints tags;
    struct cli_record_sink out;
};

/* Fills a from argv; false after printing why on stderr (or nothing for getopt's own message). */
static bool read_fetch_args(int argc, char **argv, struct fetch_args *a)
{
    enum {
        O_BASE = 1000,
        O_TOKEN,
        O_USER,
        O_TASK,
        O_LEGACY,
        O_FROM,
        O_TO,
        O_KEYWORD,
        O_LEVEL,
        O_TAG,
        O_HANGUP_FROM,
        O_HANGUP_TO,
        O_SUB,
        O_SIZE,
        O_RECORD,
        O_TRANSCRIPT,
        O_RAW,
    };
    static const struct option longopts[] = {
        {"base-url", required_argument, NULL, O_BASE},
        {"token", required_argument, NULL, O_TOKEN},
        {"user-id", required_argument, NULL, O_USER},
        {"task-id", required_argument, NULL, O_TASK},
        {"legacy", no_argument, NULL, O_LEGACY},
        {"from", required_argument, NULL, O_FROM},
        {"to", required_argument, NULL, O_TO},
        {"keyword", required_argument, NULL, O_KEYWORD},
        {"level", required_argument, NULL, O_LEVEL},
        {"intention-tag", required_argument, NULL, O_TAG},
        {"hangup-from", required_argument, NULL, O_HANGUP_FROM},
        {"hangup-to", required_argument, NULL, O_HANGUP_TO},
        {"sub-user-id", required_argument, NULL, O_SUB},
        {"page-size", required_argument, NULL, O_SIZE},
        {"record-id", required_argument, NULL, O_RECORD},
        {"transcript", no_argument, NULL, O_TRANSCRIPT},
        {"raw", no_argument, NULL, O_RAW},
        CLI_HTTP_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    bool ok = true;
    int opt;
    while (ok && (opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case O_BASE:
            a->opts.base_url = optarg;
            break;
        case O_TOKEN:
            a->opts.token = optarg;
            break;
        case O_USER:
            a->user_id = optarg;
            break;
        case O_TASK:
            a->task_id = optarg;
            break;
        case O_LEGACY:
            a->legacy = true;
            break;
        case O_FROM:
            a->from = optarg;
            break;
        case O_TO:
            a->to = optarg;
            break;
        case O_KEYWORD:
            a->filter.keyword = optarg;
            break;
        case O_LEVEL:
            ok = add_level(&a->levels, &a->level_count, optarg);
            break;
        case O_TAG:
            ok = add_intention(&a->tags, optarg);
            break;
        case O_HANGUP_FROM:
            a->hangup_from = optarg;
            break;
        case O_HANGUP_TO:
            a->hangup_to = optarg;
            break;
        case O_SUB:
            a->filter.sub_user_id = optarg;
            break;
        case O_SIZE:
            ok = cli_parse_int(optarg, 1, 100000, &a->page_size);
            break;
        case O_RECORD:
            a->record_id = optarg;
            break;
        case O_TRANSCRIPT:
            a->transcript = true;
            break;
        case O_RAW:
            a->out.raw = true;
            break;
        default:
            if (!cli_http_option(opt, optarg, &a->opts.http, &ok))
                ok = false;
            break;
        }
    }
    a->opts.token = cli_arg_or_env(a->opts.token, "CDRSIM_YUNFU_TOKEN");
    if (ok && (!a->opts.base_url || !a->opts.token || !a->task_id || optind != argc ||
               a->legacy == !!a->user_id || (a->record_id && a->legacy) ||
               (a->transcript && !a->record_id) || (!a->hangup_from != !a->hangup_to)))
        ok = false;
    const char *times[] = {a->from, a->to, a->hangup_from, a->hangup_to};
    int64_t *slots[] = {&a->filter.start_time, &a->filter.end_time, &a->filter.hangup_from,
                        &a->filter.hangup_to};
    for (size_t i = 0; ok && i < 4; i++)
        if (times[i] && !cli_parse_time(times[i], slots[i])) {
            fprintf(stderr, "cdrsim-client: times take RFC 3339, \"YYYY-MM-DD HH:MM:SS\" (UTC+8) "
                            "or Unix seconds\n");
            ok = false;
        }
    a->filter.levels = a->levels;
    a->filter.level_count = a->level_count;
    a->filter.intention_tags = a->tags.items;
    a->filter.intention_tag_count = a->tags.count;
    return ok;
}

static cdr_error run_fetch(struct fetch_args *a, struct cdr_error_info *err)
{
    struct cdr_yunfu_client *client = cdr_yunfu_client_new(&a->opts, err);
    if (!client)
        return err->code;
    cdr_error rc;
    if (a->record_id) {
        struct cdr_yunfu_detail detail;
        rc = cdr_yunfu_get_detail(client, a->user_id, a->task_id, a->record_id,
                                  a->filter.sub_user_id, &detail, err);
        if (rc == CDR_OK) {
            a->out.write_failed = print_detail(&detail, a->out.raw, a->transcript) != CLI_OK;
            cdr_yunfu_detail_free(&detail);
        }
    } else {
        rc = cdr_yunfu_fetch_all(client, a->legacy ? NULL : a->user_id, a->task_id, &a->filter,
                                 a->page_size, cli_sink_record, on_progress, &a->out, err);
        cli_progress_done();
    }
    cdr_yunfu_client_free(client);
    return rc;
}

static int yunfu_fetch(int argc, char **argv)
{
    struct fetch_args a;
    memset(&a, 0, sizeof(a));
    cdr_yunfu_options_default(&a.opts);
    cdr_yunfu_filter_init(&a.filter);
    a.page_size = 100;
    int status = CLI_USAGE;
    if (!read_fetch_args(argc, argv, &a)) {
        fputs(fetch_usage, stderr);
    } else {
        struct cdr_error_info err;
        cdr_error rc = run_fetch(&a, &err);
        status = CLI_OK;
        if (rc != CDR_OK) {
            cli_print_error("fetch yunfu", rc, &err);
            status = CLI_FAILED;
        } else if (a.out.write_failed || fflush(stdout) != 0) {
            fprintf(stderr, "cdrsim-client: fetch yunfu: cannot write to stdout\n");
            status = CLI_FAILED;
        }
    }
    free(a.levels);
    cli_lists_free(NULL, &a.tags, NULL);
    return status;
}

const struct cli_vendor cli_yunfu = {
    .id = "yunfu",
    .usage =
        "  parse yunfu [--raw] FILE|-                            normalize a record list or detail "
        "response\n"
        "  fetch yunfu --base-url URL --token T --user-id U --task-id T [filters]\n"
        "              [--record-id R [--transcript]]            a task's records, or one call\n",
    .sign = NULL,
    .parse = yunfu_parse,
    .fetch = yunfu_fetch,
};
