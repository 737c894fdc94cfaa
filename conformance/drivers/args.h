/* A step's arguments for its vendor's client, generated from the vendor's descriptor, and reading
 * the arguments of named calls. */
#ifndef CONFORM_DRIVER_ARGS_H
#define CONFORM_DRIVER_ARGS_H

#include <cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "../conform.h"

/* A number or a string argument of a named call ("record_id", "size"), or the fallback / NULL. */
int64_t conform_arg_int(const cJSON *args, const char *key, int64_t fallback);
const char *conform_arg_str(const cJSON *args, const char *key);

/* The step's arguments as the descriptor reads them: the target's credentials, then every member
 * of the step's args that names a field (overriding a credential; a list is several values, a
 * number its decimal text, true/false a flag), every secret made wrong under the wrong_secret
 * fault. Members that are not fields are for named calls and left out. NULL with err filled on a
 * value that is no text (an object). Caller frees with cdr_args_free. */
struct cdr_args *conform_args_for_step(const struct conform_call *call, struct cdr_error_info *err);

/* A generic client of the call's vendor for one step, with the arguments it was opened with: the
 * target's URL, the runner's observer, the step's clock and faults, and whatever the driver's
 * prepare hook adds. */
struct conform_client {
    struct cdr_args *args;
    struct cdr_client *client;
};

/* false with out->info filled; call conform_client_close either way. */
bool conform_client_open(struct conform_client *c, const struct conform_call *call,
                         struct conform_result *out);
void conform_client_close(struct conform_client *c);

/* page and all through a client already open (a driver that keeps its clients across the steps
 * of a scenario), with the step's arguments. */
cdr_error conform_page_with(struct cdr_client *client, const struct cdr_args *args, int64_t page,
                            int64_t size, struct conform_result *out);
cdr_error conform_all_with(struct cdr_client *client, const struct cdr_args *args,
                           const struct conform_call *call, struct conform_result *out);

/* page and all through the descriptor's generic calls: what most drivers use. */
cdr_error conform_vendor_page(const struct conform_call *call, int64_t page, int64_t size,
                              struct conform_result *out);
cdr_error conform_vendor_all(const struct conform_call *call, struct conform_result *out);

#endif
