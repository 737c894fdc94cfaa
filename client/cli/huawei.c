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

/* Signed in: fetch, print, and always sign out again. */
static int fetch_and_sign_out(struct cdr_huawei_session *session, bool current_only, bool raw)
{
    struct cdr_record rec;
    bool found = false;
    struct cdr_error_info err;
    int status = CLI_OK;
    cdr_error rc = cdr_huawei_call_info(session, !current_only, &rec, &found, &err);
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
    rc = cdr_huawei_sign_out(session, &err);
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
    {"force", NULL, "end any other session of the agent (forcelogin)"},
    {"current-only", NULL, "only a call in progress, not the last one"},
    {NULL, NULL, NULL},
};

/* Sign in, print the current (or last) call, sign out. */
static int huawei_fetch(const struct cli_fetch *f)
{
    struct cdr_error_info err;
    struct cdr_client *client = cdr_client_new(f->vendor, &f->opts, f->args, &err);
    if (!client) {
        cli_print_error("fetch huawei", err.code, &err);
        return err.code == CDR_ERR_INVALID_ARGUMENT ? CLI_USAGE : CLI_FAILED;
    }
    struct cdr_huawei_session *session = cdr_huawei_session_of(client);
    int status;
    cdr_error rc = cdr_huawei_sign_in(session, cdr_args_get(f->own, "force") != NULL, NULL, &err);
    if (rc != CDR_OK) {
        cli_print_error("fetch huawei: sign in", rc, &err);
        if (strcmp(err.vendor_code, "100-002") == 0)
            fprintf(stderr,
                    "cdrsim-client: the agent is signed in elsewhere; --force ends that session\n");
        status = CLI_FAILED;
    } else {
        status = fetch_and_sign_out(session, cdr_args_get(f->own, "current-only") != NULL, f->raw);
    }
    cdr_client_free(client);
    return status;
}

const struct cli_vendor cli_huawei = {
    .id = "huawei",
    .usage =
        "  fetch huawei --base-url URL --agent-id N --password P [options]\n"
        "                                                        sign in, print the current (or\n"
        "                                                        last) call, sign out\n",
    .fetch_about = "signs the agent in, prints its current call (or the last one) as a JSON line "
                   "and signs out again",
    .options = options,
    .fetch = huawei_fetch,
};
