/* cdrsim-client's own command for ITNIO: sign (the Sign header for a timestamp). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

const struct cli_vendor cli_itnio = {
    .id = "itnio",
    .usage = "  sign itnio --api-key K --api-secret S --timestamp T   print the Sign header\n",
    .sign = itnio_sign,
};
