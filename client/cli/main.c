/* cdrsim-client COMMAND VENDOR [options]: fetch and parse for every vendor libcdrsim describes,
 * and the commands a vendor has of its own. */
#include <stdio.h>
#include <string.h>

#include "cdrsim/cdrsim.h"
#include "cli.h"

static void usage(FILE *out)
{
    fputs("usage: cdrsim-client COMMAND VENDOR [options]\n"
          "Commands: fetch, parse, and a vendor's own (sign, ...). Times: RFC 3339, \"YYYY-MM-DD "
          "HH:MM:SS\"\n"
          "(UTC+8) or Unix seconds.\n"
          "Records are printed as JSON Lines (the normalized record; --raw adds the vendor's "
          "object).\n"
          "Credentials may also come from CDRSIM_<VENDOR>_<OPTION> environment variables\n"
          "(e.g. CDRSIM_ITNIO_API_SECRET), which keeps them out of the process list.\n"
          "cdrsim-client fetch VENDOR --help lists every option of a vendor.\n",
          out);
    for (const struct cdr_vendor *const *v = cdr_vendors(); *v; v++) {
        fprintf(out, "\n%s: %s\n", (*v)->id, (*v)->title);
        if (cdr_vendor_has_call(*v, "fetch_all"))
            cli_fetch_summary(*v, out);
        const struct cli_vendor *own = cli_vendor_find((*v)->id);
        if (cdr_vendor_has_call(*v, "parse") || (own && own->parse))
            fprintf(out, "  parse %s [--raw] FILE|-\n", (*v)->id);
        if (own && own->usage)
            fputs(own->usage, out);
    }
    fputs("\nExit status: 0 success, 1 request or parse failure, 2 usage error.\n", out);
}

int main(int argc, char **argv)
{
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
    const char *command = argv[1], *vendor_id = argv[2];
    const struct cdr_vendor *vendor = cdr_vendor_find(vendor_id);
    if (!vendor) {
        fprintf(stderr, "cdrsim-client: unknown vendor '%s'\n", vendor_id);
        return CLI_USAGE;
    }
    const struct cli_vendor *own = cli_vendor_find(vendor_id);
    /* The command sees its own argv: argv[0] names the vendor, options follow. */
    if (strcmp(command, "fetch") == 0)
        return cli_fetch(vendor, argc - 2, argv + 2);
    if (strcmp(command, "parse") == 0)
        return cli_parse(vendor, argc - 2, argv + 2);
    if (strcmp(command, "sign") == 0 && own && own->sign)
        return own->sign(argc - 2, argv + 2);
    for (const struct cli_command *c = own ? own->commands : NULL; c && c->name; c++)
        if (strcmp(command, c->name) == 0)
            return c->run(argc - 2, argv + 2);
    fprintf(stderr, "cdrsim-client: '%s' is not a command for %s\n", command, vendor_id);
    return CLI_USAGE;
}
