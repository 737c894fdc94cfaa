#include "timeparse.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static bool two_digits(const char *p, int *v)
{
    if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
        return false;
    *v = (p[0] - '0') * 10 + (p[1] - '0');
    return true;
}

/* Parses the fixed "YYYY-MM-DD?HH:MM:SS" prefix; the date must exist (no 02-30). */
static bool parse_fields(const char *s, const char *seps, int64_t *utc_wall)
{
    int c, y2, mo, d, h, mi, se;
    if (strlen(s) < 19 || !two_digits(s, &c) || !two_digits(s + 2, &y2) || s[4] != '-' ||
        !two_digits(s + 5, &mo) || s[7] != '-' || !two_digits(s + 8, &d) || !strchr(seps, s[10]) ||
        !s[10] || !two_digits(s + 11, &h) || s[13] != ':' || !two_digits(s + 14, &mi) ||
        s[16] != ':' || !two_digits(s + 17, &se))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59)
        return false;
    struct tm tm = {0};
    tm.tm_year = c * 100 + y2 - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    time_t t = timegm(&tm);
    /* timegm normalises 2025-02-30 into March; a changed day means the date did not exist. */
    if (tm.tm_mday != d || tm.tm_mon != mo - 1)
        return false;
    *utc_wall = (int64_t)t;
    return true;
}

bool mock_parse_wall_time(const char *text, int offset, int64_t *out)
{
    int64_t wall;
    if (!text || strlen(text) != 19 || !parse_fields(text, " ", &wall))
        return false;
    *out = wall - offset;
    return true;
}

static bool parse_zone(const char *p, int default_offset, int *offset, const char **end)
{
    int oh, om;
    if (*p == 'Z' || *p == 'z') {
        *offset = 0;
        *end = p + 1;
        return true;
    }
    if (*p != '+' && *p != '-') {
        *offset = default_offset;
        *end = p;
        return true;
    }
    int sign = *p == '-' ? -1 : 1;
    if (!two_digits(p + 1, &oh))
        return false;
    p += 3;
    if (*p == ':')
        p++;
    if (!two_digits(p, &om) || oh > 23 || om > 59)
        return false;
    *offset = sign * (oh * 3600 + om * 60);
    *end = p + 2;
    return true;
}

static bool parse_iso(const char *text, int default_offset, bool zone_required, int64_t *out_ms)
{
    int64_t wall;
    if (!text || !parse_fields(text, "Tt", &wall))
        return false;
    const char *p = text + 19;
    int ms = 0;
    if (*p == '.') {
        p++;
        int digits = 0;
        while (*p >= '0' && *p <= '9') {
            if (digits < 3)
                ms = ms * 10 + (*p - '0');
            digits++;
            p++;
        }
        if (digits == 0)
            return false;
        for (; digits < 3; digits++)
            ms *= 10;
    }
    if (zone_required && *p != 'Z' && *p != 'z' && *p != '+' && *p != '-')
        return false;
    int offset;
    const char *end;
    if (!parse_zone(p, default_offset, &offset, &end) || *end)
        return false;
    *out_ms = (wall - offset) * 1000 + ms;
    return true;
}

bool mock_parse_iso_time(const char *text, int default_offset, int64_t *out)
{
    int64_t ms;
    if (!parse_iso(text, default_offset, false, &ms))
        return false;
    *out = ms / 1000;
    return true;
}

bool mock_parse_rfc3339_ms(const char *text, int64_t *out_ms)
{
    return parse_iso(text, 0, true, out_ms);
}

void mock_format_wall_time(int64_t t, int offset, char *out)
{
    time_t local = (time_t)(t + offset);
    struct tm tm;
    gmtime_r(&local, &tm);
    strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

void mock_format_rfc3339(int64_t ms, bool with_ms, char *out)
{
    int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    int frac = (int)(ms - secs * 1000);
    time_t t = (time_t)secs;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 20, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!with_ms) {
        strcpy(out + 19, "Z");
        return;
    }
    out[19] = '.';
    out[20] = (char)('0' + frac / 100);
    out[21] = (char)('0' + frac / 10 % 10);
    out[22] = (char)('0' + frac % 10);
    strcpy(out + 23, "Z");
}
