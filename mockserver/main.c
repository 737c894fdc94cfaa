/* cdrsim-mock: parses flags, loads the world, serves it until SIGINT/SIGTERM. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "http.h"
#include "install_paths.h"
#include "server.h"
#include "cdrsim/timefmt.h"
#include "cdrsim/version.h"

/* The source tree's fixtures, for a mock run from the build tree; an installed one reads the data
 * installed beside it (CDRSIM_BIN_TO_DATA). */
#ifndef CDRSIM_DATA_DIR
#define CDRSIM_DATA_DIR "fixtures"
#endif

/* The fixtures root when neither --data nor $CDRSIM_DATA names one (caller frees). */
static char *default_data_dir(void)
{
    return install_data_path(CDRSIM_BIN_TO_DATA, "fixtures", CDRSIM_DATA_DIR);
}

static void usage(FILE *out)
{
    char *data_dir = default_data_dir();
    fprintf(out,
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
            "  --seed S               seed for generated data and ids (default 1)\n"
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
    fputs("\nAdmin: GET /__cdrsim/health, POST /__cdrsim/reset, GET|PUT /__cdrsim/clock\n", out);
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

static bool parse_count(const char *text, unsigned min, unsigned max, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(text, &end, 10);
    if (errno || end == text || *end || *text == '-' || v < min || v > max)
        return false;
    *out = (unsigned)v;
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

int main(int argc, char **argv)
{
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
        O_TLS_PRIORITIES,
        O_THREADS,
        O_MAX_CONNECTIONS,
        O_HEADER_TIMEOUT,
        O_IDLE_TIMEOUT,
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
        {"tls-priorities", required_argument, NULL, O_TLS_PRIORITIES},
        {"threads", required_argument, NULL, O_THREADS},
        {"max-connections", required_argument, NULL, O_MAX_CONNECTIONS},
        {"header-timeout-ms", required_argument, NULL, O_HEADER_TIMEOUT},
        {"idle-timeout", required_argument, NULL, O_IDLE_TIMEOUT},
        {"help", no_argument, NULL, O_HELP},
        {"version", no_argument, NULL, O_VERSION},
        {NULL, 0, NULL, 0},
    };
    struct mock_config cfg;
    mock_config_init(&cfg);
    const char *config_file = NULL, *dump = NULL;
    const char **variants = calloc((size_t)argc, sizeof(*variants));
    size_t variant_count = 0;
    int opt;
    char *end;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case O_BIND:
            free(cfg.bind);
            cfg.bind = dup_or_die(optarg);
            break;
        case O_PORT:
            errno = 0;
            cfg.port = (int)strtol(optarg, &end, 10);
            if (errno || *end || cfg.port < 0 || cfg.port > 65535) {
                fprintf(stderr, "cdrsim-mock: --port takes 0..65535\n");
                return 2;
            }
            break;
        case O_DATA:
            free(cfg.data_dir);
            cfg.data_dir = dup_or_die(optarg);
            break;
        case O_CONFIG:
            config_file = optarg;
            break;
        case O_CLOCK:
            if (!cdr_time_parse_rfc3339_ms(optarg, &cfg.clock_start_ms)) {
                fprintf(
                    stderr,
                    "cdrsim-mock: --clock takes RFC 3339 with a zone, e.g. 2021-09-01T04:00:00Z\n");
                return 2;
            }
            cfg.clock_given = true;
            break;
        case O_VARIANT:
            variants[variant_count++] = optarg;
            break;
        case O_GENERATE:
            if (!mock_config_add_generate(&cfg, optarg)) {
                fprintf(stderr, "cdrsim-mock: --generate takes VENDOR=N (N up to 50000000)\n");
                return 2;
            }
            break;
        case O_SEED:
            errno = 0;
            cfg.seed = strtoull(optarg, &end, 10);
            if (errno || *end || !*optarg) {
                fprintf(stderr, "cdrsim-mock: --seed takes an unsigned integer\n");
                return 2;
            }
            break;
        case O_LOG:
            if (strcmp(optarg, "text") == 0)
                cfg.log_format = MOCK_LOG_TEXT;
            else if (strcmp(optarg, "json") == 0)
                cfg.log_format = MOCK_LOG_JSON;
            else if (strcmp(optarg, "off") == 0)
                cfg.log_format = MOCK_LOG_OFF;
            else {
                fprintf(stderr, "cdrsim-mock: --log-format takes text, json or off\n");
                return 2;
            }
            break;
        case O_CERT:
            free(cfg.tls_cert_file);
            cfg.tls_cert_file = dup_or_die(optarg);
            break;
        case O_KEY:
            free(cfg.tls_key_file);
            cfg.tls_key_file = dup_or_die(optarg);
            break;
        case O_DUMP:
            dump = optarg;
            break;
        case O_TLS_PRIORITIES:
            free(cfg.http.tls_priorities);
            cfg.http.tls_priorities = dup_or_die(optarg);
            break;
        case O_THREADS:
            if (!parse_count(optarg, 1, 1024, &cfg.http.threads)) {
                fprintf(stderr, "cdrsim-mock: --threads takes 1..1024\n");
                return 2;
            }
            break;
        case O_MAX_CONNECTIONS:
            if (!parse_count(optarg, 1, 1000000, &cfg.http.max_connections)) {
                fprintf(stderr, "cdrsim-mock: --max-connections takes 1..1000000\n");
                return 2;
            }
            break;
        case O_HEADER_TIMEOUT:
            if (!parse_count(optarg, 1, 3600000, &cfg.http.header_timeout_ms)) {
                fprintf(stderr, "cdrsim-mock: --header-timeout-ms takes 1..3600000\n");
                return 2;
            }
            break;
        case O_IDLE_TIMEOUT:
            if (!parse_count(optarg, 1, 86400, &cfg.connection_timeout_s)) {
                fprintf(stderr, "cdrsim-mock: --idle-timeout takes 1..86400 seconds\n");
                return 2;
            }
            break;
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
    if (optind != argc) {
        fprintf(stderr, "cdrsim-mock: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (!cfg.data_dir) {
        const char *env = getenv("CDRSIM_DATA");
        cfg.data_dir = env && *env ? dup_or_die(env) : default_data_dir();
        if (!cfg.data_dir) {
            perror("cdrsim-mock");
            return 2;
        }
    }
    char err[1024];
    /* The file first, so that --variant flags override its variants. */
    if (config_file && !mock_config_load_file(&cfg, config_file, err, sizeof(err))) {
        fprintf(stderr, "cdrsim-mock: %s\n", err);
        return 2;
    }
    for (size_t i = 0; i < variant_count; i++)
        if (!mock_config_add_variant(&cfg, variants[i])) {
            fprintf(stderr, "cdrsim-mock: --variant takes VENDOR.NAME=VALUE, got '%s'\n",
                    variants[i]);
            return 2;
        }
    free(variants);

    struct mock_server *server = mock_server_new(&cfg, err, sizeof(err));
    if (!server) {
        fprintf(stderr, "cdrsim-mock: %s\n", err);
        mock_config_free(&cfg);
        return 2;
    }
    if (dump) {
        char *json = mock_server_dump(server, dump);
        int status = json ? 0 : 2;
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

    fit_connections_to_fd_limit(&cfg);
    struct mock_http_app app = {.handle = serve, .ctx = server, .clock = &server->clock};
    struct mock_http *http = mock_http_start(&app, &cfg, STDERR_FILENO, err, sizeof(err));
    if (!http) {
        fprintf(stderr, "cdrsim-mock: %s\n", err);
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
    mock_server_free(server);
    mock_config_free(&cfg);
    return 0;
}
