/* Vendors the conformance runner can drive, one line each. */
#include <stddef.h>

#include "../conform.h"

extern const struct conform_driver conform_itnio_driver;
extern const struct conform_driver conform_yunfu_driver;
extern const struct conform_driver conform_huawei_driver;
extern const struct conform_driver conform_aliyun_driver;

const struct conform_driver *const conform_drivers[] = {
    &conform_itnio_driver,
    &conform_yunfu_driver,
    &conform_huawei_driver,
    &conform_aliyun_driver,
    NULL,
};
