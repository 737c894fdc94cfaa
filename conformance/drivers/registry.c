/* Vendors the conformance runner can drive, one line each. */
#include <stddef.h>

#include "../conform.h"

#define CONFORM_DRIVERS(X)                                                                         \
    X(itnio)                                                                                       \
    X(yunfu)                                                                                       \
    X(huawei)                                                                                      \
    X(aliyun)

#define DECLARE(id) extern const struct conform_driver conform_##id##_driver;
CONFORM_DRIVERS(DECLARE)

#define ENTRY(id) &conform_##id##_driver,
const struct conform_driver *const conform_drivers[] = {CONFORM_DRIVERS(ENTRY) NULL};
