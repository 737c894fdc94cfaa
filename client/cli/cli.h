/* cdrsim-client: the command-line tool over libcdrsim. fetch and parse, their options, usage and
 * help come from each vendor's descriptor (cdrsim/vendor.h); a vendor's own verbs (sign, one
 * call's detail, the agent session) live in client/cli/<vendor>.c and register in vendors.c. */
#ifndef CDRSIM_CLI_H
#define CDRSIM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cdrsim/buf.h"
#include "cdrsim/error.h"
#include "cdrsim/http.h"
#include "cdrsim/record.h"
#include "cdrsim/vendor.h"

enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

/* A command gets argv with argv[0] = the vendor id; returns a CLI_* exit status. */
typedef int (*cli_command_fn)(int argc, char **argv);

/* An option of a vendor's own fetch, besides the generated ones. */
struct cli_option {
    const char *name;    /* "record-id" */
    const char *metavar; /* "ID", or NULL for a flag */
    const char *help;
};

/* A fetch, its options read: what a vendor's own fetch gets. */
struct cli_fetch {
    const struct cdr_vendor *vendor;
    struct cdr_client_options opts; /* base URL and transport */
    struct cdr_args *args;          /* the descriptor's fields, checked */
    struct cdr_args *own;           /* the vendor's own options by name ("record-id") */
    int64_t page_size;              /* 0: the vendor's default */
    bool raw;
    bool progress;              /* --progress: show it even when stderr is not a terminal */
    const char *recordings_dir; /* --recordings DIR: each record's audio saved there, or NULL */
};

/* A command of the vendor's own beyond sign: `cdrsim-client NAME VENDOR ...`. */
struct cli_command {
    const char *name;
    cli_command_fn run;
};

/* What a vendor's command line has beyond its descriptor. Every member but id may be NULL. */
struct cli_vendor {
    const char *id;
    const char *usage;                /* lines of the main --help for the vendor's own commands */
    const char *fetch_about;          /* what fetch does, for its --help, when not every record */
    cli_command_fn sign;              /* `sign VENDOR ...` */
    const struct cli_option *options; /* fetch's own options, ending with {NULL} */
    /* Checks the own options once the generated ones passed: false after printing why. */
    bool (*check)(const struct cli_fetch *f);
    /* Replaces the generic fetch (every record through cdr_client_fetch_all) when set. */
    int (*fetch)(const struct cli_fetch *f);
    /* Replaces printing the parsed records of `parse VENDOR` when set. */
    int (*parse)(const char *body, size_t len, bool raw);
    /* The vendor's other commands, ending with {NULL, NULL}; their usage lines go in usage. */
    const struct cli_command *commands;
};

/* The vendors with something of their own, NULL-terminated; cli_vendor_find(id) or NULL. */
extern const struct cli_vendor *const cli_vendors[];
const struct cli_vendor *cli_vendor_find(const char *id);

/* ---- the generated commands (fetch.c, options.c) --------------------------------------------- */

int cli_fetch(const struct cdr_vendor *v, int argc, char **argv);
int cli_parse(const struct cdr_vendor *v, int argc, char **argv);
/* The generic fetch: every record through cdr_client_fetch_all, printed as JSON lines. */
int cli_fetch_records(const struct cli_fetch *f);

/* Reads fetch's options into f (cli_fetch_free releases it): CLI_OK, CLI_USAGE after printing
 * the reason and the usage, or -1 when --help printed the help. */
int cli_read_fetch(const struct cdr_vendor *v, int argc, char **argv, struct cli_fetch *f);
void cli_fetch_free(struct cli_fetch *f);
/* "usage: cdrsim-client fetch V --base-url URL <required options> [options]" and the hint. */
void cli_fetch_usage(const struct cdr_vendor *v, FILE *out);
/* The summary line of `cdrsim-client --help` for fetch V. */
void cli_fetch_summary(const struct cdr_vendor *v, FILE *out);
/* Every option of fetch V, grouped, with kinds, environment variables and wire names. */
void cli_fetch_help(const struct cdr_vendor *v, FILE *out);
/* Calls fn with the name of every long option fetch V accepts (its getopt_long table, without
 * the leading "--"), so a test can hold the help against the table. false when out of memory. */
bool cli_fetch_each_option(const struct cdr_vendor *v, void (*fn)(const char *name, void *user),
                           void *user);

/* ---- receiving pushes (listen.c) ------------------------------------------------------------- */

int cli_listen(const struct cdr_vendor *v, int argc, char **argv);
/* The summary line of `cdrsim-client --help` for listen V. */
void cli_listen_summary(const struct cdr_vendor *v, FILE *out);

/* ---- helpers (common.c) ---------------------------------------------------------------------- */

/* Reads a whole file ("-" = stdin) into a NUL-terminated buffer. NULL and a message on error. */
char *cli_read_file(const char *path, size_t *len);

/* Prints one normalized record as a JSON line on stdout. Returns false on write failure. */
bool cli_print_record(const struct cdr_record *rec, bool include_raw);
/* Prints records as JSON lines: CLI_OK, or CLI_FAILED when stdout fails. */
int cli_print_records(const struct cdr_record *records, size_t count, bool include_raw);

/* The record callback of a fetch (a cdr_record_fn): prints each record and stops the fetch when
 * stdout fails. */
struct cli_record_sink {
    bool raw;
    bool write_failed;
    /* The line cli_sink_record writes each record into, kept from one record to the next (zeroed
     * is empty); cli_fetch_status frees it. */
    struct cdr_buf line;
    /* Records gathered in line and written 64 KiB at a time (cli_fetch_status writes the rest):
     * for stdout that is not a terminal, where a line at a time costs a write(2) every 4 KiB. */
    bool batch;
};
int cli_sink_record(void *user, const struct cdr_record *rec);
/* --recordings DIR: saves rec's audio in dir (recordings.c); false when one could not be saved
 * (printed on stderr). A call without a recording is not an error. */
bool cli_save_recordings(struct cdr_client *client, const struct cdr_record *rec, const char *dir);
/* The exit status of a fetch: the library's outcome (printed on failure), then whether stdout
 * took every record. */
int cli_fetch_status(const char *what, cdr_error rc, const struct cdr_error_info *err,
                     struct cli_record_sink *sink);

/* The transport options every fetch takes: --timeout-ms N, --retries N, --max-wait-ms N,
 * --insecure, --ca-file F. cli_http_option applies one (returns true; *ok false when its value is
 * bad) or returns false when opt is not a transport option. */
enum {
    CLI_OPT_TIMEOUT = 900,
    CLI_OPT_RETRIES,
    CLI_OPT_MAX_WAIT,
    CLI_OPT_INSECURE,
    CLI_OPT_CA_FILE
};
#define CLI_HTTP_USAGE                                                                             \
    "[--timeout-ms N] [--retries N] [--max-wait-ms N] [--insecure] [--ca-file FILE]"
struct cdr_http_options;
bool cli_http_option(int opt, const char *arg, struct cdr_http_options *http, bool *ok);

/* Prints "cdrsim-client: <what>: <error name>: <message> (vendor code X, HTTP N)" on stderr. */
void cli_print_error(const char *what, cdr_error code, const struct cdr_error_info *err);

bool cli_parse_int(const char *text, int64_t min, int64_t max, int64_t *out);

/* The value of an option, or of the environment variable when the option was not given. */
const char *cli_arg_or_env(const char *arg, const char *env_name);

/* Progress on stderr: one line rewritten in place when stderr is a terminal; with --progress and
 * stderr not a terminal, one line per step (a log a person or a test can read); else nothing. */
struct cli_progress {
    bool on;
    bool in_place;
    const char *what;  /* what every line starts with: the vendor id */
    char step[192];    /* the latest step, which a wait is shown after */
    size_t step_count; /* steps shown */
};
void cli_progress_init(struct cli_progress *p, const char *what, bool asked);
/* Shows a step (page, window, records so far). */
void cli_progress_step(struct cli_progress *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A struct cdr_http_options.on_wait (user: the struct cli_progress): shows the pause before a
 * retry after the latest step: why, how long, which retry. */
void cli_progress_wait(void *progress, const struct cdr_http_wait *wait);
/* Clears an in-place line before the command's last words. */
void cli_progress_done(struct cli_progress *p);

#endif
