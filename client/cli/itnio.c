/* cdrsim-client's own commands for ITNIO: sign (the Sign header for a timestamp), group-settings
 * (an agent group's basic settings) and recording (a recording's link, or its audio). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
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

/* ---- the client commands: their shared options ----------------------------------------------- */

enum { OPT_BASE_URL = 1, OPT_KEY, OPT_SECRET, OPT_GROUP, OPT_FILE_ID, OPT_SOURCE, OPT_OUTPUT };

/* What group-settings and recording read from their command lines. */
struct command_line {
    struct cdr_itnio_options opts;
    const char *voice_group_id;
    const char *file_id;
    const char *source_type;
    const char *output;
};

/* Reads the options (the command's own among them); false after a usage error. */
static bool read_command_line(int argc, char **argv, struct command_line *cl)
{
    static const struct option longopts[] = {
        {"base-url", required_argument, NULL, OPT_BASE_URL},
        {"api-key", required_argument, NULL, OPT_KEY},
        {"api-secret", required_argument, NULL, OPT_SECRET},
        {"voice-group-id", required_argument, NULL, OPT_GROUP},
        {"file-id", required_argument, NULL, OPT_FILE_ID},
        {"source-type", required_argument, NULL, OPT_SOURCE},
        {"output", required_argument, NULL, OPT_OUTPUT},
        {"timeout-ms", required_argument, NULL, CLI_OPT_TIMEOUT},
        {"retries", required_argument, NULL, CLI_OPT_RETRIES},
        {"insecure", no_argument, NULL, CLI_OPT_INSECURE},
        {"ca-file", required_argument, NULL, CLI_OPT_CA_FILE},
        {NULL, 0, NULL, 0},
    };
    memset(cl, 0, sizeof(*cl));
    cdr_itnio_options_default(&cl->opts);
    const char **slots[] = {NULL,
                            &cl->opts.base_url,
                            &cl->opts.api_key,
                            &cl->opts.api_secret,
                            &cl->voice_group_id,
                            &cl->file_id,
                            &cl->source_type,
                            &cl->output};
    int opt;
    bool ok = true;
    optind = 1;
    while (ok && (opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt >= OPT_BASE_URL && opt <= OPT_OUTPUT)
            *slots[opt] = optarg;
        else if (!cli_http_option(opt, optarg, &cl->opts.http, &ok))
            ok = false;
    }
    cl->opts.api_key = cli_arg_or_env(cl->opts.api_key, "CDRSIM_ITNIO_API_KEY");
    cl->opts.api_secret = cli_arg_or_env(cl->opts.api_secret, "CDRSIM_ITNIO_API_SECRET");
    return ok && optind == argc && cl->opts.base_url && cl->opts.api_key && cl->opts.api_secret;
}

/* cli_print_error, with the key and secret masked wherever the error repeats them. */
static void print_error(const struct command_line *cl, const char *what, cdr_error code,
                        struct cdr_error_info *err)
{
    cdr_error_redact(err, cl->opts.api_key);
    cdr_error_redact(err, cl->opts.api_secret);
    cli_print_error(what, code, err);
}

/* ---- group-settings -------------------------------------------------------------------------- */

static int itnio_group_settings(int argc, char **argv)
{
    struct command_line cl;
    int64_t id;
    if (!read_command_line(argc, argv, &cl) || !cl.voice_group_id || cl.file_id || cl.source_type ||
        cl.output || !cli_parse_int(cl.voice_group_id, 0, INT32_MAX, &id)) {
        fputs("usage: cdrsim-client group-settings itnio --base-url URL --api-key K --api-secret S "
              "--voice-group-id N " CLI_HTTP_USAGE "\n",
              stderr);
        return CLI_USAGE;
    }
    struct cdr_error_info err;
    struct cdr_itnio_client *c = cdr_itnio_client_new(&cl.opts, &err);
    struct cdr_itnio_group_settings s;
    cdr_error rc = c ? cdr_itnio_get_group_settings(c, id, &s, &err) : err.code;
    cdr_itnio_client_free(c);
    if (rc != CDR_OK) {
        print_error(&cl, "group-settings itnio", rc, &err);
        return CLI_FAILED;
    }
    /* The vendor's object as it came: its id is seatGroupId or voiceGroupId, as the vendor sends.
     */
    bool written = puts(s.raw_json) >= 0 && fflush(stdout) == 0;
    cdr_itnio_group_settings_free(&s);
    return written ? CLI_OK : CLI_FAILED;
}

/* ---- recording ------------------------------------------------------------------------------- */

/* The link as one JSON line. */
static bool print_link(const char *file_id, const struct cdr_itnio_recording_url *link)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{\"recordingFileId\":");
    cdr_buf_json_string(&b, file_id);
    cdr_buf_puts(&b, ",\"url\":");
    cdr_buf_json_string(&b, link->url);
    cdr_buf_printf(&b, ",\"expireTime\":%lld}", (long long)link->expire_time_ms);
    bool ok = !b.failed && puts(b.data) >= 0 && fflush(stdout) == 0;
    cdr_buf_free(&b);
    return ok;
}

static int write_file(void *user, const void *data, size_t len)
{
    return fwrite(data, 1, len, user) == len ? 0 : 1;
}

/* The audio into the output ("-": stdout); a file left incomplete by a failure is removed. A
 * source type other than the default is resolved here; otherwise cdr_itnio_download does it. */
static int save_audio(struct cdr_itnio_client *c, const struct command_line *cl)
{
    struct cdr_error_info err;
    struct cdr_itnio_recording_url link = {0};
    if (cl->source_type &&
        cdr_itnio_get_recording_url(c, cl->file_id, cl->source_type, &link, &err) != CDR_OK) {
        print_error(cl, "recording itnio", err.code, &err);
        return CLI_FAILED;
    }
    bool to_stdout = strcmp(cl->output, "-") == 0;
    FILE *out = to_stdout ? stdout : fopen(cl->output, "wb");
    if (!out) {
        fprintf(stderr, "cdrsim-client: %s: %s\n", cl->output, strerror(errno));
        cdr_itnio_recording_url_free(&link);
        return CLI_FAILED;
    }
    struct cdr_download d;
    cdr_error rc =
        cdr_itnio_download(c, link.url ? link.url : cl->file_id, write_file, out, &d, &err);
    cdr_itnio_recording_url_free(&link);
    bool closed = to_stdout ? fflush(out) == 0 : fclose(out) == 0;
    if (rc == CDR_OK && !closed)
        rc = cdr_error_set(&err, CDR_ERR_INVALID_ARGUMENT, "%s: %s", cl->output, strerror(errno));
    if (rc != CDR_OK) {
        if (!to_stdout)
            remove(cl->output);
        print_error(cl, "recording itnio", rc, &err);
        return CLI_FAILED;
    }
    return CLI_OK;
}

static int itnio_recording(int argc, char **argv)
{
    struct command_line cl;
    if (!read_command_line(argc, argv, &cl) || !cl.file_id || cl.voice_group_id) {
        fputs("usage: cdrsim-client recording itnio --base-url URL --api-key K --api-secret S "
              "--file-id KEY [--source-type sip|group] [--output FILE|-] " CLI_HTTP_USAGE "\n",
              stderr);
        return CLI_USAGE;
    }
    struct cdr_error_info err;
    struct cdr_itnio_client *c = cdr_itnio_client_new(&cl.opts, &err);
    if (!c) {
        print_error(&cl, "recording itnio", err.code, &err);
        return CLI_FAILED;
    }
    int status;
    if (cl.output) {
        status = save_audio(c, &cl);
    } else {
        struct cdr_itnio_recording_url link;
        cdr_error rc = cdr_itnio_get_recording_url(c, cl.file_id, cl.source_type, &link, &err);
        if (rc != CDR_OK)
            print_error(&cl, "recording itnio", rc, &err);
        status = rc != CDR_OK ? CLI_FAILED : print_link(cl.file_id, &link) ? CLI_OK : CLI_FAILED;
        cdr_itnio_recording_url_free(&link);
    }
    cdr_itnio_client_free(c);
    return status;
}

static const struct cli_command commands[] = {
    {"group-settings", itnio_group_settings},
    {"recording", itnio_recording},
    {NULL, NULL},
};

const struct cli_vendor cli_itnio = {
    .id = "itnio",
    .usage = "  sign itnio --api-key K --api-secret S --timestamp T   print the Sign header\n"
             "  group-settings itnio --base-url URL --api-key K --voice-group-id N\n"
             "                                                    an agent group's settings\n"
             "  recording itnio --base-url URL --api-key K --file-id KEY [--output FILE|-]\n"
             "                                                    a recording's link, or its "
             "audio\n",
    .sign = itnio_sign,
    .commands = commands,
};
