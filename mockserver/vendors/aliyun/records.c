/* HotlineSessionQuery: parameter validation as the gateway does it (types, mandatory InstanceId),
 * then the service's own checks (tenant, paging), every filter of the vendor's page, and one page
 * of pre-rendered records. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct string_list {
    const char **items;
    size_t count;
};

struct int_list {
    int64_t *items;
    size_t count;
};

struct filter {
    const char *instance_id;
    bool has_start, has_end;
    int64_t start_ms, end_ms;
    const char *id, *acid, *calling, *called, *group_name, *member_id, *member_name, *servicer_id,
        *servicer_name, *call_result;
    bool has_call_type, has_group_id;
    int64_t call_type, group_id;
    struct string_list acids, callings, calleds, member_ids, servicer_ids, call_results;
    struct int_list call_types, group_ids;
    int64_t page_size, page_no;
};

static void filter_free(struct filter *f)
{
    struct string_list *s[] = {&f->acids,      &f->callings,     &f->calleds,
                               &f->member_ids, &f->servicer_ids, &f->call_results};
    for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
        free(s[i]->items);
    free(f->call_types.items);
    free(f->group_ids.items);
}

/* Java's Integer/Long.parseLong: optional sign, decimal digits, nothing else. */
static bool parse_integer(const char *text, int64_t min, int64_t max, int64_t *out)
{
    if (!text || !*text || strchr(" \t\n", *text))
        return false;
    errno = 0;
    char *end;
    long long v = strtoll(text, &end, 10);
    if (errno || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

enum outcome { OK, INVALID, NO_MEMORY };

static enum outcome read_int(const struct aliyun_params *p, const char *name, int64_t min,
                             int64_t max, bool *has, int64_t *out)
{
    const char *v = aliyun_param_given(p, name);
    *has = v != NULL;
    return !v || parse_integer(v, min, max, out) ? OK : INVALID;
}

static enum outcome read_strings(const struct aliyun_params *p, const char *base,
                                 struct string_list *out)
{
    return aliyun_param_list(p, base, &out->items, &out->count) ? OK : NO_MEMORY;
}

static enum outcome read_ints(const struct aliyun_params *p, const char *base, int64_t min,
                              int64_t max, struct int_list *out)
{
    const char **texts;
    size_t n;
    if (!aliyun_param_list(p, base, &texts, &n))
        return NO_MEMORY;
    out->items = n ? malloc(n * sizeof(*out->items)) : NULL;
    if (n && !out->items) {
        free(texts);
        return NO_MEMORY;
    }
    enum outcome o = OK;
    for (size_t i = 0; i < n && o == OK; i++)
        o = parse_integer(texts[i], min, max, &out->items[out->count++]) ? OK : INVALID;
    free(texts);
    return o;
}

/* The doc shows 10-digit examples for a millisecond field: take small values as seconds. */
static int64_t as_ms(int64_t v)
{
    const int64_t seconds_limit = 100000000000LL; /* 1e11 s is year 5138; 1e11 ms is 1973 */
    return (v < seconds_limit && v > -seconds_limit) ? v * 1000 : v;
}

/* Reads every parameter; on INVALID *bad names the offending one. */
static enum outcome read_filter(const struct aliyun_params *p, struct filter *f, const char **bad)
{
    const int64_t int_max = 2147483647LL, int_min = -int_max - 1;
    bool has;
    f->instance_id = aliyun_param_given(p, "InstanceId");
    f->id = aliyun_param_given(p, "Id");
    f->acid = aliyun_param_given(p, "Acid");
    f->calling = aliyun_param_given(p, "CallingNumber");
    f->called = aliyun_param_given(p, "CalledNumber");
    f->group_name = aliyun_param_given(p, "GroupName");
    f->member_id = aliyun_param_given(p, "MemberId");
    f->member_name = aliyun_param_given(p, "MemberName");
    f->servicer_id = aliyun_param_given(p, "ServicerId");
    f->servicer_name = aliyun_param_given(p, "ServicerName");
    f->call_result = aliyun_param_given(p, "CallResult");
    struct {
        const char *name;
        int64_t min, max;
        bool *has;
        int64_t *out;
    } ints[] = {
        {"CallType", int_min, int_max, &f->has_call_type, &f->call_type},
        {"GroupId", INT64_MIN, INT64_MAX, &f->has_group_id, &f->group_id},
        {"QueryStartTime", INT64_MIN / 1000, INT64_MAX / 1000, &f->has_start, &f->start_ms},
        {"QueryEndTime", INT64_MIN / 1000, INT64_MAX / 1000, &f->has_end, &f->end_ms},
        {"PageSize", int_min, int_max, &has, &f->page_size},
        {"PageNo", int_min, int_max, &has, &f->page_no},
    };
    f->page_size = 20;
    f->page_no = 1;
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
        if (read_int(p, ints[i].name, ints[i].min, ints[i].max, ints[i].has, ints[i].out) != OK) {
            *bad = ints[i].name;
            return INVALID;
        }
    f->start_ms = as_ms(f->start_ms);
    f->end_ms = as_ms(f->end_ms);
    struct {
        const char *name;
        struct string_list *out;
    } strings[] = {
        {"AcidList", &f->acids},
        {"CallingNumberList", &f->callings},
        {"CalledNumberList", &f->calleds},
        {"MemberIdList", &f->member_ids},
        {"ServicerIdList", &f->servicer_ids},
        {"CallResultList", &f->call_results},
    };
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        if (read_strings(p, strings[i].name, strings[i].out) != OK)
            return NO_MEMORY;
    enum outcome o = read_ints(p, "CallTypeList", int_min, int_max, &f->call_types);
    if (o == OK &&
        (o = read_ints(p, "GroupIdList", INT64_MIN, INT64_MAX, &f->group_ids)) == INVALID)
        *bad = "GroupIdList";
    else if (o == INVALID)
        *bad = "CallTypeList";
    return o;
}

static bool text_is(const char *field, const char *wanted)
{
    return !wanted || (field && strcmp(field, wanted) == 0);
}

static bool text_in(const char *field, const struct string_list *l)
{
    if (!l->count)
        return true;
    for (size_t i = 0; field && i < l->count; i++)
        if (strcmp(l->items[i], field) == 0)
            return true;
    return false;
}

/* CallResultList takes the page's list values, each naming a group of the single-value codes
 * (the last label the page gives a code is its group: "TouchRingCallLoss:队列挂机,振铃挂机" is a
 * ringing hang-up), and the single codes themselves. */
static bool result_in(const char *field, const struct string_list *l)
{
    static const struct {
        const char *group;
        const char *codes[4];
    } groups[] = {
        {"queueClose", {"touchRouteError", "touchInQueue", "touchInLoss", NULL}},
        {"dailingClose", {"dailing", "TouchRingCallLoss", NULL}},
        {"ivrClose", {"userHangup", "sysHangup", "transferAgent", NULL}},
    };
    if (!l->count)
        return true;
    for (size_t i = 0; field && i < l->count; i++) {
        if (strcmp(l->items[i], field) == 0)
            return true;
        for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
            for (size_t k = 0; strcmp(l->items[i], groups[g].group) == 0 && groups[g].codes[k]; k++)
                if (strcmp(groups[g].codes[k], field) == 0)
                    return true;
    }
    return false;
}

static bool int_in(bool has, int64_t field, const struct int_list *l)
{
    if (!l->count)
        return true;
    for (size_t i = 0; has && i < l->count; i++)
        if (l->items[i] == field)
            return true;
    return false;
}

/* The page's request table describes CalledNumber and CallingNumber the other way round from its
 * response table; the variant follows the request table literally. */
static const char *calling_wanted(const struct aliyun_state *st, const struct filter *f)
{
    return st->numbers_swapped ? f->called : f->calling;
}

static const char *called_wanted(const struct aliyun_state *st, const struct filter *f)
{
    return st->numbers_swapped ? f->calling : f->called;
}

/* Whether any parameter filters on an indexed field. */
static bool field_active(const struct aliyun_state *st, const struct filter *f,
                         enum aliyun_field field)
{
    switch (field) {
    case ALIYUN_FIELD_CALL_TYPE:
        return f->has_call_type || f->call_types.count;
    case ALIYUN_FIELD_GROUP_ID:
        return f->has_group_id || f->group_ids.count;
    case ALIYUN_FIELD_GROUP_NAME:
        return f->group_name != NULL;
    case ALIYUN_FIELD_SERVICER_ID:
        return f->servicer_id || f->servicer_ids.count;
    case ALIYUN_FIELD_SERVICER_NAME:
        return f->servicer_name != NULL;
    case ALIYUN_FIELD_MEMBER_ID:
        return f->member_id || f->member_ids.count;
    case ALIYUN_FIELD_MEMBER_NAME:
        return f->member_name != NULL;
    case ALIYUN_FIELD_CALLING:
        return calling_wanted(st, f) || f->callings.count;
    case ALIYUN_FIELD_CALLED:
        return called_wanted(st, f) || f->calleds.count;
    case ALIYUN_FIELD_CALL_RESULT:
        return f->call_result || f->call_results.count;
    case ALIYUN_FIELD_COUNT:
        break;
    }
    return false;
}

/* Every parameter on one indexed field, tested on a record's value of it. */
static bool field_test(const struct aliyun_state *st, const struct filter *f,
                       enum aliyun_field field, const struct aliyun_attrs *a)
{
    switch (field) {
    case ALIYUN_FIELD_CALL_TYPE:
        return (!f->has_call_type || (a->has_call_type && a->call_type == f->call_type)) &&
               int_in(a->has_call_type, a->call_type, &f->call_types);
    case ALIYUN_FIELD_GROUP_ID:
        return (!f->has_group_id || (a->has_group_id && a->group_id == f->group_id)) &&
               int_in(a->has_group_id, a->group_id, &f->group_ids);
    case ALIYUN_FIELD_GROUP_NAME:
        return text_is(a->group_name, f->group_name);
    case ALIYUN_FIELD_SERVICER_ID:
        return text_is(a->servicer_id, f->servicer_id) && text_in(a->servicer_id, &f->servicer_ids);
    case ALIYUN_FIELD_SERVICER_NAME:
        return text_is(a->servicer_name, f->servicer_name);
    case ALIYUN_FIELD_MEMBER_ID:
        return text_is(a->member_id, f->member_id) && text_in(a->member_id, &f->member_ids);
    case ALIYUN_FIELD_MEMBER_NAME:
        return text_is(a->member_name, f->member_name);
    case ALIYUN_FIELD_CALLING:
        return text_is(a->calling, calling_wanted(st, f)) && text_in(a->calling, &f->callings);
    case ALIYUN_FIELD_CALLED:
        return text_is(a->called, called_wanted(st, f)) && text_in(a->called, &f->calleds);
    case ALIYUN_FIELD_CALL_RESULT:
        return text_is(a->call_result, f->call_result) &&
               result_in(a->call_result, &f->call_results);
    case ALIYUN_FIELD_COUNT:
        break;
    }
    return true;
}

/* The filters on a record's own ids (one record each: looked up in the Id and Acid tables). */
static bool ids_active(const struct filter *f)
{
    return f->id || f->acid || f->acids.count;
}

static bool matches(const struct aliyun_state *st, const struct filter *f,
                    const struct aliyun_attrs *a)
{
    if (!text_is(a->id, f->id) || !text_is(a->acid, f->acid) || !text_in(a->acid, &f->acids))
        return false;
    for (int field = 0; field < ALIYUN_FIELD_COUNT; field++)
        if (field_active(st, f, field) && !field_test(st, f, field, a))
            return false;
    return true;
}

static bool no_filters(const struct filter *f)
{
    return !f->id && !f->acid && !f->calling && !f->called && !f->group_name && !f->member_id &&
           !f->member_name && !f->servicer_id && !f->servicer_name && !f->call_result &&
           !f->has_call_type && !f->has_group_id && !f->acids.count && !f->callings.count &&
           !f->calleds.count && !f->member_ids.count && !f->servicer_ids.count &&
           !f->call_results.count && !f->call_types.count && !f->group_ids.count;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* The store's index range of records created in [start, end] (end exclusive by variant). */
static void time_range(const struct aliyun_state *st, const struct filter *f, size_t *lo,
                       size_t *hi)
{
    const struct mock_store *store = &st->records;
    *lo = f->has_start ? mock_store_lower_bound(store, -floor_div(-f->start_ms, 1000)) : 0;
    if (!f->has_end)
        *hi = store->count;
    else if (st->range_end_exclusive)
        *hi = mock_store_lower_bound(store, -floor_div(-f->end_ms, 1000));
    else
        *hi = mock_store_upper_bound(store, floor_div(f->end_ms, 1000));
    if (*hi < *lo)
        *hi = *lo;
}

static bool tenant_known(const struct aliyun_state *st, const char *instance_id, bool *owns_records)
{
    const struct aliyun_instance *tenant = aliyun_instance_find(st, instance_id);
    *owns_records = tenant && tenant == &st->instances[0];
    return tenant != NULL;
}

/* One page being collected: every match counted, the page's slice kept (newest first unless the
 * order variant says otherwise). */
struct page {
    const struct aliyun_state *st;
    const struct filter *f;
    int64_t skip, total;
    size_t want, npicked, bytes;
    const struct mock_store_entry **picked;
};

static void take(struct page *p, size_t position)
{
    const struct mock_store_entry *e = &p->st->records.entries[position];
    p->picked[p->npicked++] = e;
    p->bytes += ((const struct aliyun_attrs *)e->attrs)->json_len + 1;
}

static bool consider(void *ctx, size_t position)
{
    struct page *p = ctx;
    if (!matches(p->st, p->f, p->st->records.entries[position].attrs))
        return true;
    if (p->total >= p->skip && p->npicked < p->want)
        take(p, position);
    p->total++;
    return true;
}

/* With every filter on one indexed field: the total and the page straight from the index. */
static void page_from_index(struct page *p, const struct mock_index_pick *pick, size_t lo,
                            size_t hi)
{
    size_t total = mock_index_count(pick, lo, hi), skip = (size_t)p->skip, take_n = p->want;
    p->total = (int64_t)total;
    if (skip >= total)
        return;
    if (take_n > total - skip)
        take_n = total - skip;
    size_t *positions = malloc(take_n * sizeof(*positions));
    if (!positions) {
        p->total = -1; /* out of memory */
        return;
    }
    /* Oldest first: the same slice counted from the other end, read backwards. */
    bool oldest = p->st->oldest_first;
    size_t n =
        mock_index_page(pick, lo, hi, oldest ? total - skip - take_n : skip, take_n, positions);
    for (size_t i = 0; i < n; i++)
        take(p, positions[oldest ? n - 1 - i : i]);
    free(positions);
}

/* The store positions a filter on the record's own ids allows, from the Id or Acid table. */
struct positions {
    size_t *items;
    size_t count, cap;
    bool failed;
};

static bool collect(void *ctx, size_t position)
{
    struct positions *p = ctx;
    if (p->count == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 8;
        size_t *grown = realloc(p->items, cap * sizeof(*grown));
        if (!grown) {
            p->failed = true;
            return false;
        }
        p->items = grown;
        p->cap = cap;
    }
    p->items[p->count++] = position;
    return true;
}

static int by_position(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Every record with the Id asked for (or else the Acid, or else one of AcidList's) in [lo, hi),
 * tested in full, in the page's order. false when out of memory. */
static bool page_from_keys(struct page *p, size_t lo, size_t hi)
{
    const struct aliyun_state *st = p->st;
    const struct filter *f = p->f;
    struct positions found = {0};
    if (f->id)
        aliyun_keys_each(st, ALIYUN_KEY_ID, f->id, collect, &found);
    else if (f->acid)
        aliyun_keys_each(st, ALIYUN_KEY_ACID, f->acid, collect, &found);
    else
        for (size_t i = 0; i < f->acids.count && !found.failed; i++)
            aliyun_keys_each(st, ALIYUN_KEY_ACID, f->acids.items[i], collect, &found);
    if (found.failed) {
        free(found.items);
        return false;
    }
    /* In store order, once each (AcidList may name an Acid twice). */
    if (found.count > 1)
        qsort(found.items, found.count, sizeof(*found.items), by_position);
    size_t n = 0;
    for (size_t i = 0; i < found.count; i++)
        if (found.items[i] >= lo && found.items[i] < hi &&
            (!n || found.items[n - 1] != found.items[i]))
            found.items[n++] = found.items[i];
    for (size_t k = 0; k < n; k++)
        consider(p, found.items[st->oldest_first ? k : n - 1 - k]);
    free(found.items);
    return true;
}

/* The indexed field whose selection has the fewest records in [lo, hi), its keys in pick (keys
 * malloc'd, caller frees); *active how many indexed fields are filtered. false: none is, or out
 * of memory (the caller scans). */
static bool narrowest(const struct aliyun_state *st, const struct filter *f, size_t lo, size_t hi,
                      struct mock_index_pick *best, int *active)
{
    size_t best_count = SIZE_MAX;
    best->keys = NULL;
    best->count = 0;
    *active = 0;
    for (int field = 0; field < ALIYUN_FIELD_COUNT; field++) {
        if (!field_active(st, f, field))
            continue;
        (*active)++;
        const struct mock_index *index = &st->indexes[field];
        const struct mock_index_key **keys =
            malloc((index->key_count ? index->key_count : 1) * sizeof(*keys));
        if (!keys) {
            free(best->keys);
            best->keys = NULL;
            return false;
        }
        struct mock_index_pick pick = {keys, 0};
        for (size_t k = 0; k < index->key_count; k++)
            if (field_test(st, f, field, index->keys[k].example))
                keys[pick.count++] = &index->keys[k];
        size_t count = mock_index_count(&pick, lo, hi);
        if (count < best_count) {
            free(best->keys);
            *best = pick;
            best_count = count;
        } else {
            free(keys);
        }
    }
    return best->keys != NULL;
}

static void render(const struct aliyun_state *st, const struct filter *f, bool owns_records,
                   const struct aliyun_reply *reply, struct mock_response *resp)
{
    size_t lo = 0, hi = 0;
    if (owns_records)
        time_range(st, f, &lo, &hi);
    size_t window = hi - lo;
    size_t want = window < (size_t)f->page_size ? window : (size_t)f->page_size;
    struct page p = {.st = st, .f = f, .want = want};
    p.picked = want ? malloc(want * sizeof(*p.picked)) : NULL;
    if (want && !p.picked) {
        aliyun_error_out_of_memory(resp);
        return;
    }
    p.skip = (f->page_no - 1) * f->page_size;
    bool unfiltered = no_filters(f);
    struct mock_index_pick pick = {NULL, 0};
    int active = 0;
    if (unfiltered) {
        /* The window's size is the count and the slice is taken directly. */
        size_t first = (uint64_t)p.skip < window ? (size_t)p.skip : window;
        for (size_t k = first; k < window && p.npicked < want; k++)
            take(&p, st->oldest_first ? lo + k : hi - 1 - k);
        p.total = (int64_t)window;
    } else if (ids_active(f) && window && st->keys[ALIYUN_KEY_ID].slots) {
        if (!page_from_keys(&p, lo, hi))
            p.total = -1; /* out of memory */
    } else if (st->indexed && window && narrowest(st, f, lo, hi, &pick, &active)) {
        if (active == 1 && !ids_active(f))
            page_from_index(&p, &pick, lo, hi);
        else if (!st->oldest_first) /* the narrowest field's records, each tested in full */
            mock_index_walk(&pick, lo, hi, consider, &p);
        else
            for (size_t k = 0; k < window; k++)
                consider(&p, lo + k);
    } else {
        for (size_t k = 0; k < window; k++)
            consider(&p, st->oldest_first ? lo + k : hi - 1 - k);
    }
    free(pick.keys);
    if (p.total < 0) {
        free(p.picked);
        aliyun_error_out_of_memory(resp);
        return;
    }
    const struct mock_store_entry **picked = p.picked;
    size_t npicked = p.npicked, bytes = p.bytes;
    int64_t total = p.total;

    struct cdr_buf b;
    aliyun_begin_success(reply, &b, bytes);
    if (reply->format == ALIYUN_JSON) {
        cdr_buf_puts(&b, "\"PageSize\":");
        cdr_buf_int(&b, f->page_size);
        cdr_buf_puts(&b, ",\"PageNumber\":");
        cdr_buf_int(&b, f->page_no);
        cdr_buf_puts(&b, ",\"TotalCount\":");
        cdr_buf_int(&b, total);
        cdr_buf_puts(&b, ",\"CallDetailRecord\":[");
        for (size_t i = 0; i < npicked; i++) {
            if (i)
                cdr_buf_append(&b, ",", 1);
            const struct aliyun_attrs *a = picked[i]->attrs;
            cdr_buf_append(&b, a->json, a->json_len);
        }
        cdr_buf_append(&b, "]", 1);
    } else {
        cdr_buf_puts(&b, "<PageSize>");
        cdr_buf_int(&b, f->page_size);
        cdr_buf_puts(&b, "</PageSize><PageNumber>");
        cdr_buf_int(&b, f->page_no);
        cdr_buf_puts(&b, "</PageNumber><TotalCount>");
        cdr_buf_int(&b, total);
        cdr_buf_puts(&b, "</TotalCount>");
        for (size_t i = 0; i < npicked; i++) {
            const struct aliyun_attrs *a = picked[i]->attrs;
            aliyun_xml_record(&b, a->json, a->json_len);
        }
    }
    free(picked);
    aliyun_finish_success(reply, resp, &b);
}

void aliyun_hotline_session_query(const struct aliyun_state *st, const struct aliyun_params *params,
                                  const struct aliyun_reply *reply, struct mock_response *resp)
{
    struct filter f = {0};
    const char *bad = NULL;
    enum outcome o = read_filter(params, &f, &bad);
    bool owns_records = false;
    if (o == NO_MEMORY) {
        aliyun_error_out_of_memory(resp);
    } else if (!f.instance_id) {
        aliyun_error_missing(reply, resp, "InstanceId");
    } else if (o == INVALID) {
        aliyun_error_invalid(reply, resp, bad);
    } else if (!tenant_known(st, f.instance_id, &owns_records) && !st->unknown_instance_empty) {
        aliyun_error_no_tenant(reply, resp);
    } else {
        if (st->bad_paging_default) {
            f.page_size = f.page_size > 0 ? f.page_size : 20;
            f.page_no = f.page_no > 0 ? f.page_no : 1;
        }
        if (f.page_size <= 0 || (st->max_page_size > 0 && f.page_size > st->max_page_size))
            aliyun_error_invalid(reply, resp, "PageSize");
        else if (f.page_no <= 0)
            aliyun_error_invalid(reply, resp, "PageNo");
        else
            render(st, &f, owns_records, reply, resp);
    }
    filter_free(&f);
}
