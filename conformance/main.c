/* cdrsim-conform: does an integration's view of a vendor API still hold? Runs declarative suites
 * through libcdrsim against the mock or a live endpoint and reports failures, shape drift and
 * departures from what we inferred where the vendor's pages are silent. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cdrsim/cdrsim.h"
#include "install_paths.h"
#include "runner.h"

/* The source and build trees' suites, fixtures and mock, for a runner run from the build tree; an
 * installed one uses those installed beside it (CDRSIM_BIN_TO_DATA, the same bin/). */
#ifndef CDRSIM_SUITES_DIR
#define CDRSIM_SUITES_DIR "conformance/suites"
#endif
#ifndef CDRSIM_DATA_DIR
#define CDRSIM_DATA_DIR "fixtures"
#endif
#ifndef CDRSIM_MOCK_BIN
#define CDRSIM_MOCK_BIN "cdrsim-mock"
#endif

enum { EXIT_PASS = 0, EXIT_FAILURES = 1, EXIT_USAGE = 2 };

/* The tags a scenario can carry; --tags and --skip-tags take only these. */
static const char *const known_tags[] = {"live-safe", "mock-only", "slow", NULL};

/* Where the defaults come from, for every command's help. */
static const char where_text[] =
    "  --suites DIR           the suites (default: share/cdrsim/suites beside an installed\n"
    "                         cdrsim-conform, else the source tree's conformance/suites)\n"
    "  --fixtures DIR         the schemas and the data the mock serves (default: $CDRSIM_DATA,\n"
    "                         else share/cdrsim/fixtures beside an installed cdrsim-conform, else\n"
    "                         the source tree's fixtures)\n"
    "  --mock-bin PATH        the cdrsim-mock to start (default: $CDRSIM_MOCK_BIN, else the one\n"
    "                         beside cdrsim-conform, else the build tree's)\n"
    "  --help                 this help\n";

static const char run_text[] =
    "usage: cdrsim-conform run --vendor V[,V...]|all --target mock|URL [options]\n"
    "  runs the vendors' scenarios against a mock it starts (mock) or a live endpoint (URL)\n\n"
    "run options:\n"
    "  --vendor V[,V...]|all  the vendors whose suites run\n"
    "  --target mock|URL      a mock started for the run, or the vendor's base URL\n"
    "  --credentials FILE     live targets: {\"<vendor>\": {\"field\": \"value\"}}; fields missing "
    "there\n"
    "                         come from CDRSIM_<VENDOR>_<FIELD> (e.g. CDRSIM_ITNIO_API_SECRET)\n"
    "  --from T --to T        live targets whose scenarios query a range: the range (RFC 3339 or\n"
    "                         \"YYYY-MM-DD HH:MM:SS\" in UTC+8)\n"
    "  --tags a,b             run scenarios carrying any of these tags (live-safe, mock-only, "
    "slow)\n"
    "  --skip-tags a,b        skip scenarios carrying any of these\n"
    "  --mock-variant V.N=X   start the mock with this variant (repeatable; mock target only)\n"
    "  --rate VENDOR=N        at most N calls a second to VENDOR (repeatable; default on a live\n"
    "                         target: the rate the vendor documents, if any)\n"
    "  --max-retries N        ask a call refused as rate limited again up to N times (default 3)\n"
    "  --suggest-config FILE  write the cdrsim-mock --config whose variants behave like the\n"
    "                         live vendor where it departs from our inference\n"
    "  --junit FILE           JUnit XML report (one testcase per scenario; - for stdout)\n"
    "  --json FILE            JSON report (- for stdout: the text report goes to stderr)\n"
    "  --require-evidence     every expectation must say whether it is documented or inferred\n"
    "  --insecure             accept any TLS certificate\n"
    "  --quiet                no progress line\n";

static const char list_text[] =
    "usage: cdrsim-conform list --vendor V[,V...]|all [--require-evidence] [--suites DIR]\n"
    "  lists the scenarios: vendor, id, tags, description\n\n"
    "list options:\n"
    "  --vendor V[,V...]|all  the vendors whose suites are listed\n"
    "  --require-evidence     every expectation must say whether it is documented or inferred\n";

static const char schema_text[] =
    "usage: cdrsim-conform schema --vendor V [--fixtures DIR]\n"
    "  prints the documented response shapes checked for V (FIXTURES/V/schema.json)\n\n"
    "schema options:\n"
    "  --vendor V             one vendor\n";

static const char exit_text[] =
    "\nExit status: 0 every scenario passed (departures from our inference pass), 1 failures or\n"
    "breaking drift, 2 usage or setup error.\n";

/* The help of one command, or of all of them (command NULL). */
static void usage_of(const char *command, FILE *out)
{
    bool all = !command || (strcmp(command, "run") != 0 && strcmp(command, "list") != 0 &&
                            strcmp(command, "schema") != 0);
    if (all)
        fputs("usage:\n"
              "  cdrsim-conform run --vendor V[,V...]|all --target mock|URL [options]\n"
              "  cdrsim-conform list --vendor V[,V...]|all [--require-evidence]\n"
              "  cdrsim-conform schema --vendor V\n"
              "  cdrsim-conform COMMAND --help     one command's options\n"
              "  cdrsim-conform --version\n\n",
              out);
    const char *const texts[][2] = {
        {"run", run_text}, {"list", list_text}, {"schema", schema_text}};
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        if (all || strcmp(command, texts[i][0]) == 0)
            fprintf(out, "%s%s", all && i ? "\n" : "", texts[i][1]);
    fputs("\nwhere things are (every command):\n", out);
    fputs(where_text, out);
    fputs(exit_text, out);
}

static void usage(FILE *out)
{
    usage_of(NULL, out);
}

/* Splits "a,b,c" into a NULL-free list of pointers into a copy. */
struct list {
    char *text;
    const char **items;
    size_t count;
};

static bool split(struct list *l, const char *csv)
{
    free(l->text);
    free(l->items);
    memset(l, 0, sizeof(*l));
    l->text = strdup(csv);
    l->items = calloc(strlen(csv) / 2 + 2, sizeof(*l->items));
    if (!l->text || !l->items)
        return false;
    for (char *tok = strtok(l->text, ","); tok; tok = strtok(NULL, ","))
        l->items[l->count++] = tok;
    return l->count > 0;
}

static void list_free(struct list *l)
{
    free(l->text);
    free(l->items);
}

/* "all" means every vendor with a driver. */
static bool vendors_from(struct list *l, const char *csv)
{
    if (strcmp(csv, "all") != 0)
        return split(l, csv);
    size_t n = 0;
    while (conform_drivers[n])
        n++;
    l->text = NULL;
    l->items = calloc(n + 1, sizeof(*l->items));
    for (size_t i = 0; l->items && i < n; i++)
        l->items[l->count++] = conform_drivers[i]->vendor;
    return l->items && l->count > 0;
}

/* Every tag of a --tags / --skip-tags list is one a scenario can carry. */
static bool tags_known(const struct list *l, const char *option)
{
    for (size_t i = 0; i < l->count; i++) {
        bool found = false;
        for (const char *const *t = known_tags; *t; t++)
            found = found || strcmp(*t, l->items[i]) == 0;
        if (!found) {
            fprintf(stderr, "cdrsim-conform: %s: unknown tag '%s' (live-safe, mock-only, slow)\n",
                    option, l->items[i]);
            return false;
        }
    }
    return true;
}

/* VENDOR=N with a vendor the runner drives and N a rate above 0. */
static bool rate_valid(const char *spec)
{
    const char *eq = strchr(spec, '=');
    char vendor[64];
    snprintf(vendor, sizeof(vendor), "%.*s", (int)(eq ? eq - spec : 0), spec);
    char *end = NULL;
    double rate = eq ? strtod(eq + 1, &end) : 0;
    if (!eq || !conform_driver_find(vendor) || end == eq + 1 || *end || !(rate > 0)) {
        fprintf(stderr, "cdrsim-conform: --rate takes VENDOR=N, N calls a second above 0: '%s'\n",
                spec);
        return false;
    }
    return true;
}

static int cmd_schema(const char *vendor, const char *fixtures)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s/schema.json", fixtures, vendor);
    struct conform_schema schema;
    char err[512];
    if (!conform_schema_load(&schema, path, err, sizeof(err))) {
        fprintf(stderr, "cdrsim-conform: %s\n", err);
        return EXIT_USAGE;
    }
    char *text = cJSON_Print(schema.doc);
    if (text)
        puts(text);
    free(text);
    conform_schema_free(&schema);
    return text ? EXIT_PASS : EXIT_USAGE;
}

static int cmd_list(const struct list *vendors, const char *suites, unsigned flags)
{
    for (size_t v = 0; v < vendors->count; v++) {
        char path[4096], err[512];
        snprintf(path, sizeof(path), "%s/%s.json", suites, vendors->items[v]);
        struct conform_suite suite;
        if (!conform_suite_load_with(&suite, path, flags, err, sizeof(err))) {
            fprintf(stderr, "cdrsim-conform: %s\n", err);
            return EXIT_USAGE;
        }
        for (size_t i = 0; i < suite.scenario_count; i++) {
            const struct conform_scenario *sc = &suite.scenarios[i];
            printf("%-8s %-40s [", suite.vendor, sc->id);
            for (size_t t = 0; t < sc->tag_count; t++)
                printf("%s%s", t ? "," : "", sc->tags[t]);
            printf("] %s\n", sc->description);
        }
        conform_suite_free(&suite);
    }
    return EXIT_PASS;
}

/* The environment variable's value when set and not empty, otherwise fallback. */
static const char *env_or(const char *name, const char *fallback)
{
    const char *value = getenv(name);
    return value && *value ? value : fallback;
}

/* Where the results go as they come: the text report's stream. */
static void stream_outcome(void *user, const struct conform_outcome *o)
{
    FILE *out = user;
    conform_report_text_outcome(o, out);
    fflush(out);
}

struct reports {
    const char *junit, *json, *suggest_config;
};

/* Runs, reports, and says how it went. */
static int cmd_run(struct conform_options *o, const struct reports *r)
{
    /* A report on stdout has stdout to itself: the text report moves to stderr. */
    bool stdout_taken =
        (r->json && strcmp(r->json, "-") == 0) || (r->junit && strcmp(r->junit, "-") == 0);
    FILE *text = stdout_taken ? stderr : stdout;
    /* On a terminal a progress line shows the scenario running and the report comes at the end;
     * elsewhere (CI logs, pipes) each result is written as soon as it is known. */
    bool stream = !isatty(fileno(text));
    if (stream) {
        o->on_outcome = stream_outcome;
        o->on_outcome_user = text;
    }
    struct conform_run run;
    char err[1024] = "";
    int status = EXIT_USAGE;
    if (!conform_run_all(o, &run, err, sizeof(err))) {
        fprintf(stderr, "cdrsim-conform: %s\n", err);
        conform_run_free(&run);
        return EXIT_USAGE;
    }
    if (stream)
        conform_report_text_summary(&run, text);
    else
        conform_report_text(&run, text);
    size_t counts[4], breaking, additive;
    conform_run_counts(&run, counts, &breaking, &additive);
    status = counts[CONFORM_FAILED] + counts[CONFORM_ERROR] ? EXIT_FAILURES : EXIT_PASS;
    const struct {
        const char *path;
        bool (*write)(const struct conform_run *, const char *);
    } outputs[] = {{r->junit, conform_report_junit},
                   {r->json, conform_report_json},
                   {r->suggest_config, conform_write_suggested_config}};
    for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++)
        if (outputs[i].path && !outputs[i].write(&run, outputs[i].path)) {
            fprintf(stderr, "cdrsim-conform: cannot write %s\n", outputs[i].path);
            status = EXIT_USAGE;
        }
    conform_run_free(&run);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_PASS;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("cdrsim-conform %s\n", CDRSIM_VERSION);
        return EXIT_PASS;
    }
    const char *command = argv[1];
    enum {
        O_VENDOR = 1000,
        O_TARGET,
        O_CREDS,
        O_FROM,
        O_TO,
        O_TAGS,
        O_SKIP,
        O_VARIANT,
        O_RATE,
        O_MAX_RETRIES,
        O_SUGGEST,
        O_JUNIT,
        O_JSON,
        O_REQUIRE_EVIDENCE,
        O_INSECURE,
        O_QUIET,
        O_SUITES,
        O_FIXTURES,
        O_MOCK_BIN,
        O_HELP
    };
    static const struct option longopts[] = {
        {"vendor", required_argument, NULL, O_VENDOR},
        {"target", required_argument, NULL, O_TARGET},
        {"credentials", required_argument, NULL, O_CREDS},
        {"from", required_argument, NULL, O_FROM},
        {"to", required_argument, NULL, O_TO},
        {"tags", required_argument, NULL, O_TAGS},
        {"skip-tags", required_argument, NULL, O_SKIP},
        {"mock-variant", required_argument, NULL, O_VARIANT},
        {"rate", required_argument, NULL, O_RATE},
        {"max-retries", required_argument, NULL, O_MAX_RETRIES},
        {"suggest-config", required_argument, NULL, O_SUGGEST},
        {"junit", required_argument, NULL, O_JUNIT},
        {"json", required_argument, NULL, O_JSON},
        {"require-evidence", no_argument, NULL, O_REQUIRE_EVIDENCE},
        {"insecure", no_argument, NULL, O_INSECURE},
        {"quiet", no_argument, NULL, O_QUIET},
        {"suites", required_argument, NULL, O_SUITES},
        {"fixtures", required_argument, NULL, O_FIXTURES},
        {"mock-bin", required_argument, NULL, O_MOCK_BIN},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0},
    };
    struct conform_options o = {0};
    struct reports reports = {0};
    struct list vendors = {0}, tags = {0}, skip = {0};
    const char **variants = calloc((size_t)argc, sizeof(*variants));
    const char **rates = calloc((size_t)argc, sizeof(*rates));
    const char *from = NULL, *to = NULL, *vendor_arg = NULL;
    bool quiet = false, help = false, ok = variants && rates;
    /* Defaults: beside the installed program, else the build tree's; the environment, then the
     * flags, override them. */
    char *default_suites = install_data_path(CDRSIM_BIN_TO_DATA, "suites", CDRSIM_SUITES_DIR);
    char *default_fixtures = install_data_path(CDRSIM_BIN_TO_DATA, "fixtures", CDRSIM_DATA_DIR);
    char *default_mock = install_sibling_program("cdrsim-mock", CDRSIM_MOCK_BIN);
    ok = ok && default_suites && default_fixtures && default_mock;
    o.suites_dir = default_suites;
    o.fixtures_dir = env_or("CDRSIM_DATA", default_fixtures);
    o.mock_bin = env_or("CDRSIM_MOCK_BIN", default_mock);
    o.max_retries = 3;
    o.load_flags = CONFORM_LOAD_DEFAULT;
    int opt;
    optind = 2;
    while (ok && (opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        char *end = NULL;
        switch (opt) {
        case O_VENDOR:
            vendor_arg = optarg;
            break;
        case O_TARGET:
            o.target = optarg;
            break;
        case O_CREDS:
            o.credentials_file = optarg;
            break;
        case O_FROM:
            from = optarg;
            break;
        case O_TO:
            to = optarg;
            break;
        case O_TAGS:
            ok = split(&tags, optarg) && tags_known(&tags, "--tags");
            break;
        case O_SKIP:
            ok = split(&skip, optarg) && tags_known(&skip, "--skip-tags");
            break;
        case O_VARIANT:
            variants[o.mock_variant_count++] = optarg;
            break;
        case O_RATE:
            ok = rate_valid(optarg);
            rates[o.rate_count++] = optarg;
            break;
        case O_MAX_RETRIES:
            o.max_retries = (int)strtol(optarg, &end, 10);
            ok = end != optarg && !*end && o.max_retries >= 0 && o.max_retries <= 100;
            if (!ok)
                fprintf(stderr, "cdrsim-conform: --max-retries takes 0 to 100\n");
            break;
        case O_SUGGEST:
            reports.suggest_config = optarg;
            break;
        case O_JUNIT:
            reports.junit = optarg;
            break;
        case O_JSON:
            reports.json = optarg;
            break;
        case O_REQUIRE_EVIDENCE:
            o.load_flags |= CONFORM_LOAD_REQUIRE_EVIDENCE;
            break;
        case O_INSECURE:
            o.insecure = true;
            break;
        case O_QUIET:
            quiet = true;
            break;
        case O_SUITES:
            o.suites_dir = optarg;
            break;
        case O_FIXTURES:
            o.fixtures_dir = optarg;
            break;
        case O_MOCK_BIN:
            o.mock_bin = optarg;
            break;
        case O_HELP:
            help = true;
            break;
        default:
            ok = false;
            break;
        }
    }
    int status = EXIT_USAGE;
    if (ok && help) {
        usage_of(command, stdout);
        status = EXIT_PASS;
    } else if (!ok || optind != argc || !vendor_arg || !vendors_from(&vendors, vendor_arg)) {
        usage_of(command, stderr);
    } else if (strcmp(command, "schema") == 0) {
        status = vendors.count == 1 ? cmd_schema(vendors.items[0], o.fixtures_dir) : EXIT_USAGE;
        if (vendors.count != 1)
            fprintf(stderr, "cdrsim-conform: schema takes one vendor\n");
    } else if (strcmp(command, "list") == 0) {
        status = cmd_list(&vendors, o.suites_dir, o.load_flags);
    } else if (strcmp(command, "run") != 0) {
        fprintf(stderr, "cdrsim-conform: unknown command '%s'\n", command);
    } else if (!o.target) {
        fprintf(stderr, "cdrsim-conform: run needs --target mock or --target URL\n");
    } else if ((from || to) &&
               (!from || !to || !cdr_time_parse_any(from, CDR_CHINA_OFFSET_SECONDS, &o.from) ||
                !cdr_time_parse_any(to, CDR_CHINA_OFFSET_SECONDS, &o.to) || o.from > o.to)) {
        fprintf(stderr,
                "cdrsim-conform: --from and --to take two times, the first not after the second\n");
    } else if (reports.json && reports.junit && strcmp(reports.json, "-") == 0 &&
               strcmp(reports.junit, "-") == 0) {
        fprintf(stderr, "cdrsim-conform: --json and --junit cannot both go to stdout\n");
    } else {
        o.has_range = from != NULL;
        o.vendors = vendors.items;
        o.vendor_count = vendors.count;
        o.tags = tags.items;
        o.tag_count = tags.count;
        o.skip_tags = skip.items;
        o.skip_tag_count = skip.count;
        o.mock_variants = variants;
        o.rates = rates;
        o.progress = !quiet && isatty(STDERR_FILENO);
        status = cmd_run(&o, &reports);
    }
    list_free(&vendors);
    list_free(&tags);
    list_free(&skip);
    free(variants);
    free(rates);
    free(default_suites);
    free(default_fixtures);
    free(default_mock);
    return status;
}
