/* cdrsim-conform: does an integration's view of a vendor API still hold? Runs declarative suites
 * through libcdrsim against the mock or a live endpoint and reports failures and shape drift. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cdrsim/cdrsim.h"
#include "runner.h"

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

static void usage(FILE *out)
{
    fputs(
        "usage:\n"
        "  cdrsim-conform run --vendor V[,V...]|all --target mock|URL [options]\n"
        "  cdrsim-conform schema --vendor V      print the documented response shapes checked for "
        "V\n"
        "  cdrsim-conform list --vendor V[,V...]|all   list the scenarios\n\n"
        "run options:\n"
        "  --credentials FILE     live targets: {\"<vendor>\": {\"field\": \"value\"}}; fields "
        "missing there\n"
        "                         come from CDRSIM_<VENDOR>_<FIELD> (e.g. "
        "CDRSIM_ITNIO_API_SECRET)\n"
        "  --from T --to T        live targets: the range the suites query (RFC 3339 or\n"
        "                         \"YYYY-MM-DD HH:MM:SS\" in UTC+8)\n"
        "  --tags a,b             run scenarios carrying any of these tags (live-safe, mock-only, "
        "slow)\n"
        "  --skip-tags a,b        skip scenarios carrying any of these\n"
        "  --mock-variant V.N=X   start the mock with this variant (repeatable; mock target only)\n"
        "  --junit FILE           JUnit XML report (one testcase per scenario)\n"
        "  --json FILE            JSON report\n"
        "  --insecure             accept any TLS certificate\n"
        "  --quiet                no progress line\n"
        "  --suites DIR, --fixtures DIR, --mock-bin PATH   where suites, schemas and cdrsim-mock "
        "are\n\n"
        "Exit status: 0 every scenario passed, 1 failures or breaking drift, 2 usage or setup "
        "error.\n",
        out);
}

/* Splits "a,b,c" into a NULL-free list of pointers into a copy. */
struct list {
    char *text;
    const char **items;
    size_t count;
};

static bool split(struct list *l, const char *csv)
{
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

static int cmd_list(const struct list *vendors, const char *suites)
{
    for (size_t v = 0; v < vendors->count; v++) {
        char path[4096], err[512];
        snprintf(path, sizeof(path), "%s/%s.json", suites, vendors->items[v]);
        struct conform_suite suite;
        if (!conform_suite_load(&suite, path, err, sizeof(err))) {
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
        O_JUNIT,
        O_JSON,
        O_INSECURE,
        O_QUIET,
        O_SUITES,
        O_FIXTURES,
        O_MOCK_BIN
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
        {"junit", required_argument, NULL, O_JUNIT},
        {"json", required_argument, NULL, O_JSON},
        {"insecure", no_argument, NULL, O_INSECURE},
        {"quiet", no_argument, NULL, O_QUIET},
        {"suites", required_argument, NULL, O_SUITES},
        {"fixtures", required_argument, NULL, O_FIXTURES},
        {"mock-bin", required_argument, NULL, O_MOCK_BIN},
        {NULL, 0, NULL, 0},
    };
    struct conform_options o = {0};
    struct list vendors = {0}, tags = {0}, skip = {0};
    const char **variants = calloc((size_t)argc, sizeof(*variants));
    const char *junit = NULL, *json = NULL, *from = NULL, *to = NULL, *vendor_arg = NULL;
    bool quiet = false, ok = variants != NULL;
    o.suites_dir = CDRSIM_SUITES_DIR;
    o.fixtures_dir = CDRSIM_DATA_DIR;
    o.mock_bin = getenv("CDRSIM_MOCK_BIN") ? getenv("CDRSIM_MOCK_BIN") : CDRSIM_MOCK_BIN;
    int opt;
    optind = 2;
    while (ok && (opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
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
            ok = split(&tags, optarg);
            break;
        case O_SKIP:
            ok = split(&skip, optarg);
            break;
        case O_VARIANT:
            variants[o.mock_variant_count++] = optarg;
            break;
        case O_JUNIT:
            junit = optarg;
            break;
        case O_JSON:
            json = optarg;
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
        default:
            ok = false;
            break;
        }
    }
    int status = EXIT_USAGE;
    if (!ok || optind != argc || !vendor_arg || !vendors_from(&vendors, vendor_arg)) {
        usage(stderr);
    } else if (strcmp(command, "schema") == 0) {
        status = vendors.count == 1 ? cmd_schema(vendors.items[0], o.fixtures_dir) : EXIT_USAGE;
        if (vendors.count != 1)
            fprintf(stderr, "cdrsim-conform: schema takes one vendor\n");
    } else if (strcmp(command, "list") == 0) {
        status = cmd_list(&vendors, o.suites_dir);
    } else if (strcmp(command, "run") != 0) {
        fprintf(stderr, "cdrsim-conform: unknown command '%s'\n", command);
    } else if (!o.target) {
        fprintf(stderr, "cdrsim-conform: run needs --target mock or --target URL\n");
    } else if ((from || to) &&
               (!from || !to || !cdr_time_parse_any(from, CDR_CHINA_OFFSET_SECONDS, &o.from) ||
                !cdr_time_parse_any(to, CDR_CHINA_OFFSET_SECONDS, &o.to) || o.from > o.to)) {
        fprintf(stderr,
                "cdrsim-conform: --from and --to take two times, the first not after the second\n");
    } else {
        o.has_range = from != NULL;
        o.vendors = vendors.items;
        o.vendor_count = vendors.count;
        o.tags = tags.items;
        o.tag_count = tags.count;
        o.skip_tags = skip.items;
        o.skip_tag_count = skip.count;
        o.mock_variants = variants;
        o.progress = !quiet && isatty(STDERR_FILENO);
        struct conform_run run;
        char err[1024] = "";
        if (!conform_run_all(&o, &run, err, sizeof(err))) {
            fprintf(stderr, "cdrsim-conform: %s\n", err);
        } else {
            conform_report_text(&run, stdout);
            size_t counts[4], breaking, additive;
            conform_run_counts(&run, counts, &breaking, &additive);
            status = counts[CONFORM_FAILED] + counts[CONFORM_ERROR] ? EXIT_FAILURES : EXIT_PASS;
            if (junit && !conform_report_junit(&run, junit)) {
                fprintf(stderr, "cdrsim-conform: cannot write %s\n", junit);
                status = EXIT_USAGE;
            }
            if (json && !conform_report_json(&run, json)) {
                fprintf(stderr, "cdrsim-conform: cannot write %s\n", json);
                status = EXIT_USAGE;
            }
        }
        conform_run_free(&run);
    }
    list_free(&vendors);
    list_free(&tags);
    list_free(&skip);
    free(variants);
    return status;
}
