/* The generated commands: fetch (every record of a query) and parse (a saved answer), for any
 * vendor with a descriptor; a vendor's own fetch or parse takes over where it registered one. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* A run's records go to the sink, its steps and waits to the progress line. */
struct fetch_run {
    struct cli_record_sink sink;
    struct cli_progress progress;
    struct cdr_client *client;
    const char *recordings_dir; /* NULL: no audio asked for */
    size_t recordings_failed;
};

static int on_record(void *user, const struct cdr_record *rec)
{
    struct fetch_run *run = user;
    int stop = cli_sink_record(&run->sink, rec);
    if (!stop && run->recordings_dir && !cli_save_recordings(run->client, rec, run->recordings_dir))
        run->recordings_failed++;
    return stop;
}

static void on_progress(void *user, const struct cdr_progress *p)
{
    struct fetch_run *run = user;
    char window[48] = "", total[32] = "", pages[32] = "?";
    if (p->window_count)
        snprintf(window, sizeof(window), "window %zu/%zu, ", p->window, p->window_count);
    if (p->total >= 0)
        snprintf(total, sizeof(total), " of %" PRId64, p->total);
    if (p->pages >= 0)
        snprintf(pages, sizeof(pages), "%" PRId64, p->pages);
    cli_progress_step(&run->progress, "%s: %spage %" PRId64 "/%s, %" PRId64 "%s records",
                      run->progress.what, window, p->page, pages, p->records_seen, total);
}

int cli_fetch_records(const struct cli_fetch *f)
{
    char what[64];
    snprintf(what, sizeof(what), "fetch %s", f->vendor->id);
    struct fetch_run run = {
        {f->raw, false, {0}, !isatty(STDOUT_FILENO)}, {0}, NULL, f->recordings_dir, 0};
    cli_progress_init(&run.progress, f->vendor->id, f->progress);
    struct cdr_client_options opts = f->opts;
    opts.http.on_wait = cli_progress_wait;
    opts.http.wait_user = &run.progress;
    struct cdr_error_info err;
    struct cdr_client *client = cdr_client_new(f->vendor, &opts, f->args, &err);
    run.client = client;
    cdr_error rc = client ? cdr_client_fetch_all(client, f->args, f->page_size, on_record,
                                                 on_progress, &run, &err)
                          : err.code;
    cli_progress_done(&run.progress);
    cdr_client_free(client);
    int status = cli_fetch_status(what, rc, &err, &run.sink);
    if (status == CLI_OK && run.recordings_failed) {
        fprintf(stderr, "cdrsim-client: %s: %zu recording(s) not saved; run again to resume\n",
                what, run.recordings_failed);
        status = CLI_FAILED;
    }
    return status;
}

int cli_fetch(const struct cdr_vendor *v, int argc, char **argv)
{
    const struct cli_vendor *own = cli_vendor_find(v->id);
    if (!cdr_vendor_has_call(v, "fetch_all") && !(own && own->fetch)) {
        fprintf(stderr, "cdrsim-client: 'fetch' is not a command for %s\n", v->id);
        return CLI_USAGE;
    }
    struct cli_fetch f;
    int status = cli_read_fetch(v, argc, argv, &f);
    if (status != CLI_OK)
        return status < 0 ? CLI_OK : status; /* --help asked for */
    status = own && own->fetch ? own->fetch(&f) : cli_fetch_records(&f);
    cli_fetch_free(&f);
    return status;
}

int cli_parse(const struct cdr_vendor *v, int argc, char **argv)
{
    const struct cli_vendor *own = cli_vendor_find(v->id);
    if (!cdr_vendor_has_call(v, "parse") && !(own && own->parse)) {
        fprintf(stderr, "cdrsim-client: 'parse' is not a command for %s\n", v->id);
        return CLI_USAGE;
    }
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        printf(
            "usage: cdrsim-client parse %s [--raw] FILE|-\n\n"
            "Reads a saved answer of %s (a file, or - for stdin) and prints its records as JSON\n"
            "lines; --raw adds the vendor's own record object as \"raw\".\n",
            v->id, v->title);
        return CLI_OK;
    }
    bool raw = argc > 2 && strcmp(argv[1], "--raw") == 0;
    if (argc != 2 + raw) {
        fprintf(stderr, "usage: cdrsim-client parse %s [--raw] FILE|-\n", v->id);
        return CLI_USAGE;
    }
    size_t len;
    char *body = cli_read_file(argv[1 + raw], &len);
    if (!body)
        return CLI_FAILED;
    int status;
    if (own && own->parse) {
        status = own->parse(body, len, raw);
    } else {
        struct cdr_page page;
        struct cdr_error_info err;
        cdr_error rc = cdr_vendor_parse(v, body, len, 0, &page, &err);
        if (rc != CDR_OK) {
            char what[64];
            snprintf(what, sizeof(what), "parse %s", v->id);
            cli_print_error(what, rc, &err);
            status = CLI_FAILED;
        } else {
            status = cli_print_records(page.records, page.record_count, raw);
        }
        cdr_page_free(&page);
    }
    free(body);
    return status;
}
