/* The mock's own time parsing. Deliberately independent of libcdrsim's, so that a mistake on one
 * side shows up as a disagreement in the integration tests instead of cancelling out. */
#ifndef MOCK_TIMEPARSE_H
#define MOCK_TIMEPARSE_H

#include <stdbool.h>
#include <stdint.h>

#define MOCK_CHINA_OFFSET (8 * 3600)

/* "YYYY-MM-DD HH:MM:SS" wall clock in a zone offset seconds east of UTC. */
bool mock_parse_wall_time(const char *text, int offset, int64_t *out);
/* "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)"; a missing zone uses default_offset. */
bool mock_parse_iso_time(const char *text, int default_offset, int64_t *out);
/* Milliseconds precision variant for the clock admin endpoint; requires a zone. */
bool mock_parse_rfc3339_ms(const char *text, int64_t *out_ms);
/* out holds 20 bytes: "YYYY-MM-DD HH:MM:SS". */
void mock_format_wall_time(int64_t t, int offset, char *out);
/* out holds 25 bytes: "YYYY-MM-DDTHH:MM:SS.mmmZ" (ms = true) or 21 bytes without ms. */
void mock_format_rfc3339(int64_t ms, bool with_ms, char *out);

#endif
