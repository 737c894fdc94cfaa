/* Huawei CEC AgentGateway simulator: variants, loading, routing and the {message, retcode, result}
 * envelope. Facts: shared/vendors/huawei.md; the seed page documents callinfo. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../fileio.h"

/* "10", "0.5", "2.25": seconds with at most millisecond precision, 0 to 60. */
static bool parse_seconds_ms(const char *text, int64_t *out_ms)
{
    int64_t whole = 0, frac = 0, scale = 1000;
    const char *p = text;
    if (*p < '0' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++)
        if ((whole = whole * 10 + (*p - '0')) > 60)
            return false;
    if (*p == '.') {
        if (!p[1])
            return false;
        for (p++; *p >= '0' && *p <= '9' && scale > 1; p++) {
            scale /= 10;
            frac += (*p - '0') * scale;
        }
    }
    if (*p || whole * 1000 + frac > 60000)
        return false;
    *out_ms = whole * 1000 + frac;
    return true;
}

static bool valid_poll_seconds(const char *value)
{
    int64_t ms;
    return parse_seconds_ms(value, &ms);
}

static const struct mock_variant_spec huawei_variants[] = {
    {"authmode", "2|1", "2",
     "AUTHMODE: 2 (the product default) rotates the Guid every 60 s on poll responses and refuses "
     "each 120 s after issue; 1 keeps the sign-in Guid",
     NULL},
    {"lastcall_flag", "doc|name", "doc",
     "isNoContainLastCall=true returns the last call when there is no current one (the docs' "
     "text), "
     "or leaves it out (the parameter's name and the vendor's demo code)",
     NULL},
    {"lastcall_trace", "blank|full", "blank",
     "the last call's trace end times and leave reason: null, as the docs say they cannot be "
     "queried, or kept",
     NULL},
    {"poll_seconds", NULL, "10",
     "seconds (0 to 60, decimals allowed) an event poll with nothing to report waits before it "
     "answers; the docs say about 10",
     valid_poll_seconds},
    {"max_agentid", "59999|999999", "59999",
     "highest valid agent ID: 59999 in the seed's version of the docs, 999999 in newer ones", NULL},
    {"unknown_callid", "null|000-002", "null",
     "callinfobycallid for a call the agent does not have: result null as callinfo without a "
     "call, or 000-002 (undocumented)",
     NULL},
    {"session_cookie", "on|off", "on",
     "sign-in also sets a JSESSIONID cookie, as the gateway's servlet container does; the "
     "vendor's demo clients echo cookies",
     NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

/* ---- envelope -------------------------------------------------------------------------------- */

static const char *retcode_text(const char *retcode)
{
    static const struct {
        const char *code, *text;
    } texts[] = {
        {HUAWEI_PARAMETER, "The URL parameter or interface parameter is invalid."},
        {HUAWEI_NO_PERMISSION, "No permission, or the agent authentication has expired."},
        {HUAWEI_SIGNIN_PARAMETER, "The sign-in parameter is empty or invalid."},
        {HUAWEI_ALREADY_IN, "The agent has already signed in."},
        {HUAWEI_WRONG_PASSWORD, "The user name or password is incorrect."},
        {HUAWEI_NOT_SIGNED_IN, "The agent has not signed in."},
        {HUAWEI_INTERNAL, "An internal error occurred during the agent operation."},
        {HUAWEI_ALREADY_OUT, "The agent has already signed out."},
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        if (strcmp(texts[i].code, retcode) == 0)
            return texts[i].text;
    return "";
}

static void send_json(struct mock_response *resp, int status, struct cdr_buf *b, const char *code)
{
    if (b->failed) {
        cdr_buf_free(b);
        mock_response_json(resp, 500, "{\"error\":\"out of memory\"}");
        return;
    }
    size_t len = b->len;
    mock_response_take_body(resp, status, "application/json;charset=UTF-8", cdr_buf_steal(b), len);
    if (code)
        mock_response_code(resp, "%s", code);
}

void huawei_error(struct mock_response *resp, const char *retcode)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{\"message\":");
    cdr_buf_json_string(&b, retcode_text(retcode));
    cdr_buf_printf(&b, ",\"retcode\":\"%s\",\"result\":null}", retcode);
    /* Every outcome is HTTP 200; the retcode tells them apart. */
    send_json(resp, 200, &b, retcode);
}

void huawei_send(struct mock_response *resp, struct cdr_buf *b)
{
    send_json(resp, 200, b, "0");
}

void huawei_result(struct mock_response *resp, const char *result)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_reserve(&b, (result ? strlen(result) : 4) + 48);
    cdr_buf_puts(&b, "{\"message\":\"\",\"retcode\":\"0\",\"result\":");
    cdr_buf_puts(&b, result ? result : "null");
    cdr_buf_puts(&b, "}");
    huawei_send(resp, &b);
}

void huawei_admin_error(struct mock_response *resp, int status, const char *message)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, "{\"error\":");
    cdr_buf_json_string(&b, message);
    cdr_buf_puts(&b, "}");
    send_json(resp, status, &b, NULL);
}

/* ---- loading --------------------------------------------------------------------------------- */

static void huawei_unload(void *state);

static void *huawei_load(const struct mock_vendor_load *load, char *err, size_t err_len)
{
    struct huawei_state *st = calloc(1, sizeof(*st));
    if (!st) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&st->lock, NULL);
    mock_store_init(&st->records, huawei_free_attrs);
    const struct mock_config *cfg = load->config;
    st->dynamic_auth = strcmp(mock_variant(cfg, &huawei_sim, "authmode"), "2") == 0;
    st->lastcall_doc = strcmp(mock_variant(cfg, &huawei_sim, "lastcall_flag"), "doc") == 0;
    st->lastcall_trace_full = strcmp(mock_variant(cfg, &huawei_sim, "lastcall_trace"), "full") == 0;
    st->unknown_callid_error =
        strcmp(mock_variant(cfg, &huawei_sim, "unknown_callid"), "null") != 0;
    st->session_cookie = strcmp(mock_variant(cfg, &huawei_sim, "session_cookie"), "on") == 0;
    st->max_agentid = strtoll(mock_variant(cfg, &huawei_sim, "max_agentid"), NULL, 10);
    parse_seconds_ms(mock_variant(cfg, &huawei_sim, "poll_seconds"), &st->poll_ms);

    /* A data root without a huawei folder (another vendor's test data) gives a gateway with only
     * the agents of --config, instead of keeping every other vendor from starting. */
    bool present = access(load->data_dir, F_OK) == 0;
    bool ok = huawei_load_agents(st, present ? load->data_dir : NULL,
                                 cJSON_GetObjectItemCaseSensitive(load->settings, "agents"), err,
                                 err_len);
    if (ok && load->generate_count >= 0) {
        ok = huawei_generate_records(st, load->generate_count, load->seed, load->anchor, err,
                                     err_len);
    } else if (ok && present) {
        cJSON *records = mock_load_json(load->data_dir, "records.json", err, err_len);
        if (records && !cJSON_IsArray(records))
            snprintf(err, err_len, "records.json must be an array");
        ok = cJSON_IsArray(records);
        const cJSON *r;
        cJSON_ArrayForEach(r, (ok ? records : NULL)) {
            if (!(ok = huawei_ingest_record(st, r, err, err_len)))
                break;
        }
        cJSON_Delete(records);
    }
    ok = ok && huawei_index_records(st, err, err_len) &&
         (!present || huawei_apply_scenario(st, load->data_dir, load->anchor * 1000, err, err_len));
    if (!ok) {
        huawei_unload(st);
        return NULL;
    }
    return st;
}

static void huawei_unload(void *state)
{
    struct huawei_state *st = state;
    if (!st)
        return;
    for (size_t i = 0; i < st->agent_count; i++) {
        struct huawei_agent *a = &st->agents[i];
        huawei_clear_session(a);
        huawei_call_free(a->current);
        huawei_call_list_free(&a->held);
        huawei_call_list_free(&a->ended);
        free(a->password);
        free(a->phonenum);
        free(a->mediatype);
        free(a->time_remaining);
    }
    free(st->agents);
    free(st->by_callid);
    mock_store_free(&st->records);
    pthread_mutex_destroy(&st->lock);
    free(st);
}

/* ---- requests -------------------------------------------------------------------------------- */

static bool huawei_routes(const char *path)
{
    return strncmp(path, "/agentgateway/", strlen("/agentgateway/")) == 0;
}

enum route_id {
    R_SIGN_IN,
    R_FORCE,
    R_LOGOUT,
    R_UPDATE_GUID,
    R_POLL,
    R_CALLINFO,
    R_BY_CALLID,
    R_HOLDLIST
};

struct route {
    enum route_id id;
    const char *root; /* first segment after the prefix; the agent ID follows it */
    const char *tail; /* segment after the agent ID, NULL for none */
    const char *method;
    bool takes_callid; /* one more segment: the call ID */
};

static const struct route routes[] = {
    {R_SIGN_IN, "onlineagent", NULL, "PUT", false},
    {R_FORCE, "onlineagent", "forcelogin", "PUT", false},
    {R_LOGOUT, "onlineagent", "logout", "DELETE", false},
    {R_UPDATE_GUID, "onlineagent", "updateGuid", "PUT", false},
    {R_POLL, "agentevent", NULL, "GET", false},
    {R_CALLINFO, "calldata", "callinfo", "GET", false},
    {R_BY_CALLID, "calldata", "callinfobycallid", "GET", true},
    {R_HOLDLIST, "calldata", "holdlist", "GET", false},
};

/* Splits rest at '/' into at most max segments (pointers into copy); -1 when there are more or
 * one is empty. */
static int split(char *copy, char **segs, int max)
{
    int n = 0;
    for (char *p = copy;;) {
        char *slash = strchr(p, '/');
        if (n == max || (slash ? slash == p : !*p))
            return -1;
        segs[n++] = p;
        if (!slash)
            return n;
        *slash = '\0';
        p = slash + 1;
    }
}

/* An agent ID as the gateway takes it: decimal digits within the documented range. */
static bool parse_agentid(const struct huawei_state *st, const char *text, int64_t *out)
{
    int64_t v = 0;
    if (!*text || strlen(text) > 9)
        return false;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (*p - '0');
    }
    *out = v;
    return v >= HUAWEI_MIN_AGENTID && v <= st->max_agentid;
}

static void plain_status(struct mock_response *resp, int status)
{
    mock_response_set_body(resp, status, "text/plain;charset=UTF-8", "", 0);
}

static const struct route *match(const char *path, char *copy, size_t copy_len, char **segs,
                                 int *nseg)
{
    const char *rest = path + strlen(HUAWEI_PREFIX);
    if (strncmp(path, HUAWEI_PREFIX, strlen(HUAWEI_PREFIX)) != 0 || strlen(rest) >= copy_len)
        return NULL;
    memcpy(copy, rest, strlen(rest) + 1);
    *nseg = split(copy, segs, 4);
    if (*nseg < 2)
        return NULL;
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        const struct route *r = &routes[i];
        int want = 2 + (r->tail != NULL) + r->takes_callid;
        if (*nseg == want && strcmp(segs[0], r->root) == 0 &&
            (!r->tail || strcmp(segs[2], r->tail) == 0))
            return r;
    }
    return NULL;
}

static void huawei_handle(void *state, const struct mock_env *env, const struct mock_request *req,
                          struct mock_response *resp)
{
    struct huawei_state *st = state;
    char copy[512];
    char *segs[4];
    int nseg = 0;
    const struct route *r = match(req->path, copy, sizeof(copy), segs, &nseg);
    if (!r) {
        plain_status(resp, 404);
        return;
    }
    bool method_ok = strcmp(req->method, r->method) == 0;
    /* A path that names other routes too (onlineagent/{id} is PUT only, but the same root serves
     * DELETE .../logout) is still one resource: a wrong method is 405, not 404. */
    if (!method_ok) {
        plain_status(resp, 405);
        mock_response_add_header(resp, "Allow", r->method);
        return;
    }
    int64_t agentid;
    if (!parse_agentid(st, segs[1], &agentid)) {
        huawei_error(resp, HUAWEI_PARAMETER);
        return;
    }
    pthread_mutex_lock(&st->lock);
    struct huawei_agent *agent = huawei_find_agent(st, agentid);
    switch (r->id) {
    case R_SIGN_IN:
        huawei_sign_in(st, env, req, agent, false, resp);
        break;
    case R_FORCE:
        huawei_sign_in(st, env, req, agent, true, resp);
        break;
    case R_LOGOUT:
        huawei_sign_out(st, env, req, agent, resp);
        break;
    case R_UPDATE_GUID:
        huawei_update_guid(st, env, req, agent, resp);
        break;
    case R_POLL:
        huawei_poll(st, env, req, agent, resp);
        break;
    case R_CALLINFO:
        huawei_callinfo(st, env, req, agent, resp);
        break;
    case R_BY_CALLID:
        huawei_call_by_id(st, env, req, agent, segs[3], resp);
        break;
    case R_HOLDLIST:
        huawei_holdlist(st, env, req, agent, resp);
        break;
    }
    pthread_mutex_unlock(&st->lock);
}

static void huawei_oversized(void *state, const struct mock_env *env,
                             const struct mock_request *req, struct mock_response *resp)
{
    (void)state;
    (void)env;
    char copy[512];
    char *segs[4];
    int nseg;
    const struct route *r = match(req->path, copy, sizeof(copy), segs, &nseg);
    bool sign_in = r && (r->id == R_SIGN_IN || r->id == R_FORCE);
    huawei_error(resp, sign_in ? HUAWEI_SIGNIN_PARAMETER : HUAWEI_PARAMETER);
}

static void huawei_describe(void *state, const char *base_url, FILE *out)
{
    struct huawei_state *st = state;
    pthread_mutex_lock(&st->lock);
    const struct huawei_agent *demo = st->agent_count ? &st->agents[0] : NULL;
    for (size_t i = 0; i < st->agent_count; i++)
        if (st->agents[i].current) { /* the scenario's agent: the one with a live call */
            demo = &st->agents[i];
            break;
        }
    if (!demo)
        return;
    const char *k = strncmp(base_url, "https:", 6) == 0 ? "-k " : "";
    fprintf(
        out,
        "\nhuawei  Huawei CEC AgentGateway: sign in, then query with the Guid header (%zu agents, "
        "%zu recorded calls)\n"
        "  agent %s  password %s  phone %s%s\n"
        "  G=$(curl %s-s -o /dev/null -D - -X PUT '%s/agentgateway/resource/onlineagent/%s' \\\n"
        "    -H 'Content-Type: application/json; charset=UTF-8' \\\n"
        "    -d '{\"password\":\"%s\",\"phonenum\":\"%s\",\"status\":4}' | tr -d '\\r' | sed -n "
        "'s/^Guid: //p')\n"
        "  curl %s-s '%s/agentgateway/resource/calldata/%s/callinfo' -H \"Guid: $G\"\n"
        "  curl %s-s -X DELETE '%s/agentgateway/resource/onlineagent/%s/logout' -H \"Guid: $G\"\n",
        st->agent_count, st->records.count, demo->workno, demo->password, demo->phonenum,
        demo->current ? "  (on a live call)" : "", k, base_url, demo->workno, demo->password,
        demo->phonenum, k, base_url, demo->workno, k, base_url, demo->workno);
    pthread_mutex_unlock(&st->lock);
}

static char *huawei_dump(void *state)
{
    return huawei_dump_records(state);
}

const struct mock_vendor_sim huawei_sim = {
    .id = "huawei",
    .title = "Huawei CEC AgentGateway (agent session, Guid auth, event poll, call information)",
    .variants = huawei_variants,
    .load = huawei_load,
    .unload = huawei_unload,
    .routes = huawei_routes,
    .handle = huawei_handle,
    .oversized = huawei_oversized,
    .admin = huawei_admin,
    .describe = huawei_describe,
    .dump = huawei_dump,
};
