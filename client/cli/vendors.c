/* The vendors cdrsim-client knows: one line each. */
#include <stddef.h>

#include "cli.h"

extern const struct cli_vendor cli_itnio;
extern const struct cli_vendor cli_yunfu;
extern const struct cli_vendor cli_aliyun;
extern const struct cli_vendor cli_huawei;

const struct cli_vendor *const cli_vendors[] = {
    &cli_itnio, &cli_yunfu, &cli_aliyun, &cli_huawei, NULL,
};
