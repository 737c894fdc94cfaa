/* page and all for any vendor, through its descriptor's generic calls: records as they came, and
 * the page's paging object as the library kept it (no body is read twice). */
#include "args.h"

cdr_error conform_page_with(struct cdr_client *client, const struct cdr_args *args, int64_t page,
                            int64_t size, struct conform_result *out)
{
    struct cdr_page p;
    cdr_error rc = cdr_client_page(client, args, page, size, &p, &out->info);
    if (rc == CDR_OK && !conform_result_take_page(out, &p))
        rc = cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
    cdr_page_free(&p);
    return rc;
}

cdr_error conform_vendor_page(const struct conform_call *call, int64_t page, int64_t size,
                              struct conform_result *out)
{
    struct conform_client c;
    cdr_error rc = conform_client_open(&c, call, out)
                       ? conform_page_with(c.client, c.args, page, size, out)
                       : out->info.code;
    conform_client_close(&c);
    return rc;
}

static int collect(void *user, const struct cdr_record *rec)
{
    return conform_result_add(user, rec) ? 0 : 1;
}

/* What the last page said of the whole query, and how many windows it took. */
static void watch(void *user, const struct cdr_progress *p)
{
    struct conform_result *out = user;
    if (p->window_count)
        out->windows = (int64_t)p->window_count;
    if (p->total >= 0) {
        out->paged = true;
        out->total = p->total;
        out->pages = p->pages;
        out->page = p->page;
    }
}

cdr_error conform_all_with(struct cdr_client *client, const struct cdr_args *args,
                           const struct conform_call *call, struct conform_result *out)
{
    const struct cdr_vendor *v = cdr_client_vendor(client);
    int64_t size = conform_arg_int(call->args, "page_size", v->paging.fetch_size);
    cdr_error rc = cdr_client_fetch_all(client, args, size, collect, watch, out, &out->info);
    if (out->paged)
        out->size = size;
    return rc;
}

cdr_error conform_vendor_all(const struct conform_call *call, struct conform_result *out)
{
    struct conform_client c;
    cdr_error rc = conform_client_open(&c, call, out)
                       ? conform_all_with(c.client, c.args, call, out)
                       : out->info.code;
    conform_client_close(&c);
    return rc;
}
