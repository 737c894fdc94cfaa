/* The Huawei CEC AgentGateway simulator's entry in the vendor table: its variants, loading and
 * unloading, the quick-start lines and the dump. Facts: docs/vendors/huawei.md; what each variant
 * covers is in its section "Mock variants". */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

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

/* A decimal count within [lo, hi]. */
static bool parse_count(const char *text, int64_t lo, int64_t hi, int64_t *out)
{
    int64_t v = 0;
    if (!*text || strlen(text) > 9 || strspn(text, "0123456789") != strlen(text))
        return false;
    for (const char *p = text; *p; p++)
        v = v * 10 + (*p - '0');
    *out = v;
    return v >= lo && v <= hi;
}

#define MAX_CALL_HISTORY 100000

static bool valid_call_history(const char *value)
{
    int64_t n;
    return parse_count(value, 1, MAX_CALL_HISTORY, &n);
}

static bool valid_token_seconds(const char *value)
{
    int64_t n;
    return parse_count(value, 1, HUAWEI_TOKEN_MAX_S, &n);
}

static bool valid_max_limit(const char *value)
{
    int64_t n;
    return parse_count(value, 0, 100000, &n);
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
    {"error_body", "doc|ours", "doc",
     "error answers as the recordfile page prints one, {\"retcode\",\"message\",\"result\":\"\"} "
     "with 000-003's \"no right to invite resource\"; or {\"message\",\"retcode\",\"result\":null}",
     NULL},
    {"agentid_leading_zero", "refuse|strip", "refuse",
     "an agent ID written with a leading zero (\"0291\"): 000-002, as a work number that names "
     "no agent; or read as a number (agent 291)",
     NULL},
    {"signout_in_call", "100-007|100-005|success_kept|signs_out", "100-007",
     "sign-out while the agent talks (the docs: it is not signed out, answer unpublished): "
     "100-007, 100-005 (listed on the page), success while staying signed in, or signed out "
     "anyway",
     NULL},
    {"event_gen_time", "off|on", "off",
     "events carry eventGenTime (epoch ms), as the current Chinese event pages show; the older "
     "pages have none",
     NULL},
    {"call_history", NULL, "256",
     "ended admin-driven calls each agent remembers (1 to 100000): callinfobycallid finds them, "
     "the oldest is forgotten",
     valid_call_history},
    {"token_seconds", NULL, "600",
     "an AccessToken's life when tokenByAkSk gets no X-Token-Expire (1 to 3600; the pages "
     "show 600 and document no default)",
     valid_token_seconds},
    {"token_failure", "401|403", "401",
     "HTTP status of a wrong AK/SK and of an /apiaccess call without a valid token (401 is "
     "the recording page's \"unauthorized\"; 403 a gateway that refuses instead)",
     NULL},
    {"history_order", "oldest|newest", "oldest",
     "order of queryCallDetailRecord's records by startTime (undocumented)", NULL},
    {"history_types", "example|strings", "example",
     "queryCallDetailRecord's times and durations: numbers as the page's example sends them, or "
     "strings as its table types them",
     NULL},
    {"history_empty", "no_data|empty", "no_data",
     "a query that matches nothing: retCode \"1\" (the page lists \"no data\" as a failure) or "
     "retCode \"0\" with total 0",
     NULL},
    {"history_offset", "records|pages", "records",
     "what queryCallDetailRecord's offset counts: records skipped (SQL-style) or pages of limit "
     "records",
     NULL},
    {"history_max_limit", NULL, "100",
     "largest limit queryCallDetailRecord takes, above it retCode \"4\" (0: none; the page "
     "documents the default 100 and no maximum)",
     valid_max_limit},
    {NULL, NULL, NULL, NULL, NULL},
};

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
    huawei_dataset_init(st);
    const struct mock_config *cfg = load->config;
    st->dynamic_auth = strcmp(mock_variant(cfg, &huawei_sim, "authmode"), "2") == 0;
    st->lastcall_doc = strcmp(mock_variant(cfg, &huawei_sim, "lastcall_flag"), "doc") == 0;
    st->lastcall_trace_full = strcmp(mock_variant(cfg, &huawei_sim, "lastcall_trace"), "full") == 0;
    st->unknown_callid_error =
        strcmp(mock_variant(cfg, &huawei_sim, "unknown_callid"), "null") != 0;
    st->session_cookie = strcmp(mock_variant(cfg, &huawei_sim, "session_cookie"), "on") == 0;
    st->max_agentid = strtoll(mock_variant(cfg, &huawei_sim, "max_agentid"), NULL, 10);
    parse_seconds_ms(mock_variant(cfg, &huawei_sim, "poll_seconds"), &st->poll_ms);
    st->error_result_null = strcmp(mock_variant(cfg, &huawei_sim, "error_body"), "ours") == 0;
    st->agentid_strip_zeros =
        strcmp(mock_variant(cfg, &huawei_sim, "agentid_leading_zero"), "strip") == 0;
    snprintf(st->signout_in_call, sizeof(st->signout_in_call), "%s",
             mock_variant(cfg, &huawei_sim, "signout_in_call"));
    st->event_gen_time = strcmp(mock_variant(cfg, &huawei_sim, "event_gen_time"), "on") == 0;
    int64_t history = 256;
    parse_count(mock_variant(cfg, &huawei_sim, "call_history"), 1, MAX_CALL_HISTORY, &history);
    st->call_history = (size_t)history;
    parse_count(mock_variant(cfg, &huawei_sim, "token_seconds"), 1, HUAWEI_TOKEN_MAX_S,
                &st->token_default_s);
    st->token_failure_status =
        strcmp(mock_variant(cfg, &huawei_sim, "token_failure"), "403") == 0 ? 403 : 401;
    st->history_newest_first =
        strcmp(mock_variant(cfg, &huawei_sim, "history_order"), "newest") == 0;
    st->history_strings = strcmp(mock_variant(cfg, &huawei_sim, "history_types"), "strings") == 0;
    st->history_empty_ok = strcmp(mock_variant(cfg, &huawei_sim, "history_empty"), "empty") == 0;
    st->history_offset_pages =
        strcmp(mock_variant(cfg, &huawei_sim, "history_offset"), "pages") == 0;
    parse_count(mock_variant(cfg, &huawei_sim, "history_max_limit"), 0, 100000,
                &st->history_max_limit);

    /* A data root without a huawei folder (another vendor's test data) gives a gateway with only
     * the agents of --config, instead of keeping every other vendor from starting. */
    bool present = access(load->data_dir, F_OK) == 0;
    const char *dir = present ? load->data_dir : NULL;
    bool generated = load->generate_count >= 0;
    bool ok =
        huawei_load_agents(st, dir, cJSON_GetObjectItemCaseSensitive(load->settings, "agents"), err,
                           err_len) &&
        huawei_load_apps(st, dir, cJSON_GetObjectItemCaseSensitive(load->settings, "apps"), err,
                         err_len);
    if (ok && generated) {
        ok = huawei_generate_history(st, load->generate_count, load->seed, load->anchor, err,
                                     err_len);
    } else if (ok && present) {
        ok = huawei_load_records(st, load->data_dir, err, err_len);
    }
    /* A generated dataset has no documented examples, as its call history has no seed record. */
    ok = ok && huawei_index_records(st, err, err_len) &&
         huawei_build_history(st, generated ? NULL : dir, err, err_len) &&
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
        huawei_calls_free(a);
        free(a->password);
        free(a->phonenum);
        free(a->mediatype);
        free(a->time_remaining);
        free(a->last_json);
    }
    free(st->agents);
    for (size_t i = 0; i < st->app_count; i++) {
        free(st->apps[i].key);
        free(st->apps[i].secret);
    }
    free(st->apps);
    free(st->by_callid);
    free(st->by_serial);
    huawei_dataset_clear(st);
    pthread_mutex_destroy(&st->lock);
    free(st);
}

static void huawei_describe(void *state, const char *base_url, FILE *out)
{
    struct huawei_state *st = state;
    pthread_mutex_lock(&st->lock);
    /* The demo signs in, asks and signs out: an idle agent (one on a call could not sign out). */
    const struct huawei_agent *demo = NULL, *talking = NULL;
    for (size_t i = 0; i < st->agent_count; i++) {
        if (st->agents[i].current && !talking)
            talking = &st->agents[i];
        else if (!st->agents[i].current && !demo)
            demo = &st->agents[i];
    }
    if (!demo) {
        pthread_mutex_unlock(&st->lock);
        return;
    }
    const char *k = strncmp(base_url, "https:", 6) == 0 ? "-k " : "";
    fprintf(
        out,
        "\nhuawei  Huawei CEC AgentGateway: sign in, then query with the Guid header (%zu agents, "
        "%zu recorded calls)\n"
        "  agent %s  password %s  phone %s\n"
        "  G=$(curl %s-s -o /dev/null -D - -X PUT '%s/agentgateway/resource/onlineagent/%s' \\\n"
        "    -H 'Content-Type: application/json; charset=UTF-8' \\\n"
        "    -d '{\"password\":\"%s\",\"phonenum\":\"%s\",\"status\":4}' | tr -d '\\r' | sed -n "
        "'s/^Guid: //p')\n"
        "  curl %s-s '%s/agentgateway/resource/calldata/%s/callinfo?isNoContainLastCall=true' -H "
        "\"Guid: $G\"\n"
        "  curl %s-s -X DELETE '%s/agentgateway/resource/onlineagent/%s/logout' -H \"Guid: $G\"\n",
        st->agent_count, st->records.count, demo->workno, demo->password, demo->phonenum, k,
        base_url, demo->workno, demo->password, demo->phonenum, k, base_url, demo->workno, k,
        base_url, demo->workno);
    if (talking)
        fprintf(out,
                "  agent %s (password %s) is on a live call: callinfo shows it, and it cannot sign "
                "out until the call ends\n",
                talking->workno, talking->password);
    if (st->app_count && st->history.count) {
        /* The week up to the newest record: a window the history query accepts, not empty. */
        const struct huawei_cdr_attrs *newest = st->history.entries[st->history.count - 1].attrs;
        fprintf(out,
                "  call history (API Fabric): app_key %s  app_secret %s  (%zu records)\n"
                "  T=$(curl %s-s -X POST '%s%s' -H 'Content-Type: application/json' \\\n"
                "    -d '{\"app_key\":\"%s\",\"app_secret\":\"%s\"}' | sed -n "
                "'s/.*\"AccessToken\":\"\\([^\"]*\\)\".*/\\1/p')\n"
                "  curl %s-s -X POST '%s%s' -H \"Authorization: Bearer $T\" \\\n"
                "    -H 'Content-Type: application/json' "
                "-d '{\"startTime\":\"%lld\",\"endTime\":\"%lld\",\"limit\":\"2\"}'\n",
                st->apps[0].key, st->apps[0].secret, st->history.count, k, base_url,
                HUAWEI_FABRIC_TOKEN, st->apps[0].key, st->apps[0].secret, k, base_url,
                HUAWEI_FABRIC_CDR, (long long)(newest->start_ms - HUAWEI_HISTORY_MAX_SPAN_MS),
                (long long)newest->start_ms);
    }
    pthread_mutex_unlock(&st->lock);
}

static char *huawei_dump(void *state)
{
    return huawei_dump_records(state);
}

const struct mock_vendor_sim huawei_sim = {
    .id = "huawei",
    .title = "Huawei CEC: AgentGateway (agent session, Guid auth, event poll, call information, "
             "recordfile) and the CC-Management call history (AK/SK token, "
             "queryCallDetailRecord, getRecordingAddress)",
    .variants = huawei_variants,
    .load = huawei_load,
    .unload = huawei_unload,
    .routes = huawei_owns_path,
    .route_list = huawei_route_list,
    .handle = huawei_handle,
    .oversized = huawei_oversized,
    .admin = huawei_admin,
    .describe = huawei_describe,
    .dump = huawei_dump,
    .control = &huawei_control,
    .push = &huawei_push,
};
