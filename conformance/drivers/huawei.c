/* Conformance driver for Huawei CEC: the AgentGateway's stateful agent session and the
 * CC-Management call history behind an AK/SK token.
 * Named calls: sign_in, force_sign_in, sign_out, poll, handshake {"service_token"},
 * refresh_guid, callinfo {"isNoContainLastCall": bool}, call_by_id {"callid": "..."}, holdlist,
 * recordfile {"recordId", "filetype", "locationId"} (recordId: by default the fileName of the
 * latest AgentMediaEvent_Record this client polled), token {"fresh": bool} and recording
 * {"callSerialNo"} (by default the newest answered call of the step's range); "page" and "all"
 * query the history.
 * A scenario may run several clients of the same gateway side by side (two sign-ins of one agent,
 * a forced sign-in that ends another session): "session" in the args names the client, "main" by
 * default. A sign-in, or a step naming credentials (agent_id, password, phone, app_key,
 * app_secret, or the wrong_secret or unchecked fault), starts a fresh client under that name, as a
 * new application instance would; any other step uses the latest client of that name, or a fresh
 * one (which never signed in: it sends no Guid). So a history token lives across a scenario's
 * steps, as in an application. At the end of the scenario every client that is still signed in
 * signs out, so the next scenario finds the agent signed out, on the mock and on a live gateway
 * alike.
 * Calls come back as records; a poll's answer is a view: an array of the event it brought
 * ({"eventType", "workNo", "content"}), empty when the poll ended without one; a download is a
 * view of the audio it brought. A client's clock is the local one (it measures a token's life),
 * so it outlives the step that opened it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cdrsim/huawei.h"

#define MAX_CLIENTS 16

struct client {
    char name[32];
    struct conform_client generic; /* owns the session and the history client */
    struct cdr_huawei_session *session;
    bool signed_in;        /* as far as this client knows: signed out again at the end */
    char record_file[160]; /* the fileName of the latest AgentMediaEvent_Record polled */
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
    /* A token's lifetime is the history client's too: asking another one is another client. */
    static const char *const fields[] = {"agent_id", "password",   "phone",
                                         "app_key",  "app_secret", "token_lifetime"};
    bool named = call->faults->wrong_secret || call->faults->unchecked;
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        named = named || cJSON_HasObjectItem(call->args, fields[i]);
    return named;
}

/* The flag goes out as the step says: the driver shows what the gateway does with it. The
 * client keeps the local clock: the step's clock would not outlive the step. */
static cdr_error huawei_prepare(const struct conform_call *call, struct cdr_args *args,
                                struct cdr_client_options *opts, struct cdr_error_info *err)
{
    (void)call;
    opts->clock = NULL;
    opts->clock_user = NULL;
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

/* An event as the gateway sent it: {"eventType", "workNo", "content"[, "eventGenTime"]}. */
static cJSON *event_view(const struct cdr_huawei_event *ev)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "eventType", ev->type);
    cJSON_AddItemToObject(o, "workNo",
                          ev->work_no ? cJSON_CreateString(ev->work_no) : cJSON_CreateNull());
    /* The library keeps the content as the text of its JSON. */
    cJSON *content = cJSON_Parse(ev->content_json);
    cJSON_AddItemToObject(o, "content", content ? content : cJSON_CreateNull());
    if (ev->gen_time_ms >= 0)
        cJSON_AddNumberToObject(o, "eventGenTime", (double)ev->gen_time_ms);
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
    if (rc == CDR_OK && ev.type) {
        cJSON *view = event_view(&ev);
        /* Where the call's recording is, for a recordfile step to fetch. */
        const cJSON *file = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(view, "content"), "fileName");
        if (strcmp(ev.type, "AgentMediaEvent_Record") == 0 && cJSON_IsString(file))
            snprintf(c->record_file, sizeof(c->record_file), "%s", file->valuestring);
        cJSON_AddItemToArray(out->view, view);
    }
    cdr_huawei_event_free(&ev);
    return rc;
}

static cdr_error handshake(struct client *c, const cJSON *args, struct conform_result *out)
{
    return cdr_huawei_handshake(c->session, conform_arg_str(args, "service_token"), &out->info);
}

/* ---- downloads ------------------------------------------------------------------------------- */

/* The bytes a download brought, up to a bound a recording keeps well within. */
struct bytes {
    unsigned char head[64];
    size_t len;
};

static int take_bytes(void *user, const void *data, size_t len)
{
    struct bytes *b = user;
    size_t room = b->len < sizeof(b->head) ? sizeof(b->head) - b->len : 0;
    memcpy(b->head + b->len, data, len < room ? len : room);
    b->len += len;
    return b->len > (64u << 20); /* past 64 MiB: no recording of ours */
}

static uint32_t le(const unsigned char *p, int n)
{
    uint32_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* {"bytes", "container", "format", "channels", "sample_rate"}: what a WAV header says (format 6 is
 * G.711 A-law), or the container "unknown". */
static cJSON *audio_view(const struct bytes *b)
{
    cJSON *v = cJSON_CreateObject();
    bool wav =
        b->len >= 36 && memcmp(b->head, "RIFF", 4) == 0 && memcmp(b->head + 8, "WAVEfmt ", 8) == 0;
    cJSON_AddNumberToObject(v, "bytes", (double)b->len);
    cJSON_AddStringToObject(v, "container", wav ? "WAVE" : "unknown");
    if (wav) {
        cJSON_AddNumberToObject(v, "format", le(b->head + 20, 2));
        cJSON_AddNumberToObject(v, "channels", le(b->head + 22, 2));
        cJSON_AddNumberToObject(v, "sample_rate", le(b->head + 24, 4));
    }
    return v;
}

static cdr_error recordfile(struct client *c, const cJSON *args, struct conform_result *out)
{
    const char *id = conform_arg_str(args, "recordId");
    if (!id && !c->record_file[0])
        return cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT,
                             "recordfile: no recordId and no AgentMediaEvent_Record polled");
    struct bytes b = {.len = 0};
    cdr_error rc = cdr_huawei_recordfile(
        c->session, id ? id : c->record_file, (int)conform_arg_int(args, "filetype", 1),
        conform_arg_str(args, "locationId"), take_bytes, &b, &out->info);
    if (rc == CDR_OK && !(out->view = audio_view(&b)))
        rc = cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
    return rc;
}

/* ---- the call history ------------------------------------------------------------------------ */

static cdr_error history_of(struct client *c, struct cdr_huawei_history **h,
                            struct conform_result *out)
{
    *h = cdr_huawei_history_of(c->generic.client);
    return *h ? CDR_OK
              : cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT,
                              "no app_key/app_secret for the call history");
}

/* {"apply_type", "create_time", "expires_in", "scope", "app_key", "user_id"}: never the token. */
static cdr_error token(struct client *c, const cJSON *args, struct conform_result *out)
{
    struct cdr_huawei_history *h;
    struct cdr_huawei_token t;
    cdr_error rc = history_of(c, &h, out);
    bool fresh = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(args, "fresh"));
    if (rc != CDR_OK || (rc = cdr_huawei_history_token(h, fresh, &t, &out->info)) != CDR_OK)
        return rc;
    cJSON *v = out->view = cJSON_CreateObject();
    const char *texts[] = {"apply_type", t.apply_type, "scope",   t.scope,
                           "app_key",    t.app_key,    "user_id", t.user_id};
    for (size_t i = 0; v && i < 8; i += 2)
        cJSON_AddItemToObject(v, texts[i],
                              texts[i + 1] ? cJSON_CreateString(texts[i + 1]) : cJSON_CreateNull());
    cJSON_AddNumberToObject(v, "create_time", (double)t.create_time);
    cJSON_AddNumberToObject(v, "expires_in", (double)t.expires_in);
    cdr_huawei_token_free(&t);
    return v ? CDR_OK : cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
}

struct newest_answered {
    char serial[64];
    int64_t start;
};

static int note_answered(void *user, const struct cdr_record *rec)
{
    struct newest_answered *n = user;
    if (rec->talk_seconds > 0 && rec->start_time >= n->start && rec->id) {
        n->start = rec->start_time;
        snprintf(n->serial, sizeof(n->serial), "%s", rec->id);
    }
    return 0;
}

static cdr_error recording(struct client *c, const struct conform_call *call,
                           struct conform_result *out)
{
    struct cdr_huawei_history *h;
    cdr_error rc = history_of(c, &h, out);
    if (rc != CDR_OK)
        return rc;
    struct newest_answered n = {"", INT64_MIN};
    const char *serial = conform_arg_str(call->args, "callSerialNo");
    if (!serial) {
        struct cdr_args *args = conform_args_for_step(call, &out->info);
        rc = args ? cdr_client_fetch_all(c->generic.client, args, 0, note_answered, NULL, &n,
                                         &out->info)
                  : out->info.code;
        cdr_args_free(args);
        if (rc == CDR_OK && !n.serial[0])
            rc = cdr_error_set(&out->info, CDR_ERR_NOT_FOUND,
                               "no answered call in the range to fetch a recording of");
        serial = n.serial;
    }
    struct bytes b = {.len = 0};
    if (rc == CDR_OK)
        rc = cdr_huawei_recording_download(h, serial, take_bytes, &b, &out->info);
    if (rc == CDR_OK && (out->view = audio_view(&b)))
        cJSON_AddStringToObject(out->view, "callSerialNo", serial);
    else if (rc == CDR_OK)
        rc = cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
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
    {"sign_in", sign_in, true},      {"force_sign_in", force_sign_in, true},
    {"sign_out", sign_out, false},   {"poll", poll_event, false},
    {"handshake", handshake, false}, {"refresh_guid", refresh_guid, false},
    {"callinfo", callinfo, false},   {"call_by_id", call_by_id, false},
    {"holdlist", holdlist, false},   {"recordfile", recordfile, false},
    {"token", token, false},
};

/* What a call needs of the credentials: the agent's (AgentGateway) or the app's (history). */
enum needs { NEEDS_AGENT, NEEDS_APP };

/* A live target may have only one of the two credential sets: a step that needs the other one
 * fails naming what is missing, and the steps that have theirs still run. */
static bool has_credentials(const struct conform_call *call, enum needs needs,
                            struct conform_result *out)
{
    static const char *const sets[][2] = {{"agent_id", "password"}, {"app_key", "app_secret"}};
    for (size_t i = 0; i < 2; i++) {
        const char *name = sets[needs][i];
        if (conform_arg_str(call->args, name) || conform_credential(call->env, name))
            continue;
        char env[64];
        snprintf(env, sizeof(env), "CDRSIM_HUAWEI_%s", name);
        for (char *p = env; *p; p++)
            *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
        cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT,
                      "credential \"%s\" is neither in the credentials file nor in $%s", name, env);
        return false;
    }
    return true;
}

/* The client a step runs on: its "session" name, fresh when it signs in or names credentials. */
static struct client *step_client(const struct conform_call *call, bool signs_in, enum needs needs,
                                  struct conform_result *out)
{
    struct state *st = call->session;
    if (!st) {
        cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
        return NULL;
    }
    if (!has_credentials(call, needs, out))
        return NULL;
    const char *who = conform_arg_str(call->args, "session");
    return client_for(st, who ? who : "main", signs_in || names_credentials(call), call, out);
}

static cdr_error huawei_action(const struct conform_call *call, const char *name,
                               struct conform_result *out)
{
    if (strcmp(name, "recording") == 0) {
        struct client *c = step_client(call, false, NEEDS_APP, out);
        return c ? recording(c, call, out) : out->info.code;
    }
    for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        if (strcmp(calls[i].name, name) != 0)
            continue;
        struct client *c = step_client(call, calls[i].signs_in,
                                       strcmp(name, "token") == 0 ? NEEDS_APP : NEEDS_AGENT, out);
        return c ? calls[i].run(c, call->args, out) : out->info.code;
    }
    return cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT, "no call named %s for huawei", name);
}

/* The history's range calls, on the step's client: its token lives on between steps. */
static cdr_error huawei_page(const struct conform_call *call, int64_t page, int64_t size,
                             struct conform_result *out)
{
    struct client *c = step_client(call, false, NEEDS_APP, out);
    struct cdr_args *args = c ? conform_args_for_step(call, &out->info) : NULL;
    cdr_error rc =
        args ? conform_page_with(c->generic.client, args, page, size, out) : out->info.code;
    cdr_args_free(args);
    return rc;
}

static cdr_error huawei_all(const struct conform_call *call, struct conform_result *out)
{
    struct client *c = step_client(call, false, NEEDS_APP, out);
    struct cdr_args *args = c ? conform_args_for_step(call, &out->info) : NULL;
    cdr_error rc = args ? conform_all_with(c->generic.client, args, call, out) : out->info.code;
    cdr_args_free(args);
    return rc;
}

static const char *const call_names[] = {"sign_in",   "force_sign_in", "sign_out", "poll",
                                         "handshake", "refresh_guid",  "callinfo", "call_by_id",
                                         "holdlist",  "recordfile",    "token",    "recording",
                                         NULL};

/* The agent session's calls and the token read no range; a recording without a callSerialNo is
 * the newest answered call's in the range. */
static const char *const ranged_call_names[] = {"recording", NULL};

const struct conform_driver conform_huawei_driver = {
    .vendor = "huawei",
    .begin = huawei_begin,
    .end = huawei_end,
    .prepare = huawei_prepare,
    .page = huawei_page,
    .all = huawei_all,
    .action = huawei_action,
    .calls = call_names,
    .ranged_calls = ranged_call_names,
};
