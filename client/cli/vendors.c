/* The vendors whose command line has something of its own (client/cli/<vendor>.c), one line each.
 * Every other vendor's fetch and parse come from its descriptor alone. */
#include <stddef.h>
#include <string.h>

#include "cli.h"

#define CLI_VENDORS(X)                                                                             \
    X(itnio)                                                                                       \
    X(yunfu)                                                                                       \
    X(huawei)                                                                                      \
    X(aliyun)

#define DECLARE(id) extern const struct cli_vendor cli_##id;
CLI_VENDORS(DECLARE)

#define ENTRY(id) &cli_##id,
const struct cli_vendor *const cli_vendors[] = {CLI_VENDORS(ENTRY) NULL};

const struct cli_vendor *cli_vendor_find(const char *id)
{
    for (const struct cli_vendor *const *v = cli_vendors; *v; v++)
        if (strcmp((*v)->id, id) == 0)
            return *v;
    return NULL;
}
