#include "http_date.h"

#include <string.h>

#include "cdrsim/timefmt.h"

void mock_http_date(int64_t t, char *out)
{
    static const char days[] = "ThuFriSatSunMonTueWed"; /* 1970-01-01 was a Thursday */
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    /* The calendar fields from the RFC 3339 form, which the shared primitives already get
     * right for every year. */
    char iso[CDR_RFC3339_LEN + 1];
    cdr_time_format_rfc3339(t, iso);
    int64_t day = t / 86400 - (t % 86400 < 0);
    unsigned weekday = (unsigned)(((day % 7) + 7) % 7);
    unsigned month = (unsigned)((iso[5] - '0') * 10 + (iso[6] - '0'));
    memcpy(out, days + 3 * weekday, 3);
    memcpy(out + 3, ", ", 2);
    memcpy(out + 5, iso + 8, 2); /* day of month */
    out[7] = ' ';
    memcpy(out + 8, months + 3 * (month - 1), 3);
    out[11] = ' ';
    memcpy(out + 12, iso, 4); /* year */
    out[16] = ' ';
    memcpy(out + 17, iso + 11, 8); /* HH:MM:SS */
    memcpy(out + 25, " GMT", 5);
}
