/* GET …/task/{task_id}/record (the call list: filters, Laravel paging, newest call first) and
 * GET …/task/{task_id}/detail/{record_id} (one call's dialogue rows, by default as the documented
 * {"records": [...]}), after params.c has read the query and auth.c has settled whose task it is.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "json_type.h"

#define LIST_MESSAGE "查看通话记录列表成功"
#define DETAIL_MESSAGE "查看通话记录详情成功"

/* ---- filters --------------------------------------------------------------------------------- */

static unsigned char fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Bytes of the UTF-8 character at s (1 for a stray continuation byte). */
static size_t char_len(const unsigned char *s)
{
    size_t n = 1;
    if (*s >= 0xC0)
        while ((s[n] & 0xC0) == 0x80)
            n++;
    return n;
}

/* MySQL's `text LIKE '%pattern%'` under a case-insensitive collation: '%' any run, '_' one
 * character, '\' escapes. Greedy with one backtrack point, so linear-ish and never recursive. */
/* Whether part occurs in text: the naive scan, quicker than strstr's set-up on an 11-digit
 * callee number. */
static bool has_part(const char *text, const char *part)
{
    for (; *text; text++) {
        size_t i = 0;
        while (part[i] && text[i] == part[i])
            i++;
        if (!part[i])
            return true;
    }
    return !*part;
}

static bool like_contains(const char *text, const char *pattern)
{
    /* A pattern with no wildcard, escape or letter (a part of a number, the usual search) is a
     * plain substring, without the backtracking matcher. */
    if (!pattern[strcspn(pattern, "%_\\ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")])
        return has_part(text, pattern);
    const unsigned char *t = (const unsigned char *)text, *p = (const unsigned char *)pattern;
    const unsigned char *star_p = p, *star_t = t; /* the implicit leading '%' */
    for (;;) {
        if (!*p)
            return true; /* the implicit trailing '%' */
        if (*p == '%') {
            while (*p == '%')
                p++;
            star_p = p;
            star_t = t;
            continue;
        }
        if (*t) {
            if (*p == '_') {
                t += char_len(t);
                p++;
                continue;
            }
            const unsigned char *lit = *p == '\\' && p[1] ? p + 1 : p;
            if (fold(*lit) == fold(*t)) {
                t++;
                p = lit + 1;
                continue;
            }
        }
        if (!*star_t)
            return false;
        star_t += char_len(star_t);
        t = star_t;
        p = star_p;
    }
}

static bool in_levels(int64_t score, const struct yunfu_list_params *q)
{
    for (size_t i = 0; i < q->level_count; i++)
        if (score >= q->levels[i].min && score <= q->levels[i].max) /* whereBetween: inclusive */
            return true;
    return false;
}

static bool matches(const struct yunfu_state *st, const struct yunfu_list_params *q,
                    const struct yunfu_attrs *a)
{
    if (q->keyword && (!a->callee || !(st->keyword_exact ? strcmp(a->callee, q->keyword) == 0
                                                         : like_contains(a->callee, q->keyword))))
        return false;
    if (q->level_count && (a->score == YUNFU_NO_VALUE || !in_levels(a->score, q)))
        return false;
    if (q->intention_filter &&
        (a->intention < 1 || a->intention > 5 || !(q->intentions & (1u << a->intention))))
        return false;
    if (q->hangup_from != YUNFU_NO_VALUE &&
        (a->hangup == YUNFU_NO_VALUE || a->hangup < q->hangup_from || a->hangup > q->hangup_to))
        return false;
    return true;
}

static bool unfiltered(const struct yunfu_list_params *q)
{
    return !q->keyword && !q->level_count && !q->intention_filter &&
           q->hangup_from == YUNFU_NO_VALUE;
}

/* First position in the task's entries whose call starts at or after t (after, when strict). */
static size_t bound(const struct yunfu_state *st, const struct yunfu_task *task, int64_t t,
                    bool strict)
{
    size_t lo = 0, hi = task->entry_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t s = st->records.entries[task->entries[mid]].start;
        if (s < t || (strict && s == t))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---- the list -------------------------------------------------------------------------------- */

struct page {
    const struct mock_store_entry **picked;
    size_t count, cap;
    size_t bytes;
    int64_t total;
};

static bool pick(struct page *pg, const struct mock_store_entry *e)
{
    if (pg->count == pg->cap) {
        size_t cap = pg->cap ? pg->cap * 2 : 64;
        const struct mock_store_entry **grown = realloc(pg->picked, cap * sizeof(*grown));
        if (!grown)
            return false;
        pg->picked = grown;
        pg->cap = cap;
    }
    pg->picked[pg->count++] = e;
    pg->bytes += (e->json ? e->json_len : 4096) + 1; /* a generated record: about 4 KB */
    return true;
}

/* ---- indexed filters ------------------------------------------------------------------------- */

static bool intention_wanted(const struct yunfu_list_params *q, const struct yunfu_attrs *a)
{
    return a->intention >= 1 && a->intention <= 5 && (q->intentions & (1u << a->intention));
}

static bool score_wanted(const struct yunfu_list_params *q, const struct yunfu_attrs *a)
{
    return a->score != YUNFU_NO_VALUE && in_levels(a->score, q);
}

/* The keys of index whose task is task_index and whose value the filter wants (tested on one
 * record of each key). false when out of memory. */
static bool pick_keys(const struct mock_index *index, size_t task_index,
                      const struct yunfu_list_params *q,
                      bool (*wanted)(const struct yunfu_list_params *, const struct yunfu_attrs *),
                      struct mock_index_pick *pick)
{
    pick->count = 0;
    pick->keys = malloc((index->key_count ? index->key_count : 1) * sizeof(*pick->keys));
    if (!pick->keys)
        return false;
    for (size_t k = 0; k < index->key_count; k++) {
        const struct yunfu_attrs *a = index->keys[k].example;
        if (a->task == task_index && wanted(q, a))
            pick->keys[pick->count++] = &index->keys[k];
    }
    return true;
}

struct walk {
    const struct yunfu_state *st;
    const struct yunfu_list_params *q;
    struct page *pg;
    int64_t skip;
    bool failed;
};

/* One record of the picked ones, newest first: tested against the other filters, then counted
 * and kept when on the page. */
static bool walk_one(void *ctx, size_t position)
{
    struct walk *w = ctx;
    const struct mock_store_entry *e = &w->st->records.entries[position];
    if (!matches(w->st, w->q, e->attrs))
        return true;
    if (w->pg->total >= w->skip && w->pg->total - w->skip < w->q->per_page && !pick(w->pg, e))
        w->failed = true;
    w->pg->total++;
    return !w->failed;
}

/* The page from the intention or score index (intention_tags, else levels): one indexed filter
 * alone is counted and paged from the index at any depth; with others, the picked records of the
 * window are walked and tested. Returns false when it cannot answer (out of memory, or the
 * oldest-first variant with several filters): the caller scans. */
static bool collect_indexed(const struct yunfu_state *st, const struct yunfu_task *task,
                            const struct yunfu_list_params *q, int64_t skip, struct page *pg)
{
    bool by_intention = q->intention_filter;
    bool others =
        q->keyword || q->hangup_from != YUNFU_NO_VALUE || (by_intention && q->level_count);
    if (others && st->oldest_first)
        return false;
    struct mock_index_pick sel;
    if (!pick_keys(by_intention ? &st->by_intention : &st->by_score, (size_t)(task - st->tasks), q,
                   by_intention ? intention_wanted : score_wanted, &sel))
        return false;
    size_t lo =
        q->start_at == YUNFU_NO_VALUE ? 0 : mock_store_lower_bound(&st->records, q->start_at);
    size_t hi = q->end_at == YUNFU_NO_VALUE ? st->records.count
                                            : mock_store_upper_bound(&st->records, q->end_at);
    bool ok = true;
    if (others) {
        struct walk w = {st, q, pg, skip, false};
        mock_index_walk(&sel, lo, hi < lo ? lo : hi, walk_one, &w);
        ok = !w.failed;
    } else {
        size_t total = lo < hi ? mock_index_count(&sel, lo, hi) : 0;
        pg->total = (int64_t)total;
        if (skip < pg->total) {
            size_t take = (size_t)(pg->total - skip < q->per_page ? pg->total - skip : q->per_page);
            /* oldest first: the same records as the newest-first ranks counted from the end */
            size_t from = st->oldest_first ? total - (size_t)skip - take : (size_t)skip;
            size_t *positions = malloc(take * sizeof(*positions));
            size_t n = positions ? mock_index_page(&sel, lo, hi, from, take, positions) : 0;
            ok = positions != NULL;
            for (size_t i = 0; ok && i < n; i++)
                ok = pick(pg, &st->records.entries[positions[st->oldest_first ? n - 1 - i : i]]);
            free(positions);
        }
    }
    free(sel.keys);
    return ok;
}

/* ---- pages read off segments of the task's window --------------------------------------------
 *
 * A query's window (the task's positions [lo, hi), from start_at and end_at) is read as segments,
 * newest first (oldest first for the order=oldest variant), each a run of positions or of a
 * keyword list's entries of one of three kinds:
 *   - every record matches: counted and paged by arithmetic;
 *   - every record with a hang-up time matches: counted and paged by the task's hung counts;
 *   - the records are tested one by one.
 * The page holds the matches ranked [skip, skip + per_page) across the segments in reading order;
 * pg->total counts every match. */

enum segment_kind { SEG_ALL, SEG_HUNG, SEG_TESTED };

struct reader {
    const struct yunfu_state *st;
    const struct yunfu_task *task;
    const struct yunfu_list_params *q;
    int64_t skip;
    struct page *pg;
};

static const struct mock_store_entry *at_position(const struct reader *r, size_t position)
{
    return &r->st->records.entries[r->task->entries[position]];
}

/* The i-th position of [lo, hi) in reading order: list[..] when a list is read. */
static size_t nth(const struct reader *r, const uint32_t *list, size_t lo, size_t hi, size_t i)
{
    size_t at = r->st->oldest_first ? lo + i : hi - 1 - i;
    return list ? list[at] : at;
}

/* The page's ranks among the segment's count matches, from the segment's first match: [*from,
 * *to). */
static void page_part(const struct reader *r, int64_t count, int64_t *from, int64_t *to)
{
    int64_t first = r->pg->total, want_lo = r->skip,
            want_hi = r->skip > INT64_MAX - r->q->per_page ? INT64_MAX : r->skip + r->q->per_page;
    *from = want_lo > first ? want_lo - first : 0;
    *to = want_hi - first < count ? want_hi - first : count;
    if (*to < *from)
        *to = *from;
}

static bool read_all(struct reader *r, const uint32_t *list, size_t lo, size_t hi)
{
    int64_t from, to;
    page_part(r, (int64_t)(hi - lo), &from, &to);
    for (int64_t i = from; i < to; i++)
        if (!pick(r->pg, at_position(r, nth(r, list, lo, hi, (size_t)i))))
            return false;
    r->pg->total += (int64_t)(hi - lo);
    return true;
}

/* Positions [lo, hi) of which those with a hang-up time match. */
static bool read_hung(struct reader *r, size_t lo, size_t hi)
{
    const uint32_t *hung = r->task->hung;
    int64_t from, to;
    page_part(r, hung[hi] - hung[lo], &from, &to);
    if (from < to) {
        /* The match of rank `from` is the record just before the first count reaching target. */
        uint32_t target =
            r->st->oldest_first ? hung[lo] + (uint32_t)from + 1 : hung[hi] - (uint32_t)from;
        size_t p = lo + mock_index_first_at(hung + lo + 1, hi - lo - 1, target);
        for (int64_t taken = 0; taken < to - from; p = r->st->oldest_first ? p + 1 : p - 1) {
            const struct mock_store_entry *e = at_position(r, p);
            if (((const struct yunfu_attrs *)e->attrs)->hangup == YUNFU_NO_VALUE)
                continue;
            if (!pick(r->pg, e))
                return false;
            taken++;
        }
    }
    r->pg->total += hung[hi] - hung[lo];
    return true;
}

static bool read_tested(struct reader *r, const uint32_t *list, size_t lo, size_t hi)
{
    for (size_t i = 0; i < hi - lo; i++) {
        const struct mock_store_entry *e = at_position(r, nth(r, list, lo, hi, i));
        if (!matches(r->st, r->q, e->attrs))
            continue;
        if (r->pg->total >= r->skip && r->pg->total - r->skip < r->q->per_page && !pick(r->pg, e))
            return false;
        r->pg->total++;
    }
    return true;
}

static bool read_segment(struct reader *r, enum segment_kind kind, const uint32_t *list, size_t lo,
                         size_t hi)
{
    if (hi <= lo)
        return true;
    return kind == SEG_ALL    ? read_all(r, list, lo, hi)
           : kind == SEG_HUNG ? read_hung(r, lo, hi)
                              : read_tested(r, list, lo, hi);
}

/* The keyword index's list of the task's records whose callee holds the keyword's rarest run of
 * three digits (every match has each of its digit runs); false when it has no such run. *alone:
 * the keyword is nothing but that run, so every record of the list matches it. */
static bool keyword_list(const struct yunfu_task *task, const char *keyword, const uint32_t **list,
                         size_t *count, bool *alone)
{
    unsigned run = 0, digits = 0;
    bool found = false;
    size_t len = 0;
    for (const char *p = keyword; *p; p++, len++) {
        if (*p < '0' || *p > '9') {
            digits = 0;
            continue;
        }
        run = (run * 10 + (unsigned)(*p - '0')) % YUNFU_GRAMS;
        if (++digits < 3)
            continue;
        size_t n = task->gram_start[run + 1] - task->gram_start[run];
        if (!found || n < *count) {
            *list = task->grams + task->gram_start[run];
            *count = n;
        }
        found = true;
    }
    *alone = found && len == 3;
    return found;
}

/* The page from the keyword index: the list's records in the window, each tested against the
 * filters (none to test when the keyword is one run of three digits and alone). false when the
 * keyword has no such run (or the index is missing): the caller reads otherwise. */
static bool read_keyword(struct reader *r, size_t lo, size_t hi, bool *ok)
{
    const uint32_t *list = NULL;
    size_t count = 0;
    bool alone = false;
    if (!r->task->gram_start || !keyword_list(r->task, r->q->keyword, &list, &count, &alone))
        return false;
    const struct yunfu_list_params *q = r->q;
    bool only = alone && !r->st->keyword_exact && !q->level_count && !q->intention_filter &&
                q->hangup_from == YUNFU_NO_VALUE;
    size_t a = mock_index_first_at(list, count, lo), b = mock_index_first_at(list, count, hi);
    *ok = read_segment(r, only ? SEG_ALL : SEG_TESTED, list, a, b);
    return true;
}

/* Positions [*lo, *hi) narrowed to the records that may hang up within [from, to] by the task's
 * leads, and [*sure_lo, *sure_hi) within them: the records that do when they have a hang-up
 * time. */
static void hangup_window(const struct yunfu_state *st, const struct yunfu_task *task, int64_t from,
                          int64_t to, size_t *lo, size_t *hi, size_t *sure_lo, size_t *sure_hi)
{
    if (task->hung[task->entry_count] == 0) { /* no record hangs up at all */
        *hi = *lo;
        *sure_lo = *sure_hi = *lo;
        return;
    }
    size_t first = bound(st, task, from - task->hangup_lead_max, false);
    size_t last = bound(st, task, to - task->hangup_lead_min, true);
    *lo = first > *lo ? first : *lo;
    *hi = last < *hi ? last : *hi;
    if (*hi < *lo)
        *hi = *lo;
    size_t a = bound(st, task, from - task->hangup_lead_min, false);
    size_t b = bound(st, task, to - task->hangup_lead_max, true);
    *sure_lo = a < *lo ? *lo : a > *hi ? *hi : a;
    *sure_hi = b < *sure_lo ? *sure_lo : b > *hi ? *hi : b;
}

/* The page of the task's window: from the intention or score index, the keyword index, the
 * hang-up bounds, or a scan, whichever applies first. */
static bool collect(const struct yunfu_state *st, const struct yunfu_task *task,
                    const struct yunfu_list_params *q, struct page *pg)
{
    size_t lo = q->start_at == YUNFU_NO_VALUE ? 0 : bound(st, task, q->start_at, false);
    size_t hi = q->end_at == YUNFU_NO_VALUE ? task->entry_count : bound(st, task, q->end_at, true);
    if (hi < lo)
        hi = lo;
    /* (page - 1) * per_page without overflow: a page beyond every record skips them all. */
    int64_t skip = q->page - 1 > INT64_MAX / q->per_page ? INT64_MAX : (q->page - 1) * q->per_page;
    struct reader r = {st, task, q, skip, pg};
    size_t sure_lo = lo, sure_hi = lo;
    bool hangup = q->hangup_from != YUNFU_NO_VALUE && task->hung;
    if (hangup)
        hangup_window(st, task, q->hangup_from, q->hangup_to, &lo, &hi, &sure_lo, &sure_hi);
    /* A keyword's run list first: a few thousand records at most where an intention or score
     * key may hold a fifth of the task. */
    bool ok;
    if (q->keyword && read_keyword(&r, lo, hi, &ok))
        return ok;
    if ((q->intention_filter || q->level_count) && collect_indexed(st, task, q, skip, pg))
        return true;
    pg->count = 0;
    pg->bytes = 0;
    pg->total = 0;
    if (unfiltered(q))
        return read_segment(&r, SEG_ALL, NULL, lo, hi);
    if (!hangup || q->keyword || q->level_count || q->intention_filter)
        return read_segment(&r, SEG_TESTED, NULL, lo, hi);
    /* hangup_date alone: the records starting between the sure bounds only need a hang-up time;
     * those on either side are tested. */
    bool down = !st->oldest_first;
    return read_segment(&r, SEG_TESTED, NULL, down ? sure_hi : lo, down ? hi : sure_lo) &&
           read_segment(&r, SEG_HUNG, NULL, sure_lo, sure_hi) &&
           read_segment(&r, SEG_TESTED, NULL, down ? lo : sure_hi, down ? sure_lo : hi);
}

/* Appends a page's record and says whether its text is well-formed UTF-8: checked the first time
 * a page shows the record, then read from its attrs. */
static bool append_checked(const struct yunfu_state *st, const struct mock_store_entry *e,
                           struct cdr_buf *b)
{
    struct yunfu_attrs *a = e->attrs; /* only its utf8 note is written */
    size_t from = b->len;
    if (!mock_store_append_json(&st->records, e, b))
        return true; /* b has failed: the answer is a 500 whatever this says */
    unsigned char known = atomic_load_explicit(&a->utf8, memory_order_relaxed);
    if (known == YUNFU_UTF8_UNKNOWN) {
        known =
            yunfu_utf8_valid(b->data + from, b->len - from) ? YUNFU_UTF8_VALID : YUNFU_UTF8_INVALID;
        atomic_store_explicit(&a->utf8, known, memory_order_relaxed);
    }
    return known == YUNFU_UTF8_VALID;
}

static void reply_page(const struct yunfu_state *st, const struct yunfu_list_params *q,
                       const struct page *pg, struct mock_response *resp)
{
    struct cdr_buf b;
    yunfu_begin_success(&b, LIST_MESSAGE, pg->bytes + 160);
    yunfu_write_meta(&b, q->page, q->per_page, q->per_page_text, st->per_page, pg->total);
    cdr_buf_puts(&b, ",\"data\":[");
    /* The records' bytes are checked once per record, the rest (which may echo the request) here.
     * Each piece starts and ends next to ASCII punctuation, so checking them apart is the same
     * as checking the whole. */
    size_t records_from = b.len;
    bool valid = true;
    for (size_t i = 0; i < pg->count; i++) {
        if (i)
            cdr_buf_append(&b, ",", 1);
        valid = append_checked(st, pg->picked[i], &b) && valid;
    }
    size_t records_to = b.len;
    cdr_buf_puts(&b, "]");
    yunfu_finish_success_checked(resp, &b, records_from, records_to, valid);
}

void yunfu_record_list(const struct yunfu_state *st, const struct yunfu_scope *scope,
                       const char *task_id, const struct yunfu_php_value *query,
                       struct mock_response *resp)
{
    struct yunfu_list_params q;
    struct yunfu_errors errors = {0};
    yunfu_read_list_params(st, query, &q, &errors);
    if (errors.count || errors.failed) {
        yunfu_reply_validation(resp, &errors);
        yunfu_errors_free(&errors);
        yunfu_list_params_free(&q);
        return;
    }
    struct yunfu_scope s = *scope;
    s.sub_user_id = q.sub_user_id;
    const struct yunfu_task *task;
    int code = yunfu_auth_task(st, &s, task_id, &task);
    if (code != YUNFU_OK) {
        yunfu_reply_error(resp, code);
        yunfu_list_params_free(&q);
        return;
    }
    struct page pg = {0};
    if (collect(st, task, &q, &pg))
        reply_page(st, &q, &pg, resp);
    else
        yunfu_reply_server_error(resp);
    free(pg.picked);
    yunfu_list_params_free(&q);
}

/* ---- one record ------------------------------------------------------------------------------ */

static int64_t sequence_of(const cJSON *row)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(row, "sequence");
    return cdr__json_int64(s, INT64_MAX);
}

/* The call's dialogue rows, its list "details" and any extra rows of dialogues.json, by sequence
 * (stable: equal sequences keep the database's order), as one compact array. NULL when out of
 * memory. Caller frees. */
static char *dialogue_rows(const struct yunfu_state *st, const struct mock_store_entry *e)
{
    const struct yunfu_attrs *a = e->attrs;
    struct cdr_buf record;
    cdr_buf_init(&record);
    size_t off = 0, len = 0;
    cJSON *rows = !yunfu_dataset_render(st, e, &record, &off, &len) ? NULL
                  : len ? cJSON_ParseWithLength(record.data + off, len)
                        : cJSON_CreateArray();
    cdr_buf_free(&record);
    if (!rows)
        return NULL;
    const cJSON *extra = yunfu_extra_rows(st, a->id), *row;
    cJSON_ArrayForEach(row, extra)
        cJSON_AddItemToArray(rows, cJSON_Duplicate(row, true));
    size_t n = (size_t)cJSON_GetArraySize(rows);
    cJSON **items = malloc((n ? n : 1) * sizeof(*items));
    char *text = NULL;
    if (items) {
        size_t i = 0;
        cJSON_ArrayForEach(row, rows)
            items[i++] = (cJSON *)row;
        for (i = 1; i < n; i++) { /* insertion sort: stable, and a call has a few dozen rows */
            cJSON *it = items[i];
            size_t j = i;
            for (; j > 0 && sequence_of(items[j - 1]) > sequence_of(it); j--)
                items[j] = items[j - 1];
            items[j] = it;
        }
        cJSON *sorted = cJSON_CreateArray();
        for (i = 0; sorted && i < n; i++)
            cJSON_AddItemReferenceToArray(sorted, items[i]);
        text = sorted ? cJSON_PrintUnformatted(sorted) : NULL;
        cJSON_Delete(sorted);
    }
    free(items);
    cJSON_Delete(rows);
    return text;
}

void yunfu_record_detail(const struct yunfu_state *st, const struct yunfu_scope *scope,
                         const char *task_id, const char *record_id,
                         const struct yunfu_php_value *query, struct mock_response *resp)
{
    struct yunfu_scope s = *scope;
    struct yunfu_errors errors = {0};
    yunfu_read_sub_user(query, &s.sub_user_id, &errors);
    if (errors.count || errors.failed) {
        yunfu_reply_validation(resp, &errors);
        yunfu_errors_free(&errors);
        return;
    }
    const struct yunfu_task *task;
    int code = yunfu_auth_task(st, &s, task_id, &task);
    if (code != YUNFU_OK) {
        yunfu_reply_error(resp, code);
        return;
    }
    const struct mock_store_entry *e = yunfu_task_record(st, task, record_id);
    if (!e && !st->missing_record_empty) {
        yunfu_reply_missing_record(resp, st->missing_record_404, record_id);
        return;
    }
    /* An unknown record on a server that answers with nothing: no rows, or an empty list. */
    char *rows = !e                                        ? strdup("[]")
                 : st->detail_shape == YUNFU_DETAIL_RECORD ? NULL
                                                           : dialogue_rows(st, e);
    if ((!e || st->detail_shape != YUNFU_DETAIL_RECORD) && !rows) {
        yunfu_reply_server_error(resp);
        return;
    }
    struct cdr_buf b;
    yunfu_begin_success(&b, DETAIL_MESSAGE, (e && e->json ? e->json_len : 4096) + 32);
    if (st->detail_shape == YUNFU_DETAIL_RECORDS) {
        cdr_buf_puts(&b, "\"data\":{\"records\":");
        cdr_buf_puts(&b, rows);
        cdr_buf_puts(&b, "}");
    } else if (st->detail_shape == YUNFU_DETAIL_ROWS || !e) {
        cdr_buf_puts(&b, "\"data\":");
        cdr_buf_puts(&b, rows);
    } else {
        cdr_buf_puts(&b, "\"data\":");
        mock_store_append_json(&st->records, e, &b);
    }
    free(rows);
    yunfu_finish_success(resp, &b);
}
