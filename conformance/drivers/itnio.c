/* Conformance driver for ITNIO: suite arguments to cdr_itnio_* calls. Arguments use the CLI's
 * names in snake case: voice_group_id, sip_group_name, seat_id, seat_name, call_type,
 * hangup_reason, called_or_caller, ccode, hanging_direction, label. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/itnio.h"
#include "../conform.h"
#include "args.h"

static const char *const itnio_fields[] = {"api_key", "api_secret", NULL};

struct clock_view {
    const struct conform_env *env;
    const struct conform_faults *faults;
};

static int64_t clock_of(void *user)
{
    const struct clock_view *v = user;
    return conform_now(v->env, v->faults);
}

static struct cdr_itnio_client *open_client(const struct conform_env *env,
                                            const struct conform_faults *faults,
                                            struct clock_view *view, struct conform_result *out)
{
    char secret[256];
    const char *real = conform_credential(env, "api_secret");
    /* A secret of the right shape that is not the right one. */
    snprintf(secret, sizeof(secret), "%s%s", real ? real : "",
             faults->wrong_secret ? "-wrong" : "");
    struct cdr_itnio_options o;
    cdr_itnio_options_default(&o);
    o.base_url = env->base_url;
    o.api_key = conform_credential(env, "api_key");
    o.api_secret = secret;
    o.http.insecure = env->insecure;
    o.http.observer = env->observer;
    o.http.observer_user = env->observer_user;
    o.http.max_retries = 1;
    o.unchecked = faults->unchecked;
    view->env = env;
    view->faults = faults;
    o.clock = clock_of;
    o.clock_user = view;
    return cdr_itnio_client_new(&o, &out->info);
}

static void read_filter(const cJSON *args, struct cdr_itnio_filter *f, struct conform_lists *lists)
{
    memset(f, 0, sizeof(*f));
    f->start_time = conform_arg_int(args, "from", 0);
    f->end_time = conform_arg_int(args, "to", 0);
    f->has_voice_group_id = cJSON_HasObjectItem(args, "voice_group_id");
    f->voice_group_id = conform_arg_int(args, "voice_group_id", 0);
    f->sip_group_name = conform_arg_str(args, "sip_group_name");
    f->seat_ids = conform_arg_int64s(lists, args, "seat_id", &f->seat_id_count);
    f->seat_names = conform_arg_strs(lists, args, "seat_name", &f->seat_name_count);
    f->call_types = conform_arg_ints(lists, args, "call_type", &f->call_type_count);
    f->hangup_reasons = conform_arg_ints(lists, args, "hangup_reason", &f->hangup_reason_count);
    f->called_or_caller = conform_arg_str(args, "called_or_caller");
    f->ccodes = conform_arg_strs(lists, args, "ccode", &f->ccode_count);
    f->hanging_directions =
        conform_arg_ints(lists, args, "hanging_direction", &f->hanging_direction_count);
    f->label_names = conform_arg_strs(lists, args, "label", &f->label_name_count);
}

static cdr_error itnio_page(void *session, const struct conform_env *env,
                            const struct conform_faults *faults, const cJSON *args, int64_t page,
                            int64_t size, struct conform_result *out)
{
    (void)session;
    struct clock_view view;
    struct cdr_itnio_client *c = open_client(env, faults, &view, out);
    if (!c)
        return out->info.code;
    struct conform_lists lists = {0};
    struct cdr_itnio_filter f;
    read_filter(args, &f, &lists);
    struct cdr_itnio_page p;
    cdr_error rc = cdr_itnio_query_page(c, &f, page, size, &p, &out->info);
    if (rc == CDR_OK) {
        out->paged = true;
        out->total = p.total;
        out->pages = p.pages;
        out->page = p.current;
        out->size = p.size;
        for (size_t i = 0; i < p.record_count; i++)
            conform_result_add(out, &p.records[i]);
        cdr_itnio_page_free(&p);
    }
    conform_lists_free(&lists);
    cdr_itnio_client_free(c);
    return rc;
}

static int collect(void *user, const struct cdr_record *rec)
{
    return conform_result_add(user, rec) ? 0 : 1;
}

static void count_windows(void *user, const struct cdr_itnio_progress *p)
{
    ((struct conform_result *)user)->windows = (int64_t)p->window_count;
}

static cdr_error itnio_all(void *session, const struct conform_env *env,
                           const struct conform_faults *faults, const cJSON *args,
                           struct conform_result *out)
{
    (void)session;
    struct clock_view view;
    struct cdr_itnio_client *c = open_client(env, faults, &view, out);
    if (!c)
        return out->info.code;
    struct conform_lists lists = {0};
    struct cdr_itnio_filter f;
    read_filter(args, &f, &lists);
    cdr_error rc = cdr_itnio_fetch_all(c, &f, conform_arg_int(args, "page_size", 100), collect,
                                       count_windows, out, &out->info);
    conform_lists_free(&lists);
    cdr_itnio_client_free(c);
    return rc;
}

/* "groups" and "seats": the roster queries; their entries are counted, not returned as records. */
static cdr_error itnio_action(void *session, const struct conform_env *env,
                              const struct conform_faults *faults, const char *name,
                              const cJSON *args, struct conform_result *out)
{
    (void)session;
    bool groups = strcmp(name, "groups") == 0;
    if (!groups && strcmp(name, "seats") != 0)
        return cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT, "no call named %s for itnio",
                             name);
    struct clock_view view;
    struct cdr_itnio_client *c = open_client(env, faults, &view, out);
    if (!c)
        return out->info.code;
    struct cdr_itnio_list_page p;
    int64_t page = conform_arg_int(args, "page", 1), size = conform_arg_int(args, "size", 100);
    cdr_error rc =
        groups
            ? cdr_itnio_query_groups(c, conform_arg_str(args, "name"), page, size, &p, &out->info)
            : cdr_itnio_query_seats(c, conform_arg_int(args, "voice_group_id", -1),
                                    conform_arg_str(args, "name"), page, size, &p, &out->info);
    if (rc == CDR_OK) {
        out->paged = true;
        out->total = p.total;
        out->pages = p.pages;
        out->page = p.current;
        out->size = p.size;
        /* Entries become minimal records so count expectations apply. */
        for (size_t i = 0; i < p.count; i++) {
            char id[32];
            snprintf(id, sizeof(id), "%lld",
                     (long long)(groups ? p.groups[i].voice_group_id : p.seats[i].key_id));
            struct cdr_record rec;
            cdr_record_init(&rec);
            rec.vendor = "itnio";
            rec.id = id;
            rec.group = groups ? p.groups[i].group_name : p.seats[i].group_name;
            rec.agent = groups ? NULL : p.seats[i].name;
            conform_result_add(out, &rec);
        }
        cdr_itnio_list_page_free(&p);
    }
    cdr_itnio_client_free(c);
    return rc;
}

const struct conform_driver conform_itnio_driver = {
    .vendor = "itnio",
    .credential_fields = itnio_fields,
    .page = itnio_page,
    .all = itnio_all,
    .action = itnio_action,
    .max_range = CDR_ITNIO_MAX_RANGE_SECONDS,
};
