/* Journal expectations: what the mock's request journal (GET /__cdrsim/requests) says of the
 * requests one step made, so a suite can state "every request of this fetch was correctly signed
 * and asked at most 93 days". The runner marks the journal's newest seq before the step and reads
 * the entries after the mark when the step has run; a step's requests are the vendor's entries
 * after it. Mock targets only: a live vendor keeps no journal for us. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cdrsim/sign.h"
#include "cdrsim/timefmt.h"
#include "expect.h"
#include "target.h"
#include "json_type.h"

#define MAX_ENTRIES 100000 /* far more than one step sends; the journal keeps 10000 by default */

static const char *const spec_keys[] = {"where", "every", "count", "count_min", "count_max", NULL};
static const char *const match_keys[] = {"method", "path", "status", "auth_ok", "faulted", NULL};
static const char *const span_keys[] = {"from",          "to", "max_seconds", "max_days", "inside",
                                        "slack_seconds", NULL};

static bool listed(const char *const *list, const char *key)
{
    for (; *list; list++)
        if (strcmp(*list, key) == 0)
            return true;
    return false;
}

static bool check_keys(const cJSON *obj, const char *const *keys, const char *what,
                       const char *where, char *err, size_t err_len)
{
    if (!cJSON_IsObject(obj)) {
        snprintf(err, err_len, "%s: journal %s must be an object", where, what);
        return false;
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, obj) {
        if (!listed(keys, item->string)) {
            snprintf(err, err_len, "%s: journal %s: unknown key \"%s\"", where, what, item->string);
            return false;
        }
    }
    return true;
}

/* A place in an entry the span reads: "body.<path>" (a JSON body), "form.<name>" (a form body)
 * or "query.<name>". */
static bool place_known(const cJSON *v)
{
    return cJSON_IsString(v) &&
           (strncmp(v->valuestring, "body.", 5) == 0 || strncmp(v->valuestring, "form.", 5) == 0 ||
            strncmp(v->valuestring, "query.", 6) == 0);
}

bool conform_journal_check_spec(const cJSON *spec, const char *where, char *err, size_t err_len)
{
    if (!spec)
        return true;
    if (!check_keys(spec, spec_keys, "expectation", where, err, err_len))
        return false;
    const cJSON *sel = cJSON_GetObjectItemCaseSensitive(spec, "where");
    const cJSON *every = cJSON_GetObjectItemCaseSensitive(spec, "every");
    if (sel && !check_keys(sel, match_keys, "\"where\"", where, err, err_len))
        return false;
    static const char *const every_keys[] = {"method",  "path", "status", "auth_ok",
                                             "faulted", "span", NULL};
    if (every && !check_keys(every, every_keys, "\"every\"", where, err, err_len))
        return false;
    const cJSON *span = cJSON_GetObjectItemCaseSensitive(every, "span");
    if (span && !check_keys(span, span_keys, "\"span\"", where, err, err_len))
        return false;
    if (span && (!place_known(cJSON_GetObjectItemCaseSensitive(span, "from")) ||
                 !place_known(cJSON_GetObjectItemCaseSensitive(span, "to")))) {
        snprintf(err, err_len,
                 "%s: journal \"span\" needs \"from\" and \"to\", each \"body.<path>\", "
                 "\"form.<name>\" or \"query.<name>\"",
                 where);
        return false;
    }
    return true;
}

/* ---- reading entries ------------------------------------------------------------------------- */

static const char *pair_value(const cJSON *pairs, const char *name)
{
    const cJSON *pair;
    cJSON_ArrayForEach(pair, pairs) {
        const cJSON *k = cJSON_GetArrayItem(pair, 0), *v = cJSON_GetArrayItem(pair, 1);
        if (cJSON_IsString(k) && cJSON_IsString(v) && strcmp(k->valuestring, name) == 0)
            return v->valuestring;
    }
    return NULL;
}

/* The value of name in a form body "a=1&b=2", decoded (caller frees), or NULL. */
static char *form_value(const char *body, const char *name)
{
    size_t n = strlen(name);
    for (const char *at = body; at && *at; at = strchr(at, '&') ? strchr(at, '&') + 1 : NULL) {
        size_t len = strcspn(at, "&");
        if (len > n && strncmp(at, name, n) == 0 && at[n] == '=')
            return cdr_percent_decode(at + n + 1, len - n - 1, true, NULL);
    }
    return NULL;
}

/* A time read from text or a number: epoch seconds, or milliseconds when it is that large, or a
 * date the vendors write (UTC+8 when it names no zone). */
static bool time_of(const char *text, double number, bool is_number, int64_t *out)
{
    if (!is_number && text && *text && strspn(text, "0123456789") == strlen(text)) {
        number = strtod(text, NULL);
        is_number = true;
    }
    if (is_number) {
        *out = cdr__int64_of_double(number > 1e11 ? number / 1000.0 : number);
        return true;
    }
    return text && cdr_time_parse_any(text, CDR_CHINA_OFFSET_SECONDS, out);
}

/* The time at a place of an entry; false when the entry has none there. */
static bool place_time(const cJSON *entry, const char *place, int64_t *out)
{
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(entry, "body");
    const char *text = cJSON_IsString(body) ? body->valuestring : "";
    if (strncmp(place, "query.", 6) == 0)
        return time_of(pair_value(cJSON_GetObjectItemCaseSensitive(entry, "query"), place + 6), 0,
                       false, out);
    if (strncmp(place, "form.", 5) == 0) {
        char *value = form_value(text, place + 5);
        bool ok = time_of(value, 0, false, out);
        free(value);
        return ok;
    }
    cJSON *json = cJSON_Parse(text);
    const cJSON *v = conform_entry_field(json, place + 5);
    bool ok = v && time_of(cJSON_IsString(v) ? v->valuestring : NULL, v->valuedouble,
                           cJSON_IsNumber(v), out);
    cJSON_Delete(json);
    return ok;
}

/* A shell-style pattern with '*' only, as the journal's own path filter takes it. */
static bool glob(const char *pattern, const char *text)
{
    if (!*pattern)
        return !*text;
    if (*pattern == '*')
        return glob(pattern + 1, text) || (*text && glob(pattern, text + 1));
    return *text == *pattern && glob(pattern + 1, text + 1);
}

/* Whether an entry meets every member of a matcher that is about requests; on false, why says
 * which. */
static bool entry_matches(const cJSON *entry, const cJSON *matcher, char *why, size_t why_len)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, matcher) {
        const cJSON *auth = cJSON_GetObjectItemCaseSensitive(entry, "auth");
        const cJSON *seen = strcmp(m->string, "auth_ok") == 0
                                ? cJSON_GetObjectItemCaseSensitive(auth, "ok")
                                : cJSON_GetObjectItemCaseSensitive(entry, m->string);
        bool ok;
        if (strcmp(m->string, "span") == 0)
            continue;
        if (strcmp(m->string, "path") == 0)
            ok = cJSON_IsString(m) && cJSON_IsString(seen) &&
                 glob(m->valuestring, seen->valuestring);
        else if (strcmp(m->string, "method") == 0)
            ok = cJSON_IsString(m) && cJSON_IsString(seen) &&
                 strcasecmp(m->valuestring, seen->valuestring) == 0;
        else
            ok = seen && cJSON_Compare(m, seen, true);
        if (!ok) {
            char *want = cJSON_PrintUnformatted(m);
            char *got = seen ? cJSON_PrintUnformatted(seen) : NULL;
            const cJSON *reason = cJSON_GetObjectItemCaseSensitive(auth, "reason");
            snprintf(why, why_len, "%s %s, expected %s%s%s", m->string, got ? got : "absent",
                     want ? want : "?", cJSON_IsString(reason) ? "; the vendor's verdict: " : "",
                     cJSON_IsString(reason) ? reason->valuestring : "");
            free(want);
            free(got);
            return false;
        }
    }
    return true;
}

/* The span an entry asks for, against the step's range and the longest allowed. */
static bool span_holds(const cJSON *entry, const cJSON *span, const cJSON *args, char *why,
                       size_t why_len)
{
    const char *from_at = cJSON_GetObjectItemCaseSensitive(span, "from")->valuestring;
    const char *to_at = cJSON_GetObjectItemCaseSensitive(span, "to")->valuestring;
    int64_t from, to;
    if (!place_time(entry, from_at, &from) || !place_time(entry, to_at, &to)) {
        snprintf(why, why_len, "no time at %s or %s", from_at, to_at);
        return false;
    }
    const cJSON *secs = cJSON_GetObjectItemCaseSensitive(span, "max_seconds");
    const cJSON *days = cJSON_GetObjectItemCaseSensitive(span, "max_days");
    int64_t max = cJSON_IsNumber(secs)   ? cdr__json_int64(secs, 0)
                  : cJSON_IsNumber(days) ? cdr__int64_of_double(days->valuedouble * 86400)
                                         : -1;
    char a[CDR_RFC3339_LEN + 1], b[CDR_RFC3339_LEN + 1];
    cdr_time_format_rfc3339(from, a);
    cdr_time_format_rfc3339(to, b);
    if (to < from) {
        snprintf(why, why_len, "asked %s..%s, which ends before it starts", a, b);
        return false;
    }
    if (max >= 0 && to - from > max) {
        snprintf(why, why_len, "asked %s..%s, %lld s, longer than %lld s", a, b,
                 (long long)(to - from), (long long)max);
        return false;
    }
    const cJSON *lo = cJSON_GetObjectItemCaseSensitive(args, "from");
    const cJSON *hi = cJSON_GetObjectItemCaseSensitive(args, "to");
    /* A client may ask a little past the range on purpose (ITNIO's: one second past the end, in
     * case the vendor's end is exclusive): "slack_seconds" says how much is meant. */
    const cJSON *slack_v = cJSON_GetObjectItemCaseSensitive(span, "slack_seconds");
    int64_t slack = cdr__json_int64(slack_v, 0);
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(span, "inside")) && cJSON_IsNumber(lo) &&
        cJSON_IsNumber(hi) &&
        (from < cdr__json_int64(lo, 0) - slack || to > cdr__json_int64(hi, 0) + slack)) {
        char c[CDR_RFC3339_LEN + 1], d[CDR_RFC3339_LEN + 1];
        cdr_time_format_rfc3339(cdr__json_int64(lo, 0), c);
        cdr_time_format_rfc3339(cdr__json_int64(hi, 0), d);
        snprintf(why, why_len, "asked %s..%s, outside the step's range %s..%s", a, b, c, d);
        return false;
    }
    return true;
}

/* ---- the runner's side ----------------------------------------------------------------------- */

bool conform_journal_mark(const struct conform_step_ctx *ctx, uint64_t *mark)
{
    cJSON *list = conform_target_admin_json(ctx->senv->env.base_url, "/__cdrsim/requests?limit=1",
                                            ctx->senv->env.insecure);
    const cJSON *requests = cJSON_GetObjectItemCaseSensitive(list, "requests");
    const cJSON *seq = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(requests, 0), "seq");
    bool ok = cJSON_IsArray(requests);
    *mark = (uint64_t)cdr__json_int64(seq, 0);
    cJSON_Delete(list);
    return ok;
}

static void judge_count(struct conform_step_ctx *ctx, const cJSON *spec, const char *key,
                        size_t count)
{
    const cJSON *want = cJSON_GetObjectItemCaseSensitive(spec, key);
    if (!cJSON_IsNumber(want))
        return;
    double w = want->valuedouble, n = (double)count;
    bool ok = strcmp(key, "count") == 0 ? n == w : strcmp(key, "count_min") == 0 ? n >= w : n <= w;
    if (!ok)
        conform_step_fail(ctx, "journal: %zu requests matched, expected %s %.0f", count,
                          strcmp(key, "count") == 0       ? "exactly"
                          : strcmp(key, "count_min") == 0 ? "at least"
                                                          : "at most",
                          w);
}

void conform_journal_judge(struct conform_step_ctx *ctx, const cJSON *spec, const cJSON *args,
                           uint64_t mark)
{
    char path[256];
    snprintf(path, sizeof(path), "/__cdrsim/requests?vendor=%s&since=%llu&limit=%d",
             ctx->senv->driver->vendor, (unsigned long long)mark, MAX_ENTRIES);
    cJSON *list = conform_target_admin_json(ctx->senv->env.base_url, path, ctx->senv->env.insecure);
    const cJSON *requests = cJSON_GetObjectItemCaseSensitive(list, "requests");
    if (!cJSON_IsArray(requests)) {
        conform_step_fail(ctx, "journal: GET %s gave no request list (is the journal on?)", path);
        cJSON_Delete(list);
        return;
    }
    const cJSON *sel = cJSON_GetObjectItemCaseSensitive(spec, "where");
    const cJSON *every = cJSON_GetObjectItemCaseSensitive(spec, "every");
    const cJSON *span = cJSON_GetObjectItemCaseSensitive(every, "span");
    size_t count = 0, bad = 0;
    const cJSON *entry;
    cJSON_ArrayForEach(entry, requests) {
        char why[512];
        if (!entry_matches(entry, sel, why, sizeof(why)))
            continue;
        count++;
        if (entry_matches(entry, every, why, sizeof(why)) &&
            (!span || span_holds(entry, span, args, why, sizeof(why))))
            continue;
        /* The first few say enough; the count says the rest. */
        if (bad++ < 3) {
            const cJSON *seq = cJSON_GetObjectItemCaseSensitive(entry, "seq");
            const cJSON *method = cJSON_GetObjectItemCaseSensitive(entry, "method");
            const cJSON *at = cJSON_GetObjectItemCaseSensitive(entry, "path");
            conform_step_fail(ctx, "journal: request #%.0f %s %s: %s",
                              cJSON_IsNumber(seq) ? seq->valuedouble : 0,
                              cJSON_IsString(method) ? method->valuestring : "?",
                              cJSON_IsString(at) ? at->valuestring : "?", why);
        }
    }
    if (bad > 3)
        conform_step_fail(ctx, "journal: %zu of %zu requests did not meet \"every\"", bad, count);
    judge_count(ctx, spec, "count", count);
    judge_count(ctx, spec, "count_min", count);
    judge_count(ctx, spec, "count_max", count);
    if (count == 0 && every && !cJSON_HasObjectItem(spec, "count"))
        conform_step_fail(ctx, "journal: no request of this step matched, so \"every\" holds of "
                               "nothing");
    cJSON_Delete(list);
}
