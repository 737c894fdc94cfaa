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
 * Calls come back as records; a poll's answer is a view: an array of the event it brought
 * ({"eventType", "workNo", "content"}), empty when the poll ended without one. A client comes
 * from the descriptor like every vendor's (its credentials, the step's overrides, the
 * wrong_secret fault); its session keeps no clock, so it outlives the step that opened it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cdrsim/huawei.h"

#define MAX_CLIENTS 16

struct client {
    char name[32];
    struct conform_client generic; /* owns the session */
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
        conform_client_close(&st->clients[i].generic);
    }
    free(st);
}

static bool names_credentials(const struct conform_call *call)
{
    return call->faults->wrong_secret || cJSON_HasObjectItem(call->args, "agent_id") ||
           cJSON_HasObjectItem(call->args, "password") || cJSON_HasObjectItem(call->args, "phone");
}

/* The flag goes out as the step says: the driver shows what the gateway does with it. */
static cdr_error huawei_prepare(const struct conform_call *call, struct cdr_args *args,
                                struct cdr_client_options *opts, struct cdr_error_info *err)
{
    (void)call;
    (void)opts;
    return cdr_args_set(args, "lastcall_flag", "doc") == CDR_OK
               ? CDR_OK
               : cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
}

/* A new client named name, from the target's credentials with the step's overrides. */
static struct client *new_client(struct state *st, const char *name,
                                 const struct conform_call *call, struct conform_result *out)
{
    if (st->count == MAX_CLIENTS) {
        cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT, "more than %d clients in a scenario",
                      MAX_CLIENTS);
        return NULL;
    }
    struct client *c = &st->clients[st->count];
    if (!conform_client_open(&c->generic, call, out)) {
        conform_client_close(&c->generic);
        return NULL;
    }
    st->count++;
    snprintf(c->name, sizeof(c->name), "%s", name);
    c->session = cdr_huawei_session_of(c->generic.client);
    c->signed_in = false;
    return c;
}

static struct client *client_for(struct state *st, const char *name, bool fresh,
                                 const struct conform_call *call, struct conform_result *out)
{
    for (size_t i = st->count; !fresh && i-- > 0;)
        if (strcmp(st->clients[i].name, name) == 0)
            return &st->clients[i];
    return new_client(st, name, call, out);
}

static cdr_error add_record(struct conform_result *out, struct cdr_record *rec)
{
    cdr_error rc = conform_result_add(out, rec)
                       ? CDR_OK
                       : cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
    cdr_record_free(rec);
    return rc;
}

/* An event as the gateway sent it: {"eventType", "workNo", "content"}. */
static cJSON *event_view(const struct cdr_huawei_event *ev)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "eventType", ev->type);
    cJSON_AddItemToObject(o, "workNo",
                          ev->work_no ? cJSON_CreateString(ev->work_no) : cJSON_CreateNull());
    /* The library keeps the content as the text of its JSON. */
    cJSON *content = cJSON_Parse(ev->content_json);
    cJSON_AddItemToObject(o, "content", content ? content : cJSON_CreateNull());
    return o;
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
    if (rc == CDR_OK && !(out->view = cJSON_CreateArray()))
        rc = cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
    if (rc == CDR_OK && ev.type)
        cJSON_AddItemToArray(out->view, event_view(&ev));
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

static cdr_error huawei_action(const struct conform_call *call, const char *name,
                               struct conform_result *out)
{
    struct state *st = call->session;
    for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        if (strcmp(calls[i].name, name) != 0)
            continue;
        if (!st)
            return cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
        const char *who = conform_arg_str(call->args, "session");
        bool fresh = calls[i].signs_in || names_credentials(call);
        struct client *c = client_for(st, who ? who : "main", fresh, call, out);
        return c ? calls[i].run(c, call->args, out) : out->info.code;
    }
    return cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT, "no call named %s for huawei", name);
}

static const char *const call_names[] = {"sign_in",    "force_sign_in", "sign_out",
                                         "poll",       "refresh_guid",  "callinfo",
                                         "call_by_id", "holdlist",      NULL};

const struct conform_driver conform_huawei_driver = {
    .vendor = "huawei",
    .begin = huawei_begin,
    .end = huawei_end,
    .prepare = huawei_prepare,
    .action = huawei_action,
    .calls = call_names,
};
