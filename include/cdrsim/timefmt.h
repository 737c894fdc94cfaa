/* Civil-time parsing and formatting for vendor timestamps. All instants are Unix seconds (UTC).
 * Vendors in China write local wall-clock times in UTC+08:00 without a zone. */
#ifndef CDRSIM_TIMEFMT_H
#define CDRSIM_TIMEFMT_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CDR_CHINA_OFFSET_SECONDS (8 * 3600)
#define CDR_RFC3339_LEN 20    /* "2025-01-03T08:10:39Z" */
#define CDR_RFC3339_MS_LEN 24 /* "2025-01-03T08:10:39.973Z" */
#define CDR_LOCAL_TIME_LEN 19 /* "2025-01-03 16:10:39" */

/* "YYYY-MM-DD HH:MM:SS" in a zone `offset_seconds` east of UTC. */
bool cdr_time_parse_local(const char *text, int offset_seconds, int64_t *out);
/* ISO 8601 / RFC 3339: "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM|+HHMM)"; a missing zone means
 * `default_offset_seconds`. Fractions are truncated. */
bool cdr_time_parse_iso8601(const char *text, int default_offset_seconds, int64_t *out);
/* The same with milliseconds kept (digits past the millisecond are truncated). */
bool cdr_time_parse_iso8601_ms(const char *text, int default_offset_seconds, int64_t *out_ms);
/* RFC 3339 with a zone required ("Z" or an offset), to the millisecond. */
bool cdr_time_parse_rfc3339_ms(const char *text, int64_t *out_ms);
/* Either of the first two forms. */
bool cdr_time_parse_any(const char *text, int default_offset_seconds, int64_t *out);

/* out must hold CDR_RFC3339_LEN + 1 bytes. */
void cdr_time_format_rfc3339(int64_t t, char *out);
/* "YYYY-MM-DDTHH:MM:SS.mmmZ"; out must hold CDR_RFC3339_MS_LEN + 1 bytes. */
void cdr_time_format_rfc3339_ms(int64_t ms, char *out);
/* out must hold CDR_LOCAL_TIME_LEN + 1 bytes. */
void cdr_time_format_local(int64_t t, int offset_seconds, char *out);

int64_t cdr_days_from_civil(int64_t year, unsigned month, unsigned day);

#ifdef __cplusplus
}
#endif

#endif
