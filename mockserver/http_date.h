/* The HTTP Date header's form (RFC 9110 IMF-fixdate): "Sun, 06 Nov 1994 08:49:37 GMT". */
#ifndef MOCK_HTTP_DATE_H
#define MOCK_HTTP_DATE_H

#include <stdint.h>

#define MOCK_HTTP_DATE_LEN 29

/* t in Unix seconds, years 0000..9999 (the mock's clock is kept within 1970..9999); out holds
 * MOCK_HTTP_DATE_LEN + 1 bytes. */
void mock_http_date(int64_t t, char *out);

#endif
