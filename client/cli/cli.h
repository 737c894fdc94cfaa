/* cdrsim-client: the command-line tool over libcdrsim. Each vendor contributes one table entry
 * (client/cli/<vendor>.c); main.c only dispatches. */
#ifndef CDRSIM_CLI_H
#define CDRSIM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cdrsim/error.h"
#include "cdrsim/record.h"

enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

/* A command gets argv with argv[0] = "<command> <vendor>"; returns a CLI_* exit status. */
typedef int (*cli_command_fn)(int argc, char **argv);

struct cli_vendor {
    const char *id;
    const char *usage;   /* the vendor's lines of the help text */
    cli_command_fn sign; /* NULL when the vendor has nothing to sign */
    cli_command_fn parse;
    cli_command_fn fetch;
};

extern const struct cli_vendor *const cli_vendors[];

/* Reads a whole file ("-" = stdin) into a NUL-terminated buffer. NULL and a message on error. */
char *cli_read_file(const char *path, size_t *len);

/* Prints one normalized record as a JSON line on stdout. Returns false on write failure. */
bool cli_print_record(const struct cdr_record *rec, bool include_raw);

/* The input of `parse VENDOR [--raw] FILE|-`: the file's bytes (caller frees) with *raw set, or
 * NULL with *status CLI_USAGE (usage printed) or CLI_FAILED (reason printed). */
char *cli_parse_input(int argc, char **argv, const char *vendor, bool *raw, size_t *len,
                      int *status);

/* Prints records as JSON lines: CLI_OK, or CLI_FAILED when stdout fails. */
int cli_print_records(const struct cdr_record *records, size_t count, bool include_raw);

/* The record callback of a vendor's fetch (a cdr_record_fn): prints each record and stops the
 * fetch when stdout fails. */
struct cli_record_sink {
    bool raw;
    bool write_failed;
};
int cli_sink_record(void *user, const struct cdr_record *rec);
/* The exit status of a fetch: the library's outcome (printed on failure), then whether stdout
 * took every record. */
int cli_fetch_status(const char *what, cdr_error rc, const struct cdr_error_info *err,
                     const struct cli_record_sink *sink);

/* The transport options every fetch takes: --timeout-ms N, --retries N, --insecure, --ca-file F.
 * Vendors list CLI_HTTP_LONGOPTS in their option table and pass unknown options to
 * cli_http_option, which applies one (returns true; *ok false when its value is bad) or returns
 * false when opt is not a transport option. */
enum { CLI_OPT_TIMEOUT = 900, CLI_OPT_RETRIES, CLI_OPT_INSECURE, CLI_OPT_CA_FILE };
#define CLI_HTTP_LONGOPTS                                                                          \
    {"timeout-ms", required_argument, NULL, CLI_OPT_TIMEOUT},                                      \
        {"retries", required_argument, NULL, CLI_OPT_RETRIES},                                     \
        {"insecure", no_argument, NULL, CLI_OPT_INSECURE},                                         \
    {                                                                                              \
        "ca-file", required_argument, NULL, CLI_OPT_CA_FILE                                        \
    }
#define CLI_HTTP_USAGE "[--timeout-ms N] [--retries N] [--insecure] [--ca-file FILE]"
struct cdr_http_options;
bool cli_http_option(int opt, const char *arg, struct cdr_http_options *http, bool *ok);

/* Prints "cdrsim-client: <what>: <error name>: <message> (vendor code X, HTTP N)" on stderr. */
void cli_print_error(const char *what, cdr_error code, const struct cdr_error_info *err);

/* Times on the command line: RFC 3339 with a zone, or "YYYY-MM-DD HH:MM:SS" in UTC+08:00 as the
 * vendors write it, or Unix seconds. */
bool cli_parse_time(const char *text, int64_t *out);
bool cli_parse_int(const char *text, int64_t min, int64_t max, int64_t *out);

/* The value of an option, or of the environment variable when the option was not given. */
const char *cli_arg_or_env(const char *arg, const char *env_name);

/* Growable arrays for repeatable flags. */
struct cli_strings {
    const char **items;
    size_t count;
};
struct cli_ints {
    int *items;
    size_t count;
};
struct cli_int64s {
    int64_t *items;
    size_t count;
};
bool cli_strings_add(struct cli_strings *list, const char *value);
bool cli_ints_add(struct cli_ints *list, const char *value, int min, int max);
bool cli_int64s_add(struct cli_int64s *list, const char *value);
void cli_lists_free(struct cli_strings *s, struct cli_ints *i, struct cli_int64s *l);

/* Progress is shown only to a person watching: on stderr, when stderr is a terminal. */
bool cli_progress_enabled(void);
void cli_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_progress_done(void);

#endif
