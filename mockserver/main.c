/* cdrsim-mock: parses flags, loads the world, serves it until SIGINT/SIGTERM. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"
#include "install_paths.h"
#include "push.h"
#include "server.h"
#include "cdrsim/timefmt.h"
#include "cdrsim/version.h"

/* The source tree's fixtures, for a mock run from the build tree; an installed one reads the data
 * installed beside it (CDRSIM_BIN_TO_DATA). */
#ifndef CDRSIM_DATA_DIR
#define CDRSIM_DATA_DIR "fixtures"
#endif
#ifndef CDRSIM_OPENAPI_DIR
#define CDRSIM_OPENAPI_DIR "docs/openapi"
#endif

/* The fixtures root when neither --data nor $CDRSIM_DATA names one (caller frees). */
static char *default_data_dir(void)
{
    return install_data_path(CDRSIM_BIN_TO_DATA, "fixtures", CDRSIM_DATA_DIR);
}

/* The OpenAPI documents: beside the fixtures root as installed (share/cdrsim/{fixtures,openapi}),
 * so a --data or $CDRSIM_DATA pointing into an installed tree finds them too; else the installed
 * tree's next to the program, else the source tree's (caller frees). */
static char *openapi_dir(const char *data_dir)
{
    size_t len = strlen(data_dir) + sizeof("/../openapi");
    char *beside = malloc(len);
    struct stat st;
    if (beside) {
        snprintf(beside, len, "%s/../openapi", data_dir);
        if (stat(beside, &st) == 0 && S_ISDIR(st.st_mode))
            return beside;
    }
    free(beside);
    return install_data_path(CDRSIM_BIN_TO_DATA, "openapi", CDRSIM_OPENAPI_DIR);
}

static void usage(FILE *out)
{
    char *data_dir = default_data_dir();
    fprintf(
        out,
        "usage: cdrsim-mock [options]\n"
        "  --bind ADDR            address to listen on (default 127.0.0.1)\n"
        "  --port N               port (default 8080; 0 = ephemeral)\n"
        "  --data DIR             fixtures root (default %s, or $CDRSIM_DATA)\n"
        "  --config FILE          JSON settings: {\"<vendor>\": {\"credentials\": [...], "
        "\"variants\": {...}}}\n"
        "  --clock RFC3339        start the mock's clock at this instant; it then runs in real "
        "time\n"
        "  --variant V.NAME=VAL   switch a vendor behaviour (repeatable; see below)\n"
        "  --generate V=N         replace vendor V's fixture records with N generated ones\n"
        "  --seed S               seed for generated data (default 1) and for server-made ids\n"
        "                         (Guids, RequestIds; without --seed they differ on every start)\n"
        "  --journal N            keep the last N requests for /__cdrsim/requests (default\n"
        "                         10000; 0 = no journal)\n"
        "  --admin on|off         serve the admin API under /__cdrsim/ (default on)\n"
        "  --admin-token T        admin calls need Authorization: Bearer T\n"
        "  --log-format FMT       text, json or off (default text), one line per request on "
        "stderr\n"
        "  --tls-cert FILE        serve HTTPS with this PEM certificate (with --tls-key)\n"
        "  --tls-key FILE         PEM private key for --tls-cert\n"
        "  --tls-priorities STR   GnuTLS priority string (default: TLS 1.2 and 1.3 only)\n"
        "  --threads N            worker threads (default: one per core)\n"
        "  --max-connections N    open connections at once (default 16384, within ulimit -n)\n"
        "  --header-timeout-ms MS a new connection's request headers must be complete within "
        "MS (default 10000)\n"
        "  --idle-timeout S       close connections idle for S seconds; a kept-alive one must "
        "send its\n"
        "                         next request's headers within S (default 30)\n"
        "  --fault JSON           a fault rule as POST /__cdrsim/faults takes it (repeatable;\n"
        "                         also --config {\"faults\": [...]}); a reset restores them\n"
        "  --dump-records V       print vendor V's loaded dataset as JSON and exit\n"
        "  --help, --version\n\n"
        "Variants:\n",
        data_dir ? data_dir : CDRSIM_DATA_DIR);
    free(data_dir);
    for (const struct mock_vendor_sim *const *v = mock_vendors; *v; v++)
        for (const struct mock_variant_spec *s = (*v)->variants; s && s->name; s++)
            fprintf(out, "  %s.%s=%s (default %s): %s\n", (*v)->id, s->name,
                    s->choices ? s->choices : "VALUE", s->default_value, s->help);
    fputs("  V.drift=OPS (every vendor): rewrite V's JSON answers to simulate API drift, OPS "
          "separated by ';':\n"
          "      rename:PATH>NEW  stringify:PATH  add:PATH=JSON  drop:PATH  set:PATH=JSON\n"
          "      PATH like data.records[].callType ('[]' walks an array)\n",
          out);
    fputs("\nAdmin: GET /__cdrsim/health, POST /__cdrsim/reset, GET|PUT /__cdrsim/clock,\n"
          "  GET|PUT /__cdrsim/variants, GET|DELETE /__cdrsim/requests, POST "
          "/__cdrsim/requests/count,\n"
          "  GET|POST|DELETE /__cdrsim/VENDOR/records, GET /__cdrsim/VENDOR/records/count,\n"
          "  GET|POST|DELETE /__cdrsim/faults[/ID],\n"
          "  GET|PUT|DELETE /__cdrsim/VENDOR/push (webhook target for records added at run time;\n"
          "  also --config {\"VENDOR\": {\"push_url\": \"http://...\"}})\n"
          "  (writes refuse cross-origin and form or text/plain requests: send JSON)\n",
          out);
}

/* Whether addr is a loopback address: only processes on this machine can connect. */
static bool loopback(const char *addr)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, addr, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    return inet_pton(AF_INET6, addr, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}

/* Anyone who can reach a non-loopback address can drive the admin API: say so at start. */
static void warn_if_exposed(const struct mock_config *cfg, FILE *out)
{
    const char *bind = cfg->bind ? cfg->bind : "127.0.0.1";
    if (loopback(bind))
        return;
    if (!cfg->admin_enabled)
        fprintf(out,
                "cdrsim-mock: warning: binding %s, not loopback: anyone who can reach "
                "it can call the simulated vendors\n",
                bind);
    else if (cfg->admin_token)
        fprintf(out,
                "cdrsim-mock: warning: binding %s, not loopback: the admin API under "
                "/__cdrsim/ is reachable from other machines, guarded by --admin-token\n",
                bind);
    else
        fprintf(out,
                "cdrsim-mock: warning: binding %s, not loopback: anyone who can reach it can "
                "use the admin API under /__cdrsim/ (reset, clock, records, variants, the request "
                "journal); add --admin-token T or --admin off\n",
                bind);
}

static char *dup_or_die(const char *s)
{
    char *copy = strdup(s);
    if (!copy) {
        perror("cdrsim-mock");
        exit(2);
    }
    return copy;
}

enum {
    O_BIND = 1000,
    O_PORT,
    O_DATA,
    O_CONFIG,
    O_CLOCK,
    O_VARIANT,
    O_GENERATE,
    O_SEED,
    O_LOG,
    O_CERT,
    O_KEY,
    O_DUMP,
    O_JOURNAL,
    O_ADMIN,
    O_ADMIN_TOKEN,
    O_TLS_PRIORITIES,
    O_THREADS,
    O_MAX_CONNECTIONS,
    O_HEADER_TIMEOUT,
    O_IDLE_TIMEOUT,
    O_FAULT,
    O_HELP,
    O_VERSION
};

static const struct option longopts[] = {
    {"bind", required_argument, NULL, O_BIND},
    {"port", required_argument, NULL, O_PORT},
    {"data", required_argument, NULL, O_DATA},
    {"config", required_argument, NULL, O_CONFIG},
    {"clock", required_argument, NULL, O_CLOCK},
    {"variant", required_argument, NULL, O_VARIANT},
    {"generate", required_argument, NULL, O_GENERATE},
    {"seed", required_argument, NULL, O_SEED},
    {"log-format", required_argument, NULL, O_LOG},
    {"tls-cert", required_argument, NULL, O_CERT},
    {"tls-key", required_argument, NULL, O_KEY},
    {"dump-records", required_argument, NULL, O_DUMP},
    {"journal", required_argument, NULL, O_JOURNAL},
    {"admin", required_argument, NULL, O_ADMIN},
    {"admin-token", required_argument, NULL, O_ADMIN_TOKEN},
    {"tls-priorities", required_argument, NULL, O_TLS_PRIORITIES},
    {"threads", required_argument, NULL, O_THREADS},
    {"max-connections", required_argument, NULL, O_MAX_CONNECTIONS},
    {"header-timeout-ms", required_argument, NULL, O_HEADER_TIMEOUT},
    {"idle-timeout", required_argument, NULL, O_IDLE_TIMEOUT},
    {"fault", required_argument, NULL, O_FAULT},
    {"help", no_argument, NULL, O_HELP},
    {"version", no_argument, NULL, O_VERSION},
    {NULL, 0, NULL, 0},
};

/* What the flags say beyond the configuration itself. */
struct flags {
    const char *config_file;
    const char *dump;
    const char **variants; /* --variant specs, applied after the --config file */
    size_t variant_count;
    const char **faults; /* --fault rules, added after the --config file's */
    size_t fault_count;
};

/* A count from min to max, as the HTTP layer's settings take them. */
static bool parse_count(const char *text, unsigned min, unsigned max, unsigned *out)
{
    unsigned long long n;
    if (!mock_parse_unsigned(text, max, &n) || n < min)
        return false;
    *out = (unsigned)n;
    return true;
}

/* Descriptors the process needs besides its connections: the listening socket, the workers'
 * epoll and wake-up descriptors, data files read during a reset, the standard streams. */
#define RESERVED_FDS 64

/* Every connection is a descriptor: raise the soft limit to the hard one, and hold fewer
 * connections (saying so) when even that is too low. */
static void fit_connections_to_fd_limit(struct mock_config *cfg)
{
    struct rlimit lim;
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0)
        return;
    if (lim.rlim_cur < lim.rlim_max) {
        rlim_t soft = lim.rlim_cur;
        lim.rlim_cur = lim.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &lim) != 0)
            lim.rlim_cur = soft;
    }
    rlim_t wanted = (rlim_t)cfg->http.max_connections + RESERVED_FDS;
    if (lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur >= wanted)
        return;
    unsigned fit = lim.rlim_cur > 2 * RESERVED_FDS ? (unsigned)(lim.rlim_cur - RESERVED_FDS)
                                                   : (unsigned)(lim.rlim_cur / 2);
    fprintf(stderr,
            "cdrsim-mock: warning: the open-file limit is %llu (ulimit -n; hard limit %llu): "
            "serving at most %u connections instead of %u\n",
            (unsigned long long)lim.rlim_cur, (unsigned long long)lim.rlim_max, fit,
            cfg->http.max_connections);
    cfg->http.max_connections = fit ? fit : 1;
}

/* The HTTP layer's view of the server. */
static void serve(void *server, const struct mock_request *req, struct mock_response *resp)
{
    mock_server_handle(server, req, resp);
}

/* The exit status of a refused flag, after saying why. */
static int refuse(const char *why)
{
    fprintf(stderr, "cdrsim-mock: %s\n", why);
    return 2;
}

/* One flag into cfg or f; -1 to go on, else the exit status. */
static int apply_flag(int opt, const char *arg, struct mock_config *cfg, struct flags *f)
{
    unsigned long long n;
    switch (opt) {
    case O_BIND:
        free(cfg->bind);
        cfg->bind = dup_or_die(arg);
        return -1;
    case O_PORT:
        if (!mock_parse_unsigned(arg, 65535, &n))
            return refuse("--port takes 0..65535");
        cfg->port = (int)n;
        return -1;
    case O_DATA:
        free(cfg->data_dir);
        cfg->data_dir = dup_or_die(arg);
        return -1;
    case O_CONFIG:
        f->config_file = arg;
        return -1;
    case O_CLOCK:
        if (!cdr_time_parse_rfc3339_ms(arg, &cfg->clock_start_ms))
            return refuse("--clock takes RFC 3339 with a zone, e.g. 2021-09-01T04:00:00Z");
        cfg->clock_given = true;
        return -1;
    case O_VARIANT:
        f->variants[f->variant_count++] = arg;
        return -1;
    case O_FAULT:
        f->faults[f->fault_count++] = arg;
        return -1;
    case O_GENERATE:
        if (!mock_config_add_generate(cfg, arg))
            return refuse("--generate takes VENDOR=N (N up to 50000000)");
        return -1;
    case O_SEED:
        if (!mock_parse_unsigned(arg, UINT64_MAX, &n))
            return refuse("--seed takes an unsigned integer");
        cfg->seed = n;
        cfg->seed_given = true;
        return -1;
    case O_JOURNAL:
        if (!mock_parse_unsigned(arg, 10000000, &n))
            return refuse("--journal takes 0..10000000 requests");
        cfg->journal_capacity = (size_t)n;
        return -1;
    case O_ADMIN:
        if (strcmp(arg, "on") != 0 && strcmp(arg, "off") != 0)
            return refuse("--admin takes on or off");
        cfg->admin_enabled = strcmp(arg, "on") == 0;
        return -1;
    case O_ADMIN_TOKEN:
        if (!*arg)
            return refuse("--admin-token needs a non-empty token");
        free(cfg->admin_token);
        cfg->admin_token = dup_or_die(arg);
        return -1;
    case O_LOG:
        if (strcmp(arg, "text") == 0)
            cfg->log_format = MOCK_LOG_TEXT;
        else if (strcmp(arg, "json") == 0)
            cfg->log_format = MOCK_LOG_JSON;
        else if (strcmp(arg, "off") == 0)
            cfg->log_format = MOCK_LOG_OFF;
        else
            return refuse("--log-format takes text, json or off");
        return -1;
    case O_CERT:
        free(cfg->tls_cert_file);
        cfg->tls_cert_file = dup_or_die(arg);
        return -1;
    case O_KEY:
        free(cfg->tls_key_file);
        cfg->tls_key_file = dup_or_die(arg);
        return -1;
    case O_DUMP:
        f->dump = arg;
        return -1;
    case O_TLS_PRIORITIES:
        free(cfg->http.tls_priorities);
        cfg->http.tls_priorities = dup_or_die(arg);
        return -1;
    case O_THREADS:
        if (!parse_count(arg, 1, 1024, &cfg->http.threads))
            return refuse("--threads takes 1..1024");
        return -1;
    case O_MAX_CONNECTIONS:
        if (!parse_count(arg, 1, 1000000, &cfg->http.max_connections))
            return refuse("--max-connections takes 1..1000000");
        return -1;
    case O_HEADER_TIMEOUT:
        if (!parse_count(arg, 1, 3600000, &cfg->http.header_timeout_ms))
            return refuse("--header-timeout-ms takes 1..3600000");
        return -1;
    case O_IDLE_TIMEOUT:
        if (!parse_count(arg, 1, 86400, &cfg->connection_timeout_s))
            return refuse("--idle-timeout takes 1..86400 seconds");
        return -1;
    case O_HELP:
        usage(stdout);
        return 0;
    case O_VERSION:
        printf("cdrsim-mock %s\n", CDRSIM_VERSION);
        return 0;
    default:
        usage(stderr);
        return 2;
    }
}

/* The whole configuration: flags, then the --config file, then --variant flags over it. -1 to go
 * on (*dump set for --dump-records), else the exit status; cfg is the caller's to free either
 * way. */
static int configure(int argc, char **argv, struct mock_config *cfg, const char **dump)
{
    struct flags f = {.variants = calloc((size_t)argc, sizeof(*f.variants)),
                      .faults = calloc((size_t)argc, sizeof(*f.faults))};
    if (!f.variants || !f.faults) {
        free(f.variants);
        free(f.faults);
        return refuse("out of memory");
    }
    int status = -1, opt;
    while (status < 0 && (opt = getopt_long(argc, argv, "", longopts, NULL)) != -1)
        status = apply_flag(opt, optarg, cfg, &f);
    if (status < 0 && optind != argc) {
        fprintf(stderr, "cdrsim-mock: unexpected argument '%s'\n", argv[optind]);
        status = 2;
    }
    if (status < 0 && !cfg->data_dir) {
        const char *env = getenv("CDRSIM_DATA");
        cfg->data_dir = env && *env ? dup_or_die(env) : default_data_dir();
        if (!cfg->data_dir)
            status = refuse("out of memory");
    }
    if (status < 0 && !(cfg->openapi_dir = openapi_dir(cfg->data_dir)))
        status = refuse("out of memory");
    char err[1024];
    /* The file first, so that --variant flags override its variants. */
    if (status < 0 && f.config_file && !mock_config_load_file(cfg, f.config_file, err, sizeof(err)))
        status = refuse(err);
    for (size_t i = 0; status < 0 && i < f.variant_count; i++)
        if (!mock_config_add_variant(cfg, f.variants[i])) {
            fprintf(stderr, "cdrsim-mock: --variant takes VENDOR.NAME=VALUE, got '%s'\n",
                    f.variants[i]);
            status = 2;
        }
    /* Checked field by field when the server starts, where the served vendors are known. */
    for (size_t i = 0; status < 0 && i < f.fault_count; i++)
        if (!mock_config_add_fault(cfg, f.faults[i], err, sizeof(err)))
            status = refuse(err);
    free(f.variants);
    free(f.faults);
    *dump = f.dump;
    return status;
}

int main(int argc, char **argv)
{
    struct mock_config cfg;
    mock_config_init(&cfg);
    const char *dump = NULL;
    int status = configure(argc, argv, &cfg, &dump);
    if (status >= 0) {
        mock_config_free(&cfg);
        return status;
    }
    char err[1024];
    if (!dump)
        mock_http_prepare(); /* beside the datasets' loading, which mock_server_new runs */
    struct mock_server *server = mock_server_new(&cfg, err, sizeof(err));
    if (!server) {
        fprintf(stderr, "cdrsim-mock: %s\n", err);
        mock_config_free(&cfg);
        return 2;
    }
    if (dump) {
        char *json = mock_server_dump(server, dump);
        status = json ? 0 : 2;
        if (json)
            puts(json);
        else
            fprintf(stderr, "cdrsim-mock: no dataset to dump for '%s'\n", dump);
        free(json);
        mock_server_free(server);
        mock_config_free(&cfg);
        return status;
    }

    /* Block the stop signals before MHD starts its threads, so only sigwait below sees them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    warn_if_exposed(&cfg, stderr);
    fit_connections_to_fd_limit(&cfg);
    struct mock_push_journal push_journal = {server->journal, server->secret_names};
    struct mock_push *push = mock_push_new(&server->clock, &cfg, &push_journal, err, sizeof(err));
    if (!push) {
        fprintf(stderr, "cdrsim-mock: %s\n", err);
        mock_server_free(server);
        mock_config_free(&cfg);
        return 2;
    }
    server->push = push;
    mock_server_listen(server, &(struct mock_record_listener){mock_push_records_entered, push});
    struct mock_http_app app = {.handle = serve, .ctx = server, .clock = &server->clock};
    struct mock_http *http = mock_http_start(&app, &cfg, STDERR_FILENO, err, sizeof(err));
    if (!http) {
        fprintf(stderr, "cdrsim-mock: %s\n", err);
        mock_push_free(push);
        mock_server_free(server);
        mock_config_free(&cfg);
        return 1;
    }
    const char *host = cfg.bind ? cfg.bind : "127.0.0.1";
    if (strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0)
        host = "127.0.0.1";
    char base_url[300];
    snprintf(base_url, sizeof(base_url), strchr(host, ':') ? "%s://[%s]:%u" : "%s://%s:%u",
             cfg.tls_cert_file ? "https" : "http", host, mock_http_port(http));
    for (size_t i = 0; mock_vendors[i]; i++)
        if (!mock_server_serves(server, i))
            fprintf(stderr, "cdrsim-mock: no %s data under %s: %s is not served\n",
                    mock_vendors[i]->id, cfg.data_dir, mock_vendors[i]->id);
    printf("listening on %s\n", base_url);
    mock_server_describe(server, base_url, stdout);
    fflush(stdout);

    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "cdrsim-mock: %s received, shutting down\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    mock_http_stop(http);
    mock_push_free(push);
    mock_server_free(server);
    mock_config_free(&cfg);
    return 0;
}
