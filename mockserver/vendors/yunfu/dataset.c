/* Yunfu data: cloud nodes, accounts, tokens and tasks from fixtures; call records (records.json, or
 * generate.c's, handed back one at a time) indexed and rendered once, with a per-task index (every
 * query names one task) and an id index (detail). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../fileio.h"
#include "../../json_read.h"
#include "../../jsonval.h"
#include "cdrsim/timefmt.h"
#include "internal.h"

#define OOM(err, len) (snprintf((err), (len), "out of memory"), false)

const struct yunfu_account *yunfu_find_account(const struct yunfu_state *st, const char *id,
                                               size_t *index)
{
    for (size_t i = 0; id && i < st->account_count; i++)
        if (strcmp(st->accounts[i].id, id) == 0) {
            if (index)
                *index = i;
            return &st->accounts[i];
        }
    return NULL;
}

const struct yunfu_task *yunfu_find_task(const struct yunfu_state *st, const char *id)
{
    for (size_t i = 0; id && i < st->task_count; i++)
        if (strcmp(st->tasks[i].id, id) == 0)
            return &st->tasks[i];
    return NULL;
}

static const struct yunfu_node *find_node(const struct yunfu_state *st, int64_t id)
{
    for (size_t i = 0; i < st->node_count; i++)
        if (st->nodes[i].id == id)
            return &st->nodes[i];
    return NULL;
}

/* A fixture file that must hold a JSON array; NULL with err filled. */
static cJSON *load_array(const char *dir, const char *name, char *err, size_t err_len)
{
    cJSON *list = mock_load_json(dir, name, err, err_len);
    if (list && !cJSON_IsArray(list)) {
        snprintf(err, err_len, "%s must be an array", name);
        cJSON_Delete(list);
        return NULL;
    }
    return list;
}

static bool dup_into(char **slot, const char *text)
{
    return (*slot = strdup(text)) != NULL;
}

static bool load_nodes(struct yunfu_state *st, const cJSON *list, char *err, size_t err_len)
{
    size_t n = (size_t)cJSON_GetArraySize(list);
    if (!(st->nodes = calloc(n ? n : 1, sizeof(*st->nodes))))
        return OOM(err, err_len);
    size_t defaults = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, list) {
        struct yunfu_node *node = &st->nodes[st->node_count];
        const char *name;
        if (mock_jv_int(e, "id", &node->id) != MOCK_JV_OK ||
            mock_jv_string(e, "name", &name) != MOCK_JV_OK) {
            snprintf(err, err_len, "cloud_nodes.json: entry %zu needs integer id and string name",
                     st->node_count);
            return false;
        }
        if (find_node(st, node->id)) {
            snprintf(err, err_len, "cloud_nodes.json: node %lld appears twice",
                     (long long)node->id);
            return false;
        }
        if (!dup_into(&node->name, name))
            return OOM(err, err_len);
        st->node_count++;
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "default"))) {
            st->default_node = node->id;
            defaults++;
        }
    }
    if (defaults != 1) {
        snprintf(err, err_len, "cloud_nodes.json: exactly one node must be \"default\": true");
        return false;
    }
    return true;
}

static bool load_accounts(struct yunfu_state *st, const cJSON *list, char *err, size_t err_len)
{
    size_t n = (size_t)cJSON_GetArraySize(list);
    if (!(st->accounts = calloc(n ? n : 1, sizeof(*st->accounts))))
        return OOM(err, err_len);
    const cJSON *e;
    cJSON_ArrayForEach(e, list) {
        struct yunfu_account *a = &st->accounts[st->account_count];
        const char *id, *partner, *name;
        if (mock_jv_string(e, "id", &id) != MOCK_JV_OK ||
            mock_jv_string(e, "partner", &partner) != MOCK_JV_OK ||
            mock_jv_string(e, "name", &name) != MOCK_JV_OK ||
            mock_jv_int(e, "cloud_node", &a->node) != MOCK_JV_OK) {
            snprintf(
                err, err_len,
                "accounts.json: entry %zu needs string id, partner, name and integer cloud_node",
                st->account_count);
            return false;
        }
        if (yunfu_find_account(st, id, NULL) || !find_node(st, a->node)) {
            snprintf(err, err_len,
                     "accounts.json: account %s appears twice or names an unknown cloud_node", id);
            return false;
        }
        a->parent = SIZE_MAX;
        if (!dup_into(&a->id, id) || !dup_into(&a->partner, partner) || !dup_into(&a->name, name))
            return OOM(err, err_len);
        st->account_count++;
    }
    /* Parents second, so a sub-account may be listed before its parent. */
    size_t i = 0;
    cJSON_ArrayForEach(e, list) {
        struct yunfu_account *a = &st->accounts[i++];
        const char *parent = NULL;
        if (mock_jv_string(e, "parent", &parent) == MOCK_JV_WRONG_TYPE ||
            (parent &&
             (!yunfu_find_account(st, parent, &a->parent) || strcmp(parent, a->id) == 0))) {
            snprintf(err, err_len, "accounts.json: account %s has an unknown parent", a->id);
            return false;
        }
        const struct yunfu_account *p = parent ? &st->accounts[a->parent] : NULL;
        if (p &&
            (p->parent != SIZE_MAX || p->node != a->node || strcmp(p->partner, a->partner) != 0)) {
            snprintf(err, err_len,
                     "accounts.json: sub-account %s must share its parent's node and partner, one "
                     "level deep",
                     a->id);
            return false;
        }
    }
    return true;
}

/* Appends [{token, partner, expires_at}] entries (tokens.json, or --config's "tokens"). */
static bool add_tokens(struct yunfu_state *st, const cJSON *list, const char *where, char *err,
                       size_t err_len)
{
    if (!cJSON_IsArray(list)) {
        snprintf(err, err_len, "%s: tokens must be an array of {token, partner, expires_at}",
                 where);
        return false;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, list) {
        const char *token, *partner, *expires;
        struct yunfu_token t = {0};
        if (mock_jv_string(e, "token", &token) != MOCK_JV_OK || !token[0] ||
            mock_jv_string(e, "partner", &partner) != MOCK_JV_OK ||
            mock_jv_string(e, "expires_at", &expires) != MOCK_JV_OK ||
            !cdr_time_parse_local(expires, CDR_CHINA_OFFSET_SECONDS, &t.expires_at)) {
            snprintf(err, err_len,
                     "%s: each token needs string token, partner and expires_at (Y-m-d H:i:s)",
                     where);
            return false;
        }
        struct yunfu_token *grown = realloc(st->tokens, (st->token_count + 1) * sizeof(*grown));
        if (!grown)
            return OOM(err, err_len);
        st->tokens = grown;
        grown[st->token_count] = t;
        bool ok = dup_into(&grown[st->token_count].token, token);
        ok = dup_into(&grown[st->token_count].partner, partner) && ok;
        st->token_count++;
        if (!ok)
            return OOM(err, err_len);
    }
    return true;
}

static bool load_customer(struct yunfu_customer *c, const cJSON *e)
{
    const char *callee, *name = "", *company = "", *customer_id;
    if (mock_jv_string(e, "callee", &callee) != MOCK_JV_OK ||
        mock_jv_string(e, "customer_id", &customer_id) != MOCK_JV_OK ||
        mock_jv_int(e, "calls", &c->calls) != MOCK_JV_OK || c->calls < 0)
        return false;
    if (mock_jv_string(e, "name", &name) == MOCK_JV_WRONG_TYPE ||
        mock_jv_string(e, "company", &company) == MOCK_JV_WRONG_TYPE)
        return false;
    if (mock_jv_int(e, "gender", &c->gender) != MOCK_JV_OK)
        c->gender = 0;
    if (mock_jv_int(e, "province_id", &c->province_id) != MOCK_JV_OK)
        c->province_id = -1;
    if (mock_jv_int(e, "city_id", &c->city_id) != MOCK_JV_OK)
        c->city_id = -1;
    if (mock_jv_int(e, "operator", &c->operator_id) != MOCK_JV_OK)
        c->operator_id = 1;
    c->callee = strdup(callee);
    c->name = strdup(name);
    c->company = strdup(company);
    c->customer_id = strdup(customer_id);
    return c->callee && c->name && c->company && c->customer_id;
}

/* An optional integer member between 1 and max, fallback when absent; false when it is another
 * value or type. */
static bool small_int(const cJSON *e, const char *key, int64_t max, int64_t fallback, int64_t *out)
{
    enum mock_jv_result r = mock_jv_int(e, key, out);
    if (r == MOCK_JV_ABSENT)
        *out = fallback;
    return r == MOCK_JV_ABSENT || (r == MOCK_JV_OK && *out >= 1 && *out <= max);
}

/* The task's optional status, task_type, maximumcall, remark and created_at. */
static bool load_task_settings(struct yunfu_task *t, const cJSON *e)
{
    const char *remark = NULL, *created = NULL;
    t->created_at = YUNFU_NO_VALUE;
    if (!small_int(e, "status", 3, 2, &t->status) || !small_int(e, "task_type", 5, 1, &t->type) ||
        t->type == 3 || !small_int(e, "maximumcall", 1000, 1, &t->maximumcall) ||
        mock_jv_string(e, "remark", &remark) == MOCK_JV_WRONG_TYPE ||
        mock_jv_string(e, "created_at", &created) == MOCK_JV_WRONG_TYPE ||
        (created && !cdr_time_parse_local(created, CDR_CHINA_OFFSET_SECONDS, &t->created_at)))
        return false;
    return !remark || (t->remark = strdup(remark)) != NULL;
}

static bool load_task(struct yunfu_state *st, struct yunfu_task *t, const cJSON *e, char *err,
                      size_t err_len)
{
    const char *id, *owner, *name, *caller = "0000000000";
    if (mock_jv_string(e, "id", &id) != MOCK_JV_OK ||
        mock_jv_string(e, "user_id", &owner) != MOCK_JV_OK ||
        mock_jv_string(e, "name", &name) != MOCK_JV_OK ||
        mock_jv_int(e, "group_id", &t->group_id) != MOCK_JV_OK ||
        mock_jv_string(e, "caller_number", &caller) == MOCK_JV_WRONG_TYPE) {
        snprintf(err, err_len,
                 "tasks.json: entry %zu needs string id, user_id, name and integer group_id",
                 st->task_count);
        return false;
    }
    if (!load_task_settings(t, e)) {
        snprintf(err, err_len,
                 "tasks.json: task %s: status 1..3, task_type 1, 2, 4 or 5, maximumcall 1..1000, "
                 "string remark and created_at (Y-m-d H:i:s), when given",
                 id);
        return false;
    }
    if (yunfu_find_task(st, id) || !yunfu_find_account(st, owner, &t->account)) {
        snprintf(err, err_len, "tasks.json: task %s appears twice or belongs to an unknown account",
                 id);
        return false;
    }
    t->generate = !cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(e, "generate"));
    if (!dup_into(&t->id, id) || !dup_into(&t->name, name) || !dup_into(&t->caller_number, caller))
        return OOM(err, err_len);
    const cJSON *customers = cJSON_GetObjectItemCaseSensitive(e, "customers");
    size_t n = (size_t)cJSON_GetArraySize(customers);
    if (customers && !cJSON_IsArray(customers)) {
        snprintf(err, err_len, "tasks.json: task %s: customers must be an array", id);
        return false;
    }
    if (n && !(t->customers = calloc(n, sizeof(*t->customers))))
        return OOM(err, err_len);
    const cJSON *c;
    cJSON_ArrayForEach(c, customers) {
        if (!load_customer(&t->customers[t->customer_count++], c)) {
            snprintf(err, err_len,
                     "tasks.json: task %s: each customer needs string callee, customer_id and "
                     "integer calls >= 0",
                     id);
            return false;
        }
    }
    return true;
}

static bool load_tasks(struct yunfu_state *st, const cJSON *list, char *err, size_t err_len)
{
    size_t n = (size_t)cJSON_GetArraySize(list);
    if (!(st->tasks = calloc(n ? n : 1, sizeof(*st->tasks))))
        return OOM(err, err_len);
    const cJSON *e;
    cJSON_ArrayForEach(e, list) {
        /* Counted even when it fails, so that unloading frees what it holds. */
        bool ok = load_task(st, &st->tasks[st->task_count], e, err, err_len);
        st->task_count++;
        if (!ok)
            return false;
    }
    return true;
}

/* Cloud nodes, accounts, tokens and tasks from the fixtures directory. */
static bool load_world(struct yunfu_state *st, const char *dir, char *err, size_t err_len)
{
    static const char *const files[] = {"cloud_nodes.json", "accounts.json", "tokens.json",
                                        "tasks.json"};
    cJSON *lists[4] = {NULL, NULL, NULL, NULL};
    bool ok = true;
    for (size_t i = 0; i < 4 && ok; i++)
        ok = (lists[i] = load_array(dir, files[i], err, err_len)) != NULL;
    ok = ok && load_nodes(st, lists[0], err, err_len) &&
         load_accounts(st, lists[1], err, err_len) &&
         add_tokens(st, lists[2], "tokens.json", err, err_len) &&
         load_tasks(st, lists[3], err, err_len);
    for (size_t i = 0; i < 4; i++)
        cJSON_Delete(lists[i]);
    return ok;
}

/* ---- records --------------------------------------------------------------------------------- */

static bool ingest_each(void *st, const cJSON *record, char *err, size_t err_len);

static void free_attrs(void *attrs)
{
    struct yunfu_attrs *a = attrs;
    if (!a || a->generated) /* the arena's */
        return;
    free(a); /* with its strings */
}

static int64_t int_or_none(const cJSON *r, const char *key)
{
    int64_t v;
    return mock_jv_int(r, key, &v) == MOCK_JV_OK ? v : YUNFU_NO_VALUE;
}

/* Where the record's "details" array sits in its rendering: found as the member's own rendering
 * right after a top-level `"details":` (inside a string a quote is always escaped, so a `,` or `{`
 * before the key cannot come from string content). */
static void locate_details(const char *json, const cJSON *details, struct yunfu_attrs *a)
{
    char *text = cJSON_IsArray(details) ? cJSON_PrintUnformatted(details) : NULL;
    if (!text)
        return;
    size_t n = strlen(text);
    for (const char *p = strstr(json, "\"details\":"); p; p = strstr(p + 1, "\"details\":")) {
        const char *v = p + strlen("\"details\":");
        if (p > json && (p[-1] == ',' || p[-1] == '{') && strncmp(v, text, n) == 0) {
            a->details_off = (size_t)(v - json);
            a->details_len = n;
            break;
        }
    }
    free(text);
}

/* What the store needs of a record, read from a cJSON tree or straight from its text. */
struct record_fields {
    const char *id, *task_id, *user_id, *calldate, *callee,
        *hangup;                    /* the last two: NULL if null */
    int64_t score, bill, intention; /* YUNFU_NO_VALUE: null, absent or not an integer */
    size_t details_off, details_len;
};

/* Checks the fields and adds the record with its rendering json (taken over, freed on failure). */
static bool add_record(struct yunfu_state *st, const struct record_fields *f, char *json,
                       size_t json_len, char *err, size_t err_len)
{
    int64_t start;
    const struct yunfu_task *task = yunfu_find_task(st, f->task_id);
    if (!task || strcmp(st->accounts[task->account].id, f->user_id) != 0) {
        snprintf(err, err_len, "record %s: task %s is not a task of account %s in tasks.json",
                 f->id, f->task_id, f->user_id);
        mock_store_release_json(&st->records, json);
        return false;
    }
    if (!f->calldate || !cdr_time_parse_local(f->calldate, CDR_CHINA_OFFSET_SECONDS, &start)) {
        snprintf(err, err_len,
                 "record %s: calldate must be a Y-m-d H:i:s time, callee and hangupdate strings",
                 f->id);
        mock_store_release_json(&st->records, json);
        return false;
    }
    /* One allocation: the attrs, then the id and the callee. */
    size_t id_len = strlen(f->id), callee_len = f->callee ? strlen(f->callee) : 0;
    struct yunfu_attrs *a = calloc(1, sizeof(*a) + id_len + callee_len + 2);
    if (!a) {
        mock_store_release_json(&st->records, json);
        return OOM(err, err_len);
    }
    char *strings = (char *)(a + 1);
    a->id = memcpy(strings, f->id, id_len + 1);
    if (f->callee)
        a->callee = memcpy(strings + id_len + 1, f->callee, callee_len + 1);
    a->task = (size_t)(task - st->tasks);
    a->score = f->score;
    a->bill = f->bill == YUNFU_NO_VALUE || f->bill < 0 ? 0 : f->bill;
    a->intention = f->intention;
    if (!f->hangup || !cdr_time_parse_local(f->hangup, CDR_CHINA_OFFSET_SECONDS, &a->hangup))
        a->hangup = YUNFU_NO_VALUE;
    a->details_off = f->details_off;
    a->details_len = f->details_len;
    if (!mock_store_add(&st->records, start, (uint64_t)st->records.count, json, json_len, a))
        return OOM(err, err_len);
    return true;
}

bool yunfu_dataset_ingest(struct yunfu_state *st, const cJSON *r, char *err, size_t err_len)
{
    struct record_fields f = {0};
    if (!cJSON_IsObject(r) || mock_jv_string(r, "id", &f.id) != MOCK_JV_OK ||
        mock_jv_string(r, "task_id", &f.task_id) != MOCK_JV_OK ||
        mock_jv_string(r, "user_id", &f.user_id) != MOCK_JV_OK) {
        snprintf(err, err_len, "record %zu: needs string id, task_id and user_id",
                 st->records.count);
        return false;
    }
    if (mock_jv_string(r, "calldate", &f.calldate) != MOCK_JV_OK ||
        mock_jv_string(r, "callee", &f.callee) == MOCK_JV_WRONG_TYPE ||
        mock_jv_string(r, "hangupdate", &f.hangup) == MOCK_JV_WRONG_TYPE)
        f.calldate = NULL; /* refused by add_record, after the task's check as always */
    f.score = int_or_none(r, "score");
    f.bill = int_or_none(r, "bill");
    f.intention = int_or_none(r, "intention_results");
    char *json = cJSON_PrintUnformatted(r);
    if (!json)
        return OOM(err, err_len);
    struct yunfu_attrs where = {0};
    locate_details(json, cJSON_GetObjectItemCaseSensitive(r, "details"), &where);
    f.details_off = where.details_off;
    f.details_len = where.details_len;
    return add_record(st, &f, json, strlen(json), err, err_len);
}

/* ---- records.json kept as written ------------------------------------------------------------ */

/* A string member's text when it needs no unescaping (NUL-terminated into buf, at most size
 * bytes); false for anything else. */
static bool plain_string(struct mock_json_text v, char *buf, size_t size)
{
    if (v.len < 2 || v.text[0] != '"' || v.len - 2 >= size || memchr(v.text, '\\', v.len))
        return false;
    memcpy(buf, v.text + 1, v.len - 2);
    buf[v.len - 2] = '\0';
    return true;
}

/* An integer member as mock_jv_int reads it (YUNFU_NO_VALUE for null or another type). */
static int64_t plain_int(struct mock_json_text v)
{
    int64_t n;
    return mock_json_text_int(v, &n) == MOCK_JV_OK ? n : YUNFU_NO_VALUE;
}

/* Reads a record's fields straight from its canonical text (first member of each name, as cJSON
 * finds them); false when a field needs more than that (escapes, another type): cJSON then. */
static bool text_fields(struct mock_json_text rec, struct record_fields *f, char (*bufs)[128])
{
    static const char *const names[] = {"id",       "task_id", "user_id",
                                        "calldate", "callee",  "hangupdate"};
    const char **strings[] = {&f->id,       &f->task_id, &f->user_id,
                              &f->calldate, &f->callee,  &f->hangup};
    bool seen[10] = {false};
    *f = (struct record_fields){
        .score = YUNFU_NO_VALUE, .bill = YUNFU_NO_VALUE, .intention = YUNFU_NO_VALUE};
    const char *at = NULL;
    struct mock_json_member m;
    if (rec.text[0] != '{')
        return false;
    /* The members before "details" hold every field: when they did, the walk ends at it and
     * its length is measured only when a detail page needs it. */
    bool fields = false;
    while (mock_json_next_member(rec, &at, fields ? "details" : NULL, &m)) {
        for (size_t i = 0; i < 6; i++)
            if (!seen[i] && mock_json_key_is(&m, names[i])) {
                seen[i] = true;
                bool null = m.value.len == 4 && memcmp(m.value.text, "null", 4) == 0;
                if (null && i >= 3) /* calldate refused later; callee and hangupdate may be null */
                    *strings[i] = NULL;
                else if (!plain_string(m.value, bufs[i], 128))
                    return false;
                else
                    *strings[i] = bufs[i];
            }
        static const char *const ints[] = {"score", "bill", "intention_results"};
        int64_t *values[] = {&f->score, &f->bill, &f->intention};
        for (size_t i = 0; i < 3; i++)
            if (!seen[6 + i] && mock_json_key_is(&m, ints[i])) {
                seen[6 + i] = true;
                *values[i] = plain_int(m.value);
            }
        if (!seen[9] && mock_json_key_is(&m, "details")) {
            seen[9] = true;
            if (m.value.text[0] == '[') {
                f->details_off = (size_t)(m.value.text - rec.text);
                f->details_len = fields ? YUNFU_UNMEASURED : m.value.len;
            }
        }
        fields = true;
        for (size_t i = 0; i < 9; i++)
            fields = fields && seen[i];
    }
    return seen[0] && seen[1] && seen[2] && seen[3];
}

/* One element of records.json: its own bytes in the kept file when its fields read plainly, else
 * through cJSON as any record. */
static bool ingest_text(struct yunfu_state *st, struct mock_json_text rec, char *err,
                        size_t err_len)
{
    struct record_fields f;
    char bufs[6][128];
    if (!text_fields(rec, &f, bufs)) {
        cJSON *r = cJSON_ParseWithLength(rec.text, rec.len);
        bool ok = r ? yunfu_dataset_ingest(st, r, err, err_len) : OOM(err, err_len);
        cJSON_Delete(r);
        return ok;
    }
    return add_record(st, &f, (char *)rec.text, rec.len, err, err_len);
}

/* records.json: kept as written when every record is already in cJSON's compact form (one
 * record per line), else parsed and printed again record by record. */
static bool load_fixture_records(struct yunfu_state *st, const char *dir, char *err, size_t err_len)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/records.json", dir);
    size_t count = 0;
    struct mock_file_text file;
    struct mock_json_text *spans = NULL;
    if (!mock_file_load(path, &file, err, err_len))
        return false;
    if (!mock_json_canonical_elements(file.text, file.len, MOCK_JSON_PRINTED, &spans, &count)) {
        mock_file_release(&file);
        return mock_load_json_array(dir, "records.json", ingest_each, st, err, err_len);
    }
    /* The records stay in the file's pages, which the store keeps. */
    bool ok = mock_store_keep_text(&st->records, &file) || OOM(err, err_len);
    for (size_t i = 0; ok && i < count; i++)
        ok = ingest_text(st, spans[i], err, err_len);
    free(spans);
    return ok;
}

static int by_record_id(const void *x, const void *y)
{
    return strcmp(((const struct yunfu_id_ref *)x)->id, ((const struct yunfu_id_ref *)y)->id);
}

/* The per-field indexes' keys: the task with the field's value (every query names one task). */
static uint64_t key_hash(size_t task, int64_t value)
{
    return ((uint64_t)task * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)value * 0xC2B2AE3D27D4EB4FULL);
}

static uint64_t intention_hash(const void *attrs)
{
    const struct yunfu_attrs *a = attrs;
    return key_hash(a->task, a->intention);
}

static bool same_intention(const void *x, const void *y)
{
    const struct yunfu_attrs *a = x, *b = y;
    return a->task == b->task && a->intention == b->intention;
}

static uint64_t score_hash(const void *attrs)
{
    const struct yunfu_attrs *a = attrs;
    return key_hash(a->task, a->score);
}

static bool same_score(const void *x, const void *y)
{
    const struct yunfu_attrs *a = x, *b = y;
    return a->task == b->task && a->score == b->score;
}

/* Drops the per-task and per-id indexes (the store keeps its records). */
static void drop_indexes(struct yunfu_state *st)
{
    mock_index_free(&st->by_intention);
    mock_index_free(&st->by_score);
    free(st->by_id);
    st->by_id = NULL;
    for (size_t t = 0; t < st->task_count; t++) {
        struct yunfu_task *task = &st->tasks[t];
        free(task->entries);
        free(task->hung);
        free(task->gram_start);
        free(task->grams);
        task->entries = NULL;
        task->hung = task->gram_start = task->grams = NULL;
        task->entry_count = 0;
    }
}

static const struct yunfu_attrs *task_attrs(const struct yunfu_state *st,
                                            const struct yunfu_task *task, size_t i)
{
    return st->records.entries[task->entries[i]].attrs;
}

/* The hang-up counts and leads of one task (see struct yunfu_task). */
static bool index_hangups(const struct yunfu_state *st, struct yunfu_task *task)
{
    if (!(task->hung = malloc((task->entry_count + 1) * sizeof(*task->hung))))
        return false;
    task->hangup_lead_min = INT64_MAX;
    task->hangup_lead_max = INT64_MIN;
    task->hung[0] = 0;
    for (size_t i = 0; i < task->entry_count; i++) {
        const struct yunfu_attrs *a = task_attrs(st, task, i);
        task->hung[i + 1] = task->hung[i] + (a->hangup != YUNFU_NO_VALUE);
        if (a->hangup == YUNFU_NO_VALUE)
            continue;
        int64_t lead = a->hangup - st->records.entries[task->entries[i]].start;
        task->hangup_lead_min = lead < task->hangup_lead_min ? lead : task->hangup_lead_min;
        task->hangup_lead_max = lead > task->hangup_lead_max ? lead : task->hangup_lead_max;
    }
    return true;
}

/* Calls each(ctx, k) once for every distinct three-digit run k of text. */
static void each_gram(const char *text, uint32_t *stamp, uint32_t mark,
                      void (*each)(void *ctx, unsigned k), void *ctx)
{
    unsigned last = 0, before = 0, digits = 0; /* the two digits before this one */
    for (const char *p = text; p && *p; p++) {
        if (*p < '0' || *p > '9') {
            digits = 0;
            continue;
        }
        unsigned d = (unsigned)(*p - '0'), run = before * 100 + last * 10 + d;
        before = last;
        last = d;
        if (++digits >= 3 && stamp[run] != mark) {
            stamp[run] = mark;
            each(ctx, run);
        }
    }
}

struct gram_fill {
    struct yunfu_task *task;
    uint32_t position;
};

static void count_gram(void *ctx, unsigned k)
{
    ((struct gram_fill *)ctx)->task->gram_start[k + 1]++;
}

static void put_gram(void *ctx, unsigned k)
{
    struct gram_fill *f = ctx;
    f->task->grams[f->task->gram_start[k]++] = f->position;
}

/* The keyword index of one task: counted, then filled in entry order (so each run's positions
 * ascend), by a counting sort. stamp: which record and pass last saw each run, marked with the
 * store index + 1 while counting and + 1 + store count while filling (so no task and no pass
 * needs it cleared again). */
static bool index_grams(const struct yunfu_state *st, struct yunfu_task *task, uint32_t *stamp)
{
    if (!(task->gram_start = calloc(YUNFU_GRAMS + 1, sizeof(*task->gram_start))))
        return false;
    struct gram_fill f = {task, 0};
    uint32_t second = (uint32_t)st->records.count;
    for (size_t i = 0; i < task->entry_count; i++)
        each_gram(task_attrs(st, task, i)->callee, stamp, (uint32_t)task->entries[i] + 1,
                  count_gram, &f);
    for (size_t k = 0; k < YUNFU_GRAMS; k++)
        task->gram_start[k + 1] += task->gram_start[k];
    size_t total = task->gram_start[YUNFU_GRAMS];
    if (!(task->grams = malloc((total ? total : 1) * sizeof(*task->grams))))
        return false;
    for (size_t i = 0; i < task->entry_count; i++) {
        f.position = (uint32_t)i;
        each_gram(task_attrs(st, task, i)->callee, stamp, second + (uint32_t)task->entries[i] + 1,
                  put_gram, &f);
    }
    /* Filling moved each start to the next run's: shift them back. */
    memmove(task->gram_start + 1, task->gram_start, YUNFU_GRAMS * sizeof(*task->gram_start));
    task->gram_start[0] = 0;
    return true;
}

bool yunfu_dataset_index(struct yunfu_state *st, char *err, size_t err_len)
{
    drop_indexes(st);
    mock_store_sort(&st->records);
    size_t n = st->records.count;
    if (!(st->by_id = malloc((n ? n : 1) * sizeof(*st->by_id))))
        return OOM(err, err_len);
    for (size_t i = 0; i < n; i++) {
        st->by_id[i] =
            (struct yunfu_id_ref){((struct yunfu_attrs *)st->records.entries[i].attrs)->id, i};
        st->tasks[((struct yunfu_attrs *)st->records.entries[i].attrs)->task].entry_count++;
    }
    for (size_t t = 0; t < st->task_count; t++) {
        struct yunfu_task *task = &st->tasks[t];
        if (task->entry_count &&
            !(task->entries = malloc(task->entry_count * sizeof(*task->entries))))
            return OOM(err, err_len);
        task->entry_count = 0;
    }
    for (size_t i = 0; i < n; i++) {
        struct yunfu_task *task =
            &st->tasks[((struct yunfu_attrs *)st->records.entries[i].attrs)->task];
        task->entries[task->entry_count++] = i;
    }
    uint32_t *stamp = calloc(YUNFU_GRAMS, sizeof(*stamp));
    if (!stamp)
        return OOM(err, err_len);
    for (size_t t = 0; t < st->task_count; t++)
        if (st->tasks[t].entry_count >= YUNFU_FILTER_INDEX_MIN &&
            (!index_hangups(st, &st->tasks[t]) || !index_grams(st, &st->tasks[t], stamp))) {
            free(stamp);
            return OOM(err, err_len);
        }
    free(stamp);
    /* A task the fixture gives no creation time was created the day before its first call. */
    for (size_t t = 0; t < st->task_count; t++) {
        struct yunfu_task *task = &st->tasks[t];
        if (task->created_at == YUNFU_NO_VALUE)
            task->created_at = task->entry_count
                                   ? st->records.entries[task->entries[0]].start - 86400
                                   : st->anchor - 86400;
    }
    if (!mock_index_build(&st->by_intention, &st->records, intention_hash, same_intention) ||
        !mock_index_build(&st->by_score, &st->records, score_hash, same_score))
        return OOM(err, err_len);
    qsort(st->by_id, n, sizeof(*st->by_id), by_record_id);
    for (size_t i = 1; i < n; i++)
        if (strcmp(st->by_id[i - 1].id, st->by_id[i].id) == 0) {
            snprintf(err, err_len, "record id %s appears twice", st->by_id[i].id);
            return false;
        }
    return true;
}

const struct mock_store_entry *yunfu_find_record(const struct yunfu_state *st, const char *id)
{
    size_t lo = 0, hi = st->records.count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(st->by_id[mid].id, id);
        if (c == 0)
            return &st->records.entries[st->by_id[mid].entry];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const struct mock_store_entry *yunfu_task_record(const struct yunfu_state *st,
                                                 const struct yunfu_task *task,
                                                 const char *record_id)
{
    const struct mock_store_entry *e = yunfu_find_record(st, record_id);
    return e && &st->tasks[((const struct yunfu_attrs *)e->attrs)->task] == task ? e : NULL;
}

const cJSON *yunfu_extra_rows(const struct yunfu_state *st, const char *record_id)
{
    for (size_t i = 0; i < st->dialogue_count; i++)
        if (strcmp(st->dialogues[i].record_id, record_id) == 0)
            return st->dialogues[i].rows;
    return NULL;
}

/* One entry of dialogues.json: {"record_id", "rows": [row objects of that record]}. */
static bool load_dialogue(struct yunfu_state *st, const cJSON *e, char *err, size_t err_len)
{
    const char *id;
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(e, "rows"), *row;
    bool ok = mock_jv_string(e, "record_id", &id) == MOCK_JV_OK && yunfu_find_record(st, id) &&
              cJSON_IsArray(rows);
    cJSON_ArrayForEach(row, (ok ? rows : NULL)) {
        const char *of = NULL;
        ok = ok && cJSON_IsObject(row) && mock_jv_string(row, "record_id", &of) == MOCK_JV_OK &&
             strcmp(of, id) == 0;
    }
    if (!ok) {
        snprintf(err, err_len,
                 "dialogues.json: entry %zu needs the record_id of a record in records.json and "
                 "rows of that record",
                 st->dialogue_count);
        return false;
    }
    struct yunfu_dialogue *d = &st->dialogues[st->dialogue_count];
    d->record_id = strdup(id);
    d->rows = cJSON_Duplicate(rows, true);
    st->dialogue_count++;
    return d->record_id && d->rows ? true : OOM(err, err_len);
}

/* dialogues.json, when the fixtures have one: rows a call's detail shows besides its list details
 * (the seed call's opening row, printed only on the detail page). */
static bool load_dialogues(struct yunfu_state *st, const char *dir, char *err, size_t err_len)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/dialogues.json", dir);
    if (access(path, F_OK) != 0)
        return true;
    cJSON *list = load_array(dir, "dialogues.json", err, err_len);
    size_t n = (size_t)cJSON_GetArraySize(list);
    bool ok = list && (st->dialogues = calloc(n ? n : 1, sizeof(*st->dialogues)));
    if (list && !ok)
        snprintf(err, err_len, "out of memory");
    const cJSON *e;
    cJSON_ArrayForEach(e, (ok ? list : NULL))
        ok = ok && load_dialogue(st, e, err, err_len);
    cJSON_Delete(list);
    return ok;
}

/* ---- the whole dataset ----------------------------------------------------------------------- */

/* yunfu_dataset_ingest for a loader that hands records over one at a time. */
static bool ingest_each(void *st, const cJSON *record, char *err, size_t err_len)
{
    return yunfu_dataset_ingest(st, record, err, err_len);
}

/* A generated record's filter fields and strings, in the arena. */
static bool ingest_generated(void *ctx, const struct yunfu_generated *g, char *err, size_t err_len)
{
    struct yunfu_state *st = ctx;
    struct yunfu_attrs *a = mock_arena_alloc(&st->arena, sizeof(*a));
    if (!a)
        return OOM(err, err_len);
    *a = (struct yunfu_attrs){.task = g->task,
                              .score = g->score,
                              .intention = g->intention,
                              .hangup = g->hangup,
                              .bill = g->bill,
                              .replay = g->replay,
                              .customer =
                                  g->customer == SIZE_MAX ? UINT32_MAX : (uint32_t)g->customer,
                              .generated = true};
    a->id = mock_arena_strndup(&st->arena, g->id, strlen(g->id));
    a->callee = mock_arena_strndup(&st->arena, g->callee, strlen(g->callee));
    if (!a->id || !a->callee ||
        !mock_store_add(&st->records, g->start, (uint64_t)st->records.count, NULL, 0, a))
        return OOM(err, err_len);
    return true;
}

bool yunfu_dataset_render(const struct yunfu_state *st, const struct mock_store_entry *e,
                          struct cdr_buf *out, size_t *details_off, size_t *details_len)
{
    const struct yunfu_attrs *a = e->attrs;
    if (!a->generated) {
        *details_off = out->len + a->details_off;
        *details_len =
            a->details_len != YUNFU_UNMEASURED
                ? a->details_len
                : mock_json_canonical_len(e->json + a->details_off, e->json_len - a->details_off,
                                          MOCK_JSON_PRINTED);
        return cdr_buf_append(out, e->json, e->json_len);
    }
    return yunfu_generate_render(st, a->replay, a->task,
                                 a->customer == UINT32_MAX ? SIZE_MAX : a->customer, e->start, out,
                                 details_off, details_len);
}

/* The store's renderer of generated records: the same draws give the same text. */
static bool render_generated(const void *ctx, const struct mock_store_entry *e, struct cdr_buf *out)
{
    size_t off, len;
    return yunfu_dataset_render(ctx, e, out, &off, &len);
}

/* records.json, or the generator's records when --generate asked for them. */
static bool load_records(struct yunfu_state *st, const struct mock_vendor_load *load, char *err,
                         size_t err_len)
{
    if (load->generate_count > 0)
        return yunfu_regions_load(&st->regions, load->data_dir, err, err_len) &&
               yunfu_generate_records(st, load->generate_count, load->seed, load->anchor,
                                      ingest_generated, st, err, err_len);
    if (load->generate_count == 0)
        return true;
    return load_fixture_records(st, load->data_dir, err, err_len);
}

bool yunfu_dataset_load(struct yunfu_state *st, const struct mock_vendor_load *load, char *err,
                        size_t err_len)
{
    mock_store_init(&st->records, free_attrs);
    st->records.render = render_generated;
    st->records.render_ctx = st;
    mock_arena_init(&st->arena);
    bool ok = load_world(st, load->data_dir, err, err_len);
    const cJSON *extra = cJSON_GetObjectItemCaseSensitive(load->settings, "tokens");
    if (ok && extra)
        ok = add_tokens(st, extra, "--config yunfu.tokens", err, err_len);
    st->anchor = load->anchor;
    return ok && load_records(st, load, err, err_len) && yunfu_dataset_index(st, err, err_len) &&
           (load->generate_count >= 0 || load_dialogues(st, load->data_dir, err, err_len));
}

void yunfu_dataset_free(struct yunfu_state *st)
{
    mock_store_free(&st->records);
    drop_indexes(st);
    mock_arena_free(&st->arena);
    yunfu_regions_free(&st->regions);
    for (size_t i = 0; i < st->dialogue_count; i++) {
        free(st->dialogues[i].record_id);
        cJSON_Delete(st->dialogues[i].rows);
    }
    free(st->dialogues);
    for (size_t i = 0; i < st->node_count; i++)
        free(st->nodes[i].name);
    free(st->nodes);
    for (size_t i = 0; i < st->account_count; i++) {
        free(st->accounts[i].id);
        free(st->accounts[i].partner);
        free(st->accounts[i].name);
    }
    free(st->accounts);
    for (size_t i = 0; i < st->token_count; i++) {
        free(st->tokens[i].token);
        free(st->tokens[i].partner);
    }
    free(st->tokens);
    for (size_t i = 0; i < st->task_count; i++) {
        struct yunfu_task *t = &st->tasks[i];
        for (size_t c = 0; c < t->customer_count; c++) {
            free(t->customers[c].callee);
            free(t->customers[c].name);
            free(t->customers[c].company);
            free(t->customers[c].customer_id);
        }
        free(t->customers);
        free(t->id);
        free(t->name);
        free(t->remark);
        free(t->caller_number);
    }
    free(st->tasks);
}
