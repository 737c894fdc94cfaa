// Every public header from C++, and a call declared by each: without extern "C" in a header, its
// function's name is mangled here and the link against libcdrsim fails. Exits 0 when each call
// gives the answer it gives from C.
#include "cdrsim/aliyun.h"
#include "cdrsim/buf.h"
#include "cdrsim/cdrsim.h"
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

#include <cstdio>
#include <cstdlib>
#include <cstring>

static int failures = 0;

static void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "FAILED: %s\n", what);
        failures++;
    }
}

int main()
{
    check(std::strcmp(cdr_error_name(CDR_OK), "ok") == 0, "cdr_error_name(CDR_OK) is \"ok\"");

    cdr_buf buf;
    cdr_buf_init(&buf);
    cdr_buf_puts(&buf, "abc");
    check(buf.len == 3, "cdr_buf_puts appends 3 bytes");
    cdr_buf_free(&buf);

    int64_t t = 0;
    check(cdr_time_parse_local("1970-01-01 08:00:00", CDR_CHINA_OFFSET_SECONDS, &t) && t == 0,
          "cdr_time_parse_local reads the epoch in UTC+8");

    const unsigned char bytes[] = {0xab, 0x01};
    char *hex = cdr_hex_encode(bytes, sizeof(bytes));
    check(hex && std::strcmp(hex, "ab01") == 0, "cdr_hex_encode gives ab01");
    std::free(hex);

    check(cdr_split_range(0, 100, 50, nullptr, 0) == 2, "cdr_split_range needs two windows");

    cdr_record rec;
    cdr_record_init(&rec);
    cdr_record_free(&rec);

    check(cdr_vendor_find("itnio") != nullptr, "cdr_vendor_find finds itnio");

    cdr_http_options http;
    cdr_http_options_default(&http);
    check(http.timeout_ms > 0, "cdr_http_options_default sets a timeout");

    cdr_itnio_options itnio;
    cdr_itnio_options_default(&itnio);
    cdr_yunfu_options yunfu;
    cdr_yunfu_options_default(&yunfu);
    cdr_huawei_options huawei;
    cdr_huawei_options_default(&huawei);
    cdr_aliyun_options aliyun;
    cdr_aliyun_options_default(&aliyun);

    check(std::strlen(CDRSIM_VERSION) >= 5, "CDRSIM_VERSION is X.Y.Z");
    if (failures == 0)
        std::printf("every public header links from C++ (cdrsim %s)\n", CDRSIM_VERSION);
    return failures == 0 ? 0 : 1;
}
