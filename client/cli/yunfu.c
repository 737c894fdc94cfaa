/* cdrsim-client's own part for the Yunfu agent-api: one call's detail (--record-id) and its
 * dialogue (--transcript), and parse reading a detail answer's dialogue too. */
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
    {"record-id", "ID", "print that call instead of the task's list"},
    {"transcript", NULL, "with --record-id: print the call's dialogue, one row per line"},
    {NULL, NULL, NULL},
};

static bool check(const struct cli_fetch *f)
{
    bool record = cdr_args_get(f->own, "record-id") != NULL;
    if (cdr_args_get(f->own, "transcript") && !record) {
        fputs("cdrsim-client: --transcript: only with --record-id\n", stderr);
        return false;
    }
    if (record && cdr_args_get(f->args, "legacy")) {
        fputs("cdrsim-client: --record-id: not with --legacy, the detail needs the account\n",
              stderr);
        return false;
    }
    return true;
}

/* One call: its record, or with --transcript its dialogue. */
static int fetch_detail(const struct cli_fetch *f)
{
    struct cdr_error_info err;
    struct cdr_client *client = cdr_client_new(f->vendor, &f->opts, f->args, &err);
    struct cdr_yunfu_detail detail;
    cdr_error rc = client ? cdr_yunfu_get_detail(
                                cdr_yunfu_client_of(client), cdr_args_get(f->args, "user_id"),
                                cdr_args_get(f->args, "task_id"), cdr_args_get(f->own, "record-id"),
                                cdr_args_get(f->args, "sub_user_id"), &detail, &err)
                          : err.code;
    if (rc != CDR_OK)
        cdr_client_redact(client, &err);
    cdr_client_free(client);
    struct cli_record_sink sink = {f->raw, false};
    if (rc == CDR_OK) {
        sink.write_failed =
            print_detail(&detail, f->raw, cdr_args_get(f->own, "transcript") != NULL) != CLI_OK;
        cdr_yunfu_detail_free(&detail);
    }
    return cli_fetch_status("fetch yunfu", rc, &err, &sink);
}

static int yunfu_fetch(const struct cli_fetch *f)
{
    return cdr_args_get(f->own, "record-id") ? fetch_detail(f) : cli_fetch_records(f);
}

const struct cli_vendor cli_yunfu = {
    .id = "yunfu",
    .usage =
        "  fetch yunfu ... --record-id R [--transcript]            one call, or its dialogue\n",
    .options = options,
    .check = check,
    .fetch = yunfu_fetch,
    .parse = yunfu_parse,
};
