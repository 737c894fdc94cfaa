/* A Huawei CEC agent's call in progress, or its last call, normalized as a JSON line: the
 * AgentGateway keeps no history to page through, so there is no day to ask for. Signs the agent
 * in, reads the call and signs out again.
 *   example-huawei URL AGENT_ID PASSWORD
 * Built against the installed libcdrsim:
 *   cc huawei.c -o example-huawei $(pkg-config --cflags --libs cdrsim) */
#include <cdrsim/cdrsim.h>
#include <stdio.h>
#include <stdlib.h>

/* Signed in: the call, printed, then always signed out. */
static cdr_error print_call_and_sign_out(struct cdr_huawei_session *session,
                                         struct cdr_error_info *err)
{
    struct cdr_record rec;
    bool found = false;
    cdr_error rc = cdr_huawei_call_info(session, true, &rec, &found, err);
    if (rc == CDR_OK && found) {
        char *json = cdr_record_to_json(&rec, 0);
        if (json)
            puts(json);
        else
            rc = cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        free(json);
        cdr_record_free(&rec);
    } else if (rc == CDR_OK) {
        fputs("huawei: the agent has no current or last call\n", stderr);
    }
    struct cdr_error_info out_err;
    cdr_error out_rc = cdr_huawei_sign_out(session, &out_err);
    if (rc == CDR_OK && out_rc != CDR_OK) {
        *err = out_err;
        rc = out_rc;
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s URL AGENT_ID PASSWORD\n", argv[0]);
        return 2;
    }
    struct cdr_args *args = cdr_args_new();
    if (!args || cdr_args_set(args, "agent_id", argv[2]) != CDR_OK ||
        cdr_args_set(args, "password", argv[3]) != CDR_OK) {
        fputs("out of memory\n", stderr);
        cdr_args_free(args);
        return 1;
    }
    struct cdr_client_options opts;
    cdr_client_options_default(&opts);
    opts.base_url = argv[1];
    struct cdr_error_info err;
    struct cdr_client *client = cdr_client_new(cdr_vendor_find("huawei"), &opts, args, &err);
    cdr_error rc = client ? CDR_OK : err.code;
    if (rc == CDR_OK) {
        struct cdr_huawei_session *session = cdr_huawei_session_of(client);
        rc = cdr_huawei_sign_in(session, false, NULL, &err);
        if (rc == CDR_OK)
            rc = print_call_and_sign_out(session, &err);
    }
    if (rc != CDR_OK)
        fprintf(stderr, "huawei: %s: %s\n", cdr_error_name(rc), err.message);
    cdr_client_free(client);
    cdr_args_free(args);
    return rc == CDR_OK ? 0 : 1;
}
