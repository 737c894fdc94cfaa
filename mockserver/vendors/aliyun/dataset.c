/* AICCS data: AccessKey pairs (long-term, or temporary with their STS token) and instances with
 * the accounts that may read them, from fixtures (plus --config); call detail records indexed by
 * CreateTime and by Acid and rendered to JSON and XML once; what each call's recordings are. */
#include <stdlib.h>
#include <string.h>

#include "../../fileio.h"
#include "../../jsonval.h"
#include "cdrsim/timefmt.h"
#include "internal.h"

/* An optional string member: false only when it is there but not a string. */
static bool optional_string(const cJSON *entry, const char *key, const char **out)
{
    *out = NULL;
    enum mock_jv_result r = mock_jv_string(entry, key, out);
    return r != MOCK_JV_WRONG_TYPE;
}

static bool add_credential(struct aliyun_state *st, const cJSON *entry)
{
    const char *id, *secret, *token, *expiration;
    int64_t expires_ms = 0;
    if (mock_jv_string(entry, "access_key_id", &id) != MOCK_JV_OK ||
        mock_jv_string(entry, "access_key_secret", &secret) != MOCK_JV_OK || !*id ||
        !optional_string(entry, "security_token", &token) ||
        !optional_string(entry, "expiration", &expiration) ||
        (expiration && !cdr_time_parse_rfc3339_ms(expiration, &expires_ms)))
        return false;
    struct aliyun_credential *grown =
        realloc(st->credentials, (st->credential_count + 1) * sizeof(*grown));
    if (!grown)
        return false;
    st->credentials = grown;
    struct aliyun_credential *c = &grown[st->credential_count++];
    c->id = strdup(id);
    c->secret = strdup(secret);
    c->token = token && *token ? strdup(token) : NULL;
    c->expires_ms = expires_ms;
    return c->id && c->secret && (!token || !*token || c->token);
}

static bool add_credentials(struct aliyun_state *st, const cJSON *list, const char *where,
                            char *err, size_t err_len)
{
    const cJSON *entry;
    if (!cJSON_IsArray(list)) {
        snprintf(err, err_len,
                 "%s: credentials must be an array of {access_key_id, access_key_secret}", where);
        return false;
    }
    cJSON_ArrayForEach(entry, list) {
        if (!add_credential(st, entry)) {
            snprintf(err, err_len,
                     "%s: each credential needs string access_key_id and access_key_secret (and "
                     "optionally security_token, expiration as RFC 3339)",
                     where);
            return false;
        }
    }
    return true;
}

/* One tenant: {"instance_id", "accounts": [{"account_type", "account_id"}]}. */
static bool add_instance(struct aliyun_instance *inst, const cJSON *entry, char *err,
                         size_t err_len)
{
    const char *id;
    const cJSON *accounts = cJSON_GetObjectItemCaseSensitive(entry, "accounts");
    if (mock_jv_string(entry, "instance_id", &id) != MOCK_JV_OK || !*id ||
        (accounts && !cJSON_IsArray(accounts))) {
        snprintf(err, err_len,
                 "instances.json: each entry needs a string instance_id (and accounts, an array)");
        return false;
    }
    size_t n = (size_t)cJSON_GetArraySize(accounts);
    inst->id = strdup(id);
    inst->account_types = calloc(n ? n : 1, sizeof(char *));
    inst->account_ids = calloc(n ? n : 1, sizeof(char *));
    if (!inst->id || !inst->account_types || !inst->account_ids) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    const cJSON *account;
    cJSON_ArrayForEach(account, accounts) {
        const char *type, *account_id;
        if (mock_jv_string(account, "account_type", &type) != MOCK_JV_OK ||
            mock_jv_string(account, "account_id", &account_id) != MOCK_JV_OK) {
            snprintf(err, err_len,
                     "instances.json: %s: each account needs string account_type "
                     "and account_id",
                     id);
            return false;
        }
        size_t k = inst->account_count;
        inst->account_types[k] = strdup(type);
        inst->account_ids[k] = strdup(account_id);
        inst->account_count++;
        if (!inst->account_types[k] || !inst->account_ids[k]) {
            snprintf(err, err_len, "out of memory");
            return false;
        }
    }
    return true;
}

static bool add_instances(struct aliyun_state *st, const cJSON *list, char *err, size_t err_len)
{
    size_t n = cJSON_IsArray(list) ? (size_t)cJSON_GetArraySize(list) : 0;
    if (n == 0) {
        snprintf(err, err_len, "instances.json must be a non-empty array of {instance_id}");
        return false;
    }
    if (!(st->instances = calloc(n, sizeof(*st->instances)))) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    const cJSON *entry;
    cJSON_ArrayForEach(entry, list) {
        if (!add_instance(&st->instances[st->instance_count++], entry, err, err_len))
            return false;
    }
    return true;
}

static bool load_accounts(struct aliyun_state *st, const struct mock_vendor_load *load, char *err,
                          size_t err_len)
{
    cJSON *creds = mock_load_json(load->data_dir, "credentials.json", err, err_len);
    bool ok = creds && add_credentials(st, creds, "credentials.json", err, err_len);
    cJSON_Delete(creds);
    const cJSON *extra = cJSON_GetObjectItemCaseSensitive(load->settings, "credentials");
    if (ok && extra)
        ok = add_credentials(st, extra, "--config aliyun.credentials", err, err_len);
    cJSON *instances = ok ? mock_load_json(load->data_dir, "instances.json", err, err_len) : NULL;
    ok = instances && add_instances(st, instances, err, err_len);
    cJSON_Delete(instances);
    return ok;
}

/* ---- records --------------------------------------------------------------------------------- */

static void free_attrs(void *attrs)
{
    struct aliyun_attrs *a = attrs;
    if (!a)
        return;
    free(a->xml);
    free(a->strings);
    free(a);
}

/* The filterable text fields, in the order of struct aliyun_attrs' pointers. */
static const char *const text_fields[] = {
    "Id",       "Acid",       "CallingNumber", "CalledNumber", "GroupName",
    "MemberId", "MemberName", "ServicerId",    "ServicerName", "CallResult"};
#define TEXT_FIELDS (sizeof(text_fields) / sizeof(text_fields[0]))

/* A text field as the service compares it: strings as they are, integers by their digits. *out
 * is NULL when the field is absent or of another type; false only when out of memory. */
static bool field_text(const cJSON *r, const char *key, char **out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(r, key);
    char digits[24];
    const char *text = NULL;
    int64_t v;
    if (cJSON_IsString(item)) {
        text = item->valuestring;
    } else if (mock_jv_int(r, key, &v) == MOCK_JV_OK) {
        snprintf(digits, sizeof(digits), "%lld", (long long)v);
        text = digits;
    }
    *out = text ? strdup(text) : NULL;
    return !text || *out;
}

/* Copies the text fields into one block owned by the attrs. */
static bool pack_texts(struct aliyun_attrs *a, const cJSON *r)
{
    const char **slots[TEXT_FIELDS] = {
        &a->id,        &a->acid,        &a->calling,     &a->called,        &a->group_name,
        &a->member_id, &a->member_name, &a->servicer_id, &a->servicer_name, &a->call_result};
    char *texts[TEXT_FIELDS];
    size_t total = 1;
    bool ok = true;
    for (size_t i = 0; i < TEXT_FIELDS; i++) {
        ok &= field_text(r, text_fields[i], &texts[i]);
        total += texts[i] ? strlen(texts[i]) + 1 : 0;
    }
    char *p = ok ? (a->strings = malloc(total)) : NULL;
    for (size_t i = 0; i < TEXT_FIELDS; i++) {
        if (p && texts[i]) {
            *slots[i] = p;
            p = stpcpy(p, texts[i]) + 1;
        }
        free(texts[i]);
    }
    return p != NULL;
}

/* An integer field sent as a number or as a string of digits. */
static bool field_int(const cJSON *r, const char *key, int64_t *out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(r, key);
    if (cJSON_IsString(item)) {
        char *end;
        long long v = strtoll(item->valuestring, &end, 10);
        if (!*item->valuestring || *end)
            return false;
        *out = v;
        return true;
    }
    return mock_jv_int(r, key, out) == MOCK_JV_OK;
}

/* A "yyyy-MM-dd HH:mm:ss" (UTC+8) member as Unix seconds; -1 when absent, null or unreadable. */
static int64_t field_time(const cJSON *r, const char *key)
{
    const char *text;
    int64_t t;
    if (mock_jv_string(r, key, &text) != MOCK_JV_OK ||
        !cdr_time_parse_local(text, CDR_CHINA_OFFSET_SECONDS, &t))
        return -1;
    return t;
}

static char *render_xml(const cJSON *r, size_t *len)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    aliyun_xml_member(&b, "CallDetailRecord", r);
    *len = b.len;
    return cdr_buf_steal(&b);
}

bool aliyun_dataset_ingest(struct aliyun_state *st, const cJSON *r, char *err, size_t err_len)
{
    size_t index = st->records.count;
    const char *id, *created;
    int64_t start;
    if (!cJSON_IsObject(r) || mock_jv_string(r, "Id", &id) != MOCK_JV_OK || !*id) {
        snprintf(err, err_len, "record %zu: needs a string Id", index);
        return false;
    }
    if (mock_jv_string(r, "CreateTime", &created) != MOCK_JV_OK ||
        !cdr_time_parse_local(created, CDR_CHINA_OFFSET_SECONDS, &start)) {
        snprintf(err, err_len, "record %s: CreateTime is not \"YYYY-MM-DD HH:MM:SS\"", id);
        return false;
    }
    struct aliyun_attrs *a = calloc(1, sizeof(*a));
    char *json = NULL;
    bool ok = a && pack_texts(a, r) && (a->xml = render_xml(r, &a->xml_len)) &&
              (json = cJSON_PrintUnformatted(r));
    if (!ok) {
        free_attrs(a);
        snprintf(err, err_len, "out of memory");
        return false;
    }
    a->has_call_type = field_int(r, "CallType", &a->call_type);
    a->has_group_id = field_int(r, "GroupId", &a->group_id);
    a->pick_up = field_time(r, "PickUpTime");
    a->hang_up = field_time(r, "HangUpTime");
    const cJSON *handed = cJSON_GetObjectItemCaseSensitive(r, "PassiveTransferIdType");
    a->handed_to_agent =
        a->call_type == 3 && cJSON_IsString(handed) && strcmp(handed->valuestring, "1") == 0;
    /* Ties on CreateTime keep the file's order. */
    if (!mock_store_add(&st->records, start, (uint64_t)index, json, strlen(json), a)) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    return true;
}

/* ---- the sessions by Acid ---------------------------------------------------------------------
 */

static int by_acid(const void *a, const void *b)
{
    const struct aliyun_attrs *x = *(const struct aliyun_attrs *const *)a;
    const struct aliyun_attrs *y = *(const struct aliyun_attrs *const *)b;
    return strcmp(x->acid, y->acid);
}

bool aliyun_dataset_index_acids(struct aliyun_state *st)
{
    free(st->by_acid);
    st->by_acid_count = 0;
    st->by_acid = malloc((st->records.count ? st->records.count : 1) * sizeof(*st->by_acid));
    if (!st->by_acid)
        return false;
    for (size_t i = 0; i < st->records.count; i++) {
        struct aliyun_attrs *a = st->records.entries[i].attrs;
        if (a->acid)
            st->by_acid[st->by_acid_count++] = a;
    }
    qsort(st->by_acid, st->by_acid_count, sizeof(*st->by_acid), by_acid);
    return true;
}

const struct aliyun_attrs *aliyun_find_acid(const struct aliyun_state *st, const char *acid)
{
    size_t lo = 0, hi = st->by_acid_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int order = strcmp(st->by_acid[mid]->acid, acid);
        if (order == 0)
            return st->by_acid[mid];
        if (order < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const struct aliyun_instance *aliyun_instance_find(const struct aliyun_state *st, const char *id)
{
    for (size_t i = 0; id && i < st->instance_count; i++)
        if (strcmp(st->instances[i].id, id) == 0)
            return &st->instances[i];
    return NULL;
}

int aliyun_recording_count(const struct aliyun_attrs *call)
{
    if (call->pick_up < 0 || call->hang_up < call->pick_up)
        return 0;
    return call->handed_to_agent ? 2 : 1;
}

/* A call an agent handed on is recorded as two connections: the first agent's half of the talk
 * and the second's (the record does not say when the transfer happened; inferred). */
void aliyun_recording_span(const struct aliyun_attrs *call, int i, int64_t *start, int64_t *end)
{
    int64_t middle = call->pick_up + (call->hang_up - call->pick_up) / 2;
    bool split = aliyun_recording_count(call) == 2;
    *start = split && i == 1 ? middle : call->pick_up;
    *end = split && i == 0 ? middle : call->hang_up;
}

/* aliyun_dataset_ingest for a loader that hands records over one at a time. */
static bool ingest(void *state, const cJSON *r, char *err, size_t err_len)
{
    return aliyun_dataset_ingest(state, r, err, err_len);
}

/* ---- the whole dataset ----------------------------------------------------------------------- */

bool aliyun_load_dataset(struct aliyun_state *st, const struct mock_vendor_load *load, char *err,
                         size_t err_len)
{
    mock_store_init(&st->records, free_attrs);
    if (!load_accounts(st, load, err, err_len))
        return false;
    bool ok = load->generate_count >= 0
                  ? aliyun_generate_records(load->generate_count, load->seed, load->anchor, ingest,
                                            st, err, err_len)
                  : mock_load_json_array(load->data_dir, "records.json", ingest, st, err, err_len);
    if (ok)
        mock_store_sort(&st->records);
    if (ok && !aliyun_dataset_index_acids(st)) {
        snprintf(err, err_len, "out of memory");
        ok = false;
    }
    return ok;
}

void aliyun_free_dataset(struct aliyun_state *st)
{
    free(st->by_acid);
    mock_store_free(&st->records);
    for (size_t i = 0; i < st->credential_count; i++) {
        free(st->credentials[i].id);
        free(st->credentials[i].secret);
        free(st->credentials[i].token);
    }
    free(st->credentials);
    for (size_t i = 0; i < st->instance_count; i++) {
        struct aliyun_instance *inst = &st->instances[i];
        for (size_t k = 0; k < inst->account_count; k++) {
            free(inst->account_types[k]);
            free(inst->account_ids[k]);
        }
        free(inst->account_types);
        free(inst->account_ids);
        free(inst->id);
    }
    free(st->instances);
}
