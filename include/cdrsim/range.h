/* Splitting a long time range into windows a vendor accepts. */
#ifndef CDRSIM_RANGE_H
#define CDRSIM_RANGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct cdr_window {
    int64_t start; /* Unix seconds, inclusive */
    int64_t end;   /* Unix seconds, inclusive */
};

/* Splits [start, end] into windows no longer than max_span seconds. Consecutive windows share
 * their boundary second (window k ends where k+1 starts), so a record stamped exactly at a
 * boundary is fetched whether the server treats the end as inclusive or exclusive; callers drop
 * the duplicate by id. Writes up to cap windows and returns how many are needed (call with
 * cap 0 to size the array); returns 0 when start > end or max_span <= 0. */
size_t cdr_split_range(int64_t start, int64_t end, int64_t max_span, struct cdr_window *out,
                       size_t cap);

#ifdef __cplusplus
}
#endif

#endif
