/* libcdrsim: clients for contact-center call-record APIs, one header per vendor. */
#ifndef CDRSIM_CDRSIM_H
#define CDRSIM_CDRSIM_H

#include "cdrsim/aliyun.h"
#include "cdrsim/buf.h"
#include "cdrsim/error.h"
#include "cdrsim/http.h"
#include "cdrsim/huawei.h"
#include "cdrsim/itnio.h"
#include "cdrsim/range.h"
#include "cdrsim/record.h"
#include "cdrsim/sign.h"
#include "cdrsim/timefmt.h"
#include "cdrsim/vendor.h"
#include "cdrsim/version.h"
#include "cdrsim/yunfu.h"

#endif
