/* Civil time for both sides: the vendors' wall-clock forms and RFC 3339, without libc time zone
 * state. */
#include "cdrsim/timefmt.h"

#include <string.h>

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar, no libc time zone
 * state involved (timegm/mktime would depend on TZ and on the platform's range). */
int64_t cdr_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *year, unsigned *month, unsigned *day)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t y = (int64_t)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *day = doy - (153 * mp + 2) / 5 + 1;
    *month = mp < 10 ? mp + 3 : mp - 9;
    *year = (int)(y + (*month <= 2));
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Parses "YYYY-MM-DD?HH:MM:SS" where ? is sep_a or sep_b; returns seconds since the epoch as if
 * the wall time were UTC. */
static bool parse_wall(const char *s, char sep_a, char sep_b, int64_t *out)
{
    int y, mo, d, h, mi, se;
    if (strlen(s) < 19 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
        s[7] != '-' || !digits(s + 8, 2, &d) || (s[10] != sep_a && s[10] != sep_b) ||
        !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
        !digits(s + 17, 2, &se))
        return false;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59)
        return false;
    if (d > mdays[mo - 1] + (mo == 2 && is_leap(y)))
        return false;
    *out = cdr_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se;
    return true;
}

bool cdr_time_parse_local(const char *text, int offset_seconds, int64_t *out)
{
    int64_t wall;
    if (!text || strlen(text) != CDR_LOCAL_TIME_LEN || !parse_wall(text, ' ', ' ', &wall))
        return false;
    *out = wall - offset_seconds;
    return true;
}

/* The shared body of the ISO 8601 parsers: milliseconds since the epoch; a missing zone means
 * default_offset_seconds unless zone_required. Digits past the millisecond are truncated. */
static bool parse_iso_ms(const char *text, int default_offset_seconds, bool zone_required,
                         int64_t *out_ms)
{
    int64_t wall;
    if (!text || !parse_wall(text, 'T', 't', &wall))
        return false;
    const char *p = text + 19;
    int ms = 0;
    if (*p == '.' || *p == ',') { /* ISO 8601 allows either decimal sign */
        p++;
        int n = 0;
        while (*p >= '0' && *p <= '9') {
            if (n < 3)
                ms = ms * 10 + (*p - '0');
            n++;
            p++;
        }
        if (n == 0)
            return false;
        for (; n < 3; n++)
            ms *= 10;
    }
    int offset = default_offset_seconds;
    if (*p == 'Z' || *p == 'z') {
        offset = 0;
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        int sign = *p == '-' ? -1 : 1;
        p++;
        if (!digits(p, 2, &oh))
            return false;
        p += 2;
        if (*p == ':')
            p++;
        if (!digits(p, 2, &om))
            return false;
        p += 2;
        if (oh > 23 || om > 59)
            return false;
        offset = sign * (oh * 3600 + om * 60);
    } else if (zone_required) {
        return false;
    }
    if (*p != '\0')
        return false;
    *out_ms = (wall - offset) * 1000 + ms;
    return true;
}

bool cdr_time_parse_iso8601(const char *text, int default_offset_seconds, int64_t *out)
{
    int64_t ms;
    if (!parse_iso_ms(text, default_offset_seconds, false, &ms))
        return false;
    *out = ms / 1000 - (ms % 1000 < 0);
    return true;
}

bool cdr_time_parse_iso8601_ms(const char *text, int default_offset_seconds, int64_t *out_ms)
{
    return parse_iso_ms(text, default_offset_seconds, false, out_ms);
}

bool cdr_time_parse_rfc3339_ms(const char *text, int64_t *out_ms)
{
    return parse_iso_ms(text, 0, true, out_ms);
}

bool cdr_time_parse_any(const char *text, int default_offset_seconds, int64_t *out)
{
    return cdr_time_parse_local(text, default_offset_seconds, out) ||
           cdr_time_parse_iso8601(text, default_offset_seconds, out);
}

static void split(int64_t t, int *y, unsigned *mo, unsigned *d, int *h, int *mi, int *s)
{
    int64_t days = t / 86400, rem = t % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    civil_from_days(days, y, mo, d);
    *h = (int)(rem / 3600);
    *mi = (int)(rem % 3600 / 60);
    *s = (int)(rem % 60);
}

static void put_digits(char *out, unsigned value, int width)
{
    for (int i = width - 1; i >= 0; i--, value /= 10)
        out[i] = (char)('0' + value % 10);
}

/* "YYYY-MM-DD?HH:MM:SS" with sep between date and time. Digits by hand, not printf: the mock
 * stamps every answer and every log line with these. */
static void format_civil(int64_t t, char sep, char *out)
{
    int y, h, mi, s;
    unsigned mo, d;
    split(t, &y, &mo, &d, &h, &mi, &s);
    put_digits(out, (unsigned)(((y % 10000) + 10000) % 10000), 4);
    out[4] = '-';
    put_digits(out + 5, mo, 2);
    out[7] = '-';
    put_digits(out + 8, d, 2);
    out[10] = sep;
    put_digits(out + 11, (unsigned)h, 2);
    out[13] = ':';
    put_digits(out + 14, (unsigned)mi, 2);
    out[16] = ':';
    put_digits(out + 17, (unsigned)s, 2);
}

void cdr_time_format_rfc3339(int64_t t, char *out)
{
    format_civil(t, 'T', out);
    out[19] = 'Z';
    out[CDR_RFC3339_LEN] = '\0';
}

void cdr_time_format_local(int64_t t, int offset_seconds, char *out)
{
    format_civil(t + offset_seconds, ' ', out);
    out[CDR_LOCAL_TIME_LEN] = '\0';
}

void cdr_time_format_rfc3339_ms(int64_t ms, char *out)
{
    int64_t secs = ms / 1000, frac = ms % 1000;
    if (frac < 0) {
        frac += 1000;
        secs--;
    }
    cdr_time_format_rfc3339(secs, out);
    out[19] = '.';
    out[20] = (char)('0' + frac / 100);
    out[21] = (char)('0' + frac / 10 % 10);
    out[22] = (char)('0' + frac % 10);
    out[23] = 'Z';
    out[24] = '\0';
}
