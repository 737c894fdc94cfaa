#include "cdrsim/range.h"

size_t cdr_split_range(int64_t start, int64_t end, int64_t max_span, struct cdr_window *out,
                       size_t cap)
{
    if (start > end || max_span <= 0)
        return 0;
    size_t n = 0;
    int64_t from = start;
    for (;;) {
        int64_t to = end - from > max_span ? from + max_span : end;
        if (n < cap) {
            out[n].start = from;
            out[n].end = to;
        }
        n++;
        if (to >= end)
            return n;
        from = to; /* shared boundary second: see range.h */
    }
}
