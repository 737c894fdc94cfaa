/* The vendors libcdrsim knows, one line each: a vendor is its folder here plus this line. */
#include "vendor_ops.h"

#define CDR__VENDORS(X)                                                                            \
    X(itnio)                                                                                       \
    X(yunfu)                                                                                       \
    X(huawei)                                                                                      \
    X(aliyun)

#define DECLARE(id) CDR_INTERNAL extern const struct cdr_vendor cdr__##id##_vendor;
CDR__VENDORS(DECLARE)

const struct cdr_vendor *const *cdr_vendors(void)
{
#define ENTRY(id) &cdr__##id##_vendor,
    static const struct cdr_vendor *const vendors[] = {CDR__VENDORS(ENTRY) NULL};
    return vendors;
}
