/* Conformance driver for ITNIO. page and all go through the descriptor (drivers/generic.c), the
 * step's arguments named as its fields (voice_group_id, seat_id, call_type, ...). What only ITNIO
 * has: the roster queries "groups" ({"name": ...}) and "seats" ({"voice_group_id": N,
 * "name": ...}), each with "page" and "size", answered as a view of the vendor's entries with the
 * list's paging. */
#include <string.h>

#include "cdrsim/itnio.h"
#include "args.h"

static cJSON *group_view(const struct cdr_itnio_group *g)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "voiceGroupId", (double)g->voice_group_id);
    cJSON_AddItemToObject(o, "groupName",
                          g->group_name ? cJSON_CreateString(g->group_name) : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "appName",
                          g->app_name ? cJSON_CreateString(g->app_name) : cJSON_CreateNull());
    cJSON_AddNumberToObject(o, "callinStrategy", (double)g->callin_strategy);
    cJSON_AddNumberToObject(o, "countSeat", (double)g->count_seat);
    return o;
}

static cJSON *seat_view(const struct cdr_itnio_seat *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "keyId", (double)s->key_id);
    cJSON_AddItemToObject(o, "empNo",
                          s->emp_no ? cJSON_CreateString(s->emp_no) : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "name", s->name ? cJSON_CreateString(s->name) : cJSON_CreateNull());
    cJSON_AddNumberToObject(o, "voiceGroupId", (double)s->voice_group_id);
    cJSON_AddItemToObject(o, "groupName",
                          s->group_name ? cJSON_CreateString(s->group_name) : cJSON_CreateNull());
    cJSON_AddNumberToObject(o, "enable", (double)s->enable);
    cJSON_AddNumberToObject(o, "status", (double)s->status);
    return o;
}

static cdr_error roster(const struct conform_call *call, bool groups, struct conform_result *out)
{
    struct conform_client c;
    if (!conform_client_open(&c, call, out)) {
        conform_client_close(&c);
        return out->info.code;
    }
    struct cdr_itnio_client *itnio = cdr_itnio_client_of(c.client);
    struct cdr_itnio_list_page p;
    int64_t page = conform_arg_int(call->args, "page", 1);
    int64_t size = conform_arg_int(call->args, "size", 100);
    const char *name = conform_arg_str(call->args, "name");
    cdr_error rc =
        groups ? cdr_itnio_query_groups(itnio, name, page, size, &p, &out->info)
               : cdr_itnio_query_seats(itnio, conform_arg_int(call->args, "voice_group_id", -1),
                                       name, page, size, &p, &out->info);
    if (rc == CDR_OK) {
        out->paged = true;
        out->total = p.total;
        out->pages = p.pages;
        out->page = p.current;
        out->size = p.size;
        out->view = cJSON_CreateArray();
        for (size_t i = 0; out->view && i < p.count; i++)
            cJSON_AddItemToArray(out->view,
                                 groups ? group_view(&p.groups[i]) : seat_view(&p.seats[i]));
        cdr_itnio_list_page_free(&p);
        if (!out->view)
            rc = cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
    }
    conform_client_close(&c);
    return rc;
}

static cdr_error itnio_action(const struct conform_call *call, const char *name,
                              struct conform_result *out)
{
    if (strcmp(name, "groups") == 0 || strcmp(name, "seats") == 0)
        return roster(call, strcmp(name, "groups") == 0, out);
    return cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT, "no call named %s for itnio", name);
}

static const char *const calls[] = {"groups", "seats", NULL};

const struct conform_driver conform_itnio_driver = {
    .vendor = "itnio",
    .page = conform_vendor_page,
    .all = conform_vendor_all,
    .action = itnio_action,
    .calls = calls,
};
