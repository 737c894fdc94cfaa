/* cdrsim-client COMMAND VENDOR [options]: dispatches to the vendor's command table entry. */
#include <stdio.h>
#include <string.h>

#include "cdrsim/cdrsim.h"
#include "cli.h"

static void usage(FILE *out)
{
    fputs("usage: cdrsim-client COMMAND VENDOR [options]\n"
          "Commands: sign, parse, fetch. Times: RFC 3339, \"YYYY-MM-DD HH:MM:SS\" (UTC+8) or Unix "
          "seconds.\n"
          "Records are printed as JSON Lines (the normalized record; --raw adds the vendor's "
          "object).\n"
          "Credentials may also come from CDRSIM_<VENDOR>_<OPTION> environment variables\n"
          "(e.g. CDRSIM_ITNIO_API_SECRET), which keeps them out of the process list.\n\n",
          out);
    for (const struct cli_vendor *const *v = cli_vendors; *v; v++)
        fputs((*v)->usage, out);
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
    const struct cli_vendor *vendor = NULL;
    for (const struct cli_vendor *const *v = cli_vendors; *v; v++)
        if (strcmp((*v)->id, vendor_id) == 0)
            vendor = *v;
    if (!vendor) {
        fprintf(stderr, "cdrsim-client: unknown vendor '%s'\n", vendor_id);
        return CLI_USAGE;
    }
    cli_command_fn fn = strcmp(command, "sign") == 0    ? vendor->sign
                        : strcmp(command, "parse") == 0 ? vendor->parse
                        : strcmp(command, "fetch") == 0 ? vendor->fetch
                                                        : NULL;
    if (!fn) {
        fprintf(stderr, "cdrsim-client: '%s' is not a command for %s\n", command, vendor_id);
        return CLI_USAGE;
    }
    /* The command sees its own argv: argv[0] names it, options follow. */
    return fn(argc - 2, argv + 2);
}
