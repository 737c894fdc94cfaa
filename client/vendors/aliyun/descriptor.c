/* Alibaba Cloud AICCS HotlineSessionQuery as data: the AccessKey, the tenant, how requests are
 * signed and sent, every filter of the API's page, paging, and the generic calls over the typed
 * client. A new filter is a row here and a member of struct cdr_aliyun_filter (and its line in
 * the request's parameters). */
#include <stdint.h>
#include <stdlib.h>

#include "internal.h"
#include "vendor_ops.h"

#define AT(member) CDR__AT(struct cdr_aliyun_filter, member)
#define HAS(member, has) CDR__HAS(struct cdr_aliyun_filter, member, has)
#define LIST(member, count) CDR__LIST(struct cdr_aliyun_filter, member, count)
#define TEXT(name, on_wire, text, member)                                                          \
    {                                                                                              \
        name, CDR_VALUE_STRING, CDR_ROLE_FILTER, .wire = on_wire, .help = text, AT(member)         \
    }
#define TEXTS(name, on_wire, text, member)                                                         \
    {                                                                                              \
        name, CDR_VALUE_STRING_LIST, CDR_ROLE_FILTER, .wire = on_wire, .help = text,               \
                                                      LIST(member, member##_count)                 \
    }

static const char *const methods[] = {"POST", "GET", NULL};

static const struct cdr_field fields[] = {
    {"access_key_id", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL, CDR_FIELD_REQUIRED, .metavar = "ID",
     .wire = "AccessKeyId (V2), Authorization Credential= (V3)", .help = "the AccessKey's id",
     CDR__BY_NAME},
    {"access_key_secret", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL,
     CDR_FIELD_REQUIRED | CDR_FIELD_SECRET, .metavar = "SECRET",
     .wire = "not sent; signs every request", .help = "the AccessKey's secret", CDR__BY_NAME},
    {"security_token", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL, CDR_FIELD_SECRET, .metavar = "TOKEN",
     .wire = "SecurityToken (V2), header x-acs-security-token (V3)",
     .help = "an STS token, with a temporary AccessKey", CDR__BY_NAME},
    {"instance_id", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL, CDR_FIELD_REQUIRED, .metavar = "ID",
     .wire = "InstanceId", .help = "the contact center instance (the tenant)", AT(instance_id)},
    {"v2", CDR_VALUE_FLAG, CDR_ROLE_OPTION, .wire = "the Signature parameter, HMAC-SHA1",
     .help = "sign with signature V2 instead of V3 (ACS3-HMAC-SHA256)", CDR__BY_NAME},
    {"method", CDR_VALUE_CHOICE, CDR_ROLE_OPTION, .names = methods, .metavar = "GET|POST",
     .wire = "the HTTP method (V2 GET: parameters in the query, POST: a form body)",
     .help = "POST (the official SDKs' choice, the default) or GET", CDR__BY_NAME},
    {"from", CDR_VALUE_TIME, CDR_ROLE_FILTER, CDR_FIELD_MILLIS, .wire = "QueryStartTime (epoch ms)",
     .help = "calls created at or after T", AT(start_ms)},
    {"to", CDR_VALUE_TIME, CDR_ROLE_FILTER, CDR_FIELD_MILLIS, .wire = "QueryEndTime (epoch ms)",
     .help = "calls created at or before T", AT(end_ms)},
    TEXT("id", "Id", "the record's id", id),
    TEXT("acid", "Acid", "the call's id", acid),
    {"call_type", CDR_VALUE_INT, CDR_ROLE_FILTER, .min = INT32_MIN, .max = INT32_MAX,
     .wire = "CallType", .help = "1 outbound, 2 inbound, 3 transfer",
     HAS(call_type, has_call_type)},
    TEXT("calling_number", "CallingNumber", "the calling number", calling_number),
    TEXT("called_number", "CalledNumber", "the called number", called_number),
    {"group_id", CDR_VALUE_INT, CDR_ROLE_FILTER, .wire = "GroupId", .help = "the skill group's id",
     HAS(group_id, has_group_id)},
    TEXT("group_name", "GroupName", "the skill group's name", group_name),
    TEXT("member_id", "MemberId", "the customer's id", member_id),
    TEXT("member_name", "MemberName", "the customer's name", member_name),
    TEXT("servicer_id", "ServicerId", "the agent's id", servicer_id),
    TEXT("servicer_name", "ServicerName", "the agent's name", servicer_name),
    TEXT("call_result", "CallResult", "the call's result", call_result),
    TEXTS("acid_list", "AcidList.N", "a call's id", acid_list),
    {"call_type_list", CDR_VALUE_INT_LIST, CDR_ROLE_FILTER, .min = INT32_MIN, .max = INT32_MAX,
     .wire = "CallTypeList.N", .help = "a call type", LIST(call_type_list, call_type_list_count)},
    {"group_id_list", CDR_VALUE_INT64_LIST, CDR_ROLE_FILTER, .wire = "GroupIdList.N",
     .help = "a skill group's id", LIST(group_id_list, group_id_list_count)},
    TEXTS("calling_number_list", "CallingNumberList.N", "a calling number", calling_number_list),
    TEXTS("called_number_list", "CalledNumberList.N", "a called number", called_number_list),
    TEXTS("member_id_list", "MemberIdList.N", "a customer's id", member_id_list),
    TEXTS("servicer_id_list", "ServicerIdList.N", "an agent's id", servicer_id_list),
    TEXTS("call_result_list", "CallResultList.N", "a call result", call_result_list),
};

extern const struct cdr_vendor cdr__aliyun_vendor;

static void *aliyun_open(const struct cdr_client_options *opts, const struct cdr_args *args,
                         struct cdr_error_info *err)
{
    int64_t method;
    if (cdr__args_int(&cdr__aliyun_vendor, args, "method", 0, &method, err) != CDR_OK)
        return NULL;
    struct cdr_aliyun_options o;
    cdr_aliyun_options_default(&o);
    o.base_url = opts->base_url;
    o.access_key_id = cdr_args_get(args, "access_key_id");
    o.access_key_secret = cdr_args_get(args, "access_key_secret");
    o.security_token = cdr_args_get(args, "security_token");
    o.signing = cdr__args_flag(args, "v2") ? CDR_ALIYUN_SIGN_V2 : CDR_ALIYUN_SIGN_V3;
    o.use_get = method == 1;
    o.http = opts->http;
    o.clock = opts->clock;
    o.clock_user = opts->clock_user;
    o.nonce = opts->nonce;
    o.nonce_user = opts->nonce_user;
    return cdr_aliyun_client_new(&o, err);
}

static void aliyun_close(void *handle)
{
    cdr_aliyun_client_free(handle);
}

static cdr_error read_filter(const struct cdr_args *args, struct cdr_aliyun_filter *f, void **lists,
                             struct cdr_error_info *err)
{
    cdr_aliyun_filter_init(f);
    return cdr_vendor_fill_filter(&cdr__aliyun_vendor, args, f, lists, err);
}

/* pages counts by the size asked for (0: the size the server says it used), as the client's own
 * paging does. */
static void take_page(struct cdr_aliyun_page *p, int64_t size, struct cdr_page *out)
{
    int64_t per = size > 0 ? size : p->page_size;
    out->records = p->records;
    out->record_count = p->record_count;
    out->total = p->total_count;
    out->page = p->page_number;
    out->size = p->page_size;
    out->pages = per > 0 ? p->total_count / per + (p->total_count % per != 0) : -1;
    out->paging_json = p->paging_json;
    *p = (struct cdr_aliyun_page){0};
}

static cdr_error aliyun_page(void *handle, const struct cdr_args *args, int64_t page, int64_t size,
                             struct cdr_page *out, struct cdr_error_info *err)
{
    struct cdr_aliyun_filter f;
    void *lists;
    cdr_error rc = read_filter(args, &f, &lists, err);
    struct cdr_aliyun_page p;
    if (rc == CDR_OK && (rc = cdr_aliyun_query_page(handle, &f, page, size, &p, err)) == CDR_OK)
        take_page(&p, size, out);
    free(lists);
    return rc;
}

static void relay_progress(void *relay, const struct cdr_aliyun_progress *p)
{
    struct cdr_progress g = {0, 0, p->page, p->pages, p->total_count, p->records_seen};
    cdr__relay_progress(relay, &g);
}

static cdr_error aliyun_fetch_all(void *handle, const struct cdr_args *args, int64_t page_size,
                                  cdr_record_fn on_record, cdr_progress_fn on_progress, void *user,
                                  struct cdr_error_info *err)
{
    struct cdr_aliyun_filter f;
    void *lists;
    cdr_error rc = read_filter(args, &f, &lists, err);
    struct cdr__relay relay = {on_record, on_progress, user};
    if (rc == CDR_OK)
        rc = cdr_aliyun_fetch_all(handle, &f, page_size, cdr__relay_record, relay_progress, &relay,
                                  err);
    free(lists);
    return rc;
}

static cdr_error aliyun_parse(const char *body, size_t len, long http_status, struct cdr_page *out,
                              struct cdr_error_info *err)
{
    struct cdr_aliyun_page p;
    cdr_error rc = cdr_aliyun_parse_page(body, len, http_status, &p, err);
    if (rc == CDR_OK)
        take_page(&p, 0, out);
    return rc;
}

static const struct cdr_vendor_ops ops = {
    .open = aliyun_open,
    .close = aliyun_close,
    .page = aliyun_page,
    .fetch_all = aliyun_fetch_all,
    .parse = aliyun_parse,
};

const struct cdr_vendor cdr__aliyun_vendor = {
    .id = "aliyun",
    .title = "Alibaba Cloud AICCS (HotlineSessionQuery, 2019-10-15)",
    .url = "https://aiccs.aliyuncs.com",
    .fields = fields,
    .field_count = sizeof(fields) / sizeof(fields[0]),
    .paging = {.paged = true,
               .page_param = "PageNo",
               .size_param = "PageSize",
               .server_size = CDR_ALIYUN_DEFAULT_PAGE_SIZE,
               .fetch_size = 100,
               .max_size = INT32_MAX,
               .max_range = 0},
    .ops = &ops,
};

struct cdr_aliyun_client *cdr_aliyun_client_of(struct cdr_client *client)
{
    return cdr__client_handle(client, &cdr__aliyun_vendor);
}
