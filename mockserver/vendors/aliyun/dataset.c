/* AICCS data: AccessKey pairs (long-term, or temporary with their STS token) and instances with
 * the accounts that may read them, from fixtures (plus --config); call detail records indexed by
 * CreateTime and by Acid, each kept as its JSON text and filter fields in the dataset's arenas (the
 * XML answer is rendered from the text when a page asks for it); what each call's recordings are.
 */
#include <stdlib.h>
#include <string.h>

#include "../../fileio.h"
#include "../../flatjson.h"
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
    c->v3_key = aliyun_hmac_key_new(secret, strlen(secret));
    return c->id && c->secret && (!token || !*token || c->token) && c->v3_key;
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

/* ---- records ---------------------------------------------------------------------------------
 * Three ways in, one way to keep a record: fixture records read straight from their compact text
 * (kept byte for byte), generated ones written from the generator's struct, and anything else
 * (control-plane records, fixture records in another layout) parsed into a tree and printed. Each
 * fills a struct fields, and keep() copies it with the JSON into the arenas. */

/* The filterable text fields, in the order of struct aliyun_attrs' pointers. */
enum text_field {
    F_ID,
    F_ACID,
    F_CALLING,
    F_CALLED,
    F_GROUP_NAME,
    F_MEMBER_ID,
    F_MEMBER_NAME,
    F_SERVICER_ID,
    F_SERVICER_NAME,
    F_CALL_RESULT,
    TEXT_FIELDS
};

static const char *const text_names[TEXT_FIELDS] = {
    "Id",       "Acid",       "CallingNumber", "CalledNumber", "GroupName",
    "MemberId", "MemberName", "ServicerId",    "ServicerName", "CallResult"};

/* What a record holds for the store, whichever way it came. Texts are not NUL-terminated. */
struct fields {
    const char *text[TEXT_FIELDS]; /* NULL: absent, or of a type the service does not compare */
    size_t text_len[TEXT_FIELDS];
    bool id_is_string; /* Id must be a string (and non-empty) */
    bool has_created;
    int64_t created; /* CreateTime, Unix seconds */
    bool has_call_type, has_group_id;
    int64_t call_type, group_id;
    int64_t pick_up, hang_up; /* -1 when absent, null or unreadable */
    bool passive_type_agent;  /* PassiveTransferIdType is "1" */
};

static void fields_init(struct fields *f)
{
    memset(f, 0, sizeof(*f));
    f->pick_up = f->hang_up = -1;
}

static const char *arena_text(struct mock_arena *arena, const struct fields *f, enum text_field i)
{
    return f->text[i] ? mock_arena_strndup(arena, f->text[i], f->text_len[i]) : NULL;
}

/* Checks what every record needs and adds it to the store (unsorted); the JSON is copied. */
static bool keep(struct aliyun_state *st, const struct fields *f, const char *json, size_t json_len,
                 char *err, size_t err_len)
{
    size_t index = st->records.count;
    if (!f->id_is_string || !f->text_len[F_ID]) {
        snprintf(err, err_len, "record %zu: needs a string Id", index);
        return false;
    }
    if (!f->has_created) {
        snprintf(err, err_len, "record %.*s: CreateTime is not \"YYYY-MM-DD HH:MM:SS\"",
                 (int)f->text_len[F_ID], f->text[F_ID]);
        return false;
    }
    struct mock_arena *arena = &st->arena;
    struct aliyun_attrs *a = mock_arena_alloc(arena, sizeof(*a));
    const char **slots[TEXT_FIELDS] = {
        &a->id,        &a->acid,        &a->calling,     &a->called,        &a->group_name,
        &a->member_id, &a->member_name, &a->servicer_id, &a->servicer_name, &a->call_result};
    bool ok = a && (a->json = mock_arena_strndup(&st->texts, json, json_len));
    for (size_t i = 0; ok && i < TEXT_FIELDS; i++)
        ok = (*slots[i] = arena_text(arena, f, i)) || !f->text[i];
    if (!ok) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    a->json_len = json_len;
    a->has_call_type = f->has_call_type;
    a->call_type = f->has_call_type ? f->call_type : 0;
    a->has_group_id = f->has_group_id;
    a->group_id = f->has_group_id ? f->group_id : 0;
    a->pick_up = f->pick_up;
    a->hang_up = f->hang_up;
    a->handed_to_agent = a->call_type == 3 && f->passive_type_agent;
    /* Ties on CreateTime keep the order records came in. */
    if (!mock_store_add(&st->records, f->created, (uint64_t)index, NULL, 0, a)) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    return true;
}

/* The store's renderer: every record keeps its text in the texts arena. */
static bool render_record(const void *ctx, const struct mock_store_entry *e, struct cdr_buf *out)
{
    (void)ctx;
    const struct aliyun_attrs *a = e->attrs;
    return cdr_buf_append(out, a->json, a->json_len);
}

/* An integer field sent as a string of digits, read as Java's Long.parseLong would not quite:
 * strtoll's way, kept from the first version of this loader (leading blanks and '+' pass). */
static bool digits_text(const char *text, size_t len, int64_t *out)
{
    char copy[64];
    if (len >= sizeof(copy))
        return false; /* only from a tree, whose strings are NUL-terminated: see tree_fields */
    memcpy(copy, text, len);
    copy[len] = '\0';
    char *end;
    long long v = strtoll(copy, &end, 10);
    if (!*copy || *end)
        return false;
    *out = v;
    return true;
}

/* A "yyyy-MM-dd HH:mm:ss" (UTC+8) text as Unix seconds. */
static bool time_text(const char *text, size_t len, int64_t *out)
{
    char copy[CDR_LOCAL_TIME_LEN + 1];
    if (len != CDR_LOCAL_TIME_LEN)
        return false;
    memcpy(copy, text, len);
    copy[len] = '\0';
    return cdr_time_parse_local(copy, CDR_CHINA_OFFSET_SECONDS, out);
}

/* ---- from the fixture's own text ---- */

struct flat_record {
    struct fields fields;
    uint32_t seen; /* members met so far, by bit: the first of a repeated name counts */
};

enum other_field {
    O_CREATED = TEXT_FIELDS,
    O_CALL_TYPE,
    O_GROUP_ID,
    O_PICK_UP,
    O_HANG_UP,
    O_PASSIVE
};

/* Every name flat_member looks for, in field order, with its length: one record has about 30
 * members, so the test is mostly a length compare. */
static const struct {
    const char *name;
    size_t len;
} wanted[] = {
#define NAME(text)                                                                                 \
    {                                                                                              \
        text, sizeof(text) - 1                                                                     \
    }
    NAME("Id"),           NAME("Acid"),       NAME("CallingNumber"), NAME("CalledNumber"),
    NAME("GroupName"),    NAME("MemberId"),   NAME("MemberName"),    NAME("ServicerId"),
    NAME("ServicerName"), NAME("CallResult"), NAME("CreateTime"),    NAME("CallType"),
    NAME("GroupId"),      NAME("PickUpTime"), NAME("HangUpTime"),    NAME("PassiveTransferIdType"),
#undef NAME
};

static int field_of(const char *key, size_t len)
{
    for (int i = 0; i < (int)(sizeof(wanted) / sizeof(wanted[0])); i++)
        if (wanted[i].len == len && wanted[i].name[0] == key[0] &&
            memcmp(wanted[i].name, key, len) == 0)
            return i;
    return -1;
}

static bool flat_member(void *ctx, const struct mock_flat_member *m)
{
    struct flat_record *r = ctx;
    struct fields *f = &r->fields;
    int i = field_of(m->key, m->key_len);
    if (i < 0 || (r->seen & (1u << i)))
        return true;
    r->seen |= 1u << i;
    if (i < TEXT_FIELDS) {
        /* Integers compare by their digits, which cJSON prints as they are written here. */
        f->text[i] = m->text;
        f->text_len[i] = m->len;
        f->id_is_string = i == F_ID ? m->is_string : f->id_is_string;
        return true;
    }
    switch (i) {
    case O_CREATED:
        f->has_created = m->is_string && time_text(m->text, m->len, &f->created);
        break;
    case O_CALL_TYPE:
    case O_GROUP_ID: {
        bool *has = i == O_CALL_TYPE ? &f->has_call_type : &f->has_group_id;
        int64_t *v = i == O_CALL_TYPE ? &f->call_type : &f->group_id;
        if (m->is_string && m->len >= 64)
            return false; /* strtoll's overflow rules: leave it to the tree */
        *has = m->is_string ? digits_text(m->text, m->len, v) : (*v = m->integer, true);
        break;
    }
    case O_PICK_UP:
    case O_HANG_UP: {
        int64_t *t = i == O_PICK_UP ? &f->pick_up : &f->hang_up;
        if (!m->is_string || !time_text(m->text, m->len, t))
            *t = -1;
        break;
    }
    default: /* O_PASSIVE */
        f->passive_type_agent = m->is_string && m->len == 1 && m->text[0] == '1';
        break;
    }
    return true;
}

static bool flat_text(void *user, const char *text, size_t len, size_t *used, char *err,
                      size_t err_len)
{
    struct flat_record r = {.seen = 0};
    fields_init(&r.fields);
    *used = mock_flat_object(text, len, flat_member, &r);
    return !*used || keep(user, &r.fields, text, *used, err, err_len);
}

/* ---- from a tree ---- */

/* The fields of a parsed record; digits holds the text of integer-valued text fields. */
static bool tree_fields(const cJSON *r, struct fields *f, char digits[TEXT_FIELDS][24])
{
    fields_init(f);
    for (size_t i = 0; i < TEXT_FIELDS; i++) {
        const cJSON *item = cJSON_GetObjectItemCaseSensitive(r, text_names[i]);
        int64_t v;
        if (cJSON_IsString(item)) {
            f->text[i] = item->valuestring;
        } else if (mock_jv_int(r, text_names[i], &v) == MOCK_JV_OK) {
            snprintf(digits[i], 24, "%lld", (long long)v);
            f->text[i] = digits[i];
        }
        f->text_len[i] = f->text[i] ? strlen(f->text[i]) : 0;
        f->id_is_string |= i == F_ID && cJSON_IsString(item);
    }
    const char *created;
    f->has_created = mock_jv_string(r, "CreateTime", &created) == MOCK_JV_OK &&
                     cdr_time_parse_local(created, CDR_CHINA_OFFSET_SECONDS, &f->created);
    const char *const int_names[] = {"CallType", "GroupId"};
    bool *has[] = {&f->has_call_type, &f->has_group_id};
    int64_t *value[] = {&f->call_type, &f->group_id};
    for (size_t i = 0; i < 2; i++) {
        const cJSON *item = cJSON_GetObjectItemCaseSensitive(r, int_names[i]);
        if (cJSON_IsString(item)) {
            char *end;
            long long v = strtoll(item->valuestring, &end, 10);
            *has[i] = *item->valuestring && !*end;
            *value[i] = *has[i] ? v : 0;
        } else {
            *has[i] = mock_jv_int(r, int_names[i], value[i]) == MOCK_JV_OK;
        }
    }
    const char *const time_names[] = {"PickUpTime", "HangUpTime"};
    int64_t *times[] = {&f->pick_up, &f->hang_up};
    for (size_t i = 0; i < 2; i++) {
        const char *text;
        if (mock_jv_string(r, time_names[i], &text) != MOCK_JV_OK ||
            !cdr_time_parse_local(text, CDR_CHINA_OFFSET_SECONDS, times[i]))
            *times[i] = -1;
    }
    const cJSON *passive = cJSON_GetObjectItemCaseSensitive(r, "PassiveTransferIdType");
    f->passive_type_agent = cJSON_IsString(passive) && strcmp(passive->valuestring, "1") == 0;
    return cJSON_IsObject(r);
}

bool aliyun_dataset_ingest(struct aliyun_state *st, const cJSON *r, char *err, size_t err_len)
{
    struct fields f;
    char digits[TEXT_FIELDS][24];
    if (!tree_fields(r, &f, digits)) {
        snprintf(err, err_len, "record %zu: needs a string Id", st->records.count);
        return false;
    }
    if (!f.id_is_string || !f.text_len[F_ID] || !f.has_created)
        return keep(st, &f, "", 0, err, err_len); /* says which */
    char *json = cJSON_PrintUnformatted(r);
    bool ok = json && keep(st, &f, json, strlen(json), err, err_len);
    if (!json)
        snprintf(err, err_len, "out of memory");
    free(json);
    return ok;
}

/* ---- from the generator ---- */

static void generated_text(struct fields *f, enum text_field i, const char *text)
{
    f->text[i] = text;
    f->text_len[i] = text ? strlen(text) : 0;
}

struct generating {
    struct aliyun_state *st;
    struct cdr_buf json; /* one record's text at a time */
};

static bool keep_generated(void *user, const struct aliyun_generated *g, char *err, size_t err_len)
{
    struct generating *gen = user;
    struct fields f;
    fields_init(&f);
    generated_text(&f, F_ID, g->id);
    generated_text(&f, F_ACID, g->acid);
    generated_text(&f, F_CALLING, g->calling);
    generated_text(&f, F_CALLED, g->called);
    generated_text(&f, F_GROUP_NAME, g->group ? g->group->name : NULL);
    generated_text(&f, F_MEMBER_ID, g->member_id);
    generated_text(&f, F_MEMBER_NAME, g->member_name);
    generated_text(&f, F_SERVICER_ID, g->agent ? g->agent->id : NULL);
    generated_text(&f, F_SERVICER_NAME, g->agent ? g->agent->name : NULL);
    generated_text(&f, F_CALL_RESULT, g->call_result);
    f.id_is_string = f.has_created = f.has_call_type = true;
    f.created = g->created;
    f.call_type = g->call_type;
    f.has_group_id = g->group != NULL;
    f.group_id = g->group ? g->group->id : 0;
    f.pick_up = g->pick_up;
    f.hang_up = g->hang_up;
    f.passive_type_agent = g->passive_transfer_type && strcmp(g->passive_transfer_type, "1") == 0;
    gen->json.len = 0;
    if (!aliyun_generate_render(g, &gen->json) || gen->json.failed) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    return keep(gen->st, &f, gen->json.data, gen->json.len, err, err_len);
}

/* ---- the sessions by Acid ---------------------------------------------------------------------
 */

bool aliyun_dataset_reindex(struct aliyun_state *st)
{
    aliyun_filters_build(st);
    return aliyun_keys_build(st);
}

static bool first_only(void *ctx, size_t position)
{
    *(size_t *)ctx = position;
    return false;
}

const struct aliyun_attrs *aliyun_find_acid(const struct aliyun_state *st, const char *acid)
{
    size_t position = SIZE_MAX;
    aliyun_keys_each(st, ALIYUN_KEY_ACID, acid, first_only, &position);
    return position == SIZE_MAX ? NULL : st->records.entries[position].attrs;
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

static bool generate(struct aliyun_state *st, const struct mock_vendor_load *load, char *err,
                     size_t err_len)
{
    struct generating gen = {.st = st};
    cdr_buf_init(&gen.json);
    bool ok = aliyun_generate_records(load->generate_count, load->seed, load->anchor,
                                      keep_generated, &gen, err, err_len);
    cdr_buf_free(&gen.json);
    return ok;
}

/* records.json read from its text where it is compact (the committed fixture is, one record a
 * line), else as a tree: the same records either way, the tree's messages when it is broken. */
static bool load_fixture(struct aliyun_state *st, const struct mock_vendor_load *load, char *err,
                         size_t err_len)
{
    const struct mock_flat_reader reader = {.text = flat_text, .tree = ingest, .user = st};
    switch (mock_flat_load_array(load->data_dir, "records.json", &reader, err, err_len)) {
    case MOCK_FLAT_LOADED:
        return true;
    case MOCK_FLAT_FAILED:
        return false;
    default:
        aliyun_dataset_clear_records(st);
        return mock_load_json_array(load->data_dir, "records.json", ingest, st, err, err_len);
    }
}

bool aliyun_load_dataset(struct aliyun_state *st, const struct mock_vendor_load *load, char *err,
                         size_t err_len)
{
    mock_store_init(&st->records, NULL); /* the attrs are the arena's */
    st->records.render = render_record;
    mock_arena_init(&st->arena);
    mock_arena_init(&st->texts);
    if (!load_accounts(st, load, err, err_len))
        return false;
    bool ok = load->generate_count >= 0 ? generate(st, load, err, err_len)
                                        : load_fixture(st, load, err, err_len);
    if (ok)
        mock_store_sort(&st->records);
    if (ok && !aliyun_dataset_reindex(st)) {
        snprintf(err, err_len, "out of memory");
        ok = false;
    }
    return ok;
}

void aliyun_dataset_clear_records(struct aliyun_state *st)
{
    aliyun_filters_free(st); /* their examples are the arena's */
    aliyun_keys_free(st);    /* store positions */
    mock_store_free(&st->records);
    mock_arena_free(&st->arena);
    mock_arena_free(&st->texts);
}

void aliyun_free_dataset(struct aliyun_state *st)
{
    aliyun_dataset_clear_records(st);
    for (size_t i = 0; i < st->credential_count; i++) {
        free(st->credentials[i].id);
        free(st->credentials[i].secret);
        free(st->credentials[i].token);
        aliyun_hmac_key_free(st->credentials[i].v3_key);
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
