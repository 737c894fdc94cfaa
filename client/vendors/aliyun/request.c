/* Requests of the AICCS actions: HotlineSessionQuery's filter as RPC parameters (lists 1-based:
 * AcidList.1, …), and any action's parameters signed V2 (Signature parameter; POST sends a form
 * body, GET a query string) or V3 (Authorization header, parameters in the query, as the official
 * SDKs send it). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "cdrsim/sign.h"
#include "internal.h"

void cdr__aliyun_params_add(struct cdr__aliyun_params *p, const char *name, const char *value)
{
    if (p->failed)
        return;
    struct cdr_param *grown = realloc(p->items, (p->count + 1) * sizeof(*grown));
    char *n = strdup(name), *v = strdup(value);
    if (!grown || !n || !v) {
        if (grown)
            p->items = grown;
        free(n);
        free(v);
        p->failed = true;
        return;
    }
    p->items = grown;
    p->items[p->count++] = (struct cdr_param){n, v};
}

static void add(struct cdr__aliyun_params *p, const char *name, const char *value)
{
    cdr__aliyun_params_add(p, name, value);
}

static void add_int(struct cdr__aliyun_params *p, const char *name, int64_t v)
{
    char text[24];
    snprintf(text, sizeof(text), "%" PRId64, v);
    add(p, name, text);
}

void cdr__aliyun_params_free(struct cdr__aliyun_params *p)
{
    for (size_t i = 0; i < p->count; i++) {
        free((char *)p->items[i].name);
        free((char *)p->items[i].value);
    }
    free(p->items);
    memset(p, 0, sizeof(*p));
}

/* One filter as its RPC parameters, as its row in the table says; lists count from 1. */
static void add_field(struct cdr__aliyun_params *p, const struct cdr_field *r,
                      const struct cdr_aliyun_filter *f)
{
    if (r->kind == CDR_VALUE_STRING) {
        add(p, r->param, cdr__field_text(r, f));
    } else if (r->kind == CDR_VALUE_INT || r->kind == CDR_VALUE_TIME) {
        add_int(p, r->param, cdr__field_int(r, f));
    } else if (r->kind == CDR_VALUE_STRING_LIST || r->kind == CDR_VALUE_INT_LIST ||
               r->kind == CDR_VALUE_INT64_LIST) {
        for (size_t i = 0; i < cdr__field_count(r, f); i++) {
            char name[96];
            snprintf(name, sizeof(name), "%s.%zu", r->param, i + 1);
            if (r->kind == CDR_VALUE_STRING_LIST)
                add(p, name, cdr__field_text_at(r, f, i));
            else
                add_int(p, name, cdr__field_int_at(r, f, i));
        }
    } else {
        p->failed = true; /* a kind Aliyun's table does not use */
    }
}

void cdr__aliyun_filter_params(struct cdr__aliyun_params *p, const struct cdr_aliyun_filter *f,
                               int64_t page_no, int64_t page_size)
{
    add_int(p, "PageNo", page_no);
    add_int(p, "PageSize", page_size);
    for (const struct cdr_field *r = cdr__aliyun_fields; r->name; r++)
        if (cdr__field_sent(cdr__aliyun_fields, r, f))
            add_field(p, r, f);
}

/* ---- one signed request ---------------------------------------------------------------------- */

static void wire_header(struct cdr__aliyun_wire *w, const char *name, const char *value)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(&b, "%s: %s", name, value);
    if (b.failed || w->header_count == sizeof(w->headers) / sizeof(w->headers[0])) {
        cdr_buf_free(&b);
        w->failed = true;
        return;
    }
    w->headers[w->header_count++] = cdr_buf_steal(&b);
}

void cdr__aliyun_wire_free(struct cdr__aliyun_wire *w)
{
    free(w->url);
    free(w->body);
    for (size_t i = 0; i < w->header_count; i++)
        free(w->headers[i]);
    memset(w, 0, sizeof(*w));
}

static char *joined(const char *a, const char *sep, const char *b)
{
    struct cdr_buf buf;
    cdr_buf_init(&buf);
    cdr_buf_printf(&buf, "%s%s%s", a, sep, b);
    return cdr_buf_steal(&buf);
}

static void sign_v2(const struct cdr__aliyun_signer *c, const char *method, const char *action,
                    struct cdr__aliyun_params *p, const char *timestamp, const char *nonce,
                    struct cdr__aliyun_wire *w)
{
    add(p, "AccessKeyId", c->key_id);
    add(p, "Action", action);
    add(p, "Format", "JSON");
    add(p, "SignatureMethod", "HMAC-SHA1");
    add(p, "SignatureNonce", nonce);
    add(p, "SignatureVersion", "1.0");
    add(p, "Timestamp", timestamp);
    add(p, "Version", CDR_ALIYUN_VERSION);
    if (c->token)
        add(p, "SecurityToken", c->token);
    char *sts = p->failed ? NULL : cdr_aliyun_v2_string_to_sign(method, p->items, p->count);
    char *signature = sts ? cdr_aliyun_v2_signature(c->secret, sts) : NULL;
    char *query = signature ? cdr_canonical_query(p->items, p->count) : NULL;
    char *encoded = query ? cdr_percent_encode(signature, strlen(signature)) : NULL;
    char *form = encoded ? joined(query, "&Signature=", encoded) : NULL;
    if (form && strcmp(method, "GET") == 0) {
        w->url = joined(c->base_url, "/?", form);
    } else if (form) {
        w->url = joined(c->base_url, "/", "");
        w->body = form;
        form = NULL;
        wire_header(w, "Content-Type", "application/x-www-form-urlencoded");
    }
    w->failed |= !w->url;
    free(sts);
    free(signature);
    free(query);
    free(encoded);
    free(form);
}

static void sign_v3(const struct cdr__aliyun_signer *c, const char *method, const char *action,
                    struct cdr__aliyun_params *p, const char *timestamp, const char *nonce,
                    struct cdr__aliyun_wire *w)
{
    /* As the official V3 clients do for RPC: parameters in the query, an empty body. Format is
     * sent too, so a server that ignores Accept still answers JSON. */
    add(p, "Format", "JSON");
    char *payload = cdr_sha256_hex("", 0);
    bool post = strcmp(method, "POST") == 0;
    struct cdr_param headers[8] = {
        {"host", c->host},
        {"x-acs-action", action},
        {"x-acs-version", CDR_ALIYUN_VERSION},
        {"x-acs-date", timestamp},
        {"x-acs-signature-nonce", nonce},
        {"x-acs-content-sha256", payload},
    };
    size_t n = 6;
    if (c->token)
        headers[n++] = (struct cdr_param){"x-acs-security-token", c->token};
    if (post) /* curl would add one anyway; signing it is what the SDKs do */
        headers[n++] = (struct cdr_param){"content-type", "application/x-www-form-urlencoded"};
    char *signed_headers = NULL;
    char *canonical =
        payload && !p->failed
            ? cdr_aliyun_v3_canonical_request(method, "/", p->items, p->count, headers, n, NULL,
                                              payload, &signed_headers)
            : NULL;
    char *sts = canonical ? cdr_aliyun_v3_string_to_sign(canonical) : NULL;
    char *signature = sts ? cdr_aliyun_v3_signature(c->secret, sts) : NULL;
    char *query = signature ? cdr_canonical_query(p->items, p->count) : NULL;
    if (query) {
        w->url = joined(c->base_url, "/?", query);
        for (size_t i = 0; i < n; i++)
            wire_header(w, headers[i].name, headers[i].value);
        struct cdr_buf auth;
        cdr_buf_init(&auth);
        cdr_buf_printf(&auth, "%s Credential=%s,SignedHeaders=%s,Signature=%s",
                       CDR_ALIYUN_V3_ALGORITHM, c->key_id, signed_headers, signature);
        wire_header(w, "Authorization", auth.data ? auth.data : "");
        w->failed |= auth.failed;
        cdr_buf_free(&auth);
        if (post)
            w->body = strdup("");
        w->failed |= post && !w->body;
    }
    w->failed |= !w->url;
    free(payload);
    free(signed_headers);
    free(canonical);
    free(sts);
    free(signature);
    free(query);
}

void cdr__aliyun_build(const struct cdr__aliyun_signer *who, enum cdr_aliyun_signing signing,
                       const char *method, const char *action,
                       const struct cdr__aliyun_params *params, const char *timestamp,
                       const char *nonce, struct cdr__aliyun_wire *w)
{
    memset(w, 0, sizeof(*w));
    struct cdr__aliyun_params p = {0};
    for (size_t i = 0; i < params->count; i++)
        add(&p, params->items[i].name, params->items[i].value);
    p.failed |= params->failed;
    if (signing == CDR_ALIYUN_SIGN_V2)
        sign_v2(who, method, action, &p, timestamp, nonce, w);
    else
        sign_v3(who, method, action, &p, timestamp, nonce, w);
    wire_header(w, "Accept", "application/json");
    w->failed |= p.failed;
    cdr__aliyun_params_free(&p);
}
