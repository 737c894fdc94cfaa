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
        ok = huawei_generate_history(st, load->generate_count, load->seed, load->anchor, err,
                                     err_len);
    } else if (ok && present) {
        ok = huawei_load_records(st, load->data_dir, err, err_len);
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
    if (!demo) {
        pthread_mutex_unlock(&st->lock);
        return;
    }
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
    .routes = huawei_owns_path,
    .handle = huawei_handle,
    .oversized = huawei_oversized,
    .admin = huawei_admin,
    .describe = huawei_describe,
    .dump = huawei_dump,
    .control = &huawei_control,
};
