/* cdrsim-client listen VENDOR --port N: a webhook receiver for a vendor's pushes. Each delivery is
 * parsed with cdr_push_parse, its records printed as JSON Lines (the same lines as fetch), and the
 * vendor gets the answer it expects (cdr_push_reply_of); a body that does not parse is answered 400
 * and reported on stderr. --fail-first N answers 500 to the first N deliveries, to watch the
 * vendor's retries; --count K stops after K records. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "http_receive.h"

#define LISTEN_USAGE "--port N [--bind ADDR] [--count K] [--fail-first N] [--raw]"

struct listen_options {
    const char *bind;
    int64_t port;
    int64_t count; /* 0: forever */
    int64_t fail_first;
    bool raw;
};

void cli_listen_summary(const struct cdr_vendor *v, FILE *out)
{
    fprintf(out, "  listen %s " LISTEN_USAGE "\n", v->id);
}

static void help(const struct cdr_vendor *v)
{
    const struct cdr_push_reply *reply = cdr_push_reply_of(v);
    printf("usage: cdrsim-client listen %s " LISTEN_USAGE "\n\n"
           "Receives the pushes of %s: listens for HTTP POSTs (any path), prints each\n"
           "pushed record as a JSON line (the normalized record, as fetch prints it) and answers\n"
           "HTTP %d, what the vendor expects (%s).\n"
           "A body that does not parse is answered 400 and reported on stderr.\n\n"
           "  --port N          the port to listen on; 0 picks a free one and prints it as the\n"
           "                    first line of stdout\n"
           "  --bind ADDR       the address to listen on (default 127.0.0.1; a numeric IPv4 or\n"
           "                    IPv6 address)\n"
           "  --count K         exit after K records (default: run until stopped)\n"
           "  --fail-first N    answer 500 to the first N deliveries, to see the vendor retry\n"
           "  --raw             add the pushed object to each line as \"raw\"\n\n"
           "Exit status: 0 after --count records, 1 when the port cannot be opened or stdout\n"
           "fails, 2 usage error.\n",
           v->id, v->title, reply->status, reply->source);
}

static int read_options(const struct cdr_vendor *v, int argc, char **argv, struct listen_options *o)
{
    static const struct option longopts[] = {
        {"port", required_argument, NULL, 'p'},
        {"bind", required_argument, NULL, 'b'},
        {"count", required_argument, NULL, 'c'},
        {"fail-first", required_argument, NULL, 'f'},
        {"raw", no_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (struct listen_options){.bind = "127.0.0.1", .port = -1};
    optind = 1;
    opterr = 0;
    int opt;
    bool ok = true;
    while (ok && (opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 'p':
            ok = cli_parse_int(optarg, 0, 65535, &o->port);
            break;
        case 'b':
            o->bind = optarg;
            break;
        case 'c':
            ok = cli_parse_int(optarg, 1, INT64_MAX, &o->count);
            break;
        case 'f':
            ok = cli_parse_int(optarg, 0, INT64_MAX, &o->fail_first);
            break;
        case 'r':
            o->raw = true;
            break;
        case 'h':
            help(v);
            return -1;
        default:
            ok = false;
        }
        if (!ok)
            fprintf(stderr, "cdrsim-client: listen %s: bad option or value: %s\n", v->id,
                    argv[optind - 1]);
    }
    if (ok && optind < argc) {
        fprintf(stderr, "cdrsim-client: listen %s: unexpected argument '%s'\n", v->id,
                argv[optind]);
        ok = false;
    }
    if (ok && o->port < 0) {
        fprintf(stderr, "cdrsim-client: listen %s: --port is required\n", v->id);
        ok = false;
    }
    if (!ok)
        fprintf(stderr, "usage: cdrsim-client listen %s " LISTEN_USAGE "\n", v->id);
    return ok ? CLI_OK : CLI_USAGE;
}

struct receiver {
    const struct cdr_vendor *vendor;
    const struct listen_options *o;
    int64_t deliveries; /* requests that reached the parser or the --fail-first answer */
    int64_t printed;
    bool write_failed;
};

/* Takes one delivery on a connected socket and answers it. */
static void receive(struct receiver *r, int fd)
{
    struct http_receive_request req;
    char why[160];
    int status = http_receive_read(fd, &req, why, sizeof(why));
    if (status < 0)
        return;
    if (status > 0) {
        fprintf(stderr, "cdrsim-client: listen %s: refused a request: %s\n", r->vendor->id, why);
        http_receive_reply(fd, status, "text/plain; charset=utf-8", why);
        return;
    }
    if (strcmp(req.method, "POST") != 0) {
        http_receive_reply(fd, 405, "text/plain; charset=utf-8", "pushes are POSTed\n");
        http_receive_request_free(&req);
        return;
    }
    if (++r->deliveries <= r->o->fail_first) {
        fprintf(stderr,
                "cdrsim-client: listen %s: delivery %lld answered 500 (--fail-first %lld)\n",
                r->vendor->id, (long long)r->deliveries, (long long)r->o->fail_first);
        http_receive_reply(fd, 500, "text/plain; charset=utf-8", "failing on purpose\n");
        http_receive_request_free(&req);
        return;
    }
    struct cdr_push push;
    struct cdr_error_info err;
    cdr_error rc = cdr_push_parse(r->vendor, req.body, req.body_len, &push, &err);
    http_receive_request_free(&req);
    if (rc != CDR_OK) {
        char what[64];
        snprintf(what, sizeof(what), "listen %s", r->vendor->id);
        cli_print_error(what, rc, &err);
        http_receive_reply(fd, 400, "text/plain; charset=utf-8", err.message);
        return;
    }
    /* Printed before the answer, so a sender that sees the 200 finds the records written. */
    for (size_t i = 0; i < push.record_count && !r->write_failed; i++) {
        r->write_failed = !cli_print_record(&push.records[i], r->o->raw) || fflush(stdout) != 0;
        r->printed++;
    }
    cdr_push_free(&push);
    const struct cdr_push_reply *reply = cdr_push_reply_of(r->vendor);
    http_receive_reply(fd, reply->status, reply->content_type, reply->body);
}

int cli_listen(const struct cdr_vendor *v, int argc, char **argv)
{
    if (!cdr_vendor_has_call(v, "push")) {
        fprintf(stderr,
                "cdrsim-client: %s does not push records: 'listen' is not a command for it\n",
                v->id);
        return CLI_USAGE;
    }
    struct listen_options o;
    int status = read_options(v, argc, argv, &o);
    if (status != CLI_OK)
        return status == -1 ? CLI_OK : status;
    char err[256];
    int bound;
    int fd = http_receive_listen(o.bind, (int)o.port, &bound, err, sizeof(err));
    if (fd < 0) {
        fprintf(stderr, "cdrsim-client: listen %s: %s\n", v->id, err);
        return CLI_FAILED;
    }
    if (o.port == 0 && (printf("%d\n", bound) < 0 || fflush(stdout) != 0)) {
        close(fd);
        return CLI_FAILED;
    }
    struct receiver r = {.vendor = v, .o = &o};
    while (!r.write_failed && (o.count == 0 || r.printed < o.count)) {
        int conn = accept(fd, NULL, NULL);
        if (conn < 0)
            continue; /* a connection reset before it was taken, an interrupted wait */
        receive(&r, conn);
        close(conn);
    }
    close(fd);
    return r.write_failed ? CLI_FAILED : CLI_OK;
}
