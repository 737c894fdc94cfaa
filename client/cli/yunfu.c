/* cdrsim-client's own part for the Yunfu agent-api: one call's dialogue (--record-id, or its
 * condensed form with --transcript), its recording (--voice FILE), play URLs of several calls
 * (--voice-urls), the account's tasks (--all-tasks --list-tasks), and parse reading a detail
 * answer's dialogue too. Every call of every task (--all-tasks alone) is the descriptor's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "cdrsim/timefmt.h"
#include "cdrsim/yunfu.h"
#include "cli.h"

/* One dialogue row as a JSON line: who spoke, what was said, when; with raw, the row as sent. */
static bool print_utterance(const struct cdr_yunfu_utterance *u, bool raw)
{
    bool customer = u->notify && strcmp(u->notify, "asrprogress_notify") == 0;
    /* "enter" is the AI's opening line, "playback_result" its answer. */
    bool ai =
        u->notify && (strcmp(u->notify, "playback_result") == 0 || strcmp(u->notify, "enter") == 0);
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
    if (raw && u->raw_json)
        cdr_buf_printf(&b, ",\"raw\":%s", u->raw_json);
    cdr_buf_puts(&b, "}");
    bool ok = !b.failed && puts(b.data) >= 0;
    cdr_buf_free(&b);
    return ok;
}

/* The record, when the server sent one and no transcript was asked for; else the dialogue. */
static int print_detail(const struct cdr_yunfu_detail *d, bool raw, bool transcript)
{
    if (d->has_record && !transcript)
        return cli_print_record(&d->record, raw) ? CLI_OK : CLI_FAILED;
    for (size_t i = 0; i < d->utterance_count; i++)
        if (!print_utterance(&d->utterances[i], raw))
            return CLI_FAILED;
    return CLI_OK;
}

/* A list, or one call's detail: its record, or its dialogue when the server sent nothing else. */
static int yunfu_parse(const char *body, size_t len, bool raw)
{
    struct cdr_yunfu_page page;
    struct cdr_error_info err;
    cdr_error rc = cdr_yunfu_parse_page(body, len, 0, &page, &err);
    if (rc == CDR_ERR_MALFORMED_RESPONSE) { /* not a list: perhaps one call's detail */
        struct cdr_yunfu_detail detail;
        struct cdr_error_info detail_err;
        if (cdr_yunfu_parse_detail(body, len, 0, &detail, &detail_err) == CDR_OK) {
            int status = print_detail(&detail, raw, false);
            cdr_yunfu_detail_free(&detail);
            return status;
        }
    }
    if (rc != CDR_OK) {
        cli_print_error("parse yunfu", rc, &err);
        return CLI_FAILED;
    }
    int status = cli_print_records(page.records, page.record_count, raw);
    cdr_yunfu_page_free(&page);
    return status;
}

static const struct cli_option options[] = {
    {"record-id", "ID", "print that call's dialogue (its record, when the server sends one)"},
    {"transcript", NULL, "with --record-id: the dialogue condensed, one row per line"},
    {"voice", "FILE", "with --record-id: save the call's recording to FILE (- for stdout)"},
    {"voice-urls", NULL, "with --record-id (repeatable, up to 30): print each call's play URL"},
    {"list-tasks", NULL, "with --all-tasks: print the tasks themselves, not their calls"},
    {NULL, NULL, NULL},
};

/* Prints why on stderr; false. */
static bool refuse(const char *why)
{
    fprintf(stderr, "cdrsim-client: %s\n", why);
    return false;
}

static bool check(const struct cli_fetch *f)
{
    size_t records = cdr_args_count(f->own, "record-id");
    bool all = cdr_args_get(f->args, "all_tasks") != NULL;
    bool transcript = cdr_args_get(f->own, "transcript") != NULL;
    bool voice = cdr_args_get(f->own, "voice") != NULL;
    bool urls = cdr_args_get(f->own, "voice-urls") != NULL;
    if ((transcript || voice || urls) && !records)
        return refuse(transcript ? "--transcript: only with --record-id"
                      : voice    ? "--voice: only with --record-id"
                                 : "--voice-urls: only with --record-id");
    if (records && all)
        return refuse("--record-id: not with --all-tasks, a call belongs to one task");
    if (cdr_args_get(f->own, "list-tasks") && !all)
        return refuse("--list-tasks: only with --all-tasks");
    if ((int)transcript + (int)voice + (int)urls > 1)
        return refuse("--transcript, --voice and --voice-urls: one at a time");
    if (records > 1 && !urls)
        return refuse("--record-id: one call, unless --voice-urls");
    if (records > CDR_YUNFU_MAX_VOICE_BATCH)
        return refuse("--voice-urls: at most 30 --record-id");
    if (urls && cdr_args_get(f->args, "legacy"))
        return refuse("--voice-urls: not with --legacy, the batch needs the account");
    return true;
}

/* The typed client behind the generic one; NULL with err filled. */
static struct cdr_client *open_client(const struct cli_fetch *f, struct cdr_error_info *err)
{
    return cdr_client_new(f->vendor, &f->opts, f->args, err);
}

/* Frees the client, after masking its secrets in err when rc is an error of the typed calls. */
static void close_client(struct cdr_client *client, cdr_error rc, struct cdr_error_info *err)
{
    if (rc != CDR_OK)
        cdr_client_redact(client, err);
    cdr_client_free(client);
}

static const char *account(const struct cli_fetch *f)
{
    return cdr_args_get(f->args, "legacy") ? NULL : cdr_args_get(f->args, "user_id");
}

/* One call: its record, or with --transcript its dialogue. */
static int fetch_detail(const struct cli_fetch *f)
{
    struct cdr_error_info err;
    struct cdr_client *client = open_client(f, &err);
    struct cdr_yunfu_detail detail;
    cdr_error rc = client
                       ? cdr_yunfu_get_detail(cdr_yunfu_client_of(client), account(f),
                                              cdr_args_get(f->args, "task_id"),
                                              cdr_args_get(f->own, "record-id"),
                                              cdr_args_get(f->args, "sub_user_id"), &detail, &err)
                       : err.code;
    close_client(client, rc, &err);
    struct cli_record_sink sink = {f->raw, false, {0}, false};
    if (rc == CDR_OK) {
        sink.write_failed =
            print_detail(&detail, f->raw, cdr_args_get(f->own, "transcript") != NULL) != CLI_OK;
        cdr_yunfu_detail_free(&detail);
    }
    return cli_fetch_status("fetch yunfu", rc, &err, &sink);
}

static int write_file(void *user, const void *data, size_t len)
{
    return fwrite(data, 1, len, user) == len ? 0 : 1;
}

/* One call's recording into --voice FILE ("-": stdout); a partial file is removed. */
static int fetch_voice(const struct cli_fetch *f)
{
    const char *path = cdr_args_get(f->own, "voice");
    bool to_stdout = strcmp(path, "-") == 0;
    FILE *out = to_stdout ? stdout : fopen(path, "wb");
    if (!out) {
        fprintf(stderr, "cdrsim-client: fetch yunfu: cannot write %s\n", path);
        return CLI_FAILED;
    }
    struct cdr_error_info err;
    struct cdr_client *client = open_client(f, &err);
    struct cdr_yunfu_audio info;
    cdr_error rc = client ? cdr_yunfu_download_voice(
                                cdr_yunfu_client_of(client), account(f),
                                cdr_args_get(f->args, "task_id"), cdr_args_get(f->own, "record-id"),
                                cdr_args_get(f->args, "sub_user_id"), write_file, out, &info, &err)
                          : err.code;
    close_client(client, rc, &err);
    struct cli_record_sink sink = {false, fflush(out) != 0, {0}, false};
    if (!to_stdout) {
        sink.write_failed = fclose(out) != 0 || sink.write_failed;
        if (rc != CDR_OK || sink.write_failed)
            remove(path);
    }
    return cli_fetch_status("fetch yunfu", rc, &err, &sink);
}

/* {"record_id","url"} lines for the --record-id calls. */
static int fetch_voice_urls(const struct cli_fetch *f)
{
    size_t n = cdr_args_count(f->own, "record-id");
    const char *ids[CDR_YUNFU_MAX_VOICE_BATCH];
    for (size_t i = 0; i < n; i++)
        ids[i] = cdr_args_value(f->own, "record-id", i);
    struct cdr_error_info err;
    struct cdr_client *client = open_client(f, &err);
    struct cdr_yunfu_voice_urls urls = {0};
    cdr_error rc = client
                       ? cdr_yunfu_get_voice_urls(cdr_yunfu_client_of(client), account(f),
                                                  cdr_args_get(f->args, "task_id"), ids, n,
                                                  cdr_args_get(f->args, "sub_user_id"), &urls, &err)
                       : err.code;
    close_client(client, rc, &err);
    struct cli_record_sink sink = {false, false, {0}, false};
    for (size_t i = 0; rc == CDR_OK && i < urls.count && !sink.write_failed; i++) {
        struct cdr_buf b;
        cdr_buf_init(&b);
        cdr_buf_puts(&b, "{\"record_id\":");
        cdr_buf_json_string(&b, urls.items[i].record_id);
        cdr_buf_puts(&b, ",\"url\":");
        if (urls.items[i].url)
            cdr_buf_json_string(&b, urls.items[i].url);
        else
            cdr_buf_puts(&b, "null");
        cdr_buf_puts(&b, "}");
        sink.write_failed = b.failed || puts(b.data) < 0;
        cdr_buf_free(&b);
    }
    cdr_yunfu_voice_urls_free(&urls);
    return cli_fetch_status("fetch yunfu", rc, &err, &sink);
}

static int print_task(void *user, const struct cdr_yunfu_task *t)
{
    struct cli_record_sink *sink = user;
    sink->write_failed = puts(t->raw_json) < 0;
    return sink->write_failed;
}

/* The account's tasks as the vendor sent them, one per line. */
static int fetch_tasks(const struct cli_fetch *f)
{
    int statuses[3];
    size_t n = 0;
    for (size_t i = 0; i < cdr_args_count(f->args, "task_status") && n < 3; i++)
        statuses[n++] = cdr_yunfu_task_status(cdr_args_value(f->args, "task_status", i));
    bool all = cdr_args_get(f->args, "sub_accounts") != NULL;
    struct cdr_yunfu_task_filter filter = {all ? NULL : cdr_args_get(f->args, "sub_user_id"),
                                           cdr_args_get(f->args, "task_name"), statuses, n};
    struct cdr_error_info err;
    struct cdr_client *client = open_client(f, &err);
    struct cli_record_sink sink = {false, false, {0}, false};
    cdr_error rc = client ? cdr_yunfu_fetch_tasks(cdr_yunfu_client_of(client), account(f), all,
                                                  &filter, f->page_size, print_task, &sink, &err)
                          : err.code;
    close_client(client, rc, &err);
    return cli_fetch_status("fetch yunfu", rc, &err, &sink);
}

static int yunfu_fetch(const struct cli_fetch *f)
{
    if (cdr_args_get(f->own, "list-tasks"))
        return fetch_tasks(f);
    if (cdr_args_get(f->own, "voice-urls"))
        return fetch_voice_urls(f);
    if (cdr_args_get(f->own, "voice"))
        return fetch_voice(f);
    return cdr_args_get(f->own, "record-id") ? fetch_detail(f) : cli_fetch_records(f);
}

const struct cli_vendor cli_yunfu = {
    .id = "yunfu",
    .usage = "  fetch yunfu ... --record-id R [--transcript | --voice FILE]   one call, its "
             "dialogue or recording\n"
             "  fetch yunfu ... --record-id R [--record-id R2 ...] --voice-urls  play URLs\n"
             "  fetch yunfu ... --all-tasks [--list-tasks]                  every task's calls, "
             "or the tasks\n",
    .options = options,
    .check = check,
    .fetch = yunfu_fetch,
    .parse = yunfu_parse,
};
