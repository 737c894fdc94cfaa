/* cdrsim-client's own fetch for the Huawei AgentGateway: sign in, the current or last call, sign
 * out. Its options come from the descriptor; parse is the generic one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/huawei.h"
#include "cli.h"

static int print_records(const struct cdr_record *recs, size_t count, bool raw)
{
    for (size_t i = 0; i < count; i++)
        if (!cli_print_record(&recs[i], raw))
            return CLI_FAILED;
    if (fflush(stdout) != 0) {
        fprintf(stderr, "cdrsim-client: cannot write to stdout\n");
        return CLI_FAILED;
    }
    return CLI_OK;
}

/* The session's calls bypass the generic client, which masks its secrets in what it returns:
 * mask them here before anything is printed (a gateway may echo the password). */
static cdr_error redacted(const struct cdr_client *client, cdr_error rc, struct cdr_error_info *err)
{
    if (rc != CDR_OK)
        cdr_client_redact(client, err);
    return rc;
}

/* Signed in: fetch, print, and always sign out again. */
static int fetch_and_sign_out(const struct cdr_client *client, struct cdr_huawei_session *session,
                              bool current_only, bool raw)
{
    struct cdr_record rec;
    bool found = false;
    struct cdr_error_info err;
    int status = CLI_OK;
    cdr_error rc =
        redacted(client, cdr_huawei_call_info(session, !current_only, &rec, &found, &err), &err);
    bool talking = false;
    if (rc != CDR_OK) {
        cli_print_error("fetch huawei: callinfo", rc, &err);
        status = CLI_FAILED;
    } else if (found) {
        talking = rec.end_time == CDR_TIME_NONE;
        status = print_records(&rec, 1, raw);
        cdr_record_free(&rec);
    } else {
        fprintf(stderr, "cdrsim-client: fetch huawei: the agent has no %s call\n",
                current_only ? "current" : "current or last");
    }
    rc = redacted(client, cdr_huawei_sign_out(session, &err), &err);
    /* Out already (auto sign-out, or another client's doing): the goal is reached. */
    bool out_already = rc != CDR_OK && (strcmp(err.vendor_code, "100-006") == 0 ||
                                        strcmp(err.vendor_code, "100-008") == 0);
    /* The gateway does not sign out an agent that is talking: the fetch itself succeeded, and
     * the session ends with the call (or the next idle two minutes). */
    if (rc == CDR_ERR_VENDOR && talking) {
        fprintf(stderr,
                "cdrsim-client: fetch huawei: the agent is on a call, so the gateway keeps it "
                "signed in (sign out: %s, vendor code %s)\n",
                err.message, err.vendor_code);
    } else if (rc != CDR_OK && !out_already) {
        cli_print_error("fetch huawei: sign out", rc, &err);
        status = CLI_FAILED;
    }
    return status;
}

static const struct cli_option options[] = {
    {"history", NULL,
     "the CC-Management call history (--app-key, --app-secret, --from, --to) instead of the "
     "agent's session"},
    {"force", NULL, "end any other session of the agent (forcelogin)"},
    {"current-only", NULL, "only a call in progress, not the last one"},
    {NULL, NULL, NULL},
};

/* --history asks the API Fabric with the app's AK/SK over a range; otherwise the agent signs in. */
static bool huawei_check(const struct cli_fetch *f)
{
    bool history = cdr_args_get(f->own, "history") != NULL;
    static const char *const history_needs[] = {"app_key", "app_secret", "from", "to", NULL};
    static const char *const session_needs[] = {"agent_id", "password", NULL};
    for (const char *const *n = history ? history_needs : session_needs; *n; n++) {
        if (!cdr_args_get(f->args, *n)) {
            char option[32];
            snprintf(option, sizeof(option), "%s", *n);
            for (char *p = option; *p; p++)
                *p = *p == '_' ? '-' : *p;
            fprintf(stderr, "cdrsim-client: --%s: required%s\n", option,
                    history ? " with --history" : " (or --history with the app's AK/SK)");
            return false;
        }
    }
    if (history && (cdr_args_get(f->own, "force") || cdr_args_get(f->own, "current-only"))) {
        fputs("cdrsim-client: --force and --current-only are the agent session's, not "
              "--history's\n",
              stderr);
        return false;
    }
    return true;
}

/* Sign in, print the current (or last) call, sign out; or, with --history, every record of the
 * call history in the range. */
static int huawei_fetch(const struct cli_fetch *f)
{
    if (cdr_args_get(f->own, "history"))
        return cli_fetch_records(f);
    struct cdr_error_info err;
    struct cdr_client *client = cdr_client_new(f->vendor, &f->opts, f->args, &err);
    if (!client) {
        cli_print_error("fetch huawei", err.code, &err);
        return err.code == CDR_ERR_INVALID_ARGUMENT ? CLI_USAGE : CLI_FAILED;
    }
    struct cdr_huawei_session *session = cdr_huawei_session_of(client);
    int status;
    cdr_error rc = redacted(
        client, cdr_huawei_sign_in(session, cdr_args_get(f->own, "force") != NULL, NULL, &err),
        &err);
    if (rc != CDR_OK) {
        cli_print_error("fetch huawei: sign in", rc, &err);
        if (strcmp(err.vendor_code, "100-002") == 0)
            fprintf(stderr,
                    "cdrsim-client: the agent is signed in elsewhere; --force ends that session\n");
        status = CLI_FAILED;
    } else {
        status = fetch_and_sign_out(client, session, cdr_args_get(f->own, "current-only") != NULL,
                                    f->raw);
    }
    cdr_client_free(client);
    return status;
}

const struct cli_vendor cli_huawei = {
    .id = "huawei",
    .usage =
        "  fetch huawei --base-url URL --agent-id N --password P [options]\n"
        "                                                        sign in, print the current (or\n"
        "                                                        last) call, sign out\n"
        "  fetch huawei --history --base-url URL --app-key AK --app-secret SK --from T1 --to T2\n"
        "                                                        every call of the history\n",
    .fetch_about = "signs the agent in, prints its current call (or the last one) as a JSON line "
                   "and signs out again; with --history prints every record of the CC-Management "
                   "call history in the range (7-day windows, paged)",
    .options = options,
    .check = huawei_check,
    .fetch = huawei_fetch,
};
