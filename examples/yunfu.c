/* One day of a Yunfu task's call records, normalized, one JSON line each.
 *   example-yunfu URL TOKEN USER_ID TASK_ID YYYY-MM-DD
 * Built against the installed libcdrsim:
 *   cc yunfu.c -o example-yunfu $(pkg-config --cflags --libs cdrsim) */
#include <cdrsim/cdrsim.h>
#include <stdio.h>
#include <stdlib.h>

static int print_record(void *user, const struct cdr_record *rec)
{
    (void)user;
    char *json = cdr_record_to_json(rec, 0);
    if (!json)
        return 1;
    puts(json);
    free(json);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: %s URL TOKEN USER_ID TASK_ID YYYY-MM-DD\n", argv[0]);
        return 2;
    }
    char from[32], to[32];
    /* Yunfu reads times as China wall-clock time: the day is that calendar day in UTC+8. */
    snprintf(from, sizeof(from), "%.10s 00:00:00", argv[5]);
    snprintf(to, sizeof(to), "%.10s 23:59:59", argv[5]);

    struct cdr_args *args = cdr_args_new();
    if (!args || cdr_args_set(args, "token", argv[2]) != CDR_OK ||
        cdr_args_set(args, "user_id", argv[3]) != CDR_OK ||
        cdr_args_set(args, "task_id", argv[4]) != CDR_OK ||
        cdr_args_set(args, "from", from) != CDR_OK || cdr_args_set(args, "to", to) != CDR_OK) {
        fputs("out of memory\n", stderr);
        cdr_args_free(args);
        return 1;
    }
    struct cdr_client_options opts;
    cdr_client_options_default(&opts);
    opts.base_url = argv[1];
    struct cdr_error_info err;
    struct cdr_client *client = cdr_client_new(cdr_vendor_find("yunfu"), &opts, args, &err);
    cdr_error rc =
        client ? cdr_client_fetch_all(client, args, 0, print_record, NULL, NULL, &err) : err.code;
    if (rc != CDR_OK)
        fprintf(stderr, "yunfu: %s: %s\n", cdr_error_name(rc), err.message);
    cdr_client_free(client);
    cdr_args_free(args);
    return rc == CDR_OK ? 0 : 1;
}
