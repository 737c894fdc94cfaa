/* cdrsim-client COMMAND VENDOR [options]: fetch and parse for every vendor libcdrsim describes,
 * and the commands a vendor has of its own. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cdrsim/cdrsim.h"
#include "cli.h"

/* A vendor's commands, as the main --help lists them. */
static void vendor_usage(const struct cdr_vendor *v, FILE *out)
{
    fprintf(out, "%s: %s\n", v->id, v->title);
    if (cdr_vendor_has_call(v, "fetch_all"))
        cli_fetch_summary(v, out);
    const struct cli_vendor *own = cli_vendor_find(v->id);
    if (cdr_vendor_has_call(v, "parse") || (own && own->parse))
        fprintf(out, "  parse %s [--raw] FILE|-\n", v->id);
    if (cdr_vendor_has_call(v, "push"))
        cli_listen_summary(v, out);
    if (own && own->usage)
        fputs(own->usage, out);
}

static void usage(FILE *out)
{
    fputs("usage: cdrsim-client COMMAND VENDOR [options]\n"
          "Commands: fetch, parse, listen (receives a vendor's pushes), and a vendor's own (sign,\n"
          "...). Times: RFC 3339, \"YYYY-MM-DD HH:MM:SS\" (UTC+8) or Unix seconds.\n"
          "Records are printed as JSON Lines (the normalized record; --raw adds the vendor's "
          "object).\n"
          "Credentials may also come from CDRSIM_<VENDOR>_<OPTION> environment variables\n"
          "(e.g. CDRSIM_ITNIO_API_SECRET), which keeps them out of the process list.\n"
          "cdrsim-client fetch VENDOR --help lists every option of a vendor.\n",
          out);
    for (const struct cdr_vendor *const *v = cdr_vendors(); *v; v++) {
        fputc('\n', out);
        vendor_usage(*v, out);
    }
    fputs("\nExit status: 0 success, 1 request or parse failure, 2 usage error.\n", out);
}

/* Whether a command's arguments ask for help. */
static bool asks_help(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return true;
    return false;
}

int main(int argc, char **argv)
{
    /* Records go out in one write(2) per 256 KiB rather than per 4 KiB; a terminal stays line
     * by line. */
    if (!isatty(STDOUT_FILENO))
        setvbuf(stdout, NULL, _IOFBF, 256 * 1024);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return CLI_OK;
    }
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("cdrsim-client %s\n", CDRSIM_VERSION);
        return CLI_OK;
    }
    if (argc < 3) {
        usage(stderr);
        return CLI_USAGE;
    }
    /* "fetch --help": every command's usage; the vendor's fetch and parse have their own. */
    if (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    const char *command = argv[1], *vendor_id = argv[2];
    const struct cdr_vendor *vendor = cdr_vendor_find(vendor_id);
    if (!vendor) {
        fprintf(stderr, "cdrsim-client: unknown vendor '%s'\n", vendor_id);
        return CLI_USAGE;
    }
    const struct cli_vendor *own = cli_vendor_find(vendor_id);
    /* A vendor's own command asked for help: the vendor's commands with their options. */
    if (strcmp(command, "fetch") != 0 && strcmp(command, "parse") != 0 &&
        strcmp(command, "listen") != 0 && asks_help(argc - 3, argv + 3)) {
        fputs("usage: cdrsim-client COMMAND VENDOR [options]\n", stdout);
        vendor_usage(vendor, stdout);
        return CLI_OK;
    }
    /* The command sees its own argv: argv[0] names the vendor, options follow. */
    if (strcmp(command, "fetch") == 0)
        return cli_fetch(vendor, argc - 2, argv + 2);
    if (strcmp(command, "parse") == 0)
        return cli_parse(vendor, argc - 2, argv + 2);
    if (strcmp(command, "listen") == 0)
        return cli_listen(vendor, argc - 2, argv + 2);
    if (strcmp(command, "sign") == 0 && own && own->sign)
        return own->sign(argc - 2, argv + 2);
    for (const struct cli_command *c = own ? own->commands : NULL; c && c->name; c++)
        if (strcmp(command, c->name) == 0)
            return c->run(argc - 2, argv + 2);
    fprintf(stderr, "cdrsim-client: '%s' is not a command for %s\n", command, vendor_id);
    return CLI_USAGE;
}
