/* fetch's command line, generated from a vendor's descriptor: the getopt_long table, reading it
 * into a struct cdr_args (credentials also from CDRSIM_<VENDOR>_<FIELD>), checking it with the
 * library, and the usage and help texts. */
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* What each getopt_long entry stands for. */
enum slot_kind {
    SLOT_BASE_URL,
    SLOT_PAGE_SIZE,
    SLOT_RAW,
    SLOT_PROGRESS,
    SLOT_RECORDINGS,
    SLOT_HELP,
    SLOT_FIELD,
    SLOT_OWN
};

struct slot {
    enum slot_kind kind;
    const struct cdr_field *field; /* SLOT_FIELD */
    const struct cli_option *own;  /* SLOT_OWN */
};

#define OPT_FIRST 1000 /* getopt_long values of the generated options start here */
#define OPT_NAME_MAX 64

struct table {
    struct option *longopts;
    struct slot *slots;
    char (*names)[OPT_NAME_MAX];
    size_t count;
};

/* "voice_group_id" -> "voice-group-id". */
static void kebab(const char *name, char *out, size_t len)
{
    snprintf(out, len, "%s", name);
    for (char *p = out; *p; p++)
        if (*p == '_')
            *p = '-';
}

/* "api_secret" of "itnio" -> "CDRSIM_ITNIO_API_SECRET". */
static void env_name(const struct cdr_vendor *v, const struct cdr_field *f, char *out, size_t len)
{
    snprintf(out, len, "CDRSIM_%s_%s", v->id, f->name);
    for (char *p = out; *p; p++)
        *p = (char)toupper((unsigned char)*p);
}

static bool takes_value(const struct slot *s)
{
    switch (s->kind) {
    case SLOT_BASE_URL:
    case SLOT_PAGE_SIZE:
    case SLOT_RECORDINGS:
        return true;
    case SLOT_FIELD:
        return s->field->kind != CDR_VALUE_FLAG;
    case SLOT_OWN:
        return s->own->metavar != NULL;
    default:
        return false;
    }
}

static void add_slot(struct table *t, struct slot s, const char *name)
{
    snprintf(t->names[t->count], OPT_NAME_MAX, "%s", name);
    t->slots[t->count] = s;
    t->longopts[t->count] =
        (struct option){t->names[t->count], takes_value(&s) ? required_argument : no_argument, NULL,
                        OPT_FIRST + (int)t->count};
    t->count++;
}

static bool build_table(const struct cdr_vendor *v, const struct cli_vendor *own, struct table *t)
{
    size_t own_count = 0;
    for (const struct cli_option *o = own && own->options ? own->options : NULL; o && o->name; o++)
        own_count++;
    size_t n = own_count + 6;
    for (const struct cdr_field *f = v->fields; f->name; f++)
        n++;
    static const struct option http[] = {
        {"timeout-ms", required_argument, NULL, CLI_OPT_TIMEOUT},
        {"retries", required_argument, NULL, CLI_OPT_RETRIES},
        {"max-wait-ms", required_argument, NULL, CLI_OPT_MAX_WAIT},
        {"insecure", no_argument, NULL, CLI_OPT_INSECURE},
        {"ca-file", required_argument, NULL, CLI_OPT_CA_FILE},
    };
    size_t nhttp = sizeof(http) / sizeof(http[0]);
    t->count = 0;
    t->longopts = calloc(n + nhttp + 1, sizeof(*t->longopts));
    t->slots = calloc(n, sizeof(*t->slots));
    t->names = calloc(n, sizeof(*t->names));
    if (!t->longopts || !t->slots || !t->names)
        return false;
    add_slot(t, (struct slot){SLOT_BASE_URL, NULL, NULL}, "base-url");
    for (const struct cdr_field *f = v->fields; f->name; f++) {
        char name[OPT_NAME_MAX];
        kebab(f->name, name, sizeof(name));
        add_slot(t, (struct slot){SLOT_FIELD, f, NULL}, name);
    }
    for (size_t i = 0; i < own_count; i++)
        add_slot(t, (struct slot){SLOT_OWN, NULL, &own->options[i]}, own->options[i].name);
    if (v->paging.paged)
        add_slot(t, (struct slot){SLOT_PAGE_SIZE, NULL, NULL}, "page-size");
    add_slot(t, (struct slot){SLOT_RAW, NULL, NULL}, "raw");
    add_slot(t, (struct slot){SLOT_PROGRESS, NULL, NULL}, "progress");
    if (cdr_vendor_has_call(v, "download"))
        add_slot(t, (struct slot){SLOT_RECORDINGS, NULL, NULL}, "recordings");
    add_slot(t, (struct slot){SLOT_HELP, NULL, NULL}, "help");
    memcpy(t->longopts + t->count, http, sizeof(http));
    return true;
}

static void table_free(struct table *t)
{
    free(t->longopts);
    free(t->slots);
    free(t->names);
}

bool cli_fetch_each_option(const struct cdr_vendor *v, void (*fn)(const char *name, void *user),
                           void *user)
{
    struct table t = {0};
    bool ok = build_table(v, cli_vendor_find(v->id), &t);
    for (const struct option *o = ok ? t.longopts : NULL; o && o->name; o++)
        fn(o->name, user);
    table_free(&t);
    return ok;
}

void cli_fetch_free(struct cli_fetch *f)
{
    cdr_args_free(f->args);
    cdr_args_free(f->own);
    f->args = f->own = NULL;
}

/* Credentials not given as options, from the environment. */
static bool add_environment(const struct cdr_vendor *v, struct cdr_args *args)
{
    for (const struct cdr_field *f = v->fields; f->name; f++) {
        char name[128];
        env_name(v, f, name, sizeof(name));
        const char *value = getenv(name);
        if (f->role == CDR_ROLE_CREDENTIAL && !cdr_args_get(args, f->name) && value && *value &&
            cdr_args_add(args, f->name, value) != CDR_OK)
            return false;
    }
    return true;
}

/* Reads argv into f; false on a bad option or value (reason printed when getopt did not). */
static bool read_options(const struct table *t, int argc, char **argv, struct cli_fetch *f,
                         bool *help)
{
    int opt;
    bool ok = true;
    while (ok && (opt = getopt_long(argc, argv, "", t->longopts, NULL)) != -1) {
        if (opt < OPT_FIRST) {
            if (!cli_http_option(opt, optarg, &f->opts.http, &ok))
                ok = false; /* getopt said why */
            else if (!ok)
                fprintf(stderr, "cdrsim-client: --%s: \"%s\" is out of range\n",
                        opt == CLI_OPT_TIMEOUT   ? "timeout-ms"
                        : opt == CLI_OPT_RETRIES ? "retries"
                                                 : "max-wait-ms",
                        optarg);
            continue;
        }
        const struct slot *s = &t->slots[opt - OPT_FIRST];
        switch (s->kind) {
        case SLOT_BASE_URL:
            f->opts.base_url = optarg;
            break;
        case SLOT_PAGE_SIZE:
            if (!(ok = cli_parse_int(optarg, 1, f->vendor->paging.max_size, &f->page_size)))
                fprintf(stderr, "cdrsim-client: --page-size: \"%s\" is outside 1..%lld\n", optarg,
                        (long long)f->vendor->paging.max_size);
            break;
        case SLOT_RAW:
            f->raw = true;
            break;
        case SLOT_PROGRESS:
            f->progress = true;
            break;
        case SLOT_RECORDINGS:
            f->recordings_dir = optarg;
            break;
        case SLOT_HELP:
            *help = true;
            break;
        case SLOT_FIELD:
            ok = cdr_args_add(f->args, s->field->name, optarg) == CDR_OK;
            break;
        case SLOT_OWN:
            ok = cdr_args_add(f->own, s->own->name, optarg) == CDR_OK;
            break;
        }
    }
    if (ok && optind != argc) {
        fprintf(stderr, "cdrsim-client: unexpected argument \"%s\"\n", argv[optind]);
        ok = false;
    }
    return ok;
}

/* The library's verdict on the fields, its message naming the option. */
static bool check_fields(const struct cli_fetch *f)
{
    if (!f->opts.base_url) {
        fputs("cdrsim-client: --base-url: required\n", stderr);
        return false;
    }
    const struct cdr_field *bad;
    struct cdr_error_info err;
    if (cdr_vendor_check_args(f->vendor, f->args, &bad, &err) == CDR_OK)
        return true;
    /* The message starts with the field's name: say it as the option. */
    const char *rest = err.message;
    char option[OPT_NAME_MAX] = "";
    if (bad && strncmp(rest, bad->name, strlen(bad->name)) == 0) {
        kebab(bad->name, option, sizeof(option));
        rest += strlen(bad->name);
    }
    fprintf(stderr, "cdrsim-client: %s%s%s\n", option[0] ? "--" : "", option, rest);
    return false;
}

int cli_read_fetch(const struct cdr_vendor *v, int argc, char **argv, struct cli_fetch *f)
{
    const struct cli_vendor *own = cli_vendor_find(v->id);
    memset(f, 0, sizeof(*f));
    f->vendor = v;
    cdr_client_options_default(&f->opts);
    f->args = cdr_args_new();
    f->own = cdr_args_new();
    struct table t = {0};
    bool help = false;
    bool ok = f->args && f->own && build_table(v, own, &t);
    if (!ok)
        fputs("cdrsim-client: out of memory\n", stderr);
    ok = ok && read_options(&t, argc, argv, f, &help);
    table_free(&t);
    if (ok && help) {
        cli_fetch_help(v, stdout);
        cli_fetch_free(f);
        return -1;
    }
    ok = ok && add_environment(v, f->args) && check_fields(f) &&
         (!own || !own->check || own->check(f));
    if (!ok) {
        cli_fetch_usage(v, stderr);
        cli_fetch_free(f);
        return CLI_USAGE;
    }
    /* A recording's download reads the record's own object (Yunfu's user and task ids). */
    f->opts.skip_raw = !f->raw && !f->recordings_dir;
    return CLI_OK;
}

/* ---- usage and help -------------------------------------------------------------------------- */

/* The value's name in usage texts: the row's, a choice's names, or one for the kind. */
static const char *metavar(const struct cdr_field *f, char *buf, size_t len)
{
    if (f->metavar)
        return f->metavar;
    switch (f->kind) {
    case CDR_VALUE_CHOICE:
        buf[0] = '\0';
        for (size_t i = 0; f->names[i]; i++)
            snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? "|" : "", f->names[i]);
        return buf;
    case CDR_VALUE_INT:
    case CDR_VALUE_INT_LIST:
    case CDR_VALUE_INT64_LIST:
        return "N";
    case CDR_VALUE_TIME:
        return "T";
    case CDR_VALUE_RANGE_LIST:
        return "MIN:MAX";
    default:
        return "S";
    }
}

static bool repeatable(const struct cdr_field *f)
{
    return f->kind == CDR_VALUE_STRING_LIST || f->kind == CDR_VALUE_INT_LIST ||
           f->kind == CDR_VALUE_INT64_LIST || f->kind == CDR_VALUE_RANGE_LIST;
}

#define METAVAR_MAX 96
/* "--", the name, " ", the value and "..." always fit. */
#define SPELLING_MAX (OPT_NAME_MAX + METAVAR_MAX + 8)

/* "--name VALUE" (or "--name" for a flag) into out. */
static void spell(const struct cdr_field *f, char *out, size_t len)
{
    char name[OPT_NAME_MAX], value[METAVAR_MAX];
    kebab(f->name, name, sizeof(name));
    if (f->kind == CDR_VALUE_FLAG)
        snprintf(out, len, "--%s", name);
    else
        snprintf(out, len, "--%s %s%s", name, metavar(f, value, sizeof(value)),
                 repeatable(f) ? "..." : "");
}

static void required_options(const struct cdr_vendor *v, FILE *out)
{
    fputs(" --base-url URL", out);
    for (const struct cdr_field *f = v->fields; f->name; f++) {
        char text[SPELLING_MAX];
        spell(f, text, sizeof(text));
        if (f->flags & CDR_FIELD_REQUIRED)
            fprintf(out, " %s", text);
    }
    fputs(" [options]", out);
}

void cli_fetch_usage(const struct cdr_vendor *v, FILE *out)
{
    fprintf(out, "usage: cdrsim-client fetch %s", v->id);
    required_options(v, out);
    fprintf(out, "\n       cdrsim-client fetch %s --help lists every option\n", v->id);
}

void cli_fetch_summary(const struct cdr_vendor *v, FILE *out)
{
    fprintf(out, "  fetch %s", v->id);
    required_options(v, out);
    fputs("\n", out);
}

/* One option line: the option, then what it is, its bounds, its environment variable and how it
 * goes on the wire. */
static void field_line(const struct cdr_vendor *v, const struct cdr_field *f, FILE *out)
{
    char text[SPELLING_MAX], env[128];
    spell(f, text, sizeof(text));
    fprintf(out, "  %-34s %s", text, f->help ? f->help : "");
    if (f->flags & CDR_FIELD_REQUIRED)
        fputs("; required", out);
    bool bounded = (f->min || f->max) && f->kind != CDR_VALUE_TIME && f->kind != CDR_VALUE_CHOICE;
    if (bounded && f->max == INT64_MAX)
        fprintf(out, "; at least %lld", (long long)f->min);
    else if (bounded)
        fprintf(out, "; %lld..%lld", (long long)f->min, (long long)f->max);
    if (repeatable(f))
        fputs("; repeatable", out);
    if (f->role == CDR_ROLE_CREDENTIAL) {
        env_name(v, f, env, sizeof(env));
        fprintf(out, "; or $%s%s", env, f->flags & CDR_FIELD_SECRET ? " (keeps it out of ps)" : "");
    }
    fprintf(out, "\n  %-34s on the wire: %s%s%s\n", "", f->param ? f->param : "",
            f->param && f->wire ? ", " : "", f->wire ? f->wire : "");
}

void cli_fetch_help(const struct cdr_vendor *v, FILE *out)
{
    const struct cli_vendor *own = cli_vendor_find(v->id);
    cli_fetch_usage(v, out);
    fprintf(out, "\n%s (%s): %s", v->title, v->url,
            own && own->fetch_about ? own->fetch_about
                                    : "every record the query selects, as JSON lines");
    if (v->paging.max_range)
        fprintf(out, "; ranges longer than %lld days are split into windows",
                (long long)(v->paging.max_range / 86400));
    fputs(".\n", out);
    static const struct {
        enum cdr_field_role role;
        const char *title;
    } groups[] = {{CDR_ROLE_CREDENTIAL, "Credentials"},
                  {CDR_ROLE_OPTION, "Options"},
                  {CDR_ROLE_FILTER, "Filters"}};
    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
        bool any = false;
        for (const struct cdr_field *f = v->fields; f->name; f++) {
            if (f->role != groups[g].role)
                continue;
            if (!any && groups[g].role == CDR_ROLE_FILTER && v->filter_wire)
                fprintf(out, "\n%s (on the wire: %s):\n", groups[g].title, v->filter_wire);
            else if (!any)
                fprintf(out, "\n%s:\n", groups[g].title);
            any = true;
            field_line(v, f, out);
        }
    }
    if (own && own->options) {
        fputs("\nOf this vendor's command line:\n", out);
        for (const struct cli_option *o = own->options; o->name; o++) {
            char text[160];
            snprintf(text, sizeof(text), "--%s%s%s", o->name, o->metavar ? " " : "",
                     o->metavar ? o->metavar : "");
            fprintf(out, "  %-34s %s\n", text, o->help);
        }
    }
    fputs("\nOutput and transport:\n", out);
    fprintf(out, "  %-34s the API's base URL, e.g. %s\n", "--base-url URL", v->url);
    if (v->paging.paged)
        fprintf(out, "  %-34s records per request, 1..%lld (default %lld); on the wire: %s\n",
                "--page-size N", (long long)v->paging.max_size, (long long)v->paging.fetch_size,
                v->paging.size_param);
    fprintf(out, "  %-34s add the vendor's own record object as \"raw\"\n", "--raw");
    fprintf(out, "  %-34s %s\n", "--progress",
            "pages, windows and waits on stderr even when it is not a terminal (a line each)");
    if (cdr_vendor_has_call(v, "download"))
        fprintf(out, "  %-34s %s\n", "--recordings DIR",
                "save each record's audio in DIR as <record id>-<n>.<type> (DIR must exist; "
                "files already there are kept, so a rerun resumes)");
    fprintf(out, "  %-34s %s\n", "--timeout-ms N",
            "the whole transfer, 1..3600000 (default 30000)");
    fprintf(out, "  %-34s %s\n", "--retries N",
            "extra attempts after a failed read or a rate-limited answer, 0..10 (default 2)");
    fprintf(out, "  %-34s %s\n", "--max-wait-ms N",
            "the longest pause before a retry, 0..3600000 (default 60000); a longer Retry-After "
            "fails at once");
    fprintf(out, "  %-34s %s\n", "--insecure", "accept any TLS certificate");
    fprintf(out, "  %-34s %s\n", "--ca-file FILE", "trust this CA bundle too");
    fputs("\nTimes: RFC 3339, \"YYYY-MM-DD HH:MM:SS\" (UTC+8) or Unix seconds.\n", out);
}
