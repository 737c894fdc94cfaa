/* Every simulated vendor, one line each. Adding a vendor: its files plus one line here. */
#include <stddef.h>

#include "../vendor.h"

extern const struct mock_vendor_sim itnio_sim;
extern const struct mock_vendor_sim yunfu_sim;
extern const struct mock_vendor_sim aliyun_sim;
extern const struct mock_vendor_sim huawei_sim;

const struct mock_vendor_sim *const mock_vendors[] = {
    &itnio_sim, &yunfu_sim, &aliyun_sim, &huawei_sim, NULL,
};
