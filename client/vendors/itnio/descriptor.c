/* ITNIO as data: credentials, the filters of /v3/cc/record/query, paging and the named calls, and
 * the generic calls over the typed client. A new filter is a row here and a member of
 * struct cdr_itnio_filter (and its line in cdr_itnio_query_body). */
#include <stdlib.h>

#include "internal.h"
#include "vendor_ops.h"

#define AT(member) CDR__AT(struct cdr_itnio_filter, member)
#define HAS(member, has) CDR__HAS(struct cdr_itnio_filter, member, has)
#define LIST(member, count) CDR__LIST(struct cdr_itnio_filter, member, count)

static const struct cdr_field fields[] = {
    {"api_key", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL, CDR_FIELD_REQUIRED, .metavar = "KEY",
     .wire = "header Api-Key", .help = "the account's API key", CDR__BY_NAME},
    {"api_secret", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL, CDR_FIELD_REQUIRED | CDR_FIELD_SECRET,
     .metavar = "SECRET", .wire = "not sent; signs header Sign = MD5(key + secret + Timestamp)",
     .help = "the account's API secret", CDR__BY_NAME},
    {"from", CDR_VALUE_TIME, CDR_ROLE_FILTER, CDR_FIELD_REQUIRED, .wire = "params.startTime",
     .help = "calls that started at or after T", AT(start_time)},
    {"to", CDR_VALUE_TIME, CDR_ROLE_FILTER, CDR_FIELD_REQUIRED, .wire = "params.endTime",
     .help = "calls that started at or before T", AT(end_time)},
    {"voice_group_id", CDR_VALUE_INT, CDR_ROLE_FILTER, .wire = "params.voiceGroupId",
     .help = "the agent group's id (see groups)", HAS(voice_group_id, has_voice_group_id)},
    {"sip_group_name", CDR_VALUE_STRING, CDR_ROLE_FILTER, .wire = "params.sipGroupName",
     .help = "the agent group's name", AT(sip_group_name)},
    {"seat_id", CDR_VALUE_INT64_LIST, CDR_ROLE_FILTER, .wire = "params.seatId[]",
     .help = "an agent's id", LIST(seat_ids, seat_id_count)},
    {"seat_name", CDR_VALUE_STRING_LIST, CDR_ROLE_FILTER, .wire = "params.seatNameList[]",
     .help = "an agent's name", LIST(seat_names, seat_name_count)},
    {"call_type", CDR_VALUE_INT_LIST, CDR_ROLE_FILTER, .min = 0, .max = 1000,
     .wire = "params.callType[]", .help = "1 group call to an agent, 2 inbound, 3 outbound",
     LIST(call_types, call_type_count)},
    {"hangup_reason", CDR_VALUE_INT_LIST, CDR_ROLE_FILTER, .min = 0, .max = 1000,
     .wire = "params.hangupReason[]", .help = "the vendor's hang-up reason code",
     LIST(hangup_reasons, hangup_reason_count)},
    {"called_or_caller", CDR_VALUE_STRING, CDR_ROLE_FILTER, .wire = "params.calledOrCaller",
     .help = "a number that called or was called", AT(called_or_caller)},
    {"ccode", CDR_VALUE_STRING_LIST, CDR_ROLE_FILTER, .wire = "params.ccode[]",
     .help = "a country calling code (\"86\")", LIST(ccodes, ccode_count)},
    {"hanging_direction", CDR_VALUE_INT_LIST, CDR_ROLE_FILTER, .min = 0, .max = 1000,
     .wire = "params.hangingDirection[]", .help = "who hung up: 0 customer, 1 agent, 3 neither",
     LIST(hanging_directions, hanging_direction_count)},
    {"label", CDR_VALUE_STRING_LIST, CDR_ROLE_FILTER, .wire = "params.labelNames[]",
     .help = "a label given to the call", LIST(label_names, label_name_count)},
};

static const struct cdr_call calls[] = {
    {"groups", CDR_ANSWER_JSON, "agent groups, /v3/cc/seatGroup/query"},
    {"seats", CDR_ANSWER_JSON, "agents, /v3/cc/seat/query"},
};

extern const struct cdr_vendor cdr__itnio_vendor;

static void *itnio_open(const struct cdr_client_options *opts, const struct cdr_args *args,
                        struct cdr_error_info *err)
{
    struct cdr_itnio_options o;
    cdr_itnio_options_default(&o);
    o.base_url = opts->base_url;
    o.api_key = cdr_args_get(args, "api_key");
    o.api_secret = cdr_args_get(args, "api_secret");
    o.http = opts->http;
    o.clock = opts->clock;
    o.clock_user = opts->clock_user;
    o.unchecked = opts->unchecked;
    return cdr_itnio_client_new(&o, err);
}

static void itnio_close(void *handle)
{
    cdr_itnio_client_free(handle);
}

/* The typed filter from args; *lists owns its list members (free() it). */
static cdr_error read_filter(const struct cdr_args *args, struct cdr_itnio_filter *f, void **lists,
                             struct cdr_error_info *err)
{
    *f = (struct cdr_itnio_filter){0};
    return cdr_vendor_fill_filter(&cdr__itnio_vendor, args, f, lists, err);
}

static void take_page(struct cdr_itnio_page *p, struct cdr_page *out)
{
    out->records = p->records;
    out->record_count = p->record_count;
    out->total = p->total;
    out->pages = p->pages;
    out->page = p->current;
    out->size = p->size;
    out->paging_json = p->paging_json;
    *p = (struct cdr_itnio_page){0};
}

static cdr_error itnio_page(void *handle, const struct cdr_args *args, int64_t page, int64_t size,
                            struct cdr_page *out, struct cdr_error_info *err)
{
    struct cdr_itnio_filter f;
    void *lists;
    cdr_error rc = read_filter(args, &f, &lists, err);
    struct cdr_itnio_page p;
    if (rc == CDR_OK && (rc = cdr_itnio_query_page(handle, &f, page, size, &p, err)) == CDR_OK)
        take_page(&p, out);
    free(lists);
    return rc;
}

static void relay_progress(void *relay, const struct cdr_itnio_progress *p)
{
    /* Each window has a total of its own, not the query's. */
    struct cdr_progress g = {p->window, p->window_count, p->page, p->pages, -1, p->records_seen};
    cdr__relay_progress(relay, &g);
}

static cdr_error itnio_fetch_all(void *handle, const struct cdr_args *args, int64_t page_size,
                                 cdr_record_fn on_record, cdr_progress_fn on_progress, void *user,
                                 struct cdr_error_info *err)
{
    struct cdr_itnio_filter f;
    void *lists;
    cdr_error rc = read_filter(args, &f, &lists, err);
    struct cdr__relay relay = {on_record, on_progress, user};
    if (rc == CDR_OK)
        rc = cdr_itnio_fetch_all(handle, &f, page_size, cdr__relay_record, relay_progress, &relay,
                                 err);
    free(lists);
    return rc;
}

static cdr_error itnio_parse(const char *body, size_t len, long http_status, struct cdr_page *out,
                             struct cdr_error_info *err)
{
    (void)http_status; /* every ITNIO answer is HTTP 200; the envelope says what happened */
    struct cdr_itnio_page p;
    cdr_error rc = cdr_itnio_parse_page(body, len, &p, err);
    if (rc == CDR_OK)
        take_page(&p, out);
    return rc;
}

static const struct cdr_vendor_ops ops = {
    .open = itnio_open,
    .close = itnio_close,
    .page = itnio_page,
    .fetch_all = itnio_fetch_all,
    .parse = itnio_parse,
};

const struct cdr_vendor cdr__itnio_vendor = {
    .id = "itnio",
    .title = "ITNIO call center",
    .url = "https://api.itniotech.com",
    .fields = fields,
    .field_count = sizeof(fields) / sizeof(fields[0]),
    .paging = {.paged = true,
               .page_param = "current (JSON body)",
               .size_param = "size (JSON body)",
               .server_size = 0, /* undocumented */
               .fetch_size = CDR_ITNIO_MAX_PAGE_SIZE,
               .max_size = CDR_ITNIO_MAX_PAGE_SIZE,
               .max_range = CDR_ITNIO_MAX_RANGE_SECONDS},
    .calls = calls,
    .call_count = sizeof(calls) / sizeof(calls[0]),
    .ops = &ops,
};

struct cdr_itnio_client *cdr_itnio_client_of(struct cdr_client *client)
{
    return cdr__client_handle(client, &cdr__itnio_vendor);
}
