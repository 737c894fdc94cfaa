/* Conformance driver for the Huawei CEC AgentGateway: a stateful agent session, so there is no
 * range or paged query ("page" and "all" stay NULL) and every step is a named call:
 *   sign_in, force_sign_in, sign_out, poll, refresh_guid,
 *   callinfo {"isNoContainLastCall": bool}, call_by_id {"callid": "..."}, holdlist.
 * A scenario may run several clients of the same gateway side by side (two sign-ins of one agent,
 * a forced sign-in that ends another session): "session" in the args names the client, "main" by
 * default. A sign-in, or a step naming credentials (agent_id, password, phone, or the wrong_secret
 * fault), starts a fresh client under that name, as a new application instance would; any other
 * step uses the latest client of that name, or a fresh one that never signed in (it sends no
 * Guid). At the end of the scenario every client that is still signed in signs out, so the next
 * scenario finds the agent signed out, on the mock and on a live gateway alike.
 * Calls come back as records; a polled event is a record whose id is its eventType, agent its
 * workNo and raw object the event itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../conform.h"
#include "args.h"
#include "cdrsim/huawei.h"

#define MAX_CLIENTS 16

static const char *const huawei_fields[] = {"agent_id", "password", "phone", NULL};

struct client {
    char name[32];
    struct cdr_huawei_session *session;
    bool signed_in; /* as far as this client knows: signed out again at the end */
};

struct state {
    struct client clients[MAX_CLIENTS];
    size_t count;
};

static void *huawei_begin(const struct conform_env *env)
{
    (void)env;
    return calloc(1, sizeof(struct state));
}

static void huawei_end(void *session)
{
    struct state *st = session;
    if (!st)
        return;
    /* Newest first: after a forced sign-in the newest client holds the agent. An older one that
     * lost its session is refused, which changes nothing. */
    for (size_t i = st->count; i-- > 0;) {
        struct cdr_error_info ignored;
        if (st->clients[i].signed_in)
            cdr_huawei_sign_out(st->clients[i].session, &ignored);
        cdr_huawei_session_free(st->clients[i].session);
    }
    free(st);
}

static bool names_credentials(const cJSON *args, const struct conform_faults *faults)
{
    return faults->wrong_secret || cJSON_HasObjectItem(args, "agent_id") ||
           cJSON_HasObjectItem(args, "password") || cJSON_HasObjectItem(args, "phone");
}

/* A new client named name, from the target's credentials with the step's overrides. */
static struct client *new_client(struct state *st, const char *name, const struct conform_env *env,
                                 const struct conform_faults *faults, const cJSON *args,
                                 struct conform_result *out)
{
    if (st->count == MAX_CLIENTS) {
        cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT, "more than %d clients in a scenario",
                      MAX_CLIENTS);
        return NULL;
    }
    const char *agent = conform_arg_str(args, "agent_id");
    const char *password = conform_arg_str(args, "password");
    const char *phone = conform_arg_str(args, "phone");
    char wrong[256];
    if (!password)
        password = conform_credential(env, "password");
    /* A password of the right shape that is not the right one. */
    snprintf(wrong, sizeof(wrong), "%s-wrong", password ? password : "");
    struct cdr_huawei_options o;
    cdr_huawei_options_default(&o);
    o.base_url = env->base_url;
    o.agent_id = agent ? agent : conform_credential(env, "agent_id");
    o.password = faults->wrong_secret ? wrong : password;
    o.phone = phone ? phone : conform_credential(env, "phone");
    /* The flag goes out as the step says: the driver shows what the gateway does with it. */
    o.lastcall_flag = CDR_HUAWEI_LASTCALL_DOC;
    o.http.insecure = env->insecure;
    o.http.observer = env->observer;
    o.http.observer_user = env->observer_user;
    o.http.max_retries = 1;
    struct cdr_huawei_session *s = cdr_huawei_session_new(&o, &out->info);
    if (!s)
        return NULL;
    struct client *c = &st->clients[st->count++];
    snprintf(c->name, sizeof(c->name), "%s", name);
    c->session = s;
    c->signed_in = false;
    return c;
}

static struct client *client_for(struct state *st, const char *name, bool fresh,
                                 const struct conform_env *env, const struct conform_faults *faults,
                                 const cJSON *args, struct conform_result *out)
{
    for (size_t i = st->count; !fresh && i-- > 0;)
        if (strcmp(st->clients[i].name, name) == 0)
            return &st->clients[i];
    return new_client(st, name, env, faults, args, out);
}

static cdr_error add_record(struct conform_result *out, struct cdr_record *rec)
{
    cdr_error rc = conform_result_add(out, rec)
                       ? CDR_OK
                       : cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
    cdr_record_free(rec);
    return rc;
}

/* An event as a record: counts and predicates apply to it like to a call. */
static cdr_error add_event(struct conform_result *out, const struct cdr_huawei_event *ev)
{
    struct cdr_record rec;
    cdr_record_init(&rec);
    rec.vendor = "huawei";
    cJSON *raw = cJSON_CreateObject();
    cJSON_AddStringToObject(raw, "eventType", ev->type);
    cJSON_AddItemToObject(raw, "workNo",
                          ev->work_no ? cJSON_CreateString(ev->work_no) : cJSON_CreateNull());
    cJSON *content = cJSON_Parse(ev->content_json);
    cJSON_AddItemToObject(raw, "content", content ? content : cJSON_CreateNull());
    rec.id = strdup(ev->type);
    rec.agent = ev->work_no ? strdup(ev->work_no) : NULL;
    rec.raw_json = raw ? cJSON_PrintUnformatted(raw) : NULL;
    cJSON_Delete(raw);
    if (!rec.id || !rec.raw_json) {
        cdr_record_free(&rec);
        return cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
    }
    return add_record(out, &rec);
}

/* Every sign-in runs on a fresh client (see client_for). */
static cdr_error signing_in(struct client *c, bool force, struct conform_result *out)
{
    cdr_error rc = cdr_huawei_sign_in(c->session, force, NULL, &out->info);
    c->signed_in = rc == CDR_OK;
    return rc;
}

static cdr_error sign_in(struct client *c, const cJSON *args, struct conform_result *out)
{
    (void)args;
    return signing_in(c, false, out);
}

static cdr_error force_sign_in(struct client *c, const cJSON *args, struct conform_result *out)
{
    (void)args;
    return signing_in(c, true, out);
}

static cdr_error sign_out(struct client *c, const cJSON *args, struct conform_result *out)
{
    (void)args;
    cdr_error rc = cdr_huawei_sign_out(c->session, &out->info);
    c->signed_in = c->signed_in && rc != CDR_OK;
    return rc;
}

static cdr_error refresh_guid(struct client *c, const cJSON *args, struct conform_result *out)
{
    (void)args;
    return cdr_huawei_refresh_guid(c->session, &out->info);
}

static cdr_error poll_event(struct client *c, const cJSON *args, struct conform_result *out)
{
    (void)args;
    struct cdr_huawei_event ev;
    cdr_error rc = cdr_huawei_poll_event(c->session, &ev, &out->info);
    if (rc == CDR_OK && ev.type)
        rc = add_event(out, &ev);
    cdr_huawei_event_free(&ev);
    return rc;
}

/* isNoContainLastCall goes out as given (the client's documented meaning, never a second try). */
static cdr_error callinfo(struct client *c, const cJSON *args, struct conform_result *out)
{
    struct cdr_record rec;
    bool found = false;
    bool flag = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(args, "isNoContainLastCall"));
    cdr_error rc = cdr_huawei_call_info(c->session, flag, &rec, &found, &out->info);
    return rc == CDR_OK && found ? add_record(out, &rec) : rc;
}

static cdr_error call_by_id(struct client *c, const cJSON *args, struct conform_result *out)
{
    struct cdr_record rec;
    bool found = false;
    const char *callid = conform_arg_str(args, "callid");
    cdr_error rc =
        cdr_huawei_call_by_id(c->session, callid ? callid : "", &rec, &found, &out->info);
    return rc == CDR_OK && found ? add_record(out, &rec) : rc;
}

static cdr_error holdlist(struct client *c, const cJSON *args, struct conform_result *out)
{
    (void)args;
    struct cdr_record *recs;
    size_t count;
    cdr_error rc = cdr_huawei_hold_list(c->session, &recs, &count, &out->info);
    for (size_t i = 0; rc == CDR_OK && i < count; i++)
        if (!conform_result_add(out, &recs[i]))
            rc = cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
    cdr_huawei_records_free(recs, count);
    return rc;
}

static const struct {
    const char *name;
    cdr_error (*run)(struct client *c, const cJSON *args, struct conform_result *out);
    bool signs_in; /* starts a fresh client */
} calls[] = {
    {"sign_in", sign_in, true},
    {"force_sign_in", force_sign_in, true},
    {"sign_out", sign_out, false},
    {"poll", poll_event, false},
    {"refresh_guid", refresh_guid, false},
    {"callinfo", callinfo, false},
    {"call_by_id", call_by_id, false},
    {"holdlist", holdlist, false},
};

static cdr_error huawei_action(void *session, const struct conform_env *env,
                               const struct conform_faults *faults, const char *name,
                               const cJSON *args, struct conform_result *out)
{
    struct state *st = session;
    for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        if (strcmp(calls[i].name, name) != 0)
            continue;
        if (!st)
            return cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
        const char *who = conform_arg_str(args, "session");
        bool fresh = calls[i].signs_in || names_credentials(args, faults);
        struct client *c = client_for(st, who ? who : "main", fresh, env, faults, args, out);
        return c ? calls[i].run(c, args, out) : out->info.code;
    }
    return cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT, "no call named %s for huawei", name);
}

const struct conform_driver conform_huawei_driver = {
    .vendor = "huawei",
    .credential_fields = huawei_fields,
    .begin = huawei_begin,
    .end = huawei_end,
    .action = huawei_action,
};
