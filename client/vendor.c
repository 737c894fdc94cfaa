/* The generic calls of cdrsim/vendor.h: a client of any vendor, one page, every record, a saved
 * answer. Each dispatches to the vendor folder's implementation; no vendor is named here. */
#include <stdlib.h>
#include <string.h>

#include "vendor_ops.h"

struct cdr_client {
    const struct cdr_vendor *vendor;
    void *handle;   /* the vendor's typed client, owned */
    char **secrets; /* copies of the values of the vendor's secret fields, for cdr_client_redact */
    size_t secret_count;
};

const struct cdr_vendor *cdr_vendor_find(const char *id)
{
    for (const struct cdr_vendor *const *v = cdr_vendors(); id && *v; v++)
        if (strcmp((*v)->id, id) == 0)
            return *v;
    return NULL;
}

bool cdr_vendor_has_call(const struct cdr_vendor *v, const char *name)
{
    if (!v || !name)
        return false;
    if (strcmp(name, "page") == 0)
        return v->ops && v->ops->page;
    if (strcmp(name, "fetch_all") == 0)
        return v->ops && v->ops->fetch_all;
    if (strcmp(name, "parse") == 0)
        return v->ops && v->ops->parse;
    if (strcmp(name, "download") == 0)
        return v->ops && v->ops->download;
    if (strcmp(name, "push") == 0)
        return v->ops && v->ops->parse_push;
    for (size_t i = 0; i < v->call_count; i++)
        if (strcmp(v->calls[i].name, name) == 0)
            return true;
    return false;
}

int64_t cdr_vendor_call_max_range(const struct cdr_vendor *v, const char *name)
{
    if (!v || !name)
        return 0;
    if (strcmp(name, "page") == 0 || strcmp(name, "fetch_all") == 0)
        return v->paging.max_range;
    for (const struct cdr_call_range *r = v->call_ranges; r && r->call; r++)
        if (strcmp(r->call, name) == 0)
            return r->max_range;
    return 0;
}

void cdr__page_init(struct cdr_page *page)
{
    memset(page, 0, sizeof(*page));
    page->total = page->pages = page->page = page->size = -1;
}

void cdr_page_free(struct cdr_page *page)
{
    if (!page)
        return;
    cdr__records_free(page->records, page->record_count);
    free(page->paging_json);
    cdr__page_init(page);
}

int cdr__relay_record(void *relay, const struct cdr_record *rec)
{
    const struct cdr__relay *r = relay;
    return r->on_record(r->user, rec);
}

void cdr__relay_progress(void *relay, const struct cdr_progress *progress)
{
    const struct cdr__relay *r = relay;
    if (r->on_progress)
        r->on_progress(r->user, progress);
}

/* Copies of every value args gives the vendor's secret fields. */
static bool keep_secrets(struct cdr_client *c, const struct cdr_args *args)
{
    for (const struct cdr_field *f = c->vendor->fields; f && f->name; f++) {
        for (size_t i = 0; (f->flags & CDR_FIELD_SECRET) && i < cdr_args_count(args, f->name);
             i++) {
            const char *value = cdr_args_value(args, f->name, i);
            char **grown = realloc(c->secrets, (c->secret_count + 1) * sizeof(*grown));
            if (!grown)
                return false;
            c->secrets = grown;
            if (!(grown[c->secret_count] = strdup(value ? value : "")))
                return false;
            c->secret_count++;
        }
    }
    return true;
}

void cdr_client_options_default(struct cdr_client_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    cdr_http_options_default(&opts->http);
}

struct cdr_client *cdr_client_new(const struct cdr_vendor *v, const struct cdr_client_options *opts,
                                  const struct cdr_args *args, struct cdr_error_info *err)
{
    if (!v || !opts) {
        cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing vendor or options");
        return NULL;
    }
    if (!v->ops || !v->ops->open) {
        cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "%s has no client", v->id);
        return NULL;
    }
    struct cdr_client *c = calloc(1, sizeof(*c));
    if (!c) {
        cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        return NULL;
    }
    c->vendor = v;
    if (!keep_secrets(c, args)) {
        cdr_client_free(c);
        cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
        return NULL;
    }
    if (!(c->handle = v->ops->open(opts, args, err))) {
        cdr_client_redact(c, err);
        cdr_client_free(c);
        return NULL;
    }
    return c;
}

void cdr_client_free(struct cdr_client *c)
{
    if (!c)
        return;
    if (c->handle)
        c->vendor->ops->close(c->handle);
    for (size_t i = 0; i < c->secret_count; i++)
        free(c->secrets[i]);
    free(c->secrets);
    free(c);
}

void cdr_client_redact(const struct cdr_client *c, struct cdr_error_info *err)
{
    for (size_t i = 0; c && err && i < c->secret_count; i++)
        cdr_error_redact(err, c->secrets[i]);
}

const struct cdr_vendor *cdr_client_vendor(const struct cdr_client *c)
{
    return c ? c->vendor : NULL;
}

void *cdr__client_handle(struct cdr_client *c, const struct cdr_vendor *v)
{
    return c && c->vendor == v ? c->handle : NULL;
}

cdr_error cdr_client_page(struct cdr_client *c, const struct cdr_args *args, int64_t page,
                          int64_t size, struct cdr_page *out, struct cdr_error_info *err)
{
    cdr__page_init(out);
    if (!c)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client");
    if (!c->vendor->ops->page)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "%s has no paged query", c->vendor->id);
    cdr_error rc = c->vendor->ops->page(c->handle, args, page, size, out, err);
    if (rc != CDR_OK)
        cdr_client_redact(c, err);
    return rc;
}

cdr_error cdr_client_fetch_all(struct cdr_client *c, const struct cdr_args *args, int64_t page_size,
                               cdr_record_fn on_record, cdr_progress_fn on_progress, void *user,
                               struct cdr_error_info *err)
{
    if (!c || !on_record)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client or callback");
    if (!c->vendor->ops->fetch_all)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "%s has no range query", c->vendor->id);
    if (page_size <= 0)
        page_size = c->vendor->paging.fetch_size;
    cdr_error rc =
        c->vendor->ops->fetch_all(c->handle, args, page_size, on_record, on_progress, user, err);
    if (rc != CDR_OK)
        cdr_client_redact(c, err);
    return rc;
}

cdr_error cdr_client_download(struct cdr_client *c, const struct cdr_record *rec, size_t index,
                              cdr_write_fn write, void *user, struct cdr_download *out,
                              struct cdr_error_info *err)
{
    if (out)
        memset(out, 0, sizeof(*out));
    if (!c || !rec || !write || !out)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "missing client, record or writer");
    if (!c->vendor->ops->download)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "%s has no recording download",
                             c->vendor->id);
    /* A record that lists no recording may still have one the vendor finds by the record's own
     * ids (Yunfu's download-full-voice): then the vendor's call judges the index. */
    if (rec->recording_url_count > 0 && index >= rec->recording_url_count)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "record %s has %zu recordings, not %zu",
                             rec->id ? rec->id : "?", rec->recording_url_count, index + 1);
    cdr_error rc = c->vendor->ops->download(c->handle, rec, index, write, user, out, err);
    if (rc != CDR_OK)
        cdr_client_redact(c, err);
    return rc;
}

cdr_error cdr_vendor_parse(const struct cdr_vendor *v, const char *body, size_t len,
                           long http_status, struct cdr_page *out, struct cdr_error_info *err)
{
    cdr__page_init(out);
    if (!v || !v->ops || !v->ops->parse)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "%s cannot parse a saved answer",
                             v ? v->id : "(no vendor)");
    if (!body)
        return cdr_error_set(err, CDR_ERR_MALFORMED_RESPONSE, "empty response");
    return v->ops->parse(body, len, http_status, out, err);
}
